/* paths.h: one-to-all shortest paths on the compressed adjacency.
 *
 * The hot loop of taihang: skims, assignment and replanning all run Dijkstra
 * many times, so a ThShortestPaths holds every buffer it needs and is reused
 * across sources (one per thread).
 *
 * Two ways to run:
 *  - th_sp_run(sp, source, weight, modes): weights are read from WEIGHT (per
 *    link index) on every run, so the caller may change them between runs
 *    (assignment does). The workspace keeps a compacted adjacency of the
 *    links usable by MODES, rebuilt only when MODES changes.
 *  - th_sp_graph_new(net, weight, modes) + th_sp_run_graph(sp, graph, source):
 *    the weights are baked into a compacted (head, weight) adjacency once and
 *    the graph is shared read-only by every thread. Fastest; build a new
 *    graph when the weights change.
 *
 * Semantics shared by every variant:
 *  - a link is usable when its modes intersect MODES or it is a connector
 *    (TH_MODE_CONNECTOR links are always usable), and its weight is finite;
 *  - weights must be >= 0 (validated by the caller, not in the hot loop);
 *  - nodes with node_no_thru set are never passed through: they may be the
 *    source or a destination, but no path continues out of them;
 *  - ties: a node's predecessor link is the first link that reaches it at
 *    its final distance, taking tails in order of (distance, node index),
 *    then links in CSR order (input order). This does not depend on the
 *    heap, the thread or the run;
 *  - settle order (th_sp_settled): the heaps settle in order of (distance,
 *    node index); the bucket queue (the default for baked graphs) in order
 *    of distance buckets as wide as about the smallest weight, and within a
 *    bucket in a fixed order of its own. Either way it is deterministic and
 *    every node comes after its predecessor's tail.
 *
 * Memory: the compacted adjacency takes 16 bytes per usable link (weight,
 * head, link index) and 4 bytes per node; a workspace takes about 40 bytes
 * per node (plus the heap's or bucket queue's arrays, which grow to the
 * largest frontier seen). */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

typedef struct ThShortestPaths ThShortestPaths;
typedef struct ThSpGraph ThSpGraph;

/* ---- compacted graph with baked weights (shareable between threads) ---- */

/* Builds the adjacency of the links of NET (finalized) usable by MODES with
 * WEIGHT[e] (per link index; INFINITY closes a link). O(n + m). */
ThSpGraph *th_sp_graph_new(const ThNetwork *net, const double *weight, uint32_t modes);
void th_sp_graph_free(ThSpGraph *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThSpGraph, th_sp_graph_free)
/* Number of usable links (arcs) in G. */
int th_sp_graph_n_arcs(const ThSpGraph *g);
/* Bytes held by G (for benchmarks). */
gsize th_sp_graph_bytes(const ThSpGraph *g);

/* ---- workspace ---- */

/* Workspace for one thread on NET (which must be finalized). O(n). */
ThShortestPaths *th_sp_new(const ThNetwork *net);
void th_sp_free(ThShortestPaths *sp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThShortestPaths, th_sp_free)
/* Bytes held by SP, including its own compacted adjacency if th_sp_run built
 * one (for benchmarks). */
gsize th_sp_bytes(const ThShortestPaths *sp);

/* Restricts later runs to stop as soon as every one of the N_TARGETS nodes in
 * TARGETS is settled (N_TARGETS = 0 or TARGETS = NULL: run to exhaustion).
 * After an early stop, dist and pred are exact for every settled node (all
 * targets among them); other nodes hold INFINITY / -1 or a tentative upper
 * bound, so read only the targets. Duplicates are allowed. O(N_TARGETS). */
void th_sp_set_targets(ThShortestPaths *sp, const int *targets, int n_targets);
/* TRUE if targets are set on SP. */
gboolean th_sp_has_targets(const ThShortestPaths *sp);

/* Dijkstra from node SOURCE over the links whose modes intersect MODES
 * (connector links are always usable), with WEIGHT[e] >= 0 per link index
 * (INFINITY closes a link). See the header comment for no-through nodes and
 * ties. O((n + m) log n); only the nodes reached are reset between runs. */
void th_sp_run(ThShortestPaths *sp, int source, const double *weight, uint32_t modes);
/* Dijkstra from node SOURCE on the baked graph G (built on the same network
 * as SP). Same results as th_sp_run with G's weights and modes. */
void th_sp_run_graph(ThShortestPaths *sp, const ThSpGraph *g, int source);

/* Results of the last run, n_nodes long: distance (INFINITY if unreachable)
 * and the link that reaches each node on its shortest path (-1 for the source
 * and unreachable nodes). Borrowed; valid until the next run. */
const double *th_sp_dist(const ThShortestPaths *sp);
const int *th_sp_pred_link(const ThShortestPaths *sp);
/* The nodes settled by the last run, in settle order (the source first);
 * *N receives their number. Borrowed; valid until the next run. */
const int *th_sp_settled(const ThShortestPaths *sp, int *n);

/* Sums VALUE[e] (per link index) along the shortest-path tree of the last
 * run: OUT[v] = sum of VALUE over the links of the path to v, for every
 * settled node v; OUT[v] is left untouched for the others. OUT is n_nodes
 * long. Used to report the distance and cost of minimum-time paths. The sums
 * run from the source outwards in settle order, so they are deterministic.
 * O(settled nodes). */
void th_sp_accumulate(const ThShortestPaths *sp, const double *value, double *out);

/* Sums, for each k < N_VALUES, VALUES[k][e] (per link index) over the links
 * of the last run's path to TARGET (which must be settled), from the source
 * outwards, into OUT[k]: the same numbers th_sp_accumulate gives at TARGET,
 * at a cost proportional to the path's links instead of the settled nodes.
 * Skims use it for the few zones of a large network. Returns FALSE (OUT
 * untouched) if TARGET was not reached. O(links on the path x N_VALUES). */
gboolean th_sp_path_sums(ThShortestPaths *sp, int target, int n_values,
                         const double *const *values, double *out);


/* ---- many sources in parallel ---- */

/* Called once per source index I (0 <= I < N_SOURCES) with a workspace SP
 * owned by the calling worker thread (reused for the sources that worker
 * handles). Must write its results only to slots owned by I, so that the
 * outcome does not depend on scheduling. */
typedef void (*ThSpSourceFunc)(ThShortestPaths *sp, int i, gpointer user_data);

/* Runs FUNC for every source index 0..N_SOURCES-1 on up to N_THREADS threads
 * (GThreadPool; N_THREADS <= 1 runs in the calling thread), with one
 * workspace per worker. Returns when all are done. */
void th_sp_for_sources(const ThNetwork *net, int n_sources, int n_threads, ThSpSourceFunc func,
                       gpointer user_data);

/* Distances from each of N_SOURCES source nodes to each of N_TARGETS target
 * nodes on G: OUT[i * n_targets + j] = dist(SOURCES[i], TARGETS[j])
 * (INFINITY if unreachable). Stops each search once all targets are
 * settled. Parallel over sources; the result does not depend on N_THREADS.
 * O(N_SOURCES (n + m) log n). */
void th_sp_many(const ThNetwork *net, const ThSpGraph *g, const int *sources, int n_sources,
                const int *targets, int n_targets, int n_threads, double *out);

/* ---- connectivity (no weights; every link with a mode in MODES) ---- */

/* Strongly connected components of the graph of NET's links whose modes
 * intersect MODES exactly as given (connectors count only if MODES holds
 * TH_MODE_CONNECTOR; TH_MODE_ALL: every link; no-through nodes are ignored).
 * COMP (n_nodes long) receives each node's component number, 0..result-1;
 * returns the number of components. Numbers say only which nodes share a
 * component (compare them for equality). NET must be finalized. O(n + m). */
int th_strong_components(const ThNetwork *net, uint32_t modes, int *comp);
/* MARK[v] (n_nodes long) = 1 for the nodes reachable from NODE (FORWARD) or
 * reaching it (!FORWARD) over the links whose modes intersect MODES, NODE
 * included; 0 for the others. O(n + m). */
void th_reachable(const ThNetwork *net, uint32_t modes, int node, gboolean forward, guint8 *mark);

/* ---- tuning (benchmarks only) ---- */

typedef enum {
  TH_SP_HEAP_QUAD = 0, /* 4-ary heap with decrease-key */
  TH_SP_HEAP_BINARY,   /* binary heap with decrease-key */
  TH_SP_HEAP_LAZY,     /* binary heap with lazy insertion (no decrease-key) */
  TH_SP_HEAP_RADIX,    /* radix heap on the distances' bit patterns (lazy
                        * insertion); the fastest heap measured at 100k and
                        * 1M nodes (bench_skim, README) */
  TH_SP_HEAP_BUCKET,   /* the default: Dial's bucket queue with buckets
                        * a little narrower than the smallest arc weight
                        * (no heap at all), for baked graphs
                        * (th_sp_run_graph) whose weights are all > 0 with
                        * max/min below about 4000; other runs use the
                        * radix heap. Same distances and tree as the heaps;
                        * the settle list is in bucket order (see the
                        * header comment) */
} ThSpHeap;
/* Chooses the priority queue of SP. Results (distances, trees, settle
 * order) are identical for every kind. */
void th_sp_set_heap(ThShortestPaths *sp, ThSpHeap kind);

G_END_DECLS

/* paths.c: Dijkstra on a compacted adjacency (see paths.h).
 *
 * Why it is laid out this way (measured with bench/bench_skim, see README):
 *  - the network's CSR lists link indices; following them costs three
 *    scattered reads per link (modes, head, weight). A ThSpGraph copies the
 *    usable links once into one array of 16-byte arcs {head, link, weight},
 *    read strictly sequentially while a node is scanned;
 *  - the priority queue is a 4-ary heap of {key, node} pairs with
 *    decrease-key: the keys sit in the heap itself (no indirection to dist[]
 *    while sifting), and a 4-ary heap halves the depth of a binary one for
 *    the same number of cache lines touched per level;
 *  - between runs only the nodes reached are reset (touched list), so early
 *    exit on a few targets in a big network costs what it visits, not O(n). */
#include "network/paths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Arrays of a megabyte or more are aligned to 2 MB and marked for
 * transparent huge pages: Dijkstra reads them in an order set by the
 * wavefront, not by memory, and with 4 KB pages the TLB misses (two-level
 * page walks on a virtual machine) cost more than the cache misses. Freed
 * with free(). */
static void *big_alloc(gsize bytes) {
  const gsize huge = 2u << 20;
  if (bytes < (1u << 20)) return g_malloc(bytes ? bytes : 1);
  gsize rounded = (bytes + huge - 1) / huge * huge;
  void *p = NULL;
  if (posix_memalign(&p, huge, rounded) != 0) g_error("out of memory (%zu bytes)", rounded);
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);
#endif
  return p;
}
#define BIG_NEW(type, n) ((type *)big_alloc(sizeof(type) * (gsize)(n)))

typedef struct {
  int head;
  int link;
  double w;
} ThArc;

struct ThSpGraph {
  const ThNetwork *net;
  int n;
  int n_arcs;
  uint32_t modes;
  int *start;  /* n+1 */
  ThArc *arc;  /* n_arcs */
};

typedef struct {
  double key;
  int node;
} ThHeapItem; /* lazy heap; the d-ary heaps use the same storage as ThKey */

struct ThShortestPaths {
  const ThNetwork *net;
  int n;
  double *dist;
  int *pred;         /* link index */
  int *pos;          /* heap position, -1 when not in the heap */
  int *touched;      /* nodes whose dist is finite (to reset) */
  int n_touched;
  int *settled;      /* settle order */
  int n_settled;
  ThHeapItem *heap;
  int heap_cap;
  guint8 *is_target; /* NULL when no targets */
  int n_targets;     /* distinct targets */
  ThSpHeap heap_kind;
  ThSpGraph *own;    /* topology for th_sp_run, rebuilt when modes change */
  double *scratch[TH_SP_N_SCRATCH];
};

/* ---------------------------------------------------------------- graph */

static ThSpGraph *graph_build(const ThNetwork *net, const double *weight, uint32_t modes) {
  g_return_val_if_fail(net && net->finalized, NULL);
  ThSpGraph *g = g_new0(ThSpGraph, 1);
  g->net = net;
  g->n = net->n_nodes;
  g->modes = modes;
  uint32_t usable = modes | TH_MODE_CONNECTOR;
  g->start = BIG_NEW(int, g->n + 1);
  int count = 0;
  for (int v = 0; v < g->n; v++)
    for (int k = net->out_start[v]; k < net->out_start[v + 1]; k++) {
      int e = net->out_link[k];
      if ((net->link_modes[e] & usable) && (!weight || isfinite(weight[e]))) count++;
    }
  g->arc = BIG_NEW(ThArc, count > 0 ? count : 1);
  int a = 0;
  for (int v = 0; v < g->n; v++) {
    g->start[v] = a;
    for (int k = net->out_start[v]; k < net->out_start[v + 1]; k++) {
      int e = net->out_link[k];
      if (!(net->link_modes[e] & usable) || (weight && !isfinite(weight[e]))) continue;
      g->arc[a].head = net->link_to[e];
      g->arc[a].link = e;
      g->arc[a].w = weight ? weight[e] : 0.0;
      a++;
    }
  }
  g->start[g->n] = a;
  g->n_arcs = a;
  return g;
}

ThSpGraph *th_sp_graph_new(const ThNetwork *net, const double *weight, uint32_t modes) {
  g_return_val_if_fail(weight != NULL, NULL);
  return graph_build(net, weight, modes);
}

void th_sp_graph_free(ThSpGraph *g) {
  if (!g) return;
  free(g->start);
  free(g->arc);
  g_free(g);
}

void th_sp_graph_set_weights(ThSpGraph *g, const double *weight) {
  for (int a = 0; a < g->n_arcs; a++) g->arc[a].w = weight[g->arc[a].link];
}

int th_sp_graph_n_arcs(const ThSpGraph *g) { return g->n_arcs; }

gsize th_sp_graph_bytes(const ThSpGraph *g) {
  return sizeof *g + (gsize)(g->n + 1) * sizeof(int) + (gsize)g->n_arcs * sizeof(ThArc);
}

/* ------------------------------------------------------------ workspace */

ThShortestPaths *th_sp_new(const ThNetwork *net) {
  g_return_val_if_fail(net && net->finalized, NULL);
  ThShortestPaths *sp = g_new0(ThShortestPaths, 1);
  int n = net->n_nodes;
  sp->net = net;
  sp->n = n;
  sp->dist = BIG_NEW(double, n + 1);
  sp->pred = BIG_NEW(int, n + 1);
  sp->pos = BIG_NEW(int, n + 1);
  sp->touched = BIG_NEW(int, n + 1);
  sp->settled = BIG_NEW(int, n + 1);
  for (int v = 0; v < n; v++) {
    sp->dist[v] = INFINITY;
    sp->pred[v] = -1;
    sp->pos[v] = -1;
  }
  sp->heap_cap = n + 1;
  sp->heap = g_new(ThHeapItem, sp->heap_cap);
  sp->heap_kind = TH_SP_HEAP_QUAD;
  return sp;
}

void th_sp_free(ThShortestPaths *sp) {
  if (!sp) return;
  free(sp->dist);
  free(sp->pred);
  free(sp->pos);
  free(sp->touched);
  free(sp->settled);
  g_free(sp->heap);
  g_free(sp->is_target);
  th_sp_graph_free(sp->own);
  for (int k = 0; k < TH_SP_N_SCRATCH; k++) g_free(sp->scratch[k]);
  g_free(sp);
}

gsize th_sp_bytes(const ThShortestPaths *sp) {
  gsize b = sizeof *sp + (gsize)(sp->n + 1) * (sizeof(double) + 4 * sizeof(int));
  b += (gsize)sp->heap_cap * sizeof(ThHeapItem);
  if (sp->is_target) b += sp->n;
  if (sp->own) b += th_sp_graph_bytes(sp->own);
  for (int k = 0; k < TH_SP_N_SCRATCH; k++)
    if (sp->scratch[k]) b += (gsize)(sp->n + 1) * sizeof(double);
  return b;
}

void th_sp_set_heap(ThShortestPaths *sp, ThSpHeap kind) { sp->heap_kind = kind; }

double *th_sp_scratch(ThShortestPaths *sp, int k) {
  g_return_val_if_fail(k >= 0 && k < TH_SP_N_SCRATCH, NULL);
  if (!sp->scratch[k]) sp->scratch[k] = g_new0(double, sp->n + 1);
  return sp->scratch[k];
}

void th_sp_set_targets(ThShortestPaths *sp, const int *targets, int n_targets) {
  g_clear_pointer(&sp->is_target, g_free);
  sp->n_targets = 0;
  if (!targets || n_targets <= 0) return;
  sp->is_target = g_new0(guint8, sp->n);
  for (int i = 0; i < n_targets; i++) {
    g_return_if_fail(targets[i] >= 0 && targets[i] < sp->n);
    if (!sp->is_target[targets[i]]) sp->n_targets++;
    sp->is_target[targets[i]] = 1;
  }
}

gboolean th_sp_has_targets(const ThShortestPaths *sp) { return sp->is_target != NULL; }

static void reset(ThShortestPaths *sp) {
  for (int i = 0; i < sp->n_touched; i++) {
    int v = sp->touched[i];
    sp->dist[v] = INFINITY;
    sp->pred[v] = -1;
    sp->pos[v] = -1;
  }
  sp->n_touched = 0;
  sp->n_settled = 0;
}

/* ------------------------------------------------------ d-ary heap core */

/* Strict order on (key, node): makes the settle order, and therefore the
 * tree, independent of the heap's internal layout. */
static inline gboolean item_less(ThHeapItem a, ThHeapItem b) {
  return a.key < b.key || (a.key == b.key && a.node < b.node);
}

/* The d-ary heaps hold (key, node) packed into one 128-bit integer: the bit
 * pattern of a non-negative double orders like the double, so
 * bits << 32 | node orders exactly like (key, node), and every comparison
 * is one branch-free integer compare instead of a float compare plus a tie
 * test. */
typedef unsigned __int128 ThKey;

static inline ThKey key_make(double d, int v) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return ((ThKey)bits << 32) | (uint32_t)v;
}
static inline int key_node(ThKey k) { return (int)(uint32_t)k; }
static inline double key_dist(ThKey k) {
  uint64_t bits = (uint64_t)(k >> 32);
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static inline __attribute__((always_inline)) void sift_up(ThKey *h, int *pos, int i, ThKey x,
                                                          const int D) {
  while (i > 0) {
    int p = (i - 1) / D;
    if (!(x < h[p])) break;
    h[i] = h[p];
    pos[key_node(h[i])] = i;
    i = p;
  }
  h[i] = x;
  pos[key_node(x)] = i;
}

static inline __attribute__((always_inline)) void sift_down(ThKey *h, int *pos, int size, ThKey x,
                                                            const int D) {
  int i = 0;
  for (;;) {
    int c = D * i + 1;
    if (c >= size) break;
    int best = c;
    int end = c + D < size ? c + D : size;
    for (int k = c + 1; k < end; k++)
      if (h[k] < h[best]) best = k;
    if (!(h[best] < x)) break;
    h[i] = h[best];
    pos[key_node(h[i])] = i;
    i = best;
  }
  h[i] = x;
  pos[key_node(x)] = i;
}

/* One Dijkstra run. EXT == NULL: weights from the arcs; else EXT[link].
 * D = heap arity (decrease-key). Inlined per (EXT kind, D) so each variant's
 * inner loop has no branches on them. */
static inline __attribute__((always_inline)) void run_dary(ThShortestPaths *restrict sp,
                                                           const ThSpGraph *restrict g, int source,
                                                           const double *restrict ext,
                                                           const int D) {
  double *restrict dist = sp->dist;
  int *restrict pred = sp->pred;
  int *restrict pos = sp->pos;
  int *restrict touched = sp->touched;
  int *restrict settled = sp->settled;
  ThKey *restrict h = (ThKey *)sp->heap; /* same size; g_malloc aligns to 16 */
  const int *restrict start = g->start;
  const ThArc *restrict arc = g->arc;
  const guint8 *restrict no_thru = g->net->node_no_thru;
  const guint8 *restrict is_target = sp->is_target;
  int left = sp->n_targets;
  int nt = 0, ns = 0, size = 1;

  dist[source] = 0.0;
  touched[nt++] = source;
  h[0] = key_make(0.0, source);
  pos[source] = 0;
  while (size > 0) {
    ThKey top = h[0];
    int u = key_node(top);
    pos[u] = -1;
    if (--size > 0) sift_down(h, pos, size, h[size], D);
    settled[ns++] = u;
    if (is_target && is_target[u] && --left == 0) break;
    if (no_thru[u] && u != source) continue;
    double du = key_dist(top);
    for (int a = start[u], end = start[u + 1]; a < end; a++) {
      int v = arc[a].head;
      double nd = du + (ext ? ext[arc[a].link] : arc[a].w);
      if (nd < dist[v]) {
        if (dist[v] == INFINITY) {
          /* v will be scanned later: fetch its arcs now, so that the miss
           * overlaps with other work instead of stalling the scan of v */
          __builtin_prefetch(&arc[start[v]]);
          touched[nt++] = v;
          dist[v] = nd;
          pred[v] = arc[a].link;
          sift_up(h, pos, size, key_make(nd, v), D);
          size++;
        } else if (G_LIKELY(pos[v] >= 0)) { /* settled nodes never improve (w >= 0) */
          dist[v] = nd;
          pred[v] = arc[a].link;
          sift_up(h, pos, pos[v], key_make(nd, v), D);
        }
      }
    }
  }
  /* nodes still in the heap after an early stop: forget their positions */
  for (int i = 0; i < size; i++) pos[key_node(h[i])] = -1;
  sp->n_touched = nt;
  sp->n_settled = ns;
}

/* Binary heap with lazy insertion: a node may be in the heap several times;
 * entries whose key is no longer the node's distance are skipped. No
 * position array to maintain, at the price of a bigger heap. */
static inline void lazy_push(ThHeapItem *h, int size, ThHeapItem x) {
  int i = size;
  while (i > 0) {
    int p = (i - 1) / 2;
    if (!item_less(x, h[p])) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = x;
}

static inline void lazy_pop(ThHeapItem *h, int size) {
  /* size: after removal */
  ThHeapItem x = h[size];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && item_less(h[c + 1], h[c])) c++;
    if (!item_less(h[c], x)) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = x;
}

static void run_lazy(ThShortestPaths *sp, const ThSpGraph *g, int source, const double *ext) {
  if (sp->heap_cap < g->n_arcs + 1) {
    sp->heap_cap = g->n_arcs + 1;
    sp->heap = g_renew(ThHeapItem, sp->heap, sp->heap_cap);
  }
  double *dist = sp->dist;
  int *pred = sp->pred;
  int *done = sp->pos; /* -1 unsettled, 1 settled */
  ThHeapItem *h = sp->heap;
  const guint8 *no_thru = g->net->node_no_thru;
  int left = sp->n_targets, nt = 0, ns = 0, size = 0;
  dist[source] = 0.0;
  sp->touched[nt++] = source;
  lazy_push(h, size++, (ThHeapItem){0.0, source});
  while (size > 0) {
    ThHeapItem top = h[0];
    lazy_pop(h, --size);
    int u = top.node;
    if (done[u] == 1) continue;
    done[u] = 1;
    sp->settled[ns++] = u;
    if (sp->is_target && sp->is_target[u] && --left == 0) break;
    if (no_thru[u] && u != source) continue;
    for (int a = g->start[u], end = g->start[u + 1]; a < end; a++) {
      int v = g->arc[a].head;
      double nd = top.key + (ext ? ext[g->arc[a].link] : g->arc[a].w);
      if (nd < dist[v]) {
        if (dist[v] == INFINITY) {
          __builtin_prefetch(&g->arc[g->start[v]]);
          sp->touched[nt++] = v;
        }
        dist[v] = nd;
        pred[v] = g->arc[a].link;
        lazy_push(h, size++, (ThHeapItem){nd, v});
      }
    }
  }
  sp->n_touched = nt;
  sp->n_settled = ns;
}

static void run(ThShortestPaths *sp, const ThSpGraph *g, int source, const double *ext) {
  g_return_if_fail(source >= 0 && source < sp->n);
  g_return_if_fail(g->net == sp->net);
  reset(sp);
  switch (sp->heap_kind) {
  case TH_SP_HEAP_BINARY:
    if (ext) run_dary(sp, g, source, ext, 2);
    else run_dary(sp, g, source, NULL, 2);
    break;
  case TH_SP_HEAP_LAZY:
    run_lazy(sp, g, source, ext);
    break;
  case TH_SP_HEAP_QUAD:
  default:
    if (ext) run_dary(sp, g, source, ext, 4);
    else run_dary(sp, g, source, NULL, 4);
    break;
  }
}

void th_sp_run(ThShortestPaths *sp, int source, const double *weight, uint32_t modes) {
  if (!sp->own || sp->own->modes != modes) {
    th_sp_graph_free(sp->own);
    sp->own = graph_build(sp->net, NULL, modes);
  }
  run(sp, sp->own, source, weight);
}

void th_sp_run_graph(ThShortestPaths *sp, const ThSpGraph *g, int source) {
  run(sp, g, source, NULL);
}

const double *th_sp_dist(const ThShortestPaths *sp) { return sp->dist; }
const int *th_sp_pred_link(const ThShortestPaths *sp) { return sp->pred; }

const int *th_sp_settled(const ThShortestPaths *sp, int *n) {
  if (n) *n = sp->n_settled;
  return sp->settled;
}

void th_sp_accumulate(const ThShortestPaths *sp, const double *value, double *out) {
  const int *from = sp->net->link_from;
  if (sp->n_settled == 0) return;
  out[sp->settled[0]] = 0.0;
  for (int i = 1; i < sp->n_settled; i++) {
    int v = sp->settled[i];
    int e = sp->pred[v];
    out[v] = out[from[e]] + value[e];
  }
}

/* ------------------------------------------------------- many sources */

typedef struct {
  const ThNetwork *net;
  int n_sources;
  ThSpSourceFunc func;
  gpointer user_data;
  gint next; /* atomic: next source index to take */
} ForSources;

/* Each worker owns one workspace and takes source indices from a shared
 * counter: dynamic load balancing, while every result goes to the slot of
 * its index, so scheduling never shows in the output. */
static void for_sources_worker(gpointer data, gpointer user_data) {
  ForSources *fs = user_data;
  (void)data;
  g_autoptr(ThShortestPaths) sp = th_sp_new(fs->net);
  for (;;) {
    int i = g_atomic_int_add(&fs->next, 1);
    if (i >= fs->n_sources) break;
    fs->func(sp, i, fs->user_data);
  }
}

void th_sp_for_sources(const ThNetwork *net, int n_sources, int n_threads, ThSpSourceFunc func,
                       gpointer user_data) {
  ForSources fs = {net, n_sources, func, user_data, 0};
  if (n_threads > n_sources) n_threads = n_sources;
  if (n_threads <= 1) {
    for_sources_worker(NULL, &fs);
    return;
  }
  GThreadPool *pool = g_thread_pool_new(for_sources_worker, &fs, n_threads, TRUE, NULL);
  for (int t = 0; t < n_threads; t++) g_thread_pool_push(pool, GINT_TO_POINTER(t + 1), NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
}

typedef struct {
  const ThSpGraph *g;
  const int *sources, *targets;
  int n_targets;
  double *out;
} ManyJob;

static void many_one(ThShortestPaths *sp, int i, gpointer user_data) {
  ManyJob *job = user_data;
  if (!sp->is_target) th_sp_set_targets(sp, job->targets, job->n_targets);
  th_sp_run_graph(sp, job->g, job->sources[i]);
  double *row = job->out + (gsize)i * job->n_targets;
  for (int j = 0; j < job->n_targets; j++) row[j] = sp->dist[job->targets[j]];
}

void th_sp_many(const ThNetwork *net, const ThSpGraph *g, const int *sources, int n_sources,
                const int *targets, int n_targets, int n_threads, double *out) {
  if (n_targets <= 0 || n_sources <= 0) return;
  ManyJob job = {g, sources, targets, n_targets, out};
  th_sp_for_sources(net, n_sources, n_threads, many_one, &job);
}

/* assign-internal.h: what the files of the assignment share (not an API).
 *
 * assign-sp.c: Dijkstra specialised for assignment (class link masks,
 *   no-through nodes, settle order for loading) and a deterministic parallel
 *   loop; assign.c: costs, gap, the Frank-Wolfe family, the driver;
 *   assign-bush.c: Dial's Algorithm B. */
#pragma once
#include "network/parallel.h"
#include "sim/assign.h"

#include <math.h>

/* --- shortest paths --- */

typedef struct {
  int n;
  double *dist;  /* INFINITY when unreached */
  int *pred;     /* link reaching the node, -1 for the source / unreached */
  int *order;    /* settled nodes in settle (non-decreasing distance) order */
  int n_order;
  int *heap, *hpos; /* binary heap of nodes, hpos = position or -1 */
  int hn;
  int *mark, stamp;  /* targets of the current run */
  /* bucket ring of as_sp_dist: nb arrays of nodes */
  int **bk, *bk_size, *bk_cap, nb;
} AsSp;

AsSp *as_sp_new(int n);
void as_sp_free(AsSp *sp);
/* Link weights in the order of net->out_link (so the hot loop reads them
 * sequentially): W[i] = COST[out_link[i]], INFINITY where ALLOWED (may be
 * NULL) forbids the link. O(m). */
void as_csr_weights(const ThNetwork *net, const double *cost, const guint8 *allowed, double *w);
/* Dijkstra from SOURCE with CSR-ordered weights W (as_csr_weights), never
 * expanding a node with NO_THRU set other than the source. With N_TARGETS
 * > 0 it stops once every node of TARGETS is settled (their distances and
 * the tree to them are final; other nodes may be unsettled). */
void as_sp_run(AsSp *sp, const ThNetwork *net, int source, const int *head, const double *w,
               const guint8 *no_thru, const int *targets, int n_targets);
/* Whether CSR weights W (M of them, INFINITY = closed) allow as_sp_dist on
 * N nodes: every finite weight > 0, max / min below 4094 and n max / min
 * below 2^40. TRUE with the bucket width's inverse *INV and the ring size
 * *NB (a power of two). O(m). */
gboolean as_bucket_setup(const double *w, int m, int n, double *inv, int *nb);
/* as_sp_run's distances (the same doubles) by Dial's bucket queue with
 * buckets a little narrower than the smallest weight (as paths.c's
 * run_bucket, which explains why it is exact), for the gap: only dist is
 * filled (pred and order are not). INV and NB from as_bucket_setup.
 * Measured on the congested 4,080-link grid to 1e-4 (callgrind): the gap's
 * searches cost 782 M instructions with the binary heap, see the README. */
void as_sp_dist(AsSp *sp, const ThNetwork *net, int source, const int *head, const double *w,
                const guint8 *no_thru, const int *targets, int n_targets, double inv, int nb);
/* HEAD[i] = link_to[out_link[i]]. O(m). */
void as_csr_heads(const ThNetwork *net, int *head);

/* Runs FN(item, worker, data) for item 0..N-1 on THREADS workers; worker is
 * 0..THREADS-1 (for per-worker scratch). FN must write only to per-item
 * slots so the result does not depend on which worker ran what. */
typedef ThParallelFunc AsItemFunc;
/* th_parallel_for (network/parallel.h); THREADS <= 1: in order on the caller. */
static inline void as_parallel_for(int n, int threads, AsItemFunc fn, gpointer data) {
  th_parallel_for(n, threads < 1 ? 1 : threads, fn, data);
}

/* A team of THREADS workers kept for the life of the assignment:
 * as_team_run runs FN(item, worker, data) for item 0..N-1 like
 * as_parallel_for (the caller is worker 0) without creating threads on
 * every call, for loops that run thousands of times (Algorithm B's
 * batches). */
typedef struct AsTeam AsTeam;
AsTeam *as_team_new(int threads);
void as_team_run(AsTeam *team, int n, AsItemFunc fn, gpointer data);
void as_team_free(AsTeam *team);

/* --- the problem --- */

typedef struct {
  const ThNetwork *net;
  int n, m, K;
  const ThAssignClass *cls;
  double *t0, *cap, *alpha, *beta; /* per link; t0 in minutes */
  double *fixed;    /* K x m fixed cost, minutes */
  guint8 *allowed;  /* K x m: class k may use link a */
  guint8 *no_thru;  /* n */
  double *pcu_k;    /* K */
  /* (class, origin) pairs with demand, by class then origin zone */
  int n_pairs;
  int *pair_class, *pair_origin; /* origin zone index */
  int threads;
  /* state */
  double *x;        /* K x m class volumes (vehicles) */
  double *v;        /* m pcu volumes */
  double *t, *dt;   /* m current time and d t / d v */
  double *c;        /* K x m current generalized costs */
  double *w;        /* K x m the same in out_link order, INFINITY where banned */
  int *head;        /* m: head node of out_link[i] */
  int **targets;    /* per worker scratch: destination nodes of an origin */
  double unassigned;
  double sptt;      /* from the last as_gap */
  /* when non-NULL (Algorithm B), as_gap also keeps the shortest-path cost
   * of every OD entry: od_dist[od_off[k] + i] for entry i of class k's OD
   * table (INFINITY when unreached) */
  double *od_dist;
  gsize *od_off;
  AsSp **sp;        /* per worker */
} AsProblem;

/* BPR time and derivative of link A at pcu flow V. */
static inline double as_time(const AsProblem *P, int a, double v) {
  double al = P->alpha[a], be = P->beta[a];
  if (al == 0.0 || v <= 0.0) return P->t0[a];
  double r = v / P->cap[a];
  double p = be == 4.0 ? (r * r) * (r * r) : (be == 1.0 ? r : pow(r, be));
  return P->t0[a] * (1.0 + al * p);
}
static inline double as_dtime(const AsProblem *P, int a, double v) {
  double al = P->alpha[a], be = P->beta[a];
  if (al == 0.0 || be == 0.0 || v <= 0.0) return 0.0;
  double r = v / P->cap[a];
  double p = be == 4.0 ? r * r * r : (be == 1.0 ? 1.0 : pow(r, be - 1.0));
  return P->t0[a] * al * be * p / P->cap[a];
}

/* Recomputes v, t, dt, c from x. O(K m). */
void as_update_costs(AsProblem *P);
/* Relative gap at the current x and costs; fills TSTT, SPTT and Beckmann. */
double as_gap(AsProblem *P, double *tstt, double *beckmann);

/* Algorithm B. */
typedef struct AsBushes AsBushes;
AsBushes *as_bushes_new(AsProblem *P);
void as_bushes_free(AsBushes *B);
/* One sweep over every (class, origin) bush: grow, prune and equilibrate,
 * then rebuild x from the bushes. TARGET_GAP guides the inner precision. */
void as_bushes_iterate(AsBushes *B, double current_gap, double target_gap);
/* Shift-only sweeps over the bushes as they are (no growth) until no node of
 * any bush has a used path longer than its shortest bush path by more than
 * MAX_EXCESS (relative), at most 200 sweeps; then rebuilds x. Returns 0 when
 * that holds, else the worst relative excess of the last sweep. */
double as_bushes_polish(AsBushes *B, double max_excess);
/* The worst relative excess cost of a used path over all (class, origin,
 * destination) with trips: max (longest used bush path - shortest network
 * path) / shortest network path at the current costs (the shortest
 * paths are those of the last as_gap, which must have run at the current
 * costs). It bounds the relative gap from above, and unlike the gap it
 * sees a single OD pair's detour. MISSING (may be NULL) gets the same
 * measure for the shortest bush path: > 0 when a bush lacks a link of a
 * shortest path, which no flow shift can repair. One label pass per bush,
 * sequential. */
double as_bushes_max_excess(AsBushes *B, double *missing);

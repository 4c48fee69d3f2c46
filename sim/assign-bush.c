/* assign-bush.c: Dial's Algorithm B (Dial 2006, "A path-based user-
 * equilibrium traffic assignment algorithm that obviates path storage and
 * enumeration"), with the Newton flow shift of Nie (2010) and the inner
 * shift-only sweeps of Boyles' tap-b.
 *
 * Each (class, origin) pair keeps a bush: an acyclic set of links rooted at
 * the origin that carries all of that pair's flow, stored sparsely (link
 * list sorted by topological rank + flows + the topological order) so memory
 * grows with the bushes, not with origins x links. One iteration
 *   1. visits every bush in pair order (Gauss-Seidel: every shift updates
 *      link costs at once) and
 *      a. equilibrates it against the costs other bushes left;
 *      b. drops links without flow that are not on its shortest-path tree;
 *      c. adds links (i, j) with U_i + c_ij < U_j (Dial's test, U the
 *         longest path over the bush) or L_i + c_ij < L_j with U_i < U_j
 *         (L the shortest path): U stays a strict potential, so no cycle;
 *      d. equilibrates again: for every node (in reverse topological order)
 *         whose longest used path and shortest path arrive through different
 *         links, moves flow from the longest to the shortest segment back to
 *         where the two paths diverge, by a Newton step;
 *   2. repeats shift-only sweeps (no growth), at most 10, until no node of
 *      any bush has a used path more than 30% of the gap (or half the gap
 *      asked for) longer than its shortest one: the coupling between
 *      bushes, not their growth, is what makes plain B converge slowly.
 * Once the gap target is reached, as_bushes_polish runs the same sweeps to
 * a tighter bound and as_bushes_max_excess checks it against the network's
 * shortest paths (the driver's stopping rule, see assign.c).
 * Sweeps visit the bushes in batches (struct AsBushes below; sim/assign.h,
 * Determinism), the bushes of a batch in parallel; the initial trees are
 * built in parallel (they are independent). */
#include "sim/assign-internal.h"

#include <math.h>
#include <string.h>

typedef struct {
  int n, cap;
  double demand;  /* trips of the pair: scale of its flows */
  int *link;      /* sorted by the topological rank of their tails */
  double *flow;
  int *topo, n_topo; /* the bush's nodes in topological order (NULL: not yet) */
  guint64 seen;      /* epoch of its last shift-only visit that shifted nothing, 0: none */
  double seen_tol;   /* the tolerance of that visit */
} Bush;

/* Per-link records shared by all workers. */
struct NodeLabel { double L, U; int pL, pU; };
struct LinkEnds { int from, to; };
typedef struct { int link; double dv; } Delta; /* a pcu change of one link */

/* One worker's scratch for the bush being processed, and its view of the
 * link state. */
typedef struct {
  AsProblem *P;
  Bush *bush;               /* shared: per pair */
  const guint64 *changed;   /* shared: epoch in which each link's cost last moved */
  guint64 epoch;            /* the epoch of the state this batch sees */
  const struct LinkEnds *ends;
  const gboolean *has_fixed;
  int *pos;       /* m: index in the bush, -1 when not in it */
  double *xf;     /* m: the bush's flow on each link */
  int *topo, n_topo;
  int *rank;      /* n: position in topo, -1 when not reached */
  int *indeg;
  int *out_start, *out_list; /* bush links by tail, CSR */
  int *end;       /* n: zero outside build() */
  /* per node: shortest (L) and longest (U) bush path and their last links;
   * one 24-byte record per node, so that a label pass touches one cache
   * line per head node instead of four, and resets it with one store
   * (Anaheim to 1e-6, whole process: 214.0 M -> 199.2 M instructions) */
  struct NodeLabel *lab;
  double eps;     /* flows at or below this are rounding residue, not use */
  /* the worker's view of pcu flow, time and its derivative: the state at
   * the start of the batch plus the shifts of the bush being processed */
  double *v, *t, *dt;
  GArray *delta;  /* of Delta: the shifts of the bush being processed, in order */
} Work;

/* Bushes are processed in batches of BATCH consecutive pairs. Within a
 * batch every bush sees the link state at the start of the batch plus its
 * own shifts (its worker's view); after the batch, the shifts are applied
 * to the shared state in pair order. The batch, not the thread count,
 * decides what each bush sees, so any number of threads gives the same
 * bits. */
struct AsBushes {
  AsProblem *P;
  Bush *bush; /* per pair */
  Work **W;   /* per worker */
  int n_w;
  AsTeam *team;
  GArray **slot_delta;  /* per position in a batch: that bush's shifts */
  double *slot_worst;   /* per position: what process() returned */
  /* per link: its tail and head together (one cache line, not two); with
   * has_fixed, Anaheim to 1e-6: 199.2 M -> 197.2 M instructions */
  struct LinkEnds *ends;
  gboolean *has_fixed; /* per class: any fixed cost */
  double **dem_w; /* per worker demand scratch for the initial trees */
  /* visit stamps: a shift-only visit that shifted nothing need not be
   * repeated while no cost of the bush's links has moved since */
  guint64 epoch;
  guint64 *changed; /* m: epoch from which the link's current cost holds */
  guint64 *touched; /* m: scratch stamp for the reduction */
  int *touched_list;
};

/* Room for NEED links: exactly NEED the first time (the initial tree), then
 * a quarter more than needed. Doubling left 40 % of the slots unused on the
 * congested Grid30 (1,220-link bushes in 2,048 slots: 7.4 MB for 4.4 MB of
 * links; peak RSS to 1e-6 19.3 -> 17.1 MB, same flows). */
static void bush_reserve(Bush *b, int need) {
  if (need <= b->cap) return;
  int cap = b->cap ? need + need / 4 : need;
  b->link = g_renew(int, b->link, cap);
  b->flow = g_renew(double, b->flow, cap);
  b->cap = cap;
}

/* ---------------------------------------------------- initial trees */

static void init_item(int p, int worker, gpointer data) {
  AsBushes *B = data;
  AsProblem *P = B->P;
  const ThNetwork *net = P->net;
  int k = P->pair_class[p], o = P->pair_origin[p], m = P->m;
  const ThOdTable *od = P->cls[k].od;
  AsSp *sp = P->sp[worker];
  as_sp_run(sp, net, net->zone_node[o], P->head, P->w + (gsize)k * m, P->no_thru, NULL, 0);
  double *dem = B->dem_w[worker];
  for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++) {
    int v = net->zone_node[od->dest[i]];
    if (od->dest[i] != o && isfinite(sp->dist[v])) dem[v] += od->trips[i];
  }
  Bush *b = &B->bush[p];
  b->demand = 0;
  for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++)
    if (od->dest[i] != o) b->demand += od->trips[i];
  bush_reserve(b, sp->n_order);
  b->n = 0;
  /* backwards in settle order: each node's flow goes onto its tree link */
  for (int i = sp->n_order - 1; i > 0; i--) {
    int u = sp->order[i], a = sp->pred[u];
    double f = dem[u];
    dem[u] = 0.0;
    dem[net->link_from[a]] += f;
    b->link[b->n] = a;
    b->flow[b->n] = f;
    b->n++;
  }
  dem[sp->order[0]] = 0.0;
}

/* x = sum of bush flows, in pair order. */
static void bushes_to_x(AsBushes *B) {
  AsProblem *P = B->P;
  memset(P->x, 0, sizeof(double) * P->m * P->K);
  for (int p = 0; p < P->n_pairs; p++) {
    double *xk = P->x + (gsize)P->pair_class[p] * P->m;
    const Bush *b = &B->bush[p];
    for (int i = 0; i < b->n; i++) xk[b->link[i]] += b->flow[i];
  }
}

static Work *work_new(AsBushes *B) {
  AsProblem *P = B->P;
  int n = P->n, m = P->m;
  Work *W = g_new0(Work, 1);
  W->P = P;
  W->bush = B->bush;
  W->changed = B->changed;
  W->ends = B->ends;
  W->has_fixed = B->has_fixed;
  W->pos = g_new(int, m + 1);
  for (int a = 0; a < m; a++) W->pos[a] = -1;
  W->xf = g_new0(double, m + 1);
  W->topo = g_new(int, n + 1);
  W->rank = g_new(int, n + 1);
  for (int v = 0; v < n; v++) W->rank[v] = -1;
  W->indeg = g_new0(int, n + 1);
  W->out_start = g_new0(int, n + 2);
  W->out_list = g_new(int, m + 1);
  W->end = g_new0(int, n + 1);
  W->lab = g_new(struct NodeLabel, n + 1);
  /* views_reset fills them from P */
  W->v = g_new(double, m + 1);
  W->t = g_new(double, m + 1);
  W->dt = g_new(double, m + 1);
  return W;
}

static void work_free(Work *W) {
  g_free(W->pos);
  g_free(W->xf);
  g_free(W->topo);
  g_free(W->rank);
  g_free(W->indeg);
  g_free(W->out_start);
  g_free(W->out_list);
  g_free(W->end);
  g_free(W->lab);
  g_free(W->v);
  g_free(W->t);
  g_free(W->dt);
  g_free(W);
}

/* Batch size: see struct AsBushes. Two: the most bushes that shift at
 * once without overshooting on the test networks (four stall Sioux Falls
 * at gap 3e-5), and one per core of the machines this is built for. Batches
 * of two cost 0-20% more instructions than plain Gauss-Seidel (batches of
 * one) on one thread: Grid20 to 1e-4, 995 M -> 1,189 M with the old sweep
 * tolerance, 687 M -> 735 M with the present one. */
#define BATCH 2

AsBushes *as_bushes_new(AsProblem *P) {
  AsBushes *B = g_new0(AsBushes, 1);
  int n = P->n, m = P->m;
  B->P = P;
  B->bush = g_new0(Bush, P->n_pairs + 1);
  B->changed = g_new0(guint64, m + 1);
  B->touched = g_new0(guint64, m + 1);
  B->touched_list = g_new(int, m + 1);
  B->epoch = 1;
  B->ends = g_new(struct LinkEnds, m + 1);
  for (int a = 0; a < m; a++)
    B->ends[a] = (struct LinkEnds){P->net->link_from[a], P->net->link_to[a]};
  B->has_fixed = g_new0(gboolean, P->K + 1);
  for (int k = 0; k < P->K; k++)
    for (int a = 0; a < m && !B->has_fixed[k]; a++)
      B->has_fixed[k] = P->fixed[(gsize)k * m + a] != 0.0;
  B->dem_w = g_new(double *, P->threads);
  for (int w = 0; w < P->threads; w++) B->dem_w[w] = g_new0(double, n + 1);
  as_parallel_for(P->n_pairs, P->threads, init_item, B);
  bushes_to_x(B);
  B->slot_delta = g_new(GArray *, BATCH);
  for (int i = 0; i < BATCH; i++) B->slot_delta[i] = g_array_new(FALSE, FALSE, sizeof(Delta));
  B->slot_worst = g_new0(double, BATCH);
  B->n_w = MAX(1, MIN(P->threads, BATCH));
  B->team = as_team_new(B->n_w);
  return B;
}

/* The workers' views start from the state of P (v, t, dt), which the
 * driver recomputes between iterations. */
static void views_reset(AsBushes *B) {
  AsProblem *P = B->P;
  gsize sz = sizeof(double) * P->m;
  if (!B->W) {
    B->W = g_new0(Work *, B->n_w);
    for (int w = 0; w < B->n_w; w++) B->W[w] = work_new(B);
  }
  for (int w = 0; w < B->n_w; w++) {
    memcpy(B->W[w]->v, P->v, sz);
    memcpy(B->W[w]->t, P->t, sz);
    memcpy(B->W[w]->dt, P->dt, sz);
  }
}

void as_bushes_free(AsBushes *B) {
  if (!B) return;
  for (int p = 0; p < B->P->n_pairs; p++) {
    g_free(B->bush[p].link);
    g_free(B->bush[p].flow);
    g_free(B->bush[p].topo);
  }
  g_free(B->bush);
  if (B->W)
    for (int w = 0; w < B->n_w; w++) work_free(B->W[w]);
  g_free(B->W);
  as_team_free(B->team);
  for (int i = 0; i < BATCH; i++) g_array_unref(B->slot_delta[i]);
  g_free(B->slot_delta);
  g_free(B->slot_worst);
  g_free(B->changed);
  g_free(B->touched);
  g_free(B->touched_list);
  g_free(B->ends);
  g_free(B->has_fixed);
  for (int w = 0; w < B->P->threads; w++) g_free(B->dem_w[w]);
  g_free(B->dem_w);
  g_free(B);
}

/* ------------------------------------------------ one bush, in scratch */

/* Link cost of class k in the worker's view. */
static inline double lcost(const Work *W, int k, int a) {
  return W->t[a] + W->P->fixed[(gsize)k * W->P->m + a];
}

/* Out-lists (CSR slices in order of first appearance, END[u] = end of u's
 * slice, 0 for nodes without bush out-links), then a topological order from
 * ROOT by Kahn's algorithm with ranks. END must be zero on entry wherever
 * this bush writes (clear_ends). O(n_b) for a bush of n_b links. */
static void build(Work *B, const Bush *b, int root, int *end) {
  const ThNetwork *net = B->P->net;
  /* clear previous nodes */
  for (int i = 0; i < B->n_topo; i++) B->rank[B->topo[i]] = -1;
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i];
    end[net->link_from[a]] = 0;
    B->indeg[net->link_to[a]] = 0;
  }
  end[root] = 0;
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i];
    end[net->link_from[a]]++;
    B->indeg[net->link_to[a]]++;
  }
  /* slices in order of first appearance; end[] then serves as fill cursor */
  int total = 0;
  for (int i = 0; i < b->n; i++) {
    int u = net->link_from[b->link[i]];
    if (end[u] > 0) {
      int d = end[u];
      B->out_start[u] = total;
      end[u] = -(total + 1); /* reserved: cursor encoded negative */
      total += d;
    }
  }
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i], u = net->link_from[a];
    int cur = -end[u] - 1;
    B->out_list[cur] = a;
    end[u] = -(cur + 2);
  }
  for (int i = 0; i < b->n; i++) {
    int u = net->link_from[b->link[i]];
    if (end[u] < 0) end[u] = -end[u] - 1;
  }
  /* Kahn */
  int head = 0, tail = 0;
  B->topo[tail++] = root;
  B->rank[root] = 0;
  while (head < tail) {
    int u = B->topo[head++];
    for (int j = B->out_start[u]; j < end[u]; j++) {
      int v = net->link_to[B->out_list[j]];
      if (--B->indeg[v] == 0) {
        B->rank[v] = tail;
        B->topo[tail++] = v;
      }
    }
  }
  B->n_topo = tail;
}

/* Clears END for nodes that are not tails of the bush so that build() of
 * the next bush starts from zeros only where it writes. */
static void clear_ends(Work *B, const Bush *b, int root, int *end) {
  const ThNetwork *net = B->P->net;
  for (int i = 0; i < b->n; i++) end[net->link_from[b->link[i]]] = 0;
  end[root] = 0;
  for (int i = 0; i < B->n_topo; i++) end[B->topo[i]] = 0;
}

/* Keeps the topological order of the scratch bush with it, and sorts its
 * links by the rank of their tails (counting sort), so that later label
 * passes are one sweep over the link list with no adjacency to build.
 * O(n_b + n_topo). */
static void save_order(Work *B, Bush *b) {
  const int *from = B->P->net->link_from;
  b->topo = g_renew(int, b->topo, B->n_topo);
  memcpy(b->topo, B->topo, sizeof(int) * B->n_topo);
  b->n_topo = B->n_topo;
  int *cnt = B->indeg; /* zero outside Kahn */
  int nt = B->n_topo;
  g_autofree int *start = g_new0(int, nt + 1);
  for (int i = 0; i < b->n; i++) start[B->rank[from[b->link[i]]] + 1]++;
  for (int r = 0; r < nt; r++) start[r + 1] += start[r];
  g_autofree int *lk = g_new(int, b->n + 1);
  g_autofree double *fl = g_new(double, b->n + 1);
  for (int i = 0; i < b->n; i++) {
    int q = start[B->rank[from[b->link[i]]]]++;
    lk[q] = b->link[i];
    fl[q] = b->flow[i];
  }
  memcpy(b->link, lk, sizeof(int) * b->n);
  memcpy(b->flow, fl, sizeof(double) * b->n);
  for (int i = 0; i < b->n; i++) B->pos[b->link[i]] = i;
  (void)cnt;
}

/* Makes the saved order of B the scratch order (ranks included). */
static void load_order(Work *B, const Bush *b) {
  for (int i = 0; i < B->n_topo; i++) B->rank[B->topo[i]] = -1;
  memcpy(B->topo, b->topo, sizeof(int) * b->n_topo);
  B->n_topo = b->n_topo;
  for (int i = 0; i < b->n_topo; i++) B->rank[b->topo[i]] = i;
}

/* labels() over a bush whose links are sorted by tail rank: one pass over
 * the links. A node's labels are final when its first out-link comes up. */
/* The pass itself, for one kind of class: FIXED is the class's fixed costs
 * or NULL when it has none (most classes: one random load fewer per link). */
static inline void labels_pass(Work *B, const Bush *b, const double *t, const double *fixed,
                               double eps) {
  const struct LinkEnds *ends = B->ends;
  struct NodeLabel *lab = B->lab;
  for (int i = 0; i < B->n_topo; i++) {
    int u = B->topo[i];
    lab[u] = (struct NodeLabel){INFINITY, -INFINITY, -1, -1};
  }
  int r = B->topo[0];
  lab[r].L = lab[r].U = 0.0;
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i], u = ends[a].from;
    /* u's labels are final (its in-links have tails of lower rank). A node
     * that no used link reaches takes its shortest path as its longest.
     * Done for every out-link, with selects, not once per tail behind an
     * "is this a new tail" test: it is idempotent, and that test was
     * mispredicted on 40 % of the links. Grid30 to 1e-4 (cachegrind):
     * 40.9 M -> 35.4 M mispredicted branches for 1.6 % more instructions;
     * user time 0.67 -> 0.65 s (4 runs alternated, load 9-17) */
    struct NodeLabel *lu = &lab[u];
    gboolean fix = (lu->pU < 0) & (u != r);
    double Lu = lu->L, Uu = fix ? lu->L : lu->U;
    lu->U = Uu;
    lu->pU = fix ? lu->pL : lu->pU;
    int v = ends[a].to;
    double c = fixed ? t[a] + fixed[a] : t[a];
    if (Lu + c < lab[v].L) {
      lab[v].L = Lu + c;
      lab[v].pL = a;
    }
    if (B->xf[a] > eps && Uu + c > lab[v].U) {
      lab[v].U = Uu + c;
      lab[v].pU = a;
    }
  }
}

static void labels_sorted(Work *B, const Bush *b, int k, gboolean used_only) {
  AsProblem *P = B->P;
  double eps = used_only ? B->eps : -1.0;
  if (B->has_fixed[k]) labels_pass(B, b, B->t, P->fixed + (gsize)k * P->m, eps);
  else labels_pass(B, b, B->t, NULL, eps);
}

static void shift_at(Work *B, int k, int j) {
  AsProblem *P = B->P;
  const ThNetwork *net = P->net;
  const int *from = net->link_from;
  /* find the divergence node: walk back the path whose node is later */
  int a = from[B->lab[j].pL], b = from[B->lab[j].pU];
  while (a != b) {
    if (B->rank[a] > B->rank[b]) a = from[B->lab[a].pL];
    else b = from[B->lab[b].pU];
  }
  int d = a;
  double cmin = 0, cmax = 0, der = 0, fmax = INFINITY;
  int n_seg = 0; /* links on both segments: the shifts to record */
  for (int u = j; u != d;) {
    int e = B->lab[u].pL;
    cmin += lcost(B, k, e);
    der += B->dt[e];
    u = from[e];
    n_seg++;
  }
  for (int u = j; u != d;) {
    int e = B->lab[u].pU;
    cmax += lcost(B, k, e);
    der += B->dt[e];
    if (B->xf[e] < fmax) fmax = B->xf[e];
    u = from[e];
    n_seg++;
  }
  double diff = cmax - cmin;
  if (!(diff > 0) || !(fmax > 0)) return;
  double pcu = P->pcu_k[k];
  double delta = der > 0 ? diff / (pcu * der) : fmax;
  if (delta > fmax) delta = fmax;
  /* the shifts' records in one resize, not one g_array_append_val call per
   * link (Sioux Falls to 1e-6: 2.8 M of 27.7 M instructions were those calls) */
  guint base = B->delta->len;
  g_array_set_size(B->delta, base + n_seg);
  Delta *rec = (Delta *)B->delta->data + base;
  for (int u = j; u != d;) {
    int e = B->lab[u].pU;
    B->xf[e] -= delta;
    if (B->xf[e] < 0) B->xf[e] = 0;
    B->v[e] -= pcu * delta;
    if (B->v[e] < 0) B->v[e] = 0;
    *rec++ = (Delta){e, -pcu * delta};
    B->t[e] = as_time(P, e, B->v[e]);
    B->dt[e] = as_dtime(P, e, B->v[e]);
    u = from[e];
  }
  for (int u = j; u != d;) {
    int e = B->lab[u].pL;
    B->xf[e] += delta;
    B->v[e] += pcu * delta;
    *rec++ = (Delta){e, pcu * delta};
    B->t[e] = as_time(P, e, B->v[e]);
    B->dt[e] = as_dtime(P, e, B->v[e]);
    u = from[e];
  }
}

/* Equilibrates the bush in scratch: up to MAX_PASSES passes of labels then
 * shifts at every node whose longest used and shortest paths differ, until
 * the worst relative difference is below TOL. */
static double equilibrate(Work *B, const Bush *b, int k, int max_passes, double tol) {
  double first = -1;
  for (int pass = 0; pass < max_passes; pass++) {
    labels_sorted(B, b, k, TRUE);
    double worst = 0;
    for (int i = B->n_topo - 1; i > 0; i--) {
      int j = B->topo[i];
      if (B->lab[j].pU == B->lab[j].pL || B->lab[j].pU < 0) continue;
      double dj = B->lab[j].U - B->lab[j].L;
      if (!(dj > tol * B->lab[j].U)) continue; /* below the pass target: not worth a walk */
      if (dj / B->lab[j].U > worst) worst = dj / B->lab[j].U;
      shift_at(B, k, j);
    }
    if (first < 0) first = worst;
    if (worst < tol) break;
  }
  return first;
}

static double process(Work *B, int p, double tol, gboolean grow) {
  int *end = B->end;
  AsProblem *P = B->P;
  const ThNetwork *net = P->net;
  int k = P->pair_class[p], m = P->m;
  int root = net->zone_node[P->pair_origin[p]];
  Bush *b = &B->bush[p];
  const guint8 *allowed = P->allowed + (gsize)k * m;
  if (!grow && b->seen && tol >= b->seen_tol) {
    gboolean moved = FALSE;
    for (int i = 0; i < b->n && !moved; i++) moved = B->changed[b->link[i]] > b->seen;
    if (!moved) return 0.0; /* the same labels, the same (empty) outcome */
  }
  b->seen = 0;
  guint64 visit = B->epoch;
  /* Shifts keep flow conservation only up to rounding: a link can keep
   * 1e-13 vehicles after its upstream link went to exactly zero. Such
   * residue must not count as a used path (it would pin the longest path to
   * a link without flow and block every shift), and is dropped on pruning. */
  B->eps = 1e-11 * b->demand;
  for (int i = 0; i < b->n; i++) {
    B->pos[b->link[i]] = i;
    B->xf[b->link[i]] = b->flow[i];
  }
  if (!b->topo) {
    build(B, b, root, end);
    save_order(B, b);
    clear_ends(B, b, root, end);
  }
  load_order(B, b);
  /* costs moved since the last visit (other bushes shifted flow): settle
   * first, so that the longest-path labels below are close to the shortest
   * ones and the growth test admits every link that shortens a path */
  /* one pass per visit in shift-only sweeps: more passes chase costs that
   * the other bushes move anyway (Anaheim: 1 pass 324 M instructions to
   * 1e-6, 2 passes 397 M, 4 passes 340 M) */
  double worst = equilibrate(B, b, k, grow ? 2 : 1, tol);
  if (!grow) {
    if (worst == 0) {
      b->seen = visit;
      b->seen_tol = tol;
    }
    goto gather;
  }

  /* labels over every bush link: L (shortest) with its tree, U (longest) */
  labels_sorted(B, b, k, FALSE);
  /* prune links without flow off the shortest-path tree (every node keeps
   * its tree link, so the bush still reaches every node it reached) */
  int w = 0;
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i];
    if (B->xf[a] <= B->eps && B->lab[net->link_to[a]].pL != a) {
      B->pos[a] = -1;
      B->xf[a] = 0;
      continue;
    }
    b->link[w] = a;
    b->flow[w] = B->xf[a];
    B->pos[a] = w;
    w++;
  }
  gboolean changed = w != b->n;
  b->n = w;
  /* U over the pruned bush (still sorted): links just dropped must not
   * keep the longest-path labels up */
  if (changed) labels_sorted(B, b, k, FALSE);
  /* grow. U is the longest path over every bush link: U_j >= U_i along
   * every bush link. A new link
   * with U_i < U_j keeps U a strict potential, so no cycle can form. Links
   * are admitted when they shorten the longest path (Dial's test) or, still
   * going up in U, the shortest one: shifts stop at a tolerance, so U can
   * stay above L and Dial's test alone would stall. */
  for (int a = 0; a < m; a++) {
    if (!allowed[a] || B->pos[a] >= 0) continue;
    int i = net->link_from[a], j = net->link_to[a];
    if (B->rank[i] < 0 || B->rank[j] < 0 || j == root) continue;
    if (i != root && P->no_thru[i]) continue;
    double c = lcost(B, k, a);
    if (B->lab[i].U + c < B->lab[j].U ||
        (B->lab[i].L + c < B->lab[j].L && B->lab[i].U < B->lab[j].U)) {
      bush_reserve(b, b->n + 1);
      b->link[b->n] = a;
      b->flow[b->n] = 0;
      B->pos[a] = b->n;
      B->xf[a] = 0;
      b->n++;
      changed = TRUE;
    }
  }
  if (changed) {
    build(B, b, root, end);
    save_order(B, b);
    clear_ends(B, b, root, end);
  }
  equilibrate(B, b, k, 4, tol);

gather:
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i];
    b->flow[i] = B->xf[a];
    B->xf[a] = 0;
    B->pos[a] = -1;
  }
  return worst;
}

typedef struct {
  AsBushes *B;
  int lo;
  double tol;
  gboolean grow;
} BatchJob;

static void batch_item(int i, int worker, gpointer data) {
  BatchJob *J = data;
  Work *W = J->B->W[worker];
  const AsProblem *P = W->P;
  W->delta = J->B->slot_delta[i];
  g_array_set_size(W->delta, 0);
  J->B->slot_worst[i] = process(W, J->lo + i, J->tol, J->grow);
  /* back to the shared state for the worker's next bush */
  const Delta *d = (const Delta *)W->delta->data;
  for (guint j = 0; j < W->delta->len; j++) {
    int e = d[j].link;
    W->v[e] = P->v[e];
    W->t[e] = P->t[e];
    W->dt[e] = P->dt[e];
  }
  W->delta = NULL;
}

/* One sweep over every bush (growing them when GROW) in batches, each
 * batch on the team, then its shifts applied in pair order (struct
 * AsBushes). Returns the worst relative excess any visit saw. */
static double sweep(AsBushes *B, double tol, gboolean grow) {
  AsProblem *P = B->P;
  double worst = 0;
  for (int lo = 0; lo < P->n_pairs; lo += BATCH) {
    int nb = MIN(BATCH, P->n_pairs - lo);
    for (int w = 0; w < B->n_w; w++) B->W[w]->epoch = B->epoch;
    BatchJob J = {B, lo, tol, grow};
    as_team_run(B->team, nb, batch_item, &J);
    guint64 next = B->epoch + 1;
    int nt = 0;
    for (int i = 0; i < nb; i++) {
      worst = MAX(worst, B->slot_worst[i]);
      const Delta *d = (const Delta *)B->slot_delta[i]->data;
      for (guint j = 0; j < B->slot_delta[i]->len; j++) {
        int e = d[j].link;
        P->v[e] += d[j].dv;
        if (P->v[e] < 0) P->v[e] = 0;
        if (B->touched[e] != next) {
          B->touched[e] = next;
          B->touched_list[nt++] = e;
        }
      }
    }
    for (int j = 0; j < nt; j++) {
      int e = B->touched_list[j];
      P->t[e] = as_time(P, e, P->v[e]);
      P->dt[e] = as_dtime(P, e, P->v[e]);
      B->changed[e] = next;
      for (int w = 0; w < B->n_w; w++) {
        B->W[w]->v[e] = P->v[e];
        B->W[w]->t[e] = P->t[e];
        B->W[w]->dt[e] = P->dt[e];
      }
    }
    B->epoch = next;
  }
  return worst;
}

/* Shift-only sweeps with pass tolerance TOL until a whole sweep finds no
 * node of any bush whose longest used path exceeds its shortest path by more
 * than TOL (relative) or MAX_SWEEPS sweeps ran. Returns the worst relative
 * excess seen in the last sweep (0 when none exceeds TOL). */
static double shift_sweeps(AsBushes *B, double tol, int max_sweeps) {
  double worst = 0;
  for (int s = 0; s < max_sweeps; s++) {
    worst = sweep(B, tol, FALSE);
    if (worst == 0) break;
  }
  return worst;
}

void as_bushes_iterate(AsBushes *B, double current_gap, double target_gap) {
  views_reset(B);
  /* Sweep tolerance: a node's longest used path may exceed its shortest by
   * 30% of the current gap (relative), or half the gap the run stops at,
   * whichever is larger; and at most 10 shift-only sweeps follow the growth
   * sweep. Finer tolerances and more sweeps polish flows that the next
   * growth sweep moves again anyway. Against 1% of the gap and 50 sweeps
   * (callgrind, whole process, batches of two): Grid20 (1,820 links, 150
   * zones) to 1e-4 1,189 M -> 735 M instructions, to 1e-6 2,039 M ->
   * 1,036 M; Anaheim 206 M -> 80 M and 288 M -> 132 M; Sioux Falls 26.5 M
   * -> 21.5 M and 34.3 M -> 38.5 M (12 iterations instead of 4, each far
   * cheaper). */
  double tol = MAX(0.3 * current_gap, 0.5 * target_gap);
  sweep(B, tol, TRUE);
  /* shift-only sweeps (tap-b's inner iterations): the bushes' links stay
   * and their flows settle against each other's costs, at a fraction of
   * the cost of a sweep that grows bushes */
  shift_sweeps(B, tol, 10);
  bushes_to_x(B);
}

double as_bushes_polish(AsBushes *B, double max_excess) {
  views_reset(B);
  double worst = shift_sweeps(B, max_excess, 200);
  bushes_to_x(B);
  return worst;
}

double as_bushes_max_excess(AsBushes *Bs, double *missing) {
  AsProblem *P = Bs->P;
  views_reset(Bs);
  Work *B = Bs->W[0];
  const ThNetwork *net = P->net;
  double worst = 0, miss = 0;
  for (int p = 0; p < P->n_pairs; p++) {
    int k = P->pair_class[p], o = P->pair_origin[p];
    const ThOdTable *od = P->cls[k].od;
    const double *dist = P->od_dist + P->od_off[k];
    Bush *b = &B->bush[p];
    if (!b->topo) continue;
    B->eps = 1e-11 * b->demand;
    for (int i = 0; i < b->n; i++) B->xf[b->link[i]] = b->flow[i];
    load_order(B, b);
    labels_sorted(B, b, k, TRUE);
    for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++) {
      if (od->dest[i] == o || !(od->trips[i] > 0)) continue;
      int v = net->zone_node[od->dest[i]];
      double d = dist[i];
      if (B->rank[v] < 0 || B->lab[v].pU < 0 || !(d > 0) || !isfinite(d)) continue;
      double ex = (B->lab[v].U - d) / d;
      if (ex > worst) worst = ex;
      if ((B->lab[v].L - d) / d > miss) miss = (B->lab[v].L - d) / d;
    }
    for (int i = 0; i < b->n; i++) B->xf[b->link[i]] = 0;
  }
  if (missing) *missing = miss;
  return worst;
}

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
 *   2. repeats shift-only sweeps (no growth) until no node of any bush has
 *      a used path more than 1% of the gap (relative) longer than its
 *      shortest one: the coupling between bushes, not their growth, is what
 *      makes plain Gauss-Seidel B converge slowly.
 * Once the gap target is reached, as_bushes_polish runs the same sweeps to
 * a tighter bound and as_bushes_max_excess checks it against the network's
 * shortest paths (the driver's stopping rule, see assign.c).
 * The sweeps are sequential so results do not depend on the thread count;
 * the initial trees are built in parallel (they are independent). */
#include "sim/assign-internal.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

typedef struct {
  int n, cap;
  double demand;  /* trips of the pair: scale of its flows */
  int *link;      /* sorted by the topological rank of their tails */
  double *flow;
  int *topo, n_topo; /* the bush's nodes in topological order (NULL: not yet) */
  guint64 seen;      /* stamp of its last shift-only visit that shifted nothing, 0: none */
  double seen_tol;   /* the tolerance of that visit */
} Bush;

struct AsBushes {
  AsProblem *P;
  Bush *bush; /* per pair */
  /* scratch for the bush being processed */
  int *pos;       /* m: index in the bush, -1 when not in it */
  double *xf;     /* m: the bush's flow on each link */
  int *topo, n_topo;
  int *rank;      /* n: position in topo, -1 when not reached */
  int *indeg;
  int *out_start, *out_list; /* bush links by tail, CSR */
  /* per node: shortest (L) and longest (U) bush path and their last links;
   * one 24-byte record per node, so that a label pass touches one cache
   * line per head node instead of four, and resets it with one store
   * (Anaheim to 1e-6, whole process: 214.0 M -> 199.2 M instructions) */
  struct NodeLabel { double L, U; int pL, pU; } *lab;
  /* per link: its tail and head together (one cache line, not two); with
   * has_fixed, Anaheim to 1e-6: 199.2 M -> 197.2 M instructions */
  struct LinkEnds { int from, to; } *ends;
  gboolean *has_fixed; /* per class: any fixed cost */
  double **dem_w; /* per worker demand scratch for the initial trees */
  double eps;     /* flows at or below this are rounding residue, not use */
  /* visit stamps: a shift-only visit that shifted nothing need not be
   * repeated while no cost of the bush's links has moved since */
  guint64 clock;
  guint64 *changed; /* m: stamp of the visit that last moved the link's cost */
};

static void bush_reserve(Bush *b, int need) {
  if (need <= b->cap) return;
  int cap = b->cap ? b->cap : 16;
  while (cap < need) cap *= 2;
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

AsBushes *as_bushes_new(AsProblem *P) {
  AsBushes *B = g_new0(AsBushes, 1);
  int n = P->n, m = P->m;
  B->P = P;
  B->bush = g_new0(Bush, P->n_pairs + 1);
  B->pos = g_new(int, m + 1);
  B->changed = g_new0(guint64, m + 1);
  for (int a = 0; a < m; a++) B->pos[a] = -1;
  B->xf = g_new0(double, m + 1);
  B->topo = g_new(int, n + 1);
  B->rank = g_new(int, n + 1);
  B->indeg = g_new0(int, n + 1);
  B->out_start = g_new0(int, n + 2);
  B->out_list = g_new(int, m + 1);
  B->lab = g_new(struct NodeLabel, n + 1);
  B->ends = g_new(struct LinkEnds, m + 1);
  for (int a = 0; a < m; a++) B->ends[a] = (struct LinkEnds){P->net->link_from[a], P->net->link_to[a]};
  B->has_fixed = g_new0(gboolean, P->K + 1);
  for (int k = 0; k < P->K; k++)
    for (int a = 0; a < m && !B->has_fixed[k]; a++) B->has_fixed[k] = P->fixed[(gsize)k * m + a] != 0.0;
  for (int v = 0; v < n; v++) B->rank[v] = -1;
  B->dem_w = g_new(double *, P->threads);
  for (int w = 0; w < P->threads; w++) B->dem_w[w] = g_new0(double, n + 1);
  as_parallel_for(P->n_pairs, P->threads, init_item, B);
  bushes_to_x(B);
  return B;
}

void as_bushes_free(AsBushes *B) {
  if (!B) return;
  for (int p = 0; p < B->P->n_pairs; p++) {
    g_free(B->bush[p].link);
    g_free(B->bush[p].flow);
    g_free(B->bush[p].topo);
  }
  g_free(B->bush);
  g_free(B->pos);
  g_free(B->changed);
  g_free(B->xf);
  g_free(B->topo);
  g_free(B->rank);
  g_free(B->indeg);
  g_free(B->out_start);
  g_free(B->out_list);
  g_free(B->lab);
  g_free(B->ends);
  g_free(B->has_fixed);
  for (int w = 0; w < B->P->threads; w++) g_free(B->dem_w[w]);
  g_free(B->dem_w);
  g_free(B);
}

/* ------------------------------------------------ one bush, in scratch */

/* Link cost of class k. */
static inline double lcost(const AsProblem *P, int k, int a) {
  return P->t[a] + P->fixed[(gsize)k * P->m + a];
}

/* Out-lists (CSR slices in order of first appearance, END[u] = end of u's
 * slice, 0 for nodes without bush out-links), then a topological order from
 * ROOT by Kahn's algorithm with ranks. END must be zero on entry wherever
 * this bush writes (clear_ends). O(n_b) for a bush of n_b links. */
static void build(AsBushes *B, const Bush *b, int root, int *end) {
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
static void clear_ends(AsBushes *B, const Bush *b, int root, int *end) {
  const ThNetwork *net = B->P->net;
  for (int i = 0; i < b->n; i++) end[net->link_from[b->link[i]]] = 0;
  end[root] = 0;
  for (int i = 0; i < B->n_topo; i++) end[B->topo[i]] = 0;
}

/* Keeps the topological order of the scratch bush with it, and sorts its
 * links by the rank of their tails (counting sort), so that later label
 * passes are one sweep over the link list with no adjacency to build.
 * O(n_b + n_topo). */
static void save_order(AsBushes *B, Bush *b) {
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
static void load_order(AsBushes *B, const Bush *b) {
  for (int i = 0; i < B->n_topo; i++) B->rank[B->topo[i]] = -1;
  memcpy(B->topo, b->topo, sizeof(int) * b->n_topo);
  B->n_topo = b->n_topo;
  for (int i = 0; i < b->n_topo; i++) B->rank[b->topo[i]] = i;
}

/* labels() over a bush whose links are sorted by tail rank: one pass over
 * the links. A node's labels are final when its first out-link comes up. */
/* The pass itself, for one kind of class: FIXED is the class's fixed costs
 * or NULL when it has none (most classes: one random load fewer per link). */
static inline void labels_pass(AsBushes *B, const Bush *b, const double *t, const double *fixed,
                               double eps) {
  const struct LinkEnds *ends = B->ends;
  struct NodeLabel *lab = B->lab;
  for (int i = 0; i < B->n_topo; i++) {
    int u = B->topo[i];
    lab[u] = (struct NodeLabel){INFINITY, -INFINITY, -1, -1};
  }
  int r = B->topo[0];
  lab[r].L = lab[r].U = 0.0;
  int last = -1;
  double Lu = 0, Uu = 0;
  for (int i = 0; i < b->n; i++) {
    int a = b->link[i], u = ends[a].from;
    if (u != last) {
      if (lab[u].pU < 0 && u != r) {
        lab[u].U = lab[u].L;
        lab[u].pU = lab[u].pL;
      }
      last = u;
      Lu = lab[u].L;
      Uu = lab[u].U;
    }
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

static void labels_sorted(AsBushes *B, const Bush *b, int k, gboolean used_only) {
  AsProblem *P = B->P;
  double eps = used_only ? B->eps : -1.0;
  if (B->has_fixed[k]) labels_pass(B, b, P->t, P->fixed + (gsize)k * P->m, eps);
  else labels_pass(B, b, P->t, NULL, eps);
}

static void shift_at(AsBushes *B, int k, int j) {
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
  for (int u = j; u != d;) {
    int e = B->lab[u].pL;
    cmin += lcost(P, k, e);
    der += P->dt[e];
    u = from[e];
  }
  for (int u = j; u != d;) {
    int e = B->lab[u].pU;
    cmax += lcost(P, k, e);
    der += P->dt[e];
    if (B->xf[e] < fmax) fmax = B->xf[e];
    u = from[e];
  }
  double diff = cmax - cmin;
  if (!(diff > 0) || !(fmax > 0)) return;
  double pcu = P->pcu_k[k];
  double delta = der > 0 ? diff / (pcu * der) : fmax;
  if (delta > fmax) delta = fmax;
  for (int u = j; u != d;) {
    int e = B->lab[u].pU;
    B->xf[e] -= delta;
    if (B->xf[e] < 0) B->xf[e] = 0;
    P->v[e] -= pcu * delta;
    if (P->v[e] < 0) P->v[e] = 0;
    B->changed[e] = B->clock;
    P->t[e] = as_time(P, e, P->v[e]);
    P->dt[e] = as_dtime(P, e, P->v[e]);
    u = from[e];
  }
  for (int u = j; u != d;) {
    int e = B->lab[u].pL;
    B->xf[e] += delta;
    P->v[e] += pcu * delta;
    B->changed[e] = B->clock;
    P->t[e] = as_time(P, e, P->v[e]);
    P->dt[e] = as_dtime(P, e, P->v[e]);
    u = from[e];
  }
}

/* Equilibrates the bush in scratch: up to MAX_PASSES passes of labels then
 * shifts at every node whose longest used and shortest paths differ, until
 * the worst relative difference is below TOL. */
static double equilibrate(AsBushes *B, const Bush *b, int k, int max_passes, double tol) {
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

static double process(AsBushes *B, int p, int *end, double tol, gboolean grow) {
  AsProblem *P = B->P;
  const ThNetwork *net = P->net;
  int k = P->pair_class[p], m = P->m;
  int root = net->zone_node[P->pair_origin[p]];
  Bush *b = &B->bush[p];
  const guint8 *allowed = P->allowed + (gsize)k * m;
  B->clock++;
  if (!grow && b->seen && tol >= b->seen_tol) {
    gboolean moved = FALSE;
    for (int i = 0; i < b->n && !moved; i++) moved = B->changed[b->link[i]] >= b->seen;
    if (!moved) return 0.0; /* the same labels, the same (empty) outcome */
  }
  b->seen = 0;
  guint64 visit = B->clock;
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
    double c = lcost(P, k, a);
    if (B->lab[i].U + c < B->lab[j].U || (B->lab[i].L + c < B->lab[j].L && B->lab[i].U < B->lab[j].U)) {
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

/* Shift-only sweeps with pass tolerance TOL until a whole sweep finds no
 * node of any bush whose longest used path exceeds its shortest path by more
 * than TOL (relative) or MAX_SWEEPS sweeps ran. Returns the worst relative
 * excess seen in the last sweep (0 when none exceeds TOL). */
static double shift_sweeps(AsBushes *B, int *end, double tol, int max_sweeps) {
  AsProblem *P = B->P;
  double worst = 0;
  for (int s = 0; s < max_sweeps; s++) {
    worst = 0;
    for (int p = 0; p < P->n_pairs; p++) {
      /* not MAX(worst, process(...)): the macro would visit the bush twice */
      double w = process(B, p, end, tol, FALSE);
      worst = MAX(worst, w);
    }
    if (worst == 0) break;
  }
  return worst;
}

void as_bushes_iterate(AsBushes *B, double current_gap, double target_gap) {
  AsProblem *P = B->P;
  int *end = g_new0(int, P->n + 1);
  static double tf = -1;
  if (tf < 0) tf = g_getenv("TH_TOLF") ? g_ascii_strtod(g_getenv("TH_TOLF"), NULL) : 0.01;
  static double ff = -1;
  if (ff < 0) ff = g_getenv("TH_TOLT") ? g_ascii_strtod(g_getenv("TH_TOLT"), NULL) : 0.0;
  double tol = MAX(tf * current_gap, ff * target_gap);
  for (int p = 0; p < P->n_pairs; p++) process(B, p, end, tol, TRUE);
  /* shift-only sweeps (tap-b's inner iterations): the bushes' links stay
   * and their flows settle against each other's costs, at a fraction of
   * the cost of a sweep that grows bushes, until no used path anywhere
   * exceeds its shortest path by more than 1% of the gap */
  static int ns = -1;
  if (ns < 0) ns = g_getenv("TH_SWEEPS") ? atoi(g_getenv("TH_SWEEPS")) : 50;
  shift_sweeps(B, end, tol, ns);
  g_free(end);
  bushes_to_x(B);
}

double as_bushes_polish(AsBushes *B, double max_excess) {
  AsProblem *P = B->P;
  int *end = g_new0(int, P->n + 1);
  double worst = shift_sweeps(B, end, max_excess, 200);
  g_free(end);
  bushes_to_x(B);
  return worst;
}

double as_bushes_max_excess(AsBushes *B, double *missing) {
  AsProblem *P = B->P;
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

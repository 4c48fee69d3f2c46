/* router.c: time-dependent Dijkstra on integer seconds with Dial's buckets. */
#include "sim/router.h"

#include <string.h>

ThLinkTimes *th_link_times_new(int n_links, int n_bins, int32_t bin_s, const int32_t *free_s) {
  ThLinkTimes *lt = g_new0(ThLinkTimes, 1);
  lt->n_links = n_links;
  lt->n_bins = n_bins;
  lt->per_s = 1;
  lt->bin_s = bin_s > 0 ? bin_s : 900;
  lt->free = g_new(int32_t, n_links + 1);
  if (n_links) memcpy(lt->free, free_s, sizeof(int32_t) * n_links);
  lt->tt = g_new(int32_t, (size_t)n_links * MAX(n_bins, 1) + 1);
  for (int b = 0; b < n_bins; b++) memcpy(lt->tt + (size_t)b * n_links, free_s, sizeof(int32_t) * n_links);
  th_link_times_finish(lt);
  return lt;
}

void th_link_times_finish(ThLinkTimes *lt) {
  int32_t mx = 1;
  size_t n = (size_t)lt->n_links * lt->n_bins;
  for (size_t i = 0; i < n; i++) {
    if (lt->tt[i] < 1) lt->tt[i] = 1;
    if (lt->tt[i] > mx) mx = lt->tt[i];
  }
  for (int l = 0; l < lt->n_links; l++) {
    if (lt->free[l] < 1) lt->free[l] = 1;
    if (lt->free[l] > mx) mx = lt->free[l];
  }
  lt->max_tt = mx;
  static gint counter = 0;
  lt->serial = (guint)g_atomic_int_add(&counter, 1) + 1;
}

void th_link_times_free(ThLinkTimes *lt) {
  if (!lt) return;
  g_free(lt->tt);
  g_free(lt->free);
  g_free(lt);
}

int64_t th_link_times_route(const ThLinkTimes *lt, const int32_t *route, int n, int32_t t0) {
  /* one division per bin change, not per link */
  int64_t t = t0, end = INT64_MIN; /* times only grow: links take >= 1 s */
  const int32_t *row = lt->free;
  for (int i = 0; i < n; i++) {
    if (t >= end) {
      int64_t b = t <= 0 ? 0 : t / lt->bin_s;
      if (b < lt->n_bins) {
        row = lt->tt + (size_t)b * lt->n_links;
        end = t <= 0 ? lt->bin_s : (b + 1) * lt->bin_s;
      } else {
        row = lt->free;
        end = INT64_MAX;
      }
    }
    t += row[route[i]];
  }
  return t - t0;
}

/* Per-node search state in one 16-byte record (four per cache line), so a
 * relaxation touches one record of the head node. STAMP says what the record
 * means in this search: gen = labelled (arr/pred valid), gen + 1 = settled,
 * gen + 2 = pruned when reached at arr (th_router_run_bounded: a later
 * reach no earlier is pruned too, untested), anything else = not reached;
 * searches advance gen by 3, so nothing is cleared between them. */
typedef struct {
  int64_t arr;      /* tentative or final arrival time */
  int32_t pred;     /* link reaching the node */
  uint32_t stamp;
} NodeState;

typedef struct {
  int32_t head, tt;
} Arc;

struct ThRouter {
  const ThNetwork *net;
  /* usable out-links in CSR order with their head nodes, contiguous */
  int *ostart;      /* n_nodes + 1 */
  int32_t *olink;   /* link index */
  int32_t *ohead;   /* head node */
  /* the out-links a search scans from a settled node other than the source:
   * [first, end) in CSR order, empty for zone nodes (never passed through) */
  int32_t (*orange)[2];
  NodeState *ns;
  uint32_t *tgt;    /* == gen: a target of this search */
  int *tslot;       /* a bounded target's entry in tub/tlm */
  uint32_t gen;
  /* Dial's buckets: circular, one per time unit, each a LIFO list of
   * entries. A node whose label falls gets a new entry and its old one stays
   * behind (lazy deletion): popped later, it no longer matches the node's
   * label and is skipped. The valid entries of a bucket pop in the order a
   * doubly linked list with removal would give (last in, first out). */
  int32_t *bhead;   /* first entry of each bucket, -1: empty */
  uint32_t bmask;
  int32_t *enode, *enext; /* entries: node, next in its bucket */
  int n_entries_max;      /* entries allocated: at most one per relaxation + 1 */
  /* one bit per bucket, set while it holds an entry: empty stretches are
   * skipped 64 buckets per word, so fine time units (sim/simulate.c uses
   * 1/64 s) cost no more than whole seconds */
  uint64_t *bbits;
  /* link times permuted into CSR order, per bin, for the last table seen,
   * each beside its head node: a relaxation reads one 8-byte arc */
  guint perm_of;    /* serial of the permuted table */
  Arc *arcs;        /* (n_bins + 1) x n_out: bins, then free-flow */
  /* landmarks on the table's lower-bound graph (each link's least time over
   * its bins and free flow), for pruning: lm[v * 2K + i] = time from
   * landmark i to v, lm[v * 2K + K + i] = from v to landmark i (LM_BIG,
   * -LM_BIG: unreachable) */
  guint lm_of;      /* serial of the table they were computed for */
  int32_t *lm;
  /* per search: the bounded targets' upper bounds and landmark times */
  int64_t *tub;
  int32_t *tlm;
  int tcap;
  const ThTruckBan *ban; /* NULL: none */
};

void th_router_set_ban(ThRouter *r, const ThTruckBan *ban) { r->ban = ban; }

ThRouter *th_router_new(const ThNetwork *net, uint32_t modes) {
  ThRouter *r = g_new0(ThRouter, 1);
  r->net = net;
  int n = net->n_nodes;
  r->ostart = g_new(int, n + 1);
  r->olink = g_new(int32_t, net->n_links + 1);
  r->ohead = g_new(int32_t, net->n_links + 1);
  int k = 0;
  for (int v = 0; v < n; v++) {
    r->ostart[v] = k;
    for (int j = net->out_start[v]; j < net->out_start[v + 1]; j++) {
      int e = net->out_link[j];
      if (!(net->link_modes[e] & (modes | TH_MODE_CONNECTOR))) continue;
      r->olink[k] = e;
      r->ohead[k] = net->link_to[e];
      k++;
    }
  }
  r->ostart[n] = k;
  r->orange = g_malloc(sizeof(int32_t[2]) * (size_t)(n + 1));
  for (int v = 0; v < n; v++) {
    r->orange[v][0] = r->ostart[v];
    r->orange[v][1] = net->node_no_thru[v] ? r->ostart[v] : r->ostart[v + 1];
  }
  r->ns = g_new0(NodeState, n + 1);
  r->tgt = g_new0(uint32_t, n + 1);
  r->tslot = g_new0(int, n + 1);
  /* the source's entry, and at most one per out-link of a settled node */
  r->n_entries_max = k + 2;
  r->enode = g_new(int32_t, r->n_entries_max);
  r->enext = g_new(int32_t, r->n_entries_max);
  return r;
}

void th_router_free(ThRouter *r) {
  if (!r) return;
  g_free(r->ostart);
  g_free(r->olink);
  g_free(r->ohead);
  g_free(r->ns);
  g_free(r->tgt);
  g_free(r->tslot);
  g_free(r->bhead);
  g_free(r->bbits);
  g_free(r->enode);
  g_free(r->enext);
  g_free(r->orange);
  g_free(r->arcs);
  g_free(r->lm);
  g_free(r->tub);
  g_free(r->tlm);
  g_free(r);
}

/* The first key >= CUR whose bucket holds an entry (the queue is not empty,
 * and every queued key is within the circle's span of CUR). */
static inline int64_t b_next(const ThRouter *r, int64_t cur) {
  const uint64_t *bits = r->bbits;
  const uint32_t wmask = r->bmask >> 6;
  uint32_t i = (uint32_t)(cur & r->bmask), w = i >> 6, bit = i & 63;
  uint64_t x = bits[w] & (~0ull << bit);
  if (x) return cur + (__builtin_ctzll(x) - bit);
  int64_t k = cur + (64 - bit);
  for (w = (w + 1) & wmask; !bits[w]; w = (w + 1) & wmask) k += 64;
  return k + __builtin_ctzll(bits[w]);
}

/* Copies LT into CSR order once per table (keyed by its serial). */
static void permute(ThRouter *r, const ThLinkTimes *lt) {
  if (r->perm_of == lt->serial && r->arcs) return;
  int m = r->ostart[r->net->n_nodes];
  g_free(r->arcs);
  r->arcs = g_new(Arc, (size_t)(lt->n_bins + 1) * m + 1);
  for (int b = 0; b <= lt->n_bins; b++) {
    const int32_t *row = b < lt->n_bins ? lt->tt + (size_t)b * lt->n_links : lt->free;
    Arc *out = r->arcs + (size_t)b * m;
    for (int k = 0; k < m; k++) out[k] = (Arc){r->ohead[k], row[r->olink[k]]};
  }
  r->perm_of = lt->serial;
}

/* ---- landmarks (ALT: Goldberg and Harrelson 2005) for pruning */

#define LM_K 4
#define LM_BIG (1 << 30) /* times from 2^30 units on (over 4 days at 1/64 s) count as unreachable */

/* Static Dijkstra on the lower-bound times C (per CSR arc) from SRC, over
 * arcs [start[v], start[v + 1]) to head[k]; DIST gets INT64_MAX where not
 * reached. A binary heap of (time, node) with stale entries skipped. */
static void static_sp(int n, const int *start, const int32_t *head, const int32_t *c, int src, int64_t *dist) {
  for (int v = 0; v < n; v++) dist[v] = INT64_MAX;
  size_t cap = 64, len = 0;
  struct HE {
    int64_t d;
    int v;
  } *h = g_new(struct HE, cap);
  dist[src] = 0;
  h[len++] = (struct HE){0, src};
  while (len) {
    struct HE top = h[0];
    struct HE last = h[--len];
    size_t i = 0;
    for (;;) { /* sift LAST down from the root */
      size_t c1 = 2 * i + 1;
      if (c1 >= len) break;
      if (c1 + 1 < len && h[c1 + 1].d < h[c1].d) c1++;
      if (h[c1].d >= last.d) break;
      h[i] = h[c1];
      i = c1;
    }
    if (len) h[i] = last;
    if (top.d != dist[top.v]) continue;
    for (int k = start[top.v]; k < start[top.v + 1]; k++) {
      int64_t a = top.d + c[k];
      int w = head[k];
      if (a < dist[w]) {
        dist[w] = a;
        if (len == cap) h = g_renew(struct HE, h, cap *= 2);
        size_t j = len++;
        while (j > 0 && h[(j - 1) / 2].d > a) {
          h[j] = h[(j - 1) / 2];
          j = (j - 1) / 2;
        }
        h[j] = (struct HE){a, w};
      }
    }
  }
  g_free(h);
}

/* The landmarks of LT's lower-bound graph, once per table: LM_K nodes chosen
 * farthest first (each the node whose least time to or from the chosen ones
 * is largest, starting from the node farthest from node 0), and the times
 * from and to each of them. Any route from v to t takes at least
 * d(L, t) - d(L, v) and d(v, L) - d(t, L) (triangle inequality on the
 * lower-bound graph, whose link times are at most the table's at any time). */
static void landmarks(ThRouter *r, const ThLinkTimes *lt) {
  if (r->lm_of == lt->serial && r->lm) return;
  permute(r, lt);
  int n = r->net->n_nodes, m = r->ostart[n];
  /* least time per arc, and the reverse graph */
  int32_t *c = g_new(int32_t, m + 1), *rc = g_new(int32_t, m + 1), *rhead = g_new(int32_t, m + 1);
  int *rstart = g_new0(int, n + 2);
  for (int k = 0; k < m; k++) {
    int32_t x = INT32_MAX;
    for (int b = 0; b <= lt->n_bins; b++) x = MIN(x, r->arcs[(size_t)b * m + k].tt);
    c[k] = x;
    rstart[r->ohead[k] + 2]++;
  }
  for (int v = 0; v < n; v++) rstart[v + 2] += rstart[v + 1];
  for (int u = 0; u < n; u++)
    for (int k = r->ostart[u]; k < r->ostart[u + 1]; k++) {
      int j = rstart[r->ohead[k] + 1]++;
      rhead[j] = u;
      rc[j] = c[k];
    }
  g_free(r->lm);
  r->lm = g_new(int32_t, (size_t)(n + 1) * 2 * LM_K);
  int64_t *df = g_new(int64_t, n + 1), *dt = g_new(int64_t, n + 1), *closest = g_new(int64_t, n + 1);
  /* the first landmark: the node farthest (in either direction) from node 0 */
  static_sp(n, r->ostart, r->ohead, c, 0, df);
  static_sp(n, rstart, rhead, rc, 0, dt);
  for (int v = 0; v < n; v++) closest[v] = INT64_MAX;
  int64_t *far = g_new(int64_t, n + 1);
  for (int v = 0; v < n; v++) far[v] = MAX(df[v] == INT64_MAX ? -1 : df[v], dt[v] == INT64_MAX ? -1 : dt[v]);
  for (int i = 0; i < LM_K; i++) {
    int L = 0;
    for (int v = 1; v < n; v++)
      if (far[v] > far[L]) L = v;
    static_sp(n, r->ostart, r->ohead, c, L, df); /* from L */
    static_sp(n, rstart, rhead, rc, L, dt);      /* to L */
    for (int v = 0; v < n; v++) {
      int32_t *x = r->lm + (size_t)v * 2 * LM_K;
      x[i] = df[v] < LM_BIG ? (int32_t)df[v] : LM_BIG;
      x[LM_K + i] = dt[v] < LM_BIG ? (int32_t)dt[v] : -LM_BIG;
      int64_t near = MIN(df[v], dt[v]);
      closest[v] = MIN(closest[v], near);
      /* the next landmark: farthest from the chosen ones (unreached: not chosen) */
      far[v] = closest[v] == INT64_MAX ? -1 : closest[v];
    }
  }
  g_free(far);
  g_free(closest);
  g_free(df);
  g_free(dt);
  g_free(c);
  g_free(rc);
  g_free(rhead);
  g_free(rstart);
  r->lm_of = lt->serial;
}

/* TRUE when no bounded target can be reached through a node labelled A with
 * landmark times X within its bound: A + lower bound > bound for all NT.
 * Unreachable is a large time (LM_BIG) stored so that its terms are <= 0:
 * a node's time from a landmark LM_BIG, to it -LM_BIG, a target's the
 * reverse (tlm), so the bound needs no tests. */
static inline int32_t lm_bound(const int32_t *x, const int32_t *y) {
  int32_t lb = 0;
  for (int i = 0; i < LM_K; i++) {
    int32_t f = y[i] - x[i], t = x[LM_K + i] - y[LM_K + i];
    lb = lb > f ? lb : f;
    lb = lb > t ? lb : t;
  }
  return lb;
}

/* LAST: the target that kept the previous node, tried first (neighbours
 * are mostly kept by the same target). */
static inline gboolean pruned(const int32_t *x, int64_t a, const int32_t *tlm, const int64_t *tub, int nt,
                              int *last) {
  if (a + lm_bound(x, tlm + (size_t)*last * 2 * LM_K) <= tub[*last]) return FALSE;
  for (int j = 0; j < nt; j++)
    if (j != *last && a + lm_bound(x, tlm + (size_t)j * 2 * LM_K) <= tub[j]) {
      *last = j;
      return FALSE;
    }
  return TRUE;
}

static void run(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                const int64_t *ub, int n_targets, int n_bounded);

void th_router_run(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                   int n_targets) {
  run(r, lt, source, t0, targets, NULL, n_targets, 0);
}

void th_router_run_bounded(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                           const int64_t *ub, int n_targets) {
  int nb = 0;
  /* a pruned node is tested against every target: past a few dozen, their
   * shortest paths cover most of the network anyway */
  if (targets && ub && r->net->n_nodes > 0 && n_targets <= TH_ROUTER_BOUND_MAX_TARGETS) {
    nb = n_targets;
    for (int i = 0; i < n_targets; i++)
      if (ub[i] == INT64_MAX) nb = 0; /* one target without a bound: nothing can be pruned */
  }
  if (nb == 0) {
    run(r, lt, source, t0, targets, NULL, n_targets, 0);
    return;
  }
  landmarks(r, lt);
  run(r, lt, source, t0, targets, ub, n_targets, nb);
  /* exact only if every target was found within its bound (a bound below
   * the earliest arrival, e.g. a route through a zone node, could have
   * pruned its shortest path): otherwise search again without pruning */
  for (int i = 0; i < n_targets; i++)
    if (th_router_arrival(r, targets[i]) > ub[i]) {
      run(r, lt, source, t0, targets, NULL, n_targets, 0);
      return;
    }
}

static void run(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                const int64_t *ub, int n_targets, int n_bounded) {
  const ThNetwork *net = r->net;
  int n = net->n_nodes;
  if (r->gen > UINT32_MAX - 6) { /* about to wrap: old stamps could look current */
    for (int v = 0; v < n; v++) r->ns[v].stamp = 0, r->tgt[v] = 0;
    r->gen = 0;
  }
  r->gen += 3;
  const uint32_t gen = r->gen, settled = gen + 1;
  uint32_t need = 64;
  while (need < (uint32_t)lt->max_tt + 1) need <<= 1;
  if (need - 1 != r->bmask || !r->bhead) {
    g_free(r->bhead);
    g_free(r->bbits);
    r->bhead = g_new(int32_t, need);
    r->bbits = g_new0(uint64_t, need / 64);
    r->bmask = need - 1;
    for (uint32_t i = 0; i < need; i++) r->bhead[i] = -1;
  }
  permute(r, lt);
  NodeState *ns = r->ns;
  int32_t *bhead = r->bhead, *enode = r->enode, *enext = r->enext;
  uint64_t *bbits = r->bbits;
  const uint32_t bmask = r->bmask;
  int left = 0;
  /* pruning: a node is labelled only if some target could still be reached
   * through it within its bound, by the landmarks' lower bound; one entry
   * per target node, with the least bound of its members (each is one) */
  int nt = 0;
  if (n_bounded && r->tcap < n_bounded) {
    r->tcap = n_bounded;
    r->tub = g_renew(int64_t, r->tub, n_bounded);
    r->tlm = g_renew(int32_t, r->tlm, (size_t)n_bounded * 2 * LM_K);
  }
  if (targets)
    for (int i = 0; i < n_targets; i++) {
      int v = targets[i];
      if (r->tgt[v] != gen) {
        r->tgt[v] = gen, left++;
        if (n_bounded) {
          r->tslot[v] = nt;
          int32_t *y = r->tlm + (size_t)nt * 2 * LM_K;
          const int32_t *x = r->lm + (size_t)v * 2 * LM_K;
          for (int k = 0; k < LM_K; k++) {
            y[k] = x[k] == LM_BIG ? -LM_BIG : x[k];
            y[LM_K + k] = x[LM_K + k] == -LM_BIG ? LM_BIG : x[LM_K + k];
          }
          r->tub[nt++] = ub[i];
        }
      } else if (n_bounded) {
        r->tub[r->tslot[v]] = MIN(r->tub[r->tslot[v]], ub[i]);
      }
    }
  int last = 0;
  const int32_t *lm = r->lm, *tlm = r->tlm;
  const int64_t *tub = r->tub;
  const int32_t *olink = r->olink;
  const int32_t(*orange)[2] = r->orange;
  const uint32_t *tgt = r->tgt;
  const int m = r->ostart[n];
  int32_t ne = 0;     /* entries used */
  int32_t queued = 0; /* entries in the buckets, valid or not */
  /* relaxes the out-links [K, KEND) of a node settled at CUR: a settled
   * node's label is <= cur < a, so only an unreached node or a lower label
   * passes, with no test of its own for settled */
#define RELAX(K, KEND, BANNED)                                    \
  for (int k = (K), kend_ = (KEND); k < kend_; k++) {             \
    if (BANNED && BANNED[olink[k]]) continue;                     \
    const Arc A = arc[k];                                         \
    NodeState *W = &ns[A.head];                                   \
    const int64_t a = cur + A.tt;                                 \
    const int64_t old = W->stamp - gen <= 2 ? W->arr : INT64_MAX; \
    if (a < old) {                                                \
      if (nt && pruned(lm + (size_t)A.head * 2 * LM_K, a, tlm, tub, nt, &last)) { \
        W->stamp = gen + 2;                                       \
        W->arr = a;                                               \
        continue;                                                 \
      }                                                           \
      W->stamp = gen;                                             \
      W->arr = a;                                                 \
      W->pred = olink[k];                                         \
      uint32_t i = (uint32_t)a & bmask;                           \
      enode[ne] = A.head;                                         \
      enext[ne] = bhead[i];                                       \
      bhead[i] = ne++;                                            \
      bbits[i >> 6] |= 1ull << (i & 63);                          \
      queued++;                                                   \
    }                                                             \
  }
  int64_t cur = t0;
  /* the bin of the current time and where it ends: a division per bin
   * change instead of one per settled node */
  const int64_t bin_s = lt->bin_s;
  int b = cur <= 0 ? 0 : (int)MIN(cur / bin_s, lt->n_bins);
  int64_t bin_end = b >= lt->n_bins ? INT64_MAX : (int64_t)(b + 1) * bin_s;
  const Arc *arc = r->arcs + (size_t)b * m;
  /* the source is settled first, and left even when a zone node */
  ns[source].stamp = settled;
  ns[source].arr = t0;
  ns[source].pred = -1;
  if (!(tgt[source] == gen && --left == 0)) {
    const guint8 *banned = r->ban && th_truck_ban_active(r->ban, (double)cur / lt->per_s) ? r->ban->link : NULL;
    RELAX(r->ostart[source], r->ostart[source + 1], banned);
  }
  while (queued) {
    cur = b_next(r, cur);
    uint32_t bi = (uint32_t)(cur & bmask);
    int32_t e = bhead[bi];
    if ((bhead[bi] = enext[e]) < 0) bbits[bi >> 6] &= ~(1ull << (bi & 63));
    queued--;
    int u = enode[e];
    NodeState *U = &ns[u];
    /* an entry left behind by a fall of the label, or by a settled node */
    if (U->stamp != gen || U->arr != cur) continue;
    U->stamp = settled;
    if (tgt[u] == gen && --left == 0) break;
    /* a truck ban (sim/truck-ban.h) in its window: no passing through a
     * banned node, no entering a banned link */
    const guint8 *banned = NULL;
    if (r->ban && th_truck_ban_active(r->ban, (double)cur / lt->per_s)) {
      if (r->ban->node[u]) continue; /* never the source: settled above */
      banned = r->ban->link;
    }
    /* the bin is the same for every link leaving u */
    if (cur >= bin_end) {
      b = (int)MIN(cur / bin_s, lt->n_bins);
      bin_end = b >= lt->n_bins ? INT64_MAX : (int64_t)(b + 1) * bin_s;
      arc = r->arcs + (size_t)b * m;
    }
    RELAX(orange[u][0], orange[u][1], banned);
  }
#undef RELAX
  /* leave the buckets empty for the next run */
  for (int64_t t = cur; queued;) {
    t = b_next(r, t);
    uint32_t bi = (uint32_t)(t & bmask);
    for (int32_t e = bhead[bi]; e >= 0; e = enext[e]) queued--;
    bhead[bi] = -1;
    bbits[bi >> 6] &= ~(1ull << (bi & 63));
  }
}

int64_t th_router_arrival(const ThRouter *r, int node) {
  const NodeState *x = &r->ns[node];
  return x->stamp == r->gen + 1 ? x->arr : INT64_MAX;
}
int th_router_path(const ThRouter *r, int dest, GArray *out) {
  if (th_router_arrival(r, dest) == INT64_MAX) return -1;
  /* count, then fill from the back: no per-link append, no reversal */
  int n = 0;
  for (int v = dest; r->ns[v].pred >= 0; v = r->net->link_from[r->ns[v].pred]) n++;
  if (n == 0) return 0; /* an empty array's data is NULL: no pointer into it (clang UBSan) */
  guint start = out->len;
  g_array_set_size(out, start + n);
  int32_t *p = &g_array_index(out, int32_t, start);
  int i = n;
  for (int v = dest; r->ns[v].pred >= 0; v = r->net->link_from[r->ns[v].pred]) p[--i] = r->ns[v].pred;
  return n;
}

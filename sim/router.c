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

/* Per-node search state in one 24-byte record, so a relaxation touches one
 * record of the head node. STAMP says what the record means in this search:
 * gen = labelled (arr/pred valid), gen + 1 = settled, anything else = not
 * reached; searches advance gen by 2, so nothing is cleared between them. */
typedef struct {
  int64_t arr;      /* tentative or final arrival time */
  int32_t pred;     /* link reaching the node */
  uint32_t stamp;
  int32_t bnext, bprev; /* bucket list */
} NodeState;

struct ThRouter {
  const ThNetwork *net;
  /* usable out-links in CSR order with their head nodes, contiguous */
  int *ostart;      /* n_nodes + 1 */
  int32_t *olink;   /* link index */
  int32_t *ohead;   /* head node */
  NodeState *ns;
  uint32_t *tgt;    /* == gen: a target of this search */
  uint32_t gen;
  /* Dial's buckets: circular, one per second */
  int *bhead;
  uint32_t bmask;
  /* one bit per bucket, set while it holds a node: empty stretches are
   * skipped 64 buckets per word, so fine time units (sim/simulate.c uses
   * 1/64 s) cost no more than whole seconds */
  uint64_t *bbits;
  /* link times permuted into CSR order, per bin, for the last table seen */
  guint perm_of;    /* serial of the permuted table */
  int32_t *ttp;     /* (n_bins + 1) x n_out: bins, then free-flow */
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
  r->ns = g_new0(NodeState, n + 1);
  r->tgt = g_new0(uint32_t, n + 1);
  return r;
}

void th_router_free(ThRouter *r) {
  if (!r) return;
  g_free(r->ostart);
  g_free(r->olink);
  g_free(r->ohead);
  g_free(r->ns);
  g_free(r->tgt);
  g_free(r->bhead);
  g_free(r->bbits);
  g_free(r->ttp);
  g_free(r);
}

static inline void b_remove(ThRouter *r, int v, int64_t key) {
  NodeState *x = &r->ns[v];
  uint32_t i = (uint32_t)(key & r->bmask);
  if (x->bprev >= 0) r->ns[x->bprev].bnext = x->bnext;
  else if ((r->bhead[i] = x->bnext) < 0) r->bbits[i >> 6] &= ~(1ull << (i & 63));
  if (x->bnext >= 0) r->ns[x->bnext].bprev = x->bprev;
}

static inline void b_insert(ThRouter *r, int v, int64_t key) {
  uint32_t i = (uint32_t)(key & r->bmask);
  int *h = &r->bhead[i];
  NodeState *x = &r->ns[v];
  x->bprev = -1;
  x->bnext = *h;
  if (*h >= 0) r->ns[*h].bprev = v;
  else r->bbits[i >> 6] |= 1ull << (i & 63);
  *h = v;
}

/* The first key >= CUR whose bucket holds a node (the queue is not empty,
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
  if (r->perm_of == lt->serial && r->ttp) return;
  int m = r->ostart[r->net->n_nodes];
  g_free(r->ttp);
  r->ttp = g_new(int32_t, (size_t)(lt->n_bins + 1) * m + 1);
  for (int b = 0; b <= lt->n_bins; b++) {
    const int32_t *row = b < lt->n_bins ? lt->tt + (size_t)b * lt->n_links : lt->free;
    int32_t *out = r->ttp + (size_t)b * m;
    for (int k = 0; k < m; k++) out[k] = row[r->olink[k]];
  }
  r->perm_of = lt->serial;
}

void th_router_run(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                   int n_targets) {
  const ThNetwork *net = r->net;
  int n = net->n_nodes;
  r->gen += 2;
  if (r->gen < 2) { /* wrapped: old stamps could look current */
    for (int v = 0; v < n; v++) r->ns[v].stamp = 0, r->tgt[v] = 0;
    r->gen = 2;
  }
  const uint32_t gen = r->gen, settled = gen + 1;
  uint32_t need = 64;
  while (need < (uint32_t)lt->max_tt + 1) need <<= 1;
  if (need - 1 != r->bmask || !r->bhead) {
    g_free(r->bhead);
    g_free(r->bbits);
    r->bhead = g_new(int, need);
    r->bbits = g_new0(uint64_t, need / 64);
    r->bmask = need - 1;
    for (uint32_t i = 0; i < need; i++) r->bhead[i] = -1;
  }
  permute(r, lt);
  NodeState *ns = r->ns;
  int *bhead = r->bhead;
  const uint32_t bmask = r->bmask;
  int left = 0;
  if (targets)
    for (int i = 0; i < n_targets; i++)
      if (r->tgt[targets[i]] != gen) r->tgt[targets[i]] = gen, left++;
  const int *ostart = r->ostart;
  const int32_t *ohead = r->ohead, *olink = r->olink;
  const uint32_t *tgt = r->tgt;
  const guint8 *no_thru = net->node_no_thru;
  const int m = ostart[n];
  ns[source].stamp = gen;
  ns[source].arr = t0;
  ns[source].pred = -1;
  b_insert(r, source, t0);
  size_t queued = 1;
  int64_t cur = t0;
  /* the bin of the current time and where it ends: a division per bin
   * change instead of one per settled node */
  const int64_t bin_s = lt->bin_s;
  int b = cur <= 0 ? 0 : (int)MIN(cur / bin_s, lt->n_bins);
  int64_t bin_end = b >= lt->n_bins ? INT64_MAX : (int64_t)(b + 1) * bin_s;
  const int32_t *row = r->ttp + (size_t)b * m;
  while (queued) {
    cur = b_next(r, cur);
    int u = bhead[cur & bmask];
    /* pop the head of the bucket (LIFO, as b_remove would) */
    NodeState *U = &ns[u];
    if ((bhead[cur & bmask] = U->bnext) >= 0) ns[U->bnext].bprev = -1;
    else r->bbits[(cur & bmask) >> 6] &= ~(1ull << (cur & 63));
    queued--;
    U->stamp = settled;
    if (targets && tgt[u] == gen && --left == 0) break;
    if (u != source && no_thru[u]) continue;
    /* a truck ban (sim/truck-ban.h) in its window: no passing through a
     * banned node, no entering a banned link */
    const guint8 *banned = NULL;
    if (r->ban && th_truck_ban_active(r->ban, (double)cur / lt->per_s)) {
      if (u != source && r->ban->node[u]) continue;
      banned = r->ban->link;
    }
    /* the bin is the same for every link leaving u */
    if (cur >= bin_end) {
      b = (int)MIN(cur / bin_s, lt->n_bins);
      bin_end = b >= lt->n_bins ? INT64_MAX : (int64_t)(b + 1) * bin_s;
      row = r->ttp + (size_t)b * m;
    }
    for (int k = ostart[u], kend = ostart[u + 1]; k < kend; k++) {
      int w = ohead[k];
      NodeState *W = &ns[w];
      uint32_t st = W->stamp;
      if (st == settled) continue;
      if (banned && banned[olink[k]]) continue;
      int64_t a = cur + row[k];
      if (st != gen) {
        W->stamp = gen;
        W->arr = a;
        W->pred = olink[k];
        b_insert(r, w, a);
        queued++;
      } else if (a < W->arr) {
        b_remove(r, w, W->arr);
        W->arr = a;
        W->pred = olink[k];
        b_insert(r, w, a);
      }
    }
  }
  /* leave the buckets empty for the next run */
  for (int64_t t = cur; queued;) {
    t = b_next(r, t);
    int v;
    while ((v = bhead[t & bmask]) >= 0) {
      b_remove(r, v, t);
      queued--;
    }
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

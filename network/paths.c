/* paths.c: Dijkstra on a compacted adjacency (see paths.h).
 *
 * Why it is laid out this way (measured with bench/bench_skim, see README):
 *  - the network's CSR lists link indices; following them costs three
 *    scattered reads per link (modes, head, weight). A ThSpGraph copies the
 *    usable links once into one array of 12-byte arcs {weight, head}, read
 *    sequentially while a node is scanned (link indices in a cold array
 *    beside it); a node's arcs are prefetched when it is first reached, so
 *    the miss overlaps with other work instead of stalling its scan;
 *  - arrays of a megabyte or more sit on transparent huge pages;
 *  - the priority queue is a radix heap on the distances' bit patterns
 *    (O(1) pushes, no decrease-key); 4-ary and binary heaps with
 *    decrease-key, whose items pack (key, node) into one 128-bit integer so
 *    each comparison is one integer compare, are 15-40 % slower, and a
 *    binary heap with lazy insertion slower still;
 *  - between runs only the nodes reached are reset (touched list), so early
 *    exit on a few targets in a big network costs what it visits, not O(n). */
#include "network/paths.h"
#include "network/parallel.h"

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

/* The hot stream: 12 bytes per arc (packed; x86 and ARMv8 load unaligned
 * doubles at full speed). The link index lives in a cold array beside it,
 * read only for predecessors and per-run weights. */
typedef struct __attribute__((packed)) {
  double w;
  int head;
} ThArc;

struct ThSpGraph {
  const ThNetwork *net;
  int n;
  int n_arcs;
  uint32_t modes;
  int *start;  /* n+1 */
  ThArc *arc;  /* n_arcs */
  int *link;   /* n_arcs: link index of each arc */
  /* bucket queue (run_bucket): width DELTA = the smallest arc weight, NB
   * buckets in a ring (a power of two above max weight / DELTA + 1);
   * NB = 0 when the weights do not allow it (a zero weight, a ratio of
   * max to min weight above BUCKET_MAX, or distances so long that the
   * bucket index would lose precision) */
  double inv_delta;
  int nb;
};

typedef struct {
  double key;
  int node;
} ThHeapItem; /* lazy heap; the d-ary heaps use the same storage as ThKey */

/* radix heap buckets (see run_radix) */
typedef struct {
  uint64_t key;
  int node;
} ThRadixItem;

typedef struct ThRadix {
  ThRadixItem *b[65];
  int size[65], cap[65];
  uint64_t last;
  uint64_t nonempty; /* bit i-1 set when bucket i (1..64) holds items */
} ThRadix;

/* bucket ring of run_bucket: NB growable arrays of nodes, each bucket's
 * pointer, size and capacity side by side (one cache line per push) */
typedef struct {
  int *node;
  int size, cap;
} ThBucket;

typedef struct ThBuckets {
  int nb;
  ThBucket *b;
} ThBuckets;

struct ThShortestPaths {
  const ThNetwork *net;
  int n;
  double *dist;
  int *pred_arc;     /* arc index in the graph of the last run, -1 for none */
  int *pred;         /* link index, filled from pred_arc on demand */
  gboolean pred_ready;
  const ThSpGraph *last; /* graph of the last run */
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
  struct ThRadix *radix; /* radix heap buckets, allocated on first use */
  ThBuckets *buckets;    /* bucket ring, allocated on first use */
  int *path;             /* links of one path (th_sp_path_sums) */
  int path_cap;
};

/* ---------------------------------------------------------------- graph */

/* Most buckets in the ring of run_bucket: beyond this ratio of the largest
 * to the smallest arc weight, the radix heap is used instead (scanning
 * many empty buckets would cost more than the heap saves). */
#define BUCKET_MAX 4096

/* Decides whether G's baked weights allow the bucket queue (see ThSpGraph). */
static void bucket_setup(ThSpGraph *g) {
  g->nb = 0;
  if (g->n_arcs == 0) return;
  double lo = INFINITY, hi = 0;
  for (int a = 0; a < g->n_arcs; a++) {
    double w = g->arc[a].w;
    if (w < lo) lo = w;
    if (w > hi) hi = w;
  }
  if (!(lo > 0) || hi / lo > BUCKET_MAX - 2) return;
  /* a path has at most n - 1 arcs, so distances stay below n * hi; below
   * 2^40 lo the rounding errors stay far inside run_bucket's margin */
  if ((double)g->n * (hi / lo) >= 0x1p40) return;
  double delta = lo * (1 - 0x1p-8);
  int nb = 4;
  while (nb < hi / delta + 2) nb *= 2;
  g->nb = nb;
  g->inv_delta = 1.0 / delta;
}

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
  g->link = BIG_NEW(int, count > 0 ? count : 1);
  int a = 0;
  for (int v = 0; v < g->n; v++) {
    g->start[v] = a;
    for (int k = net->out_start[v]; k < net->out_start[v + 1]; k++) {
      int e = net->out_link[k];
      if (!(net->link_modes[e] & usable) || (weight && !isfinite(weight[e]))) continue;
      g->arc[a].head = net->link_to[e];
      g->link[a] = e;
      g->arc[a].w = weight ? weight[e] : 0.0;
      a++;
    }
  }
  g->start[g->n] = a;
  g->n_arcs = a;
  bucket_setup(g);
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
  free(g->link);
  g_free(g);
}

int th_sp_graph_n_arcs(const ThSpGraph *g) { return g->n_arcs; }

gsize th_sp_graph_bytes(const ThSpGraph *g) {
  return sizeof *g + (gsize)(g->n + 1) * sizeof(int) +
         (gsize)g->n_arcs * (sizeof(ThArc) + sizeof(int));
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
  sp->pred_arc = BIG_NEW(int, n + 1);
  sp->pos = BIG_NEW(int, n + 1);
  sp->touched = BIG_NEW(int, n + 1);
  sp->settled = BIG_NEW(int, n + 1);
  for (int v = 0; v < n; v++) {
    sp->dist[v] = INFINITY;
    sp->pred[v] = -1;
    sp->pred_arc[v] = -1;
    sp->pos[v] = -1;
  }
  sp->heap_cap = n + 1;
  sp->heap = g_new(ThHeapItem, sp->heap_cap);
  sp->heap_kind = TH_SP_HEAP_BUCKET; /* see ThSpHeap */
  return sp;
}

void th_sp_free(ThShortestPaths *sp) {
  if (!sp) return;
  free(sp->dist);
  free(sp->pred);
  free(sp->pred_arc);
  free(sp->pos);
  free(sp->touched);
  free(sp->settled);
  g_free(sp->heap);
  g_free(sp->is_target);
  th_sp_graph_free(sp->own);
  if (sp->radix)
    for (int i = 0; i < 65; i++) g_free(sp->radix->b[i]);
  g_free(sp->radix);
  if (sp->buckets) {
    for (int i = 0; i < sp->buckets->nb; i++) g_free(sp->buckets->b[i].node);
    g_free(sp->buckets->b);
    g_free(sp->buckets);
  }
  g_free(sp->path);
  g_free(sp);
}

gsize th_sp_bytes(const ThShortestPaths *sp) {
  gsize b = sizeof *sp + (gsize)(sp->n + 1) * (sizeof(double) + 5 * sizeof(int));
  b += (gsize)sp->heap_cap * sizeof(ThHeapItem);
  if (sp->is_target) b += sp->n;
  if (sp->own) b += th_sp_graph_bytes(sp->own);
  if (sp->radix)
    for (int i = 0; i < 65; i++) b += (gsize)sp->radix->cap[i] * 16;
  if (sp->buckets)
    for (int i = 0; i < sp->buckets->nb; i++) b += (gsize)sp->buckets->b[i].cap * 4 + 16;
  return b;
}

void th_sp_set_heap(ThShortestPaths *sp, ThSpHeap kind) { sp->heap_kind = kind; }

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
    sp->pred_arc[v] = -1;
    sp->pos[v] = -1;
  }
  if (sp->pred_ready)
    for (int i = 0; i < sp->n_touched; i++) sp->pred[sp->touched[i]] = -1;
  sp->pred_ready = FALSE;
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
  int *restrict pred = sp->pred_arc;
  const int *restrict link = g->link;
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
      double nd = du + (ext ? ext[link[a]] : arc[a].w);
      if (nd < dist[v]) {
        if (dist[v] == INFINITY) {
          /* v will be scanned later: fetch its arcs now, so that the miss
           * overlaps with other work instead of stalling the scan of v */
          __builtin_prefetch(&arc[start[v]]);
          touched[nt++] = v;
          dist[v] = nd;
          pred[v] = a;
          sift_up(h, pos, size, key_make(nd, v), D);
          size++;
        } else if (G_LIKELY(pos[v] >= 0)) { /* settled nodes never improve (w >= 0) */
          dist[v] = nd;
          pred[v] = a;
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
  int *pred = sp->pred_arc;
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
      double nd = top.key + (ext ? ext[g->link[a]] : g->arc[a].w);
      if (nd < dist[v]) {
        if (dist[v] == INFINITY) {
          __builtin_prefetch(&g->arc[g->start[v]]);
          sp->touched[nt++] = v;
        }
        dist[v] = nd;
        pred[v] = a;
        lazy_push(h, size++, (ThHeapItem){nd, v});
      }
    }
  }
  sp->n_touched = nt;
  sp->n_settled = ns;
}

/* ------------------------------------------------------------ radix heap */

/* Radix heap (Ahuja, Mehlhorn, Orlin and Tarjan 1990) on the bit patterns of
 * the distances, which order like the doubles since they are >= 0. Dijkstra
 * pops keys in non-decreasing order, so an item with key k goes to bucket
 * 64 - clz(k ^ last) (0 when k == last): pushes are O(1), and an item moves
 * to lower buckets at most 64 times in all. No decrease-key: an improved
 * node is pushed again and the stale entry skipped when popped. Bucket 0
 * (keys equal to the last popped key) is a binary heap by node index, so
 * equal distances settle in node order as with the d-ary heaps. */

static inline uint64_t dbits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static void radix_grow(ThRadix *r, int i) {
  r->cap[i] = r->cap[i] ? 2 * r->cap[i] : 64;
  r->b[i] = g_renew(ThRadixItem, r->b[i], r->cap[i]);
}

/* bucket 0: binary heap on node */
static inline void zero_push(ThRadix *r, ThRadixItem x) {
  if (r->size[0] == r->cap[0]) radix_grow(r, 0);
  ThRadixItem *h = r->b[0];
  int i = r->size[0]++;
  while (i > 0) {
    int p = (i - 1) / 2;
    if (h[p].node <= x.node) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = x;
}

static inline ThRadixItem zero_pop(ThRadix *r) {
  ThRadixItem *h = r->b[0];
  ThRadixItem top = h[0], x = h[--r->size[0]];
  int n = r->size[0], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && h[c + 1].node < h[c].node) c++;
    if (h[c].node >= x.node) break;
    h[i] = h[c];
    i = c;
  }
  if (n > 0) h[i] = x;
  return top;
}

static inline void radix_push(ThRadix *r, uint64_t key, int node) {
  ThRadixItem x = {key, node};
  if (key == r->last) {
    zero_push(r, x);
    return;
  }
  int i = 64 - __builtin_clzll(key ^ r->last);
  if (G_UNLIKELY(r->size[i] == r->cap[i])) radix_grow(r, i);
  r->b[i][r->size[i]++] = x;
  r->nonempty |= 1ull << (i - 1);
}

/* FALSE when empty. The first non-empty bucket comes from a bit mask (one
 * count-trailing-zeros), not from scanning 64 bucket sizes on every pop. */
static inline gboolean radix_pop(ThRadix *r, ThRadixItem *out) {
  if (r->size[0] == 0) {
    if (!r->nonempty) return FALSE;
    int i = __builtin_ctzll(r->nonempty) + 1;
    ThRadixItem *b = r->b[i];
    int n = r->size[i];
    uint64_t m = b[0].key;
    for (int j = 1; j < n; j++)
      if (b[j].key < m) m = b[j].key;
    r->last = m;
    r->size[i] = 0;
    r->nonempty &= ~(1ull << (i - 1));
    /* every item moves to a lower bucket (never back to i) */
    for (int j = 0; j < n; j++) radix_push(r, b[j].key, b[j].node);
  }
  *out = zero_pop(r);
  return TRUE;
}

static void run_radix(ThShortestPaths *sp, const ThSpGraph *g, int source, const double *ext) {
  if (!sp->radix) sp->radix = g_new0(ThRadix, 1);
  ThRadix *r = sp->radix;
  for (int i = 0; i < 65; i++) r->size[i] = 0;
  r->last = 0;
  r->nonempty = 0;
  double *dist = sp->dist;
  int *pred = sp->pred_arc;
  const int *start = g->start;
  const ThArc *arc = g->arc;
  const int *link = g->link;
  const guint8 *no_thru = g->net->node_no_thru;
  int left = sp->n_targets, nt = 0, ns = 0;
  dist[source] = 0.0;
  sp->touched[nt++] = source;
  radix_push(r, dbits(0.0), source);
  ThRadixItem top;
  while (radix_pop(r, &top)) {
    int u = top.node;
    /* stale entry: the node was pushed again with a smaller key. Pushes
     * happen only on strict improvement, so exactly one entry per node
     * carries its final distance and no "settled" flag is needed. */
    if (top.key != dbits(dist[u])) continue;
    sp->settled[ns++] = u;
    if (sp->is_target && sp->is_target[u] && --left == 0) break;
    if (no_thru[u] && u != source) continue;
    double du = dist[u];
    for (int a = start[u], end = start[u + 1]; a < end; a++) {
      int v = arc[a].head;
      double nd = du + (ext ? ext[link[a]] : arc[a].w);
      if (nd < dist[v]) {
        if (dist[v] == INFINITY) {
          __builtin_prefetch(&arc[start[v]]);
          sp->touched[nt++] = v;
        }
        dist[v] = nd;
        pred[v] = a;
        radix_push(r, dbits(nd), v);
      }
    }
  }
  sp->n_touched = nt;
  sp->n_settled = ns;
}


/* ------------------------------------------------------ bucket queue */

/* Dial's bucket queue with buckets a little narrower than the smallest arc
 * weight: DELTA = lo (1 - 2^-8), a node at distance d goes to bucket
 * floor(d / DELTA), in a ring of NB buckets (NB > max weight / DELTA + 1,
 * so the live buckets never wrap onto each other). Every arc weighs at least
 * lo > DELTA, so relaxing an arc out of bucket k lands in bucket k + 1 or
 * later, also after rounding: with distances below 2^40 lo (bucket_setup)
 * the rounding of d + w and of d / DELTA is below lo 2^-12, far less than
 * the 2^-8 margin. So when bucket k comes up all its nodes hold their final
 * distances and may be settled in any order: a bucket is a plain array
 * settled first to last, a push is one multiplication and one append, and
 * nothing is compared, sorted or moved (a radix heap moves each entry
 * through several buckets; sorting each bucket by (distance, node) cost
 * about as much as it saved, through mispredicted branches).
 *
 * Same results as the heaps: distances are the same doubles (each is the
 * minimum of du + w over the same arcs); a node's predecessor is chosen by
 * the heaps' rule without relying on the settle order: on an exact tie the
 * arc whose tail comes first in (distance, node) order wins, and among arcs
 * of one tail the first in CSR order. Only the settle list differs: by
 * buckets, and within a bucket in push order (still deterministic, and
 * every node after its tree parent, which is all th_sp_accumulate needs).
 * A bucket holds bare node numbers (4 bytes, not a 16-byte (key, node)
 * pair: -8 % instructions, less memory traffic); an entry is stale when the
 * node's distance now falls in an earlier bucket, and a node improved
 * within its bucket is not pushed again, so each node is settled once.
 *
 * Measured (bench_skim in one run, 100k-node grid): see the README's skim
 * table. */

static ThBuckets *buckets_get(ThShortestPaths *sp, int nb) {
  ThBuckets *q = sp->buckets;
  if (q && q->nb >= nb) return q;
  if (q) {
    for (int i = 0; i < q->nb; i++) g_free(q->b[i].node);
    g_free(q->b);
    g_free(q);
  }
  q = sp->buckets = g_new0(ThBuckets, 1);
  q->nb = nb;
  q->b = g_new0(ThBucket, nb);
  return q;
}

static G_NO_INLINE void bucket_grow(ThBucket *b) {
  b->cap = b->cap ? 2 * b->cap : 64;
  b->node = g_renew(int, b->node, b->cap);
}

static inline void bucket_push(ThBucket *b, int node) {
  if (G_UNLIKELY(b->size == b->cap)) bucket_grow(b);
  b->node[b->size++] = node;
}

/* Written for the compiler: every array a local restrict pointer and the
 * counters in locals, so stores to the settle list do not force reloads of
 * the others (-7 % instructions at 10k nodes, callgrind). */
static void run_bucket(ThShortestPaths *sp, const ThSpGraph *g, int source) {
  ThBuckets *q = buckets_get(sp, g->nb);
  ThBucket *restrict ring = q->b;
  const uint64_t mask = (uint64_t)g->nb - 1; /* the ring uses g->nb of q's buckets */
  const double inv = g->inv_delta;
  double *restrict dist = sp->dist;
  int *restrict pred = sp->pred_arc;
  int *restrict settled = sp->settled;
  int *restrict touched = sp->touched;
  const int *restrict start = g->start;
  const ThArc *restrict arc = g->arc;
  const int *link = g->link;
  const int *from = g->net->link_from;
  const guint8 *restrict no_thru = g->net->node_no_thru;
  const guint8 *restrict is_target = sp->is_target;
  int left = sp->n_targets, nt = 0, ns = 0;
  dist[source] = 0.0;
  touched[nt++] = source;
  bucket_push(&ring[0], source);
  long queued = 1;  /* entries in the ring, stale ones included */
  uint64_t cur = 0; /* bucket being settled (absolute index) */
  gboolean stop = FALSE;
  while (queued > 0 && !stop) {
    ThBucket *bk = &ring[cur & mask];
    int size = bk->size;
    const int *restrict b = bk->node;
    queued -= size;
    for (int p = 0; p < size; p++) {
      int u = b[p];
      double du = dist[u];
      /* stale: the node moved to an earlier bucket (one entry per node and
       * bucket: an improvement within a bucket pushes nothing) */
      if ((uint64_t)(du * inv) != cur) continue;
      settled[ns++] = u;
      if (is_target && is_target[u] && --left == 0) {
        stop = TRUE;
        break;
      }
      if (no_thru[u] && u != source) continue;
      const ThArc *ap = arc + start[u], *aend = arc + start[u + 1];
      for (; ap < aend; ap++) {
        int v = ap->head;
        double nd = du + ap->w;
        double dv = dist[v];
        if (nd < dv) {
          uint64_t k = (uint64_t)(nd * inv);
          /* cannot fail (see above); a wrong tree would be worse than a stop */
          if (G_UNLIKELY(k <= cur)) g_error("bucket queue: arc into the bucket being settled");
          if (dv == INFINITY) {
            /* its arcs are read when it is settled: start the miss now
             * (-3 % time at 100k nodes, none at 10k: bench_skim best) */
            __builtin_prefetch(&arc[start[v]]);
            touched[nt++] = v;
            queued++;
            bucket_push(&ring[k & mask], v);
          } else if (k != (uint64_t)(dv * inv)) {
            queued++;
            bucket_push(&ring[k & mask], v);
          }
          dist[v] = nd;
          pred[v] = (int)(ap - arc);
        } else if (G_UNLIKELY(nd == dv)) {
          /* a tie (v is not settled: its bucket is later than u's): the
           * heaps' tree takes the tail first in (distance, node) order */
          int t = from[link[pred[v]]];
          if (du < dist[t] || (du == dist[t] && u < t)) pred[v] = (int)(ap - arc);
        }
      }
    }
    bk->size = 0;
    cur++;
  }
  if (stop) /* early exit: empty the ring for the next run */
    for (int i = 0; i < g->nb; i++) ring[i].size = 0;
  sp->n_touched = nt;
  sp->n_settled = ns;
}

static void run(ThShortestPaths *sp, const ThSpGraph *g, int source, const double *ext) {
  g_return_if_fail(source >= 0 && source < sp->n);
  g_return_if_fail(g->net == sp->net);
  reset(sp);
  sp->last = g;
  switch (sp->heap_kind) {
  case TH_SP_HEAP_BINARY:
    if (ext) run_dary(sp, g, source, ext, 2);
    else run_dary(sp, g, source, NULL, 2);
    break;
  case TH_SP_HEAP_LAZY:
    run_lazy(sp, g, source, ext);
    break;
  case TH_SP_HEAP_BUCKET: /* baked weights that allow it, else the radix heap */
    if (!ext && g->nb > 0) run_bucket(sp, g, source);
    else run_radix(sp, g, source, ext);
    break;
  case TH_SP_HEAP_RADIX:
    run_radix(sp, g, source, ext);
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
const int *th_sp_pred_link(const ThShortestPaths *csp) {
  /* converted from arc to link indices on first use after a run, so that
   * the hot loop writes one int and never touches the cold link array */
  ThShortestPaths *sp = (ThShortestPaths *)csp;
  if (!sp->pred_ready && sp->last) {
    for (int i = 0; i < sp->n_touched; i++) {
      int v = sp->touched[i], a = sp->pred_arc[v];
      sp->pred[v] = a >= 0 ? sp->last->link[a] : -1;
    }
    sp->pred_ready = TRUE;
  }
  return sp->pred;
}

const int *th_sp_settled(const ThShortestPaths *sp, int *n) {
  if (n) *n = sp->n_settled;
  return sp->settled;
}

void th_sp_accumulate(const ThShortestPaths *sp, const double *value, double *out) {
  const int *from = sp->net->link_from;
  if (sp->n_settled == 0) return;
  const int *link = sp->last->link;
  out[sp->settled[0]] = 0.0;
  for (int i = 1; i < sp->n_settled; i++) {
    int v = sp->settled[i];
    int e = link[sp->pred_arc[v]];
    out[v] = out[from[e]] + value[e];
  }
}

gboolean th_sp_path_sums(ThShortestPaths *sp, int target, int n_values,
                         const double *const *values, double *out) {
  if (!isfinite(sp->dist[target]) || !sp->last) return FALSE;
  /* collect the path's links backwards, then sum forwards: the same
   * additions in the same order as th_sp_accumulate */
  const int *link = sp->last->link;
  const int *from = sp->net->link_from;
  int hops = 0;
  for (int v = target; sp->pred_arc[v] >= 0; v = from[link[sp->pred_arc[v]]]) {
    if (hops == sp->path_cap) {
      sp->path_cap = sp->path_cap ? 2 * sp->path_cap : 256;
      sp->path = g_renew(int, sp->path, sp->path_cap);
    }
    sp->path[hops++] = link[sp->pred_arc[v]];
  }
  for (int k = 0; k < n_values; k++) {
    double sum = 0.0;
    for (int i = hops - 1; i >= 0; i--) sum += values[k][sp->path[i]];
    out[k] = sum;
  }
  return TRUE;
}

/* ------------------------------------------------------- many sources */

typedef struct {
  const ThNetwork *net;
  ThSpSourceFunc func;
  gpointer user_data;
  ThShortestPaths **sp; /* per worker, made on its first source */
} ForSources;

/* Each worker owns one workspace and takes source indices from
 * th_parallel_for's shared counter: dynamic load balancing, while every
 * result goes to the slot of its index, so scheduling never shows in the
 * output. */
static void for_source(int i, int worker, gpointer user_data) {
  ForSources *fs = user_data;
  if (!fs->sp[worker]) fs->sp[worker] = th_sp_new(fs->net);
  fs->func(fs->sp[worker], i, fs->user_data);
}

void th_sp_for_sources(const ThNetwork *net, int n_sources, int n_threads, ThSpSourceFunc func,
                       gpointer user_data) {
  if (n_threads > n_sources) n_threads = n_sources;
  if (n_threads < 1) n_threads = 1;
  ForSources fs = {net, func, user_data, g_new0(ThShortestPaths *, n_threads)};
  th_parallel_for(n_sources, n_threads, for_source, &fs); /* network/parallel.h */
  for (int t = 0; t < n_threads; t++) th_sp_free(fs.sp[t]);
  g_free(fs.sp);
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

/* --------------------------------------------------------- connectivity */

/* Iterative Tarjan: an explicit stack of (node, next CSR position) instead
 * of recursion, so a long chain of nodes (a 1M-node grid, an OSM road) does
 * not overflow the C stack. Replaces igraph_connected_components(STRONG) so
 * that validation (and with it `taihang assign`) starts without loading
 * igraph. */
int th_strong_components(const ThNetwork *net, uint32_t modes, int *comp) {
  g_return_val_if_fail(net && net->finalized, 0);
  int n = net->n_nodes;
  int *index = g_new(int, n + 1), *low = g_new(int, n + 1);
  int *stack = g_new(int, n + 1), *call = g_new(int, n + 1), *next = g_new(int, n + 1);
  guint8 *on_stack = g_new0(guint8, n + 1);
  for (int v = 0; v < n; v++) index[v] = -1;
  int counter = 0, n_stack = 0, n_comp = 0;
  for (int root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    int depth = 0;
    call[depth++] = root;
    next[root] = net->out_start[root];
    index[root] = low[root] = counter++;
    stack[n_stack++] = root;
    on_stack[root] = 1;
    while (depth > 0) {
      int v = call[depth - 1];
      if (next[v] < net->out_start[v + 1]) {
        int e = net->out_link[next[v]++];
        if (!(net->link_modes[e] & modes)) continue;
        int w = net->link_to[e];
        if (index[w] < 0) { /* descend */
          index[w] = low[w] = counter++;
          next[w] = net->out_start[w];
          stack[n_stack++] = w;
          on_stack[w] = 1;
          call[depth++] = w;
        } else if (on_stack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      /* v is done: pop its component if it is a root, then return to the parent */
      if (low[v] == index[v]) {
        int w;
        do {
          w = stack[--n_stack];
          on_stack[w] = 0;
          comp[w] = n_comp;
        } while (w != v);
        n_comp++;
      }
      depth--;
      if (depth > 0) {
        int u = call[depth - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  g_free(index);
  g_free(low);
  g_free(stack);
  g_free(call);
  g_free(next);
  g_free(on_stack);
  return n_comp;
}

void th_reachable(const ThNetwork *net, uint32_t modes, int node, gboolean forward, guint8 *mark) {
  g_return_if_fail(net && net->finalized && node >= 0 && node < net->n_nodes);
  const int *start = forward ? net->out_start : net->in_start;
  const int *lnk = forward ? net->out_link : net->in_link;
  const int *far = forward ? net->link_to : net->link_from;
  memset(mark, 0, (gsize)net->n_nodes);
  int *queue = g_new(int, net->n_nodes + 1);
  int head = 0, tail = 0;
  queue[tail++] = node;
  mark[node] = 1;
  while (head < tail) {
    int v = queue[head++];
    for (int k = start[v]; k < start[v + 1]; k++) {
      int e = lnk[k];
      if (!(net->link_modes[e] & modes)) continue;
      int w = far[e];
      if (!mark[w]) {
        mark[w] = 1;
        queue[tail++] = w;
      }
    }
  }
  g_free(queue);
}

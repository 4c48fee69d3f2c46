/* router.c: time-dependent Dijkstra on integer seconds with Dial's buckets. */
#include "sim/router.h"

#include <string.h>

ThLinkTimes *th_link_times_new(int n_links, int n_bins, int32_t bin_s, const int32_t *free_s) {
  ThLinkTimes *lt = g_new0(ThLinkTimes, 1);
  lt->n_links = n_links;
  lt->n_bins = n_bins;
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
}

void th_link_times_free(ThLinkTimes *lt) {
  if (!lt) return;
  g_free(lt->tt);
  g_free(lt->free);
  g_free(lt);
}

int64_t th_link_times_route(const ThLinkTimes *lt, const int32_t *route, int n, int32_t t0) {
  int64_t t = t0;
  for (int i = 0; i < n; i++) t += th_link_times_at(lt, route[i], (int32_t)MIN(t, INT32_MAX));
  return t - t0;
}

struct ThRouter {
  const ThNetwork *net;
  uint8_t *usable;   /* per link */
  int64_t *arr;
  int *pred;
  uint32_t *stamp;   /* settled marks by generation */
  uint32_t *target;  /* target marks by generation */
  uint32_t *seen;    /* arr/pred valid for this generation */
  uint32_t gen;
  /* Dial's buckets: circular, one per second, doubly linked node lists */
  int *bhead, *bnext, *bprev;
  uint32_t bmask;
};

ThRouter *th_router_new(const ThNetwork *net, uint32_t modes) {
  ThRouter *r = g_new0(ThRouter, 1);
  r->net = net;
  int n = net->n_nodes;
  r->usable = g_new(uint8_t, net->n_links + 1);
  for (int e = 0; e < net->n_links; e++)
    r->usable[e] = (net->link_modes[e] & (modes | TH_MODE_CONNECTOR)) != 0;
  r->arr = g_new(int64_t, n + 1);
  r->pred = g_new(int, n + 1);
  r->stamp = g_new0(uint32_t, n + 1);
  r->target = g_new0(uint32_t, n + 1);
  r->seen = g_new0(uint32_t, n + 1);
  r->bnext = g_new(int, n + 1);
  r->bprev = g_new(int, n + 1);
  return r;
}

void th_router_free(ThRouter *r) {
  if (!r) return;
  g_free(r->usable);
  g_free(r->arr);
  g_free(r->pred);
  g_free(r->stamp);
  g_free(r->target);
  g_free(r->seen);
  g_free(r->bhead);
  g_free(r->bnext);
  g_free(r->bprev);
  g_free(r);
}

static inline void b_remove(ThRouter *r, int v, int64_t key) {
  int p = r->bprev[v], nx = r->bnext[v];
  if (p >= 0) r->bnext[p] = nx;
  else r->bhead[key & r->bmask] = nx;
  if (nx >= 0) r->bprev[nx] = p;
}

static inline void b_insert(ThRouter *r, int v, int64_t key) {
  int *h = &r->bhead[key & r->bmask];
  r->bprev[v] = -1;
  r->bnext[v] = *h;
  if (*h >= 0) r->bprev[*h] = v;
  *h = v;
}

void th_router_run(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                   int n_targets) {
  const ThNetwork *net = r->net;
  if (++r->gen == 0) {
    memset(r->stamp, 0, sizeof(uint32_t) * net->n_nodes);
    memset(r->target, 0, sizeof(uint32_t) * net->n_nodes);
    memset(r->seen, 0, sizeof(uint32_t) * net->n_nodes);
    r->gen = 1;
  }
  uint32_t gen = r->gen;
  uint32_t need = 1;
  while (need < (uint32_t)lt->max_tt + 1) need <<= 1;
  if (need - 1 != r->bmask || !r->bhead) {
    g_free(r->bhead);
    r->bhead = g_new(int, need);
    r->bmask = need - 1;
    for (uint32_t i = 0; i < need; i++) r->bhead[i] = -1;
  }
  int left = 0;
  if (targets)
    for (int i = 0; i < n_targets; i++)
      if (r->target[targets[i]] != gen) r->target[targets[i]] = gen, left++;
  const int *out_start = net->out_start, *out_link = net->out_link, *link_to = net->link_to;
  const guint8 *no_thru = net->node_no_thru;
  const int nl = lt->n_links;
  r->seen[source] = gen;
  r->arr[source] = t0;
  r->pred[source] = -1;
  b_insert(r, source, t0);
  size_t queued = 1;
  int64_t cur = t0;
  while (queued) {
    int u;
    while ((u = r->bhead[cur & r->bmask]) < 0) cur++;
    b_remove(r, u, cur);
    queued--;
    r->stamp[u] = gen;
    if (targets && r->target[u] == gen && --left == 0) break;
    if (u != source && no_thru[u]) continue;
    /* the bin is the same for every link leaving u */
    int b = cur <= 0 ? 0 : (int)(cur / lt->bin_s);
    const int32_t *row = b < lt->n_bins ? lt->tt + (size_t)b * nl : lt->free;
    for (int k = out_start[u]; k < out_start[u + 1]; k++) {
      int e = out_link[k];
      if (!r->usable[e]) continue;
      int w = link_to[e];
      if (r->stamp[w] == gen) continue;
      int64_t a = cur + row[e];
      if (r->seen[w] != gen) {
        r->seen[w] = gen;
        r->arr[w] = a;
        r->pred[w] = e;
        b_insert(r, w, a);
        queued++;
      } else if (a < r->arr[w]) {
        b_remove(r, w, r->arr[w]);
        r->arr[w] = a;
        r->pred[w] = e;
        b_insert(r, w, a);
      }
    }
  }
  /* leave the buckets empty for the next run */
  if (queued) {
    for (int64_t t = cur;; t++) {
      int v;
      while ((v = r->bhead[t & r->bmask]) >= 0) {
        b_remove(r, v, t);
        queued--;
      }
      if (!queued) break;
    }
  }
}

int64_t th_router_arrival(const ThRouter *r, int node) {
  return r->seen[node] == r->gen && r->stamp[node] == r->gen ? r->arr[node] : INT64_MAX;
}

int th_router_path(const ThRouter *r, int dest, GArray *out) {
  if (r->seen[dest] != r->gen || r->stamp[dest] != r->gen) return -1;
  guint start = out->len;
  for (int v = dest; r->pred[v] >= 0; v = r->net->link_from[r->pred[v]]) {
    int32_t e = r->pred[v];
    g_array_append_val(out, e);
  }
  int n = (int)(out->len - start);
  int32_t *p = &g_array_index(out, int32_t, start);
  for (int i = 0, j = n - 1; i < j; i++, j--) {
    int32_t x = p[i];
    p[i] = p[j];
    p[j] = x;
  }
  return n;
}

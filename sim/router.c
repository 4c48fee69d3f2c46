/* router.c: time-dependent Dijkstra with a binary heap (lazy deletion). */
#include "sim/router.h"

#include <math.h>
#include <string.h>

ThLinkTimes *th_link_times_new(int n_links, int n_bins, int32_t bin_s, const float *free_s) {
  ThLinkTimes *lt = g_new0(ThLinkTimes, 1);
  lt->n_links = n_links;
  lt->n_bins = n_bins;
  lt->bin_s = bin_s > 0 ? bin_s : 900;
  lt->free = g_memdup2(free_s, sizeof(float) * (n_links ? n_links : 1));
  lt->tt = g_new(float, (size_t)n_links * MAX(n_bins, 1));
  for (int b = 0; b < n_bins; b++) memcpy(lt->tt + (size_t)b * n_links, free_s, sizeof(float) * n_links);
  return lt;
}

void th_link_times_free(ThLinkTimes *lt) {
  if (!lt) return;
  g_free(lt->tt);
  g_free(lt->free);
  g_free(lt);
}

double th_link_times_route(const ThLinkTimes *lt, const int32_t *route, int n, double t0) {
  double t = t0;
  for (int i = 0; i < n; i++) t += th_link_times_at(lt, route[i], t);
  return t - t0;
}

typedef struct {
  double key;
  int node;
} HeapItem;

struct ThRouter {
  const ThNetwork *net;
  uint8_t *usable;  /* per link */
  double *arr;
  int *pred;
  uint32_t *stamp;  /* settled marks by generation */
  uint32_t *target; /* target marks by generation */
  uint32_t gen;
  HeapItem *heap;
  size_t hn, hcap;
};

ThRouter *th_router_new(const ThNetwork *net, uint32_t modes) {
  ThRouter *r = g_new0(ThRouter, 1);
  r->net = net;
  r->usable = g_new(uint8_t, net->n_links + 1);
  for (int e = 0; e < net->n_links; e++)
    r->usable[e] = (net->link_modes[e] & (modes | TH_MODE_CONNECTOR)) != 0;
  r->arr = g_new(double, net->n_nodes + 1);
  r->pred = g_new(int, net->n_nodes + 1);
  r->stamp = g_new0(uint32_t, net->n_nodes + 1);
  r->target = g_new0(uint32_t, net->n_nodes + 1);
  for (int v = 0; v < net->n_nodes; v++) r->arr[v] = INFINITY, r->pred[v] = -1;
  return r;
}

void th_router_free(ThRouter *r) {
  if (!r) return;
  g_free(r->usable);
  g_free(r->arr);
  g_free(r->pred);
  g_free(r->stamp);
  g_free(r->target);
  g_free(r->heap);
  g_free(r);
}

static inline gboolean less(const HeapItem *a, const HeapItem *b) {
  return a->key < b->key || (a->key == b->key && a->node < b->node);
}

static inline void hpush(ThRouter *r, double key, int node) {
  if (r->hn == r->hcap) {
    r->hcap = r->hcap ? 2 * r->hcap : 1024;
    r->heap = g_renew(HeapItem, r->heap, r->hcap);
  }
  HeapItem it = {key, node};
  size_t i = r->hn++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!less(&it, &r->heap[p])) break;
    r->heap[i] = r->heap[p];
    i = p;
  }
  r->heap[i] = it;
}

static inline HeapItem hpop(ThRouter *r) {
  HeapItem top = r->heap[0], last = r->heap[--r->hn];
  size_t i = 0, n = r->hn;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && less(&r->heap[c + 1], &r->heap[c])) c++;
    if (!less(&r->heap[c], &last)) break;
    r->heap[i] = r->heap[c];
    i = c;
  }
  if (n) r->heap[i] = last;
  return top;
}

void th_router_run(ThRouter *r, const ThLinkTimes *lt, int source, double t0, const int *targets,
                   int n_targets) {
  const ThNetwork *net = r->net;
  if (++r->gen == 0) {
    memset(r->stamp, 0, sizeof(uint32_t) * net->n_nodes);
    memset(r->target, 0, sizeof(uint32_t) * net->n_nodes);
    r->gen = 1;
  }
  uint32_t gen = r->gen;
  /* reset only what the last run touched would need a list; arrays are
   * small next to a search, so reset all */
  for (int v = 0; v < net->n_nodes; v++) r->arr[v] = INFINITY, r->pred[v] = -1;
  int left = 0;
  if (targets) {
    for (int i = 0; i < n_targets; i++)
      if (r->target[targets[i]] != gen) r->target[targets[i]] = gen, left++;
  }
  r->hn = 0;
  r->arr[source] = t0;
  hpush(r, t0, source);
  while (r->hn) {
    HeapItem it = hpop(r);
    int u = it.node;
    if (r->stamp[u] == gen || it.key > r->arr[u]) continue;
    r->stamp[u] = gen;
    if (targets && r->target[u] == gen && --left == 0) break;
    if (u != source && net->node_no_thru[u]) continue;
    for (int k = net->out_start[u]; k < net->out_start[u + 1]; k++) {
      int e = net->out_link[k];
      if (!r->usable[e]) continue;
      int w = net->link_to[e];
      if (r->stamp[w] == gen) continue;
      double a = it.key + th_link_times_at(lt, e, it.key);
      if (a < r->arr[w]) {
        r->arr[w] = a;
        r->pred[w] = e;
        hpush(r, a, w);
      }
    }
  }
}

double th_router_arrival(const ThRouter *r, int node) { return r->arr[node]; }

int th_router_path(const ThRouter *r, int dest, GArray *out) {
  if (!isfinite(r->arr[dest])) return -1;
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

/* odme.c: Spiess's gradient ODME on static assignment (odme.h). */
#include "sim/odme.h"

#include "network/th-error.h"
#include "sim/assign-internal.h"

#include <math.h>
#include <string.h>

void th_odme_params_init(ThOdmeParams *p) {
  p->max_outer = 10;
  p->inner = 10;
  p->tolerance = 1e-6;
  th_assign_params_init(&p->assign);
}

void th_odme_result_free(ThOdmeResult *r) {
  if (!r) return;
  for (int k = 0; k < r->n_classes; k++) th_od_table_free(r->od[k]);
  g_free(r->od);
  g_free(r->prior_flow);
  g_free(r->flow);
  g_free(r->unreachable);
  g_free(r);
}

/* (OD entry, count) pairs: entry e of the flattened classes' tables uses the
 * counted link of count c on its path. */
typedef struct {
  GArray *entry, *count;
} Hits;

static void hits_clear(Hits *h) {
  g_array_set_size(h->entry, 0);
  g_array_set_size(h->count, 0);
}

/* The path shares of every OD entry at the costs of R: one tree per (class,
 * origin), the least-cost path walked back from each destination. */
static void find_hits(const ThNetwork *net, const ThAssignClass *cls, int K, const gsize *off,
                      const ThAssignResult *r, const ThOdmeCount *counts, const int *cl_start,
                      const int *cl_idx, Hits *h) {
  int m = net->n_links;
  hits_clear(h);
  g_autofree int *head = g_new(int, m + 1);
  g_autofree double *w = g_new(double, m + 1);
  g_autofree guint8 *allowed = g_new(guint8, m + 1);
  as_csr_heads(net, head);
  AsSp *sp = as_sp_new(net->n_nodes);
  for (int k = 0; k < K; k++) {
    for (int a = 0; a < m; a++)
      allowed[a] = (net->link_modes[a] & (TH_MODE_ROAD | TH_MODE_CONNECTOR)) &&
                   !(cls[k].banned && cls[k].banned[a]);
    as_csr_weights(net, r->cost_min + (gsize)k * m, allowed, w);
    const ThOdTable *od = cls[k].od;
    for (int o = 0; o < od->n_zones; o++) {
      if (od->origin_start[o] == od->origin_start[o + 1]) continue;
      int src = net->zone_node[o];
      as_sp_run(sp, net, src, head, w, net->node_no_thru, NULL, 0);
      for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++) {
        int d = net->zone_node[od->dest[i]];
        if (d == src || !isfinite(sp->dist[d])) continue;
        int e = (int)(off[k] + (gsize)i);
        for (int a = sp->pred[d]; a >= 0; a = sp->pred[net->link_from[a]])
          for (int j = cl_start[a]; j < cl_start[a + 1]; j++) {
            int c = cl_idx[j];
            if (counts[c].weight[k] == 0) continue;
            g_array_append_val(h->entry, e);
            g_array_append_val(h->count, c);
          }
      }
    }
  }
  as_sp_free(sp);
}

/* The class of flattened OD entry E. */
static int class_of_entry(const gsize *off, int e) {
  int k = 0;
  while (off[k + 1] <= (gsize)e) k++;
  return k;
}

/* One step of Spiess's method at fixed path shares H: the gradient of Z per
 * cell (GRAD), the flow change per unit step (VD), the optimal step capped so
 * that no cell changes sign; updates the matrix of R and the linearized
 * flows V. FALSE when no step lowers Z. O(hits + cells + counts). */
static gboolean spiess_step(const Hits *h, const ThOdmeCount *counts, int C, const gsize *off, int K,
                            ThOdmeResult *R, double *grad, double *v, double *vd) {
  memset(grad, 0, sizeof(double) * off[K]);
  for (guint j = 0; j < h->entry->len; j++) {
    int e = g_array_index(h->entry, int, j), c = g_array_index(h->count, int, j);
    grad[e] += counts[c].weight[class_of_entry(off, e)] * (v[c] - counts[c].value);
  }
  memset(vd, 0, sizeof(double) * C);
  double gmax = 0;
  for (int k = 0; k < K; k++)
    for (int i = 0; i < R->od[k]->n_entries; i++) {
      double g = grad[off[k] + i];
      if (R->od[k]->trips[i] > 0 && g > gmax) gmax = g;
    }
  for (guint j = 0; j < h->entry->len; j++) {
    int e = g_array_index(h->entry, int, j), c = g_array_index(h->count, int, j);
    int k = class_of_entry(off, e);
    vd[c] -= counts[c].weight[k] * R->od[k]->trips[e - off[k]] * grad[e];
  }
  double num = 0, den = 0;
  for (int c = 0; c < C; c++) {
    num += vd[c] * (counts[c].value - v[c]);
    den += vd[c] * vd[c];
  }
  if (!(den > 0) || !(num > 0)) return FALSE;
  double lambda = num / den;
  if (gmax > 0 && lambda > 1.0 / gmax) lambda = 1.0 / gmax;
  for (int k = 0; k < K; k++) {
    ThOdTable *q = R->od[k];
    q->total = 0;
    for (int i = 0; i < q->n_entries; i++) {
      q->trips[i] *= 1.0 - lambda * grad[off[k] + i];
      if (q->trips[i] < 0) q->trips[i] = 0;
      q->total += q->trips[i];
    }
  }
  for (int c = 0; c < C; c++) v[c] += lambda * vd[c];
  return TRUE;
}

ThOdmeResult *th_odme_run(const ThNetwork *net, const ThAssignClass *classes, int K,
                          const ThOdmeCount *counts, int C, const ThOdmeParams *params,
                          GError **error) {
  int m = net->n_links;
  for (int c = 0; c < C; c++)
    if (counts[c].link < 0 || counts[c].link >= m || !(counts[c].value >= 0)) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "count %d: link index %d or value %g is invalid (a link of the network, a "
                  "count >= 0)",
                  c, counts[c].link, counts[c].value);
      return NULL;
    }
  /* counts by link */
  g_autofree int *cl_start = g_new0(int, m + 2);
  g_autofree int *cl_idx = g_new(int, C + 1);
  for (int c = 0; c < C; c++) cl_start[counts[c].link + 1]++;
  for (int a = 0; a < m; a++) cl_start[a + 1] += cl_start[a];
  {
    g_autofree int *fill = g_memdup2(cl_start, sizeof(int) * (m + 1));
    for (int c = 0; c < C; c++) cl_idx[fill[counts[c].link]++] = c;
  }
  /* the working matrix: a copy of each prior, same cells */
  g_autoptr(ThOdmeResult) R = g_new0(ThOdmeResult, 1);
  R->n_classes = K;
  R->od = g_new0(ThOdTable *, K);
  R->prior_flow = g_new0(double, C + 1);
  R->flow = g_new0(double, C + 1);
  R->unreachable = g_new0(gboolean, C + 1);
  g_autofree gsize *off = g_new0(gsize, K + 1);
  g_autofree ThAssignClass *cur = g_new(ThAssignClass, K);
  for (int k = 0; k < K; k++) {
    const ThOdTable *p = classes[k].od;
    ThOdTable *q = g_new0(ThOdTable, 1);
    q->n_zones = p->n_zones;
    q->n_entries = p->n_entries;
    q->origin_start = g_memdup2(p->origin_start, sizeof(int) * (p->n_zones + 1));
    q->dest = g_new0(int, p->n_entries + 1);
    q->trips = g_new0(double, p->n_entries + 1);
    if (p->n_entries > 0) {
      memcpy(q->dest, p->dest, sizeof(int) * p->n_entries);
      memcpy(q->trips, p->trips, sizeof(double) * p->n_entries);
    }
    q->total = p->total;
    R->od[k] = q;
    cur[k] = classes[k];
    cur[k].od = q;
    off[k + 1] = off[k] + (gsize)p->n_entries;
  }
  gsize E = off[K];
  g_autofree double *grad = g_new(double, E + 1);
  g_autofree double *v = g_new(double, C + 1), *vd = g_new(double, C + 1);
  Hits h = {g_array_new(FALSE, FALSE, sizeof(int)), g_array_new(FALSE, FALSE, sizeof(int))};
  int outer;
  for (outer = 0;; outer++) {
    ThAssignResult *r = th_assign_run(net, cur, K, &params->assign, error);
    if (!r) {
      g_array_unref(h.entry);
      g_array_unref(h.count);
      return NULL;
    }
    double z = 0;
    for (int c = 0; c < C; c++) {
      double x = 0;
      for (int k = 0; k < K; k++) x += counts[c].weight[k] * r->volume[(gsize)k * m + counts[c].link];
      v[c] = x;
      z += 0.5 * (x - counts[c].value) * (x - counts[c].value);
    }
    memcpy(R->flow, v, sizeof(double) * C);
    R->z = z;
    if (outer == 0) {
      memcpy(R->prior_flow, v, sizeof(double) * C);
      R->z_prior = z;
    }
    find_hits(net, cur, K, off, r, counts, cl_start, cl_idx, &h);
    th_assign_result_free(r);
    if (outer == 0) {
      /* a count no least-cost path crosses and the prior's equilibrium does
       * not load (equal-cost alternatives carry flow the trees miss) */
      for (int c = 0; c < C; c++) R->unreachable[c] = !(v[c] > 0);
      for (guint j = 0; j < h.count->len; j++) R->unreachable[g_array_index(h.count, int, j)] = FALSE;
    }
    if (z <= params->tolerance * R->z_prior || outer + 1 >= params->max_outer) break;
    /* Spiess steps on the flows linearized at this assignment */
    for (int it = 0; it < params->inner; it++)
      if (!spiess_step(&h, counts, C, off, K, R, grad, v, vd)) break;
  }
  R->outer = outer + 1;
  g_array_unref(h.entry);
  g_array_unref(h.count);
  return g_steal_pointer(&R);
}

/* assign.c: static user-equilibrium assignment: the problem (costs, gap,
 * Beckmann objective), the Frank-Wolfe family, and the driver that runs any
 * algorithm to a gap. Algorithm B lives in assign-bush.c. */
#include "sim/assign-internal.h"

#include "network/th-error.h"

#include <math.h>
#include <string.h>

static const char *const algo_names[] = {"fw", "cfw", "bfw", "b"};

gboolean th_assign_algorithm_from_name(const char *name, ThAssignAlgorithm *out) {
  for (int i = 0; i < 4; i++)
    if (name && g_ascii_strcasecmp(name, algo_names[i]) == 0) {
      *out = (ThAssignAlgorithm)i;
      return TRUE;
    }
  return FALSE;
}

const char *th_assign_algorithm_name(ThAssignAlgorithm a) {
  return (unsigned)a < 4 ? algo_names[a] : "?";
}

void th_assign_params_init(ThAssignParams *p) {
  memset(p, 0, sizeof *p);
  p->algorithm = TH_ASSIGN_B;
  p->gap = 1e-6;
  p->max_iter = 1000;
  p->threads = 1;
}

void th_assign_result_free(ThAssignResult *r) {
  if (!r) return;
  g_free(r->volume);
  g_free(r->pcu);
  g_free(r->time_min);
  g_free(r->cost_min);
  if (r->log) g_array_unref(r->log);
  g_free(r);
}

double *th_assign_tntp_fixed_cost(const ThNetwork *net) {
  double tf = net->tntp_toll_factor, df = net->tntp_distance_factor;
  if (tf == 0.0 && df == 0.0) return NULL;
  double *f = g_new(double, net->n_links > 0 ? net->n_links : 1);
  for (int a = 0; a < net->n_links; a++) {
    double len = net->tntp_length ? net->tntp_length[a] : net->length_m[a] / 1000.0;
    f[a] = tf * net->toll[a] + df * len;
  }
  return f;
}

/* Links a class may use: road or connector links it is not banned from. */
static guint8 *class_allowed(const ThNetwork *net, const ThAssignClass *c) {
  guint8 *al = g_new(guint8, net->n_links > 0 ? net->n_links : 1);
  for (int a = 0; a < net->n_links; a++)
    al[a] =
        (net->link_modes[a] & (TH_MODE_ROAD | TH_MODE_CONNECTOR)) && !(c->banned && c->banned[a]);
  return al;
}

/* ------------------------------------------------------------ problem */

static AsProblem *problem_new(const ThNetwork *net, const ThAssignClass *cls, int K, int threads) {
  AsProblem *P = g_new0(AsProblem, 1);
  int n = net->n_nodes, m = net->n_links;
  P->net = net;
  P->n = n;
  P->m = m;
  P->K = K;
  P->cls = cls;
  P->threads = threads > 0 ? threads : 1;
  gsize mm = m > 0 ? (gsize)m : 1;
  P->t0 = g_new(double, mm);
  P->cap = g_new(double, mm);
  P->alpha = g_new(double, mm);
  P->beta = g_new(double, mm);
  for (int a = 0; a < m; a++) {
    P->t0[a] = net->free_time_s[a] / 60.0;
    P->cap[a] = net->capacity_vph[a];
    P->alpha[a] = net->bpr_alpha[a];
    P->beta[a] = net->bpr_beta[a];
    /* power 0: (x/c)^0 = 1, a constant t0 (1 + alpha) */
    if (P->beta[a] == 0.0 && P->cap[a] > 0) {
      P->t0[a] *= 1.0 + P->alpha[a];
      P->alpha[a] = 0.0;
    }
    /* no capacity (rail, walk, unlimited connectors): constant cost */
    if (!(P->cap[a] > 0) || !isfinite(P->cap[a]) || !(P->beta[a] > 0)) P->alpha[a] = 0.0;
  }
  P->fixed = g_new0(double, mm * K);
  P->allowed = g_new(guint8, mm * K);
  P->pcu_k = g_new(double, K);
  for (int k = 0; k < K; k++) {
    P->pcu_k[k] = cls[k].pcu;
    if (cls[k].fixed_min) memcpy(P->fixed + (gsize)k * m, cls[k].fixed_min, sizeof(double) * m);
    g_autofree guint8 *al = class_allowed(net, &cls[k]);
    memcpy(P->allowed + (gsize)k * m, al, m);
  }
  P->no_thru = g_new(guint8, n > 0 ? n : 1);
  memcpy(P->no_thru, net->node_no_thru, n);
  GArray *pc = g_array_new(FALSE, FALSE, sizeof(int)), *po = g_array_new(FALSE, FALSE, sizeof(int));
  for (int k = 0; k < K; k++) {
    const ThOdTable *od = cls[k].od;
    for (int o = 0; o < od->n_zones; o++) {
      double s = 0;
      for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++)
        if (od->dest[i] != o) s += od->trips[i];
      if (s > 0) {
        g_array_append_val(pc, k);
        g_array_append_val(po, o);
      }
    }
  }
  P->n_pairs = (int)pc->len;
  P->pair_class = (int *)g_array_free(pc, FALSE);
  P->pair_origin = (int *)g_array_free(po, FALSE);
  P->x = g_new0(double, mm * K);
  P->v = g_new0(double, mm);
  P->t = g_new(double, mm);
  P->dt = g_new(double, mm);
  P->c = g_new(double, mm * K);
  P->w = g_new(double, mm * K);
  P->head = g_new(int, mm);
  as_csr_heads(net, P->head);
  P->targets = g_new(int *, P->threads);
  for (int w = 0; w < P->threads; w++) P->targets[w] = g_new(int, net->n_zones + 1);
  P->sp = g_new(AsSp *, P->threads);
  for (int w = 0; w < P->threads; w++) P->sp[w] = as_sp_new(n);
  return P;
}

static void problem_free(AsProblem *P) {
  g_free(P->t0);
  g_free(P->cap);
  g_free(P->alpha);
  g_free(P->beta);
  g_free(P->fixed);
  g_free(P->allowed);
  g_free(P->no_thru);
  g_free(P->pcu_k);
  g_free(P->pair_class);
  g_free(P->pair_origin);
  g_free(P->x);
  g_free(P->v);
  g_free(P->t);
  g_free(P->dt);
  g_free(P->c);
  g_free(P->w);
  g_free(P->head);
  g_free(P->od_dist);
  g_free(P->od_off);
  for (int w = 0; w < P->threads; w++) {
    as_sp_free(P->sp[w]);
    g_free(P->targets[w]);
  }
  g_free(P->targets);
  g_free(P->sp);
  g_free(P);
}

void as_update_costs(AsProblem *P) {
  int m = P->m, K = P->K;
  memset(P->v, 0, sizeof(double) * m);
  for (int k = 0; k < K; k++) {
    const double *xk = P->x + (gsize)k * m;
    double pc = P->pcu_k[k];
    for (int a = 0; a < m; a++) P->v[a] += pc * xk[a];
  }
  for (int a = 0; a < m; a++) {
    P->t[a] = as_time(P, a, P->v[a]);
    P->dt[a] = as_dtime(P, a, P->v[a]);
  }
  for (int k = 0; k < K; k++) {
    double *ck = P->c + (gsize)k * m;
    const double *fk = P->fixed + (gsize)k * m;
    for (int a = 0; a < m; a++) ck[a] = P->t[a] + fk[a];
    as_csr_weights(P->net, ck, P->allowed + (gsize)k * m, P->w + (gsize)k * m);
  }
}

static double beckmann(const AsProblem *P) {
  double b = 0;
  for (int a = 0; a < P->m; a++) {
    double v = P->v[a];
    if (v <= 0) continue;
    if (P->alpha[a] == 0.0) {
      b += P->t0[a] * v;
    } else {
      double be = P->beta[a], c = P->cap[a];
      b += P->t0[a] * (v + P->alpha[a] * c / (be + 1.0) * pow(v / c, be + 1.0));
    }
  }
  for (int k = 0; k < P->K; k++)
    for (int a = 0; a < P->m; a++) b += P->fixed[(gsize)k * P->m + a] * P->x[(gsize)k * P->m + a];
  return b;
}

static double tstt(const AsProblem *P) {
  double s = 0;
  gsize n = (gsize)P->K * P->m;
  for (gsize i = 0; i < n; i++) s += P->x[i] * P->c[i];
  return s;
}

/* --- shortest-path cost of every pair, optionally with AON loading --- */

typedef struct {
  AsProblem *P;
  double *sptt_pair;  /* per pair */
  double *unassigned_pair;
  /* AON loading by chunks of pairs, each with its own K x m buffer */
  int n_chunks;
  double **y_chunk;
  double **load;      /* per worker, n */
  /* the gap alone (no loading): per class, the bucket queue's ring
   * (as_bucket_setup; nb 0: the heap) */
  double *bucket_inv;
  int *bucket_nb;
} SpJob;

static void sp_pair(SpJob *J, int p, int worker, double *y) {
  AsProblem *P = J->P;
  int k = P->pair_class[p], o = P->pair_origin[p], m = P->m;
  const ThOdTable *od = P->cls[k].od;
  const ThNetwork *net = P->net;
  AsSp *sp = P->sp[worker];
  /* only the destinations' trees are needed: stop when they are settled */
  int nt = 0, *tg = P->targets[worker];
  for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++)
    if (od->dest[i] != o) tg[nt++] = net->zone_node[od->dest[i]];
  /* the gap needs distances only: the bucket queue gives the same doubles
   * as the heap without its (distance, node) order, which loading needs */
  if (!y && J->bucket_nb && J->bucket_nb[k] > 0)
    as_sp_dist(sp, net, net->zone_node[o], P->head, P->w + (gsize)k * m, P->no_thru, tg, nt,
               J->bucket_inv[k], J->bucket_nb[k]);
  else
    as_sp_run(sp, net, net->zone_node[o], P->head, P->w + (gsize)k * m, P->no_thru, tg, nt);
  double s = 0, un = 0;
  double *load = y ? J->load[worker] : NULL;
  for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++) {
    int d = od->dest[i];
    if (d == o) continue;
    int v = net->zone_node[d];
    double dist = sp->dist[v];
    if (!isfinite(dist)) {
      if (P->od_dist) P->od_dist[P->od_off[k] + i] = INFINITY;
      un += od->trips[i];
      continue;
    }
    if (P->od_dist) P->od_dist[P->od_off[k] + i] = dist;
    s += od->trips[i] * dist;
    if (load) load[v] += od->trips[i];
  }
  J->sptt_pair[p] = s;
  J->unassigned_pair[p] = un;
  if (!y) return;
  double *yk = y + (gsize)k * m;
  for (int i = sp->n_order - 1; i > 0; i--) {
    int u = sp->order[i];
    double f = load[u];
    if (f == 0.0) continue;
    load[u] = 0.0;
    int a = sp->pred[u];
    yk[a] += f;
    load[net->link_from[a]] += f;
  }
  load[sp->order[0]] = 0.0;
}

static void sp_item_gap(int p, int worker, gpointer data) { sp_pair(data, p, worker, NULL); }

static void sp_item_chunk(int c, int worker, gpointer data) {
  SpJob *J = data;
  int np = J->P->n_pairs;
  int lo = (int)((gint64)c * np / J->n_chunks), hi = (int)((gint64)(c + 1) * np / J->n_chunks);
  memset(J->y_chunk[c], 0, sizeof(double) * J->P->m * J->P->K);
  for (int p = lo; p < hi; p++) sp_pair(J, p, worker, J->y_chunk[c]);
}

/* Shortest paths of every pair at the current costs: SPTT (returned) and,
 * when Y is given, the all-or-nothing class volumes. Sums in pair order. */
static double shortest_all(AsProblem *P, double *y) {
  SpJob J = {P, g_new0(double, P->n_pairs + 1), g_new0(double, P->n_pairs + 1), 0, NULL, NULL,
             NULL, NULL};
  if (!y) {
    J.bucket_inv = g_new0(double, P->K);
    J.bucket_nb = g_new0(int, P->K);
    for (int k = 0; k < P->K; k++)
      if (!as_bucket_setup(P->w + (gsize)k * P->m, P->m, P->n, &J.bucket_inv[k], &J.bucket_nb[k]))
        J.bucket_nb[k] = 0;
    as_parallel_for(P->n_pairs, P->threads, sp_item_gap, &J);
    g_free(J.bucket_inv);
    g_free(J.bucket_nb);
  } else {
    /* a fixed number of chunks (not one per thread) keeps the sums'
     * association, hence the bits, independent of the thread count */
    J.n_chunks = MIN(P->n_pairs, 16);
    J.y_chunk = g_new(double *, J.n_chunks + 1);
    for (int c = 0; c < J.n_chunks; c++) J.y_chunk[c] = g_new(double, (gsize)P->m * P->K + 1);
    J.load = g_new(double *, P->threads);
    for (int w = 0; w < P->threads; w++) J.load[w] = g_new0(double, P->n + 1);
    as_parallel_for(J.n_chunks, P->threads, sp_item_chunk, &J);
    gsize mk = (gsize)P->m * P->K;
    memset(y, 0, sizeof(double) * mk);
    for (int c = 0; c < J.n_chunks; c++) {
      for (gsize i = 0; i < mk; i++) y[i] += J.y_chunk[c][i];
      g_free(J.y_chunk[c]);
    }
    g_free(J.y_chunk);
    for (int w = 0; w < P->threads; w++) g_free(J.load[w]);
    g_free(J.load);
  }
  double s = 0, un = 0;
  for (int p = 0; p < P->n_pairs; p++) {
    s += J.sptt_pair[p];
    un += J.unassigned_pair[p];
  }
  P->unassigned = un;
  g_free(J.sptt_pair);
  g_free(J.unassigned_pair);
  return s;
}

double as_gap(AsProblem *P, double *tstt_out, double *beck_out) {
  double sptt = shortest_all(P, NULL);
  double ts = tstt(P);
  P->sptt = sptt;
  if (tstt_out) *tstt_out = ts;
  if (beck_out) *beck_out = beckmann(P);
  return ts > 0 ? (ts - sptt) / ts : 0.0;
}

/* ------------------------------------------------------- Frank-Wolfe family */

/* Minimises the Beckmann function along x + lambda (s - x), lambda in [0, 1],
 * by bisection on its derivative sum_ka c_ka(v + lambda D) d_ka. */
static double line_search(AsProblem *P, const double *s) {
  int m = P->m, K = P->K;
  double *D = g_new0(double, m + 1);
  double *dsum = g_new0(double, (gsize)m * K + 1);
  for (int k = 0; k < K; k++)
    for (int a = 0; a < m; a++) {
      double d = s[(gsize)k * m + a] - P->x[(gsize)k * m + a];
      dsum[(gsize)k * m + a] = d;
      D[a] += P->pcu_k[k] * d;
    }
  /* derivative = sum_a t_a(v + l D) * (sum_k d_ka) + sum_ka fixed d */
  double *dk = g_new0(double, m + 1);
  double fixed_part = 0;
  for (int k = 0; k < K; k++)
    for (int a = 0; a < m; a++) {
      dk[a] += dsum[(gsize)k * m + a];
      fixed_part += P->fixed[(gsize)k * m + a] * dsum[(gsize)k * m + a];
    }
  double lo = 0, hi = 1;
#define DERIV(l, out)                                                               \
  do {                                                                              \
    double g_ = fixed_part;                                                         \
    for (int a = 0; a < m; a++)                                                     \
      if (dk[a] != 0.0) g_ += as_time(P, a, P->v[a] + (l) * D[a]) * dk[a];          \
    (out) = g_;                                                                     \
  } while (0)
  double g1;
  DERIV(1.0, g1);
  double lambda;
  if (g1 <= 0) {
    lambda = 1.0;
  } else {
    for (int it = 0; it < 50; it++) {
      double mid = 0.5 * (lo + hi), g;
      DERIV(mid, g);
      if (g > 0) hi = mid;
      else lo = mid;
    }
    lambda = 0.5 * (lo + hi);
  }
#undef DERIV
  g_free(D);
  g_free(dsum);
  g_free(dk);
  return lambda;
}

/* sum_a dt_a A_a B_a with A, B the pcu aggregates of class vectors
 * (a - x) and (b - c): the Beckmann Hessian's bilinear form. */
static double hform(const AsProblem *P, const double *a1, const double *a2, const double *b1,
                    const double *b2) {
  int m = P->m, K = P->K;
  double s = 0;
  for (int a = 0; a < m; a++) {
    if (P->dt[a] == 0.0) continue;
    double A = 0, B = 0;
    for (int k = 0; k < K; k++) {
      gsize i = (gsize)k * m + a;
      A += P->pcu_k[k] * (a1[i] - a2[i]);
      B += P->pcu_k[k] * (b1[i] - b2[i]);
    }
    s += P->dt[a] * A * B;
  }
  return s;
}

typedef struct {
  double *s1, *s2; /* previous search targets */
  double tau;      /* previous step */
  int n_dirs;      /* how many previous targets are valid */
} FwState;

/* The search target s for this iteration from the AON volumes y. */
static void fw_direction(AsProblem *P, ThAssignAlgorithm alg, FwState *S, const double *y,
                         double *s) {
  gsize mk = (gsize)P->m * P->K;
  const double *x = P->x;
  if (alg == TH_ASSIGN_FW || S->n_dirs == 0 || S->tau >= 0.99999) {
    memcpy(s, y, sizeof(double) * mk);
  } else if (alg == TH_ASSIGN_CFW || S->n_dirs == 1) {
    double num = hform(P, S->s1, x, y, x), den = hform(P, S->s1, x, y, S->s1);
    double al = den != 0.0 ? num / den : 0.0;
    if (al < 0) al = 0;
    if (al > 0.99999) al = 0.99999;
    for (gsize i = 0; i < mk; i++) s[i] = al * S->s1[i] + (1 - al) * y[i];
  } else {
    double tau = S->tau;
    /* dbar1 = s1 - x, dbar2 = tau s1 + (1 - tau) s2 - x */
    double *db2 = g_new(double, mk + 1), *zero = g_new0(double, mk + 1);
    for (gsize i = 0; i < mk; i++) db2[i] = tau * S->s1[i] + (1 - tau) * S->s2[i];
    double mu_den = hform(P, db2, x, S->s2, S->s1);
    double mu = mu_den != 0.0 ? -hform(P, db2, x, y, x) / mu_den : 0.0;
    double nu_den = hform(P, S->s1, x, S->s1, x);
    double nu = (nu_den != 0.0 ? -hform(P, S->s1, x, y, x) / nu_den : 0.0) + mu * tau / (1 - tau);
    if (mu < 0) mu = 0;
    if (nu < 0) nu = 0;
    double b0 = 1.0 / (1.0 + mu + nu), b1 = nu * b0, b2 = mu * b0;
    for (gsize i = 0; i < mk; i++) s[i] = b0 * y[i] + b1 * S->s1[i] + b2 * S->s2[i];
    g_free(db2);
    g_free(zero);
  }
  /* a target that is not a descent direction (rounding, degenerate
   * conjugacy) falls back to plain Frank-Wolfe */
  double g = 0;
  for (gsize i = 0; i < mk; i++) g += P->c[i] * (s[i] - x[i]);
  if (!(g < 0)) memcpy(s, y, sizeof(double) * mk);
}

/* ------------------------------------------------------------ driver */

ThAssignResult *th_assign_run(const ThNetwork *net, const ThAssignClass *classes, int n_classes,
                              const ThAssignParams *params, GError **error) {
  g_return_val_if_fail(net && net->finalized && classes && params, NULL);
  for (int k = 0; k < n_classes; k++) {
    if (!(classes[k].pcu > 0)) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "class %s: pcu %g is not positive (pcu > 0)",
                  classes[k].name, classes[k].pcu);
      return NULL;
    }
    if (!classes[k].od || classes[k].od->n_zones != net->n_zones) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "class %s: the OD table is not for this network (%d zones expected)",
                  classes[k].name, net->n_zones);
      return NULL;
    }
  }
  gint64 start = g_get_monotonic_time();
  AsProblem *P = problem_new(net, classes, n_classes, params->threads);
  int m = P->m;
  gsize mk = (gsize)m * P->K;
  ThAssignResult *R = g_new0(ThAssignResult, 1);
  R->log = g_array_new(FALSE, FALSE, sizeof(ThAssignIter));
  double *y = NULL, *s = NULL;
  FwState S = {0};
  AsBushes *B = NULL;

  /* iteration 0: all-or-nothing at free-flow costs */
  as_update_costs(P);
  if (params->algorithm == TH_ASSIGN_B) {
    P->od_off = g_new(gsize, P->K + 1);
    P->od_off[0] = 0;
    for (int k = 0; k < P->K; k++)
      P->od_off[k + 1] = P->od_off[k] + (gsize)classes[k].od->origin_start[net->n_zones];
    P->od_dist = g_new(double, P->od_off[P->K] + 1);
    B = as_bushes_new(P); /* loads the free-flow trees, sets x */
  } else {
    y = g_new(double, mk + 1);
    s = g_new(double, mk + 1);
    S.s1 = g_new(double, mk + 1);
    S.s2 = g_new(double, mk + 1);
    shortest_all(P, P->x);
  }
  as_update_costs(P);
  double gap = 1, ts = 0, bk = 0;
  /* The stopping rule is the caller's (ThAssignParams): the gap alone, or
   * with MAX_EXCESS also the worst OD pair's used paths. */
  double max_ex =
      params->algorithm == TH_ASSIGN_B && params->max_excess > 0 ? params->max_excess : 0;
  double total_trips = 0;
  for (int k = 0; k < P->K; k++) {
    const ThOdTable *od = classes[k].od;
    for (int o = 0; o < net->n_zones; o++)
      for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++)
        if (od->dest[i] != o) total_trips += od->trips[i];
  }
  double excess = NAN;
  for (int it = 0;; it++) {
    if (B) {
      gap = as_gap(P, &ts, &bk);
      excess = NAN;
      if (params->report_excess || (max_ex > 0 && gap <= params->gap)) {
        double missing;
        excess = as_bushes_max_excess(B, &missing);
        /* polish only bushes that hold every shortest path: otherwise a
         * growth iteration comes first and the polish would be wasted */
        if (max_ex > 0 && gap <= params->gap && !(missing > max_ex) && excess > max_ex) {
          as_bushes_polish(B, max_ex);
          as_update_costs(P);
          gap = as_gap(P, &ts, &bk);
          excess = as_bushes_max_excess(B, NULL);
        }
      }
    } else {
      double sptt = shortest_all(P, y);
      ts = tstt(P);
      bk = beckmann(P);
      gap = ts > 0 ? (ts - sptt) / ts : 0.0;
    }
    double trips = total_trips - P->unassigned;
    ThAssignIter li = {it, gap, ts, bk, (g_get_monotonic_time() - start) / 1e6,
                       trips > 0 ? gap * ts / trips : 0.0, excess};
    g_array_append_val(R->log, li);
    if (params->progress) params->progress(&li, params->progress_data);
    R->iterations = it;
    if (it >= params->max_iter) break;
    gboolean done = gap <= params->gap && !(max_ex > 0 && excess > max_ex);
    if (done) break;
    if (B) {
      as_bushes_iterate(B, gap, max_ex > 0 ? 0.0 : params->gap);
    } else {
      fw_direction(P, params->algorithm, &S, y, s);
      double lambda = line_search(P, s);
      for (gsize i = 0; i < mk; i++) P->x[i] += lambda * (s[i] - P->x[i]);
      double *tmp = S.s2;
      S.s2 = S.s1;
      S.s1 = s;
      s = tmp;
      S.tau = lambda;
      if (S.n_dirs < 2) S.n_dirs++;
    }
    as_update_costs(P);
  }
  R->relative_gap = gap;
  R->tstt = ts;
  R->beckmann = bk;
  R->converged = gap <= params->gap && !(max_ex > 0 && excess > max_ex);
  R->unassigned = P->unassigned;
  R->n_links = m;
  R->n_classes = P->K;
  R->volume = g_memdup2(P->x, sizeof(double) * MAX(mk, 1));
  R->cost_min = g_memdup2(P->c, sizeof(double) * MAX(mk, 1));
  R->pcu = g_memdup2(P->v, sizeof(double) * MAX(m, 1));
  R->time_min = g_memdup2(P->t, sizeof(double) * MAX(m, 1));
  g_free(y);
  g_free(s);
  g_free(S.s1);
  g_free(S.s2);
  if (B) as_bushes_free(B);
  problem_free(P);
  return R;
}

/* ------------------------------------------------------------ skim */

typedef struct {
  const ThNetwork *net;
  const double *time;
  const int *head;
  const double *w;
  AsSp **sp;
  double *T, *Dk, *Tl;
  double **tw, **dw, **lw; /* per worker node labels */
} SkimJob;

static void skim_item(int o, int worker, gpointer data) {
  SkimJob *J = data;
  const ThNetwork *net = J->net;
  AsSp *sp = J->sp[worker];
  as_sp_run(sp, net, net->zone_node[o], J->head, J->w, net->node_no_thru, net->zone_node,
            net->n_zones);
  double *tw = J->tw[worker], *dw = J->dw[worker], *lw = J->lw[worker];
  for (int i = 0; i < sp->n_order; i++) {
    int u = sp->order[i], a = sp->pred[u];
    if (a < 0) {
      tw[u] = dw[u] = lw[u] = 0;
      continue;
    }
    int f = net->link_from[a];
    tw[u] = tw[f] + J->time[a];
    dw[u] = dw[f] + net->length_m[a] / 1000.0;
    lw[u] = lw[f] + net->toll[a];
  }
  int z = net->n_zones;
  for (int d = 0; d < z; d++) {
    int v = net->zone_node[d];
    gsize i = (gsize)o * z + d;
    if (isfinite(sp->dist[v])) {
      J->T[i] = tw[v];
      J->Dk[i] = dw[v];
      J->Tl[i] = lw[v];
    } else {
      J->T[i] = J->Dk[i] = J->Tl[i] = NAN;
    }
  }
}

void th_assign_skim(const ThNetwork *net, const ThAssignClass *cls, const ThAssignResult *result,
                    int k, int threads, double **time_min, double **distance_km, double **toll) {
  int z = net->n_zones;
  if (threads < 1) threads = 1;
  g_autofree guint8 *allowed = class_allowed(net, cls);
  g_autofree int *head = g_new(int, net->n_links + 1);
  g_autofree double *w = g_new(double, net->n_links + 1);
  as_csr_heads(net, head);
  as_csr_weights(net, result->cost_min + (gsize)k * result->n_links, allowed, w);
  gsize zz = (gsize)z * z + 1;
  SkimJob J = {net, result->time_min, head, w,
               g_new(AsSp *, threads), g_new(double, zz), g_new(double, zz), g_new(double, zz),
               g_new(double *, threads), g_new(double *, threads), g_new(double *, threads)};
  for (int w = 0; w < threads; w++) {
    J.sp[w] = as_sp_new(net->n_nodes);
    J.tw[w] = g_new(double, net->n_nodes + 1);
    J.dw[w] = g_new(double, net->n_nodes + 1);
    J.lw[w] = g_new(double, net->n_nodes + 1);
  }
  as_parallel_for(z, threads, skim_item, &J);
  for (int w = 0; w < threads; w++) {
    as_sp_free(J.sp[w]);
    g_free(J.tw[w]);
    g_free(J.dw[w]);
    g_free(J.lw[w]);
  }
  g_free(J.sp);
  g_free(J.tw);
  g_free(J.dw);
  g_free(J.lw);
  *time_min = J.T;
  *distance_km = J.Dk;
  *toll = J.Tl;
}

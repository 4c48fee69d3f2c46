/* demand.c: gravity-model passenger demand balanced by IPF, and freight by
 * commodity (see demand.h). */
#include "sim/demand.h"
#include "sim/demand-internal.h"
#include "sim/demand-longdist.h"
#include "sim/params.h"
#include "network/paths.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

static const char *commodity_names[TH_N_COMMODITIES] = {"coal", "ceramics", "agri", "general"};
const char *th_commodity_name(ThCommodity c) { return commodity_names[c]; }

/* Departures per hour: commuting peaks at 7-8 and 17-18 (work), a daytime
 * plateau (other), trucks round the clock with a daytime bulge. Shapes of
 * Chinese county-town household surveys (E). */
static const double work_profile[24] = {0, 0, 0, 0, 0.2, 1, 4, 12, 9, 3, 2, 2,
                                        3, 3, 2, 2, 4, 10, 11, 4, 2, 1, 0.5, 0.1};
static const double other_profile[24] = {0, 0, 0, 0, 0, 0.5, 1.5, 3, 5, 7, 7, 6,
                                         5, 5, 6, 6, 6, 5, 4, 3, 2, 1, 0.5, 0};
static const double freight_profile[24] = {3, 3, 3, 3, 3, 4, 5, 6, 6, 6, 6, 6,
                                           6, 6, 6, 6, 6, 5, 5, 4, 4, 3, 3, 3};

void th_demand_params_init(ThDemandParams *p) {
  memset(p, 0, sizeof *p);
  p->seed = 1;
  p->passengers = TRUE;
  p->freight = TRUE;
  p->n_purposes = 2;
  p->purposes[0].name = "work";
  memcpy(p->purposes[0].profile, work_profile, sizeof work_profile);
  p->purposes[1].name = "other";
  memcpy(p->purposes[1].profile, other_profile, sizeof other_profile);
  /* the numbers: th_param_table (sim/params.c), the one place they are written */
  th_params_set_defaults(th_param_table, TH_PARAM_IN_DEMAND, p);
  p->purposes[1].share = 1.0 - p->purposes[0].share;
}

void th_demand_stats_free(ThDemandStats *s) {
  if (!s) return;
  g_free(s->production);
  g_free(s->matrix);
  g_free(s->cost_min);
  g_free(s);
}

int th_ipf_balance(int n, const double *O, const double *D, const double *F, int max_iter,
                   double tol, double *T, double *err_out) {
  g_autofree double *A = g_new(double, n);
  g_autofree double *B = g_new(double, n);
  for (int i = 0; i < n; i++) A[i] = B[i] = 1.0;
  int it = 0;
  double err = INFINITY;
  while (it < max_iter) {
    it++;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) s += B[j] * D[j] * F[(size_t)i * n + j];
      A[i] = s > 0 ? 1.0 / s : 0;
    }
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < n; i++) s += A[i] * O[i] * F[(size_t)i * n + j];
      B[j] = s > 0 ? 1.0 / s : 0;
    }
    /* columns are exact after the B step; the rows tell how far we are */
    err = 0;
    for (int i = 0; i < n; i++) {
      if (O[i] <= 0 || A[i] == 0) continue;
      double s = 0;
      for (int j = 0; j < n; j++) s += A[i] * O[i] * B[j] * D[j] * F[(size_t)i * n + j];
      err = fmax(err, fabs(s - O[i]) / O[i]);
    }
    if (err <= tol) break;
  }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      T[(size_t)i * n + j] = A[i] * O[i] * B[j] * D[j] * F[(size_t)i * n + j];
  if (err_out) *err_out = err;
  return it;
}

/* A stream per (seed, kind, a, b, c): splitmix64 over the parts, so each OD
 * cell draws from its own sequence. */
static unsigned long cell_seed(uint64_t seed, uint64_t kind, uint64_t a, uint64_t b, uint64_t c) {
  uint64_t parts[5] = {seed, kind, a, b, c}, h = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 5; i++) {
    h ^= parts[i] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h += 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
  }
  return (unsigned long)(h ? h : 1);
}

int32_t th_demand_draw_depart(gsl_rng *r, const double *profile) {
  double sum = 0;
  for (int h = 0; h < 24; h++) sum += profile[h];
  double u = gsl_rng_uniform(r) * sum, c = 0;
  int hour = 23;
  for (int h = 0; h < 24; h++) {
    c += profile[h];
    if (u < c && profile[h] > 0) {
      hour = h;
      break;
    }
  }
  return (int32_t)(hour * 3600 + (int32_t)gsl_rng_uniform_int(r, 3600));
}

gsl_rng *th_demand_cell_rng(uint64_t seed, int a, int b, uint64_t tag) {
  uint64_t h = seed * 0x9E3779B97F4A7C15ull ^ ((uint64_t)a << 32 | (uint64_t)b) ^ tag;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, (unsigned long)(h ? h : 1));
  return r;
}

int th_demand_round(gsl_rng *r, double x, double sample) {
  double xs = x * sample, f = floor(xs);
  return (int)f + (gsl_rng_uniform(r) < xs - f ? 1 : 0);
}

/* Integer count for an expected value X: floor + Bernoulli(fraction). */
static int draw_count(gsl_rng *r, double x) {
  double f = floor(x);
  return (int)f + (gsl_rng_uniform(r) < x - f ? 1 : 0);
}

static gboolean check_params(const ThNetwork *net, const ThClassTable *classes,
                             const ThDemandParams *p, GError **error) {
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  if (!(p->sample > 0 && p->sample <= 1))
    g_ptr_array_add(pr, g_strdup_printf("sample = %g (expected 0 < sample <= 1)", p->sample));
  if (!(p->trip_rate >= 0)) g_ptr_array_add(pr, g_strdup("trip_rate must be >= 0"));
  if (!(p->external_rate >= 0)) g_ptr_array_add(pr, g_strdup("external_rate must be >= 0"));
  if (!(p->external_decay >= 0)) g_ptr_array_add(pr, g_strdup("external_decay must be >= 0"));
  if (!(p->through >= 0)) g_ptr_array_add(pr, g_strdup("through must be >= 0"));
  for (int b = 0; b < TH_LONGDIST_BANDS; b++)
    if (!(p->longdist_rate[b] >= 0) || !(p->longdist_pop_m[b] >= 0))
      g_ptr_array_add(pr, g_strdup_printf("long-distance band %d: rate and population must be >= 0",
                                          b + 1));
  if (!(p->vot_per_h > 0)) g_ptr_array_add(pr, g_strdup("vot must be > 0"));
  if (p->n_purposes < 1 || p->n_purposes > TH_DEMAND_MAX_PURPOSES)
    g_ptr_array_add(pr, g_strdup_printf("%d purposes (expected 1..%d)", p->n_purposes,
                                        TH_DEMAND_MAX_PURPOSES));
  for (int k = 0; k < p->n_purposes && k < TH_DEMAND_MAX_PURPOSES; k++) {
    const ThPurpose *u = &p->purposes[k];
    if (!(u->share >= 0) || !(u->beta >= 0) || !(u->alpha >= 0))
      g_ptr_array_add(pr, g_strdup_printf("purpose %s: share, alpha and beta must be >= 0",
                                          u->name ? u->name : "?"));
  }
  for (int c = 0; c < TH_N_COMMODITIES; c++) {
    if (!(p->tonnes_per_day[c] >= 0))
      g_ptr_array_add(pr, g_strdup_printf("%s_tpd must be >= 0", commodity_names[c]));
    if (p->freight && p->tonnes_per_day[c] > 0 &&
        th_class_table_lookup(classes, commodity_names[c]) < 0)
      g_ptr_array_add(pr, g_strdup_printf("freight class '%s' is not in the class table",
                                          commodity_names[c]));
  }
  if (p->passengers && th_class_table_lookup(classes, "car") < 0)
    g_ptr_array_add(pr, g_strdup("passenger class 'car' is not in the class table"));
  if (net->n_zones < 2) g_ptr_array_add(pr, g_strdup("the network has fewer than 2 zones"));
  if (pr->len) {
    th_problems_to_error(pr, TH_ERROR_INVALID, error);
    return FALSE;
  }
  return TRUE;
}

/* What the stages of th_demand_synthesize share (DemandDraw): the inputs,
 * the statistics they fill (costs, productions, matrices, totals), the
 * trips drawn so far and the next trip id, and which external pairs' road
 * paths cross the study area. */
typedef struct {
  const ThNetwork *net;
  const ThClassTable *classes;
  const ThDemandParams *p;
  ThDemandStats *st;
  ThTrips *trips;
  int64_t next_id;
  guint8 *through; /* nz x nz: 1 when the pair's road path crosses the study area */
} DemandDraw;

/* Stage 1: generalized road costs between zones (minutes) and the external
 * pairs whose path crosses the study area's box (plus a margin). */
static void demand_costs(DemandDraw *D) {
  const ThNetwork *net = D->net;
  const ThDemandParams *p = D->p;
  ThDemandStats *st = D->st;
  const int nz = net->n_zones;
  guint8 *through = D->through;
  /* generalized road cost per link, minutes */
  g_autofree double *w = g_new(double, net->n_links);
  for (int e = 0; e < net->n_links; e++) {
    double money = net->length_m[e] / 1000.0 * p->cost_per_km + net->toll[e];
    w[e] = net->free_time_s[e] / 60.0 + money / p->vot_per_h * 60.0;
  }
  /* study area box (for through traffic): the internal zones plus a margin */
  double lo_lon = INFINITY, hi_lon = -INFINITY, lo_lat = INFINITY, hi_lat = -INFINITY;
  int n_int = 0;
  for (int z = 0; z < nz; z++) {
    if (p->internal && !p->internal[z]) continue;
    n_int++;
    int v = net->zone_node[z];
    if (isnan(net->lon[v]) || isnan(net->lat[v])) continue;
    lo_lon = fmin(lo_lon, net->lon[v]);
    hi_lon = fmax(hi_lon, net->lon[v]);
    lo_lat = fmin(lo_lat, net->lat[v]);
    hi_lat = fmax(hi_lat, net->lat[v]);
  }
  const double margin = 0.03; /* degrees, about 3 km */
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  for (int o = 0; o < nz; o++) {
    th_sp_run(sp, net->zone_node[o], w, TH_MODE_ROAD);
    const double *dist = th_sp_dist(sp);
    const int *pred = th_sp_pred_link(sp);
    for (int d = 0; d < nz; d++) {
      st->cost_min[(size_t)o * nz + d] = o == d ? 0 : dist[net->zone_node[d]];
      gboolean ext_pair = p->internal && !p->internal[o] && !p->internal[d];
      if (!ext_pair || o == d || !isfinite(dist[net->zone_node[d]])) continue;
      for (int v = net->zone_node[d]; v != net->zone_node[o];) {
        int e = pred[v];
        if (e < 0) break;
        if (net->lon[v] >= lo_lon - margin && net->lon[v] <= hi_lon + margin &&
            net->lat[v] >= lo_lat - margin && net->lat[v] <= hi_lat + margin) {
          through[(size_t)o * nz + d] = 1;
          break;
        }
        v = net->link_from[e];
      }
    }
  }

  /* cut-off zones (demand.h): no cost to or from them, so no passenger,
   * through or freight flow; their trip ends are zeroed below */
  const guint8 *cut = net->zone_cut_off;
  if (cut)
    for (int a = 0; a < nz; a++)
      for (int b = 0; b < nz; b++)
        if (a != b && (cut[a] || cut[b])) {
          st->cost_min[(size_t)a * nz + b] = INFINITY;
          through[(size_t)a * nz + b] = 0;
        }
}

/* Stage 2: passenger trips: trip ends per zone, a doubly constrained
 * gravity model per purpose balanced by IPF, trips drawn per cell. */
static void demand_passengers(DemandDraw *D) {
  const guint8 *cut = D->net->zone_cut_off; /* cut-off zones: no trips */
  const ThNetwork *net = D->net;
  const ThClassTable *classes = D->classes;
  const ThDemandParams *p = D->p;
  ThDemandStats *st = D->st;
  ThTrips *trips = D->trips;
  const int nz = net->n_zones;
  const size_t nn = (size_t)nz * nz;
  const int n_pur = p->passengers ? p->n_purposes : 0;
  if (p->passengers) {
    /* trip ends per zone (all purposes together) */
    g_autofree double *ends = g_new0(double, nz);
    for (int z = 0; z < nz; z++) {
      double g = p->zone_growth ? p->zone_growth[z] : 1.0;
      double pop = net->zone_population[z];
      if (!p->internal || p->internal[z]) {
        ends[z] = p->trip_rate * pop * g;
      } else {
        double cmin = INFINITY;
        for (int i = 0; i < nz; i++)
          /* pairs left to the long-distance model do not count */
          if (p->internal[i] && !th_longdist_pair(net, p, z, i))
            cmin = fmin(cmin, st->cost_min[(size_t)z * nz + i]);
        ends[z] = isfinite(cmin) ? p->external_rate * pop * exp(-p->external_decay * cmin) * g : 0;
      }
      if (cut && cut[z]) ends[z] = 0;
    }
    double share_sum = 0;
    for (int k = 0; k < n_pur; k++) share_sum += p->purposes[k].share;
    int car = th_class_table_lookup(classes, "car");
    g_autofree double *F = g_new(double, nn);
    g_autofree double *O = g_new(double, nz);
    for (int k = 0; k < n_pur; k++) {
      const ThPurpose *u = &p->purposes[k];
      for (int z = 0; z < nz; z++) O[z] = share_sum > 0 ? ends[z] * u->share / share_sum : 0;
      memcpy(st->production + (size_t)k * nz, O, sizeof(double) * nz);
      for (int i = 0; i < nz; i++)
        for (int j = 0; j < nz; j++) {
          double c = st->cost_min[(size_t)i * nz + j];
          double f = 0;
          if (i != j && isfinite(c)) {
            c = fmax(c, 1.0);
            f = pow(c, -u->alpha) * exp(-u->beta * c);
            /* external pairs are through traffic, synthesized below */
            if (p->internal && !p->internal[i] && !p->internal[j]) f = 0;
            /* far pairs with the study area are long-distance trips (below) */
            if (th_longdist_pair(net, p, i, j)) f = 0;
          }
          F[(size_t)i * nz + j] = f;
        }
      double *T = st->matrix + (size_t)k * nn;
      double err;
      st->ipf_iterations =
          th_ipf_balance(nz, O, O, F, p->ipf_iterations, p->ipf_tolerance, T, &err);
      st->ipf_error = fmax(st->ipf_error, err);
      for (int i = 0; i < nz; i++)
        for (int j = 0; j < nz; j++) {
          double x = T[(size_t)i * nz + j];
          if (x <= 0) continue;
          st->passenger_trips_per_day += x;
          gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
          gsl_rng_set(r, cell_seed(p->seed, 1, (uint64_t)k, (uint64_t)i, (uint64_t)j));
          int n = draw_count(r, x * p->sample);
          for (int t = 0; t < n; t++)
            th_trips_set_purpose(
                trips,
                th_trips_add(trips, D->next_id++, net, net->zone_node[i], net->zone_node[j],
                             th_demand_draw_depart(r, u->profile), classes, car, 0, 0),
                u->name);
          gsl_rng_free(r);
        }
    }
    /* 2a: long-distance trips by distance band (demand-longdist.h), after
     * the purposes so their trip ids do not move when it is off */
    double x = th_demand_longdist_add(net, classes, p, st->cost_min, NULL, trips, &D->next_id);
    st->longdist_trips_per_day += x;
    st->passenger_trips_per_day += x;
  }

}

/* Stage 3: through traffic between external zones (below). */
static void demand_through(DemandDraw *D) {
  const ThNetwork *net = D->net;
  const ThClassTable *classes = D->classes;
  const ThDemandParams *p = D->p;
  ThDemandStats *st = D->st;
  ThTrips *trips = D->trips;
  const guint8 *through = D->through;
  const int nz = net->n_zones;
  /* Through traffic: pairs of external zones whose road path crosses the
   * study area exchange through x (pop_i / 1e6) x (pop_j / 1e6) x
   * exp(-through_beta x c_ij) trips a day (a plain gravity: the study area
   * does not constrain them); departures follow the "other" profile. */
  if (p->passengers && p->internal && p->through > 0) {
    int car = th_class_table_lookup(classes, "car");
    const double *profile = p->purposes[p->n_purposes > 1 ? 1 : 0].profile;
    for (int i = 0; i < nz; i++)
      for (int j = 0; j < nz; j++) {
        if (i == j || p->internal[i] || p->internal[j] || !through[(size_t)i * nz + j]) continue;
        double c = st->cost_min[(size_t)i * nz + j];
        double gi = p->zone_growth ? p->zone_growth[i] : 1.0;
        double gj = p->zone_growth ? p->zone_growth[j] : 1.0;
        double x = p->through * net->zone_population[i] / 1e6 * net->zone_population[j] / 1e6 *
                   exp(-p->through_beta * c) * sqrt(gi * gj);
        if (!(x > 0)) continue;
        st->passenger_trips_per_day += x;
        st->through_trips_per_day += x;
        gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
        gsl_rng_set(r, cell_seed(p->seed, 9, 0, (uint64_t)i, (uint64_t)j));
        int n = draw_count(r, x * p->sample);
        /* purpose "other": through trips depart by its profile; what they
         * really travel for is not known here */
        for (int t = 0; t < n; t++)
          th_trips_set_purpose(trips,
                               th_trips_add(trips, D->next_id++, net, net->zone_node[i],
                                            net->zone_node[j], th_demand_draw_depart(r, profile),
                                            classes, car, 0, 0),
                               "other");
        gsl_rng_free(r);
      }
  }

}

/* Stage 4: freight shipments per commodity: origins by weight, destinations
 * by contract shares (coal) or gravity, vehicles drawn per cell. */
static void demand_freight(DemandDraw *D) {
  const guint8 *cut = D->net->zone_cut_off; /* cut-off zones: no trips */
  const ThNetwork *net = D->net;
  const ThClassTable *classes = D->classes;
  const ThDemandParams *p = D->p;
  ThDemandStats *st = D->st;
  ThTrips *trips = D->trips;
  const int nz = net->n_zones;
  if (p->freight) {
    g_autofree double *ow = g_new(double, nz);
    g_autofree double *dw = g_new(double, nz);
    for (int c = 0; c < TH_N_COMMODITIES; c++) {
      double tpd = p->tonnes_per_day[c];
      if (tpd <= 0) continue;
      int cls = th_class_table_lookup(classes, commodity_names[c]);
      double load =
          classes->cls[cls].tonnes_per_vehicle > 0 ? classes->cls[cls].tonnes_per_vehicle : 1;
      /* general cargo in part loads (general_shipment_t): more, smaller shipments */
      if (c == TH_COMMODITY_GENERAL && p->general_shipment_t > 0 && p->general_shipment_t < load)
        load = p->general_shipment_t;
      /* general cargo runs both ways: half out of the study area, half in */
      int dirs = c == TH_COMMODITY_GENERAL ? 2 : 1;
      for (int dir = 0; dir < dirs; dir++) {
        double osum = 0;
        for (int z = 0; z < nz; z++) {
          gboolean in = !p->internal || p->internal[z];
          double def = (c == TH_COMMODITY_COAL || c == TH_COMMODITY_AGRI) ? net->zone_population[z]
                                                                          : net->zone_gdp[z];
          ow[z] = p->origin_weight[c] ? p->origin_weight[c][z] : (in ? def : 0);
          ow[z] *= p->zone_growth ? p->zone_growth[z] : 1.0;
          dw[z] = p->destination_weight[c] ? p->destination_weight[c][z]
                                           : (in && p->internal ? 0 : net->zone_gdp[z]);
          if (cut && cut[z]) ow[z] = dw[z] = 0;
          osum += ow[z];
        }
        if (osum <= 0) continue;
        double share = tpd / dirs;
        for (int i = 0; i < nz; i++) {
          if (ow[i] <= 0) continue;
          /* destinations: fixed shares for coal (contracts), gravity otherwise */
          double dsum = 0;
          for (int j = 0; j < nz; j++) {
            double cij = dir ? st->cost_min[(size_t)j * nz + i] : st->cost_min[(size_t)i * nz + j];
            if (j == i || !isfinite(cij) || dw[j] <= 0) continue;
            dsum += dw[j] * (c == TH_COMMODITY_COAL ? 1.0 : exp(-p->freight_beta * cij));
          }
          if (dsum <= 0) continue;
          for (int j = 0; j < nz; j++) {
            double cij = dir ? st->cost_min[(size_t)j * nz + i] : st->cost_min[(size_t)i * nz + j];
            if (j == i || !isfinite(cij) || dw[j] <= 0) continue;
            double x = share * ow[i] / osum * dw[j] *
                       (c == TH_COMMODITY_COAL ? 1.0 : exp(-p->freight_beta * cij)) / dsum;
            st->tonnes_per_day[c] += x;
            int from = dir ? j : i, to = dir ? i : j;
            gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
            gsl_rng_set(r, cell_seed(p->seed, 2 + (uint64_t)c, (uint64_t)dir, (uint64_t)from,
                                     (uint64_t)to));
            int n = draw_count(r, x / load * p->sample);
            for (int t = 0; t < n; t++)
              th_trips_add(trips, D->next_id++, net, net->zone_node[from], net->zone_node[to],
                           th_demand_draw_depart(r, freight_profile), classes, cls, 0, load);
            gsl_rng_free(r);
          }
        }
      }
    }
  }
}

ThTrips *th_demand_synthesize(const ThNetwork *net, const ThClassTable *classes,
                              const ThDemandParams *p, ThDemandStats **stats_out, GError **error) {
  if (!check_params(net, classes, p, error)) return NULL;
  const int nz = net->n_zones;
  const size_t nn = (size_t)nz * nz;
  g_autoptr(ThDemandStats) st = g_new0(ThDemandStats, 1);
  st->n_zones = nz;
  st->cost_min = g_new(double, nn);
  g_autofree guint8 *through = g_new0(guint8, nn);
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  const int n_pur = p->passengers ? p->n_purposes : 0;
  st->production = g_new0(double, (size_t)nz * (n_pur ? n_pur : 1));
  st->matrix = g_new0(double, (size_t)(n_pur ? n_pur : 1) * nn);
  DemandDraw D = {net, classes, p, st, trips, 1, through};
  demand_costs(&D);
  demand_passengers(&D);
  demand_through(&D);
  demand_freight(&D);
  if (stats_out) *stats_out = g_steal_pointer(&st);
  return g_steal_pointer(&trips);
}

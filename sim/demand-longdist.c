/* demand-longdist.c: long-distance trips by distance band (see demand-longdist.h). */
#include "sim/demand-longdist.h"
#include "sim/demand-internal.h"

#include <gsl/gsl_rng.h>
#include <math.h>

static const double edges_km[TH_LONGDIST_BANDS + 1] = {50, 150, 300, 600};

/* Departures per hour: out in the morning, back in the afternoon and
 * evening (E: the shape of a day trip to a city 1-4 hours away). */
static const double out_profile[24] = {0, 0, 0, 0, 0, 0, 2, 4, 4, 3, 2, 1,
                                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const double back_profile[24] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 0};

double th_longdist_edge_km(int b) {
  g_return_val_if_fail(b >= 0 && b <= TH_LONGDIST_BANDS, NAN);
  return edges_km[b];
}

double th_zone_distance_km(const ThNetwork *net, int a, int b) {
  int u = net->zone_node[a], v = net->zone_node[b];
  if (isnan(net->lon[u]) || isnan(net->lat[u]) || isnan(net->lon[v]) || isnan(net->lat[v]))
    return NAN;
  return th_haversine_m(net->lon[u], net->lat[u], net->lon[v], net->lat[v]) / 1000.0;
}

gboolean th_longdist_on(const ThDemandParams *p) {
  for (int b = 0; b < TH_LONGDIST_BANDS; b++)
    if (p->longdist_rate[b] > 0) return TRUE;
  return FALSE;
}

gboolean th_longdist_pair(const ThNetwork *net, const ThDemandParams *p, int i, int j) {
  if (!p->internal || !th_longdist_on(p) || !p->internal[i] == !p->internal[j]) return FALSE;
  return th_zone_distance_km(net, i, j) >= TH_LONGDIST_MIN_KM;
}

static int band_of(double km) {
  for (int b = 0; b < TH_LONGDIST_BANDS; b++)
    if (km >= edges_km[b] && km < edges_km[b + 1]) return b;
  return -1;
}

double th_demand_longdist_add(const ThNetwork *net, const ThClassTable *classes,
                              const ThDemandParams *p, const double *cost_min, double *matrix,
                              ThTrips *trips, int64_t *next_id) {
  if (!p->internal || !th_longdist_on(p)) return 0;
  const int nz = net->n_zones;
  const int car = th_class_table_lookup(classes, "car");
  const guint8 *cut = net->zone_cut_off;
  double expected = 0;
  g_autofree int *band = g_new(int, nz);
  for (int i = 0; i < nz; i++) {
    if (!p->internal[i] || (cut && cut[i]) || !(net->zone_population[i] > 0)) continue;
    /* the band of every external zone seen from i, and the bands' populations */
    double pop_b[TH_LONGDIST_BANDS] = {0};
    for (int j = 0; j < nz; j++) {
      band[j] = -1;
      if (p->internal[j] || (cut && cut[j]) || !isfinite(cost_min[(size_t)i * nz + j]) ||
          !isfinite(cost_min[(size_t)j * nz + i]))
        continue;
      double km = th_zone_distance_km(net, i, j);
      band[j] = isnan(km) ? -1 : band_of(km);
      if (band[j] >= 0) pop_b[band[j]] += net->zone_population[j];
    }
    for (int b = 0; b < TH_LONGDIST_BANDS; b++)
      pop_b[b] = fmax(pop_b[b], p->longdist_pop_m[b] * 1e6);
    double g = p->zone_growth ? p->zone_growth[i] : 1.0;
    for (int j = 0; j < nz; j++) {
      int b = band[j];
      if (b < 0 || !(p->longdist_rate[b] > 0) || !(pop_b[b] > 0)) continue;
      double x = p->longdist_rate[b] / 1000.0 * net->zone_population[i] * g *
                 net->zone_population[j] / pop_b[b];
      if (!(x > 0)) continue;
      expected += 2 * x;
      if (matrix) {
        matrix[(size_t)i * nz + j] += x;
        matrix[(size_t)j * nz + i] += x;
      }
      gsl_rng *r = th_demand_cell_rng(p->seed, i, j, 0x1D);
      int n = th_demand_round(r, x, p->sample);
      for (int v = 0; v < n; v++) {
        int32_t out = th_demand_draw_depart(r, out_profile),
                back = th_demand_draw_depart(r, back_profile);
        /* purpose "longdist": hospitals, study, business and family together
         * (sim/trips.h), so the appraisal can value them apart */
        th_trips_set_purpose(trips,
                             th_trips_add(trips, (*next_id)++, net, net->zone_node[i],
                                          net->zone_node[j], out, classes, car, 0, 0),
                             "longdist");
        th_trips_set_purpose(trips,
                             th_trips_add(trips, (*next_id)++, net, net->zone_node[j],
                                          net->zone_node[i], back, classes, car, 0, 0),
                             "longdist");
      }
      gsl_rng_free(r);
    }
  }
  return expected;
}

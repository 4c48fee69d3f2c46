/* demand-tourism.c: tourism as its own purpose (see demand-tourism.h). */
#include "sim/demand-tourism.h"
#include "sim/demand-internal.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

static const char *const day_names[TH_N_DAY_TYPES] = {"weekday", "weekend", "holiday"};
static const double day_factors[TH_N_DAY_TYPES] = {0.6, 1.8, 3.3};

const char *th_day_type_name(ThDayType d) { return d < TH_N_DAY_TYPES ? day_names[d] : "?"; }

int th_day_type_lookup(const char *name) {
  for (int d = 0; d < TH_N_DAY_TYPES; d++)
    if (name && !strcmp(name, day_names[d])) return d;
  return -1;
}

double th_day_type_factor(ThDayType d) { return d < TH_N_DAY_TYPES ? day_factors[d] : NAN; }

/* A departure second uniform in [FROM_H, TO_H) hours. */
static int32_t depart_in(gsl_rng *r, int from_h, int to_h) {
  return (int32_t)(from_h * 3600 + gsl_rng_uniform_int(r, (unsigned long)(to_h - from_h) * 3600));
}

double th_demand_tourism_add(const ThNetwork *net, const ThClassTable *classes,
                             const double *cost_min, const ThTourismParams *p, ThTrips *trips,
                             int64_t *next_id) {
  const int nz = net->n_zones;
  const int car = th_class_table_lookup(classes, "car");
  const double factor = th_day_type_factor(p->day);
  double expected = 0;
  g_autofree double *w = g_new(double, nz);
  for (int s = 0; s < nz; s++) {
    double annual = p->annual_visitors ? p->annual_visitors[s] : 0;
    if (!(annual > 0)) continue;
    double visitors = annual / 365.0 * factor, wsum = 0;
    for (int o = 0; o < nz; o++) {
      double c = cost_min[(size_t)o * nz + s];
      double g = p->zone_growth ? p->zone_growth[o] : 1.0;
      w[o] = o != s && isfinite(c) ? net->zone_population[o] * g * exp(-p->beta * c) : 0;
      wsum += w[o];
    }
    if (!(wsum > 0)) continue;
    for (int o = 0; o < nz; o++) {
      double x = visitors * w[o] / wsum;
      if (!(x > 0)) continue;
      expected += 2 * x;
      gsl_rng *r = th_demand_cell_rng(p->seed, s, o, 0x7A); /* (seed, site, origin) */
      int n = th_demand_round(r, x, p->sample);
      for (int v = 0; v < n; v++) {
        int32_t out = depart_in(r, 7, 11), back = depart_in(r, 14, 19);
        int a = th_trips_add(trips, (*next_id)++, net, net->zone_node[o], net->zone_node[s], out,
                             classes, car, 0, 0);
        int b = th_trips_add(trips, (*next_id)++, net, net->zone_node[s], net->zone_node[o], back,
                             classes, car, 0, 0);
        th_trips_set_purpose(trips, a, "tourism");
        th_trips_set_purpose(trips, b, "tourism");
      }
      gsl_rng_free(r);
    }
  }
  return expected;
}

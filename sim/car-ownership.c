/* car-ownership.c: which travellers have a car (see car-ownership.h). */
#include "sim/car-ownership.h"
#include "sim/choice.h"

guint8 *th_car_available_new(const ThTrips *t, const ThClassTable *classes,
                             const double *zone_share, const guint8 *internal, uint64_t seed,
                             double *share_out) {
  guint8 *has = g_new(guint8, t->n + 1);
  int64_t n_pass = 0, n_car = 0;
  for (int a = 0; a < t->n; a++) {
    has[a] = 1;
    if (classes->cls[t->cls[a]].kind != TH_CLASS_PASSENGER) continue;
    n_pass++;
    int o = t->origin_zone[a], d = t->destination_zone[a];
    int home = o >= 0 && (!internal || internal[o])   ? o
               : d >= 0 && (!internal || internal[d]) ? d
                                                      : o;
    if (home >= 0 && zone_share)
      has[a] = th_agent_uniform(seed, t->id[a], 0, TH_DRAW_CAR) < zone_share[home];
    n_car += has[a];
  }
  if (share_out) *share_out = n_pass ? (double)n_car / n_pass : 1.0;
  return has;
}

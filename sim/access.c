/* access.c: access and egress rules of transit journeys (see access.h). */
#include "sim/access.h"

#include <math.h>

const char *th_access_mode_name(ThAccessMode m) {
  static const char *names[] = {"none", "walk", "bike", "car"};
  return (unsigned)m < G_N_ELEMENTS(names) ? names[m] : "none";
}

void th_access_rules_init(ThAccessRules *r) {
  r->walk_max_km = TH_ACCESS_WALK_MAX_KM;
  r->bike_max_km = TH_ACCESS_BIKE_MAX_KM;
  r->car_max_km = TH_ACCESS_CAR_MAX_KM;
  r->walk_kmh = TH_ACCESS_WALK_KMH;
  r->bike_kmh = TH_ACCESS_BIKE_KMH;
  r->car_only_park_and_ride = TRUE;
}

void th_access_rules_set_speeds(ThAccessRules *r, double walk_kmh, double bike_kmh) {
  if (walk_kmh > 0) r->walk_kmh = walk_kmh;
  if (bike_kmh > 0) r->bike_kmh = bike_kmh;
}

gboolean th_access_park_and_ride(const ThHubs *h, int v) {
  const ThHub *hub = th_hubs_at(h, v);
  return hub && hub->park_and_ride;
}

ThAccessMode th_access_leg(const ThAccessRules *r, double km, double car_s, gboolean park_ride,
                           int *duration_s) {
  ThAccessMode best = TH_ACCESS_NONE;
  double best_s = INFINITY;
  if (isfinite(km) && km >= 0 && isfinite(car_s)) { /* no road path: no leg at all */
    /* 1e-9: a stop at the zone's own node (0 km) is a walk of 0 s */
    if (km <= r->walk_max_km + 1e-9 && r->walk_kmh > 0) {
      best = TH_ACCESS_WALK;
      best_s = km / r->walk_kmh * 3600.0;
    }
    /* beyond walking distance: the faster of bike and car */
    if (best == TH_ACCESS_NONE && km <= r->bike_max_km + 1e-9 && r->bike_kmh > 0) {
      best = TH_ACCESS_BIKE;
      best_s = km / r->bike_kmh * 3600.0;
    }
    if (best != TH_ACCESS_WALK && km <= r->car_max_km + 1e-9 && car_s < best_s &&
        (park_ride || !r->car_only_park_and_ride)) {
      best = TH_ACCESS_CAR;
      best_s = car_s;
    }
  }
  *duration_s = best == TH_ACCESS_NONE ? -1 : (int)lround(best_s);
  return best;
}

gboolean th_access_car_dominates(ThAccessMode access, double access_km, ThAccessMode egress,
                                 double egress_km, double longest_ride_km) {
  return (access == TH_ACCESS_CAR && access_km > longest_ride_km) ||
         (egress == TH_ACCESS_CAR && egress_km > longest_ride_km);
}

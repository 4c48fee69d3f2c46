/* airports-write.h: airports.csv of `taihang compare --airports LIST`:
 *
 *   scenario,zone,zone_name,airport,airport_name,base_min,scenario_min,delta_min
 *
 * one row per scenario, zone and airport node: the door-to-door time of
 * sim/airport-access.h (morning peak), base against scenario, minutes with
 * two decimals (empty where the airport cannot be reached). Written
 * atomically. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* NET gives the zones and the airports' ids and names (AIRPORTS: node
 * indices of NET, N_AIRPORTS). BASE and MINS[k] (k < N, scenario KEYS[k]) are
 * n_zones x N_AIRPORTS tables of th_airport_access_new. */
gboolean th_compare_write_airports(const char *path, const ThNetwork *net, const int *airports,
                                   int n_airports, const double *base, const char *const *keys,
                                   const double *const *mins, int n, GError **error);

G_END_DECLS

/* airport-access.h: door-to-door time from every zone to a few chosen nodes
 * (the airports that matter to a study area), on one run's times.
 *
 * Rule (README, "Door-to-door time to the airports"): for zone z and airport
 * node a,
 *     time(z, a) = min over zones c of  best(z, c) + road(c, a),
 * with best(z, z) = 0. best is the door-to-door best-mode time of
 * sim/mode-skim.h (road, or journeys on any passenger lines with road access
 * and egress, waits included; minutes); road(c, a) is the time-shortest road
 * path from zone c's node to the airport node on LINK_TIME_S (seconds per
 * link; NULL, NaN or <= 0 entries: the free-flow time). c = z is driving all
 * the way; any other c is "take the best mode to the city, then the road to
 * the airport" (a taxi or an airport bus on the road, no rail link to the
 * terminal). NAN where no zone reaches the airport. */
#pragma once
#include "network/network.h"
#include "sim/mode-skim.h"

G_BEGIN_DECLS

/* Minutes, n_zones x N_AIRPORTS (row z, column k) for the node indices
 * AIRPORTS of NET; SKIM must be on NET's zones. One road Dijkstra per zone:
 * O(zones x (links log nodes) + zones^2 x airports). Deterministic. */
double *th_airport_access_new(const ThNetwork *net, const ThModeSkim *skim,
                              const double *link_time_s, const int *airports, int n_airports);

G_END_DECLS

/* demand-longdist.h: long-distance trips between the study area and the
 * cities beyond it, by distance band (README, "Long-distance demand").
 *
 * Why. The gravity of sim/demand.h spreads each zone's trip ends by
 * generalized road cost with a deterrence fitted to daily county travel:
 * at 2 to 4 hours it gives almost nothing (阳城 <-> 太原: no trip), while
 * people do go to the provincial capital and to 郑州 for hospitals,
 * universities, government and family. Inter-city travel is instead
 * counted as a rate per resident by distance (Chinese intercity statistics
 * count trips per resident and day by distance class).
 *
 * Rule. Bands b of great-circle distance between zone centroids:
 * [50, 150), [150, 300), [300, 600) km. A resident of a study-area zone i
 * makes rate_b / 1000 one-way trips a day to band b (longdist_rate, trips
 * per 1,000 residents per day); they go to the external zones j of the band
 * in proportion to their population (gravity within the band):
 *     T_ij = rate_b / 1000 x pop_i x growth_i x pop_j / P_b(i),
 *     P_b(i) = max(longdist_pop_m_b x 1e6, sum of pop_j over the band's
 *              external zones reachable from i),
 * so that a band whose real population the network holds only in part
 * (阳城: 太原 is the only zone at 150-300 km, but 石家庄, 安阳, 开封, 许昌 ...
 * are as far) sends the network's zones only their share; the rest of the
 * band's trips leave the model. Every trip out has its return: T_ji = T_ij
 * (the day is symmetric). Zones without coordinates, unreachable pairs and
 * cut-off zones get none; trips beyond 600 km are not modelled.
 * The gravity then leaves out every study-area <-> external pair at least
 * 50 km apart (TH_LONGDIST_MIN_KM), so those trips are counted once.
 *
 * Draws. Each pair's expected trips x sample become an integer (floor + a
 * Bernoulli draw of the fraction) from a GSL stream seeded by (seed, i, j);
 * each counted traveller gives the trip out (departure from the out profile,
 * 06-12 h) and the trip back (13-21 h), so a pair never depends on another.
 * Trips are of class "car" and purpose "longdist" (sim/trips.h: their
 * purposes, hospitals, study, business, family, are not told apart); mode
 * choice decides. O(zones^2 + trips). */
#pragma once
#include "sim/demand.h"

G_BEGIN_DECLS

#define TH_LONGDIST_MIN_KM 50.0

/* Lower edge of band B (0..TH_LONGDIST_BANDS; B = TH_LONGDIST_BANDS: the
 * upper edge of the last band), km. */
double th_longdist_edge_km(int b);

/* Great-circle distance between the centroids of zones A and B, km (NAN
 * when one has no coordinates). O(1). */
double th_zone_distance_km(const ThNetwork *net, int a, int b);

/* TRUE when P asks for long-distance trips (a longdist_rate > 0). */
gboolean th_longdist_on(const ThDemandParams *p);

/* TRUE when the gravity leaves the pair (I, J) to the long-distance model:
 * it is on, one zone is in the study area and the other not, and they are
 * at least TH_LONGDIST_MIN_KM apart. */
gboolean th_longdist_pair(const ThNetwork *net, const ThDemandParams *p, int i, int j);

/* Appends the long-distance trips of P (ids from *NEXT_ID on; the next free
 * id is returned through it) on NET's zones, COST_MIN (n_zones^2
 * generalized minutes, INFINITY: no path) telling which pairs are
 * reachable. If MATRIX is non-NULL (n_zones^2) the expected trips are added
 * to it. Returns the expected trips a day, both directions, before
 * sampling. */
double th_demand_longdist_add(const ThNetwork *net, const ThClassTable *classes,
                              const ThDemandParams *p, const double *cost_min, double *matrix,
                              ThTrips *trips, int64_t *next_id);

G_END_DECLS

/* demand-tourism.h: tourism as its own passenger purpose (README, "Tourism
 * demand"), added to the synthetic demand of sim/demand.h.
 *
 * Rule. Site s (a zone) receives, on a day of type DAY,
 *     V_s = annual_visitors_s / 365 x day_factor(DAY) visitors,
 * day_factor: weekday 0.6, weekend 1.8, holiday 3.3 (README: the holiday
 * factor from 皇城相府's Spring Festival figures, M; the others E, chosen so
 * that 5 weekdays + 2 weekend days average about 1). Visitors come from every
 * other zone o with population in proportion to
 *     pop_o x growth_o x exp(-beta x c_os),
 * c the generalized road cost in minutes that the other purposes use
 * (ThDemandStats.cost_min). Each visitor makes the day return: o -> s leaving
 * in 07:00-11:00 and s -> o leaving in 14:00-19:00 (uniform over the hours).
 * The expected visitors of each (site, origin) cell x sample become an
 * integer (floor + a Bernoulli draw of the fraction) from a GSL stream seeded
 * by (seed, site, origin), so a cell never depends on another; both legs of a
 * visitor are drawn together. Trips are of class "car" (mode choice decides). */
#pragma once
#include "network/network.h"
#include "sim/classes.h"
#include "sim/trips.h"

G_BEGIN_DECLS

typedef enum { TH_DAY_WEEKDAY = 0, TH_DAY_WEEKEND, TH_DAY_HOLIDAY, TH_N_DAY_TYPES } ThDayType;
/* "weekday", "weekend", "holiday". */
const char *th_day_type_name(ThDayType d);
/* The day type named NAME, or -1. */
int th_day_type_lookup(const char *name);
/* Visitors on a day of type D per average day of the year (see above). */
double th_day_type_factor(ThDayType d);

typedef struct {
  uint64_t seed;
  double sample;                 /* 0 < sample <= 1, as the rest of the demand */
  ThDayType day;
  double beta;                   /* per generalized minute, >= 0 */
  const double *annual_visitors; /* n_zones: visitors a year at each zone (0: not a site) */
  const double *zone_growth;     /* n_zones or NULL: demand factor of the origins */
} ThTourismParams;

/* Appends the tourism trips of P to TRIPS (ids from NEXT_ID on; the next free
 * id is returned through NEXT_ID) on NET's zones with COST_MIN (n_zones x
 * n_zones generalized minutes; INFINITY: no path). Returns the expected
 * tourism trips a day before sampling (two per visitor). O(sites x zones +
 * trips). */
double th_demand_tourism_add(const ThNetwork *net, const ThClassTable *classes,
                             const double *cost_min, const ThTourismParams *p, ThTrips *trips,
                             int64_t *next_id);

G_END_DECLS

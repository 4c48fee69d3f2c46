/* mode-skim.h: door-to-door travel-time tables between zones per passenger
 * mode, on the times a run produced: what `compare` reports.
 *
 *  - road: the time-shortest road path on the given link times (e.g. the
 *    experienced times of the morning peak), minutes;
 *  - bus, rail, hsr, intercity: journeys that ride only lines of that mode
 *    (any number of transfers between them), found by the connection scan of
 *    sim/transit.h, with access from the origin to the boarding stop and
 *    egress from the last stop by walk, bike or car under the access rules
 *    of sim/access.h (distance caps per mode, car legs only at park-and-ride
 *    stops, and a journey whose car leg is longer than its longest ride is
 *    searched again without car legs: its main mode would be the car), the
 *    same rules as the simulation's; the time is arrival minus departure from the origin,
 *    averaged over departures every step_s in [depart_from_s, depart_to_s),
 *    so waiting for the next train counts as planners expect;
 *  - best: the least of road and of journeys on any passenger lines
 *    (mixing modes), per pair.
 * NAN marks a pair a mode cannot serve. Deterministic; origins are
 * independent.
 *
 * Besides the time, each served pair carries (same layout, NAN where the
 * time is NAN):
 *  - distance_km: road: length of the time-shortest path; transit: the
 *    kilometres ridden on the lines (access and egress roads not counted);
 *  - cost, yuan: road: tolls + TH_SKIM_DEFAULT_COST_PER_KM per km of that
 *    path (a car); transit: the fares of the lines ridden;
 *  - wait_min: transit: waiting at stops before each boarding (the wait for
 *    the first run included); road: 0;
 *  - transfers: transit: boardings - 1; road: 0.
 * Transit quantities are means over the served departures of the window
 * (like the time). "best" carries the time only (its other arrays NAN). */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"
#include "sim/access.h"
#include "sim/results.h"

G_BEGIN_DECLS

typedef enum {
  TH_SKIM_ROAD = 0, TH_SKIM_BUS, TH_SKIM_RAIL, TH_SKIM_HSR, TH_SKIM_INTERCITY, TH_SKIM_BEST,
  TH_SKIM_N_MODES
} ThSkimMode;
/* "road", "bus", "rail", "hsr", "intercity", "best". */
const char *th_skim_mode_name(ThSkimMode m);

typedef struct {
  int depart_from_s, depart_to_s, step_s; /* default 07:00, 09:00, 1200 s */
  const ThAccessRules *access;            /* access and egress rules (borrowed); NULL: defaults */
  /* TRUE (default): a transit mode serves a pair only if every departure of
   * the window finds a journey the same day (what compare reports). FALSE:
   * departures without a journey are left out of the means, and the pair is
   * unserved only when no departure of the window finds one (the complete
   * skims of a results folder, output/period-skims.h). */
  gboolean every_departure;
} ThModeSkimParams;
void th_mode_skim_params_init(ThModeSkimParams *p);

typedef struct {
  int n_zones;
  double *time_min;  /* TH_SKIM_N_MODES x n_zones x n_zones; NAN: not served */
  double *distance_km, *cost, *wait_min, *transfers; /* same layout, see above */
} ThModeSkim;

static inline double th_mode_skim_at(const ThModeSkim *s, ThSkimMode m, int o, int d) {
  return s->time_min[((size_t)m * s->n_zones + o) * s->n_zones + d];
}

/* Skims NET with SERVICES and HUBS (either may be NULL: road only), road
 * link times LINK_TIME_S (n_links seconds; NULL: free-flow). Cost: one
 * Dijkstra per zone and per stop, plus zones^2 x departures x (modes + 1)
 * connection scans, each O(connections). */
ThModeSkim *th_mode_skim_new(const ThNetwork *net, const ThServices *services, const ThHubs *hubs,
                             const double *link_time_s, const ThModeSkimParams *p);
void th_mode_skim_free(ThModeSkim *s);

/* Vehicle-weighted mean experienced time of each link, seconds, over the
 * vehicles of R that entered it in [FROM_S, TO_S) (link_flows_bins), or over
 * the whole day when FROM_S <= 0 and TO_S >= 86400 (link_flows); NAN where
 * none did (th_mode_skim_new then uses the free-flow time). N_LINKS long,
 * g_free. O(rows of R). */
double *th_mode_skim_link_times(const ThRunResults *r, int n_links, int32_t from_s,
                                int32_t to_s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThModeSkim, th_mode_skim_free)

G_END_DECLS

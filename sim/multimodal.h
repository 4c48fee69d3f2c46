/* multimodal.h: a day with cars, trucks, trains, buses and hubs, iterated
 * with mode choice around the road engine (sim/simulate.h).
 *
 * Each outer iteration:
 *  1. plan: every traveller compares the best path of each available mode on
 *     the current road times (car: time-shortest road path; each transit mode:
 *     earliest-arrival journey over its runs by connection scan, with access
 *     and egress by walk, bike or car under the rules of sim/access.h: caps
 *     per access mode, car legs only at park-and-ride stops, no journey whose
 *     car leg is longer than its longest ride) by generalized cost and draws
 *     a mode from the logit
 *     (choice.h); a shipment takes the cheaper of truck only and its best
 *     truck-hub-train-hub-truck chain (freight.h). Choice is revisited each
 *     iteration by a share 1/k of agents (MSA), drawn from their own streams,
 *     and by every passenger whom full runs left behind or stranded in the
 *     previous iteration (so that the capacity feedback of step 4 reaches
 *     the travellers it concerns instead of 1/k of them).
 *     Heavy-truck bans (truck-ban.h, ThSimParams.truck_ban) shape the
 *     shipments' truck paths in the plan and the route search of step 2.
 *  2. road: th_simulate() runs the road trips, the car access legs of
 *     transit travellers (origin to boarding station; walkers and cyclists
 *     reach it after their computed time, off the road) and the truck legs of
 *     shipments to their first hub, through congested queues to its own
 *     route equilibrium; bus runs occupy the road as 2.5 car-unit vehicles.
 *  3. transit: the travellers and shipments enter their first stop when their
 *     road leg arrived, then wait, board up to capacity, ride, transfer and
 *     are handled at hubs in the run simulation (transit.h); egress legs take
 *     the road time of the last iteration.
 *  4. the experienced road times (mean per link over the day), hub queues
 *     and the waits lost to full runs feed the next iteration's plans:
 *     capacity feedback: a passenger left behind waits for the next run with
 *     room (transit.h); the wait it lost, or TH_STRANDED_WAIT_S when no run
 *     with room was left that day, is charged to the (line, stop, hour) of
 *     its first boarding, averaged over iterations (MSA) and added to the
 *     waiting time of every journey that boards there in the next plans
 *     (weighted by wait_weight, like any wait); a shipment's lost wait is
 *     added to the expected queue of the hub where it boards. Below the seats'
 *     hard limit, in-vehicle crowding (choice.h, th_crowding_multiplier,
 *     Wardman and Whelan 2011) adds riding time by each run's load factor
 *     leaving each stop, averaged over the iterations (MSA) for choice, and
 *     as it was for the experienced gen_cost; [choice] crowding weighs it.
 * Walk and e-bike (README, "Walk, e-bike and car ownership"): for a
 * passenger whose road path (time-shortest on the current road times) is at
 * most walk_max_km (ebike_max_km) long, walking (riding an e-bike or
 * motorcycle) is one more alternative of the logit, with
 *     in-vehicle time = path km / walk_kmh (ebike_kmh), no money,
 * and the constant asc.CLASS.walk (asc.CLASS.ebike) of [choice]; no vehicle
 * enters the road engine, the trip arrives after that time. A max of 0
 * (the default) leaves the mode out. Speeds 4.5 and 15 km/h (README).
 * Car ownership (sim/car-ownership.h): a traveller whose car_available entry
 * is 0 has no car alternative, unless no other mode can make the trip
 * (no stop within the walk or bike access distance, too far to walk or
 * ride): then a household member or a taxi drives, and the trip is a road
 * trip at the car's cost (a lift), never unserved for want of a car.
 * The relative gap of an iteration (convergence.csv) is the road
 * equilibrium's gap plus the share of trips stuck, unserved or left behind at
 * least once, so a day that does not serve its travellers never looks
 * converged; convergence.csv also counts left_behind.
 * The results are those of the last iteration: per trip the mode, times,
 * wait, transfers and generalized cost (for freight, for the whole shipment),
 * link flows per class and mode (passengers and tonnes on rail and bus
 * links), and per run and hub statistics. */
#pragma once
#include "network/hubs.h"
#include "network/services.h"
#include "sim/choice.h"
#include "sim/freight.h"
#include "sim/results.h"
#include "sim/simulate.h"
#include "sim/transit.h"

G_BEGIN_DECLS

/* The cost of being stranded (no run with room left that day): 3 hours of
 * waiting, about the wait for the next day's first run in the morning
 * peak; with the default wait weight 2 and 30 yuan/h that is 180 yuan (E). */
#define TH_STRANDED_WAIT_S 10800

typedef struct {
  const ThServices *services; /* may be NULL (no scheduled lines) */
  const ThHubs *hubs;         /* may be NULL */
  const ThChoiceParams *choice; /* NULL: defaults */
  int choice_iterations;      /* outer iterations (>= 1), default 3 */
  const ThFreightLevers *freight_levers; /* per class of the class table, or NULL (none) */
  const guint8 *internal;     /* n_zones study-area flags ([demand] internal_zones): each trip's
                               * market for the choice constants per market (choice.h); NULL:
                               * every zone inside (every trip internal) */
  double walk_kmh, walk_max_km;   /* walking speed and longest walk (km; 0: no walk mode) */
  double ebike_kmh, ebike_max_km; /* e-bike / motorcycle, likewise (0: no e-bike mode) */
  const guint8 *car_available;    /* per trip: 0 = no car to drive (car-ownership.h); NULL: all */
} ThMultimodalParams;

/* Defaults of the [sim] table rows of ThMultimodalParams (sim/params.c):
 * 3 choice iterations, walk 4.5 km/h and e-bike 15 km/h but both off. */
void th_multimodal_params_init(ThMultimodalParams *p);

typedef struct {
  ThRunResults *run;          /* per trip, link flows, convergence (one row per outer iteration) */
  int n_runs;
  ThTransitRunLoad *runs;          /* per services run */
  int n_line_stops;
  ThTransitStopLoad *stops;   /* per line and stop: line 0's stops in order, then line 1's, ... */
  int n_hubs;
  ThHubResult *hubs;          /* per hub */
  int64_t riders;             /* travellers and shipments that used a scheduled run */
  double mode_share[TH_N_MODES]; /* share of trips per mode bit position (last iteration) */
} ThMultimodalResults;

void th_multimodal_results_free(ThMultimodalResults *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThMultimodalResults, th_multimodal_results_free)

/* Runs TRIPS on NET with the services and hubs of MP. Trips with a mode
 * keep it (unserved if it cannot take them); others choose. Returns NULL
 * with TH_ERROR_INVALID for bad parameters, TH_ERROR_FAILED if conservation
 * fails (a bug). Cost per outer iteration: one road simulation, one
 * shortest-path search per distinct origin and per stop, one connection scan
 * per traveller and transit mode, two searches per shipment. */
ThMultimodalResults *th_simulate_multimodal(const ThNetwork *net, const ThTrips *trips,
                                            const ThClassTable *classes, const ThSimParams *p,
                                            const ThMultimodalParams *mp, GError **error);

G_END_DECLS

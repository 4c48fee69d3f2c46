/* results.h: what a run produced, as plain data (no files; output/ writes them).
 *
 * Per trip (same order as the ThTrips the run was given), per link and class,
 * per link, class and time bin, per iteration, and optionally the event log.
 * Multimodal fields (wait, transfers) are NULL for road-only runs. */
#pragma once
#include "network/network.h"
#include "sim/classes.h"
#include "sim/trips.h"

#include <stdint.h>

G_BEGIN_DECLS

/* The engine's congestion rules (sim/engine.h) and how travellers replan
 * (ThReplanning, sim/simulate.h): the settings of ThSimParams that a
 * results folder records in run.ini's [sim], from their rows of the
 * parameter table (th_sim_param_is_rule, sim/params.h). All off (FALSE, 0,
 * FALSE, TH_REPLAN_MSA) is the model before them. */
typedef struct {
  gboolean inflow_capacity;
  double backward_wave_kmh; /* 0: freed space free at once */
  gboolean departure_queue;
  int replanning;           /* ThReplanning */
} ThSimRules;

typedef enum {
  TH_TRIP_ARRIVED = 0, /* reached its destination */
  TH_TRIP_STUCK,       /* was moved on after being held stuck_time_s (arrived or not) */
  TH_TRIP_UNSERVED,    /* no path (or no mode) from origin to destination */
  TH_TRIP_EN_ROUTE,    /* still travelling when the horizon ended */
} ThTripStatus;
/* "arrived", "stuck", "unserved", "en_route". */
const char *th_trip_status_name(ThTripStatus s);

/* One row of convergence.csv. */
typedef struct {
  int iteration;             /* 1, 2, ... (one simulated day each) */
  double relative_gap;       /* sum(experienced - best response) / sum(experienced), on binned times */
  double switched_share;     /* share of routed travellers who switched after this day */
  double mean_travel_time_s; /* over arrived trips */
  int64_t arrived, stuck, unserved, en_route;
  int64_t left_behind;       /* travellers and shipments left behind by a full run at least once */
} ThIterStats;

/* One row of link_flows.csv: daily totals of one (link, class, mode). */
typedef struct {
  int link;
  int cls;
  uint32_t mode;             /* TH_MODE_* bit */
  double vehicles, pcu, passengers, tonnes;
  double mean_travel_time_s; /* over the traversals */
} ThLinkFlow;

/* One row of link_flows_bins.csv: vehicles that entered LINK in the bin. */
typedef struct {
  int link;
  int cls;
  int32_t bin_start_s;
  double vehicles;
  double mean_travel_time_s;
} ThLinkFlowBin;

/* One row of the event log. */
typedef struct {
  int32_t time;
  uint32_t kind;  /* ThLogKind (sim/engine.h) */
  int trip;       /* trip index */
  int link;       /* link index or -1 */
} ThResultEvent;

typedef struct {
  /* the run */
  uint64_t seed;
  int iterations;        /* days simulated */
  double relative_gap;   /* of the last day */
  double sample_factor;
  int32_t horizon_s, bin_s;
  /* per trip (n_trips = trips->n) */
  int n_trips;
  uint8_t *status;       /* ThTripStatus */
  uint32_t *mode;        /* mode used (TH_MODE_* bit) */
  int32_t *depart_s;     /* actual departure */
  int32_t *arrive_s;     /* -1 when not arrived */
  double *distance_m;    /* length of the route driven (planned route for unfinished trips) */
  double *money;         /* yuan: vehicle-km cost + tolls (+ fares and handling with multimodal) */
  double *gen_cost;      /* generalized cost: money + time x value of time */
  double *wait_s;        /* NULL unless multimodal */
  int *transfers;        /* NULL unless multimodal */
  int32_t *depart_delay_s; /* wait in the departure queue, s (-1: never entered); NULL unless departure queues are on */
  double *shared_truck_km; /* km of distance_m that a part load rides on a consolidated full truck
                            * (sim/freight.h cons_*), its share of which is tonnes / tonnes_per_vehicle;
                            * 0 otherwise; NULL unless multimodal */
  /* the engine's congestion rules and replanning method of the run,
   * recorded in run.ini's [sim] section; has_sim_rules FALSE for results
   * that did not come from the engine */
  gboolean has_sim_rules;
  ThSimRules sim_rules;
  /* tables */
  GArray *link_flows;    /* ThLinkFlow, by link then class */
  GArray *link_bins;     /* ThLinkFlowBin, by link, class, bin */
  GArray *convergence;   /* ThIterStats */
  GArray *events;        /* ThResultEvent, or NULL when not recorded */
  /* counters of the last day */
  int64_t arrived, stuck, unserved, en_route;
  uint64_t traversals, events_run, stuck_moves;
  /* wall-clock seconds over all days (for benchmarks and the terminal only:
   * never written to result files, which must not depend on the machine) */
  double wall_engine_s, wall_route_s;
  double cpu_engine_s;       /* CPU seconds inside th_engine_run */
  double cpu_route_s;        /* CPU seconds of route search, all threads */
  uint64_t total_traversals; /* over all days */
} ThRunResults;

ThRunResults *th_run_results_new(int n_trips);
void th_run_results_free(ThRunResults *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThRunResults, th_run_results_free)

/* Period of a departure time for od_times.csv: "night" 00-07, "am" 07-09,
 * "ip" 09-17, "pm" 17-19, "eve" 19-24 (times after 24:00 wrap). */
const char *th_period_name(int32_t t);

/* One row of od_times.csv (experienced travel times of arrived trips). */
typedef struct {
  int64_t origin, destination; /* zone ids (node ids for trips between plain nodes) */
  int cls;
  uint32_t mode;
  const char *period;          /* static string: a th_period_name or "day" */
  int64_t trips;
  double time_min, distance_km, cost; /* means per trip; cost = money, yuan */
} ThOdRow;

/* The travel-time table: arrived trips grouped by (origin, destination,
 * class, mode, period), each group also as period "day". Sorted by origin,
 * destination, class, mode, then period in the order night, am, ip, pm, eve,
 * day. O(n log n). */
GArray *th_run_results_od_times(const ThRunResults *r, const ThTrips *trips, const ThNetwork *net);

G_END_DECLS

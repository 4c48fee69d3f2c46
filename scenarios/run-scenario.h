/* run-scenario.h: one scenario end to end: resolve, build the world,
 * synthesize (or read) the demand, simulate to equilibrium, write the
 * results folder. Used by `taihang run SCENARIO.ini` and by compare. */
#pragma once
#include "scenarios/scenario-world.h"
#include "sim/results.h"
#include "sim/trips.h"

G_BEGIN_DECLS

typedef struct {
  const char *trips_path; /* NULL: the scenario's synthetic demand */
  gboolean quiet;         /* no progress line */
  gboolean events;        /* record the event log */
  int threads;            /* > 0: overrides [sim] threads */
  const char *warm_start; /* link times for day 1 (sim/warm-start.h), or NULL: [sim] warm_start */
  /* Fixed demand (compare): when set, the synthetic demand is drawn on this
   * network (the base's) with SC's [demand] parameters, then placed on SC's
   * network zone by zone (the zones must be the same, in the same order).
   * NULL: on SC's own network (induced demand). Ignored with trips_path. */
  const ThNetwork *demand_net;
} ThScenarioRunOptions;

/* What one scenario run produced. */
typedef struct {
  ThScenarioWorld *world;
  ThTrips *trips;
  ThSimParams params;
  ThRunResults *run;      /* per trip, link flows, convergence (owned by multimodal if set) */
  gpointer multimodal;    /* ThMultimodalResults * when the run was multimodal, else NULL */
  double *warm_start;     /* day 1's link times (params.warm_start_time_s), or NULL */
  ThTruckBan *truck_ban;  /* [freight] truck_ban_* (params.truck_ban), or NULL */
} ThScenarioResult;

void th_scenario_result_free(ThScenarioResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThScenarioResult, th_scenario_result_free)

/* Runs SC. Errors: those of th_scenario_world_new, the demand, the trips
 * reader and th_simulate (every one mapped to the scenario's files). Cost:
 * that of the simulation. Thread-safe for different scenarios. */
ThScenarioResult *th_scenario_run(const ThScenario *sc, const ThScenarioRunOptions *o,
                                  GError **error);

/* Writes the results folder DIR of a run of SC: run.ini, the result tables
 * indicators.csv (compare's summary.csv row for this run, which sweeps
 * consolidate) and network/ (the resolved network folder: node, link,
 * services, hubs, classes), so that maps and exports need nothing else. */
gboolean th_scenario_result_write(const ThScenario *sc, const ThScenarioResult *r, const char *dir,
                                  gboolean events, GError **error);

/* `taihang run SCENARIO.ini --out DIR [...]`: ARGV as given to th_cmd_run. */
int th_cmd_run_scenario(int argc, char **argv);
/* TRUE if the first non-option argument of ARGV names a scenario file (.ini). */
gboolean th_run_args_name_scenario(int argc, char **argv);

G_END_DECLS

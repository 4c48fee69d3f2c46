/* scenario-world.h: a resolved scenario made concrete: the network, its
 * timetable and hubs, the class table and the simulation parameters, all
 * loaded through the normal readers (so a scenario is validated exactly as
 * `taihang check` validates a network folder), with every message pointing
 * at the file and line where the planner wrote the value. */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"
#include "scenarios/scenario.h"
#include "sim/classes.h"
#include "sim/simulate.h"

G_BEGIN_DECLS

typedef struct {
  ThNetwork *net;
  ThServices *services; /* empty timetable when the scenario has no services.csv */
  ThHubs *hubs;         /* no hubs when there is no hubs.csv */
  ThClassTable *classes;
  int n_services_rows, n_hubs_rows; /* rows of the resolved tables (0: none) */
} ThScenarioWorld;

/* Builds the world of SC. Reports every problem of the network, services,
 * hubs and classes files ("FILE:LINE: ...", one per line; TH_ERROR_INVALID
 * or TH_ERROR_PARSE). O(size of the network + path searches of services). */
ThScenarioWorld *th_scenario_world_new(const ThScenario *sc, GError **error);
void th_scenario_world_free(ThScenarioWorld *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThScenarioWorld, th_scenario_world_free)

/* Fills P from [sim] of SC over th_sim_params_init's defaults: the rows of
 * th_param_table (sim/params.h) that fill ThSimParams. Bad values:
 * TH_ERROR_PARSE / TH_ERROR_INVALID naming the key. */
gboolean th_scenario_sim_params(const ThScenario *sc, ThSimParams *p, GError **error);

/* Checks the whole resolved scenario (world, parameters, zones named in
 * [demand]); prints nothing. Every problem, one per line, in ERROR. */
gboolean th_scenario_check(const ThScenario *sc, GError **error);

G_END_DECLS

/* scenario-world.c: a resolved scenario loaded through the normal readers
 * (see scenario-world.h). */
#include "scenarios/scenario-world.h"
#include "network/csv.h"
#include "network/stale.h"
#include "network/th-error.h"
#include "scenarios/scenario-demand.h"
#include "scenarios/scenario-freight.h"
#include "scenarios/scenario-gtfs.h"
#include "scenarios/scenario-params.h"

#include <math.h>
#include <string.h>

void th_scenario_world_free(ThScenarioWorld *w) {
  if (!w) return;
  th_network_free(w->net);
  th_services_free(w->services);
  th_hubs_free(w->hubs);
  th_class_table_free(w->classes);
  g_free(w);
}

/* Re-raises E with its FILE:LINE places mapped back to the scenario's files. */
static void mapped(const ThScenario *sc, const char *tmp, GError *e, GPtrArray *problems) {
  g_autofree char *msg = th_scenario_map_message(sc, tmp, e->message);
  g_ptr_array_add(problems, g_steal_pointer(&msg));
  g_error_free(e);
}

ThScenarioWorld *th_scenario_world_new(const ThScenario *sc, GError **error) {
  g_autofree char *tmp = NULL;
  g_autoptr(ThScenarioWorld) w = g_new0(ThScenarioWorld, 1);
  w->net = th_scenario_network(sc, &tmp, error);
  if (!w->net) return NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  if (sc->tables[TH_TABLE_SERVICES]) {
    g_autofree char *p = g_build_filename(tmp, "services.csv", NULL);
    w->services = th_services_read(p, w->net, &e);
    if (!w->services) mapped(sc, tmp, e, problems);
    w->n_services_rows = (int)sc->tables[TH_TABLE_SERVICES]->rows->len;
    e = NULL;
  }
  if (!w->services && !sc->tables[TH_TABLE_SERVICES] && th_scenario_has_gtfs(sc)) {
    g_autofree char *p = g_build_filename(tmp, "services.csv", NULL); /* [transit] gtfs */
    w->services = th_services_read(p, w->net, &e);
    if (!w->services) mapped(sc, tmp, e, problems);
    e = NULL;
  }
  if (!w->services) w->services = th_services_new();
  if (sc->tables[TH_TABLE_HUBS]) {
    g_autofree char *p = g_build_filename(tmp, "hubs.csv", NULL);
    w->hubs = th_hubs_read(p, w->net, &e);
    if (!w->hubs) mapped(sc, tmp, e, problems);
    w->n_hubs_rows = (int)sc->tables[TH_TABLE_HUBS]->rows->len;
    e = NULL;
  }
  if (!w->hubs && !sc->tables[TH_TABLE_HUBS] && th_scenario_has_gtfs(sc)) {
    g_autofree char *p = g_build_filename(tmp, "hubs.csv", NULL); /* [transit] gtfs */
    w->hubs = th_hubs_read(p, w->net, &e);
    if (!w->hubs) mapped(sc, tmp, e, problems);
    e = NULL;
  }
  if (!w->hubs) w->hubs = th_hubs_new(w->net->n_nodes);
  w->classes = th_class_table_new();
  if (sc->tables[TH_TABLE_CLASSES]) {
    g_autofree char *p = g_build_filename(tmp, "classes.csv", NULL);
    if (!th_class_table_load(w->classes, p, &e)) mapped(sc, tmp, e, problems);
    e = NULL;
  }
  th_rmtree(tmp);
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return NULL;
  }
  return g_steal_pointer(&w);
}

gboolean th_scenario_sim_params(const ThScenario *sc, ThSimParams *p, GError **error) {
  /* every [sim] row of sim/params.h that fills ThSimParams */
  if (!th_scenario_params_apply(sc, "sim", TH_PARAM_IN_SIM, p, error)) return FALSE;
  GError *ce = NULL;
  if (!th_sim_params_check(p, &ce)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: [sim]: %s", sc->path, ce->message);
    g_error_free(ce);
    return FALSE;
  }
  return TRUE;
}

gboolean th_scenario_check(const ThScenario *sc, GError **error) {
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, &e);
  if (!w) {
    g_ptr_array_add(problems, g_strdup(e->message));
    g_error_free(e);
    e = NULL;
  }
  ThSimParams p;
  th_sim_params_init(&p);
  if (!th_scenario_sim_params(sc, &p, &e)) {
    g_ptr_array_add(problems, g_strdup(e->message));
    g_error_free(e);
    e = NULL;
  }
  /* [demand]: zones named in growth keys and weight lists, and every value
   * the synthesis checks (a demand is drawn and dropped: a fraction of a
   * second for a county) */
  if (w) {
    ThTrips *t = th_scenario_demand(sc, w->net, w->classes, NULL, &e);
    if (!t) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_clear_error(&e);
    }
    th_trips_free(t);
    /* [freight] truck bans: ids of links, nodes, zones and classes */
    ThTruckBan *b = th_scenario_truck_ban(sc, w->net, w->classes, &e);
    if (e) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_clear_error(&e);
    }
    th_truck_ban_free(b);
  }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return FALSE;
  }
  return TRUE;
}

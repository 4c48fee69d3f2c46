/* scenario-world.c: a resolved scenario loaded through the normal readers
 * (see scenario-world.h). */
#include "scenarios/scenario-world.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "scenarios/scenario-demand.h"
#include "scenarios/scenario-gtfs.h"

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
  th_scenario_rmtree(tmp);
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return NULL;
  }
  return g_steal_pointer(&w);
}

gboolean th_scenario_sim_params(const ThScenario *sc, ThSimParams *p, GError **error) {
  double v;
  GError *e = NULL;
#define NUM(key, def, assign)                                                                      \
  do {                                                                                             \
    if (!th_scenario_double(sc, "sim", key, def, &v, &e)) {                                        \
      g_propagate_error(error, e);                                                                 \
      return FALSE;                                                                                \
    }                                                                                              \
    assign;                                                                                        \
  } while (0)
  NUM("seed", (double)p->seed, p->seed = (uint64_t)v);
  NUM("iterations", p->iterations, p->iterations = (int)v);
  NUM("gap", p->gap, p->gap = v);
  NUM("threads", p->threads, p->threads = (int)v);
  NUM("sample_factor", p->sample_factor, p->sample_factor = v);
  NUM("stuck_time_s", p->stuck_time_s, p->stuck_time_s = (int32_t)v);
  NUM("bin_s", p->bin_s, p->bin_s = (int32_t)v);
  NUM("replan_share", p->switch_share, p->switch_share = v);
  NUM("backward_wave_kmh", p->backward_wave_kmh, p->backward_wave_kmh = v);
#undef NUM
  /* the engine's congestion switches and the replanning method (sim/simulate.h) */
  const char *sw_keys[] = {"inflow_capacity", "departure_queue"};
  gboolean *sw_fields[] = {&p->inflow_capacity, &p->departure_queue};
  for (int i = 0; i < 2; i++) {
    g_autofree char *sv = th_scenario_string(sc, "sim", sw_keys[i]);
    if (sv && !th_scenario_switch(sv, sw_fields[i])) {
      g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s: [sim] %s = '%s' is not a switch (true or false)",
                  sc->path, sw_keys[i], sv);
      return FALSE;
    }
  }
  g_autofree char *rv = th_scenario_string(sc, "sim", "replanning");
  if (rv) {
    int m = th_replanning_parse(rv);
    if (m < 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s: [sim] replanning = '%s' is not a method (msa or gap)",
                  sc->path, rv);
      return FALSE;
    }
    p->replanning = m;
  }
  g_autofree char *h = th_scenario_string(sc, "sim", "horizon");
  if (h) {
    int64_t t;
    if (!th_parse_time(h, &t) || t <= 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                  "%s: [sim] horizon = '%s' is not a time (HH:MM:SS or seconds > 0)", sc->path, h);
      return FALSE;
    }
    p->horizon_s = (int32_t)t;
  }
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
  }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return FALSE;
  }
  return TRUE;
}

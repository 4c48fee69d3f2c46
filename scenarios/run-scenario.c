/* run-scenario.c: one scenario end to end (see run-scenario.h). */
#include "scenarios/run-scenario.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "output/progress.h"
#include "output/results-dir.h"
#include "output/results-write.h"
#include "network/atomic.h"
#include "scenarios/cli.h"
#include "output/multimodal-write.h"
#include "output/period-skims.h"
#include "scenarios/scenario-indicators.h"
#include "scenarios/scenario-demand.h"
#include "scenarios/scenario-freight.h"
#include "scenarios/scenario-params.h"
#include "sim/car-ownership.h"
#include "sim/choice.h"
#include "sim/multimodal.h"
#include "sim/warm-start.h"

#include <stdio.h>
#include <string.h>

void th_scenario_result_free(ThScenarioResult *r) {
  if (!r) return;
  th_scenario_world_free(r->world);
  th_trips_free(r->trips);
  g_free(r->warm_start);
  th_truck_ban_free(r->truck_ban);
  if (r->multimodal)
    th_multimodal_results_free(r->multimodal); /* owns r->run */
  else
    th_run_results_free(r->run);
  g_free(r);
}

/* Fixed demand: trips drawn on the base's network move to the same zones of
 * NET (synthetic trips always run zone to zone). */
static gboolean trips_to_zones_of(ThTrips *t, const ThNetwork *net, const ThScenario *sc,
                                  GError **error) {
  for (int i = 0; i < t->n; i++) {
    int oz = t->origin_zone[i], dz = t->destination_zone[i];
    if (oz < 0 || dz < 0 || oz >= net->n_zones || dz >= net->n_zones) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "%s: the base's trip %" G_GINT64_FORMAT " has no zone in this scenario's network "
                  "(fixed demand needs the base's zones)",
                  sc->path, t->id[i]);
      return FALSE;
    }
    t->origin[i] = net->zone_node[oz];
    t->destination[i] = net->zone_node[dz];
  }
  return TRUE;
}

/* The [freight] levers of SC per class of CLASSES (n entries, zero where
 * unset), or NULL with an error naming the file for an unknown class. The
 * keys and values were checked against the parameter table
 * (CLASS_truck_surcharge_per_tkm, ...) when SC was loaded. */
static ThFreightLevers *freight_levers(const ThScenario *sc, const ThClassTable *classes,
                                      GError **error) {
  g_autofree ThFreightLevers *lv = g_new0(ThFreightLevers, classes->n + 1);
  g_auto(GStrv) keys = g_key_file_get_keys(sc->params, "freight", NULL, NULL);
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; keys && keys[i]; i++) {
    const ThParam *row = th_scenario_param_find("freight", keys[i]);
    g_auto(GStrv) words = NULL;
    /* the truck_ban_* rows have no CLASS word: they are no lever (and
     * words[0] would be NULL: the main job's dache-bujincheng crashed here) */
    if (!row || !th_param_key_matches(row, keys[i], &words) || !words[0]) continue;
    const char *cname = words[0], *lever = strchr(row->key, '_') + 1;
    int c = th_class_table_lookup(classes, cname);
    double v = 0;
    GError *e = NULL;
    if (c < 0 || classes->cls[c].kind != TH_CLASS_FREIGHT) {
      g_ptr_array_add(pr, g_strdup_printf("%s: [freight] %s names class '%s', which is not a freight "
                                          "class of the class table",
                                          sc->path, keys[i], cname));
    } else if (!th_scenario_double(sc, "freight", keys[i], 0, &v, &e)) {
      g_ptr_array_add(pr, g_strdup(e->message));
      g_error_free(e);
    } else if (!strcmp(lever, "truck_surcharge_per_tkm")) {
      lv[c].truck_surcharge_per_tkm = v;
    } else if (!strcmp(lever, "rail_surcharge_per_tkm")) {
      lv[c].rail_surcharge_per_tkm = v;
    } else if (!strcmp(lever, "rail_min_km")) {
      lv[c].rail_min_km = v;
    } else {
      g_error("run-scenario: [freight] %s has a row but no lever", row->key);
    }
  }
  if (pr->len) {
    th_problems_to_error(pr, TH_ERROR_INVALID, error);
    return NULL;
  }
  return g_steal_pointer(&lv);
}

ThScenarioResult *th_scenario_run(const ThScenario *sc, const ThScenarioRunOptions *o,
                                  GError **error) {
  g_autoptr(ThScenarioResult) res = g_new0(ThScenarioResult, 1);
  res->world = th_scenario_world_new(sc, error);
  if (!res->world) return NULL;
  th_sim_params_init(&res->params);
  if (!th_scenario_sim_params(sc, &res->params, error)) return NULL;
  if (o && o->threads > 0) res->params.threads = o->threads;
  res->params.threads = th_cli_threads(res->params.threads);
  res->params.record_events = o && o->events;
  /* day 1's link times: --warm-start, else [sim] warm_start (relative to the
   * scenario file) */
  g_autofree char *warm = NULL;
  if (o && o->warm_start) {
    warm = g_strdup(o->warm_start);
  } else {
    g_autofree char *w = th_scenario_string(sc, "sim", "warm_start");
    if (w && *w) {
      g_autofree char *dir = g_path_get_dirname(sc->path);
      warm = g_path_is_absolute(w) ? g_strdup(w) : g_build_filename(dir, w, NULL);
    }
  }
  if (warm) {
    res->warm_start = th_warm_start_read(warm, res->world->net, error);
    if (!res->warm_start) return NULL;
    res->params.warm_start_time_s = res->warm_start;
  }
  /* [demand] car_share(_zones) (sim/car-ownership.h): read before the long work */
  g_autofree double *car_share = NULL;
  {
    GError *ce = NULL;
    car_share = th_scenario_car_shares(sc, res->world->net, &ce);
    if (ce) {
      g_propagate_error(error, ce);
      return NULL;
    }
  }
  if (o && o->trips_path) {
    ThTripsReadOptions topt = {res->params.horizon_s,
                               res->world->services->n_lines > 0 ? TH_MODE_ALL : TH_MODE_ROAD};
    res->trips = th_trips_read(o->trips_path, res->world->net, res->world->classes, &topt, error);
  } else if (o && o->demand_net && o->demand_net != res->world->net) {
    res->trips = th_scenario_demand(sc, o->demand_net, res->world->classes, NULL, error);
    if (res->trips && !trips_to_zones_of(res->trips, res->world->net, sc, error)) return NULL;
  } else {
    res->trips = th_scenario_demand(sc, res->world->net, res->world->classes, NULL, error);
  }
  if (!res->trips) return NULL;
  /* [freight] truck bans: the route search and the freight planner obey them */
  GError *be = NULL;
  res->truck_ban = th_scenario_truck_ban(sc, res->world->net, res->world->classes, &be);
  if (be) {
    g_propagate_error(error, be);
    return NULL;
  }
  res->params.truck_ban = res->truck_ban;
  g_autoptr(ThProgress) progress = th_progress_new(!o || o->quiet);
  res->params.progress = th_progress_sim;
  res->params.progress_user = progress;
  if (res->world->services->n_lines > 0) {
    /* scheduled lines: mode choice, transit and freight chains around the road engine */
    g_autoptr(ThChoiceParams) choice = th_choice_params_new();
    if (!th_choice_params_load(choice, sc->params, "choice", sc->path, error)) return NULL;
    ThMultimodalParams mp;
    th_multimodal_params_init(&mp);
    mp.services = res->world->services;
    mp.hubs = res->world->hubs;
    mp.choice = choice;
    /* the study area: markets of the choice constants per market */
    GError *ie = NULL;
    g_autofree guint8 *internal = th_scenario_internal_zones(sc, res->world->net, &ie);
    if (ie) {
      g_propagate_error(error, ie);
      return NULL;
    }
    mp.internal = internal;
    g_autofree ThFreightLevers *levers = freight_levers(sc, res->world->classes, error);
    if (!levers) return NULL;
    mp.freight_levers = levers;
    /* [sim] choice_iterations, walk and e-bike (sim/params.h) */
    if (!th_scenario_params_apply(sc, "sim", TH_PARAM_IN_MULTIMODAL, &mp, error)) return NULL;
    /* [demand] car_share(_zones), read before the demand: who may drive
     * (sim/car-ownership.h) */
    g_autofree guint8 *car_available = NULL;
    if (car_share)
      car_available = th_car_available_new(res->trips, res->world->classes, car_share, internal,
                                           res->params.seed, NULL);
    mp.car_available = car_available;
    ThMultimodalResults *mm = th_simulate_multimodal(res->world->net, res->trips,
                                                     res->world->classes, &res->params, &mp, error);
    if (mm) {
      res->multimodal = mm;
      res->run = mm->run;
    }
  } else {
    res->run = th_simulate(res->world->net, res->trips, res->world->classes, &res->params, error);
  }
  res->params.progress = NULL;
  res->params.progress_user = NULL;
  th_progress_clear(progress);
  if (!res->run) return NULL;
  return g_steal_pointer(&res);
}

gboolean th_scenario_result_write(const ThScenario *sc, const ThScenarioResult *r, const char *dir,
                                  gboolean events, GError **error) {
  /* into a new folder beside DIR, swapped in whole at the end: a run
   * killed midway never leaves a mix of two runs (issue 17) */
  g_autoptr(ThResultsDir) rd = th_results_dir_begin(dir, "run.ini", error);
  if (!rd) return FALSE;
  const char *tmp = th_results_dir_path(rd);
  ThResultsWriteOptions wopt = {sc->name, events, TRUE, TRUE};
  if (!th_results_write(tmp, r->run, r->world->net, r->trips, r->world->classes, &wopt, error))
    return FALSE;
  /* network/services.csv and hubs.csv come from the scenario's tables below */
  if (r->multimodal &&
      !th_multimodal_write_results(tmp, r->multimodal, r->world->net, r->world->services,
                                   r->world->hubs, error))
    return FALSE;
  /* complete skims on the loaded network and the timetable (issue 12) */
  if (!th_period_skims_write(tmp, r->world->net, r->world->services, r->world->hubs, r->run,
                             error))
    return FALSE;
  /* the indicators of compare's summary.csv for this run alone (sweeps
   * consolidate them) */
  ThCompareRow row;
  th_scenario_indicators(sc, sc->name, r, &row); /* one name: as in run.ini */
  g_autofree char *ind = g_build_filename(tmp, "indicators.csv", NULL);
  if (!th_compare_write_summary(ind, &row, 1, error)) return FALSE;
  /* the resolved parameters (defaults not filled in): what `taihang report`
   * needs that the results do not carry ([appraisal], [demand] zones and year) */
  gsize plen;
  g_autofree char *ptext = g_key_file_to_data(sc->params, &plen, NULL);
  g_autofree char *pfile = g_build_filename(tmp, "params.ini", NULL);
  if (!th_atomic_write(pfile, ptext, plen, error)) return FALSE;
  g_autofree char *netdir = g_build_filename(tmp, "network", NULL);
  if (!th_scenario_write_network(sc, netdir, error)) return FALSE;
  /* run.ini, the marker of a complete folder, last */
  if (!th_results_write_run_ini(tmp, r->run, r->world->net, r->trips, &wopt, error)) return FALSE;
  return th_results_dir_commit(g_steal_pointer(&rd), error);
}

gboolean th_run_args_name_scenario(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') {
      /* options that take a separate value */
      if (!strchr(argv[i], '=') && i + 1 < argc &&
          (!strcmp(argv[i], "--trips") || !strcmp(argv[i], "--out") ||
           !strcmp(argv[i], "--iterations") || !strcmp(argv[i], "--gap") ||
           !strcmp(argv[i], "--threads") || !strcmp(argv[i], "--seed") ||
           !strcmp(argv[i], "--set") || !strcmp(argv[i], "--classes") ||
           !strcmp(argv[i], "--horizon") || !strcmp(argv[i], "--sample-factor") ||
           !strcmp(argv[i], "--stuck-time") || !strcmp(argv[i], "--bin") ||
           !strcmp(argv[i], "--warm-start")))
        i++;
      continue;
    }
    return g_str_has_suffix(argv[i], ".ini");
  }
  return FALSE;
}

static void print_summary(const ThScenario *sc, const ThScenarioResult *r, const char *out) {
  const ThRunResults *x = r->run;
  printf("taihang run: scenario %s: %" G_GINT64_FORMAT " arrived + %" G_GINT64_FORMAT
         " stuck + %" G_GINT64_FORMAT " unserved + %" G_GINT64_FORMAT
         " en route = %d trips; %d day%s, relative gap %.4f; results in %s\n",
         sc->name, x->arrived, x->stuck, x->unserved, x->en_route, r->trips->n, x->iterations,
         x->iterations == 1 ? "" : "s", x->relative_gap, out);
}

int th_cmd_run_scenario(int argc, char **argv) {
  g_autofree char *trips_path = NULL, *out = NULL;
  g_auto(GStrv) sets = NULL;
  g_autofree char *warm = NULL;
  gboolean events = FALSE, quiet = FALSE, strict = FALSE;
  GOptionEntry entries[] = {
      {"warm-start", 0, 0, G_OPTION_ARG_FILENAME, &warm,
       "Link times for day 1's routes (taihang assign --flows CSV, or link_flows.csv)", "FILE"},
      {"out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Results folder to write (required)", "DIR"},
      {"trips", 0, 0, G_OPTION_ARG_FILENAME, &trips_path,
       "Trips to run instead of the scenario's synthetic demand", "FILE"},
      {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
       "Override a scenario parameter, e.g. --set sim.seed=3 (repeatable)", "SECTION.KEY=VALUE"},
      {"events", 0, 0, G_OPTION_ARG_NONE, &events, "Also write events.csv.gz (large)", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL},
      {"strict", 0, 0, G_OPTION_ARG_NONE, &strict,
       "Refuse a network with a zone cut off from the main road network (default: warn and leave "
       "its demand out)",
       NULL},
      {NULL}};
  /* every [sim] setting with an option (sim/params.h): --seed S is --set sim.seed=S */
  g_autoptr(ThParamOptions) popt = th_param_options_new("sim", entries);
  if (!th_cli_parse("run", "SCENARIO.ini --out DIR",
                    "Runs one scenario end to end: resolves it, synthesizes its demand (unless\n"
                    "--trips is given), simulates to equilibrium and writes the results folder.",
                    (const GOptionEntry *)popt->entries->data, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage("run", "expected one SCENARIO.ini");
  if (!out) return th_cli_usage("run", "--out DIR is required");
  g_autoptr(GError) error = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(argv[1], &error);
  if (!sc) return th_cli_fail("run", error);
  sc->strict = strict;
  for (int i = 0; sets && sets[i]; i++) {
    char *eq = strchr(sets[i], '=');
    if (!eq) return th_cli_usage("run", "--set %s: expected SECTION.KEY=VALUE", sets[i]);
    *eq = 0;
    if (!th_scenario_set(sc, sets[i], eq + 1, &error))
      return th_cli_usage("run", "--set: %s", error->message);
  }
  /* the options override [sim] as --set does; --threads only how fast the
   * run goes, so it is no part of the scenario (nor of run.ini) */
  ThSimParams given; /* the options' values checked, and --threads read */
  th_sim_params_init(&given);
  if (!th_param_options_apply(popt, TH_PARAM_IN_SIM, &given, &error) ||
      !th_param_options_apply(popt, TH_PARAM_IN_MULTIMODAL, NULL, &error))
    return th_cli_usage("run", "%s", error->message);
  int threads = th_param_options_value(popt, "threads") ? given.threads : 0;
  for (guint i = 0; i < popt->rows->len; i++) {
    const ThParam *row = popt->rows->pdata[i];
    if (!popt->values[i] || !strcmp(row->key, "threads")) continue;
    g_autofree char *key = g_strconcat(row->section, ".", row->key, NULL);
    if (!th_scenario_set(sc, key, popt->values[i], &error))
      return th_cli_usage("run", "%s", error->message);
  }
  /* [output] events = true asks for the event log as --events does */
  g_autofree char *ev = th_scenario_string(sc, "output", "events");
  gboolean ev_on = FALSE;
  if (ev && th_param_switch(ev, &ev_on) && ev_on) events = TRUE;
  ThScenarioRunOptions o = {trips_path, quiet, events, threads, warm, NULL};
  /* an unwritable --out is found before the work, not after it */
  if (!th_results_dir_check(out, "run.ini", &error)) return th_cli_fail("run", error);
  g_autoptr(ThScenarioResult) r = th_scenario_run(sc, &o, &error);
  if (!r) return th_cli_fail("run", error);
  if (!th_scenario_result_write(sc, r, out, events, &error)) return th_cli_fail("run", error);
  print_summary(sc, r, out);
  return TH_EXIT_OK;
}

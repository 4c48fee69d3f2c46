/* cmd_run.c: `taihang run`: simulate a network and its trips to equilibrium
 * and write the results folder. */
#include "network/csv.h"
#include "network/layers.h"
#include "network/load.h"
#include "network/th-error.h"
#include "output/progress.h"
#include "output/multimodal-write.h"
#include "output/results-dir.h"
#include "output/results-write.h"
#include "scenarios/cli.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario-params.h"
#include "sim/multimodal.h"
#include "sim/od-trips.h"
#include "sim/simulate.h"
#include "sim/warm-start.h"

#include <stdio.h>
#include <stdlib.h>

static void print_summary(const ThRunResults *r, int n_trips) {
  printf("taihang run: %" G_GINT64_FORMAT " arrived + %" G_GINT64_FORMAT
         " stuck + %" G_GINT64_FORMAT " unserved + %" G_GINT64_FORMAT
         " en route = %d trips; %d day%s, relative gap %.4f; "
         "%" G_GUINT64_FORMAT " link traversals on the last day, %" G_GUINT64_FORMAT
         " vehicles moved on after the stuck time\n",
         r->arrived, r->stuck, r->unserved, r->en_route, n_trips, r->iterations,
         r->iterations == 1 ? "" : "s", r->relative_gap, r->traversals, r->stuck_moves);
}

/* "07:00-08:00" (or seconds) into seconds; START < END. */
static gboolean parse_demand_period(const char *s, int64_t *start, int64_t *end) {
  g_auto(GStrv) p = g_strsplit(s, "-", 2);
  return p[0] && p[1] && th_parse_time(g_strstrip(p[0]), start) &&
         th_parse_time(g_strstrip(p[1]), end) && *start >= 0 && *end > *start &&
         *end <= INT32_MAX;
}

int th_cmd_run(int argc, char **argv) {
  /* `taihang run SCENARIO.ini --out DIR`: the scenario workflow (yang) */
  if (th_run_args_name_scenario(argc, argv)) return th_cmd_run_scenario(argc, argv);
  g_autofree char *trips_path = NULL, *out = NULL, *classes_path = NULL, *warm = NULL,
                  *demand_period = NULL;
  gboolean events = FALSE, quiet = FALSE, timing = FALSE;
  g_auto(GStrv) sets = NULL; /* only so that --help lists it: the SCENARIO.ini form takes it */
  GOptionEntry entries[] = {
      {"trips", 0, 0, G_OPTION_ARG_FILENAME, &trips_path,
       "Trips (trips.csv: id,origin,destination,depart[,class][,mode][,tonnes])", "FILE"},
      {"out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Results folder to write", "DIR"},
      {"warm-start", 0, 0, G_OPTION_ARG_FILENAME, &warm,
       "Link times for day 1's routes instead of free flow (taihang assign --flows CSV, or a run's "
       "link_flows.csv)",
       "FILE"},
      {"classes", 0, 0, G_OPTION_ARG_FILENAME, &classes_path,
       "Class table (classes.csv) added to the built-ins", "FILE"},
      {"events", 0, 0, G_OPTION_ARG_NONE, &events, "Also write events.csv.gz (large)", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL},
      {"timing", 0, 0, G_OPTION_ARG_NONE, &timing,
       "Print wall seconds of route search and simulation (benchmarks)", NULL},
      {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
       "SCENARIO.ini form: override a scenario parameter, e.g. --set sim.seed=3 (repeatable)",
       "SECTION.KEY=VALUE"},
      {"demand-period", 0, 0, G_OPTION_ARG_STRING, &demand_period,
       "Without --trips: the period the folder's demand.csv volumes depart in, evenly (default "
       "07:00-08:00)",
       "HH:MM-HH:MM"},
      {NULL},
  };
  /* the [sim] settings with an option (--seed, --horizon, ...): sim/params.h */
  g_autoptr(ThParamOptions) popt = th_param_options_new("sim", entries);
  if (!th_cli_parse(
          "run", "NETWORK --trips FILE --out DIR | SCENARIO.ini --out DIR",
          "Simulate every trip through congested road queues, day after day, to equilibrium.\n"
          "\n"
          "Two forms:\n"
          "  NETWORK --trips FILE   a network (GMNS folder, or TNTP *_net.tntp file) and its\n"
          "                         trips; services.csv and hubs.csv beside node.csv make\n"
          "                         the run multimodal\n"
          "  SCENARIO.ini           a scenario (its resolved network, its synthetic demand\n"
          "                         unless --trips, its parameters); takes --set, --trips,\n"
          "                         --iterations, --gap, --threads, --seed, --sample-factor,\n"
          "                         --warm-start, --events, --quiet (the other settings as\n"
          "                         [sim] keys, e.g. --set sim.horizon=20:00)\n"
          "--out DIR is replaced whole when the run succeeds (never a mix of two runs).\n"
          "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.",
          (const GOptionEntry *)popt->entries->data, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2)
    return th_cli_usage("run",
                        "expected one NETWORK (a GMNS folder or a .tntp file) or SCENARIO.ini");
  if (sets)
    return th_cli_usage("run",
                        "--set needs a SCENARIO.ini (a NETWORK takes options such as --seed)");
  /* GMNS: a network folder's demand.csv is the default demand (sim/od-trips.h) */
  g_autofree char *folder_demand = g_build_filename(argv[1], "demand.csv", NULL);
  gboolean od_demand = !trips_path && g_file_test(argv[1], G_FILE_TEST_IS_DIR) &&
                       g_file_test(folder_demand, G_FILE_TEST_EXISTS);
  int64_t period_start = 7 * 3600, period_end = 8 * 3600;
  if (demand_period && !parse_demand_period(demand_period, &period_start, &period_end))
    return th_cli_usage("run", "bad --demand-period '%s' (START-END as HH:MM, START before END)",
                        demand_period);
  if (!trips_path && !od_demand)
    return th_cli_usage("run", "--trips FILE is required (or a demand.csv in the network folder)");
  if (!out) return th_cli_usage("run", "--out DIR is required");

  ThSimParams p;
  th_sim_params_init(&p);
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  g_autoptr(GError) error = NULL;
  if (!th_param_options_apply(popt, TH_PARAM_IN_SIM, &p, &error) ||
      !th_param_options_apply(popt, TH_PARAM_IN_MULTIMODAL, &mp, &error))
    return th_cli_usage("run", "%s", error->message);
  p.threads = th_cli_threads(p.threads);
  p.record_events = events;
  if (!th_sim_params_check(&p, &error)) return th_cli_usage("run", "%s", error->message);

  gint64 t0 = g_get_monotonic_time();
  if (!th_results_dir_check(out, "run.ini", &error)) return th_cli_fail("run", error);
  g_autoptr(ThNetwork) net = th_network_load(argv[1], &error);
  if (!net) return th_cli_fail("run", error);
  g_autofree double *warm_s = NULL;
  if (warm) {
    warm_s = th_warm_start_read(warm, net, &error);
    if (!warm_s) return th_cli_fail("run", error);
    p.warm_start_time_s = warm_s;
  }
  g_autoptr(ThClassTable) classes = th_class_table_new();
  if (classes_path && !th_class_table_load(classes, classes_path, &error))
    return th_cli_fail("run", error);
  /* multimodal (multi): services.csv and hubs.csv beside node.csv and link.csv */
  g_autoptr(ThServices) services = NULL;
  g_autoptr(ThHubs) hubs = NULL;
  if (!th_multimodal_read_dir(argv[1], net, &services, &hubs, &error))
    return th_cli_fail("run", error);
  gboolean multimodal = services != NULL;
  ThTripsReadOptions topt = {p.horizon_s, multimodal ? TH_MODE_ALL : TH_MODE_ROAD};
  g_autoptr(ThTrips) trips =
      od_demand ? th_trips_from_demand_csv(folder_demand, net, classes, (int32_t)period_start,
                                           (int32_t)period_end, NULL, &error)
                : th_trips_read(trips_path, net, classes, &topt, &error);
  if (!trips) return th_cli_fail("run", error);
  gint64 t_loaded = g_get_monotonic_time();

  g_autoptr(ThProgress) progress = th_progress_new(quiet);
  p.progress = th_progress_sim;
  p.progress_user = progress;
  g_autoptr(ThRunResults) road_r = NULL;
  g_autoptr(ThMultimodalResults) mm = NULL;
  if (multimodal) {
    /* trains, buses, hubs and mode choice around the road engine (sim/multimodal.h) */
    mp.services = services;
    mp.hubs = hubs;
    mm = th_simulate_multimodal(net, trips, classes, &p, &mp, &error);
  } else {
    road_r = th_simulate(net, trips, classes, &p, &error);
  }
  const ThRunResults *r = mm ? mm->run : road_r;
  th_progress_clear(progress);
  if (!r) return th_cli_fail("run", error);
  gint64 t_simulated = g_get_monotonic_time();
  /* written beside OUT and swapped in whole, run.ini last (output/results-dir.h) */
  g_autoptr(ThResultsDir) rd = th_results_dir_begin(out, "run.ini", &error);
  if (!rd) return th_cli_fail("run", error);
  ThResultsWriteOptions wopt = {NULL, events, FALSE, TRUE};
  if (!th_results_write(th_results_dir_path(rd), r, net, trips, classes, &wopt, &error))
    return th_cli_fail("run", error);
  if (mm && !th_multimodal_write(th_results_dir_path(rd), mm, net, services, hubs, &error))
    return th_cli_fail("run", error);
  if (!th_results_write_run_ini(th_results_dir_path(rd), r, net, trips, &wopt, &error) ||
      !th_results_dir_commit(g_steal_pointer(&rd), &error))
    return th_cli_fail("run", error);
  gint64 t_written = g_get_monotonic_time();
  print_summary(r, trips->n);
  if (timing) {
    printf("timing: load %.3f s, simulate %.3f s, write %.3f s (wall)\n", (t_loaded - t0) / 1e6,
           (t_simulated - t_loaded) / 1e6, (t_written - t_simulated) / 1e6);
    printf("timing: route search %.3f s, simulation %.3f s (%.3f s CPU), %" G_GUINT64_FORMAT
           " link traversals, %.2f M traversals per CPU second; route search %.3f s CPU\n",
           r->wall_route_s, r->wall_engine_s, r->cpu_engine_s, r->total_traversals,
           r->cpu_engine_s > 0 ? r->total_traversals / r->cpu_engine_s / 1e6 : 0.0, r->cpu_route_s);
  }
  return TH_EXIT_OK;
}

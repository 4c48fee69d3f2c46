/* cmd_calibrate.c: `taihang calibrate NET-OR-SCENARIO --observed FILE.csv
 * --out DIR`: ODME on a network with a prior OD table, or mode constants and
 * gravity deterrence on a scenario (scenarios/calibrate.h). */
#include "network/th-error.h"
#include "output/map.h"
#include "scenarios/calibrate.h"
#include "scenarios/cli.h"

#include <stdio.h>

#define NAME "calibrate"

int th_cmd_calibrate(int argc, char **argv) {
  g_autofree char *trips = NULL, *observed = NULL, *screen = NULL, *out = NULL, *internal_s = NULL;
  int threads = 0, iterations = 0;
  gboolean no_simulation = FALSE;
  double tolerance = 0.01, gap = 1e-6;
  GOptionEntry entries[] = {
      {"trips", 0, 0, G_OPTION_ARG_FILENAME, &trips,
       "prior OD table (origin,destination,class,trips; GMNS o_zone_id,d_zone_id,volume; or "
       "*_trips.tntp): estimate the matrix from link counts (networks only)", "PRIOR.csv"},
      {"observed", 0, 0, G_OPTION_ARG_FILENAME, &observed,
       "observations CSV type,id,period,class,value,source (required)", "FILE"},
      {"screenlines", 0, 0, G_OPTION_ARG_FILENAME, &screen, "screenlines CSV screenline,link_id", "FILE"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "output folder (required)", "DIR"},
      {"internal-zones", 0, 0, G_OPTION_ARG_STRING, &internal_s,
       "study-area zone ids for markets (default: the scenario's [demand] internal_zones, else every zone)", "LIST"},
      {"iterations", 'n', 0, G_OPTION_ARG_INT, &iterations,
       "most ODME assignments (default 10) or scenario runs (default 8)", "N"},
      {"tolerance", 0, 0, G_OPTION_ARG_DOUBLE, &tolerance,
       "fitted mode shares within this (default 0.01 = 1 point)", "T"},
      {"gap", 'g', 0, G_OPTION_ARG_DOUBLE, &gap, "relative gap of each assignment (default 1e-6)", "GAP"},
      {"threads", 't', 0, G_OPTION_ARG_INT, &threads, "worker threads (default: all cores)", "N"},
      {"no-simulation", 0, 0, G_OPTION_ARG_NONE, &no_simulation,
       "network: do not confirm the estimate in the simulation", NULL},
      {NULL}};
  if (!th_cli_parse(NAME, "NET-OR-SCENARIO --observed FILE.csv --out DIR [--trips PRIOR.csv]",
                    "Fit the model to observations and say by how much it improved.\n"
                    "NET --trips PRIOR: OD matrix estimation from link counts (Spiess 1990) on\n"
                    "static assignment, confirmed in the simulation; writes trips.csv (or\n"
                    "demand.csv), flows_before.csv, flows_after.csv, simulation/. SCENARIO.ini: gravity beta per purpose (mean_trip_min\n"
                    "targets of class work/other) and mode constants (mode_share targets);\n"
                    "writes calibrated.ini and runs/. Both write validation_before.csv and\n"
                    "validation_after.csv (with _summary.csv and .png). Exit 1 when a target\n"
                    "is not met (the files are written and the reasons printed).",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage(NAME, "expected one network folder, TNTP net or scenario (.ini)");
  if (!observed) return th_cli_usage(NAME, "--observed FILE.csv is required");
  if (!out) return th_cli_usage(NAME, "--out DIR is required");
  if (!(tolerance > 0 && tolerance < 1)) return th_cli_usage(NAME, "--tolerance %g is not in (0, 1)", tolerance);
  if (iterations < 0) return th_cli_usage(NAME, "--iterations %d is negative", iterations);
  gboolean scenario = g_str_has_suffix(argv[1], ".ini");
  if (scenario && trips)
    return th_cli_usage(NAME, "--trips is for a network (ODME); a scenario synthesizes its demand");
  if (!scenario && !trips)
    return th_cli_usage(NAME, "a network needs --trips PRIOR.csv (the OD table to estimate from)");
  g_autoptr(GError) error = NULL;
  g_autoptr(ThObserved) obs = th_observed_read(observed, &error);
  if (!obs) return th_cli_fail(NAME, error);
  g_autoptr(ThScreenlines) sl = NULL;
  if (screen && !(sl = th_screenlines_read(screen, &error))) return th_cli_fail(NAME, error);
  g_autoptr(GHashTable) internal = NULL;
  if (internal_s && !(internal = th_calib_parse_zone_list(internal_s, &error)))
    return th_cli_fail(NAME, error);
  ThCalibOptions o = {out, obs, sl, internal, th_cli_threads(threads), iterations, tolerance, gap, FALSE, !no_simulation};
  gboolean not_met = FALSE;
  gboolean ok = scenario ? th_calib_scenario(argv[1], &o, &not_met, &error)
                         : th_calib_network(argv[1], trips, &o, &not_met, &error);
  th_map_release_fonts(); /* fontconfig's caches, so leak checkers see only ours */
  if (!ok) return th_cli_fail(NAME, error);
  printf("wrote %s\n", out);
  if (not_met) {
    fprintf(stderr, "taihang calibrate: some targets were not met (see above)\n");
    return TH_EXIT_FAILURE;
  }
  return TH_EXIT_OK;
}

/* cmd_demand.c: `taihang demand SCENARIO.ini --out trips.csv`: the synthetic
 * passenger and freight demand of a scenario, in the trips format of
 * `taihang run --trips`, so a planner can inspect or replace it (see
 * sim/demand.h for the model and scenarios/scenario-demand.h for [demand]). */
#include "network/th-error.h"
#include "output/trips-write.h"
#include "scenarios/cli.h"
#include "scenarios/scenario-demand.h"
#include "scenarios/scenario-world.h"

#include <stdio.h>

#define NAME "demand"

int th_cmd_demand(int argc, char **argv) {
  g_autofree char *out = NULL;
  gint64 seed = -1;
  double sample = -1;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "trips CSV to write (required)", "FILE.csv"},
      {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "random seed (default: [sim] seed)", "S"},
      {"sample", 0, 0, G_OPTION_ARG_DOUBLE, &sample,
       "share of trips drawn, 0 < s <= 1 (default: [demand] sample)", "S"},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print no summary", NULL},
      {NULL}};
  if (!th_cli_parse(
          NAME, "SCENARIO.ini --out trips.csv",
          "Synthesizes the scenario's demand: passenger trips by a doubly constrained\n"
          "gravity model balanced by IPF, freight shipments by commodity, with growth by\n"
          "year and zone; writes id,origin,destination,depart,class,mode,tonnes.",
          entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage(NAME, "expected one scenario file (SCENARIO.ini)");
  if (!out) return th_cli_usage(NAME, "--out FILE.csv is required");
  g_autoptr(GError) error = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(argv[1], &error);
  if (!sc) return th_cli_fail(NAME, error);
  if (seed >= 0) {
    g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, seed);
    th_scenario_set(sc, "sim.seed", v, NULL);
  }
  if (sample >= 0) {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_dtostr(buf, sizeof buf, sample);
    /* out of range: the [demand] sample row's message (sim/params.c) */
    if (!th_scenario_set(sc, "demand.sample", buf, &error))
      return th_cli_usage(NAME, "--sample: %s", error->message);
  }
  g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, &error);
  if (!w) return th_cli_fail(NAME, error);
  g_autoptr(ThDemandStats) st = NULL;
  g_autoptr(ThTrips) trips = th_scenario_demand(sc, w->net, w->classes, &st, &error);
  if (!trips) return th_cli_fail(NAME, error);
  if (!th_trips_write(out, trips, w->net, w->classes, &error)) return th_cli_fail(NAME, error);
  if (!quiet) {
    int n_pass = 0;
    double tonnes = 0;
    for (int i = 0; i < trips->n; i++) {
      if (w->classes->cls[trips->cls[i]].kind == TH_CLASS_PASSENGER) n_pass++;
      tonnes += trips->tonnes[i];
    }
    double tpd = 0;
    for (int c = 0; c < TH_N_COMMODITIES; c++) tpd += st->tonnes_per_day[c];
    /* long-distance trips (sim/demand-longdist.h) are named only when there are some */
    g_autofree char *longdist =
        st->longdist_trips_per_day > 0
            ? g_strdup_printf(", %.0f long-distance", st->longdist_trips_per_day)
            : g_strdup("");
    printf("%s: %d trips (%d passenger trips, %d shipments of %.0f t) drawn from %.0f person trips "
           "and %.0f t of freight per day (%.0f through trips%s); IPF %d iterations, error %.1e\n",
           out, trips->n, n_pass, trips->n - n_pass, tonnes, st->passenger_trips_per_day, tpd,
           st->through_trips_per_day, longdist, st->ipf_iterations, st->ipf_error);
  }
  return TH_EXIT_OK;
}

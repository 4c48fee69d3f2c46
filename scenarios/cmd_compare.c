/* cmd_compare.c: `taihang compare BASE.ini SCENARIO.ini... --out DIR`: runs a
 * base and scenarios to equilibrium and writes what each project changes
 * (see scenarios/compare.h and output/compare-write.h). */
#include "network/th-error.h"
#include "output/results-dir.h"
#include "scenarios/cli.h"
#include "scenarios/compare.h"

#include <stdio.h>

#define NAME "compare"

int th_cmd_compare(int argc, char **argv) {
  g_autofree char *out = NULL, *targets = NULL, *airports = NULL;
  g_auto(GStrv) sets = NULL;
  int jobs = 0, replications = 0;
  gboolean quiet = FALSE;
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for the results (required)", "DIR"},
      {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
       "Scenarios run at once (default: the number of cores; results do not depend on it)", "N"},
      {"to", 0, 0, G_OPTION_ARG_STRING, &targets,
       "Zones whose travel time accessibility.csv reports (default 洛阳;郑州)", "LIST"},
      {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
       "Override a parameter in every scenario, e.g. --set demand.growth=1.5 (repeatable)",
       "SECTION.KEY=VALUE"},
      {"replications", 'r', 0, G_OPTION_ARG_INT, &replications,
       "Runs of every scenario with seeds base, base+1, ... (default: the base's [compare] "
       "replications, else 1); effects.csv gives 95% intervals from 2 on",
       "N"},
      {"airports", 0, 0, G_OPTION_ARG_STRING, &airports,
       "Nodes (ids or names) for DIR/airports.csv: door-to-door time from every zone", "LIST"},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines", NULL},
      {"strict", 0, 0, G_OPTION_ARG_NONE, &strict,
       "Refuse a network with a zone cut off from the main road network (default: warn and leave "
       "its demand out)",
       NULL},
      {NULL}};
  if (!th_cli_parse(
          NAME, "BASE.ini SCENARIO.ini... --out DIR",
          "Runs the base and each scenario to equilibrium (identical scenarios once,\n"
          "distinct ones in parallel) and writes DIR/SCENARIO/ (a results folder each),\n"
          "DIR/summary.csv, effects.csv, appraisal.csv, od_delta.csv,\n"
          "accessibility.csv, co2_factors.csv and report.txt; prints the report (biggest "
          "travel-time\n"
          "gains, mode shares, effects with their 95% intervals). Every scenario runs\n"
          "on the base's trip list (for its own year and growth) unless it sets\n"
          "[demand] induced = true.\n"
          "Each scenario is named by its [scenario] name (the file's stem when it has\n"
          "none): its folder, its report lines and its summary.csv row. DIR is replaced\n"
          "whole when the comparison succeeds; an unwritable DIR is said before any run.\n"
          "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.",
          entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc < 3) return th_cli_usage(NAME, "expected a base and at least one scenario (.ini files)");
  if (!out) return th_cli_usage(NAME, "--out DIR is required");
  if (jobs < 0) return th_cli_usage(NAME, "--jobs must be >= 1 (got %d)", jobs);
  if (replications < 0 || replications > TH_COMPARE_MAX_REPLICATIONS)
    return th_cli_usage(NAME, "--replications must be from 1 to %d (got %d)",
                        TH_COMPARE_MAX_REPLICATIONS, replications);
  ThCompareOptions o = {jobs, quiet, targets, (const char *const *)sets, replications,
                        airports, strict};
  g_autoptr(GError) error = NULL;
  /* an unwritable --out is said before the scenarios are computed */
  if (!th_results_dir_check(out, "summary.csv", &error)) return th_cli_fail(NAME, error);
  g_autoptr(GString) report = g_string_new(NULL);
  if (!th_compare(argv[1], (const char *const *)argv + 2, argc - 2, out, &o, report, &error))
    return th_cli_fail(NAME, error);
  fputs(report->str, stdout);
  printf(
      "\nresults: %s/ (summary.csv, effects.csv, appraisal.csv, od_delta.csv, accessibility.csv, "
      "one folder per "
      "scenario)\n",
      out);
  return TH_EXIT_OK;
}

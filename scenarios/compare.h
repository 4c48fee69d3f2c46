/* compare.h: run a base and scenarios to equilibrium and say what each
 * project changes (`taihang compare`).
 *
 * Every scenario is resolved first (all errors reported before anything
 * runs). Scenarios whose resolved inputs are identical (th_scenario_fingerprint)
 * share one run. The distinct runs execute in parallel on a GThreadPool, each
 * deterministic on its own, so the outputs never depend on the number of
 * jobs. Each scenario's results folder is DIR/KEY (KEY = the scenario file's
 * name without .ini), with DIR/summary.csv, od_delta.csv, accessibility.csv,
 * co2_factors.csv and report.txt (the terminal report) beside them; see
 * output/compare-write.h for the columns. Travel times in od_delta and
 * accessibility are the door-to-door times of sim/mode-skim.h on each run's
 * experienced morning-peak (07:00-09:00) road times. */
#pragma once
#include "output/compare-write.h"
#include "scenarios/run-scenario.h"

G_BEGIN_DECLS

typedef struct {
  int jobs;              /* runs at once; <= 0: the number of cores */
  gboolean quiet;        /* no progress lines */
  const char *targets;   /* zones for accessibility.csv, ids or names: "洛阳;郑州" */
  const char *const *sets; /* NULL-terminated "section.key=value" overrides for every scenario */
  int replications;      /* > 0: overrides the base's [compare] replications (default 1) */
  const char *airports;  /* NULL, or nodes (ids or names, ";"-separated) for airports.csv:
                          * door-to-door time from every zone (sim/airport-access.h) */
  gboolean strict;       /* refuse networks with a cut-off zone (default: warn, leave its demand out) */
} ThCompareOptions;

#define TH_COMPARE_MAX_REPLICATIONS 1000

/* Compares BASE with PATHS[0..N). Writes into OUT_DIR (created). The
 * terminal report is appended to REPORT. Errors: the scenarios' (every one,
 * TH_ERROR_INVALID / PARSE), a scenario listed twice or with zones other
 * than the base's (TH_ERROR_INVALID), simulation and I/O failures. */
gboolean th_compare(const char *base, const char *const *paths, int n, const char *out_dir,
                    const ThCompareOptions *o, GString *report, GError **error);

/* th_scenario_indicators: scenarios/scenario-indicators.h */

/* TRUE if NAME (a scenario's [scenario] name) can name a results folder:
 * not empty, no '/' or '\\', not starting with '.'. */
gboolean th_compare_name_ok(const char *name);
/* Line of `name =` in [scenario] of the file PATH, or 1 when it has none. */
int th_compare_name_line(const char *path);

G_END_DECLS

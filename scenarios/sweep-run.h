/* sweep-run.h: running a sweep's runs as subprocesses, resumably, and
 * merging their results into the consolidated tables.
 *
 * Layout of a sweep folder DIR:
 *   DIR/runs.csv           the plan: run_id and one column per parameter (sorted by id)
 *   DIR/runs/ID/           a finished run: the results folder of `taihang run` plus the
 *                          scenario.ini it ran; it appears (by rename) only when complete
 *   DIR/failed/ID.txt      why run ID failed (exit status, parameters, its stderr)
 *   DIR/failed/ID.ini      the scenario it ran (its messages' FILE:LINE point here)
 *   DIR/.tmp/HOST@PID@ID/  a run in progress (removed at restart once its process is gone)
 *   DIR/travel_times.csv   every run's od_times.csv, run id and parameters prepended
 *   DIR/summary.csv        indicators per run: the runs' indicators.csv (compare's
 *                          indicators) when `taihang run` writes one, else those of
 *                          th_sweep_indicators
 *
 * Each run is `taihang run DIR/.tmp/.../scenario.ini --out DIR/.tmp/.../out` in
 * its own process (a crash or bad parameter in one run never stops the
 * others). The environment variable TH_SWEEP_RUNNER replaces "taihang run"
 * (shell syntax, e.g. "sh fake-run.sh"); tests and benchmarks use it to
 * measure the sweep's own overhead. */
#pragma once
#include "scenarios/sweep.h"

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int jobs;          /* runs at once (>= 1) */
  int run_threads;   /* [sim] threads of each run (0: as its scenario says) */
  int shard_i;       /* run only shard I of N (both 0: every run) */
  int shard_n;
  gboolean progress; /* draw a progress bar on stderr (a terminal) */
  gboolean verbose;  /* one line per finished run on stderr (logs, batch jobs) */
} ThSweepOptions;

typedef struct {
  guint planned;   /* runs in this shard */
  guint skipped;   /* already complete before this call */
  guint completed; /* completed by this call */
  guint failed;    /* failed in this call */
} ThSweepStats;

/* Creates DIR (and runs/, failed/) and writes DIR/runs.csv, the plan of the
 * whole grid (identical bytes from every shard). TH_ERROR_IO on failure. */
gboolean th_sweep_prepare(const ThSweep *sweep, const char *dir, GError **error);

/* Runs the runs of the selected shard that have no DIR/runs/ID folder yet,
 * OPTIONS->jobs at a time, and fills STATS. A failed run is recorded in
 * DIR/failed/ID.txt (and removed from there when it later succeeds); it is not
 * an error of this function, which returns FALSE (TH_ERROR_IO/FAILED) only
 * when the sweep itself cannot go on (cannot create folders or start the
 * runner). Removes leftovers of runs of this host whose process is gone. */
gboolean th_sweep_execute(const ThSweep *sweep, const char *dir, const ThSweepOptions *options,
                          ThSweepStats *stats, GError **error);

/* Builds DIR/travel_times.csv and DIR/summary.csv from DIR/runs.csv and the
 * run folders present, rows ordered by run id and then each run's own order,
 * so the bytes do not depend on how, where or in how many pieces the runs
 * were made. *MISSING (if not NULL) gets the number of planned runs without a
 * folder (their rows are absent). TH_ERROR_IO when DIR/runs.csv is missing
 * or a table cannot be written; TH_ERROR_PARSE for a malformed run table. */
gboolean th_sweep_merge(const char *dir, guint *missing, GError **error);

/* The indicators written per run into summary.csv, computed from results
 * folder RUN_DIR: NAMES (static strings, NULL-terminated) and VALUES (one
 * formatted string per name; "" where the folder lacks what it needs). */
const char *const *th_sweep_indicator_names(void);
GPtrArray *th_sweep_indicators(const char *run_dir, GError **error);

G_END_DECLS

/* sweep.h: sweep files and their expansion into runs.
 *
 * A sweep file is a GLib key file:
 *
 *   [sweep]
 *   name = hsr-headways
 *   description = free text
 *   base = ../base2020.ini
 *   [parameters]
 *   services.hsr_headway_min = 15, 30, 60
 *   demand.growth = 1.00:1.20:0.05
 *   sim.seed = 1, 2, 3
 *   [switches]
 *   projects = ../hsr-yangcheng.ini, ../yangji-intercity.ini
 *
 * name defaults to the file's stem; base and switch files are relative to the
 * sweep file or absolute; parameter keys are section.key of the scenario
 * language, with a list or a range start:stop:step (inclusive) as value;
 * each switch group's files are switched on and off.
 *
 * The grid is the cross product of every parameter's values and, per switch
 * group, every on/off combination of its files (2^n). Each run gets an id that
 * depends only on its parameter values (never on its position in the grid), so
 * a grid that is extended, reordered or split into shards names every run the
 * same way: a readable prefix of the values followed by 8 hex digits of the
 * SHA-256 of the canonical "key=value" lines (sorted by key).
 *
 * Runs are kept sorted by id; that order is the canonical order of every
 * consolidated table and the order in which shards are cut. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* One run of the grid. */
typedef struct {
  char *id;          /* e.g. "1.05_30_2_hsr-yangcheng-3fa2b1c9" */
  GPtrArray *values; /* char *: one per column of the sweep (ThSweep.columns order) */
  GPtrArray *apply;  /* char *: absolute paths of the switched-on patch scenarios */
  char *canonical;   /* the "key=value\n" lines the id hashes (sorted by key) */
} ThSweepRun;

typedef struct {
  char *path;         /* absolute path of the sweep file */
  char *name;         /* [sweep] name (the file's stem when absent) */
  char *base;         /* absolute path of the base scenario */
  GPtrArray *columns; /* char *: parameter keys (file order), then switch groups (file order) */
  GPtrArray *is_switch; /* GINT_TO_POINTER(1) for the switch-group columns */
  GPtrArray *runs;    /* ThSweepRun *, sorted by id (strcmp) */
} ThSweep;

/* Reads, validates and expands the sweep file PATH. Every problem is
 * reported (one "FILE:LINE: what (expected)" per line, in one GError):
 * TH_ERROR_INVALID when the file cannot be read, TH_ERROR_PARSE for a malformed
 * file, list or range, TH_ERROR_INVALID for a missing base or switch file, a
 * key that is not section.key, a duplicate value, or an empty grid. The grid
 * is capped at 100,000 runs. Complexity: O(R * C) for R runs and C columns. */
ThSweep *th_sweep_load(const char *path, GError **error);
void th_sweep_free(ThSweep *sweep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThSweep, th_sweep_free)

/* Expands one parameter value: a comma-separated list whose items are
 * literals or ranges `start:stop:step` (decimal numbers; inclusive of stop
 * when the steps reach it exactly; printed with as many decimals as the most
 * precise of the three, so 1.00:1.20:0.05 gives 1.00, 1.05, ..., 1.20).
 * Returns a GPtrArray of char * or NULL with *PROBLEM (a message without
 * FILE:LINE) set. */
GPtrArray *th_sweep_expand_values(const char *text, char **problem);

/* The scenario file of RUN (key-file text): [scenario] name, base and apply,
 * then the parameter overrides in their sections. THREADS > 0 adds
 * `[sim] threads = THREADS` (unless the sweep varies sim.threads itself): runs
 * in parallel should not each take every core, and results never depend on
 * the thread count. */
char *th_sweep_run_scenario(const ThSweep *sweep, const ThSweepRun *run, int threads);

/* The run id for the canonical lines CANONICAL with readable PREFIX. */
char *th_sweep_make_id(const char *prefix, const char *canonical);

/* Parses "I/N" (1 <= I <= N) into *I and *N. FALSE with TH_ERROR_PARSE otherwise. */
gboolean th_sweep_parse_shard(const char *text, int *i, int *n, GError **error);
/* The runs of shard I of N (borrowed pointers): those at positions k of the
 * sorted run list with k % N == I - 1, so shards are disjoint, cover the grid,
 * and mix the parameter values evenly. */
GPtrArray *th_sweep_shard(const ThSweep *sweep, int i, int n);

G_END_DECLS

/* cmd_sweep.c: `taihang sweep` (run a grid of scenario variants into one
 * travel-time table) and `taihang sweep-merge` (build the tables from the run
 * folders, after shards ran on a cluster). */
#include "network/th-error.h"
#include "scenarios/cli.h"
#include "scenarios/slurm.h"
#include "scenarios/sweep-run.h"
#include "scenarios/sweep.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Merges DIR and tells the planner where the tables are and what is missing. */
static int merge_and_report(const char *name, const char *dir, gboolean quiet) {
  g_autoptr(GError) error = NULL;
  guint missing = 0;
  if (!th_sweep_merge(dir, &missing, &error)) return th_cli_fail(name, error);
  if (!quiet)
    printf("%s/travel_times.csv\n%s/summary.csv\n", dir, dir);
  if (missing > 0) {
    fprintf(stderr,
            "taihang %s: %u planned run%s missing from the tables (failed or not run yet; see "
            "%s/failed/)\n",
            name, missing, missing == 1 ? " is" : "s are", dir);
    return TH_EXIT_FAILURE;
  }
  return TH_EXIT_OK;
}

int th_cmd_sweep(int argc, char **argv) {
  g_autofree char *out = NULL, *shard = NULL, *slurm = NULL, *partition = NULL, *time = NULL,
                  *mem = NULL;
  g_auto(GStrv) sbatch = NULL;
  int jobs = 0, shards = 0, cpus = 1, run_threads = 0;
  gboolean merge_only = FALSE, dry_run = FALSE, quiet = FALSE, no_progress = FALSE;
  const GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "sweep folder (runs, tables)", "DIR"},
      {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "runs at once (default: number of cores)", "N"},
      {"run-threads", 0, 0, G_OPTION_ARG_INT, &run_threads,
       "threads of each run (default: cores / jobs, at least 1)", "T"},
      {"shard", 0, 0, G_OPTION_ARG_STRING, &shard,
       "run only shard I of N (stable partition of the sorted run ids); no tables", "I/N"},
      {"merge", 0, 0, G_OPTION_ARG_NONE, &merge_only,
       "run nothing; build the tables from the run folders", NULL},
      {"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "list the runs (id and parameters) and stop",
       NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress, only errors", NULL},
      {"no-progress", 0, 0, G_OPTION_ARG_NONE, &no_progress,
       "one line per finished run instead of the progress bar", NULL},
      {"emit-slurm", 0, 0, G_OPTION_ARG_FILENAME, &slurm,
       "write a Slurm array job, a merge job and a submit script; run nothing", "JOB.sbatch"},
      {"shards", 0, 0, G_OPTION_ARG_INT, &shards,
       "with --emit-slurm: array tasks (default: runs, at most 32)", "N"},
      {"cpus-per-task", 0, 0, G_OPTION_ARG_INT, &cpus,
       "with --emit-slurm: CPUs (and parallel runs) per task (default 1)", "C"},
      {"partition", 0, 0, G_OPTION_ARG_STRING, &partition, "with --emit-slurm: Slurm partition",
       "P"},
      {"time", 0, 0, G_OPTION_ARG_STRING, &time, "with --emit-slurm: time limit per task",
       "D-HH:MM:SS"},
      {"mem", 0, 0, G_OPTION_ARG_STRING, &mem, "with --emit-slurm: memory per task", "SIZE"},
      {"sbatch", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sbatch,
       "with --emit-slurm: another sbatch option (repeatable)", "OPTION"},
      {NULL}};
  if (!th_cli_parse("sweep", "SWEEP.ini --out DIR",
                    "Runs every combination of a sweep's parameters and switches (resumable: runs "
                    "already in DIR are kept) and writes DIR/travel_times.csv and "
                    "DIR/summary.csv.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage("sweep", "expected one sweep file");
  if (!out && !dry_run) return th_cli_usage("sweep", "--out DIR is required");
  if (jobs < 0) return th_cli_usage("sweep", "--jobs must be at least 1");
  if (run_threads < 0) return th_cli_usage("sweep", "--run-threads must be at least 1");
  if (cpus < 1) return th_cli_usage("sweep", "--cpus-per-task must be at least 1");
  if (shards < 0) return th_cli_usage("sweep", "--shards must be at least 1");
  int si = 0, sn = 0;
  g_autoptr(GError) error = NULL;
  if (shard && !th_sweep_parse_shard(shard, &si, &sn, &error)) return th_cli_fail("sweep", error);
  if (shard && merge_only) return th_cli_usage("sweep", "--merge builds every shard's tables; drop --shard");

  g_autoptr(ThSweep) sweep = th_sweep_load(argv[1], &error);
  if (!sweep) return th_cli_fail("sweep", error);
  if (dry_run) {
    printf("run_id");
    for (guint c = 0; c < sweep->columns->len; c++) printf(",%s", (char *)sweep->columns->pdata[c]);
    printf("\n");
    g_autoptr(GPtrArray) sel = sn ? th_sweep_shard(sweep, si, sn) : g_ptr_array_ref(sweep->runs);
    for (guint r = 0; r < sel->len; r++) {
      ThSweepRun *run = sel->pdata[r];
      printf("%s", run->id);
      for (guint c = 0; c < run->values->len; c++) printf(",%s", (char *)run->values->pdata[c]);
      printf("\n");
    }
    return TH_EXIT_OK;
  }
  g_autofree char *dir = g_canonicalize_filename(out, NULL);
  if (merge_only) return merge_and_report("sweep", dir, quiet);
  if (!th_sweep_prepare(sweep, dir, &error)) return th_cli_fail("sweep", error);

  if (slurm) {
    g_autofree char *self = g_file_read_link("/proc/self/exe", &error);
    if (!self) return th_cli_fail("sweep", error);
    ThSlurmOptions so = {.shards = shards ? shards : (int)MIN(sweep->runs->len, 32u),
                         .cpus_per_task = cpus,
                         .partition = partition,
                         .time = time,
                         .mem = mem,
                         .extra = sbatch};
    if ((guint)so.shards > sweep->runs->len) so.shards = (int)sweep->runs->len;
    g_autofree char *submit = NULL;
    if (!th_slurm_emit(slurm, self, sweep->path, dir, sweep->name, &so, &submit, &error))
      return th_cli_fail("sweep", error);
    if (!quiet)
      printf("%s\n%s\nSubmit both with: sh %s\n", slurm, submit, submit);
    return TH_EXIT_OK;
  }

  ThSweepOptions o = {.jobs = th_cli_threads(jobs), .shard_i = si, .shard_n = sn};
  /* parallel runs share the cores rather than each taking all of them */
  o.run_threads = run_threads > 0 ? run_threads : MAX(1, th_cli_threads(0) / o.jobs);
  gboolean tty = isatty(fileno(stderr));
  o.progress = !quiet && !no_progress && tty;
  o.verbose = !quiet && !o.progress;
  ThSweepStats st;
  if (!th_sweep_execute(sweep, dir, &o, &st, &error)) return th_cli_fail("sweep", error);
  if (!quiet)
    fprintf(stderr, "sweep %s%s%s: %u runs, %u already done, %u completed now, %u failed\n",
            sweep->name, sn ? " shard " : "", sn ? shard : "", st.planned, st.skipped,
            st.completed, st.failed);
  int status = TH_EXIT_OK;
  if (!sn) status = merge_and_report("sweep", dir, quiet);
  if (st.failed > 0) {
    fprintf(stderr,
            "taihang sweep: %u run%s failed (reasons in %s/failed/); run the same command again "
            "to retry them\n",
            st.failed, st.failed == 1 ? "" : "s", dir);
    status = TH_EXIT_FAILURE;
  }
  return status;
}

int th_cmd_sweep_merge(int argc, char **argv) {
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print nothing but errors", NULL}, {NULL}};
  if (!th_cli_parse("sweep-merge", "DIR",
                    "Builds DIR/travel_times.csv and DIR/summary.csv from the run folders of a "
                    "sweep (after its shards ran, e.g. on a Slurm cluster). Exit status 1 when "
                    "planned runs are missing.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage("sweep-merge", "expected one sweep folder");
  g_autofree char *dir = g_canonicalize_filename(argv[1], NULL);
  return merge_and_report("sweep-merge", dir, quiet);
}

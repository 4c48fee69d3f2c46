/* slurm.h: Slurm batch scripts for a sweep that outgrows one machine.
 *
 * A sweep becomes an array job with one task per shard (each task runs
 * `taihang sweep SWEEP --out DIR --shard I/N` on the CPUs Slurm gives it) and
 * a merge job (`taihang sweep-merge DIR`) that starts only when every task
 * succeeded (`sbatch --dependency=afterok:ARRAY_JOB_ID`). A small submit
 * script submits both in that order. DIR must be on a file system shared by
 * the nodes, and the taihang binary must be at the same path on every node. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int shards;            /* array tasks (>= 1) */
  int cpus_per_task;     /* CPUs per task, also the task's --jobs (>= 1) */
  const char *partition; /* NULL: the cluster's default */
  const char *time;      /* per task time limit (sbatch --time), NULL: none */
  const char *mem;       /* per task memory (sbatch --mem), NULL: none */
  char **extra;          /* further sbatch options ("--account=x"), NULL-terminated, or NULL */
} ThSlurmOptions;

/* Writes the array job SCRIPT (e.g. "sweep.sbatch"), its merge job
 * "SCRIPT-STEM-merge.sbatch" and "SCRIPT-STEM-submit.sh" beside it (STEM is
 * SCRIPT without ".sbatch"), all atomically, and creates DIR/slurm/ for the
 * jobs' logs (Slurm does not create the folders of --output). TAIHANG, SWEEP
 * and DIR are absolute paths. NAME names the jobs. If SUBMIT_PATH is not NULL
 * it receives the submit script's path. TH_ERROR_IO when a file cannot be
 * written. */
gboolean th_slurm_emit(const char *script, const char *taihang, const char *sweep,
                       const char *dir, const char *name, const ThSlurmOptions *options,
                       char **submit_path, GError **error);

G_END_DECLS

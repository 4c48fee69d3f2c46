/* slurm.c: writes a sweep's Slurm array job, merge job and submit script (see slurm.h). */
#include "scenarios/slurm.h"
#include "network/th-error.h"
#include "network/atomic.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* Job names and log names stay to characters every shell and Slurm accept. */
static char *job_name(const char *name) {
  char *n = g_strdup_printf("taihang-%s", name);
  for (char *p = n; *p; p++)
    if (!(g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.')) *p = '_';
  return n;
}

static void common_header(GString *t, const char *jname, const ThSlurmOptions *o) {
  g_string_append_printf(t, "#SBATCH --job-name=%s\n", jname);
  g_string_append_printf(t, "#SBATCH --ntasks=1\n");
  if (o->partition && *o->partition) g_string_append_printf(t, "#SBATCH --partition=%s\n", o->partition);
  if (o->time && *o->time) g_string_append_printf(t, "#SBATCH --time=%s\n", o->time);
  for (char **e = o->extra; e && *e; e++) g_string_append_printf(t, "#SBATCH %s\n", *e);
}

gboolean th_slurm_emit(const char *script, const char *taihang, const char *sweep,
                       const char *dir, const char *name, const ThSlurmOptions *o,
                       char **submit_path, GError **error) {
  g_autofree char *abs_script = g_canonicalize_filename(script, NULL);
  g_autofree char *stem = g_str_has_suffix(abs_script, ".sbatch")
                              ? g_strndup(abs_script, strlen(abs_script) - 7)
                              : g_strdup(abs_script);
  g_autofree char *merge = g_strconcat(stem, "-merge.sbatch", NULL);
  g_autofree char *submit = g_strconcat(stem, "-submit.sh", NULL);
  g_autofree char *logs = g_build_filename(dir, "slurm", NULL);
  if (g_mkdir_with_parents(logs, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create folder (%s)", logs,
                g_strerror(errno));
    return FALSE;
  }
  g_autofree char *jname = job_name(name);
  g_autofree char *q_taihang = g_shell_quote(taihang);
  g_autofree char *q_sweep = g_shell_quote(sweep);
  g_autofree char *q_dir = g_shell_quote(dir);
  g_autofree char *mem = o->mem && *o->mem ? g_strdup_printf("#SBATCH --mem=%s\n", o->mem)
                                           : g_strdup("");

  GString *a = g_string_new("#!/bin/bash\n");
  g_string_append_printf(a,
                         "# Slurm array job written by `taihang sweep --emit-slurm`: sweep %s as "
                         "%d shards.\n"
                         "# Submit it with %s (this job, then the merge job after it), or by "
                         "hand:\n#   sbatch %s\n",
                         name, o->shards, submit, abs_script);
  common_header(a, jname, o);
  g_string_append_printf(a, "#SBATCH --array=1-%d\n#SBATCH --cpus-per-task=%d\n%s", o->shards,
                         o->cpus_per_task, mem);
  g_string_append_printf(a, "#SBATCH --output=%s/%%x-%%A_%%a.out\n", logs);
  g_string_append_printf(
      a,
      "set -euo pipefail\n"
      "# Array task ids are the shard numbers 1..%d (shards are 1-based; an array written\n"
      "# 0-%d would need $((SLURM_ARRAY_TASK_ID + 1))). The shard count is fixed here, not\n"
      "# taken from SLURM_ARRAY_TASK_COUNT, so that resubmitting some tasks only\n"
      "# (sbatch --array=3,7 this-file) still runs shards 3 and 7 of %d.\n"
      "shards=%d\n"
      "exec %s sweep %s --out %s \\\n"
      "  --shard \"$SLURM_ARRAY_TASK_ID/$shards\" --jobs \"${SLURM_CPUS_PER_TASK:-%d}\" "
      "--run-threads 1\n",
      o->shards, o->shards - 1, o->shards, o->shards, q_taihang, q_sweep, q_dir,
      o->cpus_per_task);

  GString *m = g_string_new("#!/bin/bash\n");
  g_string_append_printf(m,
                         "# Slurm job written by `taihang sweep --emit-slurm`: merges the shards "
                         "of sweep %s\n# into travel_times.csv and summary.csv once every "
                         "array task succeeded.\n",
                         name);
  g_autofree char *mname = g_strconcat(jname, "-merge", NULL);
  common_header(m, mname, o);
  g_string_append_printf(m, "#SBATCH --cpus-per-task=1\n#SBATCH --output=%s/%%x-%%j.out\n", logs);
  g_string_append_printf(m, "set -euo pipefail\nexec %s sweep-merge %s\n", q_taihang, q_dir);

  g_autofree char *q_array = g_shell_quote(abs_script);
  g_autofree char *q_merge = g_shell_quote(merge);
  GString *s = g_string_new("#!/bin/sh\n");
  g_string_append_printf(
      s,
      "# Written by `taihang sweep --emit-slurm`: submits the array job of sweep %s and a\n"
      "# merge job that runs when all its tasks succeeded (afterok). Prints both job ids.\n"
      "set -eu\n"
      "array=$(sbatch --parsable %s)\n"
      "array=${array%%%%;*}   # --parsable prints JOBID or JOBID;CLUSTER\n"
      "merge=$(sbatch --parsable --dependency=afterok:\"$array\" %s)\n"
      "merge=${merge%%%%;*}\n"
      "echo \"$array $merge\"\n"
      "echo \"submitted array job $array (%d shards) and merge job $merge; tables in \"%s >&2\n",
      name, q_array, q_merge, o->shards, q_dir);

  gboolean ok = th_atomic_write(abs_script, a->str, a->len, error) &&
                th_atomic_write(merge, m->str, m->len, error) &&
                th_atomic_write(submit, s->str, s->len, error);
  g_string_free(a, TRUE);
  g_string_free(m, TRUE);
  g_string_free(s, TRUE);
  if (ok) {
    g_chmod(abs_script, 0755);
    g_chmod(merge, 0755);
    g_chmod(submit, 0755);
    if (submit_path) *submit_path = g_strdup(submit);
  }
  return ok;
}

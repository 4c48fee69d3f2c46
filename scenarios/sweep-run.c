/* sweep-run.c: the sweep's job runner and the merge of its tables (see sweep-run.h). */
#include "scenarios/sweep-run.h"
#include "network/csv.h"
#include "network/stale.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- small helpers ---- */


/* Flushes every file of a results folder to disk before it is renamed into
 * place, so that after a power cut a run folder is either complete or absent
 * (a rename can reach the disk before the data it names). */
static void fsync_path(const char *path) {
  int fd = g_open(path, O_RDONLY, 0);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
}

static void fsync_tree(const char *path) {
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
      const char *n;
      while ((n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(path, n, NULL);
        fsync_tree(p);
      }
      g_dir_close(d);
    }
  }
  fsync_path(path);
}

static gboolean mkdirs(const char *dir, GError **error) {
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create folder (%s)", dir,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

/* ---- the plan ---- */

gboolean th_sweep_prepare(const ThSweep *s, const char *dir, GError **error) {
  g_autofree char *runs = g_build_filename(dir, "runs", NULL);
  g_autofree char *failed = g_build_filename(dir, "failed", NULL);
  if (!mkdirs(runs, error) || !mkdirs(failed, error)) return FALSE;
  GString *t = g_string_new("run_id");
  for (guint c = 0; c < s->columns->len; c++) {
    g_string_append_c(t, ',');
    th_csv_append_field(t, s->columns->pdata[c]);
  }
  g_string_append_c(t, '\n');
  for (guint r = 0; r < s->runs->len; r++) {
    ThSweepRun *run = s->runs->pdata[r];
    g_string_append(t, run->id);
    for (guint c = 0; c < run->values->len; c++) {
      g_string_append_c(t, ',');
      th_csv_append_field(t, run->values->pdata[c]);
    }
    g_string_append_c(t, '\n');
  }
  g_autofree char *plan = g_build_filename(dir, "runs.csv", NULL);
  gboolean ok = th_atomic_write(plan, t->str, t->len, error);
  g_string_free(t, TRUE);
  return ok;
}

/* ---- the runner ---- */

typedef struct {
  const ThSweep *sweep;
  const char *dir;
  const ThSweepOptions *opt;
  ThSweepStats *st;
  GPtrArray *queue; /* ThSweepRun * (borrowed) still to start */
  guint next;
  guint running;
  char **runner; /* argv prefix */
  char host[256];
  GMainLoop *loop;
  gint64 t0;
  guint finished; /* completed + failed in this call */
  GError *fatal;
  ThProgress *bar; /* the progress bar (output/progress.h); inactive without --progress */
} Ctx;

typedef struct {
  Ctx *ctx;
  const ThSweepRun *run;
  char *tmp;
  char *scenario; /* its text */
  gint64 started;
} Job;

static void job_free(Job *j) {
  g_free(j->tmp);
  g_free(j->scenario);
  g_free(j);
}

static char **runner_argv(GError **error) {
  const char *env = g_getenv("TH_SWEEP_RUNNER");
  if (env && *env) {
    char **argv = NULL;
    if (!g_shell_parse_argv(env, NULL, &argv, error)) return NULL;
    return argv;
  }
  g_autofree char *self = g_file_read_link("/proc/self/exe", error);
  if (!self) return NULL;
  char **argv = g_new0(char *, 3);
  argv[0] = g_steal_pointer(&self);
  argv[1] = g_strdup("run");
  return argv;
}

static void format_duration(char *buf, gsize n, double s) {
  if (s < 0) s = 0;
  long t = (long)(s + 0.5);
  if (t >= 3600)
    g_snprintf(buf, n, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else
    g_snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
}

static void draw_bar(Ctx *c) {
  ThSweepStats *st = c->st;
  guint done = st->skipped + st->completed;
  guint total = st->planned;
  guint width = 24, fill = total ? (done + st->failed) * width / total : width;
  char bar[32];
  for (guint i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
  bar[width] = 0;
  char eta[32] = "--";
  double el = (double)(g_get_monotonic_time() - c->t0) / 1e6;
  guint left = total - done - st->failed;
  if (c->finished > 0) format_duration(eta, sizeof eta, el / c->finished * left);
  th_progress_show(c->bar, "[%s] %u/%u done, %u running, %u failed, ETA %s", bar, done, total,
                   c->running, st->failed, left == 0 ? "0m00s" : eta);
}

static gboolean on_tick(gpointer data) {
  draw_bar(data);
  return G_SOURCE_CONTINUE;
}

/* A message above the progress bar. */
static void say(Ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void say(Ctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *m = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  th_progress_clear(c->bar);
  fprintf(stderr, "%s\n", m);
  if (c->opt->progress) draw_bar(c);
}

static void record_failure(Ctx *c, Job *j, const char *why) {
  g_autofree char *errp = g_build_filename(j->tmp, "stderr.txt", NULL);
  g_autofree char *err = NULL;
  if (!g_file_get_contents(errp, &err, NULL, NULL)) err = g_strdup("");
  /* keep the scenario as failed/ID.ini and point the run's FILE:LINE messages
   * at it: the temporary folder they name is about to go */
  g_autofree char *ini_name = g_strconcat(j->run->id, ".ini", NULL);
  g_autofree char *ini = g_build_filename(c->dir, "failed", ini_name, NULL);
  g_autofree char *tmp_ini = g_build_filename(j->tmp, "scenario.ini", NULL);
  g_autoptr(GError) ie = NULL;
  if (th_atomic_write(ini, j->scenario, strlen(j->scenario), &ie)) {
    g_auto(GStrv) parts = g_strsplit(err, tmp_ini, -1);
    g_free(err);
    err = g_strjoinv(ini, parts);
  }
  GString *t = g_string_new(NULL);
  g_string_append_printf(t, "run %s failed: %s\nparameters:\n%s\nscenario:\n%s\nstderr:\n%s",
                         j->run->id, why, j->run->canonical, j->scenario, err);
  if (t->len && t->str[t->len - 1] != '\n') g_string_append_c(t, '\n');
  g_autofree char *name = g_strconcat(j->run->id, ".txt", NULL);
  g_autofree char *path = g_build_filename(c->dir, "failed", name, NULL);
  g_autoptr(GError) e = NULL;
  if (!th_atomic_write(path, t->str, t->len, &e)) say(c, "taihang sweep: %s", e->message);
  g_string_free(t, TRUE);
  /* the first line of the run's own message tells the planner what to fix */
  g_strchomp(err);
  char *nl = strchr(err, '\n');
  if (nl) *nl = 0;
  c->st->failed++;
  say(c, "run %s failed (%s)%s%s; see %s", j->run->id, why, *err ? ": " : "", err, path);
}

static void finish_success(Ctx *c, Job *j) {
  g_autofree char *out = g_build_filename(j->tmp, "out", NULL);
  if (!g_file_test(out, G_FILE_TEST_IS_DIR)) {
    record_failure(c, j, "exit status 0 but no results folder");
    return;
  }
  g_autofree char *sc_from = g_build_filename(j->tmp, "scenario.ini", NULL);
  g_autofree char *sc_to = g_build_filename(out, "scenario.ini", NULL);
  g_autofree char *dest = g_build_filename(c->dir, "runs", j->run->id, NULL);
  g_rename(sc_from, sc_to);
  fsync_tree(out);
  if (g_rename(out, dest) != 0) {
    int err = errno;
    if (!g_file_test(dest, G_FILE_TEST_IS_DIR)) {
      g_autofree char *why = g_strdup_printf("cannot move the results into %s: %s", dest,
                                             g_strerror(err));
      record_failure(c, j, why);
      return;
    }
    /* another process (an overlapping shard) finished it first: keep theirs */
  }
  g_autofree char *runs = g_build_filename(c->dir, "runs", NULL);
  fsync_path(runs); /* the new entry of runs/ (not the runs below it: O(n) per run) */
  g_autofree char *name = g_strconcat(j->run->id, ".txt", NULL);
  g_autofree char *failed = g_build_filename(c->dir, "failed", name, NULL);
  g_unlink(failed);
  g_autofree char *ini_name = g_strconcat(j->run->id, ".ini", NULL);
  g_autofree char *failed_ini = g_build_filename(c->dir, "failed", ini_name, NULL);
  g_unlink(failed_ini);
  c->st->completed++;
  if (c->opt->verbose) {
    double took = (double)(g_get_monotonic_time() - j->started) / 1e6;
    say(c, "run %s done in %.1f s (%u/%u)", j->run->id, took, c->st->skipped + c->st->completed,
        c->st->planned);
  }
}

static void start_next(Ctx *c);

static void on_run_exit(GPid pid, gint status, gpointer data) {
  Job *j = data;
  Ctx *c = j->ctx;
  g_spawn_close_pid(pid);
  c->running--;
  c->finished++;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    finish_success(c, j);
  } else {
    g_autofree char *why = WIFEXITED(status)
                               ? g_strdup_printf("exit status %d", WEXITSTATUS(status))
                               : g_strdup_printf("killed by signal %d (%s)", WTERMSIG(status),
                                                 g_strsignal(WTERMSIG(status)));
    record_failure(c, j, why);
  }
  th_rmtree(j->tmp);
  job_free(j);
  start_next(c);
  if (c->running == 0 && (c->next >= c->queue->len || c->fatal)) g_main_loop_quit(c->loop);
}

/* In the child, before exec: a run whose sweep is killed (even by SIGKILL,
 * which the sweep cannot catch) gets SIGTERM from the kernel, instead of
 * running on unsupervised; its results folder is never swapped in
 * (output/results-dir.h) and the next sweep removes its temporaries. */
static void die_with_parent(gpointer parent_pid) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != (pid_t)GPOINTER_TO_INT(parent_pid)) _exit(127); /* already gone */
}

static gboolean start_one(Ctx *c, const ThSweepRun *run, GError **error) {
  Job *j = g_new0(Job, 1);
  j->ctx = c;
  j->run = run;
  g_autofree char *name = g_strdup_printf("%s@%d@%s", c->host, (int)getpid(), run->id);
  j->tmp = g_build_filename(c->dir, ".tmp", name, NULL);
  th_rmtree(j->tmp);
  if (!mkdirs(j->tmp, error)) {
    job_free(j);
    return FALSE;
  }
  j->scenario = th_sweep_run_scenario(c->sweep, run, c->opt->run_threads);
  g_autofree char *sc = g_build_filename(j->tmp, "scenario.ini", NULL);
  g_autofree char *out = g_build_filename(j->tmp, "out", NULL);
  g_autofree char *outp = g_build_filename(j->tmp, "stdout.txt", NULL);
  g_autofree char *errp = g_build_filename(j->tmp, "stderr.txt", NULL);
  if (!th_atomic_write(sc, j->scenario, strlen(j->scenario), error)) {
    th_rmtree(j->tmp);
    job_free(j);
    return FALSE;
  }
  GPtrArray *argv = g_ptr_array_new();
  for (char **a = c->runner; *a; a++) g_ptr_array_add(argv, *a);
  g_ptr_array_add(argv, sc);
  g_ptr_array_add(argv, "--out");
  g_ptr_array_add(argv, out);
  g_ptr_array_add(argv, NULL);
  int ofd = g_open(outp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int efd = g_open(errp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  GPid pid = 0;
  gboolean ok = ofd >= 0 && efd >= 0 &&
                g_spawn_async_with_fds(NULL, (char **)argv->pdata, NULL,
                                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                       die_with_parent, GINT_TO_POINTER((int)getpid()), &pid, -1,
                                       ofd, efd, error);
  if (ofd < 0 || efd < 0)
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the run's log files (%s)",
                j->tmp, g_strerror(errno));
  if (ofd >= 0) close(ofd);
  if (efd >= 0) close(efd);
  g_ptr_array_free(argv, TRUE);
  if (!ok) {
    th_rmtree(j->tmp);
    job_free(j);
    return FALSE;
  }
  j->started = g_get_monotonic_time();
  c->running++;
  g_child_watch_add(pid, on_run_exit, j);
  return TRUE;
}

static void start_next(Ctx *c) {
  while (!c->fatal && c->running < (guint)c->opt->jobs && c->next < c->queue->len) {
    const ThSweepRun *run = c->queue->pdata[c->next++];
    if (!start_one(c, run, &c->fatal)) break;
  }
}

/* Removes DIR/.tmp/HOST@PID@ID folders of this host whose process is gone:
 * the leftovers of an interrupted sweep. Folders of other hosts (shards on a
 * cluster sharing DIR) are left alone, as their processes cannot be asked. */
static void clean_stale(Ctx *c) {
  g_autofree char *tmp = g_build_filename(c->dir, ".tmp", NULL);
  GDir *d = g_dir_open(tmp, 0, NULL);
  if (!d) return;
  const char *n;
  while ((n = g_dir_read_name(d))) {
    g_auto(GStrv) parts = g_strsplit(n, "@", 3);
    if (g_strv_length(parts) != 3 || strcmp(parts[0], c->host)) continue;
    gint64 pid = 0;
    if (!th_parse_int64(parts[1], &pid) || pid <= 0) continue;
    if (pid != getpid() && kill((pid_t)pid, 0) == 0) continue; /* still running elsewhere */
    g_autofree char *p = g_build_filename(tmp, n, NULL);
    th_rmtree(p);
  }
  g_dir_close(d);
}

gboolean th_sweep_execute(const ThSweep *s, const char *dir, const ThSweepOptions *o,
                          ThSweepStats *st, GError **error) {
  memset(st, 0, sizeof *st);
  g_autoptr(ThProgress) bar = th_progress_new(!o->progress);
  Ctx c = {.sweep = s, .dir = dir, .opt = o, .st = st, .bar = bar};
  if (gethostname(c.host, sizeof c.host - 1) != 0) g_strlcpy(c.host, "localhost", sizeof c.host);
  g_strdelimit(c.host, "@/", '_');
  c.runner = runner_argv(error);
  if (!c.runner) return FALSE;
  g_autoptr(GPtrArray) all =
      o->shard_n > 0 ? th_sweep_shard(s, o->shard_i, o->shard_n) : g_ptr_array_ref(s->runs);
  c.queue = g_ptr_array_new();
  for (guint i = 0; i < all->len; i++) {
    const ThSweepRun *r = all->pdata[i];
    g_autofree char *p = g_build_filename(dir, "runs", r->id, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      st->skipped++;
    else
      g_ptr_array_add(c.queue, (gpointer)r);
  }
  st->planned = all->len;
  clean_stale(&c);
  if (c.queue->len > 0) {
    c.loop = g_main_loop_new(NULL, FALSE);
    c.t0 = g_get_monotonic_time();
    guint tick = 0;
    if (o->progress) {
      draw_bar(&c);
      tick = g_timeout_add(500, on_tick, &c);
    }
    start_next(&c);
    if (c.running > 0) g_main_loop_run(c.loop);
    if (tick) g_source_remove(tick);
    if (o->progress) {
      draw_bar(&c);
      th_progress_keep(c.bar);
    }
    g_main_loop_unref(c.loop);
  }
  g_strfreev(c.runner);
  g_ptr_array_unref(c.queue);
  g_autofree char *tmp = g_build_filename(dir, ".tmp", NULL);
  g_rmdir(tmp); /* only when empty: other shards may be at work */
  if (c.fatal) {
    g_propagate_prefixed_error(error, c.fatal, "cannot start a run: ");
    return FALSE;
  }
  return TRUE;
}

/* ---- indicators ---- */

static const char *const indicator_names[] = {
    "trips", "arrived", "stuck", "unserved", "en_route", "mean_travel_time_min",
    "vehicle_km", "vehicle_hours", NULL};

const char *const *th_sweep_indicator_names(void) { return indicator_names; }

static gboolean trip_indicators(const char *run_dir, GPtrArray *v, GError **error) {
  g_autofree char *trips = g_build_filename(run_dir, "trips_out.csv", NULL);
  if (!g_file_test(trips, G_FILE_TEST_EXISTS)) {
    for (int k = 0; k < 6; k++) g_ptr_array_add(v, g_strdup(""));
    return TRUE;
  }
  g_autoptr(ThCsv) csv = th_csv_open(trips, error);
  if (!csv) return FALSE;
  int cs = th_csv_require(csv, "status", error);
  if (cs < 0) return FALSE;
  int ct = th_csv_column(csv, "travel_time_s");
  guint64 n = 0, by[4] = {0};
  double sum = 0;
  const char *names[4] = {"arrived", "stuck", "unserved", "en_route"};
  g_autoptr(GError) e = NULL;
  while (th_csv_next(csv, &e)) {
    n++;
    const char *s = th_csv_field(csv, cs);
    for (int k = 0; k < 4; k++)
      if (!strcmp(s, names[k])) by[k]++;
    double t;
    if (!strcmp(s, "arrived") && ct >= 0 && th_parse_double(th_csv_field(csv, ct), &t)) sum += t;
  }
  if (e) {
    g_propagate_error(error, g_steal_pointer(&e));
    return FALSE;
  }
  g_ptr_array_add(v, g_strdup_printf("%" G_GUINT64_FORMAT, n));
  for (int k = 0; k < 4; k++) g_ptr_array_add(v, g_strdup_printf("%" G_GUINT64_FORMAT, by[k]));
  g_ptr_array_add(v, by[0] ? g_strdup_printf("%.3f", sum / (double)by[0] / 60.0) : g_strdup(""));
  return TRUE;
}

static gboolean flow_indicators(const char *run_dir, GPtrArray *v, GError **error) {
  g_autofree char *flows = g_build_filename(run_dir, "link_flows.csv", NULL);
  g_autofree char *links = g_build_filename(run_dir, "network", "link.csv", NULL);
  if (!g_file_test(flows, G_FILE_TEST_EXISTS)) {
    g_ptr_array_add(v, g_strdup(""));
    g_ptr_array_add(v, g_strdup(""));
    return TRUE;
  }
  /* vehicle-km needs each link's length, from the network the run used */
  g_autoptr(GHashTable) len_km = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) e = NULL;
  if (g_file_test(links, G_FILE_TEST_EXISTS)) {
    g_autoptr(ThCsv) lc = th_csv_open(links, error);
    if (!lc) return FALSE;
    int ci = th_csv_column(lc, "link_id"), cl = th_csv_column(lc, "length");
    while (ci >= 0 && cl >= 0 && th_csv_next(lc, &e)) {
      double l;
      if (th_parse_double(th_csv_field(lc, cl), &l))
        g_hash_table_insert(len_km, g_strdup(th_csv_field(lc, ci)), g_memdup2(&l, sizeof l));
    }
    if (e) {
      g_propagate_error(error, g_steal_pointer(&e));
      return FALSE;
    }
  }
  g_autoptr(ThCsv) fc = th_csv_open(flows, error);
  if (!fc) return FALSE;
  int ci = th_csv_column(fc, "link_id"), cv = th_csv_column(fc, "vehicles"),
      ct = th_csv_column(fc, "mean_travel_time_s");
  double vkt = 0, vht = 0;
  while (th_csv_next(fc, &e)) {
    double veh, t;
    if (!th_parse_double(th_csv_field(fc, cv), &veh)) continue;
    double *l = g_hash_table_lookup(len_km, th_csv_field(fc, ci));
    if (l) vkt += veh * *l;
    if (th_parse_double(th_csv_field(fc, ct), &t)) vht += veh * t / 3600.0;
  }
  if (e) {
    g_propagate_error(error, g_steal_pointer(&e));
    return FALSE;
  }
  g_ptr_array_add(v, g_hash_table_size(len_km) ? g_strdup_printf("%.3f", vkt) : g_strdup(""));
  g_ptr_array_add(v, g_strdup_printf("%.3f", vht));
  return TRUE;
}

GPtrArray *th_sweep_indicators(const char *run_dir, GError **error) {
  GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
  if (!trip_indicators(run_dir, v, error) || !flow_indicators(run_dir, v, error)) {
    g_ptr_array_unref(v);
    return NULL;
  }
  return v;
}

/* The indicators of compare, when `taihang run` wrote them into the results
 * folder (indicators.csv: a header and one row). COLS: the columns to pick, by
 * name; NULL fills *COLS_OUT from the file's header. Missing file: NULL, no error. */
static GPtrArray *read_indicator_row(const char *run_dir, char ***cols_out, GError **error) {
  g_autofree char *path = g_build_filename(run_dir, "indicators.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) return NULL;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  if (!*cols_out) {
    /* the run id and the sweep's parameters already say which run it is */
    static const char *const skip[] = {"scenario", "name", "description", NULL};
    int n = th_csv_n_columns(csv), m = 0;
    *cols_out = g_new0(char *, n + 1);
    for (int k = 0; k < n; k++)
      if (!g_strv_contains(skip, th_csv_column_name(csv, k)))
        (*cols_out)[m++] = g_strdup(th_csv_column_name(csv, k));
  }
  g_autoptr(GError) e = NULL;
  gboolean row = th_csv_next(csv, &e);
  if (e) {
    g_propagate_error(error, g_steal_pointer(&e));
    return NULL;
  }
  GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
  for (char **c = *cols_out; *c; c++)
    g_ptr_array_add(v, g_strdup(row ? th_csv_field(csv, th_csv_column(csv, *c)) : ""));
  return v;
}

/* ---- merge ---- */

static int cmp_rows(gconstpointer a, gconstpointer b) {
  return strcmp((*(char **const *)a)[0], (*(char **const *)b)[0]);
}

/* A sweep folder being merged: the plan's rows (sorted by id), the
 * columns of the two tables and the streams they are written to. */
typedef struct {
  const char *dir;
  ThCsv *plan;     /* runs.csv, for its column names */
  int ncols;       /* of the plan */
  GPtrArray *rows; /* char **, ncols fields each */
  char **od_cols;  /* travel_times.csv's columns after the plan's */
  guint nc;
  char **ind_cols; /* summary.csv's: indicators.csv's, or NULL: indicator_names */
  FILE *ttout, *smout;
} Merge;

/* The rows of the plan (runs.csv, opened as M->plan), sorted by id so the
 * order never depends on the file. */
static gboolean merge_read_plan(Merge *m, const char *plan, GError **error) {
  if (!g_file_test(plan, G_FILE_TEST_EXISTS)) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "%s: no such file (expected a sweep folder made by taihang sweep)", plan);
    return FALSE;
  }
  m->plan = th_csv_open(plan, error);
  if (!m->plan) return FALSE;
  if (th_csv_column(m->plan, "run_id") != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:1: run_id is not the first column (expected the plan written by taihang "
                "sweep)",
                plan);
    return FALSE;
  }
  m->ncols = th_csv_n_columns(m->plan);
  GError *e = NULL;
  while (th_csv_next(m->plan, &e)) {
    char **r = g_new0(char *, m->ncols + 1);
    for (int k = 0; k < m->ncols; k++) r[k] = g_strdup(th_csv_field(m->plan, k));
    g_ptr_array_add(m->rows, r);
  }
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  g_ptr_array_sort(m->rows, cmp_rows);
  return TRUE;
}

/* The columns of both tables. The table's od columns are those of the
 * first run that has a table; later runs are matched by name. Known before
 * any row is written, so that the table streams to disk (a big sweep's
 * table does not fit in memory). The indicators: compare's when the runs
 * carry them (indicators.csv), else those this file computes. */
static gboolean merge_columns(Merge *m, GError **error) {
  for (guint r = 0; r < m->rows->len && !m->od_cols; r++) {
    g_autofree char *od =
        g_build_filename(m->dir, "runs", ((char **)m->rows->pdata[r])[0], "od_times.csv", NULL);
    if (!g_file_test(od, G_FILE_TEST_EXISTS)) continue;
    g_autoptr(ThCsv) oc = th_csv_open(od, error);
    if (!oc) return FALSE;
    int n = th_csv_n_columns(oc);
    m->od_cols = g_new0(char *, n + 1);
    for (int k = 0; k < n; k++) m->od_cols[k] = g_strdup(th_csv_column_name(oc, k));
  }
  if (!m->od_cols)
    m->od_cols = g_strsplit("origin,destination,class,mode,period,trips,time_min,distance_km,cost",
                            ",", -1);
  m->nc = g_strv_length(m->od_cols);
  for (guint r = 0; r < m->rows->len && !m->ind_cols; r++) {
    g_autofree char *rd = g_build_filename(m->dir, "runs", ((char **)m->rows->pdata[r])[0], NULL);
    g_autoptr(GError) pe = NULL;
    g_autoptr(GPtrArray) probe = read_indicator_row(rd, &m->ind_cols, &pe);
    if (pe) {
      g_propagate_error(error, g_steal_pointer(&pe));
      return FALSE;
    }
  }
  return TRUE;
}

/* The header lines: the plan's columns, then the indicators (summary.csv)
 * or the od columns (travel_times.csv). */
static void merge_headers(const Merge *m) {
  GString *head = g_string_new("run_id");
  for (int k = 1; k < m->ncols; k++) {
    g_string_append_c(head, ',');
    th_csv_append_field(head, th_csv_column_name(m->plan, k));
  }
  fputs(head->str, m->smout);
  for (const char *const *n = m->ind_cols ? (const char *const *)m->ind_cols : indicator_names; *n;
       n++) {
    fputc(',', m->smout);
    g_autoptr(GString) f = g_string_new(NULL);
    th_csv_append_field(f, *n);
    fputs(f->str, m->smout);
  }
  fputc('\n', m->smout);
  for (guint k = 0; k < m->nc; k++) {
    g_string_append_c(head, ',');
    th_csv_append_field(head, m->od_cols[k]);
  }
  g_string_append_c(head, '\n');
  fputs(head->str, m->ttout);
  g_string_free(head, TRUE);
}

/* The lines of the run of plan row ROW, whose folder RD exists: its
 * indicators (summary.csv) and its od_times.csv rows (travel_times.csv),
 * each after the plan's fields. LINE, PRE and MAP are scratch. */
static gboolean merge_run(const Merge *m, char **row, const char *rd, GString *line, GString *pre,
                          int *map, GError **error) {
  g_string_truncate(pre, 0);
  for (int k = 0; k < m->ncols; k++) {
    if (k) g_string_append_c(pre, ',');
    th_csv_append_field(pre, row[k]);
  }
  g_autoptr(GError) ie = NULL;
  char **ind_cols = m->ind_cols;
  g_autoptr(GPtrArray) ind =
      ind_cols ? read_indicator_row(rd, &ind_cols, &ie) : th_sweep_indicators(rd, &ie);
  if (!ind && ind_cols && !ie) { /* this run has none: empty cells */
    ind = g_ptr_array_new_with_free_func(g_free);
    for (char **c = ind_cols; *c; c++) g_ptr_array_add(ind, g_strdup(""));
  }
  if (!ind) {
    g_propagate_error(error, g_steal_pointer(&ie));
    return FALSE;
  }
  g_string_assign(line, pre->str);
  for (guint k = 0; k < ind->len; k++) {
    g_string_append_c(line, ',');
    th_csv_append_field(line, ind->pdata[k]);
  }
  g_string_append_c(line, '\n');
  fwrite(line->str, 1, line->len, m->smout);
  g_autofree char *od = g_build_filename(rd, "od_times.csv", NULL);
  if (!g_file_test(od, G_FILE_TEST_EXISTS)) return TRUE;
  g_autoptr(ThCsv) oc = th_csv_open(od, error);
  if (!oc) return FALSE;
  for (guint k = 0; k < m->nc; k++) map[k] = th_csv_column(oc, m->od_cols[k]);
  GError *e = NULL;
  while (th_csv_next(oc, &e)) {
    g_string_assign(line, pre->str);
    for (guint k = 0; k < m->nc; k++) {
      g_string_append_c(line, ',');
      th_csv_append_field(line, th_csv_field(oc, map[k]));
    }
    g_string_append_c(line, '\n');
    fwrite(line->str, 1, line->len, m->ttout);
  }
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  return TRUE;
}

static void merge_clear(Merge *m) {
  if (m->plan) th_csv_free(m->plan);
  g_ptr_array_unref(m->rows);
  g_strfreev(m->od_cols);
  g_strfreev(m->ind_cols);
}

gboolean th_sweep_merge(const char *dir, guint *missing, GError **error) {
  g_autofree char *plan = g_build_filename(dir, "runs.csv", NULL);
  Merge m = {.dir = dir, .rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev)};
  if (!merge_read_plan(&m, plan, error) || !merge_columns(&m, error)) {
    merge_clear(&m);
    return FALSE;
  }
  g_autofree char *ttp = g_build_filename(dir, "travel_times.csv", NULL);
  g_autofree char *smp = g_build_filename(dir, "summary.csv", NULL);
  g_autoptr(ThAtomicFile) ttf = th_atomic_open(ttp, error);
  g_autoptr(ThAtomicFile) smf = ttf ? th_atomic_open(smp, error) : NULL;
  if (!ttf || !smf) {
    merge_clear(&m);
    return FALSE;
  }
  m.ttout = th_atomic_stream(ttf);
  m.smout = th_atomic_stream(smf);
  merge_headers(&m);
  guint n_missing = 0;
  gboolean ok = TRUE;
  GString *line = g_string_new(NULL), *pre = g_string_new(NULL);
  g_autofree int *map = g_new(int, m.nc ? m.nc : 1);
  for (guint r = 0; r < m.rows->len && ok; r++) {
    char **row = m.rows->pdata[r];
    g_autofree char *rd = g_build_filename(dir, "runs", row[0], NULL);
    if (!g_file_test(rd, G_FILE_TEST_IS_DIR)) {
      n_missing++;
      continue;
    }
    ok = merge_run(&m, row, rd, line, pre, map, error);
  }
  g_string_free(line, TRUE);
  g_string_free(pre, TRUE);
  merge_clear(&m);
  if (ok)
    ok = th_atomic_commit(g_steal_pointer(&ttf), error) &&
         th_atomic_commit(g_steal_pointer(&smf), error);
  if (missing) *missing = n_missing;
  return ok;
}

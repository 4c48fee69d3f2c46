/* test_robust.c: issue 17's fault injection: results folders that are never
 * a mix of two runs (kill -9 at each rename, through TAIHANG_FAULT, see
 * network/stale.h), no leftovers after the next run, failures that say why
 * before any work, and sweep children that die with their sweep. */
#include "network/stale.h"
#include "tests/testutil.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The tiny network of test_scenarios: 3 towns in a line, one bus line. */
static const char *NODES =
    "node_id,name,x_coord,y_coord,node_type,zone_id,population,gdp\n"
    "1,A,112.0,35.0,town,1,1000,1\n"
    "2,B,112.1,35.0,town,2,2000,2\n"
    "3,C,112.2,35.0,town,3,3000,3\n";
static const char *LINKS =
    "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,lanes\n"
    "11,1,2,road;bus,10,60,1000,1\n"
    "12,2,1,road;bus,10,60,1000,1\n"
    "21,2,3,road;bus,10,60,1000,1\n"
    "22,3,2,road;bus,10,60,1000,1\n";
static const char *SERVICES =
    "line,name,mode,kind,stops,run_min,dwell_min,first_dep,last_dep,headway_min,capacity\n"
    "B1,bus A-C,bus,passenger,1;2;3,12;12,1,07:00,19:00,30,40\n";

typedef struct {
  char *dir, *tmp, *base, *trips, *out;
} Fx;

static void fx_setup(Fx *fx, gconstpointer data) {
  fx->dir = th_test_tmpdir();
  g_free(th_test_write(fx->dir, "net/node.csv", NODES));
  g_free(th_test_write(fx->dir, "net/link.csv", LINKS));
  g_free(th_test_write(fx->dir, "net/services.csv", SERVICES));
  g_free(th_test_write(fx->dir, "net/hubs.csv",
                       "node_id,name,kind,modes,transfer_min,handling_rate_tph,handling_cost_per_t,"
                       "dwell_limit_h\n2,B stop,station,road;bus,5,,,\n"));
  fx->base = th_test_write(fx->dir, "base.ini",
                           "[scenario]\nname = base\n[network]\ndir = net\n[sim]\nseed = 7\n"
                           "iterations = 2\n");
  fx->trips = th_test_write(fx->dir, "trips.csv",
                            "id,origin,destination,depart\n1,1,3,08:00:00\n2,3,1,08:10:00\n"
                            "3,2,3,09:00:00\n4,1,2,07:00:00\n");
  fx->out = g_build_filename(fx->dir, "res", "out", NULL);
  /* a private temporary folder: what runs leave there can be counted */
  fx->tmp = g_build_filename(fx->dir, "tmp", NULL);
  g_mkdir(fx->tmp, 0755);
  g_setenv("TMPDIR", fx->tmp, TRUE);
}

static void fx_teardown(Fx *fx, gconstpointer data) {
  g_unsetenv("TMPDIR");
  g_unsetenv("TAIHANG_FAULT");
  th_test_rmtree(fx->dir);
  g_free(fx->dir);
  g_free(fx->tmp);
  g_free(fx->base);
  g_free(fx->trips);
  g_free(fx->out);
}

static gint cmp_strp(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file under DIR (relative path -> contents), one text. */
static void snapshot_into(GString *s, const char *root, const char *rel) {
  g_autofree char *dir = g_build_filename(root, rel, NULL);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(d))) g_ptr_array_add(names, g_strdup(n));
  g_dir_close(d);
  g_ptr_array_sort(names, cmp_strp);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *r = *rel ? g_build_filename(rel, names->pdata[i], NULL) : g_strdup(names->pdata[i]);
    g_autofree char *p = g_build_filename(root, r, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_DIR)) {
      snapshot_into(s, root, r);
      continue;
    }
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(p, &text, &len, NULL));
    g_string_append_printf(s, "== %s (%" G_GSIZE_FORMAT " bytes)\n", r, len);
    g_string_append_len(s, text, (gssize)len);
  }
}

static char *snapshot(const char *dir) {
  GString *s = g_string_new(NULL);
  snapshot_into(s, dir, "");
  return g_string_free(s, FALSE);
}

/* Names in DIR that start with '.' (temporaries). */
static int count_hidden(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return 0;
  int n = 0;
  const char *name;
  while ((name = g_dir_read_name(d))) n += name[0] == '.';
  g_dir_close(d);
  return n;
}

static int run(Fx *fx, const char *seed, const char *fault) {
  if (fault)
    g_setenv("TAIHANG_FAULT", fault, TRUE);
  else
    g_unsetenv("TAIHANG_FAULT");
  g_autofree char *set = g_strconcat("sim.seed=", seed, NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = th_test_taihang(&so, &se, "run", fx->base, "--out", fx->out, "--trips", fx->trips,
                           "--set", set, "-q", NULL);
  g_unsetenv("TAIHANG_FAULT");
  if (!fault && st != 0) g_error("taihang run: exit %d\n%s%s", st, so, se);
  return st;
}

/* Defects 7 and 8: killed at each rename, the results folder is the earlier
 * run's, whole; the next run removes every temporary the killed ones left
 * (beside the folder, inside it, and in the system temporary folder). */
static void test_killed_runs(Fx *fx, gconstpointer data) {
  run(fx, "7", NULL);
  g_autofree char *first = snapshot(fx->out);
  g_assert_nonnull(strstr(first, "== run.ini"));
  g_assert_nonnull(strstr(first, "seed=7"));
  g_autofree char *parent = g_path_get_dirname(fx->out);
  const char *faults[] = {"atomic-rename:1", "atomic-rename:2", "atomic-rename:5",
                          "atomic-rename:9", "results-swap"};
  for (guint k = 0; k < G_N_ELEMENTS(faults); k++) {
    int st = run(fx, "8", faults[k]);
    g_assert_cmpint(st, ==, 128 + SIGKILL);
    g_autofree char *now = snapshot(fx->out);
    if (strcmp(now, first)) g_error("after a kill at %s the folder changed", faults[k]);
  }
  g_assert_cmpint(count_hidden(parent), >, 0); /* the killed runs' new folders */
  run(fx, "8", NULL);
  g_autofree char *second = snapshot(fx->out);
  g_assert_nonnull(strstr(second, "seed=8"));
  g_assert_cmpint(count_hidden(parent), ==, 0);
  g_assert_cmpint(count_hidden(fx->out), ==, 0);
  g_autofree char *net = g_build_filename(fx->out, "network", NULL);
  g_assert_cmpint(count_hidden(net), ==, 0);
  g_assert_cmpint(count_hidden(fx->tmp), ==, 0);
  /* and a plain rerun gives the same bytes */
  run(fx, "8", NULL);
  g_autofree char *third = snapshot(fx->out);
  g_assert_cmpstr(second, ==, third);
}

/* Defect 2 through the commands: --horizon, a scenario's [sim] horizon and
 * a service's departures reach th_parse_time; an overflowing time was read
 * as 00:59:44 or as a negative number. */
static void test_time_overflow_cli(Fx *fx, gconstpointer data) {
  g_autofree char *net = g_build_filename(fx->dir, "net", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = th_test_taihang(&so, &se, "run", net, "--trips", fx->trips, "--out", fx->out,
                           "--horizon", "5124095576030432:00", "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(se, "bad --horizon"));
  g_autofree char *h = th_test_write(fx->dir, "h.ini", "[scenario]\nbase = base.ini\n[sim]\nhorizon = 1e21\n");
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "check", h, NULL);
  g_assert_cmpint(st, ==, 2);
  g_autofree char *want = g_strdup_printf("%s:4: [sim] horizon = '1e21' is not a time", h);
  if (!strstr(so, want)) g_error("expected '%s' in %s", want, so);
  g_autofree char *svc = th_test_write(fx->dir, "svc.csv", "line,first_dep,action\nB1,5124095576030432:00,change\n");
  g_autofree char *d = th_test_write(fx->dir, "d.ini", "[scenario]\nbase = base.ini\n[network]\npatches = svc.csv\n");
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "check", d, NULL);
  g_assert_cmpint(st, ==, 2);
  g_autofree char *want2 = g_strdup_printf("%s:2:", svc);
  if (!strstr(so, want2) || !strstr(so, "first_dep")) g_error("expected '%s' and first_dep in %s", want2, so);
}

static int count_files(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return 0;
  int n = 0;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(dir, name, NULL);
    n += g_file_test(p, G_FILE_TEST_IS_DIR) ? count_files(p) : 1;
  }
  g_dir_close(d);
  return n;
}

/* Defect 8: network/services.csv was written twice. Every file is renamed
 * into place once: the renames of a run are the results folder's files
 * plus the scenario's tables written once more to build the network (as
 * many as network/ holds). With one rename more allowed the run completes;
 * with one fewer it is killed at its last. */
static void test_written_once(Fx *fx, gconstpointer data) {
  run(fx, "7", NULL);
  g_autofree char *net = g_build_filename(fx->out, "network", NULL);
  int renames = count_files(fx->out) + count_files(net);
  g_autofree char *services = g_build_filename(net, "services.csv", NULL);
  g_assert_true(g_file_test(services, G_FILE_TEST_EXISTS));
  g_autofree char *last = g_strdup_printf("atomic-rename:%d", renames);
  g_autofree char *beyond = g_strdup_printf("atomic-rename:%d", renames + 1);
  g_assert_cmpint(run(fx, "8", beyond), ==, 0);
  g_assert_cmpint(run(fx, "9", last), ==, 128 + SIGKILL);
}

/* Defect 8: a killed writer's `.NAME.tmp.HOST.PID.XXXXXX` goes when the same
 * file is next written; a live process's temporary stays. */
static void test_stale_files(Fx *fx, gconstpointer data) {
  /* a temporary of this (live) process and one of a process that is gone */
  g_autofree char *live = th_stale_template(fx->dir, "x.csv", "tmp");
  int fd = g_mkstemp(live);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  GPid pid;
  char *argv[] = {(char *)"true", NULL};
  g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                              NULL, NULL, &pid, NULL));
  int status;
  g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
  g_autofree char *tmpl = th_stale_template(fx->dir, "x.csv", "tmp");
  /* the same name with the dead child's pid */
  g_autofree char *mine = g_strdup_printf(".%ld.", (long)getpid());
  g_autofree char *theirs = g_strdup_printf(".%ld.", (long)pid);
  g_auto(GStrv) parts = g_strsplit(tmpl, mine, 2);
  g_autofree char *gone = g_strjoin(theirs, parts[0], parts[1], NULL);
  memcpy(gone + strlen(gone) - 6, "qwerty", 6);
  g_autofree char *gone_name = g_path_get_basename(gone);
  g_free(th_test_write(fx->dir, gone_name, "half"));
  g_assert_true(g_file_test(gone, G_FILE_TEST_EXISTS));
  g_assert_cmpint(th_stale_clean(fx->dir, "x.csv", "tmp"), ==, 1);
  g_assert_false(g_file_test(gone, G_FILE_TEST_EXISTS));
  g_assert_true(g_file_test(live, G_FILE_TEST_EXISTS));
}

/* Defect 9: an unwritable --out says why, before the work; a folder that is
 * not a results folder is never replaced. */
static void test_unwritable(Fx *fx, gconstpointer data) {
  g_autofree char *ro = g_build_filename(fx->dir, "ro", NULL);
  g_mkdir(ro, 0555);
  g_autofree char *out = g_build_filename(ro, "out", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = th_test_taihang(&so, &se, "run", fx->base, "--out", out, "--trips", fx->trips, "-q", NULL);
  if (getuid() != 0) { /* root writes anywhere */
    g_assert_cmpint(st, ==, 1);
    g_assert_nonnull(strstr(se, "Permission denied"));
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  }
  /* a file where the folder should be; a folder of other files */
  g_autofree char *file = th_test_write(fx->dir, "afile", "x");
  /* under a file (fails for root too): the reason is given */
  g_autofree char *under = g_build_filename(file, "out", NULL);
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "run", fx->base, "--out", under, "--trips", fx->trips, "-q", NULL);
  g_assert_cmpint(st, ==, 1);
  if (!strstr(se, "cannot create the results folder") || !strstr(se, "Not a directory"))
    g_error("no reason in: %s", se);
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "run", fx->base, "--out", file, "--trips", fx->trips, "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(se, "exists and is not a folder"));
  g_autofree char *keep = th_test_write(fx->dir, "mine/thesis.txt", "precious");
  g_autofree char *mine = g_path_get_dirname(keep);
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "run", fx->base, "--out", mine, "--trips", fx->trips, "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(se, "not a taihang results folder"));
  g_assert_true(g_file_test(keep, G_FILE_TEST_EXISTS));
  /* compare finds it before computing the scenarios */
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "compare", fx->base, fx->base, "--out", file, "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(se, "exists and is not a folder"));
}

/* Defect 9: a write that fails midway (here: a file-size limit, as a full
 * disk would) says which file and why, and the earlier results stay whole. */
static void test_write_failure(Fx *fx, gconstpointer data) {
  run(fx, "7", NULL);
  g_autofree char *first = snapshot(fx->out);
  const char *exe = g_getenv("TH_TAIHANG");
  g_autofree char *cmd = g_strdup_printf("trap '' XFSZ; ulimit -f 2; exec '%s' run '%s' --out '%s' "
                                         "--trips '%s' --set sim.seed=8 -q",
                                         exe, fx->base, fx->out, fx->trips);
  char *argv[] = {(char *)"sh", (char *)"-c", cmd, NULL};
  g_autofree char *so = NULL, *se = NULL;
  int status = 0;
  g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &so, &se, &status, NULL));
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 1);
  if (!strstr(se, "write failed (File too large)")) g_error("no reason in: %s", se);
  /* the message names the folder given, not the temporary beside it */
  if (!strstr(se, fx->out) || strstr(se, ".new.")) g_error("not the --out folder: %s", se);
  g_autofree char *now = snapshot(fx->out);
  g_assert_cmpstr(now, ==, first);
  g_autofree char *parent = g_path_get_dirname(fx->out);
  g_assert_cmpint(count_hidden(parent), ==, 0); /* the new folder went with the failure */
}

/* Defect 8: killing a sweep (SIGKILL, which it cannot catch) ends its runs. */
static void test_sweep_children(Fx *fx, gconstpointer data) {
  g_autofree char *pids = g_build_filename(fx->dir, "pids", NULL);
  g_autofree char *runner = g_strdup_printf("sh -c 'echo $$ >> %s; exec sleep 60' x", pids);
  g_setenv("TH_SWEEP_RUNNER", runner, TRUE);
  g_autofree char *sweep = th_test_write(fx->dir, "s.ini",
                                         "[sweep]\nbase = base.ini\n[parameters]\nsim.seed = 1, 2\n");
  g_autofree char *out = g_build_filename(fx->dir, "sweep-out", NULL);
  const char *exe = g_getenv("TH_TAIHANG");
  char *argv[] = {(char *)exe, (char *)"sweep", sweep, (char *)"--out", out, (char *)"--jobs",
                  (char *)"2", NULL};
  GPid parent;
  g_assert_true(g_spawn_async(NULL, argv, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                  G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, &parent, NULL));
  g_unsetenv("TH_SWEEP_RUNNER");
  /* wait for both runs to start */
  g_auto(GStrv) lines = NULL;
  for (int t = 0; t < 1000; t++) {
    g_autofree char *text = NULL;
    if (g_file_get_contents(pids, &text, NULL, NULL)) {
      g_strfreev(lines);
      lines = g_strsplit(g_strstrip(text), "\n", -1);
      if (g_strv_length(lines) == 2) break;
    }
    g_usleep(10000);
  }
  g_assert_cmpuint(g_strv_length(lines), ==, 2);
  kill(parent, SIGKILL);
  int status;
  waitpid(parent, &status, 0);
  for (int i = 0; i < 2; i++) {
    gint64 child = g_ascii_strtoll(lines[i], NULL, 10);
    gboolean gone = FALSE;
    for (int t = 0; t < 500 && !gone; t++) {
      /* gone, or a zombie waiting for whoever reaps orphans */
      g_autofree char *stat_path = g_strdup_printf("/proc/%" G_GINT64_FORMAT "/stat", child);
      g_autofree char *stat = NULL;
      if (!g_file_get_contents(stat_path, &stat, NULL, NULL)) gone = TRUE;
      else {
        const char *rp = strrchr(stat, ')');
        gone = rp && rp[1] == ' ' && rp[2] == 'Z';
      }
      if (!gone) g_usleep(10000);
    }
    if (!gone) {
      kill((pid_t)child, SIGKILL);
      g_error("run %" G_GINT64_FORMAT " outlived its sweep", child);
    }
  }
}

/* "One name, everywhere": compare names a scenario's folder, report line and
 * summary.csv row by its [scenario] name, as run.ini does (it used the file
 * stem); no description prints the name alone, not "name: ". */
static void test_compare_names(Fx *fx, gconstpointer data) {
  g_autofree char *other = th_test_write(fx->dir, "other-file.ini",
                                         "[scenario]\nname = 其他\nbase = base.ini\n[sim]\nseed = 9\n");
  g_autofree char *cmp = g_build_filename(fx->dir, "cmp", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = th_test_taihang(&so, &se, "compare", fx->base, other, "--out", cmp, "--to", "A", "-q", NULL);
  if (st != 0) g_error("compare: exit %d\n%s%s", st, so, se);
  g_autofree char *ini_path = g_build_filename(cmp, "其他", "run.ini", NULL);
  g_autofree char *ini = NULL;
  g_assert_true(g_file_get_contents(ini_path, &ini, NULL, NULL));
  g_assert_nonnull(strstr(ini, "scenario=其他"));
  g_autofree char *stem_dir = g_build_filename(cmp, "other-file", NULL);
  g_assert_false(g_file_test(stem_dir, G_FILE_TEST_EXISTS));
  g_autofree char *sum_path = g_build_filename(cmp, "summary.csv", NULL);
  g_autofree char *sum = NULL;
  g_assert_true(g_file_get_contents(sum_path, &sum, NULL, NULL));
  g_assert_nonnull(strstr(sum, "\n其他,其他,"));
  g_assert_nonnull(strstr(so, "\n其他\n"));
  g_assert_null(strstr(so, "其他: "));
  /* a name that cannot name a folder is refused at its line */
  g_autofree char *bad = th_test_write(fx->dir, "bad.ini", "[scenario]\nbase = base.ini\nname = a/b\n");
  g_free(so);
  g_free(se);
  st = th_test_taihang(&so, &se, "compare", fx->base, bad, "--out", cmp, "--to", "A", "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  g_autofree char *want = g_strdup_printf("%s:3: scenario name 'a/b' cannot name a results folder", bad);
  if (!strstr(se, want)) g_error("expected '%s' in %s", want, se);
}

/* `export --graphml` takes the three kinds the command table promises: a
 * network, a results folder (its network/) and a scenario (its resolved
 * network); all three give the same graph here. Before, RESULTS said
 * "node.csv: file is missing" and SCENARIO.ini "not a network". */
static void test_export_sources(Fx *fx, gconstpointer data) {
  run(fx, "7", NULL);
  g_autofree char *net = g_build_filename(fx->dir, "net", NULL);
  const char *sources[] = {net, fx->out, fx->base};
  g_autofree char *first = NULL;
  for (int k = 0; k < 3; k++) {
    g_autofree char *g = g_strdup_printf("%s/g%d.graphml", fx->dir, k);
    g_autofree char *so = NULL, *se = NULL;
    int st = th_test_taihang(&so, &se, "export", sources[k], "--graphml", g, NULL);
    if (st != 0) g_error("export %s: exit %d: %s", sources[k], st, se);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(g, &text, NULL, NULL));
    if (!first)
      first = g_steal_pointer(&text);
    else
      g_assert_cmpstr(text, ==, first);
  }
  /* a scenario is no results folder: said so, with what to do */
  g_autofree char *gj = g_build_filename(fx->dir, "x.geojson", NULL);
  g_autofree char *so = NULL, *se = NULL;
  g_assert_cmpint(th_test_taihang(&so, &se, "export", fx->base, "--geojson", gj, NULL), ==, 2);
  g_assert_nonnull(strstr(se, "needs a results folder"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
#define T(name, fn) g_test_add("/robust/" name, Fx, NULL, fx_setup, fn, fx_teardown)
  T("killed-runs", test_killed_runs);
  T("stale-files", test_stale_files);
  T("unwritable", test_unwritable);
  T("sweep-children", test_sweep_children);
  T("write-failure", test_write_failure);
  T("written-once", test_written_once);
  T("time-overflow-cli", test_time_overflow_cli);
  T("compare-names", test_compare_names);
  T("export-sources", test_export_sources);
  return g_test_run();
}

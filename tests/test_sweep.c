/* test_sweep.c: sweep files, grid expansion and run ids, and `taihang sweep`
 * end to end: identical tables from repeated, interrupted and sharded sweeps,
 * failed runs, and the Slurm scripts.
 *
 * The end-to-end tests run the small sweep tests/data/sweep/sweep.ini through
 * the real `taihang run` (runs of well under a second). Setting
 * TH_SWEEP_RUNNER (e.g. "sh tests/data/sweep/stand-in-run.sh") swaps in a
 * stand-in, to test the runner alone. */
#include "network/th-error.h"
#include "scenarios/sweep-run.h"
#include "scenarios/sweep.h"
#include "tests/testutil.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- expansion, ids, ranges, shards (library) ---- */

static char *write_sweep(const char *dir, const char *text);

static GPtrArray *values(const char *text) {
  char *problem = NULL;
  GPtrArray *v = th_sweep_expand_values(text, &problem);
  if (!v) g_test_message("problem: %s", problem);
  g_free(problem);
  return v;
}

static char *joined(GPtrArray *v) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < v->len; i++) g_string_append_printf(s, "%s%s", i ? " " : "", (char *)v->pdata[i]);
  return g_string_free(s, FALSE);
}

static void check_values(const char *text, const char *expected) {
  g_autoptr(GPtrArray) v = values(text);
  g_assert_nonnull(v);
  g_autofree char *j = joined(v);
  g_assert_cmpstr(j, ==, expected);
}

static void check_bad_values(const char *text, const char *fragment) {
  char *problem = NULL;
  GPtrArray *v = th_sweep_expand_values(text, &problem);
  g_assert_null(v);
  g_assert_nonnull(problem);
  if (!strstr(problem, fragment)) g_error("'%s' -> '%s', expected '%s'", text, problem, fragment);
  g_free(problem);
}

static void test_values(void) {
  check_values("15, 30, 60", "15 30 60");
  /* decimal-exact: 0.05 steps reach 1.20, never 1.2000000000000002 */
  check_values("1.00:1.20:0.05", "1.00 1.05 1.10 1.15 1.20");
  check_values("0.1:0.3:0.1", "0.1 0.2 0.3");
  check_values("0:10:5", "0 5 10");
  check_values("1:0.5:-0.25", "1.00 0.75 0.50");
  check_values("1:2:0.3", "1.0 1.3 1.6 1.9"); /* stop not on a step: the last value below it */
  check_values("-1:1:1", "-1 0 1");
  check_values("2, 5:7:1, 10", "2 5 6 7 10");
  check_values("07:30", "07:30");             /* two parts: a literal */
  check_values("a:b:c", "a:b:c");             /* not numbers: a literal */
  check_values("logit", "logit");
  check_bad_values("1:2:0", "never reaches its stop");
  check_bad_values("08:30:00", "clock times as HH:MM or seconds");
  check_bad_values("2:1:0.5", "never reaches its stop");
  check_bad_values("1, 1", "appears twice");
  check_bad_values("1.0, 1.00:1.00:0.05, 1", "appears twice");
  check_bad_values("1,,2", "empty value");
  check_bad_values("0:1000000:1", "at most");
  /* issue 17, defect 1: `demand.growth =` gave a grid dimension without
   * values, and the expansion read through NULL */
  check_bad_values("", "no value (expected values separated by commas");
  check_bad_values("  ", "no value");
  /* issue 17, defect 10: a repeat at the end of a long range is found (the
   * pairwise check it replaces took 90 s on 100,000 values) */
  check_bad_values("1:99999:1, 50000.0", "value '50000.0' appears twice");
  check_bad_values("b, a, 2, 2.0, a", "value '2.0' appears twice");
}

/* The duplicate check against the pairwise reference it replaced, on random
 * lists of numbers in several spellings and words: same verdict, same value
 * named first. */
static gboolean ref_same(const char *a, const char *b) {
  double x, y;
  char *ea, *eb;
  x = g_ascii_strtod(a, &ea);
  y = g_ascii_strtod(b, &eb);
  if (!*ea && !*eb && *a && *b) return x == y;
  return strcmp(a, b) == 0;
}

static void test_values_repeat_property(void) {
  const char *tokens[] = {"1", "1.0", "01", "1e0", "2", "-0", "0", "0.00", "a", "b", "A", "1.5",
                          "15e-1", "x1", "3", "300", "3e2", "c:d:e", "07:30", "7:30"};
  GRand *rng = g_rand_new_with_seed(17);
  for (int round = 0; round < 2000; round++) {
    int n = g_rand_int_range(rng, 1, 8);
    g_autoptr(GString) text = g_string_new(NULL);
    const char *items[8];
    for (int i = 0; i < n; i++) {
      items[i] = tokens[g_rand_int_range(rng, 0, G_N_ELEMENTS(tokens))];
      g_string_append_printf(text, "%s%s", i ? ", " : "", items[i]);
    }
    int want = -1;
    for (int i = 0; i < n && want < 0; i++)
      for (int j = 0; j < i; j++)
        if (ref_same(items[i], items[j])) {
          want = i;
          break;
        }
    char *problem = NULL;
    GPtrArray *v = th_sweep_expand_values(text->str, &problem);
    if (want < 0) {
      if (!v) g_error("'%s': %s", text->str, problem);
      g_assert_cmpuint(v->len, ==, (guint)n);
      g_ptr_array_unref(v);
    } else {
      g_assert_null(v);
      g_autofree char *frag = g_strdup_printf("value '%s' appears twice", items[want]);
      if (!strstr(problem, frag)) g_error("'%s': '%s', expected '%s'", text->str, problem, frag);
      g_free(problem);
    }
  }
  g_rand_free(rng);
}

/* Issue 17: defects 1 and 10 and encodings through the command. */
static void test_bad_values_cli(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "out", NULL);
  const char *cases[][2] = {
      /* defect 1: segfaulted (exit 139) */
      {"[sweep]\nbase = base.ini\n[parameters]\ndemand.growth =\n",
       ":4: demand.growth: no value (expected values separated by commas"},
      {"[sweep]\nbase = base.ini\n[switches]\nprojects = proj-a.ini, , proj-b.ini\n",
       ":4: switch group 'projects' has an empty file name"},
      {"[sweep]\nbase = base.ini\n[switches]\nprojects =\n",
       ":4: switch group 'projects' names 0 files"},
      /* defect 6: GB18030 text is refused at its line; a BOM is no problem */
      {"[sweep]\nbase = base.ini\nname = \xD1\xF4\xB3\xC7\n[parameters]\nsim.seed = 1\n",
       ":3: not valid UTF-8"},
  };
  for (guint k = 0; k < G_N_ELEMENTS(cases); k++) {
    g_autofree char *p = write_sweep(dir, cases[k][0]);
    g_autofree char *err = NULL;
    int st = th_test_taihang(NULL, &err, "sweep", "-n", p, "--out", out, NULL);
    g_autofree char *want = g_strconcat(p, cases[k][1], NULL);
    if (st != 2 || !strstr(err, want)) g_error("case %u: status %d, missing '%s' in:\n%s", k, st, want, err);
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  }
  g_autofree char *bom = write_sweep(dir, "\xEF\xBB\xBF[sweep]\nbase = base.ini\n[parameters]\n"
                                          "sim.seed = 1, 2\n");
  g_autofree char *o = NULL, *err = NULL;
  g_assert_cmpint(th_test_taihang(&o, &err, "sweep", "-n", bom, "--out", out, NULL), ==, 0);
  /* defect 10: 100,000 runs of one parameter plan without a pairwise check
   * (no timing here: bench/ holds speed; this checks it completes and counts) */
  g_autofree char *big = write_sweep(dir, "[sweep]\nbase = base.ini\n[parameters]\n"
                                          "sim.seed = 1:100000:1\n");
  g_autofree char *o2 = NULL;
  g_assert_cmpint(th_test_taihang(&o2, NULL, "sweep", "-n", big, "--out", out, NULL), ==, 0);
  g_assert_nonnull(strstr(o2, "100000"));
  th_test_rmtree(dir);
}

static char *write_sweep(const char *dir, const char *text) {
  g_autofree char *b = th_test_write(dir, "base.ini", "[scenario]\nname = b\n");
  g_autofree char *p1 = th_test_write(dir, "proj-a.ini", "[scenario]\nname = a\n");
  g_autofree char *p2 = th_test_write(dir, "proj-b.ini", "[scenario]\nname = b\n");
  return th_test_write(dir, "s.ini", text);
}

static void test_grid_ids(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *path = write_sweep(dir, "[sweep]\nname = t\nbase = base.ini\n"
                                            "[parameters]\n"
                                            "services.hsr_headway_min = 30, 60\n"
                                            "demand.growth = 1.00:1.10:0.10\n"
                                            "[switches]\nprojects = proj-a.ini, proj-b.ini\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThSweep) s = th_sweep_load(path, &e);
  g_assert_no_error(e);
  g_assert_cmpstr(s->name, ==, "t");
  g_autofree char *base = g_build_filename(dir, "base.ini", NULL);
  g_autofree char *cbase = g_canonicalize_filename(base, NULL);
  g_assert_cmpstr(s->base, ==, cbase);
  g_assert_cmpuint(s->columns->len, ==, 3);
  g_assert_cmpstr(s->columns->pdata[0], ==, "services.hsr_headway_min");
  g_assert_cmpstr(s->columns->pdata[1], ==, "demand.growth");
  g_assert_cmpstr(s->columns->pdata[2], ==, "projects");
  g_assert_cmpuint(s->runs->len, ==, 2 * 2 * 4);
  /* golden ids: prefix of the values, then SHA-256 of the sorted key=value lines */
  static const char *golden[] = {
      "30_1.00_none-", "30_1.00_proj-a+proj-b-", "30_1.00_proj-a-", "30_1.00_proj-b-",
      "30_1.10_none-", "30_1.10_proj-a+proj-b-", "30_1.10_proj-a-", "30_1.10_proj-b-",
      "60_1.00_none-", "60_1.00_proj-a+proj-b-", "60_1.00_proj-a-", "60_1.00_proj-b-",
      "60_1.10_none-", "60_1.10_proj-a+proj-b-", "60_1.10_proj-a-", "60_1.10_proj-b-"};
  for (guint i = 0; i < s->runs->len; i++) {
    ThSweepRun *r = s->runs->pdata[i];
    g_assert_true(g_str_has_prefix(r->id, golden[i]));
    g_assert_cmpuint(strlen(r->id), ==, strlen(golden[i]) + 8);
    g_autofree char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, r->canonical, -1);
    sha[8] = 0;
    g_assert_true(g_str_has_suffix(r->id, sha));
    if (i) g_assert_cmpint(strcmp(((ThSweepRun *)s->runs->pdata[i - 1])->id, r->id), <, 0);
  }
  ThSweepRun *r = s->runs->pdata[5]; /* 30, 1.10, proj-a+proj-b */
  g_assert_cmpstr(r->canonical, ==,
                  "demand.growth=1.10\nprojects=proj-a+proj-b\nservices.hsr_headway_min=30\n");
  g_assert_cmpuint(r->apply->len, ==, 2);
  g_assert_true(g_str_has_suffix(r->apply->pdata[0], "/proj-a.ini"));
  /* the exact id of one run, so that a change of the id scheme is noticed */
  g_autofree char *id = th_sweep_make_id("30_1.00_none", "demand.growth=1.00\nprojects=none\n"
                                                         "services.hsr_headway_min=30\n");
  g_assert_cmpstr(((ThSweepRun *)s->runs->pdata[0])->id, ==, id);
  g_autofree char *want = g_compute_checksum_for_string(
      G_CHECKSUM_SHA256, "demand.growth=1.00\nprojects=none\nservices.hsr_headway_min=30\n", -1);
  want[8] = 0;
  g_assert_cmpstr(id + strlen("30_1.00_none-"), ==, want);
  /* ids depend on values, not on the order of the keys in the file */
  g_autofree char *path2 = write_sweep(dir, "[sweep]\nname = t\nbase = base.ini\n"
                                             "[switches]\nprojects = proj-a.ini, proj-b.ini\n"
                                             "[parameters]\n"
                                             "demand.growth = 1.10, 1.00\n"
                                             "services.hsr_headway_min = 60, 30\n");
  g_autoptr(ThSweep) s2 = th_sweep_load(path2, &e);
  g_assert_no_error(e);
  g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < s->runs->len; i++) {
    ThSweepRun *a = s->runs->pdata[i];
    g_hash_table_add(ids, strrchr(a->id, '-') + 1);
  }
  for (guint i = 0; i < s2->runs->len; i++) {
    ThSweepRun *b = s2->runs->pdata[i];
    g_assert_true(g_hash_table_contains(ids, strrchr(b->id, '-') + 1));
  }
  /* the scenario of a run: base, apply and the overrides in their sections */
  g_autofree char *sc = th_sweep_run_scenario(s, r, 1);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_assert_true(g_key_file_load_from_data(kf, sc, -1, G_KEY_FILE_NONE, NULL));
  g_autofree char *kb = g_key_file_get_value(kf, "scenario", "base", NULL);
  g_assert_cmpstr(kb, ==, cbase);
  g_autofree char *ka = g_key_file_get_value(kf, "scenario", "apply", NULL);
  g_assert_nonnull(strstr(ka, "/proj-a.ini;"));
  g_autofree char *kg = g_key_file_get_value(kf, "demand", "growth", NULL);
  g_assert_cmpstr(kg, ==, "1.10");
  g_autofree char *kh = g_key_file_get_value(kf, "services", "hsr_headway_min", NULL);
  g_assert_cmpstr(kh, ==, "30");
  g_autofree char *kt = g_key_file_get_value(kf, "sim", "threads", NULL);
  g_assert_cmpstr(kt, ==, "1");
  th_test_rmtree(dir);
}

static void test_shards(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *path = write_sweep(dir, "[sweep]\nbase = base.ini\n[parameters]\n"
                                            "sim.seed = 1:23:1\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThSweep) s = th_sweep_load(path, &e);
  g_assert_no_error(e);
  g_assert_cmpstr(s->name, ==, "s"); /* the file's stem */
  g_assert_cmpuint(s->runs->len, ==, 23);
  for (int n = 1; n <= 7; n++) {
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (int i = 1; i <= n; i++) {
      g_autoptr(GPtrArray) sh = th_sweep_shard(s, i, n);
      g_assert_cmpuint(sh->len, >=, 23 / n);
      g_assert_cmpuint(sh->len, <=, 23 / n + 1);
      for (guint k = 0; k < sh->len; k++) {
        g_assert_false(g_hash_table_contains(seen, sh->pdata[k]));
        g_hash_table_add(seen, sh->pdata[k]);
      }
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, 23);
  }
  int i, n;
  g_assert_true(th_sweep_parse_shard("2/3", &i, &n, NULL));
  g_assert_cmpint(i, ==, 2);
  g_assert_cmpint(n, ==, 3);
  const char *bad[] = {"0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""};
  for (guint k = 0; k < G_N_ELEMENTS(bad); k++) {
    g_autoptr(GError) e2 = NULL;
    g_assert_false(th_sweep_parse_shard(bad[k], &i, &n, &e2));
    g_assert_error(e2, TH_ERROR, TH_ERROR_PARSE);
  }
  th_test_rmtree(dir);
}

/* Every problem of a sweep file, each with FILE:LINE, and exit 2 from the command
 * with no sweep folder left. */
static void test_bad_file(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *path = write_sweep(dir, "[sweep]\n"                               /* 1 */
                                            "name = bad\n"                            /* 2 */
                                            "base = nowhere.ini\n"                    /* 3 */
                                            "[parameters]\n"                          /* 4 */
                                            "growth = 1, 2\n"                         /* 5 */
                                            "demand.growth = 1:2:0\n"                 /* 6 */
                                            "sim.seed = 1, 2, 1\n"                    /* 7 */
                                            "scenario.base = x.ini\n"                 /* 8 */
                                            "[switches]\n"                            /* 9 */
                                            "projects = proj-a.ini, missing.ini\n"    /* 10 */
                                            "[extra]\n"                               /* 11 */
                                            "x = 1\n");                               /* 12 */
  g_autoptr(GError) e = NULL;
  g_autoptr(ThSweep) s = th_sweep_load(path, &e);
  g_assert_null(s);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  const char *expect[] = {":3: base scenario 'nowhere.ini' does not exist",
                          ":5: parameter 'growth' is not section.key",
                          ":6: demand.growth: range '1:2:0' never reaches its stop",
                          ":7: sim.seed: value '1' appears twice",
                          ":8: parameter 'scenario.base' is not section.key",
                          ":10: switch file 'missing.ini' does not exist",
                          ":11: unknown group [extra]"};
  for (guint k = 0; k < G_N_ELEMENTS(expect); k++) {
    g_autofree char *want = g_strconcat(path, expect[k], NULL);
    if (!strstr(e->message, want)) g_error("missing '%s' in:\n%s", want, e->message);
  }
  g_autofree char *out = g_build_filename(dir, "out", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "sweep", path, "--out", out, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, ":10: switch file 'missing.ini' does not exist"));
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  /* a malformed key file, no [sweep], an empty grid */
  const char *cases[][2] = {
      {"[sweep\nbase = base.ini\n", ":1: not a key file"},
      {"[parameters]\nsim.seed = 1\n", ":1: no [sweep] group"},
      {"[sweep]\nbase = base.ini\n", ":1: the sweep has no parameters and no switches"},
      {"[sweep]\n[parameters]\nsim.seed = 1\n", ":1: [sweep] has no base"},
      {"[sweep]\nbase = base.ini\nbsae = x\n[parameters]\nsim.seed = 1\n",
       ":3: unknown key 'bsae' in [sweep]"},
  };
  for (guint k = 0; k < G_N_ELEMENTS(cases); k++) {
    g_autofree char *p = write_sweep(dir, cases[k][0]);
    g_autofree char *err2 = NULL;
    int st2 = th_test_taihang(NULL, &err2, "sweep", p, "--out", out, NULL);
    g_assert_cmpint(st2, ==, 2);
    g_autofree char *want = g_strconcat(p, cases[k][1], NULL);
    if (!strstr(err2, want)) g_error("case %u: missing '%s' in:\n%s", k, want, err2);
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  }
  /* usage errors */
  g_autofree char *ok = write_sweep(dir, "[sweep]\nbase = base.ini\n[parameters]\nsim.seed = 1\n");
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep", ok, NULL), ==, 2);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep", ok, "--out", out, "--shard", "4/3", NULL), ==, 2);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep", ok, "--out", out, "--jobs", "-1", NULL), ==, 2);
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep-merge", out, NULL), ==, 1);
  th_test_rmtree(dir);
}

/* The fallback indicators, from a results folder without indicators.csv. */
static void test_indicators(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *a = th_test_write(dir, "trips_out.csv",
                                     "id,class,mode,origin,destination,depart,arrive,travel_time_s,status\n"
                                     "1,car,road,1,2,0,60,60,arrived\n2,car,road,1,2,0,120,120,arrived\n"
                                     "3,car,road,2,1,0,180,180,arrived\n4,car,road,2,1,0,,,stuck\n"
                                     "5,car,road,2,1,0,,,unserved\n");
  g_autofree char *b = th_test_write(dir, "link_flows.csv",
                                     "link_id,from_node_id,to_node_id,class,mode,vehicles,pcu,passengers,"
                                     "tonnes,mean_travel_time_s,free_flow_time_s,capacity_vph\n"
                                     "7,1,2,car,road,10,10,10,0,60,50,900\n"
                                     "8,2,1,car,road,5,5,5,0,120,50,900\n");
  g_autofree char *c = th_test_write(dir, "network/link.csv",
                                     "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed\n"
                                     "7,1,2,road,1.5,60\n8,2,1,road,2.0,60\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(GPtrArray) v = th_sweep_indicators(dir, &e);
  g_assert_no_error(e);
  const char *const *names = th_sweep_indicator_names();
  const char *want[] = {"5", "3", "1", "1", "0", "2.000", "25.000", "0.333"};
  for (guint k = 0; k < G_N_ELEMENTS(want); k++) {
    g_assert_nonnull(names[k]);
    if (strcmp(v->pdata[k], want[k]))
      g_error("%s = %s, expected %s", names[k], (char *)v->pdata[k], want[k]);
  }
  g_assert_null(names[G_N_ELEMENTS(want)]);
  /* a folder with nothing: empty cells, no error */
  g_autofree char *empty = g_build_filename(dir, "network", NULL);
  g_autoptr(GPtrArray) none = th_sweep_indicators(empty, &e);
  g_assert_no_error(e);
  for (guint k = 0; k < none->len; k++) g_assert_cmpstr(none->pdata[k], ==, "");
  /* a malformed table is an error with FILE:LINE */
  g_autofree char *bad = th_test_write(dir, "trips_out.csv", "id,class\n1,car\n");
  g_autoptr(GPtrArray) bv = th_sweep_indicators(dir, &e);
  g_assert_null(bv);
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  g_assert_nonnull(strstr(e->message, "status"));
  th_test_rmtree(dir);
}

/* ---- end to end ---- */

static char *sweep_file(void) { return th_test_src("tests/data/sweep/sweep.ini"); }

static char *slurp(const char *dir, const char *name) {
  g_autofree char *p = g_build_filename(dir, name, NULL);
  char *t = NULL;
  if (!g_file_get_contents(p, &t, NULL, NULL)) g_error("cannot read %s", p);
  return t;
}

static guint count_runs(const char *dir) {
  g_autofree char *runs = g_build_filename(dir, "runs", NULL);
  GDir *d = g_dir_open(runs, 0, NULL);
  guint n = 0;
  if (d) {
    while (g_dir_read_name(d)) n++;
    g_dir_close(d);
  }
  return n;
}

/* The reference sweep, made once: 8 runs. */
static char *reference_dir;

static void run_sweep(const char *out, const char *jobs) {
  g_autofree char *sweep = sweep_file();
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "sweep", sweep, "--out", out, "--jobs", jobs, NULL);
  if (st != 0) g_error("sweep exited %d:\n%s", st, err);
}

static void test_twice(void) {
  g_autofree char *a = g_build_filename(reference_dir, "..", "twice", NULL);
  run_sweep(a, "1");
  g_assert_cmpuint(count_runs(reference_dir), ==, 8);
  g_autofree char *t1 = slurp(reference_dir, "travel_times.csv");
  g_autofree char *t2 = slurp(a, "travel_times.csv");
  g_autofree char *s1 = slurp(reference_dir, "summary.csv");
  g_autofree char *s2 = slurp(a, "summary.csv");
  g_assert_cmpstr(t1, ==, t2);
  g_assert_cmpstr(s1, ==, s2);
  /* the table: run id and parameters first, rows grouped by run in id order */
  g_assert_true(g_str_has_prefix(t1, "run_id,demand.growth,sim.seed,projects,origin,destination,"));
  g_assert_true(g_str_has_prefix(s1, "run_id,demand.growth,sim.seed,projects,trips,arrived,"));
  g_auto(GStrv) lines = g_strsplit(t1, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), >, 8);
  for (guint i = 2; lines[i] && *lines[i]; i++) {
    g_autofree char *p = g_strndup(lines[i - 1], strcspn(lines[i - 1], ","));
    g_autofree char *q = g_strndup(lines[i], strcspn(lines[i], ","));
    g_assert_cmpint(strcmp(p, q), <=, 0);
  }
  g_auto(GStrv) srows = g_strsplit(s1, "\n", -1);
  g_assert_cmpuint(g_strv_length(srows), ==, 1 + 8 + 1);
  /* running again into a complete folder redoes nothing and rewrites the same tables */
  run_sweep(a, "2");
  g_autofree char *t3 = slurp(a, "travel_times.csv");
  g_assert_cmpstr(t1, ==, t3);
  g_autofree char *m = g_build_filename(a, "travel_times.csv", NULL);
  g_unlink(m);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep-merge", a, NULL), ==, 0);
  g_autofree char *t4 = slurp(a, "travel_times.csv");
  g_assert_cmpstr(t1, ==, t4);
  th_test_rmtree(a);
}

typedef struct {
  char *path;
  guint64 ino;
  gint64 mtime_ns;
} Stamp;

static void stamp_tree(const char *dir, GArray *out) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return;
  const char *n;
  while ((n = g_dir_read_name(d))) {
    char *p = g_build_filename(dir, n, NULL);
    struct stat st;
    g_assert_cmpint(stat(p, &st), ==, 0);
    Stamp s = {p, st.st_ino, (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    g_array_append_val(out, s);
    if (S_ISDIR(st.st_mode)) stamp_tree(p, out);
  }
  g_dir_close(d);
}

static void child_own_group(gpointer data) {
  (void)data;
  setpgid(0, 0);
}

/* Kill the sweep (and its runs: the whole process group) with SIGKILL midway,
 * restart it: the completed runs are not redone (their files keep inode and
 * mtime) and the tables equal the uninterrupted sweep's. */
static void test_kill_restart(void) {
  g_autofree char *out = g_build_filename(reference_dir, "..", "killed", NULL);
  g_autofree char *sweep = sweep_file();
  const char *exe = g_getenv("TH_TAIHANG");
  char *argv[] = {(char *)(exe ? exe : "taihang"), "sweep", sweep, "--out", out, "--jobs", "1",
                  "--quiet", NULL};
  GPid pid;
  g_autoptr(GError) e = NULL;
  g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, child_own_group, NULL,
                              &pid, &e));
  g_assert_no_error(e);
  setpgid(pid, pid); /* no race with the child's own setpgid */
  gint64 until = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
  while (count_runs(out) < 3 && g_get_monotonic_time() < until) g_usleep(2000);
  g_assert_cmpuint(count_runs(out), >=, 3);
  g_assert_cmpint(kill(-pid, SIGKILL), ==, 0);
  int status;
  g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
  g_assert_true(WIFSIGNALED(status));
  guint done = count_runs(out);
  g_assert_cmpuint(done, <, 8);
  g_autofree char *tt = g_build_filename(out, "travel_times.csv", NULL);
  g_assert_false(g_file_test(tt, G_FILE_TEST_EXISTS));
  g_autofree char *runs = g_build_filename(out, "runs", NULL);
  g_autoptr(GArray) before = g_array_new(FALSE, FALSE, sizeof(Stamp));
  stamp_tree(runs, before);
  g_assert_cmpuint(before->len, >, done);
  /* every run folder there is complete: a killed run leaves no folder */
  guint complete = 0;
  for (guint i = 0; i < before->len; i++) {
    Stamp *s = &g_array_index(before, Stamp, i);
    g_autofree char *parent = g_path_get_dirname(s->path);
    if (strcmp(parent, runs) != 0) continue;
    g_autofree char *od = g_build_filename(s->path, "od_times.csv", NULL);
    g_autofree char *sc = g_build_filename(s->path, "scenario.ini", NULL);
    g_assert_true(g_file_test(od, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(sc, G_FILE_TEST_EXISTS));
    complete++;
  }
  g_assert_cmpuint(complete, ==, done);
  g_usleep(20000); /* so that a rewritten file would show another mtime */
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "sweep", sweep, "--out", out, "--jobs", "2", NULL);
  if (st != 0) g_error("restart exited %d:\n%s", st, err);
  g_autofree char *want = g_strdup_printf("8 runs, %u already done, %u completed now, 0 failed",
                                          done, 8 - done);
  if (!strstr(err, want)) g_error("expected '%s' in:\n%s", want, err);
  for (guint i = 0; i < before->len; i++) {
    Stamp *s = &g_array_index(before, Stamp, i);
    struct stat sb;
    g_assert_cmpint(stat(s->path, &sb), ==, 0);
    g_assert_cmpuint(sb.st_ino, ==, s->ino);
    g_assert_cmpint((gint64)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec, ==, s->mtime_ns);
    g_free(s->path);
  }
  g_assert_cmpuint(count_runs(out), ==, 8);
  g_autofree char *tmp = g_build_filename(out, ".tmp", NULL);
  g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS)); /* leftovers of the killed runs removed */
  g_autofree char *t1 = slurp(reference_dir, "travel_times.csv");
  g_autofree char *t2 = slurp(out, "travel_times.csv");
  g_assert_cmpstr(t1, ==, t2);
  g_autofree char *s1 = slurp(reference_dir, "summary.csv");
  g_autofree char *s2 = slurp(out, "summary.csv");
  g_assert_cmpstr(s1, ==, s2);
  th_test_rmtree(out);
}

static void test_shards_merge(void) {
  g_autofree char *out = g_build_filename(reference_dir, "..", "sharded", NULL);
  g_autofree char *sweep = sweep_file();
  const char *shards[] = {"2/3", "1/3", "3/3"};
  guint total = 0;
  for (guint k = 0; k < 3; k++) {
    g_autofree char *err = NULL;
    int st = th_test_taihang(NULL, &err, "sweep", sweep, "--out", out, "--shard", shards[k],
                             "--jobs", "2", NULL);
    if (st != 0) g_error("shard %s exited %d:\n%s", shards[k], st, err);
    g_autofree char *tt = g_build_filename(out, "travel_times.csv", NULL);
    g_assert_false(g_file_test(tt, G_FILE_TEST_EXISTS)); /* a shard writes no tables */
    guint n = count_runs(out);
    g_assert_cmpuint(n - total, >=, 2);
    g_assert_cmpuint(n - total, <=, 3);
    total = n;
  }
  g_assert_cmpuint(total, ==, 8);
  g_autofree char *o = NULL;
  g_assert_cmpint(th_test_taihang(&o, NULL, "sweep-merge", out, NULL), ==, 0);
  g_assert_nonnull(strstr(o, "travel_times.csv"));
  g_autofree char *t1 = slurp(reference_dir, "travel_times.csv");
  g_autofree char *t2 = slurp(out, "travel_times.csv");
  g_assert_cmpstr(t1, ==, t2);
  g_autofree char *s1 = slurp(reference_dir, "summary.csv");
  g_autofree char *s2 = slurp(out, "summary.csv");
  g_assert_cmpstr(s1, ==, s2);
  /* sweep --merge is the same */
  g_autofree char *tt = g_build_filename(out, "travel_times.csv", NULL);
  g_unlink(tt);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep", sweep, "--out", out, "--merge", NULL), ==, 0);
  g_autofree char *t3 = slurp(out, "travel_times.csv");
  g_assert_cmpstr(t1, ==, t3);
  th_test_rmtree(out);
}

/* A bad parameter value fails its runs; the others complete, the failure is
 * recorded with the run's own error, and the exit status is 1. */
static void test_failure(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *base = th_test_src("tests/data/sweep/base.ini");
  g_autofree char *text = g_strdup_printf("[sweep]\nname = failing\nbase = %s\n[parameters]\n"
                                          "demand.growth = 1.0, bad\nsim.seed = 1, 2\n",
                                          base);
  g_autofree char *sweep = th_test_write(dir, "failing.ini", text);
  g_autofree char *out = g_build_filename(dir, "out", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "sweep", sweep, "--out", out, "--jobs", "2", NULL);
  g_assert_cmpint(st, ==, 1);
  g_assert_nonnull(strstr(err, "2 runs failed"));
  g_assert_nonnull(strstr(err, "4 runs, 0 already done, 2 completed now, 2 failed"));
  g_assert_nonnull(strstr(err, "2 planned runs are missing"));
  g_assert_cmpuint(count_runs(out), ==, 2);
  g_autoptr(ThSweep) s = th_sweep_load(sweep, NULL);
  g_assert_nonnull(s);
  guint failed = 0;
  for (guint i = 0; i < s->runs->len; i++) {
    ThSweepRun *r = s->runs->pdata[i];
    g_autofree char *name = g_strconcat(r->id, ".txt", NULL);
    g_autofree char *f = g_build_filename(out, "failed", name, NULL);
    g_autofree char *rd = g_build_filename(out, "runs", r->id, NULL);
    gboolean bad = strcmp(r->values->pdata[0], "bad") == 0;
    g_assert_cmpint(g_file_test(f, G_FILE_TEST_EXISTS), ==, bad);
    g_assert_cmpint(g_file_test(rd, G_FILE_TEST_IS_DIR), ==, !bad);
    if (bad) {
      failed++;
      g_autofree char *t = NULL;
      g_assert_true(g_file_get_contents(f, &t, NULL, NULL));
      g_assert_true(g_str_has_prefix(t, "run "));
      g_assert_nonnull(strstr(t, "failed: exit status 2"));
      g_assert_nonnull(strstr(t, "demand.growth=bad"));
      g_assert_nonnull(strstr(t, "stderr:\n"));
      /* the run's own message, pointing at the scenario kept beside it */
      g_autofree char *ini_name = g_strconcat(r->id, ".ini", NULL);
      g_autofree char *ini = g_build_filename(out, "failed", ini_name, NULL);
      g_assert_true(g_file_test(ini, G_FILE_TEST_EXISTS));
      if (!g_getenv("TH_SWEEP_RUNNER")) {
        g_autofree char *want = g_strdup_printf("%s:7: [demand] growth = 'bad' is not a number", ini);
        if (!strstr(t, want)) g_error("'%s' missing in:\n%s", want, t);
      }
      g_assert_nonnull(strstr(err, r->id));
    }
  }
  g_assert_cmpuint(failed, ==, 2);
  /* the tables hold the runs that completed */
  g_autofree char *sum = slurp(out, "summary.csv");
  g_auto(GStrv) rows = g_strsplit(sum, "\n", -1);
  g_assert_cmpuint(g_strv_length(rows), ==, 1 + 2 + 1);
  g_assert_null(strstr(sum, ",bad,"));
  th_test_rmtree(dir);
}

static void test_emit_slurm(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *sweep = sweep_file();
  g_autofree char *out = g_build_filename(dir, "out", NULL);
  g_autofree char *job = g_build_filename(dir, "job.sbatch", NULL);
  g_autofree char *o = NULL;
  int st = th_test_taihang(&o, NULL, "sweep", sweep, "--out", out, "--emit-slurm", job, "--shards",
                           "3", "--cpus-per-task", "2", "--time", "0:10:00", "--sbatch",
                           "--account=planning", NULL);
  g_assert_cmpint(st, ==, 0);
  g_assert_cmpuint(count_runs(out), ==, 0); /* nothing was run */
  g_autofree char *a = slurp(dir, "job.sbatch");
  g_autofree char *m = slurp(dir, "job-merge.sbatch");
  g_autofree char *s = slurp(dir, "job-submit.sh");
  g_assert_true(g_str_has_prefix(a, "#!/bin/bash\n"));
  const char *in_a[] = {"#SBATCH --array=1-3\n", "#SBATCH --cpus-per-task=2\n",
                        "#SBATCH --time=0:10:00\n", "#SBATCH --account=planning\n",
                        "#SBATCH --job-name=taihang-sweep-test\n",
                        "shards=3\n", "--shard \"$SLURM_ARRAY_TASK_ID/$shards\"",
                        "--jobs \"${SLURM_CPUS_PER_TASK:-2}\" --run-threads 1", " sweep "};
  for (guint k = 0; k < G_N_ELEMENTS(in_a); k++)
    if (!strstr(a, in_a[k])) g_error("'%s' missing in:\n%s", in_a[k], a);
  g_assert_nonnull(strstr(m, " sweep-merge "));
  g_assert_null(strstr(m, "--array"));
  g_assert_nonnull(strstr(s, "sbatch --parsable --dependency=afterok:\"$array\""));
  g_autofree char *logs = g_build_filename(out, "slurm", NULL);
  g_assert_true(g_file_test(logs, G_FILE_TEST_IS_DIR));
  g_autofree char *plan = slurp(out, "runs.csv");
  g_assert_true(g_str_has_prefix(plan, "run_id,demand.growth,sim.seed,projects\n"));
  /* more shards than runs: one run per shard */
  g_assert_cmpint(th_test_taihang(NULL, NULL, "sweep", sweep, "--out", out, "--emit-slurm", job,
                                  "--shards", "50", NULL),
                  ==, 0);
  g_autofree char *a2 = slurp(dir, "job.sbatch");
  g_assert_nonnull(strstr(a2, "#SBATCH --array=1-8\n"));
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_autofree char *tmp = th_test_tmpdir();
  reference_dir = g_build_filename(tmp, "reference", NULL);
  g_test_add_func("/sweep/values", test_values);
  g_test_add_func("/sweep/values-repeat-property", test_values_repeat_property);
  g_test_add_func("/sweep/bad-values-cli", test_bad_values_cli);
  g_test_add_func("/sweep/grid-ids", test_grid_ids);
  g_test_add_func("/sweep/shards", test_shards);
  g_test_add_func("/sweep/bad-file", test_bad_file);
  g_test_add_func("/sweep/indicators", test_indicators);
  g_test_add_func("/sweep/emit-slurm", test_emit_slurm);
  g_test_add_func("/sweep/twice", test_twice);
  g_test_add_func("/sweep/kill-restart", test_kill_restart);
  g_test_add_func("/sweep/shards-merge", test_shards_merge);
  g_test_add_func("/sweep/failure", test_failure);
  /* the reference sweep, shared by the end-to-end tests */
  run_sweep(reference_dir, "2");
  int r = g_test_run();
  th_test_rmtree(tmp);
  g_free(reference_dir);
  return r;
}

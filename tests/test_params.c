/* test_params.c: the one parameter table (sim/params.h) and its readers:
 * the README's reference is the table's output, every default is a value of
 * its own row, th_sim_params_init gives the table's defaults, values are
 * parsed and range-checked by type, and the scenario loader and `taihang
 * run` refuse bad values with the row's message. */
#include "scenarios/scenario-params.h"
#include "scenarios/scenario.h"
#include "sim/multimodal.h"
#include "sim/simulate.h"
#include "tests/testutil.h"

#include <string.h>

/* The README section between the markers is `taihang params`'s output. */
static void test_readme_matches_table(void) {
  g_autofree char *path = th_test_src("README.md");
  g_autofree char *readme = NULL;
  g_assert_true(g_file_get_contents(path, &readme, NULL, NULL));
  const char *begin = strstr(readme, "<!-- BEGIN taihang params");
  g_assert_nonnull(begin);
  begin = strchr(begin, '\n') + 1;
  const char *end = strstr(begin, "<!-- END taihang params -->");
  g_assert_nonnull(end);
  g_autofree char *in_readme = g_strndup(begin, end - begin);
  g_autofree char *from_table = th_scenario_params_markdown();
  if (strcmp(in_readme, from_table))
    g_test_message("README.md's parameter reference differs from the table: regenerate it with "
                   "build/taihang params");
  g_assert_cmpstr(in_readme, ==, from_table);
  /* and the command prints the same */
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "params", NULL), ==, 0);
  g_assert_cmpstr(out, ==, from_table);
}

/* th_sim_params_init is the table's defaults; every default parses. */
static void test_defaults(void) {
  for (const ThParam *p = th_param_table; p->key; p++) {
    /* "": no default (the file's value, or computed by the reader) */
    g_assert_true(!*p->def || th_param_parse(p, p->def, NULL));
    g_assert_nonnull(p->help);
    g_assert_nonnull(p->expected);
  }
  ThSimParams p;
  th_sim_params_init(&p);
  g_assert_cmpuint(p.seed, ==, 1);
  g_assert_cmpint(p.iterations, ==, 10);
  g_assert_cmpfloat(p.gap, ==, 0.01);
  g_assert_cmpint(p.threads, ==, 0);
  g_assert_cmpint(p.horizon_s, ==, 86400);
  g_assert_cmpfloat(p.sample_factor, ==, 1);
  g_assert_cmpint(p.stuck_time_s, ==, 300);
  g_assert_cmpint(p.bin_s, ==, 900);
  g_assert_cmpfloat(p.switch_share, ==, 0);
  g_assert_true(p.inflow_capacity && p.departure_queue);
  g_assert_cmpfloat(p.backward_wave_kmh, ==, TH_SIM_BACKWARD_WAVE_KMH);
  g_assert_cmpint(p.replanning, ==, TH_REPLAN_GAP);
  GError *e = NULL;
  g_assert_true(th_sim_params_check(&p, &e));
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  const ThParam *ci = th_param_find(th_param_table, "sim", "choice_iterations");
  g_assert_nonnull(ci);
  int def = -1;
  ThMultimodalParams probe = mp;
  g_assert_true(th_param_parse(ci, ci->def, &probe));
  def = probe.choice_iterations;
  g_assert_cmpint(mp.choice_iterations, ==, def);
}

/* Parsing by type, with the row's range. */
static void test_parse(void) {
  ThSimParams p;
  th_sim_params_init(&p);
  const ThParam *h = th_param_find(th_param_table, "sim", "horizon");
  g_assert_true(th_param_parse(h, "20:30", &p));
  g_assert_cmpint(p.horizon_s, ==, 20 * 3600 + 30 * 60);
  g_assert_true(th_param_parse(h, "3600", &p));
  g_assert_cmpint(p.horizon_s, ==, 3600);
  g_assert_false(th_param_parse(h, "0", &p));
  g_assert_false(th_param_parse(h, "soon", &p));
  g_assert_cmpint(p.horizon_s, ==, 3600); /* untouched by a refused value */
  const ThParam *sw = th_param_find(th_param_table, "sim", "inflow_capacity");
  g_assert_true(th_param_parse(sw, "FALSE", &p));
  g_assert_false(p.inflow_capacity);
  g_assert_true(th_param_parse(sw, "1", &p));
  g_assert_true(p.inflow_capacity);
  g_assert_true(th_param_parse(sw, "no", &p));
  g_assert_false(p.inflow_capacity);
  g_assert_false(th_param_parse(sw, "maybe", &p));
  const ThParam *r = th_param_find(th_param_table, "sim", "replanning");
  g_assert_true(th_param_parse(r, "MSA", &p));
  g_assert_cmpint(p.replanning, ==, TH_REPLAN_MSA);
  g_assert_false(th_param_parse(r, "random", &p));
  const ThParam *w = th_param_find(th_param_table, "sim", "backward_wave_kmh");
  g_assert_true(th_param_parse(w, "0", &p));
  g_assert_true(th_param_parse(w, "200", &p));
  g_assert_false(th_param_parse(w, "200.5", &p));
  g_assert_false(th_param_parse(w, "-1", &p));
  const ThParam *it = th_param_find(th_param_table, "sim", "iterations");
  g_assert_false(th_param_parse(it, "0", &p));
  g_assert_true(th_param_parse(it, "4", &p));
  g_assert_cmpint(p.iterations, ==, 4);
  const ThParam *seed = th_param_find(th_param_table, "sim", "seed");
  g_assert_true(th_param_parse(seed, "9007199254740993", &p)); /* 2^53 + 1: exact */
  g_assert_cmpuint(p.seed, ==, G_GUINT64_CONSTANT(9007199254740993));
  g_assert_null(th_param_find(th_param_table, "sim", "speedup"));
  g_autofree char *m = th_scenario_param_problem(w, "x.ini:3", "-5");
  g_assert_cmpstr(m, ==, "x.ini:3: [sim] backward_wave_kmh = '-5' is not a speed (0 to 200 km/h; 0 for none)");
}

/* A scenario and the command refuse bad values with the row's message. */
static void test_bad_values(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = th_test_write(dir, "s.ini",
                                       "[scenario]\nname = s\n[sim]\niterations = 0\nbin_s = 90000\n"
                                       "speedup = 2\n");
  GError *e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(ini, &e);
  g_assert_null(sc);
  g_autofree char *m1 = g_strdup_printf("%s:4: [sim] iterations = '0' is not a number (1 or more)", ini);
  g_autofree char *m2 = g_strdup_printf("%s:5: [sim] bin_s = '90000' is not a time (1 to 86400 seconds)", ini);
  g_autofree char *m3 = g_strdup_printf("%s:6: unknown key [sim] speedup (expected one of seed, horizon, "
                                        "iterations, gap, threads", ini);
  g_assert_nonnull(strstr(e->message, m1));
  g_assert_nonnull(strstr(e->message, m2));
  g_assert_nonnull(strstr(e->message, m3));
  g_error_free(e);
  g_autofree char *err = NULL;
  g_autofree char *o = g_build_filename(dir, "o", NULL);
  int st = th_test_taihang(NULL, &err, "run", dir, "--trips", ini, "--out", o, "--stuck-time", "0", "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "bad --stuck-time '0' (seconds > 0 or HH:MM:SS)"));
  g_assert_false(g_file_test(o, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/params/readme", test_readme_matches_table);
  g_test_add_func("/params/defaults", test_defaults);
  g_test_add_func("/params/parse", test_parse);
  g_test_add_func("/params/bad-values", test_bad_values);
  return g_test_run();
}

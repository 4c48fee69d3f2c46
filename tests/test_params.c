/* test_params.c: the one parameter table (sim/params.h) and its readers:
 * the README's reference is the table's output, every default is a value of
 * its own row, th_sim_params_init gives the table's defaults, values are
 * parsed and range-checked by type, and the scenario loader and `taihang
 * run` refuse bad values with the row's message. */
#include "network/th-error.h"
#include "scenarios/scenario-params.h"
#include "scenarios/scenario.h"
#include "sim/choice.h"
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
  g_assert_true(p.rules.inflow_capacity && p.rules.departure_queue);
  g_assert_cmpfloat(p.rules.backward_wave_kmh, ==, TH_SIM_BACKWARD_WAVE_KMH);
  g_assert_cmpint(p.rules.replanning, ==, TH_REPLAN_GAP);
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
  g_assert_false(p.rules.inflow_capacity);
  g_assert_true(th_param_parse(sw, "1", &p));
  g_assert_true(p.rules.inflow_capacity);
  g_assert_true(th_param_parse(sw, "no", &p));
  g_assert_false(p.rules.inflow_capacity);
  g_assert_false(th_param_parse(sw, "maybe", &p));
  const ThParam *r = th_param_find(th_param_table, "sim", "replanning");
  g_assert_true(th_param_parse(r, "MSA", &p));
  g_assert_cmpint(p.rules.replanning, ==, TH_REPLAN_MSA);
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

/* Patterned keys: a placeholder takes the words its function accepts, the
 * reader gets them in order; a scenario refuses unknown words and bad
 * values of every section with the row's message at FILE:LINE. */
static void test_patterns(void) {
  const ThParam *h = th_param_find(th_param_table, "services", "bus_headway_min");
  g_assert_nonnull(h);
  g_assert_cmpstr(h->key, ==, "MODE_headway_min");
  g_assert_null(th_param_find(th_param_table, "services", "road_headway_min")); /* no road lines */
  g_assert_null(th_param_find(th_param_table, "services", "bus_headway"));
  g_assert_null(th_param_find(th_param_table, "hubs", "airport_transfer_min"));
  const ThParam *asc = th_param_find(th_param_table, "choice", "asc.car.road"); /* road in [choice] */
  g_assert_nonnull(asc);
  g_auto(GStrv) w = NULL;
  g_assert_true(th_param_key_matches(asc, "asc.long.class.rail", &w)); /* CLASS takes the dots */
  g_assert_cmpuint(g_strv_length(w), ==, 2);
  g_assert_cmpstr(w[0], ==, "long.class");
  g_assert_cmpstr(w[1], ==, "rail");
  g_assert_null(th_param_find(th_param_table, "choice", "asc.car.plane"));
  g_assert_null(th_param_find(th_param_table, "appraisal", "vot__per_h")); /* CLASS is not empty */
  g_assert_nonnull(th_param_find(th_param_table, "appraisal", "vot_coal_per_h"));
  g_assert_nonnull(th_param_find(th_param_table, "demand", "growth_zone_阳城"));
  g_assert_cmpfloat(TH_PARAM_DEFAULT("appraisal", "discount_rate"), ==, 0.08);
  g_assert_cmpfloat(TH_PARAM_DEFAULT("choice", "scale"), ==, TH_CHOICE_DEFAULT_SCALE);
  g_assert_cmpfloat(TH_PARAM_DEFAULT("compare", "replications"), ==, 1);

  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *y = th_test_src("scenarios/yangcheng/base2020.ini");
  g_autofree char *text = g_strdup_printf(
      "[scenario]\nbase = %s\n[services]\nbus_capacity = -1\nbus_first_dep = 7:61\n[hubs]\n"
      "logistics_handling_rate_tph = x\n[choice]\nasc.car.plane = 1\nscale.car = 0\n[output]\n"
      "events = maybe\n[transit]\ngtfs_date = 2026-02-30\n[compare]\nreplications = 2.5\n",
      y);
  g_autofree char *ini = th_test_write(dir, "p.ini", text);
  const char *want[] = {
      ":4: [services] bus_capacity = '-1' is not a number (> 0: seats or tonnes per run)",
      ":5: [services] bus_first_dep = '7:61' is not a time (HH:MM)",
      ":7: [hubs] logistics_handling_rate_tph = 'x' is not a number (tonnes per hour, 0 or more)",
      ":9: unknown key [choice] asc.car.plane (expected one of scale, scale.CLASS, asc.CLASS.MODE, "
      "asc.CLASS.MODE.MARKET, access_walk_max_km, access_bike_max_km, access_car_max_km, crowding; "
      "MODE: rail, hsr, intercity or bus (in [choice] also road); CLASS: ",
      ":10: [choice] scale.car = '0' is not a number (above 0, 1/yuan)",
      ":12: [output] events = 'maybe' is not a switch (true or false)",
      ":14: [transit] gtfs_date = '2026-02-30' is not a date (YYYY-MM-DD)",
      ":16: [compare] replications = '2.5' is not a whole number (1 to 1000)",
      NULL};
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint(th_test_taihang(&out, &err, "check", ini, NULL), ==, 2);
  g_autofree char *all = g_strconcat(out, err, NULL);
  for (int i = 0; want[i]; i++) {
    g_autofree char *m = g_strconcat(ini, want[i], NULL);
    if (!strstr(all, m)) g_error("expected '%s' in:\n%s", m, all);
  }
  g_assert_cmpuint(g_strv_length((char **)want), ==, 8);
  /* --set goes through the same rows */
  g_autofree char *o = g_build_filename(dir, "o", NULL);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", y, "--set", "hubs.station_transfer_min=-2",
                                  "--out", o, "-q", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "[hubs] station_transfer_min = '-2' is not a number (minutes, 0 or more)"));
  g_assert_false(g_file_test(o, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* [scenario] and [network], the file's structure, are rows too: a typo in
 * one of their keys is refused at its line (it was silently ignored), an
 * unknown section lists them, and `--set` cannot change them. */
static void test_structure(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *base = th_test_src("tests/data/sweep/base.ini");
  g_autofree char *text = g_strdup_printf("[scenario]\nnam = x\nbase = %s\n[network]\n"
                                          "patchs = p.csv\n[weather]\nrain = 1\n", base);
  g_autofree char *ini = th_test_write(dir, "s.ini", text);
  const char *want[] = {
      ":2: unknown key [scenario] nam (expected one of name, description, base, apply)",
      ":5: unknown key [network] patchs (expected one of dir, patches)",
      ":7: unknown section [weather] (expected scenario, network, sim, demand, services, hubs, "
      "transit, choice, freight, compare, output or appraisal)",
      NULL};
  GError *e = NULL;
  g_autoptr(ThScenario) bad = th_scenario_load(ini, &e);
  g_assert_null(bad);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  for (int i = 0; want[i]; i++) {
    g_autofree char *m = g_strconcat(ini, want[i], NULL);
    if (!strstr(e->message, m)) g_error("expected '%s' in:\n%s", m, e->message);
  }
  g_clear_error(&e);
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint(th_test_taihang(&out, &err, "check", ini, NULL), ==, 2);
  g_autofree char *m0 = g_strconcat(ini, want[1], NULL);
  g_autofree char *all = g_strconcat(out, err, NULL);
  g_assert_nonnull(strstr(all, m0));
  /* every key the shipped scenarios write in these sections is a row */
  const char *keys[][2] = {{"scenario", "name"}, {"scenario", "description"}, {"scenario", "base"},
                           {"scenario", "apply"}, {"network", "dir"}, {"network", "patches"}};
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    g_assert_nonnull(th_scenario_param_find(keys[i][0], keys[i][1]));
  /* --set cannot change the structure */
  g_autoptr(ThScenario) sc = th_scenario_load(base, &e);
  g_assert_no_error(e);
  g_assert_false(th_scenario_set(sc, "network.dir", "elsewhere", &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_cmpstr(e->message, ==, "'network.dir': [network] is the scenario file's structure, which "
                                  "an override cannot change (set it in the file)");
  g_clear_error(&e);
  g_autofree char *o = g_build_filename(dir, "o", NULL);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", base, "--set", "scenario.name=y", "--out", o,
                                  "-q", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "[scenario] is the scenario file's structure"));
  g_assert_false(g_file_test(o, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* A results folder's params.ini is the resolved scenario's keys (a base
 * chain, a patch and --set here): every one a row of the table. */
static void test_params_ini_keys(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = th_test_src("tests/data/sweep/extra-lane.ini");
  g_autofree char *o = g_build_filename(dir, "o", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = th_test_taihang(&so, &se, "run", ini, "--set", "demand.growth=1.1", "--set",
                           "sim.iterations=1", "--out", o, "-q", NULL);
  if (st != 0) g_error("taihang run: exit %d\n%s%s", st, so, se);
  g_autofree char *pp = g_build_filename(o, "params.ini", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  GError *e = NULL;
  g_assert_true(g_key_file_load_from_file(kf, pp, G_KEY_FILE_NONE, &e));
  g_assert_no_error(e);
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  int n = 0;
  for (int g = 0; groups[g]; g++) {
    g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
    for (int k = 0; keys && keys[k]; k++, n++)
      if (!th_scenario_param_find(groups[g], keys[k]))
        g_error("%s: [%s] %s is not a row of the parameter table", pp, groups[g], keys[k]);
  }
  g_assert_cmpint(n, >=, 8); /* [demand] 5 + growth, [sim] 3 */
  g_autofree char *growth = g_key_file_get_value(kf, "demand", "growth", NULL);
  g_assert_cmpstr(growth, ==, "1.1");
  th_test_rmtree(dir);
}

/* run.ini's [sim]: the rows that are rules, formatted as a user writes
 * them (and read back by the same rows). */
static void test_format_rules(void) {
  ThSimParams p;
  th_sim_params_init(&p);
  p.rules.backward_wave_kmh = 18.5;
  p.rules.replanning = TH_REPLAN_MSA;
  p.rules.inflow_capacity = FALSE;
  GString *s = g_string_new(NULL);
  for (const ThParam *r = th_param_table; r->key; r++)
    if (th_sim_param_is_rule(r)) {
      g_autofree char *v = th_param_format(r, &p);
      g_string_append_printf(s, "%s=%s\n", r->key, v);
      ThSimParams back;
      th_sim_params_init(&back);
      g_assert_true(th_param_parse(r, v, &back));
    }
  g_assert_cmpstr(s->str, ==, "inflow_capacity=false\nbackward_wave_kmh=18.5\ndeparture_queue=true\n"
                              "replanning=msa\n");
  g_string_free(s, TRUE);
  const ThParam *seed = th_param_find(th_param_table, "sim", "seed");
  g_assert_false(th_sim_param_is_rule(seed));
  p.seed = G_GUINT64_CONSTANT(18446744073709551615);
  g_autofree char *sv = th_param_format(seed, &p);
  g_assert_cmpstr(sv, ==, "18446744073709551615");
  g_autofree char *hv = th_param_format(th_param_find(th_param_table, "sim", "horizon"), &p);
  g_assert_cmpstr(hv, ==, "86400");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/params/readme", test_readme_matches_table);
  g_test_add_func("/params/defaults", test_defaults);
  g_test_add_func("/params/parse", test_parse);
  g_test_add_func("/params/bad-values", test_bad_values);
  g_test_add_func("/params/patterns", test_patterns);
  g_test_add_func("/params/format-rules", test_format_rules);
  g_test_add_func("/params/structure", test_structure);
  g_test_add_func("/params/params-ini-keys", test_params_ini_keys);
  return g_test_run();
}

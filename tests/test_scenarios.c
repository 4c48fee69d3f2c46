/* test_scenarios.c: the scenario language: resolution of bases, applies and
 * patches, parameter overrides, and a bad-input test for every kind of
 * scenario error (FILE:LINE text, exit status 2, no output left). */
#include "network/th-error.h"
#include "scenarios/scenario-world.h"
#include "scenarios/scenario.h"
#include "tests/testutil.h"

#include <string.h>

/* A tiny network: 3 towns in a line, roads both ways, one bus line. */
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
    "B1,bus A-C,bus,passenger,1;2;3,12;12,1,07:00,19:00,30,40\n"
    "R1,rail A-C,rail,passenger,1;3,20,1,07:00,19:00,60,400\n";

typedef struct {
  char *dir;
} Fx;

static void fx_setup(Fx *fx, gconstpointer data) {
  fx->dir = th_test_tmpdir();
  g_free(th_test_write(fx->dir, "net/node.csv", NODES));
  g_free(th_test_write(fx->dir, "net/link.csv", LINKS));
  g_free(th_test_write(fx->dir, "net/services.csv", SERVICES));
  g_free(th_test_write(fx->dir, "base.ini",
                       "[scenario]\nname = 基础\n[network]\ndir = net\n[sim]\nseed = 7\n"));
}

static void fx_teardown(Fx *fx, gconstpointer data) {
  th_test_rmtree(fx->dir);
  g_free(fx->dir);
}

static char *w(Fx *fx, const char *name, const char *text) { return th_test_write(fx->dir, name, text); }

/* Loads PATH expecting failure; returns the message. */
static char *load_error(const char *path) {
  GError *e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(path, &e);
  if (sc) th_scenario_check(sc, &e);
  g_assert_nonnull(e);
  g_assert_true(e->domain == TH_ERROR);
  g_assert_true(e->code == TH_ERROR_INVALID || e->code == TH_ERROR_PARSE);
  char *m = g_strdup(e->message);
  g_error_free(e);
  return m;
}

static void assert_contains(const char *hay, const char *needle) {
  if (!strstr(hay, needle)) g_error("expected '%s' in:\n%s", needle, hay);
}

/* `taihang check` on a bad scenario: exit 2, the message on stdout. */
static void check_fails(const char *path, const char *needle) {
  g_autofree char *out = NULL, *err = NULL;
  int st = th_test_taihang(&out, &err, "check", path, NULL);
  g_assert_cmpint(st, ==, 2);
  assert_contains(out, needle);
}

static void test_resolve(Fx *fx, gconstpointer d) {
  g_autofree char *patch = w(fx, "p/links.csv",
                             "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,action\n"
                             "31,1,3,road,15,80,2000,add\n"
                             "11,,,,,,1500,change\n"
                             "32,3,1,road,15,80,2000,add\n"
                             "22,,,,,,,remove\n");
  g_autofree char *svc = w(fx, "p/svc.csv", "line,headway_min,action\nB1,20,change\n");
  g_autofree char *a = w(fx, "a.ini",
                         "[scenario]\nbase = base.ini\n[network]\npatches = p/links.csv;p/svc.csv\n"
                         "[sim]\niterations = 3\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(a, &e);
  g_assert_no_error(e);
  g_assert_cmpstr(sc->name, ==, "a");
  ThTable *l = sc->tables[TH_TABLE_LINK];
  g_assert_cmpuint(l->rows->len, ==, 5); /* 4 - 1 + 2 */
  g_assert_null(th_table_find(l, "22"));
  ThTableRow *r11 = th_table_find(l, "11");
  g_assert_cmpstr(r11->field[th_table_column(l, "capacity", FALSE)], ==, "1500");
  g_assert_cmpstr(r11->field[th_table_column(l, "length", FALSE)], ==, "10");
  g_assert_nonnull(th_table_find(l, "31"));
  /* the last row of the table is the added link (adds are appended) */
  g_assert_cmpstr(((ThTableRow *)l->rows->pdata[3])->field[0], ==, "31");
  g_assert_true(g_str_has_suffix(r11->file, "p/links.csv"));
  g_assert_cmpint(r11->line, ==, 3);
  double v;
  g_assert_true(th_scenario_double(sc, "sim", "seed", 0, &v, NULL));
  g_assert_cmpfloat(v, ==, 7); /* inherited from the base */
  g_assert_true(th_scenario_double(sc, "sim", "iterations", 0, &v, NULL));
  g_assert_cmpfloat(v, ==, 3);
  /* the world loads through the normal readers */
  g_autoptr(ThScenarioWorld) wd = th_scenario_world_new(sc, &e);
  g_assert_no_error(e);
  g_assert_cmpint(wd->net->n_links, ==, 5);
  g_assert_cmpint(wd->services->n_lines, ==, 2);
  g_assert_cmpint(wd->services->lines[th_services_find_line(wd->services, "B1")].headway_s, ==, 1200);
}

static void test_overrides(Fx *fx, gconstpointer d) {
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[services]\nbus_headway_min = 15\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(a, &e);
  g_assert_no_error(e);
  g_autofree char *fp1 = th_scenario_fingerprint(sc);
  g_autoptr(ThScenarioWorld) wd = th_scenario_world_new(sc, &e);
  g_assert_no_error(e);
  g_assert_cmpint(wd->services->lines[th_services_find_line(wd->services, "B1")].headway_s, ==, 900);
  /* rail keeps its headway */
  g_assert_cmpint(wd->services->lines[th_services_find_line(wd->services, "R1")].headway_s, ==, 3600);
  /* a sweep-style override changes the fingerprint; setting it back restores it */
  g_assert_true(th_scenario_set(sc, "services.bus_headway_min", "30", &e));
  g_autofree char *fp2 = th_scenario_fingerprint(sc);
  g_assert_cmpstr(fp1, !=, fp2);
  g_assert_true(th_scenario_set(sc, "services.bus_headway_min", "15", &e));
  g_autofree char *fp3 = th_scenario_fingerprint(sc);
  g_assert_cmpstr(fp1, ==, fp3);
  g_assert_false(th_scenario_set(sc, "nodot", "1", &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
}

/* [services] MODE_lines: the MODE_FIELD overrides change only the lines
 * named (hsr_headway_min changed 郑太/郑西 too, with no way to say "only the
 * new line"); a name that is not a line of that mode is refused at its line. */
static void test_line_filter(Fx *fx, gconstpointer d) {
  g_autofree char *patch = w(fx, "b2.csv",
                             "line,name,mode,kind,stops,run_min,dwell_min,first_dep,last_dep,"
                             "headway_min,capacity,action\n"
                             "B2,bus C-A,bus,passenger,3;2;1,12;12,1,07:00,19:00,30,40,add\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = b2.csv\n"
                                      "[services]\nbus_headway_min = 15\nbus_lines = B2\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(a, &e);
  g_assert_no_error(e);
  g_autoptr(ThScenarioWorld) wd = th_scenario_world_new(sc, &e);
  g_assert_no_error(e);
  g_assert_cmpint(wd->services->lines[th_services_find_line(wd->services, "B2")].headway_s, ==, 900);
  g_assert_cmpint(wd->services->lines[th_services_find_line(wd->services, "B1")].headway_s, ==, 1800);
  /* a sweep or --set may move the filter too */
  g_assert_true(th_scenario_set(sc, "services.bus_lines", "B1;B2", &e));
  g_autoptr(ThScenarioWorld) wd2 = th_scenario_world_new(sc, &e);
  g_assert_no_error(e);
  g_assert_cmpint(wd2->services->lines[th_services_find_line(wd2->services, "B1")].headway_s, ==, 900);
  g_assert_false(th_scenario_set(sc, "services.bus_lines", "R1", &e));
  g_assert_nonnull(strstr(e->message, "names line 'R1', which is not a bus line"));
  g_clear_error(&e);
  g_autofree char *bad = w(fx, "bad.ini", "[scenario]\nbase = base.ini\n[services]\n"
                                          "bus_headway_min = 15\nbus_lines = B1;X9\n");
  g_autofree char *m = load_error(bad);
  g_autofree char *want = g_strdup_printf("%s:5: [services] bus_lines names line 'X9', which is not a "
                                          "bus line", bad);
  assert_contains(m, want);
}

/* A misspelt line in a services patch was blamed on the base's
 * services.csv even when the intended line came from another patch: the
 * message now names the file that defined the nearest id. */
static void test_err_patch_names_definer(Fx *fx, gconstpointer d) {
  g_autofree char *add = w(fx, "add-b2.csv",
                           "line,name,mode,kind,stops,run_min,dwell_min,first_dep,last_dep,"
                           "headway_min,capacity,action\n"
                           "B2,bus C-A,bus,passenger,3;2;1,12;12,1,07:00,19:00,30,40,add\n");
  g_autofree char *p = w(fx, "proj.ini", "[scenario]\nbase = base.ini\n[network]\npatches = add-b2.csv\n");
  g_autofree char *chg = w(fx, "chg.csv", "line,headway_min,action\nB2x,20,change\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\napply = proj.ini\n[network]\n"
                                      "patches = chg.csv\n");
  g_autofree char *m = load_error(a);
  g_autofree char *want = g_strdup_printf("%s:2: service line B2x to change does not exist", chg);
  assert_contains(m, want);
  g_autofree char *near = g_strdup_printf("the nearest is B2, added at %s:2", add);
  assert_contains(m, near);
  /* on a base that has it, the base file is named */
  g_autofree char *chg1 = w(fx, "chg1.csv", "line,headway_min,action\nB9,20,change\n");
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[network]\npatches = chg1.csv\n");
  g_autofree char *m2 = load_error(b);
  g_autofree char *near2 = g_strdup_printf("the nearest is B1, defined at %s/net/services.csv:2", fx->dir);
  assert_contains(m2, near2);
}

static void test_apply(Fx *fx, gconstpointer d) {
  g_autofree char *p1 = w(fx, "p1.csv", "link_id,capacity,action\n11,1500,change\n");
  g_autofree char *p2 = w(fx, "p2.csv", "link_id,lanes,action\n11,2,change\n21,2,change\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p1.csv\n");
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p2.csv\n"
                                      "[demand]\ngrowth = 1.1\n");
  g_autofree char *all = w(fx, "all.ini", "[scenario]\nbase = base.ini\napply = a.ini;b.ini\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(all, &e);
  g_assert_no_error(e);
  ThTable *l = sc->tables[TH_TABLE_LINK];
  ThTableRow *r = th_table_find(l, "11");
  g_assert_cmpstr(r->field[th_table_column(l, "capacity", FALSE)], ==, "1500");
  g_assert_cmpstr(r->field[th_table_column(l, "lanes", FALSE)], ==, "2");
  double g;
  g_assert_true(th_scenario_double(sc, "demand", "growth", 1, &g, NULL));
  g_assert_cmpfloat(g, ==, 1.1);
  /* check passes on the shipped kind of chain */
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "check", all, NULL), ==, 0);
  assert_contains(out, "OK (scenario 'all')");
}

/* ---- every kind of scenario error ---- */

static void test_err_missing_id(Fx *fx, gconstpointer d) {
  g_autofree char *p = w(fx, "p.csv", "link_id,capacity,action\n11,1500,change\n999,10,change\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p.csv\n");
  g_autofree char *m = load_error(a);
  g_autofree char *want = g_strdup_printf("%s:3: link 999 to change does not exist", p);
  assert_contains(m, want);
  check_fails(a, want);
  g_autofree char *p2 = w(fx, "p2.csv", "link_id,action\n77,remove\n");
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p2.csv\n");
  g_autofree char *m2 = load_error(b);
  g_autofree char *want2 = g_strdup_printf("%s:2: link 77 to remove does not exist", p2);
  assert_contains(m2, want2);
}

static void test_err_conflict(Fx *fx, gconstpointer d) {
  g_autofree char *p1 = w(fx, "p1.csv", "link_id,capacity,action\n11,1500,change\n");
  g_autofree char *p2 = w(fx, "p2.csv", "# second\nlink_id,capacity,action\n21,900,change\n11,1600,change\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p1.csv\n");
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p2.csv\n");
  g_autofree char *all = w(fx, "all.ini", "[scenario]\nbase = base.ini\napply = a.ini;b.ini\n");
  g_autofree char *m = load_error(all);
  /* both places named */
  g_autofree char *want = g_strdup_printf("%s:4: link 11: capacity = '1600' conflicts with '1500' (at %s:2)", p2, p1);
  assert_contains(m, want);
  check_fails(all, want);
  /* the same value twice is no conflict */
  g_autofree char *p3 = w(fx, "p3.csv", "link_id,capacity,action\n11,1500,change\n");
  g_autofree char *c = w(fx, "c.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p3.csv\n");
  g_autofree char *ok = w(fx, "ok.ini", "[scenario]\nbase = base.ini\napply = a.ini;c.ini\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(ok, &e);
  g_assert_no_error(e);
  /* add twice, and remove together with change */
  g_autofree char *p4 = w(fx, "p4.csv", "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,action\n"
                                        "41,1,3,road,5,50,100,add\n41,1,3,road,5,50,100,add\n"
                                        "12,,,,,,,remove\n12,,,,,,5,change\n");
  g_autofree char *x = w(fx, "x.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p4.csv\n");
  g_autofree char *m4 = load_error(x);
  g_autofree char *w1 = g_strdup_printf("%s:3: link 41: 'add' conflicts with 'add' of the same id (at %s:2)", p4, p4);
  g_autofree char *w2 = g_strdup_printf("%s:5: link 12: 'change' conflicts with 'remove' of the same id (at %s:4)", p4, p4);
  assert_contains(m4, w1);
  assert_contains(m4, w2);
}

static void test_err_add_existing(Fx *fx, gconstpointer d) {
  g_autofree char *p = w(fx, "p.csv", "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,action\n"
                                      "21,1,3,road,5,50,100,add\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p.csv\n");
  g_autofree char *m = load_error(a);
  g_autofree char *want = g_strdup_printf("%s:2: link 21 to add exists already (at %s/net/link.csv:4)", p, fx->dir);
  assert_contains(m, want);
}

static void test_err_patch_format(Fx *fx, gconstpointer d) {
  g_autofree char *p = w(fx, "p.csv", "link_id,capacity,action\n11,5,modify\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p.csv\n");
  g_autofree char *m = load_error(a);
  g_autofree char *want = g_strdup_printf("%s:2: unknown action 'modify' (add, remove or change)", p);
  assert_contains(m, want);
  g_autofree char *q = w(fx, "q.csv", "foo,bar\n1,2\n");
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[network]\npatches = q.csv\n");
  g_autofree char *m2 = load_error(b);
  assert_contains(m2, "q.csv:1: cannot tell which table this patch changes");
  g_autofree char *r = w(fx, "r.csv", "link_id,capacity\n11,5\n");
  g_autofree char *c = w(fx, "c.ini", "[scenario]\nbase = base.ini\n[network]\npatches = r.csv\n");
  g_autofree char *m3 = load_error(c);
  assert_contains(m3, "r.csv:1: missing required column 'action'");
  g_autofree char *e = w(fx, "e.ini", "[scenario]\nbase = base.ini\n[network]\npatches = none.csv\n");
  g_autofree char *m4 = load_error(e);
  g_autofree char *want4 = g_strdup_printf("%s/e.ini:4: patch file %s/none.csv does not exist", fx->dir, fx->dir);
  assert_contains(m4, want4);
}

static void test_err_base(Fx *fx, gconstpointer d) {
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nname = a\nbase = nothere.ini\n");
  g_autofree char *m = load_error(a);
  g_autofree char *want = g_strdup_printf("%s:3: cannot read scenario", a);
  assert_contains(m, want);
  g_autofree char *x = w(fx, "x.ini", "[scenario]\nbase = y.ini\n");
  g_autofree char *y = w(fx, "y.ini", "[scenario]\nbase = x.ini\n");
  g_autofree char *m2 = load_error(x);
  assert_contains(m2, "is its own base (a cycle of base/apply)");
  g_autofree char *z = w(fx, "z.ini", "[scenario]\nname = z\n");
  g_autofree char *m3 = load_error(z);
  g_autofree char *want3 = g_strdup_printf("%s:1: no network: give [network] dir or [scenario] base", z);
  assert_contains(m3, want3);
  g_autofree char *k = w(fx, "k.ini", "[scenario\nname = k\n");
  g_autofree char *m4 = load_error(k);
  assert_contains(m4, "k.ini:1: not a key file");
  g_autofree char *missing = g_build_filename(fx->dir, "missing.ini", NULL);
  check_fails(missing, "missing.ini: cannot read scenario");
  g_autofree char *nd = w(fx, "nd.ini", "[network]\ndir = nowhere\n");
  g_autofree char *m5 = load_error(nd);
  g_autofree char *want5 = g_strdup_printf("%s:2: network folder %s/nowhere does not exist", nd, fx->dir);
  assert_contains(m5, want5);
}

/* [compare] replications and [demand] induced: bad values at their line;
 * compare --replications out of range is a usage error. */
static void test_err_compare_params(Fx *fx, gconstpointer d) {
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[compare]\nreplications = 0\n"
                                      "runs = 2\n[demand]\ninduced = maybe\n");
  g_autofree char *m = load_error(a);
  g_autofree char *w1 = g_strdup_printf("%s:4: [compare] replications = '0' is not a whole number "
                                        "(1 to 1000)", a);
  g_autofree char *w2 = g_strdup_printf("%s:5: unknown key [compare] runs", a);
  g_autofree char *w3 = g_strdup_printf("%s:7: [demand] induced = 'maybe' is not a switch (true or false)", a);
  assert_contains(m, w1);
  assert_contains(m, w2);
  assert_contains(m, w3);
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[compare]\nreplications = 2.5\n");
  g_autofree char *m2 = load_error(b);
  assert_contains(m2, "[compare] replications = '2.5' is not a whole number");
  g_autofree char *ok = w(fx, "ok.ini", "[scenario]\nbase = base.ini\n[demand]\ninduced = false\n");
  g_autofree char *base = g_build_filename(fx->dir, "base.ini", NULL);
  g_autofree char *cmp = g_build_filename(fx->dir, "cmp", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "compare", base, ok, "--out", cmp, "-q",
                                  "--replications", "-1", NULL), ==, 2);
  assert_contains(err, "--replications must be from 1 to 1000");
  g_assert_false(g_file_test(cmp, G_FILE_TEST_EXISTS));
  g_assert_cmpint(th_test_taihang(NULL, NULL, "compare", base, a, "--out", cmp, "-q", NULL), ==, 2);
  g_assert_false(g_file_test(cmp, G_FILE_TEST_EXISTS));
}

/* [freight] levers: unknown lever, non-numbers and values out of range at
 * their line; a class that is not a freight class stops the run (exit 2,
 * nothing written). */
static void test_err_freight_params(Fx *fx, gconstpointer d) {
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[freight]\ncoal_truck_tax = 1\n"
                                      "coal_rail_min_km = far\nagri_rail_min_km = -3\n");
  g_autofree char *m = load_error(a);
  g_autofree char *w1 = g_strdup_printf("%s:4: unknown key [freight] coal_truck_tax (expected one of "
                                        "CLASS_truck_surcharge_per_tkm, CLASS_rail_surcharge_per_tkm, "
                                        "CLASS_rail_min_km, truck_ban_links, truck_ban_nodes, "
                                        "truck_ban_zones, truck_ban_from, truck_ban_to, "
                                        "truck_ban_classes; CLASS: ", a);
  g_autofree char *w2 = g_strdup_printf("%s:5: [freight] coal_rail_min_km = 'far' is not a number", a);
  g_autofree char *w3 = g_strdup_printf("%s:6: [freight] agri_rail_min_km = '-3' is not a number "
                                        "(km, 0 or more)", a);
  assert_contains(m, w1);
  assert_contains(m, w2);
  assert_contains(m, w3);
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[freight]\ncar_rail_min_km = 50\n");
  g_autofree char *out = g_build_filename(fx->dir, "out", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", b, "--out", out, "-q", NULL), ==, 2);
  assert_contains(err, "[freight] car_rail_min_km names class 'car', which is not a freight class");
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  /* keys of [freight] that are no lever (truck_ban_*, no CLASS word) beside
   * one that is: the run goes on (it read words[0] of a key without words
   * and crashed) */
  g_autofree char *c = w(fx, "c.ini", "[scenario]\nbase = base.ini\n[freight]\ncoal_rail_min_km = 50\n"
                                      "truck_ban_nodes = 2\ntruck_ban_from = 07:00\ntruck_ban_to = 19:00\n");
  g_autofree char *out_c = g_build_filename(fx->dir, "out-c", NULL);
  g_clear_pointer(&err, g_free);
  int st = th_test_taihang(NULL, &err, "run", c, "--out", out_c, "-q", NULL);
  if (st) g_printerr("%s", err);
  g_assert_cmpint(st, ==, 0);
}

static void test_err_params(Fx *fx, gconstpointer d) {
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[sim]\nseed = 1\nspeedup = 2\n"
                                      "iterations = many\n[services]\nplane_headway_min = 5\n"
                                      "bus_headway_min = 0\n[weather]\nrain = 1\n"
                                      "[demand]\ngrowth_zone_99 = 1.2\n");
  g_autofree char *m = load_error(a);
  g_autofree char *w1 = g_strdup_printf("%s:5: unknown key [sim] speedup", a);
  g_autofree char *w2 = g_strdup_printf("%s:6: [sim] iterations = 'many' is not a number", a);
  g_autofree char *w3 = g_strdup_printf("%s:8: unknown key [services] plane_headway_min", a);
  g_autofree char *w4 = g_strdup_printf("%s:9: [services] bus_headway_min = '0' is not a number "
                                        "(minutes > 0)", a);
  g_autofree char *w5 = g_strdup_printf("%s:11: unknown section [weather]", a);
  assert_contains(m, w1);
  assert_contains(m, w2);
  assert_contains(m, w3);
  assert_contains(m, w4);
  assert_contains(m, w5);
  /* the engine's congestion switches and the replanning method */
  g_autofree char *sw = w(fx, "sw.ini", "[scenario]\nbase = base.ini\n[sim]\ninflow_capacity = maybe\n"
                                        "departure_queue = 2\nbackward_wave_kmh = -5\nreplanning = random\n");
  g_autofree char *msw = load_error(sw);
  g_autofree char *s1 = g_strdup_printf("%s:4: [sim] inflow_capacity = 'maybe' is not a switch (true or false)", sw);
  g_autofree char *s2 = g_strdup_printf("%s:5: [sim] departure_queue = '2' is not a switch (true or false)", sw);
  g_autofree char *s3 = g_strdup_printf("%s:6: [sim] backward_wave_kmh = '-5' is not a speed (0 to 200 km/h; 0 for none)", sw);
  g_autofree char *s4 = g_strdup_printf("%s:7: [sim] replanning = 'random' is not a method (msa or gap)", sw);
  assert_contains(msw, s1);
  assert_contains(msw, s2);
  assert_contains(msw, s3);
  assert_contains(msw, s4);
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[demand]\ngrowth_zone_99 = 1.2\n");
  g_autofree char *m2 = load_error(b);
  assert_contains(m2, "[demand] growth_zone_99 names zone '99', which the network does not have");
  g_autofree char *c = w(fx, "c.ini", "[scenario]\nbase = base.ini\n[demand]\ncoal_tpd = 10\n"
                                      "coal_destinations = 火星:1\ninternal_zones = 1-2\n");
  check_fails(c, "[demand] coal_destinations names zone '火星', which the network does not have");
  /* two applied scenarios that set a parameter differently */
  g_autofree char *p = w(fx, "p.ini", "[scenario]\nbase = base.ini\n[demand]\ngrowth = 1.1\n");
  g_autofree char *q = w(fx, "q.ini", "[scenario]\nbase = base.ini\n[demand]\ngrowth = 1.3\n");
  g_autofree char *pq = w(fx, "pq.ini", "[scenario]\nbase = base.ini\napply = p.ini;q.ini\n");
  g_autofree char *m3 = load_error(pq);
  g_autofree char *want = g_strdup_printf("%s:4: [demand] growth = '1.3' conflicts with '1.1' (at %s:4)", q, p);
  assert_contains(m3, want);
  /* the scenario's own value settles it */
  g_autofree char *pq2 = w(fx, "pq2.ini", "[scenario]\nbase = base.ini\napply = p.ini\n[demand]\ngrowth = 2\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(pq2, &e);
  g_assert_no_error(e);
  double g;
  th_scenario_double(sc, "demand", "growth", 0, &g, NULL);
  g_assert_cmpfloat(g, ==, 2);
}

/* A value the network validation rejects is reported at the patch line that wrote it. */
static void test_err_mapped(Fx *fx, gconstpointer d) {
  g_autofree char *p = w(fx, "p.csv", "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,action\n"
                                      "# a comment line\n"
                                      "41,1,99,road,5,50,100,add\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p.csv\n");
  g_autofree char *m = load_error(a);
  g_autofree char *want = g_strdup_printf("%s:3:", p);
  assert_contains(m, want);
  assert_contains(m, "99");
  check_fails(a, want);
  g_autofree char *s = w(fx, "s.csv", "line,stops,action\nB1,1;2;77,change\n");
  g_autofree char *b = w(fx, "b.ini", "[scenario]\nbase = base.ini\n[network]\npatches = s.csv\n");
  g_autofree char *m2 = load_error(b);
  g_autofree char *want2 = g_strdup_printf("%s:2:", s);
  assert_contains(m2, want2);
}

/* Commands that fail on a bad scenario exit 2 and leave no output. */
static void test_err_commands(Fx *fx, gconstpointer d) {
  g_autofree char *p = w(fx, "p.csv", "link_id,capacity,action\n999,1,change\n");
  g_autofree char *a = w(fx, "a.ini", "[scenario]\nbase = base.ini\n[network]\npatches = p.csv\n");
  g_autofree char *base = g_build_filename(fx->dir, "base.ini", NULL);
  g_autofree char *trips = g_build_filename(fx->dir, "trips.csv", NULL);
  g_autofree char *cmp = g_build_filename(fx->dir, "cmp", NULL);
  g_autofree char *err = NULL, *err2 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "demand", a, "--out", trips, NULL), ==, 2);
  assert_contains(err, "999 to change does not exist");
  g_assert_false(g_file_test(trips, G_FILE_TEST_EXISTS));
  g_assert_cmpint(th_test_taihang(NULL, &err2, "compare", base, a, "--out", cmp, "-q", NULL), ==, 2);
  assert_contains(err2, "999 to change does not exist");
  g_assert_false(g_file_test(cmp, G_FILE_TEST_EXISTS));
  /* usage */
  g_assert_cmpint(th_test_taihang(NULL, NULL, "compare", base, NULL), ==, 2);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "demand", base, NULL), ==, 2);
}

/* `taihang run SCENARIO.ini` end to end on the tiny network, with --set. */
static void test_run_command(Fx *fx, gconstpointer d) {
  g_autofree char *trips = w(fx, "trips.csv", "id,origin,destination,depart\n1,1,3,08:00:00\n"
                                              "2,3,1,08:10:00\n3,2,3,09:00:00\n");
  g_autofree char *base = g_build_filename(fx->dir, "base.ini", NULL);
  g_autofree char *out = g_build_filename(fx->dir, "out", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = th_test_taihang(&so, &se, "run", base, "--out", out, "--trips", trips, "--set",
                           "sim.iterations=2", "-q", NULL);
  if (st != 0) g_error("taihang run: exit %d\n%s%s", st, so, se);
  assert_contains(so, "scenario 基础");
  const char *files[] = {"run.ini", "trips_out.csv", "link_flows.csv", "od_times.csv",
                         "indicators.csv", "network/node.csv", "network/link.csv",
                         "network/services.csv", NULL};
  for (int i = 0; files[i]; i++) {
    g_autofree char *p = g_build_filename(out, files[i], NULL);
    g_assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
  }
  g_autofree char *ini = NULL;
  g_autofree char *rp = g_build_filename(out, "run.ini", NULL);
  g_assert_true(g_file_get_contents(rp, &ini, NULL, NULL));
  assert_contains(ini, "seed=7");
  /* a bad --set is a usage error */
  g_autofree char *out2 = g_build_filename(fx->dir, "out2", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", base, "--out", out2, "--set", "sim.bogus=1",
                                  NULL), ==, 2);
  g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
}

/* Issue 17, defect 6: a GB18030 scenario was accepted and its name reached
 * run.ini and summary.csv as invalid UTF-8; a BOM gave GLib's unreadable
 * message. Now: refused at the line of the first bad byte; a BOM is fine. */
static void test_err_encoding(Fx *fx, gconstpointer d) {
  g_autofree char *gb = w(fx, "gb.ini", "[scenario]\nbase = base.ini\nname = \xD1\xF4\xB3\xC7\n");
  g_autofree char *m = load_error(gb);
  g_autofree char *want = g_strdup_printf("%s:3: not valid UTF-8 (byte 0xD1", gb);
  assert_contains(m, want);
  check_fails(gb, ":3: not valid UTF-8");
  g_autofree char *bom = w(fx, "bom.ini", "\xEF\xBB\xBF[scenario]\nbase = base.ini\nname = 阳城\n");
  GError *e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(bom, &e);
  g_assert_no_error(e);
  g_assert_nonnull(sc);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
#define T(name, fn) g_test_add("/scenarios/" name, Fx, NULL, fx_setup, fn, fx_teardown)
  T("resolve", test_resolve);
  T("overrides", test_overrides);
  T("apply", test_apply);
  T("line-filter", test_line_filter);
  T("error/patch-names-definer", test_err_patch_names_definer);
  T("error/missing-id", test_err_missing_id);
  T("error/conflict", test_err_conflict);
  T("error/add-existing", test_err_add_existing);
  T("error/patch-format", test_err_patch_format);
  T("error/base", test_err_base);
  T("error/params", test_err_params);
  T("error/encoding", test_err_encoding);
  T("error/compare-params", test_err_compare_params);
  T("error/freight-params", test_err_freight_params);
  T("error/mapped-to-patch", test_err_mapped);
  T("error/commands", test_err_commands);
  T("run-command", test_run_command);
  return g_test_run();
}

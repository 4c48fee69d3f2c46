/* test_calibrate.c: validation statistics against hand-computed values, the
 * observed.csv and screenlines.csv readers' bad rows, `taihang validate` on a
 * hand-made flows file, ODME on a synthetic truth, and mode constants
 * reaching target shares on a small multimodal scenario. */
#include "network/csv.h"
#include "network/th-error.h"
#include "scenarios/calibrate.h"
#include "sim/observed.h"
#include "sim/validation.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

static void test_geh_hand(void) {
  /* sqrt(2 x 20^2 / 180) */
  g_assert_cmpfloat_with_epsilon(th_geh(100, 80), sqrt(800.0 / 180.0), 1e-12);
  g_assert_cmpfloat_with_epsilon(th_geh(100, 80), 2.1081851067789197, 1e-12);
  g_assert_cmpfloat(th_geh(0, 0), ==, 0);
  g_assert_cmpfloat_with_epsilon(th_geh(0, 50), 10.0, 1e-12); /* sqrt(2 x 2500 / 50) */
  /* m = 110, 90, 50 against c = 100, 100, 40: errors 10, -10, 10 ->
   * RMSE 10, mean count 80 -> 12.5 %; slope 22000 / 21600; R^2 =
   * 2000^2 / (1866.67 x 2400) = 0.892857...; every GEH < 1.5 */
  double m[] = {110, 90, 50}, c[] = {100, 100, 40};
  ThFitStats f;
  th_fit_stats(3, m, c, NULL, &f);
  g_assert_cmpint(f.n, ==, 3);
  g_assert_cmpfloat_with_epsilon(f.rmse_pct, 12.5, 1e-12);
  g_assert_cmpfloat_with_epsilon(f.slope, 22000.0 / 21600.0, 1e-12);
  g_assert_cmpfloat_with_epsilon(f.r2, 2000.0 * 2000.0 / ((22700.0 - 250.0 * 250.0 / 3.0) * 2400.0), 1e-12);
  g_assert_cmpfloat_with_epsilon(f.r2, 0.8928571428571429, 1e-12);
  g_assert_cmpfloat(f.share_geh5, ==, 1.0);
  /* a day's count is judged on its mean hour: 2640 against 2400 a day is
   * 110 against 100 an hour, GEH 0.976 (it would be 4.78 on the day) */
  double md[] = {2640}, cd[] = {2400}, h[] = {24};
  th_fit_stats(1, md, cd, h, &f);
  g_assert_cmpfloat(f.share_geh5, ==, 1.0);
  g_assert_cmpfloat_with_epsilon(th_geh(110, 100), sqrt(200.0 / 210.0), 1e-12);
  /* update rules */
  g_assert_cmpfloat_with_epsilon(th_asc_update(0.5, 0.2, 0.4), 0.5 + log(0.5), 1e-12);
  g_assert_true(isnan(th_asc_update(0, 0.2, 0)));
  g_assert_cmpfloat_with_epsilon(th_beta_update(0.06, 30, 20), 0.09, 1e-12);
  /* coincidence ratio: (0.2, 0.5, 0.3) against (0.1, 0.6, 0.3):
   * min 0.1 + 0.5 + 0.3 = 0.9, max 0.2 + 0.6 + 0.3 = 1.1 -> 9/11 */
  double p[] = {0.2, 0.5, 0.3}, q[] = {0.1, 0.6, 0.3};
  g_assert_cmpfloat_with_epsilon(th_coincidence_ratio(3, p, q), 9.0 / 11.0, 1e-12);
  g_assert_cmpfloat(th_coincidence_ratio(3, p, p), ==, 1.0);
  double z[] = {0, 0, 0};
  g_assert_true(isnan(th_coincidence_ratio(3, z, z)));
  double lo, hi;
  gboolean km;
  g_assert_true(th_obs_parse_band("0-10km", &lo, &hi, &km));
  g_assert_true(lo == 0 && hi == 10 && km);
  g_assert_true(th_obs_parse_band("60+min", &lo, &hi, &km));
  g_assert_true(lo == 60 && isinf(hi) && !km);
  g_assert_true(th_obs_parse_band("2.5-7.5min", &lo, &hi, &km));
  g_assert_true(lo == 2.5 && hi == 7.5);
  g_assert_false(th_obs_parse_band("10-10km", &lo, &hi, &km));
  g_assert_false(th_obs_parse_band("-5km", &lo, &hi, &km));
  g_assert_false(th_obs_parse_band("5km", &lo, &hi, &km));
  g_assert_false(th_obs_parse_band("5+-8km", &lo, &hi, &km));
}

static void assert_contains(const char *hay, const char *needle) {
  if (!strstr(hay, needle)) g_error("'%s' not found in:\n%s", needle, hay);
}

static void test_observed_bad_rows(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *p = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\n"
      "link_count,11,day,all,100,H: count\n"           /* 2: fine */
      "count,11,day,all,100,H\n"                       /* 3: type */
      "link_count,,day,all,100,H\n"                    /* 4: empty id */
      "link_count,x1,day,all,100,H\n"                  /* 5: id not integer */
      "link_count,12,8-9,all,100,H\n"                  /* 6: period */
      "link_count,13,09:00-08:00,all,100,H\n"          /* 7: end before start */
      "link_count,14,day,all,-3,H\n"                   /* 8: negative */
      "link_count,15,day,all,abc,H\n"                  /* 9: not a number */
      "mode_share,all,day,bus,35,H\n"                  /* 10: a percentage */
      "mode_share,county,day,bus,0.3,H\n"              /* 11: market */
      "mode_share,all,day,plane,0.3,H\n"               /* 12: mode */
      "mean_trip_min,all,day,work,0,H\n"               /* 13: time 0 */
      "link_count,16,day,all,10,from a survey\n"       /* 14: no mark */
      "link_count,11,day,all,120,M: again\n"          /* 15: twice */
      "trip_length_share,all,day,10-5km,0.2,E\n"       /* 16: band hi < lo */
      "trip_length_share,all,day,0-10mi,0.2,E\n"       /* 17: unit */
      "trip_length_share,all,day,30+min,1.5,E\n");     /* 18: share above 1 */
  g_autoptr(GError) e = NULL;
  g_autoptr(ThObserved) o = th_observed_read(p, &e);
  g_assert_null(o);
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  const char *m = e->message;
  g_autofree char *l3 = g_strdup_printf("%s:3: unknown type 'count'", p);
  assert_contains(m, l3);
  g_autofree char *l4 = g_strdup_printf("%s:4: empty id (a link id)", p);
  assert_contains(m, l4);
  g_autofree char *l5 = g_strdup_printf("%s:5: link id 'x1' is not an integer or FROM>TO", p);
  assert_contains(m, l5);
  g_autofree char *l6 = g_strdup_printf("%s:6: period '8-9' is not day or HH:MM-HH:MM", p);
  assert_contains(m, l6);
  g_autofree char *l7 = g_strdup_printf("%s:7: period '09:00-08:00'", p);
  assert_contains(m, l7);
  g_autofree char *l8 = g_strdup_printf("%s:8: value '-3' is not a number >= 0", p);
  assert_contains(m, l8);
  g_autofree char *l9 = g_strdup_printf("%s:9: value 'abc' is not a number >= 0", p);
  assert_contains(m, l9);
  g_autofree char *l10 = g_strdup_printf("%s:10: share 35 is above 1 (a share 0..1, not a percentage)", p);
  assert_contains(m, l10);
  g_autofree char *l11 = g_strdup_printf("%s:11: unknown market 'county'", p);
  assert_contains(m, l11);
  g_autofree char *l16 = g_strdup_printf("%s:16: band '10-5km' in class is not LO-HIkm, LO-HImin, LO+km or LO+min", p);
  assert_contains(m, l16);
  g_autofree char *l17 = g_strdup_printf("%s:17: band '0-10mi' in class", p);
  assert_contains(m, l17);
  g_autofree char *l18 = g_strdup_printf("%s:18: share 1.5 is above 1", p);
  assert_contains(m, l18);
  g_autofree char *l12 = g_strdup_printf("%s:12: mode 'plane' in class is unknown", p);
  assert_contains(m, l12);
  g_autofree char *l13 = g_strdup_printf("%s:13: mean trip time 0 is not > 0", p);
  assert_contains(m, l13);
  g_autofree char *l14 = g_strdup_printf("%s:14: source 'from a survey' does not start with its provenance mark", p);
  assert_contains(m, l14);
  g_autofree char *l15 = g_strdup_printf("%s:15: link_count 11 day all is observed twice (also line 2", p);
  assert_contains(m, l15);
  g_assert_null(strstr(m, ":2:"));
  /* missing column, empty file, screenlines */
  g_autofree char *p2 = th_test_write(dir, "o2.csv", "type,id,period,value,source\n");
  g_clear_error(&e);
  g_assert_null(th_observed_read(p2, &e));
  assert_contains(e->message, "missing required column 'class'");
  g_autofree char *p3 = th_test_write(dir, "o3.csv", "type,id,period,class,value,source\n");
  g_clear_error(&e);
  g_assert_null(th_observed_read(p3, &e));
  assert_contains(e->message, ":1: no observation");
  g_autofree char *s = th_test_write(dir, "sl.csv", "screenline,link_id\nA,1\n,2\nA,x\nA,1\n");
  g_clear_error(&e);
  g_autoptr(ThScreenlines) sl = th_screenlines_read(s, &e);
  g_assert_null(sl);
  g_autofree char *s3 = g_strdup_printf("%s:3: empty screenline", s);
  assert_contains(e->message, s3);
  g_autofree char *s4 = g_strdup_printf("%s:4: link_id 'x' is not an integer", s);
  assert_contains(e->message, s4);
  g_autofree char *s5 = g_strdup_printf("%s:5: link 1 is twice in screenline 'A' (also line 2)", s);
  assert_contains(e->message, s5);
  th_test_rmtree(dir);
}

/* Mutated observed.csv and screenlines.csv files (a fixed stream of byte
 * flips, insertions and truncations of valid rows) never crash the readers,
 * and every failure names the file and a line. */
static void test_readers_mutated(void) {
  g_autofree char *dir = th_test_tmpdir();
  const char *valid_obs =
      "type,id,period,class,value,source\nlink_count,11,day,all,100,H: a\n"
      "link_count,3>4,08:00-09:00,pcu,50.5,M: b\nscreenline,\"a,b\",day,trains,3,E\n"
      "mode_share,internal,17:00-18:30,bus,0.2,H\nmean_trip_km,all,day,car,12,E\n";
  const char *valid_sl = "screenline,link_id\nA,1\n\"a,b\",2\nA,3\n";
  const char alphabet[] = ",\">:-.0123456789\n\r#HME abcdefgh\xe9\xe6";
  guint32 state = 99;
  for (int round = 0; round < 400; round++) {
    const char *base = round % 2 ? valid_obs : valid_sl;
    g_autoptr(GString) t = g_string_new(base);
    state = state * 1664525u + 1013904223u;
    int edits = 1 + (int)(state >> 28);
    for (int k = 0; k < edits && t->len > 0; k++) {
      state = state * 1664525u + 1013904223u;
      gsize pos = (state >> 8) % t->len;
      state = state * 1664525u + 1013904223u;
      char c = alphabet[(state >> 8) % (sizeof alphabet - 1)];
      switch ((state >> 4) % 3) {
      case 0: t->str[pos] = c; break;
      case 1: g_string_insert_c(t, (gssize)pos, c); break;
      default: g_string_truncate(t, pos); break;
      }
    }
    g_autofree char *p = th_test_write(dir, round % 2 ? "o.csv" : "s.csv", t->str);
    g_autoptr(GError) e = NULL;
    if (round % 2) {
      g_autoptr(ThObserved) o = th_observed_read(p, &e);
      g_assert_true((o != NULL) != (e != NULL));
    } else {
      g_autoptr(ThScreenlines) sl = th_screenlines_read(p, &e);
      g_assert_true((sl != NULL) != (e != NULL));
    }
    if (e) {
      g_autofree char *prefix = g_strdup_printf("%s:", p);
      if (!g_str_has_prefix(e->message, prefix)) g_error("no FILE:LINE in '%s'", e->message);
    }
  }
  th_test_rmtree(dir);
}

/* validation.csv row of type and id: the whole line. */
static char *row_of(const char *text, const char *prefix) {
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    if (g_str_has_prefix(lines[i], prefix)) return g_strdup(lines[i]);
  g_error("no row %s in\n%s", prefix, text);
  return NULL;
}

static void test_validate_flows_hand(void) {
  g_autofree char *dir = th_test_tmpdir();
  /* an assign --flows file by hand: link 1 carries 110 cars + 10 trucks
   * (total 120, 135 pcu), link 2 80 in all, link 3 300 */
  g_autofree char *flows = th_test_write(dir, "flows.csv",
      "link_id,from,to,class,volume,pcu,time_min,cost\n"
      "1,1,2,car,110,110,1,1\n1,1,2,truck,10,25,1,1\n1,1,2,total,120,135,1,1\n"
      "2,2,3,car,80,80,1,1\n2,2,3,total,80,80,1,1\n"
      "3,3,4,car,300,300,1,1\n3,3,4,total,300,300,1,1\n");
  g_autofree char *obs = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\n"
      "link_count,1,08:00-09:00,all,100,H: count A\n"   /* GEH sqrt(2*400/220) = 1.907 */
      "link_count,1,08:00-09:00,pcu,150,H: count A\n"   /* 135 vs 150: GEH 1.257 */
      "link_count,1,08:00-09:00,truck,10,H: count A\n"  /* exact */
      "link_count,2,08:00-09:00,all,100,H: count B\n"   /* GEH sqrt(800/180) = 2.108 */
      "link_count,3,08:00-09:00,all,200,H: count C\n"   /* GEH sqrt(2e4/500) = 6.325 */
      "link_count,2>3,08:00-09:00,car,80,H: count B\n"  /* by its end nodes: exact */
      "screenline,river,08:00-09:00,all,220,M: sum\n"); /* 200 vs 220: -9.09 % */
  g_autofree char *sl = th_test_write(dir, "sl.csv", "screenline,link_id\nriver,1\nriver,2\n");
  g_autofree char *out = g_build_filename(dir, "v", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "validate", flows, "--observed", obs, "--screenlines", sl,
                           "--out", out, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_autofree char *csvp = g_build_filename(out, "validation.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(csvp, &text, NULL, NULL));
  g_autofree char *r1 = row_of(text, "link_count,1,08:00-09:00,all,");
  g_assert_cmpstr(r1, ==, "link_count,1,08:00-09:00,all,100,120,20,20.00,1.907,H: count A");
  g_autofree char *r2 = row_of(text, "link_count,1,08:00-09:00,pcu,");
  g_assert_cmpstr(r2, ==, "link_count,1,08:00-09:00,pcu,150,135,-15,-10.00,1.257,H: count A");
  g_autofree char *r3 = row_of(text, "link_count,1,08:00-09:00,truck,");
  g_assert_cmpstr(r3, ==, "link_count,1,08:00-09:00,truck,10,10,0,0.00,0.000,H: count A");
  g_autofree char *r5 = row_of(text, "link_count,3,");
  g_assert_cmpstr(r5, ==, "link_count,3,08:00-09:00,all,200,300,100,50.00,6.325,H: count C");
  g_autofree char *r7 = row_of(text, "link_count,2>3,");
  g_assert_cmpstr(r7, ==, "link_count,2>3,08:00-09:00,car,80,80,0,0.00,0.000,H: count B");
  g_autofree char *r6 = row_of(text, "screenline,river,");
  g_assert_cmpstr(r6, ==, "screenline,river,08:00-09:00,all,220,200,-20,-9.09,1.380,M: sum");
  /* summary: 6 counts, 5 with GEH < 5 (83.3 %: fails TAG's 85 %); RMSE =
   * sqrt((400 + 225 + 0 + 400 + 10000 + 0) / 6) / (640 / 6) x 100 */
  g_autofree char *sump = g_build_filename(out, "validation_summary.csv", NULL);
  g_autofree char *st = NULL;
  g_assert_true(g_file_get_contents(sump, &st, NULL, NULL));
  assert_contains(st, "link_counts,6,,\n");
  assert_contains(st, "geh_below_5_share,0.8333,> 0.85 (TAG M3.1),no\n");
  g_autofree char *rm = g_strdup_printf("rmse_pct,%.2f,", 100.0 * sqrt(11025.0 / 6) / (640.0 / 6));
  assert_contains(st, rm);
  assert_contains(st, "screenlines_within_5pct,0,all (TAG M3.1),no\n");
  assert_contains(so, "GEH < 5 for 83.3 % (criterion > 85 %): FAIL");
  g_autofree char *png = g_build_filename(out, "validation.png", NULL);
  g_assert_true(g_file_test(png, G_FILE_TEST_IS_REGULAR));
  /* same inputs, same bytes */
  g_autofree char *out2 = g_build_filename(dir, "v2", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", flows, "--observed", obs, "--screenlines", sl,
                                  "--out", out2, NULL), ==, 0);
  g_autofree char *png2 = g_build_filename(out2, "validation.png", NULL);
  g_autofree char *a = NULL, *b = NULL;
  gsize la, lb;
  g_assert_true(g_file_get_contents(png, &a, &la, NULL) && g_file_get_contents(png2, &b, &lb, NULL));
  g_assert_true(la == lb && memcmp(a, b, la) == 0);
  /* unknown links and screenlines: FILE:LINE, exit 2, nothing written */
  g_autofree char *bad = th_test_write(dir, "bad.csv",
      "type,id,period,class,value,source\nlink_count,9,day,all,1,H\nscreenline,lake,day,all,5,H\n");
  g_autofree char *out3 = g_build_filename(dir, "v3", NULL);
  g_autofree char *e3 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &e3, "validate", flows, "--observed", bad, "--screenlines", sl,
                                  "--out", out3, NULL), ==, 2);
  g_autofree char *m1 = g_strdup_printf("%s:2: link 9 is not in the flows file", bad);
  assert_contains(e3, m1);
  g_autofree char *m2 = g_strdup_printf("%s:3: screenline 'lake' is not defined", bad);
  assert_contains(e3, m2);
  g_assert_false(g_file_test(out3, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* Reads an OD CSV origin,destination,class,trips into a table keyed "o,d". */
static GHashTable *read_od(const char *path) {
  GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) csv = th_csv_open(path, &e);
  g_assert_no_error(e);
  int co = th_csv_column(csv, "origin"), cd = th_csv_column(csv, "destination"),
      ct = th_csv_column(csv, "trips");
  while (th_csv_next(csv, &e)) {
    double *v = g_new(double, 1);
    g_assert_true(th_parse_double(th_csv_field(csv, ct), v));
    g_hash_table_insert(t, g_strdup_printf("%s,%s", th_csv_field(csv, co), th_csv_field(csv, cd)), v);
  }
  g_assert_no_error(e);
  return t;
}

static double od_rmse(GHashTable *a, GHashTable *truth) {
  GHashTableIter it;
  gpointer k, v;
  double s = 0;
  int n = 0;
  g_hash_table_iter_init(&it, truth);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    double *x = g_hash_table_lookup(a, k);
    double d = (x ? *x : 0) - *(double *)v;
    s += d * d;
    n++;
  }
  return sqrt(s / n);
}

/* Counts from a known matrix on the sample network (every road link with
 * flow), a prior perturbed by up to +-30 % per cell (a fixed GSL-free LCG,
 * so the test is the same everywhere); ODME must bring >= 95 % of counts to
 * GEH < 5 and the matrix closer to the truth than the prior was. */
static void test_odme_synthetic_truth(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = th_test_src("scenarios/sample");
  g_autoptr(GString) truth = g_string_new("origin,destination,class,trips\n");
  g_autoptr(GString) prior = g_string_new("origin,destination,class,trips\n");
  guint32 state = 12345;
  for (int o = 1; o <= 9; o++)
    for (int d = 1; d <= 9; d++) {
      if (o == d) continue;
      double t = 300 + ((o * 7 + d * 3) % 5) * 200;
      state = state * 1664525u + 1013904223u;
      double u = (double)(state >> 8) / (double)(1u << 24); /* [0,1) */
      g_string_append_printf(truth, "%d,%d,car,%g\n", o, d, t);
      g_string_append_printf(prior, "%d,%d,car,%.4f\n", o, d, t * (0.7 + 0.6 * u));
    }
  g_autofree char *tp = th_test_write(dir, "truth.csv", truth->str);
  g_autofree char *pp = th_test_write(dir, "prior.csv", prior->str);
  g_autofree char *tf = g_build_filename(dir, "truth_flows.csv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "assign", net, "--trips", tp, "--flows", tf, NULL), ==, 0);
  /* the counts: total vehicles of every link the truth loads */
  g_autoptr(GString) obs = g_string_new("type,id,period,class,value,source\n");
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(ThCsv) csv = th_csv_open(tf, &e);
    g_assert_no_error(e);
    int cl = th_csv_column(csv, "link_id"), cc = th_csv_column(csv, "class"), cv = th_csv_column(csv, "volume");
    while (th_csv_next(csv, &e)) {
      double v;
      th_parse_double(th_csv_field(csv, cv), &v);
      if (strcmp(th_csv_field(csv, cc), "total") || v <= 0) continue;
      g_string_append_printf(obs, "link_count,%s,08:00-09:00,all,%.3f,E: synthetic truth\n",
                             th_csv_field(csv, cl), v);
    }
  }
  g_autofree char *op = th_test_write(dir, "observed.csv", obs->str);
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", net, "--trips", pp, "--observed", op, "--out", out, NULL);
  if (rc != 0) g_error("calibrate failed (%d):\n%s\n%s", rc, so, se);
  /* before: the prior fails; after: >= 95 % of counts GEH < 5 */
  g_autofree char *bp = g_build_filename(out, "validation_before_summary.csv", NULL);
  g_autofree char *ap = g_build_filename(out, "validation_after_summary.csv", NULL);
  g_autofree char *bt = NULL, *at = NULL;
  g_assert_true(g_file_get_contents(bp, &bt, NULL, NULL) && g_file_get_contents(ap, &at, NULL, NULL));
  double before = g_ascii_strtod(strstr(bt, "geh_below_5_share,") + 18, NULL);
  double after = g_ascii_strtod(strstr(at, "geh_below_5_share,") + 18, NULL);
  g_test_message("GEH < 5: %.3f before, %.3f after", before, after);
  g_assert_cmpfloat(before, <, 0.85);
  g_assert_cmpfloat(after, >=, 0.95);
  g_autofree char *ep = g_build_filename(out, "trips.csv", NULL);
  g_autoptr(GHashTable) T = read_od(tp), P = read_od(pp), E = read_od(ep);
  double rp = od_rmse(P, T), re = od_rmse(E, T);
  g_test_message("matrix RMSE against the truth: prior %.2f, estimate %.2f", rp, re);
  g_assert_cmpfloat(re, <, rp);
  /* a count on a rail link: no road trip can ever load it; refused */
  g_autoptr(GString) obs2 = g_string_new(obs->str);
  g_string_append(obs2, "link_count,1051,08:00-09:00,all,500,E: impossible\n");
  g_autofree char *op2 = th_test_write(dir, "observed2.csv", obs2->str);
  g_autofree char *out2 = g_build_filename(dir, "cal2", NULL);
  g_autofree char *so2 = NULL, *se2 = NULL;
  rc = th_test_taihang(&so2, &se2, "calibrate", net, "--trips", pp, "--observed", op2, "--out", out2,
                       "--no-simulation", NULL);
  g_assert_cmpint(rc, ==, 1);
  assert_contains(so2, "NOT MET: link 1051: the prior loads nothing on it");
  g_autofree char *tr2 = g_build_filename(out2, "trips.csv", NULL);
  g_assert_true(g_file_test(tr2, G_FILE_TEST_IS_REGULAR));
  g_autofree char *sim2 = g_build_filename(out2, "simulation", NULL);
  g_assert_false(g_file_test(sim2, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* The prior in GMNS demand.csv form gives demand.csv back; bad prior rows
 * are FILE:LINE errors (exit 2, nothing written). */
static void test_prior_forms(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = th_test_src("scenarios/sample");
  g_autofree char *prior = th_test_write(dir, "demand.csv",
      "o_zone_id,d_zone_id,volume\n1,2,300\n2,1,250\n1,8,400\n");
  g_autofree char *obs = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\nlink_count,1001,08:00-09:00,all,500,E: test\n");
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", net, "--trips", prior, "--observed", obs, "--out", out,
                           "--iterations", "3", "--no-simulation", NULL);
  g_assert_cmpint(rc, !=, 2);
  g_autofree char *dp = g_build_filename(out, "demand.csv", NULL);
  g_autofree char *dt = NULL;
  g_assert_true(g_file_get_contents(dp, &dt, NULL, NULL));
  g_assert_true(g_str_has_prefix(dt, "o_zone_id,d_zone_id,volume\n"));
  g_autofree char *tp = g_build_filename(out, "trips.csv", NULL);
  g_assert_false(g_file_test(tp, G_FILE_TEST_EXISTS));
  g_autofree char *bad = th_test_write(dir, "bad.csv",
      "origin,destination,class,trips\n1,2,car,10\n1,99,car,5\nx,2,car,5\n1,2,car,-4\n1,2,plane,3\n");
  g_autofree char *out2 = g_build_filename(dir, "cal2", NULL);
  g_autofree char *e2 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &e2, "calibrate", net, "--trips", bad, "--observed", obs, "--out",
                                  out2, NULL), ==, 2);
  g_autofree char *m3 = g_strdup_printf("%s:3: destination '99' is not a zone", bad);
  assert_contains(e2, m3);
  g_autofree char *m4 = g_strdup_printf("%s:4: origin 'x' is not a zone", bad);
  assert_contains(e2, m4);
  g_autofree char *m5 = g_strdup_printf("%s:5: trips '-4' is not a number >= 0", bad);
  assert_contains(e2, m5);
  g_autofree char *m6 = g_strdup_printf("%s:6: class 'plane' is unknown", bad);
  assert_contains(e2, m6);
  g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
  /* observations naming what the network does not have: before any file */
  g_autofree char *obs3 = th_test_write(dir, "o3.csv",
      "type,id,period,class,value,source\nlink_count,777,08:00-09:00,all,5,E\n"
      "link_count,1>9,08:00-09:00,all,5,E\n");
  g_autofree char *out3 = g_build_filename(dir, "cal3", NULL);
  g_autofree char *e3 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &e3, "calibrate", net, "--trips", prior, "--observed", obs3, "--out",
                                  out3, NULL), ==, 2);
  g_autofree char *m7 = g_strdup_printf("%s:2: link 777 is not in the network", obs3);
  assert_contains(e3, m7);
  g_autofree char *m8 = g_strdup_printf("%s:3: link 1>9 is not in the network", obs3);
  assert_contains(e3, m8);
  g_assert_false(g_file_test(out3, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* The shipped Yangcheng observations read, and name links of the network. */
static void test_yangcheng_observed(void) {
  g_autofree char *op = th_test_src("scenarios/yangcheng/observed.csv");
  g_autofree char *sp = th_test_src("scenarios/yangcheng/screenlines.csv");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThObserved) o = th_observed_read(op, &e);
  g_assert_no_error(e);
  g_autoptr(ThScreenlines) sl = th_screenlines_read(sp, &e);
  g_assert_no_error(e);
  for (guint i = 0; i < o->obs->len; i++) {
    const ThObservation *x = &g_array_index(o->obs, ThObservation, i);
    if (x->type == TH_OBS_SCREENLINE) g_assert_cmpint(th_screenlines_find(sl, x->id), >=, 0);
  }
  g_autofree char *lp = th_test_src("scenarios/yangcheng/base2020/link.csv");
  g_autofree char *links = NULL;
  g_assert_true(g_file_get_contents(lp, &links, NULL, NULL));
  for (guint k = 0; k < sl->links->len; k++) {
    GArray *ids = g_ptr_array_index(sl->links, k);
    for (guint j = 0; j < ids->len; j++) {
      g_autofree char *needle = g_strdup_printf("\n%" G_GINT64_FORMAT ",", g_array_index(ids, int64_t, j));
      g_assert_nonnull(strstr(links, needle));
    }
  }
}

/* DIR/s.ini: a scenario on the sample network (its buses and trains), 5 %
 * of a day's trips per resident as a 20 % sample, seed 7, ITERATIONS days. */
static char *sample_scenario(const char *dir, const char *name, int iterations) {
  g_autofree char *net = th_test_src("scenarios/sample");
  g_autofree char *text = g_strdup_printf(
      "[scenario]\nname = %s\n[network]\ndir = %s\n[demand]\ninternal_zones = 1-7\n"
      "trip_rate = 0.05\nsample = 0.2\n[sim]\nseed = 7\niterations = %d\nsample_factor = 0.2\n", name, net,
      iterations);
  return th_test_write(dir, "s.ini", text);
}

/* Trips of trips.csv per "origin,destination,class" cell. */
static GHashTable *cells_of(const char *path) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open(path, &e);
  g_assert_no_error(e);
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int co = th_csv_column(c, "origin"), cd = th_csv_column(c, "destination"), cc = th_csv_column(c, "class");
  while (th_csv_next(c, &e)) {
    char *k = g_strdup_printf("%s,%s,%s", th_csv_field(c, co), th_csv_field(c, cd), th_csv_field(c, cc));
    int n = GPOINTER_TO_INT(g_hash_table_lookup(h, k));
    g_hash_table_replace(h, k, GINT_TO_POINTER(n + 1));
  }
  g_assert_no_error(e);
  return h;
}
static int cell(GHashTable *h, const char *k) { return GPOINTER_TO_INT(g_hash_table_lookup(h, k)); }

/* [demand] od_factors on the sample scenario's synthetic trips, by hand: a
 * cell with factor 0 loses its trips, factor 2 doubles them exactly, a
 * truck-only row leaves car trips alone, a car row of 1 beside a row of 0
 * for every class keeps the car trips, factor 1.5 keeps each trip once or
 * twice (binomial: n + about n/2), every other cell is unchanged; the file
 * is relative to the scenario that names it; the same inputs give the same
 * trips. */
static void test_od_factors(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = sample_scenario(dir, "sample-odf", 3);
  g_autofree char *t0 = g_build_filename(dir, "t0.csv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "demand", ini, "--out", t0, "--quiet", NULL), ==, 0);
  g_autoptr(GHashTable) c0 = cells_of(t0);
  int n81 = cell(c0, "8,1,car"), n18 = cell(c0, "1,8,car"), n28 = cell(c0, "2,8,car"),
      n82 = cell(c0, "8,2,car");
  g_assert_cmpint(n81, >, 100);
  g_assert_cmpint(n28, >, 100);
  g_autofree char *sub = g_build_filename(dir, "f", NULL);
  g_mkdir_with_parents(sub, 0755);
  g_autofree char *fp = th_test_write(sub, "od_factors.csv",
                                      "origin,destination,factor,class\n8,1,0,\n1,8,2,car\n"
                                      "2,8,1.5,\n8,2,3,truck\n4,1,0,\n4,1,1,car\n");
  (void)fp;
  g_autofree char *fini = th_test_write(sub, "f.ini", "[scenario]\nbase = ../s.ini\n[demand]\nod_factors = od_factors.csv\n");
  g_autofree char *t1 = g_build_filename(dir, "t1.csv", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "demand", fini, "--out", t1, "--quiet", NULL);
  if (rc != 0) g_error("demand failed (%d):\n%s\n%s", rc, so, se);
  g_autoptr(GHashTable) c1 = cells_of(t1);
  g_assert_cmpint(cell(c1, "8,1,car"), ==, 0);
  g_assert_cmpint(cell(c1, "1,8,car"), ==, 2 * n18);
  g_assert_cmpint(cell(c1, "8,2,car"), ==, n82);
  g_assert_cmpint(cell(c1, "4,1,car"), ==, cell(c0, "4,1,car")); /* the class's own row wins */
  g_assert_cmpint(cell(c0, "4,1,car"), >, 0);
  int x = cell(c1, "2,8,car") - n28; /* the trips drawn twice: Binomial(n28, 1/2) */
  g_test_message("factor 1.5 on %d trips: %d drawn twice", n28, x);
  g_assert_cmpint(abs(2 * x - n28), <=, 4 * (int)ceil(sqrt(n28)));
  /* every other cell as before */
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, c0);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    if (!strcmp(k, "8,1,car") || !strcmp(k, "1,8,car") || !strcmp(k, "2,8,car")) continue;
    g_assert_cmpint(cell(c1, k), ==, GPOINTER_TO_INT(v));
  }
  /* deterministic */
  g_autofree char *t2 = g_build_filename(dir, "t2.csv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "demand", fini, "--out", t2, "--quiet", NULL), ==, 0);
  g_autofree char *a = NULL, *b = NULL;
  g_assert_true(g_file_get_contents(t1, &a, NULL, NULL));
  g_assert_true(g_file_get_contents(t2, &b, NULL, NULL));
  g_assert_cmpstr(a, ==, b);
  /* bad input: every row at once, FILE:LINE, exit 2, nothing written */
  g_autofree char *bad = th_test_write(sub, "bad.csv",
                                       "origin,destination,factor,class\n99,1,1,\n1,火星,1,\n1,2,-1,\n"
                                       "1,2,x,\n1,3,1,plane\n1,4,2,\n1,4,3,\n");
  g_autofree char *bini = th_test_write(sub, "b.ini", "[scenario]\nbase = ../s.ini\n[demand]\nod_factors = bad.csv\n");
  g_autofree char *t3 = g_build_filename(dir, "t3.csv", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "demand", bini, "--out", t3, NULL), ==, 2);
  const char *want[] = {":2: origin '99' is not a zone", ":3: destination '火星' is not a zone",
                        ":4: factor '-1' is not a number >= 0", ":5: factor 'x' is not a number >= 0",
                        ":6: class 'plane' is not a class", ":8: 1 -> 4 is given twice (also line 7"};
  for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
    g_autofree char *w = g_strdup_printf("%s%s", bad, want[i]);
    assert_contains(err, w);
  }
  g_assert_false(g_file_test(t3, G_FILE_TEST_EXISTS));
  g_autofree char *hdr = th_test_write(sub, "hdr.csv", "origin,destination\n1,2\n");
  g_autofree char *hini = th_test_write(sub, "h.ini", "[scenario]\nbase = ../s.ini\n[demand]\nod_factors = hdr.csv\n");
  g_autofree char *err2 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err2, "demand", hini, "--out", t3, NULL), ==, 2);
  assert_contains(err2, "factor");
  g_autofree char *mini = th_test_write(sub, "m.ini", "[scenario]\nbase = ../s.ini\n[demand]\nod_factors = none.csv\n");
  g_autofree char *err3 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err3, "demand", mini, "--out", t3, NULL), ==, 2);
  g_autofree char *w3 = g_strdup_printf("%s/m.ini:4: [demand] od_factors = '%s/none.csv' is not an existing file", sub, sub);
  assert_contains(err3, w3);
  g_assert_false(g_file_test(t3, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* Mode constants on the sample network with its buses: the bus share of all
 * passenger trips reaches the target within 1 point, and calibrated.ini run
 * again reproduces it. */
static void test_asc_reaches_share(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = sample_scenario(dir, "sample-asc", 3);
  g_autofree char *obs = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\nmode_share,all,day,bus,0.10,E: test target\n");
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", ini, "--observed", obs, "--out", out, NULL);
  if (rc != 0) g_error("calibrate failed (%d):\n%s\n%s", rc, so, se);
  g_autofree char *vp = g_build_filename(out, "validation_after.csv", NULL);
  g_autofree char *vt = NULL;
  g_assert_true(g_file_get_contents(vp, &vt, NULL, NULL));
  g_autofree char *row = row_of(vt, "mode_share,all,day,bus,0.1,");
  double share = g_ascii_strtod(row + strlen("mode_share,all,day,bus,0.1,"), NULL);
  g_test_message("bus share after calibration %.4f (target 0.10)", share);
  g_assert_cmpfloat(fabs(share - 0.10), <=, 0.01);
  g_autofree char *bp = g_build_filename(out, "validation_before.csv", NULL);
  g_autofree char *bt = NULL;
  g_assert_true(g_file_get_contents(bp, &bt, NULL, NULL));
  g_autofree char *brow = row_of(bt, "mode_share,all,day,bus,0.1,");
  double before = g_ascii_strtod(brow + strlen("mode_share,all,day,bus,0.1,"), NULL);
  g_assert_cmpfloat(fabs(before - 0.10), >, 0.05); /* there was something to fit */
  /* the calibrated scenario reproduces the share */
  g_autofree char *cal = g_build_filename(out, "calibrated.ini", NULL);
  g_autofree char *ct = NULL;
  g_assert_true(g_file_get_contents(cal, &ct, NULL, NULL));
  assert_contains(ct, "[choice]\nasc.car.bus = -");
  g_autofree char *rdir = g_build_filename(dir, "rerun", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", cal, "--out", rdir, "--quiet", NULL), ==, 0);
  g_autofree char *vout = g_build_filename(dir, "rv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", rdir, "--observed", obs, "--out", vout, NULL), ==, 0);
  g_autofree char *rv = g_build_filename(vout, "validation.csv", NULL);
  g_autofree char *rvt = NULL;
  g_assert_true(g_file_get_contents(rv, &rvt, NULL, NULL));
  g_autofree char *rrow = row_of(rvt, "mode_share,all,day,bus,0.1,");
  g_assert_cmpstr(rrow, ==, row);
  /* the other figures of a results folder, against the files themselves
   * (sample factor 0.2: flows x 5; services_out.csv and stops_out.csv are
   * at full scale) */
  g_autofree char *obs3 = th_test_write(dir, "o3.csv",
      "type,id,period,class,value,source\n"
      "link_count,1001,day,all,1000,E\nlink_count,1001,00:00-24:00,all,1000,E\n"
      "link_count,1001,day,car,1000,E\nlink_count,103>102,day,all,1000,E\n"
      "line_boardings,K1,day,,100,E\nline_boardings,K1,08:00-10:00,,100,E\n"
      "hub_tonnes,阳城站,day,,10,E\nmean_trip_km,all,day,car,20,E\n"
      "stop_boardings,润城镇,day,B1,100,E\nstop_boardings,3,day,,100,E\n"
      "stop_boardings,3,07:00-09:00,,100,E\n");
  g_autofree char *vout3 = g_build_filename(dir, "rv3", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", rdir, "--observed", obs3, "--out", vout3, NULL), ==, 0);
  double day_veh = 0, k1 = 0, k1_am = 0, km_trips = 0, km_sum = 0;
  {
    g_autoptr(GError) e = NULL;
    g_autofree char *lf = g_build_filename(rdir, "link_flows.csv", NULL);
    g_autoptr(ThCsv) c = th_csv_open(lf, &e);
    int cl = th_csv_column(c, "link_id"), cm = th_csv_column(c, "mode"), cv = th_csv_column(c, "vehicles");
    while (th_csv_next(c, &e))
      if (!strcmp(th_csv_field(c, cl), "1001") && !strcmp(th_csv_field(c, cm), "road"))
        day_veh += g_ascii_strtod(th_csv_field(c, cv), NULL);
    g_autofree char *sv = g_build_filename(rdir, "services_out.csv", NULL);
    g_autoptr(ThCsv) d = th_csv_open(sv, &e);
    int dl = th_csv_column(d, "line"), dd = th_csv_column(d, "departure"), db = th_csv_column(d, "boarded_load");
    while (th_csv_next(d, &e)) {
      if (strcmp(th_csv_field(d, dl), "K1")) continue;
      double b = g_ascii_strtod(th_csv_field(d, db), NULL);
      k1 += b;
      if (strcmp(th_csv_field(d, dd), "08:00:00") >= 0 && strcmp(th_csv_field(d, dd), "10:00:00") < 0) k1_am += b;
    }
    g_assert_no_error(e);
    g_autofree char *ot = g_build_filename(rdir, "od_times.csv", NULL);
    g_autoptr(ThCsv) f = th_csv_open(ot, &e);
    int fc = th_csv_column(f, "class"), fp = th_csv_column(f, "period"), ft = th_csv_column(f, "trips"),
        fd = th_csv_column(f, "distance_km");
    while (th_csv_next(f, &e)) {
      if (strcmp(th_csv_field(f, fp), "day") || strcmp(th_csv_field(f, fc), "car")) continue;
      double t = g_ascii_strtod(th_csv_field(f, ft), NULL);
      km_trips += t;
      km_sum += t * g_ascii_strtod(th_csv_field(f, fd), NULL);
    }
    g_assert_no_error(e);
  }
  /* stops_out.csv: boarded_load at 润城镇 (node 3), line B1 and every line */
  double st_b1 = 0, st_all = 0;
  {
    g_autoptr(GError) e = NULL;
    g_autofree char *sp = g_build_filename(rdir, "stops_out.csv", NULL);
    g_autoptr(ThCsv) c = th_csv_open(sp, &e);
    g_assert_no_error(e);
    int cl = th_csv_column(c, "line"), cs = th_csv_column(c, "stop"), cb = th_csv_column(c, "boarded_load");
    while (th_csv_next(c, &e)) {
      if (strcmp(th_csv_field(c, cs), "3")) continue;
      double b = g_ascii_strtod(th_csv_field(c, cb), NULL);
      st_all += b;
      if (!strcmp(th_csv_field(c, cl), "B1")) st_b1 += b;
    }
    g_assert_no_error(e);
  }
  g_assert_cmpfloat(st_b1, >, 0);
  g_assert_cmpfloat(st_all, >, st_b1);
  g_assert_cmpfloat(km_trips, >, 0);
  g_assert_cmpfloat(day_veh, >, 0);
  g_assert_cmpfloat(k1_am, >, 0);
  g_assert_cmpfloat(k1_am, <, k1);
  g_autofree char *v3 = g_build_filename(vout3, "validation.csv", NULL);
  g_autofree char *v3t = NULL;
  g_assert_true(g_file_get_contents(v3, &v3t, NULL, NULL));
  g_autofree char *e1 = g_strdup_printf("link_count,1001,day,all,1000,%g,", 5 * day_veh);
  assert_contains(v3t, e1);
  g_autofree char *e2 = g_strdup_printf("link_count,1001,00:00-24:00,all,1000,%g,", 5 * day_veh);
  assert_contains(v3t, e2);
  g_autofree char *e3 = g_strdup_printf("link_count,1001,day,car,1000,%g,", 5 * day_veh);
  assert_contains(v3t, e3);
  g_autofree char *e3b = g_strdup_printf("link_count,103>102,day,all,1000,%g,", 5 * day_veh);
  assert_contains(v3t, e3b);
  /* services_out.csv is at full scale already (it was expanded twice) */
  g_autofree char *e4 = g_strdup_printf("line_boardings,K1,day,all,100,%g,", k1);
  assert_contains(v3t, e4);
  g_autofree char *e5 = g_strdup_printf("line_boardings,K1,08:00-10:00,all,100,%g,", k1_am);
  assert_contains(v3t, e5);
  assert_contains(v3t, "hub_tonnes,阳城站,day,all,10,0,-10,-100.00,,E\n");
  g_autofree char *e6 = g_strdup_printf("mean_trip_km,all,day,car,20,%g,", km_sum / km_trips);
  assert_contains(v3t, e6);
  g_autofree char *e7 = g_strdup_printf("stop_boardings,润城镇,day,B1,100,%g,", st_b1);
  assert_contains(v3t, e7);
  g_autofree char *e8 = g_strdup_printf("stop_boardings,3,day,all,100,%g,", st_all);
  assert_contains(v3t, e8);
  assert_contains(v3t, "stop_boardings,3,07:00-09:00,all,100,,,,,E\n"); /* per period: not in the folder */
  /* a stop or line the run does not have: FILE:LINE, exit 2, nothing written */
  g_autofree char *obs4 = th_test_write(dir, "o4.csv",
      "type,id,period,class,value,source\nstop_boardings,火星,day,,1,E\nstop_boardings,3,day,Z9,1,E\n");
  g_autofree char *vout4 = g_build_filename(dir, "rv4", NULL);
  g_autofree char *err4 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err4, "validate", rdir, "--observed", obs4, "--out", vout4, NULL), ==, 2);
  g_autofree char *m1 = g_strdup_printf("%s:2: stop '火星' is not in", obs4);
  g_autofree char *m2 = g_strdup_printf("%s:3: line 'Z9' is not in", obs4);
  assert_contains(err4, m1);
  assert_contains(err4, m2);
  g_assert_false(g_file_test(vout4, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* Constants per market on the sample scenario (study area zones 1-7):
 * targets for the bus share of internal and of external trips are both
 * reached within 1 point by asc.car.bus.internal and asc.car.bus.external,
 * and calibrated.ini reproduces them. By hand: a constant of -30 for the
 * internal market alone (exp(-30) ~ 1e-13) leaves no internal trip on the
 * bus while external trips still take it. */
static void test_asc_per_market(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = sample_scenario(dir, "sample-market", 3);
  g_autofree char *obs = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\nmode_share,internal,day,bus,0.08,E: t\n"
      "mode_share,external,day,bus,0.15,E: t\n");
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", ini, "--observed", obs, "--out", out, NULL);
  if (rc != 0) g_error("calibrate failed (%d):\n%s\n%s", rc, so, se);
  g_autofree char *vp = g_build_filename(out, "validation_after.csv", NULL);
  g_autofree char *vt = NULL;
  g_assert_true(g_file_get_contents(vp, &vt, NULL, NULL));
  const char *rows[] = {"mode_share,internal,day,bus,0.08,", "mode_share,external,day,bus,0.15,"};
  const double want[] = {0.08, 0.15};
  g_autofree char *bp = g_build_filename(out, "validation_before.csv", NULL);
  g_autofree char *bt = NULL;
  g_assert_true(g_file_get_contents(bp, &bt, NULL, NULL));
  for (int i = 0; i < 2; i++) {
    g_autofree char *row = row_of(vt, rows[i]), *brow = row_of(bt, rows[i]);
    double share = g_ascii_strtod(row + strlen(rows[i]), NULL), before = g_ascii_strtod(brow + strlen(rows[i]), NULL);
    g_test_message("%s %.4f -> %.4f (target %.2f)", rows[i], before, share, want[i]);
    g_assert_cmpfloat(fabs(before - want[i]), >, 0.03); /* there was something to fit */
    g_assert_cmpfloat(fabs(share - want[i]), <=, 0.01);
  }
  g_autofree char *cal = g_build_filename(out, "calibrated.ini", NULL);
  g_autofree char *ct = NULL;
  g_assert_true(g_file_get_contents(cal, &ct, NULL, NULL));
  assert_contains(ct, "\nasc.car.bus.internal = -");
  assert_contains(ct, "\nasc.car.bus.external = -");
  g_autofree char *rdir = g_build_filename(dir, "rerun", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", cal, "--out", rdir, "--quiet", NULL), ==, 0);
  g_autofree char *vout = g_build_filename(dir, "rv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", rdir, "--observed", obs, "--internal-zones", "1-7",
                                  "--out", vout, NULL), ==, 0);
  g_autofree char *rv = g_build_filename(vout, "validation.csv", NULL);
  g_autofree char *rvt = NULL;
  g_assert_true(g_file_get_contents(rv, &rvt, NULL, NULL));
  for (int i = 0; i < 2; i++) {
    g_autofree char *a = row_of(vt, rows[i]), *b = row_of(rvt, rows[i]);
    g_assert_cmpstr(a, ==, b);
  }
  /* by hand: -30 for internal trips only */
  g_autofree char *neg = th_test_write(dir, "neg.ini", "[scenario]\nbase = s.ini\n[choice]\nasc.car.bus.internal = -30\n");
  g_autofree char *ndir = g_build_filename(dir, "neg", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", neg, "--out", ndir, "--quiet", NULL), ==, 0);
  g_autofree char *nout = g_build_filename(dir, "nv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", ndir, "--observed", obs, "--internal-zones", "1-7",
                                  "--out", nout, NULL), ==, 0);
  g_autofree char *nv = g_build_filename(nout, "validation.csv", NULL);
  g_autofree char *nvt = NULL;
  g_assert_true(g_file_get_contents(nv, &nvt, NULL, NULL));
  assert_contains(nvt, "mode_share,internal,day,bus,0.08,0,");
  g_autofree char *ext = row_of(nvt, rows[1]);
  g_assert_cmpfloat(g_ascii_strtod(ext + strlen(rows[1]), NULL), >, 0.05);
  th_test_rmtree(dir);
}

/* The trip length distribution of internal trips on the sample scenario:
 * one factor on both betas brings the run's coincidence ratio from 0.55 to
 * 0.7 or more, and calibrated.ini reproduces the fitted figures. */
static void test_distribution_fit(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = sample_scenario(dir, "sample-tld", 3);
  g_autofree char *obs = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\ntrip_length_share,internal,day,0-20min,0.5,E: t\n"
      "trip_length_share,internal,day,20-40min,0.35,E: t\ntrip_length_share,internal,day,40+min,0.15,E: t\n");
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", ini, "--observed", obs, "--out", out, NULL);
  if (rc != 0) g_error("calibrate failed (%d):\n%s\n%s", rc, so, se);
  assert_contains(so, "coincidence ratio of the trip length distribution (internal, minutes");
  g_autofree char *bp = g_build_filename(out, "validation_before_summary.csv", NULL);
  g_autofree char *ap = g_build_filename(out, "validation_after_summary.csv", NULL);
  g_autofree char *bt = NULL, *at = NULL;
  g_assert_true(g_file_get_contents(bp, &bt, NULL, NULL) && g_file_get_contents(ap, &at, NULL, NULL));
  double cb = g_ascii_strtod(strstr(bt, "min_coincidence_ratio,") + 22, NULL);
  double ca = g_ascii_strtod(strstr(at, "min_coincidence_ratio,") + 22, NULL);
  g_test_message("coincidence ratio %.4f -> %.4f", cb, ca);
  g_assert_cmpfloat(ca, >=, 0.7);
  g_assert_cmpfloat(ca, >, cb + 0.1);
  g_autofree char *cal = g_build_filename(out, "calibrated.ini", NULL);
  g_autofree char *ct = NULL;
  g_assert_true(g_file_get_contents(cal, &ct, NULL, NULL));
  assert_contains(ct, "\nbeta_work = ");
  assert_contains(ct, "\nbeta_other = ");
  g_autofree char *rdir = g_build_filename(dir, "rerun", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", cal, "--out", rdir, "--quiet", NULL), ==, 0);
  g_autofree char *vout = g_build_filename(dir, "rv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", rdir, "--observed", obs, "--internal-zones", "1-7",
                                  "--out", vout, NULL), ==, 0);
  g_autofree char *a1 = g_build_filename(out, "validation_after.csv", NULL), *a2 = g_build_filename(vout, "validation.csv", NULL);
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_assert_true(g_file_get_contents(a1, &t1, NULL, NULL) && g_file_get_contents(a2, &t2, NULL, NULL));
  g_assert_cmpstr(t1, ==, t2);
  th_test_rmtree(dir);
}

/* ODME on a scenario: counts from a run of 1.4 x the demand; calibrating
 * the 1 x scenario to them brings its simulated counts closer (RMSE falls,
 * the total rises), writes od_factors.csv, and calibrated.ini, which sets
 * it as [demand] od_factors, reproduces the validation. */
static void test_scenario_odme(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = sample_scenario(dir, "sample-odme", 3);
  g_autofree char *grown = th_test_write(dir, "g.ini", "[scenario]\nbase = s.ini\n[demand]\ngrowth = 1.4\n");
  g_autofree char *gdir = g_build_filename(dir, "grown", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", grown, "--out", gdir, "--quiet", NULL), ==, 0);
  /* the counts: road vehicles a day of every link with 200 or more */
  g_autoptr(GHashTable) veh = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  {
    g_autoptr(GError) e = NULL;
    g_autofree char *lf = g_build_filename(gdir, "link_flows.csv", NULL);
    g_autoptr(ThCsv) c = th_csv_open(lf, &e);
    int cl = th_csv_column(c, "link_id"), cm = th_csv_column(c, "mode"), cv = th_csv_column(c, "vehicles");
    while (th_csv_next(c, &e)) {
      if (strcmp(th_csv_field(c, cm), "road")) continue;
      double *x = g_hash_table_lookup(veh, th_csv_field(c, cl));
      if (!x) {
        x = g_new0(double, 1);
        g_hash_table_insert(veh, g_strdup(th_csv_field(c, cl)), x);
      }
      *x += 5 * g_ascii_strtod(th_csv_field(c, cv), NULL);
    }
    g_assert_no_error(e);
  }
  g_autoptr(GString) obs = g_string_new("type,id,period,class,value,source\n");
  g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(veh), (GCompareFunc)strcmp);
  for (GList *l = keys; l; l = l->next) {
    double x = *(double *)g_hash_table_lookup(veh, l->data);
    if (x >= 200) g_string_append_printf(obs, "link_count,%s,day,all,%.0f,E: synthetic\n", (char *)l->data, x);
  }
  g_autofree char *op = th_test_write(dir, "observed.csv", obs->str);
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", ini, "--observed", op, "--out", out, NULL);
  if (rc != 0) g_error("calibrate failed (%d):\n%s\n%s", rc, so, se);
  assert_contains(so, "ODME (Spiess 1990) on the road vehicles");
  g_autofree char *bp = g_build_filename(out, "validation_before_summary.csv", NULL);
  g_autofree char *ap = g_build_filename(out, "validation_after_summary.csv", NULL);
  g_autofree char *bt = NULL, *at = NULL;
  g_assert_true(g_file_get_contents(bp, &bt, NULL, NULL) && g_file_get_contents(ap, &at, NULL, NULL));
  double rb = g_ascii_strtod(strstr(bt, "rmse_pct,") + 9, NULL), ra = g_ascii_strtod(strstr(at, "rmse_pct,") + 9, NULL);
  double mb = g_ascii_strtod(strstr(bt, "modelled_total,") + 15, NULL);
  double ma = g_ascii_strtod(strstr(at, "modelled_total,") + 15, NULL);
  double ot = g_ascii_strtod(strstr(bt, "observed_total,") + 15, NULL);
  g_test_message("scenario ODME: RMSE %.1f %% -> %.1f %%, counted total %.0f -> %.0f (observed %.0f)", rb, ra,
                 mb, ma, ot);
  g_assert_cmpfloat(ra, <, 0.75 * rb);
  g_assert_cmpfloat(fabs(ma - ot), <, fabs(mb - ot));
  /* calibrated.ini (with its [demand] od_factors) gives the same figures */
  g_autofree char *cal = g_build_filename(out, "calibrated.ini", NULL);
  g_autofree char *ct = NULL;
  g_assert_true(g_file_get_contents(cal, &ct, NULL, NULL));
  assert_contains(ct, "\nod_factors = od_factors.csv\n");
  g_autofree char *rdir = g_build_filename(dir, "rerun", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", cal, "--out", rdir, "--quiet", NULL), ==, 0);
  g_autofree char *vout = g_build_filename(dir, "rv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", rdir, "--observed", op, "--out", vout, NULL), ==, 0);
  g_autofree char *a1 = g_build_filename(out, "validation_after.csv", NULL), *a2 = g_build_filename(vout, "validation.csv", NULL);
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_assert_true(g_file_get_contents(a1, &t1, NULL, NULL) && g_file_get_contents(a2, &t2, NULL, NULL));
  g_assert_cmpstr(t1, ==, t2);
  th_test_rmtree(dir);
}

/* Gravity deterrence per purpose to a target mean trip time: reached within
 * 0.5 % on the sample network, and an unreachable target refused with its
 * reason (exit 1, files still written). */
static void test_beta_to_mean(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini = sample_scenario(dir, "sample-beta", 2);
  g_autofree char *obs = th_test_write(dir, "observed.csv",
      "type,id,period,class,value,source\nmean_trip_min,all,day,work,74,E: test\n"
      "mean_trip_min,internal,day,other,40,E: test\n");
  g_autofree char *out = g_build_filename(dir, "cal", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = th_test_taihang(&so, &se, "calibrate", ini, "--observed", obs, "--out", out, NULL);
  if (rc != 0) g_error("calibrate failed (%d):\n%s\n%s", rc, so, se);
  const char *purposes[] = {"beta_work: ", "beta_other: "};
  for (int p = 0; p < 2; p++) {
    const char *l = strstr(so, purposes[p]);
    g_assert_nonnull(l);
    const char *a = strstr(l, ") ");
    const char *arrow = strstr(a, "-> ");
    double mean = g_ascii_strtod(arrow + 3, NULL);
    double target = g_ascii_strtod(strstr(arrow, "target ") + 7, NULL);
    g_test_message("%s mean %.3f target %.3f", purposes[p], mean, target);
    g_assert_cmpfloat(fabs(mean - target), <=, 0.005 * target);
  }
  g_autofree char *cal = g_build_filename(out, "calibrated.ini", NULL);
  g_autofree char *ct = NULL;
  g_assert_true(g_file_get_contents(cal, &ct, NULL, NULL));
  assert_contains(ct, "[demand]\nbeta_work = ");
  assert_contains(ct, "\nbeta_other = ");
  /* a line and a hub the scenario does not have: refused before any run */
  g_autofree char *obs4 = th_test_write(dir, "o4.csv",
      "type,id,period,class,value,source\nline_boardings,G99,day,,5,E\nhub_tonnes,nowhere,day,,5,E\n");
  g_autofree char *out4 = g_build_filename(dir, "cal4", NULL);
  g_autofree char *e4 = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &e4, "calibrate", ini, "--observed", obs4, "--out", out4, NULL), ==, 2);
  g_autofree char *m1 = g_strdup_printf("%s:2: line 'G99' is not in services.csv", obs4);
  assert_contains(e4, m1);
  g_autofree char *m2 = g_strdup_printf("%s:3: hub 'nowhere' is not in hubs.csv", obs4);
  assert_contains(e4, m2);
  g_assert_false(g_file_test(out4, G_FILE_TEST_EXISTS));
  /* 25 minutes is shorter than any mean this zone system allows */
  g_autofree char *obs2 = th_test_write(dir, "o2.csv",
      "type,id,period,class,value,source\nmean_trip_min,all,day,work,25,E: test\n");
  g_autofree char *out2 = g_build_filename(dir, "cal2", NULL);
  g_autofree char *so2 = NULL, *se2 = NULL;
  g_assert_cmpint(th_test_taihang(&so2, &se2, "calibrate", ini, "--observed", obs2, "--out", out2, NULL), ==, 1);
  assert_contains(so2, "NOT MET: even the steepest deterrence");
  assert_contains(se2, "some targets were not met");
  g_autofree char *after = g_build_filename(out2, "validation_after.csv", NULL);
  g_assert_true(g_file_test(after, G_FILE_TEST_IS_REGULAR));
  th_test_rmtree(dir);
}

static void test_zone_list(void) {
  g_autoptr(GError) e = NULL;
  g_autoptr(GHashTable) s = th_calib_parse_zone_list("1-3;7, 1 100002 ;Z-3", &e);
  g_assert_no_error(e);
  g_assert_cmpuint(g_hash_table_size(s), ==, 6);
  g_assert_true(g_hash_table_contains(s, "7"));
  g_assert_true(g_hash_table_contains(s, "2"));
  g_assert_false(g_hash_table_contains(s, "4"));
  g_assert_true(g_hash_table_contains(s, "1 100002")); /* a GMNS text id, kept whole */
  g_assert_true(g_hash_table_contains(s, "Z-3"));      /* not a range of numbers: a text id */
  g_assert_null(th_calib_parse_zone_list("5-2", &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
}

/* Issue 13: markets on a network with GMNS text zone ids. The utm folder's
 * demand is 100 trips 1 -> Z3 and 50 trips Z3 -> 1, 3 min and 3.219 km
 * each; with the study area Z3 all 150 are external (one end inside), none
 * internal. Read as numbers, "Z3" made every trip drop out of the markets. */
static void test_markets_text_ids(void) {
  g_autofree char *net = th_test_src("tests/data/gmns-spec/utm");
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *res = g_build_filename(dir, "res", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", net, "--out", res, NULL), ==, 0);
  g_autofree char *obs = th_test_write(dir, "o.csv",
                                       "type,id,period,class,value,source\n"
                                       "mode_share,external,day,road,1,E: t\n"
                                       "mean_trip_min,external,day,all,3,E: t\n"
                                       "mean_trip_km,external,day,all,3,E: t\n"
                                       "mode_share,internal,day,road,1,E: t\n"
                                       "trip_length_share,external,day,0-2min,0.2,E: t\n"
                                       "trip_length_share,external,day,2-5min,0.6,E: t\n"
                                       "trip_length_share,external,day,5+min,0.2,E: t\n"
                                       "trip_length_share,external,day,0-3km,0.5,E: t\n"
                                       "trip_length_share,external,day,3+km,0.5,E: t\n");
  g_autofree char *out = g_build_filename(dir, "v", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", res, "--observed", obs, "--internal-zones",
                                  "Z3", "--out", out, NULL),
                  ==, 0);
  g_autofree char *vp = g_build_filename(out, "validation.csv", NULL);
  g_autofree char *v = NULL;
  g_assert_true(g_file_get_contents(vp, &v, NULL, NULL));
  assert_contains(v, "mode_share,external,day,road,1,1,0,0.00,,E: t\n");
  assert_contains(v, "mean_trip_min,external,day,all,3,3,0,0.00,,E: t\n");
  assert_contains(v, "mean_trip_km,external,day,all,3,3.219,0.219,7.30,,E: t\n");
  assert_contains(v, "mode_share,internal,day,road,1,,,,,E: t\n"); /* no internal trip */
  /* every trip takes 3 min and 3.219 km: all in 2-5min and in 3+km; the
   * coincidence ratios 0.6 / 1.4 and 0.5 / 1.5 */
  assert_contains(v, "trip_length_share,external,day,0-2min,0.2,0,");
  assert_contains(v, "trip_length_share,external,day,2-5min,0.6,1,");
  assert_contains(v, "trip_length_share,external,day,5+min,0.2,0,");
  assert_contains(v, "trip_length_share,external,day,0-3km,0.5,0,");
  assert_contains(v, "trip_length_share,external,day,3+km,0.5,1,");
  g_autofree char *sp = g_build_filename(out, "validation_summary.csv", NULL);
  g_autofree char *st = NULL;
  g_assert_true(g_file_get_contents(sp, &st, NULL, NULL));
  assert_contains(st, "trip_length_distributions,2,,\nmin_coincidence_ratio,0.3333,>= 0.7,no\n");
  /* both zones inside: every trip internal */
  g_autofree char *out2 = g_build_filename(dir, "v2", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "validate", res, "--observed", obs, "--internal-zones",
                                  "1;Z3", "--out", out2, NULL),
                  ==, 0);
  g_autofree char *vp2 = g_build_filename(out2, "validation.csv", NULL);
  g_autofree char *v2 = NULL;
  g_assert_true(g_file_get_contents(vp2, &v2, NULL, NULL));
  assert_contains(v2, "mode_share,internal,day,road,1,1,0,0.00,,E: t\n");
  assert_contains(v2, "mode_share,external,day,road,1,,,,,E: t\n");
  /* a text id the network does not have: exit 2, nothing written */
  g_autofree char *out3 = g_build_filename(dir, "v3", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "validate", res, "--observed", obs, "--internal-zones",
                                  "Z3;Q9", "--out", out3, NULL),
                  ==, 2);
  assert_contains(err, "study area: zone 'Q9' is not a zone of");
  g_assert_false(g_file_test(out3, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

static void test_cli_usage(void) {
  g_autofree char *so = NULL;
  g_assert_cmpint(th_test_taihang(&so, NULL, "validate", "--help", NULL), ==, 0);
  assert_contains(so, "--observed");
  g_autofree char *so2 = NULL;
  g_assert_cmpint(th_test_taihang(&so2, NULL, "calibrate", "--help", NULL), ==, 0);
  assert_contains(so2, "Spiess");
  g_autofree char *e = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &e, "calibrate", "x.ini", "--out", "/tmp/none", NULL), ==, 2);
  assert_contains(e, "--observed FILE.csv is required");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/calibrate/geh-hand", test_geh_hand);
  g_test_add_func("/calibrate/observed-bad-rows", test_observed_bad_rows);
  g_test_add_func("/calibrate/readers-mutated", test_readers_mutated);
  g_test_add_func("/calibrate/validate-flows-hand", test_validate_flows_hand);
  g_test_add_func("/calibrate/odme-synthetic-truth", test_odme_synthetic_truth);
  g_test_add_func("/calibrate/asc-reaches-share", test_asc_reaches_share);
  g_test_add_func("/calibrate/asc-per-market", test_asc_per_market);
  g_test_add_func("/calibrate/distribution-fit", test_distribution_fit);
  g_test_add_func("/calibrate/scenario-odme", test_scenario_odme);
  g_test_add_func("/calibrate/beta-to-mean", test_beta_to_mean);
  g_test_add_func("/calibrate/prior-forms", test_prior_forms);
  g_test_add_func("/calibrate/yangcheng-observed", test_yangcheng_observed);
  g_test_add_func("/calibrate/zone-list", test_zone_list);
  g_test_add_func("/calibrate/od-factors", test_od_factors);
  g_test_add_func("/calibrate/markets-text-ids", test_markets_text_ids);
  g_test_add_func("/calibrate/cli", test_cli_usage);
  return g_test_run();
}

/* test_report.c: `taihang report` end to end: the HTML in headless
 * Chromium (no console message, no outside request, the title and summary
 * table seen on the first page by pixels), the PDF's pages and text
 * (pdftotext), byte-identical output, the appraisal's figures by hand, and
 * bad input. The compare folder is made once: base2020, hsr-yangcheng and
 * intercity-bus of the Yangcheng scenarios. */
#include "network/csv.h"
#include "output/report-doc.h"
#include "testutil.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static char *tmp, *cmp;

static char *run_out(const char *cmdline, int *status) {
  char *out = NULL, *err = NULL;
  int st = -1;
  GError *e = NULL;
  gboolean ok = g_spawn_command_line_sync(cmdline, &out, &err, &st, &e);
  g_assert_no_error(e);
  g_assert_true(ok);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  g_free(err);
  return out;
}

static char *slurp(const char *path, gsize *len) {
  char *t = NULL;
  g_assert_true(g_file_get_contents(path, &t, len, NULL));
  return t;
}

static void setup_compare(void) {
  tmp = th_test_tmpdir();
  cmp = g_build_filename(tmp, "cmp", NULL);
  g_autofree char *y = th_test_src("scenarios/yangcheng");
  g_autofree char *b = g_build_filename(y, "base2020.ini", NULL);
  g_autofree char *h = g_build_filename(y, "hsr-yangcheng.ini", NULL);
  g_autofree char *i = g_build_filename(y, "intercity-bus.ini", NULL);
  g_autofree char *err = NULL;
  /* one replication: the report's "no intervals" wording is what the PDF
   * test reads (the effects test below brings its own effects.csv) */
  int st = th_test_taihang(NULL, &err, "compare", b, h, i, "--replications", "1", "--out", cmp,
                           NULL);
  if (st != 0) g_printerr("%s", err);
  g_assert_cmpint(st, ==, 0);
}

static char *report(const char *name, const char *lang, gboolean pdf, char **pdf_out) {
  g_autofree char *html = g_strdup_printf("%s/%s.html", tmp, name);
  g_autofree char *p = g_strdup_printf("%s/%s.pdf", tmp, name);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "report", cmp, "--out", html, "--date", "2026-12-02",
                           "--lang", lang, pdf ? "--pdf" : NULL, p, NULL);
  if (st != 0) g_printerr("%s", err);
  g_assert_cmpint(st, ==, 0);
  if (pdf_out) *pdf_out = g_steal_pointer(&p);
  return g_steal_pointer(&html);
}

/* ---- headless Chromium ---- */

typedef struct {
  int console;   /* console messages of the page */
  int outside;   /* requests to anything but file: and data: (the browser's own services aside) */
} Browser;

/* Chromium's own background requests (time, updates, sign-in,
 * dictionaries, translation) that no flag turns off completely; the page
 * must ask for nothing. */
static gboolean browser_own(const char *url) {
  static const char *hosts[] = {".google.com/", ".googleapis.com/", ".gvt1.com/", ".gstatic.com/"};
  const char *p = strstr(url, "://");
  if (!p) return FALSE;
  const char *slash = strchr(p + 3, '/');
  if (!slash) return FALSE;
  g_autofree char *host = g_strndup(p + 2, (gsize)(slash - p - 1)); /* ".host/" with the "/" */
  host[0] = '.';
  for (gsize i = 0; i < G_N_ELEMENTS(hosts); i++)
    if (g_str_has_suffix(host, hosts[i])) return TRUE;
  return FALSE;
}

/* Loads URL_PATH in headless Chromium, screenshots the first A4 page at 96
 * dpi into SHOT, and counts console messages and outside requests. */
static Browser browse(const char *path, const char *shot) {
  g_autofree char *profile = g_build_filename(tmp, "chromium-profile", NULL);
  th_test_rmtree(profile);
  g_autofree char *url = g_strdup_printf("file://%s", path);
  g_autofree char *shot_arg = g_strdup_printf("--screenshot=%s", shot);
  g_autofree char *prof_arg = g_strdup_printf("--user-data-dir=%s", profile);
  const char *argv[] = {"chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-default-apps", "--disable-sync", "--disable-extensions",
                        "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                        "--disable-features=NetworkTimeServiceQuerying,Translate,MediaRouter",
                        "--window-size=794,1123", "--enable-logging=stderr", "--v=1", prof_arg,
                        shot_arg, url, NULL};
  char *err = NULL;
  int st = -1;
  GError *e = NULL;
  gboolean ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                             NULL, NULL, NULL, &err, &st, &e);
  g_assert_no_error(e);
  g_assert_true(ok);
  Browser b = {0, 0};
  g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    if (strstr(lines[i], ":CONSOLE")) {
      g_printerr("console: %s\n", lines[i]);
      b.console++;
    }
    const char *r = strstr(lines[i], "NotifyBeforeURLRequest: ");
    if (r) {
      const char *u = r + strlen("NotifyBeforeURLRequest: ");
      if (!g_str_has_prefix(u, "file:") && !g_str_has_prefix(u, "data:") && !browser_own(u)) {
        g_printerr("outside request: %s\n", u);
        b.outside++;
      }
    }
  }
  g_free(err);
  g_assert_true(g_file_test(shot, G_FILE_TEST_IS_REGULAR));
  th_test_rmtree(profile);
  return b;
}

/* pixels of SURF within rows Y0..Y1 within TOL of (R, G, B) */
static int count_colour(cairo_surface_t *s, int y0, int y1, int r, int g, int b, int tol) {
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  int stride = cairo_image_surface_get_stride(s);
  const unsigned char *d = cairo_image_surface_get_data(s);
  int n = 0;
  for (int y = MAX(y0, 0); y < MIN(y1, h); y++)
    for (int x = 0; x < w; x++) {
      guint32 px = *(const guint32 *)(d + (size_t)y * stride + 4 * x);
      int pr = (px >> 16) & 255, pg = (px >> 8) & 255, pb = px & 255;
      if (abs(pr - r) <= tol && abs(pg - g) <= tol && abs(pb - b) <= tol) n++;
    }
  return n;
}

static void test_browser(void) {
  g_autofree char *html = report("zh", "zh", FALSE, NULL);
  g_autofree char *shot = g_build_filename(tmp, "first-page.png", NULL);
  Browser b = browse(html, shot);
  g_assert_cmpint(b.console, ==, 0);
  g_assert_cmpint(b.outside, ==, 0);
  cairo_surface_t *s = cairo_image_surface_create_from_png(shot);
  g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint(cairo_image_surface_get_width(s), ==, 794);
  /* the title: a navy band (#1f3a5f) across the top with white text in it */
  int navy = count_colour(s, 0, 60, 0x1f, 0x3a, 0x5f, 3);
  int white_in_band = count_colour(s, 10, 60, 255, 255, 255, 20);
  g_assert_cmpint(navy, >, 688 * 40);
  g_assert_cmpint(white_in_band, >, 300);
  /* the summary table: its header row (#dde6f0) and striped rows (#f5f7fa)
   * in the upper half of the first page, below the band */
  int th = count_colour(s, 150, 560, 0xdd, 0xe6, 0xf0, 2);
  int stripe = count_colour(s, 150, 560, 0xf5, 0xf7, 0xfa, 1);
  g_assert_cmpint(th, >, 600 * 30);
  g_assert_cmpint(stripe, >, 600 * 10);
  cairo_surface_destroy(s);
  /* the checks can fail: a page with a script's console message and an
   * outside image is caught */
  g_autofree char *bad = th_test_write(tmp, "bad.html",
                                       "<html><body><img src=\"http://example.invalid/x.png\">"
                                       "<script>console.error('boom')</script></body></html>");
  g_autofree char *bshot = g_build_filename(tmp, "bad.png", NULL);
  Browser bb = browse(bad, bshot);
  g_assert_cmpint(bb.console, >=, 1);
  g_assert_cmpint(bb.outside, >=, 1);
  /* and the HTML itself names no outside resource and runs no script */
  g_autofree char *text = slurp(html, NULL);
  g_assert_null(strstr(text, "<script"));
  g_assert_null(strstr(text, "src=\"http"));
  g_assert_null(strstr(text, "href=\"http"));
  g_assert_null(strstr(text, "url("));
}

static void test_pdf(void) {
  g_autofree char *pdf = NULL;
  g_autofree char *html = report("zh-pdf", "zh", TRUE, &pdf);
  g_autofree char *q = g_shell_quote(pdf);
  g_autofree char *cmd = g_strdup_printf("pdfinfo %s", q);
  int st;
  g_autofree char *info = run_out(cmd, &st);
  g_assert_cmpint(st, ==, 0);
  g_assert_nonnull(strstr(info, "Pages:           8"));
  g_assert_nonnull(strstr(info, "Page size:       595.28 x 841.89 pts (A4)"));
  g_autofree char *cmd2 = g_strdup_printf("pdftotext -enc UTF-8 %s -", q);
  g_autofree char *text = run_out(cmd2, &st);
  g_assert_cmpint(st, ==, 0);
  const char *want[] = {"交通规划方案评估报告", "摘要", "hsr-yangcheng", "intercity-bus",
                        "日期 2026-12-02", "没有 effects.csv", "经济内部收益率", "社会折现率",
                        "建设项目经济评价方法与参数", "没有校核文件", "模型假设与简化"};
  for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
    if (!strstr(text, want[i])) g_printerr("missing in the PDF: %s\n", want[i]);
    g_assert_nonnull(strstr(text, want[i]));
  }
}

static void test_identical(void) {
  g_autofree char *p1 = NULL, *p2 = NULL;
  g_autofree char *h1 = report("same1", "en", TRUE, &p1);
  g_autofree char *h2 = report("same2", "en", TRUE, &p2);
  gsize n1, n2, m1, m2;
  g_autofree char *a = slurp(h1, &n1), *b = slurp(h2, &n2), *c = slurp(p1, &m1),
                  *d = slurp(p2, &m2);
  g_assert_cmpuint(n1, ==, n2);
  g_assert_true(memcmp(a, b, n1) == 0);
  g_assert_cmpuint(m1, ==, m2);
  g_assert_true(memcmp(c, d, m1) == 0);
}

/* effects.csv (replications) and a validation file: intervals, "n.s." */
static void test_effects_validation(void) {
  g_autofree char *src = th_test_src("tests/data/report/effects.csv");
  g_autofree char *dst = g_build_filename(cmp, "effects.csv", NULL);
  gsize len;
  g_autofree char *e = slurp(src, &len);
  g_assert_true(g_file_set_contents(dst, e, (gssize)len, NULL));
  g_autofree char *val = th_test_src("tests/data/report/validation_summary.csv");
  g_autofree char *html = g_build_filename(tmp, "effects.html", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "report", cmp, "--out", html, "--lang", "en",
                           "--validation", val, NULL);
  g_unlink(dst);
  if (st) g_printerr("%s", err);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *t = slurp(html, NULL);
  /* hsr: significant, with its interval; intercity-bus: not distinguishable */
  g_assert_nonnull(strstr(t, "-26,700 [-27,900, -25,500]"));
  g_assert_nonnull(strstr(t, "-110 [-480, +260] n.s."));
  g_assert_nonnull(strstr(t, "<td class=\"r ns\">-110 [-480, +260] n.s.</td>"));
  g_assert_nonnull(strstr(t, "<td class=\"r\">-26,700 [-27,900, -25,500]</td>"));
  g_assert_nonnull(strstr(t, "not distinguishable from noise"));
  g_assert_null(strstr(t, "no replications"));
  g_assert_nonnull(strstr(t, "<td>geh_below_5_share</td><td class=\"r\">0.79</td><td class=\"r\">&gt; 0.85</td>"));
  g_assert_nonnull(strstr(t, "The base year against observations (validation_summary.csv)"));
  /* one replication: compare writes effects.csv without intervals
   * ("significant" false) and text columns in summary.csv: effects shown
   * plainly, never "n.s.", and the report says there are no replications */
  g_assert_true(g_file_set_contents(dst,
                                    "scenario,indicator,base_mean,scenario_mean,effect,ci_low,ci_high,significant\n"
                                    "intercity-bus,passenger_hours,245100,244990,-110,,,false\n",
                                    -1, NULL));
  g_autofree char *sum = g_build_filename(cmp, "summary.csv", NULL);
  g_autofree char *orig = slurp(sum, &len);
  g_autoptr(GString) with_text = g_string_new(NULL);
  g_auto(GStrv) lines = g_strsplit(orig, "\n", -1);
  for (int i = 0; lines[i] && *lines[i]; i++)
    g_string_append_printf(with_text, "%s,%s\n", lines[i], i == 0 ? "demand,co2_t_se" : "fixed,");
  g_assert_true(g_file_set_contents(sum, with_text->str, -1, NULL));
  g_autofree char *err2 = NULL;
  st = th_test_taihang(NULL, &err2, "report", cmp, "--out", html, "--lang", "en", NULL);
  g_assert_true(g_file_set_contents(sum, orig, (gssize)len, NULL));
  g_unlink(dst);
  if (st) g_printerr("%s", err2);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *t2 = slurp(html, NULL);
  g_assert_nonnull(strstr(t2, "<td class=\"r\">-110</td>"));
  g_assert_null(strstr(t2, "n.s."));
  g_assert_nonnull(strstr(t2, "One run per scenario, no replications"));
}

/* appraisal.csv (compare's appraisal per replication): the report takes its
 * means and shows the intervals of NPV, BCR and the benefits; one that
 * holds the break-even value is marked n.s. */
static void test_appraisal_intervals(void) {
  g_autofree char *dst = g_build_filename(cmp, "appraisal.csv", NULL);
  gsize len;
  g_autofree char *orig = slurp(dst, &len);
  /* what compare wrote with one replication: no interval */
  g_assert_true(g_str_has_prefix(orig, "scenario,item,class,purpose,unit,replications,mean,ci_low,"
                                       "ci_high,significant\n"));
  g_assert_nonnull(strstr(orig, "\nintercity-bus,npv,,,yuan,1,"));
  g_assert_nonnull(strstr(orig, ",car,work,yuan_per_day,1,"));
  g_assert_true(g_file_set_contents(
      dst,
      "scenario,item,class,purpose,unit,replications,mean,ci_low,ci_high,significant\n"
      "hsr-yangcheng,time,car,work,yuan_per_day,3,-30000,-50000,-10000,true\n"
      "hsr-yangcheng,npv,,,yuan,3,-5000000000,-6000000000,4000000000,false\n"
      "hsr-yangcheng,bcr,,,ratio,3,0.5,-0.2,1.2,false\n"
      "intercity-bus,time,car,work,yuan_per_day,3,10000,8000,12000,true\n"
      "intercity-bus,daily_benefit,,,yuan_per_day,3,20000,-1000,41000,false\n"
      "intercity-bus,pv_costs,,,yuan,3,174900000,174900000,174900000,false\n"
      "intercity-bus,npv,,,yuan,3,-100000000,-120000000,-80000000,true\n"
      "intercity-bus,bcr,,,ratio,3,0.43,0.31,0.55,true\n",
      -1, NULL));
  g_autofree char *html = g_build_filename(tmp, "appraisal-iv.html", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "report", cmp, "--out", html, "--lang", "en", NULL);
  if (st) g_printerr("%s", err);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *t = slurp(html, NULL);
  g_assert_nonnull(strstr(t, "<td class=\"r\">-100.0 [-120.0, -80.0]</td>"));
  g_assert_nonnull(strstr(t, "<td class=\"r\">0.43 [0.31, 0.55]</td>"));
  g_assert_nonnull(strstr(t, "<td class=\"r ns\">-5,000.0 [-6,000.0, 4,000.0] n.s.</td>"));
  g_assert_nonnull(strstr(t, "<td class=\"r ns\">0.50 [-0.20, 1.20] n.s.</td>"));
  g_assert_nonnull(strstr(t, "time: car, work"));
  g_assert_nonnull(strstr(t, "<td class=\"r\">10.0</td>")); /* a cell: its mean */
  g_assert_nonnull(strstr(t, "<td class=\"r ns\">20.0 [-1.0, 41.0] n.s.</td>"));
  g_assert_nonnull(strstr(t, "Means over 3 replications"));
  /* bad rows: FILE:LINE, exit 2, nothing written */
  g_autofree char *bad_out = g_build_filename(tmp, "appraisal-bad.html", NULL);
  g_assert_true(g_file_set_contents(
      dst,
      "scenario,item,class,purpose,unit,replications,mean,ci_low,ci_high,significant\n"
      "intercity-bus,npv,,,yuan,3,x,1,2,true\n"
      "nowhere,npv,,,yuan,three,1,1,2,maybe\n",
      -1, NULL));
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(NULL, &err, "report", cmp, "--out", bad_out, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "appraisal.csv:2: mean = 'x' is not a number"));
  g_assert_nonnull(strstr(err, "appraisal.csv:3: replications = 'three' is not a whole number"));
  g_assert_nonnull(strstr(err, "appraisal.csv:3: significant = 'maybe' is not a truth value"));
  g_assert_nonnull(strstr(err, "appraisal.csv:3: scenario 'nowhere' is not in summary.csv"));
  g_assert_true(g_file_set_contents(dst, "scenario,item,mean\n", -1, NULL));
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(NULL, &err, "report", cmp, "--out", bad_out, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "appraisal.csv"));
  g_assert_false(g_file_test(bad_out, G_FILE_TEST_EXISTS));
  g_assert_true(g_file_set_contents(dst, orig, (gssize)len, NULL));
}

/* ---- the benefits of a project by the rule of a half, by hand ---- */

static ThReportScenario *fake_scenario(const char *key, double car_h, double coal_h, double car_km,
                                       double co2, const char *params) {
  ThReportScenario *s = g_new0(ThReportScenario, 1);
  s->key = g_strdup(key);
  s->name = g_strdup(key);
  s->description = g_strdup("");
  s->summary = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  const char *cols[] = {"passenger_trips", "trips", "car_vehicle_km", "truck_vehicle_km", "co2_t"};
  double vals[] = {1000, 1100, car_km, 5000, co2};
  for (int i = 0; i < 5; i++)
    g_hash_table_insert(s->summary, g_strdup(cols[i]), g_memdup2(&vals[i], sizeof(double)));
  s->classes = g_array_new(FALSE, TRUE, sizeof(ThReportClass));
  /* car trips of two purposes: 400 work and 600 other trips, hours in proportion */
  ThReportClass work = {g_strdup("car"), FALSE, 400, 0.4 * car_h, 30, g_strdup("work"), 0, 1};
  ThReportClass other = {g_strdup("car"), FALSE, 600, 0.6 * car_h, 30, g_strdup("other"), 0, 2};
  ThReportClass coal = {g_strdup("coal"), TRUE, 2000, coal_h, 3, g_strdup(""), 1, 0};
  g_array_append_val(s->classes, work);
  g_array_append_val(s->classes, other);
  g_array_append_val(s->classes, coal);
  s->params = g_key_file_new();
  g_assert_true(g_key_file_load_from_data(s->params, params, -1, G_KEY_FILE_NONE, NULL));
  return s;
}

static void test_benefits(void) {
  /* base: 1,000 car trips of 0.5 h, 2,000 t of coal at 4 h per tonne,
   * 20,000 car-km, 10 t CO2 for 1,100 trips; project: 0.4 h, 3.5 h per
   * tonne, 19,000 car-km, 9 t CO2, same demand. By hand:
   *   time, car  = 0.5 (1000 + 1000) (0.5 - 0.4) x 30 yuan/h  = 3,000 yuan a day
   *     (work: 0.5 (400 + 400) 0.1 x 30 = 1,200; other: 0.5 (600 + 600) 0.1 x 30 = 1,800)
   *   time, coal = 0.5 (2000 + 2000) (4 - 3.5)  x 3 yuan/t-h  = 3,000
   *   car operating = 0.5 (1000 + 1000) (20 - 19) km x 0.6   =   600
   *   CO2 = 0.5 (1100 + 1100) (10 - 9) / 1100 t x 80 yuan/t  =    80
   *   daily 6,680; annual at 300 days 2,004,000 yuan;
   * capital 100 million in 1 year, 2 years of benefits at 8%:
   *   PV benefits 2,004,000 (1/1.08^2 + 1/1.08^3) = 3,308,946.81
   *   plus the residual value at the default asset life of 50 years:
   *   100,000,000 x 48 / 50 = 96,000,000 at the end of year 2, PV
   *   96,000,000 / 1.08^3 = 76,207,895.14: PV benefits 79,516,841.94;
   *   PV costs 100,000,000 / 1.08 = 92,592,592.59, BCR 0.858781893 */
  ThReportData d = {0};
  d.scen = g_ptr_array_new();
  ThReportScenario *s0 = fake_scenario("base", 500, 8000, 20000, 10, "[demand]\nyear=2020\n");
  ThReportScenario *s1 = fake_scenario("p", 400, 7000, 19000, 9,
                                       "[appraisal]\ncapital_cost_million_yuan=100\n"
                                       "construction_years=1\nperiod_years=2\ndays_per_year=300\n");
  g_ptr_array_add(d.scen, s0);
  g_ptr_array_add(d.scen, s1);
  ThReportAppraisal a;
  th_report_appraise(&d, 1, &a);
  g_assert_cmpint(a.n_classes, ==, 3);
  g_assert_cmpstr(a.class_name[0], ==, "car");
  g_assert_cmpstr(a.purpose_name[0], ==, "work");
  g_assert_cmpstr(a.purpose_name[1], ==, "other");
  g_assert_cmpstr(a.purpose_name[2], ==, "");
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[0], 1200, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[1], 1800, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[2], 3000, 1e-6);
  g_assert_cmpint(a.replications, ==, 0); /* no appraisal.csv: no interval */
  g_assert_true(isnan(a.npv_iv.ci_low));
  g_assert_cmpfloat_with_epsilon(a.voc_benefit, 600, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.co2_benefit, 80, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.daily_benefit, 6680, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.annual_benefit, 2004000, 1e-4);
  g_assert_true(a.appraised);
  g_assert_cmpfloat_with_epsilon(a.result.residual_value, 96e6, 1e-3);
  g_assert_cmpfloat_with_epsilon(a.result.pv_residual, 76207895.1379, 1e-3);
  g_assert_cmpfloat_with_epsilon(a.result.pv_benefits, 79516841.9448, 1e-3);
  g_assert_cmpfloat_with_epsilon(a.result.pv_costs, 92592592.5926, 1e-3);
  g_assert_cmpfloat_with_epsilon(a.result.bcr, 0.8587818930, 1e-9);
  g_assert_cmpint(a.opening_year, ==, 0); /* the project's params give no [demand] year */
  th_report_appraisal_clear(&a);
  /* [appraisal] benefit_growth = 0.1 and asset_life_years = 0 (no residual):
   * 2,004,000 / 1.08^2 + 2,204,400 / 1.08^3 = 3,468,030.79, BCR 0.0374547 */
  g_key_file_set_value(s1->params, "appraisal", "benefit_growth", "0.1");
  g_key_file_set_value(s1->params, "appraisal", "asset_life_years", "0");
  th_report_appraise(&d, 1, &a);
  g_assert_cmpfloat(a.result.residual_value, ==, 0);
  g_assert_cmpfloat_with_epsilon(a.result.pv_benefits, 3468030.7880, 1e-3);
  th_report_appraisal_clear(&a);
  g_key_file_remove_key(s1->params, "appraisal", "benefit_growth", NULL);
  g_key_file_remove_key(s1->params, "appraisal", "asset_life_years", NULL);
  /* a value of time per purpose: [appraisal] vot_purpose_work_per_h = 60
   * doubles the work trips' benefit, 0.5 (400 + 400) 0.1 x 60 = 2,400; the
   * other trips keep the class's 30 yuan/h; coal has no purpose */
  g_key_file_set_value(s1->params, "appraisal", "vot_purpose_work_per_h", "60");
  g_key_file_set_value(s1->params, "appraisal", "vot_purpose_other_per_h", "oops");
  th_report_appraise(&d, 1, &a);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[0], 2400, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[1], 1800, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[2], 3000, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.time_benefit, 7200, 1e-6);
  th_report_appraisal_clear(&a);
  g_key_file_remove_key(s1->params, "appraisal", "vot_purpose_work_per_h", NULL);
  g_key_file_remove_key(s1->params, "appraisal", "vot_purpose_other_per_h", NULL);
  /* the rule of a half with other demand: 1,000 -> 1,200 car trips whose
   * mean time falls from 0.5 to 0.4 h: 0.5 (1000 + 1200) 0.1 x 30 = 3,300
   * (work 0.5 (400 + 480) 0.1 x 30 = 1,320; other 0.5 (600 + 720) 0.1 x 30 = 1,980) */
  g_array_index(s1->classes, ThReportClass, 0).units = 480;
  g_array_index(s1->classes, ThReportClass, 0).hours = 192;
  g_array_index(s1->classes, ThReportClass, 1).units = 720;
  g_array_index(s1->classes, ThReportClass, 1).hours = 288;
  th_report_appraise(&d, 1, &a);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[0], 1320, 1e-6);
  g_assert_cmpfloat_with_epsilon(a.time_benefit_class[1], 1980, 1e-6);
  th_report_appraisal_clear(&a);
  g_ptr_array_set_free_func(d.scen, (GDestroyNotify)th_report_scenario_free);
  g_ptr_array_unref(d.scen);
}

/* the appraisal of intercity-bus by hand from the files the report reads */
static void test_appraisal_figures(void) {
  g_autofree char *html = report("en", "en", FALSE, NULL);
  g_autofree char *t = slurp(html, NULL);
  /* intercity-bus: capital 20 million, operating 15 million a year, 1 year
   * of construction, 30 years, 8%. The NPV printed is PV(benefits) - PV(costs)
   * with PV(costs) = 20/1.08 + 15 x (annuity of 30 years at 8% = 11.2577833)
   * / 1.08 = 18.5185 + 156.3581 = 174.9 million yuan */
  g_assert_nonnull(strstr(t, "<td class=\"r\">174.9</td>"));
  g_assert_nonnull(strstr(t, "social discount rate 8%"));
  g_assert_nonnull(strstr(t, "One run per scenario, no replications"));
}

static void test_bad_input(void) {
  g_autofree char *out = g_build_filename(tmp, "bad-out.html", NULL);
  g_autofree char *err = NULL;
  /* no such folder */
  g_autofree char *missing = g_build_filename(tmp, "nothing", NULL);
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", missing, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "no such compare folder"));
  g_clear_pointer(&err, g_free);
  /* a folder that is not a compare folder */
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", tmp, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "not a compare folder (expected summary.csv"));
  g_clear_pointer(&err, g_free);
  /* usage */
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, NULL), ==, 2);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, "--lang", "fr", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "--lang 'fr' is not zh or en"));
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, "--date", "2026-02-30", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "is not a date YYYY-MM-DD"));
  g_clear_pointer(&err, g_free);
  g_autofree char *vmiss = g_build_filename(tmp, "no-validation.csv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, "--validation", vmiss, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "no such validation file"));
  g_clear_pointer(&err, g_free);
  /* effects.csv with other columns, and with bad values */
  g_autofree char *eff = g_build_filename(cmp, "effects.csv", NULL);
  g_assert_true(g_file_set_contents(eff, "scenario,indicator,effect\nhsr-yangcheng,co2_t,1\n", -1, NULL));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "effects.csv"));
  g_assert_nonnull(strstr(err, "base_mean"));
  g_clear_pointer(&err, g_free);
  g_assert_true(g_file_set_contents(eff,
                                    "scenario,indicator,base_mean,scenario_mean,effect,ci_low,ci_high,significant\n"
                                    "hsr-yangcheng,co2_t,1,2,x,0,2,1\n"
                                    "nowhere,co2_t,1,2,1,0,2,maybe\n",
                                    -1, NULL));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "effects.csv:2:"));
  g_assert_nonnull(strstr(err, "effects.csv:3: significant = 'maybe' is not a truth value"));
  g_assert_nonnull(strstr(err, "effects.csv:3: scenario 'nowhere' is not in summary.csv"));
  g_clear_pointer(&err, g_free);
  g_unlink(eff);
  /* a params.ini that is not a key file; an od_delta.csv without delta_min */
  g_autofree char *pp = g_build_filename(cmp, "hsr-yangcheng", "params.ini", NULL);
  gsize plen, olen;
  g_autofree char *ptext = slurp(pp, &plen);
  g_assert_true(g_file_set_contents(pp, "this is not [a key file\n", -1, NULL));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "params.ini:1: not a key file"));
  g_clear_pointer(&err, g_free);
  g_assert_true(g_file_set_contents(pp, ptext, (gssize)plen, NULL));
  g_autofree char *od = g_build_filename(cmp, "od_delta.csv", NULL);
  g_autofree char *otext = slurp(od, &olen);
  g_assert_true(g_file_set_contents(od, "scenario,origin,destination,mode\nhsr-yangcheng,1,2,best\n", -1, NULL));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", cmp, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "od_delta.csv"));
  g_assert_nonnull(strstr(err, "delta_min"));
  g_clear_pointer(&err, g_free);
  g_assert_true(g_file_set_contents(od, otext, (gssize)olen, NULL));
  /* a scenario of summary.csv without its results folder; a bad number */
  g_autofree char *bad = g_build_filename(tmp, "badcmp", NULL);
  g_mkdir(bad, 0755);
  g_autofree char *sum = th_test_write(bad, "summary.csv", "scenario,name,co2_t\nbase,base,1\nx,x,2\n");
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", bad, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "scenario base has no readable results folder"));
  g_clear_pointer(&err, g_free);
  g_free(th_test_write(bad, "summary.csv", "scenario,name,co2_t\nbase,base,1\nx,x,lots\n"));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", bad, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "summary.csv:3: co2_t = 'lots' is not a number"));
  g_clear_pointer(&err, g_free);
  g_free(th_test_write(bad, "summary.csv", "scenario,name,co2_t\nbase,base,1\n"));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", bad, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "expected the base and at least one scenario"));
  g_clear_pointer(&err, g_free);
  g_free(th_test_write(bad, "summary.csv", "scenario,name,co2_t\nbase,base,1\n../x,x,1\n"));
  g_assert_cmpint(th_test_taihang(NULL, &err, "report", bad, "--out", out, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "summary.csv:3: scenario '../x' is not a folder name"));
  /* nothing was written */
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
}

/* [appraisal] in a scenario file: checked like every parameter */
static void test_scenario_appraisal(void) {
  g_autofree char *y = th_test_src("scenarios/yangcheng/base2020.ini");
  g_autofree char *text = g_strdup_printf("[scenario]\nname = a\nbase = %s\n[appraisal]\n"
                                          "capital_cost_million_yuan = 10\ndiscount_rate = 0.9\n"
                                          "vot_car_per_h = lots\nwhat = 1\nvot_coal_per_h = 4\n"
                                          "benefit_growth = 0.5\nasset_life_years = -3\n"
                                          "vot_purpose_work_per_h = 45\nvot_purpose_other_per_h = x\n",
                                          y);
  g_autofree char *f = th_test_write(tmp, "appraisal.ini", text);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, &err, "check", f, NULL), ==, 2);
  g_autofree char *all = g_strconcat(out, err, NULL);
  g_printerr("%s", err);
  g_assert_nonnull(strstr(all, "appraisal.ini:6: [appraisal] discount_rate = '0.9' is not a number (0 to 0.5)"));
  g_assert_nonnull(strstr(all, "appraisal.ini:7: [appraisal] vot_car_per_h = 'lots' is not a number"));
  g_assert_nonnull(strstr(all, "appraisal.ini:8: unknown key [appraisal] what"));
  g_assert_nonnull(strstr(all, "appraisal.ini:10: [appraisal] benefit_growth = '0.5' is not a number (-0.2 to 0.3)"));
  g_assert_nonnull(strstr(all, "appraisal.ini:11: [appraisal] asset_life_years = '-3' is not a number (0 to 200)"));
  g_assert_null(strstr(all, "vot_coal_per_h"));
  g_assert_null(strstr(all, "capital_cost_million_yuan = ")); /* the list of keys names it */
  g_assert_null(strstr(all, "vot_purpose_work_per_h"));
  g_assert_nonnull(strstr(all, "appraisal.ini:13: [appraisal] vot_purpose_other_per_h = 'x' is not a number"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  setup_compare();
  g_test_add_func("/report/browser", test_browser);
  g_test_add_func("/report/pdf", test_pdf);
  g_test_add_func("/report/identical", test_identical);
  g_test_add_func("/report/effects-validation", test_effects_validation);
  g_test_add_func("/report/appraisal-figures", test_appraisal_figures);
  g_test_add_func("/report/benefits", test_benefits);
  g_test_add_func("/report/appraisal-intervals", test_appraisal_intervals);
  g_test_add_func("/report/bad-input", test_bad_input);
  g_test_add_func("/report/scenario-appraisal", test_scenario_appraisal);
  int r = g_test_run();
  th_test_rmtree(tmp);
  g_free(tmp);
  g_free(cmp);
  return r;
}

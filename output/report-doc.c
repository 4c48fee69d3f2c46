/* report-doc.c: the report's content, as blocks, in Chinese or English
 * (see report-doc.h). Everything the reader sees is decided here; the
 * renderers only lay it out. */
#include "output/map.h"
#include "output/report-doc.h"
#include "sim/params.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define L(ZH, EN) (doc->zh ? (ZH) : (EN))

void th_chart_free(ThChart *c) {
  if (!c) return;
  g_free(c->title);
  g_free(c->unit);
  g_strfreev(c->cat);
  g_strfreev(c->ser);
  g_free(c->v);
  g_free(c->box);
  g_free(c->lon);
  g_free(c->lat);
  g_free(c->size);
  g_free(c->zv);
  th_zone_cells_free(c->cells);
  g_free(c);
}

static void block_free(gpointer p) {
  ThBlock *b = p;
  g_free(b->text);
  g_free(b->text2);
  if (b->rows) g_ptr_array_unref(b->rows);
  if (b->row_flags) g_array_unref(b->row_flags);
  g_free(b->align);
  th_chart_free(b->chart);
  g_free(b);
}

void th_report_doc_free(ThReportDoc *doc) {
  if (!doc) return;
  g_free(doc->title);
  g_free(doc->date);
  if (doc->blocks) g_ptr_array_unref(doc->blocks);
  g_free(doc);
}

static ThBlock *add(ThReportDoc *doc, ThBlockKind kind, const char *text) {
  ThBlock *b = g_new0(ThBlock, 1);
  b->kind = kind;
  b->text = g_strdup(text);
  b->map_base = -1;
  g_ptr_array_add(doc->blocks, b);
  return b;
}

static void addf(ThReportDoc *doc, ThBlockKind kind, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void addf(ThReportDoc *doc, ThBlockKind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *t = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  add(doc, kind, t);
}

static ThBlock *table(ThReportDoc *doc, const char *align, ...) {
  ThBlock *b = add(doc, TH_BLOCK_TABLE, NULL);
  b->align = g_strdup(align);
  b->n_cols = (int)strlen(align);
  b->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  b->row_flags = g_array_new(FALSE, TRUE, sizeof(int));
  char **h = g_new0(char *, b->n_cols + 1);
  va_list ap;
  va_start(ap, align);
  for (int i = 0; i < b->n_cols; i++) h[i] = g_strdup(va_arg(ap, const char *));
  va_end(ap);
  g_ptr_array_add(b->rows, h);
  int z = 0;
  g_array_append_val(b->row_flags, z);
  return b;
}

/* Adds a row; takes the N_COLS strings (g_free'd). */
static void row(ThBlock *b, int flags, ...) {
  char **r = g_new0(char *, b->n_cols + 1);
  va_list ap;
  va_start(ap, flags);
  for (int i = 0; i < b->n_cols; i++) r[i] = va_arg(ap, char *);
  va_end(ap);
  g_ptr_array_add(b->rows, r);
  g_array_append_val(b->row_flags, flags);
}

/* ---- numbers: grouped thousands; '-' for minus so that text search finds them ---- */

static char *num(double x, int dec) {
  if (!isfinite(x)) return g_strdup("–");
  char buf[64];
  g_ascii_formatd(buf, sizeof buf, dec == 0 ? "%.0f" : dec == 1 ? "%.1f" : dec == 2 ? "%.2f" : "%.3f",
                  x);
  if (!strcmp(buf, "-0") || !strcmp(buf, "-0.0") || !strcmp(buf, "-0.00") || !strcmp(buf, "-0.000"))
    memmove(buf, buf + 1, strlen(buf));
  GString *s = g_string_new(NULL);
  const char *p = buf;
  if (*p == '-') g_string_append_c(s, *p++);
  const char *dot = strchr(p, '.');
  int intlen = dot ? (int)(dot - p) : (int)strlen(p);
  for (int i = 0; i < intlen; i++) {
    if (i > 0 && (intlen - i) % 3 == 0) g_string_append_c(s, ',');
    g_string_append_c(s, p[i]);
  }
  if (dot) g_string_append(s, dot);
  return g_string_free(s, FALSE);
}

static char *snum(double x, int dec) {
  g_autofree char *n = num(x, dec);
  return isfinite(x) && x > 0 && strcmp(n, "0") && strspn(n, "0.,") != strlen(n)
             ? g_strconcat("+", n, NULL)
             : g_steal_pointer(&n);
}

/* money: zh in 亿元 (1e8) or 万元 (1e4), en in million or thousand yuan */
static double big(const ThReportDoc *doc, double yuan) { return yuan / (doc->zh ? 1e8 : 1e6); }
static double small(const ThReportDoc *doc, double yuan) { return yuan / (doc->zh ? 1e4 : 1e3); }
#define BIG L("亿元", "million yuan")
#define SMALL L("万元", "thousand yuan")

/* "effect (low to high)" from effects.csv, or the plain difference; marks
 * effects that are not significant. *NS is set when one is not. */
static char *effect_cell(const ThReportDoc *doc, int si, const char *indicator, double scale,
                         int dec, gboolean *ns) {
  const ThReportData *d = doc->data;
  const ThReportScenario *b = d->scen->pdata[0], *s = d->scen->pdata[si];
  const ThReportEffect *e = th_report_effect(d, s->key, indicator);
  if (!e) return snum((th_report_value(s, indicator) - th_report_value(b, indicator)) * scale, dec);
  if (!isfinite(e->ci_low) || !isfinite(e->ci_high)) return snum(e->effect * scale, dec);
  g_autofree char *m = snum(e->effect * scale, dec), *lo = snum(e->ci_low * scale, dec),
                  *hi = snum(e->ci_high * scale, dec);
  if (!e->significant) *ns = TRUE;
  return g_strdup_printf("%s [%s, %s]%s", m, lo, hi,
                         e->significant ? "" : L(TH_REPORT_NS_ZH, TH_REPORT_NS_EN));
}

/* VALUE (already scaled) and, when IV has an interval (appraisal.csv of
 * two or more replications), "value [low, high]" with IV's bounds x SCALE;
 * marked not significant when the interval holds the break-even value. */
static char *iv_cell(const ThReportDoc *doc, double value, const ThAppraisalInterval *iv,
                     double scale, int dec) {
  char *m = num(value, dec);
  if (iv->n < 2 || !isfinite(iv->ci_low) || !isfinite(iv->ci_high)) return m;
  g_autofree char *lo = num(iv->ci_low * scale, dec), *hi = num(iv->ci_high * scale, dec);
  char *c = g_strdup_printf("%s [%s, %s]%s", m, lo, hi,
                            iv->significant ? "" : L(TH_REPORT_NS_ZH, TH_REPORT_NS_EN));
  g_free(m);
  return c;
}

gboolean th_report_cell_ns(const char *cell) {
  return g_str_has_suffix(cell, TH_REPORT_NS_ZH) || g_str_has_suffix(cell, TH_REPORT_NS_EN);
}

static double rail_share(const ThReportScenario *s) {
  double v = 0;
  const char *c[] = {"share_rail", "share_hsr", "share_intercity"};
  for (int i = 0; i < 3; i++) {
    double x = th_report_value(s, c[i]);
    if (isfinite(x)) v += x;
  }
  return v;
}

/* ---- sections ---- */

static void title_and_summary(ThReportDoc *doc, const ThReportAppraisal *ap) {
  const ThReportData *d = doc->data;
  const ThReportScenario *b = d->scen->pdata[0];
  int n = (int)d->scen->len - 1;
  doc->title = g_strdup_printf(L("交通规划方案评估报告：%s 与 %d 个方案", "Transport plan appraisal: %s and %d projects"),
                               b->name, n);
  ThBlock *t = add(doc, TH_BLOCK_TITLE, doc->title);
  GString *sub = g_string_new(NULL);
  g_string_append_printf(sub, L("基准：%s", "Base: %s"), *b->description ? b->description : b->name);
  if (doc->date && *doc->date) g_string_append_printf(sub, "\n%s %s", L("日期", "Date"), doc->date);
  g_string_append_printf(sub, "\n%s", L("由 taihang 生成（taihang report）", "Generated by taihang (taihang report)"));
  t->text2 = g_string_free(sub, FALSE);

  add(doc, TH_BLOCK_H1, L("摘要", "Summary"));
  add(doc, TH_BLOCK_P,
      L("每个方案一行：相对基准的日变化（全需求，日均），以及按本报告参数计算的经济净现值和效益费用比。",
        "One line per project: the change from the base per day (full demand), and the economic net "
        "present value and benefit-cost ratio with this report's parameters."));
  g_autofree char *h_ph = g_strdup_printf("%s", L("旅客出行时间 (人·小时/日)", "Passenger-hours per day"));
  g_autofree char *h_npv = g_strdup_printf(L("净现值 (%s)", "NPV (%s)"), BIG);
  ThBlock *tb = table(doc, "lrrrrrr", L("方案", "Project"), h_ph,
                      L("铁路客运分担率 (百分点)", "Rail share of trips (points)"),
                      L("人均广义费用 (元/次)", "Generalized cost per trip (yuan)"),
                      L("CO2 (吨/日)", "CO2 (t/day)"), h_npv, L("效益费用比", "BCR"));
  gboolean any_ns = FALSE;
  for (int i = 1; i <= n; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    gboolean ns = FALSE;
    char *c1 = effect_cell(doc, i, "passenger_hours", 1, 0, &ns);
    char *c3 = effect_cell(doc, i, "avg_gen_cost_passenger", 1, 1, &ns);
    char *c4 = effect_cell(doc, i, "co2_t", 1, 0, &ns);
    char *c2 = snum(100 * (rail_share(s) - rail_share(b)), 1);
    const ThReportAppraisal *a = &ap[i];
    char *c5 = a->appraised ? iv_cell(doc, big(doc, a->result.npv), &a->npv_iv, big(doc, 1), 1)
                            : g_strdup("–");
    char *c6 = a->appraised ? iv_cell(doc, a->result.bcr, &a->bcr_iv, 1, 2) : g_strdup("–");
    row(tb, 0, g_strdup(s->name), c1, c2, c3, c4, c5, c6);
    any_ns |= ns;
  }
  if (th_report_has_intervals(d))
    add(doc, TH_BLOCK_NOTE,
        L("方括号内为重复运行（不同随机种子）得到的 95% 置信区间（effects.csv）。标“不显著”的效果与随机波动无法区分：区间包含 0。铁路客运分担率是普速、高铁和城际三种方式之和，effects.csv 中没有其区间，只给均值之差。",
          "In brackets: 95% confidence intervals from replications with different seeds "
          "(effects.csv). Effects marked n.s. are not distinguishable from noise: their interval "
          "contains 0. The rail share is the sum of three modes (rail, HSR, intercity), which "
          "effects.csv gives no interval for: the difference of the means only."));
  else
    add(doc, TH_BLOCK_NOTE,
        L("单次运行，没有重复（没有 effects.csv，或其中没有区间）：以上变化没有置信区间，小的变化可能只是随机波动。用 taihang compare --replications N 可得到区间。",
          "One run per scenario, no replications (no effects.csv, or one without intervals): "
          "these changes have no "
          "confidence intervals, and small ones may be noise. taihang compare --replications N "
          "gives intervals."));
  (void)any_ns;
  /* a scenario of another demand (a later year): its totals include growth */
  for (int i = 1; i <= n; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    double t0 = th_report_value(b, "trips"), t1 = th_report_value(s, "trips");
    if (!(t0 > 0) || fabs(t1 / t0 - 1) < 0.005) continue;
    g_autofree char *y0 = g_key_file_get_value(b->params, "demand", "year", NULL);
    g_autofree char *y1 = g_key_file_get_value(s->params, "demand", "year", NULL);
    g_autofree char *n0 = num(t0, 0), *n1 = num(t1, 0);
    if (g_strcmp0(y0, y1) == 0) {
      addf(doc, TH_BLOCK_NOTE,
           L("%s 的出行总数（%s 次/日）与基准（%s 次）相差 %.1f%%：需求合成取决于网络的出行费用（外部小区的出行率、过境交通），故方案也改变需求；经济评价用“一半法则”。",
             "%s has %s trips a day against the base's %s (%+.1f%%): the demand synthesis depends "
             "on the network's travel costs (external zones' trip rates, through traffic), so the "
             "project changes demand too; the appraisal uses the rule of a half."),
           s->name, n1, n0, 100 * (t1 / t0 - 1));
      continue;
    }
    addf(doc, TH_BLOCK_NOTE,
         L("%s 的需求（%s 年，%s 次出行/日）与基准（%s 年，%s 次）不同：表中总量的变化包含需求增长本身；经济评价用“一半法则”，不计增长。",
           "%s has other demand (year %s, %s trips a day) than the base (year %s, %s): its changes in "
           "totals include the growth itself; the appraisal uses the rule of a half and does not "
           "count it."),
         s->name, y1 ? y1 : "?", n1, y0 ? y0 : "?", n0);
  }
  add(doc, TH_BLOCK_NOTE,
      L("净现值与效益费用比：社会折现率和其他参数见“经济评价”一节；“–”表示该方案未给出投资。",
        "NPV and BCR: discount rate and other parameters in the section \"Cost-benefit appraisal\"; "
        "\"–\" means the project gives no cost."));
  if (n >= 1 && ap[1].replications >= 2)
    add(doc, TH_BLOCK_NOTE,
        L("净现值与效益费用比为各次重复运行（与基准同种子）评价结果的均值，方括号内为其 95% 置信区间（appraisal.csv）；“不显著”表示区间包含盈亏平衡值（净现值 0，效益费用比 1）。",
          "NPV and BCR are the means of the appraisals of the replications (each against the base "
          "of the same seed), in brackets their 95% intervals (appraisal.csv); n.s.: the interval "
          "holds the break-even value (NPV 0, BCR 1)."));
  add(doc, TH_BLOCK_H2, L("方案内容", "The projects"));
  ThBlock *pt = table(doc, "ll", L("方案", "Project"), L("内容", "What it changes"));
  for (int i = 1; i <= n; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    row(pt, 0, g_strdup(s->name), g_strdup(*s->description ? s->description : "–"));
  }
}

static ThChart *chart_new(ThChartKind kind, const char *title, const char *unit, int n_cat,
                          int n_ser) {
  ThChart *c = g_new0(ThChart, 1);
  c->kind = kind;
  c->title = g_strdup(title);
  c->unit = g_strdup(unit);
  c->n_cat = n_cat;
  c->n_ser = n_ser;
  c->cat = g_new0(char *, n_cat + 1);
  c->ser = g_new0(char *, n_ser + 1);
  c->v = g_new0(double, (size_t)n_cat * n_ser);
  c->aspect = 0.5;
  return c;
}

static void add_chart(ThReportDoc *doc, ThChart *c) { add(doc, TH_BLOCK_CHART, NULL)->chart = c; }

/* A bar chart of summary columns COLS (series) per scenario (categories). */
static void summary_bars(ThReportDoc *doc, const char *title, const char *unit, int n_cols,
                         const char *const *cols, const char *const *labels, double scale,
                         gboolean stacked, gboolean percent) {
  const ThReportData *d = doc->data;
  ThChart *c = chart_new(TH_CHART_BARS, title, unit, (int)d->scen->len, n_cols);
  for (guint i = 0; i < d->scen->len; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    c->cat[i] = g_strdup(s->name);
    for (int k = 0; k < n_cols; k++) {
      double v = th_report_value(s, cols[k]) * scale;
      c->v[i * n_cols + k] = isfinite(v) ? v : 0;
    }
  }
  for (int k = 0; k < n_cols; k++) c->ser[k] = g_strdup(labels[k]);
  c->stacked = stacked;
  c->percent = percent;
  c->aspect = 0.12 + 0.055 * d->scen->len * (stacked ? 1 : 0.6 + 0.25 * n_cols);
  add_chart(doc, c);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double quantile(const double *v, int n, double q) {
  double pos = q * (n - 1);
  int i = (int)floor(pos);
  if (i >= n - 1) return v[n - 1];
  return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/* The zones' polygons for the choropleth: Voronoi cells of the N centroids
 * (zone-cells.h) in a plane where a degree of longitude is cos(mean lat)
 * of a degree of latitude, clipped to the centroids' box widened by 8% of
 * its size on each side (the network has no zone or county boundaries), in
 * lon/lat degrees. NULL when no centroid is finite. */
static ThZoneCells *zone_cells_lonlat(const double *lon, const double *lat, int n) {
  double w = INFINITY, s = INFINITY, e = -INFINITY, nn = -INFINITY;
  for (int i = 0; i < n; i++)
    if (isfinite(lon[i]) && isfinite(lat[i]))
      w = MIN(w, lon[i]), e = MAX(e, lon[i]), s = MIN(s, lat[i]), nn = MAX(nn, lat[i]);
  if (!isfinite(w)) return NULL;
  double coslat = cos(0.5 * (s + nn) * G_PI / 180);
  g_autofree double *x = g_new(double, n);
  for (int i = 0; i < n; i++) x[i] = lon[i] * coslat;
  double pad = 0.08 * MAX(MAX((e - w) * coslat, nn - s), 1e-3);
  double box[4] = {w * coslat - pad, s - pad, e * coslat + pad, nn + pad};
  ThZoneCells *c = th_zone_cells(x, lat, n, box);
  for (int k = 0; k < c->off[n]; k++) c->xy[2 * k] /= coslat;
  return c;
}

static void charts(ThReportDoc *doc) {
  const ThReportData *d = doc->data;
  int n = (int)d->scen->len - 1;
  add(doc, TH_BLOCK_PAGEBREAK, NULL);
  add(doc, TH_BLOCK_H1, L("出行方式与出行时间", "Modes and travel times"));
  {
    const char *all[] = {"share_road", "share_bus", "share_rail", "share_hsr", "share_intercity",
                         "share_walk", "share_ebike"};
    const char *all_zh[] = {"道路", "公交/客车", "普速铁路", "高铁", "城际铁路", "步行", "电动车/摩托车"};
    const char *all_en[] = {"road", "bus", "rail", "HSR", "intercity", "walk", "e-bike/motorcycle"};
    /* walk and e-bike only when some scenario has them (the modes are off
     * unless [sim] walk_max_km / ebike_max_km are set) */
    const char *cols[7], *labels[7];
    int nc = 0;
    for (int k = 0; k < 7; k++) {
      gboolean used = k < 5;
      for (guint i = 0; !used && i < d->scen->len; i++) {
        double v = th_report_value(d->scen->pdata[i], all[k]);
        used = isfinite(v) && v > 0;
      }
      if (!used) continue;
      cols[nc] = all[k];
      labels[nc++] = doc->zh ? all_zh[k] : all_en[k];
    }
    summary_bars(doc, L("客运方式分担率（按出行次数）", "Passenger mode shares (share of trips)"), "%",
                 nc, cols, labels, 1, TRUE, TRUE);
  }
  /* door-to-door changes per market */
  ThChart *c = chart_new(TH_CHART_BOXES,
                         L("门到门时间变化（最优方式，早高峰，各 OD 对）", "Change in door-to-door time (best mode, morning peak, per zone pair)"),
                         L("分钟", "min"), n, TH_N_MARKETS);
  c->box = g_new(double, (size_t)n * TH_N_MARKETS * 5);
  const char *mk_zh[] = {"县内", "县内↔县外", "过境"}, *mk_en[] = {"in the county", "county ↔ outside", "through"};
  for (int m = 0; m < TH_N_MARKETS; m++) c->ser[m] = g_strdup(doc->zh ? mk_zh[m] : mk_en[m]);
  for (int i = 1; i <= n; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    c->cat[i - 1] = g_strdup(s->name);
    for (int m = 0; m < TH_N_MARKETS; m++) {
      double *bx = &c->box[((size_t)(i - 1) * TH_N_MARKETS + m) * 5];
      GArray *a = s->delta[m];
      if (!a || a->len == 0) {
        for (int k = 0; k < 5; k++) bx[k] = NAN;
        continue;
      }
      g_autofree double *v = g_memdup2(a->data, a->len * sizeof(double));
      qsort(v, a->len, sizeof(double), cmp_double);
      const double q[] = {0.05, 0.25, 0.5, 0.75, 0.95};
      for (int k = 0; k < 5; k++) bx[k] = quantile(v, (int)a->len, q[k]);
    }
  }
  c->aspect = 0.12 + 0.075 * n;
  add_chart(doc, c);
  add(doc, TH_BLOCK_NOTE,
      L("箱体：25%–75% 分位；须线：5%–95% 分位；竖线：中位数。负值为节省时间。市场按 [demand] internal_zones 划分。",
        "Box: 25th to 75th percentile; whiskers: 5th to 95th; line: median. Negative is time "
        "saved. Markets by [demand] internal_zones."));

  /* accessibility */
  const ThReportScenario *b = d->scen->pdata[0];
  const ThNetwork *net = b->results->net;
  ThChart *z = chart_new(TH_CHART_ZONES,
                         L("可达性变化：到其他小区的门到门时间节省（按人口加权，各交通小区）", "Accessibility: door-to-door time saved to the other zones (population-weighted), per zone"),
                         L("分钟", "min"), 0, n);
  z->n_pts = net->n_zones;
  z->lon = g_new(double, net->n_zones);
  z->lat = g_new(double, net->n_zones);
  z->size = g_new(double, net->n_zones);
  z->zv = g_new(double, (size_t)n * net->n_zones);
  g_strfreev(z->cat);
  z->cat = g_new0(char *, net->n_zones + 1);
  for (int k = 0; k < net->n_zones; k++) {
    int node = net->zone_node[k];
    z->lon[k] = net->lon[node];
    z->lat[k] = net->lat[node];
    z->size[k] = net->zone_population[k];
    z->cat[k] = g_strdup(net->node_name[node]);
  }
  z->cells = zone_cells_lonlat(z->lon, z->lat, net->n_zones);
  for (int i = 1; i <= n; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    z->ser[i - 1] = g_strdup(s->name);
    for (int k = 0; k < net->n_zones; k++) {
      double v = s->zone_delta_min ? -s->zone_delta_min[k] : NAN;
      z->zv[(size_t)(i - 1) * net->n_zones + k] = v;
    }
  }
  z->aspect = 0.25 * ((n + 3) / 4) + 0.12;
  add_chart(doc, z);
  add(doc, TH_BLOCK_NOTE,
      L("每个多边形是一个交通小区，颜色为从该小区到所有其他小区的最优方式门到门时间（早高峰）的平均节省，按目的地人口加权：红色更近，蓝色更远，白色无数据。网络中没有小区边界，小区范围取各小区形心的泰森多边形（Voronoi），裁剪到研究区外包矩形（四周各放宽 8%）；点为形心，面积按人口。各小区 60 和 120 分钟内可达人口见 accessibility.csv。",
        "Each polygon is a zone, coloured by the mean door-to-door time saved (best mode, "
        "morning peak) from it to every other zone, weighted by the destination's population: "
        "red closer, blue farther, white no data. The network has no zone boundaries: a zone's "
        "area is the Voronoi cell of its centroid, clipped to the study area's box widened by 8% "
        "on each side; dots are centroids, area by population. Population within 60 and 120 min "
        "per zone: accessibility.csv."));
}

static void traffic(ThReportDoc *doc) {
  const ThReportData *d = doc->data;
  add(doc, TH_BLOCK_PAGEBREAK, NULL);
  add(doc, TH_BLOCK_H1, L("交通量、货运、枢纽与排放", "Traffic, freight, hubs and emissions"));
  {
    const char *cols[] = {"car_vehicle_hours", "truck_vehicle_hours"};
    const char *lz[] = {"小汽车", "货车"}, *le[] = {"cars", "trucks"};
    summary_bars(doc, L("车辆小时（日）", "Vehicle-hours per day"), L("千车·小时", "thousand veh-h"), 2,
                 cols, doc->zh ? lz : le, 1e-3, TRUE, FALSE);
  }
  {
    const char *cols[] = {"car_vehicle_km", "truck_vehicle_km"};
    const char *lz[] = {"小汽车", "货车"}, *le[] = {"cars", "trucks"};
    summary_bars(doc, L("车辆公里（日）", "Vehicle-km per day"), L("千车·公里", "thousand veh-km"), 2, cols,
                 doc->zh ? lz : le, 1e-3, TRUE, FALSE);
  }
  {
    const char *cols[] = {"road_tonne_km", "rail_tonne_km"};
    const char *lz[] = {"公路", "铁路"}, *le[] = {"road", "rail"};
    summary_bars(doc, L("货运周转量（日）", "Freight tonne-km per day"), L("百万吨·公里", "million t-km"), 2,
                 cols, doc->zh ? lz : le, 1e-6, TRUE, FALSE);
  }
  add(doc, TH_BLOCK_H2, L("货运枢纽", "Freight hubs"));
  ThBlock *t = table(doc, "lrlrrr", L("情景", "Scenario"), L("枢纽装卸量 (吨/日)", "Hub tonnes per day"),
                     L("最繁忙枢纽", "Busiest hub"), L("其吨数 (吨/日)", "Its tonnes per day"),
                     L("最长平均排队 (分钟)", "Longest mean queue (min)"),
                     L("最大排队 (吨)", "Largest queue (t)"));
  for (guint i = 0; i < d->scen->len; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    row(t, 0, g_strdup(s->name), num(th_report_value(s, "hub_tonnes"), 0),
        g_strdup(s->hub_busiest ? s->hub_busiest : "–"), num(s->hub_busiest_t, 0),
        num(s->hub_max_queue_min, 1), num(s->hub_peak_queue_t, 0));
  }
  /* load factors */
  ThChart *c = chart_new(TH_CHART_BARS, L("客运班次平均满载率（高峰断面载客 / 定员）", "Mean load factor of passenger runs (peak load / capacity)"),
                         "%", (int)d->scen->len, 4);
  const char *lz[] = {"公交/客车", "普速铁路", "高铁", "城际铁路"}, *le[] = {"bus", "rail", "HSR", "intercity"};
  for (int k = 0; k < 4; k++) c->ser[k] = g_strdup(doc->zh ? lz[k] : le[k]);
  for (guint i = 0; i < d->scen->len; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    c->cat[i] = g_strdup(s->name);
    for (int k = 0; k < 4; k++) c->v[i * 4 + k] = isfinite(s->load_factor[k]) ? s->load_factor[k] : 0;
  }
  c->percent = TRUE;
  c->aspect = 0.12 + 0.055 * d->scen->len * 1.6;
  add_chart(doc, c);
  add(doc, TH_BLOCK_NOTE,
      L("样本运行的载客量按 1/sample_factor 扩样后与定员相比。",
        "Loads of the sample run expanded by 1/sample_factor, against the full capacity."));
  {
    const char *cols[] = {"co2_t"};
    const char *l[] = {"CO2"};
    summary_bars(doc, L("二氧化碳排放（日）", "CO2 emissions per day"), L("吨", "t"), 1, cols, l, 1, FALSE,
                 FALSE);
  }
  add(doc, TH_BLOCK_NOTE,
      L("排放因子见 co2_factors.csv：小汽车 0.17、货车 0.93 千克/车公里，列车按电耗和 2020 年全国电网排放因子。",
        "Emission factors in co2_factors.csv: car 0.17 and truck 0.93 kg per vehicle-km, trains by "
        "energy use and the 2020 China grid factor."));
}

/* The box around the study area's zones, 3.5 times as wide and high, so a
 * regional network's far corners do not shrink the county to a dot. */
static gboolean study_bbox(const ThReportData *d, double bb[4]) {
  const ThNetwork *net = ((ThReportScenario *)d->scen->pdata[0])->results->net;
  double w = INFINITY, s = INFINITY, e = -INFINITY, n = -INFINITY;
  for (int z = 0; z < net->n_zones; z++) {
    if (!d->internal[z]) continue;
    int k = net->zone_node[z];
    if (!isfinite(net->lon[k])) continue;
    w = MIN(w, net->lon[k]);
    e = MAX(e, net->lon[k]);
    s = MIN(s, net->lat[k]);
    n = MAX(n, net->lat[k]);
  }
  if (!isfinite(w) || e - w <= 0 || n - s <= 0) return FALSE;
  double cx = 0.5 * (w + e), cy = 0.5 * (s + n), hw = 1.75 * MAX(e - w, 0.3), hh = 1.75 * MAX(n - s, 0.2);
  bb[0] = cx - hw, bb[1] = cy - hh, bb[2] = cx + hw, bb[3] = cy + hh;
  return TRUE;
}

static void maps(ThReportDoc *doc) {
  const ThReportData *d = doc->data;
  double bb[4];
  gboolean has_bb = study_bbox(d, bb);
  add(doc, TH_BLOCK_PAGEBREAK, NULL);
  add(doc, TH_BLOCK_H1, L("流量图与差值图", "Flow and difference maps"));
  for (guint i = 0; i < d->scen->len; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    ThBlock *m = add(doc, TH_BLOCK_MAP, NULL);
    m->map_s = (int)i;
    m->map_base = i == 0 ? -1 : 0;
    /* the freight map where the project moves tonnes more than people */
    double dp = fabs(th_report_value(s, "passenger_km") / th_report_value(d->scen->pdata[0], "passenger_km") - 1);
    double df = fabs(th_report_value(s, "rail_tonne_km") / th_report_value(d->scen->pdata[0], "rail_tonne_km") - 1) +
                fabs(th_report_value(s, "hub_tonnes") / th_report_value(d->scen->pdata[0], "hub_tonnes") - 1);
    gboolean freight = i > 0 && isfinite(df) && (!isfinite(dp) || df > 5 * dp);
    m->map_mode = freight ? TH_MAP_MODE_FREIGHT : TH_MAP_MODE_ALL;
    m->map_metric = freight ? TH_MAP_METRIC_TONNES : TH_MAP_METRIC_PASSENGERS;
    m->has_bbox = has_bb;
    memcpy(m->bbox, bb, sizeof bb);
    if (i == 0)
      m->text = g_strdup_printf(L("%s：客流（全部方式，人/日）", "%s: passenger flows, all modes (per day)"), s->name);
    else
      m->text = g_strdup_printf(freight ? L("%s 减去基准：货运量变化（吨/日）", "%s minus the base: change in tonnes per day")
                                        : L("%s 减去基准：客流变化（人/日）", "%s minus the base: change in passengers per day"),
                                s->name);
  }
}

/* A purpose as the reader knows it (the synthesis's names translated). */
static const char *purpose_label(const ThReportDoc *doc, const char *p) {
  static const char *names[][3] = {{"work", "通勤", "work"},
                                   {"other", "其他", "other"},
                                   {"tourism", "旅游", "tourism"},
                                   {"longdist", "长途", "long-distance"}};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (!strcmp(p, names[i][0])) return doc->zh ? names[i][1] : names[i][2];
  return p;
}

/* Appraisal stage 1: the heading and the method in a paragraph. */
static void appraisal_method(ThReportDoc *doc) {
  add(doc, TH_BLOCK_PAGEBREAK, NULL);
  add(doc, TH_BLOCK_H1, L("经济评价（费用效益分析）", "Cost-benefit appraisal"));
  add(doc, TH_BLOCK_P,
      L("效益为相对基准的日变化，按“一半法则”计算（需求不同的情景不计入增长本身），乘以年化系数得到开通年的年效益；运营期内效益按年增长率 benefit_growth 逐年增长，运营费用不变；投资在建设期内均摊；计算期末按直线折旧（资产寿命 asset_life_years 年，自开通起）回收固定资产余值，计入末年效益。净现值、效益费用比和经济内部收益率按社会折现率折现到建设期初。",
        "Benefits are the daily change from the base by the rule of a half (a scenario with other "
        "demand is not credited with the growth itself), times the annualisation factor, for the "
        "opening year; over the appraisal period they grow by benefit_growth a year and operating "
        "costs stay constant; the capital cost is spread over the construction years; at the end "
        "of the period the capital not yet used up (straight-line over asset_life_years from "
        "opening) is counted as a benefit of the last year (residual value). NPV, BCR and EIRR "
        "are discounted at the social discount rate to the start of construction."));
}

/* Appraisal stage 2: the [appraisal] parameters with their defaults and
 * sources (th_appraisal_sources), and the values of time. */
static void appraisal_parameters(ThReportDoc *doc) {
  add(doc, TH_BLOCK_H2, L("参数与来源", "Parameters and their sources"));
  ThBlock *pt = table(doc, "lrl", L("参数", "Parameter"), L("默认值", "Default"), L("来源", "Source"));
  for (int i = 0; th_appraisal_sources[i].key; i++) {
    const ThAppraisalSource *src = &th_appraisal_sources[i];
    const ThParam *p = th_param_find(th_param_table, "appraisal", src->key);
    if (g_str_has_suffix(p->key, "million_yuan") || !strcmp(p->key, "construction_years") ||
        !strcmp(p->key, "opening_year"))
      continue;
    double def = TH_PARAM_DEFAULT("appraisal", p->key);
    row(pt, 0, g_strdup_printf("%s (%s)", p->key, p->unit), num(def, def < 1 ? 2 : def < 10 ? 1 : 0),
        g_strdup(doc->zh ? src->source_zh : src->source));
  }
  row(pt, 0, g_strdup("vot_CLASS_per_h"), g_strdup(L("classes.csv", "classes.csv")),
      g_strdup(L("模型的出行者类别时间价值（E，估计）", "the model's value of time per class (E, estimate)")));
  row(pt, 0, g_strdup("vot_purpose_PURPOSE_per_h"), g_strdup(L("类别的值", "the class's")),
      g_strdup(L("按出行目的的时间价值；没有采用已发布的中国分目的时间价值，默认取类别的值（E，估计）",
                 "value of time per trip purpose; no published Chinese value per purpose is used, "
                 "the class's by default (E, estimate)")));
}

/* Appraisal stage 3: each project's costs and years. */
static void appraisal_costs(ThReportDoc *doc, const ThReportAppraisal *ap) {
  const ThReportData *d = doc->data;
  int n = (int)d->scen->len - 1;
  add(doc, TH_BLOCK_H2, L("方案投资与年限", "Project costs and years"));
  g_autofree char *h_cap = g_strdup_printf(L("投资 (%s)", "Capital (%s)"), BIG);
  g_autofree char *h_op = g_strdup_printf(L("年运营费 (%s)", "Operating per year (%s)"), BIG);
  ThBlock *ct = table(doc, "lrrrrrrr", L("方案", "Project"), h_cap, h_op, L("建设期 (年)", "Construction (years)"),
                      L("运营期 (年)", "Period (years)"), L("折现率", "Discount rate"),
                      L("效益年增长", "Benefit growth"), L("资产寿命 (年)", "Asset life (years)"));
  for (int i = 1; i <= n; i++) {
    const ThReportScenario *s = d->scen->pdata[i];
    const ThReportAppraisal *a = &ap[i];
    row(ct, 0, g_strdup(s->name), num(big(doc, a->project.capital_cost), 1),
        num(big(doc, a->project.annual_operating), 2), g_strdup_printf("%d", a->project.construction_years),
        g_strdup_printf("%d", a->project.period_years), g_strdup_printf("%.1f%%", 100 * a->project.discount_rate),
        g_strdup_printf("%.1f%%", 100 * a->project.benefit_growth),
        a->project.asset_life_years > 0 ? g_strdup_printf("%g", a->project.asset_life_years)
                                        : g_strdup(L("不计残值", "no residual")));
  }
}

/* The columns of the benefit table: every project's cells (class and
 * purpose) into COL_CLS, COL_PUR, in order of first appearance, at most
 * TH_REPORT_MAX_CELLS. Returns how many. */
static int benefit_columns(const ThReportAppraisal *ap, int n, const char **col_cls,
                           const char **col_pur) {
  int nc = 0;
  for (int i = 1; i <= n; i++)
    for (int j = 0; j < ap[i].n_classes; j++) {
      int k = 0;
      while (k < nc && (strcmp(col_cls[k], ap[i].class_name[j]) ||
                        strcmp(col_pur[k], ap[i].purpose_name[j])))
        k++;
      if (k == nc && nc < TH_REPORT_MAX_CELLS) {
        col_cls[nc] = ap[i].class_name[j];
        col_pur[nc++] = ap[i].purpose_name[j];
      }
    }
  return nc;
}

/* Appraisal stage 4: the daily benefits of each project by class and
 * purpose (benefit_columns), vehicle operating cost and CO2, and their
 * total with its interval. */
static void appraisal_benefits(ThReportDoc *doc, const ThReportAppraisal *ap) {
  const ThReportData *d = doc->data;
  int n = (int)d->scen->len - 1;
  add(doc, TH_BLOCK_H2, L("日效益（按类别和出行目的）", "Benefits per day, by class and purpose"));
  const ThReportAppraisal *a1 = &ap[1];
  const char *col_cls[TH_REPORT_MAX_CELLS], *col_pur[TH_REPORT_MAX_CELLS];
  int nc = benefit_columns(ap, n, col_cls, col_pur);
  GString *al = g_string_new("l");
  for (int k = 0; k < nc + 3; k++) g_string_append_c(al, 'r');
  ThBlock *bt = table(doc, "l", L("方案", "Project"));
  g_free(bt->align);
  bt->align = g_string_free(al, FALSE);
  bt->n_cols = nc + 4;
  char **h = g_ptr_array_index(bt->rows, 0);
  h = g_renew(char *, h, bt->n_cols + 1);
  for (int k = 0; k < nc; k++)
    h[1 + k] = *col_pur[k] ? g_strdup_printf(L("时间：%s·%s", "time: %s, %s"), col_cls[k],
                                             purpose_label(doc, col_pur[k]))
                           : g_strdup_printf(L("时间：%s", "time: %s"), col_cls[k]);
  h[nc + 1] = g_strdup(L("车辆运营费", "vehicle operating"));
  h[nc + 2] = g_strdup(L("CO2", "CO2"));
  h[nc + 3] = g_strdup(L("合计", "total"));
  h[nc + 4] = NULL;
  bt->rows->pdata[0] = h;
  for (int i = 1; i <= n; i++) {
    const ThReportAppraisal *a = &ap[i];
    char **r = g_new0(char *, bt->n_cols + 1);
    r[0] = g_strdup(((ThReportScenario *)d->scen->pdata[i])->name);
    for (int k = 0; k < nc; k++) { /* a project without the cell: 0 */
      int j = 0;
      while (j < a->n_classes &&
             (strcmp(a->class_name[j], col_cls[k]) || strcmp(a->purpose_name[j], col_pur[k])))
        j++;
      /* means only: with an interval in every cell the table no longer fits
       * the page; the cells' intervals are in appraisal.csv */
      r[1 + k] = num(small(doc, j < a->n_classes ? a->time_benefit_class[j] : 0), 1);
    }
    r[nc + 1] = num(small(doc, a->voc_benefit), 1);
    r[nc + 2] = num(small(doc, a->co2_benefit), 1);
    r[nc + 3] = iv_cell(doc, small(doc, a->daily_benefit), &a->daily_iv, small(doc, 1), 1);
    g_ptr_array_add(bt->rows, r);
    int z = 0;
    g_array_append_val(bt->row_flags, z);
  }
  addf(doc, TH_BLOCK_NOTE, L("单位：%s/日。客运按类别和出行目的、货运按类别计算每次出行或每吨的小时变化，乘以其时间价值（[appraisal] vot_purpose_目的_per_h，未给出时取类别的时间价值）。过境交通的目的未知，计为“其他”。",
                             "In %s a day. Hours per trip by class and purpose (passengers) or per tonne by "
                             "class (freight), times their value of time ([appraisal] "
                             "vot_purpose_PURPOSE_per_h; the class's when not given). Through traffic, "
                             "whose purpose is not known, counts as other."),
       SMALL);
  if (a1->replications >= 2)
    addf(doc, TH_BLOCK_NOTE,
         L("各项为 %d 次重复运行的均值；合计的方括号内为 95%% 置信区间，各项的区间见 appraisal.csv。",
           "Means over %d replications; in brackets the 95%% interval of the total (those of "
           "every item are in appraisal.csv)."),
         a1->replications);
}

/* Appraisal stage 5: each project's opening-year benefit, present values,
 * NPV, BCR and EIRR (or why it has none), and what is not counted. */
static void appraisal_results(ThReportDoc *doc, const ThReportAppraisal *ap) {
  const ThReportData *d = doc->data;
  int n = (int)d->scen->len - 1;
  add(doc, TH_BLOCK_H2, L("评价结果", "Results"));
  g_autofree char *h_ab = g_strdup_printf(L("开通年效益 (%s)", "Opening-year benefit (%s)"), BIG);
  g_autofree char *h_pb = g_strdup_printf(L("效益现值 (%s)", "PV benefits (%s)"), BIG);
  g_autofree char *h_pc = g_strdup_printf(L("费用现值 (%s)", "PV costs (%s)"), BIG);
  g_autofree char *h_np = g_strdup_printf(L("净现值 (%s)", "NPV (%s)"), BIG);
  g_autofree char *h_rv = g_strdup_printf(L("其中残值现值 (%s)", "of which residual (%s)"), BIG);
  ThBlock *rt = table(doc, "lrrrrrrr", L("方案", "Project"), h_ab, h_pb, h_rv, h_pc, h_np,
                      L("效益费用比", "BCR"), L("经济内部收益率", "EIRR"));
  for (int i = 1; i <= n; i++) {
    const ThReportAppraisal *a = &ap[i];
    const char *nm = ((ThReportScenario *)d->scen->pdata[i])->name;
    if (!a->appraised) {
      row(rt, 0, g_strdup(nm), num(big(doc, a->annual_benefit), 2), g_strdup("–"), g_strdup("–"),
          g_strdup("–"), g_strdup("–"), g_strdup("–"), g_strdup(L("未给出投资", "no cost given")));
      continue;
    }
    row(rt, 0, g_strdup(nm), num(big(doc, a->annual_benefit), 2), num(big(doc, a->result.pv_benefits), 1),
        num(big(doc, a->result.pv_residual), 1), num(big(doc, a->result.pv_costs), 1),
        iv_cell(doc, big(doc, a->result.npv), &a->npv_iv, big(doc, 1), 1),
        iv_cell(doc, a->result.bcr, &a->bcr_iv, 1, 2),
        isfinite(a->result.eirr) ? g_strdup_printf("%.1f%%", 100 * a->result.eirr)
                                 : g_strdup(L("无（效益不能收回投资）", "none (never repaid)")));
  }
  add(doc, TH_BLOCK_NOTE,
      L("票价是出行者与运营者之间的转移支付，不计入；运营者的增加成本由方案的年运营费表示。投资与运营费为 [appraisal] 中的估计值，非项目预算。",
        "Fares are transfers between travellers and operators and are not counted; the operator's "
        "added cost is the project's annual operating cost. Capital and operating costs are the "
        "estimates of [appraisal], not the projects' budgets."));
}

/* The appraisal section in its stages: method, parameters, costs, daily
 * benefits, results. */
static void appraisal(ThReportDoc *doc, const ThReportAppraisal *ap) {
  appraisal_method(doc);
  appraisal_parameters(doc);
  appraisal_costs(doc, ap);
  appraisal_benefits(doc, ap);
  appraisal_results(doc, ap);
}

static void validation(ThReportDoc *doc) {
  const ThReportData *d = doc->data;
  add(doc, TH_BLOCK_H1, L("基准年校核", "Validation of the base"));
  if (!d->validation || d->validation->len < 1) {
    add(doc, TH_BLOCK_P,
        L("没有校核文件（validation_summary.csv）：本报告中的基准年没有与观测交通量对比。结果应作为方案之间的比较来读，而不是预测值。",
          "No validation file (validation_summary.csv): the base year in this report has not been "
          "compared with observed counts. Read the figures as a comparison between projects, not "
          "as forecasts."));
    return;
  }
  g_autofree char *base = g_path_get_basename(d->validation_path);
  addf(doc, TH_BLOCK_P, L("基准年与观测数据的对比（%s）：", "The base year against observations (%s):"), base);
  char **h = d->validation->pdata[0];
  int nc = (int)g_strv_length(h);
  if (nc < 1) return;
  ThBlock *t = table(doc, "l", h[0]);
  g_free(t->align);
  t->align = g_malloc0(nc + 1);
  memset(t->align, 'r', nc);
  t->align[0] = 'l';
  t->n_cols = nc;
  g_ptr_array_remove_index(t->rows, 0);
  g_array_remove_index(t->row_flags, 0);
  for (guint r = 0; r < d->validation->len; r++) {
    char **src = d->validation->pdata[r];
    char **cp = g_new0(char *, nc + 1);
    for (int k = 0; k < nc; k++) cp[k] = g_strdup(k < (int)g_strv_length(src) ? src[k] : "");
    g_ptr_array_add(t->rows, cp);
    int z = 0;
    g_array_append_val(t->row_flags, z);
  }
}

static void assumptions(ThReportDoc *doc) {
  const ThReportData *d = doc->data;
  const ThReportScenario *b = d->scen->pdata[0];
  const ThResults *r = b->results;
  add(doc, TH_BLOCK_H1, L("模型假设与简化", "The model's assumptions and simplifications"));
  add(doc, TH_BLOCK_P, L("以下内容由基准运行的 run.ini 和 params.ini 生成：",
                         "Generated from the base run's run.ini and params.ini:"));
  ThBlock *t = table(doc, "ll", L("项目", "Item"), L("取值", "Value"));
  row(t, 0, g_strdup(L("模型版本", "taihang version")), g_strdup(r->version ? r->version : ""));
  row(t, 0, g_strdup(L("随机种子", "Seed")), g_strdup_printf("%" G_GINT64_FORMAT, r->seed));
  row(t, 0, g_strdup(L("需求样本", "Demand sample")),
      g_strdup_printf(L("%.0f%%，结果按 %.0f 倍扩样", "%.0f%%, results expanded x%.0f"), 100 * r->sample_factor,
                      th_results_expansion(r)));
  row(t, 0, g_strdup(L("迭代次数与相对间隙", "Iterations and relative gap")),
      g_strdup_printf("%d, %.6f", r->iterations, r->relative_gap));
  row(t, 0, g_strdup(L("模拟时长", "Simulated horizon")), g_strdup_printf("%.1f h", r->horizon_s / 3600));
  static const struct { const char *sec, *key, *zh, *en; } items[] = {
      {"demand", "year", "需求年份", "Demand year"},
      {"demand", "growth", "需求增长系数", "Demand growth factor"},
      {"demand", "annual_growth", "年增长率", "Annual growth"},
      {"demand", "trip_rate", "人均日出行（区内）", "Trips per resident a day"},
      {"demand", "share_work", "通勤出行比例", "Share of work trips"},
      {"demand", "internal_zones", "研究区小区", "Study-area zones"},
      {"choice", "scale", "方式选择 logit 尺度参数", "Mode-choice logit scale"},
      {"sim", "replan_share", "每次迭代重新规划比例", "Share replanning per iteration"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(items); i++) {
    g_autofree char *v = g_key_file_get_value(b->params, items[i].sec, items[i].key, NULL);
    if (v) row(t, 0, g_strdup_printf("%s ([%s] %s)", doc->zh ? items[i].zh : items[i].en, items[i].sec, items[i].key), g_strdup(v));
  }
  row(t, 0, g_strdup(L("重复运行", "Replications")),
      g_strdup(th_report_has_intervals(d) ? L("有（effects.csv）", "yes (effects.csv)") : L("无：单次运行，无置信区间", "none: one run each, no intervals")));
  const char *simpl_zh[] = {
      "一天为典型工作日；需求由重力模型合成（双约束，IPF 平衡），不是调查 OD。",
      "道路为排队模型（自由流时间、通行能力、存储能力、溢出），公交和铁路按时刻表运行。",
      "出行方式由 logit 模型选择，路径按经验行程时间重新规划；在迭代上限或相对间隙处停止。",
      "货运按卡车或“卡车–枢纽–列车–枢纽–卡车”链选择，枢纽按装卸能力排队。",
      "参数来源标记：H 资料给出，M 单一二手资料或取整，E 估计。",
  };
  const char *simpl_en[] = {
      "One typical weekday; demand is synthesized by a doubly constrained gravity model (IPF), not "
      "surveyed OD.",
      "Roads are queues (free-flow time, flow and storage capacity, spillback); buses and trains "
      "run their timetables.",
      "Modes are chosen by a logit model and routes replanned on experienced times, to an iteration "
      "limit or relative gap.",
      "Freight goes by truck or truck–hub–train–hub–truck; hubs queue tonnes at their handling rate.",
      "Data confidence: H stated by a source, M one secondary source or rounded, E estimate.",
  };
  for (int i = 0; i < 5; i++) add(doc, TH_BLOCK_P, doc->zh ? simpl_zh[i] : simpl_en[i]);
}

ThReportDoc *th_report_doc_build(const ThReportData *d, gboolean zh, const char *date) {
  ThReportDoc *doc = g_new0(ThReportDoc, 1);
  doc->zh = zh;
  doc->date = g_strdup(date ? date : "");
  doc->data = d;
  doc->blocks = g_ptr_array_new_with_free_func(block_free);
  int n = (int)d->scen->len;
  ThReportAppraisal *ap = g_new0(ThReportAppraisal, n);
  for (int i = 1; i < n; i++) th_report_appraise(d, i, &ap[i]);
  title_and_summary(doc, ap);
  charts(doc);
  traffic(doc);
  maps(doc);
  appraisal(doc, ap);
  add(doc, TH_BLOCK_PAGEBREAK, NULL);
  validation(doc);
  assumptions(doc);
  for (int i = 1; i < n; i++) th_report_appraisal_clear(&ap[i]);
  g_free(ap);
  return doc;
}

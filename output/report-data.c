/* report-data.c: reads a compare folder for the report (see report-doc.h). */
#include "network/csv.h"
#include "network/th-error.h"
#include "output/report-doc.h"
#include "sim/params.h"

#include <math.h>
#include <string.h>

void th_report_scenario_free(ThReportScenario *s) {
  if (!s) return;
  g_free(s->key);
  g_free(s->name);
  g_free(s->description);
  if (s->summary) g_hash_table_unref(s->summary);
  th_results_free(s->results);
  if (s->params) g_key_file_unref(s->params);
  if (s->classes) {
    for (guint i = 0; i < s->classes->len; i++) {
      g_free(g_array_index(s->classes, ThReportClass, i).cls);
      g_free(g_array_index(s->classes, ThReportClass, i).purpose);
    }
    g_array_unref(s->classes);
  }
  g_free(s->hub_busiest);
  for (int m = 0; m < TH_N_MARKETS; m++)
    if (s->delta[m]) g_array_unref(s->delta[m]);
  g_free(s->pop60_base);
  g_free(s->pop60_scn);
  g_free(s->zone_delta_min);
  g_free(s);
}

void th_report_data_free(ThReportData *d) {
  if (!d) return;
  g_free(d->dir);
  if (d->scen) g_ptr_array_unref(d->scen);
  if (d->effects) {
    for (guint i = 0; i < d->effects->len; i++) {
      ThReportEffect *e = &g_array_index(d->effects, ThReportEffect, i);
      g_free(e->scenario);
      g_free(e->indicator);
    }
    g_array_unref(d->effects);
  }
  if (d->appraisal) {
    for (guint i = 0; i < d->appraisal->len; i++) {
      ThReportAppraisalRow *r = &g_array_index(d->appraisal, ThReportAppraisalRow, i);
      g_free(r->scenario);
      g_free(r->item);
      g_free(r->cls);
      g_free(r->purpose);
    }
    g_array_unref(d->appraisal);
  }
  g_free(d->validation_path);
  if (d->validation) g_ptr_array_unref(d->validation);
  g_free(d->internal);
  g_free(d);
}

gboolean th_report_has_intervals(const ThReportData *d) {
  for (guint i = 0; d->effects && i < d->effects->len; i++) {
    const ThReportEffect *e = &g_array_index(d->effects, ThReportEffect, i);
    if (isfinite(e->ci_low) && isfinite(e->ci_high)) return TRUE;
  }
  return FALSE;
}

double th_report_value(const ThReportScenario *s, const char *column) {
  const double *v = s->summary ? g_hash_table_lookup(s->summary, column) : NULL;
  return v ? *v : NAN;
}

const ThReportEffect *th_report_effect(const ThReportData *d, const char *scenario,
                                       const char *indicator) {
  if (!d->effects) return NULL;
  for (guint i = 0; i < d->effects->len; i++) {
    const ThReportEffect *e = &g_array_index(d->effects, ThReportEffect, i);
    if (!strcmp(e->scenario, scenario) && !strcmp(e->indicator, indicator)) return e;
  }
  return NULL;
}

static ThReportScenario *find_scenario(const ThReportData *d, const char *key) {
  for (guint i = 0; i < d->scen->len; i++) {
    ThReportScenario *s = d->scen->pdata[i];
    if (!strcmp(s->key, key)) return s;
  }
  return NULL;
}

/* The summary.csv columns the report reads: a value there that is not a
 * number is an error; other columns may hold text (compare's "demand"). */
static const char *numeric_columns[] = {
    "trips", "passenger_trips", "car_vehicle_hours", "car_vehicle_km", "truck_vehicle_hours",
    "truck_vehicle_km", "passenger_hours", "passenger_km", "share_road", "share_bus", "share_rail",
    "share_hsr", "share_intercity", "share_walk", "share_ebike", "road_tonne_km", "rail_tonne_km",
    "hub_tonnes", "avg_gen_cost_passenger", "co2_t", NULL};

static gboolean is_numeric_column(const char *name) {
  for (int i = 0; numeric_columns[i]; i++)
    if (!strcmp(numeric_columns[i], name)) return TRUE;
  return FALSE;
}

/* summary.csv: the first row is the base (compare writes it so). */
static gboolean read_summary(ThReportData *d, GError **error) {
  g_autofree char *path = g_build_filename(d->dir, "summary.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: not a compare folder (expected summary.csv, written by taihang compare)",
                d->dir);
    return FALSE;
  }
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int c_key = th_csv_require(csv, "scenario", error);
  if (c_key < 0) return FALSE;
  int c_name = th_csv_column(csv, "name"), c_desc = th_csv_column(csv, "description");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *re = NULL;
  while (th_csv_next(csv, &re)) {
    const char *key = th_csv_field(csv, c_key);
    if (!*key || strchr(key, '/') || !strcmp(key, "..") || !strcmp(key, ".")) {
      th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                      "scenario '%s' is not a folder name (expected a scenario key)", key);
      continue;
    }
    ThReportScenario *s = g_new0(ThReportScenario, 1);
    s->key = g_strdup(key);
    s->name = g_strdup(c_name >= 0 && *th_csv_field(csv, c_name) ? th_csv_field(csv, c_name) : key);
    s->description = g_strdup(c_desc >= 0 ? th_csv_field(csv, c_desc) : "");
    s->summary = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (int c = 0; c < th_csv_n_columns(csv); c++) {
      if (c == c_key || c == c_name || c == c_desc) continue;
      const char *v = th_csv_field(csv, c);
      double x;
      if (!*v) continue;
      if (!th_parse_double(v, &x)) {
        if (is_numeric_column(th_csv_column_name(csv, c)))
          th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                          "%s = '%s' is not a number", th_csv_column_name(csv, c), v);
        continue;
      }
      g_hash_table_insert(s->summary, g_strdup(th_csv_column_name(csv, c)), g_memdup2(&x, sizeof x));
    }
    g_ptr_array_add(d->scen, s);
  }
  if (!th_csv_read_end(re, problems, TH_ERROR_PARSE, error)) return FALSE;
  if (d->scen->len < 2) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s:%d: expected the base and at least one scenario (found %u rows)", path,
                th_csv_line(csv), d->scen->len);
    return FALSE;
  }
  return TRUE;
}

/* The `significant` column of effects.csv or appraisal.csv at column COL as
 * a switch (th_param_switch: 1/0, true/false, yes/no); FALSE, with the
 * problem at its line, for anything else. */
static gboolean read_significant(ThCsv *csv, int col, gboolean *out, GPtrArray *problems) {
  const char *sig = th_csv_field(csv, col);
  if (th_param_switch(sig, out)) return TRUE;
  th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                  "significant = '%s' is not a truth value (expected 1/0, true/false or yes/no)",
                  sig);
  return FALSE;
}

/* effects.csv of the replications (issue 12): exactly these columns. */
static gboolean read_effects(ThReportData *d, GError **error) {
  g_autofree char *path = g_build_filename(d->dir, "effects.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  static const char *cols[] = {"scenario", "indicator", "base_mean", "scenario_mean", "effect",
                               "ci_low", "ci_high", "significant"};
  int c[8];
  for (int i = 0; i < 8; i++)
    if ((c[i] = th_csv_require(csv, cols[i], error)) < 0) return FALSE;
  d->effects = g_array_new(FALSE, TRUE, sizeof(ThReportEffect));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *re = NULL;
  while (th_csv_next(csv, &re)) {
    ThReportEffect e = {0};
    double *x[5] = {&e.base_mean, &e.scenario_mean, &e.effect, &e.ci_low, &e.ci_high};
    gboolean ok = TRUE;
    for (int i = 0; i < 5; i++) {
      GError *fe = NULL;
      /* one replication: compare leaves the interval empty */
      if (i >= 3 && !*th_csv_field(csv, c[2 + i])) {
        *x[i] = NAN;
        continue;
      }
      if (!th_csv_double(csv, c[2 + i], x[i], &fe)) {
        g_ptr_array_add(problems, g_strdup(fe->message));
        g_error_free(fe);
        ok = FALSE;
      }
    }
    if (!read_significant(csv, c[7], &e.significant, problems)) ok = FALSE;
    if (!find_scenario(d, th_csv_field(csv, c[0]))) {
      th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                      "scenario '%s' is not in summary.csv", th_csv_field(csv, c[0]));
      ok = FALSE;
    }
    if (!ok) continue;
    e.scenario = g_strdup(th_csv_field(csv, c[0]));
    e.indicator = g_strdup(th_csv_field(csv, c[1]));
    g_array_append_val(d->effects, e);
  }
  return th_csv_read_end(re, problems, TH_ERROR_PARSE, error);
}

static gint cmp_cell(gconstpointer a, gconstpointer b) {
  const ThReportClass *x = a, *y = b;
  if (x->class_index != y->class_index) return x->class_index < y->class_index ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* trips_out.csv: hours and trips (tonnes for freight) per class and
 * purpose, expanded. */
static gboolean read_class_times(ThReportScenario *s, GError **error) {
  s->classes = g_array_new(FALSE, TRUE, sizeof(ThReportClass));
  g_autofree char *cpath = g_build_filename(s->results->dir, "network", "classes.csv", NULL);
  g_autoptr(GHashTable) idx = g_hash_table_new(g_str_hash, g_str_equal);
  GArray *tpv = g_array_new(FALSE, TRUE, sizeof(double));
  if (g_file_test(cpath, G_FILE_TEST_IS_REGULAR)) {
    g_autoptr(ThCsv) csv = th_csv_open(cpath, error);
    if (!csv) return g_array_unref(tpv), FALSE;
    int cc = th_csv_column(csv, "class"), ck = th_csv_column(csv, "kind"),
        cv = th_csv_column(csv, "vot_per_h"), ct = th_csv_column(csv, "tonnes_per_vehicle");
    GError *re = NULL;
    while (cc >= 0 && th_csv_next(csv, &re)) {
      ThReportClass k = {g_strdup(th_csv_field(csv, cc)), FALSE, 0, 0, 0, g_strdup(""),
                         (int)s->classes->len, 0};
      k.freight = ck >= 0 && !strcmp(th_csv_field(csv, ck), "freight");
      double t = 0;
      if (cv >= 0) th_parse_double(th_csv_field(csv, cv), &k.vot_per_h);
      if (ct >= 0) th_parse_double(th_csv_field(csv, ct), &t);
      g_array_append_val(s->classes, k);
      g_array_append_val(tpv, t);
    }
    if (re) {
      g_propagate_error(error, re);
      g_array_unref(tpv);
      return FALSE;
    }
  }
  for (guint i = 0; i < s->classes->len; i++)
    g_hash_table_insert(idx, g_array_index(s->classes, ThReportClass, i).cls,
                        GUINT_TO_POINTER(i + 1));
  g_autofree char *tpath = g_build_filename(s->results->dir, "trips_out.csv", NULL);
  double ex = th_results_expansion(s->results);
  if (g_file_test(tpath, G_FILE_TEST_IS_REGULAR)) {
    g_autoptr(ThCsv) csv = th_csv_open(tpath, error);
    if (!csv) return g_array_unref(tpv), FALSE;
    int cc = th_csv_column(csv, "class"), ct = th_csv_column(csv, "travel_time_s"),
        cp = th_csv_column(csv, "purpose");
    /* "class\tpurpose" -> entry + 1, for the purposes met */
    g_autoptr(GHashTable) cells = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GError *re = NULL;
    int seq = 0;
    while (cc >= 0 && ct >= 0 && th_csv_next(csv, &re)) {
      guint k = GPOINTER_TO_UINT(g_hash_table_lookup(idx, th_csv_field(csv, cc)));
      double tt;
      if (!k || !th_parse_double(th_csv_field(csv, ct), &tt)) continue;
      const double tpv_k = g_array_index(tpv, double, k - 1);
      const char *pur = th_csv_field(csv, cp);
      if (*pur && !g_array_index(s->classes, ThReportClass, k - 1).freight) {
        g_autofree char *key = g_strdup_printf("%s\t%s", th_csv_field(csv, cc), pur);
        guint e = GPOINTER_TO_UINT(g_hash_table_lookup(cells, key));
        if (!e) {
          ThReportClass x = g_array_index(s->classes, ThReportClass, k - 1);
          x.cls = g_strdup(x.cls);
          x.purpose = g_strdup(pur);
          x.units = x.hours = 0;
          x.seq = ++seq;
          g_array_append_val(s->classes, x);
          e = s->classes->len;
          g_hash_table_insert(cells, g_steal_pointer(&key), GUINT_TO_POINTER(e));
        }
        k = e;
      }
      ThReportClass *c = &g_array_index(s->classes, ThReportClass, k - 1);
      double u = c->freight ? tpv_k : 1;
      if (!(u > 0)) u = 1;
      c->units += u * ex;
      c->hours += u * tt / 3600.0 * ex;
    }
    if (re) {
      g_propagate_error(error, re);
      g_array_unref(tpv);
      return FALSE;
    }
  }
  g_array_unref(tpv);
  g_array_sort(s->classes, cmp_cell);
  return TRUE;
}

static int load_mode_index(const char *mode) {
  static const char *m[] = {"bus", "rail", "hsr", "intercity"};
  for (int i = 0; i < 4; i++)
    if (!strcmp(mode, m[i])) return i;
  return -1;
}

/* services_out.csv and hubs_out.csv (multimodal runs only). */
static void read_services_hubs(ThReportScenario *s) {
  double sum[4] = {0}, n[4] = {0};
  double ex = th_results_expansion(s->results);
  g_autofree char *sp = g_build_filename(s->results->dir, "services_out.csv", NULL);
  g_autoptr(ThCsv) sc = g_file_test(sp, G_FILE_TEST_IS_REGULAR) ? th_csv_open(sp, NULL) : NULL;
  int cm = sc ? th_csv_column(sc, "mode") : -1, ck = sc ? th_csv_column(sc, "kind") : -1,
      cp = sc ? th_csv_column(sc, "peak_load") : -1, cc = sc ? th_csv_column(sc, "capacity") : -1;
  while (cm >= 0 && cp >= 0 && cc >= 0 && th_csv_next(sc, NULL)) {
    int m = load_mode_index(th_csv_field(sc, cm));
    double p, c;
    if (m < 0 || (ck >= 0 && !strcmp(th_csv_field(sc, ck), "freight"))) continue;
    if (!th_parse_double(th_csv_field(sc, cp), &p) || !th_parse_double(th_csv_field(sc, cc), &c) ||
        c <= 0)
      continue;
    sum[m] += p * ex / c;
    n[m] += 1;
  }
  for (int m = 0; m < 4; m++) s->load_factor[m] = n[m] > 0 ? sum[m] / n[m] : NAN;
  g_autofree char *hp = g_build_filename(s->results->dir, "hubs_out.csv", NULL);
  g_autoptr(ThCsv) hc = g_file_test(hp, G_FILE_TEST_IS_REGULAR) ? th_csv_open(hp, NULL) : NULL;
  int cn = hc ? th_csv_column(hc, "name") : -1, ct = hc ? th_csv_column(hc, "tonnes_handled") : -1,
      cq = hc ? th_csv_column(hc, "mean_queue_min") : -1,
      cpk = hc ? th_csv_column(hc, "peak_queue_t") : -1;
  while (cn >= 0 && ct >= 0 && th_csv_next(hc, NULL)) {
    double t = 0, q = 0, pk = 0;
    th_parse_double(th_csv_field(hc, ct), &t);
    if (cq >= 0) th_parse_double(th_csv_field(hc, cq), &q);
    if (cpk >= 0) th_parse_double(th_csv_field(hc, cpk), &pk);
    t *= ex;
    pk *= ex;
    if (t > s->hub_busiest_t) {
      s->hub_busiest_t = t;
      g_free(s->hub_busiest);
      s->hub_busiest = g_strdup(th_csv_field(hc, cn));
    }
    s->hub_max_queue_min = MAX(s->hub_max_queue_min, q);
    s->hub_peak_queue_t = MAX(s->hub_peak_queue_t, pk);
  }
}

/* [demand] internal_zones of the base's params.ini ("1-18;40"); every zone
 * when unset (as the demand synthesis does). */
static void read_internal(ThReportData *d) {
  ThReportScenario *b = d->scen->pdata[0];
  const ThNetwork *net = b->results->net;
  d->internal = g_new0(guint8, net->n_zones + 1);
  g_autofree char *v = g_key_file_get_value(b->params, "demand", "internal_zones", NULL);
  if (!v) {
    memset(d->internal, 1, net->n_zones);
    return;
  }
  g_auto(GStrv) items = g_strsplit_set(v, ";,", -1);
  for (int i = 0; items[i]; i++) {
    g_strstrip(items[i]);
    int64_t a, bb;
    char *dash = *items[i] ? strchr(items[i] + 1, '-') : NULL;
    if (dash) {
      *dash = 0;
      if (!th_parse_int64(items[i], &a) || !th_parse_int64(dash + 1, &bb)) continue;
      for (int z = 0; z < net->n_zones; z++)
        if (net->zone_id[z] >= a && net->zone_id[z] <= bb) d->internal[z] = 1;
    } else if (*items[i]) {
      int z = th_network_zone_lookup(net, items[i]);
      if (z >= 0) d->internal[z] = 1;
    }
  }
}

static int zone_of(const ThNetwork *net, const char *id) {
  return th_network_zone_lookup(net, id);
}

/* od_delta.csv: best-mode changes per market. */
static gboolean read_od_delta(ThReportData *d, GError **error) {
  g_autofree char *path = g_build_filename(d->dir, "od_delta.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int cs = th_csv_require(csv, "scenario", error);
  int co = cs >= 0 ? th_csv_require(csv, "origin", error) : -1;
  int cd = co >= 0 ? th_csv_require(csv, "destination", error) : -1;
  int cm = cd >= 0 ? th_csv_require(csv, "mode", error) : -1;
  int cx = cm >= 0 ? th_csv_require(csv, "delta_min", error) : -1;
  if (cx < 0) return FALSE;
  const ThNetwork *net = ((ThReportScenario *)d->scen->pdata[0])->results->net;
  ThReportScenario *cur = NULL;
  GError *re = NULL;
  while (th_csv_next(csv, &re)) {
    if (strcmp(th_csv_field(csv, cm), "best")) continue;
    if (!cur || strcmp(cur->key, th_csv_field(csv, cs))) cur = find_scenario(d, th_csv_field(csv, cs));
    if (!cur) continue;
    double x;
    if (!th_parse_double(th_csv_field(csv, cx), &x) || !isfinite(x)) continue;
    int o = zone_of(net, th_csv_field(csv, co)), t = zone_of(net, th_csv_field(csv, cd));
    if (o < 0 || t < 0) continue;
    int m = d->internal[o] && d->internal[t]   ? TH_MARKET_COUNTY
            : d->internal[o] || d->internal[t] ? TH_MARKET_EXTERNAL
                                               : TH_MARKET_THROUGH;
    if (!cur->delta[m]) cur->delta[m] = g_array_new(FALSE, FALSE, sizeof(double));
    g_array_append_val(cur->delta[m], x);
    if (!cur->zone_delta_min) {
      cur->zone_delta_min = g_new0(double, 2 * (size_t)net->n_zones);
    }
    double wpop = net->zone_population[t] > 0 ? net->zone_population[t] : 1;
    cur->zone_delta_min[2 * o] += wpop * x;
    cur->zone_delta_min[2 * o + 1] += wpop;
  }
  if (re) {
    g_propagate_error(error, re);
    return FALSE;
  }
  for (guint i = 0; i < d->scen->len; i++) {
    ThReportScenario *s = d->scen->pdata[i];
    if (!s->zone_delta_min) continue;
    for (int z = 0; z < net->n_zones; z++)
      s->zone_delta_min[z] = s->zone_delta_min[2 * z + 1] > 0
                                 ? s->zone_delta_min[2 * z] / s->zone_delta_min[2 * z + 1]
                                 : NAN;
  }
  return TRUE;
}

/* accessibility.csv: population within 60 min, base and scenario. */
static gboolean read_accessibility(ThReportData *d, GError **error) {
  g_autofree char *path = g_build_filename(d->dir, "accessibility.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int cs = th_csv_require(csv, "scenario", error);
  int cz = cs >= 0 ? th_csv_require(csv, "zone", error) : -1;
  int cb = cz >= 0 ? th_csv_require(csv, "pop_60_base", error) : -1;
  int cn = cb >= 0 ? th_csv_require(csv, "pop_60_scenario", error) : -1;
  if (cn < 0) return FALSE;
  const ThNetwork *net = ((ThReportScenario *)d->scen->pdata[0])->results->net;
  GError *re = NULL;
  while (th_csv_next(csv, &re)) {
    ThReportScenario *s = find_scenario(d, th_csv_field(csv, cs));
    int z = zone_of(net, th_csv_field(csv, cz));
    double b, n;
    if (!s || z < 0 || !th_parse_double(th_csv_field(csv, cb), &b) ||
        !th_parse_double(th_csv_field(csv, cn), &n))
      continue;
    if (!s->pop60_base) {
      s->pop60_base = g_new(double, net->n_zones);
      s->pop60_scn = g_new(double, net->n_zones);
      for (int k = 0; k < net->n_zones; k++) s->pop60_base[k] = s->pop60_scn[k] = NAN;
    }
    s->pop60_base[z] = b;
    s->pop60_scn[z] = n;
  }
  if (re) {
    g_propagate_error(error, re);
    return FALSE;
  }
  return TRUE;
}

/* appraisal.csv of compare (output/appraisal-csv.h): exactly these columns. */
static gboolean read_appraisal(ThReportData *d, GError **error) {
  g_autofree char *path = g_build_filename(d->dir, "appraisal.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  static const char *cols[] = {"scenario", "item",   "class",   "purpose",
                               "replications", "mean", "ci_low", "ci_high", "significant"};
  int c[9];
  for (int i = 0; i < 9; i++)
    if ((c[i] = th_csv_require(csv, cols[i], error)) < 0) return FALSE;
  d->appraisal = g_array_new(FALSE, TRUE, sizeof(ThReportAppraisalRow));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *re = NULL;
  while (th_csv_next(csv, &re)) {
    ThReportAppraisalRow r = {0};
    gboolean ok = TRUE;
    int64_t reps = 0;
    if (!th_parse_int64(th_csv_field(csv, c[4]), &reps) || reps < 0) {
      th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                      "replications = '%s' is not a whole number >= 0", th_csv_field(csv, c[4]));
      ok = FALSE;
    }
    double *x[3] = {&r.mean, &r.ci_low, &r.ci_high};
    for (int i = 0; i < 3; i++) {
      const char *v = th_csv_field(csv, c[5 + i]);
      *x[i] = NAN;
      if (*v && !th_parse_double(v, x[i])) {
        th_problems_add(problems, th_csv_path(csv), th_csv_line(csv), "%s = '%s' is not a number",
                        cols[5 + i], v);
        ok = FALSE;
      }
    }
    if (!read_significant(csv, c[8], &r.significant, problems)) ok = FALSE;
    if (!find_scenario(d, th_csv_field(csv, c[0]))) {
      th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                      "scenario '%s' is not in summary.csv", th_csv_field(csv, c[0]));
      ok = FALSE;
    }
    if (!ok) continue;
    r.replications = (int)reps;
    r.scenario = g_strdup(th_csv_field(csv, c[0]));
    r.item = g_strdup(th_csv_field(csv, c[1]));
    r.cls = g_strdup(th_csv_field(csv, c[2]));
    r.purpose = g_strdup(th_csv_field(csv, c[3]));
    g_array_append_val(d->appraisal, r);
  }
  return th_csv_read_end(re, problems, TH_ERROR_PARSE, error);
}

/* validation_summary.csv (issue 14): read as a table of text, whatever its columns. */
static void read_validation(ThReportData *d, const char *path) {
  g_autofree char *own = g_build_filename(d->dir, "validation_summary.csv", NULL);
  const char *p = path ? path : own;
  if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) return;
  g_autoptr(ThCsv) csv = th_csv_open(p, NULL);
  if (!csv) return;
  d->validation = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  int n = th_csv_n_columns(csv);
  char **h = g_new0(char *, n + 1);
  for (int c = 0; c < n; c++) h[c] = g_strdup(th_csv_column_name(csv, c));
  g_ptr_array_add(d->validation, h);
  while (th_csv_next(csv, NULL) && d->validation->len < 41) {
    char **r = g_new0(char *, n + 1);
    for (int c = 0; c < n; c++) r[c] = g_strdup(th_csv_field(csv, c));
    g_ptr_array_add(d->validation, r);
  }
  d->validation_path = g_strdup(p);
}

ThReportData *th_report_data_read(const char *dir, const char *validation_path, GError **error) {
  g_autoptr(ThReportData) d = g_new0(ThReportData, 1);
  d->dir = g_strdup(dir);
  d->scen = g_ptr_array_new_with_free_func((GDestroyNotify)th_report_scenario_free);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: no such compare folder", dir);
    return NULL;
  }
  if (validation_path && !g_file_test(validation_path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: no such validation file", validation_path);
    return NULL;
  }
  if (!read_summary(d, error) || !read_effects(d, error) || !read_appraisal(d, error)) return NULL;
  for (guint i = 0; i < d->scen->len; i++) {
    ThReportScenario *s = d->scen->pdata[i];
    g_autofree char *rd = g_build_filename(dir, s->key, NULL);
    GError *e = NULL;
    s->results = th_results_read(rd, &e);
    if (!s->results) {
      g_set_error(error, TH_ERROR, e->code == TH_ERROR_IO ? TH_ERROR_INVALID : e->code,
                  "%s/summary.csv: scenario %s has no readable results folder: %s", dir, s->key,
                  e->message);
      g_error_free(e);
      return NULL;
    }
    s->params = g_key_file_new();
    g_autofree char *pp = g_build_filename(rd, "params.ini", NULL);
    if (g_file_test(pp, G_FILE_TEST_IS_REGULAR) &&
        !g_key_file_load_from_file(s->params, pp, G_KEY_FILE_NONE, &e)) {
      g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:1: not a key file: %s", pp, e->message);
      g_error_free(e);
      return NULL;
    }
    if (!read_class_times(s, error)) return NULL;
    read_services_hubs(s);
  }
  read_internal(d);
  if (!read_od_delta(d, error) || !read_accessibility(d, error)) return NULL;
  read_validation(d, validation_path);
  return g_steal_pointer(&d);
}

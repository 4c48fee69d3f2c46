/* results-read.c: results folders back into memory (see results-read.h). */
#include "output/results-read.h"
#include "network/csv.h"
#include "network/gmns.h"
#include "network/th-error.h"
#include "sim/classes.h"

#include <math.h>
#include <string.h>

static const char *const group_names[TH_N_FLOW_GROUPS] = {
    "car", "truck", "bus", "rail_passenger", "rail_freight", "intercity", "hsr", "other"};

const char *th_flow_group_name(ThFlowGroup g) {
  return (unsigned)g < TH_N_FLOW_GROUPS ? group_names[g] : "?";
}

void th_results_free(ThResults *r) {
  if (!r) return;
  g_free(r->dir);
  g_free(r->version);
  g_free(r->scenario);
  g_free(r->fingerprint);
  th_network_free(r->net);
  g_free(r->flow);
  g_free(r->peak_pcu_ph);
  g_free(r);
}

/* The built-in freight classes (sim/classes.h); any class moving tonnes counts too. */
static gboolean class_is_freight(const char *cls, double tonnes) {
  return tonnes > 0 || th_class_builtin_is_freight(cls);
}

static ThFlowGroup group_of(uint32_t mode, gboolean freight) {
  switch (mode) {
  case TH_MODE_ROAD:
    return freight ? TH_FLOW_TRUCK : TH_FLOW_CAR;
  case TH_MODE_BUS:
    return TH_FLOW_BUS;
  case TH_MODE_RAIL:
    return freight ? TH_FLOW_RAIL_FREIGHT : TH_FLOW_RAIL_PAX;
  case TH_MODE_INTERCITY:
    return TH_FLOW_INTERCITY;
  case TH_MODE_HSR:
    return TH_FLOW_HSR;
  default:
    return TH_FLOW_OTHER;
  }
}

/* When a row has no (known) mode, the link's own modes decide, in the order a
 * planner would assume. */
static uint32_t mode_from_link(uint32_t modes) {
  static const uint32_t order[] = {TH_MODE_ROAD, TH_MODE_HSR, TH_MODE_INTERCITY, TH_MODE_RAIL,
                                   TH_MODE_BUS};
  for (size_t i = 0; i < G_N_ELEMENTS(order); i++)
    if (modes & order[i]) return order[i];
  return TH_MODE_CONNECTOR;
}

static gboolean read_run_ini(ThResults *r, GError **error) {
  g_autofree char *path = g_build_filename(r->dir, "run.ini", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: not a taihang results folder (run.ini is missing)", r->dir);
    return FALSE;
  }
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autoptr(GError) err = NULL;
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:1: %s (a [run] key file)", path, err->message);
    return FALSE;
  }
  if (!g_key_file_has_group(kf, "run")) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:1: no [run] section (expected [run])", path);
    return FALSE;
  }
  r->version = g_key_file_get_string(kf, "run", "taihang_version", NULL);
  r->scenario = g_key_file_get_string(kf, "run", "scenario", NULL);
  r->fingerprint = g_key_file_get_string(kf, "run", "network_fingerprint", NULL);
  if (!r->version) r->version = g_strdup("");
  if (!r->scenario) r->scenario = g_strdup("");
  g_strstrip(r->scenario);
  if (!r->fingerprint || !*g_strstrip(r->fingerprint)) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:1: network_fingerprint is missing (the fingerprint of network/)", path);
    return FALSE;
  }
  g_autofree char *seed = g_key_file_get_string(kf, "run", "seed", NULL);
  if (seed && *g_strstrip(seed) && !th_parse_int64(seed, &r->seed)) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:1: seed '%s' is not an integer", path, seed);
    return FALSE;
  }
  r->iterations = g_key_file_get_integer(kf, "run", "iterations", NULL);
  r->relative_gap = g_key_file_get_double(kf, "run", "relative_gap", NULL);
  r->sample_factor = g_key_file_get_double(kf, "run", "sample_factor", NULL);
  r->horizon_s = g_key_file_get_double(kf, "run", "horizon_s", NULL);
  r->bin_s = g_key_file_get_double(kf, "run", "bin_s", NULL);
  return TRUE;
}

static gboolean read_link_flows(ThResults *r, GError **error) {
  g_autofree char *path = g_build_filename(r->dir, "link_flows.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: link_flows.csv is missing (a results folder written by taihang run)", r->dir);
    return FALSE;
  }
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int c_id = th_csv_require(csv, "link_id", error);
  if (c_id < 0) return FALSE;
  int c_from = th_csv_column(csv, "from_node_id"), c_to = th_csv_column(csv, "to_node_id");
  int c_class = th_csv_column(csv, "class"), c_mode = th_csv_column(csv, "mode");
  /* ThResults holds the simulated sample (maps and v/c expand it): the
   * *_sample columns of a folder that has them (counts beside them are
   * expanded, issue 12), the plain columns of an older one */
  gboolean sampled = th_csv_column(csv, "vehicles_sample") >= 0;
  int c_veh = th_csv_column(csv, sampled ? "vehicles_sample" : "vehicles");
  int c_pcu = th_csv_column(csv, sampled ? "pcu_sample" : "pcu");
  int c_pax = th_csv_column(csv, sampled ? "passengers_sample" : "passengers");
  int c_t = th_csv_column(csv, sampled ? "tonnes_sample" : "tonnes");
  const ThNetwork *net = r->net;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  gboolean foreign = FALSE;
  GError *err = NULL;
  while (th_csv_next(csv, &err)) {
    int line = th_csv_line(csv);
    /* ids as written: numbers, or the text ids of a GMNS folder (network.h) */
    const char *id = th_csv_field(csv, c_id);
    int e = th_network_link_find(net, id);
    if (e < 0) {
      th_problems_add(problems, path, line,
                      "link %s is not in network/ (a results folder of another network?)", id);
      foreign = TRUE;
      continue;
    }
    char fb[24], tb[24];
    const char *nf = th_network_node_label(net, net->link_from[e], fb);
    const char *nt = th_network_node_label(net, net->link_to[e], tb);
    if (c_from >= 0 && c_to >= 0 &&
        (strcmp(th_csv_field(csv, c_from), nf) || strcmp(th_csv_field(csv, c_to), nt))) {
      th_problems_add(
          problems, path, line,
          "link %s runs %s->%s here but %s->%s in network/ (a results folder of another "
          "network?)",
          id, th_csv_field(csv, c_from), th_csv_field(csv, c_to), nf, nt);
      foreign = TRUE;
      continue;
    }
    double v[4] = {0, 0, 0, 0};
    int cols[4] = {c_veh, c_pcu, c_pax, c_t};
    gboolean ok = TRUE;
    for (int k = 0; k < 4; k++) {
      GError *fe = NULL;
      if (!th_csv_double_or(csv, cols[k], 0.0, &v[k], &fe)) {
        g_ptr_array_add(problems, g_strdup(fe->message));
        g_error_free(fe);
        ok = FALSE;
      } else if (v[k] < 0) {
        th_problems_add(problems, path, line, "%s %g is negative (a flow >= 0)",
                        th_csv_column_name(csv, cols[k]), v[k]);
        ok = FALSE;
      }
    }
    if (!ok) continue;
    uint32_t mode = th_mode_from_name(th_csv_field(csv, c_mode));
    if (!mode || !(mode & TH_MODE_ALL)) mode = mode_from_link(net->link_modes[e]);
    ThFlowGroup g = group_of(mode, class_is_freight(th_csv_field(csv, c_class), v[3]));
    ThFlow *fl = &r->flow[(size_t)e * TH_N_FLOW_GROUPS + g];
    fl->vehicles += v[0];
    fl->pcu += v[1];
    fl->passengers += v[2];
    fl->tonnes += v[3];
  }
  return th_csv_read_end(err, problems, foreign ? TH_ERROR_INVALID : TH_ERROR_PARSE, error);
}

/* Optional: the busiest hour of each link, for v/c. Unknown links were
 * already reported by link_flows.csv; here they are skipped. */
static gboolean read_bins(ThResults *r, GError **error) {
  int m = r->net->n_links;
  r->peak_pcu_ph = g_new(double, m);
  for (int e = 0; e < m; e++)
    r->peak_pcu_ph[e] = NAN;
  g_autofree char *path = g_build_filename(r->dir, "link_flows_bins.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int c_id = th_csv_require(csv, "link_id", error);
  if (c_id < 0) return FALSE;
  int c_bin = th_csv_require(csv, "bin_start_s", error);
  if (c_bin < 0) return FALSE;
  /* the simulated sample, as link_flows.csv above */
  int c_veh = th_csv_column(csv, "vehicles_sample");
  if (c_veh < 0) c_veh = th_csv_require(csv, "vehicles", error);
  if (c_veh < 0) return FALSE;
  /* (link, bin start) -> vehicles of all classes */
  g_autoptr(GHashTable) load = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(double));
  GError *err = NULL;
  while (th_csv_next(csv, &err)) {
    double b, v;
    if (!th_csv_double(csv, c_bin, &b, error) || !th_csv_double_or(csv, c_veh, 0, &v, error))
      return FALSE;
    int e = th_network_link_find(r->net, th_csv_field(csv, c_id));
    if (e < 0) continue;
    g_array_append_val(starts, b);
    int64_t key = (int64_t)e * 1000003 + (int64_t)llround(b);
    double *acc = g_hash_table_lookup(load, &key);
    if (!acc) {
      int64_t *k = g_new(int64_t, 1);
      *k = key;
      acc = g_new0(double, 1);
      g_hash_table_insert(load, k, acc);
    }
    *acc += v;
  }
  if (err) {
    g_propagate_error(error, err);
    return FALSE;
  }
  /* the bin width: bin_s of run.ini, else the smallest gap between distinct
   * bin starts (3600 s when there is only one bin) */
  double width = 0;
  for (guint i = 0; i < starts->len; i++)
    for (guint j = i + 1; j < starts->len && j < i + 64; j++) {
      double d = fabs(g_array_index(starts, double, j) - g_array_index(starts, double, i));
      if (d > 0.5 && (width == 0 || d < width)) width = d;
    }
  if (r->bin_s > 0) width = r->bin_s; /* the engine says it: no guessing */
  if (width <= 0) width = 3600;
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init(&it, load);
  while (g_hash_table_iter_next(&it, &k, &val)) {
    int e = (int)(*(int64_t *)k / 1000003);
    double vph = *(double *)val * 3600.0 / width;
    if (isnan(r->peak_pcu_ph[e]) || vph > r->peak_pcu_ph[e]) r->peak_pcu_ph[e] = vph;
  }
  for (int e = 0; e < m; e++) {
    if (isnan(r->peak_pcu_ph[e])) continue;
    double veh = 0, pcu = 0;
    const ThFlowGroup road[] = {TH_FLOW_CAR, TH_FLOW_TRUCK, TH_FLOW_BUS};
    for (size_t i = 0; i < G_N_ELEMENTS(road); i++) {
      veh += th_results_flow(r, e, road[i])->vehicles;
      pcu += th_results_flow(r, e, road[i])->pcu;
    }
    if (veh > 0 && pcu > 0) r->peak_pcu_ph[e] *= pcu / veh;
  }
  return TRUE;
}

ThResults *th_results_read(const char *dir, GError **error) {
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: no such results folder (a folder written by taihang run --out)", dir);
    return NULL;
  }
  g_autoptr(ThResults) r = g_new0(ThResults, 1);
  r->dir = g_strdup(dir);
  if (!read_run_ini(r, error)) return NULL;
  g_autofree char *netdir = g_build_filename(dir, "network", NULL);
  if (!g_file_test(netdir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: network/ is missing (the network the run used, in GMNS form)", dir);
    return NULL;
  }
  GError *err = NULL;
  r->net = th_gmns_read(netdir, &err);
  if (!r->net) {
    /* the network of a results folder is input to us: its faults are bad input */
    if (err->domain == TH_ERROR && err->code == TH_ERROR_IO) err->code = TH_ERROR_INVALID;
    g_propagate_error(error, err);
    return NULL;
  }
  g_autofree char *fp = th_network_fingerprint(r->net);
  if (strcmp(fp, r->fingerprint) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s/run.ini:1: network_fingerprint %s does not match network/ (whose "
                "fingerprint is %s): the results come from another network",
                dir, r->fingerprint, fp);
    return NULL;
  }
  r->flow = g_new0(ThFlow, (size_t)r->net->n_links * TH_N_FLOW_GROUPS);
  if (!read_link_flows(r, error)) return NULL;
  if (!read_bins(r, error)) return NULL;
  return g_steal_pointer(&r);
}

double th_results_vc(const ThResults *r, int e) {
  double cap = r->net->capacity_vph[e];
  if (!(r->net->link_modes[e] & (TH_MODE_ROAD | TH_MODE_BUS)) || !(cap > 0) || !isfinite(cap))
    return NAN;
  double peak = r->peak_pcu_ph ? r->peak_pcu_ph[e] : NAN;
  if (isnan(peak)) {
    double pcu = 0;
    const ThFlowGroup road[] = {TH_FLOW_CAR, TH_FLOW_TRUCK, TH_FLOW_BUS};
    for (size_t i = 0; i < G_N_ELEMENTS(road); i++)
      pcu += th_results_flow(r, e, road[i])->pcu;
    peak = 0.1 * pcu;
  }
  /* flows are of the sample, capacity_vph of the whole demand */
  return peak * th_results_expansion(r) / cap;
}

gboolean th_results_comparable(const ThResults *b, const ThResults *s, GError **error) {
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  int shared = 0;
  for (int e = 0; e < s->net->n_links; e++) {
    int be = th_network_link_match(b->net, s->net, e);
    if (be < 0) continue;
    shared++;
    /* ids as written (text ids of a GMNS folder stay text) */
    char lb[24], sfb[24], stb[24], bfb[24], btb[24];
    const char *sf = th_network_node_label(s->net, s->net->link_from[e], sfb);
    const char *st = th_network_node_label(s->net, s->net->link_to[e], stb);
    const char *bf = th_network_node_label(b->net, b->net->link_from[be], bfb);
    const char *bt = th_network_node_label(b->net, b->net->link_to[be], btb);
    if ((strcmp(sf, bf) || strcmp(st, bt)) && problems->len < 10)
      g_ptr_array_add(
          problems, g_strdup_printf("%s/network/link.csv:%d: link %s runs %s->%s but %s->%s "
                                    "in %s (results of another network?)",
                                    s->dir, s->net->link_line[e],
                                    th_network_link_label(s->net, e, lb), sf, st, bf, bt, b->dir));
  }
  if (!shared)
    g_ptr_array_add(problems,
                    g_strdup_printf("%s and %s share no link: they are results of "
                                    "different networks (expected a scenario and its base)",
                                    s->dir, b->dir));
  if (!problems->len) return TRUE;
  th_problems_to_error(problems, TH_ERROR_INVALID, error);
  return FALSE;
}

/* ---- od_times.csv ---- */

static void od_matrix_free(gpointer p) {
  ThOdMatrix *m = p;
  g_free(m->mode);
  g_free(m->period);
  g_free(m->time_min);
  g_free(m->distance_km);
  g_free(m->cost);
  g_free(m->wait_min);
  g_free(m->transfers);
  g_free(m);
}

/* skims.csv of R into T (skim_MODE tables); TRUE when the file is absent. */
static gboolean read_skims(const ThResults *r, ThOdTimeMatrices *t, GError **error) {
  g_autofree char *path = g_build_filename(r->dir, "skims.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  const char *names[] = {"origin", "destination", "mode", "period", "time_min", "distance_km",
                         "cost", "wait_min", "transfers"};
  int col[G_N_ELEMENTS(names)];
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    if ((col[i] = th_csv_require(csv, names[i], error)) < 0) return FALSE;
  const ThNetwork *net = r->net;
  int n = net->n_zones;
  g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  gboolean unknown = FALSE;
  GError *err = NULL;
  while (th_csv_next(csv, &err)) {
    int line = th_csv_line(csv);
    int64_t o, d;
    int zo = -1, zd = -1;
    if (th_parse_int64(th_csv_field(csv, col[0]), &o)) zo = th_network_zone_index(net, o);
    if (th_parse_int64(th_csv_field(csv, col[1]), &d)) zd = th_network_zone_index(net, d);
    if (zo < 0 || zd < 0) {
      th_problems_add(problems, path, line, "zone '%s' is not a zone of network/ (a zone id)",
                      th_csv_field(csv, zo < 0 ? col[0] : col[1]));
      unknown = TRUE;
      continue;
    }
    const char *mode = th_csv_field(csv, col[2]), *period = th_csv_field(csv, col[3]);
    if (!*mode || !*period) {
      th_problems_add(problems, path, line, "empty %s (a mode and a period name)",
                      *mode ? "period" : "mode");
      continue;
    }
    double v[TH_OD_N_QUANTITIES];
    GError *fe = NULL;
    gboolean ok = TRUE;
    for (int k = 0; k < TH_OD_N_QUANTITIES && ok; k++)
      ok = th_csv_double_or(csv, col[4 + k], NAN, &v[k], &fe);
    if (!ok) {
      g_ptr_array_add(problems, g_strdup(fe->message));
      g_error_free(fe);
      continue;
    }
    g_autofree char *key = g_strdup_printf("%s\x1f%s", mode, period);
    gpointer idx;
    ThOdMatrix *m;
    if (g_hash_table_lookup_extended(index, key, NULL, &idx)) {
      m = t->mats->pdata[GPOINTER_TO_UINT(idx)];
    } else {
      m = g_new0(ThOdMatrix, 1);
      m->mode = g_strdup_printf("skim_%s", mode);
      m->period = g_strdup(period);
      double **dst[TH_OD_N_QUANTITIES] = {&m->time_min, &m->distance_km, &m->cost, &m->wait_min,
                                          &m->transfers};
      for (int k = 0; k < TH_OD_N_QUANTITIES; k++) {
        *dst[k] = g_new(double, (size_t)n * n > 0 ? (size_t)n * n : 1);
        for (size_t c = 0; c < (size_t)n * n; c++) (*dst[k])[c] = NAN;
      }
      g_hash_table_insert(index, g_strdup(key), GUINT_TO_POINTER(t->mats->len));
      g_ptr_array_add(t->mats, m);
    }
    double *dst[TH_OD_N_QUANTITIES] = TH_OD_MATRIX_QUANTITIES(m);
    size_t c = (size_t)zo * n + zd;
    for (int k = 0; k < TH_OD_N_QUANTITIES; k++)
      dst[k][c] = isfinite(v[k]) ? round(v[k] * 1e6) / 1e6 : NAN;
  }
  return th_csv_read_end(err, problems, unknown ? TH_ERROR_INVALID : TH_ERROR_PARSE, error);
}

void th_od_time_matrices_free(ThOdTimeMatrices *t) {
  if (!t) return;
  g_free(t->zone_id);
  if (t->mats) g_ptr_array_unref(t->mats);
  g_free(t);
}

/* "day" is the table most people open first; the others by name. */
static int od_cmp(gconstpointer a, gconstpointer b) {
  const ThOdMatrix *x = *(ThOdMatrix *const *)a, *y = *(ThOdMatrix *const *)b;
  int c = strcmp(x->mode, y->mode);
  if (c) return c;
  gboolean dx = strcmp(x->period, "day") == 0, dy = strcmp(y->period, "day") == 0;
  if (dx != dy) return dx ? -1 : 1;
  return strcmp(x->period, y->period);
}

ThOdTimeMatrices *th_od_time_matrices_read(const ThResults *r, GError **error) {
  g_autofree char *path = g_build_filename(r->dir, "od_times.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: od_times.csv is missing (the travel-time table of a results folder)", r->dir);
    return NULL;
  }
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  const char *req[] = {"origin", "destination", "mode", "time_min"};
  for (size_t i = 0; i < G_N_ELEMENTS(req); i++)
    if (th_csv_require(csv, req[i], error) < 0) return NULL;
  int c_o = th_csv_column(csv, "origin"), c_d = th_csv_column(csv, "destination");
  int c_m = th_csv_column(csv, "mode"), c_p = th_csv_column(csv, "period");
  int c_trips = th_csv_column(csv, "trips"), c_time = th_csv_column(csv, "time_min");
  int c_dist = th_csv_column(csv, "distance_km"), c_cost = th_csv_column(csv, "cost");
  const ThNetwork *net = r->net;
  int n = net->n_zones;
  g_autoptr(ThOdTimeMatrices) t = g_new0(ThOdTimeMatrices, 1);
  t->n_zones = n;
  t->zone_id = g_new(int64_t, n > 0 ? n : 1);
  for (int z = 0; z < n; z++)
    t->zone_id[z] = net->zone_id[z];
  t->mats = g_ptr_array_new_with_free_func(od_matrix_free);
  /* per table: sums of weight*value and weights, averaged at the end */
  g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) wsum = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) csum = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  gboolean unknown = FALSE;
  GError *err = NULL;
  while (th_csv_next(csv, &err)) {
    int line = th_csv_line(csv);
    int zo = th_network_zone_find(net, th_csv_field(csv, c_o));
    int zd = th_network_zone_find(net, th_csv_field(csv, c_d));
    if (zo < 0 || zd < 0) {
      th_problems_add(problems, path, line, "zone '%s' is not a zone of network/ (a zone id)",
                      th_csv_field(csv, zo < 0 ? c_o : c_d));
      unknown = TRUE;
      continue;
    }
    double trips = 0, v[3] = {NAN, NAN, NAN};
    int cols[3] = {c_time, c_dist, c_cost};
    GError *fe = NULL;
    gboolean ok = th_csv_double_or(csv, c_trips, 0, &trips, &fe);
    for (int k = 0; k < 3 && ok; k++)
      ok = th_csv_double_or(csv, cols[k], NAN, &v[k], &fe);
    if (!ok) {
      g_ptr_array_add(problems, g_strdup(fe->message));
      g_error_free(fe);
      continue;
    }
    const char *mode = th_csv_field(csv, c_m);
    const char *period = c_p >= 0 && *th_csv_field(csv, c_p) ? th_csv_field(csv, c_p) : "day";
    g_autofree char *key = g_strdup_printf("%s\x1f%s", mode, period);
    gpointer idx;
    ThOdMatrix *m;
    double *w, *cnt;
    if (g_hash_table_lookup_extended(index, key, NULL, &idx)) {
      m = t->mats->pdata[GPOINTER_TO_UINT(idx)];
      w = wsum->pdata[GPOINTER_TO_UINT(idx)];
      cnt = csum->pdata[GPOINTER_TO_UINT(idx)];
    } else {
      m = g_new0(ThOdMatrix, 1);
      m->mode = g_strdup_printf("observed_%s", mode);
      m->period = g_strdup(period);
      m->time_min = g_new0(double, (size_t)n *n);
      m->distance_km = g_new0(double, (size_t)n *n);
      m->cost = g_new0(double, (size_t)n *n);
      w = g_new0(double, (size_t)n *n);
      cnt = g_new0(double, (size_t)n *n);
      g_hash_table_insert(index, g_strdup(key), GUINT_TO_POINTER(t->mats->len));
      g_ptr_array_add(t->mats, m);
      g_ptr_array_add(wsum, w);
      g_ptr_array_add(csum, cnt);
    }
    size_t c = (size_t)zo * n + zd;
    /* trip-weighted sums plus plain sums, so a cell whose rows all have zero
     * trips still gets their plain mean */
    double *dst[3] = {m->time_min, m->distance_km, m->cost};
    for (int k = 0; k < 3; k++)
      dst[k][c] += trips * (isnan(v[k]) ? 0 : v[k]);
    w[c] += trips;
    cnt[c] += 1;
  }
  if (!th_csv_read_end(err, problems, unknown ? TH_ERROR_INVALID : TH_ERROR_PARSE, error))
    return NULL;
  /* The trip-weighted pass above lost the plain means; a second pass over
   * the file fills cells whose weights are all zero. Files are small next to
   * the matrices, so reading twice is cheaper than keeping every row. */
  g_autoptr(ThCsv) again = th_csv_open(path, error);
  if (!again) return NULL;
  g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < t->mats->len; i++)
    g_ptr_array_add(plain, g_new0(double, (size_t)n *n * 3));
  while (th_csv_next(again, NULL)) {
    int zo = th_network_zone_find(net, th_csv_field(again, c_o));
    int zd = th_network_zone_find(net, th_csv_field(again, c_d));
    const char *period = c_p >= 0 && *th_csv_field(again, c_p) ? th_csv_field(again, c_p) : "day";
    g_autofree char *key = g_strdup_printf("%s\x1f%s", th_csv_field(again, c_m), period);
    gpointer idx;
    if (!g_hash_table_lookup_extended(index, key, NULL, &idx)) continue;
    double *pl = plain->pdata[GPOINTER_TO_UINT(idx)];
    size_t c = (size_t)zo * n + zd;
    int cols[3] = {c_time, c_dist, c_cost};
    for (int k = 0; k < 3; k++) {
      double v = NAN;
      th_csv_double_or(again, cols[k], NAN, &v, NULL);
      pl[(size_t)k * n * n + c] += isnan(v) ? 0 : v;
    }
  }
  for (guint i = 0; i < t->mats->len; i++) {
    ThOdMatrix *m = t->mats->pdata[i];
    double *w = wsum->pdata[i], *cnt = csum->pdata[i], *pl = plain->pdata[i];
    double *dst[3] = {m->time_min, m->distance_km, m->cost};
    for (size_t c = 0; c < (size_t)n * n; c++)
      for (int k = 0; k < 3; k++) {
        if (cnt[c] == 0)
          dst[k][c] = NAN;
        else if (w[c] > 0)
          dst[k][c] /= w[c];
        else
          dst[k][c] = pl[(size_t)k * n * n + c] / cnt[c];
        /* six decimals (od_times.csv has three): a mean of 15.552 and
         * 15.552 is 15.552, not 15.552000000000001, in every spreadsheet */
        if (isfinite(dst[k][c])) dst[k][c] = round(dst[k][c] * 1e6) / 1e6;
      }
  }
  /* the observed tables are indexed 0..len-1 above; the skims follow */
  if (!read_skims(r, t, error)) return NULL;
  g_ptr_array_sort(t->mats, od_cmp);
  return g_steal_pointer(&t);
}

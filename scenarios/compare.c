/* compare.c: base and scenarios run in parallel, indicators, tables and the
 * report (see compare.h). */
#include "scenarios/compare.h"
#include "output/results-dir.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "output/atomic.h"
#include "output/compare-write.h"
#include "output/airports-write.h"
#include "sim/airport-access.h"
#include "scenarios/cli.h"
#include "scenarios/run-scenario.h"
#include "sim/mode-skim.h"
#include "sim/multimodal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  char *path, *key;
  ThScenario *sc;
  char *fingerprint;
  int run;                  /* index of the scenario whose run this one uses */
  /* filled by the worker for scenarios with run == own index */
  ThScenarioResult *res;
  ThModeSkim *skim;
  GError *error;
} Entry;

typedef struct {
  Entry *entries;
  int threads_per_run;
  GMutex lock;
  int done, total;
  gboolean quiet;
} Job;

/* Vehicle-weighted mean link time over the bins that start in [FROM, TO);
 * NAN where no vehicle entered the link then. */
static double *peak_link_times(const ThRunResults *r, int n_links, int32_t from, int32_t to) {
  double *sum = g_new0(double, n_links);
  g_autofree double *veh = g_new0(double, n_links);
  for (guint i = 0; r->link_bins && i < r->link_bins->len; i++) {
    const ThLinkFlowBin *b = &g_array_index(r->link_bins, ThLinkFlowBin, i);
    if (b->bin_start_s < from || b->bin_start_s >= to || b->vehicles <= 0) continue;
    sum[b->link] += b->vehicles * b->mean_travel_time_s;
    veh[b->link] += b->vehicles;
  }
  for (int e = 0; e < n_links; e++) sum[e] = veh[e] > 0 ? sum[e] / veh[e] : NAN;
  return sum;
}

static void worker(gpointer data, gpointer user) {
  Entry *en = data;
  Job *job = user;
  ThScenarioRunOptions o = {NULL, TRUE, FALSE, job->threads_per_run, NULL};
  en->res = th_scenario_run(en->sc, &o, &en->error);
  if (en->res) {
    const ThNetwork *net = en->res->world->net;
    g_autofree double *t = peak_link_times(en->res->run, net->n_links, 7 * 3600, 9 * 3600);
    ThModeSkimParams sp;
    th_mode_skim_params_init(&sp);
    en->skim = th_mode_skim_new(net, en->res->world->services, en->res->world->hubs, t, &sp);
  }
  g_mutex_lock(&job->lock);
  job->done++;
  if (!job->quiet)
    fprintf(stderr, "taihang compare: %d of %d runs done (%s%s)\n", job->done, job->total, en->key,
            en->res ? "" : ": failed");
  g_mutex_unlock(&job->lock);
}

void th_scenario_indicators(const ThScenario *sc, const char *key, const ThScenarioResult *res,
                            ThCompareRow *row) {
  memset(row->v, 0, sizeof row->v);
  row->key = key;
  row->name = sc->name;
  row->description = sc->description;
  const ThRunResults *r = res->run;
  const ThTrips *t = res->trips;
  const ThClassTable *ct = res->world->classes;
  double scale = res->params.sample_factor > 0 ? 1.0 / res->params.sample_factor : 1.0;
  double *v = row->v;
  double by_mode[TH_N_MODES] = {0}, n_moded = 0, gc_p = 0, n_p_arr = 0, gc_f = 0, t_f = 0;
  for (int i = 0; i < t->n; i++) {
    const ThClass *c = &ct->cls[t->cls[i]];
    v[TH_CMP_TRIPS]++;
    switch (r->status[i]) {
    case TH_TRIP_ARRIVED: v[TH_CMP_ARRIVED]++; break;
    case TH_TRIP_STUCK: v[TH_CMP_STUCK]++; break;
    case TH_TRIP_UNSERVED: v[TH_CMP_UNSERVED]++; break;
    default: v[TH_CMP_EN_ROUTE]++; break;
    }
    gboolean arrived = r->arrive_s[i] >= 0;
    double hours = arrived ? (r->arrive_s[i] - r->depart_s[i]) / 3600.0 : 0;
    double km = r->distance_m ? r->distance_m[i] / 1000.0 : 0;
    uint32_t mode = r->mode ? r->mode[i] : TH_MODE_ROAD;
    gboolean road = mode == TH_MODE_ROAD || mode == 0;
    if (c->kind == TH_CLASS_PASSENGER) {
      v[TH_CMP_PASSENGER_TRIPS]++;
      v[TH_CMP_PASSENGER_HOURS] += hours;
      v[TH_CMP_PASSENGER_KM] += km;
      if (mode) {
        for (int k = 0; k < TH_N_MODES; k++)
          if (mode == (1u << k)) by_mode[k]++;
        n_moded++;
      }
      if (road) {
        v[TH_CMP_CAR_VEH_HOURS] += t->vehicles[i] * hours;
        v[TH_CMP_CAR_VEH_KM] += t->vehicles[i] * km;
      }
      if (arrived && r->gen_cost) {
        gc_p += r->gen_cost[i];
        n_p_arr++;
      }
    } else {
      v[TH_CMP_SHIPMENTS]++;
      if (road) {
        v[TH_CMP_TRUCK_VEH_HOURS] += t->vehicles[i] * hours;
        v[TH_CMP_TRUCK_VEH_KM] += t->vehicles[i] * km;
        v[TH_CMP_ROAD_TONNE_KM] += t->tonnes[i] * km;
      } else {
        v[TH_CMP_RAIL_TONNE_KM] += t->tonnes[i] * km;
        /* a rail shipment is handled twice: onto and off the train */
        v[TH_CMP_HUB_TONNES] += 2 * t->tonnes[i];
      }
      if (arrived && r->gen_cost) {
        gc_f += r->gen_cost[i];
        t_f += t->tonnes[i];
      }
    }
  }
  /* daily totals of the full demand: the run was a sample */
  for (int i = TH_CMP_TRIPS; i <= TH_CMP_PASSENGER_KM; i++)
    if (i < TH_CMP_BUS_VEH_HOURS || i > TH_CMP_INTERCITY_TRAIN_KM) v[i] *= scale;
  v[TH_CMP_ROAD_TONNE_KM] *= scale;
  v[TH_CMP_RAIL_TONNE_KM] *= scale;
  v[TH_CMP_HUB_TONNES] *= scale;
  if (res->multimodal) {
    /* the hubs' own count: tonnes through their handling servers */
    const ThMultimodalResults *mm = res->multimodal;
    double t = 0;
    for (int h = 0; h < mm->n_hubs; h++) t += mm->hubs[h].tonnes_handled;
    v[TH_CMP_HUB_TONNES] = t * scale;
  }
  double tk = v[TH_CMP_ROAD_TONNE_KM] + v[TH_CMP_RAIL_TONNE_KM];
  v[TH_CMP_RAIL_TONNE_SHARE] = tk > 0 ? v[TH_CMP_RAIL_TONNE_KM] / tk : 0;
  const int share_bit[5] = {0, 4, 1, 2, 3}; /* road, bus, rail, hsr, intercity bit positions */
  for (int k = 0; k < 5; k++)
    v[TH_CMP_SHARE_ROAD + k] = n_moded > 0 ? by_mode[share_bit[k]] / n_moded : 0;
  v[TH_CMP_GEN_COST_PASSENGER] = n_p_arr > 0 ? gc_p / n_p_arr : NAN;
  v[TH_CMP_GEN_COST_FREIGHT_PER_T] = t_f > 0 ? gc_f / t_f : NAN;
  /* scheduled services run in full whatever the sample */
  const ThServices *s = res->world->services;
  double freight_train_km = 0, pass_rail_km = 0;
  for (int l = 0; s && l < s->n_lines; l++) {
    const ThServiceLine *ln = &s->lines[l];
    double km = 0;
    for (int k = 0; k + 1 < ln->n_stops; k++) km += ln->seg_len_m[k] / 1000.0;
    double h = ln->n_stops > 0 ? ln->arr_off_s[ln->n_stops - 1] / 3600.0 : 0;
    int hi = -1, ki = -1;
    switch (ln->mode) {
    case TH_MODE_BUS: hi = TH_CMP_BUS_VEH_HOURS; ki = TH_CMP_BUS_VEH_KM; break;
    case TH_MODE_RAIL: hi = TH_CMP_RAIL_TRAIN_HOURS; ki = TH_CMP_RAIL_TRAIN_KM; break;
    case TH_MODE_HSR: hi = TH_CMP_HSR_TRAIN_HOURS; ki = TH_CMP_HSR_TRAIN_KM; break;
    case TH_MODE_INTERCITY: hi = TH_CMP_INTERCITY_TRAIN_HOURS; ki = TH_CMP_INTERCITY_TRAIN_KM; break;
    default: break;
    }
    if (hi < 0) continue;
    v[hi] += ln->n_runs * h;
    v[ki] += ln->n_runs * km;
    if (ln->mode == TH_MODE_RAIL) {
      if (ln->kind == TH_SERVICE_FREIGHT) freight_train_km += ln->n_runs * km;
      else pass_rail_km += ln->n_runs * km;
    }
  }
  v[TH_CMP_CO2_T] = (v[TH_CMP_CAR_VEH_KM] * TH_CO2_CAR_KG_PER_KM +
                     v[TH_CMP_TRUCK_VEH_KM] * TH_CO2_TRUCK_KG_PER_KM +
                     v[TH_CMP_BUS_VEH_KM] * TH_CO2_BUS_KG_PER_KM +
                     pass_rail_km * TH_CO2_RAIL_PASSENGER_KG_PER_TRAIN_KM +
                     freight_train_km * TH_CO2_RAIL_FREIGHT_KG_PER_TRAIN_KM +
                     v[TH_CMP_HSR_TRAIN_KM] * TH_CO2_HSR_KG_PER_TRAIN_KM +
                     v[TH_CMP_INTERCITY_TRAIN_KM] * TH_CO2_INTERCITY_KG_PER_TRAIN_KM) /
                    1000.0;
}

typedef struct {
  double delta, base, scen;
  int o, d;
} Gain;

static gint cmp_gain(gconstpointer a, gconstpointer b) {
  const Gain *x = a, *y = b;
  if (x->delta != y->delta) return x->delta < y->delta ? -1 : 1;
  if (x->o != y->o) return x->o - y->o;
  return x->d - y->d;
}

static void report_scenario(GString *rep, const ThNetwork *net, const ThCompareRow *base,
                            const ThCompareRow *row, const ThModeSkim *bs, const ThModeSkim *ss) {
  /* no description: the name alone, not "name: " and an empty rest */
  if (row->description && *row->description)
    g_string_append_printf(rep, "\n%s: %s\n", row->key, row->description);
  else
    g_string_append_printf(rep, "\n%s\n", row->key);
  g_autoptr(GArray) gains = g_array_new(FALSE, FALSE, sizeof(Gain));
  const int nz = net->n_zones;
  for (int o = 0; o < nz; o++)
    for (int d = 0; d < nz; d++) {
      double b = th_mode_skim_at(bs, TH_SKIM_BEST, o, d), s = th_mode_skim_at(ss, TH_SKIM_BEST, o, d);
      if (o == d || isnan(b) || isnan(s) || s - b > -0.05) continue;
      Gain g = {s - b, b, s, o, d};
      g_array_append_val(gains, g);
    }
  g_array_sort(gains, cmp_gain);
  if (gains->len == 0)
    g_string_append(rep, "  no door-to-door time (best mode, morning peak) improves\n");
  else
    g_string_append(rep, "  biggest travel-time gains (best mode, morning peak):\n");
  for (guint i = 0; i < gains->len && i < 5; i++) {
    const Gain *g = &g_array_index(gains, Gain, i);
    g_string_append_printf(rep, "    %s -> %s: %.1f -> %.1f min (%+.1f)\n",
                           net->node_name[net->zone_node[g->o]],
                           net->node_name[net->zone_node[g->d]], g->base, g->scen, g->delta);
  }
  static const char *share_names[5] = {"road", "bus", "rail", "hsr", "intercity"};
  g_string_append(rep, "  passenger mode shares:");
  for (int k = 0; k < 5; k++) {
    double b = base->v[TH_CMP_SHARE_ROAD + k], s = row->v[TH_CMP_SHARE_ROAD + k];
    if (b == 0 && s == 0) continue;
    g_string_append_printf(rep, " %s %.1f%% -> %.1f%% (%+.1f pts);", share_names[k], 100 * b,
                           100 * s, 100 * (s - b));
  }
  g_string_append_printf(rep, "\n  rail share of freight tonne-km %.1f%% -> %.1f%%; CO2 %.0f -> %.0f t/day\n",
                         100 * base->v[TH_CMP_RAIL_TONNE_SHARE], 100 * row->v[TH_CMP_RAIL_TONNE_SHARE],
                         base->v[TH_CMP_CO2_T], row->v[TH_CMP_CO2_T]);
}

static void entries_free(Entry *en, int n) {
  for (int i = 0; i < n; i++) {
    g_free(en[i].path);
    g_free(en[i].key);
    th_scenario_free(en[i].sc);
    g_free(en[i].fingerprint);
    th_scenario_result_free(en[i].res);
    th_mode_skim_free(en[i].skim);
    if (en[i].error) g_error_free(en[i].error);
  }
  g_free(en);
}

static gboolean same_zones(const ThNetwork *a, const ThNetwork *b) {
  if (a->n_zones != b->n_zones) return FALSE;
  for (int z = 0; z < a->n_zones; z++)
    if (a->zone_id[z] != b->zone_id[z]) return FALSE;
  return TRUE;
}

/* airports.csv (compare --airports): LIST resolved on the base network (node
 * ids or names; FALSE with an error naming the unknown one), then each run's
 * door-to-door times (sim/airport-access.h) on its morning-peak road times. */
static gboolean write_airports(const char *path, const Entry *en, int total, const char *list,
                               GError **error) {
  const ThNetwork *bnet = en[0].res->world->net;
  g_autoptr(GArray) air = g_array_new(FALSE, FALSE, sizeof(int));
  g_auto(GStrv) names = g_strsplit_set(list, ";,", -1);
  for (int k = 0; names[k]; k++) {
    g_strstrip(names[k]);
    if (!*names[k]) continue;
    char *end = NULL;
    gint64 id = g_ascii_strtoll(names[k], &end, 10);
    int v = end && !*end ? th_network_node_index(bnet, id) : -1;
    for (int i = 0; v < 0 && i < bnet->n_nodes; i++)
      if (!strcmp(bnet->node_name[i], names[k])) v = i;
    if (v < 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "--airports: '%s' is not a node of %s (a node id or name was expected)",
                  names[k], en[0].path);
      return FALSE;
    }
    g_array_append_val(air, v);
  }
  const int na = (int)air->len;
  double **mins = g_new0(double *, total);
  gboolean ok = TRUE;
  for (int i = 0; i < total && ok; i++) {
    const Entry *r = &en[en[i].run];
    const ThNetwork *net = r->res->world->net;
    g_autofree int *nodes = g_new(int, na > 0 ? na : 1);
    for (int a = 0; a < na && ok; a++) {
      int64_t id = bnet->node_id[g_array_index(air, int, a)];
      nodes[a] = th_network_node_index(net, id);
      if (nodes[a] < 0) {
        g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                    "--airports: node %" G_GINT64_FORMAT " of the base is not in %s", (gint64)id,
                    en[i].path);
        ok = FALSE;
      }
    }
    if (!ok) break;
    g_autofree double *t = peak_link_times(r->res->run, net->n_links, 7 * 3600, 9 * 3600);
    mins[i] = th_airport_access_new(net, r->skim, t, nodes, na);
  }
  if (ok) {
    g_autofree const char **keys = g_new0(const char *, total);
    for (int i = 1; i < total; i++) keys[i - 1] = en[i].key;
    ok = th_compare_write_airports(path, bnet, (const int *)air->data, na, mins[0], keys,
                                   (const double *const *)mins + 1, total - 1, error);
  }
  for (int i = 0; i < total; i++) g_free(mins[i]);
  g_free(mins);
  return ok;
}

/* Everything after the runs: results folders, indicators, tables, report. */
static gboolean finish(Entry *en, int total, int n, int distinct, const char *final_dir,
                       const ThCompareOptions *o, GString *report, GError **error) {
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  const ThNetwork *bnet = en[0].res->world->net;
  for (int i = 1; i < total; i++)
    if (!same_zones(bnet, en[en[i].run].res->world->net))
      g_ptr_array_add(problems, g_strdup_printf("%s: its zones differ from the base's (%s); od_delta "
                                                "and accessibility need the same zones",
                                                en[i].path, en[0].path));
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return FALSE;
  }
  /* the whole folder is written beside FINAL_DIR and swapped in at the end,
   * so it never mixes two comparisons (output/results-dir.h) */
  g_autoptr(ThResultsDir) rd = th_results_dir_begin(final_dir, "summary.csv", error);
  if (!rd) return FALSE;
  const char *out_dir = th_results_dir_path(rd);
  /* results folders, indicators, tables */
  g_autofree ThCompareRow *rows = g_new0(ThCompareRow, total);
  for (int i = 0; i < total; i++) {
    const ThScenarioResult *res = en[en[i].run].res;
    g_autofree char *dir = g_build_filename(out_dir, en[i].key, NULL);
    if (!th_scenario_result_write(en[i].sc, res, dir, FALSE, error)) return FALSE;
    th_scenario_indicators(en[i].sc, en[i].key, res, &rows[i]);
  }
  g_autofree char *p_sum = g_build_filename(out_dir, "summary.csv", NULL);
  g_autofree char *p_od = g_build_filename(out_dir, "od_delta.csv", NULL);
  g_autofree char *p_acc = g_build_filename(out_dir, "accessibility.csv", NULL);
  g_autofree char *p_co2 = g_build_filename(out_dir, "co2_factors.csv", NULL);
  g_autofree char *p_rep = g_build_filename(out_dir, "report.txt", NULL);
  g_autofree const char **keys = g_new0(const char *, total);
  g_autofree const ThModeSkim **skims = g_new0(const ThModeSkim *, total);
  for (int i = 1; i < total; i++) {
    keys[i - 1] = en[i].key;
    skims[i - 1] = en[en[i].run].skim;
  }
  /* accessibility targets */
  g_autoptr(GArray) targets = g_array_new(FALSE, FALSE, sizeof(int));
  g_auto(GStrv) tnames = g_strsplit_set(o && o->targets ? o->targets : "洛阳;郑州", ";,", -1);
  for (int k = 0; tnames[k]; k++) {
    g_strstrip(tnames[k]);
    if (!*tnames[k]) continue;
    int z = th_network_zone_lookup(bnet, tnames[k]);
    if (z < 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "accessibility target '%s' is not a zone of %s (a zone id or name)", tnames[k],
                  en[0].path);
      return FALSE;
    }
    g_array_append_val(targets, z);
  }
  const ThModeSkim *bskim = en[0].skim ? en[0].skim : en[en[0].run].skim;
  if (!th_compare_write_summary(p_sum, rows, total, error) ||
      !th_compare_write_od_delta(p_od, bnet, bskim, keys, skims, n, error) ||
      !th_compare_write_accessibility(p_acc, bnet, bskim, keys, skims, n,
                                      (const int *)targets->data, (int)targets->len, error) ||
      !th_compare_write_co2_factors(p_co2, error))
    return FALSE;
  if (o && o->airports) {
    g_autofree char *p_air = g_build_filename(out_dir, "airports.csv", NULL);
    if (!write_airports(p_air, en, total, o->airports, error)) return FALSE;
  }
  GString *rep = g_string_new(NULL);
  g_string_append_printf(rep, "taihang compare: %d scenario%s against %s (%d distinct run%s)\n", n,
                         n == 1 ? "" : "s", en[0].key, distinct, distinct == 1 ? "" : "s");
  for (int i = 1; i < total; i++)
    report_scenario(rep, bnet, &rows[0], &rows[i], bskim, en[en[i].run].skim);
  gboolean wrote = th_atomic_write(p_rep, rep->str, rep->len, error);
  if (report) g_string_append(report, rep->str);
  g_string_free(rep, TRUE);
  if (!wrote) return FALSE;
  return th_results_dir_commit(g_steal_pointer(&rd), error);
}

gboolean th_compare_name_ok(const char *name) {
  return name && *name && name[0] != '.' && !strchr(name, '/') && !strchr(name, '\\');
}

int th_compare_name_line(const char *path) {
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL)) return 1;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  gboolean in = FALSE;
  for (int i = 0; lines[i]; i++) {
    const char *l = lines[i];
    while (*l == ' ' || *l == '\t') l++;
    if (*l == '[') in = g_str_has_prefix(l, "[scenario]");
    else if (in && g_str_has_prefix(l, "name") && strchr(l, '=')) return i + 1;
  }
  return 1; /* no name line: the stem was used */
}

gboolean th_compare(const char *base, const char *const *paths, int n, const char *out_dir,
                    const ThCompareOptions *o, GString *report, GError **error) {
  const int total = n + 1;
  Entry *en = g_new0(Entry, total);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = FALSE;
  for (int i = 0; i < total; i++) {
    const char *p = i == 0 ? base : paths[i - 1];
    en[i].path = g_strdup(p);
    GError *e = NULL;
    en[i].sc = th_scenario_load(p, &e);
    if (!en[i].sc) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_error_free(e);
      continue;
    }
    /* one name everywhere: [scenario] name (the file's stem when absent)
     * names the results folder, the report's lines and summary.csv's row,
     * as it names the run in run.ini */
    en[i].key = g_strdup(en[i].sc->name);
    if (!th_compare_name_ok(en[i].key))
      g_ptr_array_add(problems, g_strdup_printf("%s:%d: scenario name '%s' cannot name a results "
                                                "folder (a name without '/' that does not start "
                                                "with '.' was expected)",
                                                p, th_compare_name_line(p), en[i].key));
    for (int k = 0; k < i; k++)
      if (en[k].key && !strcmp(en[k].key, en[i].key))
        g_ptr_array_add(problems, g_strdup_printf("%s:%d: scenario '%s' is listed twice (also %s); "
                                                  "each needs its own name and results folder",
                                                  p, th_compare_name_line(p), en[i].key, en[k].path));
    for (int k = 0; o && o->sets && o->sets[k]; k++) {
      const char *eq = strchr(o->sets[k], '=');
      g_autofree char *key = eq ? g_strndup(o->sets[k], (gsize)(eq - o->sets[k])) : NULL;
      if (!eq || !th_scenario_set(en[i].sc, key, eq + 1, &e)) {
        g_ptr_array_add(problems, g_strdup_printf("--set %s: %s", o->sets[k],
                                                  e ? e->message : "expected SECTION.KEY=VALUE"));
        g_clear_error(&e);
      }
    }
    en[i].fingerprint = th_scenario_fingerprint(en[i].sc);
    en[i].run = i;
    for (int k = 0; k < i; k++)
      if (en[k].fingerprint && !strcmp(en[k].fingerprint, en[i].fingerprint)) {
        en[i].run = en[k].run;
        break;
      }
  }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    entries_free(en, total);
    return FALSE;
  }

  /* the distinct runs, in parallel */
  int distinct = 0;
  for (int i = 0; i < total; i++) distinct += en[i].run == i;
  int jobs = th_cli_threads(o ? o->jobs : 0);
  if (jobs > distinct) jobs = distinct;
  int cores = th_cli_threads(0);
  Job job = {en, cores / jobs > 0 ? cores / jobs : 1, {0}, 0, distinct, o && o->quiet};
  g_mutex_init(&job.lock);
  GThreadPool *pool = g_thread_pool_new(worker, &job, jobs, TRUE, NULL);
  for (int i = 0; i < total; i++)
    if (en[i].run == i) g_thread_pool_push(pool, &en[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  g_mutex_clear(&job.lock);
  for (int i = 0; i < total; i++)
    if (en[i].run == i && !en[i].res)
      g_ptr_array_add(problems, g_strdup(en[i].error->message));
  GError *first = NULL;
  for (int i = 0; i < total && !first; i++)
    if (en[i].error) first = en[i].error;
  if (problems->len) {
    th_problems_to_error(problems, first ? first->code : TH_ERROR_FAILED, error);
    goto out;
  }
  ok = finish(en, total, n, distinct, out_dir, o, report, error);
out:
  entries_free(en, total);
  return ok;
}

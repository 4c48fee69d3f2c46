/* compare.c: base and scenarios run in parallel, indicators, tables and the
 * report (see compare.h). */
#include "scenarios/compare.h"
#include "network/parallel.h"
#include "output/results-dir.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/compare-write.h"
#include "output/airports-write.h"
#include "output/appraisal-csv.h"
#include "sim/airport-access.h"
#include "scenarios/cli.h"
#include "scenarios/scenario-params.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-indicators.h"
#include "scenarios/scenario-demand.h"
#include "sim/mode-skim.h"
#include "sim/multimodal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  char *path, *key;
  ThScenario *sc;           /* replication 0's scenario (owned) */
  gboolean induced;         /* [demand] induced = true: demand drawn on its own network */
} Entry;

/* One scenario in one replication. Runs with equal fingerprints in the same
 * replication share the first one's run. */
typedef struct {
  int entry, rep;
  ThScenario *sc;           /* owned when rep > 0, else the entry's */
  char *fingerprint;
  int run;                  /* index of the Run whose results this one uses */
  /* filled by the worker for runs with run == own index */
  ThScenarioResult *res;    /* kept for replication 0 only (results folders, skims) */
  ThModeSkim *skim;         /* replication 0 */
  ThCompareRow row;         /* indicators of this run */
  ThAppraisalCell *cells;   /* what the appraisal needs of this run (every replication) */
  int n_cells;
  GError *error;
} Run;

typedef struct {
  Entry *entries;
  Run *runs;
  const ThNetwork *demand_net; /* the base's network: fixed demand is drawn on it */
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
  Run *ru = data;
  Job *job = user;
  const Entry *en = &job->entries[ru->entry];
  ThScenarioRunOptions o = {NULL, TRUE, FALSE, job->threads_per_run, NULL,
                            en->induced ? NULL : job->demand_net};
  ru->res = th_scenario_run(ru->sc, &o, &ru->error);
  if (ru->res) {
    th_scenario_indicators(ru->sc, en->key, ru->res, &ru->row);
    ru->cells = th_scenario_appraisal_cells(ru->sc, ru->res, &ru->n_cells);
    if (ru->rep == 0) {
      const ThNetwork *net = ru->res->world->net;
      g_autofree double *t = peak_link_times(ru->res->run, net->n_links, 7 * 3600, 9 * 3600);
      ThModeSkimParams sp;
      th_mode_skim_params_init(&sp);
      sp.access = &ru->res->access; /* the run's own access rules */
      ru->skim = th_mode_skim_new(net, ru->res->world->services, ru->res->world->hubs, t, &sp);
    } else {
      /* later replications only give indicators: free the run now */
      g_clear_pointer(&ru->res, th_scenario_result_free);
    }
  }
  g_mutex_lock(&job->lock);
  job->done++;
  if (!job->quiet)
    fprintf(stderr, "taihang compare: %d of %d runs done (%s, replication %d%s)\n", job->done,
            job->total, en->key, ru->rep + 1, ru->error ? ": failed" : "");
  g_mutex_unlock(&job->lock);
}

/* The distinct runs for th_parallel_for: item I is TODO[I]. */
typedef struct {
  Run **todo;
  Job *job;
} RunList;

static void run_item(int i, int w, gpointer user) {
  (void)w;
  RunList *rl = user;
  worker(rl->todo[i], rl->job);
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

/* " (+3.9 pts [+3.1, +4.7])" or " (+0.2 pts [-0.3, +0.7], not distinguishable from
 * noise)": E's effect x MULT with DEC decimals and UNIT. */
static double rounded(double x, int dec) { return fabs(x) < 0.5 * pow(10, -dec) ? 0 : x; } /* no "-0" */

static void put_effect(GString *rep, const ThPairedEffect *e, double mult, int dec, const char *unit) {
  g_string_append_printf(rep, " (%+.*f%s", dec, rounded(e->effect * mult, dec), unit);
  if (!isnan(e->ci_low))
    g_string_append_printf(rep, " [%+.*f, %+.*f]%s", dec, rounded(e->ci_low * mult, dec), dec,
                           rounded(e->ci_high * mult, dec),
                           e->significant ? "" : ", not distinguishable from noise");
  g_string_append_c(rep, ')');
}

/* Do the two skims serve O -> D by the same modes? */
static gboolean same_modes(const ThModeSkim *a, const ThModeSkim *b, int o, int d) {
  for (int m = TH_SKIM_ROAD; m < TH_SKIM_BEST; m++)
    if (isnan(th_mode_skim_at(a, m, o, d)) != isnan(th_mode_skim_at(b, m, o, d))) return FALSE;
  return TRUE;
}

/* Trip-weighted change of the best-mode door-to-door time per market: within
 * the study area, study area <-> outside, and through (both ends outside);
 * weights are the base's passenger trips per OD pair (W, n_zones^2). */
static void report_markets(GString *rep, const ThNetwork *net, const guint8 *internal,
                           const double *w, const ThModeSkim *bs, const ThModeSkim *ss) {
  static const char *names[3] = {"within the study area", "study area <-> outside", "through"};
  double sw[3] = {0}, sb[3] = {0}, sd[3] = {0};
  const int nz = net->n_zones;
  for (int o = 0; o < nz; o++)
    for (int d = 0; d < nz; d++) {
      double x = w[(size_t)o * nz + d];
      double b = th_mode_skim_at(bs, TH_SKIM_BEST, o, d), s = th_mode_skim_at(ss, TH_SKIM_BEST, o, d);
      if (o == d || x <= 0 || isnan(b) || isnan(s)) continue;
      int io = !internal || internal[o], id = !internal || internal[d];
      int m = io && id ? 0 : io || id ? 1 : 2;
      sw[m] += x;
      sb[m] += x * b;
      sd[m] += x * (s - b);
    }
  g_string_append(rep, "  door-to-door time by market (best mode, morning peak, weighted by the base's trips):");
  for (int m = 0; m < 3; m++)
    if (sw[m] > 0)
      g_string_append_printf(rep, " %s %+.2f min (of %.1f);", names[m], rounded(sd[m] / sw[m], 2),
                             sb[m] / sw[m]);
  g_string_append_c(rep, '\n');
}

static void report_scenario(GString *rep, const ThNetwork *net, const Entry *en,
                            const ThPairedEffect *eff, const ThModeSkim *bs, const ThModeSkim *ss,
                            const guint8 *internal, const double *w) {
  /* no description: the name alone, not "name: " and an empty rest */
  if (en->sc->description && *en->sc->description)
    g_string_append_printf(rep, "\n%s: %s\n", en->key, en->sc->description);
  else
    g_string_append_printf(rep, "\n%s\n", en->key);
  g_string_append_printf(rep, "  demand: %s\n",
                         en->induced ? "induced (re-synthesized on this scenario's network)"
                                     : "fixed (the base's trip list, for this scenario's year and growth)");
  report_markets(rep, net, internal, w, bs, ss);
  g_autoptr(GArray) gains = g_array_new(FALSE, FALSE, sizeof(Gain));
  const int nz = net->n_zones;
  for (int o = 0; o < nz; o++)
    for (int d = 0; d < nz; d++) {
      double b = th_mode_skim_at(bs, TH_SKIM_BEST, o, d), s = th_mode_skim_at(ss, TH_SKIM_BEST, o, d);
      if (o == d || isnan(b) || isnan(s) || s - b > -0.05 || !same_modes(bs, ss, o, d)) continue;
      Gain g = {s - b, b, s, o, d};
      g_array_append_val(gains, g);
    }
  g_array_sort(gains, cmp_gain);
  if (gains->len == 0)
    g_string_append(rep, "  no door-to-door time (best mode, morning peak) improves\n");
  else
    g_string_append(rep, "  biggest travel-time gains (best mode, morning peak; pairs served by the "
                         "same modes in both runs):\n");
  for (guint i = 0; i < gains->len && i < 5; i++) {
    const Gain *g = &g_array_index(gains, Gain, i);
    g_string_append_printf(rep, "    %s -> %s: %.1f -> %.1f min (%+.1f)\n",
                           net->node_name[net->zone_node[g->o]],
                           net->node_name[net->zone_node[g->d]], g->base, g->scen, g->delta);
  }
  static const char *share_names[7] = {"road", "bus", "rail", "hsr", "intercity", "walk", "ebike"};
  g_string_append(rep, "  passenger mode shares:");
  for (int k = 0; k < 7; k++) {
    const ThPairedEffect *e = &eff[TH_CMP_SHARE_ROAD + k];
    if (e->base_mean == 0 && e->scenario_mean == 0) continue;
    g_string_append_printf(rep, " %s %.1f%% -> %.1f%%", share_names[k], 100 * e->base_mean,
                           100 * e->scenario_mean);
    put_effect(rep, e, 100, 1, " pts");
    g_string_append_c(rep, ';');
  }
  const ThPairedEffect *rs = &eff[TH_CMP_RAIL_TONNE_SHARE], *co2 = &eff[TH_CMP_CO2_T],
                       *ph = &eff[TH_CMP_PASSENGER_HOURS];
  g_string_append_printf(rep, "\n  rail share of freight tonne-km %.1f%% -> %.1f%%",
                         100 * rs->base_mean, 100 * rs->scenario_mean);
  put_effect(rep, rs, 100, 1, " pts");
  g_string_append_printf(rep, "; CO2 %.0f -> %.0f t/day", co2->base_mean, co2->scenario_mean);
  put_effect(rep, co2, 1, 0, " t");
  g_string_append_printf(rep, "\n  passenger hours %.0f -> %.0f a day", ph->base_mean, ph->scenario_mean);
  put_effect(rep, ph, 1, 0, " h");
  g_string_append_c(rep, '\n');
}

static void runs_free(Run *ru, int n) {
  for (int i = 0; ru && i < n; i++) {
    if (ru[i].rep > 0) th_scenario_free(ru[i].sc);
    g_free(ru[i].fingerprint);
    th_scenario_result_free(ru[i].res);
    th_mode_skim_free(ru[i].skim);
    g_free(ru[i].cells);
    if (ru[i].error) g_error_free(ru[i].error);
  }
  g_free(ru);
}

static void entries_free(Entry *en, int n) {
  for (int i = 0; i < n; i++) {
    g_free(en[i].path);
    g_free(en[i].key);
    th_scenario_free(en[i].sc);
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
 * door-to-door times (sim/airport-access.h) on its morning-peak road times
 * (replication 0, as od_delta and accessibility). */
static gboolean write_airports(const char *path, const Entry *en, const Run *ru, int total,
                               const char *list, GError **error) {
  const ThNetwork *bnet = ru[ru[0].run].res->world->net;
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
    const Run *r = &ru[ru[i].run];
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

static ThAppraisalRun appraisal_run(const Run *r) {
  const double *v = r->row.v;
  return (ThAppraisalRun){r->n_cells,          r->cells,           v[TH_CMP_TRIPS],
                          v[TH_CMP_PASSENGER_TRIPS], v[TH_CMP_CAR_VEH_KM], v[TH_CMP_TRUCK_VEH_KM],
                          v[TH_CMP_CO2_T]};
}

/* appraisal.csv: each project against the base in every replication
 * (sim/appraisal.h), with the project's [appraisal] values; the cells are
 * the base's of replication 0 (a cell another replication lacks counts 0). */
static gboolean write_appraisal(const char *path, const Entry *en, const Run *ru, int total,
                                int reps, GError **error) {
  const int n = total - 1;
  const Run *b0 = &ru[ru[0].run];
  const int nc = b0->n_cells;
  g_autofree ThAppraisalReps *ap = g_new0(ThAppraisalReps, n > 0 ? n : 1);
  g_autofree double *tc = g_new0(double, (size_t)n * reps * nc + 1);
  g_autofree ThAppraisalBenefits *ben = g_new0(ThAppraisalBenefits, (size_t)n * reps + 1);
  g_autofree ThAppraisalResult *res = g_new0(ThAppraisalResult, (size_t)n * reps + 1);
  for (int i = 1; i < total; i++) {
    ThAppraisalProject proj;
    ThAppraisalPrices pr;
    gboolean appraised = th_appraisal_from_params(en[i].sc->params, &proj, &pr);
    double *tci = tc + (size_t)(i - 1) * reps * nc;
    ThAppraisalBenefits *bi = ben + (size_t)(i - 1) * reps;
    ThAppraisalResult *ri = res + (size_t)(i - 1) * reps;
    for (int k = 0; k < reps; k++) {
      const Run *rb = &ru[ru[(size_t)k * total].run], *rs = &ru[ru[(size_t)k * total + i].run];
      ThAppraisalRun xb = appraisal_run(rb), xs = appraisal_run(rs);
      g_autofree double *cell = g_new0(double, rb->n_cells + 1);
      th_appraisal_benefits(&xb, &xs, &pr, cell, &bi[k]);
      /* onto replication 0's cells; interned names: one name, one pointer */
      for (int c = 0; c < rb->n_cells; c++)
        for (int c0 = 0; c0 < nc; c0++)
          if (rb->cells[c].cls == b0->cells[c0].cls && rb->cells[c].purpose == b0->cells[c0].purpose)
            tci[(size_t)k * nc + c0] = cell[c];
      if (appraised && !th_appraisal_run(&proj, bi[k].annual_benefit, &ri[k])) appraised = FALSE;
    }
    ap[i - 1] = (ThAppraisalReps){en[i].key, reps, nc, b0->cells, tci, bi, appraised, ri,
                                  proj.discount_rate};
  }
  return th_appraisal_write_csv(path, ap, n, error);
}

/* Everything after the runs: results folders (replication 0), indicators
 * (means over replications), effects, tables, report. RU[k * TOTAL + i] is
 * scenario I in replication K. */
static gboolean finish(Entry *en, Run *ru, int total, int n, int reps, int distinct,
                       uint64_t seed0, const char *final_dir, const ThCompareOptions *o,
                       GString *report, GError **error) {
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  const ThNetwork *bnet = ru[ru[0].run].res->world->net;
  for (int i = 1; i < total; i++)
    if (!same_zones(bnet, ru[ru[i].run].res->world->net))
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
  /* results folders of replication 0 */
  for (int i = 0; i < total; i++) {
    const ThScenarioResult *res = ru[ru[i].run].res;
    g_autofree char *dir = g_build_filename(out_dir, en[i].key, NULL);
    if (!th_scenario_result_write(en[i].sc, res, dir, FALSE, error)) return FALSE;
  }
  /* indicators: means and standard errors over replications; paired effects */
  g_autofree ThCompareRow *rows = g_new0(ThCompareRow, total);
  g_autofree ThCompareRowExtra *extra = g_new0(ThCompareRowExtra, total);
  g_autofree ThPairedEffect *eff = g_new0(ThPairedEffect, (size_t)total * TH_CMP_N);
  g_autofree double *vals = g_new(double, (size_t)total * reps);
  for (int ind = 0; ind < TH_CMP_N; ind++) {
    for (int i = 0; i < total; i++)
      for (int k = 0; k < reps; k++)
        vals[(size_t)i * reps + k] = ru[ru[(size_t)k * total + i].run].row.v[ind];
    for (int i = 0; i < total; i++) {
      rows[i].v[ind] = th_mean_se(vals + (size_t)i * reps, reps, &extra[i].se[ind]);
      if (i > 0)
        th_paired_effect(vals, vals + (size_t)i * reps, reps, &eff[(size_t)(i - 1) * TH_CMP_N + ind]);
    }
  }
  for (int i = 0; i < total; i++) {
    rows[i].key = en[i].key;
    rows[i].name = en[i].sc->name;
    rows[i].description = en[i].sc->description;
    extra[i].demand = en[i].induced ? "induced" : "fixed";
    extra[i].replications = reps;
  }
  g_autofree char *p_sum = g_build_filename(out_dir, "summary.csv", NULL);
  g_autofree char *p_eff = g_build_filename(out_dir, "effects.csv", NULL);
  g_autofree char *p_od = g_build_filename(out_dir, "od_delta.csv", NULL);
  g_autofree char *p_acc = g_build_filename(out_dir, "accessibility.csv", NULL);
  g_autofree char *p_co2 = g_build_filename(out_dir, "co2_factors.csv", NULL);
  g_autofree char *p_rep = g_build_filename(out_dir, "report.txt", NULL);
  g_autofree const char **keys = g_new0(const char *, total);
  g_autofree const ThModeSkim **skims = g_new0(const ThModeSkim *, total);
  for (int i = 1; i < total; i++) {
    keys[i - 1] = en[i].key;
    skims[i - 1] = ru[ru[i].run].skim;
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
  const ThModeSkim *bskim = ru[ru[0].run].skim;
  if (!th_compare_write_summary_extra(p_sum, rows, extra, total, error) ||
      !th_compare_write_effects(p_eff, keys, eff, n, error) ||
      !th_compare_write_od_delta(p_od, bnet, bskim, keys, skims, n, error) ||
      !th_compare_write_accessibility(p_acc, bnet, bskim, keys, skims, n,
                                      (const int *)targets->data, (int)targets->len, error) ||
      !th_compare_write_co2_factors(p_co2, error))
    return FALSE;
  g_autofree char *p_app = g_build_filename(out_dir, "appraisal.csv", NULL);
  if (!write_appraisal(p_app, en, ru, total, reps, error)) return FALSE;
  if (o && o->airports) {
    g_autofree char *p_air = g_build_filename(out_dir, "airports.csv", NULL);
    if (!write_airports(p_air, en, ru, total, o->airports, error)) return FALSE;
  }
  GString *rep = g_string_new(NULL);
  g_string_append_printf(rep, "taihang compare: %d scenario%s against %s (%d distinct run%s)\n", n,
                         n == 1 ? "" : "s", en[0].key, distinct, distinct == 1 ? "" : "s");
  if (reps > 1)
    g_string_append_printf(rep, "%d replications (seeds %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                           ", the same in base and scenario): values are means, effects the mean "
                           "paired difference with its 95%% interval\n",
                           reps, seed0, seed0 + (uint64_t)reps - 1);
  else
    g_string_append(rep, "one replication: effects have no interval and may be noise "
                         "(compare --replications 5 gives 95% intervals)\n");
  /* markets: the study area and the base's passenger trips per OD pair */
  GError *ie = NULL;
  g_autofree guint8 *internal = th_scenario_internal_zones(en[0].sc, bnet, &ie);
  if (ie) {
    g_propagate_error(error, ie);
    g_string_free(rep, TRUE);
    return FALSE;
  }
  const int nz = bnet->n_zones;
  g_autofree double *w = g_new0(double, (size_t)nz * nz + 1);
  const ThScenarioResult *b0 = ru[ru[0].run].res;
  for (int t = 0; t < b0->trips->n; t++) {
    int oz = b0->trips->origin_zone[t], dz = b0->trips->destination_zone[t];
    if (oz >= 0 && dz >= 0 && b0->world->classes->cls[b0->trips->cls[t]].kind == TH_CLASS_PASSENGER)
      w[(size_t)oz * nz + dz] += 1;
  }
  for (int i = 1; i < total; i++)
    report_scenario(rep, bnet, &en[i], &eff[(size_t)(i - 1) * TH_CMP_N], bskim, ru[ru[i].run].skim,
                    internal, w);
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

/* Applies the --set overrides O->sets to SC; problems into PR. */
static void apply_sets(ThScenario *sc, const ThCompareOptions *o, GPtrArray *pr) {
  GError *e = NULL;
  sc->strict = o && o->strict; /* --strict: a cut-off zone refuses the network */
  for (int k = 0; o && o->sets && o->sets[k]; k++) {
    const char *eq = strchr(o->sets[k], '=');
    g_autofree char *key = eq ? g_strndup(o->sets[k], (gsize)(eq - o->sets[k])) : NULL;
    if (!eq || !th_scenario_set(sc, key, eq + 1, &e)) {
      g_ptr_array_add(pr, g_strdup_printf("--set %s: %s", o->sets[k],
                                          e ? e->message : "expected SECTION.KEY=VALUE"));
      g_clear_error(&e);
    }
  }
}

/* [demand] induced of SC: TRUE for true/yes/1. */
static gboolean is_induced(const ThScenario *sc) {
  g_autofree char *v = th_scenario_string(sc, "demand", "induced");
  return v && (!g_ascii_strcasecmp(g_strstrip(v), "true") || !g_ascii_strcasecmp(v, "yes") ||
               !strcmp(v, "1"));
}

gboolean th_compare(const char *base, const char *const *paths, int n, const char *out_dir,
                    const ThCompareOptions *o, GString *report, GError **error) {
  const int total = n + 1;
  Entry *en = g_new0(Entry, total);
  Run *ru = NULL;
  int reps = 1;
  g_autoptr(ThNetwork) base_net = NULL;
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
    apply_sets(en[i].sc, o, problems);
    en[i].induced = is_induced(en[i].sc);
  }
  /* replications: --replications, else the base's [compare] replications */
  double seed = 1;
  if (en[0].sc) {
    double r = TH_PARAM_DEFAULT("compare", "replications");
    GError *e = NULL;
    if (!th_scenario_double(en[0].sc, "compare", "replications", r, &r, &e) ||
        !th_scenario_double(en[0].sc, "sim", "seed", TH_SIM_DEFAULT("seed"), &seed, &e)) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_clear_error(&e);
    }
    reps = o && o->replications > 0 ? o->replications : (int)r;
    if (reps < 1 || reps > TH_COMPARE_MAX_REPLICATIONS || (!(o && o->replications > 0) && r != reps))
      g_ptr_array_add(problems, g_strdup_printf("%s: [compare] replications = %g (expected a whole "
                                                "number from 1 to %d)",
                                                en[0].path, r, TH_COMPARE_MAX_REPLICATIONS));
  }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    goto out;
  }
  /* one run per scenario and replication: replication k uses seed base + k
   * in every scenario (common random numbers) */
  ru = g_new0(Run, (size_t)total * reps);
  for (int k = 0; k < reps; k++)
    for (int i = 0; i < total; i++) {
      Run *r = &ru[(size_t)k * total + i];
      r->entry = i;
      r->rep = k;
      GError *e = NULL;
      if (k == 0) {
        r->sc = en[i].sc;
      } else {
        r->sc = th_scenario_load(en[i].path, &e);
        if (!r->sc) { /* the file changed under us */
          g_ptr_array_add(problems, g_strdup(e->message));
          g_error_free(e);
          r->rep = 0; /* nothing owned */
          continue;
        }
        apply_sets(r->sc, o, problems);
      }
      double own = 1;
      th_scenario_double(r->sc, "sim", "seed", TH_SIM_DEFAULT("seed"), &own, NULL);
      uint64_t want = (uint64_t)seed + (uint64_t)k;
      if ((uint64_t)own != want || own != (double)(uint64_t)own) {
        g_autofree char *v = g_strdup_printf("%" G_GUINT64_FORMAT, want);
        if (!th_scenario_set(r->sc, "sim.seed", v, &e)) {
          g_ptr_array_add(problems, g_strdup(e->message));
          g_clear_error(&e);
        }
      }
      r->fingerprint = th_scenario_fingerprint(r->sc);
      r->run = k * total + i;
      for (int j = 0; j < i; j++) {
        const Run *q = &ru[(size_t)k * total + j];
        if (q->fingerprint && !strcmp(q->fingerprint, r->fingerprint)) {
          r->run = q->run;
          break;
        }
      }
    }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    goto out;
  }
  /* fixed demand is drawn on the base's network */
  base_net = th_scenario_network(en[0].sc, NULL, error);
  if (!base_net) goto out;

  /* the distinct runs, in parallel */
  int distinct = 0, all = total * reps;
  for (int i = 0; i < all; i++) distinct += ru[i].run == i;
  int jobs = th_cli_threads(o ? o->jobs : 0);
  if (jobs > distinct) jobs = distinct;
  int cores = th_cli_threads(0);
  Job job = {en, ru, base_net, cores / jobs > 0 ? cores / jobs : 1, {0}, 0, distinct, o && o->quiet};
  g_mutex_init(&job.lock);
  Run **todo = g_new(Run *, distinct + 1); /* freed below: goto out jumps past here */
  for (int i = 0, n = 0; i < all; i++)
    if (ru[i].run == i) todo[n++] = &ru[i];
  RunList rl = {todo, &job};
  th_parallel_for(distinct, MAX(jobs, 1), run_item, &rl); /* network/parallel.h */
  g_free(todo);
  g_mutex_clear(&job.lock);
  GError *first = NULL;
  for (int i = 0; i < all; i++)
    if (ru[i].run == i && ru[i].error) {
      if (!first) first = ru[i].error;
      /* a scenario's error once, not once per replication */
      gboolean seen = FALSE;
      for (guint q = 0; q < problems->len && !seen; q++)
        seen = !strcmp(g_ptr_array_index(problems, q), ru[i].error->message);
      if (!seen) g_ptr_array_add(problems, g_strdup(ru[i].error->message));
    }
  if (problems->len) {
    th_problems_to_error(problems, first ? first->code : TH_ERROR_FAILED, error);
    goto out;
  }
  ok = finish(en, ru, total, n, reps, distinct / reps, (uint64_t)seed, out_dir, o, report, error);
out:
  runs_free(ru, ru ? total * reps : 0);
  entries_free(en, total);
  return ok;
}

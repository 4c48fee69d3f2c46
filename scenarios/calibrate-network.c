/* calibrate-network.c: ODME on a network with a prior OD table, confirmed
 * in the simulation (calibrate.h, th_calib_network). */
#include "scenarios/calibrate-internal.h"

#include "network/csv.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "network/atomic.h"
#include "output/results-write.h"
#include "output/validation-read.h"
#include "output/validation-write.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-demand.h"
#include "sim/classes.h"
#include "sim/odme.h"
#include "sim/simulate.h"
#include "sim/choice.h"
#include "output/trips-write.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A prior OD table: origin,destination[,class],trips, or GMNS demand.csv
 * o_zone_id,d_zone_id,volume (*GMNS set), or a *_trips.tntp file. */
static gboolean read_prior(const char *path, const ThNetwork *net, GArray *classes, gboolean *gmns,
                           GError **error) {
  *gmns = FALSE;
  if (g_str_has_suffix(path, ".tntp")) {
    g_autoptr(ThOdTable) od = th_tntp_read_trips(path, net, error);
    if (!od) return FALSE;
    CalClass *c = cal_class(classes, "car");
    for (int o = 0; o < od->n_zones; o++)
      for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++) {
        g_array_append_val(c->o, o);
        g_array_append_val(c->d, od->dest[i]);
        g_array_append_val(c->t, od->trips[i]);
      }
    return TRUE;
  }
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int co = th_csv_column(csv, "origin"), cd = th_csv_column(csv, "destination");
  int ct = th_csv_column(csv, "trips"), cc = th_csv_column(csv, "class");
  if (co < 0 && th_csv_column(csv, "o_zone_id") >= 0) {
    *gmns = TRUE;
    co = th_csv_column(csv, "o_zone_id");
    cd = th_csv_require(csv, "d_zone_id", error);
    if (cd < 0) return FALSE;
    ct = th_csv_require(csv, "volume", error);
    if (ct < 0) return FALSE;
  } else if ((co = th_csv_require(csv, "origin", error)) < 0 ||
             (cd = th_csv_require(csv, "destination", error)) < 0 ||
             (ct = th_csv_require(csv, "trips", error)) < 0) {
    return FALSE;
  }
  g_autoptr(ThClassTable) builtins = th_class_table_new();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int line = th_csv_line(csv);
    const char *os = th_csv_field(csv, co), *ds = th_csv_field(csv, cd);
    int o = th_network_zone_lookup(net, os), d = th_network_zone_lookup(net, ds);
    if (o < 0) th_problems_add(problems, path, line, "origin '%s' is not a zone (a zone id, node id or zone name)", os);
    if (d < 0) th_problems_add(problems, path, line, "destination '%s' is not a zone (a zone id, node id or zone name)", ds);
    double t;
    if (!th_parse_double(th_csv_field(csv, ct), &t) || t < 0) {
      th_problems_add(problems, path, line, "trips '%s' is not a number >= 0 (vehicles per period)",
                      th_csv_field(csv, ct));
      continue;
    }
    const char *cn = cc >= 0 && *th_csv_field(csv, cc) ? th_csv_field(csv, cc) : "car";
    if (th_class_table_lookup(builtins, cn) < 0) {
      g_autofree char *names = th_class_table_names(builtins);
      th_problems_add(problems, path, line, "class '%s' is unknown (%s)", cn, names);
      continue;
    }
    if (o < 0 || d < 0 || t == 0) continue;
    CalClass *c = cal_class(classes, cn);
    g_array_append_val(c->o, o);
    g_array_append_val(c->d, d);
    g_array_append_val(c->t, t);
  }
  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) return FALSE;
  if (classes->len == 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: no trips in the prior (an OD table with trips > 0)", path);
    return FALSE;
  }
  return TRUE;
}

/* assign --flows CSV format (README, "Static assignment: Outputs"). */
static gboolean write_flows(const char *path, const ThNetwork *net, GArray *classes,
                            const ThAssignResult *r, GError **error) {
  g_autoptr(GString) s = g_string_new("link_id,from,to,class,volume,pcu,time_min,cost\n");
  int m = net->n_links, K = (int)classes->len;
  for (int a = 0; a < m; a++) {
    int64_t id = net->link_id[a], fr = net->node_id[net->link_from[a]], to = net->node_id[net->link_to[a]];
    double tot = 0;
    for (int k = 0; k < K; k++) {
      const CalClass *c = &g_array_index(classes, CalClass, k);
      double x = r->volume[(gsize)k * m + a];
      tot += x;
      g_string_append_printf(s, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%.10g,%.10g,%.10g,%.10g\n",
                             id, fr, to, c->name, x, x * c->pcu, r->time_min[a], r->cost_min[(gsize)k * m + a]);
    }
    g_string_append_printf(s, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",total,%.10g,%.10g,%.10g,%.10g\n",
                           id, fr, to, tot, r->pcu[a], r->time_min[a], r->time_min[a]);
  }
  return th_atomic_write(path, s->str, s->len, error);
}

static gboolean write_demand(const char *path, const ThNetwork *net, GArray *classes,
                             ThOdTable *const *od, gboolean gmns, GError **error) {
  g_autoptr(GString) s = g_string_new(gmns ? "o_zone_id,d_zone_id,volume\n" : "origin,destination,class,trips\n");
  for (guint k = 0; k < classes->len; k++) {
    const ThOdTable *q = od[k];
    for (int o = 0; o < q->n_zones; o++)
      for (int i = q->origin_start[o]; i < q->origin_start[o + 1]; i++) {
        if (gmns)
          g_string_append_printf(s, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%.6f\n", net->zone_id[o],
                                 net->zone_id[q->dest[i]], q->trips[i]);
        else
          g_string_append_printf(s, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%.6f\n", net->zone_id[o],
                                 net->zone_id[q->dest[i]], g_array_index(classes, CalClass, k).name,
                                 q->trips[i]);
      }
  }
  return th_atomic_write(path, s->str, s->len, error);
}

static ThAssignResult *assign(const ThNetwork *net, GArray *classes, ThOdTable *const *od,
                              const ThAssignParams *p, GError **error) {
  int K = (int)classes->len;
  g_autofree ThAssignClass *ac = g_new0(ThAssignClass, K);
  for (int k = 0; k < K; k++) {
    CalClass *c = &g_array_index(classes, CalClass, k);
    ac[k] = (ThAssignClass){c->name, c->pcu, od[k], NULL, c->fixed};
  }
  return th_assign_run(net, ac, K, p, error);
}

/* Confirmation in the simulation: the estimated matrix as individual trips
 * (each cell's trips rounded by carrying the remainder from cell to cell, in
 * class, origin, destination order, so totals are kept; departures spread
 * evenly over the counts' period), simulated to equilibrium by the queue
 * engine (sim/simulate.h) and written to OUT/simulation. Its link counts are
 * the day's totals: the run's whole demand is the counts' period. */
static gboolean confirm_in_simulation(const ThNetwork *net, GArray *classes, ThOdTable *const *od,
                                      const ThCalibOptions *o, GError **error) {
  g_autoptr(ThClassTable) ct = th_class_table_new();
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  int64_t start, end;
  cal_counts_period(o->obs, &start, &end);
  double carry = 0;
  int64_t id = 1;
  for (guint k = 0; k < classes->len; k++) {
    int cls = th_class_table_lookup(ct, g_array_index(classes, CalClass, k).name);
    if (cls < 0) continue;
    const ThOdTable *q = od[k];
    for (int z = 0; z < q->n_zones; z++)
      for (int i = q->origin_start[z]; i < q->origin_start[z + 1]; i++) {
        if (q->dest[i] == z) continue;
        double want = carry + q->trips[i];
        int n = (int)floor(want);
        carry = want - n;
        for (int t = 0; t < n; t++) {
          int32_t dep = (int32_t)(start + (int64_t)((end - start) * (t + 0.5) / n));
          th_trips_add(trips, id++, net, net->zone_node[z], net->zone_node[q->dest[i]], dep, ct, cls,
                       0, 0);
        }
      }
  }
  ThSimParams p;
  th_sim_params_init(&p);
  p.threads = o->threads;
  p.horizon_s = (int32_t)MAX(86400, end + 6 * 3600);
  g_autoptr(ThRunResults) r = th_simulate(net, trips, ct, &p, error);
  if (!r) return FALSE;
  g_autofree char *dir = g_build_filename(o->out_dir, "simulation", NULL);
  ThResultsWriteOptions wo = {.scenario = "calibrate: estimated demand"};
  return th_results_write(dir, r, net, trips, ct, &wo, error);
}

gboolean th_calib_network(const char *net_path, const char *prior_path, const ThCalibOptions *o,
                          gboolean *not_met, GError **error) {
  *not_met = FALSE;
  gboolean tntp = g_str_has_suffix(net_path, ".tntp");
  g_autoptr(ThNetwork) net = tntp ? th_tntp_read_net(net_path, error) : th_network_load(net_path, error);
  if (!net) return FALSE;
  g_autoptr(GArray) classes = g_array_new(FALSE, TRUE, sizeof(CalClass));
  g_array_set_clear_func(classes, cal_class_clear);
  gboolean gmns;
  if (!read_prior(prior_path, net, classes, &gmns, error)) return FALSE;
  if (!cal_check_observations(net, NULL, NULL, o, error)) return FALSE;
  int K = (int)classes->len, m = net->n_links;
  g_autofree double *tntp_fixed = th_assign_tntp_fixed_cost(net);
  gboolean tolls = FALSE;
  for (int a = 0; a < m; a++) tolls |= net->toll[a] != 0;
  g_autofree ThOdTable **prior = g_new0(ThOdTable *, K);
  for (int k = 0; k < K; k++) {
    CalClass *c = &g_array_index(classes, CalClass, k);
    c->od = th_od_table_new(net->n_zones, (int)c->o->len, (int *)c->o->data, (int *)c->d->data,
                            (double *)c->t->data);
    prior[k] = c->od;
    /* tolls as `taihang assign` prices them: TNTP factors, else 30 yuan/h */
    if (tntp_fixed) c->fixed = g_memdup2(tntp_fixed, sizeof(double) * (m + 1));
    else if (tolls) {
      c->fixed = g_new0(double, m + 1);
      for (int a = 0; a < m; a++) c->fixed[a] = net->toll[a] * 60.0 / 30.0;
    }
  }
  ThOdmeParams op;
  th_odme_params_init(&op);
  op.assign.gap = o->gap > 0 ? o->gap : 1e-6;
  op.assign.threads = o->threads > 0 ? o->threads : 1;
  if (o->max_iterations > 0) op.max_outer = o->max_iterations;
  if (g_mkdir_with_parents(o->out_dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the folder", o->out_dir);
    return FALSE;
  }
  /* before */
  g_autoptr(ThAssignResult) r0 = assign(net, classes, prior, &op.assign, error);
  if (!r0) return FALSE;
  g_autofree char *fb = g_build_filename(o->out_dir, "flows_before.csv", NULL);
  if (!write_flows(fb, net, classes, r0, error)) return FALSE;
  ThValidationSummary before, after;
  g_autofree double *mod0 = NULL;
  if (!cal_validate_into(fb, o, "validation_before", "Before calibration: prior demand", &before, &mod0, error))
    return FALSE;
  /* estimate */
  g_autoptr(GPtrArray) weights = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) counts = cal_odme_counts(net, o->obs, classes, weights, skipped, NULL);
  g_autofree ThAssignClass *ac = g_new0(ThAssignClass, K);
  for (int k = 0; k < K; k++) {
    CalClass *c = &g_array_index(classes, CalClass, k);
    ac[k] = (ThAssignClass){c->name, c->pcu, c->od, NULL, c->fixed};
  }
  g_autoptr(ThOdmeResult) est = NULL;
  if (counts->len > 0) {
    est = th_odme_run(net, ac, K, (ThOdmeCount *)counts->data, (int)counts->len, &op, error);
    if (!est) return FALSE;
  }
  ThOdTable **final_od = est ? est->od : prior;
  g_autoptr(ThAssignResult) r1 = assign(net, classes, final_od, &op.assign, error);
  if (!r1) return FALSE;
  g_autofree char *fa = g_build_filename(o->out_dir, "flows_after.csv", NULL);
  if (!write_flows(fa, net, classes, r1, error)) return FALSE;
  g_autofree double *mod1 = NULL;
  if (!cal_validate_into(fa, o, "validation_after", "After calibration: estimated demand (ODME)", &after, &mod1, error))
    return FALSE;
  g_autofree char *dp = g_build_filename(o->out_dir, gmns ? "demand.csv" : "trips.csv", NULL);
  if (!write_demand(dp, net, classes, final_od, gmns, error)) return FALSE;
  /* confirmation in the simulation */
  ThValidationSummary sim = {0};
  gboolean simulated = FALSE;
  if (o->simulate && !tntp) {
    if (!confirm_in_simulation(net, classes, final_od, o, error)) return FALSE;
    g_autofree char *sd = g_build_filename(o->out_dir, "simulation", NULL);
    if (!cal_validate_into(sd, o, "validation_simulation", "Estimated demand in the simulation", &sim, NULL, error))
      return FALSE;
    simulated = TRUE;
  }
  /* report */
  th_validation_print(stdout, "before (prior demand, static assignment):", &before);
  th_validation_print(stdout, "after (estimated demand, static assignment):", &after);
  if (simulated) {
    th_validation_print(stdout, "after, confirmed in the simulation (simulation/, validation_simulation.csv):", &sim);
    if (after.counts.n && !th_fit_geh_passes(&sim.counts))
      printf("  NOT CONFIRMED: in the queue simulation GEH < 5 holds for %.1f %% of counts only (static "
             "assignment: %.1f %%): the static and dynamic models route or delay differently here\n",
             100 * sim.counts.share_geh5, 100 * after.counts.share_geh5);
  }
  double tp = 0, te = 0;
  gsize cells = 0;
  for (int k = 0; k < K; k++) {
    tp += prior[k]->total;
    for (int i = 0; i < final_od[k]->n_entries; i++) te += final_od[k]->trips[i];
    cells += (gsize)prior[k]->n_entries;
  }
  g_autofree double *pv = g_new(double, cells + 1), *ev = g_new(double, cells + 1);
  gsize j = 0;
  for (int k = 0; k < K; k++)
    for (int i = 0; i < prior[k]->n_entries; i++, j++) {
      pv[j] = prior[k]->trips[i];
      ev[j] = final_od[k]->trips[i];
    }
  ThFitStats cf;
  th_fit_stats((int)cells, ev, pv, NULL, &cf);
  printf("ODME (Spiess 1990): %d assignments, objective %.6g -> %.6g; demand %.6g -> %.6g trips (%+.2f %%);\n"
         "  cells estimate against prior: R2 %.4f, slope %.4f (TAG M3.1 table 5 asks R2 > 0.95, slope 0.98-1.02)\n",
         est ? est->outer : 1, est ? est->z_prior : 0, est ? est->z : 0, tp, te,
         tp > 0 ? 100 * (te - tp) / tp : 0, cf.r2, cf.slope);
  for (guint i = 0; i < skipped->len; i++) printf("  %s\n", (char *)g_ptr_array_index(skipped, i));
  if (est)
    for (guint c = 0; c < counts->len; c++)
      if (est->unreachable[c]) {
        *not_met = TRUE;
        printf("  NOT MET: link %" G_GINT64_FORMAT ": the prior loads nothing on it and no least-cost "
               "path crosses it, so no change of the matrix can move its flow (add the missing OD "
               "pairs or check the count's link)\n",
               net->link_id[g_array_index(counts, ThOdmeCount, c).link]);
      }
  if (counts->len == 0) {
    *not_met = TRUE;
    printf("  NOT MET: no link count to estimate the matrix from\n");
  } else if (!th_fit_geh_passes(&after.counts)) {
    *not_met = TRUE;
    printf("  NOT MET: GEH < 5 for %.1f %% of counts after estimation (criterion > 85 %%): the counts "
           "contradict each other or the prior's paths (see validation_after.csv)\n",
           100 * after.counts.share_geh5);
  }
  return TRUE;
}


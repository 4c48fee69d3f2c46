/* calibrate-scenario.c: a scenario fitted to observations: gravity beta,
 * mode constants and ODME to road counts (calibrate.h, th_calib_scenario). */
#include "scenarios/calibrate-internal.h"

#include "network/csv.h"
#include "network/load.h"
#include "network/th-error.h"
#include "scenarios/scenario-params.h"
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

static gboolean run_trips_and_validate(const ThScenario *sc, const ThCalibOptions *o,
                                       const char *trips_path, const char *name, const char *stem,
                                       const char *title, ThValidationSummary *sum, double **mod,
                                       GError **error);

/* Runs SC into OUT_DIR/runs/NAME and validates it into OUT_DIR/STEM (when
 * STEM is set). */
static gboolean run_and_validate(const ThScenario *sc, const ThCalibOptions *o, const char *name,
                                 const char *stem, const char *title, ThValidationSummary *sum,
                                 double **mod, GError **error) {
  return run_trips_and_validate(sc, o, NULL, name, stem, title, sum, mod, error);
}

/* As run_and_validate, with the demand of TRIPS_PATH (NULL: synthesized). */
static gboolean run_trips_and_validate(const ThScenario *sc, const ThCalibOptions *o,
                                       const char *trips_path, const char *name, const char *stem,
                                       const char *title, ThValidationSummary *sum, double **mod,
                                       GError **error) {
  ThScenarioRunOptions ro = {.trips_path = trips_path, .quiet = TRUE, .threads = o->threads};
  g_autoptr(ThScenarioResult) r = th_scenario_run(sc, &ro, error);
  if (!r) return FALSE;
  g_autofree char *dir = g_build_filename(o->out_dir, "runs", name, NULL);
  g_autofree char *runs = g_build_filename(o->out_dir, "runs", NULL);
  g_mkdir_with_parents(runs, 0755);
  if (!th_scenario_result_write(sc, r, dir, FALSE, error)) return FALSE;
  g_autoptr(ThModelSource) src = th_model_source_open(dir, error);
  if (!src) return FALSE;
  g_autofree double *m = th_model_source_values(src, o->obs, o->screenlines, o->internal, error);
  if (!m) return FALSE;
  th_validation_summarize(o->obs, m, sum);
  if (stem && !th_calib_write_validation(o->out_dir, stem, o->obs, m, sum, title, error)) return FALSE;
  *mod = g_steal_pointer(&m);
  return TRUE;
}

/* Mean generalized minutes of purpose P's expected matrix in MARKET. */
static double purpose_mean(const ThNetwork *net, const ThDemandStats *st, int p, ThMarket market,
                           GHashTable *internal) {
  int n = st->n_zones;
  double sw = 0, sc = 0;
  for (int i = 0; i < n; i++) {
    gboolean ii = !internal || g_hash_table_contains(internal, &net->zone_id[i]);
    for (int j = 0; j < n; j++) {
      gboolean ji = !internal || g_hash_table_contains(internal, &net->zone_id[j]);
      if (market != TH_MARKET_ALL && th_market_of(ii, ji) != market) continue;
      double t = st->matrix[((gsize)p * n + i) * n + j], c = st->cost_min[(gsize)i * n + j];
      if (!(t > 0) || !isfinite(c)) continue;
      sw += t;
      sc += t * c;
    }
  }
  return sw > 0 ? sc / sw : NAN;
}

static gboolean set_double(ThScenario *sc, const char *key, double v, GError **error) {
  char buf[64];
  g_ascii_formatd(buf, sizeof buf, "%.6g", v);
  return th_scenario_set(sc, key, buf, error);
}

/* Fits beta per purpose (step 2). Appends the calibrated.ini lines to INI. */
static gboolean fit_betas(ThScenario *sc, const ThCalibOptions *o, GString *ini, GString *report,
                          gboolean *not_met, GError **error) {
  static const char *purposes[] = {"work", "other"};
  ThDemandParams def;
  th_demand_params_init(&def);
  for (int p = 0; p < 2; p++) {
    const ThObservation *target = NULL;
    for (guint i = 0; i < o->obs->obs->len && !target; i++) {
      const ThObservation *x = &g_array_index(o->obs->obs, ThObservation, i);
      if (x->type == TH_OBS_MEAN_TRIP_MIN && !strcmp(x->cls, purposes[p])) target = x;
    }
    if (!target) continue;
    g_autofree char *key = g_strdup_printf("beta_%s", purposes[p]);
    g_autofree char *full = g_strdup_printf("demand.%s", key);
    double beta;
    if (!th_scenario_double(sc, "demand", key, def.purposes[p].beta, &beta, error)) return FALSE;
    g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, error);
    if (!w) return FALSE;
    /* The mean falls as beta grows. Hyman's step until the target is
     * bracketed (tenfold jumps when it creeps), then geometric bisection;
     * beta kept in [1e-6, 2] per minute (beyond 2, exp(-2c) leaves no trip
     * between towns half an hour apart). */
    const double beta_min = 1e-6, beta_max = 2.0, tol = 0.005;
    double first = NAN, mean = NAN, beta0 = beta, lo = NAN, hi = NAN;
    const char *why = NULL;
    for (int it = 0; it < 40; it++) {
      if (!set_double(sc, full, beta, error)) return FALSE;
      g_autoptr(ThDemandStats) st = NULL;
      g_autoptr(ThTrips) trips = th_scenario_demand(sc, w->net, w->classes, &st, error);
      if (!trips) return FALSE;
      mean = purpose_mean(w->net, st, p, target->market, o->internal);
      if (it == 0) first = mean;
      if (mean > 0 && fabs(mean - target->value) <= tol * target->value) break;
      if (!(mean > 0) || mean < target->value) hi = beta;
      else lo = beta;
      double next = mean > 0 ? th_beta_update(beta, mean, target->value) : beta / 4;
      if (!isnan(lo) && !isnan(hi)) {
        next = sqrt(lo * hi); /* bracketed: Hyman's step can creep, bisection halves */
      } else if (it >= 2 && fabs(log(next / beta)) < log(2.0)) {
        next = isnan(lo) ? beta / 10 : beta * 10; /* no bracket yet: search faster */
      }
      next = CLAMP(next, beta_min, beta_max);
      if (next == beta) {
        why = beta >= beta_max ? "even the steepest deterrence (beta 2 per minute) leaves a longer "
                                 "mean: the zone system has no shorter trips to give"
                               : "even without deterrence (beta near 0) the mean stays shorter: "
                                 "the zones are too close together for this target";
        break;
      }
      beta = next;
    }
    gboolean met = mean > 0 && fabs(mean - target->value) <= tol * target->value;
    if (!met && !why) why = "40 updates did not bring the mean within 0.5 %";
    g_string_append_printf(report,
                           "  beta_%s: %.6g -> %.6g; mean generalized minutes (%s) %.2f -> %.2f, target %.2f (%s:%d)%s\n",
                           purposes[p], beta0, beta, th_market_name(target->market), first, mean,
                           target->value, o->obs->path, target->line, met ? "" : "  NOT MET");
    if (!met) {
      *not_met = TRUE;
      g_string_append_printf(report, "    NOT MET: %s\n", why);
    }
    char buf[64];
    g_ascii_formatd(buf, sizeof buf, "%.6g", beta);
    g_string_append_printf(ini, "beta_%s = %s\n", purposes[p], buf);
  }
  return TRUE;
}

typedef struct {
  const ThObservation *obs;
  int index;      /* in the observations */
  char *mode;
  double asc, first_share, share;
} AscTarget;

static void asc_target_clear(gpointer p) { g_free(((AscTarget *)p)->mode); }

/* Step 3: the mode constants of class car to the mode_share targets (one
 * per mode, market all first), one scenario run per update. MOD holds the
 * last run's figures (replaced by each run); *RUNS counts the runs; the
 * [choice] lines go to CHOICE_INI. */
static gboolean fit_constants(ThScenario *sc, const ThCalibOptions *o, gboolean beta_changed,
                              double **modp, GString *choice_ini, GString *report, int *runs_out,
                              gboolean *not_met, GError **error) {
  double *mod = *modp;
  ThValidationSummary after;
  g_autoptr(GArray) targets = g_array_new(FALSE, TRUE, sizeof(AscTarget));
  g_array_set_clear_func(targets, asc_target_clear);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < o->obs->obs->len; i++) {
      const ThObservation *x = &g_array_index(o->obs->obs, ThObservation, i);
      if (x->type != TH_OBS_MODE_SHARE || (pass == 0) != (x->market == TH_MARKET_ALL)) continue;
      gboolean dup = FALSE;
      for (guint t = 0; t < targets->len; t++)
        dup |= !strcmp(g_array_index(targets, AscTarget, t).mode, x->cls);
      if (dup) {
        g_string_append_printf(report, "  %s:%d: mode_share %s %s is validated, not fitted (the constants are per class and mode, one market each)\n",
                               o->obs->path, x->line, x->id, x->cls);
        continue;
      }
      AscTarget t = {x, (int)i, g_strdup(x->cls), 0, NAN, NAN};
      g_autofree char *key = g_strdup_printf("asc.car.%s", x->cls);
      if (!th_scenario_double(sc, "choice", key, 0, &t.asc, error)) return FALSE;
      g_array_append_val(targets, t);
    }
  int runs = 0;
  gboolean fitted = TRUE;
  for (;;) {
    double worst = 0;
    for (guint t = 0; t < targets->len; t++) {
      AscTarget *a = &g_array_index(targets, AscTarget, t);
      a->share = mod[a->index];
      if (runs == 0) a->first_share = a->share;
      worst = fmax(worst, isnan(a->share) ? INFINITY : fabs(a->share - a->obs->value));
    }
    gboolean changed = beta_changed && runs == 0;
    if (targets->len == 0 && !changed) break;
    if (targets->len > 0 && worst <= o->share_tolerance && !changed) break;
    if (runs >= o->max_iterations) {
      fitted = targets->len == 0 || worst <= o->share_tolerance;
      break;
    }
    gboolean stuck = FALSE;
    for (guint t = 0; t < targets->len; t++) {
      AscTarget *a = &g_array_index(targets, AscTarget, t);
      double na = th_asc_update(a->asc, a->obs->value, a->share);
      if (isnan(na)) {
        stuck = TRUE;
        g_string_append_printf(report, "  NOT MET: mode_share %s %s: the model has %s; a constant cannot %s\n",
                               a->obs->id, a->mode,
                               !(a->share > 0) ? "no trip on this mode" : "a target of 0",
                               !(a->share > 0) ? "create trips where no journey exists (check services and access)"
                                               : "reach a share of 0");
        continue;
      }
      a->asc = na;
      g_autofree char *key = g_strdup_printf("choice.asc.car.%s", a->mode);
      if (!set_double(sc, key, na, error)) return FALSE;
    }
    if (stuck) {
      fitted = FALSE;
      break;
    }
    runs++;
    g_free(mod);
    mod = NULL;
    g_autofree char *name = g_strdup_printf("iteration-%d", runs);
    if (!run_and_validate(sc, o, name, NULL, NULL, &after, &mod, error)) {
      *modp = mod;
      return FALSE;
    }
    if (!o->quiet) {
      fprintf(stderr, "taihang calibrate: run %d:", runs);
      for (guint t = 0; t < targets->len; t++) {
        AscTarget *a = &g_array_index(targets, AscTarget, t);
        fprintf(stderr, " %s %.4f (target %.4f, asc %.3f)", a->mode, mod[a->index], a->obs->value, a->asc);
      }
      fputc('\n', stderr);
    }
  }
  if (!fitted) *not_met = TRUE;
  for (guint t = 0; t < targets->len; t++) {
    AscTarget *a = &g_array_index(targets, AscTarget, t);
    char buf[64];
    g_ascii_formatd(buf, sizeof buf, "%.6g", a->asc);
    g_string_append_printf(choice_ini, "asc.car.%s = %s\n", a->mode, buf);
    gboolean met = fabs(a->share - a->obs->value) <= o->share_tolerance;
    g_string_append_printf(report, "  asc.car.%s = %s: share (%s) %.4f -> %.4f, target %.4f%s\n", a->mode, buf,
                           a->obs->id, a->first_share, a->share, a->obs->value, met ? "" : "  NOT MET");
  }
  *modp = mod;
  *runs_out = runs;
  return TRUE;
}


/* The ids of the trips that went by road in the run of RUN_DIR
 * (trips_out.csv), or NULL with an error. */
static GHashTable *road_trip_ids(const char *run_dir, GError **error) {
  g_autoptr(GHashTable) road = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *tp = g_build_filename(run_dir, "trips_out.csv", NULL);
  g_autoptr(ThCsv) csv = th_csv_open(tp, error);
  if (!csv) return NULL;
  int ci = th_csv_require(csv, "id", error), cm = ci < 0 ? -1 : th_csv_require(csv, "mode", error);
  if (ci < 0 || cm < 0) return NULL;
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int64_t id;
    if (!strcmp(th_csv_field(csv, cm), "road") && th_parse_int64(th_csv_field(csv, ci), &id))
      g_hash_table_add(road, g_memdup2(&id, sizeof id));
  }
  if (e) {
    g_propagate_error(error, e);
    return NULL;
  }
  return g_steal_pointer(&road);
}

/* The prior: vehicles per (class, origin zone, destination zone) of the
 * road trips of TRIPS (ROAD) departing in [START, END), times EXPAND; each
 * trip's index into the result goes to TRIP_CLASS (-1: not in the prior). */
static GArray *odme_prior(const ThTrips *trips, const ThClassTable *tcls, GHashTable *road,
                          int64_t start, int64_t end, double expand, int *trip_class) {
  GArray *classes = g_array_new(FALSE, TRUE, sizeof(CalClass));
  g_array_set_clear_func(classes, cal_class_clear);
  for (int i = 0; i < trips->n; i++) {
    trip_class[i] = -1;
    int oz = trips->origin_zone[i], dz = trips->destination_zone[i];
    if (oz < 0 || dz < 0 || oz == dz || !g_hash_table_contains(road, &trips->id[i])) continue;
    if (trips->depart_s[i] < start || trips->depart_s[i] >= end) continue;
    const ThClass *tc = &tcls->cls[trips->cls[i]];
    CalClass *c = cal_class(classes, tc->name);
    c->pcu = tc->pcu;
    trip_class[i] = (int)(c - &g_array_index(classes, CalClass, 0));
    double v = trips->vehicles[i] * expand;
    g_array_append_val(c->o, oz);
    g_array_append_val(c->d, dz);
    g_array_append_val(c->t, v);
  }
  return classes;
}

/* Static ODME of the prior AC (K classes) on COUNTS over the period of
 * HOURS (capacities times the hours, restored before returning). The
 * static targets are the counts times static / simulated prior flow (MOD,
 * by OBS_INDEX), so that the factors move the simulated flows onto the
 * counts. NULL with an error. */
static ThOdmeResult *odme_estimate(ThNetwork *net, ThAssignClass *ac, int K, GArray *counts,
                                   GArray *obs_index, const double *mod, double hours,
                                   const ThCalibOptions *o, GError **error) {
  int m = net->n_links;
  g_autofree double *cap = g_memdup2(net->capacity_vph, sizeof(double) * (m + 1));
  for (int a = 0; a < m; a++) net->capacity_vph[a] *= hours;
  ThOdmeParams op;
  th_odme_params_init(&op);
  op.assign.gap = o->gap > 0 ? o->gap : 1e-6;
  op.assign.threads = o->threads > 0 ? o->threads : 1;
  ThOdmeParams op0 = op;
  op0.max_outer = 1;
  g_autoptr(ThOdmeResult) est0 =
      th_odme_run(net, ac, K, (ThOdmeCount *)counts->data, (int)counts->len, &op0, error);
  if (!est0) {
    memcpy(net->capacity_vph, cap, sizeof(double) * m);
    return NULL;
  }
  for (guint c = 0; c < counts->len; c++) {
    ThOdmeCount *x = &g_array_index(counts, ThOdmeCount, c);
    double sim = mod[g_array_index(obs_index, int, c)];
    if (sim > 0 && est0->prior_flow[c] > 0) x->value *= est0->prior_flow[c] / sim;
  }
  ThOdmeResult *est =
      th_odme_run(net, ac, K, (ThOdmeCount *)counts->data, (int)counts->len, &op, error);
  memcpy(net->capacity_vph, cap, sizeof(double) * m);
  return est;
}

/* The trips of TRIPS with the per-OD factors of EST over the prior
 * CLASSES: a trip of a cell with factor f is written floor(f) or floor(f)
 * + 1 times (a draw of its own stream with SEED), other trips once. The
 * prior's trips before and after go to *BEFORE_N and *AFTER_N. */
static ThTrips *odme_apply(const ThTrips *trips, const int *trip_class, GArray *classes,
                           const ThOdmeResult *est, const ThNetwork *net,
                           const ThClassTable *tcls, uint64_t seed, double *before_n,
                           double *after_n) {
  ThTrips *out = th_trips_new(NULL);
  int64_t next_id = 1;
  g_autoptr(GHashTable) factor = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  for (guint k = 0; k < classes->len; k++) {
    const ThOdTable *p = g_array_index(classes, CalClass, k).od, *q = est->od[k];
    for (int z = 0; z < p->n_zones; z++)
      for (int i = p->origin_start[z]; i < p->origin_start[z + 1]; i++) {
        double *f = g_new(double, 1);
        *f = p->trips[i] > 0 ? q->trips[i] / p->trips[i] : 1.0;
        g_hash_table_insert(factor, g_strdup_printf("%d:%d:%d", k, z, p->dest[i]), f);
      }
  }
  *before_n = *after_n = 0;
  for (int i = 0; i < trips->n; i++) {
    int copies = 1;
    if (trip_class[i] >= 0) {
      g_autofree char *key = g_strdup_printf("%d:%d:%d", trip_class[i], trips->origin_zone[i],
                                             trips->destination_zone[i]);
      double *f = g_hash_table_lookup(factor, key);
      double fl = floor(*f);
      copies = (int)fl + (th_agent_uniform(seed, trips->id[i], 0, TH_DRAW_REPLAN) < *f - fl);
      *before_n += 1;
      *after_n += copies;
    }
    for (int c = 0; c < copies; c++)
      th_trips_add(out, next_id++, net, trips->origin[i], trips->destination[i], trips->depart_s[i],
                   tcls, trips->cls[i], trips->mode[i], trips->tonnes[i]);
  }
  return out;
}

/* Step 4 (when there are road traffic counts): ODME for a scenario. The
 * prior is the road vehicles of the last run (RUN_DIR/trips_out.csv: trips
 * whose mode was road, departing in the counts' period, expanded to the
 * whole demand, freight trips by their trucks); it is estimated from the
 * counts on static assignment (capacities x the period's hours, routes by
 * time as the engine drives them; each count's static target is the count
 * x static / simulated flow of the prior, so that the static model's bias
 * on a link does not become a demand change), and the estimate is applied to the scenario's synthetic trips as
 * per-OD factors: a road trip of a cell with factor f is written
 * floor(f) or floor(f) + 1 times (a draw of its own stream), other trips
 * once, into OUT/trips.csv; the scenario is run on it (runs/odme) and that
 * run is validated. *APPLIED is FALSE when nothing was estimated. */
static gboolean odme_scenario(ThScenario *sc, const ThCalibOptions *o, const char *run_dir,
                              double **mod, gboolean *applied, GString *report, GError **error) {
  *applied = FALSE;
  int n_counts = 0;
  for (guint i = 0; i < o->obs->obs->len; i++) {
    const ThObservation *x = &g_array_index(o->obs->obs, ThObservation, i);
    n_counts += x->type == TH_OBS_LINK_COUNT && th_obs_is_traffic(x);
  }
  if (n_counts == 0) return TRUE;
  g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, error);
  if (!w) return FALSE;
  ThNetwork *net = w->net;
  g_autoptr(ThTrips) trips = th_scenario_demand(sc, net, w->classes, NULL, error);
  if (!trips) return FALSE;
  double sample = 1;
  if (!th_scenario_double(sc, "sim", "sample_factor", TH_SIM_DEFAULT("sample_factor"), &sample, error)) return FALSE;
  double expand = sample > 0 && sample < 1 ? 1.0 / sample : 1.0;
  int64_t start, end;
  cal_counts_period(o->obs, &start, &end);
  /* modes of the last run, by trip id */
  g_autoptr(GHashTable) road = road_trip_ids(run_dir, error);
  if (!road) return FALSE;
  g_autofree int *trip_class = g_new(int, trips->n + 1);
  g_autoptr(GArray) classes = odme_prior(trips, w->classes, road, start, end, expand, trip_class);
  int K = (int)classes->len;
  if (K == 0) {
    g_string_append(report, "  ODME: no road trip in the counts' period; the matrix is left as it is\n");
    return TRUE;
  }
  /* routes by time alone, as the engine's route search drives them */
  g_autofree ThAssignClass *ac = g_new0(ThAssignClass, K);
  for (int k = 0; k < K; k++) {
    CalClass *c = &g_array_index(classes, CalClass, k);
    c->od = th_od_table_new(net->n_zones, (int)c->o->len, (int *)c->o->data, (int *)c->d->data,
                            (double *)c->t->data);
    ac[k] = (ThAssignClass){c->name, c->pcu, c->od, NULL, NULL};
  }
  g_autoptr(GPtrArray) weights = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) obs_index = g_array_new(FALSE, FALSE, sizeof(int));
  g_autoptr(GArray) counts = cal_odme_counts(net, o->obs, classes, weights, skipped, obs_index);
  for (guint i = 0; i < skipped->len; i++)
    g_string_append_printf(report, "  %s\n", (char *)g_ptr_array_index(skipped, i));
  if (counts->len == 0) return TRUE;
  /* capacities for the period: the static problem carries the period's demand */
  double hours = (double)(end - start) / 3600.0;
  g_autoptr(ThOdmeResult) est =
      odme_estimate(net, ac, K, counts, obs_index, *mod, hours, o, error);
  if (!est) return FALSE;
  /* per-OD factors onto the synthetic trips */
  uint64_t seed = 1;
  double sd;
  if (th_scenario_double(sc, "sim", "seed", TH_SIM_DEFAULT("seed"), &sd, NULL)) seed = (uint64_t)sd;
  double before_n, after_n;
  g_autoptr(ThTrips) out = odme_apply(trips, trip_class, classes, est, net, w->classes, seed,
                                      &before_n, &after_n);
  g_autofree char *tp = g_build_filename(o->out_dir, "trips.csv", NULL);
  if (!th_trips_write(tp, out, net, w->classes, error)) return FALSE;
  g_string_append_printf(report,
                         "  ODME (Spiess 1990) on the road trips of the counts' period: %d assignments, "
                         "objective %.6g -> %.6g; %.0f road trips of the sample -> %.0f (%+.1f %%), "
                         "written with the other trips to trips.csv (run: taihang run calibrated.ini "
                         "--trips trips.csv)\n",
                         est->outer, est->z_prior, est->z, before_n, after_n,
                         before_n > 0 ? 100 * (after_n - before_n) / before_n : 0);
  for (guint c = 0; c < counts->len; c++)
    if (est->unreachable[c])
      g_string_append_printf(report, "  not fitted: link %" G_GINT64_FORMAT ": the static assignment of the run's "
                             "road trips loads nothing on it\n",
                             net->link_id[g_array_index(counts, ThOdmeCount, c).link]);
  ThValidationSummary sum;
  g_free(*mod);
  *mod = NULL;
  if (!run_trips_and_validate(sc, o, tp, "odme", NULL, NULL, &sum, mod, error)) return FALSE;
  *applied = TRUE;
  return TRUE;
}

gboolean th_calib_scenario(const char *scenario_path, const ThCalibOptions *o0, gboolean *not_met,
                           GError **error) {
  *not_met = FALSE;
  ThCalibOptions o = *o0;
  g_autoptr(ThScenario) sc = th_scenario_load(scenario_path, error);
  if (!sc) return FALSE;
  g_autoptr(GHashTable) internal = NULL;
  g_autofree char *iz = th_scenario_string(sc, "demand", "internal_zones");
  if (iz && !(internal = th_calib_parse_zone_list(iz, error))) return FALSE;
  if (!o.internal) o.internal = internal;
  if (o.max_iterations <= 0) o.max_iterations = 8;
  if (!(o.share_tolerance > 0)) o.share_tolerance = 0.01;
  {
    g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, error);
    if (!w || !cal_check_observations(w->net, w->services, w->hubs, &o, error)) return FALSE;
  }
  if (g_mkdir_with_parents(o.out_dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the folder", o.out_dir);
    return FALSE;
  }
  g_autoptr(GString) report = g_string_new("");
  g_autoptr(GString) demand_ini = g_string_new("");
  g_autoptr(GString) choice_ini = g_string_new("");
  /* 1. before */
  ThValidationSummary before;
  g_autofree double *mod = NULL;
  if (!run_and_validate(sc, &o, "before", "validation_before", "Before calibration", &before, &mod, error))
    return FALSE;
  /* 2. gravity deterrence */
  if (!fit_betas(sc, &o, demand_ini, report, not_met, error)) return FALSE;
  /* 3. mode constants */
  int runs = 0;
  if (!fit_constants(sc, &o, demand_ini->len > 0, &mod, choice_ini, report, &runs, not_met, error))
    return FALSE;
  /* 4. the matrix to the road counts */
  gboolean odme_applied = FALSE;
  {
    g_autofree char *last = runs == 0 ? g_strdup("before") : g_strdup_printf("iteration-%d", runs);
    g_autofree char *run_dir = g_build_filename(o.out_dir, "runs", last, NULL);
    if (!odme_scenario(sc, &o, run_dir, &mod, &odme_applied, report, error)) return FALSE;
  }
  /* 5. after: the last run's figures */
  ThValidationSummary fin;
  th_validation_summarize(o.obs, mod, &fin);
  if (!th_calib_write_validation(o.out_dir, "validation_after", o.obs, mod, &fin, "After calibration", error))
    return FALSE;
  g_autoptr(GString) ini = g_string_new("");
  g_string_append_printf(ini,
                         "# written by taihang calibrate from %s and %s (%d calibration runs)\n"
                         "[scenario]\nname = %s-calibrated\ndescription = %s with mode constants and "
                         "gravity deterrence fitted to %s\nbase = %s\n",
                         scenario_path, o.obs->path, runs, sc->name, sc->name, o.obs->path, sc->path);
  if (odme_applied)
    g_string_append(ini, "# the demand estimated from the counts is trips.csv beside this file:\n"
                         "#   taihang run calibrated.ini --trips trips.csv --out DIR\n");
  if (demand_ini->len) g_string_append_printf(ini, "\n[demand]\n%s", demand_ini->str);
  if (choice_ini->len) g_string_append_printf(ini, "\n[choice]\n%s", choice_ini->str);
  g_autofree char *ip = g_build_filename(o.out_dir, "calibrated.ini", NULL);
  if (!th_atomic_write(ip, ini->str, ini->len, error)) return FALSE;
  th_validation_print(stdout, "before:", &before);
  th_validation_print(stdout, "after:", &fin);
  printf("calibration (%d runs after the first):\n%s", runs, report->str);
  if (odme_applied && !th_fit_geh_passes(&fin.counts))
    printf("  NOT CONFIRMED: after ODME, the simulation (runs/odme) has GEH < 5 for %.1f %% of road "
           "counts only (criterion > 85 %%)\n",
           100 * fin.counts.share_geh5);
  if (fin.n_screenlines && fin.screenlines_within_5pct < fin.n_screenlines)
    printf("  screenlines are validated, not fitted; %d of %d are not within 5 %% (see "
           "validation_after.csv)\n",
           fin.n_screenlines - fin.screenlines_within_5pct, fin.n_screenlines);
  return TRUE;
}

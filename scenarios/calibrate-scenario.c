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
#include "sim/od-factors.h"
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
  char bi[32], bj[32];
  for (int i = 0; i < n; i++) {
    gboolean ii = !internal || g_hash_table_contains(internal, th_network_zone_label(net, i, bi));
    for (int j = 0; j < n; j++) {
      gboolean ji = !internal || g_hash_table_contains(internal, th_network_zone_label(net, j, bj));
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

/* Runs SC with both betas BETA0 x F into runs/NAME; *CR gets the
 * coincidence ratio of distribution G (-1 when the run has none); *MODP
 * (may be NULL) takes the run's figures. */
static gboolean cr_at(ThScenario *sc, const ThCalibOptions *o, const double *beta0, double f,
                      const char *name, const int *group, int g, double *cr, double **modp,
                      GError **error) {
  if (!set_double(sc, "demand.beta_work", beta0[0] * f, error) ||
      !set_double(sc, "demand.beta_other", beta0[1] * f, error))
    return FALSE;
  ThValidationSummary sum;
  g_autofree double *m = NULL;
  if (!run_and_validate(sc, o, name, NULL, NULL, &sum, &m, error)) return FALSE;
  *cr = th_tld_coincidence(o->obs, m, group, g);
  if (isnan(*cr)) *cr = -1;
  if (modp) {
    g_free(*modp);
    *modp = g_steal_pointer(&m);
  }
  return TRUE;
}

/* Step 2b: without mean_trip_min targets per purpose, the first trip
 * length distribution (th_tld_groups: its market, unit and period) is fitted
 * by one factor F on both purposes' beta (their ratio kept): the F in
 * 1/16..8 that maximizes the coincidence ratio of the run's distribution
 * (validation-read.h: experienced minutes of trips_out.csv, or km of
 * od_times.csv) against the observed one: a grid of factors 2^(k/2), then
 * golden-section search on ln F between the best point's neighbours to 3 %,
 * one run each (runs/distribution-N), and the best factor run last
 * (runs/distribution). *MODP gets that run's figures; *RUNS_OUT the runs. A best
 * ratio below 0.7 is reported NOT MET with its reason. */
static gboolean fit_distribution(ThScenario *sc, const ThCalibOptions *o, double **modp,
                                 GString *ini, GString *report, int *runs_out,
                                 gboolean *not_met, GError **error) {
  int no = (int)o->obs->obs->len;
  g_autofree int *group = g_new(int, no + 1);
  if (th_tld_groups(o->obs, group) == 0) return TRUE;
  const int g = 0;
  ThDemandParams def;
  th_demand_params_init(&def);
  double beta0[2];
  if (!th_scenario_double(sc, "demand", "beta_work", def.purposes[0].beta, &beta0[0], error) ||
      !th_scenario_double(sc, "demand", "beta_other", def.purposes[1].beta, &beta0[1], error))
    return FALSE;
  double cr0 = th_tld_coincidence(o->obs, *modp, group, g);
  int n_runs = 0;
  double best = isnan(cr0) ? -1 : cr0, fbest = 1, cr;
  for (int k = -8; k <= 6; k++) {
    if (k == 0) continue; /* the run before */
    double f = pow(2.0, k / 2.0);
    g_autofree char *nm = g_strdup_printf("distribution-%d", ++n_runs);
    if (!cr_at(sc, o, beta0, f, nm, group, g, &cr, NULL, error)) return FALSE;
    if (cr > best) best = cr, fbest = f;
  }
  /* golden section on ln F between the best grid point's neighbours */
  double a = log(fbest) - 0.5 * log(2.0), b = log(fbest) + 0.5 * log(2.0);
  const double phi = 0.5 * (sqrt(5.0) - 1);
  double x1 = b - phi * (b - a), x2 = a + phi * (b - a), c1, c2;
  g_autofree char *n1 = g_strdup_printf("distribution-%d", ++n_runs);
  if (!cr_at(sc, o, beta0, exp(x1), n1, group, g, &c1, NULL, error)) return FALSE;
  g_autofree char *n2 = g_strdup_printf("distribution-%d", ++n_runs);
  if (!cr_at(sc, o, beta0, exp(x2), n2, group, g, &c2, NULL, error)) return FALSE;
  while (b - a > 0.03) {
    g_autofree char *nm = g_strdup_printf("distribution-%d", ++n_runs);
    if (c1 >= c2) {
      b = x2, x2 = x1, c2 = c1, x1 = b - phi * (b - a);
      if (!cr_at(sc, o, beta0, exp(x1), nm, group, g, &c1, NULL, error)) return FALSE;
    } else {
      a = x1, x1 = x2, c1 = c2, x2 = a + phi * (b - a);
      if (!cr_at(sc, o, beta0, exp(x2), nm, group, g, &c2, NULL, error)) return FALSE;
    }
  }
  if (c1 > best) best = c1, fbest = exp(x1);
  if (c2 > best) best = c2, fbest = exp(x2);
  /* the best factor run last: the scenario stays at it, *MODP gets its figures */
  double cr_fit;
  if (!cr_at(sc, o, beta0, fbest, "distribution", group, g, &cr_fit, modp, error)) return FALSE;
  *runs_out = n_runs + 1;
  const ThObservation *first = NULL;
  for (int k = 0; k < no && !first; k++)
    if (group[k] == g) first = &g_array_index(o->obs->obs, ThObservation, k);
  char b1[64], b2[64];
  g_ascii_formatd(b1, sizeof b1, "%.6g", beta0[0] * fbest);
  g_ascii_formatd(b2, sizeof b2, "%.6g", beta0[1] * fbest);
  g_string_append_printf(ini, "beta_work = %s\nbeta_other = %s\n", b1, b2);
  gboolean met = cr_fit >= 0.7;
  g_string_append_printf(report,
                         "  beta_work, beta_other x %.4g (%s, %s; %d runs): coincidence ratio of the "
                         "trip length distribution (%s, %s, %s:%d) %.3f -> %.3f%s\n",
                         fbest, b1, b2, n_runs + 1, th_market_name(first->market),
                         first->band_km ? "km" : "minutes", o->obs->path, first->line, cr0, cr_fit,
                         met ? "" : "  NOT MET");
  if (!met) {
    *not_met = TRUE;
    g_string_append_printf(report, "    NOT MET: the best factor on the deterrence gives a coincidence "
                                   "ratio of %.3f only (0.7 sought): one exponential deterrence per "
                                   "purpose cannot take the distribution's shape\n",
                           cr_fit);
  }
  return TRUE;
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

/* PREFIXasc.car.MODE or PREFIXasc.car.MODE.MARKET for target A. */
static char *asc_key(const char *prefix, const AscTarget *a) {
  if (a->obs->market == TH_MARKET_ALL) return g_strdup_printf("%sasc.car.%s", prefix, a->mode);
  return g_strdup_printf("%sasc.car.%s.%s", prefix, a->mode, th_market_name(a->obs->market));
}

/* Step 3: the mode constants of class car to the mode_share targets (one
 * per mode and market: asc.car.MODE for market all, asc.car.MODE.MARKET for
 * the others), one scenario run per update. MOD holds the
 * last run's figures (replaced by each run); *RUNS counts the runs; the
 * [choice] lines go to CHOICE_INI. */
static gboolean fit_constants(ThScenario *sc, const ThCalibOptions *o, gboolean beta_changed,
                              double **modp, GString *choice_ini, GString *report, int *runs_out,
                              gboolean *not_met, GError **error) {
  double *mod = *modp;
  ThValidationSummary after;
  g_autoptr(GArray) targets = g_array_new(FALSE, TRUE, sizeof(AscTarget));
  g_array_set_clear_func(targets, asc_target_clear);
  /* one constant per mode and market: asc.car.MODE for `all`, asc.car.MODE.MARKET
   * for a market (choice.h: a market's own constant replaces the class's) */
  for (guint i = 0; i < o->obs->obs->len; i++) {
    const ThObservation *x = &g_array_index(o->obs->obs, ThObservation, i);
    if (x->type != TH_OBS_MODE_SHARE) continue;
    gboolean dup = FALSE;
    for (guint t = 0; t < targets->len; t++) {
      const AscTarget *y = &g_array_index(targets, AscTarget, t);
      dup |= !strcmp(y->mode, x->cls) && y->obs->market == x->market;
    }
    if (dup) {
      g_string_append_printf(report, "  %s:%d: mode_share %s %s is validated, not fitted (one constant per mode and market; an earlier row fits it)\n",
                             o->obs->path, x->line, x->id, x->cls);
      continue;
    }
    if (x->market == TH_MARKET_ALL) {
      int own = 0;
      for (guint j = 0; j < o->obs->obs->len; j++) {
        const ThObservation *y = &g_array_index(o->obs->obs, ThObservation, j);
        own |= y->type == TH_OBS_MODE_SHARE && y->market != TH_MARKET_ALL && !strcmp(y->cls, x->cls)
                   ? 1 << y->market : 0;
      }
      if (own == (1 << TH_MARKET_INTERNAL | 1 << TH_MARKET_EXTERNAL | 1 << TH_MARKET_THROUGH)) {
        g_string_append_printf(report, "  %s:%d: mode_share all %s is validated, not fitted (every market has its own target and constant)\n",
                               o->obs->path, x->line, x->cls);
        continue;
      }
    }
    AscTarget t = {x, (int)i, g_strdup(x->cls), 0, NAN, NAN};
    double general = 0;
    g_autofree char *gkey = g_strdup_printf("asc.car.%s", x->cls);
    if (!th_scenario_double(sc, "choice", gkey, 0, &general, error)) return FALSE;
    t.asc = general;
    if (x->market != TH_MARKET_ALL) {
      g_autofree char *key = g_strdup_printf("asc.car.%s.%s", x->cls, th_market_name(x->market));
      if (!th_scenario_double(sc, "choice", key, general, &t.asc, error)) return FALSE;
    }
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
      g_autofree char *key = asc_key("choice.", a);
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
        fprintf(stderr, " %s %s %.4f (target %.4f, asc %.3f)", a->mode, th_market_name(a->obs->market),
                mod[a->index], a->obs->value, a->asc);
      }
      fputc('\n', stderr);
    }
  }
  if (!fitted) *not_met = TRUE;
  for (guint t = 0; t < targets->len; t++) {
    AscTarget *a = &g_array_index(targets, AscTarget, t);
    char buf[64];
    g_ascii_formatd(buf, sizeof buf, "%.6g", a->asc);
    g_autofree char *key = asc_key("", a);
    g_string_append_printf(choice_ini, "%s = %s\n", key, buf);
    gboolean met = fabs(a->share - a->obs->value) <= o->share_tolerance;
    g_string_append_printf(report, "  %s = %s: share (%s) %.4f -> %.4f, target %.4f%s\n", key, buf,
                           a->obs->id, a->first_share, a->share, a->obs->value, met ? "" : "  NOT MET");
    gboolean shared = FALSE;
    for (guint u = 0; u < targets->len; u++) {
      const AscTarget *b = &g_array_index(targets, AscTarget, u);
      shared |= b->obs->market != TH_MARKET_ALL && !strcmp(b->mode, a->mode);
    }
    if (!met && a->obs->market == TH_MARKET_ALL && shared)
      g_string_append_printf(report, "    NOT MET: the class's constant asc.car.%s moves only the markets "
                                     "without their own target; their shares cannot bring all "
                                     "markets together to %.4f\n",
                             a->mode, a->obs->value);
  }
  *modp = mod;
  *runs_out = runs;
  return TRUE;
}


/* Copies the rows of the factor file PATH whose (class, origin, destination)
 * is not in WRITTEN ("CLASS,O,D" with zone indices; a row for every class
 * is written for each class only when no class row replaced it) into CSV. */
static gboolean carry_factor_rows(const char *path, const ThNetwork *net, const ThClassTable *classes,
                                  GHashTable *written, GString *csv_out, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int co = th_csv_column(csv, "origin"), cd = th_csv_column(csv, "destination"),
      cf = th_csv_column(csv, "factor"), cc = th_csv_column(csv, "class");
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    const char *cls = cc >= 0 ? th_csv_field(csv, cc) : "";
    int o = th_network_zone_lookup(net, th_csv_field(csv, co)), d = th_network_zone_lookup(net, th_csv_field(csv, cd));
    gboolean covered = FALSE;
    if (*cls) {
      g_autofree char *k = g_strdup_printf("%s,%d,%d", cls, o, d);
      covered = g_hash_table_contains(written, k);
    } else {
      /* a row for every class: kept (estimated classes have their own rows, which win) */
      (void)classes;
    }
    if (covered) continue;
    th_csv_append_field(csv_out, th_csv_field(csv, co));
    g_string_append_c(csv_out, ',');
    th_csv_append_field(csv_out, th_csv_field(csv, cd));
    g_string_append_printf(csv_out, ",%s,", th_csv_field(csv, cf));
    th_csv_append_field(csv_out, cls);
    g_string_append_c(csv_out, '\n');
  }
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  return TRUE;
}

/* Refusing to pretend about mode shares: a share counts the travellers who
 * chose a mode, arrived or not. For each mode of a mode_share target, the
 * passenger trips of the run at RUN_DIR that chose it and did not arrive
 * (left behind by full runs, stranded, stuck): more than 5 % is reported,
 * since the share is then of choices, not of journeys made. */
static gboolean report_unserved(const char *run_dir, const ThObserved *obs, GString *report,
                                GError **error) {
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autofree char *cp = g_build_filename(run_dir, "network", "classes.csv", NULL);
  if (g_file_test(cp, G_FILE_TEST_IS_REGULAR) && !th_class_table_load(classes, cp, error)) return FALSE;
  g_autofree char *tp = g_build_filename(run_dir, "trips_out.csv", NULL);
  g_autoptr(ThCsv) csv = th_csv_open(tp, error);
  if (!csv) return FALSE;
  int cc = th_csv_require(csv, "class", error), cm = cc < 0 ? -1 : th_csv_require(csv, "mode", error),
      cs = cm < 0 ? -1 : th_csv_require(csv, "status", error);
  if (cs < 0) return FALSE;
  g_autoptr(GHashTable) chose = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    const char *cls = th_csv_field(csv, cc), *mode = th_csv_field(csv, cm);
    int ci = th_class_table_lookup(classes, cls);
    if (!*mode || !strcmp(cls, "bus") || (ci >= 0 && classes->cls[ci].kind != TH_CLASS_PASSENGER)) continue;
    const char *m = !strcmp(mode, "car") || !strcmp(mode, "truck") ? "road" : mode;
    double *n = g_hash_table_lookup(chose, m);
    if (!n) {
      n = g_new0(double, 2);
      g_hash_table_insert(chose, g_strdup(m), n);
    }
    n[0]++;
    if (strcmp(th_csv_field(csv, cs), "arrived")) n[1]++;
  }
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  g_autoptr(GHashTable) said = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < obs->obs->len; i++) {
    const ThObservation *x = &g_array_index(obs->obs, ThObservation, i);
    if (x->type != TH_OBS_MODE_SHARE || g_hash_table_contains(said, x->cls)) continue;
    g_hash_table_add(said, x->cls);
    const double *n = g_hash_table_lookup(chose, x->cls);
    if (n && n[0] > 0 && n[1] > 0.05 * n[0])
      g_string_append_printf(report,
                             "  NOT SERVED: %.1f %% of the passenger trips that chose %s did not arrive "
                             "(%.0f of %.0f in the run's sample: runs full, stranded or stuck); a share "
                             "is of choices, so the fitted share overstates the journeys made\n",
                             100 * n[1] / n[0], x->cls, n[1], n[0]);
  }
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

/* The per-OD factors of EST over the prior CLASSES, written as
 * OUT_DIR/od_factors.csv for [demand] od_factors (sim/od-factors.h):
 * estimated / prior road vehicles per class and cell, times the factor the
 * scenario SC already had there; the scenario's other factor rows are
 * carried over. SC then takes the file as its [demand] od_factors. The
 * prior's vehicles before and after go to *BEFORE_N and *AFTER_N. */
static gboolean odme_write_factors(ThScenario *sc, GArray *classes, const ThOdmeResult *est,
                                   const ThNetwork *net, const ThClassTable *tcls,
                                   const char *out_dir, double *before_n, double *after_n,
                                   GError **error) {
  g_autoptr(ThOdFactors) old = NULL;
  g_autofree char *old_path = th_scenario_string(sc, "demand", "od_factors");
  if (old_path && *old_path && !(old = th_od_factors_read(old_path, net, tcls, error)))
    return FALSE;
  g_autoptr(GString) fcsv = g_string_new("origin,destination,factor,class\n");
  g_autoptr(GHashTable) written = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  *before_n = *after_n = 0;
  char bo[32], bd[32], num[64];
  for (guint k = 0; k < classes->len; k++) {
    const CalClass *cc = &g_array_index(classes, CalClass, k);
    const ThOdTable *p = cc->od, *q = est->od[k];
    int ci = th_class_table_lookup(tcls, cc->name);
    for (int z = 0; z < p->n_zones; z++)
      for (int i = p->origin_start[z]; i < p->origin_start[z + 1]; i++) {
        if (!(p->trips[i] > 0)) continue;
        int dz = p->dest[i];
        double f0 = old ? th_od_factors_get(old, ci, z, dz) : 1.0;
        double f = q->trips[i] / p->trips[i] * f0;
        *before_n += p->trips[i];
        *after_n += q->trips[i];
        g_hash_table_add(written, g_strdup_printf("%s,%d,%d", cc->name, z, dz));
        if (f == f0 && !old) continue;
        g_ascii_formatd(num, sizeof num, "%.6g", f);
        th_csv_append_field(fcsv, th_network_zone_label(net, z, bo));
        g_string_append_c(fcsv, ',');
        th_csv_append_field(fcsv, th_network_zone_label(net, dz, bd));
        g_string_append_printf(fcsv, ",%s,", num);
        th_csv_append_field(fcsv, cc->name);
        g_string_append_c(fcsv, '\n');
      }
  }
  if (old && !carry_factor_rows(old_path, net, tcls, written, fcsv, error)) return FALSE;
  g_autofree char *fp = g_build_filename(out_dir, "od_factors.csv", NULL);
  if (!th_atomic_write(fp, fcsv->str, fcsv->len, error)) return FALSE;
  g_autofree char *fabs_path = g_canonicalize_filename(fp, NULL);
  return th_scenario_set(sc, "demand.od_factors", fabs_path, error);
}

/* Step 4 (when there are road traffic counts): ODME for a scenario. The
 * prior is the road vehicles of the last run (RUN_DIR/trips_out.csv: trips
 * whose mode was road, departing in the counts' period, expanded to the
 * whole demand, freight trips by their trucks); it is estimated from the
 * counts on static assignment (capacities x the period's hours, routes by
 * time as the engine drives them; each count's static target is the count
 * x static / simulated flow of the prior, so that the static model's bias
 * on a link does not become a demand change), and the estimate is written
 * as per-OD factors (estimated / prior vehicles per class and cell, times
 * the scenario's own factor there) to OUT/od_factors.csv, which SC then
 * takes as [demand] od_factors (sim/od-factors.h: every trip of the cell
 * and class, whatever its mode and departure); SC is run (runs/odme) and
 * that run is validated. *APPLIED is FALSE when nothing was estimated. */
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
  /* per-OD factors, written as od_factors.csv for [demand] od_factors */
  double before_n, after_n;
  if (!odme_write_factors(sc, classes, est, net, w->classes, o->out_dir, &before_n, &after_n, error))
    return FALSE;
  g_string_append_printf(report,
                         "  ODME (Spiess 1990) on the road vehicles of the counts' period: %d assignments, "
                         "objective %.6g -> %.6g; %.0f road vehicles -> %.0f (%+.1f %%), written as "
                         "per-OD factors to od_factors.csv ([demand] od_factors of calibrated.ini)\n",
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
  if (!run_and_validate(sc, o, "odme", NULL, NULL, &sum, mod, error)) return FALSE;
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
  if (o.max_iterations <= 0) o.max_iterations = 8;
  if (!(o.share_tolerance > 0)) o.share_tolerance = 0.01;
  {
    g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, error);
    if (!w || !cal_check_observations(w->net, w->services, w->hubs, &o, error)) return FALSE;
    /* the study area as the scenario reads it ([demand] internal_zones:
     * ids, ranges or names), as zone ids as written */
    GError *ie = NULL;
    g_autofree guint8 *inside = th_scenario_internal_zones(sc, w->net, &ie);
    if (ie) {
      g_propagate_error(error, ie);
      return FALSE;
    }
    internal = cal_internal_labels(w->net, inside);
  }
  if (!o.internal) o.internal = internal;
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
  gboolean beta_fitted = demand_ini->len > 0;
  int dist_runs = 0;
  if (!beta_fitted && !fit_distribution(sc, &o, &mod, demand_ini, report, &dist_runs, not_met, error))
    return FALSE;
  for (guint i = 0; beta_fitted && i < o.obs->obs->len; i++)
    if (g_array_index(o.obs->obs, ThObservation, i).type == TH_OBS_TRIP_LENGTH_SHARE) {
      g_string_append(report, "  trip length distributions are validated, not fitted (the "
                              "mean_trip_min targets fit beta)\n");
      break;
    }
  /* 3. mode constants */
  int runs = 0;
  if (!fit_constants(sc, &o, beta_fitted, &mod, choice_ini, report, &runs, not_met, error))
    return FALSE;
  /* 4. the matrix to the road counts */
  gboolean odme_applied = FALSE;
  {
    g_autofree char *last = runs > 0       ? g_strdup_printf("iteration-%d", runs)
                            : dist_runs ? g_strdup("distribution")
                                          : g_strdup("before");
    g_autofree char *run_dir = g_build_filename(o.out_dir, "runs", last, NULL);
    if (!report_unserved(run_dir, o.obs, report, error)) return FALSE;
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
                         scenario_path, o.obs->path, runs + dist_runs, sc->name, sc->name, o.obs->path, sc->path);
  if (odme_applied)
    g_string_append(demand_ini, "# the demand estimated from the counts (ODME), as per-OD factors\n"
                                "od_factors = od_factors.csv\n");
  if (demand_ini->len) g_string_append_printf(ini, "\n[demand]\n%s", demand_ini->str);
  if (choice_ini->len) g_string_append_printf(ini, "\n[choice]\n%s", choice_ini->str);
  g_autofree char *ip = g_build_filename(o.out_dir, "calibrated.ini", NULL);
  if (!th_atomic_write(ip, ini->str, ini->len, error)) return FALSE;
  th_validation_print(stdout, "before:", &before);
  th_validation_print(stdout, "after:", &fin);
  printf("calibration (%d runs after the first):\n%s", runs + dist_runs, report->str);
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

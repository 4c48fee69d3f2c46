/* validation.c: GEH, fit statistics and calibration update rules
 * (validation.h). */
#include "sim/validation.h"

#include <math.h>
#include <string.h>

double th_geh(double m, double c) {
  double s = m + c;
  if (!(s > 0)) return 0;
  return sqrt(2.0 * (m - c) * (m - c) / s);
}

void th_fit_stats(int n, const double *m, const double *c, const double *hours, ThFitStats *out) {
  *out = (ThFitStats){.n = n, .rmse_pct = NAN, .r2 = NAN, .slope = NAN};
  if (n <= 0) return;
  double sse = 0, sm = 0, sc = 0, smc = 0, scc = 0, smm = 0;
  int g5 = 0, g10 = 0;
  for (int i = 0; i < n; i++) {
    double h = hours ? hours[i] : 1.0;
    double geh = th_geh(m[i] / h, c[i] / h);
    g5 += geh < 5;
    g10 += geh < 10;
    sse += (m[i] - c[i]) * (m[i] - c[i]);
    sm += m[i];
    sc += c[i];
    smc += m[i] * c[i];
    scc += c[i] * c[i];
    smm += m[i] * m[i];
  }
  out->share_geh5 = (double)g5 / n;
  out->share_geh10 = (double)g10 / n;
  out->observed_total = sc;
  out->modelled_total = sm;
  if (sc > 0) out->rmse_pct = 100.0 * sqrt(sse / n) / (sc / n);
  if (scc > 0) out->slope = smc / scc;
  if (n >= 2) {
    double cov = smc - sm * sc / n, vm = smm - sm * sm / n, vc = scc - sc * sc / n;
    if (vm > 0 && vc > 0) out->r2 = cov * cov / (vm * vc);
  }
}

gboolean th_fit_geh_passes(const ThFitStats *fit) { return fit->n > 0 && fit->share_geh5 > 0.85; }

double th_asc_update(double asc, double target, double model) {
  if (!(target > 0) || !(model > 0)) return NAN;
  return asc + log(target / model);
}

double th_beta_update(double beta, double model_mean, double target_mean) {
  if (!(model_mean > 0) || !(target_mean > 0)) return NAN;
  return beta * model_mean / target_mean;
}

gboolean th_obs_is_traffic(const ThObservation *o) {
  return (o->type == TH_OBS_LINK_COUNT || o->type == TH_OBS_SCREENLINE) &&
         strcmp(o->cls, "tonnes") != 0 && strcmp(o->cls, "passengers") != 0 &&
         strcmp(o->cls, "trains") != 0;
}

double th_obs_hours(const ThObservation *o) { return (double)(o->end_s - o->start_s) / 3600.0; }

double th_coincidence_ratio(int n, const double *p, const double *q) {
  double lo = 0, hi = 0;
  for (int i = 0; i < n; i++) {
    lo += fmin(p[i], q[i]);
    hi += fmax(p[i], q[i]);
  }
  return hi > 0 ? lo / hi : NAN;
}

int th_tld_groups(const ThObserved *obs, int *group) {
  int n = (int)obs->obs->len, ng = 0;
  g_autofree int *first = g_new(int, n + 1); /* per group: its first observation */
  for (int i = 0; i < n; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    group[i] = -1;
    if (o->type != TH_OBS_TRIP_LENGTH_SHARE) continue;
    for (int g = 0; g < ng && group[i] < 0; g++) {
      const ThObservation *f = &g_array_index(obs->obs, ThObservation, first[g]);
      if (f->market == o->market && f->band_km == o->band_km && !strcmp(f->period, o->period))
        group[i] = g;
    }
    if (group[i] < 0) {
      first[ng] = i;
      group[i] = ng++;
    }
  }
  return ng;
}

double th_tld_coincidence(const ThObserved *obs, const double *modelled, const int *group, int g) {
  int n = (int)obs->obs->len, k = 0;
  g_autofree double *p = g_new(double, n + 1), *q = g_new(double, n + 1);
  for (int i = 0; i < n; i++) {
    if (group[i] != g || isnan(modelled[i])) continue;
    p[k] = g_array_index(obs->obs, ThObservation, i).value;
    q[k++] = modelled[i];
  }
  return k ? th_coincidence_ratio(k, p, q) : NAN;
}

void th_validation_summarize(const ThObserved *obs, const double *modelled,
                             ThValidationSummary *s) {
  *s = (ThValidationSummary){0};
  int n = (int)obs->obs->len;
  g_autofree double *m = g_new(double, n + 1), *c = g_new(double, n + 1), *h = g_new(double, n + 1);
  int k = 0;
  for (int i = 0; i < n; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    double x = modelled[i];
    if (isnan(x)) {
      s->n_missing++;
      continue;
    }
    switch (o->type) {
    case TH_OBS_LINK_COUNT:
      if (!th_obs_is_traffic(o)) {
        s->n_other++;
        break;
      }
      m[k] = x;
      c[k] = o->value;
      h[k++] = th_obs_hours(o);
      break;
    case TH_OBS_SCREENLINE:
      s->n_screenlines++;
      if (o->value > 0 ? fabs(x - o->value) <= 0.05 * o->value : x == 0)
        s->screenlines_within_5pct++;
      break;
    case TH_OBS_MODE_SHARE: {
      double d = 100.0 * fabs(x - o->value);
      s->n_shares++;
      if (d > s->max_share_diff_pts) s->max_share_diff_pts = d;
      break;
    }
    default:
      s->n_other++;
      break;
    }
  }
  th_fit_stats(k, m, c, h, &s->counts);
  g_autofree int *group = g_new(int, n + 1);
  int ng = th_tld_groups(obs, group);
  s->min_coincidence = NAN;
  for (int g = 0; g < ng; g++) {
    double cr = th_tld_coincidence(obs, modelled, group, g);
    if (isnan(cr)) continue;
    s->n_distributions++;
    if (isnan(s->min_coincidence) || cr < s->min_coincidence) s->min_coincidence = cr;
  }
}

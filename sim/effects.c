/* effects.c: paired effects over replications (see effects.h). */
#include "sim/effects.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double th_mean_se(const double *x, int n, double *se) {
  double sum = 0;
  int m = 0;
  for (int k = 0; k < n; k++)
    if (!isnan(x[k])) {
      sum += x[k];
      m++;
    }
  double mean = m > 0 ? sum / m : NAN;
  if (se) {
    double ss = 0;
    for (int k = 0; k < n; k++)
      if (!isnan(x[k])) ss += (x[k] - mean) * (x[k] - mean);
    *se = m >= 2 ? sqrt(ss / (m - 1) / m) : NAN;
  }
  return mean;
}

void th_paired_effect(const double *base, const double *scenario, int n, ThPairedEffect *out) {
  double sb = 0, ss = 0, sd = 0;
  int m = 0;
  for (int k = 0; k < n; k++) {
    if (isnan(base[k]) || isnan(scenario[k])) continue;
    sb += base[k];
    ss += scenario[k];
    sd += scenario[k] - base[k];
    m++;
  }
  out->n = m;
  out->base_mean = m ? sb / m : NAN;
  out->scenario_mean = m ? ss / m : NAN;
  out->effect = m ? sd / m : NAN;
  out->se = out->ci_low = out->ci_high = NAN;
  out->significant = FALSE;
  if (m < 2) return;
  double var = 0;
  gboolean all_same = TRUE;
  double first = NAN;
  for (int k = 0; k < n; k++) {
    if (isnan(base[k]) || isnan(scenario[k])) continue;
    double d = scenario[k] - base[k];
    if (isnan(first)) first = d;
    else if (d != first) all_same = FALSE;
    var += (d - out->effect) * (d - out->effect);
  }
  /* identical differences: no spread, whatever rounding the mean carries */
  if (all_same) {
    out->effect = first;
    out->se = 0;
    out->ci_low = out->ci_high = first;
    out->significant = first != 0;
    return;
  }
  out->se = sqrt(var / (m - 1) / m);
  double t = gsl_cdf_tdist_Pinv(0.975, m - 1);
  out->ci_low = out->effect - t * out->se;
  out->ci_high = out->effect + t * out->se;
  out->significant = out->ci_low > 0 || out->ci_high < 0;
}

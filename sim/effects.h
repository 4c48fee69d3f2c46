/* effects.h: how sure an effect is, from replications.
 *
 * compare runs the base and each scenario with the same N seeds (common
 * random numbers: replication k draws the demand and every agent's choices
 * from the same seed in both), so the noise of the draw largely cancels in
 * the difference of a pair. The effect of a scenario on an indicator is the
 * mean of the paired differences d_k = scenario_k - base_k, and its 95 %
 * interval is the paired t interval
 *     mean(d) +/- t(0.975, N - 1) x sd(d) / sqrt(N)
 * (Law, "Simulation Modeling and Analysis", 5th ed., section 10.2.1, the
 * paired-t confidence interval). The effect is significant when the interval
 * excludes 0. A pair in which either value is NaN (an indicator undefined in
 * that run) is left out. With fewer than 2 usable pairs there is no interval
 * (NaN bounds, not significant). When every difference is the same (a
 * timetable's train-km, or a scenario identical to the base) the interval
 * has zero width: significant exactly when that difference is not 0. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int n;               /* pairs used */
  double base_mean;    /* mean of the base values over those pairs */
  double scenario_mean;
  double effect;       /* mean of scenario - base */
  double se;           /* standard error of the effect, sd(d) / sqrt(n); NaN when n < 2 */
  double ci_low, ci_high; /* 95 % paired t interval; NaN when n < 2 */
  gboolean significant;   /* the interval excludes 0 */
} ThPairedEffect;

/* The paired effect of SCENARIO[k] against BASE[k], k < N. O(N). */
void th_paired_effect(const double *base, const double *scenario, int n, ThPairedEffect *out);

/* Mean of the non-NaN values of X[0..N) and, through SE (may be NULL), its
 * standard error sd / sqrt(n) (NaN when fewer than 2 values). NaN mean when
 * no value is a number. O(N). */
double th_mean_se(const double *x, int n, double *se);

G_END_DECLS

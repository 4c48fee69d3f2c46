/* validation.h: the statistics of model validation and the update rules of
 * calibration (the models; scenarios/ runs them in loops, output/ writes
 * them).
 *
 * GEH (Geoffrey E. Havers, 1970s; UK TAG unit M3.1 §3.3), of a modelled
 * hourly flow M against an observed hourly flow C:
 *   GEH = sqrt(2 (M - C)^2 / (M + C))          (0 when M + C = 0)
 * taihang applies it to the mean hourly flows of the observation's period
 * (value / hours of the period; a day is 24 h), as TAG defines it for
 * hourly flows; a daily count is therefore judged on its mean hour.
 * Over n counts c_i with modelled m_i:
 *   RMSE %  = 100 sqrt(sum (m_i - c_i)^2 / n) / (sum c_i / n)
 *   R^2     = squared Pearson correlation of m and c
 *   slope   = sum m_i c_i / sum c_i^2 (least squares through the origin)
 * Guideline criteria reported (TAG M3.1 tables 1-3): GEH < 5 for more than
 * 85 % of counts; screenline totals within 5 % of the counts for all
 * screenlines; and the usual scatter criteria R^2 >= 0.9, slope 0.9-1.1.
 *
 * Calibration rules:
 *   mode constants (Ben-Akiva & Lerman 1985 §7; the standard iterative
 *   correction): asc_m += ln(target share_m / model share_m), the choice
 *   scale left alone; converged when every share is within the tolerance;
 *   gravity deterrence (Hyman 1969's iteration for a target mean cost):
 *   beta_new = beta x (model mean trip cost / target mean trip cost).
 * Trip length distributions (trip_length_share bands of one market, unit
 * and period) are compared by the coincidence ratio
 *   CR = sum_b min(p_b, q_b) / sum_b max(p_b, q_b)
 * of the observed and modelled shares per band (1: the same distribution,
 * 0: no overlap; a common measure of trip length fit, e.g. the UK DMRB
 * vol. 12 and the US FHWA calibration manuals, with 0.7 or more usually
 * sought). */
#pragma once
#include "sim/observed.h"

#include <glib.h>

G_BEGIN_DECLS

/* GEH of hourly flows M (modelled) and C (observed), both >= 0. O(1). */
double th_geh(double modelled, double observed);

/* Fit of N (modelled, observed) pairs. */
typedef struct {
  int n;
  double share_geh5, share_geh10; /* of the N, 0..1 (GEH on the given values) */
  double rmse_pct;                /* NAN when the observed mean is 0 */
  double r2, slope;               /* NAN when undefined (n < 2, constant values) */
  double observed_total, modelled_total;
} ThFitStats;

/* Statistics of MODELLED against OBSERVED (N each; HOURS[i] > 0 converts
 * pair i to hourly flows for its GEH, NULL: 1). O(N). */
void th_fit_stats(int n, const double *modelled, const double *observed, const double *hours,
                  ThFitStats *out);

/* TAG M3.1 criteria on FIT: GEH < 5 for more than 85 %. */
gboolean th_fit_geh_passes(const ThFitStats *fit);

/* The next mode constant: ASC + ln(TARGET / MODEL). When TARGET or MODEL is
 * 0 the constant cannot reach it; returns NAN (the caller says so). O(1). */
double th_asc_update(double asc, double target_share, double model_share);

/* The next gravity deterrence: BETA x MODEL_MEAN / TARGET_MEAN (both > 0),
 * else NAN. O(1). */
double th_beta_update(double beta, double model_mean, double target_mean);

/* The coincidence ratio of shares P and Q over N bands (above); NAN when
 * every share is 0. O(N). */
double th_coincidence_ratio(int n, const double *p, const double *q);

/* The trip length distributions of OBS: GROUP[i] (n observations) gets the
 * distribution index of observation i (its market, unit and period), or -1
 * when it is not a trip_length_share. Returns the number of distributions.
 * O(observations x distributions). */
int th_tld_groups(const ThObserved *obs, int *group);

/* The coincidence ratio of distribution G (th_tld_groups) between the
 * observed values and MODELLED (its bands with a NAN figure left out); NAN
 * when none has one. O(observations). */
double th_tld_coincidence(const ThObserved *obs, const double *modelled, const int *group, int g);

/* TRUE for a link count or screenline of road traffic (vehicles, pcu or a
 * class): what GEH and the fit statistics are for. Counts of tonnes,
 * passengers and trains are compared, not put through GEH (a few trains an
 * hour always give a small GEH, whatever the error). */
gboolean th_obs_is_traffic(const ThObservation *o);

/* Hours of an observation's period (24 for a day). */
double th_obs_hours(const ThObservation *o);

/* What a validation found, over the observations of OBS with their
 * MODELLED values (NAN: the results have no such figure; left out). */
typedef struct {
  ThFitStats counts;          /* link_count rows of road traffic (th_obs_is_traffic) */
  int n_screenlines, screenlines_within_5pct;
  int n_shares;
  double max_share_diff_pts;  /* largest |model - observed| share, percentage points */
  int n_distributions;        /* trip length distributions with a modelled figure */
  double min_coincidence;     /* their smallest coincidence ratio (NAN: none) */
  int n_other;                /* boardings, hub tonnes, trip means, counts of tonnes,
                               * passengers or trains: compared */
  int n_missing;              /* observations the results cannot answer */
} ThValidationSummary;

/* Fills S. O(observations). */
void th_validation_summarize(const ThObserved *obs, const double *modelled, ThValidationSummary *s);

G_END_DECLS

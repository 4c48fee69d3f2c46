/* appraisal-csv.h: the [appraisal] values of a parameter set, and
 * appraisal.csv, the cost-benefit appraisal of a comparison over its
 * replications (sim/appraisal.h), as `taihang compare` writes it:
 *
 *   scenario,item,class,purpose,unit,replications,mean,ci_low,ci_high,significant
 *
 * One row per project and item: time (one row per class and purpose of the
 * base: class and purpose filled, purpose empty for trips without one),
 * vehicle_operating, co2, daily_benefit (yuan a day), annual_benefit (yuan
 * in the opening year), and, for a project with a capital or operating
 * cost, pv_benefits, pv_residual, pv_costs, npv (yuan), bcr (ratio), eirr
 * (fraction). mean is the mean over the replications of the appraisal of
 * replication k's project against replication k's base; ci_low and ci_high
 * its 95 % interval (empty with one replication); significant is true when
 * the interval excludes the break-even value (0 for money, 1 for the BCR,
 * the discount rate for the EIRR). Numbers: yuan with 2 decimals, ratios
 * and fractions with 6; no locale. Written atomically. */
#pragma once
#include "sim/appraisal.h"

G_BEGIN_DECLS

/* [appraisal] KEY of PARAMS (NULL: none) as a number, else the parameter
 * table's default (sim/params.h), NAN for a key without one. */
double th_appraisal_param_value(GKeyFile *params, const char *key);

/* The value of time of a cell under PARAMS (th_appraisal_cell_vot with the
 * keys vot_purpose_PURPOSE_per_h and vot_CLASS_per_h). */
double th_appraisal_vot_value(GKeyFile *params, const char *cls, const char *purpose,
                              gboolean freight, double class_vot);

/* The project and prices of PARAMS. Returns TRUE when the project is
 * appraised: it has a capital or operating cost. */
gboolean th_appraisal_from_params(GKeyFile *params, ThAppraisalProject *project,
                                  ThAppraisalPrices *prices);

/* The appraisal of one project in each of N_REPS replications. */
typedef struct {
  const char *scenario; /* key (results folder name) */
  int n_reps;
  int n_cells; /* the base's cells (replication 0): class and purpose */
  const ThAppraisalCell *cells;
  const double *time_cell;             /* n_reps x n_cells: time benefit, yuan a day */
  const ThAppraisalBenefits *benefits; /* n_reps */
  gboolean appraised;               /* the project has a cost: RESULTS and DISCOUNT_RATE are used */
  const ThAppraisalResult *results; /* n_reps */
  double discount_rate;
} ThAppraisalReps;

/* Writes appraisal.csv for the N projects P to PATH. TH_ERROR_IO on failure
 * (nothing left). O(n x reps x cells). */
gboolean th_appraisal_write_csv(const char *path, const ThAppraisalReps *p, int n, GError **error);

G_END_DECLS

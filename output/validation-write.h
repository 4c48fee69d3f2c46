/* validation-write.h: the files and the screen summary of a validation
 * (sim/validation.h): the comparison table, the summary against guideline
 * criteria, and the scatter plot of counts.
 *
 * validation.csv: type,id,period,class,observed,modelled,difference,
 *   difference_pct,geh,source, one row per observation in file order;
 *   modelled empty when the results cannot answer it; geh for link counts
 *   and screenlines of vehicles (on mean hourly flows of the period; not
 *   for tonnes, passengers or trains).
 * validation_summary.csv: measure,value,criterion,passes.
 * The scatter plot (PNG): mean hourly flow observed (x) against modelled (y)
 * of every link count (circles) and screenline (squares) of vehicles, the
 * 1:1 line, the GEH < 5 and 5-10 bands, points
 * coloured by GEH, a legend and the fit statistics. Same inputs, same bytes. */
#pragma once
#include "sim/validation.h"

#include <stdio.h>

G_BEGIN_DECLS

/* Writes validation.csv to PATH atomically. MODELLED has one value per
 * observation (NAN: none). TH_ERROR_IO on failure. O(observations). */
gboolean th_validation_write_csv(const char *path, const ThObserved *obs, const double *modelled,
                                 GError **error);

/* Writes validation_summary.csv to PATH atomically. */
gboolean th_validation_write_summary(const char *path, const ThValidationSummary *s,
                                     GError **error);

/* Draws the scatter plot of the counts and screenlines of OBS to PATH (PNG, 1000 x 1000
 * px) with TITLE. A plot without counts says so in its middle. */
gboolean th_validation_write_scatter(const char *path, const ThObserved *obs,
                                     const double *modelled, const ThValidationSummary *s,
                                     const char *title, GError **error);

/* The one-screen summary: counts, GEH, RMSE, R^2, slope, screenlines, mode
 * shares, each with its criterion and PASS/FAIL. */
void th_validation_print(FILE *out, const char *label, const ThValidationSummary *s);

G_END_DECLS

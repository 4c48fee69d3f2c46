/* report.h: the planner's report of a comparison (`taihang report`): one
 * self-contained HTML file and the same content as an A4 PDF.
 *
 * Input: a folder written by `taihang compare` (summary.csv, od_delta.csv,
 * accessibility.csv, co2_factors.csv and one results folder per scenario,
 * each with run.ini, params.ini, trips_out.csv, services_out.csv,
 * hubs_out.csv and network/), optionally effects.csv (replications: 95%
 * intervals per indicator) and a validation_summary.csv (from `taihang
 * validate`). Missing optional files are said so in the report, never
 * invented.
 *
 * Contents, in this order: a summary table (one line per project, its main
 * effects with 95% intervals when there are replications, effects that are
 * not significant marked as such), charts (mode shares, door-to-door time
 * changes per market, accessibility per zone, vehicle-hours and -km,
 * freight tonne-km by mode, hubs, load factors, CO2), the flow and
 * difference maps of `taihang map`, a cost-benefit appraisal per project
 * (sim/appraisal.h), the base's validation statistics when present, and the
 * model's assumptions generated from run.ini and params.ini.
 *
 * This is the one entry point to the report: every use of cairo and pango
 * for it sits behind th_report_write (charts in output/chart.c, HTML in
 * output/report-html.c, PDF in output/report-pdf.c), so the renderer can
 * move into a module loaded on first use without touching the command.
 *
 * Determinism: the clock is never read (the date printed is the one given),
 * charts and maps are drawn unhinted, and the PDF's creation date is the
 * given date, so the same inputs and options give byte-identical files. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *html_path;       /* NULL: no HTML */
  const char *pdf_path;        /* NULL: no PDF */
  const char *lang;            /* "zh" (default) or "en" */
  const char *date;            /* YYYY-MM-DD printed on the title and in the PDF; NULL: none */
  const char *validation_path; /* validation_summary.csv; NULL: COMPARE_DIR's, if any */
} ThReportOptions;

/* Reads COMPARE_DIR and writes the report files of OPTS (atomically: on
 * error none is left). TH_ERROR_INVALID when COMPARE_DIR is not a compare
 * folder (no summary.csv) or a scenario of summary.csv has no results
 * folder, TH_ERROR_PARSE with FILE:LINE for malformed tables (effects.csv
 * with other columns, a number that is not one), TH_ERROR_IO on write
 * failures. On return (success or not) the fonts are released as
 * th_map_release_fonts does. O(trips + od pairs + links x maps). */
gboolean th_report_write(const char *compare_dir, const ThReportOptions *opts, GError **error);

G_END_DECLS

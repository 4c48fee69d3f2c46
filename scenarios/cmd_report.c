/* cmd_report.c: `taihang report COMPARE_DIR --out report.html [--pdf report.pdf]`:
 * the planner's report of a comparison (output/report.h). */
#include "network/th-error.h"
#include "output/report.h"
#include "scenarios/cli.h"

#include <stdio.h>
#include <string.h>

/* YYYY-MM-DD with a real month and day */
static gboolean valid_date(const char *s) {
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return FALSE;
  return g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

int th_cmd_report(int argc, char **argv) {
  g_autofree char *out = NULL, *pdf = NULL, *lang = NULL, *date = NULL, *validation = NULL;
  GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "HTML file to write (self-contained)", "FILE"},
      {"pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, "also write the report as an A4 PDF", "FILE"},
      {"lang", 0, 0, G_OPTION_ARG_STRING, &lang, "zh (default) or en", "LANG"},
      {"date", 0, 0, G_OPTION_ARG_STRING, &date,
       "date printed on the report (default none: the report never reads the clock)",
       "YYYY-MM-DD"},
      {"validation", 0, 0, G_OPTION_ARG_FILENAME, &validation,
       "validation_summary.csv of the base (default: COMPARE_DIR's, if any)", "FILE"},
      {NULL}};
  if (!th_cli_parse("report", "COMPARE_DIR --out report.html [--pdf report.pdf]",
                    "Writes the planner's report of a comparison: summary, charts, maps,\n"
                    "cost-benefit appraisal, validation and assumptions (HTML, PDF).",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage("report", "expected one COMPARE_DIR (written by taihang compare)");
  if (!out && !pdf) return th_cli_usage("report", "--out FILE (or --pdf FILE) is required");
  if (lang && strcmp(lang, "zh") && strcmp(lang, "en"))
    return th_cli_usage("report", "--lang '%s' is not zh or en", lang);
  if (date && !valid_date(date))
    return th_cli_usage("report", "--date '%s' is not a date YYYY-MM-DD", date);
  ThReportOptions o = {out, pdf, lang, date, validation};
  g_autoptr(GError) error = NULL;
  if (!th_report_write(argv[1], &o, &error)) return th_cli_fail("report", error);
  printf("report: %s%s%s\n", out ? out : "", out && pdf ? ", " : "", pdf ? pdf : "");
  return TH_EXIT_OK;
}

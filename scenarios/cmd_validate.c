/* cmd_validate.c: `taihang validate RESULTS --observed FILE.csv`: compares a
 * results folder of `run` (or the flows CSV of `assign --flows`) with
 * observations (sim/observed.h) and writes validation.csv,
 * validation_summary.csv and validation.png (output/validation-write.h). */
#include "network/csv.h"
#include "network/th-error.h"
#include "output/map.h"
#include "output/validation-read.h"
#include "output/validation-write.h"
#include "scenarios/calibrate.h"
#include "scenarios/cli.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#define NAME "validate"

int th_cmd_validate(int argc, char **argv) {
  g_autofree char *observed = NULL, *screen = NULL, *out = NULL, *internal_s = NULL, *title = NULL;
  GOptionEntry entries[] = {
      {"observed", 0, 0, G_OPTION_ARG_FILENAME, &observed,
       "observations CSV type,id,period,class,value,source (required)", "FILE"},
      {"screenlines", 0, 0, G_OPTION_ARG_FILENAME, &screen, "screenlines CSV screenline,link_id",
       "FILE"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
       "folder for validation.csv, validation_summary.csv, validation.png (default: "
       "RESULTS/validation for a results folder)", "DIR"},
      {"internal-zones", 0, 0, G_OPTION_ARG_STRING, &internal_s,
       "study-area zone ids as written for markets, e.g. 1-18;25 or Z3;Z4 (default: every zone)", "LIST"},
      {"title", 0, 0, G_OPTION_ARG_STRING, &title, "title of the scatter plot", "TEXT"},
      {NULL}};
  if (!th_cli_parse(NAME, "RESULTS --observed FILE.csv [--screenlines FILE.csv] [--out DIR]",
                    "Compare a results folder of `taihang run` (or the --flows CSV of `taihang\n"
                    "assign`) with observed counts, line and stop boardings, hub tonnes, mode\n"
                    "shares, mean trip times and trip length distributions: GEH, RMSE, R2, slope,\n"
                    "screenlines, coincidence ratios, against the TAG M3.1 criteria.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage(NAME, "expected one results folder or flows file");
  if (!observed) return th_cli_usage(NAME, "--observed FILE.csv is required");
  const char *res = argv[1];
  if (!out) {
    if (!g_file_test(res, G_FILE_TEST_IS_DIR))
      return th_cli_usage(NAME, "--out DIR is required for a flows file");
    out = g_build_filename(res, "validation", NULL);
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(ThObserved) obs = th_observed_read(observed, &error);
  if (!obs) return th_cli_fail(NAME, error);
  g_autoptr(ThScreenlines) sl = NULL;
  if (screen && !(sl = th_screenlines_read(screen, &error))) return th_cli_fail(NAME, error);
  g_autoptr(ThModelSource) src = th_model_source_open(res, &error);
  if (!src) return th_cli_fail(NAME, error);
  g_autoptr(GHashTable) internal = NULL;
  if (internal_s && !(internal = th_calib_parse_zone_list(internal_s, &error)))
    return th_cli_fail(NAME, error);
  g_autofree double *mod = th_model_source_values(src, obs, sl, internal, &error);
  if (!mod) return th_cli_fail(NAME, error);
  ThValidationSummary sum;
  th_validation_summarize(obs, mod, &sum);
  gboolean written = th_calib_write_validation(out, "validation", obs, mod, &sum, title, &error);
  th_map_release_fonts(); /* fontconfig's caches, so leak checkers see only ours */
  if (!written) return th_cli_fail(NAME, error);
  g_autofree char *label = g_strdup_printf("taihang validate: %s against %s (%u observations)", res,
                                           observed, obs->obs->len);
  th_validation_print(stdout, label, &sum);
  printf("  wrote %s/validation.csv, validation_summary.csv, validation.png\n", out);
  return TH_EXIT_OK;
}

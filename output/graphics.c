/* graphics.c: the cairo-free fronts of the graphics module's entry points
 * and its loader (see graphics.h). */
#include "output/graphics.h"
#include "network/module.h"
#include "network/th-error.h"
#include "output/map.h"
#include "output/report.h"
#include "output/validation-write.h"

#include <string.h>

typedef gboolean (*MapWrite)(const char *, const char *, const ThResults *, const ThResults *,
                             const ThMapOptions *, ThMapLayout *, GError **);
typedef void (*ReleaseFonts)(void);
typedef gboolean (*ReportWrite)(const char *, const ThReportOptions *, GError **);
typedef gboolean (*ScatterWrite)(const char *, const ThObserved *, const double *,
                                 const ThValidationSummary *, const char *, GError **);

/* the entries, in the order of names[] below */
enum { MAP_WRITE, RELEASE_FONTS, REPORT_WRITE, SCATTER_WRITE, N_ENTRIES };

static const char *const entry_names[N_ENTRIES] = {
    "th_graphics_map_write", "th_graphics_map_release_fonts", "th_graphics_report_write",
    "th_graphics_validation_write_scatter"};
static gpointer entry[N_ENTRIES];
static ThModule graphics_module = TH_MODULE(
    TH_GRAPHICS_MODULE, "output", "libth-graphics.so",
    "drawing needs the graphics module (cairo, pango, libpng)", entry_names, N_ENTRIES, entry);

/* The module's entries, loading it on the first call; FALSE with
 * TH_ERROR_IO when it does not load. */
static gboolean open_module(GError **error) { return th_module_load(&graphics_module, error); }

gboolean th_graphics_loaded(void) { return th_module_is_loaded(&graphics_module); }

gboolean th_map_mode_parse(const char *s, ThMapMode *out) {
  static const char *const names[] = {"all", "road", "rail", "freight"};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    if (s && strcmp(s, names[i]) == 0) {
      *out = (ThMapMode)i;
      return TRUE;
    }
  return FALSE;
}

gboolean th_map_metric_parse(const char *s, ThMapMetric *out) {
  static const char *const names[] = {"vehicles", "passengers", "tonnes", "v/c"};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    if (s && strcmp(s, names[i]) == 0) {
      *out = (ThMapMetric)i;
      return TRUE;
    }
  if (s && strcmp(s, "vc") == 0) {
    *out = TH_MAP_METRIC_VC;
    return TRUE;
  }
  return FALSE;
}

gboolean th_map_write(const char *png_path, const char *svg_path, const ThResults *r,
                      const ThResults *base, const ThMapOptions *opts, ThMapLayout *layout,
                      GError **error) {
  return open_module(error) &&
         ((MapWrite)entry[MAP_WRITE])(png_path, svg_path, r, base, opts, layout, error);
}

void th_map_release_fonts(void) {
  if (th_graphics_loaded()) ((ReleaseFonts)entry[RELEASE_FONTS])();
}

gboolean th_report_write(const char *compare_dir, const ThReportOptions *opts, GError **error) {
  return open_module(error) && ((ReportWrite)entry[REPORT_WRITE])(compare_dir, opts, error);
}

gboolean th_validation_write_scatter(const char *path, const ThObserved *obs,
                                     const double *modelled, const ThValidationSummary *s,
                                     const char *title, GError **error) {
  return open_module(error) &&
         ((ScatterWrite)entry[SCATTER_WRITE])(path, obs, modelled, s, title, error);
}

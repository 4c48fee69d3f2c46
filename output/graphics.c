/* graphics.c: the loader of libth-graphics.so and the cairo-free fronts of
 * its entry points (see graphics.h). */
#include "output/graphics.h"
#include "network/module.h"

#include <string.h>

static ThModule graphics_module = TH_MODULE_INIT(
    TH_GRAPHICS_MODULE, "output/libth-graphics.so", "drawing needs the graphics module (cairo, pango)");

gpointer th_graphics_symbol(const char *name, GError **error) {
  return th_module_symbol(&graphics_module, name, error);
}

gboolean th_graphics_loaded(void) { return th_module_loaded(&graphics_module); }

/* ---- map.h fronts ---- */

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
  ThGraphicsMapWrite fn = (ThGraphicsMapWrite)th_graphics_symbol("th_graphics_map_write", error);
  return fn && fn(png_path, svg_path, r, base, opts, layout, error);
}

void th_map_release_fonts(void) {
  if (!th_graphics_loaded()) return;
  ThGraphicsReleaseFonts fn = (ThGraphicsReleaseFonts)th_graphics_symbol("th_graphics_release_fonts", NULL);
  if (fn) fn();
}

/* graphics.c: the loader of libth-graphics.so and the cairo-free fronts of
 * its entry points (see graphics.h). */
#include "output/graphics.h"
#include "network/th-error.h"

#include <gmodule.h>
#include <string.h>

static GMutex lock;
static GModule *module;
static char *failure;

static GModule *open_module(GError **error) {
  g_mutex_lock(&lock);
  if (!module && !failure) {
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    g_autofree char *beside = dir ? g_build_filename(dir, "output", "libth-graphics.so", NULL) : NULL;
    const char *tries[] = {TH_GRAPHICS_MODULE, beside};
    GString *why = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(tries) && !module; i++) {
      if (!tries[i] || (i > 0 && !g_strcmp0(tries[i], tries[0]))) continue;
      GModule *m = g_module_open(tries[i], G_MODULE_BIND_LOCAL);
      if (m) {
        g_module_make_resident(m);
        module = m;
      } else {
        g_string_append_printf(why, "%s%s", why->len ? "; " : "", g_module_error());
      }
    }
    if (!module) failure = g_string_free(g_steal_pointer(&why), FALSE);
    else g_string_free(why, TRUE);
  }
  GModule *m = module;
  if (!m)
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "drawing needs the graphics module libth-graphics.so (cairo, pango), which did "
                "not load (%s); rebuild with ninja -C build",
                failure);
  g_mutex_unlock(&lock);
  return m;
}

gpointer th_graphics_symbol(const char *name, GError **error) {
  GModule *m = open_module(error);
  if (!m) return NULL;
  gpointer sym = NULL;
  if (!g_module_symbol(m, name, &sym) || !sym) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "the graphics module libth-graphics.so has no %s (%s)",
                name, g_module_error());
    return NULL;
  }
  return sym;
}

gboolean th_graphics_loaded(void) {
  g_mutex_lock(&lock);
  gboolean l = module != NULL;
  g_mutex_unlock(&lock);
  return l;
}

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

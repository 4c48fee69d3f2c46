/* geojson-load.c: the front of the GeoJSON module libth-geojson.so
 * (geojson.c, which needs json-glib): th_geojson_write loads it on first
 * use, so that commands writing no GeoJSON start without json-glib, GIO
 * and the libraries GIO brings (issue 16). */
#include "network/module.h"
#include "network/th-error.h"
#include "output/geojson.h"

#include <string.h>

typedef gboolean (*WriteFunc)(const ThResults *r, const char *path, GError **error);

char *th_geojson_nodes_path(const char *path) {
  static const char *const ext[] = {".geojson", ".json"};
  for (gsize i = 0; i < G_N_ELEMENTS(ext); i++)
    if (g_str_has_suffix(path, ext[i]) && strlen(path) > strlen(ext[i]))
      return g_strdup_printf("%.*s-nodes%s", (int)(strlen(path) - strlen(ext[i])), path, ext[i]);
  return g_strdup_printf("%s-nodes.geojson", path);
}

/* The module: where the build put it (TH_GEOJSON_MODULE), else beside the
 * program in output/. Loaded once. */
gboolean th_geojson_write(const ThResults *r, const char *path, GError **error) {
  static GMutex lock;
  static WriteFunc fn;
  static char *failure;
  g_mutex_lock(&lock);
  if (!fn && !failure) {
    static const char *const names[] = {"th_geojson_module_write"};
    gpointer sym = NULL;
    if (th_module_open(TH_GEOJSON_MODULE, "output", "libth-geojson.so", names, &sym, 1, &failure))
      fn = (WriteFunc)sym;
  }
  WriteFunc f = fn;
  g_mutex_unlock(&lock);
  if (!f) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "GeoJSON export needs the module libth-geojson.so, which did not load (%s); "
                "rebuild with ninja -C build",
                failure);
    return FALSE;
  }
  return f(r, path, error);
}

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
static const char *const names[] = {"th_geojson_module_write"};
static gpointer sym[1];
static ThModule geojson_module = TH_MODULE(TH_GEOJSON_MODULE, "output", "libth-geojson.so",
                                           "GeoJSON export needs the module", names, 1, sym);

gboolean th_geojson_write(const ThResults *r, const char *path, GError **error) {
  return th_module_load(&geojson_module, error) && ((WriteFunc)sym[0])(r, path, error);
}

/* export-results.c: results-folder exporters (see export-results.h). */
#include "output/export-results.h"
#include "output/geojson.h"
#include "output/gpkg.h"
#include "output/matrix-csv.h"
#include "output/omx.h"
#include "output/results-read.h"

gboolean th_export_geojson(const char *source, const ThNetwork *net, const char *file,
                           GError **error) {
  g_autoptr(ThResults) r = th_results_read(source, error);
  return r && th_geojson_write(r, file, error);
}

gboolean th_export_omx(const char *source, const ThNetwork *net, const char *file, GError **error) {
  g_autoptr(ThResults) r = th_results_read(source, error);
  if (!r) return FALSE;
  g_autoptr(ThOdTimeMatrices) t = th_od_time_matrices_read(r, error);
  return t && th_omx_write(t, file, error);
}

gboolean th_export_matrix_dir(const char *source, const ThNetwork *net, const char *dir,
                              GError **error) {
  g_autoptr(ThResults) r = th_results_read(source, error);
  if (!r) return FALSE;
  g_autoptr(ThOdTimeMatrices) t = th_od_time_matrices_read(r, error);
  int n = 0;
  return t && th_matrix_csv_write(t, dir, &n, error);
}

gboolean th_export_gpkg(const char *source, const ThNetwork *net, const char *file, GError **error) {
  g_autoptr(ThResults) r = th_results_read(source, error);
  return r && th_gpkg_write(r, file, error);
}

/* gpkg-gdal.c: the GDAL half of the GeoPackage export, built as the module
 * libth-gpkg.so and loaded on the first GeoPackage file (gpkg.c), so that no
 * other command loads GDAL and its hundred-odd libraries at start-up.
 *
 * Determinism: GeoPackage stores a last_change time per layer; GDAL takes
 * it from OGR_CURRENT_DATE when set, which we fix, so the same results give
 * the same bytes. */
#include "output/gpkg-layer.h"

#include <gdal.h>
#include <glib.h>
#include <gmodule.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>

G_MODULE_EXPORT int th_gpkg_module_write(const ThGpkgLayer *layers, int n_layers, const char *path,
                                         char **err);

static int fail(char **err, const char *what) {
  *err = g_strdup_printf("%s (GDAL: %s)", what, CPLGetLastErrorMsg());
  return 0;
}

static int write_layer(GDALDatasetH ds, OGRSpatialReferenceH srs, const ThGpkgLayer *L,
                       char **err) {
  OGRLayerH lay =
      GDALDatasetCreateLayer(ds, L->name, srs, L->line ? wkbLineString : wkbPoint, NULL);
  if (!lay) return fail(err, "cannot create a layer");
  for (int k = 0; k < L->n_fields; k++) {
    OGRFieldType t = L->field_type[k] == TH_GPKG_INT ? OFTInteger64
                     : L->field_type[k] == TH_GPKG_REAL ? OFTReal : OFTString;
    OGRFieldDefnH fd = OGR_Fld_Create(L->field_name[k], t);
    OGRErr e = OGR_L_CreateField(lay, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE) return fail(err, "cannot create a field");
  }
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lay);
  for (int f = 0; f < L->n_features; f++) {
    OGRFeatureH ft = OGR_F_Create(defn);
    for (int k = 0; k < L->n_fields; k++) {
      size_t i = (size_t)f * L->n_fields + k;
      if (L->field_type[k] == TH_GPKG_TEXT) {
        if (L->text[i]) OGR_F_SetFieldString(ft, k, L->text[i]);
        else OGR_F_SetFieldNull(ft, k);
      } else if (!isfinite(L->num[i])) {
        OGR_F_SetFieldNull(ft, k);
      } else if (L->field_type[k] == TH_GPKG_INT) {
        OGR_F_SetFieldInteger64(ft, k, (GIntBig)llround(L->num[i]));
      } else {
        OGR_F_SetFieldDouble(ft, k, L->num[i]);
      }
    }
    int a = L->pt_start[f], b = L->pt_start[f + 1];
    if (b > a) {
      OGRGeometryH g = OGR_G_CreateGeometry(L->line ? wkbLineString : wkbPoint);
      if (L->line)
        for (int p = a; p < b; p++) OGR_G_AddPoint_2D(g, L->xy[2 * p], L->xy[2 * p + 1]);
      else
        OGR_G_SetPoint_2D(g, 0, L->xy[2 * a], L->xy[2 * a + 1]);
      OGR_F_SetGeometryDirectly(ft, g);
    }
    OGRErr e = OGR_L_CreateFeature(lay, ft);
    OGR_F_Destroy(ft);
    if (e != OGRERR_NONE) return fail(err, "cannot write a feature");
  }
  return 1;
}

int th_gpkg_module_write(const ThGpkgLayer *layers, int n_layers, const char *path, char **err) {
  CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
  GDALAllRegister();
  GDALDriverH drv = GDALGetDriverByName("GPKG");
  if (!drv) return fail(err, "GDAL has no GPKG driver");
  GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
  if (!ds) return fail(err, "cannot create the GeoPackage");
  OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
  OSRImportFromEPSG(srs, 4326);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  int ok = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
  if (!ok) fail(err, "cannot start a transaction");
  for (int i = 0; ok && i < n_layers; i++) ok = write_layer(ds, srs, &layers[i], err);
  if (ok && GDALDatasetCommitTransaction(ds) != OGRERR_NONE) ok = fail(err, "cannot commit");
  OSRDestroySpatialReference(srs);
  GDALClose(ds);
  return ok;
}

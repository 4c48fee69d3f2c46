/* gpkg-layer.h: the plain description of a GeoPackage layer that gpkg.c
 * builds from results and the GDAL module (gpkg-gdal.c, libth-gpkg.so)
 * writes. Plain arrays only, so the module needs nothing of taihang. */
#pragma once

typedef enum { TH_GPKG_INT, TH_GPKG_REAL, TH_GPKG_TEXT } ThGpkgType;

typedef struct {
  const char *name;              /* layer name: "nodes", "links", "zones" */
  int line;                      /* geometry: 0 points, 1 line strings */
  int n_features, n_fields;
  const char *const *field_name; /* n_fields */
  const ThGpkgType *field_type;  /* n_fields */
  const double *num;             /* n_features * n_fields, row-major; INT and REAL; NAN = null */
  char *const *text;             /* n_features * n_fields, row-major; TEXT; NULL = null */
  const int *pt_start;           /* n_features + 1: feature f has points pt_start[f] ..< pt_start[f+1] */
  const double *xy;              /* lon, lat pairs (WGS84 degrees) */
} ThGpkgLayer;

/* The module's one function: writes the layers as a new GeoPackage at PATH
 * (which must not exist and must end in .gpkg). FALSE with *ERR (g_free)
 * on failure. */
typedef int (*ThGpkgWriteFunc)(const ThGpkgLayer *layers, int n_layers, const char *path,
                               char **err);

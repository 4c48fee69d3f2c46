/* export-results.h: the results-folder formats of `taihang export`, with the
 * exporter signature of scenarios/cmd_export.c (SOURCE is the results
 * folder; NET is unused, the folder carries its own network).
 * Bad input (missing folder, another network, no od_times.csv) is
 * TH_ERROR_INVALID/PARSE, so the command exits 2 and writes nothing. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* GeoJSON of links (with flows) and nodes: see geojson.h. */
gboolean th_export_geojson(const char *source, const ThNetwork *net, const char *file,
                           GError **error);
/* GeoPackage with layers nodes, links (with flows) and zones: see gpkg.h. */
gboolean th_export_gpkg(const char *source, const ThNetwork *net, const char *file, GError **error);
/* OMX 0.2 travel-time, distance and cost matrices: see omx.h. */
gboolean th_export_omx(const char *source, const ThNetwork *net, const char *file, GError **error);
/* Wide matrix CSVs into folder DIR: see matrix-csv.h. */
gboolean th_export_matrix_dir(const char *source, const ThNetwork *net, const char *dir,
                              GError **error);

G_END_DECLS

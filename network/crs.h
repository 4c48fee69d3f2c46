/* crs.h: coordinate reference systems at the edge, through PROJ.
 *
 * Inside taihang every coordinate is WGS84 longitude/latitude in degrees
 * (network.h). A GMNS dataset may give its coordinates in another system
 * (config.csv `crs`: an EPSG code such as 3735 or "EPSG:32650", or any
 * definition PROJ accepts); the reader converts them once with these
 * functions, and the writer converts them back so that a folder keeps its
 * own CRS. Axis order is always x = easting/longitude, y = northing/latitude
 * (PROJ's "visualization" order), whatever the CRS's official order is. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct ThCrs ThCrs;

/* TRUE when TEXT names WGS84 longitude/latitude itself (empty, "4326",
 * "EPSG:4326", "WGS84", "CRS84"): no conversion is needed. */
gboolean th_crs_is_wgs84(const char *text);

/* A conversion between the CRS named by TEXT and WGS84. A bare number is
 * read as an EPSG code. NULL with TH_ERROR_INVALID (message: what PROJ
 * said) when PROJ does not know TEXT. */
ThCrs *th_crs_new(const char *text, GError **error);
void th_crs_free(ThCrs *crs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThCrs, th_crs_free)

/* Converts (X, Y) in the CRS to WGS84 (*LON, *LAT) degrees. FALSE when
 * PROJ cannot (the point lies outside the CRS's domain). O(1). */
gboolean th_crs_to_wgs84(const ThCrs *crs, double x, double y, double *lon, double *lat);
/* Converts WGS84 (LON, LAT) back to the CRS's (*X, *Y). */
gboolean th_crs_from_wgs84(const ThCrs *crs, double lon, double lat, double *x, double *y);

/* Converts every point of a WKT "LINESTRING [Z] (x y[ z], ...)" with
 * th_crs_to_wgs84 (TO_WGS84) or th_crs_from_wgs84, printing each coordinate
 * with DIGITS decimals; NULL when the text is not such a line string or a
 * point cannot be converted. Caller frees. O(points). */
char *th_crs_linestring(const ThCrs *crs, const char *wkt, gboolean to_wgs84, int digits);

G_END_DECLS

/* gpkg.h: a results folder as a GeoPackage for QGIS and ArcGIS, through
 * GDAL (loaded as the module libth-gpkg.so on the first GeoPackage file).
 *
 * Three layers in WGS84 (EPSG:4326):
 *   nodes  (points): node_id, name, node_type, zone_id
 *   links  (line strings: the link's geometry or the straight segment):
 *          link_id, from_node_id, to_node_id, name, facility_type,
 *          allowed_uses, length_km, free_speed_kmh, capacity_vph (null =
 *          unlimited), lanes, toll, vehicles, pcu, passengers, tonnes (of
 *          the whole demand: the sample's divided by the sample factor),
 *          sample_factor, vehicles_sample, pcu_sample, passengers_sample,
 *          tonnes_sample (as simulated),
 *          vc (peak volume / capacity as on the maps, null off the road)
 *   zones  (points at the zone's node): zone_id, node_id, name, population,
 *          gdp, jobs
 * Ids are written as the network's files wrote them (text ids as text).
 * Same results, same bytes (GeoPackage's time stamps are fixed). */
#pragma once
#include "output/results-read.h"

G_BEGIN_DECLS

/* Writes R to PATH (a .gpkg file, replaced atomically: written beside it
 * and renamed). TH_ERROR_IO on failure (the module missing, GDAL failing).
 * O(nodes + links * points). */
gboolean th_gpkg_write(const ThResults *r, const char *path, GError **error);

G_END_DECLS

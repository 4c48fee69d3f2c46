/* geojson.h: a results folder as GeoJSON (RFC 7946) for QGIS and kepler.gl.
 *
 * Two FeatureCollections, one geometry type each (a mixed layer makes OGR
 * report "Geometry: Unknown"): FILE holds every link as a LineString (its
 * WKT geometry, or straight between its nodes) with its attributes in
 * planner units and its daily flows by group; FILE-nodes.geojson (see
 * th_geojson_nodes_path) every node with coordinates as a Point (zones,
 * towns, stations and hubs carry their names; node_type tells them apart).
 * Ids are numbers, or the text of the network's files when its ids are text.
 * Coordinates are WGS84 longitude, latitude as in the network files, written
 * with 17 significant digits so they read back exactly. Missing values
 * (unlimited capacity, a v/c without capacity) are null.
 *
 * Properties of a link feature: feature ("link"), link_id, from_node_id,
 * to_node_id, name, facility_type, allowed_uses, length_km, free_speed_kmh,
 * capacity_vph, lanes, toll, cost_per_tkm, source, vehicles, pcu, passengers,
 * tonnes (totals), vehicles_G, passengers_G, tonnes_G for each group G of
 * ThFlowGroup (car, truck, bus, rail_passenger, rail_freight, intercity,
 * hsr), vc (peak volume/capacity, see th_results_vc), and the sample counts
 * vehicles_sample, pcu_sample, passengers_sample, tonnes_sample. Counts
 * without _sample are expanded to the whole demand (the sample's counts x
 * th_results_expansion), as vc is, so flows and vc agree.
 * Properties of a node feature: feature ("node"), node_id, name, node_type,
 * zone_id, population, gdp, jobs.
 *
 * The writer (geojson.c, json-glib) is the module libth-geojson.so, loaded
 * by th_geojson_write on first use (geojson-load.c); if it does not load,
 * th_geojson_write fails with TH_ERROR_IO naming it. */
#pragma once
#include "output/results-read.h"

G_BEGIN_DECLS

/* Writes R's links as GeoJSON to PATH and its nodes to
 * th_geojson_nodes_path(PATH), each file atomically (nodes first).
 * TH_ERROR_IO on failure. O(nodes + links * points). */
gboolean th_geojson_write(const ThResults *r, const char *path, GError **error);

/* The nodes file beside PATH: "flows.geojson" -> "flows-nodes.geojson"
 * (also for .json; any other name gets "-nodes.geojson" appended). */
char *th_geojson_nodes_path(const char *path);

G_END_DECLS

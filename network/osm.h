/* osm.h: a taihang (GMNS) network from OpenStreetMap.
 *
 * PBF files (.osm.pbf) are read with readosm (Debian libreadosm-dev): a
 * small C library with one callback API for PBF and XML, and no C++ in the
 * build. libosmium is faster on whole countries and handles more formats,
 * but it is a C++ header library: it would bring a C++ compiler and a
 * wrapper file into a C project, for extracts of a county or a province
 * that readosm reads in seconds. XML files (.osm) go through GLib's GMarkup
 * into the same callbacks instead of readosm's XML path: readosm 1.1.0
 * leaves its expat parser allocated on every XML error, and GMarkup names
 * the line of a problem (FILE:LINE). Problems of the OSM data itself (a
 * maxspeed that is not a speed) are counted and reported, not fatal, as
 * real OSM data always has some.
 *
 * What is imported:
 * - Roads: ways with a `highway` value listed in the class table (motorway
 *   ... residential and the _link roads; paths, tracks and service roads
 *   are not); `oneway` (yes/true/1, -1/reverse; motorways and
 *   roundabouts are one-way unless oneway=no), `lanes` (of a two-way road
 *   split evenly, at least 1 each way; lanes:forward/lanes:backward when
 *   given), `maxspeed` (km/h, or "N mph"). Missing values come from the
 *   class table; capacity = capacity_per_lane_vph x lanes. Ways with
 *   access or motor_vehicle = no or private are left out (counted);
 *   route relations are not read.
 * - Turn restrictions (relations type=restriction with restriction or
 *   restriction:VEHICLE = no_* or only_*; members from, via, to) are read
 *   but not applied: taihang's network has no turns (a node joins every link
 *   in to every link out, in the engine and in the path searches), so they
 *   are a warning list: one note counts them and turn_restrictions.csv
 *   lists each (relation, restriction, from way, via node or way, to way,
 *   whether the via node is a node of the network, applied = no).
 * - Railways: railway=rail, by `highspeed=yes` (mode hsr) or `usage`
 *   (main, branch, industrial), speed from `maxspeed` or the table; both
 *   directions, capacity unlimited. Stations: nodes with railway=station or
 *   railway=halt, at their rail node (or the nearest rail node within
 *   1 km when the station is drawn beside the tracks), node_type station,
 *   joined to the nearest kept road node by a connector pair.
 * - Degree-2 nodes merged: consecutive pieces of road or rail with the same
 *   attributes become one link whose WKT geometry keeps every shape point;
 *   links end only at junctions, way ends where attributes change,
 *   stations and zone attachment points.
 * - The largest strongly connected road component is kept; road links
 *   outside it are dropped and reported (count and length).
 * - Zones: from a centroid file (zone_id, name, x_coord, y_coord and
 *   optional population, gdp, jobs: as node.csv), each a zone node joined
 *   to its nearest kept road node by a connector pair (great-circle length,
 *   30 km/h). Zone node ids are the zone ids; other nodes keep their OSM id.
 * - --bbox W,S,E,N keeps the nodes inside it; ways are cut where they
 *   leave it.
 *
 * The class table (th_osm_default_classes(), editable: write it out, edit,
 * pass it back) holds per tag: facility_type, mode, free speed, lanes per
 * direction and capacity per lane. Its Chinese defaults follow JTG B01-2014
 * 《公路工程技术标准》(design speed of each highway class; basic capacity in
 * pcu/h per lane for expressways and first-class highways, and the two-way
 * basic capacity of second- to fourth-class highways halved per direction).
 * The mapping of OSM classes to highway classes follows the OSM China
 * tagging guideline (motorway = 高速公路, trunk = 国道 mostly 一级, primary =
 * 省道 mostly 二级, secondary = 县道, tertiary = 乡道); residential and the
 * link rows are assumptions, said so in the table's note column. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

typedef struct {
  gboolean has_bbox;
  double west, south, east, north; /* degrees, when has_bbox */
  const char *classes_csv;         /* class table file, or NULL for the defaults */
  const char *zones_csv;           /* centroid file (required) */
} ThOsmOptions;

typedef struct {
  ThNetwork *net;            /* the network (finalized) */
  int n_ways_road, n_ways_rail;
  double ways_road_km;       /* summed length of the road ways read (inside the bbox) */
  double net_road_km;        /* road length of the network, each road counted once */
  double dropped_road_km;    /* road length outside the largest strongly connected component */
  int dropped_road_links;    /* links (one direction each) dropped */
  int n_components;          /* strongly connected road components found */
  int n_stations, n_zones;
  double max_connector_m;    /* longest zone connector */
  GPtrArray *notes;          /* counts of things read with a default or left out */
  int n_turn_restrictions;   /* relations type=restriction read (none applied) */
  char *turn_restrictions_csv; /* their list (turn_restrictions.csv), or NULL when none */
} ThOsmImport;

void th_osm_import_free(ThOsmImport *imp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThOsmImport, th_osm_import_free)

/* The default class table as CSV text (static; see above for its source). */
const char *th_osm_default_classes(void);

/* Imports PATH (.osm or .pbf). TH_ERROR_IO when the file cannot be read,
 * TH_ERROR_INVALID for a file readosm cannot parse, a class table or zones
 * file with problems (every one, as FILE:LINE: ...), or no road left.
 * O(N + W) to read N nodes and W way nodes (two passes over the file), plus
 * O(Z n) for the nearest road node of Z zones and stations over n nodes. */
ThOsmImport *th_osm_import(const char *path, const ThOsmOptions *options, GError **error);

G_END_DECLS

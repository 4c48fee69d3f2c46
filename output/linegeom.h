/* linegeom.h: the drawn course of a link, in WGS84 degrees.
 *
 * Maps and GeoJSON both need the polyline a link follows: its WKT geometry
 * when the network has one, else the straight segment between its end nodes.
 * Kept in one place so the map and the GeoJSON never disagree. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Parses "LINESTRING (lon lat, lon lat, ...)" (case-insensitive, optional Z
 * values ignored) into a newly allocated array of 2*N doubles
 * (lon0, lat0, lon1, lat1, ...). Returns NULL when TEXT is not such a
 * LINESTRING with at least two finite points. O(length of TEXT). */
double *th_wkt_linestring_parse(const char *text, int *n_points);

/* The polyline of link E of NET as 2*N doubles (caller frees): the WKT
 * geometry when it parses, else the two end nodes. The first and last points
 * are the WKT's own (not snapped to the nodes). Returns NULL (and *n_points 0)
 * only when there is no geometry and an end node has no coordinates. */
double *th_link_polyline(const ThNetwork *net, int e, int *n_points);

G_END_DECLS

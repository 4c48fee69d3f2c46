/* nearest.h: the nearest of a set of WGS84 points, fast.
 *
 * The points are bucketed in a lon/lat grid of about 4 points per cell; a
 * query searches rings of cells around its own until no unvisited cell can
 * hold anything nearer (a lower bound of the great-circle distance from the
 * latitude and longitude gaps). The answer is exactly what a scan of every
 * point gives with th_haversine_m: the nearest, the lowest index on ties.
 * Importers use it to join stops, zones and stations to a network: 10,000
 * stops on a million nodes would take 10^10 distances by scanning. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct ThNearest ThNearest;

/* An index of the points I < N with CAND[I] set (CAND NULL: all) and finite
 * LON[I], LAT[I] (degrees; the arrays are copied). O(N). */
ThNearest *th_nearest_new(const double *lon, const double *lat, int n, const guint8 *cand);
void th_nearest_free(ThNearest *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThNearest, th_nearest_free)

/* Index of the point nearest to (LON, LAT) and its distance in metres in
 * *DIST_M; -1 (and INFINITY) when the index holds no point. About O(1) for
 * a query inside or near the points' extent. */
int th_nearest_find(const ThNearest *g, double lon, double lat, double *dist_m);

G_END_DECLS

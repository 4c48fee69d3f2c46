/* zone-cells.h: zone polygons for choropleth maps when the network has only
 * zone centroids: the Voronoi cell of each centroid clipped to a box.
 *
 * The rule: the cell of site i is the set of points of the box that are at
 * least as near to site i as to any other site (Euclidean distance in the
 * plane of the coordinates given: project lon/lat first, e.g. x = lon x
 * cos(mean lat), y = lat). Sites at the same place share one cell; a site
 * that is not finite, or lies outside the box, may have an empty or a
 * partial cell. Cells are convex polygons, counter-clockwise, without the
 * closing vertex repeated.
 *
 * Computed by clipping the box by the half-plane of every other site
 * (Sutherland-Hodgman on one convex polygon): O(n^2) for n sites, meant for
 * the tens to hundreds of zones of a county model (GEOS would do the same
 * but is a C++ library the report would load at every start-up). */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int n;        /* sites */
  int *off;     /* n + 1 offsets: cell i is vertices off[i] .. off[i+1]-1 */
  double *xy;   /* vertices, x y pairs */
} ThZoneCells;

/* The cells of the N sites (X[i], Y[i]) clipped to BOX = {xmin, ymin, xmax,
 * ymax} (xmin < xmax, ymin < ymax). Deterministic. O(n^2). */
ThZoneCells *th_zone_cells(const double *x, const double *y, int n, const double box[4]);
void th_zone_cells_free(ThZoneCells *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThZoneCells, th_zone_cells_free)

/* The area of cell I (0 when empty), by the shoelace formula. O(vertices). */
double th_zone_cell_area(const ThZoneCells *c, int i);

G_END_DECLS

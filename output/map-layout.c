/* map-layout.c: the map's projection and the geometry of links on it (see
 * map-internal.h). */
#include "output/map-internal.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/linegeom.h"
#include "output/png-write.h"

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---- projection and geometry ---- */

void th_map_project(const ThMapLayout *l, double lon, double lat, double *x, double *y) {
  double d2r = G_PI / 180.0;
  *x = l->cx + (lon - l->lon0) * d2r * EARTH_R * l->coslat0 * l->px_per_m;
  *y = l->cy - (lat - l->lat0) * d2r * EARTH_R * l->px_per_m;
}

void th_map_bbox_add(double *bb, double lon, double lat) {
  if (!isfinite(lon) || !isfinite(lat)) return;
  bb[0] = fmin(bb[0], lon);
  bb[1] = fmin(bb[1], lat);
  bb[2] = fmax(bb[2], lon);
  bb[3] = fmax(bb[3], lat);
}

void th_map_bbox_net(double *bb, const ThNetwork *net) {
  for (int v = 0; v < net->n_nodes; v++)
    th_map_bbox_add(bb, net->lon[v], net->lat[v]);
  for (int e = 0; e < net->n_links; e++) {
    if (!net->link_geometry || !*net->link_geometry[e]) continue;
    int n;
    g_autofree double *p = th_link_polyline(net, e, &n);
    for (int i = 0; i < n; i++)
      th_map_bbox_add(bb, p[2 * i], p[2 * i + 1]);
  }
}

/* Projected polyline of a link with repeated points removed; NULL if it has
 * fewer than two distinct points. */
double *th_map_link_px(const ThMapLayout *l, const ThNetwork *net, int e, int *n_out) {
  int n;
  g_autofree double *p = th_link_polyline(net, e, &n);
  *n_out = 0;
  if (!p) return NULL;
  double *q = g_new(double, 2 * n);
  int k = 0;
  for (int i = 0; i < n; i++) {
    double x, y;
    th_map_project(l, p[2 * i], p[2 * i + 1], &x, &y);
    if (k > 0 && hypot(x - q[2 * k - 2], y - q[2 * k - 1]) < 1e-6) continue;
    q[2 * k] = x;
    q[2 * k + 1] = y;
    k++;
  }
  if (k < 2) {
    g_free(q);
    return NULL;
  }
  *n_out = k;
  return q;
}

/* Path of the polyline P offset by D pixels to the right of its direction
 * (screen coordinates, y down: the right of (dx, dy) is (-dy, dx)), with
 * mitred corners limited to 3 D so sharp bends do not spike. */
void th_map_offset_path(cairo_t *cr, const double *p, int n, double d) {
  for (int i = 0; i < n; i++) {
    double nx = 0, ny = 0;
    int segs[2] = {i - 1, i};
    int cnt = 0;
    double n0x = 0, n0y = 0;
    for (int s = 0; s < 2; s++) {
      int a = segs[s];
      if (a < 0 || a >= n - 1) continue;
      double dx = p[2 * a + 2] - p[2 * a], dy = p[2 * a + 3] - p[2 * a + 1];
      double len = hypot(dx, dy);
      double ux = -dy / len, uy = dx / len;
      if (!cnt) {
        n0x = ux;
        n0y = uy;
      }
      nx += ux;
      ny += uy;
      cnt++;
    }
    double len = hypot(nx, ny);
    double ox, oy;
    if (len < 1e-9) {
      ox = n0x * d;
      oy = n0y * d;
    } else {
      nx /= len;
      ny /= len;
      double c = nx * n0x + ny * n0y; /* cos of half the turn */
      double k = c > 1.0 / 3.0 ? d / c : 3 * d;
      ox = nx * k;
      oy = ny * k;
    }
    if (i == 0)
      cairo_move_to(cr, p[0] + ox, p[1] + oy);
    else
      cairo_line_to(cr, p[2 * i] + ox, p[2 * i + 1] + oy);
  }
}

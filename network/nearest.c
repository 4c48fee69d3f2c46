/* nearest.c: nearest-point queries over a lon/lat grid (see nearest.h). */
#include "network/nearest.h"

#include "network/network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ThNearest {
  double lon0, lat0, cell;
  int nx, ny;
  int *start;         /* nx * ny + 1 */
  int *item;          /* point indices, by cell, in index order */
  double *lon, *lat;  /* copies, by point index */
  double abs_lat_max;
};

ThNearest *th_nearest_new(const double *lon, const double *lat, int n, const guint8 *cand) {
  ThNearest *g = g_new0(ThNearest, 1);
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  int m = 0;
  guint8 *use = g_new0(guint8, n + 1);
  for (int v = 0; v < n; v++) {
    if ((cand && !cand[v]) || !isfinite(lon[v]) || !isfinite(lat[v])) continue;
    use[v] = 1;
    x0 = MIN(x0, lon[v]), x1 = MAX(x1, lon[v]);
    y0 = MIN(y0, lat[v]), y1 = MAX(y1, lat[v]);
    m++;
  }
  if (m == 0) {
    g_free(use);
    return g;
  }
  g->lon = g_memdup2(lon, (gsize)n * sizeof(double));
  g->lat = g_memdup2(lat, (gsize)n * sizeof(double));
  double span = MAX(x1 - x0, y1 - y0);
  g->cell = MAX(sqrt((x1 - x0) * (y1 - y0) * 4.0 / m), MAX(span / 4096, 1e-5));
  g->lon0 = x0, g->lat0 = y0;
  g->nx = (int)((x1 - x0) / g->cell) + 1, g->ny = (int)((y1 - y0) / g->cell) + 1;
  g->abs_lat_max = MAX(fabs(y0), fabs(y1));
  gsize cells = (gsize)g->nx * g->ny;
  g->start = g_new0(int, cells + 1);
  g->item = g_new(int, m);
  int *cell_of = g_new(int, n + 1);
  for (int v = 0; v < n; v++) {
    if (!use[v]) continue;
    int cx = MIN((int)((lon[v] - x0) / g->cell), g->nx - 1);
    int cy = MIN((int)((lat[v] - y0) / g->cell), g->ny - 1);
    cell_of[v] = cy * g->nx + cx;
    g->start[cell_of[v] + 1]++;
  }
  for (gsize c = 0; c < cells; c++) g->start[c + 1] += g->start[c];
  int *fill = g_memdup2(g->start, (cells + 1) * sizeof(int));
  for (int v = 0; v < n; v++) /* counting sort: index order within a cell */
    if (use[v]) g->item[fill[cell_of[v]]++] = v;
  g_free(fill);
  g_free(cell_of);
  g_free(use);
  return g;
}

void th_nearest_free(ThNearest *g) {
  if (!g) return;
  g_free(g->start);
  g_free(g->item);
  g_free(g->lon);
  g_free(g->lat);
  g_free(g);
}

int th_nearest_find(const ThNearest *g, double lon, double lat, double *dist_m) {
  *dist_m = INFINITY;
  if (g->nx == 0) return -1;
  /* th_haversine_m's radius, a hair smaller so that rounding never makes
   * the bound exceed a true distance */
  const double R = 6371008.8 * (1 - 1e-9), d2r = G_PI / 180.0;
  double cos_max_lat = cos(MIN(90.0, MAX(g->abs_lat_max, fabs(lat))) * d2r);
  int cx = CLAMP((int)floor((lon - g->lon0) / g->cell), 0, g->nx - 1);
  int cy = CLAMP((int)floor((lat - g->lat0) / g->cell), 0, g->ny - 1);
  int best = -1;
  double bd = INFINITY;
  for (int r = 0;; r++) {
    /* the ring's cells only: whole top and bottom rows, the two end cells
     * of the rows between (walking the whole square made a long thin grid,
     * 4096 x 1 cells, cost O(r^2) a ring: 14 s for one fuzzed OSM file);
     * the order does not matter, ties go to the lower index */
    for (int y = MAX(cy - r, 0); y <= MIN(cy + r, g->ny - 1); y++) {
      gboolean edge = y == cy - r || y == cy + r;
      for (int x = MAX(cx - r, 0); x <= MIN(cx + r, g->nx - 1);
           x = edge || x >= cx + r ? x + 1 : MAX(cx + r, x + 1)) {
        if (!edge && x != cx - r && x != cx + r) continue;
        int c = y * g->nx + x;
        for (int i = g->start[c]; i < g->start[c + 1]; i++) {
          int v = g->item[i];
          double d = th_haversine_m(lon, lat, g->lon[v], g->lat[v]);
          if (d < bd || (d == bd && v < best)) bd = d, best = v;
        }
      }
    }
    if (cx - r <= 0 && cy - r <= 0 && cx + r >= g->nx - 1 && cy + r >= g->ny - 1) break;
    /* a point outside the searched block is off by at least the latitude
     * gap or the longitude gap; haversine's a = sin^2(dlat/2) + cos(lat1)
     * cos(lat2) sin^2(dlon/2) gives d >= R dlat and
     * d >= 2R asin(cos(max |lat|) sin(dlon/2)) */
    double lat_lo = g->lat0 + (cy - r) * g->cell, lat_hi = g->lat0 + (cy + r + 1) * g->cell;
    double lon_lo = g->lon0 + (cx - r) * g->cell, lon_hi = g->lon0 + (cx + r + 1) * g->cell;
    double gap_lat = MAX(0.0, MIN(lat - lat_lo, lat_hi - lat)) * d2r;
    double gap_lon = MAX(0.0, MIN(lon - lon_lo, lon_hi - lon)) * d2r;
    double bound =
        R * MIN(gap_lat, 2 * asin(fmin(1.0, cos_max_lat * sin(MIN(gap_lon, G_PI) / 2))));
    if (bd < bound) break;
  }
  *dist_m = bd;
  return best;
}

/* zone-cells.c: Voronoi cells of zone centroids clipped to a box (zone-cells.h). */
#include "output/zone-cells.h"

#include <math.h>
#include <string.h>

/* Keeps the part of polygon IN (n vertices) where a x + b y <= c; OUT gets
 * at most n + 1 vertices. Returns the vertex count of OUT. */
static int clip(const double *in, int n, double a, double b, double c, double *out) {
  int m = 0;
  for (int i = 0; i < n; i++) {
    const double *p = in + 2 * i, *q = in + 2 * ((i + 1) % n);
    double fp = a * p[0] + b * p[1] - c, fq = a * q[0] + b * q[1] - c;
    if (fp <= 0) {
      out[2 * m] = p[0], out[2 * m + 1] = p[1], m++;
    }
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      double t = fp / (fp - fq);
      out[2 * m] = p[0] + t * (q[0] - p[0]);
      out[2 * m + 1] = p[1] + t * (q[1] - p[1]);
      m++;
    }
  }
  return m;
}

ThZoneCells *th_zone_cells(const double *x, const double *y, int n, const double box[4]) {
  ThZoneCells *c = g_new0(ThZoneCells, 1);
  c->n = n;
  c->off = g_new0(int, n + 1);
  GArray *xy = g_array_new(FALSE, FALSE, sizeof(double));
  /* a convex cell clipped by k half-planes has at most 4 + k vertices */
  double *a = g_new(double, 2 * (n + 5)), *b = g_new(double, 2 * (n + 5));
  for (int i = 0; i < n; i++) {
    int m = 0;
    if (isfinite(x[i]) && isfinite(y[i])) {
      double box_ccw[8] = {box[0], box[1], box[2], box[1], box[2], box[3], box[0], box[3]};
      memcpy(a, box_ccw, sizeof box_ccw);
      m = 4;
      for (int j = 0; j < n && m > 0; j++) {
        if (j == i || !isfinite(x[j]) || !isfinite(y[j])) continue;
        double dx = x[j] - x[i], dy = y[j] - y[i];
        if (dx == 0 && dy == 0) continue; /* same place: one shared cell */
        /* nearer to i than to j: (p - mid) . (j - i) <= 0 */
        double mx = 0.5 * (x[i] + x[j]), my = 0.5 * (y[i] + y[j]);
        m = clip(a, m, dx, dy, dx * mx + dy * my, b);
        double *t = a;
        a = b, b = t;
      }
    }
    g_array_append_vals(xy, a, (guint)(2 * m));
    c->off[i + 1] = c->off[i] + m;
  }
  g_free(a);
  g_free(b);
  c->xy = (double *)g_array_free(xy, FALSE);
  return c;
}

void th_zone_cells_free(ThZoneCells *c) {
  if (!c) return;
  g_free(c->off);
  g_free(c->xy);
  g_free(c);
}

double th_zone_cell_area(const ThZoneCells *c, int i) {
  int s = c->off[i], e = c->off[i + 1];
  double a = 0;
  for (int k = s; k < e; k++) {
    int l = k + 1 < e ? k + 1 : s;
    a += c->xy[2 * k] * c->xy[2 * l + 1] - c->xy[2 * l] * c->xy[2 * k + 1];
  }
  return 0.5 * a;
}

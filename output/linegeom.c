/* linegeom.c: WKT LINESTRING parsing and link polylines (see linegeom.h). */
#include "output/linegeom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double *th_wkt_linestring_parse(const char *text, int *n_points) {
  *n_points = 0;
  if (!text) return NULL;
  const char *p = text;
  while (*p == ' ' || *p == '\t')
    p++;
  if (g_ascii_strncasecmp(p, "LINESTRING", 10) != 0) return NULL;
  p += 10;
  /* "LINESTRING Z (...)" and "LINESTRING(...)" are both seen in the wild */
  while (*p && *p != '(') {
    if (!strchr(" \tZzMm", *p)) return NULL;
    p++;
  }
  if (*p != '(') return NULL;
  p++;
  g_autoptr(GArray) pts = g_array_new(FALSE, FALSE, sizeof(double));
  for (;;) {
    double v[2];
    for (int k = 0; k < 2; k++) {
      char *end;
      v[k] = g_ascii_strtod(p, &end);
      if (end == p || !isfinite(v[k])) return NULL;
      p = end;
    }
    /* skip a Z or M value */
    while (*p == ' ' || *p == '\t')
      p++;
    while (*p && *p != ',' && *p != ')') {
      char *end;
      g_ascii_strtod(p, &end);
      if (end == p) return NULL;
      p = end;
      while (*p == ' ' || *p == '\t')
        p++;
    }
    g_array_append_vals(pts, v, 2);
    if (*p == ',') {
      p++;
      continue;
    }
    if (*p == ')') break;
    return NULL;
  }
  if (pts->len < 4) return NULL;
  *n_points = (int)pts->len / 2;
  return (double *)g_array_free(g_steal_pointer(&pts), FALSE);
}

double *th_link_polyline(const ThNetwork *net, int e, int *n_points) {
  const char *wkt = net->link_geometry ? net->link_geometry[e] : NULL;
  if (wkt && *wkt) {
    double *pts = th_wkt_linestring_parse(wkt, n_points);
    if (pts) return pts;
  }
  int a = net->link_from[e], b = net->link_to[e];
  *n_points = 0;
  if (!isfinite(net->lon[a]) || !isfinite(net->lat[a]) || !isfinite(net->lon[b]) ||
      !isfinite(net->lat[b]))
    return NULL;
  double *pts = g_new(double, 4);
  pts[0] = net->lon[a];
  pts[1] = net->lat[a];
  pts[2] = net->lon[b];
  pts[3] = net->lat[b];
  *n_points = 2;
  return pts;
}

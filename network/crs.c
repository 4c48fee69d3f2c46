/* crs.c: PROJ behind a three-function interface (crs.h). One PJ context per
 * conversion object, so conversions never share state between threads. */
#include "network/crs.h"
#include "network/th-error.h"

#include <math.h>
#include <proj.h>
#include <string.h>

struct ThCrs {
  PJ_CONTEXT *ctx;
  PJ *pj; /* source CRS -> EPSG:4326, normalized to x = lon, y = lat */
};

gboolean th_crs_is_wgs84(const char *text) {
  if (!text) return TRUE;
  g_autofree char *t = g_strstrip(g_ascii_strdown(text, -1));
  return !*t || !strcmp(t, "4326") || !strcmp(t, "epsg:4326") || !strcmp(t, "wgs84") ||
         !strcmp(t, "wgs 84") || !strcmp(t, "crs84") || !strcmp(t, "ogc:crs84") ||
         !strcmp(t, "urn:ogc:def:crs:ogc:1.3:crs84");
}

ThCrs *th_crs_new(const char *text, GError **error) {
  g_autofree char *t = g_strstrip(g_strdup(text ? text : ""));
  gboolean digits = *t != '\0';
  for (const char *p = t; *p; p++)
    if (!g_ascii_isdigit(*p)) digits = FALSE;
  g_autofree char *def = digits ? g_strdup_printf("EPSG:%s", t) : g_strdup(t);
  ThCrs *c = g_new0(ThCrs, 1);
  c->ctx = proj_context_create();
  proj_log_level(c->ctx, PJ_LOG_NONE);
  PJ *raw = proj_create_crs_to_crs(c->ctx, def, "EPSG:4326", NULL);
  if (raw) {
    c->pj = proj_normalize_for_visualization(c->ctx, raw);
    proj_destroy(raw);
  }
  if (!c->pj) {
    int err = proj_context_errno(c->ctx);
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "crs '%s' is not known to PROJ (%s)", t,
                err ? proj_context_errno_string(c->ctx, err) : "no conversion to WGS84");
    th_crs_free(c);
    return NULL;
  }
  return c;
}

void th_crs_free(ThCrs *c) {
  if (!c) return;
  if (c->pj) proj_destroy(c->pj);
  proj_context_destroy(c->ctx);
  g_free(c);
}

static gboolean trans(const ThCrs *c, PJ_DIRECTION dir, double a, double b, double *x, double *y) {
  PJ_COORD in = proj_coord(a, b, 0, 0);
  PJ_COORD out = proj_trans(c->pj, dir, in);
  if (!isfinite(out.xy.x) || !isfinite(out.xy.y) || out.xy.x == HUGE_VAL) return FALSE;
  *x = out.xy.x;
  *y = out.xy.y;
  return TRUE;
}

gboolean th_crs_to_wgs84(const ThCrs *c, double x, double y, double *lon, double *lat) {
  return trans(c, PJ_FWD, x, y, lon, lat);
}

gboolean th_crs_from_wgs84(const ThCrs *c, double lon, double lat, double *x, double *y) {
  return trans(c, PJ_INV, lon, lat, x, y);
}

char *th_crs_linestring(const ThCrs *c, const char *wkt, gboolean to_wgs84, int digits) {
  const char *p = wkt;
  while (*p == ' ') p++;
  if (g_ascii_strncasecmp(p, "LINESTRING", 10) != 0) return NULL;
  p += 10;
  gboolean z = FALSE;
  while (*p == ' ') p++;
  if ((*p == 'Z' || *p == 'z') && (p[1] == ' ' || p[1] == '(')) {
    z = TRUE;
    p++;
  }
  while (*p == ' ') p++;
  if (*p++ != '(') return NULL;
  g_autoptr(GString) out = g_string_new(z ? "LINESTRING Z (" : "LINESTRING (");
  for (int i = 0;; i++) {
    double v[3];
    int n = 0;
    for (;;) {
      while (*p == ' ') p++;
      char *end;
      double d = g_ascii_strtod(p, &end);
      if (end == p) break;
      if (n < 3) v[n] = d;
      n++;
      p = end;
    }
    if (n < 2 || n > 3) return NULL;
    double x, y;
    if (!(to_wgs84 ? th_crs_to_wgs84(c, v[0], v[1], &x, &y) : th_crs_from_wgs84(c, v[0], v[1], &x, &y)))
      return NULL;
    char bx[G_ASCII_DTOSTR_BUF_SIZE], by[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
    g_snprintf(fmt, sizeof fmt, "%%.%df", digits);
    g_string_append_printf(out, "%s%s %s", i ? ", " : "", g_ascii_formatd(bx, sizeof bx, fmt, x),
                           g_ascii_formatd(by, sizeof by, fmt, y));
    if (n == 3) {
      char bz[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf(out, " %s", g_ascii_dtostr(bz, sizeof bz, v[2]));
    }
    while (*p == ' ') p++;
    if (*p == ',') {
      p++;
      continue;
    }
    if (*p == ')') break;
    return NULL;
  }
  g_string_append_c(out, ')');
  return g_string_free(g_steal_pointer(&out), FALSE);
}

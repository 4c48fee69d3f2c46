/* crs.c: PROJ behind a small interface (crs.h); the PROJ calls are in the
 * module libth-proj.so (crs-proj.c), loaded on the first conversion. */
#include "network/crs.h"
#include "network/module.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

typedef void *(*NewFunc)(const char *def, char **err);
typedef void (*FreeFunc)(void *c);
typedef int (*TransFunc)(const void *c, int forward, double a, double b, double *x, double *y);

/* The module: where the build put it (TH_PROJ_MODULE), else beside the
 * program in network/. Loaded once, on the first CRS that is not WGS84. */
static const char *const proj_names[] = {"th_proj_module_new", "th_proj_module_free",
                                         "th_proj_module_trans"};
static gpointer proj_sym[3];
static ThModule proj_module =
    TH_MODULE(TH_PROJ_MODULE, "network", "libth-proj.so",
              "coordinate conversion needs the PROJ module", proj_names, 3, proj_sym);

static gboolean load_module(GError **error) {
  return th_module_load(&proj_module, error);
}

struct ThCrs {
  void *conv;
};

gboolean th_crs_is_wgs84(const char *text) {
  if (!text) return TRUE;
  g_autofree char *t = g_strstrip(g_ascii_strdown(text, -1));
  return !*t || !strcmp(t, "4326") || !strcmp(t, "epsg:4326") || !strcmp(t, "wgs84") ||
         !strcmp(t, "wgs 84") || !strcmp(t, "crs84") || !strcmp(t, "ogc:crs84") ||
         !strcmp(t, "urn:ogc:def:crs:ogc:1.3:crs84");
}

ThCrs *th_crs_new(const char *text, GError **error) {
  if (!load_module(error)) return NULL;
  g_autofree char *t = g_strstrip(g_strdup(text ? text : ""));
  gboolean digits = *t != '\0';
  for (const char *p = t; *p; p++)
    if (!g_ascii_isdigit(*p)) digits = FALSE;
  g_autofree char *def = digits ? g_strdup_printf("EPSG:%s", t) : g_strdup(t);
  char *err = NULL;
  void *conv = ((NewFunc)proj_sym[0])(def, &err);
  if (!conv) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "crs '%s' is not known to PROJ (%s)", t,
                err ? err : "no conversion to WGS84");
    g_free(err);
    return NULL;
  }
  ThCrs *c = g_new0(ThCrs, 1);
  c->conv = conv;
  return c;
}

void th_crs_free(ThCrs *c) {
  if (!c) return;
  ((FreeFunc)proj_sym[1])(c->conv);
  g_free(c);
}

gboolean th_crs_to_wgs84(const ThCrs *c, double x, double y, double *lon, double *lat) {
  return ((TransFunc)proj_sym[2])(c->conv, 1, x, y, lon, lat);
}

gboolean th_crs_from_wgs84(const ThCrs *c, double lon, double lat, double *x, double *y) {
  return ((TransFunc)proj_sym[2])(c->conv, 0, lon, lat, x, y);
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
    if (!(to_wgs84 ? th_crs_to_wgs84(c, v[0], v[1], &x, &y)
                   : th_crs_from_wgs84(c, v[0], v[1], &x, &y)))
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

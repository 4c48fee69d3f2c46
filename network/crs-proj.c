/* crs-proj.c: the PROJ half of crs.h, built as the module libth-proj.so and
 * loaded on the first coordinate conversion (crs.c), so that commands on
 * WGS84 networks do not load PROJ and the 32 libraries it pulls in
 * (sqlite, curl, tiff, ...): `taihang --version` measured 56 ms against
 * 131 ms with PROJ linked in (load average 19, 30 runs each). One PJ
 * context per conversion object, so conversions never share state between
 * threads. */
#include <glib.h>
#include <gmodule.h>
#include <math.h>
#include <proj.h>

typedef struct {
  PJ_CONTEXT *ctx;
  PJ *pj; /* source CRS -> EPSG:4326, normalized to x = lon, y = lat */
} Conv;

G_MODULE_EXPORT void *th_proj_module_new(const char *def, char **err);
G_MODULE_EXPORT void th_proj_module_free(void *c);
G_MODULE_EXPORT int th_proj_module_trans(const void *c, int forward, double a, double b, double *x,
                                         double *y);

void *th_proj_module_new(const char *def, char **err) {
  Conv *c = g_new0(Conv, 1);
  c->ctx = proj_context_create();
  proj_log_level(c->ctx, PJ_LOG_NONE);
  PJ *raw = proj_create_crs_to_crs(c->ctx, def, "EPSG:4326", NULL);
  if (raw) {
    c->pj = proj_normalize_for_visualization(c->ctx, raw);
    proj_destroy(raw);
  }
  if (!c->pj) {
    int e = proj_context_errno(c->ctx);
    *err = g_strdup(e ? proj_context_errno_string(c->ctx, e) : "no conversion to WGS84");
    th_proj_module_free(c);
    return NULL;
  }
  return c;
}

void th_proj_module_free(void *p) {
  Conv *c = p;
  if (!c) return;
  if (c->pj) proj_destroy(c->pj);
  proj_context_destroy(c->ctx);
  g_free(c);
}

int th_proj_module_trans(const void *p, int forward, double a, double b, double *x, double *y) {
  const Conv *c = p;
  PJ_COORD out = proj_trans(c->pj, forward ? PJ_FWD : PJ_INV, proj_coord(a, b, 0, 0));
  if (!isfinite(out.xy.x) || !isfinite(out.xy.y)) return 0;
  *x = out.xy.x;
  *y = out.xy.y;
  return 1;
}

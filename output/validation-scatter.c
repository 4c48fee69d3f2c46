/* validation-scatter.c: the validation scatter plot
 * (th_validation_write_scatter in validation-write.h), drawn with cairo and
 * pango: part of the graphics module libth-graphics.so (graphics.h), moved
 * here unchanged from validation-write.c. */
#include "output/validation-write.h"

#include "network/th-error.h"
#include "output/png-write.h"

#include <cairo.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>


/* as in validation-write.c */
static gboolean geh_applies(const ThObservation *o) { return th_obs_is_traffic(o); }

/* ---- scatter plot ---- */

/* The report's unhinted text layout (output/chart.c), one copy for every
 * chart; declared here, as chart.h's report-doc.h enumerators clash with
 * this file's names. */
PangoLayout *th_report_layout(cairo_t *cr, const char *text, double px, gboolean bold,
                              double wrap_w);

static PangoLayout *layout(cairo_t *cr, const char *text, double px, gboolean bold) {
  return th_report_layout(cr, text, px, bold, 0);
}

/* Text anchored at (X, Y): AX, AY in 0..1 (0 left/top, 0.5 centre, 1 right/bottom). */
static void text_at(cairo_t *cr, const char *t, double x, double y, double px, gboolean bold,
                    double ax, double ay) {
  PangoLayout *lay = layout(cr, t, px, bold);
  PangoRectangle ink, lg;
  pango_layout_get_extents(lay, &ink, &lg);
  double w = (double)lg.width / PANGO_SCALE, h = (double)lg.height / PANGO_SCALE;
  cairo_move_to(cr, x - ax * w, y - ay * h);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
}

/* A round axis step giving about 5-8 ticks up to MAX. */
static double nice_step(double max) {
  double raw = max / 6, p = pow(10, floor(log10(raw)));
  double f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* The modelled flow at observed C where GEH = G, above (SIGN +1) or below. */
static double geh_edge(double c, double g, int sign) {
  double d = g * g / 4 + sign * sqrt(g * g * g * g / 16 + g * g * c);
  return c + d;
}

/* GEH bands: 5-10 (yellow) under < 5 (green) */
static const double band_g[2] = {10, 5};
static const double band_rgb[2][3] = {{1.0, 0.93, 0.70}, {0.80, 0.93, 0.80}};

/* The plot area: margins L (left) and T (top), width PW and height PH in
 * pixels, both axes from 0 to TOP in ticks of STEP. */
typedef struct {
  cairo_t *cr;
  double L, T, pw, ph;
  double top, step;
} Plot;

static double px(const Plot *p, double v) { return p->L + v / p->top * p->pw; }
static double py(const Plot *p, double v) { return p->T + p->ph - v / p->top * p->ph; }

/* The GEH < 10 and < 5 bands around the 1:1 line, clipped to the plot. */
static void scatter_bands(const Plot *p) {
  cairo_t *cr = p->cr;
  cairo_save(cr);
  cairo_rectangle(cr, p->L, p->T, p->pw, p->ph);
  cairo_clip(cr);
  for (int b = 0; b < 2; b++) {
    int steps = 200;
    cairo_new_path(cr);
    for (int i = 0; i <= steps; i++) {
      double c = p->top * i / steps;
      cairo_line_to(cr, px(p, c), py(p, geh_edge(c, band_g[b], +1)));
    }
    for (int i = steps; i >= 0; i--) {
      double c = p->top * i / steps;
      cairo_line_to(cr, px(p, c), py(p, fmax(0, geh_edge(c, band_g[b], -1))));
    }
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, band_rgb[b][0], band_rgb[b][1], band_rgb[b][2]);
    cairo_fill(cr);
  }
  cairo_restore(cr);
}

/* The grid with its tick labels, the frame and the 1:1 line. */
static void scatter_axes(const Plot *p) {
  cairo_t *cr = p->cr;
  cairo_set_line_width(cr, 1);
  for (double v = 0; v <= p->top + p->step / 2; v += p->step) {
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_move_to(cr, px(p, v), p->T);
    cairo_line_to(cr, px(p, v), p->T + p->ph);
    cairo_move_to(cr, p->L, py(p, v));
    cairo_line_to(cr, p->L + p->pw, py(p, v));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    char lab[32];
    g_snprintf(lab, sizeof lab, "%g", v);
    text_at(cr, lab, px(p, v), p->T + p->ph + 8, 18, FALSE, 0.5, 0);
    text_at(cr, lab, p->L - 10, py(p, v), 18, FALSE, 1, 0.5);
  }
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(cr, 2);
  cairo_rectangle(cr, p->L, p->T, p->pw, p->ph);
  cairo_stroke(cr);
  /* 1:1 line */
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr, 2);
  cairo_move_to(cr, px(p, 0), py(p, 0));
  cairo_line_to(cr, px(p, p->top), py(p, p->top));
  cairo_stroke(cr);
}

/* One point per count (circle) or screenline (square), coloured by GEH. */
static void scatter_points(const Plot *p, const ThObserved *obs, const double *modelled) {
  cairo_t *cr = p->cr;
  for (guint i = 0; i < obs->obs->len; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    if (!geh_applies(o) || isnan(modelled[i])) continue;
    double h = th_obs_hours(o), c = o->value / h, m = modelled[i] / h, g = th_geh(m, c);
    if (g < 5) cairo_set_source_rgb(cr, 0.10, 0.55, 0.20);
    else if (g < 10) cairo_set_source_rgb(cr, 0.90, 0.55, 0.05);
    else cairo_set_source_rgb(cr, 0.80, 0.10, 0.10);
    if (o->type == TH_OBS_SCREENLINE) /* squares */
      cairo_rectangle(cr, px(p, c) - 6, py(p, m) - 6, 12, 12);
    else cairo_arc(cr, px(p, c), py(p, m), 6, 0, 2 * G_PI);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
  }
}

/* The legend, top left inside the plot (the 1:1 line leaves it empty),
 * with the statistics of the counts (S). */
static void scatter_legend(const Plot *p, const ThValidationSummary *s) {
  cairo_t *cr = p->cr;
  double lx = p->L + 20, ly = p->T + 20, lw = 370, lh = 280;
  cairo_set_source_rgba(cr, 1, 1, 1, 0.95);
  cairo_rectangle(cr, lx, ly, lw, lh);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  double y = ly + 14;
  const double row = 30;
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr, 2);
  cairo_move_to(cr, lx + 14, y + 11);
  cairo_line_to(cr, lx + 54, y + 11);
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  text_at(cr, "1:1 (modelled = observed)", lx + 66, y + 11, 18, FALSE, 0, 0.5);
  y += row;
  for (int b = 1; b >= 0; b--) {
    cairo_set_source_rgb(cr, band_rgb[b][0], band_rgb[b][1], band_rgb[b][2]);
    cairo_rectangle(cr, lx + 14, y + 2, 40, 18);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(cr, b == 1 ? "band GEH < 5" : "band GEH 5-10", lx + 66, y + 11, 18, FALSE, 0, 0.5);
    y += row;
  }
  const char *pl[3] = {"count with GEH < 5", "count with GEH 5-10", "count with GEH > 10"};
  const double pc[3][3] = {{0.10, 0.55, 0.20}, {0.90, 0.55, 0.05}, {0.80, 0.10, 0.10}};
  for (int k = 0; k < 3; k++) {
    cairo_set_source_rgb(cr, pc[k][0], pc[k][1], pc[k][2]);
    cairo_arc(cr, lx + 34, y + 11, 6, 0, 2 * G_PI);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(cr, pl[k], lx + 66, y + 11, 18, FALSE, 0, 0.5);
    y += row;
  }
  cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
  cairo_rectangle(cr, lx + 28, y + 5, 12, 12);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  text_at(cr, "square: a screenline (its total)", lx + 66, y + 11, 18, FALSE, 0, 0.5);
  y += row;
  const ThFitStats *f = &s->counts;
  char stats[200];
  if (f->n)
    g_snprintf(stats, sizeof stats,
               "%d counts, GEH < 5: %.0f %% (TAG: > 85 %%)\nR² = %.3f, slope = %.3f", f->n,
               100 * f->share_geh5, f->r2, f->slope);
  else
    g_snprintf(stats, sizeof stats, "no link count (statistics of counts only)");
  text_at(cr, stats, lx + 14, y + 2, 18, TRUE, 0, 0);
}

gboolean th_validation_write_scatter(const char *path, const ThObserved *obs,
                                     const double *modelled, const ThValidationSummary *s,
                                     const char *title, GError **error) {
  const int W = 1000, H = 1000;
  const double L = 110, R = 40, T = 80, B = 100; /* margins */
  double pw = W - L - R, ph = H - T - B;
  int n = (int)obs->obs->len;
  double maxv = 0;
  for (int i = 0; i < n; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    if (!geh_applies(o) || isnan(modelled[i])) continue;
    double h = th_obs_hours(o);
    maxv = fmax(maxv, fmax(o->value / h, modelled[i] / h));
  }
  if (!(maxv > 0)) maxv = 100;
  double step = nice_step(maxv * 1.05);
  double top = ceil(maxv * 1.05 / step) * step;
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  Plot p = {cr, L, T, pw, ph, top, step};
  scatter_bands(&p);
  scatter_axes(&p);
  scatter_points(&p, obs, modelled);
  /* titles */
  cairo_set_source_rgb(cr, 0, 0, 0);
  text_at(cr, title ? title : "Counts and screenlines: observed against modelled", W / 2.0, 20, 26,
          TRUE, 0.5, 0);
  text_at(cr, "observed, vehicles (or pcu) per hour (mean hour of the count's period)", L + pw / 2,
          H - 45, 20, FALSE, 0.5, 0);
  cairo_save(cr);
  cairo_translate(cr, 25, T + ph / 2);
  cairo_rotate(cr, -G_PI / 2);
  text_at(cr, "modelled, vehicles (or pcu) per hour", 0, 0, 20, FALSE, 0.5, 0);
  cairo_restore(cr);
  scatter_legend(&p, s);
  cairo_destroy(cr);
  cairo_surface_flush(surf);
  ThPngText texts[] = {{"Title", title ? title : "validation"}, {"Software", "taihang"}};
  gboolean ok = th_png_write(path, cairo_image_surface_get_data(surf), W, H,
                             cairo_image_surface_get_stride(surf), texts, 2, error);
  cairo_surface_destroy(surf);
  return ok;
}

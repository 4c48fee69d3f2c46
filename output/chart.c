/* chart.c: bar, box and zone charts for the report (see chart.h).
 *
 * Bars are horizontal: category names (often long, often Chinese) read
 * along the bars instead of slanting under them, the way statistical
 * yearbooks print them. */
#include "output/chart.h"

#include <math.h>
#include <string.h>

#define CW 700.0 /* the drawing width in chart units */

typedef struct {
  double r, g, b;
} Rgb;

/* series colours, close to the maps': blue, orange, green, red, purple, teal, brown */
static const Rgb palette[] = {{0.26, 0.45, 0.72}, {0.93, 0.55, 0.17}, {0.33, 0.63, 0.31},
                              {0.84, 0.25, 0.25}, {0.55, 0.38, 0.66}, {0.22, 0.62, 0.64},
                              {0.55, 0.40, 0.26}};
static const Rgb ink = {0.13, 0.15, 0.18}, grey = {0.45, 0.47, 0.50}, grid = {0.86, 0.87, 0.89};

static void rgb(cairo_t *cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }
static Rgb series_colour(int s) { return palette[s % (int)G_N_ELEMENTS(palette)]; }

PangoLayout *th_report_layout(cairo_t *cr, const char *text, double px, gboolean bold,
                              double wrap_w) {
  PangoLayout *lay = pango_cairo_create_layout(cr);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(pango_layout_get_context(lay), fo);
  pango_layout_context_changed(lay);
  cairo_font_options_destroy(fo);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, TH_REPORT_FONT);
  pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(lay, fd);
  pango_font_description_free(fd);
  if (wrap_w > 0) {
    pango_layout_set_width(lay, (int)(wrap_w * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_text(lay, text, -1);
  return lay;
}

/* Text anchored at (X, Y): AX 0 left, 0.5 centre, 1 right; AY the same for
 * top to bottom. Returns the width. Long text is cut to MAX_W with "…". */
static double text(cairo_t *cr, const char *s, double x, double y, double px, gboolean bold,
                   double ax, double ay, Rgb c, double max_w) {
  PangoLayout *lay = th_report_layout(cr, s, px, bold, 0);
  if (max_w > 0) {
    pango_layout_set_width(lay, (int)(max_w * PANGO_SCALE));
    pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
  }
  PangoRectangle lr;
  pango_layout_get_extents(lay, NULL, &lr);
  double w = (double)lr.width / PANGO_SCALE, h = (double)lr.height / PANGO_SCALE;
  if (max_w > 0 && w > max_w) w = max_w;
  rgb(cr, c);
  cairo_move_to(cr, x - ax * w - (double)lr.x / PANGO_SCALE, y - ay * h);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
  return w;
}

static void fmt_value(char *buf, gsize n, double v, gboolean percent) {
  if (percent)
    g_snprintf(buf, n, "%.1f%%", 100 * v);
  else if (fabs(v) >= 100)
    g_snprintf(buf, n, "%.0f", v);
  else if (fabs(v) >= 10)
    g_snprintf(buf, n, "%.1f", v);
  else
    g_snprintf(buf, n, "%.2f", v);
}

/* A "nice" step for about 5 ticks over SPAN. */
static double nice_step(double span) {
  if (!(span > 0)) return 1;
  double raw = span / 5, p = pow(10, floor(log10(raw))), f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

static void axis(cairo_t *cr, double x0, double x1, double ytop, double ybot, double lo, double hi,
                 gboolean percent) {
  double step = nice_step(hi - lo);
  for (double t = ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) {
    double x = x0 + (t - lo) / (hi - lo) * (x1 - x0);
    rgb(cr, fabs(t) < 1e-12 * step ? grey : grid);
    cairo_set_line_width(cr, fabs(t) < 1e-12 * step ? 1.0 : 0.6);
    cairo_move_to(cr, x, ytop);
    cairo_line_to(cr, x, ybot);
    cairo_stroke(cr);
    char buf[32];
    if (fabs(t) < 1e-12 * step) t = 0; /* no "-0" */
    if (percent)
      g_snprintf(buf, sizeof buf, "%.0f%%", 100 * t);
    else
      g_snprintf(buf, sizeof buf, step < 1 ? "%.1f" : "%.0f", fabs(t) < 1e-12 * step ? 0.0 : t);
    text(cr, buf, x, ybot + 3, 9, FALSE, 0.5, 0, grey, 0);
  }
}

/* Legend of the series in one row under the title; returns its height. */
static double legend(cairo_t *cr, const ThChart *c, double y) {
  double x = 150;
  for (int s = 0; s < c->n_ser; s++) {
    rgb(cr, series_colour(s));
    cairo_rectangle(cr, x, y + 2, 10, 10);
    cairo_fill(cr);
    x += 14 + text(cr, c->ser[s], x + 14, y, 10, FALSE, 0, 0, ink, 0) + 14;
  }
  return 18;
}

static double header(cairo_t *cr, const ThChart *c) {
  g_autofree char *t = c->unit && *c->unit && strcmp(c->unit, "%")
                           ? g_strdup_printf("%s (%s)", c->title, c->unit)
                           : g_strdup(c->title);
  text(cr, t, 0, 0, 13, TRUE, 0, 0, ink, CW);
  double y = 22;
  if (c->kind != TH_CHART_ZONES && c->n_ser > 1) y += legend(cr, c, y);
  return y + 4;
}

static void draw_bars(cairo_t *cr, const ThChart *c, double h) {
  double y0 = header(cr, c), yb = h - 16;
  double x0 = 160, x1 = CW - 60;
  double lo = 0, hi = 0;
  for (int k = 0; k < c->n_cat; k++) {
    double pos = 0, neg = 0;
    for (int s = 0; s < c->n_ser; s++) {
      double v = c->v[k * c->n_ser + s];
      if (c->stacked)
        *(v > 0 ? &pos : &neg) += v;
      else
        hi = MAX(hi, v), lo = MIN(lo, v);
    }
    if (c->stacked) hi = MAX(hi, pos), lo = MIN(lo, neg);
  }
  if (hi - lo <= 0) hi = 1;
  if (c->stacked && c->percent && hi > 0.99 && hi < 1.01) hi = 1;
  axis(cr, x0, x1, y0, yb, lo, hi, c->percent);
  double band = (yb - y0) / MAX(c->n_cat, 1);
  for (int k = 0; k < c->n_cat; k++) {
    double yc = y0 + (k + 0.5) * band;
    text(cr, c->cat[k], x0 - 6, yc, 10, k == 0, 1, 0.5, ink, x0 - 10);
    int nb = c->stacked ? 1 : c->n_ser;
    double bh = MIN(band * 0.75 / nb, 16);
    double pos = 0, neg = 0;
    for (int s = 0; s < c->n_ser; s++) {
      double v = c->v[k * c->n_ser + s];
      double a, b, by;
      if (c->stacked) {
        a = v >= 0 ? pos : neg + v;
        b = v >= 0 ? pos + v : neg;
        *(v >= 0 ? &pos : &neg) += v;
        by = yc - bh / 2;
      } else {
        a = MIN(0, v), b = MAX(0, v);
        by = yc - nb * bh / 2 + s * bh;
      }
      double xa = x0 + (a - lo) / (hi - lo) * (x1 - x0), xb = x0 + (b - lo) / (hi - lo) * (x1 - x0);
      rgb(cr, series_colour(s));
      cairo_rectangle(cr, xa, by, xb - xa, bh * (c->stacked ? 1 : 0.9));
      cairo_fill(cr);
      char buf[32];
      fmt_value(buf, sizeof buf, v, c->percent);
      if (c->stacked && xb - xa > 34)
        text(cr, buf, 0.5 * (xa + xb), by + bh / 2, 8.5, FALSE, 0.5, 0.5, (Rgb){1, 1, 1}, 0);
      else if (!c->stacked && bh >= 7)
        text(cr, buf, (v >= 0 ? xb + 3 : xa - 3), by + bh * 0.45, MIN(8.5, bh * 1.1), FALSE,
             v >= 0 ? 0 : 1, 0.5, grey, 0);
    }
    if (c->stacked && !c->percent) {
      char buf[32];
      fmt_value(buf, sizeof buf, pos + neg, FALSE);
      double xe = x0 + (pos - lo) / (hi - lo) * (x1 - x0);
      text(cr, buf, xe + 4, yc, 9, FALSE, 0, 0.5, grey, 0);
    }
  }
}

static void draw_boxes(cairo_t *cr, const ThChart *c, double h) {
  double y0 = header(cr, c), yb = h - 16;
  double x0 = 160, x1 = CW - 20;
  double lo = 0, hi = 0;
  int n = c->n_cat * c->n_ser;
  for (int i = 0; i < n; i++)
    if (isfinite(c->box[i * 5])) lo = MIN(lo, c->box[i * 5]), hi = MAX(hi, c->box[i * 5 + 4]);
  if (hi - lo <= 0) lo = -1, hi = 1;
  double pad = 0.04 * (hi - lo);
  lo -= pad, hi += pad;
  axis(cr, x0, x1, y0, yb, lo, hi, FALSE);
  double band = (yb - y0) / MAX(c->n_cat, 1);
#define X(v) (x0 + ((v)-lo) / (hi - lo) * (x1 - x0))
  for (int k = 0; k < c->n_cat; k++) {
    double yc = y0 + (k + 0.5) * band;
    text(cr, c->cat[k], x0 - 6, yc, 10, FALSE, 1, 0.5, ink, x0 - 10);
    double bh = MIN(band * 0.8 / c->n_ser, 12);
    for (int s = 0; s < c->n_ser; s++) {
      const double *b = &c->box[((size_t)k * c->n_ser + s) * 5];
      double by = yc - c->n_ser * bh / 2 + s * bh + bh / 2;
      if (!isfinite(b[0])) continue;
      Rgb col = series_colour(s);
      rgb(cr, col);
      cairo_set_line_width(cr, 1);
      cairo_move_to(cr, X(b[0]), by);
      cairo_line_to(cr, X(b[4]), by);
      cairo_stroke(cr);
      cairo_rectangle(cr, X(b[1]), by - bh * 0.38, MAX(X(b[3]) - X(b[1]), 0.8), bh * 0.76);
      cairo_fill(cr);
      rgb(cr, ink);
      cairo_set_line_width(cr, 1.6);
      cairo_move_to(cr, X(b[2]), by - bh * 0.45);
      cairo_line_to(cr, X(b[2]), by + bh * 0.45);
      cairo_stroke(cr);
    }
  }
#undef X
}

static gint cmp_abs(gconstpointer a, gconstpointer b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* diverging blue - light grey - red for V in [-1, 1] */
static Rgb diverging(double v) {
  v = CLAMP(v, -1, 1);
  Rgb mid = {0.90, 0.90, 0.88}, pos = {0.80, 0.12, 0.12}, neg = {0.13, 0.35, 0.75};
  Rgb e = v >= 0 ? pos : neg;
  double t = pow(fabs(v), 0.6);
  return (Rgb){mid.r + t * (e.r - mid.r), mid.g + t * (e.g - mid.g), mid.b + t * (e.b - mid.b)};
}

static void draw_zones(cairo_t *cr, const ThChart *c, double h) {
  double y0 = header(cr, c);
  int cols = 4, rows = (c->n_ser + cols - 1) / cols;
  double leg_h = 26, pw = CW / cols, ph = (h - y0 - leg_h) / MAX(rows, 1);
  double w = INFINITY, s = INFINITY, e = -INFINITY, n = -INFINITY, pmax = 0, vmax = 0;
  for (int i = 0; i < c->n_pts; i++) {
    if (!isfinite(c->lon[i]) || !isfinite(c->lat[i])) continue;
    w = MIN(w, c->lon[i]), e = MAX(e, c->lon[i]), s = MIN(s, c->lat[i]), n = MAX(n, c->lat[i]);
    pmax = MAX(pmax, c->size[i]);
  }
  /* the colour scale ends at a round value above 90% of the changes, so
   * one zone that doubles its reach does not wash out all the others */
  g_autoptr(GArray) mags = g_array_new(FALSE, FALSE, sizeof(double));
  for (int i = 0; i < c->n_ser * c->n_pts; i++)
    if (isfinite(c->zv[i]) && fabs(c->zv[i]) > 1e-9) {
      double m = fabs(c->zv[i]);
      g_array_append_val(mags, m);
    }
  if (!isfinite(w)) return;
  if (c->cells) /* the map frame is the cells' box */
    for (int k = 0; k < c->cells->off[c->cells->n]; k++) {
      double x = c->cells->xy[2 * k], y = c->cells->xy[2 * k + 1];
      w = MIN(w, x), e = MAX(e, x), s = MIN(s, y), n = MAX(n, y);
    }
  if (mags->len > 0) {
    g_array_sort(mags, (GCompareFunc)cmp_abs);
    vmax = g_array_index(mags, double, (guint)(0.9 * (mags->len - 1)));
  }
  static const double steps[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200};
  double v90 = vmax;
  vmax = 500;
  for (gsize i = 0; i < G_N_ELEMENTS(steps); i++)
    if (steps[i] >= v90) {
      vmax = steps[i];
      break;
    }
  double coslat = cos(0.5 * (s + n) * G_PI / 180);
  double sx = (e - w) * coslat, sy = n - s;
  for (int p = 0; p < c->n_ser; p++) {
    double px = (p % cols) * pw, py = y0 + (p / cols) * ph;
    rgb(cr, grid);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, px + 3, py + 3, pw - 6, ph - 6);
    cairo_stroke(cr);
    text(cr, c->ser[p], px + 8, py + 6, 10, TRUE, 0, 0, ink, pw - 16);
    double ix = px + 12, iy = py + 24, iw = pw - 24, ih = ph - 34;
    double k = MIN(iw / MAX(sx, 1e-9), ih / MAX(sy, 1e-9));
    double ox = ix + 0.5 * (iw - sx * k), oy = iy + 0.5 * (ih - sy * k);
    /* the choropleth: each zone's cell filled by its value, white edges */
    for (int i = 0; c->cells && i < c->n_pts; i++) {
      int a = c->cells->off[i], b = c->cells->off[i + 1];
      if (b - a < 3) continue;
      for (int q = a; q < b; q++) {
        double x = ox + (c->cells->xy[2 * q] - w) * coslat * k;
        double y = oy + (n - c->cells->xy[2 * q + 1]) * k;
        if (q == a)
          cairo_move_to(cr, x, y);
        else
          cairo_line_to(cr, x, y);
      }
      cairo_close_path(cr);
      double v = c->zv[(size_t)p * c->n_pts + i];
      if (isfinite(v))
        rgb(cr, diverging(v / vmax));
      else
        cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_fill_preserve(cr);
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_set_line_width(cr, 0.8);
      cairo_stroke(cr);
    }
    /* big zones first so small ones stay visible on top; over cells, the
     * centroids as small grey dots */
    for (int pass = 0; pass < 2; pass++)
      for (int i = 0; i < c->n_pts; i++) {
        if (!isfinite(c->lon[i])) continue;
        double r = 1.5 + 9 * sqrt(MAX(c->size[i], 0) / MAX(pmax, 1));
        if ((pass == 0) != (r > 5)) continue;
        double x = ox + (c->lon[i] - w) * coslat * k, y = oy + (n - c->lat[i]) * k;
        if (c->cells) {
          cairo_new_sub_path(cr);
          cairo_arc(cr, x, y, 0.6 + 0.4 * r, 0, 2 * G_PI);
          rgb(cr, grey);
          cairo_set_line_width(cr, 0.5);
          cairo_stroke(cr);
          continue;
        }
        double v = c->zv[(size_t)p * c->n_pts + i];
        if (isfinite(v))
          rgb(cr, diverging(v / vmax));
        else
          cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * G_PI);
        cairo_fill_preserve(cr);
        rgb(cr, grey);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
      }
  }
  /* colour key */
  double ky = h - leg_h + 6, kx = 160, kw = 300;
  for (int i = 0; i < 60; i++) {
    rgb(cr, diverging(-1 + 2.0 * (i + 0.5) / 60));
    cairo_rectangle(cr, kx + i * kw / 60, ky, kw / 60 + 0.3, 8);
    cairo_fill(cr);
  }
  char buf[32];
  double sc = c->percent ? 100 : 1;
  const char *u = c->percent ? "%" : c->unit ? c->unit : "";
  g_snprintf(buf, sizeof buf, "≤ -%g %s", sc * vmax, u);
  text(cr, buf, kx - 4, ky + 4, 9, FALSE, 1, 0.5, grey, 0);
  g_snprintf(buf, sizeof buf, "≥ +%g %s", sc * vmax, u);
  text(cr, buf, kx + kw + 4, ky + 4, 9, FALSE, 0, 0.5, grey, 0);
  text(cr, "0", kx + kw / 2, ky + 9, 9, FALSE, 0.5, 0, grey, 0);
}

void th_chart_draw(cairo_t *cr, const ThChart *c, double x, double y, double w) {
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, w / CW, w / CW);
  double h = CW * c->aspect;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, 0, 0, CW, h);
  cairo_fill(cr);
  switch (c->kind) {
  case TH_CHART_BARS: draw_bars(cr, c, h); break;
  case TH_CHART_BOXES: draw_boxes(cr, c, h); break;
  case TH_CHART_ZONES: draw_zones(cr, c, h); break;
  }
  cairo_restore(cr);
}

/* map-labels.c: text, numbers, place labels that avoid each other, scale
 * bar and north arrow (see map-internal.h). */
#include "output/map-internal.h"
#include "output/chart.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/linegeom.h"
#include "output/png-write.h"

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---- text ---- */

PangoLayout *th_map_text_layout(cairo_t *cr, const char *text, double px, gboolean bold,
                                double wrap_w) {
  /* the one text layout of the drawings (output/chart.h): unhinted metrics,
   * identical in PNG and SVG and from run to run */
  return th_report_layout(cr, text, px, bold, wrap_w);
}

void th_map_text_size(PangoLayout *lay, double *w, double *h) {
  PangoRectangle ink, logical;
  pango_layout_get_extents(lay, &ink, &logical);
  *w = (double)logical.width / PANGO_SCALE;
  *h = (double)logical.height / PANGO_SCALE;
}

/* Draws TEXT with its top-left at (X, Y); returns its height. */
double th_map_draw_text(cairo_t *cr, const char *text, double x, double y, double px, gboolean bold,
                        double wrap_w, Rgb colour) {
  PangoLayout *lay = th_map_text_layout(cr, text, px, bold, wrap_w);
  double w, h;
  th_map_text_size(lay, &w, &h);
  th_map_set_rgb(cr, colour);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
  return h;
}

/* Text with a white halo, readable over bands and lines. */
static void draw_halo_layout(cairo_t *cr, PangoLayout *lay, double x, double y, double halo) {
  cairo_save(cr);
  cairo_move_to(cr, x, y);
  pango_cairo_layout_path(cr, lay);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width(cr, halo);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
  cairo_stroke_preserve(cr);
  th_map_set_rgb(cr, th_map_hex(INK));
  cairo_fill(cr);
  cairo_restore(cr);
}

/* ---- numbers ---- */

/* The largest 1-2-5 number <= X (X > 0). */
double th_map_nice_floor(double x) {
  double p = pow(10, floor(log10(x)));
  double m = x / p;
  double f = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return f * p;
}

/* The next smaller 1-2-5 number. */
double th_map_nice_down(double x) {
  double p = pow(10, floor(log10(x) + 1e-9));
  double m = x / p;
  if (m > 4.5) return 2 * p;
  if (m > 1.5) return p;
  return 0.5 * p;
}

/* "12,500" or "0.25": thousands separated by commas, as planners write. */
char *th_map_format_number(double v) {
  if (fabs(v) < 10 && fabs(v - round(v)) > 1e-9) return g_strdup_printf("%g", v);
  long long n = llround(fabs(v));
  char digits[32];
  g_snprintf(digits, sizeof digits, "%lld", n);
  GString *s = g_string_new(v < 0 ? "-" : "");
  int len = (int)strlen(digits);
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0) g_string_append_c(s, ',');
    g_string_append_c(s, digits[i]);
  }
  return g_string_free(s, FALSE);
}

char *th_map_metric_unit(ThMapMetric m, ThMapMode mode, double horizon_s) {
  const char *what;
  if (m == TH_MAP_METRIC_VEHICLES && mode == TH_MAP_MODE_ROAD) what = "vehicles";
  else if (m == TH_MAP_METRIC_VEHICLES && mode == TH_MAP_MODE_RAIL) what = "trains";
  else if (m == TH_MAP_METRIC_PASSENGERS) what = "passengers";
  else if (m == TH_MAP_METRIC_TONNES) what = "tonnes";
  else if (m == TH_MAP_METRIC_VC) what = "car units (pcu)";
  else what = "vehicles";
  const char *rail = m == TH_MAP_METRIC_VEHICLES && mode != TH_MAP_MODE_ROAD &&
                             mode != TH_MAP_MODE_RAIL
                         ? " (trains on rail)"
                         : "";
  /* 24 h or more is a day's demand (a longer horizon lets its trips finish) */
  if (!(horizon_s > 0) || horizon_s >= 86400 - 0.5)
    return g_strdup_printf("%s per day%s", what, rail);
  return g_strdup_printf("%s per %g h%s (the run's horizon)", what, horizon_s / 3600, rail);
}

const char *th_map_mode_label(ThMapMode m) {
  switch (m) {
  case TH_MAP_MODE_ROAD:
    return "road";
  case TH_MAP_MODE_RAIL:
    return "rail";
  case TH_MAP_MODE_FREIGHT:
    return "freight";
  default:
    return "all modes";
  }
}

const char *th_map_scenario_label(const ThResults *r) {
  return r->scenario && *r->scenario ? r->scenario : "(unnamed)";
}

/* ---- labels ---- */


static gboolean box_hit(const Box *a, const Box *b) {
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

typedef struct {
  int v;
  int rank;      /* 0 zones, 1 stations/hubs, 2 towns */
  double weight; /* population, for zones */
} LabelCand;

static int label_cmp(gconstpointer a, gconstpointer b) {
  const LabelCand *x = a, *y = b;
  if (x->rank != y->rank) return x->rank - y->rank;
  if (x->weight != y->weight) return x->weight > y->weight ? -1 : 1;
  return x->v - y->v;
}

void th_map_draw_labels(cairo_t *cr, const ThNetwork *net, ThMapLayout *l, double u,
                        GArray *obstacles) {
  g_autoptr(GArray) cands = g_array_new(FALSE, FALSE, sizeof(LabelCand));
  for (int v = 0; v < net->n_nodes; v++) {
    if (!net->node_name[v] || !*net->node_name[v]) continue;
    if (!isfinite(net->lon[v]) || !isfinite(net->lat[v])) continue;
    LabelCand c = {.v = v};
    switch (net->node_kind[v]) {
    case TH_NODE_ZONE:
      c.rank = 0;
      break;
    case TH_NODE_STATION:
    case TH_NODE_HUB:
      c.rank = 1;
      break;
    case TH_NODE_TOWN:
      c.rank = net->node_zone[v] >= 0 ? 0 : 2;
      break;
    default:
      continue;
    }
    if (net->node_zone[v] >= 0) c.weight = net->zone_population[net->node_zone[v]];
    g_array_append_val(cands, c);
  }
  g_array_sort(cands, label_cmp);
  Box frame = {l->map_x, l->map_y, l->map_x + l->map_w, l->map_y + l->map_h};
  /* markers first: every labelled place keeps its dot visible */
  guint n_furniture = obstacles->len;
  for (guint i = 0; i < cands->len; i++) {
    LabelCand *c = &g_array_index(cands, LabelCand, i);
    double x, y;
    th_map_project(l, net->lon[c->v], net->lat[c->v], &x, &y);
    double r = c->rank == 0 ? 5.5 * u : c->rank == 1 ? 4.5 * u : 3.2 * u;
    cairo_new_path(cr);
    if (c->rank == 1) {
      cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
    } else {
      cairo_arc(cr, x, y, r, 0, 2 * G_PI);
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    th_map_set_rgb(cr, th_map_hex(INK));
    cairo_set_line_width(cr, (c->rank == 0 ? 2.0 : 1.5) * u);
    cairo_stroke(cr);
    Box b = {x - r, y - r, x + r, y + r};
    g_array_append_val(obstacles, b);
  }
  guint n_markers = (guint)cands->len;
  for (guint i = 0; i < cands->len; i++) {
    LabelCand *c = &g_array_index(cands, LabelCand, i);
    double x, y;
    th_map_project(l, net->lon[c->v], net->lat[c->v], &x, &y);
    if (x < frame.x0 || y < frame.y0 || x > frame.x1 || y > frame.y1) continue; /* off the map */
    double px = c->rank == 0 ? 21 * u : c->rank == 1 ? 16 * u : 15 * u;
    PangoLayout *lay = th_map_text_layout(cr, net->node_name[c->v], px, c->rank == 0, 0);
    double w, h;
    th_map_text_size(lay, &w, &h);
    /* clear of the place's own marker (radius up to 5.5 u) and its padding */
    double gap = (c->rank == 0 ? 9 : 8) * u;
    /* candidate positions, most customary first: right, upper right, lower
     * right, left, upper left, lower left, above, below */
    double pos[8][2] = {
        {x + gap, y - h / 2},
        {x + gap * 0.7, y - h - gap * 0.4},
        {x + gap * 0.7, y + gap * 0.4},
        {x - gap - w, y - h / 2},
        {x - gap * 0.7 - w, y - h - gap * 0.4},
        {x - gap * 0.7 - w, y + gap * 0.4},
        {x - w / 2, y - h - gap},
        {x - w / 2, y + gap},
    };
    gboolean placed = FALSE;
    double pad = 2 * u;
    /* First pass: clear of every marker. Second pass, for a place that fits
     * nowhere: it may cover the dots of less important places (the county
     * town's name matters more than a village dot beside it), never a label,
     * the map furniture or a more important place. */
    for (int pass = 0; pass < 2 && !placed; pass++) {
      for (int k = 0; k < 8 && !placed; k++) {
        Box b = {pos[k][0] - pad, pos[k][1] - pad, pos[k][0] + w + pad, pos[k][1] + h + pad};
        if (b.x0 < frame.x0 || b.y0 < frame.y0 || b.x1 > frame.x1 || b.y1 > frame.y1) continue;
        gboolean free = TRUE;
        for (guint j = 0; j < obstacles->len && free; j++) {
          gboolean lesser_marker = j >= n_furniture + i + 1 && j < n_furniture + n_markers;
          if (pass == 1 && lesser_marker) continue;
          if (box_hit(&b, &g_array_index(obstacles, Box, j))) free = FALSE;
        }
        if (!free) continue;
        draw_halo_layout(cr, lay, pos[k][0], pos[k][1], 4 * u);
        g_array_append_val(obstacles, b);
        placed = TRUE;
      }
    }
    if (placed)
      l->n_labels++;
    else
      l->n_labels_skipped++;
    g_object_unref(lay);
  }
}

/* ---- map furniture ---- */

void th_map_draw_scale_bar(cairo_t *cr, const ThMapLayout *l, double u, GArray *obstacles) {
  double m_per_px = 1.0 / l->px_per_m;
  double target_km = l->map_w * 0.2 * m_per_px / 1000.0;
  double km = th_map_nice_floor(target_km);
  double len = km * 1000.0 * l->px_per_m;
  double x0 = l->map_x + 24 * u, y0 = l->map_y + l->map_h - 34 * u;
  double hgt = 7 * u;
  Box b = {x0 - 10 * u, y0 - 30 * u, x0 + len + 60 * u, y0 + hgt + 14 * u};
  cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
  cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
  cairo_fill(cr);
  for (int i = 0; i < 4; i++) {
    cairo_rectangle(cr, x0 + i * len / 4, y0, len / 4, hgt);
    if (i % 2 == 0)
      th_map_set_rgb(cr, th_map_hex(INK));
    else
      cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    th_map_set_rgb(cr, th_map_hex(INK));
    cairo_set_line_width(cr, 1 * u);
    cairo_stroke(cr);
  }
  double ticks[3] = {0, km / 2, km};
  for (int i = 0; i < 3; i++) {
    g_autofree char *num = th_map_format_number(ticks[i]);
    g_autofree char *t = i == 2 ? g_strdup_printf("%s km", num) : g_strdup(num);
    PangoLayout *lay = th_map_text_layout(cr, t, 14 * u, FALSE, 0);
    double w, h;
    th_map_text_size(lay, &w, &h);
    th_map_set_rgb(cr, th_map_hex(INK));
    /* the number sits over its tick; " km" trails the last one */
    double num_w = w;
    if (i == 2) {
      PangoLayout *nl = th_map_text_layout(cr, num, 14 * u, FALSE, 0);
      double nh;
      th_map_text_size(nl, &num_w, &nh);
      g_object_unref(nl);
    }
    cairo_move_to(cr, x0 + len * i / 2 - num_w / 2, y0 - h - 3 * u);
    pango_cairo_show_layout(cr, lay);
    g_object_unref(lay);
  }
  g_array_append_val(obstacles, b);
}

void th_map_draw_north_arrow(cairo_t *cr, const ThMapLayout *l, double u, GArray *obstacles) {
  double cx = l->map_x + l->map_w - 44 * u, top = l->map_y + 22 * u;
  double hh = 46 * u, hw = 14 * u;
  cairo_new_path(cr);
  cairo_move_to(cr, cx, top + 20 * u);
  cairo_line_to(cr, cx + hw, top + 20 * u + hh);
  cairo_line_to(cr, cx, top + 20 * u + hh * 0.72);
  cairo_close_path(cr);
  th_map_set_rgb(cr, th_map_hex(INK));
  cairo_fill(cr);
  cairo_move_to(cr, cx, top + 20 * u);
  cairo_line_to(cr, cx - hw, top + 20 * u + hh);
  cairo_line_to(cr, cx, top + 20 * u + hh * 0.72);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  th_map_set_rgb(cr, th_map_hex(INK));
  cairo_set_line_width(cr, 1.2 * u);
  cairo_stroke(cr);
  PangoLayout *lay = th_map_text_layout(cr, "N", 18 * u, TRUE, 0);
  double w, h;
  th_map_text_size(lay, &w, &h);
  cairo_move_to(cr, cx - w / 2, top - 2 * u);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
  Box b = {cx - hw - 6 * u, top - 4 * u, cx + hw + 6 * u, top + 24 * u + hh};
  g_array_append_val(obstacles, b);
}

/* map-legend.c: the legend panel of a flow map (see map-internal.h). */
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

/* ---- the legend panel ---- */

typedef struct {
  Rgb c;
  const char *label;
} KeyItem;

static double legend_heading(cairo_t *cr, const char *text, double x, double y, double w,
                             double u) {
  return th_map_draw_text(cr, text, x, y, 17 * u, TRUE, w, th_map_hex(INK)) + 6 * u;
}

/* The legend being drawn: the panel's text column (X, W), the pen's
 * height Y moving down, the units (U, the legend's; BU, the map's). */
typedef struct {
  cairo_t *cr;
  const ThResults *r, *base;
  const ThMapOptions *o;
  const ThMapLayout *l;
  double u, bu;
  double x, w, y;
  Rgb ink, grey;
} Legend;

/* A line of text in the column at the pen; returns its height. */
static double legend_text(Legend *g, const char *text, double px, gboolean bold, Rgb c) {
  return th_map_draw_text(g->cr, text, g->x, g->y, px * g->u, bold, g->w, c);
}

/* Title, scenario and base, date and the sample's expansion. */
static void legend_title(Legend *g) {
  const ThMapOptions *o = g->o;
  double u = g->u;
  g_autofree char *title = NULL;
  if (o->title && *o->title)
    title = g_strdup(o->title);
  else if (g->base)
  {
    g_autofree char *unit = th_map_metric_unit(o->metric, o->mode, g->r->horizon_s);
    title = g_strdup_printf("Change in %s, %s", unit, th_map_mode_label(o->mode));
  }
  else if (o->metric == TH_MAP_METRIC_VC)
    title = g_strdup("Road volume / capacity");
  else
    title = g_strdup_printf("Flows, %s", th_map_mode_label(o->mode));
  g->y += legend_text(g, title, 30, TRUE, g->ink) + 10 * u;
  g_autofree char *scen =
      g->base ? g_strdup_printf("Scenario: %s\nBase: %s", th_map_scenario_label(g->r),
                                th_map_scenario_label(g->base))
              : g_strdup_printf("Scenario: %s", th_map_scenario_label(g->r));
  g->y += legend_text(g, scen, 18, FALSE, g->ink) + 4 * u;
  if (o->date && *o->date) g->y += legend_text(g, o->date, 16, FALSE, g->grey) + 4 * u;
  if (th_results_expansion(g->r) != 1) {
    g_autofree char *note = g_strdup_printf("Flows of a %g%% sample of the demand, expanded x%g",
                                            100 * g->r->sample_factor, th_results_expansion(g->r));
    g->y += legend_text(g, note, 16, FALSE, g->grey) + 4 * u;
  }
  g->y += 22 * u;
}

/* The band widths: three round values drawn true to the map's scale, and
 * what is not drawn. */
static void legend_width_scale(Legend *g) {
  cairo_t *cr = g->cr;
  const ThMapLayout *l = g->l;
  double u = g->u, x = g->x;
  g_autofree char *unit = th_map_metric_unit(g->o->metric, g->o->mode, g->r->horizon_s);
  g_autofree char *wh = g_strdup_printf("Band width: %s%s", g->base ? "change in " : "", unit);
  g->y += legend_heading(cr, wh, x, g->y, g->w, u);
  if (l->max_value > 0) {
    double v = th_map_nice_floor(l->scale_value);
    double refs[3] = {v, th_map_nice_down(v), th_map_nice_down(th_map_nice_down(v))};
    for (int i = 0; i < 3; i++) {
      double bw = fmax(refs[i] * l->px_per_unit, 1.0 * g->bu); /* true to the map */
      double rowh = fmax(bw, 20 * u) + 10 * u;
      double cy = g->y + rowh / 2;
      cairo_rectangle(cr, x, cy - bw / 2, 90 * u, bw);
      th_map_set_rgb(cr, th_map_hex(0x6e6e6e));
      cairo_fill(cr);
      g_autofree char *num = th_map_format_number(refs[i]);
      PangoLayout *lay = th_map_text_layout(cr, num, 16 * u, FALSE, 0);
      double tw, th;
      th_map_text_size(lay, &tw, &th);
      th_map_set_rgb(cr, g->ink);
      cairo_move_to(cr, x + 104 * u, cy - th / 2);
      pango_cairo_show_layout(cr, lay);
      g_object_unref(lay);
      g->y += rowh;
    }
  } else {
    g->y += legend_text(g, g->base ? "no change on any link" : "no flow on any link", 16, FALSE,
                        g->grey);
  }
  g->y += th_map_draw_text(cr, "each direction on its own side, right of the direction of travel",
                           x, g->y + 4 * u, 13 * u, FALSE, g->w, g->grey) +
          6 * u;
  if (g->base && l->max_value > 0) {
    g_autofree char *up = th_map_format_number(l->max_gain),
                    *down = th_map_format_number(l->max_loss);
    g_autofree char *note = g_strdup_printf("largest increase %s%s, largest decrease %s",
                                            l->max_gain > 0 ? "+" : "", up, down);
    g->y += legend_text(g, note, 13, FALSE, g->grey);
  }
  if (l->min_change > 0) {
    g_autofree char *num = th_map_format_number(l->min_change);
    g_autofree char *note = g_strdup_printf("changes under %s (2%% of the largest) not drawn", num);
    g->y += legend_text(g, note, 13, FALSE, g->grey);
  }
  g->y += 18 * u;
}

/* The v/c colour ramp with ticks at its break points. */
static void legend_vc_ramp(Legend *g) {
  cairo_t *cr = g->cr;
  double u = g->u, x = g->x, y = g->y;
  double rw = g->w - 20 * u, rh = 18 * u, vmax = 1.25;
  for (int i = 0; i < (int)rw; i++) {
    th_map_set_rgb(cr, th_map_vc_colour(vmax * i / rw));
    cairo_rectangle(cr, x + i, y, 1.0 + 0.5, rh);
    cairo_fill(cr);
  }
  const double ticks[] = {0, 0.6, 0.85, 1.0};
  const char *tl[] = {"0", "0.6", "0.85", "1.0+"};
  for (int i = 0; i < 4; i++) {
    double tx = x + rw * ticks[i] / vmax;
    th_map_set_rgb(cr, g->ink);
    cairo_set_line_width(cr, 1.2 * u);
    cairo_move_to(cr, tx, y + rh);
    cairo_line_to(cr, tx, y + rh + 5 * u);
    cairo_stroke(cr);
    PangoLayout *lay = th_map_text_layout(cr, tl[i], 14 * u, FALSE, 0);
    double tw, th;
    th_map_text_size(lay, &tw, &th);
    cairo_move_to(cr, fmax(x, tx - tw / 2), y + rh + 6 * u);
    pango_cairo_show_layout(cr, lay);
    g_object_unref(lay);
  }
  g->y += rh + 30 * u;
  g->y += legend_text(g, "peak-hour pcu / capacity", 13, FALSE, g->grey) + 8 * u;
}

/* The label of a key row, right of its symbol; moves the pen a row down. */
/* A place symbol's current path filled white and outlined in ink, WIDTH wide. */
static void symbol_paint(Legend *g, double width) {
  cairo_set_source_rgb(g->cr, 1, 1, 1);
  cairo_fill_preserve(g->cr);
  th_map_set_rgb(g->cr, g->ink);
  cairo_set_line_width(g->cr, width);
  cairo_stroke(g->cr);
}

static void legend_key_label(Legend *g, const char *label) {
  double u = g->u;
  th_map_draw_text(g->cr, label, g->x + 54 * u, g->y, 16 * u, FALSE, g->w - 54 * u, g->ink);
  g->y += 28 * u;
}

/* The colours: gain and loss of a difference, the flow groups present, or
 * the v/c ramp. */
static void legend_colours(Legend *g, const double *present) {
  cairo_t *cr = g->cr;
  double u = g->u;
  g->y += legend_heading(cr, "Colour", g->x, g->y, g->w, u);
  KeyItem keys[TH_N_FLOW_GROUPS + 2];
  int nk = 0;
  if (g->base) {
    keys[nk++] = (KeyItem){th_map_hex(GAIN_COLOUR), "Increase 增加"};
    keys[nk++] = (KeyItem){th_map_hex(LOSS_COLOUR), "Decrease 减少"};
  } else if (g->o->metric != TH_MAP_METRIC_VC) {
    for (int k = 0; k < TH_N_FLOW_GROUPS; k++)
      if (present[k] > 0)
        keys[nk++] = (KeyItem){th_map_hex(th_map_group_colour(k)), th_map_group_label(k)};
  }
  for (int i = 0; i < nk; i++) {
    cairo_rectangle(cr, g->x, g->y + 3 * u, 40 * u, 16 * u);
    th_map_set_rgb(cr, keys[i].c);
    cairo_fill(cr);
    legend_key_label(g, keys[i].label);
  }
  if (!g->base && g->o->metric == TH_MAP_METRIC_VC) legend_vc_ramp(g);
}

/* The network without flow (road, rail) and the place symbols. */
static void legend_network(Legend *g) {
  cairo_t *cr = g->cr;
  double u = g->u, x = g->x;
  th_map_set_rgb(cr, th_map_hex(NET_ROAD));
  cairo_set_line_width(cr, 3 * u);
  cairo_move_to(cr, x, g->y + 11 * u);
  cairo_line_to(cr, x + 40 * u, g->y + 11 * u);
  cairo_stroke(cr);
  legend_key_label(g, "Road, no flow");
  th_map_set_rgb(cr, th_map_hex(NET_RAIL));
  double dash[2] = {7 * u, 4 * u};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 2.2 * u);
  cairo_move_to(cr, x, g->y + 11 * u);
  cairo_line_to(cr, x + 40 * u, g->y + 11 * u);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  legend_key_label(g, "Rail, no flow");
  /* place symbols */
  cairo_new_path(cr);
  cairo_arc(cr, x + 20 * u, g->y + 11 * u, 5.5 * u, 0, 2 * G_PI);
  symbol_paint(g, 2 * u);
  legend_key_label(g, "Zone (city, county) 城市/区县");
  cairo_new_path(cr);
  cairo_rectangle(cr, x + 15.5 * u, g->y + 6.5 * u, 9 * u, 9 * u);
  symbol_paint(g, 1.5 * u);
  legend_key_label(g, "Station or hub 车站/枢纽");
}

/* The source line at the bottom of the panel: model, seeds, projection. */
static void legend_source(Legend *g) {
  cairo_t *cr = g->cr;
  const ThResults *r = g->r, *base = g->base;
  g_autofree char *seeds =
      base ? g_strdup_printf("seeds %" G_GINT64_FORMAT " (scenario), %" G_GINT64_FORMAT " (base)",
                             r->seed, base->seed)
           : g_strdup_printf("seed %" G_GINT64_FORMAT, r->seed);
  g_autofree char *src =
      g_strdup_printf("Model: taihang %s, %s\nProjection: local equirectangular on WGS84\n"
                      "Network and flows: the results folder%s",
                      r->version && *r->version ? r->version : TH_VERSION, seeds, base ? "s" : "");
  PangoLayout *lay = th_map_text_layout(cr, src, 13 * g->u, FALSE, g->w);
  double tw, th;
  th_map_text_size(lay, &tw, &th);
  th_map_set_rgb(cr, g->grey);
  cairo_move_to(cr, g->x, g->l->legend_y + g->l->legend_h - th - 24 * g->u);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
}

void th_map_draw_legend(cairo_t *cr, const ThResults *r, const ThResults *base,
                        const ThMapOptions *o, const ThMapLayout *l, const double *present,
                        double u) {
  /* legend text a size larger than the map's labels: it is read first */
  double lu = u * 1.3;
  Legend g = {cr, r, base, o, l, lu, u,
              l->legend_x + 28 * lu, l->legend_w - 52 * lu, l->legend_y + 30 * lu,
              th_map_hex(INK), th_map_hex(0x555555)};
  legend_title(&g);
  legend_width_scale(&g);
  legend_colours(&g, present);
  legend_network(&g);
  legend_source(&g);
}

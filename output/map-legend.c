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

void th_map_draw_legend(cairo_t *cr, const ThResults *r, const ThResults *base,
                        const ThMapOptions *o, const ThMapLayout *l, const double *present,
                        double u) {
  /* legend text a size larger than the map's labels: it is read first */
  double bu = u;
  u *= 1.3;
  double x = l->legend_x + 28 * u, w = l->legend_w - 52 * u, y = l->legend_y + 30 * u;
  Rgb ink = th_map_hex(INK), grey = th_map_hex(0x555555);
  /* title */
  g_autofree char *title = NULL;
  if (o->title && *o->title)
    title = g_strdup(o->title);
  else if (base)
  {
    g_autofree char *unit = th_map_metric_unit(o->metric, o->mode, r->horizon_s);
    title = g_strdup_printf("Change in %s, %s", unit, th_map_mode_label(o->mode));
  }
  else if (o->metric == TH_MAP_METRIC_VC)
    title = g_strdup("Road volume / capacity");
  else
    title = g_strdup_printf("Flows, %s", th_map_mode_label(o->mode));
  y += th_map_draw_text(cr, title, x, y, 30 * u, TRUE, w, ink) + 10 * u;
  g_autofree char *scen =
      base ? g_strdup_printf("Scenario: %s\nBase: %s", th_map_scenario_label(r), th_map_scenario_label(base))
           : g_strdup_printf("Scenario: %s", th_map_scenario_label(r));
  y += th_map_draw_text(cr, scen, x, y, 18 * u, FALSE, w, ink) + 4 * u;
  if (o->date && *o->date) y += th_map_draw_text(cr, o->date, x, y, 16 * u, FALSE, w, grey) + 4 * u;
  if (th_results_expansion(r) != 1) {
    g_autofree char *note = g_strdup_printf("Flows of a %g%% sample of the demand, expanded x%g",
                                            100 * r->sample_factor, th_results_expansion(r));
    y += th_map_draw_text(cr, note, x, y, 16 * u, FALSE, w, grey) + 4 * u;
  }
  y += 22 * u;

  /* width scale */
  g_autofree char *unit = th_map_metric_unit(o->metric, o->mode, r->horizon_s);
  g_autofree char *wh = g_strdup_printf("Band width: %s%s", base ? "change in " : "", unit);
  y += legend_heading(cr, wh, x, y, w, u);
  if (l->max_value > 0) {
    double v = th_map_nice_floor(l->scale_value);
    double refs[3] = {v, th_map_nice_down(v), th_map_nice_down(th_map_nice_down(v))};
    for (int i = 0; i < 3; i++) {
      double bw = fmax(refs[i] * l->px_per_unit, 1.0 * bu); /* true to the map */
      double rowh = fmax(bw, 20 * u) + 10 * u;
      double cy = y + rowh / 2;
      cairo_rectangle(cr, x, cy - bw / 2, 90 * u, bw);
      th_map_set_rgb(cr, th_map_hex(0x6e6e6e));
      cairo_fill(cr);
      g_autofree char *num = th_map_format_number(refs[i]);
      PangoLayout *lay = th_map_text_layout(cr, num, 16 * u, FALSE, 0);
      double tw, th;
      th_map_text_size(lay, &tw, &th);
      th_map_set_rgb(cr, ink);
      cairo_move_to(cr, x + 104 * u, cy - th / 2);
      pango_cairo_show_layout(cr, lay);
      g_object_unref(lay);
      y += rowh;
    }
  } else {
    y += th_map_draw_text(cr, base ? "no change on any link" : "no flow on any link", x, y, 16 * u, FALSE,
                   w, grey);
  }
  y += th_map_draw_text(cr, "each direction on its own side, right of the direction of travel", x,
                 y + 4 * u, 13 * u, FALSE, w, grey) +
       6 * u;
  if (base && l->max_value > 0) {
    g_autofree char *up = th_map_format_number(l->max_gain), *down = th_map_format_number(l->max_loss);
    g_autofree char *note = g_strdup_printf("largest increase %s%s, largest decrease %s",
                                            l->max_gain > 0 ? "+" : "", up, down);
    y += th_map_draw_text(cr, note, x, y, 13 * u, FALSE, w, grey);
  }
  if (l->min_change > 0) {
    g_autofree char *num = th_map_format_number(l->min_change);
    g_autofree char *note = g_strdup_printf("changes under %s (2%% of the largest) not drawn", num);
    y += th_map_draw_text(cr, note, x, y, 13 * u, FALSE, w, grey);
  }
  y += 18 * u;

  /* colour key */
  y += legend_heading(cr, "Colour", x, y, w, u);
  KeyItem keys[TH_N_FLOW_GROUPS + 2];
  int nk = 0;
  if (base) {
    keys[nk++] = (KeyItem){th_map_hex(GAIN_COLOUR), "Increase 增加"};
    keys[nk++] = (KeyItem){th_map_hex(LOSS_COLOUR), "Decrease 减少"};
  } else if (o->metric != TH_MAP_METRIC_VC) {
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++)
      if (present[g] > 0) keys[nk++] = (KeyItem){th_map_hex(th_map_group_colour(g)), th_map_group_label(g)};
  }
  for (int i = 0; i < nk; i++) {
    cairo_rectangle(cr, x, y + 3 * u, 40 * u, 16 * u);
    th_map_set_rgb(cr, keys[i].c);
    cairo_fill(cr);
    th_map_draw_text(cr, keys[i].label, x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
    y += 28 * u;
  }
  if (!base && o->metric == TH_MAP_METRIC_VC) {
    /* a ramp with ticks at the break points */
    double rw = w - 20 * u, rh = 18 * u, vmax = 1.25;
    for (int i = 0; i < (int)rw; i++) {
      th_map_set_rgb(cr, th_map_vc_colour(vmax * i / rw));
      cairo_rectangle(cr, x + i, y, 1.0 + 0.5, rh);
      cairo_fill(cr);
    }
    const double ticks[] = {0, 0.6, 0.85, 1.0};
    const char *tl[] = {"0", "0.6", "0.85", "1.0+"};
    for (int i = 0; i < 4; i++) {
      double tx = x + rw * ticks[i] / vmax;
      th_map_set_rgb(cr, ink);
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
    y += rh + 30 * u;
    y += th_map_draw_text(cr, "peak-hour pcu / capacity", x, y, 13 * u, FALSE, w, grey) + 8 * u;
  }
  /* the network itself */
  th_map_set_rgb(cr, th_map_hex(NET_ROAD));
  cairo_set_line_width(cr, 3 * u);
  cairo_move_to(cr, x, y + 11 * u);
  cairo_line_to(cr, x + 40 * u, y + 11 * u);
  cairo_stroke(cr);
  th_map_draw_text(cr, "Road, no flow", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;
  th_map_set_rgb(cr, th_map_hex(NET_RAIL));
  double dash[2] = {7 * u, 4 * u};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 2.2 * u);
  cairo_move_to(cr, x, y + 11 * u);
  cairo_line_to(cr, x + 40 * u, y + 11 * u);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  th_map_draw_text(cr, "Rail, no flow", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;
  /* place symbols */
  cairo_new_path(cr);
  cairo_arc(cr, x + 20 * u, y + 11 * u, 5.5 * u, 0, 2 * G_PI);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  th_map_set_rgb(cr, ink);
  cairo_set_line_width(cr, 2 * u);
  cairo_stroke(cr);
  th_map_draw_text(cr, "Zone (city, county) 城市/区县", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;
  cairo_new_path(cr);
  cairo_rectangle(cr, x + 15.5 * u, y + 6.5 * u, 9 * u, 9 * u);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  th_map_set_rgb(cr, ink);
  cairo_set_line_width(cr, 1.5 * u);
  cairo_stroke(cr);
  th_map_draw_text(cr, "Station or hub 车站/枢纽", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;

  /* source line at the bottom of the panel */
  g_autofree char *seeds =
      base ? g_strdup_printf("seeds %" G_GINT64_FORMAT " (scenario), %" G_GINT64_FORMAT " (base)",
                             r->seed, base->seed)
           : g_strdup_printf("seed %" G_GINT64_FORMAT, r->seed);
  g_autofree char *src =
      g_strdup_printf("Model: taihang %s, %s\nProjection: local equirectangular on WGS84\n"
                      "Network and flows: the results folder%s",
                      r->version && *r->version ? r->version : TH_VERSION, seeds, base ? "s" : "");
  PangoLayout *lay = th_map_text_layout(cr, src, 13 * u, FALSE, w);
  double tw, th;
  th_map_text_size(lay, &tw, &th);
  th_map_set_rgb(cr, grey);
  cairo_move_to(cr, x, l->legend_y + l->legend_h - th - 24 * u);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
}

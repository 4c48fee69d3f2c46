/* map.c: flow maps with cairo and pango (see map.h): options, colours, what
 * is drawn, the whole map and its files (options: graphics.c). Layout (projection, geometry) is in
 * map-layout.c, text, numbers, labels and map furniture in map-labels.c, the
 * legend panel in map-legend.c; what they share is output/map-internal.h. */
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

/* ---- options: th_map_mode_parse and th_map_metric_parse are in graphics.c
 * (they need no cairo, and `taihang map` parses before it draws) ---- */

/* ---- colours ---- */


Rgb th_map_hex(unsigned v) {
  return (Rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}

void th_map_set_rgb(cairo_t *cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

/* Colours chosen to stay apart for colour-blind readers where it matters
 * most (cars blue, trucks orange) and to echo common atlas conventions
 * (HSR red, freight rail brown). */
static const unsigned group_colour[TH_N_FLOW_GROUPS] = {
    0x3a76b8, /* car */
    0xf08a1c, /* truck */
    0x8e5bb5, /* bus */
    0x2e9a4f, /* rail passenger */
    0x8c5a2b, /* rail freight */
    0x16a3a8, /* intercity */
    0xd7191c, /* hsr */
    0x999999, /* other */
};
static const char *const group_label[TH_N_FLOW_GROUPS] = {
    "Cars 小汽车",
    "Trucks 货车",
    "Buses 客车",
    "Rail, passenger 普速客运",
    "Rail, freight 铁路货运",
    "Intercity 城际铁路",
    "High-speed rail 高铁",
    "Other",
};

/* file-static (a global would stand twice in a program that links the
 * graphics module's objects and loads the module: an ODR violation to ASan) */
unsigned th_map_group_colour(ThFlowGroup g) { return group_colour[g]; }
const char *th_map_group_label(ThFlowGroup g) { return group_label[g]; }

/* Green-yellow-red for v/c: free (< 0.6) green, near capacity (0.85)
 * yellow-orange, at or over capacity (>= 1) red. */
Rgb th_map_vc_colour(double vc) {
  static const double stop[] = {0.0, 0.6, 0.85, 1.0, 1.25};
  static const unsigned col[] = {0x1a9850, 0x91cf60, 0xfdd835, 0xe8552e, 0xa50026};
  if (!(vc > 0)) return th_map_hex(col[0]);
  for (int i = 1; i < 5; i++)
    if (vc <= stop[i]) {
      double t = (vc - stop[i - 1]) / (stop[i] - stop[i - 1]);
      Rgb a = th_map_hex(col[i - 1]), b = th_map_hex(col[i]);
      return (Rgb){a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b)};
    }
  return th_map_hex(col[4]);
}

/* ---- what is drawn ---- */

static gboolean group_selected(ThMapMode mode, ThFlowGroup g) {
  switch (mode) {
  case TH_MAP_MODE_ROAD:
    return g == TH_FLOW_CAR || g == TH_FLOW_TRUCK || g == TH_FLOW_BUS;
  case TH_MAP_MODE_RAIL:
    return g == TH_FLOW_RAIL_PAX || g == TH_FLOW_RAIL_FREIGHT || g == TH_FLOW_INTERCITY ||
           g == TH_FLOW_HSR;
  case TH_MAP_MODE_FREIGHT:
    return g == TH_FLOW_TRUCK || g == TH_FLOW_RAIL_FREIGHT;
  default:
    return g != TH_FLOW_OTHER;
  }
}

static double flow_value(const ThFlow *f, ThMapMetric m) {
  switch (m) {
  case TH_MAP_METRIC_PASSENGERS:
    return f->passengers;
  case TH_MAP_METRIC_TONNES:
    return f->tonnes;
  case TH_MAP_METRIC_VC:
    return f->pcu;
  default:
    return f->vehicles;
  }
}

/* Value of link E of R in group G under OPTS; 0 when R is NULL or E < 0. */
static double value_of(const ThResults *r, int e, ThFlowGroup g, const ThMapOptions *o) {
  if (!r || e < 0 || !group_selected(o->mode, g)) return 0;
  return flow_value(th_results_flow(r, e, g), o->metric) * th_results_expansion(r);
}

static double total_of(const ThResults *r, int e, const ThMapOptions *o) {
  double s = 0;
  for (int g = 0; g < TH_N_FLOW_GROUPS; g++)
    s += value_of(r, e, (ThFlowGroup)g, o);
  return s;
}

/* One directed link to draw: its network, index there, and its values. */
typedef struct {
  const ThNetwork *net;
  int e;
  double v[TH_N_FLOW_GROUPS]; /* per group (flow maps) */
  double total;               /* sum, or the change for a difference map */
  double vc;                  /* for the v/c metric */
} Band;

static int band_cmp(gconstpointer a, gconstpointer b) {
  const Band *x = a, *y = b;
  double ax = fabs(x->total), ay = fabs(y->total);
  if (ax != ay) return ax < ay ? -1 : 1;
  if (x->net != y->net) return x->net < y->net ? -1 : 1; /* never in practice: ids differ */
  return x->e - y->e;
}

static GArray *collect_bands(const ThResults *r, const ThResults *base, const ThMapOptions *o) {
  GArray *bands = g_array_new(FALSE, TRUE, sizeof(Band));
  const ThNetwork *net = r->net;
  for (int e = 0; e < net->n_links; e++) {
    Band b = {.net = net, .e = e};
    if (base) {
      int be = th_network_link_match(base->net, net, e);
      b.total = total_of(r, e, o) - total_of(base, be, o);
    } else {
      for (int g = 0; g < TH_N_FLOW_GROUPS; g++) {
        b.v[g] = value_of(r, e, (ThFlowGroup)g, o);
        b.total += b.v[g];
      }
      b.vc = th_results_vc(r, e);
    }
    if (b.total != 0 && isfinite(b.total)) g_array_append_val(bands, b);
  }
  if (base) /* links the scenario removed */
    for (int be = 0; be < base->net->n_links; be++) {
      if (th_network_link_match(net, base->net, be) >= 0) continue;
      Band b = {.net = base->net, .e = be, .total = -total_of(base, be, o)};
      if (b.total != 0 && isfinite(b.total)) g_array_append_val(bands, b);
    }
  /* big bands last, so they stay visible where bands cross */
  g_array_sort(bands, band_cmp);
  return bands;
}

/* ---- the whole map ---- */

static gboolean is_rail(uint32_t modes) {
  return (modes & (TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY)) &&
         !(modes & (TH_MODE_ROAD | TH_MODE_BUS));
}

static void draw_network(cairo_t *cr, const ThMapLayout *l, const ThNetwork *net, double u,
                         gboolean rail) {
  for (int e = 0; e < net->n_links; e++) {
    uint32_t m = net->link_modes[e];
    if (!(m & (TH_MODE_ROAD | TH_MODE_BUS | TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY)))
      continue; /* connectors and walkways are not part of the drawn network */
    if (is_rail(m) != rail) continue;
    int n;
    g_autofree double *p = th_map_link_px(l, net, e, &n);
    if (!p) continue;
    cairo_move_to(cr, p[0], p[1]);
    for (int i = 1; i < n; i++)
      cairo_line_to(cr, p[2 * i], p[2 * i + 1]);
  }
  if (rail) {
    double dash[2] = {7 * u, 4 * u};
    cairo_set_dash(cr, dash, 2, 0);
    th_map_set_rgb(cr, th_map_hex(NET_RAIL));
    cairo_set_line_width(cr, 2.2 * u);
  } else {
    th_map_set_rgb(cr, th_map_hex(NET_ROAD));
    cairo_set_line_width(cr, 3 * u);
  }
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
}

/* Step 1, layout: the legend panel on the right, the map frame beside it,
 * and the projection that fits the box to draw (O->bbox, else every node
 * of R and BASE) into the frame with a 6% margin. FALSE (ERROR set) when no
 * node has coordinates. U is the unit of lengths (1 at 2400 x 1800). */
static gboolean layout_map(ThMapLayout *l, const ThResults *r, const ThResults *base,
                           const ThMapOptions *o, double u, GError **error) {
  double W = o->width, H = o->height;
  l->legend_w = fmax(W * 0.24, fmin(W * 0.45, 300 * u));
  l->legend_x = W - l->legend_w;
  l->legend_y = 0;
  l->legend_h = H;
  double m = 24 * u;
  l->map_x = m;
  l->map_y = m;
  l->map_w = l->legend_x - 2 * m;
  l->map_h = H - 2 * m;

  double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  if (o->has_bbox) {
    th_map_bbox_add(bb, o->bbox[0], o->bbox[1]);
    th_map_bbox_add(bb, o->bbox[2], o->bbox[3]);
  } else {
    th_map_bbox_net(bb, r->net);
    if (base) th_map_bbox_net(bb, base->net);
  }
  if (!isfinite(bb[0])) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s/network/node.csv: no node has coordinates (x_coord, y_coord in WGS84) to "
                "draw a map",
                r->dir);
    return FALSE;
  }
  l->lon0 = (bb[0] + bb[2]) / 2;
  l->lat0 = (bb[1] + bb[3]) / 2;
  l->coslat0 = cos(l->lat0 * G_PI / 180.0);
  double d2r = G_PI / 180.0;
  double ext_x = fmax((bb[2] - bb[0]) * d2r * EARTH_R * l->coslat0, 1.0);
  double ext_y = fmax((bb[3] - bb[1]) * d2r * EARTH_R, 1.0);
  double margin = 0.06;
  l->px_per_m = fmin(l->map_w * (1 - 2 * margin) / ext_x, l->map_h * (1 - 2 * margin) / ext_y);
  l->cx = l->map_x + l->map_w / 2;
  l->cy = l->map_y + l->map_h / 2;
  return TRUE;
}

/* Step 2, scale: the largest value, gain and loss of BANDS, the flow per
 * group that is present (PRESENT, for the legend), the changes too small
 * to draw on a difference map removed from BANDS, and the band width per
 * unit of flow. */
static void scale_bands(ThMapLayout *l, GArray *bands, const ThResults *base,
                        const ThMapOptions *o, double u, double *present) {
  for (guint i = 0; i < bands->len; i++) {
    Band *b = &g_array_index(bands, Band, i);
    l->max_value = fmax(l->max_value, fabs(b->total));
    l->max_gain = fmax(l->max_gain, b->total);
    l->max_loss = fmin(l->max_loss, b->total);
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++)
      present[g] += b->v[g];
  }
  if (base && l->max_value > 0) {
    /* Changes of a few vehicles are the noise of re-routing between two
     * equilibria, and as hairlines everywhere they hide the project's
     * effect: changes under 2% of the largest are not drawn (the legend
     * says so). */
    l->min_change = 0.02 * l->max_value;
    guint k = 0;
    for (guint i = 0; i < bands->len; i++)
      if (fabs(g_array_index(bands, Band, i).total) >= l->min_change)
        g_array_index(bands, Band, k++) = g_array_index(bands, Band, i);
    g_array_set_size(bands, k);
  }
  /* the busiest link gets a band of 30 px per direction at 2400 x 1800 */
  double max_w = 30 * u;
  l->scale_value = l->max_value;
  if (base) {
    /* A difference map is scaled against the flows too: a change gets the
     * full width only when it is at least a quarter of the busiest base
     * flow, so a change of 20 vehicles a day never looks like a motorway. */
    double base_max = 0;
    for (int e = 0; e < base->net->n_links; e++)
      base_max = fmax(base_max, total_of(base, e, o));
    l->scale_value = fmax(l->max_value, 0.25 * base_max);
  }
  l->px_per_unit = l->scale_value > 0 ? max_w / l->scale_value : 0;
}

/* Step 3, flows: one band per directed link, offset to the right of the
 * centre line; a flow map stacks the groups side by side, a difference or
 * v/c map draws one band in the colour of its sign or its v/c. Counts the
 * bands drawn in L->n_bands. */
static void draw_bands(cairo_t *cr, ThMapLayout *l, GArray *bands, const ThResults *base,
                       const ThMapOptions *o, double u) {
  double min_w = 1.0 * u; /* a visible hairline for the smallest flows */
  double gap = 1.5 * u;   /* between the centre line and a band */
  /* round ends close the wedge where consecutive links of a route meet at an angle */
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit(cr, 3.0);
  for (guint i = 0; i < bands->len; i++) {
    Band *b = &g_array_index(bands, Band, i);
    int n;
    g_autofree double *p = th_map_link_px(l, b->net, b->e, &n);
    if (!p) continue;
    l->n_bands++;
    double off = gap;
    if (base || o->metric == TH_MAP_METRIC_VC) {
      double w = fmax(fabs(b->total) * l->px_per_unit, min_w);
      Rgb c = base ? th_map_hex(b->total > 0 ? GAIN_COLOUR : LOSS_COLOUR) : th_map_vc_colour(b->vc);
      cairo_new_path(cr);
      th_map_offset_path(cr, p, n, off + w / 2);
      cairo_set_line_width(cr, w);
      th_map_set_rgb(cr, c);
      cairo_stroke(cr);
      continue;
    }
    double total_w = fmax(b->total * l->px_per_unit, min_w);
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++) {
      if (b->v[g] <= 0) continue;
      double w = total_w * b->v[g] / b->total;
      cairo_new_path(cr);
      th_map_offset_path(cr, p, n, off + w / 2);
      cairo_set_line_width(cr, w);
      th_map_set_rgb(cr, th_map_hex(group_colour[g]));
      cairo_stroke(cr);
      off += w;
    }
  }
}

/* The steps: layout (frame and projection), bands and their scale, then in
 * drawing order paper, the network (roads under rails, the base's under
 * R's), the flow bands, the furniture and labels (map-labels.c), the frame
 * and the legend (map-legend.c). */
gboolean th_map_draw(cairo_t *cr, const ThResults *r, const ThResults *base, const ThMapOptions *o,
                     ThMapLayout *layout_out, GError **error) {
  if (base && !th_results_comparable(base, r, error)) return FALSE;
  double u = sqrt((double)o->width * o->height) / 2078.0; /* 1 at 2400 x 1800 */
  ThMapLayout l = {0};
  if (!layout_map(&l, r, base, o, u, error)) return FALSE;
  g_autoptr(GArray) bands = collect_bands(r, base, o);
  double present[TH_N_FLOW_GROUPS] = {0};
  scale_bands(&l, bands, base, o, u, present);

  /* paper, legend panel and map frame */
  th_map_set_rgb(cr, th_map_hex(PAPER));
  cairo_paint(cr);
  cairo_rectangle(cr, l.map_x, l.map_y, l.map_w, l.map_h);
  th_map_set_rgb(cr, th_map_hex(MAP_BG));
  cairo_fill(cr);

  cairo_save(cr);
  cairo_rectangle(cr, l.map_x, l.map_y, l.map_w, l.map_h);
  cairo_clip(cr);
  if (base) draw_network(cr, &l, base->net, u, FALSE);
  draw_network(cr, &l, r->net, u, FALSE);
  if (base) draw_network(cr, &l, base->net, u, TRUE);
  draw_network(cr, &l, r->net, u, TRUE);
  draw_bands(cr, &l, bands, base, o, u);

  g_autoptr(GArray) obstacles = g_array_new(FALSE, FALSE, sizeof(Box));
  th_map_draw_north_arrow(cr, &l, u, obstacles);
  th_map_draw_scale_bar(cr, &l, u, obstacles);
  th_map_draw_labels(cr, r->net, &l, u, obstacles);
  cairo_restore(cr);

  cairo_rectangle(cr, l.map_x, l.map_y, l.map_w, l.map_h);
  th_map_set_rgb(cr, th_map_hex(0x9a968e));
  cairo_set_line_width(cr, 1.5 * u);
  cairo_stroke(cr);

  th_map_draw_legend(cr, r, base, o, &l, present, u);
  if (layout_out) *layout_out = l;
  return TRUE;
}

/* ---- files ---- */

static cairo_status_t svg_write(void *closure, const unsigned char *data, unsigned int len) {
  return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

gboolean th_map_write(const char *png_path, const char *svg_path, const ThResults *r,
                      const ThResults *base, const ThMapOptions *o, ThMapLayout *layout,
                      GError **error) {
  if (o->width < 200 || o->height < 150 || o->width > 20000 || o->height > 20000) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "map size %dx%d is out of range (200x150 to 20000x20000 pixels)", o->width,
                o->height);
    return FALSE;
  }
  g_autoptr(ThAtomicFile) svg_file = NULL;
  if (svg_path) {
    svg_file = th_atomic_open(svg_path, error);
    if (!svg_file) return FALSE;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(svg_write, th_atomic_stream(svg_file),
                                                             o->width, o->height);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(s);
    gboolean ok = th_map_draw(cr, r, base, o, layout, error);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (!ok) return FALSE;
    if (st != CAIRO_STATUS_SUCCESS) {
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: %s", svg_path, cairo_status_to_string(st));
      return FALSE;
    }
  }
  if (png_path) {
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o->width, o->height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(s);
      g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "cannot allocate a %dx%d image", o->width,
                  o->height);
      return FALSE;
    }
    cairo_t *cr = cairo_create(s);
    gboolean ok = th_map_draw(cr, r, base, o, layout, error);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (ok) {
      g_autofree char *seed = g_strdup_printf("%" G_GINT64_FORMAT, r->seed);
      g_autofree char *software = g_strdup_printf("taihang %s", TH_VERSION);
      ThPngText texts[6];
      int nt = 0;
      if (o->title && *o->title) texts[nt++] = (ThPngText){"Title", o->title};
      texts[nt++] = (ThPngText){"Software", software};
      texts[nt++] = (ThPngText){"Scenario", r->scenario ? r->scenario : ""};
      texts[nt++] = (ThPngText){"Seed", seed};
      if (base) texts[nt++] = (ThPngText){"Base", base->scenario ? base->scenario : ""};
      ok = th_png_write(png_path, cairo_image_surface_get_data(s), o->width, o->height,
                        cairo_image_surface_get_stride(s), texts, nt, error);
    }
    cairo_surface_destroy(s);
    if (!ok) return FALSE;
  }
  if (svg_file && !th_atomic_commit(g_steal_pointer(&svg_file), error)) {
    if (png_path) g_unlink(png_path);
    return FALSE;
  }
  return TRUE;
}

void th_map_release_fonts(void) {
  pango_cairo_font_map_set_default(NULL);
  cairo_debug_reset_static_data();
  FcFini();
}

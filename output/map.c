/* map.c: flow maps with cairo and pango (see map.h). */
#include "output/map.h"
#include "network/th-error.h"
#include "output/atomic.h"
#include "output/linegeom.h"
#include "output/png-write.h"

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define FONT_FAMILY "WenQuanYi Micro Hei"
#define EARTH_R 6371008.8

/* ---- options: th_map_mode_parse and th_map_metric_parse are in graphics.c
 * (they need no cairo, and `taihang map` parses before it draws) ---- */

/* ---- colours ---- */

typedef struct {
  double r, g, b;
} Rgb;

static Rgb hex(unsigned v) {
  return (Rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}

static void set_rgb(cairo_t *cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

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
#define GAIN_COLOUR 0xd6412b
#define LOSS_COLOUR 0x2c6fb7
#define NET_ROAD 0xc4c1ba
#define NET_RAIL 0x8d8a85
#define INK 0x222222
#define PAPER 0xffffff
#define MAP_BG 0xf5f3ee

/* Green-yellow-red for v/c: free (< 0.6) green, near capacity (0.85)
 * yellow-orange, at or over capacity (>= 1) red. */
static Rgb vc_colour(double vc) {
  static const double stop[] = {0.0, 0.6, 0.85, 1.0, 1.25};
  static const unsigned col[] = {0x1a9850, 0x91cf60, 0xfdd835, 0xe8552e, 0xa50026};
  if (!(vc > 0)) return hex(col[0]);
  for (int i = 1; i < 5; i++)
    if (vc <= stop[i]) {
      double t = (vc - stop[i - 1]) / (stop[i] - stop[i - 1]);
      Rgb a = hex(col[i - 1]), b = hex(col[i]);
      return (Rgb){a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b)};
    }
  return hex(col[4]);
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

/* ---- projection and geometry ---- */

void th_map_project(const ThMapLayout *l, double lon, double lat, double *x, double *y) {
  double d2r = G_PI / 180.0;
  *x = l->cx + (lon - l->lon0) * d2r * EARTH_R * l->coslat0 * l->px_per_m;
  *y = l->cy - (lat - l->lat0) * d2r * EARTH_R * l->px_per_m;
}

static void bbox_add(double *bb, double lon, double lat) {
  if (!isfinite(lon) || !isfinite(lat)) return;
  bb[0] = fmin(bb[0], lon);
  bb[1] = fmin(bb[1], lat);
  bb[2] = fmax(bb[2], lon);
  bb[3] = fmax(bb[3], lat);
}

static void bbox_net(double *bb, const ThNetwork *net) {
  for (int v = 0; v < net->n_nodes; v++)
    bbox_add(bb, net->lon[v], net->lat[v]);
  for (int e = 0; e < net->n_links; e++) {
    if (!net->link_geometry || !*net->link_geometry[e]) continue;
    int n;
    g_autofree double *p = th_link_polyline(net, e, &n);
    for (int i = 0; i < n; i++)
      bbox_add(bb, p[2 * i], p[2 * i + 1]);
  }
}

/* Projected polyline of a link with repeated points removed; NULL if it has
 * fewer than two distinct points. */
static double *link_px(const ThMapLayout *l, const ThNetwork *net, int e, int *n_out) {
  int n;
  g_autofree double *p = th_link_polyline(net, e, &n);
  *n_out = 0;
  if (!p) return NULL;
  double *q = g_new(double, 2 * n);
  int k = 0;
  for (int i = 0; i < n; i++) {
    double x, y;
    th_map_project(l, p[2 * i], p[2 * i + 1], &x, &y);
    if (k > 0 && hypot(x - q[2 * k - 2], y - q[2 * k - 1]) < 1e-6) continue;
    q[2 * k] = x;
    q[2 * k + 1] = y;
    k++;
  }
  if (k < 2) {
    g_free(q);
    return NULL;
  }
  *n_out = k;
  return q;
}

/* Path of the polyline P offset by D pixels to the right of its direction
 * (screen coordinates, y down: the right of (dx, dy) is (-dy, dx)), with
 * mitred corners limited to 3 D so sharp bends do not spike. */
static void offset_path(cairo_t *cr, const double *p, int n, double d) {
  for (int i = 0; i < n; i++) {
    double nx = 0, ny = 0;
    int segs[2] = {i - 1, i};
    int cnt = 0;
    double n0x = 0, n0y = 0;
    for (int s = 0; s < 2; s++) {
      int a = segs[s];
      if (a < 0 || a >= n - 1) continue;
      double dx = p[2 * a + 2] - p[2 * a], dy = p[2 * a + 3] - p[2 * a + 1];
      double len = hypot(dx, dy);
      double ux = -dy / len, uy = dx / len;
      if (!cnt) {
        n0x = ux;
        n0y = uy;
      }
      nx += ux;
      ny += uy;
      cnt++;
    }
    double len = hypot(nx, ny);
    double ox, oy;
    if (len < 1e-9) {
      ox = n0x * d;
      oy = n0y * d;
    } else {
      nx /= len;
      ny /= len;
      double c = nx * n0x + ny * n0y; /* cos of half the turn */
      double k = c > 1.0 / 3.0 ? d / c : 3 * d;
      ox = nx * k;
      oy = ny * k;
    }
    if (i == 0)
      cairo_move_to(cr, p[0] + ox, p[1] + oy);
    else
      cairo_line_to(cr, p[2 * i] + ox, p[2 * i + 1] + oy);
  }
}

/* ---- text ---- */

static PangoLayout *text_layout(cairo_t *cr, const char *text, double px, gboolean bold,
                                double wrap_w) {
  PangoLayout *lay = pango_cairo_create_layout(cr);
  /* unhinted metrics: identical layout in PNG and SVG and from run to run */
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(pango_layout_get_context(lay), fo);
  pango_layout_context_changed(lay);
  cairo_font_options_destroy(fo);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, FONT_FAMILY);
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

static void text_size(PangoLayout *lay, double *w, double *h) {
  PangoRectangle ink, logical;
  pango_layout_get_extents(lay, &ink, &logical);
  *w = (double)logical.width / PANGO_SCALE;
  *h = (double)logical.height / PANGO_SCALE;
}

/* Draws TEXT with its top-left at (X, Y); returns its height. */
static double draw_text(cairo_t *cr, const char *text, double x, double y, double px, gboolean bold,
                        double wrap_w, Rgb colour) {
  PangoLayout *lay = text_layout(cr, text, px, bold, wrap_w);
  double w, h;
  text_size(lay, &w, &h);
  set_rgb(cr, colour);
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
  set_rgb(cr, hex(INK));
  cairo_fill(cr);
  cairo_restore(cr);
}

/* ---- numbers ---- */

/* The largest 1-2-5 number <= X (X > 0). */
static double nice_floor(double x) {
  double p = pow(10, floor(log10(x)));
  double m = x / p;
  double f = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return f * p;
}

/* The next smaller 1-2-5 number. */
static double nice_down(double x) {
  double p = pow(10, floor(log10(x) + 1e-9));
  double m = x / p;
  if (m > 4.5) return 2 * p;
  if (m > 1.5) return p;
  return 0.5 * p;
}

/* "12,500" or "0.25": thousands separated by commas, as planners write. */
static char *format_number(double v) {
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

static const char *mode_label(ThMapMode m) {
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

static const char *scenario_label(const ThResults *r) {
  return r->scenario && *r->scenario ? r->scenario : "(unnamed)";
}

/* ---- labels ---- */

typedef struct {
  double x0, y0, x1, y1;
} Box;

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

static void draw_labels(cairo_t *cr, const ThNetwork *net, ThMapLayout *l, double u,
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
    set_rgb(cr, hex(INK));
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
    PangoLayout *lay = text_layout(cr, net->node_name[c->v], px, c->rank == 0, 0);
    double w, h;
    text_size(lay, &w, &h);
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

static void draw_scale_bar(cairo_t *cr, const ThMapLayout *l, double u, GArray *obstacles) {
  double m_per_px = 1.0 / l->px_per_m;
  double target_km = l->map_w * 0.2 * m_per_px / 1000.0;
  double km = nice_floor(target_km);
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
      set_rgb(cr, hex(INK));
    else
      cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    set_rgb(cr, hex(INK));
    cairo_set_line_width(cr, 1 * u);
    cairo_stroke(cr);
  }
  double ticks[3] = {0, km / 2, km};
  for (int i = 0; i < 3; i++) {
    g_autofree char *num = format_number(ticks[i]);
    g_autofree char *t = i == 2 ? g_strdup_printf("%s km", num) : g_strdup(num);
    PangoLayout *lay = text_layout(cr, t, 14 * u, FALSE, 0);
    double w, h;
    text_size(lay, &w, &h);
    set_rgb(cr, hex(INK));
    /* the number sits over its tick; " km" trails the last one */
    double num_w = w;
    if (i == 2) {
      PangoLayout *nl = text_layout(cr, num, 14 * u, FALSE, 0);
      double nh;
      text_size(nl, &num_w, &nh);
      g_object_unref(nl);
    }
    cairo_move_to(cr, x0 + len * i / 2 - num_w / 2, y0 - h - 3 * u);
    pango_cairo_show_layout(cr, lay);
    g_object_unref(lay);
  }
  g_array_append_val(obstacles, b);
}

static void draw_north_arrow(cairo_t *cr, const ThMapLayout *l, double u, GArray *obstacles) {
  double cx = l->map_x + l->map_w - 44 * u, top = l->map_y + 22 * u;
  double hh = 46 * u, hw = 14 * u;
  cairo_new_path(cr);
  cairo_move_to(cr, cx, top + 20 * u);
  cairo_line_to(cr, cx + hw, top + 20 * u + hh);
  cairo_line_to(cr, cx, top + 20 * u + hh * 0.72);
  cairo_close_path(cr);
  set_rgb(cr, hex(INK));
  cairo_fill(cr);
  cairo_move_to(cr, cx, top + 20 * u);
  cairo_line_to(cr, cx - hw, top + 20 * u + hh);
  cairo_line_to(cr, cx, top + 20 * u + hh * 0.72);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  set_rgb(cr, hex(INK));
  cairo_set_line_width(cr, 1.2 * u);
  cairo_stroke(cr);
  PangoLayout *lay = text_layout(cr, "N", 18 * u, TRUE, 0);
  double w, h;
  text_size(lay, &w, &h);
  cairo_move_to(cr, cx - w / 2, top - 2 * u);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
  Box b = {cx - hw - 6 * u, top - 4 * u, cx + hw + 6 * u, top + 24 * u + hh};
  g_array_append_val(obstacles, b);
}

/* ---- the legend panel ---- */

typedef struct {
  Rgb c;
  const char *label;
} KeyItem;

static double legend_heading(cairo_t *cr, const char *text, double x, double y, double w,
                             double u) {
  return draw_text(cr, text, x, y, 17 * u, TRUE, w, hex(INK)) + 6 * u;
}

static void draw_legend(cairo_t *cr, const ThResults *r, const ThResults *base,
                        const ThMapOptions *o, const ThMapLayout *l, const double *present,
                        double u) {
  /* legend text a size larger than the map's labels: it is read first */
  double bu = u;
  u *= 1.3;
  double x = l->legend_x + 28 * u, w = l->legend_w - 52 * u, y = l->legend_y + 30 * u;
  Rgb ink = hex(INK), grey = hex(0x555555);
  /* title */
  g_autofree char *title = NULL;
  if (o->title && *o->title)
    title = g_strdup(o->title);
  else if (base)
  {
    g_autofree char *unit = th_map_metric_unit(o->metric, o->mode, r->horizon_s);
    title = g_strdup_printf("Change in %s, %s", unit, mode_label(o->mode));
  }
  else if (o->metric == TH_MAP_METRIC_VC)
    title = g_strdup("Road volume / capacity");
  else
    title = g_strdup_printf("Flows, %s", mode_label(o->mode));
  y += draw_text(cr, title, x, y, 30 * u, TRUE, w, ink) + 10 * u;
  g_autofree char *scen =
      base ? g_strdup_printf("Scenario: %s\nBase: %s", scenario_label(r), scenario_label(base))
           : g_strdup_printf("Scenario: %s", scenario_label(r));
  y += draw_text(cr, scen, x, y, 18 * u, FALSE, w, ink) + 4 * u;
  if (o->date && *o->date) y += draw_text(cr, o->date, x, y, 16 * u, FALSE, w, grey) + 4 * u;
  if (th_results_expansion(r) != 1) {
    g_autofree char *note = g_strdup_printf("Flows of a %g%% sample of the demand, expanded x%g",
                                            100 * r->sample_factor, th_results_expansion(r));
    y += draw_text(cr, note, x, y, 16 * u, FALSE, w, grey) + 4 * u;
  }
  y += 22 * u;

  /* width scale */
  g_autofree char *unit = th_map_metric_unit(o->metric, o->mode, r->horizon_s);
  g_autofree char *wh = g_strdup_printf("Band width: %s%s", base ? "change in " : "", unit);
  y += legend_heading(cr, wh, x, y, w, u);
  if (l->max_value > 0) {
    double v = nice_floor(l->scale_value);
    double refs[3] = {v, nice_down(v), nice_down(nice_down(v))};
    for (int i = 0; i < 3; i++) {
      double bw = fmax(refs[i] * l->px_per_unit, 1.0 * bu); /* true to the map */
      double rowh = fmax(bw, 20 * u) + 10 * u;
      double cy = y + rowh / 2;
      cairo_rectangle(cr, x, cy - bw / 2, 90 * u, bw);
      set_rgb(cr, hex(0x6e6e6e));
      cairo_fill(cr);
      g_autofree char *num = format_number(refs[i]);
      PangoLayout *lay = text_layout(cr, num, 16 * u, FALSE, 0);
      double tw, th;
      text_size(lay, &tw, &th);
      set_rgb(cr, ink);
      cairo_move_to(cr, x + 104 * u, cy - th / 2);
      pango_cairo_show_layout(cr, lay);
      g_object_unref(lay);
      y += rowh;
    }
  } else {
    y += draw_text(cr, base ? "no change on any link" : "no flow on any link", x, y, 16 * u, FALSE,
                   w, grey);
  }
  y += draw_text(cr, "each direction on its own side, right of the direction of travel", x,
                 y + 4 * u, 13 * u, FALSE, w, grey) +
       6 * u;
  if (base && l->max_value > 0) {
    g_autofree char *up = format_number(l->max_gain), *down = format_number(l->max_loss);
    g_autofree char *note = g_strdup_printf("largest increase %s%s, largest decrease %s",
                                            l->max_gain > 0 ? "+" : "", up, down);
    y += draw_text(cr, note, x, y, 13 * u, FALSE, w, grey);
  }
  if (l->min_change > 0) {
    g_autofree char *num = format_number(l->min_change);
    g_autofree char *note = g_strdup_printf("changes under %s (2%% of the largest) not drawn", num);
    y += draw_text(cr, note, x, y, 13 * u, FALSE, w, grey);
  }
  y += 18 * u;

  /* colour key */
  y += legend_heading(cr, "Colour", x, y, w, u);
  KeyItem keys[TH_N_FLOW_GROUPS + 2];
  int nk = 0;
  if (base) {
    keys[nk++] = (KeyItem){hex(GAIN_COLOUR), "Increase 增加"};
    keys[nk++] = (KeyItem){hex(LOSS_COLOUR), "Decrease 减少"};
  } else if (o->metric != TH_MAP_METRIC_VC) {
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++)
      if (present[g] > 0) keys[nk++] = (KeyItem){hex(group_colour[g]), group_label[g]};
  }
  for (int i = 0; i < nk; i++) {
    cairo_rectangle(cr, x, y + 3 * u, 40 * u, 16 * u);
    set_rgb(cr, keys[i].c);
    cairo_fill(cr);
    draw_text(cr, keys[i].label, x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
    y += 28 * u;
  }
  if (!base && o->metric == TH_MAP_METRIC_VC) {
    /* a ramp with ticks at the break points */
    double rw = w - 20 * u, rh = 18 * u, vmax = 1.25;
    for (int i = 0; i < (int)rw; i++) {
      set_rgb(cr, vc_colour(vmax * i / rw));
      cairo_rectangle(cr, x + i, y, 1.0 + 0.5, rh);
      cairo_fill(cr);
    }
    const double ticks[] = {0, 0.6, 0.85, 1.0};
    const char *tl[] = {"0", "0.6", "0.85", "1.0+"};
    for (int i = 0; i < 4; i++) {
      double tx = x + rw * ticks[i] / vmax;
      set_rgb(cr, ink);
      cairo_set_line_width(cr, 1.2 * u);
      cairo_move_to(cr, tx, y + rh);
      cairo_line_to(cr, tx, y + rh + 5 * u);
      cairo_stroke(cr);
      PangoLayout *lay = text_layout(cr, tl[i], 14 * u, FALSE, 0);
      double tw, th;
      text_size(lay, &tw, &th);
      cairo_move_to(cr, fmax(x, tx - tw / 2), y + rh + 6 * u);
      pango_cairo_show_layout(cr, lay);
      g_object_unref(lay);
    }
    y += rh + 30 * u;
    y += draw_text(cr, "peak-hour pcu / capacity", x, y, 13 * u, FALSE, w, grey) + 8 * u;
  }
  /* the network itself */
  set_rgb(cr, hex(NET_ROAD));
  cairo_set_line_width(cr, 3 * u);
  cairo_move_to(cr, x, y + 11 * u);
  cairo_line_to(cr, x + 40 * u, y + 11 * u);
  cairo_stroke(cr);
  draw_text(cr, "Road, no flow", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;
  set_rgb(cr, hex(NET_RAIL));
  double dash[2] = {7 * u, 4 * u};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 2.2 * u);
  cairo_move_to(cr, x, y + 11 * u);
  cairo_line_to(cr, x + 40 * u, y + 11 * u);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  draw_text(cr, "Rail, no flow", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;
  /* place symbols */
  cairo_new_path(cr);
  cairo_arc(cr, x + 20 * u, y + 11 * u, 5.5 * u, 0, 2 * G_PI);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  set_rgb(cr, ink);
  cairo_set_line_width(cr, 2 * u);
  cairo_stroke(cr);
  draw_text(cr, "Zone (city, county) 城市/区县", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
  y += 28 * u;
  cairo_new_path(cr);
  cairo_rectangle(cr, x + 15.5 * u, y + 6.5 * u, 9 * u, 9 * u);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  set_rgb(cr, ink);
  cairo_set_line_width(cr, 1.5 * u);
  cairo_stroke(cr);
  draw_text(cr, "Station or hub 车站/枢纽", x + 54 * u, y, 16 * u, FALSE, w - 54 * u, ink);
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
  PangoLayout *lay = text_layout(cr, src, 13 * u, FALSE, w);
  double tw, th;
  text_size(lay, &tw, &th);
  set_rgb(cr, grey);
  cairo_move_to(cr, x, l->legend_y + l->legend_h - th - 24 * u);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
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
    g_autofree double *p = link_px(l, net, e, &n);
    if (!p) continue;
    cairo_move_to(cr, p[0], p[1]);
    for (int i = 1; i < n; i++)
      cairo_line_to(cr, p[2 * i], p[2 * i + 1]);
  }
  if (rail) {
    double dash[2] = {7 * u, 4 * u};
    cairo_set_dash(cr, dash, 2, 0);
    set_rgb(cr, hex(NET_RAIL));
    cairo_set_line_width(cr, 2.2 * u);
  } else {
    set_rgb(cr, hex(NET_ROAD));
    cairo_set_line_width(cr, 3 * u);
  }
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
}

gboolean th_map_draw(cairo_t *cr, const ThResults *r, const ThResults *base, const ThMapOptions *o,
                     ThMapLayout *layout_out, GError **error) {
  if (base && !th_results_comparable(base, r, error)) return FALSE;
  double W = o->width, H = o->height;
  double u = sqrt(W * H) / 2078.0; /* 1 at 2400 x 1800 */
  ThMapLayout l = {0};
  l.legend_w = fmax(W * 0.24, fmin(W * 0.45, 300 * u));
  l.legend_x = W - l.legend_w;
  l.legend_y = 0;
  l.legend_h = H;
  double m = 24 * u;
  l.map_x = m;
  l.map_y = m;
  l.map_w = l.legend_x - 2 * m;
  l.map_h = H - 2 * m;

  double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  if (o->has_bbox) {
    bbox_add(bb, o->bbox[0], o->bbox[1]);
    bbox_add(bb, o->bbox[2], o->bbox[3]);
  } else {
    bbox_net(bb, r->net);
    if (base) bbox_net(bb, base->net);
  }
  if (!isfinite(bb[0])) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s/network/node.csv: no node has coordinates (x_coord, y_coord in WGS84) to "
                "draw a map",
                r->dir);
    return FALSE;
  }
  l.lon0 = (bb[0] + bb[2]) / 2;
  l.lat0 = (bb[1] + bb[3]) / 2;
  l.coslat0 = cos(l.lat0 * G_PI / 180.0);
  double d2r = G_PI / 180.0;
  double ext_x = fmax((bb[2] - bb[0]) * d2r * EARTH_R * l.coslat0, 1.0);
  double ext_y = fmax((bb[3] - bb[1]) * d2r * EARTH_R, 1.0);
  double margin = 0.06;
  l.px_per_m = fmin(l.map_w * (1 - 2 * margin) / ext_x, l.map_h * (1 - 2 * margin) / ext_y);
  l.cx = l.map_x + l.map_w / 2;
  l.cy = l.map_y + l.map_h / 2;

  g_autoptr(GArray) bands = collect_bands(r, base, o);
  double present[TH_N_FLOW_GROUPS] = {0};
  for (guint i = 0; i < bands->len; i++) {
    Band *b = &g_array_index(bands, Band, i);
    l.max_value = fmax(l.max_value, fabs(b->total));
    l.max_gain = fmax(l.max_gain, b->total);
    l.max_loss = fmin(l.max_loss, b->total);
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++)
      present[g] += b->v[g];
  }
  if (base && l.max_value > 0) {
    /* Changes of a few vehicles are the noise of re-routing between two
     * equilibria, and as hairlines everywhere they hide the project's
     * effect: changes under 2% of the largest are not drawn (the legend
     * says so). */
    l.min_change = 0.02 * l.max_value;
    guint k = 0;
    for (guint i = 0; i < bands->len; i++)
      if (fabs(g_array_index(bands, Band, i).total) >= l.min_change)
        g_array_index(bands, Band, k++) = g_array_index(bands, Band, i);
    g_array_set_size(bands, k);
  }
  /* the busiest link gets a band of 30 px per direction at 2400 x 1800 */
  double max_w = 30 * u;
  l.scale_value = l.max_value;
  if (base) {
    /* A difference map is scaled against the flows too: a change gets the
     * full width only when it is at least a quarter of the busiest base
     * flow, so a change of 20 vehicles a day never looks like a motorway. */
    double base_max = 0;
    for (int e = 0; e < base->net->n_links; e++)
      base_max = fmax(base_max, total_of(base, e, o));
    l.scale_value = fmax(l.max_value, 0.25 * base_max);
  }
  l.px_per_unit = l.scale_value > 0 ? max_w / l.scale_value : 0;
  double min_w = 1.0 * u; /* a visible hairline for the smallest flows */

  /* paper, legend panel and map frame */
  set_rgb(cr, hex(PAPER));
  cairo_paint(cr);
  cairo_rectangle(cr, l.map_x, l.map_y, l.map_w, l.map_h);
  set_rgb(cr, hex(MAP_BG));
  cairo_fill(cr);

  cairo_save(cr);
  cairo_rectangle(cr, l.map_x, l.map_y, l.map_w, l.map_h);
  cairo_clip(cr);
  if (base) draw_network(cr, &l, base->net, u, FALSE);
  draw_network(cr, &l, r->net, u, FALSE);
  if (base) draw_network(cr, &l, base->net, u, TRUE);
  draw_network(cr, &l, r->net, u, TRUE);

  double gap = 1.5 * u; /* between the centre line and a band */
  /* round ends close the wedge where consecutive links of a route meet at an angle */
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit(cr, 3.0);
  for (guint i = 0; i < bands->len; i++) {
    Band *b = &g_array_index(bands, Band, i);
    int n;
    g_autofree double *p = link_px(&l, b->net, b->e, &n);
    if (!p) continue;
    l.n_bands++;
    double off = gap;
    if (base || o->metric == TH_MAP_METRIC_VC) {
      double w = fmax(fabs(b->total) * l.px_per_unit, min_w);
      Rgb c = base ? hex(b->total > 0 ? GAIN_COLOUR : LOSS_COLOUR) : vc_colour(b->vc);
      cairo_new_path(cr);
      offset_path(cr, p, n, off + w / 2);
      cairo_set_line_width(cr, w);
      set_rgb(cr, c);
      cairo_stroke(cr);
      continue;
    }
    double total_w = fmax(b->total * l.px_per_unit, min_w);
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++) {
      if (b->v[g] <= 0) continue;
      double w = total_w * b->v[g] / b->total;
      cairo_new_path(cr);
      offset_path(cr, p, n, off + w / 2);
      cairo_set_line_width(cr, w);
      set_rgb(cr, hex(group_colour[g]));
      cairo_stroke(cr);
      off += w;
    }
  }

  g_autoptr(GArray) obstacles = g_array_new(FALSE, FALSE, sizeof(Box));
  draw_north_arrow(cr, &l, u, obstacles);
  draw_scale_bar(cr, &l, u, obstacles);
  draw_labels(cr, r->net, &l, u, obstacles);
  cairo_restore(cr);

  cairo_rectangle(cr, l.map_x, l.map_y, l.map_w, l.map_h);
  set_rgb(cr, hex(0x9a968e));
  cairo_set_line_width(cr, 1.5 * u);
  cairo_stroke(cr);

  draw_legend(cr, r, base, o, &l, present, u);
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

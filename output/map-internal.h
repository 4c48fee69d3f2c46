/* map-internal.h: what the files of the flow map share (map.c, map-layout.c,
 * map-labels.c, map-legend.c); not for use outside output/map*.c.
 *
 * A map is drawn in steps: layout (th_map_project, link geometry), the
 * network and its flow bands (map.c), labels and furniture (map-labels.c),
 * the legend (map-legend.c). U is the size of one design unit in pixels. */
#pragma once
#include "output/map.h"

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define FONT_FAMILY "WenQuanYi Micro Hei"
#define EARTH_R 6371008.8
#define GAIN_COLOUR 0xd6412b
#define LOSS_COLOUR 0x2c6fb7
#define NET_ROAD 0xc4c1ba
#define NET_RAIL 0x8d8a85
#define INK 0x222222
#define PAPER 0xffffff
#define MAP_BG 0xf5f3ee

/* a colour, components 0..1 */
typedef struct {
  double r, g, b;
} Rgb;

/* an area already taken on the map (labels, furniture), in pixels */
typedef struct {
  double x0, y0, x1, y1;
} Box;

/* colour and legend label of each flow group */
unsigned th_map_group_colour(ThFlowGroup g);
const char *th_map_group_label(ThFlowGroup g);

/* colours (map.c): 0xRRGGBB, the source colour, a v/c ramp */
Rgb th_map_hex(unsigned v);
void th_map_set_rgb(cairo_t *cr, Rgb c);
Rgb th_map_vc_colour(double vc);
/* layout (map-layout.c): a lon/lat box grown by a point or a network; a
 * link's polyline in pixels (N_OUT points, caller frees; NULL when off the
 * map); a path drawn D pixels to the right of P */
void th_map_bbox_add(double *bb, double lon, double lat);
void th_map_bbox_net(double *bb, const ThNetwork *net);
double *th_map_link_px(const ThMapLayout *l, const ThNetwork *net, int e, int *n_out);
void th_map_offset_path(cairo_t *cr, const double *p, int n, double d);
/* text and numbers (map-labels.c): pango layouts in FONT_FAMILY, text
 * drawn at (X, Y) returning its height, round numbers for scales and legends,
 * the labels of a mode and of a scenario */
PangoLayout *th_map_text_layout(cairo_t *cr, const char *text, double px, gboolean bold,
                                double wrap_w);
void th_map_text_size(PangoLayout *lay, double *w, double *h);
double th_map_draw_text(cairo_t *cr, const char *text, double x, double y, double px, gboolean bold,
                        double wrap_w, Rgb colour);
double th_map_nice_floor(double x);
double th_map_nice_down(double x);
char *th_map_format_number(double v);
const char *th_map_mode_label(ThMapMode m);
const char *th_map_scenario_label(const ThResults *r);
/* the steps after the flows: place labels, scale bar, north arrow
 * (map-labels.c; each adds the Box it takes to OBSTACLES) and the legend
 * (map-legend.c) */
void th_map_draw_labels(cairo_t *cr, const ThNetwork *net, ThMapLayout *l, double u,
                        GArray *obstacles);
void th_map_draw_scale_bar(cairo_t *cr, const ThMapLayout *l, double u, GArray *obstacles);
void th_map_draw_north_arrow(cairo_t *cr, const ThMapLayout *l, double u, GArray *obstacles);
void th_map_draw_legend(cairo_t *cr, const ThResults *r, const ThResults *base,
                        const ThMapOptions *o, const ThMapLayout *l, const double *present,
                        double u);

G_END_DECLS

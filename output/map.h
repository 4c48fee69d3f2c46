/* map.h: flow maps of a results folder, drawn with cairo and pango.
 *
 * A map shows each link as a band along its geometry (straight between its
 * nodes when it has none) whose width is proportional to the flow. The two
 * directions of a road sit on either side of the centre line: each directed
 * link is drawn on the right of its direction of travel (China drives on the
 * right), as Visum, TransCAD and Emme draw them. Within a band the groups of
 * ThFlowGroup are stacked from the centre line outwards (cars, trucks,
 * buses, rail passenger, rail freight, intercity, HSR), so the orange part of
 * a road band is its truck share. With the v/c metric one band per link is
 * coloured green-yellow-red by its volume/capacity ratio.
 *
 * A difference map (scenario - base) draws the change per link: increases in
 * red, decreases in blue, widths by the absolute change. Links that exist
 * in one of the two only count as 0 in the other. Changes under 2% of the
 * largest change are not drawn: they are re-routing noise, and as hairlines
 * all over the map they would hide the project's effect.
 *
 * Around the map: a legend panel on the right (title, scenario, optional
 * date, band-width scale with labelled reference bands, colour key, source
 * line), a scale bar in km and a north arrow on the map, and labels for
 * zones, towns, stations and hubs (Chinese through pango with WenQuanYi Micro
 * Hei), placed greedily by importance so that no two labels overlap; a label
 * that fits nowhere is left out.
 *
 * Projection: local equirectangular around the centre of the study area
 * (x = R cos(lat0) dlon, y = R dlat), north up, fitted to the bounding box of
 * all nodes and geometries (or the box the options give) plus a 6% margin. At the scale of a region
 * (a few hundred km) its distortion is under 1%, and the scale bar is true.
 *
 * Determinism: no clock is read; the date printed is the one given in the
 * options (or none), fonts are drawn unhinted, so the same inputs give
 * byte-identical PNGs (and SVGs) on the same machine and font version. */
#pragma once
#include "output/results-read.h"

#include <cairo.h>

G_BEGIN_DECLS

typedef enum {
  TH_MAP_MODE_ALL = 0, /* every group */
  TH_MAP_MODE_ROAD,    /* cars, trucks, buses */
  TH_MAP_MODE_RAIL,    /* conventional rail, intercity, HSR */
  TH_MAP_MODE_FREIGHT, /* trucks and freight trains */
} ThMapMode;

typedef enum {
  TH_MAP_METRIC_VEHICLES = 0, /* vehicles (road) and trains (rail) per day */
  TH_MAP_METRIC_PASSENGERS,
  TH_MAP_METRIC_TONNES,
  TH_MAP_METRIC_VC, /* width by pcu per day, colour by peak volume/capacity */
} ThMapMetric;

gboolean th_map_mode_parse(const char *s, ThMapMode *out);
gboolean th_map_metric_parse(const char *s, ThMapMetric *out);

typedef struct {
  int width, height; /* pixels (SVG: points) */
  ThMapMode mode;
  ThMapMetric metric;
  const char *title; /* NULL: a title from the metric and mode */
  const char *date;  /* printed under the scenario name; NULL or "": none */
  /* When has_bbox: fit the map to this WGS84 box (west, south, east, north)
   * instead of the whole network, e.g. to zoom on one county; what lies
   * outside is clipped. */
  gboolean has_bbox;
  double bbox[4];
} ThMapOptions;

/* Where things ended up on the canvas (pixels, y down), so callers and
 * tests can find a place on the map. */
typedef struct {
  double map_x, map_y, map_w, map_h;             /* the map frame */
  double legend_x, legend_y, legend_w, legend_h; /* the legend panel */
  double lon0, lat0, coslat0;                    /* projection centre */
  double px_per_m;                               /* map scale */
  double cx, cy;                                 /* pixel of (lon0, lat0) */
  double px_per_unit;                            /* band width per unit of flow */
  double max_value;                              /* largest drawn value (or change) */
  double min_change; /* difference maps: smaller changes are not drawn (2% of max_value) */
  double max_gain, max_loss; /* difference maps: largest increase (>= 0), decrease (<= 0) */
  double scale_value; /* the value drawn at full width (30 px at 2400 x 1800): max_value, or
                         for difference maps at least a quarter of the busiest base flow */
  int n_bands;                                   /* directed links drawn with a band */
  int n_labels, n_labels_skipped;                /* place labels drawn / left out */
} ThMapLayout;

/* Pixel position of a WGS84 point under LAYOUT. */
void th_map_project(const ThMapLayout *layout, double lon, double lat, double *x, double *y);

/* Draws the map of R (or, when BASE is not NULL, of R - BASE) into CR, whose
 * target is OPTS->width x OPTS->height. Fills LAYOUT when not NULL.
 * TH_ERROR_INVALID when the network has no node with coordinates, or R and
 * BASE are not comparable (th_results_comparable).
 * O(links * points + labels^2). */
gboolean th_map_draw(cairo_t *cr, const ThResults *r, const ThResults *base,
                     const ThMapOptions *opts, ThMapLayout *layout, GError **error);

/* Renders the map into PNG_PATH (through th_png_write, with text chunks
 * Title, Software = "taihang VERSION", Scenario, Seed, and Base for a
 * difference map) and/or SVG_PATH (cairo SVG surface); either may be NULL.
 * Files are written atomically: on error neither exists. */
gboolean th_map_write(const char *png_path, const char *svg_path, const ThResults *r,
                      const ThResults *base, const ThMapOptions *opts, ThMapLayout *layout,
                      GError **error);

/* Releases the font caches pango, cairo and fontconfig keep for the life of
 * the process, so leak checkers see a clean exit. Call once, after the last
 * map of the process; drawing afterwards would rebuild them. */
void th_map_release_fonts(void);

/* The legend's unit of the band widths, e.g. "vehicles per day": flows are
 * totals over the run's horizon (run.ini horizon_s), so "per day" only when
 * the run simulated a day or more (Yangcheng's 30 h let a day's trips
 * finish); a one-hour OD table run with --horizon 01:00 gives "vehicles per
 * 1 h (the run's horizon)". Newly allocated. */
char *th_map_metric_unit(ThMapMetric m, ThMapMode mode, double horizon_s);

G_END_DECLS

/* test_maps.c: flow maps, difference maps, GeoJSON, OMX and wide matrices of
 * the handmade results folder tests/data/results-tiny (see its SOURCE.md). */
#include "network/csv.h"
#include "network/gmns.h"
#include "network/th-error.h"
#include "output/geojson.h"
#include "output/linegeom.h"
#include "output/map.h"
#include "output/matrix-csv.h"
#include "output/omx.h"
#include "output/results-read.h"
#include "output/results-write.h"
#include "tests/testutil.h"

#include <glib/gstdio.h>
#include <hdf5.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <png.h>
#include <string.h>

#define TINY "tests/data/results-tiny"
#define W 1200
#define H 900

/* ---- helpers ---- */

typedef struct {
  int w, h;
  guint8 *rgb;      /* w*h*3 */
  GHashTable *text; /* keyword -> value */
} Img;

static void img_free(Img *im) {
  g_free(im->rgb);
  if (im->text) g_hash_table_unref(im->text);
}

/* Decodes PATH with libpng (classic API, to see the text chunks too). */
static Img img_read(const char *path) {
  Img im = {0};
  FILE *fp = fopen(path, "rb");
  g_assert_nonnull(fp);
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  g_assert_true(setjmp(png_jmpbuf(png)) == 0);
  png_init_io(png, fp);
  png_read_info(png, info);
  im.w = (int)png_get_image_width(png, info);
  im.h = (int)png_get_image_height(png, info);
  g_assert_cmpint(png_get_color_type(png, info), ==, PNG_COLOR_TYPE_RGB);
  g_assert_cmpint(png_get_bit_depth(png, info), ==, 8);
  im.rgb = g_malloc((size_t)im.w * im.h * 3);
  for (int y = 0; y < im.h; y++)
    png_read_row(png, im.rgb + (size_t)y * im.w * 3, NULL);
  png_read_end(png, info);
  im.text = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  png_textp t;
  int nt = 0;
  png_get_text(png, info, &t, &nt);
  for (int i = 0; i < nt; i++)
    g_hash_table_insert(im.text, g_strdup(t[i].key), g_strdup(t[i].text));
  png_destroy_read_struct(&png, &info, NULL);
  fclose(fp);
  return im;
}

static unsigned px(const Img *im, int x, int y) {
  if (x < 0 || y < 0 || x >= im->w || y >= im->h) return 0xffffff;
  const guint8 *p = im->rgb + ((size_t)y * im->w + x) * 3;
  return (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
}

static int colour_dist(unsigned a, unsigned b) {
  int d = 0;
  for (int s = 0; s < 24; s += 8)
    d = MAX(d, abs((int)((a >> s) & 0xff) - (int)((b >> s) & 0xff)));
  return d;
}

/* The band colours of map.c: a band pixel is within 12 of one of these. */
static const unsigned band_colours[] = {0x3a76b8, 0xf08a1c, 0x8e5bb5, 0x2e9a4f, 0x8c5a2b,
                                        0x16a3a8, 0xd7191c, 0xd6412b, 0x2c6fb7};

static gboolean is_band(unsigned c) {
  for (size_t i = 0; i < G_N_ELEMENTS(band_colours); i++)
    if (colour_dist(c, band_colours[i]) <= 12) return TRUE;
  return FALSE;
}

static gboolean files_equal(const char *a, const char *b) {
  g_autofree char *x = NULL, *y = NULL;
  gsize nx = 0, ny = 0;
  g_assert_true(g_file_get_contents(a, &x, &nx, NULL));
  g_assert_true(g_file_get_contents(b, &y, &ny, NULL));
  return nx == ny && memcmp(x, y, nx) == 0;
}

/* TEXT with every A replaced by B (caller frees). */
static char *replace(const char *text, const char *a, const char *b) {
  g_auto(GStrv) parts = g_strsplit(text, a, -1);
  g_assert_cmpint(g_strv_length(parts), >=, 2); /* the test changes something */
  return g_strjoinv(b, parts);
}

static ThResults *tiny(void) {
  g_autofree char *dir = th_test_src(TINY);
  g_autoptr(GError) e = NULL;
  ThResults *r = th_results_read(dir, &e);
  g_assert_no_error(e);
  return r;
}

/* Copies the tiny folder into a new temporary folder (caller removes it). */
static char *copy_tiny(void) {
  char *tmp = th_test_tmpdir();
  g_autofree char *src = th_test_src(TINY);
  const char *files[] = {"run.ini", "link_flows.csv", "od_times.csv", "network/node.csv",
                         "network/link.csv"};
  for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *p = g_build_filename(src, files[i], NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
    g_free(th_test_write(tmp, files[i], text));
  }
  return tmp;
}

/* Rewrites run.ini of DIR with the fingerprint its network/ now has. */
static void refingerprint(const char *dir) {
  g_autofree char *nd = g_build_filename(dir, "network", NULL);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(nd, &e);
  g_assert_no_error(e);
  g_autofree char *fp = th_network_fingerprint(net);
  g_autofree char *ini = g_strdup_printf("[run]\ntaihang_version=0.1.0\nscenario=changed\nseed=42\n"
                                         "network_fingerprint=%s\n",
                                         fp);
  g_free(th_test_write(dir, "run.ini", ini));
}

/* Pixel centre of the band of link E on the right of its direction, at
 * fraction T of its projected length; also returns its outward normal. */
static void band_point(const ThMapLayout *l, const ThNetwork *net, int e, double t, double off,
                       double *x, double *y) {
  int n;
  g_autofree double *p = th_link_polyline(net, e, &n);
  double *q = g_new(double, 2 * n);
  double total = 0;
  for (int i = 0; i < n; i++) {
    th_map_project(l, p[2 * i], p[2 * i + 1], &q[2 * i], &q[2 * i + 1]);
    if (i) total += hypot(q[2 * i] - q[2 * i - 2], q[2 * i + 1] - q[2 * i - 1]);
  }
  double want = t * total;
  for (int i = 0; i + 1 < n; i++) {
    double dx = q[2 * i + 2] - q[2 * i], dy = q[2 * i + 3] - q[2 * i + 1];
    double len = hypot(dx, dy);
    if (want <= len || i + 2 == n) {
      double f = want / len;
      *x = q[2 * i] + f * dx + off * (-dy / len);
      *y = q[2 * i + 1] + f * dy + off * (dx / len);
      break;
    }
    want -= len;
  }
  g_free(q);
}

/* ---- tests ---- */

static void test_wkt(void) {
  int n;
  g_autofree double *p = th_wkt_linestring_parse("LINESTRING (112.5 35.4, 112.6 35.5)", &n);
  g_assert_cmpint(n, ==, 2);
  g_assert_cmpfloat(p[2], ==, 112.6);
  g_autofree double *z = th_wkt_linestring_parse("linestring z(1 2 3,4 5 6, 7 8 9)", &n);
  g_assert_cmpint(n, ==, 3);
  g_assert_cmpfloat(z[5], ==, 8);
  g_assert_null(th_wkt_linestring_parse("LINESTRING (1 2)", &n));
  g_assert_null(th_wkt_linestring_parse("POINT (1 2)", &n));
  g_assert_null(th_wkt_linestring_parse("LINESTRING (1 2, 3)", &n));
  char buf[32];
  g_assert_cmpstr(th_format_double(buf, 31.5), ==, "31.5");
  g_assert_cmpstr(th_format_double(buf, NAN), ==, "");
  double third = 1.0 / 3.0;
  g_assert_cmpfloat(g_ascii_strtod(th_format_double(buf, third), NULL), ==, third);
}

static void test_results_read(void) {
  g_autoptr(ThResults) r = tiny();
  g_assert_cmpstr(r->scenario, ==, "tiny");
  g_assert_cmpint(r->seed, ==, 42);
  int e10 = th_network_link_index(r->net, 10), e11 = th_network_link_index(r->net, 11);
  int e16 = th_network_link_index(r->net, 16);
  g_assert_cmpfloat(th_results_flow(r, e10, TH_FLOW_CAR)->vehicles, ==, 12000);
  g_assert_cmpfloat(th_results_flow(r, e10, TH_FLOW_TRUCK)->pcu, ==, 7500);
  g_assert_cmpfloat(th_results_flow(r, e11, TH_FLOW_TRUCK)->tonnes, ==, 75000); /* class coal */
  g_assert_cmpfloat(th_results_flow(r, e16, TH_FLOW_RAIL_FREIGHT)->tonnes, ==, 120000);
  g_assert_cmpfloat(th_results_flow(r, e16, TH_FLOW_RAIL_PAX)->passengers, ==, 5000);
  /* no bins file: v/c = 10% of daily pcu / capacity */
  g_assert_cmpfloat_with_epsilon(th_results_vc(r, e10), 0.1 * 19500 / 3600, 1e-12);
  g_assert_true(isnan(th_results_vc(r, e16)));
  g_assert_cmpfloat(th_results_expansion(r), ==, 1);
}

/* The one sampling rule in link_flows.csv and link_flows_bins.csv (hand
 * case, sample_factor 0.1): a car row of 7 simulated vehicles (7 pcu, 9
 * passengers) is written as 70 / 70 / 90 with 7 / 7 / 9 in *_sample; a rail
 * row of 3 trains carrying 40 passengers keeps its 3 trains (the timetable
 * runs in full) and expands the riders to 400; buses as road vehicles (class
 * bus, mode bus: 2 buses, 5 pcu) stay 2 and 5, and so do their bins, while a
 * car bin of 4 becomes 40. Read back, the results hold the simulated sample
 * again (maps and v/c expand it once, not twice). */
static void test_link_flows_sample_rule(void) {
  g_autoptr(ThResults) tr = tiny();
  const ThNetwork *net = tr->net;
  g_autoptr(ThClassTable) classes = th_class_table_new();
  int car = th_class_table_lookup(classes, "car"), bus = th_class_table_lookup(classes, "bus");
  int e10 = th_network_link_index(net, 10), e16 = th_network_link_index(net, 16);
  g_autoptr(ThRunResults) r = th_run_results_new(0);
  r->sample_factor = 0.1;
  ThLinkFlow rows[] = {{e10, car, TH_MODE_ROAD, 7, 7, 9, 0, 600},
                       {e10, bus, TH_MODE_BUS, 2, 5, 0, 0, 610},
                       {e16, car, TH_MODE_RAIL, 3, 0, 40, 0, NAN}};
  g_array_append_vals(r->link_flows, rows, 3);
  ThLinkFlowBin bins[] = {{e10, car, 7 * 3600, 4, 600}, {e10, bus, 7 * 3600, 1, 610}};
  g_array_append_vals(r->link_bins, bins, 2);
  g_autofree char *dir = copy_tiny();
  g_autofree char *lf = g_build_filename(dir, "link_flows.csv", NULL);
  g_autofree char *lb = g_build_filename(dir, "link_flows_bins.csv", NULL);
  g_autoptr(GError) e = NULL;
  g_assert_true(th_results_write_link_flows(lf, r, net, classes, &e));
  g_assert_true(th_results_write_link_bins(lb, r, net, classes, &e));
  g_assert_no_error(e);
  g_autofree char *text = NULL, *btext = NULL;
  g_assert_true(g_file_get_contents(lf, &text, NULL, NULL));
  g_assert_true(g_file_get_contents(lb, &btext, NULL, NULL));
  g_assert_nonnull(
      strstr(text, "capacity_vph,vehicles_sample,pcu_sample,passengers_sample,tonnes_sample\n"));
  g_assert_nonnull(strstr(text, "\n10,1,4,car,road,70,70,90,0,600,562.50,3600,7,7,9,0\n"));
  g_assert_nonnull(strstr(text, "\n10,1,4,bus,bus,2,5,0,0,610,562.50,3600,2,5,0,0\n"));
  g_assert_nonnull(strstr(text, "\n16,5,6,car,rail,3,0,400,0,,1809,,3,0,40,0\n"));
  g_assert_cmpstr(btext, ==,
                  "link_id,class,bin_start_s,vehicles,mean_travel_time_s,vehicles_sample\n"
                  "10,car,25200,40,600,4\n10,bus,25200,1,610,1\n");
  /* read back: the sample, as an older folder wrote it */
  g_autofree char *ini = g_build_filename(dir, "run.ini", NULL);
  g_autofree char *rt = NULL;
  g_assert_true(g_file_get_contents(ini, &rt, NULL, NULL));
  g_autofree char *tenth = replace(rt, "sample_factor=1", "sample_factor=0.1");
  g_free(th_test_write(dir, "run.ini", tenth));
  g_autoptr(ThResults) back = th_results_read(dir, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat(th_results_flow(back, e10, TH_FLOW_CAR)->vehicles, ==, 7);
  g_assert_cmpfloat(th_results_flow(back, e10, TH_FLOW_CAR)->passengers, ==, 9);
  g_assert_cmpfloat(th_results_flow(back, e16, TH_FLOW_RAIL_PAX)->passengers, ==, 40);
  th_test_rmtree(dir);
}

/* A run of half the demand: maps and v/c see flows doubled, the file's
 * numbers stay as written. */
static void test_sample_expansion(void) {
  g_autofree char *dir = copy_tiny();
  g_autofree char *ini = g_build_filename(dir, "run.ini", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(ini, &text, NULL, NULL));
  g_autofree char *half = replace(text, "sample_factor=1", "sample_factor=0.5");
  g_free(th_test_write(dir, "run.ini", half));
  g_autoptr(GError) e = NULL;
  g_autoptr(ThResults) r = th_results_read(dir, &e);
  g_assert_no_error(e);
  g_autoptr(ThResults) full = tiny();
  int e10 = th_network_link_index(r->net, 10);
  g_assert_cmpfloat(th_results_expansion(r), ==, 2);
  g_assert_cmpfloat(th_results_flow(r, e10, TH_FLOW_CAR)->vehicles, ==, 12000);
  g_assert_cmpfloat_with_epsilon(th_results_vc(r, e10), 2 * th_results_vc(full, e10), 1e-12);
  ThMapOptions o = {.width = W, .height = H, .metric = TH_MAP_METRIC_VEHICLES};
  ThMapLayout la, lb;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create(s);
  g_assert_true(th_map_draw(cr, r, NULL, &o, &la, NULL));
  g_assert_true(th_map_draw(cr, full, NULL, &o, &lb, NULL));
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  g_assert_cmpfloat(la.max_value, ==, 2 * lb.max_value);
  /* GeoJSON: counts expanded like vc, the simulated ones as NAME_sample */
  g_autofree char *gj = g_build_filename(dir, "half.geojson", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", dir, "--geojson", gj, NULL), ==, 0);
  g_autoptr(JsonParser) p = json_parser_new();
  g_assert_true(json_parser_load_from_file(p, gj, &e));
  JsonObject *root = json_node_get_object(json_parser_get_root(p));
  g_assert_cmpfloat(json_object_get_double_member(root, "sample_factor"), ==, 0.5);
  JsonArray *feats = json_object_get_array_member(root, "features");
  gboolean seen = FALSE;
  for (guint i = 0; i < json_array_get_length(feats); i++) {
    JsonObject *props =
        json_object_get_object_member(json_array_get_object_element(feats, i), "properties");
    if (json_object_get_int_member(props, "link_id") != 10) continue;
    seen = TRUE;
    double veh = 0;
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++) veh += th_results_flow(r, e10, g)->vehicles;
    g_assert_cmpfloat(json_object_get_double_member(props, "vehicles_sample"), ==, veh);
    g_assert_cmpfloat(json_object_get_double_member(props, "vehicles"), ==, 2 * veh);
    g_assert_cmpfloat(json_object_get_double_member(props, "vehicles_truck"), ==, 2 * 3000);
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(props, "vc"),
                                   th_results_vc(r, e10), 1e-9);
  }
  g_assert_true(seen);
  th_test_rmtree(dir);
}

/* The map of the tiny network: size, band pixels where link 12 runs and
 * none along the zero-flow links 14/15, a legend, identical bytes twice,
 * text chunks. */
static void test_map_png(void) {
  g_autofree char *dir = th_test_src(TINY);
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *a = g_build_filename(tmp, "a.png", NULL);
  g_autofree char *b = g_build_filename(tmp, "b.png", NULL);
  g_autofree char *svg1 = g_build_filename(tmp, "a.svg", NULL);
  g_autofree char *svg2 = g_build_filename(tmp, "b.svg", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int st = th_test_taihang(&out, &err, "map", dir, "--out", a, "--svg", svg1, "--metric",
                           "vehicles", "--size", "1200x900", "--date", "2026-11-28", NULL);
  g_assert_cmpstr(err, ==, "");
  g_assert_cmpint(st, ==, 0);
  /* a second run of the command: byte-identical PNG and SVG (cairo numbers
   * SVG glyphs per process, so the SVG is compared between fresh processes) */
  g_autofree char *a2 = g_build_filename(tmp, "a2.png", NULL);
  g_autofree char *svg3 = g_build_filename(tmp, "a2.svg", NULL);
  st = th_test_taihang(NULL, NULL, "map", dir, "--out", a2, "--svg", svg3, "--metric", "vehicles",
                       "--size", "1200x900", "--date", "2026-11-28", NULL);
  g_assert_cmpint(st, ==, 0);
  g_assert_true(files_equal(a, a2));
  g_assert_true(files_equal(svg1, svg3));
  /* the same map in this process: identical PNG bytes, and its layout */
  g_autoptr(ThResults) r = tiny();
  ThMapOptions o = {.width = W, .height = H, .date = "2026-11-28"};
  ThMapLayout l;
  g_autoptr(GError) e = NULL;
  g_assert_true(th_map_write(b, svg2, r, NULL, &o, &l, &e));
  g_assert_no_error(e);
  g_assert_true(files_equal(a, b));
  g_autofree char *svg_text = NULL;
  g_assert_true(g_file_get_contents(svg2, &svg_text, NULL, NULL));
  g_assert_nonnull(strstr(svg_text, "<svg"));
  g_assert_cmpint(l.n_bands, ==, 6); /* links 10 11 12 13 16 17; connector 18 is never a band */

  Img im = img_read(a);
  g_assert_cmpint(im.w, ==, W);
  g_assert_cmpint(im.h, ==, H);
  g_assert_cmpstr(g_hash_table_lookup(im.text, "Scenario"), ==, "tiny");
  g_assert_cmpstr(g_hash_table_lookup(im.text, "Seed"), ==, "42");
  g_assert_true(g_str_has_prefix(g_hash_table_lookup(im.text, "Software"), "taihang "));

  /* link 12 (4->2, 9000 cars, a curved geometry): blue on its right side
   * all along its middle, never on its left beyond link 13's band */
  int e12 = th_network_link_index(r->net, 12);
  double w12 = 9000 * l.px_per_unit;
  g_assert_cmpfloat(w12, >, 6);
  int hits = 0, samples = 0;
  for (double t = 0.15; t <= 0.86; t += 0.05) {
    double x, y;
    band_point(&l, r->net, e12, t, 1.5 * sqrt(W * H) / 2078.0 + w12 / 2, &x, &y);
    samples++;
    if (colour_dist(px(&im, (int)lround(x), (int)lround(y)), 0x3a76b8) <= 12) hits++;
  }
  g_assert_cmpint(hits, >=, samples - 1); /* a mitred corner may shave one sample */

  /* links 14/15 (4->3, no flow): the grey centre line, no band pixel within
   * 40 px of it on either side over its middle */
  int e14 = th_network_link_index(r->net, 14);
  for (double t = 0.2; t <= 0.8; t += 0.02)
    for (double off = -40; off <= 40; off += 1) {
      double x, y;
      band_point(&l, r->net, e14, t, off, &x, &y);
      unsigned c = px(&im, (int)lround(x), (int)lround(y));
      if (is_band(c))
        g_error("band colour %06x at t=%.2f off=%.0f of zero-flow link 14", c, t, off);
    }
  double x, y;
  band_point(&l, r->net, e14, 0.5, 0, &x, &y);
  g_assert_cmpint(colour_dist(px(&im, (int)lround(x), (int)lround(y)), 0xc4c1ba), <=, 30);

  /* the legend panel holds text and keys: many dark and some blue pixels */
  int dark = 0, blue = 0, inked = 0;
  for (int yy = (int)l.legend_y; yy < (int)(l.legend_y + l.legend_h); yy++)
    for (int xx = (int)l.legend_x; xx < (int)(l.legend_x + l.legend_w); xx++) {
      unsigned c = px(&im, xx, yy);
      if (colour_dist(c, 0x000000) < 100) dark++;
      if (c != 0xffffff) inked++;
      if (colour_dist(c, 0x3a76b8) <= 12) blue++;
    }
  g_assert_cmpint(dark, >, 500);
  g_assert_cmpint(inked, >, 8000);
  g_assert_cmpint(blue, >, 100); /* the cars swatch, 40 u x 16 u */
  g_assert_cmpint(l.n_labels, ==, 5);
  img_free(&im);
  th_test_rmtree(tmp);
}

/* A scenario against itself: no band at all. A scenario with more cars on
 * link 12: the gain colour where link 12 runs, nothing on link 10. */
static void test_diff(void) {
  g_autofree char *dir = th_test_src(TINY);
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *a = g_build_filename(tmp, "self.png", NULL);
  int st = th_test_taihang(NULL, NULL, "map", dir, "--diff", dir, "--out", a, "--metric",
                           "vehicles", "--size", "1200x900", NULL);
  g_assert_cmpint(st, ==, 0);
  Img im = img_read(a);
  g_autoptr(ThResults) r = tiny();
  ThMapOptions o = {.width = W, .height = H};
  ThMapLayout l;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create(s);
  g_assert_true(th_map_draw(cr, r, r, &o, &l, NULL));
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  g_assert_cmpint(l.n_bands, ==, 0);
  int band = 0;
  for (int yy = (int)l.map_y; yy < (int)(l.map_y + l.map_h); yy++)
    for (int xx = (int)l.map_x; xx < (int)(l.map_x + l.map_w); xx++)
      if (is_band(px(&im, xx, yy))) band++;
  g_assert_cmpint(band, ==, 0);
  img_free(&im);

  /* more cars on link 12 */
  g_autofree char *scen = copy_tiny();
  g_autofree char *lf = g_build_filename(scen, "link_flows.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(lf, &text, NULL, NULL));
  g_autofree char *more =
      replace(text, "12,4,2,car,road,9000,9000,13500", "12,4,2,car,road,12000,12000,18000");
  g_free(th_test_write(scen, "link_flows.csv", more));
  g_autofree char *d = g_build_filename(tmp, "diff.png", NULL);
  st = th_test_taihang(NULL, NULL, "map", scen, "--diff", dir, "--out", d, "--metric", "vehicles",
                       "--size", "1200x900", NULL);
  g_assert_cmpint(st, ==, 0);
  g_autoptr(ThResults) sr = NULL;
  {
    g_autoptr(GError) e = NULL;
    sr = th_results_read(scen, &e);
    g_assert_no_error(e);
  }
  s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create(s);
  g_assert_true(th_map_draw(cr, sr, r, &o, &l, NULL));
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  g_assert_cmpint(l.n_bands, ==, 1);
  g_assert_cmpfloat(l.max_value, ==, 3000);
  im = img_read(d);
  int e12 = th_network_link_index(r->net, 12), e10 = th_network_link_index(r->net, 10);
  double u = sqrt(W * H) / 2078.0;
  double x, y;
  band_point(&l, r->net, e12, 0.5, 1.5 * u + 15 * u, &x, &y);
  g_assert_cmpint(colour_dist(px(&im, (int)lround(x), (int)lround(y)), 0xd6412b), <=, 12);
  for (double off = -40; off <= 40; off += 1) {
    band_point(&l, r->net, e10, 0.5, off, &x, &y);
    g_assert_false(is_band(px(&im, (int)lround(x), (int)lround(y))));
  }
  img_free(&im);
  th_test_rmtree(scen);
  th_test_rmtree(tmp);
}

/* GeoJSON: parses, one feature per link and node, coordinates round-trip. */
static void test_geojson(void) {
  g_autofree char *dir = th_test_src(TINY);
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *f = g_build_filename(tmp, "flows.geojson", NULL);
  int st = th_test_taihang(NULL, NULL, "export", dir, "--geojson", f, NULL);
  g_assert_cmpint(st, ==, 0);
  g_autoptr(ThResults) r = tiny();
  /* links in FILE, nodes in FILE-nodes.geojson: one geometry type each */
  g_autofree char *fn = g_build_filename(tmp, "flows-nodes.geojson", NULL);
  int links = 0, nodes = 0;
  for (int file = 0; file < 2; file++) {
  g_autoptr(JsonParser) p = json_parser_new();
  g_autoptr(GError) e = NULL;
  g_assert_true(json_parser_load_from_file(p, file ? fn : f, &e));
  g_assert_no_error(e);
  JsonObject *root = json_node_get_object(json_parser_get_root(p));
  g_assert_cmpstr(json_object_get_string_member(root, "type"), ==, "FeatureCollection");
  JsonArray *feats = json_object_get_array_member(root, "features");
  g_assert_cmpint(json_array_get_length(feats), ==, file ? r->net->n_nodes : r->net->n_links);
  for (guint i = 0; i < json_array_get_length(feats); i++) {
    JsonObject *ft = json_array_get_object_element(feats, i);
    JsonObject *geom = json_object_get_object_member(ft, "geometry");
    JsonObject *props = json_object_get_object_member(ft, "properties");
    JsonArray *coords = json_object_get_array_member(geom, "coordinates");
    const char *kind = json_object_get_string_member(props, "feature");
    if (!file) {
      g_assert_cmpstr(kind, ==, "link");
      links++;
      g_assert_cmpstr(json_object_get_string_member(geom, "type"), ==, "LineString");
      int e = th_network_link_index(r->net, json_object_get_int_member(props, "link_id"));
      g_assert_cmpint(e, >=, 0);
      int n;
      g_autofree double *pts = th_link_polyline(r->net, e, &n);
      g_assert_cmpint(json_array_get_length(coords), ==, n);
      for (int k = 0; k < n; k++) {
        JsonArray *pt = json_array_get_array_element(coords, k);
        g_assert_cmpfloat(json_array_get_double_element(pt, 0), ==, pts[2 * k]);
        g_assert_cmpfloat(json_array_get_double_element(pt, 1), ==, pts[2 * k + 1]);
      }
      double veh = 0;
      for (int g = 0; g < TH_N_FLOW_GROUPS; g++)
        veh += th_results_flow(r, e, g)->vehicles;
      g_assert_cmpfloat(json_object_get_double_member(props, "vehicles"), ==, veh);
      if (r->net->link_id[e] == 10) {
        g_assert_cmpfloat(json_object_get_double_member(props, "vehicles_truck"), ==, 3000);
        g_assert_cmpstr(json_object_get_string_member(props, "name"), ==, "晋阳高速");
        g_assert_cmpfloat(json_object_get_double_member(props, "length_km"), ==, 12.5);
        g_assert_cmpfloat(json_object_get_double_member(props, "free_speed_kmh"), ==, 80);
      }
    } else {
      nodes++;
      g_assert_cmpstr(kind, ==, "node");
      g_assert_cmpstr(json_object_get_string_member(geom, "type"), ==, "Point");
      int v = th_network_node_index(r->net, json_object_get_int_member(props, "node_id"));
      g_assert_cmpint(v, >=, 0);
      g_assert_cmpfloat(json_array_get_double_element(coords, 0), ==, r->net->lon[v]);
      g_assert_cmpfloat(json_array_get_double_element(coords, 1), ==, r->net->lat[v]);
      g_assert_cmpstr(json_object_get_string_member(props, "name"), ==, r->net->node_name[v]);
    }
  }
  }
  g_assert_cmpint(links, ==, 12);
  g_assert_cmpint(nodes, ==, 6);
  th_test_rmtree(tmp);
}

/* Reads a wide matrix CSV into a dense array (NaN for empty cells). */
static double *read_wide(const char *path, int n, const int64_t *zones) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open(path, &e);
  g_assert_no_error(e);
  g_assert_cmpint(th_csv_n_columns(c), ==, n + 1);
  g_assert_cmpstr(th_csv_column_name(c, 0), ==, "origin");
  for (int j = 0; j < n; j++) {
    int64_t z;
    g_assert_true(th_parse_int64(th_csv_column_name(c, j + 1), &z));
    g_assert_cmpint(z, ==, zones[j]);
  }
  double *m = g_new(double, (size_t)n *n);
  int i = 0;
  while (th_csv_next(c, &e)) {
    int64_t z;
    g_assert_true(th_parse_int64(th_csv_field(c, 0), &z));
    g_assert_cmpint(z, ==, zones[i]);
    for (int j = 0; j < n; j++)
      g_assert_true(th_csv_double_or(c, j + 1, NAN, &m[i * n + j], NULL));
    i++;
  }
  g_assert_no_error(e);
  g_assert_cmpint(i, ==, n);
  return m;
}

/* OMX: opens with HDF5, follows the 0.2 layout, its matrices equal the
 * wide CSV tables, and known cells hold the trip-weighted means. */
static void test_omx(void) {
  g_autofree char *dir = th_test_src(TINY);
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *f = g_build_filename(tmp, "skims.omx", NULL);
  g_autofree char *f2 = g_build_filename(tmp, "again.omx", NULL);
  g_autofree char *md = g_build_filename(tmp, "matrices", NULL);
  int st = th_test_taihang(NULL, NULL, "export", dir, "--omx", f, "--matrix-dir", md, NULL);
  g_assert_cmpint(st, ==, 0);
  st = th_test_taihang(NULL, NULL, "export", dir, "--omx", f2, NULL);
  g_assert_cmpint(st, ==, 0);
  g_assert_true(files_equal(f, f2));

  hid_t file = H5Fopen(f, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint(file, >=, 0);
  hid_t a = H5Aopen(file, "OMX_VERSION", H5P_DEFAULT);
  g_assert_cmpint(a, >=, 0);
  hid_t at = H5Aget_type(a);
  char ver[16] = {0};
  hid_t mt = H5Tcopy(H5T_C_S1);
  H5Tset_size(mt, sizeof ver - 1);
  g_assert_cmpint(H5Aread(a, at, ver), >=, 0);
  g_assert_cmpstr(ver, ==, "0.2");
  H5Tclose(mt);
  H5Tclose(at);
  H5Aclose(a);
  int32_t shape[2] = {0, 0};
  a = H5Aopen(file, "SHAPE", H5P_DEFAULT);
  g_assert_cmpint(H5Aread(a, H5T_NATIVE_INT32, shape), >=, 0);
  H5Aclose(a);
  g_assert_cmpint(shape[0], ==, 3);
  g_assert_cmpint(shape[1], ==, 3);
  int64_t zones[3];
  hid_t ds = H5Dopen2(file, "/lookup/zone_id", H5P_DEFAULT);
  g_assert_cmpint(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, zones), >=, 0);
  H5Dclose(ds);
  g_assert_cmpint(zones[0], ==, 1);
  g_assert_cmpint(zones[2], ==, 3);

  const char *names[] = {"observed_road_day", "observed_road_am", "observed_rail_day"};
  const char *qs[] = {"time_min", "distance_km", "cost"};
  int n_files = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    for (int q = 0; q < 3; q++) {
      g_autofree char *name = g_strdup_printf("%s_%s", names[i], qs[q]);
      g_autofree char *dpath = g_strdup_printf("/data/%s", name);
      double m[9];
      ds = H5Dopen2(file, dpath, H5P_DEFAULT);
      g_assert_cmpint(ds, >=, 0);
      g_assert_cmpint(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m), >=, 0);
      H5Dclose(ds);
      g_autofree char *csv = g_strdup_printf("%s/%s.csv", md, name);
      g_autofree double *w = read_wide(csv, 3, zones);
      for (int k = 0; k < 9; k++) {
        if (isnan(m[k]))
          g_assert_true(isnan(w[k]));
        else
          g_assert_cmpfloat(m[k], ==, w[k]);
      }
      n_files++;
      if (i == 0 && q == 0) {
        g_assert_cmpfloat(m[0 * 3 + 1], ==, 32.0); /* (9000*31.5+3000*33.5)/12000 */
        g_assert_cmpfloat_with_epsilon(
            m[1 * 3 + 0], round((8000 * 30.9 + 1000 * 35.5) / 9000 * 1e6) / 1e6, 1e-12);
        g_assert_cmpfloat(m[0 * 3 + 2], ==, 54.0); /* 0 trips: the plain value */
        g_assert_true(isnan(m[0]));                /* no intrazonal row */
      }
    }
  g_assert_cmpint(n_files, ==, 9);
  H5Fclose(file);
  g_autoptr(GDir) d = g_dir_open(md, 0, NULL);
  int listed = 0;
  while (g_dir_read_name(d))
    listed++;
  g_assert_cmpint(listed, ==, 9);
  th_test_rmtree(tmp);
}

/* skims.csv in a results folder: its rows become skim_MODE tables (with
 * wait_min and transfers) beside the observed_ ones; bad rows are reported
 * FILE:LINE, exit 2, nothing written. */
static void test_skims_file(void) {
  g_autofree char *dir = copy_tiny();
  g_free(th_test_write(dir, "skims.csv",
                       "origin,destination,mode,period,time_min,distance_km,cost,wait_min,transfers\n"
                       "1,2,road,am,30.5,40,32,0,0\n"
                       "1,2,rail,am,43,30,17,25,1\n"
                       "2,1,rail,am,,,,,\n"));
  g_autofree char *md = g_build_filename(dir, "m", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", dir, "--matrix-dir", md, NULL), ==, 0);
  g_autofree char *f = g_build_filename(md, "skim_rail_am_wait_min.csv", NULL);
  int64_t zones[3] = {1, 2, 3};
  g_autofree double *w = read_wide(f, 3, zones);
  g_assert_cmpfloat(w[0 * 3 + 1], ==, 25);
  g_assert_true(isnan(w[1 * 3 + 0]));
  g_autofree char *f2 = g_build_filename(md, "skim_road_am_time_min.csv", NULL);
  g_autofree double *t = read_wide(f2, 3, zones);
  g_assert_cmpfloat(t[0 * 3 + 1], ==, 30.5);
  g_autofree char *f3 = g_build_filename(md, "observed_road_day_wait_min.csv", NULL);
  g_assert_false(g_file_test(f3, G_FILE_TEST_EXISTS)); /* observed tables have no wait */

  g_free(th_test_write(dir, "skims.csv",
                       "origin,destination,mode,period,time_min,distance_km,cost,wait_min,transfers\n"
                       "1,2,road,am,30.5,40,32,0,0\n"
                       "1,99,road,am,1,1,1,0,0\n"
                       "1,2,rail,am,abc,30,17,25,1\n"));
  g_autofree char *md2 = g_build_filename(dir, "m2", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "export", dir, "--matrix-dir", md2, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "skims.csv:3: zone '99' is not a zone"));
  g_assert_nonnull(strstr(err, "skims.csv:4:"));
  g_assert_false(g_file_test(md2, G_FILE_TEST_EXISTS));
  g_free(th_test_write(dir, "skims.csv", "origin,destination,mode\n1,2,road\n"));
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(NULL, &err, "export", dir, "--matrix-dir", md2, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "skims.csv"));
  g_assert_false(g_file_test(md2, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* Bad input: exit 2, a FILE:LINE message, no output file. */
static void test_bad_input(void) {
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *png = g_build_filename(tmp, "m.png", NULL);
  g_autofree char *gj = g_build_filename(tmp, "m.geojson", NULL);
  g_autofree char *missing = g_build_filename(tmp, "no-such-results", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "map", missing, "--out", png, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "no such results folder"));
  g_assert_false(g_file_test(png, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(NULL, &err, "export", missing, "--geojson", gj, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_false(g_file_test(gj, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);

  /* another network: network/ changed under run.ini */
  g_autofree char *other = copy_tiny();
  g_autofree char *lpath = g_build_filename(other, "network", "link.csv", NULL);
  g_autofree char *links = NULL;
  g_assert_true(g_file_get_contents(lpath, &links, NULL, NULL));
  g_autofree char *changed = replace(links, "44.0,80", "44.5,80");
  g_free(th_test_write(other, "network/link.csv", changed));
  st = th_test_taihang(NULL, &err, "map", other, "--out", png, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "run.ini:1: network_fingerprint 79d08610d8b50a78 does not match"));
  g_assert_false(g_file_test(png, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);

  /* link flows of another network: an unknown link and a link with other ends */
  refingerprint(other);
  g_free(th_test_write(other, "link_flows.csv",
                       "link_id,from_node_id,to_node_id,class,mode,vehicles,pcu,passengers,tonnes\n"
                       "10,1,4,car,road,5,5,5,0\n"
                       "99,1,4,car,road,5,5,5,0\n"
                       "11,1,4,car,road,5,5,5,0\n"));
  st = th_test_taihang(NULL, &err, "map", other, "--out", png, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "link_flows.csv:3: link 99 is not in network/"));
  g_assert_nonnull(strstr(err, "link_flows.csv:4: link 11 runs 1->4 here but 4->1 in network/"));
  g_assert_false(g_file_test(png, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);

  /* a bad number */
  g_free(th_test_write(other, "link_flows.csv",
                       "link_id,from_node_id,to_node_id,class,mode,vehicles,pcu,passengers,tonnes\n"
                       "10,1,4,car,road,lots,5,5,0\n"));
  st = th_test_taihang(NULL, &err, "map", other, "--out", png, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "link_flows.csv:2:"));
  g_clear_pointer(&err, g_free);

  /* --diff against a network whose link 10 runs elsewhere */
  g_autofree char *swapped = copy_tiny();
  g_autofree char *sl = g_build_filename(swapped, "network", "link.csv", NULL);
  g_autofree char *stext = NULL;
  g_assert_true(g_file_get_contents(sl, &stext, NULL, NULL));
  g_autofree char *s2 = replace(stext, "10,1,4,晋阳高速", "10,1,5,晋阳高速");
  g_free(th_test_write(swapped, "network/link.csv", s2));
  g_free(
      th_test_write(swapped, "link_flows.csv",
                    "link_id,from_node_id,to_node_id,class,mode,vehicles,pcu,passengers,tonnes\n"));
  refingerprint(swapped);
  g_autofree char *dir = th_test_src(TINY);
  st = th_test_taihang(NULL, &err, "map", swapped, "--diff", dir, "--out", png, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "link 10 runs 1->5 but 1->4"));
  g_assert_false(g_file_test(png, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);

  /* no od_times.csv: OMX export fails, writes nothing */
  g_autofree char *omx = g_build_filename(tmp, "m.omx", NULL);
  g_autofree char *od = g_build_filename(swapped, "od_times.csv", NULL);
  g_assert_cmpint(g_unlink(od), ==, 0);
  st = th_test_taihang(NULL, &err, "export", swapped, "--omx", omx, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "od_times.csv is missing"));
  g_assert_false(g_file_test(omx, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);

  /* usage errors */
  st = th_test_taihang(NULL, NULL, "map", dir, "--out", png, "--size", "10x10", NULL);
  g_assert_cmpint(st, ==, 2);
  st = th_test_taihang(NULL, NULL, "map", dir, "--out", png, "--mode", "boats", NULL);
  g_assert_cmpint(st, ==, 2);
  st = th_test_taihang(NULL, NULL, "map", dir, "--out", png, "--metric", "speed", NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_false(g_file_test(png, G_FILE_TEST_EXISTS));
  th_test_rmtree(other);
  th_test_rmtree(swapped);
  th_test_rmtree(tmp);
}

/* The legend said "per day" for a run of a one-hour OD table: the unit
 * follows the run's horizon. */
static void test_legend_unit(void) {
  g_autofree char *day = th_map_metric_unit(TH_MAP_METRIC_VEHICLES, TH_MAP_MODE_ROAD, 86400);
  g_assert_cmpstr(day, ==, "vehicles per day");
  g_autofree char *all = th_map_metric_unit(TH_MAP_METRIC_VEHICLES, TH_MAP_MODE_ALL, 86400);
  g_assert_cmpstr(all, ==, "vehicles per day (trains on rail)");
  g_autofree char *longer = th_map_metric_unit(TH_MAP_METRIC_VEHICLES, TH_MAP_MODE_ROAD, 108000);
  g_assert_cmpstr(longer, ==, "vehicles per day"); /* a day's trips given time to finish */
  g_autofree char *hour = th_map_metric_unit(TH_MAP_METRIC_PASSENGERS, TH_MAP_MODE_ALL, 3600);
  g_assert_cmpstr(hour, ==, "passengers per 1 h (the run's horizon)");
  g_autofree char *t = th_map_metric_unit(TH_MAP_METRIC_TONNES, TH_MAP_MODE_FREIGHT, 5400);
  g_assert_cmpstr(t, ==, "tonnes per 1.5 h (the run's horizon)");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/maps/legend-unit", test_legend_unit);
  g_test_add_func("/maps/wkt-and-numbers", test_wkt);
  g_test_add_func("/maps/results-read", test_results_read);
  g_test_add_func("/maps/sample-expansion", test_sample_expansion);
  g_test_add_func("/maps/link-flows-sample-rule", test_link_flows_sample_rule);
  g_test_add_func("/maps/png", test_map_png);
  g_test_add_func("/maps/diff", test_diff);
  g_test_add_func("/maps/geojson", test_geojson);
  g_test_add_func("/maps/omx", test_omx);
  g_test_add_func("/maps/skims-file", test_skims_file);
  g_test_add_func("/maps/bad-input", test_bad_input);
  int status = g_test_run();
  th_map_release_fonts();
  return status;
}

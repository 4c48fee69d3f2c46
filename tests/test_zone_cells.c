/* Zone cells (output/zone-cells.h): hand-computed cells and a property test
 * against the brute-force rule (a point of the box lies in the cell of its
 * nearest site). */
#include "output/zone-cells.h"

#include <math.h>

static void test_two_sites(void) {
  double x[] = {1, 3}, y[] = {1, 1}, box[] = {0, 0, 4, 2};
  g_autoptr(ThZoneCells) c = th_zone_cells(x, y, 2, box);
  /* bisector x = 2: each site gets a 2 x 2 half */
  g_assert_cmpfloat_with_epsilon(th_zone_cell_area(c, 0), 4, 1e-12);
  g_assert_cmpfloat_with_epsilon(th_zone_cell_area(c, 1), 4, 1e-12);
  for (int k = c->off[0]; k < c->off[1]; k++) g_assert_cmpfloat(c->xy[2 * k], <=, 2 + 1e-12);
  for (int k = c->off[1]; k < c->off[2]; k++) g_assert_cmpfloat(c->xy[2 * k], >=, 2 - 1e-12);
}

static void test_corners_and_duplicates(void) {
  /* four sites in the quarters of the unit square, one of them twice, one not finite */
  double x[] = {0.25, 0.75, 0.25, 0.75, 0.75, NAN}, y[] = {0.25, 0.25, 0.75, 0.75, 0.75, 0.5};
  double box[] = {0, 0, 1, 1};
  g_autoptr(ThZoneCells) c = th_zone_cells(x, y, 6, box);
  for (int i = 0; i < 5; i++) g_assert_cmpfloat_with_epsilon(th_zone_cell_area(c, i), 0.25, 1e-12);
  g_assert_cmpint(c->off[6] - c->off[5], ==, 0);
  g_assert_cmpfloat(th_zone_cell_area(c, 5), ==, 0);
  /* cell 3 is the square [0.5, 1]^2, counter-clockwise */
  g_assert_cmpint(c->off[4] - c->off[3], ==, 4);
}

static gboolean inside(const ThZoneCells *c, int i, double px, double py) {
  int s = c->off[i], e = c->off[i + 1];
  if (e - s < 3) return FALSE;
  for (int k = s; k < e; k++) {
    int l = k + 1 < e ? k + 1 : s;
    double ax = c->xy[2 * k], ay = c->xy[2 * k + 1], bx = c->xy[2 * l], by = c->xy[2 * l + 1];
    if ((bx - ax) * (py - ay) - (by - ay) * (px - ax) < -1e-9) return FALSE;
  }
  return TRUE;
}

static void test_property_nearest_site(void) {
  GRand *r = g_rand_new_with_seed(18);
  for (int round = 0; round < 20; round++) {
    int n = 1 + g_rand_int_range(r, 0, 40);
    double x[40], y[40], box[] = {-1, 2, 9, 7};
    for (int i = 0; i < n; i++) x[i] = g_rand_double_range(r, -1, 9), y[i] = g_rand_double_range(r, 2, 7);
    g_autoptr(ThZoneCells) c = th_zone_cells(x, y, n, box);
    double total = 0;
    for (int i = 0; i < n; i++) {
      g_assert_cmpfloat(th_zone_cell_area(c, i), >, 0);
      g_assert_true(inside(c, i, x[i], y[i]));
      total += th_zone_cell_area(c, i);
    }
    g_assert_cmpfloat_with_epsilon(total, 50, 1e-9); /* the cells tile the box */
    for (int t = 0; t < 200; t++) {
      double px = g_rand_double_range(r, -1, 9), py = g_rand_double_range(r, 2, 7);
      int best = 0;
      double bd = INFINITY;
      for (int i = 0; i < n; i++) {
        double d = hypot(px - x[i], py - y[i]);
        if (d < bd) bd = d, best = i;
      }
      g_assert_true(inside(c, best, px, py));
    }
  }
  g_rand_free(r);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/zone-cells/two-sites", test_two_sites);
  g_test_add_func("/zone-cells/corners-duplicates", test_corners_and_duplicates);
  g_test_add_func("/zone-cells/nearest-site", test_property_nearest_site);
  return g_test_run();
}

/* test_numfmt.c: the fast number formatter writes exactly what printf does. */
#include "output/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void check_fixed(double x, int d) {
  g_autoptr(GString) s = g_string_new(NULL);
  th_fmt_fixed(s, x, d);
  char want[512];
  snprintf(want, sizeof want, "%.*f", d, x);
  if (strcmp(s->str, want)) g_error("%.17g with %d decimals: got %s, printf %s", x, d, s->str, want);
}

static void check_num(double x, int d) {
  g_autoptr(GString) s = g_string_new(NULL);
  th_fmt_num(s, x, d);
  char want[512] = "";
  if (isfinite(x)) {
    if (x == floor(x) && fabs(x) < 1e15) snprintf(want, sizeof want, "%.0f", x);
    else snprintf(want, sizeof want, "%.*f", d, x);
  }
  if (strcmp(s->str, want)) g_error("num %.17g/%d: got '%s', want '%s'", x, d, s->str, want);
}

static void check_g(double x, int p) {
  g_autoptr(GString) s = g_string_new(NULL);
  th_fmt_g(s, x, p);
  char want[512];
  snprintf(want, sizeof want, "%.*g", p, x);
  if (strcmp(s->str, want)) g_error("%.17g as %%.%dg: got %s, printf %s", x, p, s->str, want);
}

/* th_fmt_g against printf's %g: the edges (powers of ten, rounding up to
 * the next one, ties, zeros, outside the fast range) and random values */
static void test_g(void) {
  const double xs[] = {0.0, 1.0, 9.9999999995, 9.99999999949, 9999999999.5, 9999999999.4,
                       1e10, 99.5, 0.5, 1.5, 2.5, 1234.5, 12345.678, 0.0001, 1e-5, 1e15,
                       123456789.125, 1.0 / 3, 2.0 / 3, 7.0, 1e9, 999999999.99999, INFINITY,
                       NAN, 4623756.653259, 1419938.48725};
  for (size_t i = 0; i < G_N_ELEMENTS(xs); i++)
    for (int p = 1; p <= 10; p++) {
      check_g(xs[i], p);
      check_g(-xs[i], p);
    }
  GRand *r = g_rand_new_with_seed(16);
  for (int i = 0; i < 300000; i++) {
    int p = i % 3 ? 10 : g_rand_int_range(r, 1, 11);
    double x;
    switch (i % 3) {
    case 0: x = pow(10, g_rand_double_range(r, -6, 12)); break;
    case 1: x = g_rand_int_range(r, 0, 1 << 30) / (double)(1 << g_rand_int_range(r, 0, 24)); break;
    default: x = g_rand_int_range(r, 0, 100000000) / pow(10, g_rand_int_range(r, 0, 12)); break;
    }
    if (g_rand_boolean(r)) x = -x;
    check_g(x, p);
  }
  g_rand_free(r);
}

static void test_edges(void) {
  const double xs[] = {0.0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.0005, 0.0015, 2.675, 1.005, 0.125, 0.375,
                       -0.0001, 1e-9, 999.9995, 9.9995, 1e12 + 0.3, 1e13, 4.35e14 + 0.25, 1e15,
                       1e15 + 0.5, 1e16, 1e300, -1e300, 123456789.125, 0.1, 0.7, 1.0 / 3};
  for (size_t i = 0; i < G_N_ELEMENTS(xs); i++)
    for (int d = 0; d <= 9; d++) {
      check_fixed(xs[i], d);
      check_fixed(-xs[i], d);
      check_num(xs[i], d);
      check_num(-xs[i], d);
    }
  check_num(NAN, 2);
  check_num(INFINITY, 2);
  check_num(-INFINITY, 2);
  g_autoptr(GString) s = g_string_new(NULL);
  const int64_t is[] = {0, 1, -1, 9, 10, 1234567890123, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (size_t i = 0; i < G_N_ELEMENTS(is); i++) {
    g_string_truncate(s, 0);
    th_fmt_i64(s, is[i]);
    char want[32];
    snprintf(want, sizeof want, "%" G_GINT64_FORMAT, is[i]);
    g_assert_cmpstr(s->str, ==, want);
  }
}

/* random magnitudes, random decimal values (ties included: k/2^j), random integers */
static void test_random(void) {
  GRand *r = g_rand_new_with_seed(7);
  for (int i = 0; i < 300000; i++) {
    int d = g_rand_int_range(r, 0, 7);
    double x;
    switch (i % 4) {
    case 0: x = pow(10, g_rand_double_range(r, -6, 16)); break;
    case 1: x = g_rand_int_range(r, 0, 10000000) / pow(10, g_rand_int_range(r, 0, 7)); break;
    case 2: x = g_rand_int_range(r, 0, 1 << 30) / (double)(1 << g_rand_int_range(r, 0, 20)); break;
    default: x = (double)g_rand_int_range(r, -1000000, 1000000); break;
    }
    if (g_rand_boolean(r)) x = -x;
    check_fixed(x, d);
    check_num(x, d);
  }
  g_rand_free(r);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/numfmt/edges", test_edges);
  g_test_add_func("/numfmt/random", test_random);
  g_test_add_func("/numfmt/g", test_g);
  return g_test_run();
}

/* test_effects.c: the paired effect of replications (sim/effects.h) on
 * hand-computed cases. */
#include "sim/effects.h"

#include <math.h>

/* d = 1, 2, 1: mean 4/3, sd sqrt(1/3), se 1/3, t(0.975, 2) = 4.302653:
 * [4/3 - 1.434218, 4/3 + 1.434218] contains 0. */
static void test_wide(void) {
  const double b[] = {10, 12, 14}, s[] = {11, 14, 15};
  ThPairedEffect e;
  th_paired_effect(b, s, 3, &e);
  g_assert_cmpint(e.n, ==, 3);
  g_assert_cmpfloat_with_epsilon(e.base_mean, 12, 1e-12);
  g_assert_cmpfloat_with_epsilon(e.scenario_mean, 40.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon(e.effect, 4.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon(e.se, 1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon(e.ci_low, 4.0 / 3 - 4.302653 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon(e.ci_high, 4.0 / 3 + 4.302653 / 3, 1e-5);
  g_assert_false(e.significant);
}

/* d = 1, 1.1, 0.9, 1, 1: mean 1, sd sqrt(0.005), se 0.0316228,
 * t(0.975, 4) = 2.776445: [0.912202, 1.087798] excludes 0. A NaN pair is
 * left out. */
static void test_narrow(void) {
  const double b[] = {5, 5, 5, NAN, 5, 5}, s[] = {6, 6.1, 5.9, 7, 6, 6};
  ThPairedEffect e;
  th_paired_effect(b, s, 6, &e);
  g_assert_cmpint(e.n, ==, 5);
  g_assert_cmpfloat_with_epsilon(e.effect, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon(e.ci_low, 0.912202, 1e-5);
  g_assert_cmpfloat_with_epsilon(e.ci_high, 1.087798, 1e-5);
  g_assert_true(e.significant);
}

/* Identical differences: zero width; 0 is not an effect, 3 is. One pair:
 * no interval. */
static void test_degenerate(void) {
  const double b[] = {1, 2, 3}, same[] = {1, 2, 3}, plus[] = {4, 5, 6};
  ThPairedEffect e;
  th_paired_effect(b, same, 3, &e);
  g_assert_cmpfloat(e.effect, ==, 0);
  g_assert_cmpfloat(e.ci_low, ==, 0);
  g_assert_false(e.significant);
  th_paired_effect(b, plus, 3, &e);
  g_assert_cmpfloat(e.ci_low, ==, 3);
  g_assert_cmpfloat(e.ci_high, ==, 3);
  g_assert_true(e.significant);
  th_paired_effect(b, plus, 1, &e);
  g_assert_cmpfloat(e.effect, ==, 3);
  g_assert_true(isnan(e.ci_low) && isnan(e.ci_high));
  g_assert_false(e.significant);
}

/* Mean and standard error: 2, 4, NaN, 6 -> mean 4, sd 2, se 2 / sqrt(3). */
static void test_mean_se(void) {
  const double x[] = {2, 4, NAN, 6};
  double se;
  g_assert_cmpfloat_with_epsilon(th_mean_se(x, 4, &se), 4, 1e-12);
  g_assert_cmpfloat_with_epsilon(se, 2 / sqrt(3), 1e-12);
  g_assert_cmpfloat_with_epsilon(th_mean_se(x, 1, &se), 2, 1e-12);
  g_assert_true(isnan(se));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/effects/wide", test_wide);
  g_test_add_func("/effects/narrow", test_narrow);
  g_test_add_func("/effects/degenerate", test_degenerate);
  g_test_add_func("/effects/mean-se", test_mean_se);
  return g_test_run();
}

/* test_appraisal.c: the cost-benefit arithmetic (sim/appraisal.h) against
 * streams computed by hand. */
#include "sim/appraisal.h"

#include <math.h>

static void test_pv(void) {
  /* 100 at the end of years 0 and 1 at 10%: 100/1.1 + 100/1.21 */
  const double f[] = {100, 100};
  g_assert_cmpfloat_with_epsilon(th_appraisal_pv(f, 2, 0.10), 90.9090909091 + 82.6446280992, 1e-8);
  g_assert_cmpfloat_with_epsilon(th_appraisal_pv(f, 2, 0.0), 200, 1e-12);
  g_assert_cmpfloat(th_appraisal_pv(f, 0, 0.08), ==, 0);
}

static void test_irr(void) {
  /* -100, 60, 60: with x = 1/(1+i), 60x^2 + 60x - 100 = 0, x = (-60 + sqrt(27600))/120,
   * i = 0.1306623863 */
  const double f[] = {-100, 60, 60};
  g_assert_cmpfloat_with_epsilon(th_appraisal_irr(f, 3), 0.1306623863, 1e-9);
  /* -100, 110: 10% exactly */
  const double g[] = {-100, 110};
  g_assert_cmpfloat_with_epsilon(th_appraisal_irr(g, 2), 0.10, 1e-10);
  /* all costs: no rate */
  const double h[] = {-100, -10, -10};
  g_assert_true(isnan(th_appraisal_irr(h, 3)));
  /* benefits that never come back within the period: -100, 1, 1 has a rate
   * below -0.5 ((-100 + x + x^2 = 0 at x = 9.51, i = -0.895); still found */
  const double k[] = {-100, 1, 1};
  double i = th_appraisal_irr(k, 3);
  g_assert_cmpfloat_with_epsilon(th_appraisal_pv(k, 3, i), 0, 1e-6);
  g_assert_cmpfloat(i, <, -0.8);
}

static void test_project(void) {
  /* capital 100 in one construction year, benefit 60 a year for 2 years, no
   * operating cost, 8%: PV costs 100/1.08 = 92.5925925926, PV benefits
   * 60/1.08^2 + 60/1.08^3 = 99.0702636793, NPV 6.4776710867, BCR
   * 1.0699588477, EIRR as -100, 60, 60: 13.066% */
  ThAppraisalProject p = {.capital_cost = 100, .annual_operating = 0, .construction_years = 1,
                          .period_years = 2, .discount_rate = 0.08};
  ThAppraisalResult r;
  g_assert_true(th_appraisal_run(&p, 60, &r));
  g_assert_cmpint(r.n_years, ==, 3);
  g_assert_cmpfloat_with_epsilon(r.pv_costs, 92.5925925926, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.pv_benefits, 99.0702636793, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.npv, 6.4776710867, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.bcr, 1.0699588477, 1e-9);
  g_assert_cmpfloat_with_epsilon(r.eirr, 0.1306623863, 1e-9);
  /* capital 300 over 2 years (150 + 150), operating 10 and benefit 50 a year
   * for 10 years, 8%: PV benefits 50 x (annuity of 10 years at 8% = 6.7100814)
   * / 1.08^2 = 287.6406635, PV costs 150/1.08 + 150/1.08^2 + 10 x 6.7100814
   * / 1.08^2 = 325.0178446, NPV -37.3771811: not worth it at 8% */
  p = (ThAppraisalProject){.capital_cost = 300, .annual_operating = 10, .construction_years = 2,
                           .period_years = 10, .discount_rate = 0.08};
  g_assert_true(th_appraisal_run(&p, 50, &r));
  g_assert_cmpfloat_with_epsilon(r.pv_benefits, 287.6406635349, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.pv_costs, 325.0178446411, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.npv, -37.3771811063, 1e-8);
  g_assert_cmpfloat(r.eirr, <, 0.08);
  g_assert_cmpfloat(r.eirr, >, 0);
  /* growth and residual value: capital 100 in one year, benefit 60 in the
   * opening year growing 10% a year (60, 66) for 2 years, asset life 4
   * years: residual 100 x (4 - 2) / 4 = 50 at the end of year 2, 8%:
   * PV benefits 60/1.08^2 + (66 + 50)/1.08^3 = 51.4403292181 + 92.0845399583
   * = 143.5248691764 (residual's PV 50/1.08^3 = 39.6916120510), PV costs
   * 92.5925925926, NPV 50.9322765839, BCR 1.5500685871; EIRR from
   * -100 + 60x + 116x^2 = 0: x = (-60 + sqrt(50000))/232, i = 1/x - 1 =
   * 0.4180339887 */
  p = (ThAppraisalProject){.capital_cost = 100, .construction_years = 1, .period_years = 2,
                           .discount_rate = 0.08, .benefit_growth = 0.10, .asset_life_years = 4};
  g_assert_true(th_appraisal_run(&p, 60, &r));
  g_assert_cmpfloat_with_epsilon(r.residual_value, 50, 1e-12);
  g_assert_cmpfloat_with_epsilon(r.pv_residual, 39.6916120510, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.pv_benefits, 143.5248691764, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.pv_costs, 92.5925925926, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.npv, 50.9322765839, 1e-8);
  g_assert_cmpfloat_with_epsilon(r.bcr, 1.5500685871, 1e-9);
  g_assert_cmpfloat_with_epsilon(r.eirr, 0.4180339887, 1e-9);
  /* an asset life no longer than the period leaves nothing; growth alone:
   * 100, 105, 110.25 at 0%: 315.25 */
  p = (ThAppraisalProject){.capital_cost = 100, .construction_years = 1, .period_years = 3,
                           .discount_rate = 0, .benefit_growth = 0.05, .asset_life_years = 3};
  g_assert_true(th_appraisal_run(&p, 100, &r));
  g_assert_cmpfloat(r.residual_value, ==, 0);
  g_assert_cmpfloat_with_epsilon(r.pv_benefits, 315.25, 1e-9);
  /* growth of -100% or less, a negative asset life: not valid */
  p.benefit_growth = -1;
  g_assert_false(th_appraisal_run(&p, 100, &r));
  p.benefit_growth = 0;
  p.asset_life_years = -1;
  g_assert_false(th_appraisal_run(&p, 100, &r));
  /* no costs: BCR undefined */
  p = (ThAppraisalProject){.construction_years = 1, .period_years = 5, .discount_rate = 0.08};
  g_assert_true(th_appraisal_run(&p, 10, &r));
  g_assert_true(isnan(r.bcr));
  /* invalid projects */
  p.construction_years = 0;
  g_assert_false(th_appraisal_run(&p, 10, &r));
  p.construction_years = 1;
  p.capital_cost = -1;
  g_assert_false(th_appraisal_run(&p, 10, &r));
  p.capital_cost = 1;
  p.discount_rate = -1;
  g_assert_false(th_appraisal_run(&p, 10, &r));
  g_assert_cmpfloat(th_appraisal_annualise(2.5, 365), ==, 912.5);
  /* rule of a half: 1,000 trips of 0.5 h -> 1,200 of 0.4 h: 0.5 x 2,200 x 0.1 = 110 h */
  g_assert_cmpfloat_with_epsilon(th_appraisal_rule_of_half(1000, 500, 1200, 480), 110, 1e-9);
  g_assert_cmpfloat_with_epsilon(th_appraisal_rule_of_half(1000, 500, 1000, 400), 100, 1e-9);
  g_assert_cmpfloat(th_appraisal_rule_of_half(0, 500, 1000, 400), ==, 0);
}

/* The interval over replications (th_appraisal_interval), by hand:
 * NPVs 10, 12, 14: mean 12, sd 2, t(0.975, 2) = 4.302652730, half-width
 * 4.302652730 x 2 / sqrt 3 = 4.968275424: [7.031724576, 16.968275424],
 * excludes 0. BCRs 0.9, 1.1, 1.3 against 1: mean 1.1, half-width 0.4968275:
 * [0.6031724576, 1.5968275424], holds 1: not significant. A NaN (an EIRR
 * that does not exist) is left out: 10, NaN, 14 is 2 values, mean 12,
 * sd 2.828427, se 2, t(0.975, 1) = 12.706204736: [-13.412409472,
 * 37.412409472]. One value: no interval. */
static void test_interval(void) {
  ThAppraisalInterval iv;
  const double npv[] = {10, 12, 14};
  th_appraisal_interval(npv, 3, 0, &iv);
  g_assert_cmpint(iv.n, ==, 3);
  g_assert_cmpfloat_with_epsilon(iv.mean, 12, 1e-12);
  g_assert_cmpfloat_with_epsilon(iv.ci_low, 7.031724576312494, 1e-8);
  g_assert_cmpfloat_with_epsilon(iv.ci_high, 16.968275423687505, 1e-8);
  g_assert_true(iv.significant);
  const double bcr[] = {0.9, 1.1, 1.3};
  th_appraisal_interval(bcr, 3, 1, &iv);
  g_assert_cmpfloat_with_epsilon(iv.mean, 1.1, 1e-12);
  g_assert_cmpfloat_with_epsilon(iv.ci_low, 0.6031724576312495, 1e-8);
  g_assert_cmpfloat_with_epsilon(iv.ci_high, 1.5968275423687506, 1e-8);
  g_assert_false(iv.significant);
  /* the same BCRs against 0.5 (as an EIRR against a discount rate): significant */
  th_appraisal_interval(bcr, 3, 0.5, &iv);
  g_assert_true(iv.significant);
  const double gap[] = {10, NAN, 14};
  th_appraisal_interval(gap, 3, 0, &iv);
  g_assert_cmpint(iv.n, ==, 2);
  g_assert_cmpfloat_with_epsilon(iv.mean, 12, 1e-12);
  g_assert_cmpfloat_with_epsilon(iv.ci_low, -13.412409472349395, 1e-7);
  g_assert_cmpfloat_with_epsilon(iv.ci_high, 37.412409472349395, 1e-7);
  g_assert_false(iv.significant);
  th_appraisal_interval(npv, 1, 0, &iv);
  g_assert_cmpint(iv.n, ==, 1);
  g_assert_cmpfloat(iv.mean, ==, 10);
  g_assert_true(isnan(iv.ci_low) && isnan(iv.ci_high));
  g_assert_false(iv.significant);
}

/* Benefits by class and purpose (th_appraisal_benefits), by hand: car work
 * 100 trips of 1 h -> 0.5 h at 60 yuan/h: 0.5 (100 + 100) 0.5 x 60 = 3,000;
 * car other 200 trips, 100 h -> 200 trips, 90 h at 20 yuan/h: 0.5 x 400 x
 * 0.05 x 20 = 200; a cell the project lacks (car tourism) gives 0; coal
 * 1,000 t, 3,000 t-h -> 1,000 t, 2,500 t-h at 2 yuan/t-h: 1,000; car km
 * 1,000 -> 900 for 300 passenger trips: 0.5 (300 + 300) (1000/300 -
 * 900/300) x 0.5 yuan/km = 50; truck km 400 -> 380 per 1,000 t at 5:
 * 100; CO2 2 -> 1.5 t for 1,300 trips at 100 yuan/t: 50; daily 4,400,
 * annual at 300 days 1,320,000. */
static void test_benefits_cells(void) {
  const ThAppraisalCell b[] = {{"car", "work", FALSE, 100, 100, 60},
                               {"car", "other", FALSE, 200, 100, 20},
                               {"car", "tourism", FALSE, 10, 10, 20},
                               {"coal", "", TRUE, 1000, 3000, 2}};
  const ThAppraisalCell s[] = {{"coal", "", TRUE, 1000, 2500, 2},
                               {"car", "other", FALSE, 200, 90, 20},
                               {"car", "work", FALSE, 100, 50, 60}};
  ThAppraisalRun rb = {4, b, 1300, 300, 1000, 400, 2}, rs = {3, s, 1300, 300, 900, 380, 1.5};
  ThAppraisalPrices pr = {0.5, 5, 100, 300};
  double cell[4];
  ThAppraisalBenefits out;
  th_appraisal_benefits(&rb, &rs, &pr, cell, &out);
  g_assert_cmpfloat_with_epsilon(cell[0], 3000, 1e-9);
  g_assert_cmpfloat_with_epsilon(cell[1], 200, 1e-9);
  g_assert_cmpfloat(cell[2], ==, 0);
  g_assert_cmpfloat_with_epsilon(cell[3], 1000, 1e-9);
  g_assert_cmpfloat_with_epsilon(out.time_benefit, 4200, 1e-9);
  g_assert_cmpfloat_with_epsilon(out.voc_benefit, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon(out.co2_benefit, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon(out.daily_benefit, 4400, 1e-9);
  g_assert_cmpfloat_with_epsilon(out.annual_benefit, 1320000, 1e-6);
  /* the value of time of a cell: purpose, else class override, else class */
  g_assert_cmpfloat(th_appraisal_cell_vot(FALSE, "work", 80, NAN, 30), ==, 80);
  g_assert_cmpfloat(th_appraisal_cell_vot(FALSE, "work", NAN, 40, 30), ==, 40);
  g_assert_cmpfloat(th_appraisal_cell_vot(FALSE, "", 80, NAN, 30), ==, 30);
  g_assert_cmpfloat(th_appraisal_cell_vot(TRUE, "work", 80, NAN, 3), ==, 3);
  char *p = NULL;
  g_assert_true(th_appraisal_vot_purpose_key("vot_purpose_work_per_h", &p));
  g_assert_cmpstr(p, ==, "work");
  g_free(p);
  g_assert_false(th_appraisal_vot_purpose_key("vot_purpose__per_h", NULL));
  g_assert_false(th_appraisal_vot_purpose_key("vot_car_per_h", NULL));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/appraisal/pv", test_pv);
  g_test_add_func("/appraisal/irr", test_irr);
  g_test_add_func("/appraisal/project", test_project);
  g_test_add_func("/appraisal/interval", test_interval);
  g_test_add_func("/appraisal/benefits-cells", test_benefits_cells);
  return g_test_run();
}

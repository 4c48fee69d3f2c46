/* appraisal.c: discounted cash flow (see appraisal.h). */
#include "sim/appraisal.h"
#include "sim/effects.h"

#include <math.h>
#include <string.h>

double th_appraisal_pv(const double *f, int n, double r) {
  double pv = 0, d = 1;
  for (int t = 0; t < n; t++) {
    d /= 1 + r;
    pv += f[t] * d;
  }
  return pv;
}

double th_appraisal_irr(const double *f, int n) {
  /* bisection, not Newton: a project stream (costs first, then benefits)
   * has a PV that falls as the rate rises; bisection cannot jump to a
   * spurious root or diverge on a flat stretch */
  double lo = -0.99, hi = 10;
  double plo = th_appraisal_pv(f, n, lo), phi = th_appraisal_pv(f, n, hi);
  if (!isfinite(plo) || !isfinite(phi) || plo == 0 || phi == 0 || (plo > 0) == (phi > 0)) {
    if (plo == 0) return lo;
    if (phi == 0) return hi;
    return NAN;
  }
  for (int it = 0; it < 200 && hi - lo > 1e-12; it++) {
    double mid = 0.5 * (lo + hi);
    double pm = th_appraisal_pv(f, n, mid);
    if (pm == 0) return mid;
    if ((pm > 0) == (plo > 0)) {
      lo = mid;
      plo = pm;
    } else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

double th_appraisal_rule_of_half(double u0, double x0, double u1, double x1) {
  if (!(u0 > 0) || !(u1 > 0) || !isfinite(x0) || !isfinite(x1)) return 0;
  return 0.5 * (u0 + u1) * (x0 / u0 - x1 / u1);
}

gboolean th_appraisal_run(const ThAppraisalProject *p, double annual_benefit,
                          ThAppraisalResult *out) {
  *out = (ThAppraisalResult){0};
  out->bcr = out->eirr = NAN;
  if (p->construction_years < 1 || p->period_years < 1 || p->construction_years > 50 ||
      p->period_years > 200 || !(p->discount_rate > -1) || !(p->capital_cost >= 0) ||
      !(p->annual_operating >= 0) || !isfinite(annual_benefit) || !(p->benefit_growth > -1) ||
      !(p->benefit_growth < 10) || !(p->asset_life_years >= 0) || !isfinite(p->asset_life_years))
    return FALSE;
  int c = p->construction_years, n = c + p->period_years;
  g_autofree double *net = g_new0(double, n);
  g_autofree double *ben = g_new0(double, n);
  g_autofree double *cost = g_new0(double, n);
  for (int t = 0; t < n; t++) {
    if (t < c)
      cost[t] = p->capital_cost / c;
    else {
      ben[t] = annual_benefit * pow(1 + p->benefit_growth, t - c);
      cost[t] = p->annual_operating;
    }
  }
  if (p->asset_life_years > 0)
    out->residual_value =
        p->capital_cost * MAX(0, p->asset_life_years - p->period_years) / p->asset_life_years;
  ben[n - 1] += out->residual_value;
  out->pv_residual = out->residual_value / pow(1 + p->discount_rate, n);
  for (int t = 0; t < n; t++) net[t] = ben[t] - cost[t];
  out->n_years = n;
  out->pv_benefits = th_appraisal_pv(ben, n, p->discount_rate);
  out->pv_costs = th_appraisal_pv(cost, n, p->discount_rate);
  out->npv = out->pv_benefits - out->pv_costs;
  out->bcr = out->pv_costs > 0 ? out->pv_benefits / out->pv_costs : NAN;
  out->eirr = th_appraisal_irr(net, n);
  return TRUE;
}

/* Defaults (sim/params.c): the published Chinese value where there is
 * one, else the model's own value or an assumption, said so here. */
const ThAppraisalSource th_appraisal_sources[] = {
    {"capital_cost_million_yuan", "the project's estimate; 0: no NPV, BCR or EIRR",
     "方案的投资估算；为 0 时不计算净现值、效益费用比和内部收益率"},
    {"operating_cost_million_yuan", "the project's estimate (maintenance, added services)",
     "方案的年运营费估算（养护、新增班次）"},
    {"opening_year", "0: [demand] year", "0：取 [demand] year"},
    {"construction_years", "assumption", "假设"},
    {"period_years",
     "assumption (operating period; 20 to 30 years is usual for roads and railways)",
     "假设（运营期；公路和铁路通常取 20 至 30 年）"},
    {"discount_rate",
     "social discount rate 8%, 《建设项目经济评价方法与参数》 3rd ed. (国家发展改革委, 建设部, "
     "2006)",
     "社会折现率 8%，《建设项目经济评价方法与参数》第三版（国家发展改革委、建设部，2006）"},
    {"benefit_growth",
     "assumption: 0, benefits held at the opening year's level; set it from the project's "
     "traffic forecast",
     "假设：0，效益保持开通年水平；应按方案的交通量预测设定"},
    {"asset_life_years",
     "assumption: straight-line life of the capital for its residual value at the end of the "
     "period (0: no residual value)",
     "假设：计算期末回收固定资产余值所用的直线折旧年限（0：不计残值）"},
    {"days_per_year", "assumption: every day of the year is like the modelled day",
     "假设：一年中每天都与模拟日相同"},
    {"voc_car_per_km", "the model's car cost_per_km (E)", "模型中小汽车的 cost_per_km（E，估计）"},
    {"voc_truck_per_km", "the model's truck cost_per_km (E)",
     "模型中货车的 cost_per_km（E，估计）"},
    {"carbon_price_per_t",
     "assumption, near the national carbon market (全国碳排放权交易市场) closing price at the end "
     "of 2023 (79.42 yuan/t)",
     "假设，接近全国碳排放权交易市场 2023 年末收盘价（79.42 元/吨）"},
    {NULL, NULL, NULL}};

gboolean th_appraisal_vot_purpose_key(const char *key, char **purpose_out) {
  gsize n = strlen(key), pre = strlen("vot_purpose_"), suf = strlen("_per_h");
  if (n <= pre + suf || !g_str_has_prefix(key, "vot_purpose_") || !g_str_has_suffix(key, "_per_h"))
    return FALSE;
  if (purpose_out) *purpose_out = g_strndup(key + pre, n - pre - suf);
  return TRUE;
}

static const ThAppraisalCell *cell_of(const ThAppraisalRun *r, const ThAppraisalCell *c) {
  for (int i = 0; i < r->n_cells; i++)
    if (!strcmp(r->cells[i].cls, c->cls) && !strcmp(r->cells[i].purpose, c->purpose))
      return &r->cells[i];
  return NULL;
}

static double freight_units(const ThAppraisalRun *r) {
  double q = 0;
  for (int i = 0; i < r->n_cells; i++)
    if (r->cells[i].freight) q += r->cells[i].units;
  return q;
}

void th_appraisal_benefits(const ThAppraisalRun *base, const ThAppraisalRun *scn,
                           const ThAppraisalPrices *prices, double *time_cell,
                           ThAppraisalBenefits *out) {
  *out = (ThAppraisalBenefits){0};
  for (int i = 0; i < base->n_cells; i++) {
    const ThAppraisalCell *c0 = &base->cells[i], *c1 = cell_of(scn, c0);
    double v = c1 ? th_appraisal_rule_of_half(c0->units, c0->hours, c1->units, c1->hours) *
                        c1->vot_per_h
                  : 0;
    if (!isfinite(v)) v = 0;
    if (time_cell) time_cell[i] = v;
    out->time_benefit += v;
  }
  double q0 = freight_units(base), q1 = freight_units(scn);
  out->voc_benefit = th_appraisal_rule_of_half(base->passenger_trips, base->car_vehicle_km,
                                               scn->passenger_trips, scn->car_vehicle_km) *
                         prices->voc_car_per_km +
                     th_appraisal_rule_of_half(q0, base->truck_vehicle_km, q1,
                                               scn->truck_vehicle_km) *
                         prices->voc_truck_per_km;
  out->co2_benefit = th_appraisal_rule_of_half(base->trips, base->co2_t, scn->trips, scn->co2_t) *
                     prices->carbon_price_per_t;
  out->daily_benefit = out->time_benefit + out->voc_benefit + out->co2_benefit;
  out->annual_benefit = th_appraisal_annualise(out->daily_benefit, prices->days_per_year);
}

void th_appraisal_interval(const double *x, int n, double break_even, ThAppraisalInterval *out) {
  g_autofree double *zero = g_new0(double, n > 0 ? n : 1);
  g_autofree double *y = g_new0(double, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) y[i] = x[i] - break_even;
  ThPairedEffect e;
  th_paired_effect(zero, y, n, &e);
  out->n = e.n;
  out->mean = e.n > 0 ? e.effect + break_even : NAN;
  out->ci_low = e.ci_low + break_even;
  out->ci_high = e.ci_high + break_even;
  out->significant = e.n >= 2 && e.significant;
}

/* appraisal-csv.c: [appraisal] values and appraisal.csv (see appraisal-csv.h). */
#include "output/appraisal-csv.h"
#include "network/csv.h"
#include "sim/params.h"
#include "network/atomic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double th_appraisal_param_value(GKeyFile *params, const char *key) {
  const ThParam *p = th_param_find(th_param_table, "appraisal", key);
  g_autofree char *v = params ? g_key_file_get_value(params, "appraisal", key, NULL) : NULL;
  double x;
  if (v && th_parse_double(v, &x)) return x;
  return p && th_parse_double(p->def, &x) ? x : NAN;
}

/* [appraisal] KEY as a number, NAN when unset or not one */
static double set_value(GKeyFile *params, const char *key) {
  g_autofree char *v = params ? g_key_file_get_value(params, "appraisal", key, NULL) : NULL;
  double x;
  return v && th_parse_double(v, &x) ? x : NAN;
}

double th_appraisal_vot_value(GKeyFile *params, const char *cls, const char *purpose,
                              gboolean freight, double class_vot) {
  g_autofree char *kc = g_strdup_printf("vot_%s_per_h", cls);
  g_autofree char *kp =
      purpose && *purpose ? g_strdup_printf("vot_purpose_%s_per_h", purpose) : NULL;
  return th_appraisal_cell_vot(freight, purpose, kp ? set_value(params, kp) : NAN,
                               set_value(params, kc), class_vot);
}

gboolean th_appraisal_from_params(GKeyFile *params, ThAppraisalProject *p, ThAppraisalPrices *pr) {
  pr->voc_car_per_km = th_appraisal_param_value(params, "voc_car_per_km");
  pr->voc_truck_per_km = th_appraisal_param_value(params, "voc_truck_per_km");
  pr->carbon_price_per_t = th_appraisal_param_value(params, "carbon_price_per_t");
  pr->days_per_year = th_appraisal_param_value(params, "days_per_year");
  p->capital_cost = th_appraisal_param_value(params, "capital_cost_million_yuan") * 1e6;
  p->annual_operating = th_appraisal_param_value(params, "operating_cost_million_yuan") * 1e6;
  p->construction_years = (int)th_appraisal_param_value(params, "construction_years");
  p->period_years = (int)th_appraisal_param_value(params, "period_years");
  p->discount_rate = th_appraisal_param_value(params, "discount_rate");
  p->benefit_growth = th_appraisal_param_value(params, "benefit_growth");
  p->asset_life_years = th_appraisal_param_value(params, "asset_life_years");
  return p->capital_cost > 0 || p->annual_operating > 0;
}

static void put(FILE *out, double x, int dec) {
  if (isfinite(x)) {
    char buf[64];
    g_ascii_formatd(buf, sizeof buf, dec == 2 ? "%.2f" : "%.6f", x);
    if (!strcmp(buf, "-0.00") || !strcmp(buf, "-0.000000"))
      fputs(buf + 1, out);
    else
      fputs(buf, out);
  }
}

static void item(FILE *out, const char *scenario, const char *name, const char *cls,
                 const char *purpose, const char *unit, const double *x, int n, double break_even,
                 int dec) {
  ThAppraisalInterval iv;
  th_appraisal_interval(x, n, break_even, &iv);
  th_csv_write_field(out, scenario);
  fprintf(out, ",%s,", name);
  th_csv_write_field(out, cls);
  fputc(',', out);
  th_csv_write_field(out, purpose);
  fprintf(out, ",%s,%d,", unit, iv.n);
  put(out, iv.mean, dec);
  fputc(',', out);
  put(out, iv.ci_low, dec);
  fputc(',', out);
  put(out, iv.ci_high, dec);
  fprintf(out, ",%s\n", iv.significant ? "true" : "false");
}

gboolean th_appraisal_write_csv(const char *path, const ThAppraisalReps *p, int n, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fputs("scenario,item,class,purpose,unit,replications,mean,ci_low,ci_high,significant\n", out);
  for (int s = 0; s < n; s++) {
    const ThAppraisalReps *a = &p[s];
    const int r = a->n_reps;
    g_autofree double *x = g_new0(double, r > 0 ? r : 1);
    for (int c = 0; c < a->n_cells; c++) {
      for (int k = 0; k < r; k++) x[k] = a->time_cell[(size_t)k * a->n_cells + c];
      item(out, a->scenario, "time", a->cells[c].cls, a->cells[c].purpose, "yuan_per_day", x, r, 0,
           2);
    }
#define BEN(FIELD, NAME, UNIT)                                                                     \
  do {                                                                                             \
    for (int k = 0; k < r; k++) x[k] = a->benefits[k].FIELD;                                       \
    item(out, a->scenario, NAME, "", "", UNIT, x, r, 0, 2);                                        \
  } while (0)
    BEN(voc_benefit, "vehicle_operating", "yuan_per_day");
    BEN(co2_benefit, "co2", "yuan_per_day");
    BEN(daily_benefit, "daily_benefit", "yuan_per_day");
    BEN(annual_benefit, "annual_benefit", "yuan");
#undef BEN
    if (!a->appraised) continue;
#define RES(FIELD, NAME, UNIT, BE, DEC)                                                            \
  do {                                                                                             \
    for (int k = 0; k < r; k++) x[k] = a->results[k].FIELD;                                        \
    item(out, a->scenario, NAME, "", "", UNIT, x, r, BE, DEC);                                     \
  } while (0)
    RES(pv_benefits, "pv_benefits", "yuan", 0, 2);
    RES(pv_residual, "pv_residual", "yuan", 0, 2);
    RES(pv_costs, "pv_costs", "yuan", 0, 2);
    RES(npv, "npv", "yuan", 0, 2);
    RES(bcr, "bcr", "ratio", 1, 6);
    RES(eirr, "eirr", "fraction", a->discount_rate, 6);
#undef RES
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

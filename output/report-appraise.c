/* report-appraise.c: the benefits of a project from two runs, and its
 * appraisal (sim/appraisal.h).
 *
 * Benefits per day, expanded to the full demand, by the rule of a half so
 * that a scenario with other demand (a later year) is not credited with its
 * growth: for each class with U0 and U1 units (trips, or tonnes for freight)
 * and mean hours per unit h0 and h1, the time benefit is
 *   0.5 (U0 + U1) (h0 - h1) x value of time of the class;
 * vehicle operating costs the same way per passenger trip (car km) and per
 * tonne (truck km); CO2 per trip of any kind, valued at the carbon price.
 * With the same demand in both runs these are plain differences of totals. */
#include "network/csv.h"
#include "output/report-doc.h"
#include "sim/params.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double th_report_param(const ThReportScenario *s, const char *key) {
  const ThParam *p = th_param_find(th_param_table, "appraisal", key);
  g_autofree char *v = s->params ? g_key_file_get_value(s->params, "appraisal", key, NULL) : NULL;
  double x;
  if (v && th_parse_double(v, &x)) return x;
  return p && th_parse_double(p->def, &x) ? x : NAN;
}

static double vot_of(const ThReportScenario *s, const ThReportClass *c) {
  g_autofree char *key = g_strdup_printf("vot_%s_per_h", c->cls);
  g_autofree char *v = s->params ? g_key_file_get_value(s->params, "appraisal", key, NULL) : NULL;
  double x;
  return v && th_parse_double(v, &x) ? x : c->vot_per_h;
}

static const ThReportClass *class_of(const ThReportScenario *s, const char *cls) {
  for (guint i = 0; i < s->classes->len; i++)
    if (!strcmp(g_array_index(s->classes, ThReportClass, i).cls, cls))
      return &g_array_index(s->classes, ThReportClass, i);
  return NULL;
}

void th_report_appraisal_clear(ThReportAppraisal *a) {
  for (int i = 0; i < a->n_classes; i++) g_free(a->class_name[i]);
  memset(a, 0, sizeof *a);
}

void th_report_appraise(const ThReportData *d, int si, ThReportAppraisal *a) {
  memset(a, 0, sizeof *a);
  const ThReportScenario *b = d->scen->pdata[0], *s = d->scen->pdata[si];
  for (guint i = 0; i < b->classes->len && a->n_classes < 16; i++) {
    const ThReportClass *c0 = &g_array_index(b->classes, ThReportClass, i);
    const ThReportClass *c1 = class_of(s, c0->cls);
    if (!c1 || (c0->units == 0 && c1->units == 0)) continue;
    double v = th_appraisal_rule_of_half(c0->units, c0->hours, c1->units, c1->hours) * vot_of(s, c0);
    a->class_name[a->n_classes] = g_strdup(c0->cls);
    a->time_benefit_class[a->n_classes++] = v;
    a->time_benefit += v;
  }
  double p0 = th_report_value(b, "passenger_trips"), p1 = th_report_value(s, "passenger_trips");
  double t0 = th_report_value(b, "trips"), t1 = th_report_value(s, "trips");
  /* tonnes: the freight classes' units */
  double q0 = 0, q1 = 0;
  for (guint i = 0; i < b->classes->len; i++) {
    const ThReportClass *c = &g_array_index(b->classes, ThReportClass, i);
    if (c->freight) q0 += c->units;
  }
  for (guint i = 0; i < s->classes->len; i++) {
    const ThReportClass *c = &g_array_index(s->classes, ThReportClass, i);
    if (c->freight) q1 += c->units;
  }
  a->voc_benefit = th_appraisal_rule_of_half(p0, th_report_value(b, "car_vehicle_km"), p1,
                             th_report_value(s, "car_vehicle_km")) *
                       th_report_param(s, "voc_car_per_km") +
                   th_appraisal_rule_of_half(q0, th_report_value(b, "truck_vehicle_km"), q1,
                             th_report_value(s, "truck_vehicle_km")) *
                       th_report_param(s, "voc_truck_per_km");
  a->co2_benefit = th_appraisal_rule_of_half(t0, th_report_value(b, "co2_t"), t1, th_report_value(s, "co2_t")) *
                   th_report_param(s, "carbon_price_per_t");
  a->daily_benefit = a->time_benefit + a->voc_benefit + a->co2_benefit;
  a->annual_benefit = th_appraisal_annualise(a->daily_benefit, th_report_param(s, "days_per_year"));
  a->project.capital_cost = th_report_param(s, "capital_cost_million_yuan") * 1e6;
  a->project.annual_operating = th_report_param(s, "operating_cost_million_yuan") * 1e6;
  a->project.construction_years = (int)th_report_param(s, "construction_years");
  a->project.period_years = (int)th_report_param(s, "period_years");
  a->project.discount_rate = th_report_param(s, "discount_rate");
  a->project.benefit_growth = th_report_param(s, "benefit_growth");
  a->project.asset_life_years = th_report_param(s, "asset_life_years");
  a->appraised = a->project.capital_cost > 0 || a->project.annual_operating > 0;
  a->opening_year = (int)th_report_param(s, "opening_year");
  if (a->opening_year <= 0) {
    g_autofree char *y = g_key_file_get_value(s->params, "demand", "year", NULL);
    a->opening_year = y ? atoi(y) : 0;
  }
  if (a->appraised && !th_appraisal_run(&a->project, a->annual_benefit, &a->result))
    a->appraised = FALSE;
}

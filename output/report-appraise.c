/* report-appraise.c: the benefits of a project from two runs, and its
 * appraisal (sim/appraisal.h).
 *
 * Benefits per day, expanded to the full demand, by the rule of a half so
 * that a scenario with other demand (a later year) is not credited with its
 * growth (th_appraisal_benefits): for each class and purpose with U0 and U1
 * units (trips, or tonnes for freight) and mean hours per unit h0 and h1,
 * the time benefit is
 *   0.5 (U0 + U1) (h0 - h1) x value of time of the class and purpose;
 * vehicle operating costs the same way per passenger trip (car km) and per
 * tonne (truck km); CO2 per trip of any kind, valued at the carbon price.
 * With the same demand in both runs these are plain differences of totals.
 *
 * A compare folder with appraisal.csv (every replication appraised by
 * compare, output/appraisal-csv.h) gives the means and 95 % intervals over
 * the replications instead; an older folder, one run's figures. */
#include "network/csv.h"
#include "output/report-doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double th_report_param(const ThReportScenario *s, const char *key) {
  return th_appraisal_param_value(s->params, key);
}

void th_report_appraisal_clear(ThReportAppraisal *a) {
  for (int i = 0; i < a->n_classes; i++) {
    g_free(a->class_name[i]);
    g_free(a->purpose_name[i]);
  }
  memset(a, 0, sizeof *a);
}

/* The appraisal's view of a scenario: its cells (lent strings) and totals. */
static ThAppraisalRun run_of(const ThReportScenario *s, const ThReportScenario *values,
                             ThAppraisalCell *cells) {
  int m = 0;
  for (guint i = 0; i < s->classes->len && m < TH_REPORT_MAX_CELLS; i++) {
    const ThReportClass *c = &g_array_index(s->classes, ThReportClass, i);
    cells[m++] = (ThAppraisalCell){
        c->cls,
        c->purpose,
        c->freight,
        c->units,
        c->hours,
        th_appraisal_vot_value(values->params, c->cls, c->purpose, c->freight, c->vot_per_h)};
  }
  return (ThAppraisalRun){m,
                          cells,
                          th_report_value(s, "trips"),
                          th_report_value(s, "passenger_trips"),
                          th_report_value(s, "car_vehicle_km"),
                          th_report_value(s, "truck_vehicle_km"),
                          th_report_value(s, "co2_t")};
}

static void set_iv(ThAppraisalInterval *iv, const ThReportAppraisalRow *r) {
  *iv = (ThAppraisalInterval){r->replications, r->mean, r->ci_low, r->ci_high, r->significant};
}

/* The figures of appraisal.csv for S (means), with their intervals. */
static void from_csv(const ThReportData *d, const ThReportScenario *s, ThReportAppraisal *a) {
  for (int i = 0; i < a->n_classes; i++) {
    g_free(a->class_name[i]);
    g_free(a->purpose_name[i]);
  }
  a->n_classes = 0;
  a->time_benefit = 0;
  for (guint i = 0; i < d->appraisal->len; i++) {
    const ThReportAppraisalRow *r = &g_array_index(d->appraisal, ThReportAppraisalRow, i);
    if (strcmp(r->scenario, s->key)) continue;
    double m = isfinite(r->mean) ? r->mean : 0;
    a->replications = MAX(a->replications, r->replications);
    if (!strcmp(r->item, "time") && a->n_classes < TH_REPORT_MAX_CELLS) {
      int k = a->n_classes++;
      a->class_name[k] = g_strdup(r->cls);
      a->purpose_name[k] = g_strdup(r->purpose);
      a->time_benefit_class[k] = m;
      set_iv(&a->time_iv[k], r);
      a->time_benefit += m;
    } else if (!strcmp(r->item, "vehicle_operating"))
      a->voc_benefit = m;
    else if (!strcmp(r->item, "co2"))
      a->co2_benefit = m;
    else if (!strcmp(r->item, "daily_benefit")) {
      a->daily_benefit = m;
      set_iv(&a->daily_iv, r);
    } else if (!strcmp(r->item, "annual_benefit"))
      a->annual_benefit = m;
    else if (!strcmp(r->item, "pv_benefits"))
      a->result.pv_benefits = m;
    else if (!strcmp(r->item, "pv_residual"))
      a->result.pv_residual = m;
    else if (!strcmp(r->item, "pv_costs"))
      a->result.pv_costs = m;
    else if (!strcmp(r->item, "npv")) {
      a->result.npv = m;
      set_iv(&a->npv_iv, r);
    } else if (!strcmp(r->item, "bcr")) {
      a->result.bcr = r->mean;
      set_iv(&a->bcr_iv, r);
    } else if (!strcmp(r->item, "eirr")) {
      a->result.eirr = r->mean;
      set_iv(&a->eirr_iv, r);
    }
  }
}

void th_report_appraise(const ThReportData *d, int si, ThReportAppraisal *a) {
  memset(a, 0, sizeof *a);
  const ThReportScenario *b = d->scen->pdata[0], *s = d->scen->pdata[si];
  ThAppraisalPrices pr;
  a->appraised = th_appraisal_from_params(s->params, &a->project, &pr);
  ThAppraisalCell cb[TH_REPORT_MAX_CELLS], cs[TH_REPORT_MAX_CELLS];
  ThAppraisalRun rb = run_of(b, s, cb), rs = run_of(s, s, cs);
  double cell[TH_REPORT_MAX_CELLS];
  ThAppraisalBenefits ben;
  th_appraisal_benefits(&rb, &rs, &pr, cell, &ben);
  for (int i = 0; i < rb.n_cells; i++) {
    /* a cell without trips in either run says nothing */
    const ThAppraisalCell *c1 = NULL;
    for (int j = 0; j < rs.n_cells && !c1; j++)
      if (!strcmp(cs[j].cls, cb[i].cls) && !strcmp(cs[j].purpose, cb[i].purpose)) c1 = &cs[j];
    if (!c1 || (cb[i].units == 0 && c1->units == 0)) continue;
    a->class_name[a->n_classes] = g_strdup(cb[i].cls);
    a->purpose_name[a->n_classes] = g_strdup(cb[i].purpose);
    a->time_benefit_class[a->n_classes++] = cell[i];
  }
  a->time_benefit = ben.time_benefit;
  a->voc_benefit = ben.voc_benefit;
  a->co2_benefit = ben.co2_benefit;
  a->daily_benefit = ben.daily_benefit;
  a->annual_benefit = ben.annual_benefit;
  a->opening_year = (int)th_report_param(s, "opening_year");
  if (a->opening_year <= 0) {
    g_autofree char *y = g_key_file_get_value(s->params, "demand", "year", NULL);
    a->opening_year = y ? atoi(y) : 0;
  }
  if (a->appraised && !th_appraisal_run(&a->project, a->annual_benefit, &a->result))
    a->appraised = FALSE;
  ThAppraisalInterval none = {0, NAN, NAN, NAN, FALSE};
  a->npv_iv = a->bcr_iv = a->eirr_iv = a->daily_iv = none;
  for (int i = 0; i < TH_REPORT_MAX_CELLS; i++) a->time_iv[i] = none;
  if (d->appraisal) from_csv(d, s, a);
}

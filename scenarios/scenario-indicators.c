/* scenario-indicators.c: the indicators of summary.csv for one scenario run
 * (see scenario-indicators.h). Here, not in compare.c, so that run-scenario.c
 * (one run) and compare.c (many) both use it without including each other. */
#include "scenarios/scenario-indicators.h"
#include "network/th-error.h"
#include "output/appraisal-csv.h"
#include "sim/multimodal.h"

#include <math.h>
#include <string.h>

void th_scenario_indicators(const ThScenario *sc, const char *key, const ThScenarioResult *res,
                            ThCompareRow *row) {
  memset(row->v, 0, sizeof row->v);
  row->key = key;
  row->name = sc->name;
  row->description = sc->description;
  const ThRunResults *r = res->run;
  const ThTrips *t = res->trips;
  const ThClassTable *ct = res->world->classes;
  double scale = res->params.sample_factor > 0 ? 1.0 / res->params.sample_factor : 1.0;
  double *v = row->v;
  double by_mode[TH_N_MODES] = {0}, n_moded = 0, gc_p = 0, n_p_arr = 0, gc_f = 0, t_f = 0;
  for (int i = 0; i < t->n; i++) {
    const ThClass *c = &ct->cls[t->cls[i]];
    v[TH_CMP_TRIPS]++;
    switch (r->status[i]) {
    case TH_TRIP_ARRIVED: v[TH_CMP_ARRIVED]++; break;
    case TH_TRIP_STUCK: v[TH_CMP_STUCK]++; break;
    case TH_TRIP_UNSERVED: v[TH_CMP_UNSERVED]++; break;
    default: v[TH_CMP_EN_ROUTE]++; break;
    }
    gboolean arrived = r->arrive_s[i] >= 0;
    double hours = arrived ? (r->arrive_s[i] - r->depart_s[i]) / 3600.0 : 0;
    double km = r->distance_m ? r->distance_m[i] / 1000.0 : 0;
    uint32_t mode = r->mode ? r->mode[i] : TH_MODE_ROAD;
    gboolean road = mode == TH_MODE_ROAD || mode == 0;
    if (c->kind == TH_CLASS_PASSENGER) {
      v[TH_CMP_PASSENGER_TRIPS]++;
      v[TH_CMP_PASSENGER_HOURS] += hours;
      v[TH_CMP_PASSENGER_KM] += km;
      if (mode) {
        for (int k = 0; k < TH_N_MODES; k++)
          if (mode == (1u << k)) by_mode[k]++;
        n_moded++;
      }
      if (road) {
        v[TH_CMP_CAR_VEH_HOURS] += t->vehicles[i] * hours;
        v[TH_CMP_CAR_VEH_KM] += t->vehicles[i] * km;
      }
      if (arrived && r->gen_cost) {
        gc_p += r->gen_cost[i];
        n_p_arr++;
      }
    } else {
      v[TH_CMP_SHIPMENTS]++;
      if (road) {
        v[TH_CMP_TRUCK_VEH_HOURS] += t->vehicles[i] * hours;
        /* a consolidated part load: its own truck to the park, then its
         * share of a full truck (sim/results.h shared_truck_km) */
        double shared = r->shared_truck_km ? r->shared_truck_km[i] : 0;
        double full = c->tonnes_per_vehicle > 0 ? c->tonnes_per_vehicle : 1;
        v[TH_CMP_TRUCK_VEH_KM] += t->vehicles[i] * (km - shared) + MIN(1.0, t->tonnes[i] / full) * shared;
        v[TH_CMP_ROAD_TONNE_KM] += t->tonnes[i] * km;
      } else {
        v[TH_CMP_RAIL_TONNE_KM] += t->tonnes[i] * km;
        /* a rail shipment is handled twice: onto and off the train */
        v[TH_CMP_HUB_TONNES] += 2 * t->tonnes[i];
      }
      if (arrived && r->gen_cost) {
        gc_f += r->gen_cost[i];
        t_f += t->tonnes[i];
      }
    }
  }
  /* daily totals of the full demand: the run was a sample */
  for (int i = TH_CMP_TRIPS; i <= TH_CMP_PASSENGER_KM; i++)
    if (i < TH_CMP_BUS_VEH_HOURS || i > TH_CMP_INTERCITY_TRAIN_KM) v[i] *= scale;
  v[TH_CMP_ROAD_TONNE_KM] *= scale;
  v[TH_CMP_RAIL_TONNE_KM] *= scale;
  v[TH_CMP_HUB_TONNES] *= scale;
  if (res->multimodal) {
    /* the hubs' own count: tonnes through their handling servers */
    const ThMultimodalResults *mm = res->multimodal;
    double t = 0;
    for (int h = 0; h < mm->n_hubs; h++) t += mm->hubs[h].tonnes_handled;
    v[TH_CMP_HUB_TONNES] = t * scale;
  }
  double tk = v[TH_CMP_ROAD_TONNE_KM] + v[TH_CMP_RAIL_TONNE_KM];
  v[TH_CMP_RAIL_TONNE_SHARE] = tk > 0 ? v[TH_CMP_RAIL_TONNE_KM] / tk : 0;
  /* road, bus, rail, hsr, intercity, walk, ebike bit positions: every
   * passenger trip with a mode is in one, so the shares add to 1 */
  const int share_bit[7] = {0, 4, 1, 2, 3, 5, 7};
  for (int k = 0; k < 7; k++)
    v[TH_CMP_SHARE_ROAD + k] = n_moded > 0 ? by_mode[share_bit[k]] / n_moded : 0;
  v[TH_CMP_GEN_COST_PASSENGER] = n_p_arr > 0 ? gc_p / n_p_arr : NAN;
  v[TH_CMP_GEN_COST_FREIGHT_PER_T] = t_f > 0 ? gc_f / t_f : NAN;
  /* scheduled services run in full whatever the sample (but for cancelled
   * on-demand freight runs) */
  const ThServices *s = res->world->services;
  double freight_train_km = 0, pass_rail_km = 0;
  for (int l = 0; s && l < s->n_lines; l++) {
    const ThServiceLine *ln = &s->lines[l];
    double km = 0;
    for (int k = 0; k + 1 < ln->n_stops; k++) km += ln->seg_len_m[k] / 1000.0;
    double h = ln->n_stops > 0 ? ln->arr_off_s[ln->n_stops - 1] / 3600.0 : 0;
    int hi = -1, ki = -1;
    switch (ln->mode) {
    case TH_MODE_BUS: hi = TH_CMP_BUS_VEH_HOURS; ki = TH_CMP_BUS_VEH_KM; break;
    case TH_MODE_RAIL: hi = TH_CMP_RAIL_TRAIN_HOURS; ki = TH_CMP_RAIL_TRAIN_KM; break;
    case TH_MODE_HSR: hi = TH_CMP_HSR_TRAIN_HOURS; ki = TH_CMP_HSR_TRAIN_KM; break;
    case TH_MODE_INTERCITY: hi = TH_CMP_INTERCITY_TRAIN_HOURS; ki = TH_CMP_INTERCITY_TRAIN_KM; break;
    default: break;
    }
    if (hi < 0) continue;
    /* on-demand freight runs that were cancelled cost nothing (sim/transit.h) */
    int ran = ln->n_runs;
    if (res->multimodal) {
      const ThMultimodalResults *mm = res->multimodal;
      for (int r = ln->first_run; r < ln->first_run + ln->n_runs && r < mm->n_runs; r++)
        ran -= mm->runs[r].cancelled;
    }
    v[hi] += ran * h;
    v[ki] += ran * km;
    if (ln->mode == TH_MODE_RAIL) {
      if (ln->kind == TH_SERVICE_FREIGHT) freight_train_km += ran * km;
      else pass_rail_km += ran * km;
    }
  }
  v[TH_CMP_CO2_T] = (v[TH_CMP_CAR_VEH_KM] * TH_CO2_CAR_KG_PER_KM +
                     v[TH_CMP_TRUCK_VEH_KM] * TH_CO2_TRUCK_KG_PER_KM +
                     v[TH_CMP_BUS_VEH_KM] * TH_CO2_BUS_KG_PER_KM +
                     pass_rail_km * TH_CO2_RAIL_PASSENGER_KG_PER_TRAIN_KM +
                     freight_train_km * TH_CO2_RAIL_FREIGHT_KG_PER_TRAIN_KM +
                     v[TH_CMP_HSR_TRAIN_KM] * TH_CO2_HSR_KG_PER_TRAIN_KM +
                     v[TH_CMP_INTERCITY_TRAIN_KM] * TH_CO2_INTERCITY_KG_PER_TRAIN_KM) /
                    1000.0;
}

ThAppraisalCell *th_scenario_appraisal_cells(const ThScenario *sc, const ThScenarioResult *res,
                                             int *n) {
  const ThRunResults *r = res->run;
  const ThTrips *t = res->trips;
  const ThClassTable *ct = res->world->classes;
  double scale = res->params.sample_factor > 0 ? 1.0 / res->params.sample_factor : 1.0;
  const int np = (int)t->purpose_names->len + 1; /* slot 0: no purpose */
  g_autofree double *units = g_new0(double, (size_t)ct->n * np);
  g_autofree double *hours = g_new0(double, (size_t)ct->n * np);
  g_autofree guint8 *seen = g_new0(guint8, (size_t)ct->n * np);
  for (int i = 0; i < t->n; i++) {
    if (r->arrive_s[i] < 0) continue; /* as the report, from trips_out.csv: arrived trips */
    const ThClass *c = &ct->cls[t->cls[i]];
    double u = c->kind == TH_CLASS_FREIGHT ? t->tonnes[i] : 1;
    size_t k = (size_t)t->cls[i] * np + (size_t)(t->purpose[i] + 1);
    units[k] += u * scale;
    hours[k] += u * (r->arrive_s[i] - r->depart_s[i]) / 3600.0 * scale;
    seen[k] = 1;
  }
  ThAppraisalCell *cells = g_new0(ThAppraisalCell, (size_t)ct->n * np + 1);
  int m = 0;
  for (int c = 0; c < ct->n; c++)
    for (int p = 0; p < np; p++) {
      size_t k = (size_t)c * np + p;
      if (!seen[k]) continue;
      ThAppraisalCell *x = &cells[m++];
      x->cls = g_intern_string(ct->cls[c].name);
      x->purpose = g_intern_string(p ? t->purpose_names->pdata[p - 1] : "");
      x->freight = ct->cls[c].kind == TH_CLASS_FREIGHT;
      x->units = units[k];
      x->hours = hours[k];
      x->vot_per_h = th_appraisal_vot_value(sc->params, x->cls, x->purpose, x->freight,
                                            ct->cls[c].vot_per_h);
    }
  *n = m;
  return cells;
}

/* compare-write.c: the tables of `taihang compare` (see compare-write.h). */
#include "output/compare-write.h"
#include "network/csv.h"
#include "network/atomic.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static const char *ind_names[TH_CMP_N] = {
    "trips", "arrived", "stuck", "unserved", "en_route", "passenger_trips", "shipments",
    "car_vehicle_hours", "car_vehicle_km", "truck_vehicle_hours", "truck_vehicle_km",
    "bus_vehicle_hours", "bus_vehicle_km", "rail_train_hours", "rail_train_km", "hsr_train_hours",
    "hsr_train_km", "intercity_train_hours", "intercity_train_km", "passenger_hours",
    "passenger_km", "share_road", "share_bus", "share_rail", "share_hsr", "share_intercity",
    "share_walk", "share_ebike", "road_tonne_km", "rail_tonne_km", "rail_tonne_share", "hub_tonnes", "avg_gen_cost_passenger",
    "avg_gen_cost_freight_per_t", "co2_t"};

const char *th_compare_indicator_name(ThCompareIndicator i) { return ind_names[i]; }

/* A field for CSV: quoted when it holds a comma, quote or line break. */

static void put_num(FILE *out, double v, int decimals) {
  if (isnan(v)) return;
  /* -0.000 would differ from 0.000 between runs that should be identical */
  if (fabs(v) < 0.5 * pow(10, -decimals)) v = 0;
  fprintf(out, "%.*f", decimals, v);
}

/* Decimals of indicator I in summary.csv. */
static int decimals(int i) {
  gboolean share = (i >= TH_CMP_SHARE_ROAD && i <= TH_CMP_SHARE_EBIKE) || i == TH_CMP_RAIL_TONNE_SHARE;
  return share ? 4 : i <= TH_CMP_SHIPMENTS ? 0 : 1;
}

gboolean th_compare_write_summary_extra(const char *path, const ThCompareRow *rows,
                                        const ThCompareRowExtra *extra, int n, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fputs("scenario,name", out);
  for (int i = 0; i < TH_CMP_N; i++) fprintf(out, ",%s", ind_names[i]);
  fputs(",description", out);
  if (extra) {
    fputs(",demand,replications", out);
    for (int i = 0; i < TH_CMP_N; i++) fprintf(out, ",%s_se", ind_names[i]);
  }
  fputc('\n', out);
  for (int k = 0; k < n; k++) {
    th_csv_write_field(out, rows[k].key);
    fputc(',', out);
    th_csv_write_field(out, rows[k].name);
    for (int i = 0; i < TH_CMP_N; i++) {
      fputc(',', out);
      /* means over replications of whole counts keep one more decimal */
      put_num(out, rows[k].v[i], decimals(i) + (extra && extra[k].replications > 1 && i <= TH_CMP_SHIPMENTS));
    }
    fputc(',', out);
    th_csv_write_field(out, rows[k].description);
    if (extra) {
      fprintf(out, ",%s,%d", extra[k].demand, extra[k].replications);
      for (int i = 0; i < TH_CMP_N; i++) {
        fputc(',', out);
        put_num(out, extra[k].se[i], decimals(i) + 1);
      }
    }
    fputc('\n', out);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

gboolean th_compare_write_summary(const char *path, const ThCompareRow *rows, int n,
                                  GError **error) {
  return th_compare_write_summary_extra(path, rows, NULL, n, error);
}

gboolean th_compare_write_effects(const char *path, const char *const *keys,
                                  const ThPairedEffect *effects, int n, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fputs("scenario,indicator,base_mean,scenario_mean,effect,ci_low,ci_high,significant\n", out);
  for (int s = 0; s < n; s++)
    for (int i = 0; i < TH_CMP_N; i++) {
      const ThPairedEffect *e = &effects[(size_t)s * TH_CMP_N + i];
      int d = decimals(i) + 1;
      th_csv_write_field(out, keys[s]);
      fprintf(out, ",%s,", ind_names[i]);
      put_num(out, e->base_mean, d);
      fputc(',', out);
      put_num(out, e->scenario_mean, d);
      fputc(',', out);
      put_num(out, e->effect, d);
      fputc(',', out);
      put_num(out, e->ci_low, d);
      fputc(',', out);
      put_num(out, e->ci_high, d);
      fprintf(out, ",%s\n", e->significant ? "true" : "false");
    }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

gboolean th_compare_write_co2_factors(const char *path, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fprintf(out,
          "mode,unit,kg_co2_per_unit,source\n"
          "car,vehicle-km,%.2f,\"7.5 L gasoline per 100 km x 2.3 kg CO2/L (E)\"\n"
          "truck,vehicle-km,%.2f,\"35 L diesel per 100 km x 2.65 kg CO2/L, heavy truck (E)\"\n"
          "bus,vehicle-km,%.2f,\"30 L diesel per 100 km x 2.65 kg CO2/L, coach (E)\"\n"
          "rail passenger,train-km,%.1f,\"15 kWh per train-km x 0.58 kg CO2/kWh (2020 China grid, M)\"\n"
          "rail freight,train-km,%.1f,\"50 kWh per train-km of a 5,000 t train x 0.58 kg CO2/kWh (E)\"\n"
          "hsr,train-km,%.1f,\"20 kWh per train-km (8-car EMU at 250 km/h) x 0.58 kg CO2/kWh (E)\"\n"
          "intercity,train-km,%.1f,\"17 kWh per train-km x 0.58 kg CO2/kWh (E)\"\n",
          TH_CO2_CAR_KG_PER_KM, TH_CO2_TRUCK_KG_PER_KM, TH_CO2_BUS_KG_PER_KM,
          TH_CO2_RAIL_PASSENGER_KG_PER_TRAIN_KM, TH_CO2_RAIL_FREIGHT_KG_PER_TRAIN_KM,
          TH_CO2_HSR_KG_PER_TRAIN_KM, TH_CO2_INTERCITY_KG_PER_TRAIN_KM);
  return th_atomic_commit(g_steal_pointer(&f), error);
}

gboolean th_compare_write_od_delta(const char *path, const ThNetwork *net, const ThModeSkim *base,
                                   const char *const *keys, const ThModeSkim *const *skims, int n,
                                   GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fputs("scenario,origin,origin_name,destination,destination_name,mode,base_min,scenario_min,"
        "delta_min\n",
        out);
  const int nz = net->n_zones;
  for (int k = 0; k < n; k++)
    for (int o = 0; o < nz; o++)
      for (int d = 0; d < nz; d++) {
        if (o == d) continue;
        for (int m = 0; m < TH_SKIM_N_MODES; m++) {
          double b = th_mode_skim_at(base, m, o, d), s = th_mode_skim_at(skims[k], m, o, d);
          if (isnan(b) && isnan(s)) continue;
          th_csv_write_field(out, keys[k]);
          fprintf(out, ",%" PRId64 ",", net->zone_id[o]);
          th_csv_write_field(out, net->node_name[net->zone_node[o]]);
          fprintf(out, ",%" PRId64 ",", net->zone_id[d]);
          th_csv_write_field(out, net->node_name[net->zone_node[d]]);
          fprintf(out, ",%s,", th_skim_mode_name(m));
          put_num(out, b, 2);
          fputc(',', out);
          put_num(out, s, 2);
          fputc(',', out);
          put_num(out, isnan(b) || isnan(s) ? NAN : s - b, 2);
          fputc('\n', out);
        }
      }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

double th_compare_reachable_population(const ThNetwork *net, const ThModeSkim *s, int o,
                                       double limit_min) {
  double pop = 0;
  for (int d = 0; d < net->n_zones; d++) {
    double t = d == o ? 0 : th_mode_skim_at(s, TH_SKIM_BEST, o, d);
    if (!isnan(t) && t <= limit_min) pop += net->zone_population[d];
  }
  return pop;
}

gboolean th_compare_write_accessibility(const char *path, const ThNetwork *net,
                                        const ThModeSkim *base, const char *const *keys,
                                        const ThModeSkim *const *skims, int n, const int *targets,
                                        int n_targets, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fputs("scenario,zone,zone_name,population,pop_60_base,pop_60_scenario,pop_120_base,"
        "pop_120_scenario",
        out);
  for (int t = 0; t < n_targets; t++) {
    const char *nm = net->node_name[net->zone_node[targets[t]]];
    g_autofree char *a = g_strdup_printf("to_%s_base_min", nm);
    g_autofree char *b = g_strdup_printf("to_%s_scenario_min", nm);
    fputc(',', out);
    th_csv_write_field(out, a);
    fputc(',', out);
    th_csv_write_field(out, b);
  }
  fputc('\n', out);
  for (int k = 0; k < n; k++)
    for (int z = 0; z < net->n_zones; z++) {
      th_csv_write_field(out, keys[k]);
      fprintf(out, ",%" PRId64 ",", net->zone_id[z]);
      th_csv_write_field(out, net->node_name[net->zone_node[z]]);
      fprintf(out, ",%.0f,%.0f,%.0f,%.0f,%.0f", net->zone_population[z],
              th_compare_reachable_population(net, base, z, 60),
              th_compare_reachable_population(net, skims[k], z, 60),
              th_compare_reachable_population(net, base, z, 120),
              th_compare_reachable_population(net, skims[k], z, 120));
      for (int t = 0; t < n_targets; t++) {
        int d = targets[t];
        fputc(',', out);
        put_num(out, d == z ? 0 : th_mode_skim_at(base, TH_SKIM_BEST, z, d), 2);
        fputc(',', out);
        put_num(out, d == z ? 0 : th_mode_skim_at(skims[k], TH_SKIM_BEST, z, d), 2);
      }
      fputc('\n', out);
    }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

/* compare-write.h: the tables of `taihang compare DIR`:
 *
 *   summary.csv        one row per scenario (the base first): daily totals of
 *                      the indicators in ThCompareIndicator order (columns
 *                      named by th_compare_indicator_name), scaled to the full
 *                      demand when the run was a sample, then description;
 *                      compare adds demand (fixed: the base's trip list;
 *                      induced: re-synthesized on the scenario's network),
 *                      replications, and per indicator NAME_se, the standard
 *                      error of its mean over the replications (empty with
 *                      one replication). With replications the indicator
 *                      columns are means over the replications.
 *   effects.csv        scenario,indicator,base_mean,scenario_mean,effect,
 *                      ci_low,ci_high,significant: per scenario and indicator
 *                      the paired effect of sim/effects.h (scenario - base,
 *                      95 % paired t interval, empty with one replication;
 *                      significant is true when the interval excludes 0,
 *                      else false)
 *   od_delta.csv       scenario,origin,origin_name,destination,destination_name,
 *                      mode,base_min,scenario_min,delta_min for every zone pair
 *                      and mode road, bus, rail, hsr, intercity, best (empty
 *                      where a mode does not serve the pair)
 *   accessibility.csv  scenario,zone,zone_name,population,pop_60_base,
 *                      pop_60_scenario,pop_120_base,pop_120_scenario and, per
 *                      target zone T, to_T_base_min,to_T_scenario_min (best mode)
 *   co2_factors.csv    mode,unit,kg_co2_per_unit,source: the emission factors used
 * Numbers are printed with fixed decimals; files are written atomically. */
#pragma once
#include "network/network.h"
#include "sim/effects.h"
#include "sim/mode-skim.h"

G_BEGIN_DECLS

typedef enum {
  TH_CMP_TRIPS = 0, TH_CMP_ARRIVED, TH_CMP_STUCK, TH_CMP_UNSERVED, TH_CMP_EN_ROUTE,
  TH_CMP_PASSENGER_TRIPS, TH_CMP_SHIPMENTS,
  TH_CMP_CAR_VEH_HOURS, TH_CMP_CAR_VEH_KM, TH_CMP_TRUCK_VEH_HOURS, TH_CMP_TRUCK_VEH_KM,
  TH_CMP_BUS_VEH_HOURS, TH_CMP_BUS_VEH_KM, TH_CMP_RAIL_TRAIN_HOURS, TH_CMP_RAIL_TRAIN_KM,
  TH_CMP_HSR_TRAIN_HOURS, TH_CMP_HSR_TRAIN_KM, TH_CMP_INTERCITY_TRAIN_HOURS,
  TH_CMP_INTERCITY_TRAIN_KM,
  TH_CMP_PASSENGER_HOURS, TH_CMP_PASSENGER_KM,
  TH_CMP_SHARE_ROAD, TH_CMP_SHARE_BUS, TH_CMP_SHARE_RAIL, TH_CMP_SHARE_HSR,
  TH_CMP_SHARE_INTERCITY, TH_CMP_SHARE_WALK, TH_CMP_SHARE_EBIKE,
  TH_CMP_ROAD_TONNE_KM, TH_CMP_RAIL_TONNE_KM, TH_CMP_RAIL_TONNE_SHARE, TH_CMP_HUB_TONNES,
  TH_CMP_GEN_COST_PASSENGER, TH_CMP_GEN_COST_FREIGHT_PER_T, TH_CMP_CO2_T,
  TH_CMP_N
} ThCompareIndicator;

/* Column name of an indicator in summary.csv, e.g. "car_vehicle_hours". */
const char *th_compare_indicator_name(ThCompareIndicator i);

/* Emission factors, kg CO2 per vehicle-km (road) or per train-km (rail),
 * used for TH_CMP_CO2_T. */
#define TH_CO2_CAR_KG_PER_KM 0.17
#define TH_CO2_TRUCK_KG_PER_KM 0.93
#define TH_CO2_BUS_KG_PER_KM 0.80
#define TH_CO2_RAIL_PASSENGER_KG_PER_TRAIN_KM 9.0
#define TH_CO2_RAIL_FREIGHT_KG_PER_TRAIN_KM 29.0
#define TH_CO2_HSR_KG_PER_TRAIN_KM 12.0
#define TH_CO2_INTERCITY_KG_PER_TRAIN_KM 10.0

typedef struct {
  const char *key;         /* results folder name under DIR */
  const char *name;        /* scenario name */
  const char *description;
  double v[TH_CMP_N];
} ThCompareRow;

gboolean th_compare_write_summary(const char *path, const ThCompareRow *rows, int n, GError **error);

/* What compare adds to a summary row: how the demand was made, how many
 * replications the row's values are means of, and their standard errors. */
typedef struct {
  const char *demand;   /* "fixed" or "induced" */
  int replications;
  double se[TH_CMP_N];  /* NaN: not defined (one replication) */
} ThCompareRowExtra;
/* summary.csv with the columns demand, replications and NAME_se after
 * description; EXTRA[k] belongs to ROWS[k]. */
gboolean th_compare_write_summary_extra(const char *path, const ThCompareRow *rows,
                                        const ThCompareRowExtra *extra, int n, GError **error);

/* effects.csv: EFFECTS[s * TH_CMP_N + i] is scenario KEYS[s]'s paired effect
 * on indicator i (s < N). */
gboolean th_compare_write_effects(const char *path, const char *const *keys,
                                  const ThPairedEffect *effects, int n, GError **error);
gboolean th_compare_write_co2_factors(const char *path, GError **error);

/* NET gives the zone ids and names (the zones of every skim must be NET's).
 * KEYS[k] and SKIMS[k] (k < N) are the scenarios compared with BASE. */
gboolean th_compare_write_od_delta(const char *path, const ThNetwork *net, const ThModeSkim *base,
                                   const char *const *keys, const ThModeSkim *const *skims, int n,
                                   GError **error);
/* TARGETS: zone indices (N_TARGETS) whose best-mode time is reported. */
gboolean th_compare_write_accessibility(const char *path, const ThNetwork *net,
                                        const ThModeSkim *base, const char *const *keys,
                                        const ThModeSkim *const *skims, int n, const int *targets,
                                        int n_targets, GError **error);

/* Population reachable from zone O within LIMIT_MIN by the best mode (O's own
 * population included). O(zones). */
double th_compare_reachable_population(const ThNetwork *net, const ThModeSkim *s, int o,
                                       double limit_min);

G_END_DECLS

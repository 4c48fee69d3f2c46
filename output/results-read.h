/* results-read.h: read back a results folder written by `taihang run`, for
 * maps and exports.
 *
 * A results folder is self-contained (see README, "Results folder"): run.ini,
 * network/ (GMNS), link_flows.csv, od_times.csv, ... Reading checks that the
 * pieces belong together: network/ must have the fingerprint run.ini names,
 * and every link_flows.csv row must name a link of that network with the same
 * end nodes. A folder that fails these checks is "from another network" and
 * is rejected with TH_ERROR_INVALID (exit 2), never drawn.
 *
 * Flows are summed per link into display groups (ThFlowGroup): what a map
 * colours separately. A row belongs to the freight side when its class is
 * a built-in freight class (truck, coal, ceramics, agri, general) or it
 * carries tonnes > 0. */
#pragma once
#include "network/network.h"

#include <stdint.h>

G_BEGIN_DECLS

typedef enum {
  TH_FLOW_CAR = 0,      /* road, passenger classes */
  TH_FLOW_TRUCK,        /* road, freight classes */
  TH_FLOW_BUS,          /* scheduled buses */
  TH_FLOW_RAIL_PAX,     /* conventional rail, passenger trains */
  TH_FLOW_RAIL_FREIGHT, /* conventional rail, freight trains */
  TH_FLOW_INTERCITY,    /* intercity rail */
  TH_FLOW_HSR,          /* high-speed rail */
  TH_FLOW_OTHER,        /* walk, connectors: never drawn as bands */
  TH_N_FLOW_GROUPS
} ThFlowGroup;

/* Short English name of a group ("car", "truck", ...). */
const char *th_flow_group_name(ThFlowGroup g);

/* Daily totals of one link and group, as in link_flows.csv. */
typedef struct {
  double vehicles, pcu, passengers, tonnes;
} ThFlow;

typedef struct ThResults {
  char *dir;
  /* [run] of run.ini ("" or 0 when absent) */
  char *version, *scenario, *fingerprint;
  int64_t seed;
  int iterations;
  double relative_gap, sample_factor, horizon_s, bin_s;
  ThNetwork *net; /* network/ of the folder */
  ThFlow *flow;   /* n_links * TH_N_FLOW_GROUPS, flow[e * TH_N_FLOW_GROUPS + g] */
  /* Peak hourly load of each link in car units per hour: the busiest
   * link_flows_bins.csv bin, rescaled to one hour and from vehicles to pcu by
   * the link's daily pcu/vehicle ratio. NAN for every link when the folder
   * has no bins file. */
  double *peak_pcu_ph;
} ThResults;

/* Reads results folder DIR. Errors: TH_ERROR_INVALID when DIR is missing,
 * is not a results folder (no run.ini), or belongs to another network
 * (fingerprint mismatch, unknown links); TH_ERROR_PARSE for malformed files
 * (FILE:LINE messages, every problem listed). O(nodes + links + rows). */
ThResults *th_results_read(const char *dir, GError **error);
void th_results_free(ThResults *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThResults, th_results_free)

/* The flow of link E in group G (borrowed). */
static inline const ThFlow *th_results_flow(const ThResults *r, int e, ThFlowGroup g) {
  return &r->flow[(size_t)e * TH_N_FLOW_GROUPS + g];
}

/* Factor from the flows held here (the simulated sample: the *_sample
 * columns of link_flows.csv, or the plain columns of a folder written before
 * they existed) to flows of the whole demand: 1 / sample_factor of run.ini
 * (1 when it is absent, 0 or 1). Maps, v/c, GeoJSON and the GeoPackage
 * expand them by it. */
static inline double th_results_expansion(const ThResults *r) {
  return r->sample_factor > 0 && r->sample_factor < 1 ? 1.0 / r->sample_factor : 1.0;
}

/* Volume/capacity ratio of road link E, flows expanded to the whole demand: peak hourly pcu /
 * capacity_vph when bins exist, else 10% of the daily pcu (the usual peak-hour factor K = 0.1) /
 * capacity_vph. NAN when the link has no road capacity. */
double th_results_vc(const ThResults *r, int e);

/* Checks that scenario S can be compared with base B link by link: links
 * with the same id must join the same nodes (a scenario may add or remove
 * links). TH_ERROR_INVALID naming the first differences otherwise, and when
 * the two share no link at all. O(links). */
gboolean th_results_comparable(const ThResults *b, const ThResults *s, GError **error);

/* Travel-time tables of a results folder as dense zone-by-zone matrices in
 * the network's zone order, one per (mode, period):
 *  - mode skim_MODE: the complete skims of skims.csv (output/period-skims.h),
 *    with wait_min and transfers; cells empty only where MODE cannot connect
 *    the pair (folders written before skims.csv existed have none);
 *  - mode observed_MODE: the means of the simulated trips of od_times.csv.
 *    Cells without a row are NAN. When several classes share a (origin,
 *    destination, mode, period) the cell holds their trip-weighted mean
 *    (plain mean when all have 0 trips), so a car-and-truck road table stays
 *    one table. wait_min and transfers are NULL.
 * Cells are rounded to six decimals. */
typedef struct {
  char *mode, *period;
  double *time_min, *distance_km, *cost; /* n*n row-major, rows = origins */
  double *wait_min, *transfers;          /* the same, or NULL (not a quantity of MODE) */
} ThOdMatrix;
/* The quantities of a ThOdMatrix in th_od_quantity order (NULL: absent). */
#define TH_OD_N_QUANTITIES 5
#define TH_OD_MATRIX_QUANTITIES(m) \
  {(m)->time_min, (m)->distance_km, (m)->cost, (m)->wait_min, (m)->transfers}

/* All the travel-time matrices of a results folder (not ThOdTable, a sparse
 * table of trips between zones, network/tntp.h). */
typedef struct {
  int n_zones;
  int64_t *zone_id; /* the network's zone ids in zone order (a copy, owned) */
  GPtrArray *mats;  /* ThOdMatrix*, sorted by mode then period ("day" first) */
} ThOdTimeMatrices;

/* Reads DIR/skims.csv (when present) and DIR/od_times.csv of R.
 * TH_ERROR_INVALID when od_times.csv is missing or a file names zones the
 * network does not have; TH_ERROR_PARSE for bad numbers.
 * O(rows + tables * zones^2). */
ThOdTimeMatrices *th_od_time_matrices_read(const ThResults *r, GError **error);
void th_od_time_matrices_free(ThOdTimeMatrices *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThOdTimeMatrices, th_od_time_matrices_free)

G_END_DECLS

/* skim.h: travel-time tables (skims) between zones from free-flow shortest
 * paths.
 *
 * For each origin zone, one Dijkstra search over the links of a mode finds
 * the paths that minimize the chosen metric (free-flow time, distance or
 * money cost) to every zone; the time, distance and cost of those paths are
 * then summed along the shortest-path tree. Origins run in parallel
 * (th_sp_for_sources: one workspace per worker) and rows are handed back in
 * origin order, so results never depend on the thread count. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

typedef enum {
  TH_SKIM_TIME = 0, /* free-flow time */
  TH_SKIM_DISTANCE, /* length */
  TH_SKIM_COST,     /* toll + cost_per_km x length */
} ThSkimMetric;

/* Operating cost of a car, yuan per vehicle-km (fuel and wear, about 8 L per
 * 100 km at 7.5 yuan/L plus 0.2 yuan/km of wear), used by the cost metric
 * unless the caller says otherwise. */
#define TH_SKIM_DEFAULT_COST_PER_KM 0.8

typedef struct {
  uint32_t mode;        /* TH_MODE_* bit(s); connector links are always usable */
  ThSkimMetric metric;  /* what the paths minimize */
  double cost_per_km;   /* yuan per km, added to tolls for the cost figures */
  int n_threads;        /* <= 1: the calling thread only */
} ThSkimParams;

/* Defaults: road, time, TH_SKIM_DEFAULT_COST_PER_KM, 1 thread. */
void th_skim_params_init(ThSkimParams *p);
/* "time", "distance", "cost"; FALSE if NAME is none of them. */
gboolean th_skim_metric_from_name(const char *name, ThSkimMetric *out);

/* One origin's results, n_zones long each, indexed by zone index (zone-id
 * order): minutes, kilometres and yuan of the chosen path; NAN where the
 * destination cannot be reached. The origin itself has 0. */
typedef struct {
  int origin;                 /* zone index */
  const double *time_min;
  const double *distance_km;
  const double *cost;
} ThSkimRow;

/* Receives the rows in origin order, in the calling thread. Returning FALSE
 * (with ERROR set) stops the skim. */
typedef gboolean (*ThSkimRowFunc)(const ThNetwork *net, const ThSkimRow *row, gpointer user_data,
                                  GError **error);

/* Skims from the N_ORIGINS zone indices in ORIGINS (NULL: every zone, in
 * zone order) to every zone of NET, calling FUNC once per origin in the given
 * order. Memory: O(n x threads) for the searches plus O(block x n_zones) for
 * rows waiting their turn. Errors: whatever FUNC returns. Complexity:
 * O(N_ORIGINS (n + m) log n) / threads; each search stops once every zone is
 * settled. */
gboolean th_skim_run(const ThNetwork *net, const ThSkimParams *p, const int *origins,
                     int n_origins, ThSkimRowFunc func, gpointer user_data, GError **error);

/* A whole table in memory: row i is origin ORIGINS[i], column j zone j;
 * arrays of n_origins x n_zones. */
typedef struct {
  int n_origins, n_zones;
  int *origins;        /* zone indices */
  double *time_min, *distance_km, *cost; /* NAN: unreachable */
} ThSkimTable;

/* As th_skim_run, collecting the rows into a table. */
ThSkimTable *th_skim_table_new(const ThNetwork *net, const ThSkimParams *p, const int *origins,
                               int n_origins);
void th_skim_table_free(ThSkimTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThSkimTable, th_skim_table_free)

G_END_DECLS

/* demand.h: synthetic passenger and freight demand for a zone system.
 *
 * Passengers (per purpose):
 *  1. trip ends: every zone produces and attracts the same daily total
 *       study-area zone:  trip_rate x population x growth(zone)
 *       external zone:    external_rate x population x exp(-external_decay x
 *                          c(zone, nearest study-area zone)) x growth(zone)
 *     (a big city far away exchanges few trips with a county);
 *  2. distribution: a doubly constrained gravity model
 *       T_ij = A_i O_i B_j D_j f(c_ij),  f(c) = c^-alpha exp(-beta c)
 *     with c_ij the road generalized cost in minutes (time + money / value of
 *     time) on the free-flow network, balanced by iterative proportional
 *     fitting (Furness): A and B are updated in turn until every row and
 *     column total is within ipf_tolerance (relative) of its target;
 *  2a. long-distance trips (sim/demand-longdist.h): when any longdist_rate
 *     is set, study-area <-> external pairs at least 50 km apart are left
 *     out of the gravity (f = 0) and get trips by distance band instead; an
 *     external zone's trip ends then decay with the cost to the nearest
 *     study-area zone the gravity still pairs it with (none: no trip ends);
 *  2b. through traffic: pairs of external zones whose road path crosses the
 *     study area exchange through x (pop_i/1e6) x (pop_j/1e6) x
 *     exp(-through_beta x c_ij) trips a day (plain gravity, unconstrained);
 *  3. draws: each OD cell's expected trips x sample become an integer by a
 *     draw (floor + Bernoulli of the fraction) from a GSL stream seeded by
 *     (seed, purpose, origin, destination), and each trip's departure second
 *     is drawn from the purpose's hourly profile, so a cell's trips never
 *     depend on any other cell.
 * Freight (tonnes per day, per commodity): coal from origin zones (weights)
 * to destination zones (shares); ceramics, agri and general from study-area
 * zones (weights, default population or GDP) to the other zones by a gravity
 * of GDP x exp(-freight_beta x c). Each shipment is one vehicle load of its
 * class (tonnes_per_vehicle), drawn with the sample share like passengers;
 * modes (truck, or truck-hub-train-hub-truck) are left to the model.
 *
 * Cut-off zones: a zone flagged in net->zone_cut_off (outside the main road
 * component; network/load.h, lenient loading) has no trip ends at all: no
 * passenger trips from or to it, no through traffic, no freight origin or
 * destination weight (each commodity's tonnes go to the other zones).
 *
 * Everything is deterministic in (inputs, seed). */
#pragma once
#include "network/network.h"
#include "sim/classes.h"
#include "sim/trips.h"

G_BEGIN_DECLS

#define TH_DEMAND_MAX_PURPOSES 4
/* Distance bands of the long-distance trips (sim/demand-longdist.h):
 * 50-150, 150-300 and 300-600 km between zone centroids (great circle). */
#define TH_LONGDIST_BANDS 3

typedef struct {
  const char *name;     /* "work", "other" */
  double share;         /* of each zone's trip ends */
  double alpha, beta;   /* deterrence f(c) = c^-alpha exp(-beta c), c in minutes */
  double profile[24];   /* relative departures per hour of day */
} ThPurpose;

typedef enum { TH_COMMODITY_COAL = 0, TH_COMMODITY_CERAMICS, TH_COMMODITY_AGRI,
               TH_COMMODITY_GENERAL, TH_N_COMMODITIES } ThCommodity;
/* "coal", "ceramics", "agri", "general": also the class names. */
const char *th_commodity_name(ThCommodity c);

typedef struct {
  uint64_t seed;
  double sample;            /* share of trips drawn, 0 < sample <= 1 */
  const guint8 *internal;   /* n_zones: 1 = study-area zone; NULL: every zone */
  const double *zone_growth;/* n_zones: demand factor per zone (growth), NULL: 1 */
  /* passengers */
  gboolean passengers;
  double trip_rate;         /* person trips per resident per day between zones */
  double external_rate;     /* trip ends per resident of an external zone, before decay */
  double external_decay;    /* per generalized minute */
  double through;           /* through trips per day between two zones of a million people at c = 0 */
  double through_beta;      /* per generalized minute */
  int n_purposes;
  ThPurpose purposes[TH_DEMAND_MAX_PURPOSES];
  double vot_per_h;         /* yuan per hour, for generalized cost */
  double cost_per_km;       /* car operating cost, yuan per km */
  int ipf_iterations;       /* at most */
  double ipf_tolerance;     /* largest relative error of a row or column total */
  /* freight */
  gboolean freight;
  double tonnes_per_day[TH_N_COMMODITIES];
  const double *origin_weight[TH_N_COMMODITIES];      /* n_zones or NULL (default) */
  const double *destination_weight[TH_N_COMMODITIES]; /* n_zones or NULL (gravity) */
  double freight_beta;      /* per generalized minute */
  /* > 0 and below a general-cargo truckload: general cargo comes in part
   * loads of this many tonnes (less-than-truckload: the shipments that a
   * logistics park consolidates, freight.h); 0: one truckload each */
  double general_shipment_t;
  /* long-distance trips by distance band (sim/demand-longdist.h); all rates
   * 0: none, and the gravity keeps every pair */
  double longdist_rate[TH_LONGDIST_BANDS];  /* one-way trips out per 1,000 residents per day */
  double longdist_pop_m[TH_LONGDIST_BANDS]; /* millions of people the band's trips are shared by
                                               (at least the network's zones in the band) */
} ThDemandParams;

/* Defaults: 2 purposes (work 40 %: beta 0.06, peaks 7-8 and 17-18; other
 * 60 %: alpha 0.3, beta 0.025, daytime), trip_rate 0.35, external_rate 0.05,
 * external_decay 0.04, through 2000, through_beta 0.01, vot 30 yuan/h, 0.6 yuan/km, sample 1, 200
 * IPF iterations to 1e-9, freight on with zero tonnes, freight_beta 0.005. */
void th_demand_params_init(ThDemandParams *p);

/* What the synthesis did, for reports and tests. */
typedef struct {
  int n_zones;
  double *production;  /* n_zones x n_purposes targets (row totals), trips per day */
  double *matrix;      /* n_purposes x n_zones x n_zones expected trips per day (before sampling) */
  int ipf_iterations;  /* used by the last purpose */
  double ipf_error;    /* largest relative row/column error left, over purposes */
  double passenger_trips_per_day; /* expected, before sampling */
  double through_trips_per_day;
  double longdist_trips_per_day; /* expected, both directions (sim/demand-longdist.h) */
  double tonnes_per_day[TH_N_COMMODITIES];
  double *cost_min;    /* n_zones x n_zones generalized cost used (minutes; INFINITY: no path) */
} ThDemandStats;
void th_demand_stats_free(ThDemandStats *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThDemandStats, th_demand_stats_free)

/* Synthesizes the demand on NET (finalized; needs zones and road links)
 * with CLASSES (for freight loads: the commodity names must be classes).
 * Returns the trips (ids 1..n: passengers by purpose, origin, destination,
 * then freight by commodity) and, if STATS is non-NULL, the statistics.
 * TH_ERROR_INVALID for bad parameters (every one reported). Cost: one
 * Dijkstra per zone plus O(iterations x purposes x zones^2) for IPF plus
 * O(trips). */
ThTrips *th_demand_synthesize(const ThNetwork *net, const ThClassTable *classes,
                              const ThDemandParams *p, ThDemandStats **stats, GError **error);

/* Furness balancing on its own, for tests: finds A, B so that
 * sum_j A_i O_i B_j D_j F_ij = O_i and sum_i ... = D_j, then writes T (n x n).
 * Rows or columns with a zero target or no allowed cell stay zero. Returns
 * the iterations used; *ERR_OUT the largest relative error left. O(iter n^2). */
int th_ipf_balance(int n, const double *O, const double *D, const double *F, int max_iter,
                   double tol, double *T, double *err_out);

G_END_DECLS

/* simulate.h: the one-call API: network + trips + classes + parameters ->
 * results, iterating simulated days to a user equilibrium.
 *
 * Day 1 drives routes found on free-flow times (or on the times of a
 * warm start, e.g. a static assignment). After each day the experienced link
 * times, binned by entry time (bin_s), feed a time-dependent route search
 * grouped by origin and departure bin (sim/router.h), run on a GThreadPool.
 * Each traveller's best response is compared with their current route on the
 * same binned times, both leaving at the group's departure time (its median
 * traveller's); the relative gap is sum(current - best) / sum(current). A share
 * of those with a better route switch: 1/(k+1) after day k (the method of
 * successive averages, MSA) or a fixed share; who switches is drawn from the
 * traveller's own random stream, seeded from (seed, trip id, day), so results
 * are byte-identical for any thread count.
 *
 * Replanning rules (replanning):
 *  - TH_REPLAN_MSA: as above: of those whose best is better by half a second,
 *    a share 1/(k+1) (or switch_share) switches after day k.
 *  - TH_REPLAN_GAP (default): only travellers whose current route costs more
 *    than their best response by a margin (TH_REPLAN_MARGIN of the current
 *    cost, and at least 30 s) may switch, each with probability
 *    share x min(1, saving / current), share = switch_share or
 *    TH_REPLAN_SHARE: those with much to gain switch first, small gains are
 *    not chased, and the number who switch falls with the gap itself (a
 *    damped, gain-proportional swap in the spirit of Smith's (1984) route
 *    swapping dynamics; MATSim's 10% reroute share is its fixed
 *    counterpart). MSA's 1/2 on day 1 sent half of every improving
 *    traveller to the same "best" routes and swung the 50x50 grid at
 *    capacity 600 into gridlock (gap 0.39 -> 0.92, 42k stuck on day 2).
 *    The relative gap is measured the same way in both.
 *
 * The loop stops when the gap is at
 * most the target or after `iterations` days; the results are the last day's.
 *
 * Conservation: every trip ends arrived, stuck, unserved (no path) or
 * en_route (still travelling at the horizon); the four counts add up to the
 * number of trips on every day (checked, and reported in the results). */
#pragma once
#include "network/network.h"
#include "sim/classes.h"
#include "sim/engine.h"
#include "sim/results.h"
#include "sim/trips.h"
#include "sim/truck-ban.h"

G_BEGIN_DECLS

/* Where a run is, for a progress line. */
typedef struct {
  int iteration;       /* 1-based day */
  int max_iterations;
  const char *phase;   /* "route" or "simulate" */
  int32_t clock;       /* simulated clock, s (simulate phase) */
  uint64_t events;     /* events of this day so far */
  uint64_t traversals; /* link traversals of this day so far */
  double relative_gap; /* of the previous day, NAN before the first */
} ThSimProgress;
typedef void (*ThSimProgressFunc)(const ThSimProgress *p, gpointer user);

/* Extension points for modules that add agents and events to each day
 * (transit runs, hubs). Called with the engine after the road vehicles of
 * the day have been added (day_begin) and after the day ran (day_end). */
typedef struct {
  void (*day_begin)(ThEngine *e, int iteration, gpointer user);
  void (*day_end)(ThEngine *e, int iteration, gpointer user);
  gpointer user;
  /* class-table index of the vehicles the hooks add (buses: "bus"): they get
   * their own statistics class, so link_flows.csv has a row for them and the
   * trips' classes stay theirs */
  int vehicle_class;
} ThSimHooks;

typedef struct {
  /* The user settings; their defaults, ranges and help are the rows of
   * th_param_table (sim/params.h), the one place they are written. */
  uint64_t seed;           /* seed of the travellers' random streams */
  int iterations;          /* most days to simulate (>= 1) */
  double gap;              /* relative gap target (>= 0) */
  int threads;             /* route-search threads; <= 0: all cores */
  int32_t horizon_s;       /* end of the day */
  double sample_factor;    /* demand sample share scaling capacities (0 < f <= 1000) */
  int32_t stuck_time_s;    /* hold before a vehicle is moved on (SUMO's time-to-teleport) */
  int32_t bin_s;           /* time bin for link times and statistics */
  double switch_share;     /* share that switches per day; <= 0: MSA 1/(k+1) */
  gboolean record_events;  /* keep the last day's event log */
  const double *warm_start_time_s; /* link travel times (n_links) for day 1's routes, or NULL */
  ThSimProgressFunc progress;
  gpointer progress_user;
  const ThSimHooks *hooks; /* NULL: road only */
  /* heavy-truck bans (sim/truck-ban.h; borrowed, NULL: none): the route
   * search of trips of a banned class obeys them at the group's departure
   * time, also on day 1 (their groups are per departure bin then) */
  const ThTruckBan *truck_ban;
  ThSimRules rules; /* the engine's congestion rules and how travellers replan (sim/results.h) */
} ThSimParams;

typedef enum {
  TH_REPLAN_MSA = 0, /* switch share 1/(k+1) of those better by 0.5 s */
  TH_REPLAN_GAP = 1, /* margin, cost-proportional, falling share (above) */
} ThReplanning;
/* The default backward wave speed: 0, freed space usable at once (waves
 * off). Waves are a switch, not the default: at 18 km/h (5 m/s, inside the
 * 15-20 km/h that jam waves are measured at; Daganzo 1997, Newell 1993) a
 * link discharging below its jam-wave capacity holds holes in flight, so
 * on the congested 50x50 grid spillback closed loops on the first day on
 * free-flow routes and mean trips came out 279 % above SUMO meso at
 * 900 veh/h (README, "Benchmark"), against 18 % without waves. Until the
 * storage rule is calibrated against such cases, `backward_wave_kmh = 18`
 * is for studies that want the kinematic-wave tail behaviour. */
#define TH_SIM_BACKWARD_WAVE_KMH 0.0
#define TH_REPLAN_MARGIN 0.02 /* relative saving below which nobody switches */
#define TH_REPLAN_SHARE 0.10  /* switch probability per unit of relative saving */

/* Sets the defaults of th_param_table (sim/params.h). */
void th_sim_params_init(ThSimParams *p);
/* Checks P; every bad value is reported (TH_ERROR_INVALID, one per line). */
gboolean th_sim_params_check(const ThSimParams *p, GError **error);

/* Simulates TRIPS on NET until the gap target or the iteration limit.
 * Returns NULL with TH_ERROR_INVALID for bad parameters, TH_ERROR_FAILED if
 * conservation is violated (a bug). Cost per day: O(traversals) for the
 * engine plus one time-dependent search per (origin, departure bin) group. */
ThRunResults *th_simulate(const ThNetwork *net, const ThTrips *trips, const ThClassTable *classes,
                       const ThSimParams *p, GError **error);

/* The random stream seed of a traveller: a hash of (SEED, ID, DAY). */
unsigned long th_agent_seed(uint64_t seed, int64_t id, int day);

G_END_DECLS

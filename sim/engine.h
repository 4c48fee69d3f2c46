/* engine.h: the mesoscopic queue engine: one simulated day of vehicles
 * moving through road link queues, driven by a discrete-event queue.
 *
 * The model is the queue model of MATSim's QSim (Gawron 1998; Cetin, Burri &
 * Nagel 2003) and SUMO's mesoscopic model (Eissfeldt 2004), event-driven:
 *  - a road link is a FIFO queue; a vehicle entering at t may leave no
 *    earlier than t + free-flow time (length / free speed, exact to
 *    1/TH_ENGINE_TQ s);
 *  - flow capacity: departures from a link are spaced by the exit headway
 *    3600 / (capacity_vph x sample factor) seconds per car unit (pcu); the
 *    exact (fractional) next-free time is kept, and a vehicle leaves in the
 *    second that holds it (so several per second on big links);
 *  - storage capacity: lanes x length / 7.5 m x sample factor car units (at
 *    least what flows in one free-flow time at capacity, as in MATSim); a
 *    vehicle may enter a link only if its car units fit, or the link is empty;
 *  - spillback: a head vehicle whose next link is full holds its queue; the
 *    link waits on the full link and is woken when it frees space;
 *  - stuck time: a head vehicle held longer than stuck_time_s is moved on
 *    anyway (counted, and its trip marked stuck), so no run gridlocks forever;
 *  - a departing vehicle enters its first link at once (it drives all of it),
 *    arrival is on leaving the last link of its route (after its headway).
 * Unlimited capacity (capacity <= 0 or infinite) means no headway and no
 * storage limit (connectors).
 *
 * Three congestion rules, each off when its parameter is 0/FALSE (then the
 * engine is the model above, event for event):
 *  - inflow capacity (inflow_capacity): a link also admits vehicles from
 *    upstream links no faster than its capacity: entries are spaced by the
 *    same headway 3600 / (capacity_vph x sample factor) s per car unit, as
 *    SUMO meso's segment entry block time and MATSim's inflow capacity of
 *    the kinematic-wave QSim (kept second by second: a vehicle allowed in
 *    within a second enters at its own exact time, since a second's events
 *    do not run in order of exact times; one that waited for the entry enters
 *    when it frees). A head vehicle that cannot enter yet holds its
 *    queue (a single-lane approach blocks behind a vehicle bound for a busy
 *    exit). Merge rule (deterministic, fair): approaches whose head vehicle
 *    is ready but finds the entry taken queue for it first come, first
 *    served; an approach that just entered goes behind those already
 *    queued, so approaches held at one merge alternate vehicle by vehicle
 *    (a zipper: equal shares of the entry capacity while all are held, the
 *    whole of it for one that is alone). Departures do not use the entry
 *    capacity (they join from the kerb, into storage only).
 *  - backward waves (backward_wave_mps, "holes"): space freed at the
 *    downstream end of a link (a vehicle leaving it at x) reaches its
 *    upstream end only at x + length / wave speed; until then it is a hole
 *    in flight and still counts against storage. This is Newell's simplified
 *    kinematic-wave model (Newell 1993, "A simplified theory of kinematic
 *    waves in highway traffic") with a triangular fundamental diagram, as
 *    MATSim's QSim implements it with holes (Agarwal, Zilske, Rao & Nagel
 *    2015, "An elegant and computationally efficient approach for
 *    heterogeneous traffic modelling using agent based simulation", Procedia
 *    CS 52; trafficDynamics = kinematicWaves). In a steady jam a link then
 *    holds storage - (length / wave speed) / discharge headway vehicles, and
 *    a discharge wave reaches the tail of a full link length / wave speed
 *    after its head starts moving. So that a link can still carry its
 *    capacity, its storage is at least capacity x (free-flow time + length /
 *    wave speed), the triangular diagram's own jam storage (MATSim does the
 *    same). A link that is empty admits any vehicle.
 *  - departure queues (departure_queue): a departing vehicle enters its first
 *    link only when its car units fit there (storage, holes included);
 *    until then it waits off the network in the link's departure queue
 *    (FIFO). The queue waits on the link like a held upstream link does
 *    (freed space wakes the waiters in the order they started waiting). It
 *    holds nothing on the network, so the stuck time does not apply: it
 *    waits until there is room (SUMO's insertion delay) or the day ends. Its
 *    departure time stays the scheduled one, so the wait is part of its
 *    travel time; th_engine_vehicle_depart_delay reports it.
 *
 * Events happen in whole seconds, ordered by (time, insertion sequence) in
 * a timing wheel (eventq.h), so a day is a pure function of its inputs.
 * Inside links, times are exact to 1/TH_ENGINE_TQ s: a vehicle leaves in
 * the second that holds its exact exit time and enters the next link at
 * that time, queued in order of exact entry among that second's vehicles.
 * Departures, arrivals and the log are in whole seconds. The engine core is
 * sequential.
 *
 * Beyond road vehicles (for transit, hubs, mode choice): the engine also
 * dispatches events of user types to handlers (th_engine_add_handler), a
 * road vehicle belongs to an OWNER (an agent's road leg, a bus run: the
 * caller's number) and reports its arrival to the arrive handler, which may
 * start the vehicle again on another route (a bus on its next segment) or
 * schedule the agent's next leg (walk to a station, wait for a train).
 *
 * Lifecycle per day: th_engine_reset -> th_engine_route_add /
 * th_engine_vehicle_add / th_engine_depart / th_engine_schedule ->
 * th_engine_run -> read vehicle results and link statistics. */
#pragma once
#include "network/network.h"
#include "sim/eventq.h"

#include <stdint.h>

G_BEGIN_DECLS

typedef struct ThEngine ThEngine;

/* Built-in event types. User types start at TH_EV_USER. */
enum {
  TH_EV_LINK = 0,   /* a = link: its head vehicle may be able to move */
  TH_EV_DEPART = 1, /* a = vehicle: enters the first link of its route (b = 0); with
                     * b = 1, a = link: its departure queue may admit */
  TH_EV_USER = 2,
};

/* Vehicle states. */
typedef enum {
  TH_VEH_IDLE = 0,     /* added, not (yet) departed */
  TH_VEH_EN_ROUTE = 1, /* in a link queue */
  TH_VEH_ARRIVED = 2,  /* reached the end of its route */
} ThVehicleState;

/* Kinds of rows in the event log. */
typedef enum {
  TH_LOG_DEPART = 0, TH_LOG_ENTER, TH_LOG_LEAVE, TH_LOG_ARRIVE, TH_LOG_STUCK,
} ThLogKind;
typedef struct {
  int32_t time;
  uint32_t kind;    /* ThLogKind */
  uint32_t vehicle;
  int32_t link;     /* link index, -1 when none */
} ThLogRow;

/* A handler for one user event type. */
typedef void (*ThEventFunc)(ThEngine *e, const ThEvent *ev, gpointer user);
/* Called when VEHICLE reaches the end of its route at TIME. */
typedef void (*ThArriveFunc)(ThEngine *e, uint32_t vehicle, int32_t time, gpointer user);
/* Called every few hundred thousand events: simulated clock and counters. */
typedef void (*ThEngineProgressFunc)(int32_t clock, uint64_t events, uint64_t traversals,
                                     gpointer user);

typedef struct {
  int32_t horizon_s;      /* events after this time are not run (> 0) */
  double sample_factor;   /* scales flow and storage capacities (0 < f) */
  int32_t stuck_time_s;   /* hold time before a vehicle is moved on (> 0) */
  int32_t bin_s;          /* width of the statistics time bins (> 0) */
  int n_classes;          /* vehicle classes 0..n_classes-1 in the statistics (>= 1) */
  gboolean record_events; /* keep the event log */
  ThEngineProgressFunc progress;
  gpointer progress_user;
  int hook_class;         /* statistics class for vehicles added by day hooks (buses), default 0 */
  gboolean inflow_capacity;  /* entries spaced by the link's headway; merges zipper (see above) */
  double backward_wave_mps;  /* speed of holes upstream, m/s; 0: freed space is free at once */
  gboolean departure_queue;  /* departures wait off the network for room on their first link */
} ThEngineParams;

/* Exact times inside links are kept in 1/TH_ENGINE_TQ s (events happen in
 * whole seconds; see engine.c). */
#define TH_ENGINE_TQ 64

/* Statistics of one (link, time bin, class): traversals whose link ENTRY
 * time falls in the bin. */
typedef struct {
  uint64_t sum_tt_q; /* sum of exact link travel times (exit - entry), 1/TH_ENGINE_TQ s */
  uint32_t n;        /* vehicles (agents) that left the link */
  uint32_t pcu10;    /* their car units, in tenths */
} ThLinkStat;

/* An engine for NET (finalized, borrowed for the engine's life) with P
 * (copied). O(links). */
ThEngine *th_engine_new(const ThNetwork *net, const ThEngineParams *p);
void th_engine_free(ThEngine *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThEngine, th_engine_free)

/* Starts a new day: empties queues, vehicles, routes, statistics and the
 * event log; keeps handlers and memory. */
void th_engine_reset(ThEngine *e);

/* Registers a handler for a new user event type and returns the type. */
uint32_t th_engine_add_handler(ThEngine *e, ThEventFunc fn, gpointer user);
/* Sets the arrive handler (NULL: none). */
void th_engine_set_arrive_handler(ThEngine *e, ThArriveFunc fn, gpointer user);
/* Schedules an event of TYPE at TIME (>= now). O(1). */
void th_engine_schedule(ThEngine *e, int32_t time, uint32_t type, uint32_t a, uint32_t b);

/* Copies a route (N link indices, in driving order, consecutive links
 * joined) into the engine's contiguous route store; returns its handle.
 * Routes are stored back to back, so add them in departure order for
 * locality. O(N). */
uint32_t th_engine_route_add(ThEngine *e, const int32_t *links, int n);
/* Lends the engine a whole route store for the day (routes back to back,
 * each ended by -1; a route's handle is the offset of its first link), so a
 * caller that keeps its routes across days needs no copy. STORE must stay
 * valid and unchanged until th_engine_reset; th_engine_route_add after this
 * first copies the store (then adds). */
void th_engine_routes_borrow(ThEngine *e, const int32_t *store, size_t n);

/* Reserves room for N_VEHICLES more vehicles and N_LINKS more route links
 * (plus one end mark per route), so a day's setup does not reallocate. */
void th_engine_reserve(ThEngine *e, uint32_t n_vehicles, size_t n_route_links);

/* Adds a road vehicle of class CLS (< n_classes) taking PCU car units
 * (resolution 0.1, at most 6553), belonging to OWNER; returns its number
 * (0, 1, 2, ... per day). O(1). */
uint32_t th_engine_vehicle_add(ThEngine *e, int cls, double pcu, uint32_t owner);
/* Schedules VEHICLE to depart at TIME on route R (it enters the route's first
 * link then; an empty route arrives at once). A vehicle that has arrived may
 * depart again on another route. O(1). */
void th_engine_depart(ThEngine *e, uint32_t vehicle, int32_t time, uint32_t r);

/* Runs events in (time, sequence) order until none is left or the next is
 * after the horizon. Returns the clock at the end. O(events). */
int32_t th_engine_run(ThEngine *e);

/* --- after (or during) a run --- */
int32_t th_engine_now(const ThEngine *e);
uint32_t th_engine_vehicle_owner(const ThEngine *e, uint32_t v);
ThVehicleState th_engine_vehicle_state(const ThEngine *e, uint32_t v);
/* TRUE if the vehicle was ever moved on after being held stuck_time_s. */
gboolean th_engine_vehicle_stuck(const ThEngine *e, uint32_t v);
int32_t th_engine_vehicle_depart_time(const ThEngine *e, uint32_t v);
/* Seconds the vehicle waited in a departure queue before entering its first
 * link (0 without departure queues), or -1 while it waits or before it
 * departed. */
int32_t th_engine_vehicle_depart_delay(const ThEngine *e, uint32_t v);
/* Arrival time, or -1 when not arrived. */
int32_t th_engine_vehicle_arrive_time(const ThEngine *e, uint32_t v);
/* How many links of its current route the vehicle has left (all of them
 * once arrived). */
int th_engine_vehicle_links_done(const ThEngine *e, uint32_t v);

/* Number of statistics bins touched so far (bins are [k*bin_s, (k+1)*bin_s)). */
int th_engine_n_bins(const ThEngine *e);
/* The statistics class that vehicles added by hooks (bus runs) should use:
 * ThEngineParams.hook_class. O(1). */
int th_engine_hook_class(const ThEngine *e);
/* Statistics of LINK in BIN for class CLS (zeros when untouched). */
ThLinkStat th_engine_link_stat(const ThEngine *e, int link, int bin, int cls);
/* Free-flow time of LINK in the engine rounded to whole seconds (>= 1). */
int32_t th_engine_free_time(const ThEngine *e, int link);
/* Vehicles in LINK's queue now. */
uint32_t th_engine_link_count(const ThEngine *e, int link);

/* Counters of the day. */
uint64_t th_engine_events(const ThEngine *e);
uint64_t th_engine_traversals(const ThEngine *e);
uint64_t th_engine_stuck_moves(const ThEngine *e);

/* The event log (empty unless record_events): rows in event order. */
const ThLogRow *th_engine_log(const ThEngine *e, size_t *n_rows);

/* The free-flow time the engine drives on a link of NET: length / free speed
 * (or the given free-flow time) to 1/TH_ENGINE_TQ s, at least that. */
double th_engine_link_free_time_exact(const ThNetwork *net, int link);
/* The same rounded to whole seconds, at least 1 s (the unit of the time-bin
 * statistics and of what people read as a free-flow time in seconds). */
int32_t th_engine_link_free_time(const ThNetwork *net, int link);

G_END_DECLS

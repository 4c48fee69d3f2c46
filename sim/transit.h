/* transit.h: scheduled vehicles and the people and goods that ride them.
 *
 * Two parts that share the timetable (network/services.h):
 *
 * 1. A timetable-aware route search: the Connection Scan Algorithm (Dibbelt,
 *    Pajor, Strasser, Wagner 2013). Every run segment is a connection
 *    (departure, arrival, run, stop index), sorted by departure; one linear
 *    scan from the departure time gives the earliest arrival at every stop,
 *    honouring transfer times at stops, and the journey (which line from which
 *    stop to which) is read back from the connections that improved each stop.
 *    A run is boarded only at a stop where its line allows boarding and left
 *    only where it allows alighting (services.h, stop_use: GTFS pickup_type
 *    and drop_off_type). Footpaths (passenger searches only): a walk link
 *    whose facility is "transfer" between two stops (what `import gtfs`
 *    makes of a transfers.txt row between two stations) lets a rider who
 *    alights at its first stop board at its second after the link's
 *    free-flow time, which replaces the transfer time of the stop (the
 *    footpaths of Dibbelt et al., relaxed when a ride improves a stop).
 *
 * 2. A discrete-event simulation of the runs: each run arrives at its stops
 *    (riders whose leg ends there alight) and departs (riders queued at the
 *    stop for its line board in arrival order, strictly FIFO, while the load
 *    fits into the seats or tonnes left; an empty run always takes the first
 *    in the queue, however big). Those who do not fit stay in the
 *    queue for the next run of the line; each run that leaves someone behind
 *    counts them. A rider's legs may begin and end with freight handling at a
 *    hub (a single FIFO server working at handling_rate_tph), so shipments and
 *    passengers share one model. Events are ordered by (time, kind, sequence)
 *    with riders' arrivals before departures at the same second (a rider who
 *    arrives at 08:00 catches the 08:00 run), so results are the same every run.
 *
 *    On-demand freight runs (a freight line with run_if_tonnes or
 *    max_wait_s, network/services.h): when a run is due at its first stop, it
 *    leaves only if the tonnes waiting for its line (at all of its stops, in
 *    the sample, divided by the sample factor: full-demand tonnes) are at least
 *    run_if_tonnes, or the first in any of those queues has waited max_wait_s
 *    or more, or it is the line's last run of the day and anything waits;
 *    otherwise it is cancelled: it carries nothing, stops nowhere and costs
 *    no train-km (ThTransitRunLoad.cancelled), and those waiting stay for the
 *    next run (ThRiderResult.held counts such runs; they are not "left
 *    behind", which means a full run). A run with nothing waiting never
 *    leaves. Timetabled runs (both 0) always leave.
 *
 * Road legs before the first stop (access) and after the last (egress) are
 * given as durations by the caller (from the road engine's experienced times). */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"

G_BEGIN_DECLS

#define TH_TRANSIT_MAX_LEGS 6

/* One ride: line LINE from its stop BOARD_K to its stop ALIGHT_K (> BOARD_K).
 * RUN is the run the planner expected (the simulation takes the first run of
 * the line with room). HANDLE_BEFORE/AFTER: freight handling at the boarding
 * or alighting hub. */
typedef struct {
  int line, run;
  int board_k, alight_k;
  guint8 handle_before, handle_after;
  int walk_s; /* > 0: the rider walked a footpath (below) from the previous leg's alighting
               * stop to this leg's boarding stop, taking this long instead of the stop's
               * transfer time; 0: boards where the previous leg ended */
} ThTransitLeg;

/* A journey found by the route search. Times in seconds after midnight. */
typedef struct {
  int n_legs;                 /* 0: no journey */
  ThTransitLeg legs[TH_TRANSIT_MAX_LEGS];
  int access_node, egress_node;
  int ready_s;                /* arrival at the first stop (depart + access) */
  int arrive_s;               /* at the destination (last alighting + egress) */
  int access_s, egress_s;     /* road durations */
  int wait_s;                 /* waiting at stops before each boarding */
  int transfer_s;             /* walking between runs at stops (transfer times) */
  int in_vehicle_s;           /* riding */
  double km;                  /* distance ridden */
  double fare;                /* sum of the legs' fares */
  uint32_t modes;             /* TH_MODE_* bits of the lines ridden */
} ThTransitJourney;

/* ---- route search ---- */

typedef struct ThTransitRouter ThTransitRouter;

/* Connections of the runs of lines of KIND whose mode is in MODES (all
 * service modes: TH_MODE_ALL). SERVICES and HUBS (may be NULL) are borrowed.
 * O(C log C) for C connections. */
ThTransitRouter *th_transit_router_new(const ThNetwork *net, const ThServices *services,
                                       const ThHubs *hubs, ThServiceKind kind, uint32_t modes);
void th_transit_router_free(ThTransitRouter *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThTransitRouter, th_transit_router_free)

/* Stops (node indices) that some connection of R serves, in node order. */
const int *th_transit_router_stops(const ThTransitRouter *r, int *n_stops);

/* Earliest-arrival journey leaving at DEPART_S. ACCESS_S[i] and EGRESS_S[i]
 * are the road durations from the origin to stop i of th_transit_router_stops
 * and from it to the destination (< 0: not reachable). Transfers between
 * runs cost the stop's transfer time (hubs.csv, default 5 min); staying on a
 * run costs nothing; at most TH_TRANSIT_MAX_LEGS rides. Fills *OUT (n_legs 0
 * when no journey arrives by HORIZON_S). O(C) per query. A router is not
 * thread-safe; use one per thread. */
void th_transit_route(ThTransitRouter *r, int depart_s, const int *access_s, const int *egress_s,
                      int horizon_s, ThTransitJourney *out);

/* ---- simulation ---- */

typedef enum {
  TH_RIDER_EN_ROUTE = 0, /* still travelling (or waiting) at the horizon */
  TH_RIDER_ARRIVED,
  TH_RIDER_STRANDED,     /* waiting for a line whose last run has passed */
} ThRiderStatus;

typedef struct {
  ThRiderStatus status;
  int arrive_s;          /* destination arrival (egress included); -1 if not arrived */
  int wait_s;            /* at stops, from ready to boarding, all legs */
  int handling_s;        /* queue + service at hubs */
  int hub_queue_s;       /* of handling_s: the queue before service, at every hub */
  int in_vehicle_s;
  int left_behind;       /* runs that departed without this rider while it waited */
  int boardings;
  int held;              /* on-demand runs of its line cancelled while it waited */
} ThRiderResult;

/* What one vehicle run of a line carried (not ThRunResults, the results of
 * a whole simulation, sim/results.h). */
typedef struct {
  int boardings;         /* riders (passengers or shipments) that boarded */
  double boarded_load;   /* passengers or tonnes boarded */
  double peak_load;      /* largest load aboard on any segment */
  double load_km;        /* passenger-km or tonne-km */
  int left_behind;       /* riders left waiting at its stops */
  int cancelled;         /* 1: an on-demand run that did not leave (too little waiting) */
} ThTransitRunLoad;

/* What boarded and alighted at one stop of one line over the day (every
 * run of the line): riders and their load (passengers or tonnes). */
typedef struct {
  int boardings, alightings;
  double boarded_load, alighted_load;
} ThTransitStopLoad;

typedef struct {
  double tonnes_handled;
  double queue_s_sum;    /* sum over shipments of the wait before service */
  int shipments;
  double peak_queue_t;   /* largest backlog (tonnes not yet handled) */
  int over_dwell;        /* shipments that spent longer than dwell_limit_h at this hub before
                          * their train left (or were still there at the horizon) */
} ThHubResult;

typedef struct ThTransitSim ThTransitSim;

/* A simulation of all runs of SERVICES (borrowed) with hub servers from HUBS. */
ThTransitSim *th_transit_sim_new(const ThNetwork *net, const ThServices *services,
                                 const ThHubs *hubs);
void th_transit_sim_free(ThTransitSim *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThTransitSim, th_transit_sim_free)

/* A simulation of a sample of the demand (sample_factor F, 0 < F, default
 * 1; sim/simulate.h): every run's seats or tonnes are capacity x F (rounded
 * per run so that their mean over a line's runs is exactly capacity x F) and
 * every hub handles handling_rate_tph x F, as the road engine scales flow and
 * storage capacities. Load factors, left-behind shares and hub queue times
 * of a sample then estimate those of the full demand. Call before adding riders. */
void th_transit_sim_set_sample_factor(ThTransitSim *s, double f);

/* Adds a rider of LOAD (1 passenger, or tonnes) that reaches the first
 * boarding stop at READY_S and, after the last leg, needs EGRESS_S to its
 * destination. Riders are numbered in the order added; add them in a fixed
 * order (e.g. by agent id) for deterministic results. Returns the number. */
int th_transit_sim_add(ThTransitSim *s, double load, int ready_s, const ThTransitLeg *legs,
                       int n_legs, int egress_s);

/* Runs every event up to HORIZON_S. May be called once. O(E log E) for E
 * events (two per run and stop, a few per rider and leg). */
void th_transit_sim_run(ThTransitSim *s, int horizon_s);

const ThRiderResult *th_transit_sim_rider(const ThTransitSim *s, int rider);
/* Per run (index into services->runs). */
const ThTransitRunLoad *th_transit_sim_run_result(const ThTransitSim *s, int run);
/* Load (passengers or tonnes) that rode segment K of LINE over the day. */
double th_transit_sim_segment_load(const ThTransitSim *s, int line, int k);
/* Per stop K of LINE: boardings at K (riders entering a run as it departs K)
 * and alightings at K (riders leaving a run as it arrives at K). Riders still
 * aboard at the horizon have not alighted. */
const ThTransitStopLoad *th_transit_sim_stop_result(const ThTransitSim *s, int line, int k);
/* Per hub (index into hubs->hubs); NULL without hubs. */
const ThHubResult *th_transit_sim_hub_result(const ThTransitSim *s, int hub);

G_END_DECLS

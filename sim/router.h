/* router.h: time-dependent shortest paths on binned link travel times.
 *
 * Link times come from the previous simulated day: the mean experienced
 * travel time of the vehicles that ENTERED the link in each time bin (15
 * minutes by default; bins nobody used keep the free-flow time), as MATSim's
 * travel-time calculator does. A search from a node at a departure time is
 * Dijkstra's algorithm on arrival times (time-dependent Dijkstra, Dreyfus
 * 1969) on whole time units (sim/simulate.c: 1/64 s), exact when link times
 * are FIFO (leaving later never arrives earlier), which averaged queue times
 * nearly are.
 *
 * Replanning groups travellers by origin and departure bin and runs one
 * search per group (sim/simulate.c); a ThRouter is one thread's workspace.
 * From day 2 on, each group's search is bounded by its members' current
 * routes (th_router_run_bounded): the same arrivals and paths, about half
 * the nodes settled on a grid. */
#pragma once
#include "network/network.h"
#include "sim/truck-ban.h"

#include <stdint.h>

G_BEGIN_DECLS

/* Travel time of every link in every time bin, in whole units (>= 1).
 * Times are in whole units, which the router does not interpret: seconds
 * (per_s = 1, the default), or finer (sim/simulate.c uses 1/64 s); bin_s,
 * the departure times given to th_router_run and the arrivals it returns
 * are in the same units. */
typedef struct {
  int n_links, n_bins;
  int32_t per_s; /* units per second (information for the caller), default 1 */
  int32_t bin_s; /* bin width, in units */
  int32_t *tt;   /* tt[bin * n_links + link] */
  int32_t *free; /* free-flow time per link, used after the last bin */
  int32_t max_tt;/* largest time in the table (set by th_link_times_finish) */
  guint serial;  /* changes with every finish, so routers know their copies are stale */
} ThLinkTimes;

/* Times of N_BINS bins of BIN_S seconds, all set to FREE_S (n_links long). */
ThLinkTimes *th_link_times_new(int n_links, int n_bins, int32_t bin_s, const int32_t *free_s);
void th_link_times_free(ThLinkTimes *lt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThLinkTimes, th_link_times_free)
/* Call after changing tt: clamps times to >= 1 s and sets max_tt. O(size). */
void th_link_times_finish(ThLinkTimes *lt);

/* Travel time of LINK for a vehicle entering at time T. O(1). */
static inline int32_t th_link_times_at(const ThLinkTimes *lt, int link, int32_t t) {
  int b = t <= 0 ? 0 : t / lt->bin_s;
  return b < lt->n_bins ? lt->tt[(size_t)b * lt->n_links + link] : lt->free[link];
}

/* Time to drive the N links of ROUTE leaving at T0 (arrival - T0). O(N). */
int64_t th_link_times_route(const ThLinkTimes *lt, const int32_t *route, int n, int32_t t0);

typedef struct ThRouter ThRouter;

/* A workspace for searches on NET over links allowing MODES (connector links
 * always allowed). Zone nodes (node_no_thru) are never passed through. O(n). */
ThRouter *th_router_new(const ThNetwork *net, uint32_t modes);
void th_router_free(ThRouter *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThRouter, th_router_free)

/* The next searches obey BAN (borrowed; NULL: no ban): a banned link is not
 * entered, a banned node not left (unless it is the source), when the time
 * of reaching it (in the table's units, divided by per_s) is inside the
 * window (sim/truck-ban.h). The search stays Dijkstra on arrival times: a
 * path that would have to arrive later to pass after the window is not
 * sought (trucks do not wait). One test per settled node and link. */
void th_router_set_ban(ThRouter *r, const ThTruckBan *ban);

/* Earliest arrival at every node when leaving SOURCE at T0 with link times
 * LT. When TARGETS (N_TARGETS node indices) is given, the search stops once
 * all of them are settled. Integer times allow Dial's bucket queue (Dial
 * 1969): a circular array of at least max_tt + 1 one-unit buckets with a
 * bitmap of the non-empty ones, so a search is O(m + T/64) for T the units
 * spanned, with no heap. Ties resolve the same way every run: among equal
 * arrival times, the node labelled last settles first (each bucket is a
 * last-in first-out list); a node's link is the first that reached its
 * final arrival. */
void th_router_run(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0,
                   const int *targets, int n_targets);
/* th_router_run with an upper bound UB[i] (same units) on the earliest
 * arrival at each TARGETS[i], e.g. the time of a route already known: a node
 * is labelled only if, by a lower bound of the time left (landmarks, ALT:
 * Goldberg and Harrelson 2005, on each link's least time over the table's
 * bins and free flow), some target could be reached through it within its
 * bound. Nodes pruned so lie on no shortest path to a target, so the
 * targets' arrivals and paths are exactly th_router_run's, ties included
 * (the remaining nodes settle in the same order); only arrivals at other
 * nodes may be missing. A target found later than its bound (a bound that
 * was not one) makes it search again without pruning. With any UB[i] =
 * INT64_MAX, or more than TH_ROUTER_BOUND_MAX_TARGETS targets (a pruned
 * node is tested against each), it is th_router_run. Landmarks: LM_K = 4,
 * chosen farthest first, computed once per table and router (2 x 4 static
 * searches). */
#define TH_ROUTER_BOUND_MAX_TARGETS 32
void th_router_run_bounded(ThRouter *r, const ThLinkTimes *lt, int source, int32_t t0, const int *targets,
                           const int64_t *ub, int n_targets);
/* Arrival time at NODE of the last run (INT64_MAX if not reached). */
int64_t th_router_arrival(const ThRouter *r, int node);
/* Appends the links of the path to DEST of the last run to OUT (a GArray of
 * int32_t), in driving order; returns their number, or -1 if DEST was not
 * reached. O(path length). */
int th_router_path(const ThRouter *r, int dest, GArray *out);

G_END_DECLS

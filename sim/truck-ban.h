/* truck-ban.h: heavy-truck bans by link set, by node (a town trucks may not
 * cross) and by time of day (大车不进城: no heavy trucks in the county town
 * in daytime), for the freight classes named.
 *
 * The rule, where it is applied:
 *  - a banned link may not be ENTERED by a truck of a banned class at a time
 *    of day inside the window [from_s, to_s);
 *  - a banned node may not be PASSED THROUGH in the window (a truck of a
 *    banned class may not leave it unless its trip starts there): shipments
 *    loaded or delivered in the town keep their access (the 通行证 that such
 *    bans grant to local deliveries, E), through trucks go round.
 * Outside the window, and for classes not banned, nothing changes.
 *
 * The road simulation's route search (sim/router.h, th_router_set_ban)
 * applies the rule at the time the truck reaches each node on the binned
 * link times, for a group's departure time (the median of trips leaving from
 * one origin in one time bin: banned and other classes are grouped apart, so
 * the bans meet the departure bin, 15 min by default, not the whole day).
 * The freight planner (freight.h) applies it to the truck paths of a
 * shipment that leaves inside the window (truck only, the chain's legs), so
 * its truck-or-rail choice sees the detour; a shipment left with no
 * road path and no chain is unserved (trips.csv status "unserved"), never
 * routed through the town.
 *
 * Waiting (multimodal.c): a shipment of a banned class that leaves inside
 * the window may instead wait at its origin until the window ends
 * (th_truck_ban_ends) and then drive the unbanned truck path, charged the
 * wait (class wait_weight x VOT per tonne-hour). Its road alternative is the
 * cheaper of the detour under the ban (or the park's consolidated haul) and
 * that wait plus the unbanned drive; the wait must end before the horizon.
 * trips.csv keeps the planned departure: wait_s is the wait and the travel
 * time includes it.
 *
 * The window is a time of day: times past 24:00 (horizon 30:00:00) count
 * from midnight again; from_s > to_s wraps midnight (22:00-06:00 is the
 * night); from_s == to_s bans all day. Sizes: one byte per link, node and
 * class. */
#pragma once
#include "network/network.h"

#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
  int n_links, n_nodes, n_classes;
  guint8 *link;    /* n_links: 1 = may not be entered in the window */
  guint8 *node;    /* n_nodes: 1 = may not be passed through in the window */
  guint8 *cls;     /* n_classes (class table indices): 1 = the ban applies to this class */
  int32_t from_s, to_s; /* the window, seconds after midnight (0..86400) */
} ThTruckBan;

/* An empty ban (nothing banned, all day) for NET and a class table of
 * N_CLASSES classes. */
ThTruckBan *th_truck_ban_new(const ThNetwork *net, int n_classes);
void th_truck_ban_free(ThTruckBan *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThTruckBan, th_truck_ban_free)

/* TRUE when B bans anything (a link or a node, and a class). */
gboolean th_truck_ban_any(const ThTruckBan *b);

/* Is the time T_S (seconds since the day's midnight, may pass 24:00)
 * inside the window? O(1). */
static inline gboolean th_truck_ban_active(const ThTruckBan *b, double t_s) {
  if (b->from_s == b->to_s) return TRUE;
  double d = t_s - 86400.0 * (double)(int64_t)(t_s / 86400.0);
  if (d < 0) d += 86400.0;
  return b->from_s < b->to_s ? d >= b->from_s && d < b->to_s : d >= b->from_s || d < b->to_s;
}

/* For T_S inside the window: the time (same clock as T_S, >= T_S) at which
 * that window ends; -1 for an all-day ban (it never ends). O(1). */
static inline int32_t th_truck_ban_ends(const ThTruckBan *b, int32_t t_s) {
  if (b->from_s == b->to_s) return -1;
  int32_t d = t_s % 86400;
  if (d < 0) d += 86400;
  int32_t left = b->to_s - d;
  if (left < 0) left += 86400;
  return t_s + left;
}

/* Does B apply to class CLS (a class table index)? */
static inline gboolean th_truck_ban_class(const ThTruckBan *b, int cls) {
  return b && cls >= 0 && cls < b->n_classes && b->cls[cls];
}

G_END_DECLS

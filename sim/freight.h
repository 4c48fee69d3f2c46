/* freight.h: how a shipment travels: by truck all the way, or by truck to a
 * logistics hub, handling, freight train, handling, truck to the destination.
 *
 * Planning uses the layered graph (network/layers.h): one shortest-path
 * search with per-tonne generalized costs (th_layers_freight_weights) finds
 * the best chain and its hubs; the rail part is then checked against the
 * freight timetable with the connection scan (sim/transit.h), which gives
 * the real wait for a train and the ride; the chain is kept only if its
 * generalized cost, so timed, beats the truck-only path (by_rail: the least
 * cost). The day driver (multimodal.h) then draws between truck and chain
 * with the class's logit, as for passengers' modes (choice.h), so that
 * shipments spread over both when costs are close instead of all flipping.
 *
 * Simulation: the chain's rail legs go into the transit simulation with
 * handling before the first and after the last ride, so shipments queue at
 * the hubs' handling servers (handling_rate_tph) and board freight runs up to
 * their tonne capacity. Costs are per tonne (yuan); VOT of a freight class is
 * yuan per tonne-hour (classes.h).
 *
 * Policy levers per commodity (ThFreightLevers, from a scenario's
 * [freight]): truck_surcharge_per_tkm is added to every truck tonne-km
 * (truck only and the chain's truck legs), rail_surcharge_per_tkm to every
 * rail tonne-km, and rail_min_km > 0 makes the day driver send by rail every
 * free shipment whose truck path is at least that long and that has a chain
 * (multimodal.c). A truck ban (truck-ban.h, th_freight_planner_set_ban)
 * closes links and towns to the truck paths of a shipment leaving in its
 * window.
 *
 * Part loads (a shipment below its class's tonnes_per_vehicle): every truck
 * leg costs cost_per_km / the shipment's tonnes per tonne (the truck runs
 * for it alone), and it boards trains only at hubs that consolidate loads
 * of its size (network/hubs.h consolidate_max_t: a logistics park gathers
 * part loads into wagonloads; stations take wagonloads). Full loads are
 * unchanged. A park also sends part loads on by road: the consolidated
 * road haul (cons_*) is the part load's own truck to a park that
 * consolidates its size, one handling there (handling_cost_per_t, tonnes /
 * handling_rate_tph of time, the expected hub queue) and a full truck from
 * the park to the destination, costing per tonne what a full load costs
 * (cost_per_km / tonnes_per_vehicle per km; the shipment's share of that
 * truck is tonnes / tonnes_per_vehicle). It is the road alternative when
 * cheaper than the own truck door to door (gen_cost_per_t, by_rail: the
 * least of own truck, consolidated haul and chain), so a park moves a part
 * load to rail only when rail beats both. */
#pragma once
#include "network/layers.h"
#include "sim/classes.h"
#include "sim/transit.h"
#include "sim/truck-ban.h"

G_BEGIN_DECLS

typedef struct {
  gboolean by_rail;          /* FALSE: truck only */
  double gen_cost_per_t;     /* of the chosen alternative */
  double truck_cost_per_t;   /* truck only (INFINITY: no road path) */
  double rail_cost_per_t;    /* the chain (INFINITY: none) */
  /* truck only */
  int truck_time_s;
  double truck_km;
  /* the chain */
  int hub_from, hub_to;      /* the chain's hubs (node indices), also when the truck is cheaper;
                              * -1 when there is no chain with a train ride */
  int access_s, egress_s;    /* road legs */
  double access_km, egress_km;
  int handling_s;            /* planned handling time at both hubs */
  double handling_cost_per_t;
  double money_per_t;        /* the chain's money: truck legs, handling, rail tonne-km, fares */
  double ride_km;            /* rail distance */
  ThTransitJourney rail;     /* rides; legs[0].handle_before and the last handle_after set */
  /* a part load's consolidated road haul (-1 / INFINITY: none): its own
   * truck to a park, handling there, a full truck on to the destination */
  int cons_hub;              /* the park (node index) */
  double cons_cost_per_t;
  int cons_access_s, cons_handling_s, cons_onward_s;
  double cons_access_km, cons_onward_km;
  double cons_money_per_t;   /* both truck legs and the handling */
} ThFreightPlan;

/* Policy levers for one commodity (a scenario's [freight] section). */
typedef struct {
  double truck_surcharge_per_tkm; /* yuan per tonne-km by truck: truck only and the chain's legs */
  double rail_surcharge_per_tkm;  /* yuan per tonne-km by rail, added to the links' tariff
                                   * (negative: cheaper; a link never costs below 0) */
  double rail_min_km;             /* > 0: a free shipment whose truck path is at least this
                                   * long goes by rail whenever it has a chain (公转铁) */
} ThFreightLevers;

typedef struct ThFreightPlanner ThFreightPlanner;

/* A planner over LAYERS (built with the same network, services and hubs).
 * All arguments are borrowed. One per thread. */
ThFreightPlanner *th_freight_planner_new(const ThLayers *layers, const ThServices *services,
                                         const ThHubs *hubs);
void th_freight_planner_free(ThFreightPlanner *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThFreightPlanner, th_freight_planner_free)

/* The levers for the shipments planned next (NULL: none). Truck paths
 * from hubs are cached per class, so give one class the same levers
 * throughout a day. */
void th_freight_planner_set_levers(ThFreightPlanner *p, const ThFreightLevers *lv);

/* The truck ban of the shipments planned next (sim/truck-ban.h; borrowed),
 * or NULL: the caller passes it for a shipment of a banned class that leaves
 * inside the window. Its truck paths (truck only, to the first hub, from the
 * last) then avoid the banned links and do not cross a banned node (they
 * may start or end there); with no such path the truck costs INFINITY, and
 * a shipment with no chain either is unserved unless it may wait for the
 * window's end (the day driver's rule, truck-ban.h). */
void th_freight_planner_set_ban(ThFreightPlanner *p, const ThTruckBan *ban);

/* Forgets cached truck paths from hubs (call when the road times in the
 * array given to th_freight_plan have changed in place). */
void th_freight_planner_reset(ThFreightPlanner *p);

/* Expected queueing before handling at each node's hub, seconds (n_nodes
 * values, copied; NULL: none): the queues the last simulated day showed, so
 * that congested hubs lose shipments in the next choice. It adds its value
 * of time to the handling links' cost (not to the timetable check, so a
 * congested day does not make a chain look infeasible). */
void th_freight_planner_set_hub_delay(ThFreightPlanner *p, const double *delay_s);

/* Plans a shipment of TONNES of class CLS from node ORIGIN to node DEST
 * leaving at DEPART_S. ROAD_TIME_S: experienced road link times (NULL: free
 * flow). The chain is the cheapest path through the layers that rides a
 * train; when the cheapest path stays on the road, or only boards and
 * alights at one hub, the cheapest chain with a ride is still found (so
 * rail_cost_per_t is known, the logit can weigh it and a trip that must go
 * by rail can), with truck paths from each hub cached per class. Two shortest-path searches and one
 * connection scan per shipment: O((n + m) log n + C). */
void th_freight_plan(ThFreightPlanner *p, const ThClass *cls, int origin, int dest, int depart_s,
                     double tonnes, const double *road_time_s, int horizon_s, ThFreightPlan *out);

G_END_DECLS

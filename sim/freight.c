/* freight.c: shipment planning over the layered graph (see freight.h). */
#include "sim/freight.h"

#include "network/paths.h"

#include <math.h>
#include <string.h>

struct ThFreightPlanner {
  const ThLayers *layers;
  const ThServices *sv;
  const ThHubs *hubs;
  ThShortestPaths *sp_road;  /* physical network */
  ThShortestPaths *sp_layer; /* layered graph */
  ThTransitRouter *router;   /* freight runs */
  double *w_road, *w_layer;
  int *access, *egress;
  GArray *path;
};

ThFreightPlanner *th_freight_planner_new(const ThLayers *layers, const ThServices *sv,
                                         const ThHubs *hubs) {
  ThFreightPlanner *p = g_new0(ThFreightPlanner, 1);
  p->layers = layers;
  p->sv = sv;
  p->hubs = hubs;
  p->sp_road = th_sp_new(layers->net);
  p->sp_layer = th_sp_new(layers->g);
  p->router = th_transit_router_new(layers->net, sv, hubs, TH_SERVICE_FREIGHT, TH_MODE_ALL);
  p->w_road = g_new(double, layers->net->n_links + 1);
  p->w_layer = g_new(double, layers->g->n_links + 1);
  int ns;
  th_transit_router_stops(p->router, &ns);
  p->access = g_new(int, ns + 1);
  p->egress = g_new(int, ns + 1);
  p->path = g_array_new(FALSE, FALSE, sizeof(int));
  return p;
}

void th_freight_planner_free(ThFreightPlanner *p) {
  if (!p) return;
  th_sp_free(p->sp_road);
  th_sp_free(p->sp_layer);
  th_transit_router_free(p->router);
  g_free(p->w_road);
  g_free(p->w_layer);
  g_free(p->access);
  g_free(p->egress);
  g_array_free(p->path, TRUE);
  g_free(p);
}

void th_freight_plan(ThFreightPlanner *p, const ThClass *cls, int origin, int dest, int depart_s,
                     double tonnes, const double *road_time_s, int horizon_s, ThFreightPlan *out) {
  const ThLayers *L = p->layers;
  const ThNetwork *net = L->net, *g = L->g;
  memset(out, 0, sizeof *out);
  out->hub_from = out->hub_to = -1;
  out->truck_cost_per_t = out->rail_cost_per_t = out->gen_cost_per_t = INFINITY;
  const double tpt = cls->tonnes_per_vehicle > 0 ? cls->tonnes_per_vehicle : 1;
  const double vot_s = cls->vot_per_h / 3600.0;
  const double ww = cls->wait_weight > 0 ? cls->wait_weight : 1;
  const double xw = cls->transfer_weight > 0 ? cls->transfer_weight : 1;

  /* 1. truck only, on the physical network */
  for (int e = 0; e < net->n_links; e++) {
    double km = net->length_m[e] / 1000.0;
    double t = road_time_s ? road_time_s[e] : net->free_time_s[e];
    p->w_road[e] = t * vot_s + (km * cls->cost_per_km + net->toll[e]) / tpt + km * net->cost_per_tkm[e];
  }
  th_sp_run(p->sp_road, origin, p->w_road, TH_MODE_ROAD);
  if (isfinite(th_sp_dist(p->sp_road)[dest])) {
    out->truck_cost_per_t = th_sp_dist(p->sp_road)[dest];
    const int *pred = th_sp_pred_link(p->sp_road);
    double T = 0, K = 0;
    for (int v = dest; v != origin;) {
      int e = pred[v];
      T += road_time_s ? road_time_s[e] : net->free_time_s[e];
      K += net->length_m[e] / 1000.0;
      v = net->link_from[e];
    }
    out->truck_time_s = (int)lround(T);
    out->truck_km = K;
  }

  /* 2. the best chain on the layered graph (truck legs, hubs, rail) */
  th_layers_freight_weights(L, tonnes, cls->vot_per_h, cls->cost_per_km, tpt, 0, road_time_s,
                            p->w_layer);
  int go = th_layers_node(L, TH_LAYER_ROAD, origin), gd = th_layers_node(L, TH_LAYER_ROAD, dest);
  th_sp_run(p->sp_layer, go, p->w_layer,
            TH_MODE_ROAD | TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY | TH_MODE_WALK);
  int first_board = -1, last_alight = -1;
  if (isfinite(th_sp_dist(p->sp_layer)[gd])) {
    const int *pred = th_sp_pred_link(p->sp_layer);
    g_array_set_size(p->path, 0);
    for (int v = gd; v != go;) {
      int e = pred[v];
      g_array_append_val(p->path, e);
      v = g->link_from[e];
    }
    /* the path is stored backwards */
    for (int i = (int)p->path->len - 1; i >= 0; i--) {
      int e = g_array_index(p->path, int, i);
      if (L->link_kind[e] == TH_LLINK_BOARD && first_board < 0) first_board = i;
      if (L->link_kind[e] == TH_LLINK_ALIGHT) last_alight = i;
    }
  }
  if (first_board >= 0 && last_alight >= 0) {
    double road_cost = 0, road_money = 0, handle_cost = 0, rail_money = 0, acc_t = 0, egr_t = 0, acc_km = 0,
           egr_km = 0;
    int handle_s = 0;
    for (int i = (int)p->path->len - 1; i >= 0; i--) {
      int e = g_array_index(p->path, int, i);
      int pe = L->link_orig[e];
      if (L->link_kind[e] != TH_LLINK_TRAVEL) {
        handle_cost += p->w_layer[e];
        handle_s += (int)lround(tonnes / L->link_handling_tph[e] * 3600.0);
        continue;
      }
      double km = net->length_m[pe] / 1000.0;
      if (i > first_board || i < last_alight) {
        road_cost += p->w_layer[e];
        road_money += (km * cls->cost_per_km + net->toll[pe]) / tpt + km * net->cost_per_tkm[pe];
        double t = road_time_s ? road_time_s[pe] : net->free_time_s[pe];
        if (i > first_board) acc_t += t, acc_km += km;
        else egr_t += t, egr_km += km;
      } else if (L->node_layer[g->link_from[e]] != TH_LAYER_ROAD) {
        rail_money += km * net->cost_per_tkm[pe];
      } else {
        road_cost += p->w_layer[e]; /* a road stretch between two rail rides */
        road_money += (km * cls->cost_per_km + net->toll[pe]) / tpt + km * net->cost_per_tkm[pe];
      }
    }
    int hub_a = L->node_orig[g->link_from[g_array_index(p->path, int, first_board)]];
    int hub_b = L->node_orig[g->link_to[g_array_index(p->path, int, last_alight)]];
    double rate_a = L->link_handling_tph[g_array_index(p->path, int, first_board)];
    double rate_b = L->link_handling_tph[g_array_index(p->path, int, last_alight)];
    int hs_a = (int)lround(tonnes / rate_a * 3600.0), hs_b = (int)lround(tonnes / rate_b * 3600.0);
    int ns;
    const int *stops = th_transit_router_stops(p->router, &ns);
    for (int s = 0; s < ns; s++) {
      p->access[s] = stops[s] == hub_a ? (int)lround(acc_t) + hs_a : -1;
      p->egress[s] = stops[s] == hub_b ? hs_b + (int)lround(egr_t) : -1;
    }
    ThTransitJourney j;
    th_transit_route(p->router, depart_s, p->access, p->egress, horizon_s, &j);
    if (j.n_legs > 0) {
      j.legs[0].handle_before = 1;
      j.legs[j.n_legs - 1].handle_after = 1;
      /* the ride's time is the timetable's, its money the links' cost per tonne-km */
      double c = road_cost + handle_cost + rail_money + j.fare +
                 vot_s * (j.in_vehicle_s + ww * j.wait_s + xw * j.transfer_s);
      out->rail_cost_per_t = c;
      out->hub_from = hub_a;
      out->hub_to = hub_b;
      out->access_s = (int)lround(acc_t);
      out->egress_s = (int)lround(egr_t);
      out->access_km = acc_km;
      out->egress_km = egr_km;
      out->handling_s = handle_s;
      double hc = 0;
      const ThHub *ha = th_hubs_at(p->hubs, hub_a), *hb = th_hubs_at(p->hubs, hub_b);
      if (ha) hc += ha->handling_cost_per_t;
      if (hb) hc += hb->handling_cost_per_t;
      out->handling_cost_per_t = hc;
      out->money_per_t = road_money + hc + rail_money + j.fare;
      out->ride_km = j.km;
      out->rail = j;
    }
  }
  if (out->rail_cost_per_t < out->truck_cost_per_t) {
    out->by_rail = TRUE;
    out->gen_cost_per_t = out->rail_cost_per_t;
  } else {
    out->by_rail = FALSE;
    out->gen_cost_per_t = out->truck_cost_per_t;
    out->hub_from = out->hub_to = -1;
  }
}

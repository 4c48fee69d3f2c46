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
  ThShortestPaths *sp_block; /* layered graph with boarding at one hub barred */
  ThTransitRouter *router;   /* freight runs */
  double *w_road, *w_layer;
  int *access, *egress;
  GArray *path;
  int *road_glink;           /* physical link -> its copy in the road layer, or -1 */
  ThShortestPaths *sp_egress;
  GHashTable *egress_cache;  /* (class, hub node) -> EgressTree */
  const ThClass *cur_cls;
  double cur_tpt;            /* tonnes sharing a truck (truck_share_t) of the shipment planned now */
  const double *cur_times;
  double *hub_delay_s;       /* per node: expected queue at its handling server, or NULL */
  ThFreightLevers lv;        /* of the shipments planned now */
  const ThTruckBan *ban;     /* of the shipments planned now, or NULL */
};

/* Truck paths from a hub to every node, for one class and the current road
 * times: the road leg after the last handling. */
typedef struct {
  double *dist;
  int *pred;
} EgressTree;

static void egress_tree_free(gpointer data) {
  EgressTree *t = data;
  g_free(t->dist);
  g_free(t->pred);
  g_free(t);
}

/* Tonnes that share a truck's cost per km: the class's truckload, or the
 * shipment's own tonnes when it is a part load (its truck runs for it alone). */
static double truck_share_t(const ThClass *cls, double tonnes) {
  double tpt = cls->tonnes_per_vehicle > 0 ? cls->tonnes_per_vehicle : 1;
  return tonnes > 0 && tonnes < tpt ? tonnes : tpt;
}

/* The truck weight of physical link E for the current class and times. */
static double road_w(const ThFreightPlanner *p, int e) {
  const ThNetwork *net = p->layers->net;
  const ThClass *cls = p->cur_cls;
  const double tpt = p->cur_tpt;
  double km = net->length_m[e] / 1000.0;
  double t = p->cur_times ? p->cur_times[e] : net->free_time_s[e];
  return t * cls->vot_per_h / 3600.0 + (km * cls->cost_per_km + net->toll[e]) / tpt +
         km * net->cost_per_tkm[e] + km * p->lv.truck_surcharge_per_tkm;
}

/* With a ban, the out-links of a banned node V are closed in p->w_road
 * (trucks may not pass through); OPEN reopens those of V for a search that
 * starts there (and not OPEN closes them again). */
static void open_node(ThFreightPlanner *p, int v, gboolean open) {
  if (!p->ban || !p->ban->node[v]) return;
  const ThNetwork *net = p->layers->net;
  for (int j = net->out_start[v]; j < net->out_start[v + 1]; j++) {
    int e = net->out_link[j];
    p->w_road[e] = open && !p->ban->link[e] ? road_w(p, e) : INFINITY;
  }
}

static const EgressTree *egress_tree(ThFreightPlanner *p, const ThClass *cls, int hub) {
  g_autofree char *key = g_strdup_printf("%p/%d/%d/%g", (const void *)cls, hub, p->ban != NULL, p->cur_tpt);
  EgressTree *t = g_hash_table_lookup(p->egress_cache, key);
  if (t) return t;
  const ThNetwork *net = p->layers->net;
  open_node(p, hub, TRUE); /* a truck may leave a banned node where it starts */
  th_sp_run(p->sp_egress, hub, p->w_road, TH_MODE_ROAD);
  open_node(p, hub, FALSE);
  t = g_new(EgressTree, 1);
  t->dist = g_memdup2(th_sp_dist(p->sp_egress), sizeof(double) * net->n_nodes);
  t->pred = g_memdup2(th_sp_pred_link(p->sp_egress), sizeof(int) * net->n_nodes);
  g_hash_table_insert(p->egress_cache, g_steal_pointer(&key), t);
  return t;
}

#define LAYER_MODES (TH_MODE_ROAD | TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY | TH_MODE_WALK)

/* Does the path ride a train: a layered travel link off the road layer? A
 * path that boards and alights at the same hub does not. */
static gboolean path_has_ride(const ThFreightPlanner *p) {
  const ThLayers *L = p->layers;
  for (guint i = 0; i < p->path->len; i++) {
    int e = g_array_index(p->path, int, i);
    if (L->link_kind[e] == TH_LLINK_TRAVEL && L->node_layer[L->g->link_from[e]] != TH_LAYER_ROAD)
      return TRUE;
  }
  return FALSE;
}

/* p->path (backwards) := truck from the hub after ALIGHT to DEST, ALIGHT,
 * then SP's tree back from ALIGHT's rail node to GO. */
static void set_chain_path(ThFreightPlanner *p, int dest, int alight, const ThShortestPaths *sp, int go) {
  const ThLayers *L = p->layers;
  const ThNetwork *g = L->g, *net = L->net;
  g_array_set_size(p->path, 0);
  int hub = L->node_orig[g->link_to[alight]];
  const EgressTree *t = egress_tree(p, p->cur_cls, hub);
  for (int v = dest; v != hub;) {
    int e = t->pred[v];
    g_array_append_val(p->path, p->road_glink[e]);
    v = net->link_from[e];
  }
  g_array_append_val(p->path, alight);
  const int *pred = th_sp_pred_link(sp);
  for (int v = g->link_from[alight]; v != go;) {
    int e = pred[v];
    g_array_append_val(p->path, e);
    v = g->link_from[e];
  }
}

/* When the cheapest path has no train ride, the cheapest chain that has
 * one: over every place B where freight can leave rail, (the cheapest cost
 * to B's rail node by a ride) + handling at B + truck from B to DEST. The
 * caller's layered search (from GO) gives that cost unless its cheapest way
 * to B's rail node is boarding at B itself (load and unload at the same hub,
 * no ride); then a second search with boarding at B barred gives the
 * cheapest way there by a ride from another hub. Fills p->path (backwards,
 * like a search result) or leaves it empty when no chain with a ride
 * exists. Uses the weights in p->w_layer and p->w_road. */
static void best_rail_chain(ThFreightPlanner *p, int dest, int go) {
  const ThLayers *L = p->layers;
  const ThNetwork *g = L->g;
  const double *dl = th_sp_dist(p->sp_layer);
  const int *pl = th_sp_pred_link(p->sp_layer);
  double best = INFINITY;
  g_array_set_size(p->path, 0);
  GArray *best_path = g_array_new(FALSE, FALSE, sizeof(int));
  for (int e = 0; e < g->n_links; e++) {
    if (L->link_kind[e] != TH_LLINK_ALIGHT || !isfinite(p->w_layer[e])) continue;
    int v = g->link_from[e];
    const ThShortestPaths *sp = p->sp_layer;
    double reach = dl[v];
    if (isfinite(reach) && pl[v] >= 0 && L->link_kind[pl[v]] == TH_LLINK_BOARD) {
      /* boarded right here: bar boarding at this rail node and search again */
      g_autoptr(GArray) barred = g_array_new(FALSE, FALSE, sizeof(int));
      g_autoptr(GArray) weight = g_array_new(FALSE, FALSE, sizeof(double));
      for (int b = 0; b < g->n_links; b++)
        if (L->link_kind[b] == TH_LLINK_BOARD && g->link_to[b] == v && isfinite(p->w_layer[b])) {
          g_array_append_val(barred, b);
          g_array_append_val(weight, p->w_layer[b]);
          p->w_layer[b] = INFINITY;
        }
      th_sp_run(p->sp_block, go, p->w_layer, LAYER_MODES);
      for (guint i = 0; i < barred->len; i++)
        p->w_layer[g_array_index(barred, int, i)] = g_array_index(weight, double, i);
      sp = p->sp_block;
      reach = th_sp_dist(sp)[v];
    }
    double c = reach + p->w_layer[e];
    if (!(c < best)) continue;
    const EgressTree *t = egress_tree(p, p->cur_cls, L->node_orig[g->link_to[e]]);
    c += t->dist[dest];
    if (!(c < best)) continue;
    best = c;
    set_chain_path(p, dest, e, sp, go);
    g_array_set_size(best_path, 0);
    g_array_append_vals(best_path, p->path->data, p->path->len);
  }
  g_array_set_size(p->path, 0);
  g_array_append_vals(p->path, best_path->data, best_path->len);
  g_array_free(best_path, TRUE);
}

ThFreightPlanner *th_freight_planner_new(const ThLayers *layers, const ThServices *sv,
                                         const ThHubs *hubs) {
  ThFreightPlanner *p = g_new0(ThFreightPlanner, 1);
  p->layers = layers;
  p->sv = sv;
  p->hubs = hubs;
  p->sp_road = th_sp_new(layers->net);
  p->sp_layer = th_sp_new(layers->g);
  p->sp_block = th_sp_new(layers->g);
  p->router = th_transit_router_new(layers->net, sv, hubs, TH_SERVICE_FREIGHT, TH_MODE_ALL);
  p->w_road = g_new(double, layers->net->n_links + 1);
  p->w_layer = g_new(double, layers->g->n_links + 1);
  int ns;
  th_transit_router_stops(p->router, &ns);
  p->access = g_new(int, ns + 1);
  p->egress = g_new(int, ns + 1);
  p->path = g_array_new(FALSE, FALSE, sizeof(int));
  p->sp_egress = th_sp_new(layers->net);
  p->egress_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, egress_tree_free);
  p->road_glink = g_new(int, layers->net->n_links + 1);
  for (int e = 0; e < layers->net->n_links; e++) p->road_glink[e] = -1;
  for (int e = 0; e < layers->g->n_links; e++)
    if (layers->link_kind[e] == TH_LLINK_TRAVEL &&
        layers->node_layer[layers->g->link_from[e]] == TH_LAYER_ROAD)
      p->road_glink[layers->link_orig[e]] = e;
  return p;
}

void th_freight_planner_free(ThFreightPlanner *p) {
  if (!p) return;
  th_sp_free(p->sp_road);
  th_sp_free(p->sp_layer);
  th_sp_free(p->sp_block);
  th_transit_router_free(p->router);
  g_free(p->w_road);
  g_free(p->w_layer);
  g_free(p->access);
  g_free(p->egress);
  g_array_free(p->path, TRUE);
  th_sp_free(p->sp_egress);
  g_hash_table_destroy(p->egress_cache);
  g_free(p->road_glink);
  g_free(p->hub_delay_s);
  g_free(p);
}

void th_freight_planner_set_levers(ThFreightPlanner *p, const ThFreightLevers *lv) {
  if (lv) p->lv = *lv;
  else memset(&p->lv, 0, sizeof p->lv);
}

void th_freight_planner_set_ban(ThFreightPlanner *p, const ThTruckBan *ban) { p->ban = ban; }

void th_freight_planner_reset(ThFreightPlanner *p) { g_hash_table_remove_all(p->egress_cache); }

void th_freight_planner_set_hub_delay(ThFreightPlanner *p, const double *delay_s) {
  const ThNetwork *net = p->layers->net;
  g_clear_pointer(&p->hub_delay_s, g_free);
  if (delay_s) p->hub_delay_s = g_memdup2(delay_s, sizeof(double) * net->n_nodes);
}

/* The consolidated road haul of a part load of TONNES (freight.h): over
 * every park P that consolidates its size, the own truck from ORIGIN to P
 * (p->sp_road's tree: the truck-only search, ban included), one handling at
 * P, and a full truck (cost_per_km / tonnes_per_vehicle per tonne-km) from P
 * to DEST; the cheapest fills out->cons_*. */
static void consolidated_haul(ThFreightPlanner *p, const ThClass *cls, int origin, int dest,
                              double tonnes, const double *road_time_s, ThFreightPlan *out) {
  const ThNetwork *net = p->layers->net;
  const double full = cls->tonnes_per_vehicle > 0 ? cls->tonnes_per_vehicle : 1;
  const double vot_s = cls->vot_per_h / 3600.0;
  const double *d_own = th_sp_dist(p->sp_road);
  const int *pred_own = th_sp_pred_link(p->sp_road);
  g_autofree double *w = g_new(double, net->n_links + 1);
  g_autofree double *wb = g_new(double, net->n_links + 1);
  for (int e = 0; e < net->n_links; e++) {
    double km = net->length_m[e] / 1000.0;
    double t = road_time_s ? road_time_s[e] : net->free_time_s[e];
    w[e] = t * vot_s + (km * cls->cost_per_km + net->toll[e]) / full + km * net->cost_per_tkm[e] +
           km * p->lv.truck_surcharge_per_tkm;
  }
  for (int i = 0; p->hubs && i < p->hubs->n_hubs; i++) {
    const ThHub *h = &p->hubs->hubs[i];
    int v = h->node;
    if (h->consolidate_max_t < tonnes || h->handling_rate_tph <= 0 || v == dest || !isfinite(d_own[v]))
      continue;
    /* the full truck under the ban: closed links, no passing through a
     * banned node but the park it leaves */
    for (int e = 0; e < net->n_links; e++) {
      double we = w[e];
      if (p->ban && (p->ban->link[e] || (p->ban->node[net->link_from[e]] && net->link_from[e] != v)))
        we = INFINITY;
      wb[e] = we;
    }
    th_sp_run(p->sp_egress, v, wb, TH_MODE_ROAD);
    double onward = th_sp_dist(p->sp_egress)[dest];
    if (!isfinite(onward)) continue;
    int hs = (int)lround(tonnes / h->handling_rate_tph * 3600.0);
    double hq = p->hub_delay_s ? p->hub_delay_s[v] : 0;
    double c = d_own[v] + h->handling_cost_per_t + (hs + hq) * vot_s + onward;
    if (!(c < out->cons_cost_per_t)) continue;
    double T = 0, K = 0, money = h->handling_cost_per_t;
    const int *pred = th_sp_pred_link(p->sp_egress);
    for (int u = dest; u != v;) {
      int e = pred[u];
      T += road_time_s ? road_time_s[e] : net->free_time_s[e];
      K += net->length_m[e] / 1000.0;
      money += w[e] - (road_time_s ? road_time_s[e] : net->free_time_s[e]) * vot_s;
      u = net->link_from[e];
    }
    double Ta = 0, Ka = 0;
    for (int u = v; u != origin;) {
      int e = pred_own[u];
      double t = road_time_s ? road_time_s[e] : net->free_time_s[e];
      double km = net->length_m[e] / 1000.0;
      Ta += t, Ka += km;
      money += (km * cls->cost_per_km + net->toll[e]) / tonnes + km * net->cost_per_tkm[e] +
               km * p->lv.truck_surcharge_per_tkm;
      u = net->link_from[e];
    }
    out->cons_hub = v;
    out->cons_cost_per_t = c;
    out->cons_access_s = (int)lround(Ta);
    out->cons_access_km = Ka;
    out->cons_handling_s = hs;
    out->cons_onward_s = (int)lround(T);
    out->cons_onward_km = K;
    out->cons_money_per_t = money;
  }
}

/* One th_freight_plan call, shared by its stages: the shipment and the
 * class's weights of a tonne-second, a wait and a transfer. */
typedef struct {
  const ThClass *cls;
  int origin, dest, depart_s, horizon_s;
  double tonnes;
  const double *road_time_s; /* per link, s; NULL: free flow */
  double tpt;                /* tonnes paying the truck (truck_share_t) */
  gboolean part_load;        /* less than a full truck */
  double vot_s;              /* value of a tonne-second */
  double ww, xw;             /* wait and transfer weights */
} FreightQuery;

/* The chain's path cut in its parts (chain_parts): the road legs before
 * the first boarding and after the last alighting, the handlings, the rail
 * rides. */
typedef struct {
  int first_board, last_alight; /* indices into p->path (stored backwards) */
  double road_cost, road_money, handle_cost, rail_money;
  double acc_t, egr_t, acc_km, egr_km; /* the road legs' s and km */
  int handle_s;
} ChainParts;

/* Stage 1: truck only, on the physical network (a truck ban closes its
 * links and the links out of its nodes, but for the origin's); fills
 * out->truck_*. */
static void plan_truck(ThFreightPlanner *p, const FreightQuery *q, ThFreightPlan *out) {
  const ThNetwork *net = p->layers->net;
  const ThClass *cls = q->cls;
  const double *road_time_s = q->road_time_s;
  for (int e = 0; e < net->n_links; e++) {
    double km = net->length_m[e] / 1000.0;
    double t = road_time_s ? road_time_s[e] : net->free_time_s[e];
    p->w_road[e] = t * q->vot_s + (km * cls->cost_per_km + net->toll[e]) / q->tpt +
                   km * net->cost_per_tkm[e] + km * p->lv.truck_surcharge_per_tkm;
    if (p->ban && (p->ban->link[e] || p->ban->node[net->link_from[e]])) p->w_road[e] = INFINITY;
  }
  open_node(p, q->origin, TRUE);
  th_sp_run(p->sp_road, q->origin, p->w_road, TH_MODE_ROAD);
  open_node(p, q->origin, FALSE);
  if (isfinite(th_sp_dist(p->sp_road)[q->dest])) {
    out->truck_cost_per_t = th_sp_dist(p->sp_road)[q->dest];
    const int *pred = th_sp_pred_link(p->sp_road);
    double T = 0, K = 0;
    for (int v = q->dest; v != q->origin;) {
      int e = pred[v];
      T += road_time_s ? road_time_s[e] : net->free_time_s[e];
      K += net->length_m[e] / 1000.0;
      v = net->link_from[e];
    }
    out->truck_time_s = (int)lround(T);
    out->truck_km = K;
  }
}

/* Stage 2: the layered graph's weights for the shipment into p->w_layer:
 * the links' freight cost, the commodity's surcharges, boarding of a part
 * load only at a park that consolidates it, the truck ban on the road
 * layer, the expected hub queues. */
static void chain_weights(ThFreightPlanner *p, const FreightQuery *q) {
  const ThLayers *L = p->layers;
  const ThNetwork *net = L->net, *g = L->g;
  th_layers_freight_weights(L, q->tonnes, q->cls->vot_per_h, q->cls->cost_per_km, q->tpt, 0,
                            q->road_time_s, p->w_layer);
  /* the commodity's levers: truck and rail surcharges per tonne-km */
  if (p->lv.truck_surcharge_per_tkm != 0 || p->lv.rail_surcharge_per_tkm != 0)
    for (int e = 0; e < g->n_links; e++)
      if (L->link_kind[e] == TH_LLINK_TRAVEL && isfinite(p->w_layer[e])) {
        double km = net->length_m[L->link_orig[e]] / 1000.0;
        gboolean road = L->node_layer[g->link_from[e]] == TH_LAYER_ROAD;
        p->w_layer[e] += km * (road ? p->lv.truck_surcharge_per_tkm : p->lv.rail_surcharge_per_tkm);
        if (p->w_layer[e] < 0) p->w_layer[e] = 0; /* a subsidy cannot make a link pay */
      }
  /* consolidation: a part load boards trains only at a park that
   * consolidates loads of its size (hubs.h consolidate_max_t); stations take
   * wagonloads */
  if (q->part_load)
    for (int e = 0; e < g->n_links; e++)
      if (L->link_kind[e] == TH_LLINK_BOARD && isfinite(p->w_layer[e])) {
        const ThHub *h = th_hubs_at(p->hubs, L->node_orig[g->link_from[e]]);
        if (!h || h->consolidate_max_t < q->tonnes) p->w_layer[e] = INFINITY;
      }
  /* the truck ban on the road layer: banned links, and no passing through a
   * banned node but at the origin */
  if (p->ban)
    for (int e = 0; e < g->n_links; e++)
      if (L->link_kind[e] == TH_LLINK_TRAVEL && L->node_layer[g->link_from[e]] == TH_LAYER_ROAD) {
        int pe = L->link_orig[e], u = net->link_from[pe];
        if (p->ban->link[pe] || (p->ban->node[u] && u != q->origin)) p->w_layer[e] = INFINITY;
      }
  if (p->hub_delay_s)
    for (int e = 0; e < g->n_links; e++)
      if (L->link_kind[e] != TH_LLINK_TRAVEL && isfinite(p->w_layer[e])) {
        int hub = L->node_orig[L->link_kind[e] == TH_LLINK_BOARD ? g->link_from[e] : g->link_to[e]];
        p->w_layer[e] += p->hub_delay_s[hub] * q->vot_s;
      }
}

/* Stage 3: the cheapest path on the layered graph into p->path (stored
 * backwards), or the best chain with a rail ride (best_rail_chain) when
 * that path has none; its first boarding and last alighting into *X (-1:
 * none). */
static void chain_path(ThFreightPlanner *p, const FreightQuery *q, ChainParts *x) {
  const ThLayers *L = p->layers;
  const ThNetwork *g = L->g;
  int go = th_layers_node(L, TH_LAYER_ROAD, q->origin),
      gd = th_layers_node(L, TH_LAYER_ROAD, q->dest);
  th_sp_run(p->sp_layer, go, p->w_layer, LAYER_MODES);
  x->first_board = x->last_alight = -1;
  g_array_set_size(p->path, 0);
  if (isfinite(th_sp_dist(p->sp_layer)[gd])) {
    const int *pred = th_sp_pred_link(p->sp_layer);
    for (int v = gd; v != go;) {
      int e = pred[v];
      g_array_append_val(p->path, e);
      v = g->link_from[e];
    }
  }
  if (!path_has_ride(p)) best_rail_chain(p, q->dest, go);
  for (int i = (int)p->path->len - 1; i >= 0; i--) {
    int e = g_array_index(p->path, int, i);
    if (L->link_kind[e] == TH_LLINK_BOARD && x->first_board < 0) x->first_board = i;
    if (L->link_kind[e] == TH_LLINK_ALIGHT) x->last_alight = i;
  }
}

/* Stage 4: the chain's costs, money, times and km by part, summed along
 * p->path into *X. */
static void chain_parts(ThFreightPlanner *p, const FreightQuery *q, ChainParts *x) {
  const ThLayers *L = p->layers;
  const ThNetwork *net = L->net, *g = L->g;
  const ThClass *cls = q->cls;
  x->road_cost = x->road_money = x->handle_cost = x->rail_money = 0;
  x->acc_t = x->egr_t = x->acc_km = x->egr_km = 0;
  x->handle_s = 0;
  for (int i = (int)p->path->len - 1; i >= 0; i--) {
    int e = g_array_index(p->path, int, i);
    int pe = L->link_orig[e];
    if (L->link_kind[e] != TH_LLINK_TRAVEL) {
      x->handle_cost += p->w_layer[e];
      x->handle_s += (int)lround(q->tonnes / L->link_handling_tph[e] * 3600.0);
      continue;
    }
    double km = net->length_m[pe] / 1000.0;
    if (i > x->first_board || i < x->last_alight) {
      x->road_cost += p->w_layer[e];
      x->road_money += (km * cls->cost_per_km + net->toll[pe]) / q->tpt +
                       km * net->cost_per_tkm[pe] + km * p->lv.truck_surcharge_per_tkm;
      double t = q->road_time_s ? q->road_time_s[pe] : net->free_time_s[pe];
      if (i > x->first_board)
        x->acc_t += t, x->acc_km += km;
      else
        x->egr_t += t, x->egr_km += km;
    } else if (L->node_layer[g->link_from[e]] != TH_LAYER_ROAD) {
      x->rail_money += MAX(0, km * (net->cost_per_tkm[pe] + p->lv.rail_surcharge_per_tkm));
    } else {
      x->road_cost += p->w_layer[e]; /* a road stretch between two rail rides */
      x->road_money +=
          (km * cls->cost_per_km + net->toll[pe]) / q->tpt + km * net->cost_per_tkm[pe];
    }
  }
}

/* Stage 5: the chain on the freight timetable: the runs from the first hub
 * after the access leg and its handling to the last, and the chain's
 * generalized cost and money per tonne into out's rail fields when a run
 * carries it. */
static void chain_timetable(ThFreightPlanner *p, const FreightQuery *q, const ChainParts *x,
                            ThFreightPlan *out) {
  const ThLayers *L = p->layers;
  const ThNetwork *g = L->g;
  int hub_a = L->node_orig[g->link_from[g_array_index(p->path, int, x->first_board)]];
  int hub_b = L->node_orig[g->link_to[g_array_index(p->path, int, x->last_alight)]];
  double rate_a = L->link_handling_tph[g_array_index(p->path, int, x->first_board)];
  double rate_b = L->link_handling_tph[g_array_index(p->path, int, x->last_alight)];
  int hs_a = (int)lround(q->tonnes / rate_a * 3600.0),
      hs_b = (int)lround(q->tonnes / rate_b * 3600.0);
  /* the expected hub queue is in the cost (weights) only: the timetable
   * check uses the handling time, so one bad day does not make the chain
   * look infeasible to everyone */
  int ns;
  const int *stops = th_transit_router_stops(p->router, &ns);
  for (int s = 0; s < ns; s++) {
    p->access[s] = stops[s] == hub_a ? (int)lround(x->acc_t) + hs_a : -1;
    p->egress[s] = stops[s] == hub_b ? hs_b + (int)lround(x->egr_t) : -1;
  }
  ThTransitJourney j;
  th_transit_route(p->router, q->depart_s, p->access, p->egress, q->horizon_s, &j);
  if (j.n_legs == 0) return;
  j.legs[0].handle_before = 1;
  j.legs[j.n_legs - 1].handle_after = 1;
  /* the ride's time is the timetable's, its money the links' cost per tonne-km */
  double c = x->road_cost + x->handle_cost + x->rail_money + j.fare +
             q->vot_s * (j.in_vehicle_s + q->ww * j.wait_s + q->xw * j.transfer_s);
  out->rail_cost_per_t = c;
  out->hub_from = hub_a;
  out->hub_to = hub_b;
  out->access_s = (int)lround(x->acc_t);
  out->egress_s = (int)lround(x->egr_t);
  out->access_km = x->acc_km;
  out->egress_km = x->egr_km;
  out->handling_s = x->handle_s;
  double hc = 0;
  const ThHub *ha = th_hubs_at(p->hubs, hub_a), *hb = th_hubs_at(p->hubs, hub_b);
  if (ha) hc += ha->handling_cost_per_t;
  if (hb) hc += hb->handling_cost_per_t;
  out->handling_cost_per_t = hc;
  out->money_per_t = x->road_money + hc + x->rail_money + j.fare;
  out->ride_km = j.km;
  out->rail = j;
}

/* The stages: 1. the own truck (plan_truck); 2.-5. the best chain through
 * the hubs (chain_weights, chain_path, chain_parts, chain_timetable);
 * 6. a part load's consolidated road haul through a park; then the
 * cheapest of them. */
void th_freight_plan(ThFreightPlanner *p, const ThClass *cls, int origin, int dest, int depart_s,
                     double tonnes, const double *road_time_s, int horizon_s, ThFreightPlan *out) {
  memset(out, 0, sizeof *out);
  out->hub_from = out->hub_to = -1;
  out->truck_cost_per_t = out->rail_cost_per_t = out->gen_cost_per_t = INFINITY;
  /* a part load pays its truck alone (truck_share_t) */
  const FreightQuery q = {
      .cls = cls,
      .origin = origin,
      .dest = dest,
      .depart_s = depart_s,
      .horizon_s = horizon_s,
      .tonnes = tonnes,
      .road_time_s = road_time_s,
      .tpt = truck_share_t(cls, tonnes),
      .part_load = tonnes > 0 && tonnes<(cls->tonnes_per_vehicle > 0 ? cls->tonnes_per_vehicle : 1),
                                        .vot_s = cls->vot_per_h / 3600.0, .ww = cls->wait_weight> 0
                       ? cls->wait_weight
                       : 1,
      .xw = cls->transfer_weight > 0 ? cls->transfer_weight : 1,
  };
  p->cur_cls = cls;
  p->cur_tpt = q.tpt;
  if (road_time_s != p->cur_times) {
    g_hash_table_remove_all(p->egress_cache);
    p->cur_times = road_time_s;
  }
  plan_truck(p, &q, out);
  ChainParts x;
  chain_weights(p, &q);
  chain_path(p, &q, &x);
  if (x.first_board >= 0 && x.last_alight >= 0) {
    chain_parts(p, &q, &x);
    chain_timetable(p, &q, &x, out);
  }
  /* 6. a part load's consolidated road haul through a park */
  out->cons_hub = -1;
  out->cons_cost_per_t = INFINITY;
  if (q.part_load) consolidated_haul(p, cls, origin, dest, tonnes, road_time_s, out);
  double road = MIN(out->truck_cost_per_t, out->cons_cost_per_t);
  if (out->rail_cost_per_t < road) {
    out->by_rail = TRUE;
    out->gen_cost_per_t = out->rail_cost_per_t;
  } else {
    /* the chain stays described (hubs, legs): a shipment that must go by
     * rail, or that the logit sends by rail, drives to hub_from */
    out->by_rail = FALSE;
    out->gen_cost_per_t = road;
  }
}

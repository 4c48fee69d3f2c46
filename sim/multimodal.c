/* multimodal.c: mode choice, road engine and transit runs, iterated (see multimodal.h). */
#include "sim/multimodal.h"
#include "network/parallel.h"

#include "network/layers.h"
#include "network/paths.h"
#include "network/th-error.h"
#include "sim/freight.h"
#include "sim/params.h"

#include <math.h>
#include <string.h>

void th_multimodal_params_init(ThMultimodalParams *p) {
  memset(p, 0, sizeof *p);
  /* the numbers: th_param_table (sim/params.c), the one place they are written */
  th_params_set_defaults(th_param_table, TH_PARAM_IN_MULTIMODAL, p);
}

void th_multimodal_results_free(ThMultimodalResults *r) {
  if (!r) return;
  th_run_results_free(r->run);
  g_free(r->runs);
  g_free(r->stops);
  g_free(r->hubs);
  g_free(r);
}

/* What one trip does this iteration. */
typedef struct {
  uint32_t mode;          /* TH_MODE_ROAD or a service mode; 0: unserved */
  gboolean freight_chain; /* truck-hub-train-hub-truck */
  int sub;                /* its trip in the road subset (road trip or access leg), -1 */
  int access_node;        /* end of the access leg; -1 for road trips (a consolidated part load: its park) */
  ThAccessMode access_mode, egress_mode; /* passengers: how they reach and leave the lines */
  ThTransitJourney j;
  double access_km, egress_km;
  double money_unit;      /* yuan per traveller or per tonne: fares, handling, chain money */
  int cons_hub;           /* a part load's consolidated road haul (freight.h): its park; -1 */
  int cons_handle_s, cons_after_s; /* handling at the park; it and the full truck's drive on */
  double cons_onward_km;  /* that drive */
  int wait_until_s;       /* a banned truck waiting for the window to end (truck-ban.h): when it
                           * leaves; -1 */
  double gc_unit;         /* planned generalized cost per unit */
  double own_s, own_km;   /* walk or e-bike: the whole trip's time and length */
} Plan;

#define N_ALT_MAX 7 /* road + four service modes + walk + e-bike */

static gboolean own_mode(uint32_t mode) { return mode == TH_MODE_WALK || mode == TH_MODE_EBIKE; }

/* The state of one th_simulate_multimodal call, shared by its steps: the
 * inputs, the layered network and its searches (routers per passenger mode,
 * freight planner), the road times, egress tables and the feedback that
 * carries from one choice iteration to the next (hub delays, crowding,
 * freight lost to full runs), and every traveller's current plan. */
typedef struct {
  const ThNetwork *net;
  const ThTrips *trips;
  const ThClassTable *classes;
  const ThSimParams *p;
  const ThMultimodalParams *mp;
  const ThServices *sv;
  const ThHubs *hubs;
  ThServices *empty_sv;
  ThLayers *layers;
  int n_rt;
  uint32_t rt_mode[N_ALT_MAX];
  ThTransitRouter *rt[N_ALT_MAX];
  ThFreightPlanner *fp;
  ThShortestPaths *sp;
  double *road_time;      /* per link, s */
  /* egress: road time from each passenger stop to every node */
  int n_estops;
  int *estop_row;         /* node -> row, or -1 */
  float *egress_tab;      /* n_estops x n_nodes, s (INFINITY: none) */
  float *egress_km;       /* n_estops x n_nodes, km along those paths */
  int *estop_node;        /* row -> node */
  double *access_km;      /* per row, km from the current origin */
  double *hub_delay;      /* per node: expected hub queue, s */
  /* capacity feedback: expected extra wait of a boarding at (line, stop,
   * hour of the planned departure), s; see crowd_update */
  int *crowd_base;        /* per line: first cell */
  int crowd_hours;
  double *crowd_s;
  double *freight_lost_s; /* per node: this iteration's mean wait lost to full freight runs there */
  /* in-vehicle crowding: load factor of each run leaving each stop, MSA
   * over the iterations (th_crowding_multiplier), and its weight */
  int *lf_base; /* per run: first slot */
  double *lf;
  double crowding;
  guint8 *disrupted;      /* per trip: a passenger left behind or stranded by full runs in the
                           * last transit day; it reconsiders its mode in the next plan */
  Plan *plan;
  ThChoiceParams *default_choice;
  ThAccessRules access_rules;  /* of the choice parameters, speeds of [sim] walk_kmh, ebike_kmh */
  const ThAccessRules *access; /* = &access_rules */
  ThAccessRules access_no_car; /* the same without car legs (main-mode rule) */
} MultimodalState;

/* What one planning thread owns: searches keep per-query state. */
typedef struct {
  ThShortestPaths *sp;
  ThTransitRouter *rt[N_ALT_MAX];
  ThFreightPlanner *fp;
  double *access_km;      /* per egress-stop row, km from the current origin */
} Worker;

static const ThChoiceParams *choice(MultimodalState *m) {
  return m->mp->choice ? m->mp->choice : m->default_choice;
}

/* The market of trip A (sim/observed.h) by its end zones against the study
 * area (mp->internal; NULL: every zone inside; an end that is no zone is
 * outside a given study area). */
static ThMarket trip_market(const MultimodalState *m, int a) {
  const guint8 *in = m->mp->internal;
  if (!in) return TH_MARKET_INTERNAL;
  int oz = m->trips->origin_zone[a], dz = m->trips->destination_zone[a];
  return th_market_of(oz >= 0 && in[oz], dz >= 0 && in[dz]);
}

static int cmp_by_dist(const void *a, const void *b, void *d) {
  const double *dist = d;
  int x = *(const int *)a, y = *(const int *)b;
  if (dist[x] != dist[y]) return dist[x] < dist[y] ? -1 : 1;
  return x - y;
}

/* Road time and km from every passenger stop to every node (egress legs). */
static void compute_egress(MultimodalState *m) {
  const ThNetwork *net = m->net;
  int *order = g_new(int, net->n_nodes + 1);
  for (int r = 0; r < m->n_estops; r++) {
    th_sp_run(m->sp, m->estop_node[r], m->road_time, TH_MODE_ROAD);
    const double *d = th_sp_dist(m->sp);
    const int *pred = th_sp_pred_link(m->sp);
    float *T = m->egress_tab + (size_t)r * net->n_nodes, *K = m->egress_km + (size_t)r * net->n_nodes;
    for (int x = 0; x < net->n_nodes; x++) {
      T[x] = (float)d[x];
      order[x] = x;
    }
    /* km along the shortest-path tree: parents come before children in distance order */
    g_qsort_with_data(order, net->n_nodes, sizeof(int), cmp_by_dist, (gpointer)d);
    for (int i = 0; i < net->n_nodes; i++) {
      int v = order[i], e = pred[v];
      K[v] = e < 0 ? 0.0f : K[net->link_from[e]] + (float)(net->length_m[e] / 1000.0);
    }
  }
  g_free(order);
}

/* Car (or truck-only) along the time-shortest road path from the last
 * search's source to DEST: time, km and money per vehicle. */
static gboolean road_path(MultimodalState *m, ThShortestPaths *sp, int origin, int dest, double *time_s,
                          double *km, double *toll) {
  const double *d = th_sp_dist(sp);
  if (!isfinite(d[dest])) return FALSE;
  const int *pred = th_sp_pred_link(sp);
  double K = 0, T = 0;
  for (int v = dest; v != origin;) {
    int e = pred[v];
    K += m->net->length_m[e] / 1000.0;
    T += m->net->toll[e];
    v = m->net->link_from[e];
  }
  *time_s = d[dest];
  *km = K;
  *toll = T;
  return TRUE;
}

/* The longest ride of J, km: what decides its main mode (sim/access.h). */
static double longest_ride_km(const ThServices *sv, const ThTransitJourney *j) {
  double best = 0;
  for (int l = 0; l < j->n_legs; l++) {
    const ThServiceLine *L = &sv->lines[j->legs[l].line];
    double km = 0;
    for (int k = j->legs[l].board_k; k < j->legs[l].alight_k; k++) km += L->seg_len_m[k] / 1000.0;
    best = MAX(best, km);
  }
  return best;
}

/* The access (or egress) leg to (from) STOP under RULES, over a road path of
 * KM driven in CAR_S: its mode, and its seconds in *DUR (-1: none). */
static ThAccessMode leg_rule(const MultimodalState *m, const ThAccessRules *rules, int stop,
                             double km, double car_s, int *dur) {
  return th_access_leg(rules, km, car_s, th_access_park_and_ride(m->hubs, stop), dur);
}

static int cmp_origin(const void *a, const void *b, void *data) {
  const int *o = data;
  int x = *(const int *)a, y = *(const int *)b;
  if (o[x] != o[y]) return o[x] < o[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* The crowding cell of a boarding of LINE at stop K on run RUN. */
static int crowd_cell(const MultimodalState *m, int line, int k, int run) {
  int h = th_run_dep_s(m->sv, run, k) / 3600;
  h = CLAMP(h, 0, m->crowd_hours - 1);
  return (m->crowd_base[line] + k) * m->crowd_hours + h;
}

/* Extra wait the last iterations' riders met at the boardings of J, s. */
static double crowd_extra_s(const MultimodalState *m, const ThTransitJourney *j) {
  double x = 0;
  for (int l = 0; l < j->n_legs; l++) x += m->crowd_s[crowd_cell(m, j->legs[l].line, j->legs[l].board_k, j->legs[l].run)];
  return x;
}

/* Extra in-vehicle seconds that crowding adds to J's rides: each segment's
 * riding time x crowding x (multiplier at the load factor - 1), the load
 * factor expected from the last iterations (TS NULL) or the one TS met. */
static double crowding_extra_s(const MultimodalState *m, const ThTransitJourney *j,
                               const ThTransitSim *ts) {
  if (m->crowding <= 0) return 0;
  double x = 0;
  for (int l = 0; l < j->n_legs; l++) {
    const ThTransitLeg *lg = &j->legs[l];
    for (int k = lg->board_k; k < lg->alight_k; k++) {
      double ride = th_run_arr_s(m->sv, lg->run, k + 1) - th_run_dep_s(m->sv, lg->run, k);
      double lf = ts ? th_transit_sim_load_factor(ts, lg->run, k) : m->lf[m->lf_base[lg->run] + k];
      x += ride * (th_crowding_multiplier(lf) - 1.0);
    }
  }
  return m->crowding * x;
}

/* Capacity feedback after the run simulation of iteration K: each passenger
 * who rode (or tried to) is charged at the first boarding of its journey
 * (a shipment: at the hub where it boards, added to that hub's expected
 * queue, which the freight planner already weighs)
 * the wait it lost to full runs (its experienced wait at stops minus the
 * planned one, when it was left behind at least once) or, when it did not
 * arrive (no run with room was left that day, or it was still waiting or
 * queueing at a hub at the horizon), TH_STRANDED_WAIT_S. The mean per
 * (line, stop, hour) is averaged with the previous iterations' (MSA, 1/k),
 * like the hub queues, and the next plans add it to the journey's waiting
 * time (weighted by the class's wait_weight). A passenger charged anything
 * (left behind at least once, or not arrived) is marked disrupted: it
 * reconsiders its mode in the next plan whatever its MSA draw. */
static void crowd_update(MultimodalState *m, const ThTransitSim *ts, const int *rider_of, int k) {
  const int n_cells = m->crowd_base[m->sv->n_lines] * m->crowd_hours;
  double *sum = g_new0(double, n_cells + 1), *cnt = g_new0(double, n_cells + 1);
  const int nn = m->net->n_nodes;
  double *fsum = g_new0(double, nn + 1), *fcnt = g_new0(double, nn + 1);
  for (int a = 0; a < m->trips->n; a++) {
    const Plan *P = &m->plan[a];
    m->disrupted[a] = 0;
    if (rider_of[a] < 0 || P->j.n_legs == 0) continue;
    const ThRiderResult *rs = th_transit_sim_rider(ts, rider_of[a]);
    double extra = rs->status != TH_RIDER_ARRIVED         ? TH_STRANDED_WAIT_S
                   : rs->left_behind > 0 || rs->held > 0 ? MAX(0, rs->wait_s - P->j.wait_s)
                                                         : 0;
    if (P->freight_chain) { /* shipments: charged to the hub where they board */
      int v = m->sv->lines[P->j.legs[0].line].stop[P->j.legs[0].board_k];
      fsum[v] += extra;
      fcnt[v] += 1;
      continue;
    }
    int c = crowd_cell(m, P->j.legs[0].line, P->j.legs[0].board_k, P->j.legs[0].run);
    m->disrupted[a] = rs->status != TH_RIDER_ARRIVED || rs->left_behind > 0 || rs->held > 0;
    sum[c] += extra;
    cnt[c] += 1;
  }
  for (int v = 0; v < nn; v++) m->freight_lost_s[v] = fcnt[v] > 0 ? fsum[v] / fcnt[v] : 0;
  g_free(fsum);
  g_free(fcnt);
  for (int c = 0; c < n_cells; c++) {
    double obs = cnt[c] > 0 ? sum[c] / cnt[c] : 0;
    m->crowd_s[c] = k == 1 ? obs : m->crowd_s[c] + (obs - m->crowd_s[c]) / k;
  }
  g_free(sum);
  g_free(cnt);
}

/* Kilometres J drives by car (its car access and egress legs) to DEST. */
static double leg_car_km(const MultimodalState *m, const Worker *w, const ThTransitJourney *j,
                         ThAccessMode am, ThAccessMode em, int dest) {
  double km = 0;
  if (am == TH_ACCESS_CAR) km += w->access_km[m->estop_row[j->access_node]];
  if (em == TH_ACCESS_CAR)
    km += m->egress_km[(size_t)m->estop_row[j->egress_node] * m->net->n_nodes + dest];
  return km;
}

/* The walk and e-bike alternatives (multimodal.h) of a traveller of class C
 * whose trip fixes mode FIXED (0: none) and whose road path is KM long
 * (INFINITY: none), appended at *N_ALT to the logit's arrays when the mode
 * is on: time KM / speed (into OWN_S), no money, available up to the mode's
 * distance. O(1). */
static void own_alternatives(MultimodalState *m, const ThClass *c, uint32_t fixed, double km,
                             uint32_t *alt_mode, double *asc, double *cost, double *own_s,
                             int *n_alt) {
  const uint32_t own[2] = {TH_MODE_WALK, TH_MODE_EBIKE};
  const double own_kmh[2] = {m->mp->walk_kmh, m->mp->ebike_kmh},
               own_max[2] = {m->mp->walk_max_km, m->mp->ebike_max_km};
  for (int i = 0; i < 2; i++) {
    if (!(own_max[i] > 0) || !(own_kmh[i] > 0)) continue;
    int k = (*n_alt)++;
    alt_mode[k] = own[i];
    asc[k] = th_choice_params_asc(choice(m), c->name, own[i]);
    cost[k] = INFINITY;
    if ((fixed == 0 || fixed == own[i]) && km <= own_max[i]) {
      own_s[k] = km / own_kmh[i] * 3600.0;
      ThCostParts parts = {.in_vehicle_s = own_s[k]};
      cost[k] = th_gen_cost(c, &parts);
    }
  }
}

/* One trip's turn in plan_range, shared by its stages: the trip, its class,
 * the outer iteration and whether the trip reconsiders its mode in it. */
typedef struct {
  int a;               /* trip */
  int k;               /* outer iteration, 1-based */
  const ThClass *c;    /* its class */
  uint32_t old;        /* the mode of its current plan; 0: none */
  gboolean reconsider; /* a share 1/k (MSA) and every disrupted passenger */
} TripTurn;

/* What the freight planner offers one shipment (freight_options): the
 * chain through the hubs, the own truck, the consolidated haul through a
 * park, and waiting out a truck ban; which of them the trip may take. */
typedef struct {
  ThFreightPlan fp;
  const ThFreightLevers *lv; /* the class's levers; NULL: none */
  int wait_until;            /* a banned truck's departure at the window's end; -1 */
  gboolean rail_ok, truck_ok;
  gboolean cons;    /* the road alternative is the consolidated haul */
  gboolean wait;    /* the road alternative is waiting out the ban */
  double road_cost; /* the road alternative's generalized cost per tonne */
} FreightOptions;

/* Freight stage 1: plans the shipment with worker W's freight planner under
 * its class's levers and a truck ban active at its departure, plans waiting
 * for the window's end, and decides which alternatives are open (a fixed
 * mode, 公转铁 above the class's rail distance). */
static void freight_options(MultimodalState *m, Worker *w, const TripTurn *tt, FreightOptions *o) {
  const ThTrips *t = m->trips;
  const ThClass *c = tt->c;
  int a = tt->a;
  ThFreightPlan *fp = &o->fp;
  o->lv = m->mp->freight_levers ? &m->mp->freight_levers[t->cls[a]] : NULL;
  th_freight_planner_set_levers(w->fp, o->lv);
  /* a truck ban (truck-ban.h) when the shipment leaves inside its window */
  const ThTruckBan *ban = m->p->truck_ban;
  gboolean banned = th_truck_ban_class(ban, t->cls[a]) && th_truck_ban_active(ban, t->depart_s[a]);
  th_freight_planner_set_ban(w->fp, banned ? ban : NULL);
  th_freight_plan(w->fp, c, t->origin[a], t->destination[a], t->depart_s[a], t->tonnes[a],
                  m->road_time, m->p->horizon_s, fp);
  /* or wait at the origin until the window ends, then drive unbanned */
  double wait_cost = INFINITY;
  o->wait_until = banned ? th_truck_ban_ends(ban, t->depart_s[a]) : -1;
  if (o->wait_until >= 0 && o->wait_until < m->p->horizon_s) {
    ThFreightPlan fw;
    th_freight_planner_set_ban(w->fp, NULL);
    th_freight_plan(w->fp, c, t->origin[a], t->destination[a], o->wait_until, t->tonnes[a],
                    m->road_time, m->p->horizon_s, &fw);
    double ww = c->wait_weight > 0 ? c->wait_weight : 1;
    wait_cost = fw.truck_cost_per_t + ww * c->vot_per_h * (o->wait_until - t->depart_s[a]) / 3600.0;
  }
  o->rail_ok = isfinite(fp->rail_cost_per_t) && (t->mode[a] == 0 || (t->mode[a] & TH_MODE_RAIL));
  o->truck_ok = isfinite(fp->truck_cost_per_t) && (t->mode[a] == 0 || t->mode[a] == TH_MODE_ROAD);
  o->cons = fp->cons_cost_per_t < fp->truck_cost_per_t;
  o->wait = wait_cost < MIN(fp->truck_cost_per_t, fp->cons_cost_per_t);
  if (o->wait) o->cons = FALSE;
  if ((o->cons || o->wait) && (t->mode[a] == 0 || t->mode[a] == TH_MODE_ROAD)) o->truck_ok = TRUE;
  /* 公转铁: bulk over the class's distance goes by rail when it can */
  if (o->lv && o->lv->rail_min_km > 0 && fp->truck_km >= o->lv->rail_min_km && o->rail_ok &&
      t->mode[a] == 0)
    o->truck_ok = FALSE;
  /* the road alternative: the own truck or, for a part load, the
   * consolidated haul through a park when that is cheaper */
  o->road_cost = o->wait ? wait_cost : o->cons ? fp->cons_cost_per_t : fp->truck_cost_per_t;
}

/* Freight stage 2: whether the shipment goes by the rail chain: a logit
 * between road and rail, like passengers' modes; a shipment that does not
 * reconsider this iteration keeps its mode while it exists. */
static gboolean freight_choose_rail(MultimodalState *m, const TripTurn *tt,
                                    const FreightOptions *o) {
  const ThClass *c = tt->c;
  double fc[2] = {o->truck_ok ? o->road_cost : INFINITY,
                  o->rail_ok ? o->fp.rail_cost_per_t : INFINITY};
  ThMarket mk = trip_market(m, tt->a);
  double fa[2] = {th_choice_params_asc_market(choice(m), c->name, TH_MODE_ROAD, mk),
                  th_choice_params_asc_market(choice(m), c->name, TH_MODE_RAIL, mk)};
  double fpb[2];
  gboolean rail = FALSE;
  if (th_logit_probs(2, fc, fa, th_choice_params_scale(choice(m), c->name), fpb) >= 0) {
    if (!tt->reconsider && tt->old == TH_MODE_ROAD && o->truck_ok)
      rail = FALSE;
    else if (!tt->reconsider && tt->old && tt->old != TH_MODE_ROAD && o->rail_ok)
      rail = TRUE;
    else
      rail =
          th_logit_pick(
              2, fpb, th_agent_uniform(m->p->seed, m->trips->id[tt->a], tt->k, TH_DRAW_MODE)) == 1;
  }
  return rail;
}

/* Freight stage 3: the plan of the chosen alternative into *NP: the rail
 * chain with its hub legs, or the road (own truck, consolidated haul or
 * waiting out the ban), or no mode when neither is open. */
static void freight_plan_of(const FreightOptions *o, gboolean rail, Plan *np) {
  const ThFreightPlan *fp = &o->fp;
  if (rail) {
    np->mode = fp->rail.modes ? (fp->rail.modes & -fp->rail.modes) : TH_MODE_RAIL;
    np->freight_chain = TRUE;
    np->access_node = fp->hub_from;
    np->j = fp->rail;
    np->j.access_s = fp->access_s;
    np->j.egress_s = fp->egress_s;
    np->access_km = fp->access_km;
    np->egress_km = fp->egress_km;
    np->money_unit = fp->money_per_t;
    np->gc_unit = fp->rail_cost_per_t;
  } else if (o->truck_ok) {
    np->mode = TH_MODE_ROAD;
    np->gc_unit = o->road_cost;
    if (o->wait) np->wait_until_s = o->wait_until;
    if (o->cons) {
      np->cons_hub = fp->cons_hub;
      np->access_node = fp->cons_hub;
      np->cons_handle_s = fp->cons_handling_s;
      np->cons_after_s = fp->cons_handling_s + fp->cons_onward_s;
      np->cons_onward_km = fp->cons_onward_km;
      np->access_km = fp->cons_access_km;
      np->money_unit = fp->cons_money_per_t;
    }
  }
}

/* The alternatives of one passenger trip as the logit sees them, filled by
 * the passenger stages: index 0 the car, then walk and e-bike
 * (own_alternatives), then from FIRST_RT one per transit router. */
typedef struct {
  int n_alt, first_rt;
  uint32_t alt_mode[N_ALT_MAX];
  double cost[N_ALT_MAX], asc[N_ALT_MAX], prob[N_ALT_MAX];
  double own_s[N_ALT_MAX];                   /* walk, e-bike: the trip's time */
  ThTransitJourney js[N_ALT_MAX];            /* transit: the journey */
  ThAccessMode am[N_ALT_MAX], em[N_ALT_MAX]; /* transit: access and egress modes */
  double tt, km, toll;                       /* the road path: time s, length km, toll */
  gboolean path;                             /* there is one */
  gboolean car_ok;                           /* the traveller may drive */
  ThMarket market;
  int *acc, *egr; /* per stop of a router: scratch for the access and egress rules */
} PassengerAlts;

/* Passenger stage 1: one road search per origin, shared by the trips from
 * it (they are sorted by origin); the road km to every egress-stop row. */
static void origin_search(MultimodalState *m, Worker *w, int origin, int *last_origin) {
  if (origin == *last_origin) return;
  th_sp_run(w->sp, origin, m->road_time, TH_MODE_ROAD);
  *last_origin = origin;
  for (int r = 0; r < m->n_estops; r++) {
    double tt_, km_ = 0, toll_;
    if (!road_path(m, w->sp, origin, m->estop_node[r], &tt_, &km_, &toll_)) km_ = 0;
    w->access_km[r] = km_;
  }
}

/* Passenger stage 2: the car alternative; not for a traveller without one
 * (car-ownership.h) unless the trip fixes it. */
static void road_alternative(MultimodalState *m, Worker *w, const TripTurn *tt, PassengerAlts *x) {
  const ThTrips *t = m->trips;
  int a = tt->a;
  x->path = road_path(m, w->sp, t->origin[a], t->destination[a], &x->tt, &x->km, &x->toll);
  x->car_ok = t->mode[a] == TH_MODE_ROAD ||
              (t->mode[a] == 0 && (!m->mp->car_available || m->mp->car_available[a]));
  int n = x->n_alt;
  x->alt_mode[n] = TH_MODE_ROAD;
  x->asc[n] = th_choice_params_asc_market(choice(m), tt->c->name, TH_MODE_ROAD, x->market);
  if (x->car_ok && x->path) {
    ThCostParts parts = {.in_vehicle_s = x->tt, .money = x->km * tt->c->cost_per_km + x->toll};
    x->cost[n] = th_gen_cost(tt->c, &parts);
  } else {
    x->cost[n] = INFINITY;
  }
  x->n_alt++;
}

/* Passenger stage 3: the alternative of transit router I. Access and egress
 * by walk, bike or car (sim/access.h); a journey whose car leg outruns its
 * longest ride is a car trip: searched again with walk and bike only. */
static void transit_alternative(MultimodalState *m, Worker *w, const TripTurn *tt, int i,
                                PassengerAlts *x) {
  const ThNetwork *net = m->net;
  const ThTrips *t = m->trips;
  const ThClass *c = tt->c;
  int a = tt->a, n = x->n_alt;
  const double *dist = th_sp_dist(w->sp);
  int *acc = x->acc, *egr = x->egr;
  x->alt_mode[n] = m->rt_mode[i];
  x->asc[n] = th_choice_params_asc_market(choice(m), c->name, m->rt_mode[i], x->market);
  x->cost[n] = INFINITY;
  memset(&x->js[n], 0, sizeof x->js[n]);
  x->n_alt++;
  if (!(t->mode[a] == 0 || t->mode[a] == m->rt_mode[i])) return;
  int ns;
  const int *stops = th_transit_router_stops(w->rt[i], &ns);
  int dest = t->destination[a];
  ThTransitJourney *j = &x->js[n];
  for (int pass = 0; pass < 2; pass++) {
    const ThAccessRules *rules = pass == 0 ? m->access : &m->access_no_car;
    for (int s = 0; s < ns; s++) {
      int row = m->estop_row[stops[s]];
      size_t at = (size_t)row * net->n_nodes + dest;
      leg_rule(m, rules, stops[s], w->access_km[row], dist[stops[s]], &acc[s]);
      leg_rule(m, rules, stops[s], m->egress_km[at], m->egress_tab[at], &egr[s]);
    }
    th_transit_route(w->rt[i], t->depart_s[a], acc, egr, m->p->horizon_s, j);
    if (j->n_legs == 0) break;
    int arow = m->estop_row[j->access_node];
    size_t eat = (size_t)m->estop_row[j->egress_node] * net->n_nodes + dest;
    int d_;
    x->am[n] = leg_rule(m, rules, j->access_node, w->access_km[arow], dist[j->access_node], &d_);
    x->em[n] = leg_rule(m, rules, j->egress_node, m->egress_km[eat], m->egress_tab[eat], &d_);
    if (!th_access_car_dominates(x->am[n], w->access_km[arow], x->em[n], m->egress_km[eat],
                                 longest_ride_km(m->sv, j)))
      break;
    j->n_legs = 0;
  }
  if (j->n_legs > 0) {
    /* car legs cost the class's money per km; walking and cycling nothing */
    double road_km = leg_car_km(m, w, j, x->am[n], x->em[n], dest);
    ThCostParts parts = {.in_vehicle_s = j->access_s + j->in_vehicle_s + j->egress_s +
                                         crowding_extra_s(m, j, NULL),
                         .wait_s = j->wait_s + crowd_extra_s(m, j),
                         .transfer_s = j->transfer_s,
                         .money = j->fare + road_km * c->cost_per_km};
    x->cost[n] = th_gen_cost(c, &parts);
  }
}

/* Passenger stage 4: a traveller without a car whom no other mode can
 * carry gets a lift (a household member or a taxi drives: multimodal.h),
 * so car ownership takes choices away but never strands a trip. */
static void lift_fallback(MultimodalState *m, const TripTurn *tt, PassengerAlts *x) {
  if (x->car_ok || !x->path || m->trips->mode[tt->a] != 0) return;
  gboolean other = FALSE;
  for (int i = 1; i < x->n_alt; i++) other = other || isfinite(x->cost[i]);
  if (!other) {
    ThCostParts parts = {.in_vehicle_s = x->tt, .money = x->km * tt->c->cost_per_km + x->toll};
    x->cost[0] = th_gen_cost(tt->c, &parts);
  }
}

/* Passenger stage 5: the logit's pick among the alternatives; a traveller
 * who does not reconsider keeps its mode while it is still possible.
 * Returns the alternative, or -1 when none is. */
static int passenger_pick(MultimodalState *m, const TripTurn *tt, PassengerAlts *x) {
  double scale = th_choice_params_scale(choice(m), tt->c->name);
  int pick = -1;
  if (th_logit_probs(x->n_alt, x->cost, x->asc, scale, x->prob) >= 0) {
    int keep = -1;
    for (int i = 0; i < x->n_alt; i++)
      if (x->alt_mode[i] == tt->old && x->prob[i] > 0) keep = i;
    if (!tt->reconsider && keep >= 0)
      pick = keep;
    else
      pick = th_logit_pick(x->n_alt, x->prob,
                           th_agent_uniform(m->p->seed, m->trips->id[tt->a], tt->k, TH_DRAW_MODE));
  }
  return pick;
}

/* Passenger stage 6: the plan of alternative PICK (>= 0) into *NP: the
 * mode and its cost, a walk's or ride's time and length, a transit
 * journey with its legs' modes, km and money. */
static void passenger_plan_of(MultimodalState *m, Worker *w, const TripTurn *tt,
                              const PassengerAlts *x, int pick, Plan *np) {
  int dest = m->trips->destination[tt->a];
  np->mode = x->alt_mode[pick];
  np->gc_unit = x->cost[pick];
  if (own_mode(np->mode)) {
    np->own_s = x->own_s[pick];
    np->own_km = x->km;
  } else if (pick >= x->first_rt) {
    np->j = x->js[pick];
    np->access_node = x->js[pick].access_node;
    np->access_mode = x->am[pick];
    np->egress_mode = x->em[pick];
    np->access_km = w->access_km[m->estop_row[np->j.access_node]];
    np->egress_km = m->egress_km[(size_t)m->estop_row[np->j.egress_node] * m->net->n_nodes + dest];
    np->money_unit = x->js[pick].fare +
                     leg_car_km(m, w, &np->j, x->am[pick], x->em[pick], dest) * tt->c->cost_per_km;
  }
}

/* Plans trips BY_ORIGIN[Q0..Q1) for outer iteration K (1-based) with worker
 * W's searches, in the stages above: a shipment's options, its road-or-rail
 * choice and plan; a passenger's origin search, its car, walk, e-bike and
 * transit alternatives, the lift, the pick and its plan. Returns how many
 * changed mode. */
static int64_t plan_range(MultimodalState *m, Worker *w, int k, const int *by_origin, int q0,
                          int q1) {
  const ThTrips *t = m->trips;
  int64_t switched = 0;
  int ns_max = 0;
  for (int i = 0; i < m->n_rt; i++) {
    int ns;
    th_transit_router_stops(w->rt[i], &ns);
    ns_max = MAX(ns_max, ns);
  }
  PassengerAlts x;
  x.acc = g_new(int, ns_max + 1);
  x.egr = g_new(int, ns_max + 1);
  int last_origin = -1;
  for (int q = q0; q < q1; q++) {
    int a = by_origin[q];
    TripTurn tt = {.a = a, .k = k, .c = &m->classes->cls[t->cls[a]], .old = m->plan[a].mode};
    tt.reconsider = k == 1 || m->disrupted[a] ||
                    th_agent_uniform(m->p->seed, t->id[a], k, TH_DRAW_REPLAN) < 1.0 / k;
    Plan np = {.sub = -1, .access_node = -1, .cons_hub = -1, .wait_until_s = -1};
    if (tt.c->kind == TH_CLASS_FREIGHT) {
      FreightOptions o;
      freight_options(m, w, &tt, &o);
      freight_plan_of(&o, freight_choose_rail(m, &tt, &o), &np);
    } else {
      origin_search(m, w, t->origin[a], &last_origin);
      x.n_alt = 0;
      x.market = trip_market(m, a);
      memset(x.am, 0, sizeof x.am);
      memset(x.em, 0, sizeof x.em);
      memset(x.own_s, 0, sizeof x.own_s);
      road_alternative(m, w, &tt, &x);
      /* walk and e-bike over the road path's length at a fixed speed, up to their distance */
      own_alternatives(m, tt.c, t->mode[a], x.path ? x.km : INFINITY, x.alt_mode, x.asc, x.cost,
                       x.own_s, &x.n_alt);
      x.first_rt = x.n_alt;
      for (int i = 0; i < m->n_rt; i++) transit_alternative(m, w, &tt, i, &x);
      lift_fallback(m, &tt, &x);
      int pick = passenger_pick(m, &tt, &x);
      if (pick >= 0) passenger_plan_of(m, w, &tt, &x, pick, &np);
    }
    m->plan[a] = np;
    if (k > 1 && np.mode != tt.old) switched++;
  }
  g_free(x.acc);
  g_free(x.egr);
  return switched;
}

typedef struct {
  MultimodalState *m;
  int k;
  const int *by_origin;
  Worker *workers;     /* one per thread of th_parallel_for */
  int64_t *switched;   /* per chunk */
  const int *bounds;   /* chunk c: [bounds[c], bounds[c+1]) */
} PlanJob;

static void plan_chunk(int c, int worker, gpointer user) {
  PlanJob *J = user;
  J->switched[c] = plan_range(J->m, &J->workers[worker], J->k, J->by_origin, J->bounds[c],
                              J->bounds[c + 1]);
}

/* Plans every trip on N_WORKERS threads. Chunks are runs of whole origins
 * (so each search from an origin is done once); every plan depends only on
 * its trip's own draws, so the result does not depend on the thread count. */
static int64_t plan_all(MultimodalState *m, Worker *workers, int n_workers, int k, const int *by_origin) {
  const ThTrips *t = m->trips;
  int n_chunks = n_workers > 1 ? 8 * n_workers : 1;
  GArray *bounds = g_array_new(FALSE, FALSE, sizeof(int));
  int zero = 0;
  g_array_append_val(bounds, zero);
  for (int c = 1; c < n_chunks; c++) {
    int q = (int)((int64_t)t->n * c / n_chunks);
    while (q > 0 && q < t->n && t->origin[by_origin[q]] == t->origin[by_origin[q - 1]]) q++;
    if (q > g_array_index(bounds, int, bounds->len - 1) && q < t->n) g_array_append_val(bounds, q);
  }
  g_array_append_val(bounds, t->n);
  int nc = bounds->len - 1;
  int64_t *sw = g_new0(int64_t, nc + 1);
  if (n_workers <= 1 || nc <= 1) {
    sw[0] = plan_range(m, &workers[0], k, by_origin, 0, t->n);
  } else {
    PlanJob J = {m, k, by_origin, workers, sw, (const int *)bounds->data};
    th_parallel_for(nc, n_workers, plan_chunk, &J); /* network/parallel.h */
  }
  int64_t total = 0;
  for (int c = 0; c < nc; c++) total += sw[c];
  g_free(sw);
  g_array_free(bounds, TRUE);
  return total;
}

/* Bus runs occupy the road: one 2.5-pcu vehicle per run over its links. */
typedef struct {
  MultimodalState *m;
} BusHook;

static void bus_day_begin(ThEngine *e, int day, gpointer user) {
  MultimodalState *m = ((BusHook *)user)->m;
  const ThServices *sv = m->sv;
  for (int r = 0; r < sv->n_runs; r++) {
    const ThServiceLine *L = &sv->lines[sv->runs[r].line];
    if (L->mode != TH_MODE_BUS) continue;
    int n = L->seg_link_start[L->n_stops - 1];
    gboolean joined = n > 0;
    for (int k = 0; k + 1 < L->n_stops; k++) joined &= L->seg_link_start[k + 1] > L->seg_link_start[k];
    if (!joined) continue; /* a segment timed by run_min without a road path */
    uint32_t route = th_engine_route_add(e, L->seg_link, n);
    uint32_t v = th_engine_vehicle_add(e, th_engine_hook_class(e), 2.5, UINT32_MAX);
    th_engine_depart(e, v, th_run_dep_s(sv, r, 0), route);
  }
}

typedef struct {
  int link, cls;
  uint32_t mode;
  double pax, tonnes;
} FlowAcc;

static int cmp_flow(const void *a, const void *b) {
  const ThLinkFlow *x = a, *y = b;
  if (x->link != y->link) return x->link < y->link ? -1 : 1;
  if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
  return x->mode < y->mode ? -1 : x->mode > y->mode;
}

/* Step 0: the state of a multimodal simulation (MultimodalState): the
 * layered network, one transit router per passenger mode present, the
 * freight planner, the egress tables of the stops and the feedback arrays.
 * FALSE (and nothing to free) when the layers cannot be built. */
static gboolean mm_setup(MultimodalState *m, const ThNetwork *net, const ThTrips *trips,
                         const ThClassTable *classes, const ThSimParams *p,
                         const ThMultimodalParams *mp, GError **error) {
  m->net = net;
  m->trips = trips;
  m->classes = classes;
  m->p = p;
  m->mp = mp;
  m->default_choice = th_choice_params_new();
  m->empty_sv = th_services_new();
  m->sv = mp->services ? mp->services : m->empty_sv;
  m->hubs = mp->hubs;
  m->access_rules = *th_choice_params_access(mp->choice ? mp->choice : m->default_choice);
  th_access_rules_set_speeds(&m->access_rules, mp->walk_kmh, mp->ebike_kmh);
  m->access = &m->access_rules;
  m->access_no_car = *m->access;
  m->access_no_car.car_max_km = 0;
  m->access_no_car.car_only_park_and_ride = TRUE;
  m->layers = th_layers_build(net, m->sv, m->hubs, error);
  if (!m->layers) {
    th_services_free(m->empty_sv);
    th_choice_params_free(m->default_choice);
    return FALSE;
  }
  /* one router per passenger service mode present */
  const uint32_t modes[4] = {TH_MODE_RAIL, TH_MODE_INTERCITY, TH_MODE_HSR, TH_MODE_BUS};
  for (int i = 0; i < 4; i++) {
    gboolean present = FALSE;
    for (int l = 0; l < m->sv->n_lines; l++)
      if (m->sv->lines[l].mode == modes[i] && m->sv->lines[l].kind == TH_SERVICE_PASSENGER)
        present = TRUE;
    if (!present) continue;
    m->rt_mode[m->n_rt] = modes[i];
    m->rt[m->n_rt++] = th_transit_router_new(net, m->sv, m->hubs, TH_SERVICE_PASSENGER, modes[i]);
  }
  m->fp = th_freight_planner_new(m->layers, m->sv, m->hubs);
  m->sp = th_sp_new(net);
  m->road_time = g_new(double, net->n_links + 1);
  for (int l = 0; l < net->n_links; l++) m->road_time[l] = net->free_time_s[l];
  m->estop_row = g_new(int, net->n_nodes + 1);
  for (int v = 0; v < net->n_nodes; v++) m->estop_row[v] = -1;
  for (int i = 0; i < m->n_rt; i++) {
    int ns;
    const int *stops = th_transit_router_stops(m->rt[i], &ns);
    for (int s = 0; s < ns; s++)
      if (m->estop_row[stops[s]] < 0) m->estop_row[stops[s]] = m->n_estops++;
  }
  m->egress_tab = g_new(float, (size_t)m->n_estops * net->n_nodes + 1);
  m->egress_km = g_new(float, (size_t)m->n_estops * net->n_nodes + 1);
  m->estop_node = g_new(int, m->n_estops + 1);
  for (int v = 0; v < net->n_nodes; v++)
    if (m->estop_row[v] >= 0) m->estop_node[m->estop_row[v]] = v;
  m->access_km = g_new0(double, m->n_estops + 1);
  m->hub_delay = g_new0(double, net->n_nodes + 1);
  m->crowd_base = g_new(int, m->sv->n_lines + 1);
  m->crowd_base[0] = 0;
  for (int l = 0; l < m->sv->n_lines; l++) m->crowd_base[l + 1] = m->crowd_base[l] + m->sv->lines[l].n_stops;
  m->crowd_hours = MAX(1, p->horizon_s / 3600 + 1);
  m->crowd_s = g_new0(double, (size_t)m->crowd_base[m->sv->n_lines] * m->crowd_hours + 1);
  m->freight_lost_s = g_new0(double, net->n_nodes + 1);
  m->crowding = th_choice_params_crowding(mp->choice ? mp->choice : m->default_choice);
  m->lf_base = g_new(int, m->sv->n_runs + 1);
  int slots = 0;
  for (int r = 0; r < m->sv->n_runs; r++) {
    m->lf_base[r] = slots;
    slots += MAX(0, m->sv->lines[m->sv->runs[r].line].n_stops - 1);
  }
  m->lf = g_new0(double, slots + 1);
  m->disrupted = g_new0(guint8, trips->n + 1);
  m->plan = g_new0(Plan, trips->n + 1);
  return TRUE;
}

static void mm_clear(MultimodalState *m) {
  for (int i = 0; i < m->n_rt; i++) th_transit_router_free(m->rt[i]);
  th_freight_planner_free(m->fp);
  th_sp_free(m->sp);
  th_layers_free(m->layers);
  th_services_free(m->empty_sv);
  th_choice_params_free(m->default_choice);
  g_free(m->road_time);
  g_free(m->estop_row);
  g_free(m->egress_tab);
  g_free(m->egress_km);
  g_free(m->estop_node);
  g_free(m->access_km);
  g_free(m->hub_delay);
  g_free(m->crowd_base);
  g_free(m->crowd_s);
  g_free(m->freight_lost_s);
  g_free(m->lf_base);
  g_free(m->lf);
  g_free(m->disrupted);
  g_free(m->plan);
}

/* The planning threads' own searches; worker 0 uses the state's. */
static Worker *workers_new(MultimodalState *m, int n_workers) {
  Worker *workers = g_new0(Worker, n_workers);
  for (int i = 0; i < n_workers; i++) {
    Worker *w = &workers[i];
    w->sp = i == 0 ? m->sp : th_sp_new(m->net);
    for (int r = 0; r < m->n_rt; r++)
      w->rt[r] = i == 0 ? m->rt[r] : th_transit_router_new(m->net, m->sv, m->hubs, TH_SERVICE_PASSENGER,
                                                           m->rt_mode[r]);
    w->fp = i == 0 ? m->fp : th_freight_planner_new(m->layers, m->sv, m->hubs);
    w->access_km = i == 0 ? m->access_km : g_new0(double, m->n_estops + 1);
  }
  return workers;
}

static void workers_free(MultimodalState *m, Worker *workers, int n_workers) {
  for (int i = 1; i < n_workers; i++) {
    th_sp_free(workers[i].sp);
    for (int r = 0; r < m->n_rt; r++) th_transit_router_free(workers[i].rt[r]);
    th_freight_planner_free(workers[i].fp);
    g_free(workers[i].access_km);
  }
  g_free(workers);
}

/* Step 2: the road part: road trips, access legs and truck legs to the
 * first hub through th_simulate (buses on the road through HOOKS); the
 * experienced mean link times become the next plans' road times. *ROAD is
 * NULL when no trip uses the road. FALSE on th_simulate's error. */
static gboolean road_day(MultimodalState *m, int k, const ThSimHooks *hooks, ThRunResults **road,
                         GError **error) {
  const ThNetwork *net = m->net;
  const ThTrips *trips = m->trips;
  const ThClassTable *classes = m->classes;
  const ThSimParams *p = m->p;
  *road = NULL;
  g_autoptr(ThTrips) sub = th_trips_new(NULL);
  for (int a = 0; a < trips->n; a++) {
    Plan *P = &m->plan[a];
    P->sub = -1;
    if (P->mode == TH_MODE_ROAD && P->cons_hub >= 0) {
      /* a consolidated part load drives its own truck to the park only */
      if (P->cons_hub != trips->origin[a])
        P->sub = th_trips_add(sub, trips->id[a], net, trips->origin[a], P->cons_hub, trips->depart_s[a],
                              classes, trips->cls[a], TH_MODE_ROAD, trips->tonnes[a]);
    } else if (P->mode == TH_MODE_ROAD)
      P->sub = th_trips_add(sub, trips->id[a], net, trips->origin[a], trips->destination[a],
                            P->wait_until_s >= 0 ? P->wait_until_s : trips->depart_s[a], classes,
                            trips->cls[a], TH_MODE_ROAD, trips->tonnes[a]);
    else if (P->mode && P->access_node >= 0 && P->access_node != trips->origin[a] &&
             (P->freight_chain || P->access_mode == TH_ACCESS_CAR))
      P->sub = th_trips_add(sub, trips->id[a], net, trips->origin[a], P->access_node,
                            trips->depart_s[a], classes, trips->cls[a], TH_MODE_ROAD, trips->tonnes[a]);
  }
  ThSimParams sp = *p;
  sp.warm_start_time_s = k > 1 ? m->road_time : p->warm_start_time_s;
  gboolean buses = FALSE;
  for (int l = 0; l < m->sv->n_lines; l++) buses |= m->sv->lines[l].mode == TH_MODE_BUS;
  /* the event log names trips by their index: bus vehicles have none */
  sp.hooks = buses && !p->record_events ? hooks : NULL;
  if (sub->n == 0) return TRUE;
  ThRunResults *rr = th_simulate(net, sub, classes, &sp, error);
  if (!rr) return FALSE;
  /* experienced road times for the next plans */
  double *sum = g_new0(double, net->n_links + 1), *cnt = g_new0(double, net->n_links + 1);
  for (guint i = 0; i < rr->link_flows->len; i++) {
    const ThLinkFlow *f = &g_array_index(rr->link_flows, ThLinkFlow, i);
    if (f->vehicles > 0 && isfinite(f->mean_travel_time_s)) {
      sum[f->link] += f->vehicles * f->mean_travel_time_s;
      cnt[f->link] += f->vehicles;
    }
  }
  for (int l = 0; l < net->n_links; l++)
    m->road_time[l] = cnt[l] > 0 ? MAX(sum[l] / cnt[l], net->free_time_s[l]) : net->free_time_s[l];
  g_free(sum);
  g_free(cnt);
  *road = rr;
  return TRUE;
}

/* Step 3: the transit part: every traveller and shipment whose access leg
 * arrived enters its first stop then (RIDER_OF: its rider, -1 for none);
 * crowding and hub queues (MSA-averaged) feed the next plans. */
static ThTransitSim *transit_day(MultimodalState *m, int k, const ThRunResults *rr, Worker *workers,
                                 int n_workers, int *rider_of) {
  const ThTrips *trips = m->trips;
  const ThSimParams *p = m->p;
  ThTransitSim *ts = th_transit_sim_new(m->net, m->sv, m->hubs);
  th_transit_sim_set_sample_factor(ts, p->sample_factor); /* seats, tonnes and hubs as roads */
  for (int a = 0; a < trips->n; a++) {
    Plan *P = &m->plan[a];
    rider_of[a] = -1;
    if (!P->mode || P->mode == TH_MODE_ROAD || own_mode(P->mode)) continue;
    /* walkers and cyclists reach the stop after their computed access time */
    int ready = trips->depart_s[a] + (P->freight_chain ? 0 : P->j.access_s);
    if (P->sub >= 0) {
      if (rr->arrive_s[P->sub] < 0) continue; /* the access leg did not arrive */
      ready = rr->arrive_s[P->sub];
    }
    rider_of[a] = th_transit_sim_add(ts, P->freight_chain ? trips->tonnes[a] : 1, ready, P->j.legs,
                                     P->j.n_legs, P->j.egress_s);
  }
  th_transit_sim_run(ts, p->horizon_s);
  crowd_update(m, ts, rider_of, k);
  /* load factors for the crowding curve, averaged like the waits (MSA) */
  for (int r = 0; r < m->sv->n_runs; r++) {
    int ns = m->sv->lines[m->sv->runs[r].line].n_stops;
    for (int sk = 0; sk + 1 < ns; sk++) {
      double obs = th_transit_sim_load_factor(ts, r, sk), *x = &m->lf[m->lf_base[r] + sk];
      *x = k == 1 ? obs : *x + (obs - *x) / k;
    }
  }
  /* hub queues feed the next iteration's freight choices (averaged with the
   * previous expectation, MSA-style, so choices settle instead of flipping) */
  if (m->hubs) {
    for (int h = 0; h < m->hubs->n_hubs; h++) {
      const ThHubResult *hr = th_transit_sim_hub_result(ts, h);
      int v = m->hubs->hubs[h].node;
      /* the queue at the handling server, plus the wait lost to full trains */
      double q = (hr->shipments ? hr->queue_s_sum / hr->shipments : 0) + m->freight_lost_s[v];
      m->hub_delay[v] = k == 1 ? q : m->hub_delay[v] + (q - m->hub_delay[v]) / k;
    }
    for (int i = 0; i < n_workers; i++) th_freight_planner_set_hub_delay(workers[i].fp, m->hub_delay);
  }
  return ts;
}

/* Step 4a: each trip's status, times, money and generalized cost from the
 * road and transit days; with FLOWS (the last iteration) the passengers and
 * tonnes on the links of the rides taken. ST gets the counts. */
static void trip_results(MultimodalState *m, const ThRunResults *rr, ThTransitSim *ts,
                         const int *rider_of, GHashTable *flows, ThRunResults *out,
                         ThIterStats *st) {
  const ThTrips *trips = m->trips;
  const ThClassTable *classes = m->classes;
  for (int a = 0; a < trips->n; a++)
    if (rider_of[a] >= 0 && th_transit_sim_rider(ts, rider_of[a])->left_behind > 0) st->left_behind++;
  double tt_sum = 0;
  int64_t reached = 0;
  for (int a = 0; a < trips->n; a++) {
    Plan *P = &m->plan[a];
    const ThClass *c = &classes->cls[trips->cls[a]];
    double units = c->kind == TH_CLASS_FREIGHT ? trips->tonnes[a] : 1.0;
    out->mode[a] = P->mode ? P->mode : (trips->mode[a] ? trips->mode[a] : TH_MODE_ROAD);
    out->depart_s[a] = trips->depart_s[a];
    out->arrive_s[a] = -1;
    out->wait_s[a] = 0;
    out->transfers[a] = 0;
    out->gen_cost[a] = NAN;
    out->money[a] = 0;
    out->distance_m[a] = 0;
    out->shared_truck_km[a] = 0;
    /* the departure-queue wait of the trip's drive (the access drive of a
     * transit trip); -1 (empty) for trips that drive nowhere */
    if (rr && rr->depart_delay_s && !out->depart_delay_s) out->depart_delay_s = g_new(int32_t, trips->n + 1);
    if (out->depart_delay_s) out->depart_delay_s[a] = P->mode && P->sub >= 0 && rr && rr->depart_delay_s ? rr->depart_delay_s[P->sub] : -1;
    ThTripStatus status;
    if (!P->mode) {
      status = TH_TRIP_UNSERVED;
    } else if (P->mode == TH_MODE_ROAD && P->cons_hub >= 0) {
      /* the own truck to the park (simulated), then handling and the full
       * truck's drive as planned on the day's road times */
      int s = P->sub;
      status = s >= 0 ? (ThTripStatus)rr->status[s] : TH_TRIP_ARRIVED;
      int at_park = s >= 0 ? rr->arrive_s[s] : trips->depart_s[a];
      out->distance_m[a] = (s >= 0 ? rr->distance_m[s] : 0) + P->cons_onward_km * 1000.0;
      out->money[a] = P->money_unit * units;
      if (at_park >= 0) {
        int arr = at_park + P->cons_after_s;
        if (arr > m->p->horizon_s) status = TH_TRIP_EN_ROUTE;
        else {
          out->arrive_s[a] = arr;
          ThCostParts parts = {.in_vehicle_s = arr - trips->depart_s[a] - P->cons_handle_s,
                               .wait_s = P->cons_handle_s,
                               .money = P->money_unit};
          out->gen_cost[a] = th_gen_cost(c, &parts) * units;
        }
      }
      out->shared_truck_km[a] = P->cons_onward_km;
    } else if (P->mode == TH_MODE_ROAD) {
      int s = P->sub;
      status = rr->status[s];
      out->arrive_s[a] = rr->arrive_s[s];
      out->distance_m[a] = rr->distance_m[s];
      out->money[a] = rr->money[s];
      out->gen_cost[a] = rr->gen_cost[s];
      if (P->wait_until_s >= 0) { /* waited for the ban's window to end: charged as waiting */
        double ww = c->wait_weight > 0 ? c->wait_weight : 1;
        out->wait_s[a] = P->wait_until_s - trips->depart_s[a];
        out->gen_cost[a] += ww * c->vot_per_h * out->wait_s[a] / 3600.0 * units;
      }
    } else if (own_mode(P->mode)) {
      /* walk or e-bike: no queue, no vehicle; the planned time */
      status = TH_TRIP_ARRIVED;
      out->arrive_s[a] = trips->depart_s[a] + (int32_t)lround(P->own_s);
      out->distance_m[a] = P->own_km * 1000.0;
      out->gen_cost[a] = P->gc_unit;
    } else {
      int ri = rider_of[a];
      gboolean access_stuck = P->sub >= 0 && rr->status[P->sub] == TH_TRIP_STUCK;
      if (ri < 0) {
        status = P->sub >= 0 ? (ThTripStatus)rr->status[P->sub] : TH_TRIP_EN_ROUTE;
        if (status == TH_TRIP_ARRIVED) status = TH_TRIP_EN_ROUTE;
      } else {
        const ThRiderResult *rs = th_transit_sim_rider(ts, ri);
        status = rs->status == TH_RIDER_ARRIVED ? (access_stuck ? TH_TRIP_STUCK : TH_TRIP_ARRIVED)
                 : rs->status == TH_RIDER_STRANDED ? TH_TRIP_STUCK
                                                   : TH_TRIP_EN_ROUTE;
        /* waiting at stops and in hub queues (README): not the handling
         * itself, not the drive to the hub */
        out->wait_s[a] = rs->wait_s + rs->hub_queue_s;
        out->transfers[a] = MAX(0, rs->boardings - 1);
        double access_s = P->sub >= 0        ? rr->arrive_s[P->sub] - trips->depart_s[a]
                          : P->freight_chain ? 0
                                             : P->j.access_s;
        out->distance_m[a] = (P->access_km + P->j.km + P->egress_km) * 1000.0;
        if (P->freight_chain) out->distance_m[a] = (P->j.km + P->access_km + P->egress_km) * 1000.0;
        out->money[a] = P->money_unit * units;
        if (rs->status == TH_RIDER_ARRIVED) {
          out->arrive_s[a] = rs->arrive_s;
          /* passengers: the crowding of the runs as they were (choice.h) */
          double crowd = P->freight_chain ? 0 : crowding_extra_s(m, &P->j, ts);
          ThCostParts parts = {.in_vehicle_s = access_s + rs->in_vehicle_s + P->j.egress_s + crowd,
                               .wait_s = rs->wait_s + rs->handling_s,
                               .transfer_s = P->j.transfer_s,
                               .money = P->money_unit};
          out->gen_cost[a] = th_gen_cost(c, &parts) * units;
        }
        /* passengers and tonnes on the links of the rides taken */
        if (flows)
          for (int lg = 0; lg < P->j.n_legs && lg < rs->boardings; lg++) {
            const ThTransitLeg *leg = &P->j.legs[lg];
            const ThServiceLine *L = &m->sv->lines[leg->line];
            for (int e = L->seg_link_start[leg->board_k]; e < L->seg_link_start[leg->alight_k]; e++) {
              int64_t key = ((int64_t)L->seg_link[e] * 64 + trips->cls[a]) * 64 + __builtin_ctz(L->mode);
              FlowAcc *fa = g_hash_table_lookup(flows, &key);
              if (!fa) {
                fa = g_new0(FlowAcc, 1);
                fa->link = L->seg_link[e];
                fa->cls = trips->cls[a];
                fa->mode = L->mode;
                int64_t *kp = g_new(int64_t, 1);
                *kp = key;
                g_hash_table_insert(flows, kp, fa);
              }
              if (c->kind == TH_CLASS_FREIGHT) fa->tonnes += trips->tonnes[a];
              else fa->pax += 1;
            }
          }
      }
    }
    out->status[a] = status;
    switch (status) {
    case TH_TRIP_ARRIVED: st->arrived++; break;
    case TH_TRIP_STUCK: st->stuck++; break;
    case TH_TRIP_UNSERVED: st->unserved++; break;
    default: st->en_route++; break;
    }
    if (out->arrive_s[a] >= 0) {
      tt_sum += out->arrive_s[a] - trips->depart_s[a];
      reached++;
    }
  }
  st->mean_travel_time_s = reached ? tt_sum / reached : 0;
  /* the gap counts those whom the day did not serve as planned: a run with
   * a quarter of its trips stuck cannot report convergence */
  if (trips->n)
    st->relative_gap += (double)(st->stuck + st->unserved + st->left_behind) / trips->n;
}

/* Step 4b: the last iteration is the result: its totals, the road's link
 * flows and statistics, transit rows per link (with the runs over it),
 * per-run and per-hub results, mode shares. */
static void last_day_results(MultimodalState *m, ThMultimodalResults *res, const ThRunResults *rr,
                             ThTransitSim *ts, const int *rider_of, GHashTable *flows,
                             const ThIterStats *st, int k) {
  const ThTrips *trips = m->trips;
  const ThClassTable *classes = m->classes;
  const ThSimParams *p = m->p;
  ThRunResults *out = res->run;
  out->iterations = k;
  out->relative_gap = st->relative_gap;
  out->arrived = st->arrived;
  out->stuck = st->stuck;
  out->unserved = st->unserved;
  out->en_route = st->en_route;
  if (rr) {
    g_array_append_vals(out->link_flows, rr->link_flows->data, rr->link_flows->len);
    g_array_append_vals(out->link_bins, rr->link_bins->data, rr->link_bins->len);
    out->traversals = rr->traversals;
    out->events_run = rr->events_run;
    out->stuck_moves = rr->stuck_moves;
    if (rr->events) out->events = g_array_ref(rr->events);
  }
  /* trains and buses over each link: runs of a mode and kind (passenger
   * or freight service) that left the segment's first stop before the
   * horizon; a transit row counts the runs that could carry its class */
  GHashTable *runs_over = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
  for (int r = 0; r < m->sv->n_runs; r++) {
    const ThServiceLine *L = &m->sv->lines[m->sv->runs[r].line];
    if (th_transit_sim_run_result(ts, r)->cancelled) continue; /* an on-demand run that did not go */
    for (int sk = 0; sk + 1 < L->n_stops; sk++) {
      if (th_run_dep_s(m->sv, r, sk) >= p->horizon_s) break;
      for (int e = L->seg_link_start[sk]; e < L->seg_link_start[sk + 1]; e++) {
        int64_t key = ((int64_t)L->seg_link[e] * 64 + __builtin_ctz(L->mode)) * 2 +
                      (L->kind == TH_SERVICE_FREIGHT);
        int64_t *cnt = g_hash_table_lookup(runs_over, &key);
        if (!cnt) {
          int64_t *kp = g_new(int64_t, 1);
          *kp = key;
          cnt = g_new0(int64_t, 1);
          g_hash_table_insert(runs_over, kp, cnt);
        }
        (*cnt)++;
      }
    }
  }
  GHashTableIter it;
  gpointer kk, vv;
  g_hash_table_iter_init(&it, flows);
  while (g_hash_table_iter_next(&it, &kk, &vv)) {
    FlowAcc *fa = vv;
    int64_t key = ((int64_t)fa->link * 64 + __builtin_ctz(fa->mode)) * 2 +
                  (classes->cls[fa->cls].kind == TH_CLASS_FREIGHT);
    const int64_t *cnt = g_hash_table_lookup(runs_over, &key);
    ThLinkFlow row = {fa->link, fa->cls, fa->mode, cnt ? (double)*cnt : 0, 0, fa->pax, fa->tonnes, NAN};
    g_array_append_val(out->link_flows, row);
  }
  g_hash_table_destroy(runs_over);
  g_array_sort(out->link_flows, cmp_flow);
  res->n_runs = m->sv->n_runs;
  res->runs = g_new0(ThTransitRunLoad, res->n_runs + 1);
  for (int r = 0; r < res->n_runs; r++) res->runs[r] = *th_transit_sim_run_result(ts, r);
  for (int l = 0; l < m->sv->n_lines; l++) res->n_line_stops += m->sv->lines[l].n_stops;
  res->stops = g_new0(ThTransitStopLoad, res->n_line_stops + 1);
  for (int l = 0, i = 0; l < m->sv->n_lines; l++)
    for (int k = 0; k < m->sv->lines[l].n_stops; k++) res->stops[i++] = *th_transit_sim_stop_result(ts, l, k);
  res->n_hubs = m->hubs ? m->hubs->n_hubs : 0;
  res->hubs = g_new0(ThHubResult, res->n_hubs + 1);
  for (int h = 0; h < res->n_hubs; h++) res->hubs[h] = *th_transit_sim_hub_result(ts, h);
  for (int a = 0; a < trips->n; a++) {
    if (rider_of[a] >= 0) res->riders++;
    uint32_t md = out->mode[a];
    if (md) res->mode_share[__builtin_ctz(md)] += 1.0 / trips->n;
  }
}

/* Events of the road part refer to the road subset's trips: rewritten to
 * trip indices. */
static void events_to_trips(MultimodalState *m, ThRunResults *out) {
  const ThTrips *trips = m->trips;
  int *orig = g_new(int, trips->n + 1);
  for (int a = 0; a < trips->n; a++)
    if (m->plan[a].sub >= 0) orig[m->plan[a].sub] = a;
  GArray *ev = g_array_sized_new(FALSE, FALSE, sizeof(ThResultEvent), out->events->len);
  for (guint i = 0; i < out->events->len; i++) {
    ThResultEvent e = g_array_index(out->events, ThResultEvent, i);
    e.trip = orig[e.trip];
    g_array_append_val(ev, e);
  }
  g_array_unref(out->events);
  out->events = ev;
  g_free(orig);
}

/* The steps of multimodal.h per choice iteration: plan (plan_all), road
 * (road_day), transit (transit_day), feedback and results (trip_results,
 * last_day_results). */
ThMultimodalResults *th_simulate_multimodal(const ThNetwork *net, const ThTrips *trips,
                                            const ThClassTable *classes, const ThSimParams *p,
                                            const ThMultimodalParams *mp, GError **error) {
  if (!th_sim_params_check(p, error)) return NULL;
  if (mp->choice_iterations < 1) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "choice iterations %d must be >= 1",
                mp->choice_iterations);
    return NULL;
  }
  MultimodalState M = {0};
  MultimodalState *m = &M;
  if (!mm_setup(m, net, trips, classes, p, mp, error)) return NULL;
  /* planning threads: worker 0 uses the driver's own searches */
  int n_workers = MAX(1, p->threads);
  Worker *workers = workers_new(m, n_workers);
  int *by_origin = g_new(int, trips->n + 1);
  for (int a = 0; a < trips->n; a++) by_origin[a] = a;
  g_qsort_with_data(by_origin, trips->n, sizeof(int), cmp_origin, trips->origin);

  ThMultimodalResults *res = g_new0(ThMultimodalResults, 1);
  ThRunResults *out = th_run_results_new(trips->n);
  res->run = out;
  out->wait_s = g_new0(double, trips->n + 1);
  out->transfers = g_new0(int, trips->n + 1);
  out->shared_truck_km = g_new0(double, trips->n + 1);
  out->seed = p->seed;
  out->sample_factor = p->sample_factor;
  out->horizon_s = p->horizon_s;
  out->has_sim_rules = TRUE;
  out->sim_rules = p->rules;
  out->bin_s = p->bin_s;
  gboolean ok = TRUE;
  BusHook bh = {m};
  ThSimHooks hooks = {bus_day_begin, NULL, &bh, th_class_table_lookup(classes, "bus")};

  for (int k = 1; k <= mp->choice_iterations && ok; k++) {
    gboolean last = k == mp->choice_iterations;
    /* 1. plan */
    compute_egress(m);
    for (int i = 0; i < n_workers; i++) th_freight_planner_reset(workers[i].fp);
    int64_t switched = plan_all(m, workers, n_workers, k, by_origin);
    /* 2. road */
    g_autoptr(ThRunResults) rr = NULL;
    if (!road_day(m, k, &hooks, &rr, error)) {
      ok = FALSE;
      break;
    }
    /* 3. transit */
    int *rider_of = g_new(int, trips->n + 1);
    g_autoptr(ThTransitSim) ts = transit_day(m, k, rr, workers, n_workers, rider_of);
    /* 4. per trip results (the feedback of steps 2 and 3 is in place) */
    ThIterStats st = {k, rr ? rr->relative_gap : 0, trips->n ? (double)switched / trips->n : 0, 0,
                      0, 0, 0, 0, 0};
    GHashTable *flows = last ? g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free) : NULL;
    trip_results(m, rr, ts, rider_of, flows, out, &st);
    if (st.arrived + st.stuck + st.unserved + st.en_route != trips->n) {
      g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "iteration %d: trip counts do not add up (a bug)", k);
      ok = FALSE;
    }
    g_array_append_val(out->convergence, st);
    if (last && ok) last_day_results(m, res, rr, ts, rider_of, flows, &st, k);
    if (flows) g_hash_table_destroy(flows);
    g_free(rider_of);
  }
  if (ok && out->events) events_to_trips(m, out);

  workers_free(m, workers, n_workers);
  mm_clear(m);
  g_free(by_origin);
  if (!ok) {
    th_multimodal_results_free(res);
    return NULL;
  }
  return res;
}


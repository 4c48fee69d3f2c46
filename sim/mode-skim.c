/* mode-skim.c: door-to-door times per passenger mode (see mode-skim.h). */
#include "sim/mode-skim.h"
#include "network/paths.h"
#include "network/skim.h"
#include "sim/access.h"
#include "sim/transit.h"

#include <math.h>
#include <string.h>

static const char *names[TH_SKIM_N_MODES] = {"road", "bus", "rail", "hsr", "intercity", "best"};
const char *th_skim_mode_name(ThSkimMode m) { return names[m]; }

void th_mode_skim_params_init(ThModeSkimParams *p) {
  p->depart_from_s = 7 * 3600;
  p->depart_to_s = 9 * 3600;
  p->step_s = 1200;
  p->access = NULL;
  p->every_departure = TRUE;
}

double *th_mode_skim_link_times(const ThRunResults *r, int n_links, int32_t from_s, int32_t to_s) {
  double *sum = g_new0(double, n_links);
  g_autofree double *veh = g_new0(double, n_links);
  if (from_s <= 0 && to_s >= 86400) {
    for (guint i = 0; r->link_flows && i < r->link_flows->len; i++) {
      const ThLinkFlow *f = &g_array_index(r->link_flows, ThLinkFlow, i);
      if (f->link < 0 || f->link >= n_links || f->vehicles <= 0 || !isfinite(f->mean_travel_time_s))
        continue;
      sum[f->link] += f->vehicles * f->mean_travel_time_s;
      veh[f->link] += f->vehicles;
    }
  } else {
    for (guint i = 0; r->link_bins && i < r->link_bins->len; i++) {
      const ThLinkFlowBin *b = &g_array_index(r->link_bins, ThLinkFlowBin, i);
      if (b->link < 0 || b->link >= n_links || b->bin_start_s < from_s || b->bin_start_s >= to_s ||
          b->vehicles <= 0 || !isfinite(b->mean_travel_time_s))
        continue;
      sum[b->link] += b->vehicles * b->mean_travel_time_s;
      veh[b->link] += b->vehicles;
    }
  }
  for (int e = 0; e < n_links; e++) sum[e] = veh[e] > 0 ? sum[e] / veh[e] : NAN;
  return sum;
}

void th_mode_skim_free(ThModeSkim *s) {
  if (!s) return;
  g_free(s->time_min);
  g_free(s->distance_km);
  g_free(s->cost);
  g_free(s->wait_min);
  g_free(s->transfers);
  g_free(s);
}

/* The longest ride of J, km (its main mode's leg). */
static double skim_longest_ride_km(const ThServices *sv, const ThTransitJourney *j) {
  double best = 0;
  for (int l = 0; l < j->n_legs; l++) {
    const ThServiceLine *L = &sv->lines[j->legs[l].line];
    double x = 0;
    for (int k = j->legs[l].board_k; k < j->legs[l].alight_k; k++) x += L->seg_len_m[k] / 1000.0;
    best = MAX(best, x);
  }
  return best;
}

/* One th_mode_skim_new call, shared by its stages: the inputs, the skim
 * being filled, the road weights and per-link km and car money, the road
 * searches from every zone, and the access rules. */
typedef struct {
  const ThNetwork *net;
  const ThServices *services;
  const ThHubs *hubs;
  const ThModeSkimParams *p;
  ThModeSkim *s;
  int nz;
  double *km, *money; /* per link: km; tolls + running cost of a car */
  double *w;          /* per link: road time, s */
  ThShortestPaths *sp;
  double *from_zone, *from_zone_km; /* nz x n_nodes: road s and km from each zone */
  double *node_km, *node_money;     /* per node: scratch of th_sp_accumulate */
  const ThAccessRules *rules;       /* p->access or the defaults */
  ThAccessRules no_car;             /* the same without car legs (main-mode rule) */
} SkimBuild;

/* One transit router's stops and their access and egress legs, shared by
 * the stages of skim_transit_mode: [0, n_stops) with every rule, [n_stops,
 * 2 n_stops) without car legs. */
typedef struct {
  ThTransitRouter *r;
  const int *stops;
  int n_stops;
  int *egress_all;    /* 2 x nz x n_stops: leg s of each rule set, or -1 */
  double *egress_km;  /* nz x n_stops */
  guint8 *egress_car; /* nz x n_stops: the egress leg (with car) is by car */
  int *access;        /* 2 x n_stops, from the current origin zone */
  double *access_km;  /* n_stops */
  guint8 *access_car; /* n_stops */
  int *stop_index;    /* node -> stop */
} SkimStops;

/* Stage 1: the road mode: road times and km from every zone to every node
 * (kept for access legs), and time, km and car money to every zone; best
 * starts as the road's time. */
static void skim_road(SkimBuild *b) {
  const ThNetwork *net = b->net;
  ThModeSkim *s = b->s;
  const int nz = b->nz;
  for (int o = 0; o < nz; o++) {
    th_sp_run(b->sp, net->zone_node[o], b->w, TH_MODE_ROAD);
    memcpy(b->from_zone + (size_t)o * net->n_nodes, th_sp_dist(b->sp),
           sizeof(double) * net->n_nodes);
    for (int v = 0; v < net->n_nodes; v++) b->node_km[v] = b->node_money[v] = NAN;
    b->node_km[net->zone_node[o]] = b->node_money[net->zone_node[o]] = 0;
    th_sp_accumulate(b->sp, b->km, b->node_km);
    th_sp_accumulate(b->sp, b->money, b->node_money);
    memcpy(b->from_zone_km + (size_t)o * net->n_nodes, b->node_km, sizeof(double) * net->n_nodes);
    for (int d = 0; d < nz; d++) {
      double t = o == d ? 0 : b->from_zone[(size_t)o * net->n_nodes + net->zone_node[d]];
      size_t at = ((size_t)TH_SKIM_ROAD * nz + o) * nz + d;
      if (!isfinite(t)) continue;
      s->time_min[at] = t / 60.0;
      s->distance_km[at] = o == d ? 0 : b->node_km[net->zone_node[d]];
      s->cost[at] = o == d ? 0 : b->node_money[net->zone_node[d]];
      s->wait_min[at] = 0;
      s->transfers[at] = 0;
    }
  }
  for (int o = 0; o < nz; o++)
    for (int d = 0; d < nz; d++)
      s->time_min[((size_t)TH_SKIM_BEST * nz + o) * nz + d] =
          s->time_min[((size_t)TH_SKIM_ROAD * nz + o) * nz + d];
}

/* Stage 2a: egress legs: road time and km from each stop to each zone
 * (stop-rooted searches), as legs of each rule set. */
static void skim_egress(SkimBuild *b, SkimStops *x) {
  const ThNetwork *net = b->net;
  const int nz = b->nz, n_stops = x->n_stops;
  for (int k = 0; k < n_stops; k++) {
    th_sp_run(b->sp, x->stops[k], b->w, TH_MODE_ROAD);
    const double *dist = th_sp_dist(b->sp);
    for (int v = 0; v < net->n_nodes; v++) b->node_km[v] = NAN;
    b->node_km[x->stops[k]] = 0;
    th_sp_accumulate(b->sp, b->km, b->node_km);
    gboolean pr = th_access_park_and_ride(b->hubs, x->stops[k]);
    for (int d = 0; d < nz; d++) {
      int zn = net->zone_node[d];
      double t = x->stops[k] == zn ? 0 : dist[zn], km = x->stops[k] == zn ? 0 : b->node_km[zn];
      size_t at = (size_t)d * n_stops + k;
      x->egress_km[at] = km;
      x->egress_car[at] = th_access_leg(b->rules, km, t, pr, &x->egress_all[at]) == TH_ACCESS_CAR;
      th_access_leg(&b->no_car, km, t, pr, &x->egress_all[(size_t)n_stops * nz + at]);
    }
  }
}

/* Stage 2b: access legs from zone O to each stop, of each rule set.
 * Returns whether any stop can be reached. */
static gboolean skim_access(SkimBuild *b, SkimStops *x, int o) {
  const ThNetwork *net = b->net;
  const int n_stops = x->n_stops;
  gboolean any = FALSE;
  for (int k = 0; k < n_stops; k++) {
    size_t at = (size_t)o * net->n_nodes + x->stops[k];
    gboolean own = x->stops[k] == net->zone_node[o];
    double t = own ? 0 : b->from_zone[at], km = own ? 0 : b->from_zone_km[at];
    gboolean pr = th_access_park_and_ride(b->hubs, x->stops[k]);
    x->access_km[k] = km;
    x->access_car[k] = th_access_leg(b->rules, km, t, pr, &x->access[k]) == TH_ACCESS_CAR;
    th_access_leg(&b->no_car, km, t, pr, &x->access[n_stops + k]);
    any |= x->access[k] >= 0;
  }
  return any;
}

/* Stage 2c: the pair (O, D) by the router into slot SLOT: the journeys
 * leaving every step of the window, averaged; a mode serves a pair only if
 * it serves every departure of the window (or, every_departure off, any
 * departure). */
static void skim_pair(SkimBuild *b, SkimStops *x, int o, int d, ThSkimMode slot) {
  const ThModeSkimParams *p = b->p;
  ThModeSkim *s = b->s;
  const int nz = b->nz, n_stops = x->n_stops;
  const int *egress = x->egress_all + (size_t)d * n_stops;
  double sum = 0, sum_km = 0, sum_fare = 0, sum_wait = 0, sum_tr = 0;
  int n = 0;
  ThTransitJourney j;
  for (int t0 = p->depart_from_s; t0 < p->depart_to_s; t0 += p->step_s) {
    th_transit_route(x->r, t0, x->access, egress, t0 + 86400, &j);
    if (j.n_legs > 0) {
      /* main mode: a car leg longer than the longest ride makes it a
       * car trip; look again on foot and by bike */
      int ka = x->stop_index[j.access_node], ke = x->stop_index[j.egress_node];
      size_t ate = (size_t)d * n_stops + ke;
      if (th_access_car_dominates(x->access_car[ka] ? TH_ACCESS_CAR : TH_ACCESS_WALK,
                                  x->access_km[ka],
                                  x->egress_car[ate] ? TH_ACCESS_CAR : TH_ACCESS_WALK,
                                  x->egress_km[ate], skim_longest_ride_km(b->services, &j)))
        th_transit_route(x->r, t0, x->access + n_stops,
                         x->egress_all + (size_t)n_stops * nz + (size_t)d * n_stops, t0 + 86400,
                         &j);
    }
    if (j.n_legs == 0) continue;
    sum += j.arrive_s - t0;
    sum_km += j.km;
    sum_fare += j.fare;
    sum_wait += j.wait_s;
    sum_tr += j.n_legs - 1;
    n++;
  }
  if (n == 0 ||
      (p->every_departure && n < (p->depart_to_s - p->depart_from_s + p->step_s - 1) / p->step_s))
    return;
  double mean = sum / n / 60.0;
  size_t at = ((size_t)slot * nz + o) * nz + d;
  if (slot == TH_SKIM_BEST) {
    s->time_min[at] = isnan(s->time_min[at]) ? mean : fmin(s->time_min[at], mean);
  } else {
    s->time_min[at] = mean;
    s->distance_km[at] = sum_km / n;
    s->cost[at] = sum_fare / n;
    s->wait_min[at] = sum_wait / n / 60.0;
    s->transfers[at] = sum_tr / n;
  }
}

/* Stage 2: one transit router over the lines of MODE_BITS into SLOT:
 * egress legs, then per origin zone its access legs and every pair. */
static void skim_transit_mode(SkimBuild *b, uint32_t mode_bits, ThSkimMode slot) {
  const ThNetwork *net = b->net;
  const int nz = b->nz;
  g_autoptr(ThTransitRouter) r =
      th_transit_router_new(net, b->services, b->hubs, TH_SERVICE_PASSENGER, mode_bits);
  int n_stops;
  const int *stops = th_transit_router_stops(r, &n_stops);
  if (n_stops == 0) return;
  const size_t cells = (size_t)n_stops * nz;
  g_autofree int *egress_all = g_new(int, 2 * cells);
  g_autofree double *egress_km = g_new(double, cells);
  g_autofree guint8 *egress_car = g_new0(guint8, cells);
  g_autofree int *access = g_new(int, (size_t)2 * n_stops);
  g_autofree double *access_km = g_new(double, n_stops);
  g_autofree guint8 *access_car = g_new0(guint8, n_stops);
  g_autofree int *stop_index = g_new(int, net->n_nodes);
  SkimStops x = {r,          stops,  n_stops,   egress_all, egress_km,
                 egress_car, access, access_km, access_car, stop_index};
  skim_egress(b, &x);
  for (int k = 0; k < n_stops; k++) stop_index[stops[k]] = k;
  for (int o = 0; o < nz; o++) {
    if (!skim_access(b, &x, o)) continue;
    for (int d = 0; d < nz; d++)
      if (d != o) skim_pair(b, &x, o, d, slot);
  }
}

/* A skim of NZ zones, every cell NAN (not served). */
static ThModeSkim *skim_alloc(int nz) {
  ThModeSkim *s = g_new0(ThModeSkim, 1);
  s->n_zones = nz;
  const size_t cells = (size_t)TH_SKIM_N_MODES * nz * nz;
  double **arrays[5] = {&s->time_min, &s->distance_km, &s->cost, &s->wait_min, &s->transfers};
  for (int a = 0; a < 5; a++) {
    *arrays[a] = g_new(double, cells);
    for (size_t i = 0; i < cells; i++) (*arrays[a])[i] = NAN;
  }
  return s;
}

/* Stage 3: best also covers single-mode journeys (the all-lines router
 * finds the earliest arrival, which is never later, but keep it exact). */
static void skim_best_of_modes(ThModeSkim *s) {
  const size_t nn = (size_t)s->n_zones * s->n_zones;
  for (int m = TH_SKIM_BUS; m <= TH_SKIM_INTERCITY; m++)
    for (size_t i = 0; i < nn; i++) {
      double v = s->time_min[(size_t)m * nn + i];
      double *bt = &s->time_min[(size_t)TH_SKIM_BEST * nn + i];
      if (!isnan(v) && (isnan(*bt) || v < *bt)) *bt = v;
    }
}

/* The stages: the road mode (skim_road), then each transit mode and the
 * router over every passenger line for best (skim_transit_mode), then best
 * also over the single modes (skim_best_of_modes). */
ThModeSkim *th_mode_skim_new(const ThNetwork *net, const ThServices *services, const ThHubs *hubs,
                             const double *link_time_s, const ThModeSkimParams *p) {
  const int nz = net->n_zones;
  ThModeSkim *s = skim_alloc(nz);
  /* per link: kilometres, and the money of a car (tolls + running cost) */
  g_autofree double *km = g_new(double, net->n_links + 1);
  g_autofree double *money = g_new(double, net->n_links + 1);
  for (int e = 0; e < net->n_links; e++) {
    km[e] = net->length_m[e] / 1000.0;
    money[e] = net->toll[e] + TH_SKIM_DEFAULT_COST_PER_KM * km[e];
  }
  g_autofree double *node_km = g_new(double, net->n_nodes);
  g_autofree double *node_money = g_new(double, net->n_nodes);
  g_autofree double *w = g_new(double, net->n_links);
  for (int e = 0; e < net->n_links; e++)
    w[e] = link_time_s && isfinite(link_time_s[e]) && link_time_s[e] > 0 ? link_time_s[e]
                                                                         : net->free_time_s[e];
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  g_autofree double *from_zone = g_new(double, (size_t)nz * net->n_nodes);
  g_autofree double *from_zone_km = g_new(double, (size_t)nz * net->n_nodes);
  /* access and egress by walk, bike or car (sim/access.h); the same rules
   * without car legs for journeys whose car leg outruns their longest ride */
  ThAccessRules rules_default;
  th_access_rules_init(&rules_default);
  SkimBuild b = {.net = net,
                 .services = services,
                 .hubs = hubs,
                 .p = p,
                 .s = s,
                 .nz = nz,
                 .km = km,
                 .money = money,
                 .w = w,
                 .sp = sp,
                 .from_zone = from_zone,
                 .from_zone_km = from_zone_km,
                 .node_km = node_km,
                 .node_money = node_money,
                 .rules = p->access ? p->access : &rules_default};
  b.no_car = *b.rules;
  b.no_car.car_max_km = 0;
  skim_road(&b);
  if (!services || services->n_lines == 0) return s;
  /* routers: one per mode, and one over every passenger line for "best" */
  const uint32_t mode_bits[5] = {TH_MODE_BUS, TH_MODE_RAIL, TH_MODE_HSR, TH_MODE_INTERCITY,
                                 TH_MODE_BUS | TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY};
  const ThSkimMode slot[5] = {TH_SKIM_BUS, TH_SKIM_RAIL, TH_SKIM_HSR, TH_SKIM_INTERCITY,
                              TH_SKIM_BEST};
  for (int m = 0; m < 5; m++) skim_transit_mode(&b, mode_bits[m], slot[m]);
  skim_best_of_modes(s);
  return s;
}

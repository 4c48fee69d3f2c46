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

ThModeSkim *th_mode_skim_new(const ThNetwork *net, const ThServices *services, const ThHubs *hubs,
                             const double *link_time_s, const ThModeSkimParams *p) {
  const int nz = net->n_zones;
  ThModeSkim *s = g_new0(ThModeSkim, 1);
  s->n_zones = nz;
  const size_t nn = (size_t)nz * nz;
  double **arrays[5] = {&s->time_min, &s->distance_km, &s->cost, &s->wait_min, &s->transfers};
  for (int a = 0; a < 5; a++) {
    *arrays[a] = g_new(double, TH_SKIM_N_MODES * nn);
    for (size_t i = 0; i < TH_SKIM_N_MODES * nn; i++) (*arrays[a])[i] = NAN;
  }
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
  /* road times and km from every zone to every node (access legs and the road mode) */
  g_autofree double *from_zone = g_new(double, (size_t)nz * net->n_nodes);
  g_autofree double *from_zone_km = g_new(double, (size_t)nz * net->n_nodes);
  for (int o = 0; o < nz; o++) {
    th_sp_run(sp, net->zone_node[o], w, TH_MODE_ROAD);
    memcpy(from_zone + (size_t)o * net->n_nodes, th_sp_dist(sp), sizeof(double) * net->n_nodes);
    for (int v = 0; v < net->n_nodes; v++) node_km[v] = node_money[v] = NAN;
    node_km[net->zone_node[o]] = node_money[net->zone_node[o]] = 0;
    th_sp_accumulate(sp, km, node_km);
    th_sp_accumulate(sp, money, node_money);
    memcpy(from_zone_km + (size_t)o * net->n_nodes, node_km, sizeof(double) * net->n_nodes);
    for (int d = 0; d < nz; d++) {
      double t = o == d ? 0 : from_zone[(size_t)o * net->n_nodes + net->zone_node[d]];
      size_t at = ((size_t)TH_SKIM_ROAD * nz + o) * nz + d;
      if (!isfinite(t)) continue;
      s->time_min[at] = t / 60.0;
      s->distance_km[at] = o == d ? 0 : node_km[net->zone_node[d]];
      s->cost[at] = o == d ? 0 : node_money[net->zone_node[d]];
      s->wait_min[at] = 0;
      s->transfers[at] = 0;
    }
  }
  for (int o = 0; o < nz; o++)
    for (int d = 0; d < nz; d++)
      s->time_min[((size_t)TH_SKIM_BEST * nz + o) * nz + d] =
          s->time_min[((size_t)TH_SKIM_ROAD * nz + o) * nz + d];
  if (!services || services->n_lines == 0) return s;

  /* routers: one per mode, and one over every passenger line for "best" */
  const uint32_t mode_bits[5] = {TH_MODE_BUS, TH_MODE_RAIL, TH_MODE_HSR, TH_MODE_INTERCITY,
                                 TH_MODE_BUS | TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY};
  const ThSkimMode slot[5] = {TH_SKIM_BUS, TH_SKIM_RAIL, TH_SKIM_HSR, TH_SKIM_INTERCITY,
                              TH_SKIM_BEST};
  /* access and egress by walk, bike or car (sim/access.h); the same rules
   * without car legs for journeys whose car leg outruns their longest ride */
  ThAccessRules rules_default, no_car;
  th_access_rules_init(&rules_default);
  const ThAccessRules *rules = p->access ? p->access : &rules_default;
  no_car = *rules;
  no_car.car_max_km = 0;
  for (int m = 0; m < 5; m++) {
    g_autoptr(ThTransitRouter) r =
        th_transit_router_new(net, services, hubs, TH_SERVICE_PASSENGER, mode_bits[m]);
    int n_stops;
    const int *stops = th_transit_router_stops(r, &n_stops);
    if (n_stops == 0) continue;
    /* egress: road time and km from each stop to each zone (stop-rooted
     * searches), as legs of each rule set ([0] with car, [1] without) */
    g_autofree int *egress_all = g_new(int, (size_t)2 * n_stops * nz);
    g_autofree double *egress_km = g_new(double, (size_t)n_stops *nz);
    g_autofree guint8 *egress_car = g_new0(guint8, (size_t)n_stops * nz);
    for (int k = 0; k < n_stops; k++) {
      th_sp_run(sp, stops[k], w, TH_MODE_ROAD);
      const double *dist = th_sp_dist(sp);
      for (int v = 0; v < net->n_nodes; v++) node_km[v] = NAN;
      node_km[stops[k]] = 0;
      th_sp_accumulate(sp, km, node_km);
      gboolean pr = th_access_park_and_ride(hubs, stops[k]);
      for (int d = 0; d < nz; d++) {
        int zn = net->zone_node[d];
        double t = stops[k] == zn ? 0 : dist[zn], x = stops[k] == zn ? 0 : node_km[zn];
        size_t at = (size_t)d * n_stops + k;
        egress_km[at] = x;
        egress_car[at] = th_access_leg(rules, x, t, pr, &egress_all[at]) == TH_ACCESS_CAR;
        th_access_leg(&no_car, x, t, pr, &egress_all[(size_t)n_stops * nz + at]);
      }
    }
    g_autofree int *access = g_new(int, (size_t)2 * n_stops);
    g_autofree double *access_km = g_new(double, n_stops);
    g_autofree guint8 *access_car = g_new0(guint8, n_stops);
    g_autofree int *stop_index = g_new(int, net->n_nodes);
    for (int k = 0; k < n_stops; k++) stop_index[stops[k]] = k;
    ThTransitJourney j;
    for (int o = 0; o < nz; o++) {
      gboolean any = FALSE;
      for (int k = 0; k < n_stops; k++) {
        size_t at = (size_t)o * net->n_nodes + stops[k];
        gboolean own = stops[k] == net->zone_node[o];
        double t = own ? 0 : from_zone[at], x = own ? 0 : from_zone_km[at];
        gboolean pr = th_access_park_and_ride(hubs, stops[k]);
        access_km[k] = x;
        access_car[k] = th_access_leg(rules, x, t, pr, &access[k]) == TH_ACCESS_CAR;
        th_access_leg(&no_car, x, t, pr, &access[n_stops + k]);
        any |= access[k] >= 0;
      }
      if (!any) continue;
      for (int d = 0; d < nz; d++) {
        if (d == o) continue;
        const int *egress = egress_all + (size_t)d * n_stops;
        double sum = 0, sum_km = 0, sum_fare = 0, sum_wait = 0, sum_tr = 0;
        int n = 0;
        for (int t0 = p->depart_from_s; t0 < p->depart_to_s; t0 += p->step_s) {
          th_transit_route(r, t0, access, egress, t0 + 86400, &j);
          if (j.n_legs > 0) {
            /* main mode: a car leg longer than the longest ride makes it a
             * car trip; look again on foot and by bike */
            int ka = stop_index[j.access_node], ke = stop_index[j.egress_node];
            size_t ate = (size_t)d * n_stops + ke;
            if (th_access_car_dominates(access_car[ka] ? TH_ACCESS_CAR : TH_ACCESS_WALK,
                                        access_km[ka],
                                        egress_car[ate] ? TH_ACCESS_CAR : TH_ACCESS_WALK,
                                        egress_km[ate], skim_longest_ride_km(services, &j)))
              th_transit_route(r, t0, access + n_stops,
                               egress_all + (size_t)n_stops * nz + (size_t)d * n_stops, t0 + 86400,
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
        /* a mode serves a pair only if it serves every departure of the
         * window (or, every_departure off, any departure) */
        if (n == 0 ||
            (p->every_departure &&
             n < (p->depart_to_s - p->depart_from_s + p->step_s - 1) / p->step_s))
          continue;
        double mean = sum / n / 60.0;
        size_t at = ((size_t)slot[m] * nz + o) * nz + d;
        if (slot[m] == TH_SKIM_BEST) {
          s->time_min[at] = isnan(s->time_min[at]) ? mean : fmin(s->time_min[at], mean);
        } else {
          s->time_min[at] = mean;
          s->distance_km[at] = sum_km / n;
          s->cost[at] = sum_fare / n;
          s->wait_min[at] = sum_wait / n / 60.0;
          s->transfers[at] = sum_tr / n;
        }
      }
    }
  }
  /* best also covers single-mode journeys (the all-lines router finds the
   * earliest arrival, which is never later, but keep it exact) */
  for (int m = TH_SKIM_BUS; m <= TH_SKIM_INTERCITY; m++)
    for (size_t i = 0; i < nn; i++) {
      double v = s->time_min[(size_t)m * nn + i];
      double *b = &s->time_min[(size_t)TH_SKIM_BEST * nn + i];
      if (!isnan(v) && (isnan(*b) || v < *b)) *b = v;
    }
  return s;
}

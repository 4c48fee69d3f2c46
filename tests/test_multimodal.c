/* test_multimodal.c: services and hubs readers, the layered graph, the
 * connection scan, the run simulation (capacity, left-behind, hub handling),
 * freight chains and logit mode choice. Every expected number here is worked
 * out by hand in the comment beside it. */
#include "network/hubs.h"
#include "network/layers.h"
#include "network/services.h"
#include "network/th-error.h"
#include "sim/car-ownership.h"
#include "sim/choice.h"
#include "sim/freight.h"
#include "sim/mode-skim.h"
#include "sim/multimodal.h"
#include "network/load.h"
#include "network/layers.h"
#include "sim/transit.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

/* A corridor of N nodes (ids 1..N) 10 km apart along the equator-ish line
 * (lon step 0.09 deg), road links both ways at 80 km/h, and rail links both
 * ways between RAIL_FROM and RAIL_TO at 100 km/h with cost_per_tkm RAIL_TKM.
 * Node 1 and node N are zones. Link ids: road 1000+i (forward) 2000+i
 * (back), rail 3000+i, 4000+i. */
static ThNetwork *corridor(int n, int rail_from, int rail_to, double rail_tkm) {
  ThNetwork *net = th_network_new();
  for (int i = 1; i <= n; i++)
    th_network_add_node(net, i, NULL, 112.0 + 0.09 * (i - 1), 35.5, TH_NODE_JUNCTION, -1, 0, 0, 0, i);
  for (int i = 1; i < n; i++)
    for (int dir = 0; dir < 2; dir++) {
      ThLinkSpec s = {.id = (dir ? 2000 : 1000) + i, .from_id = dir ? i + 1 : i,
                      .to_id = dir ? i : i + 1, .modes = TH_MODE_ROAD, .length_m = 10000,
                      .free_speed_mps = 80 / 3.6, .capacity_vph = 2000, .lanes = 2,
                      .bpr_alpha = 0.15, .bpr_beta = 4};
      th_network_add_link(net, &s);
      if (i >= rail_from && i < rail_to) {
        ThLinkSpec r = {.id = (dir ? 4000 : 3000) + i, .from_id = dir ? i + 1 : i,
                        .to_id = dir ? i : i + 1, .modes = TH_MODE_RAIL, .length_m = 10000,
                        .free_speed_mps = 100 / 3.6, .lanes = 1, .cost_per_tkm = rail_tkm};
        th_network_add_link(net, &r);
      }
    }
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
  return net;
}

static ThServices *services_text(const char *text, const ThNetwork *net) {
  g_autoptr(GError) e = NULL;
  ThServices *s = th_services_read_text("services.csv", text, strlen(text), net, &e);
  g_assert_no_error(e);
  return s;
}

static ThHubs *hubs_text(const char *text, const ThNetwork *net) {
  g_autoptr(GError) e = NULL;
  ThHubs *h = th_hubs_read_text("hubs.csv", text, strlen(text), net, &e);
  g_assert_no_error(e);
  return h;
}

#define SV_HEADER "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,departures,capacity,fare_flat,fare_per_km,source\n"
#define HUB_HEADER "node_id,name,kind,modes,transfer_min,handling_rate_tph,handling_cost_per_t,dwell_limit_h,source\n"

static void test_services_read(void) {
  g_autoptr(ThNetwork) net = corridor(6, 1, 6, 0.02);
  g_autoptr(ThServices) s = services_text(
      SV_HEADER
      /* run times from the rail path at free speed: 20 km at 100 km/h = 720 s,
       * 30 km = 1080 s; dwell 2 min at stop 3 */
      "R1,Corridor,rail,passenger,1;3;6,,,2,07:00,08:00,30,,500,2,0.1,E\n"
      /* explicit run minutes and departures; speed ignored */
      "R2,,rail,freight,6;1,45,,,,,,06:15;18:00,3000,,,\n"
      /* speed_kmh 60 over the 10 km path: 600 s */
      "B1,bus,bus,,2;3,,60,,,,,09:00,40,1,,\n",
      net);
  g_assert_cmpint(s->n_lines, ==, 3);
  const ThServiceLine *L = &s->lines[0];
  g_assert_cmpint(L->n_stops, ==, 3);
  g_assert_cmpint(L->arr_off_s[1], ==, 720);
  g_assert_cmpint(L->dep_off_s[1], ==, 840);
  g_assert_cmpint(L->arr_off_s[2], ==, 840 + 1080);
  g_assert_cmpint(L->dep_off_s[2], ==, 840 + 1080); /* no dwell at the last stop */
  g_assert_cmpfloat(L->seg_len_m[0], ==, 20000);
  g_assert_cmpint(L->seg_link_start[1] - L->seg_link_start[0], ==, 2);
  g_assert_cmpint(L->n_runs, ==, 3); /* 07:00, 07:30, 08:00 */
  g_assert_cmpint(th_run_dep_s(s, L->first_run + 2, 1), ==, 8 * 3600 + 840);
  g_assert_cmpint(s->lines[1].kind, ==, TH_SERVICE_FREIGHT);
  g_assert_cmpint(s->lines[1].arr_off_s[1], ==, 2700);
  g_assert_cmpfloat(s->lines[1].seg_len_m[0], ==, 50000);
  g_assert_cmpint(s->lines[1].n_runs, ==, 2);
  g_assert_cmpint(th_run_dep_s(s, s->lines[1].first_run, 0), ==, 6 * 3600 + 900);
  g_assert_cmpint(s->lines[2].mode, ==, TH_MODE_BUS);
  g_assert_cmpint(s->lines[2].arr_off_s[1], ==, 600);
  g_assert_cmpint(s->n_runs, ==, 6);
  g_assert_cmpint(th_services_find_line(s, "B1"), ==, 2);
  /* a sweep changes the headway of every rail line given by headway */
  g_assert_cmpint(th_services_set_headway(s, TH_MODE_RAIL, 15 * 60), ==, 1);
  g_assert_cmpint(s->lines[0].n_runs, ==, 5);
  g_assert_cmpint(s->n_runs, ==, 8);
  g_assert_cmpint(s->lines[2].first_run, ==, 7);
  /* written back, it reads to the same timetable */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  th_services_write(s, net, f);
  fclose(f);
  g_autoptr(ThServices) s2 = services_text(buf, net);
  free(buf);
  g_assert_cmpint(s2->n_runs, ==, s->n_runs);
  for (int r = 0; r < s->n_runs; r++)
    for (int k = 0; k < s->lines[s->runs[r].line].n_stops; k++)
      g_assert_cmpint(th_run_arr_s(s2, r, k), ==, th_run_arr_s(s, r, k));
}

static void expect_error(const char *text, const char *const *lines, gboolean hubs) {
  g_autoptr(ThNetwork) net = corridor(6, 1, 4, 0.02);
  g_autoptr(GError) e = NULL;
  if (hubs) {
    g_autoptr(ThHubs) h = th_hubs_read_text("hubs.csv", text, strlen(text), net, &e);
    g_assert_null(h);
  } else {
    g_autoptr(ThServices) s = th_services_read_text("services.csv", text, strlen(text), net, &e);
    g_assert_null(s);
  }
  g_assert_nonnull(e);
  g_assert_true(e->code == TH_ERROR_INVALID || e->code == TH_ERROR_PARSE);
  g_auto(GStrv) got = g_strsplit(e->message, "\n", -1);
  g_assert_cmpint(g_strv_length(got), ==, g_strv_length((char **)lines));
  for (int i = 0; lines[i]; i++) g_assert_cmpstr(got[i], ==, lines[i]);
}

static void test_services_bad(void) {
  const char *text =
      SV_HEADER
      "R1,,plane,passenger,1;2,,,,07:00,08:00,30,,100,,,\n"
      "R1,,rail,cargo,1;9,,,,07:00,06:00,30,,0,,,\n"
      "R3,,rail,,1;2;3,5,,,,,,,100,-1,,\n"
      "R4,,rail,,1,,,,,,,07:00;06:00,100,,,\n"
      "R5,,rail,,1;5,,,,07:00,08:00,0,,100,,,\n"
      "R6,,rail,,4;6,,,,07:00,08:00,10,,100,,,\n";
  const char *const want[] = {
      "services.csv:2: mode 'plane' is not a service mode (rail, hsr, intercity or bus)",
      "services.csv:3: line 'R1' appears twice (one row per line)",
      "services.csv:3: kind 'cargo' is unknown (passenger or freight)",
      "services.csv:3: stop 9 is not a node of the network",
      "services.csv:3: capacity '0' is not a positive number (seats per run)",
      "services.csv:3: last_dep 06:00 is before first_dep 07:00",
      "services.csv:4: run_min has 1 value(s) for 3 stops (one per segment: 2, or empty)",
      "services.csv:4: fare_flat '-1' is not a number >= 0 (yuan)",
      "services.csv:4: no timetable (first_dep, last_dep and headway_min, or departures)",
      "services.csv:5: stops has 1 stop(s) (at least 2 node ids separated by ;)",
      "services.csv:5: departure '06:00' is earlier than the one before it (departures in time order)",
      "services.csv:6: headway_min '0' is not a positive number (minutes)",
      "services.csv:7: no path over rail links from stop 4 to stop 6 (links allowing rail between "
      "consecutive stops, or run_min)",
      NULL};
  expect_error(text, want, FALSE);
  const char *const want_col[] = {
      "services.csv:1: missing required column 'stops' (header has: line, mode)", NULL};
  expect_error("line,mode\nR1,rail\n", want_col, FALSE);
}

static void test_hubs_read(void) {
  g_autoptr(ThNetwork) net = corridor(6, 1, 6, 0.02);
  g_autoptr(ThHubs) h = hubs_text(HUB_HEADER
                                  "2,East,logistics,road;rail,10,500,8,48,E\n"
                                  "5,,station,road;rail,3,,,,\n",
                                  net);
  g_assert_cmpint(h->n_hubs, ==, 2);
  g_assert_cmpint(h->hubs[0].node, ==, 1);
  g_assert_cmpint(h->hubs[0].transfer_s, ==, 600);
  g_assert_cmpfloat(h->hubs[0].handling_rate_tph, ==, 500);
  g_assert_cmpint(h->hubs[0].dwell_limit_s, ==, 48 * 3600);
  g_assert_cmpint(h->hubs[0].modes, ==, TH_MODE_ROAD | TH_MODE_RAIL);
  g_assert_true(th_hubs_at(h, 4) == &h->hubs[1]);
  g_assert_null(th_hubs_at(h, 0));
  g_assert_cmpint(th_hubs_transfer_s(h, 4), ==, 180);
  g_assert_cmpint(th_hubs_transfer_s(h, 0), ==, TH_DEFAULT_TRANSFER_S);

  const char *bad = HUB_HEADER
      "x,,station,,,,,,\n"
      "99,,station,,,,,,\n"
      "2,,depot,road;ship,-1,,,,\n"
      "3,,logistics,road;rail,,,,,\n"
      "4,,station,,,,abc,,\n"
      "4,,station,,,,,,\n";
  const char *const want[] = {
      "hubs.csv:2: node_id 'x' is not a whole number (a node id)",
      "hubs.csv:3: node_id 99 is not a node of the network",
      "hubs.csv:4: kind 'depot' is unknown (station or logistics)",
      "hubs.csv:4: modes has unknown mode 'ship' (road, rail, hsr, intercity, bus, walk separated by ;)",
      "hubs.csv:4: transfer_min '-1' is not a number >= 0 (minutes)",
      "hubs.csv:5: handling_rate_tph is missing or 0 for a logistics hub (tonnes per hour > 0)",
      "hubs.csv:6: handling_cost_per_t 'abc' is not a number >= 0 (yuan per tonne)",
      NULL};
  /* line 7 repeats node 4 of line 6, which itself was bad and so not kept */
  expect_error(bad, want, TRUE);
  const char *const want_dup[] = {"hubs.csv:3: node_id 4 is listed twice (line 2)", NULL};
  expect_error(HUB_HEADER "4,,station,,,,,,\n4,,station,,,,,,\n", want_dup, TRUE);
  /* park_and_ride: yes, no or empty (yes) */
  const char *const want_pr[] = {"hubs.csv:3: park_and_ride 'maybe' is not yes or no (empty = yes)",
                                 NULL};
  expect_error("node_id,park_and_ride\n4,no\n5,maybe\n", want_pr, TRUE);
  g_autoptr(ThHubs) hp = hubs_text("node_id,park_and_ride\n4,no\n5,\n6,yes\n", net);
  g_assert_false(hp->hubs[0].park_and_ride);
  g_assert_true(hp->hubs[1].park_and_ride && hp->hubs[2].park_and_ride);
  g_assert_true(h->hubs[0].park_and_ride); /* no column: every listed hub allows it */
  /* written back: the column only when some hub has no car park */
  for (int k = 0; k < 2; k++) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    th_hubs_write(k ? hp : h, net, f);
    fclose(f);
    g_assert_true((strstr(buf, "park_and_ride") != NULL) == (k == 1));
    g_autoptr(ThHubs) back = hubs_text(buf, net);
    free(buf);
    const ThHubs *src = k ? hp : h;
    for (int i = 0; i < src->n_hubs; i++)
      g_assert_cmpint(back->hubs[i].park_and_ride, ==, src->hubs[i].park_and_ride);
  }
}

static void test_layers(void) {
  g_autoptr(ThNetwork) net = corridor(6, 2, 5, 0.02);
  g_autoptr(ThHubs) h = hubs_text(HUB_HEADER "2,,logistics,road;rail,10,500,8,,\n"
                                             "5,,logistics,road;rail,10,250,8,,\n", net);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThLayers) L = th_layers_build(net, NULL, h, &e);
  g_assert_no_error(e);
  /* road layer: 6 nodes, 10 links; rail: nodes 2..5, 6 links; transfers: 2 hubs x 2 */
  g_assert_cmpint(L->g->n_nodes, ==, 6 + 4);
  g_assert_cmpint(L->g->n_links, ==, 10 + 6 + 4);
  g_assert_cmpint(th_layers_node(L, TH_LAYER_RAIL, 0), ==, -1);
  int r2 = th_layers_node(L, TH_LAYER_RAIL, 1);
  g_assert_cmpint(L->g->node_id[r2], ==, 1 * 7 + 2);
  g_assert_cmpint(L->node_orig[r2], ==, 1);
  /* a truck-only search never leaves the road layer */
  g_autofree double *w = g_new(double, L->g->n_links);
  /* coal-like class: VOT 1/t/h, truck 3 yuan/km for 30 t; shipment 100 t */
  th_layers_freight_weights(L, 100, 1.0, 3.0, 30.0, 0, NULL, w);
  int board = -1;
  for (int i = 0; i < L->g->n_links; i++)
    if (L->link_kind[i] == TH_LLINK_BOARD && L->node_orig[L->g->link_from[i]] == 4) board = i;
  g_assert_cmpint(board, >=, 0);
  /* 100 t at 250 t/h: 0.4 h x 1 yuan/t/h + 8 yuan/t */
  g_assert_cmpfloat_with_epsilon(w[board], 0.4 + 8, 1e-9);
  /* a road link: 450 s x 1/3600 + 10 km x 3 / 30 */
  g_assert_cmpfloat_with_epsilon(w[0], 450.0 / 3600 + 1.0, 1e-9);
}

/* A line A -> B with S seats, runs every H from 08:00; N > S passengers
 * ready at 07:55. The first run takes S, the next S, ...; each run that
 * leaves people behind adds exactly H to their wait. */
static void test_capacity_headway(void) {
  g_autoptr(ThNetwork) net = corridor(3, 1, 3, 0);
  g_autoptr(ThServices) s = services_text(SV_HEADER "R,,rail,,1;3,20,,,08:00,09:00,10,,50,,,\n", net);
  g_autoptr(ThTransitSim) sim = th_transit_sim_new(net, s, NULL);
  ThTransitLeg leg = {.line = 0, .run = 0, .board_k = 0, .alight_k = 1};
  const int N = 120, ready = 7 * 3600 + 55 * 60;
  for (int i = 0; i < N; i++) th_transit_sim_add(sim, 1, ready, &leg, 1, 60);
  th_transit_sim_run(sim, 24 * 3600);
  for (int i = 0; i < N; i++) {
    const ThRiderResult *r = th_transit_sim_rider(sim, i);
    int run = i / 50; /* arrival order */
    g_assert_cmpint(r->status, ==, TH_RIDER_ARRIVED);
    g_assert_cmpint(r->wait_s, ==, 300 + run * 600);
    g_assert_cmpint(r->left_behind, ==, run);
    g_assert_cmpint(r->in_vehicle_s, ==, 1200);
    g_assert_cmpint(r->arrive_s, ==, 8 * 3600 + run * 600 + 1200 + 60);
  }
  const int left[] = {70, 20, 0};
  for (int k = 0; k < 3; k++) {
    const ThTransitRunLoad *rr = th_transit_sim_run_result(sim, k);
    g_assert_cmpint(rr->boardings, ==, k < 2 ? 50 : 20);
    g_assert_cmpfloat(rr->peak_load, ==, k < 2 ? 50 : 20);
    g_assert_cmpint(rr->left_behind, ==, left[k]);
    g_assert_cmpfloat(rr->load_km, ==, rr->peak_load * 20);
  }
  g_assert_cmpfloat(th_transit_sim_segment_load(sim, 0, 0), ==, N);
}

/* Boardings and alightings per stop, by hand: line R stops 1;3;5 (k 0, 1,
 * 2) with seats for everyone; 10 riders 1 -> 3, 5 riders 1 -> 5, 7 riders
 * 3 -> 5; a freight line F 1;5 carries one shipment of 2.5 t. Stop 1:
 * 15 boarded, 0 alighted; stop 3: 7 boarded, 10 alighted; stop 5: 0 and 12.
 * The shipment: 1 boarding of 2.5 t at 1, 1 alighting of 2.5 t at 5. */
static void test_stop_loads(void) {
  g_autoptr(ThNetwork) net = corridor(5, 1, 5, 0);
  g_autoptr(ThServices) s = services_text(SV_HEADER "R,,rail,,1;3;5,,,1,08:00,09:00,20,,500,,,\n"
                                                    "F,,rail,freight,1;5,,,,08:00,10:00,60,,100,,,\n",
                                          net);
  g_autoptr(ThTransitSim) sim = th_transit_sim_new(net, s, NULL);
  const int ready = 7 * 3600 + 50 * 60;
  const struct { int b, a, n; } groups[] = {{0, 1, 10}, {0, 2, 5}, {1, 2, 7}};
  for (guint g = 0; g < G_N_ELEMENTS(groups); g++)
    for (int i = 0; i < groups[g].n; i++) {
      ThTransitLeg leg = {.line = 0, .board_k = groups[g].b, .alight_k = groups[g].a};
      th_transit_sim_add(sim, 1, ready, &leg, 1, 0);
    }
  ThTransitLeg fl = {.line = 1, .board_k = 0, .alight_k = 1};
  th_transit_sim_add(sim, 2.5, ready, &fl, 1, 0);
  th_transit_sim_run(sim, 24 * 3600);
  const int board[] = {15, 7, 0}, alight[] = {0, 10, 12};
  for (int k = 0; k < 3; k++) {
    const ThTransitStopLoad *x = th_transit_sim_stop_result(sim, 0, k);
    g_assert_cmpint(x->boardings, ==, board[k]);
    g_assert_cmpint(x->alightings, ==, alight[k]);
    g_assert_cmpfloat(x->boarded_load, ==, board[k]);
    g_assert_cmpfloat(x->alighted_load, ==, alight[k]);
  }
  const ThTransitStopLoad *f0 = th_transit_sim_stop_result(sim, 1, 0), *f1 = th_transit_sim_stop_result(sim, 1, 1);
  g_assert_cmpint(f0->boardings, ==, 1);
  g_assert_cmpfloat(f0->boarded_load, ==, 2.5);
  g_assert_cmpint(f0->alightings, ==, 0);
  g_assert_cmpint(f1->alightings, ==, 1);
  g_assert_cmpfloat(f1->alighted_load, ==, 2.5);
}

/* One sampling rule: a day of 1,000 passengers (one every 7.2 s from 07:00)
 * on a 45-seat line every 10 min (07:00-10:00, 19 runs, 855 seats) and 100
 * shipments of 20 t (one every 72 s) through a hub handling 800 t/h, run in
 * full and as a 10 % sample (every tenth rider, sample factor 0.1: runs of 4
 * or 5 seats, 85 or 86 in all, and 80 t/h at the hub). Load factor,
 * left-behind and stranded shares agree within sampling error. The hub is a
 * D/D/1 queue worked out by hand: in full, shipment j arrives at 72 j and is
 * served 90 s, so it waits 18 j s (mean 18 x 49.5 = 891 s); in the sample,
 * shipment k arrives at 720 k and is served 900 s, so it waits 180 k s (mean
 * 180 x 4.5 = 810 s). Without scaling, the sample's hub would show no queue
 * and its runs a load factor of 0.1. */
static void test_sample_rule(void) {
  g_autoptr(ThNetwork) net = corridor(3, 1, 3, 0);
  g_autoptr(ThServices) s = services_text(SV_HEADER "P,,rail,,1;3,20,,,07:00,10:00,10,,45,,,\n"
                                                    "F,,rail,freight,1;3,20,,,07:00,23:00,60,,100000,,,\n",
                                          net);
  g_autoptr(ThHubs) h = hubs_text(HUB_HEADER "1,,logistics,road;rail,,800,,,\n", net);
  double lf[2], behind[2], stranded[2], queue[2];
  for (int v = 0; v < 2; v++) {
    double f = v ? 0.1 : 1.0;
    int step = v ? 10 : 1;
    g_autoptr(ThTransitSim) sim = th_transit_sim_new(net, s, h);
    th_transit_sim_set_sample_factor(sim, f);
    ThTransitLeg pl = {.line = 0, .board_k = 0, .alight_k = 1};
    ThTransitLeg fl = {.line = 1, .board_k = 0, .alight_k = 1, .handle_before = 1};
    int np = 0;
    for (int i = 0; i < 1000; i += step, np++) th_transit_sim_add(sim, 1, 7 * 3600 + i * 36 / 5, &pl, 1, 0);
    for (int j = 0; j < 100; j += step) th_transit_sim_add(sim, 20, 7 * 3600 + 72 * j, &fl, 1, 0);
    th_transit_sim_run(sim, 24 * 3600);
    double peak = 0;
    for (int r = 0; r < s->n_runs; r++)
      if (s->runs[r].line == 0) peak += th_transit_sim_run_result(sim, r)->peak_load;
    lf[v] = peak / (19 * 45 * f);
    int nb = 0, ns = 0;
    for (int i = 0; i < np; i++) {
      const ThRiderResult *r = th_transit_sim_rider(sim, i);
      nb += r->left_behind > 0;
      ns += r->status == TH_RIDER_STRANDED;
    }
    behind[v] = (double)nb / np;
    stranded[v] = (double)ns / np;
    const ThHubResult *hr = th_transit_sim_hub_result(sim, 0);
    queue[v] = hr->queue_s_sum / hr->shipments;
    g_test_message("sample %.1f: load factor %.3f, left behind %.3f, stranded %.3f, hub queue %.1f s",
                   f, lf[v], behind[v], stranded[v], queue[v]);
  }
  g_assert_cmpfloat(fabs(lf[1] - lf[0]), <, 0.03);
  g_assert_cmpfloat(fabs(behind[1] - behind[0]), <, 0.05);
  g_assert_cmpfloat(fabs(stranded[1] - stranded[0]), <, 0.05);
  g_assert_cmpfloat_with_epsilon(queue[0], 891, 1e-6);
  g_assert_cmpfloat_with_epsilon(queue[1], 810, 1e-6);
}

/* After the last run, those still waiting are stranded; passengers who come
 * after the horizon stay en route. Everyone is accounted for. */
static void test_conservation(void) {
  g_autoptr(ThNetwork) net = corridor(5, 1, 5, 0);
  g_autoptr(ThServices) s = services_text(SV_HEADER "R,,rail,,1;3;5,,,1,08:00,09:00,20,,7,,,\n"
                                                    "F,,rail,freight,1;5,,,,08:00,10:00,60,,100,,,\n",
                                          net);
  g_autoptr(ThTransitSim) sim = th_transit_sim_new(net, s, NULL);
  GRand *rng = g_rand_new_with_seed(7);
  const int N = 400;
  double tonnes_in = 0;
  for (int i = 0; i < N; i++) {
    gboolean freight = g_rand_int_range(rng, 0, 4) == 0;
    int b = freight ? 0 : g_rand_int_range(rng, 0, 2);
    ThTransitLeg leg = {.line = freight ? 1 : 0, .board_k = b,
                        .alight_k = freight ? 1 : g_rand_int_range(rng, b + 1, 3)};
    double load = freight ? g_rand_int_range(rng, 5, 60) : 1;
    if (freight) tonnes_in += load;
    th_transit_sim_add(sim, load, 7 * 3600 + g_rand_int_range(rng, 0, 4 * 3600), &leg, 1, 0);
  }
  g_rand_free(rng);
  th_transit_sim_run(sim, 9 * 3600 + 1800);
  int counts[3] = {0};
  double boarded = 0, tonnes_arrived = 0;
  for (int i = 0; i < N; i++) {
    const ThRiderResult *r = th_transit_sim_rider(sim, i);
    counts[r->status]++;
    g_assert_cmpint(r->boardings, <=, 1);
    if (r->status == TH_RIDER_ARRIVED) g_assert_cmpint(r->boardings, ==, 1);
  }
  g_assert_cmpint(counts[0] + counts[1] + counts[2], ==, N);
  g_assert_cmpint(counts[TH_RIDER_STRANDED], >, 0);
  g_assert_cmpint(counts[TH_RIDER_EN_ROUTE], >, 0);
  for (int r = 0; r < s->n_runs; r++) {
    const ThTransitRunLoad *rr = th_transit_sim_run_result(sim, r);
    g_assert_cmpfloat(rr->peak_load, <=, s->lines[s->runs[r].line].capacity);
    if (s->runs[r].line == 1) tonnes_arrived += rr->boarded_load;
    else boarded += rr->boardings;
  }
  g_assert_cmpfloat(tonnes_arrived, <=, tonnes_in);
  g_assert_cmpfloat(boarded, >, 0);
}

/* Freight corridor: 21 nodes, 200 km; rail from node 2 to node 20; logistics
 * hubs at 2, 4 and 20; a freight line 2;4;20 hourly. */
typedef struct {
  ThNetwork *net;
  ThServices *sv;
  ThHubs *hubs;
  ThLayers *layers;
} Fixture;

static void fixture_init(Fixture *f, double handling_cost, double rate) {
  f->net = corridor(21, 2, 20, 0.02);
  f->sv = services_text(SV_HEADER "F,,rail,freight,2;4;20,,,10,00:00,23:00,60,,3000,,,\n", f->net);
  g_autofree char *h = g_strdup_printf(HUB_HEADER "2,,logistics,road;rail,,%g,%g,1,\n"
                                       "4,,logistics,road;rail,,%g,%g,1,\n"
                                       "20,,logistics,road;rail,,%g,%g,1,\n",
                                       rate, handling_cost, rate, handling_cost, rate, handling_cost);
  f->hubs = hubs_text(h, f->net);
  g_autoptr(GError) e = NULL;
  f->layers = th_layers_build(f->net, f->sv, f->hubs, &e);
  g_assert_no_error(e);
}

static void fixture_clear(Fixture *f) {
  th_layers_free(f->layers);
  th_hubs_free(f->hubs);
  th_services_free(f->sv);
  th_network_free(f->net);
}

static const ThClass coal = {"coal", TH_CLASS_FREIGHT, 2.5, 1.0, 30.0, 1.0, 1.0, 3.0};

static void test_freight_long_short(void) {
  Fixture f;
  fixture_init(&f, 5, 500);
  g_autoptr(ThFreightPlanner) p = th_freight_planner_new(f.layers, f.sv, f.hubs);
  ThFreightPlan plan;
  /* long: 200 km. Truck: 200 km x 3/30 = 20 yuan/t + 2.5 h x 1 = 22.5.
   * Rail: 10 km truck each end (1 + 0.125 each), two handlings of 100 t at
   * 500 t/h (0.2 h + 5 yuan each), 180 km x 0.02 = 3.6, ride 1.8 h + 10 min
   * dwell, wait for the hourly train: about 17 yuan/t. */
  th_freight_plan(p, &coal, 0, 20, 6 * 3600, 100, NULL, 24 * 3600, &plan);
  g_assert_true(plan.by_rail);
  g_assert_cmpint(plan.hub_from, ==, 1);
  g_assert_cmpint(plan.hub_to, ==, 19);
  g_assert_cmpfloat_with_epsilon(plan.truck_cost_per_t, 22.5, 1e-9);
  g_assert_cmpint(plan.access_s, ==, 450);
  g_assert_cmpint(plan.egress_s, ==, 450);
  g_assert_cmpint(plan.rail.n_legs, ==, 1);
  g_assert_true(plan.rail.legs[0].handle_before && plan.rail.legs[0].handle_after);
  /* the first train after 06:00 + 450 s drive + 720 s handling leaves at 07:00 */
  int wait = 7 * 3600 - (6 * 3600 + 450 + 720);
  g_assert_cmpint(plan.rail.wait_s, ==, wait);
  double ride = 180 * 3.6 / 100 * 1000 + 600; /* 6480 s + dwell */
  g_assert_cmpint(plan.rail.in_vehicle_s, ==, (int)ride);
  double expect = 2 * (1 + 450.0 / 3600) + 2 * (0.2 + 5) + 3.6 + (ride + wait) / 3600.0;
  g_assert_cmpfloat_with_epsilon(plan.rail_cost_per_t, expect, 1e-6);
  g_assert_cmpfloat_with_epsilon(plan.gen_cost_per_t, expect, 1e-6);
  g_assert_cmpfloat(plan.handling_cost_per_t, ==, 10);
  /* short: node 1 to node 6, 50 km: truck 5 + 0.625 yuan/t beats any chain
   * (handling alone is 10 yuan/t) */
  th_freight_plan(p, &coal, 0, 5, 6 * 3600, 100, NULL, 24 * 3600, &plan);
  g_assert_false(plan.by_rail);
  g_assert_cmpint(plan.hub_from >= 0, ==, isfinite(plan.rail_cost_per_t));
  g_assert_cmpfloat_with_epsilon(plan.gen_cost_per_t, 5.625, 1e-9);
  g_assert_cmpint(plan.truck_time_s, ==, 5 * 450);
  g_clear_pointer(&p, th_freight_planner_free);
  fixture_clear(&f);

  /* the handling cost appears in the chain's generalized cost one for one:
   * 1 yuan/t more per hub is 2 yuan/t more for the chain */
  Fixture g;
  fixture_init(&g, 6, 500);
  g_autoptr(ThFreightPlanner) p2 = th_freight_planner_new(g.layers, g.sv, g.hubs);
  ThFreightPlan plan2;
  th_freight_plan(p2, &coal, 0, 20, 6 * 3600, 100, NULL, 24 * 3600, &plan2);
  g_assert_true(plan2.by_rail);
  g_assert_cmpfloat_with_epsilon(plan2.rail_cost_per_t - expect, 2.0, 1e-6);
  g_clear_pointer(&p2, th_freight_planner_free);
  fixture_clear(&g);
}

/* Rail dearer than trucking (0.5 yuan/tkm against 0.1125 by truck): the
 * cheapest path is the truck, and the cheapest way onto the rail at the hubs
 * is to drive there and board, which rides no train (before the fix the
 * planner offered "load and unload at one hub": no chain, so a shipment that
 * must go by rail was unserved). The chain it now offers rides a train, as
 * little of it as it can: truck 10 km to hub 2 (1.125), handling at 2 and 4
 * (2 x 5.2), 20 km by rail (10), truck 170 km from hub 4 (17 x 1.125), plus
 * the timetable's ride and wait. */
static void test_freight_chain_rides(void) {
  Fixture f;
  f.net = corridor(21, 2, 20, 0.5);
  f.sv = services_text(SV_HEADER "F,,rail,freight,2;4;20,,,10,00:00,23:00,60,,3000,,,\n", f.net);
  f.hubs = hubs_text(HUB_HEADER "2,,logistics,road;rail,,500,5,1,\n4,,logistics,road;rail,,500,5,1,\n"
                                "20,,logistics,road;rail,,500,5,1,\n", f.net);
  g_autoptr(GError) e = NULL;
  f.layers = th_layers_build(f.net, f.sv, f.hubs, &e);
  g_assert_no_error(e);
  g_autoptr(ThFreightPlanner) p = th_freight_planner_new(f.layers, f.sv, f.hubs);
  ThFreightPlan plan;
  th_freight_plan(p, &coal, 0, 20, 6 * 3600, 100, NULL, 24 * 3600, &plan);
  g_assert_false(plan.by_rail);
  g_assert_cmpfloat_with_epsilon(plan.truck_cost_per_t, 22.5, 1e-9);
  g_assert_true(isfinite(plan.rail_cost_per_t));
  g_test_message("chain %d -> %d: %.4f yuan/t, ride %d s, wait %d s, access %d s, money %.3f", plan.hub_from,
                 plan.hub_to, plan.rail_cost_per_t, plan.rail.in_vehicle_s, plan.rail.wait_s,
                 plan.access_s, plan.money_per_t);
  g_assert_cmpint(plan.hub_from, ==, 1);
  g_assert_cmpint(plan.hub_to, ==, 3);
  g_assert_cmpint(plan.rail.n_legs, ==, 1);
  g_assert_cmpint(plan.rail.in_vehicle_s, ==, 720); /* 20 km at 100 km/h */
  double expect = 1.125 + 2 * 5.2 + 10 + 17 * 1.125 + (plan.rail.in_vehicle_s + plan.rail.wait_s) / 3600.0;
  g_assert_cmpfloat_with_epsilon(plan.rail_cost_per_t, expect, 1e-6);
  g_clear_pointer(&p, th_freight_planner_free);
  fixture_clear(&f);
}

/* Freight levers, by hand on the 200 km corridor of test_freight_long_short:
 * a truck surcharge of 0.1 yuan/tkm adds 200 x 0.1 = 20 yuan/t to the truck
 * (22.5 -> 42.5) and 2 x 10 km x 0.1 = 2 to the chain's truck legs; a rail
 * surcharge of 0.05 adds 180 x 0.05 = 9 to the chain. 公转铁: 10 shipments
 * of 30 t over 50 km, where the truck (5.6 yuan/t) is far cheaper than the
 * chain (14.9), go by rail only as the logit draws (4 of 10); with
 * rail_min_km = 40 all go by rail (and arrive). */
static void test_freight_levers(void) {
  Fixture f;
  fixture_init(&f, 5, 500);
  g_autoptr(ThFreightPlanner) p = th_freight_planner_new(f.layers, f.sv, f.hubs);
  ThFreightPlan base, plan;
  th_freight_plan(p, &coal, 0, 20, 6 * 3600, 100, NULL, 24 * 3600, &base);
  ThFreightLevers lv = {.truck_surcharge_per_tkm = 0.1};
  th_freight_planner_set_levers(p, &lv);
  th_freight_planner_reset(p); /* truck paths from hubs are cached per class */
  th_freight_plan(p, &coal, 0, 20, 6 * 3600, 100, NULL, 24 * 3600, &plan);
  g_assert_cmpfloat_with_epsilon(plan.truck_cost_per_t, 42.5, 1e-9);
  g_assert_cmpfloat_with_epsilon(plan.rail_cost_per_t - base.rail_cost_per_t, 2.0, 1e-6);
  lv = (ThFreightLevers){.rail_surcharge_per_tkm = 0.05};
  th_freight_planner_set_levers(p, &lv);
  th_freight_planner_reset(p);
  th_freight_plan(p, &coal, 0, 20, 6 * 3600, 100, NULL, 24 * 3600, &plan);
  g_assert_cmpfloat_with_epsilon(plan.truck_cost_per_t, 22.5, 1e-9);
  g_assert_cmpfloat_with_epsilon(plan.rail_cost_per_t - base.rail_cost_per_t, 9.0, 1e-6);
  th_freight_planner_set_levers(p, NULL);
  th_freight_planner_reset(p);
  th_freight_plan(p, &coal, 0, 5, 6 * 3600, 30, NULL, 24 * 3600, &plan);
  g_test_message("50 km, 30 t: truck %.3f, chain %.3f (%d -> %d)", plan.truck_cost_per_t, plan.rail_cost_per_t,
                 plan.hub_from, plan.hub_to);
  g_clear_pointer(&p, th_freight_planner_free);
  for (int v = 0; v < 2; v++) {
    g_autoptr(ThClassTable) classes = th_class_table_new();
    int cc = th_class_table_lookup(classes, "coal");
    g_autoptr(ThTrips) trips = th_trips_new(NULL);
    for (int i = 0; i < 10; i++) th_trips_add(trips, i + 1, f.net, 0, 5, 6 * 3600 + 60 * i, classes, cc, 0, 30);
    g_autofree ThFreightLevers *levers = g_new0(ThFreightLevers, classes->n);
    levers[cc].rail_min_km = 40;
    ThSimParams sp;
    th_sim_params_init(&sp);
    sp.iterations = 1;
    ThMultimodalParams mp;
    th_multimodal_params_init(&mp);
    mp.services = f.sv;
    mp.hubs = f.hubs;
    mp.choice_iterations = 1;
    mp.freight_levers = v ? levers : NULL;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(f.net, trips, classes, &sp, &mp, &e);
    g_assert_no_error(e);
    int rail = 0;
    for (int i = 0; i < 10; i++) {
      rail += r->run->mode[i] == TH_MODE_RAIL;
      g_assert_cmpint(r->run->status[i], ==, TH_TRIP_ARRIVED);
    }
    g_test_message("rail_min_km %s: %d of 10 by rail", v ? "40" : "off", rail);
    /* the logit sends P = 1 / (1 + exp(0.1 x (14.9 - 5.6))) = 28 % by rail: 4 of these 10 draws */
    g_assert_cmpint(rail, ==, v ? 10 : 4);
  }
  fixture_clear(&f);
}

/* A hub of rate R serves a batch of n shipments of q tonnes that arrive
 * together in n q / R hours; the k-th waits (k-1) q / R before service. */
static void test_hub_analytic(void) {
  Fixture f;
  fixture_init(&f, 5, 100);
  g_autoptr(ThTransitSim) sim = th_transit_sim_new(f.net, f.sv, f.hubs);
  ThTransitLeg leg = {.line = 0, .board_k = 0, .alight_k = 2, .handle_before = 1, .handle_after = 1};
  const int n = 5;
  const double q = 40; /* 0.4 h = 1440 s each at 100 t/h */
  for (int i = 0; i < n; i++) th_transit_sim_add(sim, q, 3600, &leg, 1, 0);
  th_transit_sim_run(sim, 48 * 3600);
  const ThHubResult *a = th_transit_sim_hub_result(sim, 0);
  g_assert_cmpfloat(a->tonnes_handled, ==, n * q);
  g_assert_cmpint(a->shipments, ==, n);
  g_assert_cmpfloat(a->queue_s_sum, ==, 1440.0 * (0 + 1 + 2 + 3 + 4));
  g_assert_cmpfloat(a->peak_queue_t, ==, n * q);
  /* the last leaves the origin hub at 1 h + 2 h = 03:00 and boards the 03:00
   * train (riders before departures at the same second) */
  const ThRiderResult *last = th_transit_sim_rider(sim, n - 1);
  g_assert_cmpint(last->status, ==, TH_RIDER_ARRIVED);
  g_assert_cmpint(last->wait_s, ==, 0);
  /* all five ride the same trains? The first four leave the hub before 03:00
   * and take the 02:00 (first three) or 03:00 train; at the far hub each
   * waits for those of its train before it. */
  /* dwell limit 1 h: at the hub from 01:00, the first two leave at 02:00
   * (exactly 1 h, not over), the other three at 03:00 (over) */
  g_assert_cmpint(a->over_dwell, ==, 3);
  const ThHubResult *b = th_transit_sim_hub_result(sim, 2);
  g_assert_cmpint(b->over_dwell, ==, 0); /* handling after the ride is not dwelling */
  g_assert_cmpfloat(b->tonnes_handled, ==, n * q);
  g_assert_cmpint(th_transit_sim_hub_result(sim, 1)->shipments, ==, 0);
  for (int i = 0; i < n; i++) {
    const ThRiderResult *r = th_transit_sim_rider(sim, i);
    /* handling at the origin hub: its own 1440 s plus the queue */
    g_assert_cmpint(r->handling_s, >=, 1440 * (i + 1) + 1440);
    /* of that, the queues (what trips_out's wait_s counts): all but the two
     * services of 1440 s; at the origin hub the k-th waited (k-1) x 1440 s */
    g_assert_cmpint(r->handling_s - r->hub_queue_s, ==, 2 * 1440);
    g_assert_cmpint(r->hub_queue_s, >=, 1440 * i);
  }
  g_clear_pointer(&sim, th_transit_sim_free);
  fixture_clear(&f);
}

static void test_logit(void) {
  const ThClass car = {"car", TH_CLASS_PASSENGER, 1, 36.0, 0, 2.0, 3.0, 0.8};
  ThCostParts parts = {.in_vehicle_s = 1800, .wait_s = 600, .transfer_s = 300, .money = 7};
  /* 36 yuan/h = 0.01 yuan/s: 18 + 2 x 6 + 3 x 3 + 7 */
  g_assert_cmpfloat_with_epsilon(th_gen_cost(&car, &parts), 18 + 12 + 9 + 7, 1e-9);

  double cost[3] = {10, 15, INFINITY}, asc[3] = {0, 0.5, 0}, prob[3];
  int best = th_logit_probs(3, cost, asc, 0.2, prob);
  double p0 = 1 / (1 + exp(0.5 - 1.0));
  g_assert_cmpint(best, ==, 0);
  g_assert_cmpfloat_with_epsilon(prob[0], p0, 1e-12);
  g_assert_cmpfloat(prob[2], ==, 0);
  /* huge costs do not overflow */
  double big[2] = {1e6, 1e6 + 5};
  th_logit_probs(2, big, NULL, 0.2, prob);
  g_assert_cmpfloat_with_epsilon(prob[0], 1 / (1 + exp(-1.0)), 1e-12);
  double none[2] = {INFINITY, INFINITY};
  g_assert_cmpint(th_logit_probs(2, none, NULL, 0.2, prob), ==, -1);
  g_assert_cmpint(th_logit_pick(2, prob, 0.5), ==, -1);

  /* simulated shares over many agents match the formula within 4 sigma */
  th_logit_probs(3, cost, asc, 0.2, prob);
  const int N = 40000;
  int n0 = 0;
  for (int i = 0; i < N; i++)
    if (th_logit_pick(3, prob, th_agent_uniform(42, i, 0, TH_DRAW_MODE)) == 0) n0++;
  double sd = sqrt(p0 * (1 - p0) / N);
  g_assert_cmpfloat(fabs((double)n0 / N - p0), <, 4 * sd);
  /* draws depend on (seed, agent, iteration, purpose) only */
  g_assert_cmpfloat(th_agent_uniform(1, 5, 2, TH_DRAW_MODE), ==, th_agent_uniform(1, 5, 2, TH_DRAW_MODE));
  g_assert_cmpfloat(th_agent_uniform(1, 5, 2, TH_DRAW_MODE), !=, th_agent_uniform(1, 5, 3, TH_DRAW_MODE));
  g_assert_cmpfloat(th_agent_uniform(1, 5, 2, TH_DRAW_MODE), !=, th_agent_uniform(2, 5, 2, TH_DRAW_MODE));

  g_autoptr(ThChoiceParams) cp = th_choice_params_new();
  g_autoptr(GKeyFile) kf = g_key_file_new();
  const char *ini = "[choice]\nscale = 0.05\nscale.car = 0.08\nasc.car.rail = -0.5\n";
  g_assert_true(g_key_file_load_from_data(kf, ini, -1, 0, NULL));
  g_autoptr(GError) e = NULL;
  g_assert_true(th_choice_params_load(cp, kf, "choice", "s.ini", &e));
  g_assert_cmpfloat(th_choice_params_scale(cp, "car"), ==, 0.08);
  g_assert_cmpfloat(th_choice_params_scale(cp, "truck"), ==, 0.05);
  g_assert_cmpfloat(th_choice_params_asc(cp, "car", TH_MODE_RAIL), ==, -0.5);
  g_assert_cmpfloat(th_choice_params_asc(cp, "car", TH_MODE_HSR), ==, 0);
  const char *acc =
      "[choice]\naccess_walk_max_km = 1\naccess_bike_max_km = 0\naccess_car_max_km = 30\n";
  g_assert_true(g_key_file_load_from_data(kf, acc, -1, 0, NULL));
  g_assert_true(th_choice_params_load(cp, kf, "choice", "s.ini", &e));
  g_assert_cmpfloat(th_choice_params_access(cp)->walk_max_km, ==, 1);
  g_assert_cmpfloat(th_choice_params_access(cp)->bike_max_km, ==, 0);
  g_assert_cmpfloat(th_choice_params_access(cp)->car_max_km, ==, 30);
  /* constants per market: a market's own replaces the class's; others keep it */
  g_autoptr(ThChoiceParams) cm = th_choice_params_new();
  g_autoptr(GKeyFile) km = g_key_file_new();
  const char *mini = "[choice]\nasc.car.bus = -1\nasc.car.bus.internal = -2\nasc.car.bus.through = 0.5\n"
                     "asc.my.class.rail.external = 3\nasc.car.hsr.all = 4\n";
  g_assert_true(g_key_file_load_from_data(km, mini, -1, 0, NULL));
  g_assert_true(th_choice_params_load(cm, km, "choice", "s.ini", &e));
  g_assert_no_error(e);
  g_assert_cmpfloat(th_choice_params_asc_market(cm, "car", TH_MODE_BUS, TH_MARKET_INTERNAL), ==, -2);
  g_assert_cmpfloat(th_choice_params_asc_market(cm, "car", TH_MODE_BUS, TH_MARKET_THROUGH), ==, 0.5);
  g_assert_cmpfloat(th_choice_params_asc_market(cm, "car", TH_MODE_BUS, TH_MARKET_EXTERNAL), ==, -1);
  g_assert_cmpfloat(th_choice_params_asc_market(cm, "car", TH_MODE_BUS, TH_MARKET_ALL), ==, -1);
  g_assert_cmpfloat(th_choice_params_asc(cm, "car", TH_MODE_BUS), ==, -1);
  g_assert_cmpfloat(th_choice_params_asc_market(cm, "my.class", TH_MODE_RAIL, TH_MARKET_EXTERNAL), ==, 3);
  g_assert_cmpfloat(th_choice_params_asc_market(cm, "my.class", TH_MODE_RAIL, TH_MARKET_INTERNAL), ==, 0);
  g_assert_cmpfloat(th_choice_params_asc(cm, "car", TH_MODE_HSR), ==, 4);
  const char *bad = "[choice]\nscale = -1\nasc.car.boat = 1\nfoo = 2\nscale.car = x\n"
                    "asc.car.bus.abroad = 1\nasc.bus.internal = 1\naccess_car_max_km = -5\n";
  g_assert_true(g_key_file_load_from_data(kf, bad, -1, 0, NULL));
  g_assert_false(th_choice_params_load(cp, kf, "choice", "s.ini", &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_nonnull(strstr(e->message, "s.ini: [choice] scale = '-1' is not a number (above 0, 1/yuan)"));
  g_assert_nonnull(strstr(e->message, "unknown key [choice] asc.car.boat (expected one of scale, "
                                      "scale.CLASS, asc.CLASS.MODE, asc.CLASS.MODE.MARKET, "
                                      "access_walk_max_km, access_bike_max_km, "
                                      "access_car_max_km, crowding)"));
  g_assert_nonnull(strstr(e->message, "unknown key [choice] foo"));
  g_assert_nonnull(strstr(e->message, "scale.car = 'x' is not a number"));
  g_assert_nonnull(
      strstr(e->message, "s.ini: [choice] access_car_max_km = '-5' is not a number (km, 0 or more)"));
  g_assert_nonnull(strstr(e->message, "s.ini: unknown key [choice] asc.car.bus.abroad (expected one of"));
  g_assert_nonnull(strstr(e->message, "s.ini: unknown key [choice] asc.bus.internal (expected one of"));
}

/* The connection scan against a brute force over all runs for journeys
 * with one ride, and a two-ride journey with a transfer. */
static void test_route(void) {
  g_autoptr(ThNetwork) net = corridor(7, 1, 7, 0);
  g_autoptr(ThServices) s = services_text(
      SV_HEADER "A,,rail,,1;3;4,10;5,,2,07:00,10:00,15,,100,2,0.5,\n"
                "B,,rail,,4;7,,,,07:10,10:00,20,,100,3,0,\n"
                "X,,rail,,1;7,90,,,07:00,10:00,60,,100,1,0,\n",
      net);
  g_autoptr(ThHubs) h = hubs_text(HUB_HEADER "4,,station,road;rail,4,,,,\n", net);
  g_autoptr(ThTransitRouter) r = th_transit_router_new(net, s, h, TH_SERVICE_PASSENGER, TH_MODE_ALL);
  int ns;
  const int *stops = th_transit_router_stops(r, &ns);
  g_assert_cmpint(ns, ==, 4); /* nodes 1, 3, 4, 7 */
  int acc[4], egr[4];
  for (int i = 0; i < ns; i++) {
    acc[i] = stops[i] == 0 ? 120 : -1;
    egr[i] = stops[i] == 6 ? 60 : -1;
  }
  ThTransitJourney j;
  /* leave 07:00, at stop 1 by 07:02: A 07:15 -> node 4 at 07:15+10+2+5 = 07:32,
   * transfer 4 min -> 07:36, B at 07:50 -> 07:50 + 30 min (30 km at 100 km/h
   * is 1080 s = 18 min). X 08:00 arrives 09:30. So A+B: 07:50+18 = 08:08 + 1 min. */
  th_transit_route(r, 7 * 3600, acc, egr, 24 * 3600, &j);
  g_assert_cmpint(j.n_legs, ==, 2);
  g_assert_cmpint(j.legs[0].line, ==, 0);
  g_assert_cmpint(j.legs[1].line, ==, 1);
  g_assert_cmpint(j.arrive_s, ==, 7 * 3600 + 50 * 60 + 1080 + 60);
  g_assert_cmpint(j.wait_s, ==, (15 - 2) * 60 + (50 - 36) * 60);
  g_assert_cmpint(j.transfer_s, ==, 240);
  g_assert_cmpint(j.in_vehicle_s, ==, 17 * 60 + 1080);
  g_assert_cmpfloat_with_epsilon(j.km, 30 + 30, 1e-9);
  g_assert_cmpfloat_with_epsilon(j.fare, 2 + 0.5 * 30 + 3, 1e-9);
  g_assert_cmpint(j.access_s, ==, 120);
  /* brute force over single rides from node 1 to node 4 at every departure minute */
  for (int i = 0; i < ns; i++) egr[i] = stops[i] == 3 ? 0 : -1;
  for (int t = 6 * 3600; t < 10 * 3600 + 600; t += 97) {
    th_transit_route(r, t, acc, egr, 24 * 3600, &j);
    int best = G_MAXINT;
    for (int run = 0; run < s->n_runs; run++) {
      const ThServiceLine *L = &s->lines[s->runs[run].line];
      if (L->stop[0] != 0) continue;
      for (int k = 1; k < L->n_stops; k++)
        if (L->stop[k] == 3 && th_run_dep_s(s, run, 0) >= t + 120)
          best = MIN(best, th_run_arr_s(s, run, k));
    }
    if (best == G_MAXINT) g_assert_cmpint(j.n_legs, ==, 0);
    else g_assert_cmpint(j.arrive_s, ==, best);
  }
}


/* Two modes with known costs through the whole driver: from node 1 to node
 * 3 a car costs 900 s x 30 yuan/h + 20 km x 0.8 yuan = 23.5 yuan; the train
 * (at the stop when it leaves, 10 min, fare 5) costs 5 + 5 = 10 yuan. With
 * scale 0.1 the logit share of rail is 1 / (1 + exp(-1.35)). */
static void test_simulate_shares(void) {
  g_autoptr(ThNetwork) net = corridor(3, 1, 3, 0);
  g_autoptr(ThServices) s = services_text(SV_HEADER "R,,rail,,1;3,10,,,06:00,10:00,1,,1000,5,0,\n", net);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  const int N = 4000;
  for (int i = 0; i < N; i++)
    th_trips_add(trips, i + 1, net, 0, 2, 7 * 3600, classes, th_class_table_lookup(classes, "car"), 0, 0);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 1;
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  mp.services = s;
  mp.choice_iterations = 1;
  g_autoptr(GError) e = NULL;
  g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
  g_assert_no_error(e);
  int rail = 0;
  for (int i = 0; i < N; i++) rail += r->run->mode[i] == TH_MODE_RAIL;
  double p_rail = 1 / (1 + exp(-0.1 * (23.5 - 10)));
  g_assert_cmpfloat(fabs((double)rail / N - p_rail), <, 4 * sqrt(p_rail * (1 - p_rail) / N));
  g_assert_cmpint(r->run->arrived + r->run->stuck + r->run->unserved + r->run->en_route, ==, N);
  g_assert_cmpint(r->run->arrived, ==, N);
  /* 1000 seats a minute: the riders leave on ceil(rail / 1000) trains */
  int trains = 0;
  double pax = 0;
  for (int k = 0; k < r->n_runs; k++) {
    trains += r->runs[k].boardings > 0;
    pax += r->runs[k].boarded_load;
    g_assert_cmpfloat(r->runs[k].peak_load, <=, 1000);
  }
  g_assert_cmpint(trains, ==, (rail + 999) / 1000);
  g_assert_cmpfloat(pax, ==, rail);
  /* passengers on the rail links: every rider crosses both */
  double on_rail = 0;
  for (guint i = 0; i < r->run->link_flows->len; i++) {
    const ThLinkFlow *f = &g_array_index(r->run->link_flows, ThLinkFlow, i);
    if (f->mode == TH_MODE_RAIL) on_rail += f->passengers;
  }
  g_assert_cmpfloat(on_rail, ==, 2.0 * rail);
  /* the generalized cost of a rider who left at once is the planned 10 yuan
   * plus the crowding of its train, full (load factor 1: 0.3 x 10 min =
   * 1.5 yuan; the first iteration plans with no crowding expected) */
  for (int i = 0; i < N; i++)
    if (r->run->mode[i] == TH_MODE_RAIL && r->run->wait_s[i] == 0) {
      g_assert_cmpfloat_with_epsilon(r->run->gen_cost[i], 11.5, 1e-9);
      break;
    }
}

/* Access and egress rules (sim/access.h) on a corridor 1-2-...-6, 10 km
 * links at 80 km/h (450 s), every node its own zone; bus B from node 3 to
 * node 6 at 07:00, 20 min, no fare. A bus traveller from node 1 must drive
 * 20 km to node 3 (walk 2 km, bike 10 km are too short):
 *  - node 3 a roadside stop (not in hubs.csv): no car access, unserved;
 *  - node 3 a station (hubs.csv, park_and_ride empty = yes): served by bus,
 *    the 900 s drive on the road (a road vehicle), the bus at 07:00, arrival
 *    07:20 = 26,400 s, 50 km (20 driven + 30 ridden);
 *  - the same with [choice] access_car_max_km = 15: unserved;
 *  - park_and_ride = no: unserved;
 *  - a bus ride 3 -> 4 (10 km) after the 20 km drive: its main mode is the
 *    car (the drive is its longest leg): unserved as bus.
 * From node 2 the stop is 10 km away: by bike at 15 km/h, 2,400 s, no road
 * vehicle; leaving 06:00 the traveller reaches the stop 06:40 and arrives
 * 07:20. The skims follow the same rules (below). */
static ThNetwork *corridor_zones(int n) {
  ThNetwork *net = th_network_new();
  for (int i = 1; i <= n; i++)
    th_network_add_node(net, i, NULL, 112.0 + 0.09 * (i - 1), 35.5, TH_NODE_JUNCTION, i, 1000, 0, 0,
                        i);
  for (int i = 1; i < n; i++)
    for (int dir = 0; dir < 2; dir++) {
      ThLinkSpec s = {.id = (dir ? 2000 : 1000) + i,
                      .from_id = dir ? i + 1 : i,
                      .to_id = dir ? i : i + 1,
                      .modes = TH_MODE_ROAD | TH_MODE_BUS,
                      .length_m = 10000,
                      .free_speed_mps = 80 / 3.6,
                      .capacity_vph = 2000,
                      .lanes = 2,
                      .bpr_alpha = 0.15,
                      .bpr_beta = 4};
      th_network_add_link(net, &s);
    }
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
  return net;
}

/* One bus traveller from node index O to D leaving at DEPART under HUBS_CSV
 * (NULL: none) and a car cap CAR_MAX_KM, on line STOPS: its results. */
static ThMultimodalResults *access_case(const ThNetwork *net, const char *stops,
                                        const char *hubs_csv, double car_max_km, int o, int d,
                                        int depart) {
  g_autofree char *sv = g_strdup_printf(SV_HEADER "B,,bus,,%s,20,,,,,,07:00,50,0,0,\n", stops);
  g_autoptr(ThServices) s = services_text(sv, net);
  g_autoptr(ThHubs) h = hubs_csv ? hubs_text(hubs_csv, net) : NULL;
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  th_trips_add(trips, 1, net, o, d, depart, classes, th_class_table_lookup(classes, "car"),
               TH_MODE_BUS, 0);
  g_autoptr(ThChoiceParams) cp = th_choice_params_new();
  th_choice_params_access_mut(cp)->car_max_km = car_max_km;
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 1;
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  mp.services = s;
  mp.hubs = h;
  mp.choice = cp;
  mp.choice_iterations = 1;
  g_autoptr(GError) e = NULL;
  ThMultimodalResults *r = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
  g_assert_no_error(e);
  return r;
}

static void test_access_rules(void) {
  /* the rule itself */
  ThAccessRules ar;
  th_access_rules_init(&ar);
  int dur;
  g_assert_cmpint(th_access_leg(&ar, 0, 0, FALSE, &dur), ==, TH_ACCESS_WALK);
  g_assert_cmpint(dur, ==, 0);
  /* within walking distance people walk (1.5 km at 4.5 km/h), car park or not */
  g_assert_cmpint(th_access_leg(&ar, 1.5, 120, TRUE, &dur), ==, TH_ACCESS_WALK);
  g_assert_cmpint(dur, ==, 1200);
  th_access_rules_set_speeds(&ar, 5, 0); /* [sim] walk_kmh = 5, ebike_kmh kept */
  th_access_leg(&ar, 1.5, 120, TRUE, &dur);
  g_assert_cmpint(dur, ==, 1080);
  th_access_rules_init(&ar);
  g_assert_cmpint(th_access_leg(&ar, 3, 240, TRUE, &dur), ==,
                  TH_ACCESS_CAR); /* beyond: the faster */
  g_assert_cmpint(dur, ==, 240);
  g_assert_cmpint(th_access_leg(&ar, 3, 240, FALSE, &dur), ==, TH_ACCESS_BIKE); /* no car park */
  g_assert_cmpint(dur, ==, 720);
  g_assert_cmpint(th_access_leg(&ar, 10, 600, FALSE, &dur), ==, TH_ACCESS_BIKE);
  g_assert_cmpint(dur, ==, 2400);
  g_assert_cmpint(th_access_leg(&ar, 20, 900, FALSE, &dur), ==, TH_ACCESS_NONE);
  g_assert_cmpint(dur, ==, -1);
  g_assert_cmpint(th_access_leg(&ar, 80, 3600, TRUE, &dur), ==, TH_ACCESS_CAR);
  g_assert_cmpint(th_access_leg(&ar, 81, 3600, TRUE, &dur), ==, TH_ACCESS_NONE);
  g_assert_cmpint(th_access_leg(&ar, 0, INFINITY, TRUE, &dur), ==, TH_ACCESS_NONE); /* no road */
  g_assert_true(th_access_car_dominates(TH_ACCESS_CAR, 20, TH_ACCESS_WALK, 0, 10));
  g_assert_false(th_access_car_dominates(TH_ACCESS_CAR, 20, TH_ACCESS_WALK, 0, 30));
  g_assert_false(th_access_car_dominates(TH_ACCESS_BIKE, 20, TH_ACCESS_WALK, 0, 10));

  g_autoptr(ThNetwork) net = corridor_zones(6);
  const char *pr = "node_id,name,kind,modes,transfer_min,park_and_ride\n3,,station,road;bus,5,\n";
  const char *no_pr =
      "node_id,name,kind,modes,transfer_min,park_and_ride\n3,,station,road;bus,5,no\n";
  {
    g_autoptr(ThMultimodalResults) r = access_case(net, "3;6", NULL, 80, 0, 5, 6 * 3600);
    g_assert_cmpint(r->run->unserved, ==, 1);
  }
  {
    g_autoptr(ThMultimodalResults) r = access_case(net, "3;6", pr, 80, 0, 5, 6 * 3600);
    g_assert_cmpint(r->run->arrived, ==, 1);
    g_assert_cmpint(r->run->mode[0], ==, TH_MODE_BUS);
    g_assert_cmpint(r->run->arrive_s[0], ==, 7 * 3600 + 20 * 60);
    g_assert_cmpfloat_with_epsilon(r->run->distance_m[0], 50000, 1e-6);
    /* the drive is a road vehicle over links 1-2 and 2-3 */
    double car = 0;
    for (guint i = 0; i < r->run->link_flows->len; i++) {
      const ThLinkFlow *f = &g_array_index(r->run->link_flows, ThLinkFlow, i);
      if (f->mode == TH_MODE_ROAD && (f->link == 0 || f->link == 2)) car += f->vehicles;
    }
    g_assert_cmpfloat(car, >=, 1);
  }
  {
    g_autoptr(ThMultimodalResults) r = access_case(net, "3;6", pr, 15, 0, 5, 6 * 3600);
    g_assert_cmpint(r->run->unserved, ==, 1);
  }
  {
    g_autoptr(ThMultimodalResults) r = access_case(net, "3;6", no_pr, 80, 0, 5, 6 * 3600);
    g_assert_cmpint(r->run->unserved, ==, 1);
  }
  {
    g_autoptr(ThMultimodalResults) r = access_case(net, "3;4", pr, 80, 0, 3, 6 * 3600);
    g_assert_cmpint(r->run->unserved, ==, 1);
  }
  {
    /* by bike from node 2: no road vehicle at all */
    g_autoptr(ThMultimodalResults) r = access_case(net, "3;6", NULL, 80, 1, 5, 6 * 3600);
    g_assert_cmpint(r->run->arrived, ==, 1);
    g_assert_cmpint(r->run->arrive_s[0], ==, 7 * 3600 + 20 * 60);
    for (guint i = 0; i < r->run->link_flows->len; i++) {
      const ThLinkFlow *f = &g_array_index(r->run->link_flows, ThLinkFlow, i);
      g_assert_true(f->mode != TH_MODE_ROAD); /* the bus itself is mode bus */
    }
  }
  /* skims: the same rules, one departure at 06:30: zone 1 -> 6 by bus
   * needs the drive, so it is empty without park-and-ride; with it: drive
   * 15 min, wait 15 min for the 07:00 bus, ride 20 min = 50 min door to
   * door, 15 min of it waiting. */
  g_autoptr(ThServices) s = services_text(SV_HEADER "B,,bus,,3;6,20,,,,,,07:00,50,0,0,\n", net);
  g_autoptr(ThHubs) h = hubs_text(pr, net);
  ThModeSkimParams sp;
  th_mode_skim_params_init(&sp);
  sp.depart_from_s = 6 * 3600 + 30 * 60;
  sp.depart_to_s = 6 * 3600 + 31 * 60;
  g_autoptr(ThModeSkim) without = th_mode_skim_new(net, s, NULL, NULL, &sp);
  g_autoptr(ThModeSkim) with = th_mode_skim_new(net, s, h, NULL, &sp);
  g_assert_true(isnan(th_mode_skim_at(without, TH_SKIM_BUS, 0, 5)));
  g_assert_cmpfloat_with_epsilon(th_mode_skim_at(with, TH_SKIM_BUS, 0, 5), 50, 1e-9);
  g_assert_cmpfloat_with_epsilon(with->wait_min[((size_t)TH_SKIM_BUS * 6 + 0) * 6 + 5], 15, 1e-9);
  /* from zone 2 by bike (40 min to the stop): 06:30 + 40 min = 07:10, too
   * late for the 07:00 bus: empty; from zone 3 (walk 0): 30 min wait + 20 */
  g_assert_true(isnan(th_mode_skim_at(without, TH_SKIM_BUS, 1, 5)));
  g_assert_cmpfloat_with_epsilon(th_mode_skim_at(without, TH_SKIM_BUS, 2, 5), 50, 1e-9);
  /* the drive is capped like the simulation's */
  ThAccessRules capped;
  th_access_rules_init(&capped);
  capped.car_max_km = 15;
  sp.access = &capped;
  g_autoptr(ThModeSkim) cap = th_mode_skim_new(net, s, h, NULL, &sp);
  g_assert_true(isnan(th_mode_skim_at(cap, TH_SKIM_BUS, 0, 5)));
}

/* In-vehicle crowding (choice.h, Wardman and Whelan 2011): the curve, and
 * the generalized cost of riders of one 10-seat train at 07:00, 10 min from
 * node 1 to node 3, fare 5, class car (30 yuan/h, wait weight 2), every
 * traveller bound to rail and leaving 06:50: 600 s riding = 5 yuan, 600 s
 * waiting x 2 = 10 yuan, fare 5: 20 yuan without crowding. With 8 riders
 * (load factor 0.8, multiplier 1.15) 0.15 x 600 s = 90 s more: 20.75; with
 * 10 (full, 1.30): 180 s, 21.50; `crowding = 0` switches it off (20). */
static void test_crowding(void) {
  g_assert_cmpfloat(th_crowding_multiplier(0), ==, 1);
  g_assert_cmpfloat(th_crowding_multiplier(0.6), ==, 1);
  g_assert_cmpfloat_with_epsilon(th_crowding_multiplier(0.8), 1.15, 1e-12);
  g_assert_cmpfloat_with_epsilon(th_crowding_multiplier(1.0), 1.30, 1e-12);
  g_assert_cmpfloat_with_epsilon(th_crowding_multiplier(1.7), 1.30, 1e-12);
  g_autoptr(ThNetwork) net = corridor(3, 1, 3, 0);
  g_autoptr(ThServices) s =
      services_text(SV_HEADER "R,,rail,,1;3,10,,,07:00,07:00,60,,10,5,0,\n", net);
  const struct {
    int n;
    double crowding, want;
  } cases[] = {{8, 1, 20.75}, {10, 1, 21.5}, {10, 0, 20}};
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    g_autoptr(ThClassTable) classes = th_class_table_new();
    g_autoptr(ThTrips) trips = th_trips_new(NULL);
    for (int i = 0; i < cases[c].n; i++)
      th_trips_add(trips, i + 1, net, 0, 2, 6 * 3600 + 50 * 60, classes,
                   th_class_table_lookup(classes, "car"), TH_MODE_RAIL, 0);
    g_autoptr(ThChoiceParams) cp = th_choice_params_new();
    th_choice_params_set_crowding(cp, cases[c].crowding);
    ThSimParams p;
    th_sim_params_init(&p);
    p.iterations = 1;
    ThMultimodalParams mp;
    th_multimodal_params_init(&mp);
    mp.services = s;
    mp.choice = cp;
    mp.choice_iterations = 1;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
    g_assert_no_error(e);
    g_assert_cmpint(r->run->arrived, ==, cases[c].n);
    for (int i = 0; i < cases[c].n; i++)
      g_assert_cmpfloat_with_epsilon(r->run->gen_cost[i], cases[c].want, 1e-9);
  }
  /* bad values of the key */
  g_autoptr(ThChoiceParams) cp = th_choice_params_new();
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_assert_true(g_key_file_load_from_data(kf, "[choice]\ncrowding = -1\n", -1, 0, NULL));
  g_autoptr(GError) e = NULL;
  g_assert_false(th_choice_params_load(cp, kf, "choice", "s.ini", &e));
  g_assert_nonnull(strstr(
      e->message, "s.ini: [choice] crowding = '-1' is not a number (0 or more: 1 the published curve, 0 off)"));
}

/* Walk, e-bike and car ownership (sim/multimodal.h, README "Walk, e-bike and
 * car ownership"), by hand on the corridor of 3 nodes (10 km links, 80
 * km/h), no services, free flow (one choice iteration), scale 0.1, walk up
 * to 12 km at 4.5 km/h, e-bike up to 15 km at 15 km/h. A 10 km trip costs
 *   car   450 s x 30/3600 + 10 km x 0.8 = 11.75 yuan,
 *   e-bike 2,400 s x 30/3600 = 20 yuan,  walk 8,000 s x 30/3600 = 66.67 yuan:
 * with a car P = 0.69333 / 0.30382 / 0.00286, without one e-bike 0.99068,
 * walk 0.00932, car never. A 20 km trip is beyond both distances: car, and
 * without a car (no bus here) a lift: a road trip at the car's cost, never
 * unserved (multimodal.h). E-bike trips arrive 2,400 s and
 * walkers 8,000 s after they leave. */
static void test_walk_ebike_car(void) {
  g_autoptr(ThNetwork) net = corridor(3, 1, 1, 0);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  const int N = 4000, M = 200;
  int car = th_class_table_lookup(classes, "car");
  for (int i = 0; i < N; i++) th_trips_add(trips, i + 1, net, 0, 1, 7 * 3600, classes, car, 0, 0);
  for (int i = 0; i < M; i++) th_trips_add(trips, N + i + 1, net, 0, 2, 7 * 3600, classes, car, 0, 0);
  g_autofree guint8 *has_car = g_new(guint8, N + M);
  for (int a = 0; a < N + M; a++) has_car[a] = a % 2;
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 1;
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  g_assert_cmpfloat(mp.walk_kmh, ==, 4.5);
  g_assert_cmpfloat(mp.ebike_kmh, ==, 15);
  g_assert_cmpfloat(mp.walk_max_km, ==, 0);
  mp.choice_iterations = 1;
  mp.walk_max_km = 12;
  mp.ebike_max_km = 15;
  mp.car_available = has_car;
  g_autoptr(GError) e = NULL;
  g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
  g_assert_no_error(e);
  int n[2][3] = {{0}}; /* [car][road, ebike, walk] over the 10 km trips */
  for (int a = 0; a < N + M; a++) {
    uint32_t md = r->run->mode[a];
    /* (an unserved trip is reported with mode road, as before) */
    if (a >= N) { /* 20 km: driven, or a lift without a car */
      g_assert_cmpuint(md, ==, TH_MODE_ROAD);
      g_assert_cmpint(r->run->status[a], !=, TH_TRIP_UNSERVED);
      continue;
    }
    if (!has_car[a]) g_assert_cmpuint(md, !=, TH_MODE_ROAD);
    if (md == TH_MODE_EBIKE) {
      g_assert_cmpint(r->run->arrive_s[a] - r->run->depart_s[a], ==, 2400);
      g_assert_cmpfloat(r->run->distance_m[a], ==, 10000);
      g_assert_cmpfloat_with_epsilon(r->run->gen_cost[a], 20.0, 1e-9);
    } else if (md == TH_MODE_WALK) {
      g_assert_cmpint(r->run->arrive_s[a] - r->run->depart_s[a], ==, 8000);
    } else {
      g_assert_cmpuint(md, ==, TH_MODE_ROAD);
    }
    n[has_car[a]][md == TH_MODE_ROAD ? 0 : md == TH_MODE_EBIKE ? 1 : 2]++;
  }
  const double pc[3] = {0.69333, 0.30382, 0.00286};
  for (int k = 0; k < 3; k++) {
    double q = pc[k], sd = sqrt(q * (1 - q) / (N / 2));
    g_assert_cmpfloat(fabs(n[1][k] / (N / 2.0) - q), <, 4 * sd + 1e-4);
  }
  double qe = 0.99068, sde = sqrt(qe * (1 - qe) / (N / 2));
  g_assert_cmpint(n[0][0], ==, 0);
  g_assert_cmpfloat(fabs(n[0][1] / (N / 2.0) - qe), <, 4 * sde);
  g_assert_cmpint(r->run->arrived + r->run->unserved, ==, N + M);
  g_assert_cmpint(r->run->unserved, ==, 0); /* the 100 car-less 20 km travellers get lifts */
  /* off (the default): nobody walks or rides */
  mp.walk_max_km = mp.ebike_max_km = 0;
  mp.car_available = NULL;
  g_autoptr(ThMultimodalResults) r0 = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
  g_assert_no_error(e);
  for (int a = 0; a < N + M; a++) g_assert_cmpuint(r0->run->mode[a], ==, TH_MODE_ROAD);
  /* ebike is a traveller's mode, not a link's: link.csv may not allow it */
  g_autofree char *dir = th_test_tmpdir();
  g_free(th_test_write(dir, "node.csv", "node_id,x_coord,y_coord,zone_id\n1,112.0,35.0,1\n2,112.1,35.0,2\n"));
  g_free(th_test_write(dir, "link.csv",
                       "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,lanes\n"
                       "1,1,2,road;ebike,10,60,1000,1\n2,2,1,road,10,60,1000,1\n"));
  g_autoptr(ThNetwork) bad = th_network_load(dir, &e);
  g_assert_null(bad);
  g_assert_nonnull(strstr(e->message, "link.csv:2: allowed_uses has unknown mode 'ebike'"));
  th_test_rmtree(dir);
}

/* Car ownership draws (sim/car-ownership.h): zone A (study area) at 0.3,
 * zone B at 1: trips A -> B and B -> A have their home in A (the study-area
 * end) and about 30 % have a car (within 4 standard deviations of 10,000
 * draws); with no study area given B -> A is B's (all have one); a shipment
 * always has its truck; the same seed gives the same draws. */
static void test_car_ownership(void) {
  ThNetwork *net0 = th_network_new();
  th_network_add_node(net0, 1, "A", 112.0, 35.0, TH_NODE_ZONE, 1, 1000, 1, 0, 1);
  th_network_add_node(net0, 2, "B", 112.1, 35.0, TH_NODE_ZONE, 2, 1000, 1, 0, 2);
  ThLinkSpec l1 = {.id = 1, .from_id = 1, .to_id = 2, .modes = TH_MODE_ROAD, .length_m = 10000,
                   .free_speed_mps = 20, .capacity_vph = 1000, .lanes = 1};
  ThLinkSpec l2 = l1;
  l2.id = 2;
  l2.from_id = 2;
  l2.to_id = 1;
  th_network_add_link(net0, &l1);
  th_network_add_link(net0, &l2);
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net0, &e));
  g_autoptr(ThNetwork) net = net0;
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) t = th_trips_new(NULL);
  const int N = 10000;
  int car = th_class_table_lookup(classes, "car"), coal = th_class_table_lookup(classes, "coal");
  int a = th_network_node_index(net, 1), b = th_network_node_index(net, 2);
  for (int i = 0; i < N; i++)
    th_trips_add(t, i + 1, net, i % 2 ? a : b, i % 2 ? b : a, 3600, classes, car, 0, 0);
  th_trips_add(t, N + 1, net, a, b, 3600, classes, coal, 0, 30);
  int za = th_network_zone_index(net, 1), zb = th_network_zone_index(net, 2);
  double share[2];
  share[za] = 0.3;
  share[zb] = 1.0;
  guint8 internal[2];
  internal[za] = 1;
  internal[zb] = 0;
  double got;
  g_autofree guint8 *has = th_car_available_new(t, classes, share, internal, 11, &got);
  g_autofree guint8 *again = th_car_available_new(t, classes, share, internal, 11, NULL);
  g_assert_cmpmem(has, N + 1, again, N + 1);
  g_assert_cmpfloat(fabs(got - 0.3), <, 4 * sqrt(0.3 * 0.7 / N));
  g_assert_cmpint(has[N], ==, 1);
  g_autofree guint8 *all_b = th_car_available_new(t, classes, share, NULL, 11, &got);
  for (int i = 0; i < N; i++)
    if (t->origin[i] == b) g_assert_cmpint(all_b[i], ==, 1);
  share[za] = 0;
  g_autofree guint8 *none = th_car_available_new(t, classes, share, internal, 11, &got);
  g_assert_cmpfloat(got, ==, 0);
}

/* Capacity feeds back into choice: the corridor of test_simulate_shares
 * (rail preferred by most) but one 10-seat train a day, at 07:00, for 100
 * travellers leaving at 06:50. In iteration 1 the train takes 10 and strands
 * every other rail rider (stuck = left behind = riders - 10, and the gap
 * counts them); each stranded rider costs its boarding 3 h of waiting, so the
 * travellers who reconsider go by car. Every stranded rider reconsiders in
 * iteration 2 (not only the MSA share 1/2): the train's cell then costs
 * 47 x 3 h / 57 = 2.5 h more waiting, about 150 yuan at wait weight 2,
 * against a few yuan between car and rail, so all of them drive and iteration
 * 2 strands nobody (with the MSA share alone it stranded 15, then 5). With
 * 1,000 seats nobody is stranded. */
static void test_capacity_feedback(void) {
  g_autoptr(ThNetwork) net = corridor(3, 1, 3, 0);
  for (int v = 0; v < 2; v++) {
    g_autofree char *text = g_strdup_printf(SV_HEADER "R,,rail,,1;3,10,,,07:00,07:00,60,,%d,5,0,\n",
                                            v ? 1000 : 10);
    g_autoptr(ThServices) s = services_text(text, net);
    g_autoptr(ThClassTable) classes = th_class_table_new();
    g_autoptr(ThTrips) trips = th_trips_new(NULL);
    const int N = 100;
    for (int i = 0; i < N; i++)
      th_trips_add(trips, i + 1, net, 0, 2, 6 * 3600 + 50 * 60, classes,
                   th_class_table_lookup(classes, "car"), 0, 0);
    ThSimParams p;
    th_sim_params_init(&p);
    p.iterations = 1;
    ThMultimodalParams mp;
    th_multimodal_params_init(&mp);
    mp.services = s;
    mp.choice_iterations = 6;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
    g_assert_no_error(e);
    GArray *cv = r->run->convergence;
    g_assert_cmpint(cv->len, ==, 6);
    const ThIterStats *first = &g_array_index(cv, ThIterStats, 0);
    const ThIterStats *last = &g_array_index(cv, ThIterStats, 5);
    for (guint k = 0; k < cv->len; k++) {
      const ThIterStats *x = &g_array_index(cv, ThIterStats, k);
      g_test_message("seats %d, iteration %u: gap %.3f, stuck %" G_GINT64_FORMAT ", left behind %"
                     G_GINT64_FORMAT, v ? 1000 : 10, k + 1, x->relative_gap, x->stuck, x->left_behind);
      if (k > 0) g_assert_cmpint(x->stuck, <=, g_array_index(cv, ThIterStats, k - 1).stuck);
    }
    if (v) {
      g_assert_cmpint(last->stuck, ==, 0);
      g_assert_cmpint(first->left_behind, ==, 0);
      continue;
    }
    int rail1 = (int)first->stuck + 10;
    g_assert_cmpint(first->left_behind, ==, first->stuck);
    g_assert_cmpint(rail1, >, 40);
    g_assert_cmpfloat(first->relative_gap, >=, 2.0 * first->stuck / N);
    g_assert_cmpint(last->stuck, <=, 8);
    g_assert_cmpfloat(last->relative_gap, <, first->relative_gap);
    const ThIterStats *second = &g_array_index(cv, ThIterStats, 1);
    g_assert_cmpint(second->stuck, ==, 0);
    g_assert_cmpint(second->left_behind, ==, 0);
    /* the stranded all switched (switched_share: going into iteration 2) */
    g_assert_cmpfloat(second->switched_share * N, >=, (double)first->stuck - 1e-9);
  }
}

/* The sample network end to end: conservation of trips and tonnes, forced
 * rail shipments through both hubs, and the same results for 1 and 2 threads. */
static ThMultimodalResults *run_sample(int threads, ThTrips **trips_out, double *forced_t) {
  g_autofree char *dir = th_test_src("scenarios/sample");
  g_autoptr(GError) e = NULL;
  ThNetwork *net = th_network_load(dir, &e);
  g_assert_no_error(e);
  ThServices *s = NULL;
  ThHubs *h = NULL;
  g_assert_true(th_multimodal_read_dir(dir, net, &s, &h, &e));
  g_assert_nonnull(s);
  g_assert_nonnull(h);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  ThTrips *trips = th_trips_new(NULL);
  GRand *rng = g_rand_new_with_seed(11);
  int car = th_class_table_lookup(classes, "car"), coal = th_class_table_lookup(classes, "coal");
  *forced_t = 0;
  for (int i = 0; i < 800; i++) {
    int o = net->zone_node[g_rand_int_range(rng, 0, net->n_zones)];
    int d = net->zone_node[g_rand_int_range(rng, 0, net->n_zones)];
    th_trips_add(trips, i + 1, net, o, d, g_rand_int_range(rng, 6 * 3600, 20 * 3600), classes, car, 0, 0);
  }
  int z1 = net->zone_node[th_network_zone_index(net, 1)], z8 = net->zone_node[th_network_zone_index(net, 8)];
  for (int i = 0; i < 60; i++) {
    gboolean forced = i % 2 == 0;
    double t = 100 + 10 * (i % 7);
    if (forced) *forced_t += t;
    th_trips_add(trips, 1000 + i, net, z1, z8, 5 * 3600 + 600 * i, classes, coal,
                 forced ? TH_MODE_RAIL : 0, t);
  }
  g_rand_free(rng);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 3;
  p.threads = threads;
  p.seed = 5;
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  mp.services = s;
  mp.hubs = h;
  ThMultimodalResults *r = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
  g_assert_no_error(e);
  th_services_free(s);
  th_hubs_free(h);
  th_network_free(net);
  *trips_out = trips;
  return r;
}

static void test_simulate_sample(void) {
  ThTrips *t1, *t2;
  double forced;
  g_autoptr(ThMultimodalResults) a = run_sample(1, &t1, &forced);
  g_autoptr(ThMultimodalResults) b = run_sample(2, &t2, &forced);
  const ThRunResults *r = a->run;
  g_assert_cmpint(r->arrived + r->stuck + r->unserved + r->en_route, ==, t1->n);
  g_assert_cmpint(r->convergence->len, ==, 3);
  int by_rail = 0, by_bus = 0;
  double rail_t = 0;
  for (int i = 0; i < t1->n; i++) {
    by_rail += r->mode[i] == TH_MODE_RAIL;
    by_bus += r->mode[i] == TH_MODE_BUS;
    if (t1->mode[i] == TH_MODE_RAIL) g_assert_cmpint(r->mode[i], ==, TH_MODE_RAIL);
    if (t1->tonnes[i] > 0 && r->mode[i] == TH_MODE_RAIL && r->status[i] == TH_TRIP_ARRIVED)
      rail_t += t1->tonnes[i];
    /* the same for any thread count */
    g_assert_cmpint(r->mode[i], ==, b->run->mode[i]);
    g_assert_cmpint(r->status[i], ==, b->run->status[i]);
    g_assert_cmpint(r->arrive_s[i], ==, b->run->arrive_s[i]);
  }
  g_assert_cmpint(by_rail, >, 30);
  g_assert_cmpint(by_bus, >, 0);
  /* tonnes are conserved through the hubs: every rail shipment is handled at
   * 八甲口 (301, hub 2) and, once arrived, was handled at 晋城站 (202, hub 1) */
  double rail_all = 0;
  for (int i = 0; i < t1->n; i++)
    if (t1->tonnes[i] > 0 && r->mode[i] == TH_MODE_RAIL) rail_all += t1->tonnes[i];
  g_assert_cmpfloat(rail_all, >=, forced);
  g_assert_cmpfloat(a->hubs[2].tonnes_handled, ==, rail_all);
  g_assert_cmpfloat(rail_t, >, 0);
  g_assert_cmpfloat(a->hubs[1].tonnes_handled, >=, rail_t);
  g_assert_cmpfloat(a->hubs[1].tonnes_handled, <=, rail_all);
  g_assert_cmpfloat(a->hubs[0].tonnes_handled, ==, 0); /* 阳城站 handles no freight */
  th_trips_free(t1);
  th_trips_free(t2);
}

/* Copies the sample network into a fresh folder, with SERVICES and HUBS text
 * instead of the sample's (NULL: the sample's). */
static char *sample_copy(const char *services, const char *hubs) {
  char *dir = th_test_tmpdir();
  const char *names[] = {"node.csv", "link.csv", "services.csv", "hubs.csv"};
  for (int i = 0; i < 4; i++) {
    g_autofree char *rel = g_strdup_printf("scenarios/sample/%s", names[i]);
    g_autofree char *src = th_test_src(rel);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(src, &text, NULL, NULL));
    const char *use = i == 2 && services ? services : i == 3 && hubs ? hubs : text;
    g_free(th_test_write(dir, names[i], use));
  }
  return dir;
}

static void test_cli_check_bad(void) {
  g_autofree char *dir = sample_copy(SV_HEADER "K1,,rail,,201;202,,,,07:00,08:00,30,,600,,,\n"
                                               "K1,,ship,,201;999,,,,07:00,08:00,30,,600,,,\n",
                                     HUB_HEADER "301,,logistics,road;rail,,,,,\n");
  g_autofree char *out = NULL, *err = NULL;
  int status = th_test_taihang(&out, &err, "check", dir, NULL);
  g_assert_cmpint(status, ==, 2);
  g_autofree char *hp = g_build_filename(dir, "hubs.csv", NULL);
  g_autofree char *sp = g_build_filename(dir, "services.csv", NULL);
  g_autofree char *want = g_strdup_printf(
      "%s:2: handling_rate_tph is missing or 0 for a logistics hub (tonnes per hour > 0)\n"
      "%s:3: line 'K1' appears twice (one row per line)\n"
      "%s:3: mode 'ship' is not a service mode (rail, hsr, intercity or bus)\n"
      "%s:3: stop 999 is not a node of the network\n",
      hp, sp, sp, sp);
  g_assert_nonnull(strstr(out, want));
  g_autofree char *out2 = NULL;
  g_autofree char *good = sample_copy(NULL, NULL);
  g_assert_cmpint(th_test_taihang(&out2, NULL, "check", good, NULL), ==, 0);
  g_assert_nonnull(strstr(out2, "OK (multimodal): 6 service lines, 116 runs, 3 hubs"));
  th_test_rmtree(dir);
  th_test_rmtree(good);
}

static char *read_text(const char *dir, const char *name) {
  g_autofree char *p = g_build_filename(dir, name, NULL);
  char *text = NULL;
  g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
  return text;
}

static int count_rows(const char *text) {
  int n = 0;
  for (const char *c = text; *c; c++) n += *c == '\n';
  return n - 1;
}

/* taihang run on the sample folder: services and hubs are picked up, the
 * multimodal files are written, results are byte-identical for 1 and 2
 * threads; a bad services.csv stops the run with exit 2 and no folder. */
static void test_cli_run(void) {
  g_autofree char *net = th_test_src("scenarios/sample");
  g_autofree char *trips = th_test_src("tests/data/multimodal/sample-trips.csv");
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *o1 = g_build_filename(tmp, "o1", NULL), *o2 = g_build_filename(tmp, "o2", NULL);
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "run", net, "--trips", trips, "--out", o1, "--quiet",
                                  "--iterations", "2", "--choice-iterations", "2", "--threads", "1",
                                  NULL), ==, 0);
  g_assert_nonnull(strstr(out, "= 270 trips"));
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", o2, "--quiet",
                                  "--iterations", "2", "--choice-iterations", "2", "--threads", "2",
                                  NULL), ==, 0);
  const char *files[] = {"trips_out.csv", "link_flows.csv", "od_times.csv", "services_out.csv",
                         "hubs_out.csv", "convergence.csv", "network/services.csv", "network/hubs.csv"};
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *a = read_text(o1, files[i]), *b = read_text(o2, files[i]);
    g_assert_cmpstr(a, ==, b);
  }
  g_autofree char *t = read_text(o1, "trips_out.csv");
  g_assert_true(g_str_has_prefix(t, "id,class,mode,origin,destination,depart,arrive,travel_time_s,"
                                    "status,wait_s,transfers,gen_cost,depart_delay_s\n"));
  g_assert_cmpint(count_rows(t), ==, 270);
  g_assert_nonnull(strstr(t, ",coal,rail,1,8,"));
  g_autofree char *sv = read_text(o1, "services_out.csv");
  g_assert_cmpint(count_rows(sv), ==, 116);
  g_assert_true(g_str_has_prefix(sv, "line,name,mode,kind,run,departure,boardings,boarded_load,"
                                     "peak_load,capacity,load_factor,left_behind,load_km,"
                                     "boardings_sample,left_behind_sample,cancelled,"
                                     "co2_kg_per_tkm\n"));
  g_autofree char *hb = read_text(o1, "hubs_out.csv");
  g_assert_cmpint(count_rows(hb), ==, 3);
  g_autofree char *lf = read_text(o1, "link_flows.csv");
  /* vehicles on transit rows are the trains that ran over the link: C1's 5
   * coal departures (C2 runs the other way, on the reverse links) */
  g_assert_nonnull(strstr(lf, ",coal,rail,5,0,0,"));
  g_assert_null(strstr(lf, ",coal,rail,0,"));
  /* the buses on the road have their own class row (2.5 pcu each), and the
   * bus-mode passenger row counts the same 46 runs over that link */
  g_assert_nonnull(strstr(lf, "\n1015,1,108,bus,bus,46,115,0,0,"));
  g_assert_nonnull(strstr(lf, "\n1015,1,108,car,bus,46,0,"));
  /* the written timetable reads back (checked by `check` on the results' network) */
  g_autofree char *rnet = g_build_filename(o1, "network", NULL);
  g_autofree char *cout = NULL;
  g_assert_cmpint(th_test_taihang(&cout, NULL, "check", rnet, NULL), ==, 0);
  g_assert_nonnull(strstr(cout, "6 service lines, 116 runs, 3 hubs"));

  g_autofree char *bad = sample_copy(SV_HEADER "K1,,rail,,201;202,,,,07:00,06:00,30,,600,,,\n", NULL);
  g_autofree char *o3 = g_build_filename(tmp, "o3", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", bad, "--trips", trips, "--out", o3, "--quiet",
                                  NULL), ==, 2);
  g_autofree char *want = g_strdup_printf("%s/services.csv:2: last_dep 06:00 is before first_dep 07:00",
                                          bad);
  g_assert_nonnull(strstr(err, want));
  g_assert_false(g_file_test(o3, G_FILE_TEST_EXISTS));
  th_test_rmtree(bad);
  th_test_rmtree(tmp);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/multimodal/services/read", test_services_read);
  g_test_add_func("/multimodal/services/bad", test_services_bad);
  g_test_add_func("/multimodal/hubs", test_hubs_read);
  g_test_add_func("/multimodal/layers", test_layers);
  g_test_add_func("/multimodal/transit/capacity-headway", test_capacity_headway);
  g_test_add_func("/multimodal/transit/stop-loads", test_stop_loads);
  g_test_add_func("/multimodal/transit/sample-rule", test_sample_rule);
  g_test_add_func("/multimodal/freight/chain-rides", test_freight_chain_rides);
  g_test_add_func("/multimodal/freight/levers", test_freight_levers);
  g_test_add_func("/multimodal/simulate/capacity-feedback", test_capacity_feedback);
  g_test_add_func("/multimodal/transit/conservation", test_conservation);
  g_test_add_func("/multimodal/transit/route", test_route);
  g_test_add_func("/multimodal/freight/long-short", test_freight_long_short);
  g_test_add_func("/multimodal/freight/hub-analytic", test_hub_analytic);
  g_test_add_func("/multimodal/choice/logit", test_logit);
  g_test_add_func("/multimodal/simulate/shares", test_simulate_shares);
  g_test_add_func("/multimodal/simulate/access-rules", test_access_rules);
  g_test_add_func("/multimodal/simulate/crowding", test_crowding);
  g_test_add_func("/multimodal/simulate/walk-ebike-car", test_walk_ebike_car);
  g_test_add_func("/multimodal/choice/car-ownership", test_car_ownership);
  g_test_add_func("/multimodal/simulate/sample", test_simulate_sample);
  g_test_add_func("/multimodal/cli/check-bad", test_cli_check_bad);
  g_test_add_func("/multimodal/cli/run", test_cli_run);
  return g_test_run();
}

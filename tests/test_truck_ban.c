/* test_truck_ban.c: heavy-truck bans by link, node and time of day
 * (sim/truck-ban.h): the road route search, the freight planner and the
 * [freight] truck_ban_* keys. Every expected number is worked out by hand in
 * the comment beside it. */
#include "network/hubs.h"
#include "network/layers.h"
#include "network/services.h"
#include "sim/freight.h"
#include "sim/multimodal.h"
#include "sim/simulate.h"
#include "sim/truck-ban.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

/* A (zone 1) to B (zone 3) through the town T (node 2): links 12 and 23,
 * 5 km each; or round it by the bypass X (node 4): links 14 and 43, 7 km
 * each. Every link 36 km/h (10 m/s): through the town 1,000 s, the bypass
 * 1,400 s, so without a ban everyone drives through the town. */
static ThNetwork *town_net(void) {
  ThNetwork *net = th_network_new();
  th_network_add_node(net, 1, "A", 112.00, 35.50, TH_NODE_ZONE, 1, 0, 0, 0, 1);
  th_network_add_node(net, 2, "T", 112.05, 35.50, TH_NODE_TOWN, 2, 0, 0, 0, 2);
  th_network_add_node(net, 3, "B", 112.10, 35.50, TH_NODE_ZONE, 3, 0, 0, 0, 3);
  th_network_add_node(net, 4, "X", 112.05, 35.45, TH_NODE_JUNCTION, -1, 0, 0, 0, 4);
  const int64_t ids[4][3] = {{12, 1, 2}, {23, 2, 3}, {14, 1, 4}, {43, 4, 3}};
  const double km[4] = {5, 5, 7, 7};
  for (int i = 0; i < 4; i++) {
    ThLinkSpec s = {.id = ids[i][0], .from_id = ids[i][1], .to_id = ids[i][2], .modes = TH_MODE_ROAD,
                    .length_m = km[i] * 1000, .free_speed_mps = 10, .capacity_vph = 2000, .lanes = 1,
                    .bpr_alpha = 0.15, .bpr_beta = 4};
    th_network_add_link(net, &s);
  }
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
  return net;
}

static int L(const ThNetwork *net, int64_t id) { return th_network_link_index(net, id); }
static int N(const ThNetwork *net, int64_t id) { return th_network_node_index(net, id); }

/* The window: 07:00-19:00; the class: coal only. */
static ThTruckBan *ban_new(const ThNetwork *net, const ThClassTable *classes) {
  ThTruckBan *b = th_truck_ban_new(net, classes->n);
  b->from_s = 7 * 3600;
  b->to_s = 19 * 3600;
  b->cls[th_class_table_lookup(classes, "coal")] = 1;
  return b;
}

static void test_window(void) {
  g_autoptr(ThNetwork) net = town_net();
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTruckBan) b = ban_new(net, classes);
  g_assert_false(th_truck_ban_any(b)); /* no link, no node */
  b->link[0] = 1;
  g_assert_true(th_truck_ban_any(b));
  g_assert_false(th_truck_ban_active(b, 6 * 3600 + 3599));
  g_assert_true(th_truck_ban_active(b, 7 * 3600));
  g_assert_true(th_truck_ban_active(b, 18 * 3600 + 3599));
  g_assert_false(th_truck_ban_active(b, 19 * 3600));
  g_assert_true(th_truck_ban_active(b, 24 * 3600 + 8 * 3600)); /* 32:00 is 08:00 of the next day */
  b->from_s = 22 * 3600, b->to_s = 6 * 3600;                    /* the night: wraps midnight */
  g_assert_true(th_truck_ban_active(b, 23 * 3600));
  g_assert_true(th_truck_ban_active(b, 5 * 3600));
  g_assert_false(th_truck_ban_active(b, 12 * 3600));
  b->from_s = b->to_s = 0; /* all day */
  g_assert_true(th_truck_ban_active(b, 12 * 3600));
  g_assert_true(th_truck_ban_class(b, th_class_table_lookup(classes, "coal")));
  g_assert_false(th_truck_ban_class(b, th_class_table_lookup(classes, "car")));
  g_assert_false(th_truck_ban_class(NULL, 0));
}

/* Road simulation, links 12 and 23 banned 07:00-19:00 for coal:
 *  0  coal A->B 08:00: bypass, 14 km, arrives 08:00 + 1,400 s
 *  1  coal A->B 20:00: outside the window, through the town, 10 km
 *  2  car  A->B 08:00: not banned, through the town, 10 km
 *  3  coal A->T 08:00: T is reached only by link 12: no path, unserved
 *  4  truck A->B 08:00: class truck not banned: through the town
 * Link flows in the window (bins 07:00-19:00): coal on 12 and 23: 0; coal
 * on 14 and 43: 1 (trip 0). Over the day coal on 12: 1 (trip 1). */
static void test_road_links(void) {
  g_autoptr(ThNetwork) net = town_net();
  g_autoptr(ThClassTable) classes = th_class_table_new();
  int coal = th_class_table_lookup(classes, "coal"), car = th_class_table_lookup(classes, "car");
  int truck = th_class_table_lookup(classes, "truck");
  g_autoptr(ThTruckBan) b = ban_new(net, classes);
  b->link[L(net, 12)] = b->link[L(net, 23)] = 1;
  g_autoptr(ThTrips) t = th_trips_new(NULL);
  int A = N(net, 1), B = N(net, 3), T = N(net, 2);
  th_trips_add(t, 1, net, A, B, 8 * 3600, classes, coal, TH_MODE_ROAD, 30);
  th_trips_add(t, 2, net, A, B, 20 * 3600, classes, coal, TH_MODE_ROAD, 30);
  th_trips_add(t, 3, net, A, B, 8 * 3600, classes, car, TH_MODE_ROAD, 0);
  th_trips_add(t, 4, net, A, T, 8 * 3600, classes, coal, TH_MODE_ROAD, 30);
  th_trips_add(t, 5, net, A, B, 8 * 3600, classes, truck, TH_MODE_ROAD, 20);
  for (int threads = 1; threads <= 2; threads++) {
    ThSimParams p;
    th_sim_params_init(&p);
    p.iterations = 2;
    p.threads = threads;
    p.truck_ban = b;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThRunResults) r = th_simulate(net, t, classes, &p, &e);
    g_assert_no_error(e);
    g_assert_cmpfloat_with_epsilon(r->distance_m[0], 14000, 1e-6);
    g_assert_cmpint(r->arrive_s[0] - 8 * 3600, ==, 1400);
    g_assert_cmpfloat_with_epsilon(r->distance_m[1], 10000, 1e-6);
    g_assert_cmpfloat_with_epsilon(r->distance_m[2], 10000, 1e-6);
    g_assert_cmpint(r->status[3], ==, TH_TRIP_UNSERVED);
    g_assert_cmpfloat_with_epsilon(r->distance_m[4], 10000, 1e-6);
    double in_window[4] = {0}, day12 = 0;
    const int64_t ids[4] = {12, 23, 14, 43};
    for (guint i = 0; i < r->link_bins->len; i++) {
      const ThLinkFlowBin *fb = &g_array_index(r->link_bins, ThLinkFlowBin, i);
      if (fb->cls != coal) continue;
      for (int k = 0; k < 4; k++)
        if (fb->link == L(net, ids[k]) && fb->bin_start_s >= 7 * 3600 && fb->bin_start_s < 19 * 3600)
          in_window[k] += fb->vehicles;
      if (fb->link == L(net, 12)) day12 += fb->vehicles;
    }
    g_assert_cmpfloat(in_window[0], ==, 0);
    g_assert_cmpfloat(in_window[1], ==, 0);
    g_assert_cmpfloat(in_window[2], ==, 1);
    g_assert_cmpfloat(in_window[3], ==, 1);
    g_assert_cmpfloat(day12, ==, 1);
  }
}

/* Multimodal day (no services: trucks only), node T banned 07:00-19:00 for
 * coal: no passing through T, but starting or ending there is allowed.
 *  0  coal A->B 08:00: bypass 14 km (the planner's truck path and the
 *     simulated route)
 *  1  coal A->T 08:00: a delivery into the town: 5 km
 *  2  coal T->B 08:00: loaded in the town: 5 km
 *  3  coal A->B 20:00: through the town, 10 km
 * With the bypass banned too (links 14, 43), shipment 0 has no path and no
 * chain: unserved (and 1, 2 and 3 unchanged). */
static void test_multimodal_node(void) {
  g_autoptr(ThNetwork) net = town_net();
  g_autoptr(ThClassTable) classes = th_class_table_new();
  int coal = th_class_table_lookup(classes, "coal");
  g_autoptr(ThTruckBan) b = ban_new(net, classes);
  b->node[N(net, 2)] = 1;
  int A = N(net, 1), B = N(net, 3), T = N(net, 2);
  g_autoptr(ThTrips) t = th_trips_new(NULL);
  th_trips_add(t, 1, net, A, B, 8 * 3600, classes, coal, 0, 30);
  th_trips_add(t, 2, net, A, T, 8 * 3600, classes, coal, 0, 30);
  th_trips_add(t, 3, net, T, B, 8 * 3600, classes, coal, 0, 30);
  th_trips_add(t, 4, net, A, B, 20 * 3600, classes, coal, 0, 30);
  for (int bypass_closed = 0; bypass_closed < 2; bypass_closed++) {
    if (bypass_closed) b->link[L(net, 14)] = b->link[L(net, 43)] = 1;
    ThSimParams p;
    th_sim_params_init(&p);
    p.iterations = 2;
    p.threads = 1;
    p.truck_ban = b;
    ThMultimodalParams mp;
    th_multimodal_params_init(&mp);
    mp.choice_iterations = 2;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(net, t, classes, &p, &mp, &e);
    g_assert_no_error(e);
    if (bypass_closed) {
      /* no allowed path: it waits at A for 19:00 (11 h), then drives through T */
      g_assert_cmpint(r->run->status[0], ==, TH_TRIP_ARRIVED);
      g_assert_cmpfloat(r->run->wait_s[0], ==, 11 * 3600);
      g_assert_cmpint(r->run->arrive_s[0], ==, 19 * 3600 + 1000);
    } else {
      g_assert_cmpint(r->run->status[0], ==, TH_TRIP_ARRIVED);
      g_assert_cmpfloat_with_epsilon(r->run->distance_m[0], 14000, 1e-6);
    }
    g_assert_cmpint(r->run->status[1], ==, TH_TRIP_ARRIVED);
    g_assert_cmpfloat_with_epsilon(r->run->distance_m[1], 5000, 1e-6);
    g_assert_cmpint(r->run->status[2], ==, TH_TRIP_ARRIVED);
    g_assert_cmpfloat_with_epsilon(r->run->distance_m[2], 5000, 1e-6);
    g_assert_cmpfloat_with_epsilon(r->run->distance_m[3], 10000, 1e-6);
  }
}

/* The planner alone: coal (3 yuan/veh-km over 30 t, 1 yuan/t-h) A->B at
 * 08:00: through the town 10 km, 1,000 s: 10 x 3 / 30 + 1000 / 3600 =
 * 1.2778 yuan/t; with T banned, the bypass 14 km, 1,400 s: 1.4 + 0.3889 =
 * 1.7889 yuan/t. */
static void test_planner(void) {
  g_autoptr(ThNetwork) net = town_net();
  g_autoptr(ThClassTable) classes = th_class_table_new();
  const ThClass *coal = &classes->cls[th_class_table_lookup(classes, "coal")];
  g_autoptr(ThServices) sv = th_services_new();
  g_autoptr(ThHubs) hubs = th_hubs_new(net->n_nodes);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThLayers) layers = th_layers_build(net, sv, hubs, &e);
  g_assert_no_error(e);
  g_autoptr(ThFreightPlanner) p = th_freight_planner_new(layers, sv, hubs);
  g_autoptr(ThTruckBan) b = ban_new(net, classes);
  b->node[N(net, 2)] = 1;
  ThFreightPlan plan;
  th_freight_plan(p, coal, N(net, 1), N(net, 3), 8 * 3600, 30, NULL, 24 * 3600, &plan);
  g_assert_cmpfloat_with_epsilon(plan.truck_km, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon(plan.truck_cost_per_t, 1.0 + 1000 / 3600.0, 1e-9);
  th_freight_planner_set_ban(p, b);
  th_freight_plan(p, coal, N(net, 1), N(net, 3), 8 * 3600, 30, NULL, 24 * 3600, &plan);
  g_assert_cmpfloat_with_epsilon(plan.truck_km, 14, 1e-9);
  g_assert_cmpfloat_with_epsilon(plan.truck_cost_per_t, 1.4 + 1400 / 3600.0, 1e-9);
  /* from the town itself: allowed out */
  th_freight_plan(p, coal, N(net, 2), N(net, 3), 8 * 3600, 30, NULL, 24 * 3600, &plan);
  g_assert_cmpfloat_with_epsilon(plan.truck_km, 5, 1e-9);
}

/* [freight] truck_ban_* in a scenario: bad values name FILE:LINE and exit
 * 2 (check and run; run writes nothing); good ones pass check and run
 * (beside a per-class lever). */
static void test_scenario_keys(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *base = th_test_src("scenarios/yangcheng/base2020.ini");
  g_autofree char *bad_text = g_strdup_printf("[scenario]\nbase = %s\n[freight]\n"
                                              "truck_ban_links = 999999\n"
                                              "truck_ban_from = 7am\n"
                                              "truck_ban_classes = car\n"
                                              "truck_ban_wrong = 1\n",
                                              base);
  g_autofree char *bad = th_test_write(dir, "bad.ini", bad_text);
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint(th_test_taihang(&out, &err, "check", bad, NULL), ==, 2);
  g_autofree char *w1 = g_strdup("bad.ini:5: [freight] truck_ban_from = '7am' is not a time of day");
  g_autofree char *w2 = g_strdup("bad.ini:7: unknown key [freight] truck_ban_wrong");
  /* check prints its findings on stdout */
  g_assert_nonnull(strstr(out, w1));
  g_assert_nonnull(strstr(out, w2));
  g_autofree char *bad2_text = g_strdup_printf("[scenario]\nbase = %s\n[freight]\n"
                                               "truck_ban_links = 999999\n"
                                               "truck_ban_from = 07:00\n"
                                               "truck_ban_classes = car\n",
                                               base);
  g_autofree char *bad2 = th_test_write(dir, "bad2.ini", bad2_text);
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(&out, &err, "check", bad2, NULL), ==, 2);
  g_autofree char *w3 = g_strdup("bad2.ini:4: [freight] truck_ban_links names link 999999, which is not in "
                                 "the network");
  g_autofree char *w4 = g_strdup("bad2.ini:5: [freight] truck_ban_from without truck_ban_to");
  g_autofree char *w5 = g_strdup("bad2.ini:6: [freight] truck_ban_classes names class 'car', which is not "
                                 "a freight class");
  g_assert_nonnull(strstr(out, w3));
  g_assert_nonnull(strstr(out, w4));
  g_assert_nonnull(strstr(out, w5));
  g_autofree char *res = g_build_filename(dir, "res", NULL);
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(&out, &err, "run", bad2, "--out", res, "--quiet", NULL), ==, 2);
  g_assert_nonnull(strstr(err, w3));
  g_assert_false(g_file_test(res, G_FILE_TEST_EXISTS));
  /* a valid ban beside a class lever runs (the levers skip the truck_ban_*
   * rows, which name no class: this crashed) */
  g_autofree char *ok_text = g_strdup_printf("[scenario]\nbase = %s\n[freight]\n"
                                             "truck_ban_zones = 1\n"
                                             "truck_ban_from = 07:00\n"
                                             "truck_ban_to = 19:00\n"
                                             "truck_ban_classes = coal\n"
                                             "coal_truck_surcharge_per_tkm = 0.1\n",
                                             base);
  g_autofree char *ok = th_test_write(dir, "ok.ini", ok_text);
  g_autofree char *res_ok = g_build_filename(dir, "res-ok", NULL);
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(th_test_taihang(&out, &err, "run", ok, "--out", res_ok, "--quiet", "--set", "demand.sample=0.01",
                                  "--set", "sim.sample_factor=0.01", "--set", "sim.choice_iterations=1", "--set",
                                  "sim.iterations=1", NULL),
                  ==, 0);
  th_test_rmtree(dir);
}

/* Waiting for the window to end (truck-ban.h), T banned 07:00-19:00, coal
 * 30 t (3 yuan/veh-km over 30 t, 1 yuan/t-h, wait weight 1): through T
 * 1.2778 yuan/t (10 km, 1,000 s), the bypass 1.7889 (14 km, 1,400 s). A
 * truck leaving at 18:50 waits 600 s: 1.2778 + 0.1667 = 1.4444 < 1.7889,
 * so it leaves at 19:00, drives 10 km and arrives at 19:16:40, wait_s 600,
 * and its generalized cost is that of the 20:00 truck (the same 10 km)
 * plus 600 s x 1 yuan/t-h x 30 t = 5 yuan. One leaving at 18:00 would wait
 * 1 h (2.2778 > 1.7889): it takes the bypass, 14 km, no wait. The break-even
 * wait is 0.5111 h (1,840 s). */
static void test_wait(void) {
  g_autoptr(ThNetwork) net = town_net();
  g_autoptr(ThClassTable) classes = th_class_table_new();
  int coal = th_class_table_lookup(classes, "coal");
  g_autoptr(ThTruckBan) b = ban_new(net, classes);
  b->node[N(net, 2)] = 1;
  g_assert_cmpint(th_truck_ban_ends(b, 18 * 3600 + 50 * 60), ==, 19 * 3600);
  g_assert_cmpint(th_truck_ban_ends(b, 86400 + 8 * 3600), ==, 86400 + 19 * 3600);
  int A = N(net, 1), B = N(net, 3);
  g_autoptr(ThTrips) t = th_trips_new(NULL);
  th_trips_add(t, 1, net, A, B, 18 * 3600 + 50 * 60, classes, coal, 0, 30);
  th_trips_add(t, 2, net, A, B, 18 * 3600, classes, coal, 0, 30);
  th_trips_add(t, 3, net, A, B, 20 * 3600, classes, coal, 0, 30);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 2;
  p.threads = 1;
  p.truck_ban = b;
  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  mp.choice_iterations = 2;
  g_autoptr(GError) e = NULL;
  g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(net, t, classes, &p, &mp, &e);
  g_assert_no_error(e);
  const ThRunResults *rr = r->run;
  for (int i = 0; i < 3; i++) g_assert_cmpint(rr->status[i], ==, TH_TRIP_ARRIVED);
  g_assert_cmpint(rr->depart_s[0], ==, 18 * 3600 + 50 * 60); /* the planned departure */
  g_assert_cmpfloat(rr->wait_s[0], ==, 600);
  g_assert_cmpint(rr->arrive_s[0], ==, 19 * 3600 + 1000);
  g_assert_cmpfloat_with_epsilon(rr->distance_m[0], 10000, 1e-6);
  g_assert_cmpfloat_with_epsilon(rr->gen_cost[0] - rr->gen_cost[2], 5.0, 1e-6);
  g_assert_cmpfloat(rr->wait_s[1], ==, 0);
  g_assert_cmpfloat_with_epsilon(rr->distance_m[1], 14000, 1e-6);
  g_assert_cmpint(rr->arrive_s[1], ==, 18 * 3600 + 1400);
  g_assert_cmpfloat(rr->wait_s[2], ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/truck-ban/window", test_window);
  g_test_add_func("/truck-ban/road-links", test_road_links);
  g_test_add_func("/truck-ban/multimodal-node", test_multimodal_node);
  g_test_add_func("/truck-ban/planner", test_planner);
  g_test_add_func("/truck-ban/wait", test_wait);
  g_test_add_func("/truck-ban/scenario-keys", test_scenario_keys);
  return g_test_run();
}

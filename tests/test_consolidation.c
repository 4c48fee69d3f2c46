/* test_consolidation.c: part loads and logistics-park consolidation
 * (sim/freight.h, network/hubs.h consolidate_max_t, [demand]
 * general_shipment_t). Every expected number is worked out by hand in the
 * comment beside it. */
#include "network/hubs.h"
#include "network/layers.h"
#include "network/services.h"
#include "sim/freight.h"
#include "sim/multimodal.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

/* A corridor of 21 nodes (ids 1..21) 10 km apart, road both ways at 80
 * km/h (450 s per link), rail from node 2 to node 20 at 100 km/h with
 * cost_per_tkm RAIL_TKM. */
static ThNetwork *corridor(double rail_tkm) {
  ThNetwork *net = th_network_new();
  for (int i = 1; i <= 21; i++)
    th_network_add_node(net, i, NULL, 112.0 + 0.09 * (i - 1), 35.5, TH_NODE_JUNCTION, -1, 0, 0, 0, i);
  for (int i = 1; i < 21; i++)
    for (int dir = 0; dir < 2; dir++) {
      ThLinkSpec s = {.id = (dir ? 2000 : 1000) + i, .from_id = dir ? i + 1 : i, .to_id = dir ? i : i + 1,
                      .modes = TH_MODE_ROAD, .length_m = 10000, .free_speed_mps = 80 / 3.6,
                      .capacity_vph = 2000, .lanes = 2, .bpr_alpha = 0.15, .bpr_beta = 4};
      th_network_add_link(net, &s);
      if (i >= 2 && i < 20) {
        ThLinkSpec r = {.id = (dir ? 4000 : 3000) + i, .from_id = dir ? i + 1 : i, .to_id = dir ? i : i + 1,
                        .modes = TH_MODE_RAIL, .length_m = 10000, .free_speed_mps = 100 / 3.6, .lanes = 1,
                        .cost_per_tkm = rail_tkm};
        th_network_add_link(net, &r);
      }
    }
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
  return net;
}

#define SV "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,departures," \
           "capacity,fare_flat,fare_per_km,source\n"                                                        \
           "F,,rail,freight,2;4;20,,,10,00:00,23:00,60,,3000,,,\n"
#define HUB "node_id,name,kind,modes,transfer_min,handling_rate_tph,handling_cost_per_t,dwell_limit_h,source," \
            "consolidate_max_t\n"

/* general cargo: 1 yuan per tonne-hour, 4.5 yuan per truck-km, 15 t a truck */
static const ThClass general = {"general", TH_CLASS_FREIGHT, 2.5, 1.0, 15.0, 1.0, 1.0, 4.5};

typedef struct {
  ThNetwork *net;
  ThServices *sv;
  ThHubs *hubs;
  ThLayers *layers;
  ThFreightPlanner *p;
} World;

/* Hubs: node 2 a station (no consolidation), node 4 a park that
 * consolidates up to PARK_T tonnes (0: none), node 20 the far station; each
 * 500 t/h and 5 yuan/t. */
static void world_init(World *w, double rail_tkm, double park_t) {
  w->net = corridor(rail_tkm);
  g_autoptr(GError) e = NULL;
  w->sv = th_services_read_text("services.csv", SV, strlen(SV), w->net, &e);
  g_assert_no_error(e);
  g_autofree char *h = g_strdup_printf(HUB "2,station,logistics,road;rail,,500,5,,,\n"
                                           "4,park,logistics,road;rail,,500,5,,,%g\n"
                                           "20,far,logistics,road;rail,,500,5,,,\n",
                                       park_t);
  w->hubs = th_hubs_read_text("hubs.csv", h, strlen(h), w->net, &e);
  g_assert_no_error(e);
  w->layers = th_layers_build(w->net, w->sv, w->hubs, &e);
  g_assert_no_error(e);
  w->p = th_freight_planner_new(w->layers, w->sv, w->hubs);
}

static void world_clear(World *w) {
  th_freight_planner_free(w->p);
  th_layers_free(w->layers);
  th_hubs_free(w->hubs);
  th_services_free(w->sv);
  th_network_free(w->net);
}

/* 200 km from node 1 to node 21 at 06:00.
 * Truck only: a full load (15 t) pays 200 x 4.5 / 15 = 60 yuan/t + 2.5 h x
 * 1 = 62.5; a part load of 3 t pays its truck alone: 200 x 4.5 / 3 = 300 +
 * 2.5 = 302.5 yuan/t.
 * Rail at 0.02 yuan/tkm: the full load boards at the station (node 2, 10
 * km by truck); the part load may not board there (wagonloads only) and
 * drives 30 km to the park (node 4): access 30 x 1.5 + 0.375 h = 45.375
 * yuan/t, egress 10 km from node 20: 15.125, handling 2 x 5 yuan + 2 x 3 t
 * / 500 t/h, rail 160 km x 0.02 = 3.2, ride and wait about 2.5 h: about 76
 * yuan/t against 302.5 by truck: by rail, through the park.
 * Without the park's consolidation the part load has no chain at all.
 * Rail at 1.6 yuan/tkm: the chain through the park costs about 73 + 160 x
 * 1.6 = 329 yuan/t, dearer than the part load's truck door to door (302.5).
 * The park also sends the part load on by a full truck (the consolidated
 * road haul): its own truck 30 km to the park, 45.375 yuan/t as above; one
 * handling there, 5 yuan/t + round(3 t / 500 t/h = 21.6 s) = 22 s x 1
 * yuan/t-h = 5.006111; a full truck 170 km to node 21, 170 x 4.5 / 15 = 51
 * + 2.125 h = 53.125; together 103.506111 yuan/t (money 45 + 5 + 51 = 101),
 * cheaper than its own truck (302.5): with cheap rail (76) the part load
 * goes by rail, with dear rail (329) by the full truck from the park, never
 * by its own truck all the way. */
static void test_park(void) {
  World w;
  world_init(&w, 0.02, 10);
  ThFreightPlan full, part;
  th_freight_plan(w.p, &general, 0, 20, 6 * 3600, 15, NULL, 24 * 3600, &full);
  th_freight_plan(w.p, &general, 0, 20, 6 * 3600, 3, NULL, 24 * 3600, &part);
  g_assert_cmpfloat_with_epsilon(full.truck_cost_per_t, 62.5, 1e-9);
  g_assert_cmpfloat_with_epsilon(part.truck_cost_per_t, 302.5, 1e-9);
  g_assert_cmpint(full.hub_from, ==, 1); /* the station */
  g_assert_true(part.by_rail);
  g_assert_cmpint(part.hub_from, ==, 3); /* the park */
  g_assert_cmpint(part.hub_to, ==, 19);
  g_assert_cmpfloat_with_epsilon(part.access_km, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon(part.egress_km, 10, 1e-9);
  /* its money: trucks 30 x 1.5 + 10 x 1.5, handling 10, rail 3.2 */
  g_assert_cmpfloat_with_epsilon(part.money_per_t, 45 + 15 + 10 + 3.2, 1e-6);
  g_test_message("part load: chain %.3f yuan/t against truck %.3f", part.rail_cost_per_t,
                 part.truck_cost_per_t);
  g_assert_cmpfloat(part.rail_cost_per_t, <, 80);
  g_assert_cmpfloat(part.rail_cost_per_t, >, 73.575); /* its money and 0.375 + 0.125 h of driving */
  /* the consolidated road haul, by hand above; rail beats it */
  g_assert_cmpint(part.cons_hub, ==, 3);
  g_assert_cmpfloat_with_epsilon(part.cons_cost_per_t, 45.375 + 5 + 22.0 / 3600 + 53.125, 1e-9);
  g_assert_cmpfloat_with_epsilon(part.cons_money_per_t, 101, 1e-9);
  g_assert_cmpfloat_with_epsilon(part.cons_access_km, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon(part.cons_onward_km, 170, 1e-9);
  g_assert_cmpint(part.cons_access_s, ==, 1350);
  g_assert_cmpint(part.cons_handling_s, ==, 22);
  g_assert_cmpint(part.cons_onward_s, ==, 7650);
  g_assert_cmpfloat_with_epsilon(part.gen_cost_per_t, part.rail_cost_per_t, 1e-9);
  g_assert_cmpint(full.cons_hub, ==, -1); /* full loads are not consolidated */
  g_assert_false(isfinite(full.cons_cost_per_t));
  world_clear(&w);

  /* no consolidation: a part load cannot board anywhere */
  world_init(&w, 0.02, 0);
  th_freight_plan(w.p, &general, 0, 20, 6 * 3600, 3, NULL, 24 * 3600, &part);
  g_assert_false(part.by_rail);
  g_assert_false(isfinite(part.rail_cost_per_t));
  g_assert_cmpint(part.hub_from, ==, -1);
  g_assert_cmpint(part.cons_hub, ==, -1); /* nor a consolidated road haul */
  g_assert_cmpfloat_with_epsilon(part.gen_cost_per_t, 302.5, 1e-9);
  /* a park for loads up to 2 t does not take 3 t */
  world_clear(&w);
  world_init(&w, 0.02, 2);
  th_freight_plan(w.p, &general, 0, 20, 6 * 3600, 3, NULL, 24 * 3600, &part);
  g_assert_false(isfinite(part.rail_cost_per_t));
  world_clear(&w);

  /* rail dearer door to door: the park moves nothing to rail, and sends the
   * part load on by a full truck */
  world_init(&w, 1.6, 10);
  th_freight_plan(w.p, &general, 0, 20, 6 * 3600, 3, NULL, 24 * 3600, &part);
  g_test_message("dear rail: truck %.3f chain %.3f", part.truck_cost_per_t, part.rail_cost_per_t);
  g_assert_false(part.by_rail);
  g_assert_cmpint(part.hub_from, ==, 3); /* the chain exists, through the park, and is dearer */
  g_assert_cmpfloat(part.rail_cost_per_t, >, 302.5);
  g_assert_cmpfloat(part.rail_cost_per_t, <, 340);
  g_assert_cmpint(part.cons_hub, ==, 3);
  g_assert_cmpfloat_with_epsilon(part.gen_cost_per_t, 45.375 + 5 + 22.0 / 3600 + 53.125, 1e-9);
  world_clear(&w);
}

/* hubs.csv: consolidate_max_t must be >= 0 and needs handling. */
static void test_bad(void) {
  g_autoptr(ThNetwork) net = corridor(0.02);
  const char *text = HUB "2,a,logistics,road;rail,,500,5,,,-1\n"
                         "4,b,station,road;rail,,,,,,10\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThHubs) h = th_hubs_read_text("hubs.csv", text, strlen(text), net, &e);
  g_assert_null(h);
  g_test_message("%s", e->message);
  g_assert_nonnull(strstr(e->message, "hubs.csv:2: consolidate_max_t '-1' is not a number >= 0"));
  g_assert_nonnull(strstr(e->message, "hubs.csv:3: consolidate_max_t needs freight handling here"));
}

/* [demand] general_shipment_t: general cargo in part loads of 3 t: five
 * times the shipments of 15 t loads, each of 3 t (the tonnes per day stay
 * the same within sampling). */
static void test_demand(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *base = th_test_src("scenarios/yangcheng/base2020.ini");
  g_autofree char *a = g_build_filename(dir, "a.csv", NULL), *b = g_build_filename(dir, "b.csv", NULL);
  /* the shipped base draws 3 t loads (base2020.ini); truckloads with 0 */
  g_autofree char *full_text = g_strdup_printf("[scenario]\nbase = %s\n[demand]\ngeneral_shipment_t = 0\n", base);
  g_autofree char *full = th_test_write(dir, "full.ini", full_text);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "demand", full, "--out", a, NULL), ==, 0);
  g_autofree char *part_text = g_strdup_printf("[scenario]\nbase = %s\n[demand]\ngeneral_shipment_t = 3\n", base);
  g_autofree char *part = th_test_write(dir, "part.ini", part_text);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "demand", part, "--out", b, NULL), ==, 0);
  double n[2] = {0}, t[2] = {0};
  const char *files[2] = {a, b};
  for (int k = 0; k < 2; k++) {
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(files[k], &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_auto(GStrv) head = g_strsplit(lines[0], ",", -1);
    int cc = -1, ct = -1;
    for (int i = 0; head[i]; i++) {
      if (!strcmp(head[i], "class")) cc = i;
      if (!strcmp(head[i], "tonnes")) ct = i;
    }
    g_assert_cmpint(cc, >=, 0);
    g_assert_cmpint(ct, >=, 0);
    for (int l = 1; lines[l]; l++) {
      g_auto(GStrv) f = g_strsplit(lines[l], ",", -1);
      if (g_strv_length(f) <= (guint)MAX(cc, ct) || strcmp(f[cc], "general")) continue;
      n[k]++;
      double x = g_ascii_strtod(f[ct], NULL);
      t[k] += x;
      g_assert_cmpfloat(x, ==, k ? 3 : 15);
    }
  }
  g_test_message("general: %.0f shipments, %.0f t; in 3 t loads: %.0f shipments, %.0f t", n[0], t[0], n[1], t[1]);
  g_assert_cmpfloat(n[1], >, 4 * n[0]);
  g_assert_cmpfloat(fabs(t[1] - t[0]), <, 0.1 * t[0]);
  th_test_rmtree(dir);
}

/* The day driver with dear rail (1.6 yuan/tkm): the 3 t part load of
 * test_park takes the park's consolidated road haul. Its own truck drives
 * the 30 km to the park (3 links of 450 s, alone on the road: 1,350 s),
 * handling 22 s, the full truck 170 km on (7,650 s, planned on the day's
 * road times): it arrives at 06:00 + 9,022 s; distance 200 km, of which 170
 * on the shared full truck (truck-km 30 + 170 x 3/15 = 64, not 200);
 * money 101 yuan/t x 3 t = 303. Without the park's consolidation it drives
 * its own truck the 200 km. */
static void test_day(void) {
  for (int park = 1; park >= 0; park--) {
    World w;
    world_init(&w, 1.6, park ? 10 : 0);
    g_autoptr(ThClassTable) classes = th_class_table_new();
    int gen = th_class_table_lookup(classes, "general");
    g_assert_cmpint(gen, >=, 0);
    ThClass *c = &classes->cls[gen];
    c->vot_per_h = 1, c->cost_per_km = 4.5, c->tonnes_per_vehicle = 15, c->wait_weight = 1, c->transfer_weight = 1;
    g_autoptr(ThTrips) t = th_trips_new(NULL);
    th_trips_add(t, 1, w.net, 0, 20, 6 * 3600, classes, gen, 0, 3);
    ThSimParams p;
    th_sim_params_init(&p);
    p.iterations = 1;
    p.threads = 1;
    ThMultimodalParams mp;
    th_multimodal_params_init(&mp);
    mp.services = w.sv;
    mp.hubs = w.hubs;
    mp.choice_iterations = 1;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThMultimodalResults) r = th_simulate_multimodal(w.net, t, classes, &p, &mp, &e);
    g_assert_no_error(e);
    const ThRunResults *rr = r->run;
    g_assert_cmpint(rr->status[0], ==, TH_TRIP_ARRIVED);
    g_assert_cmpuint(rr->mode[0], ==, TH_MODE_ROAD);
    g_assert_cmpfloat_with_epsilon(rr->distance_m[0], 200000, 1e-6);
    g_test_message("park %d: arrive %d, money %.3f, shared %.1f km", park, rr->arrive_s[0], rr->money[0],
                   rr->shared_truck_km[0]);
    if (park) {
      g_assert_cmpfloat_with_epsilon(rr->shared_truck_km[0], 170, 1e-9);
      g_assert_cmpint(rr->arrive_s[0], ==, 6 * 3600 + 1350 + 22 + 7650);
      g_assert_cmpfloat_with_epsilon(rr->money[0], 303, 1e-6);
    } else {
      g_assert_cmpfloat_with_epsilon(rr->shared_truck_km[0], 0, 1e-9);
    }
    world_clear(&w);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/consolidation/park", test_park);
  g_test_add_func("/consolidation/bad", test_bad);
  g_test_add_func("/consolidation/day", test_day);
  g_test_add_func("/consolidation/demand", test_demand);
  return g_test_run();
}

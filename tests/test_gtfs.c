/* test_gtfs.c: `import gtfs` on the hand-written feed tests/data/gtfs/feed
 * (a bus and a rail operator in one feed, every file the importer reads) on
 * the sample network: service days, per-trip times, frequencies, stop
 * patterns, route types, transfers, fares, the zip and folder forms, a
 * journey on the feed's exact times, and every kind of bad feed.
 *
 * The feed (see the files): 2026-03-16 is a Monday, so WK runs and XTRA is
 * added by calendar_dates; 2026-10-01 (a Thursday) removes WK and adds WE. */
#include "network/gtfs.h"
#include "network/hubs.h"
#include "network/load.h"
#include "network/th-error.h"
#include "scenarios/scenario-world.h"
#include "sim/transit.h"
#include "testutil.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include <math.h>
#include <string.h>

static ThNetwork *sample(void) {
  g_autofree char *p = th_test_src("scenarios/sample");
  g_autoptr(GError) e = NULL;
  ThNetwork *net = th_network_load(p, &e);
  g_assert_no_error(e);
  return net;
}

static ThGtfsImport *import(const char *feed_rel, const ThNetwork *net, const char *date) {
  g_autofree char *feed = th_test_src(feed_rel);
  g_autoptr(GError) e = NULL;
  ThGtfsImport *imp = th_gtfs_import(feed, net, date, NULL, &e);
  g_assert_no_error(e);
  g_assert_nonnull(imp);
  return imp;
}

static int line_of(const ThServices *s, const char *id) {
  int i = th_services_find_line(s, id);
  g_assert_cmpint(i, >=, 0);
  return i;
}

static int node_of(const ThNetwork *net, const char *name) {
  for (int v = 0; v < net->n_nodes; v++)
    if (!strcmp(net->node_name[v], name) && net->node_id[v] > 301) return v;
  g_assert_not_reached();
}

#define HMS(h, m, s) ((h) * 3600 + (m) * 60 + (s))

static void test_day(void) {
  g_autoptr(ThNetwork) net = sample();
  g_autoptr(ThGtfsImport) imp = import("tests/data/gtfs/feed", net, "2026-03-16");
  const ThServices *s = imp->services;
  /* Monday: T_B1_1, T_B1_2 (WK), T_B1_4 (XTRA), T_B2_F, T_K1, T_G1; the
   * ferry route is left out; T_B1_3 and T_K2 run at weekends */
  g_assert_cmpint(imp->n_trips, ==, 6);
  g_assert_cmpint(s->n_lines, ==, 5);
  g_assert_cmpint(imp->n_stop_nodes, ==, 5); /* 北留, 润城, 阳城客运站, 阳城站, 晋城站 */
  /* two stop patterns of route R_B1: the full one first (07:00), then the short one */
  int b1 = line_of(s, "R_B1"), b1s = line_of(s, "R_B1/2");
  g_assert_cmpstr(s->lines[b1].route, ==, "R_B1");
  g_assert_cmpstr(s->lines[b1s].route, ==, "R_B1");
  g_assert_cmpint(s->lines[b1].n_stops, ==, 4);
  g_assert_cmpint(s->lines[b1s].n_stops, ==, 3);
  g_assert_cmpint(s->lines[b1].mode, ==, TH_MODE_BUS);
  /* every trip keeps its own times: T_B1_2 reaches 阳城客运站 at 08:36, leaves 08:37 */
  const ThServiceLine *L = &s->lines[b1];
  g_assert_cmpint(L->n_runs, ==, 2);
  int r2 = L->first_run + 1;
  g_assert_cmpint(th_run_dep_s(s, r2, 0), ==, HMS(8, 0, 0));
  g_assert_cmpint(th_run_arr_s(s, r2, 1), ==, HMS(8, 18, 0));
  g_assert_cmpint(th_run_dep_s(s, r2, 1), ==, HMS(8, 19, 0));
  g_assert_cmpint(th_run_arr_s(s, r2, 2), ==, HMS(8, 36, 0));
  g_assert_cmpint(th_run_dep_s(s, r2, 2), ==, HMS(8, 37, 0));
  g_assert_cmpint(th_run_arr_s(s, r2, 3), ==, HMS(8, 45, 0));
  /* T_B1_1 leaves 07:00 and its run times differ (14 min, not 18) */
  int r1 = L->first_run;
  g_assert_cmpint(th_run_arr_s(s, r1, 1), ==, HMS(7, 14, 0));
  g_assert_cmpint(th_run_dep_s(s, r1, 1), ==, HMS(7, 15, 0));
  g_assert_cmpint(th_run_arr_s(s, r1, 3), ==, HMS(7, 38, 0));
  /* its empty time at 阳城客运站 is interpolated by distance between 07:15 and 07:38 */
  double d1 = th_haversine_m(112.5085, 35.4735, 112.4205, 35.4852);
  double d2 = th_haversine_m(112.4205, 35.4852, 112.4055, 35.4725);
  g_assert_cmpint(th_run_arr_s(s, r1, 2), ==, HMS(7, 15, 0) + (int)lround(d1 / (d1 + d2) * 1380));
  /* frequencies: 06:00-08:00 every 30 min (4 runs) and 25:00 (end 25:30 excluded) */
  const ThServiceLine *F = &s->lines[line_of(s, "R_B2")];
  g_assert_cmpint(F->n_runs, ==, 5);
  int want[] = {HMS(6, 0, 0), HMS(6, 30, 0), HMS(7, 0, 0), HMS(7, 30, 0), HMS(25, 0, 0)};
  for (int j = 0; j < 5; j++) {
    g_assert_cmpint(th_run_dep_s(s, F->first_run + j, 0), ==, want[j]);
    /* the template's times: 8 min, 1 min dwell, 16 min, 15 min */
    g_assert_cmpint(th_run_arr_s(s, F->first_run + j, 1), ==, want[j] + 480);
    g_assert_cmpint(th_run_dep_s(s, F->first_run + j, 1), ==, want[j] + 540);
    g_assert_cmpint(th_run_arr_s(s, F->first_run + j, 3), ==, want[j] + 2400);
  }
  /* route types and fares */
  const ThServiceLine *K = &s->lines[line_of(s, "R_K")], *G = &s->lines[line_of(s, "R_G")];
  g_assert_cmpint(K->mode, ==, TH_MODE_RAIL);
  g_assert_cmpint(G->mode, ==, TH_MODE_HSR);
  g_assert_cmpfloat(K->fare_flat, ==, 15.5);
  g_assert_cmpfloat(G->fare_flat, ==, 25);
  g_assert_cmpfloat(L->fare_flat, ==, 2);
  g_assert_cmpfloat(K->capacity, ==, 1200);
  g_assert_cmpfloat(L->capacity, ==, 80);
  /* platforms P_YC1, P_YC2 and the bus stop S_YCZ are one node (阳城站): the
   * bus, the K train and the G train all stop there */
  int yc = node_of(imp->net, "阳城站");
  g_assert_cmpint(K->stop[0], ==, yc);
  g_assert_cmpint(G->stop[0], ==, yc);
  g_assert_cmpint(L->stop[3], ==, yc);
  /* the stop node is joined to network node 201 (阳城站) by two walk links */
  int n_walk = 0;
  for (int e = 0; e < imp->net->n_links; e++)
    if ((imp->net->link_from[e] == yc || imp->net->link_to[e] == yc)) {
      g_assert_cmpint(imp->net->link_modes[e], ==, TH_MODE_WALK | TH_MODE_CONNECTOR);
      int other = imp->net->link_from[e] == yc ? imp->net->link_to[e] : imp->net->link_from[e];
      g_assert_cmpint(imp->net->node_id[other], ==, 201);
      g_assert_cmpfloat(fabs(imp->net->length_m[e] - th_haversine_m(112.4052, 35.4722, 112.4050, 35.4720)),
                        <, 1e-9);
      n_walk++;
    }
  g_assert_cmpint(n_walk, ==, 2);
  /* transfers.txt: 420 s and 300 s within 阳城站: the larger; the type 3 row,
   * the one between two stations (now a walk link) and the ferry are noted */
  g_assert_nonnull(strstr(imp->hubs_csv, "阳城站,station,,7,"));
  g_assert_cmpint(imp->notes->len, ==, 3);
}

static void test_exceptions(void) {
  g_autoptr(ThNetwork) net = sample();
  /* national day: WK removed, WE added: T_B1_3 and T_K2 */
  g_autoptr(ThGtfsImport) imp = import("tests/data/gtfs/feed", net, "2026-10-01");
  g_assert_cmpint(imp->n_trips, ==, 2);
  g_assert_cmpint(imp->services->n_lines, ==, 2);
  const ThServices *s = imp->services;
  const ThServiceLine *K = &s->lines[line_of(s, "R_K")];
  g_assert_cmpint(th_run_dep_s(s, K->first_run, 0), ==, HMS(12, 0, 0));
  g_assert_cmpint(th_run_arr_s(s, K->first_run, 1), ==, HMS(12, 55, 0));
  /* an ordinary Tuesday has no XTRA: 5 WK trips */
  g_autoptr(ThGtfsImport) tue = import("tests/data/gtfs/feed", net, "2026-03-17");
  g_assert_cmpint(tue->n_trips, ==, 5);
  g_assert_cmpint(th_services_find_line(tue->services, "R_B1/2"), ==, -1);
}

/* The zip (made from the folder by `zip -X feed.zip *.txt`) imports to the
 * same bytes; the services written back (th_services_write) read to the
 * same times. */
/* A services.csv without route and trip_times writes back without them:
 * the format of every existing file is kept, byte for byte. */
static void test_services_compat(void) {
  g_autoptr(ThNetwork) net = sample();
  g_autofree char *p = th_test_src("scenarios/sample/services.csv");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThServices) s = th_services_read(p, net, &e);
  g_assert_no_error(e);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  th_services_write(s, net, f);
  fclose(f);
  g_assert_true(g_str_has_prefix(buf, "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,"
                                      "last_dep,headway_min,departures,capacity,fare_flat,fare_per_km,"
                                      "source\nK1,"));
  g_assert_null(strstr(buf, "trip_times"));
  for (int r = 0; r < s->n_runs; r++) g_assert_null(s->runs[r].off_s);
  g_assert_cmpstr(s->lines[0].route, ==, "K1"); /* no route column: the line is its route */
  free(buf);
}

static void test_zip_and_roundtrip(void) {
  g_autoptr(ThNetwork) net = sample();
  g_autoptr(ThGtfsImport) a = import("tests/data/gtfs/feed", net, "2026-03-16");
  g_autoptr(ThGtfsImport) b = import("tests/data/gtfs/feed.zip", net, "2026-03-16");
  g_assert_cmpstr(a->services_csv, ==, b->services_csv);
  g_assert_cmpstr(a->stops_csv, ==, b->stops_csv);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  th_services_write(a->services, a->net, f);
  fclose(f);
  /* lines whose runs all share times go back to run_min; the others keep trip_times */
  g_assert_nonnull(strstr(buf, "R_K,K 侯月线,rail,passenger,305;306,50,,0,,,,08:00,1200,15.5,0,GTFS,R_K,\n"));
  g_assert_nonnull(strstr(buf, ",R_B2,06:08:00/06:09:00;06:25:00;06:40:00|06:38:00/06:39:00;"));
  g_autoptr(GError) e = NULL;
  g_autoptr(ThServices) s2 = th_services_read_text("again.csv", buf, len, a->net, &e);
  g_assert_no_error(e);
  g_assert_cmpint(s2->n_runs, ==, a->services->n_runs);
  for (int r = 0; r < s2->n_runs; r++)
    for (int k = 0; k < s2->lines[s2->runs[r].line].n_stops; k++) {
      g_assert_cmpint(th_run_arr_s(s2, r, k), ==, th_run_arr_s(a->services, r, k));
      g_assert_cmpint(th_run_dep_s(s2, r, k), ==, th_run_dep_s(a->services, r, k));
    }
  free(buf);
}

/* A passenger at 北留 ready at 06:55 for 晋城: the 07:00 bus (T_B1_1)
 * reaches 阳城站 at 07:38 exactly as the feed says, the transfer there takes
 * 7 min (transfers.txt), so the 07:50 G train is caught and arrives 08:10:00;
 * the K train (08:00 -> 08:50) is later. */
static void test_journey(void) {
  g_autoptr(ThNetwork) net = sample();
  g_autoptr(ThGtfsImport) imp = import("tests/data/gtfs/feed", net, "2026-03-16");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThHubs) hubs = th_hubs_read_text("hubs.csv", imp->hubs_csv, strlen(imp->hubs_csv),
                                             imp->net, &e);
  g_assert_no_error(e);
  int bl = node_of(imp->net, "北留"), jc = node_of(imp->net, "晋城站");
  g_autoptr(ThTransitRouter) r = th_transit_router_new(imp->net, imp->services, hubs,
                                                       TH_SERVICE_PASSENGER, TH_MODE_ALL);
  int n;
  const int *stops = th_transit_router_stops(r, &n);
  int *acc = g_new(int, n), *egr = g_new(int, n);
  for (int i = 0; i < n; i++) {
    acc[i] = stops[i] == bl ? 0 : -1;
    egr[i] = stops[i] == jc ? 0 : -1;
  }
  ThTransitJourney j;
  th_transit_route(r, HMS(6, 55, 0), acc, egr, 86400 * 2, &j);
  g_assert_cmpint(j.n_legs, ==, 2);
  const ThServices *s = imp->services;
  g_assert_cmpint(j.legs[0].line, ==, line_of(s, "R_B1"));
  g_assert_cmpint(th_run_dep_s(s, j.legs[0].run, j.legs[0].board_k), ==, HMS(7, 0, 0));
  g_assert_cmpint(th_run_arr_s(s, j.legs[0].run, j.legs[0].alight_k), ==, HMS(7, 38, 0));
  g_assert_cmpint(j.transfer_s, ==, 420);
  g_assert_cmpint(j.legs[1].line, ==, line_of(s, "R_G"));
  g_assert_cmpint(j.arrive_s, ==, HMS(8, 10, 0));
  g_assert_cmpint(j.wait_s, ==, 300 + 300); /* 06:55->07:00, 07:45->07:50 */
  g_assert_cmpfloat(j.fare, ==, 2 + 25);
  /* the run simulation rides the same legs at the same times: the rider
   * boards the 07:00 bus, alights 07:38, boards the 07:50 train, arrives 08:10 */
  g_autoptr(ThTransitSim) sim = th_transit_sim_new(imp->net, s, hubs);
  int rider = th_transit_sim_add(sim, 1, HMS(6, 55, 0), j.legs, j.n_legs, 0);
  th_transit_sim_run(sim, 86400);
  const ThRiderResult *rr = th_transit_sim_rider(sim, rider);
  g_assert_cmpint(rr->status, ==, TH_RIDER_ARRIVED);
  g_assert_cmpint(rr->arrive_s, ==, HMS(8, 10, 0));
  g_assert_cmpint(rr->in_vehicle_s, ==, 38 * 60 + 20 * 60);
  g_assert_cmpint(rr->boardings, ==, 2);
  /* ready at 07:01 the next bus is 08:00 (18 min to 润城): it reaches 阳城站
   * at 08:45, too late for any train but K2 (weekends): no journey */
  th_transit_route(r, HMS(7, 1, 0), acc, egr, 86400 * 2, &j);
  g_assert_cmpint(j.n_legs, ==, 0);
  g_free(acc);
  g_free(egr);
}

/* Writes FILES (name, text pairs, NULL-terminated) over a copy of the good
 * feed (text NULL deletes the file) and returns the import's error message. */
static char *bad_feed(const char *date, ...) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *src = th_test_src("tests/data/gtfs/feed");
  g_autoptr(GDir) d = g_dir_open(src, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(src, name, NULL), *text = NULL;
    g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
    g_free(th_test_write(dir, name, text));
  }
  va_list ap;
  va_start(ap, date);
  const char *file;
  while ((file = va_arg(ap, const char *))) {
    const char *text = va_arg(ap, const char *);
    g_autofree char *p = g_build_filename(dir, file, NULL);
    if (text) g_free(th_test_write(dir, file, text));
    else g_remove(p);
  }
  va_end(ap);
  g_autoptr(ThNetwork) net = sample();
  g_autoptr(GError) e = NULL;
  g_autoptr(ThGtfsImport) imp = th_gtfs_import(dir, net, date, NULL, &e);
  g_assert_null(imp);
  g_assert_nonnull(e);
  /* messages name the file by its path in the copy: make them relative */
  g_autofree char *prefix = g_strconcat(dir, "/", NULL);
  g_auto(GStrv) parts = g_strsplit(e->message, prefix, -1);
  char *msg = g_strjoinv("", parts);
  th_test_rmtree(dir);
  return msg;
}

static void expect(char *msg, const char *want) {
  if (!strstr(msg, want)) g_error("expected '%s' in:\n%s", want, msg);
  g_free(msg);
}

/* A copy of the good feed with FILES (name, text pairs; text NULL deletes)
 * written over it, imported on DATE (which must succeed). */
static ThGtfsImport *feed_variant(const char *date, ...) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *src = th_test_src("tests/data/gtfs/feed");
  g_autoptr(GDir) d = g_dir_open(src, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(src, name, NULL), *text = NULL;
    g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
    g_free(th_test_write(dir, name, text));
  }
  va_list ap;
  va_start(ap, date);
  const char *file;
  while ((file = va_arg(ap, const char *))) {
    const char *text = va_arg(ap, const char *);
    g_autofree char *p = g_build_filename(dir, file, NULL);
    if (text) g_free(th_test_write(dir, file, text));
    else g_remove(p);
  }
  va_end(ap);
  g_autoptr(ThNetwork) net = sample();
  g_autoptr(GError) e = NULL;
  ThGtfsImport *imp = th_gtfs_import(dir, net, date, NULL, &e);
  g_assert_no_error(e);
  th_test_rmtree(dir);
  return imp;
}

static gboolean has_note(const ThGtfsImport *imp, const char *text) {
  for (guint i = 0; i < imp->notes->len; i++)
    if (strstr(imp->notes->pdata[i], text)) return TRUE;
  return FALSE;
}

/* GTFS-Fares v2 (gtfs.h): flat fares per route network. Buses in network
 * BUS (routes.txt network_id): its rule costs 1.50 (the 3.00 rule of
 * priority 0 loses to the 1.50 of priority 1); trains have no network: the
 * rule without network_id, 12.00; a rule by area is left for the plain
 * ones; v1's files are left aside, noted. */
static void test_fares_v2(void) {
  g_autoptr(ThGtfsImport) imp = feed_variant(
      "2026-03-16", "routes.txt",
      "route_id,agency_id,route_short_name,route_long_name,route_type,network_id\n"
      "R_B1,BUS,1路,北留–阳城站,3,BUS\nR_B2,BUS,2路,阳城站–北留,3,BUS\nR_K,CR,K,侯月线,2,\n"
      "R_G,CR,G,郑太高铁,101,\nR_F,BUS,F,渡轮,4,\n",
      "fare_products.txt",
      "fare_product_id,fare_product_name,amount,currency\nP_BUS,公交,3.00,CNY\n"
      "P_BUS_CARD,公交卡,1.50,CNY\nP_TRAIN,火车,12.00,CNY\nP_ZONE,区间,0.50,CNY\n",
      "fare_leg_rules.txt",
      "leg_group_id,network_id,from_area_id,to_area_id,fare_product_id,rule_priority\n"
      "g1,BUS,,,P_BUS,0\ng2,BUS,,,P_BUS_CARD,1\ng3,,,,P_TRAIN,\ng4,BUS,A1,A2,P_ZONE,5\n",
      NULL);
  const ThServices *s = imp->services;
  g_assert_cmpfloat(s->lines[line_of(s, "R_B1")].fare_flat, ==, 1.5);
  g_assert_cmpfloat(s->lines[line_of(s, "R_B2")].fare_flat, ==, 1.5);
  g_assert_cmpfloat(s->lines[line_of(s, "R_K")].fare_flat, ==, 12);
  g_assert_cmpfloat(s->lines[line_of(s, "R_G")].fare_flat, ==, 12);
  g_assert_true(has_note(imp, "left aside for fare_leg_rules.txt (v2)"));
  /* networks by route_networks.txt; a network with only a rule by area: its
   * lowest amount, noted; a route of no network and no default rule: no fare */
  g_autoptr(ThGtfsImport) imp2 = feed_variant(
      "2026-03-16", "fare_attributes.txt", NULL, "fare_rules.txt", NULL, "route_networks.txt",
      "network_id,route_id\nCITY,R_B1\nCITY,R_B2\nRAIL,R_G\n",
      "networks.txt", "network_id,network_name\nCITY,城市公交\nRAIL,铁路\nEMPTY,空\n",
      "fare_products.txt",
      "fare_product_id,amount,currency\nP_CITY,2.00,CNY\nP_A,30.00,CNY\nP_B,20.00,CNY\n",
      "fare_leg_rules.txt",
      "network_id,from_area_id,to_area_id,fare_product_id\nCITY,,,P_CITY\nRAIL,A,B,P_A\n"
      "RAIL,B,A,P_B\n",
      NULL);
  s = imp2->services;
  g_assert_cmpfloat(s->lines[line_of(s, "R_B1")].fare_flat, ==, 2);
  g_assert_cmpfloat(s->lines[line_of(s, "R_G")].fare_flat, ==, 20);
  g_assert_cmpfloat(s->lines[line_of(s, "R_K")].fare_flat, ==, 0);
  g_assert_true(has_note(imp2, "1 route(s) priced by a rule of fare areas or timeframes"));
}

/* Earliest journey from 北留 to 晋城站 leaving at DEPART on IMP's services. */
static void journey_bl_jc(const ThGtfsImport *imp, int depart, ThTransitJourney *j,
                          ThHubs **hubs_out) {
  g_autoptr(GError) e = NULL;
  ThHubs *hubs = th_hubs_read_text("hubs.csv", imp->hubs_csv, strlen(imp->hubs_csv), imp->net, &e);
  g_assert_no_error(e);
  int bl = node_of(imp->net, "北留"), jc = node_of(imp->net, "晋城站");
  g_autoptr(ThTransitRouter) r = th_transit_router_new(imp->net, imp->services, hubs,
                                                       TH_SERVICE_PASSENGER, TH_MODE_ALL);
  int n;
  const int *stops = th_transit_router_stops(r, &n);
  g_autofree int *acc = g_new(int, n), *egr = g_new(int, n);
  for (int i = 0; i < n; i++) {
    acc[i] = stops[i] == bl ? 0 : -1;
    egr[i] = stops[i] == jc ? 0 : -1;
  }
  th_transit_route(r, depart, acc, egr, 86400 * 2, j);
  if (hubs_out) *hubs_out = hubs;
  else th_hubs_free(hubs);
}

/* pickup_type / drop_off_type 1 (gtfs.h, services.h stop_use): the 07:00
 * bus that takes no one at 北留 is a pattern of its own, and the 06:55
 * journey to 晋城站 (that bus, then the G train) is gone; a bus that lets
 * no one off at 阳城站 the same. */
static void test_pickup_drop_off(void) {
  const char *st =
      "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
      "T_B1_1,07:00:00,07:00:00,S_BL,1,1,\nT_B1_1,07:14:00,07:15:00,S_RC,2,0,0\n"
      "T_B1_1,,,S_YC,3,,\nT_B1_1,07:38:00,07:38:00,S_YCZ,4,,\n"
      "T_B1_2,08:00:00,08:00:00,S_BL,10,,\nT_B1_2,08:18:00,08:19:00,S_RC,20,,\n"
      "T_B1_2,08:36:00,08:37:00,S_YC,30,,\nT_B1_2,08:45:00,08:45:00,S_YCZ,40,,\n"
      "T_B1_4,10:00:00,10:00:00,S_RC,1,,\nT_B1_4,10:15:00,10:15:00,S_YC,2,2,3\n"
      "T_B1_4,10:22:00,10:22:00,S_YCZ,3,,\n"
      "T_B2_F,06:00:00,06:00:00,S_YCZ,1,,\nT_B2_F,06:08:00,06:09:00,S_YC,2,,\n"
      "T_B2_F,06:25:00,06:25:00,S_RC,3,,\nT_B2_F,06:40:00,06:40:00,S_BL,4,,\n"
      "T_K1,08:00:00,08:00:00,P_YC1,1,,\nT_K1,08:50:00,08:50:00,P_JC1,2,,\n"
      "T_G1,07:50:00,07:50:00,P_YC2,1,,\nT_G1,08:10:00,08:10:00,P_JC2,2,,\n";
  g_autoptr(ThGtfsImport) imp = feed_variant("2026-03-16", "stop_times.txt", st, NULL);
  const ThServices *s = imp->services;
  g_assert_cmpint(s->n_lines, ==, 6); /* R_B1 twice by its stops, once more by its use */
  const ThServiceLine *L = &s->lines[line_of(s, "R_B1")];
  g_assert_cmpint(L->n_runs, ==, 1); /* T_B1_1 alone: it takes no one at 北留 */
  g_assert_nonnull(L->stop_use);
  g_assert_false(th_line_can_board(L, 0));
  g_assert_true(th_line_can_alight(L, 0));
  g_assert_true(th_line_can_board(L, 1) && th_line_can_alight(L, 3));
  g_assert_null(s->lines[line_of(s, "R_B1/2")].stop_use);
  g_assert_nonnull(strstr(imp->services_csv, ",stop_use\n"));
  g_assert_nonnull(strstr(imp->services_csv, ",alight;both;both;both\n"));
  g_assert_true(has_note(imp, "1 pickup or drop-off on request") ||
                has_note(imp, "2 pickup or drop-off on request"));
  ThTransitJourney j;
  journey_bl_jc(imp, HMS(6, 55, 0), &j, NULL);
  g_assert_cmpint(j.n_legs, ==, 0);
  /* the same with the bus letting no one off at 阳城站 */
  g_auto(GStrv) p1 = g_strsplit(st, "S_BL,1,1,", -1);
  g_autofree char *st1 = g_strjoinv("S_BL,1,0,", p1);
  g_auto(GStrv) p2 = g_strsplit(st1, "S_YCZ,4,,\n", -1);
  g_autofree char *st2 = g_strjoinv("S_YCZ,4,,1\n", p2);
  g_autoptr(ThGtfsImport) imp2 = feed_variant("2026-03-16", "stop_times.txt", st2, NULL);
  g_assert_nonnull(strstr(imp2->services_csv, ",both;both;both;board\n"));
  journey_bl_jc(imp2, HMS(6, 55, 0), &j, NULL);
  g_assert_cmpint(j.n_legs, ==, 0);
  /* bad values */
  expect(bad_feed("2026-03-16", "stop_times.txt",
                  "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type\n"
                  "T_G1,07:50:00,07:50:00,P_YC2,1,4\nT_G1,08:10:00,08:10:00,P_JC2,2,x\n",
                  NULL),
         "stop_times.txt:2: pickup_type '4' is not 0-3");
}

/* transfers.txt between two stations (gtfs.h): a walk link of facility
 * transfer taking min_transfer_time, a footpath of the timetable search. At
 * 阳城站 changing takes 900 s: the 07:00 bus (阳城站 07:38) misses the 07:50
 * G train (07:38 + 15 min = 07:53). Alighting at 阳城客运站 at 07:30 and
 * walking 600 s to the G platform makes it: ready 07:40, train 07:50, 晋城站
 * 08:10; waits 06:55-07:00 and 07:40-07:50. The run simulation rides it the
 * same: off the bus 07:30, walk, train 07:50, 08:10. */
static void test_footpath(void) {
  const char *st_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                         "T_B1_1,07:00:00,07:00:00,S_BL,1\nT_B1_1,07:14:00,07:15:00,S_RC,2\n"
                         "T_B1_1,07:30:00,07:30:00,S_YC,3\nT_B1_1,07:38:00,07:38:00,S_YCZ,4\n"
                         "T_G1,07:50:00,07:50:00,P_YC2,1\nT_G1,08:10:00,08:10:00,P_JC2,2\n";
  const char *trips = "route_id,service_id,trip_id\nR_B1,WK,T_B1_1\nR_G,WK,T_G1\n";
  g_autoptr(ThGtfsImport) none = feed_variant(
      "2026-03-16", "stop_times.txt", st_times, "trips.txt", trips, "frequencies.txt", NULL,
      "transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nS_YCZ,P_YC2,2,900\n",
      NULL);
  ThTransitJourney j;
  journey_bl_jc(none, HMS(6, 55, 0), &j, NULL);
  g_assert_cmpint(j.n_legs, ==, 0);
  g_autoptr(ThGtfsImport) imp = feed_variant(
      "2026-03-16", "stop_times.txt", st_times, "trips.txt", trips, "frequencies.txt", NULL,
      "transfers.txt",
      "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nS_YCZ,P_YC2,2,900\n"
      "S_YC,P_YC2,2,600\nS_YC,P_YC2,2,500\n",
      NULL);
  /* one walk link 阳城客运站 -> 阳城站 of 600 s (the larger of its two rows) */
  int yc = node_of(imp->net, "阳城客运站"), ycz = node_of(imp->net, "阳城站"), n_tr = 0;
  for (int e = 0; e < imp->net->n_links; e++)
    if (!strcmp(imp->net->link_facility[e], "transfer")) {
      n_tr++;
      g_assert_cmpint(imp->net->link_from[e], ==, yc);
      g_assert_cmpint(imp->net->link_to[e], ==, ycz);
      g_assert_cmpfloat(imp->net->free_time_s[e], ==, 600);
      g_assert_cmpint(imp->net->link_modes[e], ==, TH_MODE_WALK);
    }
  g_assert_cmpint(n_tr, ==, 1);
  ThHubs *hubs = NULL;
  journey_bl_jc(imp, HMS(6, 55, 0), &j, &hubs);
  const ThServices *s = imp->services;
  g_assert_cmpint(j.n_legs, ==, 2);
  g_assert_cmpint(s->lines[j.legs[0].line].stop[j.legs[0].alight_k], ==, yc);
  g_assert_cmpint(th_run_arr_s(s, j.legs[0].run, j.legs[0].alight_k), ==, HMS(7, 30, 0));
  g_assert_cmpint(s->lines[j.legs[1].line].stop[j.legs[1].board_k], ==, ycz);
  g_assert_cmpint(j.legs[0].walk_s, ==, 0);
  g_assert_cmpint(j.legs[1].walk_s, ==, 600);
  g_assert_cmpint(j.transfer_s, ==, 600);
  g_assert_cmpint(j.wait_s, ==, 300 + 600);
  g_assert_cmpint(j.arrive_s, ==, HMS(8, 10, 0));
  g_autoptr(ThTransitSim) sim = th_transit_sim_new(imp->net, s, hubs);
  int rider = th_transit_sim_add(sim, 1, HMS(6, 55, 0), j.legs, j.n_legs, 0);
  th_transit_sim_run(sim, 86400);
  const ThRiderResult *rr = th_transit_sim_rider(sim, rider);
  g_assert_cmpint(rr->status, ==, TH_RIDER_ARRIVED);
  g_assert_cmpint(rr->arrive_s, ==, HMS(8, 10, 0));
  g_assert_cmpint(rr->wait_s, ==, 300 + 600);
  g_assert_cmpint(rr->in_vehicle_s, ==, 30 * 60 + 20 * 60);
  th_hubs_free(hubs);
}

/* shapes.txt as the geometry of rail lines (gtfs.h): the G train's shape
 * bends north through (112.62, 35.60): one hsr link 阳城站 -> 晋城站 along
 * it, length the polyline's from station to station, free-flow time the
 * run's 20 min, and the line's segment is that length (the K train, without
 * a shape, keeps the great-circle distance). Bad rows at FILE:LINE. */
static void test_shapes(void) {
  const char *trips = "route_id,service_id,trip_id,shape_id\nR_B1,WK,T_B1_1,\nR_B1,WK,T_B1_2,\n"
                      "R_B1,WE,T_B1_3,\nR_B1,XTRA,T_B1_4,\nR_B2,WK,T_B2_F,\nR_K,WK,T_K1,\n"
                      "R_K,WE,T_K2,\nR_G,WK,T_G1,SH_G\nR_F,WK,T_F1,\n";
  g_autoptr(ThGtfsImport) imp = feed_variant(
      "2026-03-16", "trips.txt", trips, "shapes.txt",
      "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH_G,35.5060,112.8351,30\n"
      "SH_G,35.4719,112.4049,1\nSH_G,35.6000,112.6200,20\n",
      NULL);
  const ThNetwork *net = imp->net;
  int yc = node_of(net, "阳城站"), jc = node_of(net, "晋城站"), n = 0, e_g = -1;
  for (int e = 0; e < net->n_links; e++)
    if (!strcmp(net->link_facility[e], "gtfs_shape")) n++, e_g = e;
  g_assert_cmpint(n, ==, 1);
  g_assert_cmpint(net->link_from[e_g], ==, yc);
  g_assert_cmpint(net->link_to[e_g], ==, jc);
  g_assert_cmpint(net->link_modes[e_g], ==, TH_MODE_HSR);
  g_assert_cmpstr(net->link_geometry[e_g], ==,
                  "LINESTRING (112.4052000 35.4722000, 112.6200000 35.6000000, 112.8352000 35.5062000)");
  double want = th_haversine_m(112.4052, 35.4722, 112.62, 35.60) +
                th_haversine_m(112.62, 35.60, 112.8352, 35.5062);
  g_assert_cmpfloat(fabs(net->length_m[e_g] - want), <, 1e-6);
  g_assert_cmpfloat(net->free_time_s[e_g], ==, 1200);
  const ThServices *s = imp->services;
  g_assert_cmpfloat(fabs(s->lines[line_of(s, "R_G")].seg_len_m[0] - want), <, 1e-6);
  g_assert_cmpfloat(fabs(s->lines[line_of(s, "R_K")].seg_len_m[0] -
                         th_haversine_m(112.4052, 35.4722, 112.8352, 35.5062)),
                    <, 1e-6);
  g_assert_true(has_note(imp, "shapes.txt: 1 rail segment(s) drawn along their shape"));
  /* bad rows */
  char *m = bad_feed("2026-03-16", "trips.txt", trips, "shapes.txt",
                     "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH_X,95,112,1\n"
                     "SH_X,35,112,-1\n",
                     NULL);
  g_autofree char *keep = g_strdup(m);
  expect(m, "shapes.txt:2: shape_pt_lat '95', shape_pt_lon '112' are not a WGS84 point");
  expect(g_strdup(keep), "shapes.txt:3: shape_pt_sequence '-1' is not a whole number >= 0");
  expect(g_strdup(keep), "trips.txt:9: shape_id 'SH_G' is not in shapes.txt");
}

/* services.csv stop_use: read, checked at FILE:LINE, written back. */
static void test_stop_use_column(void) {
  g_autoptr(ThNetwork) net = sample();
  const char *head = "line,mode,stops,run_min,departures,capacity,stop_use\n";
  g_autofree char *text = g_strconcat(head, "X,rail,201;211;212,5;5,06:00,100,board;both;alight\n"
                                            "Y,rail,201;211,5,06:00,100,\n", NULL);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThServices) s = th_services_read_text("services.csv", text, strlen(text), net, &e);
  g_assert_no_error(e);
  const ThServiceLine *X = &s->lines[0];
  g_assert_true(th_line_can_board(X, 0) && !th_line_can_alight(X, 0));
  g_assert_true(th_line_can_board(X, 1) && th_line_can_alight(X, 1));
  g_assert_true(!th_line_can_board(X, 2) && th_line_can_alight(X, 2));
  g_assert_null(s->lines[1].stop_use);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  th_services_write(s, net, f);
  fclose(f);
  g_assert_nonnull(strstr(buf, ",stop_use\n"));
  g_assert_nonnull(strstr(buf, ",board;both;alight\n"));
  g_assert_true(g_str_has_suffix(buf, "E,\n") || g_str_has_suffix(buf, ",\n"));
  free(buf);
  g_autofree char *bad = g_strconcat(head, "X,rail,201;211;212,5;5,06:00,100,board;both\n"
                                           "Y,rail,201;211,5,06:00,100,maybe;both\n", NULL);
  g_autoptr(ThServices) sb = th_services_read_text("services.csv", bad, strlen(bad), net, &e);
  g_assert_null(sb);
  g_assert_nonnull(strstr(e->message, "services.csv:2: stop_use has 2 value(s) for 3 stops"));
  g_assert_nonnull(strstr(e->message, "services.csv:3: stop_use 'maybe' at stop 1 is not both, "
                                      "board, alight or none"));
}

#define ST_HEAD "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"

static void test_bad(void) {
  expect(bad_feed("2026-03-16", "stops.txt", NULL, NULL),
         "stops.txt is missing (a GTFS feed has stops.txt, routes.txt, trips.txt, stop_times.txt");
  expect(bad_feed("2026-03-16", "calendar.txt", NULL, "calendar_dates.txt", NULL, NULL),
         "calendar.txt and calendar_dates.txt are both missing");
  expect(bad_feed("2026-03-16", "calendar.txt",
                  "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                  "WK,1,1,1,1,yes,0,0,20260101,20261231\nWE,0,0,0,0,0,1,1,2026-01-01,20261231\n",
                  NULL),
         "calendar.txt:2: friday 'yes' is not 0 or 1\ncalendar.txt:3: start_date '2026-01-01' is "
         "not a date (YYYYMMDD)");
  expect(bad_feed("2026-03-16", "calendar_dates.txt", "service_id,date,exception_type\nWK,20261001,3\n",
                  NULL),
         "calendar_dates.txt:2: exception_type '3' is not 1 (service added) or 2 (service removed)");
  expect(bad_feed("2026-03-16", "routes.txt",
                  "route_id,route_short_name,route_type\nR_B1,1,3\nR_B1,1,3\nR_B2,2,bus\n", NULL),
         "routes.txt:3: route_id 'R_B1' appears twice (one row per route)\nroutes.txt:4: route_type "
         "'bus' is not a route type");
  expect(bad_feed("2026-03-16", "trips.txt",
                  "route_id,service_id,trip_id\nR_X,WK,T_B1_1\nR_B1,NOPE,T_B1_2\n", NULL),
         "trips.txt:2: route_id 'R_X' is not in routes.txt\ntrips.txt:3: service_id 'NOPE' is not in "
         "calendar.txt or calendar_dates.txt");
  expect(bad_feed("2026-03-16", "stops.txt",
                  "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
                  "S_BL,北留,95.5,112.5,,\nS_RC,润城,35.4735,112.5085,0,NOPE\n",
                  NULL),
         "stops.txt:2: stop_lat '95.5' is not a latitude (-90..90)\nstops.txt:3: parent_station "
         "'NOPE' is not a station of stops.txt (location_type 1)");
  expect(bad_feed("2026-03-16", "stop_times.txt",
                  ST_HEAD "T_B1_1,07:00:00,07:00:00,S_BL,1\nT_B1_1,7h14,07:15:00,S_RC,2\n"
                          "T_B1_1,07:20:00,07:20:00,NOPE,3\nT_NO,07:00:00,07:00:00,S_BL,1\n"
                          "T_B1_1,07:20:00,07:20:00,ST_YC,4\n",
                  NULL),
         "stop_times.txt:3: arrival_time '7h14' is not a time (HH:MM:SS)\nstop_times.txt:4: stop_id "
         "'NOPE' is not in stops.txt\nstop_times.txt:5: trip_id 'T_NO' is not in trips.txt\n"
         "stop_times.txt:6: stop_id 'ST_YC' is not a stop or platform");
  expect(bad_feed("2026-03-16", "stop_times.txt",
                  ST_HEAD "T_K1,08:00:00,08:00:00,P_YC1,1\nT_K1,07:50:00,07:50:00,P_JC1,2\n"
                          "T_G1,07:50:00,07:50:00,P_YC2,1\nT_G1,,,P_JC2,2\n"
                          "T_B1_1,07:00:00,07:00:00,S_BL,1\nT_B1_1,07:10:00,07:10:00,S_RC,1\n",
                  NULL),
         "stop_times.txt:3: trip 'T_K1' arrives at stop_sequence 2 before it left the stop before");
  expect(bad_feed("2026-03-16", "stop_times.txt",
                  ST_HEAD "T_G1,07:50:00,07:50:00,P_YC2,1\nT_G1,,,P_JC2,2\n", NULL),
         "stop_times.txt:3: trip 'T_G1' has no time at its last stop");
  expect(bad_feed("2026-03-16", "stop_times.txt",
                  ST_HEAD "T_B1_1,07:00:00,07:00:00,S_BL,1\nT_B1_1,07:10:00,07:10:00,S_RC,1\n", NULL),
         "stop_times.txt:3: stop_sequence 1 of trip 'T_B1_1' appears twice");
  expect(bad_feed("2026-03-16", "frequencies.txt",
                  "trip_id,start_time,end_time,headway_secs\nT_B2_F,08:00:00,07:00:00,600\n"
                  "T_NO,06:00:00,07:00:00,0\n",
                  NULL),
         "frequencies.txt:2: end_time 07:00:00 is not after start_time 08:00:00\nfrequencies.txt:3: "
         "trip_id 'T_NO' is not in trips.txt\nfrequencies.txt:3: headway_secs '0' is not a positive");
  expect(bad_feed("2026-03-16", "fare_rules.txt", "fare_id,route_id\nF_NO,R_B1\nF_BUS,R_NO\n", NULL),
         "fare_rules.txt:2: fare_id 'F_NO' is not in fare_attributes.txt\nfare_rules.txt:3: route_id "
         "'R_NO' is not in routes.txt");
  expect(bad_feed("2026-03-16", "fare_attributes.txt",
                  "fare_id,price,currency_type\nF_BUS,-2,CNY\n", NULL),
         "fare_attributes.txt:2: price '-2' is not an amount >= 0");
  /* GTFS-Fares v2 */
  {
    char *m = bad_feed("2026-03-16", "fare_products.txt",
                       "fare_product_id,amount,currency\nP1,two,CNY\n,1,CNY\nP2,1.00,CNY\n",
                       "fare_leg_rules.txt",
                       "network_id,fare_product_id,rule_priority\n,P9,\nNOWHERE,P2,\n,P2,high\n",
                       "route_networks.txt", "network_id,route_id\nN,R_NONE\n,R_B1\n", NULL);
    g_autofree char *keep = g_strdup(m);
    expect(m, "fare_products.txt:2: amount 'two' is not a currency amount");
    expect(g_strdup(keep), "fare_products.txt:3: fare_product_id is empty");
    expect(g_strdup(keep), "fare_leg_rules.txt:2: fare_product_id 'P9' is not in fare_products.txt");
    expect(g_strdup(keep), "fare_leg_rules.txt:3: network_id 'NOWHERE' is not a network of routes.txt");
    expect(g_strdup(keep), "fare_leg_rules.txt:4: rule_priority 'high' is not a whole number >= 0");
    expect(g_strdup(keep), "route_networks.txt:2: route_id 'R_NONE' is not in routes.txt");
    expect(g_strdup(keep), "route_networks.txt:3: network_id is empty");
  }
  expect(bad_feed("2026-03-16", "fare_leg_rules.txt", "fare_product_id\nP1\n", NULL),
         "fare_leg_rules.txt: fare_products.txt is missing");
  expect(bad_feed("2026-03-16", "transfers.txt",
                  "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nS_YCZ,NOPE,2,60\n"
                  "S_YCZ,P_YC1,2,\nS_YCZ,P_YC1,9,60\n",
                  NULL),
         "transfers.txt:2: to_stop_id 'NOPE' is not in stops.txt\ntransfers.txt:3: "
         "min_transfer_time is empty (seconds, required by transfer_type 2)\ntransfers.txt:4: "
         "transfer_type '9' is not 0-5");
  expect(bad_feed("2026-03-16", "trips.txt", "route_id,service_id\nR_B1,WK\n", NULL),
         "trips.txt:1: missing required column 'trip_id'");
  /* a day without service */
  expect(bad_feed("2027-03-16", NULL), "no trip runs on 2027-03-16");
  expect(bad_feed("16/03/2026", NULL), "date '16/03/2026' is not a date (YYYY-MM-DD)");
}

/* The command: a folder that `check` accepts; a bad feed writes nothing. */
static void test_cli(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "net", NULL);
  g_autofree char *feed = th_test_src("tests/data/gtfs/feed.zip");
  g_autofree char *net = th_test_src("scenarios/sample");
  g_autofree char *o = NULL, *err = NULL;
  int rc = th_test_taihang(&o, &err, "import", "gtfs", feed, "--net", net, "--date", "2026-03-16",
                           "--out", out, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_assert_nonnull(strstr(o, "6 trips on 2026-03-16 -> 5 lines (4 routes), 10 runs; 5 stop nodes"));
  g_free(o);
  g_free(err);
  rc = th_test_taihang(&o, &err, "check", out, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_assert_nonnull(strstr(o, "OK (multimodal): 11 service lines"));
  g_free(o);
  g_free(err);
  g_autofree char *out2 = g_build_filename(dir, "net2", NULL);
  rc = th_test_taihang(&o, &err, "import", "gtfs", net, "--net", net, "--date", "2026-03-16",
                       "--out", out2, NULL);
  g_assert_cmpint(rc, ==, 2);
  g_assert_nonnull(strstr(err, "routes.txt is missing"));
  g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
  g_free(o);
  g_free(err);
  g_autofree char *notzip = th_test_src("scenarios/sample/node.csv");
  rc = th_test_taihang(&o, &err, "import", "gtfs", notzip, "--net", net, "--date", "2026-03-16",
                       "--out", out2, NULL);
  g_assert_cmpint(rc, ==, 2);
  g_assert_nonnull(strstr(err, "not a GTFS feed"));
  g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* [transit] gtfs in a scenario: the world has the network's 6 lines and the
 * feed's 5, the stop nodes and the transfer hub, as `import gtfs` writes. */
static void test_scenario(void) {
  g_autofree char *ini = th_test_src("tests/data/gtfs/sample-gtfs.ini");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(ini, &e);
  g_assert_no_error(e);
  g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, &e);
  g_assert_no_error(e);
  g_assert_cmpint(w->services->n_lines, ==, 11);
  g_assert_cmpint(w->net->n_nodes, ==, 23 + 5);
  int g = th_services_find_line(w->services, "R_G");
  g_assert_cmpint(g, >=, 0);
  g_assert_cmpint(th_run_arr_s(w->services, w->services->lines[g].first_run, 1), ==, HMS(8, 10, 0));
  g_assert_cmpint(th_hubs_transfer_s(w->hubs, w->services->lines[g].stop[0]), ==, 420);
  g_assert_true(th_scenario_check(sc, &e));
  g_assert_no_error(e);
  /* bad [transit] keys, and a feed without its day */
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = th_test_src("scenarios/sample");
  g_autofree char *text = g_strdup_printf("[network]\ndir = %s\n[transit]\ngtfs = nowhere.zip\n"
                                          "gtfs_date = 16.3.2026\nfeed = x\n", net);
  g_autofree char *bad = th_test_write(dir, "bad.ini", text);
  g_autoptr(ThScenario) sb = th_scenario_load(bad, &e);
  g_assert_null(sb);
  g_autofree char *want = g_strdup_printf(
      "%s:4: [transit] gtfs = '%s/nowhere.zip' is not an existing file or folder (a GTFS feed: "
      ".zip file or folder)\n"
      "%s:5: [transit] gtfs_date = '16.3.2026' is not a date (YYYY-MM-DD)\n"
      "%s:6: unknown key [transit] feed (expected one of gtfs, gtfs_date)",
      bad, dir, bad, bad);
  g_assert_cmpstr(e->message, ==, want);
  g_clear_error(&e);
  g_autofree char *feed = th_test_src("tests/data/gtfs/feed");
  g_autofree char *text2 = g_strdup_printf("[network]\ndir = %s\n[transit]\ngtfs = %s\n", net, feed);
  g_autofree char *nodate = th_test_write(dir, "nodate.ini", text2);
  g_autoptr(ThScenario) sn = th_scenario_load(nodate, &e);
  g_assert_no_error(e);
  g_autoptr(ThScenarioWorld) wn = th_scenario_world_new(sn, &e);
  g_assert_null(wn);
  g_assert_nonnull(strstr(e->message, "nodate.ini: [transit] gtfs is set but gtfs_date is not"));
  th_test_rmtree(dir);
}

/* Stops are joined to the node a scan of every candidate finds (nearest
 * road node that is not a zone; the lowest index on ties): 300 random stops
 * in and around the sample network, through the importer's grid search. */
static void test_nearest(void) {
  g_autoptr(ThNetwork) net = sample();
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *src = th_test_src("tests/data/gtfs/feed");
  const char *copy[] = {"agency.txt", "calendar.txt", NULL};
  for (int i = 0; copy[i]; i++) {
    g_autofree char *p = g_build_filename(src, copy[i], NULL), *text = NULL;
    g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
    g_free(th_test_write(dir, copy[i], text));
  }
  GRand *rng = g_rand_new_with_seed(5);
  g_autoptr(GString) stops = g_string_new("stop_id,stop_lat,stop_lon\n");
  g_autoptr(GString) st = g_string_new("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
  double lon[300], lat[300];
  for (int k = 0; k < 300; k++) {
    lon[k] = g_rand_double_range(rng, 112.0, 113.2); /* wider than the network */
    lat[k] = g_rand_double_range(rng, 34.8, 35.8);
    g_string_append_printf(stops, "S%d,%.6f,%.6f\n", k, lat[k], lon[k]);
    int t = 6 * 3600 + 60 * k;
    g_string_append_printf(st, "T,%02d:%02d:00,%02d:%02d:00,S%d,%d\n", t / 3600, t / 60 % 60,
                           t / 3600, t / 60 % 60, k, k);
  }
  g_rand_free(rng);
  g_free(th_test_write(dir, "stops.txt", stops->str));
  g_free(th_test_write(dir, "stop_times.txt", st->str));
  g_free(th_test_write(dir, "routes.txt", "route_id,route_type\nR,2\n"));
  g_free(th_test_write(dir, "trips.txt", "route_id,service_id,trip_id\nR,WK,T\n"));
  g_autoptr(GError) e = NULL;
  g_autoptr(ThGtfsImport) imp = th_gtfs_import(dir, net, "2026-03-16", NULL, &e);
  g_assert_no_error(e);
  g_assert_cmpint(imp->n_stop_nodes, ==, 300);
  guint8 *road = g_new0(guint8, net->n_nodes);
  for (int l = 0; l < net->n_links; l++)
    if (net->link_modes[l] & TH_MODE_ROAD) road[net->link_from[l]] = 1;
  g_auto(GStrv) rows = g_strsplit(imp->stops_csv, "\n", -1);
  for (int k = 0; k < 300; k++) {
    int best = -1;
    double bd = INFINITY;
    for (int v = 0; v < net->n_nodes; v++) {
      if (!road[v] || net->node_kind[v] == TH_NODE_ZONE) continue;
      double d = th_haversine_m(lon[k], lat[k], net->lon[v], net->lat[v]);
      if (d < bd) bd = d, best = v;
    }
    g_auto(GStrv) f = g_strsplit(rows[k + 1], ",", -1);
    g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT, net->node_id[best]);
    g_assert_cmpstr(f[3], ==, want);
  }
  g_free(road);
  th_test_rmtree(dir);
}

/* Damaged feeds (seeded random byte changes and cuts in the main files):
 * the importer returns a result or an error, never both, never neither, and
 * under ASan never touches memory it should not. */
static void test_damaged(void) {
  g_autofree char *src = th_test_src("tests/data/gtfs/feed");
  g_autoptr(ThNetwork) net = sample();
  const char *files[] = {"stop_times.txt", "trips.txt", "calendar.txt", "stops.txt",
                         "frequencies.txt", "transfers.txt", "fare_rules.txt", "routes.txt"};
  const char alphabet[] = ",\n\":;0123456789abcST_ -";
  GRand *rng = g_rand_new_with_seed(13);
  int ok = 0, bad = 0;
  for (int it = 0; it < 120; it++) {
    g_autofree char *dir = th_test_tmpdir();
    g_autoptr(GDir) d = g_dir_open(src, 0, NULL);
    const char *name;
    const char *victim = files[g_rand_int_range(rng, 0, G_N_ELEMENTS(files))];
    while ((name = g_dir_read_name(d))) {
      g_autofree char *p = g_build_filename(src, name, NULL), *text = NULL;
      gsize len;
      g_assert_true(g_file_get_contents(p, &text, &len, NULL));
      if (!strcmp(name, victim) && len > 0) {
        int n = g_rand_int_range(rng, 1, 6);
        for (int k = 0; k < n; k++)
          text[g_rand_int_range(rng, 0, (gint32)len)] = alphabet[g_rand_int_range(rng, 0, sizeof alphabet - 1)];
        if (g_rand_boolean(rng)) text[g_rand_int_range(rng, 0, (gint32)len)] = 0; /* cut */
      }
      g_free(th_test_write(dir, name, text));
    }
    GError *e = NULL;
    ThGtfsImport *imp = th_gtfs_import(dir, net, "2026-03-16", NULL, &e);
    g_assert_true((imp != NULL) != (e != NULL));
    if (e) {
      g_assert_cmpstr(e->message, !=, "");
      g_error_free(e);
      bad++;
    } else {
      ok++;
    }
    th_gtfs_import_free(imp);
    th_test_rmtree(dir);
  }
  g_rand_free(rng);
  g_test_message("damaged feeds: %d imported, %d refused", ok, bad);
  g_assert_cmpint(bad, >, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/gtfs/day", test_day);
  g_test_add_func("/gtfs/exceptions", test_exceptions);
  g_test_add_func("/gtfs/zip-roundtrip", test_zip_and_roundtrip);
  g_test_add_func("/gtfs/services-compat", test_services_compat);
  g_test_add_func("/gtfs/journey", test_journey);
  g_test_add_func("/gtfs/bad", test_bad);
  g_test_add_func("/gtfs/fares-v2", test_fares_v2);
  g_test_add_func("/gtfs/pickup-drop-off", test_pickup_drop_off);
  g_test_add_func("/gtfs/footpath", test_footpath);
  g_test_add_func("/gtfs/shapes", test_shapes);
  g_test_add_func("/gtfs/stop-use-column", test_stop_use_column);
  g_test_add_func("/gtfs/cli", test_cli);
  g_test_add_func("/gtfs/scenario", test_scenario);
  g_test_add_func("/gtfs/damaged", test_damaged);
  g_test_add_func("/gtfs/nearest", test_nearest);
  return g_test_run();
}

/* bench_engine_core.c: the queue engine alone, on one core.
 *
 * Loads a network and trips, routes everyone once on free-flow times (one
 * search per origin), then simulates the day REPEATS times and reports the
 * CPU seconds of th_engine_run (the fastest of the repeats, as timings on a
 * shared machine only ever err upwards), link traversals per CPU second,
 * events, and the engine's bytes per vehicle.
 *
 *   bench_engine_core NETWORK TRIPS [repeats] [rules]
 *
 * repeats: default 5. rules: "on" (default) runs with the congestion rules
 * `taihang run` has on by default (inflow capacity and departure queues;
 * backward waves off), "off" without any, "waves" with both and backward
 * waves at 18 km/h. */
#include "network/load.h"
#include "sim/engine.h"
#include "sim/router.h"
#include "sim/trips.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_dep(const void *a, const void *b, void *d) {
  const int32_t *dep = d;
  int x = *(const int *)a, y = *(const int *)b;
  return dep[x] != dep[y] ? (dep[x] < dep[y] ? -1 : 1) : (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_engine_core NETWORK TRIPS [repeats] [on|off|waves]\n");
    return 2;
  }
  int repeats = argc > 3 ? atoi(argv[3]) : 5;
  const char *rules = argc > 4 ? argv[4] : "on";
  if (strcmp(rules, "on") && strcmp(rules, "off") && strcmp(rules, "waves")) {
    fprintf(stderr, "bench_engine_core: rules '%s' is not on, off or waves\n", rules);
    return 2;
  }
  GError *err = NULL;
  ThNetwork *net = th_network_load(argv[1], &err);
  if (!net) {
    fprintf(stderr, "%s\n", err->message);
    return 2;
  }
  ThClassTable *classes = th_class_table_new();
  ThTrips *t = th_trips_read(argv[2], net, classes, NULL, &err);
  if (!t) {
    fprintf(stderr, "%s\n", err->message);
    return 2;
  }
  /* free-flow routes, one search per origin */
  int32_t *fft = g_new(int32_t, net->n_links + 1);
  for (int l = 0; l < net->n_links; l++) fft[l] = th_engine_link_free_time(net, l);
  ThLinkTimes *lt = th_link_times_new(net->n_links, 1, 900, fft);
  ThRouter *r = th_router_new(net, TH_MODE_ROAD);
  int *order = g_new(int, t->n + 1);
  for (int i = 0; i < t->n; i++) order[i] = i;
  g_qsort_with_data(order, t->n, sizeof(int), cmp_dep, t->depart_s);
  GArray **routes = g_new0(GArray *, t->n + 1);
  int *by_origin = g_new(int, t->n + 1);
  for (int i = 0; i < t->n; i++) by_origin[i] = i;
  g_qsort_with_data(by_origin, t->n, sizeof(int), cmp_dep, t->origin);
  double t0 = cpu_s();
  for (int i = 0; i < t->n;) {
    int j = i;
    while (j < t->n && t->origin[by_origin[j]] == t->origin[by_origin[i]]) j++;
    th_router_run(r, lt, t->origin[by_origin[i]], 0, NULL, 0);
    for (int k = i; k < j; k++) {
      int a = by_origin[k];
      routes[a] = g_array_new(FALSE, FALSE, sizeof(int32_t));
      th_router_path(r, t->destination[a], routes[a]);
    }
    i = j;
  }
  double route_s = cpu_s() - t0;
  ThEngineParams p = {.horizon_s = 86400 * 2, .sample_factor = 1, .stuck_time_s = 300, .bin_s = 900,
                      .n_classes = 1};
  p.inflow_capacity = p.departure_queue = strcmp(rules, "off") != 0;
  p.backward_wave_mps = strcmp(rules, "waves") ? 0 : 18 / 3.6;
  ThEngine *e = th_engine_new(net, &p);
  double best = 1e30;
  uint64_t trav = 0, events = 0;
  size_t links_total = 0;
  for (int i = 0; i < t->n; i++) links_total += routes[i]->len;
  for (int rep = 0; rep < repeats; rep++) {
    th_engine_reset(e);
    th_engine_reserve(e, (uint32_t)t->n, links_total);
    for (int i = 0; i < t->n; i++) {
      int a = order[i];
      uint32_t rr = th_engine_route_add(e, (int32_t *)routes[a]->data, (int)routes[a]->len);
      th_engine_depart(e, th_engine_vehicle_add(e, 0, t->pcu[a], (uint32_t)a), t->depart_s[a], rr);
    }
    double c0 = cpu_s();
    th_engine_run(e);
    double c = cpu_s() - c0;
    if (c < best) best = c;
    trav = th_engine_traversals(e);
    events = th_engine_events(e);
  }
  /* engine memory per vehicle: vehicle arrays + its route in the store */
  double bytes_per_vehicle = (2 + 2 + 4 * 3 + 4 * 2 + 2) + 4.0 * (links_total + t->n) / t->n;
  printf("trips,links,free_flow_route_cpu_s,engine_cpu_s,traversals,events,M_traversals_per_cpu_s,engine_bytes_per_vehicle,rules\n");
  printf("%d,%d,%.3f,%.3f,%llu,%llu,%.2f,%.0f,%s\n", t->n, net->n_links, route_s, best,
         (unsigned long long)trav, (unsigned long long)events, trav / best / 1e6, bytes_per_vehicle, rules);
  for (int i = 0; i < t->n; i++) g_array_unref(routes[i]);
  g_free(routes);
  g_free(order);
  g_free(by_origin);
  g_free(fft);
  th_engine_free(e);
  th_router_free(r);
  th_link_times_free(lt);
  th_trips_free(t);
  th_class_table_free(classes);
  th_network_free(net);
  return 0;
}

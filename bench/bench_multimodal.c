/* bench_multimodal.c: a multimodal day on a grid, beside the road-only day of
 * the same demand, in the same process.
 *
 *   bench_multimodal [--size G] [--passengers N] [--shipments M] [--iterations I]
 *                    [--choice-iterations K] [--threads T] [--skip-road]
 *
 * The grid: G x G nodes 2 km apart (WGS84 around 35.5 N, 112.5 E), roads both
 * ways (60 km/h, 1800 veh/h, 2 lanes), every node a zone. A double-track
 * rail line runs along the middle row (120 km/h) with a station every 5
 * columns; passenger trains every 10 min each way (06:00-22:00, 1000 seats,
 * fare 3 + 0.1/km); two bus lines along rows G/4 and 3G/4 every 15 min
 * (60 seats); logistics hubs at both ends of the line (8000 t/h, 1 yuan/t)
 * with hourly freight trains (3000 t) and rail at 0.02 yuan per tonne-km.
 * Demand: N passengers (class car) between random zones departing 06:00-20:00,
 * M coal shipments of 20-200 t, half of them from the west quarter of the
 * grid to the east quarter or back (the corridor), half between random zones. Both runs use I road iterations per day; the
 * multimodal run K choice iterations (so K x I simulated days).
 *
 * Prints wall seconds, seconds per simulated day, mode shares and the peak
 * resident memory of the process (ru_maxrss after each run). */
#include "network/hubs.h"
#include "network/services.h"
#include "sim/multimodal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static long peak_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static ThNetwork *grid(int G) {
  ThNetwork *net = th_network_new();
  const double step = 2000.0;
  const double dlat = step / 111195.0, dlon = dlat / cos(35.5 * G_PI / 180);
  for (int r = 0; r < G; r++)
    for (int c = 0; c < G; c++) {
      int64_t id = r * G + c + 1;
      gboolean station = r == G / 2 && c % 5 == 0;
      th_network_add_node(net, id, NULL, 112.5 + c * dlon, 35.5 + r * dlat,
                          station ? TH_NODE_STATION : TH_NODE_TOWN, id, 1000, 0, 0, 0);
    }
  int64_t lid = 1;
  for (int r = 0; r < G; r++)
    for (int c = 0; c < G; c++) {
      int64_t a = r * G + c + 1;
      int64_t nb[2] = {c + 1 < G ? a + 1 : 0, r + 1 < G ? a + G : 0};
      for (int k = 0; k < 2; k++) {
        if (!nb[k]) continue;
        for (int dir = 0; dir < 2; dir++) {
          ThLinkSpec s = {.id = lid++, .from_id = dir ? nb[k] : a, .to_id = dir ? a : nb[k],
                          .modes = TH_MODE_ROAD | TH_MODE_BUS, .length_m = step,
                          .free_speed_mps = 60 / 3.6, .capacity_vph = 1800, .lanes = 2,
                          .bpr_alpha = 0.15, .bpr_beta = 4};
          th_network_add_link(net, &s);
        }
        if (k == 0 && r == G / 2)
          for (int dir = 0; dir < 2; dir++) {
            ThLinkSpec s = {.id = lid++, .from_id = dir ? nb[k] : a, .to_id = dir ? a : nb[k],
                            .modes = TH_MODE_RAIL, .length_m = step, .free_speed_mps = 120 / 3.6,
                            .lanes = 1, .cost_per_tkm = 0.02};
            th_network_add_link(net, &s);
          }
      }
    }
  GError *e = NULL;
  if (!th_network_finalize(net, &e)) g_error("%s", e->message);
  return net;
}

static char *stops_of_row(int G, int r, int every, gboolean reverse) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < G; i += every) {
    int c = reverse ? (G - 1) - i : i;
    g_string_append_printf(s, "%s%d", s->len ? ";" : "", r * G + c + 1);
  }
  return g_string_free(s, FALSE);
}

int main(int argc, char **argv) {
  int G = 40, N = 100000, M = 10000, iters = 3, K = 2, threads = 1;
  gboolean skip_road = FALSE;
  GOptionEntry entries[] = {
      {"size", 0, 0, G_OPTION_ARG_INT, &G, "Grid side (nodes)", "G"},
      {"passengers", 0, 0, G_OPTION_ARG_INT, &N, "Passenger trips", "N"},
      {"shipments", 0, 0, G_OPTION_ARG_INT, &M, "Coal shipments", "M"},
      {"iterations", 0, 0, G_OPTION_ARG_INT, &iters, "Road iterations per day", "I"},
      {"choice-iterations", 0, 0, G_OPTION_ARG_INT, &K, "Mode-choice iterations", "K"},
      {"threads", 0, 0, G_OPTION_ARG_INT, &threads, "Route-search threads", "T"},
      {"skip-road", 0, 0, G_OPTION_ARG_NONE, &skip_road, "Only the multimodal run (its own peak memory)", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- multimodal grid benchmark");
  g_option_context_add_main_entries(ctx, entries, NULL);
  GError *e = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &e)) g_error("%s", e->message);
  G = MAX(G, 10);

  g_autoptr(ThNetwork) net = grid(G);
  /* G - 1 is a multiple of 5 only by chance: the line ends at the last station */
  int last_station = (G - 1) / 5 * 5;
  g_autofree char *rail_f = stops_of_row(G, G / 2, 5, FALSE);
  GString *rail_b = g_string_new(NULL);
  for (int c = last_station; c >= 0; c -= 5)
    g_string_append_printf(rail_b, "%s%d", rail_b->len ? ";" : "", (G / 2) * G + c + 1);
  g_autofree char *bus1 = stops_of_row(G, G / 4, 4, FALSE), *bus1r = stops_of_row(G, G / 4, 4, TRUE);
  g_autofree char *bus2 = stops_of_row(G, 3 * G / 4, 4, FALSE),
                  *bus2r = stops_of_row(G, 3 * G / 4, 4, TRUE);
  int west = (G / 2) * G + 1, east = (G / 2) * G + last_station + 1;
  g_autofree char *services = g_strdup_printf(
      "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,departures,capacity,fare_flat,fare_per_km,source\n"
      "R1,,rail,passenger,%s,,,1,06:00,22:00,10,,1000,3,0.1,E\n"
      "R2,,rail,passenger,%s,,,1,06:00,22:00,10,,1000,3,0.1,E\n"
      "B1,,bus,passenger,%s,,30,0.5,06:00,21:00,15,,60,2,0.05,E\n"
      "B2,,bus,passenger,%s,,30,0.5,06:00,21:00,15,,60,2,0.05,E\n"
      "B3,,bus,passenger,%s,,30,0.5,06:00,21:00,15,,60,2,0.05,E\n"
      "B4,,bus,passenger,%s,,30,0.5,06:00,21:00,15,,60,2,0.05,E\n"
      "F1,,rail,freight,%d;%d,,,,00:00,23:00,60,,3000,,,E\n"
      "F2,,rail,freight,%d;%d,,,,00:30,23:30,60,,3000,,,E\n",
      rail_f, rail_b->str, bus1, bus1r, bus2, bus2r, west, east, east, west);
  g_string_free(rail_b, TRUE);
  g_autofree char *hubs_t = g_strdup_printf(
      "node_id,name,kind,modes,transfer_min,handling_rate_tph,handling_cost_per_t,dwell_limit_h,source\n"
      "%d,West,logistics,road;rail,5,8000,1,,E\n%d,East,logistics,road;rail,5,8000,1,,E\n", west, east);
  g_autoptr(ThServices) sv = th_services_read_text("services.csv", services, strlen(services), net, &e);
  if (!sv) g_error("%s", e->message);
  g_autoptr(ThHubs) hubs = th_hubs_read_text("hubs.csv", hubs_t, strlen(hubs_t), net, &e);
  if (!hubs) g_error("%s", e->message);

  g_autoptr(ThClassTable) classes = th_class_table_new();
  int car = th_class_table_lookup(classes, "car"), coal = th_class_table_lookup(classes, "coal");
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  g_autoptr(ThTrips) road_trips = th_trips_new(NULL);
  GRand *rng = g_rand_new_with_seed(2026);
  for (int i = 0; i < N + M; i++) {
    int o = g_rand_int_range(rng, 0, net->n_nodes), d = g_rand_int_range(rng, 0, net->n_nodes);
    int32_t t = g_rand_int_range(rng, 6 * 3600, 20 * 3600);
    gboolean ship = i >= N;
    if (ship && i % 2 == 0) {
      int ro = g_rand_int_range(rng, 0, G), co = g_rand_int_range(rng, 0, G / 4);
      int rd = g_rand_int_range(rng, 0, G), cd = G - 1 - g_rand_int_range(rng, 0, G / 4);
      o = ro * G + co;
      d = rd * G + cd;
      if (i % 4 == 0) {
        int x = o;
        o = d;
        d = x;
      }
    }
    double tonnes = ship ? g_rand_int_range(rng, 20, 201) : 0;
    th_trips_add(trips, i + 1, net, o, d, t, classes, ship ? coal : car, 0, tonnes);
    th_trips_add(road_trips, i + 1, net, o, d, t, classes, ship ? coal : car, TH_MODE_ROAD, tonnes);
  }
  g_rand_free(rng);
  printf("grid %dx%d: %d nodes, %d links; %d lines, %d runs; %d passengers, %d shipments\n", G, G,
         net->n_nodes, net->n_links, sv->n_lines, sv->n_runs, N, M);
  long kb0 = peak_kb();

  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = iters;
  p.gap = 0;
  p.threads = threads;
  gint64 t0 = g_get_monotonic_time();
  double c0 = cpu_s();
  g_autoptr(ThRunResults) road = NULL;
  if (!skip_road) {
    road = th_simulate(net, road_trips, classes, &p, &e);
    if (!road) g_error("%s", e->message);
  } else {
    road = th_run_results_new(0);
    road->iterations = 1;
  }
  double road_s = (g_get_monotonic_time() - t0) / 1e6, road_cpu = cpu_s() - c0;
  long kb_road = peak_kb();
  printf("road only:  %.2f s (%.2f s CPU) for %d days = %.2f s per simulated day (%.2f s CPU); arrived %" G_GINT64_FORMAT
         " of %d; peak RSS %.1f MB\n",
         road_s, road_cpu, road->iterations, road_s / road->iterations, road_cpu / road->iterations,
         road->arrived, road_trips->n, kb_road / 1024.0);

  ThMultimodalParams mp;
  th_multimodal_params_init(&mp);
  mp.services = sv;
  mp.hubs = hubs;
  mp.choice_iterations = K;
  t0 = g_get_monotonic_time();
  c0 = cpu_s();
  g_autoptr(ThMultimodalResults) mm = th_simulate_multimodal(net, trips, classes, &p, &mp, &e);
  if (!mm) g_error("%s", e->message);
  double mm_s = (g_get_monotonic_time() - t0) / 1e6, mm_cpu = cpu_s() - c0;
  long kb_mm = peak_kb();
  const ThRunResults *r = mm->run;
  printf("multimodal: %.2f s CPU = %.2f s CPU per simulated day (%.2fx road only)\n", mm_cpu,
         mm_cpu / (K * iters), (mm_cpu / (K * iters)) / (road_cpu / road->iterations));
  printf("multimodal: %.2f s for %d x %d days = %.2f s per simulated day (%.2fx road only); "
         "arrived %" G_GINT64_FORMAT ", stuck %" G_GINT64_FORMAT ", unserved %" G_GINT64_FORMAT
         ", en route %" G_GINT64_FORMAT " of %d; peak RSS %.1f MB (road-only run %.1f MB, "
         "before runs %.1f MB)\n",
         mm_s, K, iters, mm_s / (K * iters), (mm_s / (K * iters)) / (road_s / road->iterations),
         r->arrived, r->stuck, r->unserved, r->en_route, trips->n, kb_mm / 1024.0,
         kb_road / 1024.0, kb0 / 1024.0);
  printf("mode shares:");
  for (int k = 0; k < TH_N_MODES; k++)
    if (mm->mode_share[k] > 0) printf(" %s %.3f", th_mode_name(1u << k), mm->mode_share[k]);
  int64_t left = 0;
  double peak_lf = 0;
  for (int i = 0; i < mm->n_runs; i++) {
    left += mm->runs[i].left_behind;
    const ThServiceLine *L = &sv->lines[sv->runs[i].line];
    peak_lf = MAX(peak_lf, mm->runs[i].peak_load / L->capacity);
  }
  printf("; riders %" G_GINT64_FORMAT ", left behind %" G_GINT64_FORMAT
         ", highest load factor %.2f; hubs handled %.0f t and %.0f t\n",
         mm->riders, left, peak_lf, mm->hubs[0].tonnes_handled, mm->hubs[1].tonnes_handled);
  /* trips that did not arrive, by mode */
  int64_t not_arrived[TH_N_MODES] = {0};
  for (int i = 0; i < trips->n; i++)
    if (r->status[i] != TH_TRIP_ARRIVED && r->mode[i]) not_arrived[__builtin_ctz(r->mode[i])]++;
  printf("not arrived by mode:");
  for (int k = 0; k < TH_N_MODES; k++)
    if (not_arrived[k]) printf(" %s %" G_GINT64_FORMAT, th_mode_name(1u << k), not_arrived[k]);
  printf("\n");
  return 0;
}

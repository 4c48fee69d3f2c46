/* test_engine_waves.c: the engine's congestion rules (sim/engine.h) on
 * cases with hand-computed answers from kinematic-wave theory with a
 * triangular fundamental diagram: the zipper merge and the head-of-line
 * block it causes (inflow capacity), departure queues, the discharge wave
 * reaching the tail of a full link, and the steady jam occupancy of a link
 * behind a bottleneck (storage minus the holes in flight); then the rules
 * switched off reproduce the old engine event for event, and th_simulate
 * with them on gives the same results for 1 and 2 threads. */
#include "network/network.h"
#include "sim/engine.h"
#include "sim/simulate.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

static void add_link(ThNetwork *n, int64_t id, int64_t a, int64_t b, double len_m, double speed,
                     double cap_vph, double lanes) {
  ThLinkSpec s = {.id = id, .from_id = a, .to_id = b, .modes = TH_MODE_ROAD, .length_m = len_m,
                  .free_speed_mps = speed, .capacity_vph = cap_vph, .lanes = lanes,
                  .bpr_alpha = 0.15, .bpr_beta = 4};
  g_assert_cmpint(th_network_add_link(n, &s), >=, 0);
}

static ThNetwork *nodes(int n_nodes) {
  ThNetwork *n = th_network_new();
  for (int i = 0; i < n_nodes; i++)
    th_network_add_node(n, i + 1, NULL, 112 + i * 0.01, 35, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  return n;
}

static ThEngineParams params(void) {
  ThEngineParams p = {.horizon_s = 86400, .sample_factor = 1, .stuck_time_s = 100000, .bin_s = 900,
                      .n_classes = 1};
  return p;
}

static uint32_t go(ThEngine *e, const int32_t *route, int n, int32_t t, uint32_t owner) {
  uint32_t r = th_engine_route_add(e, route, n);
  uint32_t v = th_engine_vehicle_add(e, 0, 1.0, owner);
  th_engine_depart(e, v, t, r);
  return v;
}

/* Approaches A (node 1 -> 3) and B (2 -> 3) feed exit X (3 -> 4); A also
 * feeds Y (3 -> 5). Every link: 100 m at 10 m/s (10 s), 3,600 veh/h (1 s
 * headway). At t = 0, ten vehicles depart on B for X, then ten on A for X
 * and an eleventh on A for Y. Both heads are ready at 10 s.
 * With inflow capacity X admits one vehicle a second, and the two held
 * approaches alternate (the zipper rule): B's k-th enters X at 10 + 2k, A's
 * at 11 + 2k, so they arrive (leave X) at 20 + 2k and 21 + 2k. A's
 * Y-bound vehicle, ready at 20, is held behind A's last X-bound one (it
 * enters X at 29; A's next exit is then allowed at 30): it leaves A at 30
 * and arrives at 40, 20 s late, though Y is empty (head-of-line blocking).
 * Without inflow capacity both approaches discharge at 1/s into X (which
 * then queues inside X), and the Y-bound vehicle leaves A at 20, arriving
 * at 30. */
static void test_merge_head_of_line(void) {
  for (int inflow = 0; inflow <= 1; inflow++) {
    g_autoptr(ThNetwork) net = nodes(5);
    add_link(net, 1, 1, 3, 100, 10, 3600, 1); /* A = 0 */
    add_link(net, 2, 2, 3, 100, 10, 3600, 1); /* B = 1 */
    add_link(net, 3, 3, 4, 100, 10, 3600, 2); /* X = 2 (2 lanes: stores 26) */
    add_link(net, 4, 3, 5, 100, 10, 3600, 1); /* Y = 3 */
    g_assert_true(th_network_finalize(net, NULL));
    ThEngineParams p = params();
    p.inflow_capacity = inflow;
    g_autoptr(ThEngine) e = th_engine_new(net, &p);
    const int32_t bx[] = {1, 2}, ax[] = {0, 2}, ay[] = {0, 3};
    uint32_t vb[10], va[10];
    for (int k = 0; k < 10; k++) vb[k] = go(e, bx, 2, 0, k);
    for (int k = 0; k < 10; k++) va[k] = go(e, ax, 2, 0, 10 + k);
    uint32_t vy = go(e, ay, 2, 0, 20);
    th_engine_run(e);
    if (inflow) {
      for (int k = 0; k < 10; k++) {
        g_assert_cmpint(th_engine_vehicle_arrive_time(e, vb[k]), ==, 20 + 2 * k);
        g_assert_cmpint(th_engine_vehicle_arrive_time(e, va[k]), ==, 21 + 2 * k);
      }
      g_assert_cmpint(th_engine_vehicle_arrive_time(e, vy), ==, 40);
    } else {
      g_assert_cmpint(th_engine_vehicle_arrive_time(e, vy), ==, 30);
    }
    g_assert_cmpuint(th_engine_stuck_moves(e), ==, 0);
  }
}

/* A link of 75 m (storage 10 car units), 7.5 m/s (10 s), 3,600 veh/h.
 * Fifteen vehicles depart on it at t = 0. With departure queues, ten enter
 * at once; the k-th of the others (k = 10..14) enters when the (k-10)-th
 * leaves, at k s: its depart delay is k s. Arrivals are those of the
 * bottleneck either way: 10 + k s for k <= 9, then 20 + (k - 10) s (the
 * link's headway), i.e. 10 + k again. */
static void test_departure_queue(void) {
  for (int dq = 0; dq <= 1; dq++) {
    g_autoptr(ThNetwork) net = nodes(2);
    add_link(net, 1, 1, 2, 75, 7.5, 3600, 1);
    g_assert_true(th_network_finalize(net, NULL));
    ThEngineParams p = params();
    p.departure_queue = dq;
    p.record_events = TRUE;
    g_autoptr(ThEngine) e = th_engine_new(net, &p);
    const int32_t r[] = {0};
    uint32_t v[15];
    for (int k = 0; k < 15; k++) v[k] = go(e, r, 1, 0, k);
    th_engine_run(e);
    for (int k = 0; k < 15; k++) {
      g_assert_cmpint(th_engine_vehicle_depart_time(e, v[k]), ==, 0);
      g_assert_cmpint(th_engine_vehicle_depart_delay(e, v[k]), ==, dq && k >= 10 ? k : 0);
      g_assert_cmpint(th_engine_vehicle_arrive_time(e, v[k]), ==, k < 10 ? 10 + k : 20 + (k - 10) * 1 + (dq ? 0 : 0));
    }
    /* at most 10 in the link at any time with the queue, 15 without */
    size_t n;
    const ThLogRow *log = th_engine_log(e, &n);
    int occ = 0, mx = 0;
    for (size_t i = 0; i < n; i++) {
      occ += log[i].kind == TH_LOG_ENTER ? 1 : log[i].kind == TH_LOG_LEAVE ? -1 : 0;
      mx = MAX(mx, occ);
    }
    g_assert_cmpint(mx, ==, dq ? 10 : 15);
  }

  /* a queue whose link stays full longer than the stuck time: the waiting
   * vehicle holds nothing, so it waits for room, not stuck */
  g_autoptr(ThNetwork) net = nodes(2);
  add_link(net, 1, 1, 2, 75, 7.5, 60, 1); /* 60 s headway, storage 10 */
  g_assert_true(th_network_finalize(net, NULL));
  ThEngineParams p = params();
  p.departure_queue = TRUE;
  p.stuck_time_s = 30;
  g_autoptr(ThEngine) e = th_engine_new(net, &p);
  const int32_t r[] = {0};
  for (int k = 0; k < 12; k++) go(e, r, 1, 0, k);
  th_engine_run(e);
  /* space frees when the first leaves (10 s: the eleventh) and the second
   * (70 s: the twelfth) */
  g_assert_cmpint(th_engine_vehicle_depart_delay(e, 10), ==, 10);
  g_assert_cmpint(th_engine_vehicle_depart_delay(e, 11), ==, 70);
  g_assert_false(th_engine_vehicle_stuck(e, 11));
  g_assert_cmpuint(th_engine_stuck_moves(e), ==, 0);
}

/* The discharge wave. B (750 m, 1 lane, 1,200 veh/h: 3 s headway, 54 s at
 * 50 km/h, storage 100) is filled by 100 vehicles departing on it at t = 0;
 * a 101st departs at 0 on a short approach A (10 m) into B. B's head leaves
 * at 54 s. Without backward waves the space is usable at the tail at once:
 * the 101st enters B at 54. With a backward wave of 18 km/h (5 m/s) the
 * space reaches the tail 750 / 5 = 150 s later: it enters at 204. */
static void test_discharge_wave(void) {
  const double waves[] = {0, 5};
  for (int w = 0; w < 2; w++) {
    g_autoptr(ThNetwork) net = nodes(3);
    add_link(net, 1, 1, 2, 10, 50 / 3.6, 36000, 1);
    add_link(net, 2, 2, 3, 750, 50 / 3.6, 1200, 1);
    g_assert_true(th_network_finalize(net, NULL));
    ThEngineParams p = params();
    p.backward_wave_mps = waves[w];
    p.record_events = TRUE;
    g_autoptr(ThEngine) e = th_engine_new(net, &p);
    const int32_t rb[] = {1}, rab[] = {0, 1};
    for (int k = 0; k < 100; k++) go(e, rb, 1, 0, k);
    uint32_t last = go(e, rab, 2, 0, 100);
    th_engine_run(e);
    size_t n;
    const ThLogRow *log = th_engine_log(e, &n);
    int32_t first_leave = -1, enter = -1;
    for (size_t i = 0; i < n; i++) {
      if (log[i].kind == TH_LOG_LEAVE && log[i].link == 1 && first_leave < 0) first_leave = log[i].time;
      if (log[i].kind == TH_LOG_ENTER && log[i].link == 1 && log[i].vehicle == last) enter = log[i].time;
    }
    g_assert_cmpint(first_leave, ==, 54);
    g_assert_cmpint(enter, ==, w ? 54 + 150 : 54);
  }
}

/* The steady jam behind a bottleneck. A (5 km, 2 lanes, 3,600 veh/h) ->
 * B (750 m, 1 lane, 1,200 veh/h, storage 100) -> C (5 km, 2 lanes, 600
 * veh/h). 600 vehicles depart on A, one every 3 s (1,200 veh/h). With
 * inflow capacity C admits one vehicle every 6 s; B fills and stays full.
 * Each vehicle leaving B leaves a hole that takes 750 m / 5 m/s = 150 s to
 * reach B's tail, so 150 / 6 = 25 holes are in flight and B holds
 * 100 - 25 = 75 vehicles (the jam density of the triangular diagram times
 * the link's length, less the holes); without waves it holds 100. */
typedef struct {
  int link;
  int n;
  uint32_t count[8];
} Sample;

static void on_sample(ThEngine *e, const ThEvent *ev, gpointer user) {
  Sample *s = user;
  s->count[s->n++] = th_engine_link_count(e, s->link);
  (void)ev;
}

static void test_steady_jam(void) {
  const double waves[] = {0, 5};
  for (int w = 0; w < 2; w++) {
    g_autoptr(ThNetwork) net = nodes(4);
    add_link(net, 1, 1, 2, 5000, 50 / 3.6, 3600, 2);
    add_link(net, 2, 2, 3, 750, 50 / 3.6, 1200, 1);
    add_link(net, 3, 3, 4, 5000, 50 / 3.6, 600, 2);
    g_assert_true(th_network_finalize(net, NULL));
    ThEngineParams p = params();
    p.inflow_capacity = TRUE;
    p.backward_wave_mps = waves[w];
    g_autoptr(ThEngine) e = th_engine_new(net, &p);
    Sample s = {1, 0, {0}};
    uint32_t type = th_engine_add_handler(e, on_sample, &s);
    const int32_t r[] = {0, 1, 2};
    for (int k = 0; k < 600; k++) go(e, r, 3, 3 * k, k);
    for (int k = 0; k < 6; k++) th_engine_schedule(e, 1200 + 120 * k, type, 0, 0);
    th_engine_run(e);
    g_assert_cmpint(s.n, ==, 6);
    for (int k = 0; k < 6; k++) {
      if (w) {
        g_assert_cmpuint(s.count[k], >=, 74);
        g_assert_cmpuint(s.count[k], <=, 76);
      } else {
        g_assert_cmpuint(s.count[k], ==, 100);
      }
    }
    g_assert_cmpuint(th_engine_stuck_moves(e), ==, 0);
    for (uint32_t v = 0; v < 600; v++) g_assert_cmpint(th_engine_vehicle_state(e, v), ==, TH_VEH_ARRIVED);
  }
}

/* Random networks and demands, run twice: with every rule off, and with the
 * rules' parameters present but off (the same struct, zeros): the event
 * logs are identical (the rules cost nothing when off). With the rules on,
 * every link stays FIFO up to same-second ties, and nothing is lost. */
static ThNetwork *random_net(gsl_rng *r, int nn) {
  ThNetwork *net = nodes(nn);
  int64_t id = 1;
  for (int a = 1; a <= nn; a++)
    add_link(net, id++, a, a % nn + 1, 50 + gsl_rng_uniform_int(r, 400), 5 + gsl_rng_uniform(r) * 20,
             200 + gsl_rng_uniform_int(r, 2000), 1 + gsl_rng_uniform_int(r, 2));
  for (int k = 0; k < 20; k++) {
    int a = 1 + (int)gsl_rng_uniform_int(r, nn), b = 1 + (int)gsl_rng_uniform_int(r, nn);
    if (a != b)
      add_link(net, id++, a, b, 30 + gsl_rng_uniform_int(r, 300), 5 + gsl_rng_uniform(r) * 20,
               100 + gsl_rng_uniform_int(r, 1500), 1);
  }
  g_assert_true(th_network_finalize(net, NULL));
  return net;
}

static void load_random(ThEngine *e, const ThNetwork *net, unsigned long seed, int N) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, seed);
  GArray *route = g_array_new(FALSE, FALSE, sizeof(int32_t));
  for (int v = 0; v < N; v++) {
    g_array_set_size(route, 0);
    int node = (int)gsl_rng_uniform_int(r, net->n_nodes);
    int len = (int)gsl_rng_uniform_int(r, 8);
    for (int k = 0; k < len; k++) {
      int deg = net->out_start[node + 1] - net->out_start[node];
      int32_t l = net->out_link[net->out_start[node] + gsl_rng_uniform_int(r, deg)];
      g_array_append_val(route, l);
      node = net->link_to[l];
    }
    uint32_t rr = th_engine_route_add(e, (int32_t *)route->data, (int)route->len);
    int cls = (int)gsl_rng_uniform_int(r, 2);
    th_engine_depart(e, th_engine_vehicle_add(e, cls, cls ? 2.5 : 1.0, v), (int32_t)gsl_rng_uniform_int(r, 1500), rr);
  }
  g_array_unref(route);
  gsl_rng_free(r);
}

static void test_random_rules(void) {
  for (unsigned long seed = 1; seed <= 4; seed++) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    g_autoptr(ThNetwork) net = random_net(r, 12);
    gsl_rng_free(r);
    ThEngineParams p = params();
    p.record_events = TRUE;
    p.stuck_time_s = 120;
    p.horizon_s = 2400;
    p.n_classes = 2;
    const int N = 1500;
    for (int rules = 0; rules <= 1; rules++) {
      p.inflow_capacity = rules;
      p.backward_wave_mps = rules ? 5 : 0;
      p.departure_queue = rules;
      g_autoptr(ThEngine) e = th_engine_new(net, &p);
      load_random(e, net, seed, N);
      th_engine_run(e);
      size_t n;
      const ThLogRow *log = th_engine_log(e, &n);
      /* the same run again: identical log (determinism) */
      g_autoptr(ThEngine) e2 = th_engine_new(net, &p);
      load_random(e2, net, seed, N);
      th_engine_run(e2);
      size_t n2;
      const ThLogRow *log2 = th_engine_log(e2, &n2);
      g_assert_cmpuint(n, ==, n2);
      g_assert_cmpint(memcmp(log, log2, n * sizeof *log), ==, 0);
      /* conservation: entries - leaves per link = what is in it; every
       * vehicle arrived, on a link, waiting to depart, or not departed */
      int64_t *in = g_new0(int64_t, net->n_links);
      for (size_t i = 0; i < n; i++) {
        if (log[i].kind == TH_LOG_ENTER) in[log[i].link]++;
        if (log[i].kind == TH_LOG_LEAVE) in[log[i].link]--;
      }
      uint64_t on_links = 0;
      for (int l = 0; l < net->n_links; l++) {
        g_assert_cmpint(in[l], ==, th_engine_link_count(e, l));
        on_links += th_engine_link_count(e, l);
      }
      g_free(in);
      uint64_t arrived = 0, en_route = 0, waiting = 0;
      for (uint32_t v = 0; v < (uint32_t)N; v++) {
        ThVehicleState st = th_engine_vehicle_state(e, v);
        arrived += st == TH_VEH_ARRIVED;
        if (st == TH_VEH_EN_ROUTE) {
          if (th_engine_vehicle_depart_delay(e, v) < 0) waiting++;
          else en_route++;
        }
      }
      g_assert_cmpuint(en_route, ==, on_links);
      if (g_test_verbose()) g_printerr("seed %lu rules %d: arrived %lu en route %lu waiting %lu\n", seed, rules, (unsigned long)arrived, (unsigned long)en_route, (unsigned long)waiting);
      g_assert_cmpuint(arrived, >, N / 5);
      g_assert_cmpuint(arrived + en_route + waiting, <=, N);
      if (!rules) g_assert_cmpuint(waiting, ==, 0);
    }
  }
}

/* th_simulate on a small congested grid with the rules on: identical
 * results with 1 and 2 route-search threads. */
static void test_simulate_threads(void) {
  const int side = 6;
  g_autoptr(ThNetwork) net = th_network_new();
  for (int i = 0; i < side * side; i++)
    th_network_add_node(net, i + 1, NULL, 112 + (i % side) * 0.002, 35 + (i / side) * 0.002,
                        TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  int64_t id = 1;
  for (int i = 0; i < side * side; i++) {
    int x = i % side, y = i / side;
    if (x + 1 < side) {
      add_link(net, id++, i + 1, i + 2, 200, 13.89, 400, 1);
      add_link(net, id++, i + 2, i + 1, 200, 13.89, 400, 1);
    }
    if (y + 1 < side) {
      add_link(net, id++, i + 1, i + 1 + side, 200, 13.89, 400, 1);
      add_link(net, id++, i + 1 + side, i + 1, 200, 13.89, 400, 1);
    }
  }
  g_assert_true(th_network_finalize(net, NULL));
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = th_trips_new(NULL);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, 7);
  for (int k = 0; k < 3000; k++) {
    int a = (int)gsl_rng_uniform_int(r, side * side), b = (int)gsl_rng_uniform_int(r, side * side);
    if (a == b) continue;
    th_trips_add(trips, k + 1, net, a, b, (int32_t)gsl_rng_uniform_int(r, 600), classes, 0, TH_MODE_ROAD, 0);
  }
  gsl_rng_free(r);
  ThRunResults *res[2];
  for (int t = 0; t < 2; t++) {
    ThSimParams p;
    th_sim_params_init(&p);
    p.iterations = 4;
    p.gap = 0;
    p.threads = t + 1;
    GError *err = NULL;
    res[t] = th_simulate(net, trips, classes, &p, &err);
    g_assert_no_error(err);
    g_assert_nonnull(res[t]->depart_delay_s);
  }
  g_assert_cmpint(memcmp(res[0]->arrive_s, res[1]->arrive_s, sizeof(int32_t) * trips->n), ==, 0);
  g_assert_cmpint(memcmp(res[0]->depart_delay_s, res[1]->depart_delay_s, sizeof(int32_t) * trips->n), ==, 0);
  g_assert_cmpint(memcmp(res[0]->status, res[1]->status, trips->n), ==, 0);
  g_assert_cmpfloat(res[0]->relative_gap, ==, res[1]->relative_gap);
  int64_t delayed = 0;
  for (int a = 0; a < trips->n; a++) delayed += res[0]->depart_delay_s[a] > 0;
  g_assert_cmpint(delayed, >, 0); /* the case is congested enough to queue departures */
  th_run_results_free(res[0]);
  th_run_results_free(res[1]);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/engine-waves/merge-head-of-line", test_merge_head_of_line);
  g_test_add_func("/engine-waves/departure-queue", test_departure_queue);
  g_test_add_func("/engine-waves/discharge-wave", test_discharge_wave);
  g_test_add_func("/engine-waves/steady-jam", test_steady_jam);
  g_test_add_func("/engine-waves/random-rules", test_random_rules);
  g_test_add_func("/engine-waves/simulate-threads", test_simulate_threads);
  return g_test_run();
}

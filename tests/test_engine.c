/* test_engine.c: the queue model on small networks with known answers:
 * bottleneck spacing and delay, spillback hold and discharge, stuck-time
 * release, FIFO and conservation on random networks and demands. */
#include "network/network.h"
#include "sim/engine.h"

#include <gsl/gsl_rng.h>
#include <math.h>

/* A link spec in SI units. */
static void add_link(ThNetwork *n, int64_t id, int64_t a, int64_t b, double len_m, double speed,
                     double cap_vph, double lanes) {
  ThLinkSpec s = {.id = id, .from_id = a, .to_id = b, .modes = TH_MODE_ROAD, .length_m = len_m,
                  .free_speed_mps = speed, .capacity_vph = cap_vph, .lanes = lanes,
                  .bpr_alpha = 0.15, .bpr_beta = 4};
  g_assert_cmpint(th_network_add_link(n, &s), >=, 0);
}

static ThNetwork *chain(int n_nodes) {
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

/* N vehicles released at once into a link of capacity C leave it 3600/C s
 * apart; the last one's delay is (N-1) * 3600/C, the deterministic queue
 * delay of a bottleneck (Vickrey). With a headway that is not a whole number
 * of seconds, each leaves in the second holding its exact time. */
static void test_bottleneck(void) {
  const double caps[] = {1800, 1000, 7200};
  for (int c = 0; c < 3; c++) {
    g_autoptr(ThNetwork) net = chain(2);
    add_link(net, 1, 1, 2, 1000, 10, caps[c], 1);
    g_assert_true(th_network_finalize(net, NULL));
    ThEngineParams p = params();
    g_autoptr(ThEngine) e = th_engine_new(net, &p);
    int32_t route[] = {0};
    const int N = 50;
    for (int i = 0; i < N; i++) {
      uint32_t r = th_engine_route_add(e, route, 1);
      uint32_t v = th_engine_vehicle_add(e, 0, 1.0, i);
      th_engine_depart(e, v, 0, r);
    }
    th_engine_run(e);
    g_assert_cmpint(th_engine_free_time(e, 0), ==, 100);
    /* headway in tenths of a second: 36000 / C */
    int h10 = (int)(36000 / caps[c]);
    for (int i = 0; i < N; i++) {
      g_assert_cmpint(th_engine_vehicle_state(e, i), ==, TH_VEH_ARRIVED);
      int32_t want = 100 + (i * h10) / 10; /* floor(100 + i h) */
      g_assert_cmpint(th_engine_vehicle_arrive_time(e, i), ==, want);
    }
    if (caps[c] == 1800) {
      for (int i = 1; i < N; i++)
        g_assert_cmpint(th_engine_vehicle_arrive_time(e, i) - th_engine_vehicle_arrive_time(e, i - 1), ==, 2);
      g_assert_cmpint(th_engine_vehicle_arrive_time(e, N - 1) - 100, ==, (N - 1) * 2);
    }
    g_assert_cmpuint(th_engine_traversals(e), ==, N);
    ThLinkStat st = th_engine_link_stat(e, 0, 0, 0);
    g_assert_cmpuint(st.n, ==, N);
  }
}

/* Occupancy of each link over the log; returns the maximum seen on LINK. */
static int max_occupancy(const ThLogRow *log, size_t n, int link) {
  int occ = 0, mx = 0;
  for (size_t i = 0; i < n; i++) {
    if (log[i].link != link) continue;
    if (log[i].kind == TH_LOG_ENTER) occ++;
    if (log[i].kind == TH_LOG_LEAVE) occ--;
    if (occ > mx) mx = occ;
  }
  return mx;
}

/* A -> B -> C: link 2 (B->C) stores 10 cars and lets one out every 10 s;
 * link 1 brings one per second. Link 2 fills, then holds link 1's queue
 * (spillback); every later entry into link 2 happens in the very second a
 * vehicle leaves it (discharge), and everyone arrives. */
static void test_spillback(void) {
  g_autoptr(ThNetwork) net = chain(3);
  add_link(net, 1, 1, 2, 100, 10, 3600, 1);  /* fft 10 s, 1 s headway, stores 13.3 */
  add_link(net, 2, 2, 3, 75, 10, 360, 1);    /* fft 8 s (7.5 rounded), 10 s headway, stores 10 */
  g_assert_true(th_network_finalize(net, NULL));
  ThEngineParams p = params();
  p.record_events = TRUE;
  g_autoptr(ThEngine) e = th_engine_new(net, &p);
  int32_t route[] = {0, 1};
  const int N = 40;
  for (int i = 0; i < N; i++) {
    uint32_t r = th_engine_route_add(e, route, 2);
    th_engine_depart(e, th_engine_vehicle_add(e, 0, 1.0, i), i, r); /* one per second */
  }
  th_engine_run(e);
  size_t n;
  const ThLogRow *log = th_engine_log(e, &n);
  g_assert_cmpint(max_occupancy(log, n, 1), ==, 10);
  /* link 2 discharges exactly every 10 s once it is queued */
  int32_t last = -1;
  int leaves = 0, held = 0;
  for (size_t i = 0; i < n; i++) {
    if (log[i].kind == TH_LOG_LEAVE && log[i].link == 1) {
      if (last >= 0) g_assert_cmpint(log[i].time - last, ==, 10);
      last = log[i].time;
      leaves++;
    }
  }
  g_assert_cmpint(leaves, ==, N);
  /* entries into link 2 after it filled coincide with a departure from it */
  int occ = 0;
  for (size_t i = 0; i < n; i++) {
    if (log[i].link != 1) continue;
    if (log[i].kind == TH_LOG_ENTER) {
      if (occ == 10 - 1 + 1) g_assert_not_reached();
      occ++;
    } else if (log[i].kind == TH_LOG_LEAVE) {
      occ--;
    }
  }
  for (int v = 0; v < N; v++) {
    g_assert_cmpint(th_engine_vehicle_state(e, v), ==, TH_VEH_ARRIVED);
    g_assert_false(th_engine_vehicle_stuck(e, v));
    /* time on link 1 beyond its 10 s free flow: held by the full link 2 */
    int32_t t_enter2 = -1;
    for (size_t i = 0; i < n; i++)
      if (log[i].kind == TH_LOG_ENTER && log[i].link == 1 && log[i].vehicle == (uint32_t)v) t_enter2 = log[i].time;
    g_assert_cmpint(t_enter2, >=, v + 10);
    if (t_enter2 > v + 10) held++;
  }
  g_assert_cmpint(held, >=, N - 12);
  g_assert_cmpuint(th_engine_stuck_moves(e), ==, 0);
  /* the last vehicle leaves link 2 N-1 headways after the first */
  g_assert_cmpint(th_engine_vehicle_arrive_time(e, N - 1) - th_engine_vehicle_arrive_time(e, 0), ==, 10 * (N - 1));

  /* the same with a stuck time of 5 s (less than link 2's headway): vehicles
   * are moved on into the full link, and counted */
  p.stuck_time_s = 5;
  g_autoptr(ThEngine) e2 = th_engine_new(net, &p);
  for (int i = 0; i < N; i++) {
    uint32_t r = th_engine_route_add(e2, route, 2);
    th_engine_depart(e2, th_engine_vehicle_add(e2, 0, 1.0, i), i, r);
  }
  th_engine_run(e2);
  g_assert_cmpuint(th_engine_stuck_moves(e2), >, 0);
  int stuck = 0;
  for (int v = 0; v < N; v++) {
    g_assert_cmpint(th_engine_vehicle_state(e2, v), ==, TH_VEH_ARRIVED);
    stuck += th_engine_vehicle_stuck(e2, v);
  }
  g_assert_cmpint(stuck, ==, (int)th_engine_stuck_moves(e2));
  log = th_engine_log(e2, &n);
  g_assert_cmpint(max_occupancy(log, n, 1), >, 10);
}

/* Random networks and demands: every link is FIFO (vehicles leave in the
 * order they entered), and every vehicle is arrived, en route at the horizon,
 * or not yet departed, with the engine's counters agreeing with the log. */
static void test_fifo_conservation(void) {
  for (unsigned long seed = 1; seed <= 6; seed++) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    const int nn = 12;
    g_autoptr(ThNetwork) net = chain(nn);
    int64_t id = 1;
    for (int a = 1; a <= nn; a++) /* a ring so every node has a way on, plus chords */
      add_link(net, id++, a, a % nn + 1, 50 + gsl_rng_uniform_int(r, 400), 5 + gsl_rng_uniform(r) * 20,
               200 + gsl_rng_uniform_int(r, 2000), 1 + gsl_rng_uniform_int(r, 2));
    for (int k = 0; k < 20; k++) {
      int a = 1 + (int)gsl_rng_uniform_int(r, nn), b = 1 + (int)gsl_rng_uniform_int(r, nn);
      if (a != b)
        add_link(net, id++, a, b, 30 + gsl_rng_uniform_int(r, 300), 5 + gsl_rng_uniform(r) * 20,
                 100 + gsl_rng_uniform_int(r, 1500), 1);
    }
    g_assert_true(th_network_finalize(net, NULL));
    ThEngineParams p = params();
    p.record_events = TRUE;
    p.stuck_time_s = 60 + (int)gsl_rng_uniform_int(r, 200);
    p.horizon_s = 1500 + (int)gsl_rng_uniform_int(r, 1500);
    p.n_classes = 2;
    g_autoptr(ThEngine) e = th_engine_new(net, &p);
    const int N = 1500;
    int late = 0; /* departures after the horizon never run */
    GArray *route = g_array_new(FALSE, FALSE, sizeof(int32_t));
    for (int v = 0; v < N; v++) {
      g_array_set_size(route, 0);
      int node = (int)gsl_rng_uniform_int(r, nn);
      int len = (int)gsl_rng_uniform_int(r, 8);
      for (int k = 0; k < len; k++) { /* a random walk */
        int deg = net->out_start[node + 1] - net->out_start[node];
        int32_t l = net->out_link[net->out_start[node] + gsl_rng_uniform_int(r, deg)];
        g_array_append_val(route, l);
        node = net->link_to[l];
      }
      uint32_t rr = th_engine_route_add(e, (int32_t *)route->data, (int)route->len);
      int cls = (int)gsl_rng_uniform_int(r, 2);
      int32_t dep = (int32_t)gsl_rng_uniform_int(r, 2000);
      late += dep > p.horizon_s;
      th_engine_depart(e, th_engine_vehicle_add(e, cls, cls ? 2.5 : 1.0, v), dep, rr);
    }
    g_array_unref(route);
    th_engine_run(e);
    size_t n;
    const ThLogRow *log = th_engine_log(e, &n);
    /* FIFO: per link, vehicles leave in the order they entered; only among
     * vehicles that entered in the same second may one that was logged
     * later leave first (the queue is in order of exact entry times, which
     * the log's whole seconds do not show) */
    typedef struct {
      uint32_t veh;
      int32_t t;
    } In;
    GArray **seq = g_new0(GArray *, net->n_links);
    for (int l = 0; l < net->n_links; l++) seq[l] = g_array_new(FALSE, FALSE, sizeof(In));
    uint64_t leaves = 0, passed = 0;
    int32_t prev_t = 0;
    for (size_t i = 0; i < n; i++) {
      g_assert_cmpint(log[i].time, >=, prev_t); /* events in time order */
      prev_t = log[i].time;
      int l = log[i].link;
      if (log[i].kind == TH_LOG_ENTER) {
        In x = {log[i].vehicle, log[i].time};
        g_array_append_val(seq[l], x);
      }
      if (log[i].kind == TH_LOG_LEAVE) {
        guint k = 0;
        while (k < seq[l]->len && g_array_index(seq[l], In, k).veh != log[i].vehicle) k++;
        g_assert_cmpuint(k, <, seq[l]->len);
        for (guint j = 0; j < k; j++)
          g_assert_cmpint(g_array_index(seq[l], In, j).t, ==, g_array_index(seq[l], In, k).t);
        passed += k > 0;
        g_array_remove_index(seq[l], k);
        leaves++;
      }
    }
    g_assert_cmpuint(leaves, ==, th_engine_traversals(e));
    g_assert_cmpuint(passed, <, leaves / 20);
    uint64_t in_links = 0;
    for (int l = 0; l < net->n_links; l++) {
      g_assert_cmpuint(seq[l]->len, ==, th_engine_link_count(e, l));
      in_links += seq[l]->len;
      g_array_unref(seq[l]);
    }
    g_free(seq);
    /* conservation */
    int arrived = 0, en_route = 0, idle = 0;
    for (uint32_t v = 0; v < (uint32_t)N; v++) {
      switch (th_engine_vehicle_state(e, v)) {
      case TH_VEH_ARRIVED: arrived++; break;
      case TH_VEH_EN_ROUTE: en_route++; break;
      case TH_VEH_IDLE: idle++; break;
      }
    }
    g_assert_cmpint(arrived + en_route + idle, ==, N);
    g_assert_cmpuint(en_route, ==, in_links);
    g_assert_cmpint(idle, ==, late);
    g_assert_cmpint(en_route, >, 0); /* the horizon did cut some trips */
    gsl_rng_free(r);
  }
}

/* User events run in order with link events, and the arrive handler may send
 * a vehicle off again (a bus on its next segment). */
typedef struct {
  int calls;
  uint32_t type;
  int32_t times[4];
} UserLog;

static void on_user(ThEngine *e, const ThEvent *ev, gpointer user) {
  UserLog *u = user;
  u->times[u->calls++ % 4] = ev->time;
  g_assert_cmpuint(ev->a, ==, 42);
}

static void on_arrive(ThEngine *e, uint32_t v, int32_t t, gpointer user) {
  UserLog *u = user;
  if (th_engine_vehicle_owner(e, v) == 7 && t < 200) {
    int32_t back[] = {1};
    th_engine_depart(e, v, t + 30, th_engine_route_add(e, back, 1)); /* dwell 30 s, go back */
    th_engine_schedule(e, t + 5, u->type, 42, 0);
  }
}

static void test_handlers(void) {
  g_autoptr(ThNetwork) net = chain(2);
  add_link(net, 1, 1, 2, 1000, 10, 1800, 1);
  add_link(net, 2, 2, 1, 1000, 10, 1800, 1);
  g_assert_true(th_network_finalize(net, NULL));
  ThEngineParams p = params();
  g_autoptr(ThEngine) e = th_engine_new(net, &p);
  UserLog u = {0};
  u.type = th_engine_add_handler(e, on_user, &u);
  g_assert_cmpuint(u.type, ==, TH_EV_USER);
  th_engine_set_arrive_handler(e, on_arrive, &u);
  int32_t go[] = {0};
  uint32_t v = th_engine_vehicle_add(e, 0, 2.5, 7);
  th_engine_depart(e, v, 0, th_engine_route_add(e, go, 1));
  th_engine_run(e);
  g_assert_cmpint(u.calls, ==, 1);
  g_assert_cmpint(u.times[0], ==, 105);
  g_assert_cmpint(th_engine_vehicle_state(e, v), ==, TH_VEH_ARRIVED);
  g_assert_cmpint(th_engine_vehicle_depart_time(e, v), ==, 130);
  g_assert_cmpint(th_engine_vehicle_arrive_time(e, v), ==, 230);
  g_assert_cmpint(th_engine_vehicle_links_done(e, v), ==, 1);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/engine/bottleneck", test_bottleneck);
  g_test_add_func("/engine/spillback", test_spillback);
  g_test_add_func("/engine/fifo-conservation", test_fifo_conservation);
  g_test_add_func("/engine/handlers", test_handlers);
  return g_test_run();
}

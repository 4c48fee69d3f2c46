/* test_router.c: time-dependent Dijkstra with Dial's buckets against a
 * brute-force label-correcting search on random FIFO networks, early stop at
 * targets, zone nodes never passed through, and mode filters. */
#include "network/network.h"
#include "sim/router.h"

#include <gsl/gsl_rng.h>
#include <string.h>

static ThNetwork *random_net(gsl_rng *r, int nn, int extra, gboolean zones) {
  ThNetwork *n = th_network_new();
  for (int i = 0; i < nn; i++) {
    gboolean z = zones && i % 5 == 0;
    th_network_add_node(n, i + 1, NULL, 112 + i * 0.001, 35, z ? TH_NODE_ZONE : TH_NODE_JUNCTION, z ? i + 1 : -1,
                        0, 0, 0, 0);
  }
  int64_t id = 1;
  for (int i = 0; i < nn; i++) {
    ThLinkSpec s = {.id = id++, .from_id = i + 1, .to_id = (i + 1) % nn + 1, .modes = TH_MODE_ROAD,
                    .length_m = 100, .free_speed_mps = 10, .capacity_vph = 1000, .lanes = 1};
    th_network_add_link(n, &s);
  }
  for (int k = 0; k < extra; k++) {
    int a = (int)gsl_rng_uniform_int(r, nn), b = (int)gsl_rng_uniform_int(r, nn);
    if (a == b) continue;
    ThLinkSpec s = {.id = id++, .from_id = a + 1, .to_id = b + 1,
                    .modes = gsl_rng_uniform_int(r, 6) ? TH_MODE_ROAD : TH_MODE_RAIL, .length_m = 100,
                    .free_speed_mps = 10, .capacity_vph = 1000, .lanes = 1};
    th_network_add_link(n, &s);
  }
  g_assert_true(th_network_finalize(n, NULL));
  return n;
}

/* Earliest arrivals by repeated relaxation until nothing changes (correct on
 * FIFO link times), honouring the same mode and zone rules. */
static void brute(const ThNetwork *n, const ThLinkTimes *lt, int src, int32_t t0, int64_t *arr) {
  for (int v = 0; v < n->n_nodes; v++) arr[v] = INT64_MAX;
  arr[src] = t0;
  for (gboolean ch = TRUE; ch;) {
    ch = FALSE;
    for (int e = 0; e < n->n_links; e++) {
      if (!(n->link_modes[e] & TH_MODE_ROAD)) continue;
      int a = n->link_from[e], b = n->link_to[e];
      if (arr[a] == INT64_MAX || (a != src && n->node_no_thru[a])) continue;
      int64_t x = arr[a] + th_link_times_at(lt, e, (int32_t)arr[a]);
      if (x < arr[b]) arr[b] = x, ch = TRUE;
    }
  }
}

static void test_vs_brute_force(void) {
  for (unsigned long seed = 1; seed <= 20; seed++) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    int nn = 10 + (int)gsl_rng_uniform_int(r, 40);
    g_autoptr(ThNetwork) n = random_net(r, nn, 3 * nn, seed % 2 == 0);
    int32_t *free_s = g_new(int32_t, n->n_links);
    for (int e = 0; e < n->n_links; e++) free_s[e] = 1 + (int32_t)gsl_rng_uniform_int(r, 50);
    /* FIFO times (leaving later never arrives earlier): from one 60 s bin to
     * the next a link's time falls by at most 1 s, and after the last bin
     * (free flow) it does not fall at all */
    g_autoptr(ThLinkTimes) lt = th_link_times_new(n->n_links, 6, 60, free_s);
    for (int e = 0; e < n->n_links; e++) {
      int32_t t = 1 + (int32_t)gsl_rng_uniform_int(r, 40);
      for (int b = 0; b < 6; b++) {
        lt->tt[(size_t)b * n->n_links + e] = t;
        t = MAX(1, t - 1 + (int32_t)gsl_rng_uniform_int(r, 25) - (int32_t)gsl_rng_uniform_int(r, 1));
      }
      lt->free[e] = lt->tt[(size_t)5 * n->n_links + e] + (int32_t)gsl_rng_uniform_int(r, 5);
    }
    th_link_times_finish(lt);
    g_autoptr(ThRouter) rt = th_router_new(n, TH_MODE_ROAD);
    int64_t *want = g_new(int64_t, n->n_nodes);
    GArray *path = g_array_new(FALSE, FALSE, sizeof(int32_t));
    for (int k = 0; k < 8; k++) {
      int src = (int)gsl_rng_uniform_int(r, nn);
      int32_t t0 = (int32_t)gsl_rng_uniform_int(r, 400);
      th_router_run(rt, lt, src, t0, NULL, 0);
      brute(n, lt, src, t0, want);
      for (int v = 0; v < n->n_nodes; v++) {
        g_assert_cmpint(th_router_arrival(rt, v), ==, want[v]);
        g_array_set_size(path, 0);
        int len = th_router_path(rt, v, path);
        if (want[v] == INT64_MAX) {
          g_assert_cmpint(len, ==, -1);
          continue;
        }
        /* the path starts at src, is connected, ends at v, and takes the time */
        int at = src;
        for (int i = 0; i < len; i++) {
          int32_t e = g_array_index(path, int32_t, i);
          g_assert_cmpint(n->link_from[e], ==, at);
          g_assert_true(n->link_modes[e] & TH_MODE_ROAD);
          if (i > 0) g_assert_false(n->node_no_thru[at]);
          at = n->link_to[e];
        }
        g_assert_cmpint(at, ==, v);
        g_assert_cmpint(t0 + th_link_times_route(lt, (int32_t *)path->data, len, t0), ==, want[v]);
      }
      /* with targets: the same answers at the targets */
      int tg[3] = {(int)gsl_rng_uniform_int(r, nn), (int)gsl_rng_uniform_int(r, nn), src};
      th_router_run(rt, lt, src, t0, tg, 3);
      for (int i = 0; i < 3; i++) g_assert_cmpint(th_router_arrival(rt, tg[i]), ==, want[tg[i]]);
    }
    g_array_unref(path);
    g_free(want);
    g_free(free_s);
    gsl_rng_free(r);
  }
}

static void test_times(void) {
  int32_t f[2] = {10, 0};
  g_autoptr(ThLinkTimes) lt = th_link_times_new(2, 2, 900, f);
  g_assert_cmpint(lt->free[1], ==, 1); /* at least one second */
  lt->tt[2 + 0] = 100;                 /* bin 1 of link 0 */
  th_link_times_finish(lt);
  g_assert_cmpint(lt->max_tt, ==, 100);
  g_assert_cmpint(th_link_times_at(lt, 0, 899), ==, 10);
  g_assert_cmpint(th_link_times_at(lt, 0, 900), ==, 100);
  g_assert_cmpint(th_link_times_at(lt, 0, 1800), ==, 10); /* after the last bin: free flow */
  int32_t route[] = {0, 0};
  g_assert_cmpint(th_link_times_route(lt, route, 2, 895), ==, 10 + 100); /* 895 -> 905 -> 1005 */
}

/* Bounded searches (landmark pruning) give the plain search's arrivals and
 * paths at the targets, ties included: small integer times on random
 * networks make many equal paths. Bounds are exact, loose, absent or wrong
 * (below the arrival: the search must fall back); some with a truck ban. */
static void test_bounded_same_paths(void) {
  for (unsigned long seed = 1; seed <= 40; seed++) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    int nn = 10 + (int)gsl_rng_uniform_int(r, 60);
    g_autoptr(ThNetwork) n = random_net(r, nn, 3 * nn, seed % 2 == 0);
    int32_t *free_s = g_new(int32_t, n->n_links);
    for (int e = 0; e < n->n_links; e++) free_s[e] = 1 + (int32_t)gsl_rng_uniform_int(r, 3);
    g_autoptr(ThLinkTimes) lt = th_link_times_new(n->n_links, 3, 20, free_s);
    for (int e = 0; e < n->n_links; e++)
      for (int b = 0; b < 3; b++) lt->tt[(size_t)b * n->n_links + e] = free_s[e] + (int32_t)gsl_rng_uniform_int(r, 2);
    th_link_times_finish(lt);
    g_autoptr(ThRouter) plain = th_router_new(n, TH_MODE_ROAD);
    g_autoptr(ThRouter) bounded = th_router_new(n, TH_MODE_ROAD);
    /* every third network: a truck ban on some links and nodes from 0:00:30
     * to 0:01:00, which only removes paths (the bounds stay lower bounds) */
    g_autoptr(ThTruckBan) ban = th_truck_ban_new(n, 1);
    ban->from_s = 30, ban->to_s = 60;
    for (int e = 0; e < n->n_links; e++) ban->link[e] = gsl_rng_uniform_int(r, 5) == 0;
    for (int v = 0; v < n->n_nodes; v++) ban->node[v] = gsl_rng_uniform_int(r, 8) == 0;
    th_router_set_ban(plain, seed % 3 == 0 ? ban : NULL);
    th_router_set_ban(bounded, seed % 3 == 0 ? ban : NULL);
    GArray *p1 = g_array_new(FALSE, FALSE, sizeof(int32_t)), *p2 = g_array_new(FALSE, FALSE, sizeof(int32_t));
    for (int k = 0; k < 20; k++) {
      int src = (int)gsl_rng_uniform_int(r, nn);
      int32_t t0 = (int32_t)gsl_rng_uniform_int(r, 60);
      int nt = 1 + (int)gsl_rng_uniform_int(r, 6), tg[6];
      int64_t ub[6];
      for (int i = 0; i < nt; i++) tg[i] = (int)gsl_rng_uniform_int(r, nn);
      th_router_run(plain, lt, src, t0, tg, nt);
      int kind = (int)gsl_rng_uniform_int(r, 4);
      for (int i = 0; i < nt; i++) {
        int64_t want = th_router_arrival(plain, tg[i]);
        ub[i] = want == INT64_MAX || kind == 2 ? INT64_MAX
                : kind == 0                    ? want
                : kind == 1                    ? want + (int64_t)gsl_rng_uniform_int(r, 4)
                                               : want - (i == 0); /* wrong for the first target */
      }
      th_router_run_bounded(bounded, lt, src, t0, tg, ub, nt);
      for (int i = 0; i < nt; i++) {
        g_assert_cmpint(th_router_arrival(bounded, tg[i]), ==, th_router_arrival(plain, tg[i]));
        g_array_set_size(p1, 0);
        g_array_set_size(p2, 0);
        g_assert_cmpint(th_router_path(bounded, tg[i], p2), ==, th_router_path(plain, tg[i], p1));
        g_assert_cmpint(p1->len, ==, p2->len);
        if (p1->len) g_assert_cmpmem(p1->data, p1->len * 4, p2->data, p2->len * 4);
      }
    }
    g_array_unref(p1);
    g_array_unref(p2);
    g_free(free_s);
    gsl_rng_free(r);
  }
}

/* On a 30 x 30 grid of equal links (every monotone path ties), a bound at
 * the exact arrival leaves the far side of the grid unsearched, and the
 * path is the plain search's. */
static void test_bounded_prunes(void) {
  const int N = 30;
  ThNetwork *n = th_network_new();
  for (int i = 0; i < N * N; i++)
    th_network_add_node(n, i + 1, NULL, 112 + (i % N) * 0.001, 35 + (i / N) * 0.001, TH_NODE_JUNCTION, -1, 0, 0, 0,
                        0);
  int64_t id = 1;
  for (int i = 0; i < N * N; i++) {
    int nb[2] = {i % N + 1 < N ? i + 1 : -1, i + N < N * N ? i + N : -1};
    for (int j = 0; j < 2; j++) {
      if (nb[j] < 0) continue;
      for (int dir = 0; dir < 2; dir++) {
        ThLinkSpec sp = {.id = id++, .from_id = (dir ? nb[j] : i) + 1, .to_id = (dir ? i : nb[j]) + 1,
                         .modes = TH_MODE_ROAD, .length_m = 100, .free_speed_mps = 10, .capacity_vph = 1000,
                         .lanes = 1};
        th_network_add_link(n, &sp);
      }
    }
  }
  g_assert_true(th_network_finalize(n, NULL));
  int32_t *free_s = g_new(int32_t, n->n_links);
  for (int e = 0; e < n->n_links; e++) free_s[e] = 640; /* 10 s in 1/64 s */
  g_autoptr(ThLinkTimes) lt = th_link_times_new(n->n_links, 2, 900 * 64, free_s);
  th_link_times_finish(lt);
  g_autoptr(ThRouter) plain = th_router_new(n, TH_MODE_ROAD);
  g_autoptr(ThRouter) bounded = th_router_new(n, TH_MODE_ROAD);
  int src = 5 * N + 5, tg[2] = {12 * N + 9, 3 * N + 14}; /* near one corner */
  th_router_run(plain, lt, src, 0, tg, 2);
  int64_t ub[2] = {th_router_arrival(plain, tg[0]), th_router_arrival(plain, tg[1])};
  g_assert_cmpint(ub[0], ==, (7 + 4) * 640);
  th_router_run_bounded(bounded, lt, src, 0, tg, ub, 2);
  int reached_plain = 0, reached_bounded = 0;
  for (int v = 0; v < N * N; v++) {
    reached_plain += th_router_arrival(plain, v) != INT64_MAX;
    reached_bounded += th_router_arrival(bounded, v) != INT64_MAX;
  }
  /* the plain search settles every node up to 11 links away (106 nodes,
   * clipped by the grid's edges); the bounded one the two rectangles between
   * the source and the targets and their ties only */
  g_assert_cmpint(reached_bounded, <, reached_plain / 2);
  GArray *p1 = g_array_new(FALSE, FALSE, sizeof(int32_t)), *p2 = g_array_new(FALSE, FALSE, sizeof(int32_t));
  for (int i = 0; i < 2; i++) {
    g_array_set_size(p1, 0);
    g_array_set_size(p2, 0);
    th_router_path(plain, tg[i], p1);
    th_router_path(bounded, tg[i], p2);
    g_assert_cmpmem(p1->data, p1->len * 4, p2->data, p2->len * 4);
  }
  g_array_unref(p1);
  g_array_unref(p2);
  g_free(free_s);
  th_network_free(n);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/router/vs-brute-force", test_vs_brute_force);
  g_test_add_func("/router/times", test_times);
  g_test_add_func("/router/bounded-same-paths", test_bounded_same_paths);
  g_test_add_func("/router/bounded-prunes", test_bounded_prunes);
  return g_test_run();
}

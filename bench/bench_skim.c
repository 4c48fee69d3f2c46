/* bench_skim.c: shortest paths and skims on synthetic grids, taihang against
 * igraph in the same run (see bench/README.md).
 *
 *   build/bench/bench_skim [--sizes 10000,100000,1000000] [--sources K]
 *                          [--zones Z] [--threads T]
 *
 * For each size: a square grid with links both ways between neighbours
 * (lengths 200-2000 m, 60 or 80 km/h, seeded so every run sees the same
 * network). One-to-all: igraph_distances_dijkstra and every taihang variant
 * from the same random sources, interleaved source by source so that load
 * from other processes hits all of them alike; distances are checked equal.
 * All-zones skim: Z zones spread over the grid, th_skim_run with 1 and T
 * threads. Prints ms per source, the ratio to igraph, peak memory
 * (getrusage ru_maxrss) and bytes per link of the routing structures
 * (compacted graph + one workspace). */
#include "network/paths.h"
#include "network/skim.h"

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static gboolean only_radix; /* --only-default: profile the default variant (buckets) alone */

static double now_ms(void) { return g_get_monotonic_time() / 1000.0; }

static long peak_rss_mb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024; /* Linux: kilobytes */
}

static ThNetwork *grid(int side, int n_zones) {
  ThNetwork *net = th_network_new();
  g_autoptr(GRand) r = g_rand_new_with_seed(4242 + side);
  int n = side * side;
  /* zones: towns (passable) on an evenly spaced sub-grid */
  int zs = (int)ceil(sqrt(n_zones));
  int zone_id = 1;
  for (int v = 0; v < n; v++) {
    int x = v % side, y = v / side;
    gboolean zone = FALSE;
    if (zone_id <= n_zones && zs > 0) {
      int step = side / zs > 0 ? side / zs : 1;
      zone = x % step == step / 2 && y % step == step / 2;
    }
    th_network_add_node(net, v + 1, NULL, 112 + x * 1e-3, 35 + y * 1e-3,
                        zone ? TH_NODE_TOWN : TH_NODE_JUNCTION, zone ? zone_id : -1, 0, 0, 0, 0);
    if (zone) zone_id++;
  }
  ThLinkSpec s = {.modes = TH_MODE_ROAD, .capacity_vph = 1800, .lanes = 1, .bpr_alpha = 0.15,
                  .bpr_beta = 4};
  int id = 1;
  for (int v = 0; v < n; v++) {
    int x = v % side;
    int nb[2] = {x + 1 < side ? v + 1 : -1, v + side < n ? v + side : -1};
    for (int k = 0; k < 2; k++) {
      if (nb[k] < 0) continue;
      for (int dir = 0; dir < 2; dir++) {
        s.id = id++;
        s.from_id = (dir ? nb[k] : v) + 1;
        s.to_id = (dir ? v : nb[k]) + 1;
        s.length_m = g_rand_int_range(r, 200, 2001);
        s.free_speed_mps = (g_rand_boolean(r) ? 60 : 80) / 3.6;
        s.free_time_s = 0;
        th_network_add_link(net, &s);
      }
    }
  }
  g_assert(th_network_finalize(net, NULL));
  return net;
}

static gboolean skim_noop(const ThNetwork *net, const ThSkimRow *row, gpointer user_data,
                          GError **error) {
  double *sum = user_data;
  for (int z = 0; z < net->n_zones; z++)
    if (!isnan(row->time_min[z])) *sum += row->time_min[z];
  return TRUE;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

enum { V_IGRAPH, V_QUAD, V_BINARY, V_LAZY, V_RADIX, V_BUCKET, V_INDIRECT, N_V };
static const char *vname[N_V] = {"igraph_distances_dijkstra", "taihang 4-ary heap",
                                 "taihang binary heap", "taihang lazy binary heap",
                                 "taihang radix heap",
                                 "taihang bucket queue (default)",
                                 "taihang th_sp_run (weights per run)"};

static void bench_size(int target_n, int k_sources, int n_zones, int threads) {
  int side = (int)lround(sqrt(target_n));
  double t0 = now_ms();
  g_autoptr(ThNetwork) net = grid(side, n_zones);
  int n = net->n_nodes, m = net->n_links;
  printf("\n== grid %dx%d: %d nodes, %d links, %d zones (built in %.0f ms)\n", side, side, n, m,
         net->n_zones, now_ms() - t0);

  /* igraph graph, weights = free-flow times */
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 2 * (igraph_integer_t)m);
  igraph_vector_t w;
  igraph_vector_init(&w, m);
  for (int e = 0; e < m; e++) {
    VECTOR(edges)[2 * e] = net->link_from[e];
    VECTOR(edges)[2 * e + 1] = net->link_to[e];
    VECTOR(w)[e] = net->free_time_s[e];
  }
  igraph_t g;
  igraph_create(&g, &edges, n, IGRAPH_DIRECTED);
  igraph_vector_int_destroy(&edges);
  igraph_matrix_t res;
  igraph_matrix_init(&res, 0, 0);

  g_autoptr(ThSpGraph) sg = th_sp_graph_new(net, net->free_time_s, TH_MODE_ROAD);
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  g_autoptr(ThShortestPaths) spi = th_sp_new(net);
  g_autoptr(GRand) r = g_rand_new_with_seed(99);
  int k_igraph = k_sources;
  double *ms[N_V];
  for (int v = 0; v < N_V; v++) ms[v] = g_new0(double, k_sources);
  int runs[N_V] = {0};
  int mismatches = 0;
  for (int s = 0; s < k_sources; s++) {
    int src = g_rand_int_range(r, 0, n);
    if (s < k_igraph && !only_radix) {
      double a = now_ms();
      igraph_distances_dijkstra(&g, &res, igraph_vss_1(src), igraph_vss_all(), &w, IGRAPH_OUT);
      ms[V_IGRAPH][runs[V_IGRAPH]++] = now_ms() - a;
    }
    for (int v = V_QUAD; v <= V_INDIRECT; v++) {
      if (only_radix && v != V_BUCKET) continue;
      double a = now_ms();
      if (v == V_INDIRECT) {
        th_sp_run(spi, src, net->free_time_s, TH_MODE_ROAD);
      } else {
        th_sp_set_heap(sp, v == V_QUAD     ? TH_SP_HEAP_QUAD
                           : v == V_BINARY ? TH_SP_HEAP_BINARY
                           : v == V_LAZY   ? TH_SP_HEAP_LAZY
                           : v == V_RADIX  ? TH_SP_HEAP_RADIX
                                           : TH_SP_HEAP_BUCKET);
        th_sp_run_graph(sp, sg, src);
      }
      ms[v][runs[v]++] = now_ms() - a;
    }
    if (s < k_igraph && !only_radix) {
      const double *d = th_sp_dist(sp);
      for (int x = 0; x < n; x++)
        if (d[x] != MATRIX(res, 0, x)) mismatches++;
    }
  }
  /* medians: robust to the other processes sharing the machine */
  double med[N_V], mean[N_V];
  for (int v = 0; v < N_V; v++) {
    mean[v] = med[v] = NAN;
    if (runs[v] == 0) continue;
    mean[v] = 0;
    for (int i = 0; i < runs[v]; i++) mean[v] += ms[v][i] / runs[v];
    qsort(ms[v], runs[v], sizeof(double), cmp_double);
    med[v] = runs[v] % 2 ? ms[v][runs[v] / 2] : (ms[v][runs[v] / 2 - 1] + ms[v][runs[v] / 2]) / 2;
  }
  printf("one-to-all from %d sources, ms per source (distances %s)\n", k_sources,
         mismatches ? "DIFFER" : "equal to igraph's");
  printf("  %-38s %9s %9s %9s %8s %8s\n", "", "median", "mean", "best", "speedup", "(best)");
  for (int v = 0; v < N_V; v++) {
    if (runs[v] == 0) continue;
    printf("  %-38s %9.2f %9.2f %9.2f %7.2fx %7.2fx\n", vname[v], med[v], mean[v], ms[v][0],
           med[V_IGRAPH] / med[v], runs[V_IGRAPH] ? ms[V_IGRAPH][0] / ms[v][0] : NAN);
  }
  for (int v = 0; v < N_V; v++) g_free(ms[v]);
  th_sp_set_heap(sp, TH_SP_HEAP_BUCKET); /* the default: its buckets count too */
  gsize graph_b = th_sp_graph_bytes(sg), ws_b = th_sp_bytes(sp);
  printf("routing structures: graph %.1f MB + workspace %.1f MB = %.1f bytes per link\n",
         graph_b / 1e6, ws_b / 1e6, (double)(graph_b + ws_b) / m);

  /* all-zones skim */
  ThSkimParams p;
  th_skim_params_init(&p);
  for (int t = 1; t <= threads; t = t == 1 && threads > 1 ? threads : t + threads) {
    p.n_threads = t;
    double sum = 0, a = now_ms();
    th_skim_run(net, &p, NULL, net->n_zones, skim_noop, &sum, NULL);
    double total = now_ms() - a;
    printf("all-zones skim, %d thread%s: %d origins x %d zones in %.0f ms = %.2f ms per origin "
           "(checksum %.6e)\n",
           t, t > 1 ? "s" : "", net->n_zones, net->n_zones, total, total / net->n_zones, sum);
  }
  printf("peak memory so far (ru_maxrss): %ld MB\n", peak_rss_mb());
  igraph_matrix_destroy(&res);
  igraph_vector_destroy(&w);
  igraph_destroy(&g);
}

int main(int argc, char **argv) {
  g_autofree char *sizes = NULL;
  int k_sources = 0, n_zones = 100, threads = 2;
  GOptionEntry entries[] = {
      {"sizes", 0, 0, G_OPTION_ARG_STRING, &sizes, "node counts (default 10000,100000,1000000)", "LIST"},
      {"sources", 0, 0, G_OPTION_ARG_INT, &k_sources, "one-to-all sources per size (default: 200, 40, 10 by size)", "K"},
      {"zones", 0, 0, G_OPTION_ARG_INT, &n_zones, "zones for the all-zones skim (default 100)", "Z"},
      {"threads", 0, 0, G_OPTION_ARG_INT, &threads, "threads for the parallel skim (default 2)", "T"},
      {"only-default", 0, 0, G_OPTION_ARG_NONE, &only_radix, "time the default variant only (for profilers)", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- taihang shortest-path benchmark");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "bench_skim: %s\n", error->message);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows when redirected */
  const char *ig_version = NULL;
  igraph_version(&ig_version, NULL, NULL, NULL);
  printf("taihang shortest-path benchmark (igraph %s)\n", ig_version);
  g_auto(GStrv) list = g_strsplit(sizes ? sizes : "10000,100000,1000000", ",", -1);
  for (int i = 0; list[i]; i++) {
    int n = atoi(list[i]);
    if (n < 4) continue;
    int k = k_sources > 0 ? k_sources : n <= 10000 ? 200 : n <= 100000 ? 40 : 10;
    bench_size(n, k, n_zones, threads);
  }
  return 0;
}

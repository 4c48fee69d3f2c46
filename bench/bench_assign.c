/* bench_assign.c: time to relative gap 1e-4 and 1e-6 of each assignment
 * algorithm on Sioux Falls, Anaheim (TNTP files, reading included) and a
 * synthetic grid with >= 10,000 links and 1,000 zones, with peak memory.
 *
 * Usage: bench_assign [--threads N] [--grid-only|--tntp-only] [--algorithm NAME]
 *        bench_assign --write-grid DIR SIDE ZONES SCALE
 * The second form writes the grid (SIDE x SIDE junctions, ZONES zones, its
 * trips x SCALE so that it is congested) as
 * TNTP files DIR/GridSIDE_net.tntp and DIR/GridSIDE_trips.tntp, so that
 * bench_assign.sh can run taihang and tap-b on a network of thousands of
 * links that both read.
 * Each (network, algorithm) runs in its own child process so that the
 * peak memory (ru_maxrss) is that run's alone. Times are wall clock on a
 * shared machine: compare rows of the same run, not across runs. */
#include "network/tntp.h"
#include "sim/assign.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  gint64 start;
  double t4, t6;   /* seconds to 1e-4 and 1e-6, or -1 */
  int iters;
  double gap;
} Watch;

static void on_iter(const ThAssignIter *it, gpointer data) {
  Watch *w = data;
  double t = (g_get_monotonic_time() - w->start) / 1e6;
  if (w->t4 < 0 && it->relative_gap <= 1e-4) w->t4 = t;
  if (w->t6 < 0 && it->relative_gap <= 1e-6) w->t6 = t;
  w->iters = it->iteration;
  if (g_getenv("BENCH_VERBOSE"))
    fprintf(stderr, "  iteration %d gap %.3e %.3f s\n", it->iteration, it->relative_gap, t);
  w->gap = it->relative_gap;
}

/* A grid of SIDE x SIDE junctions with two-way links, plus N_ZONES zone
 * centroids (nodes 1..N_ZONES, never passed through) each joined to one
 * junction by two connectors; deterministic pseudo-random capacities and
 * demand (each zone sends to 40 others). */
static ThNetwork *grid(int side, int n_zones, ThOdTable **od_out) {
  ThNetwork *net = th_network_new();
  GRand *r = g_rand_new_with_seed(12345);
  for (int z = 1; z <= n_zones; z++)
    th_network_add_node(net, z, NULL, NAN, NAN, TH_NODE_ZONE, z, 0, 0, 0, 0);
  int base = n_zones + 1;
  for (int i = 0; i < side * side; i++)
    th_network_add_node(net, base + i, NULL, NAN, NAN, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  int64_t id = 1;
  ThLinkSpec s = {0};
  s.modes = TH_MODE_ROAD;
  s.lanes = 1;
  s.bpr_alpha = 0.15;
  s.bpr_beta = 4;
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++) {
      int v = base + y * side + x;
      int nb[2][2] = {{x + 1, y}, {x, y + 1}};
      for (int k = 0; k < 2; k++) {
        if (nb[k][0] >= side || nb[k][1] >= side) continue;
        int w = base + nb[k][1] * side + nb[k][0];
        double len = 1000 + g_rand_double_range(r, 0, 1000);
        double cap = 1500 + g_rand_double_range(r, 0, 2500);
        for (int dir = 0; dir < 2; dir++) {
          s.id = id++;
          s.from_id = dir ? w : v;
          s.to_id = dir ? v : w;
          s.length_m = len;
          s.free_speed_mps = 15;
          s.free_time_s = 0;
          s.capacity_vph = cap;
          th_network_add_link(net, &s);
        }
      }
    }
  for (int z = 1; z <= n_zones; z++) {
    int v = base + g_rand_int_range(r, 0, side * side);
    for (int dir = 0; dir < 2; dir++) {
      s.id = id++;
      s.from_id = dir ? v : z;
      s.to_id = dir ? z : v;
      s.length_m = 100;
      s.free_speed_mps = 10;
      s.free_time_s = 0;
      s.capacity_vph = 1e5;
      th_network_add_link(net, &s);
    }
  }
  th_network_finalize(net, NULL);
  int n = MAX(n_zones, 1) * 40;
  int *o = g_new(int, n), *d = g_new(int, n);
  double *t = g_new(double, n);
  for (int i = 0; i < n; i++) {
    o[i] = i / 40;
    d[i] = g_rand_int_range(r, 0, n_zones);
    t[i] = g_rand_double_range(r, 0.5, 2.5);
  }
  *od_out = th_od_table_new(n_zones, n, o, d, t);
  g_free(o);
  g_free(d);
  g_free(t);
  g_rand_free(r);
  return net;
}

/* GRID as TNTP: zones are nodes 1..ZONES (FIRST THRU NODE = ZONES + 1),
 * free-flow times in minutes, OD entries summed per pair, none to itself. */
static int write_grid(const char *dir, int side, int n_zones, double scale) {
  ThOdTable *od;
  ThNetwork *net = grid(side, n_zones, &od);
  g_mkdir_with_parents(dir, 0755);
  g_autofree char *np = g_strdup_printf("%s/Grid%d_net.tntp", dir, side);
  g_autofree char *tp = g_strdup_printf("%s/Grid%d_trips.tntp", dir, side);
  FILE *f = fopen(np, "w");
  if (!f) return 1;
  fprintf(f, "<NUMBER OF ZONES> %d\n<NUMBER OF NODES> %d\n<FIRST THRU NODE> %d\n"
          "<NUMBER OF LINKS> %d\n<ORIGINAL HEADER>~\n<END OF METADATA>\n\n\n"
          "~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;\n",
          net->n_zones, net->n_nodes, n_zones + 1, net->n_links);
  for (int a = 0; a < net->n_links; a++)
    fprintf(f, "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t0\t0\t1\t;\n",
            net->node_id[net->link_from[a]], net->node_id[net->link_to[a]], net->capacity_vph[a],
            net->length_m[a] / 1000.0, net->free_time_s[a] / 60.0, net->bpr_alpha[a], net->bpr_beta[a]);
  fclose(f);
  f = fopen(tp, "w");
  if (!f) return 1;
  double *sum = g_new0(double, (gsize)MAX(n_zones, 1)), total = 0;
  for (int i = 0; i < od->origin_start[n_zones]; i++) total += scale * od->trips[i];
  fprintf(f, "<NUMBER OF ZONES> %d\n<TOTAL OD FLOW> %.17g\n<END OF METADATA>\n\n\n", n_zones, total);
  for (int o = 0; o < n_zones; o++) {
    for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++)
      sum[od->dest[i]] += scale * od->trips[i];
    fprintf(f, "Origin %d\n", o + 1);
    for (int d = 0; d < n_zones; d++)
      if (sum[d] > 0 && d != o) fprintf(f, "%d : %.17g;\n", d + 1, sum[d]);
    memset(sum, 0, sizeof(double) * n_zones);
    fputc('\n', f);
  }
  fclose(f);
  g_free(sum);
  printf("%s: %d nodes, %d links, %d zones\n", np, net->n_nodes, net->n_links, net->n_zones);
  th_od_table_free(od);
  th_network_free(net);
  return 0;
}

static void run_child(const char *net_path, ThAssignAlgorithm alg, int threads, int fd) {
  Watch w = {g_get_monotonic_time(), -1, -1, 0, 1};
  ThNetwork *net;
  ThOdTable *od;
  if (net_path) {
    net = th_tntp_read_net(net_path, NULL);
    g_autofree char *tp = th_tntp_sibling(net_path, "trips");
    od = th_tntp_read_trips(tp, net, NULL);
  } else {
    net = grid(50, 1000, &od);
  }
  ThAssignClass c = {"car", 1.0, od, NULL, NULL};
  ThAssignParams p;
  th_assign_params_init(&p);
  p.algorithm = alg;
  p.gap = 1e-6;
  p.threads = threads;
  /* Frank-Wolfe and its conjugates never reach 1e-6 here: bound their work */
  p.max_iter = alg == TH_ASSIGN_B ? 500 : (net_path ? 2000 : 30);
  p.progress = on_iter;
  p.progress_data = &w;
  ThAssignResult *r = th_assign_run(net, &c, 1, &p, NULL);
  /* "to 1e-6" is the whole solve with --gap 1e-6 (the run stops at the
   * first iteration at or below it) */
  w.t6 = r->converged ? (g_get_monotonic_time() - w.start) / 1e6 : -1;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  char line[512];
  snprintf(line, sizeof line, "%d %d %d %.4f %.4f %d %.3e %ld\n", net->n_nodes, net->n_links,
           net->n_zones, w.t4, w.t6, w.iters, w.gap, ru.ru_maxrss);
  if (write(fd, line, strlen(line)) < 0) _exit(1);
  th_assign_result_free(r);
  th_od_table_free(od);
  th_network_free(net);
}

static char *find_tntp(const char *name) {
  const char *root = g_getenv("TH_SOURCE_ROOT");
  g_autofree char *file = g_strdup_printf("%s_net.tntp", name);
  char *a = g_build_filename(root ? root : ".", "tests", "data", "tntp", name, file, NULL);
  if (g_file_test(a, G_FILE_TEST_EXISTS)) return a;
  g_free(a);
  a = g_build_filename("..", "shared", "tntp", name, file, NULL);
  if (g_file_test(a, G_FILE_TEST_EXISTS)) return a;
  g_free(a);
  return g_build_filename("tests", "data", "tntp", name, file, NULL);
}

int main(int argc, char **argv) {
  int threads = 1;
  gboolean grid_only = FALSE, tntp_only = FALSE;
  int only = -1;
  if (argc == 6 && !strcmp(argv[1], "--write-grid"))
    return write_grid(argv[2], atoi(argv[3]), atoi(argv[4]), g_ascii_strtod(argv[5], NULL));
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--grid-only")) grid_only = TRUE;
    else if (!strcmp(argv[i], "--tntp-only")) tntp_only = TRUE;
    else if (!strcmp(argv[i], "--algorithm") && i + 1 < argc) {
      ThAssignAlgorithm a;
      if (th_assign_algorithm_from_name(argv[++i], &a)) only = (int)a;
    }
  }
  g_autofree char *sf = find_tntp("SiouxFalls"), *an = find_tntp("Anaheim");
  const char *nets[3] = {sf, an, NULL};
  const char *names[3] = {"SiouxFalls", "Anaheim", "grid 50x50"};
  printf("| network | nodes | links | zones | algorithm | s to 1e-4 | s to 1e-6 | iterations | final gap | peak MB |\n");
  printf("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
  fflush(stdout);
  for (int ni = 0; ni < 3; ni++) {
    if ((grid_only && ni < 2) || (tntp_only && ni == 2)) continue;
    for (int a = TH_ASSIGN_B; a >= TH_ASSIGN_FW; a--) {
      if (only >= 0 && a != only) continue;
      int fds[2];
      if (pipe(fds) != 0) return 1;
      pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        run_child(nets[ni], (ThAssignAlgorithm)a, threads, fds[1]);
        _exit(0);
      }
      close(fds[1]);
      char buf[512] = {0};
      ssize_t got = read(fds[0], buf, sizeof buf - 1);
      close(fds[0]);
      int status;
      waitpid(pid, &status, 0);
      int n, m, z, it;
      double t4, t6, gap;
      long rss;
      if (got <= 0 || sscanf(buf, "%d %d %d %lf %lf %d %lf %ld", &n, &m, &z, &t4, &t6, &it, &gap, &rss) != 8) {
        printf("| %s | | | | %s | failed | | | | |\n", names[ni], th_assign_algorithm_name(a));
        continue;
      }
      char s4[32], s6[32];
      if (t4 >= 0) snprintf(s4, sizeof s4, "%.3f", t4); else snprintf(s4, sizeof s4, "not reached");
      if (t6 >= 0) snprintf(s6, sizeof s6, "%.3f", t6); else snprintf(s6, sizeof s6, "not reached");
      printf("| %s | %d | %d | %d | %s | %s | %s | %d | %.1e | %.1f |\n", names[ni], n, m, z,
             th_assign_algorithm_name(a), s4, s6, it, gap, rss / 1024.0);
      fflush(stdout);
    }
  }
  return 0;
}

/* test_paths.c: Dijkstra (network/paths.h) against igraph's
 * igraph_distances_dijkstra, exactly, on random graphs of many shapes and on
 * the TNTP networks; no-through nodes, modes, targets, heaps, tree sums. */
#include "network/paths.h"
#include "network/tntp.h"
#include "tests/testutil.h"

#include <igraph.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* igraph graph of the links of NET usable by MODES with finite WEIGHT, with
 * the out-links of no-through nodes other than SOURCE removed (SOURCE < 0:
 * ignore no-through). */
static void igraph_of(const ThNetwork *net, const double *weight, uint32_t modes, int source,
                      igraph_t *g, igraph_vector_t *w) {
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 0);
  igraph_vector_init(w, 0);
  for (int e = 0; e < net->n_links; e++) {
    if (!(net->link_modes[e] & (modes | TH_MODE_CONNECTOR)) || !isfinite(weight[e])) continue;
    int a = net->link_from[e];
    if (source >= 0 && a != source && net->node_no_thru[a]) continue;
    igraph_vector_int_push_back(&edges, a);
    igraph_vector_int_push_back(&edges, net->link_to[e]);
    igraph_vector_push_back(w, weight[e]);
  }
  igraph_create(g, &edges, net->n_nodes, IGRAPH_DIRECTED);
  igraph_vector_int_destroy(&edges);
}

static void igraph_dist(const ThNetwork *net, const double *weight, uint32_t modes, int source,
                        double *out) {
  igraph_t g;
  igraph_vector_t w;
  igraph_matrix_t res;
  igraph_of(net, weight, modes, source, &g, &w);
  igraph_matrix_init(&res, 0, 0);
  g_assert_cmpint(igraph_distances_dijkstra(&g, &res, igraph_vss_1(source), igraph_vss_all(), &w,
                                            IGRAPH_OUT),
                  ==, IGRAPH_SUCCESS);
  for (int v = 0; v < net->n_nodes; v++) {
    double d = MATRIX(res, 0, v);
    out[v] = (d == IGRAPH_INFINITY) ? INFINITY : d;
  }
  igraph_matrix_destroy(&res);
  igraph_vector_destroy(&w);
  igraph_destroy(&g);
}

/* The predecessor tree must be a shortest-path tree: each pred link usable,
 * ending at v, leaving a node that may be passed through, and exact. */
static void check_tree(const ThNetwork *net, const ThShortestPaths *sp, int source,
                       const double *weight, uint32_t modes) {
  const double *d = th_sp_dist(sp);
  const int *p = th_sp_pred_link(sp);
  g_assert_cmpint(p[source], ==, -1);
  for (int v = 0; v < net->n_nodes; v++) {
    if (v == source) continue;
    if (!isfinite(d[v])) {
      g_assert_cmpint(p[v], ==, -1);
      continue;
    }
    int e = p[v];
    g_assert_cmpint(e, >=, 0);
    g_assert_cmpint(net->link_to[e], ==, v);
    g_assert_true(net->link_modes[e] & (modes | TH_MODE_CONNECTOR));
    int u = net->link_from[e];
    g_assert_true(u == source || !net->node_no_thru[u]);
    g_assert_cmpfloat(d[u] + weight[e], ==, d[v]);
  }
}

/* Compares every variant (baked graph, per-run weights, three heaps, tree
 * sums, early exit on targets) with igraph from every source in SOURCES. */
static void compare_all(const ThNetwork *net, const double *weight, uint32_t modes,
                        const int *sources, int n_sources) {
  int n = net->n_nodes;
  g_autofree double *ref = g_new(double, n);
  g_autofree double *acc = g_new(double, n);
  g_autofree int *pred0 = g_new(int, n);
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  g_autoptr(ThShortestPaths) sp2 = th_sp_new(net);
  g_autoptr(ThSpGraph) g = th_sp_graph_new(net, weight, modes);
  int targets[3] = {0, n / 2, n - 1};
  th_sp_set_targets(sp2, targets, 3);
  for (int s = 0; s < n_sources; s++) {
    int src = sources[s];
    igraph_dist(net, weight, modes, src, ref);
    for (int kind = TH_SP_HEAP_QUAD; kind <= TH_SP_HEAP_BUCKET; kind++) {
      th_sp_set_heap(sp, kind);
      for (int baked = 0; baked < 2; baked++) {
        if (baked) th_sp_run_graph(sp, g, src);
        else th_sp_run(sp, src, weight, modes);
        const double *d = th_sp_dist(sp);
        for (int v = 0; v < n; v++) {
          if (d[v] != ref[v])
            g_error("source %d node %d: taihang %.17g igraph %.17g (heap %d baked %d)", src, v,
                    d[v], ref[v], kind, baked);
        }
        check_tree(net, sp, src, weight, modes);
        /* the tree does not depend on the heap or the weight source */
        if (kind == 0 && baked == 0) memcpy(pred0, th_sp_pred_link(sp), n * sizeof(int));
        else g_assert_cmpmem(pred0, n * sizeof(int), th_sp_pred_link(sp), n * sizeof(int));
        /* summing the weights along the tree gives the distances exactly */
        for (int v = 0; v < n; v++) acc[v] = NAN;
        th_sp_accumulate(sp, weight, acc);
        int ns;
        th_sp_settled(sp, &ns);
        int reached = 0;
        for (int v = 0; v < n; v++) {
          if (isfinite(ref[v])) {
            reached++;
            g_assert_cmpfloat(acc[v], ==, ref[v]);
          } else {
            g_assert_true(isnan(acc[v]));
          }
        }
        g_assert_cmpint(ns, ==, reached);
        /* path sums give the same numbers, node by node */
        for (int v = 0; v < n; v += 1 + n / 40) {
          const double *vals[2] = {weight, weight};
          double sums[2] = {-1, -1};
          gboolean ok = th_sp_path_sums(sp, v, 2, vals, sums);
          g_assert_true(ok == isfinite(ref[v]));
          if (ok) g_assert_cmpfloat(sums[1], ==, ref[v]);
        }
      }
    }
    /* early exit: exact at the targets */
    th_sp_set_heap(sp2, src % 4);
    if (src % 2) th_sp_run_graph(sp2, g, src);
    else th_sp_run(sp2, src, weight, modes);
    for (int k = 0; k < 3; k++) g_assert_cmpfloat(th_sp_dist(sp2)[targets[k]], ==, ref[targets[k]]);
  }
}

/* ------------------------------------------------------- random graphs */

typedef enum { SHAPE_GRID, SHAPE_SPARSE, SHAPE_TREE, SHAPE_ISLANDS, SHAPE_DENSE, N_SHAPES } Shape;

static const char *shape_name[] = {"grid", "sparse", "tree", "islands", "dense"};

/* Random link with mixed modes; some parallel links. */
static void add(ThNetwork *net, GRand *r, int *next_id, int a, int b) {
  ThLinkSpec s = {0};
  s.id = (*next_id)++;
  s.from_id = a + 1;
  s.to_id = b + 1;
  double u = g_rand_double(r);
  s.modes = u < 0.7 ? TH_MODE_ROAD : u < 0.8 ? TH_MODE_CONNECTOR : u < 0.9 ? TH_MODE_RAIL
                                                                            : TH_MODE_ROAD | TH_MODE_BUS;
  s.free_speed_mps = 10;
  s.length_m = g_rand_int_range(r, 1, 2000);
  s.free_time_s = 1; /* the tests draw their own weights */
  s.capacity_vph = 1000;
  s.lanes = 1;
  g_assert_cmpint(th_network_add_link(net, &s), >=, 0);
  if (g_rand_double(r) < 0.05) { /* a parallel link */
    s.id = (*next_id)++;
    g_assert_cmpint(th_network_add_link(net, &s), >=, 0);
  }
}

static ThNetwork *random_network(GRand *r, Shape shape, int n) {
  ThNetwork *net = th_network_new();
  for (int v = 0; v < n; v++)
    th_network_add_node(net, v + 1, NULL, 112 + v * 1e-4, 35, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  int id = 1;
  switch (shape) {
  case SHAPE_GRID: {
    int w = (int)sqrt(n);
    for (int v = 0; v < n; v++) {
      if ((v + 1) % w && v + 1 < n) {
        add(net, r, &id, v, v + 1);
        if (g_rand_double(r) < 0.8) add(net, r, &id, v + 1, v);
      }
      if (v + w < n) {
        add(net, r, &id, v, v + w);
        if (g_rand_double(r) < 0.8) add(net, r, &id, v + w, v);
      }
    }
    break;
  }
  case SHAPE_SPARSE:
    for (int k = 0; k < 2 * n; k++)
      add(net, r, &id, g_rand_int_range(r, 0, n), g_rand_int_range(r, 0, n));
    break;
  case SHAPE_TREE: /* edges point away from the root, a few back edges */
    for (int v = 1; v < n; v++) {
      int p = g_rand_int_range(r, 0, v);
      add(net, r, &id, p, v);
      if (g_rand_double(r) < 0.2) add(net, r, &id, v, p);
    }
    break;
  case SHAPE_ISLANDS: /* three components, one reachable only one way */
    for (int k = 0; k < 3 * n; k++) {
      int c = g_rand_int_range(r, 0, 3);
      int lo = c * n / 3, hi = (c + 1) * n / 3;
      if (hi - lo < 1) continue;
      add(net, r, &id, g_rand_int_range(r, lo, hi), g_rand_int_range(r, lo, hi));
    }
    if (n >= 3) add(net, r, &id, 0, n / 3);
    break;
  case SHAPE_DENSE:
    for (int a = 0; a < n; a++)
      for (int b = 0; b < n; b++)
        if (g_rand_double(r) < 0.3) add(net, r, &id, a, b);
    break;
  default:
    g_assert_not_reached();
  }
  g_assert_true(th_network_finalize(net, NULL));
  return net;
}

static void test_random(void) {
  g_autoptr(GRand) r = g_rand_new_with_seed(20261128);
  int graphs = 0;
  for (int round = 0; round < 24; round++)
    for (int shape = 0; shape < N_SHAPES; shape++) {
      int n = shape == SHAPE_DENSE ? g_rand_int_range(r, 2, 30) : g_rand_int_range(r, 1, 300);
      g_autoptr(ThNetwork) net = random_network(r, shape, n);
      /* some centroids that must not be passed through */
      if (round % 2)
        for (int v = 0; v < n; v++) net->node_no_thru[v] = g_rand_double(r) < 0.15;
      int sources[5];
      for (int k = 0; k < 5; k++) sources[k] = g_rand_int_range(r, 0, n);
      uint32_t modes = round % 3 == 2 ? TH_MODE_RAIL : TH_MODE_ROAD;
      /* integer or dyadic (k/8) weights so that every sum is exact; some
       * zero weights, and closed (infinite) links in some rounds */
      g_autofree double *w = g_new(double, net->n_links + 1);
      for (int e = 0; e < net->n_links; e++) {
        double u = g_rand_double(r);
        w[e] = u < 0.1 ? 0 : u < 0.55 ? g_rand_int_range(r, 0, 50) : g_rand_int_range(r, 0, 400) / 8.0;
        if (round % 4 == 3 && g_rand_double(r) < 0.1) w[e] = INFINITY;
      }
      compare_all(net, w, modes, sources, 5);
      if (g_test_verbose())
        g_test_message("%s n=%d m=%d", shape_name[shape], net->n_nodes, net->n_links);
      graphs++;
    }
  g_assert_cmpint(graphs, >=, 100);
}

/* th_strong_components and th_reachable against igraph's strong components
 * and subcomponents on the random shapes (the partition must be the same:
 * two nodes share a taihang component exactly when they share igraph's), and
 * a hand case: 0 <-> 1 -> 2 <-> 3, 4 alone: components {0,1} {2,3} {4};
 * from 1 forward {0,1,2,3}, to 2 backward {0,1,2,3}, to 0 backward {0,1}. */
static void test_components(void) {
  g_autoptr(GRand) r = g_rand_new_with_seed(20261202);
  for (int round = 0; round < 20; round++)
    for (int shape = 0; shape < N_SHAPES; shape++) {
      int n = shape == SHAPE_DENSE ? g_rand_int_range(r, 2, 30) : g_rand_int_range(r, 1, 300);
      g_autoptr(ThNetwork) net = random_network(r, shape, n);
      uint32_t modes = (round % 2 ? TH_MODE_RAIL : TH_MODE_ROAD) | TH_MODE_CONNECTOR;
      g_autofree double *w = g_new(double, net->n_links + 1);
      for (int e = 0; e < net->n_links; e++) w[e] = 1;
      igraph_t g;
      igraph_vector_t iw;
      igraph_of(net, w, modes, -1, &g, &iw);
      igraph_vector_int_t memb;
      igraph_vector_int_init(&memb, 0);
      g_assert_cmpint(igraph_connected_components(&g, &memb, NULL, NULL, IGRAPH_STRONG), ==,
                      IGRAPH_SUCCESS);
      g_autofree int *comp = g_new(int, n + 1);
      int nc = th_strong_components(net, modes, comp);
      g_autofree int *map = g_new(int, nc + 1); /* taihang component -> igraph's */
      for (int c = 0; c < nc; c++) map[c] = -1;
      for (int v = 0; v < n; v++) {
        g_assert_true(comp[v] >= 0 && comp[v] < nc);
        if (map[comp[v]] < 0) map[comp[v]] = (int)VECTOR(memb)[v];
        g_assert_cmpint(map[comp[v]], ==, VECTOR(memb)[v]);
      }
      igraph_integer_t inc = 0;
      for (int v = 0; v < n; v++) inc = MAX(inc, VECTOR(memb)[v] + 1);
      g_assert_cmpint(nc, ==, inc);
      g_autofree guint8 *mark = g_new(guint8, n + 1);
      for (int dir = 0; dir < 2; dir++) {
        int src = g_rand_int_range(r, 0, n);
        igraph_vector_int_t sub;
        igraph_vector_int_init(&sub, 0);
        igraph_subcomponent(&g, &sub, src, dir ? IGRAPH_OUT : IGRAPH_IN);
        th_reachable(net, modes, src, dir, mark);
        int count = 0;
        for (int v = 0; v < n; v++) count += mark[v];
        g_assert_cmpint(count, ==, igraph_vector_int_size(&sub));
        for (igraph_integer_t i = 0; i < igraph_vector_int_size(&sub); i++)
          g_assert_cmpint(mark[VECTOR(sub)[i]], ==, 1);
        igraph_vector_int_destroy(&sub);
      }
      igraph_vector_int_destroy(&memb);
      igraph_vector_destroy(&iw);
      igraph_destroy(&g);
    }
  /* the hand case */
  g_autoptr(ThNetwork) net = th_network_new();
  for (int v = 0; v < 5; v++)
    th_network_add_node(net, v + 1, NULL, 0, 0, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  ThLinkSpec s = {.modes = TH_MODE_ROAD, .length_m = 1000, .free_speed_mps = 10,
                  .capacity_vph = 1000, .lanes = 1, .free_time_s = 1};
  const int ends[][2] = {{0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 2}};
  for (int k = 0; k < 5; k++) {
    s.id = k + 1, s.from_id = ends[k][0] + 1, s.to_id = ends[k][1] + 1;
    th_network_add_link(net, &s);
  }
  g_assert_true(th_network_finalize(net, NULL));
  int comp[5];
  g_assert_cmpint(th_strong_components(net, TH_MODE_ROAD, comp), ==, 3);
  g_assert_cmpint(comp[0], ==, comp[1]);
  g_assert_cmpint(comp[2], ==, comp[3]);
  g_assert_cmpint(comp[0], !=, comp[2]);
  g_assert_cmpint(comp[4], !=, comp[0]);
  g_assert_cmpint(comp[4], !=, comp[2]);
  /* rail: no link usable, every node its own component */
  g_assert_cmpint(th_strong_components(net, TH_MODE_RAIL, comp), ==, 5);
  guint8 mark[5];
  th_reachable(net, TH_MODE_ROAD, 1, TRUE, mark);
  g_assert_cmpmem(mark, 5, ((guint8[]){1, 1, 1, 1, 0}), 5);
  th_reachable(net, TH_MODE_ROAD, 2, FALSE, mark);
  g_assert_cmpmem(mark, 5, ((guint8[]){1, 1, 1, 1, 0}), 5);
  th_reachable(net, TH_MODE_ROAD, 0, FALSE, mark);
  g_assert_cmpmem(mark, 5, ((guint8[]){1, 1, 0, 0, 0}), 5);
}

/* The bucket queue (the default for baked graphs with weights > 0) against
 * the 4-ary heap and igraph on random shapes with positive weights: whole
 * numbers 1..20 (many exact ties, so the tree's tie rule is exercised),
 * tenths (sums that round), and a wide range (max/min near the limit of
 * the ring). Distances equal igraph's; the tree equals the heap's; the
 * settle list holds the same nodes, each after its predecessor's tail;
 * early exit is exact at the targets. */
static void test_bucket(void) {
  g_autoptr(GRand) r = g_rand_new_with_seed(20261202);
  int used = 0;
  for (int round = 0; round < 30; round++)
    for (int shape = 0; shape < N_SHAPES; shape++) {
      int n = shape == SHAPE_DENSE ? g_rand_int_range(r, 2, 30) : g_rand_int_range(r, 2, 400);
      g_autoptr(ThNetwork) net = random_network(r, shape, n);
      if (round % 2)
        for (int v = 0; v < n; v++) net->node_no_thru[v] = g_rand_double(r) < 0.1;
      g_autofree double *w = g_new(double, net->n_links + 1);
      for (int e = 0; e < net->n_links; e++)
        w[e] = round % 3 == 0   ? g_rand_int_range(r, 1, 21)
               : round % 3 == 1 ? g_rand_int_range(r, 1, 400) / 10.0
                                : 0.37 * g_rand_int_range(r, 1, 3000);
      g_autoptr(ThSpGraph) g = th_sp_graph_new(net, w, TH_MODE_ROAD);
      g_autoptr(ThShortestPaths) heap = th_sp_new(net);
      g_autoptr(ThShortestPaths) bq = th_sp_new(net); /* the default kind */
      th_sp_set_heap(heap, TH_SP_HEAP_QUAD);
      g_autofree double *ref = g_new(double, n);
      g_autofree int *pos = g_new(int, n);
      for (int k = 0; k < 4; k++) {
        int src = g_rand_int_range(r, 0, n);
        igraph_dist(net, w, TH_MODE_ROAD, src, ref);
        th_sp_run_graph(heap, g, src);
        gsize before = th_sp_bytes(bq);
        th_sp_run_graph(bq, g, src);
        if (th_sp_bytes(bq) > before) used++; /* the ring was allocated: buckets ran */
        for (int v = 0; v < n; v++) g_assert_cmpfloat(th_sp_dist(bq)[v], ==, ref[v]);
        g_assert_cmpmem(th_sp_pred_link(heap), n * sizeof(int), th_sp_pred_link(bq),
                        n * sizeof(int));
        int nh, nb;
        th_sp_settled(heap, &nh);
        const int *order = th_sp_settled(bq, &nb);
        g_assert_cmpint(nh, ==, nb);
        for (int v = 0; v < n; v++) pos[v] = -1;
        for (int i = 0; i < nb; i++) {
          g_assert_cmpint(pos[order[i]], ==, -1); /* once each */
          pos[order[i]] = i;
        }
        for (int i = 1; i < nb; i++) {
          int v = order[i], e = th_sp_pred_link(bq)[v];
          g_assert_cmpint(e, >=, 0);
          g_assert_cmpint(pos[net->link_from[e]], <, i);
        }
        g_autofree double *acc = g_new(double, n);
        th_sp_accumulate(bq, w, acc);
        for (int i = 0; i < nb; i++) g_assert_cmpfloat(acc[order[i]], ==, ref[order[i]]);
        /* early exit */
        int targets[2] = {g_rand_int_range(r, 0, n), g_rand_int_range(r, 0, n)};
        th_sp_set_targets(bq, targets, 2);
        th_sp_run_graph(bq, g, src);
        for (int t = 0; t < 2; t++) g_assert_cmpfloat(th_sp_dist(bq)[targets[t]], ==, ref[targets[t]]);
        th_sp_set_targets(bq, NULL, 0);
      }
    }
  g_assert_cmpint(used, >=, 100);
}

/* No-through nodes: compared with igraph on the graph where those nodes'
 * out-links are removed (igraph_of does so except for the source). Here a
 * line 0 -> 1 -> 2 with node 1 a centroid, and a slow bypass 0 -> 2. */
static void test_no_thru(void) {
  g_autoptr(ThNetwork) net = th_network_new();
  th_network_add_node(net, 1, NULL, 0, 0, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  th_network_add_node(net, 2, "c", 0, 0, TH_NODE_ZONE, 7, 0, 0, 0, 0);
  th_network_add_node(net, 3, NULL, 0, 0, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  ThLinkSpec s = {.modes = TH_MODE_ROAD, .length_m = 1000, .free_speed_mps = 10,
                  .capacity_vph = 1000, .lanes = 1};
  s.id = 1, s.from_id = 1, s.to_id = 2, s.free_time_s = 1;
  th_network_add_link(net, &s);
  s.id = 2, s.from_id = 2, s.to_id = 3, s.free_time_s = 1, s.modes = TH_MODE_CONNECTOR;
  th_network_add_link(net, &s);
  s.id = 3, s.from_id = 1, s.to_id = 3, s.free_time_s = 10, s.modes = TH_MODE_ROAD;
  th_network_add_link(net, &s);
  g_assert_true(th_network_finalize(net, NULL));
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  th_sp_run(sp, 0, net->free_time_s, TH_MODE_ROAD);
  g_assert_cmpfloat(th_sp_dist(sp)[2], ==, 10); /* not 2: node 2 is a centroid */
  g_assert_cmpint(th_sp_pred_link(sp)[2], ==, 2);
  th_sp_run(sp, 1, net->free_time_s, TH_MODE_ROAD); /* from the centroid itself */
  g_assert_cmpfloat(th_sp_dist(sp)[2], ==, 1);
  /* modes: rail sees only the connector */
  th_sp_run(sp, 0, net->free_time_s, TH_MODE_RAIL);
  g_assert_true(isinf(th_sp_dist(sp)[1]));
  th_sp_run(sp, 1, net->free_time_s, TH_MODE_RAIL);
  g_assert_cmpfloat(th_sp_dist(sp)[2], ==, 1);
  int all[3] = {0, 1, 2};
  compare_all(net, net->free_time_s, TH_MODE_ROAD, all, 3);
}

/* Ties: equal-length paths give the same tree whatever the heap, and the
 * documented rule: the predecessor settled first wins. */
static void test_ties(void) {
  g_autoptr(ThNetwork) net = th_network_new();
  for (int v = 1; v <= 4; v++)
    th_network_add_node(net, v, NULL, 0, 0, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  ThLinkSpec s = {.modes = TH_MODE_ROAD, .length_m = 1, .free_speed_mps = 1,
                  .capacity_vph = 1, .lanes = 1, .free_time_s = 1};
  int ends[][2] = {{1, 3}, {1, 2}, {3, 4}, {2, 4}};
  for (int k = 0; k < 4; k++) {
    s.id = 10 + k, s.from_id = ends[k][0], s.to_id = ends[k][1];
    th_network_add_link(net, &s);
  }
  g_assert_true(th_network_finalize(net, NULL));
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  for (int kind = 0; kind <= TH_SP_HEAP_RADIX; kind++) {
    th_sp_set_heap(sp, kind);
    th_sp_run(sp, 0, net->free_time_s, TH_MODE_ROAD);
    /* nodes 1 and 2 (ids 2, 3) both at 1; node 1 is settled first, so
     * node 3 (id 4) is reached through link id 13 (2 -> 4). */
    g_assert_cmpint(net->link_id[th_sp_pred_link(sp)[3]], ==, 13);
    int ns;
    const int *order = th_sp_settled(sp, &ns);
    g_assert_cmpint(ns, ==, 4);
    g_assert_cmpint(order[1], ==, 1);
    g_assert_cmpint(order[2], ==, 2);
  }
}

/* Many sources in parallel equal one at a time. */
static void test_many(void) {
  g_autoptr(GRand) r = g_rand_new_with_seed(7);
  g_autoptr(ThNetwork) net = random_network(r, SHAPE_GRID, 400);
  g_autoptr(ThSpGraph) g = th_sp_graph_new(net, net->free_time_s, TH_MODE_ROAD);
  int src[20], tgt[10];
  for (int i = 0; i < 20; i++) src[i] = g_rand_int_range(r, 0, 400);
  for (int j = 0; j < 10; j++) tgt[j] = g_rand_int_range(r, 0, 400);
  double a[200], b[200];
  th_sp_many(net, g, src, 20, tgt, 10, 1, a);
  th_sp_many(net, g, src, 20, tgt, 10, 2, b);
  g_assert_cmpmem(a, sizeof a, b, sizeof b);
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  for (int i = 0; i < 20; i++) {
    th_sp_run(sp, src[i], net->free_time_s, TH_MODE_ROAD);
    for (int j = 0; j < 10; j++) g_assert_cmpfloat(a[i * 10 + j], ==, th_sp_dist(sp)[tgt[j]]);
  }
  g_assert_cmpint(th_sp_graph_n_arcs(g), <=, net->n_links);
  g_assert_cmpuint(th_sp_graph_bytes(g), >, 0);
}

/* ---------------------------------------------------------------- TNTP */

static void tntp_case(const char *rel) {
  g_autofree char *path = th_test_src(rel);
  GError *error = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &error);
  if (!net) {
    g_test_skip_printf("TNTP reader not available yet: %s", error ? error->message : "?");
    g_clear_error(&error);
    return;
  }
  int *all = g_new(int, net->n_nodes);
  for (int v = 0; v < net->n_nodes; v++) all[v] = v;
  /* every zone as source, and a sample of other nodes */
  int n_src = net->n_nodes < 60 ? net->n_nodes : 60;
  for (int k = 0; k < n_src; k++) all[k] = (int)((gint64)k * net->n_nodes / n_src);
  compare_all(net, net->free_time_s, TH_MODE_ROAD, all, n_src);
  g_free(all);
}

static void test_sioux_falls(void) { tntp_case("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp"); }
static void test_anaheim(void) { tntp_case("tests/data/tntp/Anaheim/Anaheim_net.tntp"); }

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/paths/random-vs-igraph", test_random);
  g_test_add_func("/paths/components-vs-igraph", test_components);
  g_test_add_func("/paths/bucket-queue", test_bucket);
  g_test_add_func("/paths/no-thru", test_no_thru);
  g_test_add_func("/paths/ties", test_ties);
  g_test_add_func("/paths/many", test_many);
  g_test_add_func("/paths/tntp-sioux-falls", test_sioux_falls);
  g_test_add_func("/paths/tntp-anaheim", test_anaheim);
  return g_test_run();
}

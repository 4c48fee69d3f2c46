/* skim.c: travel-time tables between zones (see skim.h).
 *
 * Origins are processed in blocks: the block's searches run in parallel and
 * write into slots of their own, then the rows are handed to the caller in
 * order. Blocks bound the memory of rows waiting for their turn, so a
 * 10 000-zone table streams without holding 10^8 cells. */
#include "network/skim.h"

#include "network/paths.h"

#include <math.h>
#include <string.h>

void th_skim_params_init(ThSkimParams *p) {
  p->mode = TH_MODE_ROAD;
  p->metric = TH_SKIM_TIME;
  p->cost_per_km = TH_SKIM_DEFAULT_COST_PER_KM;
  p->n_threads = 1;
}

static const char *metric_names[] = {"time", "distance", "cost"};

gboolean th_skim_metric_from_name(const char *name, ThSkimMetric *out) {
  for (int k = 0; k < 3; k++)
    if (name && !strcmp(name, metric_names[k])) {
      *out = (ThSkimMetric)k;
      return TRUE;
    }
  return FALSE;
}

typedef struct {
  const ThNetwork *net;
  const ThSpGraph *graph;
  const double *time_s, *length_m, *cost; /* per link */
  const int *origins;                     /* zone indices of this block */
  double *out;                            /* block x 3 x n_zones */
} SkimJob;

static void skim_one(ThShortestPaths *sp, int i, gpointer user_data) {
  SkimJob *job = user_data;
  const ThNetwork *net = job->net;
  int nz = net->n_zones;
  /* stop each search once every zone is settled (set once per worker) */
  if (!th_sp_has_targets(sp)) th_sp_set_targets(sp, net->zone_node, nz);
  th_sp_run_graph(sp, job->graph, net->zone_node[job->origins[i]]);
  /* time, distance and cost of each zone's path: summed along the path
   * (zones are few; a pass over the whole tree would cost more on big
   * networks) from the origin outwards, so the sums are deterministic */
  const double *values[3] = {job->time_s, job->length_m, job->cost};
  double *row = job->out + (gsize)i * 3 * nz;
  for (int z = 0; z < nz; z++) {
    double sums[3];
    if (th_sp_path_sums(sp, net->zone_node[z], 3, values, sums)) {
      row[z] = sums[0] / 60.0;
      row[nz + z] = sums[1] / 1000.0;
      row[2 * nz + z] = sums[2];
    } else {
      row[z] = row[nz + z] = row[2 * nz + z] = NAN;
    }
  }
}

gboolean th_skim_run(const ThNetwork *net, const ThSkimParams *p, const int *origins,
                     int n_origins, ThSkimRowFunc func, gpointer user_data, GError **error) {
  int nz = net->n_zones;
  g_autofree int *all = NULL;
  if (!origins) {
    all = g_new(int, nz + 1);
    for (int z = 0; z < nz; z++) all[z] = z;
    origins = all;
    n_origins = nz;
  }
  if (n_origins <= 0 || nz <= 0) return TRUE;

  int m = net->n_links;
  g_autofree double *cost = g_new(double, m + 1);
  for (int e = 0; e < m; e++) cost[e] = net->toll[e] + p->cost_per_km * net->length_m[e] / 1000.0;
  const double *weight = p->metric == TH_SKIM_DISTANCE ? net->length_m
                         : p->metric == TH_SKIM_COST   ? cost
                                                       : net->free_time_s;
  g_autoptr(ThSpGraph) graph = th_sp_graph_new(net, weight, p->mode);

  int threads = p->n_threads > 1 ? p->n_threads : 1;
  int block = 32 * threads;
  if (block > n_origins) block = n_origins;
  g_autofree double *out = g_new(double, (gsize)block * 3 * nz);
  SkimJob job = {net, graph, net->free_time_s, net->length_m, cost, NULL, out};
  for (int b0 = 0; b0 < n_origins; b0 += block) {
    int nb = MIN(block, n_origins - b0);
    job.origins = origins + b0;
    th_sp_for_sources(net, nb, threads, skim_one, &job);
    for (int i = 0; i < nb; i++) {
      const double *row = out + (gsize)i * 3 * nz;
      ThSkimRow r = {origins[b0 + i], row, row + nz, row + 2 * nz};
      if (!func(net, &r, user_data, error)) return FALSE;
    }
  }
  return TRUE;
}

typedef struct {
  ThSkimTable *t;
  int next;
} TableFill;

static gboolean table_row(const ThNetwork *net, const ThSkimRow *row, gpointer user_data,
                          GError **error) {
  TableFill *f = user_data;
  gsize off = (gsize)f->next * f->t->n_zones, len = f->t->n_zones * sizeof(double);
  memcpy(f->t->time_min + off, row->time_min, len);
  memcpy(f->t->distance_km + off, row->distance_km, len);
  memcpy(f->t->cost + off, row->cost, len);
  f->next++;
  return TRUE;
}

ThSkimTable *th_skim_table_new(const ThNetwork *net, const ThSkimParams *p, const int *origins,
                               int n_origins) {
  ThSkimTable *t = g_new0(ThSkimTable, 1);
  t->n_zones = net->n_zones;
  t->n_origins = origins ? n_origins : net->n_zones;
  t->origins = g_new(int, t->n_origins + 1);
  for (int i = 0; i < t->n_origins; i++) t->origins[i] = origins ? origins[i] : i;
  gsize cells = (gsize)t->n_origins * t->n_zones + 1;
  t->time_min = g_new(double, cells);
  t->distance_km = g_new(double, cells);
  t->cost = g_new(double, cells);
  TableFill f = {t, 0};
  th_skim_run(net, p, t->origins, t->n_origins, table_row, &f, NULL);
  return t;
}

void th_skim_table_free(ThSkimTable *t) {
  if (!t) return;
  g_free(t->origins);
  g_free(t->time_min);
  g_free(t->distance_km);
  g_free(t->cost);
  g_free(t);
}

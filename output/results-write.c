/* results-write.c: the results folder (see results-write.h). */
#include "output/results-write.h"
#include "network/parallel.h"

#include <errno.h>
#include "network/csv.h"
#include "network/gmns.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/numfmt.h"
#include "sim/engine.h"
#include "sim/params.h"
#include "sim/sim.h"
#include "sim/simulate.h"
#include "sim/simulate.h"

#include <math.h>
#include <stdio.h>
#include <zlib.h>

/* Every id in the tables is as the planner wrote it: a text id stays text
 * (network.h, th_network_*_label); trips and od_times name a zone by its
 * zone id, else the node. */

static const char *mode_name(uint32_t m) {
  const char *s = m ? th_mode_name(m) : NULL;
  return s ? s : "";
}

/* A table being written: rows are built in a buffer with output/numfmt.h
 * (printf parsing its format was most of the write time) and handed to the
 * atomic stream in 64 KiB pieces. Each cell is followed by a comma; the
 * row's last one becomes the line break. */
typedef struct {
  ThAtomicFile *af;
  GString *b;
} Table;

static gboolean table_open(Table *t, const char *path, const char *header, GError **error) {
  t->af = th_atomic_open(path, error);
  if (!t->af) return FALSE;
  t->b = g_string_sized_new(65536 + 4096);
  g_string_append(t->b, header);
  return TRUE;
}

static void table_flush(Table *t) {
  fwrite(t->b->str, 1, t->b->len, th_atomic_stream(t->af)); /* errors surface at commit */
  g_string_truncate(t->b, 0);
}

static inline void cell_i(Table *t, int64_t v) {
  th_fmt_i64(t->b, v);
  g_string_append_c(t->b, ',');
}
/* a text id: quoted when it holds a comma, quote or line break */
static inline void cell_id(Table *t, const char *s) {
  th_csv_append_field(t->b, s);
  g_string_append_c(t->b, ',');
}
/* ids: the number (fast path) unless the network keeps a text id for it */
static inline void cell_node(Table *t, const ThNetwork *net, int v) {
  if (net->node_label && net->node_label[v]) cell_id(t, net->node_label[v]);
  else cell_i(t, net->node_id[v]);
}
static inline void cell_link(Table *t, const ThNetwork *net, int e) {
  if (net->link_label && net->link_label[e]) cell_id(t, net->link_label[e]);
  else cell_i(t, net->link_id[e]);
}
static inline void cell_zone(Table *t, const ThNetwork *net, int z) {
  char buf[24];
  if (net->zone_label) cell_id(t, th_network_zone_label(net, z, buf));
  else cell_i(t, net->zone_id[z]);
}
static inline void cell_place(Table *t, const ThNetwork *net, int node, int zone) {
  if (zone >= 0) cell_zone(t, net, zone);
  else cell_node(t, net, node);
}
static inline void cell_s(Table *t, const char *s) {
  g_string_append(t->b, s);
  g_string_append_c(t->b, ',');
}
/* the tables' number style (th_fmt_num: empty for NaN) */
static inline void cell_n(Table *t, double x, int decimals) {
  th_fmt_num(t->b, x, decimals);
  g_string_append_c(t->b, ',');
}
static inline void row_end(Table *t) {
  t->b->str[t->b->len - 1] = '\n';
  if (t->b->len >= 65536) table_flush(t);
}

static gboolean table_close(Table *t, GError **error) {
  table_flush(t);
  g_string_free(t->b, TRUE);
  return th_atomic_commit(t->af, error);
}

gboolean th_results_write_trips(const char *path, const ThRunResults *r, const ThNetwork *net,
                                const ThTrips *t, const ThClassTable *classes, GError **error) {
  gboolean mm = r->wait_s != NULL;
  Table T;
  /* depart_delay_s: the departure-queue wait, when the engine had them (sim/engine.h) */
  gboolean dd = r->depart_delay_s != NULL;
  /* purpose last, and only when the demand has purposes (sim/trips.h) */
  gboolean pur = th_trips_have_purpose(t);
  g_autofree char *header = g_strconcat(
      "id,class,mode,origin,destination,depart,arrive,travel_time_s,status",
      mm ? ",wait_s,transfers,gen_cost" : "", dd ? ",depart_delay_s" : "", pur ? ",purpose" : "",
      "\n", NULL);
  if (!table_open(&T, path, header, error)) return FALSE;
  for (int i = 0; i < t->n; i++) {
    cell_i(&T, t->id[i]);
    cell_s(&T, classes->cls[t->cls[i]].name);
    cell_s(&T, mode_name(r->mode[i]));
    cell_place(&T, net, t->origin[i], t->origin_zone[i]);
    cell_place(&T, net, t->destination[i], t->destination_zone[i]);
    cell_i(&T, r->depart_s[i]);
    if (r->arrive_s[i] >= 0) {
      cell_i(&T, r->arrive_s[i]);
      cell_i(&T, r->arrive_s[i] - r->depart_s[i]);
    } else {
      cell_s(&T, "");
      cell_s(&T, "");
    }
    cell_s(&T, th_trip_status_name(r->status[i]));
    if (mm) {
      cell_n(&T, r->wait_s[i], 1);
      cell_i(&T, r->transfers ? r->transfers[i] : 0);
      cell_n(&T, r->gen_cost[i], 2);
    }
    if (dd) {
      if (r->depart_delay_s[i] >= 0) cell_i(&T, r->depart_delay_s[i]);
      else cell_s(&T, "");
    }
    if (pur) cell_s(&T, th_trips_purpose(t, i));
    row_end(&T);
  }
  return table_close(&T, error);
}

gboolean th_results_write_link_flows(const char *path, const ThRunResults *r, const ThNetwork *net,
                                     const ThClassTable *classes, GError **error) {
  Table T;
  if (!table_open(&T, path,
                  "link_id,from_node_id,to_node_id,class,mode,vehicles,pcu,passengers,tonnes,"
                  "mean_travel_time_s,free_flow_time_s,capacity_vph\n",
                  error))
    return FALSE;
  for (guint k = 0; k < r->link_flows->len; k++) {
    const ThLinkFlow *x = &g_array_index(r->link_flows, ThLinkFlow, k);
    int l = x->link;
    cell_link(&T, net, l);
    cell_node(&T, net, net->link_from[l]);
    cell_node(&T, net, net->link_to[l]);
    cell_s(&T, classes->cls[x->cls].name);
    cell_s(&T, mode_name(x->mode));
    cell_n(&T, x->vehicles, 2);
    cell_n(&T, x->pcu, 2);
    cell_n(&T, x->passengers, 2);
    cell_n(&T, x->tonnes, 3);
    cell_n(&T, x->mean_travel_time_s, 2);
    cell_n(&T, th_engine_link_free_time_exact(net, l), 2);
    cell_n(&T, net->capacity_vph[l] > 0 ? net->capacity_vph[l] : NAN, 2);
    row_end(&T);
  }
  return table_close(&T, error);
}

gboolean th_results_write_link_bins(const char *path, const ThRunResults *r, const ThNetwork *net,
                                    const ThClassTable *classes, GError **error) {
  Table T;
  if (!table_open(&T, path, "link_id,class,bin_start_s,vehicles,mean_travel_time_s\n", error)) return FALSE;
  for (guint k = 0; k < r->link_bins->len; k++) {
    const ThLinkFlowBin *x = &g_array_index(r->link_bins, ThLinkFlowBin, k);
    cell_link(&T, net, x->link);
    cell_s(&T, classes->cls[x->cls].name);
    cell_i(&T, x->bin_start_s);
    cell_n(&T, x->vehicles, 2);
    cell_n(&T, x->mean_travel_time_s, 2);
    row_end(&T);
  }
  return table_close(&T, error);
}

gboolean th_results_write_od_times(const char *path, const ThRunResults *r, const ThNetwork *net,
                                   const ThTrips *t, const ThClassTable *classes, GError **error) {
  Table T;
  if (!table_open(&T, path,
                  "origin,destination,class,mode,period,trips,time_min,distance_km,cost,"
                  "trips_sample\n",
                  error))
    return FALSE;
  /* one rule (issue 12): trips expanded to the whole demand, the simulated
   * count in trips_sample */
  const double sf = r->sample_factor;
  const gboolean sampled = sf > 0 && sf < 1;
  g_autoptr(GArray) rows = th_run_results_od_times(r, t, net);
  for (guint k = 0; k < rows->len; k++) {
    const ThOdRow *x = &g_array_index(rows, ThOdRow, k);
    /* a zone id, else a node id (sim/results.h) */
    int zo = th_network_zone_index(net, x->origin), zd = th_network_zone_index(net, x->destination);
    cell_place(&T, net, zo >= 0 ? -1 : th_network_node_index(net, x->origin), zo);
    cell_place(&T, net, zd >= 0 ? -1 : th_network_node_index(net, x->destination), zd);
    cell_s(&T, classes->cls[x->cls].name);
    cell_s(&T, mode_name(x->mode));
    cell_s(&T, x->period);
    if (sampled)
      cell_n(&T, x->trips / sf, 3);
    else
      cell_i(&T, x->trips);
    cell_n(&T, x->time_min, 3);
    cell_n(&T, x->distance_km, 3);
    cell_n(&T, x->cost, 2);
    cell_i(&T, x->trips);
    row_end(&T);
  }
  return table_close(&T, error);
}

gboolean th_results_write_convergence(const char *path, const ThRunResults *r, GError **error) {
  g_autoptr(ThAtomicFile) af = th_atomic_open(path, error);
  if (!af) return FALSE;
  FILE *f = th_atomic_stream(af);
  fputs("iteration,relative_gap,switched_share,mean_travel_time_s,arrived,stuck,unserved,en_route,"
        "left_behind\n", f);
  for (guint k = 0; k < r->convergence->len; k++) {
    const ThIterStats *x = &g_array_index(r->convergence, ThIterStats, k);
    fprintf(f, "%d,%.6f,%.6f,%.2f,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
               ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\n",
            x->iteration, x->relative_gap, x->switched_share, x->mean_travel_time_s, x->arrived, x->stuck,
            x->unserved, x->en_route, x->left_behind);
  }
  return th_atomic_commit(g_steal_pointer(&af), error);
}

/* gzip through zlib's deflate into the atomic stream. */
typedef struct {
  z_stream z;
  FILE *f;
  unsigned char out[65536];
  gboolean ok;
} GzOut;

static void gz_put(GzOut *g, const void *data, size_t len, int flush) {
  g->z.next_in = (Bytef *)data;
  g->z.avail_in = (uInt)len;
  do {
    g->z.next_out = g->out;
    g->z.avail_out = sizeof g->out;
    deflate(&g->z, flush);
    size_t have = sizeof g->out - g->z.avail_out;
    if (have && fwrite(g->out, 1, have, g->f) != have) g->ok = FALSE;
  } while (g->z.avail_out == 0);
}

gboolean th_results_write_events(const char *path, const ThRunResults *r, const ThNetwork *net,
                                 const ThTrips *t, GError **error) {
  static const char *const kinds[] = {"depart", "enter", "leave", "arrive", "stuck"};
  g_autoptr(ThAtomicFile) af = th_atomic_open(path, error);
  if (!af) return FALSE;
  GzOut g = {.f = th_atomic_stream(af), .ok = TRUE};
  if (deflateInit2(&g.z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "%s: cannot start compression", path);
    return FALSE;
  }
  GString *s = g_string_new("time,event,trip_id,link_id\n");
  guint n = r->events ? r->events->len : 0;
  for (guint k = 0; k < n; k++) {
    const ThResultEvent *x = &g_array_index(r->events, ThResultEvent, k);
    g_string_append_printf(s, "%d,%s,%" G_GINT64_FORMAT ",", x->time, x->kind < 5 ? kinds[x->kind] : "other",
                           x->trip >= 0 && x->trip < t->n ? t->id[x->trip] : (int64_t)-1);
    char buf[24];
    if (x->link >= 0) th_csv_append_field(s, th_network_link_label(net, x->link, buf));
    g_string_append_c(s, '\n');
    if (s->len > 60000) {
      gz_put(&g, s->str, s->len, Z_NO_FLUSH);
      g_string_truncate(s, 0);
    }
  }
  gz_put(&g, s->str, s->len, Z_FINISH);
  g_string_free(s, TRUE);
  deflateEnd(&g.z);
  if (!g.ok) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: write failed", path);
    return FALSE;
  }
  return th_atomic_commit(g_steal_pointer(&af), error);
}

static gboolean write_run_ini(const char *path, const ThRunResults *r, const ThNetwork *net, const ThTrips *t,
                              const ThResultsWriteOptions *opt, GError **error) {
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_key_file_set_string(kf, "run", "taihang_version", th_version());
  g_key_file_set_string(kf, "run", "scenario", opt && opt->scenario ? opt->scenario : "");
  g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, r->seed);
  g_key_file_set_value(kf, "run", "seed", seed);
  g_key_file_set_integer(kf, "run", "iterations", r->iterations);
  g_autofree char *gap = g_strdup_printf("%.6f", r->relative_gap);
  g_key_file_set_value(kf, "run", "relative_gap", gap);
  g_autofree char *sf = g_strdup_printf("%g", r->sample_factor);
  g_key_file_set_value(kf, "run", "sample_factor", sf);
  g_key_file_set_integer(kf, "run", "horizon_s", r->horizon_s);
  g_key_file_set_integer(kf, "run", "bin_s", r->bin_s);
  g_autofree char *fp = th_network_fingerprint(net);
  g_key_file_set_string(kf, "run", "network_fingerprint", fp);
  g_key_file_set_integer(kf, "run", "trips", t->n);
  g_autofree char *a = g_strdup_printf("%" G_GINT64_FORMAT, r->arrived);
  g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, r->stuck);
  g_autofree char *u = g_strdup_printf("%" G_GINT64_FORMAT, r->unserved);
  g_autofree char *e = g_strdup_printf("%" G_GINT64_FORMAT, r->en_route);
  g_key_file_set_value(kf, "run", "arrived", a);
  g_key_file_set_value(kf, "run", "stuck", s);
  g_key_file_set_value(kf, "run", "unserved", u);
  g_key_file_set_value(kf, "run", "en_route", e);
  if (r->has_sim_rules) {
    /* the congestion rules and replanning method the run used, as their
     * rows of the parameter table read and write them (sim/params.h) */
    ThSimParams sp;
    th_sim_params_init(&sp);
    sp.rules = r->sim_rules;
    for (const ThParam *p = th_param_table; p->key; p++)
      if (th_sim_param_is_rule(p)) {
        g_autofree char *v = th_param_format(p, &sp);
        g_key_file_set_value(kf, p->section, p->key, v);
      }
  }
  gsize len;
  g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
  return th_atomic_write(path, data, len, error);
}

gboolean th_results_write_run_ini(const char *dir, const ThRunResults *r, const ThNetwork *net,
                                  const ThTrips *trips, const ThResultsWriteOptions *opt,
                                  GError **error) {
  g_autofree char *p = g_build_filename(dir, "run.ini", NULL);
  return write_run_ini(p, r, net, trips, opt, error);
}

/* One file of a results folder, written on a pool thread. */
typedef struct {
  int kind;
  const char *path;
  GError *error;
} WriteJob;

typedef struct {
  const ThRunResults *r;
  const ThNetwork *net;
  const ThTrips *t;
  const ThClassTable *classes;
  const ThResultsWriteOptions *opt;
} WriteCtx;

enum { W_NETWORK, W_TRIPS, W_FLOWS, W_BINS, W_OD, W_CONV, W_EVENTS, W_RUN };

static void write_job(gpointer data, gpointer user) {
  WriteJob *j = data;
  const WriteCtx *c = user;
  switch (j->kind) {
  case W_NETWORK: th_gmns_write(c->net, j->path, &j->error); break;
  case W_TRIPS: th_results_write_trips(j->path, c->r, c->net, c->t, c->classes, &j->error); break;
  case W_FLOWS: th_results_write_link_flows(j->path, c->r, c->net, c->classes, &j->error); break;
  case W_BINS: th_results_write_link_bins(j->path, c->r, c->net, c->classes, &j->error); break;
  case W_OD: th_results_write_od_times(j->path, c->r, c->net, c->t, c->classes, &j->error); break;
  case W_CONV: th_results_write_convergence(j->path, c->r, &j->error); break;
  case W_EVENTS: th_results_write_events(j->path, c->r, c->net, c->t, &j->error); break;
  case W_RUN: write_run_ini(j->path, c->r, c->net, c->t, c->opt, &j->error); break;
  }
}

typedef struct {
  const WriteCtx *ctx;
  WriteJob **todo;
} WriteAll;

static void write_one(int item, int worker, gpointer user) {
  (void)worker;
  const WriteAll *a = user;
  write_job(a->todo[item], (gpointer)a->ctx);
}

gboolean th_results_write(const char *dir, const ThRunResults *r, const ThNetwork *net, const ThTrips *t,
                          const ThClassTable *classes, const ThResultsWriteOptions *opt, GError **error) {
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    int why = errno;
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the results folder (%s)", dir,
                g_strerror(why));
    return FALSE;
  }
  g_autofree char *p_run = g_build_filename(dir, "run.ini", NULL);
  g_autofree char *p_net = g_build_filename(dir, "network", NULL);
  g_autofree char *p_trips = g_build_filename(dir, "trips_out.csv", NULL);
  g_autofree char *p_flows = g_build_filename(dir, "link_flows.csv", NULL);
  g_autofree char *p_bins = g_build_filename(dir, "link_flows_bins.csv", NULL);
  g_autofree char *p_od = g_build_filename(dir, "od_times.csv", NULL);
  g_autofree char *p_conv = g_build_filename(dir, "convergence.csv", NULL);
  g_autofree char *p_ev = g_build_filename(dir, "events.csv.gz", NULL);
  /* the files are independent: written side by side (each file's bytes do
   * not depend on it), largest first; run.ini, which says the folder is
   * complete, last and only when the others succeeded */
  WriteJob jobs[] = {{W_OD, p_od, NULL},       {W_TRIPS, p_trips, NULL}, {W_NETWORK, p_net, NULL},
                     {W_BINS, p_bins, NULL},   {W_FLOWS, p_flows, NULL}, {W_CONV, p_conv, NULL},
                     {W_EVENTS, p_ev, NULL}};
  WriteCtx ctx = {r, net, t, classes, opt};
  int n = 0;
  WriteJob *todo[G_N_ELEMENTS(jobs)];
  for (guint i = 0; i < G_N_ELEMENTS(jobs); i++) {
    if (jobs[i].kind == W_NETWORK && opt && opt->no_network) continue;
    if (jobs[i].kind == W_EVENTS && !(opt && opt->events && r->events)) continue;
    todo[n++] = &jobs[i];
  }
  WriteAll all = {&ctx, todo};
  th_parallel_for(n, MIN(th_threads_or_cores(0), 4), write_one, &all); /* network/parallel.h */
  gboolean ok = TRUE;
  for (int i = 0; i < n; i++) {
    if (todo[i]->error && ok) {
      g_propagate_error(error, todo[i]->error);
      todo[i]->error = NULL;
      ok = FALSE;
    }
    g_clear_error(&todo[i]->error);
  }
  if (!ok) return FALSE;
  if (opt && opt->no_run_ini) return TRUE;
  WriteJob run = {W_RUN, p_run, NULL};
  write_job(&run, &ctx);
  if (run.error) {
    g_propagate_error(error, run.error);
    return FALSE;
  }
  return TRUE;
}

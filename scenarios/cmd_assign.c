/* cmd_assign.c: `taihang assign NET`: static user-equilibrium assignment
 * (sim/assign.h) of a TNTP network with its trips file, or of a taihang
 * network with an OD table, for one or several vehicle classes. Writes link
 * flows (CSV or TNTP flow format), optionally a congested skim and the
 * convergence log. */
#include "network/csv.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "output/atomic.h"
#include "scenarios/cli.h"
#include "sim/assign.h"
#include "sim/classes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NAME "assign"

/* One class as the command sees it: parameters plus the data it owns. */
typedef struct {
  char *name;
  double pcu;
  double vot_per_h;   /* <= 0: tolls in the network's own cost units (TNTP TOLL FACTOR) */
  char *trips_path;   /* from the classes file, or NULL */
  guint8 *banned;
  double *fixed;
  ThOdTable *od;
  GArray *o, *d;      /* OD triples collected from CSV tables */
  GArray *t;
} CmdClass;

static void cmd_class_clear(CmdClass *c) {
  g_free(c->name);
  g_free(c->trips_path);
  g_free(c->banned);
  g_free(c->fixed);
  th_od_table_free(c->od);
  if (c->o) g_array_unref(c->o);
  if (c->d) g_array_unref(c->d);
  if (c->t) g_array_unref(c->t);
}

static CmdClass *class_add(GArray *classes, const char *name, double pcu, double vot) {
  CmdClass c = {g_strdup(name), pcu, vot, NULL, NULL, NULL, NULL,
                g_array_new(FALSE, FALSE, sizeof(int)), g_array_new(FALSE, FALSE, sizeof(int)),
                g_array_new(FALSE, FALSE, sizeof(double))};
  g_array_append_val(classes, c);
  return &g_array_index(classes, CmdClass, classes->len - 1);
}

static CmdClass *class_find(GArray *classes, const char *name) {
  for (guint i = 0; i < classes->len; i++)
    if (strcmp(g_array_index(classes, CmdClass, i).name, name) == 0)
      return &g_array_index(classes, CmdClass, i);
  return NULL;
}

/* Built-in classes (as in the brief's classes.csv defaults). */
/* The engine's built-in classes (sim/classes.h) give the pcu; a class's
 * value of time here is per vehicle, 30 yuan/h unless --classes says. */
static gboolean builtin_class(const char *name, double *pcu, double *vot) {
  g_autoptr(ThClassTable) t = th_class_table_new();
  int i = th_class_table_lookup(t, name);
  if (i < 0) return FALSE;
  *pcu = t->cls[i].pcu;
  *vot = 30.0;
  return TRUE;
}

/* classes file: class,pcu,vot_per_h,banned_links,trips */
static gboolean read_classes(const char *path, const ThNetwork *net, GArray *classes,
                             GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  int c_class = th_csv_require(csv, "class", error);
  if (c_class < 0) return FALSE;
  int c_pcu = th_csv_column(csv, "pcu"), c_vot = th_csv_column(csv, "vot_per_h");
  int c_ban = th_csv_column(csv, "banned_links"), c_trips = th_csv_column(csv, "trips");
  g_autofree char *dir = g_path_get_dirname(path);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int line = th_csv_line(csv);
    const char *name = th_csv_field(csv, c_class);
    if (!*name) {
      th_problems_add(problems, path, line, "empty class (a class name such as car or truck)");
      continue;
    }
    if (class_find(classes, name)) {
      th_problems_add(problems, path, line, "class '%s' appears twice (one row per class)", name);
      continue;
    }
    double pcu = 1, vot = 0;
    builtin_class(name, &pcu, &vot);
    if (c_vot < 0 && !builtin_class(name, &pcu, &vot)) vot = 0;
    GError *fe = NULL;
    if (!th_csv_double_or(csv, c_pcu, pcu, &pcu, &fe) || !(pcu > 0)) {
      th_problems_add(problems, path, line, "pcu '%s' is not a positive number (a pcu > 0, e.g. 2.5)",
                      th_csv_field(csv, c_pcu));
      g_clear_error(&fe);
      continue;
    }
    if (!th_csv_double_or(csv, c_vot, vot, &vot, &fe) || vot < 0) {
      th_problems_add(problems, path, line,
                      "vot_per_h '%s' is not a non-negative number (money per hour, e.g. 30)",
                      th_csv_field(csv, c_vot));
      g_clear_error(&fe);
      continue;
    }
    CmdClass *c = class_add(classes, name, pcu, vot);
    const char *tr = th_csv_field(csv, c_trips);
    if (*tr) c->trips_path = g_path_is_absolute(tr) ? g_strdup(tr) : g_build_filename(dir, tr, NULL);
    const char *ban = th_csv_field(csv, c_ban);
    if (*ban) {
      c->banned = g_new0(guint8, net->n_links + 1);
      g_auto(GStrv) ids = g_strsplit_set(ban, ";| ", -1);
      for (int i = 0; ids[i]; i++) {
        if (!*ids[i]) continue;
        int64_t id;
        int a;
        if (!th_parse_int64(ids[i], &id) || (a = th_network_link_index(net, id)) < 0) {
          th_problems_add(problems, path, line,
                          "banned link '%s' is not a link id of the network (link ids separated by ;)",
                          ids[i]);
          continue;
        }
        c->banned[a] = 1;
      }
    }
  }
  if (!e && classes->len == 0)
    th_problems_add(problems, path, 1, "no class (one row per class: class,pcu,vot_per_h,banned_links,trips)");
  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) return FALSE;
  return TRUE;
}

/* trips of OD rows from or to a zone cut off from the main component */
static double od_cut_off_trips = 0;

/* OD table CSV: origin,destination[,class],trips (or GMNS demand.csv:
 * o_zone_id,d_zone_id,volume). Rows of classes not yet
 * known create built-in classes (car, truck, ...), others are errors. When
 * ONLY is set, every row goes to it (a class's own trips file). */
static gboolean read_od_csv(const char *path, const ThNetwork *net, GArray *classes,
                            gboolean classes_fixed, CmdClass *only, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  /* GMNS demand.csv names the same columns o_zone_id, d_zone_id, volume */
  int co = th_csv_column(csv, "origin") >= 0 ? th_csv_column(csv, "origin") : th_csv_column(csv, "o_zone_id");
  int cd = th_csv_column(csv, "destination") >= 0 ? th_csv_column(csv, "destination")
                                                   : th_csv_column(csv, "d_zone_id");
  int ct = th_csv_column(csv, "trips") >= 0 ? th_csv_column(csv, "trips") : th_csv_column(csv, "volume");
  if (co < 0 && th_csv_require(csv, "origin", error) < 0) return FALSE;
  if (cd < 0 && th_csv_require(csv, "destination", error) < 0) return FALSE;
  if (ct < 0 && th_csv_require(csv, "trips", error) < 0) return FALSE;
  int cc = th_csv_column(csv, "class");
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int line = th_csv_line(csv);
    const char *os = th_csv_field(csv, co), *ds = th_csv_field(csv, cd);
    int o = th_network_zone_lookup(net, os), d = th_network_zone_lookup(net, ds);
    if (o < 0)
      th_problems_add(problems, path, line, "origin '%s' is not a zone (a zone id, node id or zone name)", os);
    if (d < 0)
      th_problems_add(problems, path, line,
                      "destination '%s' is not a zone (a zone id, node id or zone name)", ds);
    double t;
    GError *fe = NULL;
    if (!th_csv_double(csv, ct, &t, &fe) || t < 0) {
      th_problems_add(problems, path, line, "trips '%s' is not a number >= 0 (vehicles per period)",
                      th_csv_field(csv, ct));
      g_clear_error(&fe);
      continue;
    }
    CmdClass *c = only;
    if (!c) {
      const char *cn = cc >= 0 && *th_csv_field(csv, cc) ? th_csv_field(csv, cc) : "car";
      c = class_find(classes, cn);
      double pcu, vot;
      if (!c && !classes_fixed && builtin_class(cn, &pcu, &vot)) c = class_add(classes, cn, pcu, vot);
      if (!c) {
        g_autoptr(ThClassTable) builtins = th_class_table_new();
        g_autofree char *names = th_class_table_names(builtins);
        th_problems_add(problems, path, line, "class '%s' is unknown (%s, or a class of --classes)",
                        cn, names);
        continue;
      }
    }
    if (o < 0 || d < 0 || t == 0) continue;
    if (net->zone_cut_off && (net->zone_cut_off[o] || net->zone_cut_off[d])) {
      od_cut_off_trips += t; /* a zone cut off from the others: left out (load.h) */
      continue;
    }
    g_array_append_val(c->o, o);
    g_array_append_val(c->d, d);
    g_array_append_val(c->t, t);
  }
  return th_csv_read_end(e, problems, TH_ERROR_INVALID, error);
}

static gboolean read_trips_into(const char *path, const ThNetwork *net, GArray *classes,
                                gboolean classes_fixed, CmdClass *only, GError **error) {
  if (g_str_has_suffix(path, ".tntp")) {
    CmdClass *c = only;
    if (!c) {
      c = classes->len ? &g_array_index(classes, CmdClass, 0) : class_add(classes, "car", 1.0, 0.0);
    }
    ThOdTable *od = th_tntp_read_trips(path, net, error);
    if (!od) return FALSE;
    for (int o = 0; o < od->n_zones; o++)
      for (int i = od->origin_start[o]; i < od->origin_start[o + 1]; i++) {
        g_array_append_val(c->o, o);
        g_array_append_val(c->d, od->dest[i]);
        g_array_append_val(c->t, od->trips[i]);
      }
    th_od_table_free(od);
    return TRUE;
  }
  return read_od_csv(path, net, classes, classes_fixed, only, error);
}

/* ------------------------------------------------------------ writers */

static gboolean write_flows_csv(const char *path, const ThNetwork *net, GArray *classes,
                                const ThAssignResult *r, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *fp = th_atomic_stream(f);
  int m = net->n_links, K = (int)classes->len;
  fputs("link_id,from,to,class,volume,pcu,time_min,cost\n", fp);
  for (int a = 0; a < m; a++) {
    /* ids as the network's files wrote them (text ids of GMNS, quoted if need be) */
    char ib[32], fb[32], tb[32];
    g_autoptr(GString) ends = g_string_new(NULL);
    th_csv_append_field(ends, th_network_link_label(net, a, ib));
    g_string_append_c(ends, ',');
    th_csv_append_field(ends, th_network_node_label(net, net->link_from[a], fb));
    g_string_append_c(ends, ',');
    th_csv_append_field(ends, th_network_node_label(net, net->link_to[a], tb));
    double tot = 0;
    for (int k = 0; k < K; k++) {
      const CmdClass *c = &g_array_index(classes, CmdClass, k);
      double x = r->volume[(gsize)k * m + a];
      tot += x;
      fprintf(fp, "%s,%s,%.10g,%.10g,%.10g,%.10g\n", ends->str, c->name, x, x * c->pcu,
              r->time_min[a], r->cost_min[(gsize)k * m + a]);
    }
    fprintf(fp, "%s,total,%.10g,%.10g,%.10g,%.10g\n", ends->str, tot, r->pcu[a], r->time_min[a],
            r->time_min[a]);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

static gboolean write_flows_tntp(const char *path, const ThNetwork *net, GArray *classes,
                                 const ThAssignResult *r, GError **error) {
  int m = net->n_links, K = (int)classes->len;
  g_autofree double *vol = g_new0(double, m + 1);
  for (int k = 0; k < K; k++)
    for (int a = 0; a < m; a++) vol[a] += r->volume[(gsize)k * m + a];
  /* with one class the cost is its generalized cost (TNTP's toll and
   * distance factors included), else the travel time */
  const double *cost = K == 1 ? r->cost_min : r->time_min;
  gsize len;
  g_autofree char *text = th_tntp_format_flow(net, vol, cost, &len);
  return th_atomic_write(path, text, len, error);
}

static gboolean write_skim(const char *path, const ThNetwork *net, GArray *classes,
                           const ThAssignClass *ac, const ThAssignResult *r, int threads,
                           GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *fp = th_atomic_stream(f);
  fputs("origin,destination,mode,time_min,distance_km,cost\n", fp);
  int z = net->n_zones;
  for (guint k = 0; k < classes->len; k++) {
    double *T, *D, *C;
    th_assign_skim(net, &ac[k], r, (int)k, threads, &T, &D, &C);
    for (int o = 0; o < z; o++)
      for (int d = 0; d < z; d++) {
        gsize i = (gsize)o * z + d;
        if (o == d || isnan(T[i])) continue;
        char ob[32], db[32];
        th_csv_write_field(fp, th_network_zone_label(net, o, ob));
        fputc(',', fp);
        th_csv_write_field(fp, th_network_zone_label(net, d, db));
        fprintf(fp, ",%s,%.6f,%.6f,%.4f\n", g_array_index(classes, CmdClass, k).name, T[i], D[i],
                C[i]);
      }
    g_free(T);
    g_free(D);
    g_free(C);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

/* ------------------------------------------------------------ progress */

typedef struct {
  gboolean tty;
  GString *log;
} Progress;

static void on_iter(const ThAssignIter *it, gpointer data) {
  Progress *p = data;
  if (p->log) {
    g_string_append_printf(p->log, "%d,%.6e,%.10g,%.10g,%.3f,%.6e,", it->iteration, it->relative_gap,
                           it->tstt, it->beckmann, it->elapsed_s, it->aec_min);
    /* empty where not computed (Frank-Wolfe, B before the gap is reached) */
    if (isnan(it->max_excess)) g_string_append_c(p->log, '\n');
    else g_string_append_printf(p->log, "%.6e\n", it->max_excess);
  }
  if (p->tty)
    fprintf(stderr, "\rtaihang assign: iteration %d  relative gap %.3e  TSTT %.10g  %.2f s   ",
            it->iteration, it->relative_gap, it->tstt, it->elapsed_s);
}

/* ------------------------------------------------------------ command */

int th_cmd_assign(int argc, char **argv) {
  g_autofree char *trips = NULL, *algo = NULL, *flows = NULL, *skim = NULL, *logf = NULL,
                  *classes_path = NULL;
  double gap = 1e-6, max_excess = 0;
  int max_iter = 1000, threads = 0;
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
      {"trips", 0, 0, G_OPTION_ARG_FILENAME, &trips,
       "OD table: TNTP *_trips.tntp or CSV origin,destination,class,trips or GMNS "
       "o_zone_id,d_zone_id,volume (default: the _trips file beside a TNTP net; a folder's "
       "demand.csv)", "FILE"},
      {"algorithm", 'a', 0, G_OPTION_ARG_STRING, &algo,
       "fw, cfw, bfw or b (Algorithm B, default)", "NAME"},
      {"gap", 'g', 0, G_OPTION_ARG_DOUBLE, &gap, "stop at this relative gap (default 1e-6)", "GAP"},
      {"max-excess", 0, 0, G_OPTION_ARG_DOUBLE, &max_excess,
       "b: also stop only when every OD pair's used paths are within this relative excess of "
       "the shortest path (e.g. 1e-9; default: the gap alone)", "E"},
      {"max-iter", 'n', 0, G_OPTION_ARG_INT, &max_iter, "stop after N iterations (default 1000)", "N"},
      {"flows", 'o', 0, G_OPTION_ARG_FILENAME, &flows,
       "link flows: CSV, or TNTP flow format when FILE ends in .tntp", "FILE"},
      {"skim", 0, 0, G_OPTION_ARG_FILENAME, &skim,
       "congested travel-time table origin,destination,mode,time_min,distance_km,cost", "FILE"},
      {"threads", 't', 0, G_OPTION_ARG_INT, &threads, "worker threads (default: all cores)", "N"},
      {"log", 0, 0, G_OPTION_ARG_FILENAME, &logf,
       "convergence log CSV iteration,relative_gap,tstt,beckmann,elapsed_s,aec_min,max_excess", "FILE"},
      {"classes", 0, 0, G_OPTION_ARG_FILENAME, &classes_path,
       "vehicle classes CSV class,pcu,vot_per_h,banned_links,trips", "FILE"},
      {"strict", 0, 0, G_OPTION_ARG_NONE, &strict,
       "refuse a network with a zone cut off from the others (default: leave its trips out)", NULL},
      {NULL}};
  if (!th_cli_parse(NAME, "NET",
                    "Static user-equilibrium assignment with BPR link costs. NET is a TNTP\n"
                    "*_net.tntp file (trips beside it) or a taihang network folder with --trips.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage(NAME, "expected one network (a *_net.tntp file or a folder)");
  ThAssignParams params;
  th_assign_params_init(&params);
  if (algo && !th_assign_algorithm_from_name(algo, &params.algorithm))
    return th_cli_usage(NAME, "unknown algorithm '%s' (fw, cfw, bfw or b)", algo);
  if (!(gap >= 0)) return th_cli_usage(NAME, "--gap %g is negative (a relative gap >= 0)", gap);
  if (max_iter < 0) return th_cli_usage(NAME, "--max-iter %d is negative", max_iter);
  if (!(max_excess >= 0))
    return th_cli_usage(NAME, "--max-excess %g is negative (a relative excess >= 0; 0: gap alone)",
                        max_excess);
  if (max_excess > 0 && params.algorithm != TH_ASSIGN_B)
    return th_cli_usage(NAME, "--max-excess needs --algorithm b (Frank-Wolfe keeps no paths)");
  params.gap = gap;
  params.max_excess = max_excess;
  params.report_excess = logf != NULL; /* the log has both measures every iteration */
  params.max_iter = max_iter;
  params.threads = th_cli_threads(threads);

  const char *net_path = argv[1];
  g_autoptr(GError) error = NULL;
  gboolean tntp = g_str_has_suffix(net_path, ".tntp");
  g_autoptr(ThNetwork) net = tntp ? th_tntp_read_net(net_path, &error)
                                  : th_network_load_opt(net_path, strict, NULL, &error);
  if (!net) return th_cli_fail(NAME, error);
  if (!trips && tntp) trips = th_tntp_sibling(net_path, "trips");
  g_autofree char *folder_demand = g_file_test(net_path, G_FILE_TEST_IS_DIR)
                                       ? g_build_filename(net_path, "demand.csv", NULL)
                                       : NULL;
  if (!trips && !classes_path && folder_demand && g_file_test(folder_demand, G_FILE_TEST_EXISTS))
    trips = g_strdup(folder_demand); /* GMNS: the folder's demand.csv is the default demand */

  g_autoptr(GArray) classes = g_array_new(FALSE, TRUE, sizeof(CmdClass));
  g_array_set_clear_func(classes, (GDestroyNotify)cmd_class_clear);
  if (classes_path && !read_classes(classes_path, net, classes, &error)) return th_cli_fail(NAME, error);
  gboolean any_own = FALSE;
  for (guint k = 0; k < classes->len; k++) {
    CmdClass *c = &g_array_index(classes, CmdClass, k);
    if (!c->trips_path) continue;
    any_own = TRUE;
    if (!read_trips_into(c->trips_path, net, classes, TRUE, c, &error)) return th_cli_fail(NAME, error);
  }
  if (trips) {
    if (!read_trips_into(trips, net, classes, classes_path != NULL, NULL, &error))
      return th_cli_fail(NAME, error);
  } else if (!any_own) {
    return th_cli_usage(NAME, "no trips: give --trips FILE (an OD table) or trips in --classes");
  }
  if (od_cut_off_trips > 0)
    fprintf(stderr,
            "taihang assign: warning: %.10g trips from or to zones cut off from the others were "
            "left out (taihang check NET names the zones; --strict refuses such a network)\n",
            od_cut_off_trips);
  if (classes->len == 0) class_add(classes, "car", 1.0, 0.0);
  /* a TNTP network prices tolls with its own TOLL FACTOR: built-in values
   * of time apply to taihang networks only */
  if (tntp && !classes_path)
    for (guint k = 0; k < classes->len; k++) g_array_index(classes, CmdClass, k).vot_per_h = 0;

  int K = (int)classes->len, m = net->n_links;
  g_autofree ThAssignClass *ac = g_new0(ThAssignClass, K);
  g_autofree double *tntp_fixed = th_assign_tntp_fixed_cost(net);
  for (int k = 0; k < K; k++) {
    CmdClass *c = &g_array_index(classes, CmdClass, k);
    c->od = th_od_table_new(net->n_zones, (int)c->o->len, (int *)c->o->data, (int *)c->d->data,
                            (double *)c->t->data);
    /* fixed cost in minutes: TNTP files price tolls and distance with
     * their metadata's factors; a class with a value of time converts its
     * tolls (money) to minutes with it */
    gboolean any = tntp_fixed != NULL;
    for (int a = 0; a < m && !any; a++) any = net->toll[a] != 0;
    if (any) {
      c->fixed = g_new0(double, m + 1);
      for (int a = 0; a < m; a++) {
        if (c->vot_per_h > 0) {
          double len = net->tntp_length ? net->tntp_length[a] : net->length_m[a] / 1000.0;
          c->fixed[a] = net->toll[a] * 60.0 / c->vot_per_h + net->tntp_distance_factor * len;
        } else if (tntp_fixed) {
          c->fixed[a] = tntp_fixed[a];
        }
      }
    }
    ac[k] = (ThAssignClass){c->name, c->pcu, c->od, c->banned, c->fixed};
  }

  Progress prog = {isatty(2), logf ? g_string_new("iteration,relative_gap,tstt,beckmann,elapsed_s,aec_min,max_excess\n") : NULL};
  params.progress = on_iter;
  params.progress_data = &prog;
  g_autoptr(ThAssignResult) r = th_assign_run(net, ac, K, &params, &error);
  if (prog.tty) fputc('\n', stderr);
  if (!r) {
    if (prog.log) g_string_free(prog.log, TRUE);
    return th_cli_fail(NAME, error);
  }
  gboolean ok = TRUE;
  if (flows)
    ok = g_str_has_suffix(flows, ".tntp") ? write_flows_tntp(flows, net, classes, r, &error)
                                          : write_flows_csv(flows, net, classes, r, &error);
  if (ok && skim) ok = write_skim(skim, net, classes, ac, r, params.threads, &error);
  if (ok && prog.log) ok = th_atomic_write(logf, prog.log->str, prog.log->len, &error);
  if (prog.log) g_string_free(prog.log, TRUE);
  if (!ok) return th_cli_fail(NAME, error);
  printf("algorithm %s, iterations %d, relative gap %.3e, TSTT %.10g, Beckmann %.10g\n",
         th_assign_algorithm_name(params.algorithm), r->iterations, r->relative_gap, r->tstt,
         r->beckmann);
  if (r->unassigned > 0)
    fprintf(stderr, "taihang assign: %.10g trips have no path and were not assigned\n", r->unassigned);
  if (!r->converged)
    fprintf(stderr, "taihang assign: stopped at relative gap %.3e after %d iterations (--gap %g%s not reached)\n",
            r->relative_gap, r->iterations, gap, max_excess > 0 ? " with --max-excess" : "");
  return TH_EXIT_OK;
}

/* cmd_assign.c: `taihang assign NET`: static user-equilibrium assignment
 * (sim/assign.h) of a TNTP network with its trips file, or of a taihang
 * network with an OD table, for one or several vehicle classes. Writes link
 * flows (CSV or TNTP flow format), optionally a congested skim and the
 * convergence log. */
#include "network/csv.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "network/atomic.h"
#include "scenarios/cli.h"
#include "sim/assign.h"
#include "sim/classes.h"
#include "sim/assign-input.h"
#include "output/assign-write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NAME "assign"

/* ------------------------------------------------------------ progress */

typedef struct {
  gboolean tty;
  GString *log;
} Progress;

static void on_iter(const ThAssignIter *it, gpointer data) {
  Progress *p = data;
  if (p->log) {
    g_string_append_printf(p->log, "%d,%.6e,%.10g,%.10g,%.3f,%.6e,", it->iteration,
                           it->relative_gap, it->tstt, it->beckmann, it->elapsed_s, it->aec_min);
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
       "demand.csv)",
       "FILE"},
      {"algorithm", 'a', 0, G_OPTION_ARG_STRING, &algo, "fw, cfw, bfw or b (Algorithm B, default)",
       "NAME"},
      {"gap", 'g', 0, G_OPTION_ARG_DOUBLE, &gap, "stop at this relative gap (default 1e-6)", "GAP"},
      {"max-excess", 0, 0, G_OPTION_ARG_DOUBLE, &max_excess,
       "b: also stop only when every OD pair's used paths are within this relative excess of "
       "the shortest path (e.g. 1e-9; default: the gap alone)",
       "E"},
      {"max-iter", 'n', 0, G_OPTION_ARG_INT, &max_iter, "stop after N iterations (default 1000)",
       "N"},
      {"flows", 'o', 0, G_OPTION_ARG_FILENAME, &flows,
       "link flows: CSV, or TNTP flow format when FILE ends in .tntp", "FILE"},
      {"skim", 0, 0, G_OPTION_ARG_FILENAME, &skim,
       "congested travel-time table origin,destination,mode,time_min,distance_km,cost", "FILE"},
      {"threads", 't', 0, G_OPTION_ARG_INT, &threads, "worker threads (default: all cores)", "N"},
      {"log", 0, 0, G_OPTION_ARG_FILENAME, &logf,
       "convergence log CSV iteration,relative_gap,tstt,beckmann,elapsed_s,aec_min,max_excess",
       "FILE"},
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

  g_autoptr(GArray) classes = g_array_new(FALSE, TRUE, sizeof(ThAssignInputClass));
  g_array_set_clear_func(classes, (GDestroyNotify)th_assign_input_class_clear);
  if (!th_assign_input_load(net, tntp, trips, classes_path, classes, &error))
    return th_cli_fail(NAME, error);
  if (!trips && !th_assign_input_has_class_trips(classes))
    return th_cli_usage(NAME, "no trips: give --trips FILE (an OD table) or trips in --classes");
  if (th_assign_input_cut_off_trips > 0)
    fprintf(stderr,
            "taihang assign: warning: %.10g trips from or to zones cut off from the others were "
            "left out (taihang check NET names the zones; --strict refuses such a network)\n",
            th_assign_input_cut_off_trips);
  int K = (int)classes->len;
  g_autofree ThAssignClass *ac = g_new0(ThAssignClass, K);
  th_assign_input_prepare(net, classes, ac);

  Progress prog = {
      isatty(2),
      logf ? g_string_new("iteration,relative_gap,tstt,beckmann,elapsed_s,aec_min,max_excess\n")
           : NULL};
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
    ok = g_str_has_suffix(flows, ".tntp")
             ? th_assign_write_flows_tntp(flows, net, classes, r, &error)
             : th_assign_write_flows_csv(flows, net, classes, r, &error);
  if (ok && skim) ok = th_assign_write_skim(skim, net, classes, ac, r, params.threads, &error);
  if (ok && prog.log) ok = th_atomic_write(logf, prog.log->str, prog.log->len, &error);
  if (prog.log) g_string_free(prog.log, TRUE);
  if (!ok) return th_cli_fail(NAME, error);
  printf("algorithm %s, iterations %d, relative gap %.3e, TSTT %.10g, Beckmann %.10g\n",
         th_assign_algorithm_name(params.algorithm), r->iterations, r->relative_gap, r->tstt,
         r->beckmann);
  if (r->unassigned > 0)
    fprintf(stderr, "taihang assign: %.10g trips have no path and were not assigned\n",
            r->unassigned);
  if (!r->converged)
    fprintf(stderr,
            "taihang assign: stopped at relative gap %.3e after %d iterations (--gap %g%s not "
            "reached)\n",
            r->relative_gap, r->iterations, gap, max_excess > 0 ? " with --max-excess" : "");
  return TH_EXIT_OK;
}

/* cmd_skim.c: `taihang skim NET --mode road --out FILE.csv`: a travel-time
 * table between zones from free-flow shortest paths (see network/skim.h and
 * output/skim-write.h for the computation and the format). */
#include "network/load.h"
#include "network/skim.h"
#include "network/th-error.h"
#include "output/skim-write.h"
#include "scenarios/cli.h"

#include <stdio.h>
#include <string.h>

#define NAME "skim"

/* Zone indices named in LIST ("1,2;晋城"), every unknown name reported. */
static int *parse_from(const ThNetwork *net, const char *list, int *n, GError **error) {
  g_auto(GStrv) parts = g_strsplit_set(list, ",;", -1);
  g_autoptr(GArray) zones = g_array_new(FALSE, FALSE, sizeof(int));
  g_autoptr(GString) bad = g_string_new(NULL);
  for (int i = 0; parts[i]; i++) {
    g_strstrip(parts[i]);
    if (!*parts[i]) continue;
    int z = th_network_zone_lookup(net, parts[i]);
    if (z < 0) {
      g_string_append_printf(
          bad, "%s--from: unknown zone '%s' (expected a zone id, node id or zone name)",
          bad->len ? "\n" : "", parts[i]);
      continue;
    }
    g_array_append_val(zones, z);
  }
  if (bad->len) {
    g_set_error_literal(error, TH_ERROR, TH_ERROR_INVALID, bad->str);
    return NULL;
  }
  if (zones->len == 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "--from: no zone given (expected a list like 1,2,3)");
    return NULL;
  }
  *n = zones->len;
  return (int *)g_array_free(g_steal_pointer(&zones), FALSE);
}

int th_cmd_skim(int argc, char **argv) {
  g_autofree char *mode_name = NULL, *out = NULL, *from = NULL, *metric_name = NULL;
  int threads = 0;
  double cost_per_km = TH_SKIM_DEFAULT_COST_PER_KM;
  GOptionEntry entries[] = {
      {"mode", 'm', 0, G_OPTION_ARG_STRING, &mode_name,
       "mode whose links are used: road, rail, hsr, intercity, bus, walk (default road)", "MODE"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "CSV file to write (required)", "FILE.csv"},
      {"threads", 't', 0, G_OPTION_ARG_INT, &threads, "worker threads (default: all cores)", "N"},
      {"from", 0, 0, G_OPTION_ARG_STRING, &from,
       "origin zones only (ids or names, separated by , or ;)", "LIST"},
      {"metric", 0, 0, G_OPTION_ARG_STRING, &metric_name,
       "what the paths minimize: time (default), distance or cost", "time|distance|cost"},
      {"cost-per-km", 0, 0, G_OPTION_ARG_DOUBLE, &cost_per_km,
       "operating cost in yuan per vehicle-km added to tolls (default 0.8)", "YUAN"},
      {NULL}};
  if (!th_cli_parse(NAME, "NET --out FILE.csv",
                    "Writes a travel-time table origin,destination,mode,time_min,distance_km,cost\n"
                    "between zones from free-flow shortest paths. NET is a GMNS folder or a\n"
                    "TNTP *_net.tntp file. Unreachable pairs are omitted.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage(NAME, "expected one network (a GMNS folder or a .tntp file)");
  if (!out) return th_cli_usage(NAME, "--out FILE.csv is required");
  ThSkimParams p;
  th_skim_params_init(&p);
  if (mode_name) {
    p.mode = th_mode_from_name(mode_name);
    if (!p.mode || p.mode == TH_MODE_CONNECTOR)
      return th_cli_usage(
          NAME, "unknown mode '%s' (expected road, rail, hsr, intercity, bus or walk)", mode_name);
  }
  if (metric_name && !th_skim_metric_from_name(metric_name, &p.metric))
    return th_cli_usage(NAME, "unknown metric '%s' (expected time, distance or cost)", metric_name);
  if (!(cost_per_km >= 0))
    return th_cli_usage(NAME, "--cost-per-km must be >= 0 (got %g)", cost_per_km);
  if (threads < 0) return th_cli_usage(NAME, "--threads must be >= 1 (got %d)", threads);
  p.cost_per_km = cost_per_km;
  p.n_threads = th_cli_threads(threads);

  g_autoptr(GError) error = NULL;
  g_autoptr(ThNetwork) net = th_network_load(argv[1], &error);
  if (!net) return th_cli_fail(NAME, error);
  g_autofree int *origins = NULL;
  int n_origins = 0;
  if (from && !(origins = parse_from(net, from, &n_origins, &error)))
    return th_cli_fail(NAME, error);
  if (net->n_zones == 0) {
    g_set_error(&error, TH_ERROR, TH_ERROR_INVALID,
                "%s: the network has no zones (expected nodes with a zone_id)", argv[1]);
    return th_cli_fail(NAME, error);
  }
  const char *mode_label = th_mode_name(p.mode);
  if (!th_skim_write_csv(out, net, &p, origins, n_origins, mode_label, &error))
    return th_cli_fail(NAME, error);
  return TH_EXIT_OK;
}

/* cmd_export.c: `taihang export SOURCE --FORMAT FILE ...`: write a network
 * (or, later, results) in formats other tools read.
 *
 * Each format is one option and one row of `exporters`: what SOURCE it
 * needs (a network, or a results folder) and a function that writes FILE.
 * Every file goes through network/atomic.h, so a failure leaves nothing. */
#include "network/graphml.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/export-results.h"
#include "scenarios/cli.h"
#include "scenarios/scenario.h"

#include <stdio.h>

typedef enum { SOURCE_NETWORK, SOURCE_RESULTS } SourceKind;

typedef struct {
  const char *option;   /* "graphml" */
  SourceKind needs;
  gboolean (*write)(const char *source, const ThNetwork *net, const char *file, GError **error);
} ThExporter;

static gboolean export_graphml(const char *source, const ThNetwork *net, const char *file,
                               GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(file, error);
  if (!f) return FALSE;
  if (!th_graphml_write(net, th_atomic_stream(f), error)) return FALSE;
  return th_atomic_commit(g_steal_pointer(&f), error);
}

/* One row per format; the index matches `targets` below. */
static const ThExporter exporters[] = {
    {"graphml", SOURCE_NETWORK, export_graphml},
    {"geojson", SOURCE_RESULTS, th_export_geojson},
    {"omx", SOURCE_RESULTS, th_export_omx},
    {"matrix-dir", SOURCE_RESULTS, th_export_matrix_dir},
    {"gpkg", SOURCE_RESULTS, th_export_gpkg},
};

/* The network of SOURCE, whichever of the three kinds the command table
 * promises: a network (GMNS folder, TNTP file), a results folder (its
 * network/, the network the run used), or a scenario file (its resolved
 * network: base, applies and patches). Before, a results folder said
 * ".../node.csv: file is missing" and a scenario "not a network". */
static ThNetwork *load_source_network(const char *source, GError **error) {
  g_autofree char *run_ini = g_build_filename(source, "run.ini", NULL);
  g_autofree char *net_dir = g_build_filename(source, "network", NULL);
  if (g_file_test(source, G_FILE_TEST_IS_DIR) && g_file_test(run_ini, G_FILE_TEST_EXISTS) &&
      g_file_test(net_dir, G_FILE_TEST_IS_DIR))
    return th_network_load(net_dir, error);
  if (g_str_has_suffix(source, ".ini") && g_file_test(source, G_FILE_TEST_IS_REGULAR)) {
    g_autoptr(ThScenario) sc = th_scenario_load(source, error);
    if (!sc) return NULL;
    return th_scenario_network(sc, NULL, error);
  }
  return th_network_load(source, error);
}

/* Runs every requested export of SOURCE; returns the exit status. */
static int run_exports(const char *source, char **targets) {
  g_autoptr(ThNetwork) net = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(exporters); i++) {
    if (!targets[i]) continue;
    g_autoptr(GError) error = NULL;
    if (exporters[i].needs == SOURCE_NETWORK && !net) {
      net = load_source_network(source, &error);
      if (!net) return th_cli_fail("export", error);
    }
    if (exporters[i].needs == SOURCE_RESULTS && g_str_has_suffix(source, ".ini"))
      return th_cli_usage("export",
                          "%s is a scenario file; --%s needs a results folder (run it first: "
                          "taihang run %s --out DIR, then taihang export DIR --%s FILE)",
                          source, exporters[i].option, source, exporters[i].option);
    if (!exporters[i].write(source, net, targets[i], &error)) return th_cli_fail("export", error);
  }
  return TH_EXIT_OK;
}

int th_cmd_export(int argc, char **argv) {
  char *targets[G_N_ELEMENTS(exporters)] = {NULL};
  const GOptionEntry entries[] = {
      {"graphml", 0, 0, G_OPTION_ARG_FILENAME, &targets[0],
       "write the network as GraphML (nodes and links with their attributes)", "FILE"},
      {"geojson", 0, 0, G_OPTION_ARG_FILENAME, &targets[1],
       "results: links with flows (LineStrings) and nodes (Points) as GeoJSON", "FILE"},
      {"omx", 0, 0, G_OPTION_ARG_FILENAME, &targets[2],
       "results: travel-time, distance and cost matrices as OMX (HDF5)", "FILE"},
      {"matrix-dir", 0, 0, G_OPTION_ARG_FILENAME, &targets[3],
       "results: the same matrices as wide CSVs, one per mode/period/quantity", "DIR"},
      {"gpkg", 0, 0, G_OPTION_ARG_FILENAME, &targets[4],
       "results: GeoPackage with layers nodes, links (flows, v/c) and zones, via GDAL",
       "FILE.gpkg"},
      {NULL}};
  if (!th_cli_parse(
          "export", "NET-OR-RESULTS-OR-SCENARIO --graphml FILE | RESULTS --geojson FILE ...",
          "Exports SOURCE in other formats. SOURCE is one of:\n"
          "  NET       a network: GMNS folder (node.csv, link.csv) or TNTP *_net.tntp file\n"
          "  RESULTS   a results folder of taihang run or compare (for --graphml: the\n"
          "            network the run used, RESULTS/network)\n"
          "  SCENARIO  a scenario .ini (for --graphml: its resolved network)\n"
          "--graphml takes any of the three; --geojson, --omx and --matrix-dir need\n"
          "RESULTS. Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.",
          entries, &argc, &argv))
    return TH_EXIT_USAGE;
  gboolean any = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(exporters); i++) any |= targets[i] != NULL;
  int status;
  if (argc != 2)
    status = th_cli_usage("export", "give exactly one SOURCE");
  else if (!any)
    status = th_cli_usage("export", "nothing to export (give --graphml FILE)");
  else
    status = run_exports(argv[1], targets);
  for (gsize i = 0; i < G_N_ELEMENTS(exporters); i++) g_free(targets[i]);
  return status;
}

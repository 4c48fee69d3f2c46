/* cmd_export.c: `taihang export SOURCE --FORMAT FILE ...`: write a network
 * (or, later, results) in formats other tools read.
 *
 * Each format is one option and one row of `exporters`: what SOURCE it
 * needs (a network, or a results folder) and a function that writes FILE.
 * Every file goes through output/atomic.h, so a failure leaves nothing. */
#include "network/igraph-bridge.h"
#include "network/load.h"
#include "network/th-error.h"
#include "output/atomic.h"
#include "output/export-results.h"
#include "scenarios/cli.h"

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
  if (!th_igraph_write_graphml(net, th_atomic_stream(f), error)) return FALSE;
  return th_atomic_commit(g_steal_pointer(&f), error);
}

/* One row per format; the index matches `targets` below. */
static const ThExporter exporters[] = {
    {"graphml", SOURCE_NETWORK, export_graphml},
    {"geojson", SOURCE_RESULTS, th_export_geojson},
    {"omx", SOURCE_RESULTS, th_export_omx},
    {"matrix-dir", SOURCE_RESULTS, th_export_matrix_dir},
};

/* Runs every requested export of SOURCE; returns the exit status. */
static int run_exports(const char *source, char **targets) {
  g_autoptr(ThNetwork) net = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(exporters); i++) {
    if (!targets[i]) continue;
    g_autoptr(GError) error = NULL;
    if (exporters[i].needs == SOURCE_NETWORK && !net) {
      net = th_network_load(source, &error);
      if (!net) return th_cli_fail("export", error);
    }
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
      {NULL}};
  if (!th_cli_parse("export", "SOURCE --graphml FILE",
                    "Exports SOURCE, a network (GMNS folder or TNTP *_net.tntp file) or a results\n"
                    "folder (--geojson, --omx, --matrix-dir), in other formats.\n"
                    "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.",
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

/* cmd_import.c: `taihang import gtfs|osm ...`: build taihang inputs from the
 * files planners already have.
 *
 *   taihang import gtfs FEED.zip|DIR --net NET --date YYYY-MM-DD --out DIR
 *     NET plus the feed's stops (and walk links) as a network folder with the
 *     day's services.csv, hubs.csv (transfer times) and gtfs_stops.csv
 *     (network/gtfs.h).
 *   taihang import osm FILE.osm.pbf|FILE.osm [--bbox W,S,E,N] --zones zones.csv --out DIR
 *     a road and rail network folder from OpenStreetMap (network/osm.h).
 *
 * The output folder is written beside its final name and renamed into place
 * at the end, so a failed import leaves nothing behind (and an old folder of
 * that name stays as it was). */
#include "network/gmns.h"
#include "network/gtfs.h"
#include "network/csv.h"
#include "network/layers.h"
#include "network/load.h"
#include "network/osm.h"
#include "network/stale.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "scenarios/cli.h"
#include "scenarios/scenario-gtfs.h"
#include "scenarios/scenario.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define NAME "import"

/* A temporary folder beside OUT. */
static char *make_tmp_beside(const char *out, GError **error) {
  g_autofree char *parent = g_path_get_dirname(out);
  if (g_mkdir_with_parents(parent, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the folder (%s)", parent,
                g_strerror(errno));
    return NULL;
  }
  char *tmp = g_strdup_printf("%s.tmp-XXXXXX", out);
  if (!g_mkdtemp(tmp)) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create a temporary folder (%s)", tmp,
                g_strerror(errno));
    g_free(tmp);
    return NULL;
  }
  return tmp;
}

/* Puts the finished folder TMP in place of OUT (an older OUT is replaced). */
static gboolean publish(const char *tmp, const char *out, GError **error) {
  g_autofree char *old = NULL;
  if (g_file_test(out, G_FILE_TEST_EXISTS)) {
    if (!g_file_test(out, G_FILE_TEST_IS_DIR)) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "--out %s: is a file (a folder was expected)",
                  out);
      return FALSE;
    }
    old = g_strdup_printf("%s.old-XXXXXX", out);
    if (!g_mkdtemp(old) || g_rmdir(old) != 0 || g_rename(out, old) != 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot move the old folder aside (%s)", out,
                  g_strerror(errno));
      return FALSE;
    }
  }
  if (g_rename(tmp, out) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot rename into place (%s)", out,
                g_strerror(errno));
    if (old) g_rename(old, out);
    return FALSE;
  }
  if (old) th_rmtree(old);
  return TRUE;
}

/* DIR/FILE = TEXT, written to a temporary and renamed into place. */
static gboolean write_text(const char *dir, const char *file, const char *text, GError **error) {
  g_autofree char *p = g_build_filename(dir, file, NULL);
  return th_atomic_write(p, text, strlen(text), error);
}

/* Reads the written folder back as `taihang check` would: what the import
 * writes must load. */
static gboolean check_written(const char *dir, GError **error) {
  g_autoptr(ThNetwork) net = th_network_load(dir, error);
  if (!net) return FALSE;
  g_autoptr(ThServices) sv = NULL;
  g_autoptr(ThHubs) hubs = NULL;
  return th_multimodal_read_dir(dir, net, &sv, &hubs, error);
}

static int import_gtfs(int argc, char **argv) {
  g_autofree char *net_path = NULL, *date = NULL, *out = NULL;
  ThGtfsOptions opt;
  th_gtfs_options_default(&opt);
  GOptionEntry entries[] = {
      {"net", 'n', 0, G_OPTION_ARG_FILENAME, &net_path, "network folder the stops join (required)",
       "NET"},
      {"date", 'd', 0, G_OPTION_ARG_STRING, &date, "service day to import (required)",
       "YYYY-MM-DD"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "network folder to write (required)", "DIR"},
      {"capacity-bus", 0, 0, G_OPTION_ARG_DOUBLE, &opt.capacity_bus, "places per bus run (80)",
       "N"},
      {"capacity-rail", 0, 0, G_OPTION_ARG_DOUBLE, &opt.capacity_rail, "places per rail run (1200)",
       "N"},
      {"capacity-hsr", 0, 0, G_OPTION_ARG_DOUBLE, &opt.capacity_hsr, "places per hsr run (1000)",
       "N"},
      {"capacity-intercity", 0, 0, G_OPTION_ARG_DOUBLE, &opt.capacity_intercity,
       "places per intercity run (600)", "N"},
      {NULL}};
  if (!th_cli_parse("import gtfs", "FEED.zip|DIR --net NET --date YYYY-MM-DD --out DIR",
                    "Imports one service day of a GTFS feed: NET plus the feed's stops, with the\n"
                    "day's trips as services.csv (each trip's own times), transfers.txt times\n"
                    "in hubs.csv and gtfs_stops.csv (stop_id to node). See README, \"GTFS\".",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage("import gtfs", "give one feed (a .zip file or a folder)");
  if (!net_path || !date || !out)
    return th_cli_usage("import gtfs", "--net, --date and --out are required");
  if (opt.capacity_bus <= 0 || opt.capacity_rail <= 0 || opt.capacity_hsr <= 0 ||
      opt.capacity_intercity <= 0)
    return th_cli_usage("import gtfs", "capacities must be > 0 (places per run)");
  g_autoptr(GError) error = NULL;
  g_autoptr(ThNetwork) net = th_network_load(net_path, &error);
  if (!net) return th_cli_fail("import gtfs", error);
  g_autoptr(ThGtfsImport) imp = th_gtfs_import(argv[1], net, date, &opt, &error);
  if (!imp) return th_cli_fail("import gtfs", error);
  g_autofree char *tmp = make_tmp_beside(out, &error);
  if (!tmp) return th_cli_fail("import gtfs", error);
  if (!th_gtfs_write_folder(tmp, net_path, net, imp, TRUE, &error) || !check_written(tmp, &error) ||
      !publish(tmp, out, &error)) {
    th_rmtree(tmp);
    return th_cli_fail("import gtfs", error);
  }
  for (guint i = 0; i < imp->notes->len; i++)
    fprintf(stderr, "note: %s\n", (char *)imp->notes->pdata[i]);
  printf("%s: %d trips on %s -> %d lines (%d routes), %d runs; %d stop nodes joined to the "
         "network (longest walk link %.0f m)\n",
         out, imp->n_trips, date, imp->n_lines, imp->n_routes, imp->n_runs, imp->n_stop_nodes,
         imp->max_walk_m);
  return TH_EXIT_OK;
}

static gboolean parse_bbox(const char *s, ThOsmOptions *o) {
  g_auto(GStrv) p = g_strsplit(s, ",", -1);
  if (g_strv_length(p) != 4) return FALSE;
  double v[4];
  for (int i = 0; i < 4; i++)
    if (!th_parse_double(g_strstrip(p[i]), &v[i])) return FALSE;
  o->west = v[0], o->south = v[1], o->east = v[2], o->north = v[3];
  o->has_bbox = TRUE;
  return o->west >= -180 && o->east <= 180 && o->south >= -90 && o->north <= 90 &&
         o->west < o->east && o->south < o->north;
}

static int import_osm(int argc, char **argv) {
  g_autofree char *bbox = NULL, *zones = NULL, *out = NULL, *classes = NULL;
  gboolean print_classes = FALSE;
  GOptionEntry entries[] = {
      {"zones", 'z', 0, G_OPTION_ARG_FILENAME, &zones,
       "zone centroids: zone_id,name,x_coord,y_coord[,population,gdp,jobs] (required)", "FILE"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "network folder to write (required)", "DIR"},
      {"bbox", 'b', 0, G_OPTION_ARG_STRING, &bbox, "keep what lies inside (degrees)", "W,S,E,N"},
      {"classes", 'c', 0, G_OPTION_ARG_FILENAME, &classes,
       "class table (speed, lanes, capacity per highway/railway tag) instead of the built-in one",
       "FILE"},
      {"print-classes", 0, 0, G_OPTION_ARG_NONE, &print_classes,
       "print the built-in class table (JTG B01-2014 defaults) to edit, and exit", NULL},
      {NULL}};
  if (!th_cli_parse("import osm", "FILE.osm.pbf|FILE.osm --zones zones.csv --out DIR",
                    "Builds a network folder (node.csv, link.csv) from OpenStreetMap roads and\n"
                    "railways: classes from the class table, degree-2 nodes merged, the largest\n"
                    "strongly connected road component, zones joined to the nearest road node.\n"
                    "See README, \"OpenStreetMap\".",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (print_classes) {
    fputs(th_osm_default_classes(), stdout);
    return TH_EXIT_OK;
  }
  if (argc != 2) return th_cli_usage("import osm", "give one .osm or .osm.pbf file");
  if (!zones || !out) return th_cli_usage("import osm", "--zones and --out are required");
  ThOsmOptions opt = {.classes_csv = classes, .zones_csv = zones};
  if (bbox && !parse_bbox(bbox, &opt))
    return th_cli_usage("import osm", "--bbox '%s' is not W,S,E,N in degrees (west < east, "
                        "south < north)", bbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(ThOsmImport) imp = th_osm_import(argv[1], &opt, &error);
  if (!imp) return th_cli_fail("import osm", error);
  g_autofree char *tmp = make_tmp_beside(out, &error);
  if (!tmp) return th_cli_fail("import osm", error);
  g_autofree char *table = NULL;
  if (classes && !g_file_get_contents(classes, &table, NULL, &error)) {
    th_rmtree(tmp);
    return th_cli_fail("import osm", error);
  }
  if (!th_gmns_write(imp->net, tmp, &error) ||
      !write_text(tmp, "osm_classes.csv", table ? table : th_osm_default_classes(), &error) ||
      (imp->turn_restrictions_csv &&
       !write_text(tmp, "turn_restrictions.csv", imp->turn_restrictions_csv, &error)) ||
      !check_written(tmp, &error) || !publish(tmp, out, &error)) {
    th_rmtree(tmp);
    return th_cli_fail("import osm", error);
  }
  for (guint i = 0; i < imp->notes->len; i++)
    fprintf(stderr, "note: %s\n", (char *)imp->notes->pdata[i]);
  const ThNetwork *net = imp->net;
  printf("%s: %d nodes, %d links (%d road ways, %d rail ways), %d stations, %d zones (longest "
         "connector %.0f m)\n",
         out, net->n_nodes, net->n_links, imp->n_ways_road, imp->n_ways_rail, imp->n_stations,
         imp->n_zones, imp->max_connector_m);
  printf("%s: road length %.3f km kept + %.3f km dropped (%d smaller component(s)) = %.3f km; "
         "the ways: %.3f km\n",
         out, imp->net_road_km, imp->dropped_road_km,
         imp->n_components > 0 ? imp->n_components - 1 : 0, imp->net_road_km + imp->dropped_road_km,
         imp->ways_road_km);
  return TH_EXIT_OK;
}

int th_cmd_import(int argc, char **argv) {
  const char *usage = "taihang import gtfs FEED.zip|DIR --net NET --date YYYY-MM-DD --out DIR\n"
                      "taihang import osm FILE.osm.pbf|FILE.osm [--bbox W,S,E,N] --zones zones.csv "
                      "--out DIR";
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    printf("Usage:\n  %s\n  %s\n",
           "taihang import gtfs FEED.zip|DIR --net NET --date YYYY-MM-DD --out DIR",
           "taihang import osm FILE.osm.pbf|FILE.osm [--bbox W,S,E,N] --zones zones.csv --out DIR");
    return argc < 2 ? TH_EXIT_USAGE : TH_EXIT_OK;
  }
  if (!strcmp(argv[1], "gtfs")) return import_gtfs(argc - 1, argv + 1);
  if (!strcmp(argv[1], "osm")) return import_osm(argc - 1, argv + 1);
  return th_cli_usage(NAME, "unknown kind '%s' (gtfs or osm):\n%s", argv[1], usage);
}

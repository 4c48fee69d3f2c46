/* cmd_map.c: `taihang map RESULTS-DIR --out map.png`: a flow map (or, with
 * --diff, a difference map) of a results folder, as PNG and optionally SVG. */
#include "network/csv.h"
#include "network/th-error.h"
#include "output/map.h"
#include "scenarios/cli.h"

#include <stdio.h>
#include <string.h>

int th_cmd_map(int argc, char **argv) {
  g_autofree char *out = NULL, *diff = NULL, *mode_s = NULL, *metric_s = NULL, *size_s = NULL,
                  *svg = NULL, *title = NULL, *date = NULL, *bbox_s = NULL;
  GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "PNG file to write", "FILE"},
      {"diff", 0, 0, G_OPTION_ARG_FILENAME, &diff,
       "draw RESULTS-DIR minus this base results folder", "BASE-DIR"},
      {"mode", 0, 0, G_OPTION_ARG_STRING, &mode_s, "all|road|rail|freight (default all)", "MODE"},
      {"metric", 0, 0, G_OPTION_ARG_STRING, &metric_s,
       "vehicles|passengers|tonnes|v/c (default: passengers; vehicles with --mode road, "
       "tonnes with --mode freight)",
       "METRIC"},
      {"size", 0, 0, G_OPTION_ARG_STRING, &size_s, "WIDTHxHEIGHT in pixels (default 2400x1800)",
       "WxH"},
      {"svg", 0, 0, G_OPTION_ARG_FILENAME, &svg, "also write the map as SVG", "FILE"},
      {"title", 0, 0, G_OPTION_ARG_STRING, &title, "title (default from metric and mode)", "TEXT"},
      {"date", 0, 0, G_OPTION_ARG_STRING, &date,
       "date line printed under the scenario (default none: maps never read the clock)", "TEXT"},
      {"bbox", 0, 0, G_OPTION_ARG_STRING, &bbox_s,
       "fit the map to this WGS84 box instead of the whole network (zoom on an area)", "W,S,E,N"},
      {NULL}};
  if (!th_cli_parse("map", "RESULTS-DIR --out map.png",
                    "Draws link flows of a results folder as bands (PNG, SVG).", entries, &argc,
                    &argv))
    return TH_EXIT_USAGE;
  if (argc != 2) return th_cli_usage("map", "expected one RESULTS-DIR");
  if (!out && !svg) return th_cli_usage("map", "--out FILE (or --svg FILE) is required");
  ThMapOptions o = {.width = 2400, .height = 1800};
  if (mode_s && !th_map_mode_parse(mode_s, &o.mode))
    return th_cli_usage("map", "--mode '%s' is not one of all, road, rail, freight", mode_s);
  if (metric_s && !th_map_metric_parse(metric_s, &o.metric))
    return th_cli_usage("map", "--metric '%s' is not one of vehicles, passengers, tonnes, v/c",
                        metric_s);
  /* defaults a planner expects: road traffic in vehicles; all modes and rail
   * in passengers (transit vehicles are not counted on links); freight in tonnes */
  if (!metric_s && o.mode == TH_MAP_MODE_FREIGHT) o.metric = TH_MAP_METRIC_TONNES;
  if (!metric_s && (o.mode == TH_MAP_MODE_ALL || o.mode == TH_MAP_MODE_RAIL))
    o.metric = TH_MAP_METRIC_PASSENGERS;
  if (size_s) {
    char *x = strchr(size_s, 'x');
    int64_t w = 0, h = 0;
    if (x) *x = '\0';
    gboolean ok = x && th_parse_int64(size_s, &w) && th_parse_int64(x + 1, &h);
    if (x) *x = 'x';
    if (!ok || w < 200 || h < 150 || w > 20000 || h > 20000)
      return th_cli_usage("map",
                          "--size '%s' is not WIDTHxHEIGHT between 200x150 and "
                          "20000x20000",
                          size_s);
    o.width = (int)w;
    o.height = (int)h;
  }
  if (bbox_s) {
    g_auto(GStrv) parts = g_strsplit(bbox_s, ",", -1);
    gboolean ok = g_strv_length(parts) == 4;
    for (int i = 0; ok && i < 4; i++)
      ok = th_parse_double(parts[i], &o.bbox[i]);
    if (!ok || !(o.bbox[0] < o.bbox[2]) || !(o.bbox[1] < o.bbox[3]) || o.bbox[1] < -90 ||
        o.bbox[3] > 90)
      return th_cli_usage("map",
                          "--bbox '%s' is not WEST,SOUTH,EAST,NORTH in degrees with "
                          "WEST < EAST and SOUTH < NORTH",
                          bbox_s);
    o.has_bbox = TRUE;
  }
  o.title = title;
  o.date = date;
  g_autoptr(GError) error = NULL;
  g_autoptr(ThResults) r = th_results_read(argv[1], &error);
  if (!r) return th_cli_fail("map", error);
  g_autoptr(ThResults) base = NULL;
  if (diff) {
    base = th_results_read(diff, &error);
    if (!base) return th_cli_fail("map", error);
  }
  ThMapLayout layout;
  gboolean ok = th_map_write(out, svg, r, base, &o, &layout, &error);
  th_map_release_fonts();
  if (!ok) return th_cli_fail("map", error);
  printf("map: %s%s%s (%d bands, %d labels, %d left out for lack of room)\n", out ? out : "",
         out && svg ? ", " : "", svg ? svg : "", layout.n_bands, layout.n_labels,
         layout.n_labels_skipped);
  return TH_EXIT_OK;
}

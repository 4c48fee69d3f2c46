/* od-trips.c: demand.csv volumes as trips (see od-trips.h for the rule). */
#include "sim/od-trips.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>

ThTrips *th_trips_from_demand_csv(const char *path, const ThNetwork *net,
                                  const ThClassTable *classes, int32_t start_s, int32_t end_s,
                                  double *left_out, GError **error) {
  g_return_val_if_fail(end_s > start_s, NULL);
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  int co, cd, cv;
  if ((co = th_csv_require(csv, "o_zone_id", error)) < 0 ||
      (cd = th_csv_require(csv, "d_zone_id", error)) < 0 ||
      (cv = th_csv_require(csv, "volume", error)) < 0)
    return NULL;
  int car = th_class_table_lookup(classes, "car");
  g_autoptr(ThTrips) t = th_trips_new(path);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  double cum = 0, cut = 0;
  int64_t id = 1;
  GError *rerr = NULL;
  while (th_csv_next(csv, &rerr)) {
    int line = th_csv_line(csv);
    const char *os = th_csv_field(csv, co), *ds = th_csv_field(csv, cd),
               *vs = th_csv_field(csv, cv);
    int o = th_network_zone_lookup(net, os), d = th_network_zone_lookup(net, ds);
    if (o < 0)
      th_problems_add(problems, path, line,
                      "o_zone_id '%s' is not a zone (a zone id of the network was expected)", os);
    if (d < 0)
      th_problems_add(problems, path, line,
                      "d_zone_id '%s' is not a zone (a zone id of the network was expected)", ds);
    double v;
    if (!th_parse_double(vs, &v) || v < 0) {
      th_problems_add(problems, path, line,
                      "volume '%s' is not a number >= 0 (trips in the demand period were expected)",
                      vs);
      continue;
    }
    if (o < 0 || d < 0 || v == 0 || o == d) continue;
    if (net->zone_cut_off && (net->zone_cut_off[o] || net->zone_cut_off[d])) {
      cut += v;
      continue;
    }
    if (cum + v > TH_OD_TRIPS_MAX) {
      th_problems_add(problems, path, line,
                      "volume '%s' takes the file past %.0f trips, more than a "
                      "run simulates (a sample of the demand, with the run's sample factor, was "
                      "expected)",
                      vs, TH_OD_TRIPS_MAX);
      break;
    }
    long before = (long)floor(cum + 0.5);
    cum += v;
    long n = (long)floor(cum + 0.5) - before;
    for (long j = 0; j < n && problems->len == 0; j++) {
      int32_t dep = start_s + (int32_t)floor((j + 0.5) * (double)(end_s - start_s) / (double)n);
      int i =
          th_trips_add(t, id++, net, net->zone_node[o], net->zone_node[d], dep, classes, car, 0, 0);
      t->line[i] = line;
    }
  }
  if (!th_csv_read_end(rerr, problems, TH_ERROR_INVALID, error)) return NULL;
  if (left_out) *left_out = cut;
  return g_steal_pointer(&t);
}

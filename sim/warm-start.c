/* warm-start.c: day 1's link times from an assignment or a run (see warm-start.h). */
#include "sim/warm-start.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "sim/engine.h"

#include <math.h>
#include <string.h>

double *th_warm_start_read(const char *path, const ThNetwork *net, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  int c_link = th_csv_require(csv, "link_id", error);
  if (c_link < 0) return NULL;
  /* the time column and its unit: seconds first, then minutes */
  static const struct {
    const char *name;
    double to_s;
  } cols[] = {{"travel_time_s", 1}, {"mean_travel_time_s", 1}, {"time_min", 60}};
  int c_time = -1;
  double to_s = 1;
  for (gsize i = 0; i < G_N_ELEMENTS(cols) && c_time < 0; i++)
    if ((c_time = th_csv_column(csv, cols[i].name)) >= 0) to_s = cols[i].to_s;
  if (c_time < 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:%d: no link time column (travel_time_s, mean_travel_time_s or time_min)", path,
                th_csv_line(csv));
    return NULL;
  }
  int c_class = th_csv_column(csv, "class");
  int n = net->n_links;
  double *t = g_new(double, n + 1);
  uint8_t *set = g_new0(uint8_t, n + 1); /* 1: a class row, 2: the total row */
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *rerr = NULL;
  while (th_csv_next(csv, &rerr)) {
    int line = th_csv_line(csv);
    int64_t id;
    const char *v = th_csv_field(csv, c_link);
    if (!th_parse_int64(v, &id)) {
      th_problems_add(problems, path, line, "bad link_id '%s' (a whole number)", v);
      continue;
    }
    int l = th_network_link_index(net, id);
    if (l < 0) {
      th_problems_add(problems, path, line,
                      "unknown link %" G_GINT64_FORMAT " (a link_id of the network)", id);
      continue;
    }
    v = th_csv_field(csv, c_time);
    double x;
    if (!*v) continue; /* no time (a link nobody used): keep what is there */
    if (!th_parse_double(v, &x) || !isfinite(x) || x < 0) {
      th_problems_add(problems, path, line, "bad link time '%s' (a number >= 0)", v);
      continue;
    }
    gboolean total = c_class >= 0 && !strcmp(th_csv_field(csv, c_class), "total");
    if (set[l] == 2 || (set[l] == 1 && !total)) continue;
    t[l] = x * to_s;
    set[l] = total ? 2 : 1;
  }
  if (!th_csv_read_end(rerr, problems, TH_ERROR_PARSE, error)) {
    g_free(t);
    g_free(set);
    return NULL;
  }
  for (int l = 0; l < n; l++)
    if (!set[l]) t[l] = th_engine_link_free_time_exact(net, l);
  g_free(set);
  return t;
}

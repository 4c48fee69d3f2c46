/* od-factors.c: per-OD factors on trips (see od-factors.h for the rule). */
#include "sim/od-factors.h"

#include "network/csv.h"
#include "network/th-error.h"
#include "sim/choice.h"

#include <math.h>

struct ThOdFactors {
  GHashTable *f;   /* "cls:o:d" (cls -1: every class) -> double* */
  GHashTable *row; /* the same keys -> line, for repeated rows */
};

void th_od_factors_free(ThOdFactors *f) {
  if (!f) return;
  if (f->f) g_hash_table_unref(f->f);
  if (f->row) g_hash_table_unref(f->row);
  g_free(f);
}

static char *key_of(int cls, int o, int d) { return g_strdup_printf("%d:%d:%d", cls, o, d); }

ThOdFactors *th_od_factors_read(const char *path, const ThNetwork *net, const ThClassTable *classes,
                                GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  int co, cd, cf;
  if ((co = th_csv_require(csv, "origin", error)) < 0 ||
      (cd = th_csv_require(csv, "destination", error)) < 0 ||
      (cf = th_csv_require(csv, "factor", error)) < 0)
    return NULL;
  int cc = th_csv_column(csv, "class");
  g_autoptr(ThOdFactors) f = g_new0(ThOdFactors, 1);
  f->f = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  f->row = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *rerr = NULL;
  while (th_csv_next(csv, &rerr)) {
    int line = th_csv_line(csv);
    const char *os = th_csv_field(csv, co), *ds = th_csv_field(csv, cd), *fs = th_csv_field(csv, cf);
    const char *cs = cc >= 0 ? th_csv_field(csv, cc) : "";
    int o = th_network_zone_lookup(net, os), d = th_network_zone_lookup(net, ds);
    int cls = *cs ? th_class_table_lookup(classes, cs) : -1;
    gboolean ok = TRUE;
    if (o < 0) {
      th_problems_add(problems, path, line, "origin '%s' is not a zone (a zone id, node id or name of the network was expected)", os);
      ok = FALSE;
    }
    if (d < 0) {
      th_problems_add(problems, path, line, "destination '%s' is not a zone (a zone id, node id or name of the network was expected)", ds);
      ok = FALSE;
    }
    if (*cs && cls < 0) {
      th_problems_add(problems, path, line, "class '%s' is not a class (a name of the class table, or empty for every class, was expected)", cs);
      ok = FALSE;
    }
    double v;
    if (!th_parse_double(fs, &v) || !(v >= 0) || !isfinite(v)) {
      th_problems_add(problems, path, line, "factor '%s' is not a number >= 0 (a factor on the cell's trips was expected)", fs);
      ok = FALSE;
    }
    if (!ok) continue;
    char *k = key_of(cls, o, d);
    gpointer first = g_hash_table_lookup(f->row, k);
    if (first) {
      th_problems_add(problems, path, line, "%s -> %s%s%s is given twice (also line %d; one row per origin, destination and class was expected)",
                      os, ds, *cs ? ", class " : "", cs, GPOINTER_TO_INT(first));
      g_free(k);
      continue;
    }
    g_hash_table_insert(f->row, g_strdup(k), GINT_TO_POINTER(line));
    g_hash_table_insert(f->f, k, g_memdup2(&v, sizeof v));
  }
  if (!th_csv_read_end(rerr, problems, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&f);
}

double th_od_factors_get(const ThOdFactors *f, int cls, int o, int d) {
  char k[48];
  g_snprintf(k, sizeof k, "%d:%d:%d", cls, o, d);
  double *v = g_hash_table_lookup(f->f, k);
  if (v) return *v;
  g_snprintf(k, sizeof k, "%d:%d:%d", -1, o, d);
  v = g_hash_table_lookup(f->f, k);
  return v ? *v : 1.0;
}

ThTrips *th_od_factors_apply(const ThOdFactors *f, const ThTrips *trips, const ThNetwork *net,
                             const ThClassTable *classes, uint64_t seed, int *n_changed) {
  ThTrips *out = th_trips_new(trips->path);
  int64_t next_id = 1;
  int changed = 0;
  for (int i = 0; i < trips->n; i++) {
    int copies = 1;
    int oz = trips->origin_zone[i], dz = trips->destination_zone[i];
    if (oz >= 0 && dz >= 0) {
      double x = th_od_factors_get(f, trips->cls[i], oz, dz);
      if (x != 1.0) {
        double fl = floor(x);
        copies = (int)fl + (th_agent_uniform(seed, trips->id[i], 0, TH_DRAW_REPLAN) < x - fl);
        changed++;
      }
    }
    for (int c = 0; c < copies; c++) /* the copies keep the trip's purpose */
      th_trips_set_purpose(out,
                           th_trips_add(out, next_id++, net, trips->origin[i],
                                        trips->destination[i], trips->depart_s[i], classes,
                                        trips->cls[i], trips->mode[i], trips->tonnes[i]),
                           th_trips_purpose(trips, i));
  }
  if (n_changed) *n_changed = changed;
  return out;
}

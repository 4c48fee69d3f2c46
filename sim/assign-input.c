/* assign-input.c: the inputs of a static assignment as `taihang assign`
 * reads them: classes, OD tables and TNTP trips (see assign-input.h). */
#include "sim/assign-input.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "sim/classes.h"

#include <math.h>
#include <string.h>


void th_assign_input_class_clear(ThAssignInputClass *c) {
  g_free(c->name);
  g_free(c->trips_path);
  g_free(c->banned);
  g_free(c->fixed);
  th_od_table_free(c->od);
  if (c->o) g_array_unref(c->o);
  if (c->d) g_array_unref(c->d);
  if (c->t) g_array_unref(c->t);
}

ThAssignInputClass *th_assign_input_class_add(GArray *classes, const char *name, double pcu,
                                              double vot) {
  ThAssignInputClass c = {g_strdup(name), pcu, vot, NULL, NULL, NULL, NULL,
                g_array_new(FALSE, FALSE, sizeof(int)), g_array_new(FALSE, FALSE, sizeof(int)),
                g_array_new(FALSE, FALSE, sizeof(double))};
  g_array_append_val(classes, c);
  return &g_array_index(classes, ThAssignInputClass, classes->len - 1);
}

ThAssignInputClass *th_assign_input_class_find(GArray *classes, const char *name) {
  for (guint i = 0; i < classes->len; i++)
    if (strcmp(g_array_index(classes, ThAssignInputClass, i).name, name) == 0)
      return &g_array_index(classes, ThAssignInputClass, i);
  return NULL;
}

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
gboolean th_assign_input_read_classes(const char *path, const ThNetwork *net, GArray *classes,
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
    if (th_assign_input_class_find(classes, name)) {
      th_problems_add(problems, path, line, "class '%s' appears twice (one row per class)", name);
      continue;
    }
    double pcu = 1, vot = 0;
    builtin_class(name, &pcu, &vot);
    if (c_vot < 0 && !builtin_class(name, &pcu, &vot)) vot = 0;
    GError *fe = NULL;
    if (!th_csv_double_or(csv, c_pcu, pcu, &pcu, &fe) || !(pcu > 0)) {
      th_problems_add(problems, path, line,
                      "pcu '%s' is not a positive number (a pcu > 0, e.g. 2.5)",
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
    ThAssignInputClass *c = th_assign_input_class_add(classes, name, pcu, vot);
    const char *tr = th_csv_field(csv, c_trips);
    if (*tr)
      c->trips_path = g_path_is_absolute(tr) ? g_strdup(tr) : g_build_filename(dir, tr, NULL);
    const char *ban = th_csv_field(csv, c_ban);
    if (*ban) {
      c->banned = g_new0(guint8, net->n_links + 1);
      g_auto(GStrv) ids = g_strsplit_set(ban, ";| ", -1);
      for (int i = 0; ids[i]; i++) {
        if (!*ids[i]) continue;
        int64_t id;
        int a;
        if (!th_parse_int64(ids[i], &id) || (a = th_network_link_index(net, id)) < 0) {
          th_problems_add(
              problems, path, line,
              "banned link '%s' is not a link id of the network (link ids separated by ;)", ids[i]);
          continue;
        }
        c->banned[a] = 1;
      }
    }
  }
  if (!e && classes->len == 0)
    th_problems_add(problems, path, 1,
                    "no class (one row per class: class,pcu,vot_per_h,banned_links,trips)");
  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) return FALSE;
  return TRUE;
}

/* trips of OD rows from or to a zone cut off from the main component */
double th_assign_input_cut_off_trips = 0;

/* OD table CSV: origin,destination[,class],trips (or GMNS demand.csv:
 * o_zone_id,d_zone_id,volume). Rows of classes not yet
 * known create built-in classes (car, truck, ...), others are errors. When
 * ONLY is set, every row goes to it (a class's own trips file). */
static gboolean read_od_csv(const char *path, const ThNetwork *net, GArray *classes,
                            gboolean classes_fixed, ThAssignInputClass *only, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  /* GMNS demand.csv names the same columns o_zone_id, d_zone_id, volume */
  int co = th_csv_column(csv, "origin") >= 0 ? th_csv_column(csv, "origin")
                                             : th_csv_column(csv, "o_zone_id");
  int cd = th_csv_column(csv, "destination") >= 0 ? th_csv_column(csv, "destination")
                                                   : th_csv_column(csv, "d_zone_id");
  int ct =
      th_csv_column(csv, "trips") >= 0 ? th_csv_column(csv, "trips") : th_csv_column(csv, "volume");
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
      th_problems_add(problems, path, line,
                      "origin '%s' is not a zone (a zone id, node id or zone name)", os);
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
    ThAssignInputClass *c = only;
    if (!c) {
      const char *cn = cc >= 0 && *th_csv_field(csv, cc) ? th_csv_field(csv, cc) : "car";
      c = th_assign_input_class_find(classes, cn);
      double pcu, vot;
      if (!c && !classes_fixed && builtin_class(cn, &pcu, &vot))
        c = th_assign_input_class_add(classes, cn, pcu, vot);
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
      th_assign_input_cut_off_trips += t; /* a zone cut off from the others: left out (load.h) */
      continue;
    }
    g_array_append_val(c->o, o);
    g_array_append_val(c->d, d);
    g_array_append_val(c->t, t);
  }
  return th_csv_read_end(e, problems, TH_ERROR_INVALID, error);
}

gboolean th_assign_input_read_trips(const char *path, const ThNetwork *net, GArray *classes,
                                gboolean classes_fixed, ThAssignInputClass *only, GError **error) {
  if (g_str_has_suffix(path, ".tntp")) {
    ThAssignInputClass *c = only;
    if (!c) {
      c = classes->len ? &g_array_index(classes, ThAssignInputClass, 0)
                       : th_assign_input_class_add(classes, "car", 1.0, 0.0);
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


gboolean th_assign_input_has_class_trips(const GArray *classes) {
  for (guint k = 0; k < classes->len; k++)
    if (g_array_index(classes, ThAssignInputClass, k).trips_path) return TRUE;
  return FALSE;
}

gboolean th_assign_input_load(const ThNetwork *net, gboolean tntp, const char *trips,
                              const char *classes_path, GArray *classes, GError **error) {
  if (classes_path && !th_assign_input_read_classes(classes_path, net, classes, error))
    return FALSE;
  for (guint k = 0; k < classes->len; k++) {
    ThAssignInputClass *c = &g_array_index(classes, ThAssignInputClass, k);
    if (c->trips_path && !th_assign_input_read_trips(c->trips_path, net, classes, TRUE, c, error))
      return FALSE;
  }
  if (trips && !th_assign_input_read_trips(trips, net, classes, classes_path != NULL, NULL, error))
    return FALSE;
  if (classes->len == 0) th_assign_input_class_add(classes, "car", 1.0, 0.0);
  /* a TNTP network prices tolls with its own TOLL FACTOR: built-in values
   * of time apply to taihang networks only */
  if (tntp && !classes_path)
    for (guint k = 0; k < classes->len; k++)
      g_array_index(classes, ThAssignInputClass, k).vot_per_h = 0;
  return TRUE;
}

void th_assign_input_prepare(const ThNetwork *net, GArray *classes, ThAssignClass *ac) {
  int m = net->n_links;
  g_autofree double *tntp_fixed = th_assign_tntp_fixed_cost(net);
  for (guint k = 0; k < classes->len; k++) {
    ThAssignInputClass *c = &g_array_index(classes, ThAssignInputClass, k);
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
}

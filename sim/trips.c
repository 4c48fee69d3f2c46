/* trips.c: the trips.csv reader and the in-memory trip list. */
#include "sim/trips.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

typedef struct {
  ThTrips t;
  int cap;
} TripsBuf;

ThTrips *th_trips_new(const char *path) {
  TripsBuf *b = g_new0(TripsBuf, 1);
  b->t.path = g_strdup(path ? path : "trips");
  b->t.purpose_names = g_ptr_array_new_with_free_func(g_free);
  return &b->t;
}

void th_trips_free(ThTrips *t) {
  if (!t) return;
  g_free(t->id);
  g_free(t->origin);
  g_free(t->destination);
  g_free(t->origin_zone);
  g_free(t->destination_zone);
  g_free(t->depart_s);
  g_free(t->cls);
  g_free(t->mode);
  g_free(t->tonnes);
  g_free(t->vehicles);
  g_free(t->pcu);
  g_free(t->purpose);
  g_ptr_array_unref(t->purpose_names);
  g_free(t->line);
  g_free(t->path);
  g_free((TripsBuf *)t);
}

int th_trips_add(ThTrips *t, int64_t id, const ThNetwork *net, int o, int d, int32_t depart_s,
                 const ThClassTable *classes, int cls, uint32_t mode, double tonnes) {
  TripsBuf *b = (TripsBuf *)t;
  if (t->n == b->cap) {
    b->cap = b->cap ? 2 * b->cap : 256;
    t->id = g_renew(int64_t, t->id, b->cap);
    t->origin = g_renew(int, t->origin, b->cap);
    t->destination = g_renew(int, t->destination, b->cap);
    t->origin_zone = g_renew(int, t->origin_zone, b->cap);
    t->destination_zone = g_renew(int, t->destination_zone, b->cap);
    t->depart_s = g_renew(int32_t, t->depart_s, b->cap);
    t->cls = g_renew(int, t->cls, b->cap);
    t->mode = g_renew(uint32_t, t->mode, b->cap);
    t->tonnes = g_renew(double, t->tonnes, b->cap);
    t->vehicles = g_renew(int, t->vehicles, b->cap);
    t->pcu = g_renew(double, t->pcu, b->cap);
    t->purpose = g_renew(int, t->purpose, b->cap);
    t->line = g_renew(int, t->line, b->cap);
  }
  int i = t->n++;
  const ThClass *c = &classes->cls[cls];
  t->id[i] = id;
  t->origin[i] = o;
  t->destination[i] = d;
  t->origin_zone[i] = net->node_zone[o];
  t->destination_zone[i] = net->node_zone[d];
  t->depart_s[i] = depart_s;
  t->cls[i] = cls;
  t->mode[i] = mode;
  if (c->kind == TH_CLASS_FREIGHT && tonnes <= 0) tonnes = c->tonnes_per_vehicle;
  t->tonnes[i] = c->kind == TH_CLASS_FREIGHT ? tonnes : 0;
  int veh = 1;
  if (c->kind == TH_CLASS_FREIGHT && c->tonnes_per_vehicle > 0)
    veh = (int)ceil(tonnes / c->tonnes_per_vehicle - 1e-9);
  if (veh < 1) veh = 1;
  t->vehicles[i] = veh;
  t->pcu[i] = veh * c->pcu;
  t->purpose[i] = -1;
  t->line[i] = 0;
  return i;
}

gboolean th_trips_purpose_name_ok(const char *name) {
  gsize n = name ? strlen(name) : 0;
  if (n < 1 || n > 32) return FALSE;
  for (gsize k = 0; k < n; k++)
    if (!g_ascii_isalnum(name[k]) && name[k] != '_' && name[k] != '-') return FALSE;
  return TRUE;
}

void th_trips_set_purpose(ThTrips *t, int i, const char *name) {
  g_return_if_fail(i >= 0 && i < t->n);
  if (!name || !*name) {
    t->purpose[i] = -1;
    return;
  }
  g_return_if_fail(th_trips_purpose_name_ok(name));
  guint k = 0;
  while (k < t->purpose_names->len && strcmp(t->purpose_names->pdata[k], name)) k++;
  if (k == t->purpose_names->len) g_ptr_array_add(t->purpose_names, g_strdup(name));
  t->purpose[i] = (int)k;
}

const char *th_trips_purpose(const ThTrips *t, int i) {
  return t->purpose[i] >= 0 ? t->purpose_names->pdata[t->purpose[i]] : "";
}

gboolean th_trips_have_purpose(const ThTrips *t) {
  if (t->purpose_names->len == 0) return FALSE;
  for (int i = 0; i < t->n; i++)
    if (t->purpose[i] >= 0) return TRUE;
  return FALSE;
}

/* Origin or destination: a zone id first, then a node id; in a network
 * with text ids (GMNS), a zone or node id as the files wrote it. */
static int place(const ThNetwork *net, const char *v) {
  int64_t id;
  if (!th_parse_int64(v, &id)) {
    if (!net->zone_label && !net->node_label) return -1;
    int z = th_network_zone_lookup(net, v);
    if (z >= 0) return net->zone_node[z];
    for (int n = 0; net->node_label && n < net->n_nodes; n++)
      if (net->node_label[n] && !strcmp(net->node_label[n], v)) return n;
    return -1;
  }
  int z = th_network_zone_index(net, id);
  if (z >= 0) return net->zone_node[z];
  return th_network_node_index(net, id);
}

static uint32_t trip_mode(const char *v) {
  if (!strcmp(v, "car") || !strcmp(v, "truck")) return TH_MODE_ROAD;
  uint32_t m = th_mode_from_name(v);
  return m == TH_MODE_CONNECTOR ? 0 : m;
}

ThTrips *th_trips_read(const char *path, const ThNetwork *net, const ThClassTable *classes,
                       const ThTripsReadOptions *opt, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  int c_id, c_o, c_d, c_t;
  if ((c_id = th_csv_require(csv, "id", error)) < 0 ||
      (c_o = th_csv_require(csv, "origin", error)) < 0 ||
      (c_d = th_csv_require(csv, "destination", error)) < 0 ||
      (c_t = th_csv_require(csv, "depart", error)) < 0)
    return NULL;
  int c_cls = th_csv_column(csv, "class"), c_mode = th_csv_column(csv, "mode"),
      c_ton = th_csv_column(csv, "tonnes"), c_pur = th_csv_column(csv, "purpose");
  int32_t horizon = opt && opt->horizon_s > 0 ? opt->horizon_s : INT32_MAX;
  uint32_t servable = opt && opt->servable_modes ? opt->servable_modes : TH_MODE_ROAD;
  int car = th_class_table_lookup(classes, "car");

  g_autoptr(ThTrips) t = th_trips_new(path);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  /* duplicate ids: while ids ascend (as written files have them) a new id
   * cannot repeat one, so the set of seen ids is built only at the first id
   * that does not ascend */
  g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(int64_t));
  g_autoptr(GHashTable) ids = NULL;
  int64_t max_id = INT64_MIN;
  g_autofree char *class_names = NULL;
  GError *rerr = NULL;
  while (th_csv_next(csv, &rerr)) {
    int line = th_csv_line(csv);
    guint before = problems->len;
    int64_t id = 0, dep = 0;
    const char *v = th_csv_field(csv, c_id);
    if (!th_parse_int64(v, &id))
      th_problems_add(problems, path, line, "bad id '%s' (a whole number)", v);
    else if (!ids && (seen->len == 0 || id > max_id)) {
      g_array_append_val(seen, id);
      max_id = id;
    } else {
      if (!ids) {
        ids = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
        for (guint k = 0; k < seen->len; k++)
          g_hash_table_add(ids, g_memdup2(&g_array_index(seen, int64_t, k), sizeof(int64_t)));
      }
      if (g_hash_table_contains(ids, &id))
        th_problems_add(problems, path, line, "duplicate trip id %" G_GINT64_FORMAT " (unique ids)",
                        id);
      else
        g_hash_table_add(ids, g_memdup2(&id, sizeof id));
    }
    v = th_csv_field(csv, c_o);
    int o = place(net, v);
    if (o < 0)
      th_problems_add(problems, path, line,
                      "unknown origin '%s' (a zone id or node id of the network)", v);
    v = th_csv_field(csv, c_d);
    int d = place(net, v);
    if (d < 0)
      th_problems_add(problems, path, line,
                      "unknown destination '%s' (a zone id or node id of the network)", v);
    v = th_csv_field(csv, c_t);
    if (!th_parse_time(v, &dep) && !(*v == '-' && th_parse_int64(v, &dep)))
      th_problems_add(problems, path, line, "bad depart '%s' (HH:MM:SS or whole seconds)", v);
    else if (dep < 0)
      th_problems_add(problems, path, line, "depart %s is before midnight (a time >= 0)", v);
    else if (dep > horizon)
      th_problems_add(
          problems, path, line,
          "depart %s is after the horizon of %d s (a time <= the horizon, or a longer --horizon)",
          v, horizon);
    int cls = car;
    v = th_csv_field(csv, c_cls);
    if (*v) {
      cls = th_class_table_lookup(classes, v);
      if (cls < 0) {
        if (!class_names) class_names = th_class_table_names(classes);
        th_problems_add(problems, path, line,
                        "unknown class '%s' (one of %s, or a class in classes.csv)", v,
                        class_names);
      }
    }
    uint32_t mode = 0;
    v = th_csv_field(csv, c_mode);
    if (*v) {
      mode = trip_mode(v);
      if (!mode)
        th_problems_add(
            problems, path, line,
            "unknown mode '%s' (empty, road, car, truck, rail, hsr, intercity, bus or walk)", v);
      else if (!(mode & servable))
        th_problems_add(problems, path, line,
                        "mode '%s' cannot be served by this run (road only without transit "
                        "services; leave mode empty)",
                        v);
    }
    double tonnes = 0;
    v = th_csv_field(csv, c_ton);
    if (*v) {
      if (!th_parse_double(v, &tonnes))
        th_problems_add(problems, path, line, "bad tonnes '%s' (a number >= 0)", v);
      else if (tonnes < 0)
        th_problems_add(problems, path, line, "negative tonnes %s (a number >= 0)", v);
      else if (cls >= 0 && tonnes > 0 && classes->cls[cls].kind == TH_CLASS_PASSENGER)
        th_problems_add(problems, path, line,
                        "tonnes given for passenger class '%s' (tonnes only for freight classes)",
                        classes->cls[cls].name);
    }
    const char *purpose = th_csv_field(csv, c_pur);
    if (*purpose) {
      if (!th_trips_purpose_name_ok(purpose))
        th_problems_add(problems, path, line,
                        "bad purpose '%s' (a word of at most 32 letters, digits, '_' or '-', "
                        "such as work, other or tourism; or empty)",
                        purpose);
      else if (cls >= 0 && classes->cls[cls].kind == TH_CLASS_FREIGHT)
        th_problems_add(problems, path, line,
                        "purpose '%s' given for freight class '%s' (purposes only for passenger "
                        "classes; leave it empty)",
                        purpose, classes->cls[cls].name);
    }
    if (problems->len == before) {
      int i = th_trips_add(t, id, net, o, d, (int32_t)dep, classes, cls, mode, tonnes);
      t->line[i] = line;
      th_trips_set_purpose(t, i, purpose);
    }
  }
  if (!th_csv_read_end(rerr, problems, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&t);
}

/* validation-read.c: modelled figures for observations (validation-read.h). */
#include "output/validation-read.h"

#include "network/csv.h"
#include "network/th-error.h"
#include "output/results-read.h"
#include "sim/classes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int link, cls;
  int64_t start_s;
  double vehicles;
} Bin;

struct ThModelSource {
  char *path;
  ThResults *res;         /* results folder, or NULL */
  double expand;
  int m;                  /* links */
  GHashTable *link_of;    /* flows file: int64 link id -> index + 1 */
  GHashTable *pair_of;    /* flows file: "FROM>TO" -> index + 1 (the first such link) */
  /* per link index, daily */
  double *veh, *pcu, *pax, *tonnes;
  double *train_pax, *train_freight; /* most trains over the classes of each kind */
  GHashTable *cls_veh;    /* class name -> double[m] road vehicles */
  /* bins (results folders) */
  GArray *bins;
  GPtrArray *bin_cls;     /* class names by index */
  gboolean bins_read;
  ThClassTable *classes;
  gboolean whole_day;     /* link counts of any period from the day's totals */
};

void th_model_source_free(ThModelSource *s) {
  if (!s) return;
  g_free(s->path);
  th_results_free(s->res);
  if (s->link_of) g_hash_table_unref(s->link_of);
  if (s->pair_of) g_hash_table_unref(s->pair_of);
  g_free(s->veh);
  g_free(s->pcu);
  g_free(s->pax);
  g_free(s->tonnes);
  g_free(s->train_pax);
  g_free(s->train_freight);
  if (s->cls_veh) g_hash_table_unref(s->cls_veh);
  if (s->bins) g_array_unref(s->bins);
  if (s->bin_cls) g_ptr_array_unref(s->bin_cls);
  th_class_table_free(s->classes);
  g_free(s);
}

void th_model_source_set_whole_day(ThModelSource *s, gboolean on) { s->whole_day = on; }

static double *class_row(ThModelSource *s, const char *cls) {
  double *v = g_hash_table_lookup(s->cls_veh, cls);
  if (!v) {
    v = g_new0(double, s->m + 1);
    g_hash_table_insert(s->cls_veh, g_strdup(cls), v);
  }
  return v;
}

static void alloc_links(ThModelSource *s, int m) {
  s->m = m;
  s->veh = g_new0(double, m + 1);
  s->pcu = g_new0(double, m + 1);
  s->pax = g_new0(double, m + 1);
  s->tonnes = g_new0(double, m + 1);
  s->train_pax = g_new0(double, m + 1);
  s->train_freight = g_new0(double, m + 1);
  s->cls_veh = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean num(ThCsv *csv, int col, double *out, GPtrArray *problems) {
  GError *e = NULL;
  if (!th_csv_double_or(csv, col, 0, out, &e)) {
    g_ptr_array_add(problems, g_strdup(e->message));
    g_error_free(e);
    return FALSE;
  }
  return TRUE;
}

/* link_flows.csv of a results folder. */
static gboolean read_link_flows(ThModelSource *s, GError **error) {
  g_autofree char *path = g_build_filename(s->path, "link_flows.csv", NULL);
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  static const char *names[] = {"link_id", "class", "mode", "vehicles", "pcu", "passengers", "tonnes"};
  int c[7];
  for (int i = 0; i < 7; i++)
    if ((c[i] = th_csv_require(csv, names[i], error)) < 0) return FALSE;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  const ThNetwork *net = s->res->net;
  while (th_csv_next(csv, &e)) {
    int a = th_network_link_find(net, th_csv_field(csv, c[0])); /* as written: number or text id */
    if (a < 0) {
      th_problems_add(problems, path, th_csv_line(csv), "link_id '%s' is not a link of network/",
                      th_csv_field(csv, c[0]));
      continue;
    }
    const char *cls = th_csv_field(csv, c[1]), *mode = th_csv_field(csv, c[2]);
    double v, p, x, t;
    if (!num(csv, c[3], &v, problems) || !num(csv, c[4], &p, problems) ||
        !num(csv, c[5], &x, problems) || !num(csv, c[6], &t, problems))
      continue;
    s->pax[a] += x;
    s->tonnes[a] += t;
    if (!strcmp(mode, "rail") || !strcmp(mode, "hsr") || !strcmp(mode, "intercity")) {
      /* every class on a line shows the same trains: the most over the
       * classes of each kind (README, "What a multimodal run adds") */
      int ci = th_class_table_lookup(s->classes, cls);
      double *tr = ci >= 0 && s->classes->cls[ci].kind == TH_CLASS_FREIGHT ? s->train_freight : s->train_pax;
      if (v > tr[a]) tr[a] = v;
    }
    gboolean road = !strcmp(mode, "road") || (!strcmp(mode, "bus") && !strcmp(cls, "bus")) || !*mode;
    if (!road) continue;
    s->veh[a] += v;
    s->pcu[a] += p;
    class_row(s, cls)[a] += v;
  }
  return th_csv_read_end(e, problems, TH_ERROR_PARSE, error);
}

/* An assign --flows CSV. */
static gboolean read_assign_flows(ThModelSource *s, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(s->path, error);
  if (!csv) return FALSE;
  static const char *names[] = {"link_id", "class", "volume", "pcu"};
  int c[4];
  for (int i = 0; i < 4; i++)
    if ((c[i] = th_csv_require(csv, names[i], error)) < 0) return FALSE;
  s->link_of = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  s->pair_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int cf = th_csv_column(csv, "from"), ct = th_csv_column(csv, "to");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
  typedef struct { int a; char *cls; double v, p; } Row;
  GArray *rows = g_array_new(FALSE, FALSE, sizeof(Row));
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int64_t id;
    if (!th_parse_int64(th_csv_field(csv, c[0]), &id)) {
      th_problems_add(problems, s->path, th_csv_line(csv), "link_id '%s' is not an integer",
                      th_csv_field(csv, c[0]));
      continue;
    }
    Row r = {0};
    if (!num(csv, c[2], &r.v, problems) || !num(csv, c[3], &r.p, problems)) continue;
    gpointer idx = g_hash_table_lookup(s->link_of, &id);
    if (!idx) {
      g_array_append_val(ids, id);
      idx = GINT_TO_POINTER(ids->len);
      g_hash_table_insert(s->link_of, g_memdup2(&id, sizeof id), idx);
      if (cf >= 0 && ct >= 0) {
        char *pair = g_strdup_printf("%s>%s", th_csv_field(csv, cf), th_csv_field(csv, ct));
        if (g_hash_table_contains(s->pair_of, pair)) g_free(pair);
        else g_hash_table_insert(s->pair_of, pair, idx);
      }
    }
    r.a = GPOINTER_TO_INT(idx) - 1;
    r.cls = g_strdup(th_csv_field(csv, c[1]));
    g_array_append_val(rows, r);
  }
  gboolean ok = th_csv_read_end(e, problems, TH_ERROR_PARSE, error);
  if (ok) {
    alloc_links(s, (int)ids->len);
    for (guint i = 0; i < rows->len; i++) {
      Row *r = &g_array_index(rows, Row, i);
      if (!strcmp(r->cls, "total")) {
        s->veh[r->a] += r->v;
        s->pcu[r->a] += r->p;
      } else {
        class_row(s, r->cls)[r->a] += r->v;
      }
    }
  }
  for (guint i = 0; i < rows->len; i++) g_free(g_array_index(rows, Row, i).cls);
  g_array_unref(rows);
  g_array_unref(ids);
  return ok;
}

ThModelSource *th_model_source_open(const char *path, GError **error) {
  g_autoptr(ThModelSource) s = g_new0(ThModelSource, 1);
  s->path = g_strdup(path);
  s->expand = 1;
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    s->res = th_results_read(path, error);
    if (!s->res) return NULL;
    s->expand = th_results_expansion(s->res);
    alloc_links(s, s->res->net->n_links);
    s->classes = th_class_table_new();
    g_autofree char *cp = g_build_filename(path, "network", "classes.csv", NULL);
    if (g_file_test(cp, G_FILE_TEST_IS_REGULAR) && !th_class_table_load(s->classes, cp, error))
      return NULL;
    if (!read_link_flows(s, error)) return NULL;
  } else if (!read_assign_flows(s, error)) {
    return NULL;
  }
  return g_steal_pointer(&s);
}

/* link index of a count's id (a link id or FROM>TO) or -1 */
static int link_of_obs(const ThModelSource *s, const char *id) {
  if (s->res) return th_obs_link_index(s->res->net, id);
  int64_t lid, a, b;
  if (th_parse_int64(id, &lid)) {
    gpointer p = g_hash_table_lookup(s->link_of, &lid);
    return p ? GPOINTER_TO_INT(p) - 1 : -1;
  }
  if (!th_obs_parse_node_pair(id, &a, &b)) return -1;
  g_autofree char *key = g_strdup_printf("%" G_GINT64_FORMAT ">%" G_GINT64_FORMAT, a, b);
  gpointer p = g_hash_table_lookup(s->pair_of, key);
  return p ? GPOINTER_TO_INT(p) - 1 : -1;
}

/* link index of id or -1 */
static int link_of(const ThModelSource *s, int64_t id) {
  if (s->res) return th_network_link_index(s->res->net, id);
  gpointer p = g_hash_table_lookup(s->link_of, &id);
  return p ? GPOINTER_TO_INT(p) - 1 : -1;
}

static gboolean read_bins(ThModelSource *s, GError **error) {
  s->bins_read = TRUE;
  s->bins = g_array_new(FALSE, FALSE, sizeof(Bin));
  s->bin_cls = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *path = g_build_filename(s->path, "link_flows_bins.csv", NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) return TRUE;
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  static const char *names[] = {"link_id", "class", "bin_start_s", "vehicles"};
  int c[4];
  for (int i = 0; i < 4; i++)
    if ((c[i] = th_csv_require(csv, names[i], error)) < 0) return FALSE;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int64_t id, st;
    Bin b;
    if (!th_parse_int64(th_csv_field(csv, c[0]), &id) || (b.link = link_of(s, id)) < 0 ||
        !th_parse_int64(th_csv_field(csv, c[2]), &st) || !num(csv, c[3], &b.vehicles, problems)) {
      th_problems_add(problems, path, th_csv_line(csv), "bad row (a link of network/, bin_start_s, vehicles)");
      continue;
    }
    b.start_s = st;
    const char *cls = th_csv_field(csv, c[1]);
    b.cls = -1;
    for (guint i = 0; i < s->bin_cls->len; i++)
      if (!strcmp(g_ptr_array_index(s->bin_cls, i), cls)) b.cls = (int)i;
    if (b.cls < 0) {
      g_ptr_array_add(s->bin_cls, g_strdup(cls));
      b.cls = (int)s->bin_cls->len - 1;
    }
    g_array_append_val(s->bins, b);
  }
  return th_csv_read_end(e, problems, TH_ERROR_PARSE, error);
}

static double class_pcu(const ThModelSource *s, const char *cls) {
  int i = th_class_table_lookup(s->classes, cls);
  return i >= 0 ? s->classes->cls[i].pcu : 1.0;
}

/* Modelled flow on link A for an observation's class and period. */
static double link_value(ThModelSource *s, int a, const ThObservation *o, GError **error) {
  const char *k = o->cls;
  gboolean all = !strcmp(k, "all") || !strcmp(k, "vehicles");
  if (o->day || !s->res || s->whole_day) {
    double v;
    if (all) v = s->veh[a];
    else if (!strcmp(k, "pcu")) v = s->pcu[a];
    else if (!strcmp(k, "passengers")) v = s->res ? s->pax[a] : NAN;
    else if (!strcmp(k, "tonnes")) v = s->res ? s->tonnes[a] : NAN;
    else if (!strcmp(k, "trains")) /* timetables run in full: never expanded */
      return s->res ? s->train_pax[a] + s->train_freight[a] : NAN;
    else {
      double *row = g_hash_table_lookup(s->cls_veh, k);
      v = row ? row[a] : 0;
    }
    return v * s->expand;
  }
  if (!s->bins_read && !read_bins(s, error)) return NAN;
  if (s->bins->len == 0 || !strcmp(k, "passengers") || !strcmp(k, "tonnes") || !strcmp(k, "trains"))
    return NAN;
  double v = 0;
  for (guint i = 0; i < s->bins->len; i++) {
    const Bin *b = &g_array_index(s->bins, Bin, i);
    if (b->link != a || b->start_s < o->start_s || b->start_s >= o->end_s) continue;
    const char *bc = g_ptr_array_index(s->bin_cls, b->cls);
    if (all) v += b->vehicles;
    else if (!strcmp(k, "pcu")) v += b->vehicles * class_pcu(s, bc);
    else if (!strcmp(k, bc)) v += b->vehicles;
  }
  return v * s->expand;
}

/* Sums COL of FILE's rows whose KEY column (or NAME column) equals ID and
 * whose time column (if TCOL given) is in the period. *FOUND set if a row
 * matched the id. */
static double sum_rows(const char *path, const char *key, const char *name, const char *col,
                       const char *tcol, const ThObservation *o, gboolean *found, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NAN;
  int ck = th_csv_require(csv, key, error);
  if (ck < 0) return NAN;
  int cv = th_csv_require(csv, col, error);
  if (cv < 0) return NAN;
  int cn = th_csv_column(csv, name), ct = tcol ? th_csv_column(csv, tcol) : -1;
  double sum = 0;
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    if (strcmp(th_csv_field(csv, ck), o->id) && (cn < 0 || strcmp(th_csv_field(csv, cn), o->id)))
      continue;
    *found = TRUE;
    if (ct >= 0 && !o->day) {
      int64_t t;
      if (!th_parse_time(th_csv_field(csv, ct), &t) || t < o->start_s || t >= o->end_s) continue;
    }
    double x;
    if (!th_csv_double_or(csv, cv, 0, &x, &e)) break;
    sum += x;
  }
  if (e) {
    g_propagate_error(error, e);
    return NAN;
  }
  return sum;
}

/* Boardings (boarded_load: passengers or tonnes) of stops_out.csv at the
 * observation's stop (id = the stop's node id as written or its name), of
 * every line (class `all`) or of the line given as class (a line or line
 * name). *FOUND_STOP / *FOUND_LINE set when a row matched the stop / the
 * line. Day totals only. */
static double stop_boardings(const char *path, const ThObservation *o, gboolean *found_stop,
                             gboolean *found_line, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NAN;
  static const char *names[] = {"line", "name", "stop", "stop_name", "boarded_load"};
  int c[5];
  for (int i = 0; i < 5; i++)
    if ((c[i] = th_csv_require(csv, names[i], error)) < 0) return NAN;
  gboolean any_line = !strcmp(o->cls, "all");
  double sum = 0;
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    gboolean line = any_line || !strcmp(th_csv_field(csv, c[0]), o->cls) ||
                    !strcmp(th_csv_field(csv, c[1]), o->cls);
    gboolean stop = !strcmp(th_csv_field(csv, c[2]), o->id) || !strcmp(th_csv_field(csv, c[3]), o->id);
    *found_line |= line;
    *found_stop |= stop;
    if (!line || !stop) continue;
    double x;
    if (!th_csv_double_or(csv, c[4], 0, &x, &e)) break;
    sum += x;
  }
  if (e) {
    g_propagate_error(error, e);
    return NAN;
  }
  return sum;
}

/* Whether the trip end written as TEXT (a zone id as written, or a node id
 * for a trip between nodes) is in the study area INTERNAL (zone ids as
 * written; NULL: every zone). Text ids are matched as text, never parsed as
 * numbers (issue 13: GMNS text ids); a node id counts by its zone. */
static gboolean end_inside(const ThModelSource *s, GHashTable *internal, const char *text) {
  if (!internal) return TRUE;
  if (g_hash_table_contains(internal, text)) return TRUE;
  if (!s->res) return FALSE;
  const ThNetwork *net = s->res->net;
  if (th_network_zone_find(net, text) >= 0) return FALSE; /* a zone, not in the list */
  int v = th_network_node_find(net, text);
  if (v < 0 || net->node_zone[v] < 0) return FALSE;
  char buf[32];
  return g_hash_table_contains(internal, th_network_zone_label(net, net->node_zone[v], buf));
}

/* The share or mean trip time of passenger trips (trips_out.csv) in the
 * observation's market and period. */
static gboolean trips_aggregate(ThModelSource *s, const ThObservation *o, GHashTable *internal,
                                double *out, GError **error) {
  g_autofree char *path = g_build_filename(s->path, "trips_out.csv", NULL);
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  static const char *names[] = {"class", "mode", "origin", "destination", "depart", "travel_time_s", "status"};
  int c[7];
  for (int i = 0; i < 7; i++)
    if ((c[i] = th_csv_require(csv, names[i], error)) < 0) return FALSE;
  double n = 0, hit = 0, tsum = 0;
  GError *e = NULL;
  gboolean want_cls = strcmp(o->cls, "all") != 0;
  while (th_csv_next(csv, &e)) {
    const char *cls = th_csv_field(csv, c[0]), *mode = th_csv_field(csv, c[1]);
    int ci = th_class_table_lookup(s->classes, cls);
    if (ci >= 0 && s->classes->cls[ci].kind != TH_CLASS_PASSENGER) continue;
    if (!strcmp(cls, "bus")) continue;
    int64_t dep;
    if (!o->day && (!th_parse_time(th_csv_field(csv, c[4]), &dep) || dep < o->start_s || dep >= o->end_s))
      continue;
    gboolean oi = end_inside(s, internal, th_csv_field(csv, c[2]));
    gboolean di = end_inside(s, internal, th_csv_field(csv, c[3]));
    if (o->market != TH_MARKET_ALL && th_market_of(oi, di) != o->market) continue;
    if (o->type == TH_OBS_MODE_SHARE) {
      if (!*mode) continue;
      n++;
      if (!strcmp(mode, o->cls) || (!strcmp(o->cls, "road") && (!strcmp(mode, "car") || !strcmp(mode, "truck"))))
        hit++;
    } else {
      gboolean tld = o->type == TH_OBS_TRIP_LENGTH_SHARE; /* class is the band */
      if (!tld && want_cls && strcmp(cls, o->cls)) continue;
      if (strcmp(th_csv_field(csv, c[6]), "arrived")) continue;
      double t;
      if (!th_parse_double(th_csv_field(csv, c[5]), &t)) continue;
      n++;
      tsum += t / 60.0;
      if (tld && t / 60.0 >= o->band_lo && t / 60.0 < o->band_hi) hit++;
    }
  }
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  if (o->type == TH_OBS_MODE_SHARE || o->type == TH_OBS_TRIP_LENGTH_SHARE) *out = n > 0 ? hit / n : NAN;
  else *out = n > 0 ? tsum / n : NAN;
  return TRUE;
}

/* Mean trip length (km) of od_times.csv's day rows in the observation's
 * market: passenger classes, or class `cls`; NAN without trips. */
static gboolean trip_km(ThModelSource *s, const ThObservation *o, GHashTable *internal, double *out,
                        GError **error) {
  g_autofree char *path = g_build_filename(s->path, "od_times.csv", NULL);
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  static const char *names[] = {"origin", "destination", "class", "period", "trips", "distance_km"};
  int c[6];
  for (int i = 0; i < 6; i++)
    if ((c[i] = th_csv_require(csv, names[i], error)) < 0) return FALSE;
  gboolean tld = o->type == TH_OBS_TRIP_LENGTH_SHARE; /* class is the band: every passenger class */
  gboolean want_cls = !tld && strcmp(o->cls, "all") != 0;
  double n = 0, km = 0, hit = 0;
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    if (strcmp(th_csv_field(csv, c[3]), "day")) continue;
    const char *cls = th_csv_field(csv, c[2]);
    if (want_cls && strcmp(cls, o->cls) != 0) continue;
    int ci = th_class_table_lookup(s->classes, cls);
    if (!want_cls && ((ci >= 0 && s->classes->cls[ci].kind != TH_CLASS_PASSENGER) || !strcmp(cls, "bus")))
      continue;
    double t, d;
    if (!th_parse_double(th_csv_field(csv, c[4]), &t) || !th_parse_double(th_csv_field(csv, c[5]), &d))
      continue;
    gboolean oi = end_inside(s, internal, th_csv_field(csv, c[0]));
    gboolean di = end_inside(s, internal, th_csv_field(csv, c[1]));
    if (o->market != TH_MARKET_ALL && th_market_of(oi, di) != o->market) continue;
    n += t;
    km += t * d;
    if (d >= o->band_lo && d < o->band_hi) hit += t;
  }
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  *out = n > 0 ? (tld ? hit / n : km / n) : NAN;
  return TRUE;
}

static int cmp_strp(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

double *th_model_source_values(ThModelSource *s, const ThObserved *obs,
                               const ThScreenlines *sl, GHashTable *internal, GError **error) {
  int n = (int)obs->obs->len;
  g_autofree double *out = g_new(double, n + 1);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  const char *what = s->res ? "network/link.csv of the results" : "the flows file";
  if (internal && s->res) {
    /* a zone named in the study area must exist (ranges of numbers may have gaps) */
    guint nn = 0;
    g_autofree gpointer *named = g_hash_table_get_keys_as_array(internal, &nn);
    qsort(named, nn, sizeof *named, cmp_strp);
    for (guint i = 0; i < nn; i++) {
      const char *z = named[i];
      int64_t id;
      if (!th_parse_int64(z, &id) && th_network_zone_find(s->res->net, z) < 0)
        g_ptr_array_add(problems, g_strdup_printf("study area: zone '%s' is not a zone of %s/network "
                                                  "(a zone id as written in node.csv)", z, s->path));
    }
  }
  for (int i = 0; i < n; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    GError *e = NULL;
    out[i] = NAN;
    switch (o->type) {
    case TH_OBS_LINK_COUNT: {
      int a = link_of_obs(s, o->id);
      if (a < 0) {
        th_problems_add(problems, obs->path, o->line, "link %s is not in %s (a link_id of the network)",
                        o->id, what);
        continue;
      }
      out[i] = link_value(s, a, o, &e);
      break;
    }
    case TH_OBS_SCREENLINE: {
      int k = sl ? th_screenlines_find(sl, o->id) : -1;
      if (k < 0) {
        th_problems_add(problems, obs->path, o->line,
                        "screenline '%s' is not defined (a name of --screenlines FILE)", o->id);
        continue;
      }
      GArray *links = g_ptr_array_index(sl->links, k), *lines = g_ptr_array_index(sl->lines, k);
      double sum = 0;
      for (guint j = 0; j < links->len && !e; j++) {
        int a = link_of(s, g_array_index(links, int64_t, j));
        if (a < 0) {
          th_problems_add(problems, sl->path, g_array_index(lines, int, j),
                          "link %" G_GINT64_FORMAT " is not in %s (a link_id of the network)",
                          g_array_index(links, int64_t, j), what);
          sum = NAN;
          continue;
        }
        sum += link_value(s, a, o, &e);
      }
      out[i] = sum;
      break;
    }
    case TH_OBS_LINE_BOARDINGS:
    case TH_OBS_HUB_TONNES: {
      if (!s->res) continue;
      gboolean line = o->type == TH_OBS_LINE_BOARDINGS;
      g_autofree char *p = g_build_filename(s->path, line ? "services_out.csv" : "hubs_out.csv", NULL);
      if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) continue;
      if (!line && !o->day) continue;
      gboolean found = FALSE;
      double v = line ? sum_rows(p, "line", "name", "boarded_load", "departure", o, &found, &e)
                      : sum_rows(p, "node_id", "name", "tonnes_handled", NULL, o, &found, &e);
      if (!e && !found) {
        th_problems_add(problems, obs->path, o->line, "%s '%s' is not in %s (a %s)",
                        line ? "line" : "hub", o->id, p,
                        line ? "line or line name of services.csv" : "node id or name of hubs.csv");
        continue;
      }
      out[i] = v; /* services_out.csv and hubs_out.csv are already at full scale */
      break;
    }
    case TH_OBS_STOP_BOARDINGS: {
      if (!s->res || !o->day) continue; /* per period: not in the folder */
      g_autofree char *p = g_build_filename(s->path, "stops_out.csv", NULL);
      if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) continue;
      gboolean fs = FALSE, fl = FALSE;
      double v = stop_boardings(p, o, &fs, &fl, &e);
      if (!e && (!fs || !fl)) {
        th_problems_add(problems, obs->path, o->line, "%s '%s' is not in %s (%s)",
                        !fs ? "stop" : "line", !fs ? o->id : o->cls, p,
                        !fs ? "a stop node id or name of a line of services.csv"
                            : "a line or line name of services.csv, or all");
        continue;
      }
      if (!e) out[i] = v; /* already expanded to the full demand */
      break;
    }
    case TH_OBS_MODE_SHARE:
    case TH_OBS_MEAN_TRIP_MIN: {
      if (!s->res) continue;
      g_autofree char *p = g_build_filename(s->path, "trips_out.csv", NULL);
      if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) continue;
      trips_aggregate(s, o, internal, &out[i], &e);
      break;
    }
    case TH_OBS_TRIP_LENGTH_SHARE:
      if (!o->band_km) {
        if (!s->res) continue;
        g_autofree char *p = g_build_filename(s->path, "trips_out.csv", NULL);
        if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) continue;
        trips_aggregate(s, o, internal, &out[i], &e);
        break;
      }
      if (!o->day) continue; /* od_times.csv's km by period: day only */
      G_GNUC_FALLTHROUGH;    /* km bands from od_times.csv */
    case TH_OBS_MEAN_TRIP_KM: {
      if (!s->res) continue;
      g_autofree char *p = g_build_filename(s->path, "od_times.csv", NULL);
      if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) continue;
      trip_km(s, o, internal, &out[i], &e);
      break;
    }
    default:
      break;
    }
    if (e) {
      g_propagate_error(error, e);
      return NULL;
    }
  }
  if (th_problems_to_error(problems, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&out);
}

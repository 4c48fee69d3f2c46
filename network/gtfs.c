/* gtfs.c: GTFS feed to taihang services (see gtfs.h). */
#include "network/gtfs.h"

#include "network/csv.h"
#include "network/nearest.h"
#include "network/th-error.h"
#include "network/zipfile.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The feed: a folder or a zip file                                     */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *path;
  ThZip *zip;
} Feed;

/* Opens FILE of the feed; NULL without error when the feed has no such file.
 * In a zip the file may sit in a folder (feeds zipped with their folder). */
static ThCsv *feed_open(Feed *f, const char *file, GError **error) {
  g_autofree char *name = g_build_filename(f->path, file, NULL);
  if (!f->zip) {
    if (!g_file_test(name, G_FILE_TEST_EXISTS)) return NULL;
    return th_csv_open(name, error);
  }
  char *buf = NULL, *why = NULL;
  gsize len = 0;
  int found = th_zip_read(f->zip, file, &buf, &len, &why);
  if (found == 0) return NULL;
  if (found < 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot read from the zip file (%s)", name, why);
    g_free(why);
    return NULL;
  }
  ThCsv *csv = th_csv_open_text(name, buf, len, error);
  g_free(buf);
  return csv;
}

/* ------------------------------------------------------------------ */
/* The rows we keep                                                     */
/* ------------------------------------------------------------------ */

typedef struct {
  char *id, *name;
  uint32_t mode;     /* 0: left out */
  int order;         /* row order in routes.txt */
  double fare;       /* yuan, -1 when none */
  int n_patterns;
  char *network;     /* GTFS-Fares v2 network_id (routes.txt or route_networks.txt), "" when none */
} Route;

typedef struct {
  char *id;
  int route;         /* index into routes */
  gboolean active;   /* runs on the day */
  GArray *st;        /* StopTime, file order until sorted */
  GArray *freq;      /* Freq, or NULL */
  int line;          /* trips.txt line */
  char *shape;       /* shape_id, "" when none */
} Trip;

typedef struct {
  int64_t seq;
  int arr, dep;      /* seconds, -1 when empty */
  int stop;          /* index into stops */
  int line;          /* stop_times.txt line */
  guint8 use;        /* TH_STOP_BOARD | TH_STOP_ALIGHT: pickup_type, drop_off_type not 1 */
} StopTime;

typedef struct {
  int start, end, headway;
} Freq;

typedef struct {
  char *id, *name, *parent;
  double lon, lat;
  int loc_type;
  int station;       /* index of the stop that stands for it (itself or its parent) */
  int node;          /* node index in the new network, -1 until used */
  int link_node;     /* NET node it is joined to */
  double walk_m;
  int line;
} Stop;

typedef struct {
  ThGtfsImport *imp;
  const ThNetwork *base;
  const ThGtfsOptions *opt;
  Feed feed;
  GPtrArray *problems;
  GHashTable *services;      /* service_id -> GINT_TO_POINTER(1 active, 2 inactive) */
  GArray *routes;            /* Route */
  GHashTable *route_idx;     /* id -> index+1 */
  GArray *trips;             /* Trip */
  GHashTable *trip_idx;
  GArray *stops;             /* Stop */
  GHashTable *stop_idx;
  int date_ymd, weekday;     /* 20240315, 1 = Monday .. 7 */
  GArray *walks;             /* int[3]: from station, to station, seconds (transfers.txt, type 2
                              * between different stations) */
  GHashTable *shapes;        /* shape_id -> GArray of ShapePt in sequence order (shapes.txt) */
} Import;

typedef struct {
  int64_t seq;
  double lon, lat;
} ShapePt;

static void route_clear(gpointer p) {
  Route *r = p;
  g_free(r->id);
  g_free(r->name);
  g_free(r->network);
}
static void trip_clear(gpointer p) {
  Trip *t = p;
  g_free(t->id);
  g_free(t->shape);
  if (t->st) g_array_free(t->st, TRUE);
  if (t->freq) g_array_free(t->freq, TRUE);
}
static void stop_clear(gpointer p) {
  Stop *s = p;
  g_free(s->id);
  g_free(s->name);
  g_free(s->parent);
}

static int lookup(GHashTable *h, const char *id) {
  return GPOINTER_TO_INT(g_hash_table_lookup(h, id)) - 1;
}

/* GTFS Time: H:MM:SS or HH:MM:SS, hours may pass 24. */
static gboolean parse_gtfs_time(const char *s, int *out) {
  int64_t t;
  if (!s || !*s || !strchr(s, ':') || !th_parse_time(s, &t) || t > 7 * 86400) return FALSE;
  *out = (int)t;
  return TRUE;
}

/* GTFS Date YYYYMMDD as an integer; FALSE unless a real date. */
static gboolean parse_gtfs_date(const char *s, int *out) {
  if (strlen(s) != 8) return FALSE;
  for (int i = 0; i < 8; i++)
    if (!g_ascii_isdigit(s[i])) return FALSE;
  int v = atoi(s);
  if (!g_date_valid_dmy(v % 100, (v / 100) % 100, v / 10000)) return FALSE;
  *out = v;
  return TRUE;
}

/* Requires the columns NAMES (NULL-terminated) of CSV; FALSE after adding
 * the problem. */
static gboolean require_cols(Import *im, ThCsv *csv, const char *const *names, int *cols) {
  for (int i = 0; names[i]; i++) {
    GError *e = NULL;
    cols[i] = th_csv_require(csv, names[i], &e);
    if (cols[i] < 0) {
      g_ptr_array_add(im->problems, g_strdup(e->message));
      g_error_free(e);
      return FALSE;
    }
  }
  return TRUE;
}

/* Adds a read error (malformed CSV) to the problems. */
static void take_error(Import *im, GError *e) {
  if (!e) return;
  g_ptr_array_add(im->problems, g_strdup(e->message));
  g_error_free(e);
}

/* A GTFS file read row by row: its name and the line of the current row,
 * for the problems of that row. */
typedef struct {
  Import *im;
  ThCsv *csv;
  const char *file;
  int ln;
  GError *e;
} Rows;

/* Starts reading CSV, whose columns NAMES (NULL-terminated) are required
 * (their indices into COLS); FALSE after adding the problem of a missing
 * one. */
static gboolean rows_open(Rows *r, Import *im, ThCsv *csv, const char *const *names, int *cols) {
  *r = (Rows){im, csv, th_csv_path(csv), 0, NULL};
  return require_cols(im, csv, names, cols);
}

/* The next row (its line in R->ln); at the end, FALSE and a read error
 * added to the problems. */
static gboolean rows_next(Rows *r) {
  if (th_csv_next(r->csv, &r->e)) {
    r->ln = th_csv_line(r->csv);
    return TRUE;
  }
  take_error(r->im, r->e);
  r->e = NULL;
  return FALSE;
}

/* A problem of the current row: "FILE:LINE: what". */
static void row_problem(const Rows *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void row_problem(const Rows *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  th_problems_add(r->im->problems, r->file, r->ln, "%s", msg);
}

/* The id column COL of the current row, ID: FALSE after adding the problem
 * when it is empty or (SEEN) appears a second time, one row per PER. */
static gboolean row_id(const Rows *r, const char *col, const char *id, gboolean seen,
                       const char *per) {
  if (!*id)
    row_problem(r, "%s is empty (an id)", col);
  else if (seen)
    row_problem(r, "%s '%s' appears twice (one row per %s)", col, id, per);
  return *id && !seen;
}

/* ------------------------------------------------------------------ */
/* Service day                                                          */
/* ------------------------------------------------------------------ */

static void read_calendar(Import *im, ThCsv *csv) {
  static const char *const names[] = {"service_id", "monday", "tuesday", "wednesday", "thursday",
                                      "friday", "saturday", "sunday", "start_date", "end_date",
                                      NULL};
  int c[10];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  while (rows_next(&rows)) {
    const char *id = th_csv_field(csv, c[0]);
    gboolean ok = TRUE;
    int flags[7];
    for (int d = 0; d < 7; d++) {
      const char *v = th_csv_field(csv, c[1 + d]);
      if (strcmp(v, "0") && strcmp(v, "1")) {
        row_problem(&rows, "%s '%s' is not 0 or 1", names[1 + d], v);
        ok = FALSE;
      }
      flags[d] = v[0] == '1';
    }
    int start = 0, end = 0;
    if (!parse_gtfs_date(th_csv_field(csv, c[8]), &start)) {
      row_problem(&rows, "start_date '%s' is not a date (YYYYMMDD)", th_csv_field(csv, c[8]));
      ok = FALSE;
    }
    if (!parse_gtfs_date(th_csv_field(csv, c[9]), &end)) {
      row_problem(&rows, "end_date '%s' is not a date (YYYYMMDD)", th_csv_field(csv, c[9]));
      ok = FALSE;
    }
    if (!row_id(&rows, "service_id", id, g_hash_table_contains(im->services, id), "service"))
      ok = FALSE;
    if (!ok) continue;
    gboolean on = im->date_ymd >= start && im->date_ymd <= end && flags[im->weekday - 1];
    g_hash_table_insert(im->services, g_strdup(id), GINT_TO_POINTER(on ? 1 : 2));
  }
}

static void read_calendar_dates(Import *im, ThCsv *csv) {
  static const char *const names[] = {"service_id", "date", "exception_type", NULL};
  int c[3];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  while (rows_next(&rows)) {
    const char *id = th_csv_field(csv, c[0]), *type = th_csv_field(csv, c[2]);
    int date = 0;
    gboolean ok = TRUE;
    if (!row_id(&rows, "service_id", id, FALSE, "service")) ok = FALSE;
    if (!parse_gtfs_date(th_csv_field(csv, c[1]), &date)) {
      row_problem(&rows, "date '%s' is not a date (YYYYMMDD)", th_csv_field(csv, c[1]));
      ok = FALSE;
    }
    if (strcmp(type, "1") && strcmp(type, "2")) {
      row_problem(&rows, "exception_type '%s' is not 1 (service added) or 2 (service removed)",
                  type);
      ok = FALSE;
    }
    if (!ok) continue;
    if (!g_hash_table_contains(im->services, id))
      g_hash_table_insert(im->services, g_strdup(id), GINT_TO_POINTER(2));
    if (date == im->date_ymd)
      g_hash_table_insert(im->services, g_strdup(id), GINT_TO_POINTER(type[0] == '1' ? 1 : 2));
  }
}

/* ------------------------------------------------------------------ */
/* routes, trips, stops                                                 */
/* ------------------------------------------------------------------ */

uint32_t th_gtfs_mode(int t) {
  if (t == 3 || t == 11 || (t >= 200 && t <= 299) || (t >= 700 && t <= 799)) return TH_MODE_BUS;
  if (t == 101) return TH_MODE_HSR;
  if (t == 103 || t == 106 || t == 109) return TH_MODE_INTERCITY;
  if (t == 2 || (t >= 100 && t <= 117)) return TH_MODE_RAIL;
  if (t == 0 || t == 1 || t == 12 || (t >= 400 && t <= 499) || (t >= 900 && t <= 999))
    return TH_MODE_INTERCITY;
  return 0;
}

static void read_routes(Import *im, ThCsv *csv) {
  static const char *const names[] = {"route_id", "route_type", NULL};
  int c[2];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  int c_short = th_csv_column(csv, "route_short_name"),
      c_long = th_csv_column(csv, "route_long_name");
  int c_net = th_csv_column(csv, "network_id");
  int left_out = 0;
  while (rows_next(&rows)) {
    const char *id = th_csv_field(csv, c[0]);
    int64_t type;
    if (!row_id(&rows, "route_id", id, lookup(im->route_idx, id) >= 0, "route")) continue;
    if (!th_parse_int64(th_csv_field(csv, c[1]), &type) || type < 0) {
      row_problem(&rows,
                  "route_type '%s' is not a route type (0-7, 11, 12 or an extended type 100-1700)",
                  th_csv_field(csv, c[1]));
      continue;
    }
    const char *sn = th_csv_field(csv, c_short), *lnm = th_csv_field(csv, c_long);
    Route r = {.id = g_strdup(id), .mode = th_gtfs_mode((int)type), .order = (int)im->routes->len,
               .fare = -1, .network = g_strdup(th_csv_field(csv, c_net))};
    r.name = *sn && *lnm ? g_strdup_printf("%s %s", sn, lnm) : g_strdup(*sn ? sn : lnm);
    if (!r.mode) left_out++;
    g_array_append_val(im->routes, r);
    g_hash_table_insert(im->route_idx, g_strdup(id), GINT_TO_POINTER(im->routes->len));
  }
  if (left_out)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: %d route(s) of a type taihang has no mode for (ferry, "
                                    "cable car, funicular, air...) left out",
                                    rows.file, left_out));
}

static void read_trips(Import *im, ThCsv *csv) {
  static const char *const names[] = {"route_id", "service_id", "trip_id", NULL};
  int c[3];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  int c_shape = th_csv_column(csv, "shape_id");
  while (rows_next(&rows)) {
    const char *rid = th_csv_field(csv, c[0]), *sid = th_csv_field(csv, c[1]);
    const char *tid = th_csv_field(csv, c[2]);
    int r = lookup(im->route_idx, rid);
    gboolean ok = TRUE;
    if (r < 0) {
      row_problem(&rows, "route_id '%s' is not in routes.txt", rid);
      ok = FALSE;
    }
    if (!g_hash_table_contains(im->services, sid)) {
      row_problem(&rows, "service_id '%s' is not in calendar.txt or calendar_dates.txt", sid);
      ok = FALSE;
    }
    if (!row_id(&rows, "trip_id", tid, lookup(im->trip_idx, tid) >= 0, "trip")) ok = FALSE;
    if (!ok) continue;
    Trip t = {.id = g_strdup(tid),
              .route = r,
              .line = rows.ln,
              .active = GPOINTER_TO_INT(g_hash_table_lookup(im->services, sid)) == 1 &&
                        g_array_index(im->routes, Route, r).mode != 0,
              .shape = g_strdup(th_csv_field(csv, c_shape))};
    if (t.active) t.st = g_array_new(FALSE, FALSE, sizeof(StopTime));
    g_array_append_val(im->trips, t);
    g_hash_table_insert(im->trip_idx, g_strdup(tid), GINT_TO_POINTER(im->trips->len));
  }
}

static gint cmp_shape_pt(gconstpointer a, gconstpointer b) {
  const ShapePt *x = a, *y = b;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* shapes.txt (when present): the points of each shape in sequence order;
 * then every trip's shape_id must name one. */
static void read_shapes(Import *im, ThCsv *csv) {
  if (csv) {
    static const char *const names[] = {"shape_id", "shape_pt_lat", "shape_pt_lon",
                                        "shape_pt_sequence", NULL};
    int c[4];
    if (!require_cols(im, csv, names, c)) return;
    const char *file = th_csv_path(csv);
    GError *e = NULL;
    while (th_csv_next(csv, &e)) {
      int ln = th_csv_line(csv);
      const char *id = th_csv_field(csv, c[0]);
      ShapePt pt;
      if (!*id) {
        th_problems_add(im->problems, file, ln, "shape_id is empty (an id)");
        continue;
      }
      if (!th_parse_double(th_csv_field(csv, c[1]), &pt.lat) || fabs(pt.lat) > 90 ||
          !th_parse_double(th_csv_field(csv, c[2]), &pt.lon) || fabs(pt.lon) > 180) {
        th_problems_add(im->problems, file, ln,
                        "shape_pt_lat '%s', shape_pt_lon '%s' are not a WGS84 point (degrees)",
                        th_csv_field(csv, c[1]), th_csv_field(csv, c[2]));
        continue;
      }
      if (!th_parse_int64(th_csv_field(csv, c[3]), &pt.seq) || pt.seq < 0) {
        th_problems_add(im->problems, file, ln, "shape_pt_sequence '%s' is not a whole number >= 0",
                        th_csv_field(csv, c[3]));
        continue;
      }
      GArray *a = g_hash_table_lookup(im->shapes, id);
      if (!a) {
        a = g_array_new(FALSE, FALSE, sizeof(ShapePt));
        g_hash_table_insert(im->shapes, g_strdup(id), a);
      }
      g_array_append_val(a, pt);
    }
    take_error(im, e);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, im->shapes);
    while (g_hash_table_iter_next(&it, &k, &v)) g_array_sort(v, cmp_shape_pt);
  }
  g_autofree char *trips_file = g_build_filename(im->feed.path, "trips.txt", NULL);
  for (guint i = 0; i < im->trips->len; i++) {
    const Trip *t = &g_array_index(im->trips, Trip, i);
    if (*t->shape && !g_hash_table_contains(im->shapes, t->shape))
      th_problems_add(im->problems, trips_file, t->line, "shape_id '%s' is not in shapes.txt",
                      t->shape);
  }
}

static void read_stops(Import *im, ThCsv *csv) {
  static const char *const names[] = {"stop_id", NULL};
  int c[1];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  int c_name = th_csv_column(csv, "stop_name"), c_lat = th_csv_column(csv, "stop_lat");
  int c_lon = th_csv_column(csv, "stop_lon"), c_type = th_csv_column(csv, "location_type");
  int c_par = th_csv_column(csv, "parent_station");
  while (rows_next(&rows)) {
    const char *id = th_csv_field(csv, c[0]);
    const char *ts = th_csv_field(csv, c_type);
    int64_t type = 0;
    if (!row_id(&rows, "stop_id", id, lookup(im->stop_idx, id) >= 0, "stop")) continue;
    if (*ts && (!th_parse_int64(ts, &type) || type < 0 || type > 4)) {
      row_problem(&rows, "location_type '%s' is not 0-4", ts);
      continue;
    }
    double lat = NAN, lon = NAN;
    const char *las = th_csv_field(csv, c_lat), *los = th_csv_field(csv, c_lon);
    if (type <= 2) { /* required for stops, stations and entrances */
      if (!th_parse_double(las, &lat) || lat < -90 || lat > 90) {
        row_problem(&rows, "stop_lat '%s' is not a latitude (-90..90)", las);
        continue;
      }
      if (!th_parse_double(los, &lon) || lon < -180 || lon > 180) {
        row_problem(&rows, "stop_lon '%s' is not a longitude (-180..180)", los);
        continue;
      }
    }
    Stop s = {.id = g_strdup(id),
              .name = g_strdup(th_csv_field(csv, c_name)),
              .parent = g_strdup(th_csv_field(csv, c_par)),
              .lon = lon,
              .lat = lat,
              .loc_type = (int)type,
              .station = (int)im->stops->len,
              .node = -1,
              .link_node = -1,
              .line = rows.ln};
    g_array_append_val(im->stops, s);
    g_hash_table_insert(im->stop_idx, g_strdup(id), GINT_TO_POINTER(im->stops->len));
  }
  /* platforms stand for their station */
  for (guint i = 0; i < im->stops->len; i++) {
    Stop *s = &g_array_index(im->stops, Stop, i);
    if (s->loc_type != 0 || !*s->parent) continue;
    int p = lookup(im->stop_idx, s->parent);
    if (p < 0 || g_array_index(im->stops, Stop, p).loc_type != 1)
      th_problems_add(im->problems, rows.file, s->line,
                      "parent_station '%s' is not a station of stops.txt (location_type 1)",
                      s->parent);
    else s->station = p;
  }
}

static void read_stop_times(Import *im, ThCsv *csv) {
  static const char *const names[] = {"trip_id", "stop_sequence", "stop_id", NULL};
  int c[3];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  int c_stop = c[2];
  int c_arr = th_csv_column(csv, "arrival_time"), c_dep = th_csv_column(csv, "departure_time");
  int c_pick = th_csv_column(csv, "pickup_type"), c_drop = th_csv_column(csv, "drop_off_type");
  int on_request = 0;
  while (rows_next(&rows)) {
    const char *tid = th_csv_field(csv, c[0]), *sid = th_csv_field(csv, c_stop);
    int t = lookup(im->trip_idx, tid);
    if (t < 0) {
      row_problem(&rows, "trip_id '%s' is not in trips.txt", tid);
      continue;
    }
    int s = lookup(im->stop_idx, sid);
    if (s < 0) {
      row_problem(&rows, "stop_id '%s' is not in stops.txt", sid);
      continue;
    }
    if (g_array_index(im->stops, Stop, s).loc_type != 0) {
      row_problem(&rows, "stop_id '%s' is not a stop or platform (location_type 0 or empty)", sid);
      continue;
    }
    StopTime st = {.arr = -1, .dep = -1, .stop = s, .line = rows.ln};
    if (!th_parse_int64(th_csv_field(csv, c[1]), &st.seq) || st.seq < 0) {
      row_problem(&rows, "stop_sequence '%s' is not a whole number >= 0", th_csv_field(csv, c[1]));
      continue;
    }
    const char *as = th_csv_field(csv, c_arr), *ds = th_csv_field(csv, c_dep);
    if (*as && !parse_gtfs_time(as, &st.arr)) {
      row_problem(&rows, "arrival_time '%s' is not a time (HH:MM:SS)", as);
      continue;
    }
    if (*ds && !parse_gtfs_time(ds, &st.dep)) {
      row_problem(&rows, "departure_time '%s' is not a time (HH:MM:SS)", ds);
      continue;
    }
    /* pickup_type / drop_off_type: 1 forbids boarding / alighting; 2 and 3
     * (phone the agency, ask the driver) are taken as allowed, noted */
    st.use = TH_STOP_BOARD | TH_STOP_ALIGHT;
    gboolean bad_use = FALSE;
    for (int w = 0; w < 2; w++) {
      const char *v = th_csv_field(csv, w ? c_drop : c_pick);
      int64_t x = 0;
      if (*v && (!th_parse_int64(v, &x) || x < 0 || x > 3)) {
        row_problem(&rows, "%s '%s' is not 0-3", w ? "drop_off_type" : "pickup_type", v);
        bad_use = TRUE;
      } else if (x == 1)
        st.use &= (guint8)~(w ? TH_STOP_ALIGHT : TH_STOP_BOARD);
      else if (x >= 2)
        on_request++;
    }
    if (bad_use) continue;
    if (st.arr < 0) st.arr = st.dep;
    if (st.dep < 0) st.dep = st.arr;
    if (st.dep < st.arr) {
      row_problem(&rows, "departure_time %s is before arrival_time %s", ds, as);
      continue;
    }
    Trip *tr = &g_array_index(im->trips, Trip, t);
    if (tr->st) g_array_append_val(tr->st, st);
  }
  if (on_request)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: %d pickup or drop-off on request (type 2 or 3) taken as "
                                    "allowed", rows.file, on_request));
}

static void read_frequencies(Import *im, ThCsv *csv) {
  static const char *const names[] = {"trip_id", "start_time", "end_time", "headway_secs", NULL};
  int c[4];
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return;
  while (rows_next(&rows)) {
    const char *tid = th_csv_field(csv, c[0]);
    int t = lookup(im->trip_idx, tid);
    Freq f;
    int64_t h;
    gboolean ok = TRUE;
    if (t < 0) {
      row_problem(&rows, "trip_id '%s' is not in trips.txt", tid);
      ok = FALSE;
    }
    if (!parse_gtfs_time(th_csv_field(csv, c[1]), &f.start)) {
      row_problem(&rows, "start_time '%s' is not a time (HH:MM:SS)", th_csv_field(csv, c[1]));
      ok = FALSE;
    }
    if (!parse_gtfs_time(th_csv_field(csv, c[2]), &f.end)) {
      row_problem(&rows, "end_time '%s' is not a time (HH:MM:SS)", th_csv_field(csv, c[2]));
      ok = FALSE;
    }
    if (!th_parse_int64(th_csv_field(csv, c[3]), &h) || h <= 0 || h > 86400) {
      row_problem(&rows, "headway_secs '%s' is not a positive whole number of seconds",
                  th_csv_field(csv, c[3]));
      ok = FALSE;
    }
    if (ok && f.end <= f.start) {
      row_problem(&rows, "end_time %s is not after start_time %s", th_csv_field(csv, c[2]),
                  th_csv_field(csv, c[1]));
      ok = FALSE;
    }
    if (!ok) continue;
    f.headway = (int)h;
    Trip *tr = &g_array_index(im->trips, Trip, t);
    if (!tr->freq) tr->freq = g_array_new(FALSE, FALSE, sizeof(Freq));
    g_array_append_val(tr->freq, f);
  }
}

/* ------------------------------------------------------------------ */
/* Fares and transfers                                                  */
/* ------------------------------------------------------------------ */

static void read_fares(Import *im, ThCsv *attr, ThCsv *rules) {
  static const char *const an[] = {"fare_id", "price", "currency_type", NULL};
  static const char *const rn[] = {"fare_id", NULL};
  int ca[3], cr[1];
  Rows rows;
  if (!rows_open(&rows, im, attr, an, ca)) return;
  g_autoptr(GHashTable) price = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gboolean foreign = FALSE;
  while (rows_next(&rows)) {
    const char *id = th_csv_field(attr, ca[0]);
    double p;
    if (!*id || g_hash_table_contains(price, id)) {
      row_problem(&rows, "fare_id '%s' is empty or appears twice (unique ids)", id);
      continue;
    }
    if (!th_parse_double(th_csv_field(attr, ca[1]), &p) || p < 0) {
      row_problem(&rows, "price '%s' is not an amount >= 0", th_csv_field(attr, ca[1]));
      continue;
    }
    if (g_ascii_strcasecmp(th_csv_field(attr, ca[2]), "CNY")) foreign = TRUE;
    g_hash_table_insert(price, g_strdup(id), g_memdup2(&p, sizeof p));
  }
  if (foreign)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: prices not in CNY are taken as yuan", rows.file));
  if (!rules) {
    if (g_hash_table_size(price) == 1) { /* one fare, no rules: it applies to every route */
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init(&it, price);
      g_hash_table_iter_next(&it, &k, &v);
      for (guint i = 0; i < im->routes->len; i++)
        g_array_index(im->routes, Route, i).fare = *(double *)v;
    }
    return;
  }
  if (!rows_open(&rows, im, rules, rn, cr)) return;
  int c_route = th_csv_column(rules, "route_id"), c_o = th_csv_column(rules, "origin_id");
  int c_d = th_csv_column(rules, "destination_id"), c_c = th_csv_column(rules, "contains_id");
  int zonal = 0;
  while (rows_next(&rows)) {
    const char *fid = th_csv_field(rules, cr[0]), *rid = th_csv_field(rules, c_route);
    double *p = g_hash_table_lookup(price, fid);
    if (!p) {
      row_problem(&rows, "fare_id '%s' is not in fare_attributes.txt", fid);
      continue;
    }
    int r = *rid ? lookup(im->route_idx, rid) : -1;
    if (*rid && r < 0) {
      row_problem(&rows, "route_id '%s' is not in routes.txt", rid);
      continue;
    }
    gboolean z =
        *th_csv_field(rules, c_o) || *th_csv_field(rules, c_d) || *th_csv_field(rules, c_c);
    zonal += z;
    for (guint i = 0; i < im->routes->len; i++) {
      Route *R = &g_array_index(im->routes, Route, i);
      if (r >= 0 && (int)i != r) continue;
      /* a route's own rule wins over a rule for every route; among zone
       * rules, the lowest price */
      if (R->fare < 0 || (z && *p < R->fare) || (!z && r >= 0)) R->fare = *p;
    }
  }
  if (zonal)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: %d rule(s) by fare zone applied as the route's lowest "
                                    "price (taihang fares are per line)",
                                    rows.file, zonal));
}

/* GTFS-Fares v2, flat per route network: route_networks.txt (when routes.txt
 * has no network_id), fare_products.txt and fare_leg_rules.txt (gtfs.h). */
static void read_route_networks(Import *im, ThCsv *csv) {
  static const char *const names[] = {"network_id", "route_id", NULL};
  int c[2];
  if (!require_cols(im, csv, names, c)) return;
  const char *file = th_csv_path(csv);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int ln = th_csv_line(csv);
    const char *net = th_csv_field(csv, c[0]), *rid = th_csv_field(csv, c[1]);
    int r = lookup(im->route_idx, rid);
    if (r < 0) {
      th_problems_add(im->problems, file, ln, "route_id '%s' is not in routes.txt", rid);
      continue;
    }
    Route *R = &g_array_index(im->routes, Route, r);
    if (!*net)
      th_problems_add(im->problems, file, ln, "network_id is empty (an id of networks.txt)");
    else if (*R->network)
      th_problems_add(im->problems, file, ln,
                      "route_id '%s' is already in network '%s' (a route belongs to one network; "
                      "routes.txt network_id and route_networks.txt must not both be given)",
                      rid, R->network);
    else {
      g_free(R->network);
      R->network = g_strdup(net);
    }
  }
  take_error(im, e);
}

typedef struct {
  char *network, *product;
  gboolean conditional; /* by area or timeframe */
  int64_t priority;
  double amount;
} LegRule;

static void read_fares_v2(Import *im, ThCsv *products, ThCsv *rules, ThCsv *networks) {
  static const char *const pn[] = {"fare_product_id", "amount", "currency", NULL};
  static const char *const rn[] = {"fare_product_id", NULL};
  int cp[3], cr[1];
  const char *rfile = th_csv_path(rules);
  if (!products) {
    g_ptr_array_add(im->problems,
                    g_strdup_printf("%s: fare_products.txt is missing (fare_leg_rules.txt names "
                                    "fare products)", rfile));
    return;
  }
  if (!require_cols(im, products, pn, cp) || !require_cols(im, rules, rn, cr)) return;
  /* a product's amount: the lowest of its rows (rider categories, media) */
  g_autoptr(GHashTable) amount = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  const char *file = th_csv_path(products);
  GError *e = NULL;
  gboolean foreign = FALSE, several = FALSE;
  while (th_csv_next(products, &e)) {
    int ln = th_csv_line(products);
    const char *id = th_csv_field(products, cp[0]);
    double a;
    if (!*id) {
      th_problems_add(im->problems, file, ln, "fare_product_id is empty (an id)");
      continue;
    }
    /* negative amounts are transfer discounts, not fares of a leg */
    if (!th_parse_double(th_csv_field(products, cp[1]), &a)) {
      th_problems_add(im->problems, file, ln, "amount '%s' is not a currency amount",
                      th_csv_field(products, cp[1]));
      continue;
    }
    if (g_ascii_strcasecmp(th_csv_field(products, cp[2]), "CNY")) foreign = TRUE;
    double *old = g_hash_table_lookup(amount, id);
    if (old) {
      several = TRUE;
      if (a < *old) *old = a;
    } else
      g_hash_table_insert(amount, g_strdup(id), g_memdup2(&a, sizeof a));
  }
  take_error(im, e);
  e = NULL;
  if (foreign)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: amounts not in CNY are taken as yuan", file));
  if (several)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: a product with several rows (rider categories or fare "
                                    "media) costs its lowest amount", file));
  /* the networks a rule may name: the routes', and networks.txt's */
  g_autoptr(GHashTable) nets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < im->routes->len; i++) {
    const char *n = g_array_index(im->routes, Route, i).network;
    if (*n) g_hash_table_add(nets, g_strdup(n));
  }
  if (networks) {
    int cn = th_csv_column(networks, "network_id");
    while (cn >= 0 && th_csv_next(networks, &e))
      if (*th_csv_field(networks, cn)) g_hash_table_add(nets, g_strdup(th_csv_field(networks, cn)));
    take_error(im, e);
    e = NULL;
  }
  int c_net = th_csv_column(rules, "network_id"), c_fa = th_csv_column(rules, "from_area_id"),
      c_ta = th_csv_column(rules, "to_area_id"),
      c_ft = th_csv_column(rules, "from_timeframe_group_id"),
      c_tt = th_csv_column(rules, "to_timeframe_group_id"),
      c_pr = th_csv_column(rules, "rule_priority");
  g_autoptr(GArray) lr = g_array_new(FALSE, TRUE, sizeof(LegRule));
  while (th_csv_next(rules, &e)) {
    int ln = th_csv_line(rules);
    const char *pid = th_csv_field(rules, cr[0]), *net = th_csv_field(rules, c_net);
    const char *pr = th_csv_field(rules, c_pr);
    double *a = g_hash_table_lookup(amount, pid);
    int64_t prio = 0;
    gboolean ok = TRUE;
    if (!a) {
      th_problems_add(im->problems, rfile, ln, "fare_product_id '%s' is not in fare_products.txt",
                      pid);
      ok = FALSE;
    }
    if (*net && !g_hash_table_contains(nets, net)) {
      th_problems_add(im->problems, rfile, ln,
                      "network_id '%s' is not a network of routes.txt, route_networks.txt or "
                      "networks.txt", net);
      ok = FALSE;
    }
    if (*pr && (!th_parse_int64(pr, &prio) || prio < 0)) {
      th_problems_add(im->problems, rfile, ln, "rule_priority '%s' is not a whole number >= 0", pr);
      ok = FALSE;
    }
    if (!ok) continue;
    LegRule r = {g_strdup(net), g_strdup(pid),
                 *th_csv_field(rules, c_fa) || *th_csv_field(rules, c_ta) ||
                     *th_csv_field(rules, c_ft) || *th_csv_field(rules, c_tt),
                 prio, *a};
    g_array_append_val(lr, r);
  }
  take_error(im, e);
  /* each route: the plain rule of its network (highest priority, then the
   * lowest amount), else the plain rule without network; a rule by area or
   * timeframe only when no plain one matches, its lowest amount */
  int conditional = 0;
  for (guint i = 0; i < im->routes->len; i++) {
    Route *R = &g_array_index(im->routes, Route, i);
    const LegRule *best = NULL;
    for (int pass = 0; pass < 4 && !best; pass++) {
      gboolean own = pass % 2 == 0, cond = pass >= 2;
      if (own && !*R->network) continue;
      for (guint k = 0; k < lr->len; k++) {
        const LegRule *r = &g_array_index(lr, LegRule, k);
        if (r->conditional != cond || strcmp(r->network, own ? R->network : "")) continue;
        if (!best || (!cond && r->priority > best->priority) ||
            ((cond || r->priority == best->priority) && r->amount < best->amount))
          best = r;
      }
    }
    if (!best) continue;
    R->fare = best->amount > 0 ? best->amount : 0;
    conditional += best->conditional;
  }
  for (guint k = 0; k < lr->len; k++) {
    g_free(g_array_index(lr, LegRule, k).network);
    g_free(g_array_index(lr, LegRule, k).product);
  }
  if (conditional)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: %d route(s) priced by a rule of fare areas or timeframes, "
                                    "at its lowest amount (taihang fares are per line)",
                                    rfile, conditional));
}

/* Transfer time per station stop index (-1: default); returns it as a table. */
static int *read_transfers(Import *im, ThCsv *csv) {
  static const char *const names[] = {"from_stop_id", "to_stop_id", "transfer_type", NULL};
  int c[3];
  int *xfer = g_new(int, im->stops->len + 1);
  for (guint i = 0; i < im->stops->len; i++) xfer[i] = -1;
  Rows rows;
  if (!rows_open(&rows, im, csv, names, c)) return xfer;
  int c_min = th_csv_column(csv, "min_transfer_time");
  int c_ft = th_csv_column(csv, "from_trip_id"), c_tt = th_csv_column(csv, "to_trip_id");
  int c_fr = th_csv_column(csv, "from_route_id"), c_tr = th_csv_column(csv, "to_route_id");
  int other = 0, specific = 0, none = 0;
  while (rows_next(&rows)) {
    const char *fs = th_csv_field(csv, c[0]), *ts = th_csv_field(csv, c[1]);
    const char *ty = th_csv_field(csv, c[2]), *ms = th_csv_field(csv, c_min);
    int64_t type = 0, m = -1;
    if (*ty && (!th_parse_int64(ty, &type) || type < 0 || type > 5)) {
      row_problem(&rows, "transfer_type '%s' is not 0-5", ty);
      continue;
    }
    if (type >= 4) continue; /* in-seat transfers: the same vehicle, nothing to model */
    int a = lookup(im->stop_idx, fs), b = lookup(im->stop_idx, ts);
    if (a < 0 || b < 0) {
      row_problem(&rows, "%s '%s' is not in stops.txt", a < 0 ? "from_stop_id" : "to_stop_id",
                  a < 0 ? fs : ts);
      continue;
    }
    if (*ms && (!th_parse_int64(ms, &m) || m < 0)) {
      row_problem(&rows, "min_transfer_time '%s' is not a whole number of seconds >= 0", ms);
      continue;
    }
    if (type == 2 && m < 0) {
      row_problem(&rows, "min_transfer_time is empty (seconds, required by transfer_type 2)");
      continue;
    }
    if (type == 3) {
      none++;
      continue;
    }
    if (type != 2) continue;
    if (*th_csv_field(csv, c_ft) || *th_csv_field(csv, c_tt) || *th_csv_field(csv, c_fr) ||
        *th_csv_field(csv, c_tr))
      specific++;
    int sa = g_array_index(im->stops, Stop, a).station,
        sb = g_array_index(im->stops, Stop, b).station;
    if (sa != sb) { /* a footpath between the two stations (build_network) */
      int w[3] = {sa, sb, (int)m};
      g_array_append_val(im->walks, w);
      other++;
      continue;
    }
    if (m > xfer[sa]) xfer[sa] = (int)m;
  }
  (void)other;
  if (specific)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: %d trip- or route-specific transfer(s) applied to every "
                                    "run at the station",
                                    rows.file, specific));
  if (none)
    g_ptr_array_add(
        im->imp->notes,
        g_strdup_printf("%s: %d 'no transfer' row(s) (type 3) not modelled", rows.file, none));
  return xfer;
}

/* ------------------------------------------------------------------ */
/* Trips into lines                                                     */
/* ------------------------------------------------------------------ */

static int cmp_seq(const void *a, const void *b) {
  const StopTime *x = a, *y = b;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts a trip's stop times, checks them and fills the times left empty.
 * FALSE after adding problems. */
static gboolean prepare_trip(Import *im, Trip *t, const char *st_file) {
  GArray *st = t->st;
  if (st->len < 2) {
    th_problems_add(im->problems, st_file, st->len ? g_array_index(st, StopTime, 0).line : 0,
                    "trip '%s' has %u stop time(s) (at least 2)", t->id, st->len);
    return FALSE;
  }
  qsort(st->data, st->len, sizeof(StopTime), cmp_seq);
  StopTime *s = (StopTime *)st->data;
  int n = (int)st->len;
  for (int k = 1; k < n; k++)
    if (s[k].seq == s[k - 1].seq) {
      th_problems_add(im->problems, st_file, s[k].line,
                      "stop_sequence %" G_GINT64_FORMAT " of trip '%s' appears twice", s[k].seq,
                      t->id);
      return FALSE;
    }
  if (s[0].arr < 0 || s[n - 1].arr < 0) {
    th_problems_add(im->problems, st_file, s[s[0].arr < 0 ? 0 : n - 1].line,
                    "trip '%s' has no time at its %s stop (arrival_time and departure_time at "
                    "the first and last stop)", t->id, s[0].arr < 0 ? "first" : "last");
    return FALSE;
  }
  /* interpolate by straight-line distance between timepoints */
  double *cum = g_new0(double, n);
  for (int k = 1; k < n; k++) {
    const Stop *a = &g_array_index(im->stops, Stop, s[k - 1].stop);
    const Stop *b = &g_array_index(im->stops, Stop, s[k].stop);
    double d = th_haversine_m(a->lon, a->lat, b->lon, b->lat);
    cum[k] = cum[k - 1] + (isfinite(d) ? d : 0);
  }
  for (int k = 1, last = 0; k < n; k++) {
    if (s[k].arr < 0) continue;
    for (int j = last + 1; j < k; j++) {
      double span = cum[k] - cum[last];
      double f = span > 0 ? (cum[j] - cum[last]) / span : (double)(j - last) / (k - last);
      s[j].arr = s[j].dep = s[last].dep + (int)lround(f * (s[k].arr - s[last].dep));
    }
    last = k;
  }
  g_free(cum);
  for (int k = 1; k < n; k++)
    if (s[k].arr < s[k - 1].dep) {
      th_problems_add(im->problems, st_file, s[k].line,
                      "trip '%s' arrives at stop_sequence %" G_GINT64_FORMAT
                      " before it left the stop before (times in running order)",
                      t->id, s[k].seq);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  int route;
  GArray *nodes;     /* int: station stop index per stop */
  guint8 *use;       /* per stop: TH_STOP_BOARD | TH_STOP_ALIGHT; NULL: both everywhere */
  GArray *runs;      /* Run */
  int first_dep;
  int order;         /* first trip's index, for ties */
} Pattern;

typedef struct {
  int dep;           /* departure from the first stop */
  int trip;          /* for ties */
  int *t;            /* 2 n: arrival and departure (absolute) per stop */
} Run;

static int cmp_run(const void *a, const void *b) {
  const Run *x = a, *y = b;
  if (x->dep != y->dep) return x->dep < y->dep ? -1 : 1;
  return x->trip - y->trip;
}

/* Adds trip T (prepared) to its pattern: one run, or one per frequency slot. */
static void add_trip_runs(Import *im, GHashTable *by_key, GPtrArray *patterns, int ti) {
  Trip *t = &g_array_index(im->trips, Trip, ti);
  StopTime *s = (StopTime *)t->st->data;
  int n = (int)t->st->len;
  /* stations in order; consecutive stops at one station merge */
  GArray *nodes = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *times = g_array_new(FALSE, FALSE, sizeof(int) * 2);
  GArray *use = g_array_new(FALSE, FALSE, 1);
  for (int k = 0; k < n; k++) {
    int stn = g_array_index(im->stops, Stop, s[k].stop).station;
    if (nodes->len && g_array_index(nodes, int, nodes->len - 1) == stn) {
      ((int *)times->data)[2 * (times->len - 1) + 1] = s[k].dep;
      g_array_index(use, guint8, use->len - 1) |= s[k].use; /* any platform of it */
      continue;
    }
    g_array_append_val(nodes, stn);
    int ad[2] = {s[k].arr, s[k].dep};
    g_array_append_val(times, ad);
    g_array_append_val(use, s[k].use);
  }
  int m = (int)nodes->len;
  if (m < 2) {
    g_array_free(nodes, TRUE);
    g_array_free(times, TRUE);
    g_array_free(use, TRUE);
    return;
  }
  gboolean restricted = FALSE;
  for (int k = 0; k < m; k++)
    restricted |= g_array_index(use, guint8, k) != (TH_STOP_BOARD | TH_STOP_ALIGHT);
  GString *key = g_string_new(NULL);
  g_string_append_printf(key, "%d", t->route);
  for (int k = 0; k < m; k++) g_string_append_printf(key, ",%d", g_array_index(nodes, int, k));
  /* trips that board or alight at other stops are another pattern */
  for (int k = 0; restricted && k < m; k++)
    g_string_append_printf(key, "%s%u", k ? "." : "/", g_array_index(use, guint8, k));
  Pattern *p = g_hash_table_lookup(by_key, key->str);
  if (!p) {
    p = g_new0(Pattern, 1);
    p->route = t->route;
    p->nodes = nodes;
    if (restricted) p->use = g_memdup2(use->data, m);
    p->runs = g_array_new(FALSE, FALSE, sizeof(Run));
    p->first_dep = G_MAXINT;
    p->order = ti;
    g_hash_table_insert(by_key, g_string_free(key, FALSE), p);
    g_ptr_array_add(patterns, p);
  } else {
    g_string_free(key, TRUE);
    g_array_free(nodes, TRUE);
  }
  const int *tt = (const int *)times->data;
  int base = tt[1];
  int n_slots = 0;
  Freq one = {.start = base, .end = base + 1, .headway = 1};
  const Freq *fr = t->freq ? (const Freq *)t->freq->data : &one;
  int nf = t->freq ? (int)t->freq->len : 1;
  for (int i = 0; i < nf; i++)
    for (int dep = fr[i].start; dep < fr[i].end; dep += fr[i].headway) {
      Run r = {.dep = dep, .trip = ti, .t = g_new(int, 2 * m)};
      for (int k = 0; k < m; k++) {
        r.t[2 * k] = tt[2 * k] - base + dep;
        r.t[2 * k + 1] = tt[2 * k + 1] - base + dep;
      }
      r.t[0] = dep; /* the run starts at its departure */
      g_array_append_val(p->runs, r);
      if (dep < p->first_dep) p->first_dep = dep;
      n_slots++;
    }
  im->imp->n_runs += n_slots;
  g_array_free(times, TRUE);
  g_array_free(use, TRUE);
}

static int cmp_pattern(const void *a, const void *b, void *data) {
  Import *im = data;
  const Pattern *x = *(Pattern *const *)a, *y = *(Pattern *const *)b;
  int rx = g_array_index(im->routes, Route, x->route).order;
  int ry = g_array_index(im->routes, Route, y->route).order;
  if (rx != ry) return rx - ry;
  if (x->first_dep != y->first_dep) return x->first_dep < y->first_dep ? -1 : 1;
  return x->order - y->order;
}

static void append_clock(GString *g, int t) {
  g_string_append_printf(g, "%02d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
}

static double mode_capacity(const ThGtfsOptions *o, uint32_t mode) {
  switch (mode) {
  case TH_MODE_BUS: return o->capacity_bus;
  case TH_MODE_HSR: return o->capacity_hsr;
  case TH_MODE_INTERCITY: return o->capacity_intercity;
  default: return o->capacity_rail;
  }
}

/* services.csv text of the patterns (sorted). */
static char *services_text(Import *im, GPtrArray *patterns) {
  gboolean any_use = FALSE;
  for (guint i = 0; i < patterns->len; i++) any_use |= ((Pattern *)patterns->pdata[i])->use != NULL;
  GString *g = g_string_new("line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,"
                            "last_dep,headway_min,departures,capacity,fare_flat,fare_per_km,"
                            "source,route,trip_times");
  g_string_append(g, any_use ? ",stop_use\n" : "\n");
  for (guint i = 0; i < patterns->len; i++) {
    Pattern *p = patterns->pdata[i];
    Route *R = &g_array_index(im->routes, Route, p->route);
    int k_of_route = ++R->n_patterns;
    g_autofree char *id =
        k_of_route == 1 ? g_strdup(R->id) : g_strdup_printf("%s/%d", R->id, k_of_route);
    th_csv_append_field(g, id);
    g_string_append_c(g, ',');
    th_csv_append_field(g, R->name);
    g_string_append_printf(g, ",%s,passenger,", th_mode_name(R->mode));
    int m = (int)p->nodes->len;
    for (int k = 0; k < m; k++) {
      const Stop *s = &g_array_index(im->stops, Stop, g_array_index(p->nodes, int, k));
      g_string_append_printf(g, "%s%" G_GINT64_FORMAT, k ? ";" : "",
                             im->imp->net->node_id[s->node]);
    }
    g_string_append(g, ",,,,,,,");
    qsort(p->runs->data, p->runs->len, sizeof(Run), cmp_run);
    for (guint j = 0; j < p->runs->len; j++) {
      if (j) g_string_append_c(g, ';');
      append_clock(g, g_array_index(p->runs, Run, j).dep);
    }
    g_string_append_printf(g, ",%.6g,%.6g,0,GTFS,", mode_capacity(im->opt, R->mode),
                           R->fare > 0 ? R->fare : 0);
    th_csv_append_field(g, R->id);
    g_string_append_c(g, ',');
    for (guint j = 0; j < p->runs->len; j++) {
      const int *t = g_array_index(p->runs, Run, j).t;
      if (j) g_string_append_c(g, '|');
      for (int k = 1; k < m; k++) {
        if (k > 1) g_string_append_c(g, ';');
        append_clock(g, t[2 * k]);
        if (t[2 * k + 1] != t[2 * k]) {
          g_string_append_c(g, '/');
          append_clock(g, t[2 * k + 1]);
        }
      }
    }
    if (any_use) {
      static const char *const names[4] = {"none", "board", "alight", "both"};
      g_string_append_c(g, ',');
      for (int k = 0; p->use && k < m; k++)
        g_string_append_printf(g, "%s%s", k ? ";" : "", names[p->use[k] & 3]);
    }
    g_string_append_c(g, '\n');
  }
  return g_string_free(g, FALSE);
}

/* ------------------------------------------------------------------ */
/* The network with the stops                                           */
/* ------------------------------------------------------------------ */

static void copy_link(ThNetwork *out, const ThNetwork *net, int e) {
  ThLinkSpec L = {.id = net->link_id[e], .from_id = net->node_id[net->link_from[e]],
                  .to_id = net->node_id[net->link_to[e]], .modes = net->link_modes[e],
                  .name = net->link_name[e], .facility = net->link_facility[e],
                  .length_m = net->length_m[e], .free_speed_mps = net->free_speed_mps[e],
                  .free_time_s = net->free_time_s[e], .capacity_vph = net->capacity_vph[e],
                  .lanes = net->lanes[e], .bpr_alpha = net->bpr_alpha[e],
                  .bpr_beta = net->bpr_beta[e], .toll = net->toll[e],
                  .cost_per_tkm = net->cost_per_tkm[e], .geometry_wkt = net->link_geometry[e],
                  .source = net->link_source[e], .line = net->link_line[e]};
  th_network_add_link(out, &L);
}

/* shapes.txt as line geometry: for each stop pattern of a rail route
 * (rail, hsr, intercity) whose first trip has a shape, a link of the
 * route's mode from each stop node to the next along the shape (WKT
 * geometry: the stops and the shape points between their nearest points,
 * matched in order; length the polyline's; free-flow time the first run's
 * running time on the segment), once per pair of nodes and mode; the
 * services reader then finds that path, so the segment's length and links
 * are the shape's. A rail segment without a shape keeps the great-circle
 * length; buses keep their road path (a bus-only link would take them off
 * the road queues). */
static void shape_links(Import *im, GPtrArray *patterns, ThNetwork *out, int64_t *next_link) {
  g_autoptr(GHashTable) done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int made = 0;
  for (guint i = 0; i < patterns->len; i++) {
    const Pattern *p = patterns->pdata[i];
    const Route *R = &g_array_index(im->routes, Route, p->route);
    const Trip *t = &g_array_index(im->trips, Trip, p->order);
    if (!(R->mode & (TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY)) || !*t->shape) continue;
    const GArray *sh = g_hash_table_lookup(im->shapes, t->shape);
    if (!sh || sh->len < 2) continue;
    const ShapePt *pt = (const ShapePt *)sh->data;
    const int m = (int)p->nodes->len, np = (int)sh->len;
    g_autofree int *at = g_new(int, m);
    for (int k = 0, from = 0; k < m; k++) { /* nearest shape point, in order */
      const Stop *st = &g_array_index(im->stops, Stop, g_array_index(p->nodes, int, k));
      double best = INFINITY;
      at[k] = from;
      for (int j = from; j < np; j++) {
        double d = th_haversine_m(st->lon, st->lat, pt[j].lon, pt[j].lat);
        if (d < best) best = d, at[k] = j;
      }
      from = at[k];
    }
    const Run *run0 = &g_array_index(p->runs, Run, 0);
    for (int k = 0; k + 1 < m; k++) {
      const Stop *a = &g_array_index(im->stops, Stop, g_array_index(p->nodes, int, k));
      const Stop *b = &g_array_index(im->stops, Stop, g_array_index(p->nodes, int, k + 1));
      g_autofree char *key = g_strdup_printf("%d>%d:%u", a->node, b->node, R->mode);
      if (g_hash_table_contains(done, key)) continue;
      g_hash_table_add(done, g_steal_pointer(&key));
      GString *wkt = g_string_new("LINESTRING (");
      double len = 0, lon = a->lon, lat = a->lat;
      char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf(wkt, "%s %s", g_ascii_formatd(x, sizeof x, "%.7f", lon),
                             g_ascii_formatd(y, sizeof y, "%.7f", lat));
      for (int j = at[k] + 1; j <= at[k + 1]; j++) {
        double plon = j < at[k + 1] ? pt[j].lon : b->lon, plat = j < at[k + 1] ? pt[j].lat : b->lat;
        len += th_haversine_m(lon, lat, plon, plat);
        lon = plon, lat = plat;
        g_string_append_printf(wkt, ", %s %s", g_ascii_formatd(x, sizeof x, "%.7f", lon),
                               g_ascii_formatd(y, sizeof y, "%.7f", lat));
      }
      if (at[k + 1] <= at[k]) { /* no shape point between: a straight line */
        len = th_haversine_m(a->lon, a->lat, b->lon, b->lat);
        g_string_append_printf(wkt, ", %s %s", g_ascii_formatd(x, sizeof x, "%.7f", b->lon),
                               g_ascii_formatd(y, sizeof y, "%.7f", b->lat));
      }
      g_string_append_c(wkt, ')');
      if (!(len >= 1)) len = 1;
      double secs = run0->t[2 * (k + 1)] - run0->t[2 * k + 1];
      if (!(secs >= 1)) secs = len / (80 / 3.6);
      ThLinkSpec L = {.id = (*next_link)++, .modes = R->mode, .name = R->name,
                      .facility = "gtfs_shape", .length_m = len, .free_speed_mps = len / secs,
                      .free_time_s = secs, .capacity_vph = INFINITY, .lanes = 1,
                      .bpr_alpha = 0.15, .bpr_beta = 4, .geometry_wkt = wkt->str, .source = "GTFS"};
      L.from_id = out->node_id[a->node];
      L.to_id = out->node_id[b->node];
      th_network_add_link(out, &L);
      g_string_free(wkt, TRUE);
      made++;
    }
  }
  if (made)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("shapes.txt: %d rail segment(s) drawn along their shape (links "
                                    "of the line's mode, facility gtfs_shape); buses keep their "
                                    "road path", made));
}

/* NET + a node per used station + walk links; sets Stop.node. */
static ThNetwork *build_network(Import *im, GPtrArray *patterns, GError **error) {
  const ThNetwork *net = im->base;
  ThNetwork *out = th_network_new();
  int64_t next_node = 0, next_link = 0;
  for (int v = 0; v < net->n_nodes; v++) {
    int z = net->node_zone[v];
    th_network_add_node(out, net->node_id[v], net->node_name[v], net->lon[v], net->lat[v],
                        net->node_kind[v], z >= 0 ? net->zone_id[z] : -1,
                        z >= 0 ? net->zone_population[z] : 0, z >= 0 ? net->zone_gdp[z] : 0,
                        z >= 0 ? net->zone_jobs[z] : 0, net->node_line[v]);
    th_network_set_node_source(out, v, net->node_source[v]);
    next_node = MAX(next_node, net->node_id[v] + 1);
  }
  for (int e = 0; e < net->n_links; e++) {
    copy_link(out, net, e);
    next_link = MAX(next_link, net->link_id[e] + 1);
  }
  /* candidates: nodes with a position, not zones, that a road link leaves
   * (any such node when no road link exists) */
  guint8 *road = g_new0(guint8, net->n_nodes + 1);
  gboolean any_road = FALSE;
  for (int e = 0; e < net->n_links; e++)
    if (net->link_modes[e] & TH_MODE_ROAD) road[net->link_from[e]] = 1, any_road = TRUE;
  for (int v = 0; v < net->n_nodes; v++)
    road[v] = (road[v] || !any_road) && isfinite(net->lon[v]) && isfinite(net->lat[v]) &&
              net->node_kind[v] != TH_NODE_ZONE;
  g_autoptr(ThNearest) grid = th_nearest_new(net->lon, net->lat, net->n_nodes, road);
  double walk_mps = im->opt->walk_speed_kmh / 3.6;
  for (guint i = 0; i < im->stops->len; i++) {
    Stop *s = &g_array_index(im->stops, Stop, i);
    if (s->node != -2) continue; /* -2 marks a used station */
    int v = th_nearest_find(grid, s->lon, s->lat, &s->walk_m);
    if (v < 0) {
      g_free(road);
      th_network_free(out);
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "%s: no node has a position to join the feed's stops to (x_coord, y_coord)",
                  net->source_node_file ? net->source_node_file : "network");
      return NULL;
    }
    s->link_node = v;
    s->node = th_network_add_node(out, next_node++, s->name, s->lon, s->lat, TH_NODE_STATION, -1,
                                  0, 0, 0, s->line);
    th_network_set_node_source(out, s->node, "GTFS");
    for (int dir = 0; dir < 2; dir++) {
      ThLinkSpec L = {.id = next_link++, .modes = TH_MODE_WALK | TH_MODE_CONNECTOR,
                      .name = s->name, .facility = "connector", .length_m = s->walk_m,
                      .free_speed_mps = walk_mps, .capacity_vph = INFINITY, .lanes = 1,
                      .bpr_alpha = 0.15, .bpr_beta = 4, .source = "GTFS"};
      L.from_id = dir ? net->node_id[v] : out->node_id[s->node];
      L.to_id = dir ? out->node_id[s->node] : net->node_id[v];
      th_network_add_link(out, &L);
    }
    im->imp->n_stop_nodes++;
    im->imp->max_walk_m = MAX(im->imp->max_walk_m, s->walk_m);
  }
  /* transfers.txt between two stations: a walk link of facility "transfer"
   * taking min_transfer_time (at least 1 s), a footpath of the timetable
   * search (sim/transit.h); the largest time when several rows name the pair */
  int unused = 0, made = 0;
  for (guint i = 0; i < im->walks->len; i++) {
    const int *w = &g_array_index(im->walks, int, 3 * i);
    const Stop *a = &g_array_index(im->stops, Stop, w[0]),
               *b = &g_array_index(im->stops, Stop, w[1]);
    if (a->node < 0 || b->node < 0) {
      unused++;
      continue;
    }
    int sec = w[2];
    gboolean dup = FALSE;
    for (guint j = 0; j < im->walks->len && !dup; j++) {
      const int *x = &g_array_index(im->walks, int, 3 * j);
      if (j != i && x[0] == w[0] && x[1] == w[1] && (x[2] > sec || (x[2] == sec && j < i)))
        dup = TRUE;
    }
    if (dup) continue;
    double len = th_haversine_m(a->lon, a->lat, b->lon, b->lat);
    if (!(len >= 1)) len = 1;
    double t = MAX(sec, 1);
    ThLinkSpec L = {.id = next_link++, .modes = TH_MODE_WALK, .name = "transfer",
                    .facility = "transfer", .length_m = len, .free_speed_mps = len / t,
                    .free_time_s = t, .capacity_vph = INFINITY, .lanes = 1, .bpr_alpha = 0.15,
                    .bpr_beta = 4, .source = "GTFS"};
    L.from_id = out->node_id[a->node];
    L.to_id = out->node_id[b->node];
    th_network_add_link(out, &L);
    made++;
  }
  if (made)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("transfers.txt: %d transfer(s) between different stations "
                                    "made walk links (facility transfer) of their "
                                    "min_transfer_time", made));
  if (unused)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("transfers.txt: %d transfer(s) between stations without a "
                                    "trip on the day left out", unused));
  shape_links(im, patterns, out, &next_link);
  g_free(road);
  out->format = g_strdup("gmns");
  if (!th_network_finalize(out, error)) {
    th_network_free(out);
    return NULL;
  }
  return out;
}

/* ------------------------------------------------------------------ */
/* The import                                                           */
/* ------------------------------------------------------------------ */

void th_gtfs_options_default(ThGtfsOptions *o) {
  *o = (ThGtfsOptions){.capacity_bus = 80, .capacity_rail = 1200, .capacity_hsr = 1000,
                       .capacity_intercity = 600, .walk_speed_kmh = 5};
}

void th_gtfs_import_free(ThGtfsImport *imp) {
  if (!imp) return;
  th_network_free(imp->net);
  th_services_free(imp->services);
  g_free(imp->services_csv);
  g_free(imp->hubs_csv);
  g_free(imp->stops_csv);
  if (imp->notes) g_ptr_array_free(imp->notes, TRUE);
  g_free(imp);
}

static void pattern_free(gpointer p) {
  Pattern *pt = p;
  for (guint j = 0; j < pt->runs->len; j++) g_free(g_array_index(pt->runs, Run, j).t);
  g_array_free(pt->runs, TRUE);
  g_array_free(pt->nodes, TRUE);
  g_free(pt->use);
  g_free(pt);
}

/* Opens the feed's files, in the order they are read; a required file that
 * is missing is a problem. */
static ThCsv *open_file(Import *im, const char *file, gboolean required, GError **io) {
  GError *e = NULL;
  ThCsv *csv = feed_open(&im->feed, file, &e);
  if (e) {
    if (e->code == TH_ERROR_IO) g_propagate_error(io, e);
    else take_error(im, e);
    return NULL;
  }
  if (!csv && required)
    g_ptr_array_add(im->problems,
                    g_strdup_printf("%s: %s is missing (a GTFS feed has stops.txt, routes.txt, "
                                    "trips.txt, stop_times.txt and calendar.txt or "
                                    "calendar_dates.txt)", im->feed.path, file));
  return csv;
}

/* Reads every file of the feed into IM; FALSE on an I/O error. */
static gboolean read_feed(Import *im, GError **error) {
  GError *io = NULL;
  g_autoptr(ThCsv) cal = open_file(im, "calendar.txt", FALSE, &io);
  g_autoptr(ThCsv) cd = io ? NULL : open_file(im, "calendar_dates.txt", FALSE, &io);
  if (!io && !cal && !cd)
    g_ptr_array_add(im->problems,
                    g_strdup_printf("%s: calendar.txt and calendar_dates.txt are both missing "
                                    "(at least one says on which days trips run)", im->feed.path));
  if (cal) read_calendar(im, cal);
  if (cd) read_calendar_dates(im, cd);
  g_autoptr(ThCsv) routes = io ? NULL : open_file(im, "routes.txt", TRUE, &io);
  if (routes) read_routes(im, routes);
  g_autoptr(ThCsv) trips = io ? NULL : open_file(im, "trips.txt", TRUE, &io);
  if (trips) read_trips(im, trips);
  g_autoptr(ThCsv) shapes = io ? NULL : open_file(im, "shapes.txt", FALSE, &io);
  if (!io) read_shapes(im, shapes);
  g_autoptr(ThCsv) stops = io ? NULL : open_file(im, "stops.txt", TRUE, &io);
  if (stops) read_stops(im, stops);
  g_autoptr(ThCsv) st = io ? NULL : open_file(im, "stop_times.txt", TRUE, &io);
  if (st) read_stop_times(im, st);
  g_autoptr(ThCsv) fq = io ? NULL : open_file(im, "frequencies.txt", FALSE, &io);
  if (fq) read_frequencies(im, fq);
  g_autoptr(ThCsv) fa = io ? NULL : open_file(im, "fare_attributes.txt", FALSE, &io);
  g_autoptr(ThCsv) fr = io ? NULL : open_file(im, "fare_rules.txt", FALSE, &io);
  /* GTFS-Fares v2 when the feed has fare_leg_rules.txt; v1 otherwise */
  g_autoptr(ThCsv) rn = io ? NULL : open_file(im, "route_networks.txt", FALSE, &io);
  g_autoptr(ThCsv) nw = io ? NULL : open_file(im, "networks.txt", FALSE, &io);
  g_autoptr(ThCsv) fp = io ? NULL : open_file(im, "fare_products.txt", FALSE, &io);
  g_autoptr(ThCsv) fl = io ? NULL : open_file(im, "fare_leg_rules.txt", FALSE, &io);
  if (rn) read_route_networks(im, rn);
  if (fl) {
    read_fares_v2(im, fp, fl, nw);
    if (fa)
      g_ptr_array_add(im->imp->notes,
                      g_strdup_printf("%s: fare_attributes.txt and fare_rules.txt (GTFS-Fares v1) "
                                      "left aside for fare_leg_rules.txt (v2)", im->feed.path));
  } else if (fa)
    read_fares(im, fa, fr);
  if (io) {
    g_propagate_error(error, io);
    return FALSE;
  }
  return TRUE;
}

/* hubs.csv rows (stations with a transfers.txt time, from XFER) and
 * gtfs_stops.csv (every stop of a used station: its node and the NET node
 * it is joined to), into IM's import. */
static void side_tables(Import *im, const int *xfer) {
  ThGtfsImport *imp = im->imp;
  const ThNetwork *net = im->base;
  GString *h = g_string_new("node_id,name,kind,modes,transfer_min,handling_rate_tph,"
                            "handling_cost_per_t,dwell_limit_h,source\n");
  GString *m = g_string_new("stop_id,stop_name,node_id,joined_to_node_id,walk_m\n");
  for (guint i = 0; i < im->stops->len; i++) {
    Stop *s = &g_array_index(im->stops, Stop, i);
    if (s->node < 0 || !xfer || xfer[i] < 0) continue;
    g_string_append_printf(h, "%" G_GINT64_FORMAT ",", imp->net->node_id[s->node]);
    th_csv_append_field(h, s->name);
    g_string_append_printf(h, ",station,,%.6g,,,,GTFS\n", xfer[i] / 60.0);
  }
  for (guint i = 0; i < im->stops->len; i++) {
    Stop *s = &g_array_index(im->stops, Stop, i);
    const Stop *stn = &g_array_index(im->stops, Stop, s->station);
    if (stn->node < 0 || (s->loc_type != 0 && s->loc_type != 1)) continue;
    th_csv_append_field(m, s->id);
    g_string_append_c(m, ',');
    th_csv_append_field(m, s->name);
    g_string_append_printf(m, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%.1f\n",
                           imp->net->node_id[stn->node], net->node_id[stn->link_node], stn->walk_m);
  }
  imp->hubs_csv = g_string_free(h, FALSE);
  imp->stops_csv = g_string_free(m, FALSE);
}

static gboolean parse_date(const char *date, int *ymd, int *weekday) {
  int y, m, d;
  char tail;
  if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(date) != 10 ||
      !g_date_valid_dmy(d, m, y))
    return FALSE;
  GDate *g = g_date_new_dmy(d, m, y);
  *weekday = g_date_get_weekday(g); /* G_DATE_MONDAY = 1 */
  g_date_free(g);
  *ymd = y * 10000 + m * 100 + d;
  return TRUE;
}

ThGtfsImport *th_gtfs_import(const char *feed, const ThNetwork *net, const char *date,
                             const ThGtfsOptions *options, GError **error) {
  ThGtfsOptions defaults;
  th_gtfs_options_default(&defaults);
  Import im = {.base = net, .opt = options ? options : &defaults, .feed = {.path = feed}};
  if (!parse_date(date, &im.date_ymd, &im.weekday)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "date '%s' is not a date (YYYY-MM-DD)",
                date ? date : "");
    return NULL;
  }
  if (!g_file_test(feed, G_FILE_TEST_IS_DIR)) {
    g_autofree char *why = NULL;
    im.feed.zip = th_zip_open(feed, &why);
    if (!im.feed.zip) {
      g_set_error(error, TH_ERROR,
                  g_file_test(feed, G_FILE_TEST_EXISTS) ? TH_ERROR_INVALID : TH_ERROR_IO,
                  "%s: not a GTFS feed (%s; a .zip file or a folder of .txt files)", feed, why);
      return NULL;
    }
  }
  g_autoptr(ThGtfsImport) imp = g_new0(ThGtfsImport, 1);
  imp->notes = g_ptr_array_new_with_free_func(g_free);
  im.imp = imp;
  im.problems = g_ptr_array_new_with_free_func(g_free);
  im.services = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  im.routes = g_array_new(FALSE, TRUE, sizeof(Route));
  g_array_set_clear_func(im.routes, route_clear);
  im.trips = g_array_new(FALSE, TRUE, sizeof(Trip));
  g_array_set_clear_func(im.trips, trip_clear);
  im.stops = g_array_new(FALSE, TRUE, sizeof(Stop));
  g_array_set_clear_func(im.stops, stop_clear);
  im.route_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  im.trip_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  im.stop_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  im.walks = g_array_new(FALSE, FALSE, sizeof(int) * 3);
  im.shapes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
  GPtrArray *patterns = g_ptr_array_new_with_free_func(pattern_free);
  GHashTable *by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int *xfer = NULL;
  gboolean ok = read_feed(&im, error);
  if (ok) {
    /* whole trips are judged only when every row read: a rejected row would
     * otherwise come back as a second, confusing message about its trip */
    gboolean rows_ok = im.problems->len == 0;
    g_autofree char *st_file = g_build_filename(feed, "stop_times.txt", NULL);
    for (guint i = 0; i < im.trips->len && rows_ok; i++) {
      Trip *t = &g_array_index(im.trips, Trip, i);
      if (!t->active) continue;
      if (!prepare_trip(&im, t, st_file)) continue;
      imp->n_trips++;
    }
    g_autoptr(ThCsv) tr = open_file(&im, "transfers.txt", FALSE, error);
    xfer = tr ? read_transfers(&im, tr) : NULL;
    if (!tr && error && *error) ok = FALSE;
  }
  if (ok && im.problems->len == 0 && imp->n_trips == 0)
    th_problems_add(im.problems, feed, 0, "no trip runs on %s (a date of calendar.txt or "
                    "calendar_dates.txt, on a route of a mode taihang has)", date);
  if (ok && im.problems->len == 0) {
    for (guint i = 0; i < im.trips->len; i++) {
      Trip *t = &g_array_index(im.trips, Trip, i);
      if (t->active) add_trip_runs(&im, by_key, patterns, (int)i);
    }
    g_ptr_array_sort_with_data(patterns, cmp_pattern, &im);
    /* used stations, in stops.txt order */
    for (guint i = 0; i < patterns->len; i++) {
      Pattern *p = patterns->pdata[i];
      for (guint k = 0; k < p->nodes->len; k++)
        g_array_index(im.stops, Stop, g_array_index(p->nodes, int, k)).node = -2;
    }
    imp->net = build_network(&im, patterns, error);
    ok = imp->net != NULL;
  }
  if (ok && im.problems->len == 0) {
    imp->n_lines = (int)patterns->len;
    imp->services_csv = services_text(&im, patterns);
    for (guint i = 0; i < im.routes->len; i++)
      imp->n_routes += g_array_index(im.routes, Route, i).n_patterns > 0;
    side_tables(&im, xfer);
    g_autofree char *sv_name = g_build_filename(feed, "(as services.csv)", NULL);
    imp->services = th_services_read_text(sv_name, imp->services_csv, strlen(imp->services_csv),
                                          imp->net, error);
    ok = imp->services != NULL;
  }
  if (ok && im.problems->len) {
    th_problems_to_error(im.problems, TH_ERROR_INVALID, error);
    ok = FALSE;
  }
  g_free(xfer);
  g_hash_table_destroy(by_key);
  g_ptr_array_free(patterns, TRUE);
  g_ptr_array_free(im.problems, TRUE);
  g_hash_table_destroy(im.services);
  g_hash_table_destroy(im.route_idx);
  g_hash_table_destroy(im.trip_idx);
  g_hash_table_destroy(im.stop_idx);
  g_array_free(im.routes, TRUE);
  g_array_free(im.trips, TRUE);
  g_array_free(im.stops, TRUE);
  g_array_free(im.walks, TRUE);
  g_hash_table_destroy(im.shapes);
  th_zip_close(im.feed.zip);
  return ok ? g_steal_pointer(&imp) : NULL;
}

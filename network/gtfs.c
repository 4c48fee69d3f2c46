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
} Route;

typedef struct {
  char *id;
  int route;         /* index into routes */
  gboolean active;   /* runs on the day */
  GArray *st;        /* StopTime, file order until sorted */
  GArray *freq;      /* Freq, or NULL */
  int line;          /* trips.txt line */
} Trip;

typedef struct {
  int64_t seq;
  int arr, dep;      /* seconds, -1 when empty */
  int stop;          /* index into stops */
  int line;          /* stop_times.txt line */
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
} Import;

static void route_clear(gpointer p) {
  Route *r = p;
  g_free(r->id);
  g_free(r->name);
}
static void trip_clear(gpointer p) {
  Trip *t = p;
  g_free(t->id);
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
  int c_short = th_csv_column(csv, "route_short_name"), c_long = th_csv_column(csv, "route_long_name");
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
               .fare = -1};
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
                        g_array_index(im->routes, Route, r).mode != 0};
    if (t.active) t.st = g_array_new(FALSE, FALSE, sizeof(StopTime));
    g_array_append_val(im->trips, t);
    g_hash_table_insert(im->trip_idx, g_strdup(tid), GINT_TO_POINTER(im->trips->len));
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
    if (st.arr < 0) st.arr = st.dep;
    if (st.dep < 0) st.dep = st.arr;
    if (st.dep < st.arr) {
      row_problem(&rows, "departure_time %s is before arrival_time %s", ds, as);
      continue;
    }
    Trip *tr = &g_array_index(im->trips, Trip, t);
    if (tr->st) g_array_append_val(tr->st, st);
  }
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
    gboolean z = *th_csv_field(rules, c_o) || *th_csv_field(rules, c_d) || *th_csv_field(rules, c_c);
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
    int sa = g_array_index(im->stops, Stop, a).station, sb = g_array_index(im->stops, Stop, b).station;
    if (sa != sb) {
      other++;
      continue;
    }
    if (m > xfer[sa]) xfer[sa] = (int)m;
  }
  if (other)
    g_ptr_array_add(im->imp->notes,
                    g_strdup_printf("%s: %d transfer(s) between different stations not modelled "
                                    "(taihang changes runs at one node)",
                                    rows.file, other));
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
  for (int k = 0; k < n; k++) {
    int stn = g_array_index(im->stops, Stop, s[k].stop).station;
    if (nodes->len && g_array_index(nodes, int, nodes->len - 1) == stn) {
      ((int *)times->data)[2 * (times->len - 1) + 1] = s[k].dep;
      continue;
    }
    g_array_append_val(nodes, stn);
    int ad[2] = {s[k].arr, s[k].dep};
    g_array_append_val(times, ad);
  }
  int m = (int)nodes->len;
  if (m < 2) {
    g_array_free(nodes, TRUE);
    g_array_free(times, TRUE);
    return;
  }
  GString *key = g_string_new(NULL);
  g_string_append_printf(key, "%d", t->route);
  for (int k = 0; k < m; k++) g_string_append_printf(key, ",%d", g_array_index(nodes, int, k));
  Pattern *p = g_hash_table_lookup(by_key, key->str);
  if (!p) {
    p = g_new0(Pattern, 1);
    p->route = t->route;
    p->nodes = nodes;
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
  GString *g = g_string_new("line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,"
                            "last_dep,headway_min,departures,capacity,fare_flat,fare_per_km,"
                            "source,route,trip_times\n");
  for (guint i = 0; i < patterns->len; i++) {
    Pattern *p = patterns->pdata[i];
    Route *R = &g_array_index(im->routes, Route, p->route);
    int k_of_route = ++R->n_patterns;
    g_autofree char *id = k_of_route == 1 ? g_strdup(R->id) : g_strdup_printf("%s/%d", R->id, k_of_route);
    th_csv_append_field(g, id);
    g_string_append_c(g, ',');
    th_csv_append_field(g, R->name);
    g_string_append_printf(g, ",%s,passenger,", th_mode_name(R->mode));
    int m = (int)p->nodes->len;
    for (int k = 0; k < m; k++) {
      const Stop *s = &g_array_index(im->stops, Stop, g_array_index(p->nodes, int, k));
      g_string_append_printf(g, "%s%" G_GINT64_FORMAT, k ? ";" : "", im->imp->net->node_id[s->node]);
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

/* NET + a node per used station + walk links; sets Stop.node. */
static ThNetwork *build_network(Import *im, GError **error) {
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
  g_autoptr(ThCsv) stops = io ? NULL : open_file(im, "stops.txt", TRUE, &io);
  if (stops) read_stops(im, stops);
  g_autoptr(ThCsv) st = io ? NULL : open_file(im, "stop_times.txt", TRUE, &io);
  if (st) read_stop_times(im, st);
  g_autoptr(ThCsv) fq = io ? NULL : open_file(im, "frequencies.txt", FALSE, &io);
  if (fq) read_frequencies(im, fq);
  g_autoptr(ThCsv) fa = io ? NULL : open_file(im, "fare_attributes.txt", FALSE, &io);
  g_autoptr(ThCsv) fr = io ? NULL : open_file(im, "fare_rules.txt", FALSE, &io);
  if (fa) read_fares(im, fa, fr);
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
      g_set_error(error, TH_ERROR, g_file_test(feed, G_FILE_TEST_EXISTS) ? TH_ERROR_INVALID : TH_ERROR_IO,
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
    imp->net = build_network(&im, error);
    ok = imp->net != NULL;
  }
  if (ok && im.problems->len == 0) {
    imp->n_lines = (int)patterns->len;
    imp->services_csv = services_text(&im, patterns);
    for (guint i = 0; i < im.routes->len; i++) imp->n_routes += g_array_index(im.routes, Route, i).n_patterns > 0;
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
  th_zip_close(im.feed.zip);
  return ok ? g_steal_pointer(&imp) : NULL;
}

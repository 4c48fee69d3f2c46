/* services.c: services.csv reader and timetable expansion (see services.h). */
#include "network/services.h"

#include "network/csv.h"
#include "network/paths.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

ThServices *th_services_new(void) { return g_new0(ThServices, 1); }

static void line_clear(ThServiceLine *l) {
  g_free(l->line);
  g_free(l->name);
  g_free(l->stop);
  g_free(l->arr_off_s);
  g_free(l->dep_off_s);
  g_free(l->seg_len_m);
  g_free(l->seg_link_start);
  g_free(l->seg_link);
  g_free(l->source);
  g_free(l->route);
  g_free(l->stop_use);
}

void th_services_free(ThServices *s) {
  if (!s) return;
  for (int i = 0; i < s->n_lines; i++) line_clear(&s->lines[i]);
  g_free(s->lines);
  g_free(s->runs);
  g_free(s->source_file);
  if (s->owned_off) g_ptr_array_free(s->owned_off, TRUE);
  g_free(s);
}

int th_services_find_line(const ThServices *s, const char *line) {
  for (int i = 0; i < s->n_lines; i++)
    if (strcmp(s->lines[i].line, line) == 0) return i;
  return -1;
}

/* The links a line of MODE may run on: buses share the road. */
static uint32_t path_modes(uint32_t mode) {
  return mode == TH_MODE_BUS ? (TH_MODE_ROAD | TH_MODE_BUS) : mode;
}

/* Per-line departures before the runs table is built. */
typedef struct {
  GArray *deps; /* int */
} PendingRuns;

/* Shortest path for one segment; appends its links to LINKS and returns its
 * length and free-flow time, or FALSE when there is no path. */
static gboolean segment_path(ThShortestPaths *sp, const ThNetwork *net, int a, int b,
                             uint32_t modes, gboolean by_length, const double *w_len,
                             const double *w_time, GArray *links, double *len_m,
                             double *time_s) {
  /* stop when B is settled: its path is then final (paths.h), and a
   * timetable's segments are short hops, so most of the graph is never
   * touched (measured in README, "Importing GTFS...") */
  th_sp_set_targets(sp, &b, 1);
  th_sp_run(sp, a, by_length ? w_len : w_time, modes);
  if (!isfinite(th_sp_dist(sp)[b])) return FALSE;
  const int *pred = th_sp_pred_link(sp);
  GArray *rev = g_array_new(FALSE, FALSE, sizeof(int));
  double L = 0, T = 0;
  for (int v = b; v != a;) {
    int e = pred[v];
    g_array_append_val(rev, e);
    L += net->length_m[e];
    T += net->free_time_s[e];
    v = net->link_from[e];
  }
  for (int i = (int)rev->len - 1; i >= 0; i--)
    g_array_append_val(links, g_array_index(rev, int, i));
  g_array_free(rev, TRUE);
  *len_m = L;
  *time_s = T;
  return TRUE;
}

/* Segments already searched (GTFS stop patterns of one route share most
 * of theirs): the same (a, b, modes, weight) always gives the same path, so
 * it is searched once. */
typedef struct {
  gboolean have;
  double len_m, time_s;
  GArray *links;
} SegMemo;

static void seg_memo_free(gpointer p) {
  SegMemo *m = p;
  g_array_free(m->links, TRUE);
  g_free(m);
}

static gboolean segment_path_memo(GHashTable *memo, ThShortestPaths *sp, const ThNetwork *net,
                                  int a, int b, uint32_t modes, gboolean by_length,
                                  const double *w_len, const double *w_time, GArray *links,
                                  double *len_m, double *time_s) {
  char key[64];
  g_snprintf(key, sizeof key, "%d,%d,%u,%d", a, b, modes, by_length);
  SegMemo *m = g_hash_table_lookup(memo, key);
  if (!m) {
    m = g_new0(SegMemo, 1);
    m->links = g_array_new(FALSE, FALSE, sizeof(int));
    m->have = segment_path(sp, net, a, b, modes, by_length, w_len, w_time, m->links, &m->len_m,
                           &m->time_s);
    g_hash_table_insert(memo, g_strdup(key), m);
  }
  if (!m->have) return FALSE;
  g_array_append_vals(links, m->links->data, m->links->len);
  *len_m = m->len_m;
  *time_s = m->time_s;
  return TRUE;
}

static void make_headway_deps(GArray *deps, int first, int last, int headway) {
  g_array_set_size(deps, 0);
  for (int t = first; t <= last; t += headway) g_array_append_val(deps, t);
}

/* Parses a trip_times field: one entry per departure of DEPS, separated by
 * '|'; each entry lists the clock times at stops 2..N_STOPS separated by ';',
 * "ARR" or "ARR/DEP" (HH:MM[:SS]). Returns per run an array of 2 N_STOPS
 * offsets from its departure (arrivals, then departures), or NULL after
 * adding problems. */
static GPtrArray *parse_trip_times(const char *field, const GArray *deps, int n_stops,
                                   GPtrArray *problems, const char *file, int ln) {
  g_auto(GStrv) runs = g_strsplit(field, "|", -1);
  guint n_runs = g_strv_length(runs);
  if (n_runs != deps->len) {
    th_problems_add(
        problems, file, ln,
        "trip_times has %u run(s) for %u departure(s) (one per departure, separated by |)", n_runs,
        deps->len);
    return NULL;
  }
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  for (guint j = 0; j < n_runs; j++) {
    int dep = g_array_index(deps, int, j);
    g_auto(GStrv) st = g_strsplit(runs[j], ";", -1);
    if ((int)g_strv_length(st) != n_stops - 1) {
      th_problems_add(
          problems, file, ln,
          "trip_times run %u has %u time(s) for %d stops (one per stop after the first: %d)", j + 1,
          g_strv_length(st), n_stops, n_stops - 1);
      g_ptr_array_free(out, TRUE);
      return NULL;
    }
    int *o = g_new0(int, 2 * n_stops);
    g_ptr_array_add(out, o);
    int prev = 0;
    for (int k = 1; k < n_stops; k++) {
      g_auto(GStrv) ad = g_strsplit(st[k - 1], "/", 3);
      guint na = g_strv_length(ad);
      int64_t a = -1, d = -1;
      gboolean ok = na >= 1 && na <= 2 && th_parse_time(g_strstrip(ad[0]), &a);
      if (ok && na == 2) ok = th_parse_time(g_strstrip(ad[1]), &d);
      else d = a;
      if (!ok) {
        th_problems_add(problems, file, ln, "trip_times run %u stop %d: '%s' is not a time "
                        "(HH:MM:SS, or arrival/departure)", j + 1, k + 1, g_strstrip(st[k - 1]));
        g_ptr_array_free(out, TRUE);
        return NULL;
      }
      if (a - dep < prev || d < a) {
        th_problems_add(problems, file, ln, "trip_times run %u stop %d: '%s' is earlier than the "
                        "time before it (times in running order)", j + 1, k + 1, st[k - 1]);
        g_ptr_array_free(out, TRUE);
        return NULL;
      }
      o[k] = (int)(a - dep);
      o[n_stops + k] = (int)(d - dep);
      prev = o[n_stops + k];
    }
  }
  return out;
}

/* The columns of services.csv (-1: absent). */
typedef struct {
  int line, mode, stops, cap, name, kind, run, speed, dwell, first, last, head, deps, ff, fk, src,
      route, tt, use, rit, mwh;
} ServiceColumns;

/* What services_read_csv carries from row to row: the network and its path
 * search (memo of segment paths, length weights), the problems found, the
 * lines read and, per line, its departures and own stop times until the
 * runs are laid out. */
typedef struct {
  ThCsv *csv;
  const char *file;
  const ThNetwork *net;
  ServiceColumns c;
  GPtrArray *problems;
  GHashTable *seen;       /* line ids read */
  double *w_len;          /* path weights by length (lines with speed_kmh) */
  ThShortestPaths *sp;
  GHashTable *memo;       /* segment paths, SegMemo by (a, b, modes, weights) */
  GArray *lines;          /* ThServiceLine */
  GPtrArray *pending;     /* per line: GArray of departure times */
  GPtrArray *pending_off; /* per line: GPtrArray of int* own stop times (NULL: shared) */
} ServicesReader;

/* One row of services.csv as read, before its segments are laid out. */
typedef struct {
  int ln;
  const char *id;
  uint32_t mode;
  ThServiceKind kind;
  int n_stops;
  GArray *stop_idx; /* node index per stop */
  GArray *run_s;    /* run_min per segment, in seconds (empty: from paths) */
  double speed, dwell, head, cap, ff, fk;
  double run_if_t, max_wait_h; /* on-demand freight runs (0: always run) */
  GArray *deps; /* departure times, s */
  int64_t first, last;
  int headway_s;
  GPtrArray *own; /* trip_times per run, or NULL */
  guint8 *use;    /* stop_use per stop, or NULL (both everywhere) */
} ServiceRow;

/* Step 1: the required and optional columns. */
static gboolean service_columns(ThCsv *csv, ServiceColumns *c, GError **error) {
  GError *e = NULL;
  c->line = th_csv_require(csv, "line", &e);
  c->mode = c->line >= 0 ? th_csv_require(csv, "mode", &e) : -1;
  c->stops = c->mode >= 0 ? th_csv_require(csv, "stops", &e) : -1;
  c->cap = c->stops >= 0 ? th_csv_require(csv, "capacity", &e) : -1;
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  c->name = th_csv_column(csv, "name"), c->kind = th_csv_column(csv, "kind");
  c->run = th_csv_column(csv, "run_min"), c->speed = th_csv_column(csv, "speed_kmh");
  c->dwell = th_csv_column(csv, "dwell_min"), c->first = th_csv_column(csv, "first_dep");
  c->last = th_csv_column(csv, "last_dep"), c->head = th_csv_column(csv, "headway_min");
  c->deps = th_csv_column(csv, "departures"), c->ff = th_csv_column(csv, "fare_flat");
  c->fk = th_csv_column(csv, "fare_per_km"), c->src = th_csv_column(csv, "source");
  c->route = th_csv_column(csv, "route"), c->tt = th_csv_column(csv, "trip_times");
  c->use = th_csv_column(csv, "stop_use");
  c->rit = th_csv_column(csv, "run_if_tonnes"), c->mwh = th_csv_column(csv, "max_wait_h");
  return TRUE;
}

/* Step 2a: line id (unique), mode and kind. */
static void row_identity(ServicesReader *rd, ServiceRow *r) {
  ThCsv *csv = rd->csv;
  GPtrArray *problems = rd->problems;
  const char *file = rd->file;
  int ln = r->ln;
  const char *id = r->id = th_csv_field(csv, rd->c.line);
  if (!*id) th_problems_add(problems, file, ln, "line is empty (a line id such as G1)");
  else if (g_hash_table_contains(rd->seen, id))
    th_problems_add(problems, file, ln, "line '%s' appears twice (one row per line)", id);
  else g_hash_table_add(rd->seen, g_strdup(id));

  const char *mode_s = th_csv_field(csv, rd->c.mode);
  uint32_t mode = th_mode_from_name(mode_s);
  if (!(mode & (TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY | TH_MODE_BUS))) {
    th_problems_add(problems, file, ln,
                    "mode '%s' is not a service mode (rail, hsr, intercity or bus)", mode_s);
    mode = 0;
  }
  r->mode = mode;
  ThServiceKind kind = TH_SERVICE_PASSENGER;
  const char *kind_s = th_csv_field(csv, rd->c.kind);
  if (strcmp(kind_s, "freight") == 0) kind = TH_SERVICE_FREIGHT;
  else if (*kind_s && strcmp(kind_s, "passenger") != 0)
    th_problems_add(problems, file, ln, "kind '%s' is unknown (passenger or freight)", kind_s);
  r->kind = kind;
}

/* Step 2b: the stops, nodes of the network, no stop twice in a row. */
static void row_stops(ServicesReader *rd, ServiceRow *r) {
  GPtrArray *problems = rd->problems;
  const char *file = rd->file;
  int ln = r->ln;
  g_auto(GStrv) stops = g_strsplit(th_csv_field(rd->csv, rd->c.stops), ";", -1);
  int n_stops = r->n_stops = (int)g_strv_length(stops);
  GArray *stop_idx = r->stop_idx = g_array_new(FALSE, FALSE, sizeof(int));
  for (int k = 0; k < n_stops; k++) {
    int64_t nid;
    g_strstrip(stops[k]);
    int v = -1;
    if (!th_parse_int64(stops[k], &nid))
      th_problems_add(problems, file, ln,
                      "stop '%s' is not a node id (whole numbers separated by ;)", stops[k]);
    else if ((v = th_network_node_index(rd->net, nid)) < 0)
      th_problems_add(problems, file, ln, "stop %" G_GINT64_FORMAT " is not a node of the network",
                      nid);
    else if (stop_idx->len > 0 && g_array_index(stop_idx, int, stop_idx->len - 1) == v)
      th_problems_add(problems, file, ln, "stop %" G_GINT64_FORMAT " repeats the previous stop",
                      nid);
    g_array_append_val(stop_idx, v);
  }
  if (n_stops < 2)
    th_problems_add(problems, file, ln, "stops has %d stop(s) (at least 2 node ids separated by ;)",
                    n_stops);
}

/* Step 2b': stop_use: per stop both (or empty), board, alight or none. */
static void row_stop_use(ServicesReader *rd, ServiceRow *r) {
  const char *f = th_csv_field(rd->csv, rd->c.use);
  if (!*f) return;
  g_auto(GStrv) parts = g_strsplit(f, ";", -1);
  int n = (int)g_strv_length(parts);
  if (n != r->n_stops) {
    th_problems_add(rd->problems, rd->file, r->ln,
                    "stop_use has %d value(s) for %d stops (one per stop, separated by ;)", n,
                    r->n_stops);
    return;
  }
  guint8 *use = g_new(guint8, n);
  gboolean all = TRUE, ok = TRUE;
  for (int k = 0; k < n; k++) {
    const char *v = g_strstrip(parts[k]);
    if (!*v || !strcmp(v, "both")) use[k] = TH_STOP_BOARD | TH_STOP_ALIGHT;
    else if (!strcmp(v, "board")) use[k] = TH_STOP_BOARD;
    else if (!strcmp(v, "alight")) use[k] = TH_STOP_ALIGHT;
    else if (!strcmp(v, "none")) use[k] = 0;
    else {
      th_problems_add(rd->problems, rd->file, r->ln,
                      "stop_use '%s' at stop %d is not both, board, alight or none", v, k + 1);
      ok = FALSE;
    }
    all &= use[k] == (TH_STOP_BOARD | TH_STOP_ALIGHT);
  }
  if (ok && !all) r->use = use;
  else g_free(use);
}

/* Step 2c: run_min (one per segment, or empty), speed, dwell, capacity, fares. */
static void row_numbers(ServicesReader *rd, ServiceRow *r) {
  ThCsv *csv = rd->csv;
  GPtrArray *problems = rd->problems;
  const char *file = rd->file;
  int ln = r->ln, n_stops = r->n_stops;
  GError *e = NULL;
  GArray *run_s = r->run_s = g_array_new(FALSE, FALSE, sizeof(double));
  const char *run_f = th_csv_field(csv, rd->c.run);
  if (*run_f) {
    g_auto(GStrv) parts = g_strsplit(run_f, ";", -1);
    for (int k = 0; parts[k]; k++) {
      double m;
      if (!th_parse_double(parts[k], &m) || m <= 0)
        th_problems_add(problems, file, ln, "run_min '%s' is not a positive number of minutes",
                        g_strstrip(parts[k]));
      else {
        double sec = m * 60.0;
        g_array_append_val(run_s, sec);
      }
    }
    if ((int)g_strv_length(parts) != n_stops - 1 && n_stops >= 2)
      th_problems_add(problems, file, ln,
                      "run_min has %u value(s) for %d stops (one per segment: %d, or empty)",
                      g_strv_length(parts), n_stops, n_stops - 1);
  }
  if (!th_csv_double_or(csv, rd->c.speed, 0, &r->speed, &e) || r->speed < 0) {
    th_problems_add(problems, file, ln, "speed_kmh '%s' is not a positive number (km/h, or empty)",
                    th_csv_field(csv, rd->c.speed));
    g_clear_error(&e);
  }
  if (!th_csv_double_or(csv, rd->c.dwell, 0, &r->dwell, &e) || r->dwell < 0) {
    th_problems_add(problems, file, ln, "dwell_min '%s' is not a number >= 0 (minutes)",
                    th_csv_field(csv, rd->c.dwell));
    g_clear_error(&e);
  }
  if (!th_csv_double_or(csv, rd->c.cap, -1, &r->cap, &e) || r->cap <= 0) {
    th_problems_add(problems, file, ln, "capacity '%s' is not a positive number (%s per run)",
                    th_csv_field(csv, rd->c.cap),
                    r->kind == TH_SERVICE_FREIGHT ? "tonnes" : "seats");
    g_clear_error(&e);
  }
  if (!th_csv_double_or(csv, rd->c.ff, 0, &r->ff, &e) || r->ff < 0) {
    th_problems_add(problems, file, ln, "fare_flat '%s' is not a number >= 0 (yuan)",
                    th_csv_field(csv, rd->c.ff));
    g_clear_error(&e);
  }
  if (!th_csv_double_or(csv, rd->c.fk, 0, &r->fk, &e) || r->fk < 0) {
    th_problems_add(problems, file, ln, "fare_per_km '%s' is not a number >= 0 (yuan per km)",
                    th_csv_field(csv, rd->c.fk));
    g_clear_error(&e);
  }
  /* on-demand freight runs */
  if (!th_csv_double_or(csv, rd->c.rit, 0, &r->run_if_t, &e) || r->run_if_t < 0) {
    th_problems_add(problems, file, ln,
                    "run_if_tonnes '%s' is not a number >= 0 (tonnes waiting, or empty)",
                    th_csv_field(csv, rd->c.rit));
    g_clear_error(&e);
    r->run_if_t = 0;
  }
  if (!th_csv_double_or(csv, rd->c.mwh, 0, &r->max_wait_h, &e) || r->max_wait_h < 0 ||
      r->max_wait_h > 240) {
    th_problems_add(problems, file, ln,
                    "max_wait_h '%s' is not a number from 0 to 240 (hours, or empty)",
                    th_csv_field(csv, rd->c.mwh));
    g_clear_error(&e);
    r->max_wait_h = 0;
  }
  if ((r->run_if_t > 0 || r->max_wait_h > 0) && r->kind != TH_SERVICE_FREIGHT)
    th_problems_add(problems, file, ln, "run_if_tonnes and max_wait_h apply to freight lines only "
                    "(kind freight)");
}

/* Step 2d: departures: an explicit list, or first/last + headway. */
static void row_timetable(ServicesReader *rd, ServiceRow *r) {
  ThCsv *csv = rd->csv;
  GPtrArray *problems = rd->problems;
  const char *file = rd->file;
  int ln = r->ln;
  GArray *deps = r->deps = g_array_new(FALSE, FALSE, sizeof(int));
  const char *deps_f = th_csv_field(csv, rd->c.deps);
  if (*deps_f) {
    g_auto(GStrv) parts = g_strsplit(deps_f, ";", -1);
    for (int k = 0; parts[k]; k++) {
      int64_t t;
      if (!th_parse_time(parts[k], &t) || t < 0)
        th_problems_add(problems, file, ln, "departure '%s' is not a time (HH:MM)",
                        g_strstrip(parts[k]));
      else if (deps->len > 0 && t < g_array_index(deps, int, deps->len - 1))
        th_problems_add(problems, file, ln, "departure '%s' is earlier than the one before it "
                        "(departures in time order)", g_strstrip(parts[k]));
      else {
        int ti = (int)t;
        g_array_append_val(deps, ti);
      }
    }
    return;
  }
  const char *fs = th_csv_field(csv, rd->c.first), *ls = th_csv_field(csv, rd->c.last);
  const char *hs = th_csv_field(csv, rd->c.head);
  if (!*fs && !*ls && !*hs) {
    th_problems_add(problems, file, ln, "no timetable (first_dep, last_dep and headway_min, "
                    "or departures)");
    return;
  }
  gboolean ok = TRUE;
  if (!th_parse_time(fs, &r->first) || r->first < 0) {
    th_problems_add(problems, file, ln, "first_dep '%s' is not a time (HH:MM)", fs);
    ok = FALSE;
  }
  if (!th_parse_time(ls, &r->last) || r->last < 0) {
    th_problems_add(problems, file, ln, "last_dep '%s' is not a time (HH:MM)", ls);
    ok = FALSE;
  }
  if (!th_parse_double(hs, &r->head) || r->head <= 0) {
    th_problems_add(problems, file, ln, "headway_min '%s' is not a positive number (minutes)", hs);
    ok = FALSE;
  }
  if (ok && r->last < r->first) {
    th_problems_add(problems, file, ln, "last_dep %s is before first_dep %s", ls, fs);
    ok = FALSE;
  }
  if (ok) {
    r->headway_s = (int)lround(r->head * 60.0);
    if (r->headway_s < 1) r->headway_s = 1;
    make_headway_deps(deps, (int)r->first, (int)r->last, r->headway_s);
  }
}

/* Step 3: a sound row becomes a line: segment lengths, run times and links
 * (paths between consecutive stops, or run_min, or the row's own times). */
static void row_line(ServicesReader *rd, ServiceRow *r) {
  ThCsv *csv = rd->csv;
  GPtrArray *problems = rd->problems;
  const ThNetwork *net = rd->net;
  const char *file = rd->file;
  int ln = r->ln, n_stops = r->n_stops;
  uint32_t mode = r->mode;
  GPtrArray *own = r->own;
  ThServiceLine L = {0};
  L.line = g_strdup(r->id);
  L.name = g_strdup(th_csv_field(csv, rd->c.name));
  L.mode = mode;
  L.kind = r->kind;
  L.n_stops = n_stops;
  L.stop = (int *)g_array_free(r->stop_idx, FALSE);
  r->stop_idx = NULL;
  L.arr_off_s = g_new0(int, n_stops);
  L.dep_off_s = g_new0(int, n_stops);
  L.seg_len_m = g_new0(double, n_stops);
  L.seg_link_start = g_new0(int, n_stops);
  GArray *links = g_array_new(FALSE, FALSE, sizeof(int));
  for (int k = 0; k + 1 < n_stops; k++) {
    int a = L.stop[k], b = L.stop[k + 1];
    L.seg_link_start[k] = links->len;
    double len = 0, tfree = 0, run = 0;
    gboolean have = segment_path_memo(rd->memo, rd->sp, net, a, b, path_modes(mode), r->speed > 0,
                                      rd->w_len, net->free_time_s, links, &len, &tfree);
    if (own) {
      if (!have) len = th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]);
      if (!isfinite(len)) len = 0;
    } else if (r->run_s->len > 0) {
      run = g_array_index(r->run_s, double, k);
      if (!have)
        len = th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]);
      if (!isfinite(len)) len = 0;
    } else if (!have) {
      th_problems_add(problems, file, ln,
                      "no path over %s links from stop %" G_GINT64_FORMAT
                      " to stop %" G_GINT64_FORMAT
                      " (links allowing %s between consecutive stops, or run_min)",
                      th_mode_name(mode), net->node_id[a], net->node_id[b], th_mode_name(mode));
      continue;
    } else {
      run = r->speed > 0 ? len / (r->speed / 3.6) : tfree;
    }
    L.seg_len_m[k] = len;
    if (own) { /* the first run's times are the line's */
      const int *o = own->pdata[0];
      L.arr_off_s[k + 1] = o[k + 1];
      L.dep_off_s[k + 1] = o[n_stops + k + 1];
      continue;
    }
    int run_i = (int)lround(run);
    if (run_i < 1) run_i = 1;
    L.arr_off_s[k + 1] = L.dep_off_s[k] + run_i;
    int dw = (k + 2 < n_stops) ? (int)lround(r->dwell * 60.0) : 0;
    L.dep_off_s[k + 1] = L.arr_off_s[k + 1] + dw;
  }
  L.seg_link_start[n_stops - 1] = links->len;
  L.seg_link = (int *)g_array_free(links, FALSE);
  L.first_dep_s = (int)r->first;
  L.last_dep_s = (int)r->last;
  L.headway_s = r->headway_s;
  L.capacity = r->cap;
  L.fare_flat = r->ff;
  L.fare_per_km = r->fk;
  L.run_if_tonnes = r->run_if_t;
  L.max_wait_s = (int)lround(r->max_wait_h * 3600.0);
  L.source = g_strdup(th_csv_field(csv, rd->c.src));
  L.file_line = ln;
  const char *route = th_csv_field(csv, rd->c.route);
  L.route = g_strdup(*route ? route : r->id);
  L.stop_use = g_steal_pointer(&r->use);
  g_array_append_val(rd->lines, L);
  g_ptr_array_add(rd->pending, g_array_ref(r->deps));
  g_ptr_array_add(rd->pending_off, own);
  r->own = NULL;
}

/* Step 4: every line's runs, in line order, each with its departure and,
 * where its stop times differ from the line's first run, its own. */
static void lay_out_runs(ServicesReader *rd, ThServices *s) {
  s->n_lines = rd->lines->len;
  s->lines = (ThServiceLine *)g_array_free(rd->lines, FALSE);
  rd->lines = NULL;
  GPtrArray *pending = rd->pending, *pending_off = rd->pending_off;
  int total = 0;
  for (guint i = 0; i < pending->len; i++) total += ((GArray *)pending->pdata[i])->len;
  s->runs = g_new0(ThServiceRun, total > 0 ? total : 1);
  for (guint i = 0; i < pending->len; i++) {
    GArray *d = pending->pdata[i];
    s->lines[i].first_run = s->n_runs;
    s->lines[i].n_runs = d->len;
    GPtrArray *own = pending_off->pdata[i];
    const ThServiceLine *L = &s->lines[i];
    for (guint j = 0; j < d->len; j++) {
      const int *o = NULL;
      if (own && j > 0 && memcmp(own->pdata[j], own->pdata[0], 2 * L->n_stops * sizeof(int)) != 0) {
        if (!s->owned_off) s->owned_off = g_ptr_array_new_with_free_func(g_free);
        o = own->pdata[j];
        own->pdata[j] = NULL;
        g_ptr_array_add(s->owned_off, (gpointer)o);
      }
      s->runs[s->n_runs++] =
          (ThServiceRun){.line = (int)i, .dep_s = g_array_index(d, int, j), .off_s = o};
    }
    if (own) g_ptr_array_free(own, TRUE);
    g_array_unref(d);
  }
}

/* Reads services.csv in its steps: columns, then per row its identity,
 * stops, numbers and timetable, its own stop times, and (a sound row) its
 * line; last the runs of every line. Every problem of the file at once. */
static ThServices *services_read_csv(ThCsv *csv, const ThNetwork *net, GError **error) {
  ServicesReader rd = {.csv = csv, .file = th_csv_path(csv), .net = net};
  if (!service_columns(csv, &rd.c, error)) return NULL;
  GError *e = NULL;
  g_autoptr(GPtrArray) problems = rd.problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(ThServices) s = th_services_new();
  s->source_file = g_strdup(rd.file);
  rd.lines = g_array_new(FALSE, TRUE, sizeof(ThServiceLine));
  rd.pending = g_ptr_array_new();
  rd.pending_off = g_ptr_array_new();
  s->has_route = rd.c.route >= 0;
  rd.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  /* Path weights: by length (speed_kmh given) or by free-flow time. */
  rd.w_len = g_new(double, net->n_links > 0 ? net->n_links : 1);
  for (int i = 0; i < net->n_links; i++) rd.w_len[i] = net->length_m[i];
  g_autoptr(ThShortestPaths) sp = rd.sp = th_sp_new(net);
  g_autoptr(GHashTable) memo = rd.memo =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, seg_memo_free);

  while (th_csv_next(csv, &e)) {
    ServiceRow r = {.ln = th_csv_line(csv)};
    int before = problems->len;
    row_identity(&rd, &r);
    row_stops(&rd, &r);
    row_stop_use(&rd, &r);
    row_numbers(&rd, &r);
    row_timetable(&rd, &r);
    /* trip_times: each run's own clock times at stops 2..n */
    const char *tt_f = th_csv_field(csv, rd.c.tt);
    if (*tt_f && (int)problems->len == before)
      r.own = parse_trip_times(tt_f, r.deps, r.n_stops, problems, rd.file, r.ln);
    /* segments once the row is otherwise sound */
    if ((int)problems->len == before) row_line(&rd, &r);
    if (r.own) g_ptr_array_free(r.own, TRUE);
    g_free(r.use);
    if (r.stop_idx) g_array_free(r.stop_idx, TRUE);
    g_array_free(r.run_s, TRUE);
    g_array_unref(r.deps);
  }
  g_free(rd.w_len);
  g_hash_table_destroy(rd.seen);
  lay_out_runs(&rd, s);
  g_ptr_array_free(rd.pending, TRUE);
  g_ptr_array_free(rd.pending_off, TRUE);

  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&s);
}

ThServices *th_services_read(const char *path, const ThNetwork *net, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  return services_read_csv(csv, net, error);
}

ThServices *th_services_read_text(const char *name, const char *text, gsize len,
                                  const ThNetwork *net, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open_text(name, text, len, error);
  if (!csv) return NULL;
  return services_read_csv(csv, net, error);
}

int th_services_set_headway(ThServices *s, uint32_t mode, int headway_s) {
  if (headway_s < 1) headway_s = 1;
  int changed = 0;
  GArray *deps = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *runs = g_array_new(FALSE, FALSE, sizeof(ThServiceRun));
  for (int i = 0; i < s->n_lines; i++) {
    ThServiceLine *L = &s->lines[i];
    int first = L->first_run, n = L->n_runs;
    L->first_run = runs->len;
    if (L->mode == mode && L->headway_s > 0) {
      L->headway_s = headway_s;
      make_headway_deps(deps, L->first_dep_s, L->last_dep_s, headway_s);
      for (guint j = 0; j < deps->len; j++)
        g_array_append_val(runs, ((ThServiceRun){.line = i, .dep_s = g_array_index(deps, int, j)}));
      L->n_runs = deps->len;
      changed++;
    } else {
      g_array_append_vals(runs, s->runs + first, n);
    }
  }
  g_free(s->runs);
  s->n_runs = runs->len;
  s->runs = (ThServiceRun *)g_array_free(runs, FALSE);
  g_array_free(deps, TRUE);
  return changed;
}

static void write_hhmm(FILE *out, int t) {
  if (t % 60 == 0) fprintf(out, "%02d:%02d", t / 3600, (t / 60) % 60);
  else fprintf(out, "%02d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
}


/* TRUE when line I's runs are what run_min, one dwell_min and departures
 * say: no run has its own times, every segment takes at least a second,
 * every intermediate stop has the same dwell and the last stop none. */
static gboolean line_is_plain(const ThServices *s, int i) {
  const ThServiceLine *L = &s->lines[i];
  for (int j = 0; j < L->n_runs; j++)
    if (s->runs[L->first_run + j].off_s) return FALSE;
  int dwell = L->n_stops > 2 ? L->dep_off_s[1] - L->arr_off_s[1] : 0;
  for (int k = 1; k < L->n_stops; k++) {
    int want = k + 1 < L->n_stops ? dwell : 0;
    if (L->dep_off_s[k] - L->arr_off_s[k] != want) return FALSE;
    if (L->arr_off_s[k] - L->dep_off_s[k - 1] < 1) return FALSE; /* run_min must be > 0 */
  }
  return TRUE;
}

static void write_clock(FILE *out, int t) {
  fprintf(out, "%02d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
}

void th_services_write(const ThServices *s, const ThNetwork *net, FILE *out) {
  gboolean extra = s->has_route, use = FALSE;
  for (int i = 0; i < s->n_lines && !extra; i++) extra = !line_is_plain(s, i);
  for (int i = 0; i < s->n_lines; i++) use |= s->lines[i].stop_use != NULL;
  fputs("line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,"
        "departures,capacity,fare_flat,fare_per_km,source", out);
  fputs(extra ? ",route,trip_times" : "", out);
  fputs(use ? ",stop_use\n" : "\n", out);
  for (int i = 0; i < s->n_lines; i++) {
    const ThServiceLine *L = &s->lines[i];
    th_csv_write_field(out, L->line);
    fputc(',', out);
    th_csv_write_field(out, L->name);
    fprintf(out, ",%s,%s,", th_mode_name(L->mode),
            L->kind == TH_SERVICE_FREIGHT ? "freight" : "passenger");
    for (int k = 0; k < L->n_stops; k++)
      fprintf(out, "%s%" G_GINT64_FORMAT, k ? ";" : "", net->node_id[L->stop[k]]);
    fputc(',', out);
    /* run and dwell as minutes, exact to the second; lines with their own
     * stop times say them in trip_times instead (a GTFS segment may take 0 s) */
    gboolean plain = line_is_plain(s, i);
    for (int k = 0; plain && k + 1 < L->n_stops; k++)
      fprintf(out, "%s%.6g", k ? ";" : "", (L->arr_off_s[k + 1] - L->dep_off_s[k]) / 60.0);
    double dwell = L->n_stops > 2 ? (L->dep_off_s[1] - L->arr_off_s[1]) / 60.0 : 0;
    if (plain) fprintf(out, ",,%.6g,,,,", dwell);
    else fputs(",,,,,,", out);
    for (int j = 0; j < L->n_runs; j++) {
      if (j) fputc(';', out);
      write_hhmm(out, s->runs[L->first_run + j].dep_s);
    }
    fprintf(out, ",%.6g,%.6g,%.6g,", L->capacity, L->fare_flat, L->fare_per_km);
    th_csv_write_field(out, L->source);
    if (extra) {
      fputc(',', out);
      th_csv_write_field(out, L->route ? L->route : L->line);
      fputc(',', out);
      if (!plain)
        for (int j = 0; j < L->n_runs; j++) {
          int r = L->first_run + j;
          if (j) fputc('|', out);
          for (int k = 1; k < L->n_stops; k++) {
            if (k > 1) fputc(';', out);
            write_clock(out, th_run_arr_s(s, r, k));
            if (th_run_dep_s(s, r, k) != th_run_arr_s(s, r, k)) {
              fputc('/', out);
              write_clock(out, th_run_dep_s(s, r, k));
            }
          }
        }
    }
    if (use) {
      static const char *const names[4] = {"none", "board", "alight", "both"};
      fputc(',', out);
      for (int k = 0; L->stop_use && k < L->n_stops; k++)
        fprintf(out, "%s%s", k ? ";" : "", names[L->stop_use[k] & 3]);
    }
    fputc('\n', out);
  }
}

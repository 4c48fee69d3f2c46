/* observed.c: the observed.csv and screenlines.csv readers (observed.h). */
#include "sim/observed.h"

#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

static const char *type_names[TH_N_OBS_TYPES] = {"link_count",     "screenline", "line_boardings",
                                                 "stop_boardings", "hub_tonnes", "mode_share",
                                                 "mean_trip_min",  "mean_trip_km",
                                                 "trip_length_share"};
static const char *market_names[] = {"all", "internal", "external", "through"};
static const char *share_modes[] = {"road", "bus", "rail", "hsr", "intercity", "walk", NULL};

const char *th_obs_type_name(ThObsType t) {
  return t >= 0 && t < TH_N_OBS_TYPES ? type_names[t] : "?";
}

gboolean th_obs_type_from_name(const char *name, ThObsType *out) {
  for (int i = 0; i < TH_N_OBS_TYPES; i++)
    if (!strcmp(name, type_names[i])) {
      *out = (ThObsType)i;
      return TRUE;
    }
  return FALSE;
}

const char *th_market_name(ThMarket m) { return market_names[m]; }

gboolean th_market_from_name(const char *name, ThMarket *out) {
  for (int i = 0; i < 4; i++)
    if (!strcmp(name, market_names[i])) {
      *out = (ThMarket)i;
      return TRUE;
    }
  return FALSE;
}

ThMarket th_market_of(gboolean origin_inside, gboolean destination_inside) {
  if (origin_inside && destination_inside) return TH_MARKET_INTERNAL;
  if (origin_inside || destination_inside) return TH_MARKET_EXTERNAL;
  return TH_MARKET_THROUGH;
}

/* "HH:MM" -> seconds; FALSE unless two-digit-ish hours and minutes < 60. */
static gboolean parse_hhmm(const char *s, int64_t *out) {
  int h, m, n = 0;
  if (sscanf(s, "%d:%d%n", &h, &m, &n) != 2 || s[n] || h < 0 || h > 48 || m < 0 || m > 59)
    return FALSE;
  *out = (int64_t)h * 3600 + m * 60;
  return TRUE;
}

static gboolean parse_period(const char *s, int64_t *a, int64_t *b, gboolean *day) {
  if (!strcmp(s, "day")) {
    *a = 0;
    *b = 86400;
    *day = TRUE;
    return TRUE;
  }
  *day = FALSE;
  const char *dash = strchr(s, '-');
  if (!dash) return FALSE;
  g_autofree char *first = g_strndup(s, (gsize)(dash - s));
  return parse_hhmm(first, a) && parse_hhmm(dash + 1, b) && *b > *a;
}

static void obs_clear(gpointer p) {
  ThObservation *o = p;
  g_free(o->id);
  g_free(o->period);
  g_free(o->cls);
  g_free(o->source);
}

void th_observed_free(ThObserved *o) {
  if (!o) return;
  g_free(o->path);
  if (o->obs) g_array_unref(o->obs);
  g_free(o);
}

static gboolean has_mark(const char *source) {
  return (source[0] == 'H' || source[0] == 'M' || source[0] == 'E') &&
         (source[1] == 0 || source[1] == ' ' || source[1] == ':' || source[1] == ',' ||
          source[1] == ';' || source[1] == '/' || source[1] == '(');
}

static gboolean in_list(const char *const *list, const char *s) {
  for (int i = 0; list[i]; i++)
    if (!strcmp(list[i], s)) return TRUE;
  return FALSE;
}

/* Checks one row into O; appends problems. */
static void read_row(ThCsv *csv, const int *col, GHashTable *seen, GPtrArray *problems,
                     GArray *out) {
  const char *path = th_csv_path(csv);
  int line = th_csv_line(csv);
  const char *type = th_csv_field(csv, col[0]), *id = th_csv_field(csv, col[1]);
  const char *period = th_csv_field(csv, col[2]), *cls = th_csv_field(csv, col[3]);
  const char *value = th_csv_field(csv, col[4]), *source = th_csv_field(csv, col[5]);
  ThObservation o = {0};
  o.line = line;
  gboolean ok = TRUE;
  if (!th_obs_type_from_name(type, &o.type)) {
    th_problems_add(problems, path, line,
                    "unknown type '%s' (link_count, screenline, line_boardings, stop_boardings, "
                    "hub_tonnes, mode_share, mean_trip_min, mean_trip_km or trip_length_share)",
                    type);
    return;
  }
  if (!*id) {
    th_problems_add(problems, path, line, "empty id (%s)",
                    o.type == TH_OBS_LINK_COUNT    ? "a link id"
                    : o.type == TH_OBS_SCREENLINE  ? "a screenline name of screenlines.csv"
                    : o.type == TH_OBS_MODE_SHARE || o.type == TH_OBS_MEAN_TRIP_MIN ||
                              o.type == TH_OBS_MEAN_TRIP_KM || o.type == TH_OBS_TRIP_LENGTH_SHARE
                        ? "a market: internal, external, through or all"
                        : "a line, stop or hub");
    ok = FALSE;
  } else if (o.type == TH_OBS_LINK_COUNT) {
    int64_t lid, a, b;
    if (!th_parse_int64(id, &lid) && !th_obs_parse_node_pair(id, &a, &b)) {
      th_problems_add(problems, path, line,
                      "link id '%s' is not an integer or FROM>TO (a link_id of link.csv, or its end "
                      "node ids as 103>102)",
                      id);
      ok = FALSE;
    }
  } else if ((o.type == TH_OBS_MODE_SHARE || o.type == TH_OBS_MEAN_TRIP_MIN ||
              o.type == TH_OBS_MEAN_TRIP_KM || o.type == TH_OBS_TRIP_LENGTH_SHARE) &&
             !th_market_from_name(id, &o.market)) {
    th_problems_add(problems, path, line,
                    "unknown market '%s' (internal, external, through or all)", id);
    ok = FALSE;
  }
  if (!parse_period(period, &o.start_s, &o.end_s, &o.day)) {
    th_problems_add(problems, path, line,
                    "period '%s' is not day or HH:MM-HH:MM with the end after the start", period);
    ok = FALSE;
  }
  if (o.type == TH_OBS_MODE_SHARE && !in_list(share_modes, cls)) {
    th_problems_add(problems, path, line,
                    "mode '%s' in class is unknown (road, bus, rail, hsr, intercity or walk)", cls);
    ok = FALSE;
  }
  if (o.type == TH_OBS_TRIP_LENGTH_SHARE &&
      !th_obs_parse_band(cls, &o.band_lo, &o.band_hi, &o.band_km)) {
    th_problems_add(problems, path, line,
                    "band '%s' in class is not LO-HIkm, LO-HImin, LO+km or LO+min with 0 <= LO < HI "
                    "(e.g. 0-10km, 30-60min, 60+min)", cls);
    ok = FALSE;
  }
  gboolean share = o.type == TH_OBS_MODE_SHARE || o.type == TH_OBS_TRIP_LENGTH_SHARE;
  if (!th_parse_double(value, &o.value) || o.value < 0) {
    th_problems_add(problems, path, line, "value '%s' is not a number >= 0 (%s)", value,
                    share ? "a share 0..1" : "the observed figure");
    ok = FALSE;
  } else if (share && o.value > 1) {
    th_problems_add(problems, path, line, "share %s is above 1 (a share 0..1, not a percentage)",
                    value);
    ok = FALSE;
  } else if (o.type == TH_OBS_MEAN_TRIP_MIN && !(o.value > 0)) {
    th_problems_add(problems, path, line, "mean trip time %s is not > 0 (minutes)", value);
    ok = FALSE;
  } else if (o.type == TH_OBS_MEAN_TRIP_KM && !(o.value > 0)) {
    th_problems_add(problems, path, line, "mean trip length %s is not > 0 (kilometres)", value);
    ok = FALSE;
  }
  if (!has_mark(source)) {
    th_problems_add(problems, path, line,
                    "source '%s' does not start with its provenance mark (H, M or E, then the "
                    "source, e.g. 'H: 2020 yearbook p. 12')",
                    source);
    ok = FALSE;
  }
  if (!ok) return;
  g_autofree char *key = g_strdup_printf("%s\x1f%s\x1f%s\x1f%s", type, id, period, cls);
  gpointer prev = g_hash_table_lookup(seen, key);
  if (prev) {
    th_problems_add(problems, path, line, "%s %s %s %s is observed twice (also line %d; one row each)",
                    type, id, period, *cls ? cls : "(no class)", GPOINTER_TO_INT(prev));
    return;
  }
  g_hash_table_insert(seen, g_steal_pointer(&key), GINT_TO_POINTER(line));
  o.id = g_strdup(id);
  o.period = g_strdup(period);
  o.cls = g_strdup(*cls ? cls : "all");
  o.source = g_strdup(source);
  g_array_append_val(out, o);
}

gboolean th_obs_parse_band(const char *s, double *lo, double *hi, gboolean *km) {
  gsize n = strlen(s), u;
  if (g_str_has_suffix(s, "km")) *km = TRUE, u = 2;
  else if (g_str_has_suffix(s, "min")) *km = FALSE, u = 3;
  else return FALSE;
  g_autofree char *body = g_strndup(s, n - u);
  char *dash = strchr(body, '-'), *plus = strchr(body, '+');
  if (plus && !plus[1] && !dash) {
    *plus = 0;
    *hi = INFINITY;
    return th_parse_double(body, lo) && *lo >= 0 && isfinite(*lo);
  }
  if (!dash || plus) return FALSE;
  *dash = 0;
  return th_parse_double(body, lo) && th_parse_double(dash + 1, hi) && *lo >= 0 && isfinite(*hi) &&
         *hi > *lo;
}

ThObserved *th_observed_read(const char *path, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  static const char *cols[] = {"type", "id", "period", "class", "value", "source"};
  int col[6];
  for (int i = 0; i < 6; i++)
    if ((col[i] = th_csv_require(csv, cols[i], error)) < 0) return NULL;
  g_autoptr(ThObserved) o = g_new0(ThObserved, 1);
  o->path = g_strdup(path);
  o->obs = g_array_new(FALSE, TRUE, sizeof(ThObservation));
  g_array_set_clear_func(o->obs, obs_clear);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) read_row(csv, col, seen, problems, o->obs);
  if (!th_csv_read_end(e, problems, TH_ERROR_PARSE, error)) return NULL;
  if (o->obs->len == 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:1: no observation (one row per observation: type,id,period,class,value,source)",
                path);
    return NULL;
  }
  return g_steal_pointer(&o);
}

gboolean th_obs_parse_node_pair(const char *id, int64_t *from, int64_t *to) {
  const char *gt = strchr(id, '>');
  if (!gt) return FALSE;
  g_autofree char *first = g_strndup(id, (gsize)(gt - id));
  return th_parse_int64(first, from) && th_parse_int64(gt + 1, to);
}

int th_obs_link_index(const ThNetwork *net, const char *id) {
  int64_t lid, a, b;
  if (th_parse_int64(id, &lid)) return th_network_link_index(net, lid);
  if (!th_obs_parse_node_pair(id, &a, &b)) return -1;
  int u = th_network_node_index(net, a), v = th_network_node_index(net, b);
  if (u < 0 || v < 0) return -1;
  int best = -1;
  for (int i = net->out_start[u]; i < net->out_start[u + 1]; i++) {
    int e = net->out_link[i];
    if (net->link_to[e] == v && (best < 0 || e < best)) best = e;
  }
  return best;
}

void th_screenlines_free(ThScreenlines *s) {
  if (!s) return;
  g_free(s->path);
  if (s->names) g_ptr_array_unref(s->names);
  if (s->links) g_ptr_array_unref(s->links);
  if (s->lines) g_ptr_array_unref(s->lines);
  g_free(s);
}

int th_screenlines_find(const ThScreenlines *s, const char *name) {
  for (guint i = 0; i < s->names->len; i++)
    if (!strcmp(g_ptr_array_index(s->names, i), name)) return (int)i;
  return -1;
}

ThScreenlines *th_screenlines_read(const char *path, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  int cn = th_csv_require(csv, "screenline", error);
  if (cn < 0) return NULL;
  int cl = th_csv_require(csv, "link_id", error);
  if (cl < 0) return NULL;
  g_autoptr(ThScreenlines) s = g_new0(ThScreenlines, 1);
  s->path = g_strdup(path);
  s->names = g_ptr_array_new_with_free_func(g_free);
  s->links = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
  s->lines = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    int line = th_csv_line(csv);
    const char *name = th_csv_field(csv, cn), *lid = th_csv_field(csv, cl);
    int64_t id;
    if (!*name) {
      th_problems_add(problems, path, line, "empty screenline (a name)");
      continue;
    }
    if (!th_parse_int64(lid, &id)) {
      th_problems_add(problems, path, line, "link_id '%s' is not an integer (a link_id of link.csv)",
                      lid);
      continue;
    }
    int i = th_screenlines_find(s, name);
    if (i < 0) {
      g_ptr_array_add(s->names, g_strdup(name));
      g_ptr_array_add(s->links, g_array_new(FALSE, FALSE, sizeof(int64_t)));
      g_ptr_array_add(s->lines, g_array_new(FALSE, FALSE, sizeof(int)));
      i = (int)s->names->len - 1;
    }
    GArray *links = g_ptr_array_index(s->links, i);
    GArray *lines = g_ptr_array_index(s->lines, i);
    gboolean dup = FALSE;
    for (guint k = 0; k < links->len && !dup; k++)
      if (g_array_index(links, int64_t, k) == id) {
        th_problems_add(problems, path, line,
                        "link %" G_GINT64_FORMAT " is twice in screenline '%s' (also line %d)", id,
                        name, g_array_index(lines, int, k));
        dup = TRUE;
      }
    if (dup) continue;
    g_array_append_val(links, id);
    g_array_append_val(lines, line);
  }
  if (!th_csv_read_end(e, problems, TH_ERROR_PARSE, error)) return NULL;
  return g_steal_pointer(&s);
}

/* gmns.c: GMNS-style network folders (node.csv + link.csv), read with every
 * problem reported and written so that reading back gives the same network.
 *
 * Reading goes row by row and never stops at the first problem: a row with a
 * problem is remembered (so its id does not cause "unknown node" noise later)
 * but not added; the network is built only when no row had a problem.
 *
 * Exactness of the round trip: km and metres differ by a power of ten, so the
 * reader shifts the decimal exponent of the text ("12.5" -> "12.5e3") and
 * lets strtod round once; the writer prints the shortest decimal of the
 * metres and shifts it back. Any double then survives write -> read. Speeds
 * (km/h = 3.6 m/s) and minutes have no such trick: the writer searches the
 * few decimals next to v*3.6 for one that reads back as v. */
#include "network/gmns.h"
#include "network/atomic.h"
#include "network/crs.h"
#include "network/csv.h"
#include "network/gmns-spec.h"
#include "network/stale.h"
#include "network/th-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KMH_PER_MPS 3.6
#define DEFAULT_LANES 1.0
#define DEFAULT_BPR_ALPHA 0.15
#define DEFAULT_BPR_BETA 4.0

/* ------------------------------------------------------------------------ */
/* numbers in and out                                                          */

/* Reads S (a finite decimal number) multiplied by 10^SHIFT, rounded once.
 * FALSE if S is not a finite decimal number or the result overflows. */
static gboolean parse_shifted(const char *s, int shift, double *out) {
  double plain;
  if (!th_parse_double(s, &plain)) return FALSE;
  if (strpbrk(s, "xXpP")) return FALSE; /* hex floats would misread the shifted exponent */
  const char *e = strpbrk(s, "eE");
  g_autofree char *t = NULL;
  if (e) {
    long ex = strtol(e + 1, NULL, 10);
    t = g_strdup_printf("%.*se%ld", (int)(e - s), s, ex + shift);
  } else {
    t = g_strdup_printf("%se%d", s, shift);
  }
  double v = g_ascii_strtod(t, NULL);
  if (!isfinite(v)) return FALSE;
  *out = v;
  return TRUE;
}

/* Prints V / 10^SHIFT exactly as the shortest decimal of V with its exponent
 * shifted, in plain notation when that is readable ("12.5", "0.003", "4000"),
 * else as "1.5e-9". With SHIFT 0: the shortest text that reads back as V. */
static void fmt_shifted(char *buf, gsize len, double v, int shift) {
  if (v == 0 || !isfinite(v)) {
    g_strlcpy(buf, v == 0 ? "0" : (isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf")), len);
    return;
  }
  char e[40];
  /* 15 significant digits first: when a decimal of 15 digits or fewer reads
   * back as V, it is the one %.14e prints (zeros stripped below), because
   * that grid is coarser than the doubles; only then try 16 and 17. */
  for (int p = 14; p <= 16; p++) {
    char fmt[8];
    g_snprintf(fmt, sizeof fmt, "%%.%de", p);
    g_ascii_formatd(e, sizeof e, fmt, v);
    if (g_ascii_strtod(e, NULL) == v) break;
  }
  /* e is "[-]d[.ddd]e[+-]XX": collect the digits and the exponent */
  const char *p = e;
  gboolean neg = (*p == '-');
  if (neg) p++;
  char digits[24];
  int nd = 0;
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9') digits[nd++] = *p;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  digits[nd] = '\0';
  int exp10 = (int)strtol(p + 1, NULL, 10) - shift;
  int point = exp10 + 1; /* digits before the decimal point */
  GString *s = g_string_new(neg ? "-" : "");
  if (point > 21 || point < -6) {
    g_string_append_c(s, digits[0]);
    if (nd > 1) g_string_append_printf(s, ".%s", digits + 1);
    g_string_append_printf(s, "e%d", exp10);
  } else if (point <= 0) {
    g_string_append(s, "0.");
    for (int i = 0; i < -point; i++) g_string_append_c(s, '0');
    g_string_append(s, digits);
  } else if (point >= nd) {
    g_string_append(s, digits);
    for (int i = nd; i < point; i++) g_string_append_c(s, '0');
  } else {
    g_string_append_len(s, digits, point);
    g_string_append_c(s, '.');
    g_string_append(s, digits + point);
  }
  g_strlcpy(buf, s->str, len);
  g_string_free(s, TRUE);
}

/* The shortest text that reads back as V. Most network values are whole or
 * have a few decimals: when (double)q / 10^k == V for an integer q and the
 * fewest decimals k <= 6, "q / 10^k" in plain notation reads back as V (both
 * are the correctly rounded value of the same rational) and is what
 * fmt_shifted prints; other values go the slow way. */
static void fmt_shortest(char *buf, gsize len, double v) {
  static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  double a = fabs(v);
  if (a >= 1e-4 && a < 1e9 && len >= 32) {
    for (int k = 0; k <= 6; k++) {
      double q = nearbyint(a * p10[k]);
      if (q / p10[k] != a) continue;
      uint64_t u = (uint64_t)q, ip = u, fp = 0;
      if (k) {
        ip = u / (uint64_t)p10[k];
        fp = u % (uint64_t)p10[k];
      }
      char tmp[40], *end = tmp + sizeof tmp, *p = end;
      *--p = 0;
      for (int i = 0; i < k; i++, fp /= 10) *--p = (char)('0' + fp % 10);
      if (k) *--p = '.';
      do *--p = (char)('0' + ip % 10); while (ip /= 10);
      if (v < 0) *--p = '-';
      g_strlcpy(buf, p, len);
      return;
    }
  }
  fmt_shifted(buf, len, v, 0);
}

/* Prints a text X such that parse(X) / DIV == V (the reader divides), or
 * parse(X) * MUL == V when DIV is 0. Searches the doubles next to the
 * converted value; falls back to 17 digits (within an ulp) if none fits. */
static void fmt_converted(char *buf, gsize len, double v, double div, double mul) {
  double x0 = div != 0 ? v * div : v / mul;
  double x = x0;
  for (int step = 0; step < 9; step++) {
    /* 0, +1, -1, +2, -2, ... ulps around x0 */
    x = x0;
    int k = (step + 1) / 2;
    for (int i = 0; i < k; i++) x = nextafter(x, (step % 2) ? INFINITY : -INFINITY);
    fmt_shortest(buf, len, x);
    double back = g_ascii_strtod(buf, NULL);
    if ((div != 0 ? back / div : back * mul) == v) return;
  }
  fmt_shortest(buf, len, x0);
}

/* ------------------------------------------------------------------------ */
/* reading                                                                     */

typedef struct {
  GPtrArray *problems;  /* "FILE:LINE: ..." */
  gboolean parse_error; /* any problem of form (vs. meaning) */
  int empty_node_line, empty_link_line; /* header line of a file without rows, else 0 */
} Problems;

static void problem(Problems *pr, gboolean parse, const ThCsv *csv, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void problem(Problems *pr, gboolean parse, const ThCsv *csv, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  th_problems_add(pr->problems, th_csv_path(csv), th_csv_line(csv), "%s", msg);
  if (parse) pr->parse_error = TRUE;
}

/* An id: a whole number; "12.0" (as pandas writes integer columns holding
 * blanks) is accepted as 12. */
static gboolean read_id(Problems *pr, const ThCsv *csv, int col, int64_t *out) {
  const char *s = th_csv_field(csv, col);
  const char *name = th_csv_column_name(csv, col);
  if (!*s) {
    problem(pr, TRUE, csv, "%s is empty (an integer id was expected)", name);
    return FALSE;
  }
  if (th_parse_int64(s, out)) return TRUE;
  double d;
  if (th_parse_double(s, &d) && d == floor(d) && fabs(d) < 9007199254740992.0) {
    *out = (int64_t)d;
    return TRUE;
  }
  problem(pr, TRUE, csv, "%s '%s' is not a whole number (an integer id was expected)", name, s);
  return FALSE;
}

typedef enum { ANY, NONNEG, POSITIVE } Sign;

/* TRUE for text that is a number but not a finite one: nan, inf, 1e999. */
static gboolean is_nonfinite_text(const char *s) {
  char *end = NULL;
  double v = g_ascii_strtod(s, &end);
  if (end == s) return FALSE;
  while (*end == ' ' || *end == '\t') end++;
  return *end == '\0' && !isfinite(v);
}

/* A number in column COL, scaled by 10^SHIFT (or divided by DIV when DIV is
 * not 0). Empty gives DEF when OPTIONAL, else a problem. WHAT describes the
 * value expected, e.g. "a length in km". */
static gboolean read_num(Problems *pr, const ThCsv *csv, int col, gboolean optional, double def,
                         Sign sign, int shift, double div, const char *what, double *out) {
  const char *s = th_csv_field(csv, col);
  const char *name = col >= 0 ? th_csv_column_name(csv, col) : "";
  if (!*s) {
    if (optional) {
      *out = def;
      return TRUE;
    }
    problem(pr, TRUE, csv, "%s is empty (%s was expected)", name, what);
    return FALSE;
  }
  double v;
  if (!th_parse_double(s, &v)) {
    problem(pr, TRUE, csv, "%s '%s' is not %s (%s was expected)", name, s,
            is_nonfinite_text(s) ? "a finite number" : "a number", what);
    return FALSE;
  }
  if (sign == NONNEG && v < 0) {
    problem(pr, FALSE, csv, "%s %s is negative (%s was expected)", name, s, what);
    return FALSE;
  }
  if (sign == POSITIVE && !(v > 0)) {
    problem(pr, FALSE, csv, "%s %s is %s (%s was expected)", name, s, v == 0 ? "zero" : "negative",
            what);
    return FALSE;
  }
  if (shift != 0) {
    if (!parse_shifted(s, shift, &v)) {
      problem(pr, TRUE, csv, "%s '%s' is out of range (%s was expected)", name, s, what);
      return FALSE;
    }
  } else if (div != 0) {
    v /= div;
  }
  *out = v;
  return TRUE;
}

/* Checks a WKT "LINESTRING (lon lat, lon lat, ...)" (optionally Z, with a
 * third number per point). Returns NULL when fine, else what is wrong. */
static const char *check_linestring(const char *s) {
  const char *p = s;
  while (*p == ' ') p++;
  if (g_ascii_strncasecmp(p, "LINESTRING", 10) != 0) return "is not a WKT LINESTRING";
  p += 10;
  while (*p == ' ') p++;
  if ((*p == 'Z' || *p == 'z') && (p[1] == ' ' || p[1] == '(')) p++;
  while (*p == ' ') p++;
  if (*p != '(') return "is not a WKT LINESTRING";
  p++;
  int npoints = 0;
  for (;;) {
    double xy[3];
    int nc = 0;
    for (;;) {
      while (*p == ' ') p++;
      char *end;
      double v = g_ascii_strtod(p, &end);
      if (end == p) break;
      if (!isfinite(v)) return "has a coordinate that is not a finite number";
      if (nc < 3) xy[nc] = v;
      nc++;
      p = end;
    }
    if (nc < 2 || nc > 3) return "has a point without two coordinates";
    if (xy[0] < -180 || xy[0] > 180 || xy[1] < -90 || xy[1] > 90)
      return "has a point outside WGS84 longitude -180..180, latitude -90..90";
    npoints++;
    while (*p == ' ') p++;
    if (*p == ',') {
      p++;
      continue;
    }
    if (*p == ')') {
      p++;
      break;
    }
    return "is not a WKT LINESTRING";
  }
  while (*p == ' ') p++;
  if (*p) return "has text after the closing parenthesis";
  if (npoints < 2) return "has fewer than two points";
  return NULL;
}

/* One reading of a folder: what config.csv and the use tables say, and
 * whether the folder is GMNS as specified or taihang's own convention. */
typedef struct {
  Problems pr;
  GPtrArray *warnings;  /* may be NULL */
  ThGmnsConfig cfg;
  ThGmnsUses *uses;
  ThCrs *crs;           /* NULL: coordinates are WGS84 */
  /* config.csv names a crs PROJ cannot use, or use_definition.csv /
   * use_group.csv have problems: those are reported, and the rows are still
   * read for their own problems, all at once; what depends on the broken
   * table (coordinates and geometry; a use it failed to define) is not
   * checked, so one broken table does not make an error of every row */
  gboolean crs_bad, uses_bad;
  gboolean spec;        /* GMNS as specified: string ids, per-lane capacity, ... */
  int dropped_links;    /* links no taihang mode may use */
  int first_dropped_line;
  int empty_capacity;   /* road rows whose capacity is empty (GMNS: optional) */
  int first_empty_capacity;
  int empty_directed;   /* rows whose directed is empty */
  int first_empty_directed;
  GString *ignored_uses;
} Reader;

static void warn(Reader *rd, const char *file, int line, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void warn(Reader *rd, const char *file, int line, const char *fmt, ...) {
  if (!rd->warnings) return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  th_problems_add(rd->warnings, file, line, "warning: %s", msg);
}

typedef struct {
  char *key;       /* node_id as written (whole numbers in canonical form) */
  char *zone_key;  /* zone_id as written, or NULL */
  char *name, *source;
  double lon, lat;
  ThNodeKind kind;
  int64_t id, zone_id;
  double population, gdp, jobs;
  int line;
} NodeRow;

static void node_row_clear(gpointer p) {
  NodeRow *r = p;
  g_free(r->key);
  g_free(r->zone_key);
  g_free(r->name);
  g_free(r->source);
}

static const char *const node_required[] = {"node_id", "x_coord", "y_coord"};
static const char *const link_required[] = {"link_id",       "from_node_id", "to_node_id",
                                            "allowed_uses",  "length",       "free_speed"};
static const char *const spec_link_required[] = {"link_id", "from_node_id", "to_node_id",
                                                 "free_speed"};

/* Reports every required column missing from CSV's header. */
static gboolean check_header(Problems *pr, const ThCsv *csv, const char *const *req, int n) {
  gboolean ok = TRUE;
  for (int i = 0; i < n; i++) {
    GError *e = NULL;
    if (th_csv_require(csv, req[i], &e) < 0) {
      g_ptr_array_add(pr->problems, g_strdup(e->message));
      g_error_free(e);
      pr->parse_error = TRUE;
      ok = FALSE;
    }
  }
  return ok;
}

/* Opens PATH; a file that cannot be read is an I/O error (IO_ERROR), one
 * without a usable header a problem of the file (PR). NULL in both cases. */
static ThCsv *open_csv(const char *path, Problems *pr, GError **io_error) {
  GError *e = NULL;
  ThCsv *csv = th_csv_open(path, &e);
  if (!csv) {
    if (e->code == TH_ERROR_IO) {
      g_propagate_error(io_error, e);
    } else {
      g_ptr_array_add(pr->problems, g_strdup(e->message));
      pr->parse_error = TRUE;
      g_error_free(e);
    }
  }
  return csv;
}

/* An id as a key: taihang's folders take whole numbers only (read_id); GMNS
 * ids are of type any, so any non-empty text is a key, a whole number
 * ("12", "12.0") written canonically so that "12.0" and "12" are one id. */
static char *read_key(Reader *rd, const ThCsv *csv, int col) {
  int64_t v;
  if (!rd->spec) {
    if (!read_id(&rd->pr, csv, col, &v)) return NULL;
    return g_strdup_printf("%" G_GINT64_FORMAT, v);
  }
  const char *s = th_csv_field(csv, col);
  if (!*s) {
    problem(&rd->pr, TRUE, csv, "%s is empty (an id was expected)", th_csv_column_name(csv, col));
    return NULL;
  }
  double d;
  if (th_parse_int64(s, &v)) return g_strdup_printf("%" G_GINT64_FORMAT, v);
  if (th_parse_double(s, &d) && d == floor(d) && fabs(d) < 9007199254740992.0)
    return g_strdup_printf("%" G_GINT64_FORMAT, (int64_t)d);
  return g_strdup(s);
}

/* KEY, read on this row, is new in SEEN (key -> first line); else the
 * duplicate is a problem naming both lines. */
static gboolean first_key(Problems *pr, const ThCsv *csv, GHashTable *seen, const char *key,
                          const char *column) {
  gpointer first = g_hash_table_lookup(seen, key);
  if (first) {
    problem(pr, FALSE, csv, "duplicate %s %s (first on line %d; each %s must be unique)", column,
            key, GPOINTER_TO_INT(first), column);
    return FALSE;
  }
  g_hash_table_insert(seen, g_strdup(key), GINT_TO_POINTER(th_csv_line(csv)));
  return TRUE;
}

/* x_coord, y_coord of this row into R (lon/lat), converted from the
 * folder's CRS when it has one. */
static gboolean read_coords(Reader *rd, const ThCsv *csv, int c_x, int c_y, NodeRow *r) {
  Problems *pr = &rd->pr;
  const char *xs = th_csv_field(csv, c_x), *ys = th_csv_field(csv, c_y);
  if (!*xs && !*ys) {
    /* unknown position (e.g. a TNTP network without a node file) */
    r->lon = r->lat = NAN;
    return TRUE;
  }
  if (rd->crs_bad) { /* numbers, but in a crs that cannot be converted */
    double x, y;
    gboolean okx =
        read_num(pr, csv, c_x, FALSE, 0, ANY, 0, 0, "an x coordinate in the crs of config.csv", &x);
    gboolean oky =
        read_num(pr, csv, c_y, FALSE, 0, ANY, 0, 0, "a y coordinate in the crs of config.csv", &y);
    r->lon = r->lat = NAN;
    return okx && oky;
  }
  if (rd->crs) {
    double x, y;
    gboolean okx =
        read_num(pr, csv, c_x, FALSE, 0, ANY, 0, 0, "an x coordinate in the crs of config.csv", &x);
    gboolean oky =
        read_num(pr, csv, c_y, FALSE, 0, ANY, 0, 0, "a y coordinate in the crs of config.csv", &y);
    if (!okx || !oky) return FALSE;
    if (!th_crs_to_wgs84(rd->crs, x, y, &r->lon, &r->lat) || r->lon < -180 || r->lon > 180 ||
        r->lat < -90 || r->lat > 90) {
      problem(pr, FALSE, csv,
              "x_coord %s, y_coord %s cannot be converted from crs %s to WGS84 (a point inside "
              "that CRS's area was expected)",
              xs, ys, rd->cfg.crs);
      return FALSE;
    }
    return TRUE;
  }
  gboolean okx =
      read_num(pr, csv, c_x, FALSE, 0, ANY, 0, 0, "a WGS84 longitude in degrees", &r->lon);
  gboolean oky =
      read_num(pr, csv, c_y, FALSE, 0, ANY, 0, 0, "a WGS84 latitude in degrees", &r->lat);
  gboolean swapped = okx && oky && fabs(r->lon) <= 90 && fabs(r->lat) <= 180;
  const char *hint = rd->spec ? "; projected coordinates need their crs in config.csv" : "";
  if (okx && (r->lon < -180 || r->lon > 180)) {
    problem(pr, FALSE, csv,
            "x_coord %s is outside -180..180 (a WGS84 longitude in degrees was expected%s)", xs,
            hint);
    okx = FALSE;
  }
  if (oky && (r->lat < -90 || r->lat > 90)) {
    problem(pr, FALSE, csv,
            "y_coord %s is outside -90..90 (a WGS84 latitude in degrees was expected%s)", ys,
            swapped ? "; are x_coord and y_coord swapped?" : hint);
    oky = FALSE;
  }
  return okx && oky;
}

/* Reads node.csv into ROWS. SEEN maps every node key that appeared (even on
 * a row with a problem) to its first line. FALSE if the header is unusable. */
static gboolean read_nodes(Reader *rd, const char *path, GArray *rows, GHashTable *seen,
                           GError **io_error) {
  Problems *pr = &rd->pr;
  GError *e = NULL;
  g_autoptr(ThCsv) csv = open_csv(path, pr, io_error);
  if (!csv) return FALSE;
  if (!check_header(pr, csv, node_required, G_N_ELEMENTS(node_required))) return FALSE;
  int c_id = th_csv_column(csv, "node_id"), c_name = th_csv_column(csv, "name"),
      c_x = th_csv_column(csv, "x_coord"), c_y = th_csv_column(csv, "y_coord"),
      c_type = th_csv_column(csv, "node_type"), c_zone = th_csv_column(csv, "zone_id"),
      c_pop = th_csv_column(csv, "population"), c_gdp = th_csv_column(csv, "gdp"),
      c_jobs = th_csv_column(csv, "jobs"), c_src = th_csv_column(csv, "source");
  g_autoptr(GHashTable) zones = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  int n_rows = 0;
  while (th_csv_next(csv, &e)) {
    n_rows++;
    int line = th_csv_line(csv);
    gboolean ok = TRUE;
    NodeRow r = {0};
    r.line = line;
    r.zone_id = -1;
    r.key = read_key(rd, csv, c_id);
    gboolean id_ok = r.key != NULL;
    if (!id_ok || !first_key(pr, csv, seen, r.key, "node_id")) ok = FALSE;
    if (!read_coords(rd, csv, c_x, c_y, &r)) ok = FALSE;
    const char *type = th_csv_field(csv, c_type);
    if (!th_node_kind_from_name(type, &r.kind)) {
      if (rd->spec) {
        /* GMNS node_type is free text (intersection, external, pedestrian) */
        r.kind = !g_ascii_strcasecmp(type, "centroid") ? TH_NODE_ZONE : TH_NODE_JUNCTION;
      } else {
        problem(pr, FALSE, csv,
                "node_type '%s' is unknown (junction, zone, town, station or hub was expected)",
                type);
        ok = FALSE;
      }
    }
    if (rd->spec) {
      /* GMNS zone_id is a foreign key: several nodes may lie in one zone */
      if (*th_csv_field(csv, c_zone)) r.zone_key = read_key(rd, csv, c_zone);
      else if (r.kind == TH_NODE_ZONE && id_ok) r.zone_key = g_strdup(r.key);
    } else if (*th_csv_field(csv, c_zone)) {
      if (!read_id(pr, csv, c_zone, &r.zone_id)) {
        ok = FALSE;
      } else if (r.zone_id < 0) {
        problem(pr, FALSE, csv,
                "zone_id %" G_GINT64_FORMAT " is negative (a zone id of 0 or more was expected)",
                r.zone_id);
        ok = FALSE;
        r.zone_id = -1;
      }
    } else if (r.kind == TH_NODE_ZONE && id_ok) {
      int64_t v;
      if (th_parse_int64(r.key, &v))
        r.zone_id = v; /* a centroid without a zone id is the zone of its own id */
    }
    if (!rd->spec && r.zone_id >= 0) {
      gpointer first = g_hash_table_lookup(zones, &r.zone_id);
      if (first) {
        problem(pr, FALSE, csv,
                "duplicate zone_id %" G_GINT64_FORMAT
                " (first on line %d; each zone_id must be unique)",
                r.zone_id, GPOINTER_TO_INT(first));
        ok = FALSE;
      } else {
        int64_t *k = g_new(int64_t, 1);
        *k = r.zone_id;
        g_hash_table_insert(zones, k, GINT_TO_POINTER(line));
      }
    }
    const int attr_col[3] = {c_pop, c_gdp, c_jobs};
    double *attr_val[3] = {&r.population, &r.gdp, &r.jobs};
    const char *attr_what[3] = {"a number of persons, 0 or more",
                                "a GDP in 100 million yuan, 0 or more",
                                "a number of jobs, 0 or more"};
    for (int a = 0; a < 3; a++) {
      if (!read_num(pr, csv, attr_col[a], TRUE, 0, NONNEG, 0, 0, attr_what[a], attr_val[a]))
        ok = FALSE;
      else if (*th_csv_field(csv, attr_col[a]) && r.kind != TH_NODE_ZONE &&
               !*th_csv_field(csv, c_zone)) {
        problem(pr, FALSE, csv,
                "%s is given but the node is not a zone (a zone_id or node_type zone was "
                "expected with it)",
                th_csv_column_name(csv, attr_col[a]));
        ok = FALSE;
      }
    }
    if (ok) {
      r.name = g_strdup(th_csv_field(csv, c_name));
      r.source = g_strdup(th_csv_field(csv, c_src));
      g_array_append_val(rows, r);
    } else {
      node_row_clear(&r);
    }
  }
  if (e) {
    g_ptr_array_add(pr->problems, g_strdup(e->message));
    pr->parse_error = TRUE;
    g_error_free(e);
  } else if (n_rows == 0) {
    pr->empty_node_line = th_csv_line(csv); /* the header's: reported if nothing else is */
  }
  return TRUE;
}

typedef struct {
  ThLinkSpec spec;
  char *key, *from_key, *to_key;
  char *name, *facility, *geometry, *source;
  gboolean undirected;
  gboolean length_unknown; /* GMNS length empty: measured from the geometry or the nodes */
} LinkRow;

static void link_row_clear(gpointer p) {
  LinkRow *r = p;
  g_free(r->key);
  g_free(r->from_key);
  g_free(r->to_key);
  g_free(r->name);
  g_free(r->facility);
  g_free(r->geometry);
  g_free(r->source);
}

/* allowed_uses of this row into S->modes. FALSE (a problem reported) when
 * the row is wrong; *DROP when it is right but names no taihang mode. */
static gboolean read_uses(Reader *rd, const ThCsv *csv, int c_uses, ThLinkSpec *s, gboolean *drop) {
  Problems *pr = &rd->pr;
  const char *uses = th_csv_field(csv, c_uses);
  char *bad = NULL;
  *drop = FALSE;
  if (rd->spec) {
    if (!*uses) {
      s->modes = TH_MODE_ROAD; /* GMNS: optional; a road for motor vehicles */
      return TRUE;
    }
    if (!th_gmns_uses_parse(rd->uses, uses, &s->modes, &bad, rd->ignored_uses)) {
      if (rd->uses_bad) { /* perhaps a use the broken table meant to define: said there */
        g_free(bad);
        return FALSE;
      }
      problem(pr, FALSE, csv,
              "allowed_uses has unknown use '%s' (a use of use_definition.csv or use_group.csv, "
              "or a GMNS use such as auto, sov, hov2, truck, bus, walk, bike or rail, was "
              "expected)",
              bad);
      g_free(bad);
      return FALSE;
    }
    if (s->modes == 0) *drop = TRUE;
    return TRUE;
  }
  if (!*uses) {
    problem(pr, FALSE, csv,
            "allowed_uses is empty (modes among road, rail, hsr, intercity, bus, walk, "
            "connector, separated by ';', were expected)");
    return FALSE;
  }
  /* ebike is a traveller's mode over road links (sim/multimodal.h), not a link's */
  if (!th_modes_parse(uses, &s->modes, &bad) ||
      ((s->modes & TH_MODE_EBIKE) && (bad = g_strdup("ebike")))) {
    problem(pr, FALSE, csv,
            "allowed_uses has unknown mode '%s' (road, rail, hsr, intercity, bus, walk or "
            "connector was expected)",
            bad);
    g_free(bad);
    return FALSE;
  }
  if (s->modes == 0) {
    problem(pr, FALSE, csv, "allowed_uses '%s' names no mode (at least one mode was expected)",
            uses);
    return FALSE;
  }
  return TRUE;
}

/* length, free_speed, capacity and lanes of this row in SI, from the
 * folder's units; GMNS capacity is per lane, taihang's per link. */
static gboolean read_link_numbers(Reader *rd, const ThCsv *csv, const int *c, LinkRow *r) {
  Problems *pr = &rd->pr;
  ThLinkSpec *s = &r->spec;
  const ThGmnsConfig *cfg = &rd->cfg;
  gboolean ok = TRUE;
  int c_len = c[0], c_speed = c[1], c_cap = c[2], c_lanes = c[3];
  g_autofree char *len_what =
      g_strdup_printf("a length in %s, 0 or more", cfg->long_length ? cfg->long_length : "km");
  g_autofree char *speed_what =
      g_strdup_printf("a speed in %s above 0", cfg->speed ? cfg->speed : "km/h");
  if (rd->spec && !*th_csv_field(csv, c_len)) {
    r->length_unknown = TRUE;
  } else if (cfg->length_km) {
    ok &= read_num(pr, csv, c_len, FALSE, 0, NONNEG, 3, 0, len_what, &s->length_m);
  } else if (read_num(pr, csv, c_len, FALSE, 0, NONNEG, 0, 0, len_what, &s->length_m)) {
    s->length_m *= cfg->m_per_length;
  } else {
    ok = FALSE;
  }
  if (cfg->speed_kmh) {
    ok &= read_num(pr, csv, c_speed, FALSE, 0, POSITIVE, 0, KMH_PER_MPS, speed_what,
                   &s->free_speed_mps);
  } else if (read_num(pr, csv, c_speed, FALSE, 0, POSITIVE, 0, 0, speed_what, &s->free_speed_mps)) {
    s->free_speed_mps *= cfg->mps_per_speed;
  } else {
    ok = FALSE;
  }
  gboolean needs_cap = (s->modes & (TH_MODE_ROAD | TH_MODE_BUS)) != 0;
  if (rd->spec) {
    ok &= read_num(pr, csv, c_lanes, TRUE, DEFAULT_LANES, NONNEG, 0, 0,
                   "a number of motor-vehicle lanes, 0 or more", &s->lanes);
    if (needs_cap && *th_csv_field(csv, c_lanes) && s->lanes == 0) {
      problem(pr, FALSE, csv,
              "lanes is 0 on a link that allows %s (lanes above 0 were expected; 0 is for walk "
              "and bike links)",
              (s->modes & TH_MODE_ROAD) ? "motor vehicles" : "buses");
      ok = FALSE;
    }
  }
  const char *cap_what = rd->spec ? "a capacity in veh/h per lane above 0"
                                  : "a capacity in veh/h above 0, or empty for unlimited";
  if (rd->spec && needs_cap && !*th_csv_field(csv, c_cap)) {
    if (!rd->empty_capacity++) rd->first_empty_capacity = th_csv_line(csv);
    s->capacity_vph = INFINITY;
  } else if (needs_cap && !*th_csv_field(csv, c_cap)) {
    problem(pr, FALSE, csv,
            "capacity is empty on a link that allows %s (%s was expected)",
            (s->modes & TH_MODE_ROAD) ? "road" : "bus",
            rd->spec ? cap_what : "a capacity in veh/h above 0");
    ok = FALSE;
  } else if (read_num(pr, csv, c_cap, TRUE, INFINITY, rd->spec ? NONNEG : POSITIVE, 0, 0, cap_what,
                      &s->capacity_vph)) {
    if (rd->spec && isfinite(s->capacity_vph)) {
      if (!needs_cap)
        s->capacity_vph = INFINITY; /* walk and rail links: no road capacity */
      else if (s->capacity_vph == 0) {
        problem(pr, FALSE, csv, "capacity is 0 on a link that allows %s (%s was expected)",
                (s->modes & TH_MODE_ROAD) ? "road" : "bus", cap_what);
        ok = FALSE;
      } else {
        s->capacity_vph *= s->lanes; /* GMNS: per lane */
      }
    }
  } else {
    ok = FALSE;
  }
  if (!rd->spec)
    ok &= read_num(pr, csv, c_lanes, TRUE, DEFAULT_LANES, POSITIVE, 0, 0,
                   "a number of lanes above 0", &s->lanes);
  return ok;
}

/* Reads link.csv into ROWS. NODES (key -> first line) is NULL when node.csv
 * could not be read, and then unknown nodes are not reported. */
static void read_links(Reader *rd, const char *path, GArray *rows, GHashTable *nodes,
                       GError **io_error) {
  Problems *pr = &rd->pr;
  GError *e = NULL;
  g_autoptr(ThCsv) csv = open_csv(path, pr, io_error);
  if (!csv) return;
  if (rd->spec ? !check_header(pr, csv, spec_link_required, G_N_ELEMENTS(spec_link_required))
               : !check_header(pr, csv, link_required, G_N_ELEMENTS(link_required)))
    return;
  int c_id = th_csv_column(csv, "link_id"), c_from = th_csv_column(csv, "from_node_id"),
      c_to = th_csv_column(csv, "to_node_id"), c_name = th_csv_column(csv, "name"),
      c_fac = th_csv_column(csv, "facility_type"), c_uses = th_csv_column(csv, "allowed_uses"),
      c_len = th_csv_column(csv, "length"), c_speed = th_csv_column(csv, "free_speed"),
      c_cap = th_csv_column(csv, "capacity"), c_lanes = th_csv_column(csv, "lanes"),
      c_alpha = th_csv_column(csv, "bpr_alpha"), c_beta = th_csv_column(csv, "bpr_beta"),
      c_toll = th_csv_column(csv, "toll"), c_cost = th_csv_column(csv, "cost_per_tkm"),
      c_geom = th_csv_column(csv, "geometry"), c_src = th_csv_column(csv, "source"),
      c_time = th_csv_column(csv, "free_time_min"), c_dir = th_csv_column(csv, "directed");
  const int num_cols[4] = {c_len, c_speed, c_cap, c_lanes};
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int n_rows = 0;
  while (th_csv_next(csv, &e)) {
    n_rows++;
    int line = th_csv_line(csv);
    gboolean ok = TRUE;
    LinkRow r = {0};
    ThLinkSpec *s = &r.spec;
    s->line = line;
    r.key = read_key(rd, csv, c_id);
    if (!r.key || !first_key(pr, csv, seen, r.key, "link_id")) ok = FALSE;
    const int end_col[2] = {c_from, c_to};
    char **end_key[2] = {&r.from_key, &r.to_key};
    gboolean ends_ok = TRUE;
    for (int k = 0; k < 2; k++) {
      *end_key[k] = read_key(rd, csv, end_col[k]);
      if (!*end_key[k]) {
        ok = ends_ok = FALSE;
      } else if (nodes && !g_hash_table_contains(nodes, *end_key[k])) {
        problem(pr, FALSE, csv, "%s %s is not in node.csv (a node_id of node.csv was expected)",
                th_csv_column_name(csv, end_col[k]), *end_key[k]);
        ok = ends_ok = FALSE;
      }
    }
    if (ends_ok && !strcmp(r.from_key, r.to_key)) {
      problem(pr, FALSE, csv, "link starts and ends at node %s (two different nodes were expected)",
              r.from_key);
      ok = FALSE;
    }
    const char *dir = th_csv_field(csv, c_dir);
    gboolean directed = TRUE;
    if (c_dir >= 0 && !*dir) {
      if (!rd->empty_directed++) rd->first_empty_directed = line;
    } else if (c_dir >= 0 && !th_gmns_parse_bool(dir, &directed)) {
      problem(pr, TRUE, csv, "directed '%s' is not a boolean (true or false was expected)", dir);
      ok = FALSE;
    }
    r.undirected = !directed;
    gboolean drop = FALSE;
    if (!read_uses(rd, csv, c_uses, s, &drop)) ok = FALSE;
    if (!read_link_numbers(rd, csv, num_cols, &r)) ok = FALSE;
    ok &= read_num(pr, csv, c_alpha, TRUE, DEFAULT_BPR_ALPHA, NONNEG, 0, 0,
                   "a BPR alpha of 0 or more", &s->bpr_alpha);
    ok &= read_num(pr, csv, c_beta, TRUE, DEFAULT_BPR_BETA, NONNEG, 0, 0,
                   "a BPR beta of 0 or more", &s->bpr_beta);
    ok &= read_num(pr, csv, c_toll, TRUE, 0, NONNEG, 0, 0,
                   rd->spec ? "a toll in currency units, 0 or more" : "a toll in yuan, 0 or more",
                   &s->toll);
    ok &= read_num(pr, csv, c_cost, TRUE, 0, NONNEG, 0, 0,
                   "a cost in yuan per tonne-km, 0 or more", &s->cost_per_tkm);
    double tmin = 0;
    if (read_num(pr, csv, c_time, TRUE, 0, POSITIVE, 0, 0,
                 "a free-flow time in minutes above 0, or empty", &tmin))
      s->free_time_s = tmin * 60.0;
    else
      ok = FALSE;
    const char *geom = th_csv_field(csv, c_geom);
    g_autofree char *converted = NULL;
    if (rd->crs_bad) geom = ""; /* not checked: its crs is the problem reported */
    if (*geom && rd->crs) {
      converted = th_crs_linestring(rd->crs, geom, TRUE, 7);
      if (!converted) {
        problem(pr, FALSE, csv,
                "geometry is not a WKT LINESTRING inside crs %s (LINESTRING (x y, x y, ...) in "
                "the crs of config.csv was expected)",
                rd->cfg.crs);
        ok = FALSE;
      }
      geom = converted ? converted : "";
    }
    const char *what = *geom ? check_linestring(geom) : NULL;
    if (what) {
      problem(pr, FALSE, csv,
              "geometry %s (LINESTRING (lon lat, lon lat, ...) in WGS84 degrees was expected)",
              what);
      ok = FALSE;
    }
    if (ok && drop) {
      if (!rd->dropped_links++) rd->first_dropped_line = line;
      ok = FALSE; /* not a problem: left out with a warning */
    }
    if (ok) {
      r.name = g_strdup(th_csv_field(csv, c_name));
      r.facility = g_strdup(th_csv_field(csv, c_fac));
      r.geometry = g_strdup(geom);
      r.source = g_strdup(th_csv_field(csv, c_src));
      g_array_append_val(rows, r);
    } else {
      link_row_clear(&r);
    }
  }
  if (e) {
    g_ptr_array_add(pr->problems, g_strdup(e->message));
    pr->parse_error = TRUE;
    g_error_free(e);
  } else if (n_rows == 0) {
    pr->empty_link_line = th_csv_line(csv);
  }
}

/* GMNS zone.csv (optional): zone ids and names. Node zone_ids must name a
 * zone of it (a foreign key) when it exists. ZONES: key -> line. */
static void read_zone_table(Reader *rd, const char *path, GHashTable *zones, GHashTable *names,
                            GError **io_error) {
  Problems *pr = &rd->pr;
  GError *e = NULL;
  g_autoptr(ThCsv) csv = open_csv(path, pr, io_error);
  if (!csv) return;
  static const char *const req[] = {"zone_id"};
  if (!check_header(pr, csv, req, 1)) return;
  int c_id = th_csv_column(csv, "zone_id"), c_name = th_csv_column(csv, "name");
  while (th_csv_next(csv, &e)) {
    g_autofree char *key = read_key(rd, csv, c_id);
    if (!key || !first_key(pr, csv, zones, key, "zone_id")) continue;
    if (*th_csv_field(csv, c_name))
      g_hash_table_insert(names, g_strdup(key), g_strdup(th_csv_field(csv, c_name)));
  }
  if (e) {
    g_ptr_array_add(pr->problems, g_strdup(e->message));
    pr->parse_error = TRUE;
    g_error_free(e);
  }
}

static gint cmp_line(gconstpointer a, gconstpointer b) {
  return GPOINTER_TO_INT(*(gpointer const *)a) - GPOINTER_TO_INT(*(gpointer const *)b);
}

/* GMNS zones: the zone's node is the node whose node_id equals the zone_id
 * (DTALite's centroid convention), else the first node in file order with
 * that zone_id; the other nodes with the zone_id only lie in the zone. A
 * zone of zone.csv that no node names is left out with a warning. */
static void resolve_zones(Reader *rd, GArray *nodes, const char *node_path, const char *zone_path,
                          GHashTable *zone_table, GHashTable *zone_names) {
  g_autoptr(GHashTable) centroid =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); /* zone key -> row+1 */
  for (guint i = 0; i < nodes->len; i++) {
    NodeRow *r = &g_array_index(nodes, NodeRow, i);
    if (!r->zone_key) continue;
    if (zone_table && !g_hash_table_contains(zone_table, r->zone_key)) {
      th_problems_add(rd->pr.problems, node_path, r->line,
                      "zone_id %s is not in zone.csv (a zone_id of zone.csv was expected)",
                      r->zone_key);
      continue;
    }
    gpointer prev = g_hash_table_lookup(centroid, r->zone_key);
    gboolean own = !strcmp(r->key, r->zone_key);
    if (!prev ||
        (own && strcmp(g_array_index(nodes, NodeRow, GPOINTER_TO_INT(prev) - 1).key, r->zone_key)))
      g_hash_table_replace(centroid, g_strdup(r->zone_key), GINT_TO_POINTER(i + 1));
  }
  for (guint i = 0; i < nodes->len; i++) {
    NodeRow *r = &g_array_index(nodes, NodeRow, i);
    if (r->zone_key && GPOINTER_TO_INT(g_hash_table_lookup(centroid, r->zone_key)) != (int)i + 1) {
      g_clear_pointer(&r->zone_key, g_free); /* lies in the zone; not its centroid */
    } else if (r->zone_key && zone_names && !*r->name) {
      const char *nm = g_hash_table_lookup(zone_names, r->zone_key);
      if (nm) {
        g_free(r->name);
        r->name = g_strdup(nm);
      }
    }
  }
  if (!zone_table) return;
  GHashTableIter it;
  gpointer k, line;
  g_autoptr(GPtrArray) lost = g_ptr_array_new();
  g_hash_table_iter_init(&it, zone_table);
  while (g_hash_table_iter_next(&it, &k, &line))
    if (!g_hash_table_contains(centroid, k)) g_ptr_array_add(lost, line);
  g_ptr_array_sort(lost, cmp_line);
  for (guint i = 0; i < lost->len; i++)
    warn(rd, zone_path, GPOINTER_TO_INT(lost->pdata[i]),
         "no node has this zone_id (a node with it was expected); the zone is left out");
}

/* Whole-number keys keep their value as the int64 id; text keys get ids
 * above the largest whole one, in file order, and keep their text as the
 * label. */
typedef struct {
  int64_t next;
} IdAlloc;

static void id_alloc_init(IdAlloc *a, GPtrArray *keys) {
  int64_t max = 0;
  for (guint i = 0; i < keys->len; i++) {
    int64_t v;
    if (th_parse_int64(keys->pdata[i], &v) && v > max) max = v;
  }
  a->next = max + 1;
}

static int64_t id_of(IdAlloc *a, GHashTable *assigned, const char *key) {
  int64_t v;
  if (th_parse_int64(key, &v)) return v;
  gpointer have = g_hash_table_lookup(assigned, key);
  if (have) return *(int64_t *)have;
  v = a->next++;
  g_hash_table_insert(assigned, g_strdup(key), g_memdup2(&v, sizeof v));
  return v;
}

/* Length of a WGS84 line string, metres; 0 when it cannot be read. */
static double wkt_length_m(const char *wkt) {
  const char *p = strchr(wkt, '(');
  if (!p) return 0;
  p++;
  double len = 0, plon = NAN, plat = NAN;
  for (;;) {
    char *end;
    double lon = g_ascii_strtod(p, &end);
    if (end == p) break;
    p = end;
    double lat = g_ascii_strtod(p, &end);
    if (end == p) break;
    p = end;
    if (isfinite(plon)) len += th_haversine_m(plon, plat, lon, lat);
    plon = lon;
    plat = lat;
    while (*p && *p != ',' && *p != ')') p++;
    if (*p != ',') break;
    p++;
  }
  return len;
}

/* The points of a line string in reverse order (an undirected link's
 * second direction). */
static char *wkt_reverse(const char *wkt) {
  const char *open = strchr(wkt, '('), *close = strrchr(wkt, ')');
  if (!open || !close || close < open) return g_strdup(wkt);
  g_autofree char *inner = g_strndup(open + 1, close - open - 1);
  g_auto(GStrv) pts = g_strsplit(inner, ",", -1);
  int n = g_strv_length(pts);
  GString *s = g_string_new_len(wkt, open - wkt + 1);
  for (int i = n - 1; i >= 0; i--)
    g_string_append_printf(s, "%s%s", i < n - 1 ? ", " : "", g_strstrip(pts[i]));
  g_string_append_c(s, ')');
  return g_string_free(s, FALSE);
}

/* TRUE when link.csv's header has a `directed` column (GMNS as specified). */
static gboolean header_has(const char *path, const char *column) {
  g_autoptr(ThCsv) csv = th_csv_open(path, NULL);
  return csv && th_csv_column(csv, column) >= 0;
}

static ThNetwork *build(Reader *rd, GArray *nodes, GArray *links, const char *node_path,
                        const char *link_path, GError **error) {
  g_autoptr(ThNetwork) net = th_network_new();
  net->source_node_file = g_strdup(node_path);
  net->source_link_file = g_strdup(link_path);
  net->format = g_strdup("gmns");
  net->gmns_spec = rd->spec;
  if (rd->cfg.crs && !th_crs_is_wgs84(rd->cfg.crs)) net->crs = g_strdup(rd->cfg.crs);
  g_autoptr(GPtrArray) keys = g_ptr_array_new();
  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add(keys, g_array_index(nodes, NodeRow, i).key);
  IdAlloc node_ids, zone_ids, link_ids;
  id_alloc_init(&node_ids, keys);
  g_ptr_array_set_size(keys, 0);
  for (guint i = 0; i < nodes->len; i++)
    if (g_array_index(nodes, NodeRow, i).zone_key)
      g_ptr_array_add(keys, g_array_index(nodes, NodeRow, i).zone_key);
  id_alloc_init(&zone_ids, keys);
  if (zone_ids.next < 0) zone_ids.next = 0;
  g_ptr_array_set_size(keys, 0);
  for (guint i = 0; i < links->len; i++)
    g_ptr_array_add(keys, g_array_index(links, LinkRow, i).key);
  id_alloc_init(&link_ids, keys);
  g_autoptr(GHashTable) node_assigned =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) zone_assigned =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) link_assigned =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < nodes->len; i++) {
    NodeRow *r = &g_array_index(nodes, NodeRow, i);
    r->id = id_of(&node_ids, node_assigned, r->key);
    if (rd->spec) r->zone_id = r->zone_key ? id_of(&zone_ids, zone_assigned, r->zone_key) : -1;
    int v = th_network_add_node(net, r->id, r->name, r->lon, r->lat, r->kind, r->zone_id,
                                r->population, r->gdp, r->jobs, r->line);
    if (v >= 0) th_network_set_node_source(net, v, r->source);
  }
  g_autoptr(GArray) labels = g_array_new(FALSE, TRUE, sizeof(char *)); /* link index -> label */
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < links->len; i++) {
    LinkRow *r = &g_array_index(links, LinkRow, i);
    ThLinkSpec *s = &r->spec;
    s->id = id_of(&link_ids, link_assigned, r->key);
    s->from_id = id_of(&node_ids, node_assigned, r->from_key);
    s->to_id = id_of(&node_ids, node_assigned, r->to_key);
    s->name = r->name;
    s->facility = r->facility;
    s->geometry_wkt = r->geometry;
    s->source = r->source;
    if (r->length_unknown) {
      int a = th_network_node_index(net, s->from_id), b = th_network_node_index(net, s->to_id);
      s->length_m = *r->geometry
                        ? wkt_length_m(r->geometry)
                        : th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]);
      if (!isfinite(s->length_m)) s->length_m = 0;
    }
    int64_t v;
    char *label = th_parse_int64(r->key, &v) ? NULL : r->key;
    if (th_network_add_link(net, s) >= 0) g_array_append_val(labels, label);
    if (r->undirected) {
      ThLinkSpec back = *s;
      back.from_id = s->to_id;
      back.to_id = s->from_id;
      char *rgeom = *r->geometry ? wkt_reverse(r->geometry) : g_strdup("");
      g_ptr_array_add(owned, rgeom);
      back.geometry_wkt = rgeom;
      char *rkey = g_strdup_printf("%s:r", r->key);
      g_ptr_array_add(owned, rkey);
      back.id = id_of(&link_ids, link_assigned, rkey);
      if (th_network_add_link(net, &back) >= 0) g_array_append_val(labels, rkey);
    }
  }
  if (!th_network_finalize(net, error)) return NULL;
  for (guint e = 0; e < labels->len; e++) {
    const char *l = g_array_index(labels, char *, e);
    if (l) th_network_set_link_label(net, (int)e, l);
  }
  if (g_hash_table_size(node_assigned) > 0)
    for (int v = 0; v < net->n_nodes; v++)
      th_network_set_node_label(net, v, g_array_index(nodes, NodeRow, v).key);
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init(&it, zone_assigned);
  while (g_hash_table_iter_next(&it, &k, &val)) th_network_set_zone_label(net, *(int64_t *)val, k);
  return g_steal_pointer(&net);
}

static void reader_warnings(Reader *rd, const char *link_path) {
  if (rd->empty_capacity)
    warn(rd, link_path, rd->first_empty_capacity,
         "capacity is empty on %d road link%s, from this line (read as unlimited: assignment "
         "and simulation see no congestion there)",
         rd->empty_capacity, rd->empty_capacity == 1 ? "" : "s");
  if (rd->empty_directed)
    warn(rd, link_path, rd->first_empty_directed,
         "directed is empty on %d link%s, from this line (the spec requires true or false; "
         "read as true, one way)",
         rd->empty_directed, rd->empty_directed == 1 ? "" : "s");
  if (rd->dropped_links)
    warn(rd, link_path, rd->first_dropped_line,
         "%d link%s, from this line, allow%s only uses taihang does not model (%s); left out",
         rd->dropped_links, rd->dropped_links == 1 ? "" : "s", rd->dropped_links == 1 ? "s" : "",
         rd->ignored_uses->str);
  else if (rd->ignored_uses->len)
    warn(rd, link_path, 1, "allowed_uses names uses taihang does not model (%s); they are ignored",
         rd->ignored_uses->str);
}

ThNetwork *th_gmns_read_full(const char *dir, GPtrArray *warnings, GError **error) {
  g_autofree char *node_path = g_build_filename(dir, "node.csv", NULL);
  g_autofree char *link_path = g_build_filename(dir, "link.csv", NULL);
  g_autofree char *zone_path = g_build_filename(dir, "zone.csv", NULL);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: no such folder (a GMNS network folder with node.csv and link.csv was "
                "expected)",
                dir);
    return NULL;
  }
  for (int k = 0; k < 2; k++) {
    const char *p = k ? link_path : node_path;
    if (!th_input_present(p)) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "%s: file is missing (a GMNS network folder holds node.csv and link.csv)", p);
      return NULL;
    }
    /* there but unreadable (dangling symlink, permissions): say why */
  }
  Reader rd;
  memset(&rd, 0, sizeof rd);
  rd.pr.problems = g_ptr_array_new_with_free_func(g_free);
  rd.warnings = warnings;
  rd.ignored_uses = g_string_new(NULL);
  g_autoptr(GArray) nodes = g_array_new(FALSE, TRUE, sizeof(NodeRow));
  g_array_set_clear_func(nodes, node_row_clear);
  g_autoptr(GArray) links = g_array_new(FALSE, TRUE, sizeof(LinkRow));
  g_array_set_clear_func(links, link_row_clear);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) zone_table = NULL, zone_names = NULL;
  GError *io = NULL;
  ThNetwork *result = NULL;
  if (!th_gmns_config_read(dir, &rd.cfg, rd.pr.problems, &io)) goto out;
  /* the specification's reading: a config.csv, the spec's required `directed`,
   * or no `allowed_uses` (optional in GMNS, required by taihang's own
   * convention, so a folder without it can only be a GMNS one: DTALite's) */
  rd.spec = rd.cfg.present || header_has(link_path, "directed") ||
            !header_has(link_path, "allowed_uses");
  if (rd.spec) {
    guint before = rd.pr.problems->len;
    rd.uses = th_gmns_uses_read(dir, rd.pr.problems, &io);
    if (!rd.uses) goto out;
    rd.uses_bad = rd.pr.problems->len > before;
    if (rd.cfg.crs && !th_crs_is_wgs84(rd.cfg.crs)) {
      GError *ce = NULL;
      rd.crs = th_crs_new(rd.cfg.crs, &ce);
      if (!rd.crs) {
        th_problems_add(rd.pr.problems, rd.cfg.path, 2,
                        "%s (an EPSG code or a PROJ definition was expected)", ce->message);
        g_error_free(ce);
        rd.crs_bad = TRUE;
      }
    }
  }
  /* the node, zone and link tables are read whatever config.csv and the use
   * tables said: every problem of the folder at once */
  {
    gboolean nodes_usable = read_nodes(&rd, node_path, nodes, seen, &io);
    if (!io && rd.spec && g_file_test(zone_path, G_FILE_TEST_EXISTS)) {
      zone_table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
      zone_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
      read_zone_table(&rd, zone_path, zone_table, zone_names, &io);
    }
    if (!io && rd.spec) resolve_zones(&rd, nodes, node_path, zone_path, zone_table, zone_names);
    if (!io) read_links(&rd, link_path, links, nodes_usable ? seen : NULL, &io);
  }
  if (io) goto out;
  /* A header-only file (or, before lone CRs ended lines, a whole file read
   * as its header) gave "0 nodes, 0 links" and passed. Said only when
   * nothing else is wrong: a file whose every row is broken is empty too. */
  if (rd.pr.problems->len == 0) {
    if (rd.pr.empty_node_line)
      th_problems_add(rd.pr.problems, node_path, rd.pr.empty_node_line,
                      "no nodes (a row per node below the header was expected)");
    if (rd.pr.empty_link_line)
      th_problems_add(rd.pr.problems, link_path, rd.pr.empty_link_line,
                      "no links (a row per link below the header was expected)");
  }
  if (rd.pr.problems->len > 0) {
    th_problems_to_error(rd.pr.problems, rd.pr.parse_error ? TH_ERROR_PARSE : TH_ERROR_INVALID,
                         error);
    goto out;
  }
  reader_warnings(&rd, link_path);
  result = build(&rd, nodes, links, node_path, link_path, error);
out:
  if (io) g_propagate_error(error, io);
  g_ptr_array_unref(rd.pr.problems);
  g_string_free(rd.ignored_uses, TRUE);
  th_gmns_config_clear(&rd.cfg);
  th_gmns_uses_free(rd.uses);
  th_crs_free(rd.crs);
  return result;
}

ThNetwork *th_gmns_read(const char *dir, GError **error) {
  return th_gmns_read_full(dir, NULL, error);
}


/* ------------------------------------------------------------------------ */
/* writing                                                                     */

/* Appends S as a CSV field, quoted when it holds a separator, a quote, a line
 * break or spaces at either end (which the reader would trim). */

static void csv_num(GString *out, double v) {
  char buf[64];
  fmt_shortest(buf, sizeof buf, v);
  g_string_append(out, buf);
}

/* Writes TEXT to PATH whole (network/atomic.h). */
static gboolean write_text(const char *path, GString *text, GError **error) {
  return th_atomic_write(path, text->str, text->len, error);
}

static gboolean write_spec(const ThNetwork *net, const char *dir, GError **error);

/* The end of a node.csv row from node_type on: ",KIND,ZONE,POP,GDP,JOBS,SOURCE\n"
 * (the zone as the files wrote it; empty zone fields for other nodes). */
static void append_node_tail(GString *s, const ThNetwork *net, int v) {
  char buf[32];
  g_string_append_printf(s, ",%s,", th_node_kind_name(net->node_kind[v]));
  int z = net->node_zone[v];
  if (z >= 0) {
    th_csv_append_field(s, th_network_zone_label(net, z, buf));
    const double attr[3] = {net->zone_population[z], net->zone_gdp[z], net->zone_jobs[z]};
    for (int a = 0; a < 3; a++) {
      g_string_append_c(s, ',');
      if (attr[a] != 0) csv_num(s, attr[a]);
    }
    g_string_append_c(s, ',');
  } else {
    g_string_append(s, ",,,,");
  }
  th_csv_append_field(s, net->node_source[v]);
  g_string_append_c(s, '\n');
}

/* A link.csv row from name to source: name, facility_type, allowed_uses,
 * length (km), free_speed (km/h), capacity (per lane when PER_LANE, else per
 * link; empty = unlimited), lanes, bpr_alpha, bpr_beta, toll, cost_per_tkm,
 * GEOMETRY, source. */
static void append_link_fields(GString *s, const ThNetwork *net, int e, gboolean per_lane,
                               const char *geometry) {
  char buf[64];
  th_csv_append_field(s, net->link_name[e]);
  g_string_append_c(s, ',');
  th_csv_append_field(s, net->link_facility[e]);
  g_autofree char *modes = th_modes_format(net->link_modes[e]);
  g_string_append_printf(s, ",%s,", modes);
  fmt_shifted(buf, sizeof buf, net->length_m[e], 3);
  g_string_append(s, buf);
  g_string_append_c(s, ',');
  fmt_converted(buf, sizeof buf, net->free_speed_mps[e], KMH_PER_MPS, 0);
  g_string_append(s, buf);
  g_string_append_c(s, ',');
  double cap = net->capacity_vph[e], lanes = net->lanes[e];
  if (isfinite(cap) && !per_lane) {
    csv_num(s, cap);
  } else if (isfinite(cap) && lanes > 0) {
    fmt_converted(buf, sizeof buf, cap, 0, lanes); /* GMNS: per lane */
    g_string_append(s, buf);
  }
  const double rest[5] = {lanes, net->bpr_alpha[e], net->bpr_beta[e], net->toll[e],
                          net->cost_per_tkm[e]};
  for (int a = 0; a < 5; a++) {
    g_string_append_c(s, ',');
    csv_num(s, rest[a]);
  }
  g_string_append_c(s, ',');
  th_csv_append_field(s, geometry);
  g_string_append_c(s, ',');
  th_csv_append_field(s, net->link_source[e]);
}

/* free_time_min of link E when it is not length / speed, else nothing. */
static void append_free_time(GString *s, const ThNetwork *net, int e) {
  char buf[64];
  double t = net->free_speed_mps[e] > 0 ? net->length_m[e] / net->free_speed_mps[e] : 0;
  if (net->free_time_s[e] != t && net->free_time_s[e] > 0) {
    fmt_converted(buf, sizeof buf, net->free_time_s[e], 0, 60.0);
    g_string_append(s, buf);
  }
}

gboolean th_gmns_write(const ThNetwork *net, const char *dir, GError **error) {
  g_return_val_if_fail(net && net->finalized, FALSE);
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create folder (%s)", dir,
                g_strerror(errno));
    return FALSE;
  }
  if (net->gmns_spec) return write_spec(net, dir, error);
  g_autoptr(GString) s = g_string_new("node_id,name,x_coord,y_coord,node_type,zone_id,"
                                      "population,gdp,jobs,source\n");
  for (int v = 0; v < net->n_nodes; v++) {
    g_string_append_printf(s, "%" G_GINT64_FORMAT ",", net->node_id[v]);
    th_csv_append_field(s, net->node_name[v]);
    g_string_append_c(s, ',');
    if (isfinite(net->lon[v]) && isfinite(net->lat[v])) {
      csv_num(s, net->lon[v]);
      g_string_append_c(s, ',');
      csv_num(s, net->lat[v]);
    } else {
      g_string_append_c(s, ',');
    }
    append_node_tail(s, net, v);
  }
  g_autofree char *node_path = g_build_filename(dir, "node.csv", NULL);
  if (!write_text(node_path, s, error)) return FALSE;

  /* free_time_min only when some link's time is not length / speed (TNTP) */
  gboolean need_time = FALSE;
  for (int e = 0; e < net->n_links && !need_time; e++) {
    double t = net->free_speed_mps[e] > 0 ? net->length_m[e] / net->free_speed_mps[e] : 0;
    if (!(t > 0)) t = 0;
    if (net->free_time_s[e] != t) need_time = TRUE;
  }
  g_string_assign(s, "link_id,from_node_id,to_node_id,name,facility_type,allowed_uses,length,"
                     "free_speed,capacity,lanes,bpr_alpha,bpr_beta,toll,cost_per_tkm,geometry,"
                     "source");
  g_string_append(s, need_time ? ",free_time_min\n" : "\n");
  for (int e = 0; e < net->n_links; e++) {
    g_string_append_printf(s, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",",
                           net->link_id[e], net->node_id[net->link_from[e]],
                           net->node_id[net->link_to[e]]);
    append_link_fields(s, net, e, FALSE, net->link_geometry[e]);
    if (need_time) {
      g_string_append_c(s, ',');
      append_free_time(s, net, e);
    }
    g_string_append_c(s, '\n');
  }
  g_autofree char *link_path = g_build_filename(dir, "link.csv", NULL);
  return write_text(link_path, s, error);
}

/* ------------------------------------------------------------------------ */
/* writing GMNS as specified                                                   */

/* A folder read as GMNS as specified is written back as such: config.csv
 * (km, km/h, the CRS it came in), ids as written, coordinates and
 * geometries in that CRS, `directed` true (an undirected link was read as
 * two), capacity per lane. */
static gboolean write_spec(const ThNetwork *net, const char *dir, GError **error) {
  g_autoptr(ThCrs) crs = NULL;
  if (net->crs && !(crs = th_crs_new(net->crs, error))) return FALSE;
  char b1[32], b2[32];
  g_autoptr(GString) s = g_string_new("dataset_name,long_length,speed,crs,id_type\n");
  gboolean text_ids = net->node_label || net->link_label || net->zone_label;
  g_string_append(s, "taihang,km,kmh,");
  th_csv_append_field(s, net->crs ? net->crs : "EPSG:4326");
  g_string_append_printf(s, ",%s\n", text_ids ? "string" : "integer");
  g_autofree char *config_path = g_build_filename(dir, "config.csv", NULL);
  if (!write_text(config_path, s, error)) return FALSE;

  g_string_assign(s, "node_id,name,x_coord,y_coord,node_type,zone_id,population,gdp,jobs,source\n");
  for (int v = 0; v < net->n_nodes; v++) {
    th_csv_append_field(s, th_network_node_label(net, v, b1));
    g_string_append_c(s, ',');
    th_csv_append_field(s, net->node_name[v]);
    g_string_append_c(s, ',');
    double x = net->lon[v], y = net->lat[v];
    if (isfinite(x) && isfinite(y) &&
        (!crs || th_crs_from_wgs84(crs, net->lon[v], net->lat[v], &x, &y))) {
      csv_num(s, x);
      g_string_append_c(s, ',');
      csv_num(s, y);
    } else {
      g_string_append_c(s, ',');
    }
    append_node_tail(s, net, v);
  }
  g_autofree char *node_path = g_build_filename(dir, "node.csv", NULL);
  if (!write_text(node_path, s, error)) return FALSE;

  g_string_assign(s, "link_id,from_node_id,to_node_id,directed,name,facility_type,allowed_uses,"
                     "length,free_speed,capacity,lanes,bpr_alpha,bpr_beta,toll,cost_per_tkm,"
                     "geometry,source,free_time_min\n");
  for (int e = 0; e < net->n_links; e++) {
    th_csv_append_field(s, th_network_link_label(net, e, b1));
    g_string_append_c(s, ',');
    th_csv_append_field(s, th_network_node_label(net, net->link_from[e], b2));
    g_string_append_c(s, ',');
    th_csv_append_field(s, th_network_node_label(net, net->link_to[e], b2));
    g_string_append(s, ",true,");
    g_autofree char *geom = crs && *net->link_geometry[e]
                                ? th_crs_linestring(crs, net->link_geometry[e], FALSE, 3)
                                : g_strdup(net->link_geometry[e]);
    append_link_fields(s, net, e, TRUE, geom ? geom : "");
    g_string_append_c(s, ',');
    append_free_time(s, net, e);
    g_string_append_c(s, '\n');
  }
  g_autofree char *link_path = g_build_filename(dir, "link.csv", NULL);
  return write_text(link_path, s, error);
}

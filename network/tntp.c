/* tntp.c: readers and writer of the TNTP formats (see tntp.h).
 *
 * The files are small enough to read whole; each line is cut at `~` (a
 * comment), split at blanks and `;`, and checked field by field so that a
 * planner gets every problem with its line, not only the first. */
#include "network/tntp.h"

#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- lines */

typedef struct {
  char **lines; /* the file's lines, without line ends */
  int n;
  char *base;   /* file name for messages (the path as given) */
} TntpText;

static gboolean text_read(const char *path, TntpText *t, GError **error) {
  g_autofree char *data = NULL;
  gsize len = 0;
  /* unreadable (dangling symlink, permissions): bad input, with the reason */
  if (!th_input_read(path, &data, &len, error)) return FALSE;
  if (len >= 3 && (guchar)data[0] == 0xEF && (guchar)data[1] == 0xBB && (guchar)data[2] == 0xBF)
    memmove(data, data + 3, len - 2);
  t->lines = g_strsplit(data, "\n", -1);
  t->n = (int)g_strv_length(t->lines);
  for (int i = 0; i < t->n; i++) {
    size_t l = strlen(t->lines[i]);
    if (l && t->lines[i][l - 1] == '\r') t->lines[i][l - 1] = 0;
  }
  /* a final newline makes an empty last "line" that is not one */
  if (t->n > 0 && t->lines[t->n - 1][0] == 0) t->n--;
  t->base = g_strdup(path);
  return TRUE;
}

static void text_clear(TntpText *t) {
  g_strfreev(t->lines);
  g_free(t->base);
}

/* Splits LINE (comment removed) into tokens at blanks and ';'. *SEMI tells
 * whether a ';' was seen. Returns a NULL-terminated vector (caller frees). */
static char **tokens(const char *line, gboolean *semi) {
  g_autofree char *s = g_strdup(line);
  char *c = strchr(s, '~');
  if (c) *c = 0;
  if (semi) *semi = strchr(s, ';') != NULL;
  GPtrArray *a = g_ptr_array_new();
  char *p = s;
  while (*p) {
    while (*p && (g_ascii_isspace(*p) || *p == ';')) p++;
    if (!*p) break;
    char *q = p;
    while (*q && !g_ascii_isspace(*q) && *q != ';') q++;
    g_ptr_array_add(a, g_strndup(p, (gsize)(q - p)));
    p = q;
  }
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}

/* Metadata: `<KEY> value` lines up to `<END OF METADATA>`. Fills a table
 * KEY -> value (upper case key) and KEY -> line; returns the index of the
 * first line after the metadata, or -1 if the end marker is missing. */
static int read_metadata(const TntpText *t, GHashTable *meta, GHashTable *meta_line) {
  for (int i = 0; i < t->n; i++) {
    const char *l = t->lines[i];
    while (g_ascii_isspace(*l)) l++;
    if (*l != '<') continue;
    const char *e = strchr(l, '>');
    if (!e) continue;
    g_autofree char *key = g_ascii_strup(l + 1, (gssize)(e - l - 1));
    g_strstrip(key);
    if (strcmp(key, "END OF METADATA") == 0) return i + 1;
    g_autofree char *val = g_strdup(e + 1);
    char *c = strchr(val, '~');
    if (c && strcmp(key, "ORIGINAL HEADER") != 0) *c = 0;
    g_strstrip(val);
    g_hash_table_replace(meta, g_strdup(key), g_strdup(val));
    g_hash_table_replace(meta_line, g_strdup(key), GINT_TO_POINTER(i + 1));
  }
  return -1;
}

/* Integer metadata value KEY; -1 when absent (and DEF_OK), with a problem
 * added when present but not a non-negative integer or absent and required. */
static int64_t meta_int(GHashTable *meta, GHashTable *meta_line, const char *file,
                        const char *key, gboolean required, int64_t def, GPtrArray *problems) {
  const char *v = g_hash_table_lookup(meta, key);
  if (!v) {
    if (required)
      th_problems_add(problems, file, 1,
                      "missing <%s> in the metadata (a line `<%s> N` before <END OF METADATA>)",
                      key, key);
    return def;
  }
  int64_t x;
  int line = GPOINTER_TO_INT(g_hash_table_lookup(meta_line, key));
  if (!th_parse_int64(v, &x) || x < 0) {
    th_problems_add(problems, file, line, "<%s> '%s' is not a count (a whole number >= 0)", key, v);
    return def;
  }
  return x;
}

static double meta_double(GHashTable *meta, GHashTable *meta_line, const char *file,
                          const char *key, GPtrArray *problems) {
  const char *v = g_hash_table_lookup(meta, key);
  if (!v || !*v) return 0.0;
  double x;
  if (!th_parse_double(v, &x)) {
    th_problems_add(problems, file, GPOINTER_TO_INT(g_hash_table_lookup(meta_line, key)),
                    "<%s> '%s' is not a number (a number)", key, v);
    return 0.0;
  }
  return x;
}

static gboolean fail_problems(GPtrArray *problems, int code, GError **error) {
  if (problems->len == 0) return FALSE;
  th_problems_to_error(problems, code, error);
  return TRUE;
}

char *th_tntp_sibling(const char *net_path, const char *kind) {
  g_autofree char *dir = g_path_get_dirname(net_path);
  g_autofree char *base = g_path_get_basename(net_path);
  char *p = g_strrstr(base, "_net");
  if (!p) return NULL;
  *p = 0;
  g_autofree char *name = g_strdup_printf("%s_%s%s", base, kind, p + 4);
  if (strcmp(dir, ".") == 0 && !strchr(net_path, '/')) return g_steal_pointer(&name);
  return g_build_filename(dir, name, NULL);
}

/* Length unit of a net file, from the words of its metadata (the ORIGINAL
 * HEADER usually says "Length (ft)"); metres per unit. Most TNTP networks
 * are American and give miles, hence the default. */
static double length_unit_m(GHashTable *meta) {
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, meta);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    g_autofree char *low = g_ascii_strdown(v, -1);
    const char *p = strstr(low, "length");
    if (!p) continue;
    if (strstr(p, "(ft") || strstr(p, "feet")) return 0.3048;
    if (strstr(p, "(km")) return 1000.0;
    if (strstr(p, "(m)")) return 1.0;
    if (strstr(p, "(mi")) return 1609.344;
  }
  return 1609.344;
}

/* ------------------------------------------------------------ node file */

static void read_nodes_beside(const char *net_path, ThNetwork *net) {
  g_autofree char *path = th_tntp_sibling(net_path, "node");
  if (!path || !g_file_test(path, G_FILE_TEST_IS_REGULAR)) return;
  TntpText t = {0};
  if (!text_read(path, &t, NULL)) return;
  int n = net->n_nodes;
  double *x = g_new(double, n), *y = g_new(double, n);
  for (int i = 0; i < n; i++) x[i] = y[i] = NAN;
  gboolean wgs84 = TRUE;
  for (int i = 0; i < t.n; i++) {
    g_auto(GStrv) tok = tokens(t.lines[i], NULL);
    if (g_strv_length(tok) < 3) continue;
    int64_t id;
    double a, b;
    if (!th_parse_int64(tok[0], &id) || !th_parse_double(tok[1], &a) ||
        !th_parse_double(tok[2], &b))
      continue; /* the header row */
    int v = th_network_node_index(net, id);
    if (v < 0) continue;
    x[v] = a;
    y[v] = b;
    if (fabs(a) > 180 || fabs(b) > 90) wgs84 = FALSE;
  }
  /* planar coordinates (feet, metres) are not longitudes: keep none rather
   * than draw a network somewhere in the ocean */
  if (wgs84)
    for (int i = 0; i < n; i++) {
      net->lon[i] = x[i];
      net->lat[i] = y[i];
    }
  g_free(x);
  g_free(y);
  text_clear(&t);
}

/* ------------------------------------------------------------- net file */

/* Reads PATH and its metadata block (values and their lines into META and
 * META_LINE, both string-keyed). Returns the index of the first body line,
 * or -1 with ERROR set (T cleared) when the file cannot be read or has no
 * <END OF METADATA>. Shared by the net and trips readers. */
static int open_with_metadata(const char *path, TntpText *t, GHashTable **meta,
                              GHashTable **meta_line, GError **error) {
  if (!text_read(path, t, error)) return -1;
  *meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  *meta_line = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int body = read_metadata(t, *meta, *meta_line);
  if (body < 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:%d: no <END OF METADATA> line (a TNTP metadata block ending with <END OF "
                "METADATA>)",
                t->base, t->n > 0 ? t->n : 1);
    text_clear(t);
  }
  return body;
}

static const char *const link_fields[] = {"init_node", "term_node", "capacity", "length",
                                          "free_flow_time", "b", "power", "speed", "toll",
                                          "link_type"};

/* The metadata of a net file that its body is checked against. */
typedef struct {
  int64_t n_zones, n_nodes, n_links; /* -1 when missing */
  int64_t first_thru;                /* nodes below it are zones trips may not pass */
  double toll_factor, dist_factor;
  int nodes_line, links_line;        /* where the counts were declared, for messages */
} NetHeader;

/* Step 1: the counts and factors of the metadata, every problem added. */
static void net_header(GHashTable *meta, GHashTable *meta_line, const char *file, NetHeader *h,
                       GPtrArray *problems) {
  h->n_zones = meta_int(meta, meta_line, file, "NUMBER OF ZONES", TRUE, -1, problems);
  h->n_nodes = meta_int(meta, meta_line, file, "NUMBER OF NODES", TRUE, -1, problems);
  h->n_links = meta_int(meta, meta_line, file, "NUMBER OF LINKS", TRUE, -1, problems);
  h->first_thru = meta_int(meta, meta_line, file, "FIRST THRU NODE", FALSE, 1, problems);
  h->toll_factor = meta_double(meta, meta_line, file, "TOLL FACTOR", problems);
  h->dist_factor = meta_double(meta, meta_line, file, "DISTANCE FACTOR", problems);
  h->links_line = GPOINTER_TO_INT(g_hash_table_lookup(meta_line, "NUMBER OF LINKS"));
  h->nodes_line = GPOINTER_TO_INT(g_hash_table_lookup(meta_line, "NUMBER OF NODES"));
  if (h->n_zones >= 0 && h->n_nodes >= 0 && h->n_zones > h->n_nodes)
    th_problems_add(
        problems, file, GPOINTER_TO_INT(g_hash_table_lookup(meta_line, "NUMBER OF ZONES")),
        "<NUMBER OF ZONES> %" G_GINT64_FORMAT " exceeds <NUMBER OF NODES> %" G_GINT64_FORMAT
        " (zones are nodes 1..NUMBER OF ZONES)",
        h->n_zones, h->n_nodes);
  if (h->n_nodes > G_MAXINT / 2 || h->n_links > G_MAXINT / 2) {
    th_problems_add(problems, file, h->nodes_line,
                    "network too large (fewer than 1e9 nodes and links)");
  }
}

/* Step 2: the network and its nodes 1..n_nodes, zones first (those below
 * FIRST THRU NODE are origins only, the others towns trips may pass). */
static ThNetwork *net_nodes(const char *file, const NetHeader *h) {
  ThNetwork *net = th_network_new();
  net->format = g_strdup("tntp");
  net->source_node_file = g_strdup(file);
  net->source_link_file = g_strdup(file);
  net->tntp_toll_factor = h->toll_factor;
  net->tntp_distance_factor = h->dist_factor;
  for (int64_t v = 1; v <= h->n_nodes; v++) {
    gboolean zone = v <= h->n_zones;
    ThNodeKind kind = zone ? (v < h->first_thru ? TH_NODE_ZONE : TH_NODE_TOWN) : TH_NODE_JUNCTION;
    th_network_add_node(net, v, NULL, NAN, NAN, kind, zone ? v : -1, 0, 0, 0, h->nodes_line);
  }
  for (int v = 0; v < net->n_nodes; v++) net->node_no_thru[v] = (net->node_id[v] < h->first_thru);
  return net;
}

/* The link reader: where step 3 is in the body, and what it has added. */
typedef struct {
  const char *file;
  const NetHeader *h;
  GPtrArray *problems;
  ThNetwork *net;
  double unit;         /* metres per length unit (length_unit_m) */
  GArray *tl;          /* the length column as written, per link (net->tntp_length) */
  int count;           /* link lines so far */
  gboolean uses_semi;  /* the first link line ends with ';', so must every one */
} LinkReader;

/* The numbers of one link line TOK (NT tokens) into F, every field checked.
 * FALSE when a field is wrong (problems added). */
static gboolean link_fields_check(LinkReader *lr, char **tok, int nt, int line, double *f) {
  const char *file = lr->file;
  GPtrArray *problems = lr->problems;
  gboolean ok = TRUE;
  for (int k = 0; k < nt && k < 10; k++) {
    if (k == 9) break; /* link_type may be text */
    if (!th_parse_double(tok[k], &f[k])) {
      th_problems_add(problems, file, line, "%s '%s' is not a number (a number)", link_fields[k],
                      tok[k]);
      ok = FALSE;
    }
  }
  if (!ok) return FALSE;
  for (int k = 0; k < 2; k++) {
    if (f[k] != floor(f[k]) || f[k] < 1 || f[k] > (double)lr->h->n_nodes) {
      th_problems_add(problems, file, line,
                      "%s %s is not a declared node (a node 1..%" G_GINT64_FORMAT
                      " from <NUMBER OF NODES> on line %d)",
                      link_fields[k], tok[k], lr->h->n_nodes, lr->h->nodes_line);
      ok = FALSE;
    }
  }
  if (!(f[2] > 0)) {
    th_problems_add(problems, file, line, "capacity %s is not positive (a capacity > 0 in veh/h)",
                    tok[2]);
    ok = FALSE;
  }
  if (f[3] < 0) {
    th_problems_add(problems, file, line, "length %s is negative (a length >= 0)", tok[3]);
    ok = FALSE;
  }
  if (f[4] < 0) {
    th_problems_add(problems, file, line,
                    "free_flow_time %s is negative (a time >= 0 in minutes)", tok[4]);
    ok = FALSE;
  }
  if (f[5] < 0 || f[6] < 0) {
    th_problems_add(problems, file, line, "%s %s is negative (a BPR parameter >= 0)",
                    f[5] < 0 ? "b" : "power", f[5] < 0 ? tok[5] : tok[6]);
    ok = FALSE;
  }
  return ok;
}

/* Step 3, one link line (LINE, 1-based; its NT > 0 tokens TOK, SEMI when
 * it has a ';'): counted, checked, and added to the network while the file
 * has no problem yet. */
static void link_line(LinkReader *lr, char **tok, int nt, gboolean semi, int line) {
  const char *file = lr->file;
  GPtrArray *problems = lr->problems;
  lr->count++;
  if (lr->count == 1) lr->uses_semi = semi;
  if (lr->h->n_links >= 0 && lr->count == lr->h->n_links + 1)
    th_problems_add(problems, file, line,
                    "link %d is beyond <NUMBER OF LINKS> %" G_GINT64_FORMAT
                    " (as many link lines as declared on line %d)", lr->count, lr->h->n_links,
                    lr->h->links_line);
  if (nt < 7 || (lr->uses_semi && !semi)) {
    th_problems_add(problems, file, line,
                    "link line has %d field%s%s (init_node term_node capacity length "
                    "free_flow_time b power [speed toll link_type] ;) - truncated?",
                    nt, nt == 1 ? "" : "s", lr->uses_semi && !semi ? " and no ';' terminator" : "");
    return;
  }
  double f[10] = {0};
  if (!link_fields_check(lr, tok, nt, line, f) || problems->len) return;
  ThLinkSpec s = {0};
  s.id = lr->count;
  s.from_id = (int64_t)f[0];
  s.to_id = (int64_t)f[1];
  s.modes = TH_MODE_ROAD;
  s.facility = nt >= 10 ? tok[9] : NULL;
  s.length_m = f[3] * lr->unit;
  s.free_time_s = f[4] * 60.0;
  s.free_speed_mps = s.free_time_s > 0 && s.length_m > 0 ? s.length_m / s.free_time_s : 30.0;
  s.capacity_vph = f[2];
  s.lanes = 1;
  s.bpr_alpha = f[5];
  s.bpr_beta = f[6];
  s.toll = f[8];
  s.source = "H";
  s.line = line;
  int e = th_network_add_link(lr->net, &s);
  g_assert(e >= 0);
  /* a zero free flow time (connectors) stays zero, not length / speed */
  lr->net->free_time_s[e] = s.free_time_s;
  g_array_append_val(lr->tl, f[3]);
}

/* The steps: the metadata (header), the nodes, the link lines, the count
 * of links against the header, then finalize and the coordinates of a
 * _node file beside PATH. */
ThNetwork *th_tntp_read_net(const char *path, GError **error) {
  TntpText t = {0};
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GHashTable) meta_line = NULL;
  int body = open_with_metadata(path, &t, &meta, &meta_line, error);
  if (body < 0) return NULL;
  const char *file = t.base;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  NetHeader h;
  net_header(meta, meta_line, file, &h, problems);
  if (problems->len) {
    fail_problems(problems, TH_ERROR_PARSE, error);
    text_clear(&t);
    return NULL;
  }
  ThNetwork *net = net_nodes(file, &h);
  LinkReader lr = {.file = file, .h = &h, .problems = problems, .net = net,
                   .unit = length_unit_m(meta), .tl = g_array_new(FALSE, FALSE, sizeof(double))};
  int last_line = body;
  for (int i = body; i < t.n; i++) {
    gboolean semi;
    g_auto(GStrv) tok = tokens(t.lines[i], &semi);
    int nt = (int)g_strv_length(tok);
    if (nt == 0) continue;
    last_line = i + 1;
    link_line(&lr, tok, nt, semi, i + 1);
  }
  if (h.n_links >= 0 && lr.count < h.n_links)
    th_problems_add(
        problems, file, last_line,
        "file ends after %d link%s (%" G_GINT64_FORMAT
        " links declared by <NUMBER OF LINKS> on line %d) - truncated file or wrong header?",
        lr.count, lr.count == 1 ? "" : "s", h.n_links, h.links_line);
  text_clear(&t);
  net->tntp_length = (double *)g_array_free(lr.tl, FALSE);
  if (fail_problems(problems, TH_ERROR_INVALID, error) || !th_network_finalize(net, error)) {
    th_network_free(net);
    return NULL;
  }
  read_nodes_beside(path, net);
  return net;
}

/* -------------------------------------------------------------- OD table */

typedef struct {
  int o, d;
  double t;
} OdEntry;

static int cmp_od(const void *a, const void *b) {
  const OdEntry *x = a, *y = b;
  if (x->o != y->o) return x->o < y->o ? -1 : 1;
  return x->d < y->d ? -1 : x->d > y->d;
}

ThOdTable *th_od_table_new(int n_zones, int n, const int *orig, const int *dest,
                           const double *trips) {
  OdEntry *e = g_new(OdEntry, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) e[i] = (OdEntry){orig[i], dest[i], trips[i]};
  qsort(e, (size_t)n, sizeof *e, cmp_od);
  ThOdTable *od = g_new0(ThOdTable, 1);
  od->n_zones = n_zones;
  od->origin_start = g_new0(int, n_zones + 1);
  od->dest = g_new(int, n > 0 ? n : 1);
  od->trips = g_new(double, n > 0 ? n : 1);
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (k > 0 && od->dest[k - 1] == e[i].d && e[i - 1].o == e[i].o) {
      od->trips[k - 1] += e[i].t;
    } else {
      od->dest[k] = e[i].d;
      od->trips[k] = e[i].t;
      od->origin_start[e[i].o + 1]++;
      k++;
    }
    od->total += e[i].t;
  }
  for (int z = 0; z < n_zones; z++) od->origin_start[z + 1] += od->origin_start[z];
  od->n_entries = k;
  g_free(e);
  return od;
}

void th_od_table_free(ThOdTable *od) {
  if (!od) return;
  g_free(od->origin_start);
  g_free(od->dest);
  g_free(od->trips);
  g_free(od);
}

ThOdTable *th_tntp_read_trips(const char *path, const ThNetwork *net, GError **error) {
  TntpText t = {0};
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GHashTable) meta_line = NULL;
  int body = open_with_metadata(path, &t, &meta, &meta_line, error);
  if (body < 0) return NULL;
  const char *file = t.base;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  int64_t nz = meta_int(meta, meta_line, file, "NUMBER OF ZONES", FALSE, -1, problems);
  if (nz >= 0 && nz != net->n_zones)
    th_problems_add(problems, file,
                    GPOINTER_TO_INT(g_hash_table_lookup(meta_line, "NUMBER OF ZONES")),
                    "<NUMBER OF ZONES> %" G_GINT64_FORMAT
                    " differs from the network's %d zones (the same number)",
                    nz, net->n_zones);
  GArray *os = g_array_new(FALSE, FALSE, sizeof(int)), *ds = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *ts = g_array_new(FALSE, FALSE, sizeof(double));
  int origin = -1;
  for (int i = body; i < t.n; i++) {
    int line = i + 1;
    g_autofree char *s = g_strdup(t.lines[i]);
    char *c = strchr(s, '~');
    if (c) *c = 0;
    g_strstrip(s);
    if (!*s) continue;
    if (g_ascii_strncasecmp(s, "origin", 6) == 0) {
      g_autofree char *v = g_strstrip(g_strdup(s + 6));
      int64_t id;
      if (!th_parse_int64(v, &id)) {
        th_problems_add(problems, file, line, "origin '%s' is not a zone number (`Origin N`)", v);
        origin = -2;
      } else if ((origin = th_network_zone_index(net, id)) < 0) {
        th_problems_add(problems, file, line,
                        "origin %" G_GINT64_FORMAT " is not a zone (a zone 1..%d)", id,
                        net->n_zones);
        origin = -2;
      }
      continue;
    }
    /* entries "D : trips;" separated by ';' */
    g_auto(GStrv) recs = g_strsplit(s, ";", -1);
    for (int r = 0; recs[r]; r++) {
      char *rec = g_strstrip(recs[r]);
      if (!*rec) continue;
      char *colon = strchr(rec, ':');
      if (!colon) {
        th_problems_add(problems, file, line, "'%s' is not an entry (`destination : trips;`)", rec);
        continue;
      }
      *colon = 0;
      char *ds_ = g_strstrip(rec), *ts_ = g_strstrip(colon + 1);
      if (origin == -1) {
        th_problems_add(problems, file, line,
                        "entry before any `Origin N` line (an `Origin N` line first)");
        origin = -2;
        continue;
      }
      int64_t did;
      double v;
      int d = -1;
      if (!th_parse_int64(ds_, &did))
        th_problems_add(problems, file, line,
                        "destination '%s' is not a zone number (a zone 1..%d)", ds_, net->n_zones);
      else if ((d = th_network_zone_index(net, did)) < 0)
        th_problems_add(problems, file, line,
                        "destination %" G_GINT64_FORMAT " is not a zone (a zone 1..%d)", did,
                        net->n_zones);
      if (!th_parse_double(ts_, &v)) {
        th_problems_add(problems, file, line, "trips '%s' is not a number (a number >= 0)", ts_);
        continue;
      }
      if (v < 0) {
        th_problems_add(problems, file, line, "trips %s is negative (a number >= 0)", ts_);
        continue;
      }
      if (d < 0 || origin < 0 || v == 0) continue;
      g_array_append_val(os, origin);
      g_array_append_val(ds, d);
      g_array_append_val(ts, v);
    }
  }
  text_clear(&t);
  ThOdTable *od = NULL;
  if (!fail_problems(problems, TH_ERROR_INVALID, error))
    od = th_od_table_new(net->n_zones, (int)os->len, (int *)os->data, (int *)ds->data,
                         (double *)ts->data);
  g_array_unref(os);
  g_array_unref(ds);
  g_array_unref(ts);
  return od;
}

/* ------------------------------------------------------------ flow file */

void th_tntp_flow_free(ThTntpFlow *f) {
  if (!f) return;
  g_free(f->from);
  g_free(f->to);
  g_free(f->volume);
  g_free(f->cost);
  g_free(f);
}

ThTntpFlow *th_tntp_read_flow(const char *path, GError **error) {
  TntpText t = {0};
  if (!text_read(path, &t, error)) return NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GArray *fr = g_array_new(FALSE, FALSE, sizeof(int64_t)),
         *to = g_array_new(FALSE, FALSE, sizeof(int64_t));
  GArray *vo = g_array_new(FALSE, FALSE, sizeof(double)),
         *co = g_array_new(FALSE, FALSE, sizeof(double));
  gboolean header_seen = FALSE;
  for (int i = 0; i < t.n; i++) {
    g_auto(GStrv) tok = tokens(t.lines[i], NULL);
    int nt = (int)g_strv_length(tok);
    if (nt == 0 || tok[0][0] == '<') continue;
    int64_t a, b;
    double v, c;
    if (!header_seen && !th_parse_int64(tok[0], &a)) {
      header_seen = TRUE; /* "From To Volume Cost" */
      continue;
    }
    header_seen = TRUE;
    if (nt < 4) {
      th_problems_add(problems, t.base, i + 1, "row has %d fields (From To Volume Cost)", nt);
      continue;
    }
    gboolean ok = th_parse_int64(tok[0], &a) && th_parse_int64(tok[1], &b) &&
                  th_parse_double(tok[2], &v) && th_parse_double(tok[3], &c);
    if (!ok) {
      th_problems_add(problems, t.base, i + 1,
                      "row '%s' is not numeric (From To Volume Cost: numbers)",
                      g_strstrip(t.lines[i]));
      continue;
    }
    g_array_append_val(fr, a);
    g_array_append_val(to, b);
    g_array_append_val(vo, v);
    g_array_append_val(co, c);
  }
  ThTntpFlow *f = NULL;
  if (!fail_problems(problems, TH_ERROR_PARSE, error)) {
    f = g_new0(ThTntpFlow, 1);
    f->n = (int)fr->len;
    f->from = (int64_t *)g_array_free(fr, FALSE);
    f->to = (int64_t *)g_array_free(to, FALSE);
    f->volume = (double *)g_array_free(vo, FALSE);
    f->cost = (double *)g_array_free(co, FALSE);
  } else {
    g_array_unref(fr);
    g_array_unref(to);
    g_array_unref(vo);
    g_array_unref(co);
  }
  text_clear(&t);
  return f;
}

char *th_tntp_format_flow(const ThNetwork *net, const double *volume, const double *cost,
                          gsize *len) {
  GString *g = g_string_sized_new(64 + (gsize)net->n_links * 48);
  g_string_append(g, "From \tTo \tVolume \tCost \n");
  for (int e = 0; e < net->n_links; e++)
    g_string_append_printf(g, "%" G_GINT64_FORMAT " \t%" G_GINT64_FORMAT " \t%.17g \t%.17g \n",
                           net->node_id[net->link_from[e]], net->node_id[net->link_to[e]],
                           volume[e], cost[e]);
  if (len) *len = g->len;
  return g_string_free(g, FALSE);
}

/* osm.c: OpenStreetMap to a taihang network (see osm.h). */
#include "network/osm.h"

#include "network/csv.h"
#include "network/paths.h"
#include "network/nearest.h"
#include "network/th-error.h"

#include <errno.h>
#include <math.h>
#include <readosm.h>
#include <string.h>

/* The class table. Speeds in km/h; lanes per direction; capacity in pcu/h
 * per lane. Sources: see osm.h (JTG B01-2014). */
static const char default_classes[] =
    "tag,facility_type,mode,free_speed,lanes,capacity_per_lane,note\n"
    "highway=motorway,expressway,road,120,2,2200,高速公路 120 km/h: basic capacity 2200 pcu/h/ln "
    "(JTG B01-2014)\n"
    "highway=motorway_link,expressway,road,60,1,1500,ramp (assumed: JTG ramp design speeds 40-80 "
    "km/h)\n"
    "highway=trunk,national,road,100,2,2000,一级公路 100 km/h: 2000 pcu/h/ln (JTG B01-2014)\n"
    "highway=trunk_link,national,road,50,1,1400,ramp (assumed)\n"
    "highway=primary,provincial,road,80,1,1400,二级公路 80 km/h: 2800 pcu/h two-way (JTG "
    "B01-2014)\n"
    "highway=primary_link,provincial,road,40,1,1200,link (assumed)\n"
    "highway=secondary,county,road,60,1,1250,二级公路 60 km/h: 2500 pcu/h two-way (JTG B01-2014)\n"
    "highway=secondary_link,county,road,40,1,1200,link (assumed)\n"
    "highway=tertiary,county,road,40,1,1200,三级公路 40 km/h: 2400 pcu/h two-way (JTG B01-2014)\n"
    "highway=tertiary_link,county,road,30,1,1050,link (assumed)\n"
    "highway=unclassified,county,road,30,1,1050,三级公路 30 km/h: 2100 pcu/h two-way (JTG "
    "B01-2014)\n"
    "highway=residential,urban,road,30,1,600,urban street (assumed; not a JTG class)\n"
    "highway=living_street,urban,road,15,1,300,urban street (assumed)\n"
    "railway=rail,rail,rail,100,1,,conventional rail (assumed)\n"
    "railway=rail:main,rail,rail,120,1,,main line (assumed)\n"
    "railway=rail:branch,rail,rail,80,1,,branch line (assumed)\n"
    "railway=rail:industrial,siding,rail,40,1,,siding (assumed)\n"
    "railway=rail:highspeed,hsr,hsr,300,1,,high-speed line (assumed)\n";

const char *th_osm_default_classes(void) { return default_classes; }

typedef struct {
  char *tag, *facility;
  uint32_t mode;
  double speed_kmh, lanes, cap_per_lane;
} Class;

typedef struct {
  int64_t id;
  int cls;
  int oneway;             /* 0 both, 1 forward, -1 backward */
  double lanes_f, lanes_b, speed_kmh;
  char *name;
  guint first_ref, n_refs;
} Way;

typedef struct {
  int a, b;               /* graph node (node index) at each end */
  int way;
  GArray *shape;          /* node indices from a to b */
  gboolean dead;
} Piece;

typedef struct {
  const ThOsmOptions *opt;
  ThOsmImport *imp;
  GArray *classes;        /* Class */
  GHashTable *class_idx;  /* tag -> index+1 */
  GArray *ways;           /* Way */
  GArray *refs;           /* int64 node ids of all ways */
  GHashTable *needed;     /* int64 id -> node index+1 (index assigned in pass 2) */
  GArray *node_id;        /* int64 */
  GArray *lon, *lat;      /* double */
  GArray *stations;       /* Station */
  int bad_speed, bad_lanes, closed;
  GArray *restrictions;   /* Restriction: relations type=restriction, not applied */
} Osm;

/* A turn restriction relation: from way, via node (or way), to way. */
typedef struct {
  int64_t id, from, via, to;
  gboolean via_way;
  char *kind;             /* no_left_turn, only_straight_on, ... */
  char *key;              /* restriction, or restriction:hgv etc. */
} Restriction;

/* One member of a relation, as readosm and the XML reader give it. */
typedef struct {
  int type;               /* READOSM_MEMBER_* */
  int64_t id;
  const char *role;
} Member;

typedef struct {
  int64_t id;
  char *name;
  double lon, lat;
} Station;

/* ------------------------------------------------------------------ */
/* The class table                                                      */
/* ------------------------------------------------------------------ */

static gboolean read_classes(Osm *o, GError **error) {
  g_autoptr(ThCsv) csv = o->opt->classes_csv
                             ? th_csv_open(o->opt->classes_csv, error)
                             : th_csv_open_text("(default class table)", default_classes,
                                                sizeof default_classes - 1, error);
  if (!csv) return FALSE;
  GError *e = NULL;
  int c_tag = th_csv_require(csv, "tag", &e);
  int c_fac = c_tag >= 0 ? th_csv_require(csv, "facility_type", &e) : -1;
  int c_mode = c_fac >= 0 ? th_csv_require(csv, "mode", &e) : -1;
  int c_speed = c_mode >= 0 ? th_csv_require(csv, "free_speed", &e) : -1;
  int c_lanes = c_speed >= 0 ? th_csv_require(csv, "lanes", &e) : -1;
  int c_cap = c_lanes >= 0 ? th_csv_require(csv, "capacity_per_lane", &e) : -1;
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  const char *file = th_csv_path(csv);
  while (th_csv_next(csv, &e)) {
    int ln = th_csv_line(csv);
    const char *tag = th_csv_field(csv, c_tag), *ms = th_csv_field(csv, c_mode);
    Class c = {0};
    gboolean ok = TRUE;
    if (!g_str_has_prefix(tag, "highway=") && !g_str_has_prefix(tag, "railway=rail")) {
      th_problems_add(
          problems, file, ln,
          "tag '%s' is not highway=VALUE or railway=rail[:main|branch|industrial|highspeed]", tag);
      ok = FALSE;
    } else if (g_hash_table_contains(o->class_idx, tag)) {
      th_problems_add(problems, file, ln, "tag '%s' appears twice (one row per tag)", tag);
      ok = FALSE;
    }
    c.mode = th_mode_from_name(ms);
    gboolean road = g_str_has_prefix(tag, "highway=");
    if (ok && (road ? c.mode != TH_MODE_ROAD
                    : !(c.mode & (TH_MODE_RAIL | TH_MODE_HSR | TH_MODE_INTERCITY)))) {
      th_problems_add(problems, file, ln, "mode '%s' does not fit the tag (road for highway=, "
                      "rail, hsr or intercity for railway=)", ms);
      ok = FALSE;
    }
    if (!th_parse_double(th_csv_field(csv, c_speed), &c.speed_kmh) || c.speed_kmh <= 0) {
      th_problems_add(problems, file, ln, "free_speed '%s' is not a positive speed (km/h)",
                      th_csv_field(csv, c_speed));
      ok = FALSE;
    }
    if (!th_parse_double(th_csv_field(csv, c_lanes), &c.lanes) || c.lanes < 1) {
      th_problems_add(problems, file, ln,
                      "lanes '%s' is not a number of lanes >= 1 (per direction)",
                      th_csv_field(csv, c_lanes));
      ok = FALSE;
    }
    const char *cs = th_csv_field(csv, c_cap);
    if (road && (!th_parse_double(cs, &c.cap_per_lane) || c.cap_per_lane <= 0)) {
      th_problems_add(problems, file, ln,
                      "capacity_per_lane '%s' is not a positive number (pcu/h per lane)", cs);
      ok = FALSE;
    }
    if (!ok) continue;
    c.tag = g_strdup(tag);
    c.facility = g_strdup(th_csv_field(csv, c_fac));
    g_array_append_val(o->classes, c);
    g_hash_table_insert(o->class_idx, c.tag, GINT_TO_POINTER(o->classes->len));
  }
  return th_csv_read_end(e, problems, TH_ERROR_INVALID, error);
}

/* ------------------------------------------------------------------ */
/* Pass 1: ways                                                         */
/* ------------------------------------------------------------------ */

static const char *tag_of(const readosm_tag *tags, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (!strcmp(tags[i].key, key)) return tags[i].value;
  return NULL;
}

static int class_of(const Osm *o, const readosm_tag *tags, int n) {
  const char *hw = tag_of(tags, n, "highway"), *rw = tag_of(tags, n, "railway");
  char key[96];
  if (hw) {
    const char *area = tag_of(tags, n, "area");
    if (area && !strcmp(area, "yes")) return -1;
    g_snprintf(key, sizeof key, "highway=%s", hw);
    return GPOINTER_TO_INT(g_hash_table_lookup(o->class_idx, key)) - 1;
  }
  if (rw && !strcmp(rw, "rail")) {
    const char *hs = tag_of(tags, n, "highspeed"), *usage = tag_of(tags, n, "usage");
    int c = -1;
    if (hs && !strcmp(hs, "yes"))
      c = GPOINTER_TO_INT(g_hash_table_lookup(o->class_idx, "railway=rail:highspeed")) - 1;
    if (c < 0 && usage) {
      g_snprintf(key, sizeof key, "railway=rail:%s", usage);
      c = GPOINTER_TO_INT(g_hash_table_lookup(o->class_idx, key)) - 1;
    }
    if (c < 0) c = GPOINTER_TO_INT(g_hash_table_lookup(o->class_idx, "railway=rail")) - 1;
    return c;
  }
  return -1;
}

/* maxspeed: "60", "60 km/h", "60 kmh", "30 mph"; FALSE for anything else. */
static gboolean parse_maxspeed(const char *s, double *kmh) {
  char *end;
  double v = g_ascii_strtod(s, &end);
  if (end == s || !(v > 0) || v > 500) return FALSE;
  while (*end == ' ') end++;
  if (!*end || !strcmp(end, "km/h") || !strcmp(end, "kmh") || !strcmp(end, "kph")) *kmh = v;
  else if (!strcmp(end, "mph")) *kmh = v * 1.609344;
  else return FALSE;
  return TRUE;
}

static gboolean parse_lanes(const char *s, double *out) {
  int64_t v;
  if (!th_parse_int64(s, &v) || v < 1 || v > 20) return FALSE;
  *out = (double)v;
  return TRUE;
}

/* A relation: kept when it is a turn restriction (type=restriction with a
 * restriction or restriction:VEHICLE tag of no_* or only_*, one from way,
 * one via node or way, one to way); everything else is skipped. */
static void take_relation(Osm *o, int64_t id, const readosm_tag *tags, int n_tags,
                          const Member *m, int n_members) {
  const char *type = tag_of(tags, n_tags, "type"), *kind = NULL, *key = NULL;
  if (!type || strcmp(type, "restriction")) return;
  for (int i = 0; i < n_tags && !kind; i++)
    if ((!strcmp(tags[i].key, "restriction") ||
         (g_str_has_prefix(tags[i].key, "restriction:") && !strstr(tags[i].key, "conditional"))) &&
        (g_str_has_prefix(tags[i].value, "no_") || g_str_has_prefix(tags[i].value, "only_"))) {
      kind = tags[i].value;
      key = tags[i].key;
    }
  if (!kind) return;
  Restriction r = {.id = id, .from = -1, .via = -1, .to = -1};
  for (int i = 0; i < n_members; i++) {
    const char *role = m[i].role ? m[i].role : "";
    if (!strcmp(role, "from") && m[i].type == READOSM_MEMBER_WAY) r.from = m[i].id;
    else if (!strcmp(role, "to") && m[i].type == READOSM_MEMBER_WAY) r.to = m[i].id;
    else if (!strcmp(role, "via")) {
      r.via = m[i].id;
      r.via_way = m[i].type == READOSM_MEMBER_WAY;
    }
  }
  r.kind = g_strdup(kind);
  r.key = g_strdup(key);
  g_array_append_val(o->restrictions, r);
}

static int on_relation(const void *user, const readosm_relation *rel) {
  Osm *o = (Osm *)user;
  g_autofree Member *m = g_new0(Member, rel->member_count + 1);
  for (int i = 0; i < rel->member_count; i++)
    m[i] = (Member){rel->members[i].member_type, rel->members[i].id, rel->members[i].role};
  take_relation(o, rel->id, rel->tags, rel->tag_count, m, rel->member_count);
  return READOSM_OK;
}

static int on_way(const void *user, const readosm_way *w) {
  Osm *o = (Osm *)user;
  int cls = class_of(o, w->tags, w->tag_count);
  if (cls < 0 || w->node_ref_count < 2) return READOSM_OK;
  const Class *C = &g_array_index(o->classes, Class, cls);
  const readosm_tag *t = w->tags;
  int n = w->tag_count;
  Way W = {.id = w->id, .cls = cls, .speed_kmh = C->speed_kmh};
  gboolean road = C->mode == TH_MODE_ROAD;
  if (road) {
    const char *acc = tag_of(t, n, "access"), *mv = tag_of(t, n, "motor_vehicle");
    if ((acc && (!strcmp(acc, "no") || !strcmp(acc, "private"))) ||
        (mv && (!strcmp(mv, "no") || !strcmp(mv, "private")))) {
      o->closed++;
      return READOSM_OK;
    }
  }
  if (road) {
    const char *ow = tag_of(t, n, "oneway"), *hw = tag_of(t, n, "highway");
    const char *junction = tag_of(t, n, "junction");
    if (ow && (!strcmp(ow, "yes") || !strcmp(ow, "true") || !strcmp(ow, "1"))) W.oneway = 1;
    else if (ow && (!strcmp(ow, "-1") || !strcmp(ow, "reverse"))) W.oneway = -1;
    else if (!ow || strcmp(ow, "no"))
      W.oneway = (hw && !strcmp(hw, "motorway")) || (junction && !strcmp(junction, "roundabout"));
    double total, f, b;
    const char *ls = tag_of(t, n, "lanes"), *lf = tag_of(t, n, "lanes:forward");
    const char *lb = tag_of(t, n, "lanes:backward");
    W.lanes_f = W.lanes_b = C->lanes;
    if (ls && !parse_lanes(ls, &total)) o->bad_lanes++, ls = NULL;
    if (ls) {
      if (W.oneway) W.lanes_f = W.lanes_b = total;
      else W.lanes_f = W.lanes_b = MAX(1.0, floor(total / 2));
    }
    if (!W.oneway && lf && parse_lanes(lf, &f)) W.lanes_f = f;
    if (!W.oneway && lb && parse_lanes(lb, &b)) W.lanes_b = b;
  }
  const char *ms = tag_of(t, n, "maxspeed");
  if (ms && !parse_maxspeed(ms, &W.speed_kmh)) o->bad_speed++;
  const char *name = tag_of(t, n, "name"), *ref = tag_of(t, n, "ref");
  W.name = g_strdup(name && ref ? NULL : name ? name : ref);
  if (name && ref) {
    g_free(W.name);
    W.name = g_strdup_printf("%s %s", ref, name);
  }
  W.first_ref = o->refs->len;
  W.n_refs = w->node_ref_count;
  for (int i = 0; i < w->node_ref_count; i++) {
    int64_t id = w->node_refs[i];
    g_array_append_val(o->refs, id);
    if (!g_hash_table_contains(o->needed, &id))
      g_hash_table_insert(o->needed, g_memdup2(&id, sizeof id), GINT_TO_POINTER(0));
  }
  g_array_append_val(o->ways, W);
  if (road) o->imp->n_ways_road++;
  else o->imp->n_ways_rail++;
  return READOSM_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 2: nodes                                                        */
/* ------------------------------------------------------------------ */

static gboolean inside(const ThOsmOptions *opt, double lon, double lat) {
  return !opt->has_bbox ||
         (lon >= opt->west && lon <= opt->east && lat >= opt->south && lat <= opt->north);
}

static int on_node(const void *user, const readosm_node *nd) {
  Osm *o = (Osm *)user;
  int64_t id = nd->id;
  double lon = nd->longitude, lat = nd->latitude;
  if (!inside(o->opt, lon, lat)) return READOSM_OK;
  const char *rw = tag_of(nd->tags, nd->tag_count, "railway");
  if (rw && (!strcmp(rw, "station") || !strcmp(rw, "halt"))) {
    const char *name = tag_of(nd->tags, nd->tag_count, "name");
    Station s = {.id = id, .name = g_strdup(name ? name : ""), .lon = lon, .lat = lat};
    g_array_append_val(o->stations, s);
  }
  gpointer key, val;
  if (!g_hash_table_lookup_extended(o->needed, &id, &key, &val) || GPOINTER_TO_INT(val) > 0)
    return READOSM_OK;
  g_array_append_val(o->node_id, id);
  g_array_append_val(o->lon, lon);
  g_array_append_val(o->lat, lat);
  g_hash_table_insert(o->needed, g_memdup2(&id, sizeof id), GINT_TO_POINTER(o->node_id->len));
  return READOSM_OK;
}

static const char *readosm_message(int rc) {
  switch (rc) {
  case READOSM_INVALID_SUFFIX: return "the name must end in .osm or .pbf";
  case READOSM_FILE_NOT_FOUND: return "no such file, or not readable";
  case READOSM_INSUFFICIENT_MEMORY: return "out of memory";
  case READOSM_XML_ERROR: return "not well-formed OSM XML";
  case READOSM_INVALID_PBF_HEADER: return "not an OSM PBF file (bad header)";
  case READOSM_UNZIP_ERROR: return "a PBF block does not decompress";
  case READOSM_READ_ERROR: return "read error (a truncated file?)";
  default: return "readosm failed";
  }
}

/* OSM XML is read with GLib's GMarkup, not readosm: readosm 1.1.0 leaves
 * its expat parser allocated on every XML error, and GMarkup gives the line
 * of a problem. The elements are handed to the same callbacks as readosm's
 * (on_node, on_way) with readosm's structs, so both formats take one path.
 * Only node, way, nd and tag matter; relations and everything else are
 * skipped. O(file size) per pass. */
typedef struct {
  Osm *o;
  gboolean ways;           /* this pass: ways (else nodes) */
  const char *path;
  int kind;                /* 0 none, 1 node, 2 way, 3 relation */
  GArray *members;         /* Member (roles in STRINGS) */
  long long id;
  double lat, lon;
  GPtrArray *strings;      /* owns tag keys and values of the current element */
  GArray *tags;            /* readosm_tag */
  GArray *refs;            /* long long */
} XmlPass;

static const char *xml_attr(const char **names, const char **values, const char *key) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], key)) return values[i];
  return NULL;
}

static gboolean xml_number(GMarkupParseContext *ctx, XmlPass *x, const char *what, const char *v,
                           gboolean integer, double *out, GError **error) {
  char *end = NULL;
  errno = 0;
  double d = v ? (integer ? (double)g_ascii_strtoll(v, &end, 10) : g_ascii_strtod(v, &end)) : 0;
  /* an id beyond 2^53 is neither exact as a double nor castable back to
   * long long once strtoll saturates (the fuzzer's 9.22e18): refused */
  if (integer && (errno == ERANGE || fabs(d) > 9007199254740992.0)) d = NAN;
  if (!v || end == v || *end || !isfinite(d)) {
    int line = 0, ch = 0;
    g_markup_parse_context_get_position(ctx, &line, &ch);
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s:%d: %s '%s' is not a number", x->path, line,
                what, v ? v : "");
    return FALSE;
  }
  *out = d;
  return TRUE;
}

static void xml_start(GMarkupParseContext *ctx, const char *el, const char **names,
                      const char **values, gpointer user, GError **error) {
  XmlPass *x = user;
  double v;
  gboolean node = !strcmp(el, "node"), way = !strcmp(el, "way");
  if (node || way) {
    x->kind = node ? 1 : 2;
    g_ptr_array_set_size(x->strings, 0);
    g_array_set_size(x->tags, 0);
    g_array_set_size(x->refs, 0);
    if ((node && x->ways) || (way && !x->ways)) return; /* not this pass */
    if (!xml_number(ctx, x, node ? "node id" : "way id", xml_attr(names, values, "id"), TRUE, &v,
                    error))
      return;
    x->id = (long long)v;
    if (node &&
        (!xml_number(ctx, x, "lat", xml_attr(names, values, "lat"), FALSE, &x->lat, error) ||
         !xml_number(ctx, x, "lon", xml_attr(names, values, "lon"), FALSE, &x->lon, error)))
      return;
  } else if (!strcmp(el, "tag") && x->kind) {
    const char *k = xml_attr(names, values, "k"), *val = xml_attr(names, values, "v");
    if (!k || !val) return;
    char *kk = g_strdup(k), *vv = g_strdup(val);
    g_ptr_array_add(x->strings, kk);
    g_ptr_array_add(x->strings, vv);
    readosm_tag t = {.key = kk, .value = vv};
    g_array_append_val(x->tags, t);
  } else if (!strcmp(el, "nd") && x->kind == 2 && x->ways) {
    if (!xml_number(ctx, x, "nd ref", xml_attr(names, values, "ref"), TRUE, &v, error)) return;
    long long r = (long long)v;
    g_array_append_val(x->refs, r);
  } else if (!strcmp(el, "relation")) {
    x->kind = 0;
    if (!x->ways) return; /* relations are read with the ways */
    g_ptr_array_set_size(x->strings, 0);
    g_array_set_size(x->tags, 0);
    g_array_set_size(x->members, 0);
    if (!xml_number(ctx, x, "relation id", xml_attr(names, values, "id"), TRUE, &v, error)) return;
    x->id = (long long)v;
    x->kind = 3;
  } else if (!strcmp(el, "member") && x->kind == 3) {
    const char *t = xml_attr(names, values, "type"), *role = xml_attr(names, values, "role");
    if (!xml_number(ctx, x, "member ref", xml_attr(names, values, "ref"), TRUE, &v, error)) return;
    char *rr = g_strdup(role ? role : "");
    g_ptr_array_add(x->strings, rr);
    Member m = {!g_strcmp0(t, "node")  ? READOSM_MEMBER_NODE
                : !g_strcmp0(t, "way") ? READOSM_MEMBER_WAY
                                       : READOSM_MEMBER_RELATION,
                (int64_t)v, rr};
    g_array_append_val(x->members, m);
  }
}

static void xml_end(GMarkupParseContext *ctx, const char *el, gpointer user, GError **error) {
  XmlPass *x = user;
  if (!strcmp(el, "node") && x->kind == 1 && !x->ways) {
    readosm_node n = {.id = x->id, .latitude = x->lat, .longitude = x->lon,
                      .tag_count = (int)x->tags->len, .tags = (readosm_tag *)x->tags->data};
    on_node(x->o, &n);
  } else if (!strcmp(el, "way") && x->kind == 2 && x->ways) {
    readosm_way w = {.id = x->id, .node_ref_count = (int)x->refs->len,
                     .node_refs = (long long *)x->refs->data, .tag_count = (int)x->tags->len,
                     .tags = (readosm_tag *)x->tags->data};
    on_way(x->o, &w);
  } else if (!strcmp(el, "relation") && x->kind == 3) {
    take_relation(x->o, x->id, (const readosm_tag *)x->tags->data, (int)x->tags->len,
                  (const Member *)x->members->data, (int)x->members->len);
  }
  if (!strcmp(el, "node") || !strcmp(el, "way") || !strcmp(el, "relation")) x->kind = 0;
}

static gboolean parse_xml_pass(Osm *o, const char *path, gboolean ways, GError **error) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot read (%s)", path, g_strerror(errno));
    return FALSE;
  }
  static const GMarkupParser parser = {.start_element = xml_start, .end_element = xml_end};
  XmlPass x = {.o = o, .ways = ways, .path = path,
               .strings = g_ptr_array_new_with_free_func(g_free),
               .tags = g_array_new(FALSE, FALSE, sizeof(readosm_tag)),
               .refs = g_array_new(FALSE, FALSE, sizeof(long long)),
               .members = g_array_new(FALSE, FALSE, sizeof(Member))};
  GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, &x, NULL);
  char buf[65536];
  size_t n;
  GError *e = NULL;
  gboolean ok = TRUE;
  while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
    ok = g_markup_parse_context_parse(ctx, buf, n, &e);
  if (ok) ok = g_markup_parse_context_end_parse(ctx, &e);
  if (!ok && e->domain == TH_ERROR) {
    g_propagate_error(error, e);
  } else if (!ok) {
    int line = 0, ch = 0;
    g_markup_parse_context_get_position(ctx, &line, &ch);
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s:%d: not well-formed OSM XML (%s)", path,
                line, e->message);
    g_error_free(e);
  }
  g_markup_parse_context_free(ctx);
  g_ptr_array_free(x.strings, TRUE);
  g_array_free(x.tags, TRUE);
  g_array_free(x.refs, TRUE);
  g_array_free(x.members, TRUE);
  fclose(f);
  return ok;
}

/* ---- PBF framing, checked before readosm sees the file ----
 *
 * readosm allocates what a block's sizes say before it checks them, so a
 * damaged or hostile file could make it ask for gigabytes (found by the
 * osm_pbf fuzz target). The OSM PBF format bounds them: a BlobHeader is
 * under 64 KiB, a Blob (datasize) and its uncompressed content (raw_size)
 * under 32 MiB, and every block lies within the file. */
#define PBF_MAX_HEADER 65536u
#define PBF_MAX_BLOB (32u * 1024 * 1024)

static gboolean pbf_varint(const guint8 **p, const guint8 *end, guint64 *v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    guint8 b = *(*p)++;
    *v |= (guint64)(b & 0x7f) << shift;
    if (!(b & 0x80)) return TRUE;
  }
  return FALSE;
}

/* The varint field FIELD of the protobuf message BUF[0..LEN): TRUE with
 * *VALUE when present (last one wins); FALSE when absent or malformed. */
static gboolean pbf_field(const guint8 *buf, gsize len, guint64 field, guint64 *value) {
  const guint8 *p = buf, *end = buf + len;
  gboolean found = FALSE;
  while (p < end) {
    guint64 key, v;
    if (!pbf_varint(&p, end, &key)) return FALSE;
    switch (key & 7) {
    case 0:
      if (!pbf_varint(&p, end, &v)) return FALSE;
      if (key >> 3 == field) {
        *value = v;
        found = TRUE;
      }
      break;
    case 1:
      if (end - p < 8) return FALSE;
      p += 8;
      break;
    case 2:
      if (!pbf_varint(&p, end, &v) || v > (guint64)(end - p)) return FALSE;
      p += v;
      break;
    case 5:
      if (end - p < 4) return FALSE;
      p += 4;
      break;
    default: return FALSE;
    }
  }
  return found;
}

static gboolean pbf_check(const char *path, GError **error) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot open (%s)", path, g_strerror(errno));
    return FALSE;
  }
  fseeko(f, 0, SEEK_END);
  guint64 size = (guint64)ftello(f);
  fseeko(f, 0, SEEK_SET);
  guint64 at = 0;
  g_autofree guint8 *buf = NULL;
  const char *bad = NULL;
  guint64 got = 0;
  while (at < size) {
    guint8 be[4];
    guint64 datasize = 0, raw = 0;
    if (size - at < 4 || fread(be, 1, 4, f) != 4) {
      bad = "a truncated block length";
      break;
    }
    guint32 hlen = (guint32)be[0] << 24 | (guint32)be[1] << 16 | (guint32)be[2] << 8 | be[3];
    if (hlen > PBF_MAX_HEADER || hlen > size - at - 4) {
      bad = "a BlobHeader over 64 KiB or past the end of the file";
      got = hlen;
      break;
    }
    buf = g_realloc(buf, MAX(hlen, 1));
    if (fread(buf, 1, hlen, f) != hlen || !pbf_field(buf, hlen, 3, &datasize)) {
      bad = "a BlobHeader without a readable datasize";
      break;
    }
    if (datasize > PBF_MAX_BLOB || datasize > size - at - 4 - hlen) {
      bad = "a Blob over 32 MiB or past the end of the file";
      got = datasize;
      break;
    }
    buf = g_realloc(buf, MAX(datasize, 1));
    if (fread(buf, 1, datasize, f) != datasize) {
      bad = "a truncated Blob";
      break;
    }
    if (pbf_field(buf, datasize, 2, &raw) && raw > PBF_MAX_BLOB) {
      bad = "a Blob whose raw_size is over 32 MiB";
      got = raw;
      break;
    }
    at += 4 + hlen + datasize;
  }
  fclose(f);
  if (!bad) return TRUE;
  g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
              "%s: byte %" G_GUINT64_FORMAT ": %s (size %" G_GUINT64_FORMAT
              "; an OpenStreetMap .osm.pbf file, whose blocks are under 32 MiB, was expected)",
              path, at, bad, got);
  return FALSE;
}

static gboolean parse_pass(Osm *o, const char *path, gboolean ways, GError **error) {
  if (g_str_has_suffix(path, ".osm")) return parse_xml_pass(o, path, ways, error);
  if (ways && g_str_has_suffix(path, ".pbf") && !pbf_check(path, error))
    return FALSE; /* first pass */
  const void *h = NULL;
  int rc = readosm_open(path, &h);
  if (rc == READOSM_OK)
    rc = readosm_parse(h, o, ways ? NULL : on_node, ways ? on_way : NULL,
                       ways ? on_relation : NULL);
  readosm_close(h);
  if (rc != READOSM_OK) {
    g_set_error(error, TH_ERROR,
                rc == READOSM_FILE_NOT_FOUND || rc == READOSM_READ_ERROR ? TH_ERROR_IO
                                                                         : TH_ERROR_INVALID,
                "%s: %s (an OpenStreetMap .osm XML or .osm.pbf file)", path, readosm_message(rc));
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Graph: pieces between junctions, merged at degree-2 nodes            */
/* ------------------------------------------------------------------ */

static int node_of(const Osm *o, int64_t id) {
  return GPOINTER_TO_INT(g_hash_table_lookup(o->needed, &id)) - 1;
}

static double seg_m(const Osm *o, int a, int b) {
  return th_haversine_m(g_array_index(o->lon, double, a), g_array_index(o->lat, double, a),
                        g_array_index(o->lon, double, b), g_array_index(o->lat, double, b));
}

static double shape_m(const Osm *o, const GArray *shape) {
  double L = 0;
  for (guint i = 1; i < shape->len; i++)
    L += seg_m(o, g_array_index(shape, int, i - 1), g_array_index(shape, int, i));
  return L;
}

static int cmp_way(const void *a, const void *b) {
  const Way *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Splits every way into pieces between graph nodes (junctions, ends of
 * runs inside the file and the bbox, stations). USES counts each node's
 * occurrences in ways; ANCHOR marks nodes that must stay. */
static GPtrArray *make_pieces(Osm *o, guint8 *anchor) {
  int n = (int)o->node_id->len;
  int *uses = g_new0(int, n + 1);
  for (guint w = 0; w < o->ways->len; w++) {
    const Way *W = &g_array_index(o->ways, Way, w);
    for (guint i = 0; i < W->n_refs; i++) {
      int v = node_of(o, g_array_index(o->refs, int64_t, W->first_ref + i));
      if (v < 0) continue;
      uses[v]++;
      /* ends of runs: first/last ref, or next to a missing node */
      gboolean first =
          i == 0 || node_of(o, g_array_index(o->refs, int64_t, W->first_ref + i - 1)) < 0;
      gboolean last = i + 1 == W->n_refs ||
                      node_of(o, g_array_index(o->refs, int64_t, W->first_ref + i + 1)) < 0;
      if (first || last) anchor[v] = 1;
      const Class *C = &g_array_index(o->classes, Class, W->cls);
      if (C->mode == TH_MODE_ROAD) {
        if (first || i == 0) continue;
        o->imp->ways_road_km +=
            seg_m(o, node_of(o, g_array_index(o->refs, int64_t, W->first_ref + i - 1)), v) / 1000.0;
      }
    }
  }
  GPtrArray *pieces = g_ptr_array_new();
  for (guint w = 0; w < o->ways->len; w++) {
    const Way *W = &g_array_index(o->ways, Way, w);
    Piece *cur = NULL;
    for (guint i = 0; i < W->n_refs; i++) {
      int v = node_of(o, g_array_index(o->refs, int64_t, W->first_ref + i));
      if (v < 0) { /* a gap: drop an unfinished piece of one node */
        if (cur) {
          g_array_free(cur->shape, TRUE);
          g_free(cur);
          cur = NULL;
        }
        continue;
      }
      if (!cur) {
        cur = g_new0(Piece, 1);
        cur->a = v;
        cur->way = (int)w;
        cur->shape = g_array_new(FALSE, FALSE, sizeof(int));
        g_array_append_val(cur->shape, v);
        continue;
      }
      g_array_append_val(cur->shape, v);
      if (anchor[v] || uses[v] >= 2) {
        cur->b = v;
        g_ptr_array_add(pieces, cur);
        cur = NULL;
        gboolean last = i + 1 == W->n_refs;
        if (!last) {
          cur = g_new0(Piece, 1);
          cur->a = v;
          cur->way = (int)w;
          cur->shape = g_array_new(FALSE, FALSE, sizeof(int));
          g_array_append_val(cur->shape, v);
        }
      }
    }
    if (cur) { /* a run of one node */
      g_array_free(cur->shape, TRUE);
      g_free(cur);
    }
  }
  for (int v = 0; v < n; v++)
    if (uses[v] >= 2) anchor[v] = 1;
  g_free(uses);
  return pieces;
}

static int cmp_osm_id(const void *a, const void *b, void *data) {
  const Osm *o = data;
  int64_t x = g_array_index(o->node_id, int64_t, *(const int *)a);
  int64_t y = g_array_index(o->node_id, int64_t, *(const int *)b);
  return x < y ? -1 : x > y;
}

/* Same attributes: the two pieces may become one link. */
static gboolean same_kind(const Osm *o, const Piece *p, const Piece *q) {
  const Way *a = &g_array_index(o->ways, Way, p->way), *b = &g_array_index(o->ways, Way, q->way);
  return a->cls == b->cls && a->oneway == b->oneway && a->lanes_f == b->lanes_f &&
         a->lanes_b == b->lanes_b && a->speed_kmh == b->speed_kmh &&
         g_strcmp0(a->name, b->name) == 0;
}

static void reverse_piece(Piece *p) {
  int n = (int)p->shape->len;
  int *s = (int *)p->shape->data;
  for (int i = 0; i < n / 2; i++) {
    int t = s[i];
    s[i] = s[n - 1 - i];
    s[n - 1 - i] = t;
  }
  int t = p->a;
  p->a = p->b;
  p->b = t;
}

/* Merges pieces through nodes where exactly two pieces of the same kind
 * meet (and which are not stations): the node disappears, its position
 * stays in the geometry. Returns the number of nodes merged away. */
static int merge_degree2(Osm *o, GPtrArray *pieces, const guint8 *station) {
  int n = (int)o->node_id->len;
  GArray **inc = g_new0(GArray *, n + 1);
  for (guint i = 0; i < pieces->len; i++) {
    Piece *p = pieces->pdata[i];
    int ends[2] = {p->a, p->b};
    for (int k = 0; k < 2; k++) {
      if (!inc[ends[k]]) inc[ends[k]] = g_array_new(FALSE, FALSE, sizeof(int));
      int pi = (int)i;
      g_array_append_val(inc[ends[k]], pi);
    }
  }
  /* in OSM id order, so that the file's order never changes the result */
  int *order = g_new(int, n + 1);
  for (int v = 0; v < n; v++) order[v] = v;
  g_qsort_with_data(order, n, sizeof(int), cmp_osm_id, o);
  int merged = 0;
  for (int oi = 0; oi < n; oi++) {
    int v = order[oi];
    if (!inc[v] || inc[v]->len != 2 || station[v]) continue;
    int i = g_array_index(inc[v], int, 0), j = g_array_index(inc[v], int, 1);
    if (i == j) continue; /* a ring through v alone */
    Piece *p = pieces->pdata[i], *q = pieces->pdata[j];
    if (!same_kind(o, p, q)) continue;
    const Way *W = &g_array_index(o->ways, Way, p->way);
    gboolean symmetric = W->lanes_f == W->lanes_b && W->oneway == 0;
    if (p->b != v && q->b == v) { /* let p be the one that ends at v */
      Piece *t = p;
      p = q;
      q = t;
      int ti = i;
      i = j;
      j = ti;
    }
    /* a two-way piece with the same lanes both ways may be turned round */
    if (p->b != v) {
      if (!symmetric) continue;
      reverse_piece(p);
    }
    if (q->a != v) {
      if (!symmetric) continue;
      reverse_piece(q);
    }
    if (q->b == p->a) continue; /* would close a ring: keep v */
    g_array_append_vals(p->shape, (int *)q->shape->data + 1, q->shape->len - 1);
    p->b = q->b;
    q->dead = TRUE;
    /* q's far end now belongs to p */
    GArray *far = inc[q->b];
    for (guint k = 0; k < far->len; k++)
      if (g_array_index(far, int, k) == j) g_array_index(far, int, k) = i;
    g_array_set_size(inc[v], 0);
    merged++;
  }
  g_free(order);
  for (int v = 0; v < n; v++)
    if (inc[v]) g_array_free(inc[v], TRUE);
  g_free(inc);
  return merged;
}

/* ------------------------------------------------------------------ */
/* Networks                                                             */
/* ------------------------------------------------------------------ */

static char *shape_wkt(const Osm *o, const GArray *shape, gboolean backward) {
  GString *g = g_string_new("LINESTRING (");
  int n = (int)shape->len;
  for (int i = 0; i < n; i++) {
    int v = g_array_index(shape, int, backward ? n - 1 - i : i);
    g_string_append_printf(g, "%s%.7f %.7f", i ? ", " : "", g_array_index(o->lon, double, v),
                           g_array_index(o->lat, double, v));
  }
  g_string_append_c(g, ')');
  return g_string_free(g, FALSE);
}

/* Adds the directed links of piece P to NET (ids from *NEXT_ID). */
static void add_piece_links(const Osm *o, ThNetwork *net, const Piece *p, int64_t *next_id) {
  const Way *W = &g_array_index(o->ways, Way, p->way);
  const Class *C = &g_array_index(o->classes, Class, W->cls);
  double len = shape_m(o, p->shape);
  gboolean road = C->mode == TH_MODE_ROAD;
  for (int dir = 0; dir < 2; dir++) { /* 0: a -> b, 1: b -> a */
    if ((W->oneway == 1 && dir == 1) || (W->oneway == -1 && dir == 0)) continue;
    double lanes = dir ? W->lanes_b : W->lanes_f;
    g_autofree char *wkt = p->shape->len > 2 ? shape_wkt(o, p->shape, dir == 1) : NULL;
    int from = dir ? p->b : p->a, to = dir ? p->a : p->b;
    ThLinkSpec L = {.id = (*next_id)++,
                    .from_id = g_array_index(o->node_id, int64_t, from),
                    .to_id = g_array_index(o->node_id, int64_t, to),
                    .modes = C->mode,
                    .name = W->name,
                    .facility = C->facility,
                    .length_m = len,
                    .free_speed_mps = W->speed_kmh / 3.6,
                    .capacity_vph = road ? C->cap_per_lane * lanes : INFINITY,
                    .lanes = road ? lanes : 1,
                    .bpr_alpha = 0.15,
                    .bpr_beta = 4,
                    .geometry_wkt = wkt,
                    .source = "OSM"};
    th_network_add_link(net, &L);
  }
}

/* The graph nodes of live pieces, in OSM id order. */
static GArray *graph_nodes(const Osm *o, GPtrArray *pieces, guint8 *used) {
  for (guint i = 0; i < pieces->len; i++) {
    const Piece *p = pieces->pdata[i];
    if (p->dead) continue;
    used[p->a] = used[p->b] = 1;
  }
  GArray *v = g_array_new(FALSE, FALSE, sizeof(int));
  for (guint i = 0; i < o->node_id->len; i++)
    if (used[i]) g_array_append_val(v, i);
  return v;
}

/* Strongly connected road components of the pieces: KEEP[node] = 1 for the
 * nodes of the largest (most nodes; ties: the one holding the lowest OSM id). */
static gboolean largest_road_scc(Osm *o, GPtrArray *pieces, const GArray *nodes, guint8 *keep,
                                 GError **error) {
  g_autoptr(ThNetwork) net = th_network_new();
  for (guint i = 0; i < nodes->len; i++) {
    int v = g_array_index(nodes, int, i);
    th_network_add_node(net, g_array_index(o->node_id, int64_t, v), NULL,
                        g_array_index(o->lon, double, v), g_array_index(o->lat, double, v),
                        TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  }
  int64_t next = 1;
  for (guint i = 0; i < pieces->len; i++)
    if (!((Piece *)pieces->pdata[i])->dead) add_piece_links(o, net, pieces->pdata[i], &next);
  if (!th_network_finalize(net, error)) return FALSE;
  /* taihang's own search (network/paths.h), not igraph: the same components */
  int *memb = g_new(int, net->n_nodes + 1);
  int ncomp = th_strong_components(net, TH_MODE_ROAD, memb);
  /* count only nodes that a road link touches */
  int *road_nodes = g_new0(int, ncomp + 1);
  guint8 *on_road = g_new0(guint8, net->n_nodes + 1);
  for (int e = 0; e < net->n_links; e++)
    if (net->link_modes[e] & TH_MODE_ROAD)
      on_road[net->link_from[e]] = on_road[net->link_to[e]] = 1;
  int best = -1, comps = 0;
  for (int v = 0; v < net->n_nodes; v++)
    if (on_road[v] && road_nodes[memb[v]]++ == 0) comps++;
  for (int v = 0; v < net->n_nodes; v++) /* nodes are in OSM id order: ties to the lowest id */
    if (on_road[v] && (best < 0 || road_nodes[memb[v]] > road_nodes[best])) best = memb[v];
  o->imp->n_components = comps;
  for (int v = 0; v < net->n_nodes; v++)
    if (on_road[v] && memb[v] == best) keep[g_array_index(nodes, int, v)] = 1;
  g_free(road_nodes);
  g_free(on_road);
  g_free(memb);
  return TRUE;
}

/* The kept road nodes, for nearest-node queries: indexed in NODES order
 * (OSM id order), so ties go to the lowest OSM id whatever the file order. */
typedef struct {
  ThNearest *index;
  const GArray *nodes;
} KeptIndex;

static void kept_index_init(KeptIndex *k, const Osm *o, const GArray *nodes, const guint8 *keep) {
  int n = (int)nodes->len;
  double *lon = g_new(double, n + 1), *lat = g_new(double, n + 1);
  guint8 *cand = g_new0(guint8, n + 1);
  for (int i = 0; i < n; i++) {
    int v = g_array_index(nodes, int, i);
    lon[i] = g_array_index(o->lon, double, v);
    lat[i] = g_array_index(o->lat, double, v);
    cand[i] = keep[v];
  }
  k->index = th_nearest_new(lon, lat, n, cand);
  k->nodes = nodes;
  g_free(lon);
  g_free(lat);
  g_free(cand);
}

/* Nearest kept road node (node index), or -1. */
static int nearest_kept(const KeptIndex *k, double lon, double lat, double *dist_m) {
  int i = th_nearest_find(k->index, lon, lat, dist_m);
  return i < 0 ? -1 : g_array_index(k->nodes, int, i);
}

static void add_connector_pair(ThNetwork *net, int64_t a, int64_t b, double len_m,
                               const char *name, int64_t *next_id) {
  for (int dir = 0; dir < 2; dir++) {
    ThLinkSpec L = {.id = (*next_id)++, .from_id = dir ? b : a, .to_id = dir ? a : b,
                    .modes = TH_MODE_CONNECTOR, .name = name, .facility = "connector",
                    .length_m = len_m, .free_speed_mps = 30 / 3.6, .capacity_vph = INFINITY,
                    .lanes = 1, .bpr_alpha = 0.15, .bpr_beta = 4, .source = "OSM"};
    th_network_add_link(net, &L);
  }
}

typedef struct {
  int64_t zone_id;
  char *name;
  double lon, lat, pop, gdp, jobs;
  int line;
} Zone;

static void zone_clear(gpointer p) { g_free(((Zone *)p)->name); }

static GArray *read_zones(const char *path, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  GError *e = NULL;
  int c_id = th_csv_require(csv, "zone_id", &e);
  int c_x = c_id >= 0 ? th_csv_require(csv, "x_coord", &e) : -1;
  int c_y = c_x >= 0 ? th_csv_require(csv, "y_coord", &e) : -1;
  if (e) {
    g_propagate_error(error, e);
    return NULL;
  }
  int c_name = th_csv_column(csv, "name"), c_pop = th_csv_column(csv, "population");
  int c_gdp = th_csv_column(csv, "gdp"), c_jobs = th_csv_column(csv, "jobs");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GArray *zones = g_array_new(FALSE, TRUE, sizeof(Zone));
  g_array_set_clear_func(zones, zone_clear);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  const char *file = th_csv_path(csv);
  while (th_csv_next(csv, &e)) {
    int ln = th_csv_line(csv);
    Zone z = {.line = ln};
    gboolean ok = TRUE;
    if (!th_parse_int64(th_csv_field(csv, c_id), &z.zone_id) || z.zone_id < 0) {
      th_problems_add(problems, file, ln, "zone_id '%s' is not a whole number >= 0",
                      th_csv_field(csv, c_id));
      ok = FALSE;
    } else if (g_hash_table_contains(seen, &z.zone_id)) {
      th_problems_add(problems, file, ln, "zone_id %" G_GINT64_FORMAT " appears twice", z.zone_id);
      ok = FALSE;
    }
    if (!th_parse_double(th_csv_field(csv, c_x), &z.lon) || z.lon < -180 || z.lon > 180) {
      th_problems_add(problems, file, ln, "x_coord '%s' is not a longitude (-180..180)",
                      th_csv_field(csv, c_x));
      ok = FALSE;
    }
    if (!th_parse_double(th_csv_field(csv, c_y), &z.lat) || z.lat < -90 || z.lat > 90) {
      th_problems_add(problems, file, ln, "y_coord '%s' is not a latitude (-90..90)",
                      th_csv_field(csv, c_y));
      ok = FALSE;
    }
    const int cols[3] = {c_pop, c_gdp, c_jobs};
    double *vals[3] = {&z.pop, &z.gdp, &z.jobs};
    for (int k = 0; k < 3; k++) {
      const char *s = th_csv_field(csv, cols[k]);
      if (*s && (!th_parse_double(s, vals[k]) || *vals[k] < 0)) {
        th_problems_add(problems, file, ln, "%s '%s' is not a number >= 0",
                        th_csv_column_name(csv, cols[k]), s);
        ok = FALSE;
      }
    }
    if (!ok) continue;
    z.name = g_strdup(th_csv_field(csv, c_name));
    g_hash_table_add(seen, g_memdup2(&z.zone_id, sizeof z.zone_id));
    g_array_append_val(zones, z);
  }
  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) {
    g_array_free(zones, TRUE);
    return NULL;
  }
  if (zones->len == 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: no zone (one row per zone centroid)", file);
    g_array_free(zones, TRUE);
    return NULL;
  }
  return zones;
}

/* Marks stations at rail nodes (the station node itself, or the nearest rail
 * node within 1 km); STATION_NAME[v] gets the name. */
static void place_stations(Osm *o, GPtrArray *pieces, guint8 *station, char **station_name) {
  int n = (int)o->node_id->len;
  guint8 *rail = g_new0(guint8, n + 1);
  for (guint w = 0; w < o->ways->len; w++) {
    const Way *W = &g_array_index(o->ways, Way, w);
    if (g_array_index(o->classes, Class, W->cls).mode == TH_MODE_ROAD) continue;
    for (guint i = 0; i < W->n_refs; i++) {
      int v = node_of(o, g_array_index(o->refs, int64_t, W->first_ref + i));
      if (v >= 0) rail[v] = 1;
    }
  }
  int far = 0;
  for (guint s = 0; s < o->stations->len; s++) {
    const Station *S = &g_array_index(o->stations, Station, s);
    int v = node_of(o, S->id);
    if (v < 0 || !rail[v]) {
      double bd = 1000;
      v = -1;
      for (int u = 0; u < n; u++) {
        if (!rail[u]) continue;
        double d = th_haversine_m(S->lon, S->lat, g_array_index(o->lon, double, u),
                                  g_array_index(o->lat, double, u));
        if (d < bd) {
          bd = d;
          v = u;
        }
      }
    }
    if (v < 0) {
      far++;
      continue;
    }
    if (station[v]) continue;
    station[v] = 1;
    station_name[v] = g_strdup(S->name);
    o->imp->n_stations++;
  }
  g_free(rail);
  if (far)
    g_ptr_array_add(o->imp->notes, g_strdup_printf("%d station(s) more than 1 km from any railway "
                                                   "left out", far));
  (void)pieces;
}

/* ------------------------------------------------------------------ */
/* The import                                                           */
/* ------------------------------------------------------------------ */

void th_osm_import_free(ThOsmImport *imp) {
  if (!imp) return;
  th_network_free(imp->net);
  if (imp->notes) g_ptr_array_free(imp->notes, TRUE);
  g_free(imp->turn_restrictions_csv);
  g_free(imp);
}

static void class_clear(gpointer p) {
  Class *c = p;
  g_free(c->tag);
  g_free(c->facility);
}
static void way_clear(gpointer p) { g_free(((Way *)p)->name); }
static void station_clear(gpointer p) { g_free(((Station *)p)->name); }

static void osm_clear(Osm *o) {
  g_array_free(o->classes, TRUE);
  g_hash_table_destroy(o->class_idx);
  g_array_free(o->ways, TRUE);
  g_array_free(o->refs, TRUE);
  g_hash_table_destroy(o->needed);
  g_array_free(o->node_id, TRUE);
  g_array_free(o->lon, TRUE);
  g_array_free(o->lat, TRUE);
  g_array_free(o->stations, TRUE);
  for (guint i = 0; i < o->restrictions->len; i++) {
    g_free(g_array_index(o->restrictions, Restriction, i).kind);
    g_free(g_array_index(o->restrictions, Restriction, i).key);
  }
  g_array_free(o->restrictions, TRUE);
}

/* The final network: kept nodes and links, stations, zones, connectors. */
static ThNetwork *build(Osm *o, GPtrArray *pieces, const GArray *nodes, const guint8 *keep,
                        const guint8 *station, char **station_name, const GArray *zones,
                        GError **error) {
  ThOsmImport *imp = o->imp;
  ThNetwork *net = th_network_new();
  int n = (int)o->node_id->len;
  guint8 *kept = g_new0(guint8, n + 1);
  /* links first decide which nodes stay */
  GPtrArray *live = g_ptr_array_new();
  for (guint i = 0; i < pieces->len; i++) {
    Piece *p = pieces->pdata[i];
    if (p->dead) continue;
    const Class *C = &g_array_index(o->classes, Class, g_array_index(o->ways, Way, p->way).cls);
    if (C->mode == TH_MODE_ROAD) {
      double km = shape_m(o, p->shape) / 1000.0;
      if (!keep[p->a] || !keep[p->b]) {
        const Way *W = &g_array_index(o->ways, Way, p->way);
        imp->dropped_road_km += km;
        imp->dropped_road_links += W->oneway ? 1 : 2;
        continue;
      }
      imp->net_road_km += km;
    }
    kept[p->a] = kept[p->b] = 1;
    g_ptr_array_add(live, p);
  }
  for (guint i = 0; i < nodes->len; i++) {
    int v = g_array_index(nodes, int, i);
    if (!kept[v]) continue;
    int idx = th_network_add_node(
        net, g_array_index(o->node_id, int64_t, v), station[v] ? station_name[v] : NULL,
        g_array_index(o->lon, double, v), g_array_index(o->lat, double, v),
        station[v] ? TH_NODE_STATION : TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
    th_network_set_node_source(net, idx, "OSM");
  }
  for (guint i = 0; i < zones->len; i++) {
    const Zone *z = &g_array_index(zones, Zone, i);
    if (th_network_add_node(net, z->zone_id, z->name, z->lon, z->lat, TH_NODE_ZONE, z->zone_id,
                            z->pop, z->gdp, z->jobs, z->line) < 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "%s:%d: zone_id %" G_GINT64_FORMAT " is also the id of an OpenStreetMap node of "
                  "the network (zone node ids are the zone ids: pick ids no OSM node has)",
                  o->opt->zones_csv, z->line, z->zone_id);
      g_ptr_array_free(live, TRUE);
      g_free(kept);
      th_network_free(net);
      return NULL;
    }
  }
  int64_t next = 1;
  for (guint i = 0; i < live->len; i++) add_piece_links(o, net, live->pdata[i], &next);
  g_ptr_array_free(live, TRUE);
  KeptIndex near;
  kept_index_init(&near, o, nodes, keep);
  for (guint i = 0; i < zones->len; i++) {
    const Zone *z = &g_array_index(zones, Zone, i);
    double d;
    int v = nearest_kept(&near, z->lon, z->lat, &d);
    add_connector_pair(net, z->zone_id, g_array_index(o->node_id, int64_t, v), d, z->name, &next);
    imp->max_connector_m = MAX(imp->max_connector_m, d);
    imp->n_zones++;
  }
  for (guint i = 0; i < nodes->len; i++) { /* stations reach the roads */
    int s = g_array_index(nodes, int, i);
    if (!station[s] || !kept[s] || keep[s]) continue;
    double d;
    int v = nearest_kept(&near, g_array_index(o->lon, double, s), g_array_index(o->lat, double, s),
                         &d);
    add_connector_pair(net, g_array_index(o->node_id, int64_t, s),
                       g_array_index(o->node_id, int64_t, v), d, station_name[s], &next);
  }
  th_nearest_free(near.index);
  g_free(kept);
  net->format = g_strdup("gmns");
  if (!th_network_finalize(net, error)) {
    th_network_free(net);
    return NULL;
  }
  return net;
}

static gint cmp_restriction(gconstpointer a, gconstpointer b) {
  const Restriction *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* The turn restrictions, not applied: taihang's links carry no turns (a
 * node joins every link in to every link out). Listed in
 * turn_restrictions.csv, in relation id order, with the network node of the
 * via node when it is one; one note counts them. */
static void turn_restrictions(Osm *o, ThOsmImport *imp) {
  if (o->restrictions->len == 0) return;
  g_array_sort(o->restrictions, cmp_restriction);
  GString *t = g_string_new("relation_id,restriction,tag,from_way,via_type,via_id,to_way,"
                            "via_node_in_network,applied\n");
  int no = 0, only = 0;
  for (guint i = 0; i < o->restrictions->len; i++) {
    const Restriction *r = &g_array_index(o->restrictions, Restriction, i);
    gboolean in = !r->via_way && r->via >= 0 && th_network_node_index(imp->net, r->via) >= 0;
    g_string_append_printf(t, "%" G_GINT64_FORMAT ",", r->id);
    th_csv_append_field(t, r->kind);
    g_string_append_c(t, ',');
    th_csv_append_field(t, r->key);
    g_string_append_c(t, ',');
    if (r->from >= 0) g_string_append_printf(t, "%" G_GINT64_FORMAT, r->from);
    g_string_append_printf(t, ",%s,", r->via < 0 ? "" : r->via_way ? "way" : "node");
    if (r->via >= 0) g_string_append_printf(t, "%" G_GINT64_FORMAT, r->via);
    g_string_append_c(t, ',');
    if (r->to >= 0) g_string_append_printf(t, "%" G_GINT64_FORMAT, r->to);
    g_string_append_printf(t, ",%s,no\n", in ? "yes" : "no");
    if (g_str_has_prefix(r->kind, "no_")) no++;
    else only++;
  }
  imp->n_turn_restrictions = (int)o->restrictions->len;
  imp->turn_restrictions_csv = g_string_free(t, FALSE);
  g_ptr_array_add(imp->notes,
                  g_strdup_printf("%u turn restriction(s) (relations type=restriction: %d no_*, %d "
                                  "only_*) not applied: taihang's links carry no turns; listed in "
                                  "turn_restrictions.csv",
                                  o->restrictions->len, no, only));
}

static ThOsmImport *osm_run(Osm *o, const char *path, GError **error) {
  ThOsmImport *imp = o->imp;
  if (!read_classes(o, error)) return NULL;
  g_autoptr(GArray) zones = read_zones(o->opt->zones_csv, error);
  if (!zones) return NULL;
  if (!parse_pass(o, path, TRUE, error) || !parse_pass(o, path, FALSE, error)) return NULL;
  if (o->bad_speed)
    g_ptr_array_add(imp->notes, g_strdup_printf("%d way(s) with a maxspeed that is not a speed "
                                                "(class default used)", o->bad_speed));
  if (o->closed)
    g_ptr_array_add(imp->notes, g_strdup_printf("%d road way(s) closed to motor traffic (access or "
                                                "motor_vehicle = no or private) left out",
                                                o->closed));
  if (o->bad_lanes)
    g_ptr_array_add(imp->notes, g_strdup_printf("%d way(s) with lanes that is not a number of "
                                                "lanes (class default used)", o->bad_lanes));
  if (o->ways->len) /* an empty GArray's data may be NULL, which qsort must not get */
    qsort(o->ways->data, o->ways->len, sizeof(Way), cmp_way);
  int n = (int)o->node_id->len;
  /* node indices in OSM id order, whatever order the file had */
  guint8 *anchor = g_new0(guint8, n + 1), *station = g_new0(guint8, n + 1);
  char **station_name = g_new0(char *, n + 1);
  place_stations(o, NULL, station, station_name);
  for (int v = 0; v < n; v++)
    if (station[v]) anchor[v] = 1;
  GPtrArray *pieces = make_pieces(o, anchor);
  merge_degree2(o, pieces, station);
  guint8 *used = g_new0(guint8, n + 1), *keep = g_new0(guint8, n + 1);
  GArray *nodes = graph_nodes(o, pieces, used);
  g_array_sort_with_data(nodes, cmp_osm_id, o);
  gboolean ok = TRUE;
  if (imp->n_ways_road == 0 || nodes->len == 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: no road (ways tagged highway= with a class of the class table%s)", path,
                o->opt->has_bbox ? ", inside --bbox" : "");
    ok = FALSE;
  }
  if (ok) ok = largest_road_scc(o, pieces, nodes, keep, error);
  if (ok) {
    gboolean any = FALSE;
    for (int v = 0; v < n; v++) any |= keep[v];
    if (!any) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: no road has both directions connected "
                  "(a strongly connected road component was expected)", path);
      ok = FALSE;
    }
  }
  if (ok) {
    imp->net = build(o, pieces, nodes, keep, station, station_name, zones, error);
    ok = imp->net != NULL;
  }
  if (ok) turn_restrictions(o, imp);
  if (ok && imp->n_components > 1)
    g_ptr_array_add(imp->notes,
                    g_strdup_printf("%d road component(s) besides the largest dropped: %d link(s), "
                                    "%.3f km", imp->n_components - 1, imp->dropped_road_links,
                                    imp->dropped_road_km));
  for (guint i = 0; i < pieces->len; i++) {
    Piece *p = pieces->pdata[i];
    g_array_free(p->shape, TRUE);
    g_free(p);
  }
  g_ptr_array_free(pieces, TRUE);
  for (int v = 0; v < n; v++) g_free(station_name[v]);
  g_free(station_name);
  g_free(anchor);
  g_free(station);
  g_free(used);
  g_free(keep);
  g_array_free(nodes, TRUE);
  return ok ? imp : NULL;
}

ThOsmImport *th_osm_import(const char *path, const ThOsmOptions *options, GError **error) {
  g_return_val_if_fail(options && options->zones_csv, NULL);
  Osm o = {.opt = options};
  o.classes = g_array_new(FALSE, TRUE, sizeof(Class));
  g_array_set_clear_func(o.classes, class_clear);
  o.class_idx = g_hash_table_new(g_str_hash, g_str_equal);
  o.ways = g_array_new(FALSE, TRUE, sizeof(Way));
  g_array_set_clear_func(o.ways, way_clear);
  o.refs = g_array_new(FALSE, FALSE, sizeof(int64_t));
  o.needed = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  o.node_id = g_array_new(FALSE, FALSE, sizeof(int64_t));
  o.lon = g_array_new(FALSE, FALSE, sizeof(double));
  o.lat = g_array_new(FALSE, FALSE, sizeof(double));
  o.stations = g_array_new(FALSE, TRUE, sizeof(Station));
  o.restrictions = g_array_new(FALSE, TRUE, sizeof(Restriction));
  g_array_set_clear_func(o.stations, station_clear);
  o.imp = g_new0(ThOsmImport, 1);
  o.imp->notes = g_ptr_array_new_with_free_func(g_free);
  ThOsmImport *imp = osm_run(&o, path, error);
  if (!imp) th_osm_import_free(o.imp);
  osm_clear(&o);
  return imp;
}

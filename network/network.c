/* network.c: the network model's builder, CSR adjacency and lookups. */
#include "network/network.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

static const char *const mode_names[TH_N_MODES] = {"road", "rail", "hsr",       "intercity",
                                                   "bus",  "walk", "connector", "ebike"};

const char *th_mode_name(uint32_t mode) {
  for (int i = 0; i < TH_N_MODES; i++)
    if (mode == (1u << i)) return mode_names[i];
  return NULL;
}

uint32_t th_mode_from_name(const char *name) {
  for (int i = 0; i < TH_N_MODES; i++)
    if (g_ascii_strcasecmp(name, mode_names[i]) == 0) return 1u << i;
  return 0;
}

gboolean th_modes_parse(const char *list, uint32_t *out, char **bad) {
  uint32_t m = 0;
  g_auto(GStrv) parts = g_strsplit_set(list ? list : "", ";| ", -1);
  for (char **p = parts; *p; p++) {
    if (!**p) continue;
    uint32_t b = th_mode_from_name(*p);
    if (!b) {
      if (bad) *bad = g_strdup(*p);
      return FALSE;
    }
    m |= b;
  }
  *out = m;
  return TRUE;
}

char *th_modes_format(uint32_t modes) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < TH_N_MODES; i++)
    if (modes & (1u << i)) g_string_append_printf(s, "%s%s", s->len ? ";" : "", mode_names[i]);
  return g_string_free(s, FALSE);
}

static const char *const kind_names[] = {"junction", "zone", "town", "station", "hub"};

const char *th_node_kind_name(ThNodeKind kind) {
  return (kind >= 0 && kind <= TH_NODE_HUB) ? kind_names[kind] : "junction";
}

gboolean th_node_kind_from_name(const char *name, ThNodeKind *out) {
  if (!name || !*name) {
    *out = TH_NODE_JUNCTION;
    return TRUE;
  }
  for (int i = 0; i <= TH_NODE_HUB; i++)
    if (g_ascii_strcasecmp(name, kind_names[i]) == 0) {
      *out = (ThNodeKind)i;
      return TRUE;
    }
  if (g_ascii_strcasecmp(name, "centroid") == 0) {
    *out = TH_NODE_ZONE;
    return TRUE;
  }
  return FALSE;
}

/* Id indexes map an int64 id to index+1. The id itself is the key, stored in
 * the pointer (no allocation per key: a 1M-node network otherwise spends most
 * of its build time in malloc), hashed with a 64-bit finalizer (murmur3's) so
 * that sequential ids spread over the buckets. */
G_STATIC_ASSERT(sizeof(gpointer) >= sizeof(int64_t));
#define ID_KEY(id) ((gpointer)(guintptr)(guint64)(id))

static guint id_hash(gconstpointer p) {
  guint64 v = (guint64)(guintptr)p;
  v ^= v >> 33;
  v *= 0xff51afd7ed558ccdULL;
  v ^= v >> 33;
  v *= 0xc4ceb9fe1a85ec53ULL;
  v ^= v >> 33;
  return (guint)v;
}

ThNetwork *th_network_new(void) {
  ThNetwork *net = g_new0(ThNetwork, 1);
  net->node_index = g_hash_table_new(id_hash, g_direct_equal);
  net->link_index = g_hash_table_new(id_hash, g_direct_equal);
  net->zone_index = g_hash_table_new(id_hash, g_direct_equal);
  net->strings = g_string_chunk_new(1 << 14);
  return net;
}

/* Text attributes live in net->strings: repeated values (facility types,
 * provenance codes, names) are stored once, and a large network does not pay
 * one allocation per attribute per link. */
static char *pool(ThNetwork *net, const char *s) {
  return g_string_chunk_insert_const(net->strings, s ? s : "");
}

void th_network_free(ThNetwork *net) {
  if (!net) return;
  g_free(net->node_id);
  g_free(net->node_name);
  g_free(net->lon);
  g_free(net->lat);
  g_free(net->node_kind);
  g_free(net->node_zone);
  g_free(net->node_no_thru);
  g_free(net->node_line);
  g_free(net->node_source);
  g_free(net->zone_node);
  g_free(net->zone_id);
  g_free(net->zone_population);
  g_free(net->zone_gdp);
  g_free(net->zone_jobs);
  g_free(net->link_id);
  g_free(net->link_from);
  g_free(net->link_to);
  g_free(net->link_modes);
  g_free(net->link_name);
  g_free(net->link_facility);
  g_free(net->link_geometry);
  g_free(net->link_source);
  g_free(net->length_m);
  g_free(net->free_speed_mps);
  g_free(net->free_time_s);
  g_free(net->capacity_vph);
  g_free(net->lanes);
  g_free(net->bpr_alpha);
  g_free(net->bpr_beta);
  g_free(net->toll);
  g_free(net->cost_per_tkm);
  g_free(net->link_line);
  g_free(net->node_label);
  g_free(net->link_label);
  if (net->zone_label) g_hash_table_unref(net->zone_label);
  if (net->label_index) g_hash_table_unref(net->label_index);
  g_free(net->crs);
  g_free(net->zone_cut_off);
  g_free(net->out_start);
  g_free(net->out_link);
  g_free(net->in_start);
  g_free(net->in_link);
  g_free(net->source_node_file);
  g_free(net->source_link_file);
  g_free(net->format);
  g_free(net->tntp_length);
  g_hash_table_destroy(net->node_index);
  g_hash_table_destroy(net->link_index);
  g_hash_table_destroy(net->zone_index);
  g_string_chunk_free(net->strings);
  g_free(net);
}

#define GROW(arr, cap) (arr) = g_renew(__typeof__(*(arr)), (arr), (cap))

int th_network_add_node(ThNetwork *net, int64_t id, const char *name, double lon, double lat,
                        ThNodeKind kind, int64_t zone_id, double population, double gdp,
                        double jobs, int line) {
  g_return_val_if_fail(!net->finalized, -1);
  if (g_hash_table_contains(net->node_index, ID_KEY(id))) return -1;
  if (net->n_nodes == net->cap_nodes) {
    int cap = net->cap_nodes ? net->cap_nodes * 2 : 64;
    GROW(net->node_id, cap);
    GROW(net->node_name, cap);
    GROW(net->lon, cap);
    GROW(net->lat, cap);
    GROW(net->node_kind, cap);
    GROW(net->node_zone, cap);
    GROW(net->node_no_thru, cap);
    GROW(net->node_line, cap);
    GROW(net->node_source, cap);
    /* zone attributes are collected per node while building */
    GROW(net->zone_id, cap);
    GROW(net->zone_population, cap);
    GROW(net->zone_gdp, cap);
    GROW(net->zone_jobs, cap);
    net->cap_nodes = cap;
  }
  int i = net->n_nodes++;
  net->node_id[i] = id;
  net->node_name[i] = pool(net, name);
  net->lon[i] = lon;
  net->lat[i] = lat;
  net->node_kind[i] = kind;
  net->node_zone[i] = -1;
  net->node_no_thru[i] = (kind == TH_NODE_ZONE);
  net->node_line[i] = line;
  net->node_source[i] = pool(net, "");
  net->zone_id[i] = zone_id;
  net->zone_population[i] = population;
  net->zone_gdp[i] = gdp;
  net->zone_jobs[i] = jobs;
  g_hash_table_insert(net->node_index, ID_KEY(id), GINT_TO_POINTER(i + 1));
  return i;
}

void th_network_set_node_source(ThNetwork *net, int v, const char *source) {
  g_return_if_fail(v >= 0 && v < net->n_nodes);
  net->node_source[v] = pool(net, source);
}

int th_network_add_link(ThNetwork *net, const ThLinkSpec *s) {
  g_return_val_if_fail(!net->finalized, -1);
  if (g_hash_table_contains(net->link_index, ID_KEY(s->id))) return -1;
  int from = th_network_node_index(net, s->from_id);
  int to = th_network_node_index(net, s->to_id);
  if (from < 0 || to < 0) return -1;
  if (net->n_links == net->cap_links) {
    int cap = net->cap_links ? net->cap_links * 2 : 128;
    GROW(net->link_id, cap);
    GROW(net->link_from, cap);
    GROW(net->link_to, cap);
    GROW(net->link_modes, cap);
    GROW(net->link_name, cap);
    GROW(net->link_facility, cap);
    GROW(net->link_geometry, cap);
    GROW(net->link_source, cap);
    GROW(net->length_m, cap);
    GROW(net->free_speed_mps, cap);
    GROW(net->free_time_s, cap);
    GROW(net->capacity_vph, cap);
    GROW(net->lanes, cap);
    GROW(net->bpr_alpha, cap);
    GROW(net->bpr_beta, cap);
    GROW(net->toll, cap);
    GROW(net->cost_per_tkm, cap);
    GROW(net->link_line, cap);
    net->cap_links = cap;
  }
  int e = net->n_links++;
  net->link_id[e] = s->id;
  net->link_from[e] = from;
  net->link_to[e] = to;
  net->link_modes[e] = s->modes;
  net->link_name[e] = pool(net, s->name);
  net->link_facility[e] = pool(net, s->facility);
  net->link_geometry[e] = pool(net, s->geometry_wkt);
  net->link_source[e] = pool(net, s->source);
  net->length_m[e] = s->length_m;
  net->free_speed_mps[e] = s->free_speed_mps;
  double t = s->free_time_s;
  if (!(t > 0) && s->free_speed_mps > 0) t = s->length_m / s->free_speed_mps;
  net->free_time_s[e] = t > 0 ? t : 0.0;
  net->capacity_vph[e] = s->capacity_vph;
  net->lanes[e] = s->lanes;
  net->bpr_alpha[e] = s->bpr_alpha;
  net->bpr_beta[e] = s->bpr_beta;
  net->toll[e] = s->toll;
  net->cost_per_tkm[e] = s->cost_per_tkm;
  net->link_line[e] = s->line;
  g_hash_table_insert(net->link_index, ID_KEY(s->id), GINT_TO_POINTER(e + 1));
  return e;
}

static int cmp_zone_nodes(gconstpointer a, gconstpointer b, gpointer data) {
  const ThNetwork *net = data;
  int64_t za = net->zone_id[*(const int *)a], zb = net->zone_id[*(const int *)b];
  return za < zb ? -1 : za > zb;
}

gboolean th_network_finalize(ThNetwork *net, GError **error) {
  g_return_val_if_fail(!net->finalized, FALSE);
  int n = net->n_nodes, m = net->n_links;
  /* zones: nodes with a zone id, sorted by zone id */
  GArray *zn = g_array_new(FALSE, FALSE, sizeof(int));
  for (int i = 0; i < n; i++)
    if (net->zone_id[i] >= 0) g_array_append_val(zn, i);
  g_array_sort_with_data(zn, cmp_zone_nodes, net);
  int nz = (int)zn->len;
  int *zone_node = g_new(int, nz > 0 ? nz : 1);
  int64_t *zid = g_new(int64_t, nz > 0 ? nz : 1);
  double *zp = g_new0(double, nz > 0 ? nz : 1), *zg = g_new0(double, nz > 0 ? nz : 1),
         *zj = g_new0(double, nz > 0 ? nz : 1);
  for (int z = 0; z < nz; z++) {
    int v = g_array_index(zn, int, z);
    zone_node[z] = v;
    zid[z] = net->zone_id[v];
    zp[z] = net->zone_population[v];
    zg[z] = net->zone_gdp[v];
    zj[z] = net->zone_jobs[v];
    if (g_hash_table_contains(net->zone_index, ID_KEY(zid[z]))) {
      g_set_error(
          error, TH_ERROR, TH_ERROR_INVALID,
          "%s:%d: zone id %" G_GINT64_FORMAT " is used by two nodes (zone ids must be unique)",
          net->source_node_file ? net->source_node_file : "network", net->node_line[v], zid[z]);
      g_array_unref(zn);
      g_free(zone_node);
      g_free(zid);
      g_free(zp);
      g_free(zg);
      g_free(zj);
      return FALSE;
    }
    g_hash_table_insert(net->zone_index, ID_KEY(zid[z]), GINT_TO_POINTER(z + 1));
    net->node_zone[v] = z;
  }
  g_array_unref(zn);
  g_free(net->zone_id);
  g_free(net->zone_population);
  g_free(net->zone_gdp);
  g_free(net->zone_jobs);
  net->zone_node = zone_node;
  net->zone_id = zid;
  net->zone_population = zp;
  net->zone_gdp = zg;
  net->zone_jobs = zj;
  net->n_zones = nz;

  /* CSR by counting sort: stable, so links of a node keep input order */
  net->out_start = g_new0(int, n + 1);
  net->in_start = g_new0(int, n + 1);
  net->out_link = g_new(int, m > 0 ? m : 1);
  net->in_link = g_new(int, m > 0 ? m : 1);
  for (int e = 0; e < m; e++) {
    net->out_start[net->link_from[e] + 1]++;
    net->in_start[net->link_to[e] + 1]++;
  }
  for (int v = 0; v < n; v++) {
    net->out_start[v + 1] += net->out_start[v];
    net->in_start[v + 1] += net->in_start[v];
  }
  int *po = g_new(int, n + 1), *pi = g_new(int, n + 1);
  memcpy(po, net->out_start, sizeof(int) * (n + 1));
  memcpy(pi, net->in_start, sizeof(int) * (n + 1));
  for (int e = 0; e < m; e++) {
    net->out_link[po[net->link_from[e]]++] = e;
    net->in_link[pi[net->link_to[e]]++] = e;
  }
  g_free(po);
  g_free(pi);
  net->finalized = TRUE;
  return TRUE;
}

int th_network_node_index(const ThNetwork *net, int64_t id) {
  return GPOINTER_TO_INT(g_hash_table_lookup(net->node_index, ID_KEY(id))) - 1;
}

int th_network_link_index(const ThNetwork *net, int64_t id) {
  return GPOINTER_TO_INT(g_hash_table_lookup(net->link_index, ID_KEY(id))) - 1;
}

int th_network_zone_index(const ThNetwork *net, int64_t id) {
  return GPOINTER_TO_INT(g_hash_table_lookup(net->zone_index, ID_KEY(id))) - 1;
}

int th_network_zone_lookup(const ThNetwork *net, const char *key) {
  int64_t id;
  /* all digits (an optional leading minus): an id, zone id first; else a name */
  const char *digits = key && *key == '-' ? key + 1 : key;
  if (digits && *digits && strspn(digits, "0123456789") == strlen(digits)) {
    id = g_ascii_strtoll(key, NULL, 10);
    int z = th_network_zone_index(net, id);
    if (z >= 0) return z;
    int v = th_network_node_index(net, id);
    if (v >= 0 && net->node_zone[v] >= 0) return net->node_zone[v];
    return -1;
  }
  if (key && net->zone_label) {
    char buf[32];
    for (int z = 0; z < net->n_zones; z++)
      if (!g_strcmp0(th_network_zone_label(net, z, buf), key)) return z;
  }
  if (key && net->node_label) {
    for (int v = 0; v < net->n_nodes; v++)
      if (net->node_label[v] && !strcmp(net->node_label[v], key) && net->node_zone[v] >= 0)
        return net->node_zone[v];
  }
  for (int z = 0; z < net->n_zones; z++)
    if (g_strcmp0(net->node_name[net->zone_node[z]], key) == 0) return z;
  return -1;
}

const char *th_network_node_label(const ThNetwork *net, int v, char *buf) {
  if (net->node_label && net->node_label[v]) return net->node_label[v];
  g_snprintf(buf, 24, "%" G_GINT64_FORMAT, net->node_id[v]);
  return buf;
}

const char *th_network_link_label(const ThNetwork *net, int e, char *buf) {
  if (net->link_label && net->link_label[e]) return net->link_label[e];
  g_snprintf(buf, 24, "%" G_GINT64_FORMAT, net->link_id[e]);
  return buf;
}

const char *th_network_zone_label(const ThNetwork *net, int z, char *buf) {
  if (net->zone_label) {
    const char *t = g_hash_table_lookup(net->zone_label, &net->zone_id[z]);
    if (t) return t;
  }
  g_snprintf(buf, 24, "%" G_GINT64_FORMAT, net->zone_id[z]);
  return buf;
}

/* label_index keys: the kind letter, then the text */
static void label_index_put(ThNetwork *net, char kind, const char *text, int index) {
  if (!net->label_index)
    net->label_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert(net->label_index, g_strdup_printf("%c%s", kind, text),
                      GINT_TO_POINTER(index + 1));
}

static int label_index_get(const ThNetwork *net, char kind, const char *text) {
  if (!net->label_index || !text) return -1;
  g_autofree char *key = g_strdup_printf("%c%s", kind, text);
  return GPOINTER_TO_INT(g_hash_table_lookup(net->label_index, key)) - 1;
}

void th_network_set_node_label(ThNetwork *net, int v, const char *text) {
  g_return_if_fail(v >= 0 && v < net->n_nodes);
  if (!net->node_label) net->node_label = g_new0(char *, net->n_nodes);
  net->node_label[v] = g_string_chunk_insert_const(net->strings, text);
  label_index_put(net, 'n', text, v);
}

void th_network_set_link_label(ThNetwork *net, int e, const char *text) {
  g_return_if_fail(e >= 0 && e < net->n_links);
  if (!net->link_label) net->link_label = g_new0(char *, net->n_links);
  net->link_label[e] = g_string_chunk_insert_const(net->strings, text);
  label_index_put(net, 'l', text, e);
}

void th_network_set_zone_label(ThNetwork *net, int64_t zone_id, const char *text) {
  if (!net->zone_label)
    net->zone_label = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_insert(net->zone_label, g_memdup2(&zone_id, sizeof zone_id),
                      g_string_chunk_insert_const(net->strings, text));
  int z = th_network_zone_index(net, zone_id);
  if (z >= 0) label_index_put(net, 'z', text, z);
}

/* TEXT names index I (of KIND) when it is I's label, or I's decimal id and
 * I has no label */
int th_network_node_find(const ThNetwork *net, const char *text) {
  int v = label_index_get(net, 'n', text);
  if (v >= 0) return v;
  int64_t id;
  if (!text || !th_parse_int64(text, &id)) return -1;
  v = th_network_node_index(net, id);
  return v >= 0 && !(net->node_label && net->node_label[v]) ? v : -1;
}

int th_network_link_find(const ThNetwork *net, const char *text) {
  int e = label_index_get(net, 'l', text);
  if (e >= 0) return e;
  int64_t id;
  if (!text || !th_parse_int64(text, &id)) return -1;
  e = th_network_link_index(net, id);
  return e >= 0 && !(net->link_label && net->link_label[e]) ? e : -1;
}

int th_network_link_match(const ThNetwork *other, const ThNetwork *net, int e) {
  if (!other->link_label && !net->link_label) return th_network_link_index(other, net->link_id[e]);
  char buf[24];
  return th_network_link_find(other, th_network_link_label(net, e, buf));
}

int th_network_zone_find(const ThNetwork *net, const char *text) {
  int z = label_index_get(net, 'z', text);
  if (z >= 0) return z;
  int64_t id;
  if (!text || !th_parse_int64(text, &id)) return -1;
  z = th_network_zone_index(net, id);
  return z >= 0 && !(net->zone_label && g_hash_table_contains(net->zone_label, &net->zone_id[z]))
             ? z
             : -1;
}

char *th_network_fingerprint(const ThNetwork *net) {
  g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
  for (int i = 0; i < net->n_nodes; i++)
    g_checksum_update(ck, (const guchar *)&net->node_id[i], sizeof(int64_t));
  for (int e = 0; e < net->n_links; e++) {
    int64_t rec[4] = {net->link_id[e], net->node_id[net->link_from[e]],
                      net->node_id[net->link_to[e]], (int64_t)net->link_modes[e]};
    g_checksum_update(ck, (const guchar *)rec, sizeof rec);
    int64_t mm = (int64_t)llround(net->length_m[e] * 1000.0);
    g_checksum_update(ck, (const guchar *)&mm, sizeof mm);
  }
  return g_strndup(g_checksum_get_string(ck), 16);
}

double th_haversine_m(double lon1, double lat1, double lon2, double lat2) {
  const double R = 6371008.8, d2r = G_PI / 180.0;
  double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
  double a = sin(dlat / 2) * sin(dlat / 2) +
             cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
  return 2 * R * asin(fmin(1.0, sqrt(a)));
}

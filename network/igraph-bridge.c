/* igraph-bridge.c: the network as an igraph_t, and GraphML export. */
#include "network/igraph-bridge.h"
#include "network/th-error.h"

#include <math.h>

void th_igraph_init(void) {
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    /* igraph's default handler aborts the process; taihang reports errors
     * through GError instead. The attribute table is global in igraph: the C
     * one is needed for GraphML with attributes and is harmless elsewhere. */
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    igraph_set_attribute_table(&igraph_cattribute_table);
    g_once_init_leave(&once, 1);
  }
}

static gboolean igraph_failed(igraph_error_t rc, const char *what, GError **error) {
  if (rc == IGRAPH_SUCCESS) return FALSE;
  g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "igraph: %s failed (%s)", what,
              igraph_strerror(rc));
  return TRUE;
}

gboolean th_igraph_from_network(const ThNetwork *net, uint32_t modes, const double *link_weight,
                                igraph_t *graph, igraph_vector_t *weights,
                                igraph_vector_int_t *edge_link, GError **error) {
  g_return_val_if_fail(net && net->finalized, FALSE);
  th_igraph_init();
  igraph_integer_t m = 0;
  for (int e = 0; e < net->n_links; e++)
    if (net->link_modes[e] & modes) m++;
  igraph_vector_int_t edges;
  if (igraph_failed(igraph_vector_int_init(&edges, 2 * m), "allocating edges", error))
    return FALSE;
  if (weights && igraph_failed(igraph_vector_resize(weights, link_weight ? m : 0),
                               "allocating weights", error))
    goto fail;
  if (edge_link && igraph_failed(igraph_vector_int_resize(edge_link, m), "allocating edges", error))
    goto fail;
  igraph_integer_t k = 0;
  for (int e = 0; e < net->n_links; e++) {
    if (!(net->link_modes[e] & modes)) continue;
    VECTOR(edges)[2 * k] = net->link_from[e];
    VECTOR(edges)[2 * k + 1] = net->link_to[e];
    if (weights && link_weight) VECTOR(*weights)[k] = link_weight[e];
    if (edge_link) VECTOR(*edge_link)[k] = e;
    k++;
  }
  if (igraph_failed(igraph_create(graph, &edges, net->n_nodes, IGRAPH_DIRECTED), "igraph_create",
                    error))
    goto fail;
  igraph_vector_int_destroy(&edges);
  return TRUE;
fail:
  igraph_vector_int_destroy(&edges);
  return FALSE;
}

/* Sets a numeric attribute from N values of F(i). */
typedef double (*NumFunc)(const ThNetwork *net, int i);
typedef const char *(*StrFunc)(const ThNetwork *net, int i, char **tmp);

static igraph_error_t set_num(igraph_t *g, gboolean vertex, const char *name, const ThNetwork *net,
                              int n, NumFunc f) {
  igraph_vector_t v;
  IGRAPH_CHECK(igraph_vector_init(&v, n));
  for (int i = 0; i < n; i++) VECTOR(v)[i] = f(net, i);
  igraph_error_t rc = vertex ? igraph_cattribute_VAN_setv(g, name, &v)
                             : igraph_cattribute_EAN_setv(g, name, &v);
  igraph_vector_destroy(&v);
  return rc;
}

static igraph_error_t set_str(igraph_t *g, gboolean vertex, const char *name, const ThNetwork *net,
                              int n, StrFunc f) {
  igraph_strvector_t v;
  IGRAPH_CHECK(igraph_strvector_init(&v, n));
  igraph_error_t rc = IGRAPH_SUCCESS;
  for (int i = 0; i < n && rc == IGRAPH_SUCCESS; i++) {
    char *tmp = NULL;
    rc = igraph_strvector_set(&v, i, f(net, i, &tmp));
    g_free(tmp);
  }
  if (rc == IGRAPH_SUCCESS)
    rc = vertex ? igraph_cattribute_VAS_setv(g, name, &v) : igraph_cattribute_EAS_setv(g, name, &v);
  igraph_strvector_destroy(&v);
  return rc;
}

static double v_id(const ThNetwork *n, int i) { return (double)n->node_id[i]; }
static double v_lon(const ThNetwork *n, int i) { return n->lon[i]; }
static double v_lat(const ThNetwork *n, int i) { return n->lat[i]; }
static double v_zone(const ThNetwork *n, int i) {
  return n->node_zone[i] >= 0 ? (double)n->zone_id[n->node_zone[i]] : NAN;
}
static const char *v_name(const ThNetwork *n, int i, char **t) { return n->node_name[i]; }
static const char *v_kind(const ThNetwork *n, int i, char **t) {
  return th_node_kind_name(n->node_kind[i]);
}
/* text ids (a GMNS folder with string ids): string attributes, as written */
static const char *v_id_text(const ThNetwork *n, int i, char **t) {
  char buf[24];
  return *t = g_strdup(th_network_node_label(n, i, buf));
}
static const char *v_zone_text(const ThNetwork *n, int i, char **t) {
  char buf[24];
  return n->node_zone[i] >= 0 ? (*t = g_strdup(th_network_zone_label(n, n->node_zone[i], buf)))
                              : "";
}
static const char *e_id_text(const ThNetwork *n, int i, char **t) {
  char buf[24];
  return *t = g_strdup(th_network_link_label(n, i, buf));
}
static double e_id(const ThNetwork *n, int i) { return (double)n->link_id[i]; }
static double e_len(const ThNetwork *n, int i) { return n->length_m[i] / 1000.0; }
static double e_speed(const ThNetwork *n, int i) { return n->free_speed_mps[i] * 3.6; }
static double e_time(const ThNetwork *n, int i) { return n->free_time_s[i] / 60.0; }
static double e_cap(const ThNetwork *n, int i) {
  return isfinite(n->capacity_vph[i]) ? n->capacity_vph[i] : NAN;
}
static double e_lanes(const ThNetwork *n, int i) { return n->lanes[i]; }
static double e_alpha(const ThNetwork *n, int i) { return n->bpr_alpha[i]; }
static double e_beta(const ThNetwork *n, int i) { return n->bpr_beta[i]; }
static double e_toll(const ThNetwork *n, int i) { return n->toll[i]; }
static double e_cost(const ThNetwork *n, int i) { return n->cost_per_tkm[i]; }
static const char *e_name(const ThNetwork *n, int i, char **t) { return n->link_name[i]; }
static const char *e_fac(const ThNetwork *n, int i, char **t) { return n->link_facility[i]; }
static const char *e_modes(const ThNetwork *n, int i, char **t) {
  return *t = th_modes_format(n->link_modes[i]);
}

gboolean th_igraph_write_graphml(const ThNetwork *net, FILE *out, GError **error) {
  th_igraph_init();
  igraph_t g;
  if (!th_igraph_from_network(net, TH_MODE_ALL, NULL, &g, NULL, NULL, error)) return FALSE;
  int n = net->n_nodes, m = net->n_links;
  static const struct {
    const char *name;
    NumFunc f;
  } vnum[] = {{"node_id", v_id}, {"lon", v_lon}, {"lat", v_lat}, {"zone_id", v_zone}},
    enm[] = {{"link_id", e_id},       {"length_km", e_len}, {"free_speed_kmh", e_speed},
             {"free_time_min", e_time}, {"capacity_vph", e_cap}, {"lanes", e_lanes},
             {"bpr_alpha", e_alpha},  {"bpr_beta", e_beta}, {"toll", e_toll},
             {"cost_per_tkm", e_cost}};
  static const struct {
    const char *name;
    StrFunc f;
  } vstr[] = {{"name", v_name}, {"kind", v_kind}},
    estr[] = {{"name", e_name}, {"facility_type", e_fac}, {"allowed_uses", e_modes}};
  igraph_error_t rc = IGRAPH_SUCCESS;
  /* ids the network keeps as text are string attributes of the same name */
  gboolean node_text = net->node_label != NULL, zone_text = net->zone_label != NULL,
           link_text = net->link_label != NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(vnum) && !rc; i++) {
    if ((node_text && vnum[i].f == v_id) || (zone_text && vnum[i].f == v_zone)) continue;
    rc = set_num(&g, TRUE, vnum[i].name, net, n, vnum[i].f);
  }
  if (!rc && node_text) rc = set_str(&g, TRUE, "node_id", net, n, v_id_text);
  if (!rc && zone_text) rc = set_str(&g, TRUE, "zone_id", net, n, v_zone_text);
  for (gsize i = 0; i < G_N_ELEMENTS(vstr) && !rc; i++)
    rc = set_str(&g, TRUE, vstr[i].name, net, n, vstr[i].f);
  for (gsize i = 0; i < G_N_ELEMENTS(enm) && !rc; i++) {
    if (link_text && enm[i].f == e_id) continue;
    rc = set_num(&g, FALSE, enm[i].name, net, m, enm[i].f);
  }
  if (!rc && link_text) rc = set_str(&g, FALSE, "link_id", net, m, e_id_text);
  for (gsize i = 0; i < G_N_ELEMENTS(estr) && !rc; i++)
    rc = set_str(&g, FALSE, estr[i].name, net, m, estr[i].f);
  if (!rc) rc = igraph_cattribute_GAS_set(&g, "format", net->format ? net->format : "");
  if (igraph_failed(rc, "setting GraphML attributes", error)) {
    igraph_destroy(&g);
    return FALSE;
  }
  rc = igraph_write_graph_graphml(&g, out, /* prefixattr = */ TRUE);
  igraph_destroy(&g);
  if (rc != IGRAPH_SUCCESS) {
    g_set_error(error, TH_ERROR, rc == IGRAPH_EFILE ? TH_ERROR_IO : TH_ERROR_FAILED,
                "igraph: writing GraphML failed (%s)", igraph_strerror(rc));
    return FALSE;
  }
  return TRUE;
}

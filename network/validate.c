/* validate.c: whole-network checks (see validate.h). */
#include "network/validate.h"
#include "network/csv.h"
#include "network/igraph-bridge.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

static const char *node_file(const ThNetwork *net) {
  return net->source_node_file ? net->source_node_file : "network";
}
static const char *link_file(const ThNetwork *net) {
  return net->source_link_file ? net->source_link_file : "network";
}

/* "zone 7 (Dongcheng)", "zone 7 at node 107 (Dongcheng)" */
static char *zone_label(const ThNetwork *net, int z) {
  int v = net->zone_node[z];
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "zone %" G_GINT64_FORMAT, net->zone_id[z]);
  if (net->node_id[v] != net->zone_id[z])
    g_string_append_printf(s, " at node %" G_GINT64_FORMAT, net->node_id[v]);
  if (net->node_name[v][0]) g_string_append_printf(s, " (%s)", net->node_name[v]);
  return g_string_free(s, FALSE);
}

/* Appends one error per zone outside the main component (the one of zone
 * MAIN_REF, holding N_MAIN zones). */
static int report_outside(const ThNetwork *net, const igraph_t *g, const igraph_vector_int_t *memb,
                          int main_ref, int n_main, uint32_t modes, GPtrArray *errors) {
  igraph_integer_t main_comp = VECTOR(*memb)[net->zone_node[main_ref]];
  /* which side is missing: reachable from the reference, and reaching it */
  int ref_node = net->zone_node[main_ref];
  igraph_vector_int_t fwd, bwd;
  igraph_vector_int_init(&fwd, 0);
  igraph_vector_int_init(&bwd, 0);
  igraph_subcomponent(g, &fwd, ref_node, IGRAPH_OUT);
  igraph_subcomponent(g, &bwd, ref_node, IGRAPH_IN);
  g_autofree guint8 *from_ref = g_new0(guint8, net->n_nodes);
  g_autofree guint8 *to_ref = g_new0(guint8, net->n_nodes);
  for (igraph_integer_t i = 0; i < igraph_vector_int_size(&fwd); i++) from_ref[VECTOR(fwd)[i]] = 1;
  for (igraph_integer_t i = 0; i < igraph_vector_int_size(&bwd); i++) to_ref[VECTOR(bwd)[i]] = 1;
  igraph_vector_int_destroy(&fwd);
  igraph_vector_int_destroy(&bwd);
  g_autofree char *mode_name = th_modes_format(modes);
  g_autofree char *ref = zone_label(net, main_ref);
  g_autofree char *others = n_main > 1 ? g_strdup_printf(" and the %d zone%s connected to it",
                                                         n_main - 1, n_main > 2 ? "s" : "")
                                       : g_strdup("");
  int added = 0;
  for (int z = 0; z < net->n_zones; z++) {
    int v = net->zone_node[z];
    if (VECTOR(*memb)[v] == main_comp) continue;
    g_autofree char *lab = zone_label(net, z);
    const char *what;
    if (!from_ref[v] && !to_ref[v])
      what = "cannot reach and cannot be reached from";
    else if (!to_ref[v])
      what = "cannot reach";
    else
      what = "cannot be reached from";
    th_problems_add(errors, node_file(net), net->node_line[v],
                    "%s %s %s%s by %s (%s and connector links joining every zone both ways were "
                    "expected)",
                    lab, what, ref, others, mode_name, mode_name);
    added++;
  }
  return added;
}

static int zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors);

/* igraph 0.10 as Debian builds it keeps its error-cleanup ("finally") stack
 * in a global, so two threads inside igraph at once corrupt it and abort
 * ("Corrupt finally stack"): compare and sweeps load and validate scenarios
 * in parallel. Every igraph call of the validator runs under this lock. */
static GMutex igraph_lock;

int th_validate_zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors) {
  if (net->n_zones < 2) return 0;
  g_mutex_lock(&igraph_lock);
  int n = zone_reachability(net, modes, errors);
  g_mutex_unlock(&igraph_lock);
  return n;
}

static int zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors) {
  igraph_t g;
  GError *e = NULL;
  if (!th_igraph_from_network(net, modes | TH_MODE_CONNECTOR, NULL, &g, NULL, NULL, &e)) {
    th_problems_add(errors, node_file(net), 0, "cannot check zone reachability (%s)", e->message);
    g_error_free(e);
    return 1;
  }
  igraph_vector_int_t memb, csize;
  igraph_integer_t ncomp = 0;
  igraph_vector_int_init(&memb, 0);
  igraph_vector_int_init(&csize, 0);
  int added = 0;
  if (igraph_connected_components(&g, &memb, &csize, &ncomp, IGRAPH_STRONG) != IGRAPH_SUCCESS) {
    th_problems_add(errors, node_file(net), 0, "cannot check zone reachability (igraph failed)");
    added = 1;
    goto done;
  }
  /* main component: most zones; ties go to the component of the lowest zone */
  int *zones_in = g_new0(int, ncomp);
  for (int z = 0; z < net->n_zones; z++) zones_in[VECTOR(memb)[net->zone_node[z]]]++;
  int main_ref = 0; /* first zone of the main component */
  for (int z = 1; z < net->n_zones; z++) {
    igraph_integer_t c = VECTOR(memb)[net->zone_node[z]];
    igraph_integer_t cm = VECTOR(memb)[net->zone_node[main_ref]];
    if (zones_in[c] > zones_in[cm]) main_ref = z;
  }
  int n_main = zones_in[VECTOR(memb)[net->zone_node[main_ref]]];
  g_free(zones_in);
  if (n_main < net->n_zones)
    added = report_outside(net, &g, &memb, main_ref, n_main, modes, errors);
done:
  igraph_vector_int_destroy(&memb);
  igraph_vector_int_destroy(&csize);
  igraph_destroy(&g);
  return added;
}

static gboolean is_tntp(const ThNetwork *net) { return g_strcmp0(net->format, "tntp") == 0; }

int th_validate_coordinates(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings) {
  if (is_tntp(net)) return 0;
  int added = 0;
  for (int v = 0; v < net->n_nodes; v++) {
    double lon = net->lon[v], lat = net->lat[v];
    if (isnan(lon) || isnan(lat)) {
      if (warnings)
        th_problems_add(warnings, node_file(net), net->node_line[v],
                        "warning: node %" G_GINT64_FORMAT
                        " has no coordinates (x_coord and y_coord in WGS84 degrees were expected; "
                        "maps will leave it out)",
                        net->node_id[v]);
      continue;
    }
    if (!(lon >= -180 && lon <= 180)) {
      th_problems_add(errors, node_file(net), net->node_line[v],
                      "node %" G_GINT64_FORMAT
                      " longitude %g is outside -180..180 (a WGS84 longitude in degrees was "
                      "expected)",
                      net->node_id[v], lon);
      added++;
    }
    if (!(lat >= -90 && lat <= 90)) {
      th_problems_add(errors, node_file(net), net->node_line[v],
                      "node %" G_GINT64_FORMAT
                      " latitude %g is outside -90..90 (a WGS84 latitude in degrees was expected)",
                      net->node_id[v], lat);
      added++;
    }
  }
  return added;
}

static gboolean has_coords(const ThNetwork *net, int v) {
  return isfinite(net->lon[v]) && isfinite(net->lat[v]) && fabs(net->lon[v]) <= 180 &&
         fabs(net->lat[v]) <= 90;
}

void th_validate_sanity(const ThNetwork *net, GPtrArray *warnings) {
  for (int v = 0; v < net->n_nodes; v++) {
    if (net->out_start[v + 1] == net->out_start[v] && net->in_start[v + 1] == net->in_start[v])
      th_problems_add(warnings, node_file(net), net->node_line[v],
                      "warning: node %" G_GINT64_FORMAT
                      " has no links (a node used by at least one link was expected)",
                      net->node_id[v]);
  }
  for (int e = 0; e < net->n_links; e++) {
    int a = net->link_from[e], b = net->link_to[e];
    double km = net->length_m[e] / 1000.0;
    if (!is_tntp(net) && has_coords(net, a) && has_coords(net, b)) {
      double straight = th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]) / 1000;
      if (straight > 0.2 && km < 0.5 * straight)
        th_problems_add(warnings, link_file(net), net->link_line[e],
                        "warning: link %" G_GINT64_FORMAT
                        " length %.3g km is less than half the straight line of %.3g km between "
                        "its nodes (length in km, and node coordinates in WGS84, were expected)",
                        net->link_id[e], km, straight);
      else if (km > 10 && km > 10 * straight)
        th_problems_add(warnings, link_file(net), net->link_line[e],
                        "warning: link %" G_GINT64_FORMAT
                        " length %.4g km is more than 10 times the straight line of %.3g km "
                        "between its nodes (length in km, not metres, was expected)",
                        net->link_id[e], km, straight);
    }
    double kmh = net->free_speed_mps[e] * 3.6;
    /* TNTP speeds are length / time in the file's own units: no check */
    if (is_tntp(net)) continue;
    if (kmh > 450 || ((net->link_modes[e] & TH_MODE_ROAD) && kmh > 150))
      th_problems_add(warnings, link_file(net), net->link_line[e],
                      "warning: link %" G_GINT64_FORMAT
                      " free_speed %.4g km/h is implausibly high for %s (km/h was expected)",
                      net->link_id[e], kmh,
                      (net->link_modes[e] & TH_MODE_ROAD) ? "a road link" : "any link");
  }
}

int th_network_validate(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings) {
  int n = th_validate_coordinates(net, errors, warnings);
  n += th_validate_zone_reachability(net, TH_MODE_ROAD, errors);
  if (warnings) th_validate_sanity(net, warnings);
  return n;
}

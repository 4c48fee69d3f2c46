/* validate-igraph.c: the igraph half of th_validate_zone_reachability
 * (validate.h), in the module libth-igraph.so (graph-module.h): strongly
 * connected components of the links of the given modes plus connectors,
 * and for every zone outside the main component which way it is cut off.
 * The caller (validate.c) holds the igraph lock. */
#include "network/csv.h"
#include "network/graph-module.h"
#include "network/igraph-bridge.h"
#include "network/th-error.h"

#include <gmodule.h>

G_MODULE_EXPORT int th_graph_module_zone_reachability(const ThNetwork *net, uint32_t modes,
                                                      GPtrArray *errors);

static const char *node_file(const ThNetwork *net) {
  return net->source_node_file ? net->source_node_file : "network";
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

int th_graph_module_zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors) {
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


/* graph-module.c: the loader of libth-igraph.so and the igraph-free front
 * of its GraphML entry (see graph-module.h). */
#include "network/graph-module.h"
#include "network/module.h"

static ThModule igraph_module =
    TH_MODULE_INIT(TH_IGRAPH_MODULE, "network/libth-igraph.so", "this needs the igraph module");

gpointer th_graph_module_symbol(const char *name, GError **error) {
  return th_module_symbol(&igraph_module, name, error);
}

gboolean th_graph_write_graphml(const ThNetwork *net, FILE *out, GError **error) {
  ThGraphWriteGraphml fn = (ThGraphWriteGraphml)th_graph_module_symbol("th_graph_module_write_graphml", error);
  return fn && fn(net, out, error);
}

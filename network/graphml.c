/* graphml.c: GraphML through the igraph module (graphml.h). */
#include "network/graphml.h"
#include "network/module.h"
#include "network/th-error.h"

typedef gboolean (*ThGraphmlFunc)(const ThNetwork *net, FILE *out, GError **error);

/* The module: where the build put it (TH_IGRAPH_MODULE), else beside the
 * program in network/. Loaded once. */
static const char *const names[] = {"th_igraph_write_graphml"};
static gpointer sym[1];
static ThModule igraph_module = TH_MODULE(TH_IGRAPH_MODULE, "network", "libth-igraph.so",
                                          "GraphML export needs the igraph module", names, 1, sym);

gboolean th_graphml_write(const ThNetwork *net, FILE *out, GError **error) {
  return th_module_load(&igraph_module, error) && ((ThGraphmlFunc)sym[0])(net, out, error);
}

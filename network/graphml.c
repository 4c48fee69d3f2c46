/* graphml.c: GraphML through the igraph module (graphml.h). */
#include "network/graphml.h"
#include "network/module.h"
#include "network/th-error.h"

typedef gboolean (*ThGraphmlFunc)(const ThNetwork *net, FILE *out, GError **error);

/* The module: where the build put it (TH_IGRAPH_MODULE), else beside the
 * program in network/. Loaded once. */
static ThGraphmlFunc graphml_func(GError **error) {
  static GMutex lock;
  static ThGraphmlFunc fn;
  static char *failure;
  g_mutex_lock(&lock);
  if (!fn && !failure) {
    static const char *const names[] = {"th_igraph_write_graphml"};
    gpointer sym = NULL;
    if (th_module_open(TH_IGRAPH_MODULE, "network", "libth-igraph.so", names, &sym, 1, &failure))
      fn = (ThGraphmlFunc)sym;
  }
  ThGraphmlFunc f = fn;
  if (!f)
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "GraphML export needs the igraph module libth-igraph.so, which did not load (%s); "
                "rebuild with ninja -C build",
                failure);
  g_mutex_unlock(&lock);
  return f;
}

gboolean th_graphml_write(const ThNetwork *net, FILE *out, GError **error) {
  ThGraphmlFunc f = graphml_func(error);
  return f && f(net, out, error);
}

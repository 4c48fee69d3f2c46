/* graph-module.c: the loader of libth-igraph.so and the igraph-free front
 * of its GraphML entry (see graph-module.h). */
#include "network/graph-module.h"
#include "network/th-error.h"

#include <gmodule.h>

gpointer th_graph_module_symbol(const char *name, GError **error) {
  static GMutex lock;
  static GModule *module;
  static char *failure;
  g_mutex_lock(&lock);
  if (!module && !failure) {
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    g_autofree char *beside = dir ? g_build_filename(dir, "network", "libth-igraph.so", NULL) : NULL;
    const char *tries[] = {TH_IGRAPH_MODULE, beside};
    GString *why = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(tries) && !module; i++) {
      if (!tries[i] || (i > 0 && !g_strcmp0(tries[i], tries[0]))) continue;
      GModule *m = g_module_open(tries[i], G_MODULE_BIND_LOCAL);
      if (m) {
        g_module_make_resident(m);
        module = m;
      } else {
        g_string_append_printf(why, "%s%s", why->len ? "; " : "", g_module_error());
      }
    }
    if (!module) failure = g_string_free(g_steal_pointer(&why), FALSE);
    else g_string_free(why, TRUE);
  }
  GModule *m = module;
  gpointer sym = NULL;
  if (!m)
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "the igraph module libth-igraph.so did not load (%s); rebuild with ninja -C build",
                failure);
  else if (!g_module_symbol(m, name, &sym) || !sym)
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "the igraph module libth-igraph.so has no %s", name);
  g_mutex_unlock(&lock);
  return sym;
}

gboolean th_graph_write_graphml(const ThNetwork *net, FILE *out, GError **error) {
  ThGraphWriteGraphml fn = (ThGraphWriteGraphml)th_graph_module_symbol("th_graph_module_write_graphml", error);
  return fn && fn(net, out, error);
}

/* module.c: the one loader of taihang's modules (see module.h). */
#include "network/module.h"
#include "network/th-error.h"

#include <gmodule.h>

gpointer th_module_symbol(ThModule *m, const char *name, GError **error) {
  g_mutex_lock(&m->lock);
  if (!m->module && !m->failure) {
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    g_autofree char *beside = dir ? g_build_filename(dir, m->beside, NULL) : NULL;
    const char *tries[] = {m->built, beside};
    GString *why = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(tries) && !m->module; i++) {
      if (!tries[i] || (i > 0 && !g_strcmp0(tries[i], tries[0]))) continue;
      GModule *mod = g_module_open(tries[i], G_MODULE_BIND_LOCAL);
      if (mod) {
        g_module_make_resident(mod);
        m->module = mod;
      } else {
        g_string_append_printf(why, "%s%s", why->len ? "; " : "", g_module_error());
      }
    }
    if (!m->module) m->failure = g_string_free(g_steal_pointer(&why), FALSE);
    else g_string_free(why, TRUE);
  }
  gpointer sym = NULL;
  g_autofree char *file = g_path_get_basename(m->beside);
  if (!m->module)
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s %s, which did not load (%s); rebuild with ninja -C build",
                m->purpose, file, m->failure);
  else if (!g_module_symbol(m->module, name, &sym) || !sym)
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s %s, which has no %s", m->purpose, file, name);
  g_mutex_unlock(&m->lock);
  return sym;
}

gboolean th_module_loaded(ThModule *m) {
  g_mutex_lock(&m->lock);
  gboolean l = m->module != NULL;
  g_mutex_unlock(&m->lock);
  return l;
}

/* module.c: open a taihang module by its build path or beside the program. */
#include "network/module.h"
#include "network/th-error.h"

#include <gmodule.h>

gboolean th_module_open(const char *built, const char *subdir, const char *file,
                        const char *const *symbols, gpointer *out, int n, char **why) {
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
  g_autofree char *beside = dir ? g_build_filename(dir, subdir, file, NULL) : NULL;
  const char *tries[] = {built, beside};
  g_autoptr(GString) said = g_string_new(NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(tries); i++) {
    if (!tries[i] || (i > 0 && !g_strcmp0(tries[i], tries[0]))) continue;
    GModule *m = g_module_open(tries[i], G_MODULE_BIND_LOCAL);
    gboolean all = m != NULL;
    for (int k = 0; all && k < n; k++) all = g_module_symbol(m, symbols[k], &out[k]) && out[k];
    if (all) {
      g_module_make_resident(m);
      return TRUE;
    }
    g_string_append_printf(said, "%s%s", said->len ? "; " : "", g_module_error());
    if (m) g_module_close(m);
  }
  if (why) *why = g_strdup(said->str);
  return FALSE;
}

gboolean th_module_load(ThModule *m, GError **error) {
  g_mutex_lock(&m->lock);
  if (!m->tried) {
    m->loaded = th_module_open(m->built, m->subdir, m->file, m->symbols, m->out, m->n, &m->failure);
    m->tried = TRUE;
  }
  gboolean ok = m->loaded;
  if (!ok)
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "%s %s, which did not load (%s); rebuild with ninja -C build", m->what, m->file,
                m->failure ? m->failure : "");
  g_mutex_unlock(&m->lock);
  return ok;
}

gboolean th_module_is_loaded(ThModule *m) {
  g_mutex_lock(&m->lock);
  gboolean ok = m->loaded;
  g_mutex_unlock(&m->lock);
  return ok;
}

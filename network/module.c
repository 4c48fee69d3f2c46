/* module.c: open a taihang module by its build path or beside the program. */
#include "network/module.h"

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

/* module.h: opening taihang's own loadable modules (libth-proj.so,
 * libth-gpkg.so): heavy libraries (PROJ, GDAL) that only a few commands
 * need live in modules loaded on first use, so that every other command
 * starts without them. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* Opens the module at BUILT (the path the build put it at), else at
 * SUBDIR/FILE beside the running program (a build folder moved elsewhere),
 * keeps it loaded for good, and resolves the N names of SYMBOLS into OUT.
 * FALSE with *WHY (g_free: what each attempt said) when none loads. */
gboolean th_module_open(const char *built, const char *subdir, const char *file,
                        const char *const *symbols, gpointer *out, int n, char **why);

G_END_DECLS

/* module.h: parts of taihang built as shared modules and loaded the first
 * time they are needed, so that no command pays at start-up for libraries
 * it does not use: HDF5 (output/libth-omx.so, output/omx.h), cairo, pango
 * and libpng (output/libth-graphics.so, output/graphics.h), igraph
 * (network/libth-igraph.so, network/graph-module.h). One loader for all.
 *
 * A module is a static ThModule (TH_MODULE_INIT); th_module_symbol opens
 * it once per process (thread-safe): where the build put it, else at the
 * same place relative to the program's folder (a build folder moved
 * elsewhere). It is never closed. If it does not load, every caller gets
 * the same TH_ERROR_IO error: "PURPOSE FILE, which did not load (why);
 * rebuild with ninja -C build". */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *built;   /* full path the build put it at (may be NULL) */
  const char *beside;  /* path relative to the program's folder, e.g. "output/libth-omx.so" */
  const char *purpose; /* start of the error, e.g. "OMX export needs the HDF5 module" */
  GMutex lock;
  gpointer module;     /* GModule *, once loaded */
  char *failure;       /* why it did not load, once tried */
} ThModule;

#define TH_MODULE_INIT(built, beside, purpose) {(built), (beside), (purpose), {0}, NULL, NULL}

/* The symbol NAME of module M, opening M on the first call; NULL with
 * TH_ERROR_IO when M or NAME is missing. */
gpointer th_module_symbol(ThModule *m, const char *name, GError **error);

/* TRUE once M has been opened. */
gboolean th_module_loaded(ThModule *m);

G_END_DECLS

/* module.h: opening taihang's own loadable modules (libth-proj.so,
 * libth-gpkg.so, libth-graphics.so, ...): heavy libraries (PROJ, GDAL,
 * cairo, igraph, libzip, json-glib, HDF5) that only a few commands need live
 * in modules loaded on first use, so that every other command starts
 * without them. A front file (crs.c, gpkg.c, graphics.c, ...) keeps one
 * static ThModule and calls th_module_load before each use. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* Opens the module at BUILT (the path the build put it at), else at
 * SUBDIR/FILE beside the running program (a build folder moved elsewhere),
 * keeps it loaded for good, and resolves the N names of SYMBOLS into OUT.
 * FALSE with *WHY (g_free: what each attempt said) when none loads. */
gboolean th_module_open(const char *built, const char *subdir, const char *file,
                        const char *const *symbols, gpointer *out, int n, char **why);

/* One module of the program, opened at most once per process whatever the
 * thread: the constant part is written by its front file,
 *   static gpointer sym[2];
 *   static ThModule mod = TH_MODULE(TH_X_MODULE, "output", "libth-x.so",
 *                                   "X export needs the module", names, 2, sym);
 * and the rest is th_module_load's state (zero to start). */
typedef struct {
  const char *built, *subdir, *file; /* where it is: as th_module_open */
  const char *what;                  /* the message's start when it does not load */
  const char *const *symbols;        /* the N names to resolve ... */
  int n;
  gpointer *out; /* ... into these N slots */
  GMutex lock;   /* state: */
  gboolean tried, loaded;
  char *failure; /* why it did not load (kept for every later call) */
} ThModule;

#define TH_MODULE(BUILT, SUBDIR, FILE_, WHAT, SYMBOLS, N, OUT)                                     \
  {                                                                                                \
    .built = (BUILT), .subdir = (SUBDIR), .file = (FILE_), .what = (WHAT), .symbols = (SYMBOLS),   \
    .n = (N), .out = (OUT)                                                                         \
  }

/* Opens M on the first call and gives that outcome on every call: TRUE with
 * M->out filled, or FALSE with ERROR (TH_ERROR_IO) "WHAT FILE, which did not
 * load (WHY); rebuild with ninja -C build". Thread-safe. */
gboolean th_module_load(ThModule *m, GError **error);

/* Whether M is open, without trying to open it. */
gboolean th_module_is_loaded(ThModule *m);

G_END_DECLS

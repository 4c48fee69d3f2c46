/* graphics.h: the graphics module, libth-graphics.so: everything that draws
 * with cairo and pango (and writes PNG with libpng), loaded the first time
 * something is drawn, so that commands that draw nothing (assign, skim,
 * run, check, ...) neither load nor relocate cairo, pango, fontconfig,
 * freetype, harfbuzz and libpng at start-up.
 *
 * The mechanism (the same as output/omx-hdf5.c's for HDF5):
 * - The drawing code lives in files built twice by output/meson.build: into
 *   the static library th_graphics (graphics_dep; for tests that call it
 *   directly, e.g. th_map_draw on their own cairo surface) and into the
 *   shared module libth-graphics.so (graphics_module). Neither goes into
 *   output_lib, so nothing the `taihang` program links needs cairo.
 * - Each entry point the program calls is a function of the module marked
 *   G_MODULE_EXPORT, named th_graphics_*, declared below with its pointer
 *   type. A small front in output_lib (graphics.c) keeps the public name
 *   (th_map_write) and calls the entry through th_graphics_symbol().
 * - th_graphics_symbol() opens the module once per process with the loader
 *   all of taihang's modules share (network/module.h): where the build put
 *   it (TH_GRAPHICS_MODULE), else beside the program in output/; on failure
 *   every caller gets the same TH_ERROR_IO error.
 *
 * Adding another cairo user (for example the report renderer,
 * output/report*.c): add its files to graphics_sources in output/meson.build
 * (not to output_sources), export its entry points as th_graphics_NAME with
 * G_MODULE_EXPORT, declare the pointer types here, and give it a front
 * function in graphics.c (or in a cairo-free file of its own) that looks
 * the entry up with th_graphics_symbol("th_graphics_NAME", error).
 * Types its callers need must stay cairo-free (map.h's cairo_t-taking
 * th_map_draw is for the graphics files and the tests only).
 *
 * Start-up measured on `taihang assign` Sioux Falls (callgrind, whole
 * process): see the README, "Static assignment", Speed. */
#pragma once
#include "output/map.h"

#include <glib.h>

G_BEGIN_DECLS

/* Entry points of libth-graphics.so. */
typedef gboolean (*ThGraphicsMapWrite)(const char *png_path, const char *svg_path,
                                       const ThResults *r, const ThResults *base,
                                       const ThMapOptions *opts, ThMapLayout *layout,
                                       GError **error);
typedef void (*ThGraphicsReleaseFonts)(void);

/* The entry NAME of the graphics module, loading the module on the first
 * call; NULL with TH_ERROR_IO when the module or the entry is missing. */
gpointer th_graphics_symbol(const char *name, GError **error);

/* TRUE once the module has been loaded (th_map_release_fonts does nothing
 * before: no fonts were ever cached). */
gboolean th_graphics_loaded(void);

G_END_DECLS

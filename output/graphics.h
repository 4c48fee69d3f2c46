/* graphics.h: the graphics module, libth-graphics.so: everything that draws
 * with cairo and pango or writes PNG with libpng (maps, the report's HTML
 * and PDF with their charts, the validation scatter plot), loaded the first
 * time something is drawn, so that commands that draw nothing (assign,
 * skim, run, check, ...) neither load nor relocate cairo, pango,
 * fontconfig, freetype, harfbuzz and libpng at start-up.
 *
 * The mechanism (the same as libth-omx.so's for HDF5, through
 * network/module.h's th_module_open):
 * - The drawing files (graphics_sources in output/meson.build: map.c,
 *   png-write.c, chart.c, report.c, report-html.c, report-pdf.c,
 *   validation-scatter.c) are built into the static library th_graphics
 *   (graphics_dep; for tests that draw on their own cairo surface, e.g.
 *   th_map_draw) and, from the same objects, into the shared module
 *   libth-graphics.so. Neither goes into output_lib, so nothing the
 *   `taihang` program links needs cairo.
 * - Those files are compiled with each public entry point renamed to
 *   th_graphics_NAME (-D in output/meson.build: th_map_write becomes
 *   th_graphics_map_write, and so on); the bodies are unchanged. The cairo-
 *   free fronts in graphics.c keep the public names (th_map_write,
 *   th_map_release_fonts, th_report_write, th_validation_write_scatter)
 *   and call the module's
 *   entry, opening the module on the first call (thread-safe): where the
 *   build put it (TH_GRAPHICS_MODULE), else beside the program in output/.
 *   When it does not load, every front fails with the same TH_ERROR_IO
 *   error (th_map_release_fonts does nothing). map.h's option parsers
 *   (th_map_mode_parse, th_map_metric_parse) need no cairo and live in
 *   graphics.c itself.
 *
 * Adding another cairo user: add its file to graphics_sources, add its
 * entry point to the renames in output/meson.build and a front in
 * graphics.c. Types its callers need must stay cairo-free (map.h's
 * cairo_t-taking th_map_draw is for the graphics files and tests only). */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* TRUE once libth-graphics.so has been loaded in this process. */
gboolean th_graphics_loaded(void);

G_END_DECLS

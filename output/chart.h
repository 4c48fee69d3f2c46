/* chart.h: the report's charts and text, drawn with cairo and pango on any
 * surface (SVG for the HTML, the PDF page itself). Internal to the report
 * (see report.h): nothing outside output/report*.c calls it.
 *
 * Text is WenQuanYi Micro Hei (Debian fonts-wqy-microhei, as the maps),
 * unhinted so that layout is the same on every surface and every run. */
#pragma once
#include "output/report-doc.h"

#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define TH_REPORT_FONT "WenQuanYi Micro Hei"

/* A layout of TEXT at PX (absolute size in user units), wrapped at WRAP_W
 * when > 0. Caller unrefs. */
PangoLayout *th_report_layout(cairo_t *cr, const char *text, double px, gboolean bold,
                              double wrap_w);

/* Draws C into the rectangle (X, Y, W, W * C->aspect). All sizes scale
 * with W (drawn at 700 units wide). O(categories x series + points). */
void th_chart_draw(cairo_t *cr, const ThChart *c, double x, double y, double w);

G_END_DECLS

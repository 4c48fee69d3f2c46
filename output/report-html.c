/* report-html.c: the report as one self-contained HTML file (see report.h).
 *
 * No scripts, no fonts or images fetched: charts are SVG (cairo, text as
 * glyph outlines) and maps PNG, both in data: URIs; the stylesheet is
 * inline and prints on A4 with page breaks where the PDF has them. */
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/chart.h"
#include "output/map.h"
#include "output/report-doc.h"

#include <cairo-svg.h>
#include <math.h>
#include <string.h>

static cairo_status_t to_bytes(void *closure, const unsigned char *data, unsigned int len) {
  g_byte_array_append(closure, data, len);
  return CAIRO_STATUS_SUCCESS;
}

static void append_data_uri(GString *out, const char *mime, GByteArray *bytes) {
  g_autofree char *b64 = g_base64_encode(bytes->data, bytes->len);
  g_string_append_printf(out, "data:%s;base64,%s", mime, b64);
}

static void esc(GString *out, const char *s) {
  g_autofree char *e = g_markup_escape_text(s ? s : "", -1);
  g_string_append(out, e);
}

/* paragraphs keep their line breaks */
static void esc_lines(GString *out, const char *s) {
  g_auto(GStrv) lines = g_strsplit(s ? s : "", "\n", -1);
  for (int i = 0; lines[i]; i++) {
    if (i) g_string_append(out, "<br>");
    esc(out, lines[i]);
  }
}

static gboolean chart_svg(GString *out, const ThChart *c, GError **error) {
  const double w = 700;
  g_autoptr(GByteArray) bytes = g_byte_array_new();
  cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_bytes, bytes, w, w * c->aspect);
  cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
  cairo_t *cr = cairo_create(s);
  th_chart_draw(cr, c, 0, 0, w);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "chart '%s': %s", c->title,
                cairo_status_to_string(st));
    return FALSE;
  }
  g_string_append(out, "<figure class=\"chart\"><img alt=\"");
  esc(out, c->title);
  g_string_append(out, "\" src=\"");
  append_data_uri(out, "image/svg+xml", bytes);
  g_string_append(out, "\"></figure>\n");
  return TRUE;
}

/* Maps as PNG: a vector map of every link is several MB of SVG. */
static gboolean map_png(GString *out, const ThReportDoc *doc, const ThBlock *b, GError **error) {
  const ThReportData *d = doc->data;
  const ThReportScenario *s = d->scen->pdata[b->map_s];
  const ThReportScenario *base = b->map_base >= 0 ? d->scen->pdata[b->map_base] : NULL;
  ThMapOptions o = {.width = 1400, .height = 1050, .mode = b->map_mode, .metric = b->map_metric,
                    .title = b->text, .date = doc->date && *doc->date ? doc->date : NULL,
                    .has_bbox = b->has_bbox};
  memcpy(o.bbox, b->bbox, sizeof o.bbox);
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o.width, o.height);
  cairo_t *cr = cairo_create(surf);
  gboolean ok = th_map_draw(cr, s->results, base ? base->results : NULL, &o, NULL, error);
  cairo_destroy(cr);
  g_autoptr(GByteArray) bytes = g_byte_array_new();
  if (ok && cairo_surface_write_to_png_stream(surf, to_bytes, bytes) != CAIRO_STATUS_SUCCESS) {
    g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "map of %s: PNG encoding failed", s->key);
    ok = FALSE;
  }
  cairo_surface_destroy(surf);
  if (!ok) return FALSE;
  g_string_append(out, "<figure class=\"map\"><img alt=\"");
  esc(out, b->text);
  g_string_append(out, "\" src=\"");
  append_data_uri(out, "image/png", bytes);
  g_string_append(out, "\"><figcaption>");
  esc(out, b->text);
  g_string_append(out, "</figcaption></figure>\n");
  return TRUE;
}

static void table_html(GString *out, const ThBlock *b, gboolean summary) {
  g_string_append_printf(out, "<table%s>\n", summary ? " class=\"summary\"" : "");
  for (guint r = 0; r < b->rows->len; r++) {
    char **row = b->rows->pdata[r];
    int flags = g_array_index(b->row_flags, int, r);
    if (r == 0)
      g_string_append(out, "<thead><tr>");
    else
      g_string_append_printf(out, "<tr%s>", flags == 1 ? " class=\"ns\"" : flags == 2 ? " class=\"total\"" : "");
    for (int c = 0; c < b->n_cols; c++) {
      const char *tag = r == 0 ? "th" : "td";
      gboolean ns = r > 0 && th_report_cell_ns(row[c]);
      g_string_append_printf(out, "<%s%s>", tag,
                             b->align[c] == 'r' ? (ns ? " class=\"r ns\"" : " class=\"r\"")
                                                : (ns ? " class=\"ns\"" : ""));
      esc(out, row[c]);
      g_string_append_printf(out, "</%s>", tag);
    }
    g_string_append(out, r == 0 ? "</tr></thead>\n<tbody>\n" : "</tr>\n");
  }
  g_string_append(out, "</tbody></table>\n");
}

static const char *css =
    "@page{size:A4;margin:14mm 14mm 16mm 14mm}\n"
    "html{background:#fff}\n"
    "body{font-family:\"WenQuanYi Micro Hei\",\"Noto Sans CJK SC\",sans-serif;color:#21262e;"
    "max-width:182mm;margin:0 auto;padding:0 6mm 12mm;font-size:10.5pt;line-height:1.45}\n"
    ".title{background:#1f3a5f;color:#fff;margin:0 -6mm 5mm;padding:7mm 6mm 5mm}\n"
    ".title h1{margin:0 0 3mm;font-size:19pt;line-height:1.25;color:#fff;border:0;padding:0}\n"
    ".title p{margin:0;color:#dfe7f1;font-size:10pt}\n"
    "h1{font-size:15pt;color:#1f3a5f;border-bottom:2px solid #1f3a5f;padding-bottom:1mm;"
    "margin:7mm 0 3mm}\n"
    "h2{font-size:12pt;color:#1f3a5f;margin:5mm 0 2mm}\n"
    "p{margin:0 0 2.5mm}\n"
    ".note{font-size:8.5pt;color:#5b6370;margin:1mm 0 3mm}\n"
    "table{border-collapse:collapse;width:100%;margin:2mm 0 3mm;font-size:8.8pt}\n"
    "th{background:#dde6f0;color:#1f3a5f;text-align:left;padding:1.4mm 1.6mm;"
    "border-bottom:1.5px solid #1f3a5f;vertical-align:bottom}\n"
    "td{padding:1.2mm 1.6mm;border-bottom:1px solid #d5dae1;vertical-align:top}\n"
    "tbody tr:nth-child(even) td{background:#f5f7fa}\n"
    ".r{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.ns{color:#7b828c;font-style:italic}\n"
    "tr.total td{font-weight:bold}\n"
    "figure{margin:2mm 0 3mm;break-inside:avoid;page-break-inside:avoid}\n"
    "figure img{width:100%;display:block}\n"
    "figcaption{font-size:9pt;color:#5b6370;margin-top:1mm}\n"
    "table,tr{break-inside:avoid;page-break-inside:avoid}\n"
    ".pb{break-before:page;page-break-before:always}\n"
    "@media screen{body{box-shadow:0 0 0 1px #e3e7ec}}\n";

gboolean th_report_html_write(const ThReportDoc *doc, const char *path, GError **error) {
  g_autoptr(GString) o = g_string_new(NULL);
  g_string_append_printf(o,
                         "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"generator\" content=\"taihang report\">\n"
                         "<link rel=\"icon\" href=\"data:,\">\n<title>",
                         doc->zh ? "zh-CN" : "en");
  esc(o, doc->title);
  g_string_append_printf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
  gboolean after_title = FALSE, pending_break = FALSE;
  for (guint i = 0; i < doc->blocks->len; i++) {
    const ThBlock *b = doc->blocks->pdata[i];
    if (b->kind == TH_BLOCK_PAGEBREAK) {
      pending_break = TRUE;
      continue;
    }
    if (pending_break) g_string_append(o, "<div class=\"pb\"></div>\n");
    pending_break = FALSE;
    switch (b->kind) {
    case TH_BLOCK_TITLE:
      g_string_append(o, "<header class=\"title\"><h1>");
      esc(o, b->text);
      g_string_append(o, "</h1><p>");
      esc_lines(o, b->text2);
      g_string_append(o, "</p></header>\n");
      after_title = TRUE;
      break;
    case TH_BLOCK_H1:
      g_string_append(o, "<h1>");
      esc(o, b->text);
      g_string_append(o, "</h1>\n");
      break;
    case TH_BLOCK_H2:
      g_string_append(o, "<h2>");
      esc(o, b->text);
      g_string_append(o, "</h2>\n");
      break;
    case TH_BLOCK_P:
    case TH_BLOCK_NOTE:
      g_string_append(o, b->kind == TH_BLOCK_NOTE ? "<p class=\"note\">" : "<p>");
      esc_lines(o, b->text);
      g_string_append(o, "</p>\n");
      break;
    case TH_BLOCK_TABLE:
      table_html(o, b, after_title);
      after_title = FALSE;
      break;
    case TH_BLOCK_CHART:
      if (!chart_svg(o, b->chart, error)) return FALSE;
      break;
    case TH_BLOCK_MAP:
      if (!map_png(o, doc, b, error)) return FALSE;
      break;
    case TH_BLOCK_PAGEBREAK: break;
    }
  }
  g_string_append(o, "</body>\n</html>\n");
  return th_atomic_write(path, o->str, o->len, error);
}

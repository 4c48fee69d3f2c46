/* report-pdf.c: the report as an A4 PDF drawn with cairo and pango (see
 * report.h). The same blocks as the HTML, laid out top to bottom: a block
 * that does not fit on what is left of a page starts the next one (tables
 * break between rows and repeat their header); headings stay with what
 * follows; maps are drawn as vectors by th_map_draw. */
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/chart.h"
#include "output/map.h"
#include "output/report-doc.h"

#include <cairo-pdf.h>
#include <math.h>
#include <string.h>

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN_X 45.0
#define MARGIN_TOP 48.0
#define MARGIN_BOTTOM 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)

typedef struct {
  cairo_t *cr;
  const ThReportDoc *doc;
  int page;    /* 1-based, 0 before the first */
  double y;    /* cursor */
} Pdf;

static void navy(cairo_t *cr) { cairo_set_source_rgb(cr, 0.122, 0.227, 0.373); }
static void ink(cairo_t *cr) { cairo_set_source_rgb(cr, 0.13, 0.15, 0.18); }
static void grey(cairo_t *cr) { cairo_set_source_rgb(cr, 0.36, 0.39, 0.44); }

static double bottom(void) { return PAGE_H - MARGIN_BOTTOM; }

static void footer(Pdf *p) {
  cairo_t *cr = p->cr;
  cairo_set_source_rgb(cr, 0.80, 0.83, 0.87);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, MARGIN_X, PAGE_H - 38);
  cairo_line_to(cr, PAGE_W - MARGIN_X, PAGE_H - 38);
  cairo_stroke(cr);
  PangoLayout *l = th_report_layout(cr, p->doc->title, 7.5, FALSE, 0);
  pango_layout_set_width(l, (int)(TEXT_W * 0.8 * PANGO_SCALE));
  pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  grey(cr);
  cairo_move_to(cr, MARGIN_X, PAGE_H - 34);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
  char buf[32];
  g_snprintf(buf, sizeof buf, "%d", p->page);
  l = th_report_layout(cr, buf, 8, FALSE, 0);
  PangoRectangle r;
  pango_layout_get_extents(l, NULL, &r);
  cairo_move_to(cr, PAGE_W - MARGIN_X - (double)r.width / PANGO_SCALE, PAGE_H - 34);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
}

static void new_page(Pdf *p) {
  if (p->page > 0) {
    footer(p);
    cairo_show_page(p->cr);
  }
  p->page++;
  p->y = MARGIN_TOP;
}

static void ensure(Pdf *p, double h) {
  if (p->y + h > bottom() && p->y > MARGIN_TOP + 1) new_page(p);
}

static double layout_h(PangoLayout *l) {
  PangoRectangle r;
  pango_layout_get_extents(l, NULL, &r);
  return (double)r.height / PANGO_SCALE;
}

static void title_block(Pdf *p, const ThBlock *b) {
  cairo_t *cr = p->cr;
  PangoLayout *t = th_report_layout(cr, b->text, 19, TRUE, TEXT_W);
  PangoLayout *s = th_report_layout(cr, b->text2 ? b->text2 : "", 9.5, FALSE, TEXT_W);
  double h = 30 + layout_h(t) + 8 + layout_h(s) + 18;
  navy(cr);
  cairo_rectangle(cr, 0, 0, PAGE_W, h);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_move_to(cr, MARGIN_X, 30);
  pango_cairo_show_layout(cr, t);
  cairo_set_source_rgb(cr, 0.87, 0.91, 0.95);
  cairo_move_to(cr, MARGIN_X, 30 + layout_h(t) + 8);
  pango_cairo_show_layout(cr, s);
  g_object_unref(t);
  g_object_unref(s);
  p->y = h + 16;
}

static void heading(Pdf *p, const char *text, gboolean h1) {
  cairo_t *cr = p->cr;
  PangoLayout *l = th_report_layout(cr, text, h1 ? 15 : 11.5, TRUE, TEXT_W);
  double h = layout_h(l);
  ensure(p, h + 90); /* keep with what follows */
  p->y += h1 ? 8 : 4;
  navy(cr);
  cairo_move_to(cr, MARGIN_X, p->y);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
  p->y += h + 2;
  if (h1) {
    cairo_set_line_width(cr, 1.4);
    cairo_move_to(cr, MARGIN_X, p->y);
    cairo_line_to(cr, PAGE_W - MARGIN_X, p->y);
    cairo_stroke(cr);
    p->y += 8;
  } else
    p->y += 3;
}

static void paragraph(Pdf *p, const char *text, gboolean note) {
  cairo_t *cr = p->cr;
  PangoLayout *l = th_report_layout(cr, text, note ? 8 : 9.5, FALSE, TEXT_W);
  pango_layout_set_spacing(l, (int)(2 * PANGO_SCALE));
  double h = layout_h(l);
  ensure(p, h);
  if (note)
    grey(cr);
  else
    ink(cr);
  cairo_move_to(cr, MARGIN_X, p->y);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
  p->y += h + (note ? 6 : 7);
}

/* ---- tables ---- */

#define CELL_PX 8.0
#define PAD_X 3.5
#define PAD_Y 3.0

static double natural_w(cairo_t *cr, const char *s, gboolean bold) {
  PangoLayout *l = th_report_layout(cr, s, CELL_PX, bold, 0);
  PangoRectangle r;
  pango_layout_get_extents(l, NULL, &r);
  g_object_unref(l);
  return (double)r.width / PANGO_SCALE + 2 * PAD_X + 1;
}

/* Column widths: natural widths when they fit; otherwise every column gets
 * its share of the page in proportion to its natural width, the first
 * (names) at most 30%, and text wraps; a narrow column (a short number
 * such as "-1.9", at most NARROW_W) keeps its natural width, so wide
 * columns (values with intervals) do not squeeze it into one character a
 * line. */
#define NARROW_W 48.0
static void column_widths(cairo_t *cr, const ThBlock *b, double *w) {
  double total = 0;
  for (int c = 0; c < b->n_cols; c++) {
    w[c] = 20;
    for (guint r = 0; r < b->rows->len; r++) {
      char **row = b->rows->pdata[r];
      /* headers may wrap: count half their width */
      double nw = natural_w(cr, row[c], r == 0);
      if (r == 0) nw = MIN(nw, MAX(60, nw * 0.55));
      w[c] = MAX(w[c], nw);
    }
    total += w[c];
  }
  if (total <= TEXT_W) {
    double extra = (TEXT_W - total) / b->n_cols;
    for (int c = 0; c < b->n_cols; c++) w[c] += extra;
    return;
  }
  double first = MIN(w[0], 0.30 * TEXT_W), rest = 0, narrow = 0;
  w[0] = first;
  for (int c = 1; c < b->n_cols; c++) {
    if (w[c] <= NARROW_W) narrow += w[c];
    else rest += w[c];
  }
  double room = TEXT_W - first - narrow;
  for (int c = 1; c < b->n_cols; c++)
    if (w[c] > NARROW_W || room <= 0) w[c] = w[c] / (room > 0 ? rest : rest + narrow) *
                                             (room > 0 ? room : TEXT_W - first);
}

static double row_height(cairo_t *cr, const ThBlock *b, int r, const double *w) {
  char **row = b->rows->pdata[r];
  double h = 0;
  for (int c = 0; c < b->n_cols; c++) {
    PangoLayout *l = th_report_layout(cr, row[c], CELL_PX, r == 0, w[c] - 2 * PAD_X);
    h = MAX(h, layout_h(l));
    g_object_unref(l);
  }
  return h + 2 * PAD_Y;
}

static void draw_row(Pdf *p, const ThBlock *b, int r, const double *w, double h) {
  cairo_t *cr = p->cr;
  char **row = b->rows->pdata[r];
  int flags = g_array_index(b->row_flags, int, r);
  if (r == 0)
    cairo_set_source_rgb(cr, 0.867, 0.902, 0.941);
  else if (r % 2 == 0)
    cairo_set_source_rgb(cr, 0.96, 0.97, 0.98);
  else
    cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, MARGIN_X, p->y, TEXT_W, h);
  cairo_fill(cr);
  double x = MARGIN_X;
  for (int c = 0; c < b->n_cols; c++) {
    PangoLayout *l = th_report_layout(cr, row[c], CELL_PX, r == 0 || flags == 2, w[c] - 2 * PAD_X);
    if (b->align[c] == 'r') pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    if (r == 0)
      navy(cr);
    else if (th_report_cell_ns(row[c]))
      cairo_set_source_rgb(cr, 0.48, 0.51, 0.55);
    else
      ink(cr);
    double ty = r == 0 ? p->y + h - PAD_Y - layout_h(l) : p->y + PAD_Y;
    cairo_move_to(cr, x + PAD_X, ty);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    x += w[c];
  }
  if (r == 0) {
    navy(cr);
    cairo_set_line_width(cr, 1.1);
  } else {
    cairo_set_source_rgb(cr, 0.835, 0.855, 0.882);
    cairo_set_line_width(cr, 0.5);
  }
  cairo_move_to(cr, MARGIN_X, p->y + h);
  cairo_line_to(cr, MARGIN_X + TEXT_W, p->y + h);
  cairo_stroke(cr);
  p->y += h;
}

static void table_block(Pdf *p, const ThBlock *b) {
  g_autofree double *w = g_new(double, b->n_cols);
  column_widths(p->cr, b, w);
  double hh = row_height(p->cr, b, 0, w);
  ensure(p, hh + (b->rows->len > 1 ? row_height(p->cr, b, 1, w) : 0));
  draw_row(p, b, 0, w, hh);
  for (guint r = 1; r < b->rows->len; r++) {
    double h = row_height(p->cr, b, (int)r, w);
    if (p->y + h > bottom()) {
      new_page(p);
      draw_row(p, b, 0, w, hh);
    }
    draw_row(p, b, (int)r, w, h);
  }
  p->y += 8;
}

static void chart_block(Pdf *p, const ThChart *c) {
  double w = TEXT_W, h = w * c->aspect;
  double room = bottom() - MARGIN_TOP;
  if (h > room) w = room / c->aspect, h = room;
  ensure(p, h);
  th_chart_draw(p->cr, c, MARGIN_X + 0.5 * (TEXT_W - w), p->y, w);
  p->y += h + 8;
}

static gboolean map_block(Pdf *p, const ThBlock *b, GError **error) {
  const ThReportData *d = p->doc->data;
  const ThReportScenario *s = d->scen->pdata[b->map_s];
  const ThReportScenario *base = b->map_base >= 0 ? d->scen->pdata[b->map_base] : NULL;
  ThMapOptions o = {.width = 1400, .height = 1050, .mode = b->map_mode, .metric = b->map_metric,
                    .title = b->text, .date = *p->doc->date ? p->doc->date : NULL,
                    .has_bbox = b->has_bbox};
  memcpy(o.bbox, b->bbox, sizeof o.bbox);
  /* two maps to a page: 93% of the text width leaves room for both */
  double w = 0.93 * TEXT_W, h = w * 0.75, x0 = MARGIN_X + 0.5 * (TEXT_W - w);
  ensure(p, h + 8);
  cairo_t *cr = p->cr;
  cairo_save(cr);
  cairo_translate(cr, x0, p->y);
  cairo_rectangle(cr, 0, 0, w, h);
  cairo_clip(cr);
  cairo_scale(cr, w / o.width, w / o.width);
  gboolean ok = th_map_draw(cr, s->results, base ? base->results : NULL, &o, NULL, error);
  cairo_restore(cr);
  cairo_set_source_rgb(cr, 0.80, 0.83, 0.87);
  cairo_set_line_width(cr, 0.5);
  cairo_rectangle(cr, x0, p->y, w, h);
  cairo_stroke(cr);
  p->y += h + 10;
  return ok;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len) {
  return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

gboolean th_report_pdf_write(const ThReportDoc *doc, const char *path, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(to_file, th_atomic_stream(f), PAGE_W, PAGE_H);
  cairo_pdf_surface_restrict_to_version(surf, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "taihang report");
  /* never the clock: the given date, or a fixed one */
  g_autofree char *when = *doc->date ? g_strdup_printf("%sT00:00:00", doc->date) : g_strdup("");
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, when);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, when);
  Pdf p = {cairo_create(surf), doc, 0, 0};
  new_page(&p);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < doc->blocks->len; i++) {
    const ThBlock *b = doc->blocks->pdata[i];
    switch (b->kind) {
    case TH_BLOCK_TITLE: title_block(&p, b); break;
    case TH_BLOCK_H1: heading(&p, b->text, TRUE); break;
    case TH_BLOCK_H2: heading(&p, b->text, FALSE); break;
    case TH_BLOCK_P: paragraph(&p, b->text, FALSE); break;
    case TH_BLOCK_NOTE: paragraph(&p, b->text, TRUE); break;
    case TH_BLOCK_TABLE: table_block(&p, b); break;
    case TH_BLOCK_CHART: chart_block(&p, b->chart); break;
    case TH_BLOCK_MAP: ok = map_block(&p, b, error); break;
    case TH_BLOCK_PAGEBREAK:
      if (p.y > MARGIN_TOP + 1) new_page(&p);
      break;
    }
  }
  footer(&p);
  cairo_destroy(p.cr);
  cairo_surface_finish(surf);
  cairo_status_t st = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  if (ok && st != CAIRO_STATUS_SUCCESS) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: %s", path, cairo_status_to_string(st));
    ok = FALSE;
  }
  if (!ok) return FALSE; /* f aborts: nothing left behind */
  return th_atomic_commit(g_steal_pointer(&f), error);
}

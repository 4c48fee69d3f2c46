/* report.c: `taihang report`'s one entry point (see report.h). */
#include "output/report.h"
#include "network/th-error.h"
#include "output/map.h"
#include "output/report-doc.h"

#include <glib/gstdio.h>
#include <string.h>

gboolean th_report_write(const char *compare_dir, const ThReportOptions *opts, GError **error) {
  gboolean zh = !opts->lang || strcmp(opts->lang, "en");
  g_autoptr(ThReportData) d = th_report_data_read(compare_dir, opts->validation_path, error);
  if (!d) return FALSE;
  g_autoptr(ThReportDoc) doc = th_report_doc_build(d, zh, opts->date);
  gboolean ok = !opts->html_path || th_report_html_write(doc, opts->html_path, error);
  if (ok && opts->pdf_path && !th_report_pdf_write(doc, opts->pdf_path, error)) {
    if (opts->html_path) g_unlink(opts->html_path); /* both or neither */
    ok = FALSE;
  }
  th_map_release_fonts();
  return ok;
}

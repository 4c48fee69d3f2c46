/* csv.h: a small RFC 4180 CSV reader that knows line numbers.
 *
 * Every taihang reader (GMNS nodes and links, trips, services, hubs, results)
 * goes through this so that quoting, a UTF-8 byte-order mark, CRLF line ends,
 * blank lines and `#` comment lines are handled once, and every message can
 * name FILE:LINE. Quoted fields may contain commas, quotes ("") and newlines
 * (a WKT geometry "LINESTRING (1 2, 3 4)" is the usual case).
 *
 * Usage:
 *   g_autoptr(ThCsv) csv = th_csv_open(path, &error);     // reads the header
 *   int col = th_csv_column(csv, "link_id");               // -1 if absent
 *   while (th_csv_next(csv, &error)) {                      // FALSE at end or error
 *     const char *v = th_csv_field(csv, col);               // "" when short row
 *     if (!th_csv_double(csv, col, &x, &error)) ...         // FILE:LINE: messages
 *   }
 *   if (error) ... */
#pragma once
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct ThCsv ThCsv;

/* Opens PATH and reads its header row. Returns NULL with TH_ERROR_IO when the
 * file cannot be read, TH_ERROR_PARSE when it has no header. */
ThCsv *th_csv_open(const char *path, GError **error);
/* As th_csv_open, over text already in memory; NAME is used in messages. */
ThCsv *th_csv_open_text(const char *name, const char *text, gsize len, GError **error);
void th_csv_free(ThCsv *csv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThCsv, th_csv_free)

/* Index of the header column NAME (exact, case-sensitive after trimming), or -1. */
int th_csv_column(const ThCsv *csv, const char *name);
/* Like th_csv_column, but a missing column is an error
 * "FILE:1: missing required column 'NAME' (header has: a, b, c)". */
int th_csv_require(const ThCsv *csv, const char *name, GError **error);
int th_csv_n_columns(const ThCsv *csv);
const char *th_csv_column_name(const ThCsv *csv, int col);

/* Advances to the next data row. Returns FALSE at the end of the file or on a
 * malformed row (unterminated quote), setting ERROR in the latter case only. */
gboolean th_csv_next(ThCsv *csv, GError **error);
/* Field COL of the current row, trimmed of surrounding spaces; "" if COL < 0
 * or the row is shorter. Valid until the next th_csv_next. */
const char *th_csv_field(const ThCsv *csv, int col);
int th_csv_n_fields(const ThCsv *csv);
/* Line number (1-based) where the current row starts. */
int th_csv_line(const ThCsv *csv);
const char *th_csv_path(const ThCsv *csv);

/* Typed access with FILE:LINE messages. An empty field is an error unless a
 * default is given through the _or variants, which return DEF for "". */
gboolean th_csv_double(const ThCsv *csv, int col, double *out, GError **error);
gboolean th_csv_double_or(const ThCsv *csv, int col, double def, double *out, GError **error);
gboolean th_csv_int64(const ThCsv *csv, int col, int64_t *out, GError **error);
/* Parses "HH:MM:SS", "HH:MM" or plain seconds into seconds. */
gboolean th_csv_time(const ThCsv *csv, int col, int64_t *out_s, GError **error);

/* Parses a number; TRUE only if the whole (trimmed) string is a finite double. */
gboolean th_parse_double(const char *s, double *out);
gboolean th_parse_int64(const char *s, int64_t *out);
gboolean th_parse_time(const char *s, int64_t *out_s);

/* Appends a message "FILE:LINE: fmt" to a list of problems (for validators
 * that report every problem, not only the first). */
void th_problems_add(GPtrArray *problems, const char *file, int line, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* If PROBLEMS holds any message, sets ERROR (domain TH_ERROR, code CODE) to
 * all of them, one per line, and returns TRUE; FALSE when it is empty. */
gboolean th_problems_to_error(const GPtrArray *problems, int code, GError **error);
/* The end of a reader's row loop: READ_ERROR (th_csv_next's, taken over)
 * comes first, else the PROBLEMS as one error of CODE (as
 * th_problems_to_error). TRUE when there is neither. */
gboolean th_csv_read_end(GError *read_error, const GPtrArray *problems, int code, GError **error);

/* Appends V to OUT as one CSV field, quoted when it holds a comma, a quote
 * or a line break (RFC 4180), starts or ends with a space or starts with '#'
 * (so th_csv_next reads back exactly V). NULL appends nothing. */
void th_csv_append_field(GString *out, const char *v);
/* Writes V to OUT as one CSV field, quoted as th_csv_append_field does. */
void th_csv_write_field(FILE *out, const char *v);

G_END_DECLS

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

/* Opens PATH and reads its header row. Returns NULL with TH_ERROR_INVALID
 * "PATH: cannot read (reason)" when the file cannot be read (a file the
 * planner named is bad input, exit 2), TH_ERROR_PARSE when it has no header
 * or is not UTF-8 (the message names the line of the first bad byte). */
ThCsv *th_csv_open(const char *path, GError **error);
/* As th_csv_open, over text already in memory; NAME is used in messages. */
ThCsv *th_csv_open_text(const char *name, const char *text, gsize len, GError **error);
void th_csv_free(ThCsv *csv);

/* Reads a whole input file; on failure TH_ERROR_INVALID "PATH: cannot read
 * (reason)", with the reason errno gives (a dangling or looping symlink, no
 * permission, a folder). */
gboolean th_input_read(const char *path, char **text, gsize *len, GError **error);
/* Text input that is not CSV (scenario and sweep .ini files): drops a
 * leading UTF-8 byte-order mark from TEXT (NUL-terminated, *LEN bytes;
 * in place) and checks the rest is UTF-8. FALSE with TH_ERROR_PARSE
 * "NAME:LINE: not valid UTF-8 (...)" at the line of the first bad byte. */
gboolean th_input_text_check(const char *name, char *text, gsize *len, GError **error);
/* TRUE if anything is at PATH, even a dangling symlink: an optional input
 * that is present but unreadable must be an error, not silently absent. */
gboolean th_input_present(const char *path);
/* 1-based line number of byte OFF of TEXT (LF, CRLF or CR line ends). */
int th_text_line_at(const char *text, gsize off);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThCsv, th_csv_free)

/* Index of the header column NAME (exact, case-sensitive after trimming), or -1. */
int th_csv_column(const ThCsv *csv, const char *name);
/* Like th_csv_column, but a missing column is an error
 * "FILE:1: missing required column 'NAME' (header has: a, b, c)". */
int th_csv_require(const ThCsv *csv, const char *name, GError **error);
int th_csv_n_columns(const ThCsv *csv);
const char *th_csv_column_name(const ThCsv *csv, int col);

/* Advances to the next data row. Returns FALSE at the end of the file or on a
 * malformed row, setting ERROR in the latter case only: an unterminated
 * quote, or more non-empty fields than the header has columns (an unquoted
 * comma, such as a thousands separator: 120,000). Line ends may be LF, CRLF
 * or a lone CR. */
gboolean th_csv_next(ThCsv *csv, GError **error);
/* Field COL of the current row, trimmed of surrounding spaces; "" if COL < 0
 * or the row is shorter. Valid until the next th_csv_next. */
const char *th_csv_field(const ThCsv *csv, int col);
/* Line number (1-based) where the current row starts. */
int th_csv_line(const ThCsv *csv);
const char *th_csv_path(const ThCsv *csv);

/* Typed access with FILE:LINE messages. An empty field is an error unless a
 * default is given through the _or variants, which return DEF for "". */
gboolean th_csv_double(const ThCsv *csv, int col, double *out, GError **error);
gboolean th_csv_double_or(const ThCsv *csv, int col, double def, double *out, GError **error);

/* The largest time th_parse_time accepts, in seconds (about 31.7 years):
 * far beyond any horizon, and far from int64 overflow in any sum of times. */
#define TH_TIME_MAX_S ((int64_t)1000000000)

/* Parses a number; TRUE only if the whole (trimmed) string is a finite double. */
gboolean th_parse_double(const char *s, double *out);
gboolean th_parse_int64(const char *s, int64_t *out);
/* "HH:MM:SS", "HH:MM" (minutes and seconds below 60) or whole seconds; FALSE
 * beyond +-TH_TIME_MAX_S, so no input can overflow. */
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

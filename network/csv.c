/* csv.c: RFC 4180 CSV reading with line numbers (see csv.h).
 *
 * The whole file is read into memory once: network and demand files are at
 * most a few hundred MB, and a single buffer keeps the parser a simple loop
 * with no refills. Fields are unescaped into a reusable GString arena. */
#include "network/csv.h"
#include "network/th-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ThCsv {
  char *path;
  char *text;       /* whole file, owned */
  gsize len, pos;
  int line;         /* line of the next unread character */
  int row_line;     /* line where the current row starts */
  int header_line;  /* line of the header row (after comments and blank lines) */
  GPtrArray *header;   /* char* */
  GString *buf;        /* unescaped fields, NUL separated */
  GArray *offsets;     /* gsize offsets into buf */
  GArray *quoted_end;  /* per field: 0 if unquoted, else 1 + offset of its closing quote */
};

static void csv_clear_row(ThCsv *csv) {
  g_string_truncate(csv->buf, 0);
  g_array_set_size(csv->offsets, 0);
  g_array_set_size(csv->quoted_end, 0);
}

static char *trim_inplace(char *s) { return g_strstrip(s); }

/* Reads one physical row (which may span lines inside quotes) into buf.
 * Returns 1 for a row, 0 at EOF, -1 on error. Skips blank and # lines. */
static int csv_read_row(ThCsv *csv, GError **error) {
  for (;;) {
    if (csv->pos >= csv->len) return 0;
    /* skip blank lines and comment lines starting with '#' */
    const char *p = csv->text + csv->pos;
    gsize rest = csv->len - csv->pos;
    gsize i = 0;
    while (i < rest && (p[i] == ' ' || p[i] == '\t')) i++;
    if (i == rest || p[i] == '\n' || p[i] == '\r' || p[i] == '#') {
      /* to the end of the line: LF, CRLF or a lone CR (old Mac, Excel
       * "CSV (Macintosh)") */
      while (i < rest && p[i] != '\n' && p[i] != '\r') i++;
      if (i < rest && p[i] == '\r' && i + 1 < rest && p[i + 1] == '\n') i++;
      csv->pos += (i < rest) ? i + 1 : i;
      csv->line++;
      continue;
    }
    break;
  }
  csv_clear_row(csv);
  csv->row_line = csv->line;
  gsize start_off = 0;
  gboolean in_quotes = FALSE, was_quoted = FALSE;
  g_array_append_val(csv->offsets, start_off);
  gsize no_quote = 0;
  g_array_append_val(csv->quoted_end, no_quote);
  while (csv->pos < csv->len) {
    char c = csv->text[csv->pos++];
    if (in_quotes) {
      if (c == '"') {
        if (csv->pos < csv->len && csv->text[csv->pos] == '"') {
          g_string_append_c(csv->buf, '"');
          csv->pos++;
        } else {
          in_quotes = FALSE;
          g_array_index(csv->quoted_end, gsize, csv->quoted_end->len - 1) = csv->buf->len + 1;
        }
      } else {
        if (c == '\n' || (c == '\r' && (csv->pos >= csv->len || csv->text[csv->pos] != '\n')))
          csv->line++;
        g_string_append_c(csv->buf, c);
      }
      continue;
    }
    if (c == '"') {
      /* a quote opens quoting only at the start of a field (after spaces) */
      gsize field_start = g_array_index(csv->offsets, gsize, csv->offsets->len - 1);
      gboolean only_space = TRUE;
      for (gsize k = field_start; k < csv->buf->len; k++)
        if (csv->buf->str[k] != ' ' && csv->buf->str[k] != '\t') only_space = FALSE;
      if (only_space && !was_quoted) {
        g_string_truncate(csv->buf, field_start);
        in_quotes = TRUE;
        was_quoted = TRUE;
      } else {
        g_string_append_c(csv->buf, c);
      }
    } else if (c == ',') {
      g_string_append_c(csv->buf, '\0');
      gsize off = csv->buf->len;
      g_array_append_val(csv->offsets, off);
      g_array_append_val(csv->quoted_end, no_quote);
      was_quoted = FALSE;
    } else if (c == '\n') {
      csv->line++;
      break;
    } else if (c == '\r') {
      /* CR of CRLF is skipped; a lone CR ends the line (old Mac line ends,
       * which Excel still writes as "CSV (Macintosh)") */
      if (csv->pos >= csv->len || csv->text[csv->pos] != '\n') {
        csv->line++;
        break;
      }
    } else {
      g_string_append_c(csv->buf, c);
    }
  }
  if (in_quotes) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:%d: unterminated quoted field (a closing \" was expected)", csv->path,
                csv->row_line);
    return -1;
  }
  g_string_append_c(csv->buf, '\0');
  /* trim each field in place */
  return 1;
}

static ThCsv *csv_init(const char *name, char *text, gsize len, GError **error) {
  ThCsv *csv = g_new0(ThCsv, 1);
  csv->path = g_strdup(name);
  csv->text = text;
  csv->len = len;
  csv->line = 1;
  csv->header = g_ptr_array_new_with_free_func(g_free);
  csv->buf = g_string_new(NULL);
  csv->offsets = g_array_new(FALSE, FALSE, sizeof(gsize));
  csv->quoted_end = g_array_new(FALSE, FALSE, sizeof(gsize));
  /* UTF-8 byte-order mark, as spreadsheet programs write it */
  if (len >= 3 && (guchar)text[0] == 0xEF && (guchar)text[1] == 0xBB && (guchar)text[2] == 0xBF)
    csv->pos = 3;
  const char *bad = NULL;
  if (!g_utf8_validate_len(text + csv->pos, len - csv->pos, &bad)) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:%d: not valid UTF-8 (byte 0x%02X; save the file as UTF-8)", name,
                th_text_line_at(text, (gsize)(bad - text)), (guchar)*bad);
    th_csv_free(csv);
    return NULL;
  }
  int r = csv_read_row(csv, error);
  if (r <= 0) {
    if (r == 0)
      g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                  "%s:1: file is empty (a header row was expected)", name);
    th_csv_free(csv);
    return NULL;
  }
  for (guint i = 0; i < csv->offsets->len; i++) {
    char *f = g_strdup(csv->buf->str + g_array_index(csv->offsets, gsize, i));
    g_ptr_array_add(csv->header, trim_inplace(f));
  }
  csv->header_line = csv->row_line;
  return csv;
}

int th_text_line_at(const char *text, gsize off) {
  int line = 1;
  for (gsize i = 0; i < off; i++)
    if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n')) line++;
  return line;
}

gboolean th_input_text_check(const char *name, char *text, gsize *len, GError **error) {
  if (*len >= 3 && (guchar)text[0] == 0xEF && (guchar)text[1] == 0xBB && (guchar)text[2] == 0xBF) {
    memmove(text, text + 3, *len - 3 + 1); /* with the terminating NUL */
    *len -= 3;
  }
  const char *bad = NULL;
  if (g_utf8_validate_len(text, *len, &bad)) return TRUE;
  g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
              "%s:%d: not valid UTF-8 (byte 0x%02X; save the file as UTF-8: a file in GB18030 "
              "or GBK is the usual case)",
              name, th_text_line_at(text, (gsize)(bad - text)), (guchar)*bad);
  return FALSE;
}

gboolean th_input_present(const char *path) {
  GStatBuf st;
  return g_lstat(path, &st) == 0;
}

gboolean th_input_read(const char *path, char **text, gsize *len, GError **error) {
  /* g_file_get_contents's own message repeats the path; keep only errno's
   * reason. A dangling or looping symlink, a folder or a file without read
   * permission are all bad input (exit 2), not a run-time failure. */
  GError *local = NULL;
  if (g_file_get_contents(path, text, len, &local)) return TRUE;
  const char *reason = local->message;
  int err = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    err = errno;
  else
    close(fd);
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) err = EISDIR;
  if (err) reason = g_strerror(err);
  g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: cannot read (%s)", path, reason);
  g_error_free(local);
  return FALSE;
}

ThCsv *th_csv_open(const char *path, GError **error) {
  char *text = NULL;
  gsize len = 0;
  if (!th_input_read(path, &text, &len, error)) return NULL;
  return csv_init(path, text, len, error);
}

ThCsv *th_csv_open_text(const char *name, const char *text, gsize len, GError **error) {
  char *copy = g_malloc(len + 1);
  memcpy(copy, text, len);
  copy[len] = '\0';
  return csv_init(name, copy, len, error);
}

void th_csv_free(ThCsv *csv) {
  if (!csv) return;
  g_free(csv->path);
  g_free(csv->text);
  g_ptr_array_unref(csv->header);
  g_string_free(csv->buf, TRUE);
  g_array_unref(csv->offsets);
  g_array_unref(csv->quoted_end);
  g_free(csv);
}

int th_csv_column(const ThCsv *csv, const char *name) {
  for (guint i = 0; i < csv->header->len; i++)
    if (strcmp(g_ptr_array_index(csv->header, i), name) == 0) return (int)i;
  return -1;
}

int th_csv_require(const ThCsv *csv, const char *name, GError **error) {
  int c = th_csv_column(csv, name);
  if (c < 0) {
    g_autoptr(GString) cols = g_string_new(NULL);
    for (guint i = 0; i < csv->header->len; i++)
      g_string_append_printf(cols, "%s%s", i ? ", " : "",
                             (char *)g_ptr_array_index(csv->header, i));
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:%d: missing required column '%s' (header has: %s)", csv->path, csv->header_line,
                name, cols->str);
  }
  return c;
}

int th_csv_n_columns(const ThCsv *csv) { return (int)csv->header->len; }
const char *th_csv_column_name(const ThCsv *csv, int col) {
  return (col >= 0 && (guint)col < csv->header->len) ? g_ptr_array_index(csv->header, col) : NULL;
}

gboolean th_csv_next(ThCsv *csv, GError **error) {
  int r = csv_read_row(csv, error);
  if (r <= 0) return FALSE;
  /* Unquoted fields are trimmed of surrounding spaces; a quoted field keeps
   * exactly what stood between its quotes (spaces after the closing quote
   * are dropped). */
  for (guint i = 0; i < csv->offsets->len; i++) {
    char *f = csv->buf->str + g_array_index(csv->offsets, gsize, i);
    gsize qend = g_array_index(csv->quoted_end, gsize, i);
    if (qend)
      csv->buf->str[qend - 1] = '\0';
    else
      trim_inplace(f);
  }
  /* More fields than the header names is never a format we write or read:
   * it is nearly always a value with an unquoted comma (a thousands
   * separator, 120,000, or a decimal comma, 19,65), and taking the row as
   * it stands would shift every later column. Empty trailing fields (a
   * spreadsheet's trailing commas) carry nothing and are allowed. */
  guint n_header = csv->header->len;
  for (guint i = n_header; i < csv->offsets->len; i++) {
    if (*th_csv_field(csv, (int)i) == '\0') continue;
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:%d: %u fields where the header has %u (a value with an unquoted comma, such "
                "as a thousands separator in 120,000 or a decimal comma in 19,65? write 120000 "
                "and 19.65, or quote the value)",
                csv->path, csv->row_line, csv->offsets->len, n_header);
    return FALSE;
  }
  return TRUE;
}

const char *th_csv_field(const ThCsv *csv, int col) {
  if (col < 0 || (guint)col >= csv->offsets->len) return "";
  return csv->buf->str + g_array_index(csv->offsets, gsize, col);
}

int th_csv_line(const ThCsv *csv) { return csv->row_line; }
const char *th_csv_path(const ThCsv *csv) { return csv->path; }

gboolean th_parse_double(const char *s, double *out) {
  if (!s || !*s) return FALSE;
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod(s, &end);
  if (end == s || errno == ERANGE) return FALSE;
  while (*end == ' ' || *end == '\t') end++;
  if (*end != '\0' || !isfinite(v)) return FALSE;
  *out = v;
  return TRUE;
}

gboolean th_parse_int64(const char *s, int64_t *out) {
  if (!s || !*s) return FALSE;
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll(s, &end, 10);
  if (end == s || errno == ERANGE) return FALSE;
  while (*end == ' ' || *end == '\t') end++;
  if (*end != '\0') return FALSE;
  *out = v;
  return TRUE;
}

gboolean th_parse_time(const char *s, int64_t *out_s) {
  if (!s || !*s) return FALSE;
  if (strchr(s, ':') == NULL) {
    double v;
    /* the range test comes before the cast: a double beyond int64 (1e21)
     * converted to an integer is undefined and came out negative */
    if (!th_parse_double(s, &v) || v != floor(v) || fabs(v) > (double)TH_TIME_MAX_S) return FALSE;
    *out_s = (int64_t)v;
    return TRUE;
  }
  g_auto(GStrv) parts = g_strsplit(s, ":", -1);
  guint n = g_strv_length(parts);
  if (n < 2 || n > 3) return FALSE;
  int64_t v[3] = {0, 0, 0};
  for (guint i = 0; i < n; i++) {
    if (!th_parse_int64(parts[i], &v[i]) || v[i] < 0) return FALSE;
    if (i > 0 && v[i] >= 60) return FALSE;
  }
  /* hours * 3600 would overflow int64 (5124095576030432:00 wrapped to
   * 00:59:44); anything past TH_TIME_MAX_S is no time of a model day */
  if (v[0] > TH_TIME_MAX_S / 3600) return FALSE;
  *out_s = v[0] * 3600 + v[1] * 60 + v[2];
  return TRUE;
}

static gboolean csv_number_error(const ThCsv *csv, int col, const char *what, GError **error) {
  const char *name = th_csv_column_name(csv, col);
  const char *v = th_csv_field(csv, col);
  if (!*v)
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:%d: %s is empty (%s was expected)", csv->path,
                csv->row_line, name ? name : "field", what);
  else
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:%d: %s '%s' is not %s", csv->path,
                csv->row_line, name ? name : "field", v, what);
  return FALSE;
}

gboolean th_csv_double(const ThCsv *csv, int col, double *out, GError **error) {
  if (th_parse_double(th_csv_field(csv, col), out)) return TRUE;
  return csv_number_error(csv, col, "a finite number", error);
}

gboolean th_csv_double_or(const ThCsv *csv, int col, double def, double *out, GError **error) {
  const char *v = th_csv_field(csv, col);
  if (!*v) {
    *out = def;
    return TRUE;
  }
  return th_csv_double(csv, col, out, error);
}

void th_problems_add(GPtrArray *problems, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (line > 0)
    g_ptr_array_add(problems, g_strdup_printf("%s:%d: %s", file, line, msg));
  else
    g_ptr_array_add(problems, g_strdup_printf("%s: %s", file, msg));
}

gboolean th_problems_to_error(const GPtrArray *problems, int code, GError **error) {
  if (!problems || problems->len == 0) return FALSE;
  g_autoptr(GString) msg = g_string_new(NULL);
  for (guint i = 0; i < problems->len; i++) {
    const char *p = g_ptr_array_index(problems, i);
    if (!p) break; /* tolerate a NULL-terminated array */
    if (i) g_string_append_c(msg, '\n');
    g_string_append(msg, p);
  }
  g_set_error_literal(error, TH_ERROR, code, msg->str);
  return TRUE;
}

void th_csv_append_field(GString *out, const char *v) {
  if (!v) return;
  gsize n = strlen(v);
  /* quote also what the reader would change: surrounding spaces are trimmed
   * and a line starting with '#' is a comment */
  gboolean quote = strpbrk(v, ",\"\r\n") != NULL ||
                   (n > 0 && (v[0] == ' ' || v[n - 1] == ' ' || v[0] == '#'));
  if (!quote) {
    g_string_append(out, v);
    return;
  }
  g_string_append_c(out, '"');
  for (const char *p = v; *p; p++) {
    if (*p == '"') g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

void th_csv_write_field(FILE *out, const char *v) {
  g_autoptr(GString) s = g_string_new(NULL);
  th_csv_append_field(s, v);
  fwrite(s->str, 1, s->len, out);
}

gboolean th_csv_read_end(GError *read_error, const GPtrArray *problems, int code, GError **error) {
  if (read_error) {
    g_propagate_error(error, read_error);
    return FALSE;
  }
  return !th_problems_to_error(problems, code, error);
}

/* test_csv.c: the CSV reader: quoting, comments, BOM, line numbers, typed fields. */
#include "network/csv.h"
#include "network/th-error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void test_quoting(void) {
  const char *text = "\xEF\xBB\xBFid, name ,geometry\r\n"
                     "# a comment\n"
                     "\n"
                     "1,\"a, b\",\"LINESTRING (1 2, 3 4)\"\r\n"
                     "2,\"say \"\"hi\"\"\",\"multi\nline\"\n"
                     "3,short\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("t.csv", text, strlen(text), &e);
  g_assert_no_error(e);
  g_assert_cmpint(th_csv_column(c, "name"), ==, 1);
  g_assert_cmpint(th_csv_column(c, "nope"), ==, -1);
  g_assert_true(th_csv_next(c, &e));
  g_assert_cmpint(th_csv_line(c), ==, 4);
  g_assert_cmpstr(th_csv_field(c, 1), ==, "a, b");
  g_assert_cmpstr(th_csv_field(c, 2), ==, "LINESTRING (1 2, 3 4)");
  g_assert_true(th_csv_next(c, &e));
  g_assert_cmpint(th_csv_line(c), ==, 5);
  g_assert_cmpstr(th_csv_field(c, 1), ==, "say \"hi\"");
  g_assert_cmpstr(th_csv_field(c, 2), ==, "multi\nline");
  g_assert_true(th_csv_next(c, &e));
  g_assert_cmpint(th_csv_line(c), ==, 7);
  g_assert_cmpstr(th_csv_field(c, 2), ==, "");
  g_assert_false(th_csv_next(c, &e));
  g_assert_no_error(e);
}

static void test_errors(void) {
  const char *text = "a,b\n1,x\n2,\"open\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("bad.csv", text, strlen(text), &e);
  g_assert_no_error(e);
  g_assert_true(th_csv_next(c, &e));
  double d;
  g_assert_false(th_csv_double(c, 1, &d, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  g_assert_cmpstr(e->message, ==, "bad.csv:2: b 'x' is not a finite number");
  g_clear_error(&e);
  g_assert_cmpint(th_csv_require(c, "zz", &e), ==, -1);
  g_assert_cmpstr(e->message, ==, "bad.csv:1: missing required column 'zz' (header has: a, b)");
  g_clear_error(&e);
  g_assert_false(th_csv_next(c, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  g_assert_nonnull(strstr(e->message, "bad.csv:3: unterminated"));
}

static void test_parse(void) {
  int64_t t;
  double d;
  g_assert_true(th_parse_time("07:30:15", &t));
  g_assert_cmpint(t, ==, 7 * 3600 + 30 * 60 + 15);
  g_assert_true(th_parse_time("25:00", &t));
  g_assert_cmpint(t, ==, 25 * 3600);
  g_assert_true(th_parse_time("3600", &t));
  g_assert_cmpint(t, ==, 3600);
  g_assert_false(th_parse_time("7:61", &t));
  g_assert_false(th_parse_time("abc", &t));
  g_assert_false(th_parse_double("nan", &d));
  g_assert_false(th_parse_double("inf", &d));
  g_assert_false(th_parse_double("1.5x", &d));
  g_assert_true(th_parse_double(" 1.5e3 ", &d));
  g_assert_cmpfloat(d, ==, 1500.0);
}

static void test_header_after_comments(void) {
  const char *text = "# exported by a spreadsheet\n\n a , b\n1,2\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("h.csv", text, strlen(text), &e);
  g_assert_no_error(e);
  g_assert_cmpint(th_csv_column(c, "b"), ==, 1);
  g_assert_cmpint(th_csv_require(c, "zz", &e), ==, -1);
  g_assert_cmpstr(e->message, ==, "h.csv:3: missing required column 'zz' (header has: a, b)");
  g_clear_error(&e);
  g_assert_true(th_csv_next(c, &e));
  g_assert_cmpint(th_csv_line(c), ==, 4);
}

/* Whatever th_csv_append_field writes, the reader gives back exactly. */
static void test_field_roundtrip(void) {
  const char *values[] = {"plain", "a, b", "say \"hi\"", "two\nlines", " lead", "trail ",
                          "#not a comment", "阳城", "", "LINESTRING (1 2, 3 4)"};
  g_autoptr(GString) text = g_string_new("k,v,end\n");
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    g_string_append_printf(text, "%" G_GSIZE_FORMAT ",", i);
    th_csv_append_field(text, values[i]);
    g_string_append(text, ",x\n");
  }
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("r.csv", text->str, text->len, &e);
  g_assert_no_error(e);
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    if (!*values[i] && i == 0) continue;
    g_assert_true(th_csv_next(c, &e));
    g_assert_cmpstr(th_csv_field(c, 1), ==, values[i]);
    g_assert_cmpstr(th_csv_field(c, 2), ==, "x");
  }
  g_assert_false(th_csv_next(c, &e));
  g_assert_no_error(e);
}

static void test_problems_to_error(void) {
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) e = NULL;
  g_assert_false(th_problems_to_error(pr, TH_ERROR_INVALID, &e));
  g_assert_no_error(e);
  th_problems_add(pr, "a.csv", 3, "bad %s", "x");
  th_problems_add(pr, "a.csv", 0, "missing");
  g_assert_true(th_problems_to_error(pr, TH_ERROR_PARSE, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  g_assert_cmpstr(e->message, ==, "a.csv:3: bad x\na.csv: missing");
  g_assert_cmpuint(pr->len, ==, 2); /* the list is left as it was */
}

/* Issue 17, defect 2: times past int64 wrapped (5124095576030432:00 was read
 * as 00:59:44) and 1e21 seconds became negative. Both are refused now. */
static void test_time_overflow(void) {
  int64_t t = 12345;
  g_assert_false(th_parse_time("5124095576030432:00", &t));
  g_assert_false(th_parse_time("5124095576030432:00:00", &t));
  g_assert_false(th_parse_time("1e21", &t));
  g_assert_false(th_parse_time("-1e21", &t));
  g_assert_false(th_parse_time("9223372036854775807", &t));
  g_assert_cmpint(t, ==, 12345); /* untouched on failure */
  g_assert_true(th_parse_time("277777:00", &t));
  g_assert_cmpint(t, ==, (int64_t)277777 * 3600);
  g_assert_false(th_parse_time("277778:00", &t));
  g_assert_true(th_parse_time("1000000000", &t));
  g_assert_false(th_parse_time("1000000001", &t));
}

/* Issue 17, defect 3: an unquoted 120,000 became 120 and shifted the later
 * columns; a row with more (non-empty) fields than the header is refused. */
static void test_extra_fields(void) {
  const char *text = "node_id,x_coord,y_coord,zone_id\n"
                     "1,112.8,35.5,1\n"
                     "2,112.9,35.6,,\n"   /* a trailing empty field is harmless */
                     "3,120,000,35.6,3\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("node.csv", text, strlen(text), &e);
  g_assert_no_error(e);
  g_assert_true(th_csv_next(c, &e));
  g_assert_true(th_csv_next(c, &e));
  g_assert_no_error(e);
  g_assert_false(th_csv_next(c, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  g_assert_true(g_str_has_prefix(e->message, "node.csv:4: 5 fields where the header has 4"));
  g_assert_nonnull(strstr(e->message, "thousands separator"));
}

/* Issue 17, defect 4: with CR-only line ends (Excel "CSV (Macintosh)") the
 * whole file was one header row, so a network read as 0 nodes. */
static void test_cr_line_ends(void) {
  const char *text = "a,b\r1,\"x\ry\"\r\r# note\r2,z\r";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("mac.csv", text, strlen(text), &e);
  g_assert_no_error(e);
  g_assert_cmpint(th_csv_n_columns(c), ==, 2);
  g_assert_true(th_csv_next(c, &e));
  g_assert_cmpint(th_csv_line(c), ==, 2);
  g_assert_cmpstr(th_csv_field(c, 0), ==, "1");
  g_assert_cmpstr(th_csv_field(c, 1), ==, "x\ry");
  g_assert_true(th_csv_next(c, &e));
  g_assert_cmpint(th_csv_line(c), ==, 6);
  g_assert_cmpstr(th_csv_field(c, 1), ==, "z");
  g_assert_false(th_csv_next(c, &e));
  g_assert_no_error(e);
}

/* Issue 17, defect 6: invalid UTF-8 was always reported at line 1. */
static void test_utf8_line(void) {
  const char *text = "a,b\n1,ok\n2,\xD1\xF4\xB3\xC7\n";  /* 阳城 in GB18030 on line 3 */
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCsv) c = th_csv_open_text("gb.csv", text, strlen(text), &e);
  g_assert_null(c);
  g_assert_error(e, TH_ERROR, TH_ERROR_PARSE);
  g_assert_true(g_str_has_prefix(e->message, "gb.csv:3: not valid UTF-8"));
}

/* Issue 17, defect 5: a file that cannot be read (here a dangling symlink)
 * is bad input with its name and the reason. */
static void test_unreadable(void) {
  g_autofree char *dir = g_dir_make_tmp("taihang-csv-XXXXXX", NULL);
  g_autofree char *p = g_build_filename(dir, "services.csv", NULL);
  g_assert_cmpint(symlink("nowhere.csv", p), ==, 0);
  g_assert_true(th_input_present(p));
  g_autoptr(GError) e = NULL;
  g_assert_null(th_csv_open(p, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_autofree char *want = g_strdup_printf("%s: cannot read (No such file or directory)", p);
  g_assert_cmpstr(e->message, ==, want);
  g_unlink(p);
  g_assert_false(th_input_present(p));
  g_rmdir(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/csv/time-overflow", test_time_overflow);
  g_test_add_func("/csv/extra-fields", test_extra_fields);
  g_test_add_func("/csv/cr-line-ends", test_cr_line_ends);
  g_test_add_func("/csv/utf8-line", test_utf8_line);
  g_test_add_func("/csv/unreadable", test_unreadable);
  g_test_add_func("/csv/quoting", test_quoting);
  g_test_add_func("/csv/errors", test_errors);
  g_test_add_func("/csv/parse", test_parse);
  g_test_add_func("/csv/header-after-comments", test_header_after_comments);
  g_test_add_func("/csv/field-roundtrip", test_field_roundtrip);
  g_test_add_func("/csv/problems-to-error", test_problems_to_error);
  return g_test_run();
}

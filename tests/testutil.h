/* testutil.h: helpers shared by the test programs. */
#pragma once
#include <glib.h>

/* Path of a file in the source tree, e.g. th_test_src("tests/data/x.csv"). */
char *th_test_src(const char *rel);
/* A fresh temporary folder (removed by th_test_rmtree). */
char *th_test_tmpdir(void);
void th_test_rmtree(const char *dir);
/* Writes TEXT to DIR/NAME and returns the path. */
char *th_test_write(const char *dir, const char *name, const char *text);
/* Runs the built `taihang` with ARGS (NULL-terminated); returns its exit status
 * and, if non-NULL, its standard output and error. */
int th_test_taihang(char **out, char **err, ...) G_GNUC_NULL_TERMINATED;
/* Path of ../shared/REL if present (benchmarks and optional tests), else NULL. */
char *th_test_shared(const char *rel);

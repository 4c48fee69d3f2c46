/* testutil.c: helpers shared by the test programs (see testutil.h). */
#include "tests/testutil.h"
#include "network/stale.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>

char *th_test_src(const char *rel) {
  const char *root = g_getenv("TH_SOURCE_ROOT");
  return g_build_filename(root ? root : ".", rel, NULL);
}

char *th_test_tmpdir(void) {
  GError *e = NULL;
  char *d = g_dir_make_tmp("taihang-test-XXXXXX", &e);
  g_assert_no_error(e);
  return d;
}

void th_test_rmtree(const char *dir) { th_rmtree(dir); /* network/stale.h */ }

char *th_test_write(const char *dir, const char *name, const char *text) {
  char *p = g_build_filename(dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname(p);
  g_mkdir_with_parents(parent, 0755);
  GError *e = NULL;
  g_file_set_contents(p, text, -1, &e);
  g_assert_no_error(e);
  return p;
}

int th_test_taihang(char **out, char **err, ...) {
  GPtrArray *argv = g_ptr_array_new();
  const char *exe = g_getenv("TH_TAIHANG");
  g_ptr_array_add(argv, (char *)(exe ? exe : "taihang"));
  va_list ap;
  va_start(ap, err);
  const char *a;
  while ((a = va_arg(ap, const char *))) g_ptr_array_add(argv, (char *)a);
  va_end(ap);
  g_ptr_array_add(argv, NULL);
  int status = -1;
  GError *e = NULL;
  char *o = NULL, *r = NULL;
  gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &o, &r,
                             &status, &e);
  g_assert_no_error(e);
  g_assert_true(ok);
  g_ptr_array_free(argv, TRUE);
  if (out) *out = o; else g_free(o);
  if (err) *err = r; else g_free(r);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

char *th_test_shared(const char *rel) {
  const char *root = g_getenv("TH_SOURCE_ROOT");
  char *p = g_build_filename(root ? root : ".", "..", "shared", rel, NULL);
  if (g_file_test(p, G_FILE_TEST_EXISTS)) return p;
  g_free(p);
  return NULL;
}

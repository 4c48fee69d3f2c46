/* test_cli.c: the command as a whole: version, usage, and UTF-8 arguments
 * under a locale that is not UTF-8 (a fresh machine or a cron job). */
#include "tests/testutil.h"

#include <string.h>
#include <sys/wait.h>

/* Runs taihang with ARGV under the environment ENVP; returns the exit status. */
static int run_env(char **envp, char **err, const char *const *args) {
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, (char *)g_getenv("TH_TAIHANG"));
  for (const char *const *a = args; *a; a++) g_ptr_array_add(argv, (char *)*a);
  g_ptr_array_add(argv, NULL);
  int status = -1;
  GError *e = NULL;
  g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
               &status, &e);
  g_assert_no_error(e);
  g_ptr_array_free(argv, TRUE);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_version_usage(void) {
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "--version", NULL), ==, 0);
  g_assert_true(g_str_has_prefix(out, "taihang "));
  g_assert_cmpint(th_test_taihang(NULL, &err, "no-such-command", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "unknown command 'no-such-command'"));
}

static void test_utf8_args_in_c_locale(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "skim.csv", NULL);
  g_autofree char *net = th_test_src("scenarios/sample");
  char *envp[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
  const char *args[] = {"skim", net, "--out", out, "--from", "阳城县城 (凤城镇)", NULL};
  g_autofree char *err = NULL;
  int status = run_env(envp, &err, args);
  if (status != 0) g_printerr("%s", err);
  g_assert_cmpint(status, ==, 0);
  g_assert_true(g_file_test(out, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/cli/version-usage", test_version_usage);
  g_test_add_func("/cli/utf8-args-in-c-locale", test_utf8_args_in_c_locale);
  return g_test_run();
}

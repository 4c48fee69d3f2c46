/* cli.c: shared plumbing of the subcommands. */
#include "scenarios/cli.h"
#include "network/th-error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gboolean th_cli_parse(const char *name, const char *params, const char *summary,
                      const GOptionEntry *entries, int *argc, char ***argv) {
  g_autoptr(GOptionContext) ctx = g_option_context_new(params);
  g_option_context_set_summary(ctx, summary);
  if (entries) g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &error)) {
    fprintf(stderr, "taihang %s: %s (see taihang %s --help)\n", name, error->message, name);
    return FALSE;
  }
  return TRUE;
}

int th_cli_fail(const char *name, const GError *error) {
  if (!error) return TH_EXIT_FAILURE;
  if (strchr(error->message, '\n'))
    fprintf(stderr, "%s%s", error->message,
            error->message[strlen(error->message) - 1] == '\n' ? "" : "\n");
  else
    fprintf(stderr, "taihang %s: %s\n", name, error->message);
  return th_error_exit_status(error);
}

int th_cli_usage(const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  fprintf(stderr, "taihang %s: %s (see taihang %s --help)\n", name, msg, name);
  return TH_EXIT_USAGE;
}

int th_cli_threads(int n) {
  if (n > 0) return n;
  int c = (int)g_get_num_processors();
  return c > 0 ? c : 1;
}

/* cli.c: shared plumbing of the subcommands. */
#include "scenarios/cli.h"
#include "network/parallel.h"
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

/* A results folder is written as PARENT/.NAME.new.HOST.PID.XXXXXX and then
 * swapped in (output/results-dir.h): a message about one of its files names
 * the folder the planner gave, PARENT/NAME. */
static char *final_paths(const char *message) {
  static GRegex *re;
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    re = g_regex_new("/\\.([^/]+)\\.new\\.[^./]*\\.[0-9]+\\.[A-Za-z0-9]{6}", G_REGEX_OPTIMIZE, 0,
                     NULL);
    g_once_init_leave(&once, 1);
  }
  char *out = re ? g_regex_replace(re, message, -1, 0, "/\\1", 0, NULL) : NULL;
  return out ? out : g_strdup(message);
}

int th_cli_fail(const char *name, const GError *error) {
  if (!error) return TH_EXIT_FAILURE;
  g_autofree char *msg = final_paths(error->message);
  if (strchr(msg, '\n'))
    fprintf(stderr, "%s%s", msg, msg[strlen(msg) - 1] == '\n' ? "" : "\n");
  else
    fprintf(stderr, "taihang %s: %s\n", name, msg);
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

int th_cli_threads(int n) { return th_threads_or_cores(n); /* network/parallel.h */ }

/* cli.h: what every subcommand shares: its signature, option parsing with
 * GOption, and turning a GError into a message and an exit status.
 *
 * Exit status: 0 success, 1 runtime failure, 2 bad input or usage. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define TH_EXIT_OK 0
#define TH_EXIT_FAILURE 1
#define TH_EXIT_USAGE 2

/* A subcommand: ARGV[0] is "taihang NAME". Returns the exit status. */
typedef int (*ThCommandFunc)(int argc, char **argv);

/* Parses ARGV with ENTRIES; PARAMS is the usage text after the command name
 * ("NET --out FILE"), SUMMARY one line of description. On --help prints and
 * exits 0; on a bad option prints "taihang NAME: message" and returns FALSE
 * (the caller returns TH_EXIT_USAGE). */
gboolean th_cli_parse(const char *name, const char *params, const char *summary,
                      const GOptionEntry *entries, int *argc, char ***argv);
/* Prints "taihang NAME: message" to stderr (messages of several lines are
 * printed as they are) and returns th_error_exit_status(ERROR). */
int th_cli_fail(const char *name, const GError *error);
/* Prints a usage error and returns TH_EXIT_USAGE. */
int th_cli_usage(const char *name, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Number of threads to use when the user gave N (<= 0: all cores). */
int th_cli_threads(int n);

/* The subcommands (scenarios/cmd_*.c). */
int th_cmd_check(int argc, char **argv);
int th_cmd_skim(int argc, char **argv);
int th_cmd_export(int argc, char **argv);
int th_cmd_assign(int argc, char **argv);
int th_cmd_run(int argc, char **argv);
int th_cmd_demand(int argc, char **argv);
int th_cmd_compare(int argc, char **argv);
int th_cmd_map(int argc, char **argv);
int th_cmd_sweep(int argc, char **argv);
int th_cmd_sweep_merge(int argc, char **argv);
int th_cmd_report(int argc, char **argv);
int th_cmd_validate(int argc, char **argv);
int th_cmd_calibrate(int argc, char **argv);
int th_cmd_import(int argc, char **argv);

G_END_DECLS

/* cmd_check.c: `taihang check PATH...`: validate inputs and list every
 * problem, one "FILE:LINE: what is wrong (what was expected)" per line.
 *
 * Each path is dispatched on its kind through the `checkers` table (first
 * match wins): a kind of input is one row with a test and a function that
 * prints the problems and returns the exit status. Scenario files add a row. */
#include "network/layers.h"
#include "network/load.h"
#include "network/th-error.h"
#include "scenarios/cli.h"
#include "scenarios/scenario-world.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  const char *what;                    /* for messages: "network" */
  gboolean (*matches)(const char *path);
  int (*check)(const char *path);      /* prints; returns TH_EXIT_* */
} ThChecker;

/* The exit status of a failed check of PATH: bad input prints every
 * problem of ERROR, a line each, and their count on stdout (exit 2); any
 * other failure is th_cli_fail's. */
static int report_problems(const char *path, const GError *error) {
  int status = th_error_exit_status(error);
  if (status != TH_EXIT_USAGE) return th_cli_fail("check", error);
  const char *msg = error->message;
  fputs(msg, stdout);
  if (*msg && msg[strlen(msg) - 1] != '\n') fputc('\n', stdout);
  int n = *msg ? 1 : 0;
  for (const char *p = msg; *p; p++)
    if (*p == '\n' && p[1]) n++;
  printf("%s: %d error%s\n", path, n, n > 1 ? "s" : "");
  return status;
}

/* --- networks: GMNS folders and TNTP net files ------------------------- */

static gboolean is_network(const char *path) {
  g_autofree char *base = g_path_get_basename(path);
  return g_file_test(path, G_FILE_TEST_IS_DIR) || g_str_has_suffix(path, ".tntp") ||
         !strcmp(base, "node.csv") || !strcmp(base, "link.csv");
}

static void print_network_summary(const char *path, const ThNetwork *net, guint n_warnings) {
  int by_mode[TH_N_MODES] = {0};
  for (int e = 0; e < net->n_links; e++)
    for (int k = 0; k < TH_N_MODES; k++)
      if (net->link_modes[e] & (1u << k)) by_mode[k]++;
  g_autoptr(GString) modes = g_string_new(NULL);
  for (int k = 0; k < TH_N_MODES; k++)
    if (by_mode[k])
      g_string_append_printf(modes, "%s%s %d", modes->len ? ", " : "", th_mode_name(1u << k),
                             by_mode[k]);
  printf("%s: OK (%s): %d nodes, %d links, %d zones; links by mode: %s", path,
         net->format ? net->format : "network", net->n_nodes, net->n_links, net->n_zones,
         modes->len ? modes->str : "none");
  if (n_warnings) printf("; %u warning%s", n_warnings, n_warnings > 1 ? "s" : "");
  printf("\n");
}

/* --strict: a zone cut off from the others is an error, not a warning */
static gboolean check_strict = FALSE;

static int check_network(const char *path) {
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(ThNetwork) net = th_network_load_opt(path, check_strict, warnings, &error);
  for (guint i = 0; i < warnings->len; i++) printf("%s\n", (char *)warnings->pdata[i]);
  if (!net) {
    return report_problems(path, error);
  }
  /* multimodal (multi): services.csv and hubs.csv of a network folder */
  g_autoptr(ThServices) services = NULL;
  g_autoptr(ThHubs) hubs = NULL;
  if (!th_multimodal_read_dir(path, net, &services, &hubs, &error)) {
    return report_problems(path, error);
  }
  print_network_summary(path, net, warnings->len);
  if (services || hubs)
    printf("%s: OK (multimodal): %d service lines, %d runs, %d hubs\n", path,
           services ? services->n_lines : 0, services ? services->n_runs : 0,
           hubs ? hubs->n_hubs : 0);
  return TH_EXIT_OK;
}

/* --- scenario files (.ini): the whole resolved scenario (yang) --------- */

static gboolean is_scenario(const char *path) { return g_str_has_suffix(path, ".ini"); }

static int check_scenario(const char *path) {
  g_autoptr(GError) error = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(path, &error);
  if (sc) th_scenario_check(sc, &error);
  if (error) {
    return report_problems(path, error);
  }
  printf("%s: OK (scenario '%s'): %u nodes, %u links, %u service lines, %u hubs\n", path, sc->name,
         sc->tables[TH_TABLE_NODE]->rows->len, sc->tables[TH_TABLE_LINK]->rows->len,
         sc->tables[TH_TABLE_SERVICES] ? sc->tables[TH_TABLE_SERVICES]->rows->len : 0,
         sc->tables[TH_TABLE_HUBS] ? sc->tables[TH_TABLE_HUBS]->rows->len : 0);
  return TH_EXIT_OK;
}

/* Kinds of input, tried in order. */
static const ThChecker checkers[] = {
    {"network", is_network, check_network},
    {"scenario", is_scenario, check_scenario},
};

int th_cmd_check(int argc, char **argv) {
  const GOptionEntry entries[] = {
      {"strict", 0, 0, G_OPTION_ARG_NONE, &check_strict,
       "a zone cut off from the others is an error (default: a warning; its demand is left out)",
       NULL},
      {NULL}};
  if (!th_cli_parse("check", "PATH...",
                    "Validates each PATH and prints every problem found, one per line as\n"
                    "FILE:LINE: what is wrong (what was expected), then a summary.\n"
                    "PATH is any of:\n"
                    "  a GMNS network folder (node.csv, link.csv; services.csv and hubs.csv too\n"
                    "  when present), or the path of its node.csv or link.csv;\n"
                    "  a TNTP *_net.tntp file;\n"
                    "  a scenario .ini (resolved: base, applies, patches, parameters).\n"
                    "Exit status: 0 no errors (warnings allowed), 1 runtime failure, 2 errors.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc < 2) return th_cli_usage("check", "give a path to check");
  int worst = TH_EXIT_OK;
  for (int i = 1; i < argc; i++) {
    const ThChecker *c = NULL;
    for (gsize k = 0; k < G_N_ELEMENTS(checkers) && !c; k++)
      if (checkers[k].matches(argv[i])) c = &checkers[k];
    int status;
    if (!c) {
      fprintf(stderr,
              "taihang check: %s: %s (a GMNS network folder or a TNTP *_net.tntp file was "
              "expected)\n",
              argv[i], g_file_test(argv[i], G_FILE_TEST_EXISTS) ? "unknown kind of input"
                                                                : "no such file or folder");
      status = TH_EXIT_USAGE;
    } else {
      status = c->check(argv[i]);
    }
    /* bad input (2) outranks a runtime failure (1) in the combined status */
    if (status == TH_EXIT_USAGE || (status && worst == TH_EXIT_OK)) worst = status;
  }
  return worst;
}

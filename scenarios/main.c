/* main.c: the `taihang` command: dispatches to one subcommand per workflow.
 *
 * It lives in scenarios/, the room of the planner's workflows, so that
 * nothing below it ever needs to know it exists. */
#include "scenarios/cli.h"
#include "sim/sim.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  ThCommandFunc func;
  const char *summary;
} ThCommand;

static const ThCommand commands[] = {
    {"check", th_cmd_check, "validate a network, TNTP file or scenario; list every problem"},
    {"skim", th_cmd_skim, "travel-time table between zones from free-flow shortest paths"},
    {"assign", th_cmd_assign, "static user-equilibrium assignment (TNTP or taihang network)"},
    {"run", th_cmd_run, "simulate trips (or a scenario) to equilibrium; write results"},
    {"demand", th_cmd_demand, "synthesize a scenario's passenger and freight demand"},
    {"compare", th_cmd_compare, "run a base and scenarios; write what each project changes"},
    {"map", th_cmd_map, "draw a flow map (PNG/SVG) of results, or a difference map"},
    {"export", th_cmd_export, "export a network or results (GraphML, GeoJSON, OMX, matrices)"},
    {"sweep", th_cmd_sweep, "run a grid of scenario variants into one travel-time table"},
    {"sweep-merge", th_cmd_sweep_merge, "build a sweep's consolidated tables from run folders"},
};

static void usage(FILE *out) {
  fprintf(out, "Usage: taihang COMMAND [OPTIONS] ...\n\n"
               "taihang %s: multimodal freight and passenger routing simulator.\n\nCommands:\n",
          th_version());
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nRun 'taihang COMMAND --help' for a command's options.\n"
               "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n");
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  /* Arguments are UTF-8 (Chinese titles and zone names): under a non-UTF-8
   * locale, as a fresh machine or a cron job has (LANG unset), GOption would
   * try to convert them from ASCII and fail, so read text as C.UTF-8 then. */
  if (g_ascii_strcasecmp(nl_langinfo(CODESET), "UTF-8") != 0) setlocale(LC_CTYPE, "C.UTF-8");
  setlocale(LC_NUMERIC, "C"); /* numbers in files always use '.' */
  if (argc < 2) {
    usage(stderr);
    return TH_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return TH_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    printf("taihang %s\n", th_version());
    return TH_EXIT_OK;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
    if (strcmp(argv[1], commands[i].name) == 0) {
      g_autofree char *prg = g_strdup_printf("taihang %s", commands[i].name);
      g_set_prgname(prg);
      char **sub = g_new0(char *, argc);
      sub[0] = prg;
      for (int k = 2; k < argc; k++) sub[k - 1] = argv[k];
      int status = commands[i].func(argc - 1, sub);
      g_free(sub);
      return status;
    }
  }
  fprintf(stderr, "taihang: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return TH_EXIT_USAGE;
}

/* cmd_params.c: `taihang params`: the parameter reference of the scenario
 * language, printed from the parameter tables (scenarios/scenario-params.h);
 * the README's "Parameter reference" is this output. */
#include "network/th-error.h"
#include "scenarios/cli.h"
#include "scenarios/scenario-params.h"

#include <stdio.h>

int th_cmd_params(int argc, char **argv) {
  gboolean markdown = FALSE;
  GOptionEntry entries[] = {
      {"markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Markdown tables (the default; the README's form)",
       NULL},
      {NULL}};
  if (!th_cli_parse("params", "",
                    "Prints every scenario parameter the tables know: section, key, the option of\n"
                    "taihang run, type, unit, default, accepted values and what it does.\n"
                    "Exit status: 0 ok, 2 usage.",
                    entries, &argc, &argv))
    return TH_EXIT_USAGE;
  if (argc != 1) return th_cli_usage("params", "takes no arguments");
  g_autofree char *md = th_scenario_params_markdown();
  fputs(md, stdout);
  return TH_EXIT_OK;
}

/* cmd_demand.c: `taihang demand` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_demand(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang demand: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

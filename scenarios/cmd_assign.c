/* cmd_assign.c: `taihang assign` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_assign(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang assign: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

/* cmd_skim.c: `taihang skim` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_skim(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang skim: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

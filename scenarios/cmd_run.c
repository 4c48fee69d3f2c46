/* cmd_run.c: `taihang run` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang run: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

/* cmd_check.c: `taihang check` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_check(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang check: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

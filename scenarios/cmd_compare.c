/* cmd_compare.c: `taihang compare` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_compare(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang compare: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

/* cmd_map.c: `taihang map` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_map(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang map: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

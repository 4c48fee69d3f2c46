/* cmd_export.c: `taihang export` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_export(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang export: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

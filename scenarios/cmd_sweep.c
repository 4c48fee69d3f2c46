/* cmd_sweep.c: `taihang sweep` (not yet built: see the open issues). */
#include "scenarios/cli.h"

#include <stdio.h>

int th_cmd_sweep(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang sweep: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

int th_cmd_sweep_merge(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "taihang sweep-merge: not implemented yet\n");
  return TH_EXIT_FAILURE;
}

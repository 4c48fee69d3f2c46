/* sim.c: version and build facts shared by the simulation room. */
#include "sim/sim.h"

const char *th_version(void) { return TH_VERSION; }

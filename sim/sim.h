/* sim.h: facts about this build of the simulation room. */
#pragma once

/* The taihang version, e.g. "0.1.0". */
const char *th_version(void);

/* demand-internal.h: what the demand files of sim/ share (demand.c,
 * demand-longdist.c); not for other rooms. */
#pragma once
#include <gsl/gsl_rng.h>
#include <stdint.h>

/* A departure second drawn from R: an hour with probability proportional to
 * PROFILE[hour] (24 weights, some > 0), then a uniform second in it. O(24). */
int32_t th_demand_draw_depart(gsl_rng *r, const double *profile);

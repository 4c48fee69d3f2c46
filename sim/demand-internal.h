/* demand-internal.h: what the demand files of sim/ share (demand.c,
 * demand-longdist.c, demand-tourism.c); not for other rooms. */
#pragma once
#include <gsl/gsl_rng.h>
#include <stdint.h>

/* A departure second drawn from R: an hour with probability proportional to
 * PROFILE[hour] (24 weights, some > 0), then a uniform second in it. O(24). */
int32_t th_demand_draw_depart(gsl_rng *r, const double *profile);

/* The random stream of one cell (A, B) of a demand purpose: a taus2
 * generator seeded from (SEED, A, B, TAG) by a splitmix64 finaliser, so each
 * cell draws the same numbers whatever other cells exist (TAG: one byte per
 * purpose, 0x1D long-distance, 0x7A tourism). Free with gsl_rng_free. */
gsl_rng *th_demand_cell_rng(uint64_t seed, int a, int b, uint64_t tag);

/* X expected trips at sample share SAMPLE as a whole number: floor(X SAMPLE),
 * plus one with probability equal to its fraction (one draw of R). */
int th_demand_round(gsl_rng *r, double x, double sample);

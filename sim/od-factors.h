/* od-factors.h: per-OD factors on a scenario's synthetic trips ([demand]
 * od_factors = FILE.csv), the form in which `taihang calibrate` hands a
 * scenario the matrix it estimated from counts (scenarios/calibrate.h).
 *
 * File: origin,destination,factor[,class] (UTF-8, header row). origin and
 * destination are zones (zone id as written, node id or name, as trips.csv);
 * factor is a number >= 0; class, when the column is there and the field is
 * not empty, names a class of the class table and the factor applies to
 * that class's trips of the cell only; otherwise to every class's. A
 * class's own row wins over a row for every class. A cell without a row
 * keeps its trips (factor 1).
 *
 * Rule. A trip of a cell with factor f is kept floor(f) or floor(f) + 1
 * times: floor(f) + 1 when u < f - floor(f), u the uniform draw
 * th_agent_uniform(SEED, trip id, 0, TH_DRAW_REPLAN) of the trip's own
 * stream (iteration 0: no choice iteration uses it). So a cell of n trips
 * keeps n f trips in expectation; f = 0 removes the cell; f = 1 keeps it
 * exactly. Copies keep the trip's departure, class, mode and tonnes; the
 * trips are renumbered 1, 2, ... in order (each trip's copies together).
 * The factor applies to every trip of the cell, whatever mode it later
 * chooses and whenever it departs (mode choice then shares the cell's
 * trips out again). Deterministic: same trips, factors and seed, same
 * trips. */
#pragma once
#include "sim/classes.h"
#include "sim/trips.h"

#include <stdint.h>

G_BEGIN_DECLS

typedef struct ThOdFactors ThOdFactors;

/* Reads PATH against NET and CLASSES. Every bad row is reported, one
 * "FILE:LINE: what is wrong (what was expected)" per line (TH_ERROR_INVALID):
 * an unknown origin, destination or class, a factor that is not a number
 * >= 0, the same (origin, destination, class) twice. TH_ERROR_IO when the
 * file cannot be read, TH_ERROR_PARSE for a missing column. O(rows). */
ThOdFactors *th_od_factors_read(const char *path, const ThNetwork *net, const ThClassTable *classes,
                                GError **error);
void th_od_factors_free(ThOdFactors *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThOdFactors, th_od_factors_free)

/* The factor of a trip of class CLS from zone index O to zone index D
 * (1 when no row gives one). O(1). */
double th_od_factors_get(const ThOdFactors *f, int cls, int o, int d);

/* TRIPS with F applied by the rule above (a new trip list; TRIPS is not
 * changed). *N_CHANGED (may be NULL) gets the number of trips in cells
 * with a factor other than 1. O(trips). */
ThTrips *th_od_factors_apply(const ThOdFactors *f, const ThTrips *trips, const ThNetwork *net,
                             const ThClassTable *classes, uint64_t seed, int *n_changed);

G_END_DECLS

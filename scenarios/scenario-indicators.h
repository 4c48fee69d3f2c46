/* scenario-indicators.h: the indicators of summary.csv (output/compare-write.h)
 * for one scenario run: used by `taihang run SCENARIO.ini` (one row) and by
 * `taihang compare` (a row per run). */
#pragma once
#include "output/compare-write.h"
#include "sim/appraisal.h"
#include "scenarios/run-scenario.h"

G_BEGIN_DECLS

/* The indicators of summary.csv for one run RES of SC (row key KEY, borrowed
 * strings). Trip-based totals are scaled by 1 / sample_factor; scheduled
 * services count in full. The seven passenger mode shares (road, bus, rail,
 * hsr, intercity, walk, ebike) are of the passenger trips that had a mode
 * and add up to 1. O(trips + lines). */
void th_scenario_indicators(const ThScenario *sc, const char *key, const ThScenarioResult *res,
                            ThCompareRow *row);

/* What the appraisal needs of run RES of SC (sim/appraisal.h): one cell per
 * class and purpose met, in class order and then the purposes' order of
 * first use (no purpose first), with the arrived trips (passengers) or
 * their tonnes (freight) and their hours, scaled by 1 / sample_factor, and
 * the value of time of the cell under SC's [appraisal]; class and purpose
 * names are interned strings (g_intern_string), so the cells outlive RES.
 * The totals are ROW's (th_scenario_indicators). Returns the cells (free
 * with g_free); *N gets their number. O(trips + classes x purposes). */
ThAppraisalCell *th_scenario_appraisal_cells(const ThScenario *sc, const ThScenarioResult *res,
                                             int *n);

G_END_DECLS

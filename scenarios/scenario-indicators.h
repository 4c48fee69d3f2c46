/* scenario-indicators.h: the indicators of summary.csv (output/compare-write.h)
 * for one scenario run: used by `taihang run SCENARIO.ini` (one row) and by
 * `taihang compare` (a row per run). */
#pragma once
#include "output/compare-write.h"
#include "scenarios/run-scenario.h"

G_BEGIN_DECLS

/* The indicators of summary.csv for one run RES of SC (row key KEY, borrowed
 * strings). Trip-based totals are scaled by 1 / sample_factor; scheduled
 * services count in full. The seven passenger mode shares (road, bus, rail,
 * hsr, intercity, walk, ebike) are of the passenger trips that had a mode
 * and add up to 1. O(trips + lines). */
void th_scenario_indicators(const ThScenario *sc, const char *key, const ThScenarioResult *res,
                            ThCompareRow *row);

G_END_DECLS

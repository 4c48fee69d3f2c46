/* od-trips.h: an OD volume table (GMNS demand.csv) as individual trips for
 * the simulation (`taihang run NET` without --trips).
 *
 * Rule. demand.csv gives o_zone_id, d_zone_id and volume: vehicle trips of
 * one demand period (DTALite's convention; GMNS defines no period, so the
 * caller names it, 07:00-08:00 by default). Volumes are made whole by
 * cumulative rounding over the rows in file order: row k gets
 * round(C_k) - round(C_{k-1}) trips, C_k the running sum of volumes (round
 * half up), so the total is round(sum) and no row is off by more than one.
 * Trip j of the n of a row departs at START + floor((j + 1/2) (END - START)
 * / n) seconds: evenly over the period. Trips are of class car, mode chosen
 * by the model, numbered 1, 2, ... in that order. Rows from or to a zone cut
 * off from the others (net->zone_cut_off) are left out and their volume
 * summed in *LEFT_OUT; intrazonal rows (origin = destination) make no trip.
 * Deterministic: no random draws. A file whose volumes add up to more than
 * TH_OD_TRIPS_MAX trips is refused at the row that passes it: the run
 * simulates every trip, so such demand wants a sample (scale the volumes
 * and set the sample factor). */
#pragma once
#include "sim/classes.h"
#include "sim/trips.h"

G_BEGIN_DECLS

/* Most trips one demand.csv may make (ten million). */
#define TH_OD_TRIPS_MAX 1e7

/* Reads PATH (columns o_zone_id, d_zone_id, volume; zones by zone id, node
 * id, name or text id) against NET. Every bad row is reported, "FILE:LINE:
 * what is wrong (what was expected)": unknown zones, a volume that is not a
 * number >= 0. NULL with TH_ERROR_PARSE or TH_ERROR_INVALID then,
 * TH_ERROR_IO when the file cannot be read. O(rows + trips). */
ThTrips *th_trips_from_demand_csv(const char *path, const ThNetwork *net,
                                  const ThClassTable *classes, int32_t start_s, int32_t end_s,
                                  double *left_out, GError **error);

G_END_DECLS

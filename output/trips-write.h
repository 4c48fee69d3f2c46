/* trips-write.h: writes a demand (ThTrips) as trips.csv, the format
 * `taihang run --trips` reads, so a synthesized demand can be inspected,
 * edited and fed back:
 *
 *   id,origin,destination,depart,class,mode,tonnes[,purpose]
 *
 * origin and destination are zone ids (node ids for trips between nodes
 * that are not zones), depart HH:MM:SS, mode empty when the model chooses,
 * tonnes empty for passenger classes, purpose (empty for trips without one)
 * only when some trip has one. Written atomically. */
#pragma once
#include "network/network.h"
#include "sim/classes.h"
#include "sim/trips.h"

G_BEGIN_DECLS

/* Writes TRIPS to PATH. TH_ERROR_IO on failure (nothing left behind). O(n). */
gboolean th_trips_write(const char *path, const ThTrips *trips, const ThNetwork *net,
                        const ThClassTable *classes, GError **error);

G_END_DECLS

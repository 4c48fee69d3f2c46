/* period-skims.h: the complete travel-time tables (skims) of a results
 * folder, skims.csv, computed after the run on the loaded network and the
 * timetable (sim/mode-skim.h), for every zone pair whether or not a trip
 * made it.
 *
 *   skims.csv  origin,destination,mode,period,time_min,distance_km,cost,wait_min,transfers
 *
 * One row per (origin zone, destination zone, mode, period), zones in zone-id
 * order, modes road, bus, rail, hsr, intercity (a transit mode only when the
 * run has lines), periods:
 *   am   07:00-09:00: road on the vehicle-weighted mean experienced link
 *        times of vehicles entering links then (link_flows_bins); transit
 *        departures every 20 minutes from 07:00 to 08:40;
 *   day  road on the daily mean experienced link times (link_flows);
 *        transit departures every hour from 06:00 to 21:00.
 * A link no vehicle used in the period takes its free-flow time. Transit
 * figures are means over the departures that reach the destination the same
 * day (access and egress by road, at most 90 and 60 minutes); quantities as
 * in sim/mode-skim.h (distance_km: ridden; cost: fares; road wait_min and
 * transfers 0). Empty cells: the mode cannot connect the pair (no road path;
 * no stop of the mode within the access or egress limit, or no departure of
 * the period finds a journey that day). Deterministic. */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"
#include "sim/results.h"

G_BEGIN_DECLS

/* Computes and writes DIR/skims.csv (atomically) for the run R on NET with
 * SERVICES and HUBS (either may be NULL: road only). TH_ERROR_IO on failure.
 * Cost: per period, that of th_mode_skim_new. */
gboolean th_period_skims_write(const char *dir, const ThNetwork *net, const ThServices *services,
                               const ThHubs *hubs, const ThRunResults *r, GError **error);

G_END_DECLS

/* period-skims.h: the complete travel-time tables (skims) of a results
 * folder, skims.csv, computed after the run on the loaded network and the
 * timetable (sim/mode-skim.h), for every zone pair whether or not a trip
 * made it.
 *
 *   skims.csv  origin,destination,mode,period,time_min,distance_km,cost,wait_min,transfers
 *
 * One row per (origin zone, destination zone, mode, period), zones in zone-id
 * order, modes road, bus, rail, hsr, intercity (a transit mode only when the
 * run has lines), periods from `[output] periods` (default, from the
 * parameter table sim/params.c: am=07:00-09:00;day):
 *   NAME=HH:MM-HH:MM  road on the vehicle-weighted mean experienced link
 *        times of vehicles entering links in the window (link_flows_bins,
 *        by bin start); transit departures every 20 minutes in the window
 *        (am=07:00-09:00: 07:00 to 08:40);
 *   day  road on the daily mean experienced link times (link_flows);
 *        transit departures every hour from 06:00 to 21:00.
 * A link no vehicle used in the period takes its free-flow time. Transit
 * figures are means over the departures that reach the destination the same
 * day (access and egress by walk, bike or car under the rules of
 * sim/access.h, the simulation's); quantities as
 * in sim/mode-skim.h (distance_km: ridden; cost: fares; road wait_min and
 * transfers 0). Empty cells: the mode cannot connect the pair (no road path;
 * no stop of the mode within the access or egress rules, or no departure of
 * the period finds a journey that day). Deterministic. */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"
#include "sim/access.h"
#include "sim/results.h"

G_BEGIN_DECLS

/* A skim period: NAME and its clock window [FROM_S, TO_S) (seconds after
 * midnight). The road skim uses the mean experienced time of the vehicles
 * that entered each link in the window; transit journeys depart every 20
 * min in it. FROM_S = TO_S = -1 is the whole day ("day" of the default):
 * the road's daily mean times, transit departures every hour 06:00-21:00. */
typedef struct {
  char name[24];
  int from_s, to_s;
} ThSkimPeriod;

#define TH_SKIM_PERIODS_MAX 16

/* Parses TEXT, `NAME=HH:MM-HH:MM;...;day` (`[output] periods`): up to
 * TH_SKIM_PERIODS_MAX periods, names of letters, digits and _ (at most 23
 * characters, each once), a window of at least one minute within 00:00-30:00,
 * or a bare `day` (the whole day; only under that name). Fills OUT (that many
 * slots) and returns the count, or -1 with TH_ERROR_INVALID saying what is
 * wrong and what was expected. O(length). */
int th_skim_periods_parse(const char *text, ThSkimPeriod *out, GError **error);

typedef struct {
  const ThAccessRules *access; /* access and egress rules (sim/access.h); NULL: defaults */
  const ThSkimPeriod *periods; /* N_PERIODS of them; NULL or 0: the [output] periods default */
  int n_periods;
} ThPeriodSkimOptions;

/* Computes and writes DIR/skims.csv (atomically) for the run R on NET with
 * SERVICES and HUBS (either may be NULL: road only), for the periods and
 * access rules of O (NULL: defaults). TH_ERROR_IO on failure.
 * Cost: per period, that of th_mode_skim_new. */
gboolean th_period_skims_write(const char *dir, const ThNetwork *net, const ThServices *services,
                               const ThHubs *hubs, const ThRunResults *r,
                               const ThPeriodSkimOptions *o, GError **error);

G_END_DECLS

/* validation-read.h: the modelled figure for each observation (sim/observed.h),
 * read from a results folder of `taihang run` or from the `--flows` CSV of
 * `taihang assign`, through their documented formats (README, "The results
 * folder", "What a multimodal run adds", "Static assignment: Outputs").
 *
 * From a results folder (flows of a sample expanded by 1 / sample_factor):
 *   link_count, period day: link_flows.csv; class `all` or `vehicles` = road
 *     vehicles (mode road, and the buses' own rows, class bus mode bus),
 *     `pcu` = their car units, a class name = that class's road vehicles,
 *     `passengers` / `tonnes` = carried over the link by every mode,
 *     `trains` = trains over a rail, HSR or intercity link (passenger plus
 *     freight; timetables run in full, so never expanded);
 *   link_count, a period HH:MM-HH:MM: link_flows_bins.csv, vehicles entering
 *     the link in bins that start inside the period (`pcu`: times the class's
 *     pcu); passengers and tonnes per period are not in the folder;
 *   screenline: the sum of its links, as link_count;
 *   line_boardings: services_out.csv, boarded_load of the line's runs
 *     departing in the period (id = line or its name);
 *   hub_tonnes: hubs_out.csv, tonnes_handled (day only; id = node id or name);
 *   (these two files, like stops_out.csv, are already expanded to the full
 *   demand: not expanded again);
 *   mode_share, mean_trip_min: trips_out.csv, passenger trips (classes of
 *     kind passenger) departing in the period, in the market; shares of
 *     trips with a mode; the mean travel time of arrived trips, of class
 *     `cls` or all; purposes (work, other) are not in the folder;
 *   mean_trip_km: od_times.csv (period day), distance_km weighted by trips,
 *     passenger classes (or class `cls`) in the market;
 *   trip_length_share: the share of the market's passenger trips in the
 *     band: minutes from trips_out.csv (travel_time_s of arrived trips
 *     departing in the period, as mean_trip_min), km from od_times.csv
 *     (period day; each OD cell's trips in the band of its mean
 *     distance_km, as mean_trip_km);
 *   stop_boardings (period day): stops_out.csv, boarded_load at the stop
 *     (id = its node id as written or its name) of every line (class `all`)
 *     or of the line named as class; the file is already at full scale;
 *     per period: not in the folder (NAN);
 * From an assign flows CSV (one period, the assignment's): link_count and
 *   screenline only, `all`/`vehicles` = the total row's volume, `pcu` its
 *   pcu, a class name its row's volume; the period is taken as the
 *   assignment's.
 * A figure the source cannot give is NAN (reported, not compared). */
#pragma once
#include "network/network.h"
#include "sim/observed.h"

G_BEGIN_DECLS

typedef struct ThModelSource ThModelSource;

/* Opens PATH: a results folder (a directory) or an assign flows CSV (a
 * file). Errors as th_results_read, or TH_ERROR_PARSE for a flows file
 * without link_id,class,volume,pcu. */
ThModelSource *th_model_source_open(const char *path, GError **error);
void th_model_source_free(ThModelSource *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThModelSource, th_model_source_free)

/* Link counts and screenlines of any period read from the day's totals: for
 * a run whose demand is that period's only (the confirmation of an
 * estimated matrix), where vehicles of the period still enter links after
 * its end. */
void th_model_source_set_whole_day(ThModelSource *s, gboolean on);

/* Modelled values of OBS (one per observation, NAN where the source has
 * none) with SCREENLINES (may be NULL) and INTERNAL, the study-area zone
 * ids as written (th_calib_parse_zone_list: strings, so GMNS text ids are
 * matched as text; NULL: every zone is inside). A trip end of trips_out.csv
 * or od_times.csv is inside when its id as written is in INTERNAL, or when
 * it is a node whose zone is. Errors: TH_ERROR_INVALID listing, as
 * FILE:LINE of observed.csv or screenlines.csv, every link id that is not in
 * the network (or the flows file), screenline without a definition, line or
 * hub the results do not have, and a zone of INTERNAL given by a text id
 * that is not a zone of the results' network; TH_ERROR_PARSE for malformed result files.
 * Caller frees. O(rows of the files read). */
double *th_model_source_values(ThModelSource *s, const ThObserved *obs,
                               const ThScreenlines *screenlines, GHashTable *internal,
                               GError **error);

G_END_DECLS

/* warm-start.h: link travel times for day 1's routes, read from a file.
 *
 * Day 1 of `taihang run` routes everyone on free-flow times unless given a
 * warm start: the loaded link times of an earlier answer, so the first day
 * starts near the equilibrium instead of sending everyone down the same
 * free-flow paths. Accepted files (CSV, one row per link or per link and
 * class):
 *   - `taihang assign --flows F.csv`: link_id, class, time_min; the row of
 *     class "total" is used when there is one, else the link's first row;
 *   - a results folder's link_flows.csv: link_id, mean_travel_time_s (the
 *     first row of each link: the class table's first class that used it);
 *   - any CSV with link_id and travel_time_s (seconds) or time_min.
 * Links the file does not name keep their free-flow time. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Reads PATH for the links of NET: a new array of n_links times in seconds.
 * NULL with TH_ERROR_IO, or TH_ERROR_PARSE listing every bad row as
 * "FILE:LINE: what is wrong" (unknown link, bad or negative time, no time
 * column). */
double *th_warm_start_read(const char *path, const ThNetwork *net, GError **error);

G_END_DECLS

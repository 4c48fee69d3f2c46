/* gtfs.h: one service day of a GTFS feed as taihang services.
 *
 * Reads a GTFS Schedule feed (a .zip through libzip, or a folder of .txt
 * files; reference: https://gtfs.org/schedule/reference/, a copy in
 * shared/specs/gtfs/) and turns the trips that run on one date into the
 * services model of services.h, on a copy of a taihang network:
 *
 * - Service day: calendar.txt (weekday flags within start_date..end_date)
 *   and calendar_dates.txt (exception_type 1 adds the date, 2 removes it);
 *   either file may be absent, not both. Trips of the previous service day
 *   that run past midnight are not included (times > 24:00:00 of the
 *   chosen day are kept as they are: seconds after its midnight).
 * - Trips: every trip's own stop_times (arrival and departure at each stop).
 *   Times left empty between timepoints are interpolated by straight-line
 *   distance between the stops; the first and last stop must have times.
 *   Trips of one route with the same stop sequence form one line (a stop
 *   pattern; line id = route_id, or route_id/2, /3... when a route has
 *   several patterns, numbered by first departure); each trip is a run with
 *   its own times (services.csv `trip_times`).
 * - frequencies.txt: a trip listed there is a template: its runs leave the
 *   first stop at start_time, start_time + headway_secs, ... < end_time,
 *   each with the template's running and dwell times. exact_times = 0 and 1
 *   are expanded alike (taihang runs timetables, not headway control).
 * - route_type to mode (th_gtfs_mode): bus (3, 11 trolleybus, 200-299
 *   coach, 700-799 bus), rail (2, 100-117 except below), hsr (101),
 *   intercity (103 inter-regional, 106 regional, 109 suburban; and the
 *   urban rail types 0 tram, 1 metro, 12 monorail, 400-499, 900-999, which
 *   taihang has no mode of their own for and which must not occupy road
 *   queues as buses do). Ferries, cable cars, funiculars, air (4-7, 1000+)
 *   are left out and counted in the notes.
 * - Stops: a platform (location_type 0) with a parent_station is its
 *   station: all platforms of one station are one node, so changing
 *   between them is a transfer at that node. Each stop or station used on
 *   the day becomes a new node (node_type station, ids from the largest
 *   node id of NET + 1 in stops.txt order), joined to the nearest node of
 *   NET that a road link leaves (any node when NET has no road) by a pair
 *   of walk links (allowed_uses walk;connector, length = great-circle
 *   distance, 5 km/h; capacity unlimited).
 * - transfers.txt: transfer_type 2 with min_transfer_time between stops of
 *   one node sets that node's transfer time (hubs.csv transfer_min; the
 *   largest when several rows name it). Between stops of different nodes it
 *   becomes a walk link from the first node to the second (allowed_uses
 *   walk, facility "transfer", great-circle length, free-flow time =
 *   min_transfer_time, at least 1 s; the largest of the pair's rows): a
 *   footpath of the timetable search (sim/transit.h). Trip- or
 *   route-specific rows (applied to every run) and type 3 (no transfer) are
 *   counted in the notes; other nodes keep taihang's default transfer time
 *   (hubs.h).
 * - pickup_type / drop_off_type: 1 forbids boarding / alighting at the stop
 *   (2 and 3, on request, are taken as allowed, noted); trips of a route
 *   that differ in that are separate lines, with services.csv stop_use.
 * - Fares (fare_attributes.txt, fare_rules.txt, GTFS-Fares v1): a route's
 *   fare is the price of the fare whose rule names its route_id (a rule
 *   without route_id applies to every route); rules that depend on fare
 *   zones (origin_id, destination_id, contains_id) give the lowest such
 *   price, noted. Prices are taken as yuan whatever currency_type says
 *   (noted when it is not CNY). fare_flat of the line; fare_per_km 0.
 * - GTFS-Fares v2 (when fare_leg_rules.txt exists; v1 is then left aside,
 *   noted), as flat fares per route network: a route's network_id (routes.txt
 *   or route_networks.txt) selects the fare_leg_rules.txt row of that network
 *   without areas or timeframes (highest rule_priority, then lowest amount),
 *   else the row with an empty network_id; the amount is fare_products.txt's
 *   (the lowest row of a product). Rules by area or timeframe give the
 *   lowest amount when nothing else matches (noted); fare_transfer_rules.txt
 *   is not modelled.
 * - shapes.txt: lines ride the network's links between stops (services.h)
 *   and have no geometry of their own, so each segment of a rail route's
 *   stop pattern whose first trip has a shape becomes a link of the route's
 *   mode along the shape (facility "gtfs_shape", WKT geometry and length
 *   of the polyline, free-flow time the first run's); buses keep their
 *   road path; rail segments without a shape the great-circle distance.
 * - Capacity per run: GTFS has none; the defaults of ThGtfsOptions.
 *
 * Every problem of the feed is reported at once, one
 * "FEED/FILE.txt:LINE: what is wrong (what was expected)" per line. */
#pragma once
#include "network/network.h"
#include "network/services.h"

G_BEGIN_DECLS

typedef struct {
  /* seats per run by mode, when the feed says nothing (GTFS never does) */
  double capacity_bus, capacity_rail, capacity_hsr, capacity_intercity;
  double walk_speed_kmh; /* speed on the stop links */
} ThGtfsOptions;

/* Defaults: bus 80 (a 12 m city bus, seated and standing), rail 1200 (an
 * 18-coach conventional train), hsr 1000 (a 16-car CRH380), intercity 600
 * (an 8-car CRH6), walking 5 km/h. */
void th_gtfs_options_default(ThGtfsOptions *o);

typedef struct {
  ThNetwork *net;          /* NET's nodes and links + stop nodes + walk links (finalized) */
  ThServices *services;    /* the day's lines, read back from services_csv against net */
  char *services_csv;      /* services.csv text (columns route and trip_times) */
  char *hubs_csv;          /* hubs.csv rows for stops with transfers.txt times (header included) */
  char *stops_csv;         /* gtfs_stops.csv: stop_id, node_id, linked node, walk length */
  int n_trips;             /* trips of the feed that run on the day (frequency templates once) */
  int n_runs, n_lines, n_routes, n_stop_nodes;
  double max_walk_m;       /* longest stop link */
  GPtrArray *notes;        /* what was not modelled, one message each */
} ThGtfsImport;

void th_gtfs_import_free(ThGtfsImport *imp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThGtfsImport, th_gtfs_import_free)

/* Mode of a GTFS route_type (see above), or 0 when taihang has none. */
uint32_t th_gtfs_mode(int route_type);

/* Imports the service day DATE ("YYYY-MM-DD") of FEED (a .zip file or a
 * folder) onto NET (finalized; borrowed). OPTIONS may be NULL (defaults).
 * Returns NULL with TH_ERROR_INVALID (every problem of the feed, one per
 * line), TH_ERROR_PARSE (a malformed CSV file) or TH_ERROR_IO (unreadable
 * feed). No trip running on DATE is an error. O(F + T S log S + P N) for F
 * rows, T trips of S stops, P stops and N nodes (nearest node by a scan),
 * plus the services reader's path searches (services.h). */
ThGtfsImport *th_gtfs_import(const char *feed, const ThNetwork *net, const char *date,
                             const ThGtfsOptions *options, GError **error);

G_END_DECLS

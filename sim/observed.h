/* observed.h: observations a model is validated and calibrated against.
 *
 * One file, observed.csv, columns type,id,period,class,value,source:
 *   type    link_count      id = link id, or FROM>TO node ids; value vehicles (class a class name,
 *                           a display group car/truck/bus, or `all`), or car
 *                           units (class `pcu`), passengers, tonnes or
 *                           trains (classes `passengers`, `tonnes`, `trains`)
 *           screenline      id = a name of screenlines.csv (screenline,link_id);
 *                           value and class as for link_count, summed over
 *                           its links
 *           line_boardings  id = a line of services.csv; boardings
 *           stop_boardings  id = a stop node id; boardings
 *           hub_tonnes      id = a hub node id or name; tonnes handled
 *           mode_share      id = a market (internal, external, through, all);
 *                           class = the mode (road, bus, rail, hsr,
 *                           intercity); value a share 0..1 of passenger trips
 *           mean_trip_min   id = a market; class = a class, a purpose
 *                           (work, other: what calibrate fits beta to) or
 *                           `all`; value minutes > 0
 *           mean_trip_km    id = a market; class = a class or `all`; value
 *                           kilometres > 0 (trip length)
 *           trip_length_share  id = a market; class = a band of trip
 *                           length LO-HIkm or time LO-HImin (LO <= x < HI;
 *                           LO+km / LO+min: LO and longer), e.g. 0-10km,
 *                           30-60min, 60+min; value the share 0..1 of the
 *                           market's passenger trips in the band. The bands
 *                           of one market, unit and period form one
 *                           distribution (th_coincidence_ratio)
 *   period  `day` or HH:MM-HH:MM (start inclusive, end exclusive; end may
 *           pass 24:00)
 *   source  free text whose first word is the provenance mark H (stated by a
 *           source), M (secondary or rounded) or E (estimate)
 * Values are daily (period day) or per period, for the whole demand (not a
 * sample). A (type, id, period, class) may appear once.
 *
 * Markets (of a passenger trip, by its end zones against the study area):
 * internal = both ends inside, external = one end inside, through = neither,
 * all = every trip. */
#pragma once
#include "network/network.h"

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum {
  TH_OBS_LINK_COUNT = 0,
  TH_OBS_SCREENLINE,
  TH_OBS_LINE_BOARDINGS,
  TH_OBS_STOP_BOARDINGS,
  TH_OBS_HUB_TONNES,
  TH_OBS_MODE_SHARE,
  TH_OBS_MEAN_TRIP_MIN,
  TH_OBS_MEAN_TRIP_KM,
  TH_OBS_TRIP_LENGTH_SHARE,
  TH_N_OBS_TYPES
} ThObsType;

/* "link_count", "screenline", ...; FALSE for another name. */
const char *th_obs_type_name(ThObsType t);
gboolean th_obs_type_from_name(const char *name, ThObsType *out);

typedef enum { TH_MARKET_ALL = 0, TH_MARKET_INTERNAL, TH_MARKET_EXTERNAL, TH_MARKET_THROUGH } ThMarket;
const char *th_market_name(ThMarket m);
gboolean th_market_from_name(const char *name, ThMarket *out);
/* The market of a trip between zones whose study-area flags are A and B. */
ThMarket th_market_of(gboolean origin_inside, gboolean destination_inside);

typedef struct {
  ThObsType type;
  char *id, *period, *cls, *source;
  int64_t start_s, end_s; /* the period; 0 and 86400 for `day` */
  gboolean day;
  double value;
  ThMarket market;        /* mode_share, mean_trip_min, mean_trip_km, trip_length_share */
  double band_lo, band_hi; /* trip_length_share: the band [lo, hi) (hi INFINITY: open) */
  gboolean band_km;        /* trip_length_share: km (else minutes) */
  int line;               /* in the file, for messages */
} ThObservation;

typedef struct {
  char *path;
  GArray *obs; /* of ThObservation, in file order */
} ThObserved;

/* Reads observed.csv at PATH. Every bad row is reported, one
 * `FILE:LINE: what is wrong (what was expected)` per line, as TH_ERROR_PARSE:
 * unknown type, empty id, bad period, unknown market or mode, a band that
 * is not LO-HIkm, LO-HImin, LO+km or LO+min with 0 <= LO < HI, a value that is
 * not a number >= 0 (a share above 1, a mean time <= 0), a source without
 * its H/M/E mark, a repeated (type, id, period, class). TH_ERROR_IO when it
 * cannot be read. O(rows). */
ThObserved *th_observed_read(const char *path, GError **error);
void th_observed_free(ThObserved *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThObserved, th_observed_free)

/* Parses a trip_length_share band: "0-10km" -> [0, 10) km, "60+min" ->
 * [60, INFINITY) min. FALSE unless LO-HI or LO+ (numbers, 0 <= LO < HI)
 * followed by km or min. */
gboolean th_obs_parse_band(const char *s, double *lo, double *hi, gboolean *km);

/* The link index of ID in NET: a link id, or FROM>TO node ids (the first
 * link from FROM to TO in input order); -1 when there is none. O(1) for a
 * link id, O(out-degree of FROM) for a node pair. */
int th_obs_link_index(const ThNetwork *net, const char *id);
/* Splits "FROM>TO" into two node ids; FALSE if ID is not of that form. */
gboolean th_obs_parse_node_pair(const char *id, int64_t *from, int64_t *to);

/* Named sets of links, screenlines.csv: screenline,link_id (one row per link;
 * a link once per screenline). */
typedef struct {
  char *path;
  GPtrArray *names;  /* char*, in order of first appearance */
  GPtrArray *links;  /* GArray of int64 link ids per name */
  GPtrArray *lines;  /* GArray of int line numbers per name (for messages) */
} ThScreenlines;

/* Reads screenlines.csv. TH_ERROR_PARSE with every bad row (empty name, a
 * link id that is not an integer, a link twice in one screenline). Link ids
 * are checked against a network by the caller. O(rows). */
ThScreenlines *th_screenlines_read(const char *path, GError **error);
void th_screenlines_free(ThScreenlines *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThScreenlines, th_screenlines_free)
/* Index of screenline NAME or -1. O(screenlines). */
int th_screenlines_find(const ThScreenlines *s, const char *name);

G_END_DECLS

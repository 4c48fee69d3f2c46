/* services.h: scheduled lines (trains, buses, freight trains) read from
 * services.csv and expanded into timetable runs.
 *
 * A line is an ordered list of stops (node indices) with the time from the
 * first departure to the arrival at and departure from each stop; a run is
 * one trip of the line, given by its departure second at the first stop. All
 * runs of a line share the line's offsets, so a timetable of R runs over S
 * stops costs O(R + S) memory.
 *
 * Run times per segment come from `run_min` when given; otherwise from the
 * shortest path over the links of the line's mode (buses: road and bus
 * links), timed at `speed_kmh` when given (path by length) or at the links'
 * free speed (path by free-flow time). The links of each segment's path are
 * kept (when a path exists) so flows can be put on links; the segment length
 * is the path length, or the great-circle distance when run_min is given and
 * no path exists.
 *
 * Per-trip stop times (GTFS): a line may also carry each run's own arrival
 * and departure at every stop (`trip_times`); such a run points at its own
 * offsets (ThServiceRun.off_s) and all code reads times through
 * th_run_arr_s()/th_run_dep_s(), so a timetable where every trip has its own
 * running times costs O(R S) memory only for the runs that differ from the
 * line's offsets (those of its first run). Several stop patterns of one
 * route are several lines with the same `route` (the route they belong to;
 * a services.csv without the column gives route = line).
 *
 * Boarding and alighting per stop (GTFS pickup_type / drop_off_type 1):
 * a line may forbid boarding or alighting at some of its stops
 * (services.csv `stop_use`); the timetable search never boards a run where
 * boarding is forbidden nor leaves it where alighting is (sim/transit.h).
 *
 * A freight line may run on demand (optional columns run_if_tonnes,
 * max_wait_h): its runs leave only with enough tonnes waiting or after a
 * long enough wait (the rule: sim/transit.h).
 *
 * Units: seconds and metres inside; the file has minutes, km/h, HH:MM. */
#pragma once
#include "network/network.h"

#include <stdio.h>

G_BEGIN_DECLS

typedef enum {
  TH_SERVICE_PASSENGER = 0, /* capacity in seats */
  TH_SERVICE_FREIGHT,       /* capacity in tonnes */
} ThServiceKind;

typedef struct {
  char *line;            /* line id as written ("G1") */
  char *name;            /* "" when none */
  uint32_t mode;         /* one TH_MODE_* bit: RAIL, HSR, INTERCITY or BUS */
  ThServiceKind kind;
  int n_stops;
  int *stop;             /* node index of each stop */
  int *arr_off_s;        /* arrival at stop k, seconds after the first departure */
  int *dep_off_s;        /* departure from stop k (arrival + dwell); dep_off_s[0] = 0 */
  double *seg_len_m;     /* n_stops-1: length of segment k -> k+1 */
  int *seg_link_start;   /* n_stops: links of segment k are seg_link[seg_link_start[k] .. [k+1]) */
  int *seg_link;         /* link indices along the segment paths (may be empty) */
  int first_run;         /* runs of this line are runs[first_run .. first_run + n_runs) */
  int n_runs;
  int first_dep_s, last_dep_s, headway_s; /* headway_s 0 when runs come from a departures list */
  double capacity;       /* seats or tonnes per run */
  double fare_flat;      /* yuan per boarding */
  double fare_per_km;    /* yuan per km ridden */
  char *source;
  int file_line;         /* line in services.csv, for messages */
  char *route;           /* route this stop pattern belongs to (GTFS route_id); the line id when
                          * services.csv has no `route` column */
  guint8 *stop_use;      /* n_stops: TH_STOP_BOARD | TH_STOP_ALIGHT allowed at stop k;
                          * NULL: both at every stop */
  /* On-demand freight runs (optional columns run_if_tonnes, max_wait_h;
   * freight lines only; 0: every run runs): a run leaves its first stop only
   * if at least run_if_tonnes wait for the line, or the oldest of them has
   * waited max_wait_s (sim/transit.h); otherwise it is cancelled. */
  double run_if_tonnes;
  int max_wait_s;
} ThServiceLine;

#define TH_STOP_BOARD 1u
#define TH_STOP_ALIGHT 2u

/* May riders board line L at its stop K, alight there? */
static inline gboolean th_line_can_board(const ThServiceLine *L, int k) {
  return !L->stop_use || (L->stop_use[k] & TH_STOP_BOARD);
}
static inline gboolean th_line_can_alight(const ThServiceLine *L, int k) {
  return !L->stop_use || (L->stop_use[k] & TH_STOP_ALIGHT);
}

typedef struct {
  int line;              /* index into lines */
  int dep_s;             /* departure from the first stop, seconds after midnight */
  const int *off_s;      /* NULL: the line's offsets; else this run's own, 2 n_stops ints:
                          * arrival offsets at stops 0..n-1, then departure offsets (seconds
                          * after dep_s; owned by ThServices) */
} ThServiceRun;

typedef struct ThServices {
  int n_lines;
  ThServiceLine *lines;
  int n_runs;
  ThServiceRun *runs;    /* grouped by line, each line's runs in departure order */
  char *source_file;
  GPtrArray *owned_off;  /* the runs' own offset arrays (NULL when none) */
  gboolean has_route;    /* the file had a `route` column: write it back */
} ThServices;

/* An empty timetable (no lines). */
ThServices *th_services_new(void);
void th_services_free(ThServices *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThServices, th_services_free)

/* Reads PATH (services.csv) against the finalized network NET. Validates
 * every row and reports EVERY problem as "FILE:LINE: what is wrong (what was
 * expected)", one per line, in one TH_ERROR_INVALID (or TH_ERROR_PARSE for a
 * malformed file, TH_ERROR_INVALID "cannot read" when unreadable). Run-time derivation costs one
 * shortest-path search per segment without run_min: O(S (n + m) log n). */
ThServices *th_services_read(const char *path, const ThNetwork *net, GError **error);
/* As th_services_read, over text in memory; NAME is used in messages. */
ThServices *th_services_read_text(const char *name, const char *text, gsize len,
                                  const ThNetwork *net, GError **error);

/* Arrival and departure second of run R at its line's stop K. */
static inline int th_run_arr_s(const ThServices *s, int r, int k) {
  const ThServiceRun *R = &s->runs[r];
  return R->dep_s + (R->off_s ? R->off_s[k] : s->lines[R->line].arr_off_s[k]);
}
static inline int th_run_dep_s(const ThServices *s, int r, int k) {
  const ThServiceRun *R = &s->runs[r];
  return R->dep_s + (R->off_s ? R->off_s[s->lines[R->line].n_stops + k]
                              : s->lines[R->line].dep_off_s[k]);
}

/* Index of the line with id LINE, or -1. O(lines). */
int th_services_find_line(const ThServices *s, const char *line);

/* Sets the headway of every line of MODE that is defined by first/last
 * departure and headway to HEADWAY_S, regenerating its runs (sweeps use this
 * for `services.hsr_headway_min`). Returns the number of lines changed. */
int th_services_set_headway(ThServices *s, uint32_t mode, int headway_s);

/* Writes the timetable back as services.csv (run_min and departures
 * explicit, so it reloads without path search) to the stream OUT. The
 * `route` and `trip_times` columns are written only when the timetable
 * has them (read from a file with `route`, or some run has its own times),
 * and `stop_use` only when some line forbids boarding or alighting, so a
 * services.csv without them writes back as before. */
void th_services_write(const ThServices *s, const ThNetwork *net, FILE *out);

G_END_DECLS

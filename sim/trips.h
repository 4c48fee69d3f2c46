/* trips.h: the demand as a list of trips (trips.csv).
 *
 *   id,origin,destination,depart[,class][,mode][,tonnes][,purpose]
 *
 * origin and destination are zone ids or node ids of the network (a zone id
 * is tried first); depart is HH:MM:SS or whole seconds after midnight; class
 * is a name from the class table (default car); mode is empty (the model
 * chooses) or a mode name (road, car and truck mean road; rail, hsr,
 * intercity, bus, walk need the multimodal engine); tonnes is the shipment
 * size of a freight trip (default: one vehicle load); purpose is the trip's
 * purpose (work, other, tourism, ... : a word of letters, digits, '_' and
 * '-', at most 32 characters; empty or no column: none), for passenger
 * classes only. The model does not route by purpose; the appraisal values a
 * purpose's time at its own value of time ([appraisal]
 * vot_purpose_PURPOSE_per_h) and reports benefits by class and purpose.
 * Demand synthesis names its purposes: work and other (gravity model),
 * other for through traffic (it departs by the other profile; its real
 * purpose is not known), tourism (sim/demand-tourism.h), longdist
 * (sim/demand-longdist.h); freight has none.
 *
 * A freight trip of T tonnes drives as ceil(T / tonnes_per_vehicle) trucks
 * travelling together (a platoon): one agent whose car units are the sum of
 * its trucks', so queues see exactly the road space and capacity they take. */
#pragma once
#include "network/network.h"
#include "sim/classes.h"

#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
  int n;
  int64_t *id;          /* external trip id */
  int *origin;          /* node index */
  int *destination;     /* node index */
  int *origin_zone;     /* zone index, or -1 when the trip names a node that is not a zone */
  int *destination_zone;
  int32_t *depart_s;    /* seconds after midnight */
  int *cls;             /* index into the class table */
  uint32_t *mode;       /* one TH_MODE_* bit, or 0 = chosen by the model */
  double *tonnes;       /* freight tonnes (0 for passenger trips) */
  int *vehicles;        /* road vehicles this trip drives when by road (>= 1) */
  double *pcu;          /* car units of those vehicles together */
  int *purpose;         /* index into purpose_names, or -1: no purpose given */
  GPtrArray *purpose_names; /* char*: the purposes of this list, in order of first use */
  int *line;            /* line in trips.csv, for messages */
  char *path;           /* the file read, for messages */
} ThTrips;

typedef struct {
  int32_t horizon_s;       /* a trip departing after this is an error; <= 0: no limit */
  uint32_t servable_modes; /* modes the engine can serve (TH_MODE_* bits); 0 means road only */
} ThTripsReadOptions;

/* Reads PATH against NET and CLASSES. Checks every row and reports every
 * problem, one "FILE:LINE: what is wrong (what was expected)" per line:
 * missing or bad fields, duplicate ids, unknown origin or destination, depart
 * before 0 or after the horizon, unknown class, a mode the engine cannot
 * serve, negative or misplaced tonnes. Returns NULL with TH_ERROR_PARSE or
 * TH_ERROR_INVALID then, TH_ERROR_INVALID too when it cannot be read. Trips keep
 * file order. O(rows). */
ThTrips *th_trips_read(const char *path, const ThNetwork *net, const ThClassTable *classes,
                       const ThTripsReadOptions *opt, GError **error);

/* An empty trip list of capacity N, for building demand in code (tests, the
 * demand generator): fill with th_trips_add. PATH may be NULL. */
ThTrips *th_trips_new(const char *path);
/* Appends a trip; the caller has checked its fields. Returns its index. */
int th_trips_add(ThTrips *t, int64_t id, const ThNetwork *net, int origin_node, int dest_node,
                 int32_t depart_s, const ThClassTable *classes, int cls, uint32_t mode,
                 double tonnes);
void th_trips_free(ThTrips *t);

/* TRUE when NAME can name a purpose: 1 to 32 ASCII letters, digits, '_'
 * or '-' (it becomes part of the key vot_purpose_NAME_per_h). */
gboolean th_trips_purpose_name_ok(const char *name);
/* Sets trip I's purpose to NAME (NULL or "": none); NAME must pass
 * th_trips_purpose_name_ok. Trips from th_trips_add have none. O(purposes). */
void th_trips_set_purpose(ThTrips *t, int i, const char *name);
/* Trip I's purpose, "" when none (lent). */
const char *th_trips_purpose(const ThTrips *t, int i);
/* TRUE when some trip has a purpose: the writers add a purpose column only
 * then, so the files of demand without purposes stay as they were. O(n). */
gboolean th_trips_have_purpose(const ThTrips *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThTrips, th_trips_free)

G_END_DECLS

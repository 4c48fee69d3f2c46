/* access.h: how passengers reach a bus stop or station and leave the last
 * one: the access and egress rules of a transit journey (issue 12, item 6).
 *
 * A passenger journey has one main mode, the mode of its longest in-vehicle
 * leg. Between the zone and the first stop (access), and between the last
 * stop and the zone (egress), a traveller walks, rides a bicycle (or an
 * e-bike) or drives, each up to its own distance:
 *   walk  at walk_kmh,  at most walk_max_km (default 4.5 km/h, 2 km);
 *   bike  at bike_kmh,  at most bike_max_km (default 15 km/h, 10 km);
 *         (the speeds are those of the walk and e-bike modes, [sim]
 *         walk_kmh and ebike_kmh, th_access_rules_set_speeds);
 *   car   on the road's current times, at most car_max_km (default 80 km),
 *         and only at a stop that allows park-and-ride (hubs.csv
 *         `park_and_ride`, default yes for a listed hub, no for a stop that
 *         hubs.csv does not list: a roadside bus stop has no car park).
 * The distance is that of the time-shortest road path (the car's). Within
 * walking distance the traveller walks; beyond it the faster of bike and car
 * (where allowed) is taken, so the route search sees one duration per stop. The rules are the same for
 * access and egress (a car at the far end is a taxi or a pick-up), in both
 * directions, in the simulation's route search (sim/multimodal.h) and in the
 * skims (sim/mode-skim.h).
 * Main mode: a journey whose car access or egress leg is longer (km) than
 * its longest ride is a car journey with a transit hop, not a journey of the
 * transit mode; th_access_car_dominates() says so, and the searches then
 * look again with walk and bike access only.
 * Walking and cycling legs are not simulated on the road (they take the
 * computed time and cost no money); car legs are driven through the road
 * engine and cost the class's money per km.
 * Defaults: 2 km is the usual walking catchment of a stop (about 27 min;
 * transit planning guides use 400-800 m in cities, rural China walks
 * further); 10 km at 15 km/h is an e-bike's (电动车) range to a county bus
 * station; 80 km (about an hour) is the catchment of an HSR station such as
 * 晋城东 (阳城's county town is 61 km from it) (E). */
#pragma once
#include "network/hubs.h"

G_BEGIN_DECLS

typedef enum {
  TH_ACCESS_NONE = 0, /* not reachable under the rules */
  TH_ACCESS_WALK,
  TH_ACCESS_BIKE,
  TH_ACCESS_CAR,
} ThAccessMode;

/* "none", "walk", "bike", "car". */
const char *th_access_mode_name(ThAccessMode m);

typedef struct {
  double walk_max_km, bike_max_km, car_max_km; /* >= 0; 0: that mode never */
  double walk_kmh, bike_kmh;                   /* > 0 */
  gboolean car_only_park_and_ride;             /* TRUE (default): car legs only at P+R stops */
} ThAccessRules;

#define TH_ACCESS_WALK_MAX_KM 2
#define TH_ACCESS_BIKE_MAX_KM 10
#define TH_ACCESS_CAR_MAX_KM 80
#define TH_ACCESS_WALK_KMH 4.5
#define TH_ACCESS_BIKE_KMH 15.0

void th_access_rules_init(ThAccessRules *r);
/* The speeds of the walk and e-bike modes ([sim] walk_kmh, ebike_kmh), so
 * that a walk to a stop and a walk all the way take the same pace; a speed
 * <= 0 keeps R's. O(1). */
void th_access_rules_set_speeds(ThAccessRules *r, double walk_kmh, double bike_kmh);

/* Whether node V allows park-and-ride: a hub of H with park_and_ride. */
gboolean th_access_park_and_ride(const ThHubs *h, int v);

/* The fastest leg the rules R allow over a road path of KM kilometres that a
 * car drives in CAR_S seconds (INFINITY or NAN: no road path, so no leg of
 * any mode: walking and cycling follow the roads), to or from a
 * stop where PARK_RIDE says whether car legs may end; *DURATION_S gets its
 * seconds (-1 when none). O(1). */
ThAccessMode th_access_leg(const ThAccessRules *r, double km, double car_s, gboolean park_ride,
                           int *duration_s);

/* TRUE when a car access or egress leg (ACCESS, EGRESS with their KM) is
 * longer than LONGEST_RIDE_KM, the journey's longest in-vehicle leg: its
 * main mode is then the car. O(1). */
gboolean th_access_car_dominates(ThAccessMode access, double access_km, ThAccessMode egress,
                                 double egress_km, double longest_ride_km);

G_END_DECLS

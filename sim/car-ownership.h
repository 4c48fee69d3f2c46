/* car-ownership.h: which travellers have a car to drive (README, "Walk,
 * e-bike and car ownership"), so that captive riders exist.
 *
 * Rule. A passenger trip's home zone is its origin when that is a
 * study-area zone, else its destination when that is, else its origin
 * (through traffic: external residents). The traveller has a car when
 *     u < share(home),  u = th_agent_uniform(seed, trip id, 0, TH_DRAW_CAR),
 * a draw of its own that no choice iteration changes, so the same trip
 * keeps or lacks its car in every iteration, every scenario of a comparison
 * (the same trip list) and for any thread count. share(zone) is the
 * share of travellers living there who have a car available for the trip
 * (driver); a trip whose end is not a zone, and every shipment, has one.
 * The two legs of a return trip are separate trips and draw separately.
 * A traveller without a car cannot choose the car alternative (the
 * multimodal plan, sim/multimodal.h): a captive rider of bus, rail, walk or
 * e-bike; with none of them it is unserved. O(trips). */
#pragma once
#include "sim/classes.h"
#include "sim/trips.h"

G_BEGIN_DECLS

/* Per trip of T (n entries): 1 when the traveller has a car, 0 when not.
 * ZONE_SHARE: per zone of the trips' network, shares in [0, 1]; INTERNAL:
 * per zone, 1 for a study-area zone (NULL: every zone is). If SHARE_OUT is
 * non-NULL it gets the share of passenger trips with a car. Caller frees. */
guint8 *th_car_available_new(const ThTrips *t, const ThClassTable *classes,
                             const double *zone_share, const guint8 *internal, uint64_t seed,
                             double *share_out);

G_END_DECLS

/* scenario-freight.h: the [freight] levers that need the network: heavy
 * truck bans (sim/truck-ban.h).
 *
 *   [freight]
 *   truck_ban_links = 401;402     ; link ids: trucks may not enter them
 *   truck_ban_nodes = 1           ; node ids: trucks may not pass through them
 *   truck_ban_zones = 1           ; zone ids: the zone's node, as truck_ban_nodes, and
 *                                 ; every link between two nodes of the zone
 *   truck_ban_from = 07:00        ; the window (time of day; both or neither;
 *   truck_ban_to = 19:00          ; neither: all day; from > to wraps midnight)
 *   truck_ban_classes = coal;truck ; freight classes banned (default: every one)
 */
#pragma once
#include "network/network.h"
#include "scenarios/scenario.h"
#include "sim/classes.h"
#include "sim/truck-ban.h"

G_BEGIN_DECLS

/* The truck ban of SC on NET for CLASSES, or NULL when SC sets no
 * truck_ban_links, _nodes or _zones (and no error). Unknown ids or classes,
 * a non-freight class, or a window with one end only: NULL and
 * TH_ERROR_INVALID, every problem as "FILE:LINE: ..." on its own line. */
ThTruckBan *th_scenario_truck_ban(const ThScenario *sc, const ThNetwork *net,
                                  const ThClassTable *classes, GError **error);

G_END_DECLS

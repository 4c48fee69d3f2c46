/* validate.h: checks that need the whole network, not a single row.
 *
 * Readers check each row (ids, numbers, units, modes); these functions check
 * what only the assembled network shows: zones that cannot reach each other,
 * coordinates outside WGS84, nodes no link touches, lengths or speeds that
 * look like a unit mistake. th_network_load() and the scenario loader run
 * them; `taihang check` prints their messages.
 *
 * Each appends messages "FILE:LINE: what is wrong (what was expected)" to a
 * GPtrArray of char* (free func g_free); FILE:LINE is the row of the node or
 * link concerned in net->source_node_file / source_link_file ("network" when
 * the network was built in memory). Errors make a network unusable;
 * warnings are suspicious but usable. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Every zone must reach every other zone on links allowing MODES or
 * connector (no-through zones are not honoured: this is a reachability
 * check, not routing). The strongly connected components of that graph are
 * computed by th_strong_components (network/paths.h); the component holding
 * the most zones (ties: the one holding the lowest zone) is the main one,
 * and each zone outside it gets one error naming the zone, its name, and
 * whether it cannot reach, cannot be reached from, or is cut off from the
 * first zone of the main component.
 * Returns the number of errors appended. O(n + m). */
int th_validate_zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors);

/* Nodes whose lon/lat lie outside WGS84 (-180..180, -90..90) are errors;
 * nodes without coordinates (NaN) are warnings. Skipped for TNTP networks,
 * whose coordinates are in the file's own units. Returns the number of
 * errors. O(n). */
int th_validate_coordinates(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings);

/* Warnings only: nodes that no link touches; links much shorter (< half) or
 * much longer (> 10x, and > 10 km) than the straight line between their
 * nodes (a metres/km mix-up or swapped coordinates); road links faster than
 * 150 km/h and any link faster than 450 km/h. Length and speed checks are
 * skipped for TNTP networks (their own units) and nodes without
 * coordinates. O(n + m). */
void th_validate_sanity(const ThNetwork *net, GPtrArray *warnings);

/* As th_validate_zone_reachability, but the messages are warnings ("...;
 * it is left out of the demand") appended to WARNINGS, and CUT_OFF[z] (an
 * array of n_zones, zeroed by the caller) is set to 1 for each zone outside
 * the main component. Returns the number of zones cut off. O(n + m). */
int th_validate_zone_cut_off(const ThNetwork *net, uint32_t modes, GPtrArray *warnings,
                             guint8 *cut_off);

/* A unit mix-up over the whole network: the median, over links between
 * nodes at least 50 m apart (connectors aside), of length / straight line
 * should lie in TH_LENGTH_RATIO_LOW..HIGH (a road's detour: about 1.05 to
 * 1.5). Outside it, one warning names the median and the likeliest mix-up:
 * miles read as km (x 0.62), km read as miles (x 1.61), feet read as miles
 * (x 5280), metres read as km (x 1000), ... Per-link checks cannot see a
 * factor of 1.6: a single winding road may have it. Skipped for TNTP
 * networks and with fewer than 3 such links. O(m log m). */
#define TH_LENGTH_RATIO_LOW 0.9
#define TH_LENGTH_RATIO_HIGH 1.8
void th_validate_length_unit(const ThNetwork *net, GPtrArray *warnings);

/* All of the above with MODES = road. Returns the number of errors. */
int th_network_validate(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings);

G_END_DECLS

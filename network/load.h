/* load.h: load a network from whatever path a planner gives.
 *
 * A folder is read as GMNS (node.csv + link.csv, and services.csv and
 * hubs.csv when present, by the multimodal readers); a file ending in
 * .tntp as a TNTP net file. Loading runs the same validation as
 * `taihang check`: a network with errors is never returned. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Loads PATH (GMNS folder or TNTP net file) and validates it. On errors,
 * returns NULL with TH_ERROR_INVALID/TH_ERROR_PARSE whose message lists
 * every problem, one "FILE:LINE: what is wrong" per line. */
ThNetwork *th_network_load(const char *path, GError **error);

G_END_DECLS

/* load.h: load a network from whatever path a planner gives.
 *
 * A folder is read as GMNS (node.csv + link.csv, see gmns.h; a path to a
 * folder's node.csv or link.csv means the folder); a file ending in .tntp as
 * a TNTP net file (tntp.h). Loading runs the same validation as
 * `taihang check` (validate.h): a network with errors is never returned. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Loads PATH (GMNS folder or TNTP net file) and validates it. On errors,
 * returns NULL with TH_ERROR_INVALID/TH_ERROR_PARSE whose message lists
 * every problem, one "FILE:LINE: what is wrong (what was expected)" per
 * line; TH_ERROR_IO when a file exists but cannot be read. O(n + m). */
ThNetwork *th_network_load(const char *path, GError **error);

/* As th_network_load, and appends the validation warnings (suspicious but
 * usable: see validate.h) to WARNINGS (char*, g_free) when not NULL. */
ThNetwork *th_network_load_full(const char *path, GPtrArray *warnings, GError **error);

/* As th_network_load_full; when STRICT is FALSE, a zone cut off from the
 * main road component is no error: it is reported as a warning and flagged
 * in net->zone_cut_off, and the demand readers (assign's OD table, trips
 * files) leave its trips out with a warning. STRICT TRUE is
 * th_network_load_full. O(n + m). */
ThNetwork *th_network_load_opt(const char *path, gboolean strict, GPtrArray *warnings,
                               GError **error);

G_END_DECLS

/* paths.h: one-to-all shortest paths on the compressed adjacency, and skims.
 *
 * The hot loop of taihang: skims, assignment and replanning all call
 * th_sp_run() many times, so a ThShortestPaths holds every buffer it needs
 * and is reused across sources (one per thread). */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

typedef struct ThShortestPaths ThShortestPaths;

/* Workspace for one thread on NET (which must be finalized). O(n). */
ThShortestPaths *th_sp_new(const ThNetwork *net);
void th_sp_free(ThShortestPaths *sp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThShortestPaths, th_sp_free)

/* Dijkstra from node SOURCE over the links whose modes intersect MODES
 * (connector links are always usable), with WEIGHT[e] >= 0 per link index
 * (INFINITY closes a link). Nodes with node_no_thru set are never passed
 * through (they may be the source or a destination). Ties are broken the same
 * way every run. O((n + m) log n). */
void th_sp_run(ThShortestPaths *sp, int source, const double *weight, uint32_t modes);
/* Results of the last run, n_nodes long: distance (INFINITY if unreachable)
 * and the link that reaches each node on its shortest path (-1 for the source
 * and unreachable nodes). Borrowed; valid until the next run. */
const double *th_sp_dist(const ThShortestPaths *sp);
const int *th_sp_pred_link(const ThShortestPaths *sp);

G_END_DECLS

/* igraph-bridge.h: the network as an igraph graph, for reference results in
 * tests and benchmarks, and GraphML export (connectivity checks use
 * th_strong_components of network/paths.h).
 *
 * The taihang command reaches this file only through the module
 * libth-igraph.so (network/graphml.h), so that it starts without igraph;
 * tests and benchmarks link it directly (it stays in libth_network.a).
 *
 * Vertex v of the graph is node index v of the network. Edges are the links
 * that allow a requested mode, in increasing link index, so with TH_MODE_ALL
 * edge e is link e. */
#pragma once
#include "network/network.h"

#include <igraph.h>
#include <stdio.h>

G_BEGIN_DECLS

/* Makes igraph usable from taihang, once per process (thread-safe): errors
 * are returned as codes instead of aborting, warnings are silenced, and the
 * C attribute handler is installed (GraphML with attributes needs it). Every
 * function below calls it; call it yourself before other igraph use. */
void th_igraph_init(void);

/* Builds GRAPH (directed; the caller igraph_destroy()s it) from NET's links
 * that allow any mode of MODES (TH_MODE_ALL: every link).
 * LINK_WEIGHT: optional per-link array (length n_links, e.g.
 * net->free_time_s); when given with WEIGHTS, WEIGHTS receives the weight
 * of each edge. EDGE_LINK: optional, receives the link index of each edge.
 * WEIGHTS and EDGE_LINK must be initialized vectors (they are resized).
 * NET must be finalized. FALSE with TH_ERROR_FAILED if igraph fails
 * (out of memory). O(n + m). */
gboolean th_igraph_from_network(const ThNetwork *net, uint32_t modes, const double *link_weight,
                                igraph_t *graph, igraph_vector_t *weights,
                                igraph_vector_int_t *edge_link, GError **error);

/* Writes NET as GraphML to OUT (every link an edge, in link order), with
 * vertex attributes node_id, name, lon, lat, kind, zone_id (NaN if none) and
 * edge attributes link_id, name, facility_type, allowed_uses, length_km,
 * free_speed_kmh, free_time_min, capacity_vph (NaN if unlimited), lanes,
 * bpr_alpha, bpr_beta, toll, cost_per_tkm. Writing atomically is the
 * caller's job (network/atomic.h). FALSE with TH_ERROR_IO or TH_ERROR_FAILED. */
gboolean th_igraph_write_graphml(const ThNetwork *net, FILE *out, GError **error);

G_END_DECLS

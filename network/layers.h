/* layers.h: the layered multimodal graph ("virtual network").
 *
 * The physical network is expanded into one layer per mode (road, rail, hsr,
 * intercity, bus). A layer holds a copy of every node that a link of its mode
 * touches and a copy of those links. Layers meet only at stations and hubs
 * (nodes of kind station or hub, nodes listed in hubs.csv, and service stops)
 * through transfer links: road -> mode ("board") and mode -> road
 * ("alight"), which carry the passenger transfer time and, for freight, the
 * handling cost per tonne and the handling rate. Access and egress are the
 * road layer itself. Because the result is an ordinary finalized ThNetwork,
 * one th_sp_run() over it chooses mode and route together (freight), with
 * the per-link weights that th_layers_freight_weights() computes.
 *
 * Layer links keep the physical link's modes bit of their layer (road layer:
 * TH_MODE_ROAD, connectors stay TH_MODE_CONNECTOR); transfer links carry
 * TH_MODE_WALK, so a search with modes ROAD only never leaves the road, and
 * ROAD|RAIL|WALK may change to rail at hubs. */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"

G_BEGIN_DECLS

typedef enum {
  TH_LAYER_ROAD = 0,
  TH_LAYER_RAIL,
  TH_LAYER_HSR,
  TH_LAYER_INTERCITY,
  TH_LAYER_BUS,
  TH_N_LAYERS
} ThLayer;

typedef enum {
  TH_LLINK_TRAVEL = 0, /* a copy of a physical link */
  TH_LLINK_BOARD,      /* road -> mode layer at a station or hub */
  TH_LLINK_ALIGHT,     /* mode layer -> road */
} ThLayerLinkKind;

typedef struct ThLayers {
  ThNetwork *g;            /* the layered graph (finalized) */
  const ThNetwork *net;    /* the physical network (borrowed) */
  int *node_orig;          /* g node -> physical node */
  guint8 *node_layer;      /* g node -> ThLayer */
  int *layer_node;         /* TH_N_LAYERS x net->n_nodes: g node or -1 */
  int *link_orig;          /* g link -> physical link, or -1 for transfers */
  guint8 *link_kind;       /* ThLayerLinkKind */
  int *link_transfer_s;    /* transfer links: passenger transfer time */
  double *link_handling_tph;   /* transfer links: freight handling rate (0: no freight here) */
  double *link_handling_cost_t;/* transfer links: yuan per tonne */
} ThLayers;

/* The layer of a mode bit (-1 if none). */
int th_layer_of_mode(uint32_t mode);

/* Builds the layered graph from the finalized NET, the services (stops
 * become transfer points; may be NULL) and the hubs (transfer times and
 * handling; may be NULL). O(L (n + m)) for L layers. */
ThLayers *th_layers_build(const ThNetwork *net, const ThServices *services, const ThHubs *hubs,
                          GError **error);
void th_layers_free(ThLayers *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThLayers, th_layers_free)

/* g node of physical node V in LAYER, or -1. */
static inline int th_layers_node(const ThLayers *l, ThLayer layer, int v) {
  return l->layer_node[(size_t)layer * l->net->n_nodes + v];
}

/* Freight generalized cost per tonne, per layered link, for a shipment of
 * TONNES: road links (time x VOT + km x truck cost + toll) / tonnes per truck
 * + cost_per_tkm x km; rail links time x VOT per tonne + cost_per_tkm x km;
 * board/alight links at hubs with handling: (TONNES / rate) x VOT per tonne
 * + handling cost per tonne + EXTRA_WAIT_S x VOT per tonne on boarding (the
 * expected wait for a train); INFINITY at transfer points without handling.
 * VOT_PER_T_H is yuan per tonne-hour; TRUCK_COST_PER_KM yuan per truck-km.
 * ROAD_TIME_S (may be NULL: free-flow) gives experienced road times per
 * physical link. Writes g->n_links weights into OUT. O(m). */
void th_layers_freight_weights(const ThLayers *l, double tonnes, double vot_per_t_h,
                               double truck_cost_per_km, double tonnes_per_truck,
                               double extra_wait_s, const double *road_time_s, double *out);

/* Reads DIR/services.csv and DIR/hubs.csv when present (a missing file
 * gives NULL in *SERVICES or *HUBS; a DIR that is not a folder, e.g. a .tntp
 * file, gives both NULL). Problems of both files are reported together, one
 * "FILE:LINE: ..." per line (TH_ERROR_INVALID or TH_ERROR_PARSE). */
gboolean th_multimodal_read_dir(const char *dir, const ThNetwork *net, ThServices **services,
                                ThHubs **hubs, GError **error);

G_END_DECLS

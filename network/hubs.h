/* hubs.h: stations and logistics hubs read from hubs.csv.
 *
 * A hub is a node where modes meet: passengers change between road and the
 * rail modes there (transfer_min), freight is handled between truck and
 * train (handling_rate_tph tonnes per hour, handling_cost_per_t yuan per
 * tonne). Nodes that are stops of a service but not listed get the defaults
 * below (th_hubs_transfer_s). A logistics park may consolidate
 * (consolidate_max_t): part loads, shipments below their class's truckload,
 * board trains only at such a park, which also sends them on by full trucks
 * (sim/freight.h, the consolidated road haul). Units inside: seconds,
 * tonnes per second. */
#pragma once
#include "network/network.h"

#include <stdio.h>

G_BEGIN_DECLS

typedef enum {
  TH_HUB_STATION = 0, /* passengers */
  TH_HUB_LOGISTICS,   /* freight (and passengers, if it is a stop of a passenger line) */
} ThHubKind;

/* Passenger transfer time at a stop that hubs.csv does not list, seconds. */
#define TH_DEFAULT_TRANSFER_S 300

typedef struct {
  int node;                   /* node index */
  char *name;                 /* "" when none */
  ThHubKind kind;
  uint32_t modes;             /* TH_MODE_* bits that meet here */
  int transfer_s;             /* passenger transfer time */
  double handling_rate_tph;   /* tonnes per hour; 0 = no freight handling */
  double handling_cost_per_t; /* yuan per tonne */
  int dwell_limit_s;          /* longest a shipment may wait; 0 = no limit */
  double consolidate_max_t;   /* > 0: a park that consolidates part loads (shipments below their
                               * class's truckload) of at most this many tonnes onto trains or
                               * full trucks; elsewhere part loads do not board (sim/freight.h) */
  char *source;
  int file_line;
} ThHub;

typedef struct ThHubs {
  int n_hubs;
  ThHub *hubs;
  int *hub_of_node;           /* n_nodes: hub index or -1 */
  int n_nodes;
  char *source_file;
} ThHubs;

/* No hubs, for a network of N_NODES nodes. */
ThHubs *th_hubs_new(int n_nodes);
void th_hubs_free(ThHubs *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThHubs, th_hubs_free)

/* Reads PATH (hubs.csv) against the finalized network NET. Every problem is
 * reported as "FILE:LINE: what is wrong (what was expected)", one per line,
 * in one TH_ERROR_INVALID (TH_ERROR_PARSE for a malformed file; TH_ERROR_INVALID
 * "PATH: cannot read (reason)" when unreadable). O(rows). */
ThHubs *th_hubs_read(const char *path, const ThNetwork *net, GError **error);
ThHubs *th_hubs_read_text(const char *name, const char *text, gsize len, const ThNetwork *net,
                          GError **error);

/* The hub at node V, or NULL. O(1). */
static inline const ThHub *th_hubs_at(const ThHubs *h, int v) {
  return (h && v >= 0 && v < h->n_nodes && h->hub_of_node[v] >= 0) ? &h->hubs[h->hub_of_node[v]]
                                                                   : NULL;
}
/* Passenger transfer time at node V: the hub's, or TH_DEFAULT_TRANSFER_S. */
int th_hubs_transfer_s(const ThHubs *h, int v);

/* Writes the hubs back as hubs.csv to OUT. */
void th_hubs_write(const ThHubs *h, const ThNetwork *net, FILE *out);

G_END_DECLS

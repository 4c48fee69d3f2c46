/* network.h: the multimodal network in memory: nodes, zones, directed links.
 *
 * The model is a struct of arrays (one array per attribute, indexed by the
 * internal node or link index) so that hot loops touch only the attributes
 * they need, plus a compressed adjacency (CSR) in both directions. Internal
 * indices are dense 0..n-1 in input order; external ids (int64, as written in
 * files) map to them through th_network_node_index().
 *
 * Units are SI inside (metres, seconds, metres per second) except where the
 * name carries the unit (capacity_vph: vehicles per hour, the unit every
 * planner and every data source uses). Conversions from planner units happen
 * in the readers, once.
 *
 * Lifecycle: th_network_new() -> th_network_add_node()/add_link() ->
 * th_network_finalize() (builds CSR and indexes; afterwards the network is
 * read-only and may be shared between threads) -> th_network_free(). */
#pragma once
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Modes a link allows, as a bit set. Names as written in files are the
 * lowercase names: road, rail, hsr, intercity, bus, walk, connector, ebike. */
typedef enum {
  TH_MODE_ROAD = 1u << 0,      /* cars and trucks */
  TH_MODE_RAIL = 1u << 1,      /* conventional rail (passenger and freight) */
  TH_MODE_HSR = 1u << 2,       /* high-speed rail */
  TH_MODE_INTERCITY = 1u << 3, /* intercity rail */
  TH_MODE_BUS = 1u << 4,       /* scheduled buses (they also use road links) */
  TH_MODE_WALK = 1u << 5,
  TH_MODE_CONNECTOR = 1u << 6, /* zone centroid connectors: usable by every mode */
  TH_MODE_EBIKE = 1u << 7,     /* e-bike or motorcycle: a traveller's mode over road lengths at a
                                  fixed speed, no vehicle in the road engine (sim/multimodal.h) */
} ThMode;
#define TH_N_MODES 8
#define TH_MODE_ALL 0xFFu

/* Name of a single mode bit ("road"), or NULL. */
const char *th_mode_name(uint32_t mode);
/* Parses one mode name; 0 if unknown. */
uint32_t th_mode_from_name(const char *name);
/* Parses a list like "road;bus" or "road|bus" or "road bus" into a bit set.
 * Returns FALSE and the first unknown name in *bad (caller frees) if any. */
gboolean th_modes_parse(const char *list, uint32_t *out, char **bad);
/* Writes a bit set as "road;bus" (caller frees). */
char *th_modes_format(uint32_t modes);

typedef enum {
  TH_NODE_JUNCTION = 0,
  TH_NODE_ZONE,     /* a zone centroid: never passed through */
  TH_NODE_TOWN,     /* a town: may be a zone and may be passed through */
  TH_NODE_STATION,
  TH_NODE_HUB,
} ThNodeKind;
const char *th_node_kind_name(ThNodeKind kind);
gboolean th_node_kind_from_name(const char *name, ThNodeKind *out);

/* What a reader knows about one link, in SI units. */
typedef struct {
  int64_t id;
  int64_t from_id, to_id;   /* external node ids */
  uint32_t modes;           /* TH_MODE_* bits */
  const char *name;         /* may be NULL; copied */
  const char *facility;     /* facility type, e.g. "expressway"; may be NULL; copied */
  double length_m;
  double free_speed_mps;    /* > 0 */
  double free_time_s;       /* if <= 0: length_m / free_speed_mps */
  double capacity_vph;      /* whole link, all lanes, vehicles (car units) per hour */
  double lanes;
  double bpr_alpha, bpr_beta;
  double toll;              /* money per vehicle */
  double cost_per_tkm;      /* money per tonne-km (freight) */
  const char *geometry_wkt; /* "LINESTRING (lon lat, ...)" or NULL; copied */
  const char *source;       /* provenance, e.g. "E" for estimate; may be NULL; copied */
  int line;                 /* line in the source file, for messages (0 if none) */
} ThLinkSpec;

typedef struct ThNetwork {
  /* --- nodes --- */
  int n_nodes;
  int64_t *node_id;        /* external id */
  char **node_name;        /* UTF-8, never NULL ("" when none) */
  double *lon, *lat;       /* WGS84 degrees; NAN when unknown */
  ThNodeKind *node_kind;
  int *node_zone;          /* zone index or -1 */
  guint8 *node_no_thru;    /* 1: paths may start or end here but never pass through */
  int *node_line;          /* source line, for messages */
  char **node_source;      /* provenance (H, M, E, ...), never NULL ("" when none) */

  /* --- zones (a subset of nodes; the order is zone-id order) --- */
  int n_zones;
  int *zone_node;          /* node index of zone z */
  int64_t *zone_id;        /* external zone id (often equals the node id) */
  double *zone_population, *zone_gdp, *zone_jobs; /* 0 when unknown */

  /* --- links --- */
  int n_links;
  int64_t *link_id;
  int *link_from, *link_to;   /* node indices */
  uint32_t *link_modes;
  char **link_name, **link_facility, **link_geometry, **link_source; /* "" when none */
  double *length_m, *free_speed_mps, *free_time_s, *capacity_vph, *lanes;
  double *bpr_alpha, *bpr_beta, *toll, *cost_per_tkm;
  int *link_line;

  /* --- compressed adjacency, built by finalize --- */
  int *out_start;  /* n_nodes+1; links leaving node v: out_link[out_start[v] .. out_start[v+1]) */
  int *out_link;   /* link indices, by tail node, then by input order */
  int *in_start;   /* n_nodes+1 */
  int *in_link;    /* link indices, by head node, then by input order */

  /* --- provenance --- */
  char *source_node_file;  /* for messages; may be NULL */
  char *source_link_file;
  char *format;            /* "gmns" or "tntp" */

  /* TNTP metadata (zero where the format has none) */
  double tntp_toll_factor, tntp_distance_factor;
  double *tntp_length;     /* length as written in a TNTP file (its own unit); NULL for GMNS */

  /* --- GMNS as specified (network/gmns.h); NULL/0 for taihang's own folders --- */
  char **node_label;       /* id as written when some id is not a whole number; else NULL */
  char **link_label;       /* likewise for links (an undirected link's reverse: "ID:r") */
  GHashTable *zone_label;  /* int64 zone id -> text, for zone ids that are not whole numbers */
  char *crs;               /* the CRS the coordinates were given in (config.csv), NULL = WGS84 */
  gboolean gmns_spec;      /* read from a GMNS folder as specified (config.csv or `directed`) */
  guint8 *zone_cut_off;    /* n_zones flags, or NULL: 1 = outside the main road component,
                            * left out of demand (load.h, lenient loading) */

  /* private */
  GStringChunk *strings;   /* owns every name, facility, geometry and source (deduplicated) */
  GHashTable *node_index;  /* int64 id -> index+1 */
  GHashTable *link_index;
  GHashTable *zone_index;
  GHashTable *label_index; /* "n"/"l"/"z" + text id -> index+1, for th_network_*_find */
  gboolean finalized;
  int cap_nodes, cap_links;
} ThNetwork;

ThNetwork *th_network_new(void);
void th_network_free(ThNetwork *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThNetwork, th_network_free)

/* Adds a node; returns its index, or -1 if the id exists already. NAME may be
 * NULL. ZONE_ID < 0 means "not a zone". Zone attributes may be 0. */
int th_network_add_node(ThNetwork *net, int64_t id, const char *name, double lon, double lat,
                        ThNodeKind kind, int64_t zone_id, double population, double gdp,
                        double jobs, int line);
/* Sets the provenance text of node V (copied). */
void th_network_set_node_source(ThNetwork *net, int v, const char *source);
/* Adds a link; returns its index, or -1 if the id exists already or a node is
 * unknown (readers check those first to give a good message). */
int th_network_add_link(ThNetwork *net, const ThLinkSpec *spec);
/* Builds the CSR adjacency and the zone table (zones sorted by zone id).
 * O(n + m log m). */
gboolean th_network_finalize(ThNetwork *net, GError **error);

/* Index of the node with external id ID, or -1. O(1). */
int th_network_node_index(const ThNetwork *net, int64_t id);
int th_network_link_index(const ThNetwork *net, int64_t id);
/* Index of the zone with external zone id ID, or -1. */
int th_network_zone_index(const ThNetwork *net, int64_t id);
/* Finds a zone by node id, zone id or (UTF-8) node name; -1 if none. */
int th_network_zone_lookup(const ThNetwork *net, const char *key);

/* The id of node V, link E or zone Z as a planner wrote it: the label when
 * the file's id was text, else the decimal id printed into BUF (24 bytes or
 * more). Every output that names a node, link or zone should use these. */
const char *th_network_node_label(const ThNetwork *net, int v, char *buf);
const char *th_network_link_label(const ThNetwork *net, int e, char *buf);
const char *th_network_zone_label(const ThNetwork *net, int z, char *buf);
/* Sets the text id of node V / link E / zone id ZONE_ID (copied); used by
 * readers of formats whose ids are text. The network must be finalized. */
void th_network_set_node_label(ThNetwork *net, int v, const char *text);
void th_network_set_link_label(ThNetwork *net, int e, const char *text);
void th_network_set_zone_label(ThNetwork *net, int64_t zone_id, const char *text);
/* The node, link or zone whose id as written (th_network_*_label) is TEXT:
 * the inverse of the labels, for readers of taihang's own outputs. -1 when
 * none. O(1). */
int th_network_node_find(const ThNetwork *net, const char *text);
int th_network_link_find(const ThNetwork *net, const char *text);
int th_network_zone_find(const ThNetwork *net, const char *text);
/* The link of OTHER with the id (as written) of link E of NET, or -1: how a
 * scenario's links are matched to its base's. O(1). */
int th_network_link_match(const ThNetwork *other, const ThNetwork *net, int e);

/* A stable fingerprint of the topology (ids, ends, modes, lengths) as 16 hex
 * digits, so results can be checked against the network they came from. */
char *th_network_fingerprint(const ThNetwork *net);


/* Length of a great-circle arc between two WGS84 points, metres. */
double th_haversine_m(double lon1, double lat1, double lon2, double lat2);

G_END_DECLS

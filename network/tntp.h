/* tntp.h: the TNTP formats of Transportation Networks for Research
 * (https://github.com/bstabler/TransportationNetworks): *_net.tntp,
 * *_trips.tntp, *_node.tntp, *_flow.tntp.
 *
 * Every TNTP file starts with a metadata block of `<KEY> value` lines ended
 * by `<END OF METADATA>`; `~` starts a comment that runs to the end of the
 * line, and `;` terminates records. TNTP nodes are numbered 1..NUMBER OF
 * NODES and the first NUMBER OF ZONES nodes are the zones (zone id = node
 * id). Links have no id in the file: taihang numbers them 1, 2, ... in file
 * order, and every writer keeps that order.
 *
 * Every reader reports every problem it finds, one
 * `FILE:LINE: what is wrong (what was expected)` per line, in one GError
 * (TH_ERROR_PARSE for malformed text, TH_ERROR_INVALID for values that make
 * no sense, TH_ERROR_INVALID "PATH: cannot read (reason)" when the file cannot be read). */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Reads a *_net.tntp file (and its *_node.tntp beside it for coordinates,
 * when present: `_net` replaced by `_node`). Nodes 1..NUMBER OF ZONES are
 * zones (kind zone when below FIRST THRU NODE, i.e. never passed through,
 * else town); FIRST THRU NODE 1 (or absent) lets every node be passed
 * through. Every link allows mode road; free_time_s = free flow time x 60
 * (TNTP times are minutes); capacity_vph = capacity; bpr_alpha = B;
 * bpr_beta = power; toll = toll; tntp_length keeps the file's length and
 * length_m converts it with the unit named in the metadata (ft, km, m;
 * miles otherwise); tntp_toll_factor and tntp_distance_factor keep the
 * metadata's TOLL FACTOR and DISTANCE FACTOR. Coordinates are kept only when
 * every node of the node file lies within WGS84 ranges (NAN otherwise).
 *
 * Errors: truncated file or record, NUMBER OF LINKS different from the links
 * in the file, links naming nodes outside 1..NUMBER OF NODES, capacity <= 0,
 * negative free flow time, B or power, non-numeric fields, missing metadata.
 * Returns a finalized network, or NULL. O(n + m log m). */
ThNetwork *th_tntp_read_net(const char *path, GError **error);

/* Path of the file of kind KIND ("trips", "node", "flow") beside the net file
 * NET_PATH: the last "_net" in the name replaced by "_KIND". Caller frees.
 * NULL if NET_PATH has no "_net" in its file name. */
char *th_tntp_sibling(const char *net_path, const char *kind);

/* An origin-destination table, sparse, by origin zone then destination zone
 * (zone indices of the network it was read for). Intrazonal trips are kept
 * (assignment ignores them). */
typedef struct {
  int n_zones;        /* of the network */
  int *origin_start;  /* n_zones + 1: entries of origin zone o are [origin_start[o], origin_start[o+1]) */
  int *dest;          /* destination zone index per entry */
  double *trips;      /* trips per entry, >= 0 */
  int n_entries;
  double total;       /* sum of trips */
} ThOdTable;

/* Builds a table from unordered (origin zone, destination zone, trips)
 * triples; duplicate pairs are summed. O(k log k). */
ThOdTable *th_od_table_new(int n_zones, int n, const int *orig, const int *dest,
                           const double *trips);
void th_od_table_free(ThOdTable *od);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThOdTable, th_od_table_free)

/* Reads a *_trips.tntp file for NET (`Origin N` blocks of `D : trips;`
 * entries). Errors: zones unknown to NET, non-numeric or negative trips,
 * NUMBER OF ZONES different from NET's zones, an entry outside an Origin
 * block. O(k log k) for k entries. */
ThOdTable *th_tntp_read_trips(const char *path, const ThNetwork *net, GError **error);

/* A *_flow.tntp file: one row per link, `From To Volume Cost`. */
typedef struct {
  int n;
  int64_t *from, *to;
  double *volume, *cost;
} ThTntpFlow;

/* Reads a flow file. Errors: non-numeric fields, rows with fewer than four
 * fields. O(n). */
ThTntpFlow *th_tntp_read_flow(const char *path, GError **error);
void th_tntp_flow_free(ThTntpFlow *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThTntpFlow, th_tntp_flow_free)

/* The text of a flow file (`From To Volume Cost`, tab separated, links in
 * NET's order, numbers with 17 significant digits so they read back exactly)
 * for VOLUME and COST per link index; the caller writes it (through
 * network/atomic.h) and frees it. O(m). */
char *th_tntp_format_flow(const ThNetwork *net, const double *volume, const double *cost,
                          gsize *len);

G_END_DECLS

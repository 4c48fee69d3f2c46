/* gmns.h: GMNS-style network folders: node.csv + link.csv.
 * Columns, units and defaults: see README.md, "Network files".
 *
 * Units at the file edge are the planner's (km, km/h, veh/h, minutes) and
 * SI inside (length_m, free_speed_mps, free_time_s); capacity stays in
 * veh/h. An empty capacity (allowed only on links without road or bus) is
 * read as INFINITY, meaning unlimited, and written back as empty. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Reads DIR/node.csv and DIR/link.csv. Every problem found is reported (one
 * "FILE:LINE: what is wrong (what was expected)" per line of the message,
 * in file then line order), not only the first; returns NULL then, with
 * TH_ERROR_PARSE if any problem is one of form (missing column, text where
 * a number belongs) and TH_ERROR_INVALID otherwise. A missing folder or
 * file is TH_ERROR_INVALID; a file that exists but cannot be read,
 * TH_ERROR_IO. Checks rows only; whole-network checks are in validate.h.
 * The network is finalized; format "gmns"; source_node_file and
 * source_link_file name the files for later messages. O(n + m). */
ThNetwork *th_gmns_read(const char *dir, GError **error);

/* As th_gmns_read, appending the reader's warnings (a GMNS folder's empty
 * `directed`, links left out for allowing only uses taihang does not model,
 * zones of zone.csv no node names) to WARNINGS when not NULL.
 *
 * GMNS as specified: a folder with config.csv, or whose link.csv has the
 * spec's required `directed` column, is read as the specification defines
 * it (README, "GMNS as specified"): units and CRS from config.csv
 * (reprojected to WGS84 with PROJ; net->crs keeps the original), ids of any
 * text (net->node_label/link_label keep them), `directed = false` as two
 * links (the second labelled "ID:r"), capacity per lane (capacity_vph =
 * capacity x lanes), lanes = 0 allowed on links without road or bus,
 * allowed_uses as GMNS use names with use_definition.csv and use_group.csv,
 * free-text node_type, empty optional fields (an empty length is measured
 * from the geometry or the nodes), zone_id as a foreign key (zone.csv when
 * present) that several nodes may share. A folder without either is read
 * in taihang's own convention: km, km/h, WGS84, capacity per link. */
ThNetwork *th_gmns_read_full(const char *dir, GPtrArray *warnings, GError **error);

/* Writes NET as DIR/node.csv and DIR/link.csv (creating DIR; each file
 * written to a temporary and renamed into place). Numbers are the shortest
 * decimals that read back exactly: reading the folder gives the same
 * network bit for bit (lengths always; speeds and times whenever they are
 * what some km/h or minute text converts to, as for any network read from
 * a file, else within one ulp). A free_time_min column is added only when
 * some link's free-flow time is not length / speed (TNTP networks). Node
 * provenance (`source`) is not kept by ThNetwork and is written empty.
 * A network read as GMNS as specified (net->gmns_spec) is written as such:
 * config.csv (long_length km, speed kmh, the original crs), ids as written
 * (labels), coordinates and geometries converted back to that crs, a
 * `directed` column (true: an undirected link was read as two), capacity
 * per lane; reading it back gives the same network (coordinates within
 * PROJ's round trip, about 1e-9 degrees).
 * TH_ERROR_IO on failure. O(n + m). */
gboolean th_gmns_write(const ThNetwork *net, const char *dir, GError **error);

G_END_DECLS

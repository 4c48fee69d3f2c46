/* gmns.h: GMNS-style network folders: node.csv + link.csv.
 * Columns and units: see README.md, "Network files". */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Reads DIR/node.csv and DIR/link.csv. Every problem found is reported (one
 * "FILE:LINE: what is wrong (what was expected)" per line of the message),
 * not only the first; returns NULL then. The network is finalized. O(n + m). */
ThNetwork *th_gmns_read(const char *dir, GError **error);
/* Writes NET as DIR/node.csv and DIR/link.csv (atomically each). A network
 * read back equals the one written. */
gboolean th_gmns_write(const ThNetwork *net, const char *dir, GError **error);

G_END_DECLS

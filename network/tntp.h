/* tntp.h: the TNTP formats of Transportation Networks for Research
 * (https://github.com/bstabler/TransportationNetworks): *_net.tntp,
 * *_trips.tntp, *_node.tntp, *_flow.tntp. */
#pragma once
#include "network/network.h"

G_BEGIN_DECLS

/* Reads a *_net.tntp file (and its *_node.tntp beside it for coordinates,
 * when present). Nodes 1..NUMBER OF ZONES are zones; nodes below FIRST THRU
 * NODE are never passed through. free_time_s = free flow time x 60 (TNTP
 * times are minutes); tntp_length keeps the file's length; the metadata's
 * TOLL FACTOR and DISTANCE FACTOR are kept. Returns a finalized network. */
ThNetwork *th_tntp_read_net(const char *path, GError **error);

G_END_DECLS

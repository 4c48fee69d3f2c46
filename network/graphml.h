/* graphml.h: the network as GraphML, written by igraph in the module
 * libth-igraph.so (network/igraph-bridge.c), loaded on first use: igraph
 * and the ~15 libraries it pulls in (BLAS, LAPACK, GLPK, ARPACK, libxml2,
 * libstdc++, ...) are no longer loaded by every command (issue 16). */
#pragma once
#include "network/network.h"

#include <stdio.h>

G_BEGIN_DECLS

/* th_igraph_write_graphml (network/igraph-bridge.h) through the module:
 * same file, same errors; TH_ERROR_IO if the module does not load. */
gboolean th_graphml_write(const ThNetwork *net, FILE *out, GError **error);

G_END_DECLS

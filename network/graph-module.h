/* graph-module.h: the igraph module, libth-igraph.so: the network as an
 * igraph graph (igraph-bridge.c), GraphML export and the validator's zone
 * reachability (validate-igraph.c), loaded the first time one of them is
 * needed. igraph 0.10 pulls in 20 libraries (BLAS, LAPACK, ARPACK, GLPK,
 * GMP, libxml2 and ICU, libstdc++, libgfortran, ...): linking them cost
 * every command about 3.7 ms of start-up (an empty program linked with
 * taihang's libraries: 6.9 ms, without igraph's: 3.2 ms), though only
 * network checks and GraphML export use igraph.
 *
 * The mechanism is output/graphics.h's: the igraph files are built into the
 * shared module (graph_module in network/meson.build) and into the static
 * library th_igraph (igraph_bridge_dep, for tests and benchmarks that call
 * igraph directly), never into network_lib. Entry points are
 * th_graph_module_* functions marked G_MODULE_EXPORT, declared below with
 * their pointer types, reached through th_graph_module_symbol(). */
#pragma once
#include "network/network.h"

#include <stdio.h>

G_BEGIN_DECLS

/* Entry points of libth-igraph.so. */
typedef int (*ThGraphZoneReachability)(const ThNetwork *net, uint32_t modes, GPtrArray *errors);
typedef gboolean (*ThGraphWriteGraphml)(const ThNetwork *net, FILE *out, GError **error);

/* The entry NAME of the igraph module, loading the module on the first call
 * (network/module.h): where the build put it (TH_IGRAPH_MODULE), else beside
 * the program in network/. NULL with TH_ERROR_IO when it is missing. */
gpointer th_graph_module_symbol(const char *name, GError **error);

/* th_igraph_write_graphml (igraph-bridge.h) through the module. */
gboolean th_graph_write_graphml(const ThNetwork *net, FILE *out, GError **error);

G_END_DECLS

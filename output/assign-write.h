/* assign-write.h: the outputs of `taihang assign`: link flows as CSV
 * (link_id,from,to,class,volume,pcu,time_min,cost, one row per class and a
 * total row) or in the TNTP flow format, and the congested skim
 * (origin,destination,mode,time_min,distance_km,cost per class). Every file
 * written whole (network/atomic.h); TH_ERROR_IO on failure. */
#pragma once
#include "network/network.h"
#include "sim/assign-input.h"
#include "sim/assign.h"

G_BEGIN_DECLS

/* CLASSES: the ThAssignInputClass array the assignment ran with. */
gboolean th_assign_write_flows_csv(const char *path, const ThNetwork *net, GArray *classes,
                                   const ThAssignResult *r, GError **error);
/* Total volume of all classes; cost: the class's generalized cost with one
 * class, else the travel time. */
gboolean th_assign_write_flows_tntp(const char *path, const ThNetwork *net, GArray *classes,
                                    const ThAssignResult *r, GError **error);
/* The skim of every class at the assigned times (th_assign_skim, THREADS). */
gboolean th_assign_write_skim(const char *path, const ThNetwork *net, GArray *classes,
                              const ThAssignClass *ac, const ThAssignResult *r, int threads,
                              GError **error);

G_END_DECLS

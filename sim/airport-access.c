/* airport-access.c: door-to-door time from every zone to chosen nodes (see
 * airport-access.h). */
#include "sim/airport-access.h"
#include "network/paths.h"

#include <math.h>

double *th_airport_access_new(const ThNetwork *net, const ThModeSkim *skim,
                              const double *link_time_s, const int *airports, int n_airports) {
  const int nz = net->n_zones;
  g_autofree double *w = g_new(double, net->n_links);
  for (int e = 0; e < net->n_links; e++)
    w[e] = link_time_s && isfinite(link_time_s[e]) && link_time_s[e] > 0 ? link_time_s[e]
                                                                          : net->free_time_s[e];
  /* road(c, a), minutes: one Dijkstra from each zone */
  g_autofree double *road = g_new(double, (size_t)nz * n_airports);
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  for (int c = 0; c < nz; c++) {
    th_sp_run(sp, net->zone_node[c], w, TH_MODE_ROAD);
    const double *dist = th_sp_dist(sp);
    for (int k = 0; k < n_airports; k++) {
      double t = dist[airports[k]];
      road[(size_t)c * n_airports + k] = isfinite(t) ? t / 60.0 : NAN;
    }
  }
  double *out = g_new(double, (size_t)nz * n_airports);
  for (int z = 0; z < nz; z++)
    for (int k = 0; k < n_airports; k++) {
      double best = NAN;
      for (int c = 0; c < nz; c++) {
        double r = road[(size_t)c * n_airports + k];
        double b = c == z ? 0 : th_mode_skim_at(skim, TH_SKIM_BEST, z, c);
        if (isnan(r) || isnan(b)) continue;
        if (isnan(best) || b + r < best) best = b + r;
      }
      out[(size_t)z * n_airports + k] = best;
    }
  return out;
}

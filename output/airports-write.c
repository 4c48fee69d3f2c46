/* airports-write.c: airports.csv of `taihang compare` (see airports-write.h). */
#include "output/airports-write.h"
#include "network/csv.h"
#include "network/atomic.h"

#include <inttypes.h>
#include <math.h>

static void put_min(FILE *out, double v) {
  if (isnan(v)) return;
  if (fabs(v) < 0.005) v = 0; /* never -0.00 */
  fprintf(out, "%.2f", v);
}

gboolean th_compare_write_airports(const char *path, const ThNetwork *net, const int *airports,
                                   int n_airports, const double *base, const char *const *keys,
                                   const double *const *mins, int n, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  fputs("scenario,zone,zone_name,airport,airport_name,base_min,scenario_min,delta_min\n", out);
  for (int k = 0; k < n; k++)
    for (int z = 0; z < net->n_zones; z++)
      for (int a = 0; a < n_airports; a++) {
        double b = base[(size_t)z * n_airports + a], s = mins[k][(size_t)z * n_airports + a];
        th_csv_write_field(out, keys[k]);
        fprintf(out, ",%" PRId64 ",", net->zone_id[z]);
        th_csv_write_field(out, net->node_name[net->zone_node[z]]);
        fprintf(out, ",%" PRId64 ",", net->node_id[airports[a]]);
        th_csv_write_field(out, net->node_name[airports[a]]);
        fputc(',', out);
        put_min(out, b);
        fputc(',', out);
        put_min(out, s);
        fputc(',', out);
        put_min(out, isnan(b) || isnan(s) ? NAN : s - b);
        fputc('\n', out);
      }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

/* skim-write.c: long-CSV travel-time tables (see skim-write.h). */
#include "output/skim-write.h"

#include "network/csv.h"
#include "network/th-error.h"
#include "network/atomic.h"

#include <math.h>
#include <stdio.h>

void th_skim_write_rows(FILE *out, const ThNetwork *net, const ThSkimRow *row,
                        const char *mode_name) {
  char ob[32], db[32];
  const char *o = th_network_zone_label(net, row->origin, ob);
  gboolean text = net->zone_label != NULL; /* zone ids as the files wrote them, quoted if need be */
  for (int z = 0; z < net->n_zones; z++) {
    if (isnan(row->time_min[z])) continue; /* unreachable: no row */
    const char *d = th_network_zone_label(net, z, db);
    if (text) {
      th_csv_write_field(out, o);
      fputc(',', out);
      th_csv_write_field(out, d);
      fprintf(out, ",%s,%.4f,%.4f,%.4f\n", mode_name, row->time_min[z], row->distance_km[z],
              row->cost[z]);
    } else {
      fprintf(out, "%s,%s,%s,%.4f,%.4f,%.4f\n", o, d, mode_name, row->time_min[z],
              row->distance_km[z], row->cost[z]);
    }
  }
}

typedef struct {
  FILE *out;
  const char *mode_name;
} WriteCtx;

static gboolean write_row(const ThNetwork *net, const ThSkimRow *row, gpointer user_data,
                          GError **error) {
  WriteCtx *ctx = user_data;
  th_skim_write_rows(ctx->out, net, row, ctx->mode_name);
  return TRUE;
}

gboolean th_skim_write_csv(const char *path, const ThNetwork *net, const ThSkimParams *p,
                           const int *origins, int n_origins, const char *mode_name,
                           GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  WriteCtx ctx = {th_atomic_stream(f), mode_name};
  fputs("origin,destination,mode,time_min,distance_km,cost\n", ctx.out);
  if (!th_skim_run(net, p, origins, n_origins, write_row, &ctx, error)) return FALSE;
  return th_atomic_commit(g_steal_pointer(&f), error);
}

/* trips-write.c: trips.csv out of a ThTrips (see trips-write.h). */
#include "output/trips-write.h"
#include "network/atomic.h"

#include <inttypes.h>

static int64_t end_id(const ThNetwork *net, int node, int zone) {
  return zone >= 0 ? net->zone_id[zone] : net->node_id[node];
}

gboolean th_trips_write(const char *path, const ThTrips *trips, const ThNetwork *net,
                        const ThClassTable *classes, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *out = th_atomic_stream(f);
  /* purpose only when the demand has purposes: files of demand without them stay as they were */
  gboolean pur = th_trips_have_purpose(trips);
  fputs(pur ? "id,origin,destination,depart,class,mode,tonnes,purpose\n"
            : "id,origin,destination,depart,class,mode,tonnes\n",
        out);
  for (int i = 0; i < trips->n; i++) {
    int32_t d = trips->depart_s[i];
    const ThClass *c = &classes->cls[trips->cls[i]];
    const char *mode = trips->mode[i] ? th_mode_name(trips->mode[i]) : "";
    fprintf(out, "%" PRId64 ",%" PRId64 ",%" PRId64 ",%02d:%02d:%02d,%s,%s,", trips->id[i],
            end_id(net, trips->origin[i], trips->origin_zone[i]),
            end_id(net, trips->destination[i], trips->destination_zone[i]), d / 3600,
            d / 60 % 60, d % 60, c->name, mode ? mode : "");
    if (c->kind == TH_CLASS_FREIGHT) fprintf(out, "%.3f", trips->tonnes[i]);
    if (pur) fprintf(out, ",%s", th_trips_purpose(trips, i));
    fputc('\n', out);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

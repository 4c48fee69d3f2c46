/* period-skims.c: skims.csv of a results folder (see period-skims.h). */
#include "output/period-skims.h"
#include "network/atomic.h"
#include "output/matrix-csv.h"
#include "sim/mode-skim.h"

#include <math.h>

typedef struct {
  const char *name;
  int32_t road_from_s, road_to_s;            /* link-time window */
  int transit_from_s, transit_to_s, step_s;  /* departures */
} Period;

static const Period periods[] = {
    {"am", 7 * 3600, 9 * 3600, 7 * 3600, 9 * 3600, 1200},
    {"day", 0, 86400, 6 * 3600, 22 * 3600, 3600},
};

static void put(FILE *fp, double v) {
  char buf[32];
  fputc(',', fp);
  if (isfinite(v)) fputs(th_format_double(buf, round(v * 1e3) / 1e3), fp);
}

gboolean th_period_skims_write(const char *dir, const ThNetwork *net, const ThServices *services,
                               const ThHubs *hubs, const ThRunResults *r, GError **error) {
  g_autofree char *path = g_build_filename(dir, "skims.csv", NULL);
  const int nz = net->n_zones;
  ThModeSkim *sk[G_N_ELEMENTS(periods)];
  for (gsize p = 0; p < G_N_ELEMENTS(periods); p++) {
    g_autofree double *t = th_mode_skim_link_times(r, net->n_links, periods[p].road_from_s,
                                                   periods[p].road_to_s);
    ThModeSkimParams sp;
    th_mode_skim_params_init(&sp);
    sp.depart_from_s = periods[p].transit_from_s;
    sp.depart_to_s = periods[p].transit_to_s;
    sp.step_s = periods[p].step_s;
    sp.every_departure = FALSE;
    sk[p] = th_mode_skim_new(net, services, hubs, t, &sp);
  }
  /* transit modes only when some line runs */
  int n_modes = services && services->n_lines > 0 ? TH_SKIM_INTERCITY + 1 : 1;
  gboolean ok = FALSE;
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (f) {
    FILE *fp = th_atomic_stream(f);
    fputs("origin,destination,mode,period,time_min,distance_km,cost,wait_min,transfers\n", fp);
    for (int o = 0; o < nz; o++)
      for (int d = 0; d < nz; d++)
        for (int m = 0; m < n_modes; m++)
          for (gsize p = 0; p < G_N_ELEMENTS(periods); p++) {
            const ThModeSkim *s = sk[p];
            size_t at = ((size_t)m * nz + o) * nz + d;
            fprintf(fp, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%s", net->zone_id[o],
                    net->zone_id[d], th_skim_mode_name((ThSkimMode)m), periods[p].name);
            gboolean served = isfinite(s->time_min[at]);
            put(fp, s->time_min[at]);
            put(fp, served ? s->distance_km[at] : NAN);
            put(fp, served ? s->cost[at] : NAN);
            put(fp, served ? s->wait_min[at] : NAN);
            put(fp, served ? s->transfers[at] : NAN);
            fputc('\n', fp);
          }
    ok = th_atomic_commit(g_steal_pointer(&f), error);
  }
  for (gsize p = 0; p < G_N_ELEMENTS(periods); p++) th_mode_skim_free(sk[p]);
  return ok;
}

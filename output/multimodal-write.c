/* multimodal-write.c: services_out.csv, hubs_out.csv and the network's
 * services and hubs in a results folder (see multimodal-write.h). */
#include "output/multimodal-write.h"
#include "network/csv.h"

#include "network/atomic.h"
#include "output/compare-write.h"

#include <string.h>


/* From the simulated sample to the full demand: 1 / sample_factor. */
static double expansion(const ThMultimodalResults *r) {
  return r->run && r->run->sample_factor > 0 ? 1.0 / r->run->sample_factor : 1.0;
}

static gboolean write_services_out(const char *path, const ThMultimodalResults *r,
                                   const ThServices *sv, GError **error) {
  g_autoptr(ThAtomicFile) af = th_atomic_open(path, error);
  if (!af) return FALSE;
  FILE *f = th_atomic_stream(af);
  fputs("line,name,mode,kind,run,departure,boardings,boarded_load,peak_load,capacity,load_factor,"
        "left_behind,load_km,boardings_sample,left_behind_sample,cancelled,co2_kg_per_tkm\n", f);
  const double x_full = expansion(r);
  for (int run = 0; run < sv->n_runs && run < r->n_runs; run++) {
    const ThServiceLine *L = &sv->lines[sv->runs[run].line];
    const ThTransitRunLoad *x = &r->runs[run];
    int d = sv->runs[run].dep_s;
    double peak = x->peak_load * x_full;
    th_csv_write_field(f, L->line);
    fputc(',', f);
    th_csv_write_field(f, L->name);
    fprintf(f, ",%s,%s,%d,%02d:%02d:%02d,%.0f,%.1f,%.1f,%.1f,%.3f,%.0f,%.1f,%d,%d,%d,",
            th_mode_name(L->mode), L->kind == TH_SERVICE_FREIGHT ? "freight" : "passenger",
            run - L->first_run + 1, d / 3600, (d / 60) % 60, d % 60, x->boardings * x_full,
            x->boarded_load * x_full, peak, L->capacity, L->capacity > 0 ? peak / L->capacity : 0.0,
            x->left_behind * x_full, x->load_km * x_full, x->boardings, x->left_behind,
            x->cancelled);
    /* a freight train's CO2 (compare-write.h's factor per train-km) over the
     * tonne-km it carried; empty for passenger runs and for runs that carried
     * nothing or did not run */
    double train_km = 0;
    for (int k = 0; k + 1 < L->n_stops; k++) train_km += L->seg_len_m[k] / 1000.0;
    if (L->kind == TH_SERVICE_FREIGHT && !x->cancelled && x->load_km > 0)
      fprintf(f, "%.4f", train_km * TH_CO2_RAIL_FREIGHT_KG_PER_TRAIN_KM / (x->load_km * x_full));
    fputc('\n', f);
  }
  return th_atomic_commit(g_steal_pointer(&af), error);
}

/* One row per line and stop: what boarded and alighted there over the day. */
static gboolean write_stops_out(const char *path, const ThMultimodalResults *r,
                                const ThNetwork *net, const ThServices *sv, GError **error) {
  g_autoptr(ThAtomicFile) af = th_atomic_open(path, error);
  if (!af) return FALSE;
  FILE *f = th_atomic_stream(af);
  fputs("line,name,mode,kind,stop_seq,stop,stop_name,boardings,alightings,boarded_load,"
        "alighted_load,boardings_sample,alightings_sample\n", f);
  const double x_full = expansion(r);
  char buf[32];
  for (int l = 0, i = 0; l < sv->n_lines; l++) {
    const ThServiceLine *L = &sv->lines[l];
    for (int k = 0; k < L->n_stops && i < r->n_line_stops; k++, i++) {
      const ThTransitStopLoad *x = &r->stops[i];
      th_csv_write_field(f, L->line);
      fputc(',', f);
      th_csv_write_field(f, L->name);
      fprintf(f, ",%s,%s,%d,", th_mode_name(L->mode),
              L->kind == TH_SERVICE_FREIGHT ? "freight" : "passenger", k + 1);
      th_csv_write_field(f, th_network_node_label(net, L->stop[k], buf));
      fputc(',', f);
      th_csv_write_field(f, net->node_name[L->stop[k]] ? net->node_name[L->stop[k]] : "");
      fprintf(f, ",%.0f,%.0f,%.1f,%.1f,%d,%d\n", x->boardings * x_full, x->alightings * x_full,
              x->boarded_load * x_full, x->alighted_load * x_full, x->boardings, x->alightings);
    }
  }
  return th_atomic_commit(g_steal_pointer(&af), error);
}

static gboolean write_hubs_out(const char *path, const ThMultimodalResults *r, const ThNetwork *net,
                               const ThHubs *h, GError **error) {
  g_autoptr(ThAtomicFile) af = th_atomic_open(path, error);
  if (!af) return FALSE;
  FILE *f = th_atomic_stream(af);
  fputs("node_id,name,kind,tonnes_handled,shipments,mean_queue_min,peak_queue_t,over_dwell_limit,"
        "shipments_sample\n", f);
  const double x_full = expansion(r);
  for (int i = 0; i < h->n_hubs && i < r->n_hubs; i++) {
    const ThHub *hub = &h->hubs[i];
    const ThHubResult *x = &r->hubs[i];
    fprintf(f, "%" G_GINT64_FORMAT ",", net->node_id[hub->node]);
    th_csv_write_field(f, hub->name);
    fprintf(f, ",%s,%.1f,%.0f,%.2f,%.1f,%.0f,%d\n",
            hub->kind == TH_HUB_LOGISTICS ? "logistics" : "station", x->tonnes_handled * x_full,
            x->shipments * x_full, x->shipments ? x->queue_s_sum / x->shipments / 60.0 : 0.0,
            x->peak_queue_t * x_full, x->over_dwell * x_full, x->shipments);
  }
  return th_atomic_commit(g_steal_pointer(&af), error);
}

typedef void (*Writer)(const void *obj, const ThNetwork *net, FILE *out);

static gboolean write_table(const char *path, Writer w, const void *obj, const ThNetwork *net,
                            GError **error) {
  g_autoptr(ThAtomicFile) af = th_atomic_open(path, error);
  if (!af) return FALSE;
  w(obj, net, th_atomic_stream(af));
  return th_atomic_commit(g_steal_pointer(&af), error);
}

static void w_services(const void *o, const ThNetwork *net, FILE *f) {
  th_services_write(o, net, f);
}
static void w_hubs(const void *o, const ThNetwork *net, FILE *f) { th_hubs_write(o, net, f); }

static gboolean multimodal_write(const char *dir, const ThMultimodalResults *r,
                                 const ThNetwork *net, const ThServices *services,
                                 const ThHubs *hubs, gboolean network_copies, GError **error) {
  if (services) {
    g_autofree char *p = g_build_filename(dir, "services_out.csv", NULL);
    g_autofree char *q = g_build_filename(dir, "network", "services.csv", NULL);
    if (!write_services_out(p, r, services, error)) return FALSE;
    g_autofree char *ps = g_build_filename(dir, "stops_out.csv", NULL);
    if (r->stops && !write_stops_out(ps, r, net, services, error)) return FALSE;
    if (network_copies && !write_table(q, w_services, services, net, error)) return FALSE;
  }
  if (hubs) {
    g_autofree char *p = g_build_filename(dir, "hubs_out.csv", NULL);
    g_autofree char *q = g_build_filename(dir, "network", "hubs.csv", NULL);
    if (!write_hubs_out(p, r, net, hubs, error)) return FALSE;
    if (network_copies && !write_table(q, w_hubs, hubs, net, error)) return FALSE;
  }
  return TRUE;
}

gboolean th_multimodal_write(const char *dir, const ThMultimodalResults *r, const ThNetwork *net,
                             const ThServices *services, const ThHubs *hubs, GError **error) {
  return multimodal_write(dir, r, net, services, hubs, TRUE, error);
}

gboolean th_multimodal_write_results(const char *dir, const ThMultimodalResults *r,
                                     const ThNetwork *net, const ThServices *services,
                                     const ThHubs *hubs, GError **error) {
  return multimodal_write(dir, r, net, services, hubs, FALSE, error);
}

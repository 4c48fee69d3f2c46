/* layers.c: the layered multimodal graph (see layers.h). */
#include "network/layers.h"
#include "network/csv.h"

#include "network/th-error.h"

#include <math.h>

static const uint32_t layer_modes[TH_N_LAYERS] = {TH_MODE_ROAD, TH_MODE_RAIL, TH_MODE_HSR,
                                                  TH_MODE_INTERCITY, TH_MODE_BUS};


int th_layer_of_mode(uint32_t mode) {
  for (int l = 0; l < TH_N_LAYERS; l++)
    if (layer_modes[l] == mode) return l;
  return -1;
}

void th_layers_free(ThLayers *l) {
  if (!l) return;
  th_network_free(l->g);
  g_free(l->node_orig);
  g_free(l->node_layer);
  g_free(l->layer_node);
  g_free(l->link_orig);
  g_free(l->link_kind);
  g_free(l->link_transfer_s);
  g_free(l->link_handling_tph);
  g_free(l->link_handling_cost_t);
  g_free(l);
}

/* Does physical link E belong to LAYER? Connectors belong to the road layer
 * only: stations are reached by road. */
static gboolean link_in_layer(const ThNetwork *net, int e, int layer) {
  uint32_t m = net->link_modes[e];
  if (layer == TH_LAYER_ROAD) return (m & (TH_MODE_ROAD | TH_MODE_CONNECTOR)) != 0;
  return (m & layer_modes[layer]) != 0;
}

ThLayers *th_layers_build(const ThNetwork *net, const ThServices *services, const ThHubs *hubs,
                          GError **error) {
  const int n = net->n_nodes, m = net->n_links;
  g_autoptr(ThLayers) L = g_new0(ThLayers, 1);
  L->net = net;
  L->layer_node = g_new(int, (size_t)TH_N_LAYERS * n + 1);
  for (size_t i = 0; i < (size_t)TH_N_LAYERS * n; i++) L->layer_node[i] = -1;

  /* Which nodes each layer needs: those its links touch (the road layer: all). */
  guint8 *need = g_new0(guint8, (size_t)TH_N_LAYERS * n + 1);
  for (int v = 0; v < n; v++) need[v] = 1;
  for (int e = 0; e < m; e++)
    for (int l = 1; l < TH_N_LAYERS; l++)
      if (link_in_layer(net, e, l))
        need[(size_t)l * n + net->link_from[e]] = need[(size_t)l * n + net->link_to[e]] = 1;

  /* Transfer points: station and hub nodes, hubs.csv, service stops. */
  guint8 *xfer = g_new0(guint8, (size_t)MAX(n, 0) + 1);
  for (int v = 0; v < n; v++)
    if (net->node_kind[v] == TH_NODE_STATION || net->node_kind[v] == TH_NODE_HUB) xfer[v] = 1;
  if (hubs)
    for (int i = 0; i < hubs->n_hubs; i++) xfer[hubs->hubs[i].node] = 1;
  if (services)
    for (int i = 0; i < services->n_lines; i++) {
      const ThServiceLine *sl = &services->lines[i];
      int l = th_layer_of_mode(sl->mode);
      for (int k = 0; k < sl->n_stops; k++) {
        xfer[sl->stop[k]] = 1;
        need[(size_t)l * n + sl->stop[k]] = 1; /* a stop reached by run_min only */
      }
    }

  /* Node ids in the layered graph: layer * (max id + 1) + physical id, so
   * they stay unique and readable. */
  int64_t max_id = 0;
  for (int v = 0; v < n; v++) max_id = MAX(max_id, net->node_id[v]);
  const int64_t stride = max_id + 1;
  ThNetwork *g = th_network_new();
  GArray *norig = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *nlayer = g_array_new(FALSE, FALSE, sizeof(guint8));
  for (int l = 0; l < TH_N_LAYERS; l++)
    for (int v = 0; v < n; v++) {
      if (!need[(size_t)l * n + v]) continue;
      gboolean zone = (l == TH_LAYER_ROAD && net->node_zone[v] >= 0);
      ThNodeKind kind = l == TH_LAYER_ROAD ? net->node_kind[v] : TH_NODE_JUNCTION;
      int64_t zid = zone ? net->zone_id[net->node_zone[v]] : -1;
      int idx = th_network_add_node(g, (int64_t)l * stride + net->node_id[v], net->node_name[v],
                                    net->lon[v], net->lat[v], kind, zid, 0, 0, 0, net->node_line[v]);
      L->layer_node[(size_t)l * n + v] = idx;
      guint8 lb = (guint8)l;
      g_array_append_val(norig, v);
      g_array_append_val(nlayer, lb);
    }
  g_free(need);

  GArray *lorig = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *lkind = g_array_new(FALSE, FALSE, sizeof(guint8));
  GArray *ltr = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *lrate = g_array_new(FALSE, FALSE, sizeof(double));
  GArray *lcost = g_array_new(FALSE, FALSE, sizeof(double));
  int64_t next_id = 1;
  for (int l = 0; l < TH_N_LAYERS; l++)
    for (int e = 0; e < m; e++) {
      if (!link_in_layer(net, e, l)) continue;
      uint32_t mode = l == TH_LAYER_ROAD ? (net->link_modes[e] & (TH_MODE_ROAD | TH_MODE_CONNECTOR))
                                         : layer_modes[l];
      ThLinkSpec s = {.id = next_id++,
                      .from_id = g->node_id[L->layer_node[(size_t)l * n + net->link_from[e]]],
                      .to_id = g->node_id[L->layer_node[(size_t)l * n + net->link_to[e]]],
                      .modes = mode,
                      .length_m = net->length_m[e],
                      .free_speed_mps = net->free_speed_mps[e],
                      .free_time_s = net->free_time_s[e],
                      .capacity_vph = net->capacity_vph[e],
                      .lanes = net->lanes[e],
                      .bpr_alpha = net->bpr_alpha[e],
                      .bpr_beta = net->bpr_beta[e],
                      .toll = net->toll[e],
                      .cost_per_tkm = net->cost_per_tkm[e]};
      th_network_add_link(g, &s);
      guint8 k = TH_LLINK_TRAVEL;
      int zero = 0;
      double z = 0;
      g_array_append_val(lorig, e);
      g_array_append_val(lkind, k);
      g_array_append_val(ltr, zero);
      g_array_append_val(lrate, z);
      g_array_append_val(lcost, z);
    }
  /* Transfer links, in node order then layer order (deterministic). */
  for (int v = 0; v < n; v++) {
    if (!xfer[v]) continue;
    const ThHub *hub = th_hubs_at(hubs, v);
    int tr = th_hubs_transfer_s(hubs, v);
    double rate = hub ? hub->handling_rate_tph : 0, cost = hub ? hub->handling_cost_per_t : 0;
    for (int l = 1; l < TH_N_LAYERS; l++) {
      int gv = L->layer_node[(size_t)l * n + v];
      if (gv < 0) continue;
      int gr = L->layer_node[v];
      for (int dir = 0; dir < 2; dir++) {
        ThLinkSpec s = {.id = next_id++,
                        .from_id = g->node_id[dir ? gv : gr],
                        .to_id = g->node_id[dir ? gr : gv],
                        .modes = TH_MODE_WALK,
                        .length_m = 0,
                        .free_speed_mps = 1,
                        .free_time_s = tr > 0 ? tr : 0,
                        .lanes = 1};
        th_network_add_link(g, &s);
        int no = -1;
        guint8 k = dir ? TH_LLINK_ALIGHT : TH_LLINK_BOARD;
        g_array_append_val(lorig, no);
        g_array_append_val(lkind, k);
        g_array_append_val(ltr, tr);
        g_array_append_val(lrate, rate);
        g_array_append_val(lcost, cost);
      }
    }
  }
  g_free(xfer);
  L->g = g;
  L->node_orig = (int *)g_array_free(norig, FALSE);
  L->node_layer = (guint8 *)g_array_free(nlayer, FALSE);
  L->link_orig = (int *)g_array_free(lorig, FALSE);
  L->link_kind = (guint8 *)g_array_free(lkind, FALSE);
  L->link_transfer_s = (int *)g_array_free(ltr, FALSE);
  L->link_handling_tph = (double *)g_array_free(lrate, FALSE);
  L->link_handling_cost_t = (double *)g_array_free(lcost, FALSE);
  if (!th_network_finalize(g, error)) return NULL;
  return g_steal_pointer(&L);
}

void th_layers_freight_weights(const ThLayers *l, double tonnes, double vot_per_t_h,
                               double truck_cost_per_km, double tonnes_per_truck,
                               double extra_wait_s, const double *road_time_s, double *out) {
  const ThNetwork *net = l->net, *g = l->g;
  const double vot_s = vot_per_t_h / 3600.0;
  const double tpt = tonnes_per_truck > 0 ? tonnes_per_truck : 1;
  for (int e = 0; e < g->n_links; e++) {
    int pe = l->link_orig[e];
    if (l->link_kind[e] == TH_LLINK_TRAVEL) {
      double km = net->length_m[pe] / 1000.0;
      int layer = l->node_layer[g->link_from[e]];
      if (layer == TH_LAYER_ROAD) {
        double t = road_time_s ? road_time_s[pe] : net->free_time_s[pe];
        /* VOT is per tonne, so the truck's time costs each tonne aboard once;
         * distance cost and toll are per truck, shared by its tonnes. */
        out[e] = t * vot_s + (km * truck_cost_per_km + net->toll[pe]) / tpt +
                 km * net->cost_per_tkm[pe];
      } else if (layer == TH_LAYER_BUS) {
        out[e] = INFINITY; /* freight does not ride buses */
      } else {
        out[e] = net->free_time_s[pe] * vot_s + km * net->cost_per_tkm[pe];
      }
    } else {
      double rate = l->link_handling_tph[e];
      if (!(rate > 0)) {
        out[e] = INFINITY;
        continue;
      }
      double handle_s = tonnes / rate * 3600.0;
      out[e] = handle_s * vot_s + l->link_handling_cost_t[e] +
               (l->link_kind[e] == TH_LLINK_BOARD ? extra_wait_s * vot_s : 0);
    }
  }
}

gboolean th_multimodal_read_dir(const char *dir, const ThNetwork *net, ThServices **services,
                                ThHubs **hubs, GError **error) {
  *services = NULL;
  *hubs = NULL;
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) return TRUE;
  g_autofree char *sp = g_build_filename(dir, "services.csv", NULL);
  g_autofree char *hp = g_build_filename(dir, "hubs.csv", NULL);
  GError *es = NULL, *eh = NULL;
  g_autoptr(ThServices) s = NULL;
  g_autoptr(ThHubs) h = NULL;
  /* present but unreadable (a dangling symlink, no permission) is an error,
   * never "no services" */
  if (th_input_present(hp)) h = th_hubs_read(hp, net, &eh);
  if (th_input_present(sp)) s = th_services_read(sp, net, &es);
  if (es || eh) {
    /* both files' problems at once; input errors win over I/O for the code */
    int code = (eh && eh->code != TH_ERROR_IO) ? eh->code : es ? es->code : eh->code;
    g_set_error(error, TH_ERROR, code, "%s%s%s", eh ? eh->message : "", eh && es ? "\n" : "",
                es ? es->message : "");
    g_clear_error(&es);
    g_clear_error(&eh);
    return FALSE;
  }
  *services = g_steal_pointer(&s);
  *hubs = g_steal_pointer(&h);
  return TRUE;
}

/* hubs.c: hubs.csv reader (see hubs.h). */
#include "network/hubs.h"

#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

ThHubs *th_hubs_new(int n_nodes) {
  ThHubs *h = g_new0(ThHubs, 1);
  h->n_nodes = n_nodes;
  h->hub_of_node = g_new(int, n_nodes > 0 ? n_nodes : 1);
  for (int i = 0; i < n_nodes; i++) h->hub_of_node[i] = -1;
  return h;
}

void th_hubs_free(ThHubs *h) {
  if (!h) return;
  for (int i = 0; i < h->n_hubs; i++) {
    g_free(h->hubs[i].name);
    g_free(h->hubs[i].source);
  }
  g_free(h->hubs);
  g_free(h->hub_of_node);
  g_free(h->source_file);
  g_free(h);
}

int th_hubs_transfer_s(const ThHubs *h, int v) {
  const ThHub *hub = th_hubs_at(h, v);
  return hub ? hub->transfer_s : TH_DEFAULT_TRANSFER_S;
}

/* A non-negative number with a default for an empty field; adds a problem otherwise. */
static double field_nonneg(ThCsv *csv, int col, double def, const char *name, const char *unit,
                           GPtrArray *problems) {
  const char *v = th_csv_field(csv, col);
  double x;
  if (!*v) return def;
  if (!th_parse_double(v, &x) || x < 0) {
    th_problems_add(problems, th_csv_path(csv), th_csv_line(csv),
                    "%s '%s' is not a number >= 0 (%s)", name, v, unit);
    return def;
  }
  return x;
}

static ThHubs *hubs_read_csv(ThCsv *csv, const ThNetwork *net, GError **error) {
  GError *e = NULL;
  const char *file = th_csv_path(csv);
  int c_node = th_csv_require(csv, "node_id", &e);
  if (c_node < 0) {
    g_propagate_error(error, e);
    return NULL;
  }
  int c_name = th_csv_column(csv, "name"), c_kind = th_csv_column(csv, "kind");
  int c_modes = th_csv_column(csv, "modes"), c_tr = th_csv_column(csv, "transfer_min");
  int c_rate = th_csv_column(csv, "handling_rate_tph");
  int c_cost = th_csv_column(csv, "handling_cost_per_t");
  int c_dwell = th_csv_column(csv, "dwell_limit_h"), c_src = th_csv_column(csv, "source");
  int c_cons = th_csv_column(csv, "consolidate_max_t");

  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(ThHubs) h = th_hubs_new(net->n_nodes);
  h->source_file = g_strdup(file);
  GArray *hubs = g_array_new(FALSE, TRUE, sizeof(ThHub));
  while (th_csv_next(csv, &e)) {
    int ln = th_csv_line(csv);
    int before = problems->len;
    const char *nid_s = th_csv_field(csv, c_node);
    int64_t nid;
    int v = -1;
    if (!th_parse_int64(nid_s, &nid))
      th_problems_add(problems, file, ln, "node_id '%s' is not a whole number (a node id)", nid_s);
    else if ((v = th_network_node_index(net, nid)) < 0)
      th_problems_add(problems, file, ln, "node_id %" G_GINT64_FORMAT " is not a node of the network",
                      nid);
    else if (h->hub_of_node[v] >= 0)
      th_problems_add(problems, file, ln, "node_id %" G_GINT64_FORMAT " is listed twice (line %d)",
                      nid, g_array_index(hubs, ThHub, h->hub_of_node[v]).file_line);

    ThHubKind kind = TH_HUB_STATION;
    const char *ks = th_csv_field(csv, c_kind);
    if (strcmp(ks, "logistics") == 0) kind = TH_HUB_LOGISTICS;
    else if (*ks && strcmp(ks, "station") != 0)
      th_problems_add(problems, file, ln, "kind '%s' is unknown (station or logistics)", ks);

    uint32_t modes = 0;
    g_autofree char *bad = NULL;
    const char *ms = th_csv_field(csv, c_modes);
    if (*ms && !th_modes_parse(ms, &modes, &bad))
      th_problems_add(problems, file, ln, "modes has unknown mode '%s' (road, rail, hsr, intercity, "
                      "bus, walk separated by ;)", bad);

    double tr = field_nonneg(csv, c_tr, TH_DEFAULT_TRANSFER_S / 60.0, "transfer_min", "minutes",
                             problems);
    double rate = field_nonneg(csv, c_rate, 0, "handling_rate_tph", "tonnes per hour", problems);
    double cost = field_nonneg(csv, c_cost, 0, "handling_cost_per_t", "yuan per tonne", problems);
    double dwell = field_nonneg(csv, c_dwell, 0, "dwell_limit_h", "hours, empty = no limit",
                                problems);
    double cons = field_nonneg(csv, c_cons, 0, "consolidate_max_t", "tonnes, empty = no consolidation",
                               problems);
    if (cons > 0 && rate <= 0 && (int)problems->len == before)
      th_problems_add(problems, file, ln, "consolidate_max_t needs freight handling here "
                      "(handling_rate_tph > 0)");
    if (kind == TH_HUB_LOGISTICS && rate <= 0 && (int)problems->len == before)
      th_problems_add(problems, file, ln, "handling_rate_tph is missing or 0 for a logistics hub "
                      "(tonnes per hour > 0)");
    if ((int)problems->len == before) {
      ThHub hub = {.node = v,
                   .name = g_strdup(th_csv_field(csv, c_name)),
                   .kind = kind,
                   .modes = modes,
                   .transfer_s = (int)lround(tr * 60.0),
                   .handling_rate_tph = rate,
                   .handling_cost_per_t = cost,
                   .dwell_limit_s = (int)lround(dwell * 3600.0),
                   .consolidate_max_t = cons,
                   .source = g_strdup(th_csv_field(csv, c_src)),
                   .file_line = ln};
      h->hub_of_node[v] = hubs->len;
      g_array_append_val(hubs, hub);
    }
  }
  h->n_hubs = hubs->len;
  h->hubs = (ThHub *)g_array_free(hubs, FALSE);
  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&h);
}

ThHubs *th_hubs_read(const char *path, const ThNetwork *net, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  return hubs_read_csv(csv, net, error);
}

ThHubs *th_hubs_read_text(const char *name, const char *text, gsize len, const ThNetwork *net,
                          GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open_text(name, text, len, error);
  if (!csv) return NULL;
  return hubs_read_csv(csv, net, error);
}


void th_hubs_write(const ThHubs *h, const ThNetwork *net, FILE *out) {
  /* consolidate_max_t only when some hub consolidates: files without parks
   * keep their columns */
  gboolean cons = FALSE;
  for (int i = 0; i < h->n_hubs; i++) cons |= h->hubs[i].consolidate_max_t > 0;
  fputs("node_id,name,kind,modes,transfer_min,handling_rate_tph,handling_cost_per_t,"
        "dwell_limit_h,source", out);
  fputs(cons ? ",consolidate_max_t\n" : "\n", out);
  for (int i = 0; i < h->n_hubs; i++) {
    const ThHub *hub = &h->hubs[i];
    g_autofree char *modes = th_modes_format(hub->modes);
    fprintf(out, "%" G_GINT64_FORMAT ",", net->node_id[hub->node]);
    th_csv_write_field(out, hub->name);
    fprintf(out, ",%s,%s,%.6g,%.6g,%.6g,", hub->kind == TH_HUB_LOGISTICS ? "logistics" : "station",
            modes, hub->transfer_s / 60.0, hub->handling_rate_tph, hub->handling_cost_per_t);
    if (hub->dwell_limit_s > 0) fprintf(out, "%.6g", hub->dwell_limit_s / 3600.0);
    fputc(',', out);
    th_csv_write_field(out, hub->source);
    if (cons) {
      fputc(',', out);
      if (hub->consolidate_max_t > 0) fprintf(out, "%.6g", hub->consolidate_max_t);
    }
    fputc('\n', out);
  }
}

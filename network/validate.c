/* validate.c: whole-network checks (see validate.h). */
#include "network/validate.h"
#include "network/csv.h"
#include "network/paths.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

static const char *node_file(const ThNetwork *net) {
  return net->source_node_file ? net->source_node_file : "network";
}
static const char *link_file(const ThNetwork *net) {
  return net->source_link_file ? net->source_link_file : "network";
}

/* "zone 7 (Dongcheng)", "zone 7 at node 107 (Dongcheng)" */
static char *zone_label(const ThNetwork *net, int z) {
  int v = net->zone_node[z];
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "zone %" G_GINT64_FORMAT, net->zone_id[z]);
  if (net->node_id[v] != net->zone_id[z])
    g_string_append_printf(s, " at node %" G_GINT64_FORMAT, net->node_id[v]);
  if (net->node_name[v][0]) g_string_append_printf(s, " (%s)", net->node_name[v]);
  return g_string_free(s, FALSE);
}

/* Appends one error per zone outside the main component (the one of zone
 * MAIN_REF, holding N_MAIN zones); COMP holds each node's component. */
static int report_outside(const ThNetwork *net, uint32_t links, const int *comp, int main_ref,
                          int n_main, uint32_t modes, GPtrArray *errors, guint8 *cut_off) {
  int main_comp = comp[net->zone_node[main_ref]];
  /* which side is missing: reachable from the reference, and reaching it */
  int ref_node = net->zone_node[main_ref];
  g_autofree guint8 *from_ref = g_new0(guint8, net->n_nodes);
  g_autofree guint8 *to_ref = g_new0(guint8, net->n_nodes);
  th_reachable(net, links, ref_node, TRUE, from_ref);
  th_reachable(net, links, ref_node, FALSE, to_ref);
  g_autofree char *mode_name = th_modes_format(modes);
  g_autofree char *ref = zone_label(net, main_ref);
  g_autofree char *others = n_main > 1 ? g_strdup_printf(" and the %d zone%s connected to it",
                                                         n_main - 1, n_main > 2 ? "s" : "")
                                       : g_strdup("");
  int added = 0;
  for (int z = 0; z < net->n_zones; z++) {
    int v = net->zone_node[z];
    if (comp[v] == main_comp) continue;
    if (cut_off) cut_off[z] = 1;
    g_autofree char *lab = zone_label(net, z);
    const char *what;
    if (!from_ref[v] && !to_ref[v])
      what = "cannot reach and cannot be reached from";
    else if (!to_ref[v])
      what = "cannot reach";
    else
      what = "cannot be reached from";
    th_problems_add(errors, node_file(net), net->node_line[v],
                    "%s%s %s %s%s by %s (%s and connector links joining every zone both ways were "
                    "expected)%s",
                    cut_off ? "warning: " : "", lab, what, ref, others, mode_name, mode_name,
                    cut_off ? "; it is left out of the demand (--strict refuses the network)" : "");
    added++;
  }
  return added;
}

static int zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors,
                             guint8 *cut_off);

int th_validate_zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors) {
  if (net->n_zones < 2) return 0;
  return zone_reachability(net, modes, errors, NULL);
}

int th_validate_zone_cut_off(const ThNetwork *net, uint32_t modes, GPtrArray *warnings,
                             guint8 *cut_off) {
  if (net->n_zones < 2) return 0;
  return zone_reachability(net, modes, warnings, cut_off);
}

/* Strong components by taihang's own search (network/paths.h), not igraph:
 * `taihang assign` and `check` then start without loading igraph (issue 16;
 * the components, and so every message, are the same). Reentrant, so the
 * lock igraph's global error stack needed is gone. */
static int zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors,
                             guint8 *cut_off) {
  uint32_t links = modes | TH_MODE_CONNECTOR;
  int *comp = g_new(int, net->n_nodes + 1);
  int ncomp = th_strong_components(net, links, comp);
  int added = 0;
  /* main component: most zones; ties go to the component of the lowest zone */
  int *zones_in = g_new0(int, ncomp + 1);
  for (int z = 0; z < net->n_zones; z++) zones_in[comp[net->zone_node[z]]]++;
  int main_ref = 0; /* first zone of the main component */
  for (int z = 1; z < net->n_zones; z++) {
    int c = comp[net->zone_node[z]];
    int cm = comp[net->zone_node[main_ref]];
    if (zones_in[c] > zones_in[cm]) main_ref = z;
  }
  int n_main = zones_in[comp[net->zone_node[main_ref]]];
  g_free(zones_in);
  if (n_main < net->n_zones)
    added = report_outside(net, links, comp, main_ref, n_main, modes, errors, cut_off);
  g_free(comp);
  return added;
}

static gboolean is_tntp(const ThNetwork *net) { return g_strcmp0(net->format, "tntp") == 0; }

int th_validate_coordinates(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings) {
  if (is_tntp(net)) return 0;
  int added = 0;
  for (int v = 0; v < net->n_nodes; v++) {
    double lon = net->lon[v], lat = net->lat[v];
    if (isnan(lon) || isnan(lat)) {
      if (warnings)
        th_problems_add(warnings, node_file(net), net->node_line[v],
                        "warning: node %" G_GINT64_FORMAT
                        " has no coordinates (x_coord and y_coord in WGS84 degrees were expected; "
                        "maps will leave it out)",
                        net->node_id[v]);
      continue;
    }
    if (!(lon >= -180 && lon <= 180)) {
      th_problems_add(errors, node_file(net), net->node_line[v],
                      "node %" G_GINT64_FORMAT
                      " longitude %g is outside -180..180 (a WGS84 longitude in degrees was "
                      "expected)",
                      net->node_id[v], lon);
      added++;
    }
    if (!(lat >= -90 && lat <= 90)) {
      th_problems_add(errors, node_file(net), net->node_line[v],
                      "node %" G_GINT64_FORMAT
                      " latitude %g is outside -90..90 (a WGS84 latitude in degrees was expected)",
                      net->node_id[v], lat);
      added++;
    }
  }
  return added;
}

static gboolean has_coords(const ThNetwork *net, int v) {
  return isfinite(net->lon[v]) && isfinite(net->lat[v]) && fabs(net->lon[v]) <= 180 &&
         fabs(net->lat[v]) <= 90;
}

void th_validate_sanity(const ThNetwork *net, GPtrArray *warnings) {
  for (int v = 0; v < net->n_nodes; v++) {
    if (net->out_start[v + 1] == net->out_start[v] && net->in_start[v + 1] == net->in_start[v])
      th_problems_add(warnings, node_file(net), net->node_line[v],
                      "warning: node %" G_GINT64_FORMAT
                      " has no links (a node used by at least one link was expected)",
                      net->node_id[v]);
  }
  for (int e = 0; e < net->n_links; e++) {
    int a = net->link_from[e], b = net->link_to[e];
    double km = net->length_m[e] / 1000.0;
    if (!is_tntp(net) && has_coords(net, a) && has_coords(net, b)) {
      double straight = th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]) / 1000;
      if (straight > 0.2 && km < 0.5 * straight)
        th_problems_add(warnings, link_file(net), net->link_line[e],
                        "warning: link %" G_GINT64_FORMAT
                        " length %.3g km is less than half the straight line of %.3g km between "
                        "its nodes (length in km, and node coordinates in WGS84, were expected)",
                        net->link_id[e], km, straight);
      else if (km > 10 && km > 10 * straight)
        th_problems_add(warnings, link_file(net), net->link_line[e],
                        "warning: link %" G_GINT64_FORMAT
                        " length %.4g km is more than 10 times the straight line of %.3g km "
                        "between its nodes (length in km, not metres, was expected)",
                        net->link_id[e], km, straight);
    }
    double kmh = net->free_speed_mps[e] * 3.6;
    /* TNTP speeds are length / time in the file's own units: no check */
    if (is_tntp(net)) continue;
    if (kmh > 450 || ((net->link_modes[e] & TH_MODE_ROAD) && kmh > 150))
      th_problems_add(warnings, link_file(net), net->link_line[e],
                      "warning: link %" G_GINT64_FORMAT
                      " free_speed %.4g km/h is implausibly high for %s (km/h was expected)",
                      net->link_id[e], kmh,
                      (net->link_modes[e] & TH_MODE_ROAD) ? "a road link" : "any link");
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void th_validate_length_unit(const ThNetwork *net, GPtrArray *warnings) {
  if (is_tntp(net)) return;
  g_autoptr(GArray) ratio = g_array_new(FALSE, FALSE, sizeof(double));
  for (int e = 0; e < net->n_links; e++) {
    int a = net->link_from[e], b = net->link_to[e];
    if ((net->link_modes[e] & TH_MODE_CONNECTOR) || !has_coords(net, a) || !has_coords(net, b))
      continue;
    double straight = th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]);
    if (straight < 50 || !(net->length_m[e] > 0)) continue;
    double r = net->length_m[e] / straight;
    g_array_append_val(ratio, r);
  }
  if (ratio->len < 3) return;
  qsort(ratio->data, ratio->len, sizeof(double), cmp_double);
  double med = g_array_index(ratio, double, ratio->len / 2);
  if (med >= TH_LENGTH_RATIO_LOW && med <= TH_LENGTH_RATIO_HIGH) return;
  /* the unit mix-ups seen in real files, as the factor they multiply lengths by
   * (a road's median detour over the straight line is about 1.2) */
  static const struct {
    double factor;
    const char *what;
  } mixups[] = {
      {1 / 1.609344, "lengths in miles read as km (or a config.csv saying km for miles)"},
      {1.609344, "lengths in km read as miles (config.csv says mile)"},
      {1000, "lengths in metres read as km"},
      {0.001, "lengths in km read as metres"},
      {5280, "lengths in feet read as miles (config.csv says mile)"},
      {3280.84, "lengths in feet read as km"},
      {1 / 0.3048, "lengths in feet read as metres"},
  };
  const char *guess = NULL;
  double best = INFINITY;
  for (guint i = 0; i < G_N_ELEMENTS(mixups); i++) {
    double d = fabs(log(med / (1.2 * mixups[i].factor)));
    if (d < best && d < log(1.5)) {
      best = d;
      guess = mixups[i].what;
    }
  }
  th_problems_add(warnings, link_file(net), 1,
                  "warning: the median link is %.3g times the straight line between its nodes, "
                  "over %u links (%.2g..%.2g was expected of lengths in the declared unit%s%s)",
                  med, ratio->len, TH_LENGTH_RATIO_LOW, TH_LENGTH_RATIO_HIGH,
                  guess ? "; this looks like " : "", guess ? guess : "");
}

int th_network_validate(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings) {
  int n = th_validate_coordinates(net, errors, warnings);
  n += th_validate_zone_reachability(net, TH_MODE_ROAD, errors);
  if (warnings) th_validate_sanity(net, warnings);
  if (warnings) th_validate_length_unit(net, warnings);
  return n;
}

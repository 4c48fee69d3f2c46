/* validate.c: whole-network checks (see validate.h). */
#include "network/validate.h"
#include "network/csv.h"
#include "network/graph-module.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

static const char *node_file(const ThNetwork *net) {
  return net->source_node_file ? net->source_node_file : "network";
}
static const char *link_file(const ThNetwork *net) {
  return net->source_link_file ? net->source_link_file : "network";
}

/* igraph 0.10 as Debian builds it keeps its error-cleanup ("finally") stack
 * in a global, so two threads inside igraph at once corrupt it and abort
 * ("Corrupt finally stack"): compare and sweeps load and validate scenarios
 * in parallel. Every igraph call of the validator runs under this lock.
 * The igraph half is in the module libth-igraph.so (validate-igraph.c,
 * graph-module.h), loaded on the first network that has zones to check. */
static GMutex igraph_lock;

int th_validate_zone_reachability(const ThNetwork *net, uint32_t modes, GPtrArray *errors) {
  if (net->n_zones < 2) return 0;
  GError *e = NULL;
  ThGraphZoneReachability fn =
      (ThGraphZoneReachability)th_graph_module_symbol("th_graph_module_zone_reachability", &e);
  if (!fn) {
    th_problems_add(errors, node_file(net), 0, "cannot check zone reachability (%s)", e->message);
    g_error_free(e);
    return 1;
  }
  g_mutex_lock(&igraph_lock);
  int n = fn(net, modes, errors);
  g_mutex_unlock(&igraph_lock);
  return n;
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

int th_network_validate(const ThNetwork *net, GPtrArray *errors, GPtrArray *warnings) {
  int n = th_validate_coordinates(net, errors, warnings);
  n += th_validate_zone_reachability(net, TH_MODE_ROAD, errors);
  if (warnings) th_validate_sanity(net, warnings);
  return n;
}

/* geojson.c: GeoJSON export with json-glib (see geojson.h). Built as the
 * module libth-geojson.so with th_geojson_write renamed
 * th_geojson_module_write; geojson-load.c is the front that loads it. */
#include "output/geojson.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/linegeom.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* JSON has no NaN or infinity: those become null. */
static void add_number(JsonBuilder *b, const char *key, double v) {
  json_builder_set_member_name(b, key);
  if (isfinite(v))
    json_builder_add_double_value(b, v);
  else
    json_builder_add_null_value(b);
}

static void add_int(JsonBuilder *b, const char *key, int64_t v) {
  json_builder_set_member_name(b, key);
  json_builder_add_int_value(b, v);
}

static void add_string(JsonBuilder *b, const char *key, const char *v) {
  json_builder_set_member_name(b, key);
  json_builder_add_string_value(b, v ? v : "");
}

/* An id: a number when the network's ids are whole numbers, else the text
 * the network's file wrote (LABEL). */
static void add_id(JsonBuilder *b, const char *key, gboolean text, const char *label, int64_t v) {
  if (text) add_string(b, key, label);
  else add_int(b, key, v);
}

/* Unit conversions give 80.00000000000001 km/h; planners want 80. */
static double tidy(double v) { return isfinite(v) ? round(v * 1e6) / 1e6 : v; }

static void add_link(JsonBuilder *b, const ThResults *r, int e) {
  const ThNetwork *net = r->net;
  int n;
  g_autofree double *pts = th_link_polyline(net, e, &n);
  json_builder_begin_object(b);
  add_string(b, "type", "Feature");
  json_builder_set_member_name(b, "geometry");
  if (pts) {
    json_builder_begin_object(b);
    add_string(b, "type", "LineString");
    json_builder_set_member_name(b, "coordinates");
    json_builder_begin_array(b);
    for (int i = 0; i < n; i++) {
      json_builder_begin_array(b);
      json_builder_add_double_value(b, pts[2 * i]);
      json_builder_add_double_value(b, pts[2 * i + 1]);
      json_builder_end_array(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
  } else {
    json_builder_add_null_value(b);
  }
  json_builder_set_member_name(b, "properties");
  json_builder_begin_object(b);
  add_string(b, "feature", "link");
  char buf[32];
  add_id(b, "link_id", net->link_label != NULL, th_network_link_label(net, e, buf),
         net->link_id[e]);
  add_id(b, "from_node_id", net->node_label != NULL,
         th_network_node_label(net, net->link_from[e], buf), net->node_id[net->link_from[e]]);
  add_id(b, "to_node_id", net->node_label != NULL,
         th_network_node_label(net, net->link_to[e], buf), net->node_id[net->link_to[e]]);
  add_string(b, "name", net->link_name[e]);
  add_string(b, "facility_type", net->link_facility[e]);
  g_autofree char *uses = th_modes_format(net->link_modes[e]);
  add_string(b, "allowed_uses", uses);
  add_number(b, "length_km", tidy(net->length_m[e] / 1000.0));
  add_number(b, "free_speed_kmh", tidy(net->free_speed_mps[e] * 3.6));
  double cap = net->capacity_vph[e];
  add_number(b, "capacity_vph", cap > 0 ? cap : NAN);
  add_number(b, "lanes", net->lanes[e]);
  add_number(b, "toll", net->toll[e]);
  add_number(b, "cost_per_tkm", net->cost_per_tkm[e]);
  add_string(b, "source", net->link_source[e]);
  ThFlow tot = {0};
  for (int g = 0; g < TH_N_FLOW_GROUPS; g++) {
    const ThFlow *f = th_results_flow(r, e, (ThFlowGroup)g);
    tot.vehicles += f->vehicles;
    tot.pcu += f->pcu;
    tot.passengers += f->passengers;
    tot.tonnes += f->tonnes;
  }
  /* one rule (issue 12): counts expanded to the whole demand, as vc is;
   * the simulated sample counts beside them as NAME_sample */
  const double x = th_results_expansion(r);
  add_number(b, "vehicles", tot.vehicles * x);
  add_number(b, "pcu", tot.pcu * x);
  add_number(b, "passengers", tot.passengers * x);
  add_number(b, "tonnes", tot.tonnes * x);
  add_number(b, "vehicles_sample", tot.vehicles);
  add_number(b, "pcu_sample", tot.pcu);
  add_number(b, "passengers_sample", tot.passengers);
  add_number(b, "tonnes_sample", tot.tonnes);
  static const char *const what[3] = {"vehicles", "passengers", "tonnes"};
  for (int k = 0; k < 3; k++)
    for (int g = 0; g < TH_FLOW_OTHER; g++) {
      const ThFlow *f = th_results_flow(r, e, (ThFlowGroup)g);
      double v = (k == 0 ? f->vehicles : k == 1 ? f->passengers : f->tonnes) * x;
      g_autofree char *key = g_strdup_printf("%s_%s", what[k], th_flow_group_name(g));
      add_number(b, key, v);
    }
  add_number(b, "vc", th_results_vc(r, e));
  json_builder_end_object(b);
  json_builder_end_object(b);
}

static void add_node(JsonBuilder *b, const ThNetwork *net, int v) {
  json_builder_begin_object(b);
  add_string(b, "type", "Feature");
  json_builder_set_member_name(b, "geometry");
  json_builder_begin_object(b);
  add_string(b, "type", "Point");
  json_builder_set_member_name(b, "coordinates");
  json_builder_begin_array(b);
  json_builder_add_double_value(b, net->lon[v]);
  json_builder_add_double_value(b, net->lat[v]);
  json_builder_end_array(b);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "properties");
  json_builder_begin_object(b);
  add_string(b, "feature", "node");
  char buf[32];
  add_id(b, "node_id", net->node_label != NULL, th_network_node_label(net, v, buf),
         net->node_id[v]);
  add_string(b, "name", net->node_name[v]);
  add_string(b, "node_type", th_node_kind_name(net->node_kind[v]));
  int z = net->node_zone[v];
  json_builder_set_member_name(b, "zone_id");
  if (z >= 0 && net->zone_label)
    json_builder_add_string_value(b, th_network_zone_label(net, z, buf));
  else if (z >= 0)
    json_builder_add_int_value(b, net->zone_id[z]);
  else
    json_builder_add_null_value(b);
  add_number(b, "population",
             z >= 0 && net->zone_population[z] > 0 ? net->zone_population[z] : NAN);
  add_number(b, "gdp", z >= 0 && net->zone_gdp[z] > 0 ? net->zone_gdp[z] : NAN);
  add_number(b, "jobs", z >= 0 && net->zone_jobs[z] > 0 ? net->zone_jobs[z] : NAN);
  json_builder_end_object(b);
  json_builder_end_object(b);
}

/* One FeatureCollection of links (LINES) or nodes, written to PATH. */
static gboolean write_collection(const ThResults *r, gboolean lines, const char *path,
                                 GError **error) {
  const ThNetwork *net = r->net;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add_string(b, "type", "FeatureCollection");
  add_string(b, "name", r->scenario && *r->scenario ? r->scenario : "taihang");
  /* the sample the run simulated; link counts are expanded by its inverse */
  add_number(b, "sample_factor", r->sample_factor > 0 ? r->sample_factor : 1.0);
  json_builder_set_member_name(b, "features");
  json_builder_begin_array(b);
  if (lines)
    for (int e = 0; e < net->n_links; e++) add_link(b, r, e);
  else
    for (int v = 0; v < net->n_nodes; v++)
      if (isfinite(net->lon[v]) && isfinite(net->lat[v])) add_node(b, net, v);
  json_builder_end_array(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autoptr(JsonGenerator) gen = json_generator_new();
  json_generator_set_root(gen, root);
  gsize len = 0;
  g_autofree char *text = json_generator_to_data(gen, &len);
  g_autofree char *withnl = g_strconcat(text, "\n", NULL);
  return th_atomic_write(path, withnl, len + 1, error);
}

gboolean th_geojson_write(const ThResults *r, const char *path, GError **error) {
  g_autofree char *nodes = th_geojson_nodes_path(path);
  return write_collection(r, FALSE, nodes, error) && write_collection(r, TRUE, path, error);
}

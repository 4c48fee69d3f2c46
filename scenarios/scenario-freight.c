/* scenario-freight.c: [freight] truck bans on the network (see scenario-freight.h). */
#include "scenarios/scenario-freight.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <string.h>

/* The items of [freight] KEY (';' or ',' between them), or NULL when unset. */
static GStrv items_of(const ThScenario *sc, const char *key) {
  g_autofree char *v = th_scenario_string(sc, "freight", key);
  if (!v) return NULL;
  GStrv parts = g_strsplit_set(v, ";,", -1);
  int n = 0;
  for (int i = 0; parts[i]; i++) {
    g_strstrip(parts[i]);
    if (*parts[i]) parts[n++] = parts[i];
    else g_free(parts[i]);
  }
  parts[n] = NULL;
  return parts;
}

ThTruckBan *th_scenario_truck_ban(const ThScenario *sc, const ThNetwork *net,
                                  const ThClassTable *classes, GError **error) {
  g_auto(GStrv) links = items_of(sc, "truck_ban_links");
  g_auto(GStrv) nodes = items_of(sc, "truck_ban_nodes");
  g_auto(GStrv) zones = items_of(sc, "truck_ban_zones");
  g_auto(GStrv) cls = items_of(sc, "truck_ban_classes");
  g_autofree char *from = th_scenario_string(sc, "freight", "truck_ban_from");
  g_autofree char *to = th_scenario_string(sc, "freight", "truck_ban_to");
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  if (!links && !nodes && !zones) {
    if (from || to || cls)
      g_ptr_array_add(pr,
                      g_strdup_printf("%s: [freight] %s without truck_ban_links, truck_ban_nodes "
                                      "or truck_ban_zones (expected where trucks are banned)",
                                      th_scenario_origin(sc, "freight",
                                                         cls    ? "truck_ban_classes"
                                                         : from ? "truck_ban_from"
                                                                : "truck_ban_to"),
                                      cls    ? "truck_ban_classes"
                                      : from ? "truck_ban_from"
                                             : "truck_ban_to"));
    th_problems_to_error(pr, TH_ERROR_INVALID, error);
    return NULL;
  }
  /* a list that names nothing */
  const char *list_keys[4] = {"truck_ban_links", "truck_ban_nodes", "truck_ban_zones",
                              "truck_ban_classes"};
  GStrv lists[4] = {links, nodes, zones, cls};
  for (int k = 0; k < 4; k++)
    if (lists[k] && !lists[k][0])
      g_ptr_array_add(pr, g_strdup_printf("%s: [freight] %s is empty (expected ids or names "
                                          "separated by ';')",
                                          th_scenario_origin(sc, "freight", list_keys[k]),
                                          list_keys[k]));
  g_autoptr(ThTruckBan) b = th_truck_ban_new(net, classes->n);
  const char *ol = th_scenario_origin(sc, "freight", "truck_ban_links");
  for (int i = 0; links && links[i]; i++) {
    int e = th_network_link_find(net, links[i]);
    if (e < 0)
      g_ptr_array_add(pr,
                      g_strdup_printf("%s: [freight] truck_ban_links names link %s, which is not "
                                      "in the network (expected link ids of link.csv)",
                                      ol, links[i]));
    else
      b->link[e] = 1;
  }
  const char *on = th_scenario_origin(sc, "freight", "truck_ban_nodes");
  for (int i = 0; nodes && nodes[i]; i++) {
    int v = th_network_node_find(net, nodes[i]);
    if (v < 0)
      g_ptr_array_add(pr,
                      g_strdup_printf("%s: [freight] truck_ban_nodes names node %s, which is not "
                                      "in the network (expected node ids of node.csv)",
                                      on, nodes[i]));
    else
      b->node[v] = 1;
  }
  const char *oz = th_scenario_origin(sc, "freight", "truck_ban_zones");
  for (int i = 0; zones && zones[i]; i++) {
    int z = th_network_zone_find(net, zones[i]);
    if (z < 0) {
      g_ptr_array_add(pr,
                      g_strdup_printf("%s: [freight] truck_ban_zones names zone %s, which is not "
                                      "a zone of the network (expected zone ids of node.csv)",
                                      oz, zones[i]));
      continue;
    }
    /* the zone's nodes: no passing through; links between two of them: closed */
    for (int v = 0; v < net->n_nodes; v++)
      if (net->node_zone[v] == z) b->node[v] = 1;
    for (int e = 0; e < net->n_links; e++)
      if (net->node_zone[net->link_from[e]] == z && net->node_zone[net->link_to[e]] == z)
        b->link[e] = 1;
  }
  if (!from != !to)
    g_ptr_array_add(
        pr,
        g_strdup_printf("%s: [freight] %s without %s (expected both ends of the "
                        "window, or neither for all day)",
                        th_scenario_origin(sc, "freight", from ? "truck_ban_from" : "truck_ban_to"),
                        from ? "truck_ban_from" : "truck_ban_to",
                        from ? "truck_ban_to" : "truck_ban_from"));
  int64_t f = 0, t = 0;
  if (from && to && th_parse_time(from, &f) && th_parse_time(to, &t)) {
    b->from_s = (int32_t)(f % 86400);
    b->to_s = (int32_t)(t % 86400);
  }
  const char *oc = th_scenario_origin(sc, "freight", "truck_ban_classes");
  for (int c = 0; !cls && c < classes->n; c++) b->cls[c] = classes->cls[c].kind == TH_CLASS_FREIGHT;
  for (int i = 0; cls && cls[i]; i++) {
    int c = th_class_table_lookup(classes, cls[i]);
    if (c < 0 || classes->cls[c].kind != TH_CLASS_FREIGHT)
      g_ptr_array_add(pr,
                      g_strdup_printf("%s: [freight] truck_ban_classes names class '%s', which is "
                                      "not a freight class of the class table",
                                      oc, cls[i]));
    else
      b->cls[c] = 1;
  }
  if (th_problems_to_error(pr, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&b);
}

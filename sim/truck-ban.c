/* truck-ban.c: the ban tables (see truck-ban.h). */
#include "sim/truck-ban.h"

ThTruckBan *th_truck_ban_new(const ThNetwork *net, int n_classes) {
  ThTruckBan *b = g_new0(ThTruckBan, 1);
  b->n_links = net->n_links;
  b->n_nodes = net->n_nodes;
  b->n_classes = n_classes;
  b->link = g_new0(guint8, net->n_links + 1);
  b->node = g_new0(guint8, net->n_nodes + 1);
  b->cls = g_new0(guint8, n_classes + 1);
  return b;
}

void th_truck_ban_free(ThTruckBan *b) {
  if (!b) return;
  g_free(b->link);
  g_free(b->node);
  g_free(b->cls);
  g_free(b);
}

gboolean th_truck_ban_any(const ThTruckBan *b) {
  if (!b) return FALSE;
  gboolean where = FALSE, who = FALSE;
  for (int e = 0; e < b->n_links && !where; e++) where = b->link[e];
  for (int v = 0; v < b->n_nodes && !where; v++) where = b->node[v];
  for (int c = 0; c < b->n_classes && !who; c++) who = b->cls[c];
  return where && who;
}

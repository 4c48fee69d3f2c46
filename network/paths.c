/* paths.c: placeholder until shortest paths land (see paths.h). */
#include "network/paths.h"

#include <math.h>

struct ThShortestPaths {
  const ThNetwork *net;
  double *dist;
  int *pred;
};

ThShortestPaths *th_sp_new(const ThNetwork *net) {
  ThShortestPaths *sp = g_new0(ThShortestPaths, 1);
  sp->net = net;
  sp->dist = g_new(double, net->n_nodes + 1);
  sp->pred = g_new(int, net->n_nodes + 1);
  return sp;
}

void th_sp_free(ThShortestPaths *sp) {
  if (!sp) return;
  g_free(sp->dist);
  g_free(sp->pred);
  g_free(sp);
}

void th_sp_run(ThShortestPaths *sp, int source, const double *weight, uint32_t modes) {
  /* Bellman-Ford placeholder: correct, slow. */
  const ThNetwork *n = sp->net;
  for (int v = 0; v < n->n_nodes; v++) sp->dist[v] = INFINITY, sp->pred[v] = -1;
  sp->dist[source] = 0;
  for (gboolean changed = TRUE; changed;) {
    changed = FALSE;
    for (int e = 0; e < n->n_links; e++) {
      int a = n->link_from[e], b = n->link_to[e];
      if (!(n->link_modes[e] & (modes | TH_MODE_CONNECTOR))) continue;
      if (a != source && n->node_no_thru[a]) continue;
      if (sp->dist[a] + weight[e] < sp->dist[b]) {
        sp->dist[b] = sp->dist[a] + weight[e];
        sp->pred[b] = e;
        changed = TRUE;
      }
    }
  }
}

const double *th_sp_dist(const ThShortestPaths *sp) { return sp->dist; }
const int *th_sp_pred_link(const ThShortestPaths *sp) { return sp->pred; }

/* assign-write.c: the outputs of `taihang assign` (see assign-write.h). */
#include "output/assign-write.h"
#include "output/numfmt.h"
#include "network/atomic.h"
#include "network/csv.h"

#include <math.h>
#include <stdio.h>


/* LINE = "ENDS,CLASS,v0,v1,v2,v3\n" with each value as "%.10g" */
static void put_row(GString *line, const char *ends, const char *cls, const double *v) {
  g_string_assign(line, ends);
  g_string_append_c(line, ',');
  g_string_append(line, cls);
  for (int i = 0; i < 4; i++) {
    g_string_append_c(line, ',');
    th_fmt_g(line, v[i], 10);
  }
  g_string_append_c(line, '\n');
}

gboolean th_assign_write_flows_csv(const char *path, const ThNetwork *net, GArray *classes,
                                const ThAssignResult *r, GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *fp = th_atomic_stream(f);
  int m = net->n_links, K = (int)classes->len;
  fputs("link_id,from,to,class,volume,pcu,time_min,cost\n", fp);
  g_autoptr(GString) line = g_string_new(NULL);
  for (int a = 0; a < m; a++) {
    /* ids as the network's files wrote them (text ids of GMNS, quoted if need be) */
    char ib[32], fb[32], tb[32];
    g_autoptr(GString) ends = g_string_new(NULL);
    th_csv_append_field(ends, th_network_link_label(net, a, ib));
    g_string_append_c(ends, ',');
    th_csv_append_field(ends, th_network_node_label(net, net->link_from[a], fb));
    g_string_append_c(ends, ',');
    th_csv_append_field(ends, th_network_node_label(net, net->link_to[a], tb));
    /* "%.10g" by th_fmt_g (the same bytes; printf was 90 % of the time) */
    double tot = 0;
    for (int k = 0; k < K; k++) {
      const ThAssignInputClass *c = &g_array_index(classes, ThAssignInputClass, k);
      double x = r->volume[(gsize)k * m + a];
      tot += x;
      double v[4] = {x, x * c->pcu, r->time_min[a], r->cost_min[(gsize)k * m + a]};
      put_row(line, ends->str, c->name, v);
      fwrite(line->str, 1, line->len, fp);
    }
    double v[4] = {tot, r->pcu[a], r->time_min[a], r->time_min[a]};
    put_row(line, ends->str, "total", v);
    fwrite(line->str, 1, line->len, fp);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

gboolean th_assign_write_flows_tntp(const char *path, const ThNetwork *net, GArray *classes,
                                 const ThAssignResult *r, GError **error) {
  int m = net->n_links, K = (int)classes->len;
  g_autofree double *vol = g_new0(double, m + 1);
  for (int k = 0; k < K; k++)
    for (int a = 0; a < m; a++) vol[a] += r->volume[(gsize)k * m + a];
  /* with one class the cost is its generalized cost (TNTP's toll and
   * distance factors included), else the travel time */
  const double *cost = K == 1 ? r->cost_min : r->time_min;
  gsize len;
  g_autofree char *text = th_tntp_format_flow(net, vol, cost, &len);
  return th_atomic_write(path, text, len, error);
}

gboolean th_assign_write_skim(const char *path, const ThNetwork *net, GArray *classes,
                           const ThAssignClass *ac, const ThAssignResult *r, int threads,
                           GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *fp = th_atomic_stream(f);
  fputs("origin,destination,mode,time_min,distance_km,cost\n", fp);
  int z = net->n_zones;
  for (guint k = 0; k < classes->len; k++) {
    double *T, *D, *C;
    th_assign_skim(net, &ac[k], r, (int)k, threads, &T, &D, &C);
    for (int o = 0; o < z; o++)
      for (int d = 0; d < z; d++) {
        gsize i = (gsize)o * z + d;
        if (o == d || isnan(T[i])) continue;
        char ob[32], db[32];
        th_csv_write_field(fp, th_network_zone_label(net, o, ob));
        fputc(',', fp);
        th_csv_write_field(fp, th_network_zone_label(net, d, db));
        fprintf(fp, ",%s,%.6f,%.6f,%.4f\n", g_array_index(classes, ThAssignInputClass, k).name, T[i], D[i],
                C[i]);
      }
    g_free(T);
    g_free(D);
    g_free(C);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}


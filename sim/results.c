/* results.c: the results type and the travel-time table. */
#include "sim/results.h"

#include <stdlib.h>

const char *th_trip_status_name(ThTripStatus s) {
  switch (s) {
  case TH_TRIP_ARRIVED: return "arrived";
  case TH_TRIP_STUCK: return "stuck";
  case TH_TRIP_UNSERVED: return "unserved";
  case TH_TRIP_EN_ROUTE: return "en_route";
  }
  return "?";
}

ThRunResults *th_run_results_new(int n) {
  ThRunResults *r = g_new0(ThRunResults, 1);
  r->n_trips = n;
  r->status = g_new0(uint8_t, n + 1);
  r->mode = g_new0(uint32_t, n + 1);
  r->depart_s = g_new0(int32_t, n + 1);
  r->arrive_s = g_new0(int32_t, n + 1);
  r->distance_m = g_new0(double, n + 1);
  r->money = g_new0(double, n + 1);
  r->gen_cost = g_new0(double, n + 1);
  r->link_flows = g_array_new(FALSE, FALSE, sizeof(ThLinkFlow));
  r->link_bins = g_array_new(FALSE, FALSE, sizeof(ThLinkFlowBin));
  r->convergence = g_array_new(FALSE, FALSE, sizeof(ThIterStats));
  return r;
}

void th_run_results_free(ThRunResults *r) {
  if (!r) return;
  g_free(r->status);
  g_free(r->mode);
  g_free(r->depart_s);
  g_free(r->arrive_s);
  g_free(r->distance_m);
  g_free(r->money);
  g_free(r->gen_cost);
  g_free(r->wait_s);
  g_free(r->transfers);
  g_array_unref(r->link_flows);
  g_array_unref(r->link_bins);
  g_array_unref(r->convergence);
  if (r->events) g_array_unref(r->events);
  g_free(r);
}

static const char *const periods[] = {"night", "am", "ip", "pm", "eve", "day"};

static int period_index(int32_t t) {
  int h = (int)((t % 86400 + 86400) % 86400 / 3600);
  return h < 7 ? 0 : h < 9 ? 1 : h < 17 ? 2 : h < 19 ? 3 : 4;
}

const char *th_period_name(int32_t t) { return periods[period_index(t)]; }

typedef struct {
  int64_t o, d;
  int cls;
  uint32_t mode;
  int period;
  int trip;
} Key;

static int key_cmp(const void *pa, const void *pb) {
  const Key *a = pa, *b = pb;
  if (a->o != b->o) return a->o < b->o ? -1 : 1;
  if (a->d != b->d) return a->d < b->d ? -1 : 1;
  if (a->cls != b->cls) return a->cls < b->cls ? -1 : 1;
  if (a->mode != b->mode) return a->mode < b->mode ? -1 : 1;
  if (a->period != b->period) return a->period < b->period ? -1 : 1;
  return a->trip < b->trip ? -1 : a->trip > b->trip;
}

static int64_t place_id(const ThNetwork *net, int node, int zone) {
  return zone >= 0 ? net->zone_id[zone] : net->node_id[node];
}

GArray *th_run_results_od_times(const ThRunResults *r, const ThTrips *t, const ThNetwork *net) {
  GArray *rows = g_array_new(FALSE, FALSE, sizeof(ThOdRow));
  Key *k = g_new(Key, 2 * (size_t)t->n + 1);
  size_t n = 0;
  for (int i = 0; i < t->n; i++) {
    if (r->arrive_s[i] < 0) continue;
    Key x = {place_id(net, t->origin[i], t->origin_zone[i]),
             place_id(net, t->destination[i], t->destination_zone[i]), t->cls[i], r->mode[i],
             period_index(r->depart_s[i]), i};
    k[n++] = x;
    x.period = 5;
    k[n++] = x;
  }
  qsort(k, n, sizeof(Key), key_cmp);
  for (size_t a = 0; a < n;) {
    size_t b = a;
    double tt = 0, dist = 0, cost = 0;
    while (b < n && k[b].o == k[a].o && k[b].d == k[a].d && k[b].cls == k[a].cls &&
           k[b].mode == k[a].mode && k[b].period == k[a].period) {
      int i = k[b].trip;
      tt += r->arrive_s[i] - r->depart_s[i];
      dist += r->distance_m[i];
      cost += r->money[i];
      b++;
    }
    double m = (double)(b - a);
    ThOdRow row = {k[a].o, k[a].d, k[a].cls, k[a].mode, periods[k[a].period], (int64_t)(b - a),
                   tt / m / 60.0, dist / m / 1000.0, cost / m};
    g_array_append_val(rows, row);
    a = b;
  }
  g_free(k);
  return rows;
}

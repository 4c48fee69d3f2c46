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
  g_free(r->depart_delay_s);
  g_free(r->shared_truck_km);
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
  uint64_t cm; /* class << 40 | mode << 8 | period: one compare for three fields */
  int trip;
} Key;

static int key_cmp(const void *pa, const void *pb) {
  const Key *a = pa, *b = pb;
  if (a->o != b->o) return a->o < b->o ? -1 : 1;
  if (a->d != b->d) return a->d < b->d ? -1 : 1;
  if (a->cm != b->cm) return a->cm < b->cm ? -1 : 1;
  return a->trip < b->trip ? -1 : a->trip > b->trip;
}

static int64_t place_id(const ThNetwork *net, int node, int zone) {
  return zone >= 0 ? net->zone_id[zone] : net->node_id[node];
}

static ThOdRow od_row(const Key *k, int period, int64_t n, double tt, double dist, double cost) {
  double m = (double)n;
  ThOdRow row = {k->o, k->d, (int)(k->cm >> 40), (uint32_t)(k->cm >> 8), periods[period], n,
                 tt / m / 60.0, dist / m / 1000.0, cost / m};
  return row;
}

/* One sort of the arrived trips by (origin, destination, class, mode,
 * period, trip); each (origin, destination, class, mode) run gives its
 * period rows, then its day row. */
GArray *th_run_results_od_times(const ThRunResults *r, const ThTrips *t, const ThNetwork *net) {
  Key *k = g_new(Key, (size_t)t->n + 1);
  size_t n = 0;
  for (int i = 0; i < t->n; i++) {
    if (r->arrive_s[i] < 0) continue;
    Key x = {place_id(net, t->origin[i], t->origin_zone[i]),
             place_id(net, t->destination[i], t->destination_zone[i]),
             (uint64_t)(uint16_t)t->cls[i] << 40 | (uint64_t)r->mode[i] << 8 |
                 (uint64_t)period_index(r->depart_s[i]),
             i};
    k[n++] = x;
  }
  qsort(k, n, sizeof(Key), key_cmp);
  GArray *rows = g_array_sized_new(FALSE, FALSE, sizeof(ThOdRow), (guint)MIN(2 * n + 1, G_MAXUINT));
  for (size_t a = 0; a < n;) {
    double dtt = 0, ddist = 0, dcost = 0;
    size_t b = a;
    while (b < n && k[b].o == k[a].o && k[b].d == k[a].d && k[b].cm >> 8 == k[a].cm >> 8) {
      size_t c = b;
      double tt = 0, dist = 0, cost = 0;
      for (; c < n && k[c].o == k[b].o && k[c].d == k[b].d && k[c].cm == k[b].cm; c++) {
        int i = k[c].trip;
        tt += r->arrive_s[i] - r->depart_s[i];
        dist += r->distance_m[i];
        cost += r->money[i];
      }
      ThOdRow row = od_row(&k[b], (int)(k[b].cm & 0xff), (int64_t)(c - b), tt, dist, cost);
      g_array_append_val(rows, row);
      dtt += tt;
      ddist += dist;
      dcost += cost;
      b = c;
    }
    ThOdRow day = od_row(&k[a], 5, (int64_t)(b - a), dtt, ddist, dcost);
    g_array_append_val(rows, day);
    a = b;
  }
  g_free(k);
  return rows;
}

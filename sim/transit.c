/* transit.c: connection scan and the run simulation (see transit.h). */
#include "sim/transit.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Route search: Connection Scan                                        */
/* ------------------------------------------------------------------ */

typedef struct {
  int dep, arr; /* seconds */
  int run, k;   /* run index, segment k -> k+1 */
  int from, to; /* compact stop indices */
  guint8 board, alight; /* boarding allowed at FROM, alighting at TO (services.h stop_use) */
} Conn;

struct ThTransitRouter {
  const ThNetwork *net;
  const ThServices *sv;
  const ThHubs *hubs;
  int n_conn;
  Conn *conn;
  int n_stops;
  int *stop_node;     /* compact stop -> node */
  int *stop_xfer_s;   /* transfer time at the stop */
  int *fp_start, *fp_to, *fp_s; /* footpaths from each stop (CSR): to stop, walking seconds */
  /* per-query state */
  int *stop_arr, *stop_ready, *stop_in, *stop_legs;
  int *stop_walk;     /* > 0: STOP_READY came by a footpath of this many seconds; -1: no */
  int *run_enter, *run_legs;
  GArray *touched_runs;
};

/* footpaths (from, to, seconds) by from, to, then seconds */
static gint fp_cmp(gconstpointer a, gconstpointer b) {
  const int *x = a, *y = b;
  for (int i = 0; i < 3; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/* The walking seconds of the footpath from stop A to stop B, or -1. */
static int footpath_s(const ThTransitRouter *r, int a, int b) {
  for (int f = r->fp_start[a]; f < r->fp_start[a + 1]; f++)
    if (r->fp_to[f] == b) return r->fp_s[f];
  return -1;
}

static int conn_cmp(const void *a, const void *b) {
  const Conn *x = a, *y = b;
  if (x->dep != y->dep) return x->dep < y->dep ? -1 : 1;
  if (x->arr != y->arr) return x->arr < y->arr ? -1 : 1;
  if (x->run != y->run) return x->run < y->run ? -1 : 1;
  return x->k - y->k;
}

ThTransitRouter *th_transit_router_new(const ThNetwork *net, const ThServices *sv,
                                       const ThHubs *hubs, ThServiceKind kind, uint32_t modes) {
  ThTransitRouter *r = g_new0(ThTransitRouter, 1);
  r->net = net;
  r->sv = sv;
  r->hubs = hubs;
  int *compact = g_new(int, net->n_nodes + 1);
  for (int v = 0; v < net->n_nodes; v++) compact[v] = -1;
  int total = 0;
  for (int i = 0; i < sv->n_lines; i++) {
    const ThServiceLine *L = &sv->lines[i];
    if (L->kind != kind || !(L->mode & modes)) continue;
    total += L->n_runs * (L->n_stops - 1);
    for (int k = 0; k < L->n_stops; k++) compact[L->stop[k]] = 1;
  }
  for (int v = 0; v < net->n_nodes; v++)
    if (compact[v] >= 0) r->n_stops++;
  r->stop_node = g_new(int, r->n_stops + 1);
  r->stop_xfer_s = g_new(int, r->n_stops + 1);
  int s = 0;
  for (int v = 0; v < net->n_nodes; v++)
    if (compact[v] >= 0) {
      compact[v] = s;
      r->stop_node[s] = v;
      r->stop_xfer_s[s] = th_hubs_transfer_s(hubs, v);
      s++;
    }
  r->conn = g_new(Conn, total + 1);
  for (int i = 0; i < sv->n_lines; i++) {
    const ThServiceLine *L = &sv->lines[i];
    if (L->kind != kind || !(L->mode & modes)) continue;
    for (int j = 0; j < L->n_runs; j++) {
      int run = L->first_run + j;
      for (int k = 0; k + 1 < L->n_stops; k++)
        r->conn[r->n_conn++] = (Conn){.dep = th_run_dep_s(sv, run, k),
                                      .arr = th_run_arr_s(sv, run, k + 1),
                                      .run = run,
                                      .k = k,
                                      .from = compact[L->stop[k]],
                                      .to = compact[L->stop[k + 1]],
                                      .board = th_line_can_board(L, k),
                                      .alight = th_line_can_alight(L, k + 1)};
    }
  }
  qsort(r->conn, r->n_conn, sizeof(Conn), conn_cmp);
  /* footpaths: walk links of facility "transfer" between two stops, the
   * shortest per pair (passengers only) */
  r->fp_start = g_new0(int, r->n_stops + 2);
  GArray *fp = g_array_new(FALSE, FALSE, sizeof(int) * 3);
  for (int e = 0; kind == TH_SERVICE_PASSENGER && e < net->n_links; e++) {
    int a = compact[net->link_from[e]], b = compact[net->link_to[e]];
    if (a < 0 || b < 0 || a == b || !(net->link_modes[e] & TH_MODE_WALK) ||
        strcmp(net->link_facility[e], "transfer"))
      continue;
    int x[3] = {a, b, MAX(1, (int)lround(net->free_time_s[e]))};
    g_array_append_val(fp, x);
  }
  g_array_sort(fp, fp_cmp);
  r->fp_to = g_new(int, fp->len + 1);
  r->fp_s = g_new(int, fp->len + 1);
  int nf = 0;
  for (guint i = 0; i < fp->len; i++) {
    const int *x = &g_array_index(fp, int, 3 * i);
    if (nf > 0 && i > 0 && g_array_index(fp, int, 3 * (i - 1)) == x[0] && r->fp_to[nf - 1] == x[1])
      continue; /* the same pair: the first (shortest) kept */
    r->fp_to[nf] = x[1];
    r->fp_s[nf] = x[2];
    r->fp_start[x[0] + 1]++;
    nf++;
  }
  for (int q = 0; q < r->n_stops; q++) r->fp_start[q + 1] += r->fp_start[q];
  g_array_free(fp, TRUE);
  g_free(compact);
  r->stop_arr = g_new(int, r->n_stops + 1);
  r->stop_ready = g_new(int, r->n_stops + 1);
  r->stop_in = g_new(int, r->n_stops + 1);
  r->stop_legs = g_new(int, r->n_stops + 1);
  r->stop_walk = g_new(int, r->n_stops + 1);
  r->run_enter = g_new(int, sv->n_runs + 1);
  r->run_legs = g_new(int, sv->n_runs + 1);
  for (int i = 0; i < sv->n_runs; i++) r->run_enter[i] = -1;
  r->touched_runs = g_array_new(FALSE, FALSE, sizeof(int));
  return r;
}

void th_transit_router_free(ThTransitRouter *r) {
  if (!r) return;
  g_free(r->conn);
  g_free(r->stop_node);
  g_free(r->stop_xfer_s);
  g_free(r->stop_arr);
  g_free(r->stop_ready);
  g_free(r->stop_in);
  g_free(r->stop_legs);
  g_free(r->stop_walk);
  g_free(r->fp_start);
  g_free(r->fp_to);
  g_free(r->fp_s);
  g_free(r->run_enter);
  g_free(r->run_legs);
  g_array_free(r->touched_runs, TRUE);
  g_free(r);
}

const int *th_transit_router_stops(const ThTransitRouter *r, int *n_stops) {
  *n_stops = r->n_stops;
  return r->stop_node;
}

void th_transit_route(ThTransitRouter *r, int depart_s, const int *access_s, const int *egress_s,
                      int horizon_s, ThTransitJourney *out) {
  memset(out, 0, sizeof *out);
  out->access_node = out->egress_node = -1;
  out->arrive_s = -1;
  const int INF = G_MAXINT;
  for (int s = 0; s < r->n_stops; s++) {
    r->stop_in[s] = -1;
    r->stop_legs[s] = 0;
    r->stop_walk[s] = -1;
    if (access_s[s] >= 0) r->stop_arr[s] = r->stop_ready[s] = depart_s + access_s[s];
    else r->stop_arr[s] = r->stop_ready[s] = INF;
  }
  /* first connection departing at or after DEPART_S */
  int lo = 0, hi = r->n_conn;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (r->conn[mid].dep < depart_s) lo = mid + 1;
    else hi = mid;
  }
  int best = horizon_s < INF ? horizon_s + 1 : INF, best_stop = -1, best_conn = -1;
  for (int i = lo; i < r->n_conn; i++) {
    const Conn *c = &r->conn[i];
    if (c->dep >= best) break;
    if (r->run_enter[c->run] < 0) {
      if (!c->board || r->stop_ready[c->from] > c->dep ||
          r->stop_legs[c->from] >= TH_TRANSIT_MAX_LEGS)
        continue;
      r->run_enter[c->run] = i;
      r->run_legs[c->run] = r->stop_legs[c->from] + 1;
      g_array_append_val(r->touched_runs, c->run);
    }
    if (!c->alight) continue; /* riders stay on through this stop */
    /* the destination is judged on every ride's arrival, not only on
     * improvements of the stop: a stop may be reached earlier by road alone,
     * which is no transit journey */
    if (egress_s[c->to] >= 0 && c->arr + egress_s[c->to] < best) {
      best = c->arr + egress_s[c->to];
      best_stop = c->to;
      best_conn = i;
    }
    if (c->arr < r->stop_arr[c->to]) {
      r->stop_arr[c->to] = c->arr;
      /* a walk from another stop may have made it ready earlier: kept */
      if (r->stop_walk[c->to] < 0 || c->arr + r->stop_xfer_s[c->to] < r->stop_ready[c->to]) {
        r->stop_in[c->to] = i;
        r->stop_legs[c->to] = r->run_legs[c->run];
        r->stop_ready[c->to] = c->arr + r->stop_xfer_s[c->to];
        r->stop_walk[c->to] = -1;
      }
      for (int f = r->fp_start[c->to]; f < r->fp_start[c->to + 1]; f++) {
        int q = r->fp_to[f];
        if (c->arr + r->fp_s[f] < r->stop_ready[q]) {
          r->stop_ready[q] = c->arr + r->fp_s[f];
          r->stop_in[q] = i;
          r->stop_legs[q] = r->run_legs[c->run];
          r->stop_walk[q] = r->fp_s[f];
        }
      }
    }
  }
  if (best_stop >= 0) {
    ThTransitLeg rev[TH_TRANSIT_MAX_LEGS];
    int board_conn[TH_TRANSIT_MAX_LEGS], alight_conn[TH_TRANSIT_MAX_LEGS];
    int n = 0;
    for (int ci = best_conn; ci >= 0 && n < TH_TRANSIT_MAX_LEGS;) {
      const Conn *c = &r->conn[ci];
      int e = r->run_enter[c->run];
      rev[n] = (ThTransitLeg){.line = r->sv->runs[c->run].line,
                              .run = c->run,
                              .board_k = r->conn[e].k,
                              .alight_k = c->k + 1};
      board_conn[n] = e;
      alight_conn[n] = ci;
      n++;
      ci = r->stop_in[r->conn[e].from];
    }
    out->n_legs = n;
    int t = -1;
    for (int j = 0; j < n; j++) {
      const ThTransitLeg *lg = &rev[n - 1 - j];
      const Conn *b = &r->conn[board_conn[n - 1 - j]], *a = &r->conn[alight_conn[n - 1 - j]];
      out->legs[j] = *lg;
      const ThServiceLine *L = &r->sv->lines[lg->line];
      if (j == 0) {
        out->access_node = r->stop_node[b->from];
        out->access_s = access_s[b->from];
        out->ready_s = depart_s + out->access_s;
        t = out->ready_s;
      } else {
        /* boarding elsewhere than the last ride ended: the footpath between */
        int prev_to = r->conn[alight_conn[n - j]].to;
        int x = prev_to != b->from ? footpath_s(r, prev_to, b->from) : r->stop_xfer_s[b->from];
        if (prev_to != b->from) out->legs[j].walk_s = x;
        out->transfer_s += x;
        t += x;
      }
      out->wait_s += b->dep - t;
      out->in_vehicle_s += a->arr - b->dep;
      double km = 0;
      for (int k = lg->board_k; k < lg->alight_k; k++) km += L->seg_len_m[k] / 1000.0;
      out->km += km;
      out->fare += L->fare_flat + L->fare_per_km * km;
      out->modes |= L->mode;
      t = a->arr;
    }
    out->egress_node = r->stop_node[best_stop];
    out->egress_s = egress_s[best_stop];
    out->arrive_s = best;
  }
  for (guint i = 0; i < r->touched_runs->len; i++)
    r->run_enter[g_array_index(r->touched_runs, int, i)] = -1;
  g_array_set_size(r->touched_runs, 0);
}

/* ------------------------------------------------------------------ */
/* Simulation                                                          */
/* ------------------------------------------------------------------ */

enum { EV_RIDER_READY = 0, EV_RIDER_QUEUE, EV_RIDER_HUB_OUT, EV_RUN_ARR, EV_RUN_DEP };

typedef struct {
  int64_t time;
  int order;  /* riders (0) before run arrivals (1) before departures (2) */
  uint64_t seq;
  int type, a, b;
} Event;

typedef struct {
  double load;
  int n_legs, leg;
  ThTransitLeg legs[TH_TRANSIT_MAX_LEGS];
  int egress_s;
  int ready_t;   /* when it joined the current stop queue */
  int board_t;
  int hub_in_t;  /* arrival at the hub of a leg with handling before it, or -1 */
  ThRiderResult res;
} Rider;

typedef struct {
  GArray *items; /* rider indices */
  guint head;
} Queue;

typedef struct {
  double free_at;
} HubServer;

struct ThTransitSim {
  const ThNetwork *net;
  const ThServices *sv;
  const ThHubs *hubs;
  GArray *riders;      /* Rider */
  GArray *heap;        /* Event */
  uint64_t seq;
  int *qbase;          /* per line: first queue index (one per stop) */
  Queue *queues;
  int n_queues;
  GArray **aboard;     /* per run: rider indices */
  double *aboard_load; /* per run */
  ThTransitRunLoad *runs;
  double *seg_load;    /* per line and segment, indexed by qbase */
  ThTransitStopLoad *stop_load; /* per line and stop, indexed by qbase */
  HubServer *servers;
  ThHubResult *hub_res;
  int horizon_s;
  int n_runs;
  double sample_factor; /* capacities and handling rates are scaled by it (1: full demand) */
};

ThTransitSim *th_transit_sim_new(const ThNetwork *net, const ThServices *sv, const ThHubs *hubs) {
  ThTransitSim *s = g_new0(ThTransitSim, 1);
  s->net = net;
  s->sv = sv;
  s->hubs = hubs;
  s->riders = g_array_new(FALSE, TRUE, sizeof(Rider));
  s->heap = g_array_new(FALSE, FALSE, sizeof(Event));
  s->qbase = g_new(int, sv->n_lines + 1);
  for (int i = 0; i < sv->n_lines; i++) {
    s->qbase[i] = s->n_queues;
    s->n_queues += sv->lines[i].n_stops;
  }
  s->queues = g_new0(Queue, s->n_queues + 1);
  s->seg_load = g_new0(double, s->n_queues + 1);
  s->stop_load = g_new0(ThTransitStopLoad, s->n_queues + 1);
  s->aboard = g_new0(GArray *, sv->n_runs + 1);
  s->aboard_load = g_new0(double, sv->n_runs + 1);
  s->runs = g_new0(ThTransitRunLoad, sv->n_runs + 1);
  s->n_runs = sv->n_runs;
  int nh = hubs ? hubs->n_hubs : 0;
  s->servers = g_new0(HubServer, nh + 1);
  s->hub_res = g_new0(ThHubResult, nh + 1);
  s->sample_factor = 1;
  return s;
}

void th_transit_sim_set_sample_factor(ThTransitSim *s, double f) {
  g_return_if_fail(f > 0);
  s->sample_factor = f;
}

/* Seats or tonnes of RUN of line L in a run of a sample: capacity x f,
 * rounded to a whole number of seats by a fixed low-discrepancy offset per run
 * (so that over the runs of a line the mean is exactly capacity x f, not
 * its floor). Unchanged at f = 1. */
static double run_capacity(const ThTransitSim *s, const ThServiceLine *L, int run) {
  if (s->sample_factor == 1) return L->capacity;
  double c = L->capacity * s->sample_factor;
  double u = fmod((run + 1) * 0.6180339887498949, 1.0);
  return floor(c + u);
}

void th_transit_sim_free(ThTransitSim *s) {
  if (!s) return;
  g_array_free(s->riders, TRUE);
  g_array_free(s->heap, TRUE);
  for (int i = 0; i < s->n_queues; i++)
    if (s->queues[i].items) g_array_free(s->queues[i].items, TRUE);
  g_free(s->queues);
  g_free(s->qbase);
  g_free(s->seg_load);
  g_free(s->stop_load);
  for (int i = 0; i < s->n_runs; i++)
    if (s->aboard[i]) g_array_free(s->aboard[i], TRUE);
  g_free(s->aboard);
  g_free(s->aboard_load);
  g_free(s->runs);
  g_free(s->servers);
  g_free(s->hub_res);
  g_free(s);
}

int th_transit_sim_add(ThTransitSim *s, double load, int ready_s, const ThTransitLeg *legs,
                       int n_legs, int egress_s) {
  g_return_val_if_fail(n_legs >= 1 && n_legs <= TH_TRANSIT_MAX_LEGS, -1);
  Rider r = {.load = load, .n_legs = n_legs, .egress_s = egress_s, .ready_t = ready_s,
             .hub_in_t = -1};
  memcpy(r.legs, legs, sizeof(ThTransitLeg) * n_legs);
  r.res.arrive_s = -1;
  g_array_append_val(s->riders, r);
  return s->riders->len - 1;
}

static gboolean ev_less(const Event *x, const Event *y) {
  if (x->time != y->time) return x->time < y->time;
  if (x->order != y->order) return x->order < y->order;
  return x->seq < y->seq;
}

static void push(ThTransitSim *s, int64_t time, int type, int a, int b) {
  Event e = {.time = time, .order = type >= EV_RUN_ARR ? type - EV_RUN_ARR + 1 : 0,
             .seq = s->seq++, .type = type, .a = a, .b = b};
  g_array_append_val(s->heap, e);
  Event *h = (Event *)s->heap->data;
  guint i = s->heap->len - 1;
  while (i > 0) {
    guint p = (i - 1) / 2;
    if (!ev_less(&h[i], &h[p])) break;
    Event t = h[i];
    h[i] = h[p];
    h[p] = t;
    i = p;
  }
}

static Event pop(ThTransitSim *s) {
  Event *h = (Event *)s->heap->data;
  Event top = h[0];
  guint n = s->heap->len - 1;
  h[0] = h[n];
  g_array_set_size(s->heap, n);
  guint i = 0;
  for (;;) {
    guint l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && ev_less(&h[l], &h[m])) m = l;
    if (r < n && ev_less(&h[r], &h[m])) m = r;
    if (m == i) break;
    Event t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
  return top;
}

static Rider *rider(ThTransitSim *s, int i) { return &g_array_index(s->riders, Rider, i); }

static int leg_node(const ThTransitSim *s, const ThTransitLeg *lg, gboolean board) {
  return s->sv->lines[lg->line].stop[board ? lg->board_k : lg->alight_k];
}

/* Passes a shipment through the handling server of the hub at NODE from time
 * T; returns when it is done (T itself where no handling applies). */
static int64_t hub_serve(ThTransitSim *s, int node, double tonnes, int64_t t, Rider *r) {
  const ThHub *hub = th_hubs_at(s->hubs, node);
  if (!hub || !(hub->handling_rate_tph > 0)) return t;
  int h = s->hubs->hub_of_node[node];
  HubServer *sv = &s->servers[h];
  double rate_tph = hub->handling_rate_tph * s->sample_factor; /* the sample's share of the server */
  double start = MAX((double)t, sv->free_at);
  double finish = start + tonnes / rate_tph * 3600.0;
  sv->free_at = finish;
  ThHubResult *hr = &s->hub_res[h];
  hr->tonnes_handled += tonnes;
  hr->queue_s_sum += start - t;
  r->res.hub_queue_s += (int)lround(start - t);
  hr->shipments++;
  double backlog = (finish - t) * rate_tph / 3600.0;
  if (backlog > hr->peak_queue_t) hr->peak_queue_t = backlog;
  int64_t done = (int64_t)ceil(finish - 1e-9);
  r->res.handling_s += (int)(done - t);
  return done;
}

/* The rider has finished leg LEG (alighted, handled) at time T. */
static void rider_next(ThTransitSim *s, int ri, int64_t t) {
  Rider *r = rider(s, ri);
  if (r->leg + 1 < r->n_legs) {
    r->leg++;
    const ThTransitLeg *lg = &r->legs[r->leg];
    int64_t ready = t;
    if (lg->walk_s > 0) ready += lg->walk_s; /* a footpath to another stop */
    else if (!lg->handle_before) ready += th_hubs_transfer_s(s->hubs, leg_node(s, lg, TRUE));
    push(s, ready, EV_RIDER_READY, ri, 0);
  } else {
    int64_t arr = t + r->egress_s;
    r->res.arrive_s = (int)arr;
    r->res.status = arr <= s->horizon_s ? TH_RIDER_ARRIVED : TH_RIDER_EN_ROUTE;
    if (r->res.status != TH_RIDER_ARRIVED) r->res.arrive_s = -1;
  }
}

/* Has the last run of LINE already departed stop K before time T? */
static gboolean line_over(const ThTransitSim *s, int line, int k, int64_t t) {
  const ThServiceLine *L = &s->sv->lines[line];
  if (L->n_runs == 0) return TRUE;
  return th_run_dep_s(s->sv, L->first_run + L->n_runs - 1, k) < t;
}

static void enqueue(ThTransitSim *s, int ri, int64_t t) {
  Rider *r = rider(s, ri);
  const ThTransitLeg *lg = &r->legs[r->leg];
  r->ready_t = (int)t;
  if (line_over(s, lg->line, lg->board_k, t)) {
    r->res.status = TH_RIDER_STRANDED;
    return;
  }
  Queue *q = &s->queues[s->qbase[lg->line] + lg->board_k];
  if (!q->items) q->items = g_array_new(FALSE, FALSE, sizeof(int));
  g_array_append_val(q->items, ri);
}

/* Counts a shipment that stayed DWELL_S at the hub at NODE against its dwell limit. */
static void dwell_check(ThTransitSim *s, int node, int64_t dwell_s) {
  const ThHub *hub = th_hubs_at(s->hubs, node);
  if (hub && hub->dwell_limit_s > 0 && dwell_s > hub->dwell_limit_s)
    s->hub_res[s->hubs->hub_of_node[node]].over_dwell++;
}

/* On-demand freight runs (transit.h): does RUN of line L, due at its first
 * stop at T, leave? */
static gboolean run_goes(ThTransitSim *s, int run, const ThServiceLine *L, int64_t t) {
  if (L->kind != TH_SERVICE_FREIGHT || (L->run_if_tonnes <= 0 && L->max_wait_s <= 0)) return TRUE;
  const int line = s->sv->runs[run].line;
  double waiting = 0;
  int64_t oldest = INT64_MAX;
  for (int k = 0; k + 1 < L->n_stops; k++) {
    const Queue *q = &s->queues[s->qbase[line] + k];
    if (!q->items) continue;
    for (guint j = q->head; j < q->items->len; j++) {
      const Rider *r = &g_array_index(s->riders, Rider, g_array_index(q->items, int, j));
      waiting += r->load;
      oldest = MIN(oldest, (int64_t)r->ready_t);
    }
  }
  if (waiting <= 0) return FALSE;
  if (run == L->first_run + L->n_runs - 1) return TRUE; /* nothing is left behind for the night */
  if (L->run_if_tonnes > 0 && waiting / s->sample_factor >= L->run_if_tonnes - 1e-9) return TRUE;
  if (L->max_wait_s > 0 && t - oldest >= L->max_wait_s) return TRUE;
  return FALSE;
}

/* A cancelled on-demand run: those waiting for its line are held. */
static void run_cancel(ThTransitSim *s, int run, const ThServiceLine *L) {
  const int line = s->sv->runs[run].line;
  s->runs[run].cancelled = 1;
  for (int k = 0; k + 1 < L->n_stops; k++) {
    const Queue *q = &s->queues[s->qbase[line] + k];
    for (guint j = q->items ? q->head : 0; q->items && j < q->items->len; j++)
      rider(s, g_array_index(q->items, int, j))->res.held++;
  }
}

static void run_depart(ThTransitSim *s, int run, int k, int64_t t) {
  const ThServiceRun *R = &s->sv->runs[run];
  const ThServiceLine *L = &s->sv->lines[R->line];
  Queue *q = &s->queues[s->qbase[R->line] + k];
  ThTransitRunLoad *rr = &s->runs[run];
  if (k == 0 && !run_goes(s, run, L, t)) {
    run_cancel(s, run, L);
    return; /* no boarding, no arrivals: the run does not exist today */
  }
  if (q->items) {
    /* strictly first come, first served: a load that does not fit blocks those
     * behind it; an empty run always takes the first (a shipment bigger than
     * the sample's share of a train still travels) */
    double cap = run_capacity(s, L, run);
    while (q->head < q->items->len) {
      int ri = g_array_index(q->items, int, q->head);
      Rider *r = rider(s, ri);
      if (s->aboard_load[run] + r->load > cap + 1e-9 && s->aboard_load[run] > 0) break;
      q->head++;
      s->aboard_load[run] += r->load;
      if (!s->aboard[run]) s->aboard[run] = g_array_new(FALSE, FALSE, sizeof(int));
      g_array_append_val(s->aboard[run], ri);
      r->res.wait_s += (int)(t - r->ready_t);
      r->res.boardings++;
      if (r->hub_in_t >= 0) {
        dwell_check(s, leg_node(s, &r->legs[r->leg], TRUE), t - r->hub_in_t);
        r->hub_in_t = -1;
      }
      r->board_t = (int)t;
      rr->boardings++;
      rr->boarded_load += r->load;
      s->stop_load[s->qbase[R->line] + k].boardings++;
      s->stop_load[s->qbase[R->line] + k].boarded_load += r->load;
    }
    gboolean last = (run == L->first_run + L->n_runs - 1);
    for (guint j = q->head; j < q->items->len; j++) {
      Rider *r = rider(s, g_array_index(q->items, int, j));
      r->res.left_behind++;
      rr->left_behind++;
      if (last) r->res.status = TH_RIDER_STRANDED;
    }
    if (last) q->head = q->items->len;
    /* compact the queue now and then so it does not grow without bound */
    if (q->head > 1024 && q->head * 2 > q->items->len) {
      g_array_remove_range(q->items, 0, q->head);
      q->head = 0;
    }
  }
  double load = s->aboard_load[run];
  if (load > rr->peak_load) rr->peak_load = load;
  s->seg_load[s->qbase[R->line] + k] += load;
  rr->load_km += load * L->seg_len_m[k] / 1000.0;
  push(s, th_run_arr_s(s->sv, run, k + 1), EV_RUN_ARR, run, k + 1);
}

static void run_arrive(ThTransitSim *s, int run, int k, int64_t t) {
  const ThServiceRun *R = &s->sv->runs[run];
  const ThServiceLine *L = &s->sv->lines[R->line];
  GArray *ab = s->aboard[run];
  if (ab) {
    guint w = 0;
    for (guint j = 0; j < ab->len; j++) {
      int ri = g_array_index(ab, int, j);
      Rider *r = rider(s, ri);
      const ThTransitLeg *lg = &r->legs[r->leg];
      if (lg->alight_k == k) {
        s->aboard_load[run] -= r->load;
        s->stop_load[s->qbase[R->line] + k].alightings++;
        s->stop_load[s->qbase[R->line] + k].alighted_load += r->load;
        r->res.in_vehicle_s += (int)(t - r->board_t);
        if (lg->handle_after) push(s, t, EV_RIDER_HUB_OUT, ri, 0);
        else rider_next(s, ri, t);
      } else {
        g_array_index(ab, int, w++) = ri;
      }
    }
    g_array_set_size(ab, w);
    if (w == 0) s->aboard_load[run] = 0; /* no drift from floating-point sums */
  }
  if (k + 1 < L->n_stops) push(s, th_run_dep_s(s->sv, run, k), EV_RUN_DEP, run, k);
}

void th_transit_sim_run(ThTransitSim *s, int horizon_s) {
  s->horizon_s = horizon_s;
  for (int i = 0; i < s->sv->n_runs; i++) push(s, th_run_dep_s(s->sv, i, 0), EV_RUN_DEP, i, 0);
  for (guint i = 0; i < s->riders->len; i++) push(s, rider(s, i)->ready_t, EV_RIDER_READY, i, 0);
  while (s->heap->len > 0) {
    Event e = pop(s);
    if (e.time > horizon_s) break;
    switch (e.type) {
    case EV_RIDER_READY: {
      Rider *r = rider(s, e.a);
      const ThTransitLeg *lg = &r->legs[r->leg];
      if (lg->handle_before) {
        r->hub_in_t = (int)e.time;
        int64_t done = hub_serve(s, leg_node(s, lg, TRUE), r->load, e.time, r);
        if (done > e.time) push(s, done, EV_RIDER_QUEUE, e.a, 0);
        else enqueue(s, e.a, e.time);
      } else {
        enqueue(s, e.a, e.time);
      }
      break;
    }
    case EV_RIDER_QUEUE:
      enqueue(s, e.a, e.time);
      break;
    case EV_RIDER_HUB_OUT: {
      Rider *r = rider(s, e.a);
      int64_t done = hub_serve(s, leg_node(s, &r->legs[r->leg], FALSE), r->load, e.time, r);
      rider_next(s, e.a, done);
      break;
    }
    case EV_RUN_ARR:
      run_arrive(s, e.a, e.b, e.time);
      break;
    case EV_RUN_DEP:
      run_depart(s, e.a, e.b, e.time);
      break;
    }
  }
  /* shipments still at their first hub when the day ends (or stranded there) */
  for (guint i = 0; i < s->riders->len; i++) {
    Rider *r = rider(s, i);
    if (r->hub_in_t >= 0)
      dwell_check(s, leg_node(s, &r->legs[r->leg], TRUE), (int64_t)horizon_s - r->hub_in_t);
  }
}

const ThRiderResult *th_transit_sim_rider(const ThTransitSim *s, int i) {
  return &g_array_index(s->riders, Rider, i).res;
}
const ThTransitRunLoad *th_transit_sim_run_result(const ThTransitSim *s, int run) {
  return &s->runs[run];
}
double th_transit_sim_segment_load(const ThTransitSim *s, int line, int k) {
  return s->seg_load[s->qbase[line] + k];
}
const ThTransitStopLoad *th_transit_sim_stop_result(const ThTransitSim *s, int line, int k) {
  return &s->stop_load[s->qbase[line] + k];
}
const ThHubResult *th_transit_sim_hub_result(const ThTransitSim *s, int hub) {
  return s->hubs ? &s->hub_res[hub] : NULL;
}

/* engine.c: the mesoscopic queue engine (see engine.h for the model).
 *
 * Layout for speed: the vehicle state that the hot path needs (earliest exit
 * time, position in the route store, class, car units) lives in the link's
 * ring buffer itself, so moving a vehicle touches the two link records, the
 * two rings and the route store, which holds routes back to back. Per-vehicle
 * arrays are touched only on departure and arrival. One pending event per
 * link at most ("sched"): a link whose head vehicle cannot move yet is woken
 * by the time it can, or by the downstream link freeing space. */
#include "sim/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEVER INT32_MAX

/* Exact times inside a link are fixed point, 1/TQ s (TH_ENGINE_TQ): a
 * vehicle's earliest exit is its exact entry time plus the exact free-flow
 * time, so the free-flow time is not rounded to whole seconds link by link
 * (200 m at 50 km/h is 14.4 s, not 14: whole seconds made every trip of the
 * SUMO benchmark grids 2.8 % too fast; a 25 m link, 1.8 s, became 11 %
 * too slow). Events
 * still happen in whole seconds: a vehicle leaves in the second that holds
 * its exact exit time and enters the next link at that exact time. With
 * TQ = 64, times up to 33.5 million s fit in an int32. */
#define TQ TH_ENGINE_TQ
#define FFT_MAX_S 3.0e7 /* 347 days: beyond any horizon (at most 30 days) */

typedef struct {
  int32_t exit_q; /* earliest exit, 1/TQ s: exact entry + exact free-flow time */
  uint32_t veh;
  uint32_t rp;    /* position of this link in the route store */
  uint16_t cls;
  uint16_t pcu10; /* car units, tenths */
} Slot;

/* The hot state of a link: one 64-byte cache line. */
typedef struct {
  Slot *q;              /* ring buffer */
  uint32_t head, count, mask;
  float occ;            /* car units in the link */
  float storage;        /* storage capacity, car units */
  int32_t fft;          /* free-flow time rounded to whole seconds (routing, statistics) */
  double free_at;       /* exact time the next exit is allowed by the flow capacity */
  double headway;       /* seconds per car unit */
  int32_t sched;        /* time of the pending TH_EV_LINK, or NEVER */
  int32_t blocked_since;/* when the head vehicle was first held, or -1 */
  int32_t wait_head;    /* first link waiting on this one, or -1 */
  int32_t fft_q;        /* exact free-flow time, 1/TQ s */
} LinkState;
G_STATIC_ASSERT(sizeof(LinkState) == 64);

/* The cold state of a link, touched only under spillback. */
typedef struct {
  int32_t blocked_on;   /* link this one waits on, or -1 */
  int32_t wait_tail;    /* last link waiting on this one (FIFO), or -1 */
  int32_t wait_next;    /* next in the list this link waits in */
} LinkWait;

/* A hole in flight (backward waves): freed space that reaches the link's
 * upstream end at rel_q. */
typedef struct {
  int32_t rel_q;  /* 1/TQ s */
  uint32_t pcu10;
} Hole;

/* The state of the congestion rules that every move or departure reads when
 * they are on (inflow capacity, departure queues): 16 bytes a link, four to a
 * cache line, prefetched with the link record (the rest, LinkExt, is read
 * only when a link queues or waits). */
typedef struct {
  double in_free_at;      /* exact time the next entry is allowed (inflow capacity) */
  int32_t iw_head;        /* first approach queued for this link's entry, or -1 */
  uint32_t dq_count;      /* vehicles waiting to depart onto this link */
} LinkIn;
G_STATIC_ASSERT(sizeof(LinkIn) == 16);

/* The cold state of the congestion rules: touched only when a link queues
 * for an entry, holes are on, or departures wait. */
typedef struct {
  int32_t iw_tail;        /* last approach queued for this link's entry, or -1 */
  int32_t iw_on;          /* link whose entry this link is queued for, or -1 */
  int32_t iw_next;        /* next in that queue */
  int32_t wave_q;         /* length / backward wave speed, 1/TQ s (0: no holes) */
  uint32_t holes10;       /* car units of the holes in flight, tenths */
  Hole *h;                /* ring of holes in flight, in order of release */
  uint32_t h_head, h_count, h_mask;
  uint32_t *dq;           /* ring of vehicles waiting to depart onto this link */
  uint32_t dq_head, dq_mask; /* (the count is LinkIn's) */
  int32_t dq_sched;       /* time of the pending departure-queue event, or NEVER */
} LinkExt;

typedef struct {
  ThEventFunc fn;
  gpointer user;
} Handler;

struct ThEngine {
  const ThNetwork *net;
  ThEngineParams p;
  int n_links;
  LinkState *ls;
  LinkWait *lw;          /* 2 n_links: links, then departure queues (n_links + link) */
  LinkExt *lx;
  LinkIn *li;
  gboolean rules;        /* any congestion rule on */
  gboolean waves;        /* backward waves on */
  ThEventQ *q;
  /* routes */
  int32_t *pool;
  size_t pool_n, pool_cap;
  gboolean pool_borrowed; /* pool is the caller's (th_engine_routes_borrow) */
  /* vehicles */
  uint32_t nv, vcap;
  uint16_t *v_cls, *v_pcu10;
  uint32_t *v_owner, *v_route, *v_at;
  int32_t *v_depart, *v_arrive, *v_delay;
  uint8_t *v_state, *v_stuck;
  /* statistics: one lazily allocated block of n_links x n_classes per bin */
  ThLinkStat **bins;
  int n_bins_alloc, n_bins_used;
  /* handlers */
  GArray *handlers;
  ThArriveFunc arrive_fn;
  gpointer arrive_user;
  /* counters */
  uint64_t events, traversals, stuck_moves;
  GArray *log;
};

/* A link's free-flow time as given, else length / free speed, s. */
static double free_time_s(const ThNetwork *net, int l) {
  double t = net->free_time_s[l];
  return t > 0 ? t : net->length_m[l] / net->free_speed_mps[l];
}

/* The exact free-flow time in 1/TQ s. */
static int32_t free_time_q(const ThNetwork *net, int l) {
  double ft = free_time_s(net, l);
  if (!(ft > 0)) ft = 0;
  double q = floor(MIN(ft, FFT_MAX_S) * TQ + 0.5);
  return (int32_t)MAX(q, 1);
}

double th_engine_link_free_time_exact(const ThNetwork *net, int l) {
  return (double)free_time_q(net, l) / TQ;
}

int32_t th_engine_link_free_time(const ThNetwork *net, int l) {
  double r = floor(free_time_s(net, l) + 0.5);
  if (!(r >= 1)) r = 1;
  if (r > 1e8) r = 1e8;
  return (int32_t)r;
}

ThEngine *th_engine_new(const ThNetwork *net, const ThEngineParams *p) {
  ThEngine *e = g_new0(ThEngine, 1);
  e->net = net;
  e->p = *p;
  if (e->p.n_classes < 1) e->p.n_classes = 1;
  if (e->p.bin_s <= 0) e->p.bin_s = 900;
  if (e->p.stuck_time_s <= 0) e->p.stuck_time_s = 300;
  if (!(e->p.sample_factor > 0)) e->p.sample_factor = 1;
  if (e->p.horizon_s <= 0) e->p.horizon_s = 86400;
  e->n_links = net->n_links;
  if (posix_memalign((void **)&e->ls, 64, sizeof(LinkState) * (size_t)MAX(net->n_links, 1)))
    g_error("out of memory");
  memset(e->ls, 0, sizeof(LinkState) * (size_t)net->n_links);
  e->lw = g_new0(LinkWait, 2 * (size_t)net->n_links + 1);
  e->lx = g_new0(LinkExt, net->n_links + 1);
  e->li = g_new0(LinkIn, net->n_links + 1);
  if (!(e->p.backward_wave_mps > 0) || !isfinite(e->p.backward_wave_mps))
    e->p.backward_wave_mps = 0;
  e->rules = e->p.inflow_capacity || e->p.backward_wave_mps > 0 || e->p.departure_queue;
  e->waves = e->p.backward_wave_mps > 0;
  for (int l = 0; l < net->n_links; l++) {
    LinkState *L = &e->ls[l];
    L->fft = th_engine_link_free_time(net, l);
    L->fft_q = free_time_q(net, l);
    double cap = net->capacity_vph[l] * e->p.sample_factor; /* pcu per hour */
    if (cap > 0 && isfinite(cap)) {
      L->headway = 3600.0 / cap;
      double lanes = net->lanes[l] > 0 ? net->lanes[l] : 1;
      /* storage: jam density of one car per 7.5 m per lane (MATSim's
       * effective cell size), scaled like the flow capacity; never less than
       * the flow of one free-flow time, or the link could not carry its
       * capacity even at free flow. */
      double st = lanes * net->length_m[l] / 7.5 * e->p.sample_factor;
      double st_min = cap / 3600.0 * L->fft_q / TQ;
      if (e->p.backward_wave_mps > 0) {
        /* holes: a hole stays in flight length / wave speed; storage must
         * hold what flows in a free-flow time plus that, or the link could
         * not carry its capacity (the triangular diagram's jam storage) */
        double wave_s = MIN(net->length_m[l] / e->p.backward_wave_mps, FFT_MAX_S);
        e->lx[l].wave_q = (int32_t)MAX(floor(wave_s * TQ + 0.5), 1);
        st_min = cap / 3600.0 * (L->fft_q + e->lx[l].wave_q) / TQ;
      }
      L->storage = (float)MAX(st, st_min);
    } else {
      L->headway = 0;
      L->storage = INFINITY;
    }
  }
  e->q = th_eventq_new(TH_EVENTQ_WHEEL, 14, 0);
  e->handlers = g_array_new(FALSE, TRUE, sizeof(Handler));
  e->log = g_array_new(FALSE, FALSE, sizeof(ThLogRow));
  th_engine_reset(e);
  return e;
}

void th_engine_free(ThEngine *e) {
  if (!e) return;
  for (int l = 0; l < e->n_links; l++) g_free(e->ls[l].q);
  free(e->ls);
  g_free(e->lw);
  for (int l = 0; l < e->n_links; l++) {
    g_free(e->lx[l].h);
    g_free(e->lx[l].dq);
  }
  g_free(e->lx);
  g_free(e->li);
  th_eventq_free(e->q);
  if (!e->pool_borrowed) g_free(e->pool);
  g_free(e->v_cls);
  g_free(e->v_pcu10);
  g_free(e->v_owner);
  g_free(e->v_route);
  g_free(e->v_at);
  g_free(e->v_depart);
  g_free(e->v_arrive);
  g_free(e->v_delay);
  g_free(e->v_state);
  g_free(e->v_stuck);
  for (int b = 0; b < e->n_bins_alloc; b++) g_free(e->bins[b]);
  g_free(e->bins);
  g_array_unref(e->handlers);
  g_array_unref(e->log);
  g_free(e);
}

void th_engine_reset(ThEngine *e) {
  for (int l = 0; l < e->n_links; l++) {
    LinkState *L = &e->ls[l];
    L->head = L->count = 0;
    L->occ = 0;
    L->free_at = -INFINITY;
    L->sched = NEVER;
    L->blocked_since = -1;
    L->wait_head = -1;
    e->lw[l] = (LinkWait){-1, -1, -1};
    e->lw[e->n_links + l] = (LinkWait){-1, -1, -1};
    LinkExt *X = &e->lx[l];
    e->li[l] = (LinkIn){-INFINITY, -1, 0};
    X->iw_tail = X->iw_on = X->iw_next = -1;
    X->holes10 = 0;
    X->h_head = X->h_count = 0;
    X->dq_head = 0;
    X->dq_sched = NEVER;
  }
  th_eventq_clear(e->q, 0);
  if (e->pool_borrowed) {
    e->pool = NULL;
    e->pool_cap = 0;
    e->pool_borrowed = FALSE;
  }
  e->pool_n = 0;
  e->nv = 0;
  for (int b = 0; b < e->n_bins_alloc; b++)
    if (e->bins[b]) memset(e->bins[b], 0, sizeof(ThLinkStat) * (size_t)e->n_links * e->p.n_classes);
  e->n_bins_used = 0;
  e->events = e->traversals = e->stuck_moves = 0;
  g_array_set_size(e->log, 0);
}

uint32_t th_engine_add_handler(ThEngine *e, ThEventFunc fn, gpointer user) {
  Handler h = {fn, user};
  g_array_append_val(e->handlers, h);
  return TH_EV_USER + e->handlers->len - 1;
}

void th_engine_set_arrive_handler(ThEngine *e, ThArriveFunc fn, gpointer user) {
  e->arrive_fn = fn;
  e->arrive_user = user;
}

void th_engine_schedule(ThEngine *e, int32_t time, uint32_t type, uint32_t a, uint32_t b) {
  th_eventq_push(e->q, time, type, a, b);
}

/* Makes a borrowed store our own, so it can grow. */
static void own_pool(ThEngine *e) {
  if (!e->pool_borrowed) return;
  int32_t *own = g_new(int32_t, e->pool_n + 4096);
  memcpy(own, e->pool, sizeof(int32_t) * e->pool_n);
  e->pool = own;
  e->pool_cap = e->pool_n + 4096;
  e->pool_borrowed = FALSE;
}

void th_engine_routes_borrow(ThEngine *e, const int32_t *store, size_t n) {
  g_return_if_fail(n < UINT32_MAX);
  if (!e->pool_borrowed) g_free(e->pool);
  e->pool = (int32_t *)store;
  e->pool_n = n;
  e->pool_cap = n;
  e->pool_borrowed = TRUE;
}

uint32_t th_engine_route_add(ThEngine *e, const int32_t *links, int n) {
  own_pool(e);
  if (e->pool_n + n + 1 > e->pool_cap) {
    e->pool_cap = MAX(e->pool_cap * 2, e->pool_n + n + 1 + 4096);
    e->pool = g_renew(int32_t, e->pool, e->pool_cap);
  }
  g_return_val_if_fail(e->pool_n + n < UINT32_MAX, 0);
  uint32_t r = (uint32_t)e->pool_n;
  if (n) memcpy(e->pool + e->pool_n, links, sizeof(int32_t) * n);
  e->pool[e->pool_n + n] = -1;
  e->pool_n += n + 1;
  return r;
}


static void vehicles_grow(ThEngine *e, uint32_t cap) {
  e->vcap = cap;
  e->v_cls = g_renew(uint16_t, e->v_cls, e->vcap);
  e->v_pcu10 = g_renew(uint16_t, e->v_pcu10, e->vcap);
  e->v_owner = g_renew(uint32_t, e->v_owner, e->vcap);
  e->v_route = g_renew(uint32_t, e->v_route, e->vcap);
  e->v_at = g_renew(uint32_t, e->v_at, e->vcap);
  e->v_depart = g_renew(int32_t, e->v_depart, e->vcap);
  e->v_arrive = g_renew(int32_t, e->v_arrive, e->vcap);
  e->v_delay = g_renew(int32_t, e->v_delay, e->vcap);
  e->v_state = g_renew(uint8_t, e->v_state, e->vcap);
  e->v_stuck = g_renew(uint8_t, e->v_stuck, e->vcap);
}

void th_engine_reserve(ThEngine *e, uint32_t n_vehicles, size_t n_route_links) {
  if (e->nv + n_vehicles > e->vcap) vehicles_grow(e, e->nv + n_vehicles);
  if (!n_route_links) return;
  own_pool(e);
  size_t need = e->pool_n + n_route_links + n_vehicles + 1;
  if (need > e->pool_cap) {
    e->pool_cap = need;
    e->pool = g_renew(int32_t, e->pool, e->pool_cap);
  }
}

uint32_t th_engine_vehicle_add(ThEngine *e, int cls, double pcu, uint32_t owner) {
  if (e->nv == e->vcap) vehicles_grow(e, e->vcap ? 2 * e->vcap : 1024);
  uint32_t v = e->nv++;
  g_return_val_if_fail(cls >= 0 && cls < e->p.n_classes, v);
  double p10 = floor(pcu * 10 + 0.5);
  e->v_cls[v] = (uint16_t)cls;
  e->v_pcu10[v] = (uint16_t)CLAMP(p10, 1, 65535);
  e->v_owner[v] = owner;
  e->v_route[v] = 0;
  e->v_at[v] = 0;
  e->v_depart[v] = -1;
  e->v_arrive[v] = -1;
  e->v_delay[v] = -1;
  e->v_state[v] = TH_VEH_IDLE;
  e->v_stuck[v] = 0;
  return v;
}

void th_engine_depart(ThEngine *e, uint32_t v, int32_t time, uint32_t r) {
  e->v_route[v] = r;
  e->v_at[v] = r;
  th_eventq_push(e->q, time, TH_EV_DEPART, v, 0);
}

static inline void log_row(ThEngine *e, int32_t t, ThLogKind k, uint32_t v, int32_t link) {
  ThLogRow row = {t, k, v, link};
  g_array_append_val(e->log, row);
}

/* Keeps at most one pending TH_EV_LINK per link: the earliest wanted. */
static inline void wake_at(ThEngine *e, int l, int32_t t) {
  LinkState *L = &e->ls[l];
  if (L->sched <= t) return;
  L->sched = t;
  th_eventq_push(e->q, t, TH_EV_LINK, (uint32_t)l, 0);
}

static void ring_grow(LinkState *L) {
  uint32_t cap = L->q ? L->mask + 1 : 0, ncap = cap ? 2 * cap : 8;
  Slot *n = g_new(Slot, ncap);
  for (uint32_t i = 0; i < L->count; i++) n[i] = L->q[(L->head + i) & L->mask];
  g_free(L->q);
  L->q = n;
  L->head = 0;
  L->mask = ncap - 1;
}

/* Vehicle VEH enters link M at the exact time TQ_IN (1/TQ s), in second T.
 * The queue is kept in order of exact entry: events of one second run in
 * event order, not in order of their exact times, so a vehicle may arrive
 * after one that entered later in the same second; it goes ahead of it
 * (never ahead of a head vehicle held by spillback, whose wait is the
 * link's). Vehicles of earlier seconds are never passed. */
static inline void enter(ThEngine *e, int m, int32_t t, int32_t tq_in, uint32_t veh, uint32_t rp,
                         uint16_t cls, uint16_t pcu10) {
  LinkState *M = &e->ls[m];
  if (!M->q || M->count == M->mask + 1) ring_grow(M);
  int32_t exit_q = tq_in + M->fft_q;
  uint32_t pos = M->count;
  while (pos > 0 && M->q[(M->head + pos - 1) & M->mask].exit_q > exit_q &&
         !(pos == 1 && (M->blocked_since >= 0 || (e->rules && e->lx[m].iw_on >= 0))))
    pos--;
  for (uint32_t i = M->count; i > pos; i--)
    M->q[(M->head + i) & M->mask] = M->q[(M->head + i - 1) & M->mask];
  Slot *s = &M->q[(M->head + pos) & M->mask];
  s->exit_q = exit_q;
  s->veh = veh;
  s->rp = rp;
  s->cls = cls;
  s->pcu10 = pcu10;
  M->count++;
  M->occ += pcu10 * 0.1f;
  if (pos == 0) wake_at(e, m, exit_q / TQ);
  if (G_UNLIKELY(e->p.record_events)) log_row(e, t, TH_LOG_ENTER, veh, m);
}

static inline ThLinkStat *stat_at(ThEngine *e, int bin, int l, int cls) {
  if (G_UNLIKELY(bin >= e->n_bins_alloc)) {
    int n = MAX(bin + 1, e->n_bins_alloc * 2);
    e->bins = g_renew(ThLinkStat *, e->bins, n);
    for (int b = e->n_bins_alloc; b < n; b++) e->bins[b] = NULL;
    e->n_bins_alloc = n;
  }
  if (G_UNLIKELY(!e->bins[bin]))
    e->bins[bin] = g_new0(ThLinkStat, (size_t)e->n_links * e->p.n_classes);
  if (bin >= e->n_bins_used) e->n_bins_used = bin + 1;
  return &e->bins[bin][(size_t)l * e->p.n_classes + cls];
}

/* Removes link L from the wait list of the link it waits on. Lists are
 * short (at most the in-degree of that link's tail node). */
static void unwait(ThEngine *e, int l) {
  LinkWait *W = &e->lw[l];
  int m = W->blocked_on;
  if (m < 0) return;
  LinkState *M = &e->ls[m];
  int prev = -1;
  for (int k = M->wait_head; k >= 0; prev = k, k = e->lw[k].wait_next) {
    if (k != l) continue;
    int nx = e->lw[k].wait_next;
    if (prev < 0) M->wait_head = nx;
    else e->lw[prev].wait_next = nx;
    if (e->lw[m].wait_tail == l) e->lw[m].wait_tail = prev;
    break;
  }
  W->wait_next = -1;
  W->blocked_on = -1;
}

/* Keeps at most one pending departure-queue event per link. */
static inline void dq_wake_at(ThEngine *e, int l, int32_t t) {
  LinkExt *X = &e->lx[l];
  if (X->dq_sched <= t) return;
  X->dq_sched = t;
  th_eventq_push(e->q, t, TH_EV_DEPART, (uint32_t)l, 1);
}

/* Link M freed space (usable from second T): wake every link and departure
 * queue waiting on it, in the order they started waiting. */
static inline void wake_waiters(ThEngine *e, int m, int32_t t) {
  LinkState *M = &e->ls[m];
  int k = M->wait_head;
  M->wait_head = -1;
  e->lw[m].wait_tail = -1;
  while (k >= 0) {
    LinkWait *K = &e->lw[k];
    int nx = K->wait_next;
    K->wait_next = -1;
    K->blocked_on = -1;
    if (k < e->n_links) wake_at(e, k, t);
    else dq_wake_at(e, k - e->n_links, t);
    k = nx;
  }
}

/* Puts waiter K (a link, or n_links + link for a departure queue) at the
 * end of M's wait list, unless it is already waiting. */
static void wait_on(ThEngine *e, int k, int m) {
  LinkWait *W = &e->lw[k];
  if (W->blocked_on >= 0) return;
  LinkState *M = &e->ls[m];
  W->blocked_on = m;
  W->wait_next = -1;
  if (M->wait_head >= 0) e->lw[e->lw[m].wait_tail].wait_next = k;
  else M->wait_head = k;
  e->lw[m].wait_tail = k;
}

/* ---- holes (backward waves) ---- */

static void hole_push(LinkExt *X, int32_t rel_q, uint32_t pcu10) {
  if (!X->h || X->h_count == X->h_mask + 1) {
    uint32_t cap = X->h ? X->h_mask + 1 : 0, ncap = cap ? 2 * cap : 8;
    Hole *n = g_new(Hole, ncap);
    for (uint32_t i = 0; i < X->h_count; i++) n[i] = X->h[(X->h_head + i) & X->h_mask];
    g_free(X->h);
    X->h = n;
    X->h_head = 0;
    X->h_mask = ncap - 1;
  }
  X->h[(X->h_head + X->h_count) & X->h_mask] = (Hole){rel_q, pcu10};
  X->h_count++;
  X->holes10 += pcu10;
}

/* The earliest exact time (1/TQ s), at or after XQ, at which PCU10 tenths of
 * a car unit fit into link M: XQ when they fit now, the release time of the
 * hole that makes room, or NEVER when even every hole in flight is not
 * enough (room then comes only from a vehicle leaving M). With backward
 * waves a link's occ counts its vehicles and its holes in flight (the space
 * its tail does not see free yet), so the common case (it fits) is the
 * original test and touches no hole; only a link that looks full releases
 * the holes that reached its tail by second T and looks further. An empty
 * link admits any vehicle. */
static G_GNUC_NO_INLINE int32_t room_at_full(ThEngine *e, int m, int32_t t, int32_t xq,
                                             uint16_t pcu10) {
  LinkState *M = &e->ls[m];
  float w = pcu10 * 0.1f;
  LinkExt *X = &e->lx[m];
  if (!X->h_count) return NEVER;
  while (X->h_count && X->h[X->h_head].rel_q <= (int64_t)t * TQ) {
    X->holes10 -= X->h[X->h_head].pcu10;
    M->occ -= X->h[X->h_head].pcu10 * 0.1f;
    X->h_head = (X->h_head + 1) & X->h_mask;
    X->h_count--;
  }
  if (!X->h_count && !M->count) M->occ = 0; /* no drift from float sums */
  if (!(M->count && M->occ + w > M->storage + 1e-4f)) return xq;
  /* the holes still in flight reach the tail in order: the first after
   * which it fits gives the time */
  float occ = M->occ;
  for (uint32_t i = 0; i < X->h_count; i++) {
    const Hole *h = &X->h[(X->h_head + i) & X->h_mask];
    occ -= h->pcu10 * 0.1f;
    if (!(occ + w > M->storage + 1e-4f)) return MAX(xq, h->rel_q);
  }
  return NEVER;
}

static inline int32_t room_at(ThEngine *e, int m, int32_t t, int32_t xq, uint16_t pcu10) {
  const LinkState *M = &e->ls[m];
  if (G_LIKELY(!(M->count && M->occ + pcu10 * 0.1f > M->storage + 1e-4f))) return xq;
  return room_at_full(e, m, t, xq, pcu10);
}

/* ---- inflow capacity: the FIFO of approaches queued for an entry ---- */

static void iw_join(ThEngine *e, int l, int m) {
  LinkExt *L = &e->lx[l], *M = &e->lx[m];
  if (L->iw_on >= 0) return;
  L->iw_on = m;
  L->iw_next = -1;
  if (e->li[m].iw_head >= 0) e->lx[M->iw_tail].iw_next = l;
  else e->li[m].iw_head = l;
  M->iw_tail = l;
}

static void iw_pop(ThEngine *e, int m) {
  LinkExt *M = &e->lx[m];
  int l = e->li[m].iw_head;
  e->li[m].iw_head = e->lx[l].iw_next;
  if (e->li[m].iw_head < 0) M->iw_tail = -1;
  e->lx[l].iw_on = e->lx[l].iw_next = -1;
}

static void arrive(ThEngine *e, uint32_t v, uint32_t rp, int32_t t) {
  e->v_state[v] = TH_VEH_ARRIVED;
  e->v_arrive[v] = t;
  e->v_at[v] = rp;
  if (G_UNLIKELY(e->p.record_events)) log_row(e, t, TH_LOG_ARRIVE, v, -1);
  if (e->arrive_fn) e->arrive_fn(e, v, t, e->arrive_user);
}

/* The head vehicles of link l try to leave at time t. */
static void link_event(ThEngine *e, int l, int32_t t) {
  LinkState *L = &e->ls[l];
  if (L->sched != t) return; /* superseded by an earlier wake-up */
  L->sched = NEVER;
  while (L->count) {
    Slot *s = &L->q[L->head];
    double xe = (double)s->exit_q / TQ;
    double x = L->free_at > xe ? L->free_at : xe;
    /* it may leave in the second that holds its exact exit time, so links
     * with headways under a second pass several vehicles per second */
    int32_t ready = (int32_t)floor(x + 1e-9);
    if (ready > t) {
      wake_at(e, l, ready);
      return;
    }
    if (ready < t) x = t; /* it was held: the capacity it did not use is lost */
    uint32_t rp = s->rp + 1;
    int32_t m = e->pool[rp];
    float w = s->pcu10 * 0.1f;
    gboolean forced = FALSE, token = FALSE;
    if (m >= 0) {
      LinkState *M = &e->ls[m];
      int32_t room;
      if (G_LIKELY(!e->rules)) room = M->count && M->occ + w > M->storage + 1e-4f ? NEVER : 0;
      else room = room_at(e, m, t, (int32_t)floor(x * TQ + 0.5), s->pcu10);
      if (room == NEVER || room >= (int64_t)(t + 1) * TQ) {
        if (L->blocked_since < 0) L->blocked_since = t;
        if (t - L->blocked_since < e->p.stuck_time_s) {
          /* spillback: wait for m to free space (or for a hole in flight to
           * reach its tail), or for the stuck time */
          int32_t until = L->blocked_since + e->p.stuck_time_s;
          if (room == NEVER) wait_on(e, l, m);
          else until = MIN(until, room / TQ);
          wake_at(e, l, until);
          return;
        }
        forced = TRUE;
      } else if (G_UNLIKELY(room > x * TQ)) {
        x = (double)room / TQ; /* a hole reaches the tail within this second */
      }
      if (G_UNLIKELY(e->p.inflow_capacity) && M->headway > 0) {
        /* inflow capacity: first come, first served among held approaches.
         * The vehicle fits in m: it is no longer held by spillback, so its
         * stuck clock stops (waiting for an entry is not gridlock) */
        if (!forced && L->blocked_since >= 0) {
          unwait(e, l);
          L->blocked_since = -1;
        }
        LinkIn *XM = &e->li[m];
        if (XM->iw_head >= 0 && XM->iw_head != l) {
          iw_join(e, l, m); /* woken when it reaches the head */
          return;
        }
        if (XM->in_free_at > x) {
          int32_t at = (int32_t)floor(XM->in_free_at + 1e-9);
          if (at > t) {
            iw_join(e, l, m);
            wake_at(e, l, at);
            return;
          }
          /* the entry frees within this second. A vehicle that queued for
           * it enters when it frees; one that did not keeps its own exact
           * time: a second's events do not run in order of exact times, and
           * pushing it behind one that ran first but came later would make
           * exact times depend on event order (the entry rate still holds
           * second by second: the allowance accumulates) */
          if (XM->iw_head == l) x = XM->in_free_at;
        }
        token = TRUE;
      }
    }
    if (G_UNLIKELY(L->blocked_since >= 0)) {
      unwait(e, l);
      L->blocked_since = -1;
    }
    /* the vehicle leaves l */
    Slot v = *s;
    L->head = (L->head + 1) & L->mask;
    L->count--;
    if (G_LIKELY(!e->waves) || !e->lx[l].wave_q) {
      L->occ -= w;
      if (L->count == 0) L->occ = 0; /* no drift from float sums */
    } /* else its space stays taken until the hole reaches the tail */
    L->free_at = x + w * L->headway;
    /* it leaves at the exact time x, within second t */
    int32_t entry_q = v.exit_q - L->fft_q;
    int32_t xq = CLAMP((int32_t)floor(x * TQ + 0.5), t * TQ, t * TQ + TQ - 1);
    ThLinkStat *st = stat_at(e, entry_q / TQ / e->p.bin_s, l, v.cls);
    st->sum_tt_q += (uint64_t)MAX(xq - entry_q, 0);
    st->n++;
    st->pcu10 += v.pcu10;
    e->traversals++;
    if (G_UNLIKELY(e->p.record_events)) log_row(e, t, TH_LOG_LEAVE, v.veh, l);
    if (forced) {
      e->stuck_moves++;
      e->v_stuck[v.veh] = 1;
      if (G_UNLIKELY(e->p.record_events)) log_row(e, t, TH_LOG_STUCK, v.veh, m);
    }
    if (token) {
      /* the entry is taken until x + headway; the next queued approach is
       * woken then (this one, if it has more, queues behind it) */
      LinkIn *XM = &e->li[m];
      XM->in_free_at = MAX(XM->in_free_at, x) + w * e->ls[m].headway;
      if (XM->iw_head == l) iw_pop(e, m);
      if (XM->iw_head >= 0) wake_at(e, XM->iw_head, (int32_t)floor(XM->in_free_at + 1e-9));
    }
    if (m >= 0) enter(e, m, t, xq, v.veh, rp, v.cls, v.pcu10);
    else arrive(e, v.veh, rp, t);
    int32_t freed = t;
    if (G_UNLIKELY(e->waves) && e->lx[l].wave_q && L->headway > 0) {
      /* the space it leaves travels upstream as a hole */
      LinkExt *X = &e->lx[l];
      hole_push(X, xq + X->wave_q, v.pcu10);
      freed = (xq + X->wave_q) / TQ;
    }
    if (G_UNLIKELY(L->wait_head >= 0)) wake_waiters(e, l, freed);
  }
}

static void depart_event(ThEngine *e, uint32_t v, int32_t t) {
  e->v_state[v] = TH_VEH_EN_ROUTE;
  e->v_depart[v] = t;
  e->v_arrive[v] = -1;
  e->v_delay[v] = 0;
  uint32_t rp = e->v_route[v];
  if (G_UNLIKELY(e->p.record_events)) log_row(e, t, TH_LOG_DEPART, v, e->pool[rp]);
  int32_t l = e->pool[rp];
  if (l < 0) {
    arrive(e, v, rp, t);
    return;
  }
  if (G_UNLIKELY(e->p.departure_queue)) {
    LinkIn *XI = &e->li[l];
    if (XI->dq_count || room_at(e, l, t, t * TQ, e->v_pcu10[v]) != t * TQ) {
      /* no room: wait off the network, behind those already waiting */
      LinkExt *X = &e->lx[l];
      if (!X->dq || XI->dq_count == X->dq_mask + 1) {
        uint32_t cap = X->dq ? X->dq_mask + 1 : 0, ncap = cap ? 2 * cap : 8;
        uint32_t *n = g_new(uint32_t, ncap);
        for (uint32_t i = 0; i < XI->dq_count; i++) n[i] = X->dq[(X->dq_head + i) & X->dq_mask];
        g_free(X->dq);
        X->dq = n;
        X->dq_head = 0;
        X->dq_mask = ncap - 1;
      }
      X->dq[(X->dq_head + XI->dq_count) & X->dq_mask] = v;
      XI->dq_count++;
      e->v_delay[v] = -1;
      if (XI->dq_count == 1) dq_wake_at(e, l, t);
      return;
    }
  }
  enter(e, l, t, t * TQ, v, rp, e->v_cls[v], e->v_pcu10[v]);
}

/* The departure queue of link L admits what fits at time T: vehicles enter
 * in the order they departed; the first that does not fit waits on the link
 * (or for the hole that makes room). A waiting vehicle holds nothing on the
 * network, so it is never moved on by the stuck time: it waits until there
 * is room (SUMO's insertion delay), or the day ends (en route). */
static void dq_event(ThEngine *e, int l, int32_t t) {
  LinkExt *X = &e->lx[l];
  if (X->dq_sched != t) return;
  X->dq_sched = NEVER;
  while (e->li[l].dq_count) {
    uint32_t v = X->dq[X->dq_head];
    int32_t room = room_at(e, l, t, t * TQ, e->v_pcu10[v]);
    if (room == NEVER || room >= (int64_t)(t + 1) * TQ) {
      if (room == NEVER) wait_on(e, e->n_links + l, l);
      else dq_wake_at(e, l, room / TQ);
      return;
    }
    unwait(e, e->n_links + l);
    X->dq_head = (X->dq_head + 1) & X->dq_mask;
    e->li[l].dq_count--;
    e->v_delay[v] = t - e->v_depart[v];
    enter(e, l, t, room, v, e->v_route[v], e->v_cls[v], e->v_pcu10[v]);
  }
}

/* Software pipelining over the events about to run (they sit together in
 * the wheel's bucket). Moving a vehicle is a chain of dependent loads: link
 * record -> head slot -> route entry -> next link record (+ the statistics
 * cell). Each is prefetched a few events before it is needed, the next stage
 * one or two events later; without this the engine waits on memory most of
 * the time. */
#ifndef D_LINK /* distances, in events, of the stages (tuned on the 50x50 grid) */
#define D_LINK 10
#define D_SLOT 8
#define D_ROUTE 6
#define D_NEXT 4
#define D_TAIL 2
#endif
static inline void prefetch_ahead(ThEngine *e) {
  unsigned n;
  const ThEvent *x = th_eventq_upcoming(e->q, &n);
  if (n > D_LINK && x[D_LINK].type == TH_EV_LINK) __builtin_prefetch(&e->ls[x[D_LINK].a]);
  if (n > D_SLOT && x[D_SLOT].type == TH_EV_LINK) {
    const LinkState *L = &e->ls[x[D_SLOT].a];
    if (L->count) __builtin_prefetch(&L->q[L->head]);
  }
  if (n > D_ROUTE && x[D_ROUTE].type == TH_EV_LINK) {
    const LinkState *L = &e->ls[x[D_ROUTE].a];
    if (L->count) {
      const Slot *s = &L->q[L->head];
      __builtin_prefetch(&e->pool[s->rp + 1]);
      int bin = (s->exit_q - L->fft_q) / TQ / e->p.bin_s;
      if (bin < e->n_bins_alloc && e->bins[bin])
        __builtin_prefetch(&e->bins[bin][(size_t)x[D_ROUTE].a * e->p.n_classes + s->cls], 1);
    }
  }
  if (n > D_NEXT && x[D_NEXT].type == TH_EV_LINK) {
    const LinkState *L = &e->ls[x[D_NEXT].a];
    if (L->count) {
      int32_t m = e->pool[L->q[L->head].rp + 1];
      if (m >= 0) {
        __builtin_prefetch(&e->ls[m], 1);
        if (e->p.inflow_capacity) __builtin_prefetch(&e->li[m], 1);
      }
    }
  }
  if (n > D_TAIL && x[D_TAIL].type == TH_EV_LINK) {
    /* the slot of the next link's ring the vehicle is compared with and
     * written after (enter: the tail) */
    const LinkState *L = &e->ls[x[D_TAIL].a];
    if (L->count) {
      int32_t m = e->pool[L->q[L->head].rp + 1];
      if (m >= 0) {
        const LinkState *M = &e->ls[m];
        if (M->q) __builtin_prefetch(&M->q[(M->head + (M->count ? M->count - 1 : 0)) & M->mask], 1);
      }
    }
  }
}

int32_t th_engine_run(ThEngine *e) {
  ThEvent ev;
  const int32_t horizon = e->p.horizon_s;
  uint64_t next_progress = e->events + (1u << 20);
  while (th_eventq_pop(e->q, &ev)) {
    prefetch_ahead(e);
    if (ev.time > horizon) {
      /* put it back conceptually: the day ends here; the queue is discarded */
      break;
    }
    e->events++;
    switch (ev.type) {
    case TH_EV_LINK: link_event(e, (int)ev.a, ev.time); break;
    case TH_EV_DEPART:
      if (G_LIKELY(!ev.b)) depart_event(e, ev.a, ev.time);
      else dq_event(e, (int)ev.a, ev.time);
      break;
    default: {
      guint k = ev.type - TH_EV_USER;
      g_return_val_if_fail(k < e->handlers->len, ev.time);
      Handler *h = &g_array_index(e->handlers, Handler, k);
      h->fn(e, &ev, h->user);
    }
    }
    if (G_UNLIKELY(e->events >= next_progress)) {
      next_progress = e->events + (1u << 20);
      if (e->p.progress) e->p.progress(ev.time, e->events, e->traversals, e->p.progress_user);
    }
  }
  /* where every vehicle still on the road is: its route position */
  for (int l = 0; l < e->n_links; l++) {
    LinkState *L = &e->ls[l];
    for (uint32_t i = 0; i < L->count; i++) {
      const Slot *s = &L->q[(L->head + i) & L->mask];
      e->v_at[s->veh] = s->rp;
    }
  }
  return th_eventq_now(e->q);
}

int32_t th_engine_now(const ThEngine *e) { return th_eventq_now(e->q); }
uint32_t th_engine_vehicle_owner(const ThEngine *e, uint32_t v) { return e->v_owner[v]; }
ThVehicleState th_engine_vehicle_state(const ThEngine *e, uint32_t v) { return e->v_state[v]; }
gboolean th_engine_vehicle_stuck(const ThEngine *e, uint32_t v) { return e->v_stuck[v]; }
int32_t th_engine_vehicle_depart_time(const ThEngine *e, uint32_t v) { return e->v_depart[v]; }
int32_t th_engine_vehicle_arrive_time(const ThEngine *e, uint32_t v) { return e->v_arrive[v]; }
int32_t th_engine_vehicle_depart_delay(const ThEngine *e, uint32_t v) { return e->v_delay[v]; }
int th_engine_vehicle_links_done(const ThEngine *e, uint32_t v) {
  if (e->v_state[v] == TH_VEH_IDLE) return 0;
  return (int)(e->v_at[v] - e->v_route[v]);
}
int th_engine_n_bins(const ThEngine *e) { return e->n_bins_used; }
int th_engine_hook_class(const ThEngine *e) {
  return e->p.hook_class >= 0 && e->p.hook_class < e->p.n_classes ? e->p.hook_class : 0;
}
ThLinkStat th_engine_link_stat(const ThEngine *e, int link, int bin, int cls) {
  ThLinkStat z = {0, 0, 0};
  if (bin < 0 || bin >= e->n_bins_alloc || !e->bins[bin]) return z;
  return e->bins[bin][(size_t)link * e->p.n_classes + cls];
}
int32_t th_engine_free_time(const ThEngine *e, int link) { return e->ls[link].fft; }
uint32_t th_engine_link_count(const ThEngine *e, int link) { return e->ls[link].count; }
uint64_t th_engine_events(const ThEngine *e) { return e->events; }
uint64_t th_engine_traversals(const ThEngine *e) { return e->traversals; }
uint64_t th_engine_stuck_moves(const ThEngine *e) { return e->stuck_moves; }
const ThLogRow *th_engine_log(const ThEngine *e, size_t *n) {
  *n = e->log->len;
  return (const ThLogRow *)e->log->data;
}

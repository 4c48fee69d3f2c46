/* simulate.c: days of the queue engine iterated to equilibrium (see simulate.h). */
#include "sim/simulate.h"
#include "network/th-error.h"
#include "network/parallel.h"
#include "sim/params.h"
#include "sim/router.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void th_sim_params_init(ThSimParams *p) {
  memset(p, 0, sizeof *p);
  th_params_set_defaults(th_param_table, TH_PARAM_IN_SIM, p); /* sim/params.c */
}

gboolean th_sim_params_check(const ThSimParams *p, GError **error) {
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func(g_free);
  if (p->iterations < 1)
    g_ptr_array_add(bad, g_strdup_printf("iterations %d (at least 1)", p->iterations));
  if (!(p->gap >= 0) || !isfinite(p->gap))
    g_ptr_array_add(bad, g_strdup_printf("gap %g (a number >= 0)", p->gap));
  if (p->horizon_s <= 0 || p->horizon_s > 30 * 86400)
    g_ptr_array_add(bad, g_strdup_printf("horizon %d s (1 s to 30 days)", p->horizon_s));
  if (!(p->sample_factor > 0 && p->sample_factor <= 1000))
    g_ptr_array_add(bad, g_strdup_printf("sample factor %g (a number > 0)", p->sample_factor));
  if (p->stuck_time_s <= 0)
    g_ptr_array_add(bad, g_strdup_printf("stuck time %d s (at least 1 s)", p->stuck_time_s));
  if (p->bin_s <= 0 || p->bin_s > 86400)
    g_ptr_array_add(bad, g_strdup_printf("bin %d s (1 s to 86400 s)", p->bin_s));
  if (!(p->switch_share <= 1) || !isfinite(p->switch_share))
    g_ptr_array_add(bad, g_strdup_printf("switch share %g (at most 1; <= 0 for MSA)", p->switch_share));
  if (!(p->rules.backward_wave_kmh >= 0 && p->rules.backward_wave_kmh <= 200))
    g_ptr_array_add(bad, g_strdup_printf("backward wave %g km/h (0 to 200; 0 for none)", p->rules.backward_wave_kmh));
  if (p->rules.replanning != TH_REPLAN_MSA && p->rules.replanning != TH_REPLAN_GAP)
    g_ptr_array_add(bad, g_strdup_printf("replanning %d (msa or gap)", p->rules.replanning));
  if (!bad->len) return TRUE;
  g_ptr_array_add(bad, NULL);
  g_autofree char *msg = g_strjoinv("\n", (char **)bad->pdata);
  g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "bad simulation settings: %s", msg);
  return FALSE;
}

static inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

unsigned long th_agent_seed(uint64_t seed, int64_t id, int day) {
  uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ (uint64_t)id);
  h = splitmix64(h ^ (uint64_t)(uint32_t)day);
  return (unsigned long)(h ^ (h >> 32));
}

/* ------------------------------------------------------------------ state */

static double thread_cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct {
  const ThNetwork *net;
  const ThTrips *trips;
  const ThClassTable *classes;
  ThSimParams p;
  int n;
  int n_used;      /* classes that occur in the trips */
  int *used_of;    /* class table index -> used index, or -1 */
  int *class_of;   /* used index -> class table index */
  /* current routes: pool of link indices; len < 0: unserved */
  int32_t *pool;
  size_t pool_n;
  size_t *off;
  int *len;
  int *by_depart;  /* agents in departure order */
  double *free_x;  /* exact free-flow times, s (the engine's) */
  double cpu_route; /* CPU seconds in route search chunks (timing only) */
  int hook_slot;    /* statistics class of hook vehicles (buses), or -1 */
} Sim;

/* A group of travellers routed by one search. */
typedef struct {
  int source;
  int32_t t0;
  int first, count; /* range in Replan.members */
  gboolean banned;  /* trips of a class under the truck ban (sim/truck-ban.h) */
} Group;

typedef struct {
  Sim *s;
  const ThLinkTimes *lt; /* in units of 1/lt->per_s s (see table_new) */
  int day;         /* the day just simulated (0: initial routes) */
  double share;
  Group *groups;
  int *members;    /* agents, grouped */
  int *targets;    /* destination node per member */
  /* per agent outputs */
  double *cur, *best;
  uint8_t *sw;
  int *new_chunk;
  size_t *new_off;
  int *new_len;
  /* per chunk route buffers */
  GArray **buf;
  int ng;              /* number of chunk buffers */
  GArray *groups_arr;
  GAsyncQueue *routers;
  double *cpu;         /* CPU seconds per chunk (timing only) */
} Replan;

typedef struct {
  int chunk, g0, g1;
} Chunk;

/* Stable counting sort of the M agents in IDX by KEY[agent] in [0, NK):
 * O(m + nk), the order within a key kept. */
static void counting_sort(int *idx, int m, const int *key, int nk, int *tmp) {
  int *cnt = g_new0(int, (size_t)nk + 1);
  for (int i = 0; i < m; i++) cnt[key[idx[i]] + 1]++;
  for (int k = 0; k < nk; k++) cnt[k + 1] += cnt[k];
  for (int i = 0; i < m; i++) tmp[cnt[key[idx[i]]]++] = idx[i];
  memcpy(idx, tmp, sizeof(int) * (size_t)m);
  g_free(cnt);
}

static void replan_chunk(gpointer data, gpointer user) {
  Chunk *c = data;
  Replan *R = user;
  Sim *s = R->s;
  double c0 = thread_cpu_s();
  ThRouter *router = g_async_queue_pop(R->routers);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
  GArray *buf = R->buf[c->chunk];
  GArray *ubs = g_array_new(FALSE, FALSE, sizeof(int64_t));
  for (int g = c->g0; g < c->g1; g++) {
    Group *G = &R->groups[g];
    /* the search and the costs in the table's units */
    const int64_t per_s = R->lt->per_s, t0 = (int64_t)G->t0 * per_s;
    th_router_set_ban(router, G->banned ? s->p.truck_ban : NULL);
    if (R->day == 0) {
      th_router_run(router, R->lt, G->source, (int32_t)t0, R->targets + G->first, G->count);
    } else {
      /* each member's current route, costed first, bounds the search
       * (sim/router.h: the same arrivals and paths, fewer nodes) */
      g_array_set_size(ubs, G->count);
      for (int i = G->first; i < G->first + G->count; i++) {
        int a = R->members[i];
        int64_t *ub = &g_array_index(ubs, int64_t, i - G->first);
        *ub = INT64_MAX;
        if (s->len[a] <= 0) continue;
        R->cur[a] = (double)th_link_times_route(R->lt, s->pool + s->off[a], s->len[a], (int32_t)t0);
        *ub = t0 + (int64_t)R->cur[a];
      }
      th_router_run_bounded(router, R->lt, G->source, (int32_t)t0, R->targets + G->first,
                            (const int64_t *)ubs->data, G->count);
    }
    for (int i = G->first; i < G->first + G->count; i++) {
      int a = R->members[i];
      int d = s->trips->destination[a];
      if (R->day == 0) {
        size_t off = buf->len;
        int n = th_router_path(router, d, buf);
        R->new_chunk[a] = c->chunk;
        R->new_off[a] = off;
        R->new_len[a] = n;
        R->sw[a] = 1;
        R->cur[a] = R->best[a] = 0;
        continue;
      }
      if (s->len[a] <= 0) {
        R->cur[a] = R->best[a] = 0;
        continue;
      }
      /* both costs at the group's departure time, so best <= current exactly
       * when the search is exact; the path is read only for a switch */
      double cur = R->cur[a]; /* costed before the search */
      int64_t arr = th_router_arrival(router, d);
      double best = arr == INT64_MAX ? INFINITY : (double)(arr - t0);
      R->cur[a] = cur;
      R->best[a] = MIN(best, cur);
      gboolean better = best < cur - 0.5 * per_s; /* by half a second at least */
      double prob = R->share;
      if (s->p.rules.replanning == TH_REPLAN_GAP) {
        /* a margin, and a probability that grows with the relative saving */
        double saving = cur - best;
        better = saving > MAX(TH_REPLAN_MARGIN * cur, 30.0 * per_s);
        prob = R->share * MIN(1.0, saving / cur);
      }
      if (better && prob > 0) {
        gsl_rng_set(rng, th_agent_seed(s->p.seed, s->trips->id[a], R->day));
        if (gsl_rng_uniform(rng) < prob) {
          size_t off = buf->len;
          int n = th_router_path(router, d, buf);
          R->sw[a] = 1;
          R->new_chunk[a] = c->chunk;
          R->new_off[a] = off;
          R->new_len[a] = n;
        }
      }
    }
  }
  gsl_rng_free(rng);
  g_array_free(ubs, TRUE);
  g_async_queue_push(R->routers, router);
  R->cpu[c->chunk] = thread_cpu_s() - c0;
}

typedef struct {
  Chunk *chunks;
  Replan *R;
} ReplanChunks;

static void replan_item(int c, int worker, gpointer user) {
  (void)worker; /* the chunk takes a router from R->routers */
  ReplanChunks *rc = user;
  replan_chunk(&rc->chunks[c], rc->R);
}

/* Route search for every routed traveller on LT. Day 0: everyone gets a
 * shortest path (unserved if none). Later days: the gap, and who would switch
 * with SHARE. Nothing changes until replan_apply. */
static Replan *replan_search(Sim *s, const ThLinkTimes *lt, int day, double share, double *gap,
                             int64_t *switched, int64_t *routed) {
  int n = s->n;
  Replan *Rp = g_new0(Replan, 1);
#define R (*Rp)
  R.s = s;
  R.lt = lt;
  R.day = day;
  R.share = share;
  /* groups: by origin (day 0 on static times) or (origin, departure bin) */
  gboolean static_times = day == 0;
  /* agents by origin, then departure bin, then index: two stable counting
   * sorts (a comparison sort took 20 ms per search on 100k trips) */
  int *obin = g_new(int, n + 1), *onode = g_new(int, n + 1);
  int *idx = g_new(int, n + 1), *tmp = g_new(int, n + 1);
  int m = 0, nbins = 1;
  /* trips under a truck ban are grouped apart, by departure bin on day 0
   * too: the ban depends on the time of day */
  const ThTruckBan *ban = th_truck_ban_any(s->p.truck_ban) ? s->p.truck_ban : NULL;
  for (int a = 0; a < n; a++) {
    if (day > 0 && s->len[a] <= 0) continue;
    if (s->trips->origin[a] == s->trips->destination[a] && day == 0) continue;
    gboolean bn = th_truck_ban_class(ban, s->trips->cls[a]);
    obin[a] = static_times && !bn ? 0 : s->trips->depart_s[a] / s->p.bin_s;
    if (ban) obin[a] = obin[a] * 2 + bn;
    onode[a] = s->trips->origin[a];
    nbins = MAX(nbins, obin[a] + 1);
    idx[m++] = a;
  }
  counting_sort(idx, m, obin, nbins, tmp);
  counting_sort(idx, m, onode, s->net->n_nodes, tmp);
  g_free(tmp);
  R.members = idx;
  R.targets = g_new(int, m + 1);
  GArray *groups = g_array_new(FALSE, FALSE, sizeof(Group));
  for (int i = 0; i < m;) {
    int j = i;
    while (j < m && onode[idx[j]] == onode[idx[i]] && obin[idx[j]] == obin[idx[i]]) {
      R.targets[j] = s->trips->destination[idx[j]];
      j++;
    }
    /* departure time of the group: its median traveller's */
    gboolean bn = ban && (obin[idx[i]] & 1);
    Group G = {s->trips->origin[idx[i]],
               static_times && !bn ? 0 : s->trips->depart_s[idx[(i + j) / 2]], i, j - i, bn};
    g_array_append_val(groups, G);
    i = j;
  }
  R.groups = (Group *)groups->data;
  int ng = (int)groups->len;
  R.cur = g_new0(double, n + 1);
  R.best = g_new0(double, n + 1);
  R.sw = g_new0(uint8_t, n + 1);
  R.new_chunk = g_new0(int, n + 1);
  R.new_off = g_new0(size_t, n + 1);
  R.new_len = g_new0(int, n + 1);
  int threads = s->p.threads > 0 ? s->p.threads : (int)g_get_num_processors();
  int nchunks = MIN(ng, MAX(1, 8 * threads));
  R.buf = g_new(GArray *, nchunks + 1);
  R.cpu = g_new0(double, nchunks + 1);
  R.routers = g_async_queue_new_full((GDestroyNotify)th_router_free);
  for (int t = 0; t < MIN(threads, MAX(nchunks, 1)); t++)
    g_async_queue_push(R.routers, th_router_new(s->net, TH_MODE_ROAD));
  Chunk *chunks = g_new(Chunk, nchunks + 1);
  for (int c = 0; c < nchunks; c++) {
    R.buf[c] = g_array_new(FALSE, FALSE, sizeof(int32_t));
    chunks[c] = (Chunk){c, (int)((int64_t)ng * c / nchunks), (int)((int64_t)ng * (c + 1) / nchunks)};
  }
  ReplanChunks rc = {chunks, &R};
  th_parallel_for(nchunks, threads, replan_item, &rc); /* network/parallel.h; 1 thread: in order */
  g_free(obin);
  g_free(onode);
  g_free(chunks);
  R.ng = nchunks;
  R.groups_arr = groups;
  /* sums in agent order: deterministic whatever the scheduling */
  double sum_cur = 0, sum_best = 0;
  int64_t nsw = 0, nr = 0;
  for (int a = 0; a < n; a++) {
    if (day > 0 && s->len[a] > 0) {
      sum_cur += R.cur[a];
      sum_best += R.best[a];
      nr++;
      nsw += R.sw[a];
    }
  }
  *gap = sum_cur > 0 ? (sum_cur - sum_best) / sum_cur : 0;
  for (int c = 0; c < nchunks; c++) s->cpu_route += R.cpu[c];
  *switched = nsw;
  *routed = nr;
  return Rp;
#undef R
}

/* Makes the switches of a search the current routes. The new store holds
 * routes in departure order, each ended by -1, as the engine reads it. */
static void replan_apply(Sim *s, Replan *Rp) {
#define R (*Rp)
  int n = s->n, day = R.day;
  size_t total = 0;
  for (int a = 0; a < n; a++) {
    int L = R.sw[a] ? R.new_len[a] : day == 0 ? (s->trips->origin[a] == s->trips->destination[a] ? 0 : -1)
                                              : s->len[a];
    if (L >= 0) total += (size_t)L + 1;
  }
  int32_t *pool = g_new(int32_t, total + 1);
  size_t pn = 0;
  for (int i = 0; i < n; i++) {
    int a = s->by_depart[i];
    int L;
    const int32_t *src;
    if (R.sw[a]) {
      L = R.new_len[a];
      src = L > 0 ? &g_array_index(R.buf[R.new_chunk[a]], int32_t, R.new_off[a]) : NULL;
    } else if (day == 0) {
      L = s->trips->origin[a] == s->trips->destination[a] ? 0 : -1;
      src = NULL;
    } else {
      L = s->len[a];
      src = L > 0 ? s->pool + s->off[a] : NULL;
    }
    s->off[a] = pn;
    s->len[a] = L;
    if (L < 0) continue;
    if (L > 0) memcpy(pool + pn, src, sizeof(int32_t) * L);
    pn += L;
    pool[pn++] = -1;
  }
  g_free(s->pool);
  s->pool = pool;
  s->pool_n = pn;
#undef R
}

static void replan_free(Replan *R) {
  for (int c = 0; c < R->ng; c++) g_array_unref(R->buf[c]);
  g_free(R->buf);
  g_free(R->cpu);
  g_async_queue_unref(R->routers);
  g_array_unref(R->groups_arr);
  g_free(R->members);
  g_free(R->targets);
  g_free(R->cur);
  g_free(R->best);
  g_free(R->sw);
  g_free(R->new_chunk);
  g_free(R->new_off);
  g_free(R->new_len);
  g_free(R);
}

/* ------------------------------------------------------------------ days */



typedef struct {
  Sim *s;
  int day;
  double gap; /* of the previous day, NAN before the first */
} DayProgress;

static void engine_progress(int32_t clock, uint64_t events, uint64_t traversals, gpointer user) {
  DayProgress *d = user;
  if (!d->s->p.progress) return;
  ThSimProgress pr = {d->day, d->s->p.iterations, "simulate", clock, events, traversals, d->gap};
  d->s->p.progress(&pr, d->s->p.progress_user);
}

/* Simulates one day with the current routes; VEH_OF gets each agent's vehicle
 * (or -1). */
static void run_day(Sim *s, ThEngine *e, int day, uint32_t *veh_of, double *cpu_engine) {
  th_engine_reset(e);
  th_engine_reserve(e, (uint32_t)s->n, 0);
  th_engine_routes_borrow(e, s->pool, s->pool_n);
  for (int i = 0; i < s->n; i++) {
    int a = s->by_depart[i];
    if (s->len[a] < 0) {
      veh_of[a] = UINT32_MAX;
      continue;
    }
    uint32_t r = (uint32_t)s->off[a];
    uint32_t v = th_engine_vehicle_add(e, s->used_of[s->trips->cls[a]], s->trips->pcu[a], (uint32_t)a);
    th_engine_depart(e, v, s->trips->depart_s[a], r);
    veh_of[a] = v;
  }
  if (s->p.hooks && s->p.hooks->day_begin) s->p.hooks->day_begin(e, day, s->p.hooks->user);
  double c0 = thread_cpu_s();
  th_engine_run(e);
  *cpu_engine += thread_cpu_s() - c0;
  if (s->p.hooks && s->p.hooks->day_end) s->p.hooks->day_end(e, day, s->p.hooks->user);
}

/* A link-time table for the route search from times in seconds: TIMES
 * (n_bins x n_links, NAN = free flow) and FREE. Its unit is 1/per_s s with
 * per_s = 64 (the engine's resolution: route costs then see the same
 * sub-second times the engine drives, not whole seconds that round 14.4 s
 * to 14 on one link and 14.6 s to 15 on the next), halved while the longest
 * time would span more than 2^22 units (the router's bucket circle: 16 MB). */
static ThLinkTimes *table_new(const Sim *s, int n_bins, const double *times, const double *free_x) {
  int nl = s->net->n_links;
  double mx = 1;
  for (int l = 0; l < nl; l++) mx = MAX(mx, free_x[l]);
  for (size_t i = 0; times && i < (size_t)n_bins * nl; i++)
    if (times[i] > mx) mx = times[i];
  int32_t per_s = TH_ENGINE_TQ;
  while (per_s > 1 && mx * per_s > (double)(1 << 22)) per_s /= 2;
  int32_t *fu = g_new(int32_t, nl + 1);
  for (int l = 0; l < nl; l++) fu[l] = (int32_t)MIN(floor(free_x[l] * per_s + 0.5), 1e9);
  ThLinkTimes *lt = th_link_times_new(nl, n_bins, s->p.bin_s * per_s, fu);
  lt->per_s = per_s;
  for (size_t i = 0; times && i < (size_t)n_bins * nl; i++)
    if (!isnan(times[i])) lt->tt[i] = (int32_t)MIN(floor(times[i] * per_s + 0.5), 1e9);
  g_free(fu);
  th_link_times_finish(lt);
  return lt;
}

/* Mean experienced time per (bin, link), all classes; free-flow where no
 * vehicle entered. */
static ThLinkTimes *experienced_times(Sim *s, ThEngine *e) {
  int nb = MAX(1, th_engine_n_bins(e)), nl = s->net->n_links;
  double *mean = g_new(double, (size_t)nb * nl + 1);
  for (int b = 0; b < nb; b++)
    for (int l = 0; l < nl; l++) {
      uint64_t sum = 0, cnt = 0;
      for (int c = 0; c < s->n_used; c++) {
        ThLinkStat st = th_engine_link_stat(e, l, b, c);
        sum += st.sum_tt_q;
        cnt += st.n;
      }
      mean[(size_t)b * nl + l] = cnt ? (double)sum / TH_ENGINE_TQ / cnt : NAN;
    }
  ThLinkTimes *lt = table_new(s, nb, mean, s->free_x);
  g_free(mean);
  return lt;
}

static void count_day(Sim *s, ThEngine *e, const uint32_t *veh_of, ThIterStats *st) {
  double tt = 0;
  for (int a = 0; a < s->n; a++) {
    uint32_t v = veh_of[a];
    if (v == UINT32_MAX) {
      st->unserved++;
      continue;
    }
    gboolean stuck = th_engine_vehicle_stuck(e, v);
    if (th_engine_vehicle_state(e, v) == TH_VEH_ARRIVED) {
      tt += th_engine_vehicle_arrive_time(e, v) - th_engine_vehicle_depart_time(e, v);
      if (stuck) st->stuck++;
      else st->arrived++;
    } else if (stuck) {
      st->stuck++;
    } else {
      st->en_route++;
    }
  }
  /* mean over every trip that reached its destination, stuck ones included */
  int64_t reached = 0;
  for (int a = 0; a < s->n; a++)
    if (veh_of[a] != UINT32_MAX && th_engine_vehicle_state(e, veh_of[a]) == TH_VEH_ARRIVED) reached++;
  st->mean_travel_time_s = reached ? tt / reached : 0;
}

/* ------------------------------------------------------------------ results */

static void fill_results(Sim *s, ThEngine *e, const uint32_t *veh_of, ThRunResults *r) {
  const ThNetwork *net = s->net;
  const ThTrips *t = s->trips;
  int nl = net->n_links, nu = s->n_used;
  double *veh = g_new0(double, (size_t)nl * nu + 1), *pcu = g_new0(double, (size_t)nl * nu + 1),
         *pax = g_new0(double, (size_t)nl * nu + 1), *ton = g_new0(double, (size_t)nl * nu + 1);
  for (int a = 0; a < s->n; a++) {
    const ThClass *c = &s->classes->cls[t->cls[a]];
    uint32_t v = veh_of[a];
    r->mode[a] = TH_MODE_ROAD;
    r->depart_s[a] = t->depart_s[a];
    r->arrive_s[a] = -1;
    if (r->depart_delay_s) r->depart_delay_s[a] = v == UINT32_MAX ? -1 : th_engine_vehicle_depart_delay(e, v);
    if (v == UINT32_MAX) {
      r->status[a] = TH_TRIP_UNSERVED;
      r->gen_cost[a] = NAN;
      continue;
    }
    gboolean stuck = th_engine_vehicle_stuck(e, v);
    gboolean arrived = th_engine_vehicle_state(e, v) == TH_VEH_ARRIVED;
    r->status[a] = stuck ? TH_TRIP_STUCK : arrived ? TH_TRIP_ARRIVED : TH_TRIP_EN_ROUTE;
    if (arrived) r->arrive_s[a] = th_engine_vehicle_arrive_time(e, v);
    double dist = 0, toll = 0;
    const int32_t *route = s->pool + s->off[a];
    for (int i = 0; i < s->len[a]; i++) {
      dist += net->length_m[route[i]];
      toll += net->toll[route[i]];
    }
    r->distance_m[a] = dist;
    r->money[a] = t->vehicles[a] * (dist / 1000.0 * c->cost_per_km + toll);
    double units = c->kind == TH_CLASS_FREIGHT ? t->tonnes[a] : 1.0;
    r->gen_cost[a] = arrived ? r->money[a] + (r->arrive_s[a] - t->depart_s[a]) / 3600.0 * c->vot_per_h * units
                             : NAN;
    int done = th_engine_vehicle_links_done(e, v);
    int u = s->used_of[t->cls[a]];
    for (int i = 0; i < done && i < s->len[a]; i++) {
      size_t k = (size_t)route[i] * nu + u;
      veh[k] += t->vehicles[a];
      pcu[k] += t->pcu[a];
      pax[k] += c->kind == TH_CLASS_PASSENGER ? t->vehicles[a] : 0;
      ton[k] += t->tonnes[a];
    }
  }
  int nb = th_engine_n_bins(e);
  /* rows by link, then class in class-table order */
  for (int l = 0; l < nl; l++)
    for (int ci = 0; ci < s->classes->n; ci++) {
      int u = s->used_of[ci];
      if (u < 0) continue;
      size_t k = (size_t)l * nu + u;
      uint64_t sum = 0, cnt = 0;
      for (int b = 0; b < nb; b++) {
        ThLinkStat st = th_engine_link_stat(e, l, b, u);
        sum += st.sum_tt_q;
        cnt += st.n;
        if (st.n) {
          ThLinkFlowBin row = {l, ci, b * s->p.bin_s, st.pcu10 / 10.0 / s->classes->cls[ci].pcu,
                               (double)st.sum_tt_q / TH_ENGINE_TQ / st.n};
          row.vehicles = floor(row.vehicles + 0.5);
          g_array_append_val(r->link_bins, row);
        }
      }
      if (u == s->hook_slot) {
        /* buses have no trips: count what the engine saw of the class */
        uint64_t p10 = 0;
        for (int b = 0; b < nb; b++) p10 += th_engine_link_stat(e, l, b, u).pcu10;
        veh[k] = (double)cnt;
        pcu[k] = p10 / 10.0;
      }
      if (veh[k] > 0) {
        ThLinkFlow row = {l, ci, u == s->hook_slot ? TH_MODE_BUS : TH_MODE_ROAD, veh[k], pcu[k], pax[k], ton[k],
                          cnt ? (double)sum / TH_ENGINE_TQ / cnt : NAN};
        g_array_append_val(r->link_flows, row);
      }
    }
  g_free(veh);
  g_free(pcu);
  g_free(pax);
  g_free(ton);
  if (s->p.record_events) {
    size_t n;
    const ThLogRow *log = th_engine_log(e, &n);
    r->events = g_array_sized_new(FALSE, FALSE, sizeof(ThResultEvent), (guint)n);
    for (size_t i = 0; i < n; i++) {
      ThResultEvent ev = {log[i].time, log[i].kind, (int)th_engine_vehicle_owner(e, log[i].vehicle),
                          log[i].link};
      g_array_append_val(r->events, ev);
    }
  }
  r->traversals = th_engine_traversals(e);
  r->events_run = th_engine_events(e);
  r->stuck_moves = th_engine_stuck_moves(e);
}

static int cmp_depart(const void *a, const void *b, void *dep) {
  const int32_t *d = dep;
  int x = *(const int *)a, y = *(const int *)b;
  if (d[x] != d[y]) return d[x] < d[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

ThRunResults *th_simulate(const ThNetwork *net, const ThTrips *trips, const ThClassTable *classes,
                       const ThSimParams *p, GError **error) {
  if (!th_sim_params_check(p, error)) return NULL;
  Sim S = {0};
  Sim *s = &S;
  s->net = net;
  s->trips = trips;
  s->classes = classes;
  s->p = *p;
  s->n = trips->n;
  s->used_of = g_new(int, classes->n + 1);
  s->class_of = g_new(int, classes->n + 1);
  for (int c = 0; c < classes->n; c++) s->used_of[c] = -1;
  for (int a = 0; a < s->n; a++)
    if (s->used_of[trips->cls[a]] < 0) s->used_of[trips->cls[a]] = 0;
  int hook_cls = p->hooks && p->hooks->vehicle_class >= 0 && p->hooks->vehicle_class < classes->n
                     ? p->hooks->vehicle_class : -1;
  if (hook_cls >= 0) s->used_of[hook_cls] = 0;
  for (int c = 0; c < classes->n; c++)
    if (s->used_of[c] >= 0) s->class_of[s->n_used] = c, s->used_of[c] = s->n_used++;
  if (!s->n_used) s->n_used = 1;
  s->hook_slot = hook_cls >= 0 ? s->used_of[hook_cls] : -1;
  s->off = g_new0(size_t, s->n + 1);
  s->len = g_new0(int, s->n + 1);
  s->by_depart = g_new(int, s->n + 1);
  for (int a = 0; a < s->n; a++) s->by_depart[a] = a;
  g_qsort_with_data(s->by_depart, s->n, sizeof(int), cmp_depart, trips->depart_s);

  ThEngineParams ep = {p->horizon_s, p->sample_factor, p->stuck_time_s, p->bin_s, s->n_used,
                       p->record_events,
                       engine_progress, NULL, MAX(s->hook_slot, 0),
                       p->rules.inflow_capacity, p->rules.backward_wave_kmh / 3.6, p->rules.departure_queue};
  DayProgress dp = {s, 0, NAN};
  ep.progress_user = &dp;
  g_autoptr(ThEngine) e = th_engine_new(net, &ep);
  s->free_x = g_new(double, net->n_links + 1);
  for (int l = 0; l < net->n_links; l++) s->free_x[l] = th_engine_link_free_time_exact(net, l);

  ThSimProgress pr = {1, p->iterations, "route", 0, 0, 0, NAN};
  if (p->progress) p->progress(&pr, p->progress_user);
  double gap, wall_route = 0, wall_engine = 0, cpu_engine = 0;
  uint64_t total_trav = 0;
  int64_t sw, routed;
  gint64 t_start = g_get_monotonic_time();
  {
    /* day 1: free flow, or the warm start's times */
    g_autoptr(ThLinkTimes) lt0 = table_new(s, 1, NULL, p->warm_start_time_s ? p->warm_start_time_s : s->free_x);
    Replan *R0 = replan_search(s, lt0, 0, 1.0, &gap, &sw, &routed);
    replan_apply(s, R0);
    replan_free(R0);
    wall_route += (g_get_monotonic_time() - t_start) / 1e6;
  }

  ThRunResults *r = th_run_results_new(s->n);
  if (p->rules.departure_queue) r->depart_delay_s = g_new0(int32_t, s->n + 1);
  r->seed = p->seed;
  r->sample_factor = p->sample_factor;
  r->horizon_s = p->horizon_s;
  r->bin_s = p->bin_s;
  r->has_sim_rules = TRUE;
  r->sim_rules = p->rules;
  uint32_t *veh_of = g_new(uint32_t, s->n + 1);
  gboolean ok = TRUE;
  for (int day = 1; day <= p->iterations; day++) {
    dp.day = day;
    gboolean last = day == p->iterations;
    gint64 t0 = g_get_monotonic_time();
    run_day(s, e, day, veh_of, &cpu_engine);
    wall_engine += (g_get_monotonic_time() - t0) / 1e6;
    total_trav += th_engine_traversals(e);
    ThIterStats st = {day, 0, 0, 0, 0, 0, 0, 0, 0};
    count_day(s, e, veh_of, &st);
    if (st.arrived + st.stuck + st.unserved + st.en_route != s->n) {
      g_set_error(error, TH_ERROR, TH_ERROR_FAILED,
                  "day %d: arrived %" G_GINT64_FORMAT " + stuck %" G_GINT64_FORMAT
                  " + unserved %" G_GINT64_FORMAT " + en route %" G_GINT64_FORMAT
                  " != %d trips (a bug: please report it)",
                  day, st.arrived, st.stuck, st.unserved, st.en_route, s->n);
      ok = FALSE;
      break;
    }
    pr = (ThSimProgress){day, p->iterations, "route", th_engine_now(e), th_engine_events(e),
                         th_engine_traversals(e), dp.gap};
    if (p->progress) p->progress(&pr, p->progress_user);
    g_autoptr(ThLinkTimes) lt = experienced_times(s, e);
    double share = p->switch_share > 0 ? p->switch_share
                   : p->rules.replanning == TH_REPLAN_GAP ? TH_REPLAN_SHARE : 1.0 / (day + 1);
    /* route search: the gap of this day, and who would switch */
    t0 = g_get_monotonic_time();
    Replan *R = replan_search(s, lt, day, last ? 0 : share, &gap, &sw, &routed);
    wall_route += (g_get_monotonic_time() - t0) / 1e6;
    st.relative_gap = gap;
    dp.gap = gap;
    gboolean stop = last || gap <= p->gap;
    st.switched_share = !stop && routed ? (double)sw / routed : 0;
    g_array_append_val(r->convergence, st);
    if (stop) {
      /* this day is the answer: its routes are still the current ones */
      replan_free(R);
      r->iterations = day;
      r->relative_gap = gap;
      r->arrived = st.arrived;
      r->stuck = st.stuck;
      r->unserved = st.unserved;
      r->en_route = st.en_route;
      fill_results(s, e, veh_of, r);
      break;
    }
    t0 = g_get_monotonic_time();
    replan_apply(s, R);
    replan_free(R);
    wall_route += (g_get_monotonic_time() - t0) / 1e6;
  }
  r->wall_engine_s = wall_engine;
  r->wall_route_s = wall_route;
  r->cpu_engine_s = cpu_engine;
  r->cpu_route_s = s->cpu_route;
  r->total_traversals = total_trav;
  (void)ok;
  g_free(veh_of);
  g_free(s->used_of);
  g_free(s->class_of);
  g_free(s->off);
  g_free(s->len);
  g_free(s->by_depart);
  g_free(s->free_x);
  g_free(s->pool);
  if (!ok) {
    th_run_results_free(r);
    return NULL;
  }
  return r;
}

/* assign-sp.c: the shortest paths of the assignment and its parallel loop.
 *
 * A specialised Dijkstra rather than network/paths.h because assignment
 * needs class link masks, the settle order (to load demand backwards along
 * the tree in O(n)) and reusable buffers with no per-call allocation. */
#include "sim/assign-internal.h"

#include <math.h>
#include <string.h>

AsSp *as_sp_new(int n) {
  AsSp *sp = g_new0(AsSp, 1);
  sp->n = n;
  sp->dist = g_new(double, n > 0 ? n : 1);
  sp->pred = g_new(int, n > 0 ? n : 1);
  sp->order = g_new(int, n > 0 ? n : 1);
  sp->heap = g_new(int, n > 0 ? n : 1);
  sp->hpos = g_new(int, n > 0 ? n : 1);
  sp->mark = g_new0(int, n > 0 ? n : 1);
  return sp;
}

void as_sp_free(AsSp *sp) {
  if (!sp) return;
  g_free(sp->dist);
  g_free(sp->pred);
  g_free(sp->order);
  g_free(sp->heap);
  g_free(sp->hpos);
  g_free(sp->mark);
  for (int i = 0; i < sp->nb; i++) g_free(sp->bk[i]);
  g_free(sp->bk);
  g_free(sp->bk_size);
  g_free(sp->bk_cap);
  g_free(sp);
}

/* Binary heap keyed by dist; ties by node index so every run is the same. */
static inline gboolean less(const AsSp *sp, int a, int b) {
  double da = sp->dist[a], db = sp->dist[b];
  return da < db || (da == db && a < b);
}

static void sift_up(AsSp *sp, int i) {
  int *h = sp->heap, x = h[i];
  while (i > 0) {
    int p = (i - 1) >> 1;
    if (!less(sp, x, h[p])) break;
    h[i] = h[p];
    sp->hpos[h[i]] = i;
    i = p;
  }
  h[i] = x;
  sp->hpos[x] = i;
}

static void sift_down(AsSp *sp, int i) {
  int *h = sp->heap, x = h[i], n = sp->hn;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && less(sp, h[c + 1], h[c])) c++;
    if (!less(sp, h[c], x)) break;
    h[i] = h[c];
    sp->hpos[h[i]] = i;
    i = c;
  }
  h[i] = x;
  sp->hpos[x] = i;
}

void as_csr_weights(const ThNetwork *net, const double *cost, const guint8 *allowed, double *w) {
  for (int i = 0; i < net->n_links; i++) {
    int a = net->out_link[i];
    w[i] = allowed && !allowed[a] ? INFINITY : cost[a];
  }
}

void as_csr_heads(const ThNetwork *net, int *head) {
  for (int i = 0; i < net->n_links; i++) head[i] = net->link_to[net->out_link[i]];
}

/* Marks the N_TARGETS nodes of TARGETS with a fresh stamp (the marks of
 * all N nodes are cleared when the stamp wraps) and returns how many
 * distinct targets there are: the count an early exit waits for. */
static int mark_targets(AsSp *sp, int n, const int *targets, int n_targets) {
  int left = 0;
  if (n_targets > 0) {
    if (++sp->stamp == G_MAXINT) {
      memset(sp->mark, 0, sizeof(int) * n);
      sp->stamp = 1;
    }
    for (int i = 0; i < n_targets; i++)
      if (sp->mark[targets[i]] != sp->stamp) {
        sp->mark[targets[i]] = sp->stamp;
        left++;
      }
  }
  return left;
}

void as_sp_run(AsSp *sp, const ThNetwork *net, int source, const int *head, const double *w,
               const guint8 *no_thru, const int *targets, int n_targets) {
  int n = sp->n;
  for (int i = 0; i < n; i++) {
    sp->dist[i] = INFINITY;
    sp->pred[i] = -1;
    sp->hpos[i] = -1;
  }
  int left = mark_targets(sp, n, targets, n_targets);
  sp->n_order = 0;
  sp->hn = 0;
  sp->dist[source] = 0.0;
  sp->heap[sp->hn++] = source;
  sp->hpos[source] = 0;
  const int *os = net->out_start, *ol = net->out_link;
  while (sp->hn > 0) {
    int u = sp->heap[0];
    sp->hpos[u] = -2; /* settled */
    sp->hn--;
    if (sp->hn > 0) {
      sp->heap[0] = sp->heap[sp->hn];
      sp->hpos[sp->heap[0]] = 0;
      sift_down(sp, 0);
    }
    sp->order[sp->n_order++] = u;
    if (n_targets > 0 && sp->mark[u] == sp->stamp && --left == 0) break;
    if (u != source && no_thru[u]) continue;
    double du = sp->dist[u];
    for (int i = os[u], e = os[u + 1]; i < e; i++) {
      double nd = du + w[i];
      int v = head[i];
      if (nd < sp->dist[v]) {
        if (sp->hpos[v] == -2) continue;
        sp->dist[v] = nd;
        sp->pred[v] = ol[i];
        if (sp->hpos[v] < 0) {
          sp->heap[sp->hn] = v;
          sp->hpos[v] = sp->hn++;
        }
        sift_up(sp, sp->hpos[v]);
      }
    }
  }
}

/* ------------------------------------------------------- bucket queue */

gboolean as_bucket_setup(const double *w, int m, int n, double *inv, int *nb) {
  double lo = INFINITY, hi = 0;
  for (int i = 0; i < m; i++) {
    if (w[i] == INFINITY) continue;
    if (w[i] < lo) lo = w[i];
    if (w[i] > hi) hi = w[i];
  }
  if (!(lo > 0) || !(hi / lo < 4094) || (double)n * (hi / lo) >= 0x1p40) return FALSE;
  double delta = lo * (1 - 0x1p-8);
  int b = 4;
  while (b < hi / delta + 2) b *= 2;
  *nb = b;
  *inv = 1.0 / delta;
  return TRUE;
}

static inline void as_bucket_push(AsSp *sp, int i, int v) {
  if (G_UNLIKELY(sp->bk_size[i] == sp->bk_cap[i])) {
    sp->bk_cap[i] = sp->bk_cap[i] ? 2 * sp->bk_cap[i] : 64;
    sp->bk[i] = g_renew(int, sp->bk[i], sp->bk_cap[i]);
  }
  sp->bk[i][sp->bk_size[i]++] = v;
}

void as_sp_dist(AsSp *sp, const ThNetwork *net, int source, const int *head, const double *w,
                const guint8 *no_thru, const int *targets, int n_targets, double inv, int nb) {
  int n = sp->n;
  if (sp->nb < nb) {
    sp->bk = g_renew(int *, sp->bk, nb);
    sp->bk_size = g_renew(int, sp->bk_size, nb);
    sp->bk_cap = g_renew(int, sp->bk_cap, nb);
    for (int i = sp->nb; i < nb; i++) sp->bk[i] = NULL, sp->bk_size[i] = sp->bk_cap[i] = 0;
    sp->nb = nb;
  }
  double *restrict dist = sp->dist;
  for (int i = 0; i < n; i++) dist[i] = INFINITY;
  int left = mark_targets(sp, n, targets, n_targets);
  const uint64_t mask = (uint64_t)nb - 1;
  const int *os = net->out_start;
  dist[source] = 0.0;
  as_bucket_push(sp, 0, source);
  long queued = 1;
  gboolean stop = FALSE;
  for (uint64_t cur = 0; queued > 0 && !stop; cur++) {
    int ci = (int)(cur & mask), size = sp->bk_size[ci];
    const int *b = sp->bk[ci];
    queued -= size;
    for (int p = 0; p < size; p++) {
      int u = b[p];
      double du = dist[u];
      if ((uint64_t)(du * inv) != cur) continue; /* stale: now in an earlier bucket */
      if (n_targets > 0 && sp->mark[u] == sp->stamp && --left == 0) {
        stop = TRUE;
        break;
      }
      if (u != source && no_thru[u]) continue;
      for (int i = os[u], e = os[u + 1]; i < e; i++) {
        double nd = du + w[i];
        int v = head[i];
        double dv = dist[v];
        if (nd < dv) {
          uint64_t k = (uint64_t)(nd * inv);
          if (G_UNLIKELY(k <= cur)) g_error("bucket queue: arc into the bucket being settled");
          /* one entry per node and bucket: an improvement within its bucket pushes nothing */
          if (dv == INFINITY || k != (uint64_t)(dv * inv)) {
            queued++;
            as_bucket_push(sp, (int)(k & mask), v);
          }
          dist[v] = nd;
        }
      }
    }
    sp->bk_size[ci] = 0;
  }
  if (stop)
    for (int i = 0; i < nb; i++) sp->bk_size[i] = 0;
}

/* ------------------------------------------------------------ parallel */


/* ------------------------------------------------------------ team */

struct AsTeam {
  int threads;
  GThread **th;
  GMutex mu;
  GCond go, done;
  guint gen;       /* bumped for every run */
  int running;     /* workers other than the caller still in the run */
  gboolean quit;
  AsItemFunc fn;
  gpointer data;
  int n;
  gint next;
};

typedef struct {
  AsTeam *team;
  int worker;
} TeamArg;

static void team_drain(AsTeam *t, int worker) {
  for (;;) {
    int i = g_atomic_int_add(&t->next, 1);
    if (i >= t->n) break;
    t->fn(i, worker, t->data);
  }
}

static gpointer team_main(gpointer p) {
  TeamArg *arg = p;
  AsTeam *t = arg->team;
  int worker = arg->worker;
  g_free(arg);
  guint seen = 0;
  for (;;) {
    g_mutex_lock(&t->mu);
    while (t->gen == seen && !t->quit) g_cond_wait(&t->go, &t->mu);
    if (t->quit) {
      g_mutex_unlock(&t->mu);
      break;
    }
    seen = t->gen;
    g_mutex_unlock(&t->mu);
    team_drain(t, worker);
    g_mutex_lock(&t->mu);
    if (--t->running == 0) g_cond_signal(&t->done);
    g_mutex_unlock(&t->mu);
  }
  return NULL;
}

AsTeam *as_team_new(int threads) {
  AsTeam *t = g_new0(AsTeam, 1);
  t->threads = threads > 1 ? threads : 1;
  g_mutex_init(&t->mu);
  g_cond_init(&t->go);
  g_cond_init(&t->done);
  t->th = g_new0(GThread *, t->threads);
  for (int w = 1; w < t->threads; w++) {
    TeamArg *arg = g_new(TeamArg, 1);
    *arg = (TeamArg){t, w};
    t->th[w] = g_thread_new("th-assign", team_main, arg);
  }
  return t;
}

void as_team_run(AsTeam *t, int n, AsItemFunc fn, gpointer data) {
  if (t->threads <= 1 || n <= 1) {
    for (int i = 0; i < n; i++) fn(i, 0, data);
    return;
  }
  g_mutex_lock(&t->mu);
  t->fn = fn;
  t->data = data;
  t->n = n;
  g_atomic_int_set(&t->next, 0);
  t->running = t->threads - 1;
  t->gen++;
  g_cond_broadcast(&t->go);
  g_mutex_unlock(&t->mu);
  team_drain(t, 0);
  g_mutex_lock(&t->mu);
  while (t->running > 0) g_cond_wait(&t->done, &t->mu);
  g_mutex_unlock(&t->mu);
}

void as_team_free(AsTeam *t) {
  if (!t) return;
  g_mutex_lock(&t->mu);
  t->quit = TRUE;
  g_cond_broadcast(&t->go);
  g_mutex_unlock(&t->mu);
  for (int w = 1; w < t->threads; w++) g_thread_join(t->th[w]);
  g_free(t->th);
  g_mutex_clear(&t->mu);
  g_cond_clear(&t->go);
  g_cond_clear(&t->done);
  g_free(t);
}

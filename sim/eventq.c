/* eventq.c: timing wheel with an overflow heap, and a plain binary heap. */
#include "sim/eventq.h"

typedef struct {
  ThEvent ev;
  uint64_t seq;
} HeapItem;

typedef struct {
  ThEvent *ev;
  uint32_t head, n, cap;
} Bucket;

struct ThEventQ {
  ThEventQKind kind;
  int32_t now;
  uint64_t seq;
  /* wheel */
  Bucket *bk;
  uint32_t mask;
  size_t in_wheel;
  /* heap (the whole queue for TH_EVENTQ_HEAP, the overflow for the wheel) */
  HeapItem *h;
  size_t hn, hcap;
};

static inline gboolean item_less(const HeapItem *x, const HeapItem *y) {
  return x->ev.time < y->ev.time || (x->ev.time == y->ev.time && x->seq < y->seq);
}

static void heap_push(ThEventQ *q, const ThEvent *ev) {
  if (q->hn == q->hcap) {
    q->hcap = q->hcap ? 2 * q->hcap : 1024;
    q->h = g_renew(HeapItem, q->h, q->hcap);
  }
  HeapItem it = {*ev, q->seq++};
  size_t i = q->hn++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!item_less(&it, &q->h[p])) break;
    q->h[i] = q->h[p];
    i = p;
  }
  q->h[i] = it;
}

static void heap_pop(ThEventQ *q, ThEvent *out) {
  *out = q->h[0].ev;
  HeapItem last = q->h[--q->hn];
  size_t i = 0, n = q->hn;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && item_less(&q->h[c + 1], &q->h[c])) c++;
    if (!item_less(&q->h[c], &last)) break;
    q->h[i] = q->h[c];
    i = c;
  }
  if (n) q->h[i] = last;
}

ThEventQ *th_eventq_new(ThEventQKind kind, int wheel_bits, int32_t start) {
  ThEventQ *q = g_new0(ThEventQ, 1);
  q->kind = kind;
  q->now = start;
  if (kind == TH_EVENTQ_WHEEL) {
    if (wheel_bits <= 0) wheel_bits = 12;
    q->mask = (1u << wheel_bits) - 1;
    q->bk = g_new0(Bucket, (size_t)q->mask + 1);
  }
  return q;
}

void th_eventq_free(ThEventQ *q) {
  if (!q) return;
  if (q->bk)
    for (uint32_t i = 0; i <= q->mask; i++) g_free(q->bk[i].ev);
  g_free(q->bk);
  g_free(q->h);
  g_free(q);
}

void th_eventq_clear(ThEventQ *q, int32_t start) {
  if (q->bk)
    for (uint32_t i = 0; i <= q->mask; i++) q->bk[i].head = q->bk[i].n = 0;
  q->in_wheel = 0;
  q->hn = 0;
  q->seq = 0;
  q->now = start;
}

static inline void bucket_append(ThEventQ *q, const ThEvent *ev) {
  Bucket *b = &q->bk[(uint32_t)ev->time & q->mask];
  if (b->n == b->cap) {
    b->cap = b->cap ? 2 * b->cap : 16;
    b->ev = g_renew(ThEvent, b->ev, b->cap);
  }
  b->ev[b->n++] = *ev;
  q->in_wheel++;
}

void th_eventq_push(ThEventQ *q, int32_t time, uint32_t type, uint32_t a, uint32_t b) {
  if (G_UNLIKELY(time < q->now)) time = q->now;
  ThEvent ev = {time, type, a, b};
  if (q->kind == TH_EVENTQ_HEAP || (int64_t)time - q->now > (int64_t)q->mask)
    heap_push(q, &ev);
  else
    bucket_append(q, &ev);
}

/* Moves overflow events that now fall inside the wheel's span into their
 * buckets. They were pushed before any event of the same time could go to the
 * wheel directly (the span only moves forward), and leave the heap in
 * sequence order, so bucket order stays insertion order. */
static inline void migrate(ThEventQ *q) {
  while (q->hn && (int64_t)q->h[0].ev.time - q->now <= (int64_t)q->mask) {
    ThEvent ev;
    heap_pop(q, &ev);
    bucket_append(q, &ev);
  }
}

gboolean th_eventq_pop(ThEventQ *q, ThEvent *out) {
  if (q->kind == TH_EVENTQ_HEAP) {
    if (!q->hn) return FALSE;
    heap_pop(q, out);
    q->now = out->time;
    return TRUE;
  }
  for (;;) {
    Bucket *b = &q->bk[(uint32_t)q->now & q->mask];
    if (b->head < b->n) {
      *out = b->ev[b->head++];
      if (b->head == b->n) b->head = b->n = 0;
      q->in_wheel--;
      return TRUE;
    }
    if (q->in_wheel == 0) {
      if (!q->hn) return FALSE;
      q->now = q->h[0].ev.time; /* jump over the empty stretch */
    } else {
      q->now++;
    }
    migrate(q);
  }
}

const ThEvent *th_eventq_lookahead(const ThEventQ *q, unsigned k) {
  if (q->kind != TH_EVENTQ_WHEEL) return NULL;
  const Bucket *b = &q->bk[(uint32_t)q->now & q->mask];
  return b->head + k < b->n ? &b->ev[b->head + k] : NULL;
}

const ThEvent *th_eventq_upcoming(const ThEventQ *q, unsigned *n) {
  if (q->kind != TH_EVENTQ_WHEEL) {
    *n = 0;
    return NULL;
  }
  const Bucket *b = &q->bk[(uint32_t)q->now & q->mask];
  *n = b->n - b->head;
  return *n ? &b->ev[b->head] : NULL;
}

size_t th_eventq_size(const ThEventQ *q) { return q->in_wheel + q->hn; }

int32_t th_eventq_now(const ThEventQ *q) { return q->now; }

/* eventq.c: timing wheel with an overflow heap, and a plain binary heap. */
#include "sim/eventq.h"

typedef struct {
  ThEvent ev;
  uint64_t seq;
} HeapItem;

/* A wheel bucket is a FIFO list of fixed-size blocks taken from a free list
 * shared by all buckets, so memory follows the events pending, not each
 * bucket's peak, and a busy second never reallocates and copies its events:
 * growing per-bucket arrays cost the engine's first day more than half its
 * time in realloc and page faults (50x50 grid, 100k trips: 0.35 s cold
 * against 0.15 s warm). */
#define BLOCK_EVENTS 63
typedef struct Block {
  struct Block *next;
  uint32_t n, pad_;
  ThEvent ev[BLOCK_EVENTS];
} Block; /* 1 KiB */
G_STATIC_ASSERT(sizeof(Block) == 1024);

#define SLAB_BLOCKS 256

typedef struct {
  Block *first, *last;
  uint32_t head; /* next event to pop in first */
} Bucket;

struct ThEventQ {
  ThEventQKind kind;
  int32_t now;
  uint64_t seq;
  /* wheel */
  Bucket *bk;
  uint32_t mask;
  size_t in_wheel;
  Block *free_blocks; /* free list (through next) */
  GPtrArray *slabs;   /* SLAB_BLOCKS blocks each */
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
    q->slabs = g_ptr_array_new_with_free_func(g_free);
  }
  return q;
}

void th_eventq_free(ThEventQ *q) {
  if (!q) return;
  if (q->slabs) g_ptr_array_unref(q->slabs);
  g_free(q->bk);
  g_free(q->h);
  g_free(q);
}

void th_eventq_clear(ThEventQ *q, int32_t start) {
  if (q->bk)
    for (uint32_t i = 0; i <= q->mask; i++) {
      Bucket *b = &q->bk[i];
      if (b->first) {
        b->last->next = q->free_blocks;
        q->free_blocks = b->first;
      }
      *b = (Bucket){NULL, NULL, 0};
    }
  q->in_wheel = 0;
  q->hn = 0;
  q->seq = 0;
  q->now = start;
}

static Block *block_new(ThEventQ *q) {
  if (G_UNLIKELY(!q->free_blocks)) {
    Block *slab = g_new(Block, SLAB_BLOCKS);
    g_ptr_array_add(q->slabs, slab);
    for (int i = 0; i < SLAB_BLOCKS; i++) {
      slab[i].next = q->free_blocks;
      q->free_blocks = &slab[i];
    }
  }
  Block *k = q->free_blocks;
  q->free_blocks = k->next;
  k->next = NULL;
  k->n = 0;
  return k;
}

static inline void block_free(ThEventQ *q, Block *k) {
  k->next = q->free_blocks;
  q->free_blocks = k;
}

static inline void bucket_append(ThEventQ *q, const ThEvent *ev) {
  Bucket *b = &q->bk[(uint32_t)ev->time & q->mask];
  Block *k = b->last;
  if (G_UNLIKELY(!k || k->n == BLOCK_EVENTS)) {
    Block *nk = block_new(q);
    if (k) k->next = nk;
    else b->first = nk;
    b->last = k = nk;
  }
  k->ev[k->n++] = *ev;
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
    Block *k = b->first;
    if (k && b->head < k->n) {
      *out = k->ev[b->head++];
      if (b->head == k->n) {
        /* a used-up block goes back to the free list (only the last block can
         * be part full; events pushed later for this second start a new one) */
        b->first = k->next;
        if (!b->first) b->last = NULL;
        b->head = 0;
        block_free(q, k);
      }
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
  return b->first && b->head + k < b->first->n ? &b->first->ev[b->head + k] : NULL;
}

const ThEvent *th_eventq_upcoming(const ThEventQ *q, unsigned *n) {
  if (q->kind != TH_EVENTQ_WHEEL) {
    *n = 0;
    return NULL;
  }
  const Bucket *b = &q->bk[(uint32_t)q->now & q->mask];
  *n = b->first ? b->first->n - b->head : 0;
  return *n ? &b->first->ev[b->head] : NULL;
}

size_t th_eventq_size(const ThEventQ *q) { return q->in_wheel + q->hn; }

int32_t th_eventq_now(const ThEventQ *q) { return q->now; }

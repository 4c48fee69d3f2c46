/* eventq.h: the event queue of the discrete-event engine.
 *
 * Events carry an integer time in seconds, a type and two 32-bit arguments
 * (a link, a vehicle, a transit run, a hub: whatever the type's handler
 * needs). They leave the queue ordered by (time, sequence), the sequence
 * being the order of insertion, so ties resolve identically on every run.
 *
 * Two implementations behind one API, chosen by bench/bench_eventq (a "hold"
 * benchmark with the engine's time profile):
 *  - TH_EVENTQ_WHEEL: a timing wheel (calendar queue with one-second buckets,
 *    R. Brown, CACM 1988; Varghese & Lauck 1987) of 2^k buckets, each a FIFO
 *    list of 63-event blocks from a shared free list, plus an overflow binary heap for events beyond the wheel's span.
 *    Push and pop are O(1) for near-future events (the engine's are a link's
 *    free-flow time or a headway away); a far event costs O(log n) once, when
 *    it migrates into the wheel. FIFO buckets give the sequence order for free.
 *  - TH_EVENTQ_HEAP: a binary heap on (time, sequence), O(log n) per
 *    operation: the reference the wheel is tested against.
 * The engine uses the wheel. */
#pragma once
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
  int32_t time;  /* seconds */
  uint32_t type; /* event type (engine types, then user types; see engine.h) */
  uint32_t a, b; /* arguments */
} ThEvent;

typedef enum { TH_EVENTQ_WHEEL = 0, TH_EVENTQ_HEAP = 1 } ThEventQKind;

typedef struct ThEventQ ThEventQ;

/* A queue whose clock starts at START (no event may be earlier).
 * WHEEL_BITS: log2 of the number of one-second buckets (0: the default, 12). */
ThEventQ *th_eventq_new(ThEventQKind kind, int wheel_bits, int32_t start);
void th_eventq_free(ThEventQ *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThEventQ, th_eventq_free)

/* Empties Q and sets its clock to START, keeping its memory. */
void th_eventq_clear(ThEventQ *q, int32_t start);

/* Inserts an event at TIME (>= the time of the last popped event; earlier
 * times are a programming error and are clamped to it). O(1) amortized in
 * the wheel's span, O(log n) beyond it. */
void th_eventq_push(ThEventQ *q, int32_t time, uint32_t type, uint32_t a, uint32_t b);

/* Removes the earliest event (by time, then insertion order) into OUT.
 * FALSE when the queue is empty. O(1) amortized (wheel), O(log n) (heap). */
gboolean th_eventq_pop(ThEventQ *q, ThEvent *out);

/* The event K places after the next one to pop (K = 0: the next), if it is
 * in the current block of the wheel's current bucket, else NULL. Lets the engine prefetch the
 * memory of events it will run shortly. O(1). */
const ThEvent *th_eventq_lookahead(const ThEventQ *q, unsigned k);
/* The events left in the current block of the wheel's current bucket, from
 * the next to pop: a pointer and their number in *N (0 and NULL when none;
 * more may follow in the bucket's next block). O(1). */
const ThEvent *th_eventq_upcoming(const ThEventQ *q, unsigned *n);

/* Number of events waiting. */
size_t th_eventq_size(const ThEventQ *q);

/* The clock: the time of the last popped event (or START). */
int32_t th_eventq_now(const ThEventQ *q);

G_END_DECLS

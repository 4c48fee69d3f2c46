/* parallel.h: the one parallel-for of taihang (every room uses it: route
 * searches, shortest paths, assignment, writers, compare).
 *
 * Determinism: FN must write only to per-item slots (or per-worker scratch
 * reduced afterwards in item order), so the result never depends on which
 * worker ran which item or on the number of threads. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* FN(ITEM, WORKER, USER) for one item; WORKER is in 0..threads-1, for
 * per-worker scratch (a router, a shortest-path workspace). */
typedef void (*ThParallelFunc)(int item, int worker, gpointer user);

/* Runs FN for items 0..N-1 on up to THREADS threads (<= 0: all cores),
 * taking items from a shared counter (dynamic balancing); with one thread
 * or one item, in order on the calling thread. Returns when all are done. */
void th_parallel_for(int n, int threads, ThParallelFunc fn, gpointer user);

/* THREADS when > 0, else the number of cores (at least 1). */
int th_threads_or_cores(int threads);

G_END_DECLS

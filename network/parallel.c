/* parallel.c: th_parallel_for on a GLib thread pool (see parallel.h). */
#include "network/parallel.h"

typedef struct {
  int n;
  gint next; /* atomic: the next item to take */
  ThParallelFunc fn;
  gpointer user;
} Job;

static void worker(gpointer worker_p, gpointer job_p) {
  Job *job = job_p;
  int w = GPOINTER_TO_INT(worker_p) - 1;
  for (;;) {
    int i = g_atomic_int_add(&job->next, 1);
    if (i >= job->n) break;
    job->fn(i, w, job->user);
  }
}

int th_threads_or_cores(int threads) {
  if (threads > 0) return threads;
  int c = (int)g_get_num_processors();
  return c > 0 ? c : 1;
}

void th_parallel_for(int n, int threads, ThParallelFunc fn, gpointer user) {
  threads = th_threads_or_cores(threads);
  if (threads > n) threads = n;
  if (threads <= 1) {
    for (int i = 0; i < n; i++) fn(i, 0, user);
    return;
  }
  Job job = {n, 0, fn, user};
  GThreadPool *pool = g_thread_pool_new(worker, &job, threads, TRUE, NULL);
  for (int w = 1; w <= threads; w++) g_thread_pool_push(pool, GINT_TO_POINTER(w), NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
}

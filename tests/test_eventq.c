/* test_eventq.c: the timing wheel pops exactly what a binary heap on
 * (time, insertion order) pops, through near and far events, same-time
 * pushes while draining, empty stretches and clears. */
#include "sim/eventq.h"

#include <gsl/gsl_rng.h>

static void test_order_small(void) {
  g_autoptr(ThEventQ) q = th_eventq_new(TH_EVENTQ_WHEEL, 3, 0); /* 8 buckets: far events overflow */
  th_eventq_push(q, 5, 0, 1, 0);
  th_eventq_push(q, 100, 0, 2, 0); /* far: overflow heap */
  th_eventq_push(q, 5, 0, 3, 0);
  th_eventq_push(q, 0, 0, 4, 0);
  th_eventq_push(q, 100, 0, 5, 0);
  g_assert_cmpuint(th_eventq_size(q), ==, 5);
  ThEvent ev;
  uint32_t want[] = {4, 1, 3, 2, 5};
  int32_t want_t[] = {0, 5, 5, 100, 100};
  for (int i = 0; i < 5; i++) {
    g_assert_true(th_eventq_pop(q, &ev));
    g_assert_cmpuint(ev.a, ==, want[i]);
    g_assert_cmpint(ev.time, ==, want_t[i]);
    if (i == 3) {
      /* pushed while the bucket of time 100 drains: comes after event 5 */
      th_eventq_push(q, 100, 0, 6, 0);
      g_assert_cmpint(th_eventq_now(q), ==, 100);
    }
  }
  g_assert_true(th_eventq_pop(q, &ev));
  g_assert_cmpuint(ev.a, ==, 6);
  g_assert_false(th_eventq_pop(q, &ev));
  /* an event in the past is clamped to now */
  th_eventq_push(q, 3, 0, 7, 0);
  g_assert_true(th_eventq_pop(q, &ev));
  g_assert_cmpint(ev.time, ==, 100);
  th_eventq_clear(q, 50);
  g_assert_cmpuint(th_eventq_size(q), ==, 0);
  th_eventq_push(q, 50, 0, 8, 0);
  g_assert_true(th_eventq_pop(q, &ev));
  g_assert_cmpint(ev.time, ==, 50);
}

/* A random "hold" workload on both kinds: pop one, push 0-2 at now + delay
 * with delays from 0 s (same time) to far beyond the wheel. */
static void run_random(unsigned long seed, int wheel_bits) {
  g_autoptr(ThEventQ) w = th_eventq_new(TH_EVENTQ_WHEEL, wheel_bits, 0);
  g_autoptr(ThEventQ) h = th_eventq_new(TH_EVENTQ_HEAP, 0, 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, seed);
  uint32_t id = 0;
  for (int i = 0; i < 500; i++) {
    int32_t t = (int32_t)gsl_rng_uniform_int(r, 5000);
    th_eventq_push(w, t, 0, id, 0);
    th_eventq_push(h, t, 0, id, 0);
    id++;
  }
  ThEvent a, b;
  int popped = 0;
  while (th_eventq_pop(h, &b)) {
    g_assert_true(th_eventq_pop(w, &a));
    g_assert_cmpint(a.time, ==, b.time);
    g_assert_cmpuint(a.a, ==, b.a);
    g_assert_cmpint(th_eventq_now(w), ==, th_eventq_now(h));
    if (popped++ < 20000) {
      int k = (int)gsl_rng_uniform_int(r, 3);
      for (int j = 0; j < k; j++) {
        unsigned kind = gsl_rng_uniform_int(r, 4);
        int32_t d = kind == 0 ? 0 : kind == 1 ? (int32_t)gsl_rng_uniform_int(r, 20)
                  : kind == 2 ? (int32_t)gsl_rng_uniform_int(r, 300)
                              : (int32_t)gsl_rng_uniform_int(r, 100000);
        th_eventq_push(w, b.time + d, 1, id, 7);
        th_eventq_push(h, b.time + d, 1, id, 7);
        id++;
      }
    }
    g_assert_cmpuint(th_eventq_size(w), ==, th_eventq_size(h));
  }
  g_assert_false(th_eventq_pop(w, &a));
  g_assert_cmpint(popped, >, 20000);
  gsl_rng_free(r);
}

static void test_random(void) {
  for (unsigned long s = 1; s <= 5; s++) {
    run_random(s, 4);
    run_random(s, 8);
    run_random(s, 0);
  }
}

static void test_lookahead(void) {
  g_autoptr(ThEventQ) q = th_eventq_new(TH_EVENTQ_WHEEL, 0, 0);
  for (uint32_t i = 0; i < 5; i++) th_eventq_push(q, 10, 0, i, 0);
  th_eventq_push(q, 11, 0, 99, 0);
  ThEvent ev;
  g_assert_true(th_eventq_pop(q, &ev));
  g_assert_cmpuint(ev.a, ==, 0);
  const ThEvent *x = th_eventq_lookahead(q, 0);
  g_assert_nonnull(x);
  g_assert_cmpuint(x->a, ==, 1);
  g_assert_cmpuint(th_eventq_lookahead(q, 3)->a, ==, 4);
  g_assert_null(th_eventq_lookahead(q, 4)); /* next bucket: not looked into */
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/eventq/order", test_order_small);
  g_test_add_func("/eventq/random-vs-heap", test_random);
  g_test_add_func("/eventq/lookahead", test_lookahead);
  return g_test_run();
}

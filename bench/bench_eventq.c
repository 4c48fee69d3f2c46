/* bench_eventq.c: the "hold" benchmark (Jones 1986) for the event queue,
 * with the engine's time profile: a steady population of events; each step
 * pops the earliest and pushes one back a delay later, the delay being a
 * link's free-flow time or headway (1-60 s) most of the time and a far
 * departure now and then. Reports nanoseconds per hold (pop + push) for the
 * timing wheel and the binary heap, and checks both pop the same sequence.
 *
 *   bench_eventq [population] [holds]     (defaults 100000 and 20000000) */
#include "sim/eventq.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline uint64_t xs(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static double run(ThEventQKind kind, long pop, long holds, uint64_t *checksum) {
  ThEventQ *q = th_eventq_new(kind, 0, 0);
  uint64_t s = 88172645463325252ull;
  for (long i = 0; i < pop; i++) th_eventq_push(q, (int32_t)(xs(&s) % 3600), 0, (uint32_t)i, 0);
  double t0 = cpu_s();
  uint64_t sum = 0;
  ThEvent ev;
  for (long i = 0; i < holds; i++) {
    th_eventq_pop(q, &ev);
    sum = sum * 31 + ev.a;
    uint64_t r = xs(&s);
    int32_t d = (r & 63) == 0 ? (int32_t)(r >> 8) % 20000 : 1 + (int32_t)((r >> 8) % 60);
    th_eventq_push(q, ev.time + d, 0, ev.a, 0);
  }
  double t = cpu_s() - t0;
  th_eventq_free(q);
  *checksum = sum;
  return t;
}

int main(int argc, char **argv) {
  long pop = argc > 1 ? atol(argv[1]) : 100000, holds = argc > 2 ? atol(argv[2]) : 20000000;
  uint64_t c1, c2;
  double tw = run(TH_EVENTQ_WHEEL, pop, holds, &c1);
  double th = run(TH_EVENTQ_HEAP, pop, holds, &c2);
  printf("queue,population,holds,ns_per_hold\n");
  printf("wheel,%ld,%ld,%.1f\n", pop, holds, tw / holds * 1e9);
  printf("heap,%ld,%ld,%.1f\n", pop, holds, th / holds * 1e9);
  if (c1 != c2) {
    fprintf(stderr, "bench_eventq: wheel and heap popped different sequences\n");
    return 1;
  }
  return 0;
}

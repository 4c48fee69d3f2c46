/* progress.c: the progress line. */
#include "output/progress.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct ThProgress {
  gboolean active;
  gint64 last_us;
  int width;       /* characters of the line shown */
  /* th_progress_sim state */
  int day;
  gint64 day_start_us;
  uint64_t day_events;
  double last_gap;
};

ThProgress *th_progress_new(gboolean quiet) {
  ThProgress *p = g_new0(ThProgress, 1);
  p->active = !quiet && isatty(fileno(stderr));
  p->last_gap = NAN;
  return p;
}

void th_progress_clear(ThProgress *p) {
  if (!p || !p->active || !p->width) return;
  fprintf(stderr, "\r%*s\r", p->width, "");
  fflush(stderr);
  p->width = 0;
}

void th_progress_free(ThProgress *p) {
  if (!p) return;
  th_progress_clear(p);
  g_free(p);
}


static void show(ThProgress *p, const char *line) {
  int w = (int)strlen(line);
  fprintf(stderr, "\r%s%*s", line, p->width > w ? p->width - w : 0, "");
  fflush(stderr);
  p->width = w;
}

void th_progress_set(ThProgress *p, const char *fmt, ...) {
  if (!p || !p->active) return;
  gint64 now = g_get_monotonic_time();
  if (now - p->last_us < 100000) return;
  p->last_us = now;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *line = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  show(p, line);
}

void th_progress_show(ThProgress *p, const char *fmt, ...) {
  if (!p || !p->active) return;
  p->last_us = g_get_monotonic_time();
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *line = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  show(p, line);
}

void th_progress_keep(ThProgress *p) {
  if (!p || !p->active || !p->width) return;
  fputc('\n', stderr);
  fflush(stderr);
  p->width = 0;
}

void th_progress_sim(const ThSimProgress *sp, gpointer user) {
  ThProgress *p = user;
  if (!p || !p->active) return;
  gint64 now = g_get_monotonic_time();
  gboolean sim = !strcmp(sp->phase, "simulate");
  if (sim && (sp->iteration != p->day || sp->events < p->day_events)) {
    /* first report of a day: measure the rate from here */
    p->day = sp->iteration;
    p->day_start_us = now;
    p->day_events = sp->events;
  }
  if (isfinite(sp->relative_gap)) p->last_gap = sp->relative_gap;
  int32_t c = sp->clock;
  double dt = (now - p->day_start_us) / 1e6;
  double rate = sim && dt > 0 ? (sp->events - p->day_events) / dt : 0;
  g_autofree char *gap =
      isfinite(p->last_gap) ? g_strdup_printf("  gap %.4f", p->last_gap) : g_strdup("");
  if (sim)
    th_progress_set(
        p, "day %d/%d  simulate  clock %02d:%02d:%02d  %.1f M events/s  %.1f M traversals%s",
        sp->iteration, sp->max_iterations, c / 3600, c / 60 % 60, c % 60, rate / 1e6,
        sp->traversals / 1e6, gap);
  else
    th_progress_set(p, "day %d/%d  route search%s", sp->iteration, sp->max_iterations, gap);
}

/* progress.h: one progress line on a terminal, rewritten in place.
 *
 * Silent when standard error is not a terminal or when asked to be quiet, so
 * logs and pipes never fill with carriage returns. Updates are rate-limited
 * (at most ten per second), so callers may report as often as they like. */
#pragma once
#include <glib.h>

#include "sim/simulate.h"

G_BEGIN_DECLS

typedef struct ThProgress ThProgress;

/* A progress line on stderr; inactive if QUIET or stderr is not a tty. */
ThProgress *th_progress_new(gboolean quiet);
/* Clears the line (if shown) and frees P. NULL is allowed. */
void th_progress_free(ThProgress *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThProgress, th_progress_free)

/* Replaces the line with the formatted text (dropped if the last update was
 * less than 0.1 s ago). */
void th_progress_set(ThProgress *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Clears the line, e.g. before printing something else. */
void th_progress_clear(ThProgress *p);
/* Replaces the line now, whatever the time since the last update (a
 * line redrawn by a timer or after a message). */
void th_progress_show(ThProgress *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Ends the line with a newline, so it stays on the screen. */
void th_progress_keep(ThProgress *p);

/* A ThSimProgressFunc for th_simulate: USER is a ThProgress. Shows
 * "day 3/10  route|simulate  clock 07:42:10  2.1 M events/s  gap 0.0123". */
void th_progress_sim(const ThSimProgress *sp, gpointer user);

G_END_DECLS

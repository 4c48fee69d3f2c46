/* stale.h: temporaries that name the process that made them, so that the
 * leftovers of a killed process can be told from the work of a live one and
 * removed by the next run.
 *
 * A temporary for BASE in folder DIR is named
 *   DIR/.BASE.KIND.HOST.PID.XXXXXX
 * (KIND says what it is: "tmp" for a file being written, "new"/"old" for a
 * results folder being swapped; HOST is this machine's name, so a folder
 * shared by cluster nodes never loses another node's live temporaries).
 * th_stale_clean() removes those of BASE and KIND on this host whose PID is
 * no longer running. A reused PID only delays a removal; it never removes
 * live work. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* The template "DIR/.BASE.KIND.HOST.PID.XXXXXX" for g_mkstemp/g_mkdtemp
 * (newly allocated). */
char *th_stale_template(const char *dir, const char *base, const char *kind);
/* Removes DIR/.BASE.KIND.HOST.PID.* (files or whole folders) of this host
 * whose process is gone. Returns how many it removed. O(entries of DIR). */
int th_stale_clean(const char *dir, const char *base, const char *kind);
/* As th_stale_clean, and returns in *PATHS (char *, g_free; NULL to skip)
 * the stale entries instead of removing them, for a caller that must look
 * at them first (a results folder's "old" copy to restore). */
int th_stale_list(const char *dir, const char *base, const char *kind, GPtrArray *paths);
/* Removes PATH and, if it is a folder, everything under it; never follows a
 * symbolic link (a link is removed, not its target). NULL: nothing. */
void th_rmtree(const char *path);

/* Fault injection for tests: when the environment variable TAIHANG_FAULT
 * is "POINT" or "POINT:N", the Nth call (default the first) of
 * th_fault_point(POINT) kills the process with SIGKILL, as a power cut or
 * `kill -9` would at that step. Points: "atomic-rename" (before a file is
 * renamed into place), "results-swap" (before a results folder is swapped
 * in). Costs one getenv per call when unset. */
void th_fault_point(const char *point);

G_END_DECLS

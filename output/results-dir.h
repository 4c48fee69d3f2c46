/* results-dir.h: a results folder is replaced whole, never mixed.
 *
 * A run writes its results into a new folder beside the target
 * (PARENT/.NAME.new.HOST.PID.XXXXXX, see network/stale.h) and swaps it in
 * with one rename: renameat2(RENAME_EXCHANGE) when the target exists (Linux
 * 3.15+, ext4, xfs, btrfs, tmpfs), else two renames through
 * .NAME.old.HOST.PID.XXXXXX, during which the target is briefly absent but
 * never a mix. A process killed at any point leaves the old folder or the
 * new one whole, plus a temporary that the next run of the same target
 * removes (or, for an "old" copy whose target is gone, renames back).
 *
 * Since the target is replaced whole, an existing folder is only replaced
 * when it is a results folder (it holds the MARKER file, e.g. run.ini or
 * summary.csv) or is empty: `--out ~` must never delete a home folder.
 *
 * Usage:
 *   if (!th_results_dir_check(out, "run.ini", &e)) ...   // before the work
 *   ... compute ...
 *   g_autoptr(ThResultsDir) rd = th_results_dir_begin(out, "run.ini", &e);
 *   write everything into th_results_dir_path(rd), the marker last;
 *   th_results_dir_commit(g_steal_pointer(&rd), &e);       // swap in */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct ThResultsDir ThResultsDir;

/* Checks, before any work, that DIR can be written as a results folder:
 * creates its parent folders, and fails with the reason (TH_ERROR_IO:
 * "DIR: cannot write the results folder here (Permission denied)") when a
 * folder cannot be made beside it, or with TH_ERROR_INVALID when DIR is a
 * file or a non-empty folder without MARKER. Leaves nothing behind. */
gboolean th_results_dir_check(const char *dir, const char *marker, GError **error);
/* Starts replacing DIR: the same checks, removes the temporaries of killed
 * runs of DIR, creates the new folder. NULL with the error on failure. */
ThResultsDir *th_results_dir_begin(const char *dir, const char *marker, GError **error);
/* The folder to write into (the new one, not DIR). */
const char *th_results_dir_path(const ThResultsDir *rd);
/* Swaps the new folder in as DIR and removes the old one; frees RD. FALSE
 * with TH_ERROR_IO (and DIR as it was) on failure. */
gboolean th_results_dir_commit(ThResultsDir *rd, GError **error);
/* Removes the new folder (DIR stays as it was); frees RD. NULL is allowed. */
void th_results_dir_abort(ThResultsDir *rd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThResultsDir, th_results_dir_abort)

G_END_DECLS

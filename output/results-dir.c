/* results-dir.c: a results folder replaced whole by one rename (see results-dir.h). */
#include "output/results-dir.h"
#include "network/stale.h"
#include "network/th-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ThResultsDir {
  char *dir;     /* the target */
  char *parent;  /* its folder */
  char *base;    /* its name */
  char *tmp;     /* the new folder being written */
};

static void split(const char *dir, char **parent, char **base) {
  g_autofree char *clean = g_canonicalize_filename(dir, NULL);
  *parent = g_path_get_dirname(clean);
  *base = g_path_get_basename(clean);
}

/* A killed swap may have left the old folder under its temporary name with
 * no target: put it back before anything else looks. */
static void restore_old(const char *dir, const char *parent, const char *base) {
  g_autoptr(GPtrArray) olds = g_ptr_array_new_with_free_func(g_free);
  th_stale_list(parent, base, "old", olds);
  for (guint i = 0; i < olds->len; i++) {
    GStatBuf st;
    if (g_lstat(dir, &st) != 0 && g_rename(olds->pdata[i], dir) == 0) continue;
    th_rmtree(olds->pdata[i]);
  }
}

/* DIR may be replaced: absent, an empty folder, or a folder with MARKER. */
static gboolean replaceable(const char *dir, const char *marker, GError **error) {
  GStatBuf st;
  if (g_lstat(dir, &st) != 0) return TRUE;
  if (!S_ISDIR(st.st_mode)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: exists and is not a folder (a results folder to create or replace was "
                "expected)",
                dir);
    return FALSE;
  }
  g_autofree char *m = g_build_filename(dir, marker, NULL);
  if (g_file_test(m, G_FILE_TEST_EXISTS)) return TRUE;
  GDir *d = g_dir_open(dir, 0, NULL);
  gboolean empty = d && g_dir_read_name(d) == NULL;
  if (d) g_dir_close(d);
  if (empty) return TRUE;
  g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
              "%s: is a folder with files but no %s, so not a taihang results folder; it would "
              "be replaced whole (give a new or empty folder, or an earlier results folder)",
              dir, marker);
  return FALSE;
}

static gboolean make_parent(const char *dir, const char *parent, GError **error) {
  if (g_mkdir_with_parents(parent, 0755) == 0) return TRUE;
  int why = errno;
  g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the results folder (%s: %s)", dir,
              parent, g_strerror(why));
  return FALSE;
}

gboolean th_results_dir_check(const char *dir, const char *marker, GError **error) {
  g_autofree char *parent = NULL, *base = NULL;
  split(dir, &parent, &base);
  if (!make_parent(dir, parent, error)) return FALSE;
  restore_old(dir, parent, base);
  if (!replaceable(dir, marker, error)) return FALSE;
  g_autofree char *probe = th_stale_template(parent, base, "new");
  if (!g_mkdtemp_full(probe, 0755)) {
    int why = errno;
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "%s: cannot write the results folder here (%s, in %s)", dir, g_strerror(why),
                parent);
    return FALSE;
  }
  g_rmdir(probe);
  return TRUE;
}

ThResultsDir *th_results_dir_begin(const char *dir, const char *marker, GError **error) {
  ThResultsDir *rd = g_new0(ThResultsDir, 1);
  rd->dir = g_strdup(dir);
  split(dir, &rd->parent, &rd->base);
  if (!make_parent(dir, rd->parent, error)) goto fail;
  restore_old(dir, rd->parent, rd->base);
  if (!replaceable(dir, marker, error)) goto fail;
  th_stale_clean(rd->parent, rd->base, "new");
  rd->tmp = th_stale_template(rd->parent, rd->base, "new");
  if (!g_mkdtemp_full(rd->tmp, 0755)) {
    int why = errno;
    g_set_error(error, TH_ERROR, TH_ERROR_IO,
                "%s: cannot write the results folder here (%s, in %s)", dir, g_strerror(why),
                rd->parent);
    g_clear_pointer(&rd->tmp, g_free);
    goto fail;
  }
  return rd;
fail:
  th_results_dir_abort(rd);
  return NULL;
}

const char *th_results_dir_path(const ThResultsDir *rd) { return rd->tmp; }

static void rd_free(ThResultsDir *rd) {
  g_free(rd->dir);
  g_free(rd->parent);
  g_free(rd->base);
  g_free(rd->tmp);
  g_free(rd);
}

gboolean th_results_dir_commit(ThResultsDir *rd, GError **error) {
  th_fault_point("results-swap");
  GStatBuf st;
  gboolean ok = TRUE;
  if (g_lstat(rd->dir, &st) != 0) {
    if (g_rename(rd->tmp, rd->dir) != 0) {
      int why = errno;
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot move the results into place (%s)",
                  rd->dir, g_strerror(why));
      ok = FALSE;
    }
  } else if (renameat2(AT_FDCWD, rd->tmp, AT_FDCWD, rd->dir, RENAME_EXCHANGE) == 0) {
    /* one step: readers see the old folder or the new one. The old one is
     * now at the temporary name. */
  } else {
    /* no RENAME_EXCHANGE here (some network file systems): the old folder
     * steps aside first; the target is absent for a moment, never mixed */
    g_autofree char *old = th_stale_template(rd->parent, rd->base, "old");
    int fd = g_mkstemp(old);
    if (fd >= 0) {
      close(fd);
      g_unlink(old);
    }
    if (fd < 0 || g_rename(rd->dir, old) != 0) {
      int why = errno;
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot move the old results aside (%s)",
                  rd->dir, g_strerror(why));
      ok = FALSE;
    } else if (g_rename(rd->tmp, rd->dir) != 0) {
      int why = errno;
      g_rename(old, rd->dir);
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot move the results into place (%s)",
                  rd->dir, g_strerror(why));
      ok = FALSE;
    } else {
      th_rmtree(old);
    }
  }
  th_rmtree(rd->tmp); /* the old folder after an exchange; the new one after a failure */
  rd_free(rd);
  return ok;
}

void th_results_dir_abort(ThResultsDir *rd) {
  if (!rd) return;
  if (rd->tmp) th_rmtree(rd->tmp);
  rd_free(rd);
}

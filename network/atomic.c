/* atomic.c: write to a temporary beside the target, rename on success (atomic.h). */
#include "network/atomic.h"
#include "network/stale.h"
#include "network/th-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct ThAtomicFile {
  char *path, *tmp;
  FILE *fp;
};

ThAtomicFile *th_atomic_open(const char *path, GError **error) {
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create folder (%s)", dir,
                g_strerror(errno));
    return NULL;
  }
  g_autofree char *base = g_path_get_basename(path);
  /* named after this process, so that a later run can tell a killed
   * run's leftover from a live writer's file (network/stale.h) */
  g_autofree char *tmpl = th_stale_template(dir, base, "tmp");
  int fd = g_mkstemp(tmpl);
  if (fd < 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create a temporary file (%s)", path,
                g_strerror(errno));
    return NULL;
  }
  FILE *fp = fdopen(fd, "wb");
  if (!fp) {
    close(fd);
    g_unlink(tmpl);
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot open (%s)", path, g_strerror(errno));
    return NULL;
  }
  (void)fchmod(fd, 0644);
  ThAtomicFile *f = g_new0(ThAtomicFile, 1);
  f->path = g_strdup(path);
  f->tmp = g_steal_pointer(&tmpl);
  f->fp = fp;
  return f;
}

FILE *th_atomic_stream(ThAtomicFile *f) { return f->fp; }

static void atomic_free(ThAtomicFile *f) {
  g_free(f->path);
  g_free(f->tmp);
  g_free(f);
}

gboolean th_atomic_commit(ThAtomicFile *f, GError **error) {
  /* the reason of the first failure: errno of a failed fwrite is still set
   * when nothing since has failed (errno is never cleared on success) */
  int why = ferror(f->fp) ? errno : 0;
  gboolean ok = !ferror(f->fp);
  if (fflush(f->fp) != 0) {
    if (ok) why = errno;
    ok = FALSE;
  }
  if (fclose(f->fp) != 0) {
    if (ok) why = errno;
    ok = FALSE;
  }
  f->fp = NULL;
  if (!ok) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: write failed (%s)", f->path,
                why ? g_strerror(why) : "an earlier write to it failed");
    g_unlink(f->tmp);
    atomic_free(f);
    return FALSE;
  }
  th_fault_point("atomic-rename");
  if (g_rename(f->tmp, f->path) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot rename into place (%s)", f->path,
                g_strerror(errno));
    g_unlink(f->tmp);
    atomic_free(f);
    return FALSE;
  }
  /* the temporaries of killed writers of the same file go now */
  g_autofree char *dir = g_path_get_dirname(f->path);
  g_autofree char *base = g_path_get_basename(f->path);
  th_stale_clean(dir, base, "tmp");
  atomic_free(f);
  return TRUE;
}

void th_atomic_abort(ThAtomicFile *f) {
  if (!f) return;
  if (f->fp) fclose(f->fp);
  g_unlink(f->tmp);
  atomic_free(f);
}

gboolean th_atomic_write(const char *path, const void *data, gsize len, GError **error) {
  ThAtomicFile *f = th_atomic_open(path, error);
  if (!f) return FALSE;
  if (len && fwrite(data, 1, len, f->fp) != len) {
    int why = errno;
    th_atomic_abort(f);
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: write failed (%s)", path, g_strerror(why));
    return FALSE;
  }
  return th_atomic_commit(f, error);
}

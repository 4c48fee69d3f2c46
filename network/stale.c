/* stale.c: temporaries named after their process (see stale.h). */
#include "network/stale.h"
#include "network/csv.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* This machine's name, without the dots and slashes that would make the
 * temporary's name ambiguous. */
static const char *host_name(void) {
  static char host[128];
  static gsize done = 0;
  if (g_once_init_enter(&done)) {
    if (gethostname(host, sizeof host - 1) != 0 || !host[0]) g_strlcpy(host, "localhost", sizeof host);
    g_strdelimit(host, "./@", '_');
    g_once_init_leave(&done, 1);
  }
  return host;
}

char *th_stale_template(const char *dir, const char *base, const char *kind) {
  return g_strdup_printf("%s/.%s.%s.%s.%ld.XXXXXX", dir, base, kind, host_name(), (long)getpid());
}

/* kill(pid, 0) fails with ESRCH only when no such process exists; EPERM
 * means it runs under another user, which is alive. */
static gboolean pid_alive(gint64 pid) {
  if (pid <= 0) return FALSE;
  if (pid == (gint64)getpid()) return TRUE;
  return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int th_stale_list(const char *dir, const char *base, const char *kind, GPtrArray *paths) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return 0;
  g_autofree char *prefix = g_strdup_printf(".%s.%s.%s.", base, kind, host_name());
  gsize plen = strlen(prefix);
  int n = 0;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    if (strncmp(name, prefix, plen)) continue;
    /* what follows the prefix: PID.XXXXXX */
    const char *rest = name + plen;
    const char *dot = strchr(rest, '.');
    if (!dot || strlen(dot + 1) != 6) continue;
    g_autofree char *pid_text = g_strndup(rest, (gsize)(dot - rest));
    gint64 pid = 0;
    if (!th_parse_int64(pid_text, &pid) || pid_alive(pid)) continue;
    char *p = g_build_filename(dir, name, NULL);
    if (paths)
      g_ptr_array_add(paths, p);
    else {
      th_rmtree(p);
      g_free(p);
    }
    n++;
  }
  g_dir_close(d);
  return n;
}

int th_stale_clean(const char *dir, const char *base, const char *kind) {
  return th_stale_list(dir, base, kind, NULL);
}

void th_rmtree(const char *path) {
  GStatBuf st;
  if (!path || g_lstat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
      const char *n;
      while ((n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(path, n, NULL);
        th_rmtree(p);
      }
      g_dir_close(d);
    }
    g_rmdir(path);
  } else {
    g_unlink(path);
  }
}

void th_fault_point(const char *point) {
  static gint hits = 0;
  const char *f = g_getenv("TAIHANG_FAULT");
  if (!f) return;
  gsize n = strlen(point);
  if (strncmp(f, point, n) || (f[n] && f[n] != ':')) return;
  gint64 at = 1;
  if (f[n] == ':' && !th_parse_int64(f + n + 1, &at)) return;
  if (g_atomic_int_add(&hits, 1) + 1 == at) raise(SIGKILL);
}

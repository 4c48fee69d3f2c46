/* zipfile.c: zip members through the module libth-zip.so (zipfile.h). */
#include "network/zipfile.h"
#include "network/module.h"

typedef gpointer (*OpenFunc)(const char *path, char **why);
typedef int (*ReadFunc)(gpointer zip, const char *file, char **buf, gsize *len, char **why);
typedef void (*CloseFunc)(gpointer zip);

static struct {
  OpenFunc open;
  ReadFunc read;
  CloseFunc close;
} fn;

/* The module: where the build put it (TH_ZIP_MODULE), else beside the
 * program in network/. Loaded once; FALSE with *WHY if it does not load. */
static gboolean load(char **why) {
  static GMutex lock;
  static gboolean loaded;
  static char *failure;
  g_mutex_lock(&lock);
  if (!loaded && !failure) {
    static const char *const names[] = {"th_zip_module_open", "th_zip_module_read",
                                        "th_zip_module_close"};
    gpointer sym[3] = {NULL};
    if (th_module_open(TH_ZIP_MODULE, "network", "libth-zip.so", names, sym, 3, &failure)) {
      fn.open = (OpenFunc)sym[0];
      fn.read = (ReadFunc)sym[1];
      fn.close = (CloseFunc)sym[2];
      loaded = TRUE;
    }
  }
  gboolean ok = loaded;
  if (!ok)
    *why = g_strdup_printf("reading zip files needs the module libth-zip.so, which did not load "
                           "(%s); rebuild with ninja -C build",
                           failure);
  g_mutex_unlock(&lock);
  return ok;
}

ThZip *th_zip_open(const char *path, char **why) {
  if (!load(why)) return NULL;
  return fn.open(path, why);
}

int th_zip_read(ThZip *zip, const char *file, char **buf, gsize *len, char **why) {
  return fn.read(zip, file, buf, len, why);
}

void th_zip_close(ThZip *zip) {
  if (zip) fn.close(zip);
}

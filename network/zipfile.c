/* zipfile.c: zip members through the module libth-zip.so (zipfile.h). */
#include "network/zipfile.h"
#include "network/module.h"

typedef gpointer (*OpenFunc)(const char *path, char **why);
typedef int (*ReadFunc)(gpointer zip, const char *file, char **buf, gsize *len, char **why);
typedef void (*CloseFunc)(gpointer zip);

/* The module: where the build put it (TH_ZIP_MODULE), else beside the
 * program in network/. Loaded once; FALSE with *WHY if it does not load. */
static const char *const names[] = {"th_zip_module_open", "th_zip_module_read",
                                    "th_zip_module_close"};
static gpointer sym[3];
static ThModule zip_module = TH_MODULE(TH_ZIP_MODULE, "network", "libth-zip.so",
                                       "reading zip files needs the module", names, 3, sym);

static gboolean load(char **why) {
  GError *e = NULL;
  if (!th_module_load(&zip_module, &e)) {
    *why = g_strdup(e->message);
    g_error_free(e);
    return FALSE;
  }
  return TRUE;
}

ThZip *th_zip_open(const char *path, char **why) {
  if (!load(why)) return NULL;
  return ((OpenFunc)sym[0])(path, why);
}

int th_zip_read(ThZip *zip, const char *file, char **buf, gsize *len, char **why) {
  return ((ReadFunc)sym[1])(zip, file, buf, len, why);
}

void th_zip_close(ThZip *zip) {
  if (zip) ((CloseFunc)sym[2])(zip);
}

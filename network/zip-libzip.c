/* zip-libzip.c: the module libth-zip.so: reading members of a zip file
 * through libzip (see zipfile.h, which loads it on first use). Only glib
 * and libzip here, so the module needs nothing of taihang. */
#include <gmodule.h>
#include <zip.h>

/* a zip file open for reading, or NULL with *WHY (g_free) */
G_MODULE_EXPORT gpointer th_zip_module_open(const char *path, char **why);
/* 1: *BUF (g_free; one byte more, NUL) and *LEN hold member FILE (matched
 * without case and folder); 0: no such member; -1: unreadable, with *WHY */
G_MODULE_EXPORT int th_zip_module_read(gpointer zip, const char *file, char **buf, gsize *len,
                                       char **why);
G_MODULE_EXPORT void th_zip_module_close(gpointer zip);

gpointer th_zip_module_open(const char *path, char **why) {
  int zerr = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    *why = g_strdup(zip_error_strerror(&ze));
    zip_error_fini(&ze);
  }
  return z;
}

int th_zip_module_read(gpointer zip, const char *file, char **buf, gsize *len, char **why) {
  zip_t *z = zip;
  zip_int64_t idx = zip_name_locate(z, file, ZIP_FL_NOCASE | ZIP_FL_NODIR);
  if (idx < 0) return 0;
  zip_stat_t st;
  zip_file_t *zf = NULL;
  if (zip_stat_index(z, idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      !(zf = zip_fopen_index(z, idx, 0))) {
    *why = g_strdup(zip_strerror(z));
    return -1;
  }
  char *b = g_malloc(st.size + 1);
  zip_int64_t got = zip_fread(zf, b, st.size);
  zip_fclose(zf);
  if (got < 0 || (zip_uint64_t)got != st.size) {
    g_free(b);
    *why = g_strdup("truncated?");
    return -1;
  }
  b[st.size] = '\0';
  *buf = b;
  *len = st.size;
  return 1;
}

void th_zip_module_close(gpointer zip) {
  if (zip) zip_discard(zip);
}

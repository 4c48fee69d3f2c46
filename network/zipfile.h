/* zipfile.h: reading the members of a zip file (GTFS feeds). libzip, and
 * with it OpenSSL's libcrypto (about 1,200 symbol relocations at every
 * start), lives in the module libth-zip.so (zip-libzip.c), loaded on the
 * first zip file, so that commands that read no zip file start without
 * them (issue 16). */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct ThZip ThZip;

/* Opens the zip file PATH for reading. NULL with *WHY (g_free) when it is
 * not a zip file or the module does not load (the text says which). */
ThZip *th_zip_open(const char *path, char **why);
/* Reads member FILE (matched without case, in any folder of the zip):
 * 1 with *BUF (g_free; NUL-terminated) and *LEN; 0 when there is no such
 * member; -1 with *WHY (g_free) when it cannot be read. */
int th_zip_read(ThZip *zip, const char *file, char **buf, gsize *len, char **why);
void th_zip_close(ThZip *zip);

G_END_DECLS

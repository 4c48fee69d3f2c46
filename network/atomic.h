/* atomic.h: files that are never half-written.
 *
 * Every output goes to a temporary name in the same folder and is renamed
 * into place by th_atomic_commit(); th_atomic_abort() (or freeing without
 * commit) removes the temporary, so a failure leaves nothing behind. */
#pragma once
#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct ThAtomicFile ThAtomicFile;

/* Opens a temporary file beside PATH for writing (binary mode). Creates the
 * parent folder if it is missing. Returns NULL with TH_ERROR_IO on failure. */
ThAtomicFile *th_atomic_open(const char *path, GError **error);
/* The stream to write into. */
FILE *th_atomic_stream(ThAtomicFile *f);
/* Flushes, closes and renames into place; frees F. FALSE with TH_ERROR_IO
 * (and nothing left behind) if any write failed. */
gboolean th_atomic_commit(ThAtomicFile *f, GError **error);
/* Closes and removes the temporary; frees F. NULL is allowed. */
void th_atomic_abort(ThAtomicFile *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThAtomicFile, th_atomic_abort)

/* Writes LEN bytes of DATA to PATH atomically. */
gboolean th_atomic_write(const char *path, const void *data, gsize len, GError **error);

G_END_DECLS

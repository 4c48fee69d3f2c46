/* png-write.h: PNG files with metadata and reproducible bytes.
 *
 * cairo's own PNG writer cannot add text chunks, so maps go through libpng:
 * the image as 8-bit RGB (maps are opaque), text chunks naming the scenario,
 * seed and taihang version, no time chunk, and fixed zlib settings, so the
 * same pixels and texts always give the same bytes. */
#pragma once
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One text chunk. Keywords are 1-79 Latin-1 characters; ASCII values go in
 * tEXt chunks, other UTF-8 values (a Chinese scenario name) in uncompressed
 * iTXt chunks, because tEXt is Latin-1 only. */
typedef struct {
  const char *key;
  const char *value;
} ThPngText;

/* Writes the WIDTH x HEIGHT image DATA (cairo CAIRO_FORMAT_ARGB32 or RGB24:
 * native-endian 32-bit pixels, rows STRIDE bytes apart; alpha is dropped, so
 * the image should be opaque) to PATH atomically, with the N_TEXTS texts in
 * their given order. TH_ERROR_IO on failure (nothing left behind).
 * O(WIDTH * HEIGHT). */
gboolean th_png_write(const char *path, const uint8_t *data, int width, int height, int stride,
                      const ThPngText *texts, int n_texts, GError **error);

G_END_DECLS

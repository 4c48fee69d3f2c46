/* png-write.c: libpng writer (see png-write.h). */
#include "output/png-write.h"
#include "network/th-error.h"
#include "network/atomic.h"

#include <png.h>
#include <string.h>

static gboolean is_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return FALSE;
  return TRUE;
}

/* libpng reports errors by longjmp; everything it must not skip over lives
 * in this struct, owned by the caller. */
typedef struct {
  png_structp png;
  png_infop info;
  png_bytep row;
  png_textp text;
} PngJob;

static gboolean write_stream(FILE *fp, const uint8_t *data, int w, int h, int stride,
                             const ThPngText *texts, int n_texts, PngJob *job) {
  job->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  if (!job->png) return FALSE;
  job->info = png_create_info_struct(job->png);
  if (!job->info) return FALSE;
  if (setjmp(png_jmpbuf(job->png))) return FALSE;
  png_init_io(job->png, fp);
  /* fixed settings: the bytes depend on the pixels only */
  png_set_compression_level(job->png, 9);
  png_set_compression_strategy(job->png, 1 /* Z_FILTERED */);
  png_set_filter(job->png, 0, PNG_FILTER_PAETH);
  png_set_IHDR(job->png, job->info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (n_texts > 0) {
    job->text = g_new0(png_text, n_texts);
    for (int i = 0; i < n_texts; i++) {
      png_textp t = &job->text[i];
      t->key = (png_charp)texts[i].key;
      t->text = (png_charp)texts[i].value;
      if (is_ascii(texts[i].value)) {
        t->compression = PNG_TEXT_COMPRESSION_NONE;
        t->text_length = strlen(texts[i].value);
      } else {
        t->compression = PNG_ITXT_COMPRESSION_NONE;
        t->itxt_length = strlen(texts[i].value);
        t->lang = (png_charp) "";
        t->lang_key = (png_charp) "";
      }
    }
    png_set_text(job->png, job->info, job->text, n_texts);
  }
  png_write_info(job->png, job->info);
  job->row = g_malloc((size_t)w * 3);
  for (int y = 0; y < h; y++) {
    const uint32_t *src = (const uint32_t *)(data + (size_t)y * stride);
    for (int x = 0; x < w; x++) {
      uint32_t p = src[x];
      job->row[3 * x] = (p >> 16) & 0xff;
      job->row[3 * x + 1] = (p >> 8) & 0xff;
      job->row[3 * x + 2] = p & 0xff;
    }
    png_write_row(job->png, job->row);
  }
  png_write_end(job->png, NULL);
  return TRUE;
}

gboolean th_png_write(const char *path, const uint8_t *data, int width, int height, int stride,
                      const ThPngText *texts, int n_texts, GError **error) {
  g_return_val_if_fail(width > 0 && height > 0 && stride >= 4 * width, FALSE);
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  PngJob job = {0};
  gboolean ok =
      write_stream(th_atomic_stream(f), data, width, height, stride, texts, n_texts, &job);
  png_destroy_write_struct(&job.png, &job.info);
  g_free(job.row);
  g_free(job.text);
  if (!ok) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: could not write the PNG image", path);
    return FALSE;
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

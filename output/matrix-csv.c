/* matrix-csv.c: wide matrix CSV (see matrix-csv.h). */
#include "output/matrix-csv.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "output/omx.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

char *th_format_double(char *buf, double v) {
  if (!isfinite(v)) {
    buf[0] = '\0';
    return buf;
  }
  /* "%.15g" is what a person expects (31.5, not 31.500000000000004); the
   * wider forms only when it would not read back to the same value */
  for (int prec = 15; prec <= 17; prec++) {
    g_snprintf(buf, 32, "%.*g", prec, v);
    if (g_ascii_strtod(buf, NULL) == v) break;
  }
  return buf;
}

static gboolean write_one(const ThOdTimeMatrices *t, const double *v, const char *path,
                          GError **error) {
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (!f) return FALSE;
  FILE *fp = th_atomic_stream(f);
  int n = t->n_zones;
  fputs("origin", fp);
  for (int j = 0; j < n; j++)
    fprintf(fp, ",%" G_GINT64_FORMAT, t->zone_id[j]);
  fputc('\n', fp);
  char buf[32];
  for (int i = 0; i < n; i++) {
    fprintf(fp, "%" G_GINT64_FORMAT, t->zone_id[i]);
    for (int j = 0; j < n; j++) {
      fputc(',', fp);
      fputs(th_format_double(buf, v[(size_t)i * n + j]), fp);
    }
    fputc('\n', fp);
  }
  return th_atomic_commit(g_steal_pointer(&f), error);
}

gboolean th_matrix_csv_write(const ThOdTimeMatrices *t, const char *dir, int *n_files,
                             GError **error) {
  if (n_files) *n_files = 0;
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the folder", dir);
    return FALSE;
  }
  for (guint i = 0; i < t->mats->len; i++) {
    const ThOdMatrix *m = t->mats->pdata[i];
    const double *q[TH_OD_N_QUANTITIES] = TH_OD_MATRIX_QUANTITIES(m);
    for (int k = 0; k < TH_OD_N_QUANTITIES; k++) {
      if (!q[k]) continue;
      g_autofree char *name = th_od_matrix_name(m, k);
      g_autofree char *file = g_strconcat(name, ".csv", NULL);
      g_autofree char *path = g_build_filename(dir, file, NULL);
      if (!write_one(t, q[k], path, error)) return FALSE;
      if (n_files) (*n_files)++;
    }
  }
  return TRUE;
}

/* omx.c: OMX 0.2 writer (see omx.h): matrix names here, the HDF5 work in
 * the module libth-omx.so (omx-hdf5.c), loaded on the first OMX file so that
 * no other command pays for loading HDF5. */
#include "output/omx.h"
#include "network/module.h"
#include "network/th-error.h"
#include "network/atomic.h"

#include <string.h>

const char *const th_od_quantity[TH_OD_N_QUANTITIES] = {"time_min", "distance_km", "cost",
                                                        "wait_min", "transfers"};
static const char *const quantity_unit[TH_OD_N_QUANTITIES] = {"min", "km", "yuan", "min", "1"};

char *th_od_matrix_name(const ThOdMatrix *m, int q) {
  g_autofree char *raw = g_strdup_printf("%s_%s_%s", m->mode, m->period, th_od_quantity[q]);
  /* HDF5 names may not contain '/', file names neither */
  return g_strdelimit(g_steal_pointer(&raw), "/\\ ", '_');
}

typedef void *(*ImageFunc)(const ThOdTimeMatrices *t, char *const *names,
                           const char *const *quantity, const char *const *unit, gsize *len);

/* The module: where the build put it (TH_OMX_MODULE), else beside the
 * program in output/ (a build folder moved elsewhere). Loaded once. */
static const char *const names[] = {"th_omx_module_image"};
static gpointer sym[1];
static ThModule omx_module = TH_MODULE(TH_OMX_MODULE, "output", "libth-omx.so",
                                       "OMX export needs the HDF5 module", names, 1, sym);

gboolean th_omx_write(const ThOdTimeMatrices *t, const char *path, GError **error) {
  if (!th_module_load(&omx_module, error)) return FALSE;
  ImageFunc image = (ImageFunc)sym[0];
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < t->mats->len; i++)
    for (int k = 0; k < TH_OD_N_QUANTITIES; k++)
      g_ptr_array_add(names, th_od_matrix_name(t->mats->pdata[i], k));
  gsize len = 0;
  void *data = image(t, (char *const *)names->pdata, th_od_quantity, quantity_unit, &len);
  g_ptr_array_unref(names);
  if (!data) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: writing the OMX matrices failed", path);
    return FALSE;
  }
  gboolean ok = th_atomic_write(path, data, len, error);
  g_free(data);
  return ok;
}

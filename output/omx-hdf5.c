/* omx-hdf5.c: the HDF5 half of the OMX writer, built as a module
 * (libth-omx.so) that output/omx.c loads the first time an OMX file is
 * written. HDF5 and the libraries it pulls in (curl, krb5, ldap, ssl: 28 of
 * the 91 libraries taihang linked) cost every command 17 ms at start-up
 * (an empty program linked with taihang's libraries: 47 ms, without HDF5:
 * 30 ms), though only `taihang export --omx` uses them.
 *
 * It uses no taihang function, only the table types of
 * output/results-read.h, so it links HDF5 and GLib alone. */
#include "output/omx.h"

#include <gmodule.h>
#include <hdf5.h>
#include <string.h>

static gboolean string_attr(hid_t obj, const char *name, const char *value) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, strlen(value) > 0 ? strlen(value) : 1);
  H5Tset_cset(type, H5T_CSET_UTF8);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = attr < 0 ? -1 : H5Awrite(attr, type, strlen(value) > 0 ? value : "");
  if (attr >= 0) H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  return st >= 0;
}

/* The OMX image of T in memory (g_free), its size in *LEN; NULL on
 * failure. NAMES: TH_OD_N_QUANTITIES dataset names per matrix (quantities in th_od_quantity
 * order), QUANTITY and UNIT the quantities' names and units. */
G_MODULE_EXPORT void *th_omx_module_image(const ThOdTimeMatrices *t, char *const *names,
                                          const char *const *quantity, const char *const *unit,
                                          gsize *len);

void *th_omx_module_image(const ThOdTimeMatrices *t, char *const *names, const char *const *quantity,
                          const char *const *unit, gsize *len) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors travel as GError, not stderr */
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_core(fapl, 1 << 20, 0); /* in memory, no backing file */
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  g_autofree char *scratch = g_strdup_printf("taihang-omx-%p", (void *)t);
  hid_t file = H5Fcreate(scratch, H5F_ACC_TRUNC, fcpl, fapl);
  H5Pclose(fcpl);
  H5Pclose(fapl);
  if (file < 0) return NULL;
  gboolean ok = TRUE;
  hsize_t n = (hsize_t)t->n_zones;
  ok &= string_attr(file, "OMX_VERSION", "0.2");
  {
    int32_t shape[2] = {(int32_t)n, (int32_t)n};
    hsize_t two = 2;
    hid_t sp = H5Screate_simple(1, &two, NULL);
    hid_t a = H5Acreate2(file, "SHAPE", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    ok &= a >= 0 && H5Awrite(a, H5T_NATIVE_INT32, shape) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
  }
  /* no modification times anywhere: same tables, same bytes */
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_obj_track_times(gcpl, 0);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, 0);
  hid_t data = H5Gcreate2(file, "data", H5P_DEFAULT, gcpl, H5P_DEFAULT);
  hid_t lookup = H5Gcreate2(file, "lookup", H5P_DEFAULT, gcpl, H5P_DEFAULT);
  ok &= data >= 0 && lookup >= 0;
  hsize_t dims[2] = {n, n};
  for (guint i = 0; ok && i < t->mats->len; i++) {
    const ThOdMatrix *m = t->mats->pdata[i];
    const double *q[TH_OD_N_QUANTITIES] = TH_OD_MATRIX_QUANTITIES(m);
    for (int k = 0; ok && k < TH_OD_N_QUANTITIES; k++) {
      if (!q[k]) continue;
      const char *name = names[TH_OD_N_QUANTITIES * i + k];
      hid_t sp = H5Screate_simple(2, dims, NULL);
      hid_t ds = H5Dcreate2(data, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
      ok &= ds >= 0 &&
            (n == 0 || H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, q[k]) >= 0);
      if (ds >= 0) {
        ok &= string_attr(ds, "mode", m->mode);
        ok &= string_attr(ds, "period", m->period);
        ok &= string_attr(ds, "quantity", quantity[k]);
        ok &= string_attr(ds, "unit", unit[k]);
        H5Dclose(ds);
      }
      H5Sclose(sp);
    }
  }
  if (ok) {
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t ds = H5Dcreate2(lookup, "zone_id", H5T_STD_I64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    ok &= ds >= 0 && (n == 0 || H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                         t->zone_id) >= 0);
    if (ds >= 0) H5Dclose(ds);
    H5Sclose(sp);
  }
  if (data >= 0) H5Gclose(data);
  if (lookup >= 0) H5Gclose(lookup);
  H5Pclose(gcpl);
  H5Pclose(dcpl);
  void *image = NULL;
  ssize_t size = -1;
  if (ok && H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0) {
    size = H5Fget_file_image(file, NULL, 0);
    if (size > 0) {
      image = g_malloc((gsize)size);
      if (H5Fget_file_image(file, image, (size_t)size) != size) size = -1;
    }
  }
  H5Fclose(file);
  if (!ok || size <= 0) {
    g_free(image);
    return NULL;
  }
  *len = (gsize)size;
  return image;
}

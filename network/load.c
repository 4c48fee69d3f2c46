/* load.c: choose the reader by the path's kind, then validate the whole. */
#include "network/load.h"
#include "network/csv.h"
#include "network/gmns.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "network/validate.h"

ThNetwork *th_network_load_opt(const char *path, gboolean strict, GPtrArray *warnings,
                               GError **error) {
  g_autoptr(ThNetwork) net = NULL;
  g_autofree char *base = g_path_get_basename(path);
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    net = th_gmns_read_full(path, warnings, error);
  } else if (g_str_has_suffix(path, ".tntp")) {
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                  "%s: no such file (a TNTP *_net.tntp file was expected)", path);
      return NULL;
    }
    net = th_tntp_read_net(path, error);
  } else if (g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
             (!g_strcmp0(base, "node.csv") || !g_strcmp0(base, "link.csv"))) {
    g_autofree char *dir = g_path_get_dirname(path);
    net = th_gmns_read_full(dir, warnings, error);
  } else {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: %s (a GMNS folder with node.csv and link.csv, or a TNTP *_net.tntp file, "
                "was expected)",
                path, g_file_test(path, G_FILE_TEST_EXISTS) ? "not a network" : "no such file or folder");
    return NULL;
  }
  if (!net) return NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  if (strict) {
    th_network_validate(net, errors, warnings);
  } else {
    th_validate_coordinates(net, errors, warnings);
    g_autoptr(GPtrArray) cut = g_ptr_array_new_with_free_func(g_free);
    g_autofree guint8 *flags = g_new0(guint8, net->n_zones > 0 ? net->n_zones : 1);
    if (th_validate_zone_cut_off(net, TH_MODE_ROAD, cut, flags) > 0) {
      net->zone_cut_off = g_steal_pointer(&flags);
      for (guint i = 0; i < cut->len; i++)
        if (warnings) g_ptr_array_add(warnings, g_strdup(cut->pdata[i]));
    }
    if (warnings) {
      th_validate_sanity(net, warnings);
      th_validate_length_unit(net, warnings);
    }
  }
  if (th_problems_to_error(errors, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&net);
}

ThNetwork *th_network_load_full(const char *path, GPtrArray *warnings, GError **error) {
  return th_network_load_opt(path, TRUE, warnings, error);
}

ThNetwork *th_network_load(const char *path, GError **error) {
  return th_network_load_full(path, NULL, error);
}

/* gmns.c: placeholder until the foundation readers land. */
#include "network/gmns.h"
#include "network/th-error.h"

ThNetwork *th_gmns_read(const char *dir, GError **error) {
  g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "%s: GMNS reading is not built yet", dir);
  return NULL;
}

gboolean th_gmns_write(const ThNetwork *net, const char *dir, GError **error) {
  g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "%s: GMNS writing is not built yet", dir);
  return FALSE;
}

/* load.c: placeholder until the foundation readers land. */
#include "network/load.h"
#include "network/th-error.h"

ThNetwork *th_network_load(const char *path, GError **error) {
  g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "%s: network loading is not built yet", path);
  return NULL;
}

/* tntp.c: placeholder until the TNTP reader lands. */
#include "network/tntp.h"
#include "network/th-error.h"

ThNetwork *th_tntp_read_net(const char *path, GError **error) {
  g_set_error(error, TH_ERROR, TH_ERROR_FAILED, "%s: TNTP reading is not built yet", path);
  return NULL;
}

/* th-error.c: the TH_ERROR domain. */
#include "network/th-error.h"

G_DEFINE_QUARK(th-error-quark, th_error)

int th_error_exit_status(const GError *error) {
  if (error == NULL) return 0;
  if (error->domain == TH_ERROR &&
      (error->code == TH_ERROR_PARSE || error->code == TH_ERROR_INVALID))
    return 2;
  if (error->domain == G_OPTION_ERROR || error->domain == G_KEY_FILE_ERROR) return 2;
  return 1;
}

/* th-error.h: the TH_ERROR domain that every recoverable failure travels in.
 *
 * Messages that concern an input file have the form
 *   FILE:LINE: what is wrong (what was expected)
 * so a planner can fix the file without reading our code. The command maps
 * TH_ERROR_PARSE and TH_ERROR_INVALID to exit status 2 (bad input),
 * everything else to 1 (runtime failure). */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define TH_ERROR (th_error_quark())
GQuark th_error_quark(void);

typedef enum {
  TH_ERROR_PARSE,    /* a file is not of the expected form (bad number, missing column) */
  TH_ERROR_INVALID,  /* well-formed input that makes no sense (unknown node, negative capacity) */
  TH_ERROR_IO,       /* cannot open, read, write or rename */
  TH_ERROR_FAILED    /* a runtime failure that is not the input's fault */
} ThErrorCode;

/* Exit status for an error: 2 for bad input or usage, 1 otherwise. */
int th_error_exit_status(const GError *error);

G_END_DECLS

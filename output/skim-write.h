/* skim-write.h: travel-time tables (skims) as long CSV.
 *
 * Format (UTF-8, header row, one row per reachable origin-destination pair,
 * origins in the order asked, destinations in zone-id order):
 *   origin,destination,mode,time_min,distance_km,cost
 * origin/destination are zone ids; numbers have 4 decimals (%.4f in the C
 * locale), so the file is byte-identical for any thread count. Pairs that
 * cannot be reached on the mode are omitted (absent row = unreachable); the
 * origin's own row (all zeros) is written. */
#pragma once
#include "network/skim.h"

#include <stdio.h>

G_BEGIN_DECLS

/* Computes the skim of NET with P from the N_ORIGINS zone indices in ORIGINS
 * (NULL: every zone) and writes it to PATH atomically (nothing is left at
 * PATH on failure). MODE_NAME is written in the mode column. Errors:
 * TH_ERROR_IO when the file cannot be written. */
gboolean th_skim_write_csv(const char *path, const ThNetwork *net, const ThSkimParams *p,
                           const int *origins, int n_origins, const char *mode_name,
                           GError **error);

/* Writes the rows of one origin to OUT in the format above (no header). */
void th_skim_write_rows(FILE *out, const ThNetwork *net, const ThSkimRow *row,
                        const char *mode_name);

G_END_DECLS

/* matrix-csv.h: travel-time tables as wide CSV matrices for spreadsheets.
 *
 * One file per (mode, period, quantity): DIR/MODE_PERIOD_QUANTITY.csv (the
 * same names as the OMX datasets), rows = origins, columns = destinations,
 * the header "origin,ZONE,ZONE,..." and each row "ZONE,v,v,..." in zone-id
 * order. Values are written in the shortest form that reads back to the
 * same double; an empty cell is a NaN (see ThOdMatrix for when). Skim
 * tables also give DIR/skim_MODE_PERIOD_wait_min.csv and _transfers.csv. */
#pragma once
#include "output/results-read.h"

G_BEGIN_DECLS

/* Writes every matrix of T into folder DIR (created if missing), each file
 * atomically. Returns the number of files written in *n_files.
 * TH_ERROR_IO on failure. O(tables * zones^2). */
gboolean th_matrix_csv_write(const ThOdTimeMatrices *t, const char *dir, int *n_files, GError **error);

/* Shortest decimal text of V that parses back to V exactly (NaN: ""),
 * into BUF of at least 32 bytes; returns BUF. */
char *th_format_double(char *buf, double v);

G_END_DECLS

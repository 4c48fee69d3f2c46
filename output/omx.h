/* omx.h: Open Matrix (OMX 0.2) files, the HDF5 exchange format of Emme,
 * Visum, TransCAD, Cube and AequilibraE.
 *
 * Layout (https://github.com/osPlanning/omx/wiki/Specification, version 0.2):
 *   /            attributes OMX_VERSION = "0.2" (string), SHAPE = int32[2]
 *   /data/NAME   float64 [zones x zones], rows = origins; attributes mode,
 *                period, quantity, unit. NAME = MODE_PERIOD_QUANTITY with
 *                QUANTITY time_min | distance_km | cost (e.g.
 *                road_day_time_min). Cells without a trip row are NaN.
 *   /lookup/zone_id  int64 [zones]: the zone id of each row and column.
 * The file is built in memory (HDF5 core driver, modification times off) and
 * written atomically, so the same tables give the same bytes. */
#pragma once
#include "output/results-read.h"

G_BEGIN_DECLS

/* Dataset name of quantity Q (0 time_min, 1 distance_km, 2 cost) of M
 * (caller frees); also the file stem of the wide CSV of that matrix. */
char *th_od_matrix_name(const ThOdMatrix *m, int q);
/* The three quantities' names and units, indexed as above. */
extern const char *const th_od_quantity[3];

/* Writes T to PATH as OMX. TH_ERROR_IO on failure (nothing left behind).
 * O(tables * zones^2). */
gboolean th_omx_write(const ThOdTimeMatrices *t, const char *path, GError **error);

G_END_DECLS

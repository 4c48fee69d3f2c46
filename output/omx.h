/* omx.h: Open Matrix (OMX 0.2) files, the HDF5 exchange format of Emme,
 * Visum, TransCAD, Cube and AequilibraE.
 *
 * Layout (https://github.com/osPlanning/omx/wiki/Specification, version 0.2):
 *   /            attributes OMX_VERSION = "0.2" (string), SHAPE = int32[2]
 *   /data/NAME   float64 [zones x zones], rows = origins; attributes mode,
 *                period, quantity, unit. NAME = MODE_PERIOD_QUANTITY with
 *                QUANTITY time_min | distance_km | cost | wait_min |
 *                transfers (the last two for skims only) and MODE skim_M
 *                (complete skims, e.g. skim_road_am_time_min) or observed_M
 *                (means of simulated trips, e.g. observed_road_day_time_min;
 *                cells without a trip row are NaN): see ThOdMatrix.
 *   /lookup/zone_id  int64 [zones]: the zone id of each row and column.
 * The file is built in memory (HDF5 core driver, modification times off) and
 * written atomically, so the same tables give the same bytes. */
#pragma once
#include "output/results-read.h"

G_BEGIN_DECLS

/* Dataset name of quantity Q (0 time_min, 1 distance_km, 2 cost,
 * 3 wait_min, 4 transfers) of M (caller frees); also the file stem of the
 * wide CSV of that matrix. */
char *th_od_matrix_name(const ThOdMatrix *m, int q);
/* The quantities' names, indexed as above. */
extern const char *const th_od_quantity[TH_OD_N_QUANTITIES];

/* Writes T to PATH as OMX. TH_ERROR_IO on failure (nothing left behind).
 * O(tables * zones^2). */
gboolean th_omx_write(const ThOdTimeMatrices *t, const char *path, GError **error);

G_END_DECLS

/* calibrate-internal.h: what the files of the calibration workflows share
 * (not an API): calibrate.c the shared pieces, calibrate-network.c ODME on a
 * network with an OD table, calibrate-scenario.c the scenario loop. */
#pragma once
#include "network/hubs.h"
#include "network/network.h"
#include "network/services.h"
#include "network/tntp.h"
#include "scenarios/calibrate.h"
#include "sim/odme.h"

G_BEGIN_DECLS

/* One demand class of a calibration: its prior (or estimated) OD triples,
 * table and fixed link costs. */
typedef struct {
  char *name;
  double pcu;
  GArray *o, *d, *t;
  ThOdTable *od;
  double *fixed;
} CalClass;

void cal_class_clear(gpointer p);
/* The class NAME of CLASSES, added (built-in pcu, else 1) when missing. */
CalClass *cal_class(GArray *classes, const char *name);

/* Validates the results at SRC_PATH (folder or flows file) into
 * OUT_DIR/STEM*; *MOD_OUT (may be NULL) gets the modelled values. */
gboolean cal_validate_into(const char *src_path, const ThCalibOptions *o, const char *stem,
                           const char *title, ThValidationSummary *sum, double **mod_out,
                           GError **error);

/* Every link, screenline, line and hub the observations name must exist
 * before anything is written (FILE:LINE, every one). SERVICES and HUBS may
 * be NULL (not checked). */
gboolean cal_check_observations(const ThNetwork *net, const ThServices *services,
                                const ThHubs *hubs, const ThCalibOptions *o, GError **error);

/* The road traffic link counts of OBS as ODME counts with class weights
 * (owned by WEIGHTS); counts no class is weighed by are described in
 * SKIPPED; OBS_INDEX (may be NULL) gets each count's observation index. */
GArray *cal_odme_counts(const ThNetwork *net, const ThObserved *obs, GArray *classes,
                        GPtrArray *weights, GPtrArray *skipped, GArray *obs_index);

/* The zones flagged in INSIDE (n_zones flags, NULL: every zone) as the
 * set of zone ids as written (th_calib_parse_zone_list's form); NULL when
 * INSIDE is NULL. */
GHashTable *cal_internal_labels(const ThNetwork *net, const guint8 *inside);

/* The period of the first link count (a day when there is none). */
void cal_counts_period(const ThObserved *obs, int64_t *start, int64_t *end);

G_END_DECLS

/* multimodal-write.h: the multimodal files of a results folder.
 *
 *   services_out.csv  line,name,mode,kind,run,departure,boardings,boarded_load,
 *                     peak_load,capacity,load_factor,left_behind,load_km,
 *                     boardings_sample,left_behind_sample
 *                     (one row per run; load = passengers or tonnes;
 *                     load_factor = peak_load / capacity)
 *   stops_out.csv     line,name,mode,kind,stop_seq,stop,stop_name,boardings,alightings,
 *                     boarded_load,alighted_load,boardings_sample,alightings_sample
 *                     (one row per line and stop, in services.csv order; stop_seq
 *                     1.. along the line; stop = the node id as written;
 *                     boardings / alightings = riders (passengers or shipments)
 *                     entering / leaving the line's runs there over the day;
 *                     *_load = passengers or tonnes)
 *   hubs_out.csv      node_id,name,kind,tonnes_handled,shipments,mean_queue_min,peak_queue_t,
 *                     over_dwell_limit (shipments longer than dwell_limit_h at the hub before
 *                     their train left, or still there at the horizon),shipments_sample
 * The sampling rule: a run of a sample (sample_factor f < 1) simulates every
 * capacity x f (sim/transit.h); these tables expand its counts and loads by
 * 1 / f to the full demand, so they stand beside the full capacities and
 * handling rates, and give the simulated counts themselves in the columns
 * named *_sample. Queue times are times (not scaled).
 *   network/services.csv, network/hubs.csv  the timetable and hubs the run used
 *
 * Written atomically (network/atomic.h); fixed decimals, no locale, so equal
 * results give byte-identical files. */
#pragma once
#include "network/hubs.h"
#include "network/services.h"
#include "sim/multimodal.h"

G_BEGIN_DECLS

/* Writes the files above into DIR (which exists). SERVICES and HUBS may be
 * NULL (then their files are not written). TH_ERROR_IO on failure. */
gboolean th_multimodal_write(const char *dir, const ThMultimodalResults *r, const ThNetwork *net,
                             const ThServices *services, const ThHubs *hubs, GError **error);
/* As th_multimodal_write without network/services.csv and network/hubs.csv,
 * for a caller that writes its own network/ (a scenario run writes the
 * resolved tables: writing them here too wrote each file twice). */
gboolean th_multimodal_write_results(const char *dir, const ThMultimodalResults *r,
                                     const ThNetwork *net, const ThServices *services,
                                     const ThHubs *hubs, GError **error);

G_END_DECLS

/* results-write.h: the results folder of `taihang run`.
 *
 *   run.ini              [run] taihang_version, scenario, seed, iterations,
 *                        relative_gap, sample_factor, horizon_s, bin_s,
 *                        network_fingerprint, trips, arrived, stuck, unserved,
 *                        en_route (no times, no dates, no thread counts)
 *   network/             the network the run used (th_gmns_write)
 *   trips_out.csv        id,class,mode,origin,destination,depart,arrive,travel_time_s,status
 *                        (+ wait_s,transfers,gen_cost when the results have them,
 *                        depart_delay_s when the engine had departure queues,
 *                        purpose when the demand has purposes: sim/trips.h)
 *   link_flows.csv       link_id,from_node_id,to_node_id,class,mode,vehicles,pcu,
 *                        passengers,tonnes,mean_travel_time_s,free_flow_time_s,capacity_vph
 *   link_flows_bins.csv  link_id,class,bin_start_s,vehicles,mean_travel_time_s
 *   od_times.csv         origin,destination,class,mode,period,trips,time_min,distance_km,cost,
 *                        trips_sample (trips expanded by 1/sample_factor, three
 *                        decimals when sample_factor < 1; trips_sample as simulated)
 *   convergence.csv      iteration,relative_gap,switched_share,mean_travel_time_s,
 *                        arrived,stuck,unserved,en_route
 *   events.csv.gz        time,event,trip_id,link_id (only when asked and recorded)
 *
 * Every file is written atomically (network/atomic.h). Numbers are written
 * with a fixed number of decimals and no locale, so the same results give
 * byte-identical files. */
#pragma once
#include "network/network.h"
#include "sim/classes.h"
#include "sim/results.h"
#include "sim/trips.h"

G_BEGIN_DECLS

typedef struct {
  const char *scenario;  /* scenario name for run.ini, or NULL */
  gboolean events;       /* write events.csv.gz (if the results have a log) */
  gboolean no_network;   /* do not write network/ (callers that write their own) */
  gboolean no_run_ini;   /* do not write run.ini: the caller writes it last, with
                            th_results_write_run_ini, after its own files */
} ThResultsWriteOptions;

/* Writes the results folder DIR (created if missing; files in it replaced).
 * TH_ERROR_IO on failure. O(size of the results). */
gboolean th_results_write(const char *dir, const ThRunResults *r, const ThNetwork *net,
                          const ThTrips *trips, const ThClassTable *classes,
                          const ThResultsWriteOptions *opt, GError **error);

/* run.ini into DIR: the marker of a complete results folder, so written
 * after every other file (output/results-dir.h). */
gboolean th_results_write_run_ini(const char *dir, const ThRunResults *r, const ThNetwork *net,
                                  const ThTrips *trips, const ThResultsWriteOptions *opt,
                                  GError **error);

/* The single files, for callers that need only one (PATH is the file). */
gboolean th_results_write_trips(const char *path, const ThRunResults *r, const ThNetwork *net,
                                const ThTrips *trips, const ThClassTable *classes, GError **error);
gboolean th_results_write_link_flows(const char *path, const ThRunResults *r, const ThNetwork *net,
                                     const ThClassTable *classes, GError **error);
gboolean th_results_write_link_bins(const char *path, const ThRunResults *r, const ThNetwork *net,
                                    const ThClassTable *classes, GError **error);
gboolean th_results_write_od_times(const char *path, const ThRunResults *r, const ThNetwork *net,
                                   const ThTrips *trips, const ThClassTable *classes, GError **error);
gboolean th_results_write_convergence(const char *path, const ThRunResults *r, GError **error);
gboolean th_results_write_events(const char *path, const ThRunResults *r, const ThNetwork *net,
                                 const ThTrips *trips, GError **error);

G_END_DECLS

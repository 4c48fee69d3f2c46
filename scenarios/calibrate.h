/* calibrate.h: the calibration workflows behind `taihang calibrate` and the
 * shared pieces of `taihang validate`.
 *
 * On a network with a prior OD table (`calibrate NET --trips PRIOR.csv`):
 *   1. assign the prior to equilibrium (sim/assign.h) and validate it;
 *   2. estimate the demand from the link counts by Spiess's gradient method
 *      (sim/odme.h), close to the prior (cells change by factors; empty cells
 *      stay empty);
 *   3. assign the estimate and validate it; write the estimate as trips.csv
 *      (origin,destination,class,trips) or, when the prior was a GMNS
 *      demand.csv (o_zone_id,d_zone_id,volume), as demand.csv;
 *   4. confirm in the simulation (GMNS networks, unless switched off): the
 *      estimate as individual trips (cells rounded with the remainder carried
 *      from cell to cell, departures spread evenly over the period of the
 *      counts), simulated to equilibrium (sim/simulate.h) into simulation/
 *      and validated (validation_simulation.csv) on the day's totals (the
 *      run's whole demand is the counts' period); a simulation that does
 *      not confirm is reported (NOT CONFIRMED), not counted as a target
 *      not met.
 * Names the observations use (links, FROM>TO pairs, screenlines, lines,
 * hubs) are checked against the network (and a scenario's services and
 * hubs) before anything is written.
 * On a scenario (`calibrate SCENARIO.ini`):
 *   1. run the scenario as it is and validate it (validation_before);
 *   2. fit the gravity deterrence beta of each purpose with a mean_trip_min
 *      target of class work or other to the mean free-flow generalized
 *      minutes of that purpose's synthetic matrix in the target's market
 *      (Hyman's step beta x model mean / target mean until the target is
 *      bracketed, then geometric bisection, to 0.5 %; beta in 1e-6..2 per
 *      minute, and a target outside that range is refused with its reason);
 *      without such targets, fit the first trip_length_share distribution:
 *      one factor on both betas maximizing the run's coincidence ratio
 *      (grid 2^(k/2) in 1/16..8, then golden section on ln factor to 3 %;
 *      runs/distribution-N, the best as runs/distribution; below 0.7 NOT
 *      MET);
 *   3. fit the mode constants of the passenger class car to the mode_share
 *      targets, one per mode and market: asc.car.MODE for `all`,
 *      asc.car.MODE.MARKET for internal, external, through (sim/choice.h: a
 *      market's own replaces the class's; an `all` target is validated when
 *      all three markets have one; a second row of a mode and market is
 *      validated): run, asc += ln(target / model), until every fitted share
 *      is within the tolerance or the iterations are used up; then a mode
 *      more than 5 % of whose choosers did not arrive is reported NOT
 *      SERVED (a share counts choices);
 *   4. validate the last run (validation_after) and write calibrated.ini: a
 *      scenario whose base is the input and which sets the fitted
 *      [demand] beta_PURPOSE, od_factors and [choice] asc.car.MODE.
 *   5. with road traffic counts: ODME for the scenario (odme_scenario in
 *      calibrate-scenario.c): the last run's road vehicles as the prior,
 *      Spiess on static assignment with targets corrected by static /
 *      simulated prior flow per count, written as per-OD factors per class
 *      (od_factors.csv, origin,destination,factor,class) that calibrated.ini
 *      sets as [demand] od_factors (sim/od-factors.h), run (runs/odme) and
 *      validated as validation_after.
 *   Screenlines of a scenario are validated, not fitted.
 * Both print the before/after statistics and every target not met with its
 * reason, and return TRUE with *NOT_MET set when one was not met (files are
 * still written); FALSE with ERROR on bad input or failure. */
#pragma once
#include "sim/observed.h"
#include "sim/validation.h"

G_BEGIN_DECLS

/* "1-18;25,A7" -> set of zone ids as written (strings, g_str_hash): the
 * text a results file writes for a zone (th_network_zone_label), so GMNS
 * text ids work as numbers do. Parts are separated by ',' or ';' and
 * stripped; a part a-b of two whole numbers is the range of whole-number
 * ids a..b; any other part is one id as written (a text id may hold '-' or
 * spaces). TH_ERROR_INVALID for a range with a > b or of 10 million ids or
 * more. Whether the ids exist is checked against a network by
 * th_model_source_values. O(ids). */
GHashTable *th_calib_parse_zone_list(const char *s, GError **error);

/* Writes DIR/STEM.csv, DIR/STEM_summary.csv and DIR/STEM.png (DIR is
 * created). */
gboolean th_calib_write_validation(const char *dir, const char *stem, const ThObserved *obs,
                                   const double *modelled, const ThValidationSummary *s,
                                   const char *title, GError **error);

typedef struct {
  const char *out_dir;
  const ThObserved *obs;
  const ThScreenlines *screenlines; /* or NULL */
  GHashTable *internal;             /* study-area zone ids or NULL (network workflow) */
  int threads;
  int max_iterations;               /* ODME assignments / scenario runs (default 10 / 8) */
  double share_tolerance;           /* scenario: fitted shares within this (0.01 = 1 point) */
  double gap;                       /* assignment relative gap */
  gboolean quiet;
  gboolean simulate;                /* network workflow: confirm in the simulation */
} ThCalibOptions;

/* The network workflow. FALSE with ERROR on bad input or failure; TRUE
 * with *NOT_MET set when a target was not met. Cost: --iterations
 * equilibria plus one simulation. */
gboolean th_calib_network(const char *net_path, const char *prior_path, const ThCalibOptions *o,
                          gboolean *not_met, GError **error);

/* The scenario workflow, as th_calib_network. */
gboolean th_calib_scenario(const char *scenario_path, const ThCalibOptions *o, gboolean *not_met,
                           GError **error);

G_END_DECLS

/* scenario-demand.h: the [demand] section of a scenario turned into the
 * demand synthesis (sim/demand.h), and the trips of a scenario.
 *
 * [demand] keys (all optional; defaults of th_demand_params_init):
 *   year, base_year, annual_growth   growth factor (1 + annual_growth)^(year - base_year)
 *   growth                           a further factor on all demand
 *   growth_zone_Z, annual_growth_zone_Z   per zone (id or name) factor / yearly rate
 *   internal_zones = 1-18;40         the study area (ids and id ranges); default all zones
 *   trip_rate, external_rate, external_decay, through, share_work, alpha_work,
 *   beta_work, alpha_other, beta_other, vot, cost_per_km, ipf_iterations, ipf_tolerance
 *   passengers, freight (1/0)        which parts to synthesize
 *   coal_tpd, ceramics_tpd, agri_tpd, general_tpd   tonnes per day
 *   coal_origins = 2:3;4:2 ...       origin weights per zone (COMMODITY_origins)
 *   coal_destinations = 25:0.3 ...   destination weights (COMMODITY_destinations)
 *   freight_beta, sample
 *   od_factors = od_factors.csv      per-OD factors applied to the synthesized trips
 *                                    (origin,destination,factor[,class]; sim/od-factors.h;
 *                                    relative to the file that names it)
 *   COMMODITY_growth, COMMODITY_annual_growth   freight factor and yearly rate per commodity
 *   tourism_sites, tourism_day, tourism_beta    tourism (sim/demand-tourism.h)
 *   longdist_rate_50_150 ... longdist_pop_300_600   long-distance bands (sim/demand-longdist.h)
 *   car_share, car_share_zones = 1:0.45;2:0.26  who may drive (sim/car-ownership.h; read
 *                                    by th_scenario_car_shares for the run, not the synthesis)
 * The seed is [sim] seed. */
#pragma once
#include "scenarios/scenario.h"
#include "sim/demand.h"

G_BEGIN_DECLS

/* Synthesizes the demand of SC on NET with CLASSES, then applies [demand]
 * od_factors when set (STATS are of the synthesis, before the factors).
 * Bad [demand] values are reported "FILE: [demand] KEY ..."
 * (TH_ERROR_INVALID), every one; a bad od_factors file as FILE:LINE of its
 * rows. STATS may be NULL. */
ThTrips *th_scenario_demand(const ThScenario *sc, const ThNetwork *net,
                            const ThClassTable *classes, ThDemandStats **stats, GError **error);

/* The study area of SC ([demand] internal_zones) on NET: n_zones flags (1 =
 * study-area zone), or NULL when the key is absent (every zone is in the
 * study area) or bad (then *ERROR is set, TH_ERROR_INVALID). */
guint8 *th_scenario_internal_zones(const ThScenario *sc, const ThNetwork *net, GError **error);

/* The share of travellers with a car per zone of NET ([demand] car_share
 * for every zone, car_share_zones = ZONE:SHARE;... for some), or NULL when
 * every share is 1 (everyone may drive) or a value is bad (then *ERROR is
 * set, TH_ERROR_INVALID, "FILE: [demand] car_share_zones ..."). */
double *th_scenario_car_shares(const ThScenario *sc, const ThNetwork *net, GError **error);

G_END_DECLS

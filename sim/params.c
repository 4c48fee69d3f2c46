/* params.c: the parameter table, its placeholders and its parser (see
 * params.h). */
#include "sim/params.h"
#include "network/csv.h"
#include "network/network.h"
#include "sim/choice.h"
#include "sim/demand.h"
#include "sim/multimodal.h"
#include "sim/simulate.h"
#include "sim/trips.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SIM(f) TH_PARAM_IN_SIM, #f, offsetof(ThSimParams, f)
#define MM(f) TH_PARAM_IN_MULTIMODAL, #f, offsetof(ThMultimodalParams, f)
#define DEM(f) TH_PARAM_IN_DEMAND, #f, offsetof(ThDemandParams, f)
#define NONE TH_PARAM_IN_NONE, NULL, 0
#define NUMBER(def, lo, hi, expected) TH_PARAM_DOUBLE, "", def, lo, hi, NULL, "a number", expected
#define DAYS30 (30.0 * 86400)
/* the words of [sim] replanning are ThReplanning's values in order */
G_STATIC_ASSERT(TH_REPLAN_MSA == 0 && TH_REPLAN_GAP == 1);

/* Defaults, ranges and help of every setting, section by section; the
 * README's "Parameter reference" is printed from this table in this order. */
const ThParam th_param_table[] = {
    /* [scenario] and [network]: the file's structure, read by name by the
     * scenario loader (scenarios/scenario.c: base and apply resolved
     * relative to the file, dir and patches read there); a row each so that
     * an unknown key is refused and the README lists them. */
    {"scenario", "name", NONE, TH_PARAM_TEXT, "", "", 0, 0, NULL, "a name",
     "any text; none: the file's stem", NULL, NULL,
     "the scenario's name: its results folder in compare, report lines, summary.csv row, run.ini"},
    {"scenario", "description", NONE, TH_PARAM_TEXT, "", "", 0, 0, NULL, "a text", "any text", NULL,
     NULL, "one line saying what the scenario changes"},
    {"scenario", "base", NONE, TH_PARAM_PATH, "", "", 0, 0, NULL, "a file", "a scenario file",
     NULL, NULL,
     "the scenario this one changes, resolved first (relative to this file; bases chain)"},
    {"scenario", "apply", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "scenario files separated by ';'", NULL, NULL,
     "also apply the changes (patches, parameters) of these scenarios, not their base"},
    {"network", "dir", NONE, TH_PARAM_PATH, "", "", 0, 0, NULL, "a folder",
     "a GMNS folder; none: the base's", NULL, NULL,
     "the network: node.csv, link.csv and services.csv, hubs.csv, classes.csv when there"},
    {"network", "patches", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "patch files separated by ';'", NULL, NULL,
     "patch files (action add, remove or change) applied to the network's tables"},

    {"sim", "seed", SIM(seed), TH_PARAM_UINT64, "", "1", -9.3e18, 1.9e19, NULL, "a number",
     "a whole number", "seed", "S", "seed of the travellers' random streams"},
    {"sim", "horizon", SIM(horizon_s), TH_PARAM_TIME, "s", "24:00:00", 1, DAYS30, NULL, "a time",
     "HH:MM:SS or seconds > 0", "horizon", "H",
     "end of the simulated day; later departures are an error, trips still on the road then are "
     "en_route"},
    {"sim", "iterations", SIM(iterations), TH_PARAM_INT, "", "10", 1, G_MAXINT, NULL, "a number",
     "1 or more", "iterations", "N", "most simulated days"},
    {"sim", "gap", SIM(gap), TH_PARAM_DOUBLE, "", "0.01", 0, INFINITY, NULL, "a number",
     "0 or more", "gap", "G", "stop when the relative gap is at most this"},
    {"sim", "threads", SIM(threads), TH_PARAM_INT, "", "0", 0, 4096, NULL, "a number",
     "0 to 4096; 0: all cores", "threads", "N",
     "route-search threads (0: all cores); results never depend on it"},
    {"sim", "sample_factor", SIM(sample_factor), TH_PARAM_DOUBLE, "", "1", 1e-300, 1000, NULL,
     "a number", "above 0, at most 1000", "sample-factor", "F",
     "the trips are this share of the demand: flow and storage capacities are multiplied by it"},
    {"sim", "stuck_time_s", SIM(stuck_time_s), TH_PARAM_TIME, "s", "300", 1, DAYS30, NULL, "a time",
     "seconds > 0 or HH:MM:SS", "stuck-time", "S",
     "a vehicle held this long at the head of a queue is moved on anyway (its trip is stuck)"},
    {"sim", "bin_s", SIM(bin_s), TH_PARAM_TIME, "s", "900", 1, 86400, NULL, "a time",
     "1 to 86400 seconds", "bin", "S",
     "width of the time bins of link travel times and statistics"},
    {"sim", "replan_share", SIM(switch_share), TH_PARAM_DOUBLE, "", "0", -INFINITY, 1, NULL,
     "a number", "at most 1; 0 or less: MSA", NULL, NULL,
     "share of travellers that switch route per day (replanning msa); 0 or less: 1/(k+1)"},
    {"sim", "choice_iterations", MM(choice_iterations), TH_PARAM_INT, "", "3", 1, G_MAXINT, NULL,
     "a number", "1 or more", "choice-iterations", "N",
     "mode-choice iterations of a multimodal run (each runs the road days)"},
    {"sim", "walk_kmh", MM(walk_kmh), TH_PARAM_DOUBLE, "km/h", "4.5", 0.1, 50, NULL, "a speed",
     "0.1 to 50 km/h", NULL, NULL, "walking speed over the road path's length (walk mode)"},
    {"sim", "walk_max_km", MM(walk_max_km), TH_PARAM_DOUBLE, "km", "0", 0, 1000, NULL, "a length",
     "0 to 1000 km; 0: no walk mode", NULL, NULL,
     "longest trip walked: walking is an alternative of the mode choice up to it (0: none)"},
    {"sim", "ebike_kmh", MM(ebike_kmh), TH_PARAM_DOUBLE, "km/h", "15", 0.1, 100, NULL, "a speed",
     "0.1 to 100 km/h", NULL, NULL, "e-bike or motorcycle speed over the road path's length"},
    {"sim", "ebike_max_km", MM(ebike_max_km), TH_PARAM_DOUBLE, "km", "0", 0, 1000, NULL, "a length",
     "0 to 1000 km; 0: no e-bike mode", NULL, NULL,
     "longest trip by e-bike or motorcycle (no vehicle in the road engine; 0: none)"},
    {"sim", "inflow_capacity", SIM(rules.inflow_capacity), TH_PARAM_SWITCH, "", "true", 0, 1, NULL,
     "a switch", "true or false", "inflow-capacity", "B",
     "links admit vehicles from upstream at no more than their capacity"},
    {"sim", "backward_wave_kmh", SIM(rules.backward_wave_kmh), TH_PARAM_DOUBLE, "km/h",
     G_STRINGIFY(TH_SIM_BACKWARD_WAVE_KMH), 0, 200, NULL, "a speed", "0 to 200 km/h; 0 for none",
     "backward-wave", "KMH",
     "speed at which space freed at a link's head travels back to its tail; 0: at once "
     "(waves off; 18 is typical of jam waves)"},
    {"sim", "departure_queue", SIM(rules.departure_queue), TH_PARAM_SWITCH, "", "true", 0, 1, NULL,
     "a switch", "true or false", "departure-queue", "B",
     "departures wait off the network until their first link has room"},
    {"sim", "replanning", SIM(rules.replanning), TH_PARAM_WORD, "", "gap", 0, 1, "msa|gap", "a method",
     "msa or gap", "replanning", "M",
     "how travellers switch routes: gap (margin, gain-proportional, falling share) or msa"},
    {"sim", "warm_start", NONE, TH_PARAM_PATH, "", "", 0, 0, NULL, "a file", "a CSV of link times",
     NULL, NULL,
     "day 1's routes on these link times instead of free flow (relative to the scenario file)"},

    /* [demand]: the synthesis of sim/demand.h, a gravity model per purpose
     * balanced by IPF, freight by commodity, growth by year and zone. Rows
     * without a field are combined by the scenario reader
     * (scenarios/scenario-demand.c): growth, years, switches, zone lists. */
    {"demand", "sample", DEM(sample), TH_PARAM_DOUBLE, "", "1", 1e-300, 1, NULL, "a number",
     "above 0, at most 1", NULL, NULL, "share of the trips drawn (a sample for a faster run)"},
    {"demand", "year", NONE, NUMBER("2020", 1900, 2200, "a year"), NULL, NULL,
     "the year of the demand; growth applies from base_year"},
    {"demand", "base_year", NONE, NUMBER("2020", 1900, 2200, "a year"), NULL, NULL,
     "the year of the base data (population, GDP, tonnes)"},
    {"demand", "growth", NONE, NUMBER("1", -INFINITY, INFINITY, "a factor"), NULL, NULL,
     "demand factor on every zone (growth_zone_ZONE: on one zone, times this)"},
    {"demand", "annual_growth", NONE, NUMBER("0", -INFINITY, INFINITY, "a yearly rate"), NULL, NULL,
     "yearly growth rate from base_year to year (annual_growth_zone_ZONE: one zone's)"},
    {"demand", "passengers", NONE, NUMBER("1", -INFINITY, INFINITY, "0 for none, else on"), NULL,
     NULL, "synthesize passenger trips"},
    {"demand", "trip_rate", DEM(trip_rate),
     NUMBER("0.35", -INFINITY, INFINITY, "trips per resident"), NULL, NULL,
     "person trips per resident per day between zones"},
    {"demand", "external_rate", DEM(external_rate),
     NUMBER("0.05", -INFINITY, INFINITY, "trip ends per resident"), NULL, NULL,
     "trip ends per resident of an external zone, before decay"},
    {"demand", "external_decay", DEM(external_decay),
     NUMBER("0.04", -INFINITY, INFINITY, "per minute"), NULL, NULL,
     "decay of external trip ends per generalized minute"},
    {"demand", "through", DEM(through), NUMBER("2000", -INFINITY, INFINITY, "trips per day"), NULL,
     NULL, "through trips per day between two zones of a million people at cost 0"},
    {"demand", "through_beta", DEM(through_beta), NUMBER("0.01", -INFINITY, INFINITY, "per minute"),
     NULL, NULL, "decay of through trips per generalized minute"},
    {"demand", "share_work", DEM(purposes[0].share), NUMBER("0.4", -INFINITY, INFINITY, "a share"),
     NULL, NULL, "share of trip ends for work (the rest: other)"},
    {"demand", "alpha_work", DEM(purposes[0].alpha), NUMBER("0", -INFINITY, INFINITY, "a number"),
     NULL, NULL, "work trips: deterrence c^-alpha exp(-beta c), c in minutes"},
    {"demand", "beta_work", DEM(purposes[0].beta),
     NUMBER("0.06", -INFINITY, INFINITY, "per minute"), NULL, NULL,
     "work trips: beta of the deterrence"},
    {"demand", "alpha_other", DEM(purposes[1].alpha),
     NUMBER("0.3", -INFINITY, INFINITY, "a number"), NULL, NULL,
     "other trips: alpha of the deterrence"},
    {"demand", "beta_other", DEM(purposes[1].beta),
     NUMBER("0.025", -INFINITY, INFINITY, "per minute"), NULL, NULL,
     "other trips: beta of the deterrence"},
    {"demand", "vot", DEM(vot_per_h), TH_PARAM_DOUBLE, "yuan/h", "30", -INFINITY, INFINITY, NULL,
     "a number", "yuan per hour", NULL, NULL, "value of time in the generalized cost"},
    {"demand", "cost_per_km", DEM(cost_per_km), TH_PARAM_DOUBLE, "yuan/km", "0.6", -INFINITY,
     INFINITY, NULL, "a number", "yuan per km", NULL, NULL, "car operating cost"},
    {"demand", "ipf_iterations", DEM(ipf_iterations), TH_PARAM_INT, "", "200", -1e9, 1e9, NULL,
     "a number", "a count", NULL, NULL, "most IPF (Furness) iterations"},
    {"demand", "ipf_tolerance", DEM(ipf_tolerance),
     NUMBER("1e-9", -INFINITY, INFINITY, "a tolerance"), NULL, NULL,
     "largest relative error of a row or column total"},
    {"demand", "freight", NONE, NUMBER("1", -INFINITY, INFINITY, "0 for none, else on"), NULL, NULL,
     "synthesize freight shipments"},
    {"demand", "freight_beta", DEM(freight_beta),
     NUMBER("0.005", -INFINITY, INFINITY, "per minute"), NULL, NULL,
     "freight gravity decay per generalized minute"},
    {"demand", "coal_tpd", DEM(tonnes_per_day[TH_COMMODITY_COAL]), TH_PARAM_DOUBLE, "t/day", "0",
     -INFINITY, INFINITY, NULL, "a number", "tonnes per day", NULL, NULL,
     "coal tonnes per day in base_year (likewise ceramics_tpd, agri_tpd, general_tpd)"},
    {"demand", "ceramics_tpd", DEM(tonnes_per_day[TH_COMMODITY_CERAMICS]), TH_PARAM_DOUBLE, "t/day",
     "0", -INFINITY, INFINITY, NULL, "a number", "tonnes per day", NULL, NULL,
     "ceramics tonnes per day in base_year"},
    {"demand", "agri_tpd", DEM(tonnes_per_day[TH_COMMODITY_AGRI]), TH_PARAM_DOUBLE, "t/day", "0",
     -INFINITY, INFINITY, NULL, "a number", "tonnes per day", NULL, NULL,
     "agricultural tonnes per day in base_year"},
    {"demand", "general_tpd", DEM(tonnes_per_day[TH_COMMODITY_GENERAL]), TH_PARAM_DOUBLE, "t/day",
     "0", -INFINITY, INFINITY, NULL, "a number", "tonnes per day", NULL, NULL,
     "general cargo tonnes per day in base_year"},
    {"demand", "general_shipment_t", DEM(general_shipment_t), TH_PARAM_DOUBLE, "t", "0", 0, INFINITY,
     NULL, "a number", "tonnes >= 0", NULL, NULL,
     "general cargo in part loads of this size (below a truckload: parks consolidate them); 0: "
     "one truckload each"},
    {"demand", "coal_growth", NONE, NUMBER("", 0, INFINITY, "a factor >= 0"), NULL, NULL,
     "coal tonnes' factor (default growth; likewise ceramics_, agri_, general_growth)"},
    {"demand", "ceramics_growth", NONE, NUMBER("", 0, INFINITY, "a factor >= 0"), NULL, NULL,
     "ceramics tonnes' factor (default growth)"},
    {"demand", "agri_growth", NONE, NUMBER("", 0, INFINITY, "a factor >= 0"), NULL, NULL,
     "agricultural tonnes' factor (default growth)"},
    {"demand", "general_growth", NONE, NUMBER("", 0, INFINITY, "a factor >= 0"), NULL, NULL,
     "general cargo tonnes' factor (default growth)"},
    {"demand", "coal_annual_growth", NONE, NUMBER("", -1, INFINITY, "a yearly rate > -1"), NULL,
     NULL, "coal tonnes' yearly rate (default annual_growth; likewise the other commodities)"},
    {"demand", "ceramics_annual_growth", NONE, NUMBER("", -1, INFINITY, "a yearly rate > -1"), NULL,
     NULL, "ceramics tonnes' yearly rate (default annual_growth)"},
    {"demand", "agri_annual_growth", NONE, NUMBER("", -1, INFINITY, "a yearly rate > -1"), NULL,
     NULL, "agricultural tonnes' yearly rate (default annual_growth)"},
    {"demand", "general_annual_growth", NONE, NUMBER("", -1, INFINITY, "a yearly rate > -1"), NULL,
     NULL, "general cargo tonnes' yearly rate (default annual_growth)"},
    {"demand", "induced", NONE, TH_PARAM_SWITCH, "", "false", 0, 1, NULL, "a switch",
     "true or false", NULL, NULL,
     "compare: the scenario's demand is synthesized on its own network (else the base's, fixed)"},
    {"demand", "tourism_sites", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:VISITORS_A_YEAR separated by ;", NULL, NULL,
     "tourist sites and their annual visitors (sim/demand-tourism.h); none: no tourism demand"},
    {"demand", "tourism_day", NONE, TH_PARAM_WORD, "", "weekday", 0, 2, "weekday|weekend|holiday",
     "a day type", "weekday, weekend or holiday", NULL, NULL, "the day the tourism demand is for"},
    {"demand", "tourism_beta", NONE, NUMBER("0.02", 0, INFINITY, "a number >= 0"), NULL, NULL,
     "tourism gravity decay per generalized minute"},
    {"demand", "longdist_rate_50_150", DEM(longdist_rate[0]), TH_PARAM_DOUBLE, "1/1000/day", "0", 0,
     INFINITY, NULL, "a number", "trips per 1,000 residents per day, 0 or more", NULL, NULL,
     "long-distance trips out of the study area to zones 50-150 km away, per 1,000 residents a "
     "day, each with its return (sim/demand-longdist.h); 0 in every band: none"},
    {"demand", "longdist_rate_150_300", DEM(longdist_rate[1]), TH_PARAM_DOUBLE, "1/1000/day", "0",
     0, INFINITY, NULL, "a number", "trips per 1,000 residents per day, 0 or more", NULL, NULL,
     "the same for zones 150-300 km away"},
    {"demand", "longdist_rate_300_600", DEM(longdist_rate[2]), TH_PARAM_DOUBLE, "1/1000/day", "0",
     0, INFINITY, NULL, "a number", "trips per 1,000 residents per day, 0 or more", NULL, NULL,
     "the same for zones 300-600 km away"},
    {"demand", "longdist_pop_50_150", DEM(longdist_pop_m[0]), TH_PARAM_DOUBLE, "million", "0", 0,
     INFINITY, NULL, "a number", "millions of people, 0 or more", NULL, NULL,
     "people living 50-150 km away who share the band's trips (the network's zones get their "
     "part); 0: the network's zones in the band"},
    {"demand", "longdist_pop_150_300", DEM(longdist_pop_m[1]), TH_PARAM_DOUBLE, "million", "0", 0,
     INFINITY, NULL, "a number", "millions of people, 0 or more", NULL, NULL,
     "the same at 150-300 km"},
    {"demand", "longdist_pop_300_600", DEM(longdist_pop_m[2]), TH_PARAM_DOUBLE, "million", "0", 0,
     INFINITY, NULL, "a number", "millions of people, 0 or more", NULL, NULL,
     "the same at 300-600 km"},
    {"demand", "car_share", NONE, NUMBER("1", 0, 1, "a share from 0 to 1"), NULL, NULL,
     "share of travellers with a car to drive, in every zone (sim/car-ownership.h); 1: all"},
    {"demand", "car_share_zones", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:SHARE separated by ;", NULL, NULL,
     "the share of travellers with a car in these zones (the others: car_share)"},
    {"demand", "internal_zones", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "zone ids or names, or ranges A-B, separated by ;", NULL, NULL,
     "the study area's zones (default: every zone)"},
    {"demand", "od_factors", NONE, TH_PARAM_INPUT, "", "", 0, 0, NULL, "an existing file",
     "a CSV origin,destination,factor[,class]", NULL, NULL,
     "per-OD factors on the synthetic trips (sim/od-factors.h; written by calibrate); none: 1"},
    {"demand", "coal_origins", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL,
     "coal origin weights (likewise COMMODITY_origins, COMMODITY_destinations)"},
    {"demand", "coal_destinations", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "coal destination weights (default: gravity)"},
    {"demand", "ceramics_origins", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "ceramics origin weights"},
    {"demand", "ceramics_destinations", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "ceramics destination weights"},
    {"demand", "agri_origins", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "agricultural origin weights"},
    {"demand", "agri_destinations", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "agricultural destination weights"},
    {"demand", "general_origins", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "general cargo origin weights"},
    {"demand", "general_destinations", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "ZONE:WEIGHT separated by ;", NULL, NULL, "general cargo destination weights"},
    {"demand", "growth_zone_ZONE", NONE, NUMBER("", -INFINITY, INFINITY, "a factor"), NULL, NULL,
     "demand factor on ZONE (an id or name), times growth (default 1)"},
    {"demand", "annual_growth_zone_ZONE", NONE, NUMBER("", -INFINITY, INFINITY, "a yearly rate"),
     NULL, NULL, "yearly growth rate of ZONE, instead of annual_growth"},

    /* [services]: changes to every line of a mode of services.csv (before
     * the services reader checks the result); the column is the key's part
     * after MODE_. Read by scenarios/scenario.c (with_overrides). */
    {"services", "MODE_headway_min", NONE, TH_PARAM_DOUBLE, "min", "", 1e-300, INFINITY, NULL,
     "a number", "minutes > 0", NULL, NULL,
     "headway of every line of MODE run on a headway (not those with departures); default: "
     "services.csv's"},
    {"services", "MODE_capacity", NONE,
     NUMBER("", 1e-300, INFINITY, "> 0: seats or tonnes per run"), NULL, NULL,
     "capacity of every run of MODE (default: services.csv's)"},
    {"services", "MODE_fare_flat", NONE, TH_PARAM_DOUBLE, "yuan", "", 0, INFINITY, NULL, "a number",
     "yuan per boarding, 0 or more", NULL, NULL,
     "fare per boarding of MODE's lines (default: services.csv's)"},
    {"services", "MODE_fare_per_km", NONE, TH_PARAM_DOUBLE, "yuan/km", "", 0, INFINITY, NULL,
     "a number", "yuan per km ridden, 0 or more", NULL, NULL,
     "fare per km of MODE's lines (freight: per tonne-km; default: services.csv's)"},
    {"services", "MODE_speed_kmh", NONE, TH_PARAM_DOUBLE, "km/h", "", 1e-300, INFINITY, NULL,
     "a speed", "km/h > 0", NULL, NULL,
     "speed of MODE's lines without run_min (default: services.csv's)"},
    {"services", "MODE_dwell_min", NONE, TH_PARAM_DOUBLE, "min", "", 0, INFINITY, NULL, "a number",
     "minutes, 0 or more", NULL, NULL,
     "dwell at each intermediate stop of MODE's lines (default: services.csv's)"},
    {"services", "MODE_first_dep", NONE, TH_PARAM_TIME, "", "", 0, DAYS30, NULL, "a time", "HH:MM",
     NULL, NULL, "first departure of MODE's headway lines (default: services.csv's)"},
    {"services", "MODE_last_dep", NONE, TH_PARAM_TIME, "", "", 0, DAYS30, NULL, "a time", "HH:MM",
     NULL, NULL, "last departure of MODE's headway lines (default: services.csv's)"},
    {"services", "MODE_run_if_tonnes", NONE, TH_PARAM_DOUBLE, "t", "", 0, INFINITY, NULL, "a number",
     "tonnes, 0 or more", NULL, NULL,
     "on-demand freight lines of MODE: a run leaves only with this many tonnes waiting (freight "
     "lines only; default: services.csv's)"},
    {"services", "MODE_max_wait_h", NONE, TH_PARAM_DOUBLE, "h", "", 0, 240, NULL, "a number",
     "hours, 0 to 240", NULL, NULL,
     "on-demand freight lines of MODE: ... or when the first shipment waiting has waited this "
     "long (freight lines only; default: services.csv's)"},
    {"services", "MODE_lines", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "line ids of mode MODE in services.csv, separated by ;", NULL, NULL,
     "the MODE_FIELD changes apply only to these lines (default: every line of MODE)"},

    /* [hubs]: changes to every hub of a kind of hubs.csv; the column is the
     * key's part after KIND_. Read by scenarios/scenario.c (with_overrides). */
    {"hubs", "KIND_transfer_min", NONE, TH_PARAM_DOUBLE, "min", "", 0, INFINITY, NULL, "a number",
     "minutes, 0 or more", NULL, NULL,
     "minutes to change between runs at every hub of KIND (default: hubs.csv's)"},
    {"hubs", "KIND_handling_rate_tph", NONE, TH_PARAM_DOUBLE, "t/h", "", 0, INFINITY, NULL,
     "a number", "tonnes per hour, 0 or more", NULL, NULL,
     "tonnes per hour every hub of KIND loads or unloads (default: hubs.csv's)"},
    {"hubs", "KIND_handling_cost_per_t", NONE, TH_PARAM_DOUBLE, "yuan/t", "", 0, INFINITY, NULL,
     "a number", "yuan per tonne, 0 or more", NULL, NULL,
     "handling cost per tonne at every hub of KIND (default: hubs.csv's)"},
    {"hubs", "KIND_dwell_limit_h", NONE, TH_PARAM_DOUBLE, "h", "", 0, INFINITY, NULL, "a number",
     "hours, 0 or more", NULL, NULL,
     "hours a shipment may wait at every hub of KIND (default: hubs.csv's)"},

    /* [transit]: a GTFS feed imported onto the network (scenarios/scenario-gtfs.c) */
    {"transit", "gtfs", NONE, TH_PARAM_INPUT, "", "", 0, 0, NULL, "an existing file or folder",
     "a GTFS feed: .zip file or folder", NULL, NULL,
     "a GTFS feed imported onto the network as `taihang import gtfs` does (none: no feed)"},
    {"transit", "gtfs_date", NONE, TH_PARAM_DATE, "", "", 0, 0, NULL, "a date", "YYYY-MM-DD", NULL,
     NULL, "the service day of the feed (needed with gtfs)"},

    /* [choice]: the mode-choice logit (sim/choice.h, th_choice_params_load) */
    {"choice", "scale", NONE, TH_PARAM_DOUBLE, "1/yuan", G_STRINGIFY(TH_CHOICE_DEFAULT_SCALE),
     1e-300, INFINITY, NULL, "a number", "above 0, 1/yuan", NULL, NULL,
     "logit scale on the generalized cost of every class"},
    {"choice", "scale.CLASS", NONE, TH_PARAM_DOUBLE, "1/yuan", "", 1e-300, INFINITY, NULL,
     "a number", "above 0, 1/yuan", NULL, NULL, "logit scale of one class (default: scale)"},
    {"choice", "asc.CLASS.MODE", NONE, NUMBER("0", -INFINITY, INFINITY, "yuan-equivalent utility"),
     NULL, NULL, "alternative-specific constant of MODE for CLASS"},
    {"choice", "asc.CLASS.MODE.MARKET", NONE,
     NUMBER("", -INFINITY, INFINITY, "yuan-equivalent utility"), NULL, NULL,
     "the constant of MODE for CLASS's trips of MARKET, instead of asc.CLASS.MODE"},
    /* access and egress of transit journeys (sim/access.h) and crowding (choice.h) */
    {"choice", "access_walk_max_km", NONE, TH_PARAM_DOUBLE, "km",
     G_STRINGIFY(TH_ACCESS_WALK_MAX_KM), 0, INFINITY, NULL, "a number", "km, 0 or more", NULL, NULL,
     "longest walk to or from a stop (at [sim] walk_kmh); 0: nobody walks"},
    {"choice", "access_bike_max_km", NONE, TH_PARAM_DOUBLE, "km",
     G_STRINGIFY(TH_ACCESS_BIKE_MAX_KM), 0, INFINITY, NULL, "a number", "km, 0 or more", NULL, NULL,
     "longest bike or e-bike ride to or from a stop (at [sim] ebike_kmh); 0: none"},
    {"choice", "access_car_max_km", NONE, TH_PARAM_DOUBLE, "km", G_STRINGIFY(TH_ACCESS_CAR_MAX_KM),
     0, INFINITY, NULL, "a number", "km, 0 or more", NULL, NULL,
     "longest drive to or from a stop, only where hubs.csv allows park_and_ride; 0: none"},
    {"choice", "crowding", NONE, TH_PARAM_DOUBLE, "", G_STRINGIFY(TH_CROWDING_DEFAULT), 0, INFINITY,
     NULL, "a number", "0 or more: 1 the published curve, 0 off", NULL, NULL,
     "weight of the in-vehicle crowding curve (Wardman & Whelan 2011) in choice"},

    /* [freight]: levers per freight class (scenarios/run-scenario.c,
     * freight_levers; the class is checked against the class table there) */
    {"freight", "CLASS_truck_surcharge_per_tkm", NONE, TH_PARAM_DOUBLE, "yuan/tkm", "0", -INFINITY,
     INFINITY, NULL, "a number", "yuan per tonne-km", NULL, NULL,
     "added to every truck tonne-km of CLASS (truck only and a chain's truck legs)"},
    {"freight", "CLASS_rail_surcharge_per_tkm", NONE, TH_PARAM_DOUBLE, "yuan/tkm", "0", -INFINITY,
     INFINITY, NULL, "a number", "yuan per tonne-km", NULL, NULL,
     "added to every rail tonne-km of CLASS (negative: a cut; a link never costs below 0)"},
    {"freight", "CLASS_rail_min_km", NONE, TH_PARAM_DOUBLE, "km", "0", 0, INFINITY, NULL,
     "a number", "km, 0 or more", NULL, NULL,
     "0 for none, else every free shipment of CLASS with a chain and a truck path this long goes "
     "by rail"},

    /* [freight] truck bans (sim/truck-ban.h; ids and classes checked against
     * the network by scenarios/scenario-freight.c) */
    {"freight", "truck_ban_links", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "link ids of link.csv separated by ;", NULL, NULL,
     "heavy trucks may not enter these links in the ban's window"},
    {"freight", "truck_ban_nodes", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "node ids of node.csv separated by ;", NULL, NULL,
     "heavy trucks may not pass through these nodes in the window (starting or ending there is "
     "allowed)"},
    {"freight", "truck_ban_zones", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "zone ids separated by ;", NULL, NULL,
     "as truck_ban_nodes for the zone's nodes, and the links between two of them are banned"},
    {"freight", "truck_ban_from", NONE, TH_PARAM_TIME, "", "", 0, 86400, NULL, "a time of day",
     "HH:MM, 00:00 to 24:00", NULL, NULL,
     "start of the ban's window (with truck_ban_to; neither: all day; from > to wraps midnight)"},
    {"freight", "truck_ban_to", NONE, TH_PARAM_TIME, "", "", 0, 86400, NULL, "a time of day",
     "HH:MM, 00:00 to 24:00", NULL, NULL, "end of the ban's window"},
    {"freight", "truck_ban_classes", NONE, TH_PARAM_LIST, "", "", 0, 0, NULL, "a list",
     "freight classes of classes.csv separated by ;", NULL, NULL,
     "the classes the ban applies to (default: every freight class)"},

    /* [compare]: read from the base of `taihang compare` only (scenarios/compare.c) */
    {"compare", "replications", NONE, TH_PARAM_COUNT, "", "1", 1, 1000, NULL, "a whole number",
     "1 to 1000", NULL, NULL,
     "runs of every scenario, with seeds seed, seed+1, ... (the same in base and scenario)"},

    /* [output]: not part of a run's identity (th_scenario_fingerprint skips it) */
    {"output", "events", NONE, TH_PARAM_SWITCH, "", "false", 0, 1, NULL, "a switch",
     "true or false", NULL, NULL, "also write events.csv.gz, as `taihang run --events`"},
    {"output", "periods", NONE, TH_PARAM_LIST, "", "am=07:00-09:00;day", 0, 0, NULL, "a list",
     "NAME=HH:MM-HH:MM or day, separated by ;", NULL, NULL,
     "periods of skims.csv and export's skim_MODE_PERIOD_QUANTITY tables"},

    /* [appraisal]: the project's costs and the appraisal's parameters
     * (sim/appraisal.h; the sources of the defaults: th_appraisal_sources);
     * not inherited through apply */
    {"appraisal", "capital_cost_million_yuan", NONE, TH_PARAM_DOUBLE, "million yuan", "0", 0, 1e7,
     NULL, "a number", "0 to 1e7", NULL, NULL,
     "the project's capital cost, million yuan; 0: no NPV, BCR or EIRR"},
    {"appraisal", "operating_cost_million_yuan", NONE, TH_PARAM_DOUBLE, "million yuan a year", "0",
     0, 1e6, NULL, "a number", "0 to 1e6", NULL, NULL,
     "the project's added operating cost, million yuan a year"},
    {"appraisal", "opening_year", NONE, TH_PARAM_DOUBLE, "year", "0", 0, 2200, NULL, "a number",
     "0 to 2200", NULL, NULL, "the year the project opens; 0: [demand] year"},
    {"appraisal", "construction_years", NONE, TH_PARAM_DOUBLE, "years", "4", 1, 50, NULL,
     "a number", "1 to 50", NULL, NULL, "years of construction, the capital cost spread over them"},
    {"appraisal", "period_years", NONE, TH_PARAM_DOUBLE, "years", "30", 1, 100, NULL, "a number",
     "1 to 100", NULL, NULL, "years of operation appraised"},
    {"appraisal", "discount_rate", NONE, TH_PARAM_DOUBLE, "fraction", "0.08", 0, 0.5, NULL,
     "a number", "0 to 0.5", NULL, NULL, "social discount rate (a fraction)"},
    {"appraisal", "benefit_growth", NONE, TH_PARAM_DOUBLE, "fraction a year", "0", -0.2, 0.3, NULL,
     "a number", "-0.2 to 0.3", NULL, NULL,
     "yearly growth of the benefits after opening (a fraction)"},
    {"appraisal", "asset_life_years", NONE, TH_PARAM_DOUBLE, "years", "50", 0, 200, NULL,
     "a number", "0 to 200", NULL, NULL,
     "straight-line life of the capital for its residual value; 0: none"},
    {"appraisal", "days_per_year", NONE, TH_PARAM_DOUBLE, "days", "365", 1, 366, NULL, "a number",
     "1 to 366", NULL, NULL, "days a year like the modelled day"},
    {"appraisal", "voc_car_per_km", NONE, TH_PARAM_DOUBLE, "yuan per vehicle-km", "0.6", 0, 100,
     NULL, "a number", "0 to 100", NULL, NULL, "car operating cost, yuan per vehicle-km"},
    {"appraisal", "voc_truck_per_km", NONE, TH_PARAM_DOUBLE, "yuan per vehicle-km", "6.5", 0, 1000,
     NULL, "a number", "0 to 1000", NULL, NULL, "truck operating cost, yuan per vehicle-km"},
    {"appraisal", "carbon_price_per_t", NONE, TH_PARAM_DOUBLE, "yuan per t CO2", "80", 0, 10000,
     NULL, "a number", "0 to 10000", NULL, NULL, "value of a tonne of CO2, yuan"},
    /* before vot_CLASS_per_h, which vot_purpose_work_per_h would match too */
    {"appraisal", "vot_purpose_PURPOSE_per_h", NONE, TH_PARAM_DOUBLE, "yuan/h", "", 0, 1e9, NULL,
     "a number", "0 to 1e9", NULL, NULL,
     "value of time of passenger trips of PURPOSE (sim/trips.h), yuan an hour (default: their "
     "class's; no published Chinese value per purpose is used, E)"},
    {"appraisal", "vot_CLASS_per_h", NONE, TH_PARAM_DOUBLE, "yuan/h", "", 0, 1e9, NULL, "a number",
     "0 to 1e9", NULL, NULL,
     "value of time of CLASS, yuan an hour (a tonne-hour for freight; default: classes.csv's)"},
    {NULL},
};

static gboolean word_in(const char *words, const char *w) {
  g_auto(GStrv) list = g_strsplit(words, "|", -1);
  return g_strv_contains((const char *const *)list, w);
}

static gboolean any_word(const char *section, const char *w) {
  (void)section;
  return *w != 0;
}

static gboolean mode_word(const char *section, const char *w) {
  /* the lines of [services] are scheduled; mode choice also has the road */
  if (!strcmp(section, "services")) return word_in("rail|hsr|intercity|bus", w);
  return th_mode_from_name(w) != 0;
}

static gboolean market_word(const char *section, const char *w) {
  (void)section;
  ThMarket m;
  return th_market_from_name(w, &m);
}

static gboolean kind_word(const char *section, const char *w) {
  (void)section;
  return word_in("station|logistics", w);
}

static gboolean purpose_word(const char *section, const char *w) {
  (void)section;
  return th_trips_purpose_name_ok(w);
}

const ThParamPlaceholder th_param_placeholders[] = {
    {"MODE", "rail, hsr, intercity or bus (in [choice] also road)", mode_word},
    {"KIND", "station or logistics (hubs.csv's kind)", kind_word},
    {"CLASS", "a class of classes.csv (checked by the run)", any_word},
    {"ZONE", "a zone id or name (checked by the demand synthesis)", any_word},
    {"MARKET", "internal, external or through (the trip's ends against [demand] internal_zones)",
     market_word},
    {"PURPOSE", "a trip purpose: work, other, tourism, ... (letters, digits, _ or -)", purpose_word},
    {NULL, NULL, NULL},
};

static const ThParamPlaceholder *placeholder(const char *name, gsize n) {
  for (const ThParamPlaceholder *h = th_param_placeholders; h->name; h++)
    if (strlen(h->name) == n && !strncmp(h->name, name, n)) return h;
  return NULL;
}

/* Matches KEY against the template TPL from their current positions; the
 * words of the placeholders go to WORDS. A placeholder takes the longest
 * word that lets the rest match. */
static gboolean match_from(const char *section, const char *tpl, const char *key,
                           GPtrArray *words) {
  while (*tpl && !g_ascii_isupper(*tpl)) {
    if (*tpl != *key) return FALSE;
    tpl++, key++;
  }
  if (!*tpl) return !*key;
  const char *end = tpl;
  while (g_ascii_isupper(*end)) end++;
  const ThParamPlaceholder *h = placeholder(tpl, (gsize)(end - tpl));
  g_return_val_if_fail(h, FALSE); /* a capital word that is no placeholder: a typo in the table */
  for (gsize n = strlen(key); n >= 1; n--) {
    g_autofree char *w = g_strndup(key, n);
    if (!h->accepts(section, w)) continue;
    guint before = words->len;
    g_ptr_array_add(words, g_steal_pointer(&w));
    if (match_from(section, end, key + n, words)) return TRUE;
    g_ptr_array_set_size(words, before);
  }
  return FALSE;
}

gboolean th_param_key_matches(const ThParam *p, const char *key, char ***words) {
  g_return_val_if_fail(p && p->key && key, FALSE);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  if (!match_from(p->section, p->key, key, w)) return FALSE;
  if (words) {
    g_ptr_array_add(w, NULL);
    *words = (char **)g_ptr_array_steal(w, NULL);
  }
  return TRUE;
}

const ThParam *th_param_find(const ThParam *table, const char *section, const char *key) {
  for (const ThParam *p = table; p->key; p++)
    if (!strcmp(p->section, section) && !strcmp(p->key, key)) return p;
  for (const ThParam *p = table; p->key; p++)
    if (!strcmp(p->section, section) && th_param_key_matches(p, key, NULL)) return p;
  return NULL;
}

gboolean th_param_switch(const char *v, gboolean *out) {
  if (!v) return FALSE;
  if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") || !strcmp(v, "1")) *out = TRUE;
  else if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") || !strcmp(v, "0"))
    *out = FALSE;
  else return FALSE;
  return TRUE;
}

static int word_index(const char *words, const char *v) {
  g_auto(GStrv) w = g_strsplit(words, "|", -1);
  for (int i = 0; w[i]; i++)
    if (!g_ascii_strcasecmp(w[i], v)) return i;
  return -1;
}

gboolean th_param_parse(const ThParam *p, const char *text, void *base) {
  g_return_val_if_fail(p && p->key, FALSE);
  if (!text) return FALSE;
  char *f = base && p->in != TH_PARAM_IN_NONE ? (char *)base + p->offset : NULL;
  double d;
  int64_t i;
  gboolean b;
  switch (p->type) {
  case TH_PARAM_INT:
    if (!th_parse_double(text, &d) || d < p->min || d > p->max) return FALSE;
    if (f) *(int *)f = (int)d;
    return TRUE;
  case TH_PARAM_UINT64: {
    uint64_t u;
    if (th_parse_int64(text, &i)) u = (uint64_t)i; /* negative seeds wrap, as --seed's did */
    else if (th_parse_double(text, &d) && d >= 0 && d < 1.8e19) u = (uint64_t)d;
    else return FALSE;
    if (f) *(uint64_t *)f = u;
    return TRUE;
  }
  case TH_PARAM_DOUBLE:
    if (!th_parse_double(text, &d) || d < p->min || d > p->max) return FALSE;
    if (f) *(double *)f = d;
    return TRUE;
  case TH_PARAM_SWITCH:
    if (!th_param_switch(text, &b)) return FALSE;
    if (f) *(gboolean *)f = b;
    return TRUE;
  case TH_PARAM_TIME:
    if (!th_parse_time(text, &i) || (double)i < p->min || (double)i > p->max) return FALSE;
    if (f) *(int32_t *)f = (int32_t)i;
    return TRUE;
  case TH_PARAM_WORD: {
    int w = word_index(p->words, text);
    if (w < 0) return FALSE;
    if (f) *(int *)f = w;
    return TRUE;
  }
  case TH_PARAM_COUNT:
    if (!th_parse_double(text, &d) || d != floor(d) || d < p->min || d > p->max) return FALSE;
    if (f) *(int *)f = (int)d;
    return TRUE;
  case TH_PARAM_DATE: {
    int y, m, dd;
    char tail;
    return strlen(text) == 10 && sscanf(text, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 &&
           g_date_valid_dmy((GDateDay)dd, (GDateMonth)m, (GDateYear)y);
  }
  case TH_PARAM_INPUT:
    return g_file_test(text, G_FILE_TEST_EXISTS);
  case TH_PARAM_PATH:
  case TH_PARAM_LIST:
  case TH_PARAM_TEXT:
    return TRUE;
  }
  return FALSE;
}

char *th_param_format(const ThParam *p, const void *base) {
  g_return_val_if_fail(p && base && p->in != TH_PARAM_IN_NONE, NULL);
  const char *f = (const char *)base + p->offset;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  switch (p->type) {
  case TH_PARAM_INT:
  case TH_PARAM_COUNT: return g_strdup_printf("%d", *(const int *)f);
  case TH_PARAM_UINT64: return g_strdup_printf("%" G_GUINT64_FORMAT, *(const uint64_t *)f);
  case TH_PARAM_DOUBLE: return g_strdup(g_ascii_formatd(buf, sizeof buf, "%g", *(const double *)f));
  case TH_PARAM_SWITCH: return g_strdup(*(const gboolean *)f ? "true" : "false");
  case TH_PARAM_TIME: return g_strdup_printf("%" G_GINT32_FORMAT, *(const int32_t *)f);
  case TH_PARAM_WORD: {
    g_auto(GStrv) w = g_strsplit(p->words, "|", -1);
    int i = *(const int *)f;
    return g_strdup(i >= 0 && i < (int)g_strv_length(w) ? w[i] : "");
  }
  case TH_PARAM_PATH:
  case TH_PARAM_LIST:
  case TH_PARAM_DATE:
  case TH_PARAM_INPUT:
  case TH_PARAM_TEXT: break;
  }
  g_return_val_if_reached(NULL);
}

gboolean th_sim_param_is_rule(const ThParam *p) {
  gsize at = offsetof(ThSimParams, rules);
  return p->in == TH_PARAM_IN_SIM && p->offset >= at && p->offset < at + sizeof(ThSimRules);
}

void th_params_set_defaults(const ThParam *table, ThParamStruct in, void *base) {
  for (const ThParam *p = table; p->key; p++)
    if (p->in == in && !th_param_parse(p, p->def, base))
      g_error("params: default '%s' of [%s] %s is not a value of its own row", p->def, p->section,
              p->key);
}

double th_param_default(const ThParam *table, const char *section, const char *key) {
  const ThParam *p = th_param_find(table, section, key);
  double d = 0;
  if (!p || !th_parse_double(p->def, &d)) g_error("params: no number default for [%s] %s", section, key);
  return d;
}

/* scenario-demand.c: [demand] -> ThDemandParams -> trips (see scenario-demand.h). */
#include "scenarios/scenario-demand.h"
#include "scenarios/scenario-params.h"
#include "network/csv.h"
#include "network/th-error.h"
#include "sim/demand-tourism.h"
#include "sim/od-factors.h"

#include <math.h>
#include <string.h>

/* Reads "Z:w;Z:w" (zone id or name : weight) into W (n_zones, zero-filled). */
static void parse_weights(const ThScenario *sc, const ThNetwork *net, const char *key,
                          const char *text, double *w, GPtrArray *pr) {
  g_auto(GStrv) items = g_strsplit_set(text, ";,", -1);
  for (int i = 0; items[i]; i++) {
    g_strstrip(items[i]);
    if (!*items[i]) continue;
    char *colon = strrchr(items[i], ':');
    double v = 1;
    if (colon) {
      *colon = 0;
      g_strstrip(items[i]);
      if (!th_parse_double(g_strstrip(colon + 1), &v) || v < 0) {
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] %s: weight '%s' is not a number >= 0",
                                            sc->path, key, colon + 1));
        continue;
      }
    }
    int z = th_network_zone_lookup(net, items[i]);
    if (z < 0) {
      g_ptr_array_add(pr, g_strdup_printf("%s: [demand] %s names zone '%s', which the network "
                                          "does not have (a zone id or name)",
                                          sc->path, key, items[i]));
      continue;
    }
    w[z] += v;
  }
}

/* "1-18;40": zone ids and inclusive id ranges. */
static void parse_zone_set(const ThScenario *sc, const ThNetwork *net, const char *text,
                           guint8 *set, GPtrArray *pr) {
  g_auto(GStrv) items = g_strsplit_set(text, ";,", -1);
  for (int i = 0; items[i]; i++) {
    g_strstrip(items[i]);
    if (!*items[i]) continue;
    int64_t a, b;
    char *dash = strchr(items[i] + 1, '-');
    if (dash) {
      *dash = 0;
      if (!th_parse_int64(items[i], &a) || !th_parse_int64(dash + 1, &b) || b < a) {
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] internal_zones: '%s-%s' is not a range "
                                            "of zone ids",
                                            sc->path, items[i], dash + 1));
        continue;
      }
      for (int z = 0; z < net->n_zones; z++)
        if (net->zone_id[z] >= a && net->zone_id[z] <= b) set[z] = 1;
    } else {
      int z = th_network_zone_lookup(net, items[i]);
      if (z < 0)
        g_ptr_array_add(pr,
                        g_strdup_printf("%s: [demand] internal_zones names zone '%s', which the "
                                        "network does not have",
                                        sc->path, items[i]));
      else
        set[z] = 1;
    }
  }
}

guint8 *th_scenario_internal_zones(const ThScenario *sc, const ThNetwork *net, GError **error) {
  g_autofree char *v = th_scenario_string(sc, "demand", "internal_zones");
  if (!v) return NULL;
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  guint8 *set = g_new0(guint8, net->n_zones + 1);
  parse_zone_set(sc, net, v, set, pr);
  if (pr->len) {
    th_problems_to_error(pr, TH_ERROR_INVALID, error);
    g_free(set);
    return NULL;
  }
  return set;
}

double *th_scenario_car_shares(const ThScenario *sc, const ThNetwork *net, GError **error) {
  double all = TH_PARAM_DEFAULT("demand", "car_share");
  GError *e = NULL;
  if (!th_scenario_double(sc, "demand", "car_share", all, &all, &e)) {
    g_propagate_error(error, e);
    return NULL;
  }
  g_autofree char *v = th_scenario_string(sc, "demand", "car_share_zones");
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  if (!(all >= 0 && all <= 1))
    g_ptr_array_add(pr, g_strdup_printf("%s: [demand] car_share = %g (a share from 0 to 1 was "
                                        "expected)",
                                        sc->path, all));
  const int nz = net->n_zones;
  g_autofree double *share = g_new(double, nz + 1);
  for (int z = 0; z < nz; z++) share[z] = all;
  if (v) {
    g_autofree double *w = g_new0(double, nz + 1);
    g_autofree guint8 *set = g_new0(guint8, nz + 1);
    g_auto(GStrv) items = g_strsplit_set(v, ";,", -1);
    for (int i = 0; items[i]; i++) {
      g_strstrip(items[i]);
      if (!*items[i]) continue;
      g_autofree char *item = g_strdup(items[i]);
      char *colon = strrchr(items[i], ':');
      double x = NAN;
      if (colon) {
        *colon = 0;
        g_strstrip(items[i]);
      }
      if (!colon || !th_parse_double(g_strstrip(colon + 1), &x) || !(x >= 0 && x <= 1)) {
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] car_share_zones: '%s' has no share "
                                            "from 0 to 1 (ZONE:SHARE was expected)",
                                            sc->path, item));
        continue;
      }
      int z = th_network_zone_lookup(net, items[i]);
      if (z < 0) {
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] car_share_zones names zone '%s', which "
                                            "the network does not have (a zone id or name)",
                                            sc->path, items[i]));
        continue;
      }
      share[z] = x;
    }
  }
  if (pr->len) {
    th_problems_to_error(pr, TH_ERROR_INVALID, error);
    return NULL;
  }
  for (int z = 0; z < nz; z++)
    if (share[z] < 1) return g_steal_pointer(&share);
  return NULL;
}

/* The state th_scenario_demand's stages share: the scenario, the network, the
 * parameters being filled, the problems collected so far (every stage adds to
 * the same list, in this order, so a user sees every bad value at once), and
 * the per-zone and per-commodity arrays ThDemandParams then points into
 * (all owned and freed by th_scenario_demand). */
typedef struct {
  const ThScenario *sc;
  const ThNetwork *net;
  ThDemandParams p;
  GPtrArray *pr; /* problems, "FILE: [demand] KEY ..." */
  double year, base_year, annual, growth; /* [demand] year, base_year, annual_growth, growth */
  double tourism_beta;                    /* per generalized minute (README "Tourism demand") */
  double *zg, *zannual;      /* growth factor and yearly rate per zone */
  guint8 *internal;          /* [demand] internal_zones, or NULL: all */
  double *ow_all, *dw_all;   /* origin and destination weights, TH_N_COMMODITIES x zones */
  double *ow[TH_N_COMMODITIES], *dw[TH_N_COMMODITIES]; /* into those, NULL when not given */
  double *tourism;           /* annual visitors per zone ([demand] tourism_sites), or NULL */
  int day;                   /* [demand] tourism_day */
} ScenarioDemand;

/* Step 1: the scalar rows: the seed, every [demand] row of sim/params.h that
 * fills ThDemandParams, and the rows the synthesis gets combined (switches,
 * years and growth, tourism_beta). */
static void demand_scalars(ScenarioDemand *d) {
  const ThScenario *sc = d->sc;
  ThDemandParams *p = &d->p;
  GPtrArray *pr = d->pr;
  GError *e = NULL;
  double v;
#define NUM(key, target)                                                                           \
  do {                                                                                             \
    if (!th_scenario_double(sc, "demand", key, target, &v, &e)) {                                  \
      g_ptr_array_add(pr, g_strdup(e->message));                                                   \
      g_clear_error(&e);                                                                           \
    }                                                                                              \
    target = v;                                                                                    \
  } while (0)
  double seed = 1;
  if (!th_scenario_double(sc, "sim", "seed", TH_SIM_DEFAULT("seed"), &seed, &e)) {
    g_ptr_array_add(pr, g_strdup(e->message));
    g_clear_error(&e);
  }
  p->seed = (uint64_t)seed;
  th_scenario_params_collect(sc, "demand", TH_PARAM_IN_DEMAND, p, pr);
  p->purposes[1].share = 1.0 - p->purposes[0].share;
#define DEF(key) th_param_default(th_param_table, "demand", key)
  double pass = DEF("passengers"), fr = DEF("freight");
  NUM("passengers", pass);
  NUM("freight", fr);
  p->passengers = pass != 0;
  p->freight = fr != 0;
  d->year = DEF("year");
  d->base_year = DEF("base_year");
  d->annual = DEF("annual_growth");
  d->growth = DEF("growth");
#undef DEF
  NUM("year", d->year);
  NUM("base_year", d->base_year);
  NUM("annual_growth", d->annual);
  NUM("growth", d->growth);
  d->tourism_beta = th_param_default(th_param_table, "demand", "tourism_beta");
  NUM("tourism_beta", d->tourism_beta);
#undef NUM
}

/* Step 2: the keys that name zones or commodities: growth_zone_Z,
 * annual_growth_zone_Z, tourism_sites, tourism_day, internal_zones,
 * COMMODITY_origins, COMMODITY_destinations (in the file's key order). */
static void demand_zone_keys(ScenarioDemand *d) {
  const ThScenario *sc = d->sc;
  const ThNetwork *net = d->net;
  GPtrArray *pr = d->pr;
  const int nz = net->n_zones;
  g_auto(GStrv) keys = g_key_file_get_keys(sc->params, "demand", NULL, NULL);
  for (int i = 0; keys && keys[i]; i++) {
    const char *k = keys[i];
    g_autofree char *val = th_scenario_string(sc, "demand", k);
    gboolean annual_k = g_str_has_prefix(k, "annual_growth_zone_");
    if (annual_k || g_str_has_prefix(k, "growth_zone_")) {
      const char *zk = k + strlen(annual_k ? "annual_growth_zone_" : "growth_zone_");
      int z = th_network_zone_lookup(net, zk);
      double x;
      if (z < 0)
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] %s names zone '%s', which the network "
                                            "does not have (a zone id or name)",
                                            sc->path, k, zk));
      else if (!th_parse_double(val, &x))
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] %s = '%s' is not a number", sc->path, k,
                                            val));
      else if (annual_k)
        d->zannual[z] = x;
      else
        d->zg[z] *= x;
    } else if (!strcmp(k, "tourism_sites")) {
      g_free(d->tourism);
      d->tourism = g_new0(double, nz);
      parse_weights(sc, net, k, val, d->tourism, pr);
    } else if (!strcmp(k, "tourism_day")) {
      d->day = th_day_type_lookup(g_strstrip(val));
      if (d->day < 0)
        g_ptr_array_add(pr, g_strdup_printf("%s: [demand] tourism_day = '%s' (weekday, weekend or "
                                            "holiday was expected)",
                                            sc->path, val));
    } else if (!strcmp(k, "internal_zones")) {
      g_free(d->internal);
      d->internal = g_new0(guint8, nz);
      parse_zone_set(sc, net, val, d->internal, pr);
    } else {
      for (int c = 0; c < TH_N_COMMODITIES; c++) {
        g_autofree char *ko = g_strdup_printf("%s_origins", th_commodity_name(c));
        g_autofree char *kd = g_strdup_printf("%s_destinations", th_commodity_name(c));
        if (!strcmp(k, ko)) {
          d->ow[c] = d->ow_all + (size_t)c * nz;
          parse_weights(sc, net, k, val, d->ow[c], pr);
        } else if (!strcmp(k, kd)) {
          d->dw[c] = d->dw_all + (size_t)c * nz;
          parse_weights(sc, net, k, val, d->dw[c], pr);
        }
      }
    }
  }
}

/* Step 3: growth to the design year. Zone growth: growth x zone factor x
 * (1 + zone rate)^(year - base_year). Freight tonnes grow per commodity:
 * COMMODITY_growth (default growth) x (1 + COMMODITY_annual_growth (default
 * annual_growth))^(year - base_year); zone growth then only shifts the
 * origins. Points ThDemandParams at the arrays of D. */
static void demand_growth(ScenarioDemand *d) {
  const ThScenario *sc = d->sc;
  ThDemandParams *p = &d->p;
  GError *e = NULL;
  for (int z = 0; z < d->net->n_zones; z++)
    d->zg[z] *= pow(1.0 + d->zannual[z], d->year - d->base_year);
  for (int c = 0; c < TH_N_COMMODITIES; c++) {
    g_autofree char *kg = g_strdup_printf("%s_growth", th_commodity_name(c));
    g_autofree char *ka = g_strdup_printf("%s_annual_growth", th_commodity_name(c));
    double cg = d->growth, ca = d->annual;
    if (!th_scenario_double(sc, "demand", kg, d->growth, &cg, &e) ||
        !th_scenario_double(sc, "demand", ka, d->annual, &ca, &e)) {
      g_ptr_array_add(d->pr, g_strdup(e->message));
      g_clear_error(&e);
    } else if (!(cg >= 0) || !(ca > -1)) {
      g_ptr_array_add(d->pr,
                      g_strdup_printf("%s: [demand] %s = %g, %s = %g (expected a factor >= 0 "
                                      "and a yearly rate > -1)",
                                      sc->path, kg, cg, ka, ca));
    }
    p->tonnes_per_day[c] *= cg * pow(1.0 + ca, d->year - d->base_year);
  }
  p->zone_growth = d->zg;
  p->internal = d->internal;
  for (int c = 0; c < TH_N_COMMODITIES; c++) {
    p->origin_weight[c] = d->ow[c];
    p->destination_weight[c] = d->dw[c];
  }
  if (!(d->tourism_beta >= 0))
    g_ptr_array_add(d->pr, g_strdup_printf("%s: [demand] tourism_beta = %g (a number >= 0 was "
                                           "expected)",
                                           sc->path, d->tourism_beta));
}

/* Step 4: the synthesis (sim/demand.h), then the tourists
 * (sim/demand-tourism.h), who need the generalized costs of its statistics. */
static ThTrips *demand_synthesize(ScenarioDemand *d, const ThClassTable *classes,
                                  ThDemandStats **stats, GError **error) {
  ThDemandStats *own = NULL;
  ThDemandStats **st = stats ? stats : d->tourism ? &own : NULL;
  GError *e = NULL;
  ThTrips *t = th_demand_synthesize(d->net, classes, &d->p, st, &e);
  if (!t) {
    g_set_error(error, TH_ERROR, e->code, "%s: [demand]: %s", d->sc->path, e->message);
    g_error_free(e);
    return NULL;
  }
  if (d->tourism && d->p.passengers) {
    ThTourismParams tp = {d->p.seed, d->p.sample, (ThDayType)d->day, d->tourism_beta, d->tourism,
                          d->zg};
    int64_t next_id = t->n + 1; /* the synthesizer numbers its trips 1..n */
    (*st)->passenger_trips_per_day +=
        th_demand_tourism_add(d->net, classes, (*st)->cost_min, &tp, t, &next_id);
  }
  th_demand_stats_free(own);
  return t;
}

/* Step 5: [demand] od_factors, the per-OD factors of a calibration
 * (sim/od-factors.h), applied to T (taken). */
static ThTrips *demand_od_factors(const ScenarioDemand *d, const ThClassTable *classes,
                                  ThTrips *t, GError **error) {
  const ThScenario *sc = d->sc;
  g_autofree char *ofp = th_scenario_string(sc, "demand", "od_factors");
  if (!ofp || !*ofp) return t;
  g_autoptr(ThTrips) syn = t;
  if (!g_file_test(ofp, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(
        error, TH_ERROR, TH_ERROR_INVALID,
        "%s: [demand] od_factors: %s does not exist (a CSV origin,destination,factor[,class] "
        "was expected)",
        sc->path, ofp);
    return NULL;
  }
  g_autoptr(ThOdFactors) f = th_od_factors_read(ofp, d->net, classes, error);
  if (!f) return NULL;
  return th_od_factors_apply(f, syn, d->net, classes, d->p.seed, NULL);
}

ThTrips *th_scenario_demand(const ThScenario *sc, const ThNetwork *net,
                            const ThClassTable *classes, ThDemandStats **stats, GError **error) {
  const int nz = net->n_zones;
  g_autoptr(GPtrArray) pr = g_ptr_array_new_with_free_func(g_free);
  ScenarioDemand d = {.sc = sc, .net = net, .pr = pr, .day = TH_DAY_WEEKDAY};
  th_demand_params_init(&d.p);
  demand_scalars(&d);
  g_autofree double *zg = d.zg = g_new(double, nz);
  g_autofree double *zannual = d.zannual = g_new(double, nz);
  for (int z = 0; z < nz; z++) {
    zg[z] = d.growth;
    zannual[z] = d.annual;
  }
  g_autofree double *ow_all = d.ow_all = g_new0(double, (size_t)TH_N_COMMODITIES * nz);
  g_autofree double *dw_all = d.dw_all = g_new0(double, (size_t)TH_N_COMMODITIES * nz);
  demand_zone_keys(&d); /* may set d.internal and d.tourism, freed below */
  demand_growth(&d);
  ThTrips *t = NULL;
  if (pr->len)
    th_problems_to_error(pr, TH_ERROR_INVALID, error);
  else if ((t = demand_synthesize(&d, classes, stats, error)))
    t = demand_od_factors(&d, classes, t, error);
  g_free(d.internal);
  g_free(d.tourism);
  return t;
}

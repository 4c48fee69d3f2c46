/* choice.c: generalized cost, logit, per-agent draws (see choice.h). */
#include "sim/choice.h"

#include "network/csv.h"
#include "network/network.h"
#include "network/th-error.h"
#include "sim/params.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

double th_gen_cost(const ThClass *cls, const ThCostParts *p) {
  double w = cls->wait_weight > 0 ? cls->wait_weight : 1.0;
  double x = cls->transfer_weight > 0 ? cls->transfer_weight : 1.0;
  return cls->vot_per_h / 3600.0 * (p->in_vehicle_s + w * p->wait_s + x * p->transfer_s) + p->money;
}

int th_logit_probs(int n, const double *cost, const double *asc, double scale, double *prob) {
  double best_u = -INFINITY;
  int best = -1;
  for (int i = 0; i < n; i++) {
    if (!isfinite(cost[i])) continue;
    double u = (asc ? asc[i] : 0) - scale * cost[i];
    if (u > best_u) best_u = u, best = i;
  }
  if (best < 0) {
    for (int i = 0; i < n; i++) prob[i] = 0;
    return -1;
  }
  double sum = 0;
  for (int i = 0; i < n; i++) {
    prob[i] = isfinite(cost[i]) ? exp((asc ? asc[i] : 0) - scale * cost[i] - best_u) : 0;
    sum += prob[i];
  }
  for (int i = 0; i < n; i++) prob[i] /= sum;
  return best;
}

int th_logit_pick(int n, const double *prob, double u) {
  double acc = 0;
  int last = -1;
  for (int i = 0; i < n; i++) {
    if (prob[i] <= 0) continue;
    acc += prob[i];
    last = i;
    if (u < acc) return i;
  }
  return last; /* rounding: u just below 1 */
}

/* SplitMix64 finalizer: a fast, well-mixed 64-bit hash step. */
static uint64_t mix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double th_agent_uniform(uint64_t seed, int64_t agent, int iteration, ThDrawPurpose purpose) {
  uint64_t h = mix64(seed);
  h = mix64(h ^ (uint64_t)agent);
  h = mix64(h ^ ((uint64_t)(uint32_t)iteration << 8 | (uint64_t)purpose));
  /* taus2 has a tiny state, so a generator per draw is cheap; it is seeded
   * from the hash rather than using the hash directly so the stream has
   * GSL's documented quality. */
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(rng, (unsigned long)(h ? h : 1));
  double u = gsl_rng_uniform(rng);
  gsl_rng_free(rng);
  return u;
}

/* ---- parameters ---- */

struct ThChoiceParams {
  GHashTable *vals; /* "scale.CLASS" / "asc.CLASS.MODE" / "asc.CLASS.MODE.MARKET" -> double* */
  double scale_all;
  gboolean has_market; /* some constant is per market (else the lookup skips them) */
};

ThChoiceParams *th_choice_params_new(void) {
  ThChoiceParams *p = g_new0(ThChoiceParams, 1);
  p->vals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  p->scale_all = TH_CHOICE_DEFAULT_SCALE;
  return p;
}

void th_choice_params_free(ThChoiceParams *p) {
  if (!p) return;
  g_hash_table_destroy(p->vals);
  g_free(p);
}

static void put(ThChoiceParams *p, char *key, double v) {
  double *d = g_new(double, 1);
  *d = v;
  g_hash_table_replace(p->vals, key, d);
}

void th_choice_params_set_scale(ThChoiceParams *p, const char *cls, double scale) {
  if (!cls) p->scale_all = scale;
  else put(p, g_strdup_printf("scale.%s", cls), scale);
}

void th_choice_params_set_asc(ThChoiceParams *p, const char *cls, uint32_t mode, double asc) {
  put(p, g_strdup_printf("asc.%s.%s", cls, th_mode_name(mode)), asc);
}

void th_choice_params_set_asc_market(ThChoiceParams *p, const char *cls, uint32_t mode,
                                     ThMarket market, double asc) {
  if (market == TH_MARKET_ALL) {
    th_choice_params_set_asc(p, cls, mode, asc);
    return;
  }
  put(p, g_strdup_printf("asc.%s.%s.%s", cls, th_mode_name(mode), th_market_name(market)), asc);
  p->has_market = TRUE;
}

double th_choice_params_asc_market(const ThChoiceParams *p, const char *cls, uint32_t mode,
                                   ThMarket market) {
  if (p->has_market && market != TH_MARKET_ALL) {
    char k[160];
    g_snprintf(k, sizeof k, "asc.%s.%s.%s", cls, th_mode_name(mode), th_market_name(market));
    double *d = g_hash_table_lookup(p->vals, k);
    if (d) return *d;
  }
  return th_choice_params_asc(p, cls, mode);
}

double th_choice_params_scale(const ThChoiceParams *p, const char *cls) {
  g_autofree char *k = g_strdup_printf("scale.%s", cls);
  double *d = g_hash_table_lookup(p->vals, k);
  return d ? *d : p->scale_all;
}

double th_choice_params_asc(const ThChoiceParams *p, const char *cls, uint32_t mode) {
  g_autofree char *k = g_strdup_printf("asc.%s.%s", cls, th_mode_name(mode));
  double *d = g_hash_table_lookup(p->vals, k);
  return d ? *d : 0.0;
}

gboolean th_choice_params_load(ThChoiceParams *p, GKeyFile *kf, const char *group,
                               const char *file, GError **error) {
  if (!g_key_file_has_group(kf, group)) return TRUE;
  g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; keys && keys[i]; i++) {
    const char *key = keys[i];
    g_autofree char *raw = g_key_file_get_value(kf, group, key, NULL);
    /* the rows of [choice] in the parameter table: scale, scale.CLASS, asc.CLASS.MODE,
     * asc.CLASS.MODE.MARKET */
    const ThParam *row = th_param_find(th_param_table, "choice", key);
    g_auto(GStrv) w = NULL;
    double v;
    if (!row || !th_param_key_matches(row, key, &w)) {
      g_ptr_array_add(problems, g_strdup_printf("%s: unknown key [%s] %s (expected one of scale, "
                                                "scale.CLASS, asc.CLASS.MODE, asc.CLASS.MODE.MARKET)",
                                                file, group, key));
    } else if (!raw || !th_param_parse(row, raw, NULL) || !th_parse_double(raw, &v)) {
      g_ptr_array_add(problems, g_strdup_printf("%s: [%s] %s = '%s' is not %s (%s)", file, group,
                                                key, raw ? raw : "", row->what, row->expected));
    } else if (!strcmp(row->key, "asc.CLASS.MODE")) {
      th_choice_params_set_asc(p, w[0], th_mode_from_name(w[1]), v);
    } else if (!strcmp(row->key, "asc.CLASS.MODE.MARKET")) {
      ThMarket market = TH_MARKET_ALL;
      th_market_from_name(w[2], &market); /* the MARKET placeholder accepted it */
      th_choice_params_set_asc_market(p, w[0], th_mode_from_name(w[1]), market, v);
    } else {
      th_choice_params_set_scale(p, w[0], v); /* scale: w[0] is NULL, every class */
    }
  }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return FALSE;
  }
  return TRUE;
}

/* params.c: the [sim] parameter table and its parser (see params.h). */
#include "sim/params.h"
#include "network/csv.h"
#include "sim/multimodal.h"
#include "sim/simulate.h"

#include <math.h>
#include <string.h>

#define SIM(f) TH_PARAM_IN_SIM, #f, offsetof(ThSimParams, f)
#define MM(f) TH_PARAM_IN_MULTIMODAL, #f, offsetof(ThMultimodalParams, f)
#define NONE TH_PARAM_IN_NONE, NULL, 0
#define DAYS30 (30.0 * 86400)
/* the words of [sim] replanning are ThReplanning's values in order */
G_STATIC_ASSERT(TH_REPLAN_MSA == 0 && TH_REPLAN_GAP == 1);

/* Defaults, ranges and help of the simulation settings; the README's
 * "Parameter reference" is printed from this table. */
const ThParam th_sim_param_table[] = {
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
    {"sim", "stuck_time_s", SIM(stuck_time_s), TH_PARAM_TIME, "s", "300", 1, DAYS30, NULL,
     "a time", "seconds > 0 or HH:MM:SS", "stuck-time", "S",
     "a vehicle held this long at the head of a queue is moved on anyway (its trip is stuck)"},
    {"sim", "bin_s", SIM(bin_s), TH_PARAM_TIME, "s", "900", 1, 86400, NULL, "a time",
     "1 to 86400 seconds", "bin", "S", "width of the time bins of link travel times and statistics"},
    {"sim", "replan_share", SIM(switch_share), TH_PARAM_DOUBLE, "", "0", -INFINITY, 1, NULL,
     "a number", "at most 1; 0 or less: MSA", NULL, NULL,
     "share of travellers that switch route per day (replanning msa); 0 or less: 1/(k+1)"},
    {"sim", "choice_iterations", MM(choice_iterations), TH_PARAM_INT, "", "3", 1, G_MAXINT, NULL,
     "a number", "1 or more", "choice-iterations", "N",
     "mode-choice iterations of a multimodal run (each runs the road days)"},
    {"sim", "inflow_capacity", SIM(inflow_capacity), TH_PARAM_SWITCH, "", "true", 0, 1, NULL,
     "a switch", "true or false", "inflow-capacity", "B",
     "links admit vehicles from upstream at no more than their capacity"},
    {"sim", "backward_wave_kmh", SIM(backward_wave_kmh), TH_PARAM_DOUBLE, "km/h",
     G_STRINGIFY(TH_SIM_BACKWARD_WAVE_KMH), 0, 200,
     NULL, "a speed", "0 to 200 km/h; 0 for none", "backward-wave", "KMH",
     "speed at which space freed at a link's head travels back to its tail; 0: at once"},
    {"sim", "departure_queue", SIM(departure_queue), TH_PARAM_SWITCH, "", "true", 0, 1, NULL,
     "a switch", "true or false", "departure-queue", "B",
     "departures wait off the network until their first link has room"},
    {"sim", "replanning", SIM(replanning), TH_PARAM_WORD, "", "gap", 0, 1, "msa|gap", "a method",
     "msa or gap", "replanning", "M",
     "how travellers switch routes: gap (margin, gain-proportional, falling share) or msa"},
    {"sim", "warm_start", NONE, TH_PARAM_PATH, "", "", 0, 0, NULL, "a file", "a CSV of link times",
     NULL, NULL,
     "day 1's routes on these link times instead of free flow (relative to the scenario file)"},
    {NULL},
};

const ThParam *th_param_find(const ThParam *table, const char *section, const char *key) {
  for (const ThParam *p = table; p->key; p++)
    if (!strcmp(p->section, section) && !strcmp(p->key, key)) return p;
  return NULL;
}

gboolean th_param_switch(const char *v, gboolean *out) {
  if (!v) return FALSE;
  if (!g_ascii_strcasecmp(v, "true") || !strcmp(v, "1")) *out = TRUE;
  else if (!g_ascii_strcasecmp(v, "false") || !strcmp(v, "0")) *out = FALSE;
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
  case TH_PARAM_PATH:
    return TRUE;
  }
  return FALSE;
}

void th_params_set_defaults(const ThParam *table, ThParamStruct in, void *base) {
  for (const ThParam *p = table; p->key; p++)
    if (p->in == in && !th_param_parse(p, p->def, base))
      g_error("params: default '%s' of [%s] %s is not a value of its own row", p->def, p->section,
              p->key);
}

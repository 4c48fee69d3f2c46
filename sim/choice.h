/* choice.h: generalized cost and multinomial logit mode choice.
 *
 * Generalized cost (yuan, per traveller or per tonne, see classes.h):
 *   GC = VOT/3600 x (in-vehicle s + wait_weight x wait s + transfer_weight x
 *        transfer s) + money
 * where money is fuel (cost_per_km per vehicle-km, shared by its load),
 * tolls, fares and handling charges. A traveller picks mode i with the
 * multinomial logit probability
 *   P_i = exp(ASC_i - scale x GC_i) / sum_j exp(ASC_j - scale x GC_j)
 * over the best path of each available mode (Ben-Akiva and Lerman 1985),
 * with alternative-specific constants per class and mode (optionally per
 * market of the trip: internal, external, through) and a scale per class
 * (1/yuan). Draws come from a stream seeded by a hash of (seed, agent
 * id, iteration, purpose), so a choice never depends on thread count or on
 * the order agents are processed in. */
#pragma once
#include "sim/classes.h"
#include "sim/observed.h"

#include <stdint.h>

G_BEGIN_DECLS

/* The parts of one alternative's cost, in seconds and yuan. */
typedef struct {
  double in_vehicle_s; /* riding or driving (access and egress legs count here) */
  double wait_s;       /* at stops and in hub queues */
  double transfer_s;   /* walking between runs */
  double money;        /* fuel, tolls, fares, handling */
} ThCostParts;

/* GC of PARTS for class CLS. O(1). */
double th_gen_cost(const ThClass *cls, const ThCostParts *parts);

/* Logit probabilities for N alternatives with costs COST (INFINITY: not
 * available, probability 0), constants ASC (may be NULL: all 0) and SCALE
 * (> 0). Stable for large costs (the least cost is subtracted first). If no
 * alternative is available all PROB are 0 and -1 is returned, else the
 * index of the most probable one. O(N). */
int th_logit_probs(int n, const double *cost, const double *asc, double scale, double *prob);

/* The alternative a uniform draw U in [0,1) selects under PROB (the first
 * whose cumulative probability exceeds U; unavailable ones never). -1 if
 * none is available. O(N). */
int th_logit_pick(int n, const double *prob, double u);

/* What a draw is for, so the streams of different decisions stay apart. */
typedef enum { TH_DRAW_MODE = 1, TH_DRAW_REPLAN = 2, TH_DRAW_ROUTE = 3, TH_DRAW_CAR = 4 } ThDrawPurpose;

/* A uniform number in [0,1) from the stream of (SEED, AGENT, ITERATION,
 * PURPOSE): a GSL taus2 generator seeded from a 64-bit mix of the four. The
 * same arguments always give the same number. O(1). */
double th_agent_uniform(uint64_t seed, int64_t agent, int iteration, ThDrawPurpose purpose);

/* Mode-choice parameters: scale per class (default TH_CHOICE_DEFAULT_SCALE)
 * and constants per (class, mode) (default 0). Modes are TH_MODE_* bits
 * (road stands for car or truck). */
#define TH_CHOICE_DEFAULT_SCALE 0.1
typedef struct ThChoiceParams ThChoiceParams;
ThChoiceParams *th_choice_params_new(void);
void th_choice_params_free(ThChoiceParams *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThChoiceParams, th_choice_params_free)
void th_choice_params_set_scale(ThChoiceParams *p, const char *cls, double scale);
void th_choice_params_set_asc(ThChoiceParams *p, const char *cls, uint32_t mode, double asc);
double th_choice_params_scale(const ThChoiceParams *p, const char *cls);
double th_choice_params_asc(const ThChoiceParams *p, const char *cls, uint32_t mode);
/* Constants per market (sim/observed.h: internal, external, through, by
 * the trip's end zones against the study area): a constant set for
 * (class, mode, market) is used for that market's trips INSTEAD of the
 * class's constant for the mode; markets without their own keep that one.
 * MARKET TH_MARKET_ALL sets or reads the class's constant. O(1). */
void th_choice_params_set_asc_market(ThChoiceParams *p, const char *cls, uint32_t mode,
                                     ThMarket market, double asc);
double th_choice_params_asc_market(const ThChoiceParams *p, const char *cls, uint32_t mode,
                                   ThMarket market);
/* Reads a key-file group such as the scenario's [choice]:
 *   scale = 0.1            (every class)      scale.car = 0.08
 *   asc.car.rail = -0.5    (class car, mode rail)
 *   asc.car.bus.internal = -1.2   (class car, mode bus, internal trips only;
 *                          likewise .external, .through; .all = asc.car.bus)
 * by the [choice] rows of the parameter table (sim/params.h). Unknown keys
 * (an unknown mode or market among them), bad numbers or a scale <= 0 are
 * TH_ERROR_INVALID naming FILE (for messages) and the key, with the row's
 * message. */
gboolean th_choice_params_load(ThChoiceParams *p, GKeyFile *kf, const char *group,
                               const char *file, GError **error);

G_END_DECLS

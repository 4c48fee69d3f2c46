/* assign.h: static user-equilibrium traffic assignment (Wardrop's first
 * principle) with BPR link costs, for one or several vehicle classes.
 *
 * Link travel time (minutes, as in TNTP files):
 *   t_a = t0_a (1 + alpha_a (v_a / c_a)^beta_a)
 * where v_a is the link's flow in passenger-car units (sum over classes of
 * vehicles x pcu) and c_a its capacity (veh/h). A class's generalized cost of
 * a link is t_a plus its fixed cost (tolls and distance, in minutes). Links
 * with alpha or beta 0, or without a positive capacity, have constant cost.
 * Nodes marked node_no_thru (TNTP zones below FIRST THRU NODE, GMNS zone
 * centroids) are never passed through.
 *
 * Relative gap (the literature's definition):
 *   (TSTT - SPTT) / TSTT, TSTT = sum over classes and links of x_ka c_ka,
 *   SPTT = sum over OD pairs of trips x shortest-path cost at current costs.
 * Beckmann objective: sum_a integral_0^v_a t_a(w) dw + sum_ka x_ka fixed_ka.
 *
 * Algorithms: Frank-Wolfe (fw), conjugate FW (cfw) and bi-conjugate FW (bfw)
 * after Mitradjieva & Lindberg (2013), and Dial's Algorithm B (b, the
 * default; Dial 2006, with Newton flow shifts as in Nie 2010 and Boyles'
 * tap-b), an origin-based method that keeps an acyclic bush per class and
 * origin and reaches relative gaps of 1e-10 where FW stalls near 1e-4.
 *
 * Determinism: shortest-path trees of different origins run on a
 * GThreadPool and are merged in origin order. Algorithm B updates its
 * bushes (class, origin pairs, in pair order) in batches of two
 * consecutive pairs: both bushes of a batch see the link flows as they
 * were at the start of the batch plus their own shifts, run on two
 * threads when there are two, and their shifts are then added to the link
 * flows in pair order. What a bush sees depends on the batch, never on the
 * thread count, so the result is bit-identical for any number of threads
 * (tested for 1, 2, 3 and 5). A batch of one would be plain Gauss-Seidel;
 * two bushes shifting on the same links at once can overshoot, which
 * larger batches do (Sioux Falls stalls at gap 3e-5 with batches of 4). */
#pragma once
#include "network/network.h"
#include "network/tntp.h"

G_BEGIN_DECLS

typedef enum {
  TH_ASSIGN_FW,  /* Frank-Wolfe */
  TH_ASSIGN_CFW, /* conjugate Frank-Wolfe */
  TH_ASSIGN_BFW, /* bi-conjugate Frank-Wolfe */
  TH_ASSIGN_B,   /* Dial's Algorithm B (bush-based) */
} ThAssignAlgorithm;

/* "fw", "cfw", "bfw", "b"; FALSE if NAME is none of them. */
gboolean th_assign_algorithm_from_name(const char *name, ThAssignAlgorithm *out);
const char *th_assign_algorithm_name(ThAssignAlgorithm a);

/* One vehicle class: its demand and what it may use and pays. */
typedef struct {
  const char *name;        /* e.g. "car", "truck" */
  double pcu;              /* passenger-car units per vehicle (> 0) */
  const ThOdTable *od;     /* vehicles per OD pair (zone indices of the network) */
  const guint8 *banned;    /* n_links flags (1 = the class may not use the link) or NULL */
  const double *fixed_min; /* n_links fixed generalized cost in minutes (tolls, distance) or NULL */
} ThAssignClass;

/* One line of the convergence log. */
typedef struct {
  int iteration;          /* 0 = the initial all-or-nothing loading */
  double relative_gap;
  double tstt;            /* total system generalized cost, veh x min */
  double beckmann;
  double elapsed_s;       /* wall time since the start: for logs, never for results */
  double aec_min;         /* average excess cost per assigned trip, minutes:
                           * (TSTT - SPTT) / trips (= relative gap x mean trip cost) */
  double max_excess;      /* Algorithm B: the worst relative excess cost of a
                           * used path, max over OD pairs of (longest used
                           * path - shortest path) / shortest path at the
                           * iteration's costs; computed on every iteration
                           * when params report_excess, else only when
                           * params max_excess is set and the gap is
                           * reached; NAN when not computed (and always for
                           * the Frank-Wolfe family, which keeps no paths) */
} ThAssignIter;

typedef void (*ThAssignProgress)(const ThAssignIter *it, gpointer data);

/* Stopping rule: the run stops after the first iteration whose relative
 * gap is at most GAP, and, when MAX_EXCESS > 0 (Algorithm B only), whose
 * maximum excess (ThAssignIter) is also at most MAX_EXCESS; or after
 * MAX_ITER iterations. The gap is an average over trips; the excess sees a
 * single OD pair's detour, so it is what pins down link flows on nearly
 * flat routes (Anaheim at gap 1e-6 without it: 79 links off the best-known
 * flows by more than 0.1%; with --max-excess 1e-9: none). Once the gap is
 * reached with the excess above MAX_EXCESS, B runs flow-only sweeps over
 * its bushes ("polish") before growing them again. */
typedef struct {
  ThAssignAlgorithm algorithm;
  double gap;            /* stop at this relative gap (e.g. 1e-6) */
  double max_excess;     /* > 0: also require this maximum excess (B); 0: gap alone */
  gboolean report_excess; /* B: compute the maximum excess on every iteration (for logs) */
  int max_iter;          /* stop after this many iterations */
  int threads;           /* >= 1 */
  ThAssignProgress progress; /* called after every iteration, may be NULL */
  gpointer progress_data;
} ThAssignParams;

/* Defaults: Algorithm B, gap 1e-6, no excess criterion, 1000 iterations,
 * 1 thread. */
void th_assign_params_init(ThAssignParams *p);

typedef struct {
  int n_links, n_classes;
  double *volume;       /* n_classes x n_links: vehicles of class k on link a at [k*n_links + a] */
  double *pcu;          /* n_links: total flow in pcu */
  double *time_min;     /* n_links: congested travel time, minutes */
  double *cost_min;     /* n_classes x n_links: generalized cost, minutes */
  GArray *log;          /* of ThAssignIter, one per iteration */
  int iterations;
  double relative_gap, tstt, beckmann;
  gboolean converged;   /* relative_gap <= params gap (and the excess, when asked) */
  double unassigned;    /* trips between zones that no path joins (not assigned) */
} ThAssignResult;

void th_assign_result_free(ThAssignResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThAssignResult, th_assign_result_free)

/* Fixed generalized cost in minutes of each link for a TNTP network with
 * the metadata's TOLL FACTOR and DISTANCE FACTOR: toll factor x toll +
 * distance factor x length (the file's units). NULL when both factors are 0.
 * Caller frees. O(m). */
double *th_assign_tntp_fixed_cost(const ThNetwork *net);

/* Solves the joint equilibrium of CLASSES on NET (finalized; links usable
 * when they allow road or connector). Errors: TH_ERROR_INVALID for a class
 * without positive pcu or an OD table of another network. Trips with no
 * path are counted in unassigned, not loaded.
 * Complexity per iteration: one shortest-path tree per (class, origin),
 * O((n + m) log n) each, plus for B the bush updates, O(bush size) each. */
ThAssignResult *th_assign_run(const ThNetwork *net, const ThAssignClass *classes, int n_classes,
                              const ThAssignParams *params, GError **error);

/* Congested skim of class K at the costs of RESULT: for each origin zone (in
 * zone order) and reachable destination zone, the least generalized-cost
 * path's time (min), length (km) and tolls (money). Arrays are n_zones x
 * n_zones, [o * n_zones + d], NAN where unreachable; caller frees with
 * g_free. Parallel over origins with THREADS threads, identical results for
 * any count. O(z (n + m) log n). */
void th_assign_skim(const ThNetwork *net, const ThAssignClass *cls, const ThAssignResult *result,
                    int k, int threads, double **time_min, double **distance_km, double **toll);

G_END_DECLS

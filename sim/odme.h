/* odme.h: origin-destination matrix estimation from link counts by the
 * gradient method of Spiess (1990, "A gradient approach for the O-D matrix
 * adjustment problem", CRT publication 693), on static user-equilibrium
 * assignment (sim/assign.h).
 *
 * The problem: find demand g close to the prior matrix whose assigned flows
 * v(g) reproduce the counts c:
 *   min Z(g) = 1/2 sum over counts (v_c(g) - c)^2
 * Spiess's method keeps every cell's relative structure by a multiplicative
 * steepest descent g_ij <- g_ij (1 - lambda dZ/dg_ij), so zero cells of the
 * prior stay zero and the matrix moves no further from the prior than the
 * counts ask. With p_c^ij the share of OD pair ij's trips that uses counted
 * link c (from the assignment; here the least generalized-cost path at the
 * equilibrium link costs, all-or-nothing):
 *   dZ/dg_ij = sum_c w_k p_c^ij (v_c - c)
 *   flow change per unit step  v'_c = - sum_ij w_k p_c^ij g_ij dZ/dg_ij
 *   step lambda* = sum_c v'_c (c - v_c) / sum_c v'_c^2, capped so that no
 *   cell changes sign (lambda <= 1 / max dZ/dg_ij)
 * where w_k weighs class k in what the count measures (1 for vehicles of the
 * class, its pcu for car units, 0 for other classes). Each outer iteration
 * assigns the current matrix to equilibrium, takes the path shares, then
 * makes INNER steps on the linearized flows; it stops after MAX_OUTER
 * iterations or when Z falls below tolerance x Z of the prior.
 *
 * Determinism: the assignment is thread-count independent; the rest is
 * sequential in (class, origin, destination) order. */
#pragma once
#include "sim/assign.h"

G_BEGIN_DECLS

/* One count: LINK (link index) carries VALUE of sum_k WEIGHT[k] x vehicles
 * of class k (WEIGHT has one entry per class). */
typedef struct {
  int link;
  double value;
  const double *weight;
} ThOdmeCount;

typedef struct {
  int max_outer;        /* assignments (default 10) */
  int inner;            /* gradient steps per assignment (default 10) */
  double tolerance;     /* stop when Z <= tolerance x Z(prior) (default 1e-6) */
  ThAssignParams assign;/* for every equilibrium (default th_assign_params_init, gap 1e-6) */
} ThOdmeParams;

void th_odme_params_init(ThOdmeParams *p);

typedef struct {
  int n_classes;
  ThOdTable **od;       /* per class: the estimated demand (same cells as the prior) */
  double *prior_flow;   /* per count: the flow the prior assigns */
  double *flow;         /* per count: the flow the estimate assigns */
  gboolean *unreachable;/* per count: the prior loads no flow on the link and no least-cost
                         * path crosses it: no change of the matrix can move it */
  double z_prior, z;    /* objective of the prior and of the estimate */
  int outer;            /* assignments used, the final one included */
} ThOdmeResult;

void th_odme_result_free(ThOdmeResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThOdmeResult, th_odme_result_free)

/* Estimates the demand of CLASSES (their od is the prior) on NET so that
 * assigned flows meet COUNTS. Errors: those of th_assign_run;
 * TH_ERROR_INVALID for a count on no link or with a negative value.
 * Cost: MAX_OUTER equilibria plus one shortest-path tree per (class,
 * origin) each, plus O(INNER x hits) for the steps. */
ThOdmeResult *th_odme_run(const ThNetwork *net, const ThAssignClass *classes, int n_classes,
                          const ThOdmeCount *counts, int n_counts, const ThOdmeParams *params,
                          GError **error);

G_END_DECLS

/* appraisal.h: cost-benefit arithmetic of a transport project (discounted
 * cash flow), as plain functions on plain numbers.
 *
 * The rules, as in 《建设项目经济评价方法与参数》 (third edition, 国家发展改革委
 * and 建设部, 2006) and every textbook of project appraisal:
 *
 *   - A project is a stream of net annual flows f_0, f_1, ..., f_{n-1} in
 *     yuan at constant prices, year 0 the first year of construction.
 *     Flows are counted at the END of their year and discounted to the start
 *     of year 0:  PV(f, r) = sum_t f_t / (1 + r)^(t + 1).
 *   - Construction: the capital cost is spent in equal parts over the
 *     construction years (years 0 .. C-1, C >= 1).
 *   - Operation: from the opening year (year C) for the appraisal period of
 *     N years, operating year k (k = 0 .. N-1, calendar year C + k) has the
 *     benefit B (1 + g)^k, B the opening year's annual benefit and g the
 *     annual benefit growth (traffic growth; 0: held at the opening level),
 *     and the annual operating cost O (constant).
 *   - Residual value: at the end of the last year (year C + N - 1) the
 *     capital not yet used up, straight-line over the asset life L years
 *     from opening: capital x max(0, L - N) / L (0 when L is 0: no residual
 *     value), counted as a benefit of that year (回收固定资产余值).
 *   - NPV (经济净现值 ENPV) = PV(benefits) - PV(costs); BCR (效益费用比) =
 *     PV(benefits) / PV(capital + operating costs); EIRR (经济内部收益率) the
 *     rate r at which the NPV of the net stream is 0.
 *   - Annual benefit from one modelled day: daily value x annualisation
 *     factor (days per year that are like the modelled day).
 *
 * Units: yuan, years, rates as fractions (0.08 = 8%). */
#pragma once
#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

/* Present value at rate R (> -1) of the N flows F (F[t] at the end of year
 * t), discounted to the start of year 0. O(N). */
double th_appraisal_pv(const double *f, int n, double r);

/* The internal rate of return of the N flows F: a rate r in [-0.99, 10]
 * with PV(F, r) = 0, found by bisection to 1e-12 between the two ends.
 * NAN when PV has the same sign at both ends (all flows of one sign, or
 * benefits that never repay the cost). A stream that changes sign more than
 * once may have several rates; one of them is returned. O(N * 60). */
double th_appraisal_irr(const double *f, int n);

/* A project for appraisal: what [appraisal] of a scenario gives. */
typedef struct {
  double capital_cost;       /* yuan, constant prices, spent over the construction years */
  double annual_operating;   /* yuan a year from the opening year */
  int construction_years;    /* >= 1 */
  int period_years;          /* appraisal period (operation), >= 1 */
  double discount_rate;      /* social discount rate, e.g. 0.08 */
  double benefit_growth;     /* annual growth of the benefit over the period (> -1); 0: flat */
  double
      asset_life_years; /* straight-line life of the capital from opening; 0: no residual value */
} ThAppraisalProject;

typedef struct {
  double pv_benefits, pv_costs; /* yuan, discounted to the start of construction
                                 * (benefits include the residual value) */
  double residual_value;        /* yuan at the end of the period, undiscounted */
  double pv_residual;           /* its present value (part of pv_benefits) */
  double npv;                   /* pv_benefits - pv_costs */
  double bcr;                   /* pv_benefits / pv_costs; NAN when pv_costs is 0 */
  double eirr;                  /* NAN when none (see th_appraisal_irr) */
  int n_years;                  /* construction + operation */
} ThAppraisalResult;

/* Appraises P with the opening year's annual benefit ANNUAL_BENEFIT (yuan a
 * year, may be negative: a project that makes travel worse). FALSE when P
 * is not valid (years < 1, rate <= -1, growth <= -1, negative costs or
 * asset life). O(years * log(1/eps)). */
gboolean th_appraisal_run(const ThAppraisalProject *p, double annual_benefit,
                          ThAppraisalResult *out);

/* The change in users' cost by the rule of a half: with U0 units of demand
 * (trips, tonnes) bearing X0 in all (hours, km, t CO2) before and U1
 * bearing X1 after, 0.5 (U0 + U1) (X0 / U0 - X1 / U1), positive when the
 * cost per unit falls. With U0 = U1 it is X0 - X1. 0 when U0 or U1 is not
 * positive or X0, X1 are not finite. O(1). */
double th_appraisal_rule_of_half(double u0, double x0, double u1, double x1);

/* ---- the benefits of a project: a scenario's run against the base's ---- */

/* One cell of the demand: the trips of a class and purpose. */
typedef struct {
  const char *cls;     /* class name */
  const char *purpose; /* "" when the trips have none (freight; demand without purposes) */
  gboolean freight;
  double units;        /* trips (passengers) or tonnes (freight) a day, expanded */
  double hours;        /* their trip-hours or tonne-hours a day, expanded */
  double vot_per_h;    /* value of time, yuan per trip-hour or tonne-hour */
} ThAppraisalCell;

/* What the appraisal needs of one run: its cells and daily totals. */
typedef struct {
  int n_cells;
  const ThAppraisalCell *cells;
  double trips, passenger_trips; /* a day, expanded (summary.csv's trips, passenger_trips) */
  double car_vehicle_km, truck_vehicle_km, co2_t;
} ThAppraisalRun;

/* The prices of the benefits that are not time ([appraisal], table below). */
typedef struct {
  double voc_car_per_km, voc_truck_per_km, carbon_price_per_t, days_per_year;
} ThAppraisalPrices;

typedef struct {
  double time_benefit, voc_benefit, co2_benefit; /* yuan a day */
  double daily_benefit, annual_benefit;          /* yuan a day; yuan in the opening year */
} ThAppraisalBenefits;

/* The benefits of SCN against BASE, by the rule of a half per unit of
 * demand:
 *   time, per cell of BASE (matched in SCN by class and purpose; a cell SCN
 *     lacks has U1 = 0 and gives 0): th_appraisal_rule_of_half(U0, H0, U1,
 *     H1) x SCN's cell vot_per_h (the project's values), into TIME_CELL
 *     (BASE->n_cells values, may be NULL);
 *   vehicle operating costs: car vehicle-km per passenger trip x
 *     voc_car_per_km, plus truck vehicle-km per tonne (the freight cells'
 *     units) x voc_truck_per_km;
 *   CO2: tonnes per trip x carbon_price_per_t;
 * annual = daily x days_per_year. O(cells^2). */
void th_appraisal_benefits(const ThAppraisalRun *base, const ThAppraisalRun *scn,
                           const ThAppraisalPrices *prices, double *time_cell,
                           ThAppraisalBenefits *out);

/* TRUE when KEY is vot_purpose_PURPOSE_per_h (PURPOSE non-empty): the value
 * of time of passenger trips of PURPOSE, yuan per hour, over their class's.
 * *PURPOSE_OUT (freed by the caller) gets PURPOSE when not NULL. */
gboolean th_appraisal_vot_purpose_key(const char *key, char **purpose_out);

/* The value of time of a cell: [appraisal] vot_purpose_PURPOSE_per_h for a
 * passenger cell with a purpose when PURPOSE_VOT is a number, else
 * vot_CLASS_per_h when CLASS_VOT_OVERRIDE is one, else CLASS_VOT (the
 * class table's). Give NAN for a key that is not set. */
static inline double th_appraisal_cell_vot(gboolean freight, const char *purpose,
                                           double purpose_vot, double class_vot_override,
                                           double class_vot) {
  if (!freight && purpose && *purpose && !isnan(purpose_vot)) return purpose_vot;
  return !isnan(class_vot_override) ? class_vot_override : class_vot;
}

/* ---- uncertainty: the appraisal per replication ---- */

/* compare runs the base and each project with the same seeds (sim/effects.h);
 * the appraisal of replication k compares project k with base k, so each
 * replication's NPV (benefits, BCR, EIRR) is already a paired difference.
 * Over the N replications: the mean and the 95 % t interval
 *     mean(x) +/- t(0.975, N - 1) x sd(x) / sqrt(N),
 * the paired interval of effects.csv with the base's values all 0. NaN
 * values (an EIRR that does not exist in a replication) are left out. */
typedef struct {
  int n;                  /* values used */
  double mean;            /* NaN when no value is a number */
  double ci_low, ci_high; /* NaN when n < 2 */
  gboolean significant;   /* the interval excludes BREAK_EVEN (n >= 2) */
} ThAppraisalInterval;

/* The interval of X[0..N); BREAK_EVEN is the value the interval is tested
 * against: 0 for money (NPV, benefits), 1 for the BCR, the discount rate
 * for the EIRR. O(N). */
void th_appraisal_interval(const double *x, int n, double break_even, ThAppraisalInterval *out);

/* The annual value of a daily value: DAILY x DAYS_PER_YEAR. */
static inline double th_appraisal_annualise(double daily, double days_per_year) {
  return daily * days_per_year;
}

/* The sources of the defaults of the [appraisal] parameters, for the
 * report. The keys, defaults, units and ranges are rows of the parameter
 * table (sim/params.h, section "appraisal"), vot_CLASS_per_h among them
 * (value of time of a class of classes.csv, yuan per hour; per tonne-hour
 * for freight classes; default the class's vot_per_h). */
typedef struct {
  const char *key;
  const char *source;    /* where the default comes from; "assumption" when not published */
  const char *source_zh; /* the same in Chinese, for the report */
} ThAppraisalSource;

/* One row per key of [appraisal] with a default, in table order, ended by
 * a NULL key. */
extern const ThAppraisalSource th_appraisal_sources[];

G_END_DECLS

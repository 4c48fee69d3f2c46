/* report-doc.h: the report as data (inside output/; see report.h).
 *
 * report-data.c reads a compare folder into ThReportData (no drawing);
 * report-doc.c turns it into a ThReportDoc, a list of blocks (headings,
 * paragraphs, tables, charts, maps) in the chosen language; report-html.c
 * and report-pdf.c render the same blocks, so the HTML and the PDF always
 * say the same thing. chart.c draws a ThChart on any cairo surface. */
#pragma once
#include "output/results-read.h"
#include "sim/appraisal.h"
#include "output/appraisal-csv.h"
#include "output/zone-cells.h"

G_BEGIN_DECLS

/* ---- what the compare folder holds ---- */

enum { TH_MARKET_COUNTY = 0, TH_MARKET_EXTERNAL, TH_MARKET_THROUGH, TH_N_MARKETS };

/* A class of classes.csv and a purpose of trips_out.csv (sim/trips.h): one
 * entry per class with purpose "" (its trips without a purpose), and one
 * per class and purpose met, in class order, then purposes in order of
 * first appearance. */
typedef struct {
  char *cls;
  gboolean freight;
  double units;    /* trips (passenger) or tonnes (freight) a day, expanded */
  double hours;    /* trip-hours or tonne-hours a day, expanded */
  double vot_per_h; /* classes.csv vot_per_h */
  char *purpose;   /* "" for none */
  int class_index, seq; /* order: classes.csv row, then first appearance */
} ThReportClass;

/* A row of appraisal.csv (output/appraisal-csv.h). */
typedef struct {
  char *scenario, *item, *cls, *purpose;
  int replications;
  double mean, ci_low, ci_high; /* NAN when empty */
  gboolean significant;
} ThReportAppraisalRow;

typedef struct {
  char *key, *name, *description;
  GHashTable *summary; /* column -> double* (summary.csv) */
  ThResults *results;  /* the results folder (NULL only when it failed to load) */
  GKeyFile *params;    /* params.ini ("" key file when absent) */
  GArray *classes;     /* ThReportClass */
  double load_factor[4]; /* bus, rail, hsr, intercity: passenger-km / place-km; NAN: none */
  double hub_max_queue_min, hub_peak_queue_t; /* over hubs: the longest mean queue, the largest peak */
  char *hub_busiest;   /* name of the hub with most tonnes */
  double hub_busiest_t;
  /* od_delta.csv, best mode, per market: changes in minutes (scenarios only) */
  GArray *delta[TH_N_MARKETS]; /* double */
  /* accessibility.csv (scenarios only): per zone of the base network */
  double *pop60_base, *pop60_scn; /* n_zones; NAN when the zone has no row */
  /* od_delta.csv, best mode: per origin zone, the mean change in minutes to
   * every other zone weighted by its population; NAN: no pair */
  double *zone_delta_min;
} ThReportScenario;

void th_report_scenario_free(ThReportScenario *s);

typedef struct {
  char *scenario, *indicator;
  double base_mean, scenario_mean, effect, ci_low, ci_high;
  gboolean significant;
} ThReportEffect;

typedef struct {
  char *dir;
  GPtrArray *scen;    /* ThReportScenario*: [0] is the base */
  GArray *effects;    /* ThReportEffect; NULL: no effects.csv (no replications) */
  GArray *appraisal;  /* ThReportAppraisalRow of appraisal.csv; NULL: none (an older compare folder) */
  char *validation_path; /* NULL: none */
  GPtrArray *validation; /* GStrv rows, [0] the header; NULL: none */
  guint8 *internal;   /* base zones: 1 = study area ([demand] internal_zones; all when unset) */
} ThReportData;

/* Reads compare folder DIR: summary.csv (required; the first row is the
 * base), effects.csv, od_delta.csv, accessibility.csv (optional), each
 * scenario's results folder (required: th_results_read, params.ini,
 * classes.csv, trips_out.csv, services_out.csv, hubs_out.csv) and the
 * validation file VALIDATION_PATH (NULL: DIR/validation_summary.csv if
 * present). Errors as th_report_write's. O(trips + od rows + links). */
ThReportData *th_report_data_read(const char *dir, const char *validation_path, GError **error);
void th_report_data_free(ThReportData *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThReportData, th_report_data_free)

/* TRUE when effects.csv has at least one 95% interval (two or more
 * replications; with one, compare writes the effects without intervals). */
gboolean th_report_has_intervals(const ThReportData *d);

/* A summary.csv value of S, NAN when the column is absent. */
double th_report_value(const ThReportScenario *s, const char *column);
/* The effects.csv row of SCENARIO and INDICATOR, or NULL. */
const ThReportEffect *th_report_effect(const ThReportData *d, const char *scenario,
                                       const char *indicator);

/* ---- the appraisal of one project (daily figures expanded to the full demand) ---- */

#define TH_REPORT_MAX_CELLS 32
typedef struct {
  /* per class and purpose of the base (rule of a half), yuan a day */
  double time_benefit_class[TH_REPORT_MAX_CELLS];
  char *class_name[TH_REPORT_MAX_CELLS];
  char *purpose_name[TH_REPORT_MAX_CELLS]; /* "" for trips without a purpose */
  int n_classes;
  double time_benefit, voc_benefit, co2_benefit; /* yuan a day */
  double daily_benefit, annual_benefit;          /* yuan */
  ThAppraisalProject project;
  gboolean appraised; /* capital or operating cost given */
  ThAppraisalResult result;
  int opening_year;
  /* with appraisal.csv: the figures above are its means over the
   * replications, and these their 95 % intervals (NAN bounds with one
   * replication); replications is 0 without appraisal.csv */
  int replications;
  ThAppraisalInterval npv_iv, bcr_iv, eirr_iv, daily_iv;
  ThAppraisalInterval time_iv[TH_REPORT_MAX_CELLS];
} ThReportAppraisal;

/* The appraisal of scenario S (index >= 1) against the base: from
 * appraisal.csv when the folder has one (the means and intervals over the
 * replications), else from the files of replication 0 (trips_out.csv per
 * class and purpose, summary.csv) with the project's params.ini. */
void th_report_appraise(const ThReportData *d, int s, ThReportAppraisal *out);
void th_report_appraisal_clear(ThReportAppraisal *a);
/* [appraisal] KEY of S (params.ini), or the table's default. */
double th_report_param(const ThReportScenario *s, const char *key);

/* ---- charts ---- */

typedef enum {
  TH_CHART_BARS,   /* grouped bars: categories x series */
  TH_CHART_BOXES,  /* one box (p5, p25, median, p75, p95) per category x series */
  TH_CHART_ZONES,  /* small multiples: one map panel per series, each zone's polygon (cells)
                   * or, without cells, its point coloured by a value; a colour key */
} ThChartKind;

typedef struct {
  ThChartKind kind;
  char *title, *unit;
  int n_cat, n_ser;
  char **cat, **ser;   /* labels */
  double *v;           /* BARS: n_cat * n_ser values, v[c * n_ser + s] */
  double *box;         /* BOXES: n_cat * n_ser * 5 values; NAN box = no data */
  int n_pts;           /* ZONES: points per panel */
  double *lon, *lat, *size; /* ZONES: n_pts */
  double *zv;          /* ZONES: n_ser * n_pts values (NAN: none); colour scale symmetric */
  ThZoneCells *cells;  /* ZONES: the polygon of each point in lon/lat degrees, or NULL: dots */
  gboolean percent;    /* values are fractions to print as % */
  gboolean stacked;    /* BARS: series stacked in one bar per category */
  double aspect;       /* height / width */
} ThChart;

void th_chart_free(ThChart *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThChart, th_chart_free)

/* ---- the document ---- */

/* TRUE when a table cell holds an effect that is not significant (it ends
 * with TH_REPORT_NS_ZH or TH_REPORT_NS_EN): renderers grey that cell. */
#define TH_REPORT_NS_ZH " 不显著"
#define TH_REPORT_NS_EN " n.s."
gboolean th_report_cell_ns(const char *cell);

typedef enum {
  TH_BLOCK_TITLE,  /* text: title; text2: subtitle lines */
  TH_BLOCK_H1,
  TH_BLOCK_H2,
  TH_BLOCK_P,
  TH_BLOCK_NOTE,   /* small grey text */
  TH_BLOCK_TABLE,
  TH_BLOCK_CHART,
  TH_BLOCK_MAP,
  TH_BLOCK_PAGEBREAK,
} ThBlockKind;

typedef struct {
  ThBlockKind kind;
  char *text, *text2;
  /* TABLE */
  int n_cols;
  GPtrArray *rows;    /* GStrv of n_cols cells; rows[0] is the header */
  GArray *row_flags;  /* int per row: 2 = total (bold); cells of effects that are not
                       * significant are greyed (th_report_cell_ns) */
  char *align;        /* n_cols chars: 'l' or 'r' */
  /* CHART */
  ThChart *chart;
  /* MAP: results index MAP_S, difference from MAP_BASE (-1: none) */
  int map_s, map_base;
  int map_mode;       /* ThMapMode */
  int map_metric;     /* ThMapMetric */
  double bbox[4];
  gboolean has_bbox;
} ThBlock;

typedef struct {
  gboolean zh;
  char *title, *date;
  GPtrArray *blocks; /* ThBlock* */
  const ThReportData *data;
} ThReportDoc;

/* The report's blocks for D in Chinese (ZH) or English, dated DATE ("" or
 * NULL: none). D is lent and must outlive the document. O(od rows + zones x
 * scenarios). */
ThReportDoc *th_report_doc_build(const ThReportData *d, gboolean zh, const char *date);
void th_report_doc_free(ThReportDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThReportDoc, th_report_doc_free)

/* ---- renderers (cairo and pango; only report.c calls them) ---- */

/* Write DOC to PATH atomically (nothing left on error): one self-contained
 * HTML file (charts as SVG, maps as 1400x1050 PNG, in data: URIs), or an A4
 * PDF (maps as vectors). TH_ERROR_IO on write failures, TH_ERROR_INVALID
 * when a map cannot be drawn. O(blocks + links x maps). */
gboolean th_report_html_write(const ThReportDoc *doc, const char *path, GError **error);
gboolean th_report_pdf_write(const ThReportDoc *doc, const char *path, GError **error);

G_END_DECLS

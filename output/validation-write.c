/* validation-write.c: validation tables and summary (validation-write.h);
 * the scatter plot draws with cairo, so it is in validation-scatter.c, part
 * of the graphics module (output/graphics.h). */
#include "output/validation-write.h"

#include "network/csv.h"
#include "network/th-error.h"
#include "network/atomic.h"

#include <math.h>
#include <string.h>

static gboolean geh_applies(const ThObservation *o) { return th_obs_is_traffic(o); }

gboolean th_validation_write_csv(const char *path, const ThObserved *obs, const double *modelled,
                                 GError **error) {
  g_autoptr(GString) s = g_string_new(
      "type,id,period,class,observed,modelled,difference,difference_pct,geh,source\n");
  for (guint i = 0; i < obs->obs->len; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    double m = modelled[i];
    g_string_append_printf(s, "%s,", th_obs_type_name(o->type));
    th_csv_append_field(s, o->id);
    g_string_append_printf(s, ",%s,", o->period);
    th_csv_append_field(s, o->cls);
    g_string_append_printf(s, ",%.6g,", o->value);
    if (!isnan(m)) {
      g_string_append_printf(s, "%.6g,%.6g,", m, m - o->value);
      if (o->value > 0) g_string_append_printf(s, "%.2f", 100.0 * (m - o->value) / o->value);
      g_string_append_c(s, ',');
      if (geh_applies(o)) {
        double h = th_obs_hours(o);
        g_string_append_printf(s, "%.3f", th_geh(m / h, o->value / h));
      }
    } else {
      g_string_append(s, ",,,");
    }
    g_string_append_c(s, ',');
    th_csv_append_field(s, o->source);
    g_string_append_c(s, '\n');
  }
  return th_atomic_write(path, s->str, s->len, error);
}

static void fmt_or_empty(GString *s, double v, const char *fmt) {
  if (!isnan(v)) g_string_append_printf(s, fmt, v);
}

gboolean th_validation_write_summary(const char *path, const ThValidationSummary *v,
                                     GError **error) {
  const ThFitStats *f = &v->counts;
  g_autoptr(GString) s = g_string_new("measure,value,criterion,passes\n");
  g_string_append_printf(s, "link_counts,%d,,\n", f->n);
  g_string_append_printf(s, "geh_below_5_share,%.4f,> 0.85 (TAG M3.1),%s\n", f->share_geh5,
                         f->n ? (th_fit_geh_passes(f) ? "yes" : "no") : "");
  g_string_append_printf(s, "geh_below_10_share,%.4f,,\n", f->share_geh10);
  g_string_append(s, "rmse_pct,");
  fmt_or_empty(s, f->rmse_pct, "%.2f");
  g_string_append(s, ",,\nr2,");
  fmt_or_empty(s, f->r2, "%.4f");
  g_string_append_printf(s, ",>= 0.9,%s\nslope,", isnan(f->r2) ? "" : f->r2 >= 0.9 ? "yes" : "no");
  fmt_or_empty(s, f->slope, "%.4f");
  g_string_append_printf(s, ",0.9-1.1,%s\n",
                         isnan(f->slope)                        ? ""
                         : (f->slope >= 0.9 && f->slope <= 1.1) ? "yes"
                                                                : "no");
  g_string_append_printf(s, "observed_total,%.6g,,\nmodelled_total,%.6g,,\n", f->observed_total,
                         f->modelled_total);
  g_string_append_printf(
      s, "screenlines,%d,,\nscreenlines_within_5pct,%d,all (TAG M3.1),%s\n", v->n_screenlines,
      v->screenlines_within_5pct,
      v->n_screenlines ? (v->screenlines_within_5pct == v->n_screenlines ? "yes" : "no") : "");
  g_string_append_printf(s, "mode_shares,%d,,\nmax_share_difference_pts,%.2f,,\n", v->n_shares,
                         v->max_share_diff_pts);
  if (v->n_distributions)
    g_string_append_printf(
        s, "trip_length_distributions,%d,,\nmin_coincidence_ratio,%.4f,>= 0.7,%s\n",
        v->n_distributions, v->min_coincidence, v->min_coincidence >= 0.7 ? "yes" : "no");
  g_string_append_printf(s, "other_observations,%d,,\nnot_in_results,%d,,\n", v->n_other,
                         v->n_missing);
  return th_atomic_write(path, s->str, s->len, error);
}

void th_validation_print(FILE *out, const char *label, const ThValidationSummary *v) {
  const ThFitStats *f = &v->counts;
  fprintf(out, "%s\n", label);
  if (f->n) {
    fprintf(
        out, "  link counts %d: GEH < 5 for %.1f %% (criterion > 85 %%): %s; GEH < 10 %.1f %%\n",
        f->n, 100 * f->share_geh5, th_fit_geh_passes(f) ? "PASS" : "FAIL", 100 * f->share_geh10);
    fprintf(out,
            "  RMSE %.1f %%, R2 %.3f (>= 0.9: %s), slope %.3f (0.9-1.1: %s); total %.6g observed, "
            "%.6g modelled\n",
            f->rmse_pct, f->r2,
            isnan(f->r2)   ? "n/a"
            : f->r2 >= 0.9 ? "PASS"
                           : "FAIL",
            f->slope,
            isnan(f->slope)                        ? "n/a"
            : (f->slope >= 0.9 && f->slope <= 1.1) ? "PASS"
                                                   : "FAIL",
            f->observed_total, f->modelled_total);
  } else {
    fprintf(out, "  no road traffic count (link_count of vehicles, pcu or a class) to compare\n");
  }
  if (v->n_screenlines)
    fprintf(out, "  screenlines %d, within 5 %%: %d (criterion all): %s\n", v->n_screenlines,
            v->screenlines_within_5pct,
            v->screenlines_within_5pct == v->n_screenlines ? "PASS" : "FAIL");
  if (v->n_shares)
    fprintf(out, "  mode shares %d, largest difference %.1f points\n", v->n_shares,
            v->max_share_diff_pts);
  if (v->n_distributions)
    fprintf(out, "  trip length distributions %d, smallest coincidence ratio %.3f (>= 0.7: %s)\n",
            v->n_distributions, v->min_coincidence, v->min_coincidence >= 0.7 ? "PASS" : "FAIL");
  if (v->n_other) fprintf(out, "  other figures compared: %d (see validation.csv)\n", v->n_other);
  if (v->n_missing)
    fprintf(out, "  %d observations the results cannot answer (modelled empty in the table)\n",
            v->n_missing);
}

/* period-skims.c: skims.csv of a results folder (see period-skims.h). */
#include "output/period-skims.h"
#include "network/atomic.h"
#include "output/matrix-csv.h"
#include "network/th-error.h"
#include "sim/mode-skim.h"
#include "sim/params.h"

#include <math.h>
#include <string.h>

int th_skim_periods_parse(const char *text, ThSkimPeriod *out, GError **error) {
  g_auto(GStrv) parts = g_strsplit(text, ";", -1);
  int n = 0;
  for (int i = 0; parts[i]; i++) {
    g_autofree char *item = g_strstrip(g_strdup(parts[i]));
    if (!*item) continue;
    if (n == TH_SKIM_PERIODS_MAX) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "more than %d periods in '%s'",
                  TH_SKIM_PERIODS_MAX, text);
      return -1;
    }
    ThSkimPeriod p = {.from_s = -1, .to_s = -1};
    char *eq = strchr(item, '=');
    if (eq) *eq = '\0';
    g_strstrip(item);
    gsize len = strlen(item);
    gboolean name_ok = len > 0 && len < sizeof p.name;
    for (gsize c = 0; c < len; c++) name_ok &= g_ascii_isalnum(item[c]) || item[c] == '_';
    if (!name_ok) {
      g_set_error(
          error, TH_ERROR, TH_ERROR_INVALID,
          "period name '%s' in '%s' is not 1-23 letters, digits or _ (NAME=HH:MM-HH:MM;day)", item,
          text);
      return -1;
    }
    g_strlcpy(p.name, item, sizeof p.name);
    if (!eq) {
      if (strcmp(item, "day") != 0) {
        g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                    "period '%s' in '%s' has no window (NAME=HH:MM-HH:MM, or day)", item, text);
        return -1;
      }
    } else {
      int h1, m1, h2, m2, used = 0;
      const char *w = eq + 1;
      while (*w == ' ') w++;
      if (sscanf(w, "%d:%d-%d:%d%n", &h1, &m1, &h2, &m2, &used) != 4 || w[used] != '\0' || h1 < 0 ||
          m1 < 0 || m1 > 59 || h2 < 0 || m2 < 0 || m2 > 59 ||
          (p.from_s = h1 * 3600 + m1 * 60) < 0 || (p.to_s = h2 * 3600 + m2 * 60) > 30 * 3600 ||
          p.to_s <= p.from_s) {
        g_set_error(
            error, TH_ERROR, TH_ERROR_INVALID,
            "period '%s=%s' in '%s' is not a window HH:MM-HH:MM within 00:00-30:00 that ends "
            "after it begins",
            item, w, text);
        return -1;
      }
    }
    for (int k = 0; k < n; k++)
      if (strcmp(out[k].name, p.name) == 0) {
        g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "period '%s' is given twice in '%s'", p.name,
                    text);
        return -1;
      }
    out[n++] = p;
  }
  if (n == 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "no period in '%s' (NAME=HH:MM-HH:MM;day)",
                text);
    return -1;
  }
  return n;
}

static void put(FILE *fp, double v) {
  char buf[32];
  fputc(',', fp);
  if (isfinite(v)) fputs(th_format_double(buf, round(v * 1e3) / 1e3), fp);
}

gboolean th_period_skims_write(const char *dir, const ThNetwork *net, const ThServices *services,
                               const ThHubs *hubs, const ThRunResults *r,
                               const ThPeriodSkimOptions *o, GError **error) {
  g_autofree char *path = g_build_filename(dir, "skims.csv", NULL);
  const int nz = net->n_zones;
  ThSkimPeriod defaults[TH_SKIM_PERIODS_MAX];
  const ThSkimPeriod *periods = o && o->n_periods > 0 ? o->periods : defaults;
  int n_periods =
      o && o->n_periods > 0
          ? o->n_periods
          : th_skim_periods_parse(th_param_find(th_param_table, "output", "periods")->def, defaults,
                                  NULL);
  ThModeSkim *sk[TH_SKIM_PERIODS_MAX];
  for (int p = 0; p < n_periods; p++) {
    gboolean day = periods[p].from_s < 0;
    g_autofree double *t = th_mode_skim_link_times(r, net->n_links, day ? 0 : periods[p].from_s,
                                                   day ? 86400 : periods[p].to_s);
    ThModeSkimParams sp;
    th_mode_skim_params_init(&sp);
    sp.depart_from_s = day ? 6 * 3600 : periods[p].from_s;
    sp.depart_to_s = day ? 22 * 3600 : periods[p].to_s;
    sp.step_s = day ? 3600 : 1200;
    sp.every_departure = FALSE;
    sp.access = o ? o->access : NULL;
    sk[p] = th_mode_skim_new(net, services, hubs, t, &sp);
  }
  /* transit modes only when some line runs */
  int n_modes = services && services->n_lines > 0 ? TH_SKIM_INTERCITY + 1 : 1;
  gboolean ok = FALSE;
  g_autoptr(ThAtomicFile) f = th_atomic_open(path, error);
  if (f) {
    FILE *fp = th_atomic_stream(f);
    fputs("origin,destination,mode,period,time_min,distance_km,cost,wait_min,transfers\n", fp);
    for (int o = 0; o < nz; o++)
      for (int d = 0; d < nz; d++)
        for (int m = 0; m < n_modes; m++)
          for (int p = 0; p < n_periods; p++) {
            const ThModeSkim *s = sk[p];
            size_t at = ((size_t)m * nz + o) * nz + d;
            fprintf(fp, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%s", net->zone_id[o],
                    net->zone_id[d], th_skim_mode_name((ThSkimMode)m), periods[p].name);
            gboolean served = isfinite(s->time_min[at]);
            put(fp, s->time_min[at]);
            put(fp, served ? s->distance_km[at] : NAN);
            put(fp, served ? s->cost[at] : NAN);
            put(fp, served ? s->wait_min[at] : NAN);
            put(fp, served ? s->transfers[at] : NAN);
            fputc('\n', fp);
          }
    ok = th_atomic_commit(g_steal_pointer(&f), error);
  }
  for (int p = 0; p < n_periods; p++) th_mode_skim_free(sk[p]);
  return ok;
}

/* calibrate.c: what the calibration workflows share (calibrate.h,
 * calibrate-internal.h): zone lists, validation into a folder, the check of
 * observed names, calibration classes and ODME counts. */
#include "scenarios/calibrate-internal.h"

#include "network/csv.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "network/atomic.h"
#include "output/results-write.h"
#include "output/validation-read.h"
#include "output/validation-write.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-demand.h"
#include "sim/classes.h"
#include "sim/odme.h"
#include "sim/simulate.h"
#include "sim/choice.h"
#include "output/trips-write.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

GHashTable *th_calib_parse_zone_list(const char *s, GError **error) {
  g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) parts = g_strsplit_set(s, ",;", -1);
  for (int i = 0; parts[i]; i++) {
    char *p = g_strstrip(parts[i]);
    if (!*p) continue;
    int64_t a, b;
    const char *dash = strchr(p + 1, '-');
    g_autofree char *first = dash ? g_strndup(p, (gsize)(dash - p)) : NULL;
    if (dash && th_parse_int64(first, &a) && th_parse_int64(dash + 1, &b)) {
      /* a range of whole-number ids */
      if (a > b || b - a >= 10000000) {
        g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                    "zone list '%s': '%s' is not a range a-b with a <= b (e.g. 1-18;25)", s, p);
        return NULL;
      }
      for (int64_t z = a; z <= b; z++)
        g_hash_table_add(set, g_strdup_printf("%" G_GINT64_FORMAT, z));
    } else {
      /* one zone id as written: a number or a text id (GMNS) */
      g_hash_table_add(set, g_strdup(p));
    }
  }
  return g_steal_pointer(&set);
}

GHashTable *cal_internal_labels(const ThNetwork *net, const guint8 *inside) {
  if (!inside) return NULL;
  GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  char buf[32];
  for (int z = 0; z < net->n_zones; z++)
    if (inside[z]) g_hash_table_add(set, g_strdup(th_network_zone_label(net, z, buf)));
  return set;
}

gboolean th_calib_write_validation(const char *dir, const char *stem, const ThObserved *obs,
                                   const double *mod, const ThValidationSummary *s,
                                   const char *title, GError **error) {
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create the folder", dir);
    return FALSE;
  }
  g_autofree char *csv = g_strdup_printf("%s/%s.csv", dir, stem);
  g_autofree char *sum = g_strdup_printf("%s/%s_summary.csv", dir, stem);
  g_autofree char *png = g_strdup_printf("%s/%s.png", dir, stem);
  return th_validation_write_csv(csv, obs, mod, error) &&
         th_validation_write_summary(sum, s, error) &&
         th_validation_write_scatter(png, obs, mod, s, title, error);
}

/* Validates the results at SRC_PATH (folder or flows file) into DIR/STEM*. */
gboolean cal_validate_into(const char *src_path, const ThCalibOptions *o, const char *stem,
                              const char *title, ThValidationSummary *sum, double **mod_out,
                              GError **error) {
  g_autoptr(ThModelSource) src = th_model_source_open(src_path, error);
  if (!src) return FALSE;
  /* the confirmation run carries only the counts' period: all of its day */
  th_model_source_set_whole_day(src, g_str_has_prefix(stem, "validation_simulation"));
  g_autofree double *mod = th_model_source_values(src, o->obs, o->screenlines, o->internal, error);
  if (!mod) return FALSE;
  th_validation_summarize(o->obs, mod, sum);
  if (!th_calib_write_validation(o->out_dir, stem, o->obs, mod, sum, title, error)) return FALSE;
  if (mod_out) *mod_out = g_steal_pointer(&mod);
  return TRUE;
}

/* Every link, screenline, line and hub the observations name must exist
 * before anything is written: FILE:LINE errors (TH_ERROR_INVALID), every
 * one. SERVICES and HUBS may be NULL (not checked). */
gboolean cal_check_observations(const ThNetwork *net, const ThServices *services,
                                   const ThHubs *hubs, const ThCalibOptions *o, GError **error) {
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < o->obs->obs->len; i++) {
    const ThObservation *x = &g_array_index(o->obs->obs, ThObservation, i);
    if (x->type == TH_OBS_LINK_COUNT && th_obs_link_index(net, x->id) < 0)
      th_problems_add(problems, o->obs->path, x->line,
                      "link %s is not in the network (a link_id of link.csv, or FROM>TO node ids)", x->id);
    if (x->type == TH_OBS_SCREENLINE) {
      int k = o->screenlines ? th_screenlines_find(o->screenlines, x->id) : -1;
      if (k < 0) {
        th_problems_add(problems, o->obs->path, x->line,
                        "screenline '%s' is not defined (a name of --screenlines FILE)", x->id);
        continue;
      }
      GArray *links = g_ptr_array_index(o->screenlines->links, k);
      GArray *lines = g_ptr_array_index(o->screenlines->lines, k);
      for (guint j = 0; j < links->len; j++)
        if (th_network_link_index(net, g_array_index(links, int64_t, j)) < 0)
          th_problems_add(problems, o->screenlines->path, g_array_index(lines, int, j),
                          "link %" G_GINT64_FORMAT " is not in the network (a link_id of link.csv)",
                          g_array_index(links, int64_t, j));
    }
    if (x->type == TH_OBS_LINE_BOARDINGS && services) {
      gboolean found = FALSE;
      for (int l = 0; l < services->n_lines && !found; l++)
        found = !strcmp(services->lines[l].line, x->id) || !strcmp(services->lines[l].name, x->id);
      if (!found)
        th_problems_add(problems, o->obs->path, x->line,
                        "line '%s' is not in services.csv (a line or line name)", x->id);
    }
    if (x->type == TH_OBS_STOP_BOARDINGS && services) {
      gboolean found = FALSE;
      char buf[32];
      for (int l = 0; l < services->n_lines && !found; l++)
        for (int k = 0; k < services->lines[l].n_stops && !found; k++) {
          int v = services->lines[l].stop[k];
          found = !strcmp(th_network_node_label(net, v, buf), x->id) || !strcmp(net->node_name[v], x->id);
        }
      if (!found)
        th_problems_add(problems, o->obs->path, x->line,
                        "stop '%s' is not a stop of services.csv (a stop node id or name)", x->id);
    }
    if (x->type == TH_OBS_HUB_TONNES && hubs) {
      gboolean found = FALSE;
      for (int h = 0; h < hubs->n_hubs && !found; h++) {
        g_autofree char *nid = g_strdup_printf("%" G_GINT64_FORMAT, net->node_id[hubs->hubs[h].node]);
        found = !strcmp(nid, x->id) || !strcmp(hubs->hubs[h].name, x->id);
      }
      if (!found)
        th_problems_add(problems, o->obs->path, x->line,
                        "hub '%s' is not in hubs.csv (a node id or name of a hub)", x->id);
    }
  }
  return !th_problems_to_error(problems, TH_ERROR_INVALID, error);
}


void cal_class_clear(gpointer p) {
  CalClass *c = p;
  g_free(c->name);
  g_array_unref(c->o);
  g_array_unref(c->d);
  g_array_unref(c->t);
  th_od_table_free(c->od);
  g_free(c->fixed);
}

CalClass *cal_class(GArray *classes, const char *name) {
  for (guint i = 0; i < classes->len; i++)
    if (!strcmp(g_array_index(classes, CalClass, i).name, name)) return &g_array_index(classes, CalClass, i);
  g_autoptr(ThClassTable) t = th_class_table_new();
  int k = th_class_table_lookup(t, name);
  CalClass c = {g_strdup(name), k >= 0 ? t->cls[k].pcu : 1.0, g_array_new(FALSE, FALSE, sizeof(int)),
                g_array_new(FALSE, FALSE, sizeof(int)), g_array_new(FALSE, FALSE, sizeof(double)),
                NULL, NULL};
  g_array_append_val(classes, c);
  return &g_array_index(classes, CalClass, classes->len - 1);
}

/* Counts of OBS usable by ODME, with their class weights. */
GArray *cal_odme_counts(const ThNetwork *net, const ThObserved *obs, GArray *classes,
                           GPtrArray *weights, GPtrArray *skipped, GArray *obs_index) {
  GArray *counts = g_array_new(FALSE, FALSE, sizeof(ThOdmeCount));
  int K = (int)classes->len;
  for (guint i = 0; i < obs->obs->len; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    if (o->type != TH_OBS_LINK_COUNT) continue;
    int a = th_obs_link_index(net, o->id);
    if (a < 0) continue; /* reported by the validation */
    double *w = g_new0(double, K + 1);
    gboolean any = FALSE;
    for (int k = 0; k < K; k++) {
      const CalClass *c = &g_array_index(classes, CalClass, k);
      if (!strcmp(o->cls, "all") || !strcmp(o->cls, "vehicles") || !strcmp(o->cls, c->name)) w[k] = 1;
      else if (!strcmp(o->cls, "pcu")) w[k] = c->pcu;
      any |= w[k] > 0;
    }
    if (!any) {
      g_ptr_array_add(skipped, g_strdup_printf("%s:%d: link %s class %s: no class of the prior is counted by it; not fitted",
                                               obs->path, o->line, o->id, o->cls));
      g_free(w);
      continue;
    }
    g_ptr_array_add(weights, w);
    ThOdmeCount c = {a, o->value, w};
    g_array_append_val(counts, c);
    if (obs_index) {
      int oi = (int)i;
      g_array_append_val(obs_index, oi);
    }
  }
  return counts;
}

/* The period the link counts are for: the first link count's (a day when
 * there is none). */
void cal_counts_period(const ThObserved *obs, int64_t *start, int64_t *end) {
  *start = 0;
  *end = 86400;
  for (guint i = 0; i < obs->obs->len; i++) {
    const ThObservation *o = &g_array_index(obs->obs, ThObservation, i);
    if (o->type == TH_OBS_LINK_COUNT) {
      *start = o->start_s;
      *end = o->end_s;
      return;
    }
  }
}


/* scenario-params.c: the parameter tables in the scenario language (see
 * scenario-params.h). */
#include "scenarios/scenario-params.h"
#include "network/th-error.h"

#include <string.h>

/* Every table the language reads, in the order of the README reference. */
static const ThParam *const tables[] = {th_sim_param_table, th_demand_param_table, NULL};

const ThParam *th_scenario_param_find(const char *section, const char *key) {
  for (int t = 0; tables[t]; t++) {
    const ThParam *p = th_param_find(tables[t], section, key);
    if (p) return p;
  }
  return NULL;
}

char *th_scenario_param_keys(const char *section) {
  GString *s = g_string_new(NULL);
  for (int t = 0; tables[t]; t++)
    for (const ThParam *p = tables[t]; p->key; p++)
      if (!strcmp(p->section, section)) g_string_append_printf(s, "%s%s", s->len ? ", " : "", p->key);
  return g_string_free(s, FALSE);
}

char *th_scenario_param_problem(const ThParam *p, const char *origin, const char *value) {
  if (th_param_parse(p, value, NULL)) return NULL;
  return g_strdup_printf("%s: [%s] %s = '%s' is not %s (%s)", origin, p->section, p->key, value,
                         p->what, p->expected);
}

gboolean th_scenario_params_apply(const ThScenario *sc, const char *section, ThParamStruct in,
                                  void *base, GError **error) {
  for (int t = 0; tables[t]; t++)
    for (const ThParam *p = tables[t]; p->key; p++) {
      if (p->in != in || strcmp(p->section, section)) continue;
      g_autofree char *v = th_scenario_string(sc, section, p->key);
      if (!v) continue;
      if (!th_param_parse(p, v, base)) {
        g_autofree char *m = th_scenario_param_problem(p, sc->path, v);
        g_set_error_literal(error, TH_ERROR, TH_ERROR_PARSE, m);
        return FALSE;
      }
    }
  return TRUE;
}

void th_scenario_params_collect(const ThScenario *sc, const char *section, ThParamStruct in,
                                void *base, GPtrArray *problems) {
  for (int t = 0; tables[t]; t++)
    for (const ThParam *p = tables[t]; p->key; p++) {
      if (p->in != in || strcmp(p->section, section)) continue;
      g_autofree char *v = th_scenario_string(sc, section, p->key);
      if (v && !th_param_parse(p, v, base))
        g_ptr_array_add(problems, th_scenario_param_problem(p, sc->path, v));
    }
}

static const char *type_name(ThParamType t) {
  switch (t) {
  case TH_PARAM_INT: return "number";
  case TH_PARAM_UINT64: return "whole number";
  case TH_PARAM_DOUBLE: return "number";
  case TH_PARAM_SWITCH: return "true/false";
  case TH_PARAM_TIME: return "time";
  case TH_PARAM_WORD: return "word";
  case TH_PARAM_PATH: return "file";
  case TH_PARAM_LIST: return "list";
  }
  return "";
}

char *th_scenario_params_markdown(void) {
  GString *s = g_string_new(NULL);
  const char *section = NULL;
  for (int t = 0; tables[t]; t++)
    for (const ThParam *p = tables[t]; p->key; p++) {
      if (!section || strcmp(section, p->section)) {
        section = p->section;
        g_string_append_printf(s, "%s| `[%s]` key | `taihang run` option | type | unit | default | "
                                  "accepted | what it does |\n|---|---|---|---|---|---|---|\n",
                               s->len ? "\n" : "", section);
      }
      g_autofree char *opt = p->option ? g_strdup_printf("`--%s %s`", p->option, p->arg) : g_strdup("");
      g_string_append_printf(s, "| `%s` | %s | %s | %s | %s | %s | %s |\n", p->key, opt,
                             type_name(p->type), p->unit, *p->def ? p->def : "none", p->expected,
                             p->help);
    }
  return g_string_free(s, FALSE);
}

ThParamOptions *th_param_options_new(const char *section, const GOptionEntry *extra) {
  ThParamOptions *o = g_new0(ThParamOptions, 1);
  o->entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
  o->rows = g_ptr_array_new();
  o->help = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; extra && extra[i].long_name; i++) g_array_append_val(o->entries, extra[i]);
  for (int t = 0; tables[t]; t++)
    for (const ThParam *p = tables[t]; p->key; p++)
      if (p->option && !strcmp(p->section, section)) g_ptr_array_add(o->rows, (gpointer)p);
  o->values = g_new0(char *, o->rows->len + 1);
  for (guint i = 0; i < o->rows->len; i++) {
    const ThParam *p = o->rows->pdata[i];
    char *h = g_strdup_printf("%c%s (default %s; [%s] %s)", g_ascii_toupper(p->help[0]), p->help + 1,
                              *p->def ? p->def : "none", p->section, p->key);
    g_ptr_array_add(o->help, h);
    GOptionEntry e = {p->option, 0, 0, G_OPTION_ARG_STRING, &o->values[i], h, p->arg};
    g_array_append_val(o->entries, e);
  }
  return o;
}

void th_param_options_free(ThParamOptions *o) {
  if (!o) return;
  g_array_free(o->entries, TRUE);
  for (guint i = 0; i < o->rows->len; i++) g_free(o->values[i]); /* NULLs between them */
  g_free(o->values);
  g_ptr_array_free(o->rows, TRUE);
  g_ptr_array_free(o->help, TRUE);
  g_free(o);
}

gboolean th_param_options_apply(const ThParamOptions *o, ThParamStruct in, void *base,
                                GError **error) {
  for (guint i = 0; i < o->rows->len; i++) {
    const ThParam *p = o->rows->pdata[i];
    if (p->in != in || !o->values[i]) continue;
    if (!th_param_parse(p, o->values[i], p->in == TH_PARAM_IN_NONE ? NULL : base)) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "bad --%s '%s' (%s)", p->option, o->values[i],
                  p->expected);
      return FALSE;
    }
  }
  return TRUE;
}

const char *th_param_options_value(const ThParamOptions *o, const char *key) {
  for (guint i = 0; i < o->rows->len; i++)
    if (!strcmp(((const ThParam *)o->rows->pdata[i])->key, key)) return o->values[i];
  return NULL;
}

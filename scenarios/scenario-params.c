/* scenario-params.c: the parameter tables in the scenario language (see
 * scenario-params.h). */
#include "scenarios/scenario-params.h"
#include "network/th-error.h"
#include "output/period-skims.h"

#include <string.h>

/* The sections of the scenario's structure: rows of the table (so their
 * keys are checked), read by the loader itself; `--set` cannot change them. */
static const char *const structure[] = {"scenario", "network", NULL};

gboolean th_scenario_param_is_structure(const char *section) {
  return g_strv_contains(structure, section);
}

const ThParam *th_scenario_param_find(const char *section, const char *key) {
  return th_param_find(th_param_table, section, key);
}

char *th_scenario_param_keys(const char *section) {
  GString *s = g_string_new(NULL);
  for (const ThParam *p = th_param_table; p->key; p++)
    if (!strcmp(p->section, section)) g_string_append_printf(s, "%s%s", s->len ? ", " : "", p->key);
  return g_string_free(s, FALSE);
}

/* The placeholders used by the keys of SECTION (or of every section when
 * SECTION is NULL), "; MODE: ..., CLASS: ..." */
static void append_placeholders(GString *s, const char *section, const char *sep) {
  for (const ThParamPlaceholder *h = th_param_placeholders; h->name; h++)
    for (const ThParam *p = th_param_table; p->key; p++)
      if ((!section || !strcmp(p->section, section)) && strstr(p->key, h->name)) {
        g_string_append_printf(s, sep, h->name, h->expected);
        break;
      }
}

static gboolean is_section(const char *section) {
  for (const ThParam *p = th_param_table; p->key; p++)
    if (!strcmp(p->section, section)) return TRUE;
  return FALSE;
}

/* The problem of KEY = VALUE, KEY one of row P's keys. */
static char *problem(const ThParam *p, const char *origin, const char *key, const char *value) {
  if (th_param_parse(p, value, NULL)) return NULL;
  return g_strdup_printf("%s: [%s] %s = '%s' is not %s (%s)", origin, p->section, key, value,
                         p->what, p->expected);
}

char *th_scenario_param_problem(const ThParam *p, const char *origin, const char *value) {
  return problem(p, origin, p->key, value);
}

char *th_scenario_param_check(const char *origin, const char *section, const char *key,
                              const char *value) {
  if (!is_section(section)) {
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%s: unknown section [%s] (expected ", origin, section);
    const char *last = NULL;
    for (const ThParam *p = th_param_table; p->key; p++)
      if (!last || strcmp(last, p->section)) {
        if (last) g_string_append_printf(s, "%s, ", last);
        last = p->section;
      }
    g_string_truncate(s, s->len - 2); /* the table has more than one section */
    g_string_append_printf(s, " or %s)", last);
    return g_string_free(s, FALSE);
  }
  const ThParam *row = th_scenario_param_find(section, key);
  if (!row) {
    g_autofree char *keys = th_scenario_param_keys(section);
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%s: unknown key [%s] %s (expected one of %s", origin, section, key, keys);
    append_placeholders(s, section, "; %s: %s");
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
  }
  char *m = problem(row, origin, key, value);
  if (!m && !strcmp(section, "output") && !strcmp(key, "periods")) {
    /* a list its reader checks: the skim periods (output/period-skims.h) */
    ThSkimPeriod per[TH_SKIM_PERIODS_MAX];
    g_autoptr(GError) e = NULL;
    if (th_skim_periods_parse(value, per, &e) < 0)
      m = g_strdup_printf("%s: [output] periods: %s", origin, e->message);
  }
  return m;
}

gboolean th_scenario_params_apply(const ThScenario *sc, const char *section, ThParamStruct in,
                                  void *base, GError **error) {
  for (const ThParam *p = th_param_table; p->key; p++) {
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
  for (const ThParam *p = th_param_table; p->key; p++) {
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
  case TH_PARAM_COUNT: return "whole number";
  case TH_PARAM_DATE: return "date";
  case TH_PARAM_INPUT: return "file";
  case TH_PARAM_TEXT: return "text";
  }
  return "";
}

char *th_scenario_params_markdown(void) {
  GString *s = g_string_new(NULL);
  const char *section = NULL;
  for (const ThParam *p = th_param_table; p->key; p++) {
    if (!section || strcmp(section, p->section)) {
      section = p->section;
      g_string_append_printf(s, "%s| `[%s]` key | `taihang run` option | type | unit | default | "
                                "accepted | what it does |\n|---|---|---|---|---|---|---|\n",
                             s->len ? "\n" : "", section);
    }
    g_autofree char *opt =
        p->option ? g_strdup_printf("`--%s %s`", p->option, p->arg) : g_strdup("");
    g_string_append_printf(s, "| `%s` | %s | %s | %s | %s | %s | %s |\n", p->key, opt,
                           type_name(p->type), p->unit, *p->def ? p->def : "none", p->expected,
                           p->help);
  }
  g_string_append(s,
                  "\nA word in capitals in a key stands for a family of keys (`bus_headway_min`, "
                  "`asc.car.rail`):\n\n");
  append_placeholders(s, NULL, "- `%s`: %s\n");
  return g_string_free(s, FALSE);
}

ThParamOptions *th_param_options_new(const char *section, const GOptionEntry *extra) {
  ThParamOptions *o = g_new0(ThParamOptions, 1);
  o->entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
  o->rows = g_ptr_array_new();
  o->help = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; extra && extra[i].long_name; i++) g_array_append_val(o->entries, extra[i]);
  for (const ThParam *p = th_param_table; p->key; p++)
    if (p->option && !strcmp(p->section, section)) g_ptr_array_add(o->rows, (gpointer)p);
  o->values = g_new0(char *, o->rows->len + 1);
  for (guint i = 0; i < o->rows->len; i++) {
    const ThParam *p = o->rows->pdata[i];
    char *h = g_strdup_printf("%c%s (default %s; [%s] %s)", g_ascii_toupper(p->help[0]),
                              p->help + 1, *p->def ? p->def : "none", p->section, p->key);
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

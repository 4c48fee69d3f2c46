/* scenario-params.h: the parameter tables (sim/params.h) seen from the
 * scenario language: checking a `[section] key = value` of a scenario file
 * or a `--set section.key=value`, filling a struct from a resolved
 * scenario, the options of `taihang run`, and the README's parameter
 * reference (`taihang params --markdown`). */
#pragma once

#include "scenarios/scenario.h"
#include "sim/params.h"

G_BEGIN_DECLS

/* The row of SECTION.KEY in th_param_table (patterned keys included), or NULL. */
const ThParam *th_scenario_param_find(const char *section, const char *key);

/* The keys of SECTION in table order, "a, b, c" (freed by the caller). */
char *th_scenario_param_keys(const char *section);

/* TRUE for [scenario] and [network], the file's structure: rows of the
 * table, read by the loader itself, which `--set` cannot change. */
gboolean th_scenario_param_is_structure(const char *section);

/* NULL when SECTION.KEY = VALUE is a parameter of the table and VALUE one
 * of its values, else the problem, "ORIGIN: unknown section [S] (expected
 * ...)", "ORIGIN: unknown key [S] K (expected one of KEYS; PLACEHOLDER:
 * WORDS)" or th_scenario_param_problem's (freed by the caller). */
char *th_scenario_param_check(const char *origin, const char *section, const char *key,
                              const char *value);

/* NULL when VALUE is a value of P, else "ORIGIN: [SECTION] KEY = 'VALUE' is
 * not WHAT (EXPECTED)" (freed by the caller). */
char *th_scenario_param_problem(const ThParam *p, const char *origin, const char *value);

/* Fills BASE (the struct IN names) from the rows of SECTION that SC sets;
 * rows SC does not set keep BASE's values. A bad value: TH_ERROR_PARSE
 * naming SC's file, the key and what was expected. */
gboolean th_scenario_params_apply(const ThScenario *sc, const char *section, ThParamStruct in,
                                  void *base, GError **error);

/* As th_scenario_params_apply, but every bad value is appended to PROBLEMS
 * (the others are still stored). */
void th_scenario_params_collect(const ThScenario *sc, const char *section, ThParamStruct in,
                                void *base, GPtrArray *problems);

/* The README's parameter reference: a Markdown table per section, one row
 * per parameter (key, option, type, unit, default, accepted values, what it
 * does), then the placeholders of the patterned keys. Freed by the caller. */
char *th_scenario_params_markdown(void);

/* The command-line options of the rows of SECTION that have one (`taihang
 * run --stuck-time S`), each taking text that th_param_parse checks. */
typedef struct {
  GArray *entries;   /* GOptionEntry, EXTRA first, NULL-terminated: th_cli_parse's */
  GPtrArray *rows;   /* const ThParam *, one per option */
  char **values;     /* the text given per option, or NULL */
  GPtrArray *help;   /* the strings the entries point at */
} ThParamOptions;

/* The options of SECTION after the entries of EXTRA (NULL-terminated, may
 * be NULL); each help line ends with "(default D; [SECTION] KEY)". */
ThParamOptions *th_param_options_new(const char *section, const GOptionEntry *extra);
void th_param_options_free(ThParamOptions *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThParamOptions, th_param_options_free)

/* Parses every option given whose row fills struct IN into BASE. A bad
 * value: TH_ERROR_INVALID "bad --OPTION 'VALUE' (EXPECTED)". */
gboolean th_param_options_apply(const ThParamOptions *o, ThParamStruct in, void *base,
                                GError **error);

/* The text given for the option of KEY, or NULL. */
const char *th_param_options_value(const ThParamOptions *o, const char *key);

G_END_DECLS

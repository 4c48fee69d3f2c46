/* params.h: the parameter table: one row per setting a user can give (a
 * scenario's `[section] key = value`, `--set section.key=value`, an option
 * of `taihang run`), with its C field, type, unit, default, range and help
 * text. A patterned row (key "MODE_headway_min") stands for a family of
 * keys, one per word its placeholder accepts (th_param_placeholders).
 *
 * Every reader of a setting goes through this table: th_sim_params_init
 * and th_demand_params_init take their defaults from it, and a setting read
 * by name takes its default with TH_PARAM_DEFAULT (the table is the only
 * place a default is written); the scenario loader checks sections, keys
 * and values with th_param_find and th_param_parse (unknown keys, bad
 * values at FILE:LINE); `--set` goes through the same check; `taihang run`
 * builds its options from the rows that have one; a results folder's
 * run.ini records the rows of the run's rules (th_sim_param_is_rule) with
 * th_param_format, and its params.ini the resolved scenario's keys (keys
 * of this table only; tests/test_params.c); and `taihang params --markdown`
 * prints the README's parameter reference from it (tests/test_params.c fails when the two
 * disagree).
 *
 * Adding a setting: a row here (with a field of ThSimParams, ThDemandParams
 * or ThMultimodalParams, or NONE when the workflow reads it by name), and
 * the README reference regenerated with `build/taihang params --markdown`
 * (HACKING.md, "a parameter").
 *
 * Values are text in the planner's units (the unit is in the key where it is
 * not SI: stuck_time_s, backward_wave_kmh); a time is whole seconds or
 * HH:MM[:SS]. A value outside [min, max] is refused with the row's
 * `expected` text. */
#pragma once

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

typedef enum {
  TH_PARAM_INT,    /* int (or int32_t) field; a number, truncated toward zero */
  TH_PARAM_UINT64, /* uint64_t field; a whole number (negative ones wrap, as --seed did) */
  TH_PARAM_DOUBLE, /* double field */
  TH_PARAM_SWITCH, /* gboolean field: true or false (th_param_switch) */
  TH_PARAM_TIME,   /* int32_t seconds: whole seconds or HH:MM[:SS] */
  TH_PARAM_WORD,   /* int field: the index of the value in `words` ('|'-separated) */
  TH_PARAM_PATH,   /* a file name; no field (read by the workflow that uses it) */
  TH_PARAM_LIST,   /* a ';'-separated list (zones, weights); no field, checked by its reader */
  TH_PARAM_COUNT,  /* int field; a whole number (2.5 is refused) */
  TH_PARAM_DATE,   /* a date YYYY-MM-DD; no field */
  TH_PARAM_INPUT,  /* a file or folder that must exist; no field. The scenario loader makes
                    * it absolute, relative to the file that names it */
  TH_PARAM_TEXT,   /* any text (a name, a description); no field */
} ThParamType;

/* The struct a row's field belongs to. */
typedef enum {
  TH_PARAM_IN_SIM,        /* ThSimParams (sim/simulate.h) */
  TH_PARAM_IN_MULTIMODAL, /* ThMultimodalParams (sim/multimodal.h) */
  TH_PARAM_IN_DEMAND,     /* ThDemandParams (sim/demand.h) */
  TH_PARAM_IN_NONE,       /* read by name by the workflow that uses it */
} ThParamStruct;

typedef struct {
  const char *section;  /* scenario section, e.g. "sim" */
  const char *key;      /* scenario key, e.g. "stuck_time_s" */
  ThParamStruct in;     /* the struct FIELD is in */
  const char *field;    /* C field name (documentation) */
  gsize offset;         /* offsetof(struct, field); unused for TH_PARAM_IN_NONE */
  ThParamType type;
  const char *unit;     /* "s", "km/h", ... ; "" for none */
  const char *def;      /* the default, as text a user would write */
  double min, max;      /* accepted range (times in s) */
  const char *words;    /* TH_PARAM_WORD: "msa|gap" (value = index) */
  const char *what;     /* what a value is, for messages: "a number", "a switch" */
  const char *expected; /* the accepted values, for messages: "1 or more" */
  const char *option;   /* the `taihang run` option (without --), or NULL */
  const char *arg;      /* its argument name in --help, e.g. "S" */
  const char *help;     /* one line: what it does */
} ThParam;

/* The table of every section ([scenario], [network], [sim], [demand],
 * [services], [hubs], [transit], [choice], [freight], [compare], [output],
 * [appraisal]), in the order of the README reference, ended by a row with a
 * NULL key. [scenario] and [network] are the file's structure: the loader
 * reads them by name (scenarios/scenario.c) and checks their keys against
 * these rows; `--set` cannot change them. */
extern const ThParam th_param_table[];

/* A placeholder of a patterned key. A word in capitals in a row's key
 * stands for any word the placeholder of that name accepts: the row
 * "MODE_headway_min" is the key bus_headway_min, hsr_headway_min, ...;
 * "asc.CLASS.MODE" is asc.car.rail. Keys are otherwise lower case. */
typedef struct {
  const char *name;     /* "MODE" */
  const char *expected; /* the words it accepts, for messages and the README */
  /* TRUE when WORD (not empty) may stand for the placeholder in SECTION */
  gboolean (*accepts)(const char *section, const char *word);
} ThParamPlaceholder;

/* The placeholders (MODE, KIND, CLASS, ZONE, PURPOSE), ended by a NULL name. */
extern const ThParamPlaceholder th_param_placeholders[];

/* TRUE when KEY is row P's key: the same text, or P's key with each
 * placeholder replaced by a word it accepts. WORDS (may be NULL) then gets
 * those words in order, NULL-terminated (g_strfreev). O(length^depth),
 * depth the number of placeholders (at most 2). */
gboolean th_param_key_matches(const ThParam *p, const char *key, char ***words);

/* The row of SECTION.KEY in TABLE, or NULL: a row of that key, else the
 * first patterned row KEY matches (th_param_key_matches). */
const ThParam *th_param_find(const ThParam *table, const char *section, const char *key);

/* Parses TEXT as row P's type and range and, when BASE is not NULL, stores
 * it in BASE's field (BASE points at the struct P->in names). FALSE (BASE
 * untouched) when TEXT is not a value of P; the message then reads
 * "is not P->what (P->expected)". */
gboolean th_param_parse(const ThParam *p, const char *text, void *base);

/* The default of SECTION.KEY in TABLE as a number (a row of a number type
 * that must exist: a programming error otherwise). */
double th_param_default(const ThParam *table, const char *section, const char *key);

/* The default of SECTION.KEY of th_param_table as a number. */
#define TH_PARAM_DEFAULT(section, key) th_param_default(th_param_table, section, key)
/* The default of [sim] KEY as a number. */
#define TH_SIM_DEFAULT(key) TH_PARAM_DEFAULT("sim", key)

/* The value of row P in BASE (the struct P->in names) as a user writes
 * it: a switch "true"/"false", a word its name, a time or count its
 * seconds or number, a double "%g" (C locale). Freed by the caller. A row
 * without a field is a programming error. */
char *th_param_format(const ThParam *p, const void *base);

/* TRUE when row P is a field of ThSimParams' rules (ThSimRules,
 * sim/results.h): the settings a results folder's run.ini records. */
gboolean th_sim_param_is_rule(const ThParam *p);

/* "true"/"false", "yes"/"no" (any case) or "1"/"0" into *OUT. */
gboolean th_param_switch(const char *text, gboolean *out);

/* Sets every row of TABLE that lives in struct IN to its default. */
void th_params_set_defaults(const ThParam *table, ThParamStruct in, void *base);

G_END_DECLS

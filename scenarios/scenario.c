/* scenario.c: loading and resolving scenario files (see scenario.h). */
#include "scenarios/scenario.h"
#include "network/csv.h"
#include "network/load.h"
#include "network/stale.h"
#include "network/th-error.h"
#include "network/atomic.h"
#include "scenarios/scenario-gtfs.h"
#include "scenarios/scenario-params.h"
#include "sim/simulate.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* A parameter set by a file, with where it was set. */
typedef struct {
  char *section, *key, *value, *origin; /* origin "FILE:LINE" */
} Param;

static void param_free(gpointer p) {
  Param *q = p;
  g_free(q->section);
  g_free(q->key);
  g_free(q->value);
  g_free(q->origin);
  g_free(q);
}

/* The line of "KEY =" inside [SECTION] of TEXT (1-based), or 0. GKeyFile does
 * not keep line numbers, and messages must name them. O(length of TEXT). */
static int key_line(const char *text, const char *section, const char *key) {
  int line = 0;
  gboolean in = FALSE;
  for (const char *p = text; p && *p;) {
    line++;
    const char *e = strchr(p, '\n');
    g_autofree char *l = g_strndup(p, e ? (gsize)(e - p) : strlen(p));
    g_strstrip(l);
    if (l[0] == '[') {
      char *close = strchr(l, ']');
      in = close && (gsize)(close - l - 1) == strlen(section) &&
           !strncmp(l + 1, section, strlen(section));
    } else if (in) {
      char *eq = strchr(l, '=');
      if (eq) {
        g_autofree char *k = g_strndup(l, (gsize)(eq - l));
        g_strstrip(k);
        if (!strcmp(k, key)) return line;
      }
    }
    p = e ? e + 1 : NULL;
  }
  return 0;
}

/* Splits a list written with ';' or ',' between items. */
static GPtrArray *split_list(const char *s) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  if (!s) return out;
  g_auto(GStrv) parts = g_strsplit_set(s, ";,", -1);
  for (int i = 0; parts[i]; i++) {
    g_strstrip(parts[i]);
    if (*parts[i]) g_ptr_array_add(out, g_strdup(parts[i]));
  }
  return out;
}

static char *resolve_path(const char *file, const char *rel) {
  if (g_path_is_absolute(rel)) return g_canonicalize_filename(rel, NULL);
  g_autofree char *dir = g_path_get_dirname(file);
  return g_canonicalize_filename(rel, dir);
}

/* A scenario file read: its key file, text and absolute path. */
typedef struct {
  char *path;
  char *text;
  GKeyFile *kf;
} Source;

static void source_free(Source *s) {
  if (!s) return;
  g_free(s->path);
  g_free(s->text);
  if (s->kf) g_key_file_unref(s->kf);
  g_free(s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Source, source_free)

static Source *source_read(const char *path, GPtrArray *problems, const char *named_at,
                           GError **error) {
  g_autoptr(Source) s = g_new0(Source, 1);
  s->path = g_canonicalize_filename(path, NULL);
  GError *e = NULL;
  gsize len = 0;
  if (!g_file_get_contents(s->path, &s->text, &len, &e)) {
    if (named_at)
      g_ptr_array_add(problems, g_strdup_printf("%s: cannot read scenario %s (%s)", named_at, path,
                                                e->message));
    else /* a scenario that is not there or cannot be read is bad input (exit 2) */
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s: cannot read scenario (%s)", path,
                  e->message);
    g_error_free(e);
    return NULL;
  }
  /* A BOM (Notepad) gave GLib's unreadable "line “\xEF\xBB\xBF[scenario]”";
   * GB18030 text was accepted and its names reached run.ini and
   * summary.csv as invalid UTF-8. */
  if (!th_input_text_check(s->path, s->text, &len, &e)) {
    g_ptr_array_add(problems, g_strdup(e->message));
    g_error_free(e);
    return NULL;
  }
  s->kf = g_key_file_new();
  if (!g_key_file_load_from_data(s->kf, s->text, len, G_KEY_FILE_NONE, &e)) {
    g_ptr_array_add(problems, g_strdup_printf("%s:1: not a key file: %s (expected [section] and "
                                              "key = value lines)",
                                              s->path, e->message));
    g_error_free(e);
    return NULL;
  }
  return g_steal_pointer(&s);
}

static char *origin_of(const Source *s, const char *section, const char *key) {
  return g_strdup_printf("%s:%d", s->path, key_line(s->text, section, key));
}

/* The keys of [scenario] and [network], which the loader reads by name,
 * against their rows of the table: an unknown key (a typo such as
 * `patchs`) is a problem at its line, not a setting silently ignored. */
static void check_structure(const Source *s, GPtrArray *problems) {
  static const char *const sections[] = {"scenario", "network", NULL};
  for (int g = 0; sections[g]; g++) {
    g_auto(GStrv) keys = g_key_file_get_keys(s->kf, sections[g], NULL, NULL);
    for (int k = 0; keys && keys[k]; k++) {
      g_autofree char *o = origin_of(s, sections[g], keys[k]);
      g_autofree char *v = g_key_file_get_value(s->kf, sections[g], keys[k], NULL);
      char *m = th_scenario_param_check(o, sections[g], keys[k], v ? v : "");
      if (m) g_ptr_array_add(problems, m);
    }
  }
}

/* ---- parameter checks: the table of sim/params.h ---- */

/* The MODE of a [services] MODE_lines key, or NULL (freed by the caller). */
static char *svc_lines_mode(const char *section, const char *key) {
  const ThParam *row = th_scenario_param_find(section, key);
  g_auto(GStrv) words = NULL;
  if (!row || strcmp(row->key, "MODE_lines") || !th_param_key_matches(row, key, &words))
    return NULL;
  return g_strdup(words[0]);
}

/* [services] MODE_lines names lines of MODE in the resolved services table. */
static void check_line_filter(const ThScenario *sc, const Param *p, GPtrArray *problems) {
  g_autofree char *mode =
      strcmp(p->section, "services") ? NULL : svc_lines_mode(p->section, p->key);
  ThTable *t = sc->tables[TH_TABLE_SERVICES];
  if (!mode) return;
  int lc = t ? th_table_column(t, "line", FALSE) : -1,
      mc = t ? th_table_column(t, "mode", FALSE) : -1;
  g_autoptr(GPtrArray) names = split_list(p->value);
  if (names->len == 0)
    g_ptr_array_add(problems, g_strdup_printf("%s: [services] %s is empty (expected line ids "
                                              "of services.csv separated by ';')",
                                              p->origin, p->key));
  for (guint i = 0; i < names->len; i++) {
    gboolean found = FALSE;
    for (guint r = 0; t && lc >= 0 && mc >= 0 && r < t->rows->len && !found; r++) {
      const ThTableRow *row = t->rows->pdata[r];
      found = !strcmp(row->field[lc], names->pdata[i]) && !strcmp(row->field[mc], mode);
    }
    if (!found)
      g_ptr_array_add(problems, g_strdup_printf("%s: [services] %s names line '%s', which is not "
                                                "a %s line of the services table (expected line "
                                                "ids of mode %s, separated by ';')",
                                                p->origin, p->key, (char *)names->pdata[i], mode,
                                                mode));
  }
}

/* Checks one parameter against the table; appends a problem naming its
 * origin. */
static void check_param(const Param *p, GPtrArray *problems) {
  char *m = th_scenario_param_check(p->origin, p->section, p->key, p->value);
  if (m) g_ptr_array_add(problems, m);
}

/* The parameters a file sets itself (all but [scenario] and [network]). */
static void own_params(const Source *s, GPtrArray *out) {
  g_auto(GStrv) groups = g_key_file_get_groups(s->kf, NULL);
  for (int g = 0; groups[g]; g++) {
    if (!strcmp(groups[g], "scenario") || !strcmp(groups[g], "network")) continue;
    g_auto(GStrv) keys = g_key_file_get_keys(s->kf, groups[g], NULL, NULL);
    for (int k = 0; keys && keys[k]; k++) {
      Param *p = g_new0(Param, 1);
      p->section = g_strdup(groups[g]);
      p->key = g_strdup(keys[k]);
      p->value = g_key_file_get_value(s->kf, groups[g], keys[k], NULL);
      if (p->value) g_strstrip(p->value);
      const ThParam *row = th_scenario_param_find(groups[g], keys[k]);
      if (row && row->type == TH_PARAM_INPUT && p->value && *p->value) {
        char *path = resolve_path(s->path, p->value); /* relative to the file that names it */
        g_free(p->value);
        p->value = path;
      }
      p->origin = origin_of(s, groups[g], keys[k]);
      g_ptr_array_add(out, p);
    }
  }
}

/* The patch files a file names in [network] patches. */
static void own_patches(const Source *s, GPtrArray *patches, GPtrArray *problems) {
  g_autofree char *list = g_key_file_get_value(s->kf, "network", "patches", NULL);
  g_autoptr(GPtrArray) files = split_list(list);
  for (guint i = 0; i < files->len; i++) {
    g_autofree char *path = resolve_path(s->path, files->pdata[i]);
    GError *e = NULL;
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
      g_autofree char *o = origin_of(s, "network", "patches");
      g_ptr_array_add(problems, g_strdup_printf("%s: patch file %s does not exist", o, path));
      continue;
    }
    ThPatch *p = th_patch_read(path, &e);
    if (!p) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_error_free(e);
      continue;
    }
    g_ptr_array_add(patches, p);
  }
}

/* The changes of the scenario at PATH (for `apply`): its applies' changes
 * first, then its own patches and parameters. STACK holds the files being
 * resolved, for cycles. */
static void collect_changes(const char *path, const char *named_at, GHashTable *stack,
                            GPtrArray *patches, GPtrArray *params, GPtrArray *changes,
                            GPtrArray *problems) {
  g_autoptr(Source) s = source_read(path, problems, named_at, NULL);
  if (!s) return;
  check_structure(s, problems);
  if (g_hash_table_contains(stack, s->path)) {
    g_ptr_array_add(problems, g_strdup_printf("%s: scenario %s applies itself (a cycle of base/"
                                              "apply)",
                                              named_at, s->path));
    return;
  }
  g_hash_table_add(stack, g_strdup(s->path));
  g_autofree char *apply = g_key_file_get_value(s->kf, "scenario", "apply", NULL);
  g_autoptr(GPtrArray) applies = split_list(apply);
  for (guint i = 0; i < applies->len; i++) {
    g_autofree char *ap = resolve_path(s->path, applies->pdata[i]);
    g_autofree char *o = origin_of(s, "scenario", "apply");
    collect_changes(ap, o, stack, patches, params, changes, problems);
  }
  guint before = patches->len;
  own_patches(s, patches, problems);
  guint before_params = params->len;
  own_params(s, params);
  /* an appraisal (the project's costs and years) belongs to the file that
   * states it, not to the scenarios that apply it */
  for (guint i = params->len; i-- > before_params;)
    if (!strcmp(((Param *)params->pdata[i])->section, "appraisal"))
      g_ptr_array_remove_index(params, i);
  g_autofree char *name = g_key_file_get_value(s->kf, "scenario", "name", NULL);
  g_ptr_array_add(changes, g_strdup_printf("%s: %u patch file(s)", name ? name : s->path,
                                           patches->len - before));
  g_hash_table_remove(stack, s->path);
}

void th_scenario_free(ThScenario *sc) {
  if (!sc) return;
  g_free(sc->path);
  g_free(sc->name);
  g_free(sc->description);
  g_free(sc->network_dir);
  for (int k = 0; k < TH_N_TABLES; k++) th_table_free(sc->tables[k]);
  if (sc->params) g_key_file_unref(sc->params);
  if (sc->changes) g_ptr_array_unref(sc->changes);
  if (sc->origins) g_hash_table_unref(sc->origins);
  g_free(sc);
}

static ThScenario *scenario_new(void) {
  ThScenario *sc = g_new0(ThScenario, 1);
  sc->params = g_key_file_new();
  sc->origins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  sc->changes = g_ptr_array_new_with_free_func(g_free);
  sc->description = g_strdup("");
  return sc;
}

/* Reads the tables of a GMNS folder (node and link required). */
static void read_dir(ThScenario *sc, const char *dir, const char *origin, GPtrArray *problems) {
  for (int k = 0; k < TH_N_TABLES; k++) {
    th_table_free(sc->tables[k]);
    sc->tables[k] = NULL;
    g_autofree char *p = g_build_filename(dir, th_table_file_name(k), NULL);
    if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
      if (k == TH_TABLE_NODE || k == TH_TABLE_LINK)
        g_ptr_array_add(problems, g_strdup_printf("%s: network folder %s has no %s", origin, dir,
                                                  th_table_file_name(k)));
      continue;
    }
    GError *e = NULL;
    sc->tables[k] = th_table_read(k, p, &e);
    if (!sc->tables[k]) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_error_free(e);
    }
  }
  g_free(sc->network_dir);
  sc->network_dir = g_strdup(dir);
}

static ThScenario *resolve(const char *path, const char *named_at, GHashTable *stack,
                           GPtrArray *problems, GError **error) {
  g_autoptr(Source) s = source_read(path, problems, named_at, error);
  if (!s) return NULL;
  check_structure(s, problems);
  if (g_hash_table_contains(stack, s->path)) {
    g_ptr_array_add(problems, g_strdup_printf("%s: scenario %s is its own base (a cycle of base/"
                                              "apply)",
                                              named_at, s->path));
    return NULL;
  }
  g_hash_table_add(stack, g_strdup(s->path));
  g_autoptr(ThScenario) sc = NULL;
  g_autofree char *base = g_key_file_get_value(s->kf, "scenario", "base", NULL);
  if (base) g_strstrip(base);
  if (base && *base) {
    g_autofree char *bp = resolve_path(s->path, base);
    g_autofree char *o = origin_of(s, "scenario", "base");
    sc = resolve(bp, o, stack, problems, NULL);
    if (!sc) {
      g_hash_table_remove(stack, s->path);
      return NULL;
    }
  } else {
    sc = scenario_new();
  }
  g_autofree char *dir = g_key_file_get_value(s->kf, "network", "dir", NULL);
  if (dir) g_strstrip(dir);
  if (dir && *dir) {
    g_autofree char *dp = resolve_path(s->path, dir);
    g_autofree char *o = origin_of(s, "network", "dir");
    if (!g_file_test(dp, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(problems, g_strdup_printf("%s: network folder %s does not exist", o, dp));
    else
      read_dir(sc, dp, o, problems);
  } else if (!sc->tables[TH_TABLE_NODE]) {
    g_ptr_array_add(problems, g_strdup_printf("%s:1: no network: give [network] dir or "
                                              "[scenario] base",
                                              s->path));
  }

  /* one level: the applied scenarios' changes, then our own patches */
  g_autoptr(GPtrArray) patches = g_ptr_array_new_with_free_func((GDestroyNotify)th_patch_free);
  g_autoptr(GPtrArray) applied = g_ptr_array_new_with_free_func(param_free);
  g_autofree char *apply = g_key_file_get_value(s->kf, "scenario", "apply", NULL);
  g_autoptr(GPtrArray) applies = split_list(apply);
  for (guint i = 0; i < applies->len; i++) {
    g_autofree char *ap = resolve_path(s->path, applies->pdata[i]);
    g_autofree char *o = origin_of(s, "scenario", "apply");
    collect_changes(ap, o, stack, patches, applied, sc->changes, problems);
  }
  guint before = patches->len;
  own_patches(s, patches, problems);
  if (patches->len > before)
    g_ptr_array_add(sc->changes, g_strdup_printf("%s: %u patch file(s)", s->path,
                                                 patches->len - before));
  if (problems->len == 0) th_patches_apply(sc->tables, patches, problems, NULL, NULL, NULL);

  /* parameters: applied ones must agree with each other; ours override */
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < applied->len; i++) {
    Param *p = applied->pdata[i];
    g_autofree char *k = g_strdup_printf("%s.%s", p->section, p->key);
    Param *q = g_hash_table_lookup(seen, k);
    if (q && strcmp(q->value, p->value))
      g_ptr_array_add(problems, g_strdup_printf("%s: [%s] %s = '%s' conflicts with '%s' (at %s)",
                                                p->origin, p->section, p->key, p->value, q->value,
                                                q->origin));
    else if (!q)
      g_hash_table_insert(seen, g_steal_pointer(&k), p);
  }
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func(param_free);
  own_params(s, own);
  for (int pass = 0; pass < 2; pass++) {
    GPtrArray *list = pass ? own : applied;
    for (guint i = 0; i < list->len; i++) {
      Param *p = list->pdata[i];
      check_param(p, problems);
      check_line_filter(sc, p, problems);
      g_key_file_set_value(sc->params, p->section, p->key, p->value);
      g_hash_table_replace(sc->origins, g_strdup_printf("%s.%s", p->section, p->key),
                           g_strdup(p->origin));
    }
  }
  g_free(sc->path);
  sc->path = g_strdup(s->path);
  g_free(sc->name);
  sc->name = g_key_file_get_value(s->kf, "scenario", "name", NULL);
  if (!sc->name) {
    g_autofree char *b = g_path_get_basename(s->path);
    char *dot = strrchr(b, '.');
    if (dot) *dot = 0;
    sc->name = g_strdup(b);
  }
  g_strstrip(sc->name);
  g_free(sc->description);
  sc->description = g_key_file_get_value(s->kf, "scenario", "description", NULL);
  if (!sc->description) sc->description = g_strdup("");
  g_strstrip(sc->description);
  g_hash_table_remove(stack, s->path);
  return g_steal_pointer(&sc);
}

ThScenario *th_scenario_load(const char *path, GError **error) {
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) stack = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GError *e = NULL;
  g_autoptr(ThScenario) sc = resolve(path, NULL, stack, problems, &e);
  if (!th_csv_read_end(e, problems, TH_ERROR_INVALID, error)) return NULL;
  return g_steal_pointer(&sc);
}

gboolean th_scenario_set(ThScenario *sc, const char *key, const char *value, GError **error) {
  const char *dot = strchr(key, '.');
  if (!dot || dot == key || !dot[1]) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "'%s' is not section.key (e.g. sim.seed)", key);
    return FALSE;
  }
  g_autofree char *section = g_strndup(key, (gsize)(dot - key));
  if (th_scenario_param_is_structure(section)) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "'%s': [%s] is the scenario file's structure, which an override cannot change "
                "(set it in the file)", key, section);
    return FALSE;
  }
  Param p = {section, (char *)dot + 1, (char *)value, (char *)"(override)"};
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  check_param(&p, problems);
  check_line_filter(sc, &p, problems);
  if (problems->len) {
    g_set_error_literal(error, TH_ERROR, TH_ERROR_INVALID, problems->pdata[0]);
    return FALSE;
  }
  g_key_file_set_value(sc->params, section, dot + 1, value);
  if (sc->origins) g_hash_table_replace(sc->origins, g_strdup(key), g_strdup("(override)"));
  return TRUE;
}

gboolean th_scenario_double(const ThScenario *sc, const char *section, const char *key, double def,
                            double *out, GError **error) {
  *out = def;
  g_autofree char *v = g_key_file_get_value(sc->params, section, key, NULL);
  if (!v) return TRUE;
  g_strstrip(v);
  if (!th_parse_double(v, out)) {
    *out = def;
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s: [%s] %s = '%s' is not a number", sc->path,
                section, key, v);
    return FALSE;
  }
  return TRUE;
}

const char *th_scenario_origin(const ThScenario *sc, const char *section, const char *key) {
  g_autofree char *k = g_strdup_printf("%s.%s", section, key);
  const char *o = sc->origins ? g_hash_table_lookup(sc->origins, k) : NULL;
  return o ? o : sc->path;
}

char *th_scenario_string(const ThScenario *sc, const char *section, const char *key) {
  char *v = g_key_file_get_value(sc->params, section, key, NULL);
  if (v) g_strstrip(v);
  return v;
}

/* A copy of the services or hubs table with the [services]/[hubs] overrides
 * applied to every row of the named mode or kind: the rows MODE_FIELD and
 * KIND_FIELD of the parameter table, FIELD a column of the table. */
static ThTable *with_overrides(const ThScenario *sc, ThTableKind kind) {
  ThTable *t = th_table_copy(sc->tables[kind]);
  const char *section = kind == TH_TABLE_SERVICES ? "services" : "hubs";
  g_auto(GStrv) keys = g_key_file_get_keys(sc->params, section, NULL, NULL);
  int sel = th_table_column(t, kind == TH_TABLE_SERVICES ? "mode" : "kind", FALSE);
  int line_col = kind == TH_TABLE_SERVICES ? th_table_column(t, "line", FALSE) : -1;
  int kind_col = kind == TH_TABLE_SERVICES ? th_table_column(t, "kind", FALSE) : -1;
  for (int i = 0; keys && keys[i] && sel >= 0; i++) {
    const ThParam *p = th_scenario_param_find(section, keys[i]);
    g_auto(GStrv) words = NULL;
    if (!p || !strcmp(p->key, "MODE_lines") || !th_param_key_matches(p, keys[i], &words)) continue;
    const char *prefix = words[0], *field = strchr(p->key, '_') + 1;
    g_autofree char *v = th_scenario_string(sc, section, keys[i]);
    int col = th_table_column(t, field, TRUE);
    int dep = th_table_column(t, "departures", FALSE);
    /* [services] MODE_lines = A;B: only those lines of the mode */
    g_autofree char *lines_key = g_strconcat(prefix, "_lines", NULL);
    g_autofree char *lines =
        kind == TH_TABLE_SERVICES ? th_scenario_string(sc, section, lines_key) : NULL;
    g_autoptr(GPtrArray) only = split_list(lines);
    for (guint r = 0; r < t->rows->len; r++) {
      ThTableRow *row = t->rows->pdata[r];
      if (strcmp(row->field[sel], prefix)) continue;
      if (only->len && line_col >= 0 &&
          !g_ptr_array_find_with_equal_func(only, row->field[line_col], g_str_equal, NULL))
        continue;
      /* a headway applies to lines run on a headway, not to explicit timetables */
      if (!strcmp(field, "headway_min") && dep >= 0 && *row->field[dep]) continue;
      /* on-demand runs apply to freight lines of the mode only */
      if ((!strcmp(field, "run_if_tonnes") || !strcmp(field, "max_wait_h")) &&
          (kind_col < 0 || strcmp(row->field[kind_col], "freight")))
        continue;
      g_free(row->field[col]);
      row->field[col] = g_strdup(v);
    }
  }
  return t;
}

/* Table K as the run sees it: services and hubs with their overrides, the
 * others as resolved (a copy either way). */
static ThTable *resolved_table(const ThScenario *sc, int k) {
  return k == TH_TABLE_SERVICES || k == TH_TABLE_HUBS ? with_overrides(sc, k)
                                                      : th_table_copy(sc->tables[k]);
}

gboolean th_scenario_write_network(const ThScenario *sc, const char *dir, GError **error) {
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create folder", dir);
    return FALSE;
  }
  for (int k = 0; k < TH_N_TABLES; k++) {
    if (!sc->tables[k]) continue;
    g_autoptr(ThTable) t = resolved_table(sc, k);
    gsize len;
    g_autofree char *text = th_table_to_csv(t, &len);
    g_autofree char *p = g_build_filename(dir, th_table_file_name(k), NULL);
    if (!th_atomic_write(p, text, len, error)) return FALSE;
  }
  return TRUE;
}

static const char *t_path_or(const ThScenario *sc, int k) {
  const ThTable *t = sc->tables[k];
  return t && *t->path ? t->path : th_table_file_name(k);
}

char *th_scenario_map_message(const ThScenario *sc, const char *tmpdir, const char *message) {
  GString *out = g_string_new(NULL);
  gsize tl = strlen(tmpdir);
  const char *p = message;
  while (*p) {
    const char *hit = strstr(p, tmpdir);
    if (!hit) {
      g_string_append(out, p);
      break;
    }
    g_string_append_len(out, p, hit - p);
    const char *q = hit + tl;
    gboolean done = FALSE;
    if (*q == '/') {
      for (int k = 0; k < TH_N_TABLES && !done; k++) {
        const char *fn = th_table_file_name(k);
        gsize fl = strlen(fn);
        if (strncmp(q + 1, fn, fl)) continue;
        const char *r = q + 1 + fl;
        if (*r == ':' && g_ascii_isdigit(r[1])) {
          char *end;
          long line = strtol(r + 1, &end, 10);
          const ThTable *t = sc->tables[k];
          if (t && line >= 2 && line - 2 < (long)t->rows->len) {
            const ThTableRow *row = t->rows->pdata[line - 2];
            g_string_append_printf(out, "%s:%d", row->file, row->line);
          } else {
            g_string_append_printf(out, "%s:%ld", t && *t->path ? t->path : th_table_file_name(k),
                                   line == 1 ? 1 : line);
          }
          p = end;
          done = TRUE;
        } else {
          g_string_append(out, t_path_or(sc, k));
          p = r;
          done = TRUE;
        }
      }
    }
    if (!done) {
      g_string_append(out, sc->network_dir ? sc->network_dir : tmpdir);
      p = q;
    }
  }
  return g_string_free(out, FALSE);
}

ThNetwork *th_scenario_network(const ThScenario *sc, char **tmpdir_out, GError **error) {
  GError *e = NULL;
  /* named after this process, so the next run removes what a killed one
   * left in the temporary folder (network/stale.h) */
  th_stale_clean(g_get_tmp_dir(), "taihang-scenario", "net");
  g_autofree char *tmp = th_stale_template(g_get_tmp_dir(), "taihang-scenario", "net");
  if (!g_mkdtemp_full(tmp, 0700)) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create a temporary folder (%s)",
                g_get_tmp_dir(), g_strerror(errno));
    return NULL;
  }
  if (!th_scenario_write_network(sc, tmp, error)) {
    th_rmtree(tmp);
    return NULL;
  }
  /* a cut-off zone: a warning, its demand left out (--strict: an error) */
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  ThNetwork *net = th_network_load_opt(tmp, sc->strict, warnings, &e);
  if (net && net->zone_cut_off)
    for (int z = 0; z < net->n_zones; z++)
      if (net->zone_cut_off[z]) {
        char buf[24];
        g_printerr(
            "taihang: warning: %s: zone %s is cut off from the main road network; its demand "
            "is left out (--strict refuses such a network)\n",
            sc->path, th_network_zone_label(net, z, buf));
      }
  if (!net) {
    g_autofree char *msg = th_scenario_map_message(sc, tmp, e->message);
    g_set_error_literal(error, TH_ERROR, e->code, msg);
    g_error_free(e);
    th_rmtree(tmp);
    return NULL;
  }
  if (!th_scenario_apply_gtfs(sc, tmp, &net, error)) { /* [transit] gtfs */
    th_network_free(net);
    th_rmtree(tmp);
    return NULL;
  }
  if (tmpdir_out)
    *tmpdir_out = g_steal_pointer(&tmp);
  else
    th_rmtree(tmp);
  return net;
}

static gint cmp_strp(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char *th_scenario_fingerprint(const ThScenario *sc) {
  g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
  for (int k = 0; k < TH_N_TABLES; k++) {
    if (!sc->tables[k]) continue;
    g_autoptr(ThTable) t = resolved_table(sc, k);
    gsize len;
    g_autofree char *text = th_table_to_csv(t, &len);
    g_checksum_update(ck, (const guchar *)th_table_file_name(k), -1);
    g_checksum_update(ck, (const guchar *)text, (gssize)len);
  }
  /* parameters in sorted order, so the order of keys in files does not matter */
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) groups = g_key_file_get_groups(sc->params, NULL);
  for (int g = 0; groups[g]; g++) {
    if (!strcmp(groups[g], "output")) continue;
    g_auto(GStrv) keys = g_key_file_get_keys(sc->params, groups[g], NULL, NULL);
    for (int k = 0; keys && keys[k]; k++) {
      g_autofree char *v = th_scenario_string(sc, groups[g], keys[k]);
      g_ptr_array_add(lines, g_strdup_printf("%s.%s=%s", groups[g], keys[k], v ? v : ""));
    }
  }
  g_ptr_array_sort(lines, cmp_strp);
  for (guint i = 0; i < lines->len; i++) {
    g_checksum_update(ck, (const guchar *)lines->pdata[i], -1);
    g_checksum_update(ck, (const guchar *)"\n", 1);
  }
  return g_strndup(g_checksum_get_string(ck), 16);
}

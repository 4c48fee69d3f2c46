/* sweep.c: sweep files, their grid, run ids and shards (see sweep.h). */
#include "scenarios/sweep.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define TH_SWEEP_MAX_RUNS 100000
#define TH_SWEEP_MAX_SWITCH_FILES 12
#define TH_SWEEP_PREFIX_MAX 40

static void run_free(gpointer p) {
  ThSweepRun *r = p;
  if (!r) return;
  g_free(r->id);
  g_ptr_array_unref(r->values);
  g_ptr_array_unref(r->apply);
  g_free(r->canonical);
  g_free(r);
}

void th_sweep_free(ThSweep *s) {
  if (!s) return;
  g_free(s->path);
  g_free(s->name);
  g_free(s->base);
  if (s->columns) g_ptr_array_unref(s->columns);
  if (s->is_switch) g_ptr_array_unref(s->is_switch);
  if (s->runs) g_ptr_array_unref(s->runs);
  g_free(s);
}

/* Line of KEY inside [GROUP] in TEXT (1-based), or of the group header when
 * KEY is NULL; 0 when not found. GKeyFile forgets line numbers, and a planner
 * needs them to fix the file. */
static int find_line(const char *text, const char *group, const char *key) {
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  gboolean in = FALSE;
  for (int i = 0; lines[i]; i++) {
    g_autofree char *l = g_strstrip(g_strdup(lines[i]));
    if (l[0] == '[') {
      char *end = strchr(l, ']');
      if (end) *end = 0;
      in = strcmp(l + 1, group) == 0;
      if (in && !key) return i + 1;
      continue;
    }
    if (!in || !key || l[0] == '#' || l[0] == ';') continue;
    char *eq = strchr(l, '=');
    if (!eq) continue;
    *eq = 0;
    g_strchomp(l);
    if (strcmp(l, key) == 0) return i + 1;
  }
  return 0;
}

/* A decimal number as mantissa * 10^-decimals, exactly (no binary rounding,
 * so 0.05 steps add up to 1.20 and not 1.2000000000000002). */
typedef struct {
  int64_t mant;
  int dec;
} Decimal;

static gboolean parse_decimal(const char *s, Decimal *d) {
  while (*s == ' ' || *s == '\t') s++;
  gboolean neg = FALSE;
  if (*s == '+' || *s == '-') neg = *s++ == '-';
  int64_t m = 0;
  int dec = -1, digits = 0;
  for (; *s; s++) {
    if (*s == '.' && dec < 0) {
      dec = 0;
      continue;
    }
    if (*s < '0' || *s > '9') break;
    if (++digits > 17) return FALSE;
    m = m * 10 + (*s - '0');
    if (dec >= 0) dec++;
  }
  while (*s == ' ' || *s == '\t') s++;
  if (*s || digits == 0) return FALSE;
  d->mant = neg ? -m : m;
  d->dec = dec < 0 ? 0 : dec;
  return TRUE;
}

static int64_t scale_to(Decimal d, int dec) {
  int64_t m = d.mant;
  for (int i = d.dec; i < dec; i++) m *= 10;
  return m;
}

static char *format_decimal(int64_t m, int dec) {
  if (dec == 0) return g_strdup_printf("%" G_GINT64_FORMAT, m);
  int64_t p = 1;
  for (int i = 0; i < dec; i++) p *= 10;
  uint64_t a = m < 0 ? (uint64_t)(-m) : (uint64_t)m;
  return g_strdup_printf("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, m < 0 ? "-" : "",
                         a / (uint64_t)p, dec, a % (uint64_t)p);
}

/* Expands "start:stop:step" into OUT. Returns FALSE with *PROBLEM when ITEM
 * has the shape of a range but is not a valid one; sets *IS_RANGE. */
static gboolean expand_range(const char *item, GPtrArray *out, gboolean *is_range, char **problem) {
  g_auto(GStrv) parts = g_strsplit(item, ":", -1);
  *is_range = FALSE;
  if (g_strv_length(parts) != 3) return TRUE;
  Decimal a, b, st;
  if (!parse_decimal(parts[0], &a) || !parse_decimal(parts[1], &b) || !parse_decimal(parts[2], &st))
    return TRUE; /* not numbers: a literal such as a clock time */
  *is_range = TRUE;
  int dec = MAX(a.dec, MAX(b.dec, st.dec));
  if (dec > 9) {
    *problem = g_strdup_printf("range '%s' has more than 9 decimals (expected start:stop:step)", item);
    return FALSE;
  }
  int64_t ia = scale_to(a, dec), ib = scale_to(b, dec), is = scale_to(st, dec);
  if (is == 0 || (ib - ia) / is < 0) {
    *problem = g_strdup_printf("range '%s' never reaches its stop (expected start:stop:step with a "
                               "step of the sign of stop - start, not zero; clock times as HH:MM "
                               "or seconds)",
                               item);
    return FALSE;
  }
  int64_t n = (ib - ia) / is + 1;
  if (n > TH_SWEEP_MAX_RUNS) {
    *problem = g_strdup_printf("range '%s' has %" G_GINT64_FORMAT " values (expected at most %d)",
                               item, n, TH_SWEEP_MAX_RUNS);
    return FALSE;
  }
  for (int64_t k = 0; k < n; k++) g_ptr_array_add(out, format_decimal(ia + k * is, dec));
  return TRUE;
}

/* A value for the duplicate check: "1.0" and "1.00" name the same scenario,
 * so numbers compare by value and other text by bytes. */
typedef struct {
  gboolean is_num;
  double x;
  const char *s;
  guint idx; /* position in the expanded list */
} ValueKey;

static int cmp_value_key(gconstpointer pa, gconstpointer pb) {
  const ValueKey *a = pa, *b = pb;
  if (a->is_num != b->is_num) return a->is_num ? -1 : 1;
  int c = a->is_num ? (a->x < b->x ? -1 : a->x > b->x) : strcmp(a->s, b->s);
  if (c) return c;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Index of the first value (in list order) equal to an earlier one, or -1.
 * Sorting makes it O(n log n): the pairwise check it replaces took 90 s for
 * a range of 100,000 values. */
static gssize first_repeat(GPtrArray *values) {
  guint n = values->len;
  g_autofree ValueKey *k = g_new(ValueKey, n ? n : 1);
  for (guint i = 0; i < n; i++) {
    k[i].s = values->pdata[i];
    k[i].is_num = th_parse_double(k[i].s, &k[i].x);
    k[i].idx = i;
  }
  qsort(k, n, sizeof *k, cmp_value_key);
  gssize first = -1;
  for (guint i = 1; i < n; i++) {
    gboolean same = k[i].is_num == k[i - 1].is_num &&
                    (k[i].is_num ? k[i].x == k[i - 1].x : !strcmp(k[i].s, k[i - 1].s));
    /* within a run of equal values sorted by position, the second is the
     * first repeat of that value */
    if (same && (i < 2 || !(k[i - 1].is_num == k[i - 2].is_num &&
                            (k[i - 1].is_num ? k[i - 1].x == k[i - 2].x
                                             : !strcmp(k[i - 1].s, k[i - 2].s)))))
      if (first < 0 || k[i].idx < (guint)first) first = k[i].idx;
  }
  return first;
}

GPtrArray *th_sweep_expand_values(const char *text, char **problem) {
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *all = g_strstrip(g_strdup(text));
  if (!*all) {
    /* `demand.growth =`: no values at all made an empty grid dimension,
     * which crashed the expansion */
    *problem = g_strdup("no value (expected values separated by commas, or a range "
                        "start:stop:step)");
    return NULL;
  }
  g_auto(GStrv) items = g_strsplit(text, ",", -1);
  for (int i = 0; items[i]; i++) {
    char *item = g_strstrip(items[i]);
    if (!*item) {
      *problem = g_strdup_printf("empty value in '%s' (expected values separated by commas)", text);
      return NULL;
    }
    gboolean is_range;
    if (!expand_range(item, out, &is_range, problem)) return NULL;
    if (!is_range) g_ptr_array_add(out, g_strdup(item));
  }
  gssize rep = first_repeat(out);
  if (rep >= 0) {
    *problem = g_strdup_printf("value '%s' appears twice in '%s' (expected distinct values)",
                               (char *)out->pdata[rep], text);
    return NULL;
  }
  return g_steal_pointer(&out);
}

char *th_sweep_make_id(const char *prefix, const char *canonical) {
  g_autofree char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, canonical, -1);
  GString *id = g_string_new(NULL);
  /* Only characters that are safe in file names, shells and CSV. */
  for (const char *p = prefix; *p && id->len < TH_SWEEP_PREFIX_MAX; p++) {
    char c = *p;
    gboolean ok = g_ascii_isalnum(c) || c == '.' || c == '+' || c == '_' || c == '-';
    if (!ok && id->len > 0 && id->str[id->len - 1] == '-') continue;
    g_string_append_c(id, ok ? c : '-');
  }
  while (id->len > 0 && (id->str[0] == '.' || id->str[0] == '-')) g_string_erase(id, 0, 1);
  if (id->len > 0) g_string_append_c(id, '-');
  g_string_append_len(id, sha, 8);
  return g_string_free(id, FALSE);
}

static gboolean valid_key(const char *key) {
  const char *dot = strchr(key, '.');
  if (!dot || dot == key || !dot[1]) return FALSE;
  for (const char *p = key; *p; p++)
    if (!(g_ascii_isalnum(*p) || *p == '_' || *p == '-' || *p == '.')) return FALSE;
  return strncmp(key, "scenario.", 9) != 0 && strncmp(key, "sweep.", 6) != 0;
}

/* One dimension of the grid. */
typedef struct {
  char *column;
  GPtrArray *values; /* char * */
  GPtrArray *applies; /* for switches: per value, a GPtrArray of absolute paths */
} Dim;

static void dim_free(gpointer p) {
  Dim *d = p;
  g_free(d->column);
  g_ptr_array_unref(d->values);
  if (d->applies) g_ptr_array_unref(d->applies);
  g_free(d);
}

static char *resolve(const char *dir, const char *rel) {
  if (g_path_is_absolute(rel)) return g_canonicalize_filename(rel, NULL);
  return g_canonicalize_filename(rel, dir);
}

static char *stem(const char *path) {
  char *b = g_path_get_basename(path);
  char *dot = strrchr(b, '.');
  if (dot && dot != b) *dot = 0;
  return b;
}

static int cmp_run(gconstpointer a, gconstpointer b) {
  const ThSweepRun *ra = *(ThSweepRun *const *)a, *rb = *(ThSweepRun *const *)b;
  return strcmp(ra->id, rb->id);
}

static int cmp_index(gconstpointer a, gconstpointer b, gpointer cols) {
  GPtrArray *c = cols;
  return strcmp(c->pdata[*(const guint *)a], c->pdata[*(const guint *)b]);
}

/* Builds the runs from the dimensions: the cross product, in mixed-radix order. */
static void expand(ThSweep *s, GPtrArray *dims) {
  guint nd = dims->len;
  g_autofree guint *order = g_new(guint, nd ? nd : 1); /* columns sorted by name */
  for (guint i = 0; i < nd; i++) order[i] = i;
  g_qsort_with_data(order, (gint)nd, sizeof(guint), cmp_index, s->columns);
  g_autofree guint *idx = g_new0(guint, nd ? nd : 1);
  for (;;) {
    ThSweepRun *r = g_new0(ThSweepRun, 1);
    r->values = g_ptr_array_new_with_free_func(g_free);
    r->apply = g_ptr_array_new_with_free_func(g_free);
    GString *prefix = g_string_new(NULL);
    for (guint d = 0; d < nd; d++) {
      Dim *dim = dims->pdata[d];
      const char *v = dim->values->pdata[idx[d]];
      g_ptr_array_add(r->values, g_strdup(v));
      if (prefix->len) g_string_append_c(prefix, '_');
      g_string_append(prefix, v);
      if (dim->applies) {
        GPtrArray *files = dim->applies->pdata[idx[d]];
        for (guint k = 0; k < files->len; k++) g_ptr_array_add(r->apply, g_strdup(files->pdata[k]));
      }
    }
    GString *canon = g_string_new(NULL);
    for (guint k = 0; k < nd; k++)
      g_string_append_printf(canon, "%s=%s\n", (char *)s->columns->pdata[order[k]],
                             (char *)r->values->pdata[order[k]]);
    r->canonical = g_string_free(canon, FALSE);
    r->id = th_sweep_make_id(prefix->str, r->canonical);
    g_string_free(prefix, TRUE);
    g_ptr_array_add(s->runs, r);
    /* next combination; the last dimension turns fastest */
    int d = (int)nd - 1;
    for (; d >= 0; d--) {
      Dim *dim = dims->pdata[d];
      if (++idx[d] < dim->values->len) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  g_ptr_array_sort(s->runs, cmp_run);
}

/* A sweep file being read: its text, key file and folder, the problems
 * found so far (all reported at once) and the dimensions of the grid. */
typedef struct {
  const char *path, *text;
  GKeyFile *kf;
  const char *dir;
  GPtrArray *problems;
  gboolean invalid; /* a file named is missing: TH_ERROR_INVALID rather than PARSE */
  GPtrArray *dims;  /* Dim */
} SweepReader;

/* [sweep]: name, description and the base scenario, which must exist. */
static void read_sweep_group(SweepReader *rd, ThSweep *s) {
  if (!g_key_file_has_group(rd->kf, "sweep")) {
    th_problems_add(rd->problems, rd->path, 1,
                    "no [sweep] group (expected [sweep] with name and base)");
    return;
  }
  g_auto(GStrv) keys = g_key_file_get_keys(rd->kf, "sweep", NULL, NULL);
  for (int i = 0; keys && keys[i]; i++)
    if (strcmp(keys[i], "name") && strcmp(keys[i], "base") && strcmp(keys[i], "description"))
      th_problems_add(rd->problems, rd->path, find_line(rd->text, "sweep", keys[i]),
                      "unknown key '%s' in [sweep] (expected name, description, base)", keys[i]);
  g_autofree char *name = g_key_file_get_string(rd->kf, "sweep", "name", NULL);
  s->name = name && *g_strstrip(name) ? g_strdup(name) : stem(rd->path);
  g_autofree char *base = g_key_file_get_string(rd->kf, "sweep", "base", NULL);
  if (!base || !*g_strstrip(base)) {
    th_problems_add(rd->problems, rd->path, find_line(rd->text, "sweep", NULL),
                    "[sweep] has no base (expected base = SCENARIO.ini)");
    return;
  }
  s->base = resolve(rd->dir, base);
  if (!g_file_test(s->base, G_FILE_TEST_IS_REGULAR)) {
    th_problems_add(rd->problems, rd->path, find_line(rd->text, "sweep", "base"),
                    "base scenario '%s' does not exist (expected a scenario file, relative "
                    "to the sweep file or absolute)",
                    base);
    rd->invalid = TRUE;
  }
}

/* Groups other than [sweep], [parameters] and [switches]. */
static void check_groups(SweepReader *rd) {
  g_auto(GStrv) groups = g_key_file_get_groups(rd->kf, NULL);
  for (int i = 0; groups[i]; i++)
    if (strcmp(groups[i], "sweep") && strcmp(groups[i], "parameters") &&
        strcmp(groups[i], "switches"))
      th_problems_add(rd->problems, rd->path, find_line(rd->text, groups[i], NULL),
                      "unknown group [%s] (expected [sweep], [parameters], [switches])", groups[i]);
}

/* [parameters]: one dimension per section.key, its values expanded. */
static void read_parameters(SweepReader *rd) {
  g_auto(GStrv) pkeys = g_key_file_get_keys(rd->kf, "parameters", NULL, NULL);
  for (int i = 0; pkeys && pkeys[i]; i++) {
    int line = find_line(rd->text, "parameters", pkeys[i]);
    if (!valid_key(pkeys[i])) {
      th_problems_add(rd->problems, rd->path, line,
                      "parameter '%s' is not section.key of the scenario language (expected e.g. "
                      "sim.seed or demand.growth; [scenario] keys are set by the sweep)",
                      pkeys[i]);
      continue;
    }
    g_autofree char *v = g_key_file_get_value(rd->kf, "parameters", pkeys[i], NULL);
    char *problem = NULL;
    GPtrArray *values = th_sweep_expand_values(v ? v : "", &problem);
    if (!values) {
      th_problems_add(rd->problems, rd->path, line, "%s: %s", pkeys[i], problem);
      g_free(problem);
      continue;
    }
    Dim *d = g_new0(Dim, 1);
    d->column = g_strdup(pkeys[i]);
    d->values = values;
    g_ptr_array_add(rd->dims, d);
  }
}

/* The files of switch group KEY (at LINE) into ABS (absolute paths) and
 * STEMS; FALSE when one is empty, missing or named twice. */
static gboolean switch_files(SweepReader *rd, const char *key, int line, GPtrArray *abs,
                             GPtrArray *stems) {
  g_autofree char *v = g_key_file_get_value(rd->kf, "switches", key, NULL);
  g_auto(GStrv) files = g_strsplit_set(v ? v : "", ",;", -1);
  gboolean bad = FALSE;
  for (int k = 0; files[k]; k++) {
    char *f = g_strstrip(files[k]);
    if (!*f) {
      /* `projects = a.ini, , b.ini` or `projects =`: as for parameters */
      if (files[k + 1] || k > 0)
        th_problems_add(rd->problems, rd->path, line,
                        "switch group '%s' has an empty file name in '%s' (expected scenario "
                        "files separated by commas)",
                        key, g_strstrip(v));
      bad = TRUE;
      continue;
    }
    char *a = resolve(rd->dir, f);
    if (!g_file_test(a, G_FILE_TEST_IS_REGULAR)) {
      th_problems_add(rd->problems, rd->path, line,
                      "switch file '%s' does not exist (expected a scenario file, relative to "
                      "the sweep file or absolute)",
                      f);
      rd->invalid = bad = TRUE;
    }
    g_autofree char *st = stem(a);
    for (guint j = 0; j < stems->len; j++)
      if (strcmp(stems->pdata[j], st) == 0) {
        th_problems_add(rd->problems, rd->path, line, "switch file '%s' is named twice in %s", f,
                        key);
        bad = TRUE;
      }
    g_ptr_array_add(abs, a);
    g_ptr_array_add(stems, g_steal_pointer(&st));
  }
  return !bad;
}

/* The dimension of a switch group: combination c switches on the files
 * whose bit is set, in listed order ("none", "a", "b", "a+b", ...). */
static Dim *switch_dim(const char *key, const GPtrArray *abs, const GPtrArray *stems) {
  Dim *d = g_new0(Dim, 1);
  d->column = g_strdup(key);
  d->values = g_ptr_array_new_with_free_func(g_free);
  d->applies = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  for (guint c = 0; c < (1u << abs->len); c++) {
    GString *label = g_string_new(NULL);
    GPtrArray *on = g_ptr_array_new_with_free_func(g_free);
    for (guint k = 0; k < abs->len; k++)
      if (c & (1u << k)) {
        if (label->len) g_string_append_c(label, '+');
        g_string_append(label, stems->pdata[k]);
        g_ptr_array_add(on, g_strdup(abs->pdata[k]));
      }
    g_ptr_array_add(d->values, label->len ? g_string_free(label, FALSE)
                                          : (g_string_free(label, TRUE), g_strdup("none")));
    g_ptr_array_add(d->applies, on);
  }
  return d;
}

/* [switches]: each file of a group on or off, all 2^n combinations. */
static void read_switches(SweepReader *rd) {
  g_auto(GStrv) skeys = g_key_file_get_keys(rd->kf, "switches", NULL, NULL);
  for (int i = 0; skeys && skeys[i]; i++) {
    int line = find_line(rd->text, "switches", skeys[i]);
    if (strchr(skeys[i], '.') || g_key_file_has_key(rd->kf, "parameters", skeys[i], NULL)) {
      th_problems_add(rd->problems, rd->path, line,
                      "switch group '%s' looks like a parameter (expected a plain name such as "
                      "projects)",
                      skeys[i]);
      continue;
    }
    g_autoptr(GPtrArray) abs = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) stems = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = switch_files(rd, skeys[i], line, abs, stems);
    if (abs->len == 0 || abs->len > TH_SWEEP_MAX_SWITCH_FILES) {
      th_problems_add(rd->problems, rd->path, line,
                      "switch group '%s' names %u files (expected 1 to %d scenario files "
                      "separated by commas)",
                      skeys[i], abs->len, TH_SWEEP_MAX_SWITCH_FILES);
      continue;
    }
    if (ok) g_ptr_array_add(rd->dims, switch_dim(skeys[i], abs, stems));
  }
}

/* A grid with at least one dimension and at most TH_SWEEP_MAX_RUNS runs. */
static void check_grid(SweepReader *rd) {
  if (rd->problems->len == 0 && rd->dims->len == 0)
    th_problems_add(rd->problems, rd->path, 1,
                    "the sweep has no parameters and no switches (expected a [parameters] or "
                    "[switches] group with at least one key)");
  double total = 1;
  for (guint i = 0; i < rd->dims->len; i++) total *= ((Dim *)rd->dims->pdata[i])->values->len;
  if (total > TH_SWEEP_MAX_RUNS)
    th_problems_add(rd->problems, rd->path, 1, "the grid has %.0f runs (expected at most %d)",
                    total, TH_SWEEP_MAX_RUNS);
}

ThSweep *th_sweep_load(const char *path, GError **error) {
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) e = NULL;
  if (!th_input_read(path, &text, &len, error)) return NULL;
  if (!th_input_text_check(path, text, &len, error)) return NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &e)) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:1: not a key file: %s (expected [sweep], [parameters] and [switches] groups "
                "of key = value lines)",
                path, e->message);
    return NULL;
  }
  g_autoptr(ThSweep) s = g_new0(ThSweep, 1);
  s->path = resolve(NULL, path);
  s->columns = g_ptr_array_new_with_free_func(g_free);
  s->is_switch = g_ptr_array_new();
  s->runs = g_ptr_array_new_with_free_func(run_free);
  g_autofree char *dir = g_path_get_dirname(s->path);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) dims = g_ptr_array_new_with_free_func(dim_free);
  SweepReader rd = {path, text, kf, dir, problems, FALSE, dims};
  read_sweep_group(&rd, s);
  check_groups(&rd);
  read_parameters(&rd);
  read_switches(&rd);
  check_grid(&rd);
  if (problems->len) {
    th_problems_to_error(problems, rd.invalid ? TH_ERROR_INVALID : TH_ERROR_PARSE, error);
    return NULL;
  }
  for (guint i = 0; i < dims->len; i++) {
    Dim *d = dims->pdata[i];
    g_ptr_array_add(s->columns, g_strdup(d->column));
    g_ptr_array_add(s->is_switch, GINT_TO_POINTER(d->applies != NULL));
  }
  expand(s, dims);
  for (guint i = 1; i < s->runs->len; i++)
    if (!cmp_run(&s->runs->pdata[i - 1], &s->runs->pdata[i])) {
      g_set_error(error, TH_ERROR, TH_ERROR_INVALID, "%s:1: two runs have the id %s", path,
                  ((ThSweepRun *)s->runs->pdata[i])->id);
      return NULL;
    }
  return g_steal_pointer(&s);
}

char *th_sweep_run_scenario(const ThSweep *s, const ThSweepRun *r, int threads) {
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_key_file_set_value(kf, "scenario", "name", r->id);
  g_key_file_set_value(kf, "scenario", "base", s->base);
  if (r->apply->len) {
    g_ptr_array_add(r->apply, NULL);
    g_autofree char *apply = g_strjoinv(";", (char **)r->apply->pdata);
    g_ptr_array_remove_index(r->apply, r->apply->len - 1);
    g_key_file_set_value(kf, "scenario", "apply", apply);
  }
  for (guint c = 0; c < s->columns->len; c++) {
    if (s->is_switch->pdata[c]) continue;
    const char *col = s->columns->pdata[c];
    const char *dot = strchr(col, '.');
    g_autofree char *group = g_strndup(col, (gsize)(dot - col));
    g_key_file_set_value(kf, group, dot + 1, r->values->pdata[c]);
  }
  if (threads > 0 && !g_key_file_has_key(kf, "sim", "threads", NULL)) {
    g_autofree char *t = g_strdup_printf("%d", threads);
    g_key_file_set_value(kf, "sim", "threads", t);
  }
  g_autofree char *body = g_key_file_to_data(kf, NULL, NULL);
  return g_strconcat("# written by taihang sweep ", s->name, ", run ", r->id, "\n", body, NULL);
}

gboolean th_sweep_parse_shard(const char *text, int *i, int *n, GError **error) {
  int64_t a = 0, b = 0;
  g_auto(GStrv) parts = g_strsplit(text ? text : "", "/", -1);
  if (g_strv_length(parts) != 2 || !th_parse_int64(parts[0], &a) || !th_parse_int64(parts[1], &b) ||
      b < 1 || a < 1 || a > b || b > 1000000) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "bad shard '%s' (expected I/N with 1 <= I <= N, e.g. 2/8)", text ? text : "");
    return FALSE;
  }
  *i = (int)a;
  *n = (int)b;
  return TRUE;
}

GPtrArray *th_sweep_shard(const ThSweep *s, int i, int n) {
  GPtrArray *out = g_ptr_array_new();
  for (guint k = 0; k < s->runs->len; k++)
    if ((int)(k % (guint)n) == i - 1) g_ptr_array_add(out, s->runs->pdata[k]);
  return out;
}

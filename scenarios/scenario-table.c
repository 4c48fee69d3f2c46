/* scenario-table.c: CSV tables keyed by id and the patches on them (see
 * scenario-table.h). */
#include "scenarios/scenario-table.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <string.h>

static const char *table_files[TH_N_TABLES] = {"node.csv", "link.csv", "services.csv", "hubs.csv",
                                               "classes.csv"};
static const char *table_keys[TH_N_TABLES] = {"node_id", "link_id", "line", "node_id", "class"};
static const char *table_names[TH_N_TABLES] = {"node", "link", "service line", "hub", "class"};

const char *th_table_file_name(ThTableKind kind) { return table_files[kind]; }

static void row_free(gpointer p) {
  ThTableRow *r = p;
  if (!r) return;
  g_strfreev(r->field);
  g_free(r->file);
  g_free(r);
}

ThTable *th_table_new(ThTableKind kind) {
  ThTable *t = g_new0(ThTable, 1);
  t->kind = kind;
  t->path = g_strdup("");
  t->cols = g_ptr_array_new_with_free_func(g_free);
  t->rows = g_ptr_array_new_with_free_func(row_free);
  t->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  return t;
}

void th_table_free(ThTable *t) {
  if (!t) return;
  g_free(t->path);
  g_ptr_array_unref(t->cols);
  g_ptr_array_unref(t->rows);
  g_hash_table_unref(t->index);
  g_free(t);
}

static int key_col(const ThTable *t) {
  for (guint i = 0; i < t->cols->len; i++)
    if (!strcmp(t->cols->pdata[i], table_keys[t->kind])) return (int)i;
  return -1;
}

static const char *row_key(const ThTable *t, const ThTableRow *r) {
  int k = key_col(t);
  return k >= 0 ? r->field[k] : "";
}

static void reindex(ThTable *t) {
  g_hash_table_remove_all(t->index);
  int k = key_col(t);
  if (k < 0) return;
  for (guint i = 0; i < t->rows->len; i++) {
    ThTableRow *r = t->rows->pdata[i];
    if (!g_hash_table_contains(t->index, r->field[k]))
      g_hash_table_insert(t->index, g_strdup(r->field[k]), GUINT_TO_POINTER(i + 1));
  }
}

int th_table_column(ThTable *t, const char *name, gboolean add) {
  for (guint i = 0; i < t->cols->len; i++)
    if (!strcmp(t->cols->pdata[i], name)) return (int)i;
  if (!add) return -1;
  g_ptr_array_add(t->cols, g_strdup(name));
  int n = (int)t->cols->len;
  for (guint i = 0; i < t->rows->len; i++) {
    ThTableRow *r = t->rows->pdata[i];
    r->field = g_renew(char *, r->field, n + 1);
    r->field[n - 1] = g_strdup("");
    r->field[n] = NULL;
  }
  return n - 1;
}

/* Edit distance of A and B (bytes), capped: ids differ by a typo or two. */
static int edit_distance(const char *a, const char *b) {
  gsize n = strlen(a), m = strlen(b);
  if (n > 64 || m > 64) return 99;
  int d[65][65];
  for (gsize i = 0; i <= n; i++) d[i][0] = (int)i;
  for (gsize j = 0; j <= m; j++) d[0][j] = (int)j;
  for (gsize i = 1; i <= n; i++)
    for (gsize j = 1; j <= m; j++)
      d[i][j] =
          MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
  return d[n][m];
}

/* The row whose id is nearest ID (at most 2 edits, first in table order), or
 * NULL. O(rows x id length^2). */
static const ThTableRow *nearest_row(const ThTable *t, const char *id) {
  const ThTableRow *best = NULL;
  int best_d = 3;
  for (guint i = 0; i < t->rows->len; i++) {
    const ThTableRow *r = t->rows->pdata[i];
    int d = edit_distance(id, row_key(t, r));
    if (d < best_d) {
      best_d = d;
      best = r;
    }
  }
  return best;
}

ThTableRow *th_table_find(const ThTable *t, const char *id) {
  guint i = GPOINTER_TO_UINT(g_hash_table_lookup(t->index, id));
  return i ? t->rows->pdata[i - 1] : NULL;
}

/* Reads any CSV into a table of KIND (key column not required here). */
static ThTable *read_csv(ThTableKind kind, const char *path, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return NULL;
  g_autoptr(ThTable) t = th_table_new(kind);
  g_free(t->path);
  t->path = g_strdup(path);
  int nc = th_csv_n_columns(csv);
  for (int c = 0; c < nc; c++) g_ptr_array_add(t->cols, g_strdup(th_csv_column_name(csv, c)));
  GError *e = NULL;
  while (th_csv_next(csv, &e)) {
    ThTableRow *r = g_new0(ThTableRow, 1);
    r->field = g_new0(char *, nc + 1);
    for (int c = 0; c < nc; c++) {
      /* a line break inside a field would shift the line numbers of the
       * written-back table; no column of ours needs one */
      char *v = g_strdup(th_csv_field(csv, c));
      for (char *p = v; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
      r->field[c] = v;
    }
    r->file = g_strdup(path);
    r->line = th_csv_line(csv);
    g_ptr_array_add(t->rows, r);
  }
  if (e) {
    g_propagate_error(error, e);
    return NULL;
  }
  return g_steal_pointer(&t);
}

ThTable *th_table_read(ThTableKind kind, const char *path, GError **error) {
  g_autoptr(ThTable) t = read_csv(kind, path, error);
  if (!t) return NULL;
  int k = key_col(t);
  if (k < 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE, "%s:1: missing required column '%s'", path,
                table_keys[kind]);
    return NULL;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < t->rows->len; i++) {
    ThTableRow *r = t->rows->pdata[i];
    const char *id = r->field[k];
    if (!*id) {
      th_problems_add(problems, path, r->line, "empty %s (a %s id is required)", table_keys[kind],
                      table_names[kind]);
      continue;
    }
    ThTableRow *o = g_hash_table_lookup(seen, id);
    if (o)
      th_problems_add(problems, path, r->line, "duplicate %s %s (first at line %d)",
                      table_keys[kind], id, o->line);
    else
      g_hash_table_insert(seen, (gpointer)id, r);
  }
  g_hash_table_unref(seen);
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return NULL;
  }
  reindex(t);
  return g_steal_pointer(&t);
}

ThTable *th_table_copy(const ThTable *t) {
  ThTable *c = th_table_new(t->kind);
  g_free(c->path);
  c->path = g_strdup(t->path);
  for (guint i = 0; i < t->cols->len; i++) g_ptr_array_add(c->cols, g_strdup(t->cols->pdata[i]));
  for (guint i = 0; i < t->rows->len; i++) {
    const ThTableRow *r = t->rows->pdata[i];
    ThTableRow *n = g_new0(ThTableRow, 1);
    n->field = g_strdupv(r->field);
    n->file = g_strdup(r->file);
    n->line = r->line;
    g_ptr_array_add(c->rows, n);
  }
  reindex(c);
  return c;
}


char *th_table_to_csv(const ThTable *t, gsize *len) {
  GString *s = g_string_new(NULL);
  for (guint c = 0; c < t->cols->len; c++) {
    if (c) g_string_append_c(s, ',');
    th_csv_append_field(s, t->cols->pdata[c]);
  }
  g_string_append_c(s, '\n');
  for (guint i = 0; i < t->rows->len; i++) {
    const ThTableRow *r = t->rows->pdata[i];
    for (guint c = 0; c < t->cols->len; c++) {
      if (c) g_string_append_c(s, ',');
      th_csv_append_field(s, r->field[c]);
    }
    g_string_append_c(s, '\n');
  }
  if (len) *len = s->len;
  return g_string_free(s, FALSE);
}

/* ---- patches ---- */

static gboolean has_col(const ThTable *t, const char *name) {
  for (guint i = 0; i < t->cols->len; i++)
    if (!strcmp(t->cols->pdata[i], name)) return TRUE;
  return FALSE;
}

void th_patch_free(ThPatch *p) {
  if (!p) return;
  g_free(p->path);
  th_table_free(p->rows);
  g_free(p);
}

ThPatch *th_patch_read(const char *path, GError **error) {
  g_autoptr(ThTable) t = read_csv(TH_TABLE_NODE, path, error);
  if (!t) return NULL;
  if (has_col(t, "link_id")) t->kind = TH_TABLE_LINK;
  else if (has_col(t, "line")) t->kind = TH_TABLE_SERVICES;
  else if (has_col(t, "node_id") && has_col(t, "x_coord")) t->kind = TH_TABLE_NODE;
  else if (has_col(t, "node_id") && (has_col(t, "kind") || has_col(t, "modes")))
    t->kind = TH_TABLE_HUBS;
  else if (has_col(t, "class")) t->kind = TH_TABLE_CLASSES;
  else if (has_col(t, "node_id")) t->kind = TH_TABLE_NODE;
  else {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:1: cannot tell which table this patch changes (expected a header with "
                "link_id, line, node_id with x_coord (nodes), node_id with kind or modes (hubs), "
                "or class)",
                path);
    return NULL;
  }
  int ac = -1;
  for (guint i = 0; i < t->cols->len; i++)
    if (!strcmp(t->cols->pdata[i], "action")) ac = (int)i;
  if (ac < 0) {
    g_set_error(error, TH_ERROR, TH_ERROR_PARSE,
                "%s:1: missing required column 'action' (add, remove or change)", path);
    return NULL;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  int k = key_col(t);
  for (guint i = 0; i < t->rows->len; i++) {
    ThTableRow *r = t->rows->pdata[i];
    const char *a = r->field[ac];
    if (strcmp(a, "add") && strcmp(a, "remove") && strcmp(a, "change"))
      th_problems_add(problems, path, r->line, "unknown action '%s' (add, remove or change)", a);
    if (!*r->field[k])
      th_problems_add(problems, path, r->line, "empty %s (a %s id is required)",
                      table_keys[t->kind], table_names[t->kind]);
  }
  if (problems->len) {
    th_problems_to_error(problems, TH_ERROR_INVALID, error);
    return NULL;
  }
  ThPatch *p = g_new0(ThPatch, 1);
  p->path = g_strdup(path);
  p->kind = t->kind;
  p->action_col = ac;
  p->rows = g_steal_pointer(&t);
  return p;
}

/* What one level of patches does to one id. */
typedef struct {
  const ThTableRow *first;   /* first patch row naming the id */
  const ThPatch *first_patch;
  const char *action;        /* of the first row */
  GHashTable *fields;        /* column name -> "value\tFILE:LINE" of the first change */
} IdOps;

static void idops_free(gpointer p) {
  IdOps *o = p;
  if (o->fields) g_hash_table_unref(o->fields);
  g_free(o);
}

/* The problem of patch row R of P, which would ACTION id ID of table KIND
 * that T does not have: names the nearest id, in T (the base and earlier
 * levels) or added by a patch of this level (OPS), whichever is nearer. */
static void missing_id(GPtrArray *problems, const ThTable *t, int kind, GHashTable *ops,
                       const ThPatch *p, const ThTableRow *r, const char *id, const char *action) {
  /* the table holds the base file's rows and those of earlier patches: name
   * the file of the nearest id, which is often a line a project patch
   * added, not the base file */
  const ThTableRow *near = t ? nearest_row(t, id) : NULL;
  int near_d = near ? edit_distance(id, row_key(t, near)) : 99;
  g_autofree char *hint = near ? g_strdup_printf("; the nearest is %s, defined at %s:%d",
                                                 row_key(t, near), near->file, near->line)
                               : g_strdup("");
  /* ids added by the patches of this level so far */
  GHashTableIter it;
  gpointer key, val;
  g_hash_table_iter_init(&it, ops);
  const char *best_id = NULL;
  const IdOps *best_o = NULL;
  while (g_hash_table_iter_next(&it, &key, &val)) {
    const IdOps *q = val;
    if (strcmp(q->action, "add")) continue;
    int d = edit_distance(id, key);
    /* ties: the smaller id, so the message never depends on hash order */
    if (d <= 2 && (d < near_d || (d == near_d && best_id && strcmp(key, best_id) < 0))) {
      near_d = d;
      best_id = key;
      best_o = q;
    }
  }
  if (best_o) {
    g_free(hint);
    hint = g_strdup_printf("; the nearest is %s, added at %s:%d", best_id,
                           best_o->first_patch->path, best_o->first->line);
  }
  th_problems_add(problems, p->path, r->line,
                  "%s %s to %s does not exist (not in %s nor added by the patches "
                  "applied before this one%s)",
                  table_names[kind], id, action, t && *t->path ? t->path : table_files[kind],
                  hint);
}

/* A change row R of P (key column K) against the earlier changes of the
 * same id (O): one field given two values is a conflict. */
static void change_conflicts(GPtrArray *problems, int kind, IdOps *o, const ThPatch *p,
                             const ThTableRow *r, int k, const char *id) {
  if (!o->fields) o->fields = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  for (guint c = 0; c < p->rows->cols->len; c++) {
    const char *col = p->rows->cols->pdata[c];
    if ((int)c == k || (int)c == p->action_col || !*r->field[c]) continue;
    const char *prev = g_hash_table_lookup(o->fields, col);
    if (!prev) {
      g_hash_table_insert(o->fields, (gpointer)col,
                          g_strdup_printf("%s\t%s:%d", r->field[c], p->path, r->line));
      continue;
    }
    const char *tab = strchr(prev, '\t');
    if ((size_t)(tab - prev) != strlen(r->field[c]) ||
        strncmp(prev, r->field[c], (size_t)(tab - prev)))
      th_problems_add(problems, p->path, r->line, "%s %s: %s = '%s' conflicts with '%.*s' (at %s)",
                      table_names[kind], id, col, r->field[c], (int)(tab - prev), prev, tab + 1);
  }
}

/* Pass 1: the conflicts among the patches of this level on table KIND (T,
 * may be NULL), per id: an add of an id that exists, a change or remove of
 * one that does not, two actions on one id, a field changed twice. */
static void check_level(const ThTable *t, int kind, GPtrArray *patches, GPtrArray *problems) {
  g_autoptr(GHashTable) ops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, idops_free);
  for (guint pi = 0; pi < patches->len; pi++) {
    const ThPatch *p = patches->pdata[pi];
    if ((int)p->kind != kind) continue;
    int k = key_col(p->rows);
    for (guint i = 0; i < p->rows->rows->len; i++) {
      const ThTableRow *r = p->rows->rows->pdata[i];
      const char *id = r->field[k];
      const char *action = r->field[p->action_col];
      IdOps *o = g_hash_table_lookup(ops, id);
      if (!o) {
        o = g_new0(IdOps, 1);
        o->first = r;
        o->first_patch = p;
        o->action = action;
        g_hash_table_insert(ops, g_strdup(id), o);
        gboolean exists = t && th_table_find(t, id);
        if (!strcmp(action, "add") && exists) {
          const ThTableRow *b = th_table_find(t, id);
          th_problems_add(problems, p->path, r->line, "%s %s to add exists already (at %s:%d)",
                          table_names[kind], id, b->file, b->line);
        } else if (strcmp(action, "add") && !exists) {
          missing_id(problems, t, kind, ops, p, r, id, action);
        }
      } else if (strcmp(action, "change") || strcmp(o->action, "change")) {
        th_problems_add(problems, p->path, r->line,
                        "%s %s: '%s' conflicts with '%s' of the same id (at %s:%d)",
                        table_names[kind], id, action, o->action, o->first_patch->path,
                        o->first->line);
        continue;
      }
      if (!strcmp(action, "change")) change_conflicts(problems, kind, o, p, r, k, id);
    }
  }
}

/* Pass 2a: the change rows of the patches of KIND, in place; their count. */
static int apply_changes(ThTable *t, int kind, GPtrArray *patches) {
  int changes = 0;
  for (guint pi = 0; pi < patches->len; pi++) {
    const ThPatch *p = patches->pdata[pi];
    if ((int)p->kind != kind) continue;
    int k = key_col(p->rows);
    for (guint i = 0; i < p->rows->rows->len; i++) {
      const ThTableRow *r = p->rows->rows->pdata[i];
      const char *action = r->field[p->action_col];
      if (strcmp(action, "change")) continue;
      ThTableRow *row = th_table_find(t, r->field[k]);
      for (guint c = 0; c < p->rows->cols->len; c++) {
        if ((int)c == k || (int)c == p->action_col || !*r->field[c]) continue;
        int tc = th_table_column(t, p->rows->cols->pdata[c], TRUE);
        g_free(row->field[tc]);
        row->field[tc] = g_strdup(r->field[c]);
      }
      g_free(row->file);
      row->file = g_strdup(p->path);
      row->line = r->line;
      changes++;
    }
  }
  return changes;
}

/* Pass 2b: the remove rows: mark, then compact keeping order; their count. */
static int apply_removes(ThTable *t, int kind, GPtrArray *patches) {
  int removes = 0;
  g_autoptr(GHashTable) gone = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint pi = 0; pi < patches->len; pi++) {
    const ThPatch *p = patches->pdata[pi];
    if ((int)p->kind != kind) continue;
    int k = key_col(p->rows);
    for (guint i = 0; i < p->rows->rows->len; i++) {
      const ThTableRow *r = p->rows->rows->pdata[i];
      if (!strcmp(r->field[p->action_col], "remove")) {
        g_hash_table_add(gone, r->field[k]);
        removes++;
      }
    }
  }
  if (g_hash_table_size(gone)) {
    GPtrArray *kept = g_ptr_array_new_with_free_func(row_free);
    for (guint i = 0; i < t->rows->len; i++) {
      ThTableRow *row = t->rows->pdata[i];
      if (g_hash_table_contains(gone, row_key(t, row))) row_free(row);
      else g_ptr_array_add(kept, row);
      t->rows->pdata[i] = NULL;
    }
    g_ptr_array_unref(t->rows);
    t->rows = kept;
  }
  return removes;
}

/* Pass 2c: the add rows, appended in patch order; their count. */
static int apply_adds(ThTable *t, int kind, GPtrArray *patches) {
  int adds = 0;
  for (guint pi = 0; pi < patches->len; pi++) {
    const ThPatch *p = patches->pdata[pi];
    if ((int)p->kind != kind) continue;
    for (guint i = 0; i < p->rows->rows->len; i++) {
      const ThTableRow *r = p->rows->rows->pdata[i];
      if (strcmp(r->field[p->action_col], "add")) continue;
      ThTableRow *row = g_new0(ThTableRow, 1);
      /* make sure every patch column exists, then copy by name */
      for (guint c = 0; c < p->rows->cols->len; c++)
        if ((int)c != p->action_col) th_table_column(t, p->rows->cols->pdata[c], TRUE);
      row->field = g_new0(char *, t->cols->len + 1);
      for (guint c = 0; c < t->cols->len; c++) row->field[c] = g_strdup("");
      for (guint c = 0; c < p->rows->cols->len; c++) {
        if ((int)c == p->action_col) continue;
        int tc = th_table_column(t, p->rows->cols->pdata[c], FALSE);
        g_free(row->field[tc]);
        row->field[tc] = g_strdup(r->field[c]);
      }
      row->file = g_strdup(p->path);
      row->line = r->line;
      g_ptr_array_add(t->rows, row);
      adds++;
    }
  }
  return adds;
}

void th_patches_apply(ThTable **tables, GPtrArray *patches, GPtrArray *problems, int *n_add,
                      int *n_remove, int *n_change) {
  int adds = 0, removes = 0, changes = 0;
  for (int kind = 0; kind < TH_N_TABLES; kind++) {
    guint n_before = problems->len;
    check_level(tables[kind], kind, patches, problems);
    if (problems->len != n_before) continue;
    gboolean any = FALSE;
    for (guint pi = 0; pi < patches->len && !any; pi++)
      any = (int)((ThPatch *)patches->pdata[pi])->kind == kind;
    if (!any) continue;
    if (!tables[kind]) tables[kind] = th_table_new((ThTableKind)kind);
    ThTable *t = tables[kind];
    /* changes and removes in place, then adds in order */
    changes += apply_changes(t, kind, patches);
    removes += apply_removes(t, kind, patches);
    adds += apply_adds(t, kind, patches);
    reindex(t);
  }
  if (n_add) *n_add = adds;
  if (n_remove) *n_remove = removes;
  if (n_change) *n_change = changes;
}

/* scenario-table.h: CSV tables as rows of text keyed by id, and the patches
 * that add, remove or change rows of them.
 *
 * The scenario language works on the network files as tables of text (not on
 * the parsed network), so a patch can touch any column, a resolved scenario
 * can be written back as ordinary files that the normal readers validate,
 * and every row remembers the FILE:LINE it came from, so that problems found
 * later are reported where the planner wrote the value.
 *
 * A patch file has the columns of the table it patches plus `action`:
 *   add     a new row; its id must not exist
 *   remove  the row with that id (other fields ignored)
 *   change  the row with that id: every non-empty field replaces the value
 * The table a patch targets is recognized by its header: `link_id` -> links;
 * `line` -> services; `node_id` with `x_coord` -> nodes; `node_id` with
 * `kind` or `modes` -> hubs; `class` -> classes. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TH_TABLE_NODE = 0,
  TH_TABLE_LINK,
  TH_TABLE_SERVICES,
  TH_TABLE_HUBS,
  TH_TABLE_CLASSES,
  TH_N_TABLES
} ThTableKind;

/* File name of a table kind in a network folder ("link.csv"). */
const char *th_table_file_name(ThTableKind kind);

typedef struct {
  char **field; /* one per table column ("" when absent) */
  char *file;   /* where the row was written (the patch that last changed it) */
  int line;
} ThTableRow;

typedef struct {
  ThTableKind kind;
  char *path;        /* the file read, for messages ("" for an empty table) */
  GPtrArray *cols;   /* char * */
  GPtrArray *rows;   /* ThTableRow * */
  GHashTable *index; /* id -> row index + 1 (rebuilt by th_table_reindex) */
} ThTable;

/* An empty table of KIND with no columns. */
ThTable *th_table_new(ThTableKind kind);
/* Reads PATH with network/csv.h. A missing key column or a duplicate id is
 * reported as FILE:LINE (TH_ERROR_PARSE / TH_ERROR_INVALID). O(rows). */
ThTable *th_table_read(ThTableKind kind, const char *path, GError **error);
ThTable *th_table_copy(const ThTable *t);
void th_table_free(ThTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThTable, th_table_free)

/* Column index of NAME, adding the column (empty in every row) if ADD. -1 if absent. */
int th_table_column(ThTable *t, const char *name, gboolean add);
/* Row with id ID, or NULL. O(1). */
ThTableRow *th_table_find(const ThTable *t, const char *id);
/* Writes the table as CSV (header row, then rows; fields quoted when they
 * contain a comma, quote or line break). Line k+2 of the output is row k. */
char *th_table_to_csv(const ThTable *t, gsize *len);

/* One patch file, read. */
typedef struct {
  char *path;
  ThTableKind kind;
  ThTable *rows;     /* the rows with their `action` column */
  int action_col;
} ThPatch;

/* Reads a patch file, recognizing its table by the header. Bad actions and
 * unrecognizable headers are FILE:LINE errors. */
ThPatch *th_patch_read(const char *path, GError **error);
void th_patch_free(ThPatch *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThPatch, th_patch_free)

/* Applies PATCHES (ThPatch *, in order) to the tables TABLES[TH_N_TABLES] as
 * one level: every problem is appended to PROBLEMS as "FILE:LINE: ..." text.
 * Within a level, an add of an existing id, a remove or change of a missing
 * id, two adds of the same id, a remove together with any other action on
 * the same id, or two changes giving one field different values are errors;
 * conflicts name both places ("A:3: ... (also B:7)"). Removes and changes act
 * in place, adds are appended in patch order, so the result does not depend
 * on anything but the inputs. Returns the number of rows added, removed and
 * changed through the out parameters (may be NULL). */
void th_patches_apply(ThTable **tables, GPtrArray *patches, GPtrArray *problems, int *n_add,
                      int *n_remove, int *n_change);

G_END_DECLS

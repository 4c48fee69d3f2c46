/* classes.c: built-in classes and the classes.csv reader. */
#include "sim/classes.h"
#include "network/csv.h"
#include "network/th-error.h"

#include <math.h>
#include <string.h>

/* Built-in values. Car-unit factor 2.5 for heavy trucks follows the Chinese
 * highway design code (JTG B01: large trucks 2.5, articulated 4.0) and the
 * HCM's range; value of time 30 yuan/h per traveller is a regional planning
 * figure for Shanxi; payloads are typical for the commodity (coal moves in
 * 30-tonne dump trucks). Planners override any of these in classes.csv. */
static const ThClass builtin[] = {
  {"car", TH_CLASS_PASSENGER, 1.0, 30.0, 0.0, 2.0, 2.0, 0.8},
  {"truck", TH_CLASS_FREIGHT, 2.5, 2.0, 20.0, 1.0, 1.0, 3.0},
  {"coal", TH_CLASS_FREIGHT, 2.5, 1.0, 30.0, 1.0, 1.0, 3.0},
  {"ceramics", TH_CLASS_FREIGHT, 2.5, 4.0, 15.0, 1.0, 1.0, 3.0},
  {"agri", TH_CLASS_FREIGHT, 2.5, 3.0, 15.0, 1.0, 1.0, 3.0},
  {"general", TH_CLASS_FREIGHT, 2.5, 2.0, 20.0, 1.0, 1.0, 3.0},
  /* the bus runs of services.csv as road vehicles (2.5 car units, JTG B01's
   * large bus); last, so the indices of the classes above stay as they were */
  {"bus", TH_CLASS_PASSENGER, 2.5, 30.0, 0.0, 2.0, 2.0, 0.0},
};

gboolean th_class_builtin_is_freight(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++)
    if (builtin[i].kind == TH_CLASS_FREIGHT && !g_ascii_strcasecmp(name, builtin[i].name))
      return TRUE;
  return FALSE;
}

static void put(ThClassTable *t, const ThClass *c) {
  int i = th_class_table_lookup(t, c->name);
  if (i < 0) {
    i = t->n++;
    t->cls = g_renew(ThClass, t->cls, t->n);
    t->cls[i].name = g_strdup(c->name);
    g_hash_table_insert(t->index, t->cls[i].name, GINT_TO_POINTER(i + 1));
  }
  char *name = t->cls[i].name;
  t->cls[i] = *c;
  t->cls[i].name = name;
}

ThClassTable *th_class_table_new(void) {
  ThClassTable *t = g_new0(ThClassTable, 1);
  t->index = g_hash_table_new(g_str_hash, g_str_equal);
  for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++) put(t, &builtin[i]);
  return t;
}

void th_class_table_free(ThClassTable *t) {
  if (!t) return;
  for (int i = 0; i < t->n; i++) g_free(t->cls[i].name);
  g_free(t->cls);
  g_hash_table_destroy(t->index);
  g_free(t);
}

int th_class_table_lookup(const ThClassTable *t, const char *name) {
  return GPOINTER_TO_INT(g_hash_table_lookup(t->index, name)) - 1;
}

char *th_class_table_names(const ThClassTable *t) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < t->n; i++) g_string_append_printf(s, "%s%s", i ? ", " : "", t->cls[i].name);
  return g_string_free(s, FALSE);
}

/* Reads an optional non-negative number; adds a problem when bad. */
static double num(ThCsv *csv, int col, double def, gboolean positive, const char *what,
                  GPtrArray *problems) {
  const char *v = th_csv_field(csv, col);
  if (!*v) return def;
  double x;
  if (!th_parse_double(v, &x) || x < 0 || (positive && x == 0)) {
    th_problems_add(problems, th_csv_path(csv), th_csv_line(csv), "bad %s '%s' (%s)", what, v,
                    positive ? "a number > 0" : "a number >= 0");
    return def;
  }
  return x;
}

gboolean th_class_table_load(ThClassTable *t, const char *path, GError **error) {
  g_autoptr(ThCsv) csv = th_csv_open(path, error);
  if (!csv) return FALSE;
  int c_class = th_csv_require(csv, "class", error);
  if (c_class < 0) return FALSE;
  int c_kind = th_csv_column(csv, "kind"), c_pcu = th_csv_column(csv, "pcu"),
      c_vot = th_csv_column(csv, "vot_per_h"), c_tpv = th_csv_column(csv, "tonnes_per_vehicle"),
      c_ww = th_csv_column(csv, "wait_weight"), c_tw = th_csv_column(csv, "transfer_weight"),
      c_cpk = th_csv_column(csv, "cost_per_km");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(ThClass));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  GError *rerr = NULL;
  while (th_csv_next(csv, &rerr)) {
    const char *name = th_csv_field(csv, c_class);
    int line = th_csv_line(csv);
    if (!*name) {
      th_problems_add(problems, path, line, "empty class name (a name such as car or coal)");
      continue;
    }
    if (g_hash_table_contains(seen, name)) {
      th_problems_add(problems, path, line, "class '%s' defined twice (one row per class)", name);
      continue;
    }
    char *owned = g_strdup(name);
    g_ptr_array_add(names, owned);
    g_hash_table_add(seen, owned);
    /* Unnamed columns take the built-in values of the same name, or car's. */
    int base = th_class_table_lookup(t, name);
    ThClass c = t->cls[base >= 0 ? base : 0];
    const char *kind = th_csv_field(csv, c_kind);
    if (*kind) {
      if (!strcmp(kind, "passenger")) c.kind = TH_CLASS_PASSENGER;
      else if (!strcmp(kind, "freight")) c.kind = TH_CLASS_FREIGHT;
      else th_problems_add(problems, path, line, "unknown kind '%s' (passenger or freight)", kind);
    } else if (base < 0) {
      c.kind = TH_CLASS_PASSENGER;
    }
    if (base < 0 && c.kind == TH_CLASS_FREIGHT)
      c = (ThClass){NULL, TH_CLASS_FREIGHT, 2.5, 2.0, 20.0, 1, 1, 3.0};
    c.pcu = num(csv, c_pcu, c.pcu, TRUE, "pcu", problems);
    c.vot_per_h = num(csv, c_vot, c.vot_per_h, FALSE, "vot_per_h", problems);
    c.tonnes_per_vehicle = num(csv, c_tpv, c.tonnes_per_vehicle, c.kind == TH_CLASS_FREIGHT,
                               "tonnes_per_vehicle", problems);
    if (c.kind == TH_CLASS_FREIGHT && c.tonnes_per_vehicle <= 0)
      th_problems_add(problems, path, line,
                      "freight class '%s' needs tonnes_per_vehicle (a number > 0)", name);
    c.wait_weight = num(csv, c_ww, c.wait_weight, FALSE, "wait_weight", problems);
    c.transfer_weight = num(csv, c_tw, c.transfer_weight, FALSE, "transfer_weight", problems);
    c.cost_per_km = num(csv, c_cpk, c.cost_per_km, FALSE, "cost_per_km", problems);
    c.name = owned;
    g_array_append_val(rows, c);
  }
  if (!th_csv_read_end(rerr, problems, TH_ERROR_INVALID, error)) return FALSE;
  for (guint i = 0; i < rows->len; i++) put(t, &g_array_index(rows, ThClass, i));
  return TRUE;
}

/* gmns-spec.c: config.csv units and the allowed_uses vocabulary (gmns-spec.h). */
#include "network/gmns-spec.h"
#include "network/csv.h"
#include "network/network.h"
#include "network/th-error.h"

#include <string.h>

/* --- config.csv --------------------------------------------------------- */

typedef struct {
  const char *names; /* '|'-separated, lowercase */
  double factor;
} Unit;

/* metres per unit */
static const Unit length_units[] = {
    {"km|kilometer|kilometers|kilometre|kilometres|kms", 1000.0},
    {"m|meter|meters|metre|metres", 1.0},
    {"mi|mile|miles", 1609.344},
    {"ft|foot|feet", 0.3048},
};
/* metres per second per unit */
static const Unit speed_units[] = {
    {"kmh|km/h|kph|kmph|km/hr|kilometers per hour|kilometres per hour", 1.0 / 3.6},
    {"mph|mi/h|mi/hr|miles per hour", 0.44704},
    {"m/s|mps|meters per second|metres per second", 1.0},
    {"ft/s|fps|feet per second", 0.3048},
};

static gboolean unit_find(const Unit *units, int n, const char *text, double *factor, int *which) {
  g_autofree char *t = g_strstrip(g_ascii_strdown(text, -1));
  for (int i = 0; i < n; i++) {
    g_auto(GStrv) names = g_strsplit(units[i].names, "|", -1);
    for (int k = 0; names[k]; k++)
      if (!strcmp(names[k], t)) {
        *factor = units[i].factor;
        *which = i;
        return TRUE;
      }
  }
  return FALSE;
}

void th_gmns_config_clear(ThGmnsConfig *cfg) {
  g_free(cfg->path);
  g_free(cfg->crs);
  g_free(cfg->long_length);
  g_free(cfg->speed);
  memset(cfg, 0, sizeof *cfg);
}

gboolean th_gmns_config_read(const char *dir, ThGmnsConfig *cfg, GPtrArray *problems,
                             GError **io_error) {
  memset(cfg, 0, sizeof *cfg);
  cfg->m_per_length = 1000.0;
  cfg->mps_per_speed = 1.0 / 3.6;
  cfg->length_km = cfg->speed_kmh = TRUE;
  cfg->path = g_build_filename(dir, "config.csv", NULL);
  if (!g_file_test(cfg->path, G_FILE_TEST_EXISTS)) return TRUE;
  cfg->present = TRUE;
  GError *e = NULL;
  g_autoptr(ThCsv) csv = th_csv_open(cfg->path, &e);
  if (!csv) {
    if (e->code == TH_ERROR_IO) {
      g_propagate_error(io_error, e);
      return FALSE;
    }
    g_ptr_array_add(problems, g_strdup(e->message));
    g_error_free(e);
    return TRUE;
  }
  int c_crs = th_csv_column(csv, "crs"), c_len = th_csv_column(csv, "long_length"),
      c_speed = th_csv_column(csv, "speed"), c_idt = th_csv_column(csv, "id_type");
  int rows = 0;
  while (th_csv_next(csv, &e)) {
    int line = th_csv_line(csv);
    if (++rows > 1) {
      th_problems_add(problems, cfg->path, line,
                      "a second data row (config.csv holds exactly one row)");
      continue;
    }
    const char *crs = th_csv_field(csv, c_crs);
    if (*crs) cfg->crs = g_strdup(crs);
    const char *len = th_csv_field(csv, c_len);
    int which;
    if (*len) {
      if (unit_find(length_units, G_N_ELEMENTS(length_units), len, &cfg->m_per_length, &which)) {
        cfg->long_length = g_strdup(len);
        cfg->length_km = (which == 0);
      } else {
        th_problems_add(problems, cfg->path, line,
                        "long_length '%s' is not a unit taihang knows (km, m, mile or feet was "
                        "expected)",
                        len);
      }
    }
    const char *sp = th_csv_field(csv, c_speed);
    if (*sp) {
      if (unit_find(speed_units, G_N_ELEMENTS(speed_units), sp, &cfg->mps_per_speed, &which)) {
        cfg->speed = g_strdup(sp);
        cfg->speed_kmh = (which == 0);
      } else {
        th_problems_add(problems, cfg->path, line,
                        "speed '%s' is not a unit taihang knows (kmh, mph, m/s or ft/s was "
                        "expected)",
                        sp);
      }
    }
    const char *idt = th_csv_field(csv, c_idt);
    if (*idt && g_ascii_strcasecmp(idt, "string") && g_ascii_strcasecmp(idt, "integer"))
      th_problems_add(problems, cfg->path, line,
                      "id_type '%s' is neither string nor integer (the spec allows only those)",
                      idt);
  }
  if (e) {
    g_ptr_array_add(problems, g_strdup(e->message));
    g_error_free(e);
  }
  return TRUE;
}

/* --- uses --------------------------------------------------------------- */

struct ThGmnsUses {
  GHashTable *use;   /* lowercase name -> GUINT_TO_POINTER(modes | NOT_MODELLED) */
  GHashTable *group; /* lowercase group name -> char* list of uses */
};

#define NOT_MODELLED (1u << 31) /* a known use that no taihang mode stands for */

/* GMNS and DTALite usage; each row: taihang mode bits, names. */
static const struct {
  uint32_t modes;
  const char *names;
} builtin_uses[] = {
    {TH_MODE_ROAD,
     "auto|car|sov|hov|hov2|hov3|hov3+|hov4|truck|trk|taxi|tnc|av|motorcycle|drive|vehicle|"
     "van|freight|mdt|hdt|lgv|hgv|all"},
    {TH_MODE_BUS, "bus|transit"},
    {TH_MODE_WALK, "walk|ped|pedestrian|foot"},
    {TH_MODE_RAIL, "rail|train"},
    {NOT_MODELLED, "bike|bicycle|cycle|scooter|parking|shoulder|twltl"},
};

static void use_put(ThGmnsUses *u, const char *name, uint32_t modes) {
  g_hash_table_replace(u->use, g_ascii_strdown(name, -1), GUINT_TO_POINTER(modes));
}

ThGmnsUses *th_gmns_uses_read(const char *dir, GPtrArray *problems, GError **io_error) {
  g_autoptr(ThGmnsUses) u = g_new0(ThGmnsUses, 1);
  u->use = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  u->group = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < G_N_ELEMENTS(builtin_uses); i++) {
    g_auto(GStrv) names = g_strsplit(builtin_uses[i].names, "|", -1);
    for (int k = 0; names[k]; k++) use_put(u, names[k], builtin_uses[i].modes);
  }
  /* taihang's own mode names are uses too */
  for (int b = 0; b < TH_N_MODES; b++)
    if (1u << b != TH_MODE_EBIKE) /* a traveller's mode over road links, not a link's */
      use_put(u, th_mode_name(1u << b), 1u << b);
  if (!dir) return g_steal_pointer(&u);

  for (int table = 0; table < 2; table++) {
    g_autofree char *path =
        g_build_filename(dir, table ? "use_group.csv" : "use_definition.csv", NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) continue;
    GError *e = NULL;
    g_autoptr(ThCsv) csv = th_csv_open(path, &e);
    if (!csv) {
      if (e->code == TH_ERROR_IO) {
        g_propagate_error(io_error, e);
        return NULL;
      }
      g_ptr_array_add(problems, g_strdup(e->message));
      g_error_free(e);
      continue;
    }
    const char *key = table ? "use_group" : "use";
    int c_key = th_csv_require(csv, key, &e);
    int c_uses = table ? th_csv_require(csv, "uses", e ? NULL : &e) : -1;
    if (e) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_error_free(e);
      continue;
    }
    int c_ppv = th_csv_column(csv, "persons_per_vehicle"), c_pce = th_csv_column(csv, "pce");
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    while (th_csv_next(csv, &e)) {
      int line = th_csv_line(csv);
      const char *name = th_csv_field(csv, c_key);
      if (!*name) {
        th_problems_add(problems, path, line, "%s is empty (a name was expected)", key);
        continue;
      }
      g_autofree char *low = g_ascii_strdown(name, -1);
      gpointer first = g_hash_table_lookup(seen, low);
      if (first) {
        th_problems_add(problems, path, line,
                        "duplicate %s '%s' (first on line %d; each %s must be unique)", key, name,
                        GPOINTER_TO_INT(first), key);
        continue;
      }
      g_hash_table_insert(seen, g_strdup(low), GINT_TO_POINTER(line));
      if (table) {
        const char *list = th_csv_field(csv, c_uses);
        if (!*list) {
          th_problems_add(problems, path, line,
                          "uses is empty (a comma-separated list of uses was expected)");
          continue;
        }
        g_hash_table_replace(u->group, g_strdup(low), g_strdup(list));
        continue;
      }
      for (int k = 0; k < 2; k++) {
        int c = k ? c_pce : c_ppv;
        const char *f = th_csv_field(csv, c);
        double v;
        if (!*f || !th_parse_double(f, &v) || v < 0)
          th_problems_add(problems, path, line,
                          "%s '%s' is not a number of 0 or more (required by the spec)",
                          k ? "pce" : "persons_per_vehicle", f);
      }
      /* a use defined here keeps a built-in meaning; a new name is a use
       * taihang does not model (reported when a link names it) */
      if (!g_hash_table_contains(u->use, low)) use_put(u, low, NOT_MODELLED);
    }
    if (e) {
      g_ptr_array_add(problems, g_strdup(e->message));
      g_error_free(e);
    }
  }
  return g_steal_pointer(&u);
}

void th_gmns_uses_free(ThGmnsUses *u) {
  if (!u) return;
  if (u->use) g_hash_table_unref(u->use);
  if (u->group) g_hash_table_unref(u->group);
  g_free(u);
}

static gboolean parse_list(const ThGmnsUses *u, const char *list, uint32_t *modes, char **bad,
                           GString *ignored, int depth) {
  g_auto(GStrv) parts = g_strsplit_set(list, ",;| ", -1);
  for (int i = 0; parts[i]; i++) {
    g_autofree char *low = g_ascii_strdown(g_strstrip(parts[i]), -1);
    if (!*low) continue;
    const char *group = g_hash_table_lookup(u->group, low);
    if (group && depth < 4) {
      if (!parse_list(u, group, modes, bad, ignored, depth + 1)) return FALSE;
      continue;
    }
    gpointer m;
    if (!g_hash_table_lookup_extended(u->use, low, NULL, &m)) {
      *bad = g_strdup(parts[i]);
      return FALSE;
    }
    uint32_t bits = GPOINTER_TO_UINT(m);
    if (bits & NOT_MODELLED) {
      if (ignored) {
        g_autofree char *needle = g_strdup_printf(",%s,", low);
        g_autofree char *hay = g_strdup_printf(",%s,", ignored->str);
        if (!strstr(hay, needle))
          g_string_append_printf(ignored, "%s%s", ignored->len ? "," : "", low);
      }
      continue;
    }
    *modes |= bits;
  }
  return TRUE;
}

gboolean th_gmns_uses_parse(const ThGmnsUses *u, const char *list, uint32_t *modes, char **bad,
                            GString *ignored) {
  *modes = 0;
  *bad = NULL;
  return parse_list(u, list, modes, bad, ignored, 0);
}

gboolean th_gmns_parse_bool(const char *s, gboolean *out) {
  static const char *const yes[] = {"true", "t", "yes", "y", "1", "1.0"};
  static const char *const no[] = {"false", "f", "no", "n", "0", "0.0"};
  for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
    if (!g_ascii_strcasecmp(s, yes[i])) {
      *out = TRUE;
      return TRUE;
    }
    if (!g_ascii_strcasecmp(s, no[i])) {
      *out = FALSE;
      return TRUE;
    }
  }
  return FALSE;
}

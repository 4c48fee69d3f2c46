/* fuzz-readers.c: one fuzz entry point per reader of planner input.
 *
 * Whatever the bytes, a reader must either return its result or fail with a
 * TH_ERROR message; never crash, leak, read out of bounds or overflow (the
 * fuzz build has ASan and UBSan with float-cast-overflow). Each target
 * writes the input to a file of the name the reader expects, in a private
 * folder, and reads it there.
 *
 * ADDING A TARGET for a reader of one file is one line in TH_FUZZ_READERS
 * below: a name (also the seed folder tests/fuzz/corpus/NAME/), the file
 * name to write the input as, the call (PATH is the file, NET the sample
 * network, TNTP_NET SiouxFalls, CLASSES the built-in classes, ERR the
 * GError **), and the function that frees its result. Then add a few seed
 * files to tests/fuzz/corpus/NAME/. Readers of several files get a small
 * function like fuzz_gmns below and a line in targets[].
 *
 * Built twice (tests/fuzz/meson.build):
 *  - with clang: build-fuzz/tests/fuzz/taihang-fuzz, a libFuzzer binary;
 *    the target is chosen by TH_FUZZ_TARGET=NAME (tests/fuzz/run.sh runs
 *    them all);
 *  - in every build: the GTest `fuzz-readers`, every target on its seeds
 *    and 100 deterministic mutations of each, so the normal and sanitizer
 *    builds exercise every entry point without clang. */
#include "network/gmns.h"
#include "network/gtfs.h"
#include "network/hubs.h"
#include "network/network.h"
#include "network/osm.h"
#include "network/services.h"
#include "network/stale.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "network/validate.h"
#include "scenarios/scenario-world.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"
#include "sim/classes.h"
#include "sim/observed.h"
#include "sim/od-factors.h"
#include "sim/od-trips.h"
#include "sim/trips.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TH_SOURCE_ROOT
#define TH_SOURCE_ROOT "."
#endif

/* ---- shared state: a private folder and the networks readers check against */

static char *work;            /* private folder for the inputs */
static ThNetwork *sample_net; /* scenarios/sample */
static ThNetwork *sioux_net;  /* tests/data/tntp/SiouxFalls */
static ThClassTable *builtin_classes;
static char *osm_zones;       /* the zones file of the OSM target */

static char *write_input(const char *name, const guint8 *data, gsize len);

static const char *source_root(void) {
  const char *r = g_getenv("TH_SOURCE_ROOT");
  return r && *r ? r : TH_SOURCE_ROOT;
}

static void setup_once(void) {
  if (work) return;
  work = g_dir_make_tmp("taihang-fuzz-XXXXXX", NULL);
  g_assert_nonnull(work);
  g_autofree char *sample = g_build_filename(source_root(), "scenarios", "sample", NULL);
  g_autofree char *sioux =
      g_build_filename(source_root(), "tests", "data", "tntp", "SiouxFalls", "SiouxFalls_net.tntp", NULL);
  GError *e = NULL;
  sample_net = th_gmns_read(sample, &e);
  g_assert_no_error(e);
  sioux_net = th_tntp_read_net(sioux, &e);
  g_assert_no_error(e);
  builtin_classes = th_class_table_new();
  /* the sample network beside the inputs, for scenario files (dir = net) */
  g_autofree char *net = g_build_filename(work, "net", NULL);
  g_assert_true(th_gmns_write(sample_net, net, &e));
  g_assert_no_error(e);
  g_autofree char *zones_from = g_build_filename(source_root(), "tests", "data", "osm", "zones.csv", NULL);
  g_autofree char *zones_text = NULL;
  gsize zones_len = 0;
  g_assert_true(g_file_get_contents(zones_from, &zones_text, &zones_len, NULL));
  osm_zones = write_input("osm-zones.csv", (const guint8 *)zones_text, zones_len);
  const char *extra[] = {"services.csv", "hubs.csv"};
  for (int k = 0; k < 2; k++) {
    g_autofree char *from = g_build_filename(sample, extra[k], NULL);
    g_autofree char *to = g_build_filename(net, extra[k], NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(from, &text, &len, NULL));
    g_assert_true(g_file_set_contents(to, text, (gssize)len, NULL));
  }
}

static char *write_input(const char *name, const guint8 *data, gsize len) {
  /* plain stdio: g_file_set_contents would fsync every input */
  char *p = g_build_filename(work, name, NULL);
  FILE *f = fopen(p, "wb");
  g_assert_nonnull(f);
  g_assert_cmpuint(fwrite(data, 1, len, f), ==, len);
  g_assert_cmpint(fclose(f), ==, 0);
  return p;
}

/* The contract of every reader's failure. */
static void check_error(GError *e) {
  g_assert_nonnull(e);
  g_assert_true(e->domain == TH_ERROR);
  g_assert_true(e->message[0] != '\0');
  if (g_getenv("TH_FUZZ_VERBOSE")) g_printerr("%s\n", e->message); /* to see why a seed fails */
  g_error_free(e);
}

/* ---- readers of one file: one line each */

static ThClassTable *classes_read(const char *path, GError **error) {
  ThClassTable *t = th_class_table_new();
  if (th_class_table_load(t, path, error)) return t;
  th_class_table_free(t);
  return NULL;
}

static const ThTripsReadOptions trips_opt = {86400, TH_MODE_ALL};

/* OSM XML (our GMarkup path) against the zones of tests/data/osm. */
static ThOsmImport *osm_read(const char *path, GError **error) {
  ThOsmOptions o = {FALSE, 0, 0, 0, 0, NULL, osm_zones};
  return th_osm_import(path, &o, error);
}

/* OSM PBF: readosm's decoder (zlib, protobuf) on hostile bytes, then the
 * same import as XML. */
static ThOsmImport *osm_pbf_read(const char *path, GError **error) {
  ThOsmOptions o = {FALSE, 0, 0, 0, 0, NULL, osm_zones};
  return th_osm_import(path, &o, error);
}

/* GMNS demand.csv against the sample network, 07:00-08:00. */
static ThTrips *demand_read(const char *path, GError **error) {
  double left_out = 0;
  return th_trips_from_demand_csv(path, sample_net, builtin_classes, 7 * 3600, 8 * 3600,
                                  &left_out, error);
}

/*        name        file name          call                                                       free */
#define TH_FUZZ_READERS(X)                                                                           \
  X(tntp_net,   "x_net.tntp",   th_tntp_read_net(PATH, ERR),                                 th_network_free)     \
  X(tntp_trips, "x_trips.tntp", th_tntp_read_trips(PATH, TNTP_NET, ERR),                     th_od_table_free)    \
  X(tntp_flow,  "x_flow.tntp",  th_tntp_read_flow(PATH, ERR),                                th_tntp_flow_free)   \
  X(trips,      "trips.csv",    th_trips_read(PATH, NET, CLASSES, &trips_opt, ERR),          th_trips_free)       \
  X(classes,    "classes.csv",  classes_read(PATH, ERR),                                     th_class_table_free) \
  X(services,   "services.csv", th_services_read(PATH, NET, ERR),                            th_services_free)    \
  X(hubs,       "hubs.csv",     th_hubs_read(PATH, NET, ERR),                                th_hubs_free)        \
  X(observed,   "observed.csv", th_observed_read(PATH, ERR),                                 th_observed_free)    \
  X(screenlines, "screenlines.csv", th_screenlines_read(PATH, ERR),                          th_screenlines_free) \
  X(osm_xml,    "map.osm",      osm_read(PATH, ERR),                                         th_osm_import_free)  \
  X(osm_pbf,    "map.osm.pbf",  osm_pbf_read(PATH, ERR),                                     th_osm_import_free)  \
  X(demand_csv, "demand.csv",   demand_read(PATH, ERR),                                      th_trips_free)       \
  X(od_factors, "od_factors.csv", th_od_factors_read(PATH, NET, CLASSES, ERR),               th_od_factors_free)

#define PATH path
#define NET sample_net
#define TNTP_NET sioux_net
#define CLASSES builtin_classes
#define ERR (&e)
#define TH_FUZZ_DEFINE(name, file, call, free_fn)                                                  \
  static gboolean fuzz_##name(const guint8 *data, gsize len) {                                    \
    g_autofree char *path = write_input(file, data, len);                                          \
    GError *e = NULL;                                                                              \
    void *r = (void *)(call);                                                                      \
    if (r)                                                                                         \
      free_fn(r);                                                                                  \
    else                                                                                           \
      check_error(e);                                                                              \
    return r != NULL;                                                                              \
  }
TH_FUZZ_READERS(TH_FUZZ_DEFINE)

/* ---- readers of several files: an input holds them separated by NUL bytes */

/* Splits DATA at NUL bytes into at most N parts (missing parts are empty). */
static void split_parts(const guint8 *data, gsize len, int n, const guint8 **part, gsize *plen) {
  for (int k = 0; k < n; k++) {
    const guint8 *nul = k < n - 1 && len ? memchr(data, 0, len) : NULL;
    part[k] = data;
    plen[k] = nul ? (gsize)(nul - data) : len;
    gsize used = nul ? plen[k] + 1 : len;
    data += used;
    len -= used;
  }
}

/* GMNS: node.csv NUL link.csv; a network that reads must validate and
 * survive write -> read with the same sizes. */
static gboolean fuzz_gmns(const guint8 *data, gsize len) {
  const guint8 *part[2];
  gsize plen[2];
  split_parts(data, len, 2, part, plen);
  g_autofree char *dir = g_build_filename(work, "gmns", NULL);
  g_mkdir(dir, 0755);
  g_free(write_input("gmns/node.csv", part[0], plen[0]));
  g_free(write_input("gmns/link.csv", part[1], plen[1]));
  GError *e = NULL;
  ThNetwork *net = th_gmns_read(dir, &e);
  if (!net) {
    check_error(e);
    return FALSE;
  }
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  th_network_validate(net, errors, warnings);
  g_autofree char *out = g_build_filename(work, "gmns-out", NULL);
  g_assert_true(th_gmns_write(net, out, &e));
  ThNetwork *back = th_gmns_read(out, &e);
  g_assert_no_error(e);
  g_assert_cmpint(back->n_nodes, ==, net->n_nodes);
  g_assert_cmpint(back->n_links, ==, net->n_links);
  th_network_free(back);
  th_network_free(net);
  return TRUE;
}

/* GMNS as specified: node.csv NUL link.csv NUL config.csv NUL
 * use_definition.csv NUL use_group.csv NUL zone.csv (an empty part: the
 * file is absent), so units, the CRS (PROJ), directed, allowed_uses through
 * the use tables and zone.csv are all reached. A network that reads must
 * validate and survive write -> read with the same sizes. */
static const char *const gmns_spec_files[] = {"node.csv",          "link.csv",      "config.csv",
                                              "use_definition.csv", "use_group.csv", "zone.csv"};
#define GMNS_SPEC_N G_N_ELEMENTS(gmns_spec_files)

static gboolean fuzz_gmns_spec(const guint8 *data, gsize len) {
  const guint8 *part[GMNS_SPEC_N];
  gsize plen[GMNS_SPEC_N];
  split_parts(data, len, GMNS_SPEC_N, part, plen);
  g_autofree char *dir = g_build_filename(work, "gmns-spec", NULL);
  g_mkdir(dir, 0755);
  for (gsize k = 0; k < GMNS_SPEC_N; k++) {
    g_autofree char *rel = g_build_filename("gmns-spec", gmns_spec_files[k], NULL);
    g_autofree char *p = g_build_filename(work, rel, NULL);
    if (plen[k] || k < 2)
      g_free(write_input(rel, part[k], plen[k]));
    else
      g_unlink(p);
  }
  GError *e = NULL;
  ThNetwork *net = th_gmns_read(dir, &e);
  if (!net) {
    check_error(e);
    return FALSE;
  }
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  th_network_validate(net, errors, warnings);
  g_autofree char *out = g_build_filename(work, "gmns-spec-out", NULL);
  g_assert_true(th_gmns_write(net, out, &e));
  ThNetwork *back = th_gmns_read(out, &e);
  g_assert_no_error(e);
  g_assert_cmpint(back->n_nodes, ==, net->n_nodes);
  g_assert_cmpint(back->n_links, ==, net->n_links);
  th_network_free(back);
  th_network_free(net);
  return TRUE;
}

/* Scenario: scenario.ini NUL patch.csv NUL --set lines (KEY=VALUE, one a
 * line). The folder holds the sample network as net/, so `[network] dir =
 * net` and `patches = patch.csv` reach the whole resolution: base chain,
 * patches, overrides, the built network with its services and hubs, and
 * the [sim] parameters. */
static gboolean fuzz_scenario(const guint8 *data, gsize len) {
  const guint8 *part[3];
  gsize plen[3];
  split_parts(data, len, 3, part, plen);
  g_autofree char *ini = write_input("scenario.ini", part[0], plen[0]);
  g_free(write_input("patch.csv", part[1], plen[1]));
  g_autofree char *sets = g_strndup((const char *)part[2], plen[2]);
  GError *e = NULL;
  ThScenario *sc = th_scenario_load(ini, &e);
  if (!sc) {
    check_error(e);
    return FALSE;
  }
  g_auto(GStrv) lines = g_strsplit(sets, "\n", 16);
  gboolean ok = TRUE;
  for (int i = 0; ok && lines[i]; i++) {
    char *eq = strchr(lines[i], '=');
    if (!eq) continue;
    *eq = 0;
    ok = th_scenario_set(sc, lines[i], eq + 1, &e);
  }
  /* the resolved world (network, services, hubs, classes) and the [sim]
   * parameters; not th_scenario_check's demand draw, which takes about a
   * second and would leave the fuzzer a handful of inputs a minute */
  if (ok) {
    ThScenarioWorld *w = th_scenario_world_new(sc, &e);
    ok = w != NULL;
    th_scenario_world_free(w);
  }
  ThSimParams p;
  th_sim_params_init(&p);
  if (ok) ok = th_scenario_sim_params(sc, &p, &e);
  if (!ok) check_error(e);
  th_scenario_free(sc);
  return ok;
}

/* GTFS: a feed folder whose files are the input's NUL-separated parts in
 * the order below (an empty part: the file is absent), imported for
 * 2026-03-16 onto the sample network. */
static const char *const gtfs_files[] = {"stops.txt", "routes.txt", "trips.txt", "stop_times.txt",
                                         "calendar.txt", "calendar_dates.txt", "frequencies.txt",
                                         "transfers.txt", "agency.txt"};
#define GTFS_N G_N_ELEMENTS(gtfs_files)

static gboolean fuzz_gtfs(const guint8 *data, gsize len) {
  const guint8 *part[GTFS_N];
  gsize plen[GTFS_N];
  split_parts(data, len, GTFS_N, part, plen);
  g_autofree char *dir = g_build_filename(work, "gtfs", NULL);
  g_mkdir(dir, 0755);
  for (gsize k = 0; k < GTFS_N; k++) {
    g_autofree char *rel = g_build_filename("gtfs", gtfs_files[k], NULL);
    g_autofree char *p = g_build_filename(work, rel, NULL);
    if (plen[k])
      g_free(write_input(rel, part[k], plen[k]));
    else
      g_unlink(p);
  }
  GError *e = NULL;
  ThGtfsImport *imp = th_gtfs_import(dir, sample_net, "2026-03-16", NULL, &e);
  if (!imp) {
    check_error(e);
    return FALSE;
  }
  th_gtfs_import_free(imp);
  return TRUE;
}

/* Sweep: the sweep .ini, beside base.ini and two switch files. */
static gboolean fuzz_sweep(const guint8 *data, gsize len) {
  static gboolean files = FALSE;
  if (!files) {
    const guint8 base[] = "[scenario]\nname = b\n[network]\ndir = net\n";
    g_free(write_input("base.ini", base, sizeof base - 1));
    g_free(write_input("proj-a.ini", base, sizeof base - 1));
    g_free(write_input("proj-b.ini", base, sizeof base - 1));
    files = TRUE;
  }
  g_autofree char *path = write_input("sweep.ini", data, len);
  GError *e = NULL;
  ThSweep *s = th_sweep_load(path, &e);
  if (!s) {
    check_error(e);
    return FALSE;
  }
  /* every run's scenario text is a key file */
  for (guint i = 0; i < s->runs->len && i < 8; i++) {
    g_autofree char *text = th_sweep_run_scenario(s, s->runs->pdata[i], 1);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_assert_true(g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
  }
  th_sweep_free(s);
  return TRUE;
}

typedef struct {
  const char *name;
  gboolean (*run)(const guint8 *data, gsize len); /* TRUE: the input was read */
} Target;

#define TH_FUZZ_ENTRY(name, file, call, free_fn) {#name, fuzz_##name},
static const Target targets[] = {
    {"gmns", fuzz_gmns},
    {"scenario", fuzz_scenario},
    {"sweep", fuzz_sweep},
    {"gtfs", fuzz_gtfs},
    {"gmns_spec", fuzz_gmns_spec},
    TH_FUZZ_READERS(TH_FUZZ_ENTRY)
};

G_GNUC_UNUSED static const Target *find_target(const char *name) {
  for (gsize i = 0; i < G_N_ELEMENTS(targets); i++)
    if (name && !strcmp(targets[i].name, name)) return &targets[i];
  return NULL;
}

#ifdef TH_LIBFUZZER
static const Target *chosen;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *name = g_getenv("TH_FUZZ_TARGET");
  chosen = find_target(name);
  if (!chosen) {
    fprintf(stderr, "taihang-fuzz: set TH_FUZZ_TARGET to one of:");
    for (gsize i = 0; i < G_N_ELEMENTS(targets); i++) fprintf(stderr, " %s", targets[i].name);
    fprintf(stderr, "\n");
    exit(2);
  }
  setup_once();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  chosen->run(data, size);
  return 0;
}
#else
/* ---- the GTest: seeds and deterministic mutations of every target */

/* mutations per seed: enough to reach the error paths, few enough for the
 * sanitizer build to run every target in seconds */
#define TH_FUZZ_MUTATIONS 100

static void mutate(GRand *rng, GByteArray *b) {
  static const char tokens[] = ",;:=\"\n\r#-.e0123456789 xnaNIf[]\0\xEF\xBB\xBF\xE9\x98";
  int n = g_rand_int_range(rng, 1, 6);
  for (int i = 0; i < n && b->len > 0; i++) {
    guint pos = (guint)g_rand_int_range(rng, 0, (gint32)b->len);
    guint8 c = (guint8)tokens[g_rand_int_range(rng, 0, (gint32)sizeof tokens - 1)];
    switch (g_rand_int_range(rng, 0, 4)) {
    case 0: b->data[pos] ^= (guint8)(1u << g_rand_int_range(rng, 0, 8)); break;
    case 1:
      g_byte_array_set_size(b, b->len + 1);
      memmove(b->data + pos + 1, b->data + pos, b->len - 1 - pos);
      b->data[pos] = c;
      break;
    case 2: {
      guint n_del = (guint)g_rand_int_range(rng, 1, 20);
      g_byte_array_remove_range(b, pos, MIN(n_del, b->len - pos));
      break;
    }
    default: b->data[pos] = c; break;
    }
  }
}

static gint cmp_strp(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_target(gconstpointer data) {
  const Target *t = data;
  setup_once();
  g_autofree char *dir = g_build_filename(source_root(), "tests", "fuzz", "corpus", t->name, NULL);
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d); /* every target has seeds */
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(d))) g_ptr_array_add(names, g_strdup(n));
  g_dir_close(d);
  g_assert_cmpuint(names->len, >, 0);
  g_ptr_array_sort(names, cmp_strp);
  GRand *rng = g_rand_new_with_seed(17);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *p = g_build_filename(dir, names->pdata[i], NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(p, &text, &len, NULL));
    /* a seed reads, unless it is named bad-*: seeds that fail at once
     * would leave the fuzzer outside the reader */
    gboolean read = t->run((const guint8 *)text, len);
    if (read != !g_str_has_prefix(names->pdata[i], "bad-"))
      g_error("seed %s: %s", p, read ? "read, but is named bad-*" : "does not read");
    for (int k = 0; k < TH_FUZZ_MUTATIONS; k++) {
      GByteArray *b = g_byte_array_sized_new((guint)len + 64);
      g_byte_array_append(b, (const guint8 *)text, (guint)len);
      mutate(rng, b);
      t->run(b->data, b->len);
      g_byte_array_unref(b);
    }
  }
  g_rand_free(rng);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(targets); i++) {
    g_autofree char *path = g_strdup_printf("/fuzz/%s", targets[i].name);
    g_test_add_data_func(path, &targets[i], test_target);
  }
  int status = g_test_run();
  /* the private folder and everything the readers wrote there */
  if (work) th_rmtree(work);
  g_free(work);
  th_network_free(sample_net);
  th_network_free(sioux_net);
  th_class_table_free(builtin_classes);
  g_free(osm_zones);
  return status;
}
#endif

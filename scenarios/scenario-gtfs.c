/* scenario-gtfs.c: GTFS feeds in network folders and scenarios (see
 * scenario-gtfs.h). */
#include "scenarios/scenario-gtfs.h"

#include "network/gmns.h"
#include "network/layers.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/atomic.h"

#include <stdio.h>
#include <string.h>

/* DIR/FILE = TEXT, written to a temporary and renamed into place. */
static gboolean write_text(const char *dir, const char *file, const char *text, GError **error) {
  g_autofree char *p = g_build_filename(dir, file, NULL);
  return th_atomic_write(p, text, strlen(text), error);
}

/* Text of a stream writer: WRITE(obj, net, FILE*). */
static char *memstream_text(void (*write)(const void *, const ThNetwork *, FILE *), const void *obj,
                            const ThNetwork *net) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  write(obj, net, f);
  fclose(f);
  return buf;
}
static void write_services(const void *s, const ThNetwork *net, FILE *f) {
  th_services_write(s, net, f);
}
static void write_hubs(const void *h, const ThNetwork *net, FILE *f) { th_hubs_write(h, net, f); }

/* Rows of TEXT after its header line. */
static const char *after_header(const char *text) {
  const char *nl = strchr(text, '\n');
  return nl ? nl + 1 : "";
}

/* Does the header line of TEXT end with column NAME? */
static gboolean has_last_column(const char *text, const char *name) {
  const char *nl = strchr(text, '\n');
  g_autofree char *head = nl ? g_strndup(text, (gsize)(nl - text)) : g_strdup(text);
  g_autofree char *want = g_strconcat(",", name, NULL);
  return g_str_has_suffix(head, want);
}

/* Appends the lines of TEXT to OUT; with ADD_USE, one more column: the
 * header line (HEADER: TEXT starts with it) gets ",stop_use", rows ",". */
static void append_rows(GString *out, const char *text, gboolean header, gboolean add_use) {
  if (!add_use) {
    g_string_append(out, text);
    return;
  }
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    if (!*lines[i] && !lines[i + 1]) break; /* after the last newline */
    g_string_append(out, lines[i]);
    g_string_append(out, header && i == 0 ? ",stop_use\n" : ",\n");
  }
}

/* Copies the files of the network folder NET_DIR that the import does not
 * rewrite (demand, classes, anything else) into TMP, byte for byte. */
static gboolean copy_other_files(const char *net_dir, const char *tmp, GError **error) {
  if (!g_file_test(net_dir, G_FILE_TEST_IS_DIR)) return TRUE;
  static const char *const rewritten[] = {"node.csv", "link.csv", "services.csv", "hubs.csv",
                                          "gtfs_stops.csv", NULL};
  g_autoptr(GDir) d = g_dir_open(net_dir, 0, error);
  if (!d) return FALSE;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    if (g_strv_contains(rewritten, name)) continue;
    g_autofree char *src = g_build_filename(net_dir, name, NULL);
    if (!g_file_test(src, G_FILE_TEST_IS_REGULAR)) continue;
    g_autofree char *text = NULL;
    gsize len;
    g_autofree char *dst = g_build_filename(tmp, name, NULL);
    if (!g_file_get_contents(src, &text, &len, error) ||
        !g_file_set_contents(dst, text, (gssize)len, error))
      return FALSE;
  }
  return TRUE;
}

gboolean th_gtfs_write_folder(const char *tmp, const char *net_dir, const ThNetwork *net,
                              const ThGtfsImport *imp, gboolean copy_others, GError **error) {
  g_autoptr(ThServices) net_sv = NULL;
  g_autoptr(ThHubs) net_hubs = NULL;
  if (!th_multimodal_read_dir(net_dir, net, &net_sv, &net_hubs, error)) return FALSE;
  if (!th_gmns_write(imp->net, tmp, error)) return FALSE;
  g_autoptr(GString) sv = g_string_new(NULL);
  if (net_sv && net_sv->n_lines) { /* NET's own lines first, with the new columns */
    net_sv->has_route = TRUE;
    g_autofree char *t = memstream_text(write_services, net_sv, net);
    /* stop_use (last) when either has it: an empty field for the other's rows */
    gboolean use_net = has_last_column(t, "stop_use"),
             use_feed = has_last_column(imp->services_csv, "stop_use");
    append_rows(sv, t, TRUE, use_feed && !use_net);
    append_rows(sv, after_header(imp->services_csv), FALSE, use_net && !use_feed);
  } else {
    g_string_append(sv, imp->services_csv);
  }
  g_autoptr(GString) hubs = g_string_new(NULL);
  if (net_hubs && net_hubs->n_hubs) {
    g_autofree char *t = memstream_text(write_hubs, net_hubs, net);
    g_string_append(hubs, t);
    g_string_append(hubs, after_header(imp->hubs_csv));
  } else {
    g_string_append(hubs, imp->hubs_csv);
  }
  return write_text(tmp, "services.csv", sv->str, error) &&
         write_text(tmp, "hubs.csv", hubs->str, error) &&
         write_text(tmp, "gtfs_stops.csv", imp->stops_csv, error) &&
         (!copy_others || copy_other_files(net_dir, tmp, error));
}

gboolean th_scenario_has_gtfs(const ThScenario *sc) {
  g_autofree char *feed = th_scenario_string(sc, "transit", "gtfs");
  return feed && *feed;
}

gboolean th_scenario_apply_gtfs(const ThScenario *sc, const char *tmpdir, ThNetwork **net,
                                GError **error) {
  g_autofree char *feed = th_scenario_string(sc, "transit", "gtfs");
  if (!feed || !*feed) return TRUE;
  g_autofree char *date = th_scenario_string(sc, "transit", "gtfs_date");
  if (!date || !*date) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: [transit] gtfs is set but gtfs_date is not (the service day, YYYY-MM-DD)",
                sc->path);
    return FALSE;
  }
  g_autoptr(ThGtfsImport) imp = th_gtfs_import(feed, *net, date, NULL, error);
  if (!imp) return FALSE;
  if (!th_gtfs_write_folder(tmpdir, tmpdir, *net, imp, FALSE, error)) return FALSE;
  ThNetwork *again = th_network_load(tmpdir, error);
  if (!again) return FALSE;
  th_network_free(*net);
  *net = again;
  return TRUE;
}

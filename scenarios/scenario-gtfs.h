/* scenario-gtfs.h: a GTFS feed as part of a network folder or a scenario.
 *
 *   [transit]
 *   gtfs = feeds/yangcheng-bus.zip   ; a GTFS feed (.zip or folder), relative to the file
 *   gtfs_date = 2026-03-16           ; the service day to import (YYYY-MM-DD)
 *
 * The scenario's network is built as usual; the feed's day is then imported
 * onto it (network/gtfs.h: stop nodes and walk links added, the day's lines
 * appended to the network's services.csv, transfer times to hubs.csv) and
 * the network reloaded, so everything downstream sees one network folder,
 * exactly as `taihang import gtfs` would have written it. */
#pragma once
#include "network/gtfs.h"
#include "scenarios/scenario.h"

G_BEGIN_DECLS

/* Writes into DIR what `import gtfs` writes: IMP's network (node.csv,
 * link.csv), services.csv (the lines of NET_DIR's services.csv, if any,
 * then the feed's), hubs.csv (likewise) and gtfs_stops.csv. NET is the
 * network NET_DIR was loaded as. With COPY_OTHERS, the other regular files
 * of NET_DIR (demand, classes...) are copied byte for byte. DIR may be
 * NET_DIR itself (then COPY_OTHERS must be FALSE). TH_ERROR_IO on failure,
 * or the readers' errors for NET_DIR's services.csv and hubs.csv. */
gboolean th_gtfs_write_folder(const char *dir, const char *net_dir, const ThNetwork *net,
                              const ThGtfsImport *imp, gboolean copy_others, GError **error);

/* TRUE when SC sets [transit] gtfs. */
gboolean th_scenario_has_gtfs(const ThScenario *sc);

/* When SC sets [transit] gtfs: imports the feed's gtfs_date onto *NET, whose
 * folder is TMPDIR (written by th_scenario_write_network), rewrites TMPDIR
 * and replaces *NET by the reloaded network. TRUE when SC has no feed. The
 * feed's problems come back as the importer reports them (FEED/FILE:LINE). */
gboolean th_scenario_apply_gtfs(const ThScenario *sc, const char *tmpdir, ThNetwork **net,
                                GError **error);

G_END_DECLS

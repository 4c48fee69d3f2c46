/* scenario.h: the scenario language: key files that name a base network,
 * patches to it and parameters, resolved into one network, timetable, hub
 * list and parameter set.
 *
 *   [scenario]
 *   name = 阳城 HSR            ; free text, Chinese welcome
 *   description = what this scenario changes
 *   base = base2020.ini        ; resolved first (a chain of bases resolves in order)
 *   apply = a.ini;b.ini        ; the CHANGES of other scenarios (their patches and
 *                              ; keys, not their base), applied on top of the base
 *   [network]
 *   dir = yangcheng/base2020   ; GMNS folder (node.csv, link.csv, services.csv,
 *                              ; hubs.csv, classes.csv); replaces the base's network
 *   patches = p/x-link.csv;p/x-services.csv
 *   [services]  MODE_FIELD = v  (hsr_headway_min = 30: every hsr line's headway)
 *   [hubs]      KIND_FIELD = v  (logistics_handling_cost_per_t = 8)
 *   [sim] [demand] [transit] [choice] [freight] [compare] [output] [appraisal]
 *
 * Every key is a row of the parameter table (sim/params.h, patterned rows
 * for MODE_FIELD and the like), checked with its type and range when the
 * file is loaded or a key is set (scenarios/scenario-params.h,
 * th_scenario_param_check). [scenario] and [network] are the file's
 * structure: read by name here, never parameters of the run (not in
 * ThScenario.params, nor params.ini), and th_scenario_set refuses them.
 *
 * Relative paths are relative to the file that names them. Resolution: the
 * base is resolved completely; then the applied scenarios' changes (each with
 * its own applies first) and this file's own patches form one LEVEL: patches
 * of one level must not contradict each other (same id added twice, a change
 * of a removed id, one field set to two values: an error naming both
 * FILE:LINE places), and parameters set by two applied scenarios must agree;
 * this file's own parameters override everything below it. */
#pragma once
#include "network/network.h"
#include "scenarios/scenario-table.h"

G_BEGIN_DECLS

typedef struct {
  char *path;          /* absolute path of the scenario file */
  char *name;          /* [scenario] name, or the file's stem */
  char *description;   /* "" when none */
  char *network_dir;   /* the GMNS folder the tables came from */
  ThTable *tables[TH_N_TABLES]; /* resolved tables; NULL when the network has none of a kind */
  GKeyFile *params;    /* merged parameters: every section but [scenario] and [network] */
  GPtrArray *changes;  /* char *: one line per applied change, for reports */
  GHashTable *origins; /* "section.key" -> "FILE:LINE" where the value in params was set */
  gboolean strict;     /* --strict: refuse a network with a zone cut off from the main road
                        * component; FALSE (default): the zone is reported with a warning and
                        * left out of the demand (th_scenario_network, sim/demand.h) */
} ThScenario;

/* Loads and resolves the scenario file PATH (its base chain, applies and
 * patches). Reports every problem as "FILE:LINE: what is wrong (what was
 * expected)", one per line: TH_ERROR_INVALID for unreadable files, TH_ERROR_PARSE
 * for malformed key files or CSV, TH_ERROR_INVALID for missing files, cycles,
 * missing ids and conflicts. Does not build the network (see
 * th_scenario_network). O(rows of all tables and patches). */
ThScenario *th_scenario_load(const char *path, GError **error);
void th_scenario_free(ThScenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThScenario, th_scenario_free)

/* Sets SECTION.KEY (as a sweep does: "sim.seed", "services.hsr_headway_min")
 * to VALUE, overriding the file. FALSE with TH_ERROR_INVALID when KEY is not
 * of the form section.key, names [scenario] or [network] (the file's
 * structure), or is not a key of the parameter table, or VALUE not one of
 * its values (the table's message, origin "(override)"). */
gboolean th_scenario_set(ThScenario *sc, const char *key, const char *value, GError **error);

/* Parameters with defaults: the value of [SECTION] KEY, or DEF when absent.
 * A value that is not a number is an error "FILE: [SECTION] KEY = 'v' is not a
 * number" (TH_ERROR_PARSE), returned through ERROR with DEF in *OUT. */
gboolean th_scenario_double(const ThScenario *sc, const char *section, const char *key, double def,
                            double *out, GError **error);
/* Where [SECTION] KEY was set: "FILE:LINE" (or "(override)" for --set), or
 * the scenario's path when it was not set in a file. For messages about
 * values that only the network can check (ids of links, nodes, zones). */
const char *th_scenario_origin(const ThScenario *sc, const char *section, const char *key);
/* The string value or NULL (caller frees). */
char *th_scenario_string(const ThScenario *sc, const char *section, const char *key);

/* Writes the resolved network folder into DIR: node.csv, link.csv and, when
 * present, services.csv, hubs.csv, classes.csv, with the [services] and [hubs]
 * overrides applied. Row k of each table is on line k+2 of its file. */
gboolean th_scenario_write_network(const ThScenario *sc, const char *dir, GError **error);

/* Writes the resolved network to a temporary folder, loads it with the
 * normal loader (th_network_load: every validation of `taihang check`) and
 * rewrites the messages' FILE:LINE to the place each row was written (base
 * file or patch). Returns the finalized network, or NULL with the loader's
 * error. If TMPDIR_OUT is non-NULL, the folder is kept and its path returned
 * there (the caller removes it with th_rmtree, network/stale.h); otherwise removed. */
/* A zone cut off from the main road component refuses the network only when
 * SC->strict; otherwise it is flagged in net->zone_cut_off (network/load.h)
 * and reported on stderr, one "taihang: warning: ..." line per zone. */
ThNetwork *th_scenario_network(const ThScenario *sc, char **tmpdir_out, GError **error);

/* Replaces "TMPDIR/FILE.csv:LINE:" in MESSAGE by the original place of that
 * row. Returns a new string. */
char *th_scenario_map_message(const ThScenario *sc, const char *tmpdir, const char *message);

/* A fingerprint (16 hex digits) of everything that determines a run: the
 * resolved tables and parameters (except [output] and [scenario] texts). Two
 * scenarios with equal fingerprints give identical results. */
char *th_scenario_fingerprint(const ThScenario *sc);

G_END_DECLS

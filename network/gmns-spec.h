/* gmns-spec.h: the GMNS tables around node.csv and link.csv: config.csv
 * (units and coordinate system) and use_definition.csv / use_group.csv (the
 * names allowed_uses may hold), as the specification defines them
 * (zephyr-data-specs/GMNS, docs/spec; README, "GMNS as specified").
 *
 * Used by the GMNS reader (gmns.h); nothing else needs it. */
#pragma once
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* What config.csv says, converted to factors. Without config.csv a folder
 * is in taihang's own units: km, km/h, WGS84. */
typedef struct {
  gboolean present;      /* DIR/config.csv exists */
  char *path;            /* DIR/config.csv (for messages) */
  char *crs;             /* as written; NULL or empty = WGS84 */
  char *long_length;     /* unit name as written, or NULL (km) */
  char *speed;           /* unit name as written, or NULL (km/h) */
  double m_per_length;   /* metres per long_length unit: 1000 for km, 1609.344 for mile */
  double mps_per_speed;  /* metres per second per speed unit: 1/3.6 for km/h, 0.44704 for mph */
  gboolean length_km;    /* long_length is km (read by an exact decimal shift) */
  gboolean speed_kmh;    /* speed is km/h (read by an exact division by 3.6) */
} ThGmnsConfig;

/* Reads DIR/config.csv when it exists (one data row; every field of the
 * spec is optional; unknown unit names are problems "FILE:LINE: ..."
 * appended to PROBLEMS). Fills CFG with taihang's defaults otherwise.
 * FALSE only when the file exists but cannot be read (IO_ERROR set). */
gboolean th_gmns_config_read(const char *dir, ThGmnsConfig *cfg, GPtrArray *problems,
                             GError **io_error);
void th_gmns_config_clear(ThGmnsConfig *cfg);

/* The use names allowed_uses may hold and the taihang modes they mean. */
typedef struct ThGmnsUses ThGmnsUses;

/* Built-in uses (GMNS's and DTALite's usual names: auto, sov, hov2, hov3,
 * truck, bus, walk, bike, rail, ...) plus those DIR/use_definition.csv and
 * DIR/use_group.csv define (a group stands for its uses). Problems of form
 * or meaning go to PROBLEMS; FALSE only on an I/O error. */
ThGmnsUses *th_gmns_uses_read(const char *dir, GPtrArray *problems, GError **io_error);
void th_gmns_uses_free(ThGmnsUses *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThGmnsUses, th_gmns_uses_free)

/* Parses a GMNS allowed_uses list ("auto, bike", "sov;hov2", "road|bus")
 * into TH_MODE_* bits in *MODES. Uses that taihang does not model (bike,
 * or a use_definition.csv use with no taihang mode) give no bit and are
 * appended to IGNORED (comma-separated, once each) when not NULL. FALSE
 * with the first unknown name in *BAD (caller frees). */
gboolean th_gmns_uses_parse(const ThGmnsUses *u, const char *list, uint32_t *modes, char **bad,
                            GString *ignored);

/* GMNS boolean text: true/false, t/f, yes/no, y/n, 1/0 (any case). */
gboolean th_gmns_parse_bool(const char *s, gboolean *out);

G_END_DECLS

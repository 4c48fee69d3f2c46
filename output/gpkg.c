/* gpkg.c: results as GeoPackage layers (gpkg.h); the GDAL work is in the
 * module libth-gpkg.so (gpkg-gdal.c). */
#include "output/gpkg.h"
#include "network/module.h"
#include "network/th-error.h"
#include "output/gpkg-layer.h"
#include "output/linegeom.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

/* The module: where the build put it (TH_GPKG_MODULE), else beside the
 * program in output/. Loaded once. */
static const char *const names[] = {"th_gpkg_module_write"};
static gpointer sym[1];
static ThModule gpkg_module = TH_MODULE(TH_GPKG_MODULE, "output", "libth-gpkg.so",
                                        "GeoPackage export needs the GDAL module", names, 1, sym);

/* One layer being filled: values row by row, points feature by feature. */
typedef struct {
  ThGpkgLayer L;
  GArray *num;      /* double */
  GPtrArray *text;  /* char* or NULL */
  GArray *start;    /* int */
  GArray *xy;       /* double */
} Buf;

static void buf_init(Buf *b, const char *name, int line, const char *const *fields,
                     const ThGpkgType *types, int n_fields) {
  b->L = (ThGpkgLayer){.name = name, .line = line, .n_fields = n_fields, .field_name = fields,
                       .field_type = types};
  b->num = g_array_new(FALSE, FALSE, sizeof(double));
  b->text = g_ptr_array_new_with_free_func(g_free);
  b->start = g_array_new(FALSE, FALSE, sizeof(int));
  b->xy = g_array_new(FALSE, FALSE, sizeof(double));
  int zero = 0;
  g_array_append_val(b->start, zero);
}

static void put_num(Buf *b, double v) {
  g_array_append_val(b->num, v);
  g_ptr_array_add(b->text, NULL);
}

static void put_text(Buf *b, const char *s) {
  double nan = NAN;
  g_array_append_val(b->num, nan);
  g_ptr_array_add(b->text, s ? g_strdup(s) : NULL);
}

/* An id: as a number when the network's ids are whole numbers (no label),
 * else as text; the field's type is chosen per layer (TEXT when labels). */
static void put_id(Buf *b, gboolean text, const char *label, int64_t id) {
  if (text) put_text(b, label);
  else put_num(b, (double)id);
}

static void end_feature(Buf *b, const double *pts, int n) {
  g_array_append_vals(b->xy, pts, 2 * n);
  int end = b->xy->len / 2;
  g_array_append_val(b->start, end);
  b->L.n_features++;
}

static void buf_finish(Buf *b) {
  b->L.num = (const double *)b->num->data;
  b->L.text = (char *const *)b->text->pdata;
  b->L.pt_start = (const int *)b->start->data;
  b->L.xy = (const double *)b->xy->data;
}

static void buf_clear(Buf *b) {
  g_array_unref(b->num);
  g_ptr_array_unref(b->text);
  g_array_unref(b->start);
  g_array_unref(b->xy);
}

static void fill_nodes(Buf *b, const ThNetwork *net, ThGpkgType *types) {
  static const char *const f[] = {"node_id", "name", "node_type", "zone_id"};
  gboolean nt = net->node_label != NULL, zt = net->zone_label != NULL;
  types[0] = nt ? TH_GPKG_TEXT : TH_GPKG_INT;
  types[1] = types[2] = TH_GPKG_TEXT;
  types[3] = zt ? TH_GPKG_TEXT : TH_GPKG_INT;
  buf_init(b, "nodes", 0, f, types, 4);
  char b1[32], b2[32];
  for (int v = 0; v < net->n_nodes; v++) {
    put_id(b, nt, th_network_node_label(net, v, b1), net->node_id[v]);
    put_text(b, net->node_name[v]);
    put_text(b, th_node_kind_name(net->node_kind[v]));
    int z = net->node_zone[v];
    if (z >= 0) put_id(b, zt, th_network_zone_label(net, z, b2), net->zone_id[z]);
    else if (zt) put_text(b, NULL);
    else put_num(b, NAN);
    double pt[2] = {net->lon[v], net->lat[v]};
    end_feature(b, pt, isfinite(pt[0]) && isfinite(pt[1]) ? 1 : 0);
  }
  buf_finish(b);
}

#define N_LINK_FIELDS 21
static void fill_links(Buf *b, const ThResults *r, ThGpkgType *types) {
  static const char *const f[N_LINK_FIELDS] = {
      "link_id", "from_node_id", "to_node_id", "name", "facility_type", "allowed_uses",
      "length_km", "free_speed_kmh", "capacity_vph", "lanes", "toll", "vehicles", "pcu",
      "passengers", "tonnes", "sample_factor", "vehicles_sample", "pcu_sample",
      "passengers_sample", "tonnes_sample", "vc"};
  const ThNetwork *net = r->net;
  gboolean lt = net->link_label != NULL, nt = net->node_label != NULL;
  for (int k = 0; k < N_LINK_FIELDS; k++) types[k] = k >= 6 ? TH_GPKG_REAL : TH_GPKG_TEXT;
  types[0] = lt ? TH_GPKG_TEXT : TH_GPKG_INT;
  types[1] = types[2] = nt ? TH_GPKG_TEXT : TH_GPKG_INT;
  buf_init(b, "links", 1, f, types, N_LINK_FIELDS);
  double expand = th_results_expansion(r);
  double sample = r->sample_factor > 0 ? r->sample_factor : 1.0;
  char b1[32];
  for (int e = 0; e < net->n_links; e++) {
    int a = net->link_from[e], z = net->link_to[e];
    put_id(b, lt, th_network_link_label(net, e, b1), net->link_id[e]);
    put_id(b, nt, th_network_node_label(net, a, b1), net->node_id[a]);
    put_id(b, nt, th_network_node_label(net, z, b1), net->node_id[z]);
    put_text(b, net->link_name[e]);
    put_text(b, net->link_facility[e]);
    g_autofree char *uses = th_modes_format(net->link_modes[e]);
    put_text(b, uses);
    put_num(b, net->length_m[e] / 1000.0);
    put_num(b, net->free_speed_mps[e] * 3.6);
    put_num(b, net->capacity_vph[e]); /* infinity: null */
    put_num(b, net->lanes[e]);
    put_num(b, net->toll[e]);
    ThFlow tot = {0};
    for (int g = 0; g < TH_N_FLOW_GROUPS; g++) {
      const ThFlow *fl = th_results_flow(r, e, (ThFlowGroup)g);
      tot.vehicles += fl->vehicles;
      tot.pcu += fl->pcu;
      tot.passengers += fl->passengers;
      tot.tonnes += fl->tonnes;
    }
    /* one rule (issue 12): counts of the whole demand, the simulated ones
     * in *_sample */
    put_num(b, tot.vehicles * expand);
    put_num(b, tot.pcu * expand);
    put_num(b, tot.passengers * expand);
    put_num(b, tot.tonnes * expand);
    put_num(b, sample);
    put_num(b, tot.vehicles);
    put_num(b, tot.pcu);
    put_num(b, tot.passengers);
    put_num(b, tot.tonnes);
    put_num(b, th_results_vc(r, e));
    int n = 0;
    g_autofree double *pts = th_link_polyline(net, e, &n);
    end_feature(b, pts, pts ? n : 0);
  }
  buf_finish(b);
}

static void fill_zones(Buf *b, const ThNetwork *net, ThGpkgType *types) {
  static const char *const f[] = {"zone_id", "node_id", "name", "population", "gdp", "jobs"};
  gboolean nt = net->node_label != NULL, zt = net->zone_label != NULL;
  types[0] = zt ? TH_GPKG_TEXT : TH_GPKG_INT;
  types[1] = nt ? TH_GPKG_TEXT : TH_GPKG_INT;
  types[2] = TH_GPKG_TEXT;
  types[3] = types[4] = types[5] = TH_GPKG_REAL;
  buf_init(b, "zones", 0, f, types, 6);
  char b1[32];
  for (int z = 0; z < net->n_zones; z++) {
    int v = net->zone_node[z];
    put_id(b, zt, th_network_zone_label(net, z, b1), net->zone_id[z]);
    put_id(b, nt, th_network_node_label(net, v, b1), net->node_id[v]);
    put_text(b, net->node_name[v]);
    put_num(b, net->zone_population[z] > 0 ? net->zone_population[z] : NAN);
    put_num(b, net->zone_gdp[z] > 0 ? net->zone_gdp[z] : NAN);
    put_num(b, net->zone_jobs[z] > 0 ? net->zone_jobs[z] : NAN);
    double pt[2] = {net->lon[v], net->lat[v]};
    end_feature(b, pt, isfinite(pt[0]) && isfinite(pt[1]) ? 1 : 0);
  }
  buf_finish(b);
}

gboolean th_gpkg_write(const ThResults *r, const char *path, GError **error) {
  if (!th_module_load(&gpkg_module, error)) return FALSE;
  ThGpkgWriteFunc write = (ThGpkgWriteFunc)sym[0];
  if (!g_str_has_suffix(path, ".gpkg")) {
    g_set_error(error, TH_ERROR, TH_ERROR_INVALID,
                "%s: a GeoPackage file name ends in .gpkg (GDAL requires it)", path);
    return FALSE;
  }
  ThGpkgType node_t[4], link_t[N_LINK_FIELDS], zone_t[6];
  Buf bufs[3];
  fill_nodes(&bufs[0], r->net, node_t);
  fill_links(&bufs[1], r, link_t);
  fill_zones(&bufs[2], r->net, zone_t);
  ThGpkgLayer layers[3] = {bufs[0].L, bufs[1].L, bufs[2].L};
  /* written beside PATH under a temporary name, then renamed into place */
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp(tmpl);
  gboolean ok = fd >= 0;
  g_autofree char *tmp = g_strdup_printf("%s.gpkg", tmpl);
  if (!ok) {
    g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot create a temporary file (%s)", path,
                g_strerror(errno));
  } else {
    close(fd);
    char *err = NULL;
    if (!write(layers, 3, tmp, &err)) {
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: %s", path, err ? err : "GDAL failed");
      g_free(err);
      ok = FALSE;
    } else if (g_rename(tmp, path) != 0) {
      g_set_error(error, TH_ERROR, TH_ERROR_IO, "%s: cannot rename into place (%s)", path,
                  g_strerror(errno));
      ok = FALSE;
    }
    g_unlink(tmp);
    g_unlink(tmpl);
  }
  for (int i = 0; i < 3; i++) buf_clear(&bufs[i]);
  return ok;
}

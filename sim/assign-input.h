/* assign-input.h: the inputs of a static assignment (sim/assign.h) as
 * `taihang assign` reads them: a classes file (class,pcu,vot_per_h,
 * banned_links,trips), OD tables in CSV (origin,destination[,class],trips,
 * or GMNS demand.csv o_zone_id,d_zone_id,volume) and TNTP trips files.
 * Bad rows: FILE:LINE messages, every problem of a file at once
 * (TH_ERROR_INVALID / TH_ERROR_PARSE). Moved from scenarios/cmd_assign.c
 * (issue 19: commands parse options and call one function). */
#pragma once
#include "network/network.h"
#include "network/tntp.h"
#include "sim/assign.h"

G_BEGIN_DECLS

/* One class of a static assignment as read from its inputs: parameters plus
 * the data it owns. Kept in a GArray (clear func th_assign_input_class_clear),
 * in the order the classes were named. */
typedef struct {
  char *name;
  double pcu;
  double vot_per_h;   /* <= 0: tolls in the network's own cost units (TNTP TOLL FACTOR) */
  char *trips_path;   /* from the classes file, or NULL */
  guint8 *banned;
  double *fixed;
  ThOdTable *od;
  GArray *o, *d;      /* OD triples collected from CSV tables */
  GArray *t;
} ThAssignInputClass;

void th_assign_input_class_clear(ThAssignInputClass *c);
/* Appends a class (its OD arrays empty) and returns it (valid until the next append). */
ThAssignInputClass *th_assign_input_class_add(GArray *classes, const char *name, double pcu,
                                              double vot);
/* The class named NAME, or NULL. */
ThAssignInputClass *th_assign_input_class_find(GArray *classes, const char *name);

/* Reads a classes file into CLASSES (class,pcu,vot_per_h,banned_links,trips;
 * the built-in classes of sim/classes.h give missing pcu values). */
gboolean th_assign_input_read_classes(const char *path, const ThNetwork *net, GArray *classes,
                                      GError **error);

/* Reads trips (a TNTP trips file by its .tntp suffix, else an OD CSV) into
 * the classes' OD arrays; with ONLY every row goes to that class; with
 * CLASSES_FIXED a class not yet known is an error, else a built-in class is
 * added. Rows from or to a zone cut off from the main component are counted
 * in th_assign_input_cut_off_trips. */
gboolean th_assign_input_read_trips(const char *path, const ThNetwork *net, GArray *classes,
                                    gboolean classes_fixed, ThAssignInputClass *only,
                                    GError **error);

/* Trips of OD rows read so far that start or end in a zone cut off from the
 * main component (reported by the command, then ignored). */
extern double th_assign_input_cut_off_trips;

/* Every input of `taihang assign` into CLASSES (empty): the classes file
 * CLASSES_PATH (or NULL), each class's own trips file, then the OD table
 * TRIPS (or NULL). One class "car" when none is named; with a TNTP network
 * (TNTP) and no classes file the values of time are 0, so that tolls are
 * priced by the file's TOLL FACTOR. The errors of the readers. */
gboolean th_assign_input_load(const ThNetwork *net, gboolean tntp, const char *trips,
                              const char *classes_path, GArray *classes, GError **error);

/* TRUE when a class of CLASSES has its own trips file (the classes file's
 * trips column). */
gboolean th_assign_input_has_class_trips(const GArray *classes);

/* The classes as th_assign_run takes them, into AC (CLASSES->len entries,
 * pointing into CLASSES): each class's OD table, and, when the network has
 * tolls or TNTP cost factors, its fixed cost per link in minutes: a class
 * with a value of time pays toll x 60 / vot_per_h + the TNTP distance
 * factor x length (km, or the TNTP file's length); one without pays the
 * TNTP file's own fixed cost (th_assign_tntp_fixed_cost). O(classes x
 * links + OD rows). */
void th_assign_input_prepare(const ThNetwork *net, GArray *classes, ThAssignClass *ac);

G_END_DECLS

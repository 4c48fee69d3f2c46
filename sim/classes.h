/* classes.h: the class table: who travels, how much road they take, what
 * their time is worth.
 *
 * Every trip names a class (`car` when empty). A class says whether it is a
 * passenger or a freight class, how many passenger-car units (pcu) one of its
 * vehicles takes on a road link (the car-unit factor of the Highway Capacity
 * Manual), its value of time, how many tonnes one vehicle carries (freight),
 * the weights of waiting and transfer time in generalized cost (multimodal)
 * and a money cost per vehicle-km (fuel, wear).
 *
 * Built-ins: car (passenger, 1.0 pcu, 30 yuan/h), truck and the freight
 * commodities coal, ceramics, agri, general (freight, trucks of 2.5 pcu). An
 * optional classes.csv adds classes or replaces built-ins by name:
 *   class,kind,pcu,vot_per_h,tonnes_per_vehicle,wait_weight,transfer_weight,cost_per_km
 * Units: vot_per_h in yuan per hour per trip unit (a traveller for passenger
 * classes, a tonne for freight classes); cost_per_km in yuan per vehicle-km. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum { TH_CLASS_PASSENGER = 0, TH_CLASS_FREIGHT = 1 } ThClassKind;

typedef struct {
  char *name;
  ThClassKind kind;
  double pcu;                /* passenger-car units per vehicle, > 0 */
  double vot_per_h;          /* value of time, yuan per hour (per traveller or per tonne) */
  double tonnes_per_vehicle; /* freight: payload of one truck (> 0); passenger: 0 */
  double wait_weight;        /* weight of waiting time relative to in-vehicle time */
  double transfer_weight;    /* weight of transfer time */
  double cost_per_km;        /* yuan per vehicle-km */
} ThClass;

typedef struct {
  int n;
  ThClass *cls;       /* n entries; built-ins first, in the order listed above */
  GHashTable *index;  /* private: name -> index+1 */
} ThClassTable;

/* TRUE when NAME (any case) is a built-in class of kind freight (truck,
 * coal, ceramics, agri, general): the one list of them. */
gboolean th_class_builtin_is_freight(const char *name);
/* The built-in classes. Never fails. */
ThClassTable *th_class_table_new(void);
void th_class_table_free(ThClassTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThClassTable, th_class_table_free)

/* Reads PATH (classes.csv) into T: a row whose class exists replaces it,
 * others are added. Every bad row is reported ("FILE:LINE: what is wrong
 * (what was expected)", one per line); on error T is left unchanged and
 * TH_ERROR_PARSE/TH_ERROR_INVALID is returned. O(rows). */
gboolean th_class_table_load(ThClassTable *t, const char *path, GError **error);

/* Index of the class called NAME (exact), or -1. O(1). */
int th_class_table_lookup(const ThClassTable *t, const char *name);

/* The names of all classes as "car, truck, ..." (caller frees), for messages. */
char *th_class_table_names(const ThClassTable *t);

G_END_DECLS

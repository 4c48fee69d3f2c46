/* numfmt.h: fast number formatting for the big result tables.
 *
 * printf spends most of a results folder's write time parsing its format
 * (od_times.csv of 100k trips: 200k rows). These write the same bytes as
 * printf does, faster: integers, and decimals in the tables' style. Values
 * near a rounding tie, and very large ones, are handed to snprintf, so the
 * output is always byte-identical to it (tests/test_numfmt.c checks). */
#pragma once
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Appends V in decimal, as printf("%" PRId64) does. */
void th_fmt_i64(GString *out, int64_t v);

/* Appends X as printf("%.*f", DECIMALS, X) does (0 <= DECIMALS <= 9). */
void th_fmt_fixed(GString *out, double x, int decimals);

/* The result tables' number style: nothing for NaN and infinities, whole
 * numbers without decimals ("%.0f", below 1e15), else DECIMALS decimals. */
void th_fmt_num(GString *out, double x, int decimals);

/* Appends X as printf("%.*g", PRECISION, X) does (1 <= PRECISION <= 10).
 * Fast for 1e-4 <= |X| < 10^PRECISION and zeros (the assignment's flows,
 * times and costs: Anaheim's flow file, 20.3 M -> 2 M instructions);
 * everything else is handed to snprintf. */
void th_fmt_g(GString *out, double x, int precision);

G_END_DECLS

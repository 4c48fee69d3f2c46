/* numfmt.c: integers and fixed decimals without printf (see numfmt.h). */
#include "output/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const double pow10d[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
static const uint64_t pow10u[] = {1ull,
                                  10ull,
                                  100ull,
                                  1000ull,
                                  10000ull,
                                  100000ull,
                                  1000000ull,
                                  10000000ull,
                                  100000000ull,
                                  1000000000ull,
                                  10000000000ull,
                                  100000000000ull,
                                  1000000000000ull,
                                  10000000000000ull,
                                  100000000000000ull,
                                  1000000000000000ull};

/* Writes the digits of U ending just before END; returns where they start. */
static inline char *digits(char *end, uint64_t u) {
  do {
    *--end = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  return end;
}

void th_fmt_i64(GString *out, int64_t v) {
  char buf[24], *end = buf + sizeof buf;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  char *p = digits(end, u);
  if (v < 0) *--p = '-';
  g_string_append_len(out, p, end - p);
}

static void slow_fixed(GString *out, double x, int decimals) {
  char buf[512];
  int n = snprintf(buf, sizeof buf, "%.*f", decimals, x);
  if (n >= 0 && (size_t)n < sizeof buf) g_string_append_len(out, buf, n);
  else g_string_append_printf(out, "%.*f", decimals, x);
}

/* th_fmt_fixed for 0 <= DECIMALS <= 15 (th_fmt_g needs up to 13) */
static void fixed(GString *out, double x, int decimals) {
  double ax = fabs(x);
  /* v = |x| x 10^d carries at most half an ulp of error (< 0.001 below
   * 1e13); away from a half, rounding it rounds the exact binary value, as
   * printf does. Zeros (their sign), ties and big values go to snprintf. */
  double v = ax * pow10d[decimals];
  if (!(v < 1e13) || x == 0) {
    slow_fixed(out, x, decimals);
    return;
  }
  double r = floor(v), frac = v - r;
  if (fabs(frac - 0.5) < 0.01) {
    slow_fixed(out, x, decimals);
    return;
  }
  uint64_t q = (uint64_t)r + (frac > 0.5);
  char buf[40], *end = buf + sizeof buf, *p = end;
  if (decimals) {
    uint64_t f = q % pow10u[decimals];
    for (int i = 0; i < decimals; i++, f /= 10) *--p = (char)('0' + f % 10);
    *--p = '.';
  }
  p = digits(p, q / pow10u[decimals]);
  if (signbit(x)) *--p = '-';
  g_string_append_len(out, p, end - p);
}

void th_fmt_fixed(GString *out, double x, int decimals) {
  g_return_if_fail(decimals >= 0 && decimals <= 9);
  fixed(out, x, decimals);
}

void th_fmt_num(GString *out, double x, int decimals) {
  if (!isfinite(x)) return;
  if (x == floor(x) && fabs(x) < 1e15) {
    if (x == 0) g_string_append(out, signbit(x) ? "-0" : "0");
    else th_fmt_i64(out, (int64_t)x);
  } else {
    th_fmt_fixed(out, x, decimals);
  }
}

void th_fmt_g(GString *out, double x, int precision) {
  g_return_if_fail(precision >= 1 && precision <= 10);
  double ax = fabs(x);
  if (x == 0) {
    g_string_append(out, signbit(x) ? "-0" : "0");
    return;
  }
  /* %g with exponent e (10^e <= |x| < 10^(e+1)) and P digits is %f with
   * P - 1 - e decimals, trailing zeros and a bare point removed */
  if (ax >= 1e-4 && ax < pow10d[precision]) {
    int e = -4; /* 10^e <= |x|: from the table, exact up to 10^15 */
    while (e + 1 < precision && ax >= (e + 1 >= 0 ? pow10d[e + 1] : 1 / pow10d[-(e + 1)])) e++;
    gsize at = out->len;
    fixed(out, x, precision - 1 - e);
    /* the first significant digit must sit at 10^e: rounding up to the
     * next power of ten (or an exponent misjudged at the boundary, 1/10^k
     * being inexact) changes the exponent: printf */
    const char *s = out->str + at + (x < 0);
    int int_digits = 0, lead_zeros = 0;
    while (s[int_digits] >= '0' && s[int_digits] <= '9') int_digits++;
    if (s[0] == '0' && s[1] == '.')
      while (s[2 + lead_zeros] == '0') lead_zeros++;
    gboolean ok = e >= 0 ? int_digits == e + 1 && s[0] != '0'
                         : int_digits == 1 && s[0] == '0' && lead_zeros == -e - 1 && s[2 + lead_zeros] != '\0';
    if (ok) {
      if (memchr(out->str + at, '.', out->len - at)) {
        gsize len = out->len;
        while (out->str[len - 1] == '0') len--;
        if (out->str[len - 1] == '.') len--;
        g_string_truncate(out, len);
      }
      return;
    }
    g_string_truncate(out, at);
  }
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%.*g", precision, x);
  if (n >= 0 && (size_t)n < sizeof buf) g_string_append_len(out, buf, n);
  else g_string_append_printf(out, "%.*g", precision, x);
}

/* fuzz_gmns.c: fuzz target for the GMNS reader, validation and writer.
 *
 * An input is node.csv text, a NUL byte, then link.csv text. Whatever the
 * bytes, reading must either fail with a TH_ERROR message of FILE:LINE lines
 * or give a network that validates and survives write -> read unchanged in
 * size; never crash, leak or read out of bounds.
 *
 * Built two ways (tests/meson.build):
 *  - with clang, -DTH_LIBFUZZER -fsanitize=fuzzer: a libFuzzer target
 *    (`build/tests/fuzz_gmns corpus/`);
 *  - otherwise as the GTest program `fuzz-gmns`: the seeds (the sample and
 *    the tests/data/bad-* networks) and a fixed number of deterministic
 *    mutations of them, so every build (and the ASan one) exercises the
 *    same entry point without clang. */
#include "network/gmns.h"
#include "network/th-error.h"
#include "network/validate.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static char *fuzz_dir;

static void write_file(const char *name, const char *data, gsize len) {
  /* plain stdio: g_file_set_contents would fsync every input */
  g_autofree char *p = g_build_filename(fuzz_dir, name, NULL);
  FILE *f = fopen(p, "wb");
  g_assert_nonnull(f);
  g_assert_cmpuint(fwrite(data, 1, len, f), ==, len);
  g_assert_cmpint(fclose(f), ==, 0);
}

/* Runs one input; returns TRUE if it gave a network. */
static gboolean run_one(const guint8 *data, size_t size) {
  const guint8 *nul = memchr(data, 0, size);
  gsize nlen = nul ? (gsize)(nul - data) : size;
  write_file("node.csv", (const char *)data, nlen);
  if (nul)
    write_file("link.csv", (const char *)nul + 1, size - nlen - 1);
  else
    write_file("link.csv", "", 0);
  GError *e = NULL;
  ThNetwork *net = th_gmns_read(fuzz_dir, &e);
  if (!net) {
    g_assert_nonnull(e);
    g_assert_true(e->domain == TH_ERROR);
    g_assert_true(e->message[0] != '\0');
    g_error_free(e);
    return FALSE;
  }
  GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
  th_network_validate(net, errors, warnings);
  g_ptr_array_unref(errors);
  g_ptr_array_unref(warnings);
  g_autofree char *out = g_build_filename(fuzz_dir, "out", NULL);
  g_assert_true(th_gmns_write(net, out, &e));
  ThNetwork *back = th_gmns_read(out, &e);
  g_assert_no_error(e);
  g_assert_cmpint(back->n_nodes, ==, net->n_nodes);
  g_assert_cmpint(back->n_links, ==, net->n_links);
  g_assert_cmpint(back->n_zones, ==, net->n_zones);
  th_network_free(back);
  th_network_free(net);
  return TRUE;
}

#ifdef TH_LIBFUZZER
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  if (!fuzz_dir) fuzz_dir = g_dir_make_tmp("taihang-fuzz-XXXXXX", NULL);
  run_one(data, size);
  return 0;
}
#else
#include "tests/testutil.h"

/* A seed: DIR/node.csv NUL DIR/link.csv. */
static GByteArray *load_seed(const char *rel) {
  g_autofree char *dir = th_test_src(rel);
  GByteArray *b = g_byte_array_new();
  const char *names[2] = {"node.csv", "link.csv"};
  for (int k = 0; k < 2; k++) {
    g_autofree char *p = g_build_filename(dir, names[k], NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(p, &text, &len, NULL));
    if (k) g_byte_array_append(b, (const guint8 *)"", 1);
    g_byte_array_append(b, (const guint8 *)text, (guint)len);
  }
  return b;
}

/* Mutates B in place: flips, inserts of CSV-meaningful bytes, deletions. */
static void mutate(GRand *rng, GByteArray *b) {
  static const char tokens[] = ",;\"\n\r#-.e0123456789 xnaNIf\xEF\xBB\xBF\xE9\x98";
  int n = g_rand_int_range(rng, 1, 6);
  for (int i = 0; i < n && b->len > 0; i++) {
    guint pos = (guint)g_rand_int_range(rng, 0, (gint32)b->len);
    switch (g_rand_int_range(rng, 0, 4)) {
    case 0:
      b->data[pos] ^= (guint8)(1u << g_rand_int_range(rng, 0, 8));
      break;
    case 1: {
      guint8 c = (guint8)tokens[g_rand_int_range(rng, 0, (gint32)sizeof tokens - 1)];
      g_byte_array_set_size(b, b->len + 1);
      memmove(b->data + pos + 1, b->data + pos, b->len - 1 - pos);
      b->data[pos] = c;
      break;
    }
    case 2:
    {
      guint n_del = (guint)g_rand_int_range(rng, 1, 20);
      g_byte_array_remove_range(b, pos, MIN(n_del, b->len - pos));
    }
      break;
    default:
      b->data[pos] = (guint8)tokens[g_rand_int_range(rng, 0, (gint32)sizeof tokens - 1)];
      break;
    }
  }
}

static void test_seeds_and_mutations(void) {
  const char *seeds[] = {"scenarios/sample", "tests/data/bad-values", "tests/data/bad-header",
                         "tests/data/bad-unreachable"};
  GRand *rng = g_rand_new_with_seed(42);
  int ok = 0, total = 0;
  for (gsize s = 0; s < G_N_ELEMENTS(seeds); s++) {
    GByteArray *seed = load_seed(seeds[s]);
    ok += run_one(seed->data, seed->len);
    total++;
    for (int i = 0; i < 400; i++) {
      GByteArray *b = g_byte_array_sized_new(seed->len + 64);
      g_byte_array_append(b, seed->data, seed->len);
      mutate(rng, b);
      ok += run_one(b->data, b->len);
      total++;
      g_byte_array_unref(b);
    }
    g_byte_array_unref(seed);
  }
  g_rand_free(rng);
  g_test_message("%d of %d inputs gave a network", ok, total);
  g_assert_cmpint(ok, >, 0);        /* the sample seed, at least */
  g_assert_cmpint(ok, <, total);    /* and mutations do break files */
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  fuzz_dir = th_test_tmpdir();
  g_test_add_func("/fuzz/gmns/seeds-and-mutations", test_seeds_and_mutations);
  int status = g_test_run();
  th_test_rmtree(fuzz_dir);
  g_free(fuzz_dir);
  return status;
}
#endif

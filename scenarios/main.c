/* main.c: the `taihang` command: dispatches to one subcommand per workflow.
 *
 * It lives in scenarios/, the room of the planner's workflows, so that
 * nothing below it ever needs to know it exists. */
#include "scenarios/cli.h"
#include "sim/sim.h"

#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define TH_HEAP_POLICY 1
#endif

typedef struct {
  const char *name;
  ThCommandFunc func;
  const char *summary;
} ThCommand;

static const ThCommand commands[] = {
    {"check", th_cmd_check, "validate a network, TNTP file or scenario; list every problem"},
    {"skim", th_cmd_skim, "travel-time table between zones from free-flow shortest paths"},
    {"assign", th_cmd_assign, "static user-equilibrium assignment (TNTP or taihang network)"},
    {"run", th_cmd_run, "simulate trips (or a scenario) to equilibrium; write results"},
    {"demand", th_cmd_demand, "synthesize a scenario's passenger and freight demand"},
    {"compare", th_cmd_compare, "run a base and scenarios; write what each project changes"},
    {"map", th_cmd_map, "draw a flow map (PNG/SVG) of results, or a difference map"},
    {"export", th_cmd_export, "export a network or results (GraphML, GeoJSON, OMX, matrices)"},
    {"sweep", th_cmd_sweep, "run a grid of scenario variants into one travel-time table"},
    {"sweep-merge", th_cmd_sweep_merge, "build a sweep's consolidated tables from run folders"},
    {"report", th_cmd_report, "the planner's report of a comparison (HTML and PDF)"},
    {"validate", th_cmd_validate, "compare results with observed counts and shares: GEH, RMSE, screenlines"},
    {"calibrate", th_cmd_calibrate, "fit demand (ODME), gravity beta and mode constants to observations"},
    {"import", th_cmd_import, "build a network or services from GTFS or OpenStreetMap files"},
    {"params", th_cmd_params, "print the scenario parameter reference (keys, options, defaults)"},
};

static void usage(FILE *out) {
  fprintf(out, "Usage: taihang COMMAND [OPTIONS] ...\n\n"
               "taihang %s: multimodal freight and passenger routing simulator.\n\nCommands:\n",
          th_version());
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nRun 'taihang COMMAND --help' for a command's options.\n"
               "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n");
}

/* The heap as transparent huge pages. A simulation touches its big arrays
 * (routes, vehicles, events, result tables) once each, and on a virtual
 * machine every first touch of a 4 KiB page is a costly fault: 20,600 faults
 * and 0.15 s of system time in a 0.72 s run of the 50x50 benchmark. Here the
 * heap is reserved in one 1 GiB stretch marked MADV_HUGEPAGE (2 MiB pages
 * when the kernel's THP setting is "madvise" or "always"), big arrays come
 * from it instead of separate mmaps (up to glibc's 32 MiB limit), all
 * threads share it, and freed memory is kept for the next day's arrays:
 * 1,600 faults and 0.55 s. Only virtual memory is reserved; nothing changes
 * in what is computed. TAIHANG_PLAIN_MALLOC=1 turns it off (to compare);
 * sanitizer builds use their own allocator and skip it. */
static void heap_policy(void) {
#ifdef TH_HEAP_POLICY
  if (getenv("TAIHANG_PLAIN_MALLOC")) return;
  const size_t huge = (size_t)2 << 20;
  if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TRIM_THRESHOLD, INT32_MAX) ||
      !mallopt(M_ARENA_MAX, 1) || !mallopt(M_TOP_PAD, 1 << 30))
    return;
  /* grow the heap now, so the whole pad is one mapping to advise */
  void *p = malloc(4 << 20);
  if (!p) return;
  uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
  uintptr_t hi = (uintptr_t)sbrk(0) & ~(uintptr_t)(huge - 1);
  if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* a hint: failure is harmless */
  free(p);
#endif
}

int main(int argc, char **argv) {
  /* not for `taihang assign` (issue 16): it allocates its arrays once, and
   * the huge pages added 1.1-2.4 MB to its peak memory (Grid30 to 1e-6:
   * 17.1 -> 15.7 MB) for no measurable time (1.4 s user either way) */
  if (!(argc > 1 && !strcmp(argv[1], "assign")))
    heap_policy();
  setlocale(LC_ALL, "");
  /* Arguments are UTF-8 (Chinese titles and zone names): under a non-UTF-8
   * locale, as a fresh machine or a cron job has (LANG unset), GOption would
   * try to convert them from ASCII and fail, so read text as C.UTF-8 then. */
  if (g_ascii_strcasecmp(nl_langinfo(CODESET), "UTF-8") != 0) setlocale(LC_CTYPE, "C.UTF-8");
  setlocale(LC_NUMERIC, "C"); /* numbers in files always use '.' */
  if (argc < 2) {
    usage(stderr);
    return TH_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return TH_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    printf("taihang %s\n", th_version());
    return TH_EXIT_OK;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
    if (strcmp(argv[1], commands[i].name) == 0) {
      g_autofree char *prg = g_strdup_printf("taihang %s", commands[i].name);
      g_set_prgname(prg);
      char **sub = g_new0(char *, argc);
      sub[0] = prg;
      for (int k = 2; k < argc; k++) sub[k - 1] = argv[k];
      int status = commands[i].func(argc - 1, sub);
      g_free(sub);
      return status;
    }
  }
  fprintf(stderr, "taihang: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return TH_EXIT_USAGE;
}

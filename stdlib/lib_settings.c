/* lib_settings: the `settings` tree. Each leaf is a reference carrying its
 * description, so every form works: `settings.x.y.set(v)` and
 * `settings.x.y()` (what 2.1.3 and HEAD have), and also `settings.x.y := v`
 * and `!settings.x.y` (which 2.1.3's type checker rejects: a leaf is not a
 * ref there).
 * The runtime reads leaves through liq_settings_get. The log.* leaves are
 * watched (runtime/value.h): a new value is pushed into runtime/log.c at
 * once (lib_log.c). The command line sets leaves too (cliq -q, --debug:
 * liq_lib_settings_set_text), and --list-settings prints this table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

typedef struct {
  const char *path;
  const char *descr;
  enum { S_INT, S_FLOAT, S_BOOL, S_STRING } type;
  double num;
  const char *str;
} leaf_def;

static const leaf_def leaf_defs[] = {
  {"frame.duration", "Targeted duration of a frame, in seconds.", S_FLOAT, 0.04, NULL},
  {"frame.audio.samplerate", "Default audio samplerate.", S_INT, 44100, NULL},
  {"frame.audio.channels", "Default number of audio channels.", S_INT, 2, NULL},
  {"frame.audio.size", "Audio frame size (computed when null).", S_INT, 0, NULL},
  {"frame.video.width", "Default video width.", S_INT, 1280, NULL},
  {"frame.video.height", "Default video height.", S_INT, 720, NULL},
  {"frame.video.framerate", "Default video framerate.", S_INT, 25, NULL},
  {"frame.midi.channels", "Default number of MIDI channels.", S_INT, 0, NULL},
  {"log.level", "Global log level (1 critical .. 5 debug).", S_INT, 3, NULL},
  {"log.stdout", "Log to the console (standard error in cliq).", S_BOOL, 1, NULL},
  {"log.file", "Log to a file.", S_BOOL, 0, NULL},
  {"log.file.path",
   "Path of the log file, opened when streaming starts: strftime conversions, then <script> "
   "(the script's name without .liq), <pid>, <home>, <syslogdir> (/var/log), <sysrundir> "
   "(/var/run).",
   S_STRING, 0, "<syslogdir>/<script>.log"},
  {"log.file.append", "Append to the log file (else truncate it).", S_BOOL, 1, NULL},
  {"log.file.perms", "Permissions of a new log file (384 is 0o600).", S_INT, 384, NULL},
  {"log.date", "Prefix log lines with the time (cliq; off under systemd's journal).", S_BOOL, 1, NULL},
  {"log.unix_timestamps", "Log times as Unix timestamps with microseconds.", S_BOOL, 0, NULL},
  {"init.allow_root", "Allow running as root (accepted; no effect in cliq).", S_BOOL, 0, NULL},
  {"init.force_start", "Start even without an output.", S_BOOL, 0, NULL},
  {"init.daemon", "Accepted for 2.1.3 scripts, no effect: run `cliq --daemon` instead.", S_BOOL, 0, NULL},
  {"clock.allow_streaming_errors", "Keep streaming after a source error.", S_BOOL, 0, NULL},
  {"clock.max_latency", "Maximum latency of a clock, in seconds.", S_FLOAT, 60, NULL},
  {"root.max_latency", "Maximum latency of the root clock, in seconds.", S_FLOAT, 60, NULL},
  {"server.telnet", "Enable the telnet server.", S_BOOL, 0, NULL},
  {"server.telnet.port", "Port of the telnet server.", S_INT, 1234, NULL},
  {"server.socket", "Enable the socket server.", S_BOOL, 0, NULL},
  {"harbor.bind_addrs", "Addresses the harbor binds to.", S_STRING, 0, "0.0.0.0"},
  {"decoder.priorities.ffmpeg", "Priority of the ffmpeg decoder.", S_INT, 10, NULL},
};

#define NLEAVES (int)(sizeof leaf_defs / sizeof leaf_defs[0])
static liq_value leaves[NLEAVES];
static int rooted;

liq_value liq_settings_get(const char *path)
{
  for (int i = 0; i < NLEAVES; i++)
    if (strcmp(leaf_defs[i].path, path) == 0 && leaves[i]) return liq_v_ref_get(leaves[i]);
  return LIQ_NOVALUE;
}

static liq_value make_leaf(const leaf_def *d)
{
  liq_value v;
  switch (d->type) {
  case S_INT: v = liq_v_int((int64_t)d->num); break;
  case S_FLOAT: v = liq_v_float(d->num); break;
  case S_BOOL: v = liq_v_bool(d->num != 0); break;
  default: v = liq_v_cstring(d->str); break;
  }
  return liq_v_ref(v);
}

static void settings_changed(liq_value ref)
{
  for (int i = 0; i < NLEAVES; i++)
    if (leaves[i] == ref && strncmp(leaf_defs[i].path, "log.", 4) == 0) liq_lib_log_settings_changed();
}

static int find_leaf(const char *path)
{
  for (int i = 0; i < NLEAVES; i++)
    if (strcmp(leaf_defs[i].path, path) == 0) return i;
  return -1;
}

int liq_lib_settings_set_text(const char *path, const char *text, char *err, size_t errlen)
{
  int i = find_leaf(path);
  if (i < 0 || !leaves[i]) {
    snprintf(err, errlen, "unknown setting \"%s\"", path);
    return -1;
  }
  const leaf_def *d = &leaf_defs[i];
  char *end = NULL;
  liq_value v = LIQ_NOVALUE;
  if (d->type == S_STRING) v = liq_v_cstring(text);
  else if (d->type == S_BOOL && (strcmp(text, "true") == 0 || strcmp(text, "false") == 0))
    v = liq_v_bool(text[0] == 't');
  else if (d->type == S_INT) {
    long n = strtol(text, &end, 10);
    if (end != text && !*end) v = liq_v_int(n);
  } else if (d->type == S_FLOAT) {
    double x = strtod(text, &end);
    if (end != text && !*end) v = liq_v_float(x);
  }
  if (v == LIQ_NOVALUE) {
    snprintf(err, errlen, "invalid value \"%s\" for setting \"%s\"", text, path);
    return -1;
  }
  liq_v_ref_set(leaves[i], v);
  return 0;
}

void liq_lib_settings_list(FILE *out)
{
  fputs("# cliq settings\n\nEach setting with its default value; a script changes one with\n"
        "`settings.NAME.set(value)`.\n",
        out);
  for (int i = 0; i < NLEAVES; i++) {
    const leaf_def *d = &leaf_defs[i];
    fprintf(out, "\n### %s\n\n```liquidsoap\nsettings.%s.set(", d->descr, d->path);
    switch (d->type) {
    case S_INT: fprintf(out, "%lld", (long long)d->num); break;
    case S_FLOAT: {
      char buf[64];
      int n = snprintf(buf, sizeof buf, "%.12g", d->num);
      fprintf(out, "%s%s", buf, strspn(buf, "-0123456789") == (size_t)n ? "." : "");
      break;
    }
    case S_BOOL: fputs(d->num != 0 ? "true" : "false", out); break;
    default: fprintf(out, "\"%s\"", d->str); break;
    }
    fputs(")\n```\n", out);
  }
}

static void settings_open(void)
{
  liq_v_ref_set_watcher(settings_changed);
  if (!rooted) {
    for (int i = 0; i < NLEAVES; i++) liq_gc_add_root(&leaves[i]);
    rooted = 1;
  }
  liq_eval_define("settings", LIQ_UNIT);
  for (int i = 0; i < NLEAVES; i++) {
    leaves[i] = make_leaf(&leaf_defs[i]);
    if (strncmp(leaf_defs[i].path, "log.", 4) == 0) liq_v_ref_watch(leaves[i]);
    liq_value *pv = liq_eval_push(leaves[i]);
    liq_sym dsym = liq_sym_permanent("description"); /* may collect: before descr */
    liq_value descr = liq_v_cstring(leaf_defs[i].descr);
    *pv = liq_v_meth_add(*pv, dsym, descr);
    char name[128];
    snprintf(name, sizeof name, "settings.%s", leaf_defs[i].path);
    liq_eval_define(name, *pv);
    liq_eval_pop(1);
  }
}


static void settings_close(void)
{
  if (!rooted) return;
  for (int i = 0; i < NLEAVES; i++) {
    liq_gc_remove_root(&leaves[i]);
    leaves[i] = LIQ_NOVALUE;
  }
  rooted = 0;
}

const liq_lib_module liq_lib_settings = {"settings", NULL, 0, settings_open, settings_close};

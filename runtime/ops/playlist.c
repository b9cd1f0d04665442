/* playlist: plays the entries of a playlist file or a directory, on the
 * prefetching reader of file.c.
 *
 * Formats: a directory (every file below it, recursively, in name order);
 * m3u/m3u8 (#EXTINF:duration,artist - title gives artist and title
 * metadata, other # lines are comments); pls (FileN= lines; by the .pls
 * name or mime_type="audio/x-scpls"); otherwise a
 * plain list, one URI per line, # comments. Relative entries are relative
 * to the playlist's directory. Each entry becomes a request once, at load
 * time: a bad file fails its resolution once, is logged once and is then
 * skipped without probing it again (until a reload makes new requests).
 *
 * Modes: "normal" plays in order, "randomize" shuffles each round, "random"
 * picks an entry at each track. Without loop, one round is played and the
 * source then stays unavailable. Reloading ("seconds", "rounds", "watch" the
 * playlist's modification time, or .reload()) happens on the reader's
 * worker thread when it asks for the next entry; a failed reload keeps the
 * previous entries. The entry state is shared by the worker and the script
 * (.reload(), .remaining_files()) under the provider's mutex. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"
#include "runtime/request.h"

typedef struct plist {
  pthread_mutex_t lock;
  char *uri, *path, *prefix, *label;
  int pls; /* the MIME type says pls */
  liq_playlist_mode mode;
  int loop;
  liq_playlist_reload_mode reload_mode;
  int reload;
  liq_request **entries;
  int n;
  int *order;      /* the round's order (indices into entries) */
  int pos;         /* next index into order */
  int rounds;      /* rounds finished since the last load */
  int reload_asked;
  int reloaded;    /* a reload happened: the clock thread runs on_reload */
  int ended;       /* no loop and the round is over */
  double loaded_at; /* monotonic seconds */
  struct timespec mtime;
  uint64_t rng;
} plist;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rnd(plist *p)
{
  p->rng ^= p->rng >> 12;
  p->rng ^= p->rng << 25;
  p->rng ^= p->rng >> 27;
  return p->rng * 0x2545F4914F6CDD1Dull;
}

/* --- Parsing ----------------------------------------------------------------- */

typedef struct entry_list {
  char **uris;
  int n, cap;
} entry_list;

static void add_uri(entry_list *l, char *uri)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->uris = liq_mem_realloc(l->uris, (size_t)l->cap * sizeof *l->uris);
  }
  l->uris[l->n++] = uri;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file below dir (hidden ones skipped), sorted. */
static void walk(const char *dir, entry_list *l, int depth)
{
  if (depth > 32) return; /* a symlink loop */
  DIR *d = opendir(dir);
  if (!d) return;
  entry_list sub = {0};
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    liq_sb sb = LIQ_SB_INIT;
    liq_sb_printf(&sb, "%s/%s", dir, e->d_name);
    add_uri(&sub, liq_sb_take(&sb));
  }
  closedir(d);
  if (sub.n) qsort(sub.uris, (size_t)sub.n, sizeof *sub.uris, cmp_str);
  for (int i = 0; i < sub.n; i++) {
    struct stat st;
    if (stat(sub.uris[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      walk(sub.uris[i], l, depth + 1);
      liq_mem_free(sub.uris[i]);
    } else {
      add_uri(l, sub.uris[i]);
    }
  }
  liq_mem_free(sub.uris);
}

static int has_ext(const char *path, const char *ext)
{
  size_t n = strlen(path), k = strlen(ext);
  if (n < k) return 0;
  const char *p = path + n - k;
  for (size_t i = 0; i < k; i++)
    if ((p[i] | 0x20) != ext[i]) return 0;
  return 1;
}

static char *trim(char *s)
{
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
  return s;
}

/* An entry of a playlist file: relative to the playlist's directory, with
 * the #EXTINF metadata as annotations. */
static char *file_entry(const char *base_dir, const char *line, const char *artist, const char *title)
{
  liq_sb sb = LIQ_SB_INIT;
  if (artist || title) {
    liq_sb_puts(&sb, "annotate:");
    const char *keys[2] = {"artist", "title"}, *vals[2] = {artist, title};
    int first = 1;
    for (int k = 0; k < 2; k++) {
      if (!vals[k]) continue;
      liq_sb_printf(&sb, "%s%s=\"", first ? "" : ",", keys[k]);
      for (const char *v = vals[k]; *v; v++) {
        if (*v == '"' || *v == '\\') liq_sb_putc(&sb, '\\');
        liq_sb_putc(&sb, *v);
      }
      liq_sb_putc(&sb, '"');
      first = 0;
    }
    liq_sb_putc(&sb, ':');
  }
  int absolute = line[0] == '/' || line[0] == '~' || strstr(line, ":") != NULL;
  if (!absolute) liq_sb_printf(&sb, "%s/", base_dir);
  liq_sb_puts(&sb, line);
  return liq_sb_take(&sb);
}

/* Reads the playlist at path into l. Returns 0, or -1 with err set. */
static int parse(const char *path, int force_pls, entry_list *l, liq_sb *err)
{
  struct stat st;
  if (stat(path, &st) < 0) {
    liq_sb_printf(err, "%s", strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    walk(path, l, 0);
    return 0;
  }
  FILE *f = fopen(path, "r");
  if (!f) {
    liq_sb_printf(err, "%s", strerror(errno));
    return -1;
  }
  char *dir = liq_mem_strdup(path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = 0;
  int pls = force_pls || has_ext(path, ".pls");
  char *line = NULL;
  size_t cap = 0;
  char *artist = NULL, *title = NULL;
  while (getline(&line, &cap, f) >= 0) {
    char *s = trim(line);
    if (!*s) continue;
    if (pls) {
      if (strncasecmp(s, "File", 4) != 0) continue;
      char *eq = strchr(s, '=');
      if (!eq) continue;
      s = trim(eq + 1);
    } else if (s[0] == '#') {
      if (!strncmp(s, "#EXTINF:", 8)) {
        char *comma = strchr(s + 8, ',');
        liq_mem_free(artist);
        liq_mem_free(title);
        artist = title = NULL;
        if (comma) {
          char *info = trim(comma + 1);
          char *dash = strstr(info, " - ");
          if (dash) {
            artist = liq_mem_strndup(info, (size_t)(dash - info));
            title = liq_mem_strdup(dash + 3);
          } else if (*info) {
            title = liq_mem_strdup(info);
          }
        }
      }
      continue;
    }
    add_uri(l, file_entry(dir, s, artist, title));
    liq_mem_free(artist);
    liq_mem_free(title);
    artist = title = NULL;
  }
  free(line);
  fclose(f);
  liq_mem_free(artist);
  liq_mem_free(title);
  liq_mem_free(dir);
  return 0;
}

/* --- Entries ------------------------------------------------------------------ */

static void new_round(plist *p)
{
  for (int i = 0; i < p->n; i++) p->order[i] = i;
  if (p->mode == LIQ_PLAYLIST_RANDOMIZE)
    for (int i = p->n - 1; i > 0; i--) {
      int j = (int)(rnd(p) % (uint64_t)(i + 1));
      int t = p->order[i];
      p->order[i] = p->order[j];
      p->order[j] = t;
    }
  p->pos = 0;
}

static void free_entries(plist *p)
{
  for (int i = 0; i < p->n; i++) liq_request_unref(p->entries[i]);
  liq_mem_free(p->entries);
  liq_mem_free(p->order);
  p->entries = NULL;
  p->order = NULL;
  p->n = 0;
}

static int stat_mtime(const char *path, struct timespec *ts)
{
  struct stat st;
  if (stat(path, &st) < 0) return -1;
  *ts = st.st_mtim;
  return 0;
}

/* (Re)loads the entries; lock held. Keeps the old ones on failure. */
static int load(plist *p, liq_sb *err)
{
  entry_list l = {0};
  if (parse(p->path, p->pls, &l, err) < 0) return -1;
  free_entries(p);
  p->entries = liq_mem_alloc((size_t)(l.n ? l.n : 1) * sizeof *p->entries);
  p->order = liq_mem_alloc((size_t)(l.n ? l.n : 1) * sizeof *p->order);
  for (int i = 0; i < l.n; i++) {
    liq_sb u = LIQ_SB_INIT;
    liq_sb_printf(&u, "%s%s", p->prefix, l.uris[i]);
    p->entries[i] = liq_request_new(liq_sb_str(&u));
    liq_sb_free(&u);
    liq_mem_free(l.uris[i]);
  }
  liq_mem_free(l.uris);
  p->n = l.n;
  p->rounds = 0;
  p->ended = 0;
  p->loaded_at = now_s();
  stat_mtime(p->path, &p->mtime);
  new_round(p);
  liq_log(LIQ_LOG_INFO, p->label, "Loaded playlist %s: %d entries.", p->uri, p->n);
  return 0;
}

static void reload_locked(plist *p)
{
  liq_sb err = LIQ_SB_INIT;
  if (load(p, &err) < 0)
    liq_log(LIQ_LOG_SEVERE, p->label, "Could not reload playlist %s: %s", p->uri, liq_sb_str(&err));
  else
    p->reloaded = 1;
  liq_sb_free(&err);
}

/* Whether the reload policy asks for a reload now; lock held.
 * TODO(inotify): "watch" compares the playlist's own modification time
 * when the next entry is asked for, so a file added in a subdirectory of
 * a watched directory is only seen at the next reload for another reason. */
static int reload_due(plist *p)
{
  if (p->reload_asked) return 1;
  switch (p->reload_mode) {
  case LIQ_PLAYLIST_RELOAD_SECONDS: return p->reload > 0 && now_s() - p->loaded_at >= p->reload;
  case LIQ_PLAYLIST_RELOAD_ROUNDS: return p->reload > 0 && p->rounds >= p->reload;
  case LIQ_PLAYLIST_RELOAD_WATCH: {
    struct timespec t;
    return stat_mtime(p->path, &t) == 0 &&
           (t.tv_sec != p->mtime.tv_sec || t.tv_nsec != p->mtime.tv_nsec);
  }
  default: return 0;
  }
}

static liq_request *plist_next(void *ud)
{
  plist *p = ud;
  pthread_mutex_lock(&p->lock);
  if (reload_due(p)) {
    p->reload_asked = 0;
    reload_locked(p);
  }
  liq_request *r = NULL;
  if (p->n > 0 && !p->ended) {
    if (p->mode == LIQ_PLAYLIST_RANDOM) {
      r = p->entries[rnd(p) % (uint64_t)p->n];
    } else {
      if (p->pos >= p->n) {
        p->rounds++;
        if (!p->loop) {
          p->ended = 1;
        } else if (p->reload_mode == LIQ_PLAYLIST_RELOAD_ROUNDS && p->reload > 0 &&
                   p->rounds >= p->reload) {
          reload_locked(p);
        } else {
          new_round(p);
        }
      }
      if (!p->ended && p->pos < p->n) r = p->entries[p->order[p->pos++]];
    }
  }
  if (r) liq_request_ref(r);
  pthread_mutex_unlock(&p->lock);
  return r;
}

static int plist_count(void *ud)
{
  plist *p = ud;
  pthread_mutex_lock(&p->lock);
  int n = p->n;
  pthread_mutex_unlock(&p->lock);
  return n;
}

static void plist_release(void *ud)
{
  plist *p = ud;
  free_entries(p);
  pthread_mutex_destroy(&p->lock);
  liq_mem_free(p->uri);
  liq_mem_free(p->path);
  liq_mem_free(p->prefix);
  liq_mem_free(p->label);
  liq_mem_free(p);
}

/* --- The source ------------------------------------------------------------- */

typedef struct playlist {
  liq_reader *reader;
  plist *pl; /* owned by the reader */
  liq_cb_string on_reload;
  double timeout;
} playlist;

static int playlist_init(liq_source *s, const void *argp)
{
  const liq_playlist_args *a = argp;
  playlist *q = liq_source_priv(s);
  q->on_reload = a->on_reload;
  q->timeout = a->timeout;
  plist *p = liq_mem_calloc(1, sizeof *p);
  pthread_mutex_init(&p->lock, NULL);
  p->uri = liq_mem_strdup(a->uri);
  p->path = liq_request_local_path(a->uri);
  p->prefix = liq_mem_strdup(a->prefix ? a->prefix : "");
  p->label = liq_mem_strdup(liq_source_id(s));
  p->mode = a->mode;
  p->pls = a->mime_type && strcmp(a->mime_type, "audio/x-scpls") == 0;
  p->loop = a->loop;
  p->reload_mode = a->reload_mode;
  p->reload = a->reload;
  p->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)p ^ 0x9E3779B97F4A7C15ull;
  if (!p->rng) p->rng = 1;
  liq_format fmt = liq_source_format(s);
  q->pl = p;
  q->reader = liq_reader_new(liq_source_id(s), fmt.samplerate, fmt.channels,
                             (liq_request_provider){plist_next, plist_count, p, plist_release});
  /* Loaded now, as 2.1.3 does at creation; a missing playlist is logged and
   * gives an empty one (it may appear later with reload). */
  liq_sb err = LIQ_SB_INIT;
  pthread_mutex_lock(&p->lock);
  if (load(p, &err) < 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Could not load playlist %s: %s", a->uri, liq_sb_str(&err));
    p->loaded_at = now_s();
    stat_mtime(p->path, &p->mtime);
  }
  pthread_mutex_unlock(&p->lock);
  liq_sb_free(&err);
  return 0;
}

static void playlist_uninit(liq_source *s)
{
  playlist *q = liq_source_priv(s);
  liq_reader_free(q->reader);
  liq_cb_string_release(&q->on_reload);
}

/* Runs on_reload on the clock thread after a reload by the worker. */
static void check_reloaded(liq_source *s)
{
  playlist *q = liq_source_priv(s);
  pthread_mutex_lock(&q->pl->lock);
  /* The URI may change under .reload(uri=): copied under the lock (only
   * after a reload). */
  char *uri = q->pl->reloaded ? liq_mem_strdup(q->pl->uri) : NULL;
  q->pl->reloaded = 0;
  pthread_mutex_unlock(&q->pl->lock);
  if (uri) liq_cb_string_call(&q->on_reload, s, uri, "on_reload");
  liq_mem_free(uri);
}

static void playlist_wake_up(liq_source *s)
{
  playlist *q = liq_source_priv(s);
  liq_reader_start(q->reader, q->timeout);
}
static void playlist_sleep(liq_source *s) { liq_reader_stop(((playlist *)liq_source_priv(s))->reader); }
static int playlist_ready(liq_source *s)
{
  check_reloaded(s);
  return liq_reader_is_ready(((playlist *)liq_source_priv(s))->reader);
}
static int64_t playlist_remaining(liq_source *s)
{
  return liq_reader_remaining(((playlist *)liq_source_priv(s))->reader);
}
static void playlist_abort(liq_source *s)
{
  liq_reader_abort_track(((playlist *)liq_source_priv(s))->reader);
}
static int64_t playlist_seek(liq_source *s, int64_t n)
{
  return liq_reader_seek(((playlist *)liq_source_priv(s))->reader, n);
}
static liq_fill playlist_fill(liq_source *s, liq_frame *f, int off, int len)
{
  return liq_reader_fill(((playlist *)liq_source_priv(s))->reader, f, off, len);
}

static const liq_source_class playlist_class = {
    .name = "playlist",
    .type = LIQ_SOURCE_PASSIVE,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(playlist),
    .init = playlist_init,
    .uninit = playlist_uninit,
    .is_ready = playlist_ready,
    .fill = playlist_fill,
    .remaining = playlist_remaining,
    .abort_track = playlist_abort,
    .seek = playlist_seek,
    .wake_up = playlist_wake_up,
    .sleep = playlist_sleep,
};

liq_source *liq_op_playlist(const char *id, const liq_playlist_args *args, liq_sb *err)
{
  return liq_source_new(&playlist_class, id, NULL, 0, args, err);
}

static plist *plist_of(liq_source *s)
{
  if (liq_source_get_class(s) != &playlist_class) return NULL;
  return ((playlist *)liq_source_priv(s))->pl;
}

void liq_playlist_reload(liq_source *s, const char *uri)
{
  plist *p = plist_of(s);
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  if (uri) {
    liq_mem_free(p->uri);
    liq_mem_free(p->path);
    p->uri = liq_mem_strdup(uri);
    p->path = liq_request_local_path(uri);
  }
  /* Loaded here (the script asked for it: its thread may wait on the disk),
   * so that the next track already comes from the new entries. */
  reload_locked(p);
  pthread_mutex_unlock(&p->lock);
}

char **liq_playlist_remaining_files(liq_source *s, int *n)
{
  plist *p = plist_of(s);
  *n = 0;
  if (!p) return NULL;
  pthread_mutex_lock(&p->lock);
  int k = p->mode == LIQ_PLAYLIST_RANDOM || p->ended ? 0 : p->n - p->pos;
  if (p->mode == LIQ_PLAYLIST_RANDOM) k = p->n;
  char **out = liq_mem_alloc((size_t)(k ? k : 1) * sizeof *out);
  for (int i = 0; i < k; i++) {
    int e = p->mode == LIQ_PLAYLIST_RANDOM ? i : p->order[p->pos + i];
    out[i] = liq_mem_strdup(liq_request_uri(p->entries[e]));
  }
  pthread_mutex_unlock(&p->lock);
  *n = k;
  return out;
}

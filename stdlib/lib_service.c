/* lib_service: running as a service: signals and daemon mode.
 *
 * Signals. cliq_run blocks SIGTERM, SIGINT and SIGHUP on the calling
 * thread before it starts any other (so every thread inherits the mask),
 * sets their actions to the default (an ignored SIGINT inherited from a
 * shell's `trap '' INT` or `&` then does not matter), and one thread takes
 * them with sigwait: no code runs in a signal handler.
 *   SIGTERM, SIGINT  first: the normal shutdown (liq_lib_request_shutdown:
 *                    the clocks stop, outputs close their files, on_shutdown
 *                    handlers run, exit status 0); second: exit at once.
 *   SIGHUP           reopen the log file (after logrotate moved it).
 * liq_lib_signals_stop ends the thread and restores the mask and actions.
 *
 * Daemon mode (cliq --daemon): fork twice, setsid, the standard streams
 * on /dev/null; the first process exits 0 once the daemon has written its
 * pid file. The working directory is kept (scripts name files relative to
 * it). Under systemd, run cliq in the foreground instead (Type=simple). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stdlib/lib.h"
#include "runtime/log.h"

static pthread_t sig_thread;
static int sig_running;
static atomic_int sig_stopping;
static sigset_t handled, old_mask;
static struct sigaction old_actions[3];
static const int signals[3] = {SIGTERM, SIGINT, SIGHUP};

static void *signal_main(void *arg)
{
  (void)arg;
  int stops = 0;
  for (;;) {
    int sig;
    if (sigwait(&handled, &sig) != 0) continue;
    if (atomic_load(&sig_stopping)) break;
    if (sig == SIGHUP) {
      char err[512];
      liq_log(LIQ_LOG_IMPORTANT, "main", "SIGHUP: reopening the log file.");
      if (liq_log_reopen(err, sizeof err) != 0) liq_log(LIQ_LOG_SEVERE, "main", "%s", err);
      continue;
    }
    if (stops++ == 0) {
      liq_log(LIQ_LOG_IMPORTANT, "main", "Shutdown started (%s)!", sig == SIGINT ? "SIGINT" : "SIGTERM");
      liq_lib_request_shutdown(0);
    } else {
      static const char msg[] = "cliq: second stop signal: exiting now\n";
      ssize_t w = write(2, msg, sizeof msg - 1);
      (void)w;
      _exit(128 + sig);
    }
  }
  return NULL;
}

void liq_lib_signals_start(void)
{
  if (sig_running) return;
  sigemptyset(&handled);
  for (int i = 0; i < 3; i++) sigaddset(&handled, signals[i]);
  pthread_sigmask(SIG_BLOCK, &handled, &old_mask);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int i = 0; i < 3; i++) sigaction(signals[i], &dfl, &old_actions[i]);
  atomic_store(&sig_stopping, 0);
  sig_running = pthread_create(&sig_thread, NULL, signal_main, NULL) == 0;
  if (!sig_running) fputs("cliq: warning: no signal thread: signals stop cliq at once\n", stderr);
}

void liq_lib_signals_stop(void)
{
  if (sig_running) {
    atomic_store(&sig_stopping, 1);
    pthread_kill(sig_thread, SIGHUP);
    pthread_join(sig_thread, NULL);
    sig_running = 0;
  }
  for (int i = 0; i < 3; i++) sigaction(signals[i], &old_actions[i], NULL);
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
}

/* --- Daemon mode --------------------------------------------------------- */

static char pidfile_path[4096];
static pid_t daemon_pid;

static int write_pidfile(const char *path)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return -1;
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
  int ok = write(fd, buf, (size_t)n) == n;
  return close(fd) == 0 && ok ? 0 : -1;
}

int liq_lib_daemonize(const char *pidfile)
{
  if (pidfile && strlen(pidfile) >= sizeof pidfile_path) {
    fputs("cliq: error: the pid file path is too long\n", stderr);
    return -1;
  }
  int ready[2];
  if (pipe(ready) != 0) {
    fprintf(stderr, "cliq: error: cannot daemonize: %s\n", strerror(errno));
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "cliq: error: cannot daemonize: %s\n", strerror(errno));
    return -1;
  }
  if (pid > 0) {
    /* The first process: wait for the daemon's word ('0': running). */
    close(ready[1]);
    char c = 0;
    ssize_t n;
    do n = read(ready[0], &c, 1);
    while (n < 0 && errno == EINTR);
    close(ready[0]);
    waitpid(pid, NULL, 0);
    if (n != 1 || c != '0') {
      fprintf(stderr, "cliq: error: the daemon could not write its pid file %s\n", pidfile ? pidfile : "");
      return -1;
    }
    return 1;
  }
  close(ready[0]);
  setsid();
  pid = fork();
  if (pid != 0) _exit(pid < 0 ? 1 : 0);
  char word = '0';
  if (pidfile) {
    if (write_pidfile(pidfile) != 0) word = '1';
    snprintf(pidfile_path, sizeof pidfile_path, "%s", pidfile);
    daemon_pid = getpid();
  }
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    if (null > 2) close(null);
  }
  ssize_t w = write(ready[1], &word, 1);
  (void)w;
  close(ready[1]);
  if (word != '0') _exit(1);
  return 0;
}

void liq_lib_daemon_cleanup(void)
{
  if (pidfile_path[0] && daemon_pid == getpid()) unlink(pidfile_path);
  pidfile_path[0] = 0;
}

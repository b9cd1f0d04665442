/* lib_process: running shell commands (process.run, process.read,
 * process.read.lines).
 *
 * A command runs as `/bin/sh -c CMD` in its own process group, stdin from
 * /dev/null, stdout and stderr collected through pipes. The environment is
 * `env` when it is not empty, else the caller's (inherit_env) or nothing,
 * as in 2.1.3. With a timeout the whole group is killed (SIGKILL) when it
 * expires, so that the shell's own children do not keep the pipes open;
 * 2.1.3 ignores its timeout outside of a sandbox, cliq honours it.
 *
 * The call blocks the evaluator holding the heap lock, like any builtin
 * (lang/eval.c's callbacks rely on that); a clock thread calling into the
 * script waits meanwhile. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "runtime/log.h"
#include "runtime/mem.h"

extern char **environ;

typedef struct {
  liq_sb out, err;
  const char *status; /* exit, killed, stopped, timeout or exception */
  int code;
  char description[128];
} run_result;

/* 2.1.3 reports signals with OCaml's numbers (Sys.sigkill = -7...). */
static int ocaml_signal(int sig)
{
  static const int table[] = {SIGABRT, SIGALRM, SIGFPE, SIGHUP, SIGILL, SIGINT, SIGKILL, SIGPIPE,
                              SIGQUIT, SIGSEGV, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD, SIGCONT, SIGSTOP,
                              SIGTSTP, SIGTTIN, SIGTTOU, SIGVTALRM, SIGPROF, SIGBUS, SIGPOLL, SIGSYS,
                              SIGTRAP, SIGURG, SIGXCPU, SIGXFSZ};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i] == sig) return -(int)i - 1;
  return sig;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The environment list as "K=V" strings (NULL-terminated, in one block
 * the caller frees), or NULL for the caller's own environment. */
static char **make_env(liq_value env, bool inherit)
{
  size_t n = liq_v_list_length(liq_v_base(env));
  if (n == 0 && inherit) return NULL;
  char **envp = liq_mem_calloc(n + 1, sizeof *envp);
  size_t i = 0;
  for (liq_value l = liq_v_base(env); l != LIQ_NIL; l = liq_v_tail(l), i++) {
    liq_value p = liq_v_base(liq_v_head(l));
    size_t kl, vl;
    const char *k = liq_to_str(liq_v_tuple_get(p, 0), &kl);
    const char *v = liq_to_str(liq_v_tuple_get(p, 1), &vl);
    envp[i] = liq_mem_alloc(kl + vl + 2);
    snprintf(envp[i], kl + vl + 2, "%s=%s", k, v);
  }
  return envp;
}

static void free_env(char **envp)
{
  if (!envp) return;
  for (char **e = envp; *e; e++) liq_mem_free(*e);
  liq_mem_free(envp);
}

/* Reads what is available on fd into sb; returns false at end of file. */
static bool drain(int fd, liq_sb *sb)
{
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    liq_sb_append(sb, buf, (size_t)n);
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

static void child(const char *cmd, int out, int err, char **envp)
{
  setpgid(0, 0);
  int in = open("/dev/null", O_RDONLY);
  if (in >= 0) dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  char *argv[] = {"sh", "-c", (char *)cmd, NULL};
  execve("/bin/sh", argv, envp ? envp : environ);
  _exit(127);
}

/* Runs cmd; timeout < 0 means none. Never raises. */
static void run(const char *cmd, char **envp, double timeout, run_result *r)
{
  memset(r, 0, sizeof *r);
  r->status = "exception";
  int po[2], pe[2];
  if (pipe(po) != 0) {
    snprintf(r->description, sizeof r->description, "pipe: %s", strerror(errno));
    return;
  }
  if (pipe(pe) != 0) {
    snprintf(r->description, sizeof r->description, "pipe: %s", strerror(errno));
    close(po[0]);
    close(po[1]);
    return;
  }
  double start = now_s();
  pid_t pid = fork();
  if (pid == 0) child(cmd, po[1], pe[1], envp);
  close(po[1]);
  close(pe[1]);
  if (pid < 0) {
    snprintf(r->description, sizeof r->description, "fork: %s", strerror(errno));
    close(po[0]);
    close(pe[0]);
    return;
  }
  setpgid(pid, pid); /* also in the child: whichever runs first */
  struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
  liq_sb *sbs[2] = {&r->out, &r->err};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    int wait_ms = -1;
    if (timeout >= 0) {
      double left = start + timeout - now_s();
      if (left <= 0) {
        timed_out = true;
        kill(-pid, SIGKILL);
        break;
      }
      wait_ms = (int)ceil(left * 1000);
    }
    if (poll(fds, 2, wait_ms) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (!drain(fds[i].fd, sbs[i])) {
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (fds[i].fd >= 0) close(fds[i].fd);
  /* The pipes may close before the process ends (exec >&-): the timeout
   * still holds while waiting for it. */
  int st = 0;
  while (!timed_out && timeout >= 0) {
    pid_t w = waitpid(pid, &st, WNOHANG);
    if (w == pid || (w < 0 && errno != EINTR)) break;
    if (now_s() >= start + timeout) {
      timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    struct timespec pause = {0, 10 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  if (timed_out || timeout < 0)
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
  if (timed_out) {
    r->status = "timeout";
    snprintf(r->description, sizeof r->description, "%g", now_s() - start);
  } else if (WIFEXITED(st)) {
    r->status = "exit";
    r->code = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    r->status = "killed";
    r->code = ocaml_signal(WTERMSIG(st));
  } else {
    r->status = "stopped";
    r->code = ocaml_signal(WSTOPSIG(st));
  }
}

/* Reads the common arguments and runs the command. */
static void run_call(liq_call *c, double timeout, run_result *r)
{
  const char *cmd = liq_arg_str(c, 0, NULL);
  bool inherit = liq_v_base(liq_arg_label(c, "inherit_env", LIQ_TRUE)) == LIQ_TRUE;
  char **envp = make_env(liq_arg_label(c, "env", LIQ_NIL), inherit);
  run(cmd, envp, timeout, r);
  free_env(envp);
}

LIQ_BUILTIN(b_run)
{
  liq_value t = liq_v_base(liq_arg_label(c, "timeout", LIQ_NULL));
  run_result r;
  run_call(c, t == LIQ_NULL ? -1 : liq_to_float(t), &r);
  liq_value *out = liq_eval_push(liq_v_string_sb(&r.out));
  liq_value *err = liq_eval_push(liq_v_string_sb(&r.err));
  liq_value *desc = liq_eval_push(liq_v_cstring(r.description));
  liq_value *st = liq_eval_push(liq_v_cstring(r.status));
  liq_sym sn[2] = {liq_sym_permanent("description"), liq_sym_permanent("code")};
  liq_value sv[2] = {*desc, liq_v_int(r.code)};
  *st = liq_v_meths_add(*st, 2, sn, sv);
  liq_sym names[3] = {liq_sym_permanent("status"), liq_sym_permanent("stderr"), liq_sym_permanent("stdout")};
  liq_value vals[3] = {*st, *err, *out};
  liq_value res = liq_v_record(3, names, vals);
  liq_eval_pop(4);
  return res;
}

/* process.read and process.read.lines: the output, whatever the status
 * (logged unless log_errors is false). */
static liq_value read_output(liq_call *c)
{
  run_result r;
  run_call(c, liq_to_float(liq_arg_label(c, "timeout", liq_v_float(-1))), &r);
  bool log_errors = liq_v_base(liq_arg_label(c, "log_errors", LIQ_TRUE)) == LIQ_TRUE;
  if (log_errors && (strcmp(r.status, "exit") != 0 || r.code != 0))
    liq_log(LIQ_LOG_IMPORTANT, "process", "Command %s returned with status %s (code %d%s%s); stderr: %.*s",
            liq_arg_str(c, 0, NULL), r.status, r.code, r.description[0] ? ", " : "", r.description,
            (int)r.err.len, r.err.data ? r.err.data : "");
  liq_sb_free(&r.err);
  return liq_v_string_sb(&r.out);
}

LIQ_BUILTIN(b_read)
{
  return read_output(c);
}

/* Lines split at \n, without a last empty line for a final newline. */
LIQ_BUILTIN(b_read_lines)
{
  liq_value *out = liq_eval_push(read_output(c));
  liq_value *acc = liq_eval_push(LIQ_NIL);
  size_t len = liq_v_string_len(*out);
  size_t end = len;
  if (end > 0 && liq_v_string_bytes(*out)[end - 1] == '\n') end--;
  /* Build from the last line back; no output at all is no line. */
  for (size_t stop = end, i = end; len > 0; i--) {
    if (i == 0 || liq_v_string_bytes(*out)[i - 1] == '\n') {
      liq_value line = liq_v_string(liq_v_string_bytes(*out) + i, stop - i);
      *acc = liq_v_cons(line, *acc);
      if (i == 0) break;
      stop = i - 1;
    }
  }
  liq_value r = *acc;
  liq_eval_pop(2);
  return r;
}

#define PROC_ARGS "?timeout : float, ?env : [(string * string)], ?inherit_env : bool, ?log_errors : bool, string"
static const liq_builtin_def process_defs[] = {
  {"process.run",
   "(?env : [(string * string)], ?inherit_env : bool, ?rwdirs : [string], ?rodirs : [string], ?network : bool?, "
   "?timeout : float?, string) -> unit.{status : string.{code : int, description : string}, stderr : string, "
   "stdout : string}",
   "Run a process in a shell environment (/bin/sh -c). Returns the standard output and standard error, and the "
   "status as methods: \"exit\" (the code is the exit status), \"killed\" or \"stopped\" (the code is the "
   "signal), \"timeout\" (the description is the run time; the process group was killed) or \"exception\" "
   "(the description says why). `env`, when not empty, is the whole environment; otherwise the caller's is "
   "used when `inherit_env`. cliq has no sandbox: rwdirs, rodirs and network are accepted and ignored, as "
   "2.1.3 does without one.",
   "System", b_run},
  {"process.read", "(" PROC_ARGS ") -> string",
   "Perform a shell call and return its output (a negative timeout means none; log_errors logs a failure).",
   "System", b_read},
  {"process.read.lines", "(" PROC_ARGS ") -> [string]",
   "Perform a shell call and return the list of its output lines.", "System", b_read_lines},
};

const liq_lib_module liq_lib_process = {"process", process_defs, LIQ_NELEMS(process_defs), NULL, NULL};

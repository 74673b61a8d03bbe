/* tests/test_gdb.c — the gdb server (gdb/) and the debugger's control API
 * under it (kernel/query.h).
 *
 * Three kinds of test:
 *   - the target without gdb: breakpoints, watchpoints, signal stops and
 *     memory with a debugger's rights, called directly on a process, on
 *     both engines (the same stops at the same instruction counts);
 *   - the real gdb-multiarch in batch mode against `vmlab run --gdb 0`
 *     (vmlab picks a free port and names it on stderr), for what a student
 *     does: break and bt, next/step/finish, print and set, watch, a
 *     SIGSEGV with $_siginfo, monitor commands, detach, kill;
 *   - a raw socket client for what gdb never sends: malformed packets, a
 *     bad checksum, a huge length, Ctrl-C, a disconnect while running.
 * Every child has a time limit and is killed if it outlives it.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gdb/target.h"
#include "kernel/proc.h"
#include "kernel/query.h"
#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 60

static void check_contains(const char *hay, const char *needle, const char *what)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "\n%s: expected \"%s\" in:\n%s\n", what, needle, hay);
        CU_FAIL("expected text missing");
    }
}

/* The address of a symbol of a guest, from its symbol table. */
static uint32_t symbol(const char *guest, const char *name)
{
    char *argv[] = { "riscv64-unknown-elf-nm", (char *)test_path(guest), NULL };
    struct run_result r;
    uint32_t a = 0;
    if (run_cmd(argv, NULL, NULL, TIMEOUT, &r) == 0) {
        char pat[64];
        snprintf(pat, sizeof pat, " %s\n", name);
        for (char *l = r.out; (l = strstr(l, pat)); l++) {
            char *bol = l;
            while (bol > r.out && bol[-1] != '\n')
                bol--;
            a = (uint32_t)strtoul(bol, NULL, 16);
            break;
        }
    }
    run_free(&r);
    CHECK(a != 0, "symbol %s in %s", name, guest);
    return a;
}

/* ---------------------------------------------------------------------------
 * The target, without gdb */

static struct proc *debuggee(const char *guest, bool interp)
{
    char *argv[] = { (char *)test_path(guest), NULL };
    char *envp[] = { "A=1", NULL };
    struct proc_options o = { .mem_size = 8 << 20, .interp = interp };
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    if (!p)
        fprintf(stderr, "proc_create(%s): %s\n", argv[0], err);
    else
        kq_debug_attach(p, true);
    return p;
}

static uint64_t insns(struct proc *p)
{
    struct kq_cpu c;
    kq_cpu(p, &c);
    return c.instret;
}

static bool running(struct proc *p)
{
    struct kq_state st;
    kq_state(p, &st);
    return st.running;
}

/* Breakpoints stop both engines before the same instruction, every time
 * it is reached; resuming passes the one at pc; a run with breakpoints
 * that only continues retires as many instructions as one without. */
static void test_target_breakpoints(void)
{
    uint32_t square = symbol("guests/debugme", "square");
    uint64_t at[2][3] = { { 0 } }, total[2] = { 0 };
    for (int interp = 0; interp < 2; interp++) {
        struct proc *p = debuggee("guests/debugme", interp);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(kq_break_insert(p, square), 0);
        for (int i = 0; i < 3; i++) {
            unsigned hit = kq_resume(p, UINT64_MAX / 2, 0, true);
            CHECK(hit & KQ_STOP_BREAK, "interp %d: stop %d is a breakpoint (0x%x)", interp, i, hit);
            uint32_t pc = 0;
            kq_reg(p, KQ_REG_PC, &pc);
            CHECK(pc == square, "interp %d: stopped at 0x%08x, not square 0x%08x", interp, pc, square);
            at[interp][i] = insns(p);
        }
        CU_ASSERT_EQUAL(kq_break_remove(p, square), 0);
        CU_ASSERT_EQUAL(kq_break_remove(p, square), -ENOENT);
        CU_ASSERT_EQUAL(kq_resume(p, UINT64_MAX / 2, 0, true) & KQ_STOP_DEBUG, 0);
        CU_ASSERT_FALSE(running(p));
        total[interp] = insns(p);
        proc_destroy(p);
    }
    for (int i = 0; i < 3; i++)
        CHECK(at[0][i] == at[1][i] && at[0][i], "stop %d: %llu translated, %llu interpreted", i,
              (unsigned long long)at[0][i], (unsigned long long)at[1][i]);
    struct proc *p = debuggee("guests/debugme", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kq_run(p, UINT64_MAX / 2, 0);
    CHECK(insns(p) == total[0] && total[0] == total[1], "retired %llu without breakpoints, "
          "%llu and %llu with", (unsigned long long)insns(p), (unsigned long long)total[0],
          (unsigned long long)total[1]);
    proc_destroy(p);
}

/* A write watch on `counter` stops right after each store to it, with
 * the new value in memory, at the same count on both engines; a read
 * watch on `limit` stops after the load. */
static void test_target_watchpoints(void)
{
    uint32_t counter = symbol("guests/debugme", "counter");
    uint32_t limit = symbol("guests/debugme", "limit");
    uint64_t at[2][3];
    for (int interp = 0; interp < 2; interp++) {
        struct proc *p = debuggee("guests/debugme", interp);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(kq_watch_insert(p, counter, 4, KQ_WATCH_WRITE), 0);
        CU_ASSERT_EQUAL(kq_watch_insert(p, counter, 0, KQ_WATCH_WRITE), -EINVAL);
        for (int i = 0; i < 3; i++) {
            unsigned hit = kq_resume(p, UINT64_MAX / 2, 0, true);
            struct kq_stop why;
            kq_stop(p, &why);
            uint32_t v = 0;
            CU_ASSERT_EQUAL(kq_peek(p, counter, &v, 4), 4);
            CHECK((hit & KQ_STOP_WATCH) && why.watch_addr == counter &&
                  why.watch_kind == KQ_WATCH_WRITE && v == (uint32_t)i + 1,
                  "interp %d, stop %d: hit 0x%x at 0x%08x, counter %u", interp, i, hit,
                  why.watch_addr, v);
            at[interp][i] = insns(p);
        }
        CU_ASSERT_EQUAL(kq_watch_remove(p, counter, 4, KQ_WATCH_WRITE), 0);
        CU_ASSERT_EQUAL(kq_watch_insert(p, limit, 4, KQ_WATCH_READ), 0);
        unsigned hit = kq_resume(p, UINT64_MAX / 2, 0, true);
        struct kq_stop why;
        kq_stop(p, &why);
        CHECK((hit & KQ_STOP_WATCH) && why.watch_kind == KQ_WATCH_READ && why.watch_addr == limit,
              "interp %d: read watch: hit 0x%x at 0x%08x", interp, hit, why.watch_addr);
        kq_watch_remove(p, limit, 4, KQ_WATCH_READ);
        kq_resume(p, UINT64_MAX / 2, 0, true);
        CU_ASSERT_FALSE(running(p));
        proc_destroy(p);
    }
    for (int i = 0; i < 3; i++)
        CHECK(at[0][i] == at[1][i], "watch stop %d: %llu translated, %llu interpreted", i,
              (unsigned long long)at[0][i], (unsigned long long)at[1][i]);
}

/* A fault stops before its signal is delivered; discarding it runs the
 * instruction again (the same stop); delivering it kills the process. */
static void test_target_signals(void)
{
    struct proc *p = debuggee("guests/null_deref", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p->opt.core_limit = 0;
    unsigned hit = kq_resume(p, UINT64_MAX / 2, 0, true);
    struct kq_stop why;
    kq_stop(p, &why);
    CHECK((hit & KQ_STOP_SIGNAL) && why.signo == SIGSEGV && why.addr == 4 &&
          why.code == SEGV_MAPERR, "stop 0x%x: signal %d at 0x%x code %d", hit, why.signo,
          why.addr, why.code);
    uint8_t si[KQ_SIGINFO_SIZE];
    CU_ASSERT_EQUAL(kq_siginfo(p, si), KQ_SIGINFO_SIZE);
    CU_ASSERT_EQUAL(si[0], SIGSEGV);
    CU_ASSERT_EQUAL(si[12], 4);                   /* si_addr */
    uint32_t pc0, pc1;
    kq_reg(p, KQ_REG_PC, &pc0);
    uint64_t n0 = insns(p);
    kq_deliver(p, 0);                             /* signal 0: discard */
    hit = kq_resume(p, UINT64_MAX / 2, 0, true);
    kq_reg(p, KQ_REG_PC, &pc1);
    CHECK((hit & KQ_STOP_SIGNAL) && pc1 == pc0 && insns(p) == n0,
          "discarded: the store faults again at 0x%08x (was 0x%08x)", pc1, pc0);
    kq_deliver(p, SIGSEGV);                       /* continue: the default action */
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT_FALSE(st.running);
    CU_ASSERT_EQUAL(st.term_sig, SIGSEGV);
    proc_destroy(p);
}

/* Reading a page never touched gives its contents without faulting it in;
 * writing read-only text works and leaves its permissions; an address in
 * no segment is an error. */
static void test_target_memory(void)
{
    struct proc *p = debuggee("guests/debugme", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    struct kq_segment seg[16];
    int n = kq_segments(p, seg, 16);
    uint32_t resident = 0;
    for (int i = 0; i < n; i++)
        resident += seg[i].resident;
    struct kq_counters before, after;
    kq_counters(p, &before);
    uint8_t elf[4];
    CU_ASSERT_EQUAL(kq_peek(p, 0x10000, elf, 4), 4);   /* text, not touched yet */
    CU_ASSERT_EQUAL(memcmp(elf, "\177ELF", 4), 0);
    uint32_t stack_lo = 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(seg[i].name, "stack"))
            stack_lo = seg[i].start;
    uint32_t z = 1;
    CU_ASSERT_EQUAL(kq_peek(p, stack_lo, &z, 4), 4);    /* an untouched stack page */
    CU_ASSERT_EQUAL(z, 0);
    kq_counters(p, &after);
    uint32_t resident2 = 0;
    kq_segments(p, seg, 16);
    for (int i = 0; i < n; i++)
        resident2 += seg[i].resident;
    CHECK(resident2 == resident && after.faults_zero == before.faults_zero &&
          after.faults_file == before.faults_file, "reads faulted pages in: %u -> %u resident",
          resident, resident2);
    uint32_t square = symbol("guests/debugme", "square"), word = 0x00000013, back = 0;
    CU_ASSERT_EQUAL(kq_poke(p, square, &word, 4), 4);
    CU_ASSERT_EQUAL(kq_peek(p, square, &back, 4), 4);
    CU_ASSERT_EQUAL(back, word);
    kq_segments(p, seg, 16);
    CU_ASSERT_EQUAL(seg[0].perms, 5u);                  /* text stays r-x */
    CU_ASSERT_EQUAL(kq_peek(p, 0x1000, &z, 4), 0);      /* no segment */
    CU_ASSERT_EQUAL(kq_poke(p, 0x1000, &z, 4), 0);
    proc_destroy(p);

    /* under memory pressure: a page on swap reads as it is, from its slot,
     * and stays there (nothing counted, nothing brought in) */
    char *argv[] = { (char *)test_path("guests/matrix"), NULL };
    char *envp[] = { NULL };
    struct proc_options o = { .mem_size = 160 << 10, .swap_size = 16 << 20 };
    char err[256];
    p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kq_debug_attach(p, true);
    uint32_t a = symbol("guests/matrix", "a");
    kq_resume(p, 20000000, 0, true);                    /* in the first product */
    kq_counters(p, &before);
    bool swapped = false;
    for (uint32_t va = a; va < a + 57600; va += 4096) {
        uint32_t word = 0;
        CU_ASSERT_EQUAL(kq_peek(p, va, &word, 4), 4);
        CU_ASSERT(word < 4096);                          /* a[i][j] is x >> 20 */
        int levels;
        uint64_t pa, pte_addr[2];
        uint32_t pte[2];
        kq_walk(p, va, 1, &levels, pte_addr, pte, &pa);
        swapped |= levels == 2 && !(pte[1] & 1) && (pte[1] >> 8 & 3) == 2;
    }
    kq_counters(p, &after);
    CU_ASSERT(swapped);
    CHECK(after.swap_reads == before.swap_reads && after.faults_major == before.faults_major &&
          after.rss == before.rss, "peeking changed the swap counters: reads %llu -> %llu",
          (unsigned long long)before.swap_reads, (unsigned long long)after.swap_reads);
    proc_destroy(p);
}

/* ---------------------------------------------------------------------------
 * vmlab run --gdb 0 */

struct session {
    int   pid;
    int   port;
    char  out[64], err[64];      /* temporary files for vmlab's stdout and stderr */
    char *outtext, *errtext;     /* their contents once it has ended */
    int   status;
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    fclose(m);
    fclose(f);
    return buf;
}

/* Start `vmlab run --gdb 0 ARGS...` and wait (at most 30 s) for the line
 * that names its port.  Returns false (after a failure) if it does not
 * come. */
static bool start_in(struct session *s, const char *const *args, int in_fd);

static bool start(struct session *s, const char *const *args)
{
    return start_in(s, args, -1);
}

/* start, with vmlab's stdin from in_fd (-1: /dev/null). */
static bool start_in(struct session *s, const char *const *args, int in_fd)
{
    memset(s, 0, sizeof *s);
    snprintf(s->out, sizeof s->out, "/tmp/vmlab-gdbtest-out-XXXXXX");
    snprintf(s->err, sizeof s->err, "/tmp/vmlab-gdbtest-err-XXXXXX");
    int fo = mkstemp(s->out), fe = mkstemp(s->err);
    CU_ASSERT_FATAL(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)test_path("vmlab");
    argv[n++] = "run";
    argv[n++] = "--gdb";
    argv[n++] = "0";
    for (; *args && n < 31; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    s->pid = run_spawn_in(argv, in_fd, s->out, s->err);
    CU_ASSERT_FATAL(s->pid > 0);
    for (int tries = 0; tries < 3000; tries++) {
        char *e = slurp(s->err);
        const char *at = strstr(e, "waiting for gdb on 127.0.0.1:");
        if (at)
            s->port = atoi(at + strlen("waiting for gdb on 127.0.0.1:"));
        free(e);
        if (s->port > 0)
            return true;
        if ((s->status = run_poll(s->pid)) >= 0) {
            s->pid = 0;                           /* it ended without listening */
            break;
        }
        usleep(10000);
    }
    CU_FAIL("vmlab --gdb did not say where it listens");
    return false;
}

/* Wait (at most timeout_s) for vmlab to end, killing it after that; read
 * what it printed and remove the files. */
static void finish(struct session *s, int timeout_s)
{
    if (s->pid > 0) {
        s->status = run_reap(s->pid, timeout_s);
        if (s->status == -2)
            CU_FAIL("vmlab --gdb did not end in time (killed)");
    }
    s->outtext = slurp(s->out);
    s->errtext = slurp(s->err);
    unlink(s->out);
    unlink(s->err);
}

static void done(struct session *s)
{
    free(s->outtext);
    free(s->errtext);
}

/* gdb-multiarch -batch on s's port with these commands (-ex each). */
static void gdb(const struct session *s, const char *prog, const char *const *cmds,
                struct run_result *r)
{
    char *argv[64], target[64];
    int n = 0;
    snprintf(target, sizeof target, "target remote :%d", s->port);
    argv[n++] = "gdb-multiarch";
    argv[n++] = "-nx";
    argv[n++] = "-batch";
    argv[n++] = "-ex";
    argv[n++] = target;
    for (; *cmds && n < 60; cmds++) {
        argv[n++] = "-ex";
        argv[n++] = (char *)*cmds;
    }
    argv[n++] = (char *)test_path(prog);
    argv[n] = NULL;
    CU_ASSERT_EQUAL(run_cmd(argv, NULL, NULL, TIMEOUT, r), 0);
    CU_ASSERT_FALSE(r->timed_out);
    /* gdb prints monitor output and some notes on stderr: look at both */
    char *all = malloc(r->outlen + r->errlen + 1);
    if (all) {
        memcpy(all, r->out, r->outlen);
        memcpy(all + r->outlen, r->err, r->errlen + 1);
        free(r->out);
        r->out = all;
        r->outlen += r->errlen;
    }
}

/* One whole session: vmlab with args, gdb with cmds; s and r hold what
 * both printed (the caller frees them with done and run_free). */
static bool session(struct session *s, struct run_result *r, const char *prog,
                    const char *const *args, const char *const *cmds)
{
    if (!start(s, args)) {
        finish(s, 1);
        memset(r, 0, sizeof *r);
        r->out = strdup("");
        r->err = strdup("");
        return false;
    }
    gdb(s, prog, cmds, r);
    finish(s, TIMEOUT);
    return true;
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_gdb_break_bt(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/debugme", ARGS(test_path("guests/debugme")),
                ARGS("break square", "continue", "bt", "info registers pc"))) {
        check_contains(r.out, "Breakpoint 1, square (v=1) at guests/debugme.c", "gdb");
        check_contains(r.out, "#1  0x", "gdb bt");
        check_contains(r.out, "in add_up (n=3) at guests/debugme.c", "gdb bt");
        check_contains(r.out, "in main () at guests/debugme.c", "gdb bt");
        check_contains(r.out, "<square+", "gdb info registers");
        CU_ASSERT_EQUAL(s.status, 137);           /* gdb quits: it kills what it started */
        check_contains(s.errtext, "killed by the debugger", "vmlab stderr");
    }
    run_free(&r);
    done(&s);
}

/* A thread faults under gdb: the stop names it; info threads lists both
 * with their states, each thread's registers and backtrace are its own. */
static void test_gdb_threads(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "tests/guests/threads_raw",
                ARGS("--no-core", test_path("tests/guests/threads_raw"), "segv"),
                ARGS("continue", "info threads", "thread apply all bt", "thread 1", "p $pc"))) {
        check_contains(r.out, "received signal SIGSEGV", "gdb: the fault stops");
        check_contains(r.out, "* 2    Thread ", "gdb: the faulting thread is current");
        check_contains(r.out, "\"threads_raw: futex wait on 0x", "gdb: main's state");
        check_contains(r.out, "in crash (i=0) at tests/guests/threads_raw.c", "gdb bt, thread 2");
        check_contains(r.out, "join (t=", "gdb bt, thread 1");
        check_contains(r.out, "<join+", "gdb: thread 1's own pc");
    }
    run_free(&r);
    done(&s);
}

/* A deadlock under gdb stops with SIGKILL held instead of killing at
 * once: info threads and bt show who waits for whom; signal 0 looks again
 * and stops again; continue delivers SIGKILL. */
static void test_gdb_deadlock(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/deadlock", ARGS(test_path("guests/deadlock")),
                ARGS("continue", "info threads", "signal 0", "thread 2", "bt", "continue"))) {
        check_contains(r.out, "received signal SIGKILL", "gdb: the deadlock stops");
        check_contains(r.out, "\"deadlock: futex wait on 0x", "gdb: the threads' waits");
        check_contains(r.out, "in pthread_mutex_lock (m=", "gdb bt of a waiting thread");
        check_contains(r.out, "in worker (arg=", "gdb bt of a waiting thread");
        check_contains(r.out, "Program terminated with signal SIGKILL", "gdb: continue kills");
        check_contains(s.errtext, "vmlab: deadlock: stopped for the debugger", "vmlab stderr");
        const char *second = strstr(s.errtext, "stopped for the debugger");
        CHECK(second && strstr(second + 1, "stopped for the debugger"),
              "signal 0 did not find the deadlock again:\n%s", s.errtext);
        CU_ASSERT_EQUAL(s.status, 137);
    }
    run_free(&r);
    done(&s);
}

/* Two threads in the same loop, stopped at a breakpoint: putting the
 * other one on the hart (what a step of a named thread does) and stepping
 * moves that thread's pc only; a thread in a futex wait cannot be put
 * there. */
static void test_target_thread_step(void)
{
    uint32_t adder = symbol("tests/guests/threads_raw", "adder");
    char *argv[] = { (char *)test_path("tests/guests/threads_raw"), "race", "1000000", NULL };
    char *envp[] = { "A=1", NULL };
    struct proc_options o = { .mem_size = 8 << 20 };
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kq_debug_attach(p, true);
    int tids[4] = { 0 };
    CU_ASSERT_EQUAL(kq_break_insert(p, adder), 0);
    for (int i = 0; i < 2; i++)                 /* each adder thread stops at its entry */
        CHECK(kq_resume(p, UINT64_MAX / 2, 0, true) & KQ_STOP_BREAK, "stop %d", i);
    CU_ASSERT_EQUAL(kq_break_remove(p, adder), 0);
    CU_ASSERT_EQUAL_FATAL(kq_threads(p, tids, 4), 3);
    int main_tid = tids[0], first = tids[1], second = tids[2];
    CU_ASSERT_EQUAL(kq_current_tid(p), second);
    uint32_t pc1 = 0, pc2 = 0, pc1b = 0, pc2b = 0;
    kq_thread_reg(p, first, KQ_REG_PC, &pc1);
    kq_thread_reg(p, second, KQ_REG_PC, &pc2);
    CU_ASSERT_FALSE(tgt_select(p, main_tid));  /* waits in join */
    CU_ASSERT_TRUE(tgt_select(p, first));
    CU_ASSERT_EQUAL(kq_current_tid(p), first);
    kq_resume(p, 1, KQ_STOP_SYSCALL, true);
    kq_thread_reg(p, first, KQ_REG_PC, &pc1b);
    kq_thread_reg(p, second, KQ_REG_PC, &pc2b);
    CHECK(pc1b != pc1, "the selected thread did not step (0x%08x)", pc1);
    CHECK(pc2b == pc2, "the other thread moved: 0x%08x, then 0x%08x", pc2, pc2b);
    proc_destroy(p);
}

static void test_gdb_next_step_finish(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/debugme", ARGS(test_path("guests/debugme")),
                ARGS("break add_up", "continue", "next", "next", "step", "bt 1", "finish",
                     "continue"))) {
        check_contains(r.out, "Breakpoint 1, add_up (n=3)", "gdb");
        check_contains(r.out, "35\t    for (int i = 1; i <= n; i++) {", "gdb next");
        check_contains(r.out, "36\t        total += square(i);", "gdb next");
        check_contains(r.out, "square (v=1) at guests/debugme.c:28", "gdb step");
        check_contains(r.out, "in add_up (n=3) at guests/debugme.c:36\n36\t        total += "
                       "square(i);\nValue returned is $1 = 1", "gdb finish");
        check_contains(r.out, "exited normally", "gdb continue");
        CU_ASSERT_EQUAL(s.status, 0);
        check_contains(s.outtext, "sum of the squares 1..3 = 14 (3 added)", "program output");
    }
    run_free(&r);
    done(&s);
}

static void test_gdb_print_set(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/debugme", ARGS(test_path("guests/debugme")),
                ARGS("break square", "continue", "finish", "print total",
                     "set var total = 100", "print total", "print limit",
                     "set var limit = 5", "print limit", "delete", "continue"))) {
        check_contains(r.out, "$2 = 0", "gdb print a local");
        check_contains(r.out, "$3 = 100", "gdb set a local");
        check_contains(r.out, "$4 = 3", "gdb print a global");
        check_contains(r.out, "$5 = 5", "gdb set a global");
        /* total 100 + 1 + 4 + 9; and main prints the new limit */
        check_contains(s.outtext, "sum of the squares 1..5 = 114 (3 added)", "program output");
        CU_ASSERT_EQUAL(s.status, 0);
    }
    run_free(&r);
    done(&s);
}

static void test_gdb_watch(void)
{
    for (int interp = 0; interp < 2; interp++) {
        struct session s;
        struct run_result r;
        const char *const *args = interp ? ARGS("--interp", test_path("guests/debugme"))
                                         : ARGS(test_path("guests/debugme"));
        if (session(&s, &r, "guests/debugme", args,
                    ARGS("watch counter", "continue", "bt 1", "continue", "delete",
                         "continue"))) {
            check_contains(r.out, "Hardware watchpoint 1: counter", "gdb watch");
            check_contains(r.out, "Old value = 0\nNew value = 1", "gdb watch");
            check_contains(r.out, "Old value = 1\nNew value = 2", "gdb watch");
            check_contains(r.out, "in add_up (n=3) at guests/debugme.c", "gdb watch: where");
            check_contains(r.out, "exited normally", "gdb");
            CU_ASSERT_EQUAL(s.status, 0);
            check_contains(s.outtext, "= 14 (3 added)", "program output");
        }
        run_free(&r);
        done(&s);
    }
}

static void test_gdb_sigsegv(void)
{
    char dir[] = "/tmp/vmlab-gdbtest-XXXXXX", pattern[64], core[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(pattern, sizeof pattern, "%s/core.%%e", dir);
    snprintf(core, sizeof core, "%s/core.null_deref", dir);
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/null_deref",
                ARGS("--core-pattern", pattern, test_path("guests/null_deref")),
                ARGS("continue", "p $_siginfo._sifields._sigfault.si_addr", "p $_siginfo.si_code",
                     "bt", "monitor explain", "info proc mappings", "continue"))) {
        check_contains(r.out, "Program received signal SIGSEGV, Segmentation fault.", "gdb");
        check_contains(r.out, "save_score (r=r@entry=0x0, score=score@entry=42)", "gdb");
        check_contains(r.out, "$1 = (void *) 0x4", "gdb $_siginfo");
        check_contains(r.out, "$2 = 1", "gdb $_siginfo (SEGV_MAPERR)");
        check_contains(r.out, "in enter_score", "gdb bt");
        check_contains(r.out, "is stopped by SIGSEGV (Segmentation fault), SEGV_MAPERR",
                       "monitor explain");
        check_contains(r.out, "a NULL pointer dereference", "monitor explain");
        check_contains(r.out, "leaf PTE V=0: no page is mapped at this address", "monitor explain");
        check_contains(r.out, "[stack]", "info proc mappings");
        check_contains(r.out, "guests/null_deref", "info proc mappings");
        check_contains(r.out, "Program terminated with signal SIGSEGV", "gdb continue");
        CU_ASSERT_EQUAL(s.status, 139);
        CU_ASSERT_EQUAL(access(core, R_OK), 0);   /* delivered: the core is written */
    }
    unlink(core);
    rmdir(dir);
    run_free(&r);
    done(&s);
}

static void test_gdb_monitor(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/write_text", ARGS(test_path("guests/write_text")),
                ARGS("break main", "continue", "monitor maps", "monitor walk 0x10000",
                     "monitor perm text=rwx", "monitor perm nosuch=rw", "monitor stats",
                     "monitor frames", "monitor tlb", "monitor help", "monitor explain",
                     "monitor frobnicate", "continue"))) {
        check_contains(r.out, " r-xp 00000000 text ", "monitor maps");
        check_contains(r.out, "store: leaf PTE has W=0: a store is not allowed", "monitor walk");
        check_contains(r.out, " rwxp 00000000 text ", "monitor perm");
        check_contains(r.out, "no segment named 'nosuch'", "monitor perm: a bad name");
        check_contains(r.out, "instructions retired", "monitor stats");
        check_contains(r.out, "page table: the root (satp)", "monitor frames");
        check_contains(r.out, "Data TLB: 65536 entries", "monitor tlb");
        check_contains(r.out, "monitor walk ADDR", "monitor help");
        check_contains(r.out, "stopped at a breakpoint, not by a signal", "monitor explain");
        check_contains(r.out, "unknown monitor command \"frobnicate\"", "monitor");
        check_contains(r.out, "exited normally", "gdb continue");
        check_contains(s.outtext, "the store succeeded: text was writable", "program output");
        CU_ASSERT_EQUAL(s.status, 0);
    }
    run_free(&r);
    done(&s);
}

/* `signal 0` discards the SIGSEGV: once text is writable, the store that
 * faulted runs again and succeeds. */
static void test_gdb_discard(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/write_text", ARGS(test_path("guests/write_text")),
                ARGS("continue", "monitor perm text=rwx", "signal 0"))) {
        check_contains(r.out, "Program received signal SIGSEGV", "gdb");
        check_contains(r.out, "exited normally", "gdb signal 0");
        check_contains(s.outtext, "answer() now returns 2", "program output");
        CU_ASSERT_EQUAL(s.status, 0);
    }
    run_free(&r);
    done(&s);
}

static void test_gdb_detach_kill(void)
{
    struct session s;
    struct run_result r;
    if (session(&s, &r, "guests/debugme", ARGS(test_path("guests/debugme")),
                ARGS("break square", "continue", "watch counter", "detach"))) {
        check_contains(r.out, "detached]", "gdb detach");
        CU_ASSERT_EQUAL(s.status, 0);             /* it ran on, no breakpoint left */
        check_contains(s.outtext, "sum of the squares 1..3 = 14 (3 added)", "program output");
    }
    run_free(&r);
    done(&s);
    if (session(&s, &r, "guests/debugme", ARGS(test_path("guests/debugme")),
                ARGS("break square", "continue", "kill"))) {
        check_contains(r.out, "killed", "gdb kill");
        CU_ASSERT_EQUAL(s.status, 137);
        CU_ASSERT_PTR_NULL(strstr(s.outtext, "sum of the squares"));
    }
    run_free(&r);
    done(&s);
}

/* A run that gdb only continues: the same output, status and counters as
 * without gdb (the engine's own counters aside: gdb's run comes in
 * stretches, so the interpreter finishes more of them). */
static void test_gdb_same_counts(void)
{
    for (int interp = 0; interp < 2; interp++) {
        const char *prog = test_path("guests/matrix");
        struct run_result plain;
        char *argv[6] = { (char *)test_path("vmlab"), "run", "--stats" };
        int n = 3;
        if (interp)
            argv[n++] = "--interp";
        argv[n++] = (char *)prog;
        argv[n] = NULL;
        CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, TIMEOUT, &plain), 0);
        struct session s;
        struct run_result r;
        const char *const *args = interp ? ARGS("--stats", "--interp", prog) : ARGS("--stats", prog);
        if (session(&s, &r, "guests/matrix", args, ARGS("continue"))) {
            CU_ASSERT_EQUAL(s.status, plain.status);
            CU_ASSERT_STRING_EQUAL(s.outtext, plain.out);
            /* every stats line but the engine's */
            const char *a = strstr(plain.err, "--- vmlab stats ---"), *b = strstr(s.errtext, "--- vmlab stats ---");
            CU_ASSERT_PTR_NOT_NULL_FATAL(a);
            CU_ASSERT_PTR_NOT_NULL_FATAL(b);
            while (*a && *b) {
                size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
                if (strncmp(a, "interpreter decoded", 19) && strncmp(a, "translated blocks", 17) &&
                    strncmp(a, "vmlab's own memory", 18))
                    CHECK(la == lb && !strncmp(a, b, la), "stats differ: \"%.*s\" vs \"%.*s\"",
                          (int)la, a, (int)lb, b);
                a += la + (a[la] != 0);
                b += lb + (b[lb] != 0);
            }
            CU_ASSERT_EQUAL(*a, *b);
        }
        run_free(&plain);
        run_free(&r);
        done(&s);
    }
}

/* ---------------------------------------------------------------------------
 * A raw client */

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void put(int fd, const char *raw)
{
    size_t n = strlen(raw);
    CU_ASSERT_EQUAL(send(fd, raw, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void put_packet(int fd, const char *payload)
{
    unsigned sum = 0;
    for (const char *c = payload; *c; c++)
        sum += (unsigned char)*c;
    char *buf = malloc(strlen(payload) + 8);
    sprintf(buf, "$%s#%02x", payload, sum & 0xff);
    put(fd, buf);
    free(buf);
}

/* The next reply's payload (acks skipped), or NULL after 20 s.  *acks
 * counts the '-' seen. */
static char *get_reply(int fd, int *naks)
{
    static char buf[70000];
    size_t n = 0;
    bool in = false;
    time_t deadline = time(NULL) + 20;
    while (time(NULL) < deadline) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (poll(&pfd, 1, 1000) <= 0)
            continue;
        char c;
        if (read(fd, &c, 1) != 1)
            return NULL;
        if (!in) {
            if (c == '$')
                in = true;
            else if (c == '-' && naks)
                (*naks)++;
            continue;
        }
        if (c == '#') {
            char sum[2];
            if (read(fd, sum, 2) != 2)
                return NULL;
            buf[n] = 0;
            return buf;
        }
        if (n < sizeof buf - 1)
            buf[n++] = c;
    }
    return NULL;
}

static void expect_reply(int fd, const char *packet, const char *prefix)
{
    put_packet(fd, packet);
    const char *r = get_reply(fd, NULL);
    CHECK(r && !strncmp(r, prefix, strlen(prefix)), "%s -> \"%.60s\", expected \"%s...\"",
          packet, r ? r : "(nothing)", prefix);
}

static void test_raw_robustness(void)
{
    struct session s;
    if (!start(&s, ARGS(test_path("guests/debugme")))) {
        finish(&s, 1);
        done(&s);
        return;
    }
    int fd = dial(s.port);
    CU_ASSERT_FATAL(fd >= 0);
    /* a bad checksum is refused ('-'); the same packet, right, is answered */
    int naks = 0;
    put(fd, "$?#00");
    put_packet(fd, "?");
    const char *r = get_reply(fd, &naks);
    CHECK(r && r[0] == 'T' && naks == 1, "bad checksum: %d '-', then \"%s\"", naks, r ? r : "");
    /* noise between packets, and a checksum that is not hex */
    put(fd, "garbage+++$?#zz");
    expect_reply(fd, "?", "T05");
    /* malformed packets: an error reply each */
    static const char *const bad[] = {
        "m", "mzz,4", "m10000", "m10000,", "M10000,4:zz", "M10000,2:001122", "X10000,5:ab",
        "Z0", "Z0,10000", "z0,zz,4", "p", "p999", "P1=zz", "Gabc", "Hx1", "Hgp7.7",
        "vCont;x", "vCont;s:p1.zz", "qXfer:features:read:nope.xml:0,10",
        "qXfer:features:read:target.xml", "qRcmd,zz", "C", "Cxyz", "T1234567",
        "vFile:open:zz,0,0", "vFile:pread:9,10,0", "vFile:close:5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put_packet(fd, bad[i]);
        r = get_reply(fd, NULL);
        CHECK(r && (r[0] == 'E' || !strncmp(r, "F-1", 3)), "%s -> \"%s\"", bad[i], r ? r : "(none)");
    }
    expect_reply(fd, "qNoSuchThing", "");         /* unknown: the empty reply */
    /* a huge length: the answer is cut to what fits, never more */
    put_packet(fd, "m10000,ffffffff");
    r = get_reply(fd, NULL);
    CHECK(r && strlen(r) > 0 && strlen(r) <= 16384 && r[0] != 'E', "huge m: %zu hex digits",
          r ? strlen(r) : 0);
    expect_reply(fd, "M10000,ffffffff:00", "E");
    expect_reply(fd, "qXfer:features:read:target.xml:0,ffffffffffff", "l<?xml");
    /* a packet longer than PacketSize is read to its end and refused */
    char *big = malloc(40000);
    memset(big, 'a', 39999);
    big[0] = 'm';
    big[39999] = 0;
    put_packet(fd, big);
    free(big);
    r = get_reply(fd, NULL);
    CHECK(r && r[0] == 'E', "a 40000-byte packet -> \"%.20s\"", r ? r : "(none)");
    /* still serving: a real command works, and the program is intact */
    expect_reply(fd, "qSupported:multiprocess+", "PacketSize=4000");
    expect_reply(fd, "g", "00000000");
    /* stepping (gdb itself steps RISC-V with breakpoints; other clients may not) */
    expect_reply(fd, "s", "T05");
    expect_reply(fd, "vCont;s:p1.-1", "T05");
    expect_reply(fd, "vCont?", "vCont;c;C;s;S");
    /* and then it goes on without us */
    close(fd);
    finish(&s, TIMEOUT);
    CU_ASSERT_EQUAL(s.status, 0);
    check_contains(s.outtext, "sum of the squares 1..3 = 14", "program output");
    check_contains(s.errtext, "gdb went away; the program goes on without it", "vmlab stderr");
    done(&s);
}

/* Ctrl-C stops a running program (SIGINT's stop reply); a disconnect in
 * the middle of a run lets it finish on its own. */
static void test_raw_interrupt_disconnect(void)
{
    struct session s;
    if (start(&s, ARGS(test_path("guests/bench_cpu")))) {
        int fd = dial(s.port);
        CU_ASSERT_FATAL(fd >= 0);
        expect_reply(fd, "QStartNoAckMode", "OK");
        put_packet(fd, "vCont;c");
        usleep(100000);
        put(fd, "\003");
        const char *r = get_reply(fd, NULL);
        CHECK(r && !strncmp(r, "T02", 3), "Ctrl-C -> \"%s\"", r ? r : "(none)");
        expect_reply(fd, "vKill;1", "OK");
        close(fd);
        finish(&s, TIMEOUT);
        CU_ASSERT_EQUAL(s.status, 137);
    } else {
        finish(&s, 1);
    }
    done(&s);
    if (start(&s, ARGS(test_path("guests/bench_cpu")))) {
        int fd = dial(s.port);
        CU_ASSERT_FATAL(fd >= 0);
        put_packet(fd, "Z0,10000,4");             /* a breakpoint it never reaches */
        get_reply(fd, NULL);
        put_packet(fd, "c");
        usleep(50000);
        close(fd);                                /* gone in the middle of the run */
        finish(&s, TIMEOUT);
        CU_ASSERT_EQUAL(s.status, 0);
        check_contains(s.outtext, "checksum", "bench_cpu output");
        check_contains(s.errtext, "gdb went away", "vmlab stderr");
    } else {
        finish(&s, 1);
    }
    done(&s);
}

/* The value of field "NN:" in a stop reply (a register, little-endian
 * hex), or of "thread:"; "" when absent. */
static void stop_field(const char *reply, const char *name, char *out, size_t size)
{
    const char *p = reply ? strstr(reply, name) : NULL;
    size_t n = 0;
    if (p)
        for (p += strlen(name); *p && *p != ';' && n + 1 < size; p++)
            out[n++] = *p;
    out[n] = 0;
}

/* Threads over the raw protocol, as gdb uses it: after a stop in another
 * thread, g reads the thread that stopped (gdb assumes so; a stale Hg
 * made gdb show one thread's registers as another's, and fail an
 * assertion when stepping); vCont;c:TID with no default action runs TID
 * alone (gdb's scheduler-locking, and its step over a breakpoint); a Z
 * type beyond gdb's five is not truncated into one of them. */
static void test_raw_threads(void)
{
    uint32_t adder = symbol("tests/guests/threads_raw", "adder");
    struct session s;
    if (!start(&s, ARGS("--no-core", test_path("tests/guests/threads_raw"), "race", "300000000"))) {
        finish(&s, 1);
        done(&s);
        return;
    }
    int fd = dial(s.port);
    CU_ASSERT_FATAL(fd >= 0);
    char pkt[64], a_tid[16], b_tid[16], a_pc[16], b_sp[16], v[16];
    expect_reply(fd, "QStartNoAckMode", "OK");
    snprintf(pkt, sizeof pkt, "Z100000000,%x,2", (unsigned)adder);
    expect_reply(fd, pkt, "");                    /* no such type: the empty reply */
    const char *r;
    snprintf(pkt, sizeof pkt, "z0,%x,2", (unsigned)adder);
    put_packet(fd, pkt);
    r = get_reply(fd, NULL);
    CHECK(r && r[0] == 'E', "z0 after Z100000000 -> \"%s\" (it had set a breakpoint)", r ? r : "");
    snprintf(pkt, sizeof pkt, "Z0,%x,2", (unsigned)adder);
    expect_reply(fd, pkt, "OK");
    put_packet(fd, "vCont;c");                    /* thread A enters adder */
    r = get_reply(fd, NULL);
    stop_field(r, "thread:", a_tid, sizeof a_tid);
    snprintf(pkt, sizeof pkt, "Hg%s", a_tid);
    expect_reply(fd, pkt, "OK");                  /* gdb reads A's registers ... */
    put_packet(fd, "vCont;c");                    /* ... then thread B stops */
    r = get_reply(fd, NULL);
    stop_field(r, "thread:", b_tid, sizeof b_tid);
    stop_field(r, "02:", b_sp, sizeof b_sp);
    CHECK(*a_tid && *b_tid && strcmp(a_tid, b_tid) != 0, "stops in threads \"%s\", \"%s\"",
          a_tid, b_tid);
    put_packet(fd, "g");
    r = get_reply(fd, NULL);
    CHECK(r && strlen(r) >= 24 && *b_sp && !strncmp(r + 16, b_sp, 8),
          "g after B's stop: sp %.8s, B's stop reply says %s", r ? r + 16 : "", b_sp);
    put_packet(fd, "p2");
    r = get_reply(fd, NULL);
    CHECK(r && !strcmp(r, b_sp), "p2 after B's stop: %s, expected %s", r ? r : "", b_sp);
    snprintf(pkt, sizeof pkt, "z0,%x,2", (unsigned)adder);
    expect_reply(fd, pkt, "OK");
    snprintf(pkt, sizeof pkt, "Hg%s", a_tid);
    expect_reply(fd, pkt, "OK");
    put_packet(fd, "p20");                        /* where A is now */
    r = get_reply(fd, NULL);
    snprintf(a_pc, sizeof a_pc, "%s", r ? r : "");
    /* B alone: A stays where it is while B counts */
    snprintf(pkt, sizeof pkt, "vCont;c:%s", b_tid);
    put_packet(fd, pkt);
    usleep(50000);                                /* B's loop takes seconds */
    put(fd, "\003");
    r = get_reply(fd, NULL);
    stop_field(r, "thread:", v, sizeof v);
    CHECK(r && !strncmp(r, "T02", 3) && !strcmp(v, b_tid), "Ctrl-C in vCont;c:%s -> \"%s\"",
          b_tid, r ? r : "(none)");
    snprintf(pkt, sizeof pkt, "Hg%s", a_tid);
    expect_reply(fd, pkt, "OK");
    put_packet(fd, "p20");
    r = get_reply(fd, NULL);
    CHECK(r && *a_pc && !strcmp(r, a_pc), "A's pc after vCont;c:%s: %s, before %s", b_tid,
          r ? r : "", a_pc);
    expect_reply(fd, "vKill;1", "OK");
    close(fd);
    finish(&s, TIMEOUT);
    done(&s);
}

/* Wait (at most 20 s) for text in vmlab's stderr so far. */
static bool err_says(const struct session *s, const char *text)
{
    for (int i = 0; i < 2000; i++) {
        char *e = slurp(s->err);
        bool ok = strstr(e, text) != NULL;
        free(e);
        if (ok)
            return true;
        usleep(10000);
    }
    return false;
}

/* start with vmlab's stdin on a pipe whose write end is *in_w; false
 * (the session finished and freed) if it did not come up */
static bool start_stdin(struct session *s, const char *const *args, int *in_w)
{
    int in[2];
    CU_ASSERT_FATAL(pipe(in) == 0 && fcntl(in[1], F_SETFD, FD_CLOEXEC) == 0);
    bool up = start_in(s, args, in[0]);
    close(in[0]);
    *in_w = in[1];
    if (!up) {
        close(in[1]);
        finish(s, 1);
        done(s);
    }
    return up;
}

/* Ctrl-C in gdb while the program waits for input (a read of a pipe, as
 * of a terminal): gdb stops it in read, with the backtrace through fgets;
 * input that comes later is read once gdb continues.  (The read used to
 * hold vmlab in the host call, and gdb's Ctrl-C went unseen until input
 * came.)  gdb's Ctrl-C is a real SIGINT to gdb-multiarch. */
static void test_gdb_interrupt_read(void)
{
    struct session s;
    const char *prog = "tests/guests/libc_stdin";
    int in_w;
    if (!start_stdin(&s, ARGS("--trace", "sched", test_path(prog)), &in_w))
        return;
    char target[64];
    snprintf(target, sizeof target, "target remote :%d", s.port);
    char *argv[] = { "gdb-multiarch", "-nx", "-batch", "-ex", target, "-ex", "continue",
                     "-ex", "bt", "-ex", "info threads", "-ex", "continue",
                     (char *)test_path(prog), NULL };
    struct run_proc g;
    struct run_result r;
    CU_ASSERT_FATAL(run_start(argv, NULL, NULL, false, &g) == 0);
    bool waiting = err_says(&s, "waits for fd 0 to be readable");
    CHECK(waiting, "the program never waited for its input");
    if (waiting)
        run_kill(g.pid, "INT");                   /* Ctrl-C */
    bool stopped = run_wait_for(&g, "#4", 20) == 0;
    CHECK(stopped, "gdb did not stop the read: \"%s\"", g.r.out);
    static const char input[] = "a title\n2 20 22\nfree\ntext\n";
    CU_ASSERT_EQUAL(write(in_w, input, strlen(input)), (ssize_t)strlen(input));
    close(in_w);                                  /* and EOF */
    run_finish(&g, TIMEOUT, &r);
    finish(&s, TIMEOUT);
    check_contains(r.out, "Program received signal SIGINT, Interrupt.", "gdb");
    check_contains(r.out, "read (fd=", "gdb");
    check_contains(r.out, "in fgets (", "gdb");
    check_contains(r.out, "in main () at tests/guests/libc_stdin.c", "gdb");
    check_contains(r.out, "exited normally", "gdb");
    CU_ASSERT_EQUAL(s.status, 0);
    check_contains(s.outtext, "title: \"a title\"\nread 2 numbers, sum 42\n"
                   "then 11 characters in 3 lines up to EOF", "the program's output");
    run_free(&r);
    done(&s);
}

/* The same with every thread waiting (one on stdin, main in a join), over
 * the raw protocol: each Ctrl-C stops at once with both threads there, and
 * the input is read after. */
static void test_raw_interrupt_threads(void)
{
    struct session s;
    int in_w;
    if (!start_stdin(&s, ARGS("--trace", "sched", test_path("tests/guests/threads_raw"), "input"),
                     &in_w))
        return;
    int fd = dial(s.port);
    CU_ASSERT_FATAL(fd >= 0);
    expect_reply(fd, "QStartNoAckMode", "OK");
    const char *r;
    for (int round = 0; round < 2; round++) {
        put_packet(fd, "vCont;c");
        if (round == 0)
            CHECK(err_says(&s, "waits for fd 0 to be readable"), "the reader never waited");
        else
            usleep(50000);                        /* it waits again, in the same poll */
        put(fd, "\003");
        r = get_reply(fd, NULL);
        CHECK(r && !strncmp(r, "T02", 3), "Ctrl-C while every thread waits -> \"%s\"",
              r ? r : "(none)");
        put_packet(fd, "qfThreadInfo");
        r = get_reply(fd, NULL);
        CHECK(r && r[0] == 'm' && strchr(r, ','), "threads: \"%s\"", r ? r : "(none)");
    }
    static const char input[] = "one\ntwo\n";
    CU_ASSERT_EQUAL(write(in_w, input, strlen(input)), (ssize_t)strlen(input));
    close(in_w);
    put_packet(fd, "vCont;c");
    r = get_reply(fd, NULL);
    CHECK(r && !strcmp(r, "W00"), "after the input -> \"%s\"", r ? r : "(none)");
    close(fd);
    finish(&s, TIMEOUT);
    CU_ASSERT_EQUAL(s.status, 0);
    check_contains(s.outtext, "input bytes: 8\ninput lines: 2\nlast read: 0\njoined the reader",
                   "the program's output");
    done(&s);
}

/* The same while sigwaitinfo waits for a signal from outside, and in a
 * --real-sleep sleep: Ctrl-C stops it there at once (the sleep held vmlab
 * for its length), twice; continue waits again, and a sleep goes on to
 * the end it had: nanosleep returns 0, the timed sigwaitinfo EAGAIN, and
 * the 2 s passed.  With every thread asleep (main 20 s, the other 1 s) it
 * stops them while both still sleep (it waited for the first to wake). */
static void test_raw_interrupt_sleep(void)
{
    static const struct {
        const char *guest, *mode, *result;    /* result NULL: kill it after the stops */
        int rounds;
        bool threads;                         /* check both threads are there */
    } cases[] = {
        { "tests/guests/sys_proc", "sigwait", NULL, 2, false },
        { "tests/guests/sys_proc", "nap", "nanosleep(2 s) returned 0; 2 s passed: yes", 2, false },
        { "tests/guests/sys_proc", "timedwait",
          "sigtimedwait(2 s) returned -1 EAGAIN; 2 s passed: yes", 2, false },
        { "tests/guests/outside_signals", "thread-sleep", NULL, 1, true },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct session s;
        const char *real = strcmp(cases[c].mode, "sigwait") ? "--real-sleep"
                                                            : "--no-core";  /* no sleep */
        if (!start(&s, ARGS(real, test_path(cases[c].guest), cases[c].mode))) {
            finish(&s, 1);
            done(&s);
            return;
        }
        int fd = dial(s.port);
        CU_ASSERT_FATAL(fd >= 0);
        expect_reply(fd, "QStartNoAckMode", "OK");
        const char *r;
        for (int round = 0; round < cases[c].rounds; round++) {
            put_packet(fd, "vCont;c");
            usleep(300000);                       /* it sleeps by then */
            put(fd, "\003");
            r = get_reply(fd, NULL);
            CHECK(r && !strncmp(r, "T02", 3), "%s, round %d: Ctrl-C -> \"%s\"", cases[c].mode,
                  round, r ? r : "(none)");
            char *o = slurp(s.out);
            CHECK(!strstr(o, "returned"), "%s, round %d: stopped after the sleep ended: \"%s\"",
                  cases[c].mode, round, o);
            free(o);
        }
        if (cases[c].result) {
            put_packet(fd, "vCont;c");
            r = get_reply(fd, NULL);
            CHECK(r && !strcmp(r, "W00"), "%s: after the sleep -> \"%s\"", cases[c].mode,
                  r ? r : "(none)");
        } else {
            if (cases[c].threads) {
                put_packet(fd, "qfThreadInfo");
                r = get_reply(fd, NULL);
                CHECK(r && r[0] == 'm' && strchr(r, ','), "%s: both threads still there: "
                      "\"%s\"", cases[c].mode, r ? r : "(none)");
            }
            expect_reply(fd, "vKill;1", "OK");
        }
        close(fd);
        finish(&s, TIMEOUT);
        if (cases[c].result)
            check_contains(s.outtext, cases[c].result, cases[c].mode);
        done(&s);
    }
}

/* --gdb with a bad argument, or a port in use: one line, status 2. */
static void test_bad_options(void)
{
    static const char *const bad[] = { "abc", "99999", "1.2.3.4.5:1", "", "nosuchhost.invalid:1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct run_result r;
        char *argv[] = { (char *)test_path("vmlab"), "run", "--gdb", (char *)bad[i],
                         (char *)test_path("guests/hello"), NULL };
        CU_ASSERT_EQUAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
        CHECK(r.status == 2 && strstr(r.err, "--gdb") && !strchr(strchr(r.err, '\n') + 1, '\n'),
              "--gdb '%s': status %d, \"%s\"", bad[i], r.status, r.err);
        run_free(&r);
    }
    /* a port in use */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET };
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sin;
    CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 && listen(fd, 1) == 0);
    getsockname(fd, (struct sockaddr *)&sin, &sl);
    char port[16];
    snprintf(port, sizeof port, "%d", ntohs(sin.sin_port));
    struct run_result r;
    char *argv[] = { (char *)test_path("vmlab"), "run", "--gdb", port,
                     (char *)test_path("guests/hello"), NULL };
    CU_ASSERT_EQUAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "cannot listen on 127.0.0.1:", "port in use");
    run_free(&r);
    close(fd);
}

void gdb_suite_add(void)
{
    CU_pSuite s = CU_add_suite("gdb", NULL, NULL);
    CU_add_test(s, "target: breakpoints on both engines", test_target_breakpoints);
    CU_add_test(s, "target: watchpoints on both engines", test_target_watchpoints);
    CU_add_test(s, "target: a fault stops before its signal", test_target_signals);
    CU_add_test(s, "target: memory with a debugger's rights", test_target_memory);
    CU_add_test(s, "gdb: break and bt", test_gdb_break_bt);
    CU_add_test(s, "gdb: threads (info threads, each thread's bt)", test_gdb_threads);
    CU_add_test(s, "target: stepping a chosen thread leaves the other", test_target_thread_step);
    CU_add_test(s, "gdb: a deadlock stops, its threads shown, continue kills", test_gdb_deadlock);
    CU_add_test(s, "gdb: next, step, finish", test_gdb_next_step_finish);
    CU_add_test(s, "gdb: print and set a local and a global", test_gdb_print_set);
    CU_add_test(s, "gdb: watch a global, both engines", test_gdb_watch);
    CU_add_test(s, "gdb: SIGSEGV, $_siginfo, explain, maps, core", test_gdb_sigsegv);
    CU_add_test(s, "gdb: monitor commands, perm text=rwx", test_gdb_monitor);
    CU_add_test(s, "gdb: signal 0 discards the fault", test_gdb_discard);
    CU_add_test(s, "gdb: detach and kill", test_gdb_detach_kill);
    CU_add_test(s, "gdb: continue only = the same run", test_gdb_same_counts);
    CU_add_test(s, "raw client: bad packets, checksums, lengths", test_raw_robustness);
    CU_add_test(s, "raw client: Ctrl-C, disconnect while running", test_raw_interrupt_disconnect);
    CU_add_test(s, "raw client: threads (the stop's thread, vCont;c:TID alone)", test_raw_threads);
    CU_add_test(s, "gdb: Ctrl-C while the program waits for input", test_gdb_interrupt_read);
    CU_add_test(s, "raw client: Ctrl-C while every thread waits", test_raw_interrupt_threads);
    CU_add_test(s, "raw client: Ctrl-C in sigwaitinfo and in --real-sleep sleeps",
                test_raw_interrupt_sleep);
    CU_add_test(s, "--gdb errors", test_bad_options);
}

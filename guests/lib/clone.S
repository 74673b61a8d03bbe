/* clone.S — starting a thread: the clone system call and the new thread's
 * first instructions (docs/platform/threads.md, "Guest runtime").
 *
 *   int __vmlab_clone(int (*fn)(void *), void *stack, unsigned long flags,
 *                     void *arg, pid_t *ptid, void *tls, pid_t *ctid);
 *                     a0                  a1           a2
 *                     a3         a4          a5         a6
 *
 * Linux RV32's clone is CLONE_BACKWARDS: clone(flags, newsp, parent_tid,
 * tls, child_tid), number 220.  Both threads return from the same ecall:
 * the parent with the new thread's id (or -errno), the child with 0, on
 * the new stack (sp = newsp), with tp = tls and every other register as
 * the parent had it.  So fn and arg go on the new stack before the call
 * (the child cannot rely on any register the parent set up for it except
 * through sp), and the child takes them from there.
 *
 * Returns what the parent's ecall returned.  The child calls fn(arg),
 * which must not return (pthread.c's thread_start ends in pthread_exit);
 * if it did, the thread would exit with fn's result.
 */
    .cfi_sections .debug_frame
    .text
    .globl  __vmlab_clone
    .type   __vmlab_clone, @function
__vmlab_clone:
    .cfi_startproc
    andi    a1, a1, -16             /* psABI: 16-byte aligned sp */
    addi    a1, a1, -16
    sw      a0, 0(a1)               /* fn */
    sw      a3, 4(a1)               /* arg */
    mv      a0, a2                  /* flags */
    mv      a2, a4                  /* parent_tid */
    mv      a3, a5                  /* tls */
    mv      a4, a6                  /* child_tid */
    li      a7, 220                 /* clone */
    ecall
    beqz    a0, __vmlab_thread_entry
    ret                             /* parent: tid or -errno */
    .cfi_endproc
    .size   __vmlab_clone, . - __vmlab_clone

/* The child, on its new stack: the outermost frame of the thread. */
    .type   __vmlab_thread_entry, @function
__vmlab_thread_entry:
    .cfi_startproc
    .cfi_undefined ra               /* no caller: unwinding stops here */
    li      s0, 0                   /* fp = 0: end of the frame chain */
    li      ra, 0
    lw      t0, 0(sp)               /* fn */
    lw      a0, 4(sp)               /* arg */
    jalr    t0
    li      a7, 93                  /* exit(fn's result): not reached */
    ecall
    .cfi_endproc
    .size   __vmlab_thread_entry, . - __vmlab_thread_entry

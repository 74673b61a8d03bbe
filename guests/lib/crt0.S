/* crt0.S — process entry point of every vmlab guest.
 *
 * On entry (PLATFORM.md §4): pc = e_entry, every register is 0 except sp,
 * which points at the initial stack image the kernel built:
 *
 *     sp ->  argc
 *            argv[0] ... argv[argc-1], NULL
 *            envp[0] ... NULL
 *            auxv {type, value} pairs ... {AT_NULL, 0}
 *            ... strings, up to the top of the stack
 *
 * In particular tp is 0: no thread-local storage exists until
 * __vmlab_start (start.c) sets it up, and picolibc's errno is
 * thread-local.  _start sets gp, clears fp (s0) so frame-pointer walks stop
 * here, finds argv and envp, lets start.c set up TLS, the environment and
 * the constructors, calls main(argc, argv, envp) and passes its result to
 * exit().  No C code runs before gp is set.
 */
    .cfi_sections .debug_frame          /* unwind info for gdb only */
    .text
    .globl  _start
    .type   _start, @function
_start:
    .cfi_startproc
    .cfi_undefined ra                   /* outermost frame: no caller */

    /* gp must be loaded with an absolute address, not gp-relative to
     * itself: no relaxation inside this sequence. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop

    li      s0, 0                       /* fp = 0: end of the frame chain */
    li      ra, 0

    lw      s1, 0(sp)                   /* s1 = argc */
    addi    s2, sp, 4                   /* s2 = argv */
    slli    s3, s1, 2
    add     s3, s3, s2
    addi    s3, s3, 4                   /* s3 = envp = &argv[argc + 1] */
    andi    sp, sp, -16                 /* psABI: 16-byte aligned sp */

    mv      a0, s3
    call    __vmlab_start               /* TLS, environ, auxv, constructors */

    mv      a0, s1
    mv      a1, s2
    mv      a2, s3
    call    main
    call    exit                        /* exit(main's return value) */
1:  j       1b                          /* not reached */
    .cfi_endproc
    .size   _start, . - _start

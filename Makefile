# vmlab — build, test, demo, bench.
#
#   make          build build/vmlab and every guest into build/guests/
#   make test     CUnit suites + end-to-end + differential runs, then the same
#                 again under ASan+UBSan (build-asan/), the fuzz smoke runs and
#                 a valgrind pass (make valgrind)
#   make demo     the sample tour
#   make bench    vmlab vs qemu-riscv32 vs native
#   make fuzz     build the libFuzzer harnesses (clang) into build-fuzz/ and
#                 run each for FUZZ_TIME seconds (default 300), niced
#   make fuzz-smoke  each harness over its seed corpus and a fixed number of
#                 mutations (FUZZ_SMOKE; part of make test)
#   make difftest DIFFTEST_PROGRAMS random programs (default 1000000) under
#                 vmlab (both engines) and qemu-riscv32, niced
#   make deps     install missing Debian packages (run automatically)
#   make install  PREFIX=DIR (default /usr/local): DIR/bin/vmlab, DIR/lib/vmlab
#
# Out-of-tree: objects mirror the sources under $(BUILD).  V=1 echoes commands.

BUILD   ?= build
CC      ?= cc
# Builds use every core unless the caller chose (make -jN; -j1 for none):
# three builds from nothing (normal, ASan, the fuzz harnesses) were most
# of a fresh clone's make test.  Sub-makes share the top one's job slots.
ifeq ($(MAKELEVEL),0)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif
endif
Q       := $(if $(V),,@)

PKGS    := libelf libdw cunit sdl2 SDL2_ttf SDL2_image
OPT     ?= -O2 -g
# pkg-config is asked on first use, not at parse time: on a fresh machine
# the packages are installed by the $(BUILD)/.deps-ok step first.  Every
# rule that expands CFLAGS must therefore wait for $(BUILD)/.deps-ok (an
# order-only prerequisite), or with -j it asks pkg-config too early and the
# empty answer is kept for the whole build.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs libelf libdw zlib))$(PKG_LIBS)
VIEW_LIBS  = $(eval VIEW_LIBS := $(shell pkg-config --libs sdl2 SDL2_ttf SDL2_image))$(VIEW_LIBS)
CFLAGS   = $(OPT) -std=gnu11 -Wall -Wextra -Werror -MMD -MP -I. $(PKG_CFLAGS)
LDLIBS   = $(PKG_LIBS) -lm -pthread

# --- the emulator ------------------------------------------------------------
# build/vmlab has no SDL in it, so `vmlab run` starts fast; `vmlab view`
# executes build/vmlab-view, the same program with the window linked in
# (cli/view_window.c instead of cli/view.c).
CORE_SRCS := $(wildcard emu/*.c mmu/*.c kernel/*.c inspect/*.c gdb/*.c paging/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS  := $(filter-out cli/main.c cli/view.c cli/view_window.c,$(wildcard cli/*.c))
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
VIEW_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard view/*.c))
MAIN_OBJ  := $(BUILD)/cli/main.o
VIEWER    := $(BUILD)/vmlab-view
TEST_SRCS := $(wildcard tests/*.c)
# The libFuzzer harnesses: tests/fuzz/fuzz_NAME.c -> build-fuzz/fuzz_NAME.
FUZZERS   := elf inspect cpu syscall
FUZZ_LIB  := $(BUILD)/tests/fuzz/fuzz.o $(BUILD)/tests/rvelf.o
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)

VMLAB     := $(BUILD)/vmlab
TESTBIN   := $(BUILD)/vmlab-tests
DIFFTEST  := $(BUILD)/vmlab-difftest
# tools/check-cost: bench_mem's random loop as translated, natively (x86-64)
CHECK_COST := $(if $(filter x86_64,$(shell uname -m)),$(BUILD)/bench/check_cost)
DIFFTEST_OBJS := $(patsubst %.c,$(BUILD)/%.o,tests/tools/difftest.c tests/difftest.c tests/rvgen.c \
                   tests/rvelf.c tests/run.c)

# --- guests (cross-compiled) -------------------------------------------------
# The guests' C library is Debian's picolibc; under it sits vmlab's Linux OS
# layer (guests/lib: crt0, system calls, stdio streams, malloc, signals),
# built for both encodings into the SDK directory $(SDK) that `vmlab cc`
# finds beside build/vmlab (and make install copies to PREFIX/lib/vmlab):
#   $(SDK)/include/           the OS layer's headers (+ vmlab/syscalls.def)
#   $(SDK)/vmlab.ld           the linker script
#   $(SDK)/ARCH/crt0.o        ARCH = rv32imac, rv32im
#   $(SDK)/ARCH/libvmlab.a
GCC_RV   := riscv64-unknown-elf-gcc
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
SDK      := $(BUILD)/lib/vmlab
SDK_HDR_SRC := $(shell find guests/lib/include -name '*.h')
SDK_HDRS := $(SDK_HDR_SRC:guests/lib/include/%=$(SDK)/include/%) $(SDK)/include/vmlab/syscalls.def
OSLIB_SRC := $(filter-out guests/lib/crt0.S,$(wildcard guests/lib/*.c guests/lib/*.S))
# The OS layer's own flags: what vmlab cc gives a guest.  Not
# -ffunction-sections: a partly discarded object leaves zeroed ranges in
# .debug_aranges that libdw rejects (see vmlab.ld).
OSLIB_CFLAGS = -mabi=ilp32 --specs=$(PICOLIBC)/picolibc.specs -O2 -g \
            -fno-omit-frame-pointer \
            -std=gnu11 -Wall -Wextra -Werror -I$(SDK)/include -Iguests/lib
# Guests: vmlab cc adds -march (rv32imac unless given), picolibc, the OS
# layer, -g and frame pointers; these are the samples' own flags.
GUEST_CFLAGS := -O2 -std=gnu11 -Wall -Wextra -Werror
# Every guests/*.c is a program.  Built for rv32imac (the default) into
# build/guests/NAME and for rv32im (no compressed, no atomics) into
# build/guests/rv32im/NAME, so both encodings are exercised.
GUEST_SRCS := $(wildcard guests/*.c)
GUEST_NAMES := $(GUEST_SRCS:guests/%.c=%)
GUESTS     := $(GUEST_NAMES:%=$(BUILD)/guests/%)
GUESTS_IM  := $(GUEST_NAMES:%=$(BUILD)/guests/rv32im/%)
# debugme is the gdb sample: built without optimisation, as a student
# debugs, so every variable lives in memory and every line is a step.
$(BUILD)/guests/debugme $(BUILD)/guests/rv32im/debugme: GUEST_CFLAGS += -O0
# Guests that need the A extension cannot be built for rv32im (threads
# need atomics: vmlab cc refuses -pthread there).
GUESTS_IM  := $(filter-out %/isa_atomic %/thread_stacks %/race %/deadlock,$(GUESTS_IM))
# Test programs (tests/guests/*.c): ordinary C built with vmlab cc, run
# by the suites against qemu-riscv32, both encodings.
TGUEST_NAMES := $(patsubst tests/guests/%.c,%,$(wildcard tests/guests/*.c))
TGUESTS    := $(TGUEST_NAMES:%=$(BUILD)/tests/guests/%) $(TGUEST_NAMES:%=$(BUILD)/tests/guests/rv32im/%)
SDK_FILES = $(SDK)/vmlab.ld $(SDK_HDRS) $(SDK)/rv32imac/crt0.o $(SDK)/rv32imac/libvmlab.a \
            $(SDK)/rv32im/crt0.o $(SDK)/rv32im/libvmlab.a

.PHONY: all deps test asan demo bench clean check-layers check-headers guests install fuzz fuzz-smoke fuzz-build fuzz-seeds difftest valgrind
all: $(BUILD)/.deps-ok $(VMLAB) $(VIEWER) $(DIFFTEST) $(CHECK_COST) guests

guests: $(SDK_FILES) $(GUESTS) $(GUESTS_IM) $(TGUESTS)

# --- dependencies ------------------------------------------------------------
# make deps: install what is missing, through apt-get only.
DEB_PKGS := gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf libsdl2-dev libsdl2-ttf-dev \
            libsdl2-image-dev fonts-dejavu-core libcunit1-dev libelf-dev \
            libdw-dev pkg-config qemu-user gdb-multiarch binutils \
            clang libclang-rt-dev valgrind
deps:
	$(Q)./tools/deps.sh $(DEB_PKGS)
$(BUILD)/.deps-ok: tools/deps.sh
	$(Q)./tools/deps.sh $(DEB_PKGS)
	$(Q)mkdir -p $(BUILD) && touch $@

# --- host objects ------------------------------------------------------------
$(BUILD)/%.o: %.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(VMLAB): $(MAIN_OBJ) $(BUILD)/cli/view.o $(CLI_OBJS) $(CORE_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(VIEWER): $(MAIN_OBJ) $(BUILD)/cli/view_window.o $(CLI_OBJS) $(CORE_OBJS) $(VIEW_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(VIEW_LIBS)

$(TESTBIN): $(TEST_OBJS) $(CLI_OBJS) $(CORE_OBJS) $(VIEW_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(VIEW_LIBS) -lcunit

$(DIFFTEST): $(DIFFTEST_OBJS) $(CORE_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/check_cost: tools/check-cost/check_cost.c tools/check-cost/check_cost.S \
                           tools/check-cost/loop.inc | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ tools/check-cost/check_cost.c tools/check-cost/check_cost.S

# libFuzzer's main comes in at link time (-fsanitize=fuzzer); the objects
# are built with fuzzer-no-link (see fuzz-build).
.PRECIOUS: $(BUILD)/%.o
$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_LIB) $(CORE_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# --- the OS layer (SDK) --------------------------------------------------------
$(SDK)/include/%.h: guests/lib/include/%.h
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(SDK)/include/vmlab/syscalls.def: kernel/syscalls.def
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(SDK)/vmlab.ld: guests/lib/vmlab.ld
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

define oslib_arch
$(SDK)/$(1)/crt0.o: guests/lib/crt0.S | $(BUILD)/.deps-ok
	@mkdir -p $$(dir $$@)
	@$$(if $(Q),echo "  RVAS    $$@")
	$(Q)$(GCC_RV) -march=$(1) $(OSLIB_CFLAGS) -c -o $$@ $$<
$(SDK)/$(1)/libvmlab.a: $(OSLIB_SRC) guests/lib/os.h $(SDK_HDRS) | $(BUILD)/.deps-ok
	@mkdir -p $$(dir $$@) $(BUILD)/oslib/$(1)
	@$$(if $(Q),echo "  RVLIB   $$@")
	$(Q)rm -f $$@.tmp; for s in $(OSLIB_SRC); do \
	  o=$(BUILD)/oslib/$(1)/$$$$(basename $$$$s).o; \
	  $(GCC_RV) -march=$(1) $(OSLIB_CFLAGS) -c -o $$$$o $$$$s || exit 1; \
	  $(GCC_RV)-ar rcs $$@.tmp $$$$o || exit 1; done; mv $$@.tmp $$@
endef
$(eval $(call oslib_arch,rv32imac))
$(eval $(call oslib_arch,rv32im))

# --- guests ------------------------------------------------------------------
# With vmlab cc itself (order-only on it: relinking vmlab does not rebuild
# every guest).
$(GUESTS): $(BUILD)/guests/%: guests/%.c $(SDK_FILES) | $(VMLAB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  VMLABCC $@")
	$(Q)$(VMLAB) cc $(GUEST_CFLAGS) -o $@ $<

$(GUESTS_IM): $(BUILD)/guests/rv32im/%: guests/%.c $(SDK_FILES) | $(VMLAB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  VMLABCC $@")
	$(Q)$(VMLAB) cc -march=rv32im $(GUEST_CFLAGS) -o $@ $<

$(BUILD)/tests/guests/rv32im/%: tests/guests/%.c $(SDK_FILES) | $(VMLAB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  VMLABCC $@")
	$(Q)$(VMLAB) cc -march=rv32im $(GUEST_CFLAGS) -o $@ $< -lm

$(BUILD)/tests/guests/%: tests/guests/%.c $(SDK_FILES) | $(VMLAB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  VMLABCC $@")
	$(Q)$(VMLAB) cc $(GUEST_CFLAGS) -o $@ $< -lm

# --- tests -------------------------------------------------------------------
# VMLAB_BUILD tells the end-to-end suite where the emulator and guests are.
test: all $(TESTBIN) check-layers check-headers
	VMLAB_BUILD=$(BUILD) $(TESTBIN)
	$(MAKE) --no-print-directory asan
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory valgrind

# A few samples (and inspect on a core) under valgrind's memcheck, --interp.
valgrind: all
	$(Q)./tools/valgrind.sh $(BUILD)

asan:
	$(MAKE) --no-print-directory BUILD=build-asan \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build-asan/vmlab build-asan/vmlab-view build-asan/vmlab-tests \
	  $(CHECK_COST:$(BUILD)/%=build-asan/%) guests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  VMLAB_BUILD=build-asan build-asan/vmlab-tests

# --- fuzzing -----------------------------------------------------------------
# The harnesses and everything below cli/ built with clang, libFuzzer's
# coverage and ASan+UBSan, into build-fuzz/.  tools/fuzz.sh runs them:
# seeds from tests/fuzz/corpus/NAME, new inputs into build-fuzz/corpus/NAME,
# findings into build-fuzz/findings/.
# FUZZ_SAN=undefined builds a faster variant without ASan (FUZZ_BUILD names
# its directory): the syscall harness makes a process per input, which
# costs ASan fresh pages each time.
FUZZ_TIME  ?= 300
FUZZ_BUILD ?= build-fuzz
FUZZ_SAN   ?= address,undefined
# executions per harness in make test (under a minute in all)
FUZZ_SMOKE ?= elf:20000 inspect:4000 cpu:8000 syscall:600
fuzz-build: all
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)

# clang spends six minutes on emu/cpu.c at -O1 with the fuzzer's coverage
# and the sanitizers (the interpreter is one function of computed gotos,
# compiled twice) and seven seconds at -O0: the fuzz build's copy is -O0
# (the last -O wins), still instrumented, a little slower to run.
$(FUZZ_BUILD)/emu/cpu.o: CFLAGS += -O0

fuzz: fuzz-build
	$(Q)FUZZ_BUILD=$(FUZZ_BUILD) ./tools/fuzz.sh long $(FUZZ_TIME) $(FUZZERS)

fuzz-smoke: fuzz-build
	$(Q)FUZZ_BUILD=$(FUZZ_BUILD) ./tools/fuzz.sh smoke 0 $(FUZZ_SMOKE)

# Random programs against qemu-riscv32 (tests/difftest.h), niced.
DIFFTEST_PROGRAMS ?= 1000000
DIFFTEST_SEED     ?= 1
difftest: all
	nice -n 19 $(DIFFTEST) -n $(DIFFTEST_PROGRAMS) -s $(DIFFTEST_SEED) -o $(BUILD)/difftest -v $(VMLAB)

# Regenerate the committed seed corpora (tests/fuzz/corpus/).
fuzz-seeds: all
	$(Q)./tools/fuzz-seeds.sh $(BUILD)

# Includes point one way: emu -> mmu, kernel -> mmu + emu/cpu.h, view -> kernel/query.h.
check-layers:
	$(Q)./tools/check-layers.sh

check-headers: | $(BUILD)/.deps-ok
	$(Q)for h in emu/*.h mmu/*.h kernel/*.h inspect/*.h gdb/*.h paging/*.h view/*.h cli/*.h; do \
	  echo "#include \"$$h\"" | $(CC) $(CFLAGS) -MF /dev/null -x c -fsyntax-only - || exit 1; done

# make install PREFIX=DIR: vmlab and vmlab-view into DIR/bin, the OS layer
# into DIR/lib/vmlab, where `vmlab cc` looks for it (../lib/vmlab from its
# own directory).
PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/vmlab/include \
	  $(DESTDIR)$(PREFIX)/lib/vmlab/rv32imac $(DESTDIR)$(PREFIX)/lib/vmlab/rv32im
	install -m 755 $(VMLAB) $(VIEWER) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(SDK)/vmlab.ld $(DESTDIR)$(PREFIX)/lib/vmlab/
	cp -R $(SDK)/include/. $(DESTDIR)$(PREFIX)/lib/vmlab/include/
	for a in rv32imac rv32im; do install -m 644 $(SDK)/$$a/crt0.o $(SDK)/$$a/libvmlab.a \
	  $(DESTDIR)$(PREFIX)/lib/vmlab/$$a/ || exit 1; done

demo: all
	$(Q)./tools/demo.sh $(BUILD)

bench: all
	$(Q)./tools/bench.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) build-asan build-fuzz -name '*.d' 2>/dev/null)

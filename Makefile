# vmlab — build, test, demo, bench.
#
#   make          build build/vmlab and every guest into build/guests/
#   make test     CUnit suites + end-to-end + differential runs, then the same
#                 again under ASan+UBSan (build-asan/)
#   make demo     the sample tour
#   make bench    vmlab vs qemu-riscv32 vs native
#   make deps     install missing Debian packages (run automatically)
#
# Out-of-tree: objects mirror the sources under $(BUILD).  V=1 echoes commands.

BUILD   ?= build
CC      ?= cc
Q       := $(if $(V),,@)

PKGS    := libelf libdw cunit sdl2 SDL2_ttf SDL2_image
OPT     ?= -O2 -g
# pkg-config is asked on first use, not at parse time: on a fresh machine
# the packages are installed by the $(BUILD)/.deps-ok step first.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs libelf libdw))$(PKG_LIBS)
VIEW_LIBS  = $(eval VIEW_LIBS := $(shell pkg-config --libs sdl2 SDL2_ttf SDL2_image))$(VIEW_LIBS)
CFLAGS   = $(OPT) -std=gnu11 -Wall -Wextra -Werror -MMD -MP -I. $(PKG_CFLAGS)
LDLIBS   = $(PKG_LIBS) -lm

# --- the emulator ------------------------------------------------------------
# build/vmlab has no SDL in it, so `vmlab run` starts fast; `vmlab view`
# executes build/vmlab-view, the same program with the window linked in
# (cli/view_window.c instead of cli/view.c).
CORE_SRCS := $(wildcard emu/*.c mmu/*.c kernel/*.c inspect/*.c gdb/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS  := $(filter-out cli/main.c cli/view.c cli/view_window.c,$(wildcard cli/*.c))
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
VIEW_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard view/*.c))
MAIN_OBJ  := $(BUILD)/cli/main.o
VIEWER    := $(BUILD)/vmlab-view
TEST_SRCS := $(wildcard tests/*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)

VMLAB     := $(BUILD)/vmlab
TESTBIN   := $(BUILD)/vmlab-tests

# --- guests (cross-compiled) -------------------------------------------------
GCC_RV   := riscv64-unknown-elf-gcc
GFLAGS   := -mabi=ilp32 -static -nostdlib -ffreestanding -fno-builtin \
            -fno-omit-frame-pointer -fno-stack-protector -O2 -g \
            -std=gnu11 -Wall -Wextra -Werror -Iguests/lib
GLD      := -Tguests/lib/vmlab.ld -lgcc
GLIB_SRC := $(wildcard guests/lib/*.c guests/lib/*.S)
GLIB_HDR := $(wildcard guests/lib/*.h guests/lib/sys/*.h) guests/lib/vmlab.ld kernel/syscalls.def
# Every guests/*.c is a program.  Built for rv32imac (the default) into
# build/guests/NAME and for rv32im (no compressed, no atomics) into
# build/guests/rv32im/NAME, so both encodings are exercised.
GUEST_SRCS := $(wildcard guests/*.c)
GUEST_NAMES := $(GUEST_SRCS:guests/%.c=%)
GUESTS     := $(GUEST_NAMES:%=$(BUILD)/guests/%)
GUESTS_IM  := $(GUEST_NAMES:%=$(BUILD)/guests/rv32im/%)
# debugme is the gdb sample: built without optimisation, as a student
# debugs, so every variable lives in memory and every line is a step.
$(BUILD)/guests/debugme $(BUILD)/guests/rv32im/debugme: GFLAGS += -O0
# Guests that need the A extension cannot be built for rv32im.
GUESTS_IM  := $(filter-out %/isa_atomic,$(GUESTS_IM))

.PHONY: all deps test asan demo bench clean check-layers check-headers guests
all: $(BUILD)/.deps-ok $(VMLAB) $(VIEWER) guests

guests: $(GUESTS) $(GUESTS_IM)

# --- dependencies ------------------------------------------------------------
# make deps: install what is missing, through apt-get only.
DEB_PKGS := gcc-riscv64-unknown-elf libsdl2-dev libsdl2-ttf-dev \
            libsdl2-image-dev fonts-dejavu-core libcunit1-dev libelf-dev \
            libdw-dev pkg-config qemu-user gdb-multiarch binutils
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

# --- guest objects -----------------------------------------------------------
define guest_arch
$(BUILD)/guests/$(1)lib/libvmlab.a: $(GLIB_SRC) $(GLIB_HDR) | $(BUILD)/.deps-ok
	@mkdir -p $$(dir $$@)
	@$$(if $(Q),echo "  RVLIB   $$@")
	$(Q)rm -f $$@.tmp; for s in $(GLIB_SRC); do \
	  o=$$(dir $$@)$$$$(basename $$$$s).o; \
	  $(GCC_RV) -march=$(2) $(GFLAGS) -c -o $$$$o $$$$s || exit 1; \
	  $(GCC_RV)-ar rcs $$@.tmp $$$$o || exit 1; done; mv $$@.tmp $$@
endef
$(eval $(call guest_arch,,rv32imac))
$(eval $(call guest_arch,rv32im/,rv32im))

$(BUILD)/guests/%: guests/%.c $(BUILD)/guests/lib/libvmlab.a $(GLIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  RVCC    $@")
	$(Q)$(GCC_RV) -march=rv32imac $(GFLAGS) -o $@ $< $(BUILD)/guests/lib/libvmlab.a $(GLD)

$(BUILD)/guests/rv32im/%: guests/%.c $(BUILD)/guests/rv32im/lib/libvmlab.a $(GLIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  RVCC    $@")
	$(Q)$(GCC_RV) -march=rv32im $(GFLAGS) -o $@ $< $(BUILD)/guests/rv32im/lib/libvmlab.a $(GLD)

# --- tests -------------------------------------------------------------------
# VMLAB_BUILD tells the end-to-end suite where the emulator and guests are.
test: all $(TESTBIN) check-layers check-headers
	VMLAB_BUILD=$(BUILD) $(TESTBIN)
	$(MAKE) --no-print-directory asan

asan:
	$(MAKE) --no-print-directory BUILD=build-asan \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build-asan/vmlab build-asan/vmlab-view build-asan/vmlab-tests guests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  VMLAB_BUILD=build-asan build-asan/vmlab-tests

# Includes point one way: emu -> mmu, kernel -> mmu + emu/cpu.h, view -> kernel/query.h.
check-layers:
	$(Q)./tools/check-layers.sh

check-headers: | $(BUILD)/.deps-ok
	$(Q)for h in emu/*.h mmu/*.h kernel/*.h inspect/*.h gdb/*.h view/*.h cli/*.h; do \
	  echo "#include \"$$h\"" | $(CC) $(CFLAGS) -MF /dev/null -x c -fsyntax-only - || exit 1; done

demo: all
	$(Q)./tools/demo.sh $(BUILD)

bench: all
	$(Q)./tools/bench.sh $(BUILD)

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) build-asan -name '*.d' 2>/dev/null)

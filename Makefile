# sublim: plain Makefile.  `make run` reproduces the experiment, `make test` tests it.
CC      ?= cc
# The cheap vectorizer cost model lets GCC vectorize elementwise loops (Adam)
# that plain -O2 leaves scalar; vectorizing never reorders a sum here.  It is
# GCC's flag: passed only to a compiler that takes it (clang refuses it).
VECT_COST := $(shell $(CC) -fvect-cost-model=cheap -x c -c /dev/null -o /dev/null \
                 2>/dev/null && echo -fvect-cost-model=cheap)
OPT     ?= -O2 $(VECT_COST)
CFLAGS  ?= $(OPT) -g
# Floating-point contraction off: results do not depend on whether the
# compiler fuses a multiply-add.  -fno-math-errno only stops sqrtf from
# setting errno (so it can be vectorized); it changes no result.  No
# fast-math, ever.  _DARWIN_C_SOURCE: macOS hides what POSIX leaves out
# (the core count, wait4, sysctl) once _POSIX_C_SOURCE is set, unless asked;
# other systems ignore it.
SUBLIM_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DARWIN_C_SOURCE \
                -ffp-contract=off -fno-math-errno \
                -Wall -Wextra -Wno-missing-field-initializers -Wshadow -pthread -MMD -MP
# (Tables leave out the trailing fields they do not use, such as a
# setting's codec; C zeroes them.)
LDFLAGS ?=
# The preprocessor's flags (-I, -D), as packagers pass them: every compile
# rule takes them.
CPPFLAGS ?=
LDLIBS  = -lm -pthread

BUILD   = build
# src/ is layered, each folder including only from the ones before it
# (tests/test_layers.sh checks it):
#   base  nn  run  out  bench  cli
# The library is base..out; bench and cli make the program around it.
LAYERS  = base nn run out
LIB_SRC = $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
CLI_SRC = $(filter-out src/cli/main.c,$(wildcard src/cli/*.c)) $(wildcard src/bench/*.c)
OBJ     = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_OBJ = $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB     = $(BUILD)/libsublim.a
CLI_LIB = $(BUILD)/libsublim_cli.a
BIN     = $(BUILD)/sublim
TESTS   = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
# Every parser of outside input has a fuzz target; `make test` replays its
# seed corpus and every input that ever crashed it (tests/fuzz/regressions).
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAYS = $(FUZZ_TARGETS:%=$(BUILD)/tests/replay_%)
OUT     ?= out

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(SUBLIM_CFLAGS) $(CPPFLAGS) $(CFLAGS) -Isrc -c $< -o $@

$(LIB): $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(CLI_LIB): $(CLI_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/cli/main.o $(CLI_LIB) $(LIB)
	$(CC) $(SUBLIM_CFLAGS) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests:
	mkdir -p $@

# The man page and the shell completions, written by the program itself
# from the settings tables it parses its flags with (src/cli/doc.c), so
# they cannot drift from it.  (RUNNER: a cross build's emulator.)
DOCS = $(BUILD)/sublim.1 $(BUILD)/sublim.bash $(BUILD)/_sublim
$(BUILD)/sublim.1: $(BIN)
	$(RUNNER) $(BIN) help --man > $@.tmp && mv $@.tmp $@
$(BUILD)/sublim.bash: $(BIN)
	$(RUNNER) $(BIN) help --bash > $@.tmp && mv $@.tmp $@
$(BUILD)/_sublim: $(BIN)
	$(RUNNER) $(BIN) help --zsh > $@.tmp && mv $@.tmp $@
docs: $(DOCS)

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the program, its man
# page, bash and zsh completions, and the data fetch script (as
# sublim-fetch-mnist, with its checksums and helper in share/sublim/; it
# fetches into the user's data folder, where an installed sublim looks).
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install
BINDIR   = $(DESTDIR)$(PREFIX)/bin
MAN1DIR  = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR   = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
SHAREDIR = $(DESTDIR)$(PREFIX)/share/sublim
INSTALLED = $(BINDIR)/sublim $(BINDIR)/sublim-fetch-mnist $(MAN1DIR)/sublim.1 \
            $(BASHDIR)/sublim $(ZSHDIR)/_sublim $(SHAREDIR)/portable.sh \
            $(SHAREDIR)/mnist/SHA256SUMS $(SHAREDIR)/fashion-mnist/SHA256SUMS

install: $(BIN) $(DOCS)
	$(INSTALL) -d $(BINDIR) $(MAN1DIR) $(BASHDIR) $(ZSHDIR) $(SHAREDIR)/mnist \
	    $(SHAREDIR)/fashion-mnist
	$(INSTALL) -m 755 $(BIN) $(BINDIR)/sublim
	$(INSTALL) -m 755 scripts/fetch-mnist.sh $(BINDIR)/sublim-fetch-mnist
	$(INSTALL) -m 644 scripts/portable.sh $(SHAREDIR)
	$(INSTALL) -m 644 mnist/SHA256SUMS $(SHAREDIR)/mnist
	$(INSTALL) -m 644 fashion-mnist/SHA256SUMS $(SHAREDIR)/fashion-mnist
	$(INSTALL) -m 644 $(BUILD)/sublim.1 $(MAN1DIR)/sublim.1
	$(INSTALL) -m 644 $(BUILD)/sublim.bash $(BASHDIR)/sublim
	$(INSTALL) -m 644 $(BUILD)/_sublim $(ZSHDIR)/_sublim

# Removes what install put there, and share/sublim/ (ours alone).
uninstall:
	rm -f $(INSTALLED)
	-rmdir $(SHAREDIR)/mnist $(SHAREDIR)/fashion-mnist $(SHAREDIR) 2>/dev/null

# The data: copied from $$MNIST_SRC when set, else downloaded; always verified.
# The script is a quick no-op when the verified files are already there.
data:
	sh scripts/fetch-mnist.sh

# Fashion-MNIST, for --dataset fashion: from $$FASHION_SRC when set, else
# Debian's package dataset-fashion-mnist when installed, else downloaded;
# its unpacked files verified (fashion-mnist/README.md).
data-fashion:
	sh scripts/fetch-mnist.sh --fashion

# The effect for a class in about 20 s: one seed and a short theorem check
# into demo/, told as it goes, ending with the page to open (run again, it
# shows the finished run at once).
demo: $(BIN) data
	$(BIN) demo

# A new run each time: --force replaces what an earlier `make run` left.
run: $(BIN) data
	$(BIN) experiment --out $(OUT) --force
	$(BIN) theorem --out $(OUT) --check
	$(BIN) report $(OUT)

bench: $(BIN) data
	$(BIN) bench

# Tests: cmocka is installed on demand (apt-get as root, else a clear hint);
# the flags that link it here (pkg-config's, Homebrew's) are kept for the tests.
CMOCKA = $(BUILD)/cmocka.flags
$(CMOCKA):
	@mkdir -p $(BUILD)
	@CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" sh scripts/need-cmocka.sh >$@.tmp
	@mv $@.tmp $@

# Preloaded shims that stop the program at a chosen moment, so tests can
# kill or signal it there; never sanitized, since they are preloaded:
# scripts/stall.c at a chosen rename, tests/stall_fsync.c in fsync.
STALL = $(BUILD)/tests/stall.so
$(STALL): scripts/stall.c | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -shared -fPIC -O1 -Wall -Wextra $< -o $@ -ldl
STALL_SHIM = $(BUILD)/tests/stall_fsync.so
$(STALL_SHIM): tests/stall_fsync.c | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -O2 -shared -fPIC $< -o $@

# RUNNER: a command to run the test programs under, such as an emulator for
# a cross build (make check-ports: RUNNER=qemu-aarch64).  The programs then
# start sublim through $(BUILD)/sublim-run, which runs it under RUNNER too,
# since an emulated program cannot start a foreign one itself.
RUNNER  ?=
# TEST_TIMEOUT: seconds a test program may run before it is killed and
# fails (empty: no limit; make check-ports gives the emulated ones 600).
TEST_TIMEOUT ?=
TEST_BIN = $(if $(RUNNER),$(BUILD)/sublim-run,$(BIN))
$(BUILD)/sublim-run: $(BIN)
	printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(RUNNER)' '$(BIN)' > $@
	chmod +x $@

$(BUILD)/tests/test_%: tests/test_%.c tests/testutil.h $(wildcard tests/tu_*.h) $(CLI_LIB) $(LIB) $(CMOCKA) $(STALL_SHIM) | $(BUILD)/tests
	$(CC) $(SUBLIM_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Isrc -DSUBLIM_BIN='"$(TEST_BIN)"' -DSUBLIM_STALL='"$(STALL)"' -DSUBLIM_STALL_SHIM='"$(STALL_SHIM)"' $< $(CLI_LIB) $(LIB) -o $@ $(shell cat $(CMOCKA)) $(LDLIBS)

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c tests/fuzz/fuzz_input.h $(CLI_LIB) $(LIB) | $(BUILD)/tests
	$(CC) $(SUBLIM_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Isrc $< tests/fuzz/replay_main.c $(CLI_LIB) $(LIB) -o $@ $(LDLIBS)

# The test programs and fuzz replays, built but not run.
test-programs: $(TESTS) $(REPLAYS) $(STALL) $(TEST_BIN)

test: test-programs $(BIN) data
	@SUBLIM_BIN=$(abspath $(BIN)) RUNNER='$(RUNNER)' TEST_TIMEOUT='$(TEST_TIMEOUT)' \
	    SKIP_SHELL='$(SKIP_SHELL)' \
	    sh scripts/run-tests.sh $(TESTS) \
	    $(foreach t,$(FUZZ_TARGETS),"$(BUILD)/tests/replay_$(t) tests/fuzz/corpus/$(t) tests/fuzz/regressions/$(t)")

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer
# (but the two shell tests that only compare result bytes across thread
# counts and kernel paths, which the plain suite runs: their code runs
# sanitized in the cmocka tests of the experiment, arms, alignment, theorem
# and kernels, at up to 8 threads);
# a short real-data run (and its resumption) under valgrind memcheck; a run
# killed 20 times with SIGKILL resuming to the same bytes, and one with the
# arms beyond the paper 8 times; and resource limits (failing allocations,
# full disks, read-only folders).  The sanitized build is -O2: it finds the
# same errors here and runs the real-data tests in half the time of -O1.
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: $(BIN) data
	$(MAKE) test BUILD=build/san CFLAGS="-O2 -g $(SAN)" LDFLAGS="$(SAN)" \
	    SKIP_SHELL="test_threads.sh test_golden.sh"
	sh scripts/memcheck.sh $(BIN)
	bash scripts/kill-resume.sh $(BIN)
	KILLS=8 FORCE_KILLS=4 EXTRA="--trait prefer:3 --student-width 40 --student-init mix:0.5" \
	    bash scripts/kill-resume.sh $(BIN)
	bash scripts/resource-limits.sh $(BIN)

# The scale-out recipes for real: one tiny sweep run locally, as a job
# array on a single-node Slurm started for the test, and under GNU parallel
# must collect to the same bytes (root: it installs Slurm, munge and
# parallel with apt-get when missing).
check-scaleout: $(BIN) data
	bash scripts/check-scaleout.sh $(BIN)

# report.html as a browser shows it: a tiny experiment and theorem run,
# the page regenerated byte for byte, rendered in headless Chromium (not
# blank) and every section found in its DOM (root: it installs Chromium
# with apt-get when missing).
check-page: $(BIN) data
	sh scripts/check-page.sh $(BIN)

# The same bytes from every build we can make here: clang and gcc with
# warnings as errors (clang's suite run), an aarch64 cross build whose
# suite runs under qemu-user, and a short real-data experiment and theorem
# run compared byte for byte across them and every x86 kernel path (root:
# it installs clang, the cross compiler, qemu-user and arm64 cmocka with
# apt-get when missing).
check-ports: $(BIN) data
	bash scripts/check-ports.sh

# libFuzzer (clang) on every parser, FUZZ_SECONDS each; a crash is saved in
# tests/fuzz/regressions/<target>/ to be fixed and kept as a test.  The
# library is compiled once (coverage, ASan, UBSan) for all the targets;
# `make fuzz FUZZ_TARGETS="idx cli"` runs some of them.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/fuzz/obj/%.o) $(CLI_SRC:src/%.c=$(BUILD)/fuzz/obj/%.o)
FUZZERS = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/clang.ok:
	@sh scripts/need-fuzzer.sh
	@mkdir -p $(BUILD)/fuzz/obj && touch $@

$(BUILD)/fuzz/obj/%.o: src/%.c $(BUILD)/fuzz/clang.ok
	@mkdir -p $(@D)
	clang $(SUBLIM_CFLAGS) $(CPPFLAGS) $(FUZZ_FLAGS) -Isrc -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h $(FUZZ_OBJ)
	clang $(SUBLIM_CFLAGS) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc $< $(FUZZ_OBJ) -o $@ $(LDLIBS)

fuzz: $(FUZZERS)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(BUILD)/fuzz/corpus_$$t tests/fuzz/regressions/$$t; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -artifact_prefix=tests/fuzz/regressions/$$t/ \
	        $(BUILD)/fuzz/corpus_$$t tests/fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf $(BUILD)

.PHONY: all data data-fashion docs install uninstall run demo bench test-programs test check check-scaleout \
        check-page check-ports fuzz clean
-include $(OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(BUILD)/obj/cli/main.d $(FUZZ_OBJ:.o=.d) $(FUZZERS:=.d)

# sublim: plain Makefile.  `make run` reproduces the experiment, `make test` tests it.
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
# ISO C11 (not gnu11) keeps floating-point contraction off: results do not
# depend on whether the compiler fuses a multiply-add.  No fast-math, ever.
SUBLIM_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
                -pthread -MMD -MP
LDLIBS  = -lm -pthread

BUILD   = build
SRC     = $(filter-out src/main.c,$(wildcard src/*.c))
OBJ     = $(SRC:src/%.c=$(BUILD)/obj/%.o)
LIB     = $(BUILD)/libsublim.a
BIN     = $(BUILD)/sublim
TESTS   = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
OUT     ?= out

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(CC) $(SUBLIM_CFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(SUBLIM_CFLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# The data: copied from $$MNIST_SRC when set, else downloaded; always verified.
# The script is a quick no-op when the verified files are already there.
data:
	sh scripts/fetch-mnist.sh

run: $(BIN) data
	$(BIN) experiment --out $(OUT)
	$(BIN) theorem --out $(OUT) --check

# Tests: cmocka is installed on demand (apt-get as root, else a clear hint).
$(BUILD)/cmocka.ok:
	@sh scripts/need-cmocka.sh
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(LIB) $(BUILD)/cmocka.ok | $(BUILD)/tests
	$(CC) $(SUBLIM_CFLAGS) $(CFLAGS) -Isrc $< $(LIB) -o $@ -lcmocka $(LDLIBS)

test: $(TESTS) $(BIN) data
	@sh scripts/run-tests.sh $(TESTS)

clean:
	rm -rf $(BUILD)

.PHONY: all data run test clean
-include $(OBJ:.o=.d) $(BUILD)/obj/main.d

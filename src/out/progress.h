/* progress: what a running experiment shows on stderr.
 *
 *  - on a terminal: one line per phase (a seed's teacher, then its
 *    students), rewritten in place with \r while the phase runs: seed, phase,
 *    epoch, batch, loss, examples per second, time left; it stays on screen
 *    when the phase ends, closed with the phase's result;
 *  - otherwise (a log file, CI): a plain line per epoch of every arm;
 *  - quiet: nothing.
 *
 * The caller passes the time (seconds on any monotonic clock), so the
 * module reads no clock and its output is testable.  Nothing shown here
 * goes into a result file. */
#ifndef SUBLIM_PROGRESS_H
#define SUBLIM_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "run/experiment.h"

enum progress_mode { PROGRESS_QUIET, PROGRESS_LINES, PROGRESS_TERMINAL };

typedef struct {
    FILE *f;
    enum progress_mode mode;
    size_t seeds, batch, n_students, teacher_epochs, student_epochs, trait_epochs;
    size_t batches[TRAIN_N_PHASES]; /* per seed and phase (the students': every pass) */
    size_t passes;            /* student passes per seed (experiment_student_passes) */
    size_t pass_batches;      /* batches of one pass */
    uint64_t seed_start;
    double start, last_event, last_draw, phase_start;
    int phase;                /* -1 none, else an enum train_phase */
    uint64_t seed;
    size_t phase_done;        /* batches done in the current phase (all its passes) */
    size_t pass, pass_at;     /* the students' pass, and the batch reached in it */
    double rate_start;        /* examples/s are counted from this time */
    size_t rate_from;         /* and this batch of the phase */
    double spent[TRAIN_N_PHASES]; /* seconds spent per phase, over all seeds */
    size_t done[TRAIN_N_PHASES];  /* batches done per phase, over all seeds */
    double loss[EXPERIMENT_MAX_ARMS], acc[EXPERIMENT_MAX_ARMS]; /* last epoch, this seed */
    int line_open;            /* a terminal line waits for its end */
} progress;

/* The mode for a log: the terminal's (\r and erase-line escapes) only on a
 * terminal (is_tty) that takes escapes: TERM set and not "dumb", and
 * NO_COLOR unset or empty (no-color.org: a user who sets it wants plain
 * text); else plain lines.  term and no_color are getenv's, NULL when
 * unset. */
enum progress_mode progress_mode_for(int is_tty, const char *term, const char *no_color);

/* n_train and n_noise size the phases (for the time left). */
void progress_init(progress *p, FILE *f, enum progress_mode mode,
                   const experiment_config *cfg, size_t n_train, size_t n_noise, double now);

/* The experiment_hooks callbacks, with the time added. */
void progress_batch(progress *p, double now, uint64_t seed, enum train_phase phase, size_t epoch,
                    size_t n_epochs, size_t batch, size_t n_batches, double loss);
void progress_epoch(progress *p, double now, uint64_t seed, size_t arm, size_t epoch,
                    double loss, double test_acc);
/* A seed's final rows: closes its students' line with their test accuracy. */
void progress_seed(progress *p, double now, const arm_result *rows, size_t n_rows);
/* Ends an open line (on success or failure). */
void progress_end(progress *p);

/* Estimated seconds left, or a negative number when there is nothing to
 * go on yet. */
double progress_seconds_left(const progress *p);

/* "1h02m", "4m10s", "12s" */
void progress_format_duration(char *buf, size_t size, double seconds);

#endif

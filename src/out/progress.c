#include "out/progress.h"
#include <inttypes.h>
#include <math.h>
#include <string.h>

/* ceil(examples / batch) batches per epoch, as train.c makes them. */
static size_t batches_of(size_t epochs, size_t examples, size_t batch)
{
    return epochs * ((examples + batch - 1) / batch);
}

enum progress_mode progress_mode_for(int is_tty, const char *term, const char *no_color)
{
    int escapes = term && *term && strcmp(term, "dumb") != 0 && !(no_color && *no_color);
    return is_tty && escapes ? PROGRESS_TERMINAL : PROGRESS_LINES;
}

void progress_init(progress *p, FILE *f, enum progress_mode mode, const experiment_config *cfg,
                   size_t n_train, size_t n_noise, double now)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    memset(p, 0, sizeof *p);
    p->f = f;
    p->mode = mode;
    p->seeds = cfg->seeds;
    p->seed_start = cfg->seed_start;
    p->batch = cfg->batch;
    p->teacher_epochs = cfg->teacher_epochs;
    p->student_epochs = cfg->student_epochs;
    p->trait_epochs = cfg->trait_epochs;
    for (size_t a = 0; a < n_arms; a++)
        p->n_students += experiment_arm_runs(cfg, a) && arms[a].training == ARM_STUDENT;
    p->batches[TRAIN_TEACHER] = batches_of(cfg->teacher_epochs, n_train, cfg->batch);
    p->batches[TRAIN_TRAIT_TEACHER] =
        cfg->trait.kind == TRAIT_NONE
            ? 0
            : batches_of(cfg->trait_epochs, experiment_trait_examples(cfg, n_train), cfg->batch);
    /* Each group of students trained in lock-step passes over the noise. */
    p->passes = experiment_student_passes(cfg);
    p->pass_batches = batches_of(cfg->student_epochs, n_noise, cfg->batch);
    p->batches[TRAIN_STUDENTS] = p->passes * p->pass_batches;
    p->start = p->last_event = p->last_draw = p->phase_start = now;
    p->phase = -1;
    for (size_t a = 0; a < EXPERIMENT_MAX_ARMS; a++)
        p->loss[a] = p->acc[a] = NAN;
}

void progress_format_duration(char *buf, size_t size, double s)
{
    if (!(s >= 0))
        snprintf(buf, size, "?");
    else if (s >= 3600)
        snprintf(buf, size, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
    else if (s >= 60)
        snprintf(buf, size, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
    else
        snprintf(buf, size, "%.0fs", s);
}

double progress_seconds_left(const progress *p)
{
    enum { T = TRAIN_TEACHER, TT = TRAIN_TRAIT_TEACHER, S = TRAIN_STUDENTS };
    if (p->done[T] == 0 && p->done[TT] == 0 && p->done[S] == 0)
        return -1;
    /* Seconds per batch, measured where it can be; else guessed: the trait
     * teacher's network is the teacher's, and a student batch costs one
     * teacher batch per student trained in lock-step (each runs forward
     * and backward), the running students shared out over the passes. */
    double per_pass = (double)(p->n_students ? p->n_students : 1) /
                      (double)(p->passes ? p->passes : 1);
    double rate[TRAIN_N_PHASES];
    for (int ph = 0; ph < TRAIN_N_PHASES; ph++)
        rate[ph] = p->done[ph] ? p->spent[ph] / (double)p->done[ph] : NAN;
    double one = !isnan(rate[T]) ? rate[T] : !isnan(rate[TT]) ? rate[TT] : rate[S] / per_pass;
    rate[T] = isnan(rate[T]) ? one : rate[T];
    rate[TT] = isnan(rate[TT]) ? one : rate[TT];
    rate[S] = isnan(rate[S]) ? one * per_pass : rate[S];
    /* A seed runs its phases in this order: the rest of the current one,
     * then the later ones whole. */
    static const int order[] = {T, TT, S};
    double per_seed = 0, left = 0;
    int after = 0;
    for (size_t k = 0; k < 3; k++) {
        int ph = order[k];
        size_t done = p->phase_done < p->batches[ph] ? p->phase_done : p->batches[ph];
        per_seed += (double)p->batches[ph] * rate[ph];
        if (after)
            left += (double)p->batches[ph] * rate[ph];
        else if (p->phase == ph)
            left = (double)(p->batches[ph] - done) * rate[ph], after = 1;
    }
    size_t index = (size_t)(p->seed - p->seed_start);
    if (index + 1 < p->seeds)
        left += (double)(p->seeds - index - 1) * per_seed;
    return left;
}

/* "seed 3 (4/20)" */
static void seed_label(char *buf, size_t size, const progress *p)
{
    snprintf(buf, size, "seed %" PRIu64 " (%zu/%zu)", p->seed,
             (size_t)(p->seed - p->seed_start) + 1, p->seeds);
}

/* Closes the current terminal line with the phase's outcome. */
static void close_line(progress *p, double now, const char *outcome)
{
    if (p->mode != PROGRESS_TERMINAL || !p->line_open)
        return;
    char who[64], took[32];
    seed_label(who, sizeof who, p);
    progress_format_duration(took, sizeof took, now - p->phase_start);
    size_t epochs = p->phase == TRAIN_TEACHER         ? p->teacher_epochs
                    : p->phase == TRAIN_TRAIT_TEACHER ? p->trait_epochs
                                                      : p->student_epochs;
    fprintf(p->f, "\r\033[K%s  %-8s  %zu epoch%s in %s  %s\n", who,
            train_phase_name((enum train_phase)p->phase), epochs, epochs == 1 ? "" : "s", took,
            outcome);
    fflush(p->f);
    p->line_open = 0;
}

/* A teacher's line (the phase's: the teacher's or the trait teacher's)
 * ends with its last loss and (with curves) accuracy. */
static void close_teacher(progress *p, double now)
{
    int trait = experiment_arm_find(ARM_TRAIT_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE,
                                    ARM_IMITATES_TEACHER);
    size_t t = p->phase == TRAIN_TRAIT_TEACHER && trait >= 0 ? (size_t)trait
                                                             : experiment_teacher_arm();
    char outcome[96] = "";
    if (!isnan(p->loss[t]))
        snprintf(outcome, sizeof outcome, "loss %.4f", p->loss[t]);
    if (!isnan(p->acc[t]))
        snprintf(outcome + strlen(outcome), sizeof outcome - strlen(outcome),
                 "  test acc %.1f%%", 100 * p->acc[t]);
    close_line(p, now, outcome);
}

void progress_batch(progress *p, double now, uint64_t seed, enum train_phase phase, size_t epoch,
                    size_t n_epochs, size_t batch, size_t n_batches, double loss)
{
    int ph = (int)phase;
    size_t at = epoch * n_batches + batch; /* in this pass */
    if (ph != p->phase || seed != p->seed) {
        if (p->phase == TRAIN_TEACHER || p->phase == TRAIN_TRAIT_TEACHER)
            close_teacher(p, p->last_event);
        else
            close_line(p, p->last_event, "");
        p->phase = ph;
        p->seed = seed;
        p->pass = 0;
        p->phase_start = p->last_event;
        p->rate_start = now;
        p->rate_from = at;
    } else if (at <= p->pass_at) {
        /* The students' next pass (their epochs start again); its first
         * batch holds its setup, left out as a phase's first. */
        p->pass++;
    } else {
        /* Time since the last event is this batch's, with what ran between
         * batches (evaluations).  A phase's first batch is left out: its
         * time holds the phase's setup (the teacher's logits on the noise),
         * which would skew the rate of a few batches. */
        p->spent[ph] += now - p->last_event;
        p->done[ph]++;
    }
    p->last_event = now;
    p->pass_at = at;
    p->phase_done = p->pass * n_batches * n_epochs + at;
    if (p->mode != PROGRESS_TERMINAL || (now - p->last_draw < 0.1 && batch != n_batches))
        return;
    p->last_draw = now;
    char who[64], left[32], rate[32];
    seed_label(who, sizeof who, p);
    double secs = now - p->rate_start;
    double per_s = secs > 0 ? (double)((p->phase_done - p->rate_from) * p->batch) / secs : 0;
    if (per_s == 0)
        snprintf(rate, sizeof rate, "- img/s");
    else if (per_s >= 1000)
        snprintf(rate, sizeof rate, "%.1fk img/s", per_s / 1000);
    else
        snprintf(rate, sizeof rate, "%.0f img/s", per_s);
    progress_format_duration(left, sizeof left, progress_seconds_left(p));
    fprintf(p->f, "\r\033[K%s  %-8s  epoch %zu/%zu  batch %zu/%zu  loss %.4f  %s  ~%s left", who,
            train_phase_name(phase), epoch + 1, n_epochs, batch, n_batches, loss, rate, left);
    fflush(p->f);
    p->line_open = 1;
}

void progress_epoch(progress *p, double now, uint64_t seed, size_t arm, size_t epoch,
                    double loss, double test_acc)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    if (arm < EXPERIMENT_MAX_ARMS) {
        p->loss[arm] = loss;
        p->acc[arm] = test_acc;
    }
    if (p->phase >= 0)
        p->spent[p->phase] += now - p->last_event;
    p->last_event = now;
    if (p->mode != PROGRESS_LINES)
        return;
    char left[32];
    progress_format_duration(left, sizeof left, progress_seconds_left(p));
    fprintf(p->f, "[%7.1fs] seed %" PRIu64 " %-18s epoch %zu/%zu loss %.5f", now - p->start,
            seed, arms[arm].name, epoch + 1,
            arms[arm].training == ARM_TEACHER         ? p->teacher_epochs
            : arms[arm].training == ARM_TRAIT_TEACHER ? p->trait_epochs
                                                      : p->student_epochs,
            loss);
    if (!isnan(test_acc))
        fprintf(p->f, " test acc %.4f", test_acc);
    fprintf(p->f, "  ~%s left\n", left);
    fflush(p->f);
}

void progress_seed(progress *p, double now, const arm_result *rows, size_t n_rows)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    char outcome[512] = "test acc";
    size_t used = strlen(outcome);
    for (size_t i = 0; i < n_rows && used < sizeof outcome; i++) {
        const char *name = arms[rows[i].arm].name;
        if (arms[rows[i].arm].training != ARM_STUDENT)
            continue;
        if (strncmp(name, "student_", 8) == 0)
            name += 8;
        if (rows[i].ok)
            used += (size_t)snprintf(outcome + used, sizeof outcome - used, "  %s %.1f%%", name,
                                     100.0 * (double)rows[i].correct / (double)rows[i].total);
        else
            used += (size_t)snprintf(outcome + used, sizeof outcome - used, "  %s diverged",
                                     name);
    }
    if (p->phase == TRAIN_TEACHER || p->phase == TRAIN_TRAIT_TEACHER)
        close_teacher(p, now);
    else
        close_line(p, now, outcome);
    if (p->phase >= 0)
        p->spent[p->phase] += now - p->last_event;
    p->last_event = now;
    p->phase = -1;
    for (size_t a = 0; a < EXPERIMENT_MAX_ARMS; a++)
        p->loss[a] = p->acc[a] = NAN;
}

void progress_end(progress *p)
{
    if (p->mode == PROGRESS_TERMINAL && p->line_open) {
        fputc('\n', p->f);
        fflush(p->f);
        p->line_open = 0;
    }
}

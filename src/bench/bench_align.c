#include "bench/bench_align.h"
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "nn/alignment.h"

/* Repetitions of each timed call: enough for milliseconds in all. */
#define BENCH_ALIGN_REPS 40

int bench_alignment(const experiment_config *cfg, const dataset *train, double seed_s1,
                    double seed_sn, FILE *out, err *e)
{
    mlp_shape s;
    if (experiment_shape(cfg, train->pixels, &s, e))
        return -1;
    size_t P = mlp_n_params(&s), n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    float *moving = mlp_arena_new_f32(&s), *teacher = mlp_arena_new_f32(&s),
          *init = mlp_arena_new_f32(&s);
    double *move = malloc(P * sizeof *move);
    align_tracker tr;
    int rc = !moving || !teacher || !init || !move ? err_set(e, "out of memory")
                                                   : align_tracker_init(&tr, &s, e);
    if (rc) {
        free(moving), free(teacher), free(init), free(move);
        return -1;
    }
    mlp_init_params_f32(init, &s, cfg->init, 1, 0);
    mlp_init_params_f32(teacher, &s, cfg->init, 2, 0);
    mlp_init_params_f32(moving, &s, cfg->init, 3, 0);
    align_move(move, teacher, init, P);
    align_tracker_start(&tr, init, move);
    memcpy(moving, init, P * sizeof *moving);
    double t0 = clock_seconds();
    for (size_t r = 0; r < BENCH_ALIGN_REPS; r++) {
        moving[r % P] += 1e-3f; /* a step that moved something */
        align_tracker_step(&tr, moving);
    }
    double step_s = (clock_seconds() - t0) / BENCH_ALIGN_REPS;
    align_point pt;
    t0 = clock_seconds();
    for (size_t r = 0; r < BENCH_ALIGN_REPS; r++)
        align_tracker_point(&tr, moving, &pt);
    double point_s = (clock_seconds() - t0) / BENCH_ALIGN_REPS;
    align_tracker_free(&tr);
    free(moving), free(teacher), free(init), free(move);

    /* What one seed measures: every aligned moving's steps, its step-0
     * point and one point per epoch (and per align_every steps). */
    size_t n_noise = cfg->n_noise ? cfg->n_noise : train->n, students = 0;
    for (size_t a = 0; a < n_arms; a++)
        students += experiment_arm_runs(cfg, a) && experiment_arm_aligns(cfg, &arms[a]);
    double steps = (double)cfg->student_epochs * (double)((n_noise + cfg->batch - 1) / cfg->batch);
    double points = 1 + (double)cfg->student_epochs +
                    (cfg->align_every ? steps / (double)cfg->align_every : 0);
    double per_seed = (double)students * (steps * step_s + points * point_s);
    fprintf(out, "\nalignment through training (%zu students × %.0f steps, %zu numbers each):\n"
                 "  %.3f ms a step, %.3f ms a point: %.2f s a seed, %.1f%% of its time on 1 "
                 "thread, %.1f%% on N\n",
            students, steps, P, step_s * 1e3, point_s * 1e3, per_seed, 100 * per_seed / seed_s1,
            100 * per_seed / seed_sn);
    return 0;
}

/* reading: arms' summaries in words and table cells, the same in every
 * report (a result folder's report.md, a sweep's report.md). */
#ifndef SUBLIM_READING_H
#define SUBLIM_READING_H

#include <stddef.h>
#include <stdio.h>
#include "out/results.h"

/* The accuracy of guessing a digit. */
#define READING_CHANCE (1.0 / EXPERIMENT_CLASSES)

/* v as a percentage, "53.1%". */
void reading_percent(char *buf, size_t size, double v);

/* Two arms in words: "same init 53.1% (95% CI 51.0% to 55.2%), other init
 * 10.4% (9.8% to 11.0%): the intervals do not overlap, ...". */
void reading_compare(FILE *f, const arm_summary *a, const arm_summary *b, const char *a_name,
                     const char *b_name);

/* What the student from the teacher's init (same) against the one from
 * another init (cross), both imitating the auxiliary logits, tells. */
typedef enum {
    READING_NO_VERDICT,       /* an arm has fewer than two runs: no interval */
    READING_SHOWN,            /* same's interval above chance and above cross's */
    READING_ABOVE_CHANCE,     /* same's interval above chance, not above cross's */
    READING_NOT_ABOVE_CHANCE, /* same's interval reaches down to chance */
} reading_verdict;

reading_verdict reading_subliminal(const arm_summary *same, const arm_summary *cross);

/* An arm's cells of a markdown results table: " | n | mean | ±ci95 | min |
 * max" ("–" for the numbers of an arm without runs). */
void reading_arm_cells(FILE *f, const arm_summary *s);

/* s in a markdown table cell: the characters that would break it escaped. */
void reading_md_cell(FILE *f, const char *s);

#endif

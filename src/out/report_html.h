/* report_html: report.html, the page of a result folder that a class can
 * read: one self-contained file (inline CSS and SVG; no scripts, no other
 * files), in sections with fixed ids:
 *   claim          the effect in two sentences, and this run's numbers;
 *   figure         figure.svg, inlined;
 *   samples        what the networks see, from samples.pgm;
 *   per-digit      a confusion heat map per arm, from classes.csv;
 *   curves         curves.svg, inlined;
 *   theorem        theorem.csv as a table, with its legend;
 *   configuration  config.txt and the data read;
 *   machine        run.txt's runs: machine, cpu, threads, wall time.
 * Every section is there whatever the folder holds; one whose file is
 * missing says so.  Like report.md it is a pure function of the folder's
 * files (written after figure.svg and curves.svg, which it inlines), so
 * `sublim report` regenerates the same bytes. */
#ifndef SUBLIM_REPORT_HTML_H
#define SUBLIM_REPORT_HTML_H

#include <stdio.h>
#include "base/err.h"
#include "out/folder.h"

/* The section ids, in page order (NULL-terminated), for checks. */
extern const char *const REPORT_HTML_SECTIONS[];

/* report.html of c into f. */
int report_html_write(const folder *f, const folder_content *c, err *e);

/* s as HTML text or attribute value: & < > " ' escaped. */
void report_html_escape(FILE *f, const char *s);

#endif

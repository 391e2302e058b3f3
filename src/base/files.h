/* files: the few file-system questions every layer asks, answered once.
 *
 * Paths are built into fixed buffers of FILES_PATH_MAX bytes; a path that
 * does not fit is an error, never a silent truncation.  Text read from
 * outside (result folders, checksum lists) goes through files_read_line,
 * which tells a NUL byte and an overlong line apart from a line. */
#ifndef SUBLIM_FILES_H
#define SUBLIM_FILES_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

#define FILES_PATH_MAX 4096

/* buf = dir/name; -1 (with e) when it does not fit in size bytes. */
int files_join(char *buf, size_t size, const char *dir, const char *name, err *e);

/* 1 when something is at path (file, folder, anything stat sees). */
int files_exists(const char *path);

/* 1 when a and b both exist and are the same file or folder (same device
 * and inode), however they are spelled. */
int files_same(const char *a, const char *b);

/* Creates the folder dir (one level) unless it is there already; an error
 * when something else is in its place. */
int files_ensure_dir(const char *dir, err *e);

/* Opens path to read, refusing anything but a regular file before a byte
 * is read: a FIFO would block the open itself until a writer came, and a
 * read forever after, so the file is opened non-blocking, checked with
 * files_check_regular, then made blocking again.  NULL, with e, on
 * failure; errno is then the cause (ENOENT for a missing file, EINVAL for
 * one not regular). */
FILE *files_open_read(const char *path, err *e);

/* 0 when fd (opened from path) is a regular file; else -1, with e and
 * errno EINVAL. */
int files_check_regular(int fd, const char *path, err *e);

/* Reads a whole regular file into *buf (malloc'ed, with a NUL after its
 * *n bytes, so text can be read as a string; binary files read too). */
int files_read_all(const char *path, char **buf, size_t *n, err *e);

/* One line of f (with its '\n', if any) into line, its length in *len.
 * Returns 1 for a line, 0 at the end of the file, FILES_LINE_NUL on a NUL
 * byte (fgets would silently cut the line there) and FILES_LINE_LONG on a
 * line that does not fit in size bytes with its '\n' and the NUL. */
#define FILES_LINE_NUL (-1)
#define FILES_LINE_LONG (-2)
int files_read_line(FILE *f, char *line, size_t size, size_t *len);

/* What a negative files_read_line result means, as words. */
const char *files_line_problem(int got);

#endif

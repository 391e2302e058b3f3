/* sha256: SHA-256 (FIPS 180-4), to name data by its bytes.
 *
 * The same digest sha256sum prints, so a user can check what sublim
 * recorded with the usual tools. */
#ifndef SUBLIM_SHA256_H
#define SUBLIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX 65 /* 64 lowercase hex digits and a NUL */

typedef struct {
    uint32_t state[8];
    uint64_t bytes;        /* hashed so far */
    uint8_t block[64];     /* a partial block, block_used bytes of it */
    size_t block_used;
} sha256;

void sha256_init(sha256 *h);
void sha256_add(sha256 *h, const void *data, size_t n);
/* The digest of everything added, as hex; h is used up. */
void sha256_hex(sha256 *h, char hex[SHA256_HEX]);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Pseudo-random buffer contents that tests write and check byte for byte:
 * xorshift64 from a seed, so that no compressor shortcut can fake them and a
 * mismatch says where it is.
 */
#ifndef IGT_PATTERN_H
#define IGT_PATTERN_H

#include <stdint.h>

void igt_pattern_fill(void *ptr, uint64_t size, uint64_t seed);
uint64_t igt_pattern_check(const void *ptr, uint64_t size, uint64_t seed);

#endif /* IGT_PATTERN_H */

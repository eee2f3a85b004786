// SPDX-License-Identifier: MIT
#include "igt_pattern.h"

static uint64_t next_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/**
 * igt_pattern_fill: fill @size bytes (a multiple of 8) from @seed
 */
void igt_pattern_fill(void *ptr, uint64_t size, uint64_t seed)
{
	uint64_t *p = ptr;

	seed |= 1;	/* xorshift never leaves zero */
	for (uint64_t i = 0; i < size / 8; i++)
		p[i] = next_rand(&seed);
}

/**
 * igt_pattern_check: the offset of the first byte that differs from what
 * igt_pattern_fill() wrote with @seed, or @size if none does
 */
uint64_t igt_pattern_check(const void *ptr, uint64_t size, uint64_t seed)
{
	const uint64_t *p = ptr;

	seed |= 1;
	for (uint64_t i = 0; i < size / 8; i++)
		if (p[i] != next_rand(&seed))
			return i * 8;
	return size;
}

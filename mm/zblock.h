/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zblock internals shared with its KUnit tests: the size-class table and
 * its generator, which is a pure function of the page size so that the
 * tables of 4K, 16K and 64K pages can be checked on any kernel.
 */
#ifndef _MM_ZBLOCK_H
#define _MM_ZBLOCK_H

#include <linux/minmax.h>
#include <linux/types.h>

/* Like zsmalloc's default chain size: at most an order-3 allocation. */
#define ZBLOCK_MAX_BLOCK_PAGES	8
/* The generator gives 141 classes for 4K, 16K and 64K pages. */
#define ZBLOCK_MAX_CLASSES	160
/* Partial blocks of a class are kept in this many lists by fullness. */
#define ZBLOCK_FULLNESS_GROUPS	4

/**
 * struct zblock_class_desc - the geometry of one size class
 * @slot_size: bytes of each slot, a multiple of the granule
 * @slots: slots in one block
 * @pages: pages in one block
 */
struct zblock_class_desc {
	u32 slot_size;
	u16 slots;
	u8 pages;
};

/**
 * zblock_granule() - the size step of the class table
 * @page_size: page size the table is made for
 *
 * zsmalloc's class delta: 16 bytes on 4K pages, PAGE_SIZE / 256 above.
 *
 * Return: the granule in bytes.
 */
static inline unsigned int zblock_granule(unsigned int page_size)
{
	return max(16U, page_size >> 8);
}

int zblock_gen_classes(unsigned int page_size, struct zblock_class_desc *table,
		       int max);

#endif /* _MM_ZBLOCK_H */

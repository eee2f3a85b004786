/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zblock: a compressed-object allocator of equal-size slots in page blocks.
 *
 * See mm/zblock.c for the design and Documentation/mm/zblock.rst for its
 * measurements.
 */
#ifndef _LINUX_ZBLOCK_H
#define _LINUX_ZBLOCK_H

#include <linux/gfp_types.h>
#include <linux/types.h>

struct zblock_pool;

/**
 * enum zblock_mapmode - what the caller of zblock_map() does with the object
 * @ZBLOCK_MAP_RW: reads and writes it
 * @ZBLOCK_MAP_RO: only reads it
 * @ZBLOCK_MAP_WO: only writes it
 *
 * zblock maps every object the same way, directly; the mode documents intent
 * and lets a debug build check it.
 */
enum zblock_mapmode {
	ZBLOCK_MAP_RW,
	ZBLOCK_MAP_RO,
	ZBLOCK_MAP_WO,
};

struct zblock_pool *zblock_create_pool(const char *name, gfp_t gfp);
void zblock_destroy_pool(struct zblock_pool *pool);
int zblock_alloc(struct zblock_pool *pool, size_t size, gfp_t gfp,
		 unsigned long *handle);
void zblock_free(struct zblock_pool *pool, unsigned long handle);
void *zblock_map(struct zblock_pool *pool, unsigned long handle,
		 enum zblock_mapmode mode);
void zblock_unmap(struct zblock_pool *pool, unsigned long handle);
size_t zblock_max_size(void);
size_t zblock_slot_size(size_t size);
u64 zblock_total_pages(struct zblock_pool *pool);
u64 zblock_slot_bytes(struct zblock_pool *pool);

#endif /* _LINUX_ZBLOCK_H */

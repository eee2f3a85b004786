// SPDX-License-Identifier: GPL-2.0
/*
 * zblock: a compressed-object allocator of equal-size slots in page blocks
 *
 * zblock stores the compressed objects of zswap (through zpool) and the
 * compressed buffer-object streams of drm_gem_zswap (through its native
 * API).  Its design trades zsmalloc's page-spanning objects and compaction
 * for direct mappings and short paths, and keeps zsmalloc's density by using
 * the same block geometries zsmalloc's size classes end up with.
 *
 * Blocks
 *   A block is 1 to ZBLOCK_MAX_BLOCK_PAGES physically contiguous pages from
 *   the page allocator, cut into equal slots.  An object lives in one slot,
 *   so it never spans two blocks and is always reachable through the linear
 *   map: zblock_map() is arithmetic, with no copy, no per-CPU mapping area
 *   and no lock, and a mapping may be held while sleeping.
 *
 *   Blocks are not vmalloc'ed because zswap allocates without
 *   __GFP_DIRECT_RECLAIM, which vmalloc does not support, and because the
 *   linear map costs neither vmap space nor TLB entries.  The price is that
 *   a block of more than one page needs a high-order allocation, which may
 *   fail when memory is fragmented; zblock_alloc() then fails with -ENOMEM
 *   and the caller keeps its data elsewhere (zswap writes the page to swap).
 *   Blocks stop at 8 pages, an order-3 allocation, PAGE_ALLOC_COSTLY_ORDER.
 *
 * Size classes
 *   Generated at init from PAGE_SIZE.  Every block geometry of p pages cut
 *   into k slots gives slots of round_down(p * PAGE_SIZE / k, granule) bytes
 *   at a cost of p * PAGE_SIZE / k bytes of memory per object.  The classes
 *   are the geometries on the Pareto frontier of (slot size, cost): a larger
 *   slot always costs more, so every object goes to the smallest slot that
 *   holds it and that is also the cheapest.  With zsmalloc's granule
 *   (PAGE_SIZE / 256, at least 16 bytes) and its default chain of 8 pages,
 *   these are the geometries zsmalloc's merged classes use, so an object
 *   costs about what it costs there.  The waste of a class is bounded two
 *   ways: a block's tail is less than one slot and, with up to 8 pages per
 *   block, at most 1.56% of the block for 4K, 16K and 64K pages (the KUnit
 *   suite checks it); an object wastes less than the step to the class below
 *   its own.  Above PAGE_SIZE the classes are whole multi-page blocks, for
 *   drm_gem_zswap, which cuts its streams into chunks that fill slots exactly.
 *
 * Handles
 *   A handle is the object's own address, so zblock_map() returns it as it
 *   is, reading no memory at all, and the copy into or out of the object is
 *   all the work a map does.  The block is found from any of its pages, whose
 *   page->private all point to the block's descriptor, and the slot from the
 *   offset into the block; the division that gives the slot also gives the
 *   remainder, so a handle that is not the start of a slot is refused.  There
 *   is no per-object memory: zsmalloc spends an 8-byte slab handle per object
 *   and reads its zspage and struct page on every map.
 *
 * Finding a slot
 *   Each class has its own spinlock and keeps its partially used blocks in
 *   ZBLOCK_FULLNESS_GROUPS lists by fullness.  An allocation takes the first
 *   block of the fullest non-empty group, so that sparse blocks drain and get
 *   freed: that keeps density up under churn without compaction.  Within a
 *   block a bitmap of used slots and a hint (no free slot below it) find the
 *   lowest free slot.  Full blocks sit on a list of their own; a block that
 *   becomes empty is returned to the page allocator at once.
 *
 * Memory and GFP
 *   New blocks are allocated outside the class lock with the caller's flags,
 *   less __GFP_HIGHMEM and __GFP_MOVABLE (blocks are linearly mapped and never
 *   move), so GFP_NOWAIT never sleeps.  They come from the local NUMA node.
 *
 * Locking
 *   class->lock protects the class's lists and counters and the bitmaps,
 *   counts and hints of the class's blocks.  Pool page counts are atomic.
 *   Nothing is locked across zblock_map() and zblock_unmap(): an allocated
 *   object never moves and its block cannot be freed while it is allocated.
 *   With CONFIG_ZBLOCK_DEBUG, pool->debug_lock serializes frees and handle
 *   checks against the pool's xarray of blocks, outside any class lock.
 *
 * Bad input
 *   Size 0 is -EINVAL, a size above the largest slot -ENOSPC: never a silent
 *   larger allocation.  Freeing a free slot of a block that still holds an
 *   object is caught by the bitmap and counted, with a warning, changing
 *   nothing.  But a block goes back to the page allocator with its last
 *   object, bitmap and all, and its pages' page->private then belongs to
 *   the buddy allocator or to their next owner: a later free of one of its
 *   handles has nothing left to check.  CONFIG_ZBLOCK_DEBUG catches it, and
 *   any handle outside the pool's blocks, by looking the handle's page frame
 *   up in the pool's own xarray of live blocks, which reads neither the page
 *   nor its struct page.  Without it, such a free is undefined, as a stale
 *   handle is with zsmalloc: a lookup on every free is what the option costs.
 *   Neither build catches a stale handle whose pages the pool has reused for
 *   a new block, which looks like a handle of that block.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/zblock.h>
#include <linux/zpool.h>
#include <kunit/static_stub.h>

#include "zblock.h"

/* The list of full blocks comes after the fullness groups. */
#define ZBLOCK_FULL	ZBLOCK_FULLNESS_GROUPS

/**
 * struct zblock_block - the descriptor of one block
 * @link: in one of its class's lists
 * @vaddr: the block's linear address
 * @used: slots in use
 * @hint: no slot below it is free
 * @class: index of the block's class in the pool
 * @group: the list the block is on: a fullness group or ZBLOCK_FULL
 * @used_map: bitmap of the slots in use
 */
struct zblock_block {
	struct list_head link;
	void *vaddr;
	unsigned int used;
	unsigned int hint;
	unsigned short class;
	unsigned char group;
	unsigned long used_map[];
};

/**
 * struct zblock_class - the blocks of one size class
 * @lock: protects everything below and the class's blocks
 * @lists: partial blocks by fullness group, then full blocks
 * @nr_blocks: blocks of this class
 * @used_slots: slots in use in them
 * @group_min: fewest used slots of a block in each fullness group
 * @desc: the class's geometry
 */
struct zblock_class {
	spinlock_t lock;	/* the lists, counters and blocks of the class */
	struct list_head lists[ZBLOCK_FULLNESS_GROUPS + 1];
	unsigned long nr_blocks;
	unsigned long used_slots;
	u16 group_min[ZBLOCK_FULLNESS_GROUPS];
	struct zblock_class_desc desc;
};

/**
 * struct zblock_pool - a set of size classes and their blocks
 * @pages: pages held in blocks
 * @bad_frees: frees of free slots or foreign handles that were refused
 * @debugfs: the pool's debugfs directory
 * @debug_lock: serializes handle checks and frees (CONFIG_ZBLOCK_DEBUG)
 * @blocks: the pool's blocks by page frame number (CONFIG_ZBLOCK_DEBUG)
 * @classes: one per entry of the class table
 */
struct zblock_pool {
	atomic_long_t pages;
	atomic_long_t bad_frees;
	struct dentry *debugfs;
#ifdef CONFIG_ZBLOCK_DEBUG
	spinlock_t debug_lock;	/* handle checks against frees */
	struct xarray blocks;
#endif
	struct zblock_class classes[];
};

static struct zblock_class_desc zblock_table[ZBLOCK_MAX_CLASSES];
static int zblock_nr_classes;
static unsigned int zblock_step_shift;
/* Class of each size, indexed by the size in granules, rounded up. */
static u8 *zblock_size_class;
static struct dentry *zblock_debugfs_root;
static atomic_t zblock_pool_ids = ATOMIC_INIT(0);

/* Geometry of the cheapest (p, k) found so far for one slot size. */
struct zblock_geometry {
	u16 pages;
	u16 slots;
};

/* Does @a cost less memory per object than @b?  pa/ka < pb/kb, exactly. */
static bool zblock_cheaper(struct zblock_geometry a, struct zblock_geometry b)
{
	return (u32)a.pages * b.slots < (u32)b.pages * a.slots;
}

/**
 * zblock_gen_classes() - make the size-class table for a page size
 * @page_size: the page size, a power of two from 4 KiB to 64 KiB
 * @table: where to write the classes, sorted by slot size
 * @max: room in @table
 *
 * Considers every block of 1 to ZBLOCK_MAX_BLOCK_PAGES pages cut into equal
 * slots whose size is a multiple of zblock_granule(), and keeps the Pareto
 * frontier of slot size against memory per object; among equal costs the
 * block with the fewest pages wins, as it is the easier allocation.
 *
 * Return: the number of classes, or -ENOMEM, or -ENOSPC if @max is too small.
 */
int zblock_gen_classes(unsigned int page_size, struct zblock_class_desc *table,
		       int max)
{
	unsigned int step = zblock_granule(page_size);
	unsigned int nsizes = ZBLOCK_MAX_BLOCK_PAGES * page_size / step + 1;
	struct zblock_geometry *best, best_cost = { .pages = 1, .slots = 0 };
	unsigned int p, k, i;
	int n = 0;

	best = kcalloc(nsizes, sizeof(*best), GFP_KERNEL);
	if (!best)
		return -ENOMEM;

	for (p = 1; p <= ZBLOCK_MAX_BLOCK_PAGES; p++) {
		for (k = 1; (p * page_size / k) >= step; k++) {
			struct zblock_geometry g = { .pages = p, .slots = k };

			i = p * page_size / k / step;
			if (!best[i].slots || zblock_cheaper(g, best[i]))
				best[i] = g;
		}
	}

	/*
	 * From the largest slot down, keep a size only if it is cheaper than
	 * every larger one; best_cost starts as "infinitely expensive" (k = 0).
	 */
	for (i = nsizes - 1; i > 0; i--) {
		if (!best[i].slots)
			continue;
		if (best_cost.slots && !zblock_cheaper(best[i], best_cost))
			continue;
		if (n == max) {
			kfree(best);
			return -ENOSPC;
		}
		table[n].slot_size = i * step;
		table[n].slots = best[i].slots;
		table[n].pages = best[i].pages;
		best_cost = best[i];
		n++;
	}
	kfree(best);

	/* Found largest first: put the table in ascending order. */
	for (i = 0; i < n / 2; i++)
		swap(table[i], table[n - 1 - i]);
	return n;
}

/**
 * zblock_max_size() - the largest object zblock can store
 *
 * Return: the size of the largest slot, ZBLOCK_MAX_BLOCK_PAGES pages.
 */
size_t zblock_max_size(void)
{
	return zblock_table[zblock_nr_classes - 1].slot_size;
}
EXPORT_SYMBOL_GPL(zblock_max_size);

static int zblock_class_of(size_t size)
{
	/* The granule is a power of two: no division on the hot path. */
	return zblock_size_class[(size + (1UL << zblock_step_shift) - 1) >> zblock_step_shift];
}

/**
 * zblock_slot_size() - the slot an object of a given size would take
 * @size: object size in bytes, 1 to zblock_max_size()
 *
 * Callers that choose their object sizes, like drm_gem_zswap cutting a
 * stream into chunks, use this to fill slots exactly.
 *
 * Return: the slot size, or 0 if @size is 0 or larger than the largest slot.
 */
size_t zblock_slot_size(size_t size)
{
	if (!size || size > zblock_max_size())
		return 0;
	return zblock_table[zblock_class_of(size)].slot_size;
}
EXPORT_SYMBOL_GPL(zblock_slot_size);

/*
 * The block that holds an address: every page of a block points to it.  Only
 * for an address in a live block: once the block is freed, page->private is
 * the page allocator's or the page's next owner's.
 */
static inline struct zblock_block *zblock_addr_block(unsigned long addr)
{
	return (struct zblock_block *)page_private(virt_to_page((void *)addr));
}

/*
 * The fullness list a block belongs on: group g holds the blocks with
 * used * ZBLOCK_FULLNESS_GROUPS / slots == g, found by comparing with the
 * thresholds computed at pool creation rather than dividing on every call.
 */
static unsigned int zblock_block_group(struct zblock_class *class,
				       struct zblock_block *block)
{
	unsigned int g;

	if (block->used == class->desc.slots)
		return ZBLOCK_FULL;
	for (g = ZBLOCK_FULLNESS_GROUPS - 1; g > 0; g--)
		if (block->used >= class->group_min[g])
			break;
	return g;
}

static void zblock_block_regroup(struct zblock_class *class,
				 struct zblock_block *block)
{
	unsigned int group = zblock_block_group(class, block);

	lockdep_assert_held(&class->lock);
	if (group != block->group) {
		list_move(&block->link, &class->lists[group]);
		block->group = group;
	}
}

/* The first block of the fullest group that has a free slot, or NULL. */
static struct zblock_block *zblock_class_partial(struct zblock_class *class)
{
	int group;

	lockdep_assert_held(&class->lock);
	for (group = ZBLOCK_FULLNESS_GROUPS - 1; group >= 0; group--) {
		struct zblock_block *block;

		block = list_first_entry_or_null(&class->lists[group],
						 struct zblock_block, link);
		if (block)
			return block;
	}
	return NULL;
}

static unsigned int zblock_block_take_slot(struct zblock_class *class,
					   struct zblock_block *block)
{
	unsigned int slot;

	lockdep_assert_held(&class->lock);
	slot = find_next_zero_bit(block->used_map, class->desc.slots, block->hint);
	__set_bit(slot, block->used_map);
	block->hint = slot + 1;
	block->used++;
	class->used_slots++;
	zblock_block_regroup(class, block);
	return slot;
}

static void *zblock_pages_alloc(unsigned int pages, gfp_t gfp)
{
	unsigned int order = get_order(pages << PAGE_SHIFT);
	struct page *page;
	unsigned int i;

	page = alloc_pages_node(numa_node_id(), gfp, order);
	if (!page)
		return NULL;
	/* Give back what a block of a size not a power of two does not use. */
	if (order) {
		split_page(page, order);
		for (i = pages; i < (1U << order); i++)
			__free_page(page + i);
	}
	return page_address(page);
}

static void zblock_pages_free(void *vaddr, unsigned int pages)
{
	struct page *page = virt_to_page(vaddr);
	unsigned int i;

	for (i = 0; i < pages; i++)
		__free_page(page + i);
}

static struct zblock_block *zblock_block_create(struct zblock_pool *pool,
						unsigned int class_idx,
						gfp_t gfp)
{
	struct zblock_class *class = &pool->classes[class_idx];
	struct zblock_block *block;
	struct page *first;
	unsigned int i;

	KUNIT_STATIC_STUB_REDIRECT(zblock_block_create, pool, class_idx, gfp);

	block = kzalloc(struct_size(block, used_map,
				    BITS_TO_LONGS(class->desc.slots)), gfp);
	if (!block)
		return NULL;
	block->vaddr = zblock_pages_alloc(class->desc.pages, gfp);
	if (!block->vaddr) {
		kfree(block);
		return NULL;
	}
	first = virt_to_page(block->vaddr);
#ifdef CONFIG_ZBLOCK_DEBUG
	for (i = 0; i < class->desc.pages; i++) {
		if (xa_err(xa_store(&pool->blocks, page_to_pfn(first + i), block, gfp))) {
			while (i--)
				xa_erase(&pool->blocks, page_to_pfn(first + i));
			zblock_pages_free(block->vaddr, class->desc.pages);
			kfree(block);
			return NULL;
		}
	}
#endif
	block->class = class_idx;
	block->group = 0;
	INIT_LIST_HEAD(&block->link);
	for (i = 0; i < class->desc.pages; i++)
		set_page_private(first + i, (unsigned long)block);
	atomic_long_add(class->desc.pages, &pool->pages);
	return block;
}

static void zblock_block_destroy(struct zblock_pool *pool,
				 struct zblock_block *block)
{
	unsigned int i, pages = pool->classes[block->class].desc.pages;
	struct page *first = virt_to_page(block->vaddr);

#ifdef CONFIG_ZBLOCK_DEBUG
	spin_lock(&pool->debug_lock);
	for (i = 0; i < pages; i++)
		xa_erase(&pool->blocks, page_to_pfn(first + i));
	spin_unlock(&pool->debug_lock);
#endif
	for (i = 0; i < pages; i++)
		set_page_private(first + i, 0);
	zblock_pages_free(block->vaddr, pages);
	atomic_long_sub(pages, &pool->pages);
	kfree(block);
}

/*
 * The block and slot of a handle.  The division that finds the slot also
 * gives the offset into it, so a handle that is not the start of a slot is
 * refused on every build.  CONFIG_ZBLOCK_DEBUG finds the block in the pool's
 * xarray instead of page->private, so that a handle whose block was freed,
 * or that was never the pool's, is refused before anything of it is read:
 * the page frame number is arithmetic on the address, and a freed block's
 * pages leave the xarray, under debug_lock, before they go back to the page
 * allocator.  Without it the handle is trusted to be in a live block.
 */
static struct zblock_block *zblock_handle_block(struct zblock_pool *pool,
						unsigned long handle,
						unsigned int *slot)
{
	struct zblock_block *block;
	unsigned long offset;
	u32 size;

#ifdef CONFIG_ZBLOCK_DEBUG
	lockdep_assert_held(&pool->debug_lock);
	block = virt_addr_valid((void *)handle) ?
		xa_load(&pool->blocks, PHYS_PFN(__pa(handle))) : NULL;
	if (!block)
		goto bad;
#else
	block = zblock_addr_block(handle);
#endif
	offset = handle - (unsigned long)block->vaddr;
	size = pool->classes[block->class].desc.slot_size;
	*slot = offset / size;
	if (offset % size || *slot >= pool->classes[block->class].desc.slots)
		goto bad;
	return block;
bad:
	atomic_long_inc(&pool->bad_frees);
	WARN(1, "zblock: handle %lx is in no live block of this pool\n", handle);
	return NULL;
}

/**
 * zblock_alloc() - allocate an object
 * @pool: the pool
 * @size: object size in bytes, 1 to zblock_max_size()
 * @gfp: allocation flags for a new block; __GFP_HIGHMEM and __GFP_MOVABLE
 *	 are ignored
 * @handle: where to store the object's handle
 *
 * Context: Any context that @gfp allows; never sleeps unless @gfp does.
 * Return: 0, -EINVAL for size 0, -ENOSPC for a size above the largest slot,
 * or -ENOMEM when a new block was needed and could not be allocated.
 */
int zblock_alloc(struct zblock_pool *pool, size_t size, gfp_t gfp,
		 unsigned long *handle)
{
	struct zblock_block *block, *spare = NULL;
	struct zblock_class *class;
	unsigned int slot;
	int class_idx;

	if (!size)
		return -EINVAL;
	if (size > zblock_max_size())
		return -ENOSPC;
	gfp &= ~(__GFP_HIGHMEM | __GFP_MOVABLE | __GFP_COMP);
	class_idx = zblock_class_of(size);
	class = &pool->classes[class_idx];

	spin_lock(&class->lock);
	block = zblock_class_partial(class);
	if (!block) {
		/* The caller's flags may sleep: allocate unlocked. */
		spin_unlock(&class->lock);
		spare = zblock_block_create(pool, class_idx, gfp);
		if (!spare)
			return -ENOMEM;
		spin_lock(&class->lock);
		/* Someone may have made room meanwhile: fill theirs first. */
		block = zblock_class_partial(class);
		if (!block) {
			block = spare;
			spare = NULL;
			list_add(&block->link, &class->lists[0]);
			class->nr_blocks++;
		}
	}
	slot = zblock_block_take_slot(class, block);
	spin_unlock(&class->lock);

	if (spare)
		zblock_block_destroy(pool, spare);
	*handle = (unsigned long)block->vaddr + slot * class->desc.slot_size;
	return 0;
}
EXPORT_SYMBOL_GPL(zblock_alloc);

/**
 * zblock_free() - free an object
 * @pool: the pool that allocated it
 * @handle: its handle
 *
 * A handle whose slot is already free, in a block that still holds another
 * object, is refused with a warning and counted in the pool's bad_frees, and
 * nothing changes.  With CONFIG_ZBLOCK_DEBUG, so is a handle in no block of
 * the pool, such as a second free of a block's last object, whose block is
 * gone; without it, that is undefined.
 *
 * Context: Any context.
 */
void zblock_free(struct zblock_pool *pool, unsigned long handle)
{
	struct zblock_class *class;
	unsigned int slot;
	struct zblock_block *block;
	bool empty = false;

#ifdef CONFIG_ZBLOCK_DEBUG
	spin_lock(&pool->debug_lock);
#endif
	block = zblock_handle_block(pool, handle, &slot);
	if (!block)
		goto out;
	class = &pool->classes[block->class];

	spin_lock(&class->lock);
	if (!__test_and_clear_bit(slot, block->used_map)) {
		spin_unlock(&class->lock);
		atomic_long_inc(&pool->bad_frees);
		WARN(1, "zblock: double free of handle %lx\n", handle);
		goto out;
	}
	block->used--;
	class->used_slots--;
	if (slot < block->hint)
		block->hint = slot;
	if (!block->used) {
		list_del(&block->link);
		class->nr_blocks--;
		empty = true;
	} else {
		zblock_block_regroup(class, block);
	}
	spin_unlock(&class->lock);
out:
#ifdef CONFIG_ZBLOCK_DEBUG
	spin_unlock(&pool->debug_lock);
#endif
	if (empty)
		zblock_block_destroy(pool, block);
}
EXPORT_SYMBOL_GPL(zblock_free);

/**
 * zblock_map() - get the address of an object
 * @pool: the pool that allocated it
 * @handle: its handle
 * @mode: what the caller will do with it
 *
 * The address stays valid until the object is freed; zblock_unmap() ends
 * the access.  No lock is held in between, so the caller may sleep.
 *
 * Context: Any context.
 * Return: the object's address, or NULL for a handle that a debug build
 * finds is not the pool's.
 */
void *zblock_map(struct zblock_pool *pool, unsigned long handle,
		 enum zblock_mapmode mode)
{
#ifdef CONFIG_ZBLOCK_DEBUG
	struct zblock_block *block;
	unsigned int slot;

	spin_lock(&pool->debug_lock);
	block = zblock_handle_block(pool, handle, &slot);
	if (block && !test_bit(slot, block->used_map)) {
		WARN(1, "zblock: map of free handle %lx\n", handle);
		block = NULL;
	}
	spin_unlock(&pool->debug_lock);
	if (!block)
		return NULL;
#endif
	/* The handle is the object's address: nothing to look up. */
	return (void *)handle;
}
EXPORT_SYMBOL_GPL(zblock_map);

/**
 * zblock_unmap() - end an access begun with zblock_map()
 * @pool: the pool
 * @handle: the object's handle
 *
 * Context: Any context.
 */
void zblock_unmap(struct zblock_pool *pool, unsigned long handle)
{
}
EXPORT_SYMBOL_GPL(zblock_unmap);

/**
 * zblock_total_pages() - pages the pool holds in blocks
 * @pool: the pool
 *
 * Return: the number of pages, block metadata not included.
 */
u64 zblock_total_pages(struct zblock_pool *pool)
{
	return atomic_long_read(&pool->pages);
}
EXPORT_SYMBOL_GPL(zblock_total_pages);

/**
 * zblock_slot_bytes() - bytes of the slots in use
 * @pool: the pool
 *
 * The memory that holds objects: their sizes rounded up to their slots.
 *
 * Return: the sum over all classes of used slots times slot size.
 */
u64 zblock_slot_bytes(struct zblock_pool *pool)
{
	u64 bytes = 0;
	int i;

	for (i = 0; i < zblock_nr_classes; i++) {
		struct zblock_class *class = &pool->classes[i];

		spin_lock(&class->lock);
		bytes += (u64)class->used_slots * class->desc.slot_size;
		spin_unlock(&class->lock);
	}
	return bytes;
}
EXPORT_SYMBOL_GPL(zblock_slot_bytes);

static int zblock_classes_show(struct seq_file *s, void *unused)
{
	struct zblock_pool *pool = s->private;
	int i;

	seq_puts(s, "class slot_size pages slots blocks used_slots\n");
	for (i = 0; i < zblock_nr_classes; i++) {
		struct zblock_class *class = &pool->classes[i];
		unsigned long blocks, used;

		spin_lock(&class->lock);
		blocks = class->nr_blocks;
		used = class->used_slots;
		spin_unlock(&class->lock);
		seq_printf(s, "%5d %9u %5u %5u %6lu %10lu\n", i,
			   class->desc.slot_size, class->desc.pages,
			   class->desc.slots, blocks, used);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zblock_classes);

static int zblock_stats_show(struct seq_file *s, void *unused)
{
	struct zblock_pool *pool = s->private;
	unsigned long blocks = 0;
	int i;

	for (i = 0; i < zblock_nr_classes; i++) {
		spin_lock(&pool->classes[i].lock);
		blocks += pool->classes[i].nr_blocks;
		spin_unlock(&pool->classes[i].lock);
	}
	seq_printf(s, "total_pages %llu\n", zblock_total_pages(pool));
	seq_printf(s, "blocks %lu\n", blocks);
	seq_printf(s, "slot_bytes %llu\n", zblock_slot_bytes(pool));
	seq_printf(s, "bad_frees %ld\n", atomic_long_read(&pool->bad_frees));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zblock_stats);

/**
 * zblock_create_pool() - create a pool
 * @name: name of the pool's debugfs directory, made unique with a number
 * @gfp: flags for the pool's own allocation
 *
 * Return: the pool, or NULL when out of memory.
 */
struct zblock_pool *zblock_create_pool(const char *name, gfp_t gfp)
{
	struct zblock_pool *pool;
	char dir[64];
	int i, g;

	pool = kzalloc(struct_size(pool, classes, zblock_nr_classes), gfp);
	if (!pool)
		return NULL;
	for (i = 0; i < zblock_nr_classes; i++) {
		struct zblock_class *class = &pool->classes[i];

		spin_lock_init(&class->lock);
		for (g = 0; g <= ZBLOCK_FULLNESS_GROUPS; g++)
			INIT_LIST_HEAD(&class->lists[g]);
		class->desc = zblock_table[i];
		for (g = 0; g < ZBLOCK_FULLNESS_GROUPS; g++)
			class->group_min[g] = DIV_ROUND_UP(g * class->desc.slots,
							   ZBLOCK_FULLNESS_GROUPS);
	}
#ifdef CONFIG_ZBLOCK_DEBUG
	spin_lock_init(&pool->debug_lock);
	xa_init(&pool->blocks);
#endif
	snprintf(dir, sizeof(dir), "%s-%d", name ?: "pool",
		 atomic_inc_return(&zblock_pool_ids));
	pool->debugfs = debugfs_create_dir(dir, zblock_debugfs_root);
	debugfs_create_file("classes", 0400, pool->debugfs, pool, &zblock_classes_fops);
	debugfs_create_file("stats", 0400, pool->debugfs, pool, &zblock_stats_fops);
	return pool;
}
EXPORT_SYMBOL_GPL(zblock_create_pool);

/**
 * zblock_destroy_pool() - destroy a pool and free its blocks
 * @pool: the pool
 *
 * Objects still allocated are freed with their blocks, and reported.
 */
void zblock_destroy_pool(struct zblock_pool *pool)
{
	struct zblock_block *block, *tmp;
	int i, g;

	debugfs_remove_recursive(pool->debugfs);
	for (i = 0; i < zblock_nr_classes; i++) {
		struct zblock_class *class = &pool->classes[i];

		if (class->used_slots)
			pr_warn("destroying a pool with %lu objects of %u bytes\n",
				class->used_slots, class->desc.slot_size);
		for (g = 0; g <= ZBLOCK_FULLNESS_GROUPS; g++)
			list_for_each_entry_safe(block, tmp, &class->lists[g], link)
				zblock_block_destroy(pool, block);
	}
#ifdef CONFIG_ZBLOCK_DEBUG
	xa_destroy(&pool->blocks);
#endif
	kfree(pool);
}
EXPORT_SYMBOL_GPL(zblock_destroy_pool);

#if IS_ENABLED(CONFIG_ZPOOL)
static void *zblock_zpool_create(const char *name, gfp_t gfp)
{
	return zblock_create_pool(name, gfp);
}

static void zblock_zpool_destroy(void *pool)
{
	zblock_destroy_pool(pool);
}

static int zblock_zpool_malloc(void *pool, size_t size, gfp_t gfp,
			       unsigned long *handle)
{
	return zblock_alloc(pool, size, gfp, handle);
}

static void zblock_zpool_free(void *pool, unsigned long handle)
{
	zblock_free(pool, handle);
}

static void *zblock_zpool_map(void *pool, unsigned long handle,
			      enum zpool_mapmode zpm)
{
	static const enum zblock_mapmode modes[] = {
		[ZPOOL_MM_RW] = ZBLOCK_MAP_RW,
		[ZPOOL_MM_RO] = ZBLOCK_MAP_RO,
		[ZPOOL_MM_WO] = ZBLOCK_MAP_WO,
	};

	return zblock_map(pool, handle, modes[zpm]);
}

static void zblock_zpool_unmap(void *pool, unsigned long handle)
{
	zblock_unmap(pool, handle);
}

static u64 zblock_zpool_total_pages(void *pool)
{
	return zblock_total_pages(pool);
}

static struct zpool_driver zblock_zpool_driver = {
	.type = "zblock",
	.owner = THIS_MODULE,
	.create = zblock_zpool_create,
	.destroy = zblock_zpool_destroy,
	/* Blocks are linearly mapped and never move. */
	.malloc_support_movable = false,
	.malloc = zblock_zpool_malloc,
	.free = zblock_zpool_free,
	/* A mapping holds no lock: zswap may sleep while it decompresses. */
	.sleep_mapped = true,
	.map = zblock_zpool_map,
	.unmap = zblock_zpool_unmap,
	.total_pages = zblock_zpool_total_pages,
};

MODULE_ALIAS("zpool-zblock");
#endif

static int zblock_build_size_classes(void)
{
	size_t size;
	int n, class = 0;

	n = zblock_gen_classes(PAGE_SIZE, zblock_table, ARRAY_SIZE(zblock_table));
	if (n < 0)
		return n;
	zblock_nr_classes = n;
	zblock_step_shift = ilog2(zblock_granule(PAGE_SIZE));
	zblock_size_class = kcalloc((zblock_max_size() >> zblock_step_shift) + 1, 1,
				    GFP_KERNEL);
	if (!zblock_size_class)
		return -ENOMEM;
	for (size = 0; size <= zblock_max_size(); size += 1UL << zblock_step_shift) {
		while (zblock_table[class].slot_size < size)
			class++;
		zblock_size_class[size >> zblock_step_shift] = class;
	}
	return 0;
}

static int __init zblock_init(void)
{
	int err;

	BUILD_BUG_ON(ZBLOCK_MAX_CLASSES > U8_MAX);
	err = zblock_build_size_classes();
	if (err)
		return err;
	zblock_debugfs_root = debugfs_create_dir("zblock", NULL);
#if IS_ENABLED(CONFIG_ZPOOL)
	zpool_register_driver(&zblock_zpool_driver);
#endif
	pr_info("%d size classes up to %zu bytes\n", zblock_nr_classes,
		zblock_max_size());
	return 0;
}

static void __exit zblock_exit(void)
{
#if IS_ENABLED(CONFIG_ZPOOL)
	zpool_unregister_driver(&zblock_zpool_driver);
#endif
	debugfs_remove_recursive(zblock_debugfs_root);
	kfree(zblock_size_class);
}

module_init(zblock_init);
module_exit(zblock_exit);

#if IS_ENABLED(CONFIG_ZBLOCK_KUNIT_TEST)
#include "zblock_test.c"
#endif

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Compressed-object allocator of equal-size slots in page blocks");

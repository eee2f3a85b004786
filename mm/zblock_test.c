// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for zblock.  Included at the end of mm/zblock.c so that they
 * can check the pool's counters against its lists and bitmaps.
 *
 * zblock_check_pool() recounts everything the pool tracks (blocks, used
 * slots, pages) from the blocks themselves and compares; every test calls it
 * after each phase, so stats are exact at every step, not just at the end.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/vmalloc.h>

/* Recount the pool from its blocks and compare with its counters. */
static void zblock_check_pool(struct kunit *test, struct zblock_pool *pool)
{
	unsigned long pages = 0;
	int i, g;

	for (i = 0; i < zblock_nr_classes; i++) {
		struct zblock_class *class = &pool->classes[i];
		unsigned long blocks = 0, used = 0;
		struct zblock_block *block;

		spin_lock(&class->lock);
		for (g = 0; g <= ZBLOCK_FULLNESS_GROUPS; g++) {
			list_for_each_entry(block, &class->lists[g], link) {
				unsigned int w = bitmap_weight(block->used_map,
							       class->desc.slots);

				KUNIT_EXPECT_EQ(test, w, block->used);
				KUNIT_EXPECT_NE(test, block->used, 0);
				KUNIT_EXPECT_EQ(test, block->group, g);
				KUNIT_EXPECT_EQ(test, zblock_block_group(class, block), g);
				/* The thresholds agree with the plain definition. */
				if (g != ZBLOCK_FULL)
					KUNIT_EXPECT_EQ(test, block->used * ZBLOCK_FULLNESS_GROUPS /
							class->desc.slots, g);
				KUNIT_EXPECT_EQ(test, block->class, i);
				/* No free slot below the hint. */
				KUNIT_EXPECT_GE(test, find_first_zero_bit(block->used_map,
									  class->desc.slots),
						block->hint);
				blocks++;
				used += block->used;
			}
		}
		KUNIT_EXPECT_EQ(test, blocks, class->nr_blocks);
		KUNIT_EXPECT_EQ(test, used, class->used_slots);
		pages += blocks * class->desc.pages;
		spin_unlock(&class->lock);
	}
	KUNIT_EXPECT_EQ(test, pages, zblock_total_pages(pool));
}

static void zblock_fill(void *p, size_t size, u32 seed)
{
	u8 *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (u8)(seed + i * 131 + (i >> 8));
}

static bool zblock_verify(const void *p, size_t size, u32 seed)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != (u8)(seed + i * 131 + (i >> 8)))
			return false;
	return true;
}

static int zblock_test_init(struct kunit *test)
{
	struct zblock_pool *pool = zblock_create_pool("kunit", GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	test->priv = pool;
	return 0;
}

static void zblock_test_exit(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;

	zblock_check_pool(test, pool);
	KUNIT_EXPECT_EQ(test, zblock_total_pages(pool), 0);
	zblock_destroy_pool(pool);
}

/* The table of one page size: sorted, aligned, dense where it should be. */
static void zblock_check_table(struct kunit *test, unsigned int page_size)
{
	struct zblock_class_desc *t;
	unsigned int step = zblock_granule(page_size);
	unsigned int worst_tail = 0, worst_gap = 0;
	/* The largest slot count that each field holding one can take. */
	const unsigned int geometry_max = type_max(typeof_member(struct zblock_geometry, slots));
	const unsigned int desc_max = type_max(typeof_member(struct zblock_class_desc, slots));
	const unsigned int group_max = type_max(typeof_member(struct zblock_class, group_min[0]));
	int n, i;

	t = kunit_kcalloc(test, ZBLOCK_MAX_CLASSES, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	n = zblock_gen_classes(page_size, t, ZBLOCK_MAX_CLASSES);
	KUNIT_ASSERT_GT(test, n, 0);

	KUNIT_EXPECT_EQ(test, t[0].slot_size, step);
	KUNIT_EXPECT_EQ(test, t[n - 1].slot_size, ZBLOCK_MAX_BLOCK_PAGES * page_size);
	for (i = 0; i < n; i++) {
		unsigned int block = t[i].pages * page_size;
		unsigned int tail = block - t[i].slots * t[i].slot_size;
		unsigned int fit = block / t[i].slot_size;

		KUNIT_EXPECT_EQ(test, t[i].slot_size % step, 0);
		KUNIT_EXPECT_GE(test, t[i].pages, 1);
		KUNIT_EXPECT_LE(test, t[i].pages, ZBLOCK_MAX_BLOCK_PAGES);
		KUNIT_EXPECT_GE(test, t[i].slots, 1);
		/*
		 * Count the slots that fit rather than trust the table: a count
		 * too large for the fields that hold it (the generator's, the
		 * descriptor's, and the pool's fullness thresholds, which are
		 * at most the count) would reach the table already truncated.
		 * The slot bitmap is sized from the count: no bound of its own.
		 */
		KUNIT_EXPECT_EQ(test, t[i].slots, fit);
		KUNIT_EXPECT_LE(test, fit, geometry_max);
		KUNIT_EXPECT_LE(test, fit, desc_max);
		KUNIT_EXPECT_LE(test, fit, group_max);
		KUNIT_EXPECT_LE(test, t[i].slots * t[i].slot_size, block);
		/* The tail is less than one slot and at most 1/64 of the block. */
		KUNIT_EXPECT_LT(test, tail, t[i].slot_size);
		KUNIT_EXPECT_LE(test, tail * 64, block);
		worst_tail = max(worst_tail, tail * 1000 / block);
		if (i) {
			KUNIT_EXPECT_GT(test, t[i].slot_size, t[i - 1].slot_size);
			/* A larger slot costs more memory per object. */
			KUNIT_EXPECT_GT(test, (u64)t[i].pages * page_size * t[i - 1].slots,
					(u64)t[i - 1].pages * page_size * t[i].slots);
			if (t[i].slot_size <= page_size)
				worst_gap = max(worst_gap, (t[i].slot_size -
					t[i - 1].slot_size) * 1000 / t[i].slot_size);
		}
	}
	kunit_info(test, "%u-byte pages: %d classes, step %u, worst tail %u.%u%%, worst step %u.%u%%\n",
		   page_size, n, step, worst_tail / 10, worst_tail % 10,
		   worst_gap / 10, worst_gap % 10);
}

static void zblock_test_table_4k(struct kunit *test)
{
	zblock_check_table(test, SZ_4K);
}

static void zblock_test_table_16k(struct kunit *test)
{
	zblock_check_table(test, SZ_16K);
}

static void zblock_test_table_64k(struct kunit *test)
{
	zblock_check_table(test, SZ_64K);
}

static void zblock_test_bad_sizes(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	unsigned long handle = 0;

	KUNIT_EXPECT_EQ(test, zblock_alloc(pool, 0, GFP_KERNEL, &handle), -EINVAL);
	KUNIT_EXPECT_EQ(test, zblock_alloc(pool, zblock_max_size() + 1, GFP_KERNEL,
					   &handle), -ENOSPC);
	KUNIT_EXPECT_EQ(test, zblock_alloc(pool, SIZE_MAX, GFP_KERNEL, &handle),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, handle, 0);
	KUNIT_EXPECT_EQ(test, zblock_slot_size(0), 0);
	KUNIT_EXPECT_EQ(test, zblock_slot_size(zblock_max_size() + 1), 0);
	zblock_check_pool(test, pool);
}

/* Every size round-trips, two objects at a time so neighbours are checked. */
static void zblock_test_every_size(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	size_t size;

	/*
	 * Every size up to a page, the objects zswap stores; above it, where
	 * only drm_gem_zswap's pieces go, every size on 4K pages and one in
	 * PAGE_SIZE / 4K on larger ones, so that 64K pages (objects up to
	 * 512 KiB) cost what 4K pages do.
	 */
	for (size = 1; size <= zblock_max_size();
	     size += size < PAGE_SIZE ? 1 : PAGE_SIZE / SZ_4K) {
		unsigned long h[2];
		int i;

		for (i = 0; i < 2; i++) {
			KUNIT_ASSERT_EQ(test, zblock_alloc(pool, size, GFP_KERNEL, &h[i]), 0);
			zblock_fill(zblock_map(pool, h[i], ZBLOCK_MAP_WO), size, size + i);
			zblock_unmap(pool, h[i]);
		}
		for (i = 0; i < 2; i++) {
			void *p = zblock_map(pool, h[i], ZBLOCK_MAP_RO);

			KUNIT_ASSERT_TRUE_MSG(test, zblock_verify(p, size, size + i),
					      "size %zu object %d corrupted", size, i);
			zblock_unmap(pool, h[i]);
			zblock_free(pool, h[i]);
		}
		if (size % 4096 == 0)
			zblock_check_pool(test, pool);
		/*
		 * Objects of up to 512 KiB on 64K pages: without this, a
		 * non-preemptible kernel under emulation stalls RCU here.
		 */
		cond_resched();
	}
}

/* Sizes at and around every class boundary land in the right class. */
static void zblock_test_class_boundaries(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	int i;

	for (i = 0; i < zblock_nr_classes; i++) {
		u32 slot = zblock_table[i].slot_size;
		u32 prev = i ? zblock_table[i - 1].slot_size : 0;
		struct zblock_block *block;
		struct page *page;
		unsigned long *h;
		unsigned int j, n = zblock_table[i].slots + 1;

		KUNIT_EXPECT_EQ(test, zblock_slot_size(slot), slot);
		KUNIT_EXPECT_EQ(test, zblock_slot_size(prev + 1), slot);
		if (i + 1 < zblock_nr_classes)
			KUNIT_EXPECT_EQ(test, zblock_slot_size(slot + 1),
					zblock_table[i + 1].slot_size);

		/* One block's worth plus one: exactly two blocks. */
		h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, h);
		for (j = 0; j < n; j++) {
			KUNIT_ASSERT_EQ(test, zblock_alloc(pool, prev + 1 + j % (slot - prev),
							   GFP_KERNEL, &h[j]), 0);
			page = virt_to_page((void *)h[j]);
			block = (struct zblock_block *)page_private(page);
			KUNIT_EXPECT_PTR_EQ(test, zblock_map(pool, h[j], ZBLOCK_MAP_RO),
					    (void *)h[j]);
			KUNIT_EXPECT_EQ(test, block->class, i);
		}
		KUNIT_EXPECT_EQ(test, pool->classes[i].nr_blocks, 2);
		KUNIT_EXPECT_EQ(test, zblock_total_pages(pool), 2 * zblock_table[i].pages);
		KUNIT_EXPECT_EQ(test, zblock_slot_bytes(pool), (u64)n * slot);
		zblock_check_pool(test, pool);
		for (j = 0; j < n; j++)
			zblock_free(pool, h[j]);
		KUNIT_EXPECT_EQ(test, zblock_total_pages(pool), 0);
		kunit_kfree(test, h);
	}
}

/* Stands in for zblock_block_create() while allocations are to fail. */
static struct zblock_block *zblock_block_create_failing(struct zblock_pool *pool,
							unsigned int class_idx,
							gfp_t gfp)
{
	return NULL;
}

/*
 * Block allocation fails after a number of blocks: the allocation that needs
 * a new block gets -ENOMEM, objects already stored are intact, counters are
 * exact, and once allocation works again the pool carries on.
 */
static void zblock_test_alloc_failure(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	const size_t size = 700;
	unsigned int per_block = zblock_table[zblock_class_of(size)].slots;
	unsigned long *h;
	int i, n = 0, err = 0;

	h = kunit_kcalloc(test, 3 * per_block + 1, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	/* Fill three blocks, then every new block fails. */
	for (i = 0; i < 3 * per_block; i++, n++) {
		KUNIT_ASSERT_EQ(test, zblock_alloc(pool, size, GFP_KERNEL, &h[n]), 0);
		zblock_fill(zblock_map(pool, h[n], ZBLOCK_MAP_WO), size, n);
	}
	kunit_activate_static_stub(test, zblock_block_create, zblock_block_create_failing);
	err = zblock_alloc(pool, size, GFP_KERNEL, &h[n]);
	KUNIT_EXPECT_EQ(test, err, -ENOMEM);
	zblock_check_pool(test, pool);
	KUNIT_EXPECT_EQ(test, pool->classes[zblock_class_of(size)].used_slots, n);

	/* A freed slot is reused without a new block. */
	zblock_free(pool, h[1]);
	KUNIT_EXPECT_EQ(test, zblock_alloc(pool, size, GFP_KERNEL, &h[1]), 0);
	zblock_fill(zblock_map(pool, h[1], ZBLOCK_MAP_WO), size, 1);
	kunit_deactivate_static_stub(test, zblock_block_create);

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, zblock_verify(zblock_map(pool, h[i], ZBLOCK_MAP_RO),
						      size, i));
	KUNIT_EXPECT_EQ(test, zblock_alloc(pool, size, GFP_KERNEL, &h[n]), 0);
	n++;
	zblock_check_pool(test, pool);
	for (i = 0; i < n; i++)
		zblock_free(pool, h[i]);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->bad_frees), 0);
}

struct zblock_shadow {
	unsigned long handle;
	u32 size;
	u32 seed;
};

/* Sizes shaped like compressed pages: mostly small, some near a page. */
static size_t zblock_random_size(struct rnd_state *rnd)
{
	u32 r = prandom_u32_state(rnd);

	switch (r % 8) {
	case 0:
		return 1 + (r >> 8) % zblock_max_size();
	case 1:
	case 2:
		return PAGE_SIZE / 2 + (r >> 8) % (PAGE_SIZE / 2) + 1;
	default:
		return 1 + (r >> 8) % (PAGE_SIZE / 2);
	}
}

/*
 * A million random operations against a shadow of what should be stored:
 * each live object's size and seed, from which its contents are regenerated.
 */
static void zblock_test_random_shadow(struct kunit *test)
{
	const unsigned int nslots = 2048, ops = 1000000;
	struct zblock_pool *pool = test->priv;
	struct zblock_shadow *shadow;
	unsigned long live = 0;
	struct rnd_state rnd;
	unsigned int op, i;

	shadow = vzalloc(nslots * sizeof(*shadow));
	KUNIT_ASSERT_NOT_NULL(test, shadow);
	prandom_seed_state(&rnd, 42);

	for (op = 0; op < ops; op++) {
		struct zblock_shadow *s = &shadow[prandom_u32_state(&rnd) % nslots];
		void *p;

		if (!s->handle) {
			s->size = zblock_random_size(&rnd);
			s->seed = op;
			if (zblock_alloc(pool, s->size, GFP_KERNEL, &s->handle)) {
				KUNIT_FAIL(test, "allocation of %u bytes failed", s->size);
				break;
			}
			zblock_fill(zblock_map(pool, s->handle, ZBLOCK_MAP_WO), s->size, s->seed);
			zblock_unmap(pool, s->handle);
			live++;
		} else {
			/* Every live object met is checked; half are then freed. */
			bool release = !(prandom_u32_state(&rnd) % 2);

			p = zblock_map(pool, s->handle, ZBLOCK_MAP_RO);
			if (!zblock_verify(p, s->size, s->seed)) {
				KUNIT_FAIL(test, "op %u: %u bytes corrupted", op, s->size);
				break;
			}
			zblock_unmap(pool, s->handle);
			if (release) {
				zblock_free(pool, s->handle);
				s->handle = 0;
				live--;
			}
		}
		if (op % 100000 == 0) {
			zblock_check_pool(test, pool);
			cond_resched();
		}
	}
	kunit_info(test, "%u operations, %lu objects live, %llu pages\n",
		   op, live, zblock_total_pages(pool));
	zblock_check_pool(test, pool);
	for (i = 0; i < nslots; i++)
		if (shadow[i].handle)
			zblock_free(pool, shadow[i].handle);
	vfree(shadow);
}

struct zblock_thread {
	struct zblock_pool *pool;
	struct completion done;
	unsigned int seed;
	unsigned long ops;
	bool failed;
};

static int zblock_thread_fn(void *arg)
{
	struct zblock_thread *t = arg;
	unsigned long h[128] = { };
	u32 sizes[128];
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, t->seed);
	for (t->ops = 0; t->ops < 200000 && !t->failed; t->ops++) {
		i = prandom_u32_state(&rnd) % ARRAY_SIZE(h);
		if (h[i]) {
			if (!zblock_verify(zblock_map(t->pool, h[i], ZBLOCK_MAP_RO),
					   sizes[i], i + t->seed))
				t->failed = true;
			zblock_free(t->pool, h[i]);
			h[i] = 0;
		} else {
			sizes[i] = zblock_random_size(&rnd);
			if (zblock_alloc(t->pool, sizes[i], GFP_KERNEL, &h[i])) {
				t->failed = true;
				break;
			}
			zblock_fill(zblock_map(t->pool, h[i], ZBLOCK_MAP_WO), sizes[i],
				    i + t->seed);
		}
		if (t->ops % 1000 == 0)
			cond_resched();
	}
	for (i = 0; i < ARRAY_SIZE(h); i++)
		if (h[i])
			zblock_free(t->pool, h[i]);
	complete(&t->done);
	return 0;
}

/* Two threads allocate, check and free in the same classes at once. */
static void zblock_test_two_threads(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	struct zblock_thread t[2];
	struct task_struct *task;
	int i;

	for (i = 0; i < 2; i++) {
		t[i] = (struct zblock_thread){ .pool = pool, .seed = 1000 * (i + 1) };
		init_completion(&t[i].done);
		task = kthread_run(zblock_thread_fn, &t[i], "zblock_test/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&t[i].done);
		KUNIT_EXPECT_FALSE(test, t[i].failed);
		KUNIT_EXPECT_EQ(test, t[i].ops, 200000);
	}
	zblock_check_pool(test, pool);
	KUNIT_EXPECT_EQ(test, zblock_total_pages(pool), 0);
}

/* A second free of a handle is refused and changes nothing. */
static void zblock_test_double_free(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	unsigned long a, b;

	KUNIT_ASSERT_EQ(test, zblock_alloc(pool, 100, GFP_KERNEL, &a), 0);
	KUNIT_ASSERT_EQ(test, zblock_alloc(pool, 100, GFP_KERNEL, &b), 0);
	zblock_fill(zblock_map(pool, b, ZBLOCK_MAP_WO), 100, 7);
	zblock_free(pool, a);
	kunit_info(test, "a WARNING about a double free is expected here\n");
	zblock_free(pool, a);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->bad_frees), 1);
	zblock_check_pool(test, pool);
	KUNIT_EXPECT_EQ(test, pool->classes[zblock_class_of(100)].used_slots, 1);
	KUNIT_EXPECT_TRUE(test, zblock_verify(zblock_map(pool, b, ZBLOCK_MAP_RO), 100, 7));
	zblock_free(pool, b);
}

#ifdef CONFIG_ZBLOCK_DEBUG
/* Handles that are not the pool's are refused, not followed. */
static void zblock_test_foreign_handle(struct kunit *test)
{
	struct zblock_pool *pool = test->priv, *other;
	unsigned long h, foreign;
	void *page;

	other = zblock_create_pool("kunit-other", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_ASSERT_EQ(test, zblock_alloc(other, 64, GFP_KERNEL, &foreign), 0);
	page = (void *)__get_free_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, zblock_alloc(pool, 64, GFP_KERNEL, &h), 0);

	kunit_info(test, "four WARNINGs about foreign handles are expected here\n");
	zblock_free(pool, foreign);
	zblock_free(pool, (unsigned long)page | 1);
	KUNIT_EXPECT_NULL(test, zblock_map(pool, (unsigned long)page, ZBLOCK_MAP_RO));
	/* Inside one of the pool's blocks, but not the start of a slot. */
	zblock_free(pool, h + 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->bad_frees), 4);
	KUNIT_EXPECT_EQ(test, other->classes[zblock_class_of(64)].used_slots, 1);
	zblock_check_pool(test, pool);
	zblock_check_pool(test, other);

	zblock_free(pool, h);
	zblock_free(other, foreign);
	zblock_destroy_pool(other);
	free_page((unsigned long)page);
}

/*
 * A handle whose block is gone: the free of a block's last object returns
 * its pages to the page allocator and its descriptor to the slab, so there
 * is no bitmap left to catch a second free.  The pool's own xarray no longer
 * knows the pages, so a second free, or a free or map of any other address
 * that was in the block, is refused without reading the pages or the
 * descriptor; KASAN reports any read of the freed descriptor.
 */
static void zblock_test_stale_free(struct kunit *test)
{
	struct zblock_pool *pool = test->priv;
	struct zblock_class *class = NULL;
	unsigned long h, forged;
	int i;

	/* Several slots on several pages: forge a handle on another page. */
	for (i = 0; i < zblock_nr_classes && !class; i++)
		if (zblock_table[i].pages > 1 && zblock_table[i].slots > 1)
			class = &pool->classes[i];
	KUNIT_ASSERT_NOT_NULL(test, class);
	KUNIT_ASSERT_EQ(test, zblock_alloc(pool, class->desc.slot_size, GFP_KERNEL, &h), 0);
	/* The only block of its class, and of the pool. */
	KUNIT_ASSERT_EQ(test, class->nr_blocks, 1);
	KUNIT_ASSERT_EQ(test, zblock_total_pages(pool), class->desc.pages);
	/* The block's last slot, a valid handle while the block lived. */
	forged = h + (class->desc.slots - 1) * class->desc.slot_size;
	KUNIT_EXPECT_NE(test, forged >> PAGE_SHIFT, h >> PAGE_SHIFT);

	zblock_free(pool, h);
	KUNIT_ASSERT_EQ(test, class->nr_blocks, 0);
	KUNIT_ASSERT_EQ(test, zblock_total_pages(pool), 0);

	kunit_info(test, "three WARNINGs about handles of freed blocks are expected here\n");
	zblock_free(pool, h);
	zblock_free(pool, forged);
	KUNIT_EXPECT_NULL(test, zblock_map(pool, h, ZBLOCK_MAP_RO));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->bad_frees), 3);
	KUNIT_EXPECT_EQ(test, class->used_slots, 0);
	zblock_check_pool(test, pool);
}
#endif

static struct kunit_case zblock_test_cases[] = {
	KUNIT_CASE(zblock_test_table_4k),
	KUNIT_CASE(zblock_test_table_16k),
	KUNIT_CASE(zblock_test_table_64k),
	KUNIT_CASE(zblock_test_bad_sizes),
	KUNIT_CASE(zblock_test_class_boundaries),
	KUNIT_CASE_SLOW(zblock_test_every_size),
	KUNIT_CASE(zblock_test_alloc_failure),
	KUNIT_CASE_SLOW(zblock_test_random_shadow),
	KUNIT_CASE_SLOW(zblock_test_two_threads),
	KUNIT_CASE(zblock_test_double_free),
#ifdef CONFIG_ZBLOCK_DEBUG
	KUNIT_CASE(zblock_test_foreign_handle),
	KUNIT_CASE(zblock_test_stale_free),
#endif
	{}
};

static struct kunit_suite zblock_test_suite = {
	.name = "zblock",
	.init = zblock_test_init,
	.exit = zblock_test_exit,
	.test_cases = zblock_test_cases,
};

kunit_test_suite(zblock_test_suite);

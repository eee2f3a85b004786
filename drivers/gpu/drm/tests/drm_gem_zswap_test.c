// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of drm_gem_zswap on real shmem GEM objects.
 *
 * Every test holds its objects' pages the way a driver's user would (a use
 * counted in pages_use_count, as an mmap holds it), evicts and restores them
 * through the helper and the shmem helper's own paths, and checks contents
 * byte for byte and the device's counters exactly.
 */

#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include <linux/zpool.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gem_zswap.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/drm_prime.h>

#include "../drm_gem_zswap_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

enum zt_kind {
	ZT_ZERO,
	ZT_SAME,
	ZT_RANDOM,
	ZT_TEXTURE,
};

static const char * const zt_kind_names[] = { "zero", "same", "random", "texture" };

struct zt_priv {
	struct drm_device *drm;
	struct drm_gem_zswap_device zdev;
};

/* Contents: each kind from a seed, so that they can be checked again. */
static u8 zt_byte(enum zt_kind kind, u32 seed, size_t off, struct rnd_state *rnd)
{
	u32 px = off / 4, x = px % 512, y = px / 512;

	switch (kind) {
	case ZT_ZERO:
		return 0;
	case ZT_SAME:
		return 0x5a;
	case ZT_RANDOM:
		return prandom_u32_state(rnd);
	default:
		/* RGBA gradients, every eighth texel a little noisy. */
		switch (off % 4) {
		case 0:
			return x / 2 + seed;
		case 1:
			return y / 2;
		case 2:
			return (x + y) / 4 + (px % 8 ? 0 : prandom_u32_state(rnd) & 3);
		default:
			return 0xff;
		}
	}
}

static void zt_page_pattern(u8 *p, enum zt_kind kind, u32 seed, pgoff_t i)
{
	struct rnd_state rnd;
	size_t j;

	prandom_seed_state(&rnd, seed ^ (i * 2654435761u));
	for (j = 0; j < PAGE_SIZE; j++)
		p[j] = zt_byte(kind, seed, (i << PAGE_SHIFT) + j, &rnd);
}

static void zt_fill(struct drm_gem_shmem_object *shmem, enum zt_kind kind,
		    u32 seed)
{
	pgoff_t i, n = shmem->base.size >> PAGE_SHIFT;

	for (i = 0; i < n; i++) {
		u8 *p = kmap_local_page(shmem->pages[i]);

		zt_page_pattern(p, kind, seed, i);
		kunmap_local(p);
	}
}

static bool zt_check(struct drm_gem_shmem_object *shmem, enum zt_kind kind,
		     u32 seed)
{
	pgoff_t i, n = shmem->base.size >> PAGE_SHIFT;
	u8 *want = kmalloc(PAGE_SIZE, GFP_KERNEL);
	bool ok = want && shmem->pages;

	for (i = 0; ok && i < n; i++) {
		u8 *p = kmap_local_page(shmem->pages[i]);

		zt_page_pattern(want, kind, seed, i);
		ok = !memcmp(p, want, PAGE_SIZE);
		kunmap_local(p);
	}
	kfree(want);
	return ok;
}

static void zt_put_bo(void *ptr)
{
	struct drm_gem_shmem_object *shmem = ptr;

	dma_resv_lock(shmem->base.resv, NULL);
	if (shmem->pages_use_count)
		drm_gem_shmem_put_pages(shmem);
	dma_resv_unlock(shmem->base.resv);
	drm_gem_object_put(&shmem->base);
}

/* A BO whose pages are held by one user, filled with @kind. */
static struct drm_gem_shmem_object *zt_bo(struct kunit *test, size_t size,
					  enum zt_kind kind, u32 seed)
{
	struct zt_priv *priv = test->priv;
	struct drm_gem_shmem_object *shmem;
	int ret;

	shmem = drm_gem_shmem_create(priv->drm, size);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	dma_resv_lock(shmem->base.resv, NULL);
	ret = drm_gem_shmem_get_pages(shmem);
	dma_resv_unlock(shmem->base.resv);
	if (ret)
		drm_gem_object_put(&shmem->base);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, zt_put_bo, shmem), 0);
	zt_fill(shmem, kind, seed);
	return shmem;
}

static int zt_evict(struct kunit *test, struct drm_gem_shmem_object *shmem)
{
	struct zt_priv *priv = test->priv;
	int ret;

	dma_resv_lock(shmem->base.resv, NULL);
	ret = drm_gem_zswap_evict(&priv->zdev, shmem);
	dma_resv_unlock(shmem->base.resv);
	return ret;
}

static int zt_restore(struct drm_gem_shmem_object *shmem)
{
	int ret;

	dma_resv_lock(shmem->base.resv, NULL);
	ret = drm_gem_zswap_restore(shmem);
	dma_resv_unlock(shmem->base.resv);
	return ret;
}

static enum drm_gem_zswap_state zt_state(struct drm_gem_shmem_object *shmem)
{
	enum drm_gem_zswap_state state;

	dma_resv_lock(shmem->base.resv, NULL);
	state = drm_gem_zswap_bo_state(shmem);
	dma_resv_unlock(shmem->base.resv);
	return state;
}

static u64 zt_stat(struct kunit *test, enum drm_gem_zswap_counter c)
{
	struct zt_priv *priv = test->priv;

	return drm_gem_zswap_dev_stat(&priv->zdev, c);
}

static unsigned long zt_file_pages(struct drm_gem_shmem_object *shmem)
{
	return file_inode(shmem->base.filp)->i_mapping->nrpages;
}

/* Round trips. */

struct zt_round_trip_param {
	size_t size;
	enum zt_kind kind;
	const char *comp;
	const char *zpool;
};

static const size_t zt_sizes[] = { PAGE_SIZE, SZ_64K + PAGE_SIZE, SZ_1M, SZ_64M };
static const char * const zt_comps[] = { "lz4", "zstd" };
static const char * const zt_zpools[] = { "zblock", "zsmalloc" };

#define ZT_NR_ROUND_TRIPS	(ARRAY_SIZE(zt_sizes) * ARRAY_SIZE(zt_kind_names) * \
				 ARRAY_SIZE(zt_comps) * ARRAY_SIZE(zt_zpools))

static struct zt_round_trip_param zt_round_trip_params[ZT_NR_ROUND_TRIPS];

/* Every size, kind, compressor and pool: the size varies fastest. */
static const void *zt_round_trip_gen_params(const void *prev, char *desc)
{
	const struct zt_round_trip_param *p = prev;
	size_t i = p ? p - zt_round_trip_params + 1 : 0;
	struct zt_round_trip_param *q;
	size_t k = i;

	if (i >= ZT_NR_ROUND_TRIPS)
		return NULL;
	q = &zt_round_trip_params[i];
	q->size = zt_sizes[k % ARRAY_SIZE(zt_sizes)];
	k /= ARRAY_SIZE(zt_sizes);
	q->kind = k % ARRAY_SIZE(zt_kind_names);
	k /= ARRAY_SIZE(zt_kind_names);
	q->zpool = zt_zpools[k % ARRAY_SIZE(zt_zpools)];
	k /= ARRAY_SIZE(zt_zpools);
	q->comp = zt_comps[k];
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu KiB %s %s %s", q->size >> 10,
		 zt_kind_names[q->kind], q->comp, q->zpool);
	return q;
}

/*
 * What pool_bytes must count for one stored BO, worked out from the
 * stream's length alone: whole chunks, the tail's pieces as slots of the
 * backend's classes (1/32 of a chunk and its multiples), the entry as the
 * slab allocated it and the pages of handles its chunks need.
 */
static size_t zt_expected_pool_bytes(struct kunit *test,
				     const struct drm_gem_zswap_entry *entry)
{
	size_t chunk = entry->pool->store.chunk_size, quantum = chunk / 32;
	size_t whole = entry->stream.len / chunk, tail = entry->stream.len % chunk;
	size_t units = DIV_ROUND_UP(tail, quantum), handles = 0;
	unsigned int nr = whole + hweight_long(units);

	KUNIT_EXPECT_TRUE(test, entry->pool->store.tail_pieces);
	KUNIT_EXPECT_EQ(test, entry->stream.nr_chunks, nr);
	if (!entry->stream.inline_handles)
		handles = DIV_ROUND_UP(nr, PAGE_SIZE / sizeof(unsigned long)) * PAGE_SIZE;
	return whole * chunk + units * quantum + ksize(entry) + handles;
}

static void zt_round_trip(struct kunit *test)
{
	const struct zt_round_trip_param *p = test->param_value;
	struct drm_gem_shmem_object *shmem;
	bool same = p->kind == ZT_ZERO || p->kind == ZT_SAME;
	size_t stream_len, chunk_bytes, pool_bytes;
	int ret;

	KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure(p->comp, p->zpool), 0);
	shmem = zt_bo(test, p->size, p->kind, 7);

	ret = zt_evict(test, shmem);
	if (p->kind == ZT_RANDOM) {
		/* Refused, and left as it was. */
		KUNIT_EXPECT_EQ(test, ret, -E2BIG);
		KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);
		KUNIT_EXPECT_TRUE(test, zt_check(shmem, p->kind, 7));
		KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_INCOMPRESSIBLE), 1);
		KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 0);
		KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_EVICTED);
	KUNIT_EXPECT_NULL(test, shmem->pages);
	KUNIT_EXPECT_EQ(test, zt_file_pages(shmem), 0);

	stream_len = shmem->zswap.entry->stream.len;
	chunk_bytes = shmem->zswap.entry->stream.chunk_bytes;
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 1);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_ORIG_BYTES), p->size);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_COMP_BYTES), stream_len);
	pool_bytes = zt_expected_pool_bytes(test, shmem->zswap.entry);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_POOL_BYTES), pool_bytes);
	/* The entry is always held, so the two never agree. */
	KUNIT_EXPECT_GT(test, pool_bytes, stream_len);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_SAME_FILLED), same);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS), 1);
	if (same) {
		KUNIT_EXPECT_EQ(test, stream_len, 0);
		KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
	} else {
		/* What the helper accepts: seven eighths at most. */
		KUNIT_EXPECT_GT(test, stream_len, 0);
		KUNIT_EXPECT_LE(test, stream_len, p->size / 8 * 7);
		KUNIT_EXPECT_GE(test, drm_gem_zswap_pool_total_size(), chunk_bytes);
	}
	kunit_info(test, "%zu bytes -> %zu in the stream\n", p->size, stream_len);

	KUNIT_ASSERT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, p->kind, 7));
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_ORIG_BYTES), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_COMP_BYTES), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_POOL_BYTES), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_SAME_FILLED), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_RESTORES), 1);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
}

/*
 * History across the helper's window.  Every page repeats the one
 * ZT_PERIOD pages before it (60 KiB back, within LZ4's reach), over a BO
 * long enough for the window to slide three times: only the first period
 * of random pages may cost its size.  A window that lost its history when
 * it slid, or kept less than the period, would pay a page for each page
 * after a slide; one that kept no history would be refused.  The restore
 * then decodes every back-reference through the decoder's own window.
 *
 * LZ4 restores twice: into the new pages mapped as one buffer, where the
 * history is the output itself, and, with the mapping refused, through the
 * window, which must slide as the compressor's did.
 *
 * zstd keeps its history itself (a 128 KiB window); it round-trips here,
 * but its level 1 finds only part of these matches (184,429 bytes where
 * LZ4 takes 67,367), so the bound is LZ4's alone.
 */
#define ZT_PERIOD	15
#define ZT_HISTORY_PAGES	208

static void zt_history_fill(struct drm_gem_shmem_object *shmem)
{
	pgoff_t i, n = shmem->base.size >> PAGE_SHIFT;

	for (i = 0; i < n; i++) {
		u8 *p = kmap_local_page(shmem->pages[i]);

		zt_page_pattern(p, ZT_RANDOM, 11, i % ZT_PERIOD);
		kunmap_local(p);
	}
}

static bool zt_history_check(struct drm_gem_shmem_object *shmem)
{
	pgoff_t i, n = shmem->base.size >> PAGE_SHIFT;
	u8 *want = kmalloc(PAGE_SIZE, GFP_KERNEL);
	bool ok = want && shmem->pages;

	for (i = 0; ok && i < n; i++) {
		u8 *p = kmap_local_page(shmem->pages[i]);

		zt_page_pattern(want, ZT_RANDOM, 11, i % ZT_PERIOD);
		ok = !memcmp(p, want, PAGE_SIZE);
		kunmap_local(p);
	}
	kfree(want);
	return ok;
}

static unsigned int zt_linear_maps, zt_linear_refused;

static void *zt_map_linear_counting(struct page **pages, unsigned int n)
{
	void *p = vmap(pages, n, VM_MAP, PAGE_KERNEL);

	/* Only a mapping made counts: a NULL would take the window. */
	zt_linear_maps += !!p;
	return p;
}

static void *zt_map_linear_refused(struct page **pages, unsigned int n)
{
	zt_linear_refused++;
	return NULL;
}

static void zt_window_history(struct kunit *test)
{
	const size_t size = ZT_HISTORY_PAGES * PAGE_SIZE;
	/* The first period at its size, then tens of bytes a page. */
	const size_t bound = ZT_PERIOD * (PAGE_SIZE + 64) +
			     (ZT_HISTORY_PAGES - ZT_PERIOD) * 64;
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(zt_comps); c++) {
		struct drm_gem_shmem_object *shmem;
		size_t stream_len;

		KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure(zt_comps[c], "zblock"), 0);
		shmem = zt_bo(test, size, ZT_ZERO, 0);
		zt_history_fill(shmem);

		KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
		stream_len = shmem->zswap.entry->stream.len;
		kunit_info(test, "%s: %zu pages repeating every %d -> %zu bytes\n",
			   zt_comps[c], size >> PAGE_SHIFT, ZT_PERIOD, stream_len);
		if (!strcmp(zt_comps[c], "lz4"))
			KUNIT_EXPECT_LE(test, stream_len, bound);
		else
			KUNIT_EXPECT_LT(test, stream_len, size / 8 * 7);

		zt_linear_maps = 0;
		kunit_activate_static_stub(test, zstream_map_linear,
					   zt_map_linear_counting);
		KUNIT_ASSERT_EQ(test, zt_restore(shmem), 0);
		kunit_deactivate_static_stub(test, zstream_map_linear);
		KUNIT_EXPECT_TRUE(test, zt_history_check(shmem));
		/* Only LZ4 decodes into one mapping. */
		KUNIT_EXPECT_EQ(test, zt_linear_maps, !strcmp(zt_comps[c], "lz4"));
		if (strcmp(zt_comps[c], "lz4"))
			continue;

		zt_linear_refused = 0;
		KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
		kunit_activate_static_stub(test, zstream_map_linear,
					   zt_map_linear_refused);
		KUNIT_ASSERT_EQ(test, zt_restore(shmem), 0);
		kunit_deactivate_static_stub(test, zstream_map_linear);
		KUNIT_EXPECT_EQ(test, zt_linear_refused, 1);
		KUNIT_EXPECT_TRUE(test, zt_history_check(shmem));
	}
}

/* A second eviction of the same BO, and restores through each path. */
static void zt_restore_paths(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_256K, ZT_TEXTURE, 3);
	struct iosys_map map;
	struct sg_table *sgt;

	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -EALREADY);

	/* vmap */
	dma_resv_lock(shmem->base.resv, NULL);
	KUNIT_ASSERT_EQ(test, drm_gem_shmem_vmap(shmem, &map), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 3));
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_evict(&((struct zt_priv *)test->priv)->zdev,
						  shmem), -EBUSY);
	drm_gem_shmem_vunmap(shmem, &map);
	dma_resv_unlock(shmem->base.resv);

	/* pin */
	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_ASSERT_EQ(test, drm_gem_shmem_pin(shmem), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 3));
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -EBUSY);
	drm_gem_shmem_unpin(shmem);

	/* scatter/gather table, which eviction drops with its use */
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
	KUNIT_EXPECT_EQ(test, shmem->pages_use_count, 2);
	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_NULL(test, shmem->sgt);
	KUNIT_EXPECT_EQ(test, shmem->pages_use_count, 1);
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 3));

	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS), 3);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_RESTORES), 3);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 2);
}

/*
 * Every tail of a page-sized chunk, for each page size zblock supports:
 * the pieces hold the tail in order and once, each piece but the last is
 * full and the last holds something, each is a power of two from 1/32 of
 * the chunk up to the chunk and fits it, the padding is less than 1/32 of
 * a chunk, and there are at most five.
 */
static void zt_tail_piece_table(struct kunit *test)
{
	static const size_t chunks[] = { SZ_4K, SZ_16K, SZ_64K };
	unsigned int c, j;
	size_t tail;

	for (c = 0; c < ARRAY_SIZE(chunks); c++) {
		size_t chunk = chunks[c], quantum = chunk / 32;

		for (tail = 1; tail < chunk; tail++) {
			size_t held = 0, objects = 0, len, slot;

			for (j = 0; (len = zstream_tail_piece(chunk, tail, j, &slot)); j++) {
				KUNIT_ASSERT_LT(test, j, 5U);
				KUNIT_ASSERT_TRUE(test, is_power_of_2(slot));
				KUNIT_ASSERT_GE(test, slot, quantum);
				KUNIT_ASSERT_LE(test, slot, chunk);
				KUNIT_ASSERT_LE(test, len, slot);
				/* Only the last piece is short. */
				if (held + slot < tail)
					KUNIT_ASSERT_EQ(test, len, slot);
				held += len;
				objects += slot;
			}
			KUNIT_ASSERT_EQ(test, held, tail);
			KUNIT_ASSERT_LT(test, objects - tail, quantum);
			KUNIT_ASSERT_LE(test, objects, chunk);
		}
	}
}

/* What fdinfo's status callback says of a BO as it is evicted and restored. */
static void zt_status(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_64K, ZT_TEXTURE, 5);
	struct drm_gem_shmem_object *empty = drm_gem_shmem_create(priv->drm, SZ_64K);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, empty);
	/* Never backed: neither resident nor evicted. */
	KUNIT_EXPECT_EQ(test, drm_gem_shmem_status(empty), 0);
	drm_gem_object_put(&empty->base);

	KUNIT_EXPECT_EQ(test, drm_gem_shmem_status(shmem), DRM_GEM_OBJECT_RESIDENT);
	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_EQ(test, drm_gem_shmem_status(shmem), DRM_GEM_OBJECT_EVICTED);
	KUNIT_ASSERT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_EQ(test, drm_gem_shmem_status(shmem), DRM_GEM_OBJECT_RESIDENT);
}

/*
 * A change of compressor or backend goes to new evictions only, and
 * naming a pool that still holds BOs takes it up again: writing a
 * parameter back and forth does not make a pool each time.  Bad names
 * are refused and change nothing.
 */
static void zt_configure(struct kunit *test)
{
	struct drm_gem_shmem_object *a, *b, *c, *d;
	struct drm_gem_zswap_pool *lz4;

	KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure("lz4", "zblock"), 0);
	a = zt_bo(test, SZ_64K, ZT_TEXTURE, 1);
	b = zt_bo(test, SZ_64K, ZT_TEXTURE, 2);
	c = zt_bo(test, SZ_64K, ZT_TEXTURE, 3);
	d = zt_bo(test, SZ_64K, ZT_TEXTURE, 4);
	KUNIT_ASSERT_EQ(test, zt_evict(test, a), 0);
	lz4 = a->zswap.entry->pool;
	KUNIT_EXPECT_EQ(test, lz4->comp, DRM_GEM_ZSWAP_LZ4);

	KUNIT_EXPECT_EQ(test, drm_gem_zswap_configure("zstd", NULL), 0);
	KUNIT_ASSERT_EQ(test, zt_evict(test, b), 0);
	KUNIT_EXPECT_PTR_NE(test, b->zswap.entry->pool, lz4);
	KUNIT_EXPECT_EQ(test, b->zswap.entry->pool->comp, DRM_GEM_ZSWAP_ZSTD);
	/* The BO stored before keeps its pool and compressor. */
	KUNIT_EXPECT_PTR_EQ(test, a->zswap.entry->pool, lz4);

	KUNIT_EXPECT_EQ(test, drm_gem_zswap_configure("lz4\n", NULL), 0);
	KUNIT_ASSERT_EQ(test, zt_evict(test, c), 0);
	KUNIT_EXPECT_PTR_EQ(test, c->zswap.entry->pool, lz4);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_configure("lz4", "zblock"), 0);
	KUNIT_ASSERT_EQ(test, zt_evict(test, d), 0);
	KUNIT_EXPECT_PTR_EQ(test, d->zswap.entry->pool, lz4);

	KUNIT_EXPECT_EQ(test, drm_gem_zswap_configure("lz5", NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_configure(NULL, "nosuchpool"), -ENOENT);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_configure(NULL, "a-name-longer-than-32-characters"),
			-EINVAL);

	KUNIT_ASSERT_EQ(test, zt_restore(a), 0);
	KUNIT_ASSERT_EQ(test, zt_restore(b), 0);
	KUNIT_ASSERT_EQ(test, zt_restore(c), 0);
	KUNIT_ASSERT_EQ(test, zt_restore(d), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(a, ZT_TEXTURE, 1));
	KUNIT_EXPECT_TRUE(test, zt_check(b, ZT_TEXTURE, 2));
	KUNIT_EXPECT_TRUE(test, zt_check(c, ZT_TEXTURE, 3));
	KUNIT_EXPECT_TRUE(test, zt_check(d, ZT_TEXTURE, 4));
}

/*
 * The tail of each stream is cut into pieces of half a chunk down to 1/32
 * of one, the last padded: the pool objects' bytes are computed here from
 * the stream's length alone.  Tails of every size then use at most five
 * zblock classes below a page, all of one-page blocks, so the whole pool
 * exceeds its objects by less than five pages, where tails stored whole
 * would leave a partly filled block of up to 8 pages in every class they
 * reach.
 */
#define ZT_TAIL_BOS	24

static void zt_tail_pieces(struct kunit *test)
{
	struct drm_gem_shmem_object *bos[ZT_TAIL_BOS];
	size_t objects = 0, chunk, quantum;
	u64 before, grown;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure("lz4", "zblock"), 0);
	before = drm_gem_zswap_pool_total_size();
	for (i = 0; i < ZT_TAIL_BOS; i++) {
		struct drm_gem_zswap_entry *entry;
		size_t whole, tail, units;

		/* 1 to 24 pages of texture: tails of many sizes. */
		bos[i] = zt_bo(test, (i + 1) * PAGE_SIZE, ZT_TEXTURE, 50 + i);
		KUNIT_ASSERT_EQ(test, zt_evict(test, bos[i]), 0);
		entry = bos[i]->zswap.entry;
		chunk = entry->pool->store.chunk_size;
		quantum = chunk / 32;
		whole = entry->stream.len / chunk;
		tail = entry->stream.len % chunk;
		units = DIV_ROUND_UP(tail, quantum);
		KUNIT_EXPECT_EQ(test, entry->stream.chunk_bytes, whole * chunk + units * quantum);
		KUNIT_EXPECT_LT(test, entry->stream.chunk_bytes - entry->stream.len, quantum);
		objects += entry->stream.chunk_bytes;
	}
	grown = drm_gem_zswap_pool_total_size() - before;
	kunit_info(test, "%u BOs: %zu bytes of pool objects in %llu bytes of pool\n",
		   ZT_TAIL_BOS, objects, grown);
	KUNIT_EXPECT_GE(test, grown, objects);
	KUNIT_EXPECT_LT(test, grown, objects + 5 * PAGE_SIZE);

	for (i = 0; i < ZT_TAIL_BOS; i++) {
		KUNIT_ASSERT_EQ(test, zt_restore(bos[i]), 0);
		KUNIT_EXPECT_TRUE(test, zt_check(bos[i], ZT_TEXTURE, 50 + i));
	}
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), before);
}

/* An evicted BO whose last user goes away stays evicted, and comes back. */
static void zt_unused_evicted(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_128K, ZT_TEXTURE, 4);

	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	dma_resv_lock(shmem->base.resv, NULL);
	drm_gem_shmem_put_pages(shmem);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_bo_state(shmem), DRM_GEM_ZSWAP_EVICTED);
	KUNIT_EXPECT_EQ(test, drm_gem_shmem_get_pages(shmem), 0);
	dma_resv_unlock(shmem->base.resv);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 4));

	/* Freed while evicted: nothing left in the pool. */
	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_GT(test, drm_gem_zswap_pool_total_size(), 0);
	kunit_release_action(test, zt_put_bo, shmem);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_COMP_BYTES), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_POOL_BYTES), 0);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
}

/* Refusals. */

static const char *zt_fence_name(struct dma_fence *fence)
{
	return "drm_gem_zswap_test";
}

static const struct dma_fence_ops zt_fence_ops = {
	.get_driver_name = zt_fence_name,
	.get_timeline_name = zt_fence_name,
};

static void zt_refuse_busy(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_64K, ZT_TEXTURE, 5);
	static DEFINE_SPINLOCK(lock);
	struct dma_fence *fence;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fence);
	dma_fence_init(fence, &zt_fence_ops, &lock, dma_fence_context_alloc(1), 1);

	dma_resv_lock(shmem->base.resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(shmem->base.resv, 1), 0);
	dma_resv_add_fence(shmem->base.resv, fence, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_unlock(shmem->base.resv);

	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -EBUSY);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 1);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);

	dma_fence_signal(fence);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 5));
}

/*
 * A BO mapped through a file outside the device's address space (a dma-buf
 * with an inode of its own, fbdev) has mappings eviction may not find once
 * the last handle is closed: it is never evicted again.
 */
static void zt_refuse_mapped_elsewhere(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_64K, ZT_TEXTURE, 6);
	struct drm_device *drm = shmem->base.dev;
	struct address_space other = { };
	struct file drm_file = { .f_mapping = drm->anon_inode->i_mapping };
	struct file dmabuf_file = { .f_mapping = &other };

	dma_resv_lock(shmem->base.resv, NULL);
	drm_gem_zswap_mmap(shmem, &drm_file);
	dma_resv_unlock(shmem->base.resv);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), 0);

	dma_resv_lock(shmem->base.resv, NULL);
	drm_gem_zswap_mmap(shmem, &dmabuf_file);
	dma_resv_unlock(shmem->base.resv);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -EBUSY);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 6));
}

static void zt_refuse_unpopulated_and_imported(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct drm_gem_shmem_object *shmem;
	struct dma_buf buf_mock = { .size = SZ_64K };
	struct dma_buf_attachment attach_mock = { .dmabuf = &buf_mock };
	struct drm_gem_object *obj;
	struct sg_table *sgt;
	void *buf;

	shmem = drm_gem_shmem_create(priv->drm, SZ_64K);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shmem);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -ENODATA);
	drm_gem_object_put(&shmem->base);

	buf = kunit_kzalloc(test, SZ_64K, GFP_KERNEL);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, 1, GFP_KERNEL), 0);
	sg_init_one(sgt->sgl, buf, SZ_64K);
	KUNIT_ASSERT_EQ(test, dma_map_sgtable(priv->drm->dev, sgt, DMA_BIDIRECTIONAL, 0), 0);
	obj = drm_gem_shmem_prime_import_sg_table(priv->drm, &attach_mock, sgt);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, obj);
	/* As drm_gem_prime_import() would; cleared before the mock is freed. */
	obj->import_attach = &attach_mock;
	KUNIT_EXPECT_EQ(test, zt_evict(test, to_drm_gem_shmem_obj(obj)), -EINVAL);
	obj->import_attach = NULL;
	drm_gem_shmem_free(to_drm_gem_shmem_obj(obj));
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS), 0);
}

static void zt_refuse_exported_attached(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_64K, ZT_TEXTURE, 6);
	struct dma_buf_attachment *attach;
	struct dma_buf *dmabuf;

	dmabuf = drm_gem_prime_export(&shmem->base, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	shmem->base.dma_buf = dmabuf;

	/* GEM's attach pins: that alone refuses it. */
	attach = dma_buf_attach(dmabuf, priv->drm->dev);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
	KUNIT_EXPECT_EQ(test, shmem->pages_pin_count, 1);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -EBUSY);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);

	/*
	 * An exporter whose attach does not pin: the attachment on the
	 * dma-buf's list refuses it by itself.  The pin is lent back for the
	 * detach to drop.
	 */
	dma_resv_lock(shmem->base.resv, NULL);
	shmem->pages_pin_count--;
	dma_resv_unlock(shmem->base.resv);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -EBUSY);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);
	dma_resv_lock(shmem->base.resv, NULL);
	shmem->pages_pin_count++;
	dma_resv_unlock(shmem->base.resv);
	dma_buf_detach(dmabuf, attach);

	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 6));

	shmem->base.dma_buf = NULL;
	dma_buf_put(dmabuf);
	/* Let the dma-buf go now, with the device it holds. */
	flush_delayed_fput();
}

static void zt_incompressible_backoff(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_64K, ZT_RANDOM, 8);

	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -E2BIG);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -E2BIG);
	/* The second was not tried: the BO was not written in between. */
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_INCOMPRESSIBLE), 1);

	dma_resv_lock(shmem->base.resv, NULL);
	drm_gem_zswap_mark_in_use(shmem);
	dma_resv_unlock(shmem->base.resv);
	zt_fill(shmem, ZT_TEXTURE, 8);
	KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 8));
}

/* Failures. */

static int zt_fail_at;
static int zt_stored;

/* What zstream_store_chunk() does, for its stubs, which replace it. */
static int zt_store(struct zpool *zpool, const void *src, size_t len,
		    gfp_t gfp, unsigned long *handle)
{
	void *dst;
	int ret;

	ret = zpool_malloc(zpool, len, gfp, handle);
	if (ret)
		return ret;
	dst = zpool_map_handle(zpool, *handle, ZPOOL_MM_WO);
	memcpy(dst, src, len);
	zpool_unmap_handle(zpool, *handle);
	return 0;
}

static int zt_store_chunk_failing(struct zpool *zpool,
				  const void *src, size_t len, gfp_t gfp,
				  unsigned long *handle)
{
	int ret;

	if (zt_stored == zt_fail_at)
		return -ENOMEM;
	ret = zt_store(zpool, src, len, gfp, handle);
	if (!ret)
		zt_stored++;
	return ret;
}

static void zt_inject_nomem(struct kunit *test)
{
	const char * const comps[] = { "lz4", "zstd" };
	struct drm_gem_shmem_object *shmem;
	unsigned int c, nr_chunks;
	u64 nomem = 0;

	for (c = 0; c < ARRAY_SIZE(comps); c++) {
		KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure(comps[c], "zblock"), 0);
		shmem = zt_bo(test, SZ_1M, ZT_TEXTURE, 9 + c);
		KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
		nr_chunks = shmem->zswap.entry->stream.nr_chunks;
		KUNIT_ASSERT_EQ(test, zt_restore(shmem), 0);
		KUNIT_ASSERT_GT(test, nr_chunks, 2);

		kunit_activate_static_stub(test, zstream_store_chunk,
					   zt_store_chunk_failing);
		for (zt_fail_at = 0; zt_fail_at < nr_chunks; zt_fail_at++) {
			zt_stored = 0;
			KUNIT_EXPECT_EQ(test, zt_evict(test, shmem), -ENOMEM);
			KUNIT_EXPECT_EQ(test, zt_stored, zt_fail_at);
			KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);
			KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
		}
		kunit_deactivate_static_stub(test, zstream_store_chunk);

		KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 9 + c));
		KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_NOMEM) - nomem,
				nr_chunks);
		KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 0);
		nomem = zt_stat(test, DRM_GEM_ZSWAP_REJECT_NOMEM);
		kunit_release_action(test, zt_put_bo, shmem);
	}
}

static size_t zt_stored_bytes, zt_first_noreserve;
static unsigned int zt_gfp_bad, zt_gfp_reserve, zt_gfp_noreserve;

/* Records the flags of each chunk's allocation, then stores it. */
static int zt_store_chunk_gfp(struct zpool *zpool, const void *src,
			      size_t len, gfp_t gfp, unsigned long *handle)
{
	int ret;

	if (gfp & (__GFP_DIRECT_RECLAIM | __GFP_FS | __GFP_IO))
		zt_gfp_bad++;
	/* The reserves only while all the BO holds stays under the budget. */
	if (gfp & __GFP_NOMEMALLOC) {
		if (!zt_gfp_noreserve++)
			zt_first_noreserve = zt_stored_bytes;
	} else if (zt_stored_bytes + len <= SZ_512K) {
		zt_gfp_reserve++;
	} else {
		zt_gfp_bad++;
	}
	ret = zt_store(zpool, src, len, gfp, handle);
	if (!ret)
		zt_stored_bytes += len;
	return ret;
}

/*
 * Eviction never reclaims for its allocations, and takes from the
 * reserves reclaim opens to it only the first 512 KiB of what it stores.
 */
static void zt_gfp_reserve_budget(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem;

	KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure("lz4", "zblock"), 0);
	shmem = zt_bo(test, SZ_4M, ZT_TEXTURE, 31);
	zt_stored_bytes = 0;
	zt_first_noreserve = 0;
	zt_gfp_bad = 0;
	zt_gfp_reserve = 0;
	zt_gfp_noreserve = 0;
	kunit_activate_static_stub(test, zstream_store_chunk, zt_store_chunk_gfp);
	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	kunit_deactivate_static_stub(test, zstream_store_chunk);

	KUNIT_EXPECT_EQ(test, zt_gfp_bad, 0);
	KUNIT_EXPECT_GT(test, zt_gfp_reserve, 0);
	KUNIT_EXPECT_GT(test, zt_gfp_noreserve, 0);
	KUNIT_EXPECT_GT(test, zt_stored_bytes, SZ_512K);
	/*
	 * The budget ends where the chunks, the entry and the pages of
	 * handles reach 512 KiB: within a chunk, the entry and those pages
	 * (one per 512 chunks, and the next) of it.
	 */
	KUNIT_EXPECT_LE(test, zt_first_noreserve, SZ_512K);
	KUNIT_EXPECT_GT(test, zt_first_noreserve,
			SZ_512K - PAGE_SIZE * (3 + SZ_512K / PAGE_SIZE / 512) - SZ_1K);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 31));
}

static void zt_corrupt(struct kunit *test)
{
	/* LZ4 twice: into one mapping, and through the window. */
	const char * const comps[] = { "lz4", "lz4", "zstd" };
	struct drm_gem_shmem_object *shmem;
	unsigned int c, k, failures = 0;
	size_t len, offs[3];

	zt_linear_maps = 0;
	zt_linear_refused = 0;
	for (c = 0; c < ARRAY_SIZE(comps); c++) {
		KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure(comps[c], "zblock"), 0);
		/* Through the stubs: UML itself maps nothing. */
		if (c == 0)
			kunit_activate_static_stub(test, zstream_map_linear,
						   zt_map_linear_counting);
		if (c == 1)
			kunit_activate_static_stub(test, zstream_map_linear,
						   zt_map_linear_refused);
		if (c == 2)
			kunit_deactivate_static_stub(test, zstream_map_linear);
		for (k = 0; k < ARRAY_SIZE(offs); k++) {
			shmem = zt_bo(test, SZ_256K, ZT_TEXTURE, 20 + k);
			KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
			len = shmem->zswap.entry->stream.len;
			offs[0] = 0;
			offs[1] = len / 2;
			offs[2] = len - 1;

			dma_resv_lock(shmem->base.resv, NULL);
			KUNIT_ASSERT_EQ(test, drm_gem_zswap_corrupt(shmem, offs[k]), 0);
			KUNIT_EXPECT_EQ(test, drm_gem_zswap_restore(shmem), -EIO);
			KUNIT_EXPECT_EQ(test, drm_gem_zswap_bo_state(shmem), DRM_GEM_ZSWAP_LOST);
			KUNIT_EXPECT_NULL(test, shmem->pages);
			/* Lost for good: every later use fails the same way. */
			KUNIT_EXPECT_EQ(test, drm_gem_shmem_get_pages(shmem), -EIO);
			dma_resv_unlock(shmem->base.resv);
			failures++;

			KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_RESTORE_FAILURES),
					failures);
			KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 0);
			/* A lost BO's entry stays, but no longer counts. */
			KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_COMP_BYTES), 0);
			KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_POOL_BYTES), 0);
			KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
			kunit_release_action(test, zt_put_bo, shmem);
		}
	}
	KUNIT_EXPECT_EQ(test, zt_linear_maps, ARRAY_SIZE(offs));
	KUNIT_EXPECT_EQ(test, zt_linear_refused, ARRAY_SIZE(offs));
}

static int zt_load_not_started(struct zstream *s, struct page **pages, unsigned int n)
{
	return -EINVAL;
}

/*
 * A decompressor that did not start knows nothing of the copy: the
 * restore fails, but the BO stays evicted, not lost, and the next restore
 * brings its contents back.
 */
static void zt_decoder_not_started(struct kunit *test)
{
	struct drm_gem_shmem_object *shmem = zt_bo(test, SZ_256K, ZT_TEXTURE, 95);

	KUNIT_ASSERT_EQ(test, zt_evict(test, shmem), 0);
	kunit_activate_static_stub(test, zstream_load, zt_load_not_started);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), -EIO);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_EVICTED);
	KUNIT_EXPECT_NULL(test, shmem->pages);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_RESTORE_FAILURES), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_STORED_BOS), 1);

	kunit_deactivate_static_stub(test, zstream_load);
	KUNIT_EXPECT_EQ(test, zt_restore(shmem), 0);
	KUNIT_EXPECT_EQ(test, zt_state(shmem), DRM_GEM_ZSWAP_RESIDENT);
	KUNIT_EXPECT_TRUE(test, zt_check(shmem, ZT_TEXTURE, 95));
}

/* Two threads evicting and restoring the same BOs. */

#define ZT_THREAD_BOS	4
#define ZT_THREAD_OPS	400

struct zt_thread {
	struct kunit *test;
	struct drm_gem_shmem_object **bos;
	struct completion done;
	unsigned int seed;
	unsigned int evicted;
	unsigned int scanned;
	unsigned int restored;
	unsigned int bad;
};

/* The BO's bytes through a kernel mapping, read with no lock held. */
static bool zt_check_vaddr(const u8 *vaddr, size_t size, enum zt_kind kind, u32 seed)
{
	u8 *want = kmalloc(PAGE_SIZE, GFP_KERNEL);
	pgoff_t i;
	bool ok = want;

	for (i = 0; ok && i < size >> PAGE_SHIFT; i++) {
		zt_page_pattern(want, kind, seed, i);
		ok = !memcmp(vaddr + (i << PAGE_SHIFT), want, PAGE_SIZE);
	}
	kfree(want);
	return ok;
}

/*
 * Each thread, on BOs it shares with the other, in random turns: evicts
 * with the reservation lock held, as a driver does; runs the shrinker,
 * which only trylocks; vmaps a BO and reads it through the mapping with
 * no lock held; pins one and reads its pages with no lock held.  Only
 * the helper's own rules (a vmapped or pinned BO is never evicted, a BO
 * used is restored first) keep the bytes right while the other thread
 * evicts the same BO.
 */
static int zt_thread_fn(void *data)
{
	struct zt_thread *t = data;
	struct zt_priv *priv = t->test->priv;
	struct shrinker *shrinker = priv->zdev.shrinker;
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, t->seed);
	for (i = 0; i < ZT_THREAD_OPS; i++) {
		unsigned int b = prandom_u32_state(&rnd) % ZT_THREAD_BOS;
		struct drm_gem_shmem_object *shmem = t->bos[b];
		struct drm_gem_object *obj = &shmem->base;
		struct iosys_map map;

		switch (prandom_u32_state(&rnd) % 4) {
		case 0:
			dma_resv_lock(obj->resv, NULL);
			if (!drm_gem_zswap_evict(&priv->zdev, shmem))
				t->evicted++;
			dma_resv_unlock(obj->resv);
			break;
		case 1: {
			struct shrink_control sc = {
				.gfp_mask = GFP_KERNEL,
				.nr_to_scan = obj->size >> PAGE_SHIFT,
			};
			unsigned long freed = shrinker->scan_objects(shrinker, &sc);

			if (freed != SHRINK_STOP)
				t->scanned += freed ? 1 : 0;
			break;
		}
		case 2:
			if (drm_gem_vmap_unlocked(obj, &map))
				break;
			t->restored++;
			if (!zt_check_vaddr(map.vaddr, obj->size, ZT_TEXTURE, 100 + b))
				t->bad++;
			drm_gem_vunmap_unlocked(obj, &map);
			break;
		default:
			if (drm_gem_shmem_pin(shmem))
				break;
			t->restored++;
			if (!zt_check(shmem, ZT_TEXTURE, 100 + b))
				t->bad++;
			drm_gem_shmem_unpin(shmem);
			break;
		}
		/* In use again: back on the LRU for the shrinker. */
		dma_resv_lock(obj->resv, NULL);
		if (shmem->pages)
			drm_gem_zswap_mark_evictable(&priv->zdev, shmem);
		dma_resv_unlock(obj->resv);
		cond_resched();
	}
	complete(&t->done);
	return 0;
}

static void zt_two_threads(struct kunit *test)
{
	struct drm_gem_shmem_object *bos[ZT_THREAD_BOS];
	struct zt_thread t[2];
	struct task_struct *task;
	unsigned int i;

	for (i = 0; i < ZT_THREAD_BOS; i++)
		bos[i] = zt_bo(test, SZ_64K * (i + 1), ZT_TEXTURE, 100 + i);
	for (i = 0; i < 2; i++) {
		t[i] = (struct zt_thread){ .test = test, .bos = bos, .seed = i + 1 };
		init_completion(&t[i].done);
		task = kthread_run(zt_thread_fn, &t[i], "zt_thread%u", i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&t[i].done);

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, t[i].bad, 0);
		KUNIT_EXPECT_GT(test, t[i].evicted, 0);
		KUNIT_EXPECT_GT(test, t[i].restored, 0);
		kunit_info(test, "thread %u: %u evictions, %u shrinker scans that evicted, %u reads\n",
			   i, t[i].evicted, t[i].scanned, t[i].restored);
	}
	KUNIT_EXPECT_GT(test, t[0].scanned + t[1].scanned, 0);
	for (i = 0; i < ZT_THREAD_BOS; i++) {
		KUNIT_EXPECT_EQ(test, zt_restore(bos[i]), 0);
		KUNIT_EXPECT_TRUE(test, zt_check(bos[i], ZT_TEXTURE, 100 + i));
	}
	/* Every eviction restored, by one path or another. */
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS),
			zt_stat(test, DRM_GEM_ZSWAP_RESTORES));
	KUNIT_EXPECT_GE(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS),
			t[0].evicted + t[1].evicted + 1);
}

/* The shrinker. */

/* Puts a BO on the device's LRU, as its driver does after a use. */
static void zt_offer(struct zt_priv *priv, struct drm_gem_shmem_object *bo)
{
	dma_resv_lock(bo->base.resv, NULL);
	drm_gem_zswap_mark_evictable(&priv->zdev, bo);
	dma_resv_unlock(bo->base.resv);
}

/*
 * Aims @sc at the cgroup and node @bo's pages are charged to; the caller
 * puts the cgroup it returns.
 */
static struct mem_cgroup *zt_sc_for(struct shrink_control *sc,
				    struct drm_gem_shmem_object *bo)
{
	sc->memcg = get_mem_cgroup_from_folio(page_folio(bo->pages[0]));
	sc->nid = page_to_nid(bo->pages[0]);
	return sc->memcg;
}

/*
 * A BO the shrinker cannot evict leaves the LRU rather than being found,
 * refused and counted on every scan: a pinned one until its last pin
 * goes, a fenced one until its fence signals.
 */
static void zt_shrinker_parks(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct shrinker *shrinker = priv->zdev.shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	const unsigned long bo_pages = SZ_128K >> PAGE_SHIFT;
	struct drm_gem_shmem_object *bos[3];
	static DEFINE_SPINLOCK(lock);
	struct mem_cgroup *memcg;
	struct dma_fence *fence;
	unsigned long freed;
	unsigned int i;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fence);
	dma_fence_init(fence, &zt_fence_ops, &lock, dma_fence_context_alloc(1), 1);

	for (i = 0; i < ARRAY_SIZE(bos); i++) {
		bos[i] = zt_bo(test, SZ_128K, ZT_TEXTURE, 40 + i);
		zt_offer(priv, bos[i]);
	}
	/* bos[0] busy on a fence, bos[1] pinned, bos[2] idle. */
	dma_resv_lock(bos[0]->base.resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(bos[0]->base.resv, 1), 0);
	dma_resv_add_fence(bos[0]->base.resv, fence, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_unlock(bos[0]->base.resv);
	KUNIT_ASSERT_EQ(test, drm_gem_shmem_pin(bos[1]), 0);

	memcg = zt_sc_for(&sc, bos[0]);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), 3 * bo_pages);

	sc.nr_to_scan = 3 * bo_pages;
	freed = shrinker->scan_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, freed, bo_pages);
	KUNIT_EXPECT_EQ(test, zt_state(bos[2]), DRM_GEM_ZSWAP_EVICTED);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 2);
	/* Neither is counted nor found again. */
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), SHRINK_EMPTY);
	shrinker->scan_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 2);
	/* The fence's callback holds a reference to the busy one. */
	KUNIT_EXPECT_EQ(test, kref_read(&bos[0]->base.refcount), 2);

	/* Offered again by its driver while the callback waits: not armed twice. */
	zt_offer(priv, bos[0]);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), bo_pages);
	shrinker->scan_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 3);
	KUNIT_EXPECT_EQ(test, kref_read(&bos[0]->base.refcount), 2);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), SHRINK_EMPTY);

	/* The last unpin files the pinned one again. */
	drm_gem_shmem_unpin(bos[1]);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), bo_pages);

	/* The fence's signal files the busy one, from a worker. */
	dma_fence_signal(fence);
	dma_fence_put(fence);
	for (i = 0; i < 50 && shrinker->count_objects(shrinker, &sc) != 2 * bo_pages; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), 2 * bo_pages);
	/* The worker files it, then drops the callback's reference. */
	for (i = 0; i < 50 && kref_read(&bos[0]->base.refcount) != 1; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, kref_read(&bos[0]->base.refcount), 1);

	freed = shrinker->scan_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, freed, 2 * bo_pages);
	for (i = 0; i < ARRAY_SIZE(bos); i++) {
		KUNIT_EXPECT_EQ(test, zt_state(bos[i]), DRM_GEM_ZSWAP_EVICTED);
		KUNIT_EXPECT_EQ(test, zt_restore(bos[i]), 0);
		KUNIT_EXPECT_TRUE(test, zt_check(bos[i], ZT_TEXTURE, 40 + i));
	}
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 3);
	mem_cgroup_put(memcg);
}

/*
 * A driver that takes a BO back from its device in the background, as
 * virtio-gpu's detach worker does: in reclaim it takes a reference, keeps
 * the BO in zt_device_bo and finishes the eviction itself later; a caller
 * that may block finds the device done with it.
 */
static struct drm_gem_shmem_object *zt_device_bo;
/* With these set, the shrinker's count as the driver is asked. */
static struct shrinker *zt_device_shrinker;
static struct shrink_control *zt_device_sc;
static unsigned long zt_device_count;

static int zt_device_evict_prepare(struct drm_gem_shmem_object *shmem, bool may_block)
{
	if (may_block)
		return 0;
	if (zt_device_shrinker)
		zt_device_count = zt_device_shrinker->count_objects(zt_device_shrinker,
								    zt_device_sc);
	/* One at a time, as a device with a queue of one. */
	if (zt_device_bo)
		return -EBUSY;
	drm_gem_object_get(&shmem->base);
	zt_device_bo = shmem;
	return -EINPROGRESS;
}

static const struct drm_gem_zswap_funcs zt_device_funcs = {
	.evict_prepare = zt_device_evict_prepare,
};

/* The driver's background step: evict the BO reclaim left to it, or file it. */
static int zt_device_finish(struct kunit *test, bool evict)
{
	struct zt_priv *priv = test->priv;
	struct drm_gem_shmem_object *bo = zt_device_bo;
	int ret = 0;

	zt_device_bo = NULL;
	dma_resv_lock(bo->base.resv, NULL);
	if (evict)
		ret = drm_gem_zswap_evict(&priv->zdev, bo);
	else
		drm_gem_zswap_mark_evictable(&priv->zdev, bo);
	dma_resv_unlock(bo->base.resv);
	drm_gem_object_put(&bo->base);
	return ret;
}

/*
 * A BO whose driver finishes the eviction itself (-EINPROGRESS from
 * evict_prepare) leaves the LRU at once: refused once, and not as busy,
 * not found again by later scans, counted only as pages on their way out
 * (so that reclaim still calls the scan, which waits for them); evicted
 * when the driver says, or back on the LRU if the driver files it again.
 */
static void zt_shrinker_defers_to_driver(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct shrinker *shrinker = priv->zdev.shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	const unsigned long bo_pages = SZ_128K >> PAGE_SHIFT;
	struct drm_gem_shmem_object *bo;
	struct mem_cgroup *memcg;

	bo = zt_bo(test, SZ_128K, ZT_TEXTURE, 60);
	zt_device_bo = NULL;
	/* Read at each eviction; the suite's init left none. */
	priv->zdev.funcs = &zt_device_funcs;

	zt_offer(priv, bo);
	memcg = zt_sc_for(&sc, bo);
	sc.nr_to_scan = bo_pages;

	/*
	 * Between its list and the driver the BO is still counted: an empty
	 * count would clear the shrinker's bit for the cgroup for good.
	 */
	zt_device_shrinker = shrinker;
	zt_device_sc = &sc;
	zt_device_count = 0;
	KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
	zt_device_shrinker = NULL;
	KUNIT_EXPECT_NE(test, zt_device_count, 0);
	KUNIT_EXPECT_NE(test, zt_device_count, SHRINK_EMPTY);
	KUNIT_ASSERT_PTR_EQ(test, zt_device_bo, bo);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICT_DEFERRED), 1);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 0);
	/* Reclaim that may block waits for it: counted until the driver is done. */
	KUNIT_EXPECT_EQ(test, list_count_nodes(&priv->zdev.deferred_list), 1);
	KUNIT_EXPECT_EQ(test, zt_state(bo), DRM_GEM_ZSWAP_RESIDENT);
	/* Off the LRU while the driver has it: not found again. */
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), bo_pages);
	KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICT_DEFERRED), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&bo->base.refcount), 2);

	/* Filed again by the driver: the next scan hands it over again. */
	zt_device_finish(test, false);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&priv->zdev.deferred_list), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&bo->base.refcount), 1);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), bo_pages);
	KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
	KUNIT_ASSERT_PTR_EQ(test, zt_device_bo, bo);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICT_DEFERRED), 2);

	KUNIT_EXPECT_EQ(test, list_count_nodes(&priv->zdev.deferred_list), 1);

	/* The device has let go: the driver evicts it, without reclaim. */
	KUNIT_EXPECT_EQ(test, zt_device_finish(test, true), 0);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&priv->zdev.deferred_list), 0);
	KUNIT_EXPECT_EQ(test, zt_state(bo), DRM_GEM_ZSWAP_EVICTED);
	KUNIT_EXPECT_EQ(test, kref_read(&bo->base.refcount), 1);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), SHRINK_EMPTY);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS), 1);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 0);

	priv->zdev.funcs = NULL;
	KUNIT_EXPECT_EQ(test, zt_restore(bo), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(bo, ZT_TEXTURE, 60));
	mem_cgroup_put(memcg);
}

#define ZT_DEVICE_BOS	2

/*
 * ZT_DEVICE_BOS BOs of 128 KiB, of seeds from @seed, offered with the
 * background driver's funcs; @sc aimed at them, for one BO's pages.
 */
static struct mem_cgroup *zt_device_offer(struct kunit *test, struct drm_gem_shmem_object **bos,
					  u32 seed, struct shrink_control *sc)
{
	struct zt_priv *priv = test->priv;
	struct mem_cgroup *memcg;
	unsigned int i;

	zt_device_bo = NULL;
	priv->zdev.funcs = &zt_device_funcs;
	for (i = 0; i < ZT_DEVICE_BOS; i++) {
		bos[i] = zt_bo(test, SZ_128K, ZT_TEXTURE, seed + i);
		zt_offer(priv, bos[i]);
	}
	memcg = zt_sc_for(sc, bos[0]);
	sc->nr_to_scan = SZ_128K >> PAGE_SHIFT;
	return memcg;
}

/* All of them evicted by the driver: each comes back whole. */
static void zt_device_check(struct kunit *test, struct drm_gem_shmem_object **bos,
			    u32 seed, struct mem_cgroup *memcg)
{
	struct zt_priv *priv = test->priv;
	unsigned int i;

	priv->zdev.funcs = NULL;
	for (i = 0; i < ZT_DEVICE_BOS; i++) {
		KUNIT_EXPECT_EQ(test, zt_state(bos[i]), DRM_GEM_ZSWAP_EVICTED);
		KUNIT_EXPECT_EQ(test, zt_restore(bos[i]), 0);
		KUNIT_EXPECT_TRUE(test, zt_check(bos[i], ZT_TEXTURE, seed + i));
	}
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 0);
	mem_cgroup_put(memcg);
}

/*
 * The pages of a BO left to its driver count towards the scan's target:
 * a batch of one BO's pages hands the driver one BO, not every idle one.
 */
static void zt_shrinker_deferred_target(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct shrinker *shrinker = priv->zdev.shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	const unsigned long bo_pages = SZ_128K >> PAGE_SHIFT;
	struct drm_gem_shmem_object *bos[ZT_DEVICE_BOS];
	struct mem_cgroup *memcg = zt_device_offer(test, bos, 70, &sc);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bos); i++) {
		KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
		KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICT_DEFERRED), i + 1);
		/* The other BO's on the list, or this one's on their way. */
		KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), bo_pages);
		KUNIT_ASSERT_NOT_NULL(test, zt_device_bo);
		KUNIT_EXPECT_EQ(test, zt_device_finish(test, true), 0);
	}
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), SHRINK_EMPTY);
	zt_device_check(test, bos, 70, memcg);
}

/*
 * Reclaim that comes back while the driver is still evicting what the last
 * scan left to it counts those pages again, and waits for them, instead of
 * handing the driver the next BO: the retries of one charge must not take
 * every idle BO of a cgroup from a slow device.
 */
static void zt_shrinker_deferred_outstanding(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct shrinker *shrinker = priv->zdev.shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	const unsigned long bo_pages = SZ_128K >> PAGE_SHIFT;
	struct drm_gem_shmem_object *bos[ZT_DEVICE_BOS];
	struct mem_cgroup *memcg = zt_device_offer(test, bos, 80, &sc);

	KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
	KUNIT_ASSERT_PTR_EQ(test, zt_device_bo, bos[0]);
	/* Again, the driver not done: nothing more is asked of it. */
	KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICT_DEFERRED), 1);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_REJECT_BUSY), 0);
	KUNIT_EXPECT_EQ(test, zt_state(bos[1]), DRM_GEM_ZSWAP_RESIDENT);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), bo_pages);

	/* Done: the next scan hands over the next BO. */
	KUNIT_EXPECT_EQ(test, zt_device_finish(test, true), 0);
	KUNIT_EXPECT_EQ(test, shrinker->scan_objects(shrinker, &sc), SHRINK_STOP);
	KUNIT_ASSERT_PTR_EQ(test, zt_device_bo, bos[1]);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICT_DEFERRED), 2);
	KUNIT_EXPECT_EQ(test, zt_device_finish(test, true), 0);
	zt_device_check(test, bos, 80, memcg);
}

static void zt_shrinker(struct kunit *test)
{
	struct zt_priv *priv = test->priv;
	struct shrinker *shrinker = priv->zdev.shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	struct mem_cgroup *memcg;
	struct drm_gem_shmem_object *bos[4];
	unsigned long count, freed;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bos); i++) {
		bos[i] = zt_bo(test, SZ_128K, ZT_TEXTURE, 30 + i);
		zt_offer(priv, bos[i]);
	}
	/* Asked about the cgroup and node the BOs' pages are charged to. */
	memcg = zt_sc_for(&sc, bos[0]);

	/* One in use: not counted, not evicted. */
	dma_resv_lock(bos[3]->base.resv, NULL);
	drm_gem_zswap_mark_in_use(bos[3]);
	dma_resv_unlock(bos[3]->base.resv);

	count = shrinker->count_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, count, 3 * (SZ_128K >> PAGE_SHIFT));

	/* Asked for fewer pages than a BO: one BO, the oldest. */
	sc.nr_to_scan = 1;
	sc.nr_scanned = 1;
	freed = shrinker->scan_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, freed, SZ_128K >> PAGE_SHIFT);
	/* ...and reclaim is told so, not to ask again for the rest of it. */
	KUNIT_EXPECT_EQ(test, sc.nr_scanned, SZ_128K >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, zt_state(bos[0]), DRM_GEM_ZSWAP_EVICTED);
	KUNIT_EXPECT_EQ(test, zt_state(bos[1]), DRM_GEM_ZSWAP_RESIDENT);

	sc.nr_to_scan = count;
	freed = shrinker->scan_objects(shrinker, &sc);
	KUNIT_EXPECT_EQ(test, freed, 2 * (SZ_128K >> PAGE_SHIFT));
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, zt_state(bos[i]), DRM_GEM_ZSWAP_EVICTED);
		KUNIT_EXPECT_EQ(test, zt_file_pages(bos[i]), 0);
	}
	KUNIT_EXPECT_EQ(test, zt_state(bos[3]), DRM_GEM_ZSWAP_RESIDENT);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), SHRINK_EMPTY);
	KUNIT_EXPECT_EQ(test, zt_stat(test, DRM_GEM_ZSWAP_EVICTIONS), 3);

	/* A restored BO is back at the LRU's tail. */
	KUNIT_EXPECT_EQ(test, zt_restore(bos[1]), 0);
	KUNIT_EXPECT_TRUE(test, zt_check(bos[1], ZT_TEXTURE, 31));
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc),
			SZ_128K >> PAGE_SHIFT);
	for (i = 0; i < ARRAY_SIZE(bos); i++)
		kunit_release_action(test, zt_put_bo, bos[i]);
	KUNIT_EXPECT_EQ(test, drm_gem_zswap_pool_total_size(), 0);
	KUNIT_EXPECT_EQ(test, shrinker->count_objects(shrinker, &sc), SHRINK_EMPTY);
	mem_cgroup_put(memcg);
}

static void zt_dev_fini(void *zdev)
{
	drm_gem_zswap_dev_fini(zdev);
}

/* A file_operations owner for the dma-buf of the export test. */
static const struct file_operations zt_fops = {
	.owner = THIS_MODULE,
};

static const struct drm_driver zt_driver = {
	.driver_features = DRIVER_GEM,
	.fops = &zt_fops,
};

static int zt_init(struct kunit *test)
{
	struct zt_priv *priv;
	struct device *dev;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, priv);
	dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, dma_set_mask(dev, DMA_BIT_MASK(64)), 0);
	priv->drm = __drm_kunit_helper_alloc_drm_device_with_driver(test, dev,
								    sizeof(*priv->drm),
								    0, &zt_driver);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, priv->drm);

	KUNIT_ASSERT_EQ(test, drm_gem_zswap_configure("lz4", "zblock"), 0);
	KUNIT_ASSERT_EQ(test, drm_gem_zswap_dev_init(&priv->zdev, priv->drm), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, zt_dev_fini, &priv->zdev), 0);
	test->priv = priv;
	return 0;
}

static struct kunit_case drm_gem_zswap_test_cases[] = {
	KUNIT_CASE_PARAM_ATTR(zt_round_trip, zt_round_trip_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE(zt_window_history),
	KUNIT_CASE(zt_tail_piece_table),
	KUNIT_CASE(zt_tail_pieces),
	KUNIT_CASE(zt_configure),
	KUNIT_CASE(zt_status),
	KUNIT_CASE(zt_restore_paths),
	KUNIT_CASE(zt_unused_evicted),
	KUNIT_CASE(zt_refuse_busy),
	KUNIT_CASE(zt_refuse_mapped_elsewhere),
	KUNIT_CASE(zt_refuse_unpopulated_and_imported),
	KUNIT_CASE(zt_refuse_exported_attached),
	KUNIT_CASE(zt_incompressible_backoff),
	KUNIT_CASE(zt_inject_nomem),
	KUNIT_CASE(zt_gfp_reserve_budget),
	KUNIT_CASE(zt_corrupt),
	KUNIT_CASE(zt_decoder_not_started),
	KUNIT_CASE(zt_two_threads),
	KUNIT_CASE(zt_shrinker),
	KUNIT_CASE(zt_shrinker_parks),
	KUNIT_CASE(zt_shrinker_defers_to_driver),
	KUNIT_CASE(zt_shrinker_deferred_target),
	KUNIT_CASE(zt_shrinker_deferred_outstanding),
	{}
};

static struct kunit_suite drm_gem_zswap_suite = {
	.name = "drm_gem_zswap",
	.init = zt_init,
	.test_cases = drm_gem_zswap_test_cases,
};

kunit_test_suite(drm_gem_zswap_suite);

MODULE_DESCRIPTION("KUnit tests for drm_gem_zswap");
MODULE_LICENSE("GPL");

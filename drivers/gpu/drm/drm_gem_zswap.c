// SPDX-License-Identifier: GPL-2.0
/*
 * drm_gem_zswap: compress whole idle shmem GEM objects into memory
 *
 * A buffer object (BO) that a GPU driver keeps resident but nobody uses is
 * memory the rest of the system cannot have.  shmem can swap its pages one by
 * one once nobody holds them, but only to a swap device, and a driver that
 * keeps its BOs' pages pinned never lets it.  This helper takes an idle BO's
 * pages, compresses them in order as one stream, keeps the stream in a zpool
 * (zblock by default), frees the pages and gives them back on the next use.
 *
 * Why one stream per BO.  GPU buffers are large and repetitive: textures
 * repeat rows and tiles, vertex buffers repeat layouts, cleared buffers are
 * one value.  A stream lets each page refer back to the 64 KiB before it,
 * which a page compressed on its own cannot do, and costs one compressor
 * setup per BO instead of one per page.  The stream is cut into chunks of the
 * largest size the pool stores without waste (a page for zblock and
 * zsmalloc), so that pool space is not lost to rounding, and a whole BO costs
 * a handful of pool allocations.
 *
 * The stream store, drm_gem_zswap_stream.c, does the compressing: the codec
 * contexts, the window that gives LZ4 its history, the cutting of the stream
 * into chunks and its tail into pieces, the xxh64 checksum, the writer and
 * the reader (zstream_store(), zstream_load()).  It knows pages and a zpool,
 * no DRM type, so that another user may store pages with it.  This file
 * keeps the GEM policy: the pools and their tunables, which BOs are
 * evicted and when, the 7/8 rule and the memory an eviction may hold, the
 * LRU and the shrinker, restore and the counters.  A restore decompresses
 * into new pages, which become the BO's pages only when the decoder and the
 * checksum both agree.
 *
 * Memory.  Everything a compression needs is allocated per CPU when a pool
 * is created, for the first eviction, so that reclaim needs no large
 * allocation: only the chunks themselves, the handles (in the entry for a
 * BO of up to 36 chunks, else a page per 512 chunks) and a small entry,
 * all with non-blocking GFP flags.  A BO whose bytes are all one value is
 * kept as that value, with no pool storage.
 *
 * Locking, outermost first (Documentation/gpu/drm-gem-zswap.rst says why):
 *
 * - a faulting process's mmap_lock (the shmem fault handler restores);
 * - the BO's reservation lock, held by every caller of evict, restore,
 *   filing and unfiling, and across GFP_KERNEL allocations, so reclaim
 *   only trylocks it;
 * - i_mmap_rwsem of the device's anon inode, to zap the BO's mappings;
 * - the device's object_name_lock, only tried (never waited for), to zap
 *   a dma-buf's mappings: prime export takes it before the reservation
 *   lock; inside it, i_mmap_rwsem of the dma-buf's file;
 * - a codec context's mutex, which reclaim waits for too (so nothing
 *   inside it reclaims), and inside it drm_gem_zswap_pools_lock, the
 *   zpool backend's locks and the page allocator with non-blocking flags;
 * - the folio locks and i_pages lock of the BO's shmem file (truncate);
 * - the lock of the device's list_lru (and its xarray's, when a cgroup's
 *   list is made), inside which nothing is waited for;
 * - the device's idle_lock, which guards the list of BOs parked on a
 *   fence, and inside it a fence's lock (dma_fence_remove_callback()).
 *
 * A parked BO's fence callback runs under the fence's lock, possibly in
 * interrupt context, and only queues a work item; the worker takes the
 * BO's reservation lock in process context.
 *
 * The shrinker walks a list under the list's lock and only trylocks a BO's
 * reservation lock there (against the order above, which a trylock may do);
 * with it held, it takes the BO off the list and drops the list's lock
 * before evicting, so reclaim never waits on a BO.
 * The pool list and the current pool are under drm_gem_zswap_pools_lock, a
 * spinlock taken alone.  Tunables are changed under drm_gem_zswap_config_lock.
 */

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/zpool.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gem_zswap.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "drm_gem_zswap_internal.h"
#include "drm_gem_zswap_stream.h"

#define CREATE_TRACE_POINTS
#include "drm_gem_zswap_trace.h"

/*
 * A BO is stored only if what it then holds (the stream, its entry and its
 * pages of handles) is at most this many eighths of its size: below that,
 * restoring costs more than the memory saved is worth.
 */
#define ZSWAP_MAX_STREAM_EIGHTHS	7

/*
 * What one eviction may hold before it frees the BO's pages, whatever the
 * BO's size: 1/64 of RAM, and at least ZSWAP_MAX_UNCOMMITTED_MIN.  A BO
 * whose copy would be larger is refused as it reaches that, like one that
 * does not compress well enough: without the bound, evicting a 1 GiB BO
 * could allocate 896 MiB before freeing anything.
 */
#define ZSWAP_MAX_UNCOMMITTED_MIN	SZ_64M
#define ZSWAP_MAX_UNCOMMITTED_SHIFT	6

/* How long a BO that did not compress is left alone, unless written. */
#define ZSWAP_BACKOFF		(30 * HZ)

/*
 * Allocations in eviction never wait for reclaim: eviction runs from the
 * shrinker and must give memory back.  Nor do they take more of the
 * reserves that reclaim's PF_MEMALLOC opens to them than ZSWAP_RESERVE
 * per eviction: up to that, what the BO holds once stored is certain to
 * be less than what it frees (the 7/8 rule), and without it reclaim with
 * nothing else to free could not evict at all once free memory is below
 * the min watermark, where direct reclaim runs (the page allocator then
 * goes OOM at once: shrinker progress does not count in
 * should_reclaim_retry()).  Beyond it, __GFP_NOMEMALLOC: a large BO is
 * stored from memory above the watermarks or not at all.  Short of
 * memory, an eviction fails and leaves its BO as it was.
 */
#define ZSWAP_GFP	(__GFP_NORETRY | __GFP_NOWARN | __GFP_KSWAPD_RECLAIM)
#define ZSWAP_RESERVE	SZ_512K

static const char * const drm_gem_zswap_compressors[] = {
	[DRM_GEM_ZSWAP_LZ4] = "lz4",
	[DRM_GEM_ZSWAP_ZSTD] = "zstd",
};

/* The stream store's codec of each compressor. */
static const enum zstream_codec drm_gem_zswap_codecs[] = {
	[DRM_GEM_ZSWAP_LZ4] = ZSTREAM_LZ4,
	[DRM_GEM_ZSWAP_ZSTD] = ZSTREAM_ZSTD,
};

static DEFINE_SPINLOCK(drm_gem_zswap_pools_lock);
static LIST_HEAD(drm_gem_zswap_pools);
static struct drm_gem_zswap_pool *drm_gem_zswap_current;

static DEFINE_MUTEX(drm_gem_zswap_config_lock);
/* Files parked BOs again once their fences signal, see zswap_park(). */
static struct workqueue_struct *drm_gem_zswap_wq;
/*
 * Pools are made and destroyed here, not on drm_gem_zswap_wq: making one
 * allocates contexts for every CPU, which the rescuer of a reclaim
 * workqueue should not wait for, and destroying a zsmalloc pool flushes
 * a work of the system workqueue, which a reclaim workqueue may not.
 */
static struct workqueue_struct *drm_gem_zswap_pool_wq;
static LLIST_HEAD(drm_gem_zswap_puts);
static void zswap_pool_work(struct work_struct *work);
static DECLARE_WORK(drm_gem_zswap_pool_work, zswap_pool_work);
static bool zswap_pool_have(void);
static void zswap_put_work(struct work_struct *work);
static DECLARE_WORK(drm_gem_zswap_put_work, zswap_put_work);
/*
 * Whether pools may be made, under drm_gem_zswap_config_lock: not before
 * module_init, where a parameter from the command line or modprobe only
 * names the pool the first eviction makes, nor once module_exit has begun,
 * where a write racing the module's removal must not make one that
 * nothing would free.
 */
enum zswap_init_state { ZSWAP_UNINIT, ZSWAP_READY, ZSWAP_GONE };
static enum zswap_init_state drm_gem_zswap_init_state;
static enum drm_gem_zswap_compressor drm_gem_zswap_comp = DRM_GEM_ZSWAP_LZ4;
static char drm_gem_zswap_zpool_type[32] = CONFIG_DRM_GEM_ZSWAP_DEFAULT_ZPOOL;

atomic64_t drm_gem_zswap_stats[DRM_GEM_ZSWAP_NR_COUNTERS];

static void zswap_lru_del(struct drm_gem_shmem_object *shmem);
static void zswap_deferred_end(struct drm_gem_shmem_object *shmem);
static bool zswap_held(struct drm_gem_shmem_object *shmem);
static struct page *zswap_first_page(struct drm_gem_shmem_object *shmem);
static void zswap_file_or_park(struct drm_gem_shmem_object *shmem, struct page *page);
static void zswap_idle_work(struct work_struct *work);
static void zswap_lru_file(struct drm_gem_shmem_object *shmem, struct page *page);
static bool zswap_pool_over_limit(void);

/* Counters, kept for the device and for the whole system. */

static void zswap_stat_add(struct drm_gem_zswap_device *zdev,
			   enum drm_gem_zswap_counter c, s64 v)
{
	atomic64_add(v, &drm_gem_zswap_stats[c]);
	if (zdev)
		atomic64_add(v, &zdev->stats[c]);
}

static void zswap_stat_entry(struct drm_gem_zswap_device *zdev,
			     const struct drm_gem_zswap_entry *entry, int sign)
{
	zswap_stat_add(zdev, DRM_GEM_ZSWAP_STORED_BOS, sign);
	zswap_stat_add(zdev, DRM_GEM_ZSWAP_ORIG_BYTES, sign * (s64)entry->size);
	/* /proc/meminfo's GemZswapped */
	atomic_long_add(sign * (long)(entry->size >> PAGE_SHIFT), &gem_zswap_stored_pages);
	zswap_stat_add(zdev, DRM_GEM_ZSWAP_COMP_BYTES, sign * (s64)entry->stream.len);
	zswap_stat_add(zdev, DRM_GEM_ZSWAP_POOL_BYTES,
		       sign * (s64)drm_gem_zswap_entry_footprint(entry));
	if (entry->same_filled)
		zswap_stat_add(zdev, DRM_GEM_ZSWAP_SAME_FILLED, sign);
}

/**
 * drm_gem_zswap_stat() - read one of the system-wide counters
 * @counter: which
 *
 * Return: the counter's value.
 */
u64 drm_gem_zswap_stat(enum drm_gem_zswap_counter counter)
{
	return atomic64_read(&drm_gem_zswap_stats[counter]);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_stat);

/**
 * drm_gem_zswap_dev_stat() - read one of a device's counters
 * @zdev: the device
 * @counter: which
 *
 * Return: the counter's value.
 */
u64 drm_gem_zswap_dev_stat(struct drm_gem_zswap_device *zdev,
			   enum drm_gem_zswap_counter counter)
{
	return atomic64_read(&zdev->stats[counter]);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_dev_stat);

/*
 * Pools: a zpool, a compressor and the contexts for both, which the stream
 * store keeps (drm_gem_zswap_stream.c); their lifetime is the helper's.
 */

static void zswap_pool_destroy(struct drm_gem_zswap_pool *pool)
{
	/* The contexts first: they are the zpool's users. */
	zstream_pool_fini(&pool->store);
	if (pool->store.zpool)
		zpool_destroy_pool(pool->store.zpool);
	kfree(pool);
}

static void zswap_pool_release_work(struct work_struct *work)
{
	zswap_pool_destroy(container_of(work, struct drm_gem_zswap_pool, release_work));
}

static struct drm_gem_zswap_pool *
zswap_pool_create(enum drm_gem_zswap_compressor comp, const char *type)
{
	struct drm_gem_zswap_pool *pool;
	struct zpool *zpool;
	int ret;

	if (!zpool_has_pool((char *)type))
		return ERR_PTR(-ENOENT);

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	kref_init(&pool->ref);
	INIT_LIST_HEAD(&pool->node);
	INIT_WORK(&pool->release_work, zswap_pool_release_work);
	pool->comp = comp;

	ret = -ENOMEM;
	zpool = zpool_create_pool(type, "drm_gem_zswap", GFP_KERNEL);
	if (!zpool)
		goto err;
	/* Its pages show in /proc/meminfo as GemZswap. */
	zpool_account_gem(zpool);
	/* Sets pool->store.zpool, for zswap_pool_destroy(), even if it fails. */
	ret = zstream_pool_init(&pool->store, zpool, drm_gem_zswap_codecs[comp],
				zswap_pool_over_limit);
	if (ret)
		goto err;
	return pool;

err:
	zswap_pool_destroy(pool);
	return ERR_PTR(ret);
}

static void zswap_pool_release(struct kref *ref)
{
	struct drm_gem_zswap_pool *pool =
		container_of(ref, struct drm_gem_zswap_pool, ref);

	list_del(&pool->node);
}

/*
 * The last reference can go in the shrinker (a BO evicted into an old pool
 * that is freed, or a lost one) or in a fault (a restore): destroying a
 * zpool takes slab_mutex and the CPU hotplug lock, which neither may wait
 * for, so it is done by a worker, as mm/zswap does.
 */
static void zswap_pool_put(struct drm_gem_zswap_pool *pool)
{
	bool last;

	spin_lock(&drm_gem_zswap_pools_lock);
	last = kref_put(&pool->ref, zswap_pool_release);
	spin_unlock(&drm_gem_zswap_pools_lock);
	if (last)
		queue_work(drm_gem_zswap_pool_wq, &pool->release_work);
}

static struct drm_gem_zswap_pool *zswap_pool_get_current(void)
{
	struct drm_gem_zswap_pool *pool;

	spin_lock(&drm_gem_zswap_pools_lock);
	pool = drm_gem_zswap_current;
	if (pool)
		kref_get(&pool->ref);
	spin_unlock(&drm_gem_zswap_pools_lock);
	return pool;
}

/*
 * Makes @pool, and the reference the caller holds, the one new evictions
 * go to; the old one lives on in its BOs.
 */
static void zswap_pool_install(struct drm_gem_zswap_pool *pool)
{
	struct drm_gem_zswap_pool *old;

	lockdep_assert_held(&drm_gem_zswap_config_lock);

	spin_lock(&drm_gem_zswap_pools_lock);
	if (list_empty(&pool->node))
		list_add(&pool->node, &drm_gem_zswap_pools);
	old = drm_gem_zswap_current;
	drm_gem_zswap_current = pool;
	spin_unlock(&drm_gem_zswap_pools_lock);
	if (old)
		zswap_pool_put(old);
}

static u64 zswap_pool_pages(void)
{
	struct drm_gem_zswap_pool *pool;
	u64 pages = 0;

	spin_lock(&drm_gem_zswap_pools_lock);
	list_for_each_entry(pool, &drm_gem_zswap_pools, node)
		pages += zpool_get_total_pages(pool->store.zpool);
	spin_unlock(&drm_gem_zswap_pools_lock);
	return pages;
}

/**
 * drm_gem_zswap_pool_total_size() - memory taken by the helper's pools
 *
 * Return: the bytes of every pool that still holds BOs or takes new ones,
 * as their backends count them.
 */
u64 drm_gem_zswap_pool_total_size(void)
{
	return zswap_pool_pages() << PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_pool_total_size);

static bool zswap_pool_over_limit(void)
{
	u64 limit = div_u64((u64)totalram_pages() *
			    READ_ONCE(drm_gem_zswap_max_pool_percent), 100);

	return zswap_pool_pages() >= limit;
}

/* A live pool of @comp and @type, with a reference, or NULL. */
static struct drm_gem_zswap_pool *
zswap_pool_find_get(enum drm_gem_zswap_compressor comp, const char *type)
{
	struct drm_gem_zswap_pool *pool, *found = NULL;

	spin_lock(&drm_gem_zswap_pools_lock);
	list_for_each_entry(pool, &drm_gem_zswap_pools, node) {
		/* Listed pools have references: the last put unlists. */
		if (pool->comp == comp && !strcmp(zpool_get_type(pool->store.zpool), type)) {
			kref_get(&pool->ref);
			found = pool;
			break;
		}
	}
	spin_unlock(&drm_gem_zswap_pools_lock);
	return found;
}

static int zswap_configure_locked(const char *compressor, const char *zpool_type)
{
	bool early = drm_gem_zswap_init_state == ZSWAP_UNINIT;
	enum drm_gem_zswap_compressor comp;
	struct drm_gem_zswap_pool *pool;
	char buf[sizeof(drm_gem_zswap_zpool_type)], *type;
	int ret;

	lockdep_assert_held(&drm_gem_zswap_config_lock);
	if (drm_gem_zswap_init_state == ZSWAP_GONE)
		return -ENODEV;
	comp = drm_gem_zswap_comp;
	if (compressor) {
		char name[8];

		/* " zstd\n" is zstd, as zswap takes it. */
		if (strscpy(name, compressor) < 0)
			name[0] = '\0';
		ret = sysfs_match_string(drm_gem_zswap_compressors, strim(name));
		if (ret < 0) {
			pr_err("drm_gem_zswap: compressor %s not supported: lz4 or zstd\n",
			       compressor);
			return -EINVAL;
		}
		comp = ret;
	}
	if (strscpy(buf, zpool_type ?: drm_gem_zswap_zpool_type, sizeof(buf)) < 0) {
		pr_err("drm_gem_zswap: zpool name too long\n");
		return -EINVAL;
	}
	type = strim(buf);

	/* The backends may not have registered yet: checked at init. */
	if (early)
		goto set;

	if (!zpool_has_pool(type)) {
		pr_err("drm_gem_zswap: zpool %s not available\n", type);
		return -ENOENT;
	}
	/* Naming the current pool, or one BOs still hold, makes none. */
	pool = zswap_pool_find_get(comp, type);
	if (!pool) {
		pool = zswap_pool_create(comp, type);
		if (IS_ERR(pool))
			return PTR_ERR(pool);
	}
	zswap_pool_install(pool);
set:
	drm_gem_zswap_comp = comp;
	strscpy(drm_gem_zswap_zpool_type, type);
	return 0;
}

/**
 * drm_gem_zswap_params_early() - whether a parameter is given before init
 *
 * Return: true before module_init: the value comes from the command line
 * or from modprobe.
 */
bool drm_gem_zswap_params_early(void)
{
	return READ_ONCE(drm_gem_zswap_init_state) == ZSWAP_UNINIT;
}

/**
 * drm_gem_zswap_configure() - choose the compressor and pool for new evictions
 * @compressor: "lz4" or "zstd", or NULL to keep the current one
 * @zpool_type: a zpool backend such as "zblock" or "zsmalloc", or NULL
 *
 * BOs evicted before keep the pool and compressor they were stored with.
 * A pool of the same compressor and backend that still holds BOs becomes
 * current again; otherwise a new one is made.  The module parameters
 * zswap_compressor and zswap_zpool write here.
 *
 * Before module_init only the names are kept, and the backend is checked
 * at init; the module parameters' setters ignore what fails then, so that
 * a bad boot value fails no module load.
 *
 * Return: 0, -EINVAL for an unknown compressor or a backend name too long,
 * -ENOENT for a backend that is not available, -ENODEV once the module is
 * going away or if its init failed, or -ENOMEM.
 */
int drm_gem_zswap_configure(const char *compressor, const char *zpool_type)
{
	int ret;

	mutex_lock(&drm_gem_zswap_config_lock);
	ret = zswap_configure_locked(compressor, zpool_type);
	mutex_unlock(&drm_gem_zswap_config_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(drm_gem_zswap_configure);

/**
 * drm_gem_zswap_config_show() - print the compressor or backend of new evictions
 * @buf: a page, as a module parameter's get gives
 * @zpool: the backend rather than the compressor
 *
 * Return: the length printed.
 */
int drm_gem_zswap_config_show(char *buf, bool zpool)
{
	int ret;

	mutex_lock(&drm_gem_zswap_config_lock);
	ret = scnprintf(buf, PAGE_SIZE, "%s\n", zpool ? drm_gem_zswap_zpool_type :
			drm_gem_zswap_compressors[drm_gem_zswap_comp]);
	mutex_unlock(&drm_gem_zswap_config_lock);
	return ret;
}

static bool zswap_pool_have(void)
{
	bool have;

	spin_lock(&drm_gem_zswap_pools_lock);
	have = drm_gem_zswap_current;
	spin_unlock(&drm_gem_zswap_pools_lock);
	return have;
}

/*
 * Makes the first pool, once: the worker, a driver's eviction and a write
 * of a tunable may all get here at the same time.
 */
static int zswap_pool_ensure(void)
{
	int ret = 0;

	if (zswap_pool_have())
		return 0;
	mutex_lock(&drm_gem_zswap_config_lock);
	if (!zswap_pool_have())
		ret = zswap_configure_locked(NULL, NULL);
	mutex_unlock(&drm_gem_zswap_config_lock);
	return ret;
}

static void zswap_pool_work(struct work_struct *work)
{
	int ret = zswap_pool_ensure();

	/* -ENODEV: the module is going away. */
	if (ret && ret != -ENODEV)
		pr_warn_ratelimited("drm_gem_zswap: cannot make a pool: %d\n", ret);
}

/* Entries: one BO's compressed copy. */

static size_t zswap_max_uncommitted(void)
{
	/* Shifted down first: RAM in bytes may not fit a 32-bit size_t. */
	size_t part = (size_t)(totalram_pages() >> ZSWAP_MAX_UNCOMMITTED_SHIFT) << PAGE_SHIFT;

	return max_t(size_t, ZSWAP_MAX_UNCOMMITTED_MIN, part);
}

static struct drm_gem_zswap_entry *
zswap_entry_alloc(struct drm_gem_zswap_pool *pool, size_t size)
{
	struct drm_gem_zswap_entry *entry;
	size_t max_stream = min(size / 8 * ZSWAP_MAX_STREAM_EIGHTHS, zswap_max_uncommitted());
	/* One allocation: the stream's descriptor and handles end the entry. */
	size_t bytes = offsetof(struct drm_gem_zswap_entry, stream) +
		       zstream_size(&pool->store, max_stream);

	entry = kzalloc(bytes, ZSWAP_GFP);
	if (!entry)
		return NULL;
	zstream_init(&entry->stream, &pool->store, max_stream,
		     kmalloc_size_roundup(bytes));
	entry->size = size;
	return entry;
}

static void zswap_entry_free_chunks(struct drm_gem_zswap_entry *entry)
{
	drm_gem_zswap_memcg_uncharge(entry);
	zstream_free(&entry->stream);
}

static void zswap_entry_free(struct drm_gem_zswap_entry *entry)
{
	zswap_entry_free_chunks(entry);
	if (entry->pool)
		zswap_pool_put(entry->pool);
	kfree(entry);
}

/* Same-filled BOs. */

static bool zswap_same_filled(struct page **pages, unsigned int n,
			      unsigned long *value)
{
	unsigned int i, j;
	unsigned long *p;
	unsigned long v = 0;

	for (i = 0; i < n; i++) {
		p = kmap_local_page(pages[i]);
		if (!i)
			v = p[0];
		for (j = 0; j < PAGE_SIZE / sizeof(*p); j++) {
			if (p[j] != v)
				break;
		}
		kunmap_local(p);
		if (j < PAGE_SIZE / sizeof(*p))
			return false;
	}
	*value = v;
	return true;
}

static void zswap_fill_pages(struct page **pages, unsigned int n,
			     unsigned long value)
{
	unsigned int i;
	void *p;

	for (i = 0; i < n; i++) {
		p = kmap_local_page(pages[i]);
		memset_l(p, value, PAGE_SIZE / sizeof(unsigned long));
		kunmap_local(p);
	}
}

/* Eviction. */

/*
 * Why a BO cannot be evicted now, as an errno: the caller's mistake
 * (-EINVAL), nothing to do (-EALREADY, -ENODATA) or in use (-EBUSY).
 */
static int zswap_check_evictable(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_object *obj = &shmem->base;
	struct dma_buf *dmabuf = obj->dma_buf;

	if (obj->import_attach)
		return -EINVAL;
	if (shmem->zswap.entry)
		return -EALREADY;
	if (!shmem->pages)
		return -ENODATA;
	if (shmem->pages_pin_count || shmem->vmap_use_count || shmem->madv < 0 ||
	    shmem->zswap.mapped_elsewhere)
		return -EBUSY;
	if (dmabuf && !list_empty(&dmabuf->attachments))
		return -EBUSY;
	if (!dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP))
		return -EBUSY;
	return 0;
}

/**
 * drm_gem_zswap_may_evict() - whether a BO could be evicted as it is now
 * @shmem: the BO, with its reservation lock held
 *
 * For a driver that prepares an eviction ahead of time (virtio-gpu sends
 * the detach from a worker): false if eviction would refuse the BO as it
 * is (imported, evicted already, without pages, pinned, vmapped, purged,
 * mapped where eviction cannot reach, attached through a dma-buf, or with
 * a fence pending).
 *
 * Return: true if drm_gem_zswap_evict() would not refuse the BO for its
 * state.
 */
bool drm_gem_zswap_may_evict(struct drm_gem_shmem_object *shmem)
{
	dma_resv_assert_held(shmem->base.resv);

	return !zswap_check_evictable(shmem);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_may_evict);

/*
 * Removes every CPU mapping of the BO: through the DRM file, and through a
 * dma-buf it is exported as, whose mappings live in the device's address
 * space when the driver exports with drm_gem_prime_export() (or shares it
 * the same way), or else in the dma-buf's own file.  A BO mapped through a
 * file that is neither is never evicted, see drm_gem_zswap_mmap().
 * Faults come back through drm_gem_shmem_fault(), which waits for the
 * reservation lock we hold and then restores.
 *
 * obj->dma_buf is stable under the device's object_name_lock, but prime
 * export holds that lock while the driver's export callback takes the
 * reservation lock (to restore the BO): waiting for it here, under the
 * reservation lock, would be the reverse order.  Only a trylock, then; a
 * BO in the middle of an export is busy.
 */
static int zswap_zap_mappings(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_object *obj = &shmem->base;
	struct drm_device *dev = obj->dev;

	drm_vma_node_unmap(&obj->vma_node, dev->anon_inode->i_mapping);

	if (!mutex_trylock(&dev->object_name_lock))
		return -EBUSY;
	/* Sharing the device's address space, its mappings are gone already. */
	if (obj->dma_buf && obj->dma_buf->file->f_mapping != dev->anon_inode->i_mapping)
		unmap_mapping_range(obj->dma_buf->file->f_mapping, 0, 0, 1);
	mutex_unlock(&dev->object_name_lock);
	return 0;
}

/**
 * drm_gem_zswap_mmap() - note where a BO is mapped
 * @shmem: the BO, with its reservation lock held
 * @file: the file it is being mapped through
 *
 * The shmem helper calls this for every new CPU mapping.  Eviction zaps
 * the mappings of the device's anon inode, which a DRM file and a dma-buf
 * exported by drm_gem_prime_export() both use, and those of the dma-buf in
 * &drm_gem_object.dma_buf.  That pointer is cleared when the last GEM
 * handle is closed, while the dma-buf and its mappings may live on: a
 * dma-buf file with an address space of its own is then out of reach, and
 * an eviction would leave its mappings on freed pages.  A BO mapped through
 * such a file is never evicted again.
 */
void drm_gem_zswap_mmap(struct drm_gem_shmem_object *shmem, struct file *file)
{
	struct drm_gem_object *obj = &shmem->base;

	dma_resv_assert_held(obj->resv);

	if (file->f_mapping == obj->dev->anon_inode->i_mapping ||
	    shmem->zswap.mapped_elsewhere)
		return;
	drm_dbg_driver(obj->dev,
		       "zswap: BO mapped outside the device's address space, kept resident\n");
	shmem->zswap.mapped_elsewhere = true;
	zswap_lru_del(shmem);
}

/* The BO's contents are safe in the pool: free its pages for real. */
static void zswap_free_pages(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_object *obj = &shmem->base;

	if (shmem->sgt) {
		/*
		 * The driver has taken the device's view of the BO away and
		 * given the pages back to the CPU (evict_prepare), whose copy
		 * was compressed: a sync from bounce buffers now would only
		 * copy what is about to be freed.
		 */
		dma_unmap_sgtable(obj->dev->dev, shmem->sgt, DMA_BIDIRECTIONAL,
				  DMA_ATTR_SKIP_CPU_SYNC);
		sg_free_table(shmem->sgt);
		kfree(shmem->sgt);
		shmem->sgt = NULL;
		/* The table held a use of the pages, see get_pages_sgt. */
		shmem->pages_use_count--;
	}

#ifdef CONFIG_X86
	if (shmem->map_wc)
		set_pages_array_wb(shmem->pages, obj->size >> PAGE_SHIFT);
#endif
	drm_gem_put_pages(obj, shmem->pages, false, false);
	shmem->pages = NULL;

	/* Not only our references: the shmem file's pages themselves. */
	shmem_truncate_range(file_inode(obj->filp), 0, (loff_t)-1);
}

static int zswap_reject(struct drm_gem_zswap_device *zdev, int err)
{
	enum drm_gem_zswap_counter c;

	switch (err) {
	case -EBUSY:
		c = DRM_GEM_ZSWAP_REJECT_BUSY;
		break;
	case -E2BIG:
		c = DRM_GEM_ZSWAP_REJECT_INCOMPRESSIBLE;
		break;
	case -ENOMEM:
		c = DRM_GEM_ZSWAP_REJECT_NOMEM;
		break;
	case -ENOSPC:
		c = DRM_GEM_ZSWAP_REJECT_POOL_LIMIT;
		break;
	case -EDQUOT:
		c = DRM_GEM_ZSWAP_REJECT_CGROUP_LIMIT;
		break;
	case -EINPROGRESS:
		c = DRM_GEM_ZSWAP_EVICT_DEFERRED;
		break;
	default:
		return err;
	}
	zswap_stat_add(zdev, c, 1);
	return err;
}

static int zswap_evict_locked(struct drm_gem_zswap_device *zdev,
			      struct drm_gem_shmem_object *shmem,
			      bool may_block)
{
	struct drm_gem_object *obj = &shmem->base;
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	unsigned int n = obj->size >> PAGE_SHIFT;
	struct drm_gem_zswap_entry *entry;
	struct drm_gem_zswap_pool *pool;
	u64 start = ktime_get_ns();
	int ret;

	dma_resv_assert_held(obj->resv);

	if (!READ_ONCE(drm_gem_zswap_enabled))
		return -EOPNOTSUPP;
	ret = zswap_check_evictable(shmem);
	if (ret)
		return zswap_reject(zdev, ret);
	if (zbo->backoff && time_before(jiffies, zbo->retry_after))
		return -E2BIG;
	if (zswap_pool_over_limit())
		return zswap_reject(zdev, -ENOSPC);

	/*
	 * The pool, and its codec contexts, are made for the first eviction,
	 * not when a device initialises.  Not in reclaim, which may not
	 * allocate them: a worker makes it, and a later scan evicts.
	 */
	pool = zswap_pool_get_current();
	if (!pool && !may_block) {
		queue_work(drm_gem_zswap_pool_wq, &drm_gem_zswap_pool_work);
		return -EAGAIN;
	}
	if (!pool) {
		ret = zswap_pool_ensure();
		if (ret)
			return ret;
		pool = zswap_pool_get_current();
		if (!pool)
			return -ENODEV;
	}
	entry = zswap_entry_alloc(pool, obj->size);
	if (!entry) {
		zswap_pool_put(pool);
		return zswap_reject(zdev, -ENOMEM);
	}
	entry->pool = pool;
	entry->zdev = zdev;
	/*
	 * Not worth detaching, zapping and compressing for a cgroup that has
	 * no room for the copy: refused before the BO is touched, and
	 * cheaply, for reclaim may ask again at once.
	 */
	ret = drm_gem_zswap_memcg_begin(entry, shmem);
	if (ret)
		goto err;
	if (zdev && zdev->funcs && zdev->funcs->evict_prepare) {
		ret = zdev->funcs->evict_prepare(shmem, may_block);
		/* Whoever may block waits: nobody would finish it. */
		if (drm_WARN_ON_ONCE(zdev->drm, ret == -EINPROGRESS && may_block))
			ret = -EBUSY;
		if (ret)
			goto err;
	}

	/*
	 * Mappings first: a store through a mapping does not take the
	 * reservation lock, so one that lands after the pages are read is
	 * lost with them.  Once zapped, the next access faults and waits for
	 * the lock we hold.  If eviction fails, the pages stay and are simply
	 * faulted in again.
	 */
	ret = zswap_zap_mappings(shmem);
	if (ret)
		goto err;
	if (zswap_same_filled(shmem->pages, n, &entry->fill)) {
		entry->same_filled = true;
	} else {
		ret = zstream_store(&entry->stream, shmem->pages, n, ZSWAP_GFP,
				    ZSWAP_RESERVE);
		if (ret)
			goto err;
	}
	ret = drm_gem_zswap_memcg_charge(entry, shmem);
	if (ret)
		goto err;
	zswap_free_pages(shmem);
	drm_gem_zswap_memcg_commit(entry);

	/* fdinfo reads it without the lock: drm_gem_shmem_status() */
	WRITE_ONCE(zbo->entry, entry);
	zbo->backoff = false;
	zswap_stat_entry(zdev, entry, 1);
	zswap_stat_add(zdev, DRM_GEM_ZSWAP_EVICTIONS, 1);
	zswap_lru_del(shmem);
	zswap_deferred_end(shmem);
	trace_drm_gem_zswap_evict(obj, entry->stream.len, entry->stream.chunk_bytes,
				  ktime_get_ns() - start);
	return 0;

err:
	if (ret == -E2BIG) {
		zbo->backoff = true;
		zbo->retry_after = jiffies + ZSWAP_BACKOFF;
	}
	zswap_entry_free(entry);
	return zswap_reject(zdev, ret);
}

/**
 * drm_gem_zswap_evict() - compress a BO and free its pages
 * @zdev: the device the BO belongs to
 * @shmem: the BO, with its reservation lock held
 *
 * Compresses the BO's pages into the current pool, removes every CPU
 * mapping of them, drops the scatter/gather table and frees the pages,
 * including the shmem file's.  The next use of the pages restores them.
 * Only an idle BO is evicted: all fences signalled, not pinned, not
 * vmapped, not imported, not attached through a dma-buf.  On any failure
 * the BO is left as it was.
 *
 * A driver that gave the BO's pages to its device must take them back
 * before calling this (virtio-gpu detaches the backing from the host).
 *
 * Return: 0 on success, or
 * -EINVAL for an imported BO,
 * -EALREADY if it is evicted already,
 * -ENODATA if it holds no pages,
 * -EBUSY if it is in use,
 * -E2BIG if it does not compress well enough, to 7/8 of its size and to
 * what one eviction may hold (not retried for a while, unless the driver
 * marks it in use),
 * -ENOSPC if the pool is at its size limit,
 * -EDQUOT if the copy would take the BO's memory cgroup past its
 * memory.gem_zswap.max,
 * -ENOMEM if the pool could not grow,
 * -EOPNOTSUPP if the helper is disabled.
 */
int drm_gem_zswap_evict(struct drm_gem_zswap_device *zdev,
			struct drm_gem_shmem_object *shmem)
{
	return zswap_evict_locked(zdev, shmem, true);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_evict);

/* Restore. */

/**
 * drm_gem_zswap_load() - decompress an evicted BO into new pages
 * @shmem: the BO, with its reservation lock held
 * @pages: its new pages, from drm_gem_get_pages()
 *
 * Called by the shmem helper when it gets pages for an evicted BO.  On
 * success the compressed copy is freed and @pages hold the contents.  On
 * failure the pages hold nothing of use and the caller must put them.
 *
 * Return: 0, or -EIO when the stored copy is corrupt: the BO is then lost
 * and every later use fails the same way.  -EIO also when the decompressor
 * did not start, but the copy is kept and the next use tries again.
 */
int drm_gem_zswap_load(struct drm_gem_shmem_object *shmem, struct page **pages)
{
	struct drm_gem_object *obj = &shmem->base;
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_zswap_entry *entry = zbo->entry;
	unsigned int i, n = obj->size >> PAGE_SHIFT;
	u64 start = ktime_get_ns();
	int ret;

	dma_resv_assert_held(obj->resv);

	if (entry->lost)
		return -EIO;
	if (entry->same_filled) {
		/* Eviction truncated the file: new shmem pages come zeroed. */
		if (entry->fill)
			zswap_fill_pages(pages, n, entry->fill);
	} else {
		ret = zstream_load(&entry->stream, pages, n);
		if (ret == -EINVAL) {
			/*
			 * The decoder did not start: nothing is known of the
			 * copy, which stays for the next use to try again.
			 */
			drm_err_ratelimited(obj->dev,
					    "zswap: the decompressor did not start for a BO of %zu bytes, kept\n",
					    obj->size);
			return -EIO;
		}
		if (ret) {
			drm_err_ratelimited(obj->dev,
					    "zswap: BO of %zu bytes is corrupt in the pool, lost\n",
					    obj->size);
			zswap_stat_entry(entry->zdev, entry, -1);
			zswap_stat_add(entry->zdev, DRM_GEM_ZSWAP_RESTORE_FAILURES, 1);
			/*
			 * Nothing of the pool is of use any more: a lost BO
			 * must not keep an old pool and its contexts alive.
			 */
			zswap_entry_free_chunks(entry);
			zswap_pool_put(entry->pool);
			entry->pool = NULL;
			/* The pool may be gone: nothing may reach it from here. */
			entry->stream.pool = NULL;
			entry->lost = true;
			return -EIO;
		}
	}

	/* New shmem pages that were written: keep them if put unpinned. */
	for (i = 0; i < n; i++)
		set_page_dirty(pages[i]);

	zswap_stat_entry(entry->zdev, entry, -1);
	zswap_stat_add(entry->zdev, DRM_GEM_ZSWAP_RESTORES, 1);
	trace_drm_gem_zswap_restore(obj, entry->stream.len,
				    ktime_get_ns() - start);
	WRITE_ONCE(zbo->entry, NULL);
	zswap_entry_free(entry);
	/* Evictable before, so again, behind every other BO, unless held. */
	if (zbo->zdev)
		zswap_file_or_park(shmem, pages[0]);
	return 0;
}

/**
 * drm_gem_zswap_is_lost() - whether a BO's stored copy was found corrupt
 * @shmem: the BO, with its reservation lock held
 *
 * The shmem helper asks before it gets pages for a restore: a lost BO
 * fails every use with -EIO, and needs none.
 *
 * Return: true for a lost BO.
 */
bool drm_gem_zswap_is_lost(struct drm_gem_shmem_object *shmem)
{
	dma_resv_assert_held(shmem->base.resv);

	return shmem->zswap.entry && shmem->zswap.entry->lost;
}

/**
 * drm_gem_zswap_count_restore_nomem() - count a restore that found no pages
 * @shmem: the BO
 *
 * The shmem helper calls this when pages for a restore could not be
 * allocated; the compressed copy stays for a retry.
 */
void drm_gem_zswap_count_restore_nomem(struct drm_gem_shmem_object *shmem)
{
	zswap_stat_add(shmem->zswap.entry->zdev, DRM_GEM_ZSWAP_RESTORE_NOMEM, 1);
}

/**
 * drm_gem_zswap_restore() - bring an evicted BO's pages back
 * @shmem: the BO, with its reservation lock held
 *
 * Every path of the shmem helper that needs the pages restores on its own;
 * a driver calls this to restore ahead of use, for instance before it gives
 * the pages to its device.  Restoring a resident BO does nothing.
 *
 * Return: 0, -ENOMEM (the compressed copy is kept, try again) or -EIO (the
 * BO is lost, or, if drm_gem_zswap_bo_state() still says evicted, the
 * decompressor did not start and the copy is kept).
 */
int drm_gem_zswap_restore(struct drm_gem_shmem_object *shmem)
{
	int ret;

	dma_resv_assert_held(shmem->base.resv);

	if (!shmem->zswap.entry)
		return 0;
	ret = drm_gem_shmem_get_pages(shmem);
	if (ret)
		return ret;
	drm_gem_shmem_put_pages(shmem);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_restore);

/**
 * drm_gem_zswap_release() - free a BO's compressed copy
 * @shmem: the BO being freed
 */
void drm_gem_zswap_release(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_entry *entry = shmem->zswap.entry;

	zswap_lru_del(shmem);
	zswap_deferred_end(shmem);
	if (!entry)
		return;
	if (!entry->lost)
		zswap_stat_entry(entry->zdev, entry, -1);
	WRITE_ONCE(shmem->zswap.entry, NULL);
	zswap_entry_free(entry);
}

/**
 * drm_gem_zswap_bo_state() - where a BO's contents are
 * @shmem: the BO, with its reservation lock held
 *
 * Return: see &enum drm_gem_zswap_state.
 */
enum drm_gem_zswap_state drm_gem_zswap_bo_state(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_entry *entry = shmem->zswap.entry;

	dma_resv_assert_held(shmem->base.resv);

	if (entry)
		return entry->lost ? DRM_GEM_ZSWAP_LOST : DRM_GEM_ZSWAP_EVICTED;
	return shmem->pages ? DRM_GEM_ZSWAP_RESIDENT : DRM_GEM_ZSWAP_UNPOPULATED;
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_bo_state);

/**
 * drm_gem_zswap_corrupt() - flip one bit of a BO's stored stream
 * @shmem: an evicted BO, with its reservation lock held
 * @offset: which byte of the stream
 *
 * For tests of what a restore does with a damaged copy: KUnit's, and the
 * debugfs file's "corrupt" command with CONFIG_DRM_GEM_ZSWAP_DEBUG.
 *
 * Return: 0, or -EINVAL if the BO has no stream or @offset is past its end.
 */
int drm_gem_zswap_corrupt(struct drm_gem_shmem_object *shmem, size_t offset)
{
	struct drm_gem_zswap_entry *entry = shmem->zswap.entry;

	dma_resv_assert_held(shmem->base.resv);

	if (!entry || entry->lost)
		return -EINVAL;
	return zstream_corrupt(&entry->stream, offset);
}
EXPORT_SYMBOL_IF_KUNIT(drm_gem_zswap_corrupt);

/*
 * The LRU and the shrinker.
 *
 * Each device keeps its evictable BOs on a list_lru, one list per NUMA node
 * and memory cgroup, and its shrinker is memcg-aware: a BO's pages are
 * charged to the cgroup of whoever first touched them, and reclaim under that
 * cgroup's limit (memory.max) only calls shrinkers that know the cgroup.  A
 * BO on a list holds a reference to the cgroup it was filed under, whoever
 * takes it off the list drops it.  The lists count BOs; the shrinker counts
 * pages, from the average size of the BOs on the device's lists.
 */

static void zswap_lru_account(struct drm_gem_zswap_device *zdev,
			      struct drm_gem_shmem_object *shmem, long sign)
{
	atomic_long_add(sign, &zdev->lru_bos);
	atomic_long_add(sign * (long)(shmem->base.size >> PAGE_SHIFT),
			&zdev->lru_pages);
}

/* Files the BO at the tail of its list; false if it is on one already. */
static bool zswap_lru_add(struct drm_gem_zswap_device *zdev,
			  struct drm_gem_shmem_object *shmem,
			  int nid, struct mem_cgroup *memcg)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;

	zbo->nid = nid;
	zbo->memcg = memcg;
	if (!list_lru_add(&zdev->lru, &zbo->lru, nid, memcg))
		return false;
	zswap_lru_account(zdev, shmem, 1);
	return true;
}

/* Takes the BO off its list, if it is on one, and drops the list's reference. */
static void zswap_lru_del(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_zswap_device *zdev = zbo->zdev;

	dma_resv_assert_held(shmem->base.resv);

	if (!zdev || !list_lru_del(&zdev->lru, &zbo->lru, zbo->nid, zbo->memcg))
		return;
	zswap_lru_account(zdev, shmem, -1);
	mem_cgroup_put(zbo->memcg);
	zbo->memcg = NULL;
}

/*
 * Files a BO whose first page is @page under the cgroup and node of that
 * page.  Without memory for the cgroup's lists it is simply not filed.
 */
static void zswap_lru_file(struct drm_gem_shmem_object *shmem, struct page *page)
{
	struct drm_gem_zswap_device *zdev = shmem->zswap.zdev;
	struct folio *folio = page_folio(page);
	struct mem_cgroup *memcg = get_mem_cgroup_from_folio(folio);

	/*
	 * The first BO filed has the pool made, by a worker: the shrinker,
	 * which cannot make it, should find it there when it comes.
	 */
	if (!zswap_pool_have())
		queue_work(drm_gem_zswap_pool_wq, &drm_gem_zswap_pool_work);

	/* A cgroup's lists are made the first time one of its BOs is filed. */
	if ((IS_ENABLED(CONFIG_MEMCG) &&
	     memcg_list_lru_alloc(memcg, &zdev->lru, GFP_KERNEL)) ||
	    !zswap_lru_add(zdev, shmem, folio_nid(folio), memcg))
		mem_cgroup_put(memcg);
}

/**
 * drm_gem_zswap_mark_evictable() - offer an idle BO to the shrinker
 * @zdev: the BO's device
 * @shmem: the BO, with its reservation lock held
 *
 * Puts the BO at the tail of its LRU (the shrinker evicts from the head),
 * filed under the memory cgroup its pages are charged to.  A driver calls it
 * when the BO's last use ends (its fences signal); the shrinker checks again
 * that the BO is idle before it evicts.  A BO without pages, or evicted,
 * joins the LRU when its pages come back.
 */
void drm_gem_zswap_mark_evictable(struct drm_gem_zswap_device *zdev,
				  struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;

	dma_resv_assert_held(shmem->base.resv);

	if (!zbo->zdev) {
		INIT_LIST_HEAD(&zbo->lru);
		INIT_WORK(&zbo->idle_work, zswap_idle_work);
		INIT_LIST_HEAD(&zbo->idle_link);
		zbo->zdev = zdev;
	}
	if (drm_WARN_ON(zdev->drm, zbo->zdev != zdev) || shmem->base.import_attach)
		return;
	zswap_deferred_end(shmem);
	/* Again at the tail: it was used. */
	zswap_lru_del(shmem);
	zswap_file_or_park(shmem, zswap_first_page(shmem));
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_mark_evictable);

/**
 * drm_gem_zswap_mark_in_use() - take a BO away from the shrinker
 * @shmem: the BO, with its reservation lock held
 *
 * A driver calls it when it starts to use the BO.  The BO may be written,
 * so an earlier refusal as incompressible no longer holds.
 */
void drm_gem_zswap_mark_in_use(struct drm_gem_shmem_object *shmem)
{
	dma_resv_assert_held(shmem->base.resv);

	shmem->zswap.backoff = false;
	shmem->zswap.parked = false;
	zswap_lru_del(shmem);
	zswap_deferred_end(shmem);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_mark_in_use);

/*
 * The shrinker left the BO's eviction to its driver, taking it off the
 * list of @memcg, whose reference it hands over: until the driver is done,
 * reclaim of @memcg counts the BO's pages as on their way out and waits a
 * little for them instead of handing the driver more, see
 * zswap_deferred_pages() and zswap_wait_deferred().
 */
static bool zswap_deferred_begin(struct drm_gem_shmem_object *shmem,
				 struct mem_cgroup *memcg)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_zswap_device *zdev = zbo->zdev;

	dma_resv_assert_held(shmem->base.resv);

	/* Filed again by its fence's worker while the driver still has it. */
	if (zbo->deferred) {
		mem_cgroup_put(memcg);
		return false;
	}
	zbo->deferred = true;
	zbo->deferred_memcg = memcg;
	spin_lock(&zdev->deferred_lock);
	list_add_tail(&zbo->deferred_link, &zdev->deferred_list);
	spin_unlock(&zdev->deferred_lock);
	WRITE_ONCE(zdev->deferred_progress, jiffies);
	return true;
}

/*
 * The driver evicted a BO the shrinker left to it, or filed it again, or
 * the BO is being freed.
 */
static void zswap_deferred_end(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_zswap_device *zdev = zbo->zdev;

	if (!zbo->deferred)
		return;
	zbo->deferred = false;
	spin_lock(&zdev->deferred_lock);
	list_del(&zbo->deferred_link);
	spin_unlock(&zdev->deferred_lock);
	mem_cgroup_put(zbo->deferred_memcg);
	zbo->deferred_memcg = NULL;
	WRITE_ONCE(zdev->deferred_progress, jiffies);
	atomic_long_inc(&zdev->deferred_ended);
	wake_up_all(&zdev->deferred_wq);
}

/*
 * Held: kept resident by a pin (a dma-buf attachment pins too), a vmap, a
 * mapping eviction cannot reach, or purging.  The shmem helper says when
 * a pin or vmap ends, see drm_gem_zswap_unhold().
 */
static bool zswap_held(struct drm_gem_shmem_object *shmem)
{
	return shmem->pages_pin_count || shmem->vmap_use_count ||
	       shmem->zswap.mapped_elsewhere || shmem->madv < 0;
}

/* The first page of a resident BO, which its LRU place follows, or NULL. */
static struct page *zswap_first_page(struct drm_gem_shmem_object *shmem)
{
	return !shmem->zswap.entry && shmem->pages ? shmem->pages[0] : NULL;
}

/*
 * Parks a held BO, to be filed when drm_gem_zswap_unhold() says it is
 * not held any more, or files one whose first page is @page (none: it
 * joins the LRU when its pages come back).
 */
static void zswap_file_or_park(struct drm_gem_shmem_object *shmem, struct page *page)
{
	shmem->zswap.parked = zswap_held(shmem);
	if (!shmem->zswap.parked && page)
		zswap_lru_file(shmem, page);
}

/* Files a parked BO again, if it still may be. */
static void zswap_unpark(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;

	dma_resv_assert_held(shmem->base.resv);

	if (zbo->parked)
		zswap_file_or_park(shmem, zswap_first_page(shmem));
}

/*
 * Ends a BO's wait for its fence: the callback has run, or was removed.
 * Drops the references zswap_park() took; the last one frees the BO, so
 * only in process context.
 */
static void zswap_idle_done(struct drm_gem_shmem_object *shmem, bool unpark)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_zswap_device *zdev = zbo->zdev;
	struct drm_gem_object *obj = &shmem->base;
	struct dma_fence *fence;

	spin_lock(&zdev->idle_lock);
	list_del_init(&zbo->idle_link);
	spin_unlock(&zdev->idle_lock);

	dma_resv_lock(obj->resv, NULL);
	fence = zbo->idle_fence;
	zbo->idle_fence = NULL;
	zbo->idle_armed = false;
	if (unpark)
		zswap_unpark(shmem);
	dma_resv_unlock(obj->resv);
	dma_fence_put(fence);
	drm_gem_object_put(obj);
}

static void zswap_idle_work(struct work_struct *work)
{
	struct drm_gem_zswap_bo *zbo = container_of(work, struct drm_gem_zswap_bo, idle_work);

	zswap_idle_done(container_of(zbo, struct drm_gem_shmem_object, zswap), true);
}

/* May run in interrupt context, with the fence's lock held. */
static void zswap_idle_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct drm_gem_zswap_bo *zbo = container_of(cb, struct drm_gem_zswap_bo, idle_cb);

	queue_work(drm_gem_zswap_wq, &zbo->idle_work);
}

/*
 * Parks a BO on @fence, whose reference it takes: the fence's callback
 * files it again.  The callback's references: the BO, and the fence,
 * which drm_gem_zswap_dev_fini() may have to take the callback off.  The
 * caller holds a reference to the BO of its own, so the puts on the
 * failure path are never the last.  False if the fence has signalled
 * meanwhile: the BO goes back to the tail.
 */
static bool zswap_park_on(struct drm_gem_shmem_object *shmem, struct dma_fence *fence)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_zswap_device *zdev = zbo->zdev;
	struct drm_gem_object *obj = &shmem->base;

	dma_resv_assert_held(obj->resv);

	drm_gem_object_get(obj);
	zbo->idle_fence = fence;
	spin_lock(&zdev->idle_lock);
	list_add_tail(&zbo->idle_link, &zdev->idle_list);
	spin_unlock(&zdev->idle_lock);
	if (!dma_fence_add_callback(fence, &zbo->idle_cb, zswap_idle_cb)) {
		zbo->idle_armed = true;
		zbo->parked = true;
		return true;
	}
	spin_lock(&zdev->idle_lock);
	list_del_init(&zbo->idle_link);
	spin_unlock(&zdev->idle_lock);
	zbo->idle_fence = NULL;
	dma_fence_put(fence);
	drm_gem_object_put(obj);
	return false;
}

/*
 * A BO the shrinker found in use leaves the LRU instead of going back to
 * its tail, where every later scan would find it and count it again:
 * reclaim would keep asking for BOs that cannot go.  A held one comes back
 * when drm_gem_zswap_unhold() says its last pin or vmap ended; a fenced one
 * when the first fence found unsignalled signals (its callback files it,
 * and a later scan finds any other).  Returns whether the BO was parked;
 * if not (busy for another reason, or idle by now), it goes back to the
 * tail.
 */
static bool zswap_park(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_bo *zbo = &shmem->zswap;
	struct drm_gem_object *obj = &shmem->base;
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_assert_held(obj->resv);

	/* Held, or waiting for a fence already: filed again from there. */
	if (zswap_held(shmem) || zbo->idle_armed) {
		zbo->parked = true;
		return true;
	}
	dma_resv_for_each_fence(&cursor, obj->resv, DMA_RESV_USAGE_BOOKKEEP, fence) {
		if (!dma_fence_is_signaled(fence))
			return zswap_park_on(shmem, dma_fence_get(fence));
	}
	return false;
}

/**
 * drm_gem_zswap_unhold() - a pin or vmap of a BO ended
 * @shmem: the BO, with its reservation lock held
 *
 * The shmem helper calls this when its last pin or vmap goes: a BO the
 * shrinker took off the LRU because it was held is filed again.
 */
void drm_gem_zswap_unhold(struct drm_gem_shmem_object *shmem)
{
	if (shmem->zswap.zdev)
		zswap_unpark(shmem);
}

struct zswap_scan {
	struct mem_cgroup *memcg;
	unsigned long target;
	unsigned long scanned;
	unsigned long freed;
	unsigned long bos;
	/* not reclaim: the driver may wait for its device (evict_all) */
	bool may_block;
	/* reclaim for the whole machine, not a cgroup's limit */
	bool machine;
	/* no pool yet: the walk ends */
	bool stop;
	/* BOs left to their driver to evict, and their pages */
	unsigned long deferred;
	unsigned long pending;
	/* bytes freed less the bytes the stored copies hold */
	size_t gained;
};

/*
 * Reclaim measures its progress in pages freed from its LRUs and in what
 * shrinkers report through the reclaim state; pages freed by a shrinker
 * any other way are not seen, and reclaim goes on down to its lowest
 * priority, evicting every BO it can for a single charge.  Reported: what
 * the system gained, the BO's pages less the pool's pages that now hold it.
 */
static void zswap_account_reclaimed(struct zswap_scan *scan,
				    struct drm_gem_shmem_object *shmem)
{
	size_t held = drm_gem_zswap_entry_footprint(shmem->zswap.entry);

	/* In bytes over the scan: a small BO gains less than a page. */
	if (shmem->base.size > held)
		scan->gained += shmem->base.size - held;
}

/* Room a cgroup needs below memory.max for its next charges to go through. */
#define ZSWAP_MEMCG_HEADROOM	(SZ_2M >> PAGE_SHIFT)

/*
 * Whether a cgroup's reclaim still needs pages.  The pages an eviction
 * frees are uncharged at once, but a cgroup's reclaim does not count them
 * as reclaimed (only global reclaim reads the reclaim state, see
 * flush_reclaim_state()): it would go on through every priority, and ask
 * this shrinker again at each, until every idle BO of the cgroup is evicted
 * for the sake of one charge.  So in a cgroup's reclaim, BOs are evicted
 * only while the cgroup or an ancestor is over memory.high or has less
 * than ZSWAP_MEMCG_HEADROOM left below memory.max.  memory.reclaim on a
 * cgroup within its limits therefore leaves its BOs alone.  The @pending
 * pages of BOs below @memcg that their drivers are evicting are already
 * as good as gone: charged to @memcg and to each of its ancestors, they
 * come off each usage, or every retry of a charge would hand the driver
 * more BOs while it is still busy with the first ones.
 */
static bool zswap_memcg_short(struct mem_cgroup *memcg, unsigned long pending)
{
#ifdef CONFIG_MEMCG
	if (!memcg || mem_cgroup_is_root(memcg))
		return true;
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		unsigned long usage = page_counter_read(&memcg->memory);

		usage -= min(usage, pending);

		if (usage > READ_ONCE(memcg->memory.high) ||
		    usage + ZSWAP_MEMCG_HEADROOM > READ_ONCE(memcg->memory.max))
			return true;
	}
	return false;
#else
	return true;
#endif
}

static void zswap_put_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&drm_gem_zswap_puts);
	struct drm_gem_zswap_bo *zbo, *tmp;

	llist_for_each_entry_safe(zbo, tmp, list, put_node)
		drm_gem_object_put(&container_of(zbo, struct drm_gem_shmem_object,
						 zswap)->base);
}

/*
 * Drops the shrinker's reference to a BO.  Its owner may have let go of the
 * BO meanwhile, and freeing a BO in reclaim is not allowed: the driver's
 * free callback may wait for its device (virtio-gpu queues an unref and
 * may wait for room in its queue) and takes locks that reclaim must not
 * wait for.  So the last reference is left to a worker, which also keeps
 * the BO's memory until then: rare, and never more than the BOs a scan
 * saw freed under it.
 */
static void zswap_put_deferred(struct drm_gem_shmem_object *shmem)
{
	if (refcount_dec_not_one(&shmem->base.refcount.refcount))
		return;
	/* Ours is the only reference: nobody else can queue the BO. */
	llist_add(&shmem->zswap.put_node, &drm_gem_zswap_puts);
	queue_work(drm_gem_zswap_wq, &drm_gem_zswap_put_work);
}

/*
 * Called by the list walk with the list's lock held.  Only a BO whose
 * reservation lock can be taken at once is touched: with it held, nobody
 * else files or unfiles the BO, and it cannot be freed under us.  The BO
 * is taken off the list, the list's lock dropped for the eviction, and a BO
 * that could not be evicted goes back to the tail.
 */
static enum lru_status zswap_shrink_one(struct list_head *item,
					struct list_lru_one *list,
					spinlock_t *lock, void *arg)
	__must_hold(lock)
{
	struct drm_gem_zswap_bo *zbo = container_of(item, struct drm_gem_zswap_bo, lru);
	struct drm_gem_shmem_object *shmem =
		container_of(zbo, struct drm_gem_shmem_object, zswap);
	struct drm_gem_zswap_device *zdev = zbo->zdev;
	struct drm_gem_object *obj = &shmem->base;
	struct zswap_scan *scan = arg;
	struct mem_cgroup *memcg;
	int nid, ret;

	/*
	 * What the driver evicts for us counts towards the target, or one
	 * batch would hand it every idle BO; it is not reported as gained,
	 * since its pages are not freed yet.
	 */
	if (scan->freed + scan->pending >= scan->target || scan->stop ||
	    (!scan->machine && !zswap_memcg_short(scan->memcg, scan->pending)))
		return LRU_STOP;
	if (!dma_resv_trylock(obj->resv))
		return LRU_SKIP;
	/* Being freed: its release takes it off the list. */
	if (!kref_get_unless_zero(&obj->refcount)) {
		dma_resv_unlock(obj->resv);
		return LRU_SKIP;
	}

	/*
	 * Neither on its list nor left to the driver until the outcome is
	 * known: counted meanwhile, or a count of this cgroup that found
	 * nothing would clear the shrinker's bit for it, and nothing but a
	 * list_lru_add() sets it again.
	 */
	atomic_inc(&zdev->isolating);
	/* Counted before it leaves the list: pairs with zswap_shrinker_count(). */
	smp_mb__after_atomic();
	list_lru_isolate(list, item);
	zswap_lru_account(zdev, shmem, -1);
	scan->scanned += obj->size >> PAGE_SHIFT;
	memcg = zbo->memcg;
	nid = zbo->nid;
	zbo->memcg = NULL;
	spin_unlock(lock);

	/*
	 * Whatever happens, a BO whose only reference is now ours is not
	 * filed again: its owner let go of it, and our put frees it.
	 */
	ret = zswap_evict_locked(zdev, shmem, scan->may_block);
	if (!ret) {
		scan->freed += obj->size >> PAGE_SHIFT;
		scan->bos++;
		zswap_account_reclaimed(scan, shmem);
	} else if (ret == -EAGAIN) {
		/*
		 * No pool yet: a worker makes it, and no BO can be evicted
		 * until then, so this walk ends here.  The BO goes back on
		 * its list, at the tail (list_lru adds nowhere else), as it
		 * was.  (A BO refused for memory does not end it: the next
		 * may need less, a same-filled one only its entry.)
		 */
		scan->stop = true;
		if (kref_read(&obj->refcount) > 1 &&
		    zswap_lru_add(zdev, shmem, nid, memcg))
			memcg = NULL;
	} else if (ret == -EINPROGRESS) {
		/* The driver evicts it or files it again. */
		if (zswap_deferred_begin(shmem, memcg)) {
			scan->deferred++;
			scan->pending += obj->size >> PAGE_SHIFT;
		}
		memcg = NULL;
	} else if (kref_read(&obj->refcount) > 1 &&
		   !(ret == -EBUSY && zswap_park(shmem)) &&
		   ret != -ENODATA && ret != -EALREADY && ret != -EINVAL &&
		   ret != -ENODEV && zswap_lru_add(zdev, shmem, nid, memcg)) {
		/*
		 * In use for a moment or short of memory now: kept, behind
		 * the others.  A BO held or fenced is parked instead; one the
		 * driver keeps resident, or of a device that is gone, leaves.
		 */
		memcg = NULL;
	}
	/* Filed or left to the driver before it is no longer counted. */
	smp_mb__before_atomic();
	atomic_dec(&zdev->isolating);
	dma_resv_unlock(obj->resv);
	mem_cgroup_put(memcg);
	zswap_put_deferred(shmem);

	spin_lock(lock);
	return LRU_REMOVED_RETRY;
}

/* Whether pages charged to @memcg are charged to @root too. */
static bool zswap_memcg_below(struct mem_cgroup *memcg, struct mem_cgroup *root)
{
#ifdef CONFIG_MEMCG
	if (!root || mem_cgroup_is_root(root))
		return true;
	return memcg && mem_cgroup_is_descendant(memcg, root);
#else
	return true;
#endif
}

/*
 * Pages of the BOs left to their driver whose eviction reclaim of @memcg
 * on node @nid (or on any, NUMA_NO_NODE) sees: those charged to @memcg or
 * below it, or all of them for the root (and without memory cgroups).
 * Counted at the start of each scan towards its target: reclaim that comes
 * back before the driver is done waits for them rather than handing the
 * driver the next BOs, as reclaim throttles on pages under writeback
 * rather than writing more.
 */
static unsigned long zswap_deferred_pages(struct drm_gem_zswap_device *zdev,
					  struct mem_cgroup *memcg, int nid)
{
	struct drm_gem_zswap_bo *zbo;
	unsigned long pages = 0;

	/* Unlocked, as a hint: reclaim mostly finds none. */
	if (list_empty(&zdev->deferred_list))
		return 0;
	spin_lock(&zdev->deferred_lock);
	list_for_each_entry(zbo, &zdev->deferred_list, deferred_link) {
		if ((nid == NUMA_NO_NODE || zbo->nid == nid) &&
		    zswap_memcg_below(zbo->deferred_memcg, memcg))
			pages += container_of(zbo, struct drm_gem_shmem_object,
					      zswap)->base.size >> PAGE_SHIFT;
	}
	spin_unlock(&zdev->deferred_lock);
	return pages;
}

static unsigned long zswap_shrinker_count(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	struct drm_gem_zswap_device *zdev = shrinker->private_data;
	unsigned long bos = list_lru_shrink_count(&zdev->lru, sc);
	long all_bos = atomic_long_read(&zdev->lru_bos);
	long all_pages = atomic_long_read(&zdev->lru_pages);

	if (!READ_ONCE(drm_gem_zswap_enabled))
		return 0;
	if (bos && all_bos > 0)
		return bos * (all_pages / all_bos);
	/*
	 * With every idle BO of the list left to its driver, the pages on
	 * their way out are counted, so that reclaim still calls the scan,
	 * which waits for them: a cgroup without swap has nothing else to
	 * wait for.  A BO a scan holds between its list and the driver
	 * keeps the count from being empty, see zswap_shrink_one(): the
	 * list's count is read before @isolating, @isolating before the
	 * deferrals.
	 */
	smp_rmb();
	if (atomic_read_acquire(&zdev->isolating))
		return 1;
	return zswap_deferred_pages(zdev, sc->memcg, sc->nid) ?: SHRINK_EMPTY;
}

/*
 * The longest reclaim waits for evictions it left to the driver, which
 * end the wait as they finish: about a host's round trip for virtio-gpu's
 * detach and a compression under TCG.  A slower driver (a KASAN guest)
 * is waited for again by each scan of each retry of the charge, while its
 * deferrals last; the bound keeps a worker that waits for the reclaiming
 * task from stalling it for long, as msm's bounded wait for fences in its
 * shrinker does.
 */
#define ZSWAP_DEFERRED_WAIT	msecs_to_jiffies(20)

/*
 * A driver that has neither been handed a BO nor finished one for this
 * long is taken to be stuck (its worker waiting, maybe, for a lock that a
 * reclaiming task holds): reclaim no longer waits for it.
 */
#define ZSWAP_DEFERRED_STUCK	(2 * HZ)

/*
 * A scan that fell short of its target, of a cgroup still short (or of
 * the machine), while BOs it counted are left to their driver: a direct
 * reclaim waits until as many deferrals of the device have ended since
 * @ended as the scan made, or one if it made none, so that a charge
 * retried after this reclaim finds their pages gone instead of giving up
 * (a cgroup without swap would go to its OOM killer).  Each scan of each
 * retry of a charge waits again while the driver is at work, up to
 * ZSWAP_DEFERRED_WAIT each time, and not at all once the driver has made
 * no progress for ZSWAP_DEFERRED_STUCK: a slow device delays the charge
 * until it is done or the retries run out, a stuck one by two seconds at
 * most.  Bounded, for the driver's worker may want a reservation lock the
 * reclaiming task holds; the worker itself never waits here, since it
 * allocates without __GFP_FS (see &drm_gem_zswap_funcs.evict_prepare),
 * for which the shrinker does nothing.  Not kswapd, which would stall a
 * whole node and rechecks its watermarks anyway.  Whatever the driver
 * frees is uncharged and freed, which the charge and the page allocator
 * look at when they retry.
 */
static void zswap_wait_deferred(struct drm_gem_zswap_device *zdev,
				struct shrink_control *sc, long ended,
				unsigned long deferred)
{
	if (!gfpflags_allow_blocking(sc->gfp_mask) || current_is_kswapd())
		return;
	if (time_after(jiffies, READ_ONCE(zdev->deferred_progress) + ZSWAP_DEFERRED_STUCK))
		return;
	wait_event_timeout(zdev->deferred_wq,
			   atomic_long_read(&zdev->deferred_ended) - ended >=
			   max(deferred, 1UL), ZSWAP_DEFERRED_WAIT);
}

static unsigned long zswap_shrinker_scan(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	struct drm_gem_zswap_device *zdev = shrinker->private_data;
	struct zswap_scan scan = { .memcg = sc->memcg, .target = sc->nr_to_scan };
	unsigned long nr_to_walk = list_lru_shrink_count(&zdev->lru, sc);
	long ended;

	/* Eviction takes shmem folio locks to truncate the BO's file. */
	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	/*
	 * Reclaim for the whole machine (kswapd, direct reclaim, the root's
	 * memory.reclaim) reads what zswap_account_reclaimed() reports and
	 * stops when it has enough: every cgroup's idle BOs go, each list
	 * oldest first, as far as its batches ask.  A cgroup's reclaim does
	 * not, and keeps to zswap_memcg_short().
	 */
	scan.machine = sc->root_reclaim;

	ended = atomic_long_read(&zdev->deferred_ended);
	/*
	 * A cgroup's limit is on all its nodes; the machine's reclaim frees
	 * one node's pages.
	 */
	scan.pending = zswap_deferred_pages(zdev, sc->memcg,
					    scan.machine ? sc->nid : NUMA_NO_NODE);
	list_lru_walk_one(&zdev->lru, sc->nid, sc->memcg, zswap_shrink_one,
			  &scan, &nr_to_walk);
	mm_account_reclaimed_pages(scan.gained >> PAGE_SHIFT);
	if (scan.pending && scan.freed < scan.target &&
	    (scan.machine || zswap_memcg_short(sc->memcg, 0)))
		zswap_wait_deferred(zdev, sc, ended, scan.deferred);
	/*
	 * A BO is evicted whole, often many times the batch asked for: say
	 * so, or reclaim asks again for each batch of pages that BO already
	 * gave, and evicts far more than it needs.
	 */
	if (scan.scanned)
		sc->nr_scanned = scan.scanned;
	return scan.freed ?: SHRINK_STOP;
}

/**
 * drm_gem_zswap_evict_all() - evict every idle BO of a device
 * @zdev: the device
 *
 * Walks the device's LRU as the shrinker does, with no target: every BO on
 * it that is idle and whose lock is free is evicted.  BOs in use stay.
 * Unlike the shrinker it waits for the driver to take each BO back from
 * its device (&drm_gem_zswap_funcs.evict_prepare with @may_block set), so
 * the caller must be in process context and may sleep.
 *
 * Return: the number of BOs evicted.
 */
unsigned long drm_gem_zswap_evict_all(struct drm_gem_zswap_device *zdev)
{
	struct zswap_scan scan = { .target = ULONG_MAX, .may_block = true };

	might_sleep();
	/* BOs whose fences have signalled come back to the LRU first. */
	flush_workqueue(drm_gem_zswap_wq);

	list_lru_walk(&zdev->lru, zswap_shrink_one, &scan,
		      atomic_long_read(&zdev->lru_bos));
	return scan.bos;
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_evict_all);

/* Devices. */

/**
 * drm_gem_zswap_dev_init() - set up the helper for a DRM device
 * @zdev: the device's helper state, usually embedded in the driver's device
 * @drm: the DRM device
 *
 * Registers the device's shrinker; the pool is made when the first BO is
 * evicted.  The device's counters appear in debugfs when the driver calls
 * drm_gem_zswap_debugfs_init().
 *
 * Return: 0 or a negative errno.
 */
int drm_gem_zswap_dev_init(struct drm_gem_zswap_device *zdev,
			   struct drm_device *drm)
{
	int i, ret;

	zdev->drm = drm;
	INIT_LIST_HEAD(&zdev->idle_list);
	spin_lock_init(&zdev->idle_lock);
	atomic_set(&zdev->isolating, 0);
	zdev->deferred_progress = jiffies;
	INIT_LIST_HEAD(&zdev->deferred_list);
	spin_lock_init(&zdev->deferred_lock);
	atomic_long_set(&zdev->deferred_ended, 0);
	init_waitqueue_head(&zdev->deferred_wq);
	atomic_long_set(&zdev->lru_bos, 0);
	atomic_long_set(&zdev->lru_pages, 0);
	for (i = 0; i < DRM_GEM_ZSWAP_NR_COUNTERS; i++)
		atomic64_set(&zdev->stats[i], 0);

	/* Not slab, but charged to cgroups: called under their limits too. */
	zdev->shrinker = shrinker_alloc(SHRINKER_MEMCG_AWARE | SHRINKER_NUMA_AWARE |
					SHRINKER_NONSLAB, "drm-gem-zswap:%s",
					drm->unique ?: "drm");
	if (!zdev->shrinker)
		return -ENOMEM;
	ret = list_lru_init_memcg(&zdev->lru, zdev->shrinker);
	if (ret) {
		shrinker_free(zdev->shrinker);
		return ret;
	}
	zdev->shrinker->count_objects = zswap_shrinker_count;
	zdev->shrinker->scan_objects = zswap_shrinker_scan;
	zdev->shrinker->private_data = zdev;
	shrinker_register(zdev->shrinker);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_dev_init);

/**
 * drm_gem_zswap_dev_fini() - tear the helper down for a DRM device
 * @zdev: the device's helper state
 *
 * Call after the device's last BO is freed, or at least after the last one
 * has left the LRU.  BOs still waiting for a fence to be filed again are
 * let go here, whether or not it signals.
 */
void drm_gem_zswap_dev_fini(struct drm_gem_zswap_device *zdev)
{
	struct drm_gem_zswap_bo *zbo, *tmp;
	LIST_HEAD(cancelled);

	/*
	 * BOs parked on a fence hold references until it signals, which a
	 * gone device's fences never do: take their callbacks off, and wait
	 * for those that have fired.
	 */
	spin_lock(&zdev->idle_lock);
	list_for_each_entry_safe(zbo, tmp, &zdev->idle_list, idle_link)
		if (dma_fence_remove_callback(zbo->idle_fence, &zbo->idle_cb))
			list_move(&zbo->idle_link, &cancelled);
	spin_unlock(&zdev->idle_lock);
	flush_workqueue(drm_gem_zswap_wq);
	list_for_each_entry_safe(zbo, tmp, &cancelled, idle_link)
		zswap_idle_done(container_of(zbo, struct drm_gem_shmem_object, zswap), false);

	shrinker_free(zdev->shrinker);
	zdev->shrinker = NULL;
	/* The last puts the shrinker left to the worker, of BOs of ours. */
	flush_workqueue(drm_gem_zswap_wq);
	drm_WARN_ON(zdev->drm, atomic_long_read(&zdev->lru_bos));
	drm_WARN_ON(zdev->drm, !list_empty(&zdev->deferred_list));
	list_lru_destroy(&zdev->lru);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_dev_fini);

#ifdef CONFIG_LOCKDEP
/*
 * Teaches lockdep the order of the header comment once, at init, as
 * dma_resv_lockdep() does for the reservation lock, so that a path that
 * inverts it is reported the first time it runs rather than only when
 * both orders happen to meet: a codec context's mutex inside the
 * reservation lock, and inside reclaim, which waits for a context (see
 * zstream_ctx_get() in drm_gem_zswap_stream.c).  An allocation that may
 * reclaim under a context's mutex is then reported at once.  The mutex
 * here is of the contexts' class: zstream_ctx_lock_init().
 */
static void __init zswap_lockdep(void)
{
	struct ww_acquire_ctx ww;
	struct mutex ctx_lock;	/* of the class of every context's lock */
	struct dma_resv resv;

	dma_resv_init(&resv);
	zstream_ctx_lock_init(&ctx_lock);
	ww_acquire_init(&ww, &reservation_ww_class);
	if (dma_resv_lock(&resv, &ww) == -EDEADLK)
		dma_resv_lock_slow(&resv, &ww);
	mutex_lock(&ctx_lock);
	mutex_unlock(&ctx_lock);
	dma_resv_unlock(&resv);
	ww_acquire_fini(&ww);

	fs_reclaim_acquire(GFP_KERNEL);
	mutex_lock(&ctx_lock);
	mutex_unlock(&ctx_lock);
	fs_reclaim_release(GFP_KERNEL);

	mutex_destroy(&ctx_lock);
	dma_resv_fini(&resv);
}
#else
static inline void zswap_lockdep(void) { }
#endif

static int __init drm_gem_zswap_init(void)
{
	zswap_lockdep();

	/* Its work frees memory (BOs): a rescuer under pressure. */
	drm_gem_zswap_wq = alloc_workqueue("drm_gem_zswap", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!drm_gem_zswap_wq)
		goto err;
	drm_gem_zswap_pool_wq = alloc_workqueue("drm_gem_zswap_pool", WQ_UNBOUND, 0);
	if (!drm_gem_zswap_pool_wq) {
		destroy_workqueue(drm_gem_zswap_wq);
		goto err;
	}

	/*
	 * A backend named on the command line is checked now that the
	 * backends have registered, as zswap does: a name that is not one
	 * falls back to the default rather than leaving the helper without
	 * a pool.
	 */
	mutex_lock(&drm_gem_zswap_config_lock);
	if (!zpool_has_pool(drm_gem_zswap_zpool_type)) {
		pr_err("drm_gem_zswap: zpool %s not available, using %s\n",
		       drm_gem_zswap_zpool_type, CONFIG_DRM_GEM_ZSWAP_DEFAULT_ZPOOL);
		strscpy(drm_gem_zswap_zpool_type, CONFIG_DRM_GEM_ZSWAP_DEFAULT_ZPOOL);
	}
	WRITE_ONCE(drm_gem_zswap_init_state, ZSWAP_READY);
	mutex_unlock(&drm_gem_zswap_config_lock);

	drm_gem_zswap_abi_init();
	return 0;

err:
	/* Built in, the parameters stay: writes to them must fail. */
	mutex_lock(&drm_gem_zswap_config_lock);
	WRITE_ONCE(drm_gem_zswap_init_state, ZSWAP_GONE);
	mutex_unlock(&drm_gem_zswap_config_lock);
	return -ENOMEM;
}
module_init(drm_gem_zswap_init);

static void __exit drm_gem_zswap_exit(void)
{
	struct drm_gem_zswap_pool *pool;

	drm_gem_zswap_abi_exit();
	mutex_lock(&drm_gem_zswap_config_lock);
	WRITE_ONCE(drm_gem_zswap_init_state, ZSWAP_GONE);
	mutex_unlock(&drm_gem_zswap_config_lock);
	cancel_work_sync(&drm_gem_zswap_pool_work);
	spin_lock(&drm_gem_zswap_pools_lock);
	pool = drm_gem_zswap_current;
	drm_gem_zswap_current = NULL;
	spin_unlock(&drm_gem_zswap_pools_lock);
	if (pool)
		zswap_pool_put(pool);
	destroy_workqueue(drm_gem_zswap_wq);
	destroy_workqueue(drm_gem_zswap_pool_wq);
}
module_exit(drm_gem_zswap_exit);

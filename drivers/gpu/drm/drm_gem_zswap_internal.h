/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drm_gem_zswap: what the helper and its tests share, and nobody else.
 */

#ifndef __DRM_GEM_ZSWAP_INTERNAL_H__
#define __DRM_GEM_ZSWAP_INTERNAL_H__

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>

struct drm_gem_shmem_object;
struct drm_gem_zswap_ctx;
struct drm_gem_zswap_device;
struct obj_cgroup;
struct page;
struct zpool;

/**
 * enum drm_gem_zswap_compressor - how a stream is compressed
 * @DRM_GEM_ZSWAP_LZ4: LZ4, one block per page, 64 KiB of history
 * @DRM_GEM_ZSWAP_ZSTD: zstd, one frame, 128 KiB window
 */
enum drm_gem_zswap_compressor {
	DRM_GEM_ZSWAP_LZ4,
	DRM_GEM_ZSWAP_ZSTD,
};

/**
 * struct drm_gem_zswap_pool - where streams are stored, and how
 * @zpool: the zpool backend
 * @comp: the compressor of every stream in it
 * @chunk_size: the size of every whole chunk of a stream: the largest the
 *	backend stores without waste
 * @tail_pieces: a stream's tail is stored in pieces (zswap_tail_piece()),
 *	for backends whose chunk is a page (zblock, zsmalloc) and whose
 *	classes of those pieces have one-page blocks; zbud and z3fold, which
 *	keep two or three objects a page, store it whole
 * @ctx: per-CPU codec contexts
 * @ref: one for being current, one per stored BO
 * @node: in the list of live pools
 * @release_work: destroys the pool once its last reference is gone
 */
struct drm_gem_zswap_pool {
	struct zpool *zpool;
	enum drm_gem_zswap_compressor comp;
	size_t chunk_size;
	bool tail_pieces;
	struct drm_gem_zswap_ctx __percpu *ctx;
	struct kref ref;
	struct list_head node;
	struct work_struct release_work;
};

/**
 * struct drm_gem_zswap_entry - the compressed copy of one BO
 * @pool: the pool its chunks are in
 * @zdev: the device whose counters it is accounted to
 * @size: the BO's size
 * @max_stream: the most that storing the BO may hold (its stream, the
 *	entry and its pages of handles): 7/8 of its size for it to be worth
 *	storing, and no more than one eviction may hold before it frees the
 *	BO's pages
 * @stream_len: the stream's length
 * @chunk_bytes: bytes of pool objects held: the stream, in chunks, and
 *	the padding of its tail's last piece
 * @nr_chunks: how many chunks
 * @hash: xxh64 of the stream
 * @fill: the value of every word of a same-filled BO
 * @same_filled: stored as @fill, no chunks
 * @lost: the copy was found corrupt and freed
 * @inline_handles: the handles are in @handle, in the entry itself, not
 *	in pages of their own: a BO of few chunks (ZSWAP_INLINE_HANDLES)
 * @alloc_bytes: the entry's own allocation, and the pages of handles so far
 * @objcg: the memory cgroup the copy is charged to, with a reference, or
 *	NULL (the root cgroup's, or cgroup.memory=nokmem): drm_gem_zswap_memcg.c
 * @charged: bytes charged to @objcg's memory.gem_zswap, or 0
 * @committed: @charged is in memory.current too, the BO's pages freed
 * @nr_handle_pages: size of @handles, or of @handle when @inline_handles
 * @handles: pages of chunk handles, allocated as chunks are stored
 * @handle: the chunk handles themselves, when @inline_handles
 */
struct drm_gem_zswap_entry {
	struct drm_gem_zswap_pool *pool;
	struct drm_gem_zswap_device *zdev;
	size_t size;
	size_t max_stream;
	size_t stream_len;
	size_t chunk_bytes;
	unsigned int nr_chunks;
	u64 hash;
	unsigned long fill;
	bool same_filled;
	bool lost;
	bool inline_handles;
	size_t alloc_bytes;
	struct obj_cgroup *objcg;
	size_t charged;
	bool committed;
	unsigned int nr_handle_pages;
	union {
		DECLARE_FLEX_ARRAY(unsigned long *, handles);
		DECLARE_FLEX_ARRAY(unsigned long, handle);
	};
};

/*
 * Bytes of memory the stored copy holds: the stream's pool objects, the
 * entry and its pages of handles; what pool_bytes counts.  The objects
 * are the slots of the backend's classes for zblock and zsmalloc, whose
 * streams are cut to those sizes (drm_gem_zswap_tail_piece()); a zbud or
 * z3fold object may take up to 63 bytes more.  Blocks the backend keeps
 * partly empty are the pool's, not a BO's: the system-wide
 * pool_total_size has them.
 */
static inline size_t
drm_gem_zswap_entry_footprint(const struct drm_gem_zswap_entry *entry)
{
	return entry->chunk_bytes + entry->alloc_bytes;
}

/* drm_gem_zswap.c: the pools, their counters and tunables */
extern atomic64_t drm_gem_zswap_stats[];
extern bool drm_gem_zswap_enabled;
extern unsigned int drm_gem_zswap_max_pool_percent;
int drm_gem_zswap_configure(const char *compressor, const char *zpool_type);
int drm_gem_zswap_config_show(char *buf, bool zpool);
bool drm_gem_zswap_params_early(void);
int drm_gem_zswap_corrupt(struct drm_gem_shmem_object *shmem, size_t offset);

/* drm_gem_zswap_abi.c: debugfs, module parameters */
void drm_gem_zswap_abi_init(void);
void drm_gem_zswap_abi_exit(void);

/* drm_gem_zswap_memcg.c: the copy's charge to the BO's memory cgroup */
int drm_gem_zswap_memcg_begin(struct drm_gem_zswap_entry *entry,
			      struct drm_gem_shmem_object *shmem);
int drm_gem_zswap_memcg_charge(struct drm_gem_zswap_entry *entry,
			       struct drm_gem_shmem_object *shmem);
void drm_gem_zswap_memcg_commit(struct drm_gem_zswap_entry *entry);
void drm_gem_zswap_memcg_uncharge(struct drm_gem_zswap_entry *entry);

#if IS_ENABLED(CONFIG_KUNIT)
int drm_gem_zswap_store_chunk(struct drm_gem_zswap_pool *pool, const void *src,
			      size_t len, gfp_t gfp, unsigned long *handle);
size_t drm_gem_zswap_tail_piece(size_t chunk, size_t tail, unsigned int j,
				size_t *slot);
void *drm_gem_zswap_map_linear(struct page **pages, unsigned int n);
#endif

#endif /* __DRM_GEM_ZSWAP_INTERNAL_H__ */

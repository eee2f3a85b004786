/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drm_gem_zswap: what the helper and its tests share, and nobody else.
 */

#ifndef __DRM_GEM_ZSWAP_INTERNAL_H__
#define __DRM_GEM_ZSWAP_INTERNAL_H__

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>

#include "drm_gem_zswap_stream.h"

struct drm_gem_shmem_object;
struct drm_gem_zswap_device;
struct obj_cgroup;
struct page;

/**
 * enum drm_gem_zswap_compressor - how a stream is compressed
 * @DRM_GEM_ZSWAP_LZ4: LZ4, one block per page, 64 KiB of history
 * @DRM_GEM_ZSWAP_ZSTD: zstd, one frame, 128 KiB window
 *
 * The names of the zswap_compressor parameter; the stream store's codec of
 * each is in drm_gem_zswap_codecs[].
 */
enum drm_gem_zswap_compressor {
	DRM_GEM_ZSWAP_LZ4,
	DRM_GEM_ZSWAP_ZSTD,
};

/**
 * struct drm_gem_zswap_pool - where streams are stored, and how
 * @store: the zpool backend, its chunk size and the per-CPU codec contexts
 *	of the stream store
 * @comp: the compressor of every stream in it
 * @ref: one for being current, one per stored BO
 * @node: in the list of live pools
 * @release_work: destroys the pool once its last reference is gone
 */
struct drm_gem_zswap_pool {
	struct zstream_pool store;
	enum drm_gem_zswap_compressor comp;
	struct kref ref;
	struct list_head node;
	struct work_struct release_work;
};

/**
 * struct drm_gem_zswap_entry - the compressed copy of one BO
 * @pool: the pool its chunks are in
 * @zdev: the device whose counters it is accounted to
 * @size: the BO's size
 * @fill: the value of every word of a same-filled BO
 * @objcg: the memory cgroup the copy is charged to, with a reference, or
 *	NULL (the root cgroup's, or cgroup.memory=nokmem): drm_gem_zswap_memcg.c
 * @charged: bytes charged to @objcg's memory.gem_zswap, or 0
 * @same_filled: stored as @fill, no chunks
 * @lost: the copy was found corrupt and freed
 * @committed: @charged is in memory.current too, the BO's pages freed
 * @stream: the stream, in @pool's store; its &zstream.max_bytes is the
 *	most that storing the BO may hold (its stream, the entry and its
 *	pages of handles): 7/8 of its size for it to be worth storing, and
 *	no more than one eviction may hold before it frees the BO's pages.
 *	Last: its handles end the entry's allocation.
 */
struct drm_gem_zswap_entry {
	struct drm_gem_zswap_pool *pool;
	struct drm_gem_zswap_device *zdev;
	size_t size;
	unsigned long fill;
	struct obj_cgroup *objcg;
	size_t charged;
	bool same_filled;
	bool lost;
	bool committed;
	struct zstream stream;
};

/* The stream's handles follow the entry: nothing may come after it. */
static_assert(offsetof(struct drm_gem_zswap_entry, stream) + sizeof(struct zstream) ==
	      sizeof(struct drm_gem_zswap_entry));

/*
 * Bytes of memory the stored copy holds: the stream's pool objects, the
 * entry and its pages of handles; what pool_bytes counts.  The objects
 * are the slots of the backend's classes for zblock and zsmalloc, whose
 * streams are cut to those sizes (zstream_tail_piece()); a zbud or
 * z3fold object may take up to 63 bytes more.  Blocks the backend keeps
 * partly empty are the pool's, not a BO's: the system-wide
 * pool_total_size has them.
 */
static inline size_t
drm_gem_zswap_entry_footprint(const struct drm_gem_zswap_entry *entry)
{
	return zstream_footprint(&entry->stream);
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

#endif /* __DRM_GEM_ZSWAP_INTERNAL_H__ */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drm_gem_zswap: compress idle shmem GEM objects into memory.
 *
 * See drivers/gpu/drm/drm_gem_zswap.c for the design and
 * Documentation/gpu/drm-gem-zswap.rst for the driver contract.
 */

#ifndef __DRM_GEM_ZSWAP_H__
#define __DRM_GEM_ZSWAP_H__

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/list_lru.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <drm/drm_gem.h>

struct drm_device;
struct drm_minor;
struct drm_gem_shmem_object;
struct drm_gem_zswap_entry;
struct shrinker;

/**
 * enum drm_gem_zswap_counter - what the helper counts
 *
 * Each is kept per device and for the whole system, and shown in debugfs
 * under the name given (Documentation/gpu/drm-gem-zswap.rst).  The first
 * five are levels, the rest are events.
 */
enum drm_gem_zswap_counter {
	/** @DRM_GEM_ZSWAP_STORED_BOS: "stored_bos", objects evicted now */
	DRM_GEM_ZSWAP_STORED_BOS,
	/** @DRM_GEM_ZSWAP_ORIG_BYTES: "original_bytes", their size */
	DRM_GEM_ZSWAP_ORIG_BYTES,
	/** @DRM_GEM_ZSWAP_COMP_BYTES: "compressed_bytes", their streams */
	DRM_GEM_ZSWAP_COMP_BYTES,
	/**
	 * @DRM_GEM_ZSWAP_POOL_BYTES: "pool_bytes", the memory the copies
	 * hold: their pool objects as the backend sizes them, entries and
	 * pages of handles
	 */
	DRM_GEM_ZSWAP_POOL_BYTES,
	/** @DRM_GEM_ZSWAP_SAME_FILLED: "same_filled_bos", kept as a value */
	DRM_GEM_ZSWAP_SAME_FILLED,
	/** @DRM_GEM_ZSWAP_EVICTIONS: "evictions" */
	DRM_GEM_ZSWAP_EVICTIONS,
	/** @DRM_GEM_ZSWAP_RESTORES: "restores" */
	DRM_GEM_ZSWAP_RESTORES,
	/** @DRM_GEM_ZSWAP_REJECT_BUSY: "reject_busy", fences, pins, maps */
	DRM_GEM_ZSWAP_REJECT_BUSY,
	/** @DRM_GEM_ZSWAP_REJECT_INCOMPRESSIBLE: "reject_incompressible" */
	DRM_GEM_ZSWAP_REJECT_INCOMPRESSIBLE,
	/** @DRM_GEM_ZSWAP_REJECT_NOMEM: "reject_nomem", pool allocation */
	DRM_GEM_ZSWAP_REJECT_NOMEM,
	/** @DRM_GEM_ZSWAP_REJECT_POOL_LIMIT: "reject_pool_limit" */
	DRM_GEM_ZSWAP_REJECT_POOL_LIMIT,
	/**
	 * @DRM_GEM_ZSWAP_REJECT_CGROUP_LIMIT: "reject_cgroup_limit", the
	 * BO's memory.gem_zswap.max
	 */
	DRM_GEM_ZSWAP_REJECT_CGROUP_LIMIT,
	/** @DRM_GEM_ZSWAP_RESTORE_NOMEM: "restore_nomem", retried later */
	DRM_GEM_ZSWAP_RESTORE_NOMEM,
	/** @DRM_GEM_ZSWAP_RESTORE_FAILURES: "restore_failures", objects lost */
	DRM_GEM_ZSWAP_RESTORE_FAILURES,
	/**
	 * @DRM_GEM_ZSWAP_EVICT_DEFERRED: "evict_deferred", BOs reclaim left
	 * to their driver to evict once the device has let go of them
	 */
	DRM_GEM_ZSWAP_EVICT_DEFERRED,
	/** @DRM_GEM_ZSWAP_NR_COUNTERS: number of counters */
	DRM_GEM_ZSWAP_NR_COUNTERS
};

/**
 * struct drm_gem_zswap_funcs - what a driver does around eviction
 */
struct drm_gem_zswap_funcs {
	/**
	 * @evict_prepare:
	 *
	 * Takes the device's view of an idle BO's pages away before the
	 * helper compresses and frees them (virtio-gpu detaches the
	 * backing from the host), and leaves the CPU owning them: anything
	 * the device wrote through a DMA mapping (bounce buffers, a
	 * non-coherent IOMMU) must have been synced for the CPU, since the
	 * helper compresses the pages as the CPU sees them and unmaps the
	 * sg table without a sync.  Called with the BO's reservation lock
	 * held.  Returns 0 once the device no longer uses the pages;
	 * -EINPROGRESS, only when @may_block is false (reclaim), when the
	 * driver has started to take the pages back and finishes the
	 * eviction itself, in process context, holding a reference of its
	 * own to the BO until it has (the helper takes none; asked again
	 * meanwhile, the driver returns -EINPROGRESS again).  Once the
	 * device has let go the driver calls drm_gem_zswap_evict(), whose
	 * @evict_prepare call must then return 0, or
	 * drm_gem_zswap_mark_evictable() if the BO is not to be evicted
	 * after all or its eviction fails; once the device is gone, or if
	 * its reference is the last, it may just drop the BO.  Until then
	 * the BO stays off the shrinker's LRU, where reclaim would find it
	 * busy on every scan; its pages count towards the scan's target but
	 * are not reported to reclaim as freed.  Direct reclaim waits a
	 * little for as many deferrals to end as it made, so the driver's
	 * work that finishes them should run on a WQ_MEM_RECLAIM queue,
	 * block only on its device, and allocate without __GFP_FS
	 * (memalloc_nofs_save()): the shrinker does nothing then, so that
	 * work never waits for itself until the timeout;
	 * -EBUSY when the BO cannot go yet for
	 * another reason, so that a later scan tries again; -EINVAL for a BO
	 * the driver keeps resident; -ENODEV once the device is gone (both
	 * take the BO off the shrinker's LRU); or another error, but not
	 * -EAGAIN, which the helper keeps for "no pool yet" and which ends a
	 * shrinker walk.
	 * If eviction fails afterwards the BO stays resident, and the
	 * driver gives the pages back to the device before their next use.
	 */
	int (*evict_prepare)(struct drm_gem_shmem_object *shmem, bool may_block);
};

/**
 * struct drm_gem_zswap_device - per DRM device state of the helper
 *
 * A driver embeds one in its device structure and sets it up with
 * drm_gem_zswap_dev_init().
 */
struct drm_gem_zswap_device {
	/** @drm: the DRM device */
	struct drm_device *drm;

	/** @funcs: the driver's hooks, or NULL; set before drm_gem_zswap_dev_init() */
	const struct drm_gem_zswap_funcs *funcs;

	/**
	 * @lru: idle objects with resident pages, oldest first, one list per
	 * NUMA node and memory cgroup
	 */
	struct list_lru lru;

	/** @lru_bos: objects on @lru */
	atomic_long_t lru_bos;

	/** @lru_pages: their pages */
	atomic_long_t lru_pages;

	/** @shrinker: evicts from @lru under memory pressure */
	struct shrinker *shrinker;

	/** @stats: this device's counters, see &enum drm_gem_zswap_counter */
	atomic64_t stats[DRM_GEM_ZSWAP_NR_COUNTERS];

	/**
	 * @idle_list: objects parked on a fence, for drm_gem_zswap_dev_fini()
	 * to let go of; under @idle_lock
	 */
	struct list_head idle_list;

	/** @idle_lock: protects @idle_list, taken alone */
	spinlock_t idle_lock;

	/**
	 * @deferred_list: objects whose eviction the shrinker left to the
	 * driver (&drm_gem_zswap_funcs.evict_prepare returned -EINPROGRESS)
	 * and that it has neither evicted nor filed again yet, whose pages a
	 * scan counts as on their way out; under @deferred_lock
	 */
	struct list_head deferred_list;

	/** @deferred_lock: protects @deferred_list, taken alone */
	spinlock_t deferred_lock;

	/**
	 * @deferred_progress: jiffies when a deferral last began or ended:
	 * reclaim stops waiting for a driver that has made none for a while
	 */
	unsigned long deferred_progress;

	/**
	 * @isolating: objects the shrinker has taken off @lru and not yet
	 * filed again, evicted or left to the driver
	 */
	atomic_t isolating;

	/**
	 * @deferred_ended: deferrals ended so far, evicted or filed again,
	 * from which a waiting scan counts those of its own BOs' number
	 */
	atomic_long_t deferred_ended;

	/** @deferred_wq: woken whenever a deferral ends */
	wait_queue_head_t deferred_wq;
};

/**
 * enum drm_gem_zswap_state - where an object's contents are
 */
enum drm_gem_zswap_state {
	/** @DRM_GEM_ZSWAP_UNPOPULATED: no pages held (nothing to evict) */
	DRM_GEM_ZSWAP_UNPOPULATED,
	/** @DRM_GEM_ZSWAP_RESIDENT: pages resident */
	DRM_GEM_ZSWAP_RESIDENT,
	/** @DRM_GEM_ZSWAP_EVICTED: contents compressed, pages freed */
	DRM_GEM_ZSWAP_EVICTED,
	/** @DRM_GEM_ZSWAP_LOST: the compressed copy was found corrupt */
	DRM_GEM_ZSWAP_LOST,
};

#if IS_ENABLED(CONFIG_DRM_GEM_ZSWAP)

/**
 * struct drm_gem_zswap_bo - eviction state of one shmem GEM object
 *
 * Embedded in &struct drm_gem_shmem_object and protected by the object's
 * reservation lock.
 */
struct drm_gem_zswap_bo {
	/**
	 * @entry: the compressed copy while the object is evicted, or NULL
	 * while its pages are resident.
	 */
	struct drm_gem_zswap_entry *entry;

	/**
	 * @zdev: the device whose LRU and statistics the object belongs to,
	 * set when the driver first marks it evictable.
	 */
	struct drm_gem_zswap_device *zdev;

	/** @lru: in @zdev's LRU while evictable */
	struct list_head lru;

	/**
	 * @put_node: in the list of objects whose last reference the
	 * shrinker left to a worker to drop
	 */
	struct llist_node put_node;

	/**
	 * @memcg: the memory cgroup whose list @lru is on, with a reference
	 * held for as long as it is on the list
	 */
	struct mem_cgroup *memcg;

	/** @nid: the NUMA node whose list @lru is on */
	int nid;

	/**
	 * @retry_after: jiffies before which an object that did not
	 * compress well enough is not tried again.  Meaningful only while
	 * @backoff is set.
	 */
	unsigned long retry_after;

	/**
	 * @last_copy: bytes the object's last compressed copy held, or 0:
	 * an eviction is refused at once, before anything is compressed,
	 * while the object's memory cgroup has less room than that.
	 */
	size_t last_copy;

	/** @backoff: the last eviction was refused as incompressible. */
	bool backoff;

	/**
	 * @mapped_elsewhere: mapped through a file whose mappings eviction
	 * cannot find once the last handle is closed, see
	 * drm_gem_zswap_mmap(); never evicted again.
	 */
	bool mapped_elsewhere;

	/**
	 * @parked: refused by the shrinker as pinned, vmapped or busy and
	 * taken off @lru, so that reclaim does not find it again and again;
	 * filed again when the last pin or vmap ends, or when @idle_cb
	 * fires, unless the driver has filed or claimed it meanwhile.
	 */
	bool parked;

	/**
	 * @deferred: on &drm_gem_zswap_device.deferred_list, its driver
	 * finishing its eviction; under the reservation lock
	 */
	bool deferred;

	/**
	 * @deferred_link: in &drm_gem_zswap_device.deferred_list while
	 * @deferred is set
	 */
	struct list_head deferred_link;

	/**
	 * @deferred_memcg: while @deferred is set, the memory cgroup whose
	 * list the object left, with that list's reference: the cgroup
	 * whose reclaim counts the object's pages as on their way out
	 */
	struct mem_cgroup *deferred_memcg;

	/**
	 * @idle_armed: @idle_cb is set on the fence that kept the object
	 * busy, and holds a reference to the object until @idle_work has
	 * run.
	 */
	bool idle_armed;

	/** @idle_cb: fires when the object's busy fence signals */
	struct dma_fence_cb idle_cb;

	/** @idle_work: files a parked object again, in process context */
	struct work_struct idle_work;

	/** @idle_fence: the fence @idle_cb is on, with a reference */
	struct dma_fence *idle_fence;

	/** @idle_link: in &drm_gem_zswap_device.idle_list while armed */
	struct list_head idle_link;
};

int drm_gem_zswap_dev_init(struct drm_gem_zswap_device *zdev,
			   struct drm_device *drm);
void drm_gem_zswap_dev_fini(struct drm_gem_zswap_device *zdev);

void drm_gem_zswap_mark_evictable(struct drm_gem_zswap_device *zdev,
				  struct drm_gem_shmem_object *shmem);
void drm_gem_zswap_mark_in_use(struct drm_gem_shmem_object *shmem);
int drm_gem_zswap_evict(struct drm_gem_zswap_device *zdev,
			struct drm_gem_shmem_object *shmem);
int drm_gem_zswap_restore(struct drm_gem_shmem_object *shmem);
enum drm_gem_zswap_state
drm_gem_zswap_bo_state(struct drm_gem_shmem_object *shmem);
u64 drm_gem_zswap_dev_stat(struct drm_gem_zswap_device *zdev,
			   enum drm_gem_zswap_counter counter);
u64 drm_gem_zswap_stat(enum drm_gem_zswap_counter counter);
u64 drm_gem_zswap_pool_total_size(void);
unsigned long drm_gem_zswap_evict_all(struct drm_gem_zswap_device *zdev);
void drm_gem_zswap_debugfs_init(struct drm_gem_zswap_device *zdev,
				struct drm_minor *minor);

/* For drm_gem_shmem_helper.c only. */
int drm_gem_zswap_load(struct drm_gem_shmem_object *shmem,
		       struct page **pages);
void drm_gem_zswap_release(struct drm_gem_shmem_object *shmem);
void drm_gem_zswap_mmap(struct drm_gem_shmem_object *shmem, struct file *file);
void drm_gem_zswap_unhold(struct drm_gem_shmem_object *shmem);
bool drm_gem_zswap_is_lost(struct drm_gem_shmem_object *shmem);
bool drm_gem_zswap_may_evict(struct drm_gem_shmem_object *shmem);
void drm_gem_zswap_count_restore_nomem(struct drm_gem_shmem_object *shmem);
struct page **drm_gem_zswap_get_pages(struct drm_gem_shmem_object *shmem,
				      gfp_t gfp);

/**
 * drm_gem_zswap_is_evicted() - whether an object's pages are compressed
 * @zbo: the object's eviction state
 *
 * Safe without the object's reservation lock, for a value that may be
 * stale at once (fdinfo).
 *
 * Return: true from eviction until a restore succeeds, also for a lost
 * object.
 */
static inline bool drm_gem_zswap_is_evicted(const struct drm_gem_zswap_bo *zbo)
{
	return READ_ONCE(zbo->entry);
}

#else

/* Nothing to keep per object when the helper is not built. */
struct drm_gem_zswap_bo { };

static inline bool drm_gem_zswap_is_evicted(const struct drm_gem_zswap_bo *zbo)
{
	return false;
}

static inline int drm_gem_zswap_load(struct drm_gem_shmem_object *shmem,
				     struct page **pages)
{
	return 0;
}

static inline void drm_gem_zswap_release(struct drm_gem_shmem_object *shmem)
{
}

static inline void drm_gem_zswap_mmap(struct drm_gem_shmem_object *shmem,
				      struct file *file)
{
}

static inline void drm_gem_zswap_unhold(struct drm_gem_shmem_object *shmem)
{
}

static inline bool drm_gem_zswap_may_evict(struct drm_gem_shmem_object *shmem)
{
	return false;
}

static inline bool drm_gem_zswap_is_lost(struct drm_gem_shmem_object *shmem)
{
	return false;
}

static inline void
drm_gem_zswap_count_restore_nomem(struct drm_gem_shmem_object *shmem)
{
}

static inline struct page **
drm_gem_zswap_get_pages(struct drm_gem_shmem_object *shmem, gfp_t gfp)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/*
 * Without the helper a driver's calls do nothing, and nothing is ever
 * evicted.
 */
static inline int drm_gem_zswap_dev_init(struct drm_gem_zswap_device *zdev,
					 struct drm_device *drm)
{
	return 0;
}

static inline void drm_gem_zswap_dev_fini(struct drm_gem_zswap_device *zdev)
{
}

static inline void drm_gem_zswap_debugfs_init(struct drm_gem_zswap_device *zdev,
					      struct drm_minor *minor)
{
}

static inline void drm_gem_zswap_mark_evictable(struct drm_gem_zswap_device *zdev,
						struct drm_gem_shmem_object *shmem)
{
}

static inline void drm_gem_zswap_mark_in_use(struct drm_gem_shmem_object *shmem)
{
}

static inline int drm_gem_zswap_evict(struct drm_gem_zswap_device *zdev,
				      struct drm_gem_shmem_object *shmem)
{
	return -EOPNOTSUPP;
}

static inline int drm_gem_zswap_restore(struct drm_gem_shmem_object *shmem)
{
	return 0;
}

#endif

/**
 * enum drm_gem_zswap_debug_window - race windows that tests may widen
 * @DRM_GEM_ZSWAP_DEBUG_ATTACH: "attach", between the command that makes a
 *	new BO known to the device and the one that gives the device its
 *	pages; eviction must not reach into it
 * @DRM_GEM_ZSWAP_DEBUG_DETACH: "detach", between the allocation of a
 *	detach's fence and the queueing of the command, where an unplug
 *	drops the command and the fence is never signalled
 * @DRM_GEM_ZSWAP_DEBUG_WINDOWS: the number of windows
 *
 * Each window has a delay of its own, so that a test that widens one does
 * not slow down, and change the timing of, what the other guards.
 */
enum drm_gem_zswap_debug_window {
	DRM_GEM_ZSWAP_DEBUG_ATTACH,
	DRM_GEM_ZSWAP_DEBUG_DETACH,
	DRM_GEM_ZSWAP_DEBUG_WINDOWS
};

#if IS_ENABLED(CONFIG_DRM_GEM_ZSWAP_DEBUG)
void drm_gem_zswap_debug_delay(enum drm_gem_zswap_debug_window window);
#else
static inline void drm_gem_zswap_debug_delay(enum drm_gem_zswap_debug_window window)
{
}
#endif

#endif /* __DRM_GEM_ZSWAP_H__ */

// SPDX-License-Identifier: GPL-2.0
/*
 * drm_gem_zswap: charging a BO's compressed copy to its memory cgroup
 *
 * A BO belongs to the memory cgroup its first page was charged to: the
 * cgroup of the process that first touched it, as for any shmem file.  When
 * the BO is evicted its pages are uncharged as they are freed, and the copy
 * that replaces them (its chunks, its pages of handles and the entry) is
 * charged to that cgroup in their place, through the cgroup's obj_cgroup as
 * zswap charges its entries.  memory.current then holds the copy, memory.stat
 * shows it as gem_zswap (bytes held) and gem_zswapped (bytes of BOs they
 * replace), and memory.gem_zswap.max limits it: an eviction that would take
 * the cgroup or an ancestor past its limit is refused and counted as
 * reject_cgroup_limit, and the BO stays resident.
 *
 * The charge is forced and never reclaims.  It is made in order to free the
 * BO's pages, which hold more than the copy (the 7/8 rule), and often from
 * reclaim, which must not recurse into reclaim nor fail over a limit that
 * the eviction brings the cgroup further under.
 *
 * A restore allocates the BO's pages with the BO's cgroup as the active
 * memcg, so that they are charged back to it and not to whoever touched the
 * BO: a compositor that samples a client's buffer, or an importer, does not
 * pay for it.  If the cgroup was removed while the BO was evicted, the
 * obj_cgroup was handed to its parent, which then holds the copy's charge
 * and gets the restored pages: the BO has moved up one level, as the pages
 * of a removed cgroup's shmem file would.
 *
 * With cgroup.memory=nokmem there are no obj_cgroups: the copy is charged to
 * nobody (as zswap's entries are not), the limit does not apply, and restored
 * pages are charged to whoever touches the BO.
 */

#include <linux/memcontrol.h>
#include <linux/sched/mm.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gem_zswap.h>

#include "drm_gem_zswap_internal.h"

/**
 * drm_gem_zswap_memcg_begin() - find the cgroup an eviction charges
 * @entry: the new entry of a BO being evicted
 * @first: the BO's first page, still charged
 *
 * Return: 0, or -EDQUOT if the cgroup has no room at all for the copy.
 */
int drm_gem_zswap_memcg_begin(struct drm_gem_zswap_entry *entry,
			      struct page *first)
{
	entry->objcg = get_obj_cgroup_from_folio(page_folio(first));
	if (!entry->objcg)
		return 0;
	entry->cg_room = obj_cgroup_gem_zswap_room(entry->objcg);
	return entry->cg_room ? 0 : -EDQUOT;
}

/**
 * drm_gem_zswap_memcg_charge() - charge the finished copy, before the pages go
 * @entry: the entry, with its stream stored
 *
 * Return: 0, or -EDQUOT if the copy is larger than the cgroup's room.
 */
int drm_gem_zswap_memcg_charge(struct drm_gem_zswap_entry *entry)
{
	size_t bytes = drm_gem_zswap_entry_footprint(entry);

	if (!entry->objcg)
		return 0;
	if (bytes > entry->cg_room)
		return -EDQUOT;
	obj_cgroup_charge_gem_zswap(entry->objcg, bytes, entry->size >> PAGE_SHIFT);
	entry->charged = bytes;
	return 0;
}

/**
 * drm_gem_zswap_memcg_uncharge() - drop an entry's charge and its cgroup
 * @entry: the entry, whose chunks are being freed
 *
 * Called whenever an entry's chunks are freed: restored, lost, released or
 * a failed eviction.  Calling it again does nothing.
 */
void drm_gem_zswap_memcg_uncharge(struct drm_gem_zswap_entry *entry)
{
	if (!entry->objcg)
		return;
	if (entry->charged)
		obj_cgroup_uncharge_gem_zswap(entry->objcg, entry->charged,
					      entry->size >> PAGE_SHIFT);
	entry->charged = 0;
	obj_cgroup_put(entry->objcg);
	entry->objcg = NULL;
}

/**
 * drm_gem_zswap_get_pages() - get pages for a restore, charged to the BO's cgroup
 * @shmem: the evicted BO, with its reservation lock held
 *
 * The shmem helper gets the pages of an evicted BO through this instead of
 * drm_gem_get_pages(), so that they are charged to the cgroup that holds the
 * compressed copy, not to the task that touched the BO.
 *
 * Return: the pages, or an ERR_PTR() as drm_gem_get_pages() gives.
 */
struct page **drm_gem_zswap_get_pages(struct drm_gem_shmem_object *shmem)
{
	struct drm_gem_zswap_entry *entry = shmem->zswap.entry;
	struct mem_cgroup *memcg = NULL, *old;
	struct page **pages;

	dma_resv_assert_held(shmem->base.resv);

	if (entry && entry->objcg)
		memcg = get_mem_cgroup_from_objcg(entry->objcg);
	/* shmem charges a page it reads without a fault's mm to this one. */
	old = set_active_memcg(memcg);
	pages = drm_gem_get_pages(&shmem->base);
	set_active_memcg(old);
	mem_cgroup_put(memcg);
	return pages;
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_get_pages);

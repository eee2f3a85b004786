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
 * The charge has two steps.  Once the stream is compressed, its size is
 * charged to memory.gem_zswap's counter, which memory.gem_zswap.max limits,
 * while the BO's pages still exist: a refusal loses nothing.  Once the pages
 * are freed, the copy is charged to memory.current in their place.  That
 * charge never reclaims and is forced if need be: it is made after freeing
 * more than it takes (the 7/8 rule), and often from reclaim, which must not
 * recurse into reclaim nor fail over a limit the eviction brought the cgroup
 * further under.  An eviction is refused before anything is compressed if
 * the cgroup's room is smaller than the BO's last copy, so that reclaim does
 * not compress a BO again and again only to be refused each time.
 *
 * A restore allocates the BO's pages with the BO's cgroup as the active
 * memcg, so that they are charged back to it and not to whoever touched the
 * BO: a compositor that samples a client's buffer, or an importer, does not
 * pay for it.  A fault that restores the BO into a cgroup at its limit makes
 * room there as any fault would, by reclaim and then by the cgroup's OOM
 * killer; only if no task is left in the cgroup to kill are the pages charged
 * to the faulting task's cgroup instead, so that the fault ends.  If the
 * cgroup was removed while the BO was evicted, the obj_cgroup was handed to
 * its parent, which then holds the copy's charge and gets the restored
 * pages: the BO has moved up one level, as the pages of a removed cgroup's
 * shmem file would.
 *
 * A BO of the root cgroup has no obj_cgroup: its copy is charged to nobody,
 * as the root cgroup's kernel memory is not, and its restored pages go to
 * whoever touches it.  So it is with cgroup.memory=nokmem, where no cgroup
 * has an obj_cgroup, and the limit does not apply.
 */

#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gem_zswap.h>

#include "drm_gem_zswap_internal.h"

/**
 * drm_gem_zswap_memcg_begin() - find the cgroup an eviction charges
 * @entry: the new entry of a BO being evicted
 * @shmem: the BO, its pages still charged
 *
 * Return: 0, or -EDQUOT if the cgroup has less room than the BO's last
 * copy held (none at all, the first time).
 */
int drm_gem_zswap_memcg_begin(struct drm_gem_zswap_entry *entry,
			      struct drm_gem_shmem_object *shmem)
{
	unsigned long room;

	dma_resv_assert_held(shmem->base.resv);

	entry->objcg = get_obj_cgroup_from_folio(page_folio(shmem->pages[0]));
	if (!entry->objcg)
		return 0;
	room = obj_cgroup_gem_zswap_room(entry->objcg);
	if (!room || room < shmem->zswap.last_copy)
		return -EDQUOT;
	return 0;
}

/**
 * drm_gem_zswap_memcg_charge() - charge the finished copy against the limit
 * @entry: the entry, with its stream stored
 * @shmem: the BO, its pages still there
 *
 * Return: 0, or -EDQUOT if the copy would take the cgroup or an ancestor
 * past its memory.gem_zswap.max.
 */
int drm_gem_zswap_memcg_charge(struct drm_gem_zswap_entry *entry,
			       struct drm_gem_shmem_object *shmem)
{
	size_t bytes = drm_gem_zswap_entry_footprint(entry);
	int ret;

	shmem->zswap.last_copy = bytes;
	if (!entry->objcg)
		return 0;
	ret = obj_cgroup_try_charge_gem_zswap(entry->objcg, bytes);
	if (ret < 0)
		return ret;
	if (ret)
		entry->charged = bytes;
	return 0;
}

/**
 * drm_gem_zswap_memcg_commit() - charge the copy in place of the freed pages
 * @entry: the entry of a BO whose pages were just freed
 */
void drm_gem_zswap_memcg_commit(struct drm_gem_zswap_entry *entry)
{
	if (!entry->charged)
		return;
	obj_cgroup_commit_gem_zswap(entry->objcg, entry->charged,
				    entry->size >> PAGE_SHIFT);
	entry->committed = true;
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
					      entry->size >> PAGE_SHIFT,
					      entry->committed);
	entry->charged = 0;
	entry->committed = false;
	obj_cgroup_put(entry->objcg);
	entry->objcg = NULL;
}

/**
 * drm_gem_zswap_get_pages() - get pages for a restore, charged to the BO's cgroup
 * @shmem: the evicted BO, with its reservation lock held
 * @gfp: the GFP-mask of the pages, as for drm_gem_get_pages_gfp()
 *
 * The shmem helper gets the pages of an evicted BO through this instead of
 * drm_gem_get_pages(), so that they are charged to the cgroup that holds the
 * compressed copy, not to the task that touched the BO.
 *
 * A page fault passes a @gfp without __GFP_RETRY_MAYFAIL, so that a cgroup at
 * its limit makes room as for any page a fault needs, with its OOM killer if
 * reclaim cannot; the victim is any task under the cgroup or the ancestor at
 * its limit (its whole group with memory.oom.group), as for a page shmem
 * swaps in for a fault.  The pages must fit there beside the copy, which is
 * freed only once they are filled.  The charge then fails only if no task is
 * left to kill (its owner exited, the BO lives on in an importer; or all
 * are OOM-immune), or if the faulting task is being killed, or waits for a
 * cgroup v1 OOM handler.  In the first case the pages are charged to the
 * faulting task's cgroup instead, as shmem charges a page that a fault reads
 * in: a fault that fails with VM_FAULT_OOM without a kill is only taken
 * again, forever.  The BO then belongs to that cgroup, whose obj_cgroup its
 * next eviction takes from its pages.  In the other cases the fault returns
 * VM_FAULT_OOM, and the task dies or waits as for any fault.
 *
 * On failure the file is left empty, as eviction left it: pages read in before
 * the failure would otherwise stay charged to the cgroup that had no room.
 *
 * Return: the pages, or an ERR_PTR() as drm_gem_get_pages_gfp() gives.
 */
struct page **drm_gem_zswap_get_pages(struct drm_gem_shmem_object *shmem,
				      gfp_t gfp)
{
	struct drm_gem_zswap_entry *entry = shmem->zswap.entry;
	struct drm_gem_object *obj = &shmem->base;
	struct mem_cgroup *memcg, *old;
	struct page **pages;

	dma_resv_assert_held(obj->resv);

	if (!entry || !entry->objcg) {
		pages = drm_gem_get_pages_gfp(obj, gfp);
		goto out;
	}

	memcg = get_mem_cgroup_from_objcg(entry->objcg);
	/* shmem charges a page it reads without a fault's mm to this one. */
	old = set_active_memcg(memcg);
	pages = drm_gem_get_pages_gfp(obj, gfp);
	set_active_memcg(old);
	mem_cgroup_put(memcg);

	if (PTR_ERR_OR_ZERO(pages) == -ENOMEM && !(gfp & __GFP_RETRY_MAYFAIL) &&
	    !fatal_signal_pending(current) && !task_in_memcg_oom(current)) {
		shmem_truncate_range(file_inode(obj->filp), 0, (loff_t)-1);
		pages = drm_gem_get_pages_gfp(obj, gfp);
	}
out:
	if (IS_ERR(pages))
		shmem_truncate_range(file_inode(obj->filp), 0, (loff_t)-1);
	return pages;
}

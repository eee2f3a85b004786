// SPDX-License-Identifier: GPL-2.0
/*
 * drm_gem_zswap: what users and tools read and write.
 *
 * The helper shows itself where zswap and DRM already do, so that the
 * tools that read them need nothing new:
 *
 * - Tunables are module parameters of drm_shmem_helper, the module the
 *   helper is built into, with zswap's names behind a "zswap_" prefix
 *   (/sys/module/drm_shmem_helper/parameters/zswap_enabled, and
 *   drm_shmem_helper.zswap_enabled= on the kernel command line).  The
 *   helper cannot be a module of its own: the shmem helper calls it on
 *   every get_pages and fault, and it calls the shmem helper to free and
 *   get pages, and modules may not depend on each other both ways.  As
 *   with zswap, a new compressor or backend is used by evictions from then
 *   on; BOs stored before keep theirs, and a pool that still holds BOs is
 *   taken up again rather than made anew.
 *
 * - Counters are in debugfs, as zswap's are: the system's in
 *   /sys/kernel/debug/drm_gem_zswap/, a device's in the drm_gem_zswap
 *   directory of its DRM minor's debugfs directory, one number a file.
 *   The system-wide sizes that matter to everyone are also in
 *   /proc/meminfo, vmstat and memory.stat (mm/memcontrol.c), which need no
 *   debugfs.
 *
 * - A client's BOs are in its DRM file's fdinfo, through the shmem
 *   helper's &drm_gem_object_funcs.status: an evicted BO counts in
 *   drm-evicted-memory, not in drm-resident-memory.  The device's eviction
 *   file names a BO by the drm-client-id that fdinfo shows and a handle.
 *
 * Debugfs is not a stable ABI; the parameters, meminfo, vmstat,
 * memory.stat and fdinfo keys are, and Documentation/ABI/ lists them.
 */

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-resv.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gem_zswap.h>

#include "drm_gem_zswap_internal.h"

/* Tunables. */

/*
 * Whether a value is given while the module loads: from the command line
 * (before user space runs) or by the modprobe that loads it, whose caller
 * could load any module anyway.  A root writer of the sysfs file racing
 * the load is not one of them.
 */
static bool zswap_param_loading(void)
{
	return drm_gem_zswap_params_early() &&
	       (system_state < SYSTEM_RUNNING || capable(CAP_SYS_MODULE));
}

/*
 * The files are root's (0644), and a write needs CAP_SYS_ADMIN too, as the
 * debugfs file does: root in a container that dropped it changes nothing
 * machine-wide.
 */
static int zswap_param_allowed(void)
{
	if (!zswap_param_loading() && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

/*
 * A bad value given while the module loads is logged and ignored, as
 * zswap does: failing it would fail the load of drm_shmem_helper and of
 * every driver that needs it.
 */
static int zswap_param_early_error(const struct kernel_param *kp, const char *val,
				   int err)
{
	if (!err || !zswap_param_loading())
		return err;
	pr_err("drm_gem_zswap: bad value for %s: %s, ignored\n", kp->name, val ?: "(none)");
	return 0;
}

bool drm_gem_zswap_enabled = true;

static int zswap_enabled_set(const char *val, const struct kernel_param *kp)
{
	return zswap_param_allowed() ?:
	       zswap_param_early_error(kp, val, param_set_bool(val, kp));
}

/* Each takes a bare name too, so that a bare one fails no modprobe. */
static const struct kernel_param_ops zswap_enabled_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = zswap_enabled_set,
	.get = param_get_bool,
};

module_param_cb(zswap_enabled, &zswap_enabled_ops, &drm_gem_zswap_enabled, 0644);
MODULE_PARM_DESC(zswap_enabled, "Compress idle GEM objects into memory");

unsigned int drm_gem_zswap_max_pool_percent = 20;

static int zswap_percent_set(const char *val, const struct kernel_param *kp)
{
	return zswap_param_allowed() ?:
	       zswap_param_early_error(kp, val, val ? param_set_uint_minmax(val, kp, 0, 100) :
					-EINVAL);
}

static const struct kernel_param_ops zswap_percent_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = zswap_percent_set,
	.get = param_get_uint,
};

module_param_cb(zswap_max_pool_percent, &zswap_percent_ops,
		&drm_gem_zswap_max_pool_percent, 0644);
MODULE_PARM_DESC(zswap_max_pool_percent,
		 "Most of RAM, in percent, that the pools of compressed GEM objects may take");

/*
 * The compressor and backend live with the pools (drm_gem_zswap.c), under
 * its configuration lock: a write makes or finds the pool it names.
 */
static int zswap_compressor_set(const char *val, const struct kernel_param *kp)
{
	return zswap_param_allowed() ?:
	       zswap_param_early_error(kp, val, val ? drm_gem_zswap_configure(val, NULL) :
					-EINVAL);
}

static int zswap_compressor_get(char *buf, const struct kernel_param *kp)
{
	return drm_gem_zswap_config_show(buf, false);
}

static const struct kernel_param_ops zswap_compressor_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = zswap_compressor_set,
	.get = zswap_compressor_get,
};

module_param_cb(zswap_compressor, &zswap_compressor_ops, NULL, 0644);
MODULE_PARM_DESC(zswap_compressor, "Compressor of new evictions: lz4 or zstd");

static int zswap_zpool_set(const char *val, const struct kernel_param *kp)
{
	return zswap_param_allowed() ?:
	       zswap_param_early_error(kp, val, val ? drm_gem_zswap_configure(NULL, val) :
					-EINVAL);
}

static int zswap_zpool_get(char *buf, const struct kernel_param *kp)
{
	return drm_gem_zswap_config_show(buf, true);
}

static const struct kernel_param_ops zswap_zpool_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = zswap_zpool_set,
	.get = zswap_zpool_get,
};

module_param_cb(zswap_zpool, &zswap_zpool_ops, NULL, 0644);
MODULE_PARM_DESC(zswap_zpool, "zpool backend of new evictions, such as zblock or zsmalloc");

/* Counters, one number a file. */

static const char * const drm_gem_zswap_counter_names[] = {
	[DRM_GEM_ZSWAP_STORED_BOS] = "stored_bos",
	[DRM_GEM_ZSWAP_ORIG_BYTES] = "original_bytes",
	[DRM_GEM_ZSWAP_COMP_BYTES] = "compressed_bytes",
	[DRM_GEM_ZSWAP_POOL_BYTES] = "pool_bytes",
	[DRM_GEM_ZSWAP_SAME_FILLED] = "same_filled_bos",
	[DRM_GEM_ZSWAP_EVICTIONS] = "evictions",
	[DRM_GEM_ZSWAP_RESTORES] = "restores",
	[DRM_GEM_ZSWAP_REJECT_BUSY] = "reject_busy",
	[DRM_GEM_ZSWAP_REJECT_INCOMPRESSIBLE] = "reject_incompressible",
	[DRM_GEM_ZSWAP_REJECT_NOMEM] = "reject_nomem",
	[DRM_GEM_ZSWAP_REJECT_POOL_LIMIT] = "reject_pool_limit",
	[DRM_GEM_ZSWAP_REJECT_CGROUP_LIMIT] = "reject_cgroup_limit",
	[DRM_GEM_ZSWAP_RESTORE_NOMEM] = "restore_nomem",
	[DRM_GEM_ZSWAP_RESTORE_FAILURES] = "restore_failures",
	[DRM_GEM_ZSWAP_EVICT_DEFERRED] = "evict_deferred",
};

static_assert(ARRAY_SIZE(drm_gem_zswap_counter_names) == DRM_GEM_ZSWAP_NR_COUNTERS);

static int zswap_counter_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(zswap_counter_fops, zswap_counter_get, NULL, "%llu\n");

static int zswap_pool_total_get(void *data, u64 *val)
{
	*val = drm_gem_zswap_pool_total_size();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(zswap_pool_total_fops, zswap_pool_total_get, NULL, "%llu\n");

static void zswap_counters_create(struct dentry *dir, atomic64_t *counters)
{
	unsigned int i;

	for (i = 0; i < DRM_GEM_ZSWAP_NR_COUNTERS; i++)
		debugfs_create_file_unsafe(drm_gem_zswap_counter_names[i], 0444,
					   dir, &counters[i], &zswap_counter_fops);
}

/* A device's eviction file. */

/*
 * Handles belong to DRM files: a BO is named by the client id its file
 * shows in fdinfo ("drm-client-id") and its handle there.  Returns the BO
 * with a reference, or -ESRCH (no such client) or -ENOENT (no such handle).
 */
static struct drm_gem_object *zswap_lookup(struct drm_gem_zswap_device *zdev,
					   u64 client_id, u32 handle)
{
	struct drm_device *dev = zdev->drm;
	struct drm_gem_object *obj = ERR_PTR(-ESRCH);
	struct drm_file *file;

	mutex_lock(&dev->filelist_mutex);
	list_for_each_entry(file, &dev->filelist, lhead) {
		if (file->client_id == client_id) {
			obj = drm_gem_object_lookup(file, handle) ?: ERR_PTR(-ENOENT);
			break;
		}
	}
	mutex_unlock(&dev->filelist_mutex);
	return obj;
}

static int zswap_evict_handle(struct drm_gem_zswap_device *zdev, u64 client_id,
			      u32 handle)
{
	struct drm_gem_object *obj = zswap_lookup(zdev, client_id, handle);
	int ret;

	if (IS_ERR(obj))
		return PTR_ERR(obj);
	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (!ret) {
		ret = drm_gem_zswap_evict(zdev, to_drm_gem_shmem_obj(obj));
		dma_resv_unlock(obj->resv);
	}
	drm_gem_object_put(obj);
	return ret;
}

/*
 * "corrupt <client-id> <handle> <offset>": damage an evicted BO's stored
 * stream, for tests that a restore gives -EIO and never garbage.  Only
 * kernels built for debugging have it.
 */
static int zswap_corrupt_handle(struct drm_gem_zswap_device *zdev, const char *args)
{
	struct drm_gem_object *obj;
	u64 client_id;
	size_t offset;
	u32 handle;
	int ret;

	if (!IS_ENABLED(CONFIG_DRM_GEM_ZSWAP_DEBUG))
		return -EOPNOTSUPP;
	if (sscanf(args, "%llu %u %zu", &client_id, &handle, &offset) != 3)
		return -EINVAL;
	obj = zswap_lookup(zdev, client_id, handle);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (!ret) {
		ret = drm_gem_zswap_corrupt(to_drm_gem_shmem_obj(obj), offset);
		dma_resv_unlock(obj->resv);
	}
	drm_gem_object_put(obj);
	return ret;
}

#ifdef CONFIG_DRM_GEM_ZSWAP_DEBUG
static unsigned int zswap_debug_delay_us[DRM_GEM_ZSWAP_DEBUG_WINDOWS];

static const char * const zswap_debug_window_names[] = {
	[DRM_GEM_ZSWAP_DEBUG_ATTACH] = "attach",
	[DRM_GEM_ZSWAP_DEBUG_DETACH] = "detach",
};

static_assert(ARRAY_SIZE(zswap_debug_window_names) == DRM_GEM_ZSWAP_DEBUG_WINDOWS);

/**
 * drm_gem_zswap_debug_delay() - widen a race window, for tests
 * @window: which window the caller sits in
 *
 * Sleeps for as long as the last "delay" command to a debugfs eviction
 * file said for @window (nothing by default).  A driver calls it inside a
 * window that eviction must not reach into, or must get out of, so that a
 * test can show that it does.  Only kernels built with
 * CONFIG_DRM_GEM_ZSWAP_DEBUG have it.
 */
void drm_gem_zswap_debug_delay(enum drm_gem_zswap_debug_window window)
{
	unsigned int us;

	if (WARN_ON_ONCE(window >= DRM_GEM_ZSWAP_DEBUG_WINDOWS))
		return;
	us = READ_ONCE(zswap_debug_delay_us[window]);
	if (us)
		fsleep(us);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_debug_delay);

/* "delay <window> <microseconds>": how long that window's delay sleeps. */
static int zswap_debug_set_delay(char *args)
{
	char *name;
	unsigned int us;
	int window;

	args = skip_spaces(args);
	name = strsep(&args, " ");
	window = match_string(zswap_debug_window_names,
			      ARRAY_SIZE(zswap_debug_window_names), name);
	if (window < 0 || !args)
		return -EINVAL;
	if (kstrtouint(skip_spaces(args), 10, &us) || us > USEC_PER_SEC)
		return -EINVAL;
	WRITE_ONCE(zswap_debug_delay_us[window], us);
	return 0;
}
#else
static int zswap_debug_set_delay(char *args)
{
	return -EOPNOTSUPP;
}
#endif

static ssize_t zswap_evict_write(struct file *f, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct drm_gem_zswap_device *zdev = file_inode(f)->i_private;
	char buf[64], *cmd;
	u64 client_id;
	u32 handle;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	cmd = strim(buf);

	if (!strcmp(cmd, "all")) {
		drm_gem_zswap_evict_all(zdev);
		return len;
	}
	if (str_has_prefix(cmd, "corrupt ")) {
		ret = zswap_corrupt_handle(zdev, cmd + strlen("corrupt "));
		return ret ?: len;
	}
	if (str_has_prefix(cmd, "delay ")) {
		ret = zswap_debug_set_delay(cmd + strlen("delay "));
		return ret ?: len;
	}
	if (sscanf(cmd, "%llu %u", &client_id, &handle) != 2)
		return -EINVAL;
	ret = zswap_evict_handle(zdev, client_id, handle);
	return ret ?: len;
}

static int zswap_evict_show(struct seq_file *m, void *unused)
{
	struct drm_gem_zswap_device *zdev = m->private;

	seq_printf(m, "evictable_bos %ld\n", atomic_long_read(&zdev->lru_bos));
	seq_printf(m, "evictable_pages %ld\n", atomic_long_read(&zdev->lru_pages));
	seq_puts(m, "# write \"all\", or \"<drm-client-id> <handle>\", to evict\n");
	if (IS_ENABLED(CONFIG_DRM_GEM_ZSWAP_DEBUG)) {
		seq_puts(m, "# \"corrupt <drm-client-id> <handle> <offset>\" flips a stored bit\n");
		seq_puts(m, "# \"delay attach|detach <us>\" widens a race window\n");
	}
	return 0;
}

static int zswap_evict_open(struct inode *inode, struct file *f)
{
	return single_open(f, zswap_evict_show, inode->i_private);
}

static const struct file_operations zswap_evict_fops = {
	.owner = THIS_MODULE,
	.open = zswap_evict_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = zswap_evict_write,
	.release = single_release,
};

/**
 * drm_gem_zswap_debugfs_init() - add the device's files to debugfs
 * @zdev: the device
 * @minor: the DRM minor whose debugfs directory gets the files
 *
 * Creates, in the minor's directory (/sys/kernel/debug/dri/N/), the
 * directory drm_gem_zswap, with one read-only file for each of the
 * device's counters, and the file drm_gem_zswap_evict.  Reading the
 * latter shows the LRU's size; writing "all" evicts every idle BO, and
 * writing a client id (the drm-client-id of the BO's DRM file, from
 * /proc/PID/fdinfo) and a handle evicts that BO, the write failing with
 * the eviction's error.  With CONFIG_DRM_GEM_ZSWAP_DEBUG, "corrupt", a
 * client id, a handle and a byte offset flips a bit at that offset of the
 * evicted BO's stored stream, and "delay", a window ("attach" or
 * "detach", see &enum drm_gem_zswap_debug_window) and a number of
 * microseconds (at most a second, 0 to stop) makes
 * drm_gem_zswap_debug_delay() sleep that long in that window; both fail
 * with -EOPNOTSUPP without it.  Writing needs CAP_SYS_ADMIN.  Drivers
 * call it from their &drm_driver.debugfs_init; the files go with the
 * minor's directory when the device is unregistered.
 */
void drm_gem_zswap_debugfs_init(struct drm_gem_zswap_device *zdev,
				struct drm_minor *minor)
{
	struct dentry *dir = debugfs_create_dir("drm_gem_zswap", minor->debugfs_root);

	zswap_counters_create(dir, zdev->stats);
	debugfs_create_file("drm_gem_zswap_evict", 0600, minor->debugfs_root,
			    zdev, &zswap_evict_fops);
}
EXPORT_SYMBOL_GPL(drm_gem_zswap_debugfs_init);

static struct dentry *drm_gem_zswap_debugfs_root;

/**
 * drm_gem_zswap_abi_init() - create the system-wide debugfs directory
 *
 * /sys/kernel/debug/drm_gem_zswap/ holds the system's counters and
 * pool_total_size, the bytes the backends of every live pool hold, as
 * zswap's directory of the same name does.  Nothing fails for want of
 * debugfs.
 */
void drm_gem_zswap_abi_init(void)
{
	struct dentry *root = debugfs_create_dir("drm_gem_zswap", NULL);

	zswap_counters_create(root, drm_gem_zswap_stats);
	debugfs_create_file_unsafe("pool_total_size", 0444, root, NULL,
				   &zswap_pool_total_fops);
	drm_gem_zswap_debugfs_root = root;
}

/**
 * drm_gem_zswap_abi_exit() - remove the system-wide debugfs directory
 */
void drm_gem_zswap_abi_exit(void)
{
	debugfs_remove_recursive(drm_gem_zswap_debugfs_root);
}

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_gem_zswap.h"

static void device_path(int fd, const char *fmt, char *path, size_t len)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, len, fmt, major(st.st_rdev), minor(st.st_rdev));
}

static void debugfs_path(int fd, char *path, size_t len)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, len, "/sys/kernel/debug/dri/%u/drm_gem_zswap_evict",
		 minor(st.st_rdev));
}

/**
 * igt_gem_zswap_available: whether the device of @fd (a primary node) has
 * drm_gem_zswap's eviction file and counters
 */
bool igt_gem_zswap_available(int fd)
{
	char path[256];

	debugfs_path(fd, path, sizeof(path));
	if (access(path, W_OK))
		return false;
	device_path(fd, "/sys/dev/char/%u:%u/drm_gem_zswap/evictions", path, sizeof(path));
	return !access(path, R_OK);
}

/**
 * __igt_drm_client_id: the drm-client-id of the DRM file @fd, from fdinfo,
 * or 0 when there is none; safe in a forked child
 */
uint64_t __igt_drm_client_id(int fd)
{
	char path[64], line[256];
	uint64_t id = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "drm-client-id: %" SCNu64, &id) == 1)
			break;
	fclose(f);
	return id;
}

/**
 * igt_drm_client_id: the drm-client-id of the DRM file @fd, from fdinfo
 */
uint64_t igt_drm_client_id(int fd)
{
	uint64_t id = __igt_drm_client_id(fd);

	igt_assert_f(id, "no drm-client-id in the fdinfo of fd %d\n", fd);
	return id;
}

static int debugfs_write(int fd, const char *cmd)
{
	char path[256];
	struct stat st;
	ssize_t n;
	int dfd, err;

	if (fstat(fd, &st))
		return -errno;
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/drm_gem_zswap_evict",
		 minor(st.st_rdev));
	dfd = open(path, O_WRONLY);
	if (dfd < 0)
		return -errno;
	n = write(dfd, cmd, strlen(cmd));
	err = n < 0 ? -errno : 0;
	close(dfd);
	return err;
}

/**
 * igt_gem_zswap_evict: evict the BO @handle of @fd through debugfs;
 * 0 or the negative errno of the eviction
 */
int igt_gem_zswap_evict(int fd, uint32_t handle)
{
	return __igt_gem_zswap_evict(fd, igt_drm_client_id(fd), handle);
}

/**
 * __igt_gem_zswap_evict: the same, given the client id; safe in a forked
 * child
 */
int __igt_gem_zswap_evict(int fd, uint64_t client_id, uint32_t handle)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "%" PRIu64 " %u", client_id, handle);
	return debugfs_write(fd, cmd);
}

/**
 * igt_gem_zswap_corrupt: flip a bit at byte @offset of the stored stream of
 * the evicted BO @handle of @fd; 0, -EOPNOTSUPP on a kernel without
 * CONFIG_DRM_GEM_ZSWAP_DEBUG, or another negative errno
 */
int igt_gem_zswap_corrupt(int fd, uint32_t handle, uint64_t offset)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "corrupt %" PRIu64 " %u %" PRIu64,
		 igt_drm_client_id(fd), handle, offset);
	return debugfs_write(fd, cmd);
}

/**
 * igt_gem_zswap_debugfs_cmd: write @cmd to the debugfs eviction file of the
 * device of @fd; 0 or the negative errno of the write.  For tests of bad
 * commands.
 */
int igt_gem_zswap_debugfs_cmd(int fd, const char *cmd)
{
	return debugfs_write(fd, cmd);
}

/**
 * igt_gem_zswap_evict_all: evict every idle BO of the device of @fd
 */
int igt_gem_zswap_evict_all(int fd)
{
	return debugfs_write(fd, "all");
}

/**
 * igt_gem_zswap_evictable_bytes: how many bytes of BOs the device of @fd has
 * on its shrinker's LRU now, from the debugfs eviction file
 */
uint64_t igt_gem_zswap_evictable_bytes(int fd)
{
	char path[256], line[128];
	uint64_t pages = 0;
	bool found = false;
	FILE *f;

	debugfs_path(fd, path, sizeof(path));
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s\n", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "evictable_pages %" SCNu64, &pages) == 1)
			found = true;
	fclose(f);
	igt_assert_f(found, "no evictable_pages in %s\n", path);
	return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * Where the pressure's memory is published: stores to memory that no other
 * code can see, and that is freed unread, are dropped by the compiler, and
 * the memory would never be charged.
 */
void *igt_gem_zswap_pressure_mem;

/**
 * igt_gem_zswap_anon_pressure: hold @mib MiB of anonymous memory and write
 * all of it @rounds times, @pause_us apart; 0, or 20 when it cannot be had.
 * For a process in a squeezed memory cgroup.
 */
int igt_gem_zswap_anon_pressure(size_t mib, int rounds, unsigned int pause_us)
{
	size_t size = mib << 20;
	uint8_t *p = malloc(size);

	if (!p)
		return 20;
	igt_gem_zswap_pressure_mem = p;
	for (int r = 0; r < rounds; r++) {
		memset(p, r, size);
		usleep(pause_us);
	}
	igt_gem_zswap_pressure_mem = NULL;
	free(p);
	return 0;
}

static uint64_t read_u64(const char *path)
{
	char buf[32] = "";
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "cannot open %s\n", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	igt_assert_f(n > 0, "cannot read %s\n", path);
	return strtoull(buf, NULL, 10);
}

/**
 * igt_gem_zswap_stat: the counter @name of the device of @fd
 */
uint64_t igt_gem_zswap_stat(int fd, const char *name)
{
	char fmt[128], path[256];

	snprintf(fmt, sizeof(fmt), "/sys/dev/char/%%u:%%u/drm_gem_zswap/%s", name);
	device_path(fd, fmt, path, sizeof(path));
	return read_u64(path);
}

/**
 * igt_gem_zswap_global_stat: the system-wide counter @name
 */
uint64_t igt_gem_zswap_global_stat(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/mm/drm_gem_zswap/%s", name);
	return read_u64(path);
}

/**
 * igt_gem_zswap_read_stats: all counters of the device of @fd
 */
void igt_gem_zswap_read_stats(int fd, struct igt_gem_zswap_stats *s)
{
	s->stored_bos = igt_gem_zswap_stat(fd, "stored_bos");
	s->original_bytes = igt_gem_zswap_stat(fd, "original_bytes");
	s->compressed_bytes = igt_gem_zswap_stat(fd, "compressed_bytes");
	s->pool_bytes = igt_gem_zswap_stat(fd, "pool_bytes");
	s->same_filled_bos = igt_gem_zswap_stat(fd, "same_filled_bos");
	s->evictions = igt_gem_zswap_stat(fd, "evictions");
	s->restores = igt_gem_zswap_stat(fd, "restores");
	s->reject_busy = igt_gem_zswap_stat(fd, "reject_busy");
	s->reject_incompressible = igt_gem_zswap_stat(fd, "reject_incompressible");
	s->reject_nomem = igt_gem_zswap_stat(fd, "reject_nomem");
	s->reject_pool_limit = igt_gem_zswap_stat(fd, "reject_pool_limit");
	s->restore_nomem = igt_gem_zswap_stat(fd, "restore_nomem");
	s->restore_failures = igt_gem_zswap_stat(fd, "restore_failures");
}

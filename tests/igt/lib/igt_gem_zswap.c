// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_gem_zswap.h"

/* The minor of the DRM node @fd, which names its debugfs directory. */
static unsigned int dri_minor(int fd)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	return minor(st.st_rdev);
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
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/drm_gem_zswap/evictions",
		 dri_minor(fd));
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
 * igt_gem_zswap_fdinfo_bytes: the value of the memory key @key (such as
 * "drm-resident-memory") in the fdinfo of the DRM file @fd of process
 * @pid (0 for this one), in bytes, or -1 when the key is not there
 */
int64_t igt_gem_zswap_fdinfo_bytes(pid_t pid, int fd, const char *key)
{
	char path[64], line[256], unit[8];
	size_t len = strlen(key);
	int64_t bytes = -1;
	uint64_t v;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	else
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (strncmp(line, key, len) || line[len] != ':')
			continue;
		unit[0] = '\0';
		n = sscanf(line + len + 1, "%" SCNu64 " %7s", &v, unit);
		igt_assert_f(n >= 1, "%s: bad line: %s", path, line);
		/* Documentation/gpu/drm-usage-stats.rst: no unit, KiB or MiB. */
		if (!strcmp(unit, "KiB"))
			v <<= 10;
		else if (!strcmp(unit, "MiB"))
			v <<= 20;
		else
			igt_assert_f(n == 1, "%s: unknown unit in %s", path, line);
		bytes = v;
		break;
	}
	fclose(f);
	return bytes;
}

/**
 * igt_gem_zswap_assert_fdinfo: the memory keys of the DRM file @fd of
 * process @pid (0 for this one) are @total, @resident and @evicted bytes;
 * a key that is not there counts as what its absence means: no
 * drm-evicted-memory while nothing is evicted, and no drm-resident-memory
 * while the file has no BO (nothing reports a status)
 */
void igt_gem_zswap_assert_fdinfo(pid_t pid, int fd, int64_t total, int64_t resident,
				 int64_t evicted)
{
	int64_t t = igt_gem_zswap_fdinfo_bytes(pid, fd, "drm-total-memory");
	int64_t r = igt_gem_zswap_fdinfo_bytes(pid, fd, "drm-resident-memory");
	int64_t e = igt_gem_zswap_fdinfo_bytes(pid, fd, "drm-evicted-memory");

	igt_info("fdinfo%s: total %" PRId64 " KiB, resident %" PRId64 " KiB, evicted %"
		 PRId64 " KiB%s\n", pid ? " of another process" : "", t >> 10, r >> 10,
		 e >> 10, e < 0 ? " (no key)" : "");
	igt_assert_eq_u64(t, total);
	igt_assert_eq_u64(r, total ? resident : -1);
	igt_assert_eq_u64(e, evicted ?: -1);
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

/**
 * igt_gem_zswap_write_file: write @value to the file at @path (a cgroup or
 * sysfs file); 0 or a negative errno, safe in a forked child
 */
int igt_gem_zswap_write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return n == (ssize_t)strlen(value) ? 0 : -EIO;
}

/* The file at @path into @buf, NUL-terminated; asserts it can be read. */
static void read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "cannot open %s\n", path);
	n = read(fd, buf, len - 1);
	close(fd);
	igt_assert_f(n > 0, "cannot read %s\n", path);
	buf[n] = '\0';
}

/**
 * igt_gem_zswap_read_u64: the number the file at @path holds
 */
uint64_t igt_gem_zswap_read_u64(const char *path)
{
	char buf[32];

	read_text(path, buf, sizeof(buf));
	return strtoull(buf, NULL, 10);
}

/**
 * igt_gem_zswap_stat: the counter @name of the device of @fd, from its
 * minor's debugfs directory
 */
uint64_t igt_gem_zswap_stat(int fd, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/drm_gem_zswap/%s",
		 dri_minor(fd), name);
	return igt_gem_zswap_read_u64(path);
}

/**
 * igt_gem_zswap_global_stat: the system-wide counter @name, from debugfs
 */
uint64_t igt_gem_zswap_global_stat(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), IGT_GEM_ZSWAP_DEBUGFS "/%s", name);
	return igt_gem_zswap_read_u64(path);
}

/**
 * igt_gem_zswap_param_path: the path of drm_shmem_helper's parameter
 * zswap_@name (enabled, compressor, zpool, max_pool_percent)
 */
const char *igt_gem_zswap_param_path(const char *name, char *path, size_t len)
{
	snprintf(path, len, IGT_GEM_ZSWAP_PARAMS "/zswap_%s", name);
	return path;
}

/**
 * igt_gem_zswap_set_param: write @value to the parameter zswap_@name;
 * 0 or the negative errno of the write
 */
int igt_gem_zswap_set_param(const char *name, const char *value)
{
	char path[256];

	return igt_gem_zswap_write_file(igt_gem_zswap_param_path(name, path, sizeof(path)),
					value);
}

/**
 * igt_gem_zswap_get_param: the value of the parameter zswap_@name, without
 * its newline
 */
void igt_gem_zswap_get_param(const char *name, char *value, size_t len)
{
	char path[256];

	read_text(igt_gem_zswap_param_path(name, path, sizeof(path)), value, len);
	value[strcspn(value, "\n")] = '\0';
}

/**
 * igt_gem_zswap_assert_pool_holds: the pool backend's own count of its
 * pages (/proc/meminfo's GemZswap, summed from the zpools) holds at least
 * the streams that the device of @fd says it stored there (its
 * pool_bytes also has the entries, which are slab objects, not pool pages)
 */
void igt_gem_zswap_assert_pool_holds(int fd)
{
	uint64_t pages = igt_gem_zswap_proc_u64("/proc/meminfo", "GemZswap") << 10;
	uint64_t streams = igt_gem_zswap_stat(fd, "compressed_bytes");

	igt_assert_f(pages >= streams, "the pools hold %" PRIu64 " KiB, less than the %"
		     PRIu64 " KiB of streams stored\n", pages >> 10, streams >> 10);
}

/**
 * igt_gem_zswap_cmdline_has: whether the kernel command line holds @word
 * as one whole space-separated word
 */
bool igt_gem_zswap_cmdline_has(const char *word)
{
	char cmdline[4096] = "", *tok, *save;
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd >= 0) {
		igt_assert(read(fd, cmdline, sizeof(cmdline) - 1) >= 0);
		close(fd);
	}
	for (tok = strtok_r(cmdline, "\n ", &save); tok; tok = strtok_r(NULL, "\n ", &save))
		if (!strcmp(tok, word))
			return true;
	return false;
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
	s->reject_cgroup_limit = igt_gem_zswap_stat(fd, "reject_cgroup_limit");
	s->restore_nomem = igt_gem_zswap_stat(fd, "restore_nomem");
	s->restore_failures = igt_gem_zswap_stat(fd, "restore_failures");
	s->evict_deferred = igt_gem_zswap_stat(fd, "evict_deferred");
}

/**
 * __igt_gem_zswap_send_fd: send descriptor @fd and @len bytes of @data
 * over the Unix socket @sock; 0 or a negative errno, safe in a child
 */
int __igt_gem_zswap_send_fd(int sock, int fd, const void *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_DONTWAIT) == (ssize_t)len ? 0 : -errno;
}

/**
 * __igt_gem_zswap_recv_fd: receive a descriptor and @len bytes into @data
 * from the Unix socket @sock, with recvmsg()'s @flags; the descriptor, or
 * a negative errno (-EAGAIN when there is none and @flags has
 * MSG_DONTWAIT), safe in a child
 */
int __igt_gem_zswap_recv_fd(int sock, void *data, size_t len, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (n != (ssize_t)len || !cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/*
 * The child of igt_gem_zswap_orphan_dmabuf(): maps the dma-buf it is sent
 * and reads it all, so that every page is mapped, says so, waits for the
 * eviction, then reads the mapping back while it
 * holds other memory, so that pages freed under a live mapping would have
 * been handed out again.  Exits with 0, or 1 when the contents differ
 * (the number of differing words on stderr), or 2 on a setup error.
 */
static int orphan_child(int sock, const void *expect, uint64_t size)
{
	const uint32_t *want = expect;
	uint64_t bad = 0, i;
	const uint32_t *map;
	char go;
	void *hog;
	int dfd;

	dfd = __igt_gem_zswap_recv_fd(sock, &go, 1, 0);
	if (dfd < 0)
		return 2;
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, dfd, 0);
	close(dfd);
	if (map == MAP_FAILED)
		return 2;
	/* Read once: the mapping's page table entries point at the pages. */
	for (i = 0; i < size / 4; i++)
		bad += map[i] != want[i];
	if (bad || write(sock, "m", 1) != 1 || read(sock, &go, 1) != 1)
		return 2;
	hog = malloc(size * 2);
	if (!hog)
		return 2;
	memset(hog, 0x5a, size * 2);
	for (i = 0; i < size / 4; i++)
		bad += map[i] != want[i];
	free(hog);
	munmap((void *)map, size);
	if (bad)
		fprintf(stderr, "%" PRIu64 " of %" PRIu64 " words changed\n",
			bad, size / 4);
	return bad ? 1 : 0;
}

/**
 * igt_gem_zswap_orphan_dmabuf: a dma-buf that outlives its BO's handle
 * @fd: the DRM file of the BO (a primary node)
 * @handle: a BO of @size bytes holding @expect, idle, no longer mapped
 *          through @fd: closed here
 * @expect: the BO's contents
 * @size: its size
 *
 * Exports the BO, sends the dma-buf to a second process, which maps it,
 * then closes the handle and the exporter's descriptor, so that only the
 * other process's mapping keeps the BO.  Evicts it with "all", the only way
 * to name a BO with no handle, and checks that it was evicted; the other
 * process then reads its mapping back, which must fault the BO back in
 * intact.  Returns the number of BOs restored meanwhile, read from the
 * device's counters.
 */
uint64_t igt_gem_zswap_orphan_dmabuf(int fd, uint32_t handle, const void *expect,
				     uint64_t size)
{
	struct igt_gem_zswap_stats s0, s1;
	int sv[2], dfd, status;
	char ack;
	pid_t pid;

	igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		_exit(orphan_child(sv[1], expect, size));
	}
	close(sv[1]);

	igt_assert_eq(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dfd), 0);
	igt_assert_eq(__igt_gem_zswap_send_fd(sv[0], dfd, "f", 1), 0);
	igt_assert_eq(read(sv[0], &ack, 1), 1);
	close(dfd);
	gem_close(fd, handle);

	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict_all(fd), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.evictions - s0.evictions, 1);
	igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, 1);
	igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, size);

	igt_assert_eq(write(sv[0], "g", 1), 1);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	close(sv[0]);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) != 2,
		     "the mapping process failed to set up\n");
	igt_assert_f(WEXITSTATUS(status) == 0,
		     "the dma-buf mapping read pages that were freed\n");

	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	return s1.restores - s0.restores;
}

/**
 * igt_gem_zswap_proc_u64: the number after @key in a file of "key value" or
 * "Key: value kB" lines (/proc/vmstat, /proc/meminfo, memory.stat)
 */
uint64_t igt_gem_zswap_proc_u64(const char *path, const char *key)
{
	static char buf[64 << 10];
	size_t klen = strlen(key);
	char *p;

	read_text(path, buf, sizeof(buf));
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, klen) && (p[klen] == ' ' || p[klen] == ':'))
			return strtoull(p + klen + 1 + strspn(p + klen + 1, " :"), NULL, 10);
	}
	igt_assert_f(false, "no %s in %s\n", key, path);
	return 0;
}

#define TRACEFS		"/sys/kernel/tracing"
#define EVICT_EVENT	TRACEFS "/events/drm_gem_zswap/drm_gem_zswap_evict/enable"

/**
 * igt_gem_zswap_trace_start: record every eviction from now on, with the
 * task that did it (drm_gem_zswap's tracepoint); 0 or a negative errno
 */
int igt_gem_zswap_trace_start(void)
{
	int ret;

	if (access(EVICT_EVENT, W_OK) &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -errno;
	ret = igt_gem_zswap_write_file(EVICT_EVENT, "0");
	if (ret)
		return ret;
	/* Opening the trace for writing with O_TRUNC empties the buffer. */
	ret = open(TRACEFS "/trace", O_WRONLY | O_TRUNC);
	if (ret < 0)
		return -errno;
	close(ret);
	return igt_gem_zswap_write_file(EVICT_EVENT, "1");
}

/**
 * igt_gem_zswap_trace_stop: stop recording and count the evictions done
 * since igt_gem_zswap_trace_start() by kswapd (@kswapd) and by tasks named
 * @comm (@by_comm: their direct reclaim, when they allocate); returns all
 * evictions recorded
 */
unsigned int igt_gem_zswap_trace_stop(const char *comm, unsigned int *kswapd,
				      unsigned int *by_comm)
{
	size_t clen = strlen(comm);
	unsigned int all = 0;
	char line[512];
	FILE *f;

	*kswapd = *by_comm = 0;
	igt_assert_eq(igt_gem_zswap_write_file(EVICT_EVENT, "0"), 0);
	f = fopen(TRACEFS "/trace", "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		const char *task = line + strspn(line, " ");

		if (line[0] == '#' || !strstr(line, " drm_gem_zswap_evict:"))
			continue;
		all++;
		/* "<comm>-<pid> [cpu] ...": comm may itself hold a '-'. */
		if (!strncmp(task, "kswapd", 6))
			(*kswapd)++;
		else if (!strncmp(task, comm, clen) && task[clen] == '-')
			(*by_comm)++;
	}
	fclose(f);
	return all;
}

/**
 * igt_gem_zswap_fault_attr: set @name of the fault-injection attribute
 * @attr (failslab, fail_page_alloc) to @value, in debugfs
 */
void igt_gem_zswap_fault_attr(const char *attr, const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, name);
	igt_assert_f(igt_gem_zswap_write_file(path, value) == 0,
		     "cannot write %s to %s\n", value, path);
}

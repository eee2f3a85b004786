// SPDX-License-Identifier: MIT
/*
 * vgem_zswap: vgem buffer objects compressed by drm_gem_zswap and brought
 * back.  Every subtest checks contents byte for byte and the device's
 * counters exactly; BOs are evicted through drm_gem_zswap's debugfs file,
 * or by the shrinker under a memory cgroup's limit.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <drm/vgem_drm.h>
#include <linux/capability.h>

#include "igt.h"
#include "igt_gem_zswap.h"
#include "igt_pattern.h"
#include "igt_vgem.h"

enum kind { ZERO, SAME, RANDOM, TEXTURE, NR_KINDS };
static const char * const kind_names[] = { "zero", "same", "random", "texture" };

#define CGROUP		"/sys/fs/cgroup/vgem_zswap"

/* RGBA rows: gradients with every eighth texel noisy, as in a texture. */
static void texture_fill(uint8_t *p, uint64_t size, uint64_t seed)
{
	uint64_t x = seed | 1;

	for (uint64_t i = 0; i < size; i += 4) {
		uint32_t px = i / 4, u = px % 512, v = px / 512;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = u / 2 + seed;
		p[i + 1] = v / 2;
		p[i + 2] = (u + v) / 4 + (px % 8 ? 0 : x & 3);
		p[i + 3] = 0xff;
	}
}

static void fill(void *ptr, uint64_t size, enum kind kind, uint64_t seed)
{
	switch (kind) {
	case ZERO:
		memset(ptr, 0, size);
		break;
	case SAME:
		memset(ptr, 0x5a, size);
		break;
	case RANDOM:
		igt_pattern_fill(ptr, size, seed);
		break;
	default:
		texture_fill(ptr, size, seed);
		break;
	}
}

static uint64_t first_difference(const uint8_t *p, const uint8_t *want, uint64_t size)
{
	for (uint64_t i = 0; i < size; i++)
		if (p[i] != want[i])
			return i;
	return size;
}

/* The offset of the first wrong byte, or @size. */
static uint64_t check(const void *ptr, uint64_t size, enum kind kind, uint64_t seed)
{
	uint8_t *want;
	uint64_t bad;

	if (kind == RANDOM)
		return igt_pattern_check(ptr, size, seed);
	want = malloc(size);
	if (!want)
		return 0;
	fill(want, size, kind, seed);
	bad = memcmp(ptr, want, size) ? first_difference(ptr, want, size) : size;
	free(want);
	return bad;
}

static void create(int fd, struct vgem_bo *bo, uint64_t size)
{
	bo->width = 1024;
	bo->height = size / 4096;
	bo->bpp = 32;
	vgem_create(fd, bo);
	igt_assert_eq_u64(bo->size, size);
}

/* A BO, mapped (which gives it pages and offers it to the shrinker), filled. */
static void *create_filled(int fd, struct vgem_bo *bo, uint64_t size,
			   enum kind kind, uint64_t seed)
{
	void *ptr;

	create(fd, bo, size);
	ptr = vgem_mmap(fd, bo, PROT_READ | PROT_WRITE);
	fill(ptr, size, kind, seed);
	return ptr;
}

static void assert_contents(const void *ptr, uint64_t size, enum kind kind, uint64_t seed)
{
	uint64_t bad = check(ptr, size, kind, seed);

	igt_assert_f(bad == size, "%s BO of %" PRIu64 " bytes differs at byte %" PRIu64 "\n",
		     kind_names[kind], size, bad);
}

static void assert_delta(int fd, const char *name, uint64_t before, uint64_t delta)
{
	uint64_t now = igt_gem_zswap_stat(fd, name);

	igt_assert_f(now - before == delta, "%s went from %" PRIu64 " to %" PRIu64
		     ", not up by %" PRIu64 "\n", name, before, now, delta);
}

/*
 * The pool objects that a stream of @comp bytes takes, computed here from
 * the rst's rule: whole pages, then the tail padded to 1/32 of a page and
 * cut into pieces of a power of two of 1/32 each.  Only for backends
 * whose chunk is a whole page, zblock and zsmalloc; 0 for the others.
 * @chunks is set to how many objects.  The pool's own pages
 * (/proc/meminfo's GemZswap) are checked against pool_bytes by
 * igt_gem_zswap_assert_pool_holds().
 */
static uint64_t expected_pool_objects(uint64_t comp, unsigned int *chunks)
{
	uint64_t page = sysconf(_SC_PAGESIZE), quantum = page / 32;
	uint64_t units = (comp % page + quantum - 1) / quantum;
	char zpool[32];

	igt_gem_zswap_get_param("zpool", zpool, sizeof(zpool));
	if (strcmp(zpool, "zblock") && strcmp(zpool, "zsmalloc"))
		return 0;
	*chunks = comp / page + __builtin_popcountll(units);
	return comp / page * page + units * quantum;
}

/*
 * pool_bytes of one BO of @size whose stream takes @objects in @chunks:
 * the objects, then the entry, a slab object of at most 1 KiB (its
 * handles inline while a BO's stream may take no more than 36 chunks,
 * the rst's rule), then one page of handles for every 512 chunks
 * beyond.  The entry's exact size is the slab's: bounded here.
 */
static void assert_pool_bytes(uint64_t pool, uint64_t size, uint64_t objects,
			      unsigned int chunks)
{
	uint64_t page = sysconf(_SC_PAGESIZE);
	uint64_t max_chunks = size / 8 * 7 / page + 5;
	uint64_t handles = max_chunks <= 36 ? 0 :
			   (chunks + page / 8 - 1) / (page / 8) * page;

	igt_assert_f(pool > objects + handles && pool <= objects + handles + 1024,
		     "pool_bytes +%" PRIu64 ", expected %" PRIu64 " of objects, %" PRIu64
		     " of handles and an entry of up to 1 KiB\n", pool, objects, handles);
}

static void evict_restore(int fd, uint64_t size, enum kind kind)
{
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo;
	uint64_t comp;
	void *ptr;
	int ret;

	ptr = create_filled(fd, &bo, size, kind, size + kind);
	igt_gem_zswap_read_stats(fd, &s0);

	ret = igt_gem_zswap_evict(fd, bo.handle);
	if (kind == RANDOM) {
		/* Random bytes do not compress: refused, and left alone. */
		igt_assert_eq(ret, -E2BIG);
		igt_gem_zswap_read_stats(fd, &s1);
		igt_assert_eq_u64(s1.reject_incompressible - s0.reject_incompressible, 1);
		igt_assert_eq_u64(s1.evictions, s0.evictions);
		igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
		assert_contents(ptr, size, kind, size + kind);
		goto out;
	}
	igt_assert_eq(ret, 0);

	igt_gem_zswap_read_stats(fd, &s1);
	comp = s1.compressed_bytes - s0.compressed_bytes;
	igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, 1);
	igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, size);
	igt_assert_eq_u64(s1.evictions - s0.evictions, 1);
	igt_gem_zswap_assert_pool_holds(fd);
	if (kind == ZERO || kind == SAME) {
		igt_assert_eq_u64(s1.same_filled_bos - s0.same_filled_bos, 1);
		igt_assert_eq_u64(comp, 0);
		/* One repeated value: kept in the entry, no chunk stored. */
		assert_pool_bytes(s1.pool_bytes - s0.pool_bytes, 0, 0, 0);
	} else {
		unsigned int chunks = 0;
		uint64_t objects = expected_pool_objects(comp, &chunks);

		igt_assert_eq_u64(s1.same_filled_bos, s0.same_filled_bos);
		igt_assert(comp > 0 && comp <= size / 8 * 7);
		if (objects)
			assert_pool_bytes(s1.pool_bytes - s0.pool_bytes, size, objects, chunks);
	}
	/* The entry is held too: the two counters never agree. */
	igt_assert(s1.pool_bytes - s0.pool_bytes > comp);
	igt_info("%s %" PRIu64 " bytes: %" PRIu64 " compressed, %" PRIu64 " in pool objects\n",
		 kind_names[kind], size, comp, s1.pool_bytes - s0.pool_bytes);

	/* The mapping made before eviction faults the contents back in. */
	assert_contents(ptr, size, kind, size + kind);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.original_bytes, s0.original_bytes);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	igt_assert_eq_u64(s1.pool_bytes, s0.pool_bytes);
out:
	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

static void mmap_fault(int fd)
{
	const uint64_t size = 1 << 20;
	struct vgem_bo bo;
	uint8_t *before, *after;

	before = create_filled(fd, &bo, size, TEXTURE, 11);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	/* A mapping made while evicted, and one made before, agree. */
	after = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	assert_contents(after, size, TEXTURE, 11);
	assert_contents(before, size, TEXTURE, 11);

	/* Written through one while the other is evicted again. */
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	fill(after, size, TEXTURE, 12);
	assert_contents(before, size, TEXTURE, 12);

	munmap(before, size);
	munmap(after, size);
	gem_close(fd, bo.handle);
}

static void busy(int fd)
{
	const uint64_t size = 256 << 10;
	struct igt_gem_zswap_stats s0;
	struct vgem_bo bo;
	uint32_t fence;
	void *ptr;

	igt_require(vgem_has_fences(fd));
	ptr = create_filled(fd, &bo, size, TEXTURE, 21);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	/* The fence is a use: the BO comes back, and is not evicted while it holds. */
	igt_gem_zswap_read_stats(fd, &s0);
	fence = vgem_fence_attach(fd, &bo, VGEM_FENCE_WRITE);
	assert_delta(fd, "restores", s0.restores, 1);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -EBUSY);
	igt_assert_eq(igt_gem_zswap_evict_all(fd), 0);
	assert_delta(fd, "reject_busy", s0.reject_busy, 1);
	assert_delta(fd, "evictions", s0.evictions, 0);

	vgem_fence_signal(fd, fence);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	assert_delta(fd, "evictions", s0.evictions, 1);
	assert_contents(ptr, size, TEXTURE, 21);

	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

static void dmabuf(int fd)
{
	const uint64_t size = 1 << 20;
	struct igt_gem_zswap_stats s0;
	struct vgem_bo bo;
	void *ptr, *dptr;
	int dfd;

	ptr = create_filled(fd, &bo, size, TEXTURE, 31);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	/* Exporting brings it back; exported but not attached, it may go again. */
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(drmPrimeHandleToFD(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR, &dfd), 0);
	assert_delta(fd, "restores", s0.restores, 1);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	/* The dma-buf's own mapping faults it back. */
	dptr = mmap(NULL, size, PROT_READ, MAP_SHARED, dfd, 0);
	igt_assert(dptr != MAP_FAILED);
	assert_contents(dptr, size, TEXTURE, 31);
	assert_delta(fd, "restores", s0.restores, 2);

	/* And a mapping of the dma-buf is torn down by the next eviction. */
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	assert_contents(dptr, size, TEXTURE, 31);
	assert_delta(fd, "restores", s0.restores, 3);

	munmap(dptr, size);
	close(dfd);
	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

/*
 * A dma-buf that outlives the BO's last handle, mapped by another process:
 * the eviction must still zap that mapping, which vgem's dma-buf shares
 * with the device's anon inode.  Kept as a regression test of
 * virtio-gpu's bug, whose dma-bufs did not.
 */
static void dmabuf_orphan(int fd)
{
	const uint64_t size = 4 << 20;
	struct vgem_bo bo;
	void *ptr, *copy;

	ptr = create_filled(fd, &bo, size, TEXTURE, 37);
	copy = malloc(size);
	igt_assert(copy);
	memcpy(copy, ptr, size);
	munmap(ptr, size);
	igt_assert_eq_u64(igt_gem_zswap_orphan_dmabuf(fd, bo.handle, copy, size), 1);
	free(copy);
}

/* An importer keeps an attachment: virtio-gpu, the guests' other driver. */
static void dmabuf_attached(int fd)
{
	const uint64_t size = 256 << 10;
	struct vgem_bo bo;
	uint32_t handle;
	void *ptr;
	int other, dfd, ret;

	other = __drm_open_driver(DRIVER_VIRTIO);
	igt_require_f(other >= 0, "no second DRM driver to import the dma-buf\n");
	ptr = create_filled(fd, &bo, size, TEXTURE, 41);
	igt_assert_eq(drmPrimeHandleToFD(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR, &dfd), 0);
	ret = drmPrimeFDToHandle(other, dfd, &handle);
	if (ret) {
		close(dfd);
		munmap(ptr, size);
		gem_close(fd, bo.handle);
		close(other);
		igt_skip("virtio-gpu does not import other drivers' dma-bufs (%s); "
			 "the KUnit suite drm_gem_zswap covers an attached BO\n",
			 strerror(errno));
	}
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -EBUSY);
	gem_close(other, handle);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	assert_contents(ptr, size, TEXTURE, 41);
	close(dfd);
	close(other);
	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

static void stats(int fd)
{
	static const struct { uint64_t size; enum kind kind; } bos[] = {
		{ 64 << 10, ZERO }, { 1 << 20, SAME }, { 4 << 20, TEXTURE }, { 4096, TEXTURE },
	};
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo[4];
	uint64_t orig = 0, comp = 0;
	void *ptr[4];

	for (int i = 0; i < 4; i++)
		ptr[i] = create_filled(fd, &bo[i], bos[i].size, bos[i].kind, 50 + i);
	igt_gem_zswap_read_stats(fd, &s0);

	for (int i = 0; i < 4; i++) {
		uint64_t c0 = igt_gem_zswap_stat(fd, "compressed_bytes");

		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
		orig += bos[i].size;
		comp += igt_gem_zswap_stat(fd, "compressed_bytes") - c0;
		igt_gem_zswap_read_stats(fd, &s1);
		igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, i + 1);
		igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, orig);
		igt_assert_eq_u64(s1.compressed_bytes - s0.compressed_bytes, comp);
		igt_gem_zswap_assert_pool_holds(fd);
		igt_assert_eq_u64(s1.same_filled_bos - s0.same_filled_bos, i < 2 ? i + 1 : 2);
		igt_assert_eq_u64(s1.evictions - s0.evictions, i + 1);
		igt_assert_eq_u64(s1.restores, s0.restores);
	}
	/* The system-wide pool holds at least what this device stored. */
	igt_assert(igt_gem_zswap_global_stat("pool_total_size") >= comp);

	for (int i = 0; i < 4; i++) {
		assert_contents(ptr[i], bos[i].size, bos[i].kind, 50 + i);
		igt_gem_zswap_read_stats(fd, &s1);
		igt_assert_eq_u64(s1.restores - s0.restores, i + 1);
		igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, 3 - i);
	}
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.original_bytes, s0.original_bytes);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	igt_assert_eq_u64(s1.pool_bytes, s0.pool_bytes);
	igt_assert_eq_u64(s1.reject_busy, s0.reject_busy);
	igt_assert_eq_u64(s1.restore_failures, s0.restore_failures);
	igt_info("4 BOs, %" PRIu64 " bytes, stored in %" PRIu64 "\n", orig, comp);

	for (int i = 0; i < 4; i++) {
		munmap(ptr[i], bos[i].size);
		gem_close(fd, bo[i].handle);
	}
}

/*
 * Free memory as the page allocator has it: the free lists and the pages
 * each CPU keeps aside (the "count" of every pageset in /proc/zoneinfo),
 * which MemFree leaves out and which can hold megabytes after a burst of
 * frees.
 */
static uint64_t free_bytes(void)
{
	char line[256];
	uint64_t pages = 0, n;
	FILE *f;

	/* Fold each CPU's pending counter deltas in first. */
	igt_gem_zswap_write_file("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/zoneinfo", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " nr_free_pages %" SCNu64, &n) == 1 ||
		    sscanf(line, " count: %" SCNu64, &n) == 1)
			pages += n;
	}
	fclose(f);
	return pages * 4096;
}

#define SMALL_BOS	1000

static void small_fill(void *p, uint64_t seed)
{
	texture_fill(p, 2048, seed);
	memset((uint8_t *)p + 2048, 0, 2048);
}

/*
 * One-page BOs, evicted: the machine must have more memory free after,
 * not less.  Before handles were kept in the entry, each one cost a page
 * of handles besides its slot and entry, more than the page it freed.
 */
static void small_bos(int fd)
{
	static struct vgem_bo bo[SMALL_BOS];
	static void *ptr[SMALL_BOS];
	struct igt_gem_zswap_stats s0, s1;
	uint64_t before, after;
	int64_t gained;

	/* Half texture, half cleared: compressible whatever the codec. */
	for (int i = 0; i < SMALL_BOS; i++) {
		create(fd, &bo[i], 4096);
		ptr[i] = vgem_mmap(fd, &bo[i], PROT_READ | PROT_WRITE);
		small_fill(ptr[i], 300 + i);
	}
	igt_gem_zswap_read_stats(fd, &s0);
	before = free_bytes();
	for (int i = 0; i < SMALL_BOS; i++)
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
	after = free_bytes();
	igt_gem_zswap_read_stats(fd, &s1);
	gained = (int64_t)(after - before);
	igt_info("%d one-page BOs evicted: %" PRIu64 " bytes of stream, free memory "
		 "%+" PRId64 " KiB (%+" PRId64 " bytes per BO)\n", SMALL_BOS,
		 s1.compressed_bytes - s0.compressed_bytes, gained / 1024,
		 gained / SMALL_BOS);
	igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, SMALL_BOS);
	igt_assert_f(gained > 0, "evicting %d one-page BOs took %" PRId64
		     " KiB more than it freed\n", SMALL_BOS, -gained / 1024);

	for (int i = 0; i < SMALL_BOS; i++) {
		uint8_t want[4096];

		small_fill(want, 300 + i);
		igt_assert_f(!memcmp(ptr[i], want, sizeof(want)), "BO %d differs\n", i);
		munmap(ptr[i], 4096);
		gem_close(fd, bo[i].handle);
	}
}

static uint64_t cgroup_event(const char *name)
{
	return igt_gem_zswap_proc_u64(CGROUP "/memory.events", name);
}

/*
 * In a forked child, on a DRM file of its own (@fd, negative if it could
 * not be opened): @n BOs of @size bytes, created and mapped.  0, or the
 * child's exit code: 9 no file, 10 no BO, 11 no mapping.
 */
static int child_bos(int fd, struct vgem_bo *bo, void **ptr, int n, uint64_t size)
{
	if (fd < 0)
		return 9;
	for (int i = 0; i < n; i++) {
		bo[i] = (struct vgem_bo){ .width = 1024, .height = size / 4096, .bpp = 32 };
		if (__vgem_create(fd, &bo[i]))
			return 10;
		ptr[i] = __vgem_mmap(fd, &bo[i], PROT_READ | PROT_WRITE);
		if (!ptr[i])
			return 11;
	}
	return 0;
}

#define PRESSURE_LIMIT_MB	48
#define PRESSURE_BO_MB		4
#define PRESSURE_BOS		36	/* three times the limit */
#define PRESSURE_ROUNDS		3
#define PRESSURE_ANON_MB	8
/*
 * One texture (1.6:1) in four, the rest cleared: the copies are charged
 * to the cgroup, so all of them (23 MiB) and the anonymous memory must
 * fit under the limit with room to read a BO in.
 */
#define PRESSURE_KIND(i)	((i) % 4 ? SAME : TEXTURE)

/*
 * In the cgroup: create BOs beyond its limit, then read them in turns.  A
 * forked child, on a DRM file of its own, so that its BOs go with it.
 */
static int pressure_bos(int unused)
{
	const uint64_t size = PRESSURE_BO_MB << 20;
	struct vgem_bo bo[PRESSURE_BOS];
	void *ptr[PRESSURE_BOS];
	int fd = __drm_open_driver(DRIVER_VGEM);

	int ret = child_bos(fd, bo, ptr, PRESSURE_BOS, size);

	if (ret)
		return ret;
	for (int i = 0; i < PRESSURE_BOS; i++)
		fill(ptr[i], size, PRESSURE_KIND(i), 100 + i);
	for (int r = 0; r < PRESSURE_ROUNDS; r++)
		for (int i = 0; i < PRESSURE_BOS; i++)
			if (check(ptr[i], size, PRESSURE_KIND(i), 100 + i) != size)
				return 12;
	return 0;
}

static pid_t spawn_in(const char *cgroup, int (*fn)(int), int arg)
{
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (!pid) {
		char path[256], self[32];

		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		snprintf(self, sizeof(self), "%d", getpid());
		if (igt_gem_zswap_write_file(path, self))
			_exit(30);
		_exit(fn(arg));
	}
	return pid;
}

static pid_t spawn_in_cgroup(int (*fn)(int), int arg)
{
	return spawn_in(CGROUP, fn, arg);
}

static int run_pressure_bos(int unused)
{
	return pressure_bos(0);
}

static int run_pressure_anon(int unused)
{
	/* In the cgroup too: anonymous memory, touched again and again. */
	return igt_gem_zswap_anon_pressure(PRESSURE_ANON_MB, 20, 50000);
}

/*
 * Machine-wide pressure, as on a desktop: the memory controller is on, the
 * BOs' owner and a memory hog each live in a child cgroup of their own,
 * neither with a limit (as systemd puts every session and service), and
 * there is no swap.  The hog wants more than the machine has available
 * while the BOs are resident, less than it has once they are compressed.
 */
#define GLOBAL_OWNER	"/sys/fs/cgroup/vgem_zswap_owner"
#define GLOBAL_HOG	"/sys/fs/cgroup/vgem_zswap_hog"
#define GLOBAL_BOS	24
#define GLOBAL_BO_MB	8
#define GLOBAL_OVER_MB	64	/* the hogs' demand beyond free memory */
/* Textures (1.6:1) and cleared buffers in turn: 132 MiB to gain. */
#define GLOBAL_KIND(i)	((i) % 2 ? SAME : TEXTURE)
#define GLOBAL_HOGS	2
#define GLOBAL_WAIT_S	120

static int global_pipe[2][2];	/* [0]: owner -> test, [1]: test -> owner */
static uint64_t global_hog_bytes;

/* The owner: idle, mapped, compressible BOs; checks them when told to. */
static int global_owner(int unused)
{
	const uint64_t size = (uint64_t)GLOBAL_BO_MB << 20;
	struct vgem_bo bo[GLOBAL_BOS];
	void *ptr[GLOBAL_BOS];
	int fd = __drm_open_driver(DRIVER_VGEM);
	int ret = child_bos(fd, bo, ptr, GLOBAL_BOS, size);
	char c = 'r';

	if (ret)
		return ret;
	for (int i = 0; i < GLOBAL_BOS; i++)
		fill(ptr[i], size, GLOBAL_KIND(i), 200 + i);
	if (write(global_pipe[0][1], &c, 1) != 1 || read(global_pipe[1][0], &c, 1) != 1)
		return 13;
	for (int i = 0; i < GLOBAL_BOS; i++)
		if (check(ptr[i], size, GLOBAL_KIND(i), 200 + i) != size)
			return 12;
	return 0;
}

static uint64_t meminfo_bytes(const char *key)
{
	return igt_gem_zswap_proc_u64("/proc/meminfo", key) << 10;
}

/*
 * The hog: touches its share of anonymous memory a page at a time.  A
 * polite hog (@polite) never takes free memory below the min watermark
 * and a margin (halfway to the low watermark, see global_reclaim()): it
 * waits for kswapd, so that kswapd alone reclaims.
 * 20: kswapd freed nothing for GLOBAL_WAIT_S seconds.
 */
static int global_hog(int polite)
{
	const uint64_t floor = (igt_gem_zswap_read_u64("/proc/sys/vm/min_free_kbytes") << 10) +
			       (48 << 20);
	uint64_t size = global_hog_bytes;
	time_t deadline = time(NULL) + GLOBAL_WAIT_S;
	uint8_t *p;

	prctl(PR_SET_NAME, "zb-hog");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 21;
	for (uint64_t off = 0; off < size; off += 4096) {
		while (polite && !(off & ((256 << 10) - 1)) && meminfo_bytes("MemFree") < floor) {
			if (time(NULL) > deadline)
				return 20;
			usleep(2000);
		}
		p[off] = off >> 12;
	}
	for (uint64_t off = 0; off < size; off += 4096)
		if (p[off] != (uint8_t)(off >> 12))
			return 22;
	return 0;
}

/* A key of @cgroup's memory.events. */
static uint64_t cg_event(const char *cgroup, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/memory.events", cgroup);
	return igt_gem_zswap_proc_u64(path, name);
}

static uint64_t cgroup_oom_kills(const char *cgroup)
{
	return cg_event(cgroup, "oom_kill");
}

/* Direct reclaims entered, in every zone. */
static uint64_t allocstalls(void)
{
	static const char * const zones[] = { "dma", "dma32", "normal", "movable" };
	uint64_t n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(zones); i++) {
		char key[32];

		snprintf(key, sizeof(key), "allocstall_%s", zones[i]);
		n += igt_gem_zswap_proc_u64("/proc/vmstat", key);
	}
	return n;
}

static int wait_rc(pid_t pid)
{
	int status;

	igt_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * @direct false: the hog allocates no faster than kswapd frees (a larger
 * gap between the watermarks gives kswapd room), and kswapd must evict.
 * @direct true: GLOBAL_HOGS hogs allocate flat out and reclaim in their
 * own allocations must evict.  Either way before any OOM kill.
 */
static void global_reclaim(int fd, bool direct)
{
	const char *vm_wsf = "/proc/sys/vm/watermark_scale_factor";
	const char *vm_boost = "/proc/sys/vm/watermark_boost_factor";
	uint64_t kswapd0, direct0, runs0, stalls0, avail, oom0, runs, stalls;
	unsigned int by_kswapd, by_hog, all;
	struct igt_gem_zswap_stats s0, s1;
	int rc_owner, rc_hog[GLOBAL_HOGS], nhogs = direct ? GLOBAL_HOGS : 1;
	pid_t owner, hog[GLOBAL_HOGS];
	char wsf[16], boost[16], c;

	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	igt_require_f(!meminfo_bytes("SwapTotal"), "runs without swap\n");
	igt_require_f(!igt_gem_zswap_trace_start(), "needs tracefs and the eviction event\n");
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	rmdir(GLOBAL_OWNER);
	rmdir(GLOBAL_HOG);
	igt_assert_eq(mkdir(GLOBAL_OWNER, 0755), 0);
	igt_assert_eq(mkdir(GLOBAL_HOG, 0755), 0);
	snprintf(wsf, sizeof(wsf), "%" PRIu64, igt_gem_zswap_read_u64(vm_wsf));
	snprintf(boost, sizeof(boost), "%" PRIu64, igt_gem_zswap_read_u64(vm_boost));
	/*
	 * For kswapd: 100 MiB between the min and low watermarks (5% of the
	 * guest's 2 GiB), and none of the boost that fragmentation adds to
	 * them, so that the polite hog's floor lies between the two.
	 */
	igt_assert_eq(igt_gem_zswap_write_file(vm_wsf, direct ? "10" : "500"), 0);
	igt_assert_eq(igt_gem_zswap_write_file(vm_boost, "0"), 0);

	igt_assert_eq(pipe(global_pipe[0]), 0);
	igt_assert_eq(pipe(global_pipe[1]), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	owner = spawn_in(GLOBAL_OWNER, global_owner, 0);
	igt_assert_eq(read(global_pipe[0][0], &c, 1), 1);

	/*
	 * Free memory as the allocator has it (free_bytes(): MemFree leaves
	 * out the per-CPU lists, tens of MiB after the last subtest's frees),
	 * not MemAvailable, which also counts reserves and caches: beyond it
	 * the hogs get memory only from reclaim, and with no swap and next to
	 * no page cache, only from the BOs.
	 */
	avail = free_bytes();
	global_hog_bytes = (avail + ((uint64_t)GLOBAL_OVER_MB << 20)) / nhogs;
	kswapd0 = igt_gem_zswap_proc_u64("/proc/vmstat", "pgscan_kswapd");
	direct0 = igt_gem_zswap_proc_u64("/proc/vmstat", "pgscan_direct");
	runs0 = igt_gem_zswap_proc_u64("/proc/vmstat", "pageoutrun");
	stalls0 = allocstalls();
	oom0 = igt_gem_zswap_proc_u64("/proc/vmstat", "oom_kill");
	igt_gem_zswap_trace_start();
	for (int i = 0; i < nhogs; i++)
		hog[i] = spawn_in(GLOBAL_HOG, global_hog, !direct);
	for (int i = 0; i < nhogs; i++)
		rc_hog[i] = wait_rc(hog[i]);
	all = igt_gem_zswap_trace_stop("zb-hog", &by_kswapd, &by_hog);
	igt_gem_zswap_read_stats(fd, &s1);
	runs = igt_gem_zswap_proc_u64("/proc/vmstat", "pageoutrun") - runs0;
	stalls = allocstalls() - stalls0;

	igt_info("%d idle BOs of %d MiB in a cgroup without a limit, %d %s hog(s) in another "
		 "for %" PRIu64 " MiB (free %" PRIu64 " MiB): %u evictions, %u by "
		 "kswapd, %u in the hogs' direct reclaim; kswapd runs +%" PRIu64
		 ", direct reclaims +%" PRIu64 ", pgscan_kswapd +%" PRIu64
		 ", pgscan_direct +%" PRIu64 " (no swap, no file pages: the LRUs "
		 "have nothing to give), OOM kills %" PRIu64 "\n",
		 GLOBAL_BOS, GLOBAL_BO_MB, nhogs, direct ? "fast" : "polite",
		 (global_hog_bytes * nhogs) >> 20, avail >> 20, all, by_kswapd, by_hog,
		 runs, stalls,
		 igt_gem_zswap_proc_u64("/proc/vmstat", "pgscan_kswapd") - kswapd0,
		 igt_gem_zswap_proc_u64("/proc/vmstat", "pgscan_direct") - direct0,
		 igt_gem_zswap_proc_u64("/proc/vmstat", "oom_kill") - oom0);
	igt_info("refused: %" PRIu64 " busy, %" PRIu64 " short of memory, %" PRIu64
		 " over the pool limit\n", s1.reject_busy - s0.reject_busy,
		 s1.reject_nomem - s0.reject_nomem, s1.reject_pool_limit - s0.reject_pool_limit);

	/* The owner reads every BO back now that the hogs are gone. */
	igt_assert_eq(write(global_pipe[1][1], "c", 1), 1);
	rc_owner = wait_rc(owner);
	igt_assert_eq(igt_gem_zswap_write_file(vm_wsf, wsf), 0);
	igt_assert_eq(igt_gem_zswap_write_file(vm_boost, boost), 0);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			close(global_pipe[i][j]);

	igt_assert_f(rc_owner == 0, "BO owner: %d (12: contents, 137: killed)\n", rc_owner);
	for (int i = 0; i < nhogs; i++)
		igt_assert_f(rc_hog[i] == 0, "hog %d: %d (20: kswapd freed nothing in %d s, "
			     "137: killed)\n", i, rc_hog[i], GLOBAL_WAIT_S);
	igt_assert_eq_u64(cgroup_oom_kills(GLOBAL_OWNER) + cgroup_oom_kills(GLOBAL_HOG), 0);
	igt_assert_eq_u64(igt_gem_zswap_proc_u64("/proc/vmstat", "oom_kill"), oom0);
	igt_assert_eq_u64(s1.evictions - s0.evictions, all);
	if (direct) {
		igt_assert_f(stalls > 0, "no direct reclaim ran\n");
		igt_assert_f(by_hog > 0, "no eviction in the hogs' direct reclaim\n");
	} else {
		igt_assert_f(runs > 0, "kswapd did not run\n");
		igt_assert_f(by_kswapd > 0, "no eviction by kswapd\n");
	}
	rmdir(GLOBAL_OWNER);
	rmdir(GLOBAL_HOG);
}

static void memory_pressure(int fd)
{
	uint64_t peak_orig = 0, peak_comp = 0;
	struct igt_gem_zswap_stats s0, s1;
	int status, rc[2] = { -1, -1 }, running = 2;
	pid_t pid[2];
	char limit[32];

	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	rmdir(CGROUP);
	igt_assert_eq(mkdir(CGROUP, 0755), 0);
	snprintf(limit, sizeof(limit), "%d", PRESSURE_LIMIT_MB << 20);
	igt_assert_eq(igt_gem_zswap_write_file(CGROUP "/memory.max", limit), 0);

	igt_gem_zswap_read_stats(fd, &s0);
	pid[0] = spawn_in_cgroup(run_pressure_bos, fd);
	pid[1] = spawn_in_cgroup(run_pressure_anon, 0);
	/* Watch how much the helper holds while the children run. */
	while (running) {
		for (int i = 0; i < 2; i++) {
			if (rc[i] >= 0 || waitpid(pid[i], &status, WNOHANG) != pid[i])
				continue;
			rc[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			running--;
		}
		igt_gem_zswap_read_stats(fd, &s1);
		if (s1.original_bytes - s0.original_bytes > peak_orig) {
			peak_orig = s1.original_bytes - s0.original_bytes;
			peak_comp = s1.compressed_bytes - s0.compressed_bytes;
		}
		usleep(20000);
	}
	igt_gem_zswap_read_stats(fd, &s1);

	igt_info("%d BOs of %d MiB and %d MiB of anonymous memory in a %d MiB cgroup: "
		 "%" PRIu64 " evictions, %" PRIu64 " restores, %" PRIu64 " OOM kills\n",
		 PRESSURE_BOS, PRESSURE_BO_MB, PRESSURE_ANON_MB, PRESSURE_LIMIT_MB,
		 s1.evictions - s0.evictions, s1.restores - s0.restores,
		 cgroup_event("oom_kill"));
	if (peak_comp)
		igt_info("at most %" PRIu64 " MiB of BOs were held in %" PRIu64
			 " KiB: %" PRIu64 " MiB saved, compression ratio %.1f\n",
			 peak_orig >> 20, peak_comp >> 10, (peak_orig - peak_comp) >> 20,
			 (double)peak_orig / peak_comp);
	igt_assert_f(rc[0] == 0, "BO process: %d (12: contents, 137: killed)\n", rc[0]);
	igt_assert_f(rc[1] == 0, "anonymous-memory process: %d\n", rc[1]);
	igt_assert_eq_u64(cgroup_event("oom_kill"), 0);
	igt_assert(s1.evictions > s0.evictions);
	igt_assert(s1.restores > s0.restores);
	/* The children are gone with their BOs: nothing of theirs is stored. */
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	rmdir(CGROUP);
}

/*
 * Charging: a BO's compressed copy is charged to the cgroup its pages were
 * charged to (its owner), restored pages go back to it whoever touches the
 * BO, memory.gem_zswap.max refuses evictions past it, and a removed
 * cgroup's BOs move to its parent.  The test runs in turn in two children
 * of a cgroup of its own: "owner", which creates the BOs, and "other".
 */
#define CHARGE_PARENT	"/sys/fs/cgroup/vgem_zswap_charge"
#define CHARGE_OWNER	CHARGE_PARENT "/owner"
#define CHARGE_OTHER	CHARGE_PARENT "/other"
#define CHARGE_BOS	8
#define CHARGE_BO_MB	4
/*
 * Page tables and the BOs' pages in LRU batches, and each CPU's charge
 * stock (up to 64 pages, and its bytes of objects).
 */
#define CHARGE_SLACK	((512 << 10) * (1 + sysconf(_SC_NPROCESSORS_ONLN)))

static void join_cgroup(const char *cgroup)
{
	char path[256], self[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	snprintf(self, sizeof(self), "%d", getpid());
	igt_assert_eq(igt_gem_zswap_write_file(path, self), 0);
}

static uint64_t cg_file(const char *cgroup, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", cgroup, file);
	return igt_gem_zswap_read_u64(path);
}

/*
 * A key of memory.stat.  Small updates reach memory.stat within 2 s (the
 * memcg's periodic flush): wait for them when @settle.
 */
static uint64_t cg_stat(const char *cgroup, const char *key, bool settle)
{
	char path[256];

	if (settle)
		usleep(2100 * 1000);
	snprintf(path, sizeof(path), "%s/memory.stat", cgroup);
	return igt_gem_zswap_proc_u64(path, key);
}

static void charge_cleanup(void)
{
	join_cgroup("/sys/fs/cgroup");
	rmdir(CHARGE_OWNER);
	rmdir(CHARGE_OTHER);
	rmdir(CHARGE_PARENT);
}

/* |@got - @want| within CHARGE_SLACK, or fail saying what @what is. */
static void assert_near(const char *what, int64_t got, int64_t want)
{
	igt_info("%s: %+" PRId64 " KiB, expected %+" PRId64 " KiB\n", what,
		 got / 1024, want / 1024);
	igt_assert_f(llabs(got - want) <= CHARGE_SLACK,
		     "%s: %+" PRId64 " KiB, not %+" PRId64 " KiB (slack %ld KiB)\n",
		     what, got / 1024, want / 1024, CHARGE_SLACK >> 10);
}

static void check_all(void **ptr, uint64_t size, uint64_t seed)
{
	for (int i = 0; i < CHARGE_BOS; i++)
		igt_assert_f(check(ptr[i], size, TEXTURE, seed + i) == size,
			     "BO %d differs\n", i);
}

/* The parent and its two children, the owner's BOs created and checked. */
static void charge_setup(int fd, struct vgem_bo *bo, void **ptr, uint64_t size)
{
	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	charge_cleanup();
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	igt_assert_eq(mkdir(CHARGE_PARENT, 0755), 0);
	igt_assert_eq(igt_gem_zswap_write_file(CHARGE_PARENT "/cgroup.subtree_control",
					       "+memory"), 0);
	igt_assert_eq(mkdir(CHARGE_OWNER, 0755), 0);
	igt_assert_eq(mkdir(CHARGE_OTHER, 0755), 0);
	igt_require_f(!access(CHARGE_OWNER "/memory.gem_zswap.max", W_OK),
		      "a kernel without memory.gem_zswap.max\n");

	/* The owner touches the BOs first: their pages are its. */
	join_cgroup(CHARGE_OWNER);
	for (int i = 0; i < CHARGE_BOS; i++)
		ptr[i] = create_filled(fd, &bo[i], size, TEXTURE, 700 + i);
	/*
	 * Checked here first: the heap that check() leaves to the next
	 * check is then the owner's, not charged to the other cgroup later.
	 */
	check_all(ptr, size, 700);
}

/*
 * With cgroup.memory=nokmem there are no obj_cgroups, and the behaviour
 * documented for it holds: the copy is charged to nobody, the limit does
 * not apply, and restored pages are charged to whoever touches the BO.
 */
static void cgroup_charge_nokmem(int fd)
{
	const uint64_t size = (uint64_t)CHARGE_BO_MB << 20, total = CHARGE_BOS * size;
	struct vgem_bo bo[CHARGE_BOS];
	void *ptr[CHARGE_BOS];
	uint64_t before, other;

	charge_setup(fd, bo, ptr, size);
	igt_assert_eq(igt_gem_zswap_write_file(CHARGE_PARENT "/memory.gem_zswap.max", "0"), 0);
	before = cg_file(CHARGE_OWNER, "memory.current");
	for (int i = 0; i < CHARGE_BOS; i++)
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
	assert_near("nokmem: owner's memory.current after eviction",
		    (int64_t)cg_file(CHARGE_OWNER, "memory.current") - (int64_t)before,
		    -(int64_t)total);
	igt_assert_eq_u64(cg_stat(CHARGE_OWNER, "gem_zswap", true), 0);
	igt_assert_eq_u64(cg_file(CHARGE_PARENT, "memory.gem_zswap.current"), 0);

	join_cgroup(CHARGE_OTHER);
	other = cg_file(CHARGE_OTHER, "memory.current");
	check_all(ptr, size, 700);
	assert_near("nokmem: the toucher's memory.current after it restored the BOs",
		    (int64_t)cg_file(CHARGE_OTHER, "memory.current") - (int64_t)other,
		    (int64_t)total);

	for (int i = 0; i < CHARGE_BOS; i++) {
		munmap(ptr[i], size);
		gem_close(fd, bo[i].handle);
	}
	charge_cleanup();
}

/*
 * The task, in CHARGE_OTHER, reads the evicted BOs: @payer's usage rises
 * by @gain, the BOs' pages less their copies, and CHARGE_OTHER's not.
 */
static void restore_elsewhere(void **ptr, uint64_t size, const char *payer,
			      uint64_t gain, const char *what)
{
	uint64_t before = cg_file(payer, "memory.current");
	uint64_t other = cg_file(CHARGE_OTHER, "memory.current");

	check_all(ptr, size, 700);
	assert_near(what, (int64_t)cg_file(payer, "memory.current") - (int64_t)before,
		    (int64_t)gain);
	assert_near("the other cgroup's memory.current",
		    (int64_t)cg_file(CHARGE_OTHER, "memory.current") - (int64_t)other, 0);
	igt_assert_eq_u64(cg_stat(payer, "gem_zswap", true), 0);
	igt_assert_eq_u64(cg_stat(payer, "gem_zswapped", false), 0);
}

static void cgroup_charge(int fd)
{
	const uint64_t size = (uint64_t)CHARGE_BO_MB << 20, total = CHARGE_BOS * size;
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo[CHARGE_BOS];
	void *ptr[CHARGE_BOS];
	uint64_t copy, pool, limit, before;
	int evicted = 0, refused = 0;
	char buf[32];

	/* cgroup.memory=nokmem: no obj_cgroups, and nothing charged. */
	if (igt_gem_zswap_cmdline_has("cgroup.memory=nokmem")) {
		cgroup_charge_nokmem(fd);
		return;
	}
	charge_setup(fd, bo, ptr, size);

	/* 1. Evicted: the copy replaces the pages in the owner's usage. */
	igt_gem_zswap_read_stats(fd, &s0);
	before = cg_file(CHARGE_OWNER, "memory.current");
	for (int i = 0; i < CHARGE_BOS; i++)
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	copy = cg_stat(CHARGE_OWNER, "gem_zswap", true);
	igt_info("%d BOs of %d MiB evicted: memory.stat gem_zswap %" PRIu64 " KiB, "
		 "gem_zswapped %" PRIu64 " KiB; pool_bytes +%" PRIu64 " KiB\n",
		 CHARGE_BOS, CHARGE_BO_MB, copy >> 10,
		 cg_stat(CHARGE_OWNER, "gem_zswapped", false) >> 10,
		 (s1.pool_bytes - s0.pool_bytes) >> 10);
	/* Expected from the helper's own count of what the pool holds. */
	pool = s1.pool_bytes - s0.pool_bytes;
	assert_near("owner's memory.current after eviction",
		    (int64_t)cg_file(CHARGE_OWNER, "memory.current") - (int64_t)before,
		    -(int64_t)(total - pool));
	igt_assert_eq_u64(cg_stat(CHARGE_OWNER, "gem_zswapped", false), total);
	igt_assert_eq_u64(cg_stat(CHARGE_PARENT, "gem_zswap", false), copy);
	/* The limit's counter: each copy rounded up to pages. */
	igt_assert(cg_file(CHARGE_OWNER, "memory.gem_zswap.current") >= copy &&
		   cg_file(CHARGE_OWNER, "memory.gem_zswap.current") <= copy +
		   CHARGE_BOS * 4096);
	/* What is charged is what the device's pool_bytes counts, exactly. */
	igt_assert_eq_u64(copy, pool);
	igt_assert(copy <= total / 8 * 7);

	/* 2. Another cgroup reads them: the restored pages are the owner's. */
	join_cgroup(CHARGE_OTHER);
	restore_elsewhere(ptr, size, CHARGE_OWNER, total - pool,
			  "owner's memory.current after another cgroup restored its BOs");

	/*
	 * 3. A limit on the parent, room for two and a half copies: the
	 * owner's evictions past it are refused and counted, the BOs stay.
	 */
	/* 0: nothing is evicted, nothing compressed. */
	igt_assert_eq(igt_gem_zswap_write_file(CHARGE_PARENT "/memory.gem_zswap.max", "0"), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < CHARGE_BOS; i++)
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), -EDQUOT);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.reject_cgroup_limit - s0.reject_cgroup_limit, CHARGE_BOS);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(cg_file(CHARGE_PARENT, "memory.gem_zswap.current"), 0);

	limit = copy / CHARGE_BOS * 5 / 2 / 4096 * 4096;
	snprintf(buf, sizeof(buf), "%" PRIu64, limit);
	igt_assert_eq(igt_gem_zswap_write_file(CHARGE_PARENT "/memory.gem_zswap.max", buf), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < CHARGE_BOS; i++) {
		int ret = igt_gem_zswap_evict(fd, bo[i].handle);

		igt_assert_f(!ret || ret == -EDQUOT, "eviction %d: %s\n", i, strerror(-ret));
		evicted += !ret;
		refused += ret == -EDQUOT;
	}
	igt_gem_zswap_read_stats(fd, &s1);
	copy = cg_file(CHARGE_PARENT, "memory.gem_zswap.current");
	igt_info("memory.gem_zswap.max %" PRIu64 " KiB: %d evicted, %d refused "
		 "(reject_cgroup_limit +%" PRIu64 "), gem_zswap.current %" PRIu64 " KiB\n",
		 limit >> 10, evicted, refused,
		 s1.reject_cgroup_limit - s0.reject_cgroup_limit, copy >> 10);
	igt_assert_eq(evicted, 2);
	igt_assert_eq(refused, CHARGE_BOS - 2);
	igt_assert_eq_u64(s1.reject_cgroup_limit - s0.reject_cgroup_limit, refused);
	igt_assert(copy <= limit);
	check_all(ptr, size, 700);
	igt_assert_eq(igt_gem_zswap_write_file(CHARGE_PARENT "/memory.gem_zswap.max", "max"), 0);

	/*
	 * 4. The owner is removed while its BOs are evicted: the copies are
	 * charged to the parent, and so are the pages restored.
	 */
	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < CHARGE_BOS; i++)
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	pool = s1.pool_bytes - s0.pool_bytes;
	copy = cg_stat(CHARGE_OWNER, "gem_zswap", true);
	igt_assert_eq_u64(copy, pool);
	igt_assert_eq(rmdir(CHARGE_OWNER), 0);
	igt_assert_eq_u64(cg_stat(CHARGE_PARENT, "gem_zswap", false), copy);
	restore_elsewhere(ptr, size, CHARGE_PARENT, total - pool,
			  "parent's memory.current after its removed child's BOs were restored");

	for (int i = 0; i < CHARGE_BOS; i++) {
		munmap(ptr[i], size);
		gem_close(fd, bo[i].handle);
	}
	charge_cleanup();
}

/*
 * A fault that restores an evicted BO into a cgroup at its limit.  The
 * pages are charged to the BO's cgroup, which makes room for them as for
 * any page a fault needs: by reclaim, then by its OOM killer.  When no
 * task is left there to kill, they are charged to the faulting task's
 * cgroup instead, as shmem charges a page it reads in.  Either way the
 * fault ends and the BO is intact; it must never return VM_FAULT_OOM
 * without a kill ("VM_FAULT_OOM leaked out to the #PF handler"), for the
 * CPU then takes the same fault again, forever.  The restore needs room
 * for the pages while the copy still holds its charge: the 48 MiB texture
 * and its copy of about 30 MiB do not fit under 64 MiB together.
 */
#define FAULT_CG	"/sys/fs/cgroup/vgem_zswap_fault"
#define FAULT_READER	"/sys/fs/cgroup/vgem_zswap_fault_reader"
#define FAULT_CG_MB	64
#define FAULT_BO_MB	48
#define FAULT_ANON_MB	24
#define FAULT_WAIT_S	30

static void *fault_ptr;

static void fault_cleanup(void)
{
	join_cgroup("/sys/fs/cgroup");
	rmdir(FAULT_CG);
	rmdir(FAULT_READER);
}

/* In the cgroup: anonymous memory, then one byte of the evicted BO. */
static int fault_toucher(int unused)
{
	const size_t anon = (size_t)FAULT_ANON_MB << 20;
	const uint8_t *bo = fault_ptr;
	uint8_t want[4096];
	char *p = malloc(anon);

	if (!p)
		return 13;
	memset(p, 1, anon);
	/* The pages are charged now, and the compiler must not drop them. */
	asm volatile("" : : "r"(p) : "memory");
	fill(want, sizeof(want), TEXTURE, 950);
	return bo[0] == want[0] ? 0 : 14;
}

/* Anywhere else: the whole BO, checked. */
static int fault_reader(int unused)
{
	const uint64_t size = (uint64_t)FAULT_BO_MB << 20;

	return check(fault_ptr, size, TEXTURE, 950) == size ? 0 : 15;
}

/* @pid's wait status, or -1 if it has not ended within FAULT_WAIT_S. */
static int wait_bounded(pid_t pid)
{
	int status;

	for (int i = 0; i < FAULT_WAIT_S * 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		igt_assert(r >= 0);
		if (r == pid)
			return status;
		usleep(100 * 1000);
	}
	kill(pid, SIGKILL);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	return -1;
}

static void fault_at_limit(int fd)
{
	const uint64_t size = (uint64_t)FAULT_BO_MB << 20;
	const uint64_t limit = (uint64_t)FAULT_CG_MB << 20;
	struct igt_gem_zswap_stats s0, s1;
	uint64_t oom0, kills0, copy, paid;
	struct vgem_bo bo;
	char value[32];
	int status, err;

	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	fault_cleanup();
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	igt_assert_eq(mkdir(FAULT_CG, 0755), 0);
	igt_assert_eq(mkdir(FAULT_READER, 0755), 0);
	snprintf(value, sizeof(value), "%" PRIu64, limit);
	igt_assert_eq(igt_gem_zswap_write_file(FAULT_CG "/memory.max", value), 0);
	/* Nothing to swap out: only the OOM killer makes room. */
	if (!access(FAULT_CG "/memory.swap.max", W_OK))
		igt_assert_eq(igt_gem_zswap_write_file(FAULT_CG "/memory.swap.max", "0"), 0);

	/*
	 * The BO's pages are the cgroup's, and so its copy.  Back in the root
	 * cgroup before any assertion, so that a failure leaves this process
	 * out of the limited cgroup for the next subtests.
	 */
	join_cgroup(FAULT_CG);
	bo = (struct vgem_bo){ .width = 1024, .height = size / 4096, .bpp = 32 };
	err = __vgem_create(fd, &bo);
	fault_ptr = err ? NULL : __vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
	if (fault_ptr) {
		fill(fault_ptr, size, TEXTURE, 950);
		err = igt_gem_zswap_evict(fd, bo.handle);
	}
	join_cgroup("/sys/fs/cgroup");
	igt_assert_f(fault_ptr, "no BO: %d\n", err);
	igt_assert_eq(err, 0);
	copy = cg_stat(FAULT_CG, "gem_zswap", true);
	igt_info("%d MiB texture evicted into %" PRIu64 " KiB charged to a cgroup of "
		 "%d MiB\n", FAULT_BO_MB, copy >> 10, FAULT_CG_MB);
	/* Else the reader's restore would fit, and nothing would be shown. */
	igt_assert_f(copy + size > limit, "the copy of %" PRIu64 " KiB leaves room "
		     "for the BO\n", copy >> 10);
	igt_gem_zswap_read_stats(fd, &s0);
	kills0 = cg_event(FAULT_CG, "oom_kill");

	/* The copy and the anonymous memory fit, the BO's pages too do not. */
	status = wait_bounded(spawn_in(FAULT_CG, fault_toucher, 0));
	igt_info("a toucher in the full cgroup: status %#x, oom_kill %+" PRId64
		 ", memory.current %" PRIu64 " KiB\n", status,
		 (int64_t)(cg_event(FAULT_CG, "oom_kill") - kills0),
		 cg_file(FAULT_CG, "memory.current") >> 10);
	igt_assert_f(status != -1, "the toucher still faulted after %d s, not "
		     "OOM-killed\n", FAULT_WAIT_S);
	igt_assert_f(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		     "the toucher: status %#x, not killed by its cgroup's OOM killer\n",
		     status);
	igt_assert_eq_u64(cg_event(FAULT_CG, "oom_kill") - kills0, 1);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_lt_u64(s0.restore_nomem, s1.restore_nomem);

	/*
	 * No task left in it to kill: its OOM killer runs and gives up, and
	 * the reader's cgroup pays for the pages.
	 */
	oom0 = cg_event(FAULT_CG, "oom");
	status = wait_bounded(spawn_in(FAULT_READER, fault_reader, 0));
	paid = cg_file(FAULT_READER, "memory.current");
	igt_info("a reader in another cgroup: status %#x, OOM %+" PRId64 " without a "
		 "kill; the full cgroup's memory.current %" PRIu64 " KiB, the "
		 "reader's %" PRIu64 " KiB\n", status,
		 (int64_t)(cg_event(FAULT_CG, "oom") - oom0),
		 cg_file(FAULT_CG, "memory.current") >> 10, paid >> 10);
	igt_assert_f(status != -1, "the reader still faulted after %d s\n", FAULT_WAIT_S);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "the reader: status %#x (15: the BO differs)\n", status);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos - 1);
	igt_assert_lt_u64(oom0, cg_event(FAULT_CG, "oom"));
	igt_assert_eq_u64(cg_event(FAULT_CG, "oom_kill") - kills0, 1);
	/* The BO's pages, less or more what the reader's exit left. */
	igt_assert_f(paid > size - size / 8 && paid < size + size / 8,
		     "the reader's cgroup holds %" PRIu64 " KiB, not the BO's %"
		     PRIu64 " KiB\n", paid >> 10, size >> 10);
	igt_assert_lt_u64(cg_file(FAULT_CG, "memory.current"), size / 8);

	munmap(fault_ptr, size);
	gem_close(fd, bo.handle);
	fault_cleanup();
}

#define LARGE_BO_MB	128
#define LARGE_TEXTURE_MB	8

/*
 * One eviction holds at most 1/64 of RAM, and at least 64 MiB, before it
 * frees the BO's pages: a 128 MiB texture, whose copy would hold more
 * than that although less than 7/8 of the BO, is refused; the same BO
 * with only its first 8 MiB a texture and the rest cleared is evicted.
 */
static void large_bo(int fd)
{
	const uint64_t size = (uint64_t)LARGE_BO_MB << 20;
	uint64_t bound = meminfo_bytes("MemTotal") >> 6;
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo;
	uint8_t *ptr;
	int ret;

	if (bound < 64 << 20)
		bound = 64 << 20;
	/* The texture's copy holds about 64% of it. */
	igt_require_f(bound <= size / 2, "a %" PRIu64 " MiB bound leaves a %d MiB texture's "
		      "copy under it\n", bound >> 20, LARGE_BO_MB);

	ptr = create_filled(fd, &bo, size, TEXTURE, 1100);
	igt_gem_zswap_read_stats(fd, &s0);
	ret = igt_gem_zswap_evict(fd, bo.handle);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("%d MiB texture, one eviction bounded to %" PRIu64 " MiB: %s\n",
		 LARGE_BO_MB, bound >> 20, ret ? strerror(-ret) : "evicted");
	igt_assert_eq(ret, -E2BIG);
	igt_assert_eq_u64(s1.reject_incompressible - s0.reject_incompressible, 1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.pool_bytes, s0.pool_bytes);
	assert_contents(ptr, size, TEXTURE, 1100);
	munmap(ptr, size);
	gem_close(fd, bo.handle);

	ptr = create_filled(fd, &bo, size, ZERO, 0);
	texture_fill(ptr, (uint64_t)LARGE_TEXTURE_MB << 20, 1101);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("%d MiB, its first %d MiB a texture: evicted into %" PRIu64 " KiB\n",
		 LARGE_BO_MB, LARGE_TEXTURE_MB,
		 (s1.compressed_bytes - s0.compressed_bytes) >> 10);
	igt_assert(s1.compressed_bytes - s0.compressed_bytes <= bound);
	igt_assert_eq_u64(check(ptr, (uint64_t)LARGE_TEXTURE_MB << 20, TEXTURE, 1101),
			  (uint64_t)LARGE_TEXTURE_MB << 20);
	for (uint64_t i = (uint64_t)LARGE_TEXTURE_MB << 20; i < size; i += 4096)
		igt_assert_f(!ptr[i] && !memcmp(ptr + i, ptr + i + 1, 4095),
			     "byte %" PRIu64 " not cleared after restore\n", i);
	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

#define STRESS_BOS	1000
#define STRESS_LIVE	64
#define STRESS_SECONDS	10

struct stress_bo {
	struct vgem_bo bo;
	void *ptr;
	uint64_t seed;
};

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * One process: up to STRESS_LIVE BOs at a time, STRESS_BOS in all, random
 * create, write, evict, read and close until the time is up.  Returns 0, or
 * what went wrong.
 */
static int stress_process(uint64_t seed, int *created)
{
	struct stress_bo live[STRESS_LIVE] = { };
	time_t end = time(NULL) + STRESS_SECONDS;
	uint64_t x = seed | 1, client;
	int fd;

	/* A forked child: nothing here may assert. */
	fd = __drm_open_driver(DRIVER_VGEM);
	if (fd < 0)
		return 8;
	client = __igt_drm_client_id(fd);
	if (!client)
		return 9;
	*created = 0;
	while (time(NULL) < end || *created < STRESS_BOS / 2) {
		struct stress_bo *b = &live[next(&x) % STRESS_LIVE];
		uint64_t size = 4096 << (next(&x) % 5);
		int ret;

		if (*created >= STRESS_BOS / 2 && !b->ptr)
			continue;
		if (!b->ptr) {
			b->bo = (struct vgem_bo){ .width = 1024, .height = size / 4096, .bpp = 32 };
			if (__vgem_create(fd, &b->bo))
				return 1;
			b->ptr = __vgem_mmap(fd, &b->bo, PROT_READ | PROT_WRITE);
			if (!b->ptr)
				return 2;
			b->seed = next(&x);
			texture_fill(b->ptr, b->bo.size, b->seed);
			(*created)++;
			continue;
		}
		switch (next(&x) % 4) {
		case 0:
			b->seed = next(&x);
			texture_fill(b->ptr, b->bo.size, b->seed);
			break;
		case 1:
			ret = __igt_gem_zswap_evict(fd, client, b->bo.handle);
			/* Evicted already, or left alone for a while: both fine. */
			if (ret && ret != -EALREADY && ret != -E2BIG)
				return 3;
			break;
		case 2:
			if (check(b->ptr, b->bo.size, TEXTURE, b->seed) != b->bo.size)
				return 4;
			break;
		default:
			if (check(b->ptr, b->bo.size, TEXTURE, b->seed) != b->bo.size)
				return 5;
			munmap(b->ptr, b->bo.size);
			if (__gem_close(fd, b->bo.handle))
				return 10;
			b->ptr = NULL;
			break;
		}
	}
	for (int i = 0; i < STRESS_LIVE; i++)
		if (live[i].ptr &&
		    check(live[i].ptr, live[i].bo.size, TEXTURE, live[i].seed) != live[i].bo.size)
			return 6;
	close(fd);
	return 0;
}

static void stress(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	pid_t pid[2];
	int status;

	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		igt_assert(pid[i] >= 0);
		if (!pid[i]) {
			int created, ret = stress_process(0x5eed + i, &created);

			_exit(ret ? ret : created >= STRESS_BOS / 2 ? 0 : 7);
		}
	}
	for (int i = 0; i < 2; i++) {
		igt_assert_eq(waitpid(pid[i], &status, 0), pid[i]);
		igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status),
			     "process %d: status %#x (3 evict, 4/5/6 contents)\n", i, status);
	}
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("%d BOs from two processes in %d s: %" PRIu64 " evictions, %" PRIu64
		 " restores\n", STRESS_BOS, STRESS_SECONDS, s1.evictions - s0.evictions,
		 s1.restores - s0.restores);
	igt_assert(s1.evictions > s0.evictions);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.restore_failures, s0.restore_failures);
}

static void bad_input(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo;
	uint32_t imported;
	void *ptr;
	int other, dfd;

	ptr = create_filled(fd, &bo, 64 << 10, TEXTURE, 61);
	igt_gem_zswap_read_stats(fd, &s0);

	igt_assert_eq(igt_gem_zswap_evict(fd, 0), -ENOENT);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle + 1000), -ENOENT);

	/* A closed BO is gone for the debugfs file too. */
	munmap(ptr, bo.size);
	gem_close(fd, bo.handle);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -ENOENT);

	/* A BO imported from another driver is never touched. */
	other = __drm_open_driver(DRIVER_VIRTIO);
	if (other >= 0) {
		struct drm_mode_create_dumb dumb = { .width = 64, .height = 64, .bpp = 32 };

		igt_assert_eq(drmIoctl(other, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
		igt_assert_eq(drmPrimeHandleToFD(other, dumb.handle, DRM_CLOEXEC, &dfd), 0);
		igt_assert_eq(drmPrimeFDToHandle(fd, dfd, &imported), 0);
		igt_assert_eq(igt_gem_zswap_evict(fd, imported), -EINVAL);
		gem_close(fd, imported);
		close(dfd);
		gem_close(other, dumb.handle);
		close(other);
	} else {
		igt_info("no second driver here: the imported case is left out\n");
	}

	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert(!memcmp(&s0, &s1, sizeof(s0)));
}

static void bad_commands(int fd)
{
	char path[128];
	struct stat st;
	int dfd, ret;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/drm_gem_zswap_evict",
		 minor(st.st_rdev));
	dfd = open(path, O_WRONLY);
	igt_assert_fd(dfd);
	igt_assert_eq(write(dfd, "evict", 5), -1);
	igt_assert_eq(errno, EINVAL);
	igt_assert_eq(write(dfd, "12", 2), -1);
	igt_assert_eq(errno, EINVAL);
	/* A client id nobody has. */
	igt_assert_eq(write(dfd, "999999999 1", 11), -1);
	igt_assert_eq(errno, ESRCH);
	close(dfd);

	/*
	 * A delay names its window and stays within a second; a kernel
	 * without CONFIG_DRM_GEM_ZSWAP_DEBUG refuses every delay.
	 */
	ret = igt_gem_zswap_debugfs_cmd(fd, "delay detach 0");
	if (ret == -EOPNOTSUPP) {
		igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay attach 0"), -EOPNOTSUPP);
		return;
	}
	igt_assert_eq(ret, 0);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay attach 1000000"), 0);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay  attach  0"), 0);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay 1000"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay sideways 1000"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay attach"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay attach soon"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay detach 1000001"), -EINVAL);
}

/* A damaged stored copy: -EIO and SIGBUS, never garbage, nothing else hurt. */

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_jmp, 1);
}

/* Whether reading the first byte at @ptr raises SIGBUS. */
static bool read_faults(const uint8_t *ptr)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool faulted = false;

	igt_assert_eq(sigaction(SIGBUS, &sa, &old), 0);
	if (sigsetjmp(sigbus_jmp, 1)) {
		faulted = true;
	} else {
		uint8_t v = ptr[0];

		/* Nothing uses the byte: keep the load all the same. */
		asm volatile("" : : "r"(v));
	}
	igt_assert_eq(sigaction(SIGBUS, &old, NULL), 0);
	return faulted;
}

static void corrupt(int fd)
{
	const uint64_t size = 1 << 20;
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo[3];
	uint8_t *ptr[3];
	int ret, dfd;

	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < 3; i++) {
		ptr[i] = create_filled(fd, &bo[i], size, TEXTURE, 60 + i);
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
	}
	ret = igt_gem_zswap_corrupt(fd, bo[0].handle, 1000);
	igt_require_f(ret != -EOPNOTSUPP, "kernel without CONFIG_DRM_GEM_ZSWAP_DEBUG\n");
	igt_assert_eq(ret, 0);
	igt_assert_eq(igt_gem_zswap_corrupt(fd, bo[1].handle, 0), 0);
	/* Past the end of the stream, or of a BO that is not evicted: refused. */
	igt_assert_eq(igt_gem_zswap_corrupt(fd, bo[2].handle, size * 2), -EINVAL);

	/* A faulting mapping gets SIGBUS, now and every time after. */
	igt_assert(read_faults(ptr[0]));
	igt_assert(read_faults(ptr[0] + size - 1));
	/* Exporting needs the pages: -EIO. */
	igt_assert_eq(drmPrimeHandleToFD(fd, bo[1].handle, DRM_CLOEXEC, &dfd), -1);
	igt_assert_eq(errno, EIO);
	igt_assert(read_faults(ptr[1]));

	/* The third BO, stored beside them, comes back whole. */
	assert_contents(ptr[2], size, TEXTURE, 62);
	igt_assert_eq(igt_gem_zswap_corrupt(fd, bo[2].handle, 0), -EINVAL);

	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("restore failures %" PRIu64 ", restores %" PRIu64 "\n",
		 s1.restore_failures - s0.restore_failures, s1.restores - s0.restores);
	igt_assert_eq_u64(s1.restore_failures - s0.restore_failures, 2);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);
	/* A lost BO holds no pool memory. */
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);

	for (int i = 0; i < 3; i++) {
		munmap(ptr[i], size);
		gem_close(fd, bo[i].handle);
	}
}

/*
 * A lost BO fails every use at once: it gets no pages for a restore that
 * cannot succeed, and holds none afterwards.  Getting them would also
 * leave them in the BO's shmem file: 32 MiB held for nothing.
 */
static void corrupt_lost_cheap(int fd)
{
	const uint64_t size = 32 << 20;
	uint64_t before, grown;
	struct vgem_bo bo;
	uint8_t *ptr;
	int ret;

	ptr = create_filled(fd, &bo, size, TEXTURE, 64);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	ret = igt_gem_zswap_corrupt(fd, bo.handle, 4096);
	igt_require_f(ret != -EOPNOTSUPP, "kernel without CONFIG_DRM_GEM_ZSWAP_DEBUG\n");
	igt_assert_eq(ret, 0);

	before = (meminfo_bytes("Shmem") >> 10);
	for (int i = 0; i < 16; i++)
		igt_assert(read_faults(ptr + i * (size / 16)));
	grown = (meminfo_bytes("Shmem") >> 10) - before;
	igt_info("16 touches of a lost BO of %" PRIu64 " KiB: Shmem grew by %" PRId64 " KiB\n",
		 size >> 10, (int64_t)grown);
	igt_assert_f((int64_t)grown < (int64_t)(size >> 10) / 8,
		     "the lost BO holds %" PRIu64 " KiB of shmem pages\n", grown);

	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

#define METER_BOS	8
#define METER_BO_MB	4
/* The entries' slab, and pages in flight. */
#define METER_SLACK	(2 << 20)
#define METER_SETTLE	(METER_SLACK / 16)
#define METER_SETTLE_MS	1000
#define METER_SETTLE_TRIES	30

/* A /proc/meminfo line in bytes, with every CPU's pending deltas folded in. */
static uint64_t meminfo_now(const char *key)
{
	igt_gem_zswap_write_file("/proc/sys/vm/stat_refresh", "1");
	return meminfo_bytes(key);
}

/* The free pages the CPUs keep aside, which MemFree leaves out. */
static uint64_t pcp_bytes(void)
{
	char line[256];
	uint64_t pages = 0, n;
	FILE *f = fopen("/proc/zoneinfo", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %" SCNu64, &n) == 1)
			pages += n;
	fclose(f);
	return pages * 4096;
}

/*
 * Gives every slab cache's free slabs back, and with KASAN the objects its
 * quarantine holds: freed memory that a debug kernel keeps for a while and
 * a normal one does not, megabytes after the frees of an eviction.
 */
static void shrink_slabs(void)
{
	DIR *dir = opendir("/sys/kernel/slab");
	struct dirent *d;

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		char path[320];
		int fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", d->d_name);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		igt_assert_eq(write(fd, "1", 1), 1);
		close(fd);
	}
	closedir(dir);
}

/*
 * MemAvailable and the pages on the CPUs' lists, which it leaves out as
 * MemFree does: a burst of frees moves tens of megabytes between them and
 * the free lists.  Both are read back to back after one refresh: each
 * refresh also drains some of the CPUs' lists, so a refresh between the
 * two reads would move megabytes from one term to the other.
 */
static uint64_t available_bytes(void)
{
	uint64_t pcp;

	shrink_slabs();
	igt_gem_zswap_write_file("/proc/sys/vm/stat_refresh", "1");
	pcp = pcp_bytes();
	return meminfo_bytes("MemAvailable") + pcp;
}

/*
 * available_bytes() once it has stopped moving.  On a debug kernel memory
 * that earlier tests freed reaches the free lists late (RCU callbacks,
 * kmemleak's and debugobjects' deferred frees, the state of a removed
 * cgroup), megabytes over seconds: read until two reads METER_SETTLE_MS
 * apart agree within METER_SETTLE, so that a drift faster than a sixteenth
 * of the slack per second is waited out, for METER_SETTLE_TRIES reads at
 * most.  The pools' own counts are checked exactly besides.
 */
static uint64_t settled_available_bytes(void)
{
	uint64_t prev = available_bytes(), now = prev;

	for (int i = 0; i < METER_SETTLE_TRIES; i++) {
		usleep(METER_SETTLE_MS * 1000);
		now = available_bytes();
		if (llabs((int64_t)(now - prev)) <= METER_SETTLE)
			return now;
		igt_info("MemAvailable still moving: %+" PRId64 " KiB in %d ms\n",
			 ((int64_t)now - (int64_t)prev) / 1024, METER_SETTLE_MS);
		prev = now;
	}
	igt_warn("MemAvailable did not settle in %d s\n",
		 METER_SETTLE_TRIES * METER_SETTLE_MS / 1000);
	return now;
}

/* Both system-wide views of the pools against the helper's own count. */
static void check_system_counters(uint64_t stored)
{
	uint64_t pool = meminfo_now("GemZswap");

	igt_info("GemZswap %" PRIu64 " kB, GemZswapped %" PRIu64 " kB; pool_total_size "
		 "%" PRIu64 " kB\n", pool >> 10, meminfo_now("GemZswapped") >> 10,
		 igt_gem_zswap_global_stat("pool_total_size") >> 10);
	igt_assert_eq_u64(meminfo_now("GemZswapped"), stored);
	igt_assert_eq_u64(igt_gem_zswap_proc_u64("/proc/vmstat", "nr_gem_zswapped") * 4096,
			  stored);
	igt_assert_eq_u64(pool, igt_gem_zswap_global_stat("pool_total_size"));
	igt_assert_eq_u64(igt_gem_zswap_proc_u64("/proc/vmstat", "nr_gem_zswap") * 4096, pool);
}

/*
 * /proc/meminfo and /proc/vmstat show what the pools hold and the bytes of
 * BOs they replace, as for zswap; MemAvailable rises by what an eviction
 * freed less what the pool took, for the pool's pages are neither free nor
 * reclaimable.
 */
static void system_counters(int fd)
{
	const uint64_t size = (uint64_t)METER_BO_MB << 20, total = METER_BOS * size;
	uint64_t stored0, pool0, avail0, pool;
	struct vgem_bo bo[METER_BOS];
	void *ptr[METER_BOS];
	int64_t gained;

	for (int i = 0; i < METER_BOS; i++)
		ptr[i] = create_filled(fd, &bo[i], size, i % 2 ? TEXTURE : SAME, 900 + i);
	stored0 = meminfo_now("GemZswapped");
	pool0 = meminfo_now("GemZswap");
	check_system_counters(stored0);
	avail0 = settled_available_bytes();

	for (int i = 0; i < METER_BOS; i++)
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
	gained = (int64_t)settled_available_bytes() - (int64_t)avail0;
	pool = meminfo_now("GemZswap") - pool0;
	igt_info("%d BOs of %d MiB evicted into %" PRIu64 " KiB of pool: MemAvailable "
		 "%+" PRId64 " KiB, expected %+" PRId64 " KiB\n", METER_BOS, METER_BO_MB,
		 pool >> 10, gained / 1024, (int64_t)(total - pool) / 1024);
	check_system_counters(stored0 + total);
	igt_assert(pool > 0 && pool < total / 2);
	igt_assert_f(llabs(gained - (int64_t)(total - pool)) <= METER_SLACK,
		     "MemAvailable %+" PRId64 " KiB, not %+" PRId64 " KiB\n",
		     gained / 1024, (int64_t)(total - pool) / 1024);

	for (int i = 0; i < METER_BOS; i++) {
		assert_contents(ptr[i], size, i % 2 ? TEXTURE : SAME, 900 + i);
		munmap(ptr[i], size);
		gem_close(fd, bo[i].handle);
	}
	check_system_counters(stored0);
}

/* Permissions: who may read and change what drm_gem_zswap exposes. */

static const char * const tunables[] = {
	"enabled", "compressor", "zpool", "max_pool_percent"
};

static bool is_tunable(const char *name)
{
	if (strncmp(name, "zswap_", 6))
		return false;
	name += 6;
	for (unsigned int i = 0; i < ARRAY_SIZE(tunables); i++)
		if (!strcmp(name, tunables[i]))
			return true;
	return false;
}

/*
 * Neither a kernel address (a 64-bit word starting with ffff) nor anything
 * but counters and names: @path is read whole and scanned.
 */
static void check_no_address(const char *path)
{
	char buf[8192];
	int run = 0, f = open(path, O_RDONLY);
	ssize_t n;

	if (f < 0)
		return;	/* write-only */
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	igt_assert_f(n >= 0, "%s: %s\n", path, strerror(errno));
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++) {
		run = isxdigit((unsigned char)buf[i]) ? run + 1 : 0;
		igt_assert_f(run < 16 || strncasecmp(&buf[i - 15], "ffff", 4),
			     "%s shows what looks like a kernel address: %.16s\n",
			     path, &buf[i - 15]);
	}
}

static int check_dir(const char *dir, mode_t stats_mode, bool tunables)
{
	struct dirent *de;
	char path[512];
	int files = 0;
	DIR *d;

	d = opendir(dir);
	igt_assert_f(d, "%s: %s\n", dir, strerror(errno));
	while ((de = readdir(d))) {
		mode_t want = tunables && is_tunable(de->d_name) ? 0644 : stats_mode;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		igt_assert_eq(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			files += check_dir(path, stats_mode, false);
			continue;
		}
		igt_assert_f((st.st_mode & 07777) == want && st.st_uid == 0,
			     "%s: mode %o, owner %u; expected %o, root\n", path,
			     st.st_mode & 07777, st.st_uid, want);
		check_no_address(path);
		files++;
	}
	closedir(d);
	return files;
}

/* Exit codes of the children below: which step let them through. */
enum { PERM_OK, PERM_TUNABLE, PERM_DEBUGFS, PERM_STATS, PERM_SETUP };

static int write_value(const char *path, const char *value)
{
	int f = open(path, O_WRONLY), err;

	if (f < 0)
		return -errno;
	err = write(f, value, strlen(value)) < 0 ? -errno : 0;
	close(f);
	return err;
}

/* The DRM file the children below read their own fdinfo of. */
static int perm_fd = -1;

/*
 * An ordinary user: no tunable, no debugfs, and its own DRM file's memory
 * keys readable in fdinfo, as a task manager reads them.
 */
static int unprivileged(const char *debugfs, const char *unused)
{
	char path[256];

	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return PERM_SETUP;
	for (unsigned int i = 0; i < ARRAY_SIZE(tunables); i++)
		if (write_value(igt_gem_zswap_param_path(tunables[i], path, sizeof(path)),
				"1") != -EACCES)
			return PERM_TUNABLE;
	if (write_value(debugfs, "all") != -EACCES)
		return PERM_DEBUGFS;
	if (igt_gem_zswap_fdinfo_bytes(0, perm_fd, "drm-total-memory") <= 0 ||
	    igt_gem_zswap_fdinfo_bytes(0, perm_fd, "drm-resident-memory") < 0)
		return PERM_STATS;
	return PERM_OK;
}

/*
 * Root without CAP_SYS_ADMIN: the files open, the writes are refused,
 * each with a value that would be valid.
 */
static int no_sys_admin(const char *debugfs, const char *unused)
{
	static const char * const values[] = { "1", "lz4", "zblock", "20" };
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	char path[256];

	if (syscall(SYS_capget, &hdr, data))
		return PERM_SETUP;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return PERM_SETUP;
	for (unsigned int i = 0; i < ARRAY_SIZE(tunables); i++)
		if (write_value(igt_gem_zswap_param_path(tunables[i], path, sizeof(path)),
				values[i]) != -EPERM)
			return PERM_TUNABLE;
	if (write_value(debugfs, "all") != -EPERM)
		return PERM_DEBUGFS;
	return PERM_OK;
}

static int run_child(int (*fn)(const char *, const char *), const char *a, const char *b)
{
	int status;
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (!pid)
		_exit(fn(a, b));
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void permissions(int fd)
{
	char dev_dir[128], debugfs[128];
	struct vgem_bo bo;
	struct stat st;
	int files;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(dev_dir, sizeof(dev_dir), "/sys/kernel/debug/dri/%u/drm_gem_zswap",
		 minor(st.st_rdev));
	snprintf(debugfs, sizeof(debugfs), "/sys/kernel/debug/dri/%u/drm_gem_zswap_evict",
		 minor(st.st_rdev));

	/* Tunables root's, counters read-only, the eviction file root's only. */
	files = check_dir(IGT_GEM_ZSWAP_PARAMS, 0444, true);
	files += check_dir(IGT_GEM_ZSWAP_DEBUGFS, 0444, false);
	files += check_dir(dev_dir, 0444, false);
	igt_assert_eq(stat(debugfs, &st), 0);
	igt_assert_eq(st.st_mode & 07777, 0600);
	check_no_address(debugfs);
	files++;
	if (!access("/sys/kernel/debug/zblock", F_OK))
		files += check_dir("/sys/kernel/debug/zblock", 0400, false);
	igt_info("%d files checked\n", files);

	/* A BO, so that the file has memory to show. */
	create(fd, &bo, 1 << 20);
	perm_fd = fd;
	igt_assert_eq(run_child(unprivileged, debugfs, NULL), PERM_OK);
	igt_assert_eq(run_child(no_sys_admin, debugfs, NULL), PERM_OK);
	gem_close(fd, bo.handle);
}

/*
 * fdinfo, as a task manager reads it: BOs of four sizes, written, so all
 * resident; two evicted, and drm-resident-memory drops by exactly their
 * sizes while drm-evicted-memory shows the same, for the process itself
 * and for another reading /proc/PID/fdinfo; faults bring them back one by
 * one.  A file of its own, so that no other subtest's BOs count.
 */
static void fdinfo(void)
{
	static const uint64_t sizes[] = { 64 << 10, 1 << 20, 2 << 20, 3 << 20 };
	int efd = drm_open_driver(DRIVER_VGEM), status;
	struct vgem_bo bo[ARRAY_SIZE(sizes)];
	void *ptr[ARRAY_SIZE(sizes)];
	int64_t total = 0, evicted;
	pid_t parent = getpid(), pid;

	igt_gem_zswap_assert_fdinfo(0, efd, 0, 0, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		ptr[i] = create_filled(efd, &bo[i], sizes[i], TEXTURE, 900 + i);
		total += sizes[i];
	}
	igt_gem_zswap_assert_fdinfo(0, efd, total, total, 0);

	igt_assert_eq(igt_gem_zswap_evict(efd, bo[1].handle), 0);
	igt_assert_eq(igt_gem_zswap_evict(efd, bo[3].handle), 0);
	evicted = sizes[1] + sizes[3];
	igt_gem_zswap_assert_fdinfo(0, efd, total, total - evicted, evicted);

	/* What gputop or a task manager in another process reads. */
	pid = fork();
	igt_assert(pid >= 0);
	if (!pid) {
		igt_gem_zswap_assert_fdinfo(parent, efd, total, total - evicted, evicted);
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status),
		     "the other process read other numbers\n");

	assert_contents(ptr[1], sizes[1], TEXTURE, 901);
	igt_gem_zswap_assert_fdinfo(0, efd, total, total - sizes[3], sizes[3]);
	assert_contents(ptr[3], sizes[3], TEXTURE, 903);
	igt_gem_zswap_assert_fdinfo(0, efd, total, total, 0);

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		munmap(ptr[i], sizes[i]);
		gem_close(efd, bo[i].handle);
	}
	igt_gem_zswap_assert_fdinfo(0, efd, 0, 0, 0);
	drm_close_driver(efd);
}

/* The stored pages of drm_gem_zswap's zblock pools, from zblock's debugfs. */
static uint64_t zblock_slot_bytes(void)
{
	uint64_t sum = 0, v;
	struct dirent *de;
	char path[512], line[128];
	DIR *d = opendir("/sys/kernel/debug/zblock");

	igt_require_f(d, "no /sys/kernel/debug/zblock\n");
	while ((de = readdir(d))) {
		FILE *f;

		if (strncmp(de->d_name, "drm_gem_zswap-", 14))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/debug/zblock/%s/stats", de->d_name);
		f = fopen(path, "r");
		igt_assert(f);
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "slot_bytes %" SCNu64, &v) == 1)
				sum += v;
		fclose(f);
	}
	closedir(d);
	return sum;
}

/* The parameters as they were before the subtest, put back by the last fixture. */
static char saved_params[ARRAY_SIZE(tunables)][32];
static bool params_saved;

/* Best effort, every one: a fixture must not stop at the first. */
static void restore_parameters(void)
{
	if (!params_saved)
		return;
	params_saved = false;
	for (unsigned int i = 0; i < ARRAY_SIZE(tunables); i++) {
		int err = igt_gem_zswap_set_param(tunables[i], saved_params[i]);

		if (err)
			igt_warn("zswap_%s not put back to %s: %s\n", tunables[i],
				 saved_params[i], strerror(-err));
	}
}

/*
 * The module parameters, written as root: each changes what the next
 * eviction does, shown by the counters; bad values are refused and change
 * nothing.  Everything is put back at the end, or by the last fixture if
 * an assertion stops the subtest: it runs last for that reason.
 */
static void parameters(int fd)
{
	char (*saved)[32] = saved_params, value[32];
	struct igt_gem_zswap_stats s0, s1;
	uint64_t comp_lz4, comp_zstd, slots;
	const uint64_t size = 1 << 20;
	struct vgem_bo bo;
	void *ptr;

	/* Before anything is changed: zblock's debugfs tells the backends apart. */
	slots = zblock_slot_bytes();
	for (unsigned int i = 0; i < ARRAY_SIZE(tunables); i++)
		igt_gem_zswap_get_param(tunables[i], saved[i], sizeof(saved[i]));
	params_saved = true;
	igt_info("zswap_enabled=%s zswap_compressor=%s zswap_zpool=%s "
		 "zswap_max_pool_percent=%s\n", saved[0], saved[1], saved[2], saved[3]);
	igt_assert_eq(igt_gem_zswap_set_param("compressor", "lz4"), 0);
	igt_assert_eq(igt_gem_zswap_set_param("zpool", "zblock"), 0);
	ptr = create_filled(fd, &bo, size, TEXTURE, 1000);

	/* Bad values: refused with the errors the ABI file names. */
	igt_assert_eq(igt_gem_zswap_set_param("compressor", "lz5"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_set_param("zpool", "nosuchpool"), -ENOENT);
	igt_assert_eq(igt_gem_zswap_set_param("max_pool_percent", "101"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_set_param("max_pool_percent", "-1"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_set_param("enabled", "maybe"), -EINVAL);
	igt_assert_eq(igt_gem_zswap_set_param("zpool", "a-name-longer-than-32-characters"),
		      -EINVAL);
	/* Spaces and echo's newline around a name are not part of it. */
	igt_assert_eq(igt_gem_zswap_set_param("zpool", " zblock\n"), 0);
	igt_assert_eq(igt_gem_zswap_set_param("compressor", " lz4\n"), 0);
	igt_gem_zswap_get_param("compressor", value, sizeof(value));
	igt_assert_eq(strcmp(value, "lz4"), 0);
	igt_gem_zswap_get_param("zpool", value, sizeof(value));
	igt_assert_eq(strcmp(value, "zblock"), 0);

	/* Disabled: the eviction is refused, nothing is counted. */
	igt_assert_eq(igt_gem_zswap_set_param("enabled", "N"), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -EOPNOTSUPP);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.evictions, s0.evictions);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq(igt_gem_zswap_set_param("enabled", "Y"), 0);

	/* The same BO, lz4 then zstd: zstd's stream is the shorter. */
	slots = zblock_slot_bytes();
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	comp_lz4 = s1.compressed_bytes - s0.compressed_bytes;
	/* Stored in zblock: its slots grew by the BO's pool objects. */
	igt_assert(zblock_slot_bytes() - slots >= comp_lz4);
	assert_contents(ptr, size, TEXTURE, 1000);
	igt_assert_eq(igt_gem_zswap_set_param("compressor", "zstd"), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	comp_zstd = s1.compressed_bytes - s0.compressed_bytes;
	igt_info("1 MiB texture: lz4 %" PRIu64 " bytes, zstd %" PRIu64 " bytes\n",
		 comp_lz4, comp_zstd);
	igt_assert(comp_zstd > 0 && comp_zstd < comp_lz4);
	assert_contents(ptr, size, TEXTURE, 1000);

	/* zsmalloc (both guests build it): the pools grow, zblock's do not. */
	igt_assert_eq(igt_gem_zswap_set_param("compressor", "lz4"), 0);
	igt_assert_eq(igt_gem_zswap_set_param("zpool", "zsmalloc"), 0);
	slots = zblock_slot_bytes();
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.compressed_bytes - s0.compressed_bytes, comp_lz4);
	igt_assert_eq_u64(zblock_slot_bytes(), slots);
	igt_gem_zswap_assert_pool_holds(fd);
	assert_contents(ptr, size, TEXTURE, 1000);
	igt_assert_eq(igt_gem_zswap_set_param("zpool", "zblock"), 0);

	/* No room in the pools: refused and counted. */
	igt_assert_eq(igt_gem_zswap_set_param("max_pool_percent", "0"), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -ENOSPC);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.reject_pool_limit - s0.reject_pool_limit, 1);
	igt_assert_eq_u64(s1.evictions, s0.evictions);

	for (unsigned int i = 0; i < ARRAY_SIZE(tunables); i++)
		igt_assert_eq(igt_gem_zswap_set_param(tunables[i], saved[i]), 0);
	params_saved = false;
	assert_contents(ptr, size, TEXTURE, 1000);
	munmap(ptr, size);
	gem_close(fd, bo.handle);
}

/* The kernel log so far, NUL-terminated, in @buf of @len bytes. */
static void read_kernel_log(char *buf, int len)
{
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len - 1);

	igt_assert_f(n >= 0, "klogctl: %s\n", strerror(errno));
	buf[n] = '\0';
}

/*
 * Parameters given on the kernel command line (the 2d-nokmem run gives
 * them, with zb.boot_params=1, and runs this first, before the OOM
 * reports of its other subtests fill the log): a bad value is logged by
 * the helper and ignored, so that the shmem helper still loads as a
 * module, and a good one is taken.  The kernel's own "invalid for
 * parameter" would mean the setter refused the value, which fails a
 * modprobe.
 */
static void boot_parameters(void)
{
	static const struct { const char *arg, *name, *want, *log; } cases[] = {
		{ "drm_shmem_helper.zswap_zpool=bogus", "zpool", "zblock",
		  "drm_gem_zswap: zpool bogus not available, using zblock" },
		{ "drm_shmem_helper.zswap_compressor=lz5", "compressor", "lz4",
		  "drm_gem_zswap: compressor lz5 not supported" },
		{ "drm_shmem_helper.zswap_enabled=maybe", "enabled", "Y",
		  "drm_gem_zswap: bad value for drm_shmem_helper.zswap_enabled: maybe" },
		{ "drm_shmem_helper.zswap_max_pool_percent=25", "max_pool_percent", "25", NULL },
	};
	static char log[1 << 20];
	char value[32];

	igt_require_f(igt_gem_zswap_cmdline_has("zb.boot_params=1"),
		      "booted without the test's drm_shmem_helper.zswap_* values\n");
	read_kernel_log(log, sizeof(log));
	igt_assert_f(!strstr(log, "invalid for parameter `drm_shmem_helper.zswap_"),
		     "a zswap_ parameter was refused at boot\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		igt_assert_f(igt_gem_zswap_cmdline_has(cases[i].arg), "%s not given\n",
			     cases[i].arg);
		igt_gem_zswap_get_param(cases[i].name, value, sizeof(value));
		igt_info("%s: zswap_%s reads %s\n", cases[i].arg, cases[i].name, value);
		igt_assert_f(!strcmp(value, cases[i].want), "zswap_%s is %s, expected %s\n",
			     cases[i].name, value, cases[i].want);
		igt_assert_f(!cases[i].log || strstr(log, cases[i].log),
			     "no \"%s\" in the kernel log\n", cases[i].log);
	}
}

/*
 * Fault injection: failslab and fail_page_alloc, limited to one child by
 * task-filter and its /proc/self/make-it-fail, fail allocations at random
 * while it evicts and restores (by attaching a fence) its BOs in turn.  An eviction
 * that fails leaves the BO as it was; a restore that fails is retried
 * until it works.  At the end every BO is checked byte for byte, and the
 * pool holds nothing once they are closed.
 */

#define FAULT_BOS	8
#define FAULT_ROUNDS	40
#define FAULT_TIMES	1000000
#define FAULT_TIMES_STR	"1000000"

static const char * const fault_attrs[] = { "failslab", "fail_page_alloc" };

static uint64_t fault_times_left(const char *attr)
{
	char path[128], buf[32] = "";
	int f;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/times", attr);
	f = open(path, O_RDONLY);
	igt_assert(f >= 0);
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	igt_assert(n > 0);
	return strtoull(buf, NULL, 10);
}

struct fault_counts {
	uint64_t evicted, evict_failed, restored, restore_failed;
};

/* Allocations work again before the child says what went wrong. */
static int fault_child_fail(int self, const char *what, int err)
{
	if (write(self, "0", 1) == 1)
		fprintf(stderr, "fault-injection: %s failed: %s\n", what, strerror(err));
	return 41;
}

/* The child: nothing but the loop runs while its allocations may fail. */
static int fault_child(int fd, const struct vgem_bo *bo, int out)
{
	uint64_t client_id = __igt_drm_client_id(fd);
	struct drm_vgem_fence_attach arg;
	struct fault_counts c = { };
	int self, ret;

	self = open("/proc/self/make-it-fail", O_WRONLY);
	if (self < 0 || write(self, "1", 1) != 1)
		return 40;
	for (int r = 0; r < FAULT_ROUNDS; r++)
		for (int i = 0; i < FAULT_BOS; i++) {
			ret = __igt_gem_zswap_evict(fd, client_id, bo[i].handle);
			if (!ret)
				c.evicted++;
			else if (ret == -ENOMEM || ret == -ENOSPC)
				c.evict_failed++;
			else
				return fault_child_fail(self, "eviction", -ret);
			/*
			 * Attaching a fence restores (an export would only
			 * once: later ones reuse the dma-buf); -ENOMEM is
			 * retried until it works.
			 */
			arg = (struct drm_vgem_fence_attach){ .handle = bo[i].handle };
			while (ioctl(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &arg)) {
				if (errno != ENOMEM && errno != EINTR)
					return fault_child_fail(self, "fence attach", errno);
				c.restore_failed++;
			}
			ret = __vgem_fence_signal(fd, arg.out_fence);
			if (ret)
				return fault_child_fail(self, "fence signal", -ret);
			c.restored++;
		}
	if (write(self, "0", 1) != 1)
		return 43;
	close(self);
	return write(out, &c, sizeof(c)) == sizeof(c) ? 0 : 44;
}

static void fault_injection(int fd)
{
	const uint64_t size = 256 << 10;
	struct igt_gem_zswap_stats s0, s1;
	struct vgem_bo bo[FAULT_BOS];
	uint8_t *ptr[FAULT_BOS];
	struct fault_counts c;
	uint64_t injected = 0;
	int pipefd[2], status;
	pid_t pid;

	for (unsigned int a = 0; a < ARRAY_SIZE(fault_attrs); a++) {
		char path[128];

		snprintf(path, sizeof(path), "/sys/kernel/debug/%s", fault_attrs[a]);
		igt_require_f(!access(path, F_OK), "kernel without %s\n", fault_attrs[a]);
	}
	igt_require(vgem_has_fences(fd));
	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < FAULT_BOS; i++)
		ptr[i] = create_filled(fd, &bo[i], size, TEXTURE, 70 + i);

	/*
	 * One allocation in fifty fails, for the child's task only, silently:
	 * an eviction makes a few dozen, so about half of them fail.
	 */
	for (unsigned int a = 0; a < ARRAY_SIZE(fault_attrs); a++) {
		igt_gem_zswap_fault_attr(fault_attrs[a], "task-filter", "Y");
		igt_gem_zswap_fault_attr(fault_attrs[a], "probability", "2");
		igt_gem_zswap_fault_attr(fault_attrs[a], "interval", "1");
		igt_gem_zswap_fault_attr(fault_attrs[a], "times", FAULT_TIMES_STR);
		igt_gem_zswap_fault_attr(fault_attrs[a], "space", "0");
		igt_gem_zswap_fault_attr(fault_attrs[a], "verbose", "0");
		igt_gem_zswap_fault_attr(fault_attrs[a], "ignore-gfp-wait", "N");
	}
	igt_gem_zswap_fault_attr("fail_page_alloc", "ignore-gfp-highmem", "N");
	igt_gem_zswap_fault_attr("fail_page_alloc", "min-order", "0");

	igt_assert_eq(pipe(pipefd), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (!pid)
		_exit(fault_child(fd, bo, pipefd[1]));
	close(pipefd[1]);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	for (unsigned int a = 0; a < ARRAY_SIZE(fault_attrs); a++) {
		injected += FAULT_TIMES - fault_times_left(fault_attrs[a]);
		igt_gem_zswap_fault_attr(fault_attrs[a], "probability", "0");
	}
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child: status %#x (41: a call failed other than with -ENOMEM)\n",
		     status);
	igt_assert_eq(read(pipefd[0], &c, sizeof(c)), sizeof(c));
	close(pipefd[0]);
	igt_info("%d evictions and restores tried, %" PRIu64 " allocations failed: "
		 "%" PRIu64 " evicted, %" PRIu64 " evictions failed, %" PRIu64
		 " restored, %" PRIu64 " restores retried\n", FAULT_ROUNDS * FAULT_BOS,
		 injected, c.evicted, c.evict_failed, c.restored, c.restore_failed);

	for (int i = 0; i < FAULT_BOS; i++)
		assert_contents(ptr[i], size, TEXTURE, 70 + i);
	for (int i = 0; i < FAULT_BOS; i++) {
		munmap(ptr[i], size);
		gem_close(fd, bo[i].handle);
	}
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert(injected > 0);
	igt_assert(c.evicted > 0 && c.evict_failed > 0);
	igt_assert_eq_u64(c.restored, FAULT_ROUNDS * FAULT_BOS);
	/* Nothing stored, nothing leaked in the pool. */
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	igt_assert_eq_u64(s1.pool_bytes, s0.pool_bytes);
}

igt_main
{
	static const uint64_t sizes[] = { 4096, 64 << 10, 1 << 20, 16 << 20, 64 << 20 };
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_VGEM);
		igt_require_f(igt_gem_zswap_available(fd),
			      "vgem without drm_gem_zswap (or debugfs not mounted)\n");
	}

	for (int k = 0; k < NR_KINDS; k++)
		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
			igt_describe("A mapped BO evicted through debugfs comes back through "
				     "the same mapping byte for byte, with the counters exact.");
			igt_subtest_f("evict-restore-%s-%" PRIu64 "k", kind_names[k],
				      sizes[i] >> 10)
				evict_restore(fd, sizes[i], k);
		}

	igt_describe("Mappings made before and during eviction both fault the data back.");
	igt_subtest("mmap-fault")
		mmap_fault(fd);

	igt_describe("A BO with an unsignalled fence is restored and refused; "
		     "evicted once the fence signals.");
	igt_subtest("busy")
		busy(fd);

	igt_describe("Exporting restores; an exported, unattached BO is evicted and "
		     "its dma-buf mapping faults it back.");
	igt_subtest("dmabuf")
		dmabuf(fd);

	igt_describe("A dma-buf mapped by another process after the BO's last "
		     "handle closed faults the evicted BO back intact.");
	igt_subtest("dmabuf-orphan")
		dmabuf_orphan(fd);

	igt_describe("A BO attached by an importer stays resident until detached.");
	igt_subtest("dmabuf-attached")
		dmabuf_attached(fd);

	igt_describe("Original, compressed and pool bytes, evictions and restores "
		     "match what the test did, step by step.");
	igt_subtest("stats")
		stats(fd);

	igt_describe("BOs three times a memory cgroup's limit, read in turns beside "
		     "an anonymous-memory user: the shrinker evicts, nothing is lost "
		     "or OOM-killed.");
	igt_subtest("memory-pressure")
		memory_pressure(fd);

	igt_describe("1000 one-page BOs evicted leave more memory free, not less.");
	igt_subtest("small-bos")
		small_bos(fd);

	igt_describe("Machine-wide pressure from a hog that allocates no faster "
		     "than kswapd frees, BOs owned in a child cgroup without a "
		     "limit: kswapd evicts them, nothing is lost or OOM-killed.");
	igt_subtest("global-reclaim-kswapd")
		global_reclaim(fd, false);

	igt_describe("Machine-wide pressure from hogs that allocate flat out, BOs "
		     "owned in a child cgroup without a limit: the hogs' direct "
		     "reclaim evicts them, nothing is lost or OOM-killed.");
	igt_subtest("global-reclaim-direct")
		global_reclaim(fd, true);

	igt_describe("An evicted BO's copy is charged to its owner's cgroup, restored "
		     "pages too whoever touches the BO, memory.gem_zswap.max refuses "
		     "evictions past it, and a removed cgroup's BOs go to its parent.");
	igt_subtest("cgroup-charge")
		cgroup_charge(fd);

	igt_describe("A fault that restores a BO into its full cgroup ends: the "
		     "cgroup's OOM killer makes room, or with no task left there to "
		     "kill the faulting task's cgroup pays; the BO is intact.");
	igt_subtest("fault-at-limit")
		fault_at_limit(fd);

	igt_describe("/proc/meminfo's GemZswap and GemZswapped and their vmstat "
		     "twins match the pools and the evicted BOs, and MemAvailable "
		     "rises by what eviction freed less what the pool took.");
	igt_subtest("system-counters")
		system_counters(fd);

	igt_describe("One eviction holds at most 1/64 of RAM (64 MiB at least) before "
		     "it frees the BO: a large texture whose copy would hold more is "
		     "refused and intact, a large BO that compresses well is evicted.");
	igt_subtest("large-bo")
		large_bo(fd);

	igt_describe("1000 BOs from two processes, random create, write, evict, read "
		     "and close, contents checked.");
	igt_subtest("stress")
		stress(fd);

	igt_describe("Invalid, closed and imported handles are refused through "
		     "debugfs and change nothing.");
	igt_subtest("bad-input")
		bad_input(fd);

	igt_describe("Commands the debugfs file does not know are refused.");
	igt_subtest("bad-commands")
		bad_commands(fd);

	igt_describe("Tunables are root's and need CAP_SYS_ADMIN, counters and the "
		     "eviction file are in debugfs, an ordinary user reads its own "
		     "fdinfo, and no file shows a kernel address.");
	igt_subtest("permissions")
		permissions(fd);

	igt_describe("fdinfo's drm-resident-memory drops and drm-evicted-memory "
		     "rises by exactly the evicted BOs' sizes, for the process and "
		     "for another reading it, and faults put them back.");
	igt_subtest("fdinfo")
		fdinfo();

	igt_describe("A bit flipped in a BO's stored copy gives SIGBUS on its "
		     "mapping and -EIO to an export, and no other BO is hurt.");
	igt_subtest("corrupt")
		corrupt(fd);

	igt_describe("A lost BO fails every later use without allocating its size again.");
	igt_subtest("corrupt-lost-cheap")
		corrupt_lost_cheap(fd);

	igt_describe("Allocations failing at random in the test's own task while "
		     "it evicts and restores: failed evictions leave the BO intact, "
		     "failed restores work when retried, nothing leaks.");
	igt_subtest("fault-injection")
		fault_injection(fd);

	igt_describe("Tunables on the kernel command line: bad values are logged "
		     "and the defaults kept, good ones taken.");
	igt_subtest("boot-parameters")
		boot_parameters();

	/* Last: the fixture below puts back what an assertion left. */
	igt_describe("The module parameters disable eviction, change its compressor, "
		     "backend and pool limit for the next eviction, with the counters "
		     "to show it, and refuse bad values.");
	igt_subtest("parameters")
		parameters(fd);

	igt_fixture {
		restore_parameters();
		drm_close_driver(fd);
	}
}

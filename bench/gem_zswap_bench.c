// SPDX-License-Identifier: MIT
/*
 * gem_zswap_bench: the same buffers stored both ways in one guest boot.
 *
 *   gem_zswap_bench CORPUS_DIR REPS LATENCY_REPS
 *
 * The stream path is drm_gem_zswap: each buffer is a vgem or virtio-gpu BO,
 * evicted through debugfs (the same eviction the shrinker does, without
 * reclaim's scan) and restored by a fault, or on virtio-gpu by the
 * driver's own restore (TRANSFER_TO_HOST_2D restores the BO before the
 * host reads it).
 *
 * The page path is what a driver gets when it lets its BOs' pages go to
 * shmem, as the panthor shrinker and TTM's shmem backup do: the same bytes
 * in a memfd, pushed out with MADV_PAGEOUT through shmem's writepage into
 * zswap, and read back by faults, one per page (with swap readahead), or
 * by pread() one byte a page, which gets each page as a driver's get_pages
 * does (shmem_get_folio(), swapping it in).  Everything zswap refuses goes
 * to the guest's swap disk; that is reported, not hidden.
 *
 * Each path stores every buffer of one kind, then memory is read once with
 * everything stored: the pool's size (each path's own counter), the
 * metadata beside it (the helper's entries and pages of handles; zswap's
 * entries, from their slab cache) and what the path left uncompressed.
 * Pages zswap refused went to the swap disk; they are written and then
 * freed by reclaiming the benchmark's memory cgroup (memory.reclaim; the
 * corpus itself is mlocked), as reclaim's next pass would.  Then the
 * buffers are read back, checked, evicted and read back twice more (see
 * run_one()).  Restore throughput counts the bytes that were stored, not
 * those of BOs refused and left resident.  The paths
 * run interleaved, their order rotated each repetition.  Results are
 * "ZB-BENCH key=value ..." lines that build/guest_bench_report.py turns
 * into ratios.
 *
 * The latency part times the first access to an evicted 64 MiB buffer
 * (the stream path restores all of it; the page path one page and its
 * readahead) and to one rendered frame, LATENCY_REPS times each.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <drm/drm_mode.h>
#include <drm/vgem_drm.h>
#include <drm/virtgpu_drm.h>

#include "drmtest.h"
#include "igt_gem_zswap.h"

#define PAGE		4096UL
#define MAX_BUFS	128
#define LAT_BYTES	(64UL << 20)

#define ZSWAP_POOL	"/sys/kernel/debug/zswap/pool_total_size"
#define ZSWAP_STORED	"/sys/kernel/debug/zswap/stored_pages"
#define ZSWAP_PARAM	"/sys/module/zswap/parameters/"
#define STREAM_POOL	"/sys/kernel/debug/drm_gem_zswap/pool_total_size"
/* zswap's entries, a cache of their own with slab_nomerge. */
#define ZSWAP_ENTRIES	"/sys/kernel/slab/zswap_entry/"
#define CGROUP		"/sys/fs/cgroup/gem_zswap_bench"

/* virgl's names for a 2D BGRA render target (virtio-gpu 2D accepts them). */
#define PIPE_TEXTURE_2D			2
#define VIRGL_FORMAT_B8G8R8A8_UNORM	1
#define VIRGL_BIND_RENDER_TARGET	(1 << 1)
#define VIRGL_BIND_SAMPLER_VIEW		(1 << 3)

struct buf {
	char name[80];
	char kind[16];
	size_t len;		/* the buffer's bytes */
	size_t size;		/* rounded up to pages, as a BO is */
	unsigned char *data;
};

static struct buf bufs[MAX_BUFS];
static unsigned int nbufs;

enum path { STREAM_VGEM, STREAM_VIRTIO, PAGE_PATH };

struct cfg {
	const char *name;
	enum path path;
	const char *codec;
	const char *zpool;
	const char *restore1, *restore2;
};

static const struct cfg cfgs[] = {
	{ "stream-vgem-lz4", STREAM_VGEM, "lz4", "zblock", "fault", "fault" },
	{ "stream-vgem-zstd", STREAM_VGEM, "zstd", "zblock", "fault", "fault" },
	{ "stream-virtio-lz4", STREAM_VIRTIO, "lz4", "zblock", "fault", "driver" },
	{ "page-zsmalloc-lz4", PAGE_PATH, "lz4", "zsmalloc", "fault", "read" },
	{ "page-zsmalloc-zstd", PAGE_PATH, "zstd", "zsmalloc", "fault", "read" },
	{ "page-zblock-lz4", PAGE_PATH, "lz4", "zblock", "fault", "read" },
	{ "page-zblock-zstd", PAGE_PATH, "zstd", "zblock", "fault", "read" },
};

static const char *const kinds[] = { "texture", "model", "frame", "cleared", "zero", "all" };

/* One stored buffer, either way. */
struct obj {
	const struct buf *b;
	unsigned char *map;
	uint32_t handle;	/* stream: the BO */
	uint32_t width;		/* virtio-gpu: the resource's width in pixels */
	int memfd;		/* page: the memfd */
	int refused;		/* stream: the eviction's error, the BO stayed */
};

static struct obj objs[MAX_BUFS];

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gem_zswap_bench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	printf("ZB-BENCH-FAILED\n");
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void write_str(const char *path, const char *value)
{
	int err = igt_gem_zswap_write_file(path, value);

	if (err)
		die("writing %s to %s: %s\n", value, path, strerror(-err));
}

static uint64_t vmstat_u64(const char *key)
{
	return igt_gem_zswap_proc_u64("/proc/vmstat", key);
}

static void load_corpus(const char *dir)
{
	char path[512], line[256];
	FILE *m;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	m = fopen(path, "r");
	if (!m)
		die("%s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), m)) {
		struct buf *b = &bufs[nbufs];
		int fd;

		if (nbufs == MAX_BUFS)
			die("more than %d buffers in the corpus\n", MAX_BUFS);
		if (sscanf(line, "%79s %15s %zu", b->name, b->kind, &b->len) != 3)
			continue;
		b->size = (b->len + PAGE - 1) & ~(PAGE - 1);
		b->data = calloc(1, b->size);
		snprintf(path, sizeof(path), "%s/%s", dir, b->name);
		fd = open(path, O_RDONLY);
		if (!b->data || fd < 0 || read(fd, b->data, b->len) != (ssize_t)b->len)
			die("%s: cannot read %zu bytes\n", path, b->len);
		close(fd);
		nbufs++;
	}
	fclose(m);
	if (!nbufs)
		die("no buffers in %s\n", dir);
}

static int open_card(int chipset)
{
	int fd = __drm_open_driver(chipset);

	if (fd < 0)
		die("no %s device\n", chipset == DRIVER_VGEM ? "vgem" : "virtio-gpu");
	if (!igt_gem_zswap_available(fd))
		die("drm_gem_zswap is not enabled on this device\n");
	return fd;
}

/* The eviction file, kept open so that each eviction costs one write. */
static int evict_file(int fd)
{
	char path[128];
	struct stat st;
	int dfd;

	fstat(fd, &st);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/drm_gem_zswap_evict",
		 minor(st.st_rdev));
	dfd = open(path, O_WRONLY);
	if (dfd < 0)
		die("%s: %s\n", path, strerror(errno));
	return dfd;
}

static int evict_bo(int dfd, uint64_t client, uint32_t handle)
{
	char cmd[64];
	int len = snprintf(cmd, sizeof(cmd), "%" PRIu64 " %u", client, handle);

	return write(dfd, cmd, len) < 0 ? -errno : 0;
}

static void bo_create(int fd, enum path path, struct obj *o)
{
	const struct buf *b = o->b;
	uint64_t offset;

	if (path == STREAM_VGEM) {
		struct drm_mode_create_dumb c = {
			.width = PAGE / 4, .height = b->size / PAGE, .bpp = 32,
		};
		struct drm_mode_map_dumb map = { };

		if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
			die("vgem create of %zu bytes: %s\n", b->size, strerror(errno));
		o->handle = c.handle;
		map.handle = c.handle;
		if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map))
			die("vgem map: %s\n", strerror(errno));
		offset = map.offset;
	} else {
		/* A 2D resource a page wide, as many rows as the buffer needs. */
		struct drm_virtgpu_resource_create rc = {
			.target = PIPE_TEXTURE_2D,
			.format = VIRGL_FORMAT_B8G8R8A8_UNORM,
			.bind = VIRGL_BIND_RENDER_TARGET | VIRGL_BIND_SAMPLER_VIEW,
			.width = PAGE / 4, .height = b->size / PAGE,
			.depth = 1, .array_size = 1,
			.size = b->size, .stride = PAGE,
		};
		struct drm_virtgpu_map map = { };
		struct drm_virtgpu_3d_wait wait = { };

		if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc))
			die("virtio-gpu create of %zu bytes: %s\n", b->size, strerror(errno));
		o->handle = rc.bo_handle;
		o->width = rc.width;
		map.handle = rc.bo_handle;
		if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_MAP, &map))
			die("virtio-gpu map: %s\n", strerror(errno));
		offset = map.offset;
		wait.handle = rc.bo_handle;
		drmIoctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &wait);
	}
	o->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (o->map == MAP_FAILED)
		die("mmap of a BO: %s\n", strerror(errno));
	memcpy(o->map, b->data, b->size);
}

static void bo_destroy(int fd, struct obj *o)
{
	struct drm_gem_close c = { .handle = o->handle };

	munmap(o->map, o->b->size);
	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void memfd_create_obj(struct obj *o)
{
	const struct buf *b = o->b;

	o->memfd = memfd_create("gem_zswap_bench", MFD_CLOEXEC);
	if (o->memfd < 0 || ftruncate(o->memfd, b->size))
		die("memfd of %zu bytes: %s\n", b->size, strerror(errno));
	o->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, o->memfd, 0);
	if (o->map == MAP_FAILED)
		die("mmap of a memfd: %s\n", strerror(errno));
	memcpy(o->map, b->data, b->size);
}

static void memfd_destroy(struct obj *o)
{
	munmap(o->map, o->b->size);
	close(o->memfd);
}

/* Pages of a memfd mapping still in memory (mincore() sees swap cache). */
static uint64_t resident_bytes(const struct obj *o)
{
	size_t n = o->b->size / PAGE, i;
	unsigned char *vec = malloc(n);
	uint64_t res = 0;

	if (!vec || mincore(o->map, o->b->size, vec))
		die("mincore: %s\n", strerror(errno));
	for (i = 0; i < n; i++)
		res += (vec[i] & 1) * PAGE;
	free(vec);
	return res;
}

/* A read the compiler must keep: it is what faults. */
static unsigned char read_byte(const unsigned char *p)
{
	unsigned char v = *p;

	asm volatile("" : : "r"(v));
	return v;
}

/* One read a page: each fault restores (stream) or swaps in (page). */
static void touch(const struct obj *o)
{
	size_t off;

	for (off = 0; off < o->b->size; off += PAGE)
		read_byte(o->map + off);
}

static void pread_pages(const struct obj *o)
{
	unsigned char c;
	size_t off;

	for (off = 0; off < o->b->size; off += PAGE)
		if (pread(o->memfd, &c, 1, off) != 1)
			die("pread: %s\n", strerror(errno));
}

/* The driver's restore: a TRANSFER_TO_HOST_2D of the whole resource. */
static void transfer(int fd, const struct obj *o)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = o->handle,
		.box = { .w = o->width, .h = o->b->size / PAGE, .d = 1 },
	};
	struct drm_virtgpu_3d_wait wait = { .handle = o->handle };

	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t))
		die("TRANSFER_TO_HOST: %s\n", strerror(errno));
	drmIoctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &wait);
}

static unsigned int check(const struct obj *objs_, unsigned int n)
{
	unsigned int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += memcmp(objs_[i].map, objs_[i].b->data, objs_[i].b->size) != 0;
	return bad;
}

static void set_codec(const struct cfg *c)
{
	char path[128];

	if (c->path == PAGE_PATH) {
		snprintf(path, sizeof(path), ZSWAP_PARAM "compressor");
		write_str(path, c->codec);
		snprintf(path, sizeof(path), ZSWAP_PARAM "zpool");
		write_str(path, c->zpool);
	} else {
		int err = igt_gem_zswap_set_param("compressor", c->codec);

		if (!err)
			err = igt_gem_zswap_set_param("zpool", c->zpool);
		if (err)
			die("cannot set the helper's %s/%s: %s\n", c->codec, c->zpool,
			    strerror(-err));
	}
}

struct sample {
	uint64_t bytes, held, meta, left, disk;
	uint64_t evict1, evict2, evict3, cold, restore1, restore2;
	unsigned int bufs, refused, bad;
};

static uint64_t pool_size(enum path path)
{
	return igt_gem_zswap_read_u64(path == PAGE_PATH ? ZSWAP_POOL : STREAM_POOL);
}

/*
 * zswap's entries: one per stored page, each a slot of their cache (the
 * cache's slabs grow in steps too coarse for a delta).  Its xarray and
 * zsmalloc's own caches are not counted, which favours the page path.
 */
static uint64_t zswap_entry_bytes(void)
{
	return igt_gem_zswap_read_u64(ZSWAP_STORED) *
	       igt_gem_zswap_read_u64(ZSWAP_ENTRIES "slab_size");
}

/*
 * The stream path's metadata: what pool_bytes counts beyond the streams
 * (entries, pages of handles and the tails' padding, which is in the pool
 * already, under 128 bytes a BO).
 */
static uint64_t stream_meta(int fd)
{
	struct igt_gem_zswap_stats st;

	igt_gem_zswap_read_stats(fd, &st);
	return st.pool_bytes - st.compressed_bytes;
}

static uint64_t meta_bytes(enum path path, int fd)
{
	return path == PAGE_PATH ? zswap_entry_bytes() : stream_meta(fd);
}

static int evict_all_page(unsigned int n, uint64_t *ns)
{
	uint64_t t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		if (madvise(objs[i].map, objs[i].b->size, MADV_PAGEOUT))
			die("MADV_PAGEOUT: %s\n", strerror(errno));
	*ns = now_ns() - t;
	return 0;
}

/*
 * Pages zswap refused went to the disk and stay in the swap cache until
 * reclaim's next pass; MADV_PAGEOUT no longer reaches them (their page
 * table entries are gone).  The cgroup's reclaim frees them once written.
 */
static uint64_t settle_extra;

static void settle(unsigned int n)
{
	uint64_t res, stored = igt_gem_zswap_read_u64(ZSWAP_STORED);
	unsigned int i, round;
	char arg[32];
	int fd;

	for (round = 0; round < 200; round++) {
		res = 0;
		for (i = 0; i < n; i++)
			res += resident_bytes(&objs[i]);
		if (!res) {
			/* Anything else reclaim pushed into zswap, reported. */
			settle_extra = igt_gem_zswap_read_u64(ZSWAP_STORED) - stored;
			return;
		}
		fd = open(CGROUP "/memory.reclaim", O_WRONLY);
		if (fd < 0)
			die(CGROUP "/memory.reclaim: %s\n", strerror(errno));
		/* -EAGAIN when less was reclaimed: pages still being written. */
		snprintf(arg, sizeof(arg), "%" PRIu64, res);
		if (write(fd, arg, strlen(arg)) < 0 && errno != EAGAIN)
			die("memory.reclaim: %s\n", strerror(errno));
		close(fd);
		usleep(5000);
	}
	die("%" PRIu64 " bytes of the page path still resident after reclaim\n", res);
}

/* The page path's writes to the disk, done before a timed read-back. */
static void wait_writeback(void)
{
	unsigned int round;

	for (round = 0; round < 2000; round++) {
		if (!vmstat_u64("nr_writeback"))
			return;
		usleep(1000);
	}
	die("swap writeback did not finish\n");
}

static void evict_all_stream(int dfd, uint64_t client, unsigned int n, uint64_t *ns,
			     unsigned int *refused)
{
	uint64_t t = now_ns();
	unsigned int i;

	*refused = 0;
	for (i = 0; i < n; i++) {
		objs[i].refused = evict_bo(dfd, client, objs[i].handle);
		*refused += objs[i].refused != 0;
		/* What a shrinker would refuse too; anything else is a failure. */
		if (objs[i].refused && objs[i].refused != -E2BIG)
			die("evicting %s: %s\n", objs[i].b->name, strerror(-objs[i].refused));
	}
	*ns = now_ns() - t;
}

/*
 * An eviction after the first read-back: timed as the first, and for the
 * page path followed by the end of its writes, so that the read-back that
 * follows waits for none.  Refusals are the first eviction's to report.
 */
static uint64_t evict_again(const struct cfg *c, int dfd, uint64_t client, unsigned int n)
{
	unsigned int refused;
	uint64_t ns;

	if (c->path == PAGE_PATH) {
		evict_all_page(n, &ns);
		wait_writeback();
	} else {
		evict_all_stream(dfd, client, n, &ns, &refused);
	}
	return ns;
}

static uint64_t restore_all(int fd, const struct cfg *c, const char *how, unsigned int n)
{
	uint64_t t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(how, "fault"))
			touch(&objs[i]);
		else if (!strcmp(how, "read"))
			pread_pages(&objs[i]);
		else
			transfer(fd, &objs[i]);
	}
	return now_ns() - t;
}

static bool in_kind(const struct buf *b, const char *kind)
{
	return !strcmp(kind, "all") || !strcmp(b->kind, kind);
}

static void run_one(int rep, const struct cfg *c, const char *kind, int fd, int dfd,
		    uint64_t client)
{
	struct sample s = { };
	uint64_t pool0, meta0, pswp0;
	unsigned int i, n = 0;

	for (i = 0; i < nbufs; i++) {
		if (!in_kind(&bufs[i], kind))
			continue;
		objs[n].b = &bufs[i];
		if (c->path == PAGE_PATH)
			memfd_create_obj(&objs[n]);
		else
			bo_create(fd, c->path, &objs[n]);
		s.bytes += bufs[i].size;
		n++;
	}
	if (!n)
		return;
	s.bufs = n;

	pool0 = pool_size(c->path);
	meta0 = meta_bytes(c->path, fd);
	pswp0 = vmstat_u64("pswpout");
	if (c->path == PAGE_PATH)
		evict_all_page(n, &s.evict1);
	else
		evict_all_stream(dfd, client, n, &s.evict1, &s.refused);

	/* Memory once, with everything stored. */
	settle_extra = 0;
	if (c->path == PAGE_PATH)
		settle(n);
	s.held = pool_size(c->path) - pool0;
	s.meta = meta_bytes(c->path, fd) - meta0;
	s.disk = (vmstat_u64("pswpout") - pswp0) * PAGE;
	for (i = 0; i < n; i++) {
		if (c->path == PAGE_PATH)
			s.left += resident_bytes(&objs[i]);
		else if (objs[i].refused)
			s.left += objs[i].b->size;
	}

	/*
	 * Three rounds.  The first restore follows reclaim: the page path
	 * reads back from the disk what zswap refused, which on the
	 * instruction counter costs whatever timer the idle vCPU skips to, so
	 * it is reported apart ("cold").  The second and third follow an
	 * eviction alone, that swap-cache state on both sides, and time each
	 * way of reading back on the same footing.
	 */
	s.cold = restore_all(fd, c, c->restore1, n);
	s.bad += check(objs, n);
	s.evict2 = evict_again(c, dfd, client, n);
	s.restore1 = restore_all(fd, c, c->restore1, n);
	s.bad += check(objs, n);
	s.evict3 = evict_again(c, dfd, client, n);
	s.restore2 = restore_all(fd, c, c->restore2, n);
	s.bad += check(objs, n);

	for (i = 0; i < n; i++) {
		if (c->path == PAGE_PATH)
			memfd_destroy(&objs[i]);
		else
			bo_destroy(fd, &objs[i]);
	}

	printf("ZB-BENCH rep=%d path=%s codec=%s zpool=%s kind=%s bufs=%u bytes=%" PRIu64
	       " held=%" PRIu64 " meta=%" PRIu64 " left=%" PRIu64 " disk=%" PRIu64 " refused=%u"
	       " evict1_ns=%" PRIu64 " evict2_ns=%" PRIu64 " evict3_ns=%" PRIu64
	       " cold_ns=%" PRIu64
	       " restore1=%s restore1_ns=%" PRIu64 " restore2=%s restore2_ns=%" PRIu64
	       " bad=%u others=%" PRIu64 "\n",
	       rep, c->name, c->codec, c->zpool, kind, s.bufs, s.bytes, s.held, s.meta,
	       s.left, s.disk, s.refused, s.evict1, s.evict2, s.evict3, s.cold,
	       c->restore1, s.restore1, c->restore2, s.restore2, s.bad, settle_extra);
	fflush(stdout);
	if (s.bad)
		die("%s %s: %u buffers came back wrong\n", c->name, kind, s.bad);
}

/*
 * The latency of the first access: one buffer, evicted, then one byte read.
 * The 64 MiB buffer is the corpus's compressible buffers laid end to end.
 */
static void first_access(int reps, const char *what, const struct buf *b, int vgem,
			 int dfd, uint64_t client)
{
	static const struct cfg *lat_cfgs[] = { &cfgs[0], &cfgs[3] };
	unsigned int k;
	int r;

	for (r = 0; r < reps; r++) {
		for (k = 0; k < 2; k++) {
			const struct cfg *c = lat_cfgs[(k + r) % 2];
			struct obj *o = &objs[0];
			uint64_t t, first, rest;
			unsigned int refused = 0;

			set_codec(c);
			o->b = b;
			if (c->path == PAGE_PATH) {
				memfd_create_obj(o);
				if (madvise(o->map, b->size, MADV_PAGEOUT))
					die("MADV_PAGEOUT: %s\n", strerror(errno));
			} else {
				bo_create(vgem, c->path, o);
				evict_all_stream(dfd, client, 1, &t, &refused);
			}
			t = now_ns();
			read_byte(o->map);
			first = now_ns() - t;
			t = now_ns();
			touch(o);
			rest = now_ns() - t;
			if (memcmp(o->map, b->data, b->size))
				die("latency %s: the buffer came back wrong\n", c->name);
			if (c->path == PAGE_PATH)
				memfd_destroy(o);
			else
				bo_destroy(vgem, o);
			printf("ZB-BENCH-LAT rep=%d what=%s path=%s bytes=%zu refused=%u"
			       " first_ns=%" PRIu64 " rest_ns=%" PRIu64 "\n",
			       r, what, c->name, b->size, refused, first, rest);
			fflush(stdout);
		}
	}
}

int main(int argc, char **argv)
{
	struct buf big = { .name = "64MiB", .kind = "big" };
	const struct buf *frame = NULL;
	int reps, lat_reps, vgem, virtio, vgem_dfd, virtio_dfd;
	uint64_t vgem_client, virtio_client;
	size_t off = 0;
	unsigned int i, k;
	char cg[16];
	int r;

	if (argc != 4)
		die("usage: gem_zswap_bench CORPUS_DIR REPS LATENCY_REPS\n");
	reps = atoi(argv[2]);
	lat_reps = atoi(argv[3]);
	load_corpus(argv[1]);
	big.size = LAT_BYTES;
	big.len = LAT_BYTES;
	big.data = malloc(LAT_BYTES);
	if (!big.data)
		die("no memory for the 64 MiB buffer\n");
	/*
	 * Reclaim of the cgroup should find only what the page path pushed
	 * out.  What was charged before the move below stays the root's (v2
	 * does not move charges); what the program touches later is locked
	 * where it exists now (MCL_CURRENT; the memfds' mappings, made later,
	 * are not), and settle() checks that nothing else reached zswap.
	 */
	if (mlockall(MCL_CURRENT))
		die("mlockall: %s\n", strerror(errno));
	write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		die(CGROUP ": %s\n", strerror(errno));
	snprintf(cg, sizeof(cg), "%d", getpid());
	write_str(CGROUP "/cgroup.procs", cg);

	vgem = open_card(DRIVER_VGEM);
	virtio = open_card(DRIVER_VIRTIO);
	vgem_dfd = evict_file(vgem);
	virtio_dfd = evict_file(virtio);
	vgem_client = __igt_drm_client_id(vgem);
	virtio_client = __igt_drm_client_id(virtio);
	write_str(ZSWAP_PARAM "enabled", "Y");
	write_str(ZSWAP_PARAM "max_pool_percent", "50");
	printf("ZB-BENCH-CORPUS bufs=%u\n", nbufs);

	for (r = 0; r < reps; r++) {
		for (k = 0; k < ARRAY_SIZE(cfgs); k++) {
			const struct cfg *c = &cfgs[(k + r) % ARRAY_SIZE(cfgs)];
			int fd = c->path == STREAM_VIRTIO ? virtio : vgem;
			int dfd = c->path == STREAM_VIRTIO ? virtio_dfd : vgem_dfd;
			uint64_t client = c->path == STREAM_VIRTIO ? virtio_client : vgem_client;

			set_codec(c);
			for (i = 0; i < ARRAY_SIZE(kinds); i++)
				run_one(r, c, kinds[i], fd, dfd, client);
		}
	}

	/* Textures, models and frames: what a desktop keeps in a window. */
	while (off < LAT_BYTES) {
		for (i = 0; i < nbufs && off < LAT_BYTES; i++) {
			size_t len = bufs[i].len;

			if (!strcmp(bufs[i].kind, "zero") || !strcmp(bufs[i].kind, "cleared"))
				continue;
			if (len > LAT_BYTES - off)
				len = LAT_BYTES - off;
			memcpy(big.data + off, bufs[i].data, len);
			off += len;
		}
	}
	for (i = 0; i < nbufs; i++)
		if (!strcmp(bufs[i].kind, "frame") && !frame)
			frame = &bufs[i];
	first_access(lat_reps, "64MiB", &big, vgem, vgem_dfd, vgem_client);
	if (frame)
		first_access(lat_reps, "frame", frame, vgem, vgem_dfd, vgem_client);
	printf("ZB-BENCH-DONE\n");
	return 0;
}

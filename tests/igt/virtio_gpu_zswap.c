// SPDX-License-Identifier: MIT
/*
 * virtio_gpu_zswap: virtio-gpu BOs compressed by drm_gem_zswap and brought
 * back, by a CPU fault or by the next command that uses them, which must
 * find the backing attached to the host again.  Contents are checked byte
 * for byte and the device's counters exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <drm/virtgpu_drm.h>

#include "igt.h"
#include "igt_gem_zswap.h"
#include "igt_pattern.h"
#include "igt_virtgpu.h"

/* Gallium/virgl enums, as used by Mesa's virgl driver. */
#define PIPE_TEXTURE_2D			2
#define VIRGL_FORMAT_B8G8R8A8_UNORM	1
#define VIRGL_BIND_RENDER_TARGET	(1 << 1)
#define VIRGL_BIND_SAMPLER_VIEW		(1 << 3)

/* virgl's command stream: a header word, then the command's dwords. */
#define VIRGL_CMD0(cmd, obj, len)	((cmd) | ((obj) << 8) | ((len) << 16))
#define VIRGL_CCMD_TRANSFER3D		43
#define VIRGL_TRANSFER3D_SIZE		13
#define VIRGL_TRANSFER_TO_HOST		1

struct bo {
	uint32_t handle;
	uint32_t width, height, pitch;
	uint64_t size;
	void *ptr;
};

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

static void assert_texture(const void *ptr, uint64_t size, uint64_t seed)
{
	uint8_t *want = malloc(size);
	uint64_t bad = size;

	igt_assert(want);
	texture_fill(want, size, seed);
	if (memcmp(ptr, want, size))
		for (uint64_t i = 0; i < size; i++)
			if (((const uint8_t *)ptr)[i] != want[i]) {
				bad = i;
				break;
			}
	free(want);
	igt_assert_f(bad == size, "BO of %" PRIu64 " bytes differs at byte %" PRIu64 "\n",
		     size, bad);
}

static void bo_wait(int fd, uint32_t handle)
{
	struct drm_virtgpu_3d_wait wait = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &wait);
}

static void dumb_create(int fd, struct bo *bo, uint32_t width, uint32_t height)
{
	struct drm_mode_create_dumb arg = { .width = width, .height = height, .bpp = 32 };
	struct drm_mode_map_dumb map = { };

	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);
	bo->handle = arg.handle;
	bo->width = width;
	bo->height = height;
	bo->pitch = arg.pitch;
	bo->size = arg.size;
	map.handle = bo->handle;
	do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map);
	bo->ptr = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	igt_assert(bo->ptr != MAP_FAILED);
	bo_wait(fd, bo->handle);
}

static void resource_create(int fd, struct bo *bo, uint32_t width, uint32_t height)
{
	struct drm_virtgpu_resource_create rc = {
		.target = PIPE_TEXTURE_2D,
		.format = VIRGL_FORMAT_B8G8R8A8_UNORM,
		.bind = VIRGL_BIND_RENDER_TARGET | VIRGL_BIND_SAMPLER_VIEW,
		.width = width,
		.height = height,
		.depth = 1,
		.array_size = 1,
		.size = width * height * 4,
		.stride = width * 4,
	};
	struct drm_virtgpu_map map = { };

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
	bo->handle = rc.bo_handle;
	bo->width = width;
	bo->height = height;
	bo->pitch = width * 4;
	bo->size = (uint64_t)width * height * 4;
	map.handle = bo->handle;
	do_ioctl(fd, DRM_IOCTL_VIRTGPU_MAP, &map);
	bo->ptr = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	igt_assert(bo->ptr != MAP_FAILED);
	bo_wait(fd, bo->handle);
}

static void bo_destroy(int fd, struct bo *bo)
{
	munmap(bo->ptr, bo->size);
	gem_close(fd, bo->handle);
}

static void evict_fault(int fd, bool dumb, uint32_t width, uint32_t height)
{
	struct igt_gem_zswap_stats s0, s1;
	struct bo bo;

	if (dumb)
		dumb_create(fd, &bo, width, height);
	else
		resource_create(fd, &bo, width, height);
	texture_fill(bo.ptr, bo.size, width);
	igt_gem_zswap_read_stats(fd, &s0);

	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.evictions - s0.evictions, 1);
	igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, 1);
	igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, bo.size);
	igt_gem_zswap_assert_pool_holds(fd);
	igt_info("%" PRIu64 " bytes in %" PRIu64 "\n", bo.size,
		 s1.compressed_bytes - s0.compressed_bytes);

	/* The mapping made before eviction faults the contents back. */
	assert_texture(bo.ptr, bo.size, width);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);

	/* Evicted twice in a row: the second finds nothing to do. */
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -EALREADY);
	assert_texture(bo.ptr, bo.size, width);
	bo_destroy(fd, &bo);
}

static void transfer(int fd, struct bo *bo, bool to_host)
{
	struct drm_virtgpu_3d_transfer_to_host to = {
		.bo_handle = bo->handle,
		.box = { .w = bo->width, .h = bo->height, .d = 1 },
	};
	struct drm_virtgpu_3d_transfer_from_host from = {
		.bo_handle = bo->handle,
		.box = { .w = bo->width, .h = bo->height, .d = 1 },
	};

	if (to_host)
		do_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to);
	else
		do_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from);
	bo_wait(fd, bo->handle);
}

/*
 * A transfer to the host of an evicted BO must send what was written
 * before eviction: the pages are restored and attached before the command.
 * Read back through the host's copy.
 */
static void transfer_after_evict(int fd)
{
	struct igt_gem_zswap_stats s0;
	struct bo bo;

	igt_require_f(virtgpu_has_3d(fd), "needs virgl to read the host's copy back\n");
	resource_create(fd, &bo, 512, 512);
	texture_fill(bo.ptr, bo.size, 71);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	transfer(fd, &bo, true);
	igt_assert_eq_u64(igt_gem_zswap_stat(fd, "restores") - s0.restores, 1);

	/* The guest's copy wiped, the host's comes back through a new attach. */
	memset(bo.ptr, 0, bo.size);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	transfer(fd, &bo, false);
	igt_assert_eq_u64(igt_gem_zswap_stat(fd, "restores") - s0.restores, 2);
	assert_texture(bo.ptr, bo.size, 71);
	bo_destroy(fd, &bo);
}

/*
 * Lines the kernel logs from now on: a descriptor of /dev/kmsg at its end.
 */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	igt_assert_f(fd >= 0, "cannot open /dev/kmsg\n");
	igt_assert(lseek(fd, 0, SEEK_END) >= 0);
	return fd;
}

/* How many of the lines logged since kmsg_open() contain @what. */
static int kmsg_count(int fd, const char *what)
{
	char rec[1024];
	int n = 0;
	ssize_t len;

	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || (len < 0 && errno == EPIPE)) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (strstr(rec, what)) {
			igt_info("kernel: %s", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
			n++;
		}
	}
	close(fd);
	return n;
}

/*
 * 2D: TRANSFER_TO_HOST of an evicted BO.  The host copies from the
 * resource's backing, which eviction detached: the ioctl must restore the
 * BO and attach it again first.  The host refuses a transfer from a
 * resource without backing, and the guest logs its answer, "response
 * 0x1200"; none may come.
 */
static void transfer_2d_after_evict(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct bo bo;
	int kmsg;

	igt_require_f(!virtgpu_has_3d(fd), "the virgl transfer is transfer-after-evict\n");
	dumb_create(fd, &bo, 512, 512);
	texture_fill(bo.ptr, bo.size, 73);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	kmsg = kmsg_open();
	transfer(fd, &bo, true);
	usleep(100000);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq(kmsg_count(kmsg, "response 0x"), 0);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);

	/* Transferred, then idle again: it may go, and come back by a fault. */
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	assert_texture(bo.ptr, bo.size, 73);
	bo_destroy(fd, &bo);
}

/*
 * A resource is created by two commands, CREATE and then ATTACH_BACKING,
 * queued one after the other.  The BO must not be evictable between them,
 * or a detach could reach the host first and the attachment would then
 * give the host pages that eviction freed.  Another process evicts every
 * BO it can, over and over, while this one creates resources with that
 * window widened (the debugfs "delay attach" command, debug kernels only),
 * then exports each, which restores it and attaches it again: an
 * attachment that found the host still attached to freed pages makes the
 * host answer "response 0x1200", which must never come.  Only that window
 * is widened: a delay in the evicting process's detaches too would let
 * its evictions miss the BOs that this one creates.
 */
static void create_race(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	int kmsg, dfd, status;
	pid_t pid;

	igt_require_f(igt_gem_zswap_debugfs_cmd(fd, "delay attach 20000") == 0,
		      "needs CONFIG_DRM_GEM_ZSWAP_DEBUG\n");
	igt_gem_zswap_read_stats(fd, &s0);
	kmsg = kmsg_open();
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		/* Killed below; bounded should the parent fail before that. */
		for (time_t end = time(NULL) + 60; time(NULL) < end;) {
			igt_gem_zswap_evict_all(fd);
			usleep(2000);
		}
		_exit(0);
	}

	for (int i = 0; i < 24; i++) {
		struct bo bo;

		resource_create(fd, &bo, 256, 256);
		texture_fill(bo.ptr, bo.size, 200 + i);
		/*
		 * Attached now, so evictable: time for the other process to
		 * evict it, or the evictions this test counts depend on luck.
		 */
		usleep(10000);
		igt_assert_eq(drmPrimeHandleToFD(fd, bo.handle, DRM_CLOEXEC, &dfd), 0);
		close(dfd);
		assert_texture(bo.ptr, bo.size, 200 + i);
		bo_destroy(fd, &bo);
	}

	kill(pid, SIGKILL);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay attach 0"), 0);
	usleep(100000);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("%" PRIu64 " evictions during the creations\n", s1.evictions - s0.evictions);
	igt_assert_eq(kmsg_count(kmsg, "response 0x"), 0);
	igt_assert_lt_u64(0, s1.evictions - s0.evictions);
}

/* Slots of swiotlb's bounce pool in use now. */
static uint64_t swiotlb_used(void)
{
	char buf[32] = "";
	int fd = open("/sys/kernel/debug/swiotlb/io_tlb_used", O_RDONLY);

	igt_assert_f(fd >= 0, "no swiotlb in debugfs\n");
	igt_assert(read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	return strtoull(buf, NULL, 10);
}

/*
 * The host writes a BO's backing (TRANSFER_FROM_HOST), and the BO is
 * evicted right after.  With the DMA API and bounce buffers (the 3d-dma
 * guest: iommu_platform=on, swiotlb=force) the host's bytes sit in the
 * bounce pool until the driver syncs them for the CPU, which must happen
 * before eviction reads the pages, or the host's write is lost.  The host
 * writes only the top half; the CPU wrote the bottom half since the last
 * transfer to the host, and a sync of stale bounce buffers over it would
 * lose that instead.
 */
static void device_write_then_evict(int fd)
{
	bool dma = igt_gem_zswap_cmdline_has("zb.dma=1");
	uint64_t half;
	uint8_t *want;
	struct bo bo;

	igt_require_f(virtgpu_has_3d(fd), "the host writes a backing only with virgl\n");
	resource_create(fd, &bo, 512, 512);
	if (dma) {
		uint64_t used = swiotlb_used();

		igt_info("swiotlb slots in use: %" PRIu64 "\n", used);
		igt_assert_lt_u64(bo.size / 2048, used + 1);
	}
	half = bo.size / 2;
	want = malloc(bo.size);
	igt_assert(want);
	texture_fill(want, bo.size, 91);
	texture_fill(want + half, half, 92);

	/* The host has the first texture; the guest, zeroes and the second's half. */
	texture_fill(bo.ptr, bo.size, 91);
	transfer(fd, &bo, true);
	memset(bo.ptr, 0, bo.size);
	texture_fill((uint8_t *)bo.ptr + half, half, 92);
	{
		struct drm_virtgpu_3d_transfer_from_host from = {
			.bo_handle = bo.handle,
			.box = { .w = bo.width, .h = bo.height / 2, .d = 1 },
		};

		do_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from);
		bo_wait(fd, bo.handle);
	}

	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_assert_f(!memcmp(bo.ptr, want, half), "the host's write was lost\n");
	igt_assert_f(!memcmp((uint8_t *)bo.ptr + half, want + half, half),
		     "the CPU's write outside the transfer was lost\n");
	free(want);
	bo_destroy(fd, &bo);
}

/*
 * An execbuffer whose command reads the BO's backing: a TRANSFER3D to the
 * host inside the virgl stream.  The BO is evicted when the command is
 * submitted, so the host sees the written texels only if execbuffer
 * restored the pages and attached them again before queueing it.  The
 * host's copy is then read back into the wiped guest pages.
 */
static void execbuffer_after_evict(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct drm_virtgpu_execbuffer eb = { };
	uint32_t cmd[1 + VIRGL_TRANSFER3D_SIZE];
	struct bo bo;

	igt_require_f(virtgpu_has_3d(fd), "execbuffer needs virgl\n");
	resource_create(fd, &bo, 256, 256);
	texture_fill(bo.ptr, bo.size, 101);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	igt_gem_zswap_read_stats(fd, &s0);

	memset(cmd, 0, sizeof(cmd));
	cmd[0] = VIRGL_CMD0(VIRGL_CCMD_TRANSFER3D, 0, VIRGL_TRANSFER3D_SIZE);
	cmd[1] = virtgpu_resource_id(fd, bo.handle);
	cmd[4] = bo.pitch;		/* stride; level, usage, layer stride 0 */
	cmd[9] = bo.width;		/* box: x, y, z 0 */
	cmd[10] = bo.height;
	cmd[11] = 1;
	cmd[13] = VIRGL_TRANSFER_TO_HOST;	/* from offset 0 of the backing */
	eb.command = (uintptr_t)cmd;
	eb.size = sizeof(cmd);
	eb.bo_handles = (uintptr_t)&bo.handle;
	eb.num_bo_handles = 1;
	do_ioctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb);
	bo_wait(fd, bo.handle);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);

	memset(bo.ptr, 0, bo.size);
	transfer(fd, &bo, false);
	assert_texture(bo.ptr, bo.size, 101);
	bo_destroy(fd, &bo);
}

/*
 * Prime export of an evicted BO brings it back (an importer expects the
 * pages, the host the backing); its dma-buf mapping shows the contents.
 */
static void export_after_evict(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct bo bo;
	void *map;
	int dfd;

	dumb_create(fd, &bo, 512, 256);
	texture_fill(bo.ptr, bo.size, 121);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	igt_assert_eq(drmPrimeHandleToFD(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR, &dfd), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);

	map = mmap(NULL, bo.size, PROT_READ, MAP_SHARED, dfd, 0);
	igt_assert(map != MAP_FAILED);
	assert_texture(map, bo.size, 121);
	munmap(map, bo.size);
	close(dfd);
	bo_destroy(fd, &bo);
}

/*
 * A dma-buf that outlives the BO's last handle, mapped by another process.
 * virtio-gpu's dma-bufs had inodes of their own, out of the eviction's
 * reach once the handle (and with it obj->dma_buf) was gone: the mapping
 * kept reading the freed pages.
 */
static void dmabuf_orphan(int fd)
{
	struct bo bo;
	void *copy;

	dumb_create(fd, &bo, 1024, 1024);
	texture_fill(bo.ptr, bo.size, 131);
	copy = malloc(bo.size);
	igt_assert(copy);
	memcpy(copy, bo.ptr, bo.size);
	munmap(bo.ptr, bo.size);
	igt_assert_eq_u64(igt_gem_zswap_orphan_dmabuf(fd, bo.handle, copy, bo.size), 1);
	free(copy);
}

/* Blob resources are the host's or shared with it: never evicted. */
static void blob_refused(int fd)
{
	struct drm_virtgpu_resource_create_blob blob = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = 1 << 20,
	};
	struct igt_gem_zswap_stats s0, s1;

	igt_require_f(virtgpu_getparam(fd, VIRTGPU_PARAM_RESOURCE_BLOB),
		      "the device offers no blob resources (QEMU gives them only "
		      "with udmabuf on the host, and not with virgl)\n");
	do_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, blob.bo_handle), -EINVAL);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.evictions, s0.evictions);
	gem_close(fd, blob.bo_handle);
}

/* The first connected output: its connector, CRTC and preferred mode. */
struct output {
	drmModeResPtr res;
	drmModeConnectorPtr conn;
	drmModeModeInfo mode;
	uint32_t crtc;
};

static void output_get(int fd, struct output *out)
{
	igt_require(drmSetMaster(fd) == 0);
	out->res = drmModeGetResources(fd);
	igt_require(out->res && out->res->count_crtcs);
	out->conn = NULL;
	for (int i = 0; i < out->res->count_connectors && !out->conn; i++) {
		out->conn = drmModeGetConnector(fd, out->res->connectors[i]);
		if (out->conn && (out->conn->connection != DRM_MODE_CONNECTED ||
				  !out->conn->count_modes)) {
			drmModeFreeConnector(out->conn);
			out->conn = NULL;
		}
	}
	igt_require_f(out->conn, "no connected output\n");
	out->mode = out->conn->modes[0];
	out->crtc = out->res->crtcs[0];
}

static void output_show(int fd, struct output *out, uint32_t fb)
{
	if (fb)
		igt_assert_eq(drmModeSetCrtc(fd, out->crtc, fb, 0, 0,
					     &out->conn->connector_id, 1, &out->mode), 0);
	else
		igt_assert_eq(drmModeSetCrtc(fd, out->crtc, 0, 0, 0, NULL, 0, NULL), 0);
}

static void output_put(int fd, struct output *out)
{
	drmModeFreeConnector(out->conn);
	drmModeFreeResources(out->res);
	drmDropMaster(fd);
}

/* A screen-sized dumb buffer holding a texture, on the screen. */
static void scanout_show(int fd, struct output *out, struct bo *bo, uint32_t *fb,
			 uint64_t seed)
{
	output_get(fd, out);
	dumb_create(fd, bo, out->mode.hdisplay, out->mode.vdisplay);
	texture_fill(bo->ptr, bo->size, seed);
	igt_assert_eq(drmModeAddFB(fd, bo->width, bo->height, 24, 32, bo->pitch,
				   bo->handle, fb), 0);
	output_show(fd, out, *fb);
}

/* The framebuffer on screen is pinned: never evicted. */
static void scanout_pinned(int fd)
{
	struct output out;
	uint32_t fb;
	struct bo bo;

	scanout_show(fd, &out, &bo, &fb, 81);

	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -EBUSY);
	assert_texture(bo.ptr, bo.size, 81);

	/* Off the screen, it may go. */
	output_show(fd, &out, 0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);
	assert_texture(bo.ptr, bo.size, 81);

	drmModeRmFB(fd, fb);
	bo_destroy(fd, &bo);
	output_put(fd, &out);
}

/*
 * A BO on the screen is pinned: the shrinker must not find it again and
 * again, refuse it as busy each time and count it as freeable.  It stays
 * off the LRU while pinned and joins it when it leaves the screen.
 */
static void scanout_parked(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct output out;
	uint32_t fb;
	struct bo bo;

	scanout_show(fd, &out, &bo, &fb, 83);

	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < 5; i++)
		igt_assert_eq(igt_gem_zswap_evict_all(fd), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("5 passes over the LRU: %" PRIu64 " refused busy\n",
		 s1.reject_busy - s0.reject_busy);
	igt_assert_lte_u64(s1.reject_busy - s0.reject_busy, 1);
	igt_assert_eq_u64(igt_gem_zswap_evictable_bytes(fd), 0);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);

	/* Off the screen, unpinned: on the LRU again, and the next pass takes it. */
	output_show(fd, &out, 0);
	igt_assert_lte_u64(bo.size, igt_gem_zswap_evictable_bytes(fd));
	igt_assert_eq(igt_gem_zswap_evict_all(fd), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, 1);
	igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, bo.size);
	assert_texture(bo.ptr, bo.size, 83);

	drmModeRmFB(fd, fb);
	bo_destroy(fd, &bo);
	output_put(fd, &out);
}

/*
 * Reclaim asks once for idle BOs the host still has: it may not queue
 * their detaches itself, so a worker does, and the worker must also
 * finish each eviction when the host answers.  Left to a later reclaim,
 * the BOs would stay resident, detached, until one happens to come, and
 * every scan until the host answered would find them busy.  On a debug
 * kernel each detach is held back RECLAIM_DETACH_DELAY_US, as by a slow
 * host, so that the host answers only after this reclaim has ended.
 */
#define RECLAIM_BOS		8
#define RECLAIM_DETACH_DELAY_US	200000

static void reclaim_once(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct bo bos[RECLAIM_BOS];
	uint64_t size = 0;
	bool delayed;
	char cmd[64];
	int ret, i;

	for (i = 0; i < RECLAIM_BOS; i++) {
		dumb_create(fd, &bos[i], 512, 512);
		texture_fill(bos[i].ptr, bos[i].size, 90 + i);
		size += bos[i].size;
	}
	snprintf(cmd, sizeof(cmd), "delay detach %u", RECLAIM_DETACH_DELAY_US);
	delayed = !igt_gem_zswap_debugfs_cmd(fd, cmd);
	igt_gem_zswap_read_stats(fd, &s0);

	/* One reclaim for the whole machine; short of its target, it may say -EAGAIN. */
	ret = igt_gem_zswap_write_file("/sys/fs/cgroup/memory.reclaim", "256M");
	igt_assert_f(!ret || ret == -EAGAIN, "memory.reclaim: %s\n", strerror(-ret));
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("when reclaim returned: %" PRIu64 " evicted, %" PRIu64
		 " left to the driver, %" PRIu64 " refused busy (detaches %s)\n",
		 s1.stored_bos - s0.stored_bos, s1.evict_deferred - s0.evict_deferred,
		 s1.reject_busy - s0.reject_busy, delayed ? "delayed" : "not delayed");

	/* No other reclaim: the driver finishes what this one asked for. */
	for (i = 0; i < 200 && s1.stored_bos - s0.stored_bos < RECLAIM_BOS; i++) {
		usleep(50000);
		igt_gem_zswap_read_stats(fd, &s1);
	}
	if (delayed)
		igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay detach 0"), 0);
	igt_info("after %d ms: %" PRIu64 " evicted, %" PRIu64 " left to the driver, %"
		 PRIu64 " refused busy\n", i * 50, s1.stored_bos - s0.stored_bos,
		 s1.evict_deferred - s0.evict_deferred, s1.reject_busy - s0.reject_busy);
	igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, RECLAIM_BOS);
	igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, size);
	/* Each handed over once, none found busy while its detach was on its way. */
	igt_assert_lte_u64(RECLAIM_BOS, s1.evict_deferred - s0.evict_deferred);
	igt_assert_lte_u64(s1.reject_busy - s0.reject_busy, 1);

	for (i = 0; i < RECLAIM_BOS; i++) {
		assert_texture(bos[i].ptr, bos[i].size, 90 + i);
		bo_destroy(fd, &bos[i]);
	}
}

/*
 * A memory cgroup without swap whose limit drops below what it holds:
 * writing memory.max reclaims in the writer, and only the cgroup's idle
 * BOs can go, each through the detach worker.  Reclaim must wait for the
 * evictions it leaves to the worker, or it gives up after its retries and
 * the cgroup's OOM killer takes the BOs' owner.
 */
#define SQUEEZE_CGROUP	"/sys/fs/cgroup/virtio_gpu_zswap_squeeze"
#define SQUEEZE_BOS	16

static int squeeze_child(int fd, int ready, int go)
{
	struct bo bos[SQUEEZE_BOS];
	uint8_t *want;
	char c = 'r';
	int i, bad = 0;

	for (i = 0; i < SQUEEZE_BOS; i++) {
		dumb_create(fd, &bos[i], 512, 512);
		texture_fill(bos[i].ptr, bos[i].size, 110 + i);
	}
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		return 3;
	want = malloc(bos[0].size);
	if (!want)
		return 4;
	for (i = 0; i < SQUEEZE_BOS; i++) {
		texture_fill(want, bos[i].size, 110 + i);
		bad += !!memcmp(bos[i].ptr, want, bos[i].size);
	}
	free(want);
	return bad ? 2 : 0;
}

static void squeeze_limit(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	int ready[2], go[2], status;
	uint64_t cur, limit, oom;
	char buf[32], c;
	pid_t pid;

	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	rmdir(SQUEEZE_CGROUP);
	igt_assert_eq(mkdir(SQUEEZE_CGROUP, 0755), 0);
	igt_assert_eq(igt_gem_zswap_write_file(SQUEEZE_CGROUP "/memory.swap.max", "0"), 0);
	igt_assert(pipe(ready) == 0 && pipe(go) == 0);

	pid = fork();
	igt_assert(pid >= 0);
	if (!pid) {
		snprintf(buf, sizeof(buf), "%d", getpid());
		if (igt_gem_zswap_write_file(SQUEEZE_CGROUP "/cgroup.procs", buf))
			_exit(30);
		_exit(squeeze_child(fd, ready[1], go[0]));
	}
	igt_assert_eq(read(ready[0], &c, 1), 1);
	igt_gem_zswap_read_stats(fd, &s0);
	cur = igt_gem_zswap_read_u64(SQUEEZE_CGROUP "/memory.current");
	/* A quarter of the BOs' size below: their copies stay charged. */
	limit = cur - (SQUEEZE_BOS << 20) / 4;
	snprintf(buf, sizeof(buf), "%" PRIu64, limit);
	igt_assert_eq(igt_gem_zswap_write_file(SQUEEZE_CGROUP "/memory.max", buf), 0);
	igt_gem_zswap_read_stats(fd, &s1);
	oom = igt_gem_zswap_proc_u64(SQUEEZE_CGROUP "/memory.events", "oom_kill");
	igt_info("the cgroup held %" PRIu64 " KiB, limit %" PRIu64 " KiB: %" PRIu64
		 " evicted, %" PRIu64 " left to the driver, %" PRIu64 " OOM kills\n",
		 cur >> 10, limit >> 10, s1.evictions - s0.evictions,
		 s1.evict_deferred - s0.evict_deferred, oom);

	/*
	 * The contents are checked with the limit lifted: restoring every
	 * BO under it would need the others evicted again, which is not
	 * what this test is about.
	 */
	igt_assert_eq(igt_gem_zswap_write_file(SQUEEZE_CGROUP "/memory.max", "max"), 0);
	igt_assert_eq(write(go[1], "g", 1), 1);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	rmdir(SQUEEZE_CGROUP);
	igt_assert_f(!oom, "the cgroup's OOM killer ran\n");
	igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status),
		     "the BOs' owner: status %#x\n", status);
	igt_assert_lt_u64(0, s1.evictions - s0.evictions);
}

/*
 * fail-nth (Documentation/fault-injection): the n-th fault-injectable call
 * of this thread fails, every allocation counting once failslab and
 * fail_page_alloc stop ignoring those that may sleep, and fail_page_alloc
 * those of a single page and of highmem.  fail_nth_setup(false) puts the
 * defaults back.
 */
static void fail_nth_setup(bool on)
{
	static const char * const attrs[] = { "failslab", "fail_page_alloc" };

	igt_require_f(!access("/sys/kernel/debug/failslab/verbose", W_OK),
		      "needs fault injection in debugfs\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(attrs); i++) {
		igt_gem_zswap_fault_attr(attrs[i], "verbose", on ? "0" : "2");
		igt_gem_zswap_fault_attr(attrs[i], "ignore-gfp-wait", on ? "N" : "Y");
	}
	igt_gem_zswap_fault_attr("fail_page_alloc", "ignore-gfp-highmem", on ? "N" : "Y");
	igt_gem_zswap_fault_attr("fail_page_alloc", "min-order", on ? "0" : "1");
}

/*
 * The file stays open: opening it while a failure is armed would use the
 * failure up.  Reading and writing it allocate nothing.
 */
static int fail_nth_open(void)
{
	int f = open("/proc/thread-self/fail-nth", O_RDWR);

	igt_assert(f >= 0);
	return f;
}

static void fail_nth(int f, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	igt_assert_eq(pwrite(f, buf, len, 0), len);
}

/* Whether the failure armed last was injected. */
static bool fail_nth_injected(int f)
{
	char buf[16] = "";

	igt_assert(pread(f, buf, sizeof(buf) - 1, 0) > 0);
	return !strtoul(buf, NULL, 10);
}

/*
 * A cursor update whose plane setup fails after prepare_fb pinned the
 * cursor BO must unpin it (the atomic helpers do not call cleanup_fb for
 * the plane that failed).  Each fault-injectable call of a cursor update
 * fails in turn, until the update makes fewer calls than the one chosen;
 * some failures are absorbed (kvmalloc() falls back, for one) and the
 * update goes through.  After each, the cursor is taken off the screen and
 * the BO must be evictable: a leaked pin shows as -EBUSY, and as a warning
 * when the BO is freed.
 */
static void cursor_fault_injection(int fd)
{
	unsigned int n, failed = 0, absorbed = 0;
	struct bo primary, cursor;
	int nth;
	bool injected = true;
	struct output out;
	char log[2048] = "";
	uint32_t fb;
	int ret, err;

	scanout_show(fd, &out, &primary, &fb, 93);
	dumb_create(fd, &cursor, 64, 64);
	texture_fill(cursor.ptr, cursor.size, 94);
	fail_nth_setup(true);
	nth = fail_nth_open();

	for (n = 1; n <= 1000 && injected; n++) {
		fail_nth(nth, n);
		ret = drmModeSetCursor(fd, out.crtc, cursor.handle, 64, 64);
		injected = fail_nth_injected(nth);
		fail_nth(nth, 0);
		if (ret) {
			/* -EFAULT: a copy from the user failed (FAULT_INJECTION_USERCOPY). */
			igt_assert_f(ret == -ENOMEM || ret == -EFAULT,
				     "cursor update with call %u failing: %d\n", n, ret);
			failed++;
		} else {
			absorbed += injected;
			/* On the screen: pinned.  Off it, no longer. */
			igt_assert_eq(igt_gem_zswap_evict(fd, cursor.handle), -EBUSY);
			igt_assert_eq(drmModeSetCursor(fd, out.crtc, 0, 0, 0), 0);
		}
		err = igt_gem_zswap_evict(fd, cursor.handle);
		snprintf(log + strlen(log), sizeof(log) - strlen(log), " %u:%d/%d", n, ret, err);
		igt_assert_f(err == 0 || err == -EALREADY,
			     "after the cursor update with call %u failing (%d) the BO "
			     "cannot be evicted: %d (a pin leaked)\n", n, ret, err);
	}
	igt_info("cursor updates with call n failing (n:error/eviction after):%s\n", log);
	igt_info("%u failed, %u went through a failure, the last made fewer than %u calls\n",
		 failed, absorbed, n - 1);
	close(nth);
	fail_nth_setup(false);
	igt_assert(!injected);
	igt_assert(failed > 0);
	assert_texture(cursor.ptr, cursor.size, 94);

	output_show(fd, &out, 0);
	drmModeRmFB(fd, fb);
	bo_destroy(fd, &cursor);
	bo_destroy(fd, &primary);
	output_put(fd, &out);
}

/*
 * The host's view of the screen, through the guest's second serial port,
 * which build/guest-host.py serves when the kernel command line says
 * zb.host=1: the size of its screendump and the FNV-1a hash of its RGB
 * pixels.
 */
static bool host_channel(void)
{
	return igt_gem_zswap_cmdline_has("zb.host=1");
}

static void host_screendump(uint32_t *width, uint32_t *height, uint64_t *hash)
{
	struct termios tio;
	char line[128];
	size_t len = 0;
	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);

	igt_assert_f(fd >= 0, "no /dev/ttyS1 for the host channel\n");
	igt_assert_eq(tcgetattr(fd, &tio), 0);
	cfmakeraw(&tio);
	igt_assert_eq(tcsetattr(fd, TCSANOW, &tio), 0);
	tcflush(fd, TCIOFLUSH);
	igt_assert_eq(write(fd, "SCREENDUMP\n", 11), 11);
	while (len < sizeof(line) - 1 && (!len || line[len - 1] != '\n')) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		igt_assert_f(poll(&pfd, 1, 30000) == 1, "the host did not answer\n");
		n = read(fd, line + len, sizeof(line) - 1 - len);
		igt_assert(n > 0);
		len += n;
	}
	line[len] = '\0';
	close(fd);
	igt_assert_f(sscanf(line, "SCREEN %u %u %" SCNx64, width, height, hash) == 3,
		     "the host answered: %s", line);
}

/* FNV-1a of the RGB a screendump holds for an XRGB8888 buffer. */
static uint64_t rgb_hash(const struct bo *bo)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t y = 0; y < bo->height; y++) {
		const uint8_t *row = (const uint8_t *)bo->ptr + (size_t)y * bo->pitch;

		for (uint32_t x = 0; x < bo->width; x++)
			for (int c = 2; c >= 0; c--)
				h = (h ^ row[x * 4 + c]) * 0x100000001b3ull;
	}
	return h;
}

/*
 * 2D: the host's copy comes back only through the display.  A dumb buffer
 * evicted, then put on the screen: the plane update restores it, attaches
 * the backing and transfers it to the host, whose screendump must show
 * what was written before eviction.
 */
static void scanout_after_evict(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	uint32_t fb, width, height;
	struct output out;
	uint64_t hash, want;
	struct bo bo;

	igt_require_f(!virtgpu_has_3d(fd),
		      "virgl reads the host's copy back with TRANSFER_FROM_HOST "
		      "(transfer-after-evict)\n");
	igt_require_f(host_channel(), "no host channel (zb.host=1, build/guest-host.py)\n");
	output_get(fd, &out);
	dumb_create(fd, &bo, out.mode.hdisplay, out.mode.vdisplay);
	texture_fill(bo.ptr, bo.size, 111);
	want = rgb_hash(&bo);
	igt_assert_eq(drmModeAddFB(fd, bo.width, bo.height, 24, 32, bo.pitch,
				   bo.handle, &fb), 0);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), 0);

	output_show(fd, &out, fb);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.restores - s0.restores, 1);
	usleep(200000);
	host_screendump(&width, &height, &hash);
	igt_info("screen %ux%u, %016" PRIx64 " on the host, %016" PRIx64 " written\n",
		 width, height, hash, want);
	igt_assert_eq_u32(width, bo.width);
	igt_assert_eq_u32(height, bo.height);
	igt_assert_f(hash == want, "the host shows something else\n");

	output_show(fd, &out, 0);
	drmModeRmFB(fd, fb);
	bo_destroy(fd, &bo);
	output_put(fd, &out);
}

static void stats(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct bo bo[3];
	uint64_t orig = 0;

	for (int i = 0; i < 3; i++) {
		dumb_create(fd, &bo[i], 256 << i, 256);
		texture_fill(bo[i].ptr, bo[i].size, 90 + i);
	}
	igt_gem_zswap_read_stats(fd, &s0);
	for (int i = 0; i < 3; i++) {
		igt_assert_eq(igt_gem_zswap_evict(fd, bo[i].handle), 0);
		orig += bo[i].size;
		igt_gem_zswap_read_stats(fd, &s1);
		igt_assert_eq_u64(s1.stored_bos - s0.stored_bos, i + 1);
		igt_assert_eq_u64(s1.original_bytes - s0.original_bytes, orig);
		igt_assert_eq_u64(s1.evictions - s0.evictions, i + 1);
		igt_gem_zswap_assert_pool_holds(fd);
	}
	for (int i = 0; i < 3; i++) {
		assert_texture(bo[i].ptr, bo[i].size, 90 + i);
		igt_gem_zswap_read_stats(fd, &s1);
		igt_assert_eq_u64(s1.restores - s0.restores, i + 1);
	}
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	igt_assert_eq_u64(s1.restore_failures, s0.restore_failures);
	for (int i = 0; i < 3; i++)
		bo_destroy(fd, &bo[i]);
}

static void bad_input(int fd)
{
	struct igt_gem_zswap_stats s0, s1;
	struct bo bo;

	dumb_create(fd, &bo, 64, 64);
	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(igt_gem_zswap_evict(fd, 0), -ENOENT);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle + 1000), -ENOENT);
	bo_destroy(fd, &bo);
	igt_assert_eq(igt_gem_zswap_evict(fd, bo.handle), -ENOENT);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_assert(!memcmp(&s0, &s1, sizeof(s0)));
}

/*
 * fdinfo of a file with dumb buffers and resources: drm-resident-memory
 * drops and drm-evicted-memory rises by exactly the evicted BOs' sizes,
 * and faults put them back.  A file of its own, so that no other BO
 * counts.
 */
static void fdinfo(void)
{
	int efd = drm_open_driver(DRIVER_VIRTIO);
	struct bo bo[3];
	int64_t total;

	dumb_create(efd, &bo[0], 1024, 256);
	resource_create(efd, &bo[1], 512, 512);
	dumb_create(efd, &bo[2], 640, 480);
	for (unsigned int i = 0; i < ARRAY_SIZE(bo); i++)
		texture_fill(bo[i].ptr, bo[i].size, 50 + i);
	total = bo[0].size + bo[1].size + bo[2].size;
	igt_gem_zswap_assert_fdinfo(0, efd, total, total, 0);

	igt_assert_eq(igt_gem_zswap_evict(efd, bo[1].handle), 0);
	igt_assert_eq(igt_gem_zswap_evict(efd, bo[2].handle), 0);
	igt_gem_zswap_assert_fdinfo(0, efd, total, bo[0].size, bo[1].size + bo[2].size);

	assert_texture(bo[2].ptr, bo[2].size, 52);
	igt_gem_zswap_assert_fdinfo(0, efd, total, bo[0].size + bo[2].size, bo[1].size);
	assert_texture(bo[1].ptr, bo[1].size, 51);
	igt_gem_zswap_assert_fdinfo(0, efd, total, total, 0);

	for (unsigned int i = 0; i < ARRAY_SIZE(bo); i++)
		bo_destroy(efd, &bo[i]);
	drm_close_driver(efd);
}

igt_main
{
	static const struct { uint32_t w, h; } sizes[] = {
		{ 64, 16 }, { 1024, 256 }, { 1920, 1080 }, { 4096, 4096 },
	};
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_VIRTIO);
		igt_require_f(igt_gem_zswap_available(fd),
			      "virtio-gpu without drm_gem_zswap (or debugfs not mounted)\n");
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		igt_describe("A dumb buffer evicted through debugfs comes back through its "
			     "mapping, with the counters exact.");
		igt_subtest_f("dumb-evict-fault-%ux%u", sizes[i].w, sizes[i].h)
			evict_fault(fd, true, sizes[i].w, sizes[i].h);
		igt_describe("The same for a resource made with RESOURCE_CREATE.");
		igt_subtest_f("resource-evict-fault-%ux%u", sizes[i].w, sizes[i].h)
			evict_fault(fd, false, sizes[i].w, sizes[i].h);
	}

	igt_describe("A host write to a BO's backing just before its eviction "
		     "survives it, through bounce buffers in the DMA-API guest.");
	igt_subtest("device-write-then-evict")
		device_write_then_evict(fd);

	igt_describe("Resources created while another process evicts: none is "
		     "evicted before its backing is attached.");
	igt_subtest("create-race")
		create_race(fd);

	igt_describe("2D: a transfer to the host of an evicted BO restores and "
		     "attaches it first; the host reports no missing backing.");
	igt_subtest("transfer-2d-after-evict")
		transfer_2d_after_evict(fd);

	igt_describe("TRANSFER_TO_HOST of an evicted resource sends what was written "
		     "before eviction; TRANSFER_FROM_HOST into an evicted one lands.");
	igt_subtest("transfer-after-evict")
		transfer_after_evict(fd);

	igt_describe("An execbuffer that reads an evicted BO's backing finds what was "
		     "written before eviction.");
	igt_subtest("execbuffer-after-evict")
		execbuffer_after_evict(fd);

	igt_describe("Prime export restores an evicted BO; its dma-buf shows the "
		     "contents.");
	igt_subtest("export-after-evict")
		export_after_evict(fd);

	igt_describe("A dma-buf mapped by another process after the BO's last "
		     "handle closed faults the evicted BO back intact.");
	igt_subtest("dmabuf-orphan")
		dmabuf_orphan(fd);

	igt_describe("Blob resources are never evicted.");
	igt_subtest("blob-refused")
		blob_refused(fd);

	igt_describe("2D: a dumb buffer evicted and then put on the screen reaches "
		     "the host's display as it was written.");
	igt_subtest("scanout-after-evict")
		scanout_after_evict(fd);

	igt_describe("The framebuffer on screen is never evicted; off screen it is.");
	igt_subtest("scanout-pinned")
		scanout_pinned(fd);

	igt_describe("A pinned scanout BO leaves the LRU instead of being refused "
		     "on every pass, and joins it again when unpinned.");
	igt_subtest("scanout-parked")
		scanout_parked(fd);

	igt_describe("One reclaim for the whole machine evicts idle BOs the host "
		     "still has: the detach worker finishes each eviction when the "
		     "host answers, with no busy refusals meanwhile.");
	igt_subtest("reclaim-once")
		reclaim_once(fd);

	igt_describe("A cgroup without swap whose memory.max drops below what it "
		     "holds: reclaim waits for the evictions it left to the detach "
		     "worker, and no OOM kill happens.");
	igt_subtest("squeeze-limit")
		squeeze_limit(fd);

	igt_describe("Each allocation of a cursor update failing in turn: the "
		     "cursor BO is never left pinned.");
	igt_subtest("cursor-fault-injection")
		cursor_fault_injection(fd);

	igt_describe("Original, compressed and pool bytes, evictions and restores "
		     "match what the test did.");
	igt_subtest("stats")
		stats(fd);

	igt_describe("Invalid and closed handles are refused and change nothing.");
	igt_subtest("bad-input")
		bad_input(fd);

	igt_describe("fdinfo's drm-resident-memory drops and drm-evicted-memory "
		     "rises by exactly the evicted BOs' sizes; faults put them back.");
	igt_subtest("fdinfo")
		fdinfo();

	igt_fixture {
		drm_close_driver(fd);
	}
}

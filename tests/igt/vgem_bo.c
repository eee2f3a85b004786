// SPDX-License-Identifier: MIT
/*
 * vgem_bo: vgem buffer objects hold what is written to them, through every
 * way a process can reach their pages (two GEM mappings, a dma-buf mapping),
 * for sizes from one page to 64 MiB.  These are the properties that eviction
 * and restore must preserve; later tests evict between the write and the read.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#include "igt.h"
#include "igt_pattern.h"
#include "igt_vgem.h"

static void create_bytes(int fd, struct vgem_bo *bo, uint64_t size)
{
	/* One row of 4-byte pixels per page keeps the dumb size exact. */
	bo->width = 1024;
	bo->height = size / 4096;
	bo->bpp = 32;
	vgem_create(fd, bo);
	igt_assert_eq_u64(bo->size, size);
}

igt_main
{
	static const uint64_t sizes[] = {
		4096, 65536, 1 << 20, 16 << 20, 64 << 20,
	};
	int fd = -1;

	igt_fixture
		fd = drm_open_driver(DRIVER_VGEM);

	igt_describe("The device opened as vgem reports vgem as its driver.");
	igt_subtest("driver") {
		drmVersionPtr v = drmGetVersion(fd);

		igt_assert(v);
		igt_assert_f(!strcmp(v->name, "vgem"), "driver is %s\n", v->name);
		igt_info("driver %s %d.%d.%d\n", v->name, v->version_major,
			 v->version_minor, v->version_patchlevel);
		drmFreeVersion(v);
	}

	igt_describe("Dumb creation rounds to whole pages and gives distinct handles; "
		     "a closed handle cannot be closed again.");
	igt_subtest("create") {
		struct vgem_bo bo[4] = {
			{ .width = 1, .height = 1, .bpp = 8 },
			{ .width = 640, .height = 480, .bpp = 32 },
			{ .width = 1920, .height = 1080, .bpp = 32 },
			{ .width = 333, .height = 7, .bpp = 16 },
		};
		struct drm_gem_close arg = { };

		for (int i = 0; i < 4; i++) {
			vgem_create(fd, &bo[i]);
			igt_assert(bo[i].pitch >= bo[i].width * bo[i].bpp / 8);
			igt_assert(bo[i].size >= (uint64_t)bo[i].pitch * bo[i].height);
			igt_assert_eq_u64(bo[i].size % 4096, 0);
			for (int j = 0; j < i; j++)
				igt_assert_neq_u32(bo[i].handle, bo[j].handle);
		}
		for (int i = 0; i < 4; i++)
			gem_close(fd, bo[i].handle);
		arg.handle = bo[0].handle;
		do_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &arg, EINVAL);
	}

	igt_describe("A pattern written through one mapping reads back byte for byte "
		     "through a new mapping, for sizes from 4 KiB to 64 MiB.");
	igt_subtest("mmap-pattern") {
		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
			struct vgem_bo bo;
			uint64_t *p;

			create_bytes(fd, &bo, sizes[i]);
			p = vgem_mmap(fd, &bo, PROT_WRITE);
			igt_pattern_fill(p, bo.size, sizes[i]);
			munmap(p, bo.size);

			p = vgem_mmap(fd, &bo, PROT_READ);
			igt_assert_f(igt_pattern_check(p, bo.size, sizes[i]) == bo.size,
				     "size %" PRIu64 ": mismatch at byte %" PRIu64 "\n",
				     bo.size, igt_pattern_check(p, bo.size, sizes[i]));
			munmap(p, bo.size);
			gem_close(fd, bo.handle);
			igt_info("%" PRIu64 " bytes verified\n", sizes[i]);
		}
	}

	igt_describe("Two mappings of one BO are coherent: a write through one is "
		     "seen through the other at once.");
	igt_subtest("mmap-coherent") {
		struct vgem_bo bo;
		uint64_t *a, *b;

		create_bytes(fd, &bo, 1 << 20);
		a = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
		b = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
		igt_assert(a != b);
		igt_pattern_fill(a, bo.size, 7);
		igt_assert_eq_u64(igt_pattern_check(b, bo.size, 7), bo.size);
		igt_pattern_fill(b, bo.size, 8);
		igt_assert_eq_u64(igt_pattern_check(a, bo.size, 8), bo.size);
		munmap(a, bo.size);
		munmap(b, bo.size);
		gem_close(fd, bo.handle);
	}

	igt_describe("An exported dma-buf maps the same pages as the GEM mapping, "
		     "in both directions, with CPU access bracketed by DMA_BUF_IOCTL_SYNC.");
	igt_subtest("dmabuf-mmap") {
		struct dma_buf_sync sync = { };
		struct vgem_bo bo;
		uint64_t *gem, *dma;
		int dmabuf;

		create_bytes(fd, &bo, 4 << 20);
		gem = vgem_mmap(fd, &bo, PROT_READ | PROT_WRITE);
		igt_pattern_fill(gem, bo.size, 11);

		igt_assert_eq(drmPrimeHandleToFD(fd, bo.handle, DRM_CLOEXEC | DRM_RDWR,
						 &dmabuf), 0);
		dma = mmap(NULL, bo.size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
		igt_assert(dma != MAP_FAILED);

		sync.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW;
		igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
		igt_assert_eq_u64(igt_pattern_check(dma, bo.size, 11), bo.size);
		igt_pattern_fill(dma, bo.size, 12);
		sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
		igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &sync), 0);
		igt_assert_eq_u64(igt_pattern_check(gem, bo.size, 12), bo.size);

		munmap(dma, bo.size);
		munmap(gem, bo.size);
		close(dmabuf);
		gem_close(fd, bo.handle);
	}

	igt_describe("A vgem fence attached to a BO is signalled once, and a second "
		     "signal of the same fence finds it gone.");
	igt_subtest("fence-signal") {
		struct vgem_bo bo;
		uint32_t fence;

		igt_require(vgem_has_fences(fd));
		create_bytes(fd, &bo, 4096);
		fence = vgem_fence_attach(fd, &bo, VGEM_FENCE_WRITE);
		vgem_fence_signal(fd, fence);
		igt_assert_eq(__vgem_fence_signal(fd, fence), -ENOENT);
		gem_close(fd, bo.handle);
	}

	igt_fixture
		drm_close_driver(fd);
}

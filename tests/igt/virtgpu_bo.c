// SPDX-License-Identifier: MIT
/*
 * virtgpu_bo: virtio-gpu buffer objects hold what is written to them, through
 * dumb buffers and through virtio-gpu resources, and (with virgl) survive a
 * round trip through the host's copy of the resource.  Runs in both the 2D
 * and the virgl guest; the subtests that need 3D skip in the 2D guest.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <drm/virtgpu_drm.h>

#include "igt.h"
#include "igt_pattern.h"
#include "igt_virtgpu.h"

/* Gallium/virgl enums, as used by Mesa's virgl driver. */
#define PIPE_TEXTURE_2D			2
#define VIRGL_FORMAT_B8G8R8A8_UNORM	1
#define VIRGL_BIND_RENDER_TARGET	(1 << 1)
#define VIRGL_BIND_SAMPLER_VIEW		(1 << 3)

struct resource {
	uint32_t bo_handle;
	uint32_t res_handle;
	uint32_t width, height;
	uint64_t size;
};

static void resource_create(int fd, struct resource *res, uint32_t w, uint32_t h)
{
	struct drm_virtgpu_resource_create rc = {
		.target = PIPE_TEXTURE_2D,
		.format = VIRGL_FORMAT_B8G8R8A8_UNORM,
		.bind = VIRGL_BIND_RENDER_TARGET | VIRGL_BIND_SAMPLER_VIEW,
		.width = w,
		.height = h,
		.depth = 1,
		.array_size = 1,
		.size = w * h * 4,
		.stride = w * 4,
	};

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
	igt_assert_neq_u32(rc.bo_handle, 0);
	igt_assert_neq_u32(rc.res_handle, 0);
	res->bo_handle = rc.bo_handle;
	res->res_handle = rc.res_handle;
	res->width = w;
	res->height = h;
	res->size = (uint64_t)w * h * 4;
}

static void *resource_mmap(int fd, struct resource *res)
{
	struct drm_virtgpu_map map = { .handle = res->bo_handle };
	void *p;

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_MAP, &map);
	p = mmap(NULL, res->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	igt_assert(p != MAP_FAILED);
	return p;
}

static void bo_wait(int fd, uint32_t handle)
{
	struct drm_virtgpu_3d_wait wait = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &wait);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_driver(DRIVER_VIRTIO);

	igt_describe("The device is virtio_gpu and reports whether virgl 3D is on.");
	igt_subtest("driver") {
		drmVersionPtr v = drmGetVersion(fd);

		igt_assert(v);
		igt_assert_f(!strcmp(v->name, "virtio_gpu"), "driver is %s\n", v->name);
		igt_info("driver %s, 3D features %d\n", v->name, virtgpu_has_3d(fd));
		drmFreeVersion(v);
	}

	igt_describe("A dumb buffer (the scanout kind) holds a pattern written "
		     "through its mapping.");
	igt_subtest("dumb-mmap-pattern") {
		struct drm_mode_create_dumb create = {
			.width = 1024, .height = 768, .bpp = 32,
		};
		struct drm_mode_map_dumb map = { };
		uint64_t *p;

		do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create);
		igt_assert(create.size >= 1024 * 768 * 4);
		map.handle = create.handle;
		do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map);
		p = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 map.offset);
		igt_assert(p != MAP_FAILED);
		igt_pattern_fill(p, create.size, 3);
		munmap(p, create.size);
		p = mmap(NULL, create.size, PROT_READ, MAP_SHARED, fd, map.offset);
		igt_assert(p != MAP_FAILED);
		igt_assert_eq_u64(igt_pattern_check(p, create.size, 3), create.size);
		munmap(p, create.size);
		gem_close(fd, create.handle);
	}

	igt_describe("A virtio-gpu resource created with RESOURCE_CREATE is mappable "
		     "and holds a pattern, for sizes from one page to 16 MiB.");
	igt_subtest("resource-mmap-pattern") {
		static const uint32_t dims[][2] = {
			{ 32, 32 }, { 256, 256 }, { 1024, 1024 }, { 2048, 2048 },
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(dims); i++) {
			struct drm_virtgpu_resource_info info = { };
			struct resource res;
			uint64_t *p;

			resource_create(fd, &res, dims[i][0], dims[i][1]);
			info.bo_handle = res.bo_handle;
			do_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info);
			igt_assert_eq_u32(info.res_handle, res.res_handle);
			igt_assert(info.size >= res.size);

			p = resource_mmap(fd, &res);
			igt_pattern_fill(p, res.size, i + 100);
			munmap(p, res.size);
			p = resource_mmap(fd, &res);
			igt_assert_eq_u64(igt_pattern_check(p, res.size, i + 100), res.size);
			munmap(p, res.size);
			gem_close(fd, res.bo_handle);
		}
	}

	igt_describe("With virgl, a pattern sent to the host with TRANSFER_TO_HOST, "
		     "wiped in the guest and fetched back with TRANSFER_FROM_HOST, is "
		     "the same byte for byte: the host really holds the resource.");
	igt_subtest("transfer-roundtrip") {
		struct drm_virtgpu_3d_transfer_to_host to = { };
		struct drm_virtgpu_3d_transfer_from_host from = { };
		struct resource res;
		uint64_t *p;

		igt_require_f(virtgpu_has_3d(fd), "virgl 3D is not enabled on this device\n");
		resource_create(fd, &res, 256, 256);
		p = resource_mmap(fd, &res);
		igt_pattern_fill(p, res.size, 42);

		to.bo_handle = res.bo_handle;
		to.box.w = res.width;
		to.box.h = res.height;
		to.box.d = 1;
		do_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to);
		bo_wait(fd, res.bo_handle);

		memset(p, 0, res.size);
		from.bo_handle = res.bo_handle;
		from.box = to.box;
		do_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from);
		bo_wait(fd, res.bo_handle);

		igt_assert_f(igt_pattern_check(p, res.size, 42) == res.size,
			     "host copy differs at byte %" PRIu64 "\n",
			     igt_pattern_check(p, res.size, 42));
		munmap(p, res.size);
		gem_close(fd, res.bo_handle);
	}

	igt_describe("Without virgl, TRANSFER_FROM_HOST is refused with ENOSYS.");
	igt_subtest("transfer-from-host-2d") {
		struct drm_virtgpu_3d_transfer_from_host from = { };
		struct resource res;

		igt_require_f(!virtgpu_has_3d(fd), "virgl 3D is enabled on this device\n");
		resource_create(fd, &res, 64, 64);
		from.bo_handle = res.bo_handle;
		from.box.w = 64;
		from.box.h = 64;
		from.box.d = 1;
		do_ioctl_err(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from, ENOSYS);
		gem_close(fd, res.bo_handle);
	}

	igt_fixture
		drm_close_driver(fd);
}

// SPDX-License-Identifier: MIT
#include <stdint.h>

#include <drm/drm.h>
#include <drm/virtgpu_drm.h>

#include "drmtest.h"
#include "igt_virtgpu.h"

/**
 * virtgpu_has_3d: whether the device renders with virgl (VIRTGPU_PARAM_3D_FEATURES)
 */
bool virtgpu_has_3d(int fd)
{
	return virtgpu_getparam(fd, VIRTGPU_PARAM_3D_FEATURES);
}

/**
 * virtgpu_getparam: the value of a VIRTGPU_PARAM_*, 0 when the kernel does
 * not know it
 */
uint64_t virtgpu_getparam(int fd, uint64_t param)
{
	uint64_t value = 0;
	struct drm_virtgpu_getparam gp = {
		.param = param,
		.value = (uintptr_t)&value,
	};

	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp))
		return 0;
	return value;
}

/**
 * virtgpu_resource_id: the host's resource id of the BO @handle
 */
uint32_t virtgpu_resource_id(int fd, uint32_t handle)
{
	struct drm_virtgpu_resource_info info = { .bo_handle = handle };

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info);
	return info.res_handle;
}

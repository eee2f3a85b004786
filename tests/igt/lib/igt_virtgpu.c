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
	int value = 0;
	struct drm_virtgpu_getparam gp = {
		.param = VIRTGPU_PARAM_3D_FEATURES,
		.value = (uintptr_t)&value,
	};

	do_ioctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
	return value;
}

/* SPDX-License-Identifier: MIT */
/*
 * Opening DRM devices by driver, as IGT's drmtest.h does, over libdrm.
 */
#ifndef DRMTEST_H
#define DRMTEST_H

#include <stdbool.h>
#include <xf86drm.h>

#include "igt_core.h"

#define DRIVER_VGEM	(1 << 1)
#define DRIVER_VIRTIO	(1 << 2)
#define DRIVER_ANY	(~0)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

int __drm_open_driver(int chipset);
int __drm_open_driver_render(int chipset);
int drm_open_driver(int chipset);
int drm_open_driver_render(int chipset);
int drm_close_driver(int fd);
bool is_vgem_device(int fd);
bool is_virtio_device(int fd);

#define igt_ioctl drmIoctl

#define do_ioctl(fd, ioc, ioc_data) \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0)

#define do_ioctl_err(fd, ioc, ioc_data, err) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
	igt_assert_eq(errno, (err)); \
	errno = 0; \
} while (0)

#endif /* DRMTEST_H */

// SPDX-License-Identifier: MIT
/*
 * Find a DRM device by driver name: /dev/dri/card* for the primary node,
 * /dev/dri/renderD* for render nodes.  A missing device skips the test, as
 * in IGT, rather than failing it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "drmtest.h"

static const struct {
	int chipset;
	const char *name;
} drivers[] = {
	{ DRIVER_VGEM, "vgem" },
	{ DRIVER_VIRTIO, "virtio_gpu" },
};

static bool driver_matches(int fd, int chipset)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool match = false;
	unsigned int i;

	if (!v)
		return false;
	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if ((chipset & drivers[i].chipset) && !strcmp(v->name, drivers[i].name))
			match = true;
	drmFreeVersion(v);
	return match;
}

static int open_matching(const char *fmt, int first, int chipset)
{
	char path[64];
	int i, fd;

	for (i = first; i < first + 16; i++) {
		snprintf(path, sizeof(path), fmt, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (driver_matches(fd, chipset))
			return fd;
		close(fd);
	}
	return -1;
}

int __drm_open_driver(int chipset)
{
	return open_matching("/dev/dri/card%d", 0, chipset);
}

int __drm_open_driver_render(int chipset)
{
	return open_matching("/dev/dri/renderD%d", 128, chipset);
}

static const char *chipset_name(int chipset)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (chipset == drivers[i].chipset)
			return drivers[i].name;
	return "any";
}

int drm_open_driver(int chipset)
{
	int fd = __drm_open_driver(chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%x (%s)\n",
		      chipset, chipset_name(chipset));
	return fd;
}

int drm_open_driver_render(int chipset)
{
	int fd = __drm_open_driver_render(chipset);

	igt_skip_on_f(fd < 0, "No render node found for chipset flags 0x%x (%s)\n",
		      chipset, chipset_name(chipset));
	return fd;
}

int drm_close_driver(int fd)
{
	return close(fd);
}

bool is_vgem_device(int fd)
{
	return driver_matches(fd, DRIVER_VGEM);
}

bool is_virtio_device(int fd)
{
	return driver_matches(fd, DRIVER_VIRTIO);
}

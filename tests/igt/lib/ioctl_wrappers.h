/* SPDX-License-Identifier: MIT */
/* GEM ioctls common to every driver, with IGT's ioctl_wrappers.h names. */
#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

#include <stdint.h>

int __gem_close(int fd, uint32_t handle);
void gem_close(int fd, uint32_t handle);

#endif /* IOCTL_WRAPPERS_H */

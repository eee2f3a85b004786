/* SPDX-License-Identifier: MIT */
/* virtio-gpu queries shared by the virtio-gpu tests. */
#ifndef IGT_VIRTGPU_H
#define IGT_VIRTGPU_H

#include <stdbool.h>
#include <stdint.h>

bool virtgpu_has_3d(int fd);
uint64_t virtgpu_getparam(int fd, uint64_t param);
uint32_t virtgpu_resource_id(int fd, uint32_t handle);

#endif /* IGT_VIRTGPU_H */

/* SPDX-License-Identifier: MIT */
/* virtio-gpu queries shared by the virtio-gpu tests. */
#ifndef IGT_VIRTGPU_H
#define IGT_VIRTGPU_H

#include <stdbool.h>

bool virtgpu_has_3d(int fd);

#endif /* IGT_VIRTGPU_H */

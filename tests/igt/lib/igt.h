/* SPDX-License-Identifier: MIT */
/* The umbrella header of IGT: tests include this and nothing else of the harness. */
#ifndef IGT_H
#define IGT_H

#include "drmtest.h"
#include "igt_core.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */

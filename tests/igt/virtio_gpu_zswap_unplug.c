// SPDX-License-Identifier: MIT
/*
 * virtio_gpu_zswap_unplug: a virtio-gpu device that goes away while an
 * eviction waits for the host to detach a BO's pages.  A command queued
 * after drm_dev_unplug() is dropped and its fence is never signalled, so a
 * wait for it must give up, not sleep in D state for good along with the
 * device's removal.
 *
 * The device is bound to its driver again at the end, as a new DRM device;
 * a full guest run (build/guest-init.sh, in the order of the names) runs
 * this test after the other GPU tests.  It needs
 * CONFIG_DRM_GEM_ZSWAP_DEBUG, whose "delay detach" holds the detach back
 * until the removal has begun.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>

#include "igt.h"
#include "igt_gem_zswap.h"
#include "igt_pattern.h"

/* How long the detach is held back, and how long everything may take. */
#define DETACH_DELAY_US	1000000
#define DEADLINE_S	30

/* The sysfs directory of @fd's device's driver, and the device's name. */
static void driver_path(int fd, char *drv_dir, size_t len, char *name,
			size_t name_len)
{
	char link[PATH_MAX], dev[PATH_MAX], drv[PATH_MAX];
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	igt_assert(realpath(link, dev));
	igt_assert_lt(snprintf(link, sizeof(link), "%.4000s/driver", dev), sizeof(link));
	igt_assert(realpath(link, drv));
	igt_assert_lt(snprintf(drv_dir, len, "%s", drv), len);
	snprintf(name, name_len, "%s", basename(dev));
}

/* Waits for @pid until @deadline; its exit code, or -1 if still running. */
static int wait_until(pid_t pid, time_t deadline)
{
	int status;

	while (time(NULL) < deadline) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		igt_assert(r >= 0);
		if (r == pid) {
			igt_assert(WIFEXITED(status));
			return WEXITSTATUS(status);
		}
		usleep(20000);
	}
	return -1;
}

/* Waits until @pid sleeps uninterruptibly, as in the debug delay. */
static bool wait_sleeping(pid_t pid)
{
	char path[64], line[128];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		bool d = false;

		igt_assert(f);
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "State:\tD", 8))
				d = true;
		fclose(f);
		if (d)
			return true;
		usleep(1000);
	}
	return false;
}

static void evict_during_unplug(void)
{
	struct drm_mode_create_dumb arg = { .width = 1024, .height = 256, .bpp = 32 };
	struct drm_mode_map_dumb map = { };
	char drv[PATH_MAX], unbind[PATH_MAX + 8], bind[PATH_MAX + 8];
	char name[NAME_MAX + 1], cmd[32];
	struct timespec t0, t1;
	pid_t evicter, unplugger;
	int evicted, unplugged, rebound, fd;
	uint64_t client_id, intact;
	bool sleeping;
	int go[2];
	time_t deadline;
	uint8_t *ptr;

	fd = drm_open_driver(DRIVER_VIRTIO);
	igt_require_f(igt_gem_zswap_available(fd),
		      "virtio-gpu without drm_gem_zswap (or debugfs not mounted)\n");
	igt_require_f(igt_gem_zswap_debugfs_cmd(fd, "delay detach 0") == 0,
		      "needs root and CONFIG_DRM_GEM_ZSWAP_DEBUG\n");
	driver_path(fd, drv, sizeof(drv), name, sizeof(name));
	snprintf(unbind, sizeof(unbind), "%s/unbind", drv);
	snprintf(bind, sizeof(bind), "%s/bind", drv);

	/* A compressible BO, its pages attached to the host. */
	do_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);
	map.handle = arg.handle;
	do_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map);
	ptr = mmap(NULL, arg.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	igt_assert(ptr != MAP_FAILED);
	memset(ptr, 0, arg.size);
	igt_pattern_fill(ptr, 64 << 10, 77);

	/*
	 * The unbinding child is forked first: a fork maps the BO again in
	 * the child, which takes the BO's lock (drm_gem_shmem_vm_open()),
	 * and would wait for the eviction.
	 */
	igt_assert_eq(pipe(go), 0);
	unplugger = fork();
	igt_assert(unplugger >= 0);
	if (unplugger == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(igt_gem_zswap_write_file(unbind, name) ? 1 : 0);
	}
	close(go[0]);

	snprintf(cmd, sizeof(cmd), "delay detach %u", DETACH_DELAY_US);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, cmd), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* No igt_assert in a forked child: the client id is read here. */
	client_id = igt_drm_client_id(fd);
	evicter = fork();
	igt_assert(evicter >= 0);
	if (evicter == 0)
		_exit(-__igt_gem_zswap_evict(fd, client_id, arg.handle));

	/*
	 * Once the eviction sleeps in the delay, no later detach waits; the
	 * delay is cleared before anything is asserted, so that a failure
	 * leaves no second-long sleep to the tests after this one.
	 */
	sleeping = wait_sleeping(evicter);
	igt_assert_eq(igt_gem_zswap_debugfs_cmd(fd, "delay detach 0"), 0);
	igt_assert_f(sleeping, "the eviction never reached the delay\n");
	igt_info("unbinding %s from %s\n", name, unbind);
	igt_assert_eq(write(go[1], "u", 1), 1);
	close(go[1]);

	deadline = time(NULL) + DEADLINE_S;
	evicted = wait_until(evicter, deadline);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unplugged = wait_until(unplugger, deadline);
	/* Dropped with the device, and the BO left as it was. */
	intact = igt_pattern_check(ptr, 64 << 10, 77);
	for (uint64_t i = 64 << 10; i < arg.size; i++)
		intact += !ptr[i];
	/*
	 * The device comes back, as a new DRM device, whatever is found; only
	 * once the old one is released with its last file, since the driver
	 * names its slab cache alike for every device.
	 */
	munmap(ptr, arg.size);
	drm_close_driver(fd);
	rebound = unplugged == 0 ? igt_gem_zswap_write_file(bind, name) : -1;
	igt_assert_f(evicted >= 0, "the eviction still waits for its detach after %d s\n",
		     DEADLINE_S);
	igt_assert_f(unplugged >= 0, "the unbind is still stuck after %d s\n", DEADLINE_S);
	igt_info("eviction: %s after %.2f s; unbind: %s\n", strerror(evicted),
		 (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		 unplugged ? "failed" : "done");
	igt_assert_eq(unplugged, 0);
	igt_assert_eq(rebound, 0);
	igt_assert_eq(evicted, ENODEV);
	igt_assert_eq_u64(intact, arg.size);
}

igt_main
{
	igt_describe("The device is unbound while an eviction waits for its "
		     "detach: the eviction fails with ENODEV, the BO stays intact "
		     "and the unbind completes.");
	igt_subtest("evict-during-unplug")
		evict_during_unplug();
}

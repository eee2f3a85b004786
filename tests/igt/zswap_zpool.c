// SPDX-License-Identifier: MIT
/*
 * zswap_zpool: zswap stores and restores anonymous memory through each zpool
 * backend.  A child in a memory cgroup whose limit is a third of what it
 * writes fills pages with compressible, page-unique data, so most of them go
 * to swap through zswap; the test records /proc/meminfo's Zswap (pool size)
 * and Zswapped (original size) while they are out, then the child reads
 * every page back and checks it byte for byte.
 *
 * Needs a swap device: the first virtio disk, /dev/vda, which the fixture
 * formats and enables.  The backend is switched at run time through zswap's
 * zpool parameter, so every backend is measured in the same boot.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_gem_zswap.h"

#define SWAP_DEV	"/dev/vda"
#define CGROUP		"/sys/fs/cgroup/zswap_zpool"
#define LIMIT_MB	64
#define WRITE_MB	(3 * LIMIT_MB)
#define PAGE		4096

struct zswap_report {
	long zswap_kb;
	long zswapped_kb;
	long bad_pages;
	long pages;
};

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static long meminfo_kb(const char *key)
{
	char buf[8192], *p;

	if (read_file("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, key);
	if (!p)
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

/* Text-like, compressible, and different on every page. */
static void fill_page(uint8_t *p, uint64_t n)
{
	static const char words[] = "zblock stores compressed pages in slots of blocks ";
	uint64_t x = n * 0x9e3779b97f4a7c15ull + 1;
	int i;

	for (i = 0; i < PAGE; i++) {
		if (i % 64 == 0) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		p[i] = i % 64 < 8 ? (uint8_t)(x >> (8 * (i % 8))) : words[(i + n) % 50];
	}
}

static bool check_page(const uint8_t *p, uint64_t n)
{
	uint8_t expect[PAGE];

	fill_page(expect, n);
	return !memcmp(p, expect, PAGE);
}

/* In the child: join the cgroup, write, report, read back, report. */
static void child(int out)
{
	const uint64_t pages = (uint64_t)WRITE_MB << 20 >> 12;
	struct zswap_report r = { .pages = pages };
	char pid[32];
	uint8_t *mem;
	uint64_t i;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (igt_gem_zswap_write_file(CGROUP "/cgroup.procs", pid))
		_exit(2);
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(3);
	for (i = 0; i < pages; i++)
		fill_page(mem + i * PAGE, i);
	r.zswap_kb = meminfo_kb("Zswap:");
	r.zswapped_kb = meminfo_kb("Zswapped:");
	for (i = 0; i < pages; i++)
		if (!check_page(mem + i * PAGE, i))
			r.bad_pages++;
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(4);
	_exit(0);
}

static void run_backend(const char *zpool)
{
	char buf[64];
	struct zswap_report r;
	int pipefd[2], status;
	pid_t pid;

	igt_require_f(igt_gem_zswap_write_file("/sys/module/zswap/parameters/zpool", zpool) == 0,
		      "zpool %s is not available\n", zpool);
	igt_assert_eq(read_file("/sys/module/zswap/parameters/zpool", buf, sizeof(buf)), 0);
	igt_assert_f(!strncmp(buf, zpool, strlen(zpool)), "zswap uses %s", buf);

	mkdir(CGROUP, 0755);
	snprintf(buf, sizeof(buf), "%dM", LIMIT_MB);
	igt_assert_eq(igt_gem_zswap_write_file(CGROUP "/memory.max", buf), 0);

	igt_assert_eq(pipe(pipefd), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		child(pipefd[1]);
	}
	close(pipefd[1]);
	igt_assert_eq(read(pipefd[0], &r, sizeof(r)), (int)sizeof(r));
	close(pipefd[0]);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child ended with status 0x%x\n", status);
	rmdir(CGROUP);

	igt_info("%s: %ld pages written, %ld bad; Zswapped %ld kB in Zswap %ld kB, ratio %.2f\n",
		 zpool, r.pages, r.bad_pages, r.zswapped_kb, r.zswap_kb,
		 r.zswap_kb > 0 ? (double)r.zswapped_kb / r.zswap_kb : 0.0);
	igt_assert_eq(r.bad_pages, 0);
	/* Most of what went beyond the limit must have gone through zswap. */
	igt_assert_f(r.zswapped_kb >= (WRITE_MB - 2 * LIMIT_MB) * 1024,
		     "only %ld kB went to zswap\n", r.zswapped_kb);
	igt_assert(r.zswap_kb > 0 && r.zswap_kb < r.zswapped_kb);
}

igt_main
{
	igt_fixture {
		struct stat st;

		igt_require_f(stat(SWAP_DEV, &st) == 0, "no swap disk %s\n", SWAP_DEV);
		igt_require_f(stat("/sys/module/zswap/parameters/enabled", &st) == 0,
			      "zswap is not built in\n");
		static const char mkswap[] = "mkswap " SWAP_DEV " > /dev/null";

		igt_assert_eq(system(mkswap), 0);
		igt_assert_eq(swapon(SWAP_DEV, 0), 0);
		igt_assert_eq(igt_gem_zswap_write_file("/sys/module/zswap/parameters/enabled",
						       "Y"), 0);
		igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
						       "+memory"), 0);
	}

	igt_describe("zswap over zblock keeps every page intact under a memcg limit.");
	igt_subtest("zblock")
		run_backend("zblock");

	igt_describe("The same with zsmalloc, for comparison in the same boot.");
	igt_subtest("zsmalloc")
		run_backend("zsmalloc");

	igt_fixture {
		const char *dev = SWAP_DEV;

		igt_assert_eq(swapoff(dev), 0);
	}
}

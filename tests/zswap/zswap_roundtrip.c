// SPDX-License-Identifier: GPL-2.0
/*
 * zswap_roundtrip: real pages through zswap and back, on each zpool backend.
 *
 * Runs as the init of a small guest (build/arm64.sh boots it on arm64 with
 * 4K, 16K or 64K pages) with a swap disk as /dev/vda and a corpus of this
 * machine's files as /data.  For each backend named by zr.zpools= on the
 * kernel command line (default "zblock,zsmalloc"), in a memory cgroup whose
 * memory.max is three quarters of the corpus (zswap charges its compressed
 * copies to the cgroup, so a tighter limit would leave no room for them):
 *
 *   - zswap is switched to that backend with lz4;
 *   - the corpus is read into anonymous memory (zr.repeat=N times over, for
 *     a pool large enough that each class's last, partly filled block
 *     weighs little on 64K pages); the cgroup's limit pushes
 *     most of it out as it goes, and memory.reclaim the rest, through
 *     zswap_store();
 *   - zswap's counters are read with everything stored: the pool's size
 *     over the pages it holds is the backend's density on real data;
 *   - every page is compared with the corpus again, which faults each one
 *     back in through zswap_load();
 *   - the memory is unmapped and the pool must drain to nothing.
 *
 * One JSON line per backend, then the ratio of each backend's bytes per
 * stored page to zsmalloc's.  Exits non-zero (as init: prints FAIL and
 * powers off) on any page that differs, a counter that does not add up or
 * a backend that cannot be selected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#define ZSWAP_PARAM	"/sys/module/zswap/parameters/"
#define ZSWAP_DEBUG	"/sys/kernel/debug/zswap/"
#define CGROUP		"/sys/fs/cgroup/"
#define TEST_CG		CGROUP "zswap_roundtrip/"
#define CHUNK		(1 << 20)
#define MAX_ZPOOLS	4

struct result {
	char zpool[16];
	unsigned long stored_pages, pool_bytes, written_back, bad_pages, zero_pages;
	unsigned long reject_alloc, reject_compress;
};

static long page_size;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "zswap_roundtrip: FAIL: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static void must_write(const char *path, const char *val)
{
	int ret = write_file(path, val);

	if (ret)
		die("writing '%s' to %s: %s", val, path, strerror(-ret));
}

static unsigned long read_ulong(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		die("%s: %s", path, strerror(errno));
	close(fd);
	return strtoul(buf, NULL, 10);
}

static void read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* The value of key= on the kernel command line, or NULL. */
static const char *cmdline_arg(const char *key, char *buf, size_t len)
{
	static char line[4096];
	char *tok, *save;
	size_t klen = strlen(key);
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	line[n > 0 ? n : 0] = 0;
	for (tok = strtok_r(line, "\n\t ", &save); tok; tok = strtok_r(NULL, "\n\t ", &save)) {
		if (!strncmp(tok, key, klen) && tok[klen] == '=') {
			snprintf(buf, len, "%s", tok + klen + 1);
			return buf;
		}
	}
	return NULL;
}

static void setup_system(void)
{
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mount("cgroup2", CGROUP, "cgroup2", 0, NULL);
	if (swapon("/dev/vda", 0))
		die("swapon /dev/vda: %s", strerror(errno));
}

/*
 * Read the whole of @fd from the start into @mem, or compare @mem with it
 * and count its all-zero pages in @zero (the swap layer keeps those apart
 * from zswap in 6.12).
 */
static unsigned long pass(int fd, char *mem, size_t size, char *buf, int compare,
			  unsigned long *zero)
{
	unsigned long bad = 0;
	size_t off, i;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET))
		die("seek /data: %s", strerror(errno));
	for (off = 0; off < size; off += n) {
		n = read(fd, compare ? buf : mem + off, CHUNK);
		if (n <= 0)
			die("read /data at %zu: %s", off, n ? strerror(errno) : "short");
		if (!compare)
			continue;
		for (i = 0; i < (size_t)n; i += page_size) {
			bad += !!memcmp(mem + off + i, buf + i, page_size);
			*zero += !buf[i] && !memcmp(buf + i, buf + i + 1, page_size - 1);
		}
	}
	return bad;
}

static void stats(struct result *r)
{
	r->stored_pages = read_ulong(ZSWAP_DEBUG "stored_pages");
	r->pool_bytes = read_ulong(ZSWAP_DEBUG "pool_total_size");
	r->written_back = read_ulong(ZSWAP_DEBUG "written_back_pages");
	r->reject_alloc = read_ulong(ZSWAP_DEBUG "reject_alloc_fail");
	r->reject_compress = read_ulong(ZSWAP_DEBUG "reject_compress_poor");
}

/* In a child, so that its memory and its charge go away when it exits. */
static void run_one(const char *zpool, size_t size, unsigned int repeat,
		    struct result *out)
{
	struct result *r;
	char pid[32], limit[32], got[32];
	int status, fd, tries;
	pid_t child;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memset(r, 0, sizeof(*r));
	must_write(ZSWAP_PARAM "zpool", zpool);
	read_str(ZSWAP_PARAM "zpool", got, sizeof(got));
	if (strcmp(got, zpool))
		die("zswap took zpool '%s' for '%s'", got, zpool);
	snprintf(r->zpool, sizeof(r->zpool), "%s", zpool);

	child = fork();
	if (child < 0)
		die("fork: %s", strerror(errno));
	if (!child) {
		unsigned int k;
		char *mem, *buf;

		snprintf(pid, sizeof(pid), "%d", getpid());
		must_write(TEST_CG "cgroup.procs", pid);
		fd = open("/data", O_RDONLY);
		buf = malloc(CHUNK);
		mem = mmap(NULL, size * repeat, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (fd < 0 || !buf || mem == MAP_FAILED)
			die("setting up: %s", strerror(errno));
		for (k = 0; k < repeat; k++)
			pass(fd, mem + k * size, size, NULL, 0, NULL);
		/*
		 * Everything out: what memory.max left resident goes now.  One
		 * write may give up (-EAGAIN) before it has reclaimed all it was
		 * asked for, so ask again while it does.
		 */
		snprintf(limit, sizeof(limit), "%zu", size * repeat);
		for (k = 0; k < 16 && write_file(TEST_CG "memory.reclaim", limit); k++)
			;
		stats(r);
		for (k = 0; k < repeat; k++)
			r->bad_pages += pass(fd, mem + k * size, size, buf, 1, &r->zero_pages);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("%s: the test process failed (status %#x)", zpool, status);
	/* The child's swap entries are freed as it exits: the pool drains. */
	for (tries = 0; tries < 100 && read_ulong(ZSWAP_DEBUG "stored_pages"); tries++)
		usleep(100000);
	if (read_ulong(ZSWAP_DEBUG "stored_pages"))
		die("%s: %lu pages still stored after the process exited", zpool,
		    read_ulong(ZSWAP_DEBUG "stored_pages"));
	*out = *r;
	munmap(r, sizeof(*r));
}

static int run(void)
{
	char arg[256], limit[32], *name, *save;
	struct result res[MAX_ZPOOLS];
	const char *zpools;
	unsigned long data_pages;
	unsigned int repeat = 1;
	struct stat st;
	int n = 0, i, bad = 0;
	double base = 0;

	page_size = sysconf(_SC_PAGESIZE);
	zpools = cmdline_arg("zr.zpools", arg, sizeof(arg));
	if (!zpools)
		zpools = memcpy(arg, "zblock,zsmalloc", sizeof("zblock,zsmalloc"));
	if (stat("/data", &st) || st.st_size < 64 * page_size || st.st_size % page_size)
		die("/data: want a corpus of whole pages (size %lld)", (long long)st.st_size);
	if (cmdline_arg("zr.repeat", limit, sizeof(limit)))
		repeat = strtoul(limit, NULL, 10);
	if (repeat < 1 || repeat > 64)
		die("zr.repeat=%u: want 1 to 64", repeat);
	data_pages = st.st_size / page_size * repeat;

	must_write(ZSWAP_PARAM "compressor", "lz4");
	must_write(ZSWAP_PARAM "max_pool_percent", "90");
	must_write(ZSWAP_PARAM "enabled", "Y");
	mkdir(TEST_CG, 0755);
	must_write(CGROUP "cgroup.subtree_control", "+memory");
	snprintf(limit, sizeof(limit), "%lld", (long long)st.st_size / 4 * 3 * repeat);
	must_write(TEST_CG "memory.max", limit);

	for (name = strtok_r(arg, ",", &save); name && n < MAX_ZPOOLS;
	     name = strtok_r(NULL, ",", &save)) {
		struct result *r = &res[n++];

		run_one(name, st.st_size, repeat, r);
		printf("zswap_roundtrip: {\"zpool\": \"%s\", \"page_size\": %ld, "
		       "\"data_pages\": %lu, \"stored_pages\": %lu, \"pool_bytes\": %lu, "
		       "\"written_back_pages\": %lu, \"reject_alloc_fail\": %lu, "
		       "\"reject_compress_poor\": %lu, \"zero_pages\": %lu, \"bad_pages\": %lu}\n",
		       r->zpool, page_size, data_pages, r->stored_pages, r->pool_bytes,
		       r->written_back, r->reject_alloc, r->reject_compress, r->zero_pages,
		       r->bad_pages);
		if (r->bad_pages) {
			printf("zswap_roundtrip: FAIL: %s: %lu of %lu pages came back different\n",
			       r->zpool, r->bad_pages, data_pages);
			bad = 1;
		}
		/*
		 * A pass that stored almost nothing would prove nothing: all but
		 * the zero pages should be in zswap, or on the disk.
		 */
		if (r->stored_pages + r->written_back + r->zero_pages < data_pages * 9 / 10) {
			printf("zswap_roundtrip: FAIL: %s: only %lu of %lu pages were in zswap\n",
			       r->zpool, r->stored_pages, data_pages);
			bad = 1;
		}
		if (!strcmp(r->zpool, "zsmalloc") && r->stored_pages)
			base = (double)r->pool_bytes / r->stored_pages;
	}
	for (i = 0; i < n && base; i++) {
		double per_page;

		if (!res[i].stored_pages)
			continue;
		per_page = (double)res[i].pool_bytes / res[i].stored_pages;
		printf("zswap_roundtrip: %s: %.0f bytes per stored page, %.3f x zsmalloc's\n",
		       res[i].zpool, per_page, per_page / base);
	}
	printf("zswap_roundtrip: %s\n", bad ? "FAIL" : "PASS");
	return bad;
}

int main(void)
{
	int ret;
	pid_t pid;

	if (getpid() != 1)
		return run();

	setup_system();
	/* As init, the test runs in a child: init must not exit. */
	pid = fork();
	if (!pid)
		exit(run());
	if (pid < 0 || waitpid(pid, &ret, 0) != pid || !WIFEXITED(ret) || WEXITSTATUS(ret))
		printf("zswap_roundtrip: FAIL\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}

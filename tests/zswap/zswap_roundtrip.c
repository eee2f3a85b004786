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

/* What one backend's pass did: zswap's counters as deltas over the pass. */
struct result {
	char zpool[16];
	unsigned long stored_pages, pool_bytes, bad_pages, zero_pages;
	unsigned long written_back, reject_alloc, reject_compress, zswpin;
};

static long page_size;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
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

/* Read @len bytes, or up to the end of the file. */
static size_t read_full(int fd, char *dst, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, dst + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read /data: %s", strerror(errno));
		if (!n)
			break;
		got += n;
	}
	return got;
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
	size_t off, i, n;

	if (lseek(fd, 0, SEEK_SET))
		die("seek /data: %s", strerror(errno));
	for (off = 0; off < size; off += n) {
		n = size - off < CHUNK ? size - off : CHUNK;
		n = read_full(fd, compare ? buf : mem + off, n);
		if (!n || n % page_size)
			die("/data ends early, at %zu of %zu bytes", off + n, size);
		if (!compare)
			continue;
		for (i = 0; i < n; i += page_size) {
			bad += !!memcmp(mem + off + i, buf + i, page_size);
			*zero += !buf[i] && !memcmp(buf + i, buf + i + 1, page_size - 1);
		}
	}
	return bad;
}

static unsigned long read_vmstat(const char *name)
{
	char line[128], key[64];
	unsigned long val, found = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		die("/proc/vmstat: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lu", key, &val) == 2 && !strcmp(key, name))
			found = val;
	fclose(f);
	return found;
}

/*
 * zswap's counters that count since boot, as they stand now: a pass's
 * figures are the difference over it, so that no backend is credited with
 * what an earlier one did.
 */
static void counters(struct result *r)
{
	r->written_back = read_ulong(ZSWAP_DEBUG "written_back_pages");
	r->reject_alloc = read_ulong(ZSWAP_DEBUG "reject_alloc_fail");
	/* lz4 fails on a page it cannot shrink: reject_compress_fail. */
	r->reject_compress = read_ulong(ZSWAP_DEBUG "reject_compress_fail") +
			     read_ulong(ZSWAP_DEBUG "reject_compress_poor");
	r->zswpin = read_vmstat("zswpin");
}

static void counters_since(struct result *r, const struct result *start)
{
	counters(r);
	r->written_back -= start->written_back;
	r->reject_alloc -= start->reject_alloc;
	r->reject_compress -= start->reject_compress;
	r->zswpin -= start->zswpin;
}

/* In a child, so that its memory and its charge go away when it exits. */
static void run_one(const char *zpool, size_t size, unsigned int repeat,
		    struct result *out)
{
	struct result *r, start;
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
	counters(&start);

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
		r->stored_pages = read_ulong(ZSWAP_DEBUG "stored_pages");
		r->pool_bytes = read_ulong(ZSWAP_DEBUG "pool_total_size");
		for (k = 0; k < repeat; k++)
			r->bad_pages += pass(fd, mem + k * size, size, buf, 1, &r->zero_pages);
		counters_since(r, &start);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("%s: the test process failed (status %#x)", zpool, status);
	/*
	 * The child's swap entries are freed as it exits: the pool drains, and
	 * must give back every page, or the next backend would be charged
	 * with what this one kept.
	 */
	for (tries = 0; tries < 100 && (read_ulong(ZSWAP_DEBUG "stored_pages") ||
					read_ulong(ZSWAP_DEBUG "pool_total_size")); tries++)
		usleep(100000);
	if (read_ulong(ZSWAP_DEBUG "stored_pages") || read_ulong(ZSWAP_DEBUG "pool_total_size"))
		die("%s: %lu pages and %lu pool bytes left after the process exited", zpool,
		    read_ulong(ZSWAP_DEBUG "stored_pages"),
		    read_ulong(ZSWAP_DEBUG "pool_total_size"));
	*out = *r;
	munmap(r, sizeof(*r));
}

static int run(void)
{
	char arg[256], limit[32], *name, *save;
	struct result res[MAX_ZPOOLS];
	const char *zpools;
	unsigned long data_pages, accounted;
	unsigned int repeat = 1;
	struct stat st;
	int n = 0, i, bad = 0;
	double base = 0;

	page_size = sysconf(_SC_PAGESIZE);
	/* The backends to run, in order: arg is cut up as they are taken. */
	zpools = cmdline_arg("zr.zpools", arg, sizeof(arg));
	if (!zpools)
		snprintf(arg, sizeof(arg), "zblock,zsmalloc");
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

	for (name = strtok_r(arg, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct result *r = &res[n++];

		if (n > MAX_ZPOOLS)
			die("zr.zpools: more than %d backends", MAX_ZPOOLS);
		run_one(name, st.st_size, repeat, r);
		printf("zswap_roundtrip: {\"zpool\": \"%s\", \"page_size\": %ld, "
		       "\"data_pages\": %lu, \"stored_pages\": %lu, \"pool_bytes\": %lu, "
		       "\"written_back_pages\": %lu, \"reject_alloc_fail\": %lu, "
		       "\"reject_compress\": %lu, \"zero_pages\": %lu, \"zswpin\": %lu, "
		       "\"bad_pages\": %lu}\n",
		       r->zpool, page_size, data_pages, r->stored_pages, r->pool_bytes,
		       r->written_back, r->reject_alloc, r->reject_compress, r->zero_pages,
		       r->zswpin, r->bad_pages);
		if (r->bad_pages) {
			printf("zswap_roundtrip: FAIL: %s: %lu of %lu pages came back different\n",
			       r->zpool, r->bad_pages, data_pages);
			bad = 1;
		}
		/*
		 * A pass that left its pages in memory would prove nothing:
		 * every page but the zero ones must have gone to zswap, or past
		 * it to the disk, and those in zswap must have come back from it.
		 */
		accounted = r->stored_pages + r->written_back + r->zero_pages + r->reject_compress;
		if (accounted < data_pages - data_pages / 32) {
			printf("zswap_roundtrip: FAIL: %s: %lu of %lu pages stayed in memory\n",
			       r->zpool, data_pages - accounted, data_pages);
			bad = 1;
		}
		if (r->zswpin < r->stored_pages) {
			printf("zswap_roundtrip: FAIL: %s: %lu pages stored, %lu loaded\n",
			       r->zpool, r->stored_pages, r->zswpin);
			bad = 1;
		}
		/* Bytes per page compare backends only over the same pages. */
		if (n > 1 && r->stored_pages != res[0].stored_pages) {
			printf("zswap_roundtrip: FAIL: %s stored %lu pages, %s %lu\n",
			       r->zpool, r->stored_pages, res[0].zpool, res[0].stored_pages);
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
	if (!n) {
		printf("zswap_roundtrip: FAIL: no backend named in zr.zpools\n");
		bad = 1;
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

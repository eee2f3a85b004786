// SPDX-License-Identifier: MIT
/*
 * gem_zswap_fuzz: random sequences of buffer-object calls against a device
 * with drm_gem_zswap, from several processes at once, for a bounded time.
 *
 * Each process keeps a table of BOs and does, at random: create (sometimes
 * with sizes the driver must refuse), map, fill, check, evict through
 * debugfs, export to a dma-buf, import it back, read through the dma-buf's
 * mapping, attach and signal a fence (vgem), unmap and close; and the same
 * calls on handles and descriptors that do not exist or were closed.  Every
 * call must succeed or fail with an error it is allowed to give, and every
 * check must find the bytes last written.
 *
 * The run is made of a seed: the test prints it, and IGT_FUZZ_SEED=<seed>
 * replays the same choices (IGT_FUZZ_SECONDS changes the duration, 15 s by
 * default; the choices are the same, the number of calls depends on speed).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <drm/vgem_drm.h>

#include "igt.h"
#include "igt_gem_zswap.h"
#include "igt_vgem.h"

#define PROCS		4
#define SLOTS		24
#define MAX_PAGES	64

enum fuzz_op {
	OP_CREATE, OP_CREATE_BAD, OP_MAP, OP_UNMAP, OP_WRITE, OP_READ, OP_EVICT,
	OP_EVICT_BAD, OP_EXPORT, OP_IMPORT, OP_IMPORT_BAD, OP_DMABUF_READ,
	OP_FENCE, OP_SIGNAL, OP_CLOSE, OP_CLOSE_BAD, NR_OPS
};

static const char * const op_names[NR_OPS] = {
	"create", "create-bad", "map", "unmap", "write", "read", "evict",
	"evict-bad", "export", "import", "import-bad", "dmabuf-read",
	"fence", "signal", "close", "close-bad",
};

struct slot {
	struct vgem_bo bo;	/* handle 0: empty */
	uint8_t *map;
	uint64_t fill;		/* what the BO holds: a seed, 0 for zeroes */
	int dmabuf;
	uint32_t fence;		/* unsignalled vgem fence, or 0 */
};

struct fuzz {
	int fd;
	bool fences;
	uint64_t client_id;
	uint64_t rng;
	struct slot slot[SLOTS];
	uint64_t ops[NR_OPS], refused;
};

struct fuzz_result {
	uint64_t ops[NR_OPS], refused;
};

static uint64_t next(struct fuzz *f)
{
	/* xorshift64*: the same sequence for the same seed, everywhere. */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dull;
}

/* Half texture-like, half noise: some BOs compress, some do not. */
static uint8_t pattern(uint64_t fill, uint64_t i)
{
	uint64_t x;

	if (!fill)
		return 0;
	if (fill & 1)
		return (uint8_t)(fill + i / 64);
	x = (fill + i) * 0x9e3779b97f4a7c15ull;
	return (uint8_t)(x >> 56);
}

static void __attribute__((noreturn))
fail(struct fuzz *f, enum fuzz_op op, const char *what, int err)
{
	fprintf(stderr, "gem_zswap_fuzz: %s: %s (%s)\n", op_names[op], what,
		err ? strerror(err) : "no error");
	_exit(1);
}

/* An error a call may give: anything else is a bug. */
static void expect(struct fuzz *f, enum fuzz_op op, int ret, const int *allowed)
{
	if (!ret)
		return;
	for (; *allowed; allowed++)
		if (ret == -*allowed) {
			f->refused++;
			return;
		}
	fail(f, op, "unexpected error", -ret);
}

static struct slot *pick(struct fuzz *f, bool used)
{
	for (int tries = 0; tries < SLOTS; tries++) {
		struct slot *s = &f->slot[next(f) % SLOTS];

		if (!!s->bo.handle == used)
			return s;
	}
	return NULL;
}

static uint32_t bad_handle(struct fuzz *f)
{
	/* Never given out here: handles are small and start at 1. */
	return (uint32_t)(next(f) | 0x40000000);
}

static void unmap(struct slot *s)
{
	if (s->map)
		munmap(s->map, s->bo.size);
	s->map = NULL;
}

static void drop(struct fuzz *f, struct slot *s)
{
	int ret;

	unmap(s);
	if (s->dmabuf >= 0)
		close(s->dmabuf);
	if (s->fence)
		__vgem_fence_signal(f->fd, s->fence);
	ret = __gem_close(f->fd, s->bo.handle);
	if (ret)
		fail(f, OP_CLOSE, "close of a live handle failed", -ret);
	memset(s, 0, sizeof(*s));
	s->dmabuf = -1;
}

static void check_bytes(struct fuzz *f, enum fuzz_op op, const uint8_t *p, const struct slot *s)
{
	for (uint64_t i = 0; i < s->bo.size; i += 61)
		if (p[i] != pattern(s->fill, i))
			fail(f, op, "the BO's bytes changed", 0);
}

static void do_op(struct fuzz *f, enum fuzz_op op)
{
	static const int evict_errs[] = { EBUSY, E2BIG, EALREADY, ENODATA, 0 };
	static const int bad_errs[] = { ENOENT, EINVAL, ESRCH, EBADF, 0 };
	struct slot *s = pick(f, op != OP_CREATE);
	uint32_t handle;
	char cmd[64];
	void *p;
	int ret;

	if (op != OP_CREATE && op != OP_CREATE_BAD && op != OP_EVICT_BAD &&
	    op != OP_IMPORT_BAD && op != OP_CLOSE_BAD && !s)
		return;
	switch (op) {
	case OP_CREATE:
		if (!s)
			return;
		s->bo = (struct vgem_bo){ .width = 1024, .bpp = 32,
					  .height = 1 + next(f) % MAX_PAGES };
		if (__vgem_create(f->fd, &s->bo))
			fail(f, op, "create failed", errno);
		s->dmabuf = -1;
		s->fill = 0;
		break;
	case OP_CREATE_BAD: {
		struct vgem_bo bo = { .width = next(f) % 2 ? 0 : 1u << 31,
				      .height = 1u << 31, .bpp = 32 };

		expect(f, op, __vgem_create(f->fd, &bo), bad_errs);
		if (bo.handle)
			fail(f, op, "a BO of impossible size was created", 0);
		break;
	}
	case OP_MAP:
		if (!s->map)
			s->map = __vgem_mmap(f->fd, &s->bo, PROT_READ | PROT_WRITE);
		if (!s->map)
			fail(f, op, "mmap failed", errno);
		break;
	case OP_UNMAP:
		unmap(s);
		break;
	case OP_WRITE:
		if (!s->map)
			return;
		s->fill = next(f) | 2;
		if (next(f) % 2)
			s->fill |= 1;
		for (uint64_t i = 0; i < s->bo.size; i++)
			s->map[i] = pattern(s->fill, i);
		break;
	case OP_READ:
		if (!s->map)
			return;
		check_bytes(f, op, s->map, s);
		break;
	case OP_EVICT:
		ret = __igt_gem_zswap_evict(f->fd, f->client_id, s->bo.handle);
		expect(f, op, ret, evict_errs);
		break;
	case OP_EVICT_BAD:
		handle = bad_handle(f);
		if (next(f) % 2)
			snprintf(cmd, sizeof(cmd), "%" PRIu64 " %u", f->client_id, handle);
		else
			snprintf(cmd, sizeof(cmd), "%u %u", (uint32_t)next(f) | 0x40000000, 1);
		ret = igt_gem_zswap_debugfs_cmd(f->fd, cmd);
		expect(f, op, ret, bad_errs);
		break;
	case OP_EXPORT:
		if (s->dmabuf >= 0)
			return;
		if (drmPrimeHandleToFD(f->fd, s->bo.handle, DRM_CLOEXEC | DRM_RDWR, &s->dmabuf))
			fail(f, op, "export failed", errno);
		break;
	case OP_IMPORT:
		if (s->dmabuf < 0)
			return;
		if (drmPrimeFDToHandle(f->fd, s->dmabuf, &handle))
			fail(f, op, "import of our own dma-buf failed", errno);
		if (handle != s->bo.handle)
			fail(f, op, "our own dma-buf came back as another handle", 0);
		break;
	case OP_IMPORT_BAD:
		ret = drmPrimeFDToHandle(f->fd, next(f) % 2 ? 1000 + next(f) % 100 : 0, &handle);
		expect(f, op, ret ? -errno : 0, bad_errs);
		if (!ret)
			fail(f, op, "a descriptor that is no dma-buf was imported", 0);
		break;
	case OP_DMABUF_READ:
		if (s->dmabuf < 0)
			return;
		p = mmap(NULL, s->bo.size, PROT_READ, MAP_SHARED, s->dmabuf, 0);
		if (p == MAP_FAILED)
			fail(f, op, "mmap of the dma-buf failed", errno);
		check_bytes(f, op, p, s);
		munmap(p, s->bo.size);
		break;
	case OP_FENCE: {
		struct drm_vgem_fence_attach arg = {
			.handle = s->bo.handle, .flags = VGEM_FENCE_WRITE,
		};

		if (!f->fences || s->fence)
			return;
		if (igt_ioctl(f->fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &arg))
			fail(f, op, "fence attach failed", errno);
		s->fence = arg.out_fence;
		break;
	}
	case OP_SIGNAL:
		if (!s->fence)
			return;
		/* vgem signals a fence itself after 10 s: -ETIMEDOUT then. */
		ret = __vgem_fence_signal(f->fd, s->fence);
		if (ret && ret != -ETIMEDOUT)
			fail(f, op, "signal failed", -ret);
		s->fence = 0;
		break;
	case OP_CLOSE:
		drop(f, s);
		break;
	case OP_CLOSE_BAD:
		ret = __gem_close(f->fd, bad_handle(f));
		expect(f, op, ret, bad_errs);
		if (!ret)
			fail(f, op, "a handle that does not exist was closed", 0);
		break;
	case NR_OPS:
		break;
	}
	f->ops[op]++;
}

static int fuzz_proc(int chipset, uint64_t seed, time_t deadline, int out)
{
	struct fuzz f = { .rng = seed ?: 1 };
	struct fuzz_result r;

	f.fd = __drm_open_driver(chipset);
	if (f.fd < 0)
		return 2;
	f.client_id = __igt_drm_client_id(f.fd);
	f.fences = chipset == DRIVER_VGEM;
	for (int i = 0; i < SLOTS; i++)
		f.slot[i].dmabuf = -1;
	while (time(NULL) < deadline)
		for (int i = 0; i < 64; i++)
			do_op(&f, next(&f) % NR_OPS);
	/* Whatever is left is checked once more, then closed. */
	for (int i = 0; i < SLOTS; i++)
		if (f.slot[i].bo.handle) {
			if (f.slot[i].map)
				check_bytes(&f, OP_READ, f.slot[i].map, &f.slot[i]);
			drop(&f, &f.slot[i]);
		}
	memcpy(r.ops, f.ops, sizeof(r.ops));
	r.refused = f.refused;
	close(f.fd);
	return write(out, &r, sizeof(r)) == sizeof(r) ? 0 : 3;
}

static void fuzz(int chipset)
{
	const char *env = getenv("IGT_FUZZ_SEED");
	const char *secs = getenv("IGT_FUZZ_SECONDS");
	struct igt_gem_zswap_stats s0, s1;
	uint64_t seed, total = 0, refused = 0, ops[NR_OPS] = { };
	int fd, pipefd[2], status;
	time_t deadline;
	pid_t pid[PROCS];
	char line[512];
	size_t len = 0;

	fd = drm_open_driver(chipset);
	igt_require_f(igt_gem_zswap_available(fd), "no drm_gem_zswap (or debugfs not mounted)\n");
	seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) * 2654435761u ^ getpid();
	deadline = time(NULL) + (secs ? atoi(secs) : 15);
	igt_info("seed %#" PRIx64 ": IGT_FUZZ_SEED=%#" PRIx64 " replays it\n", seed, seed);

	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(pipe(pipefd), 0);
	for (int i = 0; i < PROCS; i++) {
		pid[i] = fork();
		igt_assert(pid[i] >= 0);
		if (!pid[i]) {
			close(pipefd[0]);
			_exit(fuzz_proc(chipset, seed + i * 0x9e3779b97f4a7c15ull, deadline,
					pipefd[1]));
		}
	}
	close(pipefd[1]);
	for (int i = 0; i < PROCS; i++) {
		igt_assert_eq(waitpid(pid[i], &status, 0), pid[i]);
		igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status),
			     "process %d of seed %#" PRIx64 ": status %#x\n", i, seed, status);
	}
	for (int i = 0; i < PROCS; i++) {
		struct fuzz_result r;

		igt_assert_eq(read(pipefd[0], &r, sizeof(r)), sizeof(r));
		for (int op = 0; op < NR_OPS; op++) {
			ops[op] += r.ops[op];
			total += r.ops[op];
		}
		refused += r.refused;
	}
	close(pipefd[0]);
	for (int op = 0; op < NR_OPS; op++)
		len += snprintf(line + len, sizeof(line) - len, " %s %" PRIu64,
				op_names[op], ops[op]);
	igt_info("%" PRIu64 " calls by %d processes, %" PRIu64 " refused as they "
		 "should be:%s\n", total, PROCS, refused, line);

	/*
	 * Every BO is closed: nothing of theirs stays in the pool.  virtio-gpu
	 * frees an object once the host has let go of its resource, a moment
	 * after the last reference: wait for it, a while.
	 */
	for (int tries = 0; tries < 100; tries++) {
		igt_gem_zswap_read_stats(fd, &s1);
		if (s1.stored_bos == s0.stored_bos)
			break;
		usleep(100 * 1000);
	}
	igt_info("%" PRIu64 " evictions, %" PRIu64 " restores\n",
		 s1.evictions - s0.evictions, s1.restores - s0.restores);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	igt_assert(s1.evictions > s0.evictions && s1.restores > s0.restores);
	drm_close_driver(fd);
}

igt_main
{
	igt_describe("Random calls on vgem BOs, fences included, from four processes.");
	igt_subtest("vgem")
		fuzz(DRIVER_VGEM);

	igt_describe("Random calls on virtio-gpu dumb BOs from four processes.");
	igt_subtest("virtio-gpu")
		fuzz(DRIVER_VIRTIO);
}

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
 * Processes work in pairs joined by a Unix socket: one gives a BO away as
 * a dma-buf and closes everything else of it, handle included; the other
 * maps and reads the dma-buf for as long as it likes, a mapping that
 * outlives every handle of its BO.  All of them run in a memory cgroup
 * whose memory.high is set below what it holds for a moment every second
 * (and they touch anonymous memory now and then), so that the shrinker
 * evicts too; those given BOs only ever leave by the shrinker.  A squeeze
 * that lasted would throttle the processes to a crawl.  On virtio-gpu they also transfer
 * BOs to the host (2D) and put them on the cursor plane (the process that
 * holds DRM master; the others are refused).
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm/vgem_drm.h>
#include <drm/virtgpu_drm.h>

#include "igt.h"
#include "igt_gem_zswap.h"
#include "igt_vgem.h"
#include "igt_virtgpu.h"

#define PROCS		4
#define SLOTS		24
#define MAX_PAGES	64
#define CGROUP		"/sys/fs/cgroup/gem_zswap_fuzz"
/* Every second, memory.high this far below what the cgroup holds, briefly. */
#define SQUEEZE_MB	8
#define SQUEEZE_US	300000
#define HOG_MB		6

enum fuzz_op {
	OP_CREATE, OP_CREATE_BAD, OP_MAP, OP_UNMAP, OP_WRITE, OP_READ, OP_EVICT,
	OP_EVICT_BAD, OP_EXPORT, OP_IMPORT, OP_IMPORT_BAD, OP_DMABUF_READ,
	OP_FENCE, OP_SIGNAL, OP_CLOSE, OP_CLOSE_BAD, OP_GIVE, OP_TAKE,
	OP_GIVEN_READ, OP_GIVEN_CLOSE, OP_HOG, OP_TRANSFER, OP_CURSOR, NR_OPS
};

static const char * const op_names[NR_OPS] = {
	"create", "create-bad", "map", "unmap", "write", "read", "evict",
	"evict-bad", "export", "import", "import-bad", "dmabuf-read",
	"fence", "signal", "close", "close-bad", "give", "take",
	"given-read", "given-close", "hog", "transfer", "cursor",
};

struct slot {
	struct vgem_bo bo;	/* handle 0: empty */
	uint8_t *map;
	uint64_t fill;		/* what the BO holds: a seed, 0 for zeroes */
	int dmabuf;
	uint32_t fence;		/* unsignalled vgem fence, or 0 */
};

/* A dma-buf received from the other process of the pair: its BO has no handle. */
struct given {
	int dmabuf;		/* -1: empty */
	uint8_t *map;
	uint64_t size, fill;
};

/* What goes with the descriptor over the socket. */
struct given_msg {
	uint64_t size, fill;
};

struct fuzz {
	int fd, sock;
	bool fences, virtio_2d;
	uint32_t crtc;
	uint64_t client_id;
	uint64_t rng;
	struct slot slot[SLOTS];
	struct given given[SLOTS];
	uint64_t ops[NR_OPS], refused, evicted, outlived;
};

struct fuzz_result {
	uint64_t ops[NR_OPS], refused, evicted, outlived;
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

static void check_range(struct fuzz *f, enum fuzz_op op, const uint8_t *p,
			uint64_t size, uint64_t fill)
{
	for (uint64_t i = 0; i < size; i += 61)
		if (p[i] != pattern(fill, i))
			fail(f, op, "the BO's bytes changed", 0);
}

static void check_bytes(struct fuzz *f, enum fuzz_op op, const uint8_t *p, const struct slot *s)
{
	check_range(f, op, p, s->bo.size, s->fill);
}

static struct given *pick_given(struct fuzz *f, bool used)
{
	for (int tries = 0; tries < SLOTS; tries++) {
		struct given *g = &f->given[next(f) % SLOTS];

		if (used ? g->dmabuf >= 0 : g->dmabuf < 0)
			return g;
	}
	return NULL;
}

static void drop_given(struct given *g)
{
	if (g->map)
		munmap(g->map, g->size);
	close(g->dmabuf);
	memset(g, 0, sizeof(*g));
	g->dmabuf = -1;
}

/*
 * Gives a BO away: its dma-buf goes to the other process of the pair,
 * and everything of it here is closed, the handle last.
 */
static void give(struct fuzz *f, struct slot *s)
{
	struct given_msg msg = { .size = s->bo.size, .fill = s->fill };
	int ret;

	if (s->dmabuf < 0 &&
	    drmPrimeHandleToFD(f->fd, s->bo.handle, DRM_CLOEXEC | DRM_RDWR, &s->dmabuf))
		fail(f, OP_GIVE, "export failed", errno);
	/* The other process may be done, or not keeping up: the BO just goes. */
	ret = __igt_gem_zswap_send_fd(f->sock, s->dmabuf, &msg, sizeof(msg));
	if (ret && ret != -EAGAIN && ret != -ECONNREFUSED && ret != -ENOTCONN)
		fail(f, OP_GIVE, "sending the dma-buf failed", -ret);
	drop(f, s);
}

static void given_read(struct fuzz *f, struct given *g)
{
	if (!g->map) {
		g->map = mmap(NULL, g->size, PROT_READ, MAP_SHARED, g->dmabuf, 0);
		if (g->map == MAP_FAILED)
			fail(f, OP_GIVEN_READ, "mmap of a given dma-buf failed", errno);
		/* The giver closed every handle before it sent the descriptor. */
		f->outlived++;
	}
	check_range(f, OP_GIVEN_READ, g->map, g->size, g->fill);
}

static void take(struct fuzz *f)
{
	struct given_msg msg;
	struct given *g = pick_given(f, false);
	int dfd = __igt_gem_zswap_recv_fd(f->sock, &msg, sizeof(msg), MSG_DONTWAIT);

	if (dfd == -EAGAIN)
		return;
	if (dfd < 0)
		fail(f, OP_TAKE, "receiving a dma-buf failed", -dfd);
	if (!g) {
		close(dfd);
		return;
	}
	g->dmabuf = dfd;
	g->size = msg.size;
	g->fill = msg.fill;
	g->map = NULL;
	/* Mapped at once, so that later reads go through old mappings too. */
	given_read(f, g);
}

/* Anonymous memory, touched and let go: the cgroup goes over memory.high. */
static void hog(void)
{
	size_t size = (size_t)HOG_MB << 20;
	uint8_t *p = malloc(size);

	if (!p)
		return;
	for (size_t i = 0; i < size; i += 4096)
		p[i] = (uint8_t)i | 1;
	asm volatile("" : : "r"(p) : "memory");
	free(p);
}

static void transfer(struct fuzz *f, struct slot *s)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = s->bo.handle,
		.box = { .w = s->bo.width, .h = s->bo.height, .d = 1 },
	};

	if (!f->virtio_2d)
		return;
	if (igt_ioctl(f->fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t))
		fail(f, OP_TRANSFER, "TRANSFER_TO_HOST failed", errno);
}

/* The cursor plane pins its BO, and the next cursor unpins it. */
static void cursor(struct fuzz *f, struct slot *s)
{
	static const int cursor_errs[] = { EACCES, EPERM, 0 };
	/* virtio-gpu sends the cursor as a 64x64 transfer from the BO. */
	bool off = !s || next(f) % 2 || s->bo.height < 64;
	int ret;

	if (!f->crtc)
		return;
	ret = drmModeSetCursor(f->fd, f->crtc, off ? 0 : s->bo.handle, 64, 64);
	expect(f, OP_CURSOR, ret ? -errno : 0, cursor_errs);
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
	    op != OP_IMPORT_BAD && op != OP_CLOSE_BAD && op != OP_TAKE &&
	    op != OP_GIVEN_READ && op != OP_GIVEN_CLOSE && op != OP_HOG &&
	    op != OP_CURSOR && !s)
		return;
	switch (op) {
	case OP_CREATE:
		if (!s)
			return;
		/* A quarter are as tall as the cursor plane needs. */
		s->bo = (struct vgem_bo){ .width = 1024, .bpp = 32,
					  .height = next(f) % 4 ? 1 + next(f) % MAX_PAGES : 64 };
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
		f->evicted += !ret;
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
	case OP_GIVE:
		give(f, s);
		break;
	case OP_TAKE:
		take(f);
		break;
	case OP_GIVEN_READ: {
		struct given *g = pick_given(f, true);

		if (!g)
			return;
		given_read(f, g);
		break;
	}
	case OP_GIVEN_CLOSE: {
		struct given *g = pick_given(f, true);

		if (!g)
			return;
		drop_given(g);
		break;
	}
	case OP_HOG:
		hog();
		break;
	case OP_TRANSFER:
		transfer(f, s);
		break;
	case OP_CURSOR:
		cursor(f, s);
		break;
	case NR_OPS:
		break;
	}
	f->ops[op]++;
}

static int fuzz_proc(int chipset, uint64_t seed, time_t deadline, int sock, int out)
{
	struct fuzz f = { .rng = seed ?: 1, .sock = sock };
	struct fuzz_result r;
	char self[32];

	snprintf(self, sizeof(self), "%d", getpid());
	if (igt_gem_zswap_write_file(CGROUP "/cgroup.procs", self))
		return 4;
	f.fd = __drm_open_driver(chipset);
	if (f.fd < 0)
		return 2;
	f.client_id = __igt_drm_client_id(f.fd);
	f.fences = chipset == DRIVER_VGEM;
	if (chipset == DRIVER_VIRTIO) {
		drmModeRes *res = drmModeGetResources(f.fd);

		f.virtio_2d = !virtgpu_has_3d(f.fd);
		if (res && res->count_crtcs)
			f.crtc = res->crtcs[0];
		drmModeFreeResources(res);
	}
	for (int i = 0; i < SLOTS; i++) {
		f.slot[i].dmabuf = -1;
		f.given[i].dmabuf = -1;
	}
	while (time(NULL) < deadline)
		for (int i = 0; i < 64; i++)
			do_op(&f, next(&f) % NR_OPS);
	/* Whatever is left is checked once more, then closed. */
	cursor(&f, NULL);
	for (int i = 0; i < SLOTS; i++) {
		if (f.slot[i].bo.handle) {
			if (f.slot[i].map)
				check_bytes(&f, OP_READ, f.slot[i].map, &f.slot[i]);
			drop(&f, &f.slot[i]);
		}
		if (f.given[i].dmabuf >= 0) {
			given_read(&f, &f.given[i]);
			drop_given(&f.given[i]);
		}
	}
	memcpy(r.ops, f.ops, sizeof(r.ops));
	r.refused = f.refused;
	r.evicted = f.evicted;
	r.outlived = f.outlived;
	close(f.fd);
	return write(out, &r, sizeof(r)) == sizeof(r) ? 0 : 3;
}

static void fuzz(int chipset)
{
	const char *env = getenv("IGT_FUZZ_SEED");
	const char *secs = getenv("IGT_FUZZ_SECONDS");
	struct igt_gem_zswap_stats s0, s1;
	uint64_t seed, total = 0, refused = 0, ops[NR_OPS] = { };
	uint64_t evicted = 0, outlived = 0, shrinker;
	int fd, pipefd[2], sv[PROCS / 2][2], status;
	char high[32];
	time_t deadline;
	pid_t pid[PROCS];
	char line[512];
	size_t len = 0;

	fd = drm_open_driver(chipset);
	igt_require_f(igt_gem_zswap_available(fd), "no drm_gem_zswap (or debugfs not mounted)\n");
	seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) * 2654435761u ^ getpid();
	deadline = time(NULL) + (secs ? atoi(secs) : 15);
	igt_info("seed %#" PRIx64 ": IGT_FUZZ_SEED=%#" PRIx64 " replays it\n", seed, seed);

	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	igt_assert(!mkdir(CGROUP, 0755) || errno == EEXIST);
	igt_assert_eq(igt_gem_zswap_write_file(CGROUP "/memory.high", "max"), 0);
	/* A child becomes DRM master, for the cursor, with its own file. */
	drmDropMaster(fd);

	igt_gem_zswap_read_stats(fd, &s0);
	igt_assert_eq(pipe(pipefd), 0);
	for (int i = 0; i < PROCS / 2; i++)
		igt_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv[i]), 0);
	for (int i = 0; i < PROCS; i++) {
		pid[i] = fork();
		igt_assert(pid[i] >= 0);
		if (!pid[i]) {
			int sock = sv[i / 2][i % 2];

			close(pipefd[0]);
			close(sv[i / 2][!(i % 2)]);
			_exit(fuzz_proc(chipset, seed + i * 0x9e3779b97f4a7c15ull, deadline,
					sock, pipefd[1]));
		}
	}
	close(pipefd[1]);
	for (int i = 0; i < PROCS / 2; i++) {
		close(sv[i][0]);
		close(sv[i][1]);
	}
	while (time(NULL) < deadline) {
		uint64_t cur = igt_gem_zswap_read_u64(CGROUP "/memory.current");

		sleep(1);
		if (cur <= 2 * (SQUEEZE_MB << 20))
			continue;
		snprintf(high, sizeof(high), "%" PRIu64, cur - (SQUEEZE_MB << 20));
		igt_assert_eq(igt_gem_zswap_write_file(CGROUP "/memory.high", high), 0);
		usleep(SQUEEZE_US);
		igt_assert_eq(igt_gem_zswap_write_file(CGROUP "/memory.high", "max"), 0);
	}
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
		evicted += r.evicted;
		outlived += r.outlived;
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
	shrinker = s1.evictions - s0.evictions - evicted;
	igt_info("%" PRIu64 " evictions (%" PRIu64 " through debugfs, %" PRIu64
		 " by the shrinker), %" PRIu64 " restores; %" PRIu64
		 " dma-buf mappings outlived their BO's handles\n",
		 s1.evictions - s0.evictions, evicted, shrinker,
		 s1.restores - s0.restores, outlived);
	igt_assert_eq(rmdir(CGROUP), 0);
	igt_assert_eq_u64(s1.stored_bos, s0.stored_bos);
	igt_assert_eq_u64(s1.compressed_bytes, s0.compressed_bytes);
	igt_assert(s1.evictions > s0.evictions && s1.restores > s0.restores);
	igt_assert_lt_u64(0, shrinker);
	igt_assert_lt_u64(0, outlived);
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

// SPDX-License-Identifier: MIT
/*
 * virtio_gpu_zswap_gl: Mesa's virgl driver under memory pressure.  A GL
 * program uploads many textures and vertex buffers, renders them into an
 * offscreen target and checksums what glReadPixels returns.  Its memory
 * cgroup is then squeezed: an anonymous-memory user starts beside it under a
 * memory.max that leaves room for it only once most of the program's idle
 * BOs are evicted, which only the drm_gem_zswap shrinker can
 * do (the guest has no swap).  The program renders again and must read the
 * same checksum.  kmscube, on the screen in the same cgroup, runs to the
 * end in the same squeeze.
 *
 * Where the host copies both ways (virglrenderer 0.10 does), Mesa keeps a
 * texture on the host and gives it a one-page BO; its upload goes through
 * staging BOs.  Vertex buffers always have their full size in the guest:
 * they are most of what is evicted here.
 */
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gl_scene.h"
#include "igt.h"
#include "igt_gem_zswap.h"
#include "igt_virtgpu.h"

#define CGROUP		"/sys/fs/cgroup/virtio_gpu_zswap_gl"
#define TEXTURES	48
#define TEX_SIZE	512		/* 1 MiB of RGBA each */
#define HOG_ROOM_MB	16		/* what the hog has without evictions */
#define MARGIN_MB	8		/* evictable BOs the squeeze leaves */
#define MESHES		8
#define GRID		128		/* 3 MiB of vertices each */

static uint64_t read_u64(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtoull(buf, NULL, 10) : 0;
}

static uint64_t oom_kills(void)
{
	char buf[1024], *p;
	int fd = open(CGROUP "/memory.events", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "oom_kill ");
	return p ? strtoull(p + 9, NULL, 10) : 0;
}

/*
 * The cgroup's charge once it stops moving: Mesa frees cached BOs, and
 * kmscube compiles its shaders and allocates its buffers, a moment after
 * they start.  On a debug kernel that moment is seconds long and the
 * charge creeps up slowly, so it must hold still for a whole second.
 */
static uint64_t settled_usage(void)
{
	uint64_t prev = read_u64(CGROUP "/memory.current"), cur = prev;
	int still = 0;

	for (int i = 0; i < 40 && still < 2; i++) {
		usleep(500 * 1000);
		cur = read_u64(CGROUP "/memory.current");
		if (cur < prev + (256 << 10) && prev < cur + (256 << 10))
			still++;
		else
			still = 0;
		prev = cur;
	}
	return cur;
}

/* What the cgroup's charge is made of, for the log of a failure. */
static void log_memory_stat(const char *when)
{
	static const char * const keys[] = { "anon ", "file ", "kernel ", "shmem ",
					     "file_mapped ", "inactive_file ", NULL };
	char line[128], out[512] = "";
	FILE *f = fopen(CGROUP "/memory.stat", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		for (int i = 0; keys[i]; i++)
			if (!strncmp(line, keys[i], strlen(keys[i]))) {
				size_t len = strlen(out);

				snprintf(out + len, sizeof(out) - len, " %s%lluK",
					 keys[i], strtoull(line + strlen(keys[i]), NULL, 10) >> 10);
			}
	fclose(f);
	igt_info("memory.stat %s:%s\n", when, out);
}

/* A terrain: a grid of triangles over rolling hills, different per mesh. */
static int add_terrain(struct gl_scene *gl, int index)
{
	size_t bytes = (size_t)GRID * GRID * 6 * 8 * sizeof(float);
	float *v = malloc(bytes), *p = v;
	int ret;

	if (!v)
		return 47;
	for (int y = 0; y < GRID; y++)
		for (int x = 0; x < GRID; x++) {
			static const int corner[6][2] = {
				{ 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 }, { 0, 1 }
			};

			for (int c = 0; c < 6; c++) {
				float u = (float)(x + corner[c][0]) / GRID;
				float w = (float)(y + corner[c][1]) / GRID;
				float h = 0.1f * sinf(u * (6 + index)) * cosf(w * (4 + index));

				*p++ = u;
				*p++ = w;
				*p++ = h;
				*p++ = 0.5f + h;	/* a normal-like colour */
				*p++ = u;
				*p++ = w;
				*p++ = u;
				*p++ = w;
			}
		}
	ret = gl_scene_add_mesh(gl, v, bytes);
	free(v);
	return ret;
}

/*
 * The child: render, tell the parent the hash, wait while the parent
 * squeezes the cgroup, render again, and exit 0 if the hashes agree.
 */
static int gl_child(int to_parent, int from_parent)
{
	struct gl_scene gl = { };
	uint64_t before, after;
	char go;
	int ret;

	ret = gl_scene_init(&gl, NULL);
	if (!ret)
		ret = gl_scene_upload(&gl, TEXTURES, TEX_SIZE, gl_scene_fill_pattern, NULL);
	for (int i = 0; !ret && i < MESHES; i++)
		ret = add_terrain(&gl, i);
	if (ret)
		return ret;
	before = gl_scene_render(&gl);
	if (write(to_parent, &before, sizeof(before)) != sizeof(before))
		return 50;
	if (read(from_parent, &go, 1) != 1)
		return 51;
	after = gl_scene_render(&gl);
	if (write(to_parent, &after, sizeof(after)) != sizeof(after))
		return 52;
	return before == after ? 0 : 53;
}

static void join_cgroup(void)
{
	char self[32];

	snprintf(self, sizeof(self), "%d", getpid());
	if (igt_gem_zswap_write_file(CGROUP "/cgroup.procs", self))
		_exit(30);
}

static pid_t spawn_hog(uint64_t bytes)
{
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (!pid) {
		join_cgroup();
		_exit(igt_gem_zswap_anon_pressure(bytes >> 20, 40, 50000));
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int status;

	igt_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void cgroup_make(void)
{
	igt_require(!access("/sys/fs/cgroup/cgroup.controllers", R_OK));
	igt_assert_eq(igt_gem_zswap_write_file("/sys/fs/cgroup/cgroup.subtree_control",
					       "+memory"), 0);
	rmdir(CGROUP);
	igt_assert_eq(mkdir(CGROUP, 0755), 0);
}

/* kmscube on the screen, in the cgroup, output kept for a failure. */
static pid_t spawn_kmscube(void)
{
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (!pid) {
		int log = open("/tmp/kmscube.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		join_cgroup();
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
		execlp("kmscube", "kmscube", "-c", "300", NULL);
		_exit(127);
	}
	return pid;
}

/*
 * The GL program renders, then its cgroup is squeezed while a hog (and,
 * with @kmscube, kmscube on the screen) runs beside it; then it renders
 * again.
 */
static void under_pressure(int fd, bool kmscube)
{
	struct igt_gem_zswap_stats s0, s1;
	int to_parent[2], from_parent[2], rc, hog_rc, cube_rc = 0;
	uint64_t before, after, usage, evictable, margin, squeeze, stored, max;
	char limit[32];
	pid_t pid, hog, cube = 0;

	cgroup_make();
	igt_assert_eq(pipe(to_parent), 0);
	igt_assert_eq(pipe(from_parent), 0);
	igt_gem_zswap_read_stats(fd, &s0);

	pid = fork();
	igt_assert(pid >= 0);
	if (!pid) {
		join_cgroup();
		close(to_parent[0]);
		close(from_parent[1]);
		_exit(gl_child(to_parent[1], from_parent[0]));
	}
	/* Only the child writes: its exit ends any read here. */
	close(to_parent[1]);
	close(from_parent[0]);
	if (read(to_parent[0], &before, sizeof(before)) != sizeof(before)) {
		rc = wait_status(pid);
		igt_assert_f(0, "the GL program did not render (exit %d: 38 out of "
			     "memory, 40-49 set-up)\n", rc);
	}

	/*
	 * Squeeze: a limit that leaves room for everything the cgroup holds
	 * and HOG_ROOM_MB more, and a hog that wants two thirds of the
	 * program's evictable BOs, less MARGIN_MB (or a quarter), beyond
	 * that room.  Only the shrinker can make that room (the guest has
	 * no swap), and an evicted BO's copy stays charged to the cgroup:
	 * evicting a BO frees its size less its copy.  Two thirds is what
	 * evicting all but the margin frees at a ratio of 3; Mesa's buffers
	 * here compress 3.7:1.  Its idle upload buffers, older than anything
	 * the frame uses, go first, but they free less than that: the vertex
	 * buffers that the next frame brings back must go too, and the
	 * restores are seen.  The margin is for kmscube, which may grow
	 * after it was measured.  Once the hog is gone, everything fits
	 * again.
	 */
	log_memory_stat("after the first frame");
	usage = settled_usage();
	log_memory_stat("settled");
	evictable = igt_gem_zswap_evictable_bytes(fd);
	igt_assert_f(evictable >= 8 << 20, "only %" PRIu64 " KiB of BOs to evict\n",
		     evictable >> 10);
	margin = evictable / 4 < MARGIN_MB << 20 ? evictable / 4 : MARGIN_MB << 20;
	squeeze = (evictable - margin) / 3 * 2;
	if (kmscube) {
		/* kmscube needs DRM master: let go of ours meanwhile. */
		igt_assert_eq(drmDropMaster(fd), 0);
		cube = spawn_kmscube();
		sleep(2);
		usage = settled_usage();
	}
	max = usage + (HOG_ROOM_MB << 20);
	snprintf(limit, sizeof(limit), "%" PRIu64, max);
	igt_info("cgroup uses %" PRIu64 " MiB, %" PRIu64 " MiB of it evictable BOs; "
		 "limit %" PRIu64 " MiB with a %" PRIu64 " MiB hog\n", usage >> 20,
		 evictable >> 20, max >> 20, (squeeze >> 20) + HOG_ROOM_MB);
	/* The limit first: a hog that started before it would overshoot. */
	igt_assert_eq(igt_gem_zswap_write_file(CGROUP "/memory.max", limit), 0);
	hog = spawn_hog(squeeze + (HOG_ROOM_MB << 20));
	hog_rc = wait_status(hog);
	log_memory_stat("after the hog");
	igt_info("peak %llu MiB, now %llu MiB\n",
		 (unsigned long long)read_u64(CGROUP "/memory.peak") >> 20,
		 (unsigned long long)read_u64(CGROUP "/memory.current") >> 20);
	if (kmscube) {
		cube_rc = wait_status(cube);
		igt_info("kmscube: exit %d\n", cube_rc);
		if (cube_rc && system("tail -n 5 /tmp/kmscube.log"))
			igt_info("no kmscube output\n");
		drmSetMaster(fd);
	}
	igt_gem_zswap_read_stats(fd, &s1);
	stored = s1.original_bytes - s0.original_bytes;
	igt_info("under pressure: %" PRIu64 " evictions, %" PRIu64 " MiB of BOs in %" PRIu64
		 " KiB\n", s1.evictions - s0.evictions, stored >> 20,
		 (s1.compressed_bytes - s0.compressed_bytes) >> 10);

	if (write(from_parent[1], "g", 1) != 1 ||
	    read(to_parent[0], &after, sizeof(after)) != sizeof(after))
		after = ~before;
	rc = wait_status(pid);
	close(to_parent[0]);
	close(from_parent[1]);
	igt_gem_zswap_read_stats(fd, &s1);
	igt_info("frame hash %016" PRIx64 " before, %016" PRIx64 " after; %" PRIu64
		 " restores; %" PRIu64 " OOM kills\n", before, after,
		 s1.restores - s0.restores, oom_kills());

	igt_assert_f(hog_rc == 0, "hog: %d\n", hog_rc);
	igt_assert_eq_u64(oom_kills(), 0);
	igt_assert_f(rc == 0, "GL program: exit %d (53: the frame changed)\n", rc);
	igt_assert_f(cube_rc == 0, "kmscube: exit %d\n", cube_rc);
	igt_assert(s1.evictions > s0.evictions);
	igt_assert(s1.restores > s0.restores);
	/* Reclaim took what the hog needed, not every BO of the cgroup. */
	igt_assert_f(stored < evictable, "%" PRIu64 " MiB evicted for a %" PRIu64
		     " MiB squeeze\n", stored >> 20, squeeze >> 20);
	rmdir(CGROUP);
}

igt_main
{
	int fd = -1;

	igt_fixture {
		/* A GL program that died must fail the subtest, not kill the test. */
		signal(SIGPIPE, SIG_IGN);
		fd = drm_open_driver(DRIVER_VIRTIO);
		igt_require_f(virtgpu_has_3d(fd), "virgl 3D is not enabled on this device\n");
		igt_require_f(igt_gem_zswap_available(fd),
			      "virtio-gpu without drm_gem_zswap (or debugfs not mounted)\n");
	}

	igt_describe("A GL program's frame, read back, is the same after its idle "
		     "textures were evicted under its cgroup's limit.");
	igt_subtest("textures-under-pressure")
		under_pressure(fd, false);

	igt_describe("The same with kmscube on the screen in the squeezed cgroup: it "
		     "runs to the end.");
	igt_subtest("kmscube-under-pressure")
		under_pressure(fd, true);

	igt_fixture {
		drm_close_driver(fd);
	}
}

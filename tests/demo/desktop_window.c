// SPDX-License-Identifier: MIT
/*
 * desktop_window: the parts of the demo's desktop, one program.
 *
 *   desktop_window window ID WINDOWS SECONDS SLOT_MS DATADIR TEXTURES \
 *		COPIES
 *	A window: uploads TEXTURES textures (512x512 RGBA files
 *	DATADIR/tex-NN.rgba, a different selection per window) and COPIES
 *	copies of every model (vertex arrays DATADIR/model-NN.vbo) into
 *	vertex buffers, renders them offscreen and hashes the frame.  Then,
 *	for SECONDS (or until SIGTERM), the windows take turns in the
 *	foreground, SLOT_MS each:
 *	in its turn a window redraws ten times a second and checks that the
 *	frame hash has not changed; the rest of the time it sits idle, as
 *	background windows do, and its buffers may be evicted.  Exits 1 if
 *	any frame differed.  Under a Wayland compositor (WAYLAND_DISPLAY set)
 *	each frame it hashed is also shown in a window of the desktop.
 *
 *	Mesa's virgl driver keeps a texture on the host when the host can
 *	copy both ways, with a one-page BO in the guest; vertex buffers
 *	always have their full size in guest memory.  The models are what
 *	such a window holds in the guest.
 *
 *   desktop_window hog MIB SECONDS
 *	A memory user, like a browser tab: keeps MIB of anonymous memory and
 *	rewrites it every 200 ms.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gl_scene.h"
#include "wl_window.h"

#define TEX_SIZE	512
/* The window on the desktop: the frame, scaled up. */
#define WINDOW_SIZE	384

struct textures {
	const char *dir;
	int first;
	int available;
};

/*
 * SIGTERM ends a window's run early, as a finished one: the demo's end.
 * Blocked, and looked for between frames.
 */
static int terminated(void)
{
	sigset_t set;

	return !sigpending(&set) && sigismember(&set, SIGTERM);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fill_from_file(uint8_t *rgba, int size, int index, void *arg)
{
	struct textures *t = arg;
	size_t bytes = (size_t)size * size * 4;
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tex-%02d.rgba", t->dir,
		 (t->first + index) % t->available);
	f = fopen(path, "rb");
	if (!f || fread(rgba, 1, bytes, f) != bytes) {
		/* No file: a pattern, so that the demo still runs. */
		gl_scene_fill_pattern(rgba, size, t->first + index, NULL);
	}
	if (f)
		fclose(f);
}

static int count_files(const char *dir, const char *fmt)
{
	char name[64], path[512];
	int n = 0;

	for (;; n++) {
		snprintf(name, sizeof(name), fmt, n);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (access(path, R_OK))
			return n;
	}
}

/* Every model, @copies times, each copy a vertex buffer of its own. */
static int upload_models(struct gl_scene *s, const char *dir, int copies, size_t *bytes)
{
	int models = count_files(dir, "model-%02d.vbo");

	for (int c = 0; c < copies; c++)
		for (int m = 0; m < models; m++) {
			char path[512];
			struct stat st;
			void *p;
			int fd, ret;

			snprintf(path, sizeof(path), "%s/model-%02d.vbo", dir, m);
			fd = open(path, O_RDONLY);
			if (fd < 0 || fstat(fd, &st))
				return 60;
			p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			close(fd);
			if (p == MAP_FAILED)
				return 61;
			ret = gl_scene_add_mesh(s, p, st.st_size);
			munmap(p, st.st_size);
			if (ret)
				return ret;
			*bytes += st.st_size;
		}
	return 0;
}

static int run_window(int id, int windows, int seconds, int slot_ms, const char *dir,
		      int count, int copies)
{
	struct textures tex = { .dir = dir, .first = id * 5 };
	struct gl_scene s = { };
	struct wl_window *win = NULL;
	uint64_t start, end, first, h;
	sigset_t term;
	unsigned int frames = 0, mismatches = 0;
	size_t mesh_bytes = 0;
	int ret;

	tex.available = count_files(dir, "tex-%02d.rgba");
	if (!tex.available)
		tex.available = 1;
	ret = gl_scene_init(&s, NULL);
	if (!ret)
		ret = gl_scene_upload(&s, count, TEX_SIZE, fill_from_file, &tex);
	if (!ret)
		ret = upload_models(&s, dir, copies, &mesh_bytes);
	if (ret) {
		fprintf(stderr, "window %d: GL set-up failed (%d)\n", id, ret);
		return ret;
	}
	first = gl_scene_render(&s);
	if (getenv("WAYLAND_DISPLAY")) {
		char title[32];

		snprintf(title, sizeof(title), "window %d", id);
		win = wl_window_create(title, WINDOW_SIZE, WINDOW_SIZE);
		if (!win) {
			fprintf(stderr, "window %d: no Wayland compositor\n", id);
			ret = 62;
			goto out;
		}
		if (wl_window_show(win, s.frame, GL_SCENE_TARGET))
			goto lost;
	}
	printf("window %d: %d textures (%d MiB), %d vertex buffers (%zu MiB), frame %016"
	       PRIx64 "\n", id, count, count * TEX_SIZE * TEX_SIZE * 4 >> 20, s.meshes,
	       mesh_bytes >> 20, first);
	fflush(stdout);

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	start = now_ms();
	end = start + seconds * 1000ull;
	while (now_ms() < end && !terminated()) {
		if ((now_ms() - start) / slot_ms % windows != (uint64_t)id) {
			if (win && wl_window_dispatch(win))
				goto lost;
			usleep(100000);
			continue;
		}
		h = gl_scene_render(&s);
		frames++;
		if (win && wl_window_show(win, s.frame, GL_SCENE_TARGET))
			goto lost;
		if (h != first) {
			mismatches++;
			printf("window %d: frame %u differs: %016" PRIx64 "\n", id, frames, h);
			fflush(stdout);
		}
		usleep(100000);
	}
	printf("window %d: %u frames in the foreground, %u differed\n", id, frames,
	       mismatches);
	ret = mismatches ? 1 : 0;
	goto out;
lost:
	fprintf(stderr, "window %d: the compositor went away\n", id);
	ret = 63;
out:
	wl_window_destroy(win);
	gl_scene_fini(&s);
	return ret;
}

void *hog_mem;

static int run_hog(size_t mib, int seconds)
{
	size_t size = mib << 20;
	uint8_t *p = malloc(size);
	uint64_t end = now_ms() + seconds * 1000ull;

	if (!p)
		return 2;
	/* Published, or the compiler drops stores nobody reads. */
	hog_mem = p;
	for (int r = 1; now_ms() < end; r++) {
		memset(p, r, size);
		usleep(200000);
	}
	hog_mem = NULL;
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 9 && !strcmp(argv[1], "window"))
		return run_window(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]),
				  argv[6], atoi(argv[7]), atoi(argv[8]));
	if (argc == 4 && !strcmp(argv[1], "hog"))
		return run_hog(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: %s window ID WINDOWS SECONDS SLOT_MS DATADIR TEXTURES COPIES\n"
		"       %s hog MIB SECONDS\n", argv[0], argv[0]);
	return 64;
}

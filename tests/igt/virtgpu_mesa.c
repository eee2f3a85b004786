// SPDX-License-Identifier: MIT
/*
 * virtgpu_mesa: Mesa renders through virgl in this guest.  kmscube drives
 * KMS, GBM and EGL/GLES on the virtio-gpu device for a fixed number of frames;
 * the test requires it to finish, to report its frames and to have used the
 * virgl renderer (not a software fallback in the guest).
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_virtgpu.h"

/* Run argv with stdout and stderr captured into buf; return the exit status. */
static int run_capture(char *const argv[], char *buf, size_t len)
{
	char drain[256];
	size_t used = 0;
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	igt_assert_eq(pipe(pipefd), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (used + 1 < len && (n = read(pipefd[0], buf + used, len - used - 1)) > 0)
		used += n;
	buf[used] = '\0';
	/* Drain what does not fit so that the child never blocks on a full pipe. */
	while (read(pipefd[0], drain, sizeof(drain)) > 0)
		;
	close(pipefd[0]);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_VIRTIO);
		igt_require_f(virtgpu_has_3d(fd), "virgl 3D is not enabled on this device\n");
	}

	igt_describe("kmscube renders 60 frames through Mesa's virgl driver.");
	igt_subtest("kmscube-virgl") {
		static char out[64 * 1024];
		char *const argv[] = { "kmscube", "-c", "60", NULL };
		const char *renderer, *rendered;
		int status, frames = 0;

		/* kmscube needs DRM master: let go of ours. */
		drm_close_driver(fd);
		fd = -1;
		status = run_capture(argv, out, sizeof(out));
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "kmscube ended with status 0x%x; its output:\n%s\n", status, out);
		renderer = strstr(out, "renderer: \"");
		igt_assert_f(renderer, "kmscube printed no renderer:\n%s\n", out);
		igt_info("kmscube %.*s\n", (int)strcspn(renderer, "\n"), renderer);
		igt_assert_f(!strncmp(renderer + 11, "virgl", 5),
			     "renderer is not virgl: %.60s\n", renderer);
		rendered = strstr(out, "Rendered ");
		igt_assert_f(rendered && sscanf(rendered, "Rendered %d frames", &frames) == 1,
			     "kmscube did not report its frames\n");
		igt_assert_f(frames >= 50, "only %d frames rendered\n", frames);
		igt_info("kmscube %.*s\n", (int)strcspn(rendered, "\n"), rendered);
		fd = drm_open_driver(DRIVER_VIRTIO);
	}

	igt_fixture
		if (fd >= 0)
			drm_close_driver(fd);
}

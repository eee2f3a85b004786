// SPDX-License-Identifier: MIT
/*
 * wl_window: see wl_window.h.  Two shm buffers, so that a frame can be
 * drawn while the compositor still reads the other; a frame that finds
 * both in use is dropped (the window shows the previous one, which is the
 * same picture).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>

#include "wl_window.h"
#include "xdg-shell-client-protocol.h"

struct wl_window_buffer {
	struct wl_buffer *buffer;
	uint32_t *pixels;
	int busy;
};

struct wl_window {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct wl_window_buffer buf[2];
	void *map;
	size_t map_size;
	int width, height, configured;
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct wl_window *w = data;

	if (!strcmp(interface, wl_compositor_interface.name)) {
		w->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 1);
	} else if (!strcmp(interface, wl_shm_interface.name)) {
		w->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (!strcmp(interface, xdg_wm_base_interface.name)) {
		w->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(w->wm_base, &wm_base_listener, w);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
				   uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface,
				  uint32_t serial)
{
	struct wl_window *w = data;

	xdg_surface_ack_configure(xdg_surface, serial);
	w->configured = 1;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

/* The size is the window's own: the compositor's suggestion is ignored. */
static void toplevel_configure(void *data, struct xdg_toplevel *toplevel,
			       int32_t width, int32_t height, struct wl_array *states)
{
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void buffer_release(void *data, struct wl_buffer *buffer)
{
	struct wl_window_buffer *b = data;

	b->busy = 0;
}

static const struct wl_buffer_listener buffer_listener = {
	.release = buffer_release,
};

static int create_buffers(struct wl_window *w)
{
	size_t stride = (size_t)w->width * 4, size = stride * w->height;
	struct wl_shm_pool *pool;
	uint8_t *map;
	int fd;

	fd = memfd_create("wl_window", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 2 * size)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	map = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		return -1;
	}
	w->map = map;
	w->map_size = 2 * size;
	pool = wl_shm_create_pool(w->shm, fd, 2 * size);
	for (int i = 0; i < 2; i++) {
		w->buf[i].pixels = (uint32_t *)(map + i * size);
		w->buf[i].buffer = wl_shm_pool_create_buffer(pool, i * size, w->width,
							     w->height, stride,
							     WL_SHM_FORMAT_XRGB8888);
		wl_buffer_add_listener(w->buf[i].buffer, &buffer_listener, &w->buf[i]);
	}
	wl_shm_pool_destroy(pool);
	close(fd);
	return 0;
}

struct wl_window *wl_window_create(const char *title, int width, int height)
{
	struct wl_window *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->width = width;
	w->height = height;
	w->display = wl_display_connect(NULL);
	if (!w->display)
		goto fail;
	w->registry = wl_display_get_registry(w->display);
	wl_registry_add_listener(w->registry, &registry_listener, w);
	if (wl_display_roundtrip(w->display) < 0 || !w->compositor || !w->shm ||
	    !w->wm_base)
		goto fail;
	if (create_buffers(w))
		goto fail;
	w->surface = wl_compositor_create_surface(w->compositor);
	w->xdg_surface = xdg_wm_base_get_xdg_surface(w->wm_base, w->surface);
	xdg_surface_add_listener(w->xdg_surface, &xdg_surface_listener, w);
	w->toplevel = xdg_surface_get_toplevel(w->xdg_surface);
	xdg_toplevel_add_listener(w->toplevel, &toplevel_listener, w);
	xdg_toplevel_set_title(w->toplevel, title);
	wl_surface_commit(w->surface);
	while (!w->configured)
		if (wl_display_dispatch(w->display) < 0)
			goto fail;
	return w;
fail:
	wl_window_destroy(w);
	return NULL;
}

int wl_window_show(struct wl_window *w, const uint8_t *rgba, int size)
{
	struct wl_window_buffer *b;

	/* First the releases that have come. */
	if (wl_window_dispatch(w))
		return -1;
	b = !w->buf[0].busy ? &w->buf[0] : !w->buf[1].busy ? &w->buf[1] : NULL;
	if (!b)
		return 0;
	for (int y = 0; y < w->height; y++) {
		/* GL's first row is the bottom one. */
		const uint8_t *row = rgba + (size_t)(size - 1 - y * size / w->height) * size * 4;
		uint32_t *out = b->pixels + (size_t)y * w->width;

		for (int x = 0; x < w->width; x++) {
			const uint8_t *p = row + (size_t)(x * size / w->width) * 4;

			out[x] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		}
	}
	b->busy = 1;
	wl_surface_attach(w->surface, b->buffer, 0, 0);
	wl_surface_damage(w->surface, 0, 0, w->width, w->height);
	wl_surface_commit(w->surface);
	return wl_display_flush(w->display) < 0 && errno != EAGAIN ? -1 : 0;
}

int wl_window_dispatch(struct wl_window *w)
{
	struct pollfd pfd;

	if (wl_display_dispatch_pending(w->display) < 0)
		return -1;
	while (wl_display_prepare_read(w->display))
		if (wl_display_dispatch_pending(w->display) < 0)
			return -1;
	if (wl_display_flush(w->display) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(w->display);
		return -1;
	}
	/* Only what has come already: a read with nothing to read would block. */
	pfd.fd = wl_display_get_fd(w->display);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) > 0) {
		if (wl_display_read_events(w->display) < 0)
			return -1;
	} else {
		wl_display_cancel_read(w->display);
	}
	return wl_display_dispatch_pending(w->display) < 0 ? -1 : 0;
}

void wl_window_destroy(struct wl_window *w)
{
	if (!w)
		return;
	if (w->toplevel)
		xdg_toplevel_destroy(w->toplevel);
	if (w->xdg_surface)
		xdg_surface_destroy(w->xdg_surface);
	if (w->surface)
		wl_surface_destroy(w->surface);
	for (int i = 0; i < 2; i++)
		if (w->buf[i].buffer)
			wl_buffer_destroy(w->buf[i].buffer);
	if (w->map)
		munmap(w->map, w->map_size);
	if (w->wm_base)
		xdg_wm_base_destroy(w->wm_base);
	if (w->shm)
		wl_shm_destroy(w->shm);
	if (w->compositor)
		wl_compositor_destroy(w->compositor);
	if (w->registry)
		wl_registry_destroy(w->registry);
	if (w->display)
		wl_display_disconnect(w->display);
	free(w);
}

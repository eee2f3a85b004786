/* SPDX-License-Identifier: MIT */
/*
 * A top-level Wayland window (xdg-shell) that shows frames a program
 * rendered offscreen, through wl_shm: the demo's GL window renders on a
 * render node, hashes its frame, and shows the same pixels on the desktop.
 * Shared memory rather than an EGL window surface, so that what the window
 * shows is exactly what was hashed, and so that the compositor holds no
 * dma-buf of the window's own BOs (an exported BO is never evicted).
 */
#ifndef WL_WINDOW_H
#define WL_WINDOW_H

#include <stdint.h>

struct wl_window;

/* NULL if there is no compositor (WAYLAND_DISPLAY unset or not reachable). */
struct wl_window *wl_window_create(const char *title, int width, int height);

/*
 * Shows a frame of @size x @size RGBA pixels read back with glReadPixels
 * (bottom row first), scaled to the window.  Returns 0 or -1 if the
 * connection to the compositor is gone.
 */
int wl_window_show(struct wl_window *w, const uint8_t *rgba, int size);

/* Handles the compositor's events without blocking (pings, configures). */
int wl_window_dispatch(struct wl_window *w);

void wl_window_destroy(struct wl_window *w);

#endif /* WL_WINDOW_H */

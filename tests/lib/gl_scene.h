/* SPDX-License-Identifier: MIT */
/*
 * A small offscreen GL scene on a DRM render node, for the programs that
 * put Mesa's virgl driver under memory pressure: textures uploaded once,
 * drawn in a grid into a texture-backed framebuffer, and the frame read
 * back with glReadPixels and hashed.  The same textures give the same
 * hash, so a texture whose backing was evicted and restored wrongly shows.
 */
#ifndef GL_SCENE_H
#define GL_SCENE_H

#include <stdint.h>

#include <EGL/egl.h>
#include <GLES2/gl2.h>

#define GL_SCENE_MAX_TEXTURES	64
#define GL_SCENE_MAX_MESHES	16
#define GL_SCENE_TARGET		256

/* A vertex buffer of interleaved float position, normal and uv. */
struct gl_scene_mesh {
	GLuint vbo;
	GLsizei vertices;
	GLfloat center[3], scale;
};

struct gl_scene {
	int fd;
	struct gbm_device *gbm;
	EGLDisplay dpy;
	EGLContext ctx;
	GLuint prog, mesh_prog, fbo, target;
	GLuint tex[GL_SCENE_MAX_TEXTURES];
	int textures, tex_size;
	struct gl_scene_mesh mesh[GL_SCENE_MAX_MESHES];
	int meshes;
	/* The last frame gl_scene_render() read back, GL_SCENE_TARGET square. */
	const uint8_t *frame;
};

/*
 * Each returns 0 or a small positive code saying which step failed (38: the
 * driver ran out of memory).  A NULL @node picks virtio-gpu's render node.
 */
int gl_scene_init(struct gl_scene *s, const char *node);
int gl_scene_upload(struct gl_scene *s, int count, int size,
		    void (*fill)(uint8_t *rgba, int size, int index, void *arg),
		    void *arg);
int gl_scene_add_mesh(struct gl_scene *s, const void *vertices, size_t bytes);
void gl_scene_fini(struct gl_scene *s);

/*
 * Draws every texture and mesh, each in a cell of a grid, and returns the
 * FNV-1a hash of the frame read back.
 */
uint64_t gl_scene_render(struct gl_scene *s);

/* Texture-like contents: gradients and a pattern that differs per index. */
void gl_scene_fill_pattern(uint8_t *rgba, int size, int index, void *arg);

#endif /* GL_SCENE_H */

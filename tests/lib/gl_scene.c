// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "gl_scene.h"

#include <EGL/eglext.h>
#include <gbm.h>

static const char *vs_src =
	"attribute vec2 pos;\n"
	"varying vec2 uv;\n"
	"uniform vec4 rect;\n"
	"void main() {\n"
	"  uv = pos;\n"
	"  gl_Position = vec4(rect.xy + pos * rect.zw, 0.0, 1.0);\n"
	"}\n";

static const char *fs_src =
	"precision mediump float;\n"
	"varying vec2 uv;\n"
	"uniform sampler2D tex;\n"
	"void main() { gl_FragColor = texture2D(tex, uv); }\n";

/* Meshes: flat-shaded by their normals, fitted into their cell. */
static const char *mesh_vs_src =
	"attribute vec3 pos;\n"
	"attribute vec3 nrm;\n"
	"varying vec3 col;\n"
	"uniform vec4 rect;\n"
	"uniform vec4 fit;\n"
	"void main() {\n"
	"  vec3 p = (pos - fit.xyz) * fit.w;\n"
	"  col = abs(nrm);\n"
	"  gl_Position = vec4(rect.xy + (p.xy * 0.5 + 0.5) * rect.zw, p.z * 0.5, 1.0);\n"
	"}\n";

static const char *mesh_fs_src =
	"precision mediump float;\n"
	"varying vec3 col;\n"
	"void main() { gl_FragColor = vec4(col, 1.0); }\n";

/* 0, 38 when the driver ran out of memory, 48 for any other GL error. */
static int gl_status(void)
{
	GLenum err = glGetError();

	if (err == GL_OUT_OF_MEMORY)
		return 38;
	return err == GL_NO_ERROR ? 0 : 48;
}

static GLuint shader(GLenum type, const char *src)
{
	GLuint s = glCreateShader(type);
	GLint ok = 0;

	glShaderSource(s, 1, &src, NULL);
	glCompileShader(s);
	glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
	return ok ? s : 0;
}

/* The render node of virtio-gpu: the guests also have vgem's. */
static int open_virtio_gpu(void)
{
	char path[64];

	for (int i = 128; i < 192; i++) {
		drmVersionPtr v;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "virtio_gpu")) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

/* EGL on GBM, no surface: everything is drawn into an FBO. */
static int egl_init(struct gl_scene *s, const char *node)
{
	static const EGLint ctx_attr[] = { EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE };
	static const EGLint cfg_attr[] = { EGL_RENDERABLE_TYPE, EGL_OPENGL_ES2_BIT,
					   EGL_SURFACE_TYPE, 0, EGL_NONE };
	PFNEGLGETPLATFORMDISPLAYEXTPROC get_display;
	EGLConfig cfg;
	EGLint n;

	s->fd = node ? open(node, O_RDWR | O_CLOEXEC) : open_virtio_gpu();
	if (s->fd < 0)
		return 40;
	s->gbm = gbm_create_device(s->fd);
	get_display = (void *)eglGetProcAddress("eglGetPlatformDisplayEXT");
	if (!s->gbm || !get_display)
		return 41;
	s->dpy = get_display(EGL_PLATFORM_GBM_KHR, s->gbm, NULL);
	if (!eglInitialize(s->dpy, NULL, NULL) || !eglBindAPI(EGL_OPENGL_ES_API))
		return 42;
	if (!eglChooseConfig(s->dpy, cfg_attr, &cfg, 1, &n) || n != 1)
		return 43;
	s->ctx = eglCreateContext(s->dpy, cfg, EGL_NO_CONTEXT, ctx_attr);
	if (s->ctx == EGL_NO_CONTEXT ||
	    !eglMakeCurrent(s->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, s->ctx))
		return 44;
	return 0;
}

static GLuint program(const char *vs_src, const char *fs_src)
{
	GLuint vs = shader(GL_VERTEX_SHADER, vs_src);
	GLuint fs = shader(GL_FRAGMENT_SHADER, fs_src);
	GLuint prog;
	GLint ok = 0;

	if (!vs || !fs)
		return 0;
	prog = glCreateProgram();
	glAttachShader(prog, vs);
	glAttachShader(prog, fs);
	glBindAttribLocation(prog, 0, "pos");
	glBindAttribLocation(prog, 1, "nrm");
	glLinkProgram(prog);
	glGetProgramiv(prog, GL_LINK_STATUS, &ok);
	return ok ? prog : 0;
}

int gl_scene_init(struct gl_scene *s, const char *node)
{
	int ret = egl_init(s, node);

	if (ret)
		return ret;
	s->prog = program(vs_src, fs_src);
	s->mesh_prog = program(mesh_vs_src, mesh_fs_src);
	if (!s->prog || !s->mesh_prog)
		return 45;

	glGenTextures(1, &s->target);
	glBindTexture(GL_TEXTURE_2D, s->target);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, GL_SCENE_TARGET, GL_SCENE_TARGET, 0,
		     GL_RGBA, GL_UNSIGNED_BYTE, NULL);
	glGenFramebuffers(1, &s->fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, s->fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
			       s->target, 0);
	if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
		return 46;
	return 0;
}

void gl_scene_fill_pattern(uint8_t *rgba, int size, int index, void *arg)
{
	for (int y = 0; y < size; y++)
		for (int x = 0; x < size; x++) {
			uint8_t *p = rgba + ((size_t)y * size + x) * 4;

			p[0] = x / 2 + index * 5;
			p[1] = y / 2;
			p[2] = ((x / 32 + y / 32 + index) & 1) ? 200 : 40;
			p[3] = 0xff;
		}
}

int gl_scene_upload(struct gl_scene *s, int count, int size,
		    void (*fill)(uint8_t *rgba, int size, int index, void *arg),
		    void *arg)
{
	uint8_t *px = malloc((size_t)size * size * 4);

	if (!px || count > GL_SCENE_MAX_TEXTURES)
		return 47;
	s->textures = count;
	s->tex_size = size;
	glGenTextures(count, s->tex);
	for (int t = 0; t < count; t++) {
		fill(px, size, t, arg);
		glBindTexture(GL_TEXTURE_2D, s->tex[t]);
		glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
		glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
		glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, size, size, 0, GL_RGBA,
			     GL_UNSIGNED_BYTE, px);
	}
	free(px);
	glFinish();
	return gl_status();
}

#define MESH_STRIDE	(8 * sizeof(GLfloat))

int gl_scene_add_mesh(struct gl_scene *s, const void *vertices, size_t bytes)
{
	struct gl_scene_mesh *m = &s->mesh[s->meshes];
	const GLfloat *v = vertices;
	GLfloat lo[3], hi[3], extent = 0;
	size_t n = bytes / MESH_STRIDE;

	if (s->meshes == GL_SCENE_MAX_MESHES || !n)
		return 49;
	for (int k = 0; k < 3; k++) {
		lo[k] = v[k];
		hi[k] = v[k];
	}
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 3; k++) {
			GLfloat x = v[i * 8 + k];

			lo[k] = x < lo[k] ? x : lo[k];
			hi[k] = x > hi[k] ? x : hi[k];
		}
	for (int k = 0; k < 3; k++) {
		m->center[k] = (lo[k] + hi[k]) / 2;
		extent = hi[k] - lo[k] > extent ? hi[k] - lo[k] : extent;
	}
	m->scale = extent > 0 ? 2 / extent : 1;
	m->vertices = n;
	glGenBuffers(1, &m->vbo);
	glBindBuffer(GL_ARRAY_BUFFER, m->vbo);
	glBufferData(GL_ARRAY_BUFFER, n * MESH_STRIDE, vertices, GL_STATIC_DRAW);
	glBindBuffer(GL_ARRAY_BUFFER, 0);
	s->meshes++;
	glFinish();
	return gl_status();
}

/* Every texture, then every mesh, in a cell of an 8-column grid. */
uint64_t gl_scene_render(struct gl_scene *s)
{
	static const GLfloat quad[] = { 0, 0, 1, 0, 0, 1, 1, 1 };
	static uint8_t frame[GL_SCENE_TARGET * GL_SCENE_TARGET * 4];
	int cells = s->textures + s->meshes;
	int rows = (cells + 7) / 8;
	uint64_t h = 0xcbf29ce484222325ull;
	GLint rect;

	glViewport(0, 0, GL_SCENE_TARGET, GL_SCENE_TARGET);
	glClearColor(0.1, 0.1, 0.2, 1);
	glClear(GL_COLOR_BUFFER_BIT);
	glUseProgram(s->prog);
	rect = glGetUniformLocation(s->prog, "rect");
	glBindBuffer(GL_ARRAY_BUFFER, 0);
	glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, quad);
	glEnableVertexAttribArray(0);
	glDisableVertexAttribArray(1);
	for (int t = 0; t < s->textures; t++) {
		glBindTexture(GL_TEXTURE_2D, s->tex[t]);
		glUniform4f(rect, -1 + (t % 8) * 0.25, -1 + (t / 8) * (2.0 / rows),
			    0.25, 2.0 / rows);
		glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
	}
	if (s->meshes) {
		glUseProgram(s->mesh_prog);
		rect = glGetUniformLocation(s->mesh_prog, "rect");
		glEnableVertexAttribArray(1);
	}
	for (int i = 0; i < s->meshes; i++) {
		struct gl_scene_mesh *m = &s->mesh[i];
		int c = s->textures + i;

		glBindBuffer(GL_ARRAY_BUFFER, m->vbo);
		glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, MESH_STRIDE, (void *)0);
		glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, MESH_STRIDE,
				      (void *)(3 * sizeof(GLfloat)));
		glUniform4f(rect, -1 + (c % 8) * 0.25, -1 + (c / 8) * (2.0 / rows),
			    0.25, 2.0 / rows);
		glUniform4f(glGetUniformLocation(s->mesh_prog, "fit"), m->center[0],
			    m->center[1], m->center[2], m->scale);
		glDrawArrays(GL_TRIANGLES, 0, m->vertices);
	}
	glReadPixels(0, 0, GL_SCENE_TARGET, GL_SCENE_TARGET, GL_RGBA, GL_UNSIGNED_BYTE,
		     frame);
	s->frame = frame;
	for (size_t i = 0; i < sizeof(frame); i++)
		h = (h ^ frame[i]) * 0x100000001b3ull;
	return h;
}

void gl_scene_fini(struct gl_scene *s)
{
	eglMakeCurrent(s->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	eglDestroyContext(s->dpy, s->ctx);
	eglTerminate(s->dpy);
	gbm_device_destroy(s->gbm);
	close(s->fd);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zstream: a vector of pages compressed as one stream into a zpool, the
 * stream store of drm_gem_zswap (drm_gem_zswap_stream.c says how and why).
 * No DRM type here: a user that is no GEM helper may store its pages too.
 */

#ifndef __DRM_GEM_ZSWAP_STREAM_H__
#define __DRM_GEM_ZSWAP_STREAM_H__

#include <linux/compiler_types.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct mutex;
struct page;
struct zpool;
struct zstream_ctx;

/**
 * enum zstream_codec - how a stream is compressed
 * @ZSTREAM_LZ4: LZ4, one block per page, 64 KiB of history
 * @ZSTREAM_ZSTD: zstd, one frame, 128 KiB window
 */
enum zstream_codec {
	ZSTREAM_LZ4,
	ZSTREAM_ZSTD,
};

/**
 * struct zstream_pool - a zpool, a codec, and the contexts for both
 * @zpool: the backend, its user's: made before zstream_pool_init() and
 *	destroyed after zstream_pool_fini()
 * @codec: the codec of every stream in it
 * @chunk_size: the size of every whole chunk of a stream: the largest the
 *	backend stores without waste
 * @tail_pieces: a stream's tail is stored in pieces (zstream_tail_piece()),
 *	for backends whose chunk is a page (zblock, zsmalloc) and whose
 *	classes of those pieces have one-page blocks; zbud and z3fold, which
 *	keep two or three objects a page, store it whole
 * @full: the user's limit, asked before each chunk is stored, or NULL
 * @ctx: per-CPU codec contexts
 *
 * Set up by zstream_pool_init(); the user reads @zpool, @codec and
 * @chunk_size, and leaves the rest to the store.
 */
struct zstream_pool {
	struct zpool *zpool;
	enum zstream_codec codec;
	size_t chunk_size;
	bool tail_pieces;
	bool (*full)(void);
	struct zstream_ctx __percpu *ctx;
};

/**
 * struct zstream - one stored stream: the handle zstream_store() fills in
 * @pool: the pool its chunks are in
 * @len: the stream's length
 * @chunk_bytes: bytes of pool objects held: the stream, in chunks, and
 *	the padding of its tail's last piece
 * @max_bytes: the most the stream may hold, with its descriptor's
 *	allocation and its pages of handles (zstream_footprint())
 * @alloc_bytes: the allocation the descriptor is in, and its pages of
 *	handles so far
 * @hash: xxh64 of the stream
 * @nr_chunks: how many chunks
 * @nr_handle_pages: size of @handles, or of @handle when @inline_handles
 * @inline_handles: the handles are in @handle, in the descriptor itself,
 *	not in pages of their own: a stream of few chunks
 * @handles: pages of chunk handles, allocated as chunks are stored
 * @handle: the chunk handles themselves, when @inline_handles
 *
 * Opaque to its user but for @len, @chunk_bytes, @alloc_bytes and
 * zstream_footprint(), which it may read; it allocates the descriptor,
 * zeroed, as the last member of an object of its own (zstream_size()),
 * and hands it to zstream_init().
 */
struct zstream {
	struct zstream_pool *pool;
	size_t len;
	size_t chunk_bytes;
	size_t max_bytes;
	size_t alloc_bytes;
	u64 hash;
	unsigned int nr_chunks;
	/* Bit fields, so that the entry of drm_gem_zswap is no larger. */
	unsigned int nr_handle_pages : 31;
	unsigned int inline_handles : 1;
	union {
		DECLARE_FLEX_ARRAY(unsigned long *, handles);
		DECLARE_FLEX_ARRAY(unsigned long, handle);
	};
};

/*
 * Bytes of memory a stream holds: its pool objects, the allocation its
 * descriptor is in and its pages of handles.
 */
static inline size_t zstream_footprint(const struct zstream *s)
{
	return s->chunk_bytes + s->alloc_bytes;
}

int zstream_pool_init(struct zstream_pool *pool, struct zpool *zpool,
		      enum zstream_codec codec, bool (*full)(void));
void zstream_pool_fini(struct zstream_pool *pool);
void zstream_ctx_lock_init(struct mutex *lock);

size_t zstream_size(const struct zstream_pool *pool, size_t max_bytes);
void zstream_init(struct zstream *s, struct zstream_pool *pool,
		  size_t max_bytes, size_t alloc_bytes);
int zstream_store(struct zstream *s, struct page **pages, unsigned int n,
		  gfp_t gfp, size_t reserve);
int zstream_load(struct zstream *s, struct page **pages, unsigned int n);
void zstream_free(struct zstream *s);
int zstream_corrupt(struct zstream *s, size_t offset);

#if IS_ENABLED(CONFIG_KUNIT)
int zstream_store_chunk(struct zpool *zpool, const void *src, size_t len,
			gfp_t gfp, unsigned long *handle);
size_t zstream_tail_piece(size_t chunk, size_t tail, unsigned int j,
			  size_t *slot);
void *zstream_map_linear(struct page **pages, unsigned int n);
#endif

#endif /* __DRM_GEM_ZSWAP_STREAM_H__ */

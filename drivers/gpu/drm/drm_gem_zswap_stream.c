// SPDX-License-Identifier: GPL-2.0
/*
 * zstream: a vector of pages compressed as one stream into a zpool
 *
 * This is the stream store of drm_gem_zswap (drm_gem_zswap.c), kept apart
 * from the GEM policy so that any user with pages to keep compressed, a
 * compressed RAM disk as much as a GPU driver, can use it: its interface
 * (drm_gem_zswap_stream.h) knows pages, a zpool, gfp flags and a codec, and
 * no DRM type.  What to store and when, the pools' lifetimes and limits,
 * reclaim and accounting stay with the user.
 *
 * Design.  The pages are compressed in order as one stream, so that each
 * page may refer back to the 64 KiB before it, which a page compressed on
 * its own cannot, at the cost of one compressor setup per stream instead of
 * one per page.  The price is that a stream is read back whole: there is no
 * loading one page of it.  The stream is cut into chunks of the largest
 * size the zpool stores without waste (a page for zblock and zsmalloc),
 * and its tail into pieces of half a chunk down to 1/32 of one, the last
 * padded, so that every stream's last bytes go to the same few size classes
 * of one-page blocks (zstream_tail_piece()); a stream costs a handful of
 * pool allocations and under 128 bytes of padding.
 *
 * Why a window.  A user's pages are scattered and reclaim may not allocate
 * in proportion to them, so they cannot be mapped as one buffer to be
 * compressed.  LZ4 keeps only one previous segment as its external
 * dictionary, so pages fed to it from their own addresses would each see
 * only the page before.  Each page is instead copied into a per-CPU window
 * right after the history that LZ4_saveDict() keeps at its start; a window
 * of 64 KiB history plus 192 KiB of input moves the history once per
 * 192 KiB of input, a third of a byte moved per byte compressed.  A load
 * runs in process context, where the new pages can be mapped as one buffer
 * (vmap()): LZ4 then decodes into them directly, each page's history being
 * the pages before it, with neither the window's copy nor its move; the
 * window is the fallback when the mapping cannot be made, and below
 * ZSTREAM_LINEAR_MIN_PAGES.  zstd keeps its own window and needs no copy.
 *
 * Format.  An LZ4 stream is a sequence of blocks, one per page, each a
 * little-endian 32-bit length and that many bytes of LZ4 data; a zstd
 * stream is one zstd frame.  An xxh64 hash of the stored stream is kept in
 * its &struct zstream: LZ4 does not detect every corruption, and a bad
 * byte must give -EIO rather than wrong contents.  A load decompresses
 * into the caller's pages, which hold the contents only when the decoder
 * and the checksum both agree.
 *
 * Memory.  Everything a compression needs (the LZ4 state or zstd workspace,
 * the window, a chunk of staging) is allocated per CPU by
 * zstream_pool_init(), so that a store from reclaim needs no large
 * allocation: only the chunks, and the pages of handles of a stream of
 * more than ZSTREAM_INLINE_HANDLES chunks, with the caller's gfp flags.
 * The trade-off is memory held while the pool lives: some 280 KiB a CPU
 * for LZ4, the zstd workspaces for zstd.  The descriptor, &struct zstream,
 * is allocated by the user, in its own object (zstream_size()), so that a
 * stream costs the user one allocation, not two.
 *
 * Locking.  A codec context's mutex is held for the whole of one stream's
 * compression or decompression.  A store waits for one, from reclaim too:
 * so nothing inside it may allocate with direct reclaim or sleep on
 * anything but the zpool's locks and the page allocator with the caller's
 * (non-blocking) flags; zstream_ctx_lock_init() gives a user the lock class
 * to teach lockdep its own order with.  A user serialises the calls on one
 * stream; calls on different streams may run at once.
 */

#include <linux/highmem.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <linux/xxhash.h>
#include <linux/zpool.h>
#include <linux/zstd.h>

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "drm_gem_zswap_stream.h"

/* LZ4's history, and the window pages are compressed in after it. */
#define ZSTREAM_HISTORY		(64 * 1024)
#define ZSTREAM_WINDOW_INPUT	(192 * 1024)
#define ZSTREAM_WINDOW		(ZSTREAM_HISTORY + max_t(size_t, ZSTREAM_WINDOW_INPUT, PAGE_SIZE))
#define ZSTREAM_LZ4_HDR		4
#define ZSTREAM_LZ4_BLOCK	(ZSTREAM_LZ4_HDR + LZ4_COMPRESSBOUND(PAGE_SIZE))

/*
 * The fewest pages a restore maps as one buffer: below, the mapping and
 * its later purge cost about what the window's copies do.
 */
#define ZSTREAM_LINEAR_MIN_PAGES	16

/* zstd: a small level and a window like LZ4's, to keep workspaces small. */
#define ZSTREAM_ZSTD_LEVEL	1
#define ZSTREAM_ZSTD_WINDOW_LOG	17

#define ZSTREAM_HANDLES_PER_PAGE	(PAGE_SIZE / sizeof(unsigned long))

/*
 * A stream of at most this many chunks keeps their handles in its
 * descriptor: a page of handles would cost a one-page stream more than it
 * frees.  A BO of 144 KiB, which drm_gem_zswap lets store 126 KiB (7/8),
 * takes 35 chunks at most (31 whole and four pieces of a tail, or 30 and
 * five), within the 36 that zstream_size() reserves for that max_bytes.
 */
#define ZSTREAM_INLINE_HANDLES	36

/*
 * The tail of a stream, what follows its last whole chunk, is stored in
 * pieces of half a chunk, a quarter and so on down to 1/32 of a chunk
 * (128 bytes with 4 KiB pages), the last one padded: see zstream_tail_piece().
 */
#define ZSTREAM_TAIL_SHIFT	5
#define ZSTREAM_TAIL_PIECES	ZSTREAM_TAIL_SHIFT

/**
 * struct zstream_ctx - what one CPU needs to compress or decompress
 * @lock: held for the whole of one stream's compression or decompression
 * @window: LZ4 history and input (or output) page
 * @chunk: one chunk of the stream on its way to or from the pool
 * @block: one LZ4 block, with its header, when it must be assembled
 * @lz4: LZ4 compression state
 * @lz4d: LZ4 decompression state
 * @zc: zstd compression stream, in @zc_ws
 * @zd: zstd decompression stream, in @zd_ws
 * @zc_ws: zstd compression workspace
 * @zd_ws: zstd decompression workspace
 */
struct zstream_ctx {
	struct mutex lock; /* one stream at a time */
	u8 *window;
	u8 *chunk;
	u8 *block;
	LZ4_stream_t *lz4;
	void *lz4d;
	zstd_cstream *zc;
	zstd_dstream *zd;
	void *zc_ws;
	void *zd_ws;
};

/* Per-CPU codec contexts. */

static void zstream_ctx_free(struct zstream_ctx *ctx)
{
	kvfree(ctx->window);
	kfree(ctx->chunk);
	kfree(ctx->block);
	kvfree(ctx->lz4);
	kfree(ctx->lz4d);
	kvfree(ctx->zc_ws);
	kvfree(ctx->zd_ws);
}

static int zstream_ctx_init_zstd(struct zstream_ctx *ctx)
{
	/* Parameters for inputs of the window's size have the window's log. */
	zstd_parameters params = zstd_get_params(ZSTREAM_ZSTD_LEVEL,
						 1UL << ZSTREAM_ZSTD_WINDOW_LOG);
	zstd_compression_parameters cparams =
		zstd_get_cparams(ZSTREAM_ZSTD_LEVEL, 1UL << ZSTREAM_ZSTD_WINDOW_LOG, 0);
	size_t zc_size, zd_size;

	zc_size = zstd_cstream_workspace_bound(&cparams);
	zd_size = zstd_dstream_workspace_bound(1UL << ZSTREAM_ZSTD_WINDOW_LOG);
	ctx->zc_ws = kvmalloc(zc_size, GFP_KERNEL);
	ctx->zd_ws = kvmalloc(zd_size, GFP_KERNEL);
	if (!ctx->zc_ws || !ctx->zd_ws)
		return -ENOMEM;
	ctx->zc = zstd_init_cstream(&params, 0, ctx->zc_ws, zc_size);
	ctx->zd = zstd_init_dstream(1UL << ZSTREAM_ZSTD_WINDOW_LOG, ctx->zd_ws,
				    zd_size);
	if (!ctx->zc || !ctx->zd)
		return -EINVAL;
	return 0;
}

/**
 * zstream_ctx_lock_init() - initialise a mutex of the codec contexts' class
 * @lock: the mutex
 *
 * One lock class for every context's mutex, and for @lock: a user teaches
 * lockdep where the contexts nest in its own locks (as drm_gem_zswap's
 * zswap_lockdep() does) with a mutex of that class, at init, so that a
 * path that inverts the order is reported the first time it runs.
 *
 * Context: any context that may initialise a mutex.
 */
void zstream_ctx_lock_init(struct mutex *lock)
{
	mutex_init(lock);
}

static int zstream_ctx_init(struct zstream_ctx *ctx,
			    enum zstream_codec comp, size_t chunk_size)
{
	zstream_ctx_lock_init(&ctx->lock);
	ctx->chunk = kmalloc(chunk_size, GFP_KERNEL);
	if (!ctx->chunk)
		return -ENOMEM;
	if (comp == ZSTREAM_ZSTD)
		return zstream_ctx_init_zstd(ctx);

	ctx->window = kvmalloc(ZSTREAM_WINDOW, GFP_KERNEL);
	ctx->block = kmalloc(ZSTREAM_LZ4_BLOCK, GFP_KERNEL);
	ctx->lz4 = kvmalloc(sizeof(*ctx->lz4), GFP_KERNEL);
	ctx->lz4d = kmalloc(LZ4_STREAMDECODESIZE, GFP_KERNEL);
	if (!ctx->window || !ctx->block || !ctx->lz4 || !ctx->lz4d)
		return -ENOMEM;
	return 0;
}

/*
 * The largest object the backend stores, up to a page: zblock and zsmalloc
 * take a whole page, zbud and z3fold a little less.
 */
static size_t zstream_probe_chunk_size(struct zpool *zpool)
{
	unsigned long handle;
	size_t size;

	for (size = PAGE_SIZE; size >= PAGE_SIZE / 2; size -= 64) {
		if (!zpool_malloc(zpool, size, GFP_KERNEL, &handle)) {
			zpool_free(zpool, handle);
			return size;
		}
	}
	return 0;
}

/* A stream's chunks: their handles, and how much of the stream each holds. */

static unsigned long *zstream_handle_slot(struct zstream *s, unsigned int i)
{
	if (s->inline_handles)
		return &s->handle[i];
	return &s->handles[i / ZSTREAM_HANDLES_PER_PAGE][i % ZSTREAM_HANDLES_PER_PAGE];
}

static unsigned long zstream_handle(struct zstream *s, unsigned int i)
{
	return *zstream_handle_slot(s, i);
}

/**
 * zstream_tail_piece() - where a piece of a stream's tail goes
 * @chunk: the pool's chunk size, a page
 * @tail: the bytes after the stream's last whole chunk, less than @chunk
 * @j: which piece
 * @slot: set to the size of the piece's pool object, 0 past the last
 *
 * A tail stored as one object would go to whichever class of the backend
 * fits it, and every class in use keeps a partly filled block of up to 8
 * pages: over a few dozen streams that was 3% of the pool.  Padded to 1/32 of
 * a chunk and cut into pieces of the sizes of its bits, half a chunk down
 * to 1/32 (or one whole chunk when it fills the last 1/32), it uses at
 * most five classes below a page, each with one-page blocks in zblock and
 * zsmalloc; the cost is the padding, under 128 bytes a stream with 4 KiB
 * pages.  The cut follows from the stream's length alone, so nothing else
 * is stored to find the pieces again.  Only for pools with
 * &zstream_pool.tail_pieces.
 *
 * Return: how many bytes of the stream piece @j holds, or 0 past the last.
 */
VISIBLE_IF_KUNIT size_t zstream_tail_piece(size_t chunk, size_t tail,
					   unsigned int j, size_t *slot)
{
	size_t quantum = chunk >> ZSTREAM_TAIL_SHIFT;
	size_t units = DIV_ROUND_UP(tail, quantum), off = 0;
	int bit;

	/* Units of 32 (a whole chunk) when the tail fills the last quantum. */
	for (bit = ZSTREAM_TAIL_SHIFT; bit >= 0; bit--) {
		if (!(units & BIT(bit)))
			continue;
		if (!j--) {
			*slot = quantum << bit;
			return min(*slot, tail - off);
		}
		off += quantum << bit;
	}
	*slot = 0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(zstream_tail_piece);

/* Piece @j of the tail of a stream stored in @pool: see above. */
static size_t zstream_pool_tail_piece(const struct zstream_pool *pool,
				      size_t tail, unsigned int j, size_t *slot)
{
	if (pool->tail_pieces)
		return zstream_tail_piece(pool->chunk_size, tail, j, slot);
	*slot = j ? 0 : tail;
	return *slot;
}

/* The bytes of the stream that chunk @i holds (its object may be larger). */
static size_t zstream_chunk_len(const struct zstream *s, unsigned int i)
{
	size_t chunk = s->pool->chunk_size;
	size_t whole = s->len / chunk, slot;

	if (i < whole)
		return chunk;
	return zstream_pool_tail_piece(s->pool, s->len % chunk, i - whole, &slot);
}

/**
 * zstream_store_chunk() - put one chunk of a stream in the zpool
 * @zpool: the zpool
 * @src: the chunk
 * @len: its length, at most the pool's chunk size
 * @gfp: the flags of the allocation, see zstream_gfp()
 * @handle: set to the chunk's handle
 *
 * A function of its own so that tests can fail it at a chosen chunk.
 *
 * Return: 0 or the pool's error.
 */
VISIBLE_IF_KUNIT int zstream_store_chunk(struct zpool *zpool, const void *src,
					 size_t len, gfp_t gfp,
					 unsigned long *handle)
{
	void *dst;
	int ret;

	KUNIT_STATIC_STUB_REDIRECT(zstream_store_chunk, zpool, src, len,
				   gfp, handle);

	ret = zpool_malloc(zpool, len, gfp, handle);
	if (ret)
		return ret;
	dst = zpool_map_handle(zpool, *handle, ZPOOL_MM_WO);
	memcpy(dst, src, len);
	zpool_unmap_handle(zpool, *handle);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(zstream_store_chunk);

/* Writing a stream: chunks are staged in the context and stored when full. */

struct zstream_writer {
	struct zstream *s;
	u8 *buf;
	size_t fill;
	size_t chunk_size;
	gfp_t gfp;
	size_t reserve;
	struct xxh64_state hash;
};

/*
 * An allocation of @len more for the stream: the caller's flags while
 * what the stream holds stays within the caller's reserve, and without
 * the memory reserves beyond it (see zstream_store()).
 */
static gfp_t zstream_gfp(const struct zstream_writer *w, size_t len)
{
	if (zstream_footprint(w->s) + len <= w->reserve)
		return w->gfp;
	return w->gfp | __GFP_NOMEMALLOC;
}

/*
 * Stores @slot bytes of the staged chunk from @off as the stream's next
 * chunk, of which @len are the stream's and the rest padding.
 */
static int zstream_writer_store(struct zstream_writer *w, size_t off, size_t len,
				size_t slot)
{
	struct zstream *s = w->s;
	unsigned int i = s->nr_chunks;
	unsigned long *page;
	int ret;

	if (zstream_footprint(s) + slot > s->max_bytes)
		return -E2BIG;
	/* The user's cap holds as the stream grows, not only when it starts. */
	if (s->pool->full && s->pool->full())
		return -ENOSPC;

	if (!s->inline_handles && !s->handles[i / ZSTREAM_HANDLES_PER_PAGE]) {
		if (zstream_footprint(s) + slot + PAGE_SIZE > s->max_bytes)
			return -E2BIG;
		page = (unsigned long *)__get_free_page(zstream_gfp(w, slot + PAGE_SIZE));
		if (!page)
			return -ENOMEM;
		s->handles[i / ZSTREAM_HANDLES_PER_PAGE] = page;
		s->alloc_bytes += PAGE_SIZE;
	}
	ret = zstream_store_chunk(s->pool->zpool, w->buf + off, slot,
				  zstream_gfp(w, slot), zstream_handle_slot(s, i));
	if (ret)
		return ret;

	xxh64_update(&w->hash, w->buf + off, len);
	s->nr_chunks++;
	s->len += len;
	s->chunk_bytes += slot;
	return 0;
}

/* Stores what is staged: a whole chunk, or the stream's tail in pieces. */
static int zstream_writer_flush(struct zstream_writer *w)
{
	size_t off = 0, len, slot;
	unsigned int j;
	int ret;

	if (w->fill == w->chunk_size) {
		ret = zstream_writer_store(w, 0, w->fill, w->fill);
		if (!ret)
			w->fill = 0;
		return ret;
	}
	for (j = 0; ; j++) {
		len = zstream_pool_tail_piece(w->s->pool, w->fill, j, &slot);
		if (!len)
			break;
		/* The padding, all in the last piece, is zeroes. */
		if (off + slot > w->fill)
			memset(w->buf + w->fill, 0, off + slot - w->fill);
		ret = zstream_writer_store(w, off, len, slot);
		if (ret)
			return ret;
		off += slot;
	}
	w->fill = 0;
	return 0;
}

static int zstream_writer_put(struct zstream_writer *w, const u8 *src, size_t len)
{
	while (len) {
		size_t n = min(len, w->chunk_size - w->fill);
		int ret;

		memcpy(w->buf + w->fill, src, n);
		w->fill += n;
		src += n;
		len -= n;
		if (w->fill == w->chunk_size) {
			ret = zstream_writer_flush(w);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Reading a stream back, a chunk at a time, checksumming as it goes. */

struct zstream_reader {
	struct zstream *s;
	const u8 *buf;
	size_t len;
	size_t pos;
	unsigned int next;
	struct xxh64_state hash;
};

static int zstream_reader_load(struct zstream_reader *r, u8 *staging)
{
	struct zstream *s = r->s;
	struct zpool *zpool = s->pool->zpool;
	unsigned long handle;
	const void *src;

	if (r->next >= s->nr_chunks)
		return -EIO;
	handle = zstream_handle(s, r->next);
	r->len = zstream_chunk_len(s, r->next);
	src = zpool_map_handle(zpool, handle, ZPOOL_MM_RO);
	memcpy(staging, src, r->len);
	zpool_unmap_handle(zpool, handle);
	xxh64_update(&r->hash, staging, r->len);
	r->buf = staging;
	r->pos = 0;
	r->next++;
	return 0;
}

static int zstream_reader_get(struct zstream_reader *r, u8 *staging, u8 *dst,
			      size_t len)
{
	while (len) {
		size_t n;
		int ret;

		if (r->pos == r->len) {
			ret = zstream_reader_load(r, staging);
			if (ret)
				return ret;
		}
		n = min(len, r->len - r->pos);
		memcpy(dst, r->buf + r->pos, n);
		r->pos += n;
		dst += n;
		len -= n;
	}
	return 0;
}

/*
 * @len bytes of the stream: in place in the staged chunk when they are all
 * there, which is the common case, or assembled in @block.
 */
static const u8 *zstream_reader_ptr(struct zstream_reader *r, u8 *staging, u8 *block,
				    size_t len, int *err)
{
	const u8 *p;

	if (r->len - r->pos >= len) {
		p = r->buf + r->pos;
		r->pos += len;
		*err = 0;
		return p;
	}
	*err = zstream_reader_get(r, staging, block, len);
	return block;
}

/* The stream must end exactly where the decoder did, with the right hash. */
static int zstream_reader_finish(struct zstream_reader *r)
{
	if (r->pos != r->len || r->next != r->s->nr_chunks ||
	    xxh64_digest(&r->hash) != r->s->hash)
		return -EIO;
	return 0;
}

/* LZ4: one block per page through the window. */

static int zstream_lz4_compress(struct zstream_ctx *ctx,
				struct page **pages, unsigned int n,
				struct zstream_writer *w)
{
	size_t pos = 0;
	unsigned int i;
	int len, ret;

	lockdep_assert_held(&ctx->lock);

	memset(ctx->lz4, 0, sizeof(*ctx->lz4));
	for (i = 0; i < n; i++) {
		if (pos + PAGE_SIZE > ZSTREAM_WINDOW)
			pos = LZ4_saveDict(ctx->lz4, ctx->window, ZSTREAM_HISTORY);
		memcpy_from_page(ctx->window + pos, pages[i], 0, PAGE_SIZE);
		len = LZ4_compress_fast_continue(ctx->lz4, ctx->window + pos,
						 ctx->block + ZSTREAM_LZ4_HDR,
						 PAGE_SIZE,
						 LZ4_COMPRESSBOUND(PAGE_SIZE), 1);
		if (len <= 0)
			return -EINVAL;
		put_unaligned_le32(len, ctx->block);
		ret = zstream_writer_put(w, ctx->block, ZSTREAM_LZ4_HDR + len);
		if (ret)
			return ret;
		pos += PAGE_SIZE;
		cond_resched();
	}
	return 0;
}

/*
 * One page's block of the stream, decoded to @dst: its history is what
 * the decoder was last given, the window or the output before @dst.
 */
static int zstream_lz4_decode_page(struct zstream_ctx *ctx,
				   struct zstream_reader *r, u8 *dst)
{
	const u8 *src;
	u32 len;
	int ret;

	ret = zstream_reader_get(r, ctx->chunk, ctx->block, ZSTREAM_LZ4_HDR);
	if (ret)
		return ret;
	len = get_unaligned_le32(ctx->block);
	if (!len || len > LZ4_COMPRESSBOUND(PAGE_SIZE))
		return -EIO;
	src = zstream_reader_ptr(r, ctx->chunk, ctx->block, len, &ret);
	if (ret)
		return ret;
	if (LZ4_decompress_safe_continue(ctx->lz4d, src, dst, len,
					 PAGE_SIZE) != PAGE_SIZE)
		return -EIO;
	return 0;
}

static int zstream_lz4_decompress(struct zstream_ctx *ctx,
				  struct zstream_reader *r, struct page **pages,
				  unsigned int n)
{
	size_t pos = 0;
	unsigned int i;
	int ret;

	lockdep_assert_held(&ctx->lock);

	LZ4_setStreamDecode(ctx->lz4d, NULL, 0);
	for (i = 0; i < n; i++) {
		if (pos + PAGE_SIZE > ZSTREAM_WINDOW) {
			memmove(ctx->window, ctx->window + pos - ZSTREAM_HISTORY,
				ZSTREAM_HISTORY);
			LZ4_setStreamDecode(ctx->lz4d, ctx->window, ZSTREAM_HISTORY);
			pos = ZSTREAM_HISTORY;
		}
		ret = zstream_lz4_decode_page(ctx, r, ctx->window + pos);
		if (ret)
			return ret;
		memcpy_to_page(pages[i], 0, ctx->window + pos, PAGE_SIZE);
		pos += PAGE_SIZE;
		cond_resched();
	}
	return 0;
}

/**
 * zstream_map_linear() - map a restore's new pages as one buffer
 * @pages: the pages
 * @n: how many
 *
 * A function of its own so that tests can refuse the mapping and take the
 * window's path.  May sleep and reclaim: never under a codec context.
 *
 * Return: the mapping, or NULL if it cannot be made, and always on UML.
 */
VISIBLE_IF_KUNIT void *zstream_map_linear(struct page **pages, unsigned int n)
{
	KUNIT_STATIC_STUB_REDIRECT(zstream_map_linear, pages, n);

	/*
	 * UML makes every kernel mapping with a host system call: there the
	 * mapping costs far more than the copies it saves (make bench's
	 * restore, 376 against 4524 MB/s through the window).
	 */
	if (IS_ENABLED(CONFIG_UML))
		return NULL;
	return vmap(pages, n, VM_MAP, PAGE_KERNEL);
}
EXPORT_SYMBOL_IF_KUNIT(zstream_map_linear);

/*
 * LZ4 into the pages mapped as one buffer at @dst: the decoder's
 * history is the output before each block, as it was the input before it
 * when the stream was made.
 */
static int zstream_lz4_decompress_linear(struct zstream_ctx *ctx,
					 struct zstream_reader *r, u8 *dst,
					 unsigned int n)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&ctx->lock);

	LZ4_setStreamDecode(ctx->lz4d, NULL, 0);
	for (i = 0; i < n; i++) {
		ret = zstream_lz4_decode_page(ctx, r, dst + ((size_t)i << PAGE_SHIFT));
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/* zstd: one frame, written straight into the chunk being staged. */

static int zstream_zstd_compress(struct zstream_ctx *ctx,
				 struct page **pages, unsigned int n,
				 struct zstream_writer *w)
{
	zstd_out_buffer out = { .dst = w->buf, .size = w->chunk_size };
	zstd_in_buffer in;
	unsigned int i;
	size_t left;
	int ret = 0;

	lockdep_assert_held(&ctx->lock);

	if (zstd_is_error(zstd_reset_cstream(ctx->zc, (u64)n << PAGE_SHIFT)))
		return -EINVAL;
	for (i = 0; i < n && !ret; i++) {
		in.src = kmap_local_page(pages[i]);
		in.size = PAGE_SIZE;
		in.pos = 0;
		while (in.pos < in.size) {
			out.pos = w->fill;
			if (zstd_is_error(zstd_compress_stream(ctx->zc, &out, &in))) {
				ret = -EINVAL;
				break;
			}
			w->fill = out.pos;
			if (w->fill == w->chunk_size) {
				ret = zstream_writer_flush(w);
				if (ret)
					break;
			}
		}
		kunmap_local(in.src);
		cond_resched();
	}
	if (ret)
		return ret;

	do {
		out.pos = w->fill;
		left = zstd_end_stream(ctx->zc, &out);
		if (zstd_is_error(left))
			return -EINVAL;
		w->fill = out.pos;
		if (w->fill == w->chunk_size) {
			ret = zstream_writer_flush(w);
			if (ret)
				return ret;
		}
	} while (left);
	return 0;
}

static int zstream_zstd_decompress(struct zstream_ctx *ctx,
				   struct zstream_reader *r, struct page **pages,
				   unsigned int n)
{
	zstd_in_buffer in = { };
	zstd_out_buffer out;
	size_t ret = 1;
	unsigned int i;
	u8 extra;
	int err = 0;

	lockdep_assert_held(&ctx->lock);

	/*
	 * -EINVAL only for a decoder that did not start: the caller keeps
	 * the copy.  Whatever the data makes fail is -EIO.
	 */
	if (zstd_is_error(zstd_reset_dstream(ctx->zd)))
		return -EINVAL;
	for (i = 0; i < n && !err; i++) {
		out.dst = kmap_local_page(pages[i]);
		out.size = PAGE_SIZE;
		out.pos = 0;
		while (out.pos < out.size) {
			if (r->pos == r->len) {
				err = zstream_reader_load(r, ctx->chunk);
				if (err)
					break;
			}
			in.src = r->buf;
			in.size = r->len;
			in.pos = r->pos;
			ret = zstd_decompress_stream(ctx->zd, &out, &in);
			r->pos = in.pos;
			if (zstd_is_error(ret) || (!ret && out.pos < out.size)) {
				err = -EIO;
				break;
			}
		}
		kunmap_local(out.dst);
		cond_resched();
	}
	if (err)
		return err;

	/*
	 * The frame may still hold its epilogue.  Any byte of output beyond
	 * the pages, or input that does not move the decoder on, is corruption.
	 */
	while (ret) {
		size_t before;

		if (r->pos == r->len && zstream_reader_load(r, ctx->chunk))
			return -EIO;
		in.src = r->buf;
		in.size = r->len;
		before = r->pos;
		in.pos = before;
		out.dst = &extra;
		out.size = sizeof(extra);
		out.pos = 0;
		ret = zstd_decompress_stream(ctx->zd, &out, &in);
		r->pos = in.pos;
		if (zstd_is_error(ret) || out.pos || (ret && in.pos == before))
			return -EIO;
	}
	return 0;
}

/* Pools: a zpool, a codec and the per-CPU contexts for both. */

/**
 * zstream_pool_init() - make the codec contexts of streams in a zpool
 * @pool: the pool to initialise
 * @zpool: the caller's zpool, which it destroys after zstream_pool_fini()
 * @codec: the codec of every stream of @pool
 * @full: asked before each chunk is stored; true fails the store with
 *	-ENOSPC, so that a user's limit holds as a stream grows.  Or NULL.
 *	It is called with a codec context's mutex held, from reclaim too: it
 *	must neither sleep nor allocate.
 *
 * Finds the chunk size of @zpool and allocates a codec context for every
 * possible CPU, with GFP_KERNEL: everything a store and a load need but
 * the chunks and pages of handles, so that a store from reclaim makes no
 * large allocation.
 *
 * Context: process context; may sleep; not from reclaim.
 *
 * Return: 0, -EINVAL if @zpool stores no object of half a page, or
 * -ENOMEM.  On failure nothing is left to free but @zpool.
 */
int zstream_pool_init(struct zstream_pool *pool, struct zpool *zpool,
		      enum zstream_codec codec, bool (*full)(void))
{
	int cpu, ret;

	pool->zpool = zpool;
	pool->codec = codec;
	pool->full = full;
	pool->ctx = NULL;
	pool->chunk_size = zstream_probe_chunk_size(zpool);
	if (!pool->chunk_size)
		return -EINVAL;
	pool->tail_pieces = pool->chunk_size == PAGE_SIZE;

	pool->ctx = alloc_percpu(struct zstream_ctx);
	if (!pool->ctx)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		ret = zstream_ctx_init(per_cpu_ptr(pool->ctx, cpu), codec,
				       pool->chunk_size);
		if (ret) {
			zstream_pool_fini(pool);
			return ret;
		}
	}
	return 0;
}

/**
 * zstream_pool_fini() - free the codec contexts of a pool
 * @pool: the pool, with no stream stored in it any more
 *
 * Leaves @pool->zpool to its owner.  Safe on a pool whose
 * zstream_pool_init() failed.
 *
 * Context: process context; may sleep.
 */
void zstream_pool_fini(struct zstream_pool *pool)
{
	int cpu;

	if (!pool->ctx)
		return;
	for_each_possible_cpu(cpu)
		zstream_ctx_free(per_cpu_ptr(pool->ctx, cpu));
	free_percpu(pool->ctx);
	pool->ctx = NULL;
}

/* Streams. */

/*
 * How many handles a stream of at most @max_bytes may need room for in
 * its descriptor: its chunks' own, or pointers to pages of them.
 */
static unsigned int zstream_nr_handles(const struct zstream_pool *pool,
				       size_t max_bytes, bool *inl)
{
	unsigned int max_chunks = max_bytes / pool->chunk_size +
				  (pool->tail_pieces ? ZSTREAM_TAIL_PIECES : 1);

	*inl = max_chunks <= ZSTREAM_INLINE_HANDLES;
	return *inl ? max_chunks : DIV_ROUND_UP(max_chunks, ZSTREAM_HANDLES_PER_PAGE);
}

/**
 * zstream_size() - the size of a stream's descriptor
 * @pool: the pool it is for
 * @max_bytes: the most the stream may hold, see zstream_init()
 *
 * A user allocates the descriptor, &struct zstream, as the last member of
 * an object of its own, of offsetof() that member and this many bytes,
 * zeroed: the handles of the chunks of a small stream are in it, and for a
 * larger one the pointers to its pages of handles.  One allocation a
 * stream, not two.
 *
 * Return: the bytes of &struct zstream and its handles.
 */
size_t zstream_size(const struct zstream_pool *pool, size_t max_bytes)
{
	struct zstream *s;
	unsigned int nr;
	bool inl;

	nr = zstream_nr_handles(pool, max_bytes, &inl);
	return inl ? struct_size(s, handle, nr) : struct_size(s, handles, nr);
}

/**
 * zstream_init() - prepare a zeroed descriptor for a store
 * @s: the descriptor, of zstream_size(@pool, @max_bytes) bytes, zeroed
 * @pool: the pool the stream goes to
 * @max_bytes: the most the stream may hold, with @alloc_bytes and its
 *	pages of handles (zstream_footprint()): a store that would hold more
 *	fails with -E2BIG
 * @alloc_bytes: the bytes of the allocation @s is in, which count in its
 *	footprint
 *
 * Context: any context.
 */
void zstream_init(struct zstream *s, struct zstream_pool *pool,
		  size_t max_bytes, size_t alloc_bytes)
{
	bool inl;

	s->pool = pool;
	s->nr_handle_pages = zstream_nr_handles(pool, max_bytes, &inl);
	s->inline_handles = inl;
	s->alloc_bytes = alloc_bytes;
	s->max_bytes = max_bytes;
}

/*
 * A codec context, locked: this CPU's or any other that is idle, or else,
 * waiting, this CPU's.  Reclaim waits too, as zswap does for its per-CPU
 * context: nothing under a context's mutex allocates with direct reclaim
 * or waits for anything but spinlocks (drm_gem_zswap's zswap_lockdep()
 * makes lockdep hold us to it), so the wait is for one stream's
 * compression or decompression to end.  A reclaimer that gave up instead
 * freed nothing, and the page allocator goes OOM after one direct reclaim
 * without progress.
 */
static struct zstream_ctx *zstream_ctx_get(struct zstream_pool *pool)
{
	struct zstream_ctx *ctx = raw_cpu_ptr(pool->ctx);
	int cpu;

	if (mutex_trylock(&ctx->lock))
		return ctx;
	for_each_online_cpu(cpu) {
		ctx = per_cpu_ptr(pool->ctx, cpu);
		if (mutex_trylock(&ctx->lock))
			return ctx;
	}
	ctx = raw_cpu_ptr(pool->ctx);
	mutex_lock(&ctx->lock);
	return ctx;
}

/* Compresses @n pages into @s with @ctx, which the caller holds. */
static int zstream_compress(struct zstream *s, struct zstream_ctx *ctx,
			    struct page **pages, unsigned int n, gfp_t gfp,
			    size_t reserve)
{
	struct zstream_pool *pool = s->pool;
	struct zstream_writer w = {
		.s = s,
		.chunk_size = pool->chunk_size,
		.gfp = gfp,
		.reserve = reserve,
	};
	int ret;

	lockdep_assert_held(&ctx->lock);

	xxh64_reset(&w.hash, 0);
	w.buf = ctx->chunk;
	if (pool->codec == ZSTREAM_ZSTD)
		ret = zstream_zstd_compress(ctx, pages, n, &w);
	else
		ret = zstream_lz4_compress(ctx, pages, n, &w);
	if (!ret)
		ret = zstream_writer_flush(&w);

	s->hash = xxh64_digest(&w.hash);
	return ret;
}

/**
 * zstream_store() - compress pages as one stream into the pool
 * @s: an empty descriptor, from zstream_init() or zstream_free()
 * @pages: the pages, in the stream's order
 * @n: how many
 * @gfp: the flags of every allocation: the chunks and pages of handles.
 *	They must not allow direct reclaim: they are used with a codec
 *	context's mutex held, which a shrinker that stores may wait for
 * @reserve: up to this much held by the stream (zstream_footprint()), the
 *	allocations are made with @gfp; beyond, with __GFP_NOMEMALLOC too, so
 *	that a store from reclaim takes no more of the memory reserves than
 *	it is certain to give back
 *
 * Takes a codec context, waiting for one if none is idle, and holds it for
 * the whole stream.  On success @s is the handle to the stream: its
 * length, its chunks and their checksum.  On failure what was stored
 * stays in @s, for zstream_free().
 *
 * Context: process context, from reclaim too; may sleep for a context.
 * Return: 0, -E2BIG past @s's max_bytes, -ENOSPC if the pool's full()
 * said so, -ENOMEM or the zpool's error, or -EINVAL from the codec or for
 * a @gfp that allows direct reclaim.
 */
int zstream_store(struct zstream *s, struct page **pages, unsigned int n,
		  gfp_t gfp, size_t reserve)
{
	struct zstream_ctx *ctx;
	int ret;

	/* Direct reclaim under the context's mutex could wait for itself. */
	if (WARN_ON_ONCE(gfpflags_allow_blocking(gfp)))
		return -EINVAL;
	ctx = zstream_ctx_get(s->pool);
	ret = zstream_compress(s, ctx, pages, n, gfp, reserve);
	mutex_unlock(&ctx->lock);
	return ret;
}

/**
 * zstream_load() - decompress a stream into pages
 * @s: the stream, from a zstream_store() that succeeded
 * @pages: the pages to fill, as many as were stored
 * @n: how many
 *
 * An LZ4 stream of ZSTREAM_LINEAR_MIN_PAGES pages or more is decoded into
 * @pages mapped as one buffer, if the mapping can be made (vmap(), before
 * a context is taken), else through the window.  The stream stays stored:
 * the caller frees it once it has what it wanted.
 *
 * Context: process context; may sleep and reclaim.
 * Return: 0 when the decoder and the checksum agree, -EIO when the stream
 * is corrupt, or -EINVAL when the codec failed to start.  On failure the
 * contents of @pages are of no use.
 */
int zstream_load(struct zstream *s, struct page **pages, unsigned int n)
{
	struct zstream_pool *pool = s->pool;
	struct zstream_reader r = { .s = s };
	struct zstream_ctx *ctx;
	void *linear = NULL;
	int ret;

	KUNIT_STATIC_STUB_REDIRECT(zstream_load, s, pages, n);

	xxh64_reset(&r.hash, 0);

	/*
	 * Mapped before a context is taken: vmap() allocates with direct
	 * reclaim, which nothing under a context's mutex may do.  Without it,
	 * the window does.
	 */
	if (pool->codec == ZSTREAM_LZ4 && n >= ZSTREAM_LINEAR_MIN_PAGES)
		linear = zstream_map_linear(pages, n);

	/*
	 * A load is someone waiting: it takes any idle context before it
	 * waits for its own CPU's, which a long compression may hold.
	 */
	ctx = zstream_ctx_get(pool);
	if (pool->codec == ZSTREAM_ZSTD)
		ret = zstream_zstd_decompress(ctx, &r, pages, n);
	else if (linear)
		ret = zstream_lz4_decompress_linear(ctx, &r, linear, n);
	else
		ret = zstream_lz4_decompress(ctx, &r, pages, n);
	mutex_unlock(&ctx->lock);
	if (linear) {
		size_t len = (size_t)n << PAGE_SHIFT, off;

		/* What went through the alias must reach the pages' own lines. */
		for (off = 0; off < len; off += SZ_1G)
			flush_kernel_vmap_range(linear + off, min_t(size_t, len - off, SZ_1G));
		vunmap(linear);
		/* As memcpy_to_page() would have, for the pages' other aliases. */
		for (off = 0; off < n; off++)
			flush_dcache_page(pages[off]);
	}
	if (ret)
		return ret == -EINVAL ? -EINVAL : -EIO;
	return zstream_reader_finish(&r);
}
EXPORT_SYMBOL_IF_KUNIT(zstream_load);

/**
 * zstream_free() - free a stream's chunks and pages of handles
 * @s: the stream
 *
 * Leaves @s empty, as zstream_init() made it, its footprint back to the
 * allocation it is in: it may be stored again, or freed by its owner.
 *
 * Context: any context; the caller serialises it with loads of @s.
 */
void zstream_free(struct zstream *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_chunks; i++)
		zpool_free(s->pool->zpool, zstream_handle(s, i));
	for (i = 0; !s->inline_handles && i < s->nr_handle_pages; i++) {
		if (s->handles[i])
			s->alloc_bytes -= PAGE_SIZE;
		free_page((unsigned long)s->handles[i]);
		s->handles[i] = NULL;
	}
	s->nr_chunks = 0;
	s->chunk_bytes = 0;
	s->len = 0;
}

/**
 * zstream_corrupt() - flip one bit of a stored stream
 * @s: the stream
 * @offset: which byte of the stream
 *
 * For tests of what a load does with a damaged stream.
 *
 * Context: process context; the caller serialises it with loads and frees
 * of @s.
 *
 * Return: 0, or -EINVAL if @offset is past the stream's end.
 */
int zstream_corrupt(struct zstream *s, size_t offset)
{
	struct zpool *zpool;
	unsigned long handle;
	unsigned int i;
	u8 *p;

	if (offset >= s->len)
		return -EINVAL;
	zpool = s->pool->zpool;
	for (i = 0; i + 1 < s->nr_chunks; i++) {
		size_t len = zstream_chunk_len(s, i);

		if (offset < len)
			break;
		offset -= len;
	}
	handle = zstream_handle(s, i);
	p = zpool_map_handle(zpool, handle, ZPOOL_MM_RW);
	p[offset] ^= 1;
	zpool_unmap_handle(zpool, handle);
	return 0;
}

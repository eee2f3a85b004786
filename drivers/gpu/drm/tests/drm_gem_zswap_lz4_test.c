// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the LZ4 stream properties that drm_gem_zswap is built on.
 *
 * drm_gem_zswap compresses a whole buffer object as one LZ4 stream, a page at
 * a time, so that every page can refer back to up to 64 KiB of the pages
 * before it.  A BO's pages are scattered in memory and reclaim may not
 * allocate memory in proportion to the BO, so the helper feeds the stream
 * through a fixed staging window and keeps the history with LZ4_saveDict().
 * These tests pin down what that design assumes of the kernel's LZ4:
 *
 * - a stream of page-sized blocks round-trips exactly;
 * - history across blocks pays: a page equal to an earlier one costs a few
 *   bytes, where compressed on its own it costs a whole page;
 * - a window of 64 KiB plus one page, each page copied in right after the
 *   history that LZ4_saveDict() moved to its start, keeps the full 64 KiB of
 *   history, and the stream decodes through the same kind of window.
 *
 *   A single reused staging page does not: LZ4 keeps one external dictionary
 *   segment, which after each block is that block alone, so LZ4_saveDict()
 *   can only save one page.  Measured with the data of the staging test
 *   below: 131648 bytes for 32 pages, no better than no history at all;
 *
 * - corrupt input never makes decompression write past its output block, and
 *   LZ4 alone does not detect every corruption, hence the helper's checksum.
 *
 * The window tests here use a model of the helper's window; the helper's own
 * window and decoder are tested through evictions by zt_window_history in
 * drm_gem_zswap_test.c.
 */

#include <kunit/test.h>
#include <linux/lz4.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define TEST_PAGES	32
#define HISTORY		(64 * 1024)
#define GUARD		64
#define GUARD_BYTE	0x5a

struct lz4_stream_ctx {
	LZ4_stream_t *stream;
	u8 *data;	/* TEST_PAGES of input, contiguous */
	u8 *comp;	/* compressed blocks, back to back */
	int *csize;	/* compressed size of each block */
	u8 *out;	/* decompressed output */
};

/* Pages that look like a texture: smooth gradients with a little noise. */
static void fill_texture_like(u8 *p, size_t len, u32 seed)
{
	struct rnd_state rnd;
	size_t i;

	prandom_seed_state(&rnd, seed);
	for (i = 0; i < len; i += 4) {
		u32 x = (i / 4) % 256, y = (i / 4) / 256;

		p[i] = x;
		p[i + 1] = y;
		p[i + 2] = (x + y) / 2 + (prandom_u32_state(&rnd) & 3);
		p[i + 3] = 0xff;
	}
}

static int lz4_stream_init(struct kunit *test)
{
	struct lz4_stream_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->stream = kunit_kzalloc(test, sizeof(*ctx->stream), GFP_KERNEL);
	ctx->csize = kunit_kcalloc(test, TEST_PAGES, sizeof(int), GFP_KERNEL);
	ctx->data = vmalloc(TEST_PAGES * PAGE_SIZE);
	ctx->comp = vmalloc(TEST_PAGES * LZ4_compressBound(PAGE_SIZE));
	ctx->out = vmalloc(TEST_PAGES * PAGE_SIZE + GUARD);
	test->priv = ctx;
	KUNIT_ASSERT_NOT_NULL(test, ctx->stream);
	KUNIT_ASSERT_NOT_NULL(test, ctx->csize);
	KUNIT_ASSERT_NOT_NULL(test, ctx->data);
	KUNIT_ASSERT_NOT_NULL(test, ctx->comp);
	KUNIT_ASSERT_NOT_NULL(test, ctx->out);
	return 0;
}

static void lz4_stream_exit(struct kunit *test)
{
	struct lz4_stream_ctx *ctx = test->priv;

	if (!ctx)
		return;
	vfree(ctx->data);
	vfree(ctx->comp);
	vfree(ctx->out);
}

/* Compress ctx->data as one stream of @npages page-sized blocks. */
static size_t compress_stream(struct kunit *test, int npages)
{
	struct lz4_stream_ctx *ctx = test->priv;
	size_t total = 0;
	int i;

	memset(ctx->stream, 0, sizeof(*ctx->stream));
	for (i = 0; i < npages; i++) {
		ctx->csize[i] = LZ4_compress_fast_continue(ctx->stream,
							   ctx->data + i * PAGE_SIZE,
							   ctx->comp + total, PAGE_SIZE,
							   LZ4_compressBound(PAGE_SIZE), 1);
		KUNIT_ASSERT_GT(test, ctx->csize[i], 0);
		total += ctx->csize[i];
	}
	return total;
}

static void lz4_stream_roundtrip(struct kunit *test)
{
	struct lz4_stream_ctx *ctx = test->priv;
	size_t off = 0, done, dictlen;
	int i, n;

	fill_texture_like(ctx->data, TEST_PAGES * PAGE_SIZE, 1);
	compress_stream(test, TEST_PAGES);

	/* Into contiguous output, each block's history is what precedes it. */
	for (i = 0; i < TEST_PAGES; i++) {
		done = i * PAGE_SIZE;
		dictlen = min_t(size_t, done, HISTORY);
		n = LZ4_decompress_safe_usingDict(ctx->comp + off, ctx->out + done,
						  ctx->csize[i], PAGE_SIZE,
						  ctx->out + done - dictlen, dictlen);
		KUNIT_ASSERT_EQ(test, n, (int)PAGE_SIZE);
		off += ctx->csize[i];
	}
	KUNIT_EXPECT_MEMEQ(test, ctx->out, ctx->data, TEST_PAGES * PAGE_SIZE);
}

static void lz4_stream_history_across_pages(struct kunit *test)
{
	struct lz4_stream_ctx *ctx = test->priv;
	int alone;

	/* Page 0 random, so incompressible; page 1 a copy of it. */
	get_random_bytes(ctx->data, PAGE_SIZE);
	memcpy(ctx->data + PAGE_SIZE, ctx->data, PAGE_SIZE);
	compress_stream(test, 2);

	memset(ctx->stream, 0, sizeof(*ctx->stream));
	alone = LZ4_compress_fast_continue(ctx->stream, ctx->data + PAGE_SIZE,
					   ctx->comp, PAGE_SIZE,
					   LZ4_compressBound(PAGE_SIZE), 1);
	kunit_info(test, "repeated page: %d bytes in the stream, %d alone\n",
		   ctx->csize[1], alone);
	KUNIT_EXPECT_GE(test, alone, (int)PAGE_SIZE);
	KUNIT_EXPECT_LT(test, ctx->csize[1], 64);
}

/*
 * The helper's bounded path: each page is copied into a window right after
 * the history that LZ4_saveDict() keeps at the window's start, so LZ4 sees
 * one contiguous prefix and can match anything in the last 64 KiB.  Pages
 * repeat at a distance of three pages, so the stream only stays small if the
 * history really spans pages; the free part of the window is poisoned after
 * every page to prove nothing else is read.  Decompression goes through the
 * same kind of window.
 */
static void lz4_stream_window_with_savedict(struct kunit *test)
{
	struct lz4_stream_ctx *ctx = test->priv;
	size_t total = 0, off = 0;
	int i, n, dictlen;
	u8 *window;

	window = kunit_kmalloc(test, HISTORY + PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, window);

	for (i = 0; i < TEST_PAGES; i++) {
		if (i < 3)
			get_random_bytes(ctx->data + i * PAGE_SIZE, PAGE_SIZE);
		else
			memcpy(ctx->data + i * PAGE_SIZE,
			       ctx->data + (i - 3) * PAGE_SIZE, PAGE_SIZE);
	}

	memset(ctx->stream, 0, sizeof(*ctx->stream));
	dictlen = 0;
	for (i = 0; i < TEST_PAGES; i++) {
		memcpy(window + dictlen, ctx->data + i * PAGE_SIZE, PAGE_SIZE);
		ctx->csize[i] = LZ4_compress_fast_continue(ctx->stream,
							   window + dictlen,
							   ctx->comp + total, PAGE_SIZE,
							   LZ4_compressBound(PAGE_SIZE), 1);
		KUNIT_ASSERT_GT(test, ctx->csize[i], 0);
		total += ctx->csize[i];
		/* Keep the last 64 KiB at the start; the rest is free again. */
		dictlen = LZ4_saveDict(ctx->stream, window, HISTORY);
		KUNIT_ASSERT_EQ(test, dictlen, min_t(int, (i + 1) * PAGE_SIZE, HISTORY));
		memset(window + dictlen, 0xee, HISTORY + PAGE_SIZE - dictlen);
	}
	kunit_info(test, "%d pages, three of them random: %zu bytes\n",
		   TEST_PAGES, total);
	KUNIT_EXPECT_LT(test, total, 3 * PAGE_SIZE + 3 * PAGE_SIZE / 4);

	dictlen = 0;
	for (i = 0; i < TEST_PAGES; i++) {
		n = LZ4_decompress_safe_usingDict(ctx->comp + off,
						  window + dictlen,
						  ctx->csize[i], PAGE_SIZE,
						  window, dictlen);
		KUNIT_ASSERT_EQ(test, n, (int)PAGE_SIZE);
		memcpy(ctx->out + i * PAGE_SIZE, window + dictlen, PAGE_SIZE);
		off += ctx->csize[i];
		dictlen += PAGE_SIZE;
		if (dictlen > HISTORY) {
			memmove(window, window + dictlen - HISTORY, HISTORY);
			dictlen = HISTORY;
		}
	}
	KUNIT_EXPECT_MEMEQ(test, ctx->out, ctx->data, TEST_PAGES * PAGE_SIZE);
}

static void lz4_stream_corrupt_input(struct kunit *test)
{
	struct lz4_stream_ctx *ctx = test->priv;
	u8 *block, *guard = ctx->out + PAGE_SIZE;
	int i, n, csize, errors = 0, silent = 0, exact = 0;

	fill_texture_like(ctx->data, PAGE_SIZE, 2);
	memset(ctx->stream, 0, sizeof(*ctx->stream));
	csize = LZ4_compress_fast_continue(ctx->stream, ctx->data, ctx->comp,
					   PAGE_SIZE, LZ4_compressBound(PAGE_SIZE), 1);
	KUNIT_ASSERT_GT(test, csize, 0);
	block = kunit_kmalloc(test, csize, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, block);

	/* Truncation is always detected. */
	n = LZ4_decompress_safe(ctx->comp, ctx->out, csize / 2, PAGE_SIZE);
	KUNIT_EXPECT_LT(test, n, 0);

	/* Flip one bit of every byte in turn. */
	for (i = 0; i < csize; i++) {
		memcpy(block, ctx->comp, csize);
		block[i] ^= 1 << (i % 8);
		memset(guard, GUARD_BYTE, GUARD);
		n = LZ4_decompress_safe(block, ctx->out, csize, PAGE_SIZE);
		KUNIT_ASSERT_LE(test, n, (int)PAGE_SIZE);
		KUNIT_ASSERT_NULL(test, memchr_inv(guard, GUARD_BYTE, GUARD));
		if (n < 0)
			errors++;
		else if (n == PAGE_SIZE && !memcmp(ctx->out, ctx->data, PAGE_SIZE))
			exact++;
		else
			silent++;
	}
	kunit_info(test, "%d flipped bytes: %d errors, %d silently wrong, %d harmless\n",
		   csize, errors, silent, exact);
	/* Some flips go undetected by LZ4: the stored stream needs a checksum. */
	KUNIT_EXPECT_GT(test, errors, 0);
	KUNIT_EXPECT_GT(test, silent, 0);
}

static struct kunit_case drm_gem_zswap_lz4_tests[] = {
	KUNIT_CASE(lz4_stream_roundtrip),
	KUNIT_CASE(lz4_stream_history_across_pages),
	KUNIT_CASE(lz4_stream_window_with_savedict),
	KUNIT_CASE(lz4_stream_corrupt_input),
	{}
};

static struct kunit_suite drm_gem_zswap_lz4_suite = {
	.name = "drm_gem_zswap_lz4",
	.init = lz4_stream_init,
	.exit = lz4_stream_exit,
	.test_cases = drm_gem_zswap_lz4_tests,
};

kunit_test_suite(drm_gem_zswap_lz4_suite);

MODULE_DESCRIPTION("KUnit tests of the LZ4 stream format used by drm_gem_zswap");
MODULE_LICENSE("GPL");

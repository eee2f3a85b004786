// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of drm_gem_zswap against the per-page path, run by make bench.
 *
 * Each buffer object (BO) of a corpus of GPU data (bench/bo-corpus.py: the
 * glmark2 textures, models, zero and cleared buffers and rendered frames,
 * passed in as the UML kernel's initrd) is stored and brought back two ways
 * in the same run:
 *
 * - stream: drm_gem_zswap_evict() and drm_gem_zswap_restore() on a real
 *   shmem GEM object (lz4 and zstd, zblock and zsmalloc);
 * - page: what shmem swap-out through zswap in Linux 6.12 does for the same
 *   pages, page by page: a same-filled page is kept as its value, any other
 *   is compressed by a crypto acomp "lz4" request, stored with zpool_malloc()
 *   and a map, copy and unmap into zsmalloc, and on swap-in copied out of the
 *   mapping (zsmalloc cannot sleep mapped), decompressed into a newly
 *   allocated page and freed.  A page zsmalloc will not take stays
 *   uncompressed, as zswap leaves it to the swap device.
 *
 * The page path is modelled generously: of swap-out and swap-in it keeps
 * the compression, the pool, freeing each page once stored and allocating
 * it again, and leaves out reclaim scanning, unmapping, the swap cache and
 * zswap's entry and tree; the stream path's times include unmapping the BO,
 * truncating its shmem file and getting new, zeroed shmem pages.  A plain
 * copy of the same bytes is the reference.
 *
 * The timings repeat BENCH_REPS times, the paths interleaved in each
 * repetition; the space is measured once, with the whole corpus stored in
 * one pool per path.  Results are printed as JSON lines for
 * build/bo_bench_report.py.
 */

#include <crypto/acompress.h>
#include <linux/crypto.h>
#include <linux/highmem.h>
#include <linux/kernel_read_file.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include <linux/zpool.h>

#include <kunit/test.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gem_zswap.h>
#include <drm/drm_kunit_helpers.h>

#include "../drm_gem_zswap_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define BENCH_REPS	5
#define BENCH_CORPUS	"/bo-corpus"
#define BENCH_MAX_BOS	256
#define BENCH_MAX_FILE	SZ_64M

enum bench_path {
	BENCH_STREAM_LZ4_ZBLOCK,
	BENCH_STREAM_LZ4_ZSMALLOC,
	BENCH_STREAM_ZSTD_ZBLOCK,
	BENCH_PAGE_LZ4_ZSMALLOC,
	BENCH_MEMCPY,
	BENCH_NR_PATHS,
};

static const struct {
	const char *name, *comp, *zpool;
} bench_paths[BENCH_NR_PATHS] = {
	[BENCH_STREAM_LZ4_ZBLOCK] = { "stream-lz4-zblock", "lz4", "zblock" },
	[BENCH_STREAM_LZ4_ZSMALLOC] = { "stream-lz4-zsmalloc", "lz4", "zsmalloc" },
	[BENCH_STREAM_ZSTD_ZBLOCK] = { "stream-zstd-zblock", "zstd", "zblock" },
	[BENCH_PAGE_LZ4_ZSMALLOC] = { "page-lz4-zsmalloc", "lz4", "zsmalloc" },
	[BENCH_MEMCPY] = { "memcpy", NULL, NULL },
};

struct bench_result {
	u64 evict_ns[BENCH_REPS];
	u64 restore_ns[BENCH_REPS];
	size_t comp;		/* bytes of compressed data stored */
	size_t pool;		/* bytes of pool memory, and of data left as it was */
	size_t rejected;	/* bytes left uncompressed */
};

struct bench_bo {
	char name[64];
	char kind[16];
	size_t len;
	void *data;
	struct drm_gem_shmem_object *shmem;
	unsigned long *handles;
	struct bench_result res[BENCH_NR_PATHS];
};

/* The page path's state: zswap's per-CPU acomp context and one BO's pages. */
struct bench_pages {
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	struct crypto_wait wait;
	u8 *dst;
	u8 *buf;
	struct zpool *zpool;
	unsigned long *handle;
	unsigned long *fill;
	unsigned int *len;
	u8 *state;
	struct page **restored;
	void *copy;
};

enum { PAGE_STORED, PAGE_SAME, PAGE_REJECTED };

struct bench {
	struct kunit *test;
	struct drm_device *drm;
	struct drm_gem_zswap_device zdev;
	struct bench_bo *bos;
	unsigned int nr;
	struct bench_pages pp;
};

static int bench_read_file(const char *name, void **buf, size_t *len)
{
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), BENCH_CORPUS "/%s", name);
	*buf = NULL;
	n = kernel_read_file_from_path(path, 0, buf, BENCH_MAX_FILE, len,
				       READING_UNKNOWN);
	return n < 0 ? n : 0;
}

static void bench_load_corpus(struct bench *b)
{
	struct kunit *test = b->test;
	char *manifest, *line, *next;
	size_t len;

	KUNIT_ASSERT_EQ_MSG(test, bench_read_file("manifest", (void **)&manifest, &len), 0,
			    "no corpus: run as make bench");
	/* Freed by bench_fini(), which runs after the test's own resources. */
	b->bos = kcalloc(BENCH_MAX_BOS, sizeof(*b->bos), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->bos);

	for (line = manifest; line < manifest + len && b->nr < BENCH_MAX_BOS; line = next) {
		struct bench_bo *bo = &b->bos[b->nr];
		size_t size, file_len;
		char *p;

		next = memchr(line, '\n', manifest + len - line);
		if (!next)
			break;
		*next++ = '\0';
		if (sscanf(line, "%63s %15s %zu", bo->name, bo->kind, &size) != 3)
			continue;
		KUNIT_ASSERT_EQ(test, bench_read_file(bo->name, &bo->data, &file_len), 0);
		KUNIT_ASSERT_EQ(test, file_len, size);
		bo->len = size;

		/* The BO: the file, then zeroes to the end of its last page. */
		bo->shmem = drm_gem_shmem_create(b->drm, PAGE_ALIGN(size));
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bo->shmem);
		dma_resv_lock(bo->shmem->base.resv, NULL);
		KUNIT_ASSERT_EQ(test, drm_gem_shmem_get_pages(bo->shmem), 0);
		dma_resv_unlock(bo->shmem->base.resv);
		for (p = bo->data; p < (char *)bo->data + size; p += PAGE_SIZE) {
			size_t off = p - (char *)bo->data;

			memcpy_to_page(bo->shmem->pages[off >> PAGE_SHIFT], 0, p,
				       min_t(size_t, PAGE_SIZE, size - off));
		}
		b->nr++;
	}
	vfree(manifest);
	KUNIT_ASSERT_GT(test, b->nr, 0);
}

static bool bench_bo_intact(struct bench_bo *bo)
{
	size_t off;
	bool ok = true;

	for (off = 0; ok && off < bo->len; off += PAGE_SIZE) {
		u8 *p = kmap_local_page(bo->shmem->pages[off >> PAGE_SHIFT]);

		ok = !memcmp(p, (u8 *)bo->data + off, min_t(size_t, PAGE_SIZE, bo->len - off));
		kunmap_local(p);
	}
	return ok;
}

/* The stream path. */

static u64 bench_stream_evict(struct bench *b, struct bench_bo *bo)
{
	u64 t = ktime_get_ns();
	int ret;

	dma_resv_lock(bo->shmem->base.resv, NULL);
	ret = drm_gem_zswap_evict(&b->zdev, bo->shmem);
	dma_resv_unlock(bo->shmem->base.resv);
	t = ktime_get_ns() - t;
	KUNIT_ASSERT_TRUE_MSG(b->test, !ret || ret == -E2BIG, "evict %s: %d", bo->name, ret);
	return t;
}

static u64 bench_stream_restore(struct bench *b, struct bench_bo *bo)
{
	u64 t = ktime_get_ns();
	int ret;

	dma_resv_lock(bo->shmem->base.resv, NULL);
	ret = drm_gem_zswap_restore(bo->shmem);
	dma_resv_unlock(bo->shmem->base.resv);
	t = ktime_get_ns() - t;
	KUNIT_ASSERT_EQ_MSG(b->test, ret, 0, "restore %s", bo->name);
	KUNIT_ASSERT_TRUE_MSG(b->test, bench_bo_intact(bo), "%s corrupted", bo->name);
	return t;
}

/* The page path, as zswap in 6.12 stores and loads a page. */

static int bench_pages_init(struct bench *b, size_t max_pages)
{
	struct bench_pages *pp = &b->pp;

	pp->tfm = crypto_alloc_acomp("lz4", 0, 0);
	if (IS_ERR(pp->tfm))
		return PTR_ERR(pp->tfm);
	pp->req = acomp_request_alloc(pp->tfm);
	pp->dst = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	pp->buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	pp->handle = kvcalloc(max_pages, sizeof(*pp->handle), GFP_KERNEL);
	pp->fill = kvcalloc(max_pages, sizeof(*pp->fill), GFP_KERNEL);
	pp->len = kvcalloc(max_pages, sizeof(*pp->len), GFP_KERNEL);
	pp->state = kvcalloc(max_pages, 1, GFP_KERNEL);
	pp->restored = kvcalloc(max_pages, sizeof(*pp->restored), GFP_KERNEL);
	pp->copy = vmalloc(max_pages << PAGE_SHIFT);
	if (!pp->req || !pp->dst || !pp->buf || !pp->handle || !pp->fill ||
	    !pp->len || !pp->state || !pp->restored || !pp->copy)
		return -ENOMEM;
	crypto_init_wait(&pp->wait);
	acomp_request_set_callback(pp->req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &pp->wait);
	return 0;
}

static void bench_pages_fini(struct bench *b)
{
	struct bench_pages *pp = &b->pp;

	vfree(pp->copy);
	kvfree(pp->restored);
	kvfree(pp->state);
	kvfree(pp->len);
	kvfree(pp->fill);
	kvfree(pp->handle);
	kfree(pp->buf);
	kfree(pp->dst);
	if (pp->req)
		acomp_request_free(pp->req);
	if (!IS_ERR_OR_NULL(pp->tfm))
		crypto_free_acomp(pp->tfm);
}

static bool bench_page_same_filled(const unsigned long *p, unsigned long *value)
{
	unsigned int i;

	for (i = 1; i < PAGE_SIZE / sizeof(*p); i++)
		if (p[i] != p[0])
			return false;
	*value = p[0];
	return true;
}

static void bench_page_store(struct bench *b, struct page *page, pgoff_t i,
			     struct bench_result *res)
{
	struct bench_pages *pp = &b->pp;
	struct scatterlist input, output;
	unsigned long *src;
	bool same;
	void *dst;
	int ret;

	src = kmap_local_page(page);
	same = bench_page_same_filled(src, &pp->fill[i]);
	kunmap_local(src);
	if (same) {
		pp->state[i] = PAGE_SAME;
		return;
	}

	sg_init_table(&input, 1);
	sg_set_page(&input, page, PAGE_SIZE, 0);
	sg_init_one(&output, pp->dst, 2 * PAGE_SIZE);
	acomp_request_set_params(pp->req, &input, &output, PAGE_SIZE, 2 * PAGE_SIZE);
	ret = crypto_wait_req(crypto_acomp_compress(pp->req), &pp->wait);
	KUNIT_ASSERT_EQ(b->test, ret, 0);

	ret = zpool_malloc(pp->zpool, pp->req->dlen,
			   __GFP_NORETRY | __GFP_NOWARN | __GFP_KSWAPD_RECLAIM,
			   &pp->handle[i]);
	if (ret == -ENOSPC) {
		pp->state[i] = PAGE_REJECTED;
		res->rejected += PAGE_SIZE;
		return;
	}
	KUNIT_ASSERT_EQ(b->test, ret, 0);
	dst = zpool_map_handle(pp->zpool, pp->handle[i], ZPOOL_MM_WO);
	memcpy(dst, pp->dst, pp->req->dlen);
	zpool_unmap_handle(pp->zpool, pp->handle[i]);
	pp->state[i] = PAGE_STORED;
	pp->len[i] = pp->req->dlen;
	res->comp += pp->req->dlen;
}

static struct page *bench_page_load(struct bench *b, struct page *orig, pgoff_t i)
{
	struct bench_pages *pp = &b->pp;
	struct scatterlist input, output;
	struct page *page;
	void *src, *p;
	int ret;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(b->test, page);
	if (pp->state[i] == PAGE_SAME) {
		p = kmap_local_page(page);
		memset_l(p, pp->fill[i], PAGE_SIZE / sizeof(unsigned long));
		kunmap_local(p);
		return page;
	}
	if (pp->state[i] == PAGE_REJECTED) {
		/* From the swap device, which costs far more than this copy. */
		copy_highpage(page, orig);
		return page;
	}

	/* zsmalloc cannot sleep mapped: zswap copies out, then decompresses. */
	src = zpool_map_handle(pp->zpool, pp->handle[i], ZPOOL_MM_RO);
	memcpy(pp->buf, src, pp->len[i]);
	zpool_unmap_handle(pp->zpool, pp->handle[i]);

	sg_init_one(&input, pp->buf, pp->len[i]);
	sg_init_table(&output, 1);
	sg_set_page(&output, page, PAGE_SIZE, 0);
	acomp_request_set_params(pp->req, &input, &output, pp->len[i], PAGE_SIZE);
	ret = crypto_wait_req(crypto_acomp_decompress(pp->req), &pp->wait);
	KUNIT_ASSERT_EQ(b->test, ret, 0);
	KUNIT_ASSERT_EQ(b->test, pp->req->dlen, PAGE_SIZE);
	zpool_free(pp->zpool, pp->handle[i]);
	return page;
}

/*
 * Swap-out frees each page once it is stored: the pages stored and freed
 * here are copies of the BO's, made before the clock starts.
 */
static u64 bench_page_evict(struct bench *b, struct bench_bo *bo,
			    struct bench_result *res)
{
	pgoff_t i, n = bo->shmem->base.size >> PAGE_SHIFT;
	struct page **victim = b->pp.restored;
	u64 t;

	for (i = 0; i < n; i++) {
		victim[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(b->test, victim[i]);
		copy_highpage(victim[i], bo->shmem->pages[i]);
	}
	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		bench_page_store(b, victim[i], i, res);
		__free_page(victim[i]);
		cond_resched();
	}
	return ktime_get_ns() - t;
}

static u64 bench_page_restore(struct bench *b, struct bench_bo *bo)
{
	pgoff_t i, n = bo->shmem->base.size >> PAGE_SHIFT;
	u64 t = ktime_get_ns();
	bool ok = true;

	for (i = 0; i < n; i++) {
		b->pp.restored[i] = bench_page_load(b, bo->shmem->pages[i], i);
		cond_resched();
	}
	t = ktime_get_ns() - t;

	for (i = 0; i < n; i++) {
		if (!pages_identical(b->pp.restored[i], bo->shmem->pages[i]))
			ok = false;
		__free_page(b->pp.restored[i]);
	}
	KUNIT_ASSERT_TRUE_MSG(b->test, ok, "%s corrupted by the page path", bo->name);
	return t;
}

/* The reference: the same bytes copied out and back. */

static u64 bench_copy(struct bench_bo *bo, void *copy, bool out)
{
	pgoff_t i, n = bo->shmem->base.size >> PAGE_SHIFT;
	u64 t = ktime_get_ns();

	for (i = 0; i < n; i++) {
		if (out)
			memcpy_from_page(copy + (i << PAGE_SHIFT), bo->shmem->pages[i], 0,
					 PAGE_SIZE);
		else
			memcpy_to_page(bo->shmem->pages[i], 0, copy + (i << PAGE_SHIFT),
				       PAGE_SIZE);
	}
	return ktime_get_ns() - t;
}

static void bench_time(struct bench *b, unsigned int rep)
{
	unsigned int i, p;

	for (p = 0; p < BENCH_NR_PATHS; p++) {
		if (p < BENCH_PAGE_LZ4_ZSMALLOC)
			KUNIT_ASSERT_EQ(b->test, drm_gem_zswap_configure(bench_paths[p].comp,
									 bench_paths[p].zpool), 0);
		for (i = 0; i < b->nr; i++) {
			struct bench_bo *bo = &b->bos[i];
			struct bench_result *res = &bo->res[p];
			struct bench_result scratch = { };

			switch (p) {
			case BENCH_PAGE_LZ4_ZSMALLOC:
				res->evict_ns[rep] = bench_page_evict(b, bo, &scratch);
				res->restore_ns[rep] = bench_page_restore(b, bo);
				break;
			case BENCH_MEMCPY:
				res->evict_ns[rep] = bench_copy(bo, b->pp.copy, true);
				res->restore_ns[rep] = bench_copy(bo, b->pp.copy, false);
				break;
			default:
				res->evict_ns[rep] = bench_stream_evict(b, bo);
				res->restore_ns[rep] = bench_stream_restore(b, bo);
				break;
			}
		}
	}
}

/*
 * The whole corpus in one pool per path.  A BO's share of the pool is how
 * much the pool grew when it was stored, and for the stream paths its
 * entry and pages of handles (the page path leaves out zswap's entries);
 * what a path leaves uncompressed counts at its size.
 */
static void bench_space(struct bench *b)
{
	unsigned int i, p;
	u64 before;

	for (p = 0; p < BENCH_PAGE_LZ4_ZSMALLOC; p++) {
		KUNIT_ASSERT_EQ(b->test, drm_gem_zswap_configure(bench_paths[p].comp,
								 bench_paths[p].zpool), 0);
		for (i = 0; i < b->nr; i++) {
			struct bench_bo *bo = &b->bos[i];
			struct bench_result *res = &bo->res[p];

			before = drm_gem_zswap_pool_total_size();
			bench_stream_evict(b, bo);
			if (bo->shmem->zswap.entry) {
				const struct drm_gem_zswap_entry *entry = bo->shmem->zswap.entry;

				/* The entry and its pages of handles count too. */
				res->comp = entry->stream.len;
				res->pool = drm_gem_zswap_pool_total_size() - before +
					    entry->stream.alloc_bytes;
			} else {
				res->rejected = bo->shmem->base.size;
				res->pool = bo->shmem->base.size;
			}
		}
		for (i = 0; i < b->nr; i++)
			bench_stream_restore(b, &b->bos[i]);
	}

	/* The page path: every BO's objects stay until the corpus is in. */
	for (i = 0; i < b->nr; i++) {
		struct bench_bo *bo = &b->bos[i];
		struct bench_result *res = &bo->res[BENCH_PAGE_LZ4_ZSMALLOC];
		pgoff_t j, n = bo->shmem->base.size >> PAGE_SHIFT;

		before = zpool_get_total_pages(b->pp.zpool) << PAGE_SHIFT;
		bench_page_evict(b, bo, res);
		res->pool = (zpool_get_total_pages(b->pp.zpool) << PAGE_SHIFT) - before +
			    res->rejected;
		bo->handles = kvcalloc(n, sizeof(*bo->handles), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(b->test, bo->handles);
		for (j = 0; j < n; j++)
			bo->handles[j] = b->pp.state[j] == PAGE_STORED ? b->pp.handle[j] : 0;
	}
	for (i = 0; i < b->nr; i++) {
		struct bench_bo *bo = &b->bos[i];
		pgoff_t j, n = bo->shmem->base.size >> PAGE_SHIFT;

		for (j = 0; j < n; j++)
			if (bo->handles[j])
				zpool_free(b->pp.zpool, bo->handles[j]);
		kvfree(bo->handles);
		bo->handles = NULL;
	}
	KUNIT_EXPECT_EQ(b->test, zpool_get_total_pages(b->pp.zpool), 0);
}

static void bench_print(struct bench *b)
{
	unsigned int i, p, r;
	char *line;
	int n;

	line = kunit_kmalloc(b->test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(b->test, line);
	for (i = 0; i < b->nr; i++) {
		struct bench_bo *bo = &b->bos[i];

		for (p = 0; p < BENCH_NR_PATHS; p++) {
			struct bench_result *res = &bo->res[p];

			n = scnprintf(line, 2048,
				      "{\"bo\": \"%s\", \"kind\": \"%s\", \"bytes\": %zu, \"path\": \"%s\", \"comp\": %zu, \"pool\": %zu, \"rejected\": %zu, \"evict_ns\": [",
				      bo->name, bo->kind, bo->shmem->base.size, bench_paths[p].name,
				      res->comp, res->pool, res->rejected);
			for (r = 0; r < BENCH_REPS; r++)
				n += scnprintf(line + n, 2048 - n, "%s%llu", r ? ", " : "",
					       res->evict_ns[r]);
			n += scnprintf(line + n, 2048 - n, "], \"restore_ns\": [");
			for (r = 0; r < BENCH_REPS; r++)
				n += scnprintf(line + n, 2048 - n, "%s%llu", r ? ", " : "",
					       res->restore_ns[r]);
			scnprintf(line + n, 2048 - n, "]}");
			pr_info("drm_gem_zswap_bench: %s\n", line);
		}
	}
}

static void bench_fini(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->nr; i++) {
		struct drm_gem_shmem_object *shmem = b->bos[i].shmem;

		dma_resv_lock(shmem->base.resv, NULL);
		drm_gem_shmem_put_pages(shmem);
		dma_resv_unlock(shmem->base.resv);
		drm_gem_object_put(&shmem->base);
		vfree(b->bos[i].data);
	}
	kfree(b->bos);
	if (b->pp.zpool)
		zpool_destroy_pool(b->pp.zpool);
	bench_pages_fini(b);
	drm_gem_zswap_dev_fini(&b->zdev);
}

static void drm_gem_zswap_bench_run(struct kunit *test)
{
	struct bench *b = test->priv;
	size_t max_pages = 0;
	unsigned int i, rep;

	bench_load_corpus(b);
	for (i = 0; i < b->nr; i++)
		max_pages = max(max_pages, b->bos[i].shmem->base.size >> PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, bench_pages_init(b, max_pages), 0);
	b->pp.zpool = zpool_create_pool("zsmalloc", "bench", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->pp.zpool);

	for (rep = 0; rep < BENCH_REPS; rep++)
		bench_time(b, rep);
	bench_space(b);
	bench_print(b);
}

static void bench_fini_action(void *b)
{
	bench_fini(b);
}

static int drm_gem_zswap_bench_init(struct kunit *test)
{
	struct bench *b;
	struct device *dev;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->test = test;
	dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	b->drm = __drm_kunit_helper_alloc_drm_device(test, dev, sizeof(*b->drm), 0,
						     DRIVER_GEM);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->drm);
	KUNIT_ASSERT_EQ(test, drm_gem_zswap_dev_init(&b->zdev, b->drm), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bench_fini_action, b), 0);
	test->priv = b;
	return 0;
}

static struct kunit_case drm_gem_zswap_bench_cases[] = {
	KUNIT_CASE_SLOW(drm_gem_zswap_bench_run),
	{}
};

static struct kunit_suite drm_gem_zswap_bench_suite = {
	.name = "drm_gem_zswap_bench",
	.init = drm_gem_zswap_bench_init,
	.test_cases = drm_gem_zswap_bench_cases,
};

kunit_test_suite(drm_gem_zswap_bench_suite);

MODULE_DESCRIPTION("Benchmark of drm_gem_zswap against per-page zswap");
MODULE_LICENSE("GPL");

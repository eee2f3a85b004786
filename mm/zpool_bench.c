// SPDX-License-Identifier: GPL-2.0
/*
 * zpool_bench: zpool backends side by side on the same objects
 *
 * Every backend (zblock, zsmalloc, zbud, z3fold) goes through the same zpool
 * calls, with the flags zswap uses, on the same sequence of object sizes:
 * the LZ4 sizes of real pages of the kernel's page size, from
 * zpool_bench_corpus.h, which "make bench" generates into the build directory
 * (bench/corpus.c; "make bench ARCH=arm64 PAGE_SIZE=16K" for arm64's 4K, 16K
 * and 64K pages).
 *
 * One run of a backend:
 *   fill   allocate, map write-only, copy in and unmap one object per size
 *   churn  twenty rounds of freeing a random quarter of the objects and
 *          allocating as many new ones, continuing along the corpus
 *   read   map read-only, copy out and unmap every object
 *   verify check every object against what was written (not timed)
 *   free   free every object
 *   bare   allocate, map and unmap, and free every object again, copying
 *          nothing: the backend's own cost per operation
 * Density is the bytes of the live objects over the pool's pages after the
 * churn.  A "memcpy" row does the same copies into a flat area with no
 * allocator at all: the part of every backend's time that is not its own.
 * The two-thread run splits the objects between two kthreads that fill, read
 * and free at once.  Runs of the backends are interleaved and repeated, and
 * every repetition is reported, one JSON line per backend; the report
 * (build/bench_report.py) takes medians and pairs the backends within each
 * repetition, so that drift of the host between repetitions cancels out.
 *
 * It is a KUnit suite so that kunit.py can build and run it on UML, on the
 * host CPU; it checks that every object reads back intact.
 */

#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/vmalloc.h>
#include <linux/zpool.h>

#include "zpool_bench_corpus.h"

/* A corpus cut into pages of another size would measure the wrong objects. */
static_assert(ZPOOL_BENCH_PAGE_SIZE == PAGE_SIZE);

#define BENCH_REPS	9
#define BENCH_ROUNDS	20
#define BENCH_THREADS	2

/*
 * z3fold is left out: deprecated in 6.12, and on a uniprocessor kernel such
 * as UML every one of its page compactions hits WARN_ON(z3fold_page_trylock())
 * (spin_trylock always succeeds there): 151395 warnings in one run, which
 * make its times meaningless.  It also frees its pages from a workqueue.
 */
static const char * const bench_backends[] = { "zblock", "zsmalloc", "zbud" };

struct bench_objects {
	gfp_t gfp;		/* zswap's flags for this pool, worked out once */
	unsigned long *handle;
	u32 *size;
	u32 *seed;
	unsigned int n;
	unsigned int cursor;	/* next size of the corpus */
	unsigned int failed;	/* allocations the backend refused */
};

struct bench_run {
	u64 fill_ns, read_ns, free_ns, churn_ns, mt_ns;
	u64 fill_ops, read_ops, free_ops, churn_ops, mt_ops;
	u64 balloc_ns, bmap_ns, bfree_ns;
	u64 balloc_ops, bmap_ops, bfree_ops;
	u64 stored, pages;
	unsigned int failed;
};

static u8 *bench_src;	/* 2 pages of random bytes: compressed data */

/*
 * Objects per run, in corpora.  The corpus of a larger page size holds the
 * same bytes in fewer, larger objects, and then the partly filled last block
 * of every class weighs more in the density; scale=PAGE_SIZE/4K gives each
 * page size as many objects as the 4K corpus, the sizes repeating in order.
 */
#define BENCH_MAX_SCALE	16

static unsigned int bench_scale = 1;
module_param_named(scale, bench_scale, uint, 0444);
MODULE_PARM_DESC(scale, "objects per run, in corpora (default 1, at most 16)");

static unsigned int bench_nr_objects(void)
{
	return ARRAY_SIZE(zpool_bench_sizes) * bench_scale;
}

static unsigned int bench_size(unsigned int i)
{
	return zpool_bench_sizes[i % ARRAY_SIZE(zpool_bench_sizes)];
}

static gfp_t bench_gfp(struct zpool *pool)
{
	gfp_t gfp = __GFP_NORETRY | __GFP_NOWARN | __GFP_KSWAPD_RECLAIM;

	/* As zswap_store() does. */
	if (zpool_malloc_support_movable(pool))
		gfp |= __GFP_HIGHMEM | __GFP_MOVABLE;
	return gfp;
}

/* Allocate object @i with the next size of the corpus; 0 if refused. */
static unsigned int bench_alloc(struct zpool *pool, struct bench_objects *o,
				unsigned int i)
{
	unsigned int size = bench_size(o->cursor++);

	if (zpool_malloc(pool, size, o->gfp, &o->handle[i])) {
		o->handle[i] = 0;
		o->failed++;
		return 0;
	}
	return size;
}

static bool bench_store(struct zpool *pool, struct bench_objects *o, unsigned int i,
			u32 seed)
{
	unsigned int size = bench_alloc(pool, o, i);
	void *p;

	if (!size)
		return false;
	p = zpool_map_handle(pool, o->handle[i], ZPOOL_MM_WO);
	memcpy(p, bench_src + seed % PAGE_SIZE, size);
	zpool_unmap_handle(pool, o->handle[i]);
	o->size[i] = size;
	o->seed[i] = seed;
	return true;
}

static void bench_release(struct zpool *pool, struct bench_objects *o, unsigned int i)
{
	zpool_free(pool, o->handle[i]);
	o->handle[i] = 0;
}

static u64 bench_fill(struct zpool *pool, struct bench_objects *o, u64 *ops)
{
	u64 t = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < o->n; i++)
		*ops += bench_store(pool, o, i, i * 61);
	return ktime_get_ns() - t;
}

static u64 bench_read(struct zpool *pool, struct bench_objects *o, u8 *dst, u64 *ops)
{
	u64 t = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < o->n; i++) {
		void *p;

		if (!o->handle[i])
			continue;
		p = zpool_map_handle(pool, o->handle[i], ZPOOL_MM_RO);
		memcpy(dst, p, o->size[i]);
		zpool_unmap_handle(pool, o->handle[i]);
		(*ops)++;
	}
	return ktime_get_ns() - t;
}

static unsigned int bench_verify(struct zpool *pool, struct bench_objects *o)
{
	unsigned int i, bad = 0;

	for (i = 0; i < o->n; i++) {
		void *p;

		if (!o->handle[i])
			continue;
		p = zpool_map_handle(pool, o->handle[i], ZPOOL_MM_RO);
		bad += !!memcmp(p, bench_src + o->seed[i] % PAGE_SIZE, o->size[i]);
		zpool_unmap_handle(pool, o->handle[i]);
	}
	return bad;
}

static u64 bench_free(struct zpool *pool, struct bench_objects *o, u64 *ops)
{
	u64 t = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < o->n; i++) {
		if (o->handle[i]) {
			bench_release(pool, o, i);
			(*ops)++;
		}
	}
	return ktime_get_ns() - t;
}

/* Free a random quarter and allocate as many anew, BENCH_ROUNDS times. */
static u64 bench_churn(struct zpool *pool, struct bench_objects *o, u64 *ops)
{
	struct rnd_state rnd;
	unsigned int r, k, i;
	u64 t;

	prandom_seed_state(&rnd, 2026);	/* the same choices for every backend */
	t = ktime_get_ns();
	for (r = 0; r < BENCH_ROUNDS; r++) {
		for (k = 0; k < o->n / 4; k++) {
			i = prandom_u32_state(&rnd) % o->n;
			if (o->handle[i]) {
				bench_release(pool, o, i);
				(*ops)++;
			}
		}
		for (i = 0; i < o->n; i++) {
			if (!o->handle[i]) {
				bench_store(pool, o, i, r * 7919 + i);
				(*ops)++;
			}
		}
	}
	return ktime_get_ns() - t;
}

/*
 * The allocator alone: allocate every object without touching it, map and
 * unmap each without copying, free them all.  What is left is the cost of
 * the backend's own code and metadata per operation.
 */
static void bench_bare(struct zpool *pool, struct bench_objects *o, struct bench_run *run)
{
	unsigned int i;
	u64 t;

	o->cursor = 0;
	t = ktime_get_ns();
	for (i = 0; i < o->n; i++)
		run->balloc_ops += !!bench_alloc(pool, o, i);
	run->balloc_ns = ktime_get_ns() - t;

	t = ktime_get_ns();
	for (i = 0; i < o->n; i++) {
		if (!o->handle[i])
			continue;
		/* Keep the compiler from dropping the map. */
		OPTIMIZER_HIDE_VAR(*(char *)zpool_map_handle(pool, o->handle[i], ZPOOL_MM_RO));
		zpool_unmap_handle(pool, o->handle[i]);
		run->bmap_ops++;
	}
	run->bmap_ns = ktime_get_ns() - t;

	run->bfree_ns = bench_free(pool, o, &run->bfree_ops);
}

static int bench_objects_init(struct bench_objects *o, struct zpool *pool,
			      unsigned int n)
{
	memset(o, 0, sizeof(*o));
	o->gfp = bench_gfp(pool);
	o->n = n;
	o->handle = vzalloc(n * sizeof(*o->handle));
	o->size = vzalloc(n * sizeof(*o->size));
	o->seed = vzalloc(n * sizeof(*o->seed));
	return o->handle && o->size && o->seed ? 0 : -ENOMEM;
}

static void bench_objects_fini(struct bench_objects *o)
{
	vfree(o->handle);
	vfree(o->size);
	vfree(o->seed);
}

struct bench_thread {
	struct zpool *pool;
	struct bench_objects o;
	struct completion done;
	u8 *dst;
	u64 ops;
};

static int bench_thread_fn(void *arg)
{
	struct bench_thread *t = arg;

	bench_fill(t->pool, &t->o, &t->ops);
	bench_read(t->pool, &t->o, t->dst, &t->ops);
	bench_free(t->pool, &t->o, &t->ops);
	complete(&t->done);
	return 0;
}

/* BENCH_THREADS kthreads fill, read and free their share at once. */
static u64 bench_threads(struct kunit *test, struct zpool *pool, unsigned int n, u64 *ops)
{
	struct bench_thread *t;
	u64 start, ns;
	int i;

	t = kunit_kcalloc(test, BENCH_THREADS, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < BENCH_THREADS; i++) {
		KUNIT_ASSERT_EQ(test, bench_objects_init(&t[i].o, pool, n / BENCH_THREADS), 0);
		t[i].o.cursor = i * (n / BENCH_THREADS);
		t[i].pool = pool;
		t[i].dst = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, t[i].dst);
		init_completion(&t[i].done);
	}
	start = ktime_get_ns();
	for (i = 0; i < BENCH_THREADS; i++)
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(bench_thread_fn, &t[i],
							    "zpool_bench/%d", i)));
	for (i = 0; i < BENCH_THREADS; i++)
		wait_for_completion(&t[i].done);
	ns = ktime_get_ns() - start;
	for (i = 0; i < BENCH_THREADS; i++) {
		*ops += t[i].ops;
		bench_objects_fini(&t[i].o);
	}
	return ns;
}

static void bench_one(struct kunit *test, const char *type, struct bench_run *run)
{
	struct bench_objects o;
	struct zpool *pool;
	unsigned int i;
	u8 *dst;

	pool = zpool_create_pool(type, "bench", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pool, "zpool %s is not available", type);
	dst = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_EQ(test, bench_objects_init(&o, pool, bench_nr_objects()), 0);

	memset(run, 0, sizeof(*run));
	run->fill_ns = bench_fill(pool, &o, &run->fill_ops);
	run->churn_ns = bench_churn(pool, &o, &run->churn_ops);
	for (i = 0; i < o.n; i++)
		if (o.handle[i])
			run->stored += o.size[i];
	run->pages = zpool_get_total_pages(pool);
	run->read_ns = bench_read(pool, &o, dst, &run->read_ops);
	KUNIT_EXPECT_EQ_MSG(test, bench_verify(pool, &o), 0, "%s corrupted objects", type);
	run->free_ns = bench_free(pool, &o, &run->free_ops);
	run->failed = o.failed;
	KUNIT_EXPECT_EQ(test, zpool_get_total_pages(pool), 0);
	bench_bare(pool, &o, run);
	KUNIT_EXPECT_EQ(test, zpool_get_total_pages(pool), 0);
	bench_objects_fini(&o);

	run->mt_ns = bench_threads(test, pool, bench_nr_objects(), &run->mt_ops);
	zpool_destroy_pool(pool);
}

/*
 * The same copies with no allocator: every object at a fixed place of a flat
 * area, written, churned and read in the same order.  What a backend takes
 * beyond this is its own overhead.
 */
static void bench_memcpy(struct kunit *test, struct bench_run *run)
{
	unsigned int n = bench_nr_objects(), i, r, k;
	struct rnd_state rnd;
	size_t *off, total = 0;
	u8 *area, *dst;
	u64 t;

	dst = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	/* Packed like an allocator of density 1, and touched beforehand. */
	off = kvcalloc(n, sizeof(*off), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, off);
	for (i = 0; i < n; i++) {
		off[i] = total;
		total += bench_size(i);
	}
	area = vmalloc(total);
	if (!area)
		kvfree(off);
	KUNIT_ASSERT_NOT_NULL(test, area);
	memset(area, 0, total);
	memset(run, 0, sizeof(*run));

	t = ktime_get_ns();
	for (i = 0; i < n; i++, run->fill_ops++)
		memcpy(area + off[i], bench_src + i * 61 % PAGE_SIZE, bench_size(i));
	run->fill_ns = ktime_get_ns() - t;

	/* A quarter rewritten per round: one copy stands for a free and an alloc. */
	prandom_seed_state(&rnd, 2026);
	t = ktime_get_ns();
	for (r = 0; r < BENCH_ROUNDS; r++) {
		for (k = 0; k < n / 4; k++, run->churn_ops += 2) {
			i = prandom_u32_state(&rnd) % n;
			memcpy(area + off[i], bench_src + (r + i) % PAGE_SIZE, bench_size(i));
		}
	}
	run->churn_ns = ktime_get_ns() - t;

	t = ktime_get_ns();
	for (i = 0; i < n; i++, run->read_ops++)
		memcpy(dst, area + off[i], bench_size(i));
	run->read_ns = ktime_get_ns() - t;
	run->free_ops = 1;
	vfree(area);
	kvfree(off);
}

/* Nanoseconds per operation, in hundredths. */
static u64 bench_ns100(u64 ns, u64 ops)
{
	return ops ? div64_u64(ns * 100, ops) : 0;
}

/*
 * UML's memory is a host file mapped on first touch, so the first write to
 * each page of the kernel's memory costs a host page fault that no real
 * kernel pays.  Touch all of it once, before anything is timed, so that no
 * backend pays for pages another one never had to.
 */
static void bench_prefault(void)
{
	LIST_HEAD(pages);
	struct page *page, *tmp;
	unsigned long n = 0;

	while ((page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN))) {
		memset(page_address(page), 0, PAGE_SIZE);
		list_add(&page->lru, &pages);
		n++;
	}
	list_for_each_entry_safe(page, tmp, &pages, lru)
		__free_page(page);
	pr_info("zpool_bench: touched %lu free pages before timing\n", n);
}

/* Per operation, in hundredths of nanoseconds, for each repetition. */
static void bench_print_reps(char *buf, size_t len, struct bench_run *x,
			     size_t ns_off, size_t ops_off)
{
	size_t used = 0;
	int r;

	for (r = 0; r < BENCH_REPS; r++) {
		u64 ns = *(u64 *)((char *)&x[r] + ns_off);
		u64 ops = *(u64 *)((char *)&x[r] + ops_off);

		used += scnprintf(buf + used, len - used, "%s%llu", r ? ", " : "",
				  bench_ns100(ns, ops));
	}
}

#define BENCH_FIELD(name) \
	{ #name, offsetof(struct bench_run, name##_ns), offsetof(struct bench_run, name##_ops) }

static void bench_print(const char *name, struct bench_run *x)
{
	static const struct {
		const char *name;
		size_t ns_off, ops_off;
	} fields[] = {
		BENCH_FIELD(fill), BENCH_FIELD(read), BENCH_FIELD(free),
		BENCH_FIELD(churn), BENCH_FIELD(mt), BENCH_FIELD(balloc),
		BENCH_FIELD(bmap), BENCH_FIELD(bfree),
	};
	char reps[ARRAY_SIZE(fields)][BENCH_REPS * 12];
	int f;

	for (f = 0; f < ARRAY_SIZE(fields); f++)
		bench_print_reps(reps[f], sizeof(reps[f]), x, fields[f].ns_off,
				 fields[f].ops_off);
	pr_info("zpool_bench: {\"backend\": \"%s\", \"objects\": %u, \"failed\": %u, \"stored_bytes\": %llu, \"pages\": %llu, \"page_size\": %lu}\n",
		name, bench_nr_objects(), x[0].failed,
		x[0].stored, x[0].pages, PAGE_SIZE);
	/* One line per field: a line of the kernel log holds 1 KiB at most. */
	for (f = 0; f < ARRAY_SIZE(fields); f++)
		pr_info("zpool_bench_reps: {\"backend\": \"%s\", \"field\": \"%s_ns100\", \"reps\": [%s]}\n",
			name, fields[f].name, reps[f]);
}

static void zpool_bench_all(struct kunit *test)
{
	struct bench_run (*runs)[BENCH_REPS], *copy;
	int b, r, nb = ARRAY_SIZE(bench_backends);

	if (!bench_scale || bench_scale > BENCH_MAX_SCALE)
		kunit_skip(test, "scale=%u: want 1 to %d", bench_scale, BENCH_MAX_SCALE);
	kunit_info(test, "%u objects (%u corpora) of %zu sizes for %lu-byte pages\n",
		   bench_nr_objects(), bench_scale, ARRAY_SIZE(zpool_bench_sizes), PAGE_SIZE);
	runs = kunit_kcalloc(test, nb, sizeof(*runs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, runs);
	copy = kunit_kcalloc(test, BENCH_REPS, sizeof(*copy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	bench_src = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bench_src);
	get_random_bytes(bench_src, 2 * PAGE_SIZE);
	bench_prefault();

	/* Interleave the backends so that drift hits them alike. */
	for (r = 0; r < BENCH_REPS; r++) {
		for (b = 0; b < nb; b++)
			bench_one(test, bench_backends[b], &runs[b][r]);
		bench_memcpy(test, &copy[r]);
	}

	for (b = 0; b < nb; b++)
		bench_print(bench_backends[b], runs[b]);
	bench_print("memcpy", copy);
}

static struct kunit_case zpool_bench_cases[] = {
	KUNIT_CASE_SLOW(zpool_bench_all),
	{}
};

static struct kunit_suite zpool_bench_suite = {
	.name = "zpool_bench",
	.test_cases = zpool_bench_cases,
};

kunit_test_suite(zpool_bench_suite);

MODULE_DESCRIPTION("zpool backends benchmarked side by side");
MODULE_LICENSE("GPL");

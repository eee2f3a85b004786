/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drm_gem_zswap tracepoints: one per eviction and one per restore.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM drm_gem_zswap

#if !defined(_DRM_GEM_ZSWAP_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _DRM_GEM_ZSWAP_TRACE_H_

#include <linux/tracepoint.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

TRACE_EVENT(drm_gem_zswap_evict,
	    TP_PROTO(struct drm_gem_object *obj, size_t stream_len,
		     size_t pool_bytes, u64 ns),
	    TP_ARGS(obj, stream_len, pool_bytes, ns),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(size_t, size)
			     __field(size_t, stream_len)
			     __field(size_t, pool_bytes)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->card = obj->dev->primary ?
					   obj->dev->primary->index : 0;
			   __entry->size = obj->size;
			   __entry->stream_len = stream_len;
			   __entry->pool_bytes = pool_bytes;
			   __entry->ns = ns;),
	    TP_printk("card=%u size=%zu compressed=%zu pool=%zu ns=%llu",
		      __entry->card, __entry->size, __entry->stream_len,
		      __entry->pool_bytes, __entry->ns)
);

TRACE_EVENT(drm_gem_zswap_restore,
	    TP_PROTO(struct drm_gem_object *obj, size_t stream_len, u64 ns),
	    TP_ARGS(obj, stream_len, ns),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(size_t, size)
			     __field(size_t, stream_len)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->card = obj->dev->primary ?
					   obj->dev->primary->index : 0;
			   __entry->size = obj->size;
			   __entry->stream_len = stream_len;
			   __entry->ns = ns;),
	    TP_printk("card=%u size=%zu compressed=%zu ns=%llu",
		      __entry->card, __entry->size, __entry->stream_len,
		      __entry->ns)
);

#endif /* _DRM_GEM_ZSWAP_TRACE_H_ */

/* The Makefile puts this directory on the include path. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE drm_gem_zswap_trace
#include <trace/define_trace.h>

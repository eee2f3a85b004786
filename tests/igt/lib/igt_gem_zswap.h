/* SPDX-License-Identifier: MIT */
/*
 * Helpers for tests of drm_gem_zswap: its debugfs eviction file and
 * counters, its module parameters, and the DRM client id that names a
 * file's handles.
 */
#ifndef IGT_GEM_ZSWAP_H
#define IGT_GEM_ZSWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IGT_GEM_ZSWAP_DEBUGFS	"/sys/kernel/debug/drm_gem_zswap"
#define IGT_GEM_ZSWAP_PARAMS	"/sys/module/drm_shmem_helper/parameters"

bool igt_gem_zswap_available(int fd);
uint64_t __igt_drm_client_id(int fd);
uint64_t igt_drm_client_id(int fd);
int64_t igt_gem_zswap_fdinfo_bytes(pid_t pid, int fd, const char *key);
void igt_gem_zswap_assert_fdinfo(pid_t pid, int fd, int64_t total, int64_t resident,
				 int64_t evicted);
int __igt_gem_zswap_evict(int fd, uint64_t client_id, uint32_t handle);
int igt_gem_zswap_evict(int fd, uint32_t handle);
int igt_gem_zswap_evict_all(int fd);
int igt_gem_zswap_debugfs_cmd(int fd, const char *cmd);
int igt_gem_zswap_corrupt(int fd, uint32_t handle, uint64_t offset);
uint64_t igt_gem_zswap_evictable_bytes(int fd);
extern void *igt_gem_zswap_pressure_mem;
int igt_gem_zswap_anon_pressure(size_t mib, int rounds, unsigned int pause_us);
int __igt_gem_zswap_send_fd(int sock, int fd, const void *data, size_t len);
int __igt_gem_zswap_recv_fd(int sock, void *data, size_t len, int flags);
uint64_t igt_gem_zswap_orphan_dmabuf(int fd, uint32_t handle, const void *expect,
				     uint64_t size);
int igt_gem_zswap_write_file(const char *path, const char *value);
uint64_t igt_gem_zswap_read_u64(const char *path);
uint64_t igt_gem_zswap_stat(int fd, const char *name);
uint64_t igt_gem_zswap_global_stat(const char *name);
const char *igt_gem_zswap_param_path(const char *name, char *path, size_t len);
int igt_gem_zswap_set_param(const char *name, const char *value);
void igt_gem_zswap_get_param(const char *name, char *value, size_t len);
void igt_gem_zswap_assert_pool_holds(int fd);
bool igt_gem_zswap_cmdline_has(const char *word);
uint64_t igt_gem_zswap_proc_u64(const char *path, const char *key);
int igt_gem_zswap_trace_start(void);
void igt_gem_zswap_fault_attr(const char *attr, const char *name, const char *value);
unsigned int igt_gem_zswap_trace_stop(const char *comm, unsigned int *kswapd,
				      unsigned int *by_comm);

/* Counters of one device, read together. */
struct igt_gem_zswap_stats {
	uint64_t stored_bos, original_bytes, compressed_bytes, pool_bytes;
	uint64_t same_filled_bos, evictions, restores;
	uint64_t reject_busy, reject_incompressible, reject_nomem;
	uint64_t reject_pool_limit, reject_cgroup_limit;
	uint64_t restore_nomem, restore_failures, evict_deferred;
};

void igt_gem_zswap_read_stats(int fd, struct igt_gem_zswap_stats *s);

#endif /* IGT_GEM_ZSWAP_H */

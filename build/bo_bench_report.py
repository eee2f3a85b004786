#!/usr/bin/env python3
"""Read the drm_gem_zswap_bench lines of a UML log; write bo.json and a table.

  bo_bench_report.py RUN_LOG OUT_JSON
"""
import json
import re
import statistics
import sys

STREAM = 'stream-lz4-zblock'
PAGE = 'page-lz4-zsmalloc'


def main(log, out):
    rows = []
    text = open(log, errors='replace').read()
    for m in re.finditer(r'drm_gem_zswap_bench: (\{.*\})', text):
        rows.append(json.loads(m.group(1)))
    if not rows:
        sys.exit('bench: no drm_gem_zswap_bench results in ' + log)
    if re.search(r'not ok \d+ drm_gem_zswap_bench', text):
        sys.exit('bench: the BO benchmark reported a failure (corrupted data?)')

    paths = list(dict.fromkeys(r['path'] for r in rows))
    reps = len(rows[0]['evict_ns'])
    total = {}
    for p in paths:
        pr = [r for r in rows if r['path'] == p]
        nbytes = sum(r['bytes'] for r in pr)
        ev = [sum(r['evict_ns'][i] for r in pr) for i in range(reps)]
        re_ = [sum(r['restore_ns'][i] for r in pr) for i in range(reps)]
        comp = sum(r['comp'] for r in pr)
        pool = sum(r['pool'] for r in pr)
        rejected = sum(r['rejected'] for r in pr)
        total[p] = {
            'bytes': nbytes, 'comp': comp, 'pool': pool, 'rejected': rejected,
            'evict_ns_reps': ev, 'restore_ns_reps': re_,
            'evict_mb_s': nbytes / statistics.median(ev) * 1e3,
            'restore_mb_s': nbytes / statistics.median(re_) * 1e3,
            # Stream bytes per byte of pool memory (stored part only).
            'density': comp / (pool - rejected) if pool > rejected else None,
        }
    base = total[PAGE]
    for p, t in total.items():
        if p == 'memcpy':
            continue
        t['pool_vs_page'] = t['pool'] / base['pool']
        # Paired within each repetition, then the median of the ratios.
        t['evict_vs_page_reps'] = [b / x for b, x in zip(base['evict_ns_reps'],
                                                         t['evict_ns_reps'])]
        t['restore_vs_page_reps'] = [b / x for b, x in zip(base['restore_ns_reps'],
                                                           t['restore_ns_reps'])]
        t['evict_vs_page'] = statistics.median(t['evict_vs_page_reps'])
        t['restore_vs_page'] = statistics.median(t['restore_vs_page_reps'])

    kinds = list(dict.fromkeys(r['kind'] for r in rows))
    by_kind = {}
    for k in kinds:
        by_kind[k] = {}
        for p in paths:
            pr = [r for r in rows if r['path'] == p and r['kind'] == k]
            by_kind[k][p] = {'bytes': sum(r['bytes'] for r in pr),
                             'comp': sum(r['comp'] for r in pr),
                             'pool': sum(r['pool'] for r in pr)}
    with open(out, 'w') as f:
        json.dump({'totals': total, 'by_kind': by_kind, 'bos': rows}, f, indent=2)

    nbos = len({r['bo'] for r in rows})
    counts = ', '.join('%d %s' % (sum(1 for r in rows if r['kind'] == k and r['path'] == PAGE), k)
                       for k in kinds)
    print(f"BO corpus: {nbos} buffers, {base['bytes'] / 2**20:.1f} MiB ({counts})")
    print(f"{'path':20} {'compressed':>11} {'pool':>11} {'vs page':>8} {'density':>8} "
          f"{'evict':>8} {'vs page':>8} {'restore':>8} {'vs page':>8}")
    print(f"{'':20} {'MiB':>11} {'MiB':>11} {'':>8} {'':>8} {'MB/s':>8} {'':>8} "
          f"{'MB/s':>8} {'':>8}")
    for p, t in total.items():
        dens = f"{t['density']:8.3f}" if t.get('density') else ' ' * 8
        vs = (f"{t['pool_vs_page']:8.3f}" if 'pool_vs_page' in t else ' ' * 8)
        ev = (f"{t['evict_vs_page']:8.2f}" if 'evict_vs_page' in t else ' ' * 8)
        rs = (f"{t['restore_vs_page']:8.2f}" if 'restore_vs_page' in t else ' ' * 8)
        print(f"{p:20} {t['comp'] / 2**20:11.2f} {t['pool'] / 2**20:11.2f} {vs} {dens} "
              f"{t['evict_mb_s']:8.0f} {ev} {t['restore_mb_s']:8.0f} {rs}")
    print()
    print('pool MiB by kind (stream lz4/zblock vs page lz4/zsmalloc):')
    for k in kinds:
        s, pg = by_kind[k][STREAM], by_kind[k][PAGE]
        ratio = f"({s['pool'] / pg['pool']:.3f})" if pg['pool'] else ''
        print(f"  {k:8} {s['bytes'] / 2**20:8.1f} MiB -> {s['pool'] / 2**20:7.2f} vs "
              f"{pg['pool'] / 2**20:7.2f} {ratio}")
    s = total[STREAM]
    print()
    print(f"stream: pool {s['pool_vs_page']:.3f} x the page path's (target <= 0.87), "
          f"evict {s['evict_vs_page']:.2f} x and restore {s['restore_vs_page']:.2f} x "
          f"as fast (target >= 1.3), density {s['density']:.3f} (target >= 0.97)")
    print(f"stream: per repetition, evict {min(s['evict_vs_page_reps']):.2f} to "
          f"{max(s['evict_vs_page_reps']):.2f} x, restore "
          f"{min(s['restore_vs_page_reps']):.2f} to {max(s['restore_vs_page_reps']):.2f} x "
          f"({reps} repetitions)")
    print('pool: pool memory taken, plus what a path left uncompressed at its size; '
          'density: compressed bytes / pool memory of what was stored.')
    print('results: ' + out)


if __name__ == '__main__':
    main(*sys.argv[1:3])

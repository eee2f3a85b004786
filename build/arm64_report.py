#!/usr/bin/env python3
"""One table of zblock against zsmalloc on arm64's page sizes.

  arm64_report.py BENCH_DIR OUT_JSON [PAGE_SIZE...]

Reads BENCH_DIR/arm64-SIZE/zpool.json (build/bench_report.py's output for
the zpool benchmark) and zswap.jsonl (tests/zswap/zswap_roundtrip's lines)
for the page sizes given (4K, 16K and 64K unless told: the ones this run
made, not older ones), and prints density after churn
and speed, each as zblock over zsmalloc, with the zswap run's bytes per stored
page beside them.  Speed is measured under QEMU's -icount: instructions, not
time.
"""
import json
import os
import sys


def load(bench_dir, ps):
    d = os.path.join(bench_dir, 'arm64-' + ps)
    try:
        with open(os.path.join(d, 'zpool.json')) as f:
            zpool = {r['backend']: r for r in json.load(f)['backends']}
    except OSError:
        return None
    zswap = {}
    try:
        with open(os.path.join(d, 'zswap.jsonl')) as f:
            for line in f:
                r = json.loads(line)
                zswap[r['zpool']] = r
    except OSError:
        pass
    return zpool, zswap


def per_page(r):
    return r['pool_bytes'] / r['stored_pages'] if r and r['stored_pages'] else None


def main(bench_dir, out, sizes):
    rows = []
    for ps in sizes or ('4K', '16K', '64K'):
        got = load(bench_dir, ps)
        if not got:
            sys.exit(f'arm64: no results for {ps} pages in {bench_dir}/arm64-{ps}')
        zpool, zswap = got
        zb, zs, zbud = zpool['zblock'], zpool['zsmalloc'], zpool.get('zbud')
        reps = zb['speed_vs_zsmalloc_reps']
        row = {
            'page_size': ps,
            'objects': zb['objects'],
            'density': {k: v['density'] for k, v in zpool.items() if v.get('density')},
            'density_zblock_vs_zsmalloc': zb['density_vs_zsmalloc'],
            'density_zbud_vs_zsmalloc': zbud['density_vs_zsmalloc'] if zbud else None,
            'speed_zblock_vs_zsmalloc': zb['speed_vs_zsmalloc'],
            'speed_reps_min': min(reps), 'speed_reps_max': max(reps),
            'bare_zblock_vs_zsmalloc': zb.get('bare_vs_zsmalloc'),
            'failed': {k: v['failed'] for k, v in zpool.items() if k != 'memcpy'},
        }
        zr_zb, zr_zs = per_page(zswap.get('zblock')), per_page(zswap.get('zsmalloc'))
        row['zswap_bytes_per_page'] = {'zblock': zr_zb, 'zsmalloc': zr_zs}
        row['zswap_zblock_vs_zsmalloc'] = zr_zb / zr_zs if zr_zb and zr_zs else None
        if set(zswap) != {'zblock', 'zsmalloc'}:
            sys.exit(f'arm64: {ps}: the zswap run has no result for both zblock and zsmalloc')
        row['zswap_bad_pages'] = sum(r['bad_pages'] for r in zswap.values())
        rows.append(row)
    if not rows:
        sys.exit('arm64: no arm64 benchmark results in ' + bench_dir)
    with open(out, 'w') as f:
        json.dump(rows, f, indent=2, allow_nan=False)

    def num(v, fmt):
        return format(v, fmt) if v is not None else 'n/a'

    print()
    print('zblock against zsmalloc on arm64 (QEMU virt, TCG; speed under -icount, '
          'so in instructions; >1 is zblock better)')
    print(f"{'page':>5} {'objects':>7} {'density':>8} {'zsmalloc':>8} {'ratio':>6} "
          f"{'zbud':>6} {'speed':>6} {'spread':>11} {'alone':>6} "
          f"{'zswap B/pg':>11} {'zs B/pg':>8} {'ratio':>6}")
    for r in rows:
        spread = f"{r['speed_reps_min']:.2f}-{r['speed_reps_max']:.2f}"
        zb_pp = r['zswap_bytes_per_page']['zblock']
        zs_pp = r['zswap_bytes_per_page']['zsmalloc']
        zbud_d = r['density'].get('zbud')
        # zswap's ratio is bytes held per page: below 1 is zblock denser.
        print(f"{r['page_size']:>5} {r['objects']:7d} {r['density']['zblock']:8.3f} "
              f"{r['density']['zsmalloc']:8.3f} {r['density_zblock_vs_zsmalloc']:6.3f} "
              f"{num(zbud_d, '6.3f'):>6} {r['speed_zblock_vs_zsmalloc']:6.2f} {spread:>11} "
              f"{num(r['bare_zblock_vs_zsmalloc'], '6.2f'):>6} {num(zb_pp, '11.0f'):>11} "
              f"{num(zs_pp, '8.0f'):>8} {num(r['zswap_zblock_vs_zsmalloc'], '6.3f'):>6}")
    print('density: stored bytes over pool pages after churn; ratio = zblock / zsmalloc.')
    print('speed: one object\'s alloc+write, map+read and free, zsmalloc\'s instructions '
          'over zblock\'s, median of the repetitions (spread: min-max); alone: the '
          'allocator alone, nothing copied.')
    print('zswap: real pages through zswap (lz4) in a memcg, pool bytes per stored page; '
          'ratio = zblock / zsmalloc, below 1 is zblock denser.')
    bad = sum(r['zswap_bad_pages'] for r in rows)
    print(f'zswap: {bad} pages came back different.  results: {out}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))

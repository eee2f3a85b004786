#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of the guest benchmark (bench/gem_zswap_bench.c).

  guest_bench_report.py ICOUNT_LOG TCG_LOG OUT_JSON

ICOUNT_LOG's runs give the throughput and memory tables: on QEMU's
instruction counter the guest's clock counts instructions, so a ratio is
a ratio of instructions run.  TCG_LOG's runs (plain TCG, the host's clock)
give the first-access latencies and a check of the ratios' direction.
Every ratio is the stream path's figure over the page path's, paired
repetition by repetition, printed as the median and the range.
"""
import json
import statistics
import sys

MIB = 1 << 20

# (stream, page): the same codec either way, and zswap's default zpool
# and ours on the page side.
PAIRS = [
    ('stream-vgem-lz4', 'page-zsmalloc-lz4'),
    ('stream-vgem-lz4', 'page-zblock-lz4'),
    ('stream-vgem-zstd', 'page-zsmalloc-zstd'),
    ('stream-vgem-zstd', 'page-zblock-zstd'),
    ('stream-virtio-lz4', 'page-zsmalloc-lz4'),
]
KINDS = ['texture', 'model', 'frame', 'cleared', 'zero', 'all']


def parse(path):
    rows, lat = [], []
    done = False
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            if words[0] == 'ZB-BENCH-DONE':
                done = True
            if words[0] == 'ZB-BENCH-FAILED':
                sys.exit(f'guest_bench_report: {path}: {line.strip()}')
            if words[0] not in ('ZB-BENCH', 'ZB-BENCH-LAT'):
                continue
            r = {}
            for w in words[1:]:
                k, v = w.split('=', 1)
                r[k] = int(v) if v.isdigit() else v
            (rows if words[0] == 'ZB-BENCH' else lat).append(r)
    if not done:
        sys.exit(f'guest_bench_report: {path}: the benchmark did not finish')
    return rows, lat


def metrics(r):
    """What one row says, in the tables' units.

    Memory is the pool, the metadata beside it and what was left
    uncompressed.  Eviction is over every byte offered (a refused BO costs
    its attempt); restore over the bytes that were stored, since a BO left
    resident, or a page still in the swap cache, comes back for nothing.
    """
    b = r['bytes']
    # Restored from compressed form: not what stayed resident (stream) nor,
    # after an eviction alone, what waits in the swap cache (page).
    stored = b - r['left'] - r['disk']
    evict = (r['evict1_ns'] + r['evict2_ns'] + r['evict3_ns']) / 3

    def rate(n, ns):
        # Nothing restored (pswpout is machine-wide): no figure.
        return n / ns * 1e3 if n > 0 and ns > 0 else None
    if r.get('others', 0):
        print(f"guest_bench_report: {r['path']} {r['kind']}: reclaim stored "
              f"{r['others']} other pages in zswap", file=sys.stderr)
    return {
        'mem': r['held'] + r['meta'] + r['left'],
        'held': r['held'], 'meta': r['meta'], 'left': r['left'], 'disk': r['disk'],
        'evict': rate(b, evict),  # MB/s
        # After reclaim: the page path reads the disk's pages back too.
        'cold': rate(b - r['left'], r['cold_ns']),
        'restore1': rate(stored, r['restore1_ns']),
        'restore2': rate(stored, r['restore2_ns']),
        'bytes': b,
    }


def index(rows):
    out = {}
    for r in rows:
        out.setdefault((r['path'], r['kind']), {})[r['rep']] = metrics(r)
    return out


def spread(values):
    values = sorted(values)
    return {'median': statistics.median(values), 'min': values[0], 'max': values[-1],
            'n': len(values)}


def fmt(s, digits=2):
    if s is None:
        return 'n/a'
    if s['n'] == 1 or s['min'] == s['max']:
        return f"{s['median']:.{digits}f}"
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def ratios(idx, stream, page, kind):
    a, b = idx.get((stream, kind), {}), idx.get((page, kind), {})
    reps = sorted(set(a) & set(b))
    if not reps:
        return None
    out = {}
    for key in ('mem', 'evict', 'cold', 'restore1', 'restore2'):
        vals = []
        for rep in reps:
            x, y = a[rep][key], b[rep][key]
            # Nothing on the page side (zero pages go to swap's zeromap),
            # or no figure on either: no ratio.
            if x is None or y is None or y == 0:
                vals = None
                break
            vals.append(x / y)
        out[key] = spread(vals) if vals else None
    return out


def path_table(idx, kind):
    print(f"{'path':<20} {'pool MiB':>9} {'meta MiB':>9} {'left MiB':>9} {'disk MiB':>9} "
          f"{'evict MB/s':>11} {'cold':>6} {'restore 1':>10} {'restore 2':>10}")
    for path in sorted({p for p, k in idx if k == kind}):
        reps = idx[(path, kind)]
        m = {k: statistics.median(r[k] or 0 for r in reps.values())
             for k in ('held', 'meta', 'left', 'disk', 'evict', 'cold', 'restore1',
                       'restore2')}
        print(f"{path:<20} {m['held'] / MIB:>9.2f} {m['meta'] / MIB:>9.2f} "
              f"{m['left'] / MIB:>9.2f} {m['disk'] / MIB:>9.2f} {m['evict']:>11.0f} "
              f"{m['cold']:>6.0f} {m['restore1']:>10.0f} {m['restore2']:>10.0f}")
    print("(MB/s per 10^9 instructions on the instruction counter; cold: by fault "
          "after reclaim, the")
    print(" page path reading the disk's pages back; restore 1: by fault after an "
          "eviction; restore 2:")
    print(" a fault again for vgem, TRANSFER_TO_HOST_2D for virtio-gpu, pread() "
          "for the page path)")


def best(idx, prefix, kind, key, lower):
    """The best path of one side for one figure, per repetition."""
    paths = [p for p, k in idx if k == kind and p.startswith(prefix)]
    reps = set.intersection(*(set(idx[(p, kind)]) for p in paths)) if paths else set()
    pick = min if lower else max
    return {rep: pick((idx[(p, kind)][rep][key] or 0) for p in paths) for rep in reps}


def latency_table(lat):
    out = {}
    for r in lat:
        out.setdefault((r['what'], r['path']), []).append(r['first_ns'] / 1e6)
    n = min((len(v) for v in out.values()), default=0)
    # Fewer than 100 tries: the 99th percentile is the slowest of them.
    label = 'p99 ms' if n >= 100 else 'max ms'
    print(f"{'buffer':<8} {'path':<20} {'p50 ms':>9} {label:>9} {'n':>3}")
    res = {}
    for (what, path), v in sorted(out.items()):
        v = sorted(v)
        p50 = statistics.median(v)
        p99 = v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))]
        res[f'{what}/{path}'] = {'p50_ms': p50, ('p99_ms' if n >= 100 else 'max_ms'): p99,
                                 'n': len(v)}
        print(f"{what:<8} {path:<20} {p50:>9.2f} {p99:>9.2f} {len(v):>3}")
    return res


def main():
    icount_rows, icount_lat = parse(sys.argv[1])
    tcg_rows, tcg_lat = parse(sys.argv[2])
    idx = index(icount_rows)
    tidx = index(tcg_rows)
    report = {'icount': {}, 'tcg': {}, 'latency_tcg': {}, 'latency_icount': {}}

    reps = len({r['rep'] for r in icount_rows})
    print(f"bench-guest: the corpus stored both ways, on the instruction counter, "
          f"{reps} repetitions (medians)")
    path_table(idx, 'all')
    print()
    print("stream over page, per kind: memory held (pool + left uncompressed; "
          "lower is better),")
    print("evict and restore throughput (higher is better); median (range) "
          "over repetitions")
    print(f"{'stream':<18} {'page':<19} {'kind':<8} {'memory':>18} {'evict':>18} "
          f"{'cold':>18} {'restore 1':>18} {'restore 2':>18}")
    for stream, page in PAIRS:
        for kind in KINDS:
            r = ratios(idx, stream, page, kind)
            if not r:
                continue
            report['icount'][f'{stream}/{page}/{kind}'] = r
            if kind == 'all':
                report.setdefault('summary', []).append(
                    {'stream': stream, 'page': page, 'reps': r['mem']['n'],
                     **{k: r[k] for k in ('mem', 'evict', 'cold', 'restore1', 'restore2')}})
            print(f"{stream:<18} {page:<19} {kind:<8} {fmt(r['mem']):>18} "
                  f"{fmt(r['evict']):>18} {fmt(r['cold']):>18} {fmt(r['restore1']):>18} "
                  f"{fmt(r['restore2']):>18}")
    print()
    print("best stream path over best page path, all buffers:")
    for key, lower, label in (('mem', True, 'memory'), ('evict', False, 'evict'),
                              ('restore1', False, 'restore by fault')):
        s = best(idx, 'stream-', 'all', key, lower)
        p = best(idx, 'page-', 'all', key, lower)
        vals = [s[r] / p[r] for r in sorted(set(s) & set(p)) if s[r] and p[r]]
        if vals:
            sp = spread(vals)
            report['icount'][f'best/{key}'] = sp
            print(f"  {label:<18} {fmt(sp)}")
    for (path, kind), reps_ in idx.items():
        report['icount'].setdefault('paths', {})[f'{path}/{kind}'] = reps_

    print()
    print("the same ratios on plain TCG (the host's clock; the direction should agree):")
    for stream, page in PAIRS[:1] + PAIRS[2:3]:
        r = ratios(tidx, stream, page, 'all')
        if r:
            report['tcg'][f'{stream}/{page}/all'] = r
            print(f"  {stream} / {page}: memory {fmt(r['mem'])}, evict {fmt(r['evict'])}, "
                  f"restore {fmt(r['restore1'])}")
    print()
    print("first access to an evicted buffer, plain TCG (the stream path restores "
          "it whole):")
    report['latency_tcg'] = latency_table(tcg_lat)
    report['latency_icount'] = {f"{r['what']}/{r['path']}": r['first_ns'] / 1e6
                                for r in icount_lat}
    with open(sys.argv[3], 'w') as f:
        json.dump(report, f, indent=1, sort_keys=True, allow_nan=False)
    print(f"bench-guest: {sys.argv[3]}")


main()

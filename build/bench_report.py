#!/usr/bin/env python3
"""Read the zpool_bench lines of a UML log; write zpool.json and a table.

  bench_report.py RUN_LOG CORPUS_HEADER OUT_JSON
"""
import json
import re
import statistics
import sys


def main(log, corpus, out):
    rows = []
    with open(log, errors='replace') as f:
        for line in f:
            m = re.search(r'zpool_bench: (\{.*\})', line)
            if m:
                rows.append(json.loads(m.group(1)))
            m = re.search(r'zpool_bench_reps: (\{.*\})', line)
            if m:
                reps = json.loads(m.group(1))
                row = next(r for r in rows if r['backend'] == reps['backend'])
                row[reps['field']] = reps['reps']
    if not rows:
        sys.exit('bench: no results in ' + log)
    if re.search(r'not ok \d+ zpool_bench', open(log, errors='replace').read()):
        sys.exit('bench: the benchmark reported a failure (corrupted objects?)')

    for r in rows:
        r['density'] = (r['stored_bytes'] / (r['pages'] * r['page_size'])
                        if r['pages'] else None)
        for k in ('fill', 'churn', 'read', 'free', 'mt', 'balloc', 'bmap', 'bfree'):
            r[k + '_ns_reps'] = [v / 100.0 for v in r.pop(k + '_ns100')]
            r[k + '_ns'] = statistics.median(r[k + '_ns_reps'])
        # One object's life, single-threaded: alloc+write, map+read, free.
        r['cycle_ns_reps'] = [a + b + c for a, b, c in
                              zip(r['fill_ns_reps'], r['read_ns_reps'], r['free_ns_reps'])]
        r['cycle_ns'] = statistics.median(r['cycle_ns_reps'])
        r['cycle_per_s'] = 1e9 / r['cycle_ns']
    base = next(r for r in rows if r['backend'] == 'zsmalloc')
    copy = next((r for r in rows if r['backend'] == 'memcpy'), None)
    for r in rows:
        r['density_vs_zsmalloc'] = (r['density'] / base['density']
                                    if r['density'] else None)
        # Paired within each repetition, then the median of the ratios.
        r['speed_vs_zsmalloc_reps'] = [b / x for b, x in
                                       zip(base['cycle_ns_reps'], r['cycle_ns_reps'])]
        r['speed_vs_zsmalloc'] = statistics.median(r['speed_vs_zsmalloc_reps'])
        # What the allocator adds to the copies themselves.
        if copy and r is not copy:
            r['overhead_ns'] = r['cycle_ns'] - copy['cycle_ns']
    for r in rows:
        if 'overhead_ns' in r:
            r['overhead_vs_zsmalloc'] = base['overhead_ns'] / r['overhead_ns']

    # The allocator alone, with the copies taken out.
    bare_zs = base['balloc_ns'] + base['bmap_ns'] + base['bfree_ns']
    for r in rows:
        if r['backend'] != 'memcpy':
            r['bare_ns'] = r['balloc_ns'] + r['bmap_ns'] + r['bfree_ns']
            r['bare_vs_zsmalloc'] = bare_zs / r['bare_ns']

    corpus_notes = [line.strip('/* \n') for line in open(corpus)
                    if line.startswith('/* ') and 'pages from' in line]
    with open(out, 'w') as f:
        json.dump({'corpus': corpus_notes, 'backends': rows}, f, indent=2)

    print(f"corpus (LZ4 sizes of real {base['page_size'] // 1024} KiB pages of this machine):")
    for note in corpus_notes:
        print('  ' + note)
    def num(v, fmt):
        return format(v, fmt) if v is not None else '-'.rjust(len(format(0, fmt)))

    print(f"{'backend':9} {'density':>8} {'vs zs':>6} {'alloc+wr':>9} {'map+rd':>8} "
          f"{'free':>7} {'churn':>7} {'2 thr':>7} {'cycle':>8} {'vs zs':>6} "
          f"{'overhd':>7} {'vs zs':>6} {'fail':>5}")
    print(f"{'':9} {'':>8} {'':>6} {'ns/op':>9} {'ns/op':>8} {'ns/op':>7} {'ns/op':>7} "
          f"{'ns/op':>7} {'ns/obj':>8} {'':>6} {'ns/obj':>7} {'':>6} {'':>5}")
    for r in rows:
        print(f"{r['backend']:9} {num(r['density'], '8.3f')} "
              f"{num(r['density_vs_zsmalloc'], '6.3f')} "
              f"{r['fill_ns']:9.1f} {r['read_ns']:8.1f} {r['free_ns']:7.1f} "
              f"{r['churn_ns']:7.1f} {r['mt_ns']:7.1f} {r['cycle_ns']:8.1f} "
              f"{r['speed_vs_zsmalloc']:6.2f} {num(r.get('overhead_ns'), '7.1f')} "
              f"{num(r.get('overhead_vs_zsmalloc'), '6.2f')} {r['failed']:5d}")
    print()
    print('the allocator alone (nothing copied), ns per operation:')
    print(f"{'backend':9} {'alloc':>7} {'map+unmap':>10} {'free':>7} {'sum':>7} {'vs zs':>6}")
    for r in rows:
        if r['backend'] == 'memcpy':
            continue
        total = r['bare_ns']
        print(f"{r['backend']:9} {r['balloc_ns']:7.1f} {r['bmap_ns']:10.1f} "
              f"{r['bfree_ns']:7.1f} {total:7.1f} {r['bare_vs_zsmalloc']:6.2f}")
    print()
    zb = next(r for r in rows if r['backend'] == 'zblock')
    print(f"zblock: density {zb['density_vs_zsmalloc']:.3f} x zsmalloc (target >= 0.97), "
          f"alloc+write+read+free {zb['speed_vs_zsmalloc']:.2f} x zsmalloc (target >= 1.5)")
    reps = zb['speed_vs_zsmalloc_reps']
    print(f"zblock: speed ratio per repetition: min {min(reps):.2f}, median "
          f"{statistics.median(reps):.2f}, max {max(reps):.2f} ({len(reps)} repetitions)")
    if 'overhead_vs_zsmalloc' in zb:
        print(f"zblock: its own time beyond the copies (cycle - memcpy) is "
              f"{zb['overhead_vs_zsmalloc']:.2f} x less than zsmalloc's")
    print('2 thr: two kthreads at once; on UML (one CPU in 6.12) and under -icount '
          '(one instruction clock) this measures interleaving, not scaling.')
    print('memcpy: the same copies into a flat area with no allocator; overhd = cycle - '
          "memcpy's cycle.  z3fold is left out (see mm/zpool_bench.c).")
    print('results: ' + out)


if __name__ == '__main__':
    main(*sys.argv[1:4])

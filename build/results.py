#!/usr/bin/env python3
"""Turn test output into one "PASS|FAIL|SKIP|CRASH name" line per test.

  results.py igt CONSOLE MODE    IGT-style output in a guest console log
  results.py kunit JSON          kunit.py --json output
  results.py piglit CONSOLE MODE build/guest-piglit.sh's runs of each test
                                 compared: PASS when they agree, and a line
                                 "piglit calm: ..." that summary shows
  results.py summary FILE...     add them up: "N passed, N failed, N skipped"
                                 (exit 1 on any failure or crash)
"""
import json
import re
import sys

SUBTEST = re.compile(r'Subtest (\S+): (SUCCESS|FAIL|SKIP|CRASH|TIMEOUT)')
STATUS = {'SUCCESS': 'PASS', 'FAIL': 'FAIL', 'SKIP': 'SKIP',
          'CRASH': 'CRASH', 'TIMEOUT': 'FAIL'}


def ktap(console, mode):
    """KUnit test cases that ran at boot: the indented KTAP result lines."""
    suite = None
    with open(console, errors='replace') as f:
        for line in f:
            # Without the printk timestamp, KTAP's indentation is back.
            line = re.sub(r'^\[\s*\d+\.\d+\] ', '', line.rstrip('\r\n'))
            m = re.search(r'# Subtest: (\S+)', line)
            if m:
                suite = m.group(1)
                continue
            m = re.match(r'^\s{4,}(not ok|ok) \d+ (\S+)(.*)$', line)
            if m and suite:
                status = 'FAIL' if m.group(1) == 'not ok' else 'PASS'
                if '# SKIP' in m.group(3):
                    status = 'SKIP'
                print(f'{status} {mode}:kunit.{suite}.{m.group(2)}')


def igt(console, mode):
    ktap(console, mode)
    test = None
    started = None
    seen = False
    with open(console, errors='replace') as f:
        for line in f:
            m = re.search(r'ZB-TEST-BEGIN (\S+)', line)
            if m:
                test, started, seen = m.group(1), None, False
                continue
            if test is None:
                continue
            m = re.search(r'Starting subtest: (\S+)', line)
            if m:
                started = m.group(1)
                continue
            m = SUBTEST.search(line)
            if m:
                print(f'{STATUS[m.group(2)]} {mode}:{test}.{m.group(1)}')
                started, seen = None, True
                continue
            m = re.search(r'ZB-TEST-END (\S+) rc=(\d+)', line)
            if m:
                rc = int(m.group(2))
                if started:
                    print(f'CRASH {mode}:{test}.{started} (exit {rc})')
                elif not seen:
                    # A whole test that ran no subtest: skipped or broken.
                    kind = 'SKIP' if rc == 77 else 'FAIL'
                    print(f'{kind} {mode}:{test} (exit {rc})')
                elif rc not in (0, 77, 98):
                    # Died outside a subtest, after reporting some.
                    print(f'CRASH {mode}:{test} (exit {rc})')
                test = None
    if test is not None:
        print(f'CRASH {mode}:{test}' + (f'.{started}' if started else '') +
              ' (guest ended inside the test)')


PIGLIT_RUNS = ('calm', 'loop', 'evicting', 'squeeze')
PIGLIT = re.compile(r'ZB-PIGLIT (calm|loop|evicting|squeeze) (\S+) result=(\S+)(.*)$')
# Under eviction most tests must have had BOs of their own evicted and
# restored, or the evicting run tested nothing the calm one did not.
PIGLIT_MIN_EVICTED = 0.75


def piglit(console, mode):
    runs = {r: {} for r in PIGLIT_RUNS}
    order = []
    finished = False
    restore_failures = 0
    with open(console, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            if 'ZB-PIGLIT-END' in line:
                finished = True
                lost = re.search(r'restore_failures=(\d+)', line)
                restore_failures = int(lost.group(1)) if lost else 0
            m = PIGLIT.search(line)
            if not m:
                continue
            run, name, result = m.group(1), m.group(2), m.group(3)
            fields = dict(kv.split('=', 1) for kv in m.group(4).split() if '=' in kv)
            fields['result'] = result
            runs[run][name] = fields
            if name not in order:
                order.append(name)
    counts = {r: {'pass': 0, 'fail': 0} for r in runs}
    differences = 0
    evicted = 0
    squeezed = 0
    tested = 0
    # The squeeze alone: the shrinker's evictions and restores, and the
    # tests where it evicted at all.
    shrunk = {'evictions': 0, 'restores': 0, 'tests': 0}
    for name in order:
        results = {r: runs[r].get(name, {}).get('result', 'missing') for r in PIGLIT_RUNS}
        for run, result in results.items():
            if result == 'pass':
                counts[run]['pass'] += 1
            elif result not in ('skip', 'missing'):
                counts[run]['fail'] += 1
        calm = results['calm']
        ev = runs['evicting'].get(name, {})
        evictions = int(ev.get('evictions', 0))
        restores = int(ev.get('restores', 0))
        sq = runs['squeeze'].get(name, {})
        info = (f'calm {calm}, loop {results["loop"]}, evicting {results["evicting"]}, '
                f'squeeze {results["squeeze"]}; '
                f'evicting: {evictions} evictions, '
                f'{restores} restores, limit {ev.get("limit_kib", "-")} KiB '
                f'hit {ev.get("max_hits", "-")} times, '
                f'{ev.get("zswpout", "-")} pages to zswap, '
                f'{ev.get("kernel_errors", "-")} kernel errors reported by Mesa, '
                f'{ev.get("oom_kills", "-")} OOM kills; '
                f'squeeze: {sq.get("evictions", "-")} evictions, '
                f'{sq.get("restores", "-")} restores, hit {sq.get("max_hits", "-")} times, '
                f'{sq.get("kernel_errors", "-")} kernel errors, '
                f'{sq.get("oom_kills", "-")} OOM kills')
        for k in ('evictions', 'restores'):
            shrunk[k] += int(sq.get(k, 0))
        if int(sq.get('evictions', 0)):
            shrunk['tests'] += 1
        if len(set(results.values())) > 1:
            differences += 1
            print(f'FAIL {mode}:{name} (differs: {info})')
            continue
        if calm == 'skip':
            print(f'SKIP {mode}:{name} ({info})')
            continue
        tested += 1
        if evictions and restores:
            evicted += 1
        if int(ev.get('max_hits', 0)):
            squeezed += 1
        print(f'PASS {mode}:{name} ({info})')
    if not order:
        print(f'CRASH {mode} (no piglit result)')
    elif not finished:
        print(f'CRASH {mode} (the piglit runs did not finish)')
    if restore_failures:
        print(f'FAIL {mode}:restore-failures ({restore_failures} BOs could not be restored)')
    if tested and evicted < PIGLIT_MIN_EVICTED * tested:
        print(f'FAIL {mode}:evictions (only {evicted} of {tested} tests had '
              f'BOs evicted and restored under eviction)')
    print(f"piglit calm: {counts['calm']['pass']} passed, {counts['calm']['fail']} failed; "
          f"evicting: {counts['evicting']['pass']} passed, "
          f"{counts['evicting']['fail']} failed; differences: {differences} "
          f"(the loop alone: {counts['loop']['pass']} passed, {counts['loop']['fail']} failed; "
          f"{evicted} of {tested} tests saw evictions and restores, "
          f"{squeezed} reached their limit; the squeeze alone: "
          f"{counts['squeeze']['pass']} passed, {counts['squeeze']['fail']} failed, "
          f"the shrinker evicted {shrunk['evictions']} and restored {shrunk['restores']} "
          f"in {shrunk['tests']} tests)")


def kunit(path):
    def walk(group, prefix):
        for case in group.get('test_cases', []):
            status = case.get('status', 'FAIL')
            status = {'PASS': 'PASS', 'SKIP': 'SKIP'}.get(status, 'FAIL')
            print(f'{status} kunit:{prefix}{case["name"]}')
        for sub in group.get('sub_groups', []):
            walk(sub, f'{sub["name"]}.')
    with open(path) as f:
        walk(json.load(f), '')


def summary(files):
    counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0, 'CRASH': 0}
    for path in files:
        with open(path) as f:
            for line in f:
                kind = line.split(' ', 1)[0]
                if kind in counts:
                    counts[kind] += 1
                if kind in ('FAIL', 'CRASH'):
                    print('failed: ' + line.strip())
                if line.startswith('piglit calm:'):
                    print(line.strip())
    failed = counts['FAIL'] + counts['CRASH']
    print(f"{counts['PASS']} passed, {failed} failed, {counts['SKIP']} skipped")
    return 1 if failed or not counts['PASS'] else 0


if __name__ == '__main__':
    if sys.argv[1] == 'igt':
        igt(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'piglit':
        piglit(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'kunit':
        kunit(sys.argv[2])
    elif sys.argv[1] == 'summary':
        sys.exit(summary(sys.argv[2:]))
    else:
        sys.exit(__doc__)

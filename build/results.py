#!/usr/bin/env python3
"""Turn test output into one "PASS|FAIL|SKIP|CRASH name" line per test.

  results.py igt CONSOLE MODE    IGT-style output in a guest console log
  results.py kunit JSON          kunit.py --json output
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
    failed = counts['FAIL'] + counts['CRASH']
    print(f"{counts['PASS']} passed, {failed} failed, {counts['SKIP']} skipped")
    return 1 if failed or not counts['PASS'] else 0


if __name__ == '__main__':
    if sys.argv[1] == 'igt':
        igt(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'kunit':
        kunit(sys.argv[2])
    elif sys.argv[1] == 'summary':
        sys.exit(summary(sys.argv[2:]))
    else:
        sys.exit(__doc__)

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The host's side of a guest test that must see what the host sees.

  guest-host.py HOST_SOCKET QMP_SOCKET DIR

Serves the guest's second serial port (/dev/ttyS1, a UNIX socket on the
host) for as long as QEMU runs.  The one request, a line "SCREENDUMP",
takes a screendump of the guest's display through QMP into DIR and
answers "SCREEN <width> <height> <fnv1a-64 of the RGB pixels, hex>", or
"ERROR <reason>".  The guest compares that hash with the one of what it
put on the screen: in a 2D guest the display is the host's copy of the
framebuffer, the only way back from the host.
"""
import json
import os
import socket
import sys
import time


def connect(path, tries=200):
    for _ in range(tries):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            time.sleep(0.05)
    return None


class Qmp:
    def __init__(self, path):
        self.sock = connect(path)
        if not self.sock:
            raise OSError('no QMP socket at ' + path)
        self.f = self.sock.makefile('rw')
        self.reply()                    # the greeting
        self.command('qmp_capabilities')

    def reply(self):
        while True:
            msg = json.loads(self.f.readline())
            if 'event' not in msg:
                return msg

    def command(self, name, **args):
        self.f.write(json.dumps({'execute': name, 'arguments': args}) + '\n')
        self.f.flush()
        msg = self.reply()
        if 'error' in msg:
            raise OSError(msg['error'].get('desc', 'QMP error'))
        return msg['return']


def ppm_hash(path):
    data = open(path, 'rb').read()
    # P6 <w> <h> <max>, whitespace separated, then one byte of whitespace.
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pixels = data[pos + 1:]
    h = 0xcbf29ce484222325
    for b in pixels:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return int(fields[1]), int(fields[2]), h


def main():
    host_path, qmp_path, out = sys.argv[1:4]
    guest = connect(host_path)
    if not guest:
        sys.exit('guest-host: no socket at ' + host_path)
    qmp = None
    n = 0
    for line in guest.makefile('r'):
        if line.strip() != 'SCREENDUMP':
            continue
        n += 1
        try:
            qmp = qmp or Qmp(qmp_path)
            path = os.path.join(out, 'screendump-%d.ppm' % n)
            qmp.command('screendump', filename=path)
            w, h, fnv = ppm_hash(path)
            answer = 'SCREEN %d %d %016x\n' % (w, h, fnv)
        except (OSError, ValueError, IndexError) as e:
            answer = 'ERROR %s\n' % e
        guest.sendall(answer.encode())


if __name__ == '__main__':
    main()

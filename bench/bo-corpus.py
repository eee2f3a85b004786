#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Build the buffer-object corpus of the drm_gem_zswap benchmark.

  bo-corpus.py OUT_DIR

Writes one file per buffer object, in the layout a GL driver would give
the buffer, and a manifest (OUT_DIR/manifest: "name kind bytes" lines):

  texture  glmark2-data's textures, decoded to RGBA8 with their full
           mipmap chain (box-filtered), as glmark2 uploads them;
  model    glmark2-data's models as the vertex arrays glmark2 draws:
           interleaved float32 position, normal and texture coordinate
           of every triangle corner;
  zero     zero-filled buffers, as freshly allocated;
  cleared  a 1920x1080 colour buffer cleared to one colour and a depth
           buffer cleared to 1.0;
  frame    frames rendered by glmark2 (glmark2-x11 on Mesa's llvmpipe under
           Xvfb), read back from the X server as RGBA (FRAMES=0 skips).
"""
import array
import math
import os
import struct
import subprocess
import sys
import tempfile
import time

from PIL import Image

GLMARK2 = '/usr/share/glmark2'


def mip_chain(im):
    """RGBA8 bytes of @im and every smaller level down to 1x1."""
    im = im.convert('RGBA')
    out = [im.tobytes()]
    w, h = im.size
    while w > 1 or h > 1:
        w, h = max(1, w // 2), max(1, h // 2)
        im = im.resize((w, h), Image.BOX)
        out.append(im.tobytes())
    return b''.join(out)


def obj_triangles(path):
    """Triangles of a Wavefront .obj file: lists of 3 (pos, uv) corners."""
    pos, uv, tris = [], [], []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == 'v':
                pos.append(tuple(float(x) for x in w[1:4]))
            elif w[0] == 'vt':
                uv.append(tuple(float(x) for x in w[1:3]))
            elif w[0] == 'f':
                corners = []
                for c in w[1:]:
                    idx = c.split('/')
                    p = pos[int(idx[0]) - 1]
                    t = uv[int(idx[1]) - 1] if len(idx) > 1 and idx[1] else (0.0, 0.0)
                    corners.append((p, t))
                for i in range(1, len(corners) - 1):
                    tris.append((corners[0], corners[i], corners[i + 1]))
    return tris


def tds_triangles(path):
    """Triangles of every mesh of a 3D Studio (.3ds) file."""
    data = open(path, 'rb').read()
    tris = []

    def walk(off, end, mesh):
        while off + 6 <= end:
            cid, clen = struct.unpack_from('<HI', data, off)
            body, nxt = off + 6, off + clen
            if clen < 6 or nxt > end:
                return
            if cid in (0x4d4d, 0x3d3d, 0x4100):
                walk(body, nxt, mesh)
            elif cid == 0x4000:
                # Object block: a name, then its chunks.
                name_end = data.index(b'\0', body) + 1
                m = {'pos': [], 'uv': [], 'faces': []}
                walk(name_end, nxt, m)
                for a, b, c in m['faces']:
                    tris.append(tuple((m['pos'][i], m['uv'][i] if i < len(m['uv'])
                                       else (0.0, 0.0)) for i in (a, b, c)))
            elif cid == 0x4110:
                n, = struct.unpack_from('<H', data, body)
                mesh['pos'] = [struct.unpack_from('<3f', data, body + 2 + 12 * i)
                               for i in range(n)]
            elif cid == 0x4140:
                n, = struct.unpack_from('<H', data, body)
                mesh['uv'] = [struct.unpack_from('<2f', data, body + 2 + 8 * i)
                              for i in range(n)]
            elif cid == 0x4120:
                n, = struct.unpack_from('<H', data, body)
                mesh['faces'] = [struct.unpack_from('<3H', data, body + 2 + 8 * i)
                                 for i in range(n)]
            off = nxt

    walk(0, len(data), None)
    return tris


def vertex_array(tris):
    """Interleaved float32 position, face normal and uv of every corner."""
    out = array.array('f')
    for corners in tris:
        (p0, _), (p1, _), (p2, _) = corners
        u = [p1[i] - p0[i] for i in range(3)]
        v = [p2[i] - p0[i] for i in range(3)]
        n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
             u[0] * v[1] - u[1] * v[0]]
        ln = math.sqrt(sum(x * x for x in n)) or 1.0
        n = [x / ln for x in n]
        for p, t in corners:
            out.extend(p)
            out.extend(n)
            out.extend(t)
    return out.tobytes()


def xwd_rgba(path):
    """RGBA8 bytes of a 24-bit ZPixmap X window dump, as xwd writes it."""
    data = open(path, 'rb').read()
    h = struct.unpack_from('>25I', data)
    header_size, width, height = h[0], h[4], h[5]
    byte_order, bpp, bytes_per_line, ncolors = h[7], h[11], h[12], h[19]
    if h[2] != 2 or bpp != 32:
        sys.exit('bench: unexpected xwd format in ' + path)
    pixels = data[header_size + 12 * ncolors:]
    raw = 'BGRX' if byte_order == 0 else 'XRGB'
    im = Image.frombuffer('RGBX', (width, height), pixels, 'raw', raw,
                          bytes_per_line, 1)
    return im.convert('RGBA').tobytes()


def glmark2_frames(count):
    """@count frames of glmark2 scenes, grabbed from Xvfb as RGBA."""
    frames = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, LIBGL_ALWAYS_SOFTWARE='1')
        xvfb = subprocess.Popen(['Xvfb', ':77', '-screen', '0', '1024x768x24'],
                                stderr=subprocess.DEVNULL)
        time.sleep(1)
        env['DISPLAY'] = ':77'
        scenes = ['texture', 'shading:shading=phong', 'terrain', 'jellyfish',
                  'desktop', 'refract']
        gl = subprocess.Popen(['glmark2', '-s', '1024x768'] +
                              sum((['-b', s + ':duration=3'] for s in scenes), []),
                              env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        try:
            time.sleep(2)
            for i in range(count):
                xwd = os.path.join(tmp, 'f.xwd')
                subprocess.run(['xwd', '-root', '-silent', '-out', xwd],
                               env=env, check=True)
                frames.append(xwd_rgba(xwd))
                time.sleep(3)
        finally:
            gl.kill()
            xvfb.kill()
    return frames


def main(out):
    os.makedirs(out, exist_ok=True)
    bos = []

    def add(name, kind, data):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
        bos.append((name, kind, len(data)))

    for t in sorted(os.listdir(os.path.join(GLMARK2, 'textures'))):
        im = Image.open(os.path.join(GLMARK2, 'textures', t))
        add('tex-' + os.path.splitext(t)[0], 'texture', mip_chain(im))
    for m in sorted(os.listdir(os.path.join(GLMARK2, 'models'))):
        path = os.path.join(GLMARK2, 'models', m)
        if m.endswith('.obj'):
            tris = obj_triangles(path)
        elif m.endswith('.3ds'):
            tris = tds_triangles(path)
        else:
            continue
        if tris:
            add('model-' + os.path.splitext(m)[0], 'model', vertex_array(tris))
    add('zero-4m', 'zero', bytes(4 << 20))
    add('zero-16m', 'zero', bytes(16 << 20))
    add('clear-color-1080p', 'cleared', bytes([0x1e, 0x1e, 0x2e, 0xff]) * (1920 * 1080))
    add('clear-depth-1080p', 'cleared', struct.pack('<f', 1.0) * (1920 * 1080))
    for i, frame in enumerate(glmark2_frames(int(os.environ.get('FRAMES', '4')))):
        add('frame-%d' % i, 'frame', frame)

    with open(os.path.join(out, 'manifest'), 'w') as f:
        for name, kind, size in bos:
            f.write('%s %s %d\n' % (name, kind, size))
    total = sum(b[2] for b in bos)
    print('bench: BO corpus: %d buffers, %.1f MiB (%s)' %
          (len(bos), total / 2**20,
           ', '.join('%d %s' % (sum(1 for b in bos if b[1] == k), k)
                     for k in ('texture', 'model', 'zero', 'cleared', 'frame'))))


if __name__ == '__main__':
    main(sys.argv[1])

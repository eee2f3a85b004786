#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Data for the demo's windows, from Debian's glmark2-data.

  demo-data.py OUT_DIR

Writes OUT_DIR/tex-NN.rgba, glmark2's images as 512x512 RGBA (1 MiB
each), and OUT_DIR/model-NN.vbo, its models as the vertex arrays a GL
program draws (interleaved float32 position, normal and uv of every
triangle corner, as bench/bo-corpus.py builds them).
"""
import importlib.util
import os
import sys

from PIL import Image

GLMARK2 = '/usr/share/glmark2'
SIZE = 512


def corpus_module():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench',
                        'bo-corpus.py')
    spec = importlib.util.spec_from_file_location('bo_corpus', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    src = os.path.join(GLMARK2, 'textures')
    names = sorted(n for n in os.listdir(src)
                   if n.lower().endswith(('.png', '.jpg', '.jpeg')))
    if not names:
        sys.exit('demo-data: no images in %s (make deps)' % src)
    for i, name in enumerate(names):
        im = Image.open(os.path.join(src, name)).convert('RGBA')
        im = im.resize((SIZE, SIZE), Image.BILINEAR)
        with open(os.path.join(out, 'tex-%02d.rgba' % i), 'wb') as f:
            f.write(im.tobytes())

    bc = corpus_module()
    models = 0
    for name in sorted(os.listdir(os.path.join(GLMARK2, 'models'))):
        path = os.path.join(GLMARK2, 'models', name)
        if name.endswith('.obj'):
            tris = bc.obj_triangles(path)
        elif name.endswith('.3ds'):
            tris = bc.tds_triangles(path)
        else:
            continue
        # The small ones add draws but no memory.
        if len(tris) < 1000:
            continue
        with open(os.path.join(out, 'model-%02d.vbo' % models), 'wb') as f:
            f.write(bc.vertex_array(tris))
        models += 1
    print('demo-data: %d textures, %d models in %s' % (len(names), models, out))


if __name__ == '__main__':
    main()

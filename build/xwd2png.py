#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Convert an X window dump (xwd -root, 24 or 32 bits per pixel, TrueColor)
to PNG, cropped to what is not the black root window.

  xwd2png.py IN.xwd OUT.png
"""
import struct
import sys

from PIL import Image


def main():
    data = open(sys.argv[1], 'rb').read()
    # XWDFileHeader: 25 big-endian CARD32 fields, then the window name.
    h = struct.unpack_from('>25I', data)
    header_size, width, height = h[0], h[4], h[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = h[7], h[11], h[12], h[19]
    if bits_per_pixel not in (24, 32):
        sys.exit('xwd2png: %d bits per pixel is not supported' % bits_per_pixel)
    pixels = data[header_size + 12 * ncolors:]
    if bits_per_pixel == 32:
        raw = 'BGRX' if byte_order == 0 else 'XRGB'
    else:
        raw = 'BGR' if byte_order == 0 else 'RGB'
    im = Image.frombytes('RGB', (width, height), pixels, 'raw', raw, bytes_per_line)
    box = im.getbbox()
    if box:
        im = im.crop(box)
    im.save(sys.argv[2])


if __name__ == '__main__':
    main()

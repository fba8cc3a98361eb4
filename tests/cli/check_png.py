#!/usr/bin/env python3
"""Checks that each file is a complete PNG of the expected size (default 1200x700)
whose border is blank: a legend or a label that runs off the image leaves ink
on its outermost pixels, which a figure drawn within its bounds never does.
Usage: check_png.py [--size WxH] FILE..."""
import struct
import sys
import zlib

args = sys.argv[1:]
width, height = 1200, 700
if args and args[0] == "--size":
    width, height = (int(v) for v in args[1].split("x"))
    args = args[2:]
BORDER = 2  # pixels on each side that must be background


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def rows_of(header, idat):
    """The unfiltered scanlines of an 8-bit RGB or RGBA image."""
    w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, previous = [], bytearray(stride)
    for y in range(h):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + (0, a, b, (a + b) // 2, paeth(a, b, c))[kind]) & 0xFF
        rows.append(line)
        previous = line
    return rows, bpp


def ink_on_border(rows, bpp):
    """The first (x, y) of the border that is not the background, or None."""
    background = b"\xff\xff\xff"  # the figures are drawn on white
    h, w = len(rows), len(rows[0]) // bpp
    for y in range(h):
        xs = range(w) if y < BORDER or y >= h - BORDER else list(range(BORDER)) + list(range(w - BORDER, w))
        for x in xs:
            if bytes(rows[y][x * bpp:x * bpp + 3]) != background:
                return x, y
    return None


failed = False
for path in args:
    try:
        data = open(path, "rb").read()
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError("not a PNG signature")
        pos, chunks = 8, []
        while pos < len(data):  # walk every chunk and check its CRC: a truncated file fails here
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
            if zlib.crc32(kind + body) != crc:
                raise ValueError(f"bad CRC in chunk {kind!r}")
            chunks.append((kind, body))
            pos += 12 + length
        if chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
            raise ValueError("missing IHDR or IEND")
        w, h = struct.unpack(">II", chunks[0][1][:8])
        if (w, h) != (width, height):
            raise ValueError(f"{w}x{h}, expected {width}x{height}")
        ink = ink_on_border(*rows_of(chunks[0][1], b"".join(body for kind, body in chunks if kind == b"IDAT")))
        if ink:
            raise ValueError(f"ink on the border at {ink}: a legend or label runs off the image")
        print(f"ok: {path} {w}x{h}")
    except (OSError, ValueError, struct.error, IndexError) as error:
        print(f"BAD: {path}: {error}", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)

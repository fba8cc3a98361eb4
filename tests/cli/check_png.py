#!/usr/bin/env python3
"""Checks that each file is a complete PNG of the expected size (default 1200x700).
Usage: check_png.py [--size WxH] FILE..."""
import struct
import sys
import zlib

args = sys.argv[1:]
width, height = 1200, 700
if args and args[0] == "--size":
    width, height = (int(v) for v in args[1].split("x"))
    args = args[2:]
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
        print(f"ok: {path} {w}x{h}")
    except (OSError, ValueError, struct.error, IndexError) as error:
        print(f"BAD: {path}: {error}", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)

"""Regenerates the small gzip and IDX samples used by TrainKitDataTests (python3, standard library only).

The payload is a pure function mirrored in GzipTests.swift (`samplePayload`): text lines with many
repeats (long matches) followed by skewed pseudo-random bytes (rare symbols, so codes longer than the
decoder's first-level table).
"""
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).parent


def payload():
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
    out = bytearray()
    for i in range(800):
        out += f"line {i}: {i * i % 9973} {words[i % 7]} {words[(i * 3) % 7]}\n".encode()
    x = 12345
    for _ in range(8000):
        x = (x * 1103515245 + 12345) % (1 << 31)
        r = (x >> 16) & 0xFF
        out.append((r * r) >> 8)
    return bytes(out)


def member(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY, flags=0, name=b"", comment=b"", extra=b""):
    header = bytearray(b"\x1f\x8b\x08" + bytes([flags]) + struct.pack("<I", 0) + b"\x00\x03")
    if flags & 0x04:
        header += struct.pack("<H", len(extra)) + extra
    if flags & 0x08:
        header += name + b"\x00"
    if flags & 0x10:
        header += comment + b"\x00"
    if flags & 0x02:
        header += struct.pack("<H", zlib.crc32(bytes(header)) & 0xFFFF)
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    body = c.compress(data) + c.flush()
    return bytes(header) + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


data = payload()
(HERE / "gzip/dynamic.gz").write_bytes(member(data, 9, flags=0x08, name=b"payload.txt"))
(HERE / "gzip/fixed.gz").write_bytes(member(data, 6, zlib.Z_FIXED))
(HERE / "gzip/stored.gz").write_bytes(member(data[:3000], 0))
half = len(data) // 2
(HERE / "gzip/multimember.gz").write_bytes(
    member(data[:half], 1) + member(data[half:], 9, flags=0x1E, name=b"b", comment=b"second member", extra=b"xy"))

# IDX: 3 images of 2x3 pixels and their labels.
pixels = bytes([0, 255, 128, 1, 2, 3, 10, 20, 30, 40, 50, 60, 255, 254, 253, 0, 0, 0])
images = struct.pack(">IIII", 0x803, 3, 2, 3) + pixels
labels = struct.pack(">II", 0x801, 3) + bytes([7, 0, 9])
(HERE / "idx/images-idx3-ubyte.gz").write_bytes(member(images, 9))
(HERE / "idx/labels-idx1-ubyte").write_bytes(labels)

# CSV: quoting (embedded delimiter, doubled quotes, line break), CRLF, missing values; a Latin-1 file.
(HERE / "csv/quoted.csv").write_bytes(
    b'id,name,score,comment\r\n1,"Smith, Anna",3.5,"said ""hi"""\r\n2,Bob,NA,"two\r\nlines"\r\n'
    b'3,,?,plain\r\n4,"Dee",-1e2,\r\n')
(HERE / "csv/latin1.csv").write_bytes(b"city;population\nS\xe3o Paulo;12.3\nM\xfcnchen;1.5\n")

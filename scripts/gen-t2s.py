#!/usr/bin/env python3
"""Generates src/normalize/t2s.txt, the traditional → simplified character table, from OpenCC.

Usage: pip download --no-deps opencc-python-reimplemented==0.1.7 -d /tmp/occ
       python3 scripts/gen-t2s.py /tmp/occ/opencc_python_reimplemented-0.1.7-py2.py3-none-any.whl

The table is OpenCC's TSCharacters.txt (Apache-2.0, (c) BYVoid and contributors) reduced to one-character
mappings; where OpenCC lists several simplified candidates the first, its preferred one, is kept.
Output: src/normalize/t2s.bin, pairs sorted by the traditional character, each as two LEB128 varints:
the traditional code point minus the previous one, then the simplified code point.
"""
import sys, zipfile

with zipfile.ZipFile(sys.argv[1]) as whl:
    text = whl.read("opencc/dictionary/TSCharacters.txt").decode("utf-8")
pairs = {}
for line in text.splitlines():
    if not line.strip():
        continue
    trad, simp = line.split("\t")
    simp = simp.split(" ")[0]
    if len(trad) == 1 and len(simp) == 1 and trad != simp:
        pairs[trad] = simp
def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return out

out, previous = bytearray(), 0
for trad, simp in sorted(pairs.items()):
    out += varint(ord(trad) - previous) + varint(ord(simp))
    previous = ord(trad)
with open("src/normalize/t2s.bin", "wb") as f:
    f.write(out)
print(f"{len(pairs)} pairs, {len(out)} bytes")

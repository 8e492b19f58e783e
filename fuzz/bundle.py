#!/usr/bin/env python3
"""Bundles of the docx and consultation_template fuzz targets (see
src/lib.rs): a zip's parts as text, each after a line `==> NAME`.

  bundle.py pack FILE.zip [PART...]   print FILE's parts (or only PARTs) as a bundle
  bundle.py unpack BUNDLE OUT         store BUNDLE's parts in the zip OUT,
                                      as the targets do (to read a crash with kaitei)
"""
import sys
import zipfile

PART = b"==> "


def pack(path, names):
    with zipfile.ZipFile(path) as z:
        out = []
        for info in z.infolist():
            if names and info.filename not in names:
                continue
            out.append(PART + info.filename.encode() + b"\n" + z.read(info))
    return b"\n".join(out)


def parts(data):
    # The same split as `bundle_parts` in src/lib.rs.
    assert data.startswith(PART), "not a bundle"
    rest = data
    while rest.startswith(PART):
        after = rest[len(PART):]
        end = after.find(b"\n")
        end = len(after) if end < 0 else end
        name = after[:end].decode("utf-8", "replace").strip()
        body_and_more = after[end + 1:]
        nxt = body_and_more.find(b"\n" + PART)
        if nxt < 0:
            yield name, body_and_more
            return
        yield name, body_and_more[:nxt]
        rest = body_and_more[nxt + 1:]


def unpack(data, out):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        seen = set()
        for name, body in parts(data):
            if name in seen:
                continue
            seen.add(name)
            z.writestr(name, body)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "pack":
        sys.stdout.buffer.write(pack(sys.argv[2], set(sys.argv[3:])))
    elif len(sys.argv) == 4 and sys.argv[1] == "unpack":
        with open(sys.argv[2], "rb") as f:
            unpack(f.read(), sys.argv[3])
    else:
        sys.exit(__doc__)

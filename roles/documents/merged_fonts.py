"""One embedded font where a merged PDF had one per part.

Every part of the handbook is its own WeasyPrint document, so each embeds its own subset of
the same CJK face (about 230 KB each: WeasyPrint keeps the glyph ids, and CJK ids run high).
Because the ids are kept, the parts' subsets are interchangeable for every glyph they share:
`share_fonts` subsets the installed face once more with the union of the glyphs the parts use
(HarfBuzz, as WeasyPrint does), and points every page at that one font, with the union of the
parts' widths and Unicode maps.

A face is merged only when fontconfig finds it and its `head` table (revision, dates, units)
matches the embedded subsets'; otherwise the parts keep their own copies (a bigger file, never a
wrong glyph).
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
from collections import defaultdict
from functools import lru_cache

import cffi
from fontTools.ttLib import TTFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

logger = logging.getLogger(__name__)

_HB_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
void hb_blob_destroy(hb_blob_t *blob);
void hb_face_destroy(hb_face_t *face);
void hb_set_add(hb_set_t *set, unsigned int codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
void hb_subset_input_destroy(hb_subset_input_t *input);
"""
# The flags WeasyPrint subsets with: keep glyph ids, keep unknown tables, no subroutines, no
# hinting.
_SUBSET_FLAGS = 0x2 | 0x20 | 0x4 | 0x1
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


@lru_cache(maxsize=1)
def _harfbuzz():
    ffi = cffi.FFI()
    ffi.cdef(_HB_DECLARATIONS)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


@lru_cache(maxsize=32)
def _installed_face(base_name: str) -> tuple[str, int] | None:
    """File and index of the installed face WeasyPrint names `base_name` (its Pango
    description with dashes for spaces, e.g. "Noto-Sans-CJK-SC" or "Noto-Sans-CJK-SC-Bold")."""
    words = base_name.split("-")
    style = ""
    if words and words[-1] in {"Bold", "Light", "Medium", "Thin", "Black", "Italic"}:
        style = words.pop()
    pattern = " ".join(words) + (f":style={style}" if style else "")
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", pattern],
            capture_output=True,
            check=True,
            timeout=10,
            text=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _sep, index = found.partition("|")
    return (path, int(index or 0)) if path else None


def _head_identity(font: TTFont) -> tuple:
    head = font["head"]
    return (head.fontRevision, head.created, head.modified, head.unitsPerEm)


def _subset(path: str, index: int, glyphs: set[int]) -> bytes | None:
    ffi, harfbuzz, harfbuzz_subset = _harfbuzz()
    blob = harfbuzz.hb_blob_create_from_file(path.encode())
    face = harfbuzz.hb_face_create(blob, index)
    subset_input = harfbuzz_subset.hb_subset_input_create_or_fail()
    try:
        if max(glyphs) >= harfbuzz.hb_face_get_glyph_count(face):
            return None
        glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
        for glyph in sorted(glyphs):
            harfbuzz.hb_set_add(glyph_set, glyph)
        harfbuzz_subset.hb_subset_input_set_flags(subset_input, _SUBSET_FLAGS)
        subset = harfbuzz_subset.hb_subset_or_fail(face, subset_input)
        if subset == ffi.NULL:
            return None
        result = harfbuzz.hb_face_reference_blob(subset)
        length = ffi.new("unsigned int *")
        data = ffi.buffer(harfbuzz.hb_blob_get_data(result, length), length[0])[:]
        harfbuzz.hb_blob_destroy(result)
        harfbuzz.hb_face_destroy(subset)
        return data
    finally:
        harfbuzz_subset.hb_subset_input_destroy(subset_input)
        harfbuzz.hb_face_destroy(face)
        harfbuzz.hb_blob_destroy(blob)


def cid_widths(descendant) -> dict[int, float]:
    """Glyph widths from a CIDFont's /W array ([c [w1 w2 …]] or [c_first c_last w])."""
    widths: dict[int, float] = {}
    items = list(descendant.get("/W", []))
    index = 0
    while index + 1 < len(items):
        first = int(items[index])
        following = items[index + 1].get_object()
        if isinstance(following, list):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(following) + 1):
                widths[code] = float(items[index + 2])
            index += 3
    return widths


def _unicode_map(font) -> dict[int, bytes]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    return {int(code, 16): text for code, text in _BFCHAR.findall(stream.get_object().get_data())}


def _unicode_stream(mapping: dict[int, bytes]) -> DecodedStreamObject:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(b"<%04x> <%s>" % (code, text) for code, text in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(lines))
    return stream


def _width_array(widths: dict[int, float]) -> ArrayObject:
    array = ArrayObject()
    run: list[float] = []
    start = None
    for code in sorted(widths):
        if start is not None and code == start + len(run):
            run.append(widths[code])
            continue
        if start is not None:
            array += [NumberObject(start), ArrayObject(FloatObject(w) for w in run)]
        start, run = code, [widths[code]]
    if start is not None:
        array += [NumberObject(start), ArrayObject(FloatObject(w) for w in run)]
    return array


def share_fonts(writer: PdfWriter) -> int:
    """Give every face embedded more than once in `writer` one embedded subset; returns how
    many faces were merged."""
    groups: dict[str, dict[int, IndirectObject]] = defaultdict(dict)
    uses: list[tuple[DictionaryObject, NameObject, str, int]] = []
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font")
        if fonts is None:
            continue
        fonts = fonts.get_object()
        for name, reference in fonts.items():
            if not isinstance(reference, IndirectObject):
                continue
            font = reference.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            base = str(font.get("/BaseFont", "")).lstrip("/").partition("+")[2]
            if not base:
                continue
            groups[base][reference.idnum] = reference
            uses.append((fonts, NameObject(name), base, reference.idnum))
    merged: dict[str, IndirectObject] = {}
    for base, references in groups.items():
        if len(references) < 2:
            continue
        shared = _merge_group(writer, base, list(references.values()))
        if shared is not None:
            merged[base] = shared
    for fonts, name, base, _idnum in uses:
        if base in merged:
            fonts[name] = merged[base]
    for base in merged:
        for reference in groups[base].values():
            _empty(reference.get_object())
    return len(merged)


def _empty(font) -> None:
    """Empty the streams of a font no page uses any more (pypdf writes every object it was
    given, used or not; emptying is cheaper than its pass that finds the unused ones)."""
    font["/ToUnicode"].get_object().set_data(b"")
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    for key in ("/FontFile3", "/FontFile2", "/CIDSet"):
        if key in descriptor:
            descriptor[key].get_object().set_data(b"")


def _merge_group(writer: PdfWriter, base: str, references: list[IndirectObject]):
    installed = _installed_face(base)
    if installed is None:
        return None
    path, index = installed
    glyphs: set[int] = {0}
    widths: dict[int, float] = {}
    unicode_map: dict[int, bytes] = {}
    identities = set()
    for reference in references:
        font = reference.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        if program is None:
            return None
        part_widths = cid_widths(descendant)
        widths.update(part_widths)
        glyphs.update(part_widths)
        part_map = _unicode_map(font)
        # One glyph may draw two characters ("·" and "•" in Noto CJK); a font has one map, so
        # the first part's reading wins, as in a single document.
        for code, text in part_map.items():
            unicode_map.setdefault(code, text)
        glyphs.update(part_map)
        if not identities:
            try:
                identities.add(_head_identity(TTFont(io.BytesIO(program.get_object().get_data()))))
            except Exception:  # noqa: BLE001 - fontTools raises many kinds of errors
                return None
    try:
        original = _head_identity(TTFont(path, fontNumber=index, lazy=True))
    except Exception:  # noqa: BLE001
        return None
    if identities != {original}:
        logger.info("not merging %s: the installed face is not the embedded one", base)
        return None
    data = _subset(path, index, glyphs)
    if data is None:
        return None

    first = references[0].get_object()
    descendant = first["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"].get_object()
    key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
    program = DecodedStreamObject()
    program.set_data(data)
    program = program.flate_encode()
    old_program = descriptor[key].get_object()
    for entry in ("/Subtype", "/Length1"):
        if entry in old_program:
            program[NameObject(entry)] = (
                old_program[entry] if entry == "/Subtype" else NumberObject(len(data))
            )
    new_descriptor = DictionaryObject(
        {k: v for k, v in descriptor.items() if k not in (key, "/CIDSet")}
    )
    new_descriptor[NameObject(key)] = writer._add_object(program)
    new_descendant = DictionaryObject({k: v for k, v in descendant.items()})
    new_descendant[NameObject("/FontDescriptor")] = writer._add_object(new_descriptor)
    new_descendant[NameObject("/W")] = _width_array(widths)
    new_font = DictionaryObject({k: v for k, v in first.items()})
    new_font[NameObject("/DescendantFonts")] = ArrayObject([writer._add_object(new_descendant)])
    new_font[NameObject("/ToUnicode")] = writer._add_object(
        _unicode_stream(unicode_map).flate_encode()
    )
    return writer._add_object(new_font)

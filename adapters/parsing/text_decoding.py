"""Bytes → str for the text formats (plain, Markdown, HTML), whatever encoding the file was saved in."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from application.ports.document_parser import UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """A BOM wins; then strict UTF-8 (most files, and detectors misjudge short UTF-8); then charset detection.

    A file mixing encodings decodes with the detector's best guess and replacement characters where bytes do
    not fit, rather than failing the whole document over a few characters.
    """
    text = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise UnreadableDocument("the document contains no text")
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None or best.encoding is None:
        raise UnreadableDocument("the file's text encoding could not be recognised")
    # Short texts often fit several single-byte code pages equally well; Windows-1252 is then the likeliest.
    tied = {m.encoding for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence}
    encoding = "cp1252" if "cp1252" in tied else best.encoding
    return data.decode(encoding, errors="replace")

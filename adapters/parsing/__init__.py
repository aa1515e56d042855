"""Document parsers: bytes of an uploaded file → plain text with pages and headings (``ParsedDocument``)."""

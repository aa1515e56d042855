"""The ONNX export of the bundled model, made once under the data directory and re-used on every later start.

Layout: ``<root>/<variant>/model.onnx`` beside ``manifest.json`` (the source it was made from, the onnxruntime
version whose optimizer fused it, and the file's SHA-256). A variant directory appears whole or not at all:
the export is written to a fresh temporary directory next to it and renamed into place, so a crash or a second
process exporting at the same time never leaves a half-written model where a reader looks. A missing, stale
(other weights, other onnxruntime) or corrupt (hash mismatch) export is made again and swapped in.

The model is handed out as the bytes that were hashed, not as a path, so what runs is exactly what was checked
even if another process swaps the directory meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.embedding.onnx_export import FILE_NAME, Variant, export_in_child_process

FORMAT = 1
"""Bump when the exported graph changes (inputs, pooling, fusion): older caches are then made again."""
MANIFEST = "manifest.json"
Exporter = Callable[[Path, Path, Variant], Path]
log = logging.getLogger(__name__)


class OnnxModelCache:
    def __init__(self, model_dir: Path, root: Path, exporter: Exporter = export_in_child_process) -> None:
        self._model_dir = model_dir
        self._root = root
        self._exporter = exporter
        self.exports = 0
        """Exports this instance made (for tests and logs; a cache hit makes none)."""

    def model_path(self, variant: Variant) -> Path:
        return self._root / variant / FILE_NAME

    def load(self, variant: Variant) -> bytes:
        """The verified model, exported first if there is none, or none that matches the source and its hash."""
        cached = self._read_valid(variant)
        if cached is not None:
            return cached
        return self._export(variant)

    def _read_valid(self, variant: Variant) -> bytes | None:
        directory = self._root / variant
        try:
            manifest = json.loads((directory / MANIFEST).read_text())
            model = (directory / FILE_NAME).read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("source") != self._source(variant):
            log.info("the ONNX model under %s was made from another source; exporting it again", directory)
            return None
        if manifest.get("sha256") != hashlib.sha256(model).hexdigest():
            log.warning("the ONNX model under %s is corrupt (hash mismatch); exporting it again", directory)
            return None
        return model

    def _export(self, variant: Variant) -> bytes:
        self._root.mkdir(parents=True, exist_ok=True)
        staging = self._root / f".{variant}-{uuid.uuid4().hex}.tmp"
        staging.mkdir()
        try:
            started = time.perf_counter()
            model = self._exporter(self._model_dir, staging, variant).read_bytes()
            manifest = {"source": self._source(variant), "sha256": hashlib.sha256(model).hexdigest()}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
            self._install(staging, self._root / variant)
            self.exports += 1
            log.info("exported the local embedding model to ONNX (%s) in %.1f s", variant,
                     time.perf_counter() - started)  # fmt: skip
            return model
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _install(self, staging: Path, target: Path) -> None:
        """Renames ``staging`` to ``target``, moving a previous ``target`` aside first (rename is atomic; a
        directory cannot be renamed over a non-empty one)."""
        retired = target.with_name(f".{target.name}-{uuid.uuid4().hex}.old")
        try:
            os.rename(target, retired)
        except FileNotFoundError:
            pass
        try:
            os.rename(staging, target)
        except OSError:
            pass  # another process installed its export in between: keep that one
        shutil.rmtree(retired, ignore_errors=True)

    def _source(self, variant: Variant) -> dict[str, Any]:
        import onnxruntime

        weights = (self._model_dir / "model.safetensors").stat()
        return {
            "format": FORMAT,
            "variant": variant,
            "model_dir": str(self._model_dir),
            "weights": [weights.st_size, weights.st_mtime_ns],
            "onnxruntime": onnxruntime.__version__,
        }

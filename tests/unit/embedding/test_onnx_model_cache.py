"""The ONNX export cache: made once, re-used while it matches its source and hash, made again otherwise. The
exporter here is a stand-in that writes known bytes (the real export is covered in tests/integration)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.embedding.onnx_export import FILE_NAME, Variant
from adapters.embedding.onnx_model_cache import MANIFEST, OnnxModelCache


class CountingExporter:
    def __init__(self) -> None:
        self.calls: list[Variant] = []

    def __call__(self, model_dir: Path, out_dir: Path, variant: Variant) -> Path:
        self.calls.append(variant)
        target = out_dir / FILE_NAME
        target.write_bytes(f"graph of {variant} #{len(self.calls)}".encode() * 1000)
        return target


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights")
    return folder


def test_the_first_load_exports_and_later_caches_reuse_the_file(model_dir: Path, tmp_path: Path) -> None:
    exporter = CountingExporter()
    first = OnnxModelCache(model_dir, tmp_path / "cache", exporter).load("fp32")
    path = OnnxModelCache(model_dir, tmp_path / "cache", exporter).model_path("fp32")
    written = path.stat()

    again = OnnxModelCache(model_dir, tmp_path / "cache", exporter)
    assert again.load("fp32") == first
    assert again.exports == 0 and exporter.calls == ["fp32"]
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["fp32"]  # no staging or retired directories left


def test_a_corrupt_model_file_is_exported_again_and_replaced(model_dir: Path, tmp_path: Path) -> None:
    exporter = CountingExporter()
    cache = OnnxModelCache(model_dir, tmp_path / "cache", exporter)
    cache.load("fp32")
    path = cache.model_path("fp32")
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # same size, one byte flipped
    path.write_bytes(bytes(damaged))

    reloaded = OnnxModelCache(model_dir, tmp_path / "cache", exporter)
    model = reloaded.load("fp32")

    assert reloaded.exports == 1 and model == path.read_bytes() and model != bytes(damaged)
    assert model.startswith(b"graph of fp32 #2")


@pytest.mark.parametrize("damage", ["delete the model", "truncate the manifest", "delete the manifest"])
def test_a_missing_or_unreadable_cache_is_exported_again(model_dir: Path, tmp_path: Path, damage: str) -> None:
    exporter = CountingExporter()
    cache = OnnxModelCache(model_dir, tmp_path / "cache", exporter)
    cache.load("fp32")
    manifest = cache.model_path("fp32").with_name(MANIFEST)
    if damage == "delete the model":
        cache.model_path("fp32").unlink()
    elif damage == "truncate the manifest":
        manifest.write_text(manifest.read_text()[:20])
    else:
        manifest.unlink()

    assert OnnxModelCache(model_dir, tmp_path / "cache", exporter).load("fp32").startswith(b"graph of fp32 #2")
    assert json.loads(manifest.read_text())["source"]["variant"] == "fp32"


def test_other_weights_or_another_variant_get_their_own_export(model_dir: Path, tmp_path: Path) -> None:
    exporter = CountingExporter()
    OnnxModelCache(model_dir, tmp_path / "cache", exporter).load("fp32")
    OnnxModelCache(model_dir, tmp_path / "cache", exporter).load("int8")
    (model_dir / "model.safetensors").write_bytes(b"other weights")  # a different wheel version
    OnnxModelCache(model_dir, tmp_path / "cache", exporter).load("fp32")

    assert exporter.calls == ["fp32", "int8", "fp32"]
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["fp32", "int8"]


def test_a_failed_export_leaves_the_cache_as_it_was(model_dir: Path, tmp_path: Path) -> None:
    def failing(model_dir: Path, out_dir: Path, variant: Variant) -> Path:
        (out_dir / FILE_NAME).write_bytes(b"half a graph")
        raise RuntimeError("exporter crashed")

    with pytest.raises(RuntimeError, match="exporter crashed"):
        OnnxModelCache(model_dir, tmp_path / "cache", failing).load("fp32")

    assert list((tmp_path / "cache").iterdir()) == []

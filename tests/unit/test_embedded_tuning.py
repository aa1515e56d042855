"""The embedded server's memory settings: ``auto`` sized for the machine or its container, explicit values kept."""

from pathlib import Path

import pytest

from adapters.postgres.embedded_tuning import CONF_NAME, INCLUDE_LINE, memory_limit, resolved, write_tuning

GB = 1024**3
AUTO = {name: "auto" for name in ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size")}


def test_auto_is_a_share_of_memory() -> None:
    assert resolved(AUTO, 8 * GB) == {
        "shared_buffers": "1024MB",
        "work_mem": "16MB",
        "maintenance_work_mem": "512MB",
        "effective_cache_size": "4096MB",
    }


def test_auto_stays_within_its_bounds() -> None:
    assert resolved(AUTO, GB // 2) == {
        "shared_buffers": "128MB",
        "work_mem": "4MB",
        "maintenance_work_mem": "64MB",
        "effective_cache_size": "512MB",
    }
    assert resolved(AUTO, 256 * GB) == {
        "shared_buffers": "2048MB",
        "work_mem": "32MB",
        "maintenance_work_mem": "1024MB",
        "effective_cache_size": "16384MB",
    }


def test_explicit_values_are_kept_as_given() -> None:
    assert resolved({"shared_buffers": "3GB", "work_mem": "AUTO"}, 8 * GB) == {
        "shared_buffers": "3GB",
        "work_mem": "16MB",
    }


def test_auto_needs_a_known_share() -> None:
    with pytest.raises(ValueError, match="temp_buffers"):
        resolved({"temp_buffers": "auto"}, 8 * GB)


def _cgroup(root: Path, relative: str, content: str) -> Path:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_text(content)
    return root


def test_a_container_limit_below_the_machine_is_the_memory(tmp_path: Path) -> None:
    machine = memory_limit(tmp_path / "none")
    assert machine > 0
    assert memory_limit(_cgroup(tmp_path / "v2", "memory.max", f"{GB}\n")) == min(GB, machine)
    assert memory_limit(_cgroup(tmp_path / "v1", "memory/memory.limit_in_bytes", f"{GB // 2}\n")) == min(
        GB // 2, machine
    )


def test_no_container_limit_leaves_the_machine(tmp_path: Path) -> None:
    machine = memory_limit(tmp_path / "none")
    assert memory_limit(_cgroup(tmp_path / "v2", "memory.max", "max\n")) == machine
    assert memory_limit(_cgroup(tmp_path / "v1", "memory/memory.limit_in_bytes", "9223372036854771712\n")) == machine


def test_the_conf_file_holds_the_sized_values(tmp_path: Path) -> None:
    (tmp_path / "postgresql.conf").write_text("# initdb's\n")
    write_tuning(tmp_path, {**AUTO, "work_mem": "8MB"}, memory=4 * GB)
    written = (tmp_path / CONF_NAME).read_text()
    assert "shared_buffers = '512MB'" in written
    assert "work_mem = '8MB'" in written
    assert "jit = 'off'" in written
    write_tuning(tmp_path, AUTO, memory=4 * GB)  # every start: the include is added once
    assert (tmp_path / "postgresql.conf").read_text().count(INCLUDE_LINE) == 1

from pathlib import Path

import pytest

from entrypoints.settings_loading import SettingsError, env_names, load_settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_defaults_are_embedded():
    settings = load_settings({})
    assert settings.embedded
    assert settings.port == 8000


def test_environment_overrides_are_typed():
    settings = load_settings({"RAGCHAT_PORT": "9001", "RAGCHAT_ALLOWED_ORIGINS": "https://a.example, https://b.example"})
    assert settings.port == 9001
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]


def test_bad_value_names_the_variable():
    with pytest.raises(SettingsError, match="RAGCHAT_PORT"):
        load_settings({"RAGCHAT_PORT": "eighty"})


def test_external_database_requires_a_jwt_secret():
    with pytest.raises(SettingsError, match="RAGCHAT_JWT_SECRET"):
        load_settings({"DATABASE_URL": "postgresql://db/ragchat"})


def test_every_variable_is_documented():
    documented = DOCS.read_text()
    missing = [var for var in env_names().values() if f"`{var}`" not in documented]
    assert not missing, f"docs/configuration.md does not document {missing}"


def test_the_relevance_floor_defaults_to_the_embedders_calibrated_value() -> None:
    assert load_settings({}, embedder="local").effective_relevance_floor == 0.30
    assert load_settings({}, embedder="hashing").effective_relevance_floor == 0.0
    assert load_settings({}, embedder="local", relevance_floor=0.5).effective_relevance_floor == 0.5
    assert load_settings({"RAGCHAT_RELEVANCE_FLOOR": "0"}, embedder="local").effective_relevance_floor == 0.0


def test_embedded_memory_settings_take_auto_or_a_postgresql_size() -> None:
    settings = load_settings({"RAGCHAT_EMBEDDED_SHARED_BUFFERS": "1GB", "RAGCHAT_EMBEDDED_WORK_MEM": "8192kB"})
    assert (settings.embedded_shared_buffers, settings.embedded_work_mem) == ("1GB", "8192kB")
    assert settings.embedded_maintenance_work_mem == settings.embedded_effective_cache_size == "auto"
    for bad in ("lots", "1 GiB", "-5MB", "auto; jit=on", "1GB'"):
        with pytest.raises(SettingsError, match="RAGCHAT_EMBEDDED_SHARED_BUFFERS"):
            load_settings({"RAGCHAT_EMBEDDED_SHARED_BUFFERS": bad})

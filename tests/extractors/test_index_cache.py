"""The on-disk cache of the built phrase indexes (extractors/index_cache.py): a cached Lexicon is the built one, and a
cache file that is corrupt, foreign or unwritable costs a rebuild, never a wrong index or an error."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from extractors import entities, extract_claims, index_cache
from extractors.claims import fine_task_index
from extractors.lexicon import tokenize
from tracker import vocab as vocab_mod
from tracker.readers import read_papers

SAMPLE = Path(__file__).parents[2] / "tracker" / "sample" / "daily_papers_transformers.txt"
INDEXES = ("metrics", "datasets", "tasks", "families", "systems", "hardware", "fine_tasks")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A private cache directory; the curated vocabulary alone (fast to build), loaded afresh by each `fresh()`."""
    d = tmp_path / "cache"
    monkeypatch.setenv(index_cache.CACHE_ENV, str(d))
    monkeypatch.setenv(vocab_mod.GENERATED_ENV, "0")
    yield d
    vocab_mod._load.cache_clear()
    entities._CACHE.clear()


def fresh():
    """A new Vocab object of the same files, with no Lexicon in this process yet (as in a new process)."""
    vocab_mod._load.cache_clear()
    entities._CACHE.clear()
    return vocab_mod.load_vocab()


def _state(lex) -> dict:
    return {k: (vars(getattr(lex, k)) if k in INDEXES else getattr(lex, k)) for k in (*INDEXES, "not_models", "system_names", "firsts")}


def _claims(v) -> list[dict]:
    return [c.model_dump() for p in read_papers(SAMPLE) for c in extract_claims(p, v)]


def test_a_cached_lexicon_equals_the_built_one_and_extracts_the_same_claims(cache):
    v1 = fresh()
    built = entities.lexicon_for(v1)
    files = list(cache.glob("lexicon-*.pickle"))
    assert len(files) == 1 and built.fine_tasks is not None  # written with the archive-task index in it
    claims = _claims(v1)
    v2 = fresh()
    loaded = entities.lexicon_for(v2)
    assert loaded is not built and loaded.vocab is v2
    assert _state(loaded) == _state(built)
    assert fine_task_index(loaded) is loaded.fine_tasks
    assert _claims(v2) == claims and claims


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # torn write
    lambda p: p.write_bytes(b"not a pickle"),
    lambda p: p.write_bytes(b""),
    lambda p: p.write_bytes(pickle.dumps(("another key", {"metrics": None}))),  # a file of another vocabulary/code
    lambda p: p.write_bytes(pickle.dumps(["no", "tuple"])),
])
def test_a_damaged_or_foreign_cache_file_is_rebuilt(cache, damage):
    v = fresh()
    built = _state(entities.lexicon_for(v))
    (path,) = cache.glob("lexicon-*.pickle")
    damage(path)
    assert index_cache.load(v.digest) is None
    assert _state(entities.lexicon_for(fresh())) == built
    assert index_cache.load(v.digest) is not None  # rewritten whole


def test_another_vocabulary_gets_its_own_file(cache, tmp_path):
    fresh()
    entities.lexicon_for(vocab_mod.load_vocab())
    extra = tmp_path / "extra.yaml"
    extra.write_text("datasets:\n  ZorbBench:\n    aliases: [ZorbBench-2]\n", encoding="utf-8")
    v = vocab_mod.load_vocab(extra)
    lex = entities.lexicon_for(v)
    assert len(list(cache.glob("lexicon-*.pickle"))) == 2
    assert [m[2] for m in lex.datasets.find(tokenize("on ZorbBench-2"))] == ["ZorbBench"]


@pytest.mark.parametrize("setting", ["off", "0", ""])
def test_cache_off_writes_nothing(cache, monkeypatch, setting):
    monkeypatch.setenv(index_cache.CACHE_ENV, setting)
    lex = entities.lexicon_for(fresh())
    assert lex.datasets.ci and not cache.exists()


def test_an_unwritable_cache_directory_is_no_error(cache, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(index_cache.CACHE_ENV, str(blocker / "cache"))  # its parent is a file: mkdir fails
    v = fresh()
    assert _claims(v)
    assert not list(tmp_path.glob("**/lexicon-*"))

"""The file workers' tasks: small files together up to BATCH_BYTES, a large file alone, every
file once and in order (the observation is the one read in-process, test_worker_views)."""

from __future__ import annotations

from pathlib import Path

from stateward.sources.files import BATCH_BYTES, _batches


def test_small_files_go_together_in_order_and_large_ones_alone(tmp_path: Path) -> None:
    sizes = [BATCH_BYTES // 8] * 20 + [BATCH_BYTES + 1, BATCH_BYTES // 3, 0, BATCH_BYTES]
    files = []
    for n, size in enumerate(sizes):
        path = tmp_path / f"part-{n:02}.yaml"
        path.write_bytes(b"#" * size)
        files.append(path)
    files.append(tmp_path / "gone.yaml")  # vanished since it was listed: its read says so

    batches = _batches(files)
    assert [p for batch in batches for p in batch] == files
    assert [len(batch) for batch in batches] == [8, 8, 4, 1, 2, 2]  # gone reads as empty
    for batch in batches:
        total = sum(p.stat().st_size for p in batch if p.exists())
        assert total <= BATCH_BYTES or len(batch) == 1


def test_no_files_no_tasks() -> None:
    assert _batches([]) == []

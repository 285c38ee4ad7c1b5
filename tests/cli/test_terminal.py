"""Hostile names never reach the terminal raw: every human-output command, and the console itself.

A name with ``ESC [``, an OSC title sequence, a newline, U+202E or a C1 byte must be shown escaped
(``\\x1b``, ``\\u202e``, ``\\n``) and can never start a line of its own.
"""

from __future__ import annotations

import json
import re
import socketserver
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fake_engine import Handler

from stateward.cli import main
from stateward.cli.console import err
from stateward.report.terminal import (
    _UNSAFE_IN_JSON,
    escape,
    json_pieces,
    json_text,
    printable,
    table,
)

# What must never reach the terminal: C0 but newline, DEL, C1, bidi and invisible formatting
# characters, lone surrogates. With NO_COLOR set, rich emits no escape sequence of its own either.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
ESTATE = "est\x1b[31m\u202e\x9b\nforged-estate"
SERVICE = "web\x1b]0;pwned\x07\u202e\x9b\nforged-service"
FILE = "bad\x1b[2J\u202e\x9b.yaml"


def run(store: Path, *args: str) -> Result:
    # The store's keys live in the config folder beside it, so that the module's store outlives
    # the per-test XDG_CONFIG_HOME of conftest.
    env = {"NO_COLOR": "1", "COLUMNS": "400", "XDG_CONFIG_HOME": str(store.parent / "config")}
    return CliRunner().invoke(main, [*args, "--store", str(store)], env=env)


def _compose(folder: Path, image: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "compose.yaml").write_text(
        'services:\n  "web\\e]0;pwned\\a\\u202e\\x9b\\nforged-service":\n'
        f'    image: "{image}"\n    environment:\n      "K\\e[2J": "v\\e[2J"\n'
    )
    (folder / FILE).write_text("a: [\n")
    return folder


def _safe(result: Result) -> str:
    text = result.stdout + result.stderr
    assert not RAW.search(text), repr(text)
    assert not re.search(r"^\s*forged", text, re.MULTILINE), text
    return text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    store = root / "store"
    for image in ("nginx:1.25", "nginx:1.27"):
        result = run(store, "scan", str(_compose(root / "estate", image)), "--estate", ESTATE)
        assert result.exit_code == 2, result.output  # the bad file is an input error
        _safe(result)
    return store


COMMANDS = [
    ("estates",),
    ("history", ESTATE),
    ("show", ESTATE),
    ("show", ESTATE, f"compose:estate/{SERVICE}"),
    ("show", ESTATE, "no\x1b[31msuch\u202e"),
    ("at", "2999-01-01", "--estate", ESTATE),
    ("timeline", "--estate", ESTATE),
    ("timeline", "--estate", "no\x1b[31m\u202e"),
    ("drift", f"{ESTATE}@2000-01-01", ESTATE),
    ("drift", ESTATE, ESTATE),
    ("parity", ESTATE, ESTATE),
    ("cost", ESTATE),
    ("history", "no\x1b]0;t\x07such\u202e"),
    ("ledger", "verify"),
    ("ledger", "erase", "sha256:\x1b[31m\u202e", "--reason", "r"),
    ("evidence", "show", "sha256:\x1b[31m\u202e"),
    ("evidence", "list"),
]


@pytest.mark.parametrize(
    "args", COMMANDS, ids=lambda a: " ".join(a[:2]).encode("unicode_escape").decode()
)
def test_every_stored_view_prints_hostile_names_escaped(store: Path, args: tuple[str, ...]) -> None:
    result = run(store, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = _safe(result)
    assert text.strip()


def test_scan_shows_estate_service_and_file_names_escaped(tmp_path: Path) -> None:
    result = run(tmp_path / "s", "scan", str(_compose(tmp_path / "estate", "nginx:1")),
                 "--estate", ESTATE)  # fmt: skip
    text = _safe(result)
    assert "est\\x1b[31m\\u202e\\x9b\\nforged-estate: observation #1" in text
    assert "compose:estate/web\\x1b]0;pwned\\x07\\u202e\\x9b\\nforged-service" in text
    assert "/bad\\x1b[2J\\u202e\\x9b.yaml:2: invalid YAML" in text


def test_audit_prints_hostile_names_escaped(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["audit", str(_compose(tmp_path / "estate", "nginx:1"))],
                                env={"NO_COLOR": "1", "COLUMNS": "400"})  # fmt: skip
    text = _safe(result)
    assert "bad\\x1b[2J\\u202e\\x9b.yaml" in text and "\\nforged-service" in text


def test_ledger_export_prints_a_hostile_directory_escaped(store: Path, tmp_path: Path) -> None:
    result = run(store, "ledger", "export", "--tiles", str(tmp_path / "t\x1b[31m\u202e\nforged"))
    assert result.exit_code == 0, result.output
    assert "t\\x1b[31m\\u202e\\nforged." in _safe(result)


def test_json_output_escapes_c1_bidi_and_lone_surrogates() -> None:
    assert (
        json_text({"name": "a\x9b\u202e\udc9b\x1b"})
        == '{\n  "name": "a\\u009b\\u202e\\udc9b\\u001b"\n}\n'
    )


@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not RAW.search(shown) and "\n" not in shown
    assert printable(shown) == shown  # idempotent: escaping twice changes nothing
    if not RAW.search(text) and "\n" not in text and not re.search("[\ud800-\udfff]", text):
        assert shown == text


@given(st.text(), st.text())
def test_the_console_escapes_what_skipped_escape(text: str, cell: str) -> None:
    """The render hook: a forgotten ``escape`` still cannot put a control character out."""
    out = table("name")
    out.add_row(cell)
    with err.capture() as captured:
        err.print(text, markup=False)
        err.print(escape(text))
        err.print(out)
    assert not RAW.search(captured.get())


def test_text_that_is_not_valid_markup_is_shown_not_raised() -> None:
    """A name such as ``[/]`` that reached a table cell unescaped used to raise MarkupError."""
    out = table("name")
    out.add_row("[/] [bold]x")
    with err.capture() as captured:
        err.print(out)
        err.print("[/]")
    assert "[/] [bold]x" in captured.get() and "[/]" in captured.get()


def test_engine_names_are_escaped_in_scan_capture_and_evidence(tmp_path: Path) -> None:
    """Names the engine sends (a container name, a Compose label) are as hostile as file names;
    a loopback engine sends them to a real scan, capture and the evidence views."""
    inspect = {
        "Id": "ab" * 32, "Name": "/web\x1b]0;pwned\x07\u202e\nforged-container", "Image": "i",
        "State": {"Running": False}, "NetworkSettings": {},
        "Config": {"Tty": False, "Image": "nginx\x1b[31m:1", "Labels": {
            "com.docker.compose.project": "p\x9b2J", "com.docker.compose.service": "s\u202e"}},
    }  # fmt: skip
    listing = [{"Id": "ab" * 32, "Names": [inspect["Name"]]}]

    def route(path: str) -> tuple[bytes, float]:
        if path.endswith("/version"):
            return b'{"ApiVersion": "1.41", "Components": [{"Name": "Podman Engine"}]}', 0.0
        if path.endswith("/containers/json"):
            return json.dumps(listing).encode(), 0.0
        if "/containers/" in path and path.endswith("/json"):
            return json.dumps(inspect).encode(), 0.0
        return (b"" if "/logs" in path else b"[]"), 0.0  # an empty log stream

    sock = str(tmp_path / "engine.sock")
    handler = type("Handler", (Handler,), {"route": staticmethod(route)})
    with socketserver.ThreadingUnixStreamServer(sock, handler) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        store = tmp_path / "s"
        scanned = run(store, "scan", f"engine://{sock}", "--estate", "host")
        captured = run(store, "capture", "ab" * 32, "--engine", f"engine://{sock}")
        server.shutdown()
    name = "web\\x1b]0;pwned\\x07\\u202e\\nforged-container"
    assert name in _safe(scanned) and "nginx\\x1b[31m:1" in _safe(scanned)
    assert captured.exit_code == 0, captured.output
    assert f"for {name}:" in _safe(captured)
    address = re.search(r"sha256:[0-9a-f]{64}", captured.stdout)
    assert address is not None
    assert name in _safe(run(store, "evidence", "list"))
    assert name in _safe(run(store, "evidence", "show", address.group()))


@settings(max_examples=10, deadline=None)
@given(st.lists(st.text(max_size=4), min_size=1, max_size=30))
def test_a_large_json_document_is_written_in_pieces_as_one_text_would_be(words: list[str]) -> None:
    # 40,000 entries take the encoder more pieces than one write joins; the words hold C1,
    # bidi and surrogate characters, escaped piece by piece as they were in the whole text
    document = {"items": [{"word": w, "n": i} for i, w in enumerate((words * 40_000)[:40_000])]}
    pieces = list(json_pieces(document))
    whole = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    escaped = _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", whole) + "\n"
    assert len(pieces) > 2
    assert "".join(pieces) == json_text(document) == escaped
    assert json.loads("".join(pieces)) == document

"""The command line's conventions: ``-o table|json|yaml|sarif`` on every command, data on stdout
and diagnostics on stderr, width from ``COLUMNS`` without folding words, relative times, and
tables that list only what a person reads of a large estate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from stateward.api import parse_moment, parse_time
from stateward.cli import main
from stateward.cli.reference import _walk
from stateward.errors import UsageError

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
PROD, LIVE = str(SHOP / "production"), str(SHOP / "live" / "production.yaml")
LONG = "checkout-payments-reconciliation-worker-for-the-european-region"


def run(store: Path, *args: str, columns: int = 200) -> Result:
    # the keys beside the store, so that the module's store outlives each test's config folder
    env = {
        "NO_COLOR": "1",
        "COLUMNS": str(columns),
        "XDG_CONFIG_HOME": str(store.parent / "config"),
    }
    where = [] if args[0] == "audit" else ["--store", str(store)]  # audit records nothing
    return CliRunner().invoke(main, [*args, *where], env=env)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An estate ``shop`` of two observations, the second with the in-flight changes."""
    store = tmp_path_factory.mktemp("out") / "store"
    for source in (PROD, LIVE):
        assert run(store, "scan", source, "--estate", "shop").exit_code == 0
    return store


def _commands() -> list[tuple[str, click.Command]]:
    walked = _walk(main, ["stateward"], None)
    return [
        (" ".join(p[1:]), c.command) for p, c in walked if not isinstance(c.command, click.Group)
    ]


# `serve` runs a server: it has no result to format
@pytest.mark.parametrize(("name", "command"), [c for c in _commands() if c[0] != "serve"],
                         ids=[c[0] for c in _commands() if c[0] != "serve"])  # fmt: skip
def test_every_command_takes_the_output_format_and_json(name: str, command: click.Command) -> None:
    options = {o.name: o for o in command.params if isinstance(o, click.Option)}
    output = options["output"]
    assert output.opts == ["-o", "--output"] and isinstance(output.type, click.Choice)
    assert list(output.type.choices) == ["table", "json", "yaml", "sarif"]
    assert options["as_json"].opts == ["--json"]
    assert ("sarif_path" in options) == (name in {"audit", "drift", "parity"})


def test_yaml_is_the_json_document(store: Path) -> None:
    for args in (("history", "shop"), ("show", "shop", "frontend"), ("drift", "shop@#1", "shop"),
                 ("parity", "shop@#1", "shop"), ("estates",)):  # fmt: skip
        as_json, as_yaml = run(store, *args, "--json"), run(store, *args, "-o", "yaml")
        assert as_json.exit_code == as_yaml.exit_code, as_yaml.output
        assert as_yaml.stdout.startswith("---\n")
        assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout), args
        assert json.loads(run(store, *args, "-o", "json").stdout) == json.loads(as_json.stdout)


def test_yaml_escapes_what_a_terminal_would_obey(tmp_path: Path) -> None:
    name = "web\u202eforged\x9b"
    (tmp_path / "compose.yaml").write_text(
        'services:\n  "web\\u202eforged\\x9b":\n    image: "nginx:1"\n', encoding="utf-8"
    )
    result = run(tmp_path / "s", "audit", str(tmp_path / "compose.yaml"), "-o", "yaml")
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout and "\x9b" not in result.stdout
    ids = [c["id"] for c in yaml.safe_load(result.stdout)["components"]]
    assert any(name in i for i in ids)


def test_sarif_is_written_where_there_are_findings_and_refused_elsewhere(store: Path) -> None:
    audited = run(store, "audit", PROD, "-o", "sarif")
    assert audited.exit_code == 0, audited.output
    log = json.loads(audited.stdout)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]
    drifted = run(store, "drift", PROD, LIVE, "-o", "sarif")
    assert drifted.exit_code == 1 and json.loads(drifted.stdout)["runs"][0]["results"]
    refused = run(store, "history", "shop", "-o", "sarif")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert re.match(r"Error: `\S+ history` has no findings to write as SARIF", refused.stderr)
    old = run(store, "audit", PROD, "--sarif", "-")  # the older spelling of -o sarif
    assert old.exit_code == 0 and json.loads(old.stdout) == log
    both = run(store, "audit", PROD, "-o", "yaml", "--sarif", "-")
    assert both.exit_code == 2 and "-o yaml and --sarif - both write to stdout" in both.stderr


def test_json_and_another_format_is_a_usage_error(store: Path) -> None:
    result = run(store, "history", "shop", "--json", "-o", "yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --json and -o yaml ask for two formats")


def test_files_are_written_with_output_file_and_o_is_a_format(store: Path, tmp_path: Path) -> None:
    note = tmp_path / "cp.txt"
    signed = run(store, "ledger", "checkpoint", "--output-file", str(note))
    assert signed.exit_code == 0, signed.output
    assert note.read_text() == signed.stdout  # the signed note: the command's data
    assert signed.stderr.startswith("Checkpoint of ")  # what was done: a diagnostic
    assert run(store, "ledger", "checkpoint", "-o", str(note)).exit_code == 2
    export = {o.name: o for o in _command("evidence export").params}
    assert export["output_file"].opts == ["--output-file"] and export["output_file"].required


def _command(name: str) -> click.Command:
    return dict(_commands())[name]


# -- data on stdout, diagnostics on stderr


@pytest.mark.parametrize("args", [
    ("estates",), ("history", "shop"), ("show", "shop"), ("show", "shop", "frontend"),
    ("at", "now", "--estate", "shop"), ("timeline", "--estate", "shop"), ("drift", PROD, LIVE),
    ("parity", "shop@#1", "shop"), ("cost", "shop"), ("audit", PROD), ("ledger", "verify"),
    ("ledger", "vkey"), ("ledger", "prove", "0"), ("keys", "show"), ("evidence", "list"),
], ids=" ".join)  # fmt: skip
def test_results_are_on_stdout_and_a_clean_run_says_nothing_on_stderr(
    store: Path, args: tuple[str, ...]
) -> None:
    result = run(store, *args)
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.strip()
    if args[:2] != ("ledger", "prove"):  # prove says on stderr what it proved
        assert result.stderr == ""


def test_a_component_context_is_data(store: Path) -> None:
    result = run(store, "show", "shop", "frontend")
    lines = result.stdout.splitlines()
    assert "{" in lines and '          "readOnlyRootFilesystem": true' in lines  # as laid out


def test_history_piped_to_another_program_has_lines(store: Path) -> None:
    """``stateward history shop | wc -l``, as a process writing to a real pipe."""
    command = [sys.executable, "-m", "stateward", "history", "shop", "--store", str(store)]
    piped = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert piped.returncode == 0, piped.stderr
    assert len(piped.stdout.splitlines()) >= 4 and piped.stderr == ""  # header, rule, 2 rows


def test_input_errors_stay_on_stderr_under_a_document(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("a: [\n")
    (tmp_path / "ok.yaml").write_text((SHOP / "production" / "cart.yaml").read_text())
    result = run(tmp_path / "s", "audit", str(tmp_path), "-o", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["errors"]  # the document alone on stdout
    assert "bad.yaml:2: invalid YAML" in result.stderr


# -- width


def _long_estate(folder: Path) -> Path:
    folder.mkdir()
    text = (SHOP / "production" / "cart.yaml").read_text().split("\n---\n")[0]
    (folder / "long.yaml").write_text(text.replace("name: cart\n", f"name: {LONG}\n", 1))
    return folder


def test_piped_tables_take_columns_but_never_fold_a_word(tmp_path: Path) -> None:
    source = str(_long_estate(tmp_path / "estate"))
    narrow = run(tmp_path / "a", "scan", source, "--estate", "e", columns=40)
    assert narrow.exit_code == 0, narrow.output
    assert f"k8s:Deployment/shop/{LONG}" in narrow.stdout  # whole, on one line
    assert "depends on" not in narrow.stdout  # 40 columns: a header wraps between its words
    assert re.search(r"┃ depends \n", narrow.stdout) and re.search(r"┃ on +\n", narrow.stdout)
    # the width is read when printing, not when the console was made: a wider run uses it
    wide = run(tmp_path / "b", "scan", source, "--estate", "e", columns=300)
    assert "┃ depends on" in wide.stdout


# -- times


def test_relative_times_and_numbers_are_read_everywhere_a_time_is(store: Path) -> None:
    now = run(store, "at", "now", "--estate", "shop", "--json")
    assert now.exit_code == 0, now.output
    assert json.loads(now.stdout)["observation"]["seq"] == 2
    assert run(store, "show", "shop", "--at", "-1d").stderr.startswith(
        "Error: estate 'shop' has no observation at or before"
    )
    since = json.loads(run(store, "timeline", "--estate", "shop", "--since", "1h", "--json").stdout)
    assert len(since["steps"]) == 2
    drift = run(store, "drift", "shop@#1", "shop@now", "--json")
    assert drift.exit_code == 1 and json.loads(drift.stdout)["changes"]
    assert run(store, "parity", "shop@0s", "shop@now", "--json").exit_code == 0
    bad = run(store, "at", "2 hours", "--estate", "shop")
    assert bad.exit_code == 2 and "now, a time ago (2h, -1d, 1w2d) or #N" in bad.stderr


@given(st.integers(0, 10_000), st.sampled_from("smhdw"), st.booleans())
def test_a_time_ago_is_that_long_before_now(amount: int, unit: str, minus: bool) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]
    text = f"{'-' if minus else ''}{amount}{unit}"
    assert parse_time(text, now) == now - timedelta(seconds=amount * seconds)
    assert parse_time("1w2d3h4m5s", now) == now - timedelta(days=9, hours=3, minutes=4, seconds=5)


@pytest.mark.parametrize("text", ["2h ago", "+2h", "h", "-", "1y", "2 h", "#-1", "999999999w"])
def test_what_is_not_a_time_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_moment(text)


# -- cost


def test_cost_says_what_its_columns_count_in_binary_units(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("image_estimate_mib: 15000\n")
    plan = tmp_path / "plan.yaml"
    frontend = (SHOP / "production" / "frontend.yaml").read_text()
    plan.write_text(
        re.sub(r"shop-frontend:2\.4\.1@sha256:[0-9a-f]+", "shop-frontend:2.5.0", frontend)
    )
    result = run(tmp_path / "s", "cost", str(SHOP / "production" / "frontend.yaml"),
                 "--plan", str(plan), "--params", str(params))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not re.search(r"\d{4,}\.\d MiB", result.stdout)
    assert re.search(r"~\d+\.\d GiB", result.stdout)
    assert "bytes: image bytes pulled over the whole rollout" in result.stdout
    assert "backend ×: peak load on its backends" in result.stdout
    assert "degraded: minutes the component runs below full capacity" in result.stdout


# -- large estates


def _estate_of(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = (SHOP / "production" / "cart.yaml").read_text().split("\n---\n")[0]
    documents = [text.replace("name: cart\n", f"name: app-{i:03}\n", 1) for i in range(count)]
    (folder / "many.yaml").write_text("\n---\n".join(documents))
    return folder


def test_a_large_estate_lists_the_first_rows_and_all_with_all(tmp_path: Path) -> None:
    source = str(_estate_of(tmp_path / "estate", 80))
    shown = run(tmp_path / "a", "scan", source, "--estate", "big")
    assert shown.exit_code == 0, shown.output
    rows = re.findall(r"k8s:Deployment/shop/app-\d+ ", shown.stdout)
    assert len(rows) == 50 * 2  # the scan's table and the audit's, 50 rows each
    assert "… 30 more components (--all lists them; -o json has every one)" in shown.stdout
    every = run(tmp_path / "b", "scan", source, "--estate", "big", "--all")
    assert len(re.findall(r"k8s:Deployment/shop/app-\d+ ", every.stdout)) == 80 * 2
    assert "more components" not in every.stdout
    many = Path(source) / "many.yaml"
    many.write_text(many.read_text().replace("value: redis:6379", "value: redis:6380"))
    changed = run(tmp_path / "a", "scan", source, "--estate", "big")
    assert len(re.findall(r"  k8s:Deployment/shop/app-\d+: same binary", changed.stdout)) == 50
    assert "… 30 more changed components (--all lists them" in changed.stdout
    listed = run(tmp_path / "a", "show", "big")
    assert len(re.findall(r"k8s:Deployment/shop/app-\d+ ", listed.stdout)) == 50
    audited = run(tmp_path, "audit", source, "--all")
    assert len(re.findall(r"k8s:Deployment/shop/app-\d+ ", audited.stdout)) == 80
    document = run(tmp_path, "audit", source, "-o", "yaml")  # no table drawn, every row
    assert "┃" not in document.stdout + document.stderr and "more components" not in document.stdout
    assert len(yaml.safe_load(document.stdout)["components"]) == 80


# -- drift and parity a person can act on


def test_parity_lines_name_the_object_with_readable_paths(store: Path) -> None:
    result = run(store, "parity", "shop@#1", "shop")
    assert result.exit_code == 1, result.output
    path = "/mesh/DestinationRule/cart/trafficPolicy/loadBalancer/consistentHash/httpCookie/name"
    assert f"unexpected mesh      Deployment/cart: {path} changed" in result.stdout
    assert "~1" not in result.stdout  # pointer escapes undone for reading


def test_timeline_paths_are_shown_unescaped(store: Path) -> None:
    result = run(store, "timeline", "--estate", "shop")
    assert (
        "    mesh      /mesh/DestinationRule/shop/cart/trafficPolicy/connectionPool/"
        in result.stdout
    )
    assert "~1" not in result.stdout

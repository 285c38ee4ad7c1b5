"""The probe's readers of systemd units (systemd.syntax(7), drop-ins per systemd.unit(5)) and of
/proc/net addresses, as properties over generated input."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from stateward.model.secrets import SecretKeeper
from stateward.sources.host.resources import _scrub
from stateward.sources.host.system import _address
from stateward.sources.host.units import _merge, _parse_unit, services

_KEYS = st.from_regex(r"[A-Z][A-Za-z]{0,11}", fullmatch=True)
_VALUES = st.from_regex(
    r"[A-Za-z0-9/_.=:-][A-Za-z0-9/_.=: -]{0,20}[A-Za-z0-9/_.=:-]", fullmatch=True
)
_SECTIONS = st.dictionaries(
    st.sampled_from(["Unit", "Service", "Install"]),
    st.dictionaries(_KEYS, st.lists(_VALUES, min_size=1, max_size=3), max_size=4),
    max_size=3,
)


def _format(sections: dict[str, dict[str, list[str]]]) -> str:
    return "".join(
        f"[{name}]\n"
        + "".join(f"{key}={value}\n" for key, values in body.items() for value in values)
        for name, body in sections.items()
    )


@given(_SECTIONS)
def test_unit_text_parses_back_to_its_directives(sections: dict[str, dict[str, list[str]]]) -> None:
    assert _parse_unit(_format(sections)) == sections


def test_comments_continuations_and_resets() -> None:
    text = "# c\n[Service]\n; c\nExecStart=/usr/bin/x \\\n  --flag\nEnvironment=A=1\nEnvironment=\nEnvironment=B=2\n"
    assert _parse_unit(text) == {
        "Service": {"ExecStart": ["/usr/bin/x  --flag"], "Environment": ["", "B=2"]}
    }


def test_drop_ins_append_unless_they_reset() -> None:
    base = _parse_unit("[Service]\nExecStart=/old\nEnvironment=A=1\nUser=a\n")
    add = _parse_unit("[Service]\nEnvironment=B=2\nUser=b\n")
    reset = _parse_unit("[Service]\nExecStart=\nExecStart=/new\n")
    merged = _merge(base, [add, reset])["Service"]
    assert merged["ExecStart"] == ["/new"]
    assert merged["Environment"] == ["A=1", "B=2"]
    assert merged["User"][-1] == "b"


def test_services_read_units_drop_ins_and_init_scripts(tmp_path: Path) -> None:
    (tmp_path / "etc/systemd/system/web.service.d").mkdir(parents=True)
    (tmp_path / "etc/systemd/system/web.service").write_text("[Service]\nExecStart=/bin/web\n")
    (tmp_path / "etc/systemd/system/web.service.d/override.conf").write_text(
        "[Service]\nExecStart=\nExecStart=/bin/web2 --port 80\nEnvironment=MODE=prod\n"
    )
    (tmp_path / "etc/systemd/system/masked.service").symlink_to("/dev/null")
    (tmp_path / "etc/init.d").mkdir()
    (tmp_path / "etc/init.d/legacy").write_text("#!/bin/sh\n")
    found = services(str(tmp_path), {}, lambda paths: {})
    assert set(found) == {"web.service", "legacy"}
    assert found["web.service"]["exec"] == "/bin/web2"
    assert found["web.service"]["environment"] == {"MODE": "prod"}
    assert found["legacy"]["kind"] == "init" and found["legacy"]["exec"] == "/etc/init.d/legacy"


def _proc_hex(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """How /proc/net/tcp{,6} prints an address: 32-bit words in host byte order."""
    raw = address.packed
    words = [raw[i : i + 4] for i in range(0, len(raw), 4)]
    order = "little" if sys.byteorder == "little" else "big"
    return "".join(f"{int.from_bytes(w, 'big').to_bytes(4, order).hex().upper()}" for w in words)


@given(st.ip_addresses(), st.integers(0, 65535))
def test_proc_net_addresses_parse_back(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int
) -> None:
    assert _address(f"{_proc_hex(address)}:{port:04X}") == (str(address), port)


def test_known_proc_lines() -> None:
    assert _address("0100007F:0016") == ("127.0.0.1", 22)
    assert _address("00000000000000000000000001000000:1F90") == ("::1", 8080)


def test_host_command_lines_lose_http_and_curl_credentials() -> None:
    keeper = SecretKeeper(b"u" * 32)
    lines = {
        "curl -H 'Authorization: Bearer tok3n' https://x": "tok3n",
        "curl --user=admin:pw1 https://x": "admin:pw1",
        "curl -u admin:pw2 https://x": "admin:pw2",
    }
    for line, secret in lines.items():
        scrubbed = _scrub(line, keeper)
        assert secret not in scrubbed and keeper.digest(secret) in scrubbed
    assert _scrub("17 * * * * root run-parts /etc/cron.hourly", keeper) == (
        "17 * * * * root run-parts /etc/cron.hourly"
    )

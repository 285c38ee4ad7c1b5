"""A store URL's password never appears in a message: errors, --json, logs."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from stateward.cli import main
from stateward.errors import StorageError
from stateward.store import open_store
from stateward.store.database import redact_url

PASSWORD = "Tops3cret-pw"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://u:{PASSWORD}@127.0.0.1:1/db",
        f"postgresql://u:{PASSWORD}@127.0.0.1:notaport/db",
        f"postgresql://u:{PASSWORD}@[::1/db",
        f"postgresql://u:{PASSWORD}@127.0.0.1:1/db?sslmode=bogus",
        f"postgresql://u@127.0.0.1:1/db?password={PASSWORD}",
        f"postgresql://u:p@{PASSWORD}@127.0.0.1:1/db",
        f"postgres://u:{quote(PASSWORD + '/@')}@127.0.0.1:1/db",
        f"mysql://u:{PASSWORD}@127.0.0.1/db",
    ],
)
@pytest.mark.parametrize("command", [["estates", "--json"], ["scan", ".", "--estate", "e"]])
def test_no_failure_shows_the_password(url: str, command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--store", url])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Error: ")
    assert PASSWORD not in result.stdout + result.stderr
    assert "Traceback" not in result.output


def test_a_wrong_password_on_a_real_server_is_not_shown(pg_url: str) -> None:
    scheme, _, rest = pg_url.partition("://")
    host = rest.rpartition("@")[2]
    with pytest.raises(StorageError) as info:
        open_store(f"{scheme}://stateward_nobody:{PASSWORD}@{host}")
    assert PASSWORD not in info.value.diagnostics()
    assert "stateward_nobody:***@" in info.value.diagnostics()


@given(
    password=st.text(
        st.characters(codec="ascii", exclude_characters="\x00?#"), min_size=1, max_size=30
    ).filter(lambda p: p.strip() and p not in "postgresql://u:@h/d")
)
def test_redacted_urls_never_hold_the_password(password: str) -> None:
    for url in (
        f"postgresql://u:{password}@h/d",
        f"postgresql://u:{quote(password, safe='')}@h/d",
        f"postgresql://u@h/d?sslmode=require&password={quote(password, safe='')}",
    ):
        shown = redact_url(url)
        assert quote(password, safe="") not in shown or quote(password, safe="") in "u@h/d"
        if len(password) > 3:
            assert password not in shown

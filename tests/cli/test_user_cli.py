"""``zeropark user add`` applies the account policy: the email first, then the password."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zeropark.cli import app
from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.parks import ParkRepository

runner = CliRunner()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "z.db"
    db = Database(f"sqlite:///{path}")
    with db.transaction() as conn:
        ParkRepository(conn, Principal.system()).apply(
            parse_park_text(park_template("office"), "office.yaml")
        )
    db.dispose()
    return path


def add(db_path: Path, email: str, password: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["--lang", "en", "--db", f"sqlite:///{db_path}", "user", "add", "--email", email,
         "--role", "auditor"],
        input=password + "\n",
    )  # fmt: skip
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        ("a@", "a-fine-password", "not an email address"),
        ("auditor@park.example", "password", "12+ characters"),
        ("auditor@park.example", " " * 8, "12+ characters"),
        ("auditor@park.example", " " * 14, "only whitespace"),
        ("auditor@park.example", "Password2024!", "most common"),
        ("auditor@park.example", "auditor@park.example", "may not be the email address"),
    ],
)
def test_user_add_refuses_weak_passwords_and_bad_emails(
    db_path: Path, email: str, password: str, reason: str
) -> None:
    code, output = add(db_path, email, password)
    assert code == 65, output
    assert reason in output


def test_user_add_accepts_a_good_account(db_path: Path) -> None:
    code, output = add(db_path, "Auditor@Park.example", "a-fine-password")
    assert code == 0, output
    assert "added auditor@park.example (auditor)" in output

"""``zeropark user add | list`` and ``zeropark apikey create``: accounts from the command line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.errors import InputError
from zeropark.i18n import t
from zeropark.service.auth import create_api_key, create_user, list_users
from zeropark.service.credentials import MIN_PASSWORD, normalise_email
from zeropark.service.database import open_database
from zeropark.service.parks import resolve_park

user_app = typer.Typer(help="Users of the API and the web UI (用户).", no_args_is_help=True)
key_app = typer.Typer(help="API keys of data gateways (网关密钥).", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(key_app, name="apikey")


def _read_password() -> str:
    """The password from standard input (first line), prompted when it is a terminal."""
    if sys.stdin.isatty():
        password: str = typer.prompt(
            t(f"密码 (至少 {MIN_PASSWORD} 个字符)", f"Password ({MIN_PASSWORD}+ characters)"),
            hide_input=True,
            confirmation_prompt=True,
        )
        return password
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError(
            t("请从标准输入提供密码", "give the password on standard input"), field="password"
        )
    return line


@user_app.command("add")
@handle_errors
def add(
    email: Annotated[str, typer.Option("--email", help="login email")],
    role: Annotated[str, typer.Option("--role", help="park_admin, tenant, regulator or auditor")],
    tenant: Annotated[str | None, typer.Option("--tenant", help="tenant id (role tenant)")] = None,
    park: ParkOption = None,
) -> None:
    """Add a user; the password is read from standard input (添加用户).

    The password needs 12+ characters, not whitespace only, not one of the most common passwords
    and not the email address (docs/security.md).
    """
    email = normalise_email(email)  # refused before a password is asked for
    db = open_database(settings())
    system = Principal.system()
    park_id = resolve_park(db, system, park)
    user = create_user(
        db, system, email=email, password=_read_password(), role=role, park_id=park_id,
        tenant_id=tenant,
    )  # fmt: skip
    console.print(
        t(f"已添加用户 {user['email']} ({user['role']})", f"added {user['email']} ({user['role']})")
    )


@user_app.command("list")
@handle_errors
def list_(
    limit: Annotated[int, typer.Option(help="at most this many")] = 1000,
) -> None:
    """List users (用户列表)."""
    rows, total = list_users(open_database(settings()), Principal.system(), limit=limit)
    table = Table(title=t(f"用户 ({total})", f"users ({total})"))
    for column in ("id", "email", "role", "park", "tenant", "active", "locked until"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["id"]), r["email"], r["role"], r["park_id"] or "", r["tenant_id"] or "",
            "yes" if r["active"] else "no",
            r["locked_until"].isoformat(timespec="seconds") if r["locked_until"] else "",
        )  # fmt: skip
    console.print(table)


@key_app.command("create")
@handle_errors
def create(
    meters: Annotated[str, typer.Option("--meters", help="comma-separated meter ids")],
    name: Annotated[str, typer.Option("--name", help="what the gateway is")] = "gateway",
    park: ParkOption = None,
) -> None:
    """Create a gateway API key bound to meters; the key is printed once (创建网关密钥)."""
    db = open_database(settings())
    system = Principal.system()
    park_id = resolve_park(db, system, park)
    created = create_api_key(db, system, park_id, name=name, meter_ids=meters.split(","))
    console.print(
        t(
            f"网关密钥 {created.info['id']} ({name}), 可写表计: ",
            f"gateway key {created.info['id']} ({name}) may write: ",
        )
        + ", ".join(created.info["meter_ids"]),
        highlight=False,
    )
    console.print(t("密钥只显示这一次:", "the key is shown this once:"))
    typer.echo(created.key)

"""The root typer app, the console and the error-to-exit-code mapping shared by all commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from zeropark.config import Settings, load_settings
from zeropark.errors import ValidationFailed, ZeroparkError
from zeropark.i18n import Lang, get_lang, set_lang, t

__all__ = ["ParkOption", "app", "console", "err_console", "handle_errors", "settings"]

app = typer.Typer(
    name="zeropark",
    help="zeropark — zero-carbon smart park operating system (零碳智慧园区操作系统)",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console()
err_console = Console(stderr=True)
_state: dict[str, Settings] = {}

#: ``--park``: the park a command works on; default ``ZEROPARK_PARK``, else the only park of the
#: database (a database with several parks needs one of the two).
ParkOption = Annotated[
    str | None,
    typer.Option(
        "--park",
        envvar="ZEROPARK_PARK",
        help="park id (default: ZEROPARK_PARK, or the only park of the database)",
    ),
]

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    """The settings of this CLI invocation (read once from the environment)."""
    if "settings" not in _state:
        _state["settings"] = load_settings()
        set_lang(_state["settings"].lang)
    return _state["settings"]


@app.callback()
def _root(
    lang: Annotated[
        Lang | None, typer.Option("--lang", help="zh or en (default: ZEROPARK_LANG or locale)")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="database URL (default: ZEROPARK_DB_URL)")
    ] = None,
) -> None:
    overrides: dict[str, Any] = {}
    if lang:
        overrides["lang"] = lang
    if db:
        overrides["db_url"] = db
    _state["settings"] = load_settings(**overrides)
    set_lang(_state["settings"].lang)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`ZeroparkError` into one readable line and the class's exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            for issue in exc.issues:
                err_console.print(
                    f"[red]✗[/red] {escape(issue.describe(get_lang()))}", highlight=False
                )
            err_console.print(t(f"共 {len(exc.issues)} 个问题", f"{len(exc.issues)} issue(s)"))
            raise typer.Exit(exc.exit_code) from None
        except ZeroparkError as exc:
            err_console.print(f"[red]{t('错误', 'error')}:[/red] {exc}", highlight=False)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def main() -> None:
    """Entry point of the ``zeropark`` console script."""
    app(prog_name="zeropark")
    sys.exit(0)

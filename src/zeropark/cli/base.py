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
from zeropark.errors import InputError, ValidationFailed, ZeroparkError
from zeropark.i18n import Lang, get_lang, set_lang, t

__all__ = [
    "ParkOption",
    "app",
    "console",
    "err_console",
    "handle_errors",
    "input_error_text",
    "os_reason",
    "settings",
]

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
        except InputError as exc:
            err_console.print(
                f"[red]{t('错误', 'error')}:[/red] {escape(input_error_text(exc))}",
                highlight=False,
            )
            raise typer.Exit(exc.exit_code) from None
        except ZeroparkError as exc:
            err_console.print(f"[red]{t('错误', 'error')}:[/red] {exc}", highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # a file named on the command line that cannot be read
            name = exc.filename if exc.filename is not None else ""
            err_console.print(
                f"[red]{t('错误', 'error')}:[/red] "
                + t(
                    f"无法打开 {name}：{os_reason(exc.strerror)}",
                    f"cannot open {name}: {exc.strerror}",
                ),
                highlight=False,
            )
            raise typer.Exit(NO_INPUT) from None

    return wrapper


#: Exit code of a file that cannot be opened (sysexits EX_NOINPUT).
NO_INPUT = 66

#: The operating system's common file errors in Chinese (its English words otherwise).
_OS_REASONS_ZH = {
    "No such file or directory": "文件不存在",
    "Permission denied": "没有权限",
    "Is a directory": "这是一个目录，不是文件",
    "Not a directory": "路径中有一段不是目录",
}


def os_reason(strerror: str | None) -> str:
    """An operating-system error text in the CLI's language (common ones translated)."""
    text = strerror or ""
    return t(_OS_REASONS_ZH.get(text, text), text)


def input_error_text(exc: InputError) -> str:
    """An :class:`InputError` as one line in the CLI's language: where (file, row, field), why."""
    if get_lang() == "en":
        return str(exc)
    reason = exc.reason
    if reason.startswith("cannot open: "):
        reason = "无法打开：" + os_reason(reason.removeprefix("cannot open: "))
    where = [p for p in (exc.source, exc.location) if p]
    if exc.location:
        kind, _, number = exc.location.partition(" ")
        if kind in ("row", "record", "line") and number.isdigit():
            where[-1] = f"第 {number} 行"
    if exc.field:
        where.append(f"字段 {exc.field!r}")
    return "，".join(where) + ("：" if where else "") + reason


def main() -> None:
    """Entry point of the ``zeropark`` console script."""
    app(prog_name="zeropark")
    sys.exit(0)

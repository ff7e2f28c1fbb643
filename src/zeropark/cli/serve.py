"""``zeropark serve`` (API + web UI in one process) and ``zeropark verify`` (the audit chain)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from zeropark.cli.base import app, console, err_console, handle_errors, settings
from zeropark.config import Settings
from zeropark.domain.access import Principal
from zeropark.errors import ConfigError, IntegrityError
from zeropark.i18n import t
from zeropark.service.audit_export import export_chain
from zeropark.service.audit_verify import VerifyReport, verify_database, verify_export
from zeropark.service.database import open_database

DEFAULT_SECRET = Settings.model_fields["secret_key"].default


def check_production(config: Settings) -> None:
    """Refuse to serve outside development with the default secret."""
    if config.env != "development" and config.secret_key == DEFAULT_SECRET:
        raise ConfigError(
            t(
                "生产环境不能使用默认密钥: 请设置 ZEROPARK_SECRET_KEY",
                "refusing to start in production with the default secret: set ZEROPARK_SECRET_KEY",
            )
        )


def run_server(config: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve the API and the web UI until interrupted (``workers`` processes)."""
    import uvicorn

    from zeropark.api import create_app

    check_production(config)
    db = open_database(config)
    db.ensure_schema()
    console.print(
        t("zeropark 已启动: ", "zeropark is serving at ")
        + f"http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)"
    )
    if workers > 1:
        # Worker processes build their own app from the environment: pass the settings on.
        for name, value in config.model_dump().items():
            os.environ[f"ZEROPARK_{name.upper()}"] = (
                str(value).lower() if isinstance(value, bool) else str(value)
            )
        uvicorn.run(
            "zeropark.api.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    uvicorn.run(create_app(config, db), host=host, port=port, log_level="warning")


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
) -> None:
    """Serve the REST API (/api/v1) and the web UI (启动服务)."""
    run_server(settings(), host, port, workers)


def _print_report(report: VerifyReport) -> None:
    first = report.first_failure
    if first is None:
        console.print(
            "[green]✓[/green] "
            + t(
                f"审计链完整: {report.entries} 条记录, {report.batches} 个读数批次 "
                f"({report.readings:,} 条读数), {report.activities} 条活动数据, "
                f"{report.inventories} 份已发布清单; 链头 {report.head_sha256}",
                f"audit chain intact: {report.entries} entries, {report.batches} reading batches "
                f"({report.readings:,} readings), {report.activities} activity records, "
                f"{report.inventories} published inventories; head {report.head_sha256}",
            ),
            highlight=False,
        )
        return
    where = t(f"审计记录 #{first.seq}", f"audit entry #{first.seq}") if first.seq else ""
    err_console.print(
        f"[red]✗[/red] {t('校验失败', 'verification failed')}: {where} "
        f"[{first.kind}] {first.reason}",
        highlight=False,
    )
    for other in sorted(report.failures, key=lambda m: (m.seq is None, m.seq or 0))[1:]:
        err_console.print(f"  - #{other.seq} [{other.kind}] {other.reason}", highlight=False)


@app.command()
@handle_errors
def verify(
    export: Annotated[
        Path | None, typer.Option("--export", help="write the chain to this JSON-lines file")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="verify an exported chain offline")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Recompute the audit chain and the stored data's hashes; name the first mismatch (校验)."""
    if file is not None:
        try:
            with file.open(encoding="utf-8") as lines:
                report = verify_export(lines, source=str(file))
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror}") from exc
    else:
        db = open_database(settings())
        if export is not None:
            with export.open("w", encoding="utf-8") as out:
                count = export_chain(db, Principal.system(), out)
            console.print(
                t(f"已导出 {count} 条记录到 {export}", f"exported {count} entries to {export}")
            )
        report = verify_database(db, Principal.system())
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(IntegrityError.exit_code)

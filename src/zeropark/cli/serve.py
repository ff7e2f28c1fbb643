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
from zeropark.logs import log_config
from zeropark.service.audit_anchor import Anchor, read_anchor, write_anchor
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
    from zeropark.api.app import settle_startup_heap

    check_production(config)
    db = open_database(config)
    db.ensure_schema()
    console.print(
        t("zeropark 已启动: ", "zeropark is serving at ")
        + f"http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)"
    )
    logs = log_config(config.access_log, config.error_log, config.log_level)
    console.print(
        t(
            f"访问日志: {config.access_log}; 错误日志: {config.error_log} "
            f"(级别 {config.log_level})",
            f"access log: {config.access_log}; error log: {config.error_log} "
            f"(level {config.log_level})",
        ),
        highlight=False,
    )
    if workers > 1:
        # Worker processes build their own app from the environment: pass the settings on.
        for name, value in config.model_dump().items():
            if value is None:  # unset optional setting: the workers' default is None too
                continue
            os.environ[f"ZEROPARK_{name.upper()}"] = (
                str(value).lower() if isinstance(value, bool) else str(value)
            )
        uvicorn.run(
            "zeropark.api.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=logs,
            log_level=None,  # the levels of log_config (the access log stays at info)
        )
        return
    served = create_app(config, db)
    settle_startup_heap()
    uvicorn.run(
        served,
        host=host,
        port=port,
        log_config=logs,
        log_level=None,
    )


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
) -> None:
    """Serve the REST API (/api/v1) and the web UI (启动服务)."""
    run_server(settings(), host, port, workers)


_SHOWN = 20  # failures printed (``--json`` lists up to MAX_FAILURES)


def _print_report(report: VerifyReport) -> None:
    first = report.first_failure
    if first is None:
        console.print(
            "[green]✓[/green] "
            + t(
                f"审计链完整: {report.entries} 条记录, {report.batches} 个读数批次 "
                f"({report.readings:,} 条读数), {report.rollup_meters} 块表计的 "
                f"{report.rollup_hours:,} 个小时汇总按读数重算一致, "
                f"{report.activities} 条活动数据, "
                f"{report.sealed_rows} 行已封存配置/用户/密钥/清单/账单, "
                f"{report.inventories} 份已发布清单, {report.issued_bills} 份已出具账单; "
                f"链头 #{report.head_seq} {report.head_sha256}",
                f"audit chain intact: {report.entries} entries, {report.batches} reading batches "
                f"({report.readings:,} readings), {report.rollup_hours:,} hourly rollups of "
                f"{report.rollup_meters} meters derived again and equal, {report.activities} "
                f"activity records, {report.sealed_rows} sealed rows (configuration, users, "
                f"keys, inventories, bills), {report.inventories} published inventories, "
                f"{report.issued_bills} issued bills; head "
                f"#{report.head_seq} {report.head_sha256}",
            ),
            highlight=False,
        )
        if report.anchor is not None:
            console.print(
                t(
                    f"锚点 #{report.anchor['seq']} ({report.anchor['anchored_at']}) 仍在链中",
                    f"anchor #{report.anchor['seq']} ({report.anchor['anchored_at']}) "
                    "is still in the chain",
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
    shown = sorted(report.failures, key=lambda m: (m.seq is None, m.seq or 0))[1:_SHOWN]
    for other in shown:
        at = f"#{other.seq} " if other.seq else ""
        err_console.print(f"  - {at}[{other.kind}] {other.reason}", highlight=False)
    hidden = report.failure_count - len(shown) - 1
    if hidden > 0:
        err_console.print(
            t(
                f"  … 另有 {hidden} 处不符 (--json 列出前 50 处)",
                f"  … and {hidden} more (--json lists 50)",
            )
        )


def _load_anchor(path: Path) -> Anchor:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    return read_anchor(text, settings().secret_key, source=str(path))


@app.command()
@handle_errors
def verify(
    export: Annotated[
        Path | None, typer.Option("--export", help="write the chain to this JSON-lines file")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="verify an exported chain offline")
    ] = None,
    anchor: Annotated[
        Path | None,
        typer.Option(
            "--anchor",
            help="an anchor written earlier: its entry must still be in the chain, unchanged",
        ),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write-anchor",
            help="when verification passes, write the head as a signed anchor to this file "
            "(keep it outside the database's reach)",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Recompute the audit chain and check every stored number and permission against it (校验)."""
    if file is not None:
        if anchor is not None or write is not None:
            raise ConfigError(
                t(
                    "--anchor/--write-anchor 只用于数据库, 不用于导出文件",
                    "--anchor and --write-anchor apply to the database, not to --file",
                )
            )
        try:
            with file.open(encoding="utf-8") as lines:
                report = verify_export(lines, source=str(file))
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror}") from exc
    else:
        pinned = _load_anchor(anchor) if anchor is not None else None
        db = open_database(settings())
        if export is not None:
            with export.open("w", encoding="utf-8") as out:
                count = export_chain(db, Principal.system(), out)
            console.print(
                t(f"已导出 {count} 条记录到 {export}", f"exported {count} entries to {export}")
            )
        report = verify_database(db, Principal.system(), anchor=pinned)
        if report.ok and write is not None:
            head = Anchor(
                report.head_seq,
                report.head_sha256,
                report.head_at,
                report.chain_entries,
                db.clock.now().isoformat(timespec="seconds"),
            )
            write_anchor(write, head, settings().secret_key)
            if settings().secret_key == DEFAULT_SECRET:
                err_console.print(
                    t(
                        "警告: 锚点以默认密钥签名, 任何人都能伪造; 请设置 ZEROPARK_SECRET_KEY",
                        "warning: the anchor is signed with the default secret, which anyone "
                        "can forge; set ZEROPARK_SECRET_KEY",
                    )
                )
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    if report.ok and write is not None:
        console.print(
            t(
                f"已写入锚点 #{report.head_seq} 到 {write}",
                f"anchor #{report.head_seq} written to {write}",
            ),
            highlight=False,
        )
    if not report.ok:
        raise typer.Exit(IntegrityError.exit_code)

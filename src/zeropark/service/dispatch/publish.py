"""Plans out to devices, and the model-predictive loop (滚动优化) that keeps them current.

:func:`publish_plan` sends the plan in force for a day to every battery of the park: its whole
schedule on its MQTT command topic (unless the asset's ``control.mqtt`` is false) and, for an
asset with a Modbus write map (``control.modbus``), the setpoint in force now. Every delivery is
recorded (``setpoint_deliveries``) with its reason when it failed; a dead device never stops the
others.

:func:`run_once` is one step of the loop ``zeropark dispatch run`` repeats: it plans today and
tomorrow when they have no plan yet (from the latest readings, through the forecasts), or when
``replan`` asks for a fresh version, and publishes today's plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from zeropark.clock import Clock
from zeropark.domain.access import Principal
from zeropark.errors import NotFound
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.dispatch.plan import Forecaster, plan_day
from zeropark.service.dispatch.setpoints import (
    Delivery,
    SetpointSchedule,
    publish_schedules,
    write_setpoint,
)
from zeropark.store import audit
from zeropark.store.dispatch import StoredPlan, read_plan, record_deliveries
from zeropark.store.parks import ParkRepository

__all__ = ["LoopStep", "publish_plan", "run_once"]


def _schedules(plan: StoredPlan) -> dict[str, SetpointSchedule]:
    out = {}
    for key, values in plan.schedules.items():
        if key.startswith("setpoint_kw:"):
            asset = key.split(":", 1)[1]
            out[asset] = SetpointSchedule(
                plan.park_id, asset, plan.plan_date, plan.version, plan.start_s,
                plan.interval_s, tuple(values),
            )  # fmt: skip
    return out


def publish_plan(
    db: Database,
    principal: Principal,
    park_id: str,
    plan_date: str,
    clock: Clock,
    *,
    mqtt_host: str,
    mqtt_port: int,
) -> list[Delivery]:
    """Send the plan in force for ``plan_date`` to the devices; record every delivery."""
    with db.transaction() as conn:
        plan = read_plan(conn, principal, park_id, plan_date)
        if plan is None:
            raise NotFound(t(f"{plan_date} 没有调度计划", f"no dispatch plan for {plan_date}"))
        spec = ParkRepository(conn, principal).export(park_id)
    controls = {a.id: a.control for a in spec.assets}
    schedules = _schedules(plan)
    by_mqtt = [
        schedule
        for asset, schedule in schedules.items()
        if (control := controls.get(asset)) is None or control.mqtt
    ]
    deliveries: list[Delivery] = []
    if by_mqtt:
        deliveries += publish_schedules(by_mqtt, mqtt_host, mqtt_port)
    now_s = clock.now_s()
    for asset, schedule in schedules.items():
        control = controls.get(asset)
        if control is None or control.modbus is None:
            continue
        value = schedule.at(now_s)
        if value is not None:
            deliveries.append(write_setpoint(asset, value, control.modbus))
    with db.transaction() as conn:
        record_deliveries(
            conn, principal, park_id, plan.id,
            [{"asset_id": d.asset_id, "channel": d.channel, "target": d.target, "ok": d.ok,
              "error": d.error} for d in deliveries],
            clock.now(),
        )  # fmt: skip
        audit.append(
            conn,
            actor=principal.subject,
            action="dispatch.publish",
            park_id=park_id,
            entity=f"dispatch:{plan.plan_date}/v{plan.version}",
            payload={
                "plan_id": plan.id,
                "delivered": sum(d.ok for d in deliveries),
                "failed": [f"{d.asset_id} {d.channel}: {d.error}" for d in deliveries if not d.ok],
            },
        )
    return deliveries


@dataclass(frozen=True, slots=True)
class LoopStep:
    """What one step of the loop did: the plans it made and the deliveries of today's plan."""

    planned: list[StoredPlan]
    deliveries: list[Delivery]


def run_once(
    db: Database,
    principal: Principal,
    park_id: str,
    clock: Clock,
    forecaster: Forecaster,
    *,
    mqtt_host: str,
    mqtt_port: int,
    replan: bool = False,
) -> LoopStep:
    """Plan today and tomorrow where missing (or again with ``replan``); publish today's."""
    with db.transaction() as conn:
        tz = ParkRepository(conn, principal).get_park(park_id).timezone
    today = datetime.fromtimestamp(clock.now_s(), ZoneInfo(tz)).date()
    planned: list[StoredPlan] = []
    for day in (today, today + timedelta(days=1)):
        with db.transaction() as conn:
            existing = read_plan(conn, principal, park_id, day.isoformat())
        if existing is None or (replan and day == today + timedelta(days=1)):
            planned.append(plan_day(db, principal, park_id, day, forecaster, clock))
    deliveries = publish_plan(
        db, principal, park_id, today.isoformat(), clock, mqtt_host=mqtt_host, mqtt_port=mqtt_port
    )
    return LoopStep(planned, deliveries)

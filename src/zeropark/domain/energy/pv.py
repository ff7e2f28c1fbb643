"""The PV chain: from a fixed-tilt array's parameters and the weather to AC power (pvlib).

PVWatts-style, in pvlib's functions: Hay-Davies transposition
(``pvlib.irradiance.get_total_irradiance``), physical IAM on the beam, SAPM cell temperature (open
rack, glass/polymer), ``pvlib.pvsystem.pvwatts_dc``, the system losses (default: PVWatts'
``pvlib.pvsystem.pvwatts_losses()`` = 14.08 %: soiling 2, shading 3, mismatch 2, wiring 2,
connections 0.5, LID 1.5, nameplate 1, availability 3) and the PVWatts inverter
(``pvlib.inverter.pvwatts``). The parameters are those of the park file's ``pv`` asset type
(``docs/asset-types.md``).

Inputs are arrays over the same instants: solar position at the array (or at the weather
station whose irradiance is used: sun and irradiance must agree) and the weather. The demo park
(:mod:`zeropark.data.demo.pv`) and forecasting call :func:`pv_ac_power_kw`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pvlib

__all__ = ["PVWATTS_LOSSES_PCT", "PvSystem", "pv_ac_power_kw"]

FloatArray = npt.NDArray[np.float64]

#: PVWatts' default system losses [%].
PVWATTS_LOSSES_PCT: float = float(pvlib.pvsystem.pvwatts_losses())


@dataclass(frozen=True, slots=True)
class PvSystem:
    """A fixed-tilt PV array by its PVWatts parameters.

    ``capacity_kwp`` DC nameplate [kWp]; ``tilt_deg`` from horizontal; ``azimuth_deg`` of the
    surface (180 = south); ``inverter_kw`` AC rating [kW]; ``gamma_pdc_per_c`` power temperature
    coefficient [1/°C]; ``albedo`` of the ground; ``eta_inv_nom`` nominal inverter efficiency;
    ``losses_pct`` DC system losses [%].
    """

    capacity_kwp: float
    tilt_deg: float
    azimuth_deg: float
    inverter_kw: float
    gamma_pdc_per_c: float = -0.0037
    albedo: float = 0.2
    eta_inv_nom: float = 0.96
    losses_pct: float = PVWATTS_LOSSES_PCT


def pv_ac_power_kw(
    times_utc: pd.DatetimeIndex,
    apparent_zenith_deg: FloatArray,
    solar_azimuth_deg: FloatArray,
    dni_w_m2: FloatArray,
    ghi_w_m2: FloatArray,
    dhi_w_m2: FloatArray,
    temp_air_c: FloatArray,
    wind_speed_m_s: FloatArray,
    system: PvSystem,
) -> FloatArray:
    """AC power [kW] of ``system`` at each instant (mean power if the inputs are interval means).

    Night and sun-behind-the-array instants give 0; the result is never negative.
    """
    index = times_utc
    zenith = pd.Series(apparent_zenith_deg, index=index)
    azimuth = pd.Series(solar_azimuth_deg, index=index)
    poa = pvlib.irradiance.get_total_irradiance(
        system.tilt_deg,
        system.azimuth_deg,
        zenith,
        azimuth,
        pd.Series(dni_w_m2, index=index),
        pd.Series(ghi_w_m2, index=index),
        pd.Series(dhi_w_m2, index=index),
        dni_extra=pvlib.irradiance.get_extra_radiation(index),
        albedo=system.albedo,
        model="haydavies",
    )
    aoi = pvlib.irradiance.aoi(system.tilt_deg, system.azimuth_deg, zenith, azimuth)
    iam = np.asarray(pvlib.iam.physical(aoi), dtype=np.float64)
    direct = np.asarray(poa["poa_direct"], dtype=np.float64)
    diffuse = np.asarray(poa["poa_diffuse"], dtype=np.float64)
    effective = np.nan_to_num(direct * iam + diffuse)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    cell_c = pvlib.temperature.sapm_cell(
        np.nan_to_num(np.asarray(poa["poa_global"], dtype=np.float64)),
        temp_air_c,
        wind_speed_m_s,
        **params,
    )
    dc_kw = pvlib.pvsystem.pvwatts_dc(
        effective, cell_c, system.capacity_kwp, system.gamma_pdc_per_c
    ) * (1.0 - system.losses_pct / 100.0)
    ac_kw = pvlib.inverter.pvwatts(
        np.asarray(dc_kw, dtype=np.float64),
        system.inverter_kw / system.eta_inv_nom,
        eta_inv_nom=system.eta_inv_nom,
    )
    return np.clip(np.nan_to_num(np.asarray(ac_kw, dtype=np.float64)), 0.0, None)

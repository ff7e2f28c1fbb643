"""Rooftop PV of the demo park: a PVWatts-style pvlib chain on the real TMY weather.

Chain: Hay-Davies transposition (``pvlib.irradiance.get_total_irradiance``), physical IAM on the
beam, SAPM cell temperature (open rack, glass/polymer), ``pvlib.pvsystem.pvwatts_dc``, the
PVWatts default system losses (``pvlib.pvsystem.pvwatts_losses()`` = 14.08 %: soiling 2, shading 3,
mismatch 2, wiring 2, connections 0.5, LID 1.5, nameplate 1, availability 3) and the PVWatts
inverter model (``pvlib.inverter.pvwatts``) with a DC/AC ratio of 1.2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pvlib

from zeropark.data.demo.weather import QuarterWeather

__all__ = ["PV_ROOF", "PvSystem", "pv_power_kw"]


@dataclass(frozen=True, slots=True)
class PvSystem:
    """A fixed-tilt PV system described by PVWatts parameters."""

    capacity_kwp: float
    tilt_deg: float
    azimuth_deg: float
    inverter_kw: float
    gamma_pdc_per_c: float = -0.0037
    albedo: float = 0.2
    eta_inv_nom: float = 0.96

    @property
    def losses_pct(self) -> float:
        """PVWatts default system losses [%]."""
        return float(pvlib.pvsystem.pvwatts_losses())


#: 8 MWp on the tenants' workshop roofs, facing south at 20°, 6.67 MW of inverters.
PV_ROOF = PvSystem(capacity_kwp=8000.0, tilt_deg=20.0, azimuth_deg=180.0, inverter_kw=6667.0)


def pv_power_kw(weather: QuarterWeather, system: PvSystem = PV_ROOF) -> npt.NDArray[np.float64]:
    """AC power [kW] of ``system`` at each step of ``weather`` (mean over the 15 minutes)."""
    index = weather.times_utc
    zenith = pd.Series(weather.apparent_zenith_deg, index=index)
    azimuth = pd.Series(weather.azimuth_deg, index=index)
    poa = pvlib.irradiance.get_total_irradiance(
        system.tilt_deg,
        system.azimuth_deg,
        zenith,
        azimuth,
        pd.Series(weather.dni_w_m2, index=index),
        pd.Series(weather.ghi_w_m2, index=index),
        pd.Series(weather.dhi_w_m2, index=index),
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
        weather.temp_air_c,
        weather.wind_speed_m_s,
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

"""The shared energy rules, each written once, as plain functions over numbers and arrays.

Units are in the names (``_kw``, ``_kwh``, ``_s``, ``_deg``, ``_w_m2``), in the manner of pvlib's
first tier; the service layer, the demo generator and (later) forecasting and dispatch call them:

- :mod:`.power` — power ↔ energy over a duration, and the energy unit a power meter rolls up to;
- :mod:`.flows` — the park's electricity balance (grid import/export, PV, storage, load);
- :mod:`.tariffs` — time-of-use banding (尖峰/峰/平/谷) of park-local hours;
- :mod:`.calendar` — China's day classes (workday, weekend, holiday, make-up workday);
- :mod:`.pv` — the PV chain from the array's parameters to AC power (pvlib).

The submodules are imported by name (``from zeropark.domain.energy.pv import ...``), so a caller
that needs only the tariff rules does not load pvlib.
"""

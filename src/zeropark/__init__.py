"""zeropark — the open-source zero-carbon smart park operating system (零碳智慧园区操作系统).

The curated public API: the park model, the access principal, the error tree, units and
settings. Use cases are not re-exported here: import them from their module in
``zeropark.service`` (e.g. ``zeropark.service.ingest``), the one layer where domain, store and
I/O meet (docs/architecture.md). Everything else is reachable by its module path but may change
between versions.
"""

from importlib.metadata import PackageNotFoundError, version

from zeropark.config import Settings, load_settings
from zeropark.domain.access import Principal
from zeropark.domain.park import (
    Asset,
    Building,
    Meter,
    Park,
    ParkSpec,
    Sink,
    Tenant,
    VirtualMeter,
)
from zeropark.domain.park_rules import ValidationIssue, validate_spec
from zeropark.errors import (
    ConfigError,
    FactorNotFound,
    InputError,
    IntegrityError,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    StoreError,
    UnitError,
    ValidationFailed,
    ZeroparkError,
)
from zeropark.units import Q_, conversion_factor, parse_unit, ureg

try:
    __version__ = version("zeropark")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = [
    "Q_",
    "Asset",
    "Building",
    "ConfigError",
    "FactorNotFound",
    "InputError",
    "IntegrityError",
    "Meter",
    "NotFound",
    "Park",
    "ParkSpec",
    "PermissionDenied",
    "Principal",
    "ServiceUnavailable",
    "Settings",
    "Sink",
    "StoreError",
    "Tenant",
    "UnitError",
    "ValidationFailed",
    "ValidationIssue",
    "VirtualMeter",
    "ZeroparkError",
    "__version__",
    "conversion_factor",
    "load_settings",
    "parse_unit",
    "ureg",
    "validate_spec",
]

"""What an account's email address and password must be (docs/security.md, "Users and tokens").

One policy for every way an account is made (API, web UI, ``zeropark user add``, the demo):

- **Email**: ``local@domain``, at most 254 characters (local part at most 64), stored lowercase.
  The local part is an RFC 5322 dot-atom in ASCII; the domain has at least two labels of letters,
  digits and inner hyphens (internationalised labels are checked in their IDNA form), the last
  one not all digits. No quoted local parts, IP literals or single-label hosts.
- **Password**: at least :data:`MIN_PASSWORD` and at most :data:`MAX_PASSWORD` characters; not
  whitespace only; not one character repeated; not one of the most common passwords of the
  bundled list (``zeropark/data/common_passwords.txt``), compared case-insensitively whole and
  without a trailing run of digits and symbols (``Password2024!`` is ``password``); not the
  email address or its local part.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from zeropark.errors import InputError
from zeropark.i18n import t

__all__ = [
    "MAX_EMAIL",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "check_password",
    "common_passwords",
    "normalise_email",
]

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_EMAIL = 254
MAX_LOCAL = 64

_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TRAILING = re.compile(r"[\d\W_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list of the most common passwords (lowercase)."""
    text = resources.files("zeropark.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _bad_email() -> InputError:
    return InputError(
        t("邮箱格式不正确 (例: name@example.com)", "not an email address (like name@example.com)"),
        field="email",
    )


def _domain_ok(domain: str) -> bool:
    if len(domain) > 253:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    for label in labels:
        try:
            ascii_label = label.encode("idna").decode("ascii") if not label.isascii() else label
        except UnicodeError:
            return False
        if not _LABEL.fullmatch(ascii_label):
            return False
    return True


def normalise_email(email: str) -> str:
    """The address, trimmed and lowercase; :class:`InputError` (field ``email``) if it is none."""
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if (
        not at
        or len(address) > MAX_EMAIL
        or len(local) > MAX_LOCAL
        or not _LOCAL.fullmatch(local)
        or not _domain_ok(domain)
    ):
        raise _bad_email()
    return address


def _email_forms(email: str) -> set[str]:
    address = email.strip().lower()
    return {address, address.rpartition("@")[0]} - {""}


def check_password(password: str, *, email: str | None = None) -> None:
    """Raise :class:`InputError` (field ``password``) unless ``password`` meets the policy."""
    reason: str | None = None
    lowered = password.lower()
    if len(password) < MIN_PASSWORD:
        reason = t(
            f"密码至少 {MIN_PASSWORD} 个字符", f"the password needs {MIN_PASSWORD}+ characters"
        )
    elif len(password) > MAX_PASSWORD:
        reason = t(
            f"密码最多 {MAX_PASSWORD} 个字符",
            f"the password has more than {MAX_PASSWORD} characters",
        )
    elif not password.strip():
        reason = t("密码不能全是空白", "the password is only whitespace")
    elif len(set(password)) == 1:
        reason = t("密码不能是同一个字符的重复", "the password is one character repeated")
    elif lowered in common_passwords() or _TRAILING.sub("", lowered) in common_passwords():
        reason = t("密码太常见, 请换一个", "the password is one of the most common: choose another")
    elif email is not None and lowered in _email_forms(email):
        reason = t("密码不能与邮箱相同", "the password may not be the email address")
    if reason is not None:
        raise InputError(reason, field="password")

"""Where the data lives: defaults, ``gapcheck.toml``, and explicit overrides.

Defaults are ``specs/``, ``current_system/``, ``mappings/`` and ``reports/``
under the working directory.  A ``gapcheck.toml`` there may change them::

    [paths]
    specs = "data/specs"
    current_system = "data/inventory"
    mappings = "vendor/mappings"
    reports = "out"
    registry = "my-operations.yaml"   # optional: replaces the packaged registry
    plan = "current_system/plan.yaml"   # migration plan (readiness)

Relative paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from gapcheck.core.errors import UsageError
from gapcheck.core.messages import Msg

CONFIG_NAME = "gapcheck.toml"
MAX_CONFIG_BYTES = 1024 * 1024
"""A gapcheck.toml holds a few paths; anything larger is not one."""
_KEYS = ("specs", "current_system", "mappings", "reports", "registry", "plan", "policy", "history")


@dataclass(frozen=True)
class Config:
    """Paths of one gapcheck project."""

    root: Path
    specs: Path
    current_system: Path
    mappings: Path
    reports: Path
    registry: Path | None = None
    """A registry file replacing the packaged one (None: packaged)."""
    plan: Path | None = None
    """Migration plan file (None: ``current_system/plan.yaml`` if it exists)."""
    policy: Path | None = None
    """Policy file for ``gapcheck check`` (None: ``policy.yaml`` if it exists)."""
    history: Path | None = None
    """Readiness history file (None: ``reports/history.jsonl``)."""

    @classmethod
    def defaults(cls, root: Path | str = ".") -> Config:
        root = Path(root)
        return cls(root, root / "specs", root / "current_system", root / "mappings", root / "reports")

    def with_overrides(self, **paths: Path | str | None) -> Config:
        """A copy with the given paths replaced (None values are ignored)."""
        changes = {k: Path(v) for k, v in paths.items() if v is not None}
        unknown = set(changes) - set(_KEYS)
        if unknown:
            raise UsageError(Msg("config-unknown-setting", names=", ".join(sorted(unknown))))
        return replace(self, **changes)

    @property
    def plan_path(self) -> Path:
        return self.plan or self.current_system / "plan.yaml"

    @property
    def policy_path(self) -> Path:
        return self.policy or self.root / "policy.yaml"

    @property
    def history_path(self) -> Path:
        return self.history or self.reports / "history.jsonl"


def load_config(root: Path | str = ".", file: Path | str | None = None) -> Config:
    """The project's configuration: defaults, then ``gapcheck.toml`` (or ``file``)."""
    root = Path(root)
    cfg = Config.defaults(root)
    path = Path(file) if file is not None else root / CONFIG_NAME
    if not path.exists():
        if file is not None:
            raise UsageError(Msg("config-missing", path=str(path)))
        return cfg
    if not path.is_file():  # a folder, a FIFO or a device: never opened (a FIFO would hang)
        raise UsageError(Msg("config-not-regular", path=str(path)))
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise UsageError(Msg("config-too-large", path=str(path), kb=MAX_CONFIG_BYTES // 1024))
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(Msg("config-not-toml", path=str(path), why=str(exc))) from None
    extra = sorted(set(data) - {"paths"})
    if extra:
        raise UsageError(Msg("config-unknown-table", path=str(path), names=", ".join(extra)))
    paths = data.get("paths", {})
    if not isinstance(paths, dict):
        raise UsageError(Msg("config-paths-table", path=str(path)))
    wrong = [k for k, v in paths.items() if not isinstance(v, str)]
    if wrong:
        raise UsageError(Msg("config-paths-quoted", path=str(path), kind=type(paths[wrong[0]]).__name__, names=", ".join(wrong)))
    unknown = set(paths) - set(_KEYS)
    if unknown:
        raise UsageError(Msg("config-unknown-key", path=str(path), names=", ".join(sorted(unknown)), keys=", ".join(_KEYS)))
    base = path.parent
    return cfg.with_overrides(**{k: base / v for k, v in paths.items()})

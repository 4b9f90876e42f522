"""The seam between the processor and the sync engine: a UserSyncer, chosen by import path."""

from __future__ import annotations

import importlib
from typing import Protocol

from studiosync.context import Studio
from studiosync.control.config import DEFAULT_SYNCER, ControlSettings
from studiosync.errors import ConfigError, ErrorCode
from studiosync.sync.result import RunResult


class UserSyncer(Protocol):
    """Sync one user against Google and tell what happened."""

    def __call__(self, studio: Studio, user_id: int) -> RunResult: ...


def syncer_path() -> str:
    """The import path of the syncer: STUDIOSYNC_SYNCER ("module:function"), else the default."""
    return ControlSettings().syncer.strip() or DEFAULT_SYNCER


def load_syncer(path: str | None = None) -> UserSyncer:
    """Import the syncer named "module:function"; a wrong path is a clear ConfigError."""
    target = path or syncer_path()
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ConfigError(
            ErrorCode.CONTROL_SYNCER_NOT_CONFIGURED,
            syncer=target,
            reason="write it as module:function",
        )
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # a missing module, or one that fails while loading
        raise ConfigError(
            ErrorCode.CONTROL_SYNCER_NOT_CONFIGURED,
            syncer=target,
            reason=f"the module cannot be imported ({type(error).__name__}: {error})",
        ) from error
    found = getattr(module, attribute, None)
    if not callable(found):
        raise ConfigError(
            ErrorCode.CONTROL_SYNCER_NOT_CONFIGURED,
            syncer=target,
            reason=f"{module_name} has no function {attribute}",
        )
    syncer: UserSyncer = found
    return syncer

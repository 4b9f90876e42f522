"""The seam between the processor and the sync engine: a UserSyncer, chosen by import path."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol

from studiosync.context import Studio
from studiosync.control.config import DEFAULT_SYNCER, ControlSettings
from studiosync.errors import ConfigError, ErrorCode
from studiosync.sync.result import RunResult


class UserSyncer(Protocol):
    """Sync one user against Google and tell what happened."""

    def __call__(self, studio: Studio, user_id: int) -> RunResult: ...


class Batch(Protocol):
    """Several users' runs prepared together: ``run`` each, then ``settle`` (what the runs
    kept back is written) before their outcomes are recorded."""

    def run(self, user_id: int) -> RunResult: ...

    def settle(self) -> None: ...


class _OneByOne:
    """The batch of a syncer that has none of its own: each user on their own."""

    def __init__(self, syncer: UserSyncer, studio: Studio) -> None:
        self.syncer, self.studio = syncer, studio

    def run(self, user_id: int) -> RunResult:
        return self.syncer(self.studio, user_id)

    def settle(self) -> None:
        """Nothing is kept back."""


def batch_of(syncer: UserSyncer, studio: Studio, user_ids: Sequence[int]) -> Batch:
    """The syncer's own batch for these users (``syncer.batch``), else one by one."""
    make = getattr(syncer, "batch", None)
    if callable(make):
        batch: Batch = make(studio, user_ids)
        return batch
    return _OneByOne(syncer, studio)


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

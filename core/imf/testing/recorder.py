"""A plugin that records every hook call it receives, for tests.

Lifecycle hooks are not called through ``pm.hook``: the outbox calls each plugin's hookimpl on
its own (see :mod:`imf.delivery`), so a pluggy call monitor would see nothing. A recording
*plugin* registered in the app sees exactly what a real plugin sees: every lifecycle event
delivered, every registration and decision hook asked, with the same arguments.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

from attrs import frozen

from imf import hookspecs
from imf.plugins import ACTIVE_BY_DEFAULT_ATTR, hookimpl

#: The name the recorder is registered under when ``imf.testing`` adds it to an app.
RECORDER_NAME = "hook_recorder"


@frozen
class HookCall:
    """One recorded call: the hook's name and the arguments it was given.

    Arguments are attributes too, like pytest's ``ParsedCall``: ``call.incident``,
    ``call.event``, ``call.ctx`` (the recorder's own :class:`imf.PluginContext`).
    """

    hook: str
    args: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.args[name]
        except KeyError:
            raise AttributeError(
                f"{self.hook} was called without {name!r} (arguments: {', '.join(self.args)})"
            ) from None

    def __repr__(self) -> str:
        shown = []
        for key, value in self.args.items():
            if key == "event":
                shown.append(f"event={value.kind}#{value.seq}")
            elif key == "incident":
                shown.append(f"incident={value.id}")
            elif key == "ctx":
                continue
            else:
                shown.append(f"{key}={value!r}")
        return f"<HookCall {self.hook}({', '.join(shown)})>"


def hook_names() -> list[str]:
    """Every hook imf specifies, in the order of :mod:`imf.hookspecs`."""
    return [
        name
        for name, value in vars(hookspecs).items()
        if name.startswith("imf_") and callable(value) and hasattr(value, "imf_spec")
    ]


class HookRecorder:
    """Implements every imf hook, records each call, and answers None.

    Answering None keeps the recorder neutral: decision hooks (``firstresult``) fall through
    to the real plugins (and are recorded only when the recorder is asked before the plugin
    that answers), registration hooks add nothing, deliveries succeed without references.
    It is active by default (no ``[plugins.hook_recorder]`` table needed).

    Register it like any in-process plugin (``App.create(extra_plugins={"hook_recorder":
    recorder})``); the ``hook_recorder`` fixture of :mod:`imf.testing` does that for every
    app and in-process CLI run of the test.
    """

    def __init__(self) -> None:
        self._calls: list[HookCall] = []
        self._lock = threading.Lock()
        setattr(self, ACTIVE_BY_DEFAULT_ATTR, True)
        for name in hook_names():
            setattr(self, name, self._recording(name))

    def _recording(self, hook: str) -> Callable[..., None]:
        names = list(inspect.signature(getattr(hookspecs, hook)).parameters)
        # pluggy (and imf's per-plugin calls) read argument names from the function's code,
        # so the recorder needs a real function with the hook's own argument names.
        source = (
            f"def {hook}({', '.join(names)}):\n"
            f"    record({{{', '.join(f'{n!r}: {n}' for n in names)}}})\n"
        )
        namespace: dict[str, Any] = {"record": lambda args: self._record(hook, args)}
        exec(compile(source, f"<hook recorder {hook}>", "exec"), namespace)
        return hookimpl(namespace[hook])  # type: ignore[no-any-return]

    def _record(self, hook: str, args: dict[str, Any]) -> None:
        with self._lock:
            self._calls.append(HookCall(hook, args))

    def calls(self, hook: str | None = None) -> list[HookCall]:
        """Recorded calls of ``hook`` (all hooks if None), oldest first.

        :raises ValueError: ``hook`` is not an imf hook (a typo would otherwise match nothing).
        """
        if hook is not None and hook not in hook_names():
            raise ValueError(f"{hook!r} is not an imf hook; known: {', '.join(hook_names())}")
        with self._lock:
            return [c for c in self._calls if hook is None or c.hook == hook]

    def one(self, hook: str) -> HookCall:
        """The single recorded call of ``hook``; AssertionError if there are none or several."""
        found = self.calls(hook)
        if len(found) != 1:
            raise AssertionError(f"expected one call of {hook}, got {len(found)}: {found}")
        return found[0]

    def kinds(self) -> list[str]:
        """Kinds of the events delivered to lifecycle hooks, in delivery order."""
        return [c.args["event"].kind for c in self.calls() if "event" in c.args]

    def clear(self) -> None:
        """Forget every recorded call."""
        with self._lock:
            self._calls.clear()

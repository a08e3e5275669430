"""The panel contract: one state base that owns validation, rollback, errors and saving.

Every panel and every tab keeps what the learner controls in a ``PanelState``:

- each setting is a trait, usually ``Checked(default, check)`` whose ``check(name, value)`` returns the
  cleaned value or raises ``ValueError`` naming the parameter, the value and what is allowed;
- ``check_together(values, changed)`` sees every setting as it would be after a change and may refuse it
  (``ValueError``) or return adjusted values (e.g. a position clamped to a new, smaller grid);
- ``p.x = v`` and ``p.set(x=v, y=w)`` are transactions: if any check, observer or derived computation raises,
  every trait is put back as it was, ``error`` holds one sentence naming the parameter, and a ``ValueError``
  with that sentence is raised. The next valid change clears ``error``;
- ``SETTINGS`` names what ``to_dict()`` saves (JSON-serialisable) and ``from_dict()`` restores;
  ``SUBSTATES`` names the attributes holding sub-states (tabs), saved under their own keys.
"""
from __future__ import annotations

import base64
import contextlib
import contextvars
import itertools
import math
import numbers
import weakref

import numpy as np
from traitlets import All, HasTraits, TraitError, Unicode, default, observe, validate

from .._validate import shown
from ..i18n import LANGUAGES, _, check_language, get_language, speaking


def jsonable(value):
    """``value`` as plain JSON data: tuples and arrays become lists, NumPy scalars Python numbers."""
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{value!r} ({type(value).__name__}) cannot be saved as JSON")


def flag(name: str, value) -> bool:
    """A true/false switch: only ``True`` or ``False`` (NumPy booleans too), never a string or a number."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError(_("{name} must be True or False, got {value!r}").format(name=name, value=value))


def describe_failure(name: str, value, err: BaseException) -> str:
    """One sentence for an error that does not yet name the parameter (OverflowError, TraitError, ...)."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if isinstance(err, ValueError) and name in text:
        return text
    if isinstance(err, OverflowError) or (isinstance(value, numbers.Number) and not isinstance(value, bool)
                                          and isinstance(value, float) and not math.isfinite(value)):
        return _("{name} = {value} is out of range ({reason})").format(name=name, value=shown(value), reason=text)
    return _("{name} = {value} is not allowed: {reason}").format(name=name, value=shown(value), reason=text)


class PanelState(HasTraits):
    """Base of every panel state: transactional changes, one ``error`` line, ``to_dict``/``from_dict``."""

    #: the user-settable traits, in the order ``to_dict`` lists them
    SETTINGS: tuple[str, ...] = ()
    #: attributes holding sub-states (tabs), each a ``PanelState`` saved under its attribute name
    SUBSTATES: tuple[str, ...] = ()

    error = Unicode("", help="the last refused change, in one sentence; '' after a valid change")

    _depth = 0  # > 0 while a transaction applies its changes
    _voice = None  # the panel this state belongs to: changes are checked and drawn in its language

    # ---- changes ------------------------------------------------------------------------------
    def __setattr__(self, name, value):
        if (self._depth == 0 and name not in ("error", "language") and not name.startswith("_")
                and self.has_trait(name)):
            self.set(**{name: value})
        else:
            super().__setattr__(name, value)

    def observe(self, handler, names=All, type="change"):  # noqa: A002 - traitlets' own signature
        """traitlets' ``observe``; a panel's view built inside ``Panel._building_view`` is remembered as the
        observer's owner, so switching the language can replace the view without leaving its observers behind."""
        owner = _BUILDING.get()
        if owner is not None:
            owner._view_observers.append((self, handler, names, type))
        super().observe(handler, names=names, type=type)

    def _language_in_force(self):
        return self._voice.language if self._voice is not None else None

    def set(self, **changes) -> None:
        """Apply several changes as one: all are checked together, and either all hold or none does.

        Observers (views, linked widgets) hear of a change only once it is complete: after every check passed and
        ``after_change`` computed the derived results, so nobody ever sees a refused value or stale results.
        """
        if self._depth:  # after_change setting derived values inside a transaction
            for name, value in changes.items():
                super().__setattr__(name, value)
            return
        with speaking(self._language_in_force()):
            self._transaction(changes)

    def _transaction(self, changes: dict) -> None:
        for name in changes:
            if name == "error" or not self.has_trait(name):
                raise ValueError(_("{panel} has no setting {name!r}; settable: {known}").format(
                    panel=type(self).__name__, name=name, known=", ".join(self.SETTINGS) or "-"))
        before = dict(self._trait_values)
        pending: list = []
        culprit = next(iter(changes), "value")
        object.__setattr__(self, "_depth", 1)
        try:
            cleaned = {}
            for name, value in changes.items():
                culprit = name
                cleaned[name] = self.traits()[name]._validate(self, value)
            proposed = {name: getattr(self, name) for name in self.SETTINGS if self.has_trait(name)} | cleaned
            culprit = next(iter(changes), "value")
            adjusted = self.check_together(dict(proposed), set(changes)) or {}
            outer = self.__dict__.get("notify_change", _MISSING)  # traitlets' own hold, e.g. during __init__
            object.__setattr__(self, "notify_change", pending.append)  # hold every notification
            try:
                for name, value in (cleaned | adjusted).items():
                    super().__setattr__(name, value)
                self.after_change(set(changes))
            finally:
                if outer is _MISSING:
                    object.__delattr__(self, "notify_change")
                else:
                    object.__setattr__(self, "notify_change", outer)
        except Exception as err:  # noqa: BLE001 - whatever failed, the state goes back to what it was
            self._trait_values.clear()
            self._trait_values.update(before)  # nobody was told of the refused values: put them back quietly
            self._refuse(culprit, changes, err)
        finally:
            object.__setattr__(self, "_depth", 0)
        try:
            self._deliver(pending)
        except Exception as err:  # noqa: BLE001 - a failing observer: go back and tell everyone
            self._restore(before)
            self._refuse(culprit, changes, err)
        if self.error:
            super().__setattr__("error", "")

    def _refuse(self, culprit: str, changes: dict, err: BaseException):
        """Raise the one-sentence error; it names the setting that failed (or, if the check named one, that one)."""
        text = str(err)
        if isinstance(err, ValueError) and len(changes) > 1:
            for key in changes:
                if any(alias in text for alias in self._names_of(key)):
                    culprit = key
                    break
        message = describe_failure(self._names_of(culprit)[0], changes.get(culprit), err)
        if isinstance(err, ValueError) and any(alias in text for key in changes for alias in self._names_of(key)):
            message = text.strip().splitlines()[0] if text.strip() else message
        super().__setattr__("error", message)
        raise ValueError(message) from None

    def _names_of(self, key: str) -> tuple[str, ...]:
        """The names a setting goes by: the user's (``LABELS``) first, then its attribute name."""
        alias = getattr(self, "LABELS", {}).get(key, ())
        return (*((alias,) if isinstance(alias, str) else tuple(alias)), key)

    def _deliver(self, pending: list) -> None:
        """Tell observers of the held changes: one notification per trait, from its first old to its last value."""
        merged: dict = {}
        for change in pending:
            if change.get("type") != "change" or change.name not in merged:
                merged[change.name if change.get("type") == "change" else object()] = change
            else:
                merged[change.name]["new"] = change.new
        for change in merged.values():
            if change.get("type") == "change" and change.old is change.new:
                continue
            self.notify_change(change)

    def _restore(self, before: dict) -> None:
        """Put every trait back as it was (observers are told, so views and derived values follow)."""
        with self.hold_trait_notifications():
            for name, value in before.items():
                if name == "error":
                    continue
                if self._trait_values.get(name, _MISSING) is not value:
                    try:
                        self.set_trait(name, value)
                    except (TraitError, ValueError):
                        self._trait_values[name] = value
        try:
            self.after_change(set())
        except Exception:  # noqa: BLE001 - the old state was valid; a failing refresh must not mask the error
            pass

    def check_together(self, values: dict, changed: set) -> dict | None:
        """Refuse a combination of settings (``ValueError``) or return adjusted ones. ``values`` has every setting.

        ``changed`` holds the names the user set in this change, so an adjustment (a position clamped to a
        smaller grid) never overrides a value set in the same change.
        """
        return None

    def after_change(self, changed: set) -> None:
        """Recompute derived results after a change (raising here rolls the change back)."""

    # ---- saving -------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Every user-settable value (and each sub-state's), as JSON data: ``Panel.from_dict(d)`` rebuilds it."""
        out = {name: jsonable(getattr(self, name)) for name in self.SETTINGS}
        for name in self.SUBSTATES:
            out[name] = getattr(self, name).to_dict()
        return out

    def load_dict(self, data: dict) -> None:
        """Set every value saved by ``to_dict``, as one change: if any state refuses, every state is put back."""
        before = self.to_dict()
        try:
            self._apply_dict(data)
        except Exception:
            self._apply_dict(before)
            raise

    def _apply_dict(self, data: dict) -> None:
        if not isinstance(data, dict):
            raise ValueError(_("{panel} settings must be a dict as to_dict() returns, got {value}").format(
                panel=type(self).__name__, value=shown(data)))
        unknown = set(data) - set(self.SETTINGS) - set(self.SUBSTATES)
        if unknown:
            raise ValueError(_("{panel} has no setting {names}; known: {known}").format(
                panel=type(self).__name__, names=", ".join(sorted(map(repr, unknown))),
                known=", ".join(self.SETTINGS + self.SUBSTATES)))
        own = {name: data[name] for name in self.SETTINGS if name in data}
        if own:
            self.set(**own)
        for name in self.SUBSTATES:
            if name in data:
                getattr(self, name)._apply_dict(data[name])

    @classmethod
    def from_dict(cls, data: dict):
        """A new object with the values ``to_dict`` saved: ``from_dict(p.to_dict()).to_dict() == p.to_dict()``."""
        obj = cls()
        obj.load_dict(data)
        return obj


_MISSING = object()
_LIVE: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # creation number -> panel
_SERIAL = itertools.count()


def live_panels() -> list:
    """Every panel object still alive in this process, oldest first (the browser tests compare their states)."""
    return [_LIVE[n] for n in sorted(_LIVE.keys())]


_BUILDING: contextvars.ContextVar = contextvars.ContextVar("nnwidgets_building_view", default=None)


class Panel(HasTraits):
    """The public surface every panel adds to its state (mixed in after ``PanelState``).

    - ``.view``: the panel's widgets; ``.tabs``: the tab names; ``.tab`` / ``.open_tab(name)``: the open tab;
    - ``.control(name)``: the widget for a setting (of any tab); ``.to_png()``: the open tab as an image;
    - a tab's sub-state is the attribute named like the tab (``race.learning_rate`` for "learning rate");
    - ``.language`` ("ko" or "en"): the language the panel speaks; its "한국어 / English" toggle sets it, and a
      switch rebuilds the widgets in the new language from the same state (``to_dict()`` does not change).
    Front ends with a widget manager show ``.frame`` (the toggle above ``.view``); static ones the PNG.

    A panel builds its widgets in ``_build_view`` (called by ``_show_view`` at the end of ``__init__``); tabs built
    later are built inside ``with self._building_view():``.
    """

    TABS: tuple[str, ...] = ()

    language = Unicode(help='the language the panel speaks: "ko" (한국어) or "en" (English)')

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        _LIVE[next(_SERIAL)] = obj
        return obj

    @default("language")
    def _language_default(self):
        return get_language()

    @validate("language")
    def _language_valid(self, proposal):
        return check_language(proposal["value"])

    @property
    def tabs(self) -> tuple[str, ...]:
        return self.TABS

    def open_tab(self, name: str):
        """Show tab ``name`` (one of ``.tabs``); returns the panel."""
        self.tab = name
        return self

    # ---- the widgets, in the panel's language ---------------------------------------------------
    def _build_view(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def _building_view(self):
        """Widgets built and observers added in this block belong to the view (replaced on a language switch);
        they speak the panel's language, also in the callbacks they run later."""
        token = _BUILDING.set(self)
        try:
            with speaking(self.language):
                yield
        finally:
            _BUILDING.reset(token)
            speak_in_callbacks(getattr(self, "view", None), self)

    def _show_view(self) -> None:
        """Build the widgets (end of ``__init__``) and the frame that holds them under the language toggle."""
        import ipywidgets as widgets

        for state in self._states():
            object.__setattr__(state, "_voice", self)
        self._view_observers: list = []
        with self._building_view():
            self._build_view()
        self.language_toggle = widgets.ToggleButtons(
            options=[(name, code) for code, name in LANGUAGES.items()], value=self.language,
            tooltips=["한국어로 보기", "Show in English"], style={"button_width": "72px"})
        self.language_toggle.add_class("nnw-language")
        self.language_toggle.observe(lambda change: setattr(self, "language", change["new"]), names="value")
        bar = widgets.HBox([self.language_toggle], layout=widgets.Layout(justify_content="flex-end"))
        self.frame = widgets.VBox([bar, self.view])
        self.frame.add_class("nnw-panel")

    @observe("language")
    def _language_switched(self, change) -> None:
        if not hasattr(self, "frame"):
            return
        self.language_toggle.value = change["new"]
        old = self.view
        for state, handler, names, kind in self._view_observers:
            state.unobserve(handler, names=names, type=kind)
        self._view_observers = []
        with self._building_view():
            self._build_view()
        self.frame.children = [self.frame.children[0], self.view]
        close_tree(old)

    def _states(self) -> list:
        """This panel's state and every sub-state (tabs), depth first."""
        found, todo = [], [self]
        while todo:
            state = todo.pop()
            found.append(state)
            todo.extend(getattr(state, name) for name in state.SUBSTATES)
        return found

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.frame._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        with speaking(self.language):
            bundle["image/png"] = base64.b64encode(self.to_png()).decode("ascii")
        return bundle


def widget_tree(root) -> list:
    """``root`` and every widget under it (box and tab children), each once, parents before their children in
    child order. The one walk over a widget tree: bound controls, language callbacks, closing a view."""
    found, todo, seen = [], [root], set()
    while todo:
        widget = todo.pop()
        if widget is None or id(widget) in seen:
            continue
        seen.add(id(widget))
        found.append(widget)
        todo.extend(reversed(getattr(widget, "children", ()) or ()))
    return found


def speak_in_callbacks(root, panel) -> None:
    """Button clicks and canvas messages under ``root`` run in ``panel``'s language (wrapped once)."""
    for widget in widget_tree(root):
        for dispatcher in (getattr(widget, "_click_handlers", None), getattr(widget, "_msg_callbacks", None)):
            if dispatcher is None:
                continue
            dispatcher.callbacks = [c if getattr(c, "_nnw_speaks", False) else _speaking_callback(c, panel)
                                    for c in dispatcher.callbacks]


def _speaking_callback(callback, panel):
    def run(*args, **kwargs):
        with speaking(panel.language):
            return callback(*args, **kwargs)

    run._nnw_speaks = True
    return run


def close_tree(root) -> None:
    """Close every widget under ``root`` (their front-end models go away with them)."""
    for widget in widget_tree(root):
        close = getattr(widget, "close", None)
        if close is not None:
            close()

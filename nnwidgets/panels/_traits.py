"""A trait type for panel State objects: values pass one of the ``_validate`` checks."""
from __future__ import annotations

from functools import partial

import traitlets

from .._validate import choice


class Checked(traitlets.TraitType):
    """A trait whose values pass ``check(name, value)``.

    A rejected value raises the check's ``ValueError`` (naming the trait, the
    value and what is allowed), leaves the trait as it was, and is reported in
    the owner's ``error`` trait so a view can show it.
    """

    def __init__(self, default_value, check, **kwargs):
        super().__init__(default_value=default_value, **kwargs)
        self.check = check

    def validate(self, obj, value):
        try:
            return self.check(self.name, value)
        except ValueError as err:
            if obj.has_trait("error"):
                obj.error = str(err)
            raise


def one_of(options, *, casefold=False):
    """A check for ``Checked``: the value must be one of ``options``."""
    return partial(_one_of, options=tuple(options), casefold=casefold)


def _one_of(name, value, options, casefold):
    return choice(name, value, options, casefold=casefold)

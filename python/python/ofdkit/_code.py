"""The base classes of the code-table enums in ``ofdkit.codes``."""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Type, TypeVar, Union

from . import _native


class CodeInfo(NamedTuple):
    """What the spec says of one value."""

    wire: str
    number: Optional[int]
    tag: Optional[int]
    aliases: Tuple[str, ...]
    description_ru: str


class TableInfo(NamedTuple):
    """A table's name in the core and where the spec defines it."""

    name: str
    source: str


_INFO: Dict[type, Dict[str, CodeInfo]] = {}
_TABLES: Dict[type, TableInfo] = {}

E = TypeVar("E", bound=Enum)
I = TypeVar("I", bound="IntCode")
S = TypeVar("S", bound="StrCode")


def _info(member: Enum) -> CodeInfo:
    return _INFO[type(member)][member.name]


class _CodeMixin:
    """Spec data of a member, and parsing of every accepted spelling."""

    __slots__ = ()

    @property
    def wire(self) -> str:
        """The canonical wire form, as text."""
        return _info(self).wire  # type: ignore[arg-type]

    @property
    def number(self) -> Optional[int]:
        """The number the spec gives for the value, if any."""
        return _info(self).number  # type: ignore[arg-type]

    @property
    def tag(self) -> Optional[int]:
        """The fiscal data format (FFD) tag the spec gives, if any."""
        return _info(self).tag  # type: ignore[arg-type]

    @property
    def aliases(self) -> Tuple[str, ...]:
        """Other spellings the API accepts."""
        return _info(self).aliases  # type: ignore[arg-type]

    @property
    def description_ru(self) -> str:
        """The spec's Russian description."""
        return _info(self).description_ru  # type: ignore[arg-type]

    @classmethod
    def table(cls) -> TableInfo:
        """The table's core name and the spec section it comes from."""
        return _TABLES[cls]


def _parse(cls: Type[E], text: Union[str, int]) -> E:
    wire = _native.code_lookup(_TABLES[cls].name, str(text))
    if wire is None:
        from .errors import InvalidArgumentError

        table = _TABLES[cls]
        raise InvalidArgumentError(f"{text!r} is not a value of the {table.name} table ({table.source})")
    for member in cls:
        if _INFO[cls][member.name].wire == wire:
            return member
    raise ValueError(f"{text!r} has no member in {cls.__name__}")  # pragma: no cover - tables are generated


class IntCode(_CodeMixin, IntEnum):
    """A value of a table sent as a JSON integer."""

    @classmethod
    def parse(cls: Type[I], text: Union[str, int]) -> I:
        """The value spelt ``text`` in any way the API accepts: its wire
        form, its number, or a documented alias (``"commodity"``).
        Raises ``InvalidArgumentError`` (a ``ValueError``) for anything else."""
        return _parse(cls, text)

    def __str__(self) -> str:
        return str(int(self))


class StrCode(_CodeMixin, str, Enum):
    """A value of a table sent as a JSON string."""

    @classmethod
    def parse(cls: Type[S], text: Union[str, int]) -> S:
        """The value spelt ``text`` in any way the API accepts (wire form,
        number, documented alias). Raises ``InvalidArgumentError`` (a ``ValueError``)
        for anything else."""
        return _parse(cls, text)

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


def register(
    cls: type,
    name: str,
    source: str,
    entries: Sequence[Tuple[Optional[int], Optional[int], Tuple[str, ...], str]],
) -> None:
    """Attaches the spec's data to a generated enum, member by member."""
    members: List[Enum] = list(cls)  # type: ignore[call-overload]
    _TABLES[cls] = TableInfo(name, source)
    _INFO[cls] = {
        m.name: CodeInfo(str(m.value), number, tag, aliases, description)
        for m, (number, tag, aliases, description) in zip(members, entries)
    }

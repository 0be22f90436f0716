"""Requests mutated field by field, for the schema agreement test.

Starting from requests the core accepts, a seeded generator changes one to
three values at a time, guided by the JSON Schema of the document: a member
removed or set to null, a value of another JSON type, money out of range,
negative or too precise (as a number and as a string), integers beyond
their range, a code that is not in its table (or is, spelt another way),
strings one character over their limit (in ASCII, Cyrillic and astral
characters), near misses of a pattern (a digit too many, a trailing
newline, Unicode digits, blank text in every kind of Unicode space), arrays
emptied or overfilled, unknown members, and values taken from other
requests of the corpus at the same path. The same seed gives the same
requests, so a failure is reproduced by its seed and index.
"""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal
from typing import Any, Callable, Dict, Iterator, List, Sequence, Tuple, Union

Json = Any
Path = Tuple[Union[str, int], ...]


def dumps(value: Json) -> str:
    """JSON text with every Decimal written exactly as its digits."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + dumps(v) for k, v in value.items()) + "}"
    raise TypeError(f"not JSON: {value!r}")


def generic_path(path: Path) -> str:
    """`("receipt", "items", 2, "vat")` → `receipt.items[].vat`; a
    correction's members are a receipt's."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += "[]"
        else:
            out += ("." if out else "") + ("receipt" if step == "correction" and not out else step)
    return out


def walk(value: Json, path: Path = ()) -> Iterator[Tuple[Path, Json]]:
    """Every value of a document with its path, the root first."""
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, path + (index,))


class SchemaView:
    """The branches of a schema that a value may take at a path: `$ref`
    followed, `allOf` merged, `anyOf` split, the null branch left out."""

    def __init__(self, root: Dict[str, Any]) -> None:
        self.root = root

    def branches(self, schema: Dict[str, Any]) -> List[Dict[str, Any]]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            merged = dict(self.root["$defs"][name])
            merged.update({k: v for k, v in schema.items() if k != "$ref"})
            return self.branches(merged)
        if "allOf" in schema:
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            out = [merged]
            for part in schema["allOf"]:
                out = [_merge(a, b) for a in out for b in self.branches(part)]
            return out
        if "anyOf" in schema:
            rest = {k: v for k, v in schema.items() if k not in ("anyOf", "description")}
            found: List[Dict[str, Any]] = []
            for part in schema["anyOf"]:
                if part == {"type": "null"}:
                    continue
                found += [_merge(rest, b) for b in self.branches(part)]
            return found
        return [schema]

    def at(self, path: Path) -> List[Dict[str, Any]]:
        current = self.branches(self.root)
        for step in path:
            following: List[Dict[str, Any]] = []
            for branch in current:
                if isinstance(step, int) and "items" in branch:
                    following += self.branches(branch["items"])
                elif isinstance(step, str) and step in branch.get("properties", {}):
                    following += self.branches(branch["properties"][step])
            current = following
        return current


def _merge(a: Dict[str, Any], b: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key == "properties" and key in out:
            both = {**out[key], **value}
            for name in set(out[key]) & set(value):
                both[name] = {"allOf": [out[key][name], value[name]]}
            out[key] = both
        elif key == "required" and key in out:
            out[key] = list(out[key]) + [v for v in value if v not in out[key]]
        else:
            out[key] = value
    return out


D = Decimal
WRONG_TYPES: List[Json] = [None, True, False, 0, -1, D("1.5"), "", "x", [], {}, [1], {"a": 1}]
BLANKS = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u2028", "\u1680", "\x1c", "\x1f", "\u0085", "\ufeff", "\u200b", "\x0b"]
MONEY_NUMBERS = [
    D("0"), D("0.00"), D("-0"), D("-0.01"), D("-1"), D("0.001"), D("0.01"), D("0.1"), D("1.10"), D("249.9"),
    D("1.005"), D("42949672.95"), D("42949672.96"), D("99999.999"), D("100000"), D("99999999.99"),
    D("100000000"), D("1E+2"), D("1E-2"), D("1E-3"), D("1.0E+1"), D("1E+400"), D("1E-400"), D("12345678901234567890"),
    0, 1, 5, 100, -5, 42949673, 99999999, 100000000,
]
MONEY_TEXTS = [
    " 1.5 ", "1,5", "1.", ".5", "+1", "-1", "-0", "-0.00", "0x10", "1e2", "1E-2", "NaN", "Infinity", "1_000", "\uff11",
    "\u00a01.5", "1.5\n", "\x1c1.5", "\u00851.5", "\ufeff1.5", "1.5\u3000", "", " ", "0.001", "42949672.96",
    "99999999.99", "100000000", "1e400", "12.50", "7", "0.1e1", "1 000",
]
INTEGERS = [0, 1, -1, 7, 4294967295, 4294967296, 2**63, -(2**63) - 1, D("7.0"), D("7.5"), D("1E+1"), D("-0"), "7"]
DATES = [
    "24.11.2026 12:00:00", "2026-11-24T12:00:00", "31.11.2026", "24.11.26", "24-11-2026 12:00:00", " 24.11.2026 ",
    "24.11.2026\n", "2026-11-24", "2026-11-24 12:00", "1.00:00:00", "00:05:00", "24.11.2026 25:00:00",
    "99.99.9999", "05.01.90", "2026-11-24T12:00:00.1234567", "24.11.2026 12:00", "\u00a024.11.2026",
    "\uff12\uff14.11.2026",
]
CODE_SPELLINGS: List[Json] = [
    D("1.0"), D("-0"), D("0E+0"), D("1E+0"), "00", "+1", "001", "01", "OSN", " osn", "osn ", "1.0", D("1.5"), -1, 999, "", "vat18", "commodity ", "Commodity", "sell",
    "0.0", "1e0", " 1", "1 ", "\uff11", "\u0661", 2**40, D("1E+400"), "0x1",
]
STRICT_UNICODE = ["\u0663", "\uff10", "A", "x", "-", " ", "\n", "\x00"]


class Mutator:
    """Mutates documents of one schema, with values of a corpus to borrow."""

    def __init__(self, schema: Dict[str, Any], donors: Dict[str, List[Json]], rng: random.Random) -> None:
        self.view = SchemaView(schema)
        self.donors = donors
        self.rng = rng

    def mutate(self, document: Json, times: int) -> Tuple[Json, List[str]]:
        """A copy of `document` with `times` mutations, and what they were."""
        out = copy.deepcopy(document)
        done: List[str] = []
        for _ in range(times):
            # Every field alike, however many items repeat it.
            nodes: Dict[str, List[Tuple[Path, Json]]] = {}
            for path, value in walk(out):
                nodes.setdefault(generic_path(path), []).append((path, value))
            path, value = self.rng.choice(nodes[self.rng.choice(sorted(nodes))])
            operation = self.rng.choice(self.operations(path, value))
            out, description = operation(out, path, value)
            done.append(description)
        return out, done

    def operations(self, path: Path, value: Json) -> List[Callable[[Json, Path, Json], Tuple[Json, str]]]:
        ops: List[Callable[[Json, Path, Json], Tuple[Json, str]]] = [self.replace]
        if path:
            ops += [self.remove, self.replace]
        if isinstance(value, dict):
            ops += [self.add_member, self.add_member, self.add_member]
        if isinstance(value, list):
            ops += [self.resize]
        return ops

    # --- operations --------------------------------------------------------

    def remove(self, document: Json, path: Path, value: Json) -> Tuple[Json, str]:
        parent = get(document, path[:-1])
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            del parent[path[-1]]
        return document, f"removed {show(path)}"

    def replace(self, document: Json, path: Path, value: Json) -> Tuple[Json, str]:
        candidates = self.values_for(path, value)
        new = copy.deepcopy(self.rng.choice(candidates))
        return set_at(document, path, new), f"{show(path)} = {dumps(new)[:80]}"

    def add_member(self, document: Json, path: Path, value: Json) -> Tuple[Json, str]:
        absent: List[str] = []
        for branch in self.view.at(path):
            absent += [k for k in branch.get("properties", {}) if k not in value and k not in absent]
        if not absent or self.rng.random() < 0.15:
            key = self.rng.choice(["unknown_member", "Unknown", "items_", "sno "])
        else:
            key = self.rng.choice(absent)
        member = copy.deepcopy(self.rng.choice(self.values_for(path + (key,), None, fresh=True)))
        value[key] = member
        done = f"added {show(path + (key,))} = {dumps(member)[:80]}"
        inside = list(walk(member, path + (key,)))[1:]
        if inside and self.rng.random() < 0.5:
            # Into the new member at once: the fields of members the
            # requests rarely carry are reached as often as the others.
            at, current = self.rng.choice(inside)
            document, then = self.rng.choice([self.replace, self.replace, self.remove])(document, at, current)
            done += f", then {then}"
        return document, done

    def resize(self, document: Json, path: Path, value: Json) -> Tuple[Json, str]:
        choice = self.rng.randrange(5)
        if choice == 0 or not value:
            value.clear()
            return document, f"emptied {show(path)}"
        if choice == 1:
            value.append(copy.deepcopy(self.rng.choice(value)))
            return document, f"duplicated an element of {show(path)}"
        if choice == 2:
            n = self.rng.choice([9, 10, 11, 12])
            value[:] = [copy.deepcopy(value[i % len(value)]) for i in range(n)]
            return document, f"{show(path)} made {n} long"
        if choice == 3:
            wrong = copy.deepcopy(self.rng.choice(WRONG_TYPES))
            value.append(wrong)
            return document, f"appended {dumps(wrong)} to {show(path)}"
        del value[self.rng.randrange(len(value))]
        return document, f"removed an element of {show(path)}"

    # --- values -----------------------------------------------------------

    def values_for(self, path: Path, current: Json, fresh: bool = False) -> List[Json]:
        """Values worth trying at `path`, of one kind drawn at random: taken
        from the corpus, of another JSON type, or near the edges of what
        the schema allows there."""
        donors = self.donors.get(generic_path(path), [])
        specific: List[Json] = []
        for branch in self.view.at(path):
            specific += self.branch_values(branch, current)
        kinds = [(donors, 0.5 if fresh else 0.25), (WRONG_TYPES, 0.05 if fresh else 0.15), (specific, 0.6)]
        kinds = [(values, weight) for values, weight in kinds if values]
        values, _ = self.rng.choices(kinds, weights=[w for _, w in kinds])[0]
        return values

    def branch_values(self, branch: Dict[str, Any], current: Json) -> List[Json]:
        out: List[Json] = []
        kind = branch.get("type")
        if "enum" in branch:
            out += list(branch["enum"]) * 2 + CODE_SPELLINGS
        if "const" in branch:
            out += [branch["const"], branch["const"] + " ", "1", 0]
        if kind == "number":
            out += MONEY_NUMBERS + [str(v) for v in MONEY_NUMBERS]
        if kind == "integer":
            out += INTEGERS
            if "maximum" in branch:
                out += [branch["maximum"], branch["maximum"] + 1]
        if kind == "boolean":
            out += [True, False, "true", 0, 1]
        if kind == "string":
            out += self.string_values(branch, current)
        if kind == "array":
            items = self.view.branches(branch.get("items", {}))
            element: List[Json] = []
            for item in items:
                element += self.branch_values(item, None)[:4]
            out += [[], [self.rng.choice(element)] if element else [None]]
        if kind == "object":
            out += [{}]
        return out

    def string_values(self, branch: Dict[str, Any], current: Json) -> List[Json]:
        out: List[Json] = [""] + BLANKS + ["x", "x\x00y"]
        limit = branch.get("maxLength")
        if isinstance(limit, int):
            for ch in ("a", "\u044f", "\U0001d11e"):
                out += [ch * limit, ch * (limit + 1)]
            out += [" " * (limit + 1), "a" * (limit - 1) + " "]
        pattern = branch.get("pattern", "")
        if "[0-9]" in pattern or "{" in pattern:
            out += DATES if ":" in pattern or "\\." in pattern or "-[0-9]{2}" in pattern else []
            out += ["0" * n for n in (1, 2, 3, 4, 6, 8, 9, 10, 12, 13, 14, 15, 16, 17)]
        if pattern.startswith("^\\s*") or "[.-]" in pattern:
            out += DATES
        if isinstance(current, str) and current:
            position = self.rng.randrange(len(current))
            for ch in STRICT_UNICODE:
                out.append(current[:position] + ch + current[position + 1:])
            out += [current[:-1], current + current[-1], current + "\n", " " + current, current + " ", current.lower(),
                    current + "\u00a0", "\u0085" + current, current.upper()]
        return out


def enrich(document: Json, view: SchemaView, donors: Dict[str, List[Json]], accepted: Callable[[Json], bool]) -> Json:
    """`document` with every member its schema describes that the corpus
    has a value for and that keeps it `accepted`: a request that carries
    the fields other requests only carry one at a time, so that mutations
    reach every field."""
    out = copy.deepcopy(document)
    for _ in range(4):  # members of members added in the round before
        grew = False
        for path, value in list(walk(out)):
            # The first element of an array stands for the others.
            if not isinstance(value, dict) or any(isinstance(step, int) and step > 0 for step in path):
                continue
            for branch in view.at(path):
                for key, schema in branch.get("properties", {}).items():
                    if key in value or schema.get("deprecated"):
                        continue
                    for candidate in donors.get(generic_path(path + (key,)), [])[:8]:
                        value[key] = copy.deepcopy(candidate)
                        if accepted(out):
                            grew = True
                            break
                        del value[key]
        if not grew:
            break
    return out


def get(document: Json, path: Path) -> Json:
    for step in path:
        document = document[step]
    return document


def set_at(document: Json, path: Path, value: Json) -> Json:
    if not path:
        return value
    get(document, path[:-1])[path[-1]] = value
    return document


def show(path: Path) -> str:
    return generic_path(path).replace("[]", "[*]") if path else "(root)"


def collect_donors(documents: Sequence[Json]) -> Dict[str, List[Json]]:
    """Every distinct value of the corpus at each generic path (small ones
    only, to keep mutants small)."""
    out: Dict[str, Dict[str, Json]] = {}
    for document in documents:
        for path, value in walk(document):
            text = dumps(value)
            if path and len(text) <= 2000:
                out.setdefault(generic_path(path), {}).setdefault(text, value)
    return {path: list(values.values()) for path, values in out.items()}

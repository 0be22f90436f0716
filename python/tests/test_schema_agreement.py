"""The JSON Schemas in schema/ against the core, with an independent
validator (python-jsonschema, draft 2020-12).

Schemas and instances are read with ``parse_float=Decimal``, so
``multipleOf: 0.01`` is exact, and integers are told apart the way JSON
Schema does (7.0 is an integer). Every request of the shared vectors, every
peer receipt and many thousand property-generated mutants of them are
checked by both, and their verdicts must agree on every rule a schema
expresses:

* the core finds an error of an expressed rule  →  the schema refuses;
* the core finds no error at all               →  the schema accepts.

Where the core's only errors are rules the schema cannot express
(``ofdkit::schema::NOT_EXPRESSED``: check digits, totals, rules across
fields), the schema may go either way; those requests are counted, not
judged. Warnings are never constraints. Mutants are seeded:
``OFDKIT_SCHEMA_SEED`` and ``OFDKIT_SCHEMA_MUTANTS`` reproduce or widen a
run, and a disagreement is reported with the JSON that shows it.
"""

from __future__ import annotations

import decimal
import json
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import pytest
from jsonschema import Draft202012Validator, validators

import ofdkit

from conftest import REPO, VECTORS
from request_mutations import Mutator, SchemaView, collect_donors, dumps, enrich, generic_path, walk

SCHEMAS = REPO / "schema"
RULES = json.loads((Path(__file__).parent / "schema_rules.json").read_text(encoding="utf-8"))["rules"]
NOT_EXPRESSED: Set[str] = {r["id"] for r in RULES if not r["expressed"]}
EXPRESSED_ERRORS: Set[str] = {r["id"] for r in RULES if r["expressed"] and r["severity"] == "error"}

SEED = int(os.environ.get("OFDKIT_SCHEMA_SEED", "20261128"))
MUTANTS = int(os.environ.get("OFDKIT_SCHEMA_MUTANTS", "12000"))

# The vector kinds that are requests, with the schema file and the core's
# kind (None: Python has no validator for it; the vector's recorded
# violations, which the Rust vector test holds the core to, stand in).
REQUEST_KINDS: Dict[str, Tuple[str, Optional[str]]] = {
    "ferma.receipt_request": ("ferma-receipt-request.json", "receipt"),
    "ferma.token_request": ("ferma-token-request.json", None),
    "ofd.application_request": ("ofd-application-request.json", "application"),
    "ofd.application_update": ("ofd-application-update.json", "update"),
    "ofd.partner_registration": ("ofd-partner-registration.json", "partner"),
    "ofd.sign_request": ("ofd-sign-request.json", None),
}
# How the mutants are shared among the kinds (receipts have the most fields).
MUTANT_SHARE = {
    "ferma.receipt_request": 0.6,
    "ofd.application_request": 0.25,
    "ofd.partner_registration": 0.1,
    "ofd.application_update": 0.05,
}


def load_exact(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _is_integer(checker: Any, instance: Any) -> bool:
    """JSON Schema's integer: a number with no fraction, whatever it is
    written as (``7``, ``7.0``, ``7e0``), here also as a Decimal."""
    if isinstance(instance, bool):
        return False
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return isinstance(instance, int)


ExactValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def schema_validator(file: str) -> Any:
    schema = load_exact((SCHEMAS / file).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return ExactValidator(schema)


VALIDATORS = {file: schema_validator(file) for file, _ in set(REQUEST_KINDS.values())}
VALIDATORS["ferma-correction-request.json"] = schema_validator("ferma-correction-request.json")


@dataclass
class Request:
    """A request as JSON text, and how the core is asked about it."""

    name: str
    kind: str
    text: str
    operation: str = "sell"
    check: str = "draft"
    # For kinds Python has no validator of: the violations the vector records.
    recorded: Optional[List[Dict[str, str]]] = None

    def fields(self) -> int:
        """How many distinct fields (generic paths) the request has."""
        return len({generic_path(p) for p, _ in walk(load_exact(self.text))})

    @property
    def schema_file(self) -> str:
        if self.kind == "ferma.receipt_request" and self.operation.endswith("_correction"):
            return "ferma-correction-request.json"
        return REQUEST_KINDS[self.kind][0]


@dataclass
class Verdicts:
    schema_errors: List[str]
    core_errors: List[Tuple[str, str]]  # (path, rule)

    @property
    def expressed(self) -> List[Tuple[str, str]]:
        return [(p, r) for p, r in self.core_errors if r not in NOT_EXPRESSED]

    def outcome(self) -> str:
        if self.expressed:
            return "both refuse" if self.schema_errors else "DISAGREE: the schema accepts an expressed error"
        if not self.core_errors:
            return "both accept" if not self.schema_errors else "DISAGREE: the schema refuses what the core accepts"
        return "not expressed, schema refuses" if self.schema_errors else "not expressed, schema accepts"


# jsonschema checks multipleOf as `instance % step` in the current decimal
# context, whose 28 digits cannot hold the quotient of 1e400 by 0.01.
EXACT = decimal.Context(prec=2000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def schema_errors(request: Request, every: bool = False) -> List[str]:
    """The schema's errors: the first only (enough for a verdict), or all."""
    instance = load_exact(request.text)
    with decimal.localcontext(EXACT):
        errors = VALIDATORS[request.schema_file].iter_errors(instance)
        found = list(errors) if every else [e for e in [next(errors, None)] if e is not None]
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:160]}" for e in found]


def verdicts(request: Request) -> Verdicts:
    schema = schema_errors(request)
    if request.recorded is not None:
        core = [(v["path"], v.get("rule", v["code"])) for v in request.recorded if v["severity"] == "error"]
    else:
        core_kind = REQUEST_KINDS[request.kind][1]
        found = ofdkit.validate(request.text, kind=core_kind, operation=request.operation, check=request.check)
        core = [(v.path, v.rule) for v in found if v.severity == "error"]
    return Verdicts(schema, core)


def corpus() -> List[Request]:
    """Every request of the shared vectors and of the peer corpus."""
    out: List[Request] = []
    for path in sorted(VECTORS.rglob("*.json")):
        if "tools" in path.parts or "peers" in path.parts:
            continue
        vector = load_exact(path.read_text(encoding="utf-8"))
        if vector["kind"] not in REQUEST_KINDS:
            continue
        if "input" in vector:
            text = dumps(vector["input"])
        else:
            text = vector["input_text"]
            try:
                json.loads(text)
            except ValueError:
                continue  # malformed JSON: nothing for a schema to judge
        recorded = None if REQUEST_KINDS[vector["kind"]][1] else vector["expect"].get("violations", [])
        name = str(path.relative_to(VECTORS))
        out.append(Request(name, vector["kind"], text, vector.get("operation", "sell"), vector.get("check", "draft"), recorded))
    expected = json.loads((VECTORS / "peers" / "expected.json").read_text(encoding="utf-8"))
    for file, verdict in sorted(expected.items()):
        text = (VECTORS / "peers" / file).read_text(encoding="utf-8")
        out.append(Request(f"peers/{file}", "ferma.receipt_request", text, verdict["operation"]))
    return out


CORPUS = corpus()


def report(results: List[Tuple[Request, Verdicts, str]]) -> str:
    lines = []
    for request, found, what in results:
        lines.append(
            f"\n{request.name} ({request.kind}, {request.operation}, {request.check}){what}\n"
            f"  {found.outcome()}\n  schema: {schema_errors(request, every=True)[:4]}\n  core errors: {found.core_errors[:6]}\n"
            f"  json: {request.text[:3000]}"
        )
    return "".join(lines)


def test_the_corpus_is_there() -> None:
    kinds = Counter(r.kind for r in CORPUS)
    assert len(CORPUS) >= 250, kinds
    assert set(kinds) == set(REQUEST_KINDS), kinds
    assert sum(1 for r in CORPUS if r.name.startswith("peers/")) >= 50


def test_every_schema_is_a_valid_2020_12_schema() -> None:
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = load_exact(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", path.name
        Draft202012Validator.check_schema(schema)


def test_the_rules_file_names_the_catalog() -> None:
    assert NOT_EXPRESSED, "NOT_EXPRESSED is empty"
    assert {"required", "bad_type", "unknown_value", "max_length", "inn_format"} <= EXPRESSED_ERRORS


def test_schemas_and_core_agree_on_the_vectors_and_the_peer_corpus() -> None:
    outcomes: Counter[str] = Counter()
    disagreements = []
    for request in CORPUS:
        found = verdicts(request)
        outcomes[found.outcome()] += 1
        if found.outcome().startswith("DISAGREE"):
            disagreements.append((request, found, ""))
    print(f"\n{len(CORPUS)} requests of the corpus: {dict(outcomes)}")
    assert not disagreements, report(disagreements)
    # Both directions were exercised: refused and accepted requests.
    assert outcomes["both refuse"] >= 100 and outcomes["both accept"] >= 10, outcomes


def core_accepts(request: Request) -> bool:
    found = ofdkit.validate(request.text, kind=REQUEST_KINDS[request.kind][1], operation=request.operation, check=request.check)
    return not any(v.severity == "error" for v in found)


def mutation_bases() -> Dict[str, List[Request]]:
    """The requests the core accepts, to mutate from, and of the valid
    vectors also a copy with every field the corpus can fill in."""
    bases: Dict[str, List[Request]] = {kind: [] for kind in MUTANT_SHARE}
    donors = collect_donors([load_exact(r.text) for r in CORPUS])
    for request in CORPUS:
        if request.kind not in bases or request.recorded is not None or not core_accepts(request):
            continue
        bases[request.kind].append(request)
        if "/valid/" in request.name:
            view = SchemaView(load_exact((SCHEMAS / request.schema_file).read_text(encoding="utf-8")))

            def accepted(document: Any, like: Request = request) -> bool:
                return core_accepts(Request(like.name, like.kind, dumps(document), like.operation, like.check))

            rich = enrich(load_exact(request.text), view, donors, accepted)
            bases[request.kind].append(Request(f"{request.name} with every field", request.kind, dumps(rich), request.operation, request.check))
    return bases


BASES = mutation_bases()


def test_schemas_and_core_agree_on_property_generated_requests() -> None:
    rng = random.Random(SEED)
    bases = BASES
    donors = collect_donors([load_exact(r.text) for r in CORPUS])
    outcomes: Counter[str] = Counter()
    rules_hit: Counter[str] = Counter()
    disagreements = []
    weights = {kind: [b.fields() for b in found] for kind, found in bases.items()}
    for kind, share in MUTANT_SHARE.items():
        assert bases[kind], f"no valid {kind} to mutate"
        mutators: Dict[str, Mutator] = {}
        for index in range(int(MUTANTS * share)):
            # Requests with more fields give more to mutate.
            base = rng.choices(bases[kind], weights=weights[kind])[0]
            mutator = mutators.get(base.schema_file)
            if mutator is None:
                schema = load_exact((SCHEMAS / base.schema_file).read_text(encoding="utf-8"))
                mutator = mutators[base.schema_file] = Mutator(schema, donors, rng)
            document, how = mutator.mutate(load_exact(base.text), rng.choice([1, 1, 1, 2, 3]))
            request = Request(f"{kind} mutant {index} of {base.name}", kind, dumps(document), base.operation, base.check)
            found = verdicts(request)
            outcome = found.outcome()
            outcomes[outcome] += 1
            rules_hit.update({rule for _, rule in found.expressed})
            if outcome.startswith("DISAGREE"):
                disagreements.append((request, found, f" [seed {SEED}] {'; '.join(how)}"))
    total = sum(outcomes.values())
    print(f"\n{total} property-generated requests (seed {SEED}): {dict(outcomes)}")
    print(f"expressed rules refused by both: {dict(rules_hit)}")
    assert not disagreements, f"{len(disagreements)} disagreements" + report(disagreements[:25])
    assert total >= MUTANTS * 0.99
    # The generator reaches both verdicts and every rule a schema expresses
    # that its mutations can break (the rest are named here, with why).
    assert outcomes["both refuse"] >= total // 5 and outcomes["both accept"] >= total // 20, outcomes
    unreachable = {
        "duplicate_member",  # a dict cannot hold a member twice
    }
    missing = EXPRESSED_ERRORS - set(rules_hit) - unreachable
    assert not missing, f"no mutant broke {sorted(missing)}"


@pytest.mark.parametrize("kind", sorted(MUTANT_SHARE))
def test_every_kind_has_a_valid_request_to_mutate(kind: str) -> None:
    assert BASES[kind]


# Integer codes spelled as other JSON numbers (1.0, -0, 0e0) are the same
# integer to JSON Schema and to the core; as text, only plain digits name a
# code (no "00", "+1"). The two once disagreed here.
CODE_NUMBER_SPELLINGS = [
    ("items", "measure", "0.0"),
    ("items", "measure", "-0"),
    ("items", "measure", "0e0"),
    ("payments", "type", "1.0"),
    ("items", "payment_object", "1E+0"),
    ("items", "measure", '"00"'),
    ("payments", "type", '"+1"'),
    ("items", "payment_object", '"001"'),
]


@pytest.mark.parametrize("member, field, value", CODE_NUMBER_SPELLINGS)
def test_a_code_number_is_read_as_json_schema_reads_it(member: str, field: str, value: str) -> None:
    receipt = load_exact((REPO / "examples" / "receipt.json").read_text(encoding="utf-8"))
    receipt["receipt"][member][0][field] = "@@"
    request = Request(f"{member}[0].{field} = {value}", "ferma.receipt_request", dumps(receipt).replace('"@@"', value))
    found = verdicts(request)
    assert not found.outcome().startswith("DISAGREE"), report([(request, found, "")])

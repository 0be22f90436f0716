#!/usr/bin/env python3
"""Writes seed inputs for every fuzz target into OUT/<target>/, from the
shared test vectors (tests/vectors/**), the peers' receipts
(tests/vectors/peers/) and examples/receipt.json. `scripts/fuzz
--update-corpus` minimises them with the committed corpus into fuzz/corpus/.

Targets that pick an option by the input's length (the operation of a
receipt, the level of a registration check, the HTTP status of an answer;
see fuzz/src/support.rs) get their seed padded with trailing spaces to the
option the vector was written for. Run from the repository root:
    python3 fuzz/seeds.py OUT
"""

import decimal
import hashlib
import json
import pathlib
import sys

OPERATIONS = ["sell", "sell_refund", "sell_correction", "sell_refund_correction",
              "buy", "buy_refund", "buy_correction", "buy_refund_correction"]
CHECKS = ["draft", "complete", "secondary"]
# fuzz/src/answers.rs: STATUSES, the HTTP status an answer is read with.
STATUSES = [200, 200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 422, 500, 503, 0, 999]
SEED_STATUSES = [200, 400, 401, 404, 500]

FERMA_ANSWERS = {"ferma.token_response", "ferma.create_response", "ferma.report", "ferma.cashbox_stats"}
OFD_ANSWERS = {"ofd.application_response", "ofd.application_list_response", "ofd.partner_response"}
OFD_REQUESTS = {"ofd.application_request": "application", "ofd.application_update": "application_update",
                "ofd.partner_registration": "partner_registration", "ofd.sign_request": "sign_request"}

# Text at the edges of what the decimal, money and date readers accept.
MONEY_EDGES = ["0", "-0", "0.00", "+1.50", " 1.5 ", "1e2", "1E-2", "-4.5E-1", "1e-400", "1e400",
               "42949672.95", "42949672.96", "99999999.99", "100000000", "99999.999", "0.001",
               "799.800000000000000000000000001", "300.000000000", "00012.30", "1.", ".5", "1e", "--1"]
DATE_EDGES = ["22.09.2021 13:45:00", "22.09.21 13:45:00", "29.02.2024", "29.02.2023", "31.04.2021",
              "2021-09-22", "2021-09-22T13:45:00", "2021-09-22 13:45:00", "2021-09-22T13:45:00.1234567Z",
              "2021-09-22T13:45:00.1234567891", "2021-09-22 13:45", "00:00:00.0475426", "1.02:03:04.5",
              "99999999.23:59:59.999999999", "0001-01-01T00:00:00", "9999-12-31T23:59:59", "24:00:00",
              "01.01.0001 00:00:00", "31.12.9999 23:59:59", "220921"]


def load(path):
    """A vector, keeping number text and duplicate members."""
    return json.loads(path.read_text(encoding="utf-8"), parse_float=decimal.Decimal,
                      object_pairs_hook=Members)


class Members(list):
    """An object's members in order, duplicates kept."""

    def get(self, key, default=None):
        return next((v for k, v in self if k == key), default)


def write(value, indent=0):
    """JSON text of a loaded value, numbers as they were written."""
    pad = "  " * (indent + 1)
    if isinstance(value, Members):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {write(v, indent + 1)}" for k, v in value]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(pad + write(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
    if isinstance(value, decimal.Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def padded(text, choose, count):
    """`text` with trailing spaces until its length modulo `count` is `choose`."""
    data = text.encode("utf-8")
    return data + b" " * ((choose - len(data)) % count)


def leaves(value, path=""):
    """JSON pointers of the values in a document, escaped as RFC 6901 says."""
    yield path
    if isinstance(value, Members):
        for k, v in value:
            yield from leaves(v, path + "/" + k.replace("~", "~0").replace("/", "~1"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, f"{path}/{i}")


def scalars(value):
    if isinstance(value, Members):
        for _, v in value:
            yield from scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from scalars(v)
    elif not isinstance(value, bool) and value is not None:
        yield value


class Seeds:
    def __init__(self, out):
        self.out = out

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        folder = self.out / target
        folder.mkdir(parents=True, exist_ok=True)
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)

    def document(self, text, value):
        """What every document seeds: the JSON reader, the C accessors and the value readers."""
        self.add("json", text)
        if value is None:
            return
        pointers = list(leaves(value))
        # The whole document, the deepest pointer and a few in between.
        for pointer in sorted(set(pointers[:: max(1, len(pointers) // 4)] + pointers[-1:])):
            self.add("json_accessors", text.encode("utf-8") + b"\0" + pointer.encode("utf-8"))
        for scalar in scalars(value):
            if isinstance(scalar, (int, decimal.Decimal)):
                self.add("money", str(scalar))
            elif isinstance(scalar, str) and any(c.isdigit() for c in scalar) and len(scalar) <= 40:
                self.add("money" if scalar.replace(".", "", 1).isdigit() else "dates", scalar)

    def receipt(self, text, value, operation):
        op = OPERATIONS.index(operation)
        self.add("receipt", padded(text, op, len(OPERATIONS)))
        self.add("receipt_totals", text)
        # request_kind picks the operation by length modulo 8 and the check modulo 3.
        self.add("request_kind", padded(text, next(n for n in range(24) if n % 8 == op), 24))
        self.document(text, value)

    def answer(self, target, text, value):
        for status in SEED_STATUSES:
            self.add(target, padded(text, STATUSES.index(status), len(STATUSES)))
        self.document(text, value)


def main():
    out = pathlib.Path(sys.argv[1])
    seeds = Seeds(out)
    vectors = pathlib.Path("tests/vectors")
    for path in sorted(vectors.glob("*/*/*.json")):
        vector = load(path)
        kind = vector.get("kind")
        if vector.get("input_text") is not None:
            text, value = vector.get("input_text"), None
        else:
            value = vector.get("input")
            text = write(value)
        if kind == "ferma.receipt_request":
            seeds.receipt(text, value, vector.get("operation") or "sell")
        elif kind in FERMA_ANSWERS:
            seeds.answer("ferma_answers", text, value)
        elif kind in OFD_ANSWERS:
            seeds.answer("ofd_answers", text, value)
        elif kind in OFD_REQUESTS:
            seeds.add(OFD_REQUESTS[kind], text)
            check = CHECKS.index(vector.get("check") or "draft")
            seeds.add("request_kind", padded(text, next(n for n in range(24) if n % 3 == check), 24))
            seeds.document(text, value)
        else:
            seeds.document(text, value)
    peers = vectors / "peers"
    expected = json.loads((peers / "expected.json").read_text(encoding="utf-8"))
    for name, verdict in sorted(expected.items()):
        text = (peers / name).read_text(encoding="utf-8")
        seeds.receipt(text, load(peers / name), verdict["operation"])
    example = pathlib.Path("examples/receipt.json")
    seeds.receipt(example.read_text(encoding="utf-8"), load(example), "sell")
    for text in MONEY_EDGES:
        seeds.add("money", text)
    for text in DATE_EDGES:
        seeds.add("dates", text)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes every JSON example of spec/ofd-kkt-registration-api.ru.txt as a
test vector in tests/vectors/ofd/spec/. The text was extracted from a PDF:
blank lines, page breaks and strings broken over lines are its artefacts,
and are repaired here; every other fix is recorded in the vector's "fixes".
Expectations are kept from the existing files (written by the Rust test in
bless mode and reviewed by hand).

Run from the repository root: python3 tests/vectors/tools/ofd_spec_examples.py
"""
import json
import os

SPEC = "spec/ofd-kkt-registration-api.ru.txt"
OUT = "tests/vectors/ofd/spec"
LINES = open(SPEC, encoding="utf-8").read().split("\n")


def block(start_line):
    """The top-level object starting at 1-based `start_line`, up to its closing brace,
    without blank lines and with strings broken over lines joined."""
    depth, out = 0, []
    for line in LINES[start_line - 1:]:
        if not line.strip():
            continue
        out.append(line.rstrip())
        depth += line.count("{") - line.count("}")
        if depth == 0:
            break
    joined = []
    for line in out:
        if joined and joined[-1].count('"') % 2 == 1 and not line.lstrip().startswith("}"):
            previous = joined.pop()
            glue = "" if previous.endswith(("-", "_")) else " "
            joined.append(previous.rstrip() + glue + line.strip())
        else:
            joined.append(line)
    return "\n".join(joined)


def write(name, vector):
    path = os.path.join(OUT, name + ".json")
    if os.path.exists(path):
        old = json.load(open(path, encoding="utf-8"))
        if "expect" in old:
            vector["expect"] = old["expect"]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(vector, f, ensure_ascii=False, indent=2)
        f.write("\n")


def start_of(needle, after=0):
    for i, line in enumerate(LINES[after:], after + 1):
        if needle in line:
            # The object starts at the nearest "{" line above.
            j = i
            while LINES[j - 1].rstrip() != "{":
                j -= 1
            return j
    raise KeyError(needle)


os.makedirs(OUT, exist_ok=True)

write("create_response", {
    "description": "Answer to creating an application: Initialization/New",
    "source": "ofd-kkt-registration-api.ru.txt §2.1, the answer example",
    "fixes": [],
    "kind": "ofd.application_response",
    "input": json.loads(block(start_of('"Elapsed":"00:00:00.0475426"'))),
})

write("list_response", {
    "description": "Answer to listing applications: one rejected application with its documents (one of a kind, 1110077, no table lists)",
    "source": "ofd-kkt-registration-api.ru.txt §2.3, the answer example",
    "fixes": [],
    "kind": "ofd.application_list_response",
    "input": json.loads(block(start_of('"Elapsed":"00:00:00.0024449"'))),
})

write("prepare_documents_response", {
    "description": "Answer to prepareDocuments: AwaitingSignature with an unsigned application",
    "source": "ofd-kkt-registration-api.ru.txt §2.5, the answer example",
    "fixes": [],
    "kind": "ofd.application_response",
    "input": json.loads(block(start_of('"Elapsed":"00:00:00.6573439"'))),
})

sign = block(start_of('"Elapsed":"00:00:01.6933682"'))
sign_fixed = sign.replace('"Street":"ул. Ленина\n', '"Street":"ул. Ленина"\n', 1)
assert sign_fixed != sign
write("sign_response", {
    "description": "Answer to sign: ProcessingSignedDocuments",
    "source": "ofd-kkt-registration-api.ru.txt §2.6, the answer example",
    "fixes": ["closed the \"Street\" string of LegalAddress, which the spec leaves open"],
    "kind": "ofd.application_response",
    "input": json.loads(sign_fixed),
})

envelope = block(start_of('"Prop1": "Val1"'))
envelope_fixed = (envelope.replace("true|false1", "true").replace('"Text2"2', '"Text2"')
                  .replace('\n    ...', ''))
write("partner_envelope", {
    "description": "The general form of an appendix 1 answer",
    "source": "ofd-kkt-registration-api.ru.txt appendix 1, the general answer",
    "fixes": [
        "\"true|false\" means one of them (footnote 1): true; removed footnote marks 1 and 2 after values",
        "removed the \"...\" line that stands for more properties",
    ],
    "kind": "ofd.partner_response",
    "input": json.loads(envelope_fixed),
})

partner_start = start_of('"nickName": "string"')
partner_lines = []
depth = 0
for line in LINES[partner_start - 1:]:
    text = line.strip()
    # The page's footnotes sit inside the example: keep only JSON lines.
    if not text.startswith(('"', "{", "}", "[", "]")):
        continue
    partner_lines.append(line)
    depth += line.count("{") - line.count("}")
    if depth == 0:
        break
write("partner_registration_template", {
    "description": "The partner registration request as the spec shows it, every value a placeholder (\"string\", \"base64\")",
    "source": "ofd-kkt-registration-api.ru.txt appendix 1, the request structure",
    "fixes": ["removed the page's footnotes that the PDF extraction put inside the example"],
    "kind": "ofd.partner_registration",
    "input": json.loads("\n".join(partner_lines)),
})
print("wrote", len(os.listdir(OUT)), "vectors")

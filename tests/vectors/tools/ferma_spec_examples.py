#!/usr/bin/env python3
"""Writes every JSON example of spec/ferma-api.ru.md as a test vector in
tests/vectors/ferma/spec/, fixing only the examples' JSON syntax slips and
recording each fix in the vector's "fixes". Expectations ("expect") are kept
from the existing file when there is one: they are written by the Rust test
in bless mode (OFDKIT_BLESS=1) and reviewed by hand.

Run from the repository root: python3 tests/vectors/tools/ferma_spec_examples.py
"""
import json
import os
import re

SPEC = "spec/ferma-api.ru.md"
OUT = "tests/vectors/ferma/spec"

lines = open(SPEC, encoding="utf-8").read().split("\n")


def fences():
    """The spec's fenced blocks as (first line number, text), 1-based."""
    blocks, inside, start, buf = [], False, 0, []
    for no, line in enumerate(lines, 1):
        if line.startswith("```"):
            if inside:
                blocks.append((start, "\n".join(buf)))
                buf = []
            else:
                start = no + 1
            inside = not inside
        elif inside:
            buf.append(line)
    return blocks


BLOCKS = fences()


def block_at(line_no):
    """The block that starts on or just after `line_no`."""
    for start, text in BLOCKS:
        if start >= line_no:
            return text
    raise KeyError(line_no)


def find_block(needle, nth=0):
    found = [text for _, text in BLOCKS if needle in text]
    return found[nth]


def write(name, vector):
    path = os.path.join(OUT, name + ".json")
    if os.path.exists(path):
        old = json.load(open(path, encoding="utf-8"))
        if "expect" in old:
            vector["expect"] = old["expect"]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(vector, f, ensure_ascii=False, indent=2)
        f.write("\n")


def parse(text):
    return json.loads(text)


# §2: the token request body.
write("token_request", {
    "description": "Token request body (POST getToken)",
    "source": "ferma-api.ru.md §2, example of the getToken request body",
    "fixes": [],
    "kind": "ferma.token_request",
    "input": parse(find_block('"pass": "Hjsf3321klsadFAA"')),
})

# §2: the token answer.
write("token_response", {
    "description": "Successful getToken answer",
    "source": "ferma-api.ru.md §2, example of an answer with code 200",
    "fixes": [],
    "kind": "ferma.token_response",
    "input": parse(find_block('"token": "fj45u923j59ju42395iu9423i59243u0"')),
})

# §2: the error answer, split over two blocks.
head = find_block('"text": "Неверный логин или пароль"')
tail = find_block('"timestamp": "15.02.2018 13:00:31"')
error_obj = parse(head)
error_obj["timestamp"] = re.search(r'"timestamp": "([^"]+)"', tail).group(1)
write("token_error_response", {
    "description": "getToken answer with error 12 (wrong login or password)",
    "source": "ferma-api.ru.md §2, example of an answer with an error",
    "fixes": ["the example is split over two blocks and the first closes the object before \"timestamp\"; joined into one object"],
    "kind": "ferma.token_response",
    "input": error_obj,
})

# §3.1.3: the create answer.
text = find_block('"uuid": "2ea26f17-0884-4f08-b120-306fc096a58f"')
write("create_response", {
    "description": "Answer to a receipt request: registered, waiting",
    "source": "ferma-api.ru.md §3.1.3, example answer",
    "fixes": ["removed the trailing comma after \"status\": \"wait\""],
    "kind": "ferma.create_response",
    "input": parse(text.replace('"status": "wait",\n}', '"status": "wait"\n}')),
})

text = find_block('"code": 30,')
fixed = re.sub(r'повторить запрос с\s*\n\s*корректными', "повторить запрос с корректными", text)
write("create_error_response", {
    "description": "Answer to a receipt request with error 30 (invalid UUID)",
    "source": "ferma-api.ru.md §3.1.3, example answer with an error",
    "fixes": ["joined the \"text\" string, which the spec breaks over two lines (a raw line break is not allowed in a JSON string)"],
    "kind": "ferma.create_response",
    "input": parse(fixed),
})

# §3.2: the big receipt Ferma splits. Its items are all the same; the
# example elides them with "..." and breaks the blocks mid-item.
item = {
    "name": "НАПИТОК НЕМОЛОКО 0,2Л ОВСЯНЫЙ КЛАССИЧЕСКИЙ ОБОГАЩ ВИТАМИН И МИНЕРАЛ ВЕЩ Т/П",
    "price": 300.0, "quantity": 1, "sum": 300.0,
    "vat": {"type": "vat10", "sum": 30.0},
    "payment_method": "full_payment", "payment_object": "1",
}
big_head = find_block('"payment_address": "Интернет магазин"')
assert '"email": "@gmail.com"' in big_head and '"inn": "4501037489"' in big_head
big_tail = find_block('"sum": 54000.0')
assert '"external_id": "8eb0dd81-8588-4c37-b293-2c544547243654a115454ab7cb6"' in big_tail
write("split_receipt_request", {
    "description": "A receipt over 20 000 characters, which Ferma splits",
    "source": "ferma-api.ru.md §3.2, the request example",
    "fixes": [
        "the example is broken over four blocks mid-item, with stray closing braces, and elides items with \"...\"; "
        "rebuilt as one object whose 180 identical items (300.0 each) add up to the example's payment of 54000.0",
    ],
    "kind": "ferma.receipt_request",
    "operation": "sell",
    "input": {
        "receipt": {
            "client": {"email": "@gmail.com"},
            "company": {"sno": "osn", "inn": "4501037489", "payment_address": "Интернет магазин"},
            "items": [dict(item) for _ in range(180)],
            "payments": [{"type": 1, "sum": 54000.0}],
        },
        "timestamp": "23.03.2023 16:00:05",
        "external_id": "8eb0dd81-8588-4c37-b293-2c544547243654a115454ab7cb6",
    },
})

write("split_create_response", {
    "description": "Answer to a split receipt: the uuids of its parts",
    "source": "ferma-api.ru.md §3.2, the answer example",
    "fixes": [],
    "kind": "ferma.create_response",
    "input": parse(find_block('"split_receipt_data"')),
})


def joined(first_needle, second_needle, cut_first_after, second_from):
    first = find_block(first_needle)
    second = find_block(second_needle)
    return first[: first.index(cut_first_after) + len(cut_first_after)] + second[second.index(second_from):]


# §3.3: the simple receipt, over two blocks.
simple_first = find_block('"external_id": "17052922154475616"')
simple_second = find_block('"total": 400\n},\n"service"')
simple = simple_first[: simple_first.rindex("]") + 1] + ",\n" + simple_second[simple_second.index('"total"'):]
write("simple_receipt_request", {
    "description": "The simple receipt",
    "source": "ferma-api.ru.md §3.3 «Пример простого чека»",
    "fixes": ["the example is split over two blocks; the first closes the receipt after \"vats\" and the second repeats the closing of \"vats\"; joined so that \"total\" stays in the receipt"],
    "kind": "ferma.receipt_request",
    "operation": "sell",
    "input": parse(simple),
})

# §3.3: the correction, over two blocks.
corr_first = find_block('"external_id": "1705222292215225475616"', 0)
corr_second = find_block('"payments": [\n  {\n    "type": 1,\n    "sum": 400', 0)
corr = corr_first[: corr_first.index('"base_name": "Pip"\n    }') + len('"base_name": "Pip"\n    }')] + ",\n" + corr_second.strip()
write("correction_request", {
    "description": "The correction",
    "source": "ferma-api.ru.md §3.3 «Пример чека коррекции»",
    "fixes": ["the example is split over two blocks; the first closes \"correction\" and the whole object after \"correction_info\"; joined so that payments, vats and total stay in the correction"],
    "kind": "ferma.receipt_request",
    "operation": "sell_correction",
    "input": parse(corr),
})

# §3.3: the correction with a fiscal sign, over two blocks, an item broken.
fpd_first = find_block('"payment_object": "commodity"', 0)
fpd_second = find_block('"additional_check_props": "4444444"')
fpd = fpd_first.rstrip() + "\n" + fpd_second.replace('"type": "vat10"\n    }\n  ],', '"type": "vat10"\n    }\n  }\n  ],', 1).strip()
write("correction_fpd_request", {
    "description": "The correction with a fiscal sign (ФПД); additional_check_props sits outside the correction, as in the spec",
    "source": "ferma-api.ru.md §3.3 «Пример чека коррекции с ФПД»",
    "fixes": ["the example is split over two blocks mid-item; joined, and the second item's missing closing brace added"],
    "kind": "ferma.receipt_request",
    "operation": "sell_correction",
    "input": parse(fpd),
})

# §3.3: the receipt with a paying agent (titled a correction, but sent as a
# receipt without correction_info), over three blocks.
first_index = next(i for i, (_, t) in enumerate(BLOCKS) if '"external_id": "qswdcfvb-345678-rtghnm-56789_test11123"' in t)
agent_text = "\n".join(t.strip() for _, t in BLOCKS[first_index:first_index + 3])
agent_text = agent_text.replace('"inn": "287381373424"\n    }\n  ],', '"inn": "287381373424"\n    }\n  }\n  ],', 1)
write("agent_receipt_request", {
    "description": "The receipt with a paying agent and supplier on every item (the spec titles it a correction, but it is a receipt without correction_info, sent under \"receipt\")",
    "source": "ferma-api.ru.md §3.3 «Пример чека коррекции с платежным агентом»",
    "fixes": ["the example is split over three blocks mid-item; joined, and the second item's missing closing brace added"],
    "kind": "ferma.receipt_request",
    "operation": "sell",
    "input": parse(agent_text),
})

# §4: the report.
report = find_block('"daemon_code": "prod-agent-1"')
write("report_done", {
    "description": "Report of a processed document (status done) with its fiscal payload",
    "source": "ferma-api.ru.md §4, the success example",
    "fixes": ["added the missing comma after \"fiscal_document_attribute\": 3449555955"],
    "kind": "ferma.report",
    "input": parse(report.replace('3449555955\n', '3449555955,\n')),
})

write("report_wait_error", {
    "description": "Report not found yet: error 34 with status wait",
    "source": "ferma-api.ru.md §4, the error example",
    "fixes": [],
    "kind": "ferma.report",
    "input": parse(find_block('"code": 34,')),
})

# §7: cashbox statistics, "....." elides further cashboxes.
stats = find_block('"deviceId": 12135')
stats = re.sub(r'фискальных данных\s*\n\s*фискальный', "фискальных данных фискальный", stats)
stats = stats.replace("},\n    .....\n  ]", "}\n  ]")
write("cashbox_stats", {
    "description": "Cashbox and fiscal drive monitoring answer",
    "source": "ferma-api.ru.md §7, the answer example",
    "fixes": [
        "joined the \"fnName\" string, which the spec breaks over two lines",
        "removed the \".....\" that stands for more cashboxes, and the comma before it",
    ],
    "kind": "ferma.cashbox_stats",
    "input": parse(stats),
})
print("wrote", len(os.listdir(OUT)), "vectors")

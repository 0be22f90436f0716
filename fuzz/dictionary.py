#!/usr/bin/env python3
"""Prints a libFuzzer dictionary for ofdkit's targets: JSON's tokens, the
edges of numbers and dates, and every member name and enumerated value of
the JSON Schemas in schema/ (which the core generates from its models, so
the dictionary follows the models without a copy). Run from the
repository root: python3 fuzz/dictionary.py > ofdkit.dict
"""

import glob
import json

TOKENS = ["{", "}", "[", "]", ":", ",", '"', "true", "false", "null", "\\\"", "\\\\", "\\/", "\\n",
          "\\u0000", "\\ud800", "\\udc00", "\\u00e9", "\ufeff", "-0", "0.0", "1e400", "1E-400",
          "0.001", "99999999.99", "42949672.95", "e+", ".", ":00", "T", "Z", "~0", "~1", "/", "/0"]


def names_and_values():
    names, values = set(), set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}).keys())
            values.update(v for v in node.get("enum", []) if isinstance(v, str))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for path in sorted(glob.glob("schema/*.json")):
        with open(path, encoding="utf-8") as f:
            walk(json.load(f))
    return names, values


def escape(text):
    """libFuzzer's dictionary syntax: printable ASCII as is, the rest as \\xNN."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return '"' + "".join(out) + '"'


def main():
    names, values = names_and_values()
    entries = list(TOKENS)
    entries += [f'"{name}":' for name in sorted(names)]
    entries += [f'"{value}"' for value in sorted(values)]
    for entry in dict.fromkeys(entries):
        print(escape(entry))


if __name__ == "__main__":
    main()

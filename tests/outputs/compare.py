#!/usr/bin/env python3
"""One output form: the CLI's --json, the C library, Python and WebAssembly
give byte-identical JSON for the same input.

Every request vector of tests/vectors (and every peer request) is validated
and every answer vector read by each binding; the JSON each prints must be
the same bytes. Run by tests/outputs/run.sh with the installed Python
package, a built C printer, the built npm package and the ofdkit binary:

    compare.py PRINT_OUTPUTS_C OFDKIT_BINARY
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

import ofdkit

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"

REQUESTS = {
    "ferma.receipt_request": "receipt",
    "ofd.application_request": "application",
    "ofd.application_update": "update",
    "ofd.partner_registration": "partner",
}
ANSWERS = {
    "ferma.token_response": "token",
    "ferma.create_response": "create",
    "ferma.report": "report",
    "ferma.cashbox_stats": "cashbox_stats",
    "ofd.application_response": "application",
    "ofd.application_list_response": "application_list",
    "ofd.partner_response": "partner",
}


def jobs() -> List[Dict[str, object]]:
    out: List[Dict[str, object]] = []
    for path in sorted(VECTORS.rglob("*.json")):
        if "tools" in path.parts or "peers" in path.parts:
            continue
        vector = json.loads(path.read_text(encoding="utf-8"))
        text = vector.get("input_text")
        if text is None:
            text = json.dumps(vector["input"], ensure_ascii=False)
        job: Dict[str, object] = {"id": str(path.relative_to(VECTORS)), "text": text}
        if vector["kind"] in REQUESTS:
            job["kind"] = REQUESTS[vector["kind"]]
            job["operation"] = vector.get("operation", "sell")
            job["check"] = vector.get("check", "draft")
        elif vector["kind"] in ANSWERS:
            job["answer"] = ANSWERS[vector["kind"]]
        else:
            continue
        out.append(job)
        if job.get("answer") == "report":
            out.append(dict(job, id=f"{job['id']}#callback", answer="callback"))
    expected = json.loads((VECTORS / "peers" / "expected.json").read_text())
    for name, verdict in sorted(expected.items()):
        text = (VECTORS / "peers" / name).read_text(encoding="utf-8")
        out.append({"id": f"peers/{name}", "kind": "receipt", "operation": verdict["operation"], "check": "draft", "text": text})
    return out


def python_output(job: Dict[str, object]) -> str:
    try:
        if "answer" in job:
            from ofdkit import _native

            return str(_native.parse_response(job["answer"], job["text"], 200))
        violations = ofdkit.validate(
            str(job["text"]), kind=str(job["kind"]), operation=str(job["operation"]), check=str(job["check"])
        )
        return ofdkit.violations_to_json(violations)
    except ofdkit.OfdkitError as e:
        return f"error {e.error_code}"


def cli_output(binary: str, job: Dict[str, object], scratch: Path) -> Optional[str]:
    """`ofdkit validate --json` of a request; answers are read with `ofdkit answer`."""
    file = scratch / "input.json"
    file.write_text(str(job["text"]), encoding="utf-8")
    if "answer" in job:
        args = [binary, "answer", str(job["answer"]), str(file)]
    else:
        args = [binary, "validate", "--json", "--kind", str(job["kind"]), str(file)]
        if job["kind"] == "receipt":
            args += ["--operation", str(job["operation"])]
        elif job["kind"] in ("application", "update"):
            args += ["--check", str(job["check"])]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode in (0, 1) and done.stdout.strip():
        out = done.stdout.rstrip("\n")
        # A failure is printed as the core's error form; the printers of the
        # other bindings give its code, which is what is compared.
        printed = json.loads(out)
        if done.returncode == 1 and isinstance(printed, dict) and "error_code" in printed:
            return f"error {printed['error_code']}"
        return out
    return None


def printer_outputs(command: List[str]) -> Dict[str, str]:
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(line.split("\t", 1) for line in done.stdout.splitlines() if line)


def main() -> int:
    c_printer, binary = sys.argv[1], sys.argv[2]
    all_jobs = jobs()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        job_file = scratch / "jobs.jsonl"
        job_file.write_text("".join(json.dumps(j, ensure_ascii=False) + "\n" for j in all_jobs), encoding="utf-8")
        c = printer_outputs([c_printer, str(job_file)])
        wasm = printer_outputs(["node", str(ROOT / "tests" / "outputs" / "print_outputs.mjs"), str(job_file)])
        problems: List[str] = []
        compared = 0
        for job in all_jobs:
            key = str(job["id"])
            outputs = {"python": python_output(job), "c": c.get(key), "wasm": wasm.get(key)}
            cli = cli_output(binary, job, scratch)
            if cli is not None or "answer" not in job:
                outputs["cli"] = cli
            if outputs["c"] == "skip":
                del outputs["c"]  # a text with a NUL, which the C caller cannot be handed
            if job.get("answer") == "token":
                del outputs["wasm"]  # the browser package never reads the authorisation answer
            if len(set(outputs.values())) != 1:
                problems.append(f"{key}:\n" + "\n".join(f"  {lang:6} {out}" for lang, out in outputs.items()))
            compared += 1
    print(f"compared {compared} inputs across CLI, C, Python and WebAssembly")
    if problems:
        print(f"{len(problems)} differ:\n" + "\n".join(problems[:20]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

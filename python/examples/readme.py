import json
from decimal import Decimal

import ofdkit
from ofdkit.sandbox import Sandbox

receipt = json.load(open("examples/receipt.json"), parse_float=Decimal)
print(ofdkit.validate_receipt(receipt))  # [] — every rule of the API holds
with Sandbox() as sandbox:  # Ferma on 127.0.0.1; use base_url=ofdkit.FERMA_URL for real
    client = ofdkit.FermaClient(sandbox.login, sandbox.password, sandbox.group_code, base_url=sandbox.base_url)
    result = client.fiscalize(receipt)
    print(result.outcome, result.payload)

import json
from decimal import Decimal

import ofdkit
from ofdkit.sandbox import Sandbox

receipt = json.load(open("examples/receipt.json"), parse_float=Decimal)
print(ofdkit.validate_receipt(receipt))  # [] — every rule of the API holds
with Sandbox() as sandbox:  # Ferma on 127.0.0.1; ofdkit.FERMA_TEST_URL or FERMA_URL for Ferma
    client = ofdkit.FermaClient(sandbox.login, sandbox.password, sandbox.group_code, sandbox.base_url)
    result = client.fiscalize(receipt)
    print(result.outcome, result.payload)

// Prints what the WebAssembly package says of each job of a job file, as
// print_outputs.c does for the C library: "<id>\t<json>" or "<id>\terror <code>".
import { readFileSync } from 'node:fs';
import * as ofdkit from '../../wasm/pkg/node.js';

const validators = {
  receipt: (job) => ofdkit.validateReceipt(job.text, job.operation ?? 'sell'),
  application: (job) => ofdkit.validateApplication(job.text, job.check ?? 'draft'),
  update: (job) => ofdkit.validateApplicationUpdate(job.text, job.check ?? 'draft'),
  partner: (job) => ofdkit.validatePartnerRegistration(job.text),
};

const out = [];
for (const line of readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line) continue;
  const job = JSON.parse(line);
  try {
    if (job.answer) {
      out.push(`${job.id}\t${ofdkit.parseResponse(job.answer, job.text, job.status ?? 200)}`);
    } else {
      out.push(`${job.id}\t${ofdkit.violationsToJson(validators[job.kind](job))}`);
    }
  } catch (e) {
    if (!(e instanceof ofdkit.OfdkitError)) throw e;
    out.push(`${job.id}\terror ${e.code}`);
  }
}
process.stdout.write(out.join('\n') + '\n');

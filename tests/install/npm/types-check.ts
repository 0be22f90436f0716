// Type-checked with tsc --strict inside a fresh project that installed the
// tarball: the package's own types are found and describe its API.
import { validateReceipt, vat, type Violation, type ReceiptRequest } from 'ofdkit';

const request: ReceiptRequest = {
  external_id: 'order-1',
  receipt: {
    company: { sno: 'osn', inn: '7825706086', payment_address: 'https://shop.example.ru' },
    items: [],
    payments: [],
    total: '0',
  },
};
const violations: Violation[] = validateReceipt(request, 'sell');
const paths: string[] = violations.map((v) => v.path);
const tax: string = vat('1000', 'vat20');
export { paths, tax };

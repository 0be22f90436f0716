// A shop's checkout page: the receipt is assembled from the cart and the
// customer's contacts and checked by ofdkit on every keystroke; each
// violation is shown next to its field in Russian. Nothing here talks to
// Ferma: the page hands the exact request to the shop's server, which holds
// the token.
import { fillTotals, init, itemSum, normalizeReceipt, validateReceipt } from '../../wasm/pkg/index.js';

const company = { sno: 'usn_income', inn: '7825706086', payment_address: 'https://shop.example.ru' };
const cart = [
  { name: 'Чай зелёный «Сенча», 100 г', price: '249.90', quantity: '2', payment_object: 'commodity' },
  { name: 'Чайник заварочный, 0,6 л', price: '1290.00', quantity: '1', payment_object: 'commodity' },
  { name: 'Доставка курьером', price: '300.00', quantity: '1', payment_object: 'service' },
];
const orderId = `web-${Date.now()}`;

const form = document.getElementById('checkout');
const email = document.getElementById('email');
const phone = document.getElementById('phone');
const total = document.getElementById('total');
const pay = document.getElementById('pay');
const lines = document.getElementById('cart-lines');
const others = document.getElementById('other-violations');

/** Where a violation is shown: the element whose data-paths lists its path. */
function placeOf(path) {
  for (const element of form.querySelectorAll('[data-paths]')) {
    if (element.dataset.paths.split(' ').includes(path)) return element;
  }
  // Anything about a cart line goes next to that line's quantity.
  const line = /^receipt\.items\[(\d+)\]/.exec(path);
  return line ? form.querySelector(`[data-line="${line[1]}"]`) : null;
}

/** The list of messages under a field (made once, announced to screen readers). */
function messagesOf(element) {
  if (!element.messages) {
    element.messages = document.createElement('ul');
    element.messages.className = 'violations';
    element.messages.id = `${element.id || `line-${element.dataset.line}`}-violations`;
    element.messages.setAttribute('aria-live', 'polite');
    if (element.tagName === 'INPUT') element.setAttribute('aria-describedby', element.messages.id);
    (element.tagName === 'FIELDSET' ? element.querySelector('legend') : element).after(element.messages);
  }
  return element.messages;
}

function renderCart() {
  cart.forEach((line, i) => {
    const row = lines.insertRow();
    row.insertCell().textContent = line.name;
    const price = row.insertCell();
    price.className = 'money';
    price.textContent = line.price;
    const quantity = document.createElement('input');
    quantity.value = line.quantity;
    quantity.inputMode = 'decimal';
    quantity.dataset.line = String(i);
    quantity.id = `quantity-${i}`;
    quantity.setAttribute('aria-label', `Количество: ${line.name}`);
    row.insertCell().append(quantity);
    const sum = row.insertCell();
    sum.className = 'money';
    sum.id = `sum-${i}`;
  });
}

/** The receipt as the page's fields say now. Money stays text from input to request. */
function assemble() {
  const items = cart.map((line, i) => {
    const quantity = document.getElementById(`quantity-${i}`).value.trim();
    let sum;
    try {
      sum = itemSum(line.price, quantity);
    } catch {
      // An unreadable quantity is reported at its own field, and the core
      // checks no sum or total against it.
      sum = '0';
    }
    document.getElementById(`sum-${i}`).textContent = sum;
    return {
      name: line.name,
      price: line.price,
      quantity,
      sum,
      measure: 0,
      payment_method: 'full_payment',
      payment_object: line.payment_object,
      vat: { type: 'vat20' },
    };
  });
  const client = {};
  if (email.value.trim()) client.email = email.value.trim();
  if (phone.value.trim()) client.phone = phone.value.trim();
  const amount = total.value.trim().replace(',', '.');
  return {
    external_id: orderId,
    receipt: { client, company, items, payments: [{ type: 1, sum: amount }], total: amount },
  };
}

/** Fills VAT sums (and, when the cart changed, the total) through ofdkit. */
function withTotals(request, cartChanged) {
  try {
    // The totals come from the items alone, whatever the total field says.
    const filled = fillTotals({ ...request, receipt: { ...request.receipt, total: undefined, payments: [] } });
    if (cartChanged) {
      total.value = filled.total;
      request.receipt.total = filled.total;
      request.receipt.payments[0].sum = filled.total;
    }
    request.receipt.items.forEach((item, i) => (item.vat.sum = filled.items[i].vatSum));
    request.receipt.vats = filled.vats.map((v) => ({ type: v.type, sum: v.sum }));
    const vat = filled.vats.map((v) => v.sum).join(' + ');
    document.getElementById('vat-summary').textContent = `в т. ч. НДС 20 %: ${vat} ₽`;
  } catch {
    // Unreadable values are reported by the validation below.
  }
  return request;
}

function check(cartChanged = false) {
  const request = withTotals(assemble(), cartChanged);
  const violations = validateReceipt(request, 'sell');
  const shown = new Map();
  for (const element of form.querySelectorAll('[data-paths], [data-line]')) {
    messagesOf(element).replaceChildren();
    element.removeAttribute('aria-invalid');
  }
  others.replaceChildren();
  for (const v of violations) {
    const element = placeOf(v.path);
    const list = element ? messagesOf(element) : others;
    const seen = shown.get(list) ?? new Set();
    if (seen.has(v.messageRu)) continue;
    seen.add(v.messageRu);
    shown.set(list, seen);
    const item = document.createElement('li');
    item.className = v.severity;
    item.dataset.path = v.path;
    item.dataset.code = v.code;
    item.textContent = element ? v.messageRu : `${v.path}: ${v.messageRu}`;
    list.append(item);
    if (v.severity === 'error' && element?.tagName === 'INPUT') element.setAttribute('aria-invalid', 'true');
  }
  pay.disabled = violations.some((v) => v.severity === 'error');
  return request;
}

form.addEventListener('input', (event) => check(event.target.dataset.line !== undefined));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  // The exact wire JSON: this is what the page POSTs to its own server.
  document.getElementById('wire').textContent = normalizeReceipt(check(), 'sell');
  document.getElementById('result').hidden = false;
});

await init();
renderCart();
check(true);
document.body.dataset.ready = 'true';

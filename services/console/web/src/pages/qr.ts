import { ApiError, call } from '../api.js';
import { debounce, field, h, replace, saveBlob, statusLine } from '../dom.js';
import type { Page } from '../router.js';

interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'number' | 'textarea' | 'select' | 'checkbox' | 'list';
  options?: string[];
  value?: string;
  optional?: boolean;
}

/** One form per payload type of qr-api (its `data` object). */
const TYPES: Record<string, { label: string; fields: FieldSpec[] }> = {
  url: { label: 'Link', fields: [{ name: 'url', label: 'URL', value: 'https://example.com/' }] },
  text: { label: 'Text', fields: [{ name: 'text', label: 'Text', kind: 'textarea', value: 'Hello from the platform' }] },
  wifi: {
    label: 'Wi-Fi',
    fields: [
      { name: 'ssid', label: 'Network name (SSID)', value: 'Guest' },
      { name: 'security', label: 'Security', kind: 'select', options: ['WPA', 'WEP', 'nopass'] },
      { name: 'password', label: 'Password', optional: true, value: 'correct horse' },
      { name: 'hidden', label: 'Hidden network', kind: 'checkbox' },
    ],
  },
  email: {
    label: 'E-mail',
    fields: [
      { name: 'to', label: 'To', value: 'someone@example.com' },
      { name: 'subject', label: 'Subject', optional: true },
      { name: 'body', label: 'Body', kind: 'textarea', optional: true },
    ],
  },
  tel: { label: 'Phone', fields: [{ name: 'number', label: 'Number', value: '+15551234567' }] },
  sms: {
    label: 'SMS',
    fields: [
      { name: 'number', label: 'Number', value: '+15551234567' },
      { name: 'body', label: 'Message', kind: 'textarea', optional: true },
    ],
  },
  geo: {
    label: 'Location',
    fields: [
      { name: 'lat', label: 'Latitude', kind: 'number', value: '52.52' },
      { name: 'lon', label: 'Longitude', kind: 'number', value: '13.405' },
    ],
  },
  vcard: {
    label: 'Contact',
    fields: [
      { name: 'name', label: 'Name', value: 'Ada Lovelace' },
      { name: 'org', label: 'Organisation', optional: true },
      { name: 'phones', label: 'Phones (comma-separated)', kind: 'list', optional: true },
      { name: 'emails', label: 'E-mails (comma-separated)', kind: 'list', optional: true },
      { name: 'address', label: 'Address', optional: true },
    ],
  },
};

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function control(spec: FieldSpec): Control {
  const common = { name: spec.name, value: spec.value ?? '' };
  if (spec.kind === 'textarea') return h('textarea', { ...common, rows: 3 });
  if (spec.kind === 'select')
    return h('select', { name: spec.name }, ...(spec.options ?? []).map((option) => h('option', { value: option }, option)));
  if (spec.kind === 'checkbox') return h('input', { type: 'checkbox', name: spec.name });
  if (spec.kind === 'number') return h('input', { ...common, type: 'number', step: 'any' });
  return h('input', { ...common, type: 'text', autocomplete: 'off' });
}

function payloadOf(type: string, controls: Map<string, Control>, specs: FieldSpec[]): Record<string, unknown> {
  const data: Record<string, unknown> = { type };
  for (const spec of specs) {
    const input = controls.get(spec.name);
    if (!input) continue;
    if (spec.kind === 'checkbox') {
      if ((input as HTMLInputElement).checked) data[spec.name] = true;
      continue;
    }
    const value = input.value.trim();
    if (value === '' && spec.optional) continue;
    if (spec.kind === 'number') data[spec.name] = Number(value);
    else if (spec.kind === 'list')
      data[spec.name] = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    else data[spec.name] = value;
  }
  if (type === 'wifi' && data.security === 'nopass') delete data.password;
  return data;
}

export const qrPage: Page = (view) => {
  const type = h('select', { name: 'type' }, ...Object.entries(TYPES).map(([value, { label }]) => h('option', { value }, label)));
  const ecc = h(
    'select',
    { name: 'ecc' },
    ...['L', 'M', 'Q', 'H'].map((level) => h('option', { value: level, selected: level === 'M' }, level)),
  );
  const fields = h('div', { class: 'fields' });
  const status = statusLine();
  const image = h('img', { class: 'qr-preview', alt: 'QR code preview', width: 280, height: 280 });
  const png = h('button', { type: 'button' }, 'Download PNG');
  const svg = h('button', { type: 'button' }, 'Download SVG');
  let controls = new Map<string, Control>();
  let previewUrl: string | undefined;

  const body = (format: 'png' | 'svg') => ({
    data: payloadOf(type.value, controls, TYPES[type.value]?.fields ?? []),
    format,
    ecc: ecc.value,
  });
  const make = async (format: 'png' | 'svg'): Promise<Blob> => {
    const response = await call('/api/qr/v1/qr', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body(format)),
    });
    return response.blob();
  };
  const refresh = debounce(300, () => {
    make('svg')
      .then((blob) => {
        if (previewUrl) URL.revokeObjectURL(previewUrl);
        previewUrl = URL.createObjectURL(blob);
        image.src = previewUrl;
        image.classList.remove('stale');
        status.show('preview is up to date', 'ok');
      })
      .catch((error: unknown) => {
        image.classList.add('stale');
        status.show(error instanceof ApiError ? error.full : 'the code could not be made', 'error');
      });
  });
  const drawFields = () => {
    const specs = TYPES[type.value]?.fields ?? [];
    controls = new Map(specs.map((spec) => [spec.name, control(spec)]));
    replace(
      fields,
      ...specs.map((spec) => field(spec.optional ? `${spec.label} (optional)` : spec.label, controls.get(spec.name) as HTMLElement)),
    );
    refresh();
  };
  const download = (format: 'png' | 'svg') => {
    make(format)
      .then((blob) => {
        saveBlob(blob, `qr.${format}`);
      })
      .catch((error: unknown) => {
        status.show(error instanceof ApiError ? error.full : 'the download failed', 'error');
      });
  };
  type.addEventListener('change', drawFields);
  const form = h('form', { class: 'card qr-form' }, field('Payload', type), fields, field('Error correction', ecc));
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
  });
  png.addEventListener('click', () => {
    download('png');
  });
  svg.addEventListener('click', () => {
    download('svg');
  });
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', {}, 'QR codes'), h('p', { class: 'muted' }, 'The preview follows what you type.')),
    h(
      'div',
      { class: 'split' },
      form,
      h(
        'section',
        { class: 'card qr-output', 'aria-label': 'Preview' },
        h('div', { class: 'qr-frame' }, image),
        status,
        h('div', { class: 'row' }, png, svg),
      ),
    ),
  );
  drawFields();
  return () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
  };
};

import fc from 'fast-check';
import { fillPath, type JsonSchema, type Operation } from './openapi.js';

/** One request as the fuzzer sends it over a real socket. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** Node's limit on the request head is 16 KiB; this is over it. */
const OVERSIZED_HEADER = 17 * 1024;
/** Over the platform's default 1 MiB body limit. */
const OVERSIZED_BODY = 1024 * 1024 + 1;

/** Every byte outside the unreserved set as %XX of its UTF-8 (a lone surrogate becomes U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function regexString(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    // A JSON Schema pattern JavaScript cannot compile (another dialect): strings are generated without it.
    return undefined;
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const fromPattern = schema.pattern === undefined ? undefined : regexString(schema.pattern);
  if (fromPattern) return fromPattern;
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri') return fc.webUrl();
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 20, 40)) });
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -1e9, Number.MIN_SAFE_INTEGER);
  const max = Math.min(schema.maximum ?? 1e9, Number.MAX_SAFE_INTEGER);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * A value of the schema's shape, each child drawn by `child` (so the same walk yields valid values,
 * or values whose every node may be replaced by a wrong one).
 */
function shaped(schema: JsonSchema, child: (schema: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map(child));
  if (schema.allOf?.[0]) return child(schema.allOf[0]);
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.length > 1) return fc.oneof(...types.map((type) => shaped({ ...schema, type }, child)));
  switch (types[0]) {
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, child(property)]));
      return fc.record(properties, {
        requiredKeys: (schema.required ?? []).filter((name) => name in properties),
      });
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 8));
      return fc.array(child(schema.items ?? {}), { minLength, maxLength });
    }
    case 'string':
      return stringFor(schema);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values the schema accepts (as far as its keywords are understood). */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  return shaped(schema, validValue);
}

const hugeString = fc.integer({ min: 10_000, max: 200_000 }).map((length) => 'é'.repeat(length));

const oddStrings = fc.oneof(
  fc.constantFrom('\uD800', '\uDFFF', 'a\uDBFFb', '', ' ', '\u0000', '\u202Eevil', '💥🇹🇷', 'İı', '../../etc/passwd', '%00', '%zz'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/** A value of the wrong type, size or encoding for almost any field. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  oddStrings,
  hugeString,
  fc.integer(),
  fc.constantFrom(-0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, -1),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 20, max: 500 }).map(nested),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Values shaped like the schema where any node may be of the wrong type, size or encoding. */
export function fuzzValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: shaped(schema, fuzzValue), weight: 3 }, { arbitrary: wrongValue, weight: 1 });
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** JSON text of any value (JSON.stringify gives undefined for undefined). */
const jsonText = (value: unknown) => (JSON.stringify(value) as string | undefined) ?? 'null';

/** A string as it is, anything else as its JSON, for places that carry text (paths, query strings). */
const asText = (value: unknown) => (typeof value === 'string' ? value : jsonText(value));

/** Header values undici sends as they are: tab, visible ASCII and Latin-1. */
const headerValue = (maxLength: number) =>
  fc.string({
    unit: fc.constantFrom(...Array.from('\t !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\u0080\u00ff\u00e9')),
    maxLength,
  });

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    'application/octet-stream',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'image/png',
    'audio/wav',
    'application/zip',
    '*/*',
  ),
  headerValue(60),
  fc.constant(`application/${'x'.repeat(3000)}`),
);

/** A multipart body: complete, cut off, with a boundary that is absent or wrong, or with many fields. */
const multipart: fc.Arbitrary<{ type: string; body: Uint8Array }> = fc
  .record({
    boundary: fc.constantFrom('fuzz', 'x'.repeat(70), '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
    header: fc.constantFrom('boundary', 'none', 'wrong'),
    partType: fc.oneof(contentType, fc.constant('tëxt/plain')),
    content: fc.uint8Array({ maxLength: 2048 }),
    fields: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
    cutAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  })
  .map(({ boundary, header, partType, content, fields, cutAt }) => {
    const field = (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nv\r\n`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: ${partType}\r\n\r\n`;
    const whole = Buffer.concat([
      Buffer.from(Array.from({ length: fields }, (_, index) => field(`f${index}`)).join(''), 'latin1'),
      Buffer.from(head, 'latin1'),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const body = cutAt === null ? whole : whole.subarray(0, Math.floor(whole.length * cutAt));
    const parameter = { boundary: `; boundary=${boundary}`, none: '', wrong: '; boundary=other' }[header];
    return { type: `multipart/form-data${parameter}`, body: new Uint8Array(body) };
  });

type Body = { type?: string; body: Uint8Array } | undefined;

function bodyFor(operation: Operation): fc.Arbitrary<Body> {
  const json = (value: unknown) => ({ type: 'application/json', body: utf8(jsonText(value)) });
  return fc.oneof(
    { arbitrary: fuzzValue(operation.bodySchema ?? {}).map(json), weight: 6 },
    { arbitrary: fc.jsonValue().map(json), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.record({ type: contentType, body: fc.uint8Array({ maxLength: 4096 }) }), weight: 2 },
    { arbitrary: multipart, weight: 2 },
    {
      arbitrary: fc.oneof(
        fc.string().map((text) => ({ type: 'application/json', body: utf8(text) })),
        fc.integer({ min: 1_000, max: 50_000 }).map((depth) => ({
          type: 'application/json',
          body: utf8('['.repeat(depth) + ']'.repeat(depth)),
        })),
        fc.constant({ type: 'application/json', body: utf8(`"${'a'.repeat(OVERSIZED_BODY)}"`) }),
      ),
      weight: 1,
    },
  );
}

/** A path parameter: of the schema's shape or not, long, percent-encoded garbage, dot segments. */
function pathParam(schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: validValue(schema).map((value) => percentEncode(String(value))), weight: 5 },
    { arbitrary: fuzzValue(schema).map((value) => percentEncode(asText(value))), weight: 2 },
    { arbitrary: fc.integer({ min: 100, max: 10_000 }).map((length) => 'a'.repeat(length)), weight: 1 },
    {
      arbitrary: fc.constantFrom('%zz', '%', '%00', '%ff', '%2F', '%2e%2e', '..', '.', '%E6%97%A5%ED%A0%80', '%F0%9F%92%A5'),
      weight: 1,
    },
  );
}

function pathFor(operation: Operation): fc.Arbitrary<string> {
  const names = operation.pathParams.map((parameter) => parameter.name);
  const filled = fc
    .tuple(...operation.pathParams.map((parameter) => pathParam(parameter.schema ?? { type: 'string' })))
    .map((values) => fillPath(operation.path, (name) => values[names.indexOf(name)] ?? 'x'));
  return fc.oneof(
    { arbitrary: filled, weight: 8 },
    { arbitrary: fc.constant(`/${'a'.repeat(10_000)}`), weight: 1 },
    {
      arbitrary: fc.string({ unit: fc.constantFrom(...Array.from("/.%aZ09-_~!$&'()*+,;=:@")), maxLength: 200 }).map((path) => `/${path}`),
      weight: 1,
    },
  );
}

function queryFor(operation: Operation): fc.Arbitrary<string> {
  const known = operation.queryParams.map((parameter) =>
    fuzzValue(parameter.schema ?? {}).map((value) => `${parameter.name}=${percentEncode(asText(value))}`),
  );
  const random = fc.tuple(fc.string({ maxLength: 20 }), oddStrings).map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`);
  const raw = fc.constantFrom('%zz', '&&&', '==', '__proto__[x]=1', 'a[]=1&a[]=2', 'constructor=x', 'x'.repeat(5000));
  const pair = known.length > 0 ? fc.oneof(...known, random, raw) : fc.oneof(random, raw);
  return fc.oneof(
    fc.constant(''),
    fc.array(pair, { maxLength: 6 }).map((pairs) => `?${pairs.join('&')}`),
  );
}

const method = (declared: string) =>
  fc.oneof(
    { arbitrary: fc.constant(declared), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'GET',
        'HEAD',
        'POST',
        'PUT',
        'PATCH',
        'DELETE',
        'OPTIONS',
        'PROPFIND',
        'propfind',
        'get',
        'FUZZ',
        'M-SEARCH',
      ),
      weight: 2,
    },
  );

const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'x-request-id': fc.oneof(fc.uuid(), fc.constant('r'.repeat(500)), headerValue(200)),
    'x-user-id': fc.oneof(fc.constantFrom('1', '0', '-1', '1e5', ' 7', '12345678901234567890123'), headerValue(300)),
    'idempotency-key': fc.oneof(headerValue(300), fc.constant('k'.repeat(2000))),
    accept: fc.oneof(fc.constantFrom('*/*', 'application/json', 'text/html'), headerValue(100)),
    'x-fuzz': headerValue(1000),
  },
  { requiredKeys: [] },
);

/** Random requests aimed at one operation, with `keys` (the service's valid headers) on about half. */
export function fuzzRequest(operation: Operation, keys: Readonly<Record<string, string>>): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: method(operation.method),
      path: pathFor(operation),
      query: queryFor(operation),
      headers: oddHeaders,
      withKeys: fc.boolean(),
      oversized: fc.nat({ max: 24 }).map((draw) => draw === 0),
      body: bodyFor(operation),
    })
    .map(({ method, path, query, headers, withKeys, oversized, body }) => ({
      method,
      path: path + query,
      headers: {
        ...(withKeys ? keys : {}),
        ...headers,
        ...(oversized ? { 'x-padding': 'p'.repeat(OVERSIZED_HEADER) } : {}),
        ...(body?.type === undefined ? {} : { 'content-type': body.type }),
      },
      ...(body ? { body: body.body } : {}),
    }));
}

/**
 * A minimal YAML 1.2 block-style writer for JSON data (objects, arrays, strings, numbers, booleans, null),
 * enough to emit the AsyncAPI document deterministically without a YAML dependency. Output follows the
 * repository's Prettier style (2-space indent, single quotes).
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
const NUMBER_LIKE = /^[-+]?(\.?\d|0x|0o|\.inf|\.nan)/i;
// Plain (unquoted) scalars: start with a letter, then a conservative character set. No ': ', ' #', quotes or
// flow indicators, so the scalar cannot be misread.
const PLAIN = /^[\p{L}][\p{L}\p{N} _.,;()/+\-–→∅≥≤×÷']*$/u;

function scalar(value: string): string {
  if (value.includes('\n')) return JSON.stringify(value);
  if (
    value !== '' &&
    PLAIN.test(value) &&
    !value.endsWith(' ') &&
    !RESERVED.test(value) &&
    !NUMBER_LIKE.test(value)
  ) {
    return value;
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$.\-/]*$/.test(name) && !RESERVED.test(name) ? name : scalar(name);
}

function isEmptyCollection(value: Json): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

function inline(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return scalar(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? '[]' : '{}';
}

function isCollection(value: Json): value is readonly Json[] | { readonly [key: string]: Json } {
  return value !== null && typeof value === 'object' && !isEmptyCollection(value);
}

function lines(value: Json, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: Json) => {
      if (!isCollection(item)) return [`${indent}- ${inline(item)}`];
      const nested = lines(item, `${indent}  `);
      // The first line of a nested block goes after the dash.
      return [`${indent}- ${nested[0]?.trimStart() ?? ''}`, ...nested.slice(1)];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as { readonly [key: string]: Json }).flatMap(([name, item]) =>
      isCollection(item)
        ? [`${indent}${key(name)}:`, ...lines(item, `${indent}  `)]
        : [`${indent}${key(name)}: ${inline(item)}`],
    );
  }
  return [`${indent}${inline(value)}`];
}

/** YAML text for a JSON value (trailing newline included). */
export function toYaml(value: unknown): string {
  return `${lines(JSON.parse(JSON.stringify(value)) as Json, '').join('\n')}\n`;
}

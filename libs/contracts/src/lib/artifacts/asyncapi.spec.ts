import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_TYPES_V1 } from '../v1/event-catalog.util';
import { toPublicEvent } from '../public-projection.util';
import { parseEvent } from '../parse-event.util';
import {
  asyncApiDocumentV1,
  generateContractArtifacts,
  ASYNCAPI_PATH,
} from './contract-artifacts.util';
import { toYaml } from './yaml.util';

// `yaml` is not a dependency of the library: the spec uses the copy in node_modules only to prove the
// hand-written emitter produces YAML that a real parser reads back to the same data.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const YAML = require('yaml') as { parse: (text: string) => unknown };

type Doc = {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: {
    schemas: Record<string, unknown>;
    messages: Record<string, Record<string, unknown>>;
  };
};

const yamlText = generateContractArtifacts().find((a) => a.path === ASYNCAPI_PATH)?.content ?? '';
const doc = YAML.parse(yamlText) as Doc;

function resolvePointer(root: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], root);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refsIn(value),
  );
}

describe('AsyncAPI document', () => {
  it('should read back (YAML) to exactly the generated data', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(asyncApiDocumentV1())));
  });

  it('should describe both topics and their dead-letter twins', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual([
      'onestop.dossier.lifecycle.v1',
      'onestop.dossier.lifecycle.v1.dlq',
      'onestop.dossier.public.v1',
      'onestop.dossier.public.v1.dlq',
    ]);
    expect(Object.keys(doc.channels['dossierLifecycleV1']!.messages)).toEqual([...EVENT_TYPES_V1]);
    expect(Object.keys(doc.channels['dossierPublicV1']!.messages)).toEqual([...EVENT_TYPES_V1]);
  });

  it('should resolve every internal $ref', () => {
    const unresolved = [...new Set(refsIn(doc))].filter(
      (ref) => resolvePointer(doc, ref) === undefined,
    );
    expect(unresolved).toEqual([]);
  });

  it('should validate the fixtures with the message payload schemas it publishes', () => {
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addSchema({
      $id: 'https://asyncapi.onestop.test/doc',
      components: { schemas: doc.components.schemas },
    });
    for (const type of EVENT_TYPES_V1) {
      const event = parseEvent(
        JSON.parse(
          readFileSync(join(__dirname, '../../../fixtures/v1', `${type}.json`), 'utf8'),
        ) as unknown,
      );
      const internal = ajv.getSchema(
        `https://asyncapi.onestop.test/doc#/components/schemas/${type}V1`,
      );
      const publicSchema = ajv.getSchema(
        `https://asyncapi.onestop.test/doc#/components/schemas/Public${type}V1`,
      );
      expect(internal?.(event)).toBe(true);
      expect(publicSchema?.(toPublicEvent(event))).toBe(true);
    }
  });
});

describe('toYaml', () => {
  it.each([
    [
      'strings that need quotes',
      { a: 'yes', b: '1.0', c: "it's: odd", d: '#x', e: '', f: 'multi\nline', g: 'ends ' },
    ],
    ['nested collections', { a: [1, [2, 3], { b: [] }, {}], c: { d: null, e: true } }],
    ['Vietnamese text', { title: 'Hồ sơ đã tiếp nhận → đang xử lý' }],
  ])('should round-trip %s', (_label, value) => {
    expect(YAML.parse(toYaml(value))).toEqual(value);
  });
});

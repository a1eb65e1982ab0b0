import { emptyFacts } from '@onestop/domain';
import { createIndicatorEngine } from '../indicators/engine.factory';
import { type Facts, type PublicEvent } from '../indicators/indicator-engine';
import { generateDossiers, oneStopUnits } from '../../test/support/event-generator';
import { CURRENT_LAYOUT, LAYOUTS, decodeFacts, encodeFacts } from './fact-codec';

describe('compact fact sheets (ADR 0403)', () => {
  it("should list the domain's current DossierFacts fields in the current layout (add a layout when they change)", () => {
    const keys = Object.keys(emptyFacts('x')).filter((k) => k !== 'dossierId' && k !== 'stamps');
    expect(LAYOUTS[CURRENT_LAYOUT]).toEqual(keys);
  });

  it('should round-trip every fact sheet of generated dossiers exactly, at under half the size, and read the object form', () => {
    const engine = createIndicatorEngine();
    let compact = 0;
    let plain = 0;
    for (const d of generateDossiers({ dossiers: 300, units: oneStopUnits(['01', '79'], 3), seed: 5 })) {
      let f: Facts | undefined;
      for (const e of d) {
        f = engine.applyToFacts(f, e as unknown as PublicEvent);
        const text = encodeFacts(f);
        expect(text.startsWith('[')).toBe(true);
        const back = decodeFacts(f['dossierId'] as string, JSON.parse(text));
        expect(back).toEqual(f);
        expect(JSON.stringify(back)).toBe(JSON.stringify(f)); // same key order as the domain's
        expect(decodeFacts(f['dossierId'] as string, JSON.parse(JSON.stringify(f)))).toEqual(f); // rows written before
        compact += text.length;
        plain += JSON.stringify(f).length;
      }
    }
    expect(compact / plain).toBeLessThan(0.55);
  });

  it('should keep a fact sheet with unexpected keys in the object form', () => {
    const odd = { ...emptyFacts('d1'), extra: 1 } as unknown as Facts;
    expect(decodeFacts('d1', JSON.parse(encodeFacts(odd)))).toEqual(odd);
    expect(() => decodeFacts('d1', [99])).toThrow(/unknown layout/);
  });
});

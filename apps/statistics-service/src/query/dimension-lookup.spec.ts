import { DimensionLookup } from './dimension-lookup';

describe(DimensionLookup.name, () => {
  it("should know `*`, the catalogue's procedures (national and localised codes) and its procedures' sectors", () => {
    const dims = new DimensionLookup(async () => false);
    for (const d of ['*', 'P:1.001193', 'P:1.001193.000.00.00.H56', 'P:2.000815', 'S:G06-HT01', 'S:G03-GD10']) expect([d, dims.inCatalogue(d)]).toEqual([d, true]);
    for (const d of ['P:9.999999', 'P:1.000948', 'S:G99-ZZ99', 'S:1.001193', 'P:G06-HT01', 'P:constructor', 'X:1']) expect([d, dims.inCatalogue(d)]).toEqual([d, false]);
  });

  it('should ask whether a code the catalogue does not know was counted, caching a no for negativeTtlMs only and a yes for good', async () => {
    let t = 0;
    const asked: string[] = [];
    const counted = new Set(['P:1.000948']);
    const dims = new DimensionLookup(
      async (d) => {
        asked.push(d);
        return counted.has(d);
      },
      undefined,
      5000,
      () => t,
    );
    await expect(dims.exists('P:1.001193')).resolves.toBe(true);
    expect(asked).toEqual([]); // the catalogue answers alone
    await expect(dims.exists('P:1.000948')).resolves.toBe(true);
    await expect(dims.exists('P:9.999999')).resolves.toBe(false);
    await expect(dims.exists('P:9.999999')).resolves.toBe(false);
    expect(asked).toEqual(['P:1.000948', 'P:9.999999']);
    counted.add('P:9.999999'); // its first dossier is counted
    t = 6000;
    await expect(dims.exists('P:9.999999')).resolves.toBe(true);
    await expect(dims.exists('P:1.000948')).resolves.toBe(true);
    expect(asked).toEqual(['P:1.000948', 'P:9.999999', 'P:9.999999']);
  });
});

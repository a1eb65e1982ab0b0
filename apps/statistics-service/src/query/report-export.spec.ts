import { csvCell, reportCsv } from './report-export';
import type { ReportRow } from './indicators.service';

describe('report CSV', () => {
  it('should neutralise text a spreadsheet would evaluate as a formula with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('should leave numbers, negative ones included, and ordinary Vietnamese text as they are', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('Phường Ba Đình')).toBe('Phường Ba Đình');
    expect(csvCell('a, b')).toBe('"a, b"');
  });

  it('should write a unit name that starts like a formula as text in the report', () => {
    const row = { unitId: '00004', unitName: '=1+2', received: 5 } as unknown as ReportRow;
    const line = reportCsv([row]).split('\r\n')[1];
    expect(line.startsWith("00004,'=1+2,")).toBe(true);
  });
});

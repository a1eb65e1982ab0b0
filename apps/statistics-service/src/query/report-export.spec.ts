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

  it('should carry the cut-off, the last event and the lag on every row when given, keeping the table rectangular', () => {
    const row = { unitId: '01', unitName: 'Thành phố Hà Nội', received: 5 } as unknown as ReportRow;
    const lines = reportCsv([row, { ...row, unitId: '00004' }], { cutoff: '2026-11-25T07:00:00.000Z', lastEventAt: null, consumerLag: 3 }).split('\r\n');
    const width = lines[1]!.split(',').length; // the data rows hold no comma (headers do, quoted)
    expect(lines[1]!.endsWith(',2026-11-25T07:00:00.000Z,,3')).toBe(true);
    expect(lines[2]!.split(',').length).toBe(width);
    expect(reportCsv([row]).split('\r\n')[1]!.split(',').length).toBe(width - 3);
  });
});

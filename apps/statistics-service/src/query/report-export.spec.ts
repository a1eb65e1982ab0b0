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
    // in Vietnam time: a bare `Z` time read as local time put the cut-off 7 hours early (black-box round 8)
    // and the cut-off named as its last millisecond, as the dashboard names a period's end (round 8)
    expect(lines[1]!.endsWith(',2026-11-25T13:59:59.999+07:00,,3')).toBe(true);
    expect(lines[2]!.split(',').length).toBe(width);
    expect(reportCsv([row]).split('\r\n')[1]!.split(',').length).toBe(width - 3);
  });

  it('should name, on every row and in a last column, the unit that counts the dossiers of a unit no longer in force', () => {
    const row = { unitId: '06', unitName: 'Tỉnh Bắc Kạn', received: 0 } as unknown as ReportRow;
    const asOf = { cutoff: '2024-12-31T17:00:00.000Z', lastEventAt: '2025-11-01T03:00:00.000Z', consumerLag: 0 };
    const plain = reportCsv([row], asOf).split('\r\n');
    const [head, line] = reportCsv([row], { ...asOf, countedUnder: { unitId: '19', name: 'Tỉnh Thái Nguyên' } }).split('\r\n');
    expect(head!.startsWith(plain[0]!)).toBe(true);
    expect(head!.slice(plain[0]!.length)).toMatch(/^,"?Counted under.*số liệu tính vào/);
    expect(line).toBe(`${plain[1]},19 Tỉnh Thái Nguyên`);
    expect(line).toContain(',2024-12-31T23:59:59.999+07:00,2025-11-01T10:00:00.000+07:00,0,');
  });
});

import { splitNdjsonLines, stripBom } from './ndjson-lines.util';

describe(splitNdjsonLines.name, () => {
  it('should not count a final line ending as a line, when the body ends with \\n or \\r\\n', () => {
    expect(splitNdjsonLines('a\nb\nc\n')).toEqual(['a', 'b', 'c']);
    expect(splitNdjsonLines('a\r\nb\r\nc\r\n')).toEqual(['a', 'b', 'c']);
    expect(splitNdjsonLines('a\nb\nc')).toEqual(['a', 'b', 'c']);
  });

  it('should keep blank lines inside the file and give no line when the body is empty', () => {
    expect(splitNdjsonLines('a\n\nb\n\n')).toEqual(['a', '', 'b', '']);
    expect(splitNdjsonLines('')).toEqual([]);
    expect(splitNdjsonLines('\n')).toEqual(['']);
  });
});

describe(stripBom.name, () => {
  it('should drop a leading byte order mark only', () => {
    expect(stripBom('\uFEFF{"a":1}')).toBe('{"a":1}');
    expect(stripBom('{"a":"\uFEFF"}')).toBe('{"a":"\uFEFF"}');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventVariant, eventSchemaV1 } from './event-schema.util';
import type { JsonSchemaObject } from './json-schema.util';
import { personalPayloadFields } from './public-projection.util';
import { EVENT_TYPES_V1, type EventTypeV1 } from './v1/event-catalog.util';

// docs/portal-mapping.md tells a National Portal (DVCQG) gateway where each portal field comes from in the
// public stream. This spec keeps it true: every cited event type exists, every cited path is in that type's
// PUBLIC schema, and no cited path is personal.
const DOC_PATH = join(__dirname, '../../../../docs/portal-mapping.md');

const Status = {
  Carried: 'CARRIED',
  Partial: 'PARTIAL',
  Personal: 'PERSONAL',
  Gateway: 'GATEWAY',
  Gap: 'GAP',
} as const;
type Status = (typeof Status)[keyof typeof Status];
const STATUSES: readonly string[] = Object.values(Status);
const WITH_SOURCE: readonly string[] = [Status.Carried, Status.Partial];

const HEADER = ['Portal field', 'Status', 'Source (public stream)', 'Derivation / notes'];
const NO_SOURCE = '—';
const ANY_TYPE = '*';

interface MappingRow {
  readonly line: number;
  readonly field: string;
  readonly status: string;
  readonly source: string;
  readonly notes: string;
}

interface CitedPath {
  readonly type: string;
  /** Segments from the envelope root, e.g. ['payload', 'components[]', 'digitised']. */
  readonly segments: readonly string[];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** The rows of every table whose header is HEADER. */
function parseMappingTables(markdown: string): MappingRow[] {
  const lines = markdown.split('\n');
  const rows: MappingRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (JSON.stringify(cells(lines[i] ?? '')) !== JSON.stringify(HEADER)) continue;
    for (let j = i + 2; j < lines.length && (lines[j] ?? '').trim().startsWith('|'); j++) {
      const [field = '', status = '', source = '', notes = '', ...rest] = cells(lines[j] ?? '');
      if (rest.length > 0) throw new Error(`line ${j + 1}: more than ${HEADER.length} cells`);
      rows.push({ line: j + 1, field, status, source, notes });
    }
  }
  return rows;
}

const PATH_TOKEN = /^([A-Z][A-Za-z]+|\*)\.([a-zA-Z]+(\[\])?(\.[a-zA-Z]+(\[\])?)*)$/;

function parsePath(token: string): CitedPath {
  const match = PATH_TOKEN.exec(token);
  if (match === null) throw new Error(`not a path EventType.path: ${JSON.stringify(token)}`);
  return { type: match[1] ?? '', segments: (match[2] ?? '').split('.') };
}

/** The backticked paths of a Source cell (`—` or paths separated by `<br>`). */
function sourcePaths(source: string): CitedPath[] {
  if (source === NO_SOURCE) return [];
  return source.split('<br>').map((part) => {
    const token = /^`([^`]+)`$/.exec(part.trim());
    if (token === null)
      throw new Error(`source part is not one backticked path: ${JSON.stringify(part)}`);
    return parsePath(token[1] ?? '');
  });
}

/** Backticked `EventType.payload...` tokens of a notes cell. */
function notePaths(notes: string): CitedPath[] {
  return [...notes.matchAll(/`([A-Z][A-Za-z]+\.payload\.[^`]+)`/g)].map((m) =>
    parsePath(m[1] ?? ''),
  );
}

function isEventType(type: string): type is EventTypeV1 {
  return (EVENT_TYPES_V1 as readonly string[]).includes(type);
}

function resolveRef(schema: JsonSchemaObject, root: JsonSchemaObject): JsonSchemaObject {
  const reference = schema['$ref'];
  if (typeof reference !== 'string') return schema;
  const name = reference.replace('#/definitions/', '');
  const definitions = root['definitions'] as Record<string, JsonSchemaObject> | undefined;
  const target = definitions?.[name];
  if (target === undefined) throw new Error(`unresolved ${reference}`);
  return resolveRef(target, root);
}

/** The sub-schemas a node stands for: itself (after $ref) and its allOf branches, recursively. */
function branches(schema: unknown, root: JsonSchemaObject): JsonSchemaObject[] {
  if (schema === null || typeof schema !== 'object') return [];
  const resolved = resolveRef(schema as JsonSchemaObject, root);
  const allOf = (resolved['allOf'] as unknown[] | undefined) ?? [];
  return [resolved, ...allOf.flatMap((branch) => branches(branch, root))];
}

/**
 * Whether `segments` names a property in `root` (walking properties, items, $ref and allOf). A property whose
 * schema is `false` (a personal field in a public schema) does not exist.
 */
function schemaHasPath(root: JsonSchemaObject, segments: readonly string[]): boolean {
  let nodes: unknown[] = [root];
  for (const segment of segments) {
    const isArray = segment.endsWith('[]');
    const key = isArray ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const node of nodes) {
      for (const branch of branches(node, root)) {
        const properties = branch['properties'] as Record<string, unknown> | undefined;
        const child = properties?.[key];
        if (child === undefined || child === false) continue;
        if (!isArray) next.push(child);
        else
          for (const arrayBranch of branches(child, root))
            if (arrayBranch['items'] !== undefined) next.push(arrayBranch['items']);
      }
    }
    if (next.length === 0) return false;
    nodes = next;
  }
  return true;
}

/** `payload.eResult.link` → `eResult.link`, the form of `personalPayloadFields`. */
function payloadField(path: CitedPath): string | null {
  if (path.segments[0] !== 'payload') return null;
  return path.segments
    .slice(1)
    .map((segment) => segment.replace(/\[\]$/, ''))
    .join('.');
}

function isPersonalPath(path: CitedPath): boolean {
  const field = payloadField(path);
  if (field === null || !isEventType(path.type)) return false;
  return personalPayloadFields(path.type).some(
    (personal) => field === personal || field.startsWith(`${personal}.`),
  );
}

/** Every problem with one row: the checks this spec runs, as data (so a broken row can be tested). */
function rowProblems(row: MappingRow): string[] {
  const at = `line ${row.line} (${row.field})`;
  const problems: string[] = [];
  if (!STATUSES.includes(row.status)) problems.push(`${at}: unknown status ${row.status}`);
  let paths: CitedPath[];
  try {
    paths = sourcePaths(row.source);
  } catch (error) {
    return [...problems, `${at}: ${(error as Error).message}`];
  }
  if (WITH_SOURCE.includes(row.status) && paths.length === 0)
    problems.push(`${at}: ${row.status} needs at least one source path`);
  if (!WITH_SOURCE.includes(row.status) && paths.length > 0)
    problems.push(`${at}: ${row.status} must have source ${NO_SOURCE}`);
  for (const path of paths) {
    // `*.type`: the field of every event type.
    const types = path.type === ANY_TYPE ? EVENT_TYPES_V1 : [path.type];
    for (const type of types) {
      const cited = `${type}.${path.segments.join('.')}`;
      if (!isEventType(type)) {
        problems.push(`${at}: unknown event type ${type}`);
        continue;
      }
      if (!schemaHasPath(eventSchemaV1(type, EventVariant.Public), path.segments))
        problems.push(`${at}: ${cited} is not in the public schema of ${type}`);
      if (isPersonalPath({ type, segments: path.segments }))
        problems.push(`${at}: ${cited} is personal`);
    }
  }
  if (row.status === Status.Personal) {
    const internal = notePaths(row.notes);
    if (internal.length === 0) problems.push(`${at}: name the internal-topic field in the notes`);
    for (const path of internal) {
      const cited = `${path.type}.${path.segments.join('.')}`;
      if (!isEventType(path.type)) problems.push(`${at}: unknown event type ${path.type}`);
      else if (!schemaHasPath(eventSchemaV1(path.type, EventVariant.Internal), path.segments))
        problems.push(`${at}: ${cited} is not in the internal schema of ${path.type}`);
      else if (!isPersonalPath(path)) problems.push(`${at}: ${cited} is not classified personal`);
    }
  }
  return problems;
}

// Field lists of domain.md §6 (DongBoHoSoMC with its arrays, CapNhatTienDoHoSoMC).
const DOSSIER_FIELDS = [
  'MaHoSo',
  'MaTTHC',
  'TenTTHC',
  'MaLinhVuc',
  'TenLinhVuc',
  'KenhThucHien',
  'ChuHoSo',
  'SoGiayToChuHoSo',
  'LoaiDoiTuong',
  'MaDoiTuong',
  'ThongTinKhac',
  'Email',
  'Fax',
  'SoDienThoai',
  'TrichYeuHoSo',
  'NgayNopHoSo',
  'NgayTiepNhan',
  'NgayHenTra',
  'TrangThaiHoSo',
  'NgayTra',
  'NgayKetThucXuLy',
  'NgayTuChoi',
  'ThongTinTra',
  'HinhThuc',
  'DonViXuLy',
  'GhiChu',
  'NoiNopHoSo',
  'HoSoCoThanhPhanSoHoa',
  'TaiKhoanDuocXacThucVoiVNeID',
  'DuocThanhToanTrucTuyen',
  'DinhDanhCHS[].LoaiDinhDanh',
  'DinhDanhCHS[].SoDinhDanh',
  'DSKetNoiCSDL[].MaCSDL',
];
const ARRAY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  TaiLieuNop: [
    'TepDinhKemId',
    'TenTepDinhKem',
    'IsDeleted',
    'MaThanhPhanHoSo',
    'DuongDanTaiTepTin',
    'DuocSoHoa',
    'DuocTaiSuDung',
    'DuocLayTuKhoDMQG',
    'MaKetQuaThayThe',
  ],
  DanhSachLePhi: ['TenPhiLePhi', 'MaPhiLePhi', 'HinhThucThu', 'Gia', 'LoaiPhiLePhi'],
  DanhSachTepDinhKemKhac: ['TenGiayTo', 'SoLuong', 'LoaiGiayTo'],
  DanhSachHoSoBoSung: [
    'HoSoBoSungId',
    'NguoiYeuCauBoSung',
    'NoiDungBoSung',
    'NgayBoSung',
    'NguoiTiepNhanBoSung',
    'ThongTinTiepNhan',
    'NgayTiepNhanBoSung',
    'TrangThaiBoSung',
    'DanhSachGiayToBoSung',
    'DanhSachLePhiBoSung',
    'NgayHenTraTruoc',
    'NgayHenTraMoi',
  ],
  DanhSachGiayToKetQua: [
    'TenGiayTo',
    'MaThanhPhanHoSo',
    'GiayToId',
    'DuongDanTepTinKetQua',
    'MaGiayToKetQua',
  ],
};
const PROGRESS_FIELDS = [
  'MaHoSo',
  'NguoiXuLy',
  'ChucDanh',
  'ThoiDiemXuLy',
  'PhongBanXuLy',
  'NoiDungXuLy',
  'TrangThai',
  'NgayBatDau',
  'NgayKetThucTheoQuyDinh',
];
const PERSONAL_PORTAL_FIELDS = [
  'ChuHoSo',
  'SoGiayToChuHoSo',
  'Email',
  'SoDienThoai',
  'DinhDanhCHS[].SoDinhDanh',
  'DanhSachGiayToKetQua[].DuongDanTepTinKetQua',
];

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

function row(overrides: Partial<MappingRow>): MappingRow {
  return {
    line: 1,
    field: 'X',
    status: Status.Carried,
    source: NO_SOURCE,
    notes: '',
    ...overrides,
  };
}

describe('docs/portal-mapping.md', () => {
  const markdown = readFileSync(DOC_PATH, 'utf8');
  const rows = parseMappingTables(markdown);

  it('should have mapping tables with rows', () => {
    expect(rows.length).toBeGreaterThan(60);
  });

  it('should cite only existing event types and paths of their public schemas, none personal', () => {
    expect(rows.flatMap(rowProblems)).toEqual([]);
  });

  it('should map every DongBoHoSoMC field of domain.md §6, arrays included', () => {
    const dossierFields = new Set(
      parseMappingTables(section(markdown, 'DongBoHoSoMC')).map((r) => r.field),
    );
    const expected = [
      ...DOSSIER_FIELDS,
      ...Object.entries(ARRAY_FIELDS).flatMap(([array, fields]) =>
        fields.map((f) => `${array}[].${f}`),
      ),
    ];
    expect(expected.filter((field) => !dossierFields.has(field))).toEqual([]);
  });

  it('should map every CapNhatTienDoHoSoMC field of domain.md §6', () => {
    const progressFields = new Set(
      parseMappingTables(section(markdown, 'CapNhatTienDoHoSoMC')).map((r) => r.field),
    );
    expect(PROGRESS_FIELDS.filter((field) => !progressFields.has(field))).toEqual([]);
  });

  it('should mark the applicant contact and id fields and the e-result link as personal', () => {
    const dossierRows = parseMappingTables(section(markdown, 'DongBoHoSoMC'));
    const statusOf = new Map(dossierRows.map((r) => [r.field, r.status]));
    expect(PERSONAL_PORTAL_FIELDS.map((field) => [field, statusOf.get(field)])).toEqual(
      PERSONAL_PORTAL_FIELDS.map((field) => [field, Status.Personal]),
    );
  });

  it('should list the six scored flags of domain.md §6 with a source each', () => {
    const flags = parseMappingTables(section(markdown, 'Flags the portal scores'));
    expect(flags.map((flag) => flag.field.split(' ')[0])).toEqual([
      'Digitised',
      'Reused',
      'From',
      'VNeID-authenticated',
      'Paid',
      'E-result',
    ]);
    expect(flags.filter((flag) => sourcePaths(flag.source).length === 0)).toEqual([]);
  });
});

describe('portal mapping row checks', () => {
  it('should accept a public path inside an array of a public schema', () => {
    expect(
      rowProblems(row({ source: '`DossierReceived.payload.components[].fromCitizenRepository`' })),
    ).toEqual([]);
  });

  it('should accept a path through a shared definition reference', () => {
    expect(
      rowProblems(
        row({ source: '`DossierResolved.payload.eResult.issued`<br>`DossierReceived.key`' }),
      ),
    ).toEqual([]);
  });

  it('should check a path cited for every event type in each type', () => {
    expect(rowProblems(row({ source: '`*.payload.dossierId`<br>`*.occurredAt`' }))).toEqual([]);
    expect(rowProblems(row({ source: '`*.payload.receivedAt`' }))).toContain(
      'line 1 (X): DossierSubmitted.payload.receivedAt is not in the public schema of DossierSubmitted',
    );
  });

  it('should report a path that is not in the public schema', () => {
    expect(rowProblems(row({ source: '`DossierReceived.payload.receivedOn`' }))).toEqual([
      'line 1 (X): DossierReceived.payload.receivedOn is not in the public schema of DossierReceived',
    ]);
  });

  it('should report a path that misses the array step', () => {
    expect(rowProblems(row({ source: '`DossierReceived.payload.components.code`' }))).toHaveLength(
      1,
    );
  });

  it('should report an unknown event type', () => {
    expect(rowProblems(row({ source: '`DossierArchived.payload.dossierId`' }))).toEqual([
      'line 1 (X): unknown event type DossierArchived',
    ]);
  });

  it('should report a personal path as absent from the public schema and personal', () => {
    expect(rowProblems(row({ source: '`DossierResolved.payload.eResult.link`' }))).toEqual([
      'line 1 (X): DossierResolved.payload.eResult.link is not in the public schema of DossierResolved',
      'line 1 (X): DossierResolved.payload.eResult.link is personal',
    ]);
    expect(rowProblems(row({ source: '`DossierReceived.payload.applicant.phone`' }))).toContain(
      'line 1 (X): DossierReceived.payload.applicant.phone is personal',
    );
  });

  it('should report a source cell that is not a list of backticked paths', () => {
    expect(rowProblems(row({ source: 'DossierReceived.payload.dossierId' }))).toHaveLength(1);
  });

  it('should report an unknown status and a source on a gap row', () => {
    expect(rowProblems(row({ status: 'MAYBE' }))).toContain('line 1 (X): unknown status MAYBE');
    expect(
      rowProblems(row({ status: Status.Gap, source: '`DossierReceived.payload.dossierId`' })),
    ).toEqual(['line 1 (X): GAP must have source —']);
  });

  it('should report a personal row whose internal field is public', () => {
    expect(
      rowProblems(
        row({ status: Status.Personal, notes: 'Internal: `DossierReceived.payload.receivedAt`.' }),
      ),
    ).toEqual(['line 1 (X): DossierReceived.payload.receivedAt is not classified personal']);
  });
});

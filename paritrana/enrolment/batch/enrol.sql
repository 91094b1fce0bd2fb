-- Bulk enrolment, set-based (decision 0005). Parameters arrive as %(name)s; enrol.py runs the steps.
-- Each statement ends with ";" at the end of a line, so a comment must not end with one.

-- step: stage
-- The raw cells (already stripped in Python) with what each one means: dates and rupiah parsed the
-- way officers type them, sex and segment read from their usual spellings, tags and programmes
-- split on commas and matched to the vocabulary (keys or their Indonesian labels).
INSERT INTO enrolment_row (
  upload_id, line, nik, full_name, title_prefix, title_suffix, birth_date, sex, village_code, segment, tags,
  programmes, wage, declared_income, valid_from, phone, address, birth_place, nik_numeric,
  nik_born, nik_sex, born, sex_code, segment_code, tag_list, programme_list, wage_amount, income_amount, start, invalid, outcome)
SELECT %(upload)s, r.line, r.nik, r.full_name, r.title_prefix, r.title_suffix, r.birth_date, r.sex,
  CASE WHEN r.village_code ~ '^[0-9]{10}$'
    THEN substr(r.village_code, 1, 2) || '.' || substr(r.village_code, 3, 2) || '.' || substr(r.village_code, 5, 2)
      || '.' || substr(r.village_code, 7, 4)
    ELSE r.village_code END,
  r.segment, r.tags, r.programmes, r.wage, r.declared_income, r.valid_from, r.phone, r.address, r.birth_place,
  r.nik_numeric,
  enrol_nik_birth_date(r.nik, %(today)s::date), coalesce(enrol_nik_sex(r.nik), ''),
  enrol_parse_date(r.birth_date),
  CASE upper(regexp_replace(r.sex, '[^A-Za-z]', '', 'g'))
    WHEN 'L' THEN 'L' WHEN 'LK' THEN 'L' WHEN 'LAKILAKI' THEN 'L' WHEN 'PRIA' THEN 'L'
    WHEN 'P' THEN 'P' WHEN 'PR' THEN 'P' WHEN 'PEREMPUAN' THEN 'P' WHEN 'WANITA' THEN 'P'
    ELSE '' END,
  CASE WHEN r.segment = '' THEN %(default_segment)s
    WHEN upper(r.segment) IN ('PU', 'BPU', 'JAKON', 'PMI') THEN upper(r.segment) ELSE '' END,
  CASE WHEN r.tags = '' THEN '{}'::varchar[] ELSE ARRAY(
    SELECT DISTINCT v.key FROM unnest(string_to_array(r.tags, ',')) AS t(raw),
      LATERAL (SELECT %(tag_map)s::jsonb ->> lower(regexp_replace(t.raw, '[^A-Za-z0-9]', '', 'g'))) AS v(key)
    WHERE v.key IS NOT NULL)::varchar[] END,
  CASE WHEN r.programmes = '' THEN NULL ELSE ARRAY(
    SELECT DISTINCT upper(btrim(p)) FROM unnest(string_to_array(r.programmes, ',')) AS p
    WHERE upper(btrim(p)) IN ('JKK', 'JKM', 'JHT', 'JP', 'JKP'))::varchar[] END,
  enrol_parse_amount(r.wage),
  enrol_parse_amount(r.declared_income),
  CASE WHEN r.valid_from = '' THEN %(valid_from)s::date ELSE enrol_parse_date(r.valid_from) END,
  false, ''
FROM enrol_raw r;

-- step: check_cells
-- Every per-row rule in one scan: each rule is a branch "field, code, message WHERE the row breaks
-- it", so a message is built only for a row that breaks its rule (a VALUES list would build all
-- thirty for every row: three times slower at 100,000 rows).
INSERT INTO enrolment_error (upload_id, line, field, code, message)
SELECT r.upload_id, r.line, e.field, e.code, e.message
FROM enrolment_row r
LEFT JOIN regions_region v ON v.code = r.village_code AND v.level = 4
LEFT JOIN unnest(%(age_segment)s::text[], %(age_min)s::int[], %(age_max)s::int[]) AS a(segment, lo, hi)
  ON a.segment = r.segment_code
CROSS JOIN LATERAL (
  SELECT 'nik', 'required', 'NIK wajib diisi.'
    WHERE r.nik = ''
  UNION ALL SELECT 'nik', 'nik_number_cell',
    'NIK tersimpan sebagai angka di Excel sehingga digit terakhir bisa berubah; simpan kolom NIK sebagai teks.'
    WHERE r.nik_numeric AND r.nik <> ''
  UNION ALL SELECT 'full_name', 'required', 'Nama lengkap wajib diisi.'
    WHERE r.full_name = ''
  UNION ALL SELECT 'full_name', 'too_long', 'Nama lengkap paling panjang 150 karakter.'
    WHERE length(r.full_name) > 150
  UNION ALL SELECT 'full_name', 'too_long', 'Gelar paling panjang 60 karakter.'
    WHERE length(r.title_prefix) > 60 OR length(r.title_suffix) > 60
  UNION ALL SELECT 'birth_date', 'required', 'Tanggal lahir wajib diisi.'
    WHERE r.birth_date = ''
  UNION ALL SELECT 'birth_date', 'date_invalid',
    'Tanggal lahir "' || left(r.birth_date, 40) || '" bukan tanggal (tulis DD/MM/YYYY).'
    WHERE r.birth_date <> '' AND r.born IS NULL
  UNION ALL SELECT 'birth_date', 'birth_date_future', 'Tanggal lahir tidak boleh di masa depan.'
    WHERE r.born > %(today)s::date
  UNION ALL SELECT 'birth_date', 'nik_birth_date_mismatch',
    'Tanggal lahir ' || to_char(r.born, 'DD/MM/YYYY') || ' tidak sesuai dengan NIK ('
    || to_char(r.nik_born, 'DD/MM/YYYY') || ').'
    WHERE r.born <> r.nik_born
  UNION ALL SELECT 'sex', 'required', 'Jenis kelamin wajib diisi.'
    WHERE r.sex = ''
  UNION ALL SELECT 'sex', 'sex_invalid', 'Jenis kelamin harus L (laki-laki) atau P (perempuan).'
    WHERE r.sex <> '' AND r.sex_code = ''
  UNION ALL SELECT 'sex', 'nik_sex_mismatch',
    'Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan ditambah 40).'
    WHERE r.sex_code <> '' AND r.nik_born IS NOT NULL AND r.sex_code <> r.nik_sex
  UNION ALL SELECT 'village_code', 'required', 'Kode desa/kelurahan wajib diisi.'
    WHERE r.village_code = ''
  UNION ALL SELECT 'village_code', 'region_unknown',
    'Kode desa/kelurahan ' || left(r.village_code, 20) || ' tidak dikenal (Kepmendagri 2025).'
    WHERE r.village_code <> '' AND v.code IS NULL
  UNION ALL SELECT 'village_code', 'region_out_of_scope',
    'Desa/kelurahan ' || v.name || ' di luar wilayah ' || %(jurisdiction_name)s || '.'
    WHERE v.code IS NOT NULL AND NOT starts_with(v.code, %(jurisdiction)s)
  UNION ALL SELECT 'segment', 'segment_unknown',
    'Segmen "' || left(r.segment, 20) || '" tidak dikenal (BPU, PU, JAKON, PMI).'
    WHERE r.segment_code = ''
  UNION ALL SELECT 'segment', 'employer_required',
    'Peserta PU dan Jasa Konstruksi didaftarkan oleh pemberi kerja; penanggung ini bukan pemberi kerja.'
    WHERE r.segment_code IN ('PU', 'JAKON') AND NOT %(has_employer)s
  UNION ALL SELECT 'tags', 'tag_unknown', 'Kelompok "' || left(r.tags, 60) || '" memuat isian yang tidak dikenal.'
    WHERE r.tags <> '' AND cardinality(r.tag_list) < (
      SELECT count(DISTINCT lower(regexp_replace(t, '[^A-Za-z0-9]', '', 'g')))
      FROM unnest(string_to_array(r.tags, ',')) AS t WHERE btrim(t) <> '')
  UNION ALL SELECT 'programmes', 'programme_unknown', 'Program "' || left(r.programmes, 40) || '" tidak dikenal.'
    WHERE r.programmes <> '' AND cardinality(r.programme_list) < (
      SELECT count(DISTINCT upper(btrim(p))) FROM unnest(string_to_array(r.programmes, ',')) AS p WHERE btrim(p) <> '')
  UNION ALL SELECT 'programmes', 'programme_not_open', 'Program JP hanya untuk peserta Penerima Upah (PP 45/2015).'
    WHERE r.segment_code NOT IN ('', 'PU') AND 'JP' = ANY(r.programme_list)
  UNION ALL SELECT 'declared_income', 'required', 'Penghasilan wajib diisi untuk peserta Bukan Penerima Upah.'
    WHERE r.segment_code = 'BPU' AND r.declared_income = ''
  UNION ALL SELECT 'declared_income', 'amount_invalid',
    'Penghasilan "' || left(r.declared_income, 30) || '" bukan angka rupiah.'
    WHERE r.declared_income <> '' AND r.income_amount IS NULL
  UNION ALL SELECT 'declared_income', 'income_out_of_bounds',
    'Penghasilan BPU harus antara ' || %(income_min_text)s || ' dan ' || %(income_max_text)s
    || ' (' || %(income_basis)s || ').'
    WHERE r.segment_code = 'BPU' AND (r.income_amount < %(income_min)s OR r.income_amount > %(income_max)s)
  UNION ALL SELECT 'wage', 'required', 'Upah wajib diisi untuk peserta Penerima Upah.'
    WHERE r.segment_code IN ('PU', 'JAKON') AND r.wage = ''
  UNION ALL SELECT 'wage', 'amount_invalid', 'Upah "' || left(r.wage, 30) || '" bukan angka rupiah.'
    WHERE r.wage <> '' AND r.wage_amount IS NULL
  UNION ALL SELECT 'valid_from', 'date_invalid',
    'Tanggal mulai "' || left(r.valid_from, 40) || '" bukan tanggal (tulis DD/MM/YYYY).'
    WHERE r.valid_from <> '' AND r.start IS NULL
  UNION ALL SELECT 'birth_date', 'age_out_of_range',
    'Usia ' || extract(year FROM age(r.start, r.born))::int || ' tahun di luar batas usia segmen ' || r.segment_code
    || ' (' || a.lo || '–' || coalesce(a.hi::text, '…') || ' tahun).'
    WHERE r.born IS NOT NULL AND r.start IS NOT NULL AND r.born <= r.start
      AND (extract(year FROM age(r.start, r.born)) < a.lo OR extract(year FROM age(r.start, r.born)) > a.hi)
  UNION ALL SELECT 'phone', 'too_long', 'Nomor HP paling panjang 20 karakter.'
    WHERE length(r.phone) > 20
  UNION ALL SELECT 'address', 'too_long', 'Alamat paling panjang 200 karakter.'
    WHERE length(r.address) > 200
  UNION ALL SELECT 'birth_place', 'too_long', 'Tempat lahir paling panjang 80 karakter.'
    WHERE length(r.birth_place) > 80
) AS e(field, code, message)
WHERE r.upload_id = %(upload)s;

-- step: check_nik
-- The NIK's own structure (UU 24/2013; Permendagri 7/2019), the same codes as regions/rules/nik.py.
INSERT INTO enrolment_error (upload_id, line, field, code, message)
SELECT r.upload_id, r.line, 'nik', c.code, m.message
FROM enrolment_row r
LEFT JOIN regions_region pv ON pv.code = substr(r.nik, 1, 2) AND pv.level = 1
CROSS JOIN LATERAL unnest(enrol_nik_errors(r.nik, r.nik_born, pv.code IS NOT NULL)) AS c(code)
JOIN (VALUES
  ('nik_format', 'NIK harus terdiri dari 16 digit angka.'),
  ('nik_province_unknown', 'Kode provinsi pada NIK tidak dikenal.'),
  ('nik_region_zero', 'Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00.'),
  ('nik_birth_date_invalid', 'Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang sah.'),
  ('nik_serial_zero', 'Nomor urut NIK (4 digit terakhir) tidak boleh 0000.')
) AS m(code, message) ON m.code = c.code
WHERE r.upload_id = %(upload)s AND r.nik <> '';

-- step: check_duplicates
-- The same NIK twice in the file: the first line stands, every later one is reported against it.
INSERT INTO enrolment_error (upload_id, line, field, code, message)
SELECT d.upload_id, d.line, 'nik', 'nik_duplicate_in_file',
  'NIK ini sudah ada di baris ' || d.first_line || ' berkas yang sama.'
FROM (
  SELECT r.upload_id, r.line, min(r.line) OVER (PARTITION BY r.nik) AS first_line
  FROM enrolment_row r WHERE r.upload_id = %(upload)s AND r.nik <> ''
) AS d
WHERE d.line > d.first_line;

-- step: check_registry
-- A NIK already in the registry is the same person: the file must not contradict the record.
INSERT INTO enrolment_error (upload_id, line, field, code, message)
SELECT r.upload_id, r.line, 'birth_date', 'person_mismatch',
  'NIK sudah terdaftar dengan tanggal lahir atau jenis kelamin lain; periksa NIK atau hubungi kantor cabang.'
FROM enrolment_row r
JOIN registry_person p ON p.nik = r.nik
WHERE r.upload_id = %(upload)s AND (p.birth_date <> r.born OR p.sex <> r.sex_code);

-- step: mark_invalid
UPDATE enrolment_row r SET invalid = true
WHERE r.upload_id = %(upload)s
  AND r.line IN (SELECT e.line FROM enrolment_error e WHERE e.upload_id = %(upload)s);

-- step: mark_already
-- Already enrolled with this payer in this segment (an open membership): counted, not added again.
UPDATE enrolment_row r SET outcome = 'already', membership_id = m.id
FROM registry_person p
JOIN registry_membership m ON m.person_id = p.id AND m.status <> 'ended'
WHERE r.upload_id = %(upload)s AND NOT r.invalid AND p.nik = r.nik AND m.segment = r.segment_code
  AND m.sponsor_id IS NOT DISTINCT FROM %(sponsor)s::bigint
  AND m.employer_id IS NOT DISTINCT FROM (CASE WHEN %(sponsor)s::bigint IS NULL OR r.segment_code IN ('PU', 'JAKON')
    THEN %(employer)s::bigint END);

-- step: apply_persons
-- New persons; a NIK already registered is the same person and is matched, not changed.
INSERT INTO registry_person (
  nik, full_name, title_prefix, title_suffix, birth_date, birth_place, sex, disability, disability_kind,
  phone, address, village_code, regency_code, province_code, created_at, updated_at)
SELECT r.nik, r.full_name, r.title_prefix, r.title_suffix, r.born, r.birth_place, r.sex_code, false, '',
  r.phone, r.address, r.village_code, left(r.village_code, 5), left(r.village_code, 2), now(), now()
FROM enrolment_row r
WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
  AND NOT r.invalid AND r.outcome = ''
ORDER BY r.line
ON CONFLICT (nik) DO NOTHING;

-- step: apply_number
-- The batch's new memberships, numbered before they are written: the membership id and the KPJ
-- serial come from their sequences here, so that the rows' outcomes can be joined back by id with
-- the statistics of a real (temporary, analysed) table rather than a CTE the planner guesses at.
-- An open membership with this payer found now (NOT EXISTS) is left for apply_leftovers.
CREATE TEMP TABLE enrol_new ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('registry_membership', 'id')) AS id,
  nextval('registry_kpj_seq') AS serial, c.*
FROM (
  SELECT r.line, p.id AS person_id, r.segment_code, r.tag_list,
    coalesce(r.programme_list, CASE r.segment_code WHEN 'PU' THEN %(default_pu)s::varchar[]
      ELSE %(default_other)s::varchar[] END) AS programmes,
    r.wage_amount, r.income_amount, r.start,
    CASE WHEN %(sponsor)s::bigint IS NULL OR r.segment_code IN ('PU', 'JAKON') THEN %(employer)s::bigint END
      AS employer_id,
    coalesce(%(payer_regency)s, left(r.village_code, 5)) AS regency_code
  FROM enrolment_row r
  JOIN registry_person p ON p.nik = r.nik
  WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
    AND NOT r.invalid AND r.outcome = ''
  ORDER BY r.line
) c
WHERE NOT EXISTS (
  SELECT 1 FROM registry_membership m
  WHERE m.person_id = c.person_id AND m.segment = c.segment_code AND m.status <> 'ended'
    AND m.sponsor_id IS NOT DISTINCT FROM %(sponsor)s::bigint
    AND m.employer_id IS NOT DISTINCT FROM c.employer_id);

-- step: apply_memberships
-- Memberships with this payer, KPJ numbers from the serials drawn above (registry_kpj_from_serial is
-- inlined, registry/sql.py); then the rows whose membership was written. ON CONFLICT (one open
-- membership per person, segment and payer) lets a concurrent job that got there first win: its
-- rows are left for apply_leftovers. Joining back through RETURNING, not the membership table, keeps
-- this to the batch's rows however large the registry.
WITH inserted AS (
  INSERT INTO registry_membership (
    id, kpj, person_id, employer_id, sponsor_id, segment, tags, programmes, wage, declared_income,
    valid_from, valid_until, status, regency_code, created_at, updated_at)
  SELECT n.id, registry_kpj_from_serial(n.serial), n.person_id, n.employer_id, %(sponsor)s::bigint,
    n.segment_code, n.tag_list, n.programmes, n.wage_amount, n.income_amount, n.start,
    -- A sponsor's APBD pays one budget year at a time: its memberships end with the year unless the
    -- list is renewed (services.budget_renew).
    CASE WHEN %(sponsor)s::bigint IS NOT NULL THEN make_date(extract(year FROM n.start)::int, 12, 31) END,
    'active', n.regency_code, now(), now()
  FROM enrol_new n
  ON CONFLICT DO NOTHING
  RETURNING id
)
UPDATE enrolment_row r SET outcome = 'applied', membership_id = n.id
FROM enrol_new n JOIN inserted i ON i.id = n.id
WHERE r.upload_id = %(upload)s AND r.line = n.line;

-- step: apply_leftovers
-- Valid rows of the batch that found an open membership at apply time (enrolled by someone else
-- since the check) are counted as already enrolled.
UPDATE enrolment_row r SET outcome = 'already'
WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
  AND NOT r.invalid AND r.outcome = '';

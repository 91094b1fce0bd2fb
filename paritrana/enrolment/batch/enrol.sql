-- Bulk enrolment, set-based (decision 0005). Parameters arrive as %(name)s; enrol.py runs the steps.
-- Each statement ends with ";" at the end of a line, so a comment must not end with one.

-- step: stage
-- One statement reads the raw cells (already stripped in Python), derives what each one means, checks
-- every per-row rule and writes the row with its problems: one pass, no update afterwards.
--
-- staged: dates and rupiah parsed the way officers type them (the two date parsers through their
-- lookup tables, enrolment/sql.py LOOKUPS, the functions for what the tables lack), sex and segment
-- read from their usual spellings, tags and programmes matched to the vocabulary (keys or their
-- Indonesian labels), the village and the NIK's province looked up. The registry is checked once
-- for the whole file afterwards (check_registry), not once per part. Materialised: every derived value is computed once however often the rules read it.
WITH tag_forms AS (
  -- A list repeats the same few cells thousands of times: each distinct cell is parsed once.
  SELECT d.tags, CASE WHEN strpos(d.tags, ',') = 0
      THEN ARRAY[%(tag_map)s::jsonb ->> lower(regexp_replace(d.tags, '[^A-Za-z0-9]', '', 'g'))]
      ELSE ARRAY(
        SELECT DISTINCT %(tag_map)s::jsonb ->> lower(regexp_replace(t.raw, '[^A-Za-z0-9]', '', 'g'))
        FROM unnest(string_to_array(d.tags, ',')) AS t(raw) WHERE btrim(t.raw) <> '') END AS keys
  FROM (SELECT DISTINCT tags FROM enrol_raw WHERE tags <> '') AS d
),
programme_forms AS (
  SELECT d.programmes, ARRAY(
      SELECT DISTINCT CASE WHEN upper(btrim(p)) IN ('JKK', 'JKM', 'JHT', 'JP', 'JKP') THEN upper(btrim(p)) END
      FROM unnest(string_to_array(d.programmes, ',')) AS p WHERE btrim(p) <> '') AS keys
  FROM (SELECT DISTINCT programmes FROM enrol_raw WHERE programmes <> '') AS d
),
birth_forms AS (
  SELECT d.birth_date, enrol_parse_date(d.birth_date) AS born
  FROM (SELECT DISTINCT birth_date FROM enrol_raw WHERE birth_date <> '') AS d
),
wage_forms AS (
  SELECT d.wage, enrol_parse_amount(d.wage) AS amount FROM (SELECT DISTINCT wage FROM enrol_raw WHERE wage <> '') AS d
),
income_forms AS (
  SELECT d.declared_income, enrol_parse_amount(d.declared_income) AS amount
  FROM (SELECT DISTINCT declared_income FROM enrol_raw WHERE declared_income <> '') AS d
),
village_forms AS (
  -- The village as typed, dotted when typed as ten digits, and the village it names (if any).
  SELECT d.typed, d.code, v.name
  FROM (
    SELECT t.typed, CASE WHEN t.typed ~ '^[0-9]{10}$'
        THEN substr(t.typed, 1, 2) || '.' || substr(t.typed, 3, 2) || '.' || substr(t.typed, 5, 2) || '.'
          || substr(t.typed, 7, 4)
        ELSE t.typed END AS code
    FROM (SELECT DISTINCT village_code AS typed FROM enrol_raw) AS t
  ) AS d
  LEFT JOIN regions_region v ON v.code = d.code AND v.level = 4
),
sex_forms AS (
  SELECT d.sex, CASE upper(regexp_replace(d.sex, '[^A-Za-z]', '', 'g'))
      WHEN 'L' THEN 'L' WHEN 'LK' THEN 'L' WHEN 'LAKILAKI' THEN 'L' WHEN 'PRIA' THEN 'L'
      WHEN 'P' THEN 'P' WHEN 'PR' THEN 'P' WHEN 'PEREMPUAN' THEN 'P' WHEN 'WANITA' THEN 'P'
      ELSE '' END AS code
  FROM (SELECT DISTINCT sex FROM enrol_raw) AS d
),
staged AS MATERIALIZED (
  SELECT r.line, r.nik, r.full_name, r.title_prefix, r.title_suffix, r.birth_date, r.sex, vf.code AS village_code,
    r.segment, r.tags, r.programmes, r.wage, r.declared_income, r.valid_from, r.phone, r.address,
    r.birth_place, r.nik_numeric,
    CASE WHEN r.nik_digits THEN enrol_nik_century(nd.d1900, nd.d2000, %(today)s::date) END AS nik_born,
    CASE WHEN NOT r.nik_digits THEN '' WHEN substr(r.nik, 7, 2) > '40' THEN 'P' ELSE 'L' END AS nik_sex,
    bf.born,
    sf.code AS sex_code,
    CASE WHEN r.segment = '' THEN %(default_segment)s
      WHEN upper(r.segment) IN ('PU', 'BPU', 'JAKON', 'PMI') THEN upper(r.segment) ELSE '' END AS segment_code,
    -- Tags and programmes as matched keys, NULL for an entry the vocabulary lacks (reported below).
    coalesce(tf.keys, '{}') AS tag_keys,
    pf.keys AS programme_keys,
    wf.amount AS wage_amount,
    inf.amount AS income_amount,
    CASE WHEN r.valid_from = '' THEN %(valid_from)s::date ELSE enrol_parse_date(r.valid_from) END AS start,
    vf.name AS village_name,
    pv.code IS NOT NULL AS province_known,
    -- A regency code in use, or one a NIK may still carry from before a split (regions' history).
    (rv.code IS NOT NULL OR hv.old_code IS NOT NULL) AS regency_known
  FROM (SELECT r.*, r.nik ~ '^[0-9]{16}$' AS nik_digits FROM enrol_raw r) AS r
  JOIN village_forms vf ON vf.typed = r.village_code
  JOIN sex_forms sf ON sf.sex = r.sex
  LEFT JOIN enrolment_nik_date nd ON nd.code = substr(r.nik, 7, 6)
  LEFT JOIN regions_region pv ON pv.code = substr(r.nik, 1, 2) AND pv.level = 1
  LEFT JOIN regions_region rv ON rv.code = substr(r.nik, 1, 2) || '.' || substr(r.nik, 3, 2) AND rv.level = 2
  LEFT JOIN regions_historicalregioncode hv ON hv.old_code = substr(r.nik, 1, 2) || '.' || substr(r.nik, 3, 2)
  LEFT JOIN tag_forms tf ON tf.tags = r.tags
  LEFT JOIN programme_forms pf ON pf.programmes = r.programmes
  LEFT JOIN birth_forms bf ON bf.birth_date = r.birth_date
  LEFT JOIN wage_forms wf ON wf.wage = r.wage
  LEFT JOIN income_forms inf ON inf.declared_income = r.declared_income
),
-- Every rule a row breaks, as a key, in the order the report lists them; NIK structure as
-- regions/rules/nik.py says it (UU 24/2013; Permendagri 7/2019) through enrol_nik_errors.
broken AS MATERIALIZED (
  SELECT * FROM (SELECT s.line, array_remove(ARRAY[
    CASE WHEN s.nik = '' THEN 'nik_required' END,
    CASE WHEN s.nik_numeric AND s.nik <> '' THEN 'nik_number_cell' END,
    CASE WHEN s.full_name = '' THEN 'name_required' END,
    -- Not a person's name (issue 28 §3): a placeholder typed for "unknown", digits only (a number or
    -- the NIK pasted into the wrong column), or a spreadsheet formula — never stored.
    CASE WHEN s.full_name ~* '^([-?.x_/]+|n/?a|nn|null|none|tidak ada|belum ada|tanpa nama)$' THEN 'name_placeholder'
      WHEN s.full_name ~ '^[0-9 .,/-]+$' THEN 'name_digits'
      WHEN left(s.full_name, 1) IN ('=', '+', '-', '@') THEN 'name_formula' END,
    CASE WHEN length(s.full_name) > 150 THEN 'name_too_long' END,
    CASE WHEN length(s.title_prefix) > 60 OR length(s.title_suffix) > 60 THEN 'title_too_long' END,
    CASE WHEN s.birth_date = '' THEN 'born_required' END,
    CASE WHEN s.birth_date <> '' AND s.born IS NULL THEN 'born_invalid' END,
    CASE WHEN s.born > %(today)s::date THEN 'born_future' END,
    CASE WHEN s.born <> s.nik_born THEN 'born_nik' END,
    CASE WHEN s.sex = '' THEN 'sex_required' END,
    CASE WHEN s.sex <> '' AND s.sex_code = '' THEN 'sex_invalid' END,
    CASE WHEN s.sex_code <> '' AND s.nik_born IS NOT NULL AND s.sex_code <> s.nik_sex THEN 'sex_nik' END,
    CASE WHEN s.village_code = '' THEN 'village_required' END,
    CASE WHEN s.village_code <> '' AND s.village_name IS NULL THEN 'village_unknown' END,
    CASE WHEN s.village_name IS NOT NULL AND NOT starts_with(s.village_code, %(jurisdiction)s)
      THEN 'village_out_of_scope' END,
    CASE WHEN s.segment_code = '' THEN 'segment_unknown' END,
    CASE WHEN s.segment_code IN ('PU', 'JAKON') AND NOT %(has_employer)s THEN 'segment_employer' END,
    CASE WHEN array_position(s.tag_keys, NULL) IS NOT NULL THEN 'tag_unknown' END,
    CASE WHEN array_position(s.programme_keys, NULL) IS NOT NULL THEN 'programme_unknown' END,
    CASE WHEN s.segment_code NOT IN ('', 'PU') AND 'JP' = ANY(s.programme_keys) THEN 'programme_jp' END,
    CASE WHEN s.segment_code = 'BPU' AND s.declared_income = '' THEN 'income_required' END,
    CASE WHEN s.declared_income <> '' AND s.income_amount IS NULL THEN 'income_invalid' END,
    CASE WHEN s.segment_code = 'BPU' AND (s.income_amount < %(income_min)s OR s.income_amount > %(income_max)s)
      THEN 'income_bounds' END,
    CASE WHEN s.segment_code IN ('PU', 'JAKON') AND s.wage = '' THEN 'wage_required' END,
    CASE WHEN s.wage <> '' AND s.wage_amount IS NULL THEN 'wage_invalid' END,
    CASE WHEN s.valid_from <> '' AND s.start IS NULL THEN 'start_invalid' END,
    CASE WHEN s.start < s.born THEN 'start_before_birth' END,
    -- PP 44/2015 Pasal 2 jo. Permenaker 5/2021: a non-wage earner joins JKK and JKM at least.
    CASE WHEN s.segment_code = 'BPU' AND s.programme_keys IS NOT NULL
        AND NOT (s.programme_keys @> ARRAY['JKK', 'JKM']) THEN 'programme_bpu_core' END,
    CASE WHEN s.nik ~ '^[0-9]{16}$' AND s.province_known AND substr(s.nik, 3, 2) <> '00' AND NOT s.regency_known
      THEN 'nik_regency_unknown' END,
    CASE WHEN s.born IS NOT NULL AND s.start IS NOT NULL AND s.born <= s.start
        AND (extract(year FROM age(s.start, s.born)) < a.lo OR extract(year FROM age(s.start, s.born)) > a.hi)
      THEN 'age_range' END,
    CASE WHEN length(s.phone) > 20 THEN 'phone_too_long' END,
    CASE WHEN length(s.address) > 200 THEN 'address_too_long' END,
    CASE WHEN length(s.birth_place) > 80 THEN 'birth_place_too_long' END
  ], NULL) || CASE WHEN s.nik = '' THEN '{}'::text[] ELSE enrol_nik_errors(s.nik, s.nik_born, s.province_known) END
    AS problems,
    a.lo AS age_lo, a.hi AS age_hi
  FROM staged s
  LEFT JOIN unnest(%(age_segment)s::text[], %(age_min)s::int[], %(age_max)s::int[]) AS a(segment, lo, hi)
    ON a.segment = s.segment_code
  OFFSET 0) AS checked  -- a fence: the array is built once per row, then filtered
  WHERE problems <> '{}'
),
-- Each problem as the report shows it: the field, a stable code and an Indonesian reason that quotes
-- the cell. Only the broken rows are expanded.
reported AS (
  INSERT INTO enrolment_error (upload_id, line, field, code, message)
  SELECT %(upload)s, b.line, k.field, k.code, CASE e.key
    WHEN 'nik_required' THEN 'NIK wajib diisi.'
    WHEN 'nik_number_cell' THEN
      'NIK tersimpan sebagai angka di Excel sehingga digit terakhir bisa berubah; simpan kolom NIK sebagai teks.'
    WHEN 'name_required' THEN 'Nama lengkap wajib diisi.'
    WHEN 'name_placeholder' THEN 'Nama "' || left(b.full_name, 20) || '" bukan nama orang; tulis nama sesuai KTP.'
    WHEN 'name_digits' THEN 'Nama berisi angka saja; tulis nama sesuai KTP.'
    WHEN 'name_formula' THEN 'Nama tidak boleh diawali =, +, - atau @ (rumus lembar kerja).'
    WHEN 'start_before_birth' THEN 'Tanggal mulai ' || to_char(b.start, 'DD/MM/YYYY') || ' sebelum tanggal lahir.'
    WHEN 'programme_bpu_core' THEN
      'Peserta Bukan Penerima Upah wajib ikut JKK dan JKM (PP 44/2015 Pasal 2; Permenaker 5/2021).'
    WHEN 'nik_regency_unknown' THEN 'Kode kabupaten/kota pada NIK (' || substr(b.nik, 1, 2) || '.'
      || substr(b.nik, 3, 2) || ') tidak pernah ada.'
    WHEN 'name_too_long' THEN 'Nama lengkap paling panjang 150 karakter.'
    WHEN 'title_too_long' THEN 'Gelar paling panjang 60 karakter.'
    WHEN 'born_required' THEN 'Tanggal lahir wajib diisi.'
    WHEN 'born_invalid' THEN 'Tanggal lahir "' || left(b.birth_date, 40) || '" bukan tanggal (tulis DD/MM/YYYY).'
    WHEN 'born_future' THEN 'Tanggal lahir tidak boleh di masa depan.'
    WHEN 'born_nik' THEN 'Tanggal lahir ' || to_char(b.born, 'DD/MM/YYYY') || ' tidak sesuai dengan NIK ('
      || to_char(b.nik_born, 'DD/MM/YYYY') || ').'
    WHEN 'sex_required' THEN 'Jenis kelamin wajib diisi.'
    WHEN 'sex_invalid' THEN 'Jenis kelamin harus L (laki-laki) atau P (perempuan).'
    WHEN 'sex_nik' THEN 'Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan ditambah 40).'
    WHEN 'village_required' THEN 'Kode desa/kelurahan wajib diisi.'
    WHEN 'village_unknown' THEN
      'Kode desa/kelurahan ' || left(b.village_code, 20) || ' tidak dikenal (Kepmendagri 2025).'
    WHEN 'village_out_of_scope' THEN
      'Desa/kelurahan ' || b.village_name || ' di luar wilayah ' || %(jurisdiction_name)s || '.'
    WHEN 'segment_unknown' THEN 'Segmen "' || left(b.segment, 20) || '" tidak dikenal (BPU, PU, JAKON, PMI).'
    WHEN 'segment_employer' THEN
      'Peserta PU dan Jasa Konstruksi didaftarkan oleh pemberi kerja; penanggung ini bukan pemberi kerja.'
    WHEN 'tag_unknown' THEN 'Kelompok "' || left(b.tags, 60) || '" memuat isian yang tidak dikenal.'
    WHEN 'programme_unknown' THEN 'Program "' || left(b.programmes, 40) || '" tidak dikenal.'
    WHEN 'programme_jp' THEN 'Program JP hanya untuk peserta Penerima Upah (PP 45/2015).'
    WHEN 'income_required' THEN 'Penghasilan wajib diisi untuk peserta Bukan Penerima Upah.'
    WHEN 'income_invalid' THEN 'Penghasilan "' || left(b.declared_income, 30) || '" bukan angka rupiah.'
    WHEN 'income_bounds' THEN 'Penghasilan BPU harus antara ' || %(income_min_text)s || ' dan '
      || %(income_max_text)s || ' (' || %(income_basis)s || ').'
    WHEN 'wage_required' THEN 'Upah wajib diisi untuk peserta Penerima Upah.'
    WHEN 'wage_invalid' THEN 'Upah "' || left(b.wage, 30) || '" bukan angka rupiah.'
    WHEN 'start_invalid' THEN 'Tanggal mulai "' || left(b.valid_from, 40) || '" bukan tanggal (tulis DD/MM/YYYY).'
    WHEN 'age_range' THEN 'Usia ' || extract(year FROM age(b.start, b.born))::int || ' tahun di luar batas usia segmen '
      || b.segment_code || ' (' || k0.age_lo || '–' || coalesce(k0.age_hi::text, '…') || ' tahun).'
    WHEN 'phone_too_long' THEN 'Nomor HP paling panjang 20 karakter.'
    WHEN 'address_too_long' THEN 'Alamat paling panjang 200 karakter.'
    WHEN 'birth_place_too_long' THEN 'Tempat lahir paling panjang 80 karakter.'
    WHEN 'nik_format' THEN 'NIK harus terdiri dari 16 digit angka.'
    WHEN 'nik_province_unknown' THEN 'Kode provinsi pada NIK tidak dikenal.'
    WHEN 'nik_region_zero' THEN 'Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00.'
    WHEN 'nik_birth_date_invalid' THEN 'Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang sah.'
    WHEN 'nik_serial_zero' THEN 'Nomor urut NIK (4 digit terakhir) tidak boleh 0000.'
  END
  FROM broken k0
  JOIN staged b ON b.line = k0.line
  CROSS JOIN LATERAL unnest(k0.problems) WITH ORDINALITY AS e(key, n)
  JOIN (VALUES
    ('nik_required', 'nik', 'required'), ('nik_number_cell', 'nik', 'nik_number_cell'),
    ('name_required', 'full_name', 'required'), ('name_too_long', 'full_name', 'too_long'),
    ('name_placeholder', 'full_name', 'name_invalid'), ('name_digits', 'full_name', 'name_invalid'),
    ('name_formula', 'full_name', 'name_invalid'), ('start_before_birth', 'valid_from', 'start_before_birth'),
    ('programme_bpu_core', 'programmes', 'programme_required'), ('nik_regency_unknown', 'nik', 'nik_regency_unknown'),
    ('title_too_long', 'full_name', 'too_long'),
    ('born_required', 'birth_date', 'required'), ('born_invalid', 'birth_date', 'date_invalid'),
    ('born_future', 'birth_date', 'birth_date_future'), ('born_nik', 'birth_date', 'nik_birth_date_mismatch'),
    ('sex_required', 'sex', 'required'), ('sex_invalid', 'sex', 'sex_invalid'), ('sex_nik', 'sex', 'nik_sex_mismatch'),
    ('village_required', 'village_code', 'required'), ('village_unknown', 'village_code', 'region_unknown'),
    ('village_out_of_scope', 'village_code', 'region_out_of_scope'),
    ('segment_unknown', 'segment', 'segment_unknown'), ('segment_employer', 'segment', 'employer_required'),
    ('tag_unknown', 'tags', 'tag_unknown'),
    ('programme_unknown', 'programmes', 'programme_unknown'), ('programme_jp', 'programmes', 'programme_not_open'),
    ('income_required', 'declared_income', 'required'), ('income_invalid', 'declared_income', 'amount_invalid'),
    ('income_bounds', 'declared_income', 'income_out_of_bounds'),
    ('wage_required', 'wage', 'required'), ('wage_invalid', 'wage', 'amount_invalid'),
    ('start_invalid', 'valid_from', 'date_invalid'), ('age_range', 'birth_date', 'age_out_of_range'),
    ('phone_too_long', 'phone', 'too_long'), ('address_too_long', 'address', 'too_long'),
    ('birth_place_too_long', 'birth_place', 'too_long'),
    ('nik_format', 'nik', 'nik_format'), ('nik_province_unknown', 'nik', 'nik_province_unknown'),
    ('nik_region_zero', 'nik', 'nik_region_zero'), ('nik_birth_date_invalid', 'nik', 'nik_birth_date_invalid'),
    ('nik_serial_zero', 'nik', 'nik_serial_zero')
  ) AS k(key, field, code) ON k.key = e.key
  ORDER BY b.line, e.n
)
INSERT INTO enrolment_row (
  upload_id, line, nik, full_name, title_prefix, title_suffix, birth_date, sex, village_code, segment, tags,
  programmes, wage, declared_income, valid_from, phone, address, birth_place, nik_numeric,
  nik_born, nik_sex, born, sex_code, segment_code, tag_list, programme_list, wage_amount, income_amount, start, invalid,
  outcome)
SELECT %(upload)s, s.line, s.nik, s.full_name, s.title_prefix, s.title_suffix, s.birth_date, s.sex, s.village_code,
  s.segment, s.tags, s.programmes, s.wage, s.declared_income, s.valid_from, s.phone, s.address, s.birth_place,
  s.nik_numeric, s.nik_born, s.nik_sex, s.born, s.sex_code, s.segment_code, array_remove(s.tag_keys, NULL),
  array_remove(s.programme_keys, NULL), s.wage_amount, s.income_amount, s.start,
  k.line IS NOT NULL, ''
FROM staged s
LEFT JOIN broken k ON k.line = s.line;

-- step: check_duplicates
-- The same NIK twice in the file: the first line stands, every later one is reported against it
-- (whatever else is wrong with either) and set invalid.
WITH reported AS (
  INSERT INTO enrolment_error (upload_id, line, field, code, message)
  SELECT d.upload_id, d.line, 'nik', 'nik_duplicate_in_file',
    'NIK ini sudah ada di baris ' || d.first_line || ' berkas yang sama.'
  FROM (
    SELECT r.upload_id, r.line, min(r.line) OVER (PARTITION BY r.nik) AS first_line
    FROM enrolment_row r WHERE r.upload_id = %(upload)s AND r.nik <> ''
  ) AS d
  WHERE d.line > d.first_line
  RETURNING line
)
UPDATE enrolment_row r SET invalid = true
WHERE r.upload_id = %(upload)s AND NOT r.invalid AND r.line IN (SELECT line FROM reported);

-- step: note_districts
-- A warning, never a refusal (issue 28 §3): the NIK's district code (digits 5–6) is not a district
-- of its regency today. District histories are incomplete, so an old code is possible; only NIKs of
-- a regency in use are looked at (a former regency's districts are former codes too).
INSERT INTO enrolment_note (upload_id, line, field, code, message)
SELECT %(upload)s, r.line, 'nik', 'nik_district_unknown',
  'Kode kecamatan pada NIK (' || substr(r.nik, 1, 2) || '.' || substr(r.nik, 3, 2) || '.' || substr(r.nik, 5, 2)
    || ') tidak ada di daftar kecamatan saat ini; bisa kode lama, periksa dengan KTP.'
FROM enrolment_row r
JOIN regions_region rv ON rv.code = substr(r.nik, 1, 2) || '.' || substr(r.nik, 3, 2) AND rv.level = 2
-- An anti-join rather than NOT EXISTS: on Citus (issue 32) the regions are a reference table, and a
-- correlated subquery beside another table is refused.
LEFT JOIN regions_region d
  ON d.code = substr(r.nik, 1, 2) || '.' || substr(r.nik, 3, 2) || '.' || substr(r.nik, 5, 2) AND d.level = 3
WHERE r.upload_id = %(upload)s AND NOT r.invalid AND r.nik ~ '^[0-9]{16}$' AND d.code IS NULL
ORDER BY r.line;

-- step: check_registry
-- The file's NIKs already in the registry, in one pass over the registry for both questions:
-- a registered NIK is the same person, so the file must not contradict the record (reported, the
-- row invalid); a valid row whose person already has an open membership with this payer in this
-- segment is counted as already enrolled, not added again.
--
-- Run again by the apply (pending_only, on one batch's lines) for the lines it left without an
-- outcome: their person, or their membership with this payer, was written by another job (another
-- payer's upload of the same people, a registration through the API) after the apply's statement
-- began, so that statement saw neither; it waited for the other job's NIK and found no person.
-- They are never counted as enrolled on that account (issue 29, defect 1: 69,955 rows were): the
-- new statement sees what the other job committed, and the apply runs again for the rest.
WITH matched AS MATERIALIZED (
  SELECT r.line, r.invalid, r.segment_code, p.id AS person_id,
    coalesce(p.birth_date <> r.born OR p.sex <> r.sex_code, false) AS mismatch
  FROM enrolment_row r
  JOIN registry_person p ON p.nik = r.nik
  WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
    AND (NOT %(pending_only)s OR (NOT r.invalid AND r.outcome = ''))
),
reported AS (
  INSERT INTO enrolment_error (upload_id, line, field, code, message)
  SELECT %(upload)s, m.line, 'birth_date', 'person_mismatch',
    'NIK sudah terdaftar dengan tanggal lahir atau jenis kelamin lain; periksa NIK atau hubungi kantor cabang.'
  FROM matched m WHERE m.mismatch
),
enrolled AS (
  SELECT m.line, min(ms.id) AS membership_id
  FROM matched m
  JOIN registry_membership ms ON ms.person_id = m.person_id AND ms.status <> 'ended' AND ms.segment = m.segment_code
  WHERE NOT m.invalid AND NOT m.mismatch
    AND ms.sponsor_id IS NOT DISTINCT FROM %(sponsor)s::bigint
    AND ms.employer_id IS NOT DISTINCT FROM (CASE WHEN %(sponsor)s::bigint IS NULL OR m.segment_code IN ('PU', 'JAKON')
      THEN %(employer)s::bigint END)
  GROUP BY m.line
)
UPDATE enrolment_row r
SET invalid = r.invalid OR m.mismatch,
  outcome = CASE WHEN e.line IS NOT NULL THEN 'already' ELSE r.outcome END,
  membership_id = coalesce(e.membership_id, r.membership_id)
FROM matched m
LEFT JOIN enrolled e ON e.line = m.line
WHERE r.upload_id = %(upload)s AND r.line = m.line AND (m.mismatch OR e.line IS NOT NULL);

-- step: apply_batch
-- One committed batch of lines in one statement: the batch's valid rows, new persons written, each
-- row's person found, memberships numbered and written, the rows' outcomes recorded. The statement
-- is this step followed by apply_numbered; on a Citus cluster apply_batch_cluster takes this
-- step's place.
--
-- batch: the valid lines of the batch without an outcome (a resumed apply skips what committed).
WITH batch AS MATERIALIZED (
  SELECT r.line, r.nik, r.full_name, r.title_prefix, r.title_suffix, r.born, r.birth_place, r.sex_code, r.phone,
    r.address, r.village_code, r.segment_code, r.tag_list, r.programme_list, r.wage_amount, r.income_amount, r.start
  FROM enrolment_row r
  WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
    AND NOT r.invalid AND r.outcome = ''
),
-- New persons; a NIK already registered is the same person and is matched, not changed.
added AS (
  INSERT INTO registry_person (
    nik, full_name, title_prefix, title_suffix, birth_date, birth_place, sex, disability, disability_kind,
    phone, address, village_code, regency_code, province_code, created_at, updated_at)
  SELECT b.nik, b.full_name, b.title_prefix, b.title_suffix, b.born, b.birth_place, b.sex_code, false, '',
    b.phone, b.address, b.village_code, left(b.village_code, 5), left(b.village_code, 2), now(), now()
  FROM batch b
  ORDER BY b.line
  ON CONFLICT (nik) DO NOTHING
  RETURNING id, nik
),
-- Each row's person: the one just written, or (only then looked up, by the NIK's index) the one
-- registered before. The statement cannot see its own inserts, so a person another job wrote since
-- it began is found by neither: the row is left for check_registry, run again.
persons AS MATERIALIZED (
  SELECT b.*, coalesce(a.id, (SELECT p.id FROM registry_person p WHERE p.nik = b.nik)) AS person_id,
    a.id IS NOT NULL AS new_person,
    CASE WHEN %(sponsor)s::bigint IS NULL OR b.segment_code IN ('PU', 'JAKON') THEN %(employer)s::bigint END
      AS employer_id
  FROM batch b
  LEFT JOIN added a ON a.nik = b.nik
)

-- step: apply_batch_cluster
-- The same on a Citus cluster (issue 32), where the person's NIK cannot be a unique key (persons are
-- distributed by id): claim_niks has just written the batch's new NIKs to registry_person_nik, the
-- NIK directory distributed by NIK, and claim_persons the persons under the ids it drew. Here they
-- are %(claimed_niks)s / %(claimed_ids)s; a NIK claimed before is the registered person's, found in
-- the directory. A NIK another job claimed and has not committed made claim_niks wait for it, so
-- this later statement finds it.
WITH batch AS MATERIALIZED (
  SELECT r.line, r.nik, r.segment_code, r.tag_list, r.programme_list, r.wage_amount, r.income_amount, r.start,
    r.village_code
  FROM enrolment_row r
  WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
    AND NOT r.invalid AND r.outcome = ''
),
added AS (
  SELECT a.nik, a.id FROM unnest(%(claimed_niks)s::varchar[], %(claimed_ids)s::bigint[]) AS a(nik, id)
),
persons AS MATERIALIZED (
  SELECT b.*, coalesce(a.id, d.person_id) AS person_id, a.id IS NOT NULL AS new_person,
    CASE WHEN %(sponsor)s::bigint IS NULL OR b.segment_code IN ('PU', 'JAKON') THEN %(employer)s::bigint END
      AS employer_id
  FROM batch b
  LEFT JOIN added a ON a.nik = b.nik
  LEFT JOIN registry_person_nik d ON d.nik = b.nik
)

-- step: apply_numbered
-- The rest of the apply's statement, after apply_batch or apply_batch_cluster.
,
-- The registered persons' memberships open with this payer now (enrolled since the check): an
-- anti-join below rather than NOT EXISTS, which Citus refuses beside a CTE (issue 32).
open_now AS MATERIALIZED (
  SELECT DISTINCT m.person_id, m.segment, m.employer_id
  FROM registry_membership m
  WHERE m.person_id IN (SELECT x.person_id FROM persons x WHERE NOT x.new_person)
    AND m.status <> 'ended' AND m.sponsor_id IS NOT DISTINCT FROM %(sponsor)s::bigint
),
-- The new memberships, numbered: id and KPJ serial from their sequences, in file order. A registered
-- person with an open membership with this payer already is left out. Materialised, so that each
-- row draws each number once (registry_kpj_from_serial reads its argument several times).
numbered AS MATERIALIZED (
  SELECT nextval(pg_get_serial_sequence('registry_membership', 'id')) AS id,
    nextval('registry_kpj_seq') AS serial, x.*
  FROM (
    SELECT x.* FROM persons x
    LEFT JOIN open_now o
      ON o.person_id = x.person_id AND o.segment = x.segment_code AND o.employer_id IS NOT DISTINCT FROM x.employer_id
    WHERE x.person_id IS NOT NULL AND (x.new_person OR o.person_id IS NULL)
    ORDER BY x.line
  ) AS x
),
-- Memberships with this payer, KPJ numbers from the serials (registry_kpj_from_serial is inlined,
-- registry/sql.py). ON CONFLICT (one open membership per person, segment and payer) lets a
-- concurrent job that got there first win: its rows are left for check_registry, run again.
written AS (
  INSERT INTO registry_membership (
    id, kpj, person_id, employer_id, sponsor_id, segment, tags, programmes, wage, declared_income,
    valid_from, valid_until, status, regency_code, created_at, updated_at)
  SELECT n.id, registry_kpj_from_serial(n.serial), n.person_id, n.employer_id, %(sponsor)s::bigint,
    n.segment_code, n.tag_list,
    coalesce(n.programme_list, CASE n.segment_code WHEN 'PU' THEN %(default_pu)s::varchar[]
      ELSE %(default_other)s::varchar[] END),
    n.wage_amount, n.income_amount, n.start,
    -- A sponsor's APBD pays one budget year at a time: its memberships end with the year unless the
    -- list is renewed (services.budget_renew).
    CASE WHEN %(sponsor)s::bigint IS NOT NULL THEN make_date(extract(year FROM n.start)::int, 12, 31) END,
    'active', coalesce(%(payer_regency)s, left(n.village_code, 5)), now(), now()
  FROM numbered n
  ON CONFLICT DO NOTHING
  RETURNING id, person_id
)
-- The rows whose membership was written (a person is on one valid line of a file only). The
-- batch's range is repeated here so that only its lines are read, by the key: joined on the line
-- alone, the planner hashed the whole upload for every batch.
UPDATE enrolment_row r SET outcome = 'applied', membership_id = w.id
FROM written w
JOIN persons x ON x.person_id = w.person_id
WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s AND r.line = x.line;

-- step: claim_niks
-- On a Citus cluster, before apply_batch_cluster: the batch's NIKs written to the NIK directory under
-- person ids drawn in file order, as one server's INSERT … ON CONFLICT (nik) draws them (a NIK
-- already registered draws one too); the NIKs this batch now holds are returned.
INSERT INTO registry_person_nik (nik, person_id)
SELECT b.nik, nextval(pg_get_serial_sequence('registry_person', 'id'))
FROM (
  SELECT r.line, r.nik FROM enrolment_row r
  WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
    AND NOT r.invalid AND r.outcome = ''
  ORDER BY r.line
) AS b
ON CONFLICT (nik) DO NOTHING
RETURNING nik, person_id;

-- step: claim_persons
-- The persons of the NIKs claim_niks returned, under the ids it drew.
INSERT INTO registry_person (
  id, nik, full_name, title_prefix, title_suffix, birth_date, birth_place, sex, disability, disability_kind,
  phone, address, village_code, regency_code, province_code, created_at, updated_at)
SELECT a.id, b.nik, b.full_name, b.title_prefix, b.title_suffix, b.born, b.birth_place, b.sex_code, false, '',
  b.phone, b.address, b.village_code, left(b.village_code, 5), left(b.village_code, 2), now(), now()
FROM enrolment_row b
JOIN unnest(%(claimed_niks)s::varchar[], %(claimed_ids)s::bigint[]) AS a(nik, id) ON a.nik = b.nik
WHERE b.upload_id = %(upload)s AND b.line > %(after)s AND b.line <= %(through)s
  AND NOT b.invalid AND b.outcome = '';

-- step: left_over
-- How many valid lines of the batch are still without an outcome.
SELECT count(*) FROM enrolment_row r
WHERE r.upload_id = %(upload)s AND r.line > %(after)s AND r.line <= %(through)s
  AND NOT r.invalid AND r.outcome = '';

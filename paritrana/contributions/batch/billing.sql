-- Monthly billing, set-based (issue 3 §3). One contribution line per membership active in the month,
-- one bill per payer (sponsor, else employer, else the participant). Rates arrive as parameters taken
-- from the dated rows in force for the month (billing.py); the arithmetic mirrors
-- rules/contribution.py: every amount rounded once to whole rupiah, half up (round(numeric)).
-- Idempotent: memberships already billed for the month are skipped, bills are upserted.
-- Working tables are ordinary tables, not TEMP, so that PostgreSQL's parallel workers can read them
-- (billing.py names them per month and drops them before the transaction ends). Not UNLOGGED: an
-- unlogged table created in a transaction that a server crash interrupts makes the next start fail
-- ("could not create file … File exists", docs/reliability.md, issue 29 defect 3); created and
-- dropped in one transaction, an ordinary table costs no WAL on the embedded server (wal_level
-- minimal). {bills_table} and
-- {lines_table} are the parents, or for a month billed for the first time its detached partitions.

-- The wage changes are taken DISTINCT ON the person as well as the membership (a membership is one
-- person's): Citus then runs it on each shard. Comments inside a statement count toward the 1,024
-- characters of pg_stat_activity that the fault tests read (tests/faults/race.py).
-- step: compute_lines
CREATE TABLE {new} AS
WITH candidates AS (
  -- The wage in force in the month: the wage a later reported change replaced, else the latest
  -- reported (registry.models.WageChange; issue 27 §3). Few changes lie after a month being billed,
  -- so the join is to a small set, hashed once. The joins name the person as well as the membership:
  -- on a Citus cluster that is what tells it the rows lie on the same shard (docs/scale.md).
  SELECT m.id AS membership_id, m.segment, m.programmes, coalesce(w.previous_wage, m.wage) AS wage,
    m.declared_income, m.sponsor_id, m.employer_id, m.person_id,
    coalesce(e.jkk_risk_group, 1) AS risk_group,
    coalesce(e.jkk_relief_eligible, false) AS relief_eligible
  FROM registry_membership m
  LEFT JOIN registry_employer e ON e.id = m.employer_id
  LEFT JOIN (
    SELECT DISTINCT ON (person_id, membership_id) membership_id, person_id, previous_wage
    FROM registry_wagechange WHERE effective_from > %(period)s
    ORDER BY person_id, membership_id, effective_from
  ) w ON w.membership_id = m.id AND w.person_id = m.person_id
  WHERE m.valid_from <= %(period_end)s
    AND m.id <= %(max_membership_id)s
    AND (m.valid_until IS NULL OR m.valid_until >= %(period)s)
    -- A month billed for the first time holds no lines to skip; the anti-join would still probe per row.
    AND (%(first_load)s OR NOT EXISTS (
      SELECT 1 FROM contributions_contributionline l
      WHERE l.membership_id = m.id AND l.person_id = m.person_id AND l.period = %(period)s
    ))
    AND CASE m.segment
      WHEN 'PU' THEN m.wage IS NOT NULL
      WHEN 'JAKON' THEN m.wage IS NOT NULL
      WHEN 'BPU' THEN m.declared_income IS NOT NULL
      -- A PMI package is paid once, for the month the protection starts (Permenaker 4/2023 Pasal 18).
      WHEN 'PMI' THEN %(pmi_on)s AND m.valid_from >= %(period)s
      ELSE false END
),
amounts AS (
  -- Rates arrive as fractions (percent / 100, relief factors applied: billing.py), so each amount is
  -- one multiplication and one rounding; numeric division is the costly operation at this scale.
  SELECT c.*,
    CASE c.segment
      WHEN 'PU' THEN c.wage
      WHEN 'JAKON' THEN c.wage
      WHEN 'BPU' THEN least(greatest(c.declared_income, %(bpu_min)s), %(bpu_max)s)
    END AS base,
    CASE c.segment
      WHEN 'PU' THEN CASE WHEN c.relief_eligible THEN (%(jkk_relief_fracs)s::numeric[])[c.risk_group]
                          ELSE (%(jkk_fracs)s::numeric[])[c.risk_group] END
      WHEN 'JAKON' THEN %(jakon_jkk_frac)s
      WHEN 'BPU' THEN %(bpu_jkk_frac)s
    END AS jkk_frac,
    CASE WHEN c.segment = 'PU' AND 'JP' = ANY(c.programmes) THEN least(c.wage, %(jp_cap)s) END AS jp_base,
    CASE WHEN c.segment = 'PU' AND 'JKP' = ANY(c.programmes) AND %(jkp_on)s
      THEN least(c.wage, %(jkp_cap)s) END AS jkp_base,
    c.segment = 'PU' AND 'JHT' = ANY(c.programmes) AS has_jht,
    c.segment = 'BPU' AND 'JHT' = ANY(c.programmes) AS has_bpu_jht
  FROM candidates c
),
lines AS (
  SELECT a.membership_id, a.segment, a.base, a.sponsor_id, a.employer_id, a.person_id,
    CASE WHEN a.segment IN ('PU', 'JAKON') THEN round(a.base * a.jkk_frac) ELSE 0 END AS jkk_employer,
    CASE WHEN a.segment = 'BPU' THEN round(a.base * a.jkk_frac) ELSE 0 END AS jkk_worker,
    CASE a.segment
      WHEN 'PU' THEN round(a.base * %(jkm_frac)s)
      WHEN 'JAKON' THEN round(a.base * %(jakon_jkm_frac)s)
      ELSE 0 END AS jkm_employer,
    CASE WHEN a.segment = 'BPU' THEN %(bpu_jkm_amount)s ELSE 0 END AS jkm_worker,
    CASE WHEN a.has_jht THEN round(a.base * %(jht_employer_frac)s) ELSE 0 END AS jht_employer,
    CASE WHEN a.has_jht THEN round(a.base * %(jht_worker_frac)s)
         WHEN a.has_bpu_jht THEN round(a.base * %(bpu_jht_frac)s) ELSE 0 END AS jht_worker,
    a.jp_base,
    coalesce(round(a.jp_base * %(jp_employer_frac)s), 0) AS jp_employer_full,
    coalesce(round(a.jp_base * %(jp_worker_frac)s), 0) AS jp_worker_full,
    coalesce(round(a.jkp_base * %(jkp_government_frac)s), 0) AS jkp_government,
    coalesce(round(a.jkp_base * %(jkp_recomposed_frac)s), 0) AS jkp_recomposed,
    CASE WHEN a.segment = 'PMI' THEN %(pmi_package)s ELSE 0 END AS package_worker
  FROM amounts a
),
parts AS (
  SELECT l.membership_id, l.person_id, l.segment, l.base, l.sponsor_id,
    CASE WHEN l.sponsor_id IS NULL THEN l.employer_id END AS employer_id,
    CASE WHEN l.sponsor_id IS NULL AND l.employer_id IS NULL THEN l.person_id END AS bill_person_id,
    -- One bigint naming the payer, so grouping and joining by payer hash one column, not three; bills
    -- carry it (models.payer_key), the distribution column of bills and payments on a Citus cluster.
    CASE WHEN l.sponsor_id IS NOT NULL THEN l.sponsor_id * 3 + 1
         WHEN l.employer_id IS NOT NULL THEN l.employer_id * 3 + 2
         ELSE l.person_id * 3 END AS payer_key,
    l.jkk_employer, l.jkk_worker, l.jkm_employer, l.jkm_worker, l.jht_employer, l.jht_worker, l.jp_base,
    -- PP 49/2020 Pasal 3(2)c: each party pays (1 - deferred share) of its JP now; the rest is deferred.
    CASE WHEN %(jp_deferring)s THEN round(l.jp_employer_full * %(jp_now)s) ELSE l.jp_employer_full END AS jp_employer,
    CASE WHEN %(jp_deferring)s THEN round(l.jp_worker_full * %(jp_now)s) ELSE l.jp_worker_full END AS jp_worker,
    CASE WHEN %(jp_deferring)s THEN l.jp_employer_full - round(l.jp_employer_full * %(jp_now)s)
      + l.jp_worker_full - round(l.jp_worker_full * %(jp_now)s) ELSE 0 END AS jp_deferred,
    l.jkp_government, l.jkp_recomposed, l.package_worker,
    CASE l.segment WHEN 'BPU' THEN %(due_bpu)s::date WHEN 'PMI' THEN NULL ELSE %(due_pu)s::date END AS due_date
  FROM lines l
)
SELECT p.*,
  p.jkk_employer + p.jkm_employer + p.jht_employer + p.jp_employer AS employer_total,
  p.jkk_worker + p.jkm_worker + p.jht_worker + p.jp_worker + p.package_worker AS worker_total
FROM parts p;

-- step: upsert_bills
CREATE TABLE {sums} AS
SELECT n.payer_key, min(n.employer_id) AS employer_id, min(n.sponsor_id) AS sponsor_id,
  min(n.bill_person_id) AS bill_person_id, min(n.due_date) AS due_date, count(*) AS lines,
  -- Every amount is whole rupiah (round() above), so summing them as 64-bit integers is exact (the
  -- sum comes back as numeric) and spares a numeric accumulator per payer and amount.
  sum(n.employer_total::bigint) AS employer_amount,
  sum(n.worker_total::bigint) AS worker_amount,
  sum(n.jkp_government::bigint) AS government_amount,
  sum(n.jp_deferred::bigint) AS deferred_amount
FROM {new} n
GROUP BY n.payer_key;
-- Each payer's bill is numbered here (nextval cannot run in parallel workers, hence the second table),
-- so that lines can name their bill before it is written. Payers already billed this month take their
-- bill's number below, leaving the drawn number unused. A bill belongs to its payer's region: a
-- sponsor's regency (or province, for a provincial APBD), an employer's regency, a participant's own.
CREATE TABLE {payers} AS
SELECT t.*, nextval(%(bill_sequence)s::regclass) AS bill_id, false AS existing,
  CASE WHEN t.sponsor_id IS NOT NULL THEN coalesce(s.regency_code, s.region_id)
       WHEN t.employer_id IS NOT NULL THEN e.regency_code
       ELSE p.regency_code END AS region
FROM {sums} t
LEFT JOIN registry_sponsor s ON s.id = t.sponsor_id
LEFT JOIN registry_employer e ON e.id = t.employer_id
LEFT JOIN registry_person p ON p.id = t.bill_person_id;
ANALYZE {payers};
-- Payers already billed for the month (memberships registered since the last run) keep their bill.
UPDATE {payers} x SET bill_id = b.id, existing = true
FROM contributions_bill b
WHERE b.period = %(period)s AND b.payer_key = x.payer_key
  AND coalesce(b.employer_id, 0) = coalesce(x.employer_id, 0)
  AND coalesce(b.sponsor_id, 0) = coalesce(x.sponsor_id, 0)
  AND coalesce(b.person_id, 0) = coalesce(x.bill_person_id, 0);
UPDATE contributions_bill b SET
  lines = b.lines + x.lines,
  employer_amount = b.employer_amount + x.employer_amount,
  worker_amount = b.worker_amount + x.worker_amount,
  government_amount = b.government_amount + x.government_amount,
  deferred_amount = b.deferred_amount + x.deferred_amount,
  amount_due = b.amount_due + x.employer_amount + x.worker_amount,
  due_date = least(b.due_date, x.due_date),
  status = CASE WHEN b.paid_amount >= b.amount_due + x.employer_amount + x.worker_amount THEN 'paid'
                WHEN b.paid_amount > 0 THEN 'partial' ELSE 'open' END,
  updated_at = now()
FROM {payers} x
WHERE x.existing AND x.bill_id = b.id AND x.payer_key = b.payer_key;
-- The others get their first bill of the month.
INSERT INTO {bills_table} (id, payer_key, employer_id, sponsor_id, person_id, period, due_date, region_code, lines,
  employer_amount, worker_amount, government_amount, deferred_amount, amount_due, paid_amount, status,
  created_at, updated_at)
SELECT x.bill_id, x.payer_key, x.employer_id, x.sponsor_id, x.bill_person_id, %(period)s, x.due_date, x.region, x.lines,
  x.employer_amount, x.worker_amount, x.government_amount, x.deferred_amount,
  x.employer_amount + x.worker_amount, 0, 'open', now(), now()
FROM {payers} x
WHERE NOT x.existing;

-- step: insert_lines
-- when: first_load
-- The month's own table is created from the lines (CREATE TABLE AS reads in parallel; INSERT cannot),
-- with exactly the parent's column types, which ATTACH requires.
CREATE TABLE {lines_table} AS
SELECT n.membership_id, n.person_id, %(period)s::date AS period, x.bill_id, n.segment::varchar(5) AS segment,
  n.base::numeric(18, 2) AS base, n.jkk_employer::numeric(15, 0) AS jkk_employer, n.jkk_worker::numeric(15, 0) AS jkk_worker,
  n.jkm_employer::numeric(15, 0) AS jkm_employer, n.jkm_worker::numeric(15, 0) AS jkm_worker,
  n.jht_employer::numeric(15, 0) AS jht_employer, n.jht_worker::numeric(15, 0) AS jht_worker,
  n.jp_base::numeric(18, 2) AS jp_base, n.jp_employer::numeric(15, 0) AS jp_employer, n.jp_worker::numeric(15, 0) AS jp_worker,
  n.jp_deferred::numeric(15, 0) AS jp_deferred, n.jkp_government::numeric(15, 0) AS jkp_government,
  n.jkp_recomposed::numeric(15, 0) AS jkp_recomposed, n.package_worker::numeric(15, 0) AS package_worker,
  n.employer_total::numeric(15, 0) AS employer_total, n.worker_total::numeric(15, 0) AS worker_total
FROM {new} n
JOIN {payers} x ON x.payer_key = n.payer_key;
-- when: first_load
ALTER TABLE {lines_table} ALTER COLUMN membership_id SET NOT NULL, ALTER COLUMN person_id SET NOT NULL,
  ALTER COLUMN period SET NOT NULL,
  ALTER COLUMN bill_id SET NOT NULL, ALTER COLUMN segment SET NOT NULL,
  ALTER COLUMN jkk_employer SET NOT NULL, ALTER COLUMN jkk_worker SET NOT NULL,
  ALTER COLUMN jkm_employer SET NOT NULL, ALTER COLUMN jkm_worker SET NOT NULL,
  ALTER COLUMN jht_employer SET NOT NULL, ALTER COLUMN jht_worker SET NOT NULL,
  ALTER COLUMN jp_employer SET NOT NULL, ALTER COLUMN jp_worker SET NOT NULL, ALTER COLUMN jp_deferred SET NOT NULL,
  ALTER COLUMN jkp_government SET NOT NULL, ALTER COLUMN jkp_recomposed SET NOT NULL,
  ALTER COLUMN package_worker SET NOT NULL, ALTER COLUMN employer_total SET NOT NULL,
  ALTER COLUMN worker_total SET NOT NULL;
-- when: again
-- A month already billed takes its new lines through the parent.
INSERT INTO {lines_table} (membership_id, person_id, period, bill_id, segment, base, jkk_employer,
  jkk_worker, jkm_employer, jkm_worker, jht_employer, jht_worker, jp_base, jp_employer, jp_worker, jp_deferred,
  jkp_government, jkp_recomposed, package_worker, employer_total, worker_total)
SELECT n.membership_id, n.person_id, %(period)s, x.bill_id, n.segment, n.base, n.jkk_employer, n.jkk_worker, n.jkm_employer,
  n.jkm_worker, n.jht_employer, n.jht_worker, n.jp_base, n.jp_employer, n.jp_worker, n.jp_deferred,
  n.jkp_government, n.jkp_recomposed, n.package_worker, n.employer_total, n.worker_total
FROM {new} n
JOIN {payers} x ON x.payer_key = n.payer_key;

"""What a claim says, read and checked before any law is applied: ``parse_input`` for the
calculator's JSON, ``check_input`` for typed values (the claim intake), ``facts_of`` for what a
claim keeps, and ``input_schema`` for the API's description — one set of checks for every door."""

from datetime import date
from decimal import Decimal

from paritrana.benefits.rules.claim_input import (
    REQUIRED,
    SCALARS,
    BenefitInput,
    Cost,
    check_input,
    facts_of,
    input_schema,
    parse_input,
)


def codes(problems: list) -> list[tuple[str, str | None]]:
    return [(p.code, p.field) for p in problems]


def test_parse_input_reads_each_kind_of_value() -> None:
    data, problems = parse_input(
        {"benefit": "JKK_STMB", "event_date": "2025-03-10", "wage": "5000000", "stmb_months": 3, "left_handed": True}
    )
    assert problems == [] and data is not None
    assert (data.event_date, data.wage, data.stmb_months, data.left_handed) == (
        date(2025, 3, 10), Decimal(5_000_000), 3, True,
    )  # fmt: skip


def test_parse_input_reports_every_problem_once() -> None:
    _, problems = parse_input(
        {"benefit": "JKK_STMB", "event_date": "10/03/2025", "wage": "lima juta", "reason": "bosan"}
    )
    assert sorted(codes(problems)) == sorted(
        [
            ("date_invalid", "event_date"),
            ("amount_invalid", "wage"),
            ("reason_unknown", "reason"),
            ("field_required", "stmb_months"),
        ]
    )  # the unreadable wage is not reported again as missing


def test_check_input_applies_the_same_checks_to_typed_values() -> None:
    # JKK partial disability needs a percentage or a row of the table (PP 44/2015 Lampiran).
    partial = BenefitInput(benefit="JKK_PARTIAL_DISABILITY", event_date=date(2025, 3, 1), wage=Decimal(4_000_000))
    assert codes(check_input(partial)) == [("field_required", "disability_percent")]
    # A bill of a kind its benefit does not reimburse is named by its position.
    transport = BenefitInput(
        benefit="JKK_TRANSPORT", event_date=date(2025, 3, 1), costs=(Cost("transport_land", Decimal(100)),
                                                                      Cost("home_care", Decimal(100)))
    )  # fmt: skip
    assert codes(check_input(transport)) == [("cost_kind_unknown", "costs[1].kind")]
    unknown = BenefitInput(benefit="JKM", event_date=date(2025, 3, 1), membership_months=12, disability_item="x")
    assert codes(check_input(unknown)) == [("disability_item_unknown", "disability_item")]
    # Every fact its benefit reads (REQUIRED) must be there.
    jkp = BenefitInput(benefit="JKP", event_date=date(2025, 3, 1))
    assert {f for _, f in codes(check_input(jkp))} == set(REQUIRED["JKP"])


def test_facts_of_keeps_what_was_given_as_json_that_parse_input_reads_back() -> None:
    data = BenefitInput(
        benefit="JKK_HOME_CARE", event_date=date(2025, 3, 1), birth_date=date(1980, 2, 3), membership_months=0,
        costs=(Cost("home_care", Decimal(12_500_000), date(2025, 3, 15)),),
    )  # fmt: skip
    facts = facts_of(data)
    assert facts == {
        "benefit": "JKK_HOME_CARE", "event_date": "2025-03-01", "birth_date": "1980-02-03", "membership_months": 0,
        "costs": [{"kind": "home_care", "amount": "12500000", "date": "2025-03-15"}],
    }  # fmt: skip
    again, problems = parse_input(facts)
    assert problems == [] and again == data


def test_input_schema_describes_every_field_parse_input_reads() -> None:
    schema = input_schema()
    assert schema["required"] == ["benefit", "event_date"]
    assert set(SCALARS) <= set(schema["properties"])
    assert schema["properties"]["stmb_months"] == {"type": "integer", "minimum": 0, "maximum": 1200}
    assert schema["properties"]["event_date"]["format"] == "date"

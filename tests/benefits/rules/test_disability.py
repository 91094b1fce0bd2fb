"""The disability table of PP 44/2015 Lampiran (regulation.md §2.3): a percentage per item, and a
left-handed worker's arms taking each other's percentage."""

from decimal import Decimal

from paritrana.benefits.rules.disability import item_percent, table


def test_items_carry_the_tables_percentages() -> None:
    # PP 44/2015 Lampiran III: both eyes 70 %, one eye 35 %, both ears 40 %, one ear 20 %.
    assert item_percent("eyes_both") == Decimal(70)
    assert item_percent("eye_one") == Decimal(35)
    assert item_percent("hearing_both") == Decimal(40)
    assert item_percent("hearing_one") == Decimal(20)


def test_a_left_handed_workers_arms_swap() -> None:
    # Right arm from the shoulder 40 %, left 35 %; "untuk pekerja kidal berlaku persentase lengan kiri".
    assert (item_percent("arm_shoulder_right"), item_percent("arm_shoulder_left")) == (Decimal(40), Decimal(35))
    assert item_percent("arm_shoulder_right", left_handed=True) == Decimal(35)
    assert item_percent("arm_shoulder_left", left_handed=True) == Decimal(40)
    # Items of no particular hand do not change.
    assert item_percent("eyes_both", left_handed=True) == Decimal(70)


def test_every_item_is_a_percentage_with_a_source() -> None:
    items = table()
    assert len(items) > 10
    assert all(Decimal(0) < i.percent <= Decimal(100) and i.source and i.description for i in items.values())

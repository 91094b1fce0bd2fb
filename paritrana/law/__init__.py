"""The dated law: every rate, cap, amount and date Paritrana applies, as rows in force from one day to
another with their legal basis, source and certainty (DESIGN.md §3.1). Contributions, benefits,
enrolment and subsidies read it here; none of them owns it."""

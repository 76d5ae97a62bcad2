"""The spec's own examples (shared/spec/tel-model.md, section 8), written once for all tests."""

SPEC_PLAN = """\
[threshold]                # monthly dollars
overhead = 50000
debt_service = 4000
owner_retention = 2000
ni_retention = 6000

[split]                    # percentages
house_pct = 25
team_pct = 50

[gates]
min_cash = 50000
max_ar90_pct = 10

[eligibility]
min_months = 9

[calendar]
pay_day = 15
fiscal_year_start = 1
"""

SPEC_ROSTER_COLUMNS = [
    "name", "salary", "start_date", "end_date", "employment", "full_time", "owner",
    "performance", "department",
]
SPEC_MONTHS_COLUMNS = ["month", "gp", "cash_on_hand", "ar_total", "ar_90_plus"]

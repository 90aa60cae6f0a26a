"""`doemee demand`: where residents search and find nothing, for a volunteer centre."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from doemee.storage.models import SearchLog
from tests.cli.runner import doemee


def _searches(database) -> None:
    with database.session() as session:
        for interests, code, within in [
            ("groen", "0344", 0), ("groen", "0344", 0), ("groen", "0344", 2),
            ("taal", "0344", 1), ("ouderen", "0363", 0),
        ]:
            session.add(SearchLog(interests=interests, municipality_code=code, result_count=3, within_radius_count=within))


def test_demand_prints_a_dutch_table_with_the_most_unmet_first_and_json_on_request(database):
    _searches(database)

    table = doemee(database.url, "demand")
    assert table.code == 0, table.stderr
    assert "5 zoekvragen, waarvan 3 zonder plek binnen de straal" in table.stdout
    lines = table.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Gemeente"))
    assert lines[header + 1].split()[:2] == ["Utrecht", "Natuur,"] and lines[header + 1].split()[-4:] == ["3", "2", "67%", "0"]
    assert lines[header + 2].startswith("Amsterdam")

    since = (date.today() - timedelta(days=7)).isoformat()
    found = doemee(database.url, "demand", "--municipality", "Utrecht", "--since", since, "--limit", "1", "--json")
    assert found.code == 0, found.stderr
    data = json.loads(found.stdout)
    assert (data["municipality"], data["since"], data["total_searches"], data["total_unmet"]) == ("Utrecht", since, 4, 2)
    assert data["rows"] == [{
        "municipality_code": "0344", "municipality": "Utrecht", "category": "groen",
        "category_label": "Natuur, groen en tuinieren", "searches": 3, "unmet": 2, "unmet_share": 0.667,
        "open_opportunities": 0,
    }]


def test_demand_on_a_fresh_database_says_nobody_searched(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'vers.db'}", "demand")
    assert result.code == 0, result.stderr
    assert "heeft niemand gezocht" in result.stdout


@pytest.mark.parametrize(("args", "expected"), [
    (["--since", "gisteren"], "'gisteren' is geen datum"),
    (["--since", "2999-01-01"], "ligt in de toekomst"),
    (["--municipality", "Xyzzyville"], "'Xyzzyville' ken ik niet als gemeente"),
    (["--municipality", "Amsterdm"], "Bedoel je Amsterdam?"),
])
def test_bad_demand_input_is_exit_2_and_one_dutch_line(args, expected, tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'vers.db'}", "demand", *args)
    assert result.code == 2 and len(result.error_lines) == 1
    assert expected in result.stderr

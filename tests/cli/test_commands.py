"""Every subcommand: help, fresh databases, demo data, and no tracebacks."""

from __future__ import annotations

import csv
import time

import pytest

from doemee.exchange.demo import DEMO_CSV
from tests.cli.runner import doemee, opportunities, row, write_csv
from tests.support.postgres import free_port

SUBCOMMANDS = [
    "import-csv", "export-csv", "match", "geo", "setup", "geo-fetch", "demo-load", "demo-remove", "migrate",
    "concepts", "approve", "reject", "demand", "centres-sync", "backup", "restore", "retention",
]


@pytest.mark.parametrize("args", [[]] + [[name] for name in SUBCOMMANDS])
def test_help_works_in_dutch_for_every_subcommand(args):
    result = doemee(None, *args, "--help")
    assert result.code == 0, result.stderr
    assert "gebruik: doemee" in result.stdout and "toon deze hulp" in result.stdout


def test_help_is_english_when_lang_is_english():
    result = doemee(None, "--help", lang="en_GB.UTF-8")
    assert result.code == 0 and "usage: doemee" in result.stdout and "show this help" in result.stdout


def test_the_dutch_help_points_to_the_english_one():
    assert "English help: LANG=en_US.UTF-8" in doemee(None, "--help").stdout


@pytest.mark.parametrize("args", [["onzin"], [], ["import-csv"], ["match", "--limit", "0", "--postcode", "3511"], ["geo"]])
def test_a_usage_mistake_is_exit_2_and_one_dutch_line(args):
    result = doemee(None, *args)
    assert result.code == 2 and len(result.error_lines) == 1
    assert "Zie doemee" in result.stderr and "usage" not in result.stderr


def test_migrate_and_export_work_on_a_fresh_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'vers' / 'doemee.db'}"
    assert doemee(url, "migrate").code == 0
    assert doemee(url, "export-csv", str(tmp_path / "uit.csv")).code == 0


def test_import_works_on_a_fresh_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'vers.db'}"
    result = doemee(url, "import-csv", str(write_csv(tmp_path / "p.csv", [row("a1")])))
    assert result.code == 0 and "1 nieuw" in result.stdout


def test_setup_loads_the_demo_data_once_and_is_quick_the_second_time(database):
    first = doemee(database.url, "setup")
    assert first.code == 0, first.stderr
    loaded = opportunities(database)
    with DEMO_CSV.open(encoding="utf-8", newline="") as stream:
        assert len(loaded) == len(list(csv.DictReader(stream)))
    assert all(o.is_demo and o.source == "demo" for o in loaded.values())
    started = time.monotonic()
    second = doemee(database.url, "setup")
    assert second.code == 0 and "laad geen demodata" in second.stdout
    assert time.monotonic() - started < 10
    assert len(opportunities(database)) == len(loaded)


def test_demo_remove_takes_away_all_demo_data_and_nothing_else(database, tmp_path):
    assert doemee(database.url, "demo-load").code == 0
    assert doemee(database.url, "import-csv", str(write_csv(tmp_path / "p.csv", [row("eigen")]))).code == 0
    result = doemee(database.url, "demo-remove")
    assert result.code == 0, result.stderr
    assert "Demodata weggehaald" in result.stdout
    assert list(opportunities(database)) == ["eigen"]


def test_an_unreachable_database_is_one_dutch_line_and_exit_1(tmp_path):
    url = f"postgresql+psycopg://doemee@127.0.0.1:{free_port()}/doemee?connect_timeout=2"
    result = doemee(url, "migrate")
    assert result.code == 1
    assert result.error_lines == ["Ik kan de database niet bereiken. Klopt DOEMEE_DATABASE_URL en draait de database?"]


def test_debug_mode_shows_the_details_of_an_unexpected_error(tmp_path):
    url = f"postgresql+psycopg://doemee@127.0.0.1:{free_port()}/doemee?connect_timeout=2"
    result = doemee(url, "migrate", DOEMEE_DEBUG="1")
    assert result.code == 1 and "Traceback" in result.stderr


def test_geo_fetch_says_where_the_files_are():
    result = doemee(None, "geo-fetch")
    assert result.code == 0, result.stderr
    assert "GeoNames" in result.stdout


def test_the_top_level_help_names_moderation_and_unmet_demand_in_both_languages():
    dutch = " ".join(doemee(None, "--help").stdout.split())
    english = " ".join(doemee(None, "--help", lang="en_GB.UTF-8").stdout.split())
    assert "goedkeuren of afwijzen" in dutch and "zoeken en niets vinden" in dutch
    assert "moderation" in english and "unmet demand" in english

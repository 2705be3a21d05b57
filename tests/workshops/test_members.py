"""Member administrations from an office's CSV (workshops.members, manage.py load_member_administrations)."""

import pytest
from django.core.management import CommandError, call_command

from rocbap.office import OFFICES_DIR
from workshops.members import MemberListError, load_member_list, read_member_list
from workshops.models import MemberAdministration

pytestmark = pytest.mark.django_db

WCA = OFFICES_DIR / "west-central-africa.csv"


def test_the_west_and_central_africa_list():
    rows = read_member_list(WCA)
    assert len(rows) == 24
    names = {row["code"]: row["name"] for row in rows}
    assert names["CI"] == "Côte d'Ivoire" and names["CD"] == "République démocratique du Congo"
    assert {row["subregion"] for row in rows} == {"Afrique de l'Ouest", "Afrique centrale"}


def test_loading_adds_updates_and_prunes_only_what_nobody_refers_to(participant_factory):
    participant_factory(administration="FJ")  # Fiji stays: a participant refers to it
    result = load_member_list(WCA, prune=True)
    assert len(result.created) == 24 and result.kept == ["FJ"]
    assert "TH" in result.removed
    listed = {row["code"] for row in read_member_list(WCA)}
    assert set(MemberAdministration.objects.values_list("code", flat=True)) == listed | {"FJ"}
    assert MemberAdministration.lookup_table()["RDC"].code == "CD"  # aliases are looked up as before
    again = load_member_list(WCA, prune=True)
    assert (again.created, again.updated, again.removed) == ([], [], [])


def test_a_bad_list_changes_nothing_and_names_the_lines(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("code,name,subregion,aliases\nSN,Sénégal,,\nsn,,,\nSN,Sénégal bis,,\n", encoding="utf-8")
    before = MemberAdministration.objects.count()
    with pytest.raises(MemberListError) as error:
        load_member_list(path, prune=True)
    assert "line 3: code must be two capital letters" in str(error.value)
    assert "line 3: name is required" in str(error.value)
    assert "line 4: code SN is listed twice" in str(error.value)
    assert MemberAdministration.objects.count() == before


def test_the_command_loads_the_offices_list_or_a_given_file(tmp_path, capsys, settings):
    call_command("load_member_administrations")
    assert "0 created" in capsys.readouterr().out  # the migrations loaded the default office's list
    call_command("load_member_administrations", "--csv", str(WCA))
    assert "24 created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_member_administrations", "--csv", str(tmp_path / "missing.csv"))

"""Scenarios: loading, dotted replace, TOML round trip, and validation at the door."""

from __future__ import annotations

import math

import pytest

import simlib
from simlib.scenario import Scenario


def test_builtin_scenarios_load(desk, queue):
    assert set(simlib.builtin_scenarios()) >= {"service-desk", "pure-queue"}
    assert {g.kind for g in desk.customers} == {"internal", "external"}
    assert desk.has_second_line and desk.first_line.has_outages and desk.continuity.active
    assert set(desk.type_names) - set(desk.catalogue), "the default has a type it does not support"
    assert queue.catalogue == ("request",) and not queue.has_second_line
    assert queue.first_line.knowledge["request"] == 1.0 and not queue.first_line.has_outages


def test_replace_with_dotted_names(desk):
    sc = desk.replace(**{"first_line.agents": 7, "first_line.knowledge": 0.5, "customers.external.rate": 9})
    assert sc.first_line.agents == 7
    assert set(sc.first_line.knowledge.values()) == {0.5}
    assert next(g for g in sc.customers if g.name == "external").rate == 9.0
    assert desk.first_line.agents == 5, "replace returns a new scenario"


def test_knowledge_per_type_and_one_type(desk):
    sc = desk.replace(**{"first_line.knowledge": {t: 0.9 for t in desk.type_names}})
    sc = sc.replace(**{"first_line.knowledge.incident": 0.4})
    assert sc.first_line.knowledge["incident"] == 0.4
    assert sc.first_line.knowledge["password-reset"] == 0.9


def test_second_line_zero_agents_means_none(desk):
    assert not desk.replace(**{"second_line.agents": 0}).has_second_line


def test_toml_round_trip(desk, queue, tmp_path):
    for sc in (desk, queue):
        path = tmp_path / f"{sc.name}.toml"
        path.write_text(sc.to_toml())
        assert simlib.load_scenario(path) == sc


def test_scenarios_are_hashable_values(desk):
    assert hash(desk) == hash(simlib.load_scenario("service-desk"))
    assert hash(desk) != hash(desk.replace(**{"first_line.agents": 6}))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_line.agents": -1}, "first_line.agents"),
        ({"first_line.agents": 2.5}, "first_line.agents"),
        ({"first_line.knowledge": 1.5}, "first_line.knowledge"),
        ({"first_line.knowledge.incident": -0.1}, "first_line.knowledge.incident"),
        ({"second_line.knowledge": "lots"}, "second_line.knowledge"),
        ({"first_line.skill": 0}, "first_line.skill"),
        ({"first_line.mtbf": -5}, "first_line.mtbf"),
        ({"customers.external.rate": -1}, "customers.external.rate"),
        ({"customers.external.mix": {"incident": 0.5, "password-reset": 0.4}}, "customers.external.mix"),
        ({"customers.external.mix": {"incident": 0.5, "teleportation": 0.5}}, "customers.external.mix"),
        ({"customers.external.kind": "partner"}, "customers.external.kind"),
        ({"customers.external.profile": [1, 2, 3]}, "customers.external.profile"),
        ({"types.incident.deadline": 0}, "types.incident.deadline"),
        ({"types.incident.distribution": "gamma"}, "types.incident.distribution"),
        ({"catalogue": ["incident", "teleportation"]}, "catalogue"),
        ({"warmup": 500}, "warmup"),
        ({"horizon": math.nan}, "horizon"),
        ({"continuity.recovery": -1}, "continuity.recovery"),
        ({"first_line.agentz": 3}, "first_line.agentz"),
        ({"nonsense.agents": 3}, "nonsense"),
    ],
)
def test_each_invalid_field_is_named(desk, change, field):
    with pytest.raises(ValueError, match=field.replace(".", r"\.")) as info:
        desk.replace(**change)
    message = str(info.value)
    assert "expected" in message or "allowed" in message, message


def test_misspelt_key_in_a_file(tmp_path, desk):
    text = desk.to_toml().replace("[first_line]\nagents", "[first_line]\nagnets")
    path = tmp_path / "typo.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=r"first_line\.agnets: unknown field"):
        simlib.load_scenario(path)


def test_not_toml(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = [unclosed\n")
    with pytest.raises(ValueError, match="not valid TOML"):
        simlib.load_scenario(path)


def test_unknown_scenario_name():
    with pytest.raises(ValueError, match="expected a built-in scenario"):
        simlib.load_scenario("no-such-desk")


def test_missing_required_field(desk):
    data = desk.to_dict()
    del data["first_line"]
    with pytest.raises(ValueError, match="first_line: missing"):
        Scenario.from_dict(data)


@pytest.mark.parametrize("hours", [[18, 8], [0, 25], [8], "office"])
def test_bad_shift_hours(desk, hours):
    with pytest.raises(ValueError, match=r"first_line\.hours"):
        desk.replace(**{"first_line.hours": hours})


def test_scenarios_pickle_and_stay_read_only(desk):
    import pickle

    again = pickle.loads(pickle.dumps(desk))
    assert again == desk and hash(again) == hash(desk)
    with pytest.raises(TypeError, match="read-only"):
        desk.first_line.knowledge["incident"] = 1.0

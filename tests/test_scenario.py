"""Scenarios: loading, dotted replace, TOML round trip, and validation at the door."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ----------------------------------------------------------------------------- issue 22: one gate, no coercion


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"customers.external.profile": {h: 1 for h in range(24)}}, r"customers\.external\.profile: \{0: 1, 1: 1"),
        ({"catalogue": {"incident": 1}}, r"catalogue: \{'incident': 1\} is not allowed; expected a list"),
        ({"continuity.starts": {100: 2}}, r"continuity\.starts: \{100: 2\} is not allowed; expected a list"),
        ({"continuity.starts": {100.0, 2.0}}, r"continuity\.starts: .* expected a list of times"),
        ({"security.targets": {"incident": 1}}, r"security\.targets: .* expected a list of request types"),
        ({"first_line.hours": {"a": 1, "b": 2}}, r"first_line\.hours: \{'a': 1, 'b': 2\} is not allowed"),
        ({"first_line.hours": "8-18"}, r"first_line\.hours: '8-18' is not allowed"),
    ],
)
def test_a_table_where_a_list_belongs_is_refused_not_taken_as_its_keys(desk, changes, words):
    with pytest.raises(ValueError, match=words):
        desk.replace(**changes)


def test_a_list_may_be_a_tuple_a_range_or_an_array(desk):
    import numpy as np

    sc = desk.replace(**{"continuity.starts": range(0, 100, 50), "first_line.hours": np.array([8.0, 18.0])})
    assert sc.continuity.starts == (0.0, 50.0) and sc.first_line.hours == (8.0, 18.0)


class Odd(int):
    """An int whose int() is another number: the value checked must be the value stored."""

    def __int__(self) -> int:
        return 99_999


class FloatFails(float):
    def __float__(self) -> float:
        raise RuntimeError("no float")


def test_a_number_is_checked_as_it_will_be_stored(desk):
    with pytest.raises(ValueError, match=r"first_line\.agents: 99999 is out of range"):
        desk.replace(**{"first_line.agents": Odd(5)})
    with pytest.raises(ValueError, match=r"first_line\.agents: 99999 is out of range"):
        simlib.Team(line="first_line", agents=Odd(5))
    with pytest.raises(ValueError, match=r"first_line\.skill: .* is not a number"):
        desk.replace(**{"first_line.skill": FloatFails(2.0)})
    from simlib import validation

    assert type(validation.whole("w", Odd(5), low=0, high=10**6)) is int
    with pytest.raises(ValueError, match="seed"):
        validation.seed("seed", Odd(-1) if False else FloatFails(1.0))


def test_a_profile_too_small_to_tell_from_zero_is_refused(desk):
    with pytest.raises(ValueError, match=r"customers\.external\.profile: the weights are all 0, or too small"):
        desk.replace(**{"customers.external.profile": [5e-324] + [0.0] * 23})
    tiny = desk.replace(**{"customers.external.profile": [1e-300] * 24})  # tiny but equal: a flat day
    assert simlib.limits.estimate(tiny).requests > 0


def test_a_know_how_nested_500_deep_is_refused_at_every_door(desk):
    deep: dict = {}
    node = deep
    for _ in range(500):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(ValueError, match=r"^know_how: the value is nested too deeply"):
        desk.replace(know_how=deep)
    data = desk.to_dict()
    data["know_how"] = deep
    with pytest.raises(ValueError, match=r"^scenario: the value is nested too deeply \(at know_how\.a"):
        Scenario.from_dict(data)


def test_a_name_with_control_characters_is_refused(desk):
    with pytest.raises(ValueError, match=r"name: 'a\\x1bb\\rc\\n' is not allowed; expected .*without control"):
        desk.replace(name="a\x1bb\rc\n")


def test_a_million_character_field_name_is_not_echoed_in_full(desk):
    for changes in ({"x" * 1_000_000: 1}, {"first_line." + "x" * 1_000_000: 1}, {"customers": {"y" * 10**6: {}}}):
        with pytest.raises(ValueError) as info:
            desk.replace(**changes)
        assert len(str(info.value)) < 400, str(info.value)[:400]


@pytest.mark.parametrize("description", [5, None, ["a"], "x" * 10_001])
def test_a_description_is_a_text_of_sensible_length(desk, description):
    with pytest.raises(ValueError, match=r"^description: .* is not allowed; expected a text of at most 10,000"):
        desk.replace(description=description)


LIST_FIELDS = ["catalogue", "customers.external.profile", "first_line.hours", "continuity.starts", "security.targets"]
NOT_LISTS = st.one_of(
    st.dictionaries(st.text(min_size=1, max_size=5), st.floats(0, 10), min_size=1, max_size=24),
    st.dictionaries(st.integers(0, 23), st.integers(0, 3), min_size=1, max_size=24),
    st.sets(st.integers(0, 100), min_size=1, max_size=5),
    st.text(max_size=10),
    st.integers(),
    st.floats(),
)


@settings(max_examples=100, deadline=None)
@given(field=st.sampled_from(LIST_FIELDS), value=NOT_LISTS)
def test_the_gate_for_lists_refuses_anything_but_a_list_naming_the_field(desk, field, value):
    with pytest.raises(ValueError, match="^" + field.replace(".", r"\.")):
        desk.replace(**{field: value, "continuity.recovery": 1.0})


@settings(max_examples=100, deadline=None)
@given(field=st.sampled_from(["first_line.agents", "second_line.agents"]), n=st.integers(-5, 20_000))
def test_a_whole_number_is_stored_as_checked(desk, field, n):
    class Shifted(int):
        def __int__(self) -> int:
            return n

    try:
        sc = desk.replace(**{field: Shifted(5)})
    except ValueError as exc:
        assert str(exc).startswith(field) and f"{n}" in str(exc)
    else:
        stored = sc.first_line.agents if field.startswith("first") else sc.second_line.agents
        assert type(stored) is int and stored == n

"""The kit in Dutch: a complete catalogue in step with the code, the language chosen as gettext does, Dutch numbers."""

from __future__ import annotations

import ast
import fnmatch
import gettext
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

import simlib
from simlib import i18n
from simlib.i18n import _, language, set_language, translator, using

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "simlib" / "locale"
PO = LOCALE / "nl" / "LC_MESSAGES" / "simlib.po"
MO = LOCALE / "nl" / "LC_MESSAGES" / "simlib.mo"
POT = LOCALE / "simlib.pot"
FIELDS = re.compile(r"\{[^{}]*\}")
MARKERS = {"_", "N_", "gettext"}


def marked() -> set[str]:
    """Every string marked for translation in the package, found as ``make translations`` finds them."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map):
        found.update(message if isinstance(message, tuple) else (message,))
    return found


def catalogue(path: Path):
    with open(path, "rb") as fh:
        return read_po(fh, locale="nl")


def messages(path: Path) -> dict[str, object]:
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue(path) if m.id}


def test_every_marked_string_has_a_dutch_translation_and_none_is_stale():
    code = marked()
    assert len(code) > 40, "the extractor found almost nothing: is babel.cfg right?"
    po = messages(PO)
    missing = sorted(code - po.keys())
    assert not missing, f"not in simlib.po (run `make translations`, then translate): {missing}"
    stale = sorted(po.keys() - code)
    assert not stale, f"in simlib.po but no longer in the code (run `make translations`): {stale}"
    empty = sorted(k for k, m in po.items() if not (m.string if isinstance(m.string, str) else all(m.string)))
    assert not empty, f"no Dutch yet: {empty}"
    fuzzy = sorted(k for k, m in po.items() if m.fuzzy)
    assert not fuzzy, f"fuzzy (check the Dutch, then remove the fuzzy flag): {fuzzy}"


def test_babel_sees_every_marked_string():
    """A _("...") inside an f-string is invisible to Babel (and so never translated): take it out of the f-string."""
    found = set()
    for path in (ROOT / "simlib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in MARKERS:
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                    found.add((arg.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    code = marked()
    unseen = sorted(where + ": " + text for text, where in found if text not in code)
    assert not unseen, f"marked, but not extracted: {unseen}"


def test_the_template_is_in_step_with_the_code():
    assert set(messages(POT)) == marked(), "run `make translations`"


def test_translations_keep_the_placeholders():
    """A translation that drops or renames a {field} would fail at .format() in front of a class."""
    for key, m in messages(PO).items():
        assert sorted(FIELDS.findall(m.string)) == sorted(FIELDS.findall(key)), key


def test_the_catalogue_passes_babels_checks():
    """What `pybabel compile` checks: "30% of" reads as a %-placeholder ("% o") that the Dutch lacks."""
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalogue(PO).check()]
    assert not errors, errors


def test_the_compiled_catalogue_is_in_step_with_the_po():
    with open(MO, "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    po = {k: m.string for k, m in messages(PO).items()}
    mo = {k: v for k, v in compiled._catalog.items() if k}  # the "" entry is the header
    assert mo == po, "simlib.mo is older than simlib.po: run `make translations`"


def test_the_catalogues_are_package_data():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["simlib"]
    for path in (POT, PO, MO):
        rel = path.relative_to(ROOT / "simlib").as_posix()
        assert any(fnmatch.fnmatch(rel, pattern) for pattern in data), rel


# ---------------------------------------------------------------------- choosing the language


@pytest.fixture
def env(monkeypatch):
    for var in i18n.ENVIRONMENT:
        monkeypatch.delenv(var, raising=False)
    set_language(None)
    yield monkeypatch
    set_language(None)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "en"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE"}, "nl"),
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
        ({"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}, "en"),  # the first one set is the one read
        ({"LANGUAGE": "nl", "LC_ALL": "en_US.UTF-8"}, "nl"),
        ({"LANGUAGE": "fr:nl:en"}, "nl"),  # the first language of the list the kit speaks
        ({"LANGUAGE": "fr_FR"}, "en"),
        ({"LANGUAGE": "", "LANG": "nl_NL.UTF-8"}, "nl"),  # empty is not set
    ],
)
def test_language_follows_gettexts_environment_order(env, settings, expected):
    for var, value in settings.items():
        env.setenv(var, value)
    assert language() == expected


def test_an_explicit_choice_comes_before_the_environment(env):
    env.setenv("LANGUAGE", "nl")
    assert language("en") == "en"
    set_language("en")
    assert language() == "en"
    with using("nl"):
        assert language() == "nl" and _("value") == "waarde"
    assert language() == "en" and _("value") == "value"


def test_the_language_is_read_when_a_string_is_translated_not_at_import(env):
    assert _("value") == "value"
    env.setenv("LANGUAGE", "nl")
    assert _("value") == "waarde"


def test_a_language_the_kit_lacks_names_the_choices(env):
    with pytest.raises(ValueError, match=r"lang: 'fr' .*expected one of en, nl"):
        translator("fr")


# ---------------------------------------------------------------------- numbers


@pytest.mark.parametrize("x", [0.0, 0.874, 0.05, 1.0, 0.12345, 12.3456])
def test_percentages_as_babel_writes_them(x):
    """Babel's nl and en formats (ties such as 0.8745 aside: we round as Python's format does)."""
    assert translator("nl").percent(x) == format_percent(x, "#,##0.0%", locale="nl")
    assert translator("en").percent(x) == format_percent(x, "#,##0.0%", locale="en")


@pytest.mark.parametrize("x", [0.0, 3.14159, 1234.5, 53760.0, 1234567.891])
def test_numbers_as_babel_writes_them(x):
    for lang in ("nl", "en"):
        assert translator(lang).number(x, 1) == format_decimal(x, "#,##0.0", locale=lang)
        assert translator(lang).number(x, 0) == format_decimal(x, "#,##0", locale=lang)


def test_dutch_numbers():
    nl = translator("nl")
    assert nl.percent(0.874) == "87,4%"
    assert nl.percent(0.874, 0) == "87%"
    assert nl.number(1234.5) == "1.234,5"
    assert nl.percent(float("nan")) == "n.v.t."


# ---------------------------------------------------------------------- the command line in Dutch


def cli(*args: str, lang: str = "nl") -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANGUAGE": lang}
    return subprocess.run(
        [sys.executable, "-m", "simlib", *args], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT
    )


def test_the_report_in_dutch():
    out = cli("run")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "waarde" in text
    assert "utility (bruikbaarheid)" in text and "warranty (zekerheid)" in text
    assert "gewenst eindresultaat" in text
    assert re.search(r"\b\d{1,3},\d%", text), "a Dutch percentage: decimal comma"
    assert not re.search(r"\b\d+\.\d%", text), "no English percentage"
    english = {"requests", "hours", "waiting", "mean", "outcomes", "achieved", "escalated", "customers", "within"}
    assert not english & set(re.findall(r"[a-z]+", text)), english & set(re.findall(r"[a-z]+", text))


def test_the_report_in_dutch_says_what_the_english_one_says(desk):
    res = simlib.simulate(desk.replace(horizon=72.0, warmup=8.0), seed=4)
    en, nl = res.report(lang="en"), res.report(lang="nl")
    assert en.count("\n") == nl.count("\n")
    assert re.findall(r"\d+", en.replace(",", "")) == re.findall(r"\d+", nl.replace(".", "")), "same numbers"


def test_json_keeps_the_field_names_in_dutch():
    out = cli("run", "--json")
    assert out.returncode == 0, out.stderr
    assert '"utility"' in out.stdout and '"achieved"' in out.stdout and "waarde" not in out.stdout


@pytest.mark.parametrize(
    ("args", "field", "dutch"),
    [
        (["run", "--set", "first_line.agents=-1"], "first_line.agents", "-1 valt buiten het bereik; verwacht"),
        (["run", "--set", "first_line.agnets=3"], "first_line.agnets", "onbekend veld; hier toegestaan: agents"),
        (["run", "--set", "agents"], "--set", "niet toegestaan"),
        (["run", "--seed", "-4"], "--seed", "buiten het bereik"),
        (["run", "--bogus"], "--bogus", "onbekende argumenten"),
    ],
)
def test_a_bad_setting_in_dutch_still_names_the_field(args, field, dutch):
    out = cli(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert field in lines[0]
    if dutch:
        assert dutch in lines[0]


def test_help_in_dutch():
    out = cli("run", "--help")
    assert out.returncode == 0
    assert "gebruik:" in out.stdout and "opties:" in out.stdout and "--set NAME=VALUE" in out.stdout


def test_model_errors_in_dutch_keep_field_names_and_values():
    from simlib.i18n import error

    text = "first_line.agents: -1 is out of range; expected a whole number >= 1"
    assert error(text, "en") == text
    assert error(text, "nl") == "first_line.agents: -1 valt buiten het bereik; verwacht een geheel getal >= 1"
    # a request type or field that happens to be called like a phrase stays as typed
    assert error("types.missing.handling: missing; every type needs handling and deadline", "nl") == (
        "types.missing.handling: ontbreekt; elk soort verzoek heeft handling en deadline nodig"
    )


@pytest.mark.parametrize(("given", "expected"), [(["LANG=nl"], "nl"), ([], "")])
def test_make_demo_lang_nl_hands_the_language_to_voila(tmp_path, given, expected):
    """`make demo LANG=nl` (lab, classroom) starts the server, and so its kernels, with LANGUAGE=nl; else nothing."""
    show = tmp_path / "show"
    show.write_text('#!/bin/sh\necho "[$LANGUAGE]"\n')
    show.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for target in ("demo", "lab", "classroom"):
        out = subprocess.run(
            ["make", "-s", target, "READY=", f"PY={show}", *given], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == f"[{expected}]", out.stdout


def test_in_language_runs_a_method_in_its_objects_language(env):
    from simlib.i18n import in_language

    class Page:
        def __init__(self, lang):
            self.lang = lang

        @in_language
        def title(self):
            return _("value")

    assert Page("nl").title() == "waarde" and Page("en").title() == "value"
    env.setenv("LANGUAGE", "nl")
    assert Page(None).title() == "waarde"
    assert _("value") == "waarde"


# ---------------------------------------------------------------------- the dashboards in Dutch


def english_words() -> set[str]:
    """Words of the English source strings that no Dutch translation uses: a learner reading one reads English."""
    words = re.compile(r"[A-Za-z][a-z]{2,}")
    noise = re.compile(r"`[^`]*`|<[^>]+>|\{[^}]*\}|[\w-]+(?:\.[\w-]+)+|\w+_\w+")  # code, tags, placeholders, fields
    po = messages(PO)
    english = {w.lower() for key in po for w in words.findall(noise.sub(" ", key))}
    # The model's error phrases keep the field names they mention ("elk team heeft agents nodig").
    dutch = {
        w.lower() for k, m in po.items() if k not in i18n.ERROR_PHRASES for w in words.findall(noise.sub(" ", m.string))
    }
    return english - dutch - ALLOWED


#: English words a Dutch page may show: proper nouns. (Request types and groups are data: see english_in.)
ALLOWED = {
    "erlang", "welch", "voila", "simlib",
}  # fmt: skip


def widget_texts(root) -> list[str]:
    """Every text a learner reads in a widget tree: descriptions, button labels, tooltips, HTML, options."""
    import html as html_lib

    out, stack, seen = [], [root], set()
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        for attr in ("description", "tooltip", "placeholder", "button_style_label"):
            value = getattr(x, attr, None)
            if isinstance(value, str) and value:
                out.append(value)
        value = getattr(x, "value", None)
        if type(x).__name__ in ("HTML", "HTMLMath", "Label", "Text", "Textarea") and isinstance(value, str):
            value = re.sub(r"<(style|script)\b.*?</\1>", " ", value, flags=re.S | re.I)
            out.append(html_lib.unescape(re.sub(r"<[^>]+>", " ", value)))
        for option in getattr(x, "_options_labels", ()) or ():
            out.append(str(option))
        for title in getattr(x, "titles", ()) or ():
            out.append(str(title))
        stack.extend(getattr(x, "children", ()) or ())
    return out


def figure_texts(figure) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def english_in(texts: list[str], vocabulary: set[str], names=()) -> list[tuple[str, list[str]]]:
    """The texts with English words in them (``names``: the scenario's request types and groups, data)."""
    found = []
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        hits = sorted({w for w in re.findall(r"[A-Za-z][a-z]{2,}", text) if w.lower() in vocabulary})
        if hits:
            found.append((text, hits))
    return found


@pytest.fixture(scope="module")
def vocabulary() -> set[str]:
    return english_words()


def test_the_english_vocabulary_finds_english(vocabulary):
    """The check below would see an untranslated label."""
    assert {"the", "requests", "agents", "knowledge", "waiting"} - ALLOWED <= vocabulary
    assert english_in(["How the requests ended"], vocabulary)
    assert not english_in(["Hoe de verzoeken afliepen", "utility (bruikbaarheid) 87,4%"], vocabulary)


def dashboard_classes():
    from simlib import dashboards

    return [
        dashboards.UtilityWarranty,
        dashboards.InstructorDashboard,
        dashboards.ValueMap,
        dashboards.Availability,
        dashboards.InternalExternal,
    ]


@pytest.mark.parametrize("cls", dashboard_classes(), ids=lambda c: c.__name__)
def test_each_dashboard_in_dutch_shows_no_english(cls, vocabulary, desk):
    dash = cls(desk, 1, lang="nl")
    texts = widget_texts(dash.widget) + figure_texts(dash.figure)
    assert any("waarde" in t.lower() for t in texts)
    names = [*desk.type_names, *(g.name for g in desk.customers)]
    english = english_in(texts, vocabulary, names)
    assert not english, "English on the Dutch dashboard:\n" + "\n".join(f"{hits}: {t!r}" for t, hits in english)
    # Dutch numbers, and a refused setting explained in Dutch, the field named as typed
    assert all("," in v or v == "n.v.t." for v in dash.shown().values()), dash.shown()
    lever = next(iter(dash.by_field.values()), None) if dash.by_field else None
    dash.seed.value = -1
    assert "kan niet draaien" in dash.message.value and "seed" in dash.message.value, dash.message.value
    assert not english_in(widget_texts(dash.widget), vocabulary, names)
    del lever


def test_a_dashboard_keeps_its_language_whatever_the_environment(env, desk):
    from simlib import dashboards

    env.setenv("LANGUAGE", "en")
    dash = dashboards.InstructorDashboard(desk, 1, lang="nl")
    env.setenv("LANGUAGE", "nl")
    english = dashboards.InstructorDashboard(desk, 1, lang="en")
    dash.press("Agent off sick")  # a callback later, in another language's environment
    assert dash.preset_buttons["Agent off sick"].description == "Medewerker ziek"
    assert english.preset_buttons["Agent off sick"].description == "Agent off sick"
    assert "," in dash.shown()["value"] and "." in english.shown()["value"]


def test_the_public_functions_take_lang(desk):
    from simlib import dashboards as sw

    for make in (
        sw.utility_warranty_dashboard,
        sw.instructor_dashboard,
        sw.availability_dashboard,
        sw.internal_external_dashboard,
    ):
        box = make(desk, 1, lang="nl")
        assert any("waarde" in t.lower() for t in widget_texts(box)), make.__name__

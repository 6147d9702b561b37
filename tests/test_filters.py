"""Template filters and the policies of the one Jinja environment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import jinja2
import pytest

from ocopdocs.formatting import keep_with_unit
from ocopdocs.templating import FILTERS, make_env, vn_date, vn_number, vn_percent


@pytest.mark.parametrize(("day", "digits", "expected"), [
    (date(2026, 4, 15), 2, "15/04/26"),
    (date(2026, 4, 15), 4, "15/04/2026"),
    (date(2028, 1, 2), 2, "02/01/28"),
    (date(2028, 1, 2), 4, "02/01/2028"),
    (date(2030, 12, 31), 2, "31/12/30"),
    (date(1, 1, 1), 4, "01/01/0001"),  # strftime gives "01/01/1"
    (date(1, 1, 1), 2, "01/01/01"),
    (date(999, 7, 4), 4, "04/07/0999"),
    (date(9999, 12, 31), 4, "31/12/9999"),
    (date(9999, 12, 31), 2, "31/12/99"),
])
def test_vn_date(day, digits, expected):
    assert vn_date(day, digits) == expected


def test_vn_date_defaults_to_two_year_digits():
    assert vn_date(date(2026, 9, 5)) == "05/09/26"


@pytest.mark.parametrize(("value", "expected"), [
    (1234.5, "1.234,5"),
    (0.2, "0,2"),
    (100, "100"),
    (0, "0"),
    (5, "5"),
    (999, "999"),
    (1000, "1.000"),
    (1234567, "1.234.567"),
    (Decimal("1234567.125"), "1.234.567,125"),
    (Decimal("82.20"), "82,2"),
    (Decimal("100.0"), "100"),
    (Decimal("1E+3"), "1.000"),
    (-1234.5, "-1.234,5"),
    (-0.5, "-0,5"),
    (332, "332"),
])
def test_vn_number(value, expected):
    assert vn_number(value) == expected


@pytest.mark.parametrize(("value", "places", "expected"), [
    (Decimal("82.2"), 1, "82,2"),
    (Decimal("0.6"), 2, "0,60"),
    (100, 1, "100,0"),
    (Decimal("1234.5"), 0, "1.234"),   # banker's rounding of Decimal.quantize: 1234.5 → 1234
    (Decimal("1235.5"), 0, "1.236"),
    (Decimal("12345.678"), 2, "12.345,68"),
])
def test_vn_number_places(value, places, expected):
    assert vn_number(value, places) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("2.5"), "2,5\u00a0%"),
    (100, "100\u00a0%"),
    (Decimal("40"), "40\u00a0%"),
    (Decimal("0.50"), "0,5\u00a0%"),
    (12.75, "12,75\u00a0%"),
])
def test_vn_percent(value, expected):
    assert vn_percent(value) == expected


def test_filters_registered(tmp_path):
    env = make_env(tmp_path)
    for name, function in {"vn_date": vn_date, "vn_number": vn_number, "vn_percent": vn_percent}.items():
        assert FILTERS[name] is function
        assert env.filters[name] is function


@pytest.fixture
def env(tmp_path):
    (tmp_path / "one.html").write_text(
        "<p>{{ name }} – {{ day | vn_date(4) }} – {{ amount | vn_number }} – {{ share | vn_percent }}</p>",
        encoding="utf-8")
    (tmp_path / "typo.html").write_text("<p>{{ nmae }}</p>", encoding="utf-8")
    (tmp_path / "attr.html").write_text("<p>{{ product.brand }}</p>", encoding="utf-8")
    (tmp_path / "loop.html").write_text(
        "{% for i in items %}\n  <li>{{ i }}</li>\n{% endfor %}\n", encoding="utf-8")
    return make_env(tmp_path)


def test_render_one_line_with_filters(env):
    html = env.get_template("one.html").render(
        name="Miến dong", day=date(2026, 4, 15), amount=Decimal("1234.5"), share=Decimal("2.5"))
    assert html == "<p>Miến dong – 15/04/2026 – 1.234,5 – 2,5\u00a0%</p>"


def test_autoescape(env):
    html = env.get_template("one.html").render(
        name='<script>alert("x")</script> & co', day=date(2026, 4, 15), amount=1, share=1)
    assert "<script>" not in html
    assert html.startswith("<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co – ")


def test_autoescape_even_without_html_suffix(tmp_path):
    (tmp_path / "label.svg.j2").write_text("{{ v }}", encoding="utf-8")
    assert make_env(tmp_path).get_template("label.svg.j2").render(v="<b>") == "&lt;b&gt;"


def test_strict_undefined_variable(env):
    with pytest.raises(jinja2.UndefinedError, match="nmae"):
        env.get_template("typo.html").render(name="x")


def test_strict_undefined_attribute(env):
    with pytest.raises(jinja2.UndefinedError, match="brand"):
        env.get_template("attr.html").render(product={})


def test_block_tags_leave_no_blank_lines(env):
    assert env.get_template("loop.html").render(items=[1, 2]) == "  <li>1</li>\n  <li>2</li>\n"


def test_templates_only_from_the_folder(tmp_path):
    (tmp_path / "secret.html").write_text("secret", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    env = make_env(templates)
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("../secret.html")


@pytest.mark.parametrize(("text", "expected"), [
    ("Hòa 1 gói (12 g) với 150 ml nước", "Hòa 1 gói (12\u00a0g) với 150\u00a0ml nước"),
    ("chiết xuất hạt tiêu đen (95 % piperine)", "chiết xuất hạt tiêu đen (95\u00a0% piperine)"),
    ("Bảo quản dưới 30 °C", "Bảo quản dưới 30\u00a0°C"),
    ("Ngày 2 lần, mỗi lần 2 viên", "Ngày 2 lần, mỗi lần 2 viên"),  # counts are words, not units
    ("5 goods", "5 goods"),
])
def test_keep_with_unit_ties_a_figure_to_its_unit(text: str, expected: str) -> None:
    assert keep_with_unit(text) == expected

"""The build as a whole: isolation of bad products, atomic output, the sandbox, the manifest."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from ocopdocs import output, pipeline
from ocopdocs.cli import BUG, main
from ocopdocs.messages import t
from ocopdocs.render import Renderer, RenderFailure
from ocopdocs.yamlio import load_yaml

from .conftest import TEMPLATES, copy_sample, write_tree

PRODUCER = "htx-khuoi-dong"
PRODUCT = "mien-dong"


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, f"{pattern!r} not in {path}"
    path.write_text(new, encoding="utf-8")


def test_one_bad_product_does_not_stop_the_others(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, PRODUCER)
    bad = products / PRODUCER / f"{PRODUCT}.yaml"
    edit(bad, r'gtin: "(\d{12})(\d)"', lambda m: f'gtin: "{m[1]}{(int(m[2]) + 1) % 10}"')  # type: ignore[arg-type]
    output = tmp_path / "output"
    result = pipeline.build(products, output, TEMPLATES, renderer=renderer)

    assert [p.code for p in result.errors if not p.code.startswith("fs-")] == ["gtin-check-digit"]
    built = {b.plan.product for b in result.built if b.plan.kind == "label"}
    assert f"{PRODUCER}/{PRODUCT}" not in built
    assert len(built) >= 1  # the producer's other products
    assert not list((output / PRODUCER / PRODUCT).glob("label-*.pdf"))
    # a barcode problem keeps the labels back, never the dossiers: the declaration is built
    # with its label boxes marked blank, and the OCOP dossier too
    kinds = {b.plan.kind for b in result.built if b.plan.product == f"{PRODUCER}/{PRODUCT}"}
    assert kinds == {"food-safety-declaration", "ocop-dossier"}
    assert ("fs-attachment-missing", "gap") in {(p.code, p.severity) for p in result.problems}
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1
    [gtin] = [p for p in manifest["problems"] if p["code"] == "gtin-check-digit"]
    assert gtin["line"] > 1
    paths = {d["path"] for d in manifest["documents"]}
    assert paths == {b.plan.path for b in result.built}
    for document in manifest["documents"]:
        assert (output / document["path"]).is_file()
        assert len(document["sha256"]) == 64
        assert document["pages"] == 1 or document["kind"] != "label"


def test_content_that_does_not_fit_fails_with_the_overflow_and_leaves_no_file(
        tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, PRODUCER, [PRODUCT])
    path = products / PRODUCER / f"{PRODUCT}.yaml"
    output = tmp_path / "output"
    first = pipeline.build(products, output, TEMPLATES, renderer=renderer)
    built = sorted(b.plan.path for b in first.built if b.plan.kind == "label" and b.plan.variant == "500g")
    assert built
    edit(path, r"height_mm: \d+", "height_mm: 60")  # the first variant's (500 g) label shrinks
    second = pipeline.build(products, output, TEMPLATES, renderer=renderer)
    overflow = [p for p in second.errors if p.code == "render-overflow" and "/label-" in str(p.document)]
    assert len(overflow) == 1
    assert overflow[0].document == built[0]
    assert re.search(r"khoảng \d+(,\d)? mm", overflow[0].message)
    assert not (output / built[0]).exists()  # the stale, bigger label is gone too
    assert not list(output.rglob("*.tmp"))
    # a problem found while rendering points at the line of its field, like any other
    doc = load_yaml(path, "p.yaml")
    assert (overflow[0].field, overflow[0].line) == ("packages[0]", doc.line_of(("packages", 0)))
    rendered = [p for p in second.problems if p.document is not None]
    assert len(rendered) > 1 and all(p.line is not None for p in rendered)
    # lines move without a document changing: the kept documents' problems move with them
    path.write_text("# a comment above everything\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    third = pipeline.build(products, output, TEMPLATES, renderer=renderer)
    kept = {b.plan.path for b in third.built} & {b.plan.path for b in second.built}
    moved = [(p.line, q.line) for p in second.problems for q in third.problems
             if p.document in kept and (p.document, p.code, p.message) == (q.document, q.code, q.message)]
    assert moved and all(after == before + 1 for before, after in moved)


def test_a_crash_while_writing_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      renderer: Renderer) -> None:
    target = tmp_path / "out" / "label.pdf"

    class Boom:
        def write(self, data: bytes) -> None:
            raise OSError("disk full")

        def __enter__(self) -> Boom:
            return self

        def __exit__(self, *args: object) -> None:
            pass

    monkeypatch.setattr(output.os, "fdopen", lambda fd, mode: (output.os.close(fd), Boom())[1])
    with pytest.raises(OSError, match="disk full"):
        output.write_atomic(target, b"%PDF-1.7")
    assert list(target.parent.iterdir()) == []


def test_a_file_written_in_pieces_is_whole_or_not_there(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"the last build's page")

    def pieces_then_a_bug() -> Iterator[bytes]:
        yield b"<p>half a page"
        raise RuntimeError("a template failed half way")

    with pytest.raises(RuntimeError, match="half way"):
        output.write_atomic(target, pieces_then_a_bug())
    assert target.read_bytes() == b"the last build's page"  # untouched: no half page, no temporary file
    assert list(tmp_path.iterdir()) == [target]
    output.write_atomic(target, iter([b"<p>", b"whole", b"</p>"]))
    assert target.read_bytes() == b"<p>whole</p>"


@pytest.mark.parametrize("html", [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<div style="background: url(file:///etc/passwd)">x</div>',
    '<img src="../../../../../../etc/passwd">',
    '<img src="https://example.com/logo.png">',
    '<link rel="attachment" href="file:///etc/passwd">',
])
def test_the_fetcher_refuses_everything_outside_the_project(html: str, renderer: Renderer) -> None:
    with pytest.raises(RenderFailure) as caught:
        layout = renderer.layout(f"<p>x</p>{html}", base=TEMPLATES / "label", stylesheets=[],
                                 roots=[TEMPLATES])
        renderer.write(layout, identifier=b"0" * 32)  # attachments are fetched when writing
    assert caught.value.code == "render-fetch-refused"


def test_the_fetcher_serves_data_urls_and_project_files(tmp_path: Path, renderer: Renderer) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    data = "%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%225%22 height=%225%22/%3E"
    layout = renderer.layout(f'<img src="{logo.as_uri()}"><img src="data:image/svg+xml,{data}">',
                             base=tmp_path, stylesheets=[], roots=[tmp_path])
    assert layout.pages == 1


def test_a_missing_image_fails_the_document(tmp_path: Path, renderer: Renderer) -> None:
    with pytest.raises(RenderFailure) as caught:
        renderer.layout('<img src="missing.png">', base=tmp_path, stylesheets=[], roots=[tmp_path])
    assert caught.value.code == "render-fetch-refused"


def test_a_template_error_is_a_bug_with_a_traceback(tmp_path: Path, renderer: Renderer,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    write_tree(templates, {
        "label/label.css": (TEMPLATES / "label/label.css").read_text(encoding="utf-8"),
        "label/label.html": "<p>{{ label.name_vi }}</p>\n<p>{{ no_such_variable }}</p>\n",
    })
    products = copy_sample(tmp_path, PRODUCER, [PRODUCT])
    with pytest.raises(jinja2.UndefinedError, match="no_such_variable"):  # not a data problem
        pipeline.build(products, tmp_path / "output", templates, renderer=renderer, only=["label"])
    assert not list((tmp_path / "output").rglob("*.pdf"))
    code = main(["build", "--products", str(products), "--output", str(tmp_path / "cli"),
                 "--templates", str(templates), "--only", "label", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == BUG == 3
    assert "Traceback (most recent call last)" in err and "label/label.html\", line 2" in err
    assert err.rstrip().endswith(t("cli-bug"))


def test_product_text_is_escaped(tmp_path: Path, renderer: Renderer) -> None:
    products = copy_sample(tmp_path, PRODUCER, [PRODUCT])
    edit(products / PRODUCER / f"{PRODUCT}.yaml", r"^storage: .*$",
         'storage: "<img src=\'file:///etc/passwd\'> <b>giữ khô</b>"')
    result = pipeline.build(products, tmp_path / "output", TEMPLATES, renderer=renderer)
    assert result.errors == []
    from .conftest import pdf_text
    [label] = [b for b in result.built if b.plan.kind == "label"][:1]
    text = pdf_text(tmp_path / "output" / label.plan.path)
    assert "<b>giữ khô</b>" in text and "<img" in text


def test_an_undersized_quantity_in_a_template_is_caught_from_the_pdf(tmp_path: Path,
                                                                       renderer: Renderer) -> None:
    templates = tmp_path / "templates"
    css = (TEMPLATES / "label/label.css").read_text(encoding="utf-8")
    write_tree(templates, {
        **{f"label/{name}": (TEMPLATES / "label" / name).read_text(encoding="utf-8")
           for name in ("label.html", "body.html")},
        # a designer "tidies up" the quantity: 500 g needs 4 mm figures, 2.6 mm type gives ~1.9 mm
        "label/label.css": css + "\n.qty-figures { font-size: 2.6mm !important; }\n",
    })
    products = copy_sample(tmp_path, PRODUCER, [PRODUCT])
    result = pipeline.build(products, tmp_path / "output", templates, renderer=renderer, only=["label"])
    found = [p for p in result.errors if p.code == "pdf-quantity-figure-height"]
    assert found and all(p.document and p.page == 1 and p.article for p in found)
    assert {p.document for p in found} == {p.path for p in result.plans if p.kind == "label"}
    assert result.built == [] and not list((tmp_path / "output").rglob("*.pdf"))  # unlawful: not written
    clean = pipeline.build(products, tmp_path / "output2", TEMPLATES, renderer=renderer, only=["label"])
    assert [p.code for p in clean.problems if not p.code.startswith("fs-") and p.severity != "info"] == []

"""Incremental and parallel builds: exactly the right documents are rendered again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ocopdocs import output, pipeline
from ocopdocs.render import Renderer

from .conftest import PRODUCTS, TEMPLATES, copy_sample


class Tree:
    """A products folder, a templates folder and an output folder to rebuild repeatedly."""

    def __init__(self, root: Path, renderer: Renderer) -> None:
        self.products = copy_sample(root, "htx-khuoi-dong")
        copy_sample(root, "htx-ong-mat-ho-xanh")
        self.templates = root / "templates"
        shutil.copytree(TEMPLATES, self.templates)
        self.output = root / "output"
        self.renderer = renderer

    def build(self, **options: object) -> tuple[pipeline.BuildResult, set[str]]:
        rendered: set[str] = set()

        def note(event: pipeline.Event) -> None:
            if not event.cached:
                rendered.add(event.plan.path)

        output.template_hash.cache_clear()
        result = pipeline.build(self.products, self.output, self.templates, progress=note,
                                renderer=self.renderer, **options)  # type: ignore[arg-type]
        return result, rendered

    def edit(self, relative: str, old: str, new: str, root: Path | None = None) -> None:
        path = (root or self.products) / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (old, path)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def manifest_paths(self) -> set[str]:
        manifest = json.loads((self.output / "manifest.json").read_text(encoding="utf-8"))
        return {d["path"] for d in manifest["documents"]}

    def files(self) -> set[str]:
        return {p.relative_to(self.output).as_posix() for p in self.output.rglob("*.pdf")}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, renderer: Renderer) -> Tree:
    tree = Tree(tmp_path_factory.mktemp("incremental"), renderer)
    result, rendered = tree.build()
    assert rendered == {b.plan.path for b in result.built} and len(rendered) > 10
    return tree


def docs(tree: Tree, *prefixes: str, kinds: tuple[str, ...] = ("label", "sheet", "food-safety", "ocop")) -> set[str]:
    return {p for p in tree.files() if p.startswith(prefixes) and Path(p).name.startswith(kinds)}


def test_a_second_build_renders_nothing(tree: Tree) -> None:
    before = {p: (tree.output / p).stat().st_mtime_ns for p in tree.files()}
    result, rendered = tree.build()
    assert rendered == set()
    assert result.kept == len(before) == len(result.built)
    assert {p: (tree.output / p).stat().st_mtime_ns for p in tree.files()} == before
    assert tree.manifest_paths() == tree.files()


def test_editing_a_product_rebuilds_only_its_documents(tree: Tree) -> None:
    tree.edit("htx-khuoi-dong/mien-dong.yaml", "storage: \"", "storage: \"Giữ khô. ")
    _, rendered = tree.build()
    assert rendered == {"htx-khuoi-dong/mien-dong/label-500g.pdf", "htx-khuoi-dong/mien-dong/label-200g.pdf",
                        "htx-khuoi-dong/mien-dong/sheet-500g.pdf", "htx-khuoi-dong/mien-dong/sheet-200g.pdf",
                        "htx-khuoi-dong/mien-dong/food-safety-declaration.pdf"}


def test_editing_a_producer_rebuilds_its_documents_only(tree: Tree) -> None:
    tree.edit("htx-khuoi-dong/producer.yaml", "phone: \"", "phone: \"(+84) ")
    _, rendered = tree.build()
    assert rendered == docs(tree, "htx-khuoi-dong/")
    assert not docs(tree, "htx-ong-mat-ho-xanh/") & rendered


def test_editing_the_label_stylesheet_rebuilds_labels_and_the_dossiers_that_show_them(tree: Tree) -> None:
    tree.edit("label/label.css", "line-height: 1.22;", "line-height: 1.21;", root=tree.templates)
    _, rendered = tree.build()
    labels = {p for p in tree.files() if "/label-" in p or "/sheet-" in p}  # sheets set labels too
    declarations = {p for p in tree.files() if p.endswith("food-safety-declaration.pdf")}
    assert rendered == labels | declarations


def test_editing_the_declaration_template_rebuilds_declarations_only(tree: Tree) -> None:
    tree.edit("food_safety/declaration.html", "<h1>Bản tự công bố sản phẩm</h1>",
              "<h1>Bản tự công bố sản phẩm </h1>", root=tree.templates)
    _, rendered = tree.build()
    assert rendered == {p for p in tree.files() if p.endswith("food-safety-declaration.pdf")}


def test_changing_the_law_or_the_code_rebuilds_everything(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "tool_hash", lambda: "another version")
    _, rendered = tree.build()
    assert rendered == tree.files()
    monkeypatch.undo()
    tree.build()  # back to the real version for the tests that follow


def test_a_document_changed_by_hand_is_rendered_again(tree: Tree) -> None:
    target = "htx-ong-mat-ho-xanh/mat-ong/label-250g.pdf"
    (tree.output / target).write_bytes(b"%PDF-1.7 edited")
    _, rendered = tree.build()
    assert rendered == {target}


def test_force_renders_everything(tree: Tree) -> None:
    _, rendered = tree.build(force=True)
    assert rendered == tree.files()


def test_removed_variants_and_products_leave_the_output(tree: Tree) -> None:
    product = tree.products / "htx-khuoi-dong/mien-dong.yaml"
    text = product.read_text(encoding="utf-8")
    start, end = text.index("  - sku: 200g"), text.index("\nlot:") + 1  # the last package
    product.write_text(text[:start] + text[end:], encoding="utf-8")
    result, rendered = tree.build()
    assert not [p for p in result.errors if p.file.endswith("mien-dong.yaml")]
    assert "htx-khuoi-dong/mien-dong/label-200g.pdf" not in tree.files()
    assert rendered == {"htx-khuoi-dong/mien-dong/food-safety-declaration.pdf",
                        "htx-khuoi-dong/mien-dong/ocop-dossier.pdf"}  # both list the packages
    (tree.products / "htx-ong-mat-ho-xanh/mat-ong.yaml").unlink()
    result, rendered = tree.build()
    assert not (tree.output / "htx-ong-mat-ho-xanh/mat-ong").exists()
    assert rendered == {p for p in tree.files() if p.startswith("htx-ong-mat-ho-xanh/")} or rendered == set()
    assert tree.manifest_paths() == tree.files() == {b.plan.path for b in result.built}


def test_only_keeps_the_other_kinds(tree: Tree) -> None:
    before = tree.files()
    result, _ = tree.build(only=["label"])
    assert tree.files() == before == tree.manifest_paths()
    assert {b.plan.kind for b in result.built} == {"label"}


def test_parallel_build_matches_the_sequential_one(tmp_path: Path, renderer: Renderer) -> None:
    one = pipeline.build(PRODUCTS, tmp_path / "one", TEMPLATES, renderer=renderer, as_of=None)
    two = pipeline.build(PRODUCTS, tmp_path / "two", TEMPLATES, jobs=2)
    assert {b.plan.path: b.sha256 for b in two.built} == {b.plan.path: b.sha256 for b in one.built}
    assert sorted(map(str, two.problems)) == sorted(map(str, one.problems))
    # a worker sends its copy of the plan back: the build keeps its own, so a province holds each once
    planned = {id(p) for p in two.plans}
    assert all(id(b.plan) in planned for b in two.built)

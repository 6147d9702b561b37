"""``ocopdocs serve``: a live preview page on this machine only.

The page lists the producers and products; a product's page shows its labels as images, its
other documents as links, and its problems beside them. Each product is built with the
normal pipeline (:func:`ocopdocs.pipeline.build`, selecting that product) into a preview
folder, ``.ocopdocs-preview/`` next to the products folder, when its page is first opened and
again within a second or two of a save to its files or to the templates (``watchfiles``).

It only reads what it is given:
- the server listens on 127.0.0.1 and answers GET and HEAD only; nothing it does writes into
  the products or templates folders;
- files are served from the preview folder only; a path with ``..``, an encoded slash or
  dot, a backslash, a symbolic link, or anything outside that folder gets a 404, as does a
  request whose Host is not this machine (DNS rebinding);
- a product whose file has errors shows them, and no label: the build removes the previous
  label rather than leaving it looking current.

The page refreshes itself: its script asks ``/status.json`` every half second for the
product's version and reloads when it changes. Like the readiness report, the page allows
nothing but its own inline script and style, by hash (Content-Security-Policy).
"""

from __future__ import annotations

import html
import http.server
import io
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from . import output, pipeline
from .errors import OcopError, Problem
from .loader import SLUG, load_project
from .messages import t
from .render import Renderer
from .report import csp_hash
from .selection import Selection

FOLDER = ".ocopdocs-preview"
"""The preview folder's name, next to the products folder."""
DPI = 150
"""Resolution of the label images: sharp on a screen, quick to make."""
SERVED = frozenset({".pdf", ".png"})

STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}a{color:#0645ad}
.cols{display:flex;gap:2rem;flex-wrap:wrap}.labels{flex:2 1 420px}.side{flex:1 1 300px}
figure{margin:0 0 1rem;display:inline-block;vertical-align:top}
figure img{border:1px solid #bbb;max-width:100%;height:auto;background:#fff}
.banner{background:#fde8e8;border:1px solid #c62828;padding:.6rem .8rem;border-radius:4px}
ul.problems{padding-left:1.1rem}li.error{color:#b71c1c}li.gap{color:#6a1b9a}li.warning{color:#8d6e00}
li.info{color:#555}.hint{color:#444;display:block}.where{color:#666;font-size:.9em}
.stamp{color:#666;font-size:.85em}"""

SCRIPT = """(function () {
  var body = document.body, seen = body.getAttribute("data-version");
  var url = "/status.json?product=" + encodeURIComponent(body.getAttribute("data-product"));
  function poll() {
    fetch(url, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (String(s.version) !== seen) { location.reload(); } else { setTimeout(poll, 500); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 500);
})();"""

CSP = (f"default-src 'none'; img-src 'self'; style-src '{csp_hash(STYLE)}'; script-src '{csp_hash(SCRIPT)}'; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass
class Label:
    """One label of the product, as an image and its PDF."""

    title: str
    image: str
    """Path of the PNG in the preview folder."""
    pdf: str
    width_mm: float


@dataclass
class View:
    """What a product's page shows: the last build of that product."""

    product: str
    """``producer/product``."""
    name: str
    version: int
    loaded: bool
    """False when the product file or its producer file has errors: no label is shown."""
    labels: list[Label] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)
    """(kind, path in the preview folder) of the other documents."""
    problems: list[Problem] = field(default_factory=list)
    built_at: str = ""
    seconds: float = 0.0
    pending: bool = False
    """True while the other documents are still being built again (the labels are current)."""


class Preview:
    """Builds products into the preview folder, one at a time, and keeps what each page shows."""

    def __init__(self, products: Path, templates: Path, folder: Path, as_of: date | None = None) -> None:
        self.products, self.templates, self.folder, self.as_of = products, templates, folder, as_of
        self.lock = threading.Lock()
        """One build at a time (the renderer and pdfium are not shared between threads)."""
        self.views: dict[str, View] = {}
        self.changes = 0
        """Counts every change seen in the products or templates: the list page's version."""
        self.builds = 0
        """Counts the builds: each product page's version is the number of its last build."""
        self._renderer: Renderer | None = None

    def view(self, product: str) -> View:
        """The product's page; built now (its labels first) when it was never built."""
        found = self.views.get(product)
        if found is not None:
            return found
        with self.lock:
            found = self.views.get(product)
            if found is None:
                found = self.views[product] = self._build(product, labels_only=True)
                threading.Thread(target=self._complete, args=([product],), daemon=True).start()
        return found

    def _complete(self, products: list[str]) -> None:
        """Build every document of ``products``, after their labels were shown."""
        with self.lock:
            for product in products:
                self.views[product] = self._build(product)

    def version(self, product: str) -> int:
        """The version of the product's page (the list's when ``product`` is empty)."""
        found = self.views.get(product)
        return found.version if found is not None else self.changes

    def changed(self, paths: set[Path]) -> list[str]:
        """Rebuild the viewed products that ``paths`` (changed files) concern; returns them."""
        root, templates = self.products.resolve(), self.templates.resolve()
        concerned: set[str] = set()
        with self.lock:
            self.changes += 1
            for changed in paths:
                path = changed.resolve()
                if path.is_relative_to(templates):
                    concerned.update(self.views)
                elif path.is_relative_to(root) and len(path.relative_to(root).parts) >= 2:
                    producer, name = path.relative_to(root).parts[:2]
                    stem = Path(name).stem
                    if Path(name).suffix in (".yaml", ".yml") and f"{producer}/{stem}" in self.views:
                        concerned.add(f"{producer}/{stem}")
                    else:  # producer.yaml, a mark image, a scan: every product of the producer
                        concerned.update(v for v in self.views if v.split("/")[0] == producer)
            for product in sorted(concerned):  # the labels first: what a user waits to see
                self.views[product] = self._build(product, labels_only=True)
            for product in sorted(concerned):
                self.views[product] = self._build(product)
        return sorted(concerned)

    def _build(self, product: str, *, labels_only: bool = False) -> View:
        started = time.perf_counter()
        producer, slug = product.split("/")
        if self._renderer is None:
            self._renderer = Renderer()
        output.template_hash.cache_clear()  # an edited template changes the documents' keys
        result = pipeline.build(self.products, self.folder, self.templates, renderer=self._renderer,
                                as_of=self.as_of, select=Selection(producer, slug),
                                only=["label"] if labels_only else None)
        entry = next((e for e in result.project.products if e.id == product), None)
        loaded = entry is not None and entry.model is not None and entry.producer.model is not None
        name = entry.model.name.vi if entry is not None and entry.model is not None else slug
        self.builds += 1
        view = View(product, name, self.builds, loaded, problems=_sorted(result.judged()),
                    pending=labels_only)
        images: set[Path] = set()
        for path, doc in sorted(result.state.documents.items()):
            if doc.product != product:
                continue
            if doc.kind == "label":
                image = path.removesuffix(".pdf") + ".png"
                _rasterise(self.folder / path, self.folder / image)
                images.add((self.folder / image).resolve())
                plan = next((p for p in result.plans if p.path == path), None)
                view.labels.append(Label(plan.title if plan else path, image, path, doc.page_size_mm[0]))
            else:
                view.documents.append((doc.kind, path))
        for old in (self.folder / producer / slug).glob("*.png"):  # no image of a label that is gone
            if old.resolve() not in images:
                old.unlink(missing_ok=True)
        view.seconds = time.perf_counter() - started
        view.built_at = time.strftime("%H:%M:%S")
        return view


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {"error": 0, "gap": 1, "warning": 2, "info": 3}
    unique = {(p.file, p.line, p.field, p.code, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (order.get(p.severity, 9), p.file, p.line or 0))


def _rasterise(pdf: Path, png: Path) -> None:
    """The first page of ``pdf`` as a PNG at :data:`DPI`, as cut: its TrimBox, without bleed and marks."""
    import pypdfium2  # type: ignore[import-untyped]  # only where a label is shown

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        media, trim = page.get_mediabox(), page.get_trimbox()
        crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        image = page.render(scale=DPI / 72, crop=crop).to_pil()
    finally:
        document.close()
    data = io.BytesIO()
    image.save(data, format="PNG")
    output.write_atomic(png, data.getvalue())


# ------------------------------------------------------------------------ the pages


def _page(title: str, body: str, *, version: int, product: str = "") -> bytes:
    return (f'<!doctype html><html lang="{t("serve-lang")}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f'<body data-version="{version}" data-product="{html.escape(product)}">{body}'
            f"<script>{SCRIPT}</script></body></html>").encode()


def index_page(preview: Preview) -> bytes:
    """The list of producers and their products."""
    project = load_project(preview.products)
    parts = [f"<h1>{html.escape(t('serve-title'))}</h1>"]
    if not project.products:
        parts.append(f"<p>{html.escape(t('serve-no-products', folder=preview.products))}</p>")
    for producer in project.producers:
        name = producer.model.legal_name if producer.model is not None else producer.slug
        parts.append(f"<h2>{html.escape(name)}</h2><ul>")
        for entry in (e for e in project.products if e.producer is producer):
            label = entry.model.name.vi if entry.model is not None else entry.slug
            note = "" if entry.model is not None else f" {html.escape(t('serve-not-loaded'))}"
            parts.append(f'<li><a href="/p/{entry.id}">{html.escape(label)}</a>{note} '
                         f'<span class="where">{html.escape(entry.doc.display)}</span></li>')
        parts.append("</ul>")
    return _page(t("serve-title"), "".join(parts), version=preview.changes)


def product_page(view: View) -> bytes:
    """A product's labels, documents and problems."""
    esc = html.escape
    built = t("serve-built", time=view.built_at, seconds=f"{view.seconds:.1f}")
    parts = [f'<p><a href="/">{esc(t("serve-back"))}</a></p><h1>{esc(view.name)}</h1>',
             f'<p class="stamp">{esc(built)}</p>',
             '<div class="cols"><section class="labels">']
    if not view.loaded:
        parts.append(f'<p class="banner" id="errors">{esc(t("serve-has-errors"))}</p>')
    parts.append(f"<h2>{esc(t('serve-labels'))}</h2>")
    for label in view.labels:
        width = round(label.width_mm * 96 / 25.4 * 1.5)
        parts.append(f'<figure><img src="/files/{esc(label.image)}?v={view.version}" '
                     f'alt="{esc(label.title)}" width="{width}"><figcaption>'
                     f'<a href="/files/{esc(label.pdf)}">{esc(label.title)}</a></figcaption></figure>')
    if not view.labels:
        parts.append(f"<p>{esc(t('serve-no-labels'))}</p>")
    parts.append(f'</section><section class="side"><h2>{esc(t("serve-problems"))}</h2>')
    if view.problems:
        parts.append('<ul class="problems">')
        for problem in view.problems:
            hint = f'<span class="hint">→ {esc(problem.hint)}</span>' if problem.hint else ""
            parts.append(f'<li class="{esc(problem.severity)}" data-code="{esc(problem.code)}">'
                         f"<b>{esc(t(f'cli-severity-{problem.severity}'))}</b> {esc(problem.message)} "
                         f'<span class="where">{esc(problem.location())} [{esc(problem.code)}]</span>'
                         f"{hint}</li>")
        parts.append("</ul>")
    else:
        parts.append(f'<p id="no-problems">{esc(t("serve-no-problems"))}</p>')
    parts.append(f"<h2>{esc(t('serve-documents'))}</h2>")
    if view.pending:
        parts.append(f'<p class="stamp" id="pending">{esc(t("serve-pending"))}</p>')
    parts.append("<ul>")
    for kind, path in view.documents:
        parts.append(f'<li><a href="/files/{esc(path)}">{esc(t(f"kind-{kind}"))}</a></li>')
    parts.append("</ul></section></div>")
    return _page(view.name, "".join(parts), version=view.version, product=view.product)


def served_file(folder: Path, raw: str) -> Path | None:
    """The file of the preview folder that the URL path ``raw`` (after ``/files/``) names, or None.

    None for anything that could reach elsewhere: an encoded slash, backslash or dot, ``..``
    or ``.`` segments, an empty segment, a symbolic link on the way, a file that is not a
    PDF or a PNG, or a path that resolves outside ``folder``.
    """
    lowered = raw.lower()
    if any(code in lowered for code in ("%2f", "%5c", "%2e", "%00")):
        return None
    relative = unquote(raw)
    if "\\" in relative or "\0" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    root = folder.resolve()
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    if path.suffix not in SERVED or not path.resolve().is_relative_to(root) or not path.is_file():
        return None
    return path


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview
    port: int
    server_version = "ocopdocs-preview"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a preview page polls twice a second."""

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        host = self.headers.get("Host", "")
        if host not in (f"127.0.0.1:{self.port}", f"localhost:{self.port}"):
            self._send(404, b"", "text/plain", head)  # another name for this address: DNS rebinding
            return
        url = urlsplit(self.path)
        path = url.path
        if path == "/":
            self._send(200, index_page(self.preview), "text/html; charset=utf-8", head)
        elif path == "/favicon.ico":  # browsers ask; there is none
            self._send(204, b"", "image/x-icon", head)
        elif path == "/status.json":
            product = parse_qs(url.query).get("product", [""])[0]
            body = json.dumps({"version": self.preview.version(product)}).encode()
            self._send(200, body, "application/json", head)
        elif path.startswith("/p/") and self._known(path[3:]):
            self._send(200, product_page(self.preview.view(path[3:])), "text/html; charset=utf-8", head)
        elif path.startswith("/files/") and (found := served_file(self.preview.folder, path[7:])) is not None:
            kind = "application/pdf" if found.suffix == ".pdf" else "image/png"
            self._send(200, found.read_bytes(), kind, head)
        else:
            self._send(404, t("serve-not-found").encode("utf-8"), "text/plain; charset=utf-8", head)

    def _known(self, product: str) -> bool:
        parts = product.split("/")
        if len(parts) != 2 or not all(SLUG.match(p) for p in parts):
            return False
        path = self.preview.products / parts[0] / f"{parts[1]}.yaml"
        return path.is_file() and not path.is_symlink() and parts[1] != "producer"

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class Server:
    """The preview server and its watcher, running in background threads."""

    def __init__(self, preview: Preview, port: int = 0) -> None:
        self.preview = preview
        class Handler(_Handler):
            pass

        Handler.preview = preview
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        Handler.port = int(self.httpd.server_address[1])
        self.url = f"http://127.0.0.1:{Handler.port}/"
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self.httpd.serve_forever, daemon=True),
                         threading.Thread(target=self._watch, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _watch(self) -> None:
        import watchfiles  # only while serving

        watched = [p for p in (self.preview.products, self.preview.templates) if p.is_dir()]
        for changes in watchfiles.watch(*watched, stop_event=self._stop, debounce=800, step=50,
                                        yield_on_timeout=False, raise_interrupt=False):
            self.preview.changed({Path(path) for _, path in changes})

    def close(self) -> None:
        """Stop watching and serving, after the build under way."""
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)
        with self.preview.lock:  # a build of the documents after their labels: let it end
            pass


def serve(products: Path, templates: Path, *, port: int, out: TextIO, open_browser: bool) -> int:
    """Serve the preview until Ctrl-C; returns the exit code."""
    folder = products.resolve().parent / FOLDER
    try:
        server = Server(Preview(products, templates, folder), port)
    except OSError as exc:  # the port is taken, most often by another ocopdocs serve
        raise OcopError(t("serve-port-busy", port=port, detail=exc.strerror or exc)) from exc
    print(t("serve-listening", url=server.url, folder=folder), file=out, flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0

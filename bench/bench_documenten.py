"""Figures for documents: a verslag of about three pages in Word and in PDF, as the user waits for it after
choosing Opslaan als document (the rendering; the file dialog and the disk are not counted), and its preview.

Run: .venv/bin/python bench/bench_documenten.py   (target: Word and PDF together < 150 ms)

The verslag is a definitief driehoeksgesprek of a traject on a throwaway store, its text fields filled to about
three pages; its documents come from documents/verslag.py like the app's. The first render in a process loads the
fonts, the shaping and python-docx's template: reported apart.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.verslagen.conftest import maak_traject, schrijf_driehoek  # noqa: E402

from ontkoppel_desktop.documents import render_docx, render_pdf  # noqa: E402
from ontkoppel_desktop.documents.verslag import verslag_documenten  # noqa: E402
from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

ALINEA = ("De aios en de opleider bespraken hoe de supervisie beter kan worden ingepland, en welke afspraken daarvoor "
          "nodig zijn in de komende weken. ")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        store = Store.create(Path(tmp) / "b.okdb", "Bench-wachtwoord-42", KdfParams(1, 8 * 1024)).store
        traject_id = maak_traject(store)
        tekst = "\n\n".join(ALINEA * 4 for _ in range(3))  # about a page per field, over four fields
        vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), afronden=True, aanleiding=tekst,
                               perspectief_aios=tekst, perspectief_opleider=tekst, afspraken=tekst)
        svc = store.verslagen
        verslag = svc.get(vid)
        document = verslag_documenten(verslag, svc.formulier(verslag), svc.context(traject_id),
                                      opleiding="Huisartsopleiding")[0].document
        started = time.perf_counter()
        render_docx(document), render_pdf(document)
        eerste = time.perf_counter() - started
        word, pdf, samen = [], [], []
        for _ in range(20):
            t0 = time.perf_counter()
            render_docx(document)
            t1 = time.perf_counter()
            data = render_pdf(document)
            t2 = time.perf_counter()
            word.append(t1 - t0)
            pdf.append(t2 - t1)
            samen.append(t2 - t0)
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
        store.close()
    print(f"verslag van {pages} pagina's (PDF)")
    for naam, times in (("Word", word), ("PDF", pdf), ("Word en PDF samen", samen)):
        ordered = sorted(times)
        print(f"{naam:20} mediaan {statistics.median(times) * 1000:6.1f} ms   p95 "
              f"{ordered[int(0.95 * (len(ordered) - 1))] * 1000:6.1f} ms   (doel samen < 150 ms)")
    print(f"{'eerste keer':20} {eerste * 1000:6.1f} ms   (lettertypen, vormgeving, Word-sjabloon laden)")


if __name__ == "__main__":
    main()

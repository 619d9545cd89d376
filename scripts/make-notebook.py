"""Writes a notebook from a compact list of (kind, source) cells: keeps notebooks/ reviewable.
Usage: python3 scripts/make-notebook.py spec.py out.ipynb  (spec defines CELLS)."""
import json, sys, runpy

spec = runpy.run_path(sys.argv[1])
cells = []
for kind, src, *rest in spec["CELLS"]:
    meta = rest[0] if rest else {}
    cell = {"cell_type": kind, "metadata": meta, "source": src.strip("\n")}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    cells.append(cell)
nb = {
    "cells": cells,
    "metadata": {
        "kernelspec": {"name": "lepton", "display_name": "Lepton TypeScript", "language": "typescript"},
        "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
for i, c in enumerate(nb["cells"]):
    c["id"] = f"cell-{i:02d}"
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
    f.write("\n")

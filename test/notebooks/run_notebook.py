"""Executes a notebook headless on the Lepton kernel with nbclient and fails on any error output.
Usage: run_notebook.py IN.ipynb OUT.ipynb [timeout_per_cell]"""
import sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

src, out = sys.argv[1], sys.argv[2]
timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 600
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, kernel_name="lepton", timeout=timeout, allow_errors=False, resources={"metadata": {"path": "notebooks"}})
t0 = time.time()
status = 0
try:
    client.execute()
except CellExecutionError as e:
    print(f"CELL FAILED: {str(e)[:3000]}", file=sys.stderr)
    status = 1
finally:
    nbformat.write(nb, out)
errors = []
for i, cell in enumerate(nb.cells):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            errors.append(f"cell {i}: {o.get('ename')}: {o.get('evalue')}")
        if o.get("output_type") == "stream" and o.get("name") == "stderr" and ("Error" in o.get("text", "")):
            errors.append(f"cell {i}: stderr: {o.get('text')[:500]}")
for e in errors:
    print("ERROR OUTPUT:", e, file=sys.stderr)
print(f"executed {sum(1 for c in nb.cells if c.cell_type == 'code')} code cells in {time.time() - t0:.1f}s", file=sys.stderr)
sys.exit(1 if errors or status else 0)

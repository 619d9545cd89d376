"""Shared by the workshop specs: one source for an exercise notebook and its solved version.

A workshop spec defines `build(todo)` returning its cells and sets `CELLS = build(exercise)`; its
solved version (`solutions/<name>.py`) is `CELLS = solved("<name>.py")`. `todo(placeholder,
solution)` is a cell the learner completes: the exercise shows the placeholder (valid TypeScript
that leaves the answer undefined, so the notebook still runs top to bottom), the solution the
answer. `CHECK_HELPER` defines `check(...)`, which prints right, or "not yet" with a hint, and
never throws.
"""
import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))


def exercise(placeholder, solution):
    return ("code", placeholder, {"tags": ["exercise"]})


def solution(placeholder, solution):
    return ("code", solution, {"tags": ["solution"]})


def solved(spec):
    return runpy.run_path(os.path.join(HERE, spec))["build"](solution)


CHECK_HELPER = ("code", """
// The checker: prints whether an answer is right, or a hint. It never throws, so every cell runs.
let score = 0;
function check(name: string, passed: () => boolean | undefined, hint: string): void {
  let ok = false;
  try { ok = passed() === true; } catch { ok = false; }
  if (ok) score += 1;
  console.log(ok ? `✅ ${name}: right!` : `❌ ${name}: not yet — hint: ${hint}`);
}
""")

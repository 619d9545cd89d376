"""jupyter_kernel_test (Debian's python3-jupyter-kernel-test) configured for the Lepton kernel,
with every sample it supports. Run by test/kernel/conformance.test.ts with the kernelspec
installed into a temporary JUPYTER_PATH."""
import unittest

import jupyter_kernel_test


class LeptonKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "lepton"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('oops')"

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "lepton.loc", "matches": {"locale"}},
        {"text": "const tensorCount = 1;\ntensorCo", "matches": {"tensorCount"}},
    ]
    complete_code_samples = ["let a = 1;", "function f(x: number) {\n  return x;\n}", "const s = `x ${1}`;"]
    incomplete_code_samples = ["function f(x: number) {", "const xs = [1, 2,", "const s = `unfinished ${1}"]
    invalid_code_samples = ["let = ;", "const ) x"]

    code_generate_error = "throw new Error('boom')"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'text'", "result": "'text'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": "display.html('<b>hi</b>')", "mime": "text/html"},
        {"code": "display.markdown('# title')", "mime": "text/markdown"},
        {"code": "display.svg('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>')", "mime": "image/svg+xml"},
        {"code": "display.json({ a: 1 })", "mime": "application/json"},
    ]
    code_history_pattern = "6 * 7*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.floor"
    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()

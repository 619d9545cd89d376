import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { text } from "../../src/data/index";
import { DISPLAY } from "../../src/runtime/host";

const shown = (x: object) => (x as Record<symbol, () => Record<string, string>>)[DISPLAY].call(x);

describe("data: how a tokeniser shows itself", () => {
  it("unfitted: says so and what to call", () => {
    const tok = new text.CharTokenizer();
    assert.equal(inspect(tok), "CharTokenizer, not fitted yet: call fit(trainTexts) to learn its vocabulary");
    assert.equal(shown(tok)["text/plain"], inspect(tok));
  });

  it("fitted: its vocabulary size and most frequent tokens, quoted so spaces and combining marks show", () => {
    const tok = new text.CharTokenizer().fit(["aab a", "ba é"]);
    // a (4), space (2), b (2), é (1): ids 2.. in that order, ties by token
    assert.equal(inspect(tok), "CharTokenizer with a vocabulary of 6 tokens (ids 0 and 1: padding and unknown)");
    assert.match(shown(tok)["text/plain"], /the 4 most frequent tokens: "a" " " "b" "é"$/);
    assert.deepEqual(tok.vocabulary.tokens.slice(2), ["a", " ", "b", "é"]);
    const bpe = new text.BpeTokenizer(10).fit(["low lower lowest", "new newer"]);
    assert.match(inspect(bpe), /^BpeTokenizer with a vocabulary of \d+ tokens/);
    assert.ok(!inspect({ bpe }).includes("merges"), "no internals inside other objects");
  });
});

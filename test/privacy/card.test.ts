/** The privacy report goes into the data set card (issue 9). */
import { strict as assert } from "node:assert";
import * as lepton from "../../src/index";

const rows = Array.from({ length: 40 }, (_, i) => ({
  email: `user${i}@example.org`,
  phone: `+1 202 555 ${String(1000 + i).padStart(4, "0")}`,
  age: 20 + (i % 50),
  spend: i * 1.5,
}));

describe("privacy in data set cards", () => {
  afterEach(() => lepton.locale("en"));

  it("a card for your own data names the personal columns and what was done to each", () => {
    const df = lepton.data.frameFromJSON(rows);
    const report = lepton.data.privacy.detectPII(df);
    const flagged = report.findings.map((f) => f.column).sort();
    assert.deepEqual(flagged, ["email", "phone"]);
    const { frame, log } = lepton.data.privacy.protect(df, { secret: "test-secret", action: { email: "pseudonymise", phone: "drop" } });
    const card = lepton.datasets.card(frame, { name: "customers", source: "CRM export", privacy: [report, log] });
    const text = String((card as unknown as Record<symbol, () => Record<string, unknown>>)[lepton.DISPLAY]()["text/plain"]);
    assert.match(text, /customers\. Source: CRM export/);
    assert.match(text, /2 column\(s\) flagged as personal data; 2 transform\(s\) applied/);
    assert.match(text, /email: .*pseudonymis/i);
    assert.match(text, /phone: .*drop/i);
    assert.doesNotMatch(text, /user0@example\.org|test-secret/, "no personal value or secret in the card");
    const json = JSON.stringify(card.toJSON());
    assert.doesNotMatch(json, /user0@example\.org|test-secret/);
    assert.equal(card.toJSON().privacy && (card.toJSON().privacy as { applied: unknown[] }).applied.length, 2);
  });

  it("a bundled data set's card takes a report too, and reads in Chinese", () => {
    lepton.locale("zh-CN");
    const card = lepton.datasets.info("iris").withPrivacy({ applied: [], detected: { rows: 150, findings: [] } });
    const text = String((card as unknown as Record<symbol, () => Record<string, unknown>>)[lepton.DISPLAY]()["text/plain"]);
    assert.match(text, /隐私：0 列被识别为个人数据/);
  });
});

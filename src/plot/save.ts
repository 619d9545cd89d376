/**
 * Saving figures to files: a standalone HTML page (plotly.js inside, works offline), an SVG or
 * a PNG rendered by headless Chromium.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { LeptonError } from "../i18n/index";
import type { Figure } from "./figure";
import { standaloneHTML } from "./html";
import { render } from "./renderer";

/**
 * Saves a figure as `.html`, `.svg` or `.png` (chosen by the file name) and returns the absolute
 * path. PNG is drawn at twice the pixel density for sharp text.
 *
 * @example
 * ```ts
 * await lepton.plot.save(lepton.plot.line({ y: { loss: [1, 0.5] } }), "runs/loss.png");
 * ```
 */
export async function save(fig: Figure, file: string): Promise<string> {
  const ext = path.extname(file).toLowerCase();
  const target = path.resolve(file);
  let content: string | Buffer;
  if (ext === ".html" || ext === ".htm") {
    const title = typeof (fig.layout.title as { text?: string } | undefined)?.text === "string" ? (fig.layout.title as { text: string }).text : "lepton figure";
    content = standaloneHTML(fig.toJSON(), title, fig.size.height);
  } else if (ext === ".svg") {
    content = (await fig.render("svg")).data;
  } else if (ext === ".png") {
    content = Buffer.from((await render(fig.toJSON(), { format: "png", ...fig.size, scale: 2 })).data, "base64");
  } else {
    throw new LeptonError("plot:badSaveExtension", { path: file });
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  return target;
}

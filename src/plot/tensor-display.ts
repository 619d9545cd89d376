/**
 * How a `tf.Tensor` shows itself in a notebook: a bounded text preview (shape, dtype, edge values
 * with ellipses, like NumPy's), an HTML table for scalars, vectors and matrices, and pictures for
 * image-like tensors. Installed on `tf.Tensor.prototype` when the library loads, so the last
 * expression of a cell (or `display(t)`) renders richly without any call from the user.
 *
 * Only the values shown are read: the edges of each long axis are sliced on the backend first, so
 * a [60000, 784] tensor costs a few dozen numbers, never a download of the whole tensor.
 */
import * as tf from "@tensorflow/tfjs";
import { encodePng } from "../data/images/png";
import { t } from "../i18n/index";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import { escapeHtml } from "./html";

/**
 * Text preview, as tfjs's toString: axes longer than 20 show their first and last 3 entries; when
 * that still leaves more than 1000 values, every axis longer than 6 is cut the same way.
 */
const TEXT = { edge: 3, longAxis: 20, fullLimit: 1000 };
/** HTML tables show at most 20 rows and 20 columns. */
const HTML = { edge: 10, longAxis: 20, fullLimit: Infinity };
const TEXT_LINE_WIDTH = 100;
/** Image-like tensors: smaller sides are matrices, larger ones are not read whole. */
const IMAGE_MIN_SIDE = 8;
const IMAGE_MAX_PIXELS = 1024 * 1024;
const IMAGE_MAX_COUNT = 8;
/** At most this many values are downloaded for the pictures of a batch. */
const IMAGE_MAX_VALUES = 4 * 1024 * 1024;

type Value = number | string;

/** The values kept from a tensor: `axes[i]` lists the original indices kept along axis i. */
interface Preview {
  shape: number[];
  axes: number[][];
  values: ArrayLike<Value>;
}

/** Keeps the first and last `edge` entries of the axes that are too long to show whole. */
function readPreview(x: tf.Tensor, limits: { edge: number; longAxis: number; fullLimit: number }): Preview {
  const { edge, longAxis, fullLimit } = limits;
  const kept = x.shape.reduce((p, dim) => p * (dim > longAxis ? 2 * edge : dim), 1);
  const axes = x.shape.map((dim) => {
    const cut = dim > longAxis || (kept > fullLimit && dim > 2 * edge);
    if (!cut) return Array.from({ length: dim }, (_, i) => i);
    return [...Array.from({ length: edge }, (_, i) => i), ...Array.from({ length: edge }, (_, i) => dim - edge + i)];
  });
  const cut = x.shape.map((dim, axis) => axes[axis].length < dim);
  if (!cut.some(Boolean)) return { shape: x.shape, axes, values: x.dataSync() as ArrayLike<Value> };
  // The longest axes go first so every slice is smaller than the tensor it is taken from.
  const order = x.shape.map((dim, axis) => ({ dim, axis })).filter((a) => cut[a.axis]).sort((a, b) => b.dim - a.dim);
  const small = tf.tidy(() => {
    let y: tf.Tensor = x;
    for (const { dim, axis } of order) {
      const begin = y.shape.map(() => 0);
      const size = y.shape.slice();
      size[axis] = edge;
      const tail = begin.slice();
      tail[axis] = dim - edge;
      y = tf.concat([tf.slice(y, begin, size), tf.slice(y, tail, size)], axis);
    }
    return y;
  });
  try {
    return { shape: x.shape, axes, values: small.dataSync() as ArrayLike<Value> };
  } finally {
    small.dispose();
  }
}

/** A formatter shared by every value of one preview, so columns line up. */
function formatterFor(dtype: tf.DataType, values: ArrayLike<Value>): (v: Value) => string {
  if (dtype === "string") return (v) => JSON.stringify(String(v));
  if (dtype === "bool") return (v) => (v ? "true" : "false");
  if (dtype === "int32") return (v) => String(v);
  let integral = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) integral = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  const special = (v: number) => (Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
  if (integral && maxAbs < 1e6) return (v) => (Number.isFinite(v as number) ? String(v) : special(v as number));
  const exponential = maxAbs >= 1e6 || minAbs < 1e-4;
  return (v) => {
    const n = v as number;
    if (!Number.isFinite(n)) return special(n);
    return exponential ? n.toExponential(3) : n.toFixed(4);
  };
}

/** Formats every kept value, right-aligned to the widest. */
function formatAll(dtype: tf.DataType, values: ArrayLike<Value>): string[] {
  const fmt = formatterFor(dtype, values);
  const out = Array.from({ length: values.length }, (_, i) => fmt(values[i]));
  const width = out.reduce((w, s) => Math.max(w, s.length), 0);
  return out.map((s) => s.padStart(width));
}

/** Positions after which a gap (skipped entries) lies. */
function gapsOf(indices: number[]): Set<number> {
  const gaps = new Set<number>();
  for (let i = 0; i + 1 < indices.length; i++) if (indices[i + 1] - indices[i] > 1) gaps.add(i);
  return gaps;
}

/** NumPy-style nested brackets with "..." where entries were skipped. */
function nestedText(preview: Preview, cells: string[]): string {
  const { axes } = preview;
  const rank = axes.length;
  if (rank === 0) return cells[0];
  const strides = axes.map((_, d) => axes.slice(d + 1).reduce((p, a) => p * a.length, 1));
  const render = (d: number, offset: number): string => {
    const indent = " ".repeat(d + 1);
    const gaps = gapsOf(axes[d]);
    if (d === rank - 1) {
      const items: string[] = [];
      axes[d].forEach((_, i) => {
        items.push(cells[offset + i]);
        if (gaps.has(i)) items.push("...");
      });
      // Long rows wrap, continuing under the first value.
      const lines: string[] = [];
      let line = "";
      for (const item of items) {
        const next = line ? `${line}, ${item}` : item;
        if (line && next.length + d + 2 > TEXT_LINE_WIDTH) {
          lines.push(`${line},`);
          line = item;
        } else line = next;
      }
      lines.push(line);
      return `[${lines.join(`\n${indent}`)}]`;
    }
    const separator = `,${"\n".repeat(Math.max(1, rank - d - 1))}${indent}`;
    const parts: string[] = [];
    axes[d].forEach((_, i) => {
      parts.push(render(d + 1, offset + i * strides[d]));
      if (gaps.has(i)) parts.push("...");
    });
    return `[${parts.join(separator)}]`;
  };
  return render(0, 0);
}

function heading(x: tf.Tensor): string {
  return t("plot:tensorHeading", { dtype: x.dtype, shape: x.shape.join(", ") });
}

/** Cell style for values: monospace, numbers right-aligned. */
const TD = 'style="text-align:right;font-family:monospace"';
const TH = 'style="text-align:right;color:#888;font-weight:normal"';

/** A table for rank 0, 1 or 2, with "…" columns and "⋮" rows where entries were skipped. */
function tableHTML(x: tf.Tensor, preview: Preview, cells: string[]): string {
  const caption = `<caption style="text-align:left">${escapeHtml(heading(x))}</caption>`;
  const td = (s: string) => `<td ${TD}>${escapeHtml(s.trim())}</td>`;
  if (preview.axes.length === 0) return `<table class="lepton-tensor">${caption}<tbody><tr>${td(cells[0])}</tr></tbody></table>`;
  const cols = preview.axes[preview.axes.length - 1];
  const colGaps = gapsOf(cols);
  const header = (rowHeader: boolean) => {
    const ths = cols.map((c, i) => `<th ${TH}>${c}</th>${colGaps.has(i) ? `<th ${TH}>…</th>` : ""}`).join("");
    return `<thead><tr>${rowHeader ? "<th></th>" : ""}${ths}</tr></thead>`;
  };
  const row = (offset: number) => cols.map((_, i) => `${td(cells[offset + i])}${colGaps.has(i) ? `<td ${TD}>…</td>` : ""}`).join("");
  if (preview.axes.length === 1) {
    return `<table class="lepton-tensor">${caption}${header(false)}<tbody><tr>${row(0)}</tr></tbody></table>`;
  }
  const rows = preview.axes[0];
  const rowGaps = gapsOf(rows);
  const width = cols.length + colGaps.size;
  const body = rows.map((r, i) => {
    const tr = `<tr><th ${TH}>${r}</th>${row(i * cols.length)}</tr>`;
    const gap = rowGaps.has(i) ? `<tr><th ${TH}>⋮</th>${`<td ${TD}>⋮</td>`.repeat(width)}</tr>` : "";
    return tr + gap;
  }).join("");
  return `<table class="lepton-tensor">${caption}${header(true)}<tbody>${body}</tbody></table>`;
}

/** The layout of an image-like tensor: [h, w], [h, w, 1|3] or [n, h, w, 1|3]. */
function imageLayout(x: tf.Tensor): { count: number; height: number; width: number; channels: 1 | 3 } | undefined {
  if (x.dtype !== "float32" && x.dtype !== "int32") return undefined;
  const s = x.shape;
  let layout: { count: number; height: number; width: number; channels: 1 | 3 } | undefined;
  if (s.length === 2) layout = { count: 1, height: s[0], width: s[1], channels: 1 };
  else if (s.length === 3 && (s[2] === 1 || s[2] === 3)) layout = { count: 1, height: s[0], width: s[1], channels: s[2] };
  else if (s.length === 4 && s[0] > 0 && (s[3] === 1 || s[3] === 3)) layout = { count: s[0], height: s[1], width: s[2], channels: s[3] };
  if (!layout) return undefined;
  if (Math.min(layout.height, layout.width) < IMAGE_MIN_SIDE || layout.height * layout.width > IMAGE_MAX_PIXELS) return undefined;
  return layout;
}

/** PNG pictures of an image-like tensor (the first few of a batch), or "" when it is not one. */
function imagesHTML(x: tf.Tensor): string {
  const layout = imageLayout(x);
  if (!layout) return "";
  // Only the range is read to decide: two scalars, whatever the tensor's size.
  const [lo, hi] = tf.tidy(() => [x.min(), x.max()]).map((m) => {
    const v = m.dataSync()[0];
    m.dispose();
    return v;
  });
  // A little slack above 1: float32 arithmetic (linspace(0, 1), normalising) ends at 1.000001.
  const unit = x.dtype === "float32" && lo >= 0 && hi <= 1.001;
  const bytes = x.dtype === "int32" && lo >= 0 && hi <= 255;
  if (!unit && !bytes) return "";
  const { height, width, channels } = layout;
  const pixels = height * width * channels;
  const shown = Math.max(1, Math.min(layout.count, IMAGE_MAX_COUNT, Math.floor(IMAGE_MAX_VALUES / pixels)));
  const first = tf.tidy(() => (x.rank === 4 ? tf.slice(x, [0, 0, 0, 0], [shown, height, width, channels]) : x.clone()));
  let data: ArrayLike<number>;
  try {
    data = first.dataSync() as ArrayLike<number>;
  } finally {
    first.dispose();
  }
  // Small images (MNIST's 28x28) are scaled up with sharp pixels so they can be seen.
  const scale = Math.max(1, Math.min(4, Math.floor(128 / Math.max(height, width))));
  const imgs: string[] = [];
  for (let k = 0; k < shown; k++) {
    const px = new Uint8Array(pixels);
    for (let i = 0; i < pixels; i++) {
      const v = data[k * pixels + i];
      px[i] = unit ? Math.min(255, Math.round(v * 255)) : v;
    }
    const png = encodePng({ width, height, channels, data: px }).toString("base64");
    const alt = escapeHtml(t("plot:tensorImageAlt", { index: k }));
    imgs.push(`<img alt="${alt}" title="${alt}" src="data:image/png;base64,${png}" style="width:${width * scale}px;height:${height * scale}px;image-rendering:pixelated;margin:0 4px 4px 0;border:1px solid #ddd">`);
  }
  const more = layout.count > shown
    ? `<div style="font-size:smaller;color:#666">${escapeHtml(t("plot:tensorImagesShown", { shown, count: layout.count }))}</div>`
    : "";
  return `<div class="lepton-tensor-images">${imgs.join("")}</div>${more}`;
}

/**
 * The MIME bundle of a tensor: `text/plain` (dtype, shape and a bounded preview) and `text/html`
 * (a table for 0-2 dimensions; pictures for image-like tensors). This is what a notebook shows for
 * a tensor; call it yourself to embed a tensor's view elsewhere. Never throws: a disposed tensor
 * shows as "Tensor (disposed)".
 *
 * @example
 * ```ts
 * const x = tf.randomUniform([28, 28]);
 * x;                               // the cell shows a table and the 28x28 picture
 * lepton.plot.tensorBundle(x)["text/plain"]; // "Tensor float32 [28, 28]\n[[0.1234, ...], ...]"
 * ```
 */
export function tensorBundle(x: tf.Tensor): MimeBundle {
  if (x.isDisposed) {
    const text = `${t("plot:tensorDisposed")} ${x.dtype} [${x.shape.join(", ")}]`;
    return { "text/plain": text, "text/html": `<code>${escapeHtml(text)}</code>` };
  }
  const title = heading(x);
  if (x.dtype === "complex64") {
    const note = t("plot:tensorNoPreview", { reason: t("plot:tensorComplex") });
    return { "text/plain": `${title}\n${note}`, "text/html": `<code>${escapeHtml(title)}</code><div>${escapeHtml(note)}</div>` };
  }
  try {
    const text = readPreview(x, TEXT);
    const values = nestedText(text, formatAll(x.dtype, text.values));
    let view: string;
    if (x.rank <= 2) {
      const table = readPreview(x, HTML);
      view = tableHTML(x, table, formatAll(x.dtype, table.values));
    } else {
      view = `<div>${escapeHtml(title)}</div><pre style="margin:0">${escapeHtml(values)}</pre>`;
    }
    // For pictures the values are one click away rather than in the way.
    const images = imagesHTML(x);
    const html = images
      ? `<div>${escapeHtml(title)}</div>${images}<details><summary style="display:list-item;cursor:pointer">${escapeHtml(t("plot:tensorValues"))}</summary>${view}</details>`
      : view;
    return { "text/plain": `${title}\n${values}`, "text/html": html };
  } catch (err) {
    // A display must not turn a working cell into a failing one (a lost backend, an odd dtype).
    const note = t("plot:tensorNoPreview", { reason: err instanceof Error ? err.message : String(err) });
    return { "text/plain": `${title}\n${note}`, "text/html": `<code>${escapeHtml(title)}</code><div>${escapeHtml(note)}</div>` };
  }
}

/** Gives every tensor (and variable) the display method; idempotent. */
function installTensorDisplay(): void {
  Object.defineProperty(tf.Tensor.prototype, DISPLAY, {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function display(this: tf.Tensor): MimeBundle {
      return tensorBundle(this);
    },
  });
}

installTensorDisplay();

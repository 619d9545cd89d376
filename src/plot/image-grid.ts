/**
 * Image grids: samples of a data set, augmentations, top losses, each image with a caption.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { Figure, type Layout, type Trace } from "./figure";
import { encodePNG } from "./png-encode";

export interface ImageGridOptions {
  /**
   * The images: a tensor (or nested array) of shape [n, height, width] or [n, height, width, c]
   * with c = 1, 3 or 4. Values in 0..1 or 0..255 are drawn as they are; any other range is
   * stretched to the full grey/colour range over the whole batch.
   */
  images: tf.Tensor | number[][][] | number[][][][];
  /** One caption per image ("7 / 1 (loss 3.2)"). */
  captions?: string[];
  /** Images per row (default: up to 8). */
  columns?: number;
  /** Size of each image in pixels (default: 3x the image, between 64 and 160). */
  cellSize?: number;
  title?: string;
}

/**
 * A grid of images with captions; every image is one plotly image trace.
 *
 * @example
 * ```ts
 * const { train } = await lepton.datasets.load("mnist");
 * lepton.plot.imageGrid({ images: train.x.slice(0, 16), captions: Array.from(train.labels.slice(0, 16), String), columns: 8 });
 * ```
 */
export function imageGrid(options: ImageGridOptions): Figure {
  const { pixels, n, height, width, channels } = toBytes(options.images);
  const captions = options.captions;
  if (captions && captions.length !== n) throw new LeptonError("plot:captionsLength", { captions: captions.length, images: n });
  const columns = Math.max(1, Math.min(options.columns ?? 8, n));
  const rows = Math.ceil(n / columns);
  // Wide enough that neighbouring captions do not run into each other (11 px text is about
  // 6.5 px a character), unless the caller fixed the size.
  const longest = Math.max(0, ...(captions ?? []).map((s) => [...s].length));
  const cell = options.cellSize ?? Math.min(240, Math.max(64, Math.min(160, Math.max(width, height) * 3), Math.ceil(longest * 6.5) + 8));
  const captionSpace = captions ? 22 : 4;
  const top = options.title ? 40 : 10;
  const figWidth = columns * (cell + 8) + 20;
  const figHeight = rows * (cell + captionSpace) + top + 10;
  const traces: Trace[] = [];
  const layout: Layout = {
    width: figWidth, height: figHeight, showlegend: false,
    margin: { l: 10, r: 10, t: top, b: 10 },
    paper_bgcolor: "white", plot_bgcolor: "white",
  };
  if (options.title) layout.title = { text: options.title };
  const plotH = figHeight - top - 10;
  const size = height * width * channels;
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / columns), c = i % columns;
    const axis = i === 0 ? "" : String(i + 1);
    const png = encodePNG(pixels.subarray(i * size, (i + 1) * size), width, height, channels as 1 | 3 | 4);
    traces.push({
      type: "image", name: captions?.[i] ?? `#${i}`, xaxis: `x${axis}`, yaxis: `y${axis}`,
      source: `data:image/png;base64,${png.toString("base64")}`, hoverinfo: "name",
    });
    const cellTop = 1 - (r * (cell + captionSpace)) / plotH;
    const cellBottom = 1 - (r * (cell + captionSpace) + cell) / plotH;
    const hidden = { showticklabels: false, showgrid: false, zeroline: false, ticks: "" };
    layout[`xaxis${axis}`] = {
      ...hidden, domain: [c / columns + 0.004, (c + 1) / columns - 0.004], anchor: `y${axis}`,
      title: captions ? { text: captions[i], font: { size: 11 }, standoff: 2 } : undefined,
    };
    layout[`yaxis${axis}`] = { ...hidden, domain: [Math.max(0, cellBottom), Math.min(1, cellTop)], anchor: `x${axis}` };
  }
  return new Figure(traces, layout, "imageGrid");
}

/** 8-bit pixels for the whole batch, with the value range mapped to 0..255. */
function toBytes(images: ImageGridOptions["images"]) {
  const tensor = images instanceof tf.Tensor ? images : tf.tensor(images as number[][][]);
  try {
    const shape = tensor.shape;
    const channels = shape.length === 3 ? 1 : (shape[3] ?? 0);
    if ((shape.length !== 3 && shape.length !== 4) || ![1, 3, 4].includes(channels) || shape[0] === 0) {
      throw new LeptonError("plot:imageShape", { shape: shape.join(", ") });
    }
    const values = tensor.dataSync() as ArrayLike<number>;
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      if (values[i] < min) min = values[i];
      if (values[i] > max) max = values[i];
    }
    // A little slack: float32 arithmetic leaves "1" as 1.0000013 and "0" as -1e-8.
    const slack = 1e-3;
    const [offset, factor] = min >= -slack && max <= 1 + slack ? [0, 255]
      : min >= -slack && max <= 255 + slack ? [0, 1]
      : [min, max > min ? 255 / (max - min) : 1];
    const pixels = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) pixels[i] = Math.min(255, Math.max(0, Math.round((values[i] - offset) * factor)));
    return { pixels, n: shape[0], height: shape[1], width: shape[2], channels };
  } finally {
    if (tensor !== images) tensor.dispose();
  }
}

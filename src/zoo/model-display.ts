/**
 * How a tfjs layers model shows itself: as the last expression of a cell, its summary table
 * (layers, output shapes, parameters, FLOPs: `lepton.zoo.summary`); in `console.log` or inside
 * another object, one line. tfjs's own text form is the model's internals, hundreds of lines.
 */
import * as tf from "@tensorflow/tfjs";
import { formatNumber, t } from "../i18n/index";
import { DISPLAY, INSPECT, type MimeBundle } from "../runtime/host";
import { shapeText, summary } from "./summary";

/**
 * One line for a model: class, name, parameters, input and output shapes.
 *
 * @example
 * ```ts
 * lepton.zoo.modelLine(lepton.zoo.lenet5()); // 'Model "lenet5": 61,706 parameters, input [-, 28, 28, 1], output [-, 10]'
 * ```
 */
export function modelLine(model: tf.LayersModel): string {
  const io = (tensors: tf.SymbolicTensor[]) => shapeText(tensors.length === 1 ? tensors[0].shape : tensors.map((x) => x.shape));
  return t("zoo:modelLine", { className: model.getClassName(), name: model.name, params: formatNumber(model.countParams()), input: io(model.inputs), output: io(model.outputs) });
}

function modelBundle(model: tf.LayersModel): MimeBundle {
  try {
    return summary(model)[DISPLAY]();
  } catch (err) {
    // A display must not turn a working cell into a failing one (a disposed or odd model).
    const line = (() => { try { return modelLine(model); } catch { return model.getClassName(); } })();
    return { "text/plain": `${line}\n${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Gives every layers model (Sequential included) the two displays; idempotent. */
function installModelDisplay(): void {
  const method = (value: (this: tf.LayersModel) => unknown) => ({ configurable: true, writable: true, enumerable: false, value });
  Object.defineProperty(tf.LayersModel.prototype, DISPLAY, method(function (this: tf.LayersModel) { return modelBundle(this); }));
  Object.defineProperty(tf.LayersModel.prototype, INSPECT, method(function (this: tf.LayersModel) {
    try { return modelLine(this); } catch { return this.getClassName(); }
  }));
}

installModelDisplay();

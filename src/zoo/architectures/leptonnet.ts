/**
 * LeptonNet: our lightweight CNN for small images. Depthwise-separable blocks with 1x1
 * bottlenecks (1x1 reduce -> depthwise, 5x5 by default -> 1x1 expand, residual), optional weight sharing
 * across the repeated blocks of a stage, batch norm (folded away for inference by
 * `foldBatchNorm`), and a dense head on the flattened last feature map.
 */
import * as tf from "@tensorflow/tfjs";
import { classifierHead, type ClassifierHead } from "./dense";

/** One stage of LeptonNet: a transition (optionally strided) then repeated bottleneck blocks. */
export interface LeptonNetStage {
  /** Channels of the stage. */
  channels: number;
  /** Bottleneck blocks after the transition. */
  blocks: number;
  /** Stride of the transition's depthwise conv (2 halves the resolution). */
  stride?: 1 | 2;
}

/** Options of {@link leptonNet}. */
export interface LeptonNetOptions extends Partial<ClassifierHead> {
  /** Input image shape `[height, width, channels]`. Default `[28, 28, 1]`. */
  inputShape?: [number, number, number];
  /** Classes (default 10). */
  numClasses?: number;
  /** Filters of the stride-2 stem. Default 16. */
  stemFilters?: number;
  /** Kernel size of the stem (3 or 5; 5 sees more of the 28x28 strokes for little work). Default 5. */
  stemKernel?: 3 | 5;
  /** Stages. Default `[{channels: 32, blocks: 2, stride: 2}]` (everything after the stem at 7x7 for MNIST). */
  stages?: LeptonNetStage[];
  /**
   * Kernel size of the blocks' depthwise convolutions (3, 5 or 7; 5 sees most of a 7x7 map for a
   * few more multiply-adds). Default 5: on MNIST with 24 epochs, 99.08% mean over three seeds
   * against 98.98% with 3.
   */
  kernelSize?: 3 | 5 | 7;
  /** Kernel size of each stage's (strided) transition depthwise convolution (3 or 5). Default 3. */
  transitionKernel?: 3 | 5;
  /**
   * How a stage's transition halves the resolution: `"stride"` (its depthwise convolution strided)
   * or `"maxPool"` (the depthwise convolution at full resolution, then 2x2 max pooling before the
   * pointwise one, as LeNet-5 pools: a little shift invariance for a few more multiply-adds).
   * Default "stride": cross-validated on MNIST (10 folds), pooling with 3x3 blocks gave 99.19%
   * against 99.21% for the shipped, strided LeptonNet on the same folds (zoo/weights/README.md, round 12).
   */
  downsample?: "stride" | "maxPool";
  /** Bottleneck width as a fraction of the stage's channels. Default 0.5. */
  bottleneck?: number;
  /** Reuse one block's weights for all repeated blocks of a stage (fewer parameters). Default false. */
  shareWeights?: boolean;
  /**
   * Momentum of the batch-norm moving averages. Default 0.9: with small data sets and few epochs,
   * tfjs's 0.99 leaves the inference statistics far behind the training ones.
   */
  bnMomentum?: number;
  /**
   * How the last feature map reaches the head: `"flatten"` (every position, as LeNet-5 does: keeps
   * where a stroke is) or `"average"` (global average pooling: fewer head parameters, any input
   * size). Default "flatten": on MNIST (12 epochs, no augmentation) 32 flattened channels reached
   * 98.2% against 98.3% for 48 pooled ones, at 40% fewer FLOPs, and on wasm the pooling's Mean
   * kernel alone took a tenth of the inference time.
   */
  pooling?: "average" | "flatten";
  /**
   * Dropout before the head. Default 0.1. The pretrained `leptonnet-mnist` uses 0: trained with
   * label smoothing and rotate/zoom augmentation, that did better on a validation split (98.75%
   * against 98.63%, mean of three seeds; see zoo/weights/README.md).
   */
  dropout?: number;
  /**
   * Units of a hidden dense layer (ReLU) between the flattened features and the classifier, as
   * LeNet-5's fully connected layers; 0 or absent: the classifier reads the features directly.
   */
  headUnits?: number;
}

type Sym = tf.SymbolicTensor;

/**
 * Builds LeptonNet. Layers are named `<block>/<part>` (`stem/conv`, `stage1/transition/dw`,
 * `stage1/block1/reduce`, `flatten`, `head`), so {@link freeze} can take a block name. With
 * `shareWeights: true`, the repeated blocks of a stage are one set of layers applied several
 * times (the block names are then `stageN/shared`).
 *
 * On the bundled MNIST (`npm run zoo:train`, pretrained as `leptonnet-mnist`) it has a third of
 * LeNet-5's parameters (20,074 against 61,706) and predicts in about five sixths of its time;
 * cross-validated over all 10,000 digits the two are equally accurate within about 0.1 points
 * (99.21% against 99.25%; zoo/weights/README.md).
 *
 * @example
 * ```ts
 * const model = lepton.zoo.leptonNet({ numClasses: 10 });
 * const shared = lepton.zoo.leptonNet({ numClasses: 10, shareWeights: true }); // fewer params
 * ```
 */
export function leptonNet(opts: LeptonNetOptions = {}): tf.LayersModel {
  // The default keeps the work at 1/4 resolution: cheaper than LeNet-5 at inference (measured by
  // zoo:train's part speed) with about a third of its parameters, most of them in the head.
  const stages = opts.stages ?? [{ channels: 32, blocks: 2, stride: 2 }];
  const ratio = opts.bottleneck ?? 0.5;
  const momentum = opts.bnMomentum ?? 0.9;
  const input = tf.input({ shape: opts.inputShape ?? [28, 28, 1], name: "input" });
  const on = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;

  let x = on(tf.layers.conv2d({ filters: opts.stemFilters ?? 16, kernelSize: opts.stemKernel ?? 5, strides: 2, padding: "same", useBias: false, name: "stem/conv" }), input);
  x = on(tf.layers.batchNormalization({ name: "stem/bn", momentum }), x);
  x = on(tf.layers.reLU({ name: "stem/relu" }), x);

  stages.forEach((stage, s) => {
    const sn = `stage${s + 1}`;
    // Transition: depthwise (strided) then pointwise to the stage's width.
    const pool = (stage.stride ?? 1) === 2 && opts.downsample === "maxPool";
    x = on(tf.layers.depthwiseConv2d({ kernelSize: opts.transitionKernel ?? 3, strides: pool ? 1 : stage.stride ?? 1, padding: "same", useBias: false, name: `${sn}/transition/dw` }), x);
    if (pool) x = on(tf.layers.maxPooling2d({ poolSize: 2, name: `${sn}/transition/pool` }), x);
    x = on(tf.layers.conv2d({ filters: stage.channels, kernelSize: 1, useBias: false, name: `${sn}/transition/pw` }), x);
    x = on(tf.layers.batchNormalization({ name: `${sn}/transition/bn`, momentum }), x);
    x = on(tf.layers.reLU({ name: `${sn}/transition/relu` }), x);

    const width = Math.max(4, Math.round(stage.channels * ratio));
    const makeBlock = (bn: string) => ({
      reduce: tf.layers.conv2d({ filters: width, kernelSize: 1, activation: "relu", name: `${bn}/reduce` }),
      dw: tf.layers.depthwiseConv2d({ kernelSize: opts.kernelSize ?? 5, padding: "same", useBias: false, name: `${bn}/dw` }),
      expand: tf.layers.conv2d({ filters: stage.channels, kernelSize: 1, useBias: false, name: `${bn}/expand` }),
      norm: tf.layers.batchNormalization({ name: `${bn}/bn`, momentum }),
    });
    const shared = opts.shareWeights ? makeBlock(`${sn}/shared`) : undefined;
    for (let b = 0; b < stage.blocks; b++) {
      const bn = shared ? `${sn}/shared` : `${sn}/block${b + 1}`;
      const layers = shared ?? makeBlock(bn);
      let y = on(layers.reduce, x);
      y = on(layers.dw, y);
      y = on(layers.expand, y);
      y = on(layers.norm, y);
      x = on(tf.layers.add({ name: `${sn}/block${b + 1}/add` }), [x, y]);
      x = on(tf.layers.reLU({ name: `${sn}/block${b + 1}/relu` }), x);
    }
  });
  x = opts.pooling === "average" ? on(tf.layers.globalAveragePooling2d({ name: "pool" }), x) : on(tf.layers.flatten({ name: "flatten" }), x);
  const dropout = opts.dropout ?? 0.1;
  if (dropout > 0) x = on(tf.layers.dropout({ rate: dropout, name: "dropout" }), x);
  if (opts.headUnits) x = on(tf.layers.dense({ units: opts.headUnits, activation: "relu", name: "hidden/dense" }), x);
  const out = classifierHead(x, { numClasses: opts.numClasses ?? 10, binary: opts.binary });
  return tf.model({ inputs: input, outputs: out, name: "leptonnet" });
}

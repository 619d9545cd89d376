/**
 * Fast transposed matmuls on wasm. tfjs-backend-wasm 4.22 sends BatchMatMul / _FusedMatMul with
 * transposeA or transposeB to a naive loop about 10x slower than its XNNPACK path (measured: a
 * 64x784x128 product takes 0.9 ms plain and 11.7 ms with transposeA). Every dense and conv
 * gradient asks for a transposed product, so this wrapper materialises the transpose with wasm's
 * Transpose kernel (about 0.03-0.2 ms at these sizes) and calls the original kernel untransposed.
 */
import * as tf from "@tensorflow/tfjs";

type KernelArgs = Parameters<tf.KernelFunc>[0];

function swapLastTwo(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

/** Wraps a matmul kernel so that it never runs with transposeA / transposeB set. */
export function withoutTransposes(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!attrs?.transposeA && !attrs?.transposeB) return original.kernelFunc(args);
    const a = args.inputs.a as tf.Tensor;
    const b = args.inputs.b as tf.Tensor;
    const temps: tf.Tensor[] = [];
    const at = attrs.transposeA ? temps[temps.push(swapLastTwo(a)) - 1] : a;
    const bt = attrs.transposeB ? temps[temps.push(swapLastTwo(b)) - 1] : b;
    try {
      return original.kernelFunc({
        ...args,
        inputs: { ...args.inputs, a: at, b: bt },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      tf.dispose(temps);
    }
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}

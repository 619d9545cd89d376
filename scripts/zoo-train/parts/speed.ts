/** Part `speed`: the shipped pair timed in their inference form, and where the time goes. */
import * as tf from "@tensorflow/tfjs";
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { log } from "../command-line";
import { accuracy, inferenceMs, kernelProfile } from "../measure";
import { CHOSEN, LENET5_BEST, MNIST_RECIPE, describeRecipe } from "../mnist-recipes";
import { readResults, recordResult } from "../results-file";
import { SEED } from "../shipped-seed";

/**
 * LeptonNet vs LeNet-5: the shipped models in their inference form (`foldBatchNorm`: batch norms
 * folded into the convolutions; LeNet-5 has none), timed alternately in one process (median of 15
 * rounds of predicting the 2,000 test images, batch 256) so that load from other processes hits
 * both alike. LeptonNet as loaded (batch norm unfolded) is timed in the same rounds, and each
 * form's kernels are profiled, to show where the time goes.
 */
export async function speed(): Promise<void> {
  const ds = await loadDataset("mnist", { seed: SEED });
  const asLoaded = await zoo.load("leptonnet-mnist");
  const models: Record<string, tf.LayersModel> = {
    leptonnet: await zoo.foldBatchNorm(asLoaded), lenet5: await zoo.foldBatchNorm(await zoo.load("lenet5-mnist")), leptonnetUnfolded: asLoaded,
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(models).map((k) => [k, []]));
  for (const m of Object.values(models)) inferenceMs(m, ds.test.x, 1);
  for (let round = 0; round < 15; round++) {
    for (const [name, m] of Object.entries(models)) times[name].push(inferenceMs(m, ds.test.x, 1));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const summary: Record<string, Record<string, unknown> & { accuracy: number; params: number; inferenceMs2000: number }> = {};
  for (const [name, m] of Object.entries(models)) {
    summary[name] = {
      accuracy: accuracy(m, ds.test.x, ds.test.y), params: m.countParams(), flopsPerExample: zoo.summary(m).totalFlops,
      inferenceMs2000: median(times[name]), roundsMs: times[name].map((v) => Number(v.toFixed(1))), profile256: await kernelProfile(m, ds.test.x),
    };
  }
  const p = summary.leptonnet;
  const l = summary.lenet5;
  const shippedParams = asLoaded.countParams();
  log(`LeptonNet ${p.inferenceMs2000.toFixed(0)} ms (unfolded ${summary.leptonnetUnfolded.inferenceMs2000.toFixed(0)} ms) vs LeNet-5 ${l.inferenceMs2000.toFixed(0)} ms for 2,000 images; params ${shippedParams} vs ${l.params}; accuracy ${(p.accuracy * 100).toFixed(2)}% vs ${(l.accuracy * 100).toFixed(2)}%`);
  const faster = times.leptonnet.filter((v, i) => v < times.lenet5[i]).length;
  const recorded = readResults();
  const lenetOwnBest = recorded["lenet5-mnist-own-best-recipe"] as { accuracy: number; recipe: string } | undefined;
  const selection = recorded["mnist-selection"] as { means?: Record<string, { final: number }> } | undefined;
  const validation = (key: string) => selection?.means?.[key]?.final;
  recordResult("leptonnet-vs-lenet5", {
    fewerParams: shippedParams < l.params, fasterInference: p.inferenceMs2000 < l.inferenceMs2000, atLeastAsAccurate: p.accuracy >= l.accuracy,
    ...(lenetOwnBest ? { atLeastAsAccurateAsLenet5OwnBestRecipe: p.accuracy >= lenetOwnBest.accuracy, lenet5OwnBestRecipe: lenetOwnBest } : {}),
    validation: {
      note: "mean accuracy on the 1,600 validation images (6,400 / 1,600 split of the training images), seeds 1-3 and 7-9; part select",
      leptonnet: [validation(`${CHOSEN}/leptonnet/seeds1-3`), validation(`${CHOSEN}/leptonnet/seeds7-9`)],
      lenet5: [validation(`${CHOSEN}/lenet5/seeds1-3`), validation(`${CHOSEN}/lenet5/seeds7-9`)],
      lenet5OwnBestRecipe: [validation(`${LENET5_BEST}/lenet5/seeds1-3`), validation(`${LENET5_BEST}/lenet5/seeds7-9`)],
    },
    leptonnetFasterInRounds: `${faster} of ${times.leptonnet.length}`,
    leptonnet: { ...p, paramsAsShipped: shippedParams }, lenet5: l, leptonnetUnfolded: summary.leptonnetUnfolded,
    timing: "inference forms (lepton.zoo.foldBatchNorm), median of 15 alternating rounds, predict() on the 2,000 test images, batch 256, after a warm-up",
    recipe: `both trained alike, ${CHOSEN}: ${describeRecipe(MNIST_RECIPE)}`,
  });
}

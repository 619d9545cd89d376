/** Part `mnist`: LeNet-5 and LeptonNet trained alike on the 8,000 training digits and shipped, with their test results. */
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { splitFingerprint } from "../../../src/zoo/split-fingerprint";
import { log } from "../command-line";
import { accuracy, inferenceMs } from "../measure";
import { CANDIDATES, CHOSEN, LENET5_BEST, LEPTONNET_OPTIONS, MNIST_RECIPE, describeRecipe, trainMnist } from "../mnist-recipes";
import { recordResult, savePretrained } from "../results-file";
import { SEED } from "../shipped-seed";

export async function mnist(): Promise<void> {
  const ds = await loadDataset("mnist", { seed: SEED });
  log(`mnist: ${ds.train.length} train / ${ds.test.length} test; recipe ${CHOSEN} for both: ${describeRecipe(MNIST_RECIPE)}`);
  const plans = [
    { name: "lenet5-mnist", model: "lenet5" as const, arch: "lenet5", options: {}, target: 0.97 },
    { name: "leptonnet-mnist", model: "leptonnet" as const, arch: "leptonNet", options: LEPTONNET_OPTIONS, target: 0.975 },
  ];
  const { epochs, batchSize, augment, labelSmoothing } = MNIST_RECIPE;
  for (const plan of plans) {
    const t0 = Date.now();
    // The test images are not looked at until the model is trained.
    const model = await trainMnist(plan.model, MNIST_RECIPE, ds.train, SEED);
    const seconds = (Date.now() - t0) / 1000;
    // Batch-norm statistics measured on the clean training images (training saw augmented batches).
    const accTrained = accuracy(model, ds.test.x, ds.test.y);
    const calibrated = zoo.calibrateBatchNorm(model, ds.train.x);
    const acc = accuracy(model, ds.test.x, ds.test.y);
    // The form that is timed: batch norms folded into the convolutions (LeNet-5 has none to fold).
    // What ships is the trained form (with batch norm, for fine-tuning); lepton.save({inferenceOnly}) and foldBatchNorm give this one.
    const inference = await zoo.foldBatchNorm(model);
    const ms = inferenceMs(inference, ds.test.x);
    const flops = zoo.summary(inference).totalFlops;
    log(`${plan.name}: test accuracy ${(acc * 100).toFixed(2)}% (before calibration ${(accTrained * 100).toFixed(2)}%, folded ${(accuracy(inference, ds.test.x, ds.test.y) * 100).toFixed(2)}%), ${model.countParams()} params (${inference.countParams()} folded), ${flops} FLOPs/example, predict 2000 in ${ms.toFixed(0)} ms (folded), trained in ${seconds.toFixed(0)} s`);
    await savePretrained(model, {
      name: plan.name, architecture: plan.arch, options: plan.options as Record<string, unknown>, dataset: "mnist", split: "bundled 10,000: 8,000 train / 2,000 test, stratified, seed 42",
      metrics: { accuracy: acc, testSamples: ds.test.length, inferenceMs2000: ms, flopsPerExample: flops }, params: model.countParams(), labels: ds.classes,
      testSplitFingerprint: splitFingerprint(ds.test.labels, ds.test.features),
      training: {
        seed: SEED, recipe: CHOSEN, epochs, batchSize, schedule: `oneCycle maxLr ${MNIST_RECIPE.maxLr[plan.model]}`, optimizer: "adam", augment,
        ...(labelSmoothing ? { labelSmoothing } : {}), ...(MNIST_RECIPE.ema ? { ema: MNIST_RECIPE.ema } : {}), seconds,
        ...(calibrated.length > 0 ? {
          batchNorm: "statistics measured on the 8,000 clean training images (lepton.zoo.calibrateBatchNorm); inferenceMs2000 is the folded form's (lepton.zoo.foldBatchNorm)",
          accuracyWithTrainingStatistics: accTrained, paramsFolded: inference.countParams(),
        } : {}),
      },
    });
    recordResult(plan.name, { accuracy: acc, target: plan.target, met: acc >= plan.target, params: model.countParams(), flopsPerExample: flops, inferenceMs2000: ms, recipe: CHOSEN });
  }
  // LeNet-5 under its own best validation recipe, measured once on the test set (not shipped).
  const other = await trainMnist("lenet5", CANDIDATES[LENET5_BEST], ds.train, SEED);
  const accOther = accuracy(other, ds.test.x, ds.test.y);
  log(`lenet5 with recipe ${LENET5_BEST} (its best on validation): test accuracy ${(accOther * 100).toFixed(2)}% (not shipped)`);
  recordResult("lenet5-mnist-own-best-recipe", { accuracy: accOther, recipe: LENET5_BEST, description: describeRecipe(CANDIDATES[LENET5_BEST]), shipped: false, seed: SEED });
  other.dispose();
}

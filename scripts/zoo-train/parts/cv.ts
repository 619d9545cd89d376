/** Part `cv`: the two architectures (or a candidate recipe) compared by cross-validation over all 10,000 digits. */
import * as tf from "@tensorflow/tfjs";
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { stratifiedKFold } from "../../../src/data/splits";
import { ClassifierComparison, compareClassifiers } from "../../../src/evaluate/compare";
import { log, option, optionList } from "../command-line";
import { CANDIDATES, CHOSEN, LEPTONNET_BASE, LEPTONNET_OPTIONS, MNIST_RECIPE, describeRecipe, teacherCache, trainMnist } from "../mnist-recipes";
import { readResults, recordResult, withResultsLock } from "../results-file";
import { SEED } from "../shipped-seed";
import { meanAndStandardError } from "../statistics";

/**
 * Cross-validated comparison of the two architectures on all 10,000 bundled digits, so that every
 * digit is a test image once (five times the test images of the fixed split): stratified 5-fold
 * (split seed 42), both models trained with the shipped recipe on each fold's 8,000 images (the
 * size of the shipped training set) from training seed `s`, batch norm calibrated on those clean
 * images, and measured on the fold's 2,000. Each fold's 2x2 table of right/wrong counts pools into
 * one McNemar test over 10,000 images per seed. `--seeds 4,5` and `--folds 0,1` split the work
 * between processes; runs accumulate in results.json's `leptonnet-vs-lenet5-cv`. With
 * `--candidate NAME` only LeptonNet is trained, with that `select` candidate, and compared fold by
 * fold with the shipped recipe's runs of both models (`leptonnet-cv-candidates`).
 */
export async function cv(): Promise<void> {
  // --summarise: no training, the record's summary recomputed from the runs it holds.
  if (process.argv.includes("--summarise")) return recordCv();
  const runSeeds = (optionList("--seeds") ?? ["4"]).map(Number);
  const runFolds = (optionList("--folds") ?? ["0", "1", "2", "3", "4"]).map(Number);
  // --candidate NAME: LeptonNet alone, trained with that select candidate, against the runs above;
  // with --both, LeNet-5 too (a change of recipe that concerns both models).
  const candidate = option("--candidate");
  const both = !candidate || process.argv.includes("--both");
  if (candidate && !CANDIDATES[candidate]) throw new Error(`unknown candidate ${candidate}: ${Object.keys(CANDIDATES).join(", ")}`);
  const ds = await loadDataset("mnist", { seed: SEED });
  const x = tf.concat([ds.train.x, ds.test.x]);
  const labels = Int32Array.from([...ds.train.labels, ...ds.test.labels]);
  const y = tf.tensor1d(labels, "int32");
  const folds = stratifiedKFold(labels, CV_FOLDS, { seed: SEED });
  const pick = (idx: Int32Array) => tf.tidy(() => { const i = tf.tensor1d(idx, "int32"); return { x: tf.gather(x, i), y: tf.gather(y, i) }; });
  for (const s of runSeeds) {
    for (const f of runFolds) {
      const { train, val } = folds[f];
      const tr = pick(train);
      const te = pick(val);
      const pred: Record<string, Int32Array> = {};
      const teachers = teacherCache(tr, s);
      for (const m of both ? ["lenet5", "leptonnet"] as const : ["leptonnet" as const]) {
        const model = await trainMnist(m, candidate ? CANDIDATES[candidate] : MNIST_RECIPE, tr, s, [], teachers.get);
        zoo.calibrateBatchNorm(model, tr.x);
        pred[m] = tf.tidy(() => (model.predict(te.x, { batchSize: 256 }) as tf.Tensor).argMax(-1).dataSync() as Int32Array);
        model.dispose();
      }
      teachers.dispose();
      tf.dispose([tr.x, tr.y, te.x, te.y]);
      const truth = Array.from(val, (i) => labels[i]);
      const r = both ? compareClassifiers(truth, pred.leptonnet, pred.lenet5, { names: ["LeptonNet", "LeNet-5"] }) : undefined;
      const run = r && { seed: s, fold: f, testSamples: val.length, leptonnet: r.accuracy[0], lenet5: r.accuracy[1], counts: r.counts };
      const label = `cv${candidate ? ` candidate ${candidate}` : ""} seed ${s} fold ${f}`;
      if (run) log(`${label}: LeptonNet ${(run.leptonnet * 100).toFixed(2)}%, LeNet-5 ${(run.lenet5 * 100).toFixed(2)}% (${JSON.stringify(run.counts)})`);
      if (!candidate) recordCv(`${s}/${f}`, run!);
      else {
        const acc = run?.leptonnet ?? pred.leptonnet.reduce((a, p, i) => a + (p === truth[i] ? 1 : 0), 0) / val.length;
        if (!run) log(`${label}: LeptonNet ${(acc * 100).toFixed(2)}%`);
        recordCvCandidate(candidate, `${s}/${f}`, run ?? acc);
      }
    }
  }
  tf.dispose([x, y]);
}

const CV_FOLDS = 5;

type CvRun = { seed: number; fold: number; testSamples: number; leptonnet: number; lenet5: number; counts: { bothRight: number; onlyFirst: number; onlySecond: number; bothWrong: number } };

/** Merges one fold's run into results.json's cross-validated comparison and recomputes its summary. */
function recordCv(key?: string, run?: CvRun): void {
  // Read and written under one lock: another process may be merging its runs at the same time.
  withResultsLock(() => {
    // LeptonNet's options are part of what is compared (describeRecipe holds only the training recipe).
    const recipe = `both trained alike, ${CHOSEN}: ${describeRecipe(MNIST_RECIPE)}; LeptonNet ${JSON.stringify(LEPTONNET_OPTIONS)}; stratified ${CV_FOLDS}-fold over the 10,000 bundled digits, split seed ${SEED}`;
    const recorded = readResults()["leptonnet-vs-lenet5-cv"];
    const runs: Record<string, CvRun> = { ...(recorded?.recipe === recipe ? recorded.runs : {}), ...(key && run ? { [key]: run } : {}) };
    const summary = { recipe, folds: CV_FOLDS, runs, ...cvComparison(runs) };
    if (summary.overSeeds) log(`cv over seeds ${summary.overSeeds.seeds.join(", ")}: LeptonNet ${(summary.overSeeds.leptonnet * 100).toFixed(3)}% vs LeNet-5 ${(summary.overSeeds.lenet5 * 100).toFixed(3)}% (McNemar over all runs p = ${summary.overSeeds.allRuns.mcnemarP.toPrecision(3)})`);
    recordResult("leptonnet-vs-lenet5-cv", summary);
  });
}

/**
 * LeptonNet against LeNet-5 over cross-validation runs: each seed whose folds are all in (every
 * digit a test image once) pooled into one McNemar test, then the seeds together.
 */
function cvComparison(runs: Record<string, CvRun>) {
  const add = (a: CvRun["counts"], b: CvRun["counts"]) => ({ bothRight: a.bothRight + b.bothRight, onlyFirst: a.onlyFirst + b.onlyFirst, onlySecond: a.onlySecond + b.onlySecond, bothWrong: a.bothWrong + b.bothWrong });
  const zero = { bothRight: 0, onlyFirst: 0, onlySecond: 0, bothWrong: 0 };
  const pooled = (c: CvRun["counts"]) => {
    const r = new ClassifierComparison(["LeptonNet", "LeNet-5"], c, 0.05);
    return { counts: c, images: r.n, leptonnet: r.accuracy[0], lenet5: r.accuracy[1], difference: r.difference, interval95: r.interval95, mcnemarP: r.pValue };
  };
  const bySeed: Record<string, ReturnType<typeof pooled>> = {};
  for (const s of new Set(Object.values(runs).map((r) => r.seed))) {
    const rs = Object.values(runs).filter((r) => r.seed === s);
    if (rs.length === CV_FOLDS) bySeed[s] = pooled(rs.map((r) => r.counts).reduce(add, zero));
  }
  const complete = Object.values(bySeed);
  const mean = (v: number[]) => meanAndStandardError(v).mean;
  return {
    bySeed,
    overSeeds: complete.length === 0 ? undefined : {
      seeds: Object.keys(bySeed).map(Number),
      leptonnet: mean(complete.map((c) => c.leptonnet)), lenet5: mean(complete.map((c) => c.lenet5)),
      pairedDifference: meanAndStandardError(complete.map((c) => c.difference)),
      // All seeds' folds together: each digit judged once per seed by each model.
      allRuns: pooled(complete.map((c) => c.counts).reduce(add, zero)),
      atLeastAsAccurate: mean(complete.map((c) => c.leptonnet)) >= mean(complete.map((c) => c.lenet5)),
    },
  };
}

/**
 * Records one fold of a candidate (LeptonNet's accuracy, or with --both the run of both models) and
 * the paired differences with the shipped recipe's runs of the same seed and fold.
 */
function recordCvCandidate(name: string, key: string, result: number | CvRun): void {
  // Read and written under one lock: another process may be merging its runs at the same time.
  withResultsLock(() => {
    const all = readResults();
    const base = all["leptonnet-vs-lenet5-cv"]?.runs as Record<string, CvRun> | undefined;
    const recipe = `${describeRecipe(CANDIDATES[name])}; LeptonNet ${JSON.stringify({ ...LEPTONNET_BASE, ...CANDIDATES[name].leptonnet })}`;
    const previous = all["leptonnet-cv-candidates"] ?? {};
    const runs: Record<string, number | CvRun> = { ...(previous[name]?.recipe === recipe ? previous[name].runs : {}), [key]: result };
    const leptonnet = (v: number | CvRun) => (typeof v === "number" ? v : v.leptonnet);
    const paired = (mine: (v: number | CvRun) => number, of: (r: CvRun) => number) => {
      const d = Object.entries(runs).filter(([k]) => base?.[k]).map(([k, v]) => mine(v) - of(base![k]));
      return { runs: d.length, ...meanAndStandardError(d) };
    };
    // Candidates of both models: each against its own shipped-recipe runs, and the two compared.
    const withBoth = Object.fromEntries(Object.entries(runs).filter((e): e is [string, CvRun] => typeof e[1] !== "number"));
    const bothEntry = Object.keys(withBoth).length === 0 ? {} : {
      lenet5VsShippedLenet5: paired((v) => (v as CvRun).lenet5, (r) => r.lenet5),
      leptonnetVsLenet5: cvComparison(withBoth),
    };
    const entry = { recipe, runs, vsShippedLeptonNet: paired(leptonnet, (r) => r.leptonnet), vsLenet5: paired(leptonnet, (r) => r.lenet5), ...bothEntry };
    log(`cv candidate ${name} over ${entry.vsLenet5.runs} folds: ${(entry.vsShippedLeptonNet.mean * 100).toFixed(3)} points against the shipped LeptonNet, ${(entry.vsLenet5.mean * 100).toFixed(3)} against LeNet-5` +
      (bothEntry.lenet5VsShippedLenet5 ? `; its LeNet-5 ${(bothEntry.lenet5VsShippedLenet5.mean * 100).toFixed(3)} points against the shipped LeNet-5` : ""));
    recordResult("leptonnet-cv-candidates", { ...previous, [name]: entry });
  });
}

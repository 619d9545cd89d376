/**
 * Knowledge distillation for `lepton.fit`: a student classifier trained against a mix of its labels
 * and the probabilities of one or more trained teachers on the same (augmented) batch.
 *
 * The form is the soft-target one: cross-entropy against
 * `(1 - alpha) * labels + alpha * mean over teachers of softmax(teacherLogits / temperature)`,
 * with the student at temperature 1. Its gradient on the student's logits is `p - target`, so the
 * fused softmax cross-entropy of the training step still applies and the data-parallel step takes
 * it unchanged. (Hinton et al. soften the student too and scale by T²; with the student at 1 it
 * learns the teacher's logits divided by T, which leaves its argmax, the prediction, alone.)
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { outputActivation, type LabelKind } from "./losses";
import { checkModelUsable } from "./check-input";

/** Options of fit's `distill`. */
export interface DistillOptions {
  /**
   * The trained teacher, or several (their softened probabilities are averaged: an ensemble
   * teacher). Each takes the student's input and ends in a softmax over the same classes. Teachers
   * run in inference mode and are not changed.
   */
  teacher: tf.LayersModel | tf.LayersModel[];
  /** Weight of the teachers' probabilities in the targets, in [0, 1]. Default 0.5. */
  alpha?: number;
  /**
   * Temperature applied to the teachers' logits (above 1 spreads their probability over the
   * classes they find similar, which is what the student learns from). Default 2.
   */
  temperature?: number;
}

/** What fit records and uses: the checked options. */
export interface Distiller {
  teachers: tf.LayersModel[];
  alpha: number;
  temperature: number;
  /** Soft targets `[batch, classes]` for a batch (`labelSmoothing` applies to the labels' share). */
  targets(x: tf.Tensor, y: tf.Tensor, labelSmoothing: number): tf.Tensor2D;
  /** For the run's config.json. */
  describe(): Record<string, unknown>;
}

const isSoftmax = (m: tf.LayersModel) => outputActivation(m) === "softmax";
const classesOf = (m: tf.LayersModel) => m.outputs[0].shape[m.outputs[0].shape.length - 1] as number;

/**
 * Checks `opts` against the student and its labels and returns the target maker.
 * Throws `train:distillStudentNotSoftmax` / `TeacherNotSoftmax`,
 * `train:distillClasses`, `train:distillInput`, `train:distillBadAlpha` / `BadTemperature` /
 * `NoTeacher` / `Self`, `train:notAModel`, `train:modelDisposed`.
 */
export function makeDistiller(student: tf.LayersModel, kind: LabelKind, opts: DistillOptions): Distiller {
  const teachers = Array.isArray(opts.teacher) ? opts.teacher : [opts.teacher];
  const alpha = opts.alpha ?? 0.5;
  const temperature = opts.temperature ?? 2;
  if (!(typeof alpha === "number" && alpha >= 0 && alpha <= 1)) throw new LeptonError("train:distillBadAlpha", { value: alpha });
  if (!(typeof temperature === "number" && temperature > 0 && Number.isFinite(temperature))) throw new LeptonError("train:distillBadTemperature", { value: temperature });
  if (teachers.length === 0 || teachers.some((m) => m === undefined || m === null)) throw new LeptonError("train:distillNoTeacher", {});
  if ((kind !== "sparse" && kind !== "onehot") || !isSoftmax(student)) throw new LeptonError("train:distillStudentNotSoftmax", { name: student.name });
  const classes = classesOf(student);
  const studentInput = student.inputs[0].shape.slice(1);
  teachers.forEach((teacher, i) => {
    checkModelUsable(teacher);
    if (teacher === student) throw new LeptonError("train:distillSelf", {});
    if (!isSoftmax(teacher)) throw new LeptonError("train:distillTeacherNotSoftmax", { index: i + 1, name: teacher.name });
    if (classesOf(teacher) !== classes) throw new LeptonError("train:distillClasses", { index: i + 1, name: teacher.name, teacher: classesOf(teacher), student: classes });
    const shape = teacher.inputs[0].shape.slice(1);
    const fits = shape.length === studentInput.length && shape.every((d, k) => d === null || studentInput[k] === null || d === studentInput[k]);
    if (!fits) throw new LeptonError("train:distillInput", { index: i + 1, name: teacher.name, teacher: JSON.stringify(shape), student: JSON.stringify(studentInput) });
  });
  return {
    teachers, alpha, temperature,
    targets: (x, y, labelSmoothing) => tf.tidy(() => {
      const hard = kind === "sparse" ? tf.oneHot(tf.cast(tf.reshape(y, [-1]), "int32"), classes).toFloat() : tf.reshape(y, [-1, classes]).toFloat();
      const labels = labelSmoothing > 0 ? tf.add(tf.mul(hard, 1 - labelSmoothing), labelSmoothing / classes) : hard;
      let soft: tf.Tensor | undefined;
      for (const teacher of teachers) {
        const p = teacher.apply(x, { training: false }) as tf.Tensor;
        // softmax(log p / T) equals softmax(logits / T); the floor keeps log finite where p underflowed.
        const q = temperature === 1 ? p : tf.softmax(tf.div(tf.log(tf.maximum(p, 1e-30)), temperature));
        soft = soft ? tf.add(soft, q) : q;
      }
      return tf.add(tf.mul(labels, 1 - alpha), tf.mul(tf.div(soft!, teachers.length), alpha)) as tf.Tensor2D;
    }),
    describe: () => ({ alpha, temperature, teachers: teachers.map((m) => ({ name: m.name, params: m.countParams() })) }),
  };
}

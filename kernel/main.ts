#!/usr/bin/env node
/** Entry point Jupyter starts: `node dist/kernel/main.js <connection_file>`. */
import { t } from "../src/i18n/index";
import { readConnectionFile } from "./protocol/connection";
import { Kernel } from "./kernel";

const file = process.argv[2];
if (!file) {
  process.stderr.write(`${t("kernel:usage")}\n`);
  process.exit(2);
}
new Kernel(readConnectionFile(file)).start().catch((e) => {
  process.stderr.write(`${t("kernel:log", { text: t("kernel:startFailed", { stack: (e as Error).stack }) })}\n`);
  process.exit(1);
});

#!/usr/bin/env node
/** Entry point Jupyter starts: `node dist/kernel/main.js <connection_file>`. */
import { readConnectionFile } from "./protocol/connection";
import { Kernel } from "./kernel";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node dist/kernel/main.js <connection_file>\n");
  process.exit(2);
}
new Kernel(readConnectionFile(file)).start().catch((e) => {
  process.stderr.write(`[lepton] kernel failed to start: ${(e as Error).stack}\n`);
  process.exit(1);
});

/**
 * The message catalogues, one namespace per concern. Each `messages/<ns>.ts` exports `en` and
 * `zh` with the same keys; use them as `t("<ns>:<key>", values)`.
 */
import * as backend from "./backend";
import * as cli from "./cli";
import * as common from "./common";
import * as compress from "./compress";
import * as data from "./data";
import * as deploy from "./deploy";
import * as evaluate from "./evaluate";
import * as kernel from "./kernel";
import * as plot from "./plot";
import * as privacy from "./privacy";
import * as run from "./run";
import * as train from "./train";
import * as zoo from "./zoo";

export const catalogues: Record<string, { en: Record<string, string>; zh: Record<string, string> }> = {
  backend, cli, common, compress, data, deploy, evaluate, kernel, plot, privacy, run, train, zoo,
};

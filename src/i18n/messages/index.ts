/**
 * The message catalogues, one namespace per concern. Add a namespace by creating
 * `messages/<ns>.ts` exporting `en` and `zh` with the same keys, and listing it here.
 */
import * as common from "./common";

export const catalogues: Record<string, { en: Record<string, string>; zh: Record<string, string> }> = {
  common,
};

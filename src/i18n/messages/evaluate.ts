/** Messages of the evaluate concern. Keys in `en` and `zh` must match (a test checks). */
export const en: Record<string, string> = {};

export const zh: Record<keyof typeof en, string> = {};

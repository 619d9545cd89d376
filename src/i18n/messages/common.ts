/** Messages shared by every module. */
export const en = {
  unknownLocale: "Unknown locale \"{{locale}}\": use \"en\" or \"zh-CN\".",
  aborted: "Stopped at a batch boundary because the cell was interrupted; the state so far is kept.",
} as const;

export const zh: Record<keyof typeof en, string> = {
  unknownLocale: "未知的语言设置“{{locale}}”：请使用 \"en\" 或 \"zh-CN\"。",
  aborted: "单元格被中断，已在批次边界停止；目前的状态已保留。",
};

// What the planner shows of the plan library's findings: their Chinese part only. The library
// writes "中文 (English)" and the English half names internal grid and block keys.
import { zhMessage } from '../api/http';

export function reasonsText(list: readonly { message: string }[]): string {
  return list.map((x) => zhMessage(x.message)).join('；');
}

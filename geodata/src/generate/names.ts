// Synthetic personal data: Chinese names from common surnames and given-name characters, and
// 11-digit phone numbers in the 13x/15x/18x ranges. None of it refers to real people.
import type { Rng } from './random.ts';

// Common surnames, roughly by frequency (heavier weight first), plus surnames frequent among the
// Tujia and Miao people of Enshi (向, 田, 谭, 覃, 冉, 龙, 滕, 彭).
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
  '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '万', '钱', '严', '覃', '向', '冉', '滕', '牟', '黄', '向',
  '田', '谭', '张', '李', '王', '刘', '陈', '杨',
];

const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '建', '国', '文', '红', '玉', '兰', '春', '海', '燕', '鹏', '辉', '斌', '波', '宇', '浩', '凯',
  '俊', '峰', '成', '林', '琴', '云', '莉', '梅', '鑫', '婷', '雪', '慧', '晶', '欣', '佳', '瑶', '博', '宏', '志', '德',
  '振', '兴', '荣', '福', '清', '江', '山', '川', '恩', '施', '金', '银', '翠', '凤', '丹', '琳', '思', '雨', '子', '涵',
  '睿', '航', '帆', '昊', '晨', '轩', '悦', '萱', '怡', '璐', '家', '永', '贵', '生', '忠', '发', '元', '光', '长', '远',
];

export function personName(rng: Rng): string {
  const surname = rng.pick(SURNAMES);
  const given = rng.next() < 0.72 ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return surname + given;
}

const PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '180', '181', '182', '183', '186', '187', '188', '189'];

/** Returns a phone number not in `used` (and records it there). */
export function phoneNumber(rng: Rng, used: Set<string>): string {
  for (;;) {
    let s = rng.pick(PREFIXES);
    for (let k = 0; k < 8; k++) s += String(rng.int(0, 9));
    if (!used.has(s)) {
      used.add(s);
      return s;
    }
  }
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1..99 as Chinese numerals (一, 十二, 二十三 ...). */
export function chineseNumber(n: number): string {
  if (n <= 10) return CN_DIGITS[n];
  if (n < 20) return '十' + CN_DIGITS[n - 10];
  const t = Math.floor(n / 10);
  const u = n % 10;
  return CN_DIGITS[t] + '十' + (u ? CN_DIGITS[u] : '');
}

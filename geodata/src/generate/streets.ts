// Street names for synthetic building addresses. Real street names of urban Enshi are used as
// plausible address stems; numbers, units and rooms are invented.
import type { Rng } from './random.ts';

const BY_SUBDISTRICT: Record<string, string[]> = {
  '422801001': ['舞阳大街', '施州大道', '清江东路', '东风大道', '土桥大道', '桂花园路', '学院路', '五峰山路', '三孔桥路', '栖凤路'],
  '422801002': ['解放路', '胜利街', '城乡街', '民族路', '书院路', '六角亭路', '西湖路', '松树坪路', '清江西路', '小溪沟路'],
  '422801003': ['大桥路', '航空路', '机场路', '民族路', '工农路', '旗峰大道', '大观园路', '施州大道', '清江南路', '龙凤大道'],
  '422801004': ['七里坪路', '核桃坝路', '金桂大道', '施州大道', '清江北路', '沙坝路', '鸭子塘路'],
  '422801005': ['金桂大道', '凤凰路', '金子坝路', '耿家坪路', '红庙路', '恩施站前路', '金龙大道', '金山路', '黄泥坝路', '枫香坪路', '施州大道'],
};
const FALLBACK = ['舞阳大街', '解放路', '胜利街', '航空路', '民族路', '大桥路', '金桂大道', '施州大道'];

/** Streets likely in a community: its own street if the name is one, then those of its subdistrict. */
export function streetsFor(communityName: string, subdistrictCode: string): string[] {
  const pool = BY_SUBDISTRICT[subdistrictCode] ?? FALLBACK;
  const stem = communityName.replace(/社区$/, '');
  const own = /(路|街|大街|大道)$/.test(stem) ? [stem] : pool.filter((s) => s.startsWith(stem));
  return own.length ? [...own, ...pool.filter((s) => !own.includes(s))] : pool;
}

/** Allocates house numbers per street (each building a distinct "<street><n>号"). */
export class HouseNumbers {
  private next = new Map<string, number>();
  building(rng: Rng, streets: string[]): string {
    // the community's own street is twice as likely as each other one
    const weights = streets.map((_, i) => (i === 0 ? 3 : 1));
    const street = streets[rng.weighted(weights)];
    const n = (this.next.get(street) ?? rng.int(1, 6)) + rng.int(1, 3);
    this.next.set(street, n);
    return `${street}${n}号`;
  }
}

// The five urban subdistricts (街道) and their 33 communities (社区), codes and verbatim names as in
// geodata/sources/enshi_urban_communities.csv (NBS 2023). `hint` is where the community's anchor goes
// inside its subdistrict's bounding box (u: west→east, v: south→north, both 0..1); it follows the
// weak location hints of the CSV where there are any and is otherwise arbitrary. `weight` scales how
// far the community grows relative to its neighbours (> 1: larger).

export interface SubdistrictDef {
  code: string;
  name: string;
}

export interface CommunityDef {
  code: string;
  fullName: string;
  subdistrictCode: string;
  hint: [number, number];
  weight: number;
}

export const SUBDISTRICTS: SubdistrictDef[] = [
  { code: '422801001', name: '舞阳坝街道' },
  { code: '422801002', name: '六角亭街道' },
  { code: '422801003', name: '小渡船街道' },
  { code: '422801004', name: '七里坪街道' },
  { code: '422801005', name: '金子坝街道' },
];

const c = (code: string, fullName: string, hint: [number, number], weight = 1): CommunityDef => ({
  code,
  fullName,
  subdistrictCode: code.slice(0, 9),
  hint,
  weight,
});

export const COMMUNITIES: CommunityDef[] = [
  // 舞阳坝: east-bank commercial area across the river from the old town
  c('422801001001', '官坡社区居委会', [0.12, 0.55], 1.25), // commercial centre by the river
  c('422801001002', '舞阳大街社区居委会', [0.3, 0.3], 1.1),
  c('422801001003', '栖凤社区居委会', [0.62, 0.7]),
  c('422801001004', '土桥社区居委会', [0.6, 0.2]),
  c('422801001005', '桂花园社区居委会', [0.9, 0.45]),
  c('422801001008', '窑湾社区居委会', [0.15, 0.05], 0.9),
  c('422801001009', '三孔桥社区居委会', [0.35, 0.92], 0.9), // on 龙洞河
  c('422801001010', '五峰山社区居委会', [0.92, 0.9], 0.85), // hill by 龙洞河
  // 六角亭: old town west of the river (densest)
  c('422801002001', '解放路社区居委会', [0.82, 0.5], 1.05),
  c('422801002002', '胜利街社区居委会', [0.8, 0.12], 1.1),
  c('422801002003', '城乡街社区居委会', [0.45, 0.3]),
  c('422801002004', '书院社区居委会', [0.55, 0.8]),
  c('422801002005', '松树坪社区居委会', [0.1, 0.85], 0.9), // former village, edge
  c('422801002006', '西湖社区居委会', [0.08, 0.35], 0.9),
  // 小渡船: south / south-west, both banks
  c('422801003001', '大桥路社区居委会', [0.55, 0.95], 1.1), // office at 大桥路6号, by the bridge
  c('422801003002', '航空路社区居委会', [0.85, 0.65]),
  c('422801003003', '机场路社区居委会', [0.85, 0.2]),
  c('422801003004', '民族路社区居委会', [0.3, 0.75], 1.0),
  c('422801003005', '大观园社区居委会', [0.45, 0.4]),
  c('422801003006', '旗峰社区居委会', [0.1, 0.25], 0.9),
  c('422801003007', '工农路社区居委会', [0.55, 0.05], 0.9),
  // 七里坪: north
  c('422801004001', '核桃坝社区居委会', [0.25, 0.5]),
  c('422801004002', '七里坪社区居委会', [0.78, 0.5]),
  // 金子坝: north-east (恩施站, 金桂大道 on former 枫香坪 land)
  c('422801005001', '枫香坪社区居委会', [0.02, 0.7]), // on the river bank along old G209
  c('422801005002', '黄泥坝社区居委会', [0.25, 0.1]),
  c('422801005003', '凤凰路社区居委会', [0.1, 0.35], 1.1),
  c('422801005004', '金子坝社区居委会', [0.45, 0.45], 1.1),
  c('422801005005', '耿家坪社区居委会', [0.9, 0.85], 0.9),
  c('422801005006', '红庙社区居委会', [0.6, 0.1]), // former development zone on 龙洞河
  c('422801005007', '金桂社区居委会', [0.3, 0.9]), // 金桂大道 near 恩施站
  c('422801005008', '金龙社区居委会', [0.75, 0.45]),
  c('422801005009', '金马社区居委会', [0.58, 0.8]),
  c('422801005010', '金山社区居委会', [0.97, 0.25], 0.9),
];

/** Short name used as `name`: the verbatim NBS name without 居委会. */
export function shortName(fullName: string): string {
  return fullName.replace(/居委会$/, '');
}

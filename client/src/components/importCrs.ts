// The coordinate systems a person may say an imported file is in (the plan import, the boundaries
// import): the contract's IMPORT_CRS, each in words.
import type { ImportCrs } from '@grid-atlas/contract';

export const CRS_CHOICES: { value: ImportCrs; label: string }[] = [
  { value: 'auto', label: '自动识别（读取文件中的坐标系）' },
  { value: 'EPSG:4326', label: 'WGS84 经纬度（EPSG:4326）' },
  { value: 'EPSG:4490', label: 'CGCS2000 国家2000 经纬度（EPSG:4490）' },
  { value: 'EPSG:4547', label: 'CGCS2000 3度带 中央经线114°E（EPSG:4547）' },
  { value: 'GCJ-02', label: 'GCJ-02 火星坐标（高德、腾讯地图）' },
];

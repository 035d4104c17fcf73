// The coordinate systems a person may say an imported file is in (the plan import, the boundaries
// import): the contract's IMPORT_CRS, each in words (admin.crs). Each label is read when it is
// shown, in the language of the moment, so the list may be imported before the language is set.
import type { ImportCrs } from '@grid-atlas/contract';
import { t } from '../i18n';

const choice = (value: ImportCrs, key: 'auto' | 'wgs84' | 'cgcs2000' | 'cgcs2000Gk' | 'gcj02'): { value: ImportCrs; label: string } => ({
  value,
  get label() {
    return t(`admin.crs.${key}`);
  },
});

export const CRS_CHOICES: { value: ImportCrs; readonly label: string }[] = [
  choice('auto', 'auto'),
  choice('EPSG:4326', 'wgs84'),
  choice('EPSG:4490', 'cgcs2000'),
  choice('EPSG:4547', 'cgcs2000Gk'),
  choice('GCJ-02', 'gcj02'),
];

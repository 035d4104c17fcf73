// Types of postgis-bundle.mjs (plain JavaScript, because the embedded database's worker thread loads it).
import type { Extension } from '@electric-sql/pglite';

export const UNUSED: RegExp;
export function filterTar(tar: Buffer, keep: (name: string) => boolean): Buffer;
export function corePostgis(onProgress?: (message: string) => void): Extension;

/** A file that cannot be read or used, with the reason in Chinese and English: a 4xx, never a 500. */
export class GeoFileError extends Error {}
